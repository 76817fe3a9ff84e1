"""Facts about a plan as a whole: title, issuer, date, addressees, city, province, level.

Taken from the issuing notice and title when the document has them, inferred
from the text when it does not (a plan without a title line still names its
city: 鄂州特色, 鄂州市人工智能产业链 …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from loaders.knowledge import Division, division_stems, divisions, province_abbreviations, unit_types
from loaders.model import LoaderWarning
from loaders.normalize import normalize_for_matching
from loaders.notes import split_member_list
from loaders.warning import warning

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
    warnings: list[LoaderWarning] = field(default_factory=list)
    # What the loaders say of how they placed the plan (also in ``warnings``): moot once a person
    # gives the government (loaders.given.apply_given).
    place_warnings: list[LoaderWarning] = field(default_factory=list)


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
    _place_document(facts, norm, preamble_end)
    facts.warnings.extend(facts.place_warnings)
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


# -- where a plan is from --------------------------------------------------------------------
#
# The government of a plan decides the scope of every agency it names, so it is never guessed.
# Two kinds of evidence are read and must agree:
#   * the plan's level: the units its notes name (省发展改革委, 市科技局, 区财政局, 县教体局), the
#     addressees of its notice (各市人民政府 → a province; 各区人民政府, 各县(市、区)人民政府 → a city;
#     区政府各部门, 县直各单位 → that level), and how it speaks of itself (我市, 全区);
#   * its place: the issuer, the title, an issuing body in the lines before the first item
#     (宁波市海曙区人民政府办公室, 来源:黄石港区人民政府), else the place the text names in full, as
#     an owner of its zones or branches (XX经济开发区, 市XX局YY分局) or with 特色.
# A place that does not fit the level, or several places with nothing to tell them apart, leave
# the plan without a government, with a warning saying why: a plan in the wrong city would scope
# every agency it names wrongly.


@dataclass(frozen=True)
class _Place:
    level: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    county: str | None = None
    # Named where a place may be the plan's or what it is about (关于支持XX市…), or not in the
    # divisions table: a place of the plan only if its level fits and nothing names another more.
    weak: bool = False
    # A 市 missing from the divisions table may be a prefecture (level city) or a county-level city
    # (level county): it is the city either way, its level is not known.
    level_known: bool = True

    @property
    def name(self) -> str:
        return self.district or self.county or self.city or self.province or ""


def _place_document(facts: DocumentFacts, norm: str, preamble_end: int = 0) -> None:
    """City, province and level, from what the plan states and what its units say of its level."""
    mentions = cache(lambda: _division_mentions(norm))
    level, strength = _plan_level(norm)
    place, why = _stated_place(facts, norm, preamble_end, level, mentions)
    if place is None and why is None:
        place, why = _named_place(norm, level, mentions)
        if place is not None and facts.title is None:
            facts.place_warnings.append(warning("city_inferred", city=place.name))
    if place is None and why is None and level == "province":
        place, number = _numbered_province(norm, preamble_end)
        if place is not None:
            facts.place_warnings.append(warning("province_from_number", number=number, province=place.province))
    if place is None:
        facts.place_warnings.append(why or warning("city_unknown"))
        if why is None and level in LEVEL_WITHOUT_PLACE and strength >= MIN_LEVEL_EVIDENCE:
            facts.level = level
            facts.place_warnings.append(warning("level_without_place", level=level))
        return
    facts.province, facts.city, facts.district, facts.county = place.province, place.city, place.district, place.county
    facts.level = place.level if place.level_known else None
    if why:
        facts.place_warnings.append(why)


# A unit opening with the level of its government: 市发改委, 区科经局, 省发展改革委, 县委宣传部.
_LEVEL_UNIT_RE = re.compile(
    r"(?:(?<=[\s:,、;(\[〔【<])|^)(自治区|省|市|区|县|旗)(?!政府|人民政府|直|政局|场|级|域|属|管)"
    r"(?:[\u4e00-\u9fff·]|\n(?=[\u4e00-\u9fff])){1,14}?(?:局|委员会|委|厅|办公室|办|中心|部)"
    r"(?=[\s、,;)\]〕】。等和及与按负牵配协主分]|$)",
    re.M,
)
# The level character opens the name (市政府, 经区政府同意), it does not end a place's (湖北省人民政府).
_OPENS = r"(?:(?<![\u4e00-\u9fff])|(?<=[年经由报请、]))"
_OWN_GOVERNMENT_RE = re.compile(_OPENS + r"(?:(自治区|省|市|区|县)(?:人民)?政府(?:各|有关部门|直属)"
                                r"|(自治区|省|市|区|县)直(?:各|有关|机关|部门|单位|和))")
_GOVERNMENT_RE = re.compile(_OPENS + r"(自治区|省|市|区|县)(?:人民)?政府")
# Addressees a notice is sent to: the level below the issuer's.
_PROVINCE_ADDRESSEES_RE = re.compile(r"各(?:地级|设区的?)?市(?:州|\(地\)|\(州\)|、州)?(?:人民)?政府")
_CITY_ADDRESSEES_RE = re.compile(r"各(?:县|区)(?:\([市区县、]+\))?[市区县]{0,2}(?:人民)?政府")
_SELF_RE = re.compile(r"([我本全])(省|市|区|县)")
_LEVEL_WORD = {"自治区": "province", "省": "province", "市": "city", "区": "district", "县": "county",
               "旗": "county"}


def _level_votes(norm: str) -> Counter[str]:
    votes: Counter[str] = Counter()
    for match in _LEVEL_UNIT_RE.finditer(norm):
        votes[_LEVEL_WORD[match.group(1)]] += 1
    for match in _GOVERNMENT_RE.finditer(norm):
        votes[_LEVEL_WORD[match.group(1)]] += 1
    for match in _OWN_GOVERNMENT_RE.finditer(norm):
        votes[_LEVEL_WORD[match.group(1) or match.group(2)]] += 3
    for level, pattern in (("province", _PROVINCE_ADDRESSEES_RE), ("city", _CITY_ADDRESSEES_RE)):
        count = len(pattern.findall(norm))
        if count:
            votes[level] += 3 * count
    for match in _SELF_RE.finditer(norm):
        votes[_LEVEL_WORD[match.group(2)]] += 1 if match.group(1) == "全" else 2
    return votes


# A plan whose place is not named still has a level when its units say it clearly: 省/区/县 units are
# a province's, a district's, a county's; 市 units are a city's or a county-level city's (level county).
LEVEL_WITHOUT_PLACE = ("province", "district", "county")
MIN_LEVEL_EVIDENCE = 3


def _plan_level(norm: str) -> tuple[str | None, int]:
    """The level whose units and addressees the plan names, clearly more than any other, and its votes."""
    ranked = _level_votes(norm).most_common(2)
    if not ranked or ranked[0][1] <= 0:
        return None, 0
    second = ranked[1][1] if len(ranked) > 1 else 0
    return (ranked[0][0], ranked[0][1]) if ranked[0][1] >= 2 * second else (None, 0)


def _fits(place: _Place, level: str | None) -> bool:
    """Whether a place is a government of the plan's level (a county-level city names 市 agencies)."""
    if level is None or place.level == level:
        return True
    return level == "city" and place.level == "county" and place.county is not None and place.county == place.city


