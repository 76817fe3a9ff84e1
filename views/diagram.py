"""Coordination diagrams for reports and meetings: PNG, SVG with text that stays text, and a PowerPoint slide.

``policykg analyze coordination --out x.png|x.svg|x.pptx`` and the Coordination page draw with it; the page
shows the very picture it offers for download.

Three views (:class:`DiagramSpec` ``mode``):

- ``whole``: every agency on one ring, the members of a coordination community side by side;
- ``centred``: one lead agency in the middle, its partners in rings by the number of actions they share
  with it (ring 1, the closest, shares the most: :func:`views.coordination.partner_rings`);
- ``grouped``: the ring again, the agencies side by side by their type or their kind.

Circles are sized by the actions an agency leads (a black ring: a stated lead), coloured by group; a line
is as thick as the actions two agencies share. On the ring every line runs inside it and every label
outside, so no label lies under a line; round a centre the labels are placed where no spoke runs.
:func:`place_labels` puts each label at the best of several places round its circle, measured in display
coordinates with the renderer, that touches no other label, circle or line. Lines are drawn below circles,
circles below labels, labels on a white halo. The government is said once, in the title; the labels leave
its name out (:func:`views.coordination.diagram_label`). The legend has one entry per group, in its colour,
the group named by its members (``发改委·经信局 等 9 个单位``); a caption states the documents or city, the view
and the filters. Words are in the language asked for (``data/ui/coordination.toml``); labels are data.

Text is drawn with an installed CJK font (Noto Sans CJK, WenQuanYi, Source Han …); an SVG keeps it as
``<text>`` in that font family, so it can be edited.
"""

from __future__ import annotations

import io
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np

from views.coordination import (
    GROUP_BY,
    MODES,
    Group,
    default_centre,
    diagram_groups,
    diagram_label,
    government_of,
    partner_rings,
    ring_weights,
    word,
)
from views.draw import CORRECTED_STYLE

__all__ = ["CJK_FONT_FAMILIES", "FORMATS", "PALETTE", "SIZES", "Diagram", "DiagramSpec", "Filters", "NoCJKFont",
           "build_diagram", "cjk_font", "colour_of", "diagram_bytes", "draw_coordination", "figure_bytes",
           "place_labels", "slide_bytes"]

CJK_FONT_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
                     "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN",
                     "Droid Sans Fallback", "SimHei", "Microsoft YaHei", "PingFang SC")
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
           "#9c755f", "#bab0ac")
#: after PALETTE, for the groups of a diagram grouped by kind (dozens of them)
MORE_COLOURS = ("#a0cbe8", "#ffbe7d", "#8cd17d", "#ff9d9a", "#d4a6c8", "#499894", "#b6992d", "#fabfd2",
                "#d7b5a6", "#79706e", "#1b3a5c", "#7a3e00", "#2f5e1f", "#8c1d2b", "#5b3a70", "#39737c",
                "#6b5a1f", "#9e5b6b", "#5c4033", "#3d3d3d")
#: figure sizes in inches: a 16:9 slide and A4 landscape
SIZES = {"slide": (13.333, 7.5), "a4": (11.69, 8.27)}
FORMATS = ("png", "svg", "pptx")
#: the fonts an SVG names after the one it was drawn with, for the machines where that one is missing
SVG_FALLBACK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei")
PNG_DPI = 200
PLACE_DPI = 100  # the figure's dpi while it is laid out: boxes and segments are in its display pixels
LABEL_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # points; smaller only when the labels do not fit
HALO = 0.18  # the white box round a label, in units of its font size
GREY = "#9aa5b1"
PPTX_PICTURE = (13.333, 6.0)  # the slide's picture: the slide less its title and caption

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels


