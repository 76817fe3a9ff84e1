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

from loaders.model import LoaderWarning, merged_spans
from loaders.notes import LABEL_RE, find_responsibility_note
from loaders.numbering import (
    LEVEL_PATTERNS,
    TWIN_LEVEL,
    Marker,
    marker_text,
    parse_marker,
    plausible_marker,
)
from loaders.warning import warning

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
    warnings: list[LoaderWarning] = field(default_factory=list)


def read_outline(norm: str, skip: list[tuple[int, int]] | None = None, text: str | None = None) -> Outline:
    """Items of the normalised text ``norm``; lines inside ``skip`` spans (tables) are left out.

    ``text`` is the original text, used to quote markers in warnings as written.
    """
    text = norm if text is None else text
    skipped = merged_spans(skip or [])
    next_skip = 0  # lines come in order: the first skipped span not yet behind us
    items: list[Item] = []
    warnings: list[LoaderWarning] = []
    last_value: dict[int, int] = {}
    previous: dict[int, int] = {}  # the last number placed at each level, even in an earlier group
    stack: list[Item] = []
    position = 0
    last_line = ""  # the last line with text, to tell a line wrapped before a number (…开通地铁\n12、15号线)
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
            warnings.append(warning("number_read_as_text", written=written, last=previous.get(marker.level, 0)))
            marker = None
        if marker is not None and items and _wrapped_number(marker, previous, last_value, last_line):
            written = text[line_start + stripped : line_start + stripped + len(marker.text)]
            warnings.append(warning("wrapped_number_read_as_text", written=written,
                                    last=previous.get(marker.level, 0)))
            marker = None
        if line.strip():
            last_line = line
        if marker is None and not items and line.strip():
            # A document flattened onto one line: its first item follows a preamble on the same line.
            stripped, marker = _first_item_inside(line)
        if marker is None:
            if items and line.strip():
                items[-1].end = line_end  # continuation of the previous item
            continue
        offset = stripped
        while marker is not None:
            following = _next_run_on(line, marker, offset, last_value, previous)
            segment_end = following[0] if following else len(line)
            item = _place_item(marker, line_start + offset, line_start + segment_end,
                               stack, last_value, warnings, text)
            previous[item.level] = item.value
            items.append(item)
            offset, marker = following if following else (0, None)
    if not items:
        items = _note_paragraphs(norm, skipped)
        if items:
            warnings.append(warning("no_numbered_items", count=len(items)))
    preamble_end = items[0].start if items else len(norm)
    for item in items:
        item.end = _trim_end(norm, item.start, item.end)
    return Outline(items=items, preamble_end=preamble_end, warnings=warnings)


# A line ends a sentence, a heading or a note with one of these; text wrapped at a page's width does not.
_LINE_CLOSERS = "。;:!?)]】〕>\"”’"
WRAP_WIDTH = 20  # a line shorter than this is a heading or the end of a paragraph, not a wrapped one


def _wrapped_number(marker: Marker, previous: dict[int, int], last_value: dict[int, int], last_line: str) -> bool:
    """A "12、" opening a line that continues the sentence of a full line above it, out of sequence:
    text wrapped before a number (开通地铁\n12、15号线), not the next item."""
    if marker.level != 3 or marker.value in (1, previous.get(3, 0) + 1, last_value.get(3, 0) + 1):
        return False
    tail = last_line.rstrip()
    return len(tail.strip()) >= WRAP_WIDTH and tail[-1] not in _LINE_CLOSERS


# Where a run-on item can start: after the end of a sentence or of a note.
_RUN_ON_AFTER_RE = re.compile(r"[。;)>】!?]\s*|\s+")
_FIRST_ITEM_AFTER_RE = re.compile(r"[。;:)>】!?\s]\s*")
# Levels a run-on item may change to: 一、 （一） 1.; (1) and ① inside an item are its own enumeration.
_RUN_ON_LEVELS = (1, 2, 3)