# -- stated places ---------------------------------------------------------------------------

_ZONE_WORDS = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "经开区", "高新区", "开发区")
# What follows a place that issues a document: its government or an office of it, a date, 关于.
_ISSUER_AFTER_RE = re.compile(r"(?:人民政府|政府|管委会|管理委员会|[\u4e00-\u9fff]{0,12}?"
                              r"(?:办公室|办公厅|领导小组|指挥部|委员会)关于)")
# A title opening with its place: 六安市2021年…, 海城市关于…; only where a line (or a label) starts.
_TITLE_AFTER_RE = re.compile(r"\d|关于")
_LINE_OPENERS = "\n :|】>》号\t"
_PREAMBLE_SCAN = 4000
# A zone of a city, named in full or by a short name of its own: 高新区, 万盛经开区.
_ZONE_RE = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:" + "|".join(_ZONE_WORDS) + ")")


def _stated_place(facts: DocumentFacts, norm: str, preamble_end: int, level: str | None,
                  mentions: Callable[[], Counter[str]]) -> tuple[_Place | None, LoaderWarning | None]:
    """The place the issuer, the title or an issuing body before the first item names.

    Returns ``(place, warning)``; ``(None, warning)`` when a stated place conflicts with the
    plan's level and nothing settles it, ``(None, None)`` when nothing is stated.
    """
    stated: list[tuple[_Place, str, bool]] = []
    for source in (facts.issuer, facts.title):
        if source:
            place = _leading_place(normalize_for_matching(source), mentions)
            if place is not None and (not place.weak or _confirmed(place, level, mentions)):
                stated.append((place, source, False))
    if not stated:
        stated = _preamble_places(norm, preamble_end, mentions)
    if not stated:
        return None, None
    place, source, quoted = stated[0]
    if quoted:
        # Only documents cited (《湖北省…》): one of them is the plan's place only if it fits its level.
        return next(((p, None) for p, _source, _quoted in stated if level and _fits(p, level)), (None, None))
    if _fits(place, level):
        return place, None
    if place.level in ("city", "province") and place.city and level in ("district", "county"):
        # A district or county plan that names its prefecture (or municipality) but not itself.
        return (_Place(level=level, province=place.province, city=place.city),
                warning("level_plan_of_city", level=level, city=place.city))
    if level == "province":
        named = _named_place(norm, "province", mentions)
        if named[0] is not None:
            return named[0], warning("province_plan_named_elsewhere", source=source, place=place.name,
                                     province=named[0].province)
    return None, warning("place_not_fitting_level", source=source, place=place.name, level_place=place.level,
                         level_units=level)