class NoCJKFont(RuntimeError):
    """No font with Chinese glyphs is installed."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The first installed font family that has Chinese glyphs."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FONT_FAMILIES:
        if family in installed:
            return family
    raise NoCJKFont("no font with Chinese characters is installed; on Debian/Ubuntu: apt-get install fonts-noto-cjk")


def colour_of(index: int) -> str:
    """The colour of group ``index``: PALETTE (the interactive view's), then more, then hues apart.

        >>> colour_of(0), colour_of(10), colour_of(len(PALETTE) + len(MORE_COLOURS))[:1]
        ('#4e79a7', '#a0cbe8', '#')
    """
    colours = PALETTE + MORE_COLOURS
    if index < len(colours):
        return colours[index]
    import colorsys

    red, green, blue = colorsys.hsv_to_rgb((index * 0.618034) % 1, 0.55, 0.8)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


@dataclass(frozen=True)
class Filters:
    """What the network was cut to, as the caption states it."""

    city: str | None = None
    documents: tuple[str, ...] = ()  # the titles of the documents chosen; () for all of them
    document_count: int | None = None  # how many documents "all" is
    min_weight: int = 1
    hide_unlinked: bool = False
    corrected_only: bool = False


@dataclass(frozen=True)
class DiagramSpec:
    """Which diagram: the view, its centre or grouping, the size and the language of its words."""

    mode: str = "whole"
    centre: Hashable | None = None  # an agency of the network (centred); None: the one sharing most actions
    group_by: str = "type"
    size: str = "slide"
    language: str = "zh"
    filters: Filters = field(default_factory=Filters)
    title: str | None = None  # instead of the title the diagram says itself
    seed: int = 7

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode {self.mode!r}: one of {', '.join(MODES)}")
        if self.group_by not in GROUP_BY:
            raise ValueError(f"group by {self.group_by!r}: one of {', '.join(GROUP_BY)}")
        if self.size not in SIZES:
            raise ValueError(f"size {self.size!r}: one of {', '.join(SIZES)}")


@dataclass
class Diagram:
    """A diagram drawn: the figure and what tests and exports read back from it."""

    figure: object  # matplotlib.figure.Figure
    title: str
    caption: list[str]  # the lines under the diagram (none when it is drawn without them)
    groups: list[Group]
    colours: dict  # group key -> colour
    legend: object | None  # matplotlib.legend.Legend, one entry per group
    labels: dict = field(default_factory=dict)  # node -> matplotlib Text
    boxes: dict = field(default_factory=dict)  # node -> Box of its label and halo
    nodes: dict = field(default_factory=dict)  # node -> (x, y, radius) in display pixels
    segments: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))  # every line drawn, display pixels
    edges: list = field(default_factory=list)  # (a, b) of every line drawn
    rings: dict = field(default_factory=dict)  # centred: partner -> ring
    ring_axes: dict = field(default_factory=dict)  # centred: ring -> its ellipse's half-axes, display pixels
    centre: Hashable | None = None
    leaders: dict = field(default_factory=dict)  # node -> its label's leader, display pixels
    label_size: float = 0.0  # points
    conflicts: int = 0  # labels that could not be placed clear (none on the bundled plans)
    font: str = ""
    statements: list[str] = field(default_factory=list)  # the caption's sentences, unbroken (the slide's text)

    @property
    def legend_entries(self) -> list[tuple[str, str]]:
        """(name, colour) of each group, in the legend's order."""
        return [(group.name, self.colours[group.key]) for group in self.groups]


# --------------------------------------------------------------------------------------------- label placement

#: directions tried round a circle, from the one preferred (degrees), and how far out (label heights)
TURNS = (0, 15, -15, 30, -30, 45, -45, 60, -60, 75, -75, 90, -90, 110, -110, 130, -130, 155, -155, 180)
STEPS = 8


def place_labels(anchors: np.ndarray, radii: np.ndarray, sizes: np.ndarray, preferred: np.ndarray,
                 circles: np.ndarray, segments: np.ndarray, bounds: Box, fixed: Sequence[Box] = (),
                 order: Sequence[int] | None = None, margin: float = 2.0, strict: bool = True
                 ) -> tuple[list[Box], int, list[tuple[float, float, float, float] | None]]:
    """A box for each label, in display pixels: the first of the places round its circle (``anchors``,
    ``radii``) that touches no label placed before it, no ``fixed`` box, no circle (``circles``: x, y, r)
    and no line (``segments``: x0, y0, x1, y1), inside ``bounds``. Places are tried from the ``preferred``
    direction (radians) turning away from it, then further out. A label set further than half its height
    from its circle gets a leader (a segment from the circle to the box) that crosses no other label, and
    no later label crosses it (unless ``strict`` is False and nothing else is clear). Labels are placed in
    ``order`` (default: as given).

    Returns the boxes, how many labels had no clear place (each then goes where it touches least) and each
    label's leader (None for a label beside its circle).

        >>> boxes, conflicts, leaders = place_labels(np.array([[100.0, 100.0], [130.0, 100.0]]),
        ...     np.array([5.0, 5.0]), np.array([[40.0, 10.0], [40.0, 10.0]]), np.array([0.0, 0.0]),
        ...     np.array([[100.0, 100.0, 5.0], [130.0, 100.0, 5.0]]), np.zeros((0, 4)), (0, 0, 400, 400))
        >>> conflicts, [tuple(round(v) for v in box) for box in boxes], leaders
        (0, [(87, 108, 127, 118), (138, 95, 178, 105)], [None, None])
    """
    count = len(anchors)
    placed: list[Box] = list(fixed)
    boxes: list[Box | None] = [None] * count
    leaders: list = [None] * count
    drawn_leaders: list[tuple[float, float, float, float]] = []
    conflicts = 0
    turns = np.radians(np.array(TURNS, dtype=float))
    candidates = sorted(((step, turn) for step in range(STEPS) for turn in range(len(TURNS))),
                        key=lambda c: (c[0] + abs(TURNS[c[1]]) / 45, c[0]))
    steps = np.array([c[0] for c in candidates], dtype=float)
    angles_off = turns[[c[1] for c in candidates]]
    for index in (order if order is not None else range(count)):
        (x, y), radius, (width, height) = anchors[index], radii[index], sizes[index]
        angles = preferred[index] + angles_off
        distance = radius + margin + 1.0 + steps * height * 0.75
        cx = x + np.cos(angles) * (distance + width / 2)
        cy = y + np.sin(angles) * (distance + height / 2)
        x0, y0, x1, y1 = cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2
        # the leader each place would need: from the circle toward the box's nearest point
        near_x, near_y = np.clip(x, x0, x1), np.clip(y, y0, y1)
        reach_out = np.hypot(near_x - x, near_y - y)
        needs = reach_out - radius > height * 0.5
        unit = np.where(reach_out > 0, 1 / np.maximum(reach_out, 1e-9), 0)
        lead = np.column_stack([x + (near_x - x) * unit * radius, y + (near_y - y) * unit * radius, near_x, near_y])
        bad = np.zeros(len(candidates))
        bad += 10 * ((x0 < bounds[0]) | (y0 < bounds[1]) | (x1 > bounds[2]) | (y1 > bounds[3]))
        if placed:
            others = np.array(placed)
            bad += 3 * _boxes_overlap(x0, y0, x1, y1, others, margin).sum(axis=1)
            crossed = _box_segment_cross(others[:, 0] - 1, others[:, 1] - 1, others[:, 2] + 1, others[:, 3] + 1, lead)
            soft = needs & crossed.any(axis=0)  # a leader across another label: only if nothing better
        else:
            soft = np.zeros(len(candidates), dtype=bool)
        bad += 2 * _box_circle_overlap(x0, y0, x1, y1, circles, margin).sum(axis=1)
        lines = np.concatenate([segments, np.array(drawn_leaders).reshape(-1, 4)]) if drawn_leaders else segments
        if len(lines):
            reach = distance.max() + width + height
            near = lines[(np.minimum(lines[:, 0], lines[:, 2]) < x + reach)
                         & (np.maximum(lines[:, 0], lines[:, 2]) > x - reach)
                         & (np.minimum(lines[:, 1], lines[:, 3]) < y + reach)
                         & (np.maximum(lines[:, 1], lines[:, 3]) > y - reach)]
            if len(near):
                bad += _box_segment_cross(x0 - margin / 2, y0 - margin / 2, x1 + margin / 2, y1 + margin / 2,
                                          near).sum(axis=1)
        clear = np.flatnonzero((bad == 0) & ~soft)
        if not len(clear) and not strict:
            clear = np.flatnonzero(bad == 0)
        best = int(clear[0]) if len(clear) else int(np.argmin(bad * 10 + soft + steps / 100))
        conflicts += not len(clear)
        boxes[index] = (float(x0[best]), float(y0[best]), float(x1[best]), float(y1[best]))
        placed.append(boxes[index])
        if needs[best]:
            leaders[index] = tuple(float(v) for v in lead[best])
            drawn_leaders.append(leaders[index])
    return boxes, conflicts, leaders


def _boxes_overlap(x0, y0, x1, y1, others: np.ndarray, margin: float) -> np.ndarray:
    return ((x0[:, None] < others[None, :, 2] + margin) & (x1[:, None] > others[None, :, 0] - margin)
            & (y0[:, None] < others[None, :, 3] + margin) & (y1[:, None] > others[None, :, 1] - margin))


def _box_circle_overlap(x0, y0, x1, y1, circles: np.ndarray, margin: float) -> np.ndarray:
    nearest_x = np.clip(circles[None, :, 0], x0[:, None], x1[:, None])
    nearest_y = np.clip(circles[None, :, 1], y0[:, None], y1[:, None])
    gap = np.hypot(nearest_x - circles[None, :, 0], nearest_y - circles[None, :, 1])
    return gap < circles[None, :, 2] + margin


def _box_segment_cross(x0, y0, x1, y1, segments: np.ndarray) -> np.ndarray:
    """boxes × segments: does the segment touch the box? (its bounding box meets the box, and the box's
    corners are not all on one side of its line: exact for a segment and a rectangle)."""
    sx0, sy0, sx1, sy1 = (segments[None, :, i] for i in range(4))
    meets = ((np.minimum(sx0, sx1) <= x1[:, None]) & (np.maximum(sx0, sx1) >= x0[:, None])
             & (np.minimum(sy0, sy1) <= y1[:, None]) & (np.maximum(sy0, sy1) >= y0[:, None]))
    boxes, lines = np.nonzero(meets)
    if len(boxes):
        ax, ay, bx, by = (segments[lines, i] for i in range(4))
        dx, dy = bx - ax, by - ay
        sides = np.array([dx * (cy[boxes] - ay) - dy * (cx[boxes] - ax)
                          for cx, cy in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))])
        apart = np.all(sides > 0, axis=0) | np.all(sides < 0, axis=0)
        meets[boxes[apart], lines[apart]] = False
    return meets


