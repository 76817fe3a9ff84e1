"""The one place where Cypher dialects differ.

Named queries are written in Neo4j's Cypher. LadybugDB spells a few things
differently; :func:`for_store` rewrites them:

- ``type(r)`` is ``label(r)`` and ``labels(n)[0]`` is ``label(n)``;
- ``shortestPath((a)-[:T*..6]-(b))`` is ``(a)-[:T* SHORTEST 1..6]-(b)``;
- parameters need a declared type, because a null parameter has none:
  ``$city`` becomes ``CAST($city AS STRING)``.

>>> for_store("MATCH p = shortestPath((a)-[*..6]-(b)) RETURN type(r), $city", "embedded", {"city": "STRING"})
'MATCH p = (a)-[* SHORTEST 1..6]-(b) RETURN label(r), CAST($city AS STRING)'
"""

from __future__ import annotations

import re

_SHORTEST = re.compile(
    r"shortestPath\(\s*(\([^()]*\))\s*-\[\s*((?::[A-Z_|]+)?)\s*\*\s*\.\.(\d+)\s*\]-\s*(\([^()]*\))\s*\)")
_TYPE = re.compile(r"\btype\(")
_FIRST_LABEL = re.compile(r"\blabels\((\w+)\)\[0\]")


def for_store(query: str, store_kind: str, parameter_types: dict[str, str] | None = None) -> str:
    """``query`` (Neo4j Cypher) as the given store kind reads it."""
    if store_kind != "embedded":
        return query
    query = _SHORTEST.sub(lambda m: f"{m.group(1)}-[{m.group(2)}* SHORTEST 1..{m.group(3)}]-{m.group(4)}", query)
    query = _TYPE.sub("label(", query)
    query = _FIRST_LABEL.sub(r"label(\1)", query)
    for name, type_name in (parameter_types or {}).items():
        query = re.sub(rf"\${name}\b", f"CAST(${name} AS {type_name})", query)
    return query
