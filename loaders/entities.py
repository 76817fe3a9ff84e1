"""Districts, parks, platforms, organisations and people named in plan text.

Rules, not name lists: a name is the run of characters before a type word
(产业园, 研究院, 经开区 ...), cut on the left at punctuation or at a verb or
preposition that starts a phrase (依托, 建设, 支持 ...). Administrative
districts and counties are recognised with the national divisions table.

>>> [(e.type, e.name) for e in find_entities("依托某某光电子产业园、甲乙人工智能研究院等平台，")]
[('Park', '某某光电子产业园'), ('Platform', '甲乙人工智能研究院')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from loaders.agencies import GOVERNMENT_SUFFIXES
from loaders.knowledge import division_stem, divisions
from loaders.model import Entity, merged_spans

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "District": ("经济技术开发区", "高新技术产业开发区", "经开区", "高新区", "经济区", "开发区", "度假区",
                 "新区", "街道", "原种场", "镇", "乡"),
    "Park": ("产业园区", "产业园", "科技园", "工业园", "软件园", "创新园", "赋能园", "园中园", "产业基地",
             "综合试验区", "试验区", "科创园", "孵化园"),
    "Platform": ("研究院", "工研院", "研究中心", "创新中心", "科创中心", "实验室", "中试平台", "中试基地",
                 "数据中心", "智算中心", "计算中心", "算力中心", "超算中心", "算力节点", "信息平台", "服务平台",
                 "预警平台", "管理平台", "交换平台", "中心平台", "孵化器", "加速器", "众创空间", "技术中心",
                 "适配中心", "工程中心", "研究所", "运行管理中心", "实训基地", "培训基地", "培养基地",
                 "研发基地"),
    "Organization": ("有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团", "职业大学",
                     "职业学院", "大学", "学院", "银行"),
}
# Words that start a phrase: the name begins after the last of them.
PHRASE_STARTS = (
    "依托", "围绕", "规划建设", "建设", "打造", "支持", "推进", "推动", "发挥", "加快", "建成", "聚焦", "培育",
    "引进", "招引", "优化", "构建", "布局", "拓展", "创建", "强化", "提升", "完善", "落地", "加强", "鼓励",
    "引导", "开展", "实施", "共建", "对接", "服务", "形成", "申报", "争创", "升级", "实现", "设立", "组建",
    "成立", "入驻", "集聚", "携手", "依靠", "利用", "通过", "借助", "推广", "积极", "主动", "重点",
    "全面", "率先", "加速", "持续", "探索", "用好", "做强", "做大", "做优", "壮大", "发展", "承接", "谋划",
    "包括", "以及", "其中", "由", "在", "对", "与", "和", "及", "或", "以", "为", "向", "于", "将", "把", "从",
    "的", "等", "各", "含", "以上", "全市", "全区", "全县", "本市", "我市", "一批", "若干", "多个", "一个",
)
OPERATORS = ("中国移动", "中国电信", "中国联通", "中国铁塔", "中国广电")
# Names that are the genre's generic phrases, not a particular body.
GENERIC_STEMS = (
    "新型", "重点", "省级", "市级", "国家级", "国家", "各类", "各级", "综合", "专业", "特色", "相关", "有关",
    "联合", "工程", "技术", "产业", "边缘", "绿色", "公共", "共性", "企校联合", "成果转化", "协同创新",
    "新型研发", "数据", "智能", "行业", "企业", "工程技术",
)
# Qualifiers that make a phrase generic wherever they stand at its start or end (省级…实验室).
GENERIC_QUALIFIERS = ("新型", "重点", "省级", "市级", "国家级", "各类", "各级", "相关", "有关", "主力", "大型", "边缘")
# A stem that starts with a quantity (三大, N个, 5家) names a count, not a body.
_QUANTITY_RE = re.compile(r"[\dNn一二三四五六七八九十两几多]+(?:个|大|家|批|类|项|座|所|间)")
# A count of more than one right after a name makes it a kind of thing, not one body:
# 建设智慧农业示范基地5个 (but 建设人工智能产业园1个 is one park).
_COUNT_AFTER_RE = re.compile(
    r"(?:[2-9]|[1-9]\d+|[二三四五六七八九十两几多][一二三四五六七八九十]*)(?:个|家|处|所|座|批)")
# The level a body is built at (市级全民健康信息平台 is the city's one): dropped from the front of a name.
LEVEL_QUALIFIERS = ("国家级", "省级", "市级", "县级", "区级")
POSTS = ("市委常委", "区委常委", "县委常委", "市委书记", "市长", "副市长", "区委书记", "区长", "副区长",
         "县委书记", "县长", "副县长", "省长",
         "副省长", "书记", "副书记", "主任", "副主任", "局长", "副局长", "秘书长", "常委", "主席")
# Repetitions are bounded ({1,8} posts, {1,64} list items): unbounded, a long run of them costs its
# length squared, every position in it starting a match that runs to its end.
PERSON_RE = re.compile(
    rf"((?:(?:{'|'.join(POSTS)})[、,]?){{1,8}})([\u4e00-\u9fff]{{2,3}}?)"
    r"(?=负总责|具体负责|负责|牵头|同志|任|担任|为|[,、;。(])"
)
_TYPE_RE = re.compile("|".join(sorted({w for words in TYPE_WORDS.values() for w in words}, key=len, reverse=True)))
_WORD_TYPE = {word: type_ for type_, words in TYPE_WORDS.items() for word in words}
_BOUNDARY = set(" \t\n,.;:!?、。，；：！？\"“”‘’'<>《》【】[]()（）·-—～~/\\|0123456789%")
_LIST_RE = re.compile(r"((?:[\u4e00-\u9fffA-Za-z]{2,8}、){1,64}[\u4e00-\u9fffA-Za-z]{2,8})等(?:项目|企业|公司)")
_QUOTED_PLATFORM_RE = re.compile(r"“([^”]{2,12})”平台")
_OPERATOR_RES = tuple(re.compile(re.escape(operator)) for operator in OPERATORS)
_DIVISION_SUFFIX_RE = re.compile("[区县市州旗]")
_SENTENCE_STOP_RE = re.compile("[。\n;]")
MAX_NAME = 16


def find_entities(text: str, start: int = 0, end: int | None = None,
                  skip: Iterable[tuple[int, int]] = ()) -> list[Entity]:
    """Entities named in ``text[start:end]`` (normalised text), in order of appearance.

    ``skip`` are spans (responsibility notes) whose units are agencies, not mentions.
    """
    end = len(text) if end is None else end
    skipped = merged_spans(skip)
    skipped_starts = [s for s, _ in skipped]
    found: dict[tuple[int, int], Entity] = {}

    def add(type_: str, name_start: int, name_end: int, **extra: str) -> None:
        index = bisect_right(skipped_starts, name_start) - 1
        if index >= 0 and name_start < skipped[index][1]:
            return
        found.setdefault((name_start, name_end), Entity(type=type_, name=text[name_start:name_end],
                                                       span=(name_start, name_end), **extra))

    for match in _TYPE_RE.finditer(text, start, end):
        word = match.group(0)
        type_ = _WORD_TYPE[word]
        if type_ == "District" and word in ("镇", "乡", "街道", "原种场") and not _ends_place(text, match.end()):
            continue
        if _COUNT_AFTER_RE.match(text, match.end()):
            continue
        name_start = _name_start(text, match.start(), start)
        if text.startswith(LEVEL_QUALIFIERS, name_start):
            name_start += next(len(q) for q in LEVEL_QUALIFIERS if text.startswith(q, name_start))
        stem = text[name_start : match.start()]
        if not _is_specific(stem, word):
            continue
        add(type_, name_start, match.end())
    for position, name in _divisions_in(text, start, end):
        add("District", position, position + len(name))
    for operator in _OPERATOR_RES:
        for match in operator.finditer(text, start, end):
            add("Organization", match.start(), match.end())
    for match in _LIST_RE.finditer(text, start, end):
        offset = match.start(1)
        items = match.group(1).split("、")
        first_start = _name_start(text, match.start(1) + len(items[0]), match.start(1))
        items[0] = text[first_start : match.start(1) + len(items[0])]
        for item in items:
            position = text.find(item, offset)
            add("Organization", position, position + len(item))
            offset = position + len(item)
    for match in _QUOTED_PLATFORM_RE.finditer(text, start, end):
        add("Platform", match.start(), match.end())
    for match in PERSON_RE.finditer(text, start, end):
        add("Person", match.start(2), match.end(2), post=match.group(1).strip("、,"))
    return _drop_nested(sorted(found.values(), key=lambda e: e.span))


# What a unit that governs a place adds to the place's name: 干河街道办事处, 鄂城区人民政府, 某某高新区管理委员会.
PLACE_GOVERNMENT_SUFFIXES = (*GOVERNMENT_SUFFIXES, "管理委员会", "党工委")


@lru_cache(maxsize=8192)  # a plan names the same few units in note after note
def unit_place(name: str) -> str | None:
    """The place a unit of a note governs or is, when its name says which: a town, a street,
    a zone, a district or county named in full. Collectives and unnamed zones (市高新区) name none.

    >>> [unit_place(n) for n in ("某某街道", "某某高新区管委会", "鄂城区人民政府", "市高新区管委会",
    ...                          "各镇街道", "市科技局")]
    ['某某街道', '某某高新区', '鄂城区', None, None, None]
    """
    place = next((name[: -len(s)] for s in PLACE_GOVERNMENT_SUFFIXES if name.endswith(s)), name)
    if place.startswith(("各", "相关", "有关")) or any(char in place for char in "()（）、"):
        return None
    if len(place) >= 3 and any(d.level in ("district", "county") for d in divisions().get(place, ())):
        return place
    word = next((w for w in TYPE_WORDS["District"] if place.endswith(w)), None)
    if word is None:
        return None
    return place if _is_specific(place[: -len(word)], word) else None


def _ends_place(text: str, position: int) -> bool:
    """A town word ends a name when punctuation, a government word or the end follows."""
    return position >= len(text) or text[position] in _BOUNDARY or text.startswith(
        ("人民政府", "政府", "办事处", "党委", "管委会"), position)


def _name_start(text: str, suffix_start: int, floor: int) -> int:
    position = suffix_start
    limit = max(floor, suffix_start - MAX_NAME)
    while position > limit and text[position - 1] not in _BOUNDARY:
        position -= 1
    # A bracketed place inside a name, 中国(鄂州)跨境电商综合试验区, belongs to it.
    if position > limit + 1 and text[position - 1] in ")）" and "(" in text[limit:position]:
        opener = text.rfind("(", limit, position)
        if opener > limit and text[opener - 1] not in _BOUNDARY:
            position = opener
            while position > limit and text[position - 1] not in _BOUNDARY:
                position -= 1
    window = text[position:suffix_start]
    cut = 0
    for word in PHRASE_STARTS:
        index = window.rfind(word)
        if index >= 0 and index + len(word) > cut:
            cut = index + len(word)
    quantities = list(_QUANTITY_RE.finditer(window, cut))
    if quantities:
        cut = quantities[-1].end()
    return position + cut


def _is_specific(stem: str, word: str) -> bool:
    stem = stem.strip("“”\"")
    if len(stem) < 2 or stem.endswith(("的", "和", "与", "及")):
        return False
    if stem in GENERIC_STEMS or stem.endswith(GENERIC_QUALIFIERS) or stem.startswith(GENERIC_QUALIFIERS):
        return False
    # 九合垸 is a name; 一流, 十大 and 三个 are not.
    return not (stem.isdigit() or (stem[0] in "一二三四五六七八九十几多" and (
        stem[1] in "一二三四五六七八九十流大个批类项级" or len(stem) < 3)))


def _divisions_in(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Administrative divisions written out in full (鄂城区, 华容区, 某某县)."""
    names = divisions()
    hits = []
    for match in _DIVISION_SUFFIX_RE.finditer(text, start, end):
        suffix_end = match.end()
        for length in (5, 4, 3, 2):
            candidate = text[suffix_end - length : suffix_end]
            if suffix_end - length >= start and candidate in names and names[candidate][0].level in (
                "district", "county"):
                if length == 2 and not _stands_alone(text, suffix_end - 2, names[candidate]):
                    break
                hits.append((suffix_end - length, candidate))
                break
    return hits


