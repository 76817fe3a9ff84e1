"""One store suite, run against the embedded store and the real Neo4j, with the same answers."""

from __future__ import annotations

import pytest

from graph import schema
from graph.errors import QuerySyntaxError, QueryTimeout, ReadOnlyError
from graph.loading import BUNDLED_CORPUS, load_files
from graph.records import document_records
from loaders import extract_path
from tests.stores import SEED_COUNTS, open_test_store

WRITES = [
    "CREATE (n:Agency {id: 'x', name: 'x'})",
    "MERGE (n:Agency {id: 'x'})",
    "MATCH (a:Agency) SET a.name = 'x'",
    "MATCH (t:Target) DELETE t",
    "MATCH (a:Agency) DETACH DELETE a",
    "MATCH (a:Agency) REMOVE a.kind",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CALL db.createLabel('Hacked')",
]


def leads(store, name):
    return store.run_read(
        "MATCH (a:Agency)-[l:LEADS]->(x:Action) WHERE a.name = $name RETURN x.number AS number, l.basis AS basis "
        "ORDER BY x.seq", {"name": name}).rows


def test_seed_plans_give_exact_node_and_relationship_counts(seeded):
    assert seeded.counts() == SEED_COUNTS


def test_science_bureau_of_ezhou_is_first_listed_on_5_actions(seeded):
    assert leads(seeded, "鄂州市科技局") == [[n, "first-listed"] for n in ("2.", "4.", "5.", "6.", "7.")]


def test_science_bureau_of_xiantao_is_explicit_lead_of_7(seeded):
    assert leads(seeded, "仙桃市科技局") == [
        [n, "explicit"] for n in ("（二）", "（七）", "（十八）", "（十九）", "（二十）", "（二十三）", "（二十五）")]


def test_agencies_keep_kind_aliases_and_provenance(seeded):
    rows = seeded.run_read(
        "MATCH (a:Agency {name: '鄂州市科技局'})-[:OF_KIND]->(k:AgencyKind) "
        "RETURN a.aliases AS aliases, a.city AS city, k.name AS kind, k.name_en AS en").rows
    assert rows == [[["市科技局"], "鄂州市", "科技局", "Science and Technology Bureau"]]
    provenance = seeded.run_read(
        "MATCH (a:Agency {name: '仙桃市发改委'})-[l:LEADS]->(x:Action {number: '（一）'}) "
        "RETURN l.as_written AS written, l.quote AS quote, l.span AS span, l.doc_id = x.doc_id AS same_doc").rows
    assert provenance == [["市发改委", "(牵头单位:市发改委;责任单位:市科技局、市经信局)", provenance[0][2], True]]
    doc_text = seeded.run_read("MATCH (d:Document {id: $id}) RETURN d.text", {"id": _doc_id("xiantao")}).rows[0][0]
    start, end = provenance[0][2]
    assert doc_text[start:end] == "市发改委"


def test_collective_includes_members_the_document_names(seeded):
    rows = seeded.run_read(
        "MATCH (c:Agency {name: '鄂州市各区人民政府'})-[:INCLUDES]->(m:Agency) RETURN m.name ORDER BY m.name").rows
    assert [r[0] for r in rows] == sorted(
        ["鄂城区人民政府", "华容区人民政府", "梁子湖区人民政府", "葛店经开区管委会", "临空经济区管委会"])


def test_reloading_the_same_documents_changes_nothing(seeded):
    before = seeded.counts()
    aliases = seeded.run_read("MATCH (a:Agency) RETURN a.id, a.aliases ORDER BY a.id").rows
    report = load_files(seeded, [BUNDLED_CORPUS])
    assert report.errors == [] and report.added == {}
    assert seeded.counts() == before == SEED_COUNTS
    assert seeded.run_read("MATCH (a:Agency) RETURN a.id, a.aliases ORDER BY a.id").rows == aliases


