"""The government of a plan, as real plans give it: never guessed, unknown with a warning when unsettled.

Every text here is invented; the places are real names from the national divisions table. Each test
is one form of evidence (or one trap) and asserts the exact city, province and level.
"""

from __future__ import annotations

import pytest

from loaders import extract_text
from loaders.knowledge import division_stem


def government(doc) -> tuple[str | None, str | None, str | None]:
    return doc.city, doc.province, doc.level


def notes(prefix: str) -> str:
    return (f"一、重点任务\n1.建设数据平台。(牵头单位:{prefix}发展改革委;责任单位:{prefix}财政局、{prefix}科技局)\n"
            f"2.培育企业。(牵头单位:{prefix}工业和信息化局;责任单位:{prefix}商务局)\n")


# -- province plans ---------------------------------------------------------------------------

def test_addressees_naming_cities_make_a_province_plan_not_a_plan_of_those_cities():
    text = ("贵州省人民政府关于落实重点工作责任分工的意见发布日期:2024-03-01 各市(州)人民政府,"
            "仁怀市、威宁县人民政府,省政府各部门、各直属机构:\n现将意见印发给你们。\n" + notes("省"))
    doc = extract_text(text)
    assert government(doc) == (None, "贵州省", "province")
    assert doc.actions[0].agencies[0].canonical == "贵州省发改委"


def test_a_province_plan_without_a_title_is_placed_in_its_province_not_in_a_word_holding_a_city():
    # 确保定期 holds 保定, 咸阳 is a city the plan only speaks of: neither is where a 省… plan is from.
    text = ("为确保定期完成陕西省年度任务，支持咸阳建设先进制造业基地，全省制定本方案。\n" + notes("省"))
    doc = extract_text(text)
    assert government(doc) == (None, "陕西省", "province")


def test_a_province_plan_whose_province_is_not_named_is_left_unknown():
    doc = extract_text("为确保定期完成年度任务，制定本方案。\n" + notes("省"))
    assert government(doc) == (None, None, "province")
    assert doc.warning_messages[:2] == ["city not stated and not inferable from the text",
                                "level province read from the units the plan names; its place is not named"]


def test_city_units_alone_give_no_level_a_county_level_city_names_its_units_so_too():
    doc = extract_text("为完成年度任务，制定本方案。\n" + notes("市"))
    assert government(doc) == (None, None, None)


def test_one_unit_is_too_little_to_give_a_level():
    doc = extract_text("一、任务\n(一)建设平台。(牵头单位:县科技局)\n")
    assert government(doc) == (None, None, None)


def test_autonomous_region_units_make_a_province_plan():
    text = "广西壮族自治区人民政府办公厅关于印发数字经济行动方案的通知\n" + notes("自治区")
    assert government(extract_text(text)) == (None, "广西壮族自治区", "province")


# -- municipalities ---------------------------------------------------------------------------

def test_a_municipality_plan_is_its_city_and_agency_words_name_no_county():
    # 规划资源局 and 自然资源局 hold 资源 (资源县, 桂林): agency words are no evidence of a place.
    text = ("为推动上海市城市更新，全市制定本方案。\n一、重点任务\n"
            "1.编制更新规划。(牵头单位:市规划资源局;责任单位:市自然资源局、市住房城乡建设管理委)\n"
            "2.完善用地政策。(牵头单位:市规划资源局;责任单位:市发展改革委)\n")
    doc = extract_text(text)
    assert government(doc) == ("上海市", "上海市", "city")
    assert doc.actions[0].agencies[0].canonical.startswith("上海市")


def test_a_zone_of_a_municipality_is_a_district_plan_of_the_municipality():
    text = ("重庆市长寿经开区管委会办公室关于印发民生实事的通知\n各镇人民政府,管委会各部门:\n"
            "一、民生实事\n1.改造老旧小区。(责任单位:住房城乡建设局)\n")
    assert government(extract_text(text)) == ("重庆市", "重庆市", "district")


# -- districts and counties -------------------------------------------------------------------

def test_an_issuer_naming_city_and_district_gives_a_district_plan_in_that_city():
    text = ("各街道办事处,区政府各部门:\n现将方案印发给你们。\n武汉市洪山区人民政府办公室\n2024年3月1日\n"
            "重点工作责任分解方案\n" + notes("区"))
    doc = extract_text(text)
    assert government(doc) == ("武汉市", "湖北省", "district")
    assert doc.actions[0].agencies[0].canonical == "洪山区发改委"


