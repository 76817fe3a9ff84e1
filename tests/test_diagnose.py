"""queries.diagnose: what the engines say of a bad query, read into a kind, a place and the closest names.

The messages are the engines' own: each bad query runs on the embedded store (LadybugDB) and on Neo4j
(the real server of scripts/neo4j; skipped without it), and the diagnosis must point at the same place
on both. A Neo4j query that names an unknown label runs and answers nothing: queries.diagnose reads the
query against the schema instead (``unknown_names``).
"""

from __future__ import annotations

import pytest

from graph.errors import QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError
from queries.diagnose import (
    Diagnosis,
    bound_labels,
    closest,
    diagnose,
    parameter_problem,
    schema_names,
    tokens,
    unknown_names,
    uses,
)
from tests.stores import neo4j_available


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, bundled_store):
    store = bundled_store.open_copy(tmp_path_factory.mktemp("diagnose") / "graph.lbdb")
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo4j():
    """The Neo4j server, only read from (no test here loads or clears it)."""
    if not neo4j_available():
        pytest.skip("no Neo4j server (start one with scripts/neo4j start and eval \"$(scripts/neo4j env)\")")
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore.from_environment()


def engine_diagnosis(store, query: str, params: dict | None = None) -> Diagnosis:
    try:
        store.run_read(query, params or {}, timeout=10, row_cap=10)
    except StoreError as error:
        return diagnose(error, query, given=list(params or {}))
    raise AssertionError(f"{query!r} ran on {store.kind}")


def seen(diagnosis: Diagnosis, query: str) -> tuple:
    return diagnosis.kind, diagnosis.name, diagnosis.position(query), diagnosis.suggestions


# Errors both engines give, with the same answer.
BOTH = [
    ("MATC (a:Agency) RETURN a", ("syntax", "MATC", (1, 1), ("MATCH",))),
    ("MATCH (a:Agency) RETURN a.name AS n ORDER BY n LIMT 3", ("syntax", "LIMT", (1, 48), ("LIMIT",))),
    ("MATCH (a:Agency)\nRETURN b", ("unknown-variable", "b", (2, 8), ("a",))),
    ("MATCH (a:Agency)\nWITH a AS agency\nRETURN agenc.name", ("unknown-variable", "agenc", (3, 8), ("agency",))),
    ("MATCH (a:Agency) RETURN foo(a)", ("unknown-function", "foo", (1, 25), ("floor",))),
    ("MATCH (a:Agency) RETURN tolowr(a.name) LIMIT 1",
     ("unknown-function", "tolowr", (1, 25), ("toLower", "lower", "toFloat"))),
]


@pytest.mark.parametrize("query, expected", BOTH, ids=[q for q, _ in BOTH])
def test_an_embedded_store_error_is_diagnosed_at_its_place(embedded, query, expected):
    assert seen(engine_diagnosis(embedded, query), query) == expected


@pytest.mark.parametrize("query, expected", BOTH, ids=[q for q, _ in BOTH])
def test_a_neo4j_error_is_diagnosed_at_the_same_place(neo4j, query, expected):
    assert seen(engine_diagnosis(neo4j, query), query) == expected


def test_a_missing_parameter_is_found_on_both_engines_with_the_given_names_as_suggestions(embedded, neo4j):
    query = "MATCH (a:Agency) WHERE a.city = $cty RETURN a.name LIMIT 1"
    for store in (embedded, neo4j):
        diagnosis = engine_diagnosis(store, query, {"city": "鄂州市"})
        assert seen(diagnosis, query) == ("missing-parameter", "cty", (1, 34), ("city",)), store.kind
        assert diagnosis.replaced(query, "city") == "MATCH (a:Agency) WHERE a.city = $city RETURN a.name LIMIT 1"


