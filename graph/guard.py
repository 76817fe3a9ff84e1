"""Read-only guard for people's Cypher: refuse anything that writes before it reaches a store.

The stores enforce read-only access themselves (a read-only embedded database,
Neo4j's READ access mode and the planner's query type); this guard gives the
same plain message on both and also refuses clauses that read files (LOAD CSV,
COPY) or change the database (CREATE INDEX, INSTALL, ATTACH).

>>> check_read_only("MATCH (a:Agency) WHERE a.name = 'SET' RETURN a")
>>> check_read_only("MATCH (a) DETACH DELETE a")
Traceback (most recent call last):
...
graph.errors.ReadOnlyError: policykg cypher is read-only: DELETE is not allowed
"""

from __future__ import annotations

import re

from graph.errors import ReadOnlyError

WRITE_CLAUSES = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "LOAD", "COPY",
                 "INSTALL", "ATTACH", "DETACH", "IMPORT", "EXPORT", "FOREACH", "GRANT", "REVOKE", "DENY",
                 "CHECKPOINT", "USE")
# Procedures are refused unless known to only read; CALL { … } subqueries are checked like any query.
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization", "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties", "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
    "show_tables", "table_info", "show_connection", "query_fts_index",
})
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)", re.I)
_STRINGS_AND_COMMENTS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_WORD = re.compile(r"(?<![.\w$:])([A-Za-z_]+)(?!\s*:)")


def check_read_only(query: str) -> None:
    """Raise :class:`ReadOnlyError` if ``query`` contains a clause that writes or reads files."""
    bare = _STRINGS_AND_COMMENTS.sub(" ", query)
    for match in _WORD.finditer(bare):
        word = match.group(1).upper()
        if word in WRITE_CLAUSES:
            raise ReadOnlyError(f"policykg cypher is read-only: {word} is not allowed")
    for match in _CALL.finditer(bare):
        if match.group(1).lower() not in READ_PROCEDURES:
            raise ReadOnlyError(f"policykg cypher is read-only: procedure {match.group(1)} is not allowed "
                                f"(allowed: {', '.join(sorted(READ_PROCEDURES))})")
