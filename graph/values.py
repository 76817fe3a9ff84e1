"""One shape for nodes, relationships and paths returned by either store.

A node is ``{"~label": "Agency", "~key": "<store key>", **properties}``; a
relationship is ``{"~type": "LEADS", "~start": "<key>", "~end": "<key>", **properties}``.
Keys identify nodes within one result (to draw it as a graph); the ``id``
property is the stable identity shared by both stores.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def _key(internal: dict[str, int]) -> str:
    return f"{internal['table']}:{internal['offset']}"


def embedded_value(value: Any) -> Any:
    if isinstance(value, Decimal):  # LadybugDB sums integers as DECIMAL; Neo4j returns an integer
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:
            properties = {k: embedded_value(v) for k, v in value.items() if not k.startswith("_")}
            return {"~type": value["_LABEL"], "~start": _key(value["_SRC"]), "~end": _key(value["_DST"]),
                    **properties}
        if "_LABEL" in value and "_ID" in value:
            properties = {k: embedded_value(v) for k, v in value.items() if not k.startswith("_") and v is not None}
            return {"~label": value["_LABEL"], "~key": _key(value["_ID"]), **properties}
        if "_nodes" in value and "_rels" in value:
            return {"~path": [embedded_value(n) for n in value["_nodes"]] + [embedded_value(r) for r in value["_rels"]]}
        return {k: embedded_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [embedded_value(v) for v in value]
    return value


def neo4j_value(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        label = next(iter(value.labels), None)
        return {"~label": label, "~key": value.element_id, **{k: neo4j_value(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"~type": value.type, "~start": value.start_node.element_id, "~end": value.end_node.element_id,
                **{k: neo4j_value(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"~path": [neo4j_value(n) for n in value.nodes] + [neo4j_value(r) for r in value.relationships]}
    if isinstance(value, list):
        return [neo4j_value(v) for v in value]
    if isinstance(value, dict):
        return {k: neo4j_value(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j temporal types
        return value.iso_format()
    return value
