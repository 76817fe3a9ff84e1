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

A link built from a role a person set (graph.corrections) carries the ids of those corrections:

>>> g.edges["甲局", "a1", "LEADS"].update(basis="corrected", correction="c-1")
>>> coordination_network(g)["甲局"]["乙局"]["correction"], "correction" in coordination_network(g)["乙局"]["丙区局"]
('c-1', False)

An analysis is kept in the store under its filters, at the store's change stamp (:func:`kept_coordination`).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from graph.vocabulary import EXPLICIT, LEADS, ROLE_BY_TYPE

if TYPE_CHECKING:
    from graph.store import GraphStore

#: Relationship type -> the counter of it on each agency (LEADS -> leads …): graph.vocabulary.
ROLE_COUNTERS = {role.type: role.counter for role in ROLE_BY_TYPE.values()}
_LEADS = ROLE_BY_TYPE[LEADS].counter


def coordination_network(graph: nx.MultiDiGraph, city: str | None = None, min_weight: int = 1) -> nx.Graph:
    """Agencies as nodes, an edge for every pair named on the same actions, ``weight`` = actions shared.

    ``city``: the actions of that city's plans only (a district's plan is its city's, though its
    units belong to the district). Node attributes: ``name``, ``city`` (the unit's own
    government), ``kind``, ``type``, ``collective``, ``leads``, ``explicit_leads``,
    ``responsible``, ``supports``. Units expanded from a collective are left out: the
    collective stands for them, as in the notes. A link any of whose roles a person set carries
    ``correction``: the ids of those corrections, sorted and joined with ", ".
    """
    network = nx.Graph()
    on_action: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # action -> agency -> fixes
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
        fixes = on_action[action][agency]
        if data.get("correction"):
            fixes.add(str(data["correction"]))
    corrections: dict[tuple[str, str], set[str]] = defaultdict(set)
    for agencies in on_action.values():
        for a, b in combinations(sorted(agencies), 2):
            if network.has_edge(a, b):
                network[a][b]["weight"] += 1
            else:
                network.add_edge(a, b, weight=1)
            if agencies[a] or agencies[b]:
                corrections[a, b] |= agencies[a] | agencies[b]
    for (a, b), ids in corrections.items():
        network[a][b]["correction"] = ", ".join(sorted(ids))
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


# -- an analysis kept in the store --------------------------------------------------------------
#: This module's own fingerprint: part of every kept analysis's key, so a changed analysis never
#: answers from what an older version of it computed.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


@dataclass
class CoordinationAnalysis:
    """The coordination network of one choice of plans (links below ``min_weight`` left out), its agencies
    ranked, and the heaviest link before that cut (how far a weight filter can go)."""

    network: nx.Graph
    ranks: list[AgencyRank]
    heaviest: int

    def to_json(self) -> str:
        return json.dumps({"network": nx.node_link_data(self.network, edges="edges"),
                           "ranks": [asdict(rank) for rank in self.ranks], "heaviest": self.heaviest},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CoordinationAnalysis:
        data = json.loads(text)
        return cls(network=nx.node_link_graph(data["network"], edges="edges"),
                   ranks=[AgencyRank(**rank) for rank in data["ranks"]], heaviest=data["heaviest"])


def analyse_coordination(graph: nx.MultiDiGraph, city: str | None = None, min_weight: int = 1) -> CoordinationAnalysis:
    """:func:`coordination_network` and :func:`rank_agencies` of ``graph``, and its heaviest link.

    >>> g = nx.MultiDiGraph()
    >>> for n in ("甲局", "乙局"): g.add_node(n, label="Agency", name=n, collective=False)
    >>> for action in ("a1", "a2"):
    ...     _ = g.add_edge("甲局", action, type="LEADS"); _ = g.add_edge("乙局", action, type="SUPPORTS")
    >>> found = analyse_coordination(g, min_weight=3)
    >>> found.heaviest, found.network.number_of_edges(), [rank.agency for rank in found.ranks]
    (2, 0, ['甲局', '乙局'])
    """
    network = coordination_network(graph, city=city)
    heaviest = max((weight for *_, weight in network.edges(data="weight")), default=0)
    if min_weight > 1:
        network.remove_edges_from([(a, b) for a, b, w in network.edges(data="weight") if w < min_weight])
    return CoordinationAnalysis(network=network, ranks=rank_agencies(network), heaviest=heaviest)


def coordination_key(city: str | None, documents: Collection[str] = (), min_weight: int = 1) -> str:
    """The key a coordination analysis is kept under: its filters (the plans chosen, whatever their
    number, by a digest) and this module's fingerprint.

    >>> coordination_key("某市") == coordination_key("某市", [], 1) != coordination_key("某市", ["d1"])
    True
    """
    filters = json.dumps([city, sorted(documents), min_weight], ensure_ascii=False)
    return f"coordination/{_CODE}/{hashlib.sha256(filters.encode()).hexdigest()[:32]}"


#: How :func:`kept_coordination` came by its analysis: read from the store, computed and kept there, or
#: computed and not kept (the store could not be written then).
READ, KEPT, COMPUTED = "read", "kept", "computed"


def kept_coordination(store: GraphStore, version: int, graph_of: Callable[[], nx.MultiDiGraph], *,
                      city: str | None = None, documents: Collection[str] = (), min_weight: int = 1,
                      keep: Callable[[str, int, str], bool] | None = None) -> tuple[CoordinationAnalysis, str]:
    """The coordination analysis of ``city``'s actions in ``documents`` (none: every plan) and how it came
    (:data:`READ`, :data:`KEPT` or :data:`COMPUTED`): kept in the store at change stamp ``version``
    (:meth:`GraphStore.kept`), or computed from ``graph_of()`` (the graph of those plans, read only on a
    miss) and kept for the next reader, whatever its process, by ``keep`` (default ``store.keep``: a
    read-only store's caller may keep it through another). ``version`` is the stamp read before the graph
    was: a load in between leaves a result kept at the older stamp, which never answers."""
    key = coordination_key(city, documents, min_weight)
    text = store.kept(key, version)
    if text is not None:
        return CoordinationAnalysis.from_json(text), READ
    found = analyse_coordination(graph_of(), city=city, min_weight=min_weight)
    kept = (keep or store.keep)(key, version, found.to_json())
    return found, KEPT if kept else COMPUTED
