"""Draw a policy graph as one interactive, self-contained HTML page that needs no network.

The graph is a ``networkx.MultiDiGraph``: every node has ``label`` (its type: Document, Section,
Action, Agency, AgencyKind, District, Park, Platform, Organization, Person, Target) and ``name``
(display text), every edge has ``type`` (HAS_SECTION, HAS_ACTION, LEADS, RESPONSIBLE_FOR, SUPPORTS,
OF_KIND, INCLUDES, MENTIONS, SETS_TARGET, LOCATED_IN); any other attributes are properties.

pyvis builds the vis-network nodes, edges and options; the page is our own small template with
vis-network's JS and CSS (bundled with pyvis) inlined, the data as escaped JSON, a legend and an
info panel. Names and properties come from documents, so everything is shown as text: tooltips are
plain strings (vis-network 9 puts a string ``title`` into ``innerText``), the info panel is filled
with ``textContent``, the embedded JSON has ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and
the title and legend are HTML-escaped.

Styles (colour, shape, legend names in Chinese and English) are data: ``data/ui/styles.toml``. Property
values read as :func:`views.naming.value_text` writes them.

:func:`write_network_html` is the ``html`` export (``policykg export --format html``).

    >>> import networkx as nx
    >>> from views.draw import render_network_html
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a1", label="Agency", name="鄂州市科技局")
    >>> g.add_node("x1", label="Action", name="优化空间发展布局", number="1.")
    >>> _ = g.add_edge("a1", "x1", type="LEADS", basis="explicit", rank=1)
    >>> page = render_network_html(g, title="鄂州", highlight="a1")
    >>> page.startswith("<!DOCTYPE html>") and "鄂州市科技局" in page
    True
"""

from __future__ import annotations

import html
import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Hashable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from graph.vocabulary import ROLE_TYPES
from views.naming import value_text

__all__ = [
    "CORRECTED",
    "CORRECTED_STYLE",
    "EDGE_STYLES",
    "HUB_COUNT",
    "HUB_LABEL_PX",
    "LANGUAGES",
    "NODE_STYLES",
    "STYLES_PATH",
    "edge_details",
    "edge_legend_items",
    "hubs",
    "is_corrected",
    "layout_positions",
    "legend_items",
    "network_data",
    "node_details",
    "render_network_html",
    "vis_files",
    "vis_sources",
    "write_network_html",
]

STYLES_PATH = Path(__file__).resolve().parent.parent / "data" / "ui" / "styles.toml"

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FONT_FACE = re.compile(r"^[\w ,'-]+$")
_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|vh|em|rem)$")
_SHAPES = frozenset({"dot", "box", "ellipse", "circle", "database", "diamond", "square", "star", "triangle",
                     "triangleDown", "hexagon"})
_ROLE_EDGES = frozenset(ROLE_TYPES)
_LAYOUT_SEED = 20250809
#: How many of the most connected nodes keep a readable label at any zoom (the others' labels vis-network
#: hides when they would be drawn too small to read).
HUB_COUNT = 15
#: The smallest size (px on screen) a hub's label is drawn at.
HUB_LABEL_PX = 12


# --------------------------------------------------------------------------------------------- styles

def _check_style(where: str, style: Mapping[str, Any], *, node: bool) -> None:
    if not _COLOR.match(str(style.get("color", ""))):
        raise ValueError(f"{where}: color must be #rrggbb, got {style.get('color')!r}")
    if node:
        if style.get("shape") not in _SHAPES:
            raise ValueError(f"{where}: unknown shape {style.get('shape')!r}")
        if not _COLOR.match(str(style.get("font_color", ""))):
            raise ValueError(f"{where}: font_color must be #rrggbb")
    else:
        dashes = style.get("dashes", False)
        if not (dashes is False or (isinstance(dashes, list) and all(isinstance(d, int | float) for d in dashes))):
            raise ValueError(f"{where}: dashes must be false or a list of numbers")