def test_a_stated_city_wins_over_the_table_for_a_district_it_holds():
    # The table has 钢城区 in 莱芜市; a plan issued by 济南市钢城区 says where the district is now.
    text = "济南市钢城区人民政府办公室关于印发重点任务分工的通知\n" + notes("区")
    assert government(extract_text(text)) == ("济南市", "山东省", "district")


def test_an_issuing_body_in_the_page_lines_places_a_plan_without_a_place_in_its_title():
    text = ("关于印发2024年区政府重点工作分解意见的通知\n发布时间:2024-01-10 来源:西湖区人民政府\n"
            "各街道办事处,区直各部门:\n" + notes("区"))
    doc = extract_text(text)
    assert government(doc) == (None, None, "district")  # 西湖区 is in 杭州 and in 南昌: not said which
    named = extract_text(text.replace("发布时间", "为推动杭州市发展。发布时间"))
    assert government(named) == ("杭州市", "浙江省", "district")


def test_a_district_plan_stating_only_its_city_keeps_the_city_and_warns_the_district_is_unnamed():
    text = "宁波市人民政府关于下达重点工作的通知\n为推动全区发展，区直各部门:\n" + notes("区")
    doc = extract_text(text)
    assert government(doc) == ("宁波市", "浙江省", "district")
    assert "district plan of 宁波市: the district itself is not named" in doc.warning_messages


def test_a_county_plan_city_is_its_prefecture():
    text = "各乡镇人民政府、县直各有关单位:\n竹山县人民政府\n2024年3月5日\n竹山县安全生产工作方案\n" + notes("县")
    assert government(extract_text(text)) == ("十堰市", "湖北省", "county")


def test_a_county_level_city_naming_its_own_city_agencies_is_its_own_city_at_county_level():
    text = ("各镇人民政府、街道办事处,市政府各部门:\n海城市人民政府\n2023年3月17日\n"
            "海城市重点工作任务分解方案\n" + notes("市"))
    doc = extract_text(text)
    assert government(doc) == ("海城市", "辽宁省", "county")
    assert doc.actions[0].agencies[0].canonical == "海城市发改委"


def test_a_county_directly_under_its_province_is_its_own_city():
    text = "為推動琼中縣鄉村振興，全縣制定本方案。\n" + notes("縣")
    doc = extract_text(text)
    assert government(doc) == ("琼中黎族苗族自治县", "海南省", "county")
    assert division_stem("琼中黎族苗族自治县") == "琼中"


def test_a_district_named_as_the_owner_of_a_branch_or_zone_places_a_district_plan():
    text = ("2023年区政府重点工作分解方案\n一、重点任务\n"
            "1.推进园区建设。(牵头单位:区发改局;责任单位:市生态环境局咸安分局)\n2.建设厂房。(牵头单位:区科经局;责任单位:区财政局)\n")
    assert government(extract_text(text)) == ("咸宁市", "湖北省", "district")
    zone = text.replace("市生态环境局咸安分局", "崇川经济开发区")
    assert government(extract_text(zone)) == ("南通市", "江苏省", "district")


def test_a_district_and_its_city_named_together_in_short_forms_place_the_plan_with_a_warning():
    text = ("区本级重点工作责任分解\n一、重点任务\n1.迭代更新龙湾稳增长政策。(牵头单位:区发改局)\n"
            "2.落实温州扩大有效投资工程。(牵头单位:区财政局;责任单位:区科技局)\n")
    doc = extract_text(text)
    assert government(doc) == ("温州市", "浙江省", "district")
    assert "龙湾区 placed by short forms only: it and 温州市 are both named" in doc.warning_messages
    alone = extract_text(text.replace("落实温州", "落实"))
    assert government(alone) == (None, None, "district")  # its units are a district's; which one is not said


# -- conflicts --------------------------------------------------------------------------------