# Single characters after which a two-character county begins a word of its own: 在沛县, 和叶县.
_BEFORE_SHORT_NAME = set("在对与和及或向于从至赴到省市州、")


def _stands_alone(text: str, position: int, candidates: list) -> bool:
    """A two-character name is a place only where it starts a word: 完成县 is not 成县, and 城区,
    矿区, 郊区, 东区 are common words unless their city stands before them (阳泉城区).
    """
    before = text[position - 1] if position else ""
    if text[position + 1] == "区":
        return any(text.endswith((d.parent, division_stem(d.parent)), 0, position) for d in candidates if d.parent)
    return not before or before in _BOUNDARY or before in _BEFORE_SHORT_NAME


def _drop_nested(entities: list[Entity]) -> list[Entity]:
    """Keep the longest of overlapping names of one type (华中科技大学鄂州工研院 holds 华中科技大学 as an
    Organization, which stays: types differ).

    ``entities`` are sorted by span; a kept name that ends before one starts cannot hold any later
    one, so each type keeps only the few names still open.
    """
    kept: list[Entity] = []
    open_by_type: dict[str, list[int]] = {}  # type -> indices into kept, in the order kept
    for entity in entities:
        start = entity.span[0]
        still_open = [i for i in open_by_type.get(entity.type, ()) if kept[i].span[1] > start]
        overlap = next((i for i in still_open if kept[i].span[0] <= start), None)
        if overlap is None:
            still_open.append(len(kept))
            kept.append(entity)
        elif entity.span[1] - entity.span[0] > kept[overlap].span[1] - kept[overlap].span[0]:
            kept[overlap] = entity
        open_by_type[entity.type] = still_open
    return kept


