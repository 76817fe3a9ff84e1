"""The document reader: a plan's text with what was read from it marked, one colour per kind.

The graph keeps every mention's provenance (``doc_id``, ``span`` into ``Document.text``): the units
of the notes on LEADS / RESPONSIBLE_FOR / SUPPORTS, the entities on MENTIONS, the targets on their
nodes. :func:`document_marks` gathers a document's; :func:`segments` splits a stretch of the text
into runs, each with the kind it is shown as and every mark that covers it. Marks nest (a unit
inside a target's clause) and may overlap: a run is shown as the innermost mark covering it, the
shortest (of two as short, the one starting later, then the kind listed first), and its tooltip
lists them all. :func:`window` chooses the stretch shown of a long document; :func:`reader_html`
renders it, every character of the document escaped, the only markup ours. Colours are data
(``[reader]`` of ``data/ui/styles.toml``); words are the caller's (the page passes them in the
session's language).

>>> marks = [Mark(0, 6, "target", "平台"), Mark(2, 4, "agency", "市科技局")]
>>> [(s.start, s.end, s.kind, len(s.marks)) for s in segments("建设市科平台,", marks)]
[(0, 2, 'target', 1), (2, 4, 'agency', 2), (4, 6, 'target', 1), (6, 7, None, 0)]
"""

from __future__ import annotations

import html
import itertools
import re
import tomllib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from graph.vocabulary import ROLE_TYPES
from loaders.model import PlanDocument

STYLES_PATH = Path(__file__).resolve().parent.parent / "data" / "ui" / "styles.toml"
#: the kinds of span, in the order of the legend and of precedence between marks as long
KINDS = ("agency", "district", "park", "platform", "organisation", "person", "target")
ENTITY_KINDS = {"District": "district", "Park": "park", "Platform": "platform", "Organization": "organisation",
                "Person": "person"}
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, order=True)
class Mark:
    """A span ``[start, end)`` of the document's text read as ``kind``, naming ``name`` (a unit, an entity,
    what a target counts)."""

    start: int
    end: int
    kind: str
    name: str


@dataclass(frozen=True)
class Segment:
    """A run of the text: shown as ``kind`` (None: unmarked), covered by ``marks`` (innermost first),
    inside the action the reader was opened at if ``focus``."""

    start: int
    end: int
    kind: str | None
    marks: tuple[Mark, ...] = ()
    focus: bool = False


@dataclass(frozen=True)
class ReaderStyle:
    colors: Mapping[str, str]
    focus: str
    window: int


@cache
def reader_style(path: Path = STYLES_PATH) -> ReaderStyle:
    """The ``[reader]`` table of ``styles.toml``: a colour per kind, the outline's colour, the window's size.

    >>> style = reader_style(); list(style.colors) == list(KINDS), style.window > 0
    (True, True)
    """
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["reader"]
    colors = {kind: raw["kinds"][kind] for kind in KINDS}
    for where, color in (*((f"reader.kinds.{k}", c) for k, c in colors.items()), ("reader.focus", raw["focus"])):
        if not _COLOR.match(str(color)):
            raise ValueError(f"{where} must be #rrggbb, got {color!r}")
    if not isinstance(raw["window"], int) or raw["window"] < 200:
        raise ValueError(f"reader.window must be a whole number of characters, at least 200, got {raw['window']!r}")
    return ReaderStyle(colors=colors, focus=raw["focus"], window=raw["window"])


# -- what was read, where ---------------------------------------------------------------------------
def _span(value: Any) -> tuple[int, int] | None:
    if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int) for v in value) \
            and value[0] < value[1]:
        return int(value[0]), int(value[1])
    return None


