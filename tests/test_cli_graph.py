"""`policykg load / cypher / export / schema` as a user runs them, on an embedded store of their own: a copy
of the session's store of the two bundled plans (what the first run leaves), or, for the tests marked
``empty_store``, a new one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run(tmp_path, request, bundled_store):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    database = tmp_path / "db" / "graph.lbdb"
    if request.node.get_closest_marker("empty_store") is None:
        bundled_store.copy_to(database)
    env["POLICYKG_DB"] = str(database)

    def policykg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=180)

    return policykg


@pytest.mark.empty_store
def test_first_cypher_on_a_new_machine_loads_the_bundled_plans(run):
    result = run("cypher", "MATCH (d:Document) RETURN d.source AS source ORDER BY source", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"columns": ["source"], "rows": [
        ["ezhou-ai-action-plan.txt"], ["xiantao-ai-action-plan-2025-2027.txt"]]}
    assert "first run: loaded the 2 bundled plans" in result.stderr


def test_cypher_with_parameters_prints_a_table(run):
    result = run("cypher", "MATCH (a:Agency)-[:LEADS]->(x:Action) WHERE a.name = $name "
                 "RETURN x.number AS number ORDER BY x.seq", "--param", "name=鄂州市科技局")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["number", "------", "2.", "4.", "5.", "6.", "7.", "(5", "rows)"]


def test_cypher_refuses_writes_syntax_errors_and_bad_params_in_one_line(run):
    write = run("cypher", "MATCH (a:Agency) DETACH DELETE a")
    assert write.returncode == 1
    last_line = write.stderr.strip().splitlines()[-1]
    assert last_line == "policykg: error: policykg cypher is read-only: DETACH is not allowed"
    syntax = run("cypher", "MATCH (a:Agency RETURN a")
    assert syntax.returncode == 1 and syntax.stderr.startswith("policykg: error: Parser exception")
    assert "Traceback" not in syntax.stderr
    param = run("cypher", "RETURN 1", "--param", "novalue")
    assert param.returncode == 1 and "write it as name=value" in param.stderr
    count = run("cypher", "MATCH (a:Agency) RETURN count(a) AS n", "--json")
    assert json.loads(count.stdout)["rows"] == [[69]]


def test_cypher_row_cap_is_reported(run):
    result = run("cypher", "UNWIND range(1, 50) AS x RETURN x", "--max-rows", "10", "--csv")
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["x", *[str(n) for n in range(1, 11)]]
    assert result.stderr == "policykg: rows 1–10 of 50; the next page: --offset 10 (--limit 10)\n"


def test_cypher_pages_with_limit_and_offset_and_says_the_total(run):
    middle = run("cypher", "UNWIND range(1, 25) AS x RETURN x", "--limit", "10", "--offset", "10")
    assert middle.returncode == 0, middle.stderr
    assert middle.stdout.splitlines()[2:] == [*[str(n) for n in range(11, 21)], "(rows 11–20 of 25)"]
    assert middle.stderr == "policykg: rows 11–20 of 25; the next page: --offset 20 (--limit 10)\n"
    last = run("cypher", "UNWIND range(1, 25) AS x RETURN x", "--limit", "10", "--offset", "20", "--json")
    assert json.loads(last.stdout)["rows"] == [[21], [22], [23], [24], [25]]
    assert last.stderr == "policykg: rows 21–25 of 25\n"
    past = run("cypher", "UNWIND range(1, 25) AS x RETURN x", "--offset", "30")
    assert past.stdout.splitlines()[-1] == "(no rows past row 30 of 25)"


def test_a_named_query_pages_too(run):
    whole = run("query", "co-responsibility", "--param", "city=鄂州市", "--json")
    rows = json.loads(whole.stdout)["rows"]
    page = run("query", "co-responsibility", "--param", "city=鄂州市", "--limit", "5", "--offset", "3", "--json")
    assert page.returncode == 0, page.stderr
    assert json.loads(page.stdout)["rows"] == rows[3:8]
    assert page.stderr == f"policykg: rows 4–8 of {len(rows)}; the next page: --offset 8 (--limit 5)\n"


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--limit", "0", "0 is not a whole number of at least 1"),
    ("--offset", "-1", "-1 is not a whole number of 0 or more"),
    ("--limit", "ten", "invalid positive_int value: 'ten'")])
def test_a_page_option_out_of_range_is_one_line(run, option, value, words):
    result = run("cypher", "RETURN 1", option, value)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


@pytest.mark.empty_store
def test_load_reports_what_was_added_and_reloading_adds_nothing(run, tmp_path):
    first = run("load")
    assert first.returncode == 0, first.stderr
    assert "loaded 2 document(s) into embedded LadybugDB at" in first.stdout
    assert "+47 Action" in first.stdout and "+69 Agency" in first.stdout
    again = run("load")
    assert again.stdout.rstrip().endswith(": 0 new, 2 already there; nothing new")
    assert ": 2 new, 0 already there; +2 Document" in first.stdout


@pytest.mark.empty_store
def test_load_goes_on_past_bad_files_and_exits_nonzero(run, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("no numbered items here, only a sentence.", encoding="utf-8")
    result = run("load", str(bad), str(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt"))
    assert result.returncode == 1
    assert "loaded 1 document(s)" in result.stdout
    assert f"policykg: error: {bad}: no recognisable structure" in result.stderr


def test_export_writes_each_format(run, tmp_path):
    for fmt, name in (("graphml", "g.graphml"), ("json", "g.json"), ("cypher", "g.cypher"), ("csv", "csv")):
        result = run("export", "--format", fmt, "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("exported 257 nodes and 566 relationships as " + fmt)
        assert (tmp_path / name).exists()


def test_schema_lists_every_node_and_relationship(run):
    result = run("schema")
    assert result.returncode == 0
    for word in ("(:Document)", "(:Agency)-[:LEADS]->(:Action)", "(:Park)-[:LOCATED_IN]->(:District)",
                 "(:Agency)-[:INCLUDES]->(:Agency)", "(:Target)", "collective: BOOLEAN"):
        assert word in result.stdout


# --------------------------------------------------------------------------------------------- analyze coordination

def test_analyze_coordination_writes_a_png_by_default_suffix(run, tmp_path):
    out = tmp_path / "coordination.png"
    result = run("analyze", "coordination", "--limit", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith(f"wrote {out}")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (2666, 1500)  # 16:9


def test_analyze_coordination_centred_svg_keeps_its_words_as_text(run, tmp_path):
    out = tmp_path / "centred.svg"
    result = run("analyze", "coordination", "--city", "仙桃", "--mode", "centred", "--centre", "科技局",
                 "--size", "a4", "--out", str(out))
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert ">仙桃市 · 机构协作网络</text>" in svg and ">科技局</text>" in svg
    assert "视图：以科技局为中心" in svg and 'width="841.68pt" height="595.44pt"' in svg  # A4 landscape


def test_analyze_coordination_grouped_slide_in_english(run, tmp_path):
    from pptx import Presentation

    out = tmp_path / "grouped.pptx"
    result = run("analyze", "coordination", "--city", "鄂州", "--mode", "grouped", "--group-by", "kind",
                 "--language", "en", "--min-weight", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    (slide,) = Presentation(str(out)).slides
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert texts[0] == "Coordination network · 鄂州市"
    assert texts[1].startswith("Documents: all 1 · City: 鄂州市 · View: grouped by agency kind · "
                               "Minimum shared actions: 2 · ")


def test_analyze_coordination_refuses_an_unknown_centre_and_suffix(run, tmp_path):
    ambiguous = run("analyze", "coordination", "--mode", "centred", "--centre", "市科技局", "--out",
                    str(tmp_path / "x.png"))
    assert ambiguous.returncode == 1
    assert ambiguous.stderr.strip().splitlines()[-1] == (
        "policykg: error: --centre '市科技局' names 2 agencies: 仙桃市科技局, 鄂州市科技局; add --city")
    wrong = run("analyze", "coordination", "--out", str(tmp_path / "x.jpg"))
    assert wrong.returncode == 1 and "--out takes a .graphml, .png, .svg or .pptx file" in wrong.stderr


def test_analyze_coordination_all_ranks_each_city_from_its_own_plans_and_says_its_progress(run):
    result = run("analyze", "coordination", "--all", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["columns"][:3] == ["network", "agency", "city"]
    assert [row[:4] for row in answer["rows"][:2]] == [["仙桃市", "仙桃市经信局", "仙桃市", 6],
                                                      ["仙桃市", "仙桃市科技局", "仙桃市", 7]]
    assert {row[0] for row in answer["rows"]} == {"仙桃市", "鄂州市"}
    assert len(answer["rows"]) == 34 + 25
    assert [line.split(" (")[0] for line in result.stderr.strip().splitlines()] == [
        "policykg: city 1 of 2: 仙桃市: 1 plans, 34 agencies, 103 links",
        "policykg: city 2 of 2: 鄂州市: 1 plans, 25 agencies, 88 links"]
    limited = run("analyze", "coordination", "--all", "--limit", "1")
    assert limited.returncode == 0 and limited.stdout.strip().endswith("(2 rows)")


def test_analyze_coordination_all_takes_no_city_out_or_centre(run, tmp_path):
    both = run("analyze", "coordination", "--all", "--city", "鄂州")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    out = run("analyze", "coordination", "--all", "--out", str(tmp_path / "x.png"))
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == (
        "policykg: error: --all ranks every city; --out and --centre take one (--city)")


def test_analyze_coordination_of_a_city_reads_only_its_plans(tmp_path, bundled_store, monkeypatch, capsys):
    from graph.store import GraphStore
    from policykg.cli import main

    database = tmp_path / "graph.lbdb"
    bundled_store.copy_to(database)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("POLICYKG_DB", str(database))
    reads, original = [], GraphStore.to_networkx

    def spy(self, documents=None):
        reads.append(None if documents is None else sorted(documents))
        return original(self, documents)

    monkeypatch.setattr(GraphStore, "to_networkx", spy)
    assert main(["analyze", "coordination", "--city", "鄂州", "--limit", "1", "--csv"]) == 0
    assert reads == [["5ebd749b5b99f815"]]
    assert capsys.readouterr().out.splitlines()[1].startswith("鄂州市各区人民政府,鄂州市,0,0,20,0,23,60,")


def test_an_analysis_is_kept_in_the_store_and_the_next_analyze_or_all_reads_no_plan_for_it(
        tmp_path, bundled_store, monkeypatch, capsys):
    from graph.store import GraphStore
    from policykg.cli import main

    database = tmp_path / "graph.lbdb"
    bundled_store.copy_to(database)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("POLICYKG_DB", str(database))
    reads, original = [], GraphStore.to_networkx
    monkeypatch.setattr(GraphStore, "to_networkx", lambda self, documents=None:
                        reads.append(sorted(documents or ["*"])) or original(self, documents))
    assert main(["analyze", "coordination", "--city", "鄂州", "--csv"]) == 0
    first = capsys.readouterr()
    assert reads == [["5ebd749b5b99f815"]] and first.err == ""
    assert main(["analyze", "coordination", "--city", "鄂州", "--csv"]) == 0
    assert capsys.readouterr().out == first.out and len(reads) == 1  # read from the store, not computed
    assert main(["analyze", "coordination", "--all", "--csv"]) == 0
    every = capsys.readouterr()
    assert len(reads) == 2 and reads[1] != reads[0]  # only 仙桃's plan was read
    progress = every.err.strip().splitlines()
    assert not progress[0].endswith(", kept in the store)") and progress[1].endswith(", kept in the store)")
    assert [line.removeprefix("鄂州市,") for line in every.out.splitlines() if line.startswith("鄂州市,")] == \
        first.out.splitlines()[1:]


def test_an_analysis_the_store_cannot_keep_now_is_printed_and_said_not_kept(run, tmp_path):
    import os

    holder = subprocess.Popen(  # another process holds the embedded graph for writing, as the app does
        [sys.executable, "-c", "import sys, time; from graph.embedded import EmbeddedStore; "
         "s = EmbeddedStore(sys.argv[1]); print('held', flush=True); time.sleep(120)",
         str(tmp_path / "db" / "graph.lbdb")], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")})
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("analyze", "coordination", "--city", "鄂州", "--limit", "1")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 0 and result.stdout.strip().endswith("(1 row)")
    assert result.stderr.startswith("policykg: note: the analysis was not kept in the store for the next reader (")
    assert len(result.stderr.strip().splitlines()) == 1
