"""The query library: exact answers on the seeds, on both stores, and the same rows from both."""

from __future__ import annotations

import pytest

from queries import load_library, run_named
from queries.library import parse_query_file
from queries.resolve import QueryParameterError
from tests.stores import open_test_store, seeded_store

REQUIRED = ("actions-led-by", "agencies-of-action", "agency-workload", "co-responsibility",
            "actions-without-explicit-lead", "collective-assignments", "targets-by-year", "mentions-of",
            "parks-and-platforms", "district-profile", "compare-cities-by-kind", "agency-path",
            "action-provenance", "documents", "search")


def rows(store, query_name, **params):
    return run_named(store, query_name, params).rows


def test_library_has_every_required_query_with_titles_params_and_examples():
    library = load_library()
    assert set(REQUIRED) <= set(library)
    for query in library.values():
        assert query.title_zh and query.title_en and query.description, query.name
        assert all(p.help_en for p in query.params), query.name
        if query.params:
            assert query.example, query.name


def test_actions_led_by_scoped_and_unscoped(seeded):
    ezhou = rows(seeded, "actions-led-by", agency="市科技局", city="鄂州市")
    assert [(r[0], r[1], r[2], r[4]) for r in ezhou] == [
        ("鄂州市", "鄂州市科技局", n, "first-listed") for n in ("2.", "4.", "5.", "6.", "7.")]
    xiantao = rows(seeded, "actions-led-by", agency="市科技局", city="仙桃")
    assert len(xiantao) == 7 and {r[4] for r in xiantao} == {"explicit"} and {r[1] for r in xiantao} == {"仙桃市科技局"}
    both = rows(seeded, "actions-led-by", agency="市科技局")
    assert len(both) == 12 and {r[1] for r in both} == {"鄂州市科技局", "仙桃市科技局"}
    canonical = rows(seeded, "actions-led-by", agency="仙桃市科技局")
    assert canonical == xiantao


def test_agency_names_accept_traditional_characters(seeded):
    assert len(rows(seeded, "actions-led-by", agency="市科技局".replace("技", "技"), city="鄂州市")) == 5
    assert len(rows(seeded, "actions-led-by", agency="仙桃市經信局")) == 6


def test_unknown_agency_lists_the_closest_names(seeded):
    with pytest.raises(QueryParameterError, match=r"no agency named '市科技厅'; closest: 市科技局"):
        rows(seeded, "actions-led-by", agency="市科技厅")
    with pytest.raises(QueryParameterError, match=r"no loaded document is of the city '武汉市'"):
        rows(seeded, "actions-led-by", agency="市科技局", city="武汉市")


def test_the_closest_names_of_an_unknown_agency_in_a_city_are_that_citys(seeded):
    with pytest.raises(QueryParameterError) as raised:
        rows(seeded, "actions-led-by", agency="市科技厅", city="鄂州市")
    assert raised.value.values["closest"] == ["市科技局", "鄂州市科技局"]
    assert str(raised.value) == "no agency named '市科技厅' in 鄂州市; closest: 市科技局, 鄂州市科技局"


def test_parameter_mistakes_are_plain(seeded):
    with pytest.raises(QueryParameterError, match="actions-led-by needs --param agency"):
        rows(seeded, "actions-led-by")
    with pytest.raises(QueryParameterError, match="has no parameter colour"):
        rows(seeded, "actions-led-by", agency="市科技局", colour="red")
    with pytest.raises(QueryParameterError, match="did you mean actions-led-by"):
        run_named(seeded, "actions-lead-by", {})
    with pytest.raises(QueryParameterError, match="year must be a whole number"):
        rows(seeded, "targets-by-year", year="next")


def test_agencies_of_action_lists_the_note_in_rank_order(seeded):
    result = rows(seeded, "agencies-of-action", action="（一）", document="xiantao")
    assert [(r[3], r[4], r[5], r[6]) for r in result] == [
        (1, "仙桃市发改委", "LEADS", "explicit"), (2, "仙桃市科技局", "RESPONSIBLE_FOR", None),
        (3, "仙桃市经信局", "RESPONSIBLE_FOR", None)]
    by_title = rows(seeded, "agencies-of-action", action="优化空间发展布局")
    assert [r[4] for r in by_title] == [
        "鄂州市发改委", "鄂州市科技局", "鄂州市经信局", "鄂州市各区人民政府", "临空经济区管委会", "华容区人民政府",
        "梁子湖区人民政府", "葛店经开区管委会", "鄂城区人民政府"]
    assert [r[8] for r in by_title][4:] == ["鄂州市各区人民政府"] * 5


