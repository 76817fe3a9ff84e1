"""Both stores write the schema, the whole schema and nothing but the schema.

Every label and every relationship type, every property set to a value that is not its
default, is written and read back unchanged on both stores; and a field added to a model
reaches both stores' DDL, merge statements and stored graph with no other change.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import Field

from graph import schema, statements
from graph.records import GraphRecords, RelRecord
from tests.stores import STORE_KINDS, open_test_store

# Quotes, a backslash, a brace, a newline and Chinese: a value built into the text would break.
AWKWARD = "甲'乙\"丙\\丁{x}\n戊"


def value_for(model: type, name: str, kind: str, seed: int) -> Any:
    """A value of the property's type that differs from its default, different for every seed."""
    field = model.model_fields[name]
    default = field.get_default(call_default_factory=True)
    if kind == "BOOLEAN":
        return not default
    if kind == "INT64":
        return 5_000_000_000 + seed  # past 32 bits
    if kind == "DOUBLE":
        return 0.25 + seed
    if kind == "STRING":
        return f"{model.__name__}.{name}#{seed} {AWKWARD}"
    if kind == "INT64[]":
        return [seed + 9, seed + 1]  # not sorted: a list keeps its order unless declared UNION
    if kind == "STRING[]":
        return [f"乙{seed}", f"甲{seed} {AWKWARD}", f"乙{seed}"]
    raise AssertionError(f"no test value for {kind}")


def stored_form(model: type, name: str, value: Any) -> Any:
    """What the store keeps of a value written once: UNION lists united (each value once, sorted)."""
    return schema.union_lists(value) if name in schema.united(model) else value


def every_label_and_type() -> tuple[GraphRecords, dict, dict]:
    """Records of one node per label and one relationship per type and pair, every property set,
    and what each should read back as."""
    records = GraphRecords(doc_id="roundtrip")
    expected_nodes: dict[str, dict[str, Any]] = {}
    for seed, (label, model) in enumerate(schema.NODES.items()):
        row = {name: value_for(model, name, kind, seed) for name, kind in schema.properties(model).items()}
        row[schema.key(model)] = f"{label} {AWKWARD}"
        for name, value in row.items():
            assert value != model.model_fields[name].get_default(call_default_factory=True), (label, name)
        records.nodes[label].append(row)
        expected_nodes[label] = {name: stored_form(model, name, value) for name, value in row.items()}
    expected_rels: dict[tuple[str, str, str], dict[str, Any]] = {}
    seed = 100
    for rel_type, model in schema.RELATIONSHIPS.items():
        for start, end in model.pairs:
            seed += 1
            properties = {name: value_for(model, name, kind, seed) for name, kind in schema.properties(model).items()}
            records.relationships[rel_type].append(RelRecord(
                start, expected_nodes[start]["id"], end, expected_nodes[end]["id"], properties))
            expected_rels[(rel_type, start, end)] = {name: stored_form(model, name, value)
                                                     for name, value in properties.items()}
    return records, expected_nodes, expected_rels


def read_nodes(store, label: str, model: type) -> list[dict[str, Any]]:
    names = list(schema.properties(model))
    rows = store.read_all(f"MATCH (n:{label}) RETURN " + ", ".join(f"n.{name}" for name in names))
    return [dict(zip(names, row, strict=True)) for row in rows]


def read_relationships(store, rel_type: str, start: str, end: str) -> list[dict[str, Any]]:
    names = list(schema.properties(schema.RELATIONSHIPS[rel_type]))
    returns = "".join(f", x.{name}" for name in names)
    rows = store.read_all(f"MATCH (a:{start})-[x:{rel_type}]->(b:{end}) RETURN a.id, b.id{returns}")
    return [{"from": row[0], "to": row[1], **dict(zip(names, row[2:], strict=True))} for row in rows]


@pytest.fixture(params=STORE_KINDS)
def kind(request):
    return request.param


def test_every_label_and_relationship_type_reads_back_every_property_exactly(kind, tmp_path):
    records, expected_nodes, expected_rels = every_label_and_type()
    store = open_test_store(kind, tmp_path)
    try:
        for _ in range(2):  # a reload of the same records changes nothing
            store.load(records)
            for label, model in schema.NODES.items():
                assert read_nodes(store, label, model) == [expected_nodes[label]], label
            for (rel_type, start, end), properties in expected_rels.items():
                ends = {"from": expected_nodes[start]["id"], "to": expected_nodes[end]["id"]}
                assert read_relationships(store, rel_type, start, end) == [{**ends, **properties}], (rel_type, start)
    finally:
        store.close()


class WiderAgency(schema.Agency):
    """Agency with two fields more: a scalar looked up by value, and a list documents add to."""

    budget: float | None = Field(None, json_schema_extra=schema.INDEX)
    offices: list[str] = Field(default_factory=list, json_schema_extra=schema.UNION)


def test_a_field_added_to_a_model_is_in_both_stores_ddl_and_merge_statements():
    neo4j_ddl = statements.neo4j_ddl([WiderAgency])
    assert "CREATE INDEX agency_budget IF NOT EXISTS FOR (n:Agency) ON (n.budget)" in neo4j_ddl
    [table, *_] = statements.ladybug_ddl([WiderAgency], [])
    assert "budget DOUBLE" in table and "offices STRING[]" in table
    present = {"Agency": set(schema.properties(schema.Agency))}
    assert statements.ladybug_added_columns(present, statements.ladybug_columns([WiderAgency], [])) == [
        "ALTER TABLE Agency ADD budget DOUBLE", "ALTER TABLE Agency ADD offices STRING[]"]
    neo4j_merge = statements.merge_nodes(WiderAgency)
    assert "n.budget = r.budget" in neo4j_merge
    assert "UNWIND coalesce(n.offices, []) + coalesce(r.offices, [])" in neo4j_merge
    ladybug_merge = statements.merge_nodes(WiderAgency, store_kind=statements.LADYBUG)
    assert "n.budget = `budget`" in ladybug_merge
    assert "list_concat(coalesce(n.offices, CAST([] AS STRING[])), coalesce(`offices`" in ladybug_merge
    # the field is nowhere in the statements of the schema as it is
    assert "budget" not in " ".join([*statements.neo4j_ddl(), *statements.ladybug_ddl(),
                                     statements.merge_nodes(schema.Agency)])


def test_a_field_added_to_a_model_is_written_and_read_back_by_both_stores(kind, tmp_path, monkeypatch):
    if kind == "embedded":  # a database made before the field existed gains its column when opened
        open_test_store(kind, tmp_path).close()
    monkeypatch.setitem(schema.NODES, "Agency", WiderAgency)
    store = open_test_store(kind, tmp_path)
    try:
        for budget, offices in ((1.5, ["乙处", "甲处"]), (2.5, ["丙处", "甲处"])):  # two documents name it
            records = GraphRecords(doc_id="wider")
            records.nodes["Agency"].append(WiderAgency(id="宜昌市科技局", name="宜昌市科技局", aliases=["市科技局"],
                                                       budget=budget, offices=offices).model_dump())
            store.load(records)
        rows = store.read_all("MATCH (a:Agency) RETURN a.budget, a.offices, a.aliases")
        assert rows == [[2.5, ["丙处", "乙处", "甲处"], ["市科技局"]]]
        assert store.to_networkx().nodes["宜昌市科技局"]["offices"] == ["丙处", "乙处", "甲处"]
    finally:
        if kind == "neo4j":  # the index the wider model declared is not the real schema's
            with store._driver.session(database=store.database) as session:
                session.run("DROP INDEX agency_budget IF EXISTS").consume()
        store.close()
