"""Reading only the part of the graph some plans use (GraphStore.to_networkx(documents)), on both stores.

The part must be exactly what the network filter keeps of the whole graph for those plans
(views.network's scope), so a page that reads the part shows what it showed from the whole.
"""

from __future__ import annotations

import pytest

from views.network import _in_scope

EZHOU, XIANTAO = "ezhou-ai-action-plan.txt", "xiantao-ai-action-plan-2025-2027.txt"


def plan_ids(store) -> dict[str, str]:
    return {row["source"]: row["id"] for row in store.document_index()}


def edge_set(graph) -> list[tuple]:
    return sorted((u, v, k, tuple(sorted(d.items(), key=str))) for u, v, k, d in graph.edges(keys=True, data=True))


@pytest.mark.parametrize("sources", [(EZHOU,), (XIANTAO,), (EZHOU, XIANTAO)], ids=["ezhou", "xiantao", "both"])
def test_a_plans_part_is_what_the_network_filter_keeps_of_the_whole_graph(seeded, sources):
    ids = [plan_ids(seeded)[source] for source in sources]
    whole = seeded.to_networkx()
    expected = whole.subgraph(_in_scope(whole, ids, None))
    part = seeded.to_networkx(ids)
    assert sorted(part.nodes) == sorted(expected.nodes)
    assert {n: part.nodes[n] for n in part} == {n: expected.nodes[n] for n in expected}
    assert edge_set(part) == edge_set(expected)


def test_one_plans_part_has_its_own_nodes_and_the_shared_ones_it_uses(seeded):
    ids = plan_ids(seeded)
    ezhou, xiantao = seeded.to_networkx([ids[EZHOU]]), seeded.to_networkx([ids[XIANTAO]])
    assert (ezhou.number_of_nodes(), ezhou.number_of_edges()) == (114, 285)
    assert (xiantao.number_of_nodes(), xiantao.number_of_edges()) == (162, 281)
    assert "鄂州市科技局" in ezhou and "鄂州市科技局" not in xiantao
    assert ids[XIANTAO] not in ezhou
    assert not any(d.get("doc_id") == ids[XIANTAO] for _, d in ezhou.nodes(data=True) if d["label"] == "Action")
    # a member of a collective the plan names comes along with its INCLUDES link, and an agency's kind
    assert ezhou.nodes["鄂州市鄂城区人民政府"]["label"] == "Agency"
    assert ezhou.has_edge("鄂州市各区人民政府", "鄂州市鄂城区人民政府", key="INCLUDES")
    assert ezhou.has_edge("鄂州市科技局", "科技局", key="OF_KIND")


def test_both_plans_part_is_the_whole_graph(seeded):
    whole = seeded.to_networkx()
    part = seeded.to_networkx(plan_ids(seeded).values())
    assert (part.number_of_nodes(), part.number_of_edges()) == (whole.number_of_nodes(), whole.number_of_edges())
    labels = [d["label"] for _, d in part.nodes(data=True)]
    assert labels == [d["label"] for _, d in whole.nodes(data=True)], "nodes come label by label, in schema order"


def test_the_part_of_a_plan_that_is_not_there_is_empty(seeded):
    part = seeded.to_networkx(["no-such-plan"])
    assert (part.number_of_nodes(), part.number_of_edges()) == (0, 0)
    assert seeded.to_networkx([]).number_of_nodes() == 0


def test_the_document_index_lists_every_plan_without_its_text(seeded):
    index = seeded.document_index()
    assert [(row["source"], row["city"], row["province"], row["level"], row["published"]) for row in index] == sorted(
        [(EZHOU, "鄂州市", "湖北省", "city", None),
         (XIANTAO, "仙桃市", "湖北省", "city", "2025-08-09")], key=lambda r: plan_ids(seeded)[r[0]])
    assert "text" not in index[0]
    assert [row["id"] for row in index] == sorted(row["id"] for row in index)
    assert {row["source"]: row["title"] for row in index}[XIANTAO] == "仙桃市人工智能产业发展三年行动方案(2025—2027年)"
