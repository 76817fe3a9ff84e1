"""Store fixtures shared by the store, query and export tests: the same suite runs on both stores.

The Neo4j store is the real server started by ``scripts/neo4j`` (NEO4J_URI etc. in the
environment). Without it the Neo4j tests skip, except where POLICYKG_REQUIRE_NEO4J=1
(CI), where a missing server is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.loading import BUNDLED_CORPUS, load_files
from graph.store import GraphStore

STORE_KINDS = ("embedded", "neo4j")

#: what the two bundled plans make in a store
SEED_COUNTS = {
    "Document": 2, "Section": 13, "Action": 47, "Agency": 69, "AgencyKind": 27, "District": 11, "Park": 14,
    "Platform": 19, "Organization": 8, "Person": 2, "Target": 45,
    "HAS_SECTION": 13, "HAS_ACTION": 47, "LEADS": 48, "RESPONSIBLE_FOR": 288, "SUPPORTS": 0, "OF_KIND": 46,
    "INCLUDES": 11, "MENTIONS": 64, "SETS_TARGET": 45, "LOCATED_IN": 4,
}


def neo4j_available() -> bool:
    return bool(os.environ.get("NEO4J_URI"))


def open_test_store(kind: str, tmp_path: Path) -> GraphStore:
    if kind == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(tmp_path / "graph.lbdb")
    if not neo4j_available():
        if os.environ.get("POLICYKG_REQUIRE_NEO4J") == "1":
            pytest.fail("POLICYKG_REQUIRE_NEO4J=1 but NEO4J_URI is not set: start it with scripts/neo4j start")
        pytest.skip("no Neo4j server (start one with scripts/neo4j start and eval \"$(scripts/neo4j env)\")")
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore.from_environment()
    store.clear()
    return store


def seeded_store(kind: str, tmp_path: Path) -> GraphStore:
    store = open_test_store(kind, tmp_path)
    report = load_files(store, [BUNDLED_CORPUS])
    assert report.errors == []
    return store