def _load_styles(path: Path = STYLES_PATH) -> dict[str, Any]:
    """Read and check ``styles.toml``: node and edge styles with the defaults filled in."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    node_default = dict(raw["defaults"]["node"])
    edge_default = dict(raw["defaults"]["edge"])
    nodes: dict[str, dict[str, Any]] = {}
    for name, style in raw["nodes"].items():
        merged = {**node_default, "en": name, **style}
        _check_style(f"nodes.{name}", merged, node=True)
        nodes[name] = merged
    edges: dict[str, dict[str, Any]] = {}
    for name, style in raw["edges"].items():
        merged = {**edge_default, "en": name, **style}
        variants = {}
        for key, override in merged.pop("variants", {}).items():
            prop, _, value = key.partition("=")
            variant = {**merged, **override}
            _check_style(f"edges.{name}.variants.{key}", variant, node=False)
            variants[(prop, value)] = variant
        _check_style(f"edges.{name}", merged, node=False)
        merged["variants"] = variants
        edges[name] = merged
    # Nodes that views draw but the graph schema does not have (the overview's City and Province).
    view_nodes: dict[str, dict[str, Any]] = {}
    for name, style in raw.get("view_nodes", {}).items():
        merged = {**node_default, "en": name, **style}
        _check_style(f"view_nodes.{name}", merged, node=True)
        view_nodes[name] = merged
    # Relationships that views draw but the graph schema does not have (the coordination diagram's SHARES).
    view_edges: dict[str, dict[str, Any]] = {}
    for name, style in raw.get("view_edges", {}).items():
        merged = {**edge_default, "en": name, **style, "variants": {}}
        _check_style(f"view_edges.{name}", merged, node=False)
        view_edges[name] = merged
    _check_style("defaults.node", {**node_default, "en": ""}, node=True)
    _check_style("defaults.edge", edge_default, node=False)
    corrected = {"zh": "", "en": "corrected", "border_width": 3, **raw.get("corrected", {})}
    if not _COLOR.match(str(corrected.get("color", ""))):
        raise ValueError(f"corrected.color must be #rrggbb, got {corrected.get('color')!r}")
    _check_style("corrected", {"color": corrected["color"], "dashes": corrected.get("dashes", False)}, node=False)
    page = {"font_face": "sans-serif", "background": "#ffffff", "selected_border": "#f59e0b", **raw.get("page", {})}
    for key in ("background", "selected_border"):
        if not _COLOR.match(str(page[key])):
            raise ValueError(f"page.{key} must be #rrggbb, got {page[key]!r}")
    if not _FONT_FACE.match(str(page["font_face"])):
        raise ValueError(f"page.font_face must be font names and commas, got {page['font_face']!r}")
    return {"nodes": nodes, "edges": edges, "view_nodes": view_nodes, "view_edges": view_edges,
            "node_default": node_default, "edge_default": edge_default, "page": page,
            "tooltip": raw.get("tooltip", {}), "corrected": corrected}


_STYLES = _load_styles()

#: Style of each node type, in legend order: zh, en, color, shape, size, font_color, label_max.
NODE_STYLES: dict[str, dict[str, Any]] = _STYLES["nodes"]
#: Style of each relationship type, in legend order: zh, en, color, width, dashes, structural, variants.
EDGE_STYLES: dict[str, dict[str, Any]] = _STYLES["edges"]
#: How a fact a person corrected is drawn: zh, en, color (edges and node borders), border_width, dashes.
CORRECTED_STYLE: dict[str, Any] = _STYLES["corrected"]
#: The variant name of a corrected relationship in the legend (``data-variant="corrected"``).
CORRECTED = "corrected"


def is_corrected(props: Mapping[str, Any] | None) -> bool:
    """Whether a person set this relationship or node (graph.corrections gives it a ``correction`` id).

        >>> is_corrected({"correction": "c-1"}), is_corrected({"correction": None}), is_corrected({})
        (True, False, False)
    """
    return bool(props and props.get("correction"))


def _corrected(style: dict[str, Any]) -> dict[str, Any]:
    """A relationship's style, drawn as corrected: the corrected colour, the type's width."""
    mark = CORRECTED_STYLE
    return {**style, "color": mark["color"], "dashes": mark.get("dashes", style["dashes"]),
            "zh": f"{style['zh']}（{mark['zh']}）" if style["zh"] else mark["zh"],
            "en": f"{style['en']} ({mark['en']})", "variants": {}}


def _node_style(node_type: str) -> dict[str, Any]:
    style = NODE_STYLES.get(node_type) or _STYLES["view_nodes"].get(node_type)
    return style if style is not None else {**_STYLES["node_default"], "en": node_type}


def _edge_style(edge_type: str, props: Mapping[str, Any] | None = None) -> tuple[str | None, dict[str, Any]]:
    """The style of an edge and the variant that chose it ("basis=first-listed", "corrected"), or None.

    A relationship a person corrected is drawn as corrected whatever else it is."""
    style = EDGE_STYLES.get(edge_type) or _STYLES["view_edges"].get(edge_type)
    if style is None:
        style = {**_STYLES["edge_default"], "en": edge_type, "variants": {}}
    if is_corrected(props):
        return CORRECTED, _corrected(style)
    for (prop, value), variant in style["variants"].items():
        if props is not None and str(props.get(prop)) == value:
            return f"{prop}={value}", variant
    return None, style


# --------------------------------------------------------------------------------------------- legend

def legend_items(graph: nx.MultiDiGraph | None = None) -> list[dict[str, str]]:
    """Legend entries for node types: ``type``, ``zh``, ``en``, ``color``, ``shape``.

    Without a graph, every styled type in legend order; with one, only the types present in it (a type
    that has no style is listed last with the default style).

        >>> [item["zh"] for item in legend_items()][:3]
        ['文件', '章节', '行动']
        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="市科技局")
        >>> legend_items(g)
        [{'type': 'Agency', 'zh': '机构', 'en': 'Agency', 'color': '#2563eb', 'shape': 'dot'}]
    """
    if graph is None:
        types = list(NODE_STYLES)
    else:
        present = {str(data.get("label", "")) for _, data in graph.nodes(data=True)}
        types = [t for t in NODE_STYLES if t in present] + sorted(present - NODE_STYLES.keys())
    items = []
    for node_type in types:
        style = _node_style(node_type)
        items.append({"type": node_type, "zh": style["zh"], "en": style["en"], "color": style["color"],
                      "shape": style["shape"]})
    return items


def edge_legend_items(graph: nx.MultiDiGraph | None = None) -> list[dict[str, Any]]:
    """Legend entries for relationship types: ``type``, ``zh``, ``en``, ``color``, ``width``, ``dashes``.

    A variant (LEADS with ``basis="first-listed"``) is its own entry, with ``variant`` "basis=first-listed";
    so is a relationship a person corrected (``variant`` "corrected", drawn in the corrected colour).
    Without a graph, every styled type and variant; with one, only those present.

        >>> [(i["type"], i["zh"]) for i in edge_legend_items()][:2]
        [('LEADS', '牵头'), ('LEADS', '牵头（列第一位）')]
    """
    entries: list[tuple[str, str | None, dict[str, Any]]] = []
    for edge_type, style in EDGE_STYLES.items():
        entries.append((edge_type, None, style))
        entries.extend((edge_type, f"{prop}={value}", v) for (prop, value), v in style["variants"].items())
        entries.append((edge_type, CORRECTED, _corrected(style)))
    if graph is not None:
        seen: set[tuple[str, str | None]] = set()
        for _, _, data in graph.edges(data=True):
            edge_type = str(data.get("type", ""))
            seen.add((edge_type, _edge_style(edge_type, data)[0]))
        known = {(t, v) for t, v, _ in entries}
        entries = [e for e in entries if (e[0], e[1]) in seen]
        entries += [(t, v, _edge_style(t, {"correction": v} if v == CORRECTED else None)[1])
                    for t, v in sorted(seen, key=str) if (t, v) not in known]
    return [{"type": t, "variant": v, "zh": s["zh"], "en": s["en"], "color": s["color"], "width": s["width"],
             "dashes": s["dashes"]} for t, v, s in entries]


# --------------------------------------------------------------------------------------------- text

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def _one_line(text: str, limit: int) -> str:
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


LANGUAGES = ("zh", "en")


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def _word(key: str, lang: str, **values: Any) -> str:
    """A tooltip word from ``styles.toml`` ``[tooltip.words]`` in ``lang``, ``{name}`` filled from ``values``."""
    entry = _STYLES["tooltip"]["words"][key]
    text = str(entry.get(lang) or entry["zh"])
    return text.format(**values) if values else text


def _type_name(style: Mapping[str, Any], lang: str) -> str:
    return str(style.get(lang) or "") or _word("no_type", lang)


def _display_name(graph: nx.MultiDiGraph, node: Hashable) -> tuple[str, str | None]:
    """The text a node is known by, and the property it came from (None: the node key).

    The first non-empty property of the type's ``name_from`` list: ``name``, else e.g. an Action's
    ``title`` or a Target's ``text``.
    """
    data = graph.nodes[node]
    for key in _node_style(str(data.get("label", "")))["name_from"]:
        value = data.get(key)
        if value is not None and value != "" and value != []:
            return value_text(value), key
    return str(node), None


def _name(graph: nx.MultiDiGraph, node: Hashable) -> str:
    return _display_name(graph, node)[0]


def _names(graph: nx.MultiDiGraph, nodes: list[Hashable], lang: str) -> str:
    """Some nodes' names joined, at most ``tooltip.max_names`` of them, the rest counted."""
    most = int(_STYLES["tooltip"].get("max_names", 3))
    text = _word("list", lang).join(_name(graph, node) for node in nodes[:most])
    if len(nodes) > most:
        text += (" " if lang == "en" else "") + _word("more", lang, count=len(nodes) - most)
    return text