def document_marks(graph: nx.MultiDiGraph, doc_id: Hashable) -> list[Mark]:
    """Every mark of one document, sorted, each once: the units its notes name (by the agency's name), the
    entities it mentions, its targets (by what they count).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("d", label="Document", text="1.建园区。（牵头单位：市科技局）")
    >>> g.add_node("a", label="Agency", name="某市科技局")
    >>> g.add_node("x", label="Action", doc_id="d", span=[0, 18])
    >>> g.add_node("p", label="Park", name="园区", doc_id="d", span=[3, 5])
    >>> _ = g.add_edge("a", "x", type="LEADS", doc_id="d", span=[12, 16])
    >>> _ = g.add_edge("x", "p", type="MENTIONS", doc_id="d", span=[3, 5])
    >>> document_marks(g, "d")
    [Mark(start=3, end=5, kind='park', name='园区'), Mark(start=12, end=16, kind='agency', name='某市科技局')]
    """
    marks: set[Mark] = set()
    for start, end, data in graph.edges(data=True):
        span = _span(data.get("span"))
        if span is None or data.get("doc_id") != doc_id:
            continue
        if data.get("type") in ROLE_TYPES:
            marks.add(Mark(*span, "agency", str(graph.nodes[start].get("name") or start)))
        elif data.get("type") == "MENTIONS":
            kind = ENTITY_KINDS.get(graph.nodes[end].get("label"))
            if kind:
                marks.add(Mark(*span, kind, str(graph.nodes[end].get("name") or end)))
    for node, data in graph.nodes(data=True):
        span = _span(data.get("span"))
        if span is None or data.get("doc_id") != doc_id:
            continue
        if data.get("label") == "Target":
            marks.add(Mark(*span, "target", str(data.get("metric") or data.get("text") or node)))
        elif data.get("label") in ENTITY_KINDS:  # an entity's first mention (a document's own, too)
            marks.add(Mark(*span, ENTITY_KINDS[data["label"]], str(data.get("name") or node)))
    return sorted(marks)


def plan_marks(doc: PlanDocument) -> list[Mark]:
    """The same marks for a plan not (yet) in the graph (an upload's preview): the units of its notes by
    their scoped names, its entities, its targets.

    >>> from loaders import extract_text
    >>> doc = extract_text("（一）建平台。到2027年建成平台3个。（牵头单位：市科技局）", "t.txt")
    >>> [(m.kind, m.name, doc.text[m.start:m.end]) for m in plan_marks(doc)]
    [('target', '平台', '到2027年建成平台3个'), ('agency', '市科技局', '市科技局')]
    """
    marks = {Mark(*ref.span, "agency", ref.canonical) for action in doc.actions for ref in action.agencies if ref.span}
    entities = [*doc.entities, *(entity for action in doc.actions for entity in action.entities)]
    marks |= {Mark(*entity.span, ENTITY_KINDS[entity.type], entity.name) for entity in entities}
    marks |= {Mark(*target.span, "target", target.metric) for target in doc.targets}
    return sorted(mark for mark in marks if mark.start < mark.end)


def document_actions(graph: nx.MultiDiGraph, doc_id: Hashable) -> list[Hashable]:
    """The document's actions in their order in it (``seq``)."""
    found = [(data.get("seq") or 0, str(node), node) for node, data in graph.nodes(data=True)
             if data.get("label") == "Action" and data.get("doc_id") == doc_id]
    return [node for *_, node in sorted(found)]


def action_span(graph: nx.MultiDiGraph, action: Hashable | None) -> tuple[int, int] | None:
    """Where an action is written in its document, if the graph knows it."""
    if action is None or action not in graph:
        return None
    return _span(graph.nodes[action].get("span"))


# -- runs ------------------------------------------------------------------------------------------------
def _innermost(mark: Mark) -> tuple[int, int, int]:
    """The order of precedence: the shortest, then the one starting later, then the kind listed first."""
    return mark.end - mark.start, -mark.start, KINDS.index(mark.kind) if mark.kind in KINDS else len(KINDS)