def district_stems(names: Iterable[str]) -> dict[str, str]:
    """Short forms of district names, used to place parks: 葛店 -> 葛店经开区."""
    stems = {}
    for name in names:
        for word in TYPE_WORDS["District"]:
            if name.endswith(word) and len(name) - len(word) >= 2:
                stems[name[: -len(word)]] = name
                break
        else:
            stem = division_stem(name)
            if len(stem) >= 2 and stem != name:
                stems[stem] = name
    return stems


def assign_locations(entities: list[Entity], norm: str) -> None:
    """Set ``located_in`` of parks and platforms where the text places them in a district.

    Two readings: the name starts with the district's short name (葛店泛半导体产业园 in 葛店经开区),
    or the sentence opens with the district as its subject (鄂城区围绕莲花山人工智能产业基地…).
    Linear in the entities: stems are looked up by the prefixes of a name, the sentence's start by
    bisection over the stops, its subject once per sentence.
    """
    districts = [e for e in entities if e.type == "District"]
    stems = district_stems(e.name for e in districts)
    stem_order = {stem: index for index, stem in enumerate(stems)}
    longest_stem = max(map(len, stems), default=0)
    stops = [match.start() for match in _SENTENCE_STOP_RE.finditer(norm)]
    districts_at: dict[int, list[int]] = {}
    for index, district in enumerate(districts):
        districts_at.setdefault(district.span[0], []).append(index)
    subjects: dict[int, Entity | None] = {}
    for entity in entities:
        if entity.type not in ("Park", "Platform"):
            continue
        name = entity.name
        prefixes = (name[:length] for length in range(1, min(len(name), longest_stem) + 1))
        for _, stem in sorted((stem_order[prefix], prefix) for prefix in prefixes if prefix in stem_order):
            if not name.startswith(stems[stem] + "的"):  # the first such stem in the districts' order
                entity.located_in = stems[stem]
                break
        if entity.located_in:
            continue
        before = bisect_right(stops, entity.span[0] - 1) - 1  # the last stop before the entity
        sentence_start = stops[before] + 1 if before >= 0 else 0
        if sentence_start not in subjects:
            subjects[sentence_start] = _subject(norm, sentence_start, districts, districts_at)
        subject = subjects[sentence_start]
        if subject is not None and subject.span[1] <= entity.span[0]:
            entity.located_in = subject.name


def _subject(norm: str, sentence_start: int, districts: list[Entity],
             districts_at: dict[int, list[int]]) -> Entity | None:
    """The first district (in list order) that opens the sentence, after nothing but spaces."""
    first_text = sentence_start
    while first_text < len(norm) and norm[first_text].isspace():
        first_text += 1
    candidates = [i for position in range(sentence_start, first_text + 1) for i in districts_at.get(position, ())]
    return districts[min(candidates)] if candidates else None