# --------------------------------------------------------------------------------------------- layout


def _ring_positions(order: list, group_of: Mapping, a: float, b: float,
                    label: tuple[float, float]) -> tuple[dict, dict]:
    """Positions on an ellipse of half-axes a, b (inches), clockwise from the top, a gap between groups;
    and each node's outward direction (radians, where its label goes).

    Nodes are spread by the room their labels need, not by angle: on the sides labels stack (a label's
    height apart), on top and below they stand side by side, on two levels (half a label's width apart).
    ``label`` is a typical label's width and height in inches.
    """
    slots: list[float] = []
    position = 0.0
    previous = object()
    for node in order:
        if group_of[node] != previous and slots:
            position += 0.8
        slots.append(position)
        position += 1.0
        previous = group_of[node]
    total = position + (0.8 if len({group_of[n] for n in order}) > 1 else 0.0)
    grid = np.linspace(0, 2 * np.pi, 2049)
    turn = np.pi / 2 - grid  # the ellipse's parameter at each point of the grid
    need = np.maximum(a * np.abs(np.sin(turn)) / (label[0] * 0.55), b * np.abs(np.cos(turn)) / label[1])
    need = 0.7 * need + 0.3 * need.mean()  # some room everywhere: a ring, not two columns
    room = np.concatenate(([0.0], np.cumsum((need[1:] + need[:-1]) / 2 * np.diff(grid))))
    positions, angles = {}, {}
    for node, slot in zip(order, slots, strict=True):
        t = math.pi / 2 - float(np.interp(slot / max(total, 1.0) * room[-1], room, grid))
        x, y = a * math.cos(t), b * math.sin(t)
        positions[node] = (x, y)
        angles[node] = math.atan2(y * a * a, x * b * b)  # the ellipse's outward normal there
    return positions, angles