def _leading_place(phrase: str, mentions: Callable[[], Counter[str]]) -> _Place | None:
    """The place a title or issuer names first (宁波市海曙区人民政府办公室, 关于加快湘潭市…)."""
    names = divisions()
    for start in range(len(phrase) - 1):
        chain = _chain(phrase, start, shortest=2 if start == 0 else 3)
        if chain:
            place = _chain_place(chain, phrase, mentions)
            if place is not None and not _TITLE_OPENING_RE.match(phrase[:start]):
                place = replace(place, weak=True)
            return place
    stem_names = division_stems()
    for length in (4, 3, 2):
        level_char = phrase[length : length + 1]
        if phrase[:length] in stem_names and not (
                level_char in "省市区县州" and level_char and not stem_names[phrase[:length]].endswith(level_char)):
            # 鄂州特色… is 鄂州市; 监利市 is not 监利县 (a county that became a city since the table was made)
            return _division_place(_prefer(names[stem_names[phrase[:length]]], mentions))
    match = _LEADING_PLACE_RE.match(phrase)
    if not match or set(match.group(1)) & _NOT_A_PLACE:
        return None
    if match.group(0)[-2:] in _LEVEL_WORDS:
        return None  # 智慧城市建设… names no 智慧城市: 城市 is a word, not a place's ending
    level = LEVEL_OF_SUFFIX[match.group(2)]
    name = match.group(0)
    if level == "province":
        return _Place(level=level, province=name, weak=True)
    if level == "city":
        return _Place(level=level, city=name, weak=True, level_known=False)
    return _Place(level=level, weak=True, **{level: name})


# What a title may open with before the place that issues it: 关于印发《…, 2023年…
_TITLE_OPENING_RE = re.compile(r"(?:关于)?(?:印发)?(?:\d{4}\s*年度?)?《?$")


def _confirmed(place: _Place, level: str | None, mentions: Callable[[], Counter[str]]) -> bool:
    """Whether a weak place is the plan's: its level fits the units', and no place of that level is named more."""
    if level is None or not _fits(place, level):
        return False
    own = mentions().get(place.name, 0)
    names = divisions()
    for name, weight in mentions().items():
        if name != place.name and weight > own and any(
                (p := _division_place(d)) is not None and p.level == place.level for d in names[name]):
            return False
    return True


