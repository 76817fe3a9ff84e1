"""Coordination analytics: the agency network of the seeds, its ranking, and diagrams with Chinese text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import networkx as nx
import pytest

from queries.analytics import coordination_network, rank_agencies
from views.diagram import draw_coordination

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph(seeded):
    return seeded.to_networkx()


def test_coordination_network_links_agencies_by_shared_actions(graph):
    ezhou = coordination_network(graph, city="鄂州市")
    assert ezhou.number_of_nodes() == 25  # the 鄂州 units named in notes; units only expanded are left out
    assert ezhou["鄂州市各区人民政府"]["鄂州市经信局"]["weight"] == 12
    assert ezhou["鄂州市各区人民政府"]["鄂州市科技局"]["weight"] == 10
    assert ezhou.nodes["鄂州市科技局"]["leads"] == 5 and ezhou.nodes["鄂州市科技局"]["explicit_leads"] == 0
    assert "鄂城区人民政府" not in ezhou
    both = coordination_network(graph)
    assert not any(both.has_edge(a, b) for a in ezhou for b in both if b.startswith("仙桃"))
    strong = coordination_network(graph, city="鄂州市", min_weight=10)
    assert sorted(tuple(sorted(edge)) for edge in strong.edges) == [
        ("鄂州市各区人民政府", "鄂州市科技局"), ("鄂州市各区人民政府", "鄂州市经信局")]


DISTRICT_PLAN = """杭州市西湖区数字经济提升行动方案

为加快数字经济发展，制定本方案。

一、重点任务
1.建设数字产业园。新建产业园2个。（牵头单位：区经信局；责任单位：区科技局、市发展改革委）
2.推进公共数据开放。（牵头单位：区数据局；责任单位：区经信局、区科技局）
"""


def test_a_citys_network_holds_the_units_of_its_district_plans_which_belong_to_the_district(tmp_path):
    """A district's plan is its city's (the city filter offers the city), but its 区 units are the
    district's: the city's network, the agencies filter and a plan's units all reach them."""
    from graph.embedded import EmbeddedStore
    from graph.loading import load_files
    from queries import run_named
    from views.matrix import agencies
    from views.network import plan_agencies

    (tmp_path / "xihu.txt").write_text(DISTRICT_PLAN, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        assert load_files(store, [tmp_path / "xihu.txt"]).loaded == 1
        graph = store.to_networkx()
        workload = run_named(store, "agency-workload", {"city": "杭州"})
    finally:
        store.close()
    [doc] = [n for n, d in graph.nodes(data=True) if d["label"] == "Document"]
    assert graph.nodes[doc]["city"] == "杭州市" and graph.nodes["西湖区经信局"]["city"] == "西湖区"
    city = coordination_network(graph, city="杭州市")
    assert sorted(city.nodes) == ["杭州市发改委", "西湖区数据局", "西湖区科技局", "西湖区经信局"]
    assert city["西湖区经信局"]["西湖区科技局"]["weight"] == 2
    assert coordination_network(graph, city="西湖区").number_of_nodes() == 0  # not a plan's city
    assert sorted(agencies(graph, cities=["杭州市"])) == sorted(city.nodes)
    assert sorted(plan_agencies(graph, doc)) == sorted(city.nodes)
    assert [(row[0], row[1], row[3]) for row in workload.rows] == [  # city, agency, leads
        ("西湖区", "西湖区经信局", 1), ("西湖区", "西湖区数据局", 1), ("西湖区", "西湖区科技局", 0),
        ("杭州市", "杭州市发改委", 0)]


def test_ranking_puts_brokers_first_and_communities_are_stable(graph):
    ranks = rank_agencies(coordination_network(graph, city="仙桃市"))
    assert [r.agency for r in ranks[:3]] == ["仙桃市经信局", "仙桃市科技局", "仙桃市政务服务和大数据管理局"]
    top = ranks[0]
    assert (top.leads, top.explicit_leads, top.responsible) == (6, 6, 11)
    again = rank_agencies(coordination_network(graph, city="仙桃市"))
    assert [(r.agency, r.community) for r in again] == [(r.agency, r.community) for r in ranks]
    communities = {r.community for r in ranks}
    assert communities == set(range(len(communities))) and len(communities) >= 2


def test_dollar_signs_in_names_and_title_are_drawn_as_text_not_tex(tmp_path):
    network = nx.Graph()
    for name in ("市$\\frac$局", "区$x^2$办"):  # as TeX, the first one is an error and the second draws x²
        network.add_node(name, name=name, leads=1, explicit_leads=0)
    network.add_edge("市$\\frac$局", "区$x^2$办", weight=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = draw_coordination(network, tmp_path / "dollars.png", title="$\\frac$ 协作")
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("suffix", (".png", ".svg"))
def test_diagrams_render_chinese_labels_without_missing_glyphs(graph, tmp_path, suffix):
    network = coordination_network(graph, city="鄂州市")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" on empty boxes
        out = draw_coordination(network, tmp_path / f"coordination{suffix}", title="鄂州市 机构协作网络")
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG") and len(data) > 50_000
    else:
        text = data.decode("utf-8")
        assert "<svg" in text and ">鄂州市 机构协作网络</text>" in text and ">经信局</text>" in text  # not outlines


def test_analyze_command_prints_ranking_and_writes_graphml(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["POLICYKG_DB"] = str(tmp_path / "db" / "graph.lbdb")
    out = tmp_path / "coordination.graphml"
    result = subprocess.run([sys.executable, "-m", "policykg", "analyze", "coordination", "--city", "仙桃",
                             "--json", "--out", str(out)], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    ranking = json.loads(result.stdout)
    assert ranking["columns"][:3] == ["agency", "city", "leads"]
    assert ranking["rows"][0][:3] == ["仙桃市经信局", "仙桃市", 6]
    written = nx.read_graphml(out)
    assert written.number_of_nodes() == len(ranking["rows"])
