"""Item markers of Chinese official documents: 一、 / （一） / 1. / （1） / ①.

Markers are matched on normalised text (half-width brackets and digits), so
full- and half-width forms are one pattern each.

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

LEVEL_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"({CN_NUMERAL})[、.]")),
    (2, re.compile(rf"\(({CN_NUMERAL})\)")),
    (3, re.compile(r"(\d{1,3})(?:[.、](?!\d)|\s)")),
    (4, re.compile(r"\((\d{1,3})\)")),
    (5, re.compile(r"([①-⑳])")),
)
LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}
# Bracketed markers look alike in the two numeral systems; a number that breaks
# its own sequence but continues its twin's is read as the twin (a "（3）"
# between "（二）" and "（四）"). "1." items are often numbered straight through
# their groups, so 一、 and 1. are not twins.
TWIN_LEVEL = {2: 4, 4: 2}


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
    """The Chinese numeral for 1..199, as item markers write it.

    >>> [chinese_numeral(v) for v in (3, 10, 12, 25, 103)]
    ['三', '十', '十二', '二十五', '一百零三']
    """
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(value, 100)
    tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else chinese_numeral(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return digits[hundreds] + "百" + tail


def parse_marker(line: str, start: int = 0) -> Marker | None:
    """The item marker at ``line[start:]``, if any."""
    for level, pattern in LEVEL_PATTERNS:
        match = pattern.match(line, start)
        if not match:
            continue
        raw = match.group(1)
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
            before = line[: match.start()].rstrip()
            if not before or before[-1] not in "。;)>】!?":
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