def test_a_title_naming_a_district_of_a_city_plan_is_left_unknown_with_a_warning():
    text = "关于支持洪山区建设科创中心的若干措施\n为推动全市发展，市政府各部门:\n" + notes("市")
    doc = extract_text(text)
    assert government(doc) == (None, None, None)  # 洪山区 is what the plan is about; its city is not named
    assert doc.warning_messages[0] == "city not stated and not inferable from the text"
    issued = extract_text("洪山区人民政府关于印发若干措施的通知\n为推动全市发展，市政府各部门:\n" + notes("市"))
    assert government(issued) == (None, None, None)
    assert issued.warning_messages[0].startswith(
        "place not settled: 洪山区人民政府关于印发若干措施的通知 names 洪山区 (district)")


def test_a_place_a_title_is_about_yields_to_the_place_the_text_names_more():
    text = ("关于对口支援恩施州乡村振兴的实施方案\n为推动荆门市对口协作，荆门市各部门结合我市实际，"
            "发挥荆门市产业优势，制定本方案。\n" + notes("市"))
    assert government(extract_text(text)) == ("荆门市", "湖北省", "city")
    even = extract_text(text.replace("推动荆门市对口协作", "推动荆门市与恩施州协作"))
    assert government(even) == (None, None, None)
    assert even.warning_messages[0].startswith(
        "place not settled: the text names 荆门市 and 恩施土家族苗族自治州 about as often")


def test_words_ending_in_a_division_name_issue_nothing():
    # 中心城区 ends in 城区 (a district name of several cities); 产业园区 is no district.
    text = "产业园区高质量发展方案\n中心城区人民政府要加强统筹。\n一、任务\n1.建设园区。(牵头单位:管委会)\n"
    doc = extract_text(text)
    assert government(doc) == (None, None, None)


def test_two_cities_named_alike_leave_a_city_plan_unknown_with_a_warning():
    text = ("为推动宜昌市与襄阳市协同发展，全市制定本方案。\n" + notes("市"))
    doc = extract_text(text)
    assert government(doc) == (None, None, None)
    assert doc.warning_messages[0].startswith("place not settled: the text names")


def test_city_units_in_a_district_plan_do_not_make_it_a_city_plan():
    text = ("各街道办事处,区政府各部门:\n黄石港区人民政府\n2023年1月17日\n重点工作分解意见\n"
            "一、任务\n1.治理污染。(牵头单位:区发改局;责任单位:市生态环境局黄石港分局、区科经局)\n")
    assert government(extract_text(text)) == ("黄石市", "湖北省", "district")


def test_a_document_the_preamble_cites_is_not_where_the_plan_is_from():
    text = ("根据《湖北省人民政府关于加快数字经济发展的意见》，构建具有鄂州特色的产业体系，结合我市实际，制定本方案。\n"
            + notes("市"))
    doc = extract_text(text)
    assert government(doc) == ("鄂州市", "湖北省", "city")
    unplaced = extract_text("根据《湖北省人民政府关于加快数字经济发展的意见》，制定本方案。\n一、任务\n1.建设平台。\n")
    assert government(unplaced) == (None, None, None)


def test_a_county_plan_without_a_place_has_its_level_from_units_wrapped_or_followed_by_their_role():
    text = ("(一)落实耕地保护。〔县自然资\n源局、县农业农村局、县林业局按职责分工负责,各乡(街道)落实〕\n"
            "(二)优化粮食结构。〔县农业农村局牵头,县林业局配合〕\n")
    doc = extract_text(text)
    assert government(doc) == (None, None, "county")


def test_a_prefecture_named_beside_its_county_level_city_is_not_taken_for_the_plan_s_city():
    text = ("为落实鞍山市部署，推动海城市高质量发展，全市结合实际制定本方案。\n为落实鞍山市要求。\n" + notes("市"))
    doc = extract_text(text)
    assert government(doc) == (None, None, None)
    assert doc.warning_messages[0] == ("place not settled: the text names 鞍山市 and its county-level city 海城市; "
                               "city, province and level left unknown")
    prefecture = extract_text(text.replace("全市结合实际", "各县(市)区人民政府结合实际"))
    assert government(prefecture) == ("鞍山市", "辽宁省", "city")


def test_a_short_form_with_another_level_is_not_that_place():
    # 合作区 (a cooperation zone) holds 合作, the short form of 合作市 (甘肃): a 区 is no 市.
    text = ("一、任务\n1.建设口岸。(牵头单位:市商务局;责任单位:磨憨—磨丁合作区管委会)\n"
            "2.建设园区。(牵头单位:市发展改革委;责任单位:合作区管委会)\n3.招商。(牵头单位:合作区管委会)\n")
    assert government(extract_text(text)) == (None, None, None)