def _role_counts(graph: nx.MultiDiGraph, node: Hashable) -> Counter[str]:
    return Counter(str(d.get("type")) for _, _, d in graph.out_edges(node, data=True) if d.get("type") in _ROLE_EDGES)


def _tooltip_line(graph: nx.MultiDiGraph, node: Hashable, line: str, lang: str) -> str | None:
    """One line of a node's tooltip (see ``[tooltip]`` in styles.toml), or None when it has nothing to say."""
    data = graph.nodes[node]
    say = _word("separator", lang)
    if line == "@roles":
        counts = _role_counts(graph, node)
        parts = [f"{EDGE_STYLES[kind][lang]} {counts[kind]}" for kind in ROLE_TYPES if counts[kind]]
        return " · ".join(parts) or None
    if line == "@units":
        lines = []
        for kind in ROLE_TYPES:
            units = sorted(((d.get("rank") if isinstance(d.get("rank"), int) else 99, _name(graph, u), u)
                            for u, _, d in graph.in_edges(node, data=True)
                            if d.get("type") == kind and not d.get("derived_from")), key=lambda r: r[:2])
            if units:
                lines.append(f"{EDGE_STYLES[kind][lang]}{say}{_names(graph, [u for *_, u in units], lang)}")
        return "\n".join(lines) or None
    if line == "@mentions":
        count = sum(1 for _, _, d in graph.in_edges(node, data=True) if d.get("type") == "MENTIONS")
        return _word("mentions", lang, count=count) if count else None
    if line == "@members":
        count = sum(1 for _, _, d in graph.in_edges(node, data=True) if d.get("type") == "OF_KIND")
        return _word("members", lang, count=count) if count else None
    if line == "@english":
        english = data.get("name_en")
        return f"{_word('english', lang)}{say}{value_text(english)}" if lang == "en" and english else None
    value = data.get(line)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None  # a section path: the heading it is under
    if value is None or value == "" or isinstance(value, bool):
        return None
    return f"{_word(line, lang)}{say}{value_text(value)}"


