"""The Coordination page's interactive view: the coordination network (queries.analytics) as a graph
views.draw draws. The PNG and SVG for reports are views.diagram.

A link built from at least one relationship a person corrected (graph.corrections) carries the ids of
those corrections as ``correction`` (:func:`mark_corrected`): views.draw and views.diagram draw it apart.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping
from itertools import combinations

import networkx as nx

from graph.vocabulary import ROLE_TYPES

__all__ = ["coordination_view", "mark_corrected"]


def mark_corrected(network: nx.Graph, graph: nx.MultiDiGraph) -> nx.Graph:
    """A copy of the coordination network whose links built from a corrected relationship (an agency's
    lead, responsibility or support of a shared action that a person set) carry ``correction``: the ids
    of those corrections, sorted and joined with ", ". ``graph`` is the one the network was built from.

        >>> g = nx.MultiDiGraph()
        >>> _ = g.add_edge("甲", "x", type="LEADS", basis="corrected", correction="c-1")
        >>> _ = g.add_edge("乙", "x", type="RESPONSIBLE_FOR"); _ = g.add_edge("乙", "y", type="LEADS")
        >>> _ = g.add_edge("丙", "y", type="SUPPORTS")
        >>> net = nx.Graph([("甲", "乙", {"weight": 1}), ("乙", "丙", {"weight": 1})])
        >>> sorted((tuple(sorted((a, b))), d.get("correction")) for a, b, d in mark_corrected(net, g).edges(data=True))
        [(('丙', '乙'), None), (('乙', '甲'), 'c-1')]
    """
    on_action: dict[Hashable, dict[Hashable, set[str]]] = defaultdict(lambda: defaultdict(set))
    for agency, action, data in graph.edges(data=True):
        if data.get("type") in ROLE_TYPES and not data.get("derived_from") and agency in network:
            ids = on_action[action][agency]
            if data.get("correction"):
                ids.add(str(data["correction"]))
    found: dict[frozenset, set[str]] = defaultdict(set)
    for agencies in on_action.values():
        for a, b in combinations(sorted(agencies, key=str), 2):
            if agencies[a] or agencies[b]:
                found[frozenset((a, b))] |= agencies[a] | agencies[b]
    marked = network.copy()
    for a, b, data in marked.edges(data=True):
        ids = found.get(frozenset((a, b)))
        if ids:
            data["correction"] = ", ".join(sorted(ids))
    return marked


def coordination_view(network: nx.Graph, communities: Mapping[Hashable, int] | None = None,
                      palette: tuple[str, ...] = ("#4e79a7",)) -> nx.MultiDiGraph:
    """The coordination network (``queries.analytics.coordination_network``) as a graph views.draw draws.

    Agencies are ``Agency`` nodes sized by the actions they lead (``_size``) and coloured by community
    (``_color`` from ``palette``); each pair is one ``SHARES`` edge with ``weight`` (actions shared), a
    width that grows with it (``_width``) and the ``correction`` of a link :func:`mark_corrected` marked.

        >>> net = nx.Graph(); net.add_node("甲", name="甲局", leads=4, explicit_leads=4, responsible=1, supports=0)
        >>> net.add_node("乙", name="乙局", leads=0, explicit_leads=0, responsible=3, supports=0)
        >>> net.add_edge("甲", "乙", weight=2)
        >>> view = coordination_view(net, {"甲": 0, "乙": 1}, ("#111111", "#222222"))
        >>> view.nodes["甲"]["_size"] > view.nodes["乙"]["_size"], view.nodes["乙"]["_color"]
        (True, '#222222')
        >>> [(u, v, d["type"], d["weight"]) for u, v, d in view.edges(data=True)]
        [('甲', '乙', 'SHARES', 2)]
    """
    view = nx.MultiDiGraph()
    for node, data in sorted(network.nodes(data=True), key=lambda item: str(item[0])):
        community = (communities or {}).get(node)
        attributes = {k: v for k, v in data.items() if v is not None and k not in ("distance",)}
        attributes.update(label="Agency", name=data.get("name", node))
        if community is not None:
            attributes["community"] = community
            attributes["_color"] = palette[community % len(palette)]
        attributes["_size"] = round(12 + 7 * math.sqrt(data.get("leads", 0) or 0), 1)
        view.add_node(node, **attributes)
    for a, b, data in sorted(network.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        weight = int(data.get("weight", 1))
        corrected = {"correction": data["correction"]} if data.get("correction") else {}
        view.add_edge(a, b, key="SHARES", type="SHARES", weight=weight, _width=round(min(1.0 + 1.2 * weight, 12), 1),
                      **corrected)
    return view
