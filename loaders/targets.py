"""Quantified targets and deadlines: 突破80亿元, 机架632个, 3.6万亩, 90%, 3至5项, 2026年底前建成….

>>> [(t.metric, t.value, t.unit, t.qualifier, t.year) for t in find_targets("到2027年,人工智能产业规模突破80亿元。")]
[('人工智能产业规模', 80.0, '亿元', 'exceed', 2027)]

A target whose sentence gives no year may take the plan's (:func:`plan_year`): the end of the
period its title states, else the one year its preamble sets (到2027年). That year is inferred,
not read, and is said so wherever it is shown (graph.schema.Target.year_inferred).
"""

from __future__ import annotations

import re

from loaders.model import Target
from loaders.normalize import normalize_for_matching

UNITS = (
    "万亿元", "亿元", "万元", "元", "万亩", "亩", "万平方米", "平方米", "平方公里", "公里", "万人次", "人次",
    "万人", "人", "万吨", "吨", "万千瓦", "千瓦", "兆瓦", "万户", "户", "场次", "个", "家", "项", "间", "套",
    "台", "条", "座", "所", "件", "批", "类", "种", "倍", "张", "架", "辆", "部", "篇", "次", "处", "%",
    "EFLOPS", "PFLOPS", "TB", "PB", "EB", "P",
)
NUMBER = r"\d+(?:\.\d+)?"
TARGET_RE = re.compile(
    rf"(?<![\d.第・·])({NUMBER})(?:\s*(?:至|到|-|~|—|～)\s*({NUMBER}))?\s*"
    rf"({'|'.join(sorted(UNITS, key=len, reverse=True))})(?![A-Za-z])"
    r"(以上|以下|以内|左右)?"
)
QUALIFIER_BEFORE = {"不少于": "at_least", "不低于": "at_least", "至少": "at_least", "突破": "exceed",
                    "超过": "exceed", "超": "exceed", "不超过": "at_most", "不高于": "at_most", "控制在": "at_most",
                    "低于": "at_most", "达到": None, "达": None}
QUALIFIER_AFTER = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "左右": "about"}
YEAR_RE = re.compile(r"(?:到|至|截至|截止|力争到|于)(\d{4})\s*年|(\d{4})\s*年(?:\d{1,2}\s*月)?(?:底|末)?前")
DEADLINE_RE = re.compile(r"(\d{4})\s*年((?:\d{1,2}\s*月)?(?:底|末|上半年|下半年)?)前")
CLAUSE_BREAKS = ",;。、:!?\n()"
# A clause that ends in one of these verbs names what it counts after the number (取得3至5项重大突破).
TRAILING_VERBS = ("取得", "形成", "打造", "培育", "建设", "建成", "新增", "引进", "招引", "开展", "完成",
                  "实现", "推动", "支持", "争创", "创建", "突破")
# Words that open a clause without being part of what is counted.
LEADING_WORDS = (
    "力争", "争取", "确保", "实现", "建成", "培育", "打造", "建设", "形成", "达到", "突破", "推动", "支持",
    "新增", "开发", "上传", "发布", "招引", "引进", "完成", "创建", "累计", "全市", "全区", "全县", "推进",
    "构建", "加快", "重点", "通过", "建立", "共", "年均", "每年", "其中", "培训", "在", "对", "以",
)


def find_targets(text: str, start: int = 0, end: int | None = None) -> list[Target]:
    """Targets in ``text[start:end]`` (normalised text), in order."""
    end = len(text) if end is None else end
    targets: list[Target] = []
    for match in TARGET_RE.finditer(text, start, end):
        value = float(match.group(1))
        if match.group(3) in ("个", "家", "项", "次", "批", "类", "种") and text.startswith("年", match.end(3)):
            continue
        if match.group(3) == "人" and text[match.end(3) : match.end(3) + 1] in ("才", "员", "口", "工", "民"):
            continue
        clause_start = _clause_start(text, match.start(), start)
        before = text[clause_start : match.start()]
        qualifier = None
        for word, meaning in QUALIFIER_BEFORE.items():
            if before.endswith(word):
                qualifier = meaning
                before = before[: -len(word)]
                break
        if match.group(4):
            qualifier = QUALIFIER_AFTER[match.group(4)]
        metric = _strip_leading(before)
        metric_end = match.end()
        if len(metric) < 2 or before.endswith(TRAILING_VERBS):
            after_end = _clause_end(text, match.end(), end)
            metric = _strip_leading(text[match.end() : after_end].lstrip("的"), trailing=False)
            metric_end = after_end
        if not metric:
            continue
        deadline = DEADLINE_RE.search(text, clause_start, match.start())
        year = int(deadline.group(1)) if deadline else _year_before(text, match.start(), start)
        targets.append(Target(
            value=value,
            value_max=float(match.group(2)) if match.group(2) else None,
            unit=match.group(3),
            qualifier=qualifier,
            year=year,
            deadline=(deadline.group(1) + "年" + deadline.group(2)) if deadline else None,
            metric=_after_last_etc(metric),
            text=text[clause_start:metric_end].strip(),
            span=(clause_start, metric_end),
        ))
    targets.extend(_deadlines(text, start, end, targets))
    targets.sort(key=lambda t: t.span)
    return targets


