"""`policykg evaluate`: the loaders scored against a small gold of invented plans with known errors.

The figures are worked out by hand in ``tests/fixtures/evaluate/README.md``; the gold disagrees
with the files only in ways the loaders cannot close, so they hold whatever the loaders learn.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loaders import extract_text
from loaders.evaluate import (
    GoldAction,
    GoldDocument,
    GoldError,
    evaluate_documents,
    evaluate_paths,
    load_gold,
    match_actions,
    parse_gold,
    titles_agree,
    unit_key,
)

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "fixtures" / "evaluate"
GOLD = FOLDER / "gold.json"


def policykg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_paths(load_gold(GOLD), [FOLDER])


def document(evaluation, file):
    return next(d for d in evaluation.documents if d.file == file)


def action(evaluation, file, number):
    return next(a for a in document(evaluation, file).actions if a.gold.number == number)


# --------------------------------------------------------------------------- the small gold's figures


def test_small_gold_overall_figures_are_the_hand_computed_ones(evaluation):
    overall = evaluation.overall
    assert (overall.right_pairs, overall.gold_pairs, overall.extracted_pairs) == (19, 25, 22)
    assert overall.precision == pytest.approx(19 / 22)
    assert overall.recall == pytest.approx(19 / 25)
    assert overall.f1 == pytest.approx(38 / 47)
    assert (overall.basis_right, overall.basis_checked) == (7, 8)
    assert (overall.found, overall.missed, overall.extra) == (8, 3, 1)
    assert (overall.government_right, overall.government_unknown, overall.government_wrong) == (1, 1, 1)
    assert (overall.documents, overall.refused) == (4, 1)
    assert evaluation.not_given == [] and evaluation.unused == []


@pytest.mark.parametrize(("file", "pairs", "basis", "actions", "government"), [
    ("a-city-plan.txt", (9, 10, 12), (3, 4), (4, 0, 1), "right"),
    ("b-county-plan-traditional.txt", (5, 7, 5), (2, 2), (2, 1, 0), "unknown"),
    ("c-transport-plan.txt", (5, 5, 5), (2, 2), (2, 0, 0), "wrong"),
    ("d-refused-prose.txt", (0, 3, 0), (0, 0), (0, 2, 0), None),
])
def test_per_document_figures_are_the_hand_computed_ones(evaluation, file, pairs, basis, actions, government):
    result = document(evaluation, file)
    s = result.score
    assert (s.right_pairs, s.gold_pairs, s.extracted_pairs) == pairs
    assert (s.basis_right, s.basis_checked) == basis
    assert (s.found, s.missed, s.extra) == actions
    assert result.government == government


def test_per_document_ratios(evaluation):
    a, b, c, d = (document(evaluation, f).score for f in ("a-city-plan.txt", "b-county-plan-traditional.txt",
                                                          "c-transport-plan.txt", "d-refused-prose.txt"))
    assert (a.precision, a.recall, a.f1) == (pytest.approx(0.75), pytest.approx(0.9), pytest.approx(18 / 22))
    assert (b.precision, b.recall, b.f1) == (1.0, pytest.approx(5 / 7), pytest.approx(10 / 12))
    assert (c.precision, c.recall, c.f1, c.lead_basis) == (1.0, 1.0, 1.0, 1.0)
    assert (d.precision, d.recall, d.f1, d.lead_basis) == (None, 0.0, 0.0, None)


def test_unit_in_the_note_that_the_gold_leaves_out_is_an_extra_pair(evaluation):
    first = action(evaluation, "a-city-plan.txt", "(一)")
    assert first.extra_pairs == [("市委网信办", "responsible")] and first.missed_pairs == []


def test_unit_named_only_in_the_body_is_a_missed_pair(evaluation):
    third = action(evaluation, "a-city-plan.txt", "(三)")
    assert third.missed_pairs == [("市财政局", "responsible")] and third.extra_pairs == []


def test_support_unit_counts_as_responsible(evaluation):
    third = action(evaluation, "a-city-plan.txt", "(三)")
    assert any(ref.name == "市教育局" and ref.role == "support" for ref in third.found.agencies)
    assert ("市教育局", "responsible") not in third.missed_pairs + third.extra_pairs


def test_wrong_lead_basis_counts_against_lead_basis_not_the_pairs(evaluation):
    fourth = action(evaluation, "a-city-plan.txt", "(四)")
    assert (fourth.gold.lead_basis, fourth.basis) == ("explicit", "first-listed")
    assert fourth.missed_pairs == [] and fourth.extra_pairs == []


def test_extracted_action_the_gold_does_not_have_is_extra_with_its_pairs(evaluation):
    result = document(evaluation, "a-city-plan.txt")
    assert [(a.number, pairs) for a, pairs in result.extra_actions] == [
        ("（五）", [("市政府办", "lead"), ("市数据局", "responsible")])]


def test_cut_titles_and_other_number_forms_still_match(evaluation):
    assert action(evaluation, "a-city-plan.txt", "(一)").found.title == "建设城市数据中心，推进算力设施建设"
    assert action(evaluation, "a-city-plan.txt", "(二)").found.title == "培育数字龙头企业"
    assert [a.found.number for a in document(evaluation, "c-transport-plan.txt").actions] == ["1.", "2."]


def test_traditional_names_compare_with_the_simplified_gold(evaluation):
    first = action(evaluation, "a-city-plan.txt", "(一)")
    assert "市財政局" in [ref.name for ref in first.found.agencies]
    b = document(evaluation, "b-county-plan-traditional.txt")
    assert [a.found.agencies[0].name for a in b.actions[:2]] == ["縣農業農村局", "縣住建局"]
    assert [a.missed_pairs + a.extra_pairs for a in b.actions[:2]] == [[], []]


def test_gold_names_with_deng_and_a_bracketed_remark_compare_without_them(evaluation):
    assert action(evaluation, "a-city-plan.txt", "(二)").gold.responsible == ("市商务局等",)
    assert action(evaluation, "a-city-plan.txt", "(四)").gold.responsible == ("市统计局（数据提供）",)
    for number in ("(二)", "(四)"):
        found = action(evaluation, "a-city-plan.txt", number)
        assert found.missed_pairs == [] and found.extra_pairs == []


def test_gold_action_not_in_the_file_is_missed_with_its_pairs(evaluation):
    third = action(evaluation, "b-county-plan-traditional.txt", "3.")
    assert third.found is None
    assert third.missed_pairs == [("县交通运输局", "lead"), ("县商务局", "responsible")]


def test_members_expanded_from_a_collective_are_not_counted(evaluation):
    first = action(evaluation, "c-transport-plan.txt", "1、")
    assert any(ref.derived_from for ref in first.found.agencies)
    assert first.extra_pairs == [] and first.missed_pairs == []


def test_government_right_unknown_and_wrong_name_the_fields(evaluation):
    texts = [d.government_text() for d in evaluation.documents]
    assert texts == ["right", "unknown (city ?, province ?)", "wrong (level city ≠ county)", "refused"]


def test_refused_file_has_every_gold_action_missed_and_its_reason(evaluation):
    refused = document(evaluation, "d-refused-prose.txt")
    assert refused.refused.endswith("d-refused-prose.txt: no recognisable structure: "
                                    "no numbered items and no responsibility table")
    assert [a.found for a in refused.actions] == [None, None]
    assert refused.government is None and refused.score.refused == 1


# --------------------------------------------------------------------------- the parts


@pytest.mark.parametrize(("written", "key"), [
    ("市財政局", "市财政局"),
    ("县委县政府 督查室", "县委县政府督查室"),
    ("☆市科技局", "市科技局"),
    ("区财政局*", "区财政局"),
    ("市农业局等", "市农业局"),
    ("区司法局等有关部门", "区司法局"),
    ("市税务局等相关部门", "市税务局"),
    ("市统计局（列第一位者为牵头单位，下同）", "市统计局"),
    ("各区人民政府<含甲、乙管委会，下同>", "各区人民政府"),
    ("县林业局按职责分工负责", "县林业局"),
    ("各乡镇落实", "各乡镇"),
    ("市教体局。", "市教体局"),
    ("各县（市、区）人民政府", "各县(市、区)人民政府"),
    ("区发改(商务)局", "区发改(商务)局"),
])
def test_unit_names_compare_after_t2s_and_the_gold_clean_up(written, key):
    assert unit_key(written) == key


def test_titles_agree_however_they_are_cut():
    assert titles_agree("推进数据要素流通；开展授权运营", "推进数据要素流通")
    assert titles_agree("建设数据中心", "建设数据中心，推进算力设施建设")
    assert titles_agree("適齡女生疫苗接種", "适龄女生疫苗接种牵头责任部门:县卫健委")
    assert titles_agree("严守用水效率控制红线", "加强水资源保护 严守用水 效率控制 红线 实施")
    assert not titles_agree("建设数据中心", "")
    assert not titles_agree("建设数据中心", "建设")


def test_matching_follows_document_order_when_numbering_restarts():
    doc = extract_text("一、甲\n1.地区生产总值增长6%。（责任单位：区发改局）\n2.建设数据中心。（责任单位：区数据局）\n"
                       "二、乙\n1.建设数据中心。（责任单位：区经信局）\n")
    gold = [GoldAction("1.", "地区生产总值增长6%", ("区发改局",), "first-listed", ()),
            GoldAction("1.", "建设数据中心", ("区经信局",), "first-listed", ())]
    assert match_actions(gold, doc.actions) == [(0, 0), (1, 2)]  # the title repeats: the number decides


def test_evaluation_is_a_function_of_documents_and_gold():
    gold = parse_gold([
        {"file": "p.txt", "city": "江西省", "province": "江西省", "level": "province", "actions": [
            {"number": "(一)", "title": "建设旅游平台", "lead": ["省文化和旅游厅"], "lead_basis": "explicit",
             "responsible": ["省财政厅"]}]},
        {"file": "q.txt", "city": None, "actions": []},
        {"file": "not-given.txt", "actions": []}])
    province = extract_text("江西省文化旅游融合发展实施方案\n"
                            "（一）建设旅游平台。（牵头单位：省文化和旅游厅；责任单位：省财政厅）", "p.txt")
    result = evaluate_documents(gold, {"p.txt": province, "q.txt": province})
    p, q = result.documents
    assert p.score.f1 == 1.0 and p.government == "right"  # the gold's city of a province plan is the province
    assert q.government == "wrong"  # the gold says there is no way to tell; the extraction names one
    assert result.not_given == ["not-given.txt"]


def test_a_gold_entry_with_null_city_is_right_when_the_extraction_leaves_it_empty():
    gold = parse_gold([{"file": "q.txt", "city": None, "province": None, "actions": []}])
    doc = extract_text("关于做好有关工作的方案\n（一）建设平台。（牵头单位：局甲）", "q.txt")
    assert evaluate_documents(gold, {"q.txt": doc}).documents[0].government == "right"


@pytest.mark.parametrize(("content", "problem"), [
    ("{", "not JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    ('{"file": "a.txt"}', "expected a JSON list of documents, found an object"),
    ('[{"actions": []}]', 'document 1: "file" must name the document\'s file'),
    ('[{"file": "a.txt", "actions": []}, {"file": "a.txt", "actions": []}]',
     "document 2 (a.txt): the file is annotated twice"),
    ('[{"file": "a.txt", "level": "prefecture", "actions": []}]',
     'document 1 (a.txt): "level" must be one of province, city, district, county, town, department or null, '
     'not "prefecture"'),
    ('[{"file": "a.txt"}]', 'document 1 (a.txt): "actions" must be a list'),
    ('[{"file": "a.txt", "actions": [{"title": "建平台", "lead": ["甲"], "lead_basis": "stated"}]}]',
     'document 1 (a.txt), action 1: "lead_basis" must be explicit or first-listed, not "stated"'),
    ('[{"file": "a.txt", "actions": [{"number": "1.", "lead": []}]}]',
     'document 1 (a.txt), action 1: "title" must be the item\'s title as written'),
])
def test_bad_gold_file_is_one_line_naming_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    assert str(caught.value) == f"{path}: {problem}"


def test_missing_gold_file_is_a_gold_error(tmp_path):
    with pytest.raises(GoldError, match="cannot read the file"):
        load_gold(tmp_path / "none.json")


def test_a_file_given_twice_is_evaluated_once(tmp_path):
    copy = tmp_path / "a-city-plan.txt"
    copy.write_bytes((FOLDER / "a-city-plan.txt").read_bytes())
    gold = [GoldDocument("a-city-plan.txt", ())]
    result = evaluate_paths(gold, [FOLDER / "a-city-plan.txt", copy])
    assert [d.source for d in result.documents] == [str(FOLDER / "a-city-plan.txt")]
    assert result.unused == [(str(copy), f"a-city-plan.txt is already evaluated from {FOLDER / 'a-city-plan.txt'}")]


# --------------------------------------------------------------------------- the command line


def test_cli_text_output_is_a_table_per_document_then_the_overall_line():
    result = policykg("evaluate", str(GOLD), str(FOLDER))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["document", "F1", "P", "R", "pairs", "right/gold/extracted", "lead", "basis",
                                "found", "missed", "extra", "government"]
    assert lines[2].split() == ["a-city-plan.txt", "0.818", "0.750", "0.900", "9/10/12", "0.75", "4", "0", "1",
                                "right"]
    assert lines[3].split() == ["b-county-plan-traditional.txt", "0.833", "1.000", "0.714", "5/7/5", "1.00", "2",
                                "1", "0", "unknown", "(city", "?,", "province", "?)"]
    assert lines[4].split() == ["c-transport-plan.txt", "1.000", "1.000", "1.000", "5/5/5", "1.00", "2", "0", "0",
                                "wrong", "(level", "city", "≠", "county)"]
    assert lines[5].split() == ["d-refused-prose.txt", "0.000", "-", "0.000", "0/3/0", "-", "0", "2", "0",
                                "refused"]
    assert lines[6] == (f"refused: {FOLDER / 'd-refused-prose.txt'}: no recognisable structure: "
                        "no numbered items and no responsibility table")
    assert lines[7] == ("overall: F1 0.809 (P 0.86 R 0.76), lead basis 0.88, actions 8 found / 3 missed / "
                        "1 extra, government 1 right / 1 unknown / 1 wrong, 1 refused")
    assert len(lines) == 8


def test_cli_json_has_the_same_numbers_per_document_and_overall():
    result = policykg("evaluate", str(GOLD), str(FOLDER), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    overall = payload["overall"]
    assert (overall["f1"], overall["precision"], overall["recall"]) == (0.8085, 0.8636, 0.76)
    assert overall["pairs"] == {"gold": 25, "extracted": 22, "right": 19}
    assert overall["lead_basis"] == {"accuracy": 0.875, "right": 7, "checked": 8}
    assert overall["actions"] == {"found": 8, "missed": 3, "extra": 1}
    assert overall["government"] == {"right": 1, "unknown": 1, "wrong": 1}
    assert (overall["documents"], overall["refused"]) == (4, 1)
    a, b, c, d = payload["documents"]
    assert [x["file"] for x in (a, b, c, d)] == ["a-city-plan.txt", "b-county-plan-traditional.txt",
                                                 "c-transport-plan.txt", "d-refused-prose.txt"]
    assert (a["f1"], a["precision"], a["recall"]) == (0.8182, 0.75, 0.9)
    assert a["actions"] == {"found": 4, "missed": 0, "extra": 1} and a["refused"] is None
    assert a["extra_actions"] == [{"number": "（五）", "title": "强化组织领导",
                                   "pairs": [["市政府办", "lead"], ["市数据局", "responsible"]]}]
    assert a["gold_actions"][3]["lead_basis"] == {"gold": "explicit", "extracted": "first-listed"}
    assert b["government"]["verdict"] == "unknown"
    assert b["government"]["city"] == {"gold": "青萍市", "extracted": None, "verdict": "unknown"}
    assert c["government"]["level"] == {"gold": "county", "extracted": "city", "verdict": "wrong"}
    assert d["refused"].endswith("no recognisable structure: no numbered items and no responsibility table")
    assert (d["f1"], d["precision"], d["recall"]) == (0.0, None, 0.0)
    assert payload["not_given"] == [] and payload["unused"] == []


def test_cli_notes_files_outside_the_gold_and_gold_documents_not_given():
    result = policykg("evaluate", str(GOLD), str(FOLDER / "c-transport-plan.txt"), "README.md")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "policykg: note: README.md not evaluated: the gold has no document of this name",
        "policykg: note: 3 gold document(s) not among the paths, not evaluated: a-city-plan.txt, "
        "b-county-plan-traditional.txt, d-refused-prose.txt"]
    assert result.stdout.splitlines()[-1].startswith("overall: F1 1.000 (P 1.00 R 1.00), lead basis 1.00, "
                                                     "actions 2 found / 0 missed / 0 extra, government 0 right")


def test_cli_bad_gold_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text('[{"file": "a.txt", "actions": [{"title": "建平台", "lead": "甲"}]}]', encoding="utf-8")
    result = policykg("evaluate", str(bad), str(FOLDER))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (f'policykg: error: {bad}: document 1 (a.txt), action 1: "lead" must be a list of '
                             'strings, not "甲"\n')