def test_a_city_missing_from_the_divisions_table_is_the_city_but_its_level_is_not_known():
    # 监利 became a county-level city after the table was made: the table still lists 监利县.
    text = "监利市人民政府关于印发重点工作的通知\n为推动全市发展，市政府各部门:\n" + notes("市")
    doc = extract_text(text)
    assert government(doc) == ("监利市", None, None)
    assert doc.actions[0].agencies[0].canonical == "监利市发改委"


def test_a_word_ending_in_a_level_character_is_no_place_missing_from_the_table():
    doc = extract_text("智慧城市建设行动方案\n为推动全市发展，市政府各部门:\n" + notes("市"))
    assert government(doc) == (None, None, None)


def test_a_province_notice_to_its_cities_and_a_zone_is_a_province_plan():
    text = ("各设区市人民政府，杨凌示范区管委会，省人民政府各工作部门、各直属机构:\n现将方案印发给你们。\n"
            "陕西省人民政府\n2024年3月1日\n关于推进咸阳市西咸新区发展的实施方案\n" + notes("省"))
    assert government(extract_text(text)) == (None, "陕西省", "province")


def test_a_county_plan_is_placed_by_the_schools_it_names_after_itself():
    # 民生实事 of a county: no title, no place written in full, but its schools carry its short name.
    text = ("1.完成兴国三中迁建项目和兴国中学扩建,增加学位3000个。(责任单位:县教体局、各乡镇政府)\n"
            "2.完成县人民医院门诊楼建设。(责任单位:县卫健委)\n")
    doc = extract_text(text)
    assert government(doc) == ("赣州市", "江西省", "county")
    assert "no title line; city inferred from the text: 兴国县" in doc.warning_messages
    assert doc.actions[0].agencies[0].canonical == "兴国县教体局"


def test_a_school_named_after_a_place_of_another_level_does_not_place_the_plan():
    # A county plan that sends pupils to a city's school: 衡水 is a city, the plan a county's.
    text = ("1.与衡水中学开展合作办学。(责任单位:县教体局、各乡镇政府)\n"
            "2.完成县人民医院门诊楼建设。(责任单位:县卫健委)\n")
    doc = extract_text(text)
    assert government(doc) == (None, None, None)
    assert doc.warning_messages == ["city not stated and not inferable from the text"]


def test_a_province_plan_naming_no_place_is_placed_by_its_document_number():
    text = ("省人民政府关于优化营商环境的若干意见\n闽政发〔2024〕5号\n各市、县(区)人民政府,省政府各部门:\n"
            "根据《国务院办公厅关于优化营商环境的意见》(国办发〔2023〕9号),现将意见印发给你们。\n" + notes("省"))
    doc = extract_text(text)
    assert government(doc) == (None, "福建省", "province")
    assert "province read from the document number 闽政发〔2024〕5号: 福建省" in doc.warning_messages
    assert doc.actions[0].agencies[0].canonical == "福建省发改委"


@pytest.mark.parametrize(("number", "why"), [
    ("宁政发〔2024〕5号", "宁 is 宁夏's and 南京's"),
    ("闽政发〔2024〕5号 湘政发〔2023〕2号", "two provinces' numbers"),
    ("闽政发〔2024〕5号 莆政办〔2023〕2号", "a number of a government not in the table beside it"),
])
def test_a_document_number_that_could_be_another_government_s_places_no_province(number, why):
    text = f"省人民政府关于优化营商环境的若干意见\n{number}\n各市人民政府:\n现将意见印发给你们。\n" + notes("省")
    assert government(extract_text(text)) == (None, None, "province"), why


def test_a_city_plan_is_not_placed_by_a_province_abbreviation_in_its_number():
    text = "市人民政府关于优化营商环境的若干意见\n鄂政发〔2024〕5号\n各县(市、区)人民政府:\n" + notes("市")
    assert government(extract_text(text))[:2] == (None, None)


def test_a_city_plan_without_a_title_is_not_placed_by_another_city_s_famous_school():
    text = "为推动全市教育发展,学习借鉴衡水中学经验,制定本方案。\n" + notes("市")
    assert government(extract_text(text))[:2] == (None, None)
