"""Synthetic action-plan documents for the benchmarks.

The two bundled plans in ``data/corpus/`` are cut into their parts (preamble, goal paragraphs,
action groups, numbered actions with their responsibility notes, safeguards) and recombined into
new plans of the same genre: another city and province, other years, items drawn from both
plans, renumbered, with the numbering, punctuation width and note form varied the way they vary
across real plans (see the genre notes: ``（责任单位：甲、乙，丙）``, ``(牵头单位:甲;责任单位:乙)``,
notes on their own lines, ☆ legends, ``甲（牵头）`` ...).

Deterministic: document ``i`` of seed ``s`` depends only on ``(s, i)`` and the bundled plans, so
``generate_plans(10, s)[:5] == generate_plans(5, s)``.

    >>> from bench._corpus import generate_plans
    >>> docs = generate_plans(3, seed=1)
    >>> len(docs), docs == generate_plans(3, seed=1)
    (3, True)

Run ``python bench/_corpus.py --docs 5 --out /tmp/plans`` to look at some.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import count, islice
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"

#: bundled plan -> (its city, its province): the names the generator swaps out
SOURCES: dict[str, tuple[str, str]] = {
    "ezhou-ai-action-plan.txt": ("鄂州", "湖北省"),
    "xiantao-ai-action-plan-2025-2027.txt": ("仙桃", "湖北省"),
}

#: real cities (市) and their provinces; plans are generated for these
_CITY_TABLE = """
宜昌:湖北省 襄阳:湖北省 荆州:湖北省 黄石:湖北省 十堰:湖北省
孝感:湖北省 荆门:湖北省 黄冈:湖北省 咸宁:湖北省 随州:湖北省
天门:湖北省 潜江:湖北省 岳阳:湖南省 常德:湖南省 株洲:湖南省
湘潭:湖南省 衡阳:湖南省 九江:江西省 赣州:江西省 上饶:江西省
芜湖:安徽省 蚌埠:安徽省 马鞍山:安徽省 洛阳:河南省 许昌:河南省
南阳:河南省 新乡:河南省 淄博:山东省 潍坊:山东省 烟台:山东省
临沂:山东省 徐州:江苏省 常州:江苏省 南通:江苏省 盐城:江苏省
昆山:江苏省 嘉兴:浙江省 湖州:浙江省 绍兴:浙江省 台州:浙江省
义乌:浙江省 泉州:福建省 漳州:福建省 佛山:广东省 东莞:广东省
惠州:广东省 江门:广东省 柳州:广西壮族自治区 绵阳:四川省 宜宾:四川省
德阳:四川省 遵义:贵州省 曲靖:云南省 宝鸡:陕西省 榆林:陕西省
天水:甘肃省 包头:内蒙古自治区 大同:山西省 长治:山西省 保定:河北省
唐山:河北省 沧州:河北省 鞍山:辽宁省 吉林:吉林省 大庆:黑龙江省
克拉玛依:新疆维吾尔自治区
"""
CITIES: tuple[tuple[str, str], ...] = tuple(
    (city, province) for city, _, province in (p.partition(":") for p in _CITY_TABLE.split())
)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"  # noqa: E501
_GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"  # noqa: E501

_CN_DIGITS = "零一二三四五六七八九"
_FULL = "，：；（）"
_HALF = ",:;()"
_TO_HALF = str.maketrans(_FULL, _HALF)
_TO_FULL = str.maketrans(_HALF, _FULL)

_TOP = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
_GROUP = re.compile(r"^[（(]([一二三四五六七八九十]+|\d+)[）)]\s*([^。]{2,30})$")
_ITEM = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十]+[）)])\s*(.+)$")
_NOTE = re.compile(r"[（(]((?:牵头单位|责任单位)[:：].*)[）)]\s*$")
_PERSON = re.compile(r"(市长|副市长)([\u4e00-\u9fff]{2,3}?)(负总责|具体负责)")
_YEAR = re.compile(r"20[2-3]\d(?=年|—|-|－)")
_QUANTITY = re.compile(r"(?<![\d.・至～~\-—－+])(\d+)(?=(?:个|家|项|亿元|间|套|人|所|条|场次|万亩)(?!\d))")
_SENTENCE = re.compile(r"[^。]+。?")

_ALIASES = {  # short form -> full form, as plans write either
    "市发改委": "市发展和改革委员会",
    "市经信局": "市经济和信息化局",
    "市人社局": "市人力资源和社会保障局",
    "市卫健委": "市卫生健康委员会",
    "市委网信办": "市委网络安全和信息化委员会办公室",
    "市文旅局": "市文化和旅游局",
    "市数据局": "市数据管理局",
}
_EXTRA_UNIT_TABLE = """
市财政局 市科技局 市经信局 市发改委 市数据局 市商务局 市教育局
市人社局 市市场监管局 市自然资源和规划局 市统计局 市税务局 市科协 市金融工作局
市工商联 市投资促进局 市国资委 市城投集团 市供电公司
"""
_EXTRA_UNITS = tuple(_EXTRA_UNIT_TABLE.split())  # units a generated note may add
_COLLECTIVES = ("各区人民政府", "各县（市、区）人民政府", "各镇街道场区", "各县市区人民政府")


# --------------------------------------------------------------------------- the pool


@dataclass(frozen=True)
class Item:
    """One numbered action of a bundled plan, cut into parts; names made into placeholders."""

    title: str
    sentences: tuple[str, ...]
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    group: str


@dataclass(frozen=True)
class Pool:
    preambles: tuple[str, ...]
    goals: tuple[str, ...]
    closings: tuple[str, ...]
    groups: dict[str, tuple[Item, ...]]  # action-group title -> its items
    safeguards: tuple[Item, ...]


def _placeholders(text: str, city: str, province: str) -> str:
    text = text.translate(_TO_FULL).replace(province, "{PROV}").replace(city, "{CITY}")
    n = count()
    return _PERSON.sub(lambda m: f"{m[1]}{{PERSON{next(n)}}}{m[3]}", text)


def _split_units(units: str) -> list[str]:
    units = re.sub(r"<[^>]*>", "", units)
    return [u.strip() for u in re.split(r"[、，,]", units) if u.strip()]


def _parse_note(note: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lead: list[str] = []
    responsible: list[str] = []
    for part in re.split(r"[;；]", note):
        m = re.match(r"\s*(牵头单位|责任单位)[:：](.*)", part)
        if m:
            (lead if m[1] == "牵头单位" else responsible).extend(_split_units(m[2]))
    return tuple(lead), tuple(responsible)


def _parse_item(line: str, group: str) -> Item | None:
    m = _ITEM.match(line)
    note = _NOTE.search(line)
    if not m or not note:
        return None
    body = m[1][: note.start() - m.start(1)]
    title, sep, rest = body.partition("。")
    if not sep or len(title) > 40:
        return None
    lead, responsible = _parse_note(note[1])
    return Item(title, tuple(_SENTENCE.findall(rest)), lead, responsible, group)


@cache
def load_pool(corpus_dir: Path = CORPUS_DIR) -> Pool:
    """Cut the bundled plans into the parts the generator recombines."""
    preambles: list[str] = []
    goals: list[str] = []
    closings: list[str] = []
    groups: dict[str, list[Item]] = {}
    safeguards: list[Item] = []
    for name, (city, province) in SOURCES.items():
        text = (corpus_dir / name).read_text(encoding="utf-8")
        top = group = ""
        for raw in text.splitlines():
            line = _placeholders(raw.strip(), city, province)
            if not line:
                continue
            if m := _TOP.match(line):
                top = group = m[2].strip()
                continue
            if (m := _GROUP.match(line)) and not _NOTE.search(line):
                group = m[2].strip()
                continue
            item = _parse_item(line, group)
            closing = any(w in top for w in ("保障", "组织实施"))
            if item is not None:
                (safeguards if closing else groups.setdefault(group, [])).append(item)
            elif not top:
                if line.startswith("为") and len(line) > 60:
                    preambles.append(line)
            elif "目标" in top:
                goals.append(line)
            elif closing:
                closings.append(line)
    return Pool(
        tuple(preambles),
        tuple(goals),
        tuple(closings),
        {g: tuple(items) for g, items in groups.items()},
        tuple(safeguards),
    )


# --------------------------------------------------------------------------- rendering


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 23 -> 二十三 (1..99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass
class Style:
    """The knobs one generated document is drawn with."""

    city: str
    province: str
    year_shift: int
    width: str  # full | half | mixed (per paragraph)
    layout: str  # groups: 二、重点行动 >（一）group > 1. item ; parts: 一、group > item
    marker: str  # arabic | cn (（一）items; layout parts only)
    arabic_dot: str  # "." "．" "、"
    restart: bool  # numbering restarts in each part
    note_form: str
    lead_label: str
    resp_label: str
    collective: str
    unit_sep: str
    aliases: bool
    header: bool
    title: bool
    blank_lines: bool
    indent: str
    crlf: bool
    traditional: bool
    stray_space: bool
    n_items: int
    people: list[str] = field(default_factory=list)


_NOTE_FORMS = (  # form, weight
    ("full_resp", 30),  # （责任单位：甲、乙，丙）
    ("lead_resp", 30),  # （牵头单位：甲；责任单位：乙、丙） / half width
    ("lines", 8),  # 牵头单位：甲 / 责任单位：乙、丙 on their own lines
    ("bare", 8),  # 责任单位：甲、乙。 with no brackets
    ("star", 8),  # （责任单位：☆甲、乙） with a legend in the first note
    ("word", 8),  # （责任单位：甲（牵头）、乙）
    ("first_listed", 8),  # a sentence says the first-listed unit leads
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _style(rng: random.Random) -> Style:
    city, province = rng.choice(CITIES)
    layout = rng.choice(("groups", "groups", "parts"))
    marker = "arabic" if layout == "groups" else rng.choice(("arabic", "cn", "cn"))
    width = _pick(rng, (("full", 55), ("half", 35), ("mixed", 10)))
    return Style(
        city=city,
        province=province,
        year_shift=rng.choice((-1, 0, 0, 1, 2, 3)),
        width=width,
        layout=layout,
        marker=marker,
        arabic_dot=_pick(rng, ((".", 70), ("．", 15), ("、", 15))),
        restart=rng.random() < (0.5 if layout == "parts" else 0.15),
        note_form=_pick(rng, _NOTE_FORMS),
        lead_label=_pick(rng, (("牵头单位", 85), ("牵头部门", 10), ("主责单位", 5))),
        resp_label=_pick(
            rng,
            (("责任单位", 75), ("责任部门", 8), ("配合单位", 8), ("协办单位", 5), ("参与单位", 4)),
        ),
        collective=rng.choice(_COLLECTIVES),
        unit_sep=_pick(rng, (("、", 85), ("，", 10), (",", 5))),
        aliases=rng.random() < 0.15,
        header=rng.random() < 0.35,
        title=rng.random() < 0.75,
        blank_lines=rng.random() < 0.4,
        indent=_pick(rng, (("", 70), ("\u3000\u3000", 25), ("    ", 5))),
        crlf=rng.random() < 0.04,
        traditional=rng.random() < 0.04,
        stray_space=rng.random() < 0.05,
        n_items=max(3, min(90, round(rng.lognormvariate(math.log(14), 0.6)))),
        people=[rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2, 2)))) for _ in range(4)],
    )


def _mutate_numbers(text: str, rng: random.Random, stray_space: bool) -> str:
    def repl(m: re.Match[str]) -> str:
        n = int(m[1])
        if rng.random() < 0.5:
            n = max(1, round(n * rng.uniform(0.5, 2.0)))
        return f"{n} " if stray_space and rng.random() < 0.3 else str(n)

    return _QUANTITY.sub(repl, text)


def _units(item: Item, rng: random.Random, st: Style) -> tuple[list[str], list[str]]:
    lead, responsible = list(item.lead), list(item.responsible)
    if len(responsible) > 1 and rng.random() < 0.3:
        responsible.pop(rng.randrange(len(responsible)))
    if rng.random() < 0.3:
        extra = rng.choice(_EXTRA_UNITS)
        if extra not in lead and extra not in responsible:
            responsible.insert(rng.randrange(len(responsible) + 1), extra)
    fix = [
        (st.collective if u.startswith("各") and u.endswith(("人民政府", "街道场区")) else u)
        for u in lead + responsible
    ]
    if st.aliases:
        fix = [_ALIASES.get(u, u) if rng.random() < 0.6 else u for u in fix]
    # collectives go last, as plans write them
    return fix[: len(lead)], sorted(fix[len(lead) :], key=lambda u: u.startswith("各"))


def _join(units: list[str], st: Style, rng: random.Random) -> str:
    out = ""
    for i, u in enumerate(units):
        if i:
            out += "，" if u.startswith("各") and st.note_form == "full_resp" else st.unit_sep
        out += u
    if len(units) > 2 and rng.random() < 0.05:
        out += "等"
    return out


def _note(item: Item, rng: random.Random, st: Style, first: bool) -> tuple[str, list[str]]:
    """Render an item's note: (text glued to the item, lines that follow the item)."""
    lead, resp = _units(item, rng, st)
    if not lead and st.note_form not in ("full_resp", "bare", "first_listed"):
        lead, resp = resp[:1], resp[1:]  # no lead marked in the source: first listed leads
    everyone = lead + resp
    ll, rl = st.lead_label, st.resp_label
    form = st.note_form
    if form in ("full_resp", "first_listed") or (form == "lead_resp" and not resp):
        return f"（{rl}：{_join(everyone, st, rng)}）", []
    if form == "lead_resp":
        return f"（{ll}：{_join(lead, st, rng)}；{rl}：{_join(resp, st, rng)}）", []
    if form == "lines":
        lines = [f"{ll}：{_join(lead, st, rng)}"]
        return "", ([*lines, f"{rl}：{_join(resp, st, rng)}"] if resp else lines)
    if form == "bare":
        return f"{rl}：{_join(everyone, st, rng)}。", []
    if form == "star":
        marked = ["☆" + u for u in lead] + resp
        legend = "。标☆的为牵头单位，下同。" if first else ""
        return f"（{rl}：{_join(marked, st, rng)}{legend}）", []
    marked = [u + "（牵头）" for u in lead] + resp  # word
    return f"（{rl}：{_join(marked, st, rng)}）", []


