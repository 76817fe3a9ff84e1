"""The outline of a plan: numbered items, their nesting, and which of them are actions.

Works line by line on normalised text. Items are nested by the conventional
order of markers (一、 > （一） > 1. > （1） > ①), whatever levels a plan uses;
an item with numbered children is a section, a numbered item without them is
an action (goal and safeguard items are typed as such by the part they are in).

>>> outline = read_outline("一、重点任务\\n(一)建平台。(责任单位:市科技局)\\n(二)育人才。")
>>> [(item.number, item.is_section) for item in outline.items]
[('一、', True), ('（一）', False), ('（二）', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.notes import LABEL_RE
from loaders.numbering import (
    TWIN_LEVEL,
    Marker,
    find_run_on_markers,
    marker_text,
    parse_marker,
    plausible_marker,
)

GOAL_WORDS = ("目标", "总体要求", "指导思想", "基本原则", "总体思路", "发展定位")
SAFEGUARD_WORDS = ("保障", "组织实施", "组织领导", "实施步骤", "工作要求", "监督考核", "推进机制")
_NOTE_LINE_RE = re.compile(rf"\s*(?:\(\s*)?{LABEL_RE.pattern}")


@dataclass
class Item:
    level: int
    value: int
    number: str              # normalised display form
    written_number: str      # as the document writes it
    start: int               # marker start
    head_end: int            # end of the item's first line (or run-on segment)
    end: int                 # end of the item's text, continuation lines included
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    irregular: bool = False

    @property
    def is_section(self) -> bool:
        return bool(self.children)

    def ancestors(self) -> list[Item]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class Outline:
    items: list[Item]
    preamble_end: int                 # where the first item starts
    warnings: list[str] = field(default_factory=list)


def read_outline(norm: str, skip: list[tuple[int, int]] | None = None, text: str | None = None) -> Outline:
    """Items of the normalised text ``norm``; lines inside ``skip`` spans (tables) are left out.

    ``text`` is the original text, used to quote markers in warnings as written.
    """
    text = norm if text is None else text
    skipped = _merged(skip or [])
    next_skip = 0  # lines come in order: the first skipped span not yet behind us
    items: list[Item] = []
    warnings: list[str] = []
    last_value: dict[int, int] = {}
    previous: dict[int, int] = {}  # the last number placed at each level, even in an earlier group
    stack: list[Item] = []
    position = 0
    for line in norm.split("\n"):
        line_start, line_end = position, position + len(line)
        position = line_end + 1
        while next_skip < len(skipped) and skipped[next_skip][1] <= line_start:
            next_skip += 1
        if next_skip < len(skipped) and skipped[next_skip][0] <= line_start:
            continue
        stripped = len(line) - len(line.lstrip())
        marker = parse_marker(line, stripped) if line.strip() else None
        if marker is not None and not plausible_marker(marker, previous.get(marker.level)):
            written = text[line_start + stripped : line_start + stripped + len(marker.text)]
            warnings.append(f"{written} at the start of a line read as text, not as an item number: the "
                            f"items before it are numbered up to {previous.get(marker.level, 0)}")
            marker = None
        if marker is None:
            if items and line.strip():
                items[-1].end = line_end  # continuation of the previous item
            continue
        segments = [(stripped, marker), *find_run_on_markers(line, marker)]
        for index, (offset, segment_marker) in enumerate(segments):
            segment_end = segments[index + 1][0] if index + 1 < len(segments) else len(line)
            item = _place_item(segment_marker, line_start + offset, line_start + segment_end,
                               stack, last_value, warnings, text)
            previous[item.level] = item.value
            items.append(item)
    preamble_end = items[0].start if items else len(norm)
    for item in items:
        item.end = _trim_end(norm, item.start, item.end)
    return Outline(items=items, preamble_end=preamble_end, warnings=warnings)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted and overlapping ones joined, so a position is inside one exactly when it was inside any."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _place_item(marker: Marker, start: int, end: int, stack: list[Item],
                last_value: dict[int, int], warnings: list[str], text: str) -> Item:
    level = marker.level
    expected = last_value.get(level, 0) + 1
    twin = TWIN_LEVEL.get(level)
    irregular = False
    if marker.value != expected and twin and last_value.get(twin) is not None and (
        marker.value == last_value[twin] + 1
    ):
        written = text[start : start + len(marker.text)].strip()
        warnings.append(f"irregular numbering: {written} read as {marker_text(twin, marker.value, marker.text)}")
        level, irregular = twin, True
    while stack and stack[-1].level >= level:
        stack.pop()
    parent = stack[-1] if stack else None
    item = Item(level=level, value=marker.value, number=marker_text(level, marker.value, marker.text),
                written_number=marker.text, start=start, head_end=end, end=end, parent=parent,
                irregular=irregular)
    if parent is not None:
        parent.children.append(item)
    stack.append(item)
    last_value[level] = marker.value
    for deeper in [lvl for lvl in last_value if lvl > level]:
        del last_value[deeper]
    return item


def _trim_end(norm: str, start: int, end: int) -> int:
    while end > start and norm[end - 1] in " \t\n":
        end -= 1
    return end


def action_kind(item: Item, heading_text) -> str:
    """'goal' under a goals part, 'safeguard' under a closing safeguards part, else 'action'."""
    for ancestor in item.ancestors():
        title = heading_text(ancestor)
        if any(word in title for word in SAFEGUARD_WORDS):
            return "safeguard"
        if any(word in title for word in GOAL_WORDS):
            return "goal"
    return "action"


def is_note_line(line: str) -> bool:
    """A line that is only a responsibility note (牵头单位: …), written after its item."""
    return bool(_NOTE_LINE_RE.match(line))
