"""A plan's government as a person gives it: --city/--province/--level, and the upload preview's fields."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graph.embedded import EmbeddedStore
from graph.loading import load_files
from loaders import GivenGovernment, GivenGovernmentError, check_given, extract_text
from tests.apptest import ROOT, open_page, plain

PLAN = "一、重点任务\n（一）建设算力平台。（牵头单位：高新区管委会、市科技局；责任单位：市财政局、区科技局）\n"


def units(doc) -> list[tuple[str, str | None]]:
    return [(ref.canonical, ref.government) for ref in doc.actions[0].agencies]


def test_a_given_city_is_checked_against_the_divisions_table_and_brings_its_province():
    given = check_given(GivenGovernment(city="宜昌市", level="city"))
    assert (given.city, given.province, given.level) == ("宜昌市", "湖北省", "city")
    with pytest.raises(GivenGovernmentError, match=r"^--city 宜昌 is not a city of the divisions table \(宜昌市\?\)$"):
        check_given(GivenGovernment(city="宜昌"))
    with pytest.raises(GivenGovernmentError, match=r"is not in --province 湖南省 .*湖北省"):
        check_given(GivenGovernment(city="宜昌市", province="湖南省"))
    with pytest.raises(GivenGovernmentError, match="--province 湖北 is not a province"):
        check_given(GivenGovernment(province="湖北"))


def test_a_given_city_scopes_every_unit_and_is_recorded_as_given():
    unknown = extract_text(PLAN, "p.txt")
    assert (unknown.city, unknown.government_basis) == (None, None)
    assert units(unknown)[:2] == [("高新区管委会", None), ("市科技局", None)]
    assert "city not stated and not inferable from the text" in unknown.warning_messages
    given = extract_text(PLAN, "p.txt", check_given(GivenGovernment(city="宜昌市")))
    assert (given.city, given.province, given.government_basis) == ("宜昌市", "湖北省", "given")
    # how it was placed is moot now
    assert given.warning_messages == [w for w in unknown.warning_messages if "city" not in w]
    assert units(given) == [("高新区管委会", "宜昌市"), ("宜昌市科技局", "宜昌市"), ("宜昌市财政局", "宜昌市"),
                            ("区科技局", None)]  # no district was given or read: 区 stays unscoped
    assert extract_text("宜昌市数字经济行动方案\n" + PLAN, "p.txt").government_basis == "document"


def test_a_given_city_wins_over_the_one_the_text_names_and_drops_its_district():
    text = "宜昌市西陵区数字经济行动方案\n一、重点任务\n（一）建设平台。（牵头单位：区科技局；责任单位：区财政局）\n"
    read = extract_text(text, "p.txt")
    assert (read.city, units(read)[0]) == ("宜昌市", ("西陵区科技局", "西陵区"))
    given = extract_text(text, "p.txt", check_given(GivenGovernment(city="襄阳市")))
    assert (given.city, given.province) == ("襄阳市", "湖北省")
    assert units(given) == [("区科技局", None), ("区财政局", None)]  # 西陵区 is of 宜昌, not of the city given


def test_load_with_a_given_government_and_a_reload_under_another_is_refused(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text(PLAN, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "g.lbdb")
    try:
        first = load_files(store, [plan], given=check_given(GivenGovernment(city="宜昌市")))
        assert first.errors == [] and first.new == 1
        assert store.run_read("MATCH (d:Document) RETURN d.city, d.government_basis").rows == [["宜昌市", "given"]]
        assert store.run_read("MATCH (a:Agency {name: '宜昌市财政局'}) RETURN a.city").rows == [["宜昌市"]]
        before = store.counts()
        again = load_files(store, [plan], given=check_given(GivenGovernment(city="襄阳市")))
        assert again.loaded == 0 and again.errors == [
            f"{plan}: not loaded: already in the graph with government 宜昌市/湖北省/? (city/province/level); "
            "it is not loaded again as 襄阳市/湖北省/? (`policykg correct government` changes it)"]
        assert store.counts() == before
        same = load_files(store, [plan], given=check_given(GivenGovernment(city="宜昌市")))
        assert same.errors == [] and (same.loaded, same.new) == (1, 0)
    finally:
        store.close()


def policykg(*args: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {"POLICYKG_DB": str(tmp_path / "db" / "g.lbdb"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_the_command_line_takes_city_province_and_level(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text(PLAN, encoding="utf-8")
    bad = policykg("extract", "--city", "宜昌", str(plan), tmp_path=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr == "policykg: error: --city 宜昌 is not a city of the divisions table (宜昌市?)\n"
    good = policykg("extract", "--city", "宜昌市", "--level", "city", "--json", str(plan), tmp_path=tmp_path)
    document = json.loads(good.stdout)["documents"][0]
    assert (document["city"], document["province"], document["level"], document["government_basis"]) == (
        "宜昌市", "湖北省", "city", "given")
    loaded = policykg("load", "--province", "湖北省", "--level", "province", str(plan), tmp_path=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    answer = policykg("cypher", "MATCH (d:Document {source: 'p.txt'}) RETURN d.province, d.level, d.government_basis",
                      "--json", tmp_path=tmp_path)
    assert json.loads(answer.stdout)["rows"] == [["湖北省", "province", "given"]]


def test_the_upload_preview_reads_the_plan_again_with_the_government_given(store_path):
    at = open_page("explorer/pages/documents.py")
    at.file_uploader(key="documents-upload").set_value(("p.txt", PLAN.encode("utf-8"), "text/plain")).run()
    assert not at.exception
    at.text_input(key="documents-given-city").set_value("宜昌市")
    at.selectbox(key="documents-given-level").set_value("city")
    next(b for b in at.button if b.label == "按此政府重新读取").click().run()
    assert not at.exception
    facts = dict(at.dataframe[1].value.values.tolist())
    assert (facts["城市"], facts["省份"], facts["层级"]) == ("宜昌市", "湖北省", "市级")
    assert [c.value for c in at.caption if c.value.startswith("政府为用户给定")] == ["政府为用户给定：宜昌市"]
    next(b for b in at.button if b.key == "documents-add").click().run()
    assert not at.exception
    with pytest.raises(KeyError):  # the form is gone once added: the document is in the graph
        at.text_input(key="documents-given-city")
    at.switch_page("explorer/pages/console.py").run()
    at.session_state["console-text:kept"] = (
        "MATCH (d:Document {source: 'p.txt'}) RETURN d.city AS city, d.government_basis AS basis")
    at.button(key="console-run").click().run()
    assert at.dataframe[0].value.values.tolist() == [["宜昌市", "given"]]


def test_a_city_not_in_the_divisions_table_is_said_and_the_preview_stays(store_path):
    at = open_page("explorer/pages/documents.py")
    at.file_uploader(key="documents-upload").set_value(("p.txt", PLAN.encode("utf-8"), "text/plain")).run()
    at.text_input(key="documents-given-city").set_value("宜昌")
    next(b for b in at.button if b.label == "按此政府重新读取").click().run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "未重新读取：--city 宜昌 is not a city of the divisions table (宜昌市?)"]
    assert dict(at.dataframe[1].value.values.tolist())["城市"] == ""