def node_details(graph: nx.MultiDiGraph, node: Hashable, lang: str = "zh") -> str:
    """A node's tooltip: its type, its name, then a few short lines in ``lang`` ("zh" or "en"), plain text.

    What each type says is data (``[tooltip.lines]`` in styles.toml): an agency its kind, city and roles in
    the graph drawn, an action its units. It is never parsed as HTML; long values end in "…".

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="市科技局", kind="科技局", city="某市")
        >>> g.add_node("x", label="Action", title="建设园区", section=["一、总则", "（一）园区"])
        >>> _ = g.add_edge("a", "x", type="LEADS", rank=1)
        >>> print(node_details(g, "a"))
        机构
        市科技局
        类别：科技局
        城市：某市
        牵头 1
        >>> print(node_details(g, "x", "en"))
        Action
        建设园区
        Section: （一）园区
        leads: 市科技局
    """
    lang = _language(lang)
    data = graph.nodes[node]
    node_type = str(data.get("label", ""))
    style = _node_style(node_type)
    settings = _STYLES["tooltip"]
    limit = int(settings.get("max_value_chars", 60))
    every = settings.get("lines", {})
    lines = [_type_name(style, lang), _one_line(_name(graph, node), limit * 2)]
    for line in every.get(node_type, every.get("default", [])):
        said = _tooltip_line(graph, node, line, lang)
        if said:
            lines.extend(_one_line(part, limit) for part in said.split("\n"))
    if is_corrected(data):
        lines.append(str(CORRECTED_STYLE[lang]))
    return "\n".join(lines)


def edge_details(graph: nx.MultiDiGraph, u: Hashable, v: Hashable, key: Hashable, lang: str = "zh") -> str:
    """A relationship's tooltip: its type (and how it was read), its two ends, where it came from, plain text.

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="市科技局")
        >>> g.add_node("x", label="Action", name="优化布局")
        >>> k = g.add_edge("a", "x", type="LEADS", basis="first-listed", rank=1, quote="（责任单位：市科技局）")
        >>> print(edge_details(g, "a", "x", k))
        牵头（列第一位）
        市科技局 → 优化布局
        原文：（责任单位：市科技局）
        >>> print(edge_details(g, "a", "x", k, "en").splitlines()[0])
        leads (first-listed)
    """
    lang = _language(lang)
    data = graph.edges[u, v, key]
    edge_type = str(data.get("type", ""))
    style = _edge_style(edge_type, data)[1]
    settings = _STYLES["tooltip"]
    limit = int(settings.get("max_value_chars", 60))
    say = _word("separator", lang)
    lines = [str(style.get(lang) or "") or edge_type or _word("no_type", lang),
             _one_line(f"{_name(graph, u)} → {_name(graph, v)}", limit * 2)]
    collective = data.get("derived_from")
    if collective:
        lines.append(_one_line(f"{_word('via', lang)}{say}"
                               f"{_name(graph, collective) if collective in graph else value_text(collective)}", limit))
    quote = data.get("quote")
    if isinstance(quote, str) and quote.strip():
        lines.append(_one_line(f"{_word('source', lang)}{say}{quote}", int(settings.get("max_quote_chars", 80))))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- layout

