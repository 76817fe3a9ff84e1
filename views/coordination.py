"""The Coordination page's interactive view: the coordination network (queries.analytics) as a graph
views.draw draws. The PNG and SVG for reports are views.diagram.

A link built from at least one relationship a person corrected (graph.corrections) carries the ids of
those corrections as ``correction`` (queries.analytics.coordination_network): views.draw and views.diagram
draw it apart.
"""

from __future__ import annotations

import math
import tomllib
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx

from loaders.knowledge import kind_names_en
from views.naming import name_of

__all__ = ["GROUP_BY", "MODES", "Group", "coordination_view", "default_centre", "diagram_groups", "diagram_label",
           "government_of", "partner_rings", "ring_weights", "shared_actions", "word"]


def coordination_view(network: nx.Graph, communities: Mapping[Hashable, int] | None = None,
                      palette: tuple[str, ...] = ("#4e79a7",)) -> nx.MultiDiGraph:
    """The coordination network (``queries.analytics.coordination_network``) as a graph views.draw draws.

    Agencies are ``Agency`` nodes sized by the actions they lead (``_size``) and coloured by community
    (``_color`` from ``palette``); each pair is one ``SHARES`` edge with ``weight`` (actions shared), a
    width that grows with it (``_width``) and the ``correction`` of a link built from a person's fix.

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


# --------------------------------------------------------------------------------------------- diagrams for meetings
# What views.diagram draws, computed without matplotlib: the government a diagram is of and the names its
# labels read, the partners' rings round a centre, the groups (communities, agency types or kinds) and
# their names. The words are data/ui/coordination.toml's ``coordination.diagram.*`` (zh and en).

MODES = ("whole", "centred", "grouped")
GROUP_BY = ("type", "kind")
UI_WORDS = Path(__file__).resolve().parent.parent / "data" / "ui" / "coordination.toml"
#: how many of a group's members (or kinds) its name gives
NAMED_MEMBERS = 2


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    table = tomllib.loads(UI_WORDS.read_text(encoding="utf-8"))
    flat: dict[str, dict[str, str]] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict) and "zh" in value:
                flat[prefix + key] = value
            elif isinstance(value, dict):
                walk(value, f"{prefix}{key}.")

    walk(table, "")
    return flat


def word(key: str, language: str = "zh", **values: object) -> str:
    """The words of ``coordination.diagram.<key>`` in ``language`` (the explorer reads the same file).

        >>> word("mode.whole"), word("mode.whole", "en"), word("units", "en", names="A", count=3)
        ('整体网络', 'Whole network', 'A and others, 3 units')
    """
    entry = _words()[f"coordination.diagram.{key}"]
    text = entry.get(language) or entry["zh"]
    return text.format(**values) if values else text


def government_of(network: nx.Graph) -> str | None:
    """The one government every agency of ``network`` that has one belongs to; None for none or several.

        >>> net = nx.Graph(); net.add_node("a", city="仙桃市"); net.add_node("b", city=None)
        >>> government_of(net), net.add_node("c", city="鄂州市"), government_of(net)
        ('仙桃市', None, None)
    """
    found = {data.get("city") for _, data in network.nodes(data=True)} - {None, ""}
    return next(iter(found)) if len(found) == 1 else None


def diagram_label(network: nx.Graph, node: Hashable, government: str | None = None) -> str:
    """How an agency reads in a diagram of ``government``: its name (views.naming) without the government's
    name in front, which the title says once. A party organ keeps its level (市委组织部, never 委组织部);
    a name that is only the government, or that does not start with it, stays whole.

        >>> net = nx.Graph(); net.add_node("x", name="仙桃市经信局"); net.add_node("y", name="仙桃市委组织部")
        >>> net.add_node("z", name="仙桃高新区")
        >>> [diagram_label(net, n, "仙桃市") for n in "xyz"], diagram_label(net, "x")
        (['经信局', '市委组织部', '仙桃高新区'], '仙桃市经信局')
    """
    name = name_of("Agency", network.nodes[node], node)
    if not government or not name.startswith(government) or len(name) == len(government):
        return name
    rest = name[len(government):]
    return government[-1] + rest if rest.startswith("委") else rest


def shared_actions(network: nx.Graph, node: Hashable) -> int:
    """The actions ``node`` shares, counted once per partner (the weighted degree)."""
    return int(network.degree(node, weight="weight"))


def default_centre(network: nx.Graph) -> Hashable | None:
    """The agency a centred diagram starts from: most shared actions, then most partners, then by id."""
    if network.number_of_nodes() == 0:
        return None
    return min(network, key=lambda n: (-shared_actions(network, n), -network.degree(n), str(n)))


def partner_rings(network: nx.Graph, centre: Hashable) -> dict[Hashable, int]:
    """Each partner of ``centre`` → its ring: 1 for the partners that share the most actions with it, 2 for
    the next number shared, and so on (the dense rank of the actions shared).

        >>> net = nx.Graph([("c", "a", {"weight": 5}), ("c", "b", {"weight": 2}), ("c", "d", {"weight": 5}),
        ...                 ("c", "e", {"weight": 1}), ("a", "b", {"weight": 9})])
        >>> partner_rings(net, "c")
        {'a': 1, 'b': 2, 'd': 1, 'e': 3}
    """
    weights = {partner: int(data.get("weight", 1)) for partner, data in network[centre].items() if partner != centre}
    ranks = {weight: rank for rank, weight in enumerate(sorted(set(weights.values()), reverse=True), 1)}
    return {partner: ranks[weight] for partner, weight in sorted(weights.items(), key=lambda item: str(item[0]))}


def ring_weights(network: nx.Graph, centre: Hashable) -> list[int]:
    """The actions shared that each ring stands for, inner ring first."""
    return sorted({int(data.get("weight", 1)) for partner, data in network[centre].items() if partner != centre},
                  reverse=True)


@dataclass(frozen=True)
class Group:
    """One colour of a diagram: a community or the agencies of one type or kind."""

    key: Hashable
    name: str
    members: tuple[Hashable, ...]  # most shared actions first


def diagram_groups(network: nx.Graph, mode: str = "whole", group_by: str = "type",
                   communities: Mapping[Hashable, int] | None = None, language: str = "zh",
                   government: str | None = None) -> list[Group]:
    """The groups a diagram colours, in the order its legend lists them (biggest first): in the grouped mode
    the agencies of each type (``group_by="type"``: words ``coordination.diagram.type.*``) or kind (the kind's
    name, in English its ``name_en``; agencies of no kind together last), else the communities
    (``communities``: node → number, from queries.analytics), each named by its dominant kinds (or, for
    members of no kind, their names): ``发改委·经信局 等 9 个单位``.

        >>> net = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1})])
        >>> for n, k in zip("abc", ("发改委", "财政局", None)):
        ...     net.nodes[n].update(name=f"市{n}", kind=k, type="agency")
        >>> [(g.name, g.members) for g in diagram_groups(net, communities={"a": 0, "b": 0, "c": 0})]
        [('财政局·发改委 等 3 个单位', ('b', 'a', 'c'))]
        >>> [g.name for g in diagram_groups(net, "grouped", "kind", language="en")]
        ['Development and Reform Commission (1)', 'Finance Bureau (1)', 'No known kind (1)']
    """
    order = sorted(network, key=lambda n: (-shared_actions(network, n), -network.degree(n), str(n)))
    keys: dict[Hashable, Hashable]
    if mode == "grouped" and group_by == "kind":
        keys = {n: network.nodes[n].get("kind") or "" for n in order}
    elif mode == "grouped":
        keys = {n: network.nodes[n].get("type") or "agency" for n in order}
    else:
        keys = {n: (communities or {}).get(n, 0) for n in order}
    members: dict[Hashable, list] = defaultdict(list)
    for node in order:
        members[keys[node]].append(node)

    def rank(key: Hashable) -> tuple:
        last = mode == "grouped" and group_by == "kind" and key == ""
        return (last, -len(members[key]), str(key)) if mode == "grouped" else (key,)

    groups = []
    for key in sorted(members, key=rank):
        chosen = tuple(members[key])
        if mode == "grouped" and group_by == "kind":
            name = _kind_word(key, language) if key else word("no_kind", language)
            name = word("group", language, name=name, count=len(chosen))
        elif mode == "grouped":
            name = word("group", language, name=_type_word(str(key), language), count=len(chosen))
        else:
            name = _community_name(network, chosen, language, government)
        groups.append(Group(key, name, chosen))
    return groups


def _type_word(unit_type: str, language: str) -> str:
    try:
        return word(f"type.{unit_type}", language)
    except KeyError:
        return unit_type


def _kind_word(kind: str, language: str) -> str:
    return kind_names_en().get(kind, kind) if language == "en" else kind


def _community_name(network: nx.Graph, members: tuple, language: str, government: str | None) -> str:
    weight: dict[str, int] = defaultdict(int)
    for node in members:  # a kind counts the actions its members share; members of no kind go by their name
        kind = network.nodes[node].get("kind")
        face = _kind_word(kind, language) if kind else diagram_label(network, node, government)
        weight[face] += shared_actions(network, node) + 1
    faces = sorted(weight, key=lambda face: (-weight[face], face))
    if len(members) == 1:
        return diagram_label(network, members[0], government)
    names = "·".join(faces[:NAMED_MEMBERS])
    key = "units_all" if len(faces) <= NAMED_MEMBERS and len(members) <= NAMED_MEMBERS else "units"
    return word(key, language, names=names, count=len(members))