# The embedded store refuses unknown labels, types and properties; Neo4j runs them (next test).
EMBEDDED_ONLY = [
    ("MATCH (a:Agncy) RETURN a LIMIT 1", ("unknown-label", "Agncy", (1, 10), ("Agency", "AgencyKind"))),
    ("MATCH (a:Agency)-[:LEDS]->(x) RETURN a LIMIT 1", ("unknown-relationship", "LEDS", (1, 20), ("LEADS",))),
    ("MATCH (a:Agency)\nRETURN a.nam", ("unknown-property", "nam", (2, 10), ("name",))),
    ("MATCH (a:Agency)-[r:LEADS]->(x:Action) RETURN r.bass LIMIT 1", ("unknown-property", "bass", (1, 49), ("basis",))),
    ("MATCH (x:Action) WHERE x.titel CONTAINS '平台' RETURN x", ("unknown-property", "titel", (1, 26), ("title",))),
]


@pytest.mark.parametrize("query, expected", EMBEDDED_ONLY, ids=[q for q, _ in EMBEDDED_ONLY])
def test_an_unknown_name_the_embedded_store_refuses_gets_the_closest_names(embedded, query, expected):
    assert seen(engine_diagnosis(embedded, query), query) == expected


@pytest.mark.parametrize("query, expected", EMBEDDED_ONLY, ids=[q for q, _ in EMBEDDED_ONLY])
def test_an_unknown_name_neo4j_runs_is_found_in_the_query_itself(neo4j, query, expected):
    neo4j.run_read(query, {}, timeout=10, row_cap=10)  # runs: Neo4j only warns of unknown names
    assert [seen(d, query) for d in unknown_names(query)] == [expected]


def test_the_property_of_a_variable_is_checked_against_its_own_label(embedded):
    query = "MATCH (a:Agency)-[:LEADS]->(x:Action) RETURN a.title"  # Action has a title, Agency has none
    diagnosis = engine_diagnosis(embedded, query)
    assert (diagnosis.kind, diagnosis.of, diagnosis.position(query)) == ("unknown-property", "a (Agency)", (1, 48))
    assert [d.name for d in unknown_names(query)] == ["title"]


def test_a_write_refused_points_at_the_word_that_writes(embedded, neo4j):
    for query, word, place in [("MATCH (a:Agency) DETACH DELETE a", "DETACH", (1, 18)),
                               ("MATCH (a:Agency)\nSET a.name = 'x' RETURN a", "SET", (2, 1)),
                               ("CREATE (a:Agency {id: 'x'}) RETURN a", "CREATE", (1, 1))]:
        for store in (embedded, neo4j):
            diagnosis = engine_diagnosis(store, query)
            assert seen(diagnosis, query) == ("write-refused", word, place, ()), (store.kind, query)


def test_a_timeout_and_a_result_too_large_have_their_kinds_and_no_place():
    for error, kind in [(QueryTimeout("the query ran longer than 1 s and was stopped"), "timeout"),
                        (ResultTooLarge("the result is larger than 64 MB"), "too-large")]:
        diagnosis = diagnose(error, "MATCH (a), (b) RETURN count(*)")
        assert (diagnosis.kind, diagnosis.position("x"), diagnosis.excerpt("x")) == (kind, None, "")


def test_an_error_of_no_known_form_is_other_and_keeps_the_engine_text():
    diagnosis = diagnose(StoreError("Runtime exception: something new"), "RETURN 1")
    assert (diagnosis.kind, diagnosis.engine) == ("other", "Runtime exception: something new")


def test_a_parser_error_without_a_position_falls_back_to_the_names_the_schema_lacks():
    query = "MATCH (a:Agncy) RETURN a"
    diagnosis = diagnose(QuerySyntaxError("Binder exception: something else"), query)
    assert seen(diagnosis, query) == ("unknown-label", "Agncy", (1, 10), ("Agency", "AgencyKind"))


# --------------------------------------------------------------------------------------------- the query read alone

def test_names_inside_strings_and_comments_are_not_names():
    query = "MATCH (a:Agency) // (b:Agncy)\nWHERE a.name = ':Agncy x.titel' RETURN a /* (c:Nope) */"
    assert unknown_names(query) == []
    assert [t.text for t in tokens(query) if t.kind == "string"] == ["':Agncy x.titel'"]


def test_a_map_s_keys_and_a_value_s_fields_are_not_checked_but_a_pattern_s_properties_are():
    assert unknown_names("WITH {nme: 1} AS m UNWIND [m] AS row RETURN row.nme, m.whatever") == []
    [problem] = unknown_names("MATCH (a:Agency {nme: 'x'}) RETURN a")
    assert (problem.kind, problem.name, problem.suggestions) == ("unknown-property", "nme", ("name",))


