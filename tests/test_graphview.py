"""views.network, views.coordination, views.naming: the subgraphs, searches, names and details the Network
and Coordination pages show.

Exact answers on the two bundled plans (鄂州, 仙桃), in a copy of the session's embedded store of them.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import networkx as nx
import pytest

from queries.analytics import community_of, coordination_network
from views.coordination import coordination_view
from views.draw import render_network_html
from views.naming import cell_text, node_name
from views.network import (
    DEFAULT_LABELS,
    action_document,
    edge_facts,
    filter_graph,
    find_edge,
    labels_present,
    neighbourhood,
    node_properties,
    node_relationships,
    search_nodes,
    sorted_nodes,
    source_quotes,
)

EZHOU_KJ = "鄂州市科技局"
XIANTAO_KJ = "仙桃市科技局"
EZHOU_DOC = "5ebd749b5b99f815"
XIANTAO_DOC = "d33d9538d1cc5e95"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory, bundled_store) -> nx.MultiDiGraph:
    store = bundled_store.open_copy(tmp_path_factory.mktemp("graphview") / "g.lbdb")
    graph = store.to_networkx()
    store.close()
    return graph


def labels(graph: nx.MultiDiGraph) -> Counter:
    return Counter(data["label"] for _, data in graph.nodes(data=True))


def types(graph: nx.MultiDiGraph) -> Counter:
    return Counter(data["type"] for _, _, data in graph.edges(data=True))


# --------------------------------------------------------------------------------------------- filter_graph

def test_default_view_shows_agencies_actions_districts_parks_platforms_of_both_plans(seeds):
    view = filter_graph(seeds)
    assert labels(view) == {"Agency": 69, "Action": 47, "Platform": 19, "Park": 14, "District": 11}
    assert view.number_of_nodes() == 160
    assert types(view) == {"RESPONSIBLE_FOR": 288, "LEADS": 48, "MENTIONS": 52, "INCLUDES": 11, "LOCATED_IN": 4}


def test_collectives_as_written_drop_only_the_derived_role_edges_and_keep_members_by_includes(seeds):
    view = filter_graph(seeds, expand_collectives=False)
    assert view.number_of_nodes() == 160 and view.number_of_edges() == 243
    assert types(view)["RESPONSIBLE_FOR"] == 128
    assert not any(d.get("derived_from") for _, _, d in view.edges(data=True))
    member = "鄂州市鄂城区人民政府"  # a district government, scoped by its city
    assert member in view
    assert [(u, d["type"]) for u, _, d in view.in_edges(member, data=True)] == [("鄂州市各区人民政府", "INCLUDES")]
    assert view.out_degree(member) == 0


def test_every_type_on_request_is_the_whole_graph(seeds):
    view = filter_graph(seeds, labels=None)
    assert view.number_of_nodes() == seeds.number_of_nodes() == 257
    assert view.number_of_edges() == seeds.number_of_edges() == 566
    assert labels_present(seeds) == ["Document", "Section", "Action", "Agency", "AgencyKind", "District", "Park",
                                     "Platform", "Organization", "Person", "Target"]


def test_role_filter_leads_only_keeps_the_48_leads_and_only_agencies_that_lead(seeds):
    view = filter_graph(seeds, roles=["lead"])
    assert types(view) == {"LEADS": 48, "MENTIONS": 52, "LOCATED_IN": 4}
    agencies = [n for n, d in view.nodes(data=True) if d["label"] == "Agency"]
    assert len(agencies) == 27
    assert all(any(d["type"] == "LEADS" for _, _, d in view.out_edges(a, data=True)) for a in agencies)
    assert view.out_degree(XIANTAO_KJ) == 7 and view.out_degree(EZHOU_KJ) == 5
    assert labels(view)["Action"] == 47  # actions stay, with or without a lead
    assert filter_graph(seeds, roles=["LEADS"]).number_of_edges() == view.number_of_edges()


def test_role_filter_responsible_and_support_drops_the_leads(seeds):
    view = filter_graph(seeds, roles=["responsible", "support"])
    assert "LEADS" not in types(view) and types(view)["RESPONSIBLE_FOR"] == 288
    with pytest.raises(ValueError, match="unknown role"):
        filter_graph(seeds, roles=["chair"])


def test_city_filter_keeps_only_xiantao_nodes(seeds):
    view = filter_graph(seeds, cities=["仙桃市"])
    assert labels(view) == {"Agency": 40, "Action": 25, "Platform": 12, "Park": 3, "District": 6}
    assert {d.get("city") for _, d in view.nodes(data=True)} == {"仙桃市"}
    everything = filter_graph(seeds, cities=["仙桃市"], labels=None)
    assert everything.number_of_nodes() == 162
    for node, data in everything.nodes(data=True):
        if data["label"] == "Section":
            assert data["doc_id"] == XIANTAO_DOC
        elif data["label"] == "AgencyKind":  # shared between cities: kept for the 仙桃 agencies of that kind
            assert any(everything.nodes[a]["city"] == "仙桃市" for a in everything.predecessors(node))
        else:
            assert data["city"] == "仙桃市", node
    assert "科技局" in everything and EZHOU_KJ not in everything


def test_document_filter_is_the_same_as_the_city_of_that_document(seeds):
    by_document = filter_graph(seeds, documents=[EZHOU_DOC], labels=None)
    by_city = filter_graph(seeds, cities=["鄂州市"], labels=None)
    assert set(by_document) == set(by_city)
    assert by_document.number_of_edges() == by_city.number_of_edges()
    assert {d.get("city") for _, d in by_document.nodes(data=True)} == {"鄂州市", None}
    assert filter_graph(seeds, documents=[EZHOU_DOC], cities=["仙桃市"]).number_of_nodes() == 0


def test_filters_leave_the_graph_they_were_given_unchanged(seeds):
    before = (seeds.number_of_nodes(), seeds.number_of_edges(), dict(seeds.nodes[EZHOU_KJ]))
    view = filter_graph(seeds, roles=["lead"], cities=["鄂州市"])
    view.nodes[EZHOU_KJ]["name"] = "changed"
    assert (seeds.number_of_nodes(), seeds.number_of_edges(), dict(seeds.nodes[EZHOU_KJ])) == before


# --------------------------------------------------------------------------------------------- neighbourhood

def test_neighbourhood_of_ezhou_science_bureau_depth_1_is_itself_and_its_10_actions(seeds):
    around = neighbourhood(filter_graph(seeds), EZHOU_KJ, 1)
    assert around.number_of_nodes() == 11
    assert labels(around) == {"Agency": 1, "Action": 10}
    assert types(around) == {"LEADS": 5, "RESPONSIBLE_FOR": 5}
    assert all(u == EZHOU_KJ for u, _ in around.edges())
    led = sorted(around.nodes[v]["number"] for _, v, d in around.edges(data=True) if d["type"] == "LEADS")
    assert led == ["2.", "4.", "5.", "6.", "7."]
    assert {d["basis"] for _, _, d in around.edges(data=True) if d["type"] == "LEADS"} == {"first-listed"}


def test_neighbourhood_depth_2_adds_the_partners_and_places_of_those_actions(seeds):
    view = filter_graph(seeds, expand_collectives=False)
    one, two = neighbourhood(view, EZHOU_KJ, 1), neighbourhood(view, EZHOU_KJ, 2)
    assert set(one) < set(two)
    assert (two.number_of_nodes(), two.number_of_edges()) == (29, 49)
    assert {"鄂州市发改委", "鄂州市经信局", "鄂州市/莲花山人工智能研究院"} <= set(two)
    assert all(d.get("city") == "鄂州市" for _, d in two.nodes(data=True))
    assert neighbourhood(view, XIANTAO_KJ, 1).number_of_nodes() == 15  # 7 led, 7 responsible
    assert neighbourhood(view, EZHOU_KJ, 0).number_of_nodes() == 1
    with pytest.raises(KeyError):
        neighbourhood(view, "科技局", 1)  # a kind is not in the default view


def test_a_kept_centre_of_a_hidden_type_shows_with_its_neighbours(seeds):
    view = filter_graph(seeds, keep=["科技局"])
    assert sorted(neighbourhood(view, "科技局", 1)) == [XIANTAO_KJ, "科技局", EZHOU_KJ]
    assert "经信局" not in view  # other kinds stay hidden


# --------------------------------------------------------------------------------------------- search

def test_search_keji_finds_both_science_bureaus_before_the_actions(seeds):
    found = search_nodes(seeds, "科技")
    assert found[:3] == ["科技局", XIANTAO_KJ, EZHOU_KJ]  # the kind's name starts with 科技
    first_action = min(i for i, n in enumerate(found) if seeds.nodes[n]["label"] == "Action")
    assert found.index(EZHOU_KJ) < first_action
    assert "鄂州市/华中科技大学" in found
    assert len(search_nodes(seeds, "科技", limit=2)) == 2


def test_search_ignores_traditional_characters_case_and_aliases(seeds):
    assert search_nodes(seeds, "數據局") == ["数据局", "鄂州市数据局"]
    assert search_nodes(seeds, "市科技局", labels=["Agency"]) == [XIANTAO_KJ, EZHOU_KJ]
    assert search_nodes(seeds, "ai", labels=["Platform", "Park"]) == search_nodes(seeds, "AI", labels=["Platform",
                                                                                                      "Park"])
    assert search_nodes(seeds, "") == [] and search_nodes(seeds, "不存在的名称") == []


# --------------------------------------------------------------------------------------------- details

def test_properties_of_an_agency_are_text(seeds):
    assert node_properties(seeds, EZHOU_KJ) == [
        ("label", "Agency"), ("id", EZHOU_KJ), ("aliases", "市科技局"), ("city", "鄂州市"), ("collective", "false"),
        ("kind", "科技局"), ("name", EZHOU_KJ), ("type", "agency")]
    document = dict(node_properties(seeds, EZHOU_DOC))
    assert document["text"].endswith(")") and len(document["text"]) < 420  # the plan's text is cut


def test_relationships_of_the_ezhou_science_bureau_are_its_10_roles_and_its_kind(seeds):
    rows = node_relationships(seeds, EZHOU_KJ)
    assert Counter(r["type"] for r in rows) == {"LEADS": 5, "RESPONSIBLE_FOR": 5, "OF_KIND": 1}
    assert {r["direction"] for r in rows} == {"out"}
    assert rows[0] == {"direction": "out", "type": "LEADS", "other": f"{EZHOU_DOC}-a002",
                       "other_name": "2. 发挥核心区引领带动", "other_label": "Action", "basis": "first-listed",
                       "rank": 1, "derived_from": None, "correction": None}
    inbound = node_relationships(seeds, f"{EZHOU_DOC}-a001")
    assert [r["other_name"] for r in inbound if r["type"] == "LEADS"] == ["鄂州市发改委"]
    assert {r["direction"] for r in inbound if r["type"] == "MENTIONS"} == {"out"}


def test_source_of_an_agency_is_the_note_of_each_action_with_its_name_marked(seeds):
    quotes = source_quotes(seeds, EZHOU_KJ)
    assert len(quotes) == 10
    assert [q.caption for q in quotes][:2] == ["1. 优化空间发展布局", "2. 发挥核心区引领带动"]
    assert [q.relation for q in quotes][:2] == ["RESPONSIBLE_FOR", "LEADS"]
    for quote in quotes:
        assert [quote.text[s:e] for s, e in quote.spans] == ["市科技局"]
        assert quote.text.startswith("（") and quote.text.endswith("）")


def test_source_of_a_unit_expanded_from_a_collective_marks_the_collective(seeds):
    quotes = source_quotes(seeds, "鄂州市鄂城区人民政府")
    assert quotes and all(q.via == "鄂州市各区人民政府" for q in quotes)
    assert {q.text[s:e] for q in quotes for s, e in q.spans} == {"各区人民政府"}


def test_source_of_an_action_marks_its_units_and_the_entities_it_mentions(seeds):
    (quote,) = source_quotes(seeds, f"{EZHOU_DOC}-a001")
    assert quote.caption == "1. 优化空间发展布局" and quote.text.startswith("1.优化空间发展布局。")
    assert [quote.text[s:e] for s, e in quote.spans] == [
        "鄂城区", "莲花山人工智能产业基地", "葛店经开区", "临空经济区", "华容区", "梁子湖区",
        "市发改委", "市科技局", "市经信局", "各区人民政府"]


def test_source_of_a_platform_is_every_sentence_that_mentions_it(seeds):
    quotes = source_quotes(seeds, "鄂州市/莲花山人工智能研究院")
    assert [q.caption for q in quotes] == [
        "2. 发挥核心区引领带动", "4. 做强核心创新平台", "20. 构建分层分类人才培养体系"]
    assert all([q.text[s:e] for s, e in q.spans] == ["莲花山人工智能研究院"] for q in quotes)
    (target,) = source_quotes(seeds, f"{EZHOU_DOC}-t001")
    assert [target.text[s:e] for s, e in target.spans] == ["人工智能产业规模突破80亿元"]
    assert source_quotes(seeds, "科技局") == []  # a kind is not read from one sentence


def test_names_and_order_people_see(seeds):
    assert node_name(seeds, f"{XIANTAO_DOC}-a002") == "（二） 强化政策激励"
    assert node_name(seeds, EZHOU_DOC) == "ezhou-ai-action-plan.txt"  # the 鄂州 plan has no title line
    ordered = sorted_nodes(neighbourhood(filter_graph(seeds), EZHOU_KJ, 1))
    assert ordered[0] == EZHOU_KJ
    assert [seeds.nodes[n]["seq"] for n in ordered[1:]] == [1, 2, 3, 4, 5, 6, 7, 17, 20, 21]
    assert set(DEFAULT_LABELS) == {"Agency", "Action", "District", "Park", "Platform"}


def test_a_node_reads_the_same_in_a_list_and_in_a_query_result_cell(seeds):
    """One naming rule (views.naming): the Network page's lists and the command line's and Console's cells."""
    for node, data in seeds.nodes(data=True):
        result = {"~label": data["label"], "~key": f"k:{node}", **{k: v for k, v in data.items() if k != "label"}}
        assert cell_text(result) == f"({data['label']} {node_name(seeds, node)})", node
    section = next(n for n, d in seeds.nodes(data=True) if d["label"] == "Section" and d["number"] == "一、")
    assert node_name(seeds, section).startswith("一、")  # a section by its number and title, in every face


