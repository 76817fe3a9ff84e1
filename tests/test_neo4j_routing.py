"""Beyond one server: a `neo4j://` routing URI, and reads that see this process's own writes.

Against the Community server the tests share (scripts/neo4j): a routing URI there gets a routing
table that names the one server, so everything a cluster or Aura would route is exercised: the
routing driver, reads sent as READ, writes as WRITE, bookmarks carried from one session to the next.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from graph.loading import load_files
from tests.stores import neo4j_available

PLAN = ("宜昌市算力设施建设行动方案\n一、重点任务\n（一）建设算力平台。在点军区建设长江智算产业园。"
        "（牵头单位：市发改委；责任单位：市数据局、市科技局）\n"
        "（二）培育应用场景。（牵头单位：市经信局；责任单位：市数据局）\n")


def routing_uri() -> str:
    parts = urlsplit(os.environ["NEO4J_URI"])
    return urlunsplit(("neo4j", parts.netloc, parts.path, parts.query, parts.fragment))


@pytest.fixture
def routed(tmp_path):
    if not neo4j_available():
        if os.environ.get("POLICYKG_REQUIRE_NEO4J") == "1":
            pytest.fail("POLICYKG_REQUIRE_NEO4J=1 but NEO4J_URI is not set: start it with scripts/neo4j start")
        pytest.skip("no Neo4j server (scripts/neo4j start)")
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(routing_uri(), os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                       os.environ.get("NEO4J_DATABASE") or None)
    store.clear(corrections=True)
    (tmp_path / "yichang.txt").write_text(PLAN, encoding="utf-8")
    yield store, tmp_path / "yichang.txt"
    store.clear(corrections=True)
    store.close()


def test_a_routing_uri_loads_and_answers_through_the_routing_driver(routed):
    store, plan = routed
    assert store.uri.startswith("neo4j://") and type(store._driver).__name__ == "Neo4jDriver"
    report = load_files(store, [plan])
    assert (report.loaded, report.errors) == (1, [])
    rows = store.run_read("MATCH (a:Agency)-[:LEADS]->(x:Action) RETURN a.name AS lead, x.number AS item "
                          "ORDER BY item").rows
    assert rows == [["宜昌市发改委", "（一）"], ["宜昌市经信局", "（二）"]]


def test_every_session_of_a_process_carries_its_last_write_s_bookmark(routed):
    """On a cluster, a read in a new session is served by a member that may lag; the bookmark makes it
    wait for this process's writes. Two stores of one server share the driver and its bookmarks."""
    from graph.neo4j_store import Neo4jStore

    store, plan = routed
    before = set(store._bookmarks.get_bookmarks())
    load_files(store, [plan])
    after = set(store._bookmarks.get_bookmarks())
    assert after and after != before
    other = Neo4jStore(store.uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                       os.environ.get("NEO4J_DATABASE") or None)
    assert other._bookmarks is store._bookmarks
    assert other.run_read("MATCH (d:Document) RETURN count(d) AS n").rows == [[1]]
