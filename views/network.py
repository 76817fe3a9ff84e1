"""What the Network page shows, as pure functions over the networkx graph (no Streamlit): the subgraph the
filters let through, a neighbourhood, search, and a node's details and source sentences; and the
graph a query result draws (:func:`result_graph`, the Console and Query library pages).

The graph is the one ``GraphStore.to_networkx()`` gives: a ``MultiDiGraph`` keyed by node id, every
node with ``label`` and its properties, every edge with ``type`` and its properties.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("d", label="Document", city="某市")
    >>> g.add_node("x", label="Action", doc_id="d", number="1.", title="建设园区", city="某市")
    >>> g.add_node("甲局", label="Agency", name="某市甲局", city="某市")
    >>> _ = g.add_edge("d", "x", type="HAS_ACTION")
    >>> _ = g.add_edge("甲局", "x", type="LEADS", basis="explicit", rank=1)
    >>> view = filter_graph(g)            # Agency, Action, District, Park, Platform by default
    >>> sorted(view), sorted(neighbourhood(view, "甲局", 1))
    (['x', '甲局'], ['x', '甲局'])
    >>> search_nodes(g, "甲")
    ['甲局']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema
from graph.cells import is_node, is_path, is_relationship
from graph.vocabulary import BRINGING_RELATIONSHIPS, DOCUMENT_LABELS, ENTITY_LABELS, ROLE_RELATIONSHIPS
from views.draw import NODE_STYLES, is_corrected
from views.naming import node_name, value_text

__all__ = [
    "CENTRE_LABELS",
    "DEFAULT_LABELS",
    "ROLE_TYPES",
    "Quote",
    "action_document",
    "action_units",
    "corrected_facts",
    "corrections_about",
    "edge_facts",
    "filter_graph",
    "find_edge",
    "labels_present",
    "neighbourhood",
    "node_properties",
    "node_relationships",
    "plan_agencies",
    "result_graph",
    "search_nodes",
    "sorted_nodes",
    "source_quotes",
]

#: Node types shown when the user has not chosen: the working network of a plan.
DEFAULT_LABELS = ("Agency", "Action", "District", "Park", "Platform")
#: Node types offered in "centre on".
CENTRE_LABELS = ("Agency", "District", "Park", "Platform")
# Nodes the network page draws at most (the most connected; drawable): 2,000 generated nodes drew in
# 0.6 s in Chromium (docs/benchmarks.md § Explorer), tens of thousands froze the tab.
DRAW_LIMIT = 1500
#: Role name (lead, responsible, support) -> relationship type.
ROLE_TYPES: dict[str, str] = dict(ROLE_RELATIONSHIPS)
_ROLE_EDGES = frozenset(ROLE_TYPES.values())
#: Nodes that belong to one document (their ids start with it); all others are shared between documents.
_OWNED = frozenset(DOCUMENT_LABELS)
#: Structural links from a shared node to another shared node it brings along (member, district, kind).
_BRINGS = frozenset(BRINGING_RELATIONSHIPS)
_MENTIONED = ENTITY_LABELS


# --------------------------------------------------------------------------------------------- order

def labels_present(graph: nx.MultiDiGraph) -> list[str]:
    """Node types in the graph, in legend order (types without a style last).

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency"); g.add_node("x", label="Action")
        >>> labels_present(g)
        ['Action', 'Agency']
    """
    present = {str(d.get("label")) for _, d in graph.nodes(data=True)}
    return [label for label in NODE_STYLES if label in present] + sorted(present - NODE_STYLES.keys())


#: Order of node types in lists people choose from: the working network first.
_CHOICE_ORDER = ("Agency", "District", "Park", "Platform", "Organization", "Person", "Action", "AgencyKind",
                 "Target", "Section", "Document")


def _choice_rank(label: str) -> int:
    return _CHOICE_ORDER.index(label) if label in _CHOICE_ORDER else len(_CHOICE_ORDER)


def sorted_nodes(graph: nx.MultiDiGraph, nodes: Iterable[Hashable] | None = None) -> list[Hashable]:
    """Nodes in the order lists show them: agencies, districts, parks, platforms, …, actions in plan order.

        >>> g = nx.MultiDiGraph(); g.add_node("x", label="Action", seq=1); g.add_node("乙", label="Agency", name="乙局")
        >>> g.add_node("甲", label="Agency", name="甲局"); sorted_nodes(g)
        ['乙', '甲', 'x']
    """
    chosen = graph.nodes if nodes is None else nodes
    return sorted(chosen, key=lambda n: (_choice_rank(str(graph.nodes[n].get("label", ""))),
                                         str(graph.nodes[n].get("doc_id") or ""), _seq(graph, n),
                                         node_name(graph, n), str(n)))


# --------------------------------------------------------------------------------------------- filters

def _role_types(roles: Iterable[str] | None) -> frozenset[str]:
    if roles is None:
        return _ROLE_EDGES
    chosen = set()
    for role in roles:
        edge_type = ROLE_TYPES.get(role, role)
        if edge_type not in _ROLE_EDGES:
            raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLE_TYPES)}")
        chosen.add(edge_type)
    return frozenset(chosen)


def _in_scope(graph: nx.MultiDiGraph, documents: Iterable[str] | None, cities: Iterable[str] | None) -> set[Hashable]:
    """Nodes of the chosen documents (and of the documents of the chosen cities), with the shared nodes they use."""
    if documents is None and cities is None:
        return set(graph.nodes)
    doc_ids = {n for n, d in graph.nodes(data=True) if d.get("label") == "Document"}
    if documents is not None:
        doc_ids &= set(documents)
    if cities is not None:
        wanted = set(cities)
        doc_ids = {n for n in doc_ids if graph.nodes[n].get("city") in wanted}
    owned = {n for n, d in graph.nodes(data=True)
             if d.get("label") in _OWNED and (n if d.get("label") == "Document" else d.get("doc_id")) in doc_ids}
    shared: set[Hashable] = set()
    for node in owned:
        for other in (*graph.successors(node), *graph.predecessors(node)):
            if graph.nodes[other].get("label") not in _OWNED:
                shared.add(other)
    brought = set()
    for node in shared:
        for _, other, data in graph.out_edges(node, data=True):
            if data.get("type") in _BRINGS and graph.nodes[other].get("label") not in _OWNED:
                brought.add(other)
    return owned | shared | brought


def filter_graph(graph: nx.MultiDiGraph, *, documents: Iterable[str] | None = None,
                 cities: Iterable[str] | None = None, labels: Iterable[str] | None = DEFAULT_LABELS,
                 roles: Iterable[str] | None = None, expand_collectives: bool = True,
                 keep: Iterable[Hashable] = ()) -> nx.MultiDiGraph:
    """The part of ``graph`` the filters let through, as a new graph (the input is not changed).

    - ``documents``: Document ids; ``cities``: the plans of these cities. Actions, sections and targets
      of those plans are kept, with the agencies, entities and kinds they link to. None: every plan.
    - ``labels``: node types to keep (default :data:`DEFAULT_LABELS`; None: every type).
    - ``roles``: ``lead``/``responsible``/``support`` (or LEADS/RESPONSIBLE_FOR/SUPPORTS): the other
      role relationships are dropped, and so are agencies left with none of the chosen roles (a
      member of a collective that is kept stays, linked by INCLUDES). None: every role.
    - ``expand_collectives``: False drops the role relationships derived from a collective
      (``derived_from``), so notes read as written: 各区人民政府 on the action, its members beside it.
    - ``keep``: nodes kept whatever their type (the node the view is centred on), if they are in scope.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("x", label="Action"); g.add_node("甲", label="Agency"); g.add_node("乙", label="Agency")
        >>> _ = g.add_edge("甲", "x", type="LEADS"); _ = g.add_edge("乙", "x", type="RESPONSIBLE_FOR")
        >>> sorted(filter_graph(g, roles=["lead"]))
        ['x', '甲']
    """
    role_types = _role_types(roles)
    scope = _in_scope(graph, documents, cities)

    def edge_kept(data: Mapping[str, Any]) -> bool:
        edge_type = data.get("type")
        if edge_type not in _ROLE_EDGES:
            return True
        return edge_type in role_types and (expand_collectives or not data.get("derived_from"))

    nodes = set()
    for node in scope:
        is_agency = graph.nodes[node].get("label") == "Agency"
        if not is_agency or any(edge_kept(d) and a in scope for _, a, d in graph.out_edges(node, data=True)
                                if d.get("type") in _ROLE_EDGES):
            nodes.add(node)
    members = {m for node in nodes if graph.nodes[node].get("label") == "Agency"
               for _, m, d in graph.out_edges(node, data=True) if d.get("type") == "INCLUDES" and m in scope}
    nodes |= members
    # An agency kind only with an agency of that kind.
    nodes = {n for n in nodes if graph.nodes[n].get("label") != "AgencyKind"
             or any(a in nodes for a in graph.predecessors(n))}
    if labels is not None:
        wanted = set(labels)
        nodes = {n for n in nodes if graph.nodes[n].get("label") in wanted}
    nodes |= {n for n in keep if n in scope}
    view = nx.MultiDiGraph()
    view.add_nodes_from((n, dict(graph.nodes[n])) for n in sorted(nodes, key=str))
    view.add_edges_from((u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)
                        if u in nodes and v in nodes and edge_kept(d))
    return view


def corrected_facts(graph: nx.MultiDiGraph, keep: Iterable[Hashable] = ()) -> nx.MultiDiGraph:
    """Only what people corrected: the relationships and nodes with a ``correction`` (graph.corrections),
    with the nodes at both ends of those relationships; ``keep``: nodes kept besides, if in the graph.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("x", label="Action"); g.add_node("甲", label="Agency"); g.add_node("乙", label="Agency")
        >>> g.add_node("丙", label="Agency", correction="c-2")
        >>> _ = g.add_edge("甲", "x", type="LEADS", basis="corrected", correction="c-1")
        >>> _ = g.add_edge("乙", "x", type="RESPONSIBLE_FOR")
        >>> view = corrected_facts(g)
        >>> sorted(view), [(u, v, d["type"]) for u, v, d in view.edges(data=True)]
        (['x', '丙', '甲'], [('甲', 'x', 'LEADS')])
    """
    edges = [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True) if is_corrected(d)]
    nodes = {n for n, d in graph.nodes(data=True) if is_corrected(d)}
    nodes |= {end for u, v, _, _ in edges for end in (u, v)}
    nodes |= {n for n in keep if n in graph}
    view = nx.MultiDiGraph()
    view.add_nodes_from((n, dict(graph.nodes[n])) for n in sorted(nodes, key=str))
    view.add_edges_from(edges)
    return view


def plan_agencies(graph: nx.MultiDiGraph, doc_id: Hashable) -> list[Hashable]:
    """The agencies a unit of the plan ``doc_id`` may be, by name: those its actions name (a district's
    plan names the district's units, though the plan is its city's), those of its government, the
    national ones, and (its government unknown) the plan's own. What a correction of its actions offers.

        >>> g = nx.MultiDiGraph(); g.add_node("d", label="Document", city="某市")
        >>> g.add_node("某市乙局", label="Agency", name="某市乙局", city="某市")
        >>> g.add_node("某市甲局", label="Agency", name="某市甲局", city="某市")
        >>> g.add_node("国家局", label="Agency", name="国家局")
        >>> g.add_node("他市局", label="Agency", name="他市局", city="他市")
        >>> g.add_node("某区局", label="Agency", name="某区局", city="某区")
        >>> g.add_node("x", label="Action", doc_id="d")
        >>> _ = g.add_edge("某区局", "x", key="LEADS", type="LEADS")
        >>> plan_agencies(g, "d")
        ['国家局', '某区局', '某市乙局', '某市甲局']
    """
    city = graph.nodes[doc_id].get("city") if doc_id in graph else None
    named = {agency for action, d in graph.nodes(data=True) if d.get("label") == "Action" and d.get("doc_id") == doc_id
             for agency, _, e in graph.in_edges(action, data=True) if e.get("type") in ROLE_TYPES.values()}
    found = [n for n, d in graph.nodes(data=True) if d.get("label") == "Agency"
             and (n in named or (city is not None and d.get("city") == city)
                  or (d.get("city") is None and "/" not in str(n)) or str(n).startswith(f"{doc_id}/"))]
    return sorted(found, key=lambda n: (node_name(graph, n), str(n)))


def action_units(graph: nx.MultiDiGraph, action: Hashable) -> list[dict[str, Any]]:
    """The units of an action as its note gives them (not those expanded from a collective), in rank order:
    ``agency`` (id), ``name``, ``role`` (lead/responsible/support), ``basis``, ``correction``.

        >>> g = nx.MultiDiGraph(); g.add_node("x", label="Action"); g.add_node("甲", label="Agency", name="甲局")
        >>> g.add_node("乙", label="Agency", name="乙局")
        >>> _ = g.add_edge("乙", "x", type="RESPONSIBLE_FOR", rank=2); _ = g.add_edge("甲", "x", type="LEADS", rank=1)
        >>> [(u["name"], u["role"]) for u in action_units(g, "x")]
        [('甲局', 'lead'), ('乙局', 'responsible')]
    """
    roles = {edge_type: role for role, edge_type in ROLE_TYPES.items()}
    units = [{"agency": u, "name": node_name(graph, u), "role": roles[d["type"]], "basis": d.get("basis"),
              "correction": d.get("correction"), "rank": d.get("rank")}
             for u, _, d in graph.in_edges(action, data=True) if d.get("type") in roles and not d.get("derived_from")]
    return sorted(units, key=lambda u: (u["rank"] if isinstance(u["rank"], int) else 99, u["name"]))


def corrections_about(corrections: Iterable[Any], graph: nx.MultiDiGraph, node: Hashable) -> list[Any]:
    """The corrections (graph.corrections.Correction) about a node, as made: of an action (its document
    and number under its headings), of a document (its own kinds: title, date, government, removal), or
    of an agency (merged into or from it, renamed)."""
    data = graph.nodes[node]
    label = data.get("label")
    doc_id = node if label == "Document" else data.get("doc_id")
    source = graph.nodes[doc_id].get("source") if doc_id in graph else None

    def of_document(correction: Any) -> bool:
        key = correction.document
        return key is not None and (key.id == doc_id or (source is not None and key.source == source))

    def about(correction: Any) -> bool:
        scope = correction.spec.scope
        if label == "Action":
            key = correction.action
            return (scope == "action" and of_document(correction) and key is not None
                    and key.number == data.get("number")
                    and (not key.section or list(key.section) == list(data.get("section") or [])))
        if label == "Document":
            return scope == "document" and of_document(correction)
        if label == "Agency":
            return scope == "agency" and any(key.id == node for key in correction.agencies)
        return False

    return [correction for correction in corrections if about(correction)]


def neighbourhood(graph: nx.MultiDiGraph, centre: Hashable, depth: int = 1) -> nx.MultiDiGraph:
    """``centre`` and every node within ``depth`` hops of it (either direction), with the edges among them.

        >>> g = nx.MultiDiGraph([("a", "b", {"type": "X"}), ("c", "b", {"type": "X"}), ("c", "d", {"type": "X"})])
        >>> sorted(neighbourhood(g, "a", 1)), sorted(neighbourhood(g, "a", 2))
        (['a', 'b'], ['a', 'b', 'c'])
    """
    if centre not in graph:
        raise KeyError(f"{centre!r} is not in the graph")
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    seen = {centre: 0}
    queue = deque([centre])
    while queue:
        node = queue.popleft()
        if seen[node] == depth:
            continue
        for other in (*graph.successors(node), *graph.predecessors(node)):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return graph.subgraph(seen).copy()


def drawable(graph: nx.MultiDiGraph, limit: int = DRAW_LIMIT,
             keep: Iterable[Hashable] = ()) -> tuple[nx.MultiDiGraph, int, int]:
    """At most ``limit`` nodes of ``graph`` to draw, and how many nodes and relationships that leaves out.

    ``keep`` (the centre) first, then the most connected nodes (ties by name): a drawing of tens of
    thousands of nodes froze the browser, while the hubs and what joins them still show the shape.

        >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")])
        >>> shown, nodes, edges = drawable(g, 2)
        >>> sorted(shown), nodes, edges
        (['a', 'b'], 2, 3)
        >>> sorted(drawable(g, 2, keep=["d"])[0])
        ['a', 'd']
        >>> drawable(g, 10)[1:]
        (0, 0)
    """
    if graph.number_of_nodes() <= limit:
        return graph, 0, 0
    kept = set(keep)
    degree = dict(graph.degree())
    chosen = sorted(graph.nodes, key=lambda node: (node not in kept, -degree[node], str(node)))[:limit]
    shown = graph.subgraph(chosen).copy()
    return shown, graph.number_of_nodes() - shown.number_of_nodes(), graph.number_of_edges() - shown.number_of_edges()


def _fold(text: str) -> str:
    """Text for matching: simplified characters, half-width, case-folded (same rule as the loaders)."""
    try:
        from loaders.normalize import normalize_for_matching
    except ImportError:  # pragma: no cover - loaders are part of the package
        return text.casefold()
    return normalize_for_matching(text).casefold()


def search_nodes(graph: nx.MultiDiGraph, text: str, limit: int = 20,
                 labels: Iterable[str] | None = None) -> list[Hashable]:
    """Nodes whose name (or title, aliases, metric) contains ``text``: best matches first, at most ``limit``.

    Matching ignores case, full-/half-width and traditional/simplified forms. Exact names come first,
    then names starting with the text, then names containing it, then other fields; within each,
    agencies, districts, parks and platforms before actions and the rest, shorter names first.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("k1", label="Agency", name="鄂州市科技局", aliases=["市科技局"])
        >>> g.add_node("k2", label="Agency", name="仙桃市科技局")
        >>> g.add_node("o", label="Organization", name="华中科技大学")
        >>> search_nodes(g, "科技局"), search_nodes(g, "科技")
        (['k2', 'k1'], ['k2', 'k1', 'o'])
        >>> search_nodes(g, "市科技局")  # 市科技局 is how the 鄂州 plan writes it
        ['k2', 'k1']
        >>> search_nodes(g, "  ")
        []
    """
    needle = _fold(text.strip())
    if not needle:
        return []
    wanted = None if labels is None else set(labels)
    found = []
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", ""))
        if wanted is not None and label not in wanted:
            continue
        name = _fold(node_name(graph, node))
        others = [data.get(k) for k in ("title", "metric", "text") if isinstance(data.get(k), str)]
        others += [a for a in data.get("aliases") or [] if isinstance(a, str)]
        if label == "Document":
            others = [data.get("source") or ""]  # not the whole plan text
        if name == needle:
            grade = 0
        elif name.startswith(needle):
            grade = 1
        elif needle in name:
            grade = 2
        elif any(needle in _fold(o) for o in others):
            grade = 3
        else:
            continue
        found.append((grade, _choice_rank(label), len(name), name, str(node), node))
    found.sort(key=lambda item: item[:5])
    return [item[-1] for item in found[:limit]]


# --------------------------------------------------------------------------------------------- results

def result_graph(rows: list[list[Any]]) -> nx.MultiDiGraph:
    """Nodes and relationships found in query results (also inside lists and paths), as a drawable graph.

    Only values of the shape the stores give (graph.cells.is_node, is_relationship, is_path) are drawn;
    a map that merely looks like one (``RETURN $q`` with ``{"~label": …}``) is a value in the table, not a node.

        >>> g = result_graph([[{"~label": "Agency"}, {"~label": "Agency", "~key": "1", "label": "x", "name": "甲"}]])
        >>> list(g.nodes(data=True))
        [('1', {'label': 'Agency', 'name': '甲'})]
    """
    graph = nx.MultiDiGraph()
    relationships = []

    def visit(value: Any) -> None:
        if is_node(value):
            properties = {k: v for k, v in value.items() if not k.startswith("~")}
            graph.add_node(value["~key"], **{**properties, "label": value["~label"]})
        elif is_relationship(value):
            relationships.append(value)
        elif is_path(value):
            for item in value["~path"]:
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    for row in rows:
        for value in row:
            visit(value)
    for rel in relationships:
        if rel["~start"] in graph and rel["~end"] in graph:
            properties = {k: v for k, v in rel.items() if not k.startswith("~")}
            graph.add_edge(rel["~start"], rel["~end"], key=rel["~type"], **{**properties, "type": rel["~type"]})
    return graph


# --------------------------------------------------------------------------------------------- details

_HIDDEN_PROPERTIES = frozenset({"label"})


def node_properties(graph: nx.MultiDiGraph, node: Hashable, max_chars: int = 400) -> list[tuple[str, str]]:
    """The node's properties as (key, text) pairs, ``id`` and ``label`` first; long text ends in "…".

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="市科技局", aliases=["科技局"], kind=None)
        >>> node_properties(g, "a")
        [('label', 'Agency'), ('id', 'a'), ('aliases', '科技局'), ('name', '市科技局')]
    """
    data = graph.nodes[node]
    rows = [("label", str(data.get("label", ""))), ("id", str(node))]
    model = schema.NODES.get(data.get("label", ""))
    hidden = _HIDDEN_PROPERTIES | (schema.not_shown(model) if model else frozenset())  # alias_forms, reading
    for key in sorted(k for k in data if k not in hidden and k != "id"):
        value = data[key]
        if value is None or value == [] or value == "" or str(key).startswith("_"):
            continue
        text = value_text(value)
        if len(text) > max_chars:
            text = text[: max_chars - 1] + f"… ({len(text)})"
        rows.append((str(key), text))
    return rows


def node_relationships(graph: nx.MultiDiGraph, node: Hashable) -> list[dict[str, Any]]:
    """Every relationship of the node: ``direction`` (out/in), ``type``, ``other`` (id), ``other_name``,
    ``other_label``, ``basis``, ``rank``, ``derived_from``, ``correction`` (the correction that set it, if a
    person did); outgoing first, then by type and plan order.

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="甲局"); g.add_node("x", label="Action",
        ...     number="1.", title="建园区"); _ = g.add_edge("a", "x", type="LEADS", basis="explicit", rank=1)
        >>> [(r["direction"], r["type"], r["other_name"], r["basis"]) for r in node_relationships(g, "x")]
        [('in', 'LEADS', '甲局', 'explicit')]
    """
    rows = []
    for direction, edges in (("out", graph.out_edges(node, data=True)), ("in", graph.in_edges(node, data=True))):
        for u, v, data in edges:
            other = v if direction == "out" else u
            rows.append({"direction": direction, "type": str(data.get("type", "")), "other": other,
                         "other_name": node_name(graph, other),
                         "other_label": str(graph.nodes[other].get("label", "")),
                         "basis": data.get("basis"), "rank": data.get("rank"),
                         "derived_from": data.get("derived_from"), "correction": data.get("correction")})
    order = {"out": 0, "in": 1}
    rows.sort(key=lambda r: (order[r["direction"]], r["type"], str(graph.nodes[r["other"]].get("doc_id") or ""),
                             _seq(graph, r["other"]), r["rank"] if r["rank"] is not None else 99, r["other_name"]))
    return rows


def _seq(graph: nx.MultiDiGraph, node: Hashable) -> int:
    seq = graph.nodes[node].get("seq")
    return seq if isinstance(seq, int) else 0


@dataclass
class Quote:
    """A sentence from a document and the spans in it to highlight (offsets into ``text``).

    ``caption`` names where it is from (the action), ``node`` is that node, ``relation`` the relationship
    type it was read for (an agency's LEADS …) and ``via`` the collective a unit was expanded from.
    """

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    caption: str = ""
    node: Hashable | None = None
    relation: str | None = None
    via: str | None = None


def _quote_base(graph: nx.MultiDiGraph, doc_id: Any, quote: str, span: Any) -> int | None:
    """Where ``quote`` starts in its document, chosen so that it contains ``span``; None if not found."""
    if not quote or not _is_span(span) or doc_id not in graph:
        return None
    text = graph.nodes[doc_id].get("text")
    if not isinstance(text, str):
        return None
    start, end = span
    position = text.find(quote, max(0, end - len(quote)))
    if position < 0 or position > start or end > position + len(quote):
        return None
    return position


def _is_span(span: Any) -> bool:
    return (isinstance(span, list | tuple) and len(span) == 2 and all(isinstance(v, int) for v in span)
            and span[0] <= span[1])


def _relative(spans: Iterable[Any], base: int, length: int) -> list[tuple[int, int]]:
    out = []
    for span in spans:
        if _is_span(span) and span[0] >= base and span[1] <= base + length and span[1] > span[0]:
            out.append((span[0] - base, span[1] - base))
    return sorted(set(out))


def _quote_with(graph: nx.MultiDiGraph, quote: str, doc_id: Any, span: Any, words: Iterable[str] = (),
                extra: Iterable[Any] = ()) -> list[tuple[int, int]]:
    """Spans to mark in ``quote``: the document spans that fall inside it, else the first place of ``words``."""
    base = _quote_base(graph, doc_id, quote, span)
    if base is not None:
        return _relative([span, *extra], base, len(quote))
    for word in words:
        if word and (position := quote.find(word)) >= 0:
            return [(position, position + len(word))]
    return []


def source_quotes(graph: nx.MultiDiGraph, node: Hashable, limit: int = 40) -> list[Quote]:
    """The sentences a node was read from, with the extracted words to highlight.

    - an Action: its quote (the action's text with its note), marking the units of the note and the
      entities it mentions (document spans, based at the action's ``span``);
    - an Agency: the note of every action it leads, is responsible for or supports, marking the unit
      (a unit expanded from a collective marks the collective: that is what the note says);
    - a District, Park, Platform, Organization or Person: every sentence that mentions it;
    - anything else with a ``quote``: that quote, marking its span.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("d", label="Document", text="一、总则。1.建园区。（牵头单位：市科技局）")
        >>> g.add_node("x", label="Action", doc_id="d", span=[5, 22], quote="1.建园区。（牵头单位：市科技局）",
        ...            number="1.", title="建园区")
        >>> g.add_node("a", label="Agency", name="某市科技局")
        >>> _ = g.add_edge("a", "x", type="LEADS", doc_id="d", span=[17, 21], quote="（牵头单位：市科技局）")
        >>> q = source_quotes(g, "x")[0]; [q.text[s:e] for s, e in q.spans]
        ['市科技局']
        >>> q = source_quotes(g, "a")[0]; (q.caption, q.relation, [q.text[s:e] for s, e in q.spans])
        ('1. 建园区', 'LEADS', ['市科技局'])
    """
    data = graph.nodes[node]
    label = data.get("label")
    quotes: list[Quote] = []
    if label == "Action" and isinstance(data.get("quote"), str):
        quote, span = data["quote"], data.get("span")
        marks: list[Any] = [d.get("span") for *_, d in graph.in_edges(node, data=True)
                            if d.get("type") in _ROLE_EDGES]
        marks += [d.get("span") for *_, d in graph.out_edges(node, data=True) if d.get("type") == "MENTIONS"]
        if _is_span(span) and span[1] - span[0] == len(quote):
            spans = _relative(marks, span[0], len(quote))
        else:
            spans = _quote_with(graph, quote, data.get("doc_id"), span, extra=marks)
        quotes.append(Quote(quote, spans, node_name(graph, node), node))
    elif label == "Agency":
        seen = set()
        edges = sorted(((v, d) for _, v, d in graph.out_edges(node, data=True) if d.get("type") in _ROLE_EDGES),
                       key=lambda e: (_seq(graph, e[0]), str(e[0])))
        for action, d in edges:
            quote = d.get("quote")
            if not isinstance(quote, str) or not quote:
                continue
            span, words = d.get("span"), [d.get("as_written") or "", data.get("name") or ""]
            if not _is_span(span) and d.get("derived_from") in graph:  # the collective the unit came from
                for _, target, cd in graph.out_edges(d["derived_from"], data=True):
                    if target == action and cd.get("type") in _ROLE_EDGES and _is_span(cd.get("span")):
                        span = cd["span"]
                        break
            key = (quote, str(action), d.get("type"))
            if key in seen:
                continue
            seen.add(key)
            collective = d.get("derived_from")
            via = (node_name(graph, collective) if collective in graph else str(collective)) if collective else None
            quotes.append(Quote(quote, _quote_with(graph, quote, d.get("doc_id"), span, words),
                                node_name(graph, action), action, str(d.get("type")), via))
    elif label in _MENTIONED:
        seen = set()
        mentions = sorted(((u, d) for u, _, d in graph.in_edges(node, data=True) if d.get("type") == "MENTIONS"),
                          key=lambda e: (_seq(graph, e[0]), str(e[0])))
        for source, d in mentions:
            quote = d.get("quote")
            if not isinstance(quote, str) or not quote or (quote, d.get("doc_id"), str(d.get("span"))) in seen:
                continue
            seen.add((quote, d.get("doc_id"), str(d.get("span"))))
            spans = _quote_with(graph, quote, d.get("doc_id"), d.get("span"), [data.get("name") or ""])
            quotes.append(Quote(quote, spans, node_name(graph, source), source))
    if not quotes and isinstance(data.get("quote"), str) and data["quote"]:
        quote = data["quote"]
        words = [str(data.get(k)) for k in ("name", "text", "title") if data.get(k)]
        quotes.append(Quote(quote, _quote_with(graph, quote, data.get("doc_id"), data.get("span"), words), "", node))
    return quotes[:limit]


# --------------------------------------------------------------------------------------------- a relationship

def find_edge(graph: nx.MultiDiGraph, ends: Any) -> tuple[Hashable, Hashable, Hashable] | None:
    """The edge ``[from, to, key]`` names, as a drawing sends it back (views.draw.network_data's ``ends``:
    ids and key as JSON carried them), or None when the graph has no such edge.

        >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "x", key="LEADS", type="LEADS"); _ = g.add_edge("a", "x", 7)
        >>> find_edge(g, ["a", "x", "LEADS"]), find_edge(g, ["a", "x", "7"]), find_edge(g, ["a", "y", 0])
        (('a', 'x', 'LEADS'), ('a', 'x', 7), None)
    """
    if not isinstance(ends, list | tuple) or len(ends) != 3:
        return None
    u, v, key = ends
    u, v = _node_of(graph, u), _node_of(graph, v)
    if u is None or v is None or not graph.has_edge(u, v):
        return None
    for known in graph[u][v]:
        if known == key or str(known) == str(key):
            return u, v, known
    return None


def _node_of(graph: nx.MultiDiGraph, name: Any) -> Hashable | None:
    if name in graph:
        return name
    return next((node for node in graph.nodes if str(node) == str(name)), None)


def edge_facts(graph: nx.MultiDiGraph, u: Hashable, v: Hashable, key: Hashable) -> dict[str, Any]:
    """What the details of one relationship show: ``type``, its ends (``start``, ``end`` with ``start_name``,
    ``start_label``, ``end_name``, ``end_label``), ``basis``, ``rank``, ``as_written``, ``derived_from`` (the
    collective's name), ``correction``, and ``quote``: the sentence it was read from with the unit marked
    (a :class:`Quote`), or None.

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("d", label="Document", text="1.建园区。（牵头单位：市科技局）")
        >>> g.add_node("x", label="Action", doc_id="d", number="1.", title="建园区")
        >>> g.add_node("a", label="Agency", name="某市科技局")
        >>> k = g.add_edge("a", "x", type="LEADS", basis="explicit", rank=1, doc_id="d", span=[12, 16],
        ...                quote="（牵头单位：市科技局）", as_written="市科技局")
        >>> facts = edge_facts(g, "a", "x", k)
        >>> facts["type"], facts["start_name"], facts["end_name"], facts["basis"], facts["rank"]
        ('LEADS', '某市科技局', '1. 建园区', 'explicit', 1)
        >>> q = facts["quote"]; q.text, [q.text[s:e] for s, e in q.spans], q.caption
        ('（牵头单位：市科技局）', ['市科技局'], '1. 建园区')
    """
    data = graph.edges[u, v, key]
    collective = data.get("derived_from")
    via = (node_name(graph, collective) if collective in graph else str(collective)) if collective else None
    quote = data.get("quote")
    found = None
    if isinstance(quote, str) and quote:
        words = [str(data.get("as_written") or ""), node_name(graph, u)]
        spans = _quote_with(graph, quote, data.get("doc_id"), data.get("span"), words)
        action = v if graph.nodes[v].get("label") == "Action" else u
        found = Quote(quote, spans, node_name(graph, action), action, str(data.get("type", "")), via)
    return {"type": str(data.get("type", "")), "start": u, "end": v,
            "start_name": node_name(graph, u), "start_label": str(graph.nodes[u].get("label", "")),
            "end_name": node_name(graph, v), "end_label": str(graph.nodes[v].get("label", "")),
            "basis": data.get("basis"), "rank": data.get("rank"), "as_written": data.get("as_written"),
            "derived_from": via, "correction": data.get("correction"), "quote": found}


def action_document(graph: nx.MultiDiGraph, action: Hashable) -> Hashable | None:
    """The Document an action is part of: its ``doc_id`` when that document is in the graph, else the
    document its HAS_ACTION / HAS_SECTION chain starts from; None when the graph does not say.

        >>> g = nx.MultiDiGraph(); g.add_node("d", label="Document"); g.add_node("s", label="Section")
        >>> g.add_node("x", label="Action", doc_id="d"); g.add_node("y", label="Action")
        >>> _ = g.add_edge("d", "s", type="HAS_SECTION"); _ = g.add_edge("s", "y", type="HAS_ACTION")
        >>> action_document(g, "x"), action_document(g, "y"), action_document(g, "s")
        ('d', 'd', 'd')
    """
    if action not in graph:
        return None
    doc_id = graph.nodes[action].get("doc_id")
    if doc_id in graph and graph.nodes[doc_id].get("label") == "Document":
        return doc_id
    seen, queue = {action}, deque([action])
    while queue:
        node = queue.popleft()
        for parent, _, data in graph.in_edges(node, data=True):
            if data.get("type") not in ("HAS_ACTION", "HAS_SECTION") or parent in seen:
                continue
            if graph.nodes[parent].get("label") == "Document":
                return parent
            seen.add(parent)
            queue.append(parent)
    return None
