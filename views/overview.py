"""The overview of a corpus too large to draw node by node: its cities, sized by their actions, around
their provinces (the Network page's first view of a large corpus; a city drills down to its network).

Built from the rows of the named query ``cities`` (city, province, plans, actions, agencies), never from
the graph itself, so it costs the same at 10 plans or 10,000. Node labels ``City`` and ``Province`` and the
relationship ``IN_PROVINCE`` are the view's own (``view_nodes`` and ``view_edges`` in data/ui/styles.toml).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

__all__ = ["CITY", "IN_PROVINCE", "PROVINCE", "cities_overview", "city_rows", "province_key"]

CITY, PROVINCE, IN_PROVINCE = "City", "Province", "IN_PROVINCE"
#: Drawn sizes (px) of the smallest and the largest city.
SMALLEST, LARGEST = 12.0, 48.0


def province_key(province: str) -> str:
    """The node key of a province (cities are keyed by their own names, which never start so).

        >>> province_key("湖北省")
        'province:湖北省'
    """
    return f"province:{province}"


def cities_overview(rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> nx.MultiDiGraph:
    """Cities and provinces as a graph to draw: a ``City`` node per row (``_size`` by the square root of
    its actions), linked to its ``Province`` node (the sums of its cities); a city whose province is
    unknown stands alone. ``rows``/``columns``: the result of the named query ``cities``.

        >>> g = cities_overview([["甲市", "某省", 3, 40, 12], ["乙市", "某省", 1, 10, 8], ["丙市", None, 1, 5, 3]],
        ...                     ["city", "province", "plans", "actions", "agencies"])
        >>> sorted(g.nodes), g.nodes["province:某省"]["actions"], g.nodes["甲市"]["_size"]
        (['province:某省', '丙市', '乙市', '甲市'], 50, 48.0)
        >>> [(u, v, k) for u, v, k in g.edges(keys=True)]
        [('甲市', 'province:某省', 'IN_PROVINCE'), ('乙市', 'province:某省', 'IN_PROVINCE')]
    """
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    largest = max((int(r.get("actions") or 0) for r in records), default=0)
    graph = nx.MultiDiGraph()
    totals: dict[str, dict[str, int]] = {}
    for record in records:
        province = record.get("province")
        if province:
            total = totals.setdefault(province, {"plans": 0, "actions": 0, "cities": 0})
            total["plans"] += int(record.get("plans") or 0)
            total["actions"] += int(record.get("actions") or 0)
            total["cities"] += 1
    for province, total in sorted(totals.items()):
        graph.add_node(province_key(province), label=PROVINCE, name=province, **total)
    for record in records:
        city = record["city"]
        actions = int(record.get("actions") or 0)
        graph.add_node(city, label=CITY, name=city, province=record.get("province"), plans=record.get("plans"),
                       actions=actions, agencies=record.get("agencies"), _size=_size(actions, largest))
        if record.get("province"):
            graph.add_edge(city, province_key(record["province"]), key=IN_PROVINCE, type=IN_PROVINCE)
    return graph


def _size(actions: int, largest: int) -> float:
    if largest <= 0:
        return SMALLEST
    return round(SMALLEST + (LARGEST - SMALLEST) * math.sqrt(actions / largest), 1)


def city_rows(graph: nx.MultiDiGraph) -> list[Mapping[str, Any]]:
    """The overview's cities as table rows (city, province, plans, actions, agencies), largest first.

        >>> g = cities_overview([["甲市", "某省", 3, 40, 12]], ["city", "province", "plans", "actions", "agencies"])
        >>> city_rows(g)
        [{'city': '甲市', 'province': '某省', 'plans': 3, 'actions': 40, 'agencies': 12}]
    """
    cities = [data for _, data in graph.nodes(data=True) if data.get("label") == CITY]
    cities.sort(key=lambda d: (-int(d.get("actions") or 0), str(d["name"])))
    return [{key: data.get(key) if key != "city" else data["name"]
             for key in ("city", "province", "plans", "actions", "agencies")} for data in cities]
