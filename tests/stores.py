"""Store fixtures shared by the store, query and export tests: the same suite runs on both stores.

The Neo4j store is the real server started by ``scripts/neo4j`` (NEO4J_URI etc. in the
environment). Without it the Neo4j tests skip, except where POLICYKG_REQUIRE_NEO4J=1
(CI), where a missing server is a failure.

The two bundled plans are extracted once per session (:func:`bundled_plans` hands out copies)
and loaded once into an embedded store (the ``bundled_store`` fixture of tests/conftest.py, a
:class:`BundledStore`); a test that needs that store gets a copy of its files, so what it
writes stays in its own copy.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.loading import BUNDLED_CORPUS, LoadReport, load_plans
from graph.store import GraphStore
from loaders import PlanDocument, extract_path, plan_files

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
    store.clear(corrections=True)  # the server's database is shared by the tests: nobody's corrections stay
    return store


# --------------------------------------------------------------------------------------------- the bundled plans

@functools.cache
def _bundled_extractions() -> tuple[tuple[str, PlanDocument], ...]:
    """(source, document) of each bundled plan, in the order ``load_files`` reads them; extracted once."""
    return tuple((str(path), extract_path(path)) for path in plan_files([BUNDLED_CORPUS]))


def bundled_plans() -> dict[str, PlanDocument]:
    """File name -> the bundled plan as ``extract_path`` reads it: a deep copy of the session's
    extraction for each call, so a test may change what it gets."""
    return {Path(source).name: doc.model_copy(deep=True) for source, doc in _bundled_extractions()}


def load_bundled(store: GraphStore) -> LoadReport:
    """Load the two bundled plans as ``load_files(store, [BUNDLED_CORPUS])`` does (the app's first
    start), from the session's extraction instead of reading the files again."""
    plans = [(source, functools.partial(doc.model_copy, deep=True)) for source, doc in _bundled_extractions()]
    return load_plans(store, plans)


def seeded_store(kind: str, tmp_path: Path) -> GraphStore:
    """A store of ``kind`` holding the two bundled plans, loaded now (a Neo4j store is cleared first).

    For an embedded one, a copy of the session's (``bundled_store.open_copy``) is quicker.
    """
    store = open_test_store(kind, tmp_path)
    report = load_bundled(store)
    assert report.errors == []
    return store


# --------------------------------------------------------------------------------------------- copies of a store

def store_files(database: Path) -> list[Path]:
    """The files of the embedded store at ``database`` (``graph.lbdb``): the database and, if there
    are any, its write-ahead log and checkpoint files beside it (``graph.lbdb.wal`` …); never its
    lock file (``graph.lbdb.lock``), which belongs to the processes that have the store open."""
    lock = database.name + ".lock"
    siblings = [Path(name) for name in glob.glob(glob.escape(str(database)) + ".*")]
    return [database, *sorted(path for path in siblings if path.name != lock)]


def copy_store(source: Path, target: Path) -> Path:
    """Copy the closed embedded store at ``source`` to ``target`` (a database path such as
    ``…/graph.lbdb``; nothing may be there yet). Returns ``target``."""
    assert source.is_file(), f"no embedded store at {source}"
    assert not target.exists(), f"{target} already exists"
    target.parent.mkdir(parents=True, exist_ok=True)
    for path in store_files(source):
        shutil.copyfile(path, target.with_name(target.name + path.name[len(source.name):]))
    return target


def remove_store(database: Path) -> None:
    """Delete the embedded store at ``database``: its files and its lock file (it must be closed)."""
    for path in [*store_files(database), database.with_name(database.name + ".lock")]:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class BundledStore:
    """The session's embedded store of the two bundled plans, built once and closed (so checkpointed:
    all of it is in ``path``). Never open it: copy it."""

    path: Path

    def copy_to(self, target: Path) -> Path:
        """A copy of the store at ``target`` (a database path, e.g. ``tmp_path / "graph.lbdb"``)."""
        return copy_store(self.path, target)

    def open_copy(self, target: Path) -> GraphStore:
        """An open, writable EmbeddedStore on a new copy at ``target``."""
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(self.copy_to(target))

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Name, size and modification time of each file: unchanged for as long as nobody opens it."""
        return tuple((path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in store_files(self.path))


def build_bundled_store(database: Path) -> BundledStore:
    """Load the two bundled plans into a new embedded store at ``database`` and close it."""
    from graph.embedded import EmbeddedStore

    store = EmbeddedStore(database)
    try:
        report = load_bundled(store)
        assert report.errors == [] and report.loaded == 2, report
    finally:
        store.close()
    return BundledStore(database)


def graph_snapshot(store: GraphStore) -> tuple[list, list]:
    """Every node and relationship of the graph with every property, sorted: two stores with equal
    snapshots hold the same graph (corrections, which are kept beside the graph, are not in it)."""
    graph = store.to_networkx()
    nodes = sorted((key, sorted((k, repr(v)) for k, v in data.items())) for key, data in graph.nodes(data=True))
    edges = sorted((a, b, kind, sorted((k, repr(v)) for k, v in data.items()))
                   for a, b, kind, data in graph.edges(keys=True, data=True))
    return nodes, edges