def _centred_positions(rings: Mapping, weights: Mapping, a0: float, b0: float, a: float,
                       b: float) -> tuple[dict, dict]:
    """Partners on ellipses round the centre (0, 0), ring 1 innermost, each ring turned so that its partners
    lie between the spokes of the rings inside it."""
    count = max(rings.values(), default=0)
    positions, angles, taken = {}, {}, []
    for ring in range(1, count + 1):
        members = sorted((n for n, r in rings.items() if r == ring), key=lambda n: (-weights.get(n, 0), str(n)))
        share = (ring - 1) / (count - 1) if count > 1 else 1.0
        ra, rb = a0 + (a - a0) * share, b0 + (b - b0) * share
        step = 2 * math.pi / len(members)
        best_offset, best_gap = 0.0, -1.0
        for trial in range(24):
            offset = step * trial / 24
            spread = [math.pi / 2 - offset - step * i for i in range(len(members))]
            gap = min((abs((s - t + math.pi) % (2 * math.pi) - math.pi) for s in spread for t in taken),
                      default=math.pi)
            if gap > best_gap + 1e-9:
                best_offset, best_gap = offset, gap
        for i, node in enumerate(members):
            t = math.pi / 2 - best_offset - step * i
            positions[node] = (ra * math.cos(t), rb * math.sin(t))
            angles[node] = math.atan2(rb * math.sin(t) * ra * ra, ra * math.cos(t) * rb * rb)
            taken.append(math.atan2(rb * math.sin(t), ra * math.cos(t)))
    return positions, angles


def _clear_of(corner: tuple[float, float] | None, a: float, b: float, widest: float, tallest: float) -> float:
    """The widest half-axis ``a`` (at most the one given) of an ellipse whose labels, in its top right quarter,
    stay left of or below ``corner`` (the legend's lower left corner; None: no legend there)."""
    if corner is None:
        return a
    turns = np.linspace(0, np.pi / 2, 90)
    while a > 1.0:
        x, y = a * np.cos(turns), b * np.sin(turns)
        if not np.any((x + widest * 0.6 > corner[0]) & (y + tallest * 1.5 > corner[1])):
            break
        a -= 0.1
    return a


def _curve(p: tuple, q: tuple, pull: float = 0.35, pieces: int = 12) -> np.ndarray:
    """A quadratic Bézier from p to q bent toward the middle (0, 0), as points: it stays inside the ring."""
    control = np.array(((p[0] + q[0]) / 2 * pull, (p[1] + q[1]) / 2 * pull))
    t = np.linspace(0, 1, pieces + 1)[:, None]
    return (1 - t) ** 2 * np.array(p) + 2 * (1 - t) * t * control + t ** 2 * np.array(q)


def _from_box(box: Box, towards: tuple) -> tuple[float, float]:
    """Where the ray from the box's centre toward ``towards`` leaves the box (all in one unit)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    dx, dy = towards[0] - cx, towards[1] - cy
    scale = min((box[2] - cx) / abs(dx) if dx else math.inf, (box[3] - cy) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def node_radius(data: Mapping) -> float:
    """A circle's radius in inches: it grows with the actions the agency leads."""
    return min(0.045 + 0.022 * math.sqrt(data.get("leads", 0) or 0), 0.14)


# --------------------------------------------------------------------------------------------- the diagram


def build_diagram(network: nx.Graph, spec: DiagramSpec | None = None,
                  communities: Mapping[Hashable, int] | None = None, *, chrome: bool = True,
                  figsize: tuple[float, float] | None = None, largest: float | None = None) -> Diagram:
    """Draw ``network`` (queries.analytics.coordination_network; links may carry ``correction``) as ``spec``
    says. ``communities`` (node → number) colour the whole and centred views; computed if not given.
    ``chrome=False`` leaves out the title and caption (the slide says them as its own text).

    Labels are as large as LABEL_SIZES allows with every label clear, trying from ``largest`` (default: the
    largest, or for more than 40 agencies 7.5 pt, which more never get) down."""
    spec = spec or DiagramSpec()
    if largest is None:
        largest = LABEL_SIZES[0] if network.number_of_nodes() <= 40 or spec.mode == "centred" else 7.5
    for fontsize in [size for size in LABEL_SIZES if size <= largest] or LABEL_SIZES[-1:]:
        diagram = _draw(network, spec, communities, chrome, figsize, fontsize)
        if diagram.conflicts == 0 or fontsize == LABEL_SIZES[-1]:
            return diagram
        _close(diagram)
    raise AssertionError("unreachable")