def _preamble_places(norm: str, preamble_end: int, mentions: Callable[[], Counter[str]]
                     ) -> list[tuple[_Place, str, bool]]:
    """Issuing bodies before the first item: 黄石港区人民政府, 发布机构:宣城市人民政府, 昆明市2023年…

    Places inside 《…》 (a document cited) come after the others; members of a list (…、抚远县人民政府)
    are addressees, not issuers.
    """
    end = min(preamble_end, _PREAMBLE_SCAN)
    found: list[tuple[bool, int, _Place, str]] = []
    quoted = 0
    position = 0
    while position < end - 1:
        char = norm[position]
        if char == "《":
            quoted += 1
        elif char == "》":
            quoted = max(0, quoted - 1)
        elif char == "\n":
            quoted = 0
        if "\u4e00" <= char <= "\u9fff" and (position == 0 or norm[position - 1] not in "、,各"):
            opens = position == 0 or norm[position - 1] in _LINE_OPENERS
            chain = _chain(norm, position, shortest=2 if opens else 3)
            if chain:
                after = chain[-1][1]
                zone = _ZONE_RE.match(norm, after)
                zone_end = zone.end() if zone else after
                if _ISSUER_AFTER_RE.match(norm, zone_end) or (opens and _TITLE_AFTER_RE.match(norm, zone_end)):
                    place = _chain_place(chain, norm, mentions)
                    if place is not None:
                        found.append((quoted > 0, position, place, norm[position:zone_end]))
                position = after
                continue
        position += 1
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [(place, source, quoted) for quoted, _position, place, source in found]


def _chain(text: str, start: int, shortest: int) -> list[tuple[str, int]]:
    """Division names written one after another from ``start`` (宁波市海曙区): ``[(name, end), …]``."""
    names = divisions()
    chain: list[tuple[str, int]] = []
    position = start
    while True:
        limit = min(12, len(text) - position)
        name = next((text[position:position + length] for length in range(limit, shortest - 1, -1)
                     if text[position:position + length] in names), None)
        if name is None or (name[-1] in _WORD_AFTER and text[position + len(name):position + len(name) + 1]
                            and text[position + len(name)] in _WORD_AFTER[name[-1]]):
            return chain
        position += len(name)
        chain.append((name, position))
        shortest = 2


def _chain_place(chain: list[tuple[str, int]], text: str, mentions: Callable[[], Counter[str]]) -> _Place | None:
    """The lowest division of a chain, read inside the ones before it; a zone after a city makes a district plan."""
    names = divisions()
    last, end = chain[-1]
    candidates = names[last]
    place = None
    if len(chain) > 1:
        inside = [d for d in candidates if chain[-2][0] in (d.parent, d.province)]
        outer = _division_place(names[chain[-2][0]][0])
        if not inside and outer is not None and outer.level == "city" and candidates[0].level == "district":
            # The text places the district in a city the table does not (a district moved to another
            # city, 莱芜 → 济南): what the document states wins.
            return _Place(level="district", province=outer.province, city=outer.city, district=last)
        candidates = inside or candidates
    place = _division_place(_prefer(candidates, mentions))
    if place is not None and place.level in ("city", "province") and place.city and _ZONE_RE.match(text, end):
        return _Place(level="district", province=place.province, city=place.city)
    return place


def _division_place(division: Division) -> _Place | None:
    """The government a division is, by the gold rules: a district's city is its prefecture, a county-level
    city and a county directly under its province are their own city, a municipality is a city."""
    names = divisions()
    province = division.province or None
    if division.level == "province":
        if division.name.endswith("市"):  # 北京市, 重庆市: a municipality, a city of province rank
            return _Place(level="city", province=division.name, city=division.name)
        return _Place(level="province", province=division.name)
    parent = names.get(division.parent, [None])[0] if division.parent else None
    parent_is_city = parent is not None and (parent.level == "city" or parent.name.endswith("市"))
    if division.level == "city":
        if parent is not None and parent.level == "city":  # a county-level city
            return _Place(level="county", province=province, city=division.name, county=division.name)
        return _Place(level="city", province=province, city=division.name)
    if division.level == "district":
        return _Place(level="district", province=province, city=division.parent if parent_is_city else None,
                      district=division.name)
    city = division.parent if parent_is_city else division.name if parent is not None else None
    return _Place(level="county", province=province, city=city, county=division.name)


_LEADING_PLACE_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(省|自治区|市|自治州|州|盟|县|区|旗)")
# Ordinary words ending in a level character: a phrase ending so is no place missing from the table.
_LEVEL_WORD_PAIRS = ("城市都市超市门市集市夜市股市楼市车市菜市园区社区景区街区片区小区校区矿区山区"
                     "林区牧区湾区辖区城区市区郊区灾区营区厂区港区库区能区验区范区发区")
