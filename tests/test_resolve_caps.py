"""No silent caps: names resolve in the store whatever the number of units, and policykg's own
reads raise at their row cap instead of answering from part of the rows; on both stores."""

from __future__ import annotations

import pytest

from graph import store as store_module
from graph.errors import RowCapExceeded
from graph.records import GraphRecords
from queries import resolve
from queries.resolve import QueryParameterError
from queries.runner import run_named
from tests.stores import STORE_KINDS, open_test_store

UNITS = 12
CAP = 5  # policykg's own reads stop here in these tests: far fewer rows than the graph's units


def many_units() -> GraphRecords:
    """One 宜昌 plan whose one action is led by UNITS units, 宜昌市单位00 … 宜昌市单位11 (written 单位00 …)."""
    from graph import schema

    records = GraphRecords(doc_id="d-many")
    records.add_node(schema.Document(id="d-many", source="many.txt", city="宜昌市", text="一、任务"))
    records.add_node(schema.Action(id="d-many-a1", number="（一）", kind="action", title="建设平台", text="建设平台。",
                                   section=[], city="宜昌市", seq=1, doc_id="d-many"))
    records.add_rel("HAS_ACTION", "Document", "d-many", "Action", "d-many-a1")
    for number in range(UNITS):
        unit = f"宜昌市单位{number:02d}"
        records.add_node(schema.Agency(id=unit, name=unit, aliases=[f"单位{number:02d}"], city="宜昌市"))
        records.add_rel("LEADS", "Agency", unit, "Action", "d-many-a1", basis="explicit", rank=number + 1,
                        doc_id="d-many")
    return records


@pytest.fixture(params=STORE_KINDS)
def capped(request, tmp_path, monkeypatch):
    """A store holding more units than the cap of policykg's own reads."""
    store = open_test_store(request.param, tmp_path)
    store.load(many_units())
    monkeypatch.setattr(store_module, "INTERNAL_ROW_CAP", CAP)
    yield store
    store.close()


def test_a_name_that_sorts_last_resolves_past_the_cap(capped):
    last = f"宜昌市单位{UNITS - 1:02d}"
    assert resolve.resolve_agency(capped, last) == [last]
    assert resolve.resolve_agency(capped, f"单位{UNITS - 1:02d}", "宜昌市") == [last]  # as written, in its city
    led = run_named(capped, "actions-led-by", {"agency": f"单位{UNITS - 1:02d}", "city": "宜昌"}, row_cap=CAP)
    assert [row["agency"] for row in led.as_dicts()] == [last]


def test_the_closest_names_are_ranked_in_the_store_not_cut_from_a_whole_table(capped, monkeypatch):
    monkeypatch.setattr(resolve, "SUGGESTION_POOL", 3)
    with pytest.raises(QueryParameterError, match=f"no agency named '宜昌市单位{UNITS - 1:02d}号'; closest: "
                                                  f"宜昌市单位{UNITS - 1:02d}"):
        resolve.resolve_agency(capped, f"宜昌市单位{UNITS - 1:02d}号")


def test_an_internal_read_over_the_cap_raises(capped):
    with pytest.raises(RowCapExceeded, match=f"more than {CAP} rows"):
        capped.read_all("MATCH (a:Agency) RETURN a.id")
    with pytest.raises(RowCapExceeded):
        capped.to_networkx()
    assert len(capped.read_all("MATCH (a:Agency) RETURN a.id LIMIT $n", {"n": CAP})) == CAP  # at the cap: all of it
    # People's queries are still cut at their own cap, and say so.
    result = capped.run_read("MATCH (a:Agency) RETURN a.id", row_cap=CAP)
    assert result.truncated and len(result.rows) == CAP


def test_every_resolver_finds_by_where_and_suggests_near_misses(seeded):
    assert resolve.resolve_city(seeded, "鄂州") == "鄂州市"
    assert resolve.resolve_kind(seeded, "SCIENCE AND TECHNOLOGY BUREAU") == ["科技局"]
    assert len(resolve.resolve_document(seeded, "ezhou-ai-action-plan")) == 1
    assert resolve.resolve_document(seeded, "仙桃") == resolve.resolve_document(seeded, "xiantao")
    assert resolve.resolve_district(seeded, "临空", "鄂州市") == ["鄂州市/临空经济区"]
    assert len(resolve.resolve_action(seeded, "做强核心创新平台")) == 1
    misses = [
        (resolve.resolve_city, "鄂洲市", "鄂州市"),
        (resolve.resolve_kind, "科技厅", "科技局"),
        (resolve.resolve_document, "ezhou-ai-plan", "ezhou-ai-action-plan.txt"),
        (resolve.resolve_district, "临空经济开发区", "临空经济区"),
        (resolve.resolve_action, "做强核心创新基地", "做强核心创新平台"),
    ]
    for resolver, value, suggested in misses:
        with pytest.raises(QueryParameterError, match=f"closest: .*{suggested}"):
            resolver(seeded, value)


TRADITIONAL_PLAN = ("洛陽市推進人工智能行動實施方案\n一、重點任務\n"
                    "(一)建設數據平台。(牽頭單位:市數據局;責任單位:市財政局)\n")


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_unit_written_in_traditional_characters_is_found_by_its_simplified_form(kind, tmp_path):
    from graph.loading import load_plans
    from loaders import extract_text

    store = open_test_store(kind, tmp_path)
    try:
        doc = extract_text(TRADITIONAL_PLAN, "luoyang.txt")
        assert load_plans(store, [("luoyang.txt", lambda: doc)]).errors == []
        wanted = resolve.resolve_agency(store, "洛阳市数据局")  # the canonical name
        assert resolve.resolve_agency(store, "市數據局") == wanted  # as written
        assert resolve.resolve_agency(store, "市数据局") == wanted  # as written, typed in simplified characters
        assert resolve.resolve_agency(store, "市数据局", "洛阳市") == wanted
    finally:
        store.close()
