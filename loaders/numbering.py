"""Item markers of Chinese official documents: 一、 / （一） / 1. / （1） / ①.

Markers are matched on normalised text (half-width brackets and digits), so
full- and half-width forms are one pattern each. Numbers have no digit limit
(``1000.`` and ``（1200）`` are items); what a line starting with a large number
means is decided by :func:`plausible_marker` (a year such as ``2025、`` is text).

>>> parse_marker("(十二)强化政策激励")
Marker(level=2, value=12, text='(十二)', end=4)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}
CN_NUMERAL = "[一二三四五六七八九十百零〇]+"

# A marker never starts inside a run of its digits (the run-on search scans whole paragraphs:
# a pattern free to start anywhere in a run of n digits would cost n² there).
# The dot of a "1." item is written . 、 。 or ﹒ (small full stop); text extracted from PDF puts a
# space inside markers (1 . / ( 一 )).
LEVEL_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"(?<![一二三四五六七八九十百零〇])({CN_NUMERAL}) ?[、.]")),
    (2, re.compile(rf"\( ?({CN_NUMERAL}) ?\)")),
    (3, re.compile(r"(?<!\d)(\d+)(?: ?[.、。﹒](?!\d)|\s)")),
    (4, re.compile(r"\( ?(\d+) ?\)")),
    (5, re.compile(r"([①-⑳])")),
)
LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}
# Bracketed markers look alike in the two numeral systems; a number that breaks
# its own sequence but continues its twin's is read as the twin (a "（3）"
# between "（二）" and "（四）"). "1." items are often numbered straight through
# their groups, so 一、 and 1. are not twins.
TWIN_LEVEL = {2: 4, 4: 2}
# Numbers from here on are items only where they continue their level's numbering
# (…, 999., 1000.): below it every number is, as plans count their items.
SEQUENCE_ONLY_FROM = 1000
MAX_DIGITS = 9  # a longer run of digits is never an item number (and int() of thousands of digits fails)


@dataclass(frozen=True)
class Marker:
    level: int
    value: int
    text: str
    end: int


def chinese_numeral_value(numeral: str) -> int:
    """Value of a Chinese numeral up to the hundreds.

    >>> [chinese_numeral_value(n) for n in ("三", "十", "十二", "二十五", "一百零三")]
    [3, 10, 12, 25, 103]
    """
    total, digit = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
    return total + digit


def chinese_numeral(value: int) -> str:
    """The Chinese numeral for ``value`` >= 0, as item markers write it.

    >>> [chinese_numeral(v) for v in (3, 10, 12, 25, 103, 110, 1010, 1200, 20305)]
    ['三', '十', '十二', '二十五', '一百零三', '一百一十', '一千零一十', '一千二百', '二万零三百零五']
    """
    if value < 10:
        return _CN_DIGIT_CHARS[value] if value >= 0 else str(value)
    if value >= 10**8:
        return str(value)
    high, low = divmod(value, 10_000)
    if not high:
        return _under_ten_thousand(low, leading=True)
    tail = "" if not low else ("零" if low < 1000 else "") + _under_ten_thousand(low, leading=False)
    return chinese_numeral(high) + "万" + tail


_CN_DIGIT_CHARS = "零一二三四五六七八九"


def _under_ten_thousand(value: int, leading: bool) -> str:
    parts: list[str] = []
    zero = False
    for size, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, value = divmod(value, size)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            if not (unit == "十" and digit == 1 and leading and not parts):  # 十二, but 一百一十二
                parts.append(_CN_DIGIT_CHARS[digit])
            parts.append(unit)
        elif parts:
            zero = True
    if value:
        if zero:
            parts.append("零")
        parts.append(_CN_DIGIT_CHARS[value])
    return "".join(parts)


def parse_marker(line: str, start: int = 0) -> Marker | None:
    """The item marker at ``line[start:]``, if any."""
    for level, pattern in LEVEL_PATTERNS:
        match = pattern.match(line, start)
        if not match:
            continue
        raw = match.group(1)
        if level in (3, 4) and len(raw) > MAX_DIGITS:
            continue
        if level == 3 and match.group(0)[-1].isspace() and not _is_spaced_item(line, match.end()):
            continue
        if level in (1, 2):
            value = chinese_numeral_value(raw)
        elif level == 5:
            value = ord(raw) - ord("①") + 1
        else:
            value = int(raw)
        return Marker(level, value, match.group(0).rstrip(), match.end())
    return None


def plausible_marker(marker: Marker, previous: int | None) -> bool:
    """Whether ``marker`` starts an item, given the number of the item before it at its level.

    Small numbers always do; from :data:`SEQUENCE_ONLY_FROM` on a number must continue the
    sequence, so ``1000.`` after ``999.`` is an item and ``2025、`` after ``3.`` is text.
    """
    return marker.value < SEQUENCE_ONLY_FROM or marker.value == (previous or 0) + 1


def _is_spaced_item(line: str, position: int) -> bool:
    # "1 建设平台" is an item; "2027 年" and "5 G" are not.
    return position < len(line) and "\u4e00" <= line[position] <= "\u9fff" and line[position] not in "年月日个项家亿万"


def marker_text(level: int, value: int, fallback: str) -> str:
    """Normalised display form of a marker: full-width brackets, ``1.``."""
    if level == 1:
        return chinese_numeral(value) + "、"
    if level == 2:
        return "（" + chinese_numeral(value) + "）"
    if level == 3:
        return f"{value}."
    if level == 4:
        return f"（{value}）"
    return fallback


def find_run_on_markers(line: str, marker: Marker) -> list[tuple[int, Marker]]:
    """Later items of the same level written inside the same paragraph.

    Only the next numbers in sequence count, and only right after the end of
    a sentence or a note, so "1.5TB" or "第2个" never split an item.
    """
    found: list[tuple[int, Marker]] = []
    expected = marker.value + 1
    pattern = LEVEL_PATTERNS[marker.level - 1][1]
    position = marker.end
    while True:
        best = None
        for match in pattern.finditer(line, position):
            before = _char_before(line, match.start())
            if not before or before not in "。;)>】!?":
                continue
            candidate = parse_marker(line, match.start())
            if candidate and candidate.level == marker.level and candidate.value == expected:
                best = (match.start(), candidate)
                break
        if best is None:
            return found
        found.append(best)
        expected += 1
        position = best[1].end


def _char_before(line: str, position: int) -> str:
    """The last non-space character before ``position`` ('' if none), without copying the line."""
    while position > 0 and line[position - 1].isspace():
        position -= 1
    return line[position - 1] if position > 0 else ""