_LEVEL_WORDS = frozenset(_LEVEL_WORD_PAIRS[i : i + 2] for i in range(0, len(_LEVEL_WORD_PAIRS), 2))
# Words that open titles without being a place (关于推进…, 全市…).
_NOT_A_PLACE = set("关于推进加快全面深入城乡各本该我数字实施开展进一步")


# -- places the text names -------------------------------------------------------------------

# What follows a division's name when the name is only the start of a common word:
# 合作市场 is a market, not 合作市; 东区域, 县域, 州级 likewise.
_WORD_AFTER = {"市": "场民值", "区": "域块间位划", "县": "域级", "州": "级"}
# Words that tie a short form to a place the text speaks of: 具有鄂州特色, 咸安经济开发区, 市生态环境局咸安分局,
# and the schools a place names after itself (吉水二中, 某某中学), which its own plans build and extend.
_SCHOOL_WORDS = (*(f"{n}中" for n in "一二三四五六七八九"), "中学", "小学", "高中")
_TIE_WORDS = ("特色", "分局", *_ZONE_WORDS, *_SCHOOL_WORDS)
# Evidence a text must give before it is placed by what it mentions: a full name of three
# characters or more, a short form written with its level (琼中县) or tied to the place (特色,
# 分局, 经济开发区, 二中). A bare short form (鄂州, 资源 in 规划资源局, 保定 in 确保定期) only adds
# to a place named so, never names one itself.
MIN_PLACE_EVIDENCE = 3


def _division_mentions(norm: str) -> Counter[str]:
    """How strongly the text names each division: ``{full name: weight}``, 0 for places only named bare.

    A full name of three characters or more weighs 3, a short form with its level character 3,
    with 特色 or as the owner of a zone or branch 4; bare short forms and two-character names add 1
    to a place named strongly elsewhere. A name that only starts a common word (合作|市场) is bare.
    """
    names = divisions()
    stems = division_stems()
    strong: Counter[str] = Counter()
    bare: Counter[str] = Counter()
    starts = _name_starts()
    index = 0
    while index < len(norm) - 1:
        if norm[index] not in starts:
            index += 1
            continue
        for length in (5, 4, 3, 2):
            piece = norm[index : index + length]
            is_full = piece in names
            name = piece if is_full else stems.get(piece)
            if not name:
                continue
            after = norm[index + length : index + length + 7]
            if is_full and after[:1] and after[:1] in _WORD_AFTER.get(piece[-1], ""):
                is_full = False
            # 琼中县 is 琼中黎族苗族自治县, but 合作区 is not 合作市: the level written must be the division's.
            with_level = not is_full and after[:1] and after[:1] in "市县区州省" and name.endswith(after[:1]) and (
                not after[1:2] or after[1:2] not in _WORD_AFTER.get(after[:1], ""))
            if (is_full and length >= 3) or with_level:
                strong[name] += 3
            elif not is_full and after.startswith(_TIE_WORDS) and (
                    not after.startswith(_SCHOOL_WORDS) or names[name][0].level in ("county", "district")):
                # A school carries the short name of a county (吉水二中); a city's famous school
                # (衡水中学) is as likely to be another city's model as the plan's own.
                strong[name] += 4
            else:
                bare[name] += 1
                break  # a bare piece may overlap the next name (更新龙湾: 新龙 and 龙湾)
            index += length - 1
            break
        index += 1
    weights = {name: 0 for name in bare}  # named only bare: present (to tell same-named places apart), no weight
    weights.update({name: strong[name] + bare[name] for name in strong})
    return Counter(weights)


@cache
def _name_starts() -> frozenset[str]:
    """First characters of division names and short forms: elsewhere no name starts."""
    return frozenset(name[0] for name in (*divisions(), *division_stems()))


