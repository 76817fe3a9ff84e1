"""The Cypher that writes records, generated once from the schema and shared by both stores.

Labels and relationship types come from :mod:`graph.schema` (identifiers we
own); every value travels as a parameter, in batches, through ``UNWIND``.
"""

from __future__ import annotations

from functools import cache

from graph import schema


@cache
def merge_nodes(label: str, keys: tuple[str, ...]) -> str:
    """``UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n.k = r.k, …`` for the given property keys."""
    sets = ", ".join(f"n.{key} = r.{key}" for key in keys if key != "id")
    return f"UNWIND $rows AS r MERGE (n:{_check_label(label)} {{id: r.id}})" + (f" SET {sets}" if sets else "")


@cache
def merge_relationships(rel_type: str, start_label: str, end_label: str, keys: tuple[str, ...]) -> str:
    """Match both ends by id, merge the relationship, set its properties."""
    if (start_label, end_label) not in schema.RELATIONSHIPS[rel_type].pairs:
        raise ValueError(f"{rel_type} does not connect {start_label} to {end_label}")
    sets = ", ".join(f"x.{key} = r.{key}" for key in keys)
    return (
        f"UNWIND $rows AS r MATCH (a:{start_label} {{id: r.from_id}}) MATCH (b:{end_label} {{id: r.to_id}}) "
        f"MERGE (a)-[x:{rel_type}]->(b)" + (f" SET {sets}" if sets else "")
    )


def _check_label(label: str) -> str:
    if label not in schema.NODES:
        raise ValueError(f"unknown node label {label!r}")
    return label


AGENCY_ALIASES = "MATCH (a:Agency) WHERE a.id IN $ids RETURN a.id, a.aliases"
DOCUMENT_IDS = "MATCH (d:Document) RETURN d.id ORDER BY d.id"