def test_agency_workload_shows_where_the_load_falls(seeded):
    result = rows(seeded, "agency-workload", city="仙桃市")
    assert [r[1:8] for r in result[:2]] == [
        ["仙桃市科技局", "agency", 7, 7, 7, 0, 14], ["仙桃市经信局", "agency", 6, 6, 11, 0, 17]]
    ezhou = {r[1]: r[3:] for r in rows(seeded, "agency-workload", city="鄂州市")}
    assert ezhou["鄂州市科技局"] == [5, 0, 5, 0, 10]
    assert ezhou["鄂城区人民政府"] == [0, 0, 20, 0, 20]


def test_co_responsibility_pairs_with_minimum(seeded):
    result = rows(seeded, "co-responsibility", city="鄂州市", min_shared=10)
    assert result == [["鄂州市", "鄂州市各区人民政府", "鄂州市经信局", 12],
                      ["鄂州市", "鄂州市各区人民政府", "鄂州市科技局", 10]]


def test_actions_without_explicit_lead(seeded):
    assert [r[1] for r in rows(seeded, "actions-without-explicit-lead", city="仙桃市")] == [
        "（十一）", "（十二）", "（二十二）"]
    assert len(rows(seeded, "actions-without-explicit-lead")) == 25


def test_collective_assignments_count_named_members(seeded):
    result = rows(seeded, "collective-assignments")
    assert {(r[1], r[5]) for r in result} == {
        ("鄂州市各区人民政府", 5), ("仙桃市各镇街道场区", 6), ("仙桃市各有关地方和部门", 0)}
    assert len(result) == 20 + 10 + 1


def test_targets_by_year(seeded):
    result = rows(seeded, "targets-by-year", year=2027, city="鄂州市")
    assert [(r[2], r[3], r[5], r[6]) for r in result] == [
        ("人工智能产业规模", 80, "亿元", "exceed"), ("省级以上人工智能典型应用场景", 10, "个", None),
        ("省级人工智能创新平台", 3, "家", "at_least"), ("省级人工智能创新平台", 3, "家", "at_least")]
    assert [r[8] for r in result] == [None, None, None, "4."]
    assert [r[10] for r in result] == [False] * 4  # each gives its year (到2027年)
    assert len(rows(seeded, "targets-by-year")) == 45
    xiantao = rows(seeded, "targets-by-year", year=2027, city="仙桃市")
    assert len(xiantao) == 37 and sum(r[10] for r in xiantao) == 12  # 12 take the plan's year: (2025—2027年)
    assert [r[2] for r in xiantao if r[10]][:2] == ["机架", "远期算力规模"]
    ezhou = rows(seeded, "targets-by-year", city="鄂州市")
    assert [(r[0], r[10]) for r in ezhou if r[0] is None] == [(None, False)] * 2  # 鄂州 sets no year before its items


def test_mentions_of_and_parks_and_platforms(seeded):
    assert [(r[0], r[1], r[3]) for r in rows(seeded, "mentions-of", name="莲花山", type="Park")] == [
        ("Park", "莲花山人工智能产业基地", "Action")]
    parks = rows(seeded, "parks-and-platforms", city="鄂州市")
    assert len(parks) == 18
    located = {r[1]: r[3] for r in parks if r[3]}
    assert located == {"莲花山人工智能产业基地": "鄂城区", "葛店泛半导体产业园": "葛店经开区",
                       "鄂城滨江数智经济产业园": "鄂城区", "临空光电子产业园": "临空经济区"}


def test_district_profile(seeded):
    result = sorted(rows(seeded, "district-profile", district="临空经济区"))
    relations = sorted({r[2] for r in result})
    assert relations == ["assigned to 临空经济区管委会", "located here", "mentioned by action"]
    assert ["临空经济区", "鄂州市", "located here", "Park", "临空光电子产业园"] in result