def _close(diagram: Diagram) -> None:
    diagram.figure.clear()


def _draw(network: nx.Graph, spec: DiagramSpec, communities: Mapping | None, chrome: bool,
          figsize: tuple[float, float] | None, fontsize: float) -> Diagram:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Ellipse

    from queries.analytics import community_of

    family = cjk_font()
    language = spec.language
    width, height = figsize or SIZES[spec.size]
    figure = Figure(figsize=(width, height), dpi=PLACE_DPI)
    FigureCanvasAgg(figure)
    renderer = figure.canvas.get_renderer()
    font = FontProperties(family=family, size=fontsize)

    # what is drawn: the whole network, or the centre and its partners
    centre, rings = None, {}
    if spec.mode == "centred" and network.number_of_nodes():
        centre = spec.centre if spec.centre in network else default_centre(network)
        rings = partner_rings(network, centre)
        shown = network.subgraph([centre, *rings]).copy()
        edges = [(centre, partner) for partner in rings]
    else:
        shown = network
        edges = sorted(network.edges(), key=lambda e: (network.edges[e].get("weight", 1), str(e)))
    government = spec.filters.city or government_of(shown)
    if communities is None and shown.number_of_nodes():
        communities = community_of(network, spec.seed)
    groups = diagram_groups(shown, spec.mode, spec.group_by, communities, language, government)
    if spec.mode == "grouped":
        colours = {group.key: colour_of(index) for index, group in enumerate(groups)}
    else:
        colours = {group.key: colour_of(int(group.key)) for group in groups}
    group_of = {node: group.key for group in groups for node in group.members}

    # the bands: title on top, caption below, legend on the right, the drawing in between
    title = spec.title or word("title", language, scope=government or word("all_cities", language))
    caption_font = FontProperties(family=family, size=8.5)
    legend_width = 3.15 if width > 12 else 2.9
    top = 0.8 if chrome else 0.15
    statements = _caption_lines(shown, spec, centre, rings, edges, government, language)
    lines = _fit(statements, (width - 0.6) * PLACE_DPI, caption_font, renderer) if chrome else []
    bottom = 0.25 + 0.19 * len(lines) if chrome else 0.1
    # the legend: one entry per group, in its colour; in the drawing's top right corner (which the ring
    # leaves empty; labels keep clear of it) unless it is too long, then in a column of its own
    kind = "community" if spec.mode != "grouped" else spec.group_by
    entries = [(_wrap(group.name, legend_width, language), colours[group.key]) for group in groups]
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=colour,
                      markeredgecolor="white") for _, colour in entries]
    legend_size = 8.5 if len(entries) <= 14 else 7.5 if len(entries) <= 24 else 6.5
    legend = figure.legend(handles, [name for name, _ in entries], loc="upper right", frameon=False,
                           bbox_to_anchor=((width - 0.2) / width, (height - top) / height),
                           title=word(f"legend.{kind}", language), alignment="left",
                           prop=FontProperties(family=family, size=legend_size),
                           title_fontproperties=FontProperties(family=family, size=10, weight="bold"),
                           borderaxespad=0.0, labelspacing=0.55, handletextpad=0.4,
                           ncols=1 if len(entries) <= 30 else 2) if groups else None
    legend_box = None
    if legend is not None:
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_parse_math(False)  # names come from documents: "$…$" is text, not TeX
        extent = legend.get_window_extent(renderer)
        legend_box = (extent.x0 - 6, extent.y0 - 6, extent.x1 + 6, extent.y1 + 6)
    column = legend_box is not None and (legend_box[3] - legend_box[1]) / PLACE_DPI > 0.25 * (height - top - bottom)
    right = legend_width + 0.35 if column else 0.25
    area = (0.25, bottom, width - right - 0.25, height - top - bottom)  # inches: x, y, width, height
    axes = figure.add_axes((area[0] / width, area[1] / height, area[2] / width, area[3] / height))
    axes.set_axis_off()
    axes.set_xlim(-area[2] / 2, area[2] / 2)
    axes.set_ylim(-area[3] / 2, area[3] / 2)

    if chrome:
        figure.text(0.3 / width, 1 - 0.42 / height, title, fontproperties=FontProperties(family=family, size=17,
                    weight="bold"), va="center", parse_math=False, color="#1d2733")
        colour_line = []
        if any(shown.edges[e].get("correction") for e in edges):
            colour_line = [f"{CORRECTED_STYLE['diagram_' + language]}"]
        for index, line in enumerate(lines):
            figure.text(0.3 / width, (0.2 + 0.19 * (len(lines) - 1 - index)) / height, line,
                        fontproperties=caption_font,
                        color=CORRECTED_STYLE["color"] if line in colour_line else "#3b4654", va="bottom",
                        parse_math=False)

    diagram = Diagram(figure, title, lines, groups, colours, legend, centre=centre, rings=rings, font=family,
                      statements=statements)
    if shown.number_of_nodes() == 0:
        axes.text(0, 0, word("empty", language), fontproperties=FontProperties(family=family, size=12),
                  ha="center", va="center", color="#666666", parse_math=False)
        return diagram

    # measure each label with the renderer
    names = {node: diagram_label(shown, node, government) for node in shown}
    texts = {node: axes.text(0, 0, names[node], fontproperties=font, ha="center", va="center", zorder=4,
                             parse_math=False, color="#1d2733") for node in shown}
    sizes_px = {}
    halo = HALO * fontsize * PLACE_DPI / 72
    for node, text in texts.items():
        extent = text.get_window_extent(renderer)
        sizes_px[node] = (extent.width + 2 * halo, extent.height + 2 * halo)
    inch = PLACE_DPI
    widest = max(w for w, _ in sizes_px.values()) / inch
    tallest = max(h for _, h in sizes_px.values()) / inch
    radius = {node: node_radius(shown.nodes[node]) for node in shown}

    fixed: list[Box] = [legend_box] if legend_box is not None and not column else []
    corner = None
    if fixed:  # the legend's corner in the drawing's inches: the ring keeps its labels out of it
        left, low = axes.transData.inverted().transform(legend_box[:2])
        corner = (float(left), float(low))
    centre_box_in = None
    if centre is not None:
        cw, ch = sizes_px[centre][0] / inch + 0.2, sizes_px[centre][1] / inch + 0.14
        centre_box_in = (-cw / 2, -ch / 2, cw / 2, ch / 2)
        a = _clear_of(corner, area[2] / 2 - widest - 0.12, area[3] / 2 - 2.2 * tallest - 0.12, widest, tallest)
        b = area[3] / 2 - 2.2 * tallest - 0.12
        a0, b0 = min(a, cw / 2 + 0.55), min(b, ch / 2 + 0.42)
        weights = {p: shown.edges[centre, p].get("weight", 1) for p in rings}
        positions, outward = _centred_positions(rings, weights, a0, b0, a, b)
        positions[centre], outward[centre] = (0.0, 0.0), math.pi / 2
    else:
        order = [node for group in groups for node in group.members]
        b = area[3] / 2 - 2.6 * tallest - 0.1 - max(radius.values())
        a = _clear_of(corner, area[2] / 2 - widest - 0.15 - max(radius.values()), b, widest, tallest)
        typical = (float(np.median([w for w, _ in sizes_px.values()])) / inch, tallest)
        positions, outward = _ring_positions(order, group_of, max(a, 1.0), max(b, 0.8), typical)

    # lines: curves inside the ring, or spokes from the centre's box
    paths = []
    for a_node, b_node in edges:
        if centre is not None:
            start = _from_box(centre_box_in, positions[b_node])
            end = positions[b_node]
            paths.append(np.array((start, end)))
        else:
            paths.append(_curve(positions[a_node], positions[b_node]))
    heaviest = max((shown.edges[e].get("weight", 1) for e in edges), default=1)
    plain, dashed = [], []
    for (a_node, b_node), path in zip(edges, paths, strict=True):
        data = shown.edges[a_node, b_node]
        weight = data.get("weight", 1)
        line_width = 0.6 + 5.0 * (weight / heaviest) ** 0.8
        if data.get("correction"):
            dashed.append((path, CORRECTED_STYLE["color"], line_width))
        else:
            same = group_of.get(a_node) == group_of.get(b_node) or centre is not None
            colour = colours[group_of[b_node]] if same else GREY
            plain.append((path, colour, line_width))
    for items, style, alpha in ((plain, "solid", 0.5), (dashed, "dashed", 0.95)):
        if items:
            axes.add_collection(LineCollection([p for p, _, _ in items], colors=[c for _, c, _ in items],
                                               linewidths=[w for _, _, w in items], linestyles=style, alpha=alpha,
                                               zorder=1, capstyle="round"))
    if centre is not None:
        count = max(rings.values(), default=0)
        for ring in range(1, count + 1):
            share = (ring - 1) / (count - 1) if count > 1 else 1.0
            diagram.ring_axes[ring] = ((a0 + (a - a0) * share) * inch, (b0 + (b - b0) * share) * inch)
            axes.add_artist(Ellipse((0, 0), 2 * (a0 + (a - a0) * share), 2 * (b0 + (b - b0) * share), fill=False,
                                   edgecolor="#d5dbe1", linewidth=0.7, linestyle=(0, (3, 3)), zorder=0.5))

    # circles (the centre is its label's box, filled in its colour)
    for node in shown:
        if node == centre:
            continue
        data = shown.nodes[node]
        axes.add_artist(Circle(positions[node], radius[node], facecolor=colours[group_of[node]],
                              edgecolor="#1d2733" if data.get("explicit_leads") else "white",
                              linewidth=1.2, zorder=2))

    # labels, placed in display pixels
    transform = axes.transData
    anchors = np.array([transform.transform(positions[n]) for n in shown])
    nodes_list = list(shown)
    radii_px = np.array([0.0 if n == centre else radius[n] * inch for n in nodes_list])
    circles = np.column_stack([anchors, radii_px])
    circles = circles[radii_px > 0] if len(circles) else circles
    segments = np.concatenate([np.column_stack([transform.transform(p[:-1]), transform.transform(p[1:])])
                               for p in paths]) if paths else np.zeros((0, 4))
    x0, y0 = transform.transform((-area[2] / 2, -area[3] / 2))
    x1, y1 = transform.transform((area[2] / 2, area[3] / 2))
    if centre is not None:
        cx0, cy0 = transform.transform(centre_box_in[:2])
        cx1, cy1 = transform.transform(centre_box_in[2:])
        fixed.insert(0, (float(cx0), float(cy0), float(cx1), float(cy1)))
    movable = [i for i, n in enumerate(nodes_list) if n != centre]
    importance = sorted(movable, key=lambda i: (rings.get(nodes_list[i], 0),
                                                -shown.degree(nodes_list[i], weight="weight"), str(nodes_list[i])))
    boxes, conflicts, leaders = place_labels(anchors, radii_px, np.array([sizes_px[n] for n in nodes_list]),
                                    np.array([outward[n] for n in nodes_list]), circles, segments,
                                    (float(x0), float(y0), float(x1), float(y1)), fixed, importance)
    inverse = transform.inverted()
    ties = [np.array((inverse.transform(line[:2]), inverse.transform(line[2:]))) for line in leaders if line]
    if ties:
        axes.add_collection(LineCollection(ties, colors="#7b8794", linewidths=0.6, zorder=3))
    diagram.leaders = {n: leaders[i] for i, n in enumerate(nodes_list) if leaders[i]}
    for index, node in enumerate(nodes_list):
        text = texts[node]
        pad = dict(boxstyle=f"round,pad={HALO}", facecolor="white", edgecolor="none", alpha=0.92)
        if node == centre:
            box = fixed[0]
            text.set_fontweight("bold")
            pad = dict(boxstyle="round,pad=0.45", facecolor=colours[group_of[node]], edgecolor="#1d2733",
                       linewidth=1.2, alpha=1.0)
            text.set_color("white" if _dark(colours[group_of[node]]) else "#1d2733")
        else:
            box = boxes[index]
        text.set_position(inverse.transform(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)))
        text.set_bbox(pad)
        text.set_clip_on(False)
        diagram.labels[node] = text
        diagram.boxes[node] = box
    diagram.nodes = {n: (float(anchors[i][0]), float(anchors[i][1]), float(radii_px[i]))
                     for i, n in enumerate(nodes_list)}
    diagram.segments = segments
    diagram.edges = list(edges)
    diagram.conflicts = conflicts
    diagram.label_size = fontsize

    return diagram