def layout_positions(graph: nx.Graph, *, seed: int = _LAYOUT_SEED, iterations: int = 50,
                     spacing: float = 80.0) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y in px) for every node: a seeded Fruchterman-Reingold layout in numpy.

    Edge directions and parallel edges are ignored. Repulsion is computed exactly for all pairs, in
    float32 blocks, 50 iterations: about 0.6 s for 2,000 nodes and 3 s for 5,000 on two cores
    (``nx.spring_layout`` takes ~6 s for 2,000 and needs scipy). Weak gravity keeps separate
    components together; nodes with no edges are set in rows under the others. ``spacing`` is the
    ideal edge length in px. Nodes are taken in sorted order, so the result depends only on the graph
    and the seed.

        >>> pos = layout_positions(nx.path_graph(3))
        >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
        True
    """
    import numpy as np

    nodes = sorted(graph.nodes, key=str)
    linked = {node for a, b in graph.edges() if a != b for node in (a, b)}
    connected = [node for node in nodes if node in linked]
    isolated = [node for node in nodes if node not in linked]
    n = len(connected)
    k = 1.0 / math.sqrt(max(n, 1))
    pos = np.zeros((n, 2))
    if n:
        index = {node: i for i, node in enumerate(connected)}
        pairs = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges() if a != b})
        src = np.array([p[0] for p in pairs], dtype=np.intp)
        dst = np.array([p[1] for p in pairs], dtype=np.intp)
        pos = np.random.default_rng(seed).random((n, 2))
        temperature = 0.1
        cooling = temperature / (iterations + 1)
        for _ in range(iterations):
            disp = _repulsion(pos, k)
            for axis in (0, 1):
                delta = pos[src, axis] - pos[dst, axis]
                force = delta * np.hypot(pos[src, 0] - pos[dst, 0], pos[src, 1] - pos[dst, 1]) / k
                disp[:, axis] -= np.bincount(src, weights=force, minlength=n)
                disp[:, axis] += np.bincount(dst, weights=force, minlength=n)
            disp -= pos - pos.mean(axis=0)  # gravity
            length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-12)
            pos += disp * (np.minimum(length, temperature) / length)[:, None]
            temperature -= cooling
        pos = (pos - pos.mean(axis=0)) * (spacing / k)
    result = {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(connected, pos, strict=True)}
    # Nodes without edges would drift to a far ring; they go in rows under the rest instead.
    if isolated:
        left, right = (float(pos[:, 0].min()), float(pos[:, 0].max())) if n else (0.0, 0.0)
        top = float(pos[:, 1].max()) + 2 * spacing if n else 0.0
        columns = max(int((right - left) // spacing) + 1, math.ceil(math.sqrt(len(isolated))))
        if not n:
            left = -(columns - 1) * spacing / 2
        for i, node in enumerate(isolated):
            row, column = divmod(i, columns)
            result[node] = (round(left + column * spacing, 1), round(top + row * spacing, 1))
    return {node: result[node] for node in nodes}


def _repulsion(pos: Any, k: float, block: int = 256) -> Any:
    """Sum over j of k² (p_i - p_j) / |p_i - p_j|² for every i, as float64 (n, 2).

    Differences are taken directly (no |a|² + |b|² - 2ab expansion, which loses close pairs in float32)
    and summed with einsum, so no BLAS threads are involved and the result does not depend on them.
    """
    import numpy as np

    n = len(pos)
    p = (pos - pos.mean(axis=0)).astype(np.float32)
    x, y = np.ascontiguousarray(p[:, 0]), np.ascontiguousarray(p[:, 1])
    floor = np.float32((0.01 * k) ** 2)
    out = np.empty((n, 2), dtype=np.float64)
    for start in range(0, n, block):
        stop = min(start + block, n)
        dx = x[start:stop, None] - x[None, :]
        dy = y[start:stop, None] - y[None, :]
        w = dx * dx
        w += dy * dy
        np.maximum(w, floor, out=w)
        np.reciprocal(w, out=w)
        span = np.arange(stop - start)
        w[span, start + span] = 0.0
        out[start:stop, 0] = np.einsum("ij,ij->i", w, dx)
        out[start:stop, 1] = np.einsum("ij,ij->i", w, dy)
    return out * (k * k)


# --------------------------------------------------------------------------------------------- page

def _darker(color: str, factor: float = 0.7) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def _lighter(color: str, factor: float = 0.45) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * factor) for c in (r, g, b)))


def _label(name: str, limit: int) -> str:
    name = _CONTROL.sub(" ", name).strip()
    return name if len(name) <= limit else name[: max(limit - 1, 1)] + "…"


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: it cannot close it or start a comment."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def vis_files() -> tuple[Path, Path]:
    """vis-network's JS and CSS files as bundled with pyvis (9.1.2): what every drawing of ours runs."""
    import pyvis

    folder = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return folder / "vis-network.min.js", folder / "vis-network.css"


