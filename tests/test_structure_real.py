"""The outline of real plans: numbering forms, continuation pages, flattened and unnumbered documents.

Every text here is invented; each test is one form and asserts the exact actions read from it.
"""

from __future__ import annotations

import pytest

from loaders import extract_text
from loaders.numbering import parse_marker


def actions(doc) -> list[tuple[str, str, list[str]]]:
    return [(a.number, a.title, [unit.name for unit in a.agencies if unit.derived_from is None])
            for a in doc.actions]


@pytest.mark.parametrize("dot", ["、", "﹒", ".", "。", "．"])
def test_items_numbered_with_any_dot_are_items_and_their_notes_stay_on_them(dot):
    text = (f"一、交通出行\n1{dot}推进轨道交通建设。(牵头单位:市住建局)\n"
            f"2{dot}建成城市轴线。(牵头单位:市住建局、市交通运输局)\n二、市容环境\n3{dot}整治背街小巷。(牵头单位:市城管委)\n")
    doc = extract_text(text)
    assert actions(doc) == [("1.", "推进轨道交通建设", ["市住建局"]),
                            ("2.", "建成城市轴线", ["市住建局", "市交通运输局"]),
                            ("3.", "整治背街小巷", ["市城管委"])]
    assert [s.number for s in doc.sections] == ["一、", "二、"]


def test_traditional_text_numbered_with_a_full_stop():
    text = "一、交通出行\n1。推動軌道交通加速成網。(牽頭單位:市住建局)\n2。打通斷頭路20條。(牽頭單位:市住建局)\n"
    assert actions(extract_text(text)) == [("1.", "推動軌道交通加速成網", ["市住建局"]),
                                           ("2.", "打通斷頭路20條", ["市住建局"])]


def test_a_year_or_a_decimal_with_a_full_stop_is_no_item():
    assert parse_marker("2025。") is not None  # a number then 。 opens an item …
    doc = extract_text("一、任务\n1。建设平台，增长1.5倍。(牵头单位:市科技局)\n2025年完成。\n")
    assert actions(doc) == [("1.", "建设平台，增长1.5倍", ["市科技局"])]  # … but 2025年 is text


def test_markers_with_spaces_from_pdf_line_wrapping():
    text = "( 一 ) 推进轨道交通。(牵头单位:市住建局)\n( 二 ) 建成轴线。(牵头单位:市交通运输局)\n"
    assert actions(extract_text(text)) == [("（一）", "推进轨道交通", ["市住建局"]),
                                           ("（二）", "建成轴线", ["市交通运输局"])]
    dotted = "一 、任务\n1 . 开通公交。(牵头单位:市交通局)\n2 . 新建站点。(牵头单位:市交通局)\n"
    assert actions(extract_text(dotted)) == [("1.", "开通公交", ["市交通局"]), ("2.", "新建站点", ["市交通局"])]


@pytest.mark.parametrize("first", [80, 123])
def test_a_continuation_page_numbered_from_where_the_last_page_stopped(first):
    text = (f"{first}.优化背街后巷交通组织。(牵头单位:区城管局)\n{first + 1}.新增达标小区210个。"
            f"(牵头单位:区城管局;责任单位:各街道)\n")
    assert actions(extract_text(text)) == [(f"{first}.", "优化背街后巷交通组织", ["区城管局"]),
                                           (f"{first + 1}.", "新增达标小区210个", ["区城管局", "各街道"])]


def test_plain_row_numbers_followed_by_a_space():
    text = "24 优化背街后巷交通组织。(牵头单位:城管局)\n25 新增达标小区210个。(牵头单位:城管局)\n"
    assert actions(extract_text(text)) == [("24.", "优化背街后巷交通组织", ["城管局"]),
                                           ("25.", "新增达标小区210个", ["城管局"])]


def test_a_whole_document_on_one_line_gives_its_parts_groups_and_items():
    text = ("一、交通 (一)轨道。1.推进轨道交通。(牵头单位:市住建局)2.建成轴线。(牵头单位:市交通运输局)"
            "(二)公交。3.开通公交线路。(牵头单位:市交通局)二、环境 4.治理扬尘。(责任单位:市生态环境局)")
    doc = extract_text(text)
    assert actions(doc) == [("1.", "推进轨道交通", ["市住建局"]), ("2.", "建成轴线", ["市交通运输局"]),
                            ("3.", "开通公交线路", ["市交通局"]), ("4.", "治理扬尘", ["市生态环境局"])]
    assert [s.number for s in doc.sections] == ["一、", "（一）", "（二）", "二、"]