def _deadlines(text: str, start: int, end: int, quantified: list[Target]) -> list[Target]:
    """'2026年底前建成…' with no quantity of its own is a target with a deadline only."""
    found = []
    for match in DEADLINE_RE.finditer(text, start, end):
        clause_end = _clause_end(text, match.end(), end)
        if any(match.start() <= t.span[0] <= clause_end or t.span[0] <= match.start() < t.span[1]
               for t in quantified):
            continue
        metric = text[match.end() : clause_end].strip()
        if not metric:
            continue
        found.append(Target(year=int(match.group(1)), deadline=match.group(1) + "年" + match.group(2),
                            metric=metric, text=text[match.start() : clause_end],
                            span=(match.start(), clause_end)))
    return found


def _clause_start(text: str, position: int, floor: int) -> int:
    while position > floor and text[position - 1] not in CLAUSE_BREAKS:
        position -= 1
    return position


def _clause_end(text: str, position: int, ceiling: int) -> int:
    while position < ceiling and text[position] not in CLAUSE_BREAKS:
        position += 1
    return position


def _strip_leading(phrase: str, trailing: bool = True) -> str:
    phrase = YEAR_RE.sub("", phrase).strip()
    changed = True
    while changed and phrase:
        changed = False
        for word in LEADING_WORDS:
            if phrase.startswith(word):
                phrase = phrase[len(word) :]
                changed = True
    for word in QUALIFIER_BEFORE if trailing else ():
        if phrase.endswith(word):
            phrase = phrase[: -len(word)]
    return phrase.strip()


def _after_last_etc(metric: str) -> str:
    """'甲、乙等研发创新平台' counts 研发创新平台; '优质企业等' counts 优质企业."""
    metric = metric.rstrip("等")
    head, _, tail = metric.rpartition("等")
    return tail if head and len(tail) >= 2 else metric


def _year_before(text: str, position: int, floor: int) -> int | None:
    """The year the paragraph sets for what follows (到2027年, …), if any."""
    paragraph_start = text.rfind("\n", floor, position) + 1
    year = None
    for match in YEAR_RE.finditer(text, paragraph_start, position):
        year = int(match.group(1) or match.group(2))
    return year


# The plan's own horizon: a period (2024—2026年, 2025-2027年) or a year it sets (到2027年, 2024年度…).
PERIOD_RE = re.compile(r"(?<!\d)(\d{4})\s*年?\s*[—\-－~～至到–]+\s*(\d{4})\s*年")
TITLE_YEAR_RE = re.compile(r"(?<!\d)(\d{4})\s*年")
PREAMBLE_YEAR_RE = re.compile(r"(?:到|至|截至|截止)\s*(\d{4})\s*年(?!\s*\d{1,2}\s*月)")


def plan_year(title: str | None, preamble: str = "") -> int | None:
    """The year a plan sets for what it asks when a target says no year of its own; None if it sets none.

    The end of the period its title states, else the one year its title names, else the one
    year its preamble (the text before its first item) sets with 到/至/截至. Several years
    and no period to choose by: None, never a guess.

    >>> plan_year("仙桃市人工智能产业发展三年行动方案(2025—2027年)")
    2027
    >>> plan_year("某市数字经济发展实施方案（2024－2026年）"), plan_year("某区2025年数字经济工作要点")
    (2026, 2025)
    >>> plan_year(None, "为加快发展,力争到2027年,培育企业5家,制定本方案。")
    2027
    >>> plan_year("某市行动方案", "到2025年,…;到2030年,…"), plan_year(None, "结合实际,制定本方案。"), plan_year(None)
    (None, None, None)
    """
    title = normalize_for_matching(title or "")
    period = PERIOD_RE.search(title)
    if period and int(period.group(1)) <= int(period.group(2)):
        return int(period.group(2))
    named = {int(match.group(1)) for match in TITLE_YEAR_RE.finditer(title)}
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    preamble = normalize_for_matching(preamble)
    period = PERIOD_RE.search(preamble)
    if period and int(period.group(1)) <= int(period.group(2)):
        return int(period.group(2))
    set_years = {int(match.group(1)) for match in PREAMBLE_YEAR_RE.finditer(preamble)}
    return set_years.pop() if len(set_years) == 1 else None


def year_of(target: Target, year_of_plan: int | None) -> tuple[int | None, bool]:
    """A target's year and whether it is inferred: its own if it has one; the plan's if it has none and
    no deadline of its own (长期坚持 in a deadline column is no year, and not the plan's either).

    >>> own = Target(year=2026, metric="平台", text="2026年建成平台1个", span=(0, 11))
    >>> none = Target(metric="平台", text="建成平台1个", span=(0, 6))
    >>> year_of(own, 2027), year_of(none, 2027), year_of(none, None)
    ((2026, False), (2027, True), (None, False))
    >>> year_of(Target(deadline="长期坚持", metric="平台", text="长期坚持", span=(0, 4)), 2027)
    (None, False)
    """
    if target.year is not None or target.deadline is not None or year_of_plan is None:
        return target.year, False
    return year_of_plan, True