def _next_run_on(line: str, marker: Marker, offset: int, last_value: dict[int, int],
                 previous: dict[int, int]) -> tuple[int, Marker] | None:
    """The next item written inside the same line after the item ``marker`` opens at ``offset``.

    The next number of the item's level, or of a level above it; or a first item (or the next of
    numbering straight through its groups) of a level below, for a document whose parts, groups
    and items run on one line. Only right after the end of a sentence or a note, so "1.5TB" or
    "第2个" never split an item; a note without brackets may run straight into the next number
    (责任单位:区财政局二、…).
    """
    found = None
    for match in _RUN_ON_AFTER_RE.finditer(line, offset + len(marker.text)):
        candidate = parse_marker(line, match.end())
        if candidate is None or (not match.group().strip() and candidate.text[-1] not in _CLOSED):
            continue  # after a mere space, only a marker closed by its dot or bracket (not "2 个")
        if _continues(candidate, marker, last_value, previous):
            found = (match.end(), candidate)
            break
    label = LABEL_RE.search(line, offset + len(marker.text), found[0] if found else len(line))
    if label is not None:
        stop = found[0] if found else len(line)
        for level, pattern in LEVEL_PATTERNS[:3]:
            for match in pattern.finditer(line, label.end(), stop):
                candidate = parse_marker(line, match.start())
                if candidate is not None and candidate.level == level and candidate.text[-1] in _CLOSED and (
                        _continues(candidate, marker, last_value, previous)):
                    found, stop = (match.start(), candidate), match.start()
                    break
    return found


_CLOSED = "、.。﹒)"


def _continues(candidate: Marker, marker: Marker, last_value: dict[int, int], previous: dict[int, int]) -> bool:
    """Whether ``candidate`` is a number that may follow the item ``marker`` opens (see :func:`_next_run_on`)."""
    if candidate.level == marker.level:
        return candidate.value == marker.value + 1
    if candidate.level not in _RUN_ON_LEVELS or marker.level not in _RUN_ON_LEVELS:
        return False
    if candidate.level < marker.level:
        return candidate.value == last_value.get(candidate.level, 0) + 1
    return candidate.value in (1, previous.get(candidate.level, 0) + 1)


def _first_item_inside(line: str) -> tuple[int, Marker | None]:
    """A first item (一、 （一） 1. numbered 1) after a preamble on the same line, followed by a note."""
    for match in _FIRST_ITEM_AFTER_RE.finditer(line):
        candidate = parse_marker(line, match.end())
        if candidate is None or candidate.text[-1] not in _CLOSED:
            continue
        if candidate.value == 1 and candidate.level in _RUN_ON_LEVELS and LABEL_RE.search(line, match.end()):
            return match.end(), candidate
    return 0, None


def _note_paragraphs(norm: str, skipped: list[tuple[int, int]]) -> list[Item]:
    """Without numbering, each paragraph that carries a responsibility note is one item (numbered "").

    A note on lines of its own (牵头单位:… then 责任单位:…) belongs to the paragraph above it.
    """
    items: list[Item] = []
    position = 0
    head: tuple[int, int] | None = None  # the last paragraph without a note, which a note line may close
    open_item = False  # whether the last paragraph read is the last item (note lines may follow it)
    for line in norm.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip() or any(low <= start < high for low, high in skipped):
            continue
        start += len(line) - len(line.lstrip())
        if is_note_line(line):
            if head is not None:
                items.append(_paragraph_item(len(items) + 1, head[0], head[1], end))
                head, open_item = None, True
            elif open_item:
                items[-1].end = end  # a second note line (责任单位:… after 牵头单位:…)
            continue
        if find_responsibility_note(norm, start, end) is not None:
            items.append(_paragraph_item(len(items) + 1, start, end, end))
            head, open_item = None, True
        else:
            head, open_item = (start, end), False
    return items


def _paragraph_item(value: int, start: int, head_end: int, end: int) -> Item:
    return Item(level=3, value=value, number="", written_number="", start=start, head_end=head_end, end=end)


def _place_item(marker: Marker, start: int, end: int, stack: list[Item],
                last_value: dict[int, int], warnings: list[LoaderWarning], text: str) -> Item:
    level = marker.level
    expected = last_value.get(level, 0) + 1
    twin = TWIN_LEVEL.get(level)
    irregular = False
    if marker.value != expected and twin and last_value.get(twin) is not None and (
        marker.value == last_value[twin] + 1
    ):
        written = text[start : start + len(marker.text)].strip()
        read = marker_text(twin, marker.value, marker.text)
        warnings.append(warning("irregular_numbering", written=written, read=read))
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