@pytest.mark.parametrize("kind", ("embedded", "neo4j"))
def test_a_document_that_fails_mid_load_leaves_no_trace_and_a_rerun_completes_it(kind, tmp_path, monkeypatch):
    store = open_test_store(kind, tmp_path)
    try:
        records = document_records(extract_path(BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"))
        write_everything = store._write_records

        def write_then_fail(run, records):
            write_everything(run, records)  # every node and relationship is written in the transaction...
            assert run("MATCH (x:Action) RETURN count(x)", {}) == [[25]]
            raise RuntimeError("disk full (simulated)")  # ...then it fails before the commit

        monkeypatch.setattr(store, "_write_records", write_then_fail)
        with pytest.raises(RuntimeError, match="simulated"):
            store.load(records)
        assert set(store.counts().values()) == {0}
        monkeypatch.undo()
        store.load(records)
        counts = store.counts()
        assert (counts["Document"], counts["Action"], counts["LEADS"]) == (1, 25, 26)
    finally:
        store.close()


@pytest.mark.parametrize("query", WRITES)
def test_every_write_form_is_refused_and_the_graph_is_unchanged(seeded, query):
    with pytest.raises(ReadOnlyError, match="read-only"):
        seeded.run_read(query)
    assert seeded.counts() == SEED_COUNTS


@pytest.mark.parametrize("query", WRITES[:6])
def test_the_store_itself_refuses_writes_the_guard_did_not_see(seeded, query, tmp_path):
    if seeded.kind == "embedded":
        from graph.embedded import EmbeddedStore

        seeded.close()
        reader = EmbeddedStore(seeded.path, read_only=True)
    else:
        reader = seeded
    # LadybugDB has no REMOVE clause: it refuses it as a syntax error, which also writes nothing.
    expected = QuerySyntaxError if (seeded.kind, query.split()[-2]) == ("embedded", "REMOVE") else ReadOnlyError
    try:
        with pytest.raises(expected):
            reader.run_read(query, guard=False)
        assert reader.counts() == SEED_COUNTS
    finally:
        if seeded.kind == "embedded":
            reader.close()
            seeded.__init__(seeded.path)


def test_syntax_errors_are_plain(seeded):
    with pytest.raises(QuerySyntaxError):
        seeded.run_read("MATCH (a:Agency RETURN a")


def test_a_query_past_its_time_limit_is_stopped(seeded):
    with pytest.raises(QueryTimeout, match=r"longer than 0\.5 s"):
        seeded.run_read("UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)", timeout=0.5)


def test_row_cap_truncates_and_says_so(seeded):
    result = seeded.run_read("UNWIND range(1, 20) AS x RETURN x", row_cap=5)
    assert result.rows == [[1], [2], [3], [4], [5]]
    assert result.truncated and result.row_cap == 5 and (result.total, result.total_exact) == (20, True)
    whole = seeded.run_read("UNWIND range(1, 5) AS x RETURN x", row_cap=5)
    assert not whole.truncated and whole.total == 5


def test_a_page_is_the_rows_after_its_offset_with_the_whole_result_s_total(seeded):
    query = "UNWIND range(1, 23) AS x RETURN x ORDER BY x DESC"
    pages = [seeded.run_read(query, row_cap=10, offset=offset) for offset in (0, 10, 20, 30)]
    assert [[row[0] for row in page.rows] for page in pages] == [
        list(range(23, 13, -1)), list(range(13, 3, -1)), [3, 2, 1], []]
    assert [(page.first_row, page.last_row, page.total) for page in pages] == [
        (1, 10, 23), (11, 20, 23), (21, 23, 23), (0, 30, 23)]
    assert all(page.truncated for page in pages)  # each leaves rows out, before it or after it


def test_a_store_that_stops_counting_says_the_total_is_at_least(seeded, monkeypatch):
    import graph.neo4j_store

    if seeded.kind != "neo4j":
        pytest.skip("the embedded store knows its total without reading the rows")
    monkeypatch.setattr(graph.neo4j_store, "COUNT_PAST_PAGE", 7)
    result = seeded.run_read("UNWIND range(1, 100) AS x RETURN x", row_cap=3, offset=2)
    assert [row[0] for row in result.rows] == [3, 4, 5]
    assert (result.total, result.total_exact, result.total_text()) == (12, False, "12+")
    exact = seeded.run_read("UNWIND range(1, 12) AS x RETURN x", row_cap=3, offset=2)
    assert (exact.total, exact.total_exact) == (12, True)


def test_a_page_needs_a_positive_size_and_an_offset_of_zero_or_more(seeded):
    with pytest.raises(ValueError, match="row_cap >= 1 and offset >= 0"):
        seeded.run_read("RETURN 1", row_cap=0)
    with pytest.raises(ValueError, match="row_cap >= 1 and offset >= 0"):
        seeded.run_read("RETURN 1", offset=-1)


def test_to_networkx_gives_the_whole_graph(seeded):
    graph = seeded.to_networkx()
    assert graph.number_of_nodes() == sum(SEED_COUNTS[label] for label in schema.NODES) == 257
    assert graph.number_of_edges() == sum(SEED_COUNTS[rel] for rel in schema.RELATIONSHIPS) == 566
    assert graph.nodes["仙桃市科技局"]["label"] == "Agency"
    edges = graph.get_edge_data("仙桃市科技局", next(
        n for n, d in graph.nodes(data=True) if d["label"] == "Action" and d["number"] == "（二）"
        and d["city"] == "仙桃市"))
    assert edges["LEADS"]["basis"] == "explicit"


def _doc_id(which: str) -> str:
    name = {"xiantao": "xiantao-ai-action-plan-2025-2027.txt", "ezhou": "ezhou-ai-action-plan.txt"}[which]
    return extract_path(BUNDLED_CORPUS / name).id


def test_a_writable_embedded_store_still_reads_in_a_read_only_transaction(tmp_path):
    from graph.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "graph.lbdb") as store:  # writable, as the app holds it
        load_files(store, [BUNDLED_CORPUS])
        with pytest.raises(ReadOnlyError):
            store.run_read("MATCH (a:Agency) SET a.name = 'x'", guard=False)
        assert store.counts() == SEED_COUNTS
        assert store.run_read("MATCH (a:Agency {name: '鄂州市科技局'}) RETURN count(a)").rows == [[1]]


@pytest.mark.parametrize("kind", ("embedded", "neo4j"))
def test_loading_many_keeps_out_only_the_document_that_fails(kind, tmp_path):
    from graph.records import RelRecord

    store = open_test_store(kind, tmp_path)
    try:
        good = document_records(extract_path(BUNDLED_CORPUS / "ezhou-ai-action-plan.txt"))
        bad = document_records(extract_path(BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"))
        bad.relationships["LOCATED_IN"].append(RelRecord("Agency", "仙桃市科技局", "District", "nowhere"))
        outcomes = store.load_many([good, bad])
        assert outcomes[0] is None and isinstance(outcomes[1], ValueError)
        counts = store.counts()
        assert (counts["Document"], counts["Action"], counts["LEADS"]) == (1, 22, 22)
        assert store.run_read("MATCH (a:Agency) WHERE a.city = '仙桃市' RETURN count(a)").rows == [[0]]
    finally:
        store.close()


@pytest.mark.parametrize("kind", ("embedded", "neo4j"))
def test_a_reload_sets_what_the_new_records_say_even_a_null(kind, tmp_path):
    """Later records win, as MERGE … SET does: a property the new extraction lacks is cleared in both stores."""
    store = open_test_store(kind, tmp_path)
    try:
        records = document_records(extract_path(BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"))
        store.load(records)
        assert store.run_read("MATCH (d:Document) RETURN d.issuer").rows == [["仙桃市人民政府"]]
        records.nodes["Document"][0]["issuer"] = None
        store.load(records)
        assert store.run_read("MATCH (d:Document) RETURN d.issuer").rows == [[None]]
    finally:
        store.close()


def test_neo4j_writes_a_document_in_one_statement_covering_every_label_and_group():
    from graph import statements
    from graph.neo4j_store import Neo4jStore, document_statement

    records = document_records(extract_path(BUNDLED_CORPUS / "ezhou-ai-action-plan.txt"))
    sent = []
    Neo4jStore._write_records(None, lambda query, parameters: sent.append((query, parameters)) or [], records)
    assert len(sent) == 1
    query, parameters = sent[0]
    names = [*schema.NODES, *(statements.relationship_group_name(*group) for group in statements.RELATIONSHIP_GROUPS)]
    assert query == document_statement()
    assert query.startswith("CYPHER replan=skip\n")  # a growing graph must not make Neo4j plan it again
    assert sorted(parameters["groups"]) == sorted(names)
    assert [name for name in names if f"UNWIND $groups.{name} AS r" not in query] == []
    assert sum(len(rows) for rows in parameters["groups"].values()) == sum(records.counts().values())
    # the same text and one map parameter for every document: Neo4j plans it once
    assert parameters["groups"]["SUPPORTS_Agency_Action"] == []


@pytest.mark.parametrize("kind", ("embedded", "neo4j"))
def test_a_plan_written_again_without_saying_it_replaces_itself_is_there_once(kind, tmp_path):
    """What a second process loading the same new plan does (its listing of the store predates the first's
    write): the embedded store creates a plan's own relationships, and must still leave one of each."""
    store = open_test_store(kind, tmp_path)
    try:
        records = document_records(extract_path(BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"))
        assert store.load_many([records]) == [None]
        once = store.counts()
        assert records.replaces == set()
        assert store.load_many([records]) == [None]
        assert store.counts() == once
        assert (once["Action"], once["LEADS"], once["RESPONSIBLE_FOR"], once["MENTIONS"]) == (25, 26, 125, 32)
    finally:
        store.close()


@pytest.mark.parametrize("kind", ("embedded", "neo4j"))
def test_a_relationship_a_plan_names_twice_is_one_relationship_with_the_later_properties(kind, tmp_path):
    from dataclasses import replace

    store = open_test_store(kind, tmp_path)
    try:
        records = document_records(extract_path(BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"))
        first = records.relationships["LEADS"][0]
        records.relationships["LEADS"].append(replace(first, properties={**first.properties, "as_written": "again"}))
        store.load(records)
        assert store.counts()["LEADS"] == 26
        rows = store.run_read("MATCH (a:Agency {id: $a})-[l:LEADS]->(x:Action {id: $x}) RETURN l.as_written",
                              {"a": first.start, "x": first.end}).rows
        assert rows == [["again"]]
    finally:
        store.close()
