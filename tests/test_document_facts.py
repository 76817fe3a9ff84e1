"""Title, issuer, date and place of a plan: stated, or inferred from the text."""

from __future__ import annotations

from loaders import extract_text

ITEMS = "\n一、重点任务\n(一)建设数据中心。(责任单位:市数据局)\n(二)培育企业。(责任单位:市经信局)\n"


def test_title_that_opens_with_guanyu_still_names_its_city():
    doc = extract_text("关于加快湘潭市人工智能产业发展的实施意见\n" + ITEMS)
    assert (doc.title, doc.city, doc.province, doc.level) == (
        "关于加快湘潭市人工智能产业发展的实施意见", "湘潭市", "湖南省", "city")


def test_traditional_title_gives_the_simplified_city_and_scopes_agencies():
    doc = extract_text("洛陽市推進人工智能行動實施方案\n" + ITEMS)
    assert doc.title == "洛陽市推進人工智能行動實施方案"
    assert doc.city == "洛阳市"
    assert doc.actions[0].agencies[0].canonical == "洛阳市数据局"


def test_without_title_the_city_is_the_one_the_text_names_most_and_warned():
    text = "为加快培育具有大同特色的人工智能产业，主动融入武汉都市圈，制定本方案。" + ITEMS
    doc = extract_text(text)
    assert (doc.title, doc.city, doc.province) == (None, "大同市", "山西省")
    assert "no title line; city inferred from the text: 大同市" in doc.warning_messages


def test_a_plan_speaking_of_its_district_is_a_district_plan():
    text = ("洪山区人工智能行动方案\n为推动全区人工智能发展，制定本方案。\n"
            "一、重点任务\n(一)建设平台。(责任单位:区科技局)\n")
    doc = extract_text(text)
    assert (doc.city, doc.level, doc.province) == ("武汉市", "district", "湖北省")
    assert doc.actions[0].agencies[0].canonical == "洪山区科技局"


def test_issuing_notice_gives_issuer_date_and_addressees_with_shared_suffix():
    text = ("各乡镇人民政府，县直各部门，东湖、西湖林场：\n"
            "现将《某县方案》印发给你们。\n    竹山县人民政府\n    二〇二四年三月五日\n"
            "竹山县数字乡村建设方案\n" + ITEMS.replace("市", "县"))
    doc = extract_text(text)
    assert (doc.issuer, doc.published, doc.city, doc.level) == ("竹山县人民政府", "2024-03-05", "十堰市", "county")
    assert doc.addressees == ["各乡镇人民政府", "县直各部门", "东湖林场", "西湖林场"]
    assert doc.title == "竹山县数字乡村建设方案"


def test_no_place_at_all_is_warned_not_guessed():
    doc = extract_text("人工智能行动方案\n" + ITEMS)
    assert doc.city is None
    assert "city not stated and not inferable from the text" in doc.warning_messages


def test_a_place_name_inside_an_ordinary_word_places_nothing():
    # 建平台 holds 建平(县), 合作市场 holds 合作市, 东区园区 holds 东区 (攀枝花): none is where the plan is from.
    for sentence in ("搭建平台，建平台", "推动合作市场开放", "加快建设东区园区"):
        doc = extract_text(f"一、任务\n(一){sentence}。(牵头单位:市科技局)\n")
        assert (doc.city, doc.province, doc.level) == (None, None, None), sentence
        assert doc.warning_messages[0] == "city not stated and not inferable from the text"


def test_a_district_several_cities_share_is_placed_only_when_the_text_names_its_city():
    alone = extract_text("一、任务\n(一)推进南山区建设。(牵头单位:区科技局)\n")
    assert alone.city is None  # 南山区 is in 深圳 and in 鹤岗
    with_city = extract_text("为推动深圳市人工智能发展，全区制定本方案。\n"
                             "一、任务\n(一)推进南山区建设。(牵头单位:区科技局)\n")
    assert (with_city.city, with_city.province, with_city.level) == ("深圳市", "广东省", "district")


def test_a_title_naming_a_shared_district_name_keeps_the_district_without_guessing_a_city():
    doc = extract_text("南山区人工智能行动方案\n一、任务\n(一)建设平台。(牵头单位:区科技局)\n")
    assert (doc.city, doc.province, doc.level) == (None, None, "district")
    assert doc.actions[0].agencies[0].canonical == "南山区科技局"
    named = extract_text("南山区人工智能行动方案\n为推动深圳人工智能发展，制定本方案。\n"
                         "一、任务\n(一)建设平台。(牵头单位:区科技局)\n")
    assert (named.city, named.province, named.level) == ("深圳市", "广东省", "district")
