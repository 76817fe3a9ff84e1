"""Coordination analytics with networkx: agencies linked by the actions they share.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("甲局", label="Agency", name="甲局", city="某市", collective=False)
>>> g.add_node("乙局", label="Agency", name="乙局", city="某市", collective=False)
>>> g.add_node("a1", label="Action", city="某市")
>>> _ = g.add_edge("甲局", "a1", key="LEADS", type="LEADS", basis="explicit", derived_from=None)
>>> _ = g.add_edge("乙局", "a1", key="RESPONSIBLE_FOR", type="RESPONSIBLE_FOR", derived_from=None)
>>> net = coordination_network(g)
>>> net["甲局"]["乙局"]["weight"], net.nodes["甲局"]["leads"]
(1, 1)

A city's network is that of its plans' actions, whatever government each unit belongs to (a
district's plan is its city's; its units are the district's):

>>> g.add_node("丙区局", label="Agency", name="丙区局", city="某区", collective=False)
>>> _ = g.add_edge("丙区局", "a1", key="SUPPORTS", type="SUPPORTS", derived_from=None)
>>> sorted(coordination_network(g, city="某市")), sorted(coordination_network(g, city="某区"))
(['丙区局', '乙局', '甲局'], [])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from itertools import combinations

import networkx as nx

from graph.vocabulary import EXPLICIT, LEADS, ROLE_BY_TYPE

#: Relationship type -> the counter of it on each agency (LEADS -> leads …): graph.vocabulary.
ROLE_COUNTERS = {role.type: role.counter for role in ROLE_BY_TYPE.values()}
_LEADS = ROLE_BY_TYPE[LEADS].counter


def coordination_network(graph: nx.MultiDiGraph, city: str | None = None, min_weight: int = 1) -> nx.Graph:
    """Agencies as nodes, an edge for every pair named on the same actions, ``weight`` = actions shared.

    ``city``: the actions of that city's plans only (a district's plan is its city's, though its
    units belong to the district). Node attributes: ``name``, ``city`` (the unit's own
    government), ``kind``, ``type``, ``collective``, ``leads``, ``explicit_leads``,
    ``responsible``, ``supports``. Units expanded from a collective are left out: the
    collective stands for them, as in the notes.
    """
    network = nx.Graph()
    on_action: dict[str, list[str]] = defaultdict(list)
    for agency, action, data in graph.edges(data=True):
        role = ROLE_COUNTERS.get(data.get("type"))
        if role is None or data.get("derived_from"):
            continue
        if city is not None and graph.nodes[action].get("city") != city:
            continue
        attributes = graph.nodes[agency]
        if agency not in network:
            network.add_node(agency, name=attributes.get("name", agency), city=attributes.get("city"),
                             kind=attributes.get("kind"), type=attributes.get("type"),
                             collective=bool(attributes.get("collective")),
                             leads=0, explicit_leads=0, responsible=0, supports=0)
        node = network.nodes[agency]
        node[role] += 1
        if role == _LEADS and data.get("basis") == EXPLICIT:
            node["explicit_leads"] += 1
        on_action[action].append(agency)
    for agencies in on_action.values():
        for a, b in combinations(sorted(set(agencies)), 2):
            if network.has_edge(a, b):
                network[a][b]["weight"] += 1
            else:
                network.add_edge(a, b, weight=1)
    if min_weight > 1:
        network.remove_edges_from([(a, b) for a, b, w in network.edges(data="weight") if w < min_weight])
    return network


@dataclass
class AgencyRank:
    agency: str
    city: str | None
    leads: int
    explicit_leads: int
    responsible: int
    supports: int
    partners: int
    shared_actions: int
    degree_centrality: float
    betweenness: float
    community: int


def rank_agencies(network: nx.Graph, seed: int = 7) -> list[AgencyRank]:
    """Degree and betweenness centrality and Louvain communities, most central first.

    Betweenness treats a pair that shares more actions as closer (distance = 1 / weight).
    Communities come from networkx's Louvain method with a fixed seed, so runs agree.
    """
    if network.number_of_nodes() == 0:
        return []
    for _, _, data in network.edges(data=True):
        data["distance"] = 1 / data["weight"]
    degree = nx.degree_centrality(network)
    betweenness = nx.betweenness_centrality(network, weight="distance", seed=seed)
    communities = community_of(network, seed)
    ranks = [AgencyRank(
        agency=node, city=data.get("city"), leads=data["leads"], explicit_leads=data["explicit_leads"],
        responsible=data["responsible"], supports=data["supports"], partners=network.degree(node),
        shared_actions=int(network.degree(node, weight="weight")), degree_centrality=round(degree[node], 4),
        betweenness=round(betweenness[node], 4), community=communities[node],
    ) for node, data in network.nodes(data=True)]
    return sorted(ranks, key=lambda r: (-r.betweenness, -r.degree_centrality, -r.leads, r.agency))


def community_of(network: nx.Graph, seed: int = 7) -> dict[str, int]:
    """Node -> community number (0 = largest), from Louvain with a fixed seed."""
    found = nx.community.louvain_communities(network, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    return {node: index for index, members in enumerate(ordered) for node in members}


def ranking_rows(ranks: list[AgencyRank]) -> tuple[list[str], list[list]]:
    """Columns and rows for tables, JSON and CSV."""
    columns = list(AgencyRank.__dataclass_fields__)
    return columns, [list(asdict(rank).values()) for rank in ranks]