def vis_sources() -> tuple[str, str]:
    """vis-network's JS and CSS text without their source-map comments (a browser's tools would fetch the map)."""
    js_file, css_file = vis_files()
    js = re.sub(r"//# sourceMappingURL=\S*", "", js_file.read_text(encoding="utf-8"))
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css_file.read_text(encoding="utf-8"))
    return js, css


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled with pyvis, ready to inline."""
    js, css = vis_sources()
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


_SVG_SHAPES = {
    "dot": '<circle cx="9" cy="9" r="6"/>',
    "circle": '<circle cx="9" cy="9" r="7"/>',
    "ellipse": '<ellipse cx="9" cy="9" rx="8" ry="5"/>',
    "box": '<rect x="1" y="4" width="16" height="10" rx="2"/>',
    "database": '<rect x="3" y="2" width="12" height="14" rx="4"/>',
    "square": '<rect x="3" y="3" width="12" height="12"/>',
    "diamond": '<polygon points="9,1 17,9 9,17 1,9"/>',
    "triangle": '<polygon points="9,2 16.5,15 1.5,15"/>',
    "triangleDown": '<polygon points="1.5,3 16.5,3 9,16"/>',
    "hexagon": '<polygon points="9,1.5 15.5,5.25 15.5,12.75 9,16.5 2.5,12.75 2.5,5.25"/>',
    "star": '<polygon points="9,1 11.2,6.6 17,6.9 12.5,10.6 14,16.5 9,13.2 4,16.5 5.5,10.6 1,6.9 6.8,6.6"/>',
}


def _legend_html(graph: nx.MultiDiGraph) -> str:
    esc = html.escape
    rows = []
    for item in legend_items(graph):
        svg = (f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" fill="{item["color"]}" '
               f'stroke="{_darker(item["color"])}">{_SVG_SHAPES[item["shape"]]}</svg>')
        rows.append(f'<li data-type="{esc(item["type"])}">{svg}<span class="zh">{esc(item["zh"])}</span> '
                    f'<span class="en">{esc(item["en"])}</span></li>')
    if any(is_corrected(data) for _, data in graph.nodes(data=True)):
        mark = CORRECTED_STYLE
        svg = (f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" fill="#ffffff" '
               f'stroke="{mark["color"]}" stroke-width="3">{_SVG_SHAPES["dot"]}</svg>')
        rows.append(f'<li data-type="{CORRECTED}">{svg}<span class="zh">{esc(mark["zh"])}</span> '
                    f'<span class="en">{esc(mark["en"])}</span></li>')
    edge_rows = []
    for item in edge_legend_items(graph):
        dash = "" if not item["dashes"] else f' stroke-dasharray="{" ".join(str(d) for d in item["dashes"])}"'
        svg = (f'<svg width="34" height="12" viewBox="0 0 34 12" aria-hidden="true"><line x1="1" y1="6" x2="33" '
               f'y2="6" stroke="{item["color"]}" stroke-width="{item["width"]}"{dash}/></svg>')
        variant = f' data-variant="{esc(item["variant"])}"' if item["variant"] else ""
        edge_rows.append(f'<li data-type="{esc(item["type"])}"{variant}>{svg}<span class="zh">{esc(item["zh"])}'
                         f'</span> <span class="en">{esc(item["en"])}</span></li>')
    parts = ['<section class="legend"><h2><span class="zh">图例</span> <span class="en">Legend</span></h2>']
    if rows:
        parts.append('<ul class="legend-nodes">' + "".join(rows) + "</ul>")
    if edge_rows:
        parts.append('<ul class="legend-edges">' + "".join(edge_rows) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def hubs(graph: nx.MultiDiGraph, count: int = HUB_COUNT) -> list[Hashable]:
    """The ``count`` most connected nodes (by relationships drawn, then by name): their labels stay readable
    at any zoom.

        >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("c", "b"), ("a", "d")])
        >>> hubs(g, 2)
        ['a', 'b']
    """
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), _name(graph, n), str(n)))
    return ranked[:count]


def _edge_key(key: Hashable) -> Any:
    """A MultiDiGraph edge key as JSON can carry it back (the stores' keys are strings already)."""
    return key if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)) else str(key)


def network_data(graph: nx.MultiDiGraph, *, lang: str = "zh", physics: bool | None = None,
                 layout_threshold: int = 1500, highlight: Hashable | None = None) -> dict[str, Any]:
    """What a vis-network drawing of ``graph`` needs, as JSON-ready data: the one builder of the drawing.

    The explorer's network component and the HTML page (:func:`render_network_html`) both draw this.
    Keys: ``nodes`` and ``edges`` (vis-network items; a node also has ``type`` (its label) and ``hub``
    (keeps its label at any zoom); an edge ``type``, ``variant`` and ``ends``: [from, to, key] of the
    graph's edge), ``options``, ``physics`` (the browser refines the seeded layout, then freezes it),
    ``highlight`` (the node to select and centre on, or None), ``legend`` (HTML, escaped), ``counts``.
    Tooltips (``title``) are in ``lang``.

        >>> g = nx.MultiDiGraph(); g.add_node("a", label="Agency", name="市科技局")
        >>> g.add_node("x", label="Action", title="建园区"); _ = g.add_edge("a", "x", type="LEADS", rank=1)
        >>> data = network_data(g, lang="en", highlight="a")
        >>> [(n["id"], n["type"], n["hub"]) for n in data["nodes"]], data["edges"][0]["ends"]
        ([('a', 'Agency', True), ('x', 'Action', True)], ['a', 'x', 0])
        >>> data["nodes"][0]["title"].splitlines(), data["physics"], data["highlight"], data["counts"]
        (['Agency', '市科技局', 'leads 1'], True, 'a', {'nodes': 2, 'edges': 1})
    """
    lang = _language(lang)
    if highlight is not None and highlight not in graph:
        raise ValueError(f"highlight node {highlight!r} is not in the graph")
    large = graph.number_of_nodes() > layout_threshold
    use_physics = (not large) if physics is None else physics
    if graph.number_of_nodes() == 0:
        use_physics = False
    data = _network_data(graph, physics=use_physics, large=large, lang=lang)
    data["physics"] = use_physics
    data["highlight"] = None if highlight is None else str(highlight)
    data["legend"] = _legend_html(graph)
    data["counts"] = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    return data