def segments(text: str, marks: Iterable[Mark], start: int = 0, end: int | None = None,
             focus: tuple[int, int] | None = None) -> list[Segment]:
    """``text[start:end]`` as runs: each run's kind is that of the innermost mark covering it (see the
    module's docstring), its ``marks`` every mark covering it, innermost first; runs break where a
    mark or the focus (the action opened at) starts or ends. Marks beyond the stretch are cut at its edges.

    >>> marks = [Mark(0, 4, "district", "甲区"), Mark(2, 6, "park", "乙园")]  # as long: the later wins
    >>> [(s.start, s.end, s.kind, [m.name for m in s.marks]) for s in segments("甲区乙园丙丁", marks)]
    [(0, 2, 'district', ['甲区']), (2, 4, 'park', ['乙园', '甲区']), (4, 6, 'park', ['乙园'])]
    >>> [(s.start, s.end, s.focus) for s in segments("一二三四五", [], 1, 5, focus=(2, 3))]
    [(1, 2, False), (2, 3, True), (3, 5, False)]
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    inside = [m for m in marks if m.start < end and m.end > start and m.start < m.end]
    cuts = {start, end}
    for mark in inside:
        cuts.update((max(start, mark.start), min(end, mark.end)))
    if focus is not None:
        cuts.update(position for position in focus if start < position < end)
    points = sorted(cuts)
    # A sweep over the cuts: marks enter at their start and leave at their end.
    opening = sorted(inside, key=lambda m: m.start)
    active: list[Mark] = []
    runs: list[Segment] = []
    next_mark = 0
    for left, right in itertools.pairwise(points):
        while next_mark < len(opening) and opening[next_mark].start <= left:
            active.append(opening[next_mark])
            next_mark += 1
        active = [m for m in active if m.end > left]
        covering = tuple(sorted(active, key=_innermost))
        in_focus = focus is not None and focus[0] <= left and right <= focus[1]
        kind = covering[0].kind if covering else None
        if runs and runs[-1].end == left and runs[-1].marks == covering and runs[-1].focus == in_focus:
            runs[-1] = Segment(runs[-1].start, right, kind, covering, in_focus)
        else:
            runs.append(Segment(left, right, kind, covering, in_focus))
    return runs


def window(text: str, size: int, at: int = 0, fit: tuple[int, int] | None = None) -> tuple[int, int]:
    """The stretch of ``text`` shown: from the start of the line holding ``at``, about ``size`` characters,
    ending at a line's end when one is near (within a tenth of ``size``); long enough to hold ``fit``
    (the action opened at) when it starts in it. A text no longer than ``size`` is shown whole.

    >>> text = "一二三\\n四五六七\\n八九十\\n"
    >>> window(text, 5, at=5), window(text, 100, at=5), window(text, 5, at=5, fit=(4, 12))
    ((4, 9), (0, 13), (4, 13))
    """
    if len(text) <= size:
        return 0, len(text)
    at = max(0, min(at, len(text) - 1))
    start = text.rfind("\n", 0, at) + 1
    end = min(len(text), start + size)
    if fit is not None and start <= fit[0] < end:
        end = max(end, min(len(text), fit[1]))
    line_end = text.find("\n", end - 1, min(len(text), end + max(1, size // 10)))
    if line_end != -1:
        end = line_end + 1
    return start, end


def earlier(text: str, size: int, start: int) -> int:
    """Where the stretch before one starting at ``start`` starts (0 at the top).

    >>> earlier("一二三\\n四五六七\\n八九十\\n", 5, 9)
    4
    """
    return text.rfind("\n", 0, max(0, start - size)) + 1 if start - size > 0 else 0


# -- HTML --------------------------------------------------------------------------------------------------
def reader_css(style: ReaderStyle | None = None) -> str:
    """The reader's style sheet: a background per kind, the outline of the action opened at. Colours are
    checked ``#rrggbb`` (:func:`reader_style`), so nothing else reaches the sheet."""
    style = style or reader_style()
    kinds = "".join(f".pk-reader .pk-k-{kind},.pk-legend .pk-k-{kind}{{background:{color}}}"
                    for kind, color in style.colors.items())
    return ("<style>.pk-reader{white-space:pre-wrap;line-height:1.9;max-height:34rem;overflow-y:auto;"
            "padding:.75rem 1rem;border:1px solid rgba(49,51,63,.2);border-radius:.5rem;font-size:.95rem}"
            ".pk-reader .pk-m{padding:0 1px;border-radius:2px}"
            f".pk-reader .pk-focus{{outline:2px solid {style.focus};outline-offset:2px;border-radius:2px}}"
            ".pk-legend{display:flex;flex-wrap:wrap;gap:.35rem .9rem;font-size:.85rem;margin:.25rem 0 .5rem}"
            ".pk-legend .pk-chip{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;"
            "vertical-align:-.12rem;margin-right:.3rem}"
            f".pk-legend .pk-focus-chip{{border:2px solid {style.focus};background:transparent}}"
            f"{kinds}</style>")


