"""Facts about a plan as a whole: title, issuer, date, addressees, city, province, level.

Taken from the issuing notice and title when the document has them, inferred
from the text when it does not (a plan without a title line still names its
city: 鄂州特色, 鄂州市人工智能产业链 …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from loaders.knowledge import Division, division_stems, divisions, unit_types
from loaders.normalize import normalize_for_matching
from loaders.notes import split_member_list

GENRE_WORDS = ("行动方案", "实施方案", "工作方案", "行动计划", "实施意见", "任务分工", "分工方案", "方案",
               "意见", "计划", "措施", "办法", "规划", "要点", "清单", "通知")
ISSUER_ENDINGS = ("人民政府", "人民政府办公室", "人民政府办公厅", "办公室", "办公厅", "委员会", "管委会",
                  "局", "厅", "委")
DATE_RE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
                     r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$")
PERIOD_RE = re.compile(r"^\s*\(\s*\d{4}\s*[—\-－~～至到]+\s*\d{4}\s*年?\s*\)\s*$")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
LEVEL_OF_SUFFIX = {"省": "province", "自治区": "province", "市": "city", "州": "city", "自治州": "city",
                   "盟": "city", "区": "district", "县": "county", "旗": "county"}


@dataclass
class DocumentFacts:
    title: str | None = None
    title_span: tuple[int, int] | None = None
    issuer: str | None = None
    published: str | None = None
    addressees: list[str] = field(default_factory=list)
    city: str | None = None
    province: str | None = None
    district: str | None = None
    county: str | None = None
    level: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_document_facts(text: str, norm: str, preamble_end: int) -> DocumentFacts:
    """Metadata from the lines before the first numbered item, and the city from the whole text."""
    facts = DocumentFacts()
    lines = _lines(norm, 0, preamble_end)
    if lines and lines[0][2].rstrip().endswith(":") and re.search("[,、;]", lines[0][2]):
        facts.addressees = _split_addressees(lines[0][2].rstrip().rstrip(":"))
    for index, (start, _end, line) in enumerate(lines):
        stripped = line.strip()
        date = DATE_RE.match(stripped)
        if date and facts.published is None:
            facts.published = _iso_date(*date.groups())
            previous = lines[index - 1][2].strip() if index else ""
            if previous.endswith(ISSUER_ENDINGS) and len(previous) <= 30:
                facts.issuer = text[lines[index - 1][0] : lines[index - 1][1]].strip()
            continue
        if facts.title is None and _is_title(stripped):
            title_start = start + len(line) - len(line.lstrip())
            title_end = start + len(line.rstrip())
            if index + 1 < len(lines) and PERIOD_RE.match(lines[index + 1][2]):
                title_end = lines[index + 1][0] + len(lines[index + 1][2].rstrip())
            facts.title = re.sub(r"\s*\n\s*", "", text[title_start:title_end])
            facts.title_span = (title_start, title_end)
    _place_document(facts, norm)
    return facts


def _lines(norm: str, start: int, end: int) -> list[tuple[int, int, str]]:
    found = []
    position = start
    for line in norm[start:end].split("\n"):
        if line.strip():
            found.append((position, position + len(line), line))
        position += len(line) + 1
    return found


def _is_title(line: str) -> bool:
    if not line or len(line) > 60 or line.startswith("《") or "。" in line or line.endswith((":", ",")):
        return False
    return line.endswith(GENRE_WORDS) or bool(re.search(r"(方案|计划|意见)\s*\(\s*\d{4}", line))


def _iso_date(year: str, month: str, day: str) -> str:
    def number(part: str) -> int:
        if part.isdigit():
            return int(part)
        if len(part) == 4:  # 二〇二五
            return int("".join(str(_CN_DIGIT[c]) for c in part))
        from loaders.numbering import chinese_numeral_value

        return chinese_numeral_value(part)

    return f"{number(year):04d}-{number(month):02d}-{number(day):02d}"


def _split_addressees(line: str) -> list[str]:
    """'各镇人民政府,沙湖、九合垸原种场,市政府各部门' -> units; a type word shared by a 、 list distributes."""
    names: list[str] = []
    suffixes = tuple(sorted({s for t in unit_types() for s in t.suffixes}, key=len, reverse=True))
    for group in re.split(r"[,;，；]", line):
        parts = [p.strip() for p in group.split("、") if p.strip()]
        if len(parts) > 1:
            shared = next((s for s in suffixes if parts[-1].endswith(s)), None)
            if shared and not any(p.endswith(suffixes) for p in parts[:-1]):
                parts = [p + shared for p in parts[:-1]] + [parts[-1]]
            else:
                parts = split_member_list(group)
        names.extend(parts)
    return names


def _place_document(facts: DocumentFacts, norm: str) -> None:
    """City, province and level: from the issuer, else the title, else the places the text names most."""
    # The scan of every position is only needed without a stated place, or to tell apart places sharing a name.
    mentions = cache(lambda: _division_mentions(norm))
    division = None
    for source in (facts.issuer, facts.title):
        if source:
            division = _leading_division(normalize_for_matching(source), mentions)
            if division:
                break
    if division is None:
        division = _most_named_division(norm, mentions)
        if division is not None and facts.title is None:
            facts.warnings.append(f"no title line; city inferred from the text: {division.name}")
    if division is None:
        facts.warnings.append("city not stated and not inferable from the text")
        return
    facts.province = division.province or None
    if division.level == "province":
        facts.province, facts.level = division.name, "province"
    elif division.level == "city":
        facts.city, facts.level = division.name, "city"
    else:
        setattr(facts, division.level, division.name)
        facts.city = division.parent or None
        facts.level = division.level


_LEADING_PLACE_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(省|自治区|市|自治州|州|盟|县|区|旗)")
# Words that open titles without being a place (关于推进…, 全市…).
_NOT_A_PLACE = set("关于推进加快全面深入城乡各本该我数字实施开展进一步")


def _leading_division(phrase: str, mentions: Callable[[], Counter[str]]) -> Division | None:
    """The division a title or issuer starts with; a place missing from the table is taken as written."""
    known = _known_leading_division(phrase, mentions)
    if known is not None:
        return known
    match = _LEADING_PLACE_RE.match(phrase)
    if not match or set(match.group(1)) & _NOT_A_PLACE:
        return None
    return Division(adcode="", name=match.group(0), level=LEVEL_OF_SUFFIX[match.group(2)], parent="",
                    province="")


def _known_leading_division(phrase: str, mentions: Callable[[], Counter[str]]) -> Division | None:
    """The first division named in full in a title or issuer (关于加快湘潭市… names 湘潭市)."""
    names = divisions()
    for start in range(len(phrase) - 1):
        for length in range(min(len(phrase) - start, 9), 1, -1):
            candidate = phrase[start : start + length]
            if candidate in names:
                return _prefer(names[candidate], mentions)
    stem_names = division_stems()
    for length in (4, 3, 2):
        if phrase[:length] in stem_names:
            return _prefer(divisions()[stem_names[phrase[:length]]], mentions)
    return None


# What follows a division's name when the name is only the start of a common word:
# 合作市场 is a market, not 合作市; 东区域, 县域, 州级 likewise.
_WORD_AFTER = {"市": "场民值", "区": "域块间位划", "县": "域级", "州": "级"}
# Evidence a text must give before it is placed by what it mentions: one full name of three
# characters or more, a short form with 特色, or several mentions. A single two-character
# piece (建平 in 搭建平台, 合作, 东区) is no evidence of where a plan is from.
MIN_PLACE_EVIDENCE = 3


def _division_mentions(norm: str) -> Counter[str]:
    """How strongly the text names each division below province level: ``{full name: weight}``.

    Full names of three characters or more weigh 3, other short forms (鄂州) 2, two-character
    pieces 1; a short form followed by 市/县/区/州 or by 特色 (the genre's 具有鄂州特色)
    weighs more. A name that only starts a common word (合作|市场) weighs as its short form.
    """
    names = divisions()
    stems = division_stems()
    counts: Counter[str] = Counter()
    for index in range(len(norm) - 1):
        for length in (4, 3, 2):
            piece = norm[index : index + length]
            is_full = piece in names
            name = piece if is_full else stems.get(piece)
            if not name or names[name][0].level == "province":
                continue
            after = norm[index + length : index + length + 2]
            if is_full and after[:1] and after[:1] in _WORD_AFTER.get(piece[-1], ""):
                is_full, length = False, length - 1
            weight = 1 if length == 2 else 3 if is_full else 2
            if not is_full:
                weight += 2 * (after[:1] in "市县区州") + 4 * (after == "特色")
            counts[name] += weight
            break
    return counts


def _most_named_division(norm: str, mentions_of: Callable[[], Counter[str]]) -> Division | None:
    """The division the text names most, written in full (鄂州市) or short (鄂州特色).

    Only used when neither an issuer nor a title names the place. The plan's own level
    (全市 vs 全区) decides between a city and the districts it mentions; too little
    evidence, or a name several places share with nothing to tell them apart, places
    nothing: a plan with no city is reported, a plan in the wrong city would not be.
    """
    names = divisions()
    mentions = mentions_of()
    if not mentions:
        return None
    own_level = _own_level(norm)
    best = max(mentions, key=lambda name: (names[name][0].level == own_level, mentions[name]))
    if mentions[best] < MIN_PLACE_EVIDENCE:
        return None
    division = _prefer(names[best], mentions_of)
    return division if division.parent or len(names[best]) == 1 else None


def _own_level(norm: str) -> str:
    """How the plan speaks of its own government: 全市/我市 (city), 全区/我区 (district), 全县/我县 (county)."""
    counts = {level: sum(norm.count(prefix + char) for prefix in "全我本")
              for char, level in (("市", "city"), ("区", "district"), ("县", "county"))}
    return max(counts, key=lambda level: (counts[level], level == "city"))


def _prefer(candidates: list[Division], mentions: Callable[[], Counter[str]]) -> Division:
    """One division for a name: the only one, else the one whose city the text also names
    (南山区 with 深圳), else the highest in level; a district no mention settles keeps
    its name but no city (``parent`` empty) rather than a guessed one."""
    if len(candidates) == 1:
        return candidates[0]
    named = [d for d in candidates if d.parent and mentions().get(d.parent)]
    if len(named) == 1:
        return named[0]
    ranked = sorted(candidates, key=lambda d: {"city": 0, "province": 1}.get(d.level, 2))
    if ranked[0].level in ("city", "province") and ranked[1].level not in ("city", "province"):
        return ranked[0]
    first = ranked[0]
    return Division(adcode="", name=first.name, level=first.level, parent="", province="")