def _network_data(graph: nx.MultiDiGraph, *, physics: bool, large: bool, lang: str) -> dict[str, Any]:
    """Nodes, edges and options built with pyvis."""
    from pyvis.network import Network

    face = _STYLES["page"]["font_face"]
    selected = _STYLES["page"]["selected_border"]
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    positions = layout_positions(graph)
    top = set(hubs(graph))
    role_degree: Counter[Hashable] = Counter()
    for u, v, data in graph.edges(data=True):
        if data.get("type") in _ROLE_EDGES:
            role_degree[u] += 1
            role_degree[v] += 1
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        style = _node_style(str(data.get("label", "")))
        color = style["color"]
        size = float(style["size"])
        if style.get("grow_with_roles"):
            size += min(14.0, 2.5 * math.sqrt(role_degree[node]))
        # A view may size and colour its own nodes: `_size` (px) and `_color` (#rrggbb), e.g. by community.
        if isinstance(data.get("_size"), int | float) and not isinstance(data.get("_size"), bool):
            size = float(data["_size"])
        if _COLOR.match(str(data.get("_color", ""))):
            color = str(data["_color"])
        x, y = positions[node]
        border, extra = _darker(color), {}
        if is_corrected(data):  # a person set it: a border of the corrected colour
            border = CORRECTED_STYLE["color"]
            extra["borderWidth"] = CORRECTED_STYLE["border_width"]
        net.add_node(
            str(node),
            label=_label(_name(graph, node), int(style["label_max"])),
            shape=style["shape"],
            color={"background": color, "border": border,
                   "highlight": {"background": color, "border": selected},
                   "hover": {"background": _lighter(color), "border": _darker(color, 0.5)}},
            font={"color": style["font_color"], "face": face},
            size=round(size, 1),
            title=node_details(graph, node, lang),
            x=x,
            y=y,
            type=str(data.get("label", "")),
            hub=node in top,
            **extra,
        )
    edges = sorted(graph.edges(keys=True, data=True),
                   key=lambda e: (str(e[0]), str(e[1]), json.dumps(e[3], sort_keys=True, default=str), str(e[2])))
    parallel: Counter[frozenset[str]] = Counter()
    for number, (u, v, key, data) in enumerate(edges):
        variant, style = _edge_style(str(data.get("type", "")), data)
        options: dict[str, Any] = {
            "id": f"e{number}",
            "title": edge_details(graph, u, v, key, lang),
            "type": str(data.get("type", "")),
            "variant": variant,
            "ends": [str(u), str(v), _edge_key(key)],
            "color": {"color": style["color"], "highlight": _darker(style["color"]),
                      "hover": _darker(style["color"]), "inherit": False},
            "width": style["width"],
            "dashes": style["dashes"],
        }
        if isinstance(data.get("_width"), int | float) and not isinstance(data.get("_width"), bool):
            options["width"] = float(data["_width"])  # a view's own width, e.g. by weight
        if style.get("directed") is False:
            options["arrows"] = {"to": {"enabled": False}}
        pair = frozenset((str(u), str(v)))
        if parallel[pair]:  # a second edge between the same two nodes curves away from the first
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * parallel[pair], 2)}
        parallel[pair] += 1
        net.add_edge(str(u), str(v), **options)
    net.options = _options(physics=physics, large=large, face=face)
    nodes, edge_list, _heading, _height, _width, options_json = net.get_network_data()
    return {"nodes": nodes, "edges": edge_list, "options": json.loads(options_json)}


def _options(*, physics: bool, large: bool, face: str) -> dict[str, Any]:
    if physics:
        physics_options: dict[str, Any] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.008, "springLength": 80,
                                 "springConstant": 0.06, "damping": 0.6, "avoidOverlap": 0.3},
            "maxVelocity": 40,
            "minVelocity": 1.0,
            "timestep": 0.4,
            "stabilization": {"enabled": True, "iterations": 60, "updateInterval": 30, "fit": True},
        }
    else:
        physics_options = {"enabled": False, "stabilization": {"enabled": False}}
    return {
        "autoResize": True,
        "layout": {"randomSeed": _LAYOUT_SEED, "improvedLayout": False},
        "physics": physics_options,
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "borderWidthSelected": 4, "font": {"face": face, "size": 14}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "arrowStrikethrough": False,
                  "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "selectionWidth": 2, "hoverWidth": 1},
    }


_PAGE_CSS = """
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:%(background)s;color:#1f2937;font-family:%(face)s}
header{padding:8px 14px;border-bottom:1px solid #e5e7eb;display:flex;align-items:baseline;gap:14px}
header h1{font-size:18px;margin:0;font-weight:600}
header .counts{font-size:13px;color:#6b7280}
main{display:flex;align-items:stretch}
#policykg-network{flex:1 1 auto;min-width:0;height:%(height)s;background:%(background)s}
aside{flex:0 0 270px;height:%(height)s;overflow:auto;border-left:1px solid #e5e7eb;padding:8px 12px;font-size:13px}
aside h2{font-size:14px;margin:6px 0}
aside .en{color:#6b7280}
aside ul{list-style:none;margin:0 0 10px;padding:0}
aside li{display:flex;align-items:center;gap:6px;padding:2px 0}
#policykg-info{white-space:pre-wrap;word-break:break-word;font:inherit;margin:0;color:#111827}
div.vis-tooltip{white-space:pre-wrap;max-width:420px;font-family:%(face)s;font-size:13px;line-height:1.45}
body.lang-zh .en,body.lang-en .zh{display:none}
body.lang-en aside .en{color:inherit}
"""