def test_backquoted_and_alternative_names_are_read():
    query = "MATCH (a:`Agency`)-[r:LEADS|SUPORTS]->(x) RETURN x"
    assert [(u.kind, u.name) for u in uses(query) if u.kind != "variable"] == [
        ("label", "Agency"), ("relationship", "LEADS"), ("relationship", "SUPORTS")]
    assert [(d.name, d.suggestions) for d in unknown_names(query)] == [("SUPORTS", ("SUPPORTS",))]
    assert bound_labels(query) == {"a": {"Agency"}, "r": {"LEADS", "SUPORTS"}, "x": set()}


def test_a_label_in_another_case_is_suggested_first():
    assert closest("agency", schema_names().labels) == ("Agency", "AgencyKind")
    assert closest("leads", schema_names().relationships) == ("LEADS",)
    assert closest("Agency", schema_names().labels) == ("AgencyKind",)  # the name itself is never offered


def test_the_schema_is_graph_schema_s():
    from graph import schema

    names = schema_names()
    assert list(names.labels) == [*schema.NODES, "Correction"]
    assert list(names.relationships) == list(schema.RELATIONSHIPS)
    assert names.labels["Agency"] == tuple(schema.properties(schema.Agency))
    assert names.as_dict()["relationships"]["LEADS"] == list(schema.properties(schema.Leads))


def test_the_excerpt_shows_the_line_of_the_place_with_a_caret_under_the_name():
    query = "MATCH (a:Agency)\n  RETURN a.nam AS n"
    diagnosis = diagnose(QuerySyntaxError("Binder exception: Cannot find property nam for a."), query)
    assert diagnosis.excerpt(query) == "  RETURN a.nam AS n\n           ^^^"
    assert diagnosis.replaced(query, "name") == "MATCH (a:Agency)\n  RETURN a.name AS n"


# --------------------------------------------------------------------------------------------- named queries

@pytest.mark.parametrize("message, given, expected", [
    ("no agency named '市科技厅'; closest: 市科技局, 鄂州市科技局", {"agency": "市科技厅", "city": None},
     ("agency", "agency", "市科技厅", None, ("市科技局", "鄂州市科技局"))),
    ("no agency named '市科技厅' in 鄂州市; closest: 鄂州市科技局", {"to": "市科技厅", "city": "鄂州市"},
     ("agency", "to", "市科技厅", "鄂州市", ("鄂州市科技局",))),
    ("no loaded document is of the city '鄂洲'; closest: 鄂州市", {"city": "鄂洲"},
     ("city", "city", "鄂洲", None, ("鄂州市",))),
    ("no agency kind '科技'", {"kind": "科技"}, ("kind", "kind", "科技", None, ())),
    ("no district named '临空区'; closest: 临空经济区", {"district": "临空区"},
     ("district", "district", "临空区", None, ("临空经济区",))),
    ("year must be a whole number, not 'abc'", {"year": "abc"}, ("number", "year", "abc", None, ())),
    ("agency-path needs --param from=… (one agency)", {}, ("missing", "from", None, None, ())),
    ("actions-led-by has no parameter x (parameters: agency, city)", {"x": 1},
     ("unknown", "x", None, None, ("agency", "city"))),
    ("something else", {}, ("other", None, None, None, ())),
])
def test_a_named_query_s_parameter_problem_is_read_from_the_resolver_s_message(message, given, expected):
    problem = parameter_problem(message, given)
    assert (problem.kind, problem.param, problem.value, problem.within, problem.closest) == expected


def test_the_resolver_s_real_message_is_read(embedded):
    from queries import QueryParameterError, run_named

    with pytest.raises(QueryParameterError) as caught:
        run_named(embedded, "agency-partners", {"agency": "市经信厅", "city": "仙桃市"})
    problem = parameter_problem(str(caught.value), {"agency": "市经信厅", "city": "仙桃市"})
    assert (problem.kind, problem.param, problem.within) == ("agency", "agency", "仙桃市")
    assert problem.closest[0] == "市经信局"