def tooltip(marks: Iterable[Mark], words: Mapping[str, str], line: str = "{kind}: {name}") -> str:
    """What a run's tooltip says: every mark covering it, innermost first, a ``line`` each (the page gives
    the session language's form of it, and its words for the kinds).

    >>> tooltip([Mark(2, 4, "agency", "市科技局"), Mark(0, 6, "target", "平台")], {"agency": "机构", "target": "目标"},
    ...         "{kind}：{name}")
    '机构：市科技局\\n目标：平台'
    """
    return "\n".join(line.format(kind=words.get(mark.kind, mark.kind), name=mark.name) for mark in marks)


def reader_html(text: str, runs: Iterable[Segment], words: Mapping[str, str], line: str = "{kind}: {name}") -> str:
    """The runs as HTML: a ``<span>`` per marked run with its tooltip (:func:`tooltip`), the action opened
    at in one outlined ``<span>``. Everything from the document (text and names) is escaped; the only
    markup is ours.

    >>> text, marks = "甲<i>乙", [Mark(1, 3, "agency", "<b>局</b>")]
    >>> page = reader_html(text, segments(text, marks, focus=(0, 5)), {"agency": "机构"})
    >>> page.removeprefix('<div class="pk-reader"><span class="pk-focus">甲').removesuffix("</span></div>")
    '<span class="pk-m pk-k-agency" title="机构: &lt;b&gt;局&lt;/b&gt;">&lt;i</span>&gt;乙'
    """
    parts = ['<div class="pk-reader">']
    in_focus = False
    for run in runs:
        if run.focus and not in_focus:
            parts.append('<span class="pk-focus">')
        elif in_focus and not run.focus:
            parts.append("</span>")
        in_focus = run.focus
        piece = html.escape(text[run.start : run.end])
        if run.kind is None:
            parts.append(piece)
        else:
            title = html.escape(tooltip(run.marks, words, line), quote=True)
            parts.append(f'<span class="pk-m pk-k-{run.kind}" title="{title}">{piece}</span>')
    if in_focus:
        parts.append("</span>")
    parts.append("</div>")
    return "".join(parts)


def legend_html(words: Mapping[str, str], kinds: Iterable[str] = KINDS, focus: str | None = None) -> str:
    """The legend: a chip of each kind's colour and its word (escaped); the outline's, if ``focus`` says it.

    >>> legend_html({"agency": "机构"}, ["agency"])
    '<div class="pk-legend"><span><span class="pk-chip pk-k-agency"></span>机构</span></div>'
    """
    items = [f'<span><span class="pk-chip pk-k-{kind}"></span>{html.escape(words.get(kind, kind))}</span>'
             for kind in kinds if kind in KINDS]
    if focus:
        items.append(f'<span><span class="pk-chip pk-focus-chip"></span>{html.escape(focus)}</span>')
    return f'<div class="pk-legend">{"".join(items)}</div>'