_PAGE_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("policykg-data").textContent);
  var container = document.getElementById("policykg-network");
  var info = document.getElementById("policykg-info");
  var hint = info.textContent;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  function show(item) { info.textContent = item ? item.title : hint; }
  network.on("selectNode", function (p) { show(nodes.get(p.nodes[0])); });
  network.on("selectEdge", function (p) { if (!p.nodes.length) { show(edges.get(p.edges[0])); } });
  network.on("deselectNode", function (p) { if (!p.nodes.length) { show(null); } });
  network.on("deselectEdge", function (p) { if (!p.nodes.length && !p.edges.length) { show(null); } });
  // The most connected nodes keep a readable label at any zoom; vis-network hides the others' when tiny.
  var hubs = nodes.get({filter: function (n) { return n.hub; }}).map(function (n) { return n.id; });
  function hubLabels() {
    var size = Math.min(Math.max(14, data.hub_px / network.getScale()), 140);
    nodes.update(hubs.map(function (id) { return {id: id, font: {size: size}}; }));
  }
  network.on("zoom", hubLabels);
  function ready() {
    if (data.physics) { network.setOptions({physics: {enabled: false}}); }
    if (data.highlight !== null && nodes.get(data.highlight)) {
      network.selectNodes([data.highlight]);
      network.focus(data.highlight, {scale: 1.2, animation: false});
      show(nodes.get(data.highlight));
    } else {
      network.fit({animation: false});
    }
    hubLabels();
    container.setAttribute("data-state", "ready");
  }
  if (data.physics) { network.once("stabilizationIterationsDone", ready); } else { ready(); }
  window.policykg = {network: network, nodes: nodes, edges: edges};
})();
"""


def render_network_html(graph: nx.MultiDiGraph, *, title: str = "", height: str = "720px",
                        physics: bool | None = None, layout_threshold: int = 1500,
                        highlight: str | None = None, lang: str = "zh", one_language: bool = False) -> str:
    """One self-contained HTML page drawing ``graph`` with vis-network; it loads nothing from the network.

    Positions always come from :func:`layout_positions` (seeded), so the same graph gives the same page.
    Up to ``layout_threshold`` nodes the browser then refines them with a short, bounded physics
    stabilization and freezes; above it the positions are final, physics is off and edges are straight.
    ``physics`` True/False overrides that choice. ``highlight`` is a node key to select and centre on
    load (its details show in the info panel). ``height`` is a CSS length (``720px``, ``80vh``).
    The page's own words are in Chinese and English (a file passed around is read by both), the
    tooltips in ``lang``; ``one_language`` shows only ``lang``'s words (a page shown inside the explorer,
    whose session has one language). The data is :func:`network_data`'s, as the explorer draws it.

        >>> page = render_network_html(nx.MultiDiGraph(), lang="en", one_language=True)
        >>> '<body class="lang-en">' in page and '<span class="en">nodes 0 · relationships 0</span>' in page
        True

        >>> g = nx.MultiDiGraph()
        >>> g.add_node("d", label="Document", name="仙桃市人工智能产业发展三年行动方案")
        >>> g.add_node("s", label="Section", name="一、实施基础夯实行动")
        >>> _ = g.add_edge("d", "s", type="HAS_SECTION")
        >>> page = render_network_html(g, title="仙桃", height="600px")
        >>> "vis.Network" in page and "&lt;" not in page.split("<title>")[1].split("</title>")[0]
        True
    """
    if not _CSS_LENGTH.match(height):
        raise ValueError(f"height must be a CSS length such as 720px or 80vh, got {height!r}")
    data = network_data(graph, lang=lang, physics=physics, layout_threshold=layout_threshold, highlight=highlight)
    legend = data.pop("legend")
    data["hub_px"] = HUB_LABEL_PX
    js, css = _vis_assets()
    face = _STYLES["page"]["font_face"]
    page_css = _PAGE_CSS % {"height": height, "face": face, "background": _STYLES["page"]["background"]}
    heading = html.escape(title)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    counts = f"节点 {nodes} · 关系 {edges}"
    hint = "点击节点查看详情 · Click a node or edge for details"
    details = '详情 <span class="en">Details</span>'
    body = "<body>"
    if one_language:
        counts = f'<span class="zh">{counts}</span><span class="en">nodes {nodes} · relationships {edges}</span>'
        hint = {"zh": "点击节点或关系查看详情", "en": "Click a node or a relationship for its details"}[_language(lang)]
        details = '<span class="zh">详情</span><span class="en">Details</span>'
        body = f'<body class="lang-{lang}">'

    return "".join([
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{heading or 'policykg'}</title>\n",
        "<style>\n", css, "\n</style>\n<style>", page_css, "</style>\n</head>\n", body, "\n",
        f'<header>{f"<h1>{heading}</h1>" if heading else ""}<span class="counts">{counts}</span></header>\n',
        '<main><div id="policykg-network" data-state="loading"></div>\n<aside>',
        legend,
        f'<section class="info"><h2>{details}</h2><pre id="policykg-info">{hint}</pre>'
        "</section></aside></main>\n",
        '<script type="application/json" id="policykg-data">', _script_json(data), "</script>\n",
        "<script>\n", js, "\n</script>\n",
        "<script>", _PAGE_JS, "</script>\n</body>\n</html>\n",
    ])


def write_network_html(graph: nx.MultiDiGraph, out: str | Path, *, title: str = "policykg") -> list[Path]:
    """Write the network page of ``graph`` to ``out`` (the ``html`` export); returns the file written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_network_html(graph, title=title), encoding="utf-8")
    return [out]