# --------------------------------------------------------------------------------------------- coordination

def test_coordination_view_sizes_by_leads_colours_by_community_and_draws_undirected_shares(seeds):
    network = coordination_network(seeds, "仙桃市")
    communities = community_of(network)
    palette = ("#111111", "#222222", "#333333", "#444444", "#555555", "#666666")
    view = coordination_view(network, communities, palette)
    assert view.number_of_nodes() == 34 and view.number_of_edges() == 103
    assert {d["label"] for _, d in view.nodes(data=True)} == {"Agency"}
    assert {d["type"] for _, _, d in view.edges(data=True)} == {"SHARES"}
    assert view.nodes[XIANTAO_KJ]["_size"] > view.nodes["仙桃市经信局"]["_size"] > view.nodes["仙桃市教育局"]["_size"]
    assert view.nodes[XIANTAO_KJ]["_color"] == palette[communities[XIANTAO_KJ]]
    weight = network[XIANTAO_KJ]["仙桃市经信局"]["weight"]
    (edge,) = [d for u, v, d in view.edges(data=True) if {u, v} == {XIANTAO_KJ, "仙桃市经信局"}]
    assert edge["weight"] == weight and edge["_width"] > 1.5
    page = render_network_html(view, title="仙桃")
    data = json.loads(re.search(r'id="policykg-data">(.*?)</script>', page, re.S).group(1))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[XIANTAO_KJ]["color"]["background"] == palette[communities[XIANTAO_KJ]]
    assert nodes[XIANTAO_KJ]["size"] == view.nodes[XIANTAO_KJ]["_size"]
    assert all(e["arrows"] == {"to": {"enabled": False}} for e in data["edges"])
    assert '<span class="zh">共同行动</span>' in page and "_color" not in nodes[XIANTAO_KJ]["title"]