def _dark(colour: str) -> bool:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 150


def _wrap(text: str, width_in: float, language: str) -> str:
    """A legend entry broken to fit its column (CJK characters count as two)."""
    room = int(width_in * 15)
    lines, line, used = [], "", 0
    for char in text:
        size = 2 if ord(char) > 0x2E80 else 1
        if used + size > room and line:
            cut = line.rfind(" ") if language == "en" and " " in line else -1
            if cut > 0:
                lines.append(line[:cut])
                line = line[cut + 1:]
                used = sum(2 if ord(c) > 0x2E80 else 1 for c in line)
            else:
                lines.append(line)
                line, used = "", 0
        line += char
        used += size
    return "\n".join([*lines, line])


def _caption_lines(shown: nx.Graph, spec: DiagramSpec, centre, rings, edges, government, language) -> list[str]:
    """The filters and the reading of the diagram, as sentences (one list item per statement)."""
    filters = spec.filters
    statements = []
    if filters.documents:
        statements.append(word("documents", language, documents="、".join(filters.documents)))
    elif filters.document_count is not None:
        statements.append(word("all_documents", language, count=filters.document_count))
    statements.append(word("city", language, city=filters.city or word("all_cities", language)))
    mode = word(f"mode.{spec.mode}", language)
    if spec.mode == "centred" and centre is not None:
        mode = word("centred_on", language, centre=diagram_label(shown, centre, government))
    elif spec.mode == "grouped":
        mode = word(f"grouped_by.{spec.group_by}", language)
    statements.append(word("shown_mode", language, mode=mode))
    statements.append(word("min_weight", language, count=filters.min_weight))
    if filters.hide_unlinked:
        statements.append(word("hide_unlinked", language))
    if filters.corrected_only:
        statements.append(word("corrected_only", language))
    statements.append(word("counts", language, agencies=shown.number_of_nodes(), links=len(edges)))
    reading = [word("encoding", language),
               word("colour." + ("community" if spec.mode != "grouped" else spec.group_by), language)]
    if centre is not None and rings:
        weights = "、".join(str(w) for w in ring_weights(shown, centre)) if language == "zh" else \
            ", ".join(str(w) for w in ring_weights(shown, centre))
        reading.append(word("rings", language, weights=weights))
    lines = [" · ".join(statements), " · ".join(reading)]
    if any(shown.edges[e].get("correction") for e in edges):
        lines.append(CORRECTED_STYLE["diagram_" + language])
    return lines


