"""The Coordination page's interactive view: the coordination network (queries.analytics) as a graph
views.draw draws. The PNG and SVG for reports are views.diagram.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx

__all__ = ["coordination_view"]


def coordination_view(network: nx.Graph, communities: Mapping[Hashable, int] | None = None,
                      palette: tuple[str, ...] = ("#4e79a7",)) -> nx.MultiDiGraph:
    """The coordination network (``queries.analytics.coordination_network``) as a graph views.draw draws.

    Agencies are ``Agency`` nodes sized by the actions they lead (``_size``) and coloured by community
    (``_color`` from ``palette``); each pair is one ``SHARES`` edge with ``weight`` (actions shared) and a
    width that grows with it (``_width``).

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
        view.add_edge(a, b, key="SHARES", type="SHARES", weight=weight, _width=round(min(1.0 + 1.2 * weight, 12), 1))
    return view
