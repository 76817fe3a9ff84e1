"""`policykg correct / corrections / remove` as a user runs them, on an embedded store of their own (a copy
of the session's store of the two bundled plans). The form of `correct lead` is relied on by other tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
XIANTAO = "xiantao-ai-action-plan-2025-2027.txt"


@pytest.fixture
def run(tmp_path, bundled_store):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    database = tmp_path / "db" / "graph.lbdb"
    bundled_store.copy_to(database)
    env["POLICYKG_DB"] = str(database)

    def policykg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=180)

    return policykg


def leads_of_the_first_action(run) -> list[list]:
    result = run("query", "agencies-of-action", "--param", "action=（一）", "--param", f"document={XIANTAO}", "--json")
    assert result.returncode == 0, result.stderr
    return [[row[4], row[5], row[6]] for row in json.loads(result.stdout)["rows"]]


def test_correct_lead_in_the_documented_form_shows_in_agencies_of_action_with_basis_corrected(run):
    result = run("correct", "lead", "--document", XIANTAO, "--action", "（一）", "--agency", "市经信局",
                 "--agency", "市科技局", "--why", "市经信局 leads, per the 2025 meeting", "--who", "ann")
    assert result.returncode == 0, result.stderr
    correction_id = result.stdout.split(":")[0]
    assert result.stdout == (f"{correction_id}: {XIANTAO} （一） 强化规划引领: lead: 仙桃市经信局、仙桃市科技局 "
                             "(1 document(s) rewritten)\n")
    assert leads_of_the_first_action(run) == [["仙桃市经信局", "LEADS", "corrected"],
                                              ["仙桃市科技局", "LEADS", "corrected"]]
    listed = json.loads(run("corrections", "list", "--json").stdout)
    assert [(c["id"], c["kind"], c["who"], c["why"], c["extracted"], c["outcome"]["code"]) for c in listed] == [
        (correction_id, "lead", "ann", "市经信局 leads, per the 2025 meeting", ["仙桃市发改委"], "applied")]


def test_list_undo_export_import_round_trip(run, tmp_path):
    made = run("correct", "title", "--document", "ezhou", "--title", "鄂州市人工智能行动方案",
               "--why", "the title line")
    assert made.returncode == 0, made.stderr
    correction_id = made.stdout.split(":")[0]
    exported = tmp_path / "corrections.jsonl"
    assert run("corrections", "export", str(exported)).stdout == f"exported 1 correction(s) to {exported}\n"
    [line] = exported.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["values"] == {"title": "鄂州市人工智能行动方案"}
    undone = run("corrections", "undo", correction_id)
    assert undone.returncode == 0 and undone.stdout.startswith(f"undone {correction_id}: ezhou-ai-action-plan.txt")
    assert run("corrections", "list", "--json").stdout.strip() == "[]"
    assert json.loads(run("corrections", "list", "--all", "--json").stdout)[0]["status"] == "undone"
    title = "MATCH (d:Document {source: 'ezhou-ai-action-plan.txt'}) RETURN d.title"
    assert json.loads(run("cypher", title, "--json").stdout)["rows"] == [[None]]
    again = run("corrections", "import", str(exported))
    assert again.stdout == f"imported 0 correction(s) from {exported}, 1 already there; 0 document(s) rewritten\n"
    table = run("corrections", "list", "--all")
    assert correction_id in table.stdout and "undone" in table.stdout


def test_remove_then_load_again_says_it_stays_removed_until_undone(run):
    removed = run("remove", XIANTAO)  # the form other tools use: the reason is optional here
    assert removed.returncode == 0, removed.stderr
    correction_id = removed.stdout.split(":")[0]
    count = "MATCH (d:Document) RETURN count(d)"
    assert json.loads(run("cypher", count, "--json").stdout)["rows"] == [[1]]
    [removal] = json.loads(run("corrections", "list", "--json").stdout)
    assert (removal["kind"], removal["why"]) == ("remove", "removed with policykg remove (no reason given)")
    load = run("load")
    assert load.returncode == 0
    assert (f"{XIANTAO} not loaded: removed by correction {correction_id} "
            f"(`policykg corrections undo {correction_id}` brings it back)") in load.stderr
    assert run("corrections", "undo", correction_id).returncode == 0
    assert json.loads(run("cypher", count, "--json").stdout)["rows"] == [[2]]


def test_bad_input_is_one_line_naming_the_value_and_changes_nothing(run, tmp_path):
    cases = [
        (["correct", "lead", "--document", XIANTAO, "--action", "（一）", "--agency", "市数据局", "--why", "x"],
         "policykg: error: no agency named '市数据局' in 仙桃市; found: 鄂州市数据局 (鄂州市)\n"),
        (["corrections", "undo", "c-0000000000"],
         "policykg: error: no correction 'c-0000000000' (see `policykg corrections list`)\n"),
        (["correct", "government", "--document", XIANTAO, "--city", "宜昌", "--why", "x"],
         "policykg: error: --city 宜昌 is not a city of the divisions table (宜昌市?)\n"),
    ]
    for args, message in cases:
        result = run(*args)
        assert (result.returncode, result.stderr) == (1, message)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "c-1", "kind": "lead"}\n', encoding="utf-8")
    result = run("corrections", "import", str(bad))
    assert (result.returncode, result.stderr) == (1, f"policykg: error: {bad}:1: who: Field required\n")
    assert run("corrections", "list", "--all", "--json").stdout.strip() == "[]"
