"""Exports from either store: GraphML for Gephi/yEd, JSON, neo4j-admin CSV, a Cypher script (graph.export), and
the drawn network as offline HTML (views.draw)."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from graph import schema
from graph.export import ARRAY_DELIMITER, cypher_script, export_graph
from tests.stores import SEED_COUNTS
from views.draw import write_network_html

NODES = sum(SEED_COUNTS[label] for label in schema.NODES)
EDGES = sum(SEED_COUNTS[rel] for rel in schema.RELATIONSHIPS)


@pytest.fixture(scope="module")
def seed_graph(seeded):
    return seeded.to_networkx()


def test_graphml_reads_back_with_every_node_and_edge(seed_graph, tmp_path):
    out = export_graph(seed_graph, "graphml", tmp_path / "g.graphml")[0]
    back = nx.read_graphml(out)
    assert (back.number_of_nodes(), back.number_of_edges()) == (NODES, EDGES)
    assert back.nodes["鄂州市科技局"]["label"] == "Agency"
    assert json.loads(back.nodes["鄂州市科技局"]["aliases"]) == ["市科技局"]


def test_json_lists_nodes_and_relationships_with_properties(seed_graph, tmp_path):
    data = json.loads(export_graph(seed_graph, "json", tmp_path / "g.json")[0].read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["relationships"])) == (NODES, EDGES)
    lead = next(r for r in data["relationships"]
                if r["type"] == "LEADS" and r["start"] == "仙桃市发改委")
    assert lead["properties"]["basis"] == "explicit" and lead["properties"]["as_written"] == "市发改委"


def test_csv_follows_the_neo4j_admin_import_layout(seed_graph, tmp_path):
    files = export_graph(seed_graph, "csv", tmp_path / "csv")
    names = {f.name for f in files}
    assert {"nodes_Agency.csv", "relationships_LEADS_Agency_Action.csv", "import.txt"} <= names
    with (tmp_path / "csv" / "nodes_Agency.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id:ID(Agency)", "name:string", "aliases:string[]", "alias_forms:string[]", "city:string",
                       "kind:string", "type:string", "collective:boolean", "correction:string", ":LABEL"]
    assert len(rows) - 1 == SEED_COUNTS["Agency"]
    with (tmp_path / "csv" / "relationships_LEADS_Agency_Action.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:2] == [":START_ID(Agency)", ":END_ID(Action)"] and header[-1] == ":TYPE"
    command = (tmp_path / "csv" / "import.txt").read_text(encoding="utf-8")
    assert f"--array-delimiter='{ARRAY_DELIMITER}'" in command and "--nodes=Agency=nodes_Agency.csv" in command


def test_cypher_script_recreates_the_same_graph_in_neo4j(seed_graph, tmp_path):
    from tests.stores import open_test_store

    script = cypher_script(seed_graph)
    store = open_test_store("neo4j", tmp_path)  # skips without a server, fails in CI
    try:
        with store._driver.session(database=store.database) as session:
            for statement in script.split(";\n"):
                body = "\n".join(line for line in statement.splitlines() if not line.startswith("//")).strip()
                if body:
                    session.run(body).consume()
        assert store.counts() == SEED_COUNTS
        assert store.to_networkx().nodes["仙桃市科技局"]["aliases"] == ["市科技局"]
    finally:
        store.clear()
        store.close()


def test_html_is_one_offline_page(seed_graph, tmp_path):
    page = write_network_html(seed_graph, tmp_path / "g.html")[0].read_text(encoding="utf-8")
    assert "vis-network" in page or "vis.Network" in page
    for external in ('src="http', "src='http", 'href="http', "href='http", 'src="//', 'href="//'):
        assert external not in page
    assert "鄂州市科技局" in page