# --------------------------------------------------------------------------------------------- a click's details

def test_a_clicked_lead_is_found_and_reads_its_ends_basis_and_marked_note(seeds):
    view = filter_graph(seeds)
    edge = find_edge(view, [EZHOU_KJ, f"{EZHOU_DOC}-a002", "LEADS"])
    assert edge == (EZHOU_KJ, f"{EZHOU_DOC}-a002", "LEADS")
    facts = edge_facts(seeds, *edge)
    assert (facts["type"], facts["start_name"], facts["start_label"], facts["end_name"], facts["end_label"]) == (
        "LEADS", EZHOU_KJ, "Agency", "2. 发挥核心区引领带动", "Action")
    assert (facts["basis"], facts["rank"], facts["as_written"], facts["derived_from"]) == (
        "first-listed", 1, "市科技局", None)
    quote = facts["quote"]
    assert quote.text == "（责任单位：市科技局，各区人民政府）"
    assert [quote.text[s:e] for s, e in quote.spans] == ["市科技局"]
    assert (quote.caption, quote.relation) == ("2. 发挥核心区引领带动", "LEADS")
    assert find_edge(view, [EZHOU_KJ, f"{EZHOU_DOC}-a002", "RESPONSIBLE_FOR"]) is None
    assert find_edge(view, [EZHOU_KJ, "科技局", "OF_KIND"]) is None  # not in the view: kinds are not drawn
    assert find_edge(view, "not an edge") is None


def test_an_edge_from_a_collective_names_the_collective(seeds):
    (u, v, key, _), *_ = [(u, v, k, d) for u, v, k, d in seeds.out_edges("鄂州市鄂城区人民政府", keys=True, data=True)
                          if d.get("derived_from")]
    assert edge_facts(seeds, u, v, key)["derived_from"] == "鄂州市各区人民政府"


def test_an_action_is_found_in_its_document(seeds):
    assert action_document(seeds, f"{EZHOU_DOC}-a002") == EZHOU_DOC
    assert action_document(seeds, f"{XIANTAO_DOC}-a001") == XIANTAO_DOC
    without = seeds.copy()
    without.nodes[f"{EZHOU_DOC}-a002"]["doc_id"] = None  # then by its section, up to the document
    assert action_document(without, f"{EZHOU_DOC}-a002") == EZHOU_DOC
    assert action_document(seeds, EZHOU_KJ) is None and action_document(seeds, "no such node") is None