def _item_text(item: Item, marker: str, rng: random.Random, st: Style, first: bool) -> list[str]:
    sentences = list(item.sentences)
    if len(sentences) >= 3 and rng.random() < 0.3:
        sentences.pop(rng.randrange(1, len(sentences)))
    if len(sentences) >= 3 and rng.random() < 0.2:
        rng.shuffle(sentences)
    body = _mutate_numbers("".join(sentences), rng, st.stray_space)
    note, after = _note(item, rng, st, first)
    return [f"{marker}{item.title}。{body}{note}", *after]


def _draw_items(pool: Pool, rng: random.Random, n: int) -> list[tuple[str, list[Item]]]:
    """Pick action groups and items, about n items in all, repeating groups if n is large."""
    names = list(pool.groups)
    every = [it for items in pool.groups.values() for it in items]
    order: list[str] = []
    out: list[tuple[str, list[Item]]] = []
    left = n
    while left > 0:
        if not order:
            order = rng.sample(names, len(names))
        name = order.pop()
        items = list(pool.groups[name])
        take = min(left, rng.randint(max(1, len(items) // 2), len(items)))
        chosen = items[:take] if rng.random() < 0.7 else rng.sample(items, take)
        chosen = [rng.choice(every) if rng.random() < 0.15 else it for it in chosen]
        out.append((name, chosen))
        left -= take
    return out


@dataclass(frozen=True)
class Plan:
    """A generated document and what it was drawn with (for benchmarks that check counts)."""

    text: str
    seed: int
    index: int
    city: str
    province: str
    n_actions: int
    style: Style


def generate_plan(seed: int, index: int) -> Plan:
    """Document ``index`` of the series ``seed``."""
    pool = load_pool()
    rng = random.Random(f"policykg-bench-corpus:{seed}:{index}")
    st = _style(rng)
    y0 = 2025 + st.year_shift
    paras: list[str] = []

    title = rng.choice(
        (
            "{CITY}市人工智能产业发展三年行动方案",
            "{CITY}市加快人工智能产业发展行动方案",
            "{CITY}市推进“人工智能+”行动实施方案",
            "{CITY}市人工智能创新发展实施方案",
            "关于加快{CITY}市人工智能产业发展的实施意见",
        )
    )
    period = f"（{y0}—{y0 + 2}年）" if rng.random() < 0.6 else ""
    if st.header:
        paras.append(
            rng.choice(
                (
                    "各县（市、区）人民政府，市政府各部门：",
                    "各区人民政府，市政府各部门，各直属机构：",
                    "各镇人民政府，各街道办事处，市政府各部门：",
                )
            )
        )
        paras.append(
            rng.choice(
                (
                    f"《{title}{period}》已经市人民政府同意，现印发给你们，请结合实际，认真组织实施。",
                    f"现将《{title}》印发给你们，请认真贯彻执行。",
                )
            )
        )
        pad = " " * rng.choice((0, 40, 68))
        paras.append(pad + rng.choice(("{CITY}市人民政府", "{CITY}市人民政府办公室")))
        paras.append(f"{pad}{y0}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    if st.title or st.header:
        paras.append(title)
        if period:
            paras.append(period)
    paras.append(_mutate_numbers(rng.choice(pool.preambles), rng, st.stray_space))
    if st.note_form == "first_listed":
        paras.append("各项任务中列第一位的为牵头单位，其他为责任单位。")

    part = 0

    def heading(text: str) -> None:
        nonlocal part
        part += 1
        paras.append(f"{cn_number(part)}、{text}")

    if st.layout == "groups" or rng.random() < 0.3:
        heading(rng.choice(("工作目标", "发展目标", "总体目标")))
        goals = rng.sample(pool.goals, rng.randint(1, len(pool.goals)))
        paras.extend(_mutate_numbers(g, rng, st.stray_space) for g in goals)

    number = 0
    first_note = True

    def marker() -> str:
        if st.marker == "cn":
            return f"（{cn_number(number)}）"
        return f"{number}{st.arabic_dot}"

    drawn = _draw_items(pool, rng, st.n_items)
    if st.layout == "groups":
        heading(rng.choice(("重点行动", "重点任务", "主要任务")))
    n_actions = 0
    for g, (name, items) in enumerate(drawn, 1):
        if st.layout == "groups":
            paras.append(f"（{cn_number(g)}）{name}")
        else:
            heading(name)
        if st.restart:
            number = 0
        n_actions += len(items)
        for item in items:
            number += 1
            paras.extend(_item_text(item, marker(), rng, st, first_note))
            first_note = False

    heading(rng.choice(("保障措施", "组织实施", "强化保障措施")))
    if rng.random() < 0.5:
        paras.extend(rng.sample(pool.closings, rng.randint(1, len(pool.closings))))
    else:
        if st.restart or st.layout == "groups":
            number = 0
        for item in rng.sample(pool.safeguards, rng.randint(1, len(pool.safeguards))):
            number += 1
            n_actions += 1
            paras.extend(_item_text(item, marker(), rng, st, first_note))

    # names, years and the look of the page
    people = iter(st.people)
    out: list[str] = []
    for p in paras:
        p = p.replace("{CITY}", st.city).replace("{PROV}", st.province)
        p = re.sub(r"\{PERSON\d+\}", lambda _: next(people, "王明"), p)
        p = _YEAR.sub(lambda m: str(int(m[0]) + st.year_shift), p)
        if st.width == "half" or (st.width == "mixed" and rng.random() < 0.5):
            p = p.translate(_TO_HALF)
        out.append(p if p.startswith(" ") else st.indent + p)
    text = ("\n\n" if st.blank_lines else "\n").join(out) + "\n"
    if st.traditional:
        text = _s2t(text)
    if st.crlf:
        text = text.replace("\n", "\r\n")
    return Plan(text, seed, index, st.city, st.province, n_actions, st)


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc  # a project dependency; only needed for the few traditional-script plans

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _converter().convert(text)


# --------------------------------------------------------------------------- the API


def iter_plans(seed: int = 0, start: int = 0) -> Iterator[Plan]:
    """Plans ``start``, ``start + 1``, ... of series ``seed``, without end."""
    for i in count(start):
        yield generate_plan(seed, i)


def generate_plans(n_docs: int, seed: int = 0) -> list[str]:
    """``n_docs`` synthetic plan documents (texts), deterministic per ``seed``."""
    return [p.text for p in islice(iter_plans(seed), n_docs)]


def plans_of_size(n_bytes: int, seed: int = 0) -> list[Plan]:
    """The first plans of series ``seed`` that together reach ``n_bytes`` of UTF-8."""
    out: list[Plan] = []
    total = 0
    for plan in iter_plans(seed):
        if total >= n_bytes:
            break
        out.append(plan)
        total += len(plan.text.encode("utf-8"))
    return out


def _main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="write the plans here as NNNN.txt")
    args = ap.parse_args()
    sizes = []
    for plan in islice(iter_plans(args.seed), args.docs):
        data = plan.text.encode("utf-8")
        sizes.append(len(data))
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{plan.index:04d}.txt").write_bytes(data)
        st = plan.style
        print(
            f"{plan.index:4d} {len(data):7d} B  {plan.city}市 ({plan.province}) "
            f"{plan.n_actions} actions, {st.layout}/{st.marker}, note={st.note_form}, "
            f"width={st.width}{' trad' if st.traditional else ''}{' crlf' if st.crlf else ''}"
        )
    if sizes:
        print(f"{len(sizes)} plans, {sum(sizes)} bytes, mean {sum(sizes) / len(sizes):.0f} B")


if __name__ == "__main__":
    _main()