def _fit(lines: list[str], width_px: float, font, renderer) -> list[str]:
    """Lines broken at " · " (or, failing that, anywhere) so that each fits ``width_px``."""
    fitted = []
    for line in lines:
        current = ""
        for part in line.split(" · "):
            trial = f"{current} · {part}" if current else part
            if current and renderer.get_text_width_height_descent(trial, font, ismath=False)[0] > width_px:
                fitted.append(current)
                current = part
            else:
                current = trial
        while renderer.get_text_width_height_descent(current, font, ismath=False)[0] > width_px and len(current) > 8:
            cut = len(current) - 1
            while cut > 8 and renderer.get_text_width_height_descent(current[:cut], font, ismath=False)[0] > width_px:
                cut -= max(1, cut // 20)
            fitted.append(current[:cut])
            current = current[cut:]
        fitted.append(current)
    return fitted


# --------------------------------------------------------------------------------------------- exports


def figure_bytes(diagram: Diagram, fmt: str) -> bytes:
    """The drawn diagram as PNG or SVG (text as ``<text>`` in the CJK font family)."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "axes.unicode_minus": False,
                                "font.family": [diagram.font]}):
        if fmt == "png":
            diagram.figure.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white")
        elif fmt == "svg":
            diagram.figure.savefig(buffer, format="svg", facecolor="white")
            named = f"font-family: '{diagram.font}'"  # and where it is not installed, the CJK fonts that are
            fallback = ", ".join(repr(family) for family in SVG_FALLBACK_FONTS if family != diagram.font)
            return buffer.getvalue().decode("utf-8").replace(named, f"{named}, {fallback}, sans-serif").encode("utf-8")
        else:
            raise ValueError(f"{fmt}: a figure is png or svg")
    return buffer.getvalue()


def slide_bytes(network: nx.Graph, spec: DiagramSpec, communities: Mapping | None = None,
                largest: float | None = None) -> bytes:
    """One 16:9 PowerPoint slide: the title, the diagram as a picture and the caption (the filters) as text.
    ``largest``: the label size to try first (the size the page's picture found)."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    picture = build_diagram(network, spec, communities, chrome=False, figsize=PPTX_PICTURE, largest=largest)
    png = figure_bytes(picture, "png")
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    heading = slide.shapes.add_textbox(Inches(0.35), Inches(0.15), Inches(12.6), Inches(0.6)).text_frame
    heading.text = picture.title
    _style(heading.paragraphs[0], Pt(24), True, RGBColor(0x1D, 0x27, 0x33), picture.font)
    slide.shapes.add_picture(io.BytesIO(png), Inches(0), Inches(0.75), width=Inches(PPTX_PICTURE[0]))
    notes = slide.shapes.add_textbox(Inches(0.35), Inches(6.8), Inches(12.6), Inches(0.65)).text_frame
    notes.word_wrap = True
    for index, line in enumerate(picture.statements):
        paragraph = notes.paragraphs[0] if index == 0 else notes.add_paragraph()
        paragraph.text = line
        _style(paragraph, Pt(10), False, RGBColor(0x3B, 0x46, 0x54), picture.font)
    _close(picture)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _style(paragraph, size, bold: bool, colour, family: str) -> None:
    for run in paragraph.runs:
        run.font.size, run.font.bold, run.font.name = size, bold, family
        run.font.color.rgb = colour
        properties = run._r.get_or_add_rPr()  # the East Asian typeface too, or CJK falls back to another font
        east_asian = properties.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
        if east_asian is None:
            east_asian = properties.makeelement("{http://schemas.openxmlformats.org/drawingml/2006/main}ea", {})
            properties.append(east_asian)
        east_asian.set("typeface", family)


def diagram_bytes(network: nx.Graph, spec: DiagramSpec | None = None, fmt: str = "png",
                  communities: Mapping[Hashable, int] | None = None) -> bytes:
    """The diagram of ``network`` as ``fmt``: png, svg or pptx."""
    spec = spec or DiagramSpec()
    if fmt == "pptx":
        return slide_bytes(network, spec, communities)
    if fmt not in ("png", "svg"):
        raise ValueError(f"{fmt}: a diagram is {', '.join(FORMATS)}")
    diagram = build_diagram(network, spec, communities)
    try:
        return figure_bytes(diagram, fmt)
    finally:
        _close(diagram)


def draw_coordination(network: nx.Graph, out: str | Path, title: str = "", seed: int = 7,
                      spec: DiagramSpec | None = None, communities: Mapping[Hashable, int] | None = None) -> Path:
    """Write the diagram of ``network`` to ``out``: .png, .svg or .pptx (by its suffix)."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{out}: a diagram is .png, .svg or .pptx")
    spec = spec or DiagramSpec(seed=seed)
    if title:
        from dataclasses import replace

        spec = replace(spec, title=title)
    data = diagram_bytes(network, spec, fmt, communities)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