def test_a_notice_flattened_onto_one_paragraph_starts_its_items_after_the_preamble():
    text = ("关于印发重点工作的通知 各镇人民政府,区政府各部门:现将重点工作印发给你们。"
            "一、重点工作 1.推进园区建设。(牵头单位:区发改局)2.建设厂房。(牵头单位:区科经局;责任单位:区财政局)")
    doc = extract_text(text)
    assert actions(doc) == [("1.", "推进园区建设", ["区发改局"]), ("2.", "建设厂房", ["区科经局", "区财政局"])]


def test_numbers_inside_a_sentence_do_not_split_an_item():
    text = "一、任务\n1.建设 2 个平台，第 1 批项目投产。(牵头单位:市科技局)\n2.新增算力1.5TB。(牵头单位:市数据局)\n"
    assert actions(extract_text(text)) == [("1.", "建设 2 个平台，第 1 批项目投产", ["市科技局"]),
                                           ("2.", "新增算力1.5TB", ["市数据局"])]


def test_items_with_no_heading_take_their_first_clause_as_title():
    text = "一、任务\n1.加快建设城市数据中心，力争年底前投用。(牵头单位:市数据局)\n"
    assert actions(extract_text(text)) == [("1.", "加快建设城市数据中心，力争年底前投用", ["市数据局"])]


def test_a_news_preamble_before_the_document_is_not_an_item():
    text = ("2月20日,市人民政府办公室印发通知,要求各牵头单位做好统筹,其中1项已完成。\n(资料图)\n"
            "一、 扩大优质教育资源。新增公办幼儿园学位。\n牵头单位:市教育局\n责任单位:各县(市)区人民政府\n"
            "二、 提升基层医疗服务。\n牵头单位:市卫生健康委\n")
    assert actions(extract_text(text)) == [("一、", "扩大优质教育资源", ["市教育局", "各县(市)区人民政府"]),
                                           ("二、", "提升基层医疗服务", ["市卫生健康委"])]


def test_notes_without_numbering_give_one_action_per_note_bearing_paragraph():
    text = ("推进轨道交通加速成网。(牵头单位:市住建局)\n\n建成城市轴线。\n牵头单位:市交通运输局\n责任单位:市财政局\n"
            "做好宣传。\n完善公交网络。(责任单位:市交通局、市公安局)\n")
    doc = extract_text(text)
    assert actions(doc) == [("", "推进轨道交通加速成网", ["市住建局"]),
                            ("", "建成城市轴线", ["市交通运输局", "市财政局"]),
                            ("", "完善公交网络", ["市交通局", "市公安局"])]
    assert [w.values for w in doc.warnings if w.code == "no_numbered_items"] == [{"count": "3"}]


def test_a_number_opening_a_line_wrapped_mid_sentence_is_text_not_an_item():
    text = ("一、教育\n1.扩大优质教育资源供给，新建改扩建中小学和幼儿园，年内建成\n"
            "5 所学校。(牵头单位:市教育局)\n2.新增学位2000个。(牵头单位:市教育局)\n")
    doc = extract_text(text)
    assert actions(doc) == [("1.", "扩大优质教育资源供给，新建改扩建中小学和幼儿园，年内建成", ["市教育局"]),
                            ("2.", "新增学位2000个", ["市教育局"])]
    assert any(w.startswith("5 at the start of a line read as text") for w in doc.warning_messages)
    heading = extract_text(text.replace("年内建成\n5 所学校。", "年内建成。\n5 所学校。"))
    assert [a.number for a in heading.actions] == ["1.", "5.", "2."]  # after a full stop it is an item


def test_a_note_without_brackets_running_straight_into_the_next_number_ends_its_item():
    text = ("一、叶某区长牵头重点工作 1.一般公共预算收入增长6%。责任单位:区财政局二、张某牵头重点工作 "
            "1.提高示范区能级。责任单位:区发改局、区商务局2.完成能源指标。责任单位:区发改局")
    doc = extract_text(text)
    assert actions(doc) == [("1.", "一般公共预算收入增长6%", ["区财政局"]),
                            ("1.", "提高示范区能级", ["区发改局", "区商务局"]),
                            ("2.", "完成能源指标", ["区发改局"])]
