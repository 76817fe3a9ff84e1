"""A target that gives no year takes the plan's (the end of its period, 到2027年 before its first item),
marked inferred; a plan that sets no year leaves it unknown; a person's correction of the year makes it
the target's own."""

from __future__ import annotations

import pytest

from graph import corrections as people
from graph.records import document_records
from loaders import extract_path, extract_text
from loaders.targets import plan_year
from queries import run_named
from queries.corrections import make_correction
from tests.apptest import ROOT

CORPUS = ROOT / "data" / "corpus"
XIANTAO = "xiantao-ai-action-plan-2025-2027.txt"
EZHOU = "ezhou-ai-action-plan.txt"
WHY = "checked against the plan"


def targets(doc):
    return {row["metric"]: row for row in document_records(doc).nodes["Target"]}


def plan(title: str, preamble: str = "") -> str:
    return (f"{title}\n{preamble}\n一、重点任务\n"
            "（一）建设算力中心。建成算力平台1个。（牵头单位：县科技局）\n"
            "（二）培育企业。2026年底前新培育企业不少于10家。（牵头单位：县经信局）\n")


@pytest.mark.parametrize(("title", "preamble", "year"), [
    ("某县数字经济行动方案（2024—2026年）", "", 2026),
    ("某县数字经济行动方案(2024-2026年)", "", 2026),
    ("某县2025年数字经济工作要点", "", 2025),
    ("某县数字经济行动方案", "为加快发展，力争到2027年，建成一批平台，制定本方案。", 2027),
    ("某县数字经济行动方案（2024—2026年）", "到2030年，全面建成。", 2026),  # the title's period wins
])
def test_the_plans_year_is_its_periods_end_else_the_year_it_names_or_sets(title, preamble, year):
    assert plan_year(title, preamble) == year


@pytest.mark.parametrize(("title", "preamble"), [
    ("某县数字经济行动方案", "结合实际，制定本方案。"),
    ("某县数字经济行动方案", "到2025年，初步建成；到2030年，全面建成。"),  # two years: no guess
    (None, ""),
])
def test_a_plan_that_sets_no_one_year_has_none(title, preamble):
    assert plan_year(title, preamble) is None


def test_a_target_without_a_year_takes_the_plans_marked_inferred_and_one_with_a_year_keeps_its_own():
    found = targets(extract_text(plan("某县数字经济行动方案（2024—2026年）"), "t.txt"))
    assert (found["算力平台"]["year"], found["算力平台"]["year_inferred"]) == (2026, True)
    assert (found["新培育企业"]["year"], found["新培育企业"]["year_inferred"]) == (2026, False)  # 2026年底前: its own


def test_a_year_after_the_first_item_is_not_the_plans():
    text = plan("某县数字经济行动方案") + "（三）推广应用。到2028年，推广应用。（牵头单位：县科技局）\n"
    found = targets(extract_text(text, "t.txt"))
    assert (found["算力平台"]["year"], found["算力平台"]["year_inferred"]) == (None, False)


def test_a_plan_without_a_year_leaves_its_targets_years_unknown():
    found = targets(extract_text(plan("某县数字经济行动方案", "结合实际，制定本方案。"), "t.txt"))
    assert (found["算力平台"]["year"], found["算力平台"]["year_inferred"]) == (None, False)


def test_the_bundled_plans_xiantao_targets_take_2027_and_ezhous_stay_unknown():
    xiantao = targets(extract_path(CORPUS / XIANTAO))
    assert (xiantao["机架"]["year"], xiantao["机架"]["year_inferred"]) == (2027, True)
    assert sum(row["year_inferred"] for row in xiantao.values()) == 12
    assert all(row["year"] == 2027 for row in xiantao.values() if row["year_inferred"])
    ezhou = targets(extract_path(CORPUS / EZHOU))  # no title, no year before its first item
    assert (ezhou["重大技术突破"]["year"], ezhou["重大技术突破"]["year_inferred"]) == (None, False)
    assert not any(row["year_inferred"] for row in ezhou.values())


def test_a_deadline_that_is_no_year_takes_no_year_from_the_plan():
    doc = extract_text(plan("某县数字经济行动方案（2024—2026年）"), "t.txt")
    doc.targets.append(doc.targets[0].model_copy(update={"deadline": "长期坚持", "metric": "长期任务", "span": (0, 1)}))
    found = targets(doc)
    assert (found["长期任务"]["year"], found["长期任务"]["year_inferred"]) == (None, False)


def correction(kind_values: dict) -> people.Correction:
    return people.Correction(id="c-1", kind="target", metric="机架", values=kind_values,
                             action=people.ActionKey(number="（四）"), who="ann", at="2026-01-01T00:00:00+00:00",
                             why=WHY, document=people.DocumentKey(source=XIANTAO))


def test_a_corrected_year_is_the_targets_own_not_inferred():
    doc = extract_path(CORPUS / XIANTAO)
    fixed, outcomes = people.apply_to_document(doc, [correction({"year": 2026})])
    assert [(o.code, o.changed) for o in outcomes] == [("applied", True)]
    row = targets(fixed)["机架"]
    assert (row["year"], row["year_inferred"], row["correction"]) == (2026, False, "c-1")


def test_confirming_the_inferred_year_makes_it_the_targets_own():
    doc = extract_path(CORPUS / XIANTAO)
    fixed, outcomes = people.apply_to_document(doc, [correction({"year": 2027})])
    assert [(o.code, o.changed) for o in outcomes] == [("applied", True)]  # the plan as read had no year
    assert (targets(fixed)["机架"]["year"], targets(fixed)["机架"]["year_inferred"]) == (2027, False)


def test_correcting_only_the_value_leaves_the_year_inferred():
    fixed, _ = people.apply_to_document(extract_path(CORPUS / XIANTAO), [correction({"value": 700})])
    row = targets(fixed)["机架"]
    assert (row["value"], row["year"], row["year_inferred"]) == (700, 2027, True)


def test_the_stored_graph_says_inferred_until_a_person_corrects_the_year(tmp_path, bundled_store):
    store = bundled_store.open_copy(tmp_path / "graph.lbdb")
    try:
        def rack():
            rows = run_named(store, "targets-by-year", {"city": "仙桃市"}).as_dicts()
            return next((row["year"], row["year_inferred"]) for row in rows if row["metric"] == "机架")

        assert rack() == (2027, True)
        people.record(store, make_correction(store, "target", why=WHY, who="ann", document=XIANTAO,
                                             action="（四）", metric="机架", values={"year": 2026}))
        assert rack() == (2026, False)
    finally:
        store.close()
