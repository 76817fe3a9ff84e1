"""The graph does not depend on the order documents are loaded in, and no unit is shared by two governments.

Three invented plans: 宜昌 and 襄阳 both name a 高新区管委会 (no city prefix) and the national
国家发展改革委; two 宜昌 plans name the same park and district, each with its own provenance.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.loading import load_files
from graph.store import GraphStore
from queries.runner import run_named
from tests.stores import STORE_KINDS, open_test_store

PLANS = {
    "yichang-a.txt": "宜昌市数字经济发展行动方案\n一、重点任务\n（一）建设算力平台。在点军区建设长江智算产业园，"
                     "推动国家发展改革委支持项目落地。（牵头单位：高新区管委会、国家发展改革委；"
                     "责任单位：市科技局、各区人民政府）\n",
    "xiangyang.txt": "襄阳市数字经济发展行动方案\n一、重点任务\n（一）培育数据产业。在樊城区建设汉江数据产业园。"
                     "（牵头单位：高新区管委会；责任单位：市数据局、国家发展改革委）\n",
    "yichang-c.txt": "宜昌市人工智能产业行动方案\n一、重点任务\n（一）扩大算力供给。推动长江智算产业园扩容，"
                     "打造点军区算力高地。（牵头单位：市发改委；责任单位：高新区管委会）\n",
}


@pytest.fixture
def plan_paths(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "plans"
    folder.mkdir()
    paths = {}
    for name, text in PLANS.items():
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def snapshot(store: GraphStore) -> tuple[dict, list]:
    """Every node and relationship with every property, in an order of its own."""
    graph = store.to_networkx()
    nodes = {key: dict(sorted(data.items())) for key, data in graph.nodes(data=True)}
    edges = sorted((a, b, key, sorted(data.items(), key=lambda item: item[0]))
                   for a, b, key, data in graph.edges(keys=True, data=True))
    return nodes, [repr(edge) for edge in edges]


def load_in_order(store: GraphStore, paths: list[Path]) -> None:
    for path in paths:
        report = load_files(store, [path])
        assert report.errors == []


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_loading_in_reverse_order_gives_the_same_graph(kind, plan_paths, tmp_path):
    forward = list(plan_paths.values())
    store = open_test_store(kind, tmp_path / "one")
    try:
        load_in_order(store, forward)
        first = snapshot(store)
        if kind == "neo4j":
            store.clear()
            second_store = store
        else:
            second_store = open_test_store(kind, tmp_path / "two")
        load_in_order(second_store, list(reversed(forward)))
        assert snapshot(second_store) == first
        load_in_order(second_store, forward)  # reloading what is there changes nothing
        assert snapshot(second_store) == first
        if second_store is not store:
            second_store.close()
    finally:
        store.close()


def test_a_batch_load_equals_loading_one_by_one(plan_paths, tmp_path):
    """The embedded store writes a batch of documents as one set (merge_records): same graph."""
    one_by_one = open_test_store("embedded", tmp_path / "one")
    batch = open_test_store("embedded", tmp_path / "batch")
    try:
        load_in_order(one_by_one, list(reversed(plan_paths.values())))
        assert load_files(batch, [next(iter(plan_paths.values())).parent]).errors == []
        assert snapshot(batch) == snapshot(one_by_one)
    finally:
        one_by_one.close()
        batch.close()


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_unit_without_a_city_prefix_belongs_to_its_plans_government(kind, plan_paths, tmp_path):
    store = open_test_store(kind, tmp_path)
    try:
        load_in_order(store, list(plan_paths.values()))
        rows = store.run_read("MATCH (a:Agency) WHERE a.name = '高新区管委会' RETURN a.id, a.city ORDER BY a.id").rows
        assert rows == [["宜昌市高新区管委会", "宜昌市"], ["襄阳市高新区管委会", "襄阳市"]]
        led = run_named(store, "actions-led-by", {"agency": "高新区管委会", "city": "襄阳市"})
        assert [(row["city"], row["action"]) for row in led.as_dicts()] == [("襄阳市", "培育数据产业")]
        national = store.run_read("MATCH (a:Agency {name: '国家发展改革委'}) RETURN a.id, a.city").rows
        assert national == [["国家发展改革委", None]]
    finally:
        store.close()


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_a_shared_park_keeps_the_provenance_of_the_first_document_by_id(kind, plan_paths, tmp_path):
    store = open_test_store(kind, tmp_path)
    try:
        load_in_order(store, [plan_paths["yichang-c.txt"], plan_paths["yichang-a.txt"]])
        documents = dict(store.run_read("MATCH (d:Document) RETURN d.source, d.id").rows)
        park = store.run_read("MATCH (p:Park {id: '宜昌市/长江智算产业园'}) RETURN p.doc_id, p.quote").rows
        earliest = min(documents["yichang-a.txt"], documents["yichang-c.txt"])
        assert park[0][0] == earliest
        source = next(name for name, doc_id in documents.items() if doc_id == earliest)
        assert park[0][1] in PLANS[source]
    finally:
        store.close()