def test_compare_cities_by_kind_in_chinese_or_english(seeded):
    chinese = rows(seeded, "compare-cities-by-kind", kind="科技局")
    assert [r[2:] for r in chinese] == [["仙桃市", "仙桃市科技局", 7, 7, 7, 0], ["鄂州市", "鄂州市科技局", 5, 0, 5, 0]]
    assert rows(seeded, "compare-cities-by-kind", kind="science and technology bureau") == chinese


def test_agency_path_counts_shared_action_steps(seeded):
    result = rows(seeded, "agency-path", **{"from": "鄂州市委组织部", "to": "鄂州市人社局"})
    assert [r[:3] for r in result] == [["鄂州市委组织部", "鄂州市人社局", 1]]
    path = result[0][3]
    assert [n["~label"] for n in path] == ["Agency", "Action", "Agency"]


def test_action_provenance_quotes_the_document(seeded):
    result = rows(seeded, "action-provenance", action="做强核心创新平台")
    assert len(result) == 1
    document, _, number, title, _section, span, quote, note = result[0]
    assert (document, number, title) == ("ezhou-ai-action-plan.txt", "4.", "做强核心创新平台")
    assert quote.startswith("4.做强核心创新平台。") and quote.endswith(note)
    assert span[1] - span[0] == len(quote)


def test_cities_gives_each_government_its_province_plans_actions_and_agencies(seeded):
    assert rows(seeded, "cities") == [["仙桃市", "湖北省", 1, 25, 40], ["鄂州市", "湖北省", 1, 22, 29]]


def test_documents_and_search(seeded):
    assert rows(seeded, "documents") == [
        ["ezhou-ai-action-plan.txt", None, "鄂州市", "city", None, None, 22, 6],
        ["xiantao-ai-action-plan-2025-2027.txt", "仙桃市人工智能产业发展三年行动方案(2025—2027年)", "仙桃市", "city",
         "仙桃市人民政府", "2025-08-09", 25, 39]]
    found = sorted((r[0], r[1]) for r in rows(seeded, "search", text="低空"))
    assert found == [("Action", "人工智能+低空经济"), ("Action", "升级智能网络基础设施"),
                     ("Platform", "低空经济实训基地"), ("Platform", "低空经济高技能人才培养基地"),
                     ("Platform", "低空飞行技术联合研究中心")]


def test_every_named_query_gives_the_same_rows_on_both_stores(tmp_path):
    embedded = seeded_store("embedded", tmp_path)
    neo4j = open_test_store("neo4j", tmp_path)  # skips without a server; fails in CI
    try:
        from graph.loading import BUNDLED_CORPUS, load_files

        load_files(neo4j, [BUNDLED_CORPUS])
        for query in load_library().values():
            a = run_named(embedded, query.name, query.example)
            b = run_named(neo4j, query.name, query.example)
            assert a.columns == b.columns, query.name
            ordered = "ORDER BY" in query.cypher.rsplit("RETURN", 1)[-1]
            # Among several shortest paths each store may return a different one: compare the ends and length.
            paths = [i for i, column in enumerate(a.columns) if column == "path"]
            left, right = (_comparable(_path_ends(rows, paths)) for rows in (a.rows, b.rows))
            if not ordered:
                left, right = sorted(left, key=repr), sorted(right, key=repr)
            assert left == right, query.name
    finally:
        embedded.close()
        neo4j.close()


def _path_ends(rows, columns):
    return [[(v[0]["id"], v[-1]["id"], len(v)) if i in columns else v for i, v in enumerate(row)] for row in rows]


def _comparable(rows):
    """Nodes compare by their stable id, not by the store's internal key."""
    def value(v):
        if isinstance(v, dict) and "~label" in v:
            return ("node", v["~label"], v.get("id"))
        if isinstance(v, list):
            return [value(x) for x in v]
        return v

    return [[value(v) for v in row] for row in rows]


def test_query_files_must_declare_what_they_use(tmp_path):
    bad = tmp_path / "broken.cypher"
    bad.write_text("// name: broken\n// title: 坏 | Broken\n// param: x: string — 某 | x\nRETURN 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="parameter x is declared but not used"):
        parse_query_file(bad)
