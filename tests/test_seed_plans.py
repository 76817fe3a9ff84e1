"""The two bundled plans, extracted exactly: every action, its lead and responsible units."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from loaders import PlanDocument, extract_path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
EZHOU = CORPUS / "ezhou-ai-action-plan.txt"
XIANTAO = CORPUS / "xiantao-ai-action-plan-2025-2027.txt"

# number -> (lead units as written, responsible units as written); derived members left out.
EZHOU_NOTES = {
    "1.": (["市发改委"], ["市科技局", "市经信局", "各区人民政府"]),
    "2.": (["市科技局"], ["各区人民政府"]),
    "3.": (["市经信局"], ["市发改委", "市科技局", "市数据局", "各区人民政府"]),
    "4.": (["市科技局"], ["市经信局", "市发改委", "各区人民政府"]),
    "5.": (["市科技局"], ["各区人民政府"]),
    "6.": (["市科技局"], ["各区人民政府"]),
    "7.": (["市科技局"], ["市经信局", "市数据局", "各区人民政府"]),
    "8.": (["临空经济区管委会"], ["市发改委", "市交通运输局"]),
    "9.": (["市商务局"], ["临空经济区管委会"]),
    "10.": (["市经信局"], ["市通信发展管理办公室", "各区人民政府"]),
    "11.": (["市数据局"], ["市经信局", "市发改委", "各区人民政府"]),
    "12.": (["市数据局"], ["各区人民政府"]),
    "13.": (["市委网信办"], ["市经信局", "市数据局", "各区人民政府"]),
    "14.": (["市数据局"], ["市城管委", "市公安局", "市应急管理局", "市生态环境局", "市水利局", "各区人民政府"]),
    "15.": (["市教育局"], ["市卫健委", "市交通运输局", "市人社局", "市民政局", "各区人民政府"]),
    "16.": (["市农业农村局"], ["市经信局", "市发改委", "市文旅局", "市商务局", "市自然资源和城乡建设局",
                          "市住房和城市更新局", "各区人民政府"]),
    "17.": (["市招商和投资促进中心"], ["市经信局", "市科技局", "各区人民政府"]),
    "18.": (["市经信局"], ["市数据局", "各区人民政府"]),
    "19.": (["市发改委"], ["市经信局", "市数据局", "各区人民政府"]),
    "20.": (["市人社局"], ["市教育局", "市科技局", "各区人民政府"]),
    "21.": (["市人社局"], ["市教育局", "市科技局", "各区人民政府"]),
    "22.": (["市委组织部"], ["市人社局", "市经信局", "各区人民政府"]),
}
XIANTAO_NOTES = {
    "（一）": (["市发改委"], ["市科技局", "市经信局"]),
    "（二）": (["市科技局"], ["市发改委", "市经信局", "市财政局", "市税务局", "市招商服务中心", "市高新投公司"]),
    "（三）": (["市经信局"], ["市科技局", "市政务服务和大数据管理局"]),
    "（四）": (["市经信局"], ["市政务服务和大数据管理局", "市通信发展管理办公室", "干河街道", "移动江汉分公司"]),
    "（五）": (["市经信局"], ["市政务服务和大数据管理局", "市公安局", "市通信发展管理办公室"]),
    "（六）": (["市经信局"], ["各镇街道场区"]),
    "（七）": (["市科技局"], ["仙桃高新区", "市城发投集团", "市高新投公司", "干河街道"]),
    "（八）": (["市农业农村局"], ["各镇街道场区"]),
    "（九）": (["市交通运输局"], ["市住房和城市更新局", "市经信局", "市公安局"]),
    "（十）": (["市卫健委"], ["市民政局", "市经信局"]),
    "（十一）": (["市教育局"], []),
    "（十二）": (["市文化和旅游局"], []),
    "（十三）": (["市城管执法局"], ["市应急管理局", "市政务服务和大数据管理局", "市公安局", "市住房和城市更新局",
                          "市生态环境局"]),
    "（十四）": (["仙桃高新区"], ["市发改委", "市科技局", "市城发投集团", "市高新投公司", "沙嘴街道", "长埫口镇"]),
    "（十五）": (["市招商服务中心"], ["市科技局", "市经信局", "仙桃高新区", "各镇街道场区"]),
    "（十六）": (["市经信局"], ["市科技局", "各镇街道场区"]),
    "（十七）": (["市经信局"], ["各镇街道场区"]),
    "（十八）": (["市科技局"], ["市经信局", "各镇街道场区"]),
    "（十九）": (["市科技局"], ["市经信局", "各镇街道场区"]),
    "（二十）": (["市科技局"], ["市经信局", "各镇街道场区"]),
    "（二十一）": (["市委组织部"], ["市人社局", "市科技局", "市经信局", "各镇街道场区"]),
    "（二十二）": (["仙桃职业学院"], []),
    "（二十三）": (["市政府办", "市科技局"], ["各有关地方和部门"]),
    "（二十四）": (["市财政局"], ["市发改委", "市科技局", "市经信局", "市高新投公司", "仙桃金融监管支局"]),
    "（二十五）": (["市科技局"], ["市经信局", "市科协", "各镇街道场区"]),
}
# Explicit leads in 仙桃 are the 牵头单位 notes; the rest name only 责任单位 (first-listed).
XIANTAO_FIRST_LISTED = {"（十一）", "（十二）", "（二十二）"}


@pytest.fixture(scope="module")
def ezhou() -> PlanDocument:
    return extract_path(EZHOU)


@pytest.fixture(scope="module")
def xiantao() -> PlanDocument:
    return extract_path(XIANTAO)


def written_roles(doc: PlanDocument) -> dict[str, tuple[list[str], list[str]]]:
    return {
        action.number: (
            [a.name for a in action.agencies if a.role == "lead" and not a.derived_from],
            [a.name for a in action.agencies if a.role == "responsible" and not a.derived_from],
        )
        for action in doc.actions
    }


def test_ezhou_has_22_actions_in_7_groups_of_part_two(ezhou):
    assert [a.number for a in ezhou.actions] == [f"{n}." for n in range(1, 23)]
    groups = list(dict.fromkeys(a.section[-1] for a in ezhou.actions))
    assert groups == [
        "（一）人工智能全域发展行动", "（二）人工智能创新引领行动", "（3） 智慧空港AI示范行动",
        "（四）算力与数字底座强基行动", "（五）人工智能赋能千行百业行动", "（六）人工智能产业倍增行动",
        "（七）人工智能产教融合与人才引育行动",
    ]
    assert {a.section[0] for a in ezhou.actions} == {"二、重点行动"}
    assert Counter(a.section[-1] for a in ezhou.actions)["（3） 智慧空港AI示范行动"] == 2


def test_ezhou_irregular_group_number_is_read_as_a_group_and_warned(ezhou):
    assert "irregular numbering: （3） read as （三）" in ezhou.warning_messages


def test_ezhou_every_note_lists_units_exactly_with_first_listed_lead(ezhou):
    assert written_roles(ezhou) == EZHOU_NOTES
    leads = [a for action in ezhou.actions for a in action.agencies if a.role == "lead"]
    assert {a.lead_basis for a in leads} == {"first-listed"}
    assert all(a.rank == 1 for a in leads)


def test_ezhou_has_no_title_line_so_its_city_is_inferred(ezhou):
    assert (ezhou.title, ezhou.city, ezhou.province, ezhou.level) == (None, "鄂州市", "湖北省", "city")
    assert "no title line; city inferred from the text: 鄂州市" in ezhou.warning_messages


def test_ezhou_district_governments_expand_to_laid_out_districts_and_included_zones(ezhou):
    members = ["鄂城区人民政府", "华容区人民政府", "梁子湖区人民政府", "葛店经开区管委会", "临空经济区管委会"]
    for action in ezhou.actions:
        collective = [a for a in action.agencies if a.name == "各区人民政府"]
        if not collective:
            continue
        derived = [a for a in action.agencies if a.derived_from]
        assert [a.name for a in derived] == members, action.number
        assert {a.derived_from for a in derived} == {"鄂州市各区人民政府"}
        assert all(a.rank == collective[0].rank and a.role == "responsible" for a in derived)
        assert collective[0].collective
    assert sum(1 for action in ezhou.actions if any(a.derived_from for a in action.agencies)) == 20


def test_xiantao_has_25_actions_in_5_parts_numbered_straight_through(xiantao):
    from loaders.numbering import chinese_numeral

    assert [a.number for a in xiantao.actions] == [f"（{chinese_numeral(n)}）" for n in range(1, 26)]
    assert list(dict.fromkeys(a.section[0] for a in xiantao.actions)) == [
        "一、实施基础夯实行动", "二、实施应用拓展行动", "三、实施产业培育行动", "四、实施创新赋能行动",
        "五、强化保障措施",
    ]
    assert [a.number for a in xiantao.actions if a.kind == "safeguard"] == ["（二十三）", "（二十四）", "（二十五）"]


def test_xiantao_every_note_lists_units_exactly_with_lead_basis(xiantao):
    assert written_roles(xiantao) == XIANTAO_NOTES
    for action in xiantao.actions:
        bases = {a.lead_basis for a in action.agencies if a.role == "lead"}
        expected = "first-listed" if action.number in XIANTAO_FIRST_LISTED else "explicit"
        assert bases == {expected}, action.number


def test_xiantao_notice_gives_title_issuer_date_and_addressees(xiantao):
    assert xiantao.title == "仙桃市人工智能产业发展三年行动方案(2025—2027年)"
    assert (xiantao.city, xiantao.issuer, xiantao.published, xiantao.level) == (
        "仙桃市", "仙桃市人民政府", "2025-08-09", "city")
    assert xiantao.addressees == ["各镇人民政府", "各街道办事处", "沙湖原种场", "九合垸原种场",
                                  "高新技术产业开发区", "排湖旅游度假区", "市政府各部门"]


def test_xiantao_towns_streets_farms_and_zones_expand_to_the_notice_addressees(xiantao):
    action = next(a for a in xiantao.actions if a.number == "（六）")
    derived = [(a.name, a.collective) for a in action.agencies if a.derived_from == "仙桃市各镇街道场区"]
    assert derived == [("各镇人民政府", True), ("各街道办事处", True), ("沙湖原种场", False),
                       ("九合垸原种场", False), ("高新技术产业开发区", False), ("排湖旅游度假区", False)]


def test_agencies_are_scoped_by_their_government_and_share_a_kind(ezhou, xiantao):
    def science_bureaus(doc):
        return {(a.canonical, a.kind, a.kind_en) for action in doc.actions for a in action.agencies
                if a.name == "市科技局"}

    assert science_bureaus(ezhou) == {("鄂州市科技局", "科技局", "Science and Technology Bureau")}
    assert science_bureaus(xiantao) == {("仙桃市科技局", "科技局", "Science and Technology Bureau")}


def test_science_bureau_leads_5_first_listed_in_ezhou_and_7_explicit_in_xiantao(ezhou, xiantao):
    def leads(doc, canonical):
        return [(action.number, a.lead_basis) for action in doc.actions for a in action.agencies
                if a.canonical == canonical and a.role == "lead"]

    assert leads(ezhou, "鄂州市科技局") == [(n, "first-listed") for n in ("2.", "4.", "5.", "6.", "7.")]
    assert leads(xiantao, "仙桃市科技局") == [(n, "explicit") for n in (
        "（二）", "（七）", "（十八）", "（十九）", "（二十）", "（二十三）", "（二十五）")]


def test_abbreviation_and_full_name_of_one_agency_share_a_canonical_name(xiantao):
    culture = {a.canonical for action in xiantao.actions for a in action.agencies if a.name == "市文化和旅游局"}
    assert culture == {"仙桃市文旅局"}


def test_non_agency_units_keep_their_type(xiantao):
    types = {a.name: a.type for action in xiantao.actions for a in action.agencies if not a.derived_from}
    assert {name: types[name] for name in (
        "仙桃高新区", "市高新投公司", "市城发投集团", "移动江汉分公司", "干河街道", "长埫口镇", "仙桃职业学院",
        "仙桃金融监管支局", "市科协", "市委组织部", "市科技局", "各镇街道场区")} == {
        "仙桃高新区": "zone", "市高新投公司": "company", "市城发投集团": "company", "移动江汉分公司": "company",
        "干河街道": "town", "长埫口镇": "town", "仙桃职业学院": "college", "仙桃金融监管支局": "regulator_office",
        "市科协": "association", "市委组织部": "party", "市科技局": "agency", "各镇街道场区": "collective",
    }


def test_every_span_quotes_the_original_text(ezhou, xiantao):
    for doc in (ezhou, xiantao):
        for action in doc.actions:
            quote = doc.text[action.span[0] : action.span[1]]
            assert quote.startswith(action.number.rstrip(".")[:1]) or quote[0] in "(（"
            assert action.note in quote and action.text[:10] in quote
            for agency in action.agencies:
                if agency.span:
                    assert doc.text[agency.span[0] : agency.span[1]] == agency.name
            for entity in action.entities:
                assert doc.text[entity.span[0] : entity.span[1]] == entity.name
            for target in action.targets:
                assert doc.text[target.span[0] : target.span[1]] == target.text


def test_action_text_leaves_the_note_out_and_titles_are_the_first_sentence(ezhou):
    first = ezhou.actions[0]
    assert first.title == "优化空间发展布局"
    assert first.text.startswith("优化空间发展布局。精准落地")
    assert first.text.endswith("打造AI赋能文化生态与乡村振兴示范区。")
    assert first.note == (
        "（责任单位：市发改委、市科技局、市经信局，各区人民政府<含葛店经开区、临空经济区管委会，下同>）")


def test_ezhou_entities_are_its_districts_parks_and_platforms(ezhou):
    by_type: dict[str, set[str]] = {}
    for entity in ezhou.entities:
        by_type.setdefault(entity.type, set()).add(entity.name)
    assert by_type["District"] == {"鄂城区", "葛店经开区", "临空经济区", "华容区", "梁子湖区"}
    assert {"莲花山人工智能产业基地", "葛店泛半导体产业园", "红莲湖半导体产业园", "光谷东数字经济产业园",
            "鄂城滨江数智经济产业园", "临空光电子产业园", "中国（鄂州）跨境电商综合试验区"} <= by_type["Park"]
    assert {"莲花山人工智能研究院", "华中科技大学鄂州工研院", "莲花山人工智能产教融合创新中心"} <= by_type["Platform"]
    assert {"华中科技大学", "鄂州职业大学"} <= by_type["Organization"]
    located = {e.name: e.located_in for e in ezhou.entities if e.located_in}
    assert located["莲花山人工智能产业基地"] == "鄂城区"
    assert located["葛店泛半导体产业园"] == "葛店经开区"


def test_xiantao_entities_include_people_with_posts_and_listed_companies(xiantao):
    people = {(e.name, e.post) for e in xiantao.entities if e.type == "Person"}
    assert people == {("熊享涛", "市长"), ("唐江平", "市委常委、副市长")}
    organizations = {e.name for e in xiantao.entities if e.type == "Organization"}
    assert {"能飞航空", "中科云图", "飞渡科技", "玄天飞车", "中国移动", "仙桃职业学院"} <= organizations
    platforms = {e.name for e in xiantao.entities if e.type == "Platform"}
    assert {"中国移动仙桃小寺垸智算中心", "电信天翼云计算中心", "低空飞行技术联合研究中心",
            "仙桃(武汉)离岸科创中心"} <= platforms
    assert {"人工智能产业园", "科创产业园", "光电产业园"} <= {e.name for e in xiantao.entities if e.type == "Park"}


def _target(doc, text_fragment):
    found = [t for t in doc.targets if text_fragment in t.text]
    assert len(found) >= 1, text_fragment
    t = found[0]
    return (t.value, t.value_max, t.unit, t.qualifier, t.year, t.deadline, t.metric)


def test_ezhou_targets_carry_value_unit_year_and_metric(ezhou):
    assert _target(ezhou, "突破80亿元") == (80, None, "亿元", "exceed", 2027, None, "人工智能产业规模")
    assert _target(ezhou, "3至5项") == (3, 5, "项", None, None, None, "重大技术突破")
    assert _target(ezhou, "10家以上") == (10, None, "家", "at_least", None, None, "人工智能专精特新企业")
    assert len(ezhou.targets) == 6


def test_xiantao_targets_cover_quantities_ranges_percentages_and_deadlines(xiantao):
    assert _target(xiantao, "机架632个") == (632, None, "个", None, None, None, "机架")
    assert _target(xiantao, "3.6万亩") == (3.6, None, "万亩", None, 2027, None, "水稻智脑推广应用面积")
    assert _target(xiantao, "90%") == (90, None, "%", None, None, None, "医疗机构数据实现互联互通")
    assert _target(xiantao, "1.5TB") == (1.5, None, "TB", None, None, None, "仙桃非遗资源")
    assert _target(xiantao, "突破100亿元")[:5] == (100, None, "亿元", "exceed", 2027)
    assert _target(xiantao, "2026年底前") == (None, None, None, None, 2026, "2026年底",
                                             "建成交通信号“智慧信控”系统")
    action = next(a for a in xiantao.actions if a.number == "（十一）")
    assert [(t.metric, t.value, t.unit) for t in action.targets] == [
        ("智慧教室", 26, "间"), ("AI听说教室", 49, "间"), ("智能阅卷系统", 45, "套"), ("智慧操场", 1, "个"),
        ("AI创客实验室", 1, "间"), ("人工智能创新实验室", 8, "间")]


def test_extracting_twice_gives_the_same_ids(ezhou):
    again = extract_path(EZHOU)
    assert again.id == ezhou.id
    assert [a.id for a in again.actions] == [a.id for a in ezhou.actions]
