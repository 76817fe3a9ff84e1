"""A grown embedded graph moves to a Neo4j server: `policykg export --format csv`, then the
`neo4j-admin database import full` its import.txt says, run through `scripts/neo4j admin`.

A Neo4j home of its own (POLICYKG_NEO4J_HOME in tmp_path, its own ports), so the server the other
tests share is untouched: the import needs a stopped database. The jars come from the local Maven
repository that `scripts/neo4j start` filled (CI starts the shared server first).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import free_port
from tests.stores import SEED_COUNTS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j"
PASSWORD = "policykg-import-test"


@pytest.fixture
def server_home(tmp_path):
    if shutil.which("java") is None or shutil.which("mvn") is None:
        if os.environ.get("POLICYKG_REQUIRE_NEO4J") == "1":
            pytest.fail("POLICYKG_REQUIRE_NEO4J=1 but java or mvn is missing")
        pytest.skip("needs java and mvn (scripts/neo4j)")
    env = {**os.environ, "POLICYKG_NEO4J_HOME": str(tmp_path / "neo4j-home"), "NEO4J_PASSWORD": PASSWORD,
           "NEO4J_BOLT_PORT": str(free_port()), "NEO4J_HTTP_PORT": str(free_port()),
           "NEO4J_HEAP_INITIAL": "256m", "NEO4J_HEAP_MAX": "512m", "NEO4J_PAGECACHE": "64m"}
    yield env
    subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)


def test_an_embedded_graph_exported_as_csv_is_imported_by_neo4j_admin_with_every_node_and_relationship(
        server_home, bundled_store, tmp_path):
    database = bundled_store.copy_to(tmp_path / "graph.lbdb")
    folder = tmp_path / "export"
    exported = subprocess.run([sys.executable, "-m", "policykg", "export", "--format", "csv", "--out", str(folder)],
                              cwd=ROOT, env={**{k: v for k, v in os.environ.items() if k != "NEO4J_URI"},
                                             "POLICYKG_DB": str(database)},
                              capture_output=True, text=True, timeout=120)
    assert exported.returncode == 0, exported.stderr
    command = next(line for line in (folder / "import.txt").read_text(encoding="utf-8").splitlines()
                   if line.startswith("neo4j-admin "))
    words = shlex.split(command)
    imported = subprocess.run([str(SCRIPT), "admin", *words[1:]], cwd=folder, env=server_home,
                              capture_output=True, text=True, timeout=600)
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr[-2000:]
    started = subprocess.run([str(SCRIPT), "start"], env=server_home, capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr[-2000:]

    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(f"bolt://127.0.0.1:{server_home['NEO4J_BOLT_PORT']}", "neo4j", PASSWORD)
    try:
        assert store.counts() == SEED_COUNTS
        leads = store.run_read("MATCH (a:Agency {name: $name})-[l:LEADS]->(x:Action) RETURN count(x) AS n",
                               {"name": "仙桃市科技局"}).rows
        assert leads == [[7]]
    finally:
        store.close()