def _named_place(norm: str, level: str | None, mentions_of: Callable[[], Counter[str]]
                 ) -> tuple[_Place | None, LoaderWarning | None]:
    """The place of the plan's level the text names most, if it names it strongly and clearly more than any other."""
    if level is None:
        return None, None
    names = divisions()
    scored: list[tuple[int, str]] = []
    for name, weight in mentions_of().items():
        if weight < MIN_PLACE_EVIDENCE:
            continue
        levels = {_division_place(d).level for d in names[name] if _division_place(d) is not None}
        if level in levels or (level == "city" and "county" in levels and names[name][0].level == "city"):
            scored.append((weight, name))
    if not scored:
        return _paired_place(level, mentions_of)
    scored.sort(reverse=True)
    weight, best = scored[0]
    if len(scored) > 1 and weight < 2 * scored[1][0]:
        return None, warning("place_two_equal", first=best, second=scored[1][1])
    division = _prefer(names[best], mentions_of)
    place = _division_place(division)
    if place is not None and place.level == "city" and not _CITY_ADDRESSEES_RE.search(norm):
        # 市 units are a county-level city's too: with one of its county-level cities named and no
        # districts or counties addressed, the plan may be that city's (level county), not the prefecture's.
        inside = [name for name, weight in mentions_of().items() if weight >= MIN_PLACE_EVIDENCE and any(
            d.level == "city" and d.parent == place.city for d in names[name])]
        if inside:
            return None, warning("place_city_and_its_county_city", city=place.city, county=inside[0])
    unsettled = place is not None and place.level != "province" and not place.city and not place.province
    if place is None or unsettled or not _fits(place, level):
        return None, warning("place_name_shared", name=best)
    return place, None


# 鄂政发〔2018〕26号, 苏政办发[2024]3号, 川办函〔2015〕54号: a province's abbreviation, its government
# or office, the kind of document, the year.
_DOCUMENT_NUMBER_RE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])(?:政办?(?:发|函|字|规|电)?|办[发函字])\s*"
                                 r"[〔\[(【]\s*(?:19|20)\d\d\s*[〕\])】]\s*\d{1,4}\s*号")
DOCUMENT_NUMBER_WINDOW = 2000  # a document number stands at the head of the notice


def _numbered_province(norm: str, preamble_end: int) -> tuple[_Place | None, str]:
    """A province-level plan's province from its document number, when one abbreviation of
    ``data/places/province_abbreviations.tsv`` heads it and no other number names another."""
    window = norm[: max(preamble_end, min(len(norm), DOCUMENT_NUMBER_WINDOW))]
    found = {match.group(0): province_abbreviations().get(match.group(1))
             for match in _DOCUMENT_NUMBER_RE.finditer(window) if match.group(1) != "国"}  # 国办发: cited
    provinces = {province for province in found.values() if province}
    if len(provinces) != 1 or None in found.values():
        return None, ""
    number = next(number for number, province in found.items() if province)
    return _Place(level="province", province=provinces.pop()), number


def _paired_place(level: str, mentions_of: Callable[[], Counter[str]]) -> tuple[_Place | None, LoaderWarning | None]:
    """A place named only in short forms, but together with the city it belongs to (龙湾 with 温州):
    the only division of the plan's level whose short form and whose parent's the text both name."""
    if level == "province":
        return None, None
    names = divisions()
    mentions = mentions_of()
    pairs = []
    for name in mentions:
        for division in names[name]:
            place = _division_place(division)
            if place is not None and _fits(place, level) and division.parent in mentions and (
                    division.parent != name):
                pairs.append((name, place))
    if len(pairs) != 1:
        return None, None
    name, place = pairs[0]
    return place, warning("placed_by_short_forms", name=name, city=place.city or place.province)


def _prefer(candidates: list[Division], mentions: Callable[[], Counter[str]]) -> Division:
    """One division for a name: the only one, else the one whose city the text also names
    (南山区 with 深圳), else the highest in level; a district no mention settles keeps
    its name but no city (``parent`` empty) rather than a guessed one."""
    if len(candidates) == 1:
        return candidates[0]
    named = [d for d in candidates if d.parent and d.parent in mentions()]
    if len(named) == 1:
        return named[0]
    ranked = sorted(candidates, key=lambda d: {"city": 0, "province": 1}.get(d.level, 2))
    if ranked[0].level in ("city", "province") and ranked[1].level not in ("city", "province"):
        return ranked[0]
    first = ranked[0]
    return Division(adcode="", name=first.name, level=first.level, parent="", province="")
