"""The Cypher that writes records, generated once from the schema and shared by both stores.

Labels and relationship types come from :mod:`graph.schema` (identifiers we
own); every value travels as a parameter, in batches, through ``UNWIND``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from graph import schema


@cache
def merge_nodes(label: str, keys: tuple[str, ...], rows: str = "$rows", *, load_from: bool = False) -> str:
    """``UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n.k = r.k, …`` for the given property keys.

    ``rows`` is the parameter holding the rows: a list of maps to unwind (``$rows``, or
    ``$groups.Action`` for the Neo4j store's one statement per document), or with
    ``load_from`` a table whose columns are the keys (LadybugDB's ``LOAD FROM $rows``).
    """
    source, value = _row_source(rows, load_from)
    merge = f"{source} MERGE (n:{_check_label(label)} {{id: {value('id')}}})"
    return merge + _sets("n", [key for key in keys if key != "id"], value, rows, load_from,
                         schema.NODES[label].earliest_wins)


@cache
def merge_relationships(rel_type: str, start_label: str, end_label: str, keys: tuple[str, ...],
                        rows: str = "$rows", *, load_from: bool = False) -> str:
    """Match both ends by id, merge the relationship, set its properties (``rows`` as for :func:`merge_nodes`)."""
    if (start_label, end_label) not in schema.RELATIONSHIPS[rel_type].pairs:
        raise ValueError(f"{rel_type} does not connect {start_label} to {end_label}")
    source, value = _row_source(rows, load_from)
    merge = (f"{source} MATCH (a:{start_label} {{id: {value('from_id')}}}) "
             f"MATCH (b:{end_label} {{id: {value('to_id')}}}) MERGE (a)-[x:{rel_type}]->(b)")
    return merge + _sets("x", list(keys), value, rows, load_from, schema.RELATIONSHIPS[rel_type].earliest_wins)


def _sets(variable: str, keys: list[str], value: Callable[[str], str], rows: str, load_from: bool,
          earliest_wins: bool) -> str:
    """`` SET v.k = <value>, …``; for what several documents share, only when this row's document
    comes first (smallest ``doc_id``), so the stored values never depend on load order."""
    if not keys:
        return ""
    if not earliest_wins:
        return " SET " + ", ".join(f"{variable}.{key} = {value(key)}" for key in keys)
    # The comparison is made once, before any property changes (SET items apply in order).
    carried = ", ".join(value(key) for key in keys) if load_from else "r"  # LOAD FROM's columns are variables
    first = f"({variable}.doc_id IS NULL OR {value('doc_id')} <= {variable}.doc_id) AS earliest"
    sets = ", ".join(f"{variable}.{key} = CASE WHEN earliest THEN {value(key)} ELSE {variable}.{key} END"
                     for key in keys)
    return f" WITH {variable}, {carried}, {first} SET {sets}"


def _row_source(rows: str, load_from: bool) -> tuple[str, Callable[[str], str]]:
    """The clause that yields the rows, and how a row's value for a key is written."""
    if load_from:
        # Columns are variables in scope; quoted, because some keys (type, value, path) are keywords.
        return f"LOAD FROM {rows}", lambda key: f"`{key}`"
    return f"UNWIND {rows} AS r", lambda key: f"r.{key}"


def relationship_group_name(rel_type: str, start_label: str, end_label: str) -> str:
    """The name of one relationship group, e.g. ``MENTIONS_Action_Park``."""
    return f"{rel_type}_{start_label}_{end_label}"


RELATIONSHIP_GROUPS: tuple[tuple[str, str, str], ...] = tuple(
    (rel_type, start, end) for rel_type, model in schema.RELATIONSHIPS.items() for start, end in model.pairs
)


def _check_label(label: str) -> str:
    if label not in schema.NODES:
        raise ValueError(f"unknown node label {label!r}")
    return label


AGENCY_ALIASES = "MATCH (a:Agency) WHERE a.id IN $ids RETURN a.id, a.aliases"
DOCUMENT_IDS = "MATCH (d:Document) RETURN d.id ORDER BY d.id"
DOCUMENT_GOVERNMENT = "MATCH (d:Document {id: $id}) RETURN d.city, d.province, d.level"

# The change stamp (GraphStore.data_version): one node outside the schema's labels, bumped by
# every load and clear. A counter, not a time: clocks of two machines need not agree.
STAMP_LABEL = "PolicykgStamp"
BUMP_STAMP = f"MERGE (s:{STAMP_LABEL} {{id: 'graph'}}) SET s.version = coalesce(s.version, 0) + 1"
READ_STAMP = f"MATCH (s:{STAMP_LABEL}) RETURN s.version"
