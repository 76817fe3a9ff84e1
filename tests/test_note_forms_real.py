"""Note forms found in real published plans, one invented fixture each (tests/fixtures/notes_real/).

The forms come from real plans (政府工作报告任务分解, 民生实事, 责任分工意见 of provinces, cities,
districts and counties); the agencies and places in the fixtures are invented or generic (青萍市,
澄湖区, 江屿省, 市/区/县). Every test states the exact units of every action as
(name, role, lead_basis, rank); ``name`` is the unit as written, compared after t2s with whitespace
(line-wrap spaces of PDFs) removed.
"""

from __future__ import annotations

import re

import pytest

from loaders import extract_text
from loaders.normalize import normalize_for_matching
from loaders.vocabulary import vocabulary


@pytest.fixture
def real(load):
    return lambda name: load(f"notes_real/{name}")


def units(action):
    return [(re.sub(r"\s+", "", normalize_for_matching(g.name)), g.role, g.lead_basis, g.rank)
            for g in action.agencies if g.derived_from is None]


def numbers(doc):
    return [a.number for a in doc.actions]


def note_warnings(doc):
    return [w for w in doc.warning_messages if ("note" in w or "bracket" in w) and "action(s)" not in w]


def test_leader_field_opening_a_note_names_a_person_never_a_unit(real):
    doc = real("leader_field_opens_note.txt")
    assert numbers(doc) == ["（一）", "（二）", "（三）", "（四）"]
    a1, a2, a3, a4 = doc.actions
    assert units(a1) == [("市发改委", "lead", "explicit", 1), ("市统计局", "support", None, 2)]
    assert units(a2) == [
        ("市发改委", "lead", "explicit", 1),
        ("市经信局", "responsible", None, 2),
        ("市住建局", "responsible", None, 3),
        ("市统计局", "support", None, 4),  # 数据提供单位, after a ";" instead of a ","
    ]
    assert units(a3) == [("市财政局", "lead", "explicit", 1), ("市税务局", "lead", "explicit", 2)]
    assert units(a4) == [("市人社局", "lead", "explicit", 1), ("各区人民政府", "responsible", None, 2)]
    people = {"赵明远", "钱立", "市政府分管领导同志"}
    assert not people & {re.sub(r"\s+", "", g.name) for a in doc.actions for g in a.agencies}
    assert not note_warnings(doc)


def test_labelled_blocks_on_their_own_lines(real):
    doc = real("labelled_blocks_on_own_lines.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4.", "5."]
    a1, a2, a3, a4, a5 = doc.actions
    # 牵头负责领导 (a person) / 牵头责任单位 / 协同责任单位 / 完成时限 (not units)
    assert units(a1) == [
        ("市发改委", "lead", "explicit", 1),
        ("市政府各部门", "support", None, 2),
        ("各直属机构", "support", None, 3),
    ]
    assert units(a2) == [
        ("市经信局", "lead", "explicit", 1),
        ("市发改委", "support", None, 2),
        ("市税务局", "support", None, 3),
        ("青萍供电公司", "support", None, 4),
    ]
    # 分管市领导 (a person) / 部门分工: X牵头，各区、各部门配合。
    assert units(a3) == [
        ("市商务局", "lead", "explicit", 1),
        ("各区", "support", None, 2),
        ("各部门", "support", None, 3),
    ]
    # 主要协作单位 / 实施单位
    assert units(a4) == [
        ("市文旅局", "lead", "explicit", 1),
        ("市财政局", "support", None, 2),
        ("市自然资源和规划局", "support", None, 3),
        ("各区人民政府", "responsible", None, 4),
    ]
    # a label after a comma; the note ends with its sentence: 其中…为东岭区 names no unit
    assert units(a5) == [("市教育局", "lead", "explicit", 1)]
    assert "完成时限" not in "".join(g.name for g in a1.agencies)
    assert "其中" in a5.text


def test_unlabelled_brackets_of_units_are_notes_and_body_brackets_are_not(real):
    doc = real("unlabelled_brackets_of_units.txt")
    assert numbers(doc) == [f"{n}." for n in range(1, 12)]
    a = doc.actions
    assert units(a[0]) == [  # (A、B、C)
        ("区住建局", "lead", "first-listed", 1),
        ("区财政局", "responsible", None, 2),
        ("各街道办事处", "responsible", None, 3),
    ]
    assert units(a[1]) == [("区城管局", "lead", "first-listed", 1), ("区自然资源分局", "responsible", None, 2)]
    assert units(a[2]) == [  # 〔A、B按职责分工负责，各街道落实〕
        ("区民政局", "lead", "first-listed", 1),
        ("区卫健局", "responsible", None, 2),
        ("各街道", "responsible", None, 3),
    ]
    assert units(a[3]) == [  # 【X牵头，A、B配合】
        ("区教育局", "lead", "explicit", 1),
        ("区发改局", "support", None, 2),
        ("区财政局", "support", None, 3),
    ]
    assert units(a[4]) == [("区商务局", "lead", "first-listed", 1), ("区税务局", "responsible", None, 2)]
    assert units(a[5]) == [  # (X主办，Y、Z协办)
        ("区经信局", "lead", "explicit", 1),
        ("区发改局", "support", None, 2),
        ("区统计局", "support", None, 3),
    ]
    assert units(a[6]) == [  # 分别负责 is a role word: no 统计局分别
        ("区人社局", "lead", "first-listed", 1),
        ("区农业农村局", "responsible", None, 2),
        ("区统计局", "responsible", None, 3),
    ]
    assert units(a[7]) == [("区城管局", "lead", "first-listed", 1)]  # after the full stop
    assert units(a[8]) == units(a[9]) == units(a[10]) == []  # (2025—2030年), (含智能终端), (暂定名)
    assert "(2025—2030年)" in a[8].title + a[8].text
    assert "(含智能终端)" in a[9].title + a[9].text


def test_labelled_notes_in_square_and_tortoise_brackets_and_an_unclosed_one(real):
    doc = real("bracket_kinds_labelled.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4.", "5."]  # normalised from 1、
    a1, a2, a3, a4, a5 = doc.actions
    assert units(a1) == [
        ("区卫健局", "lead", "explicit", 1),
        ("区防汛指挥部成员单位", "responsible", None, 2),
        ("各街办(园区)", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("区政府办公室", "lead", "explicit", 1),
        ("区政府有关部门", "responsible", None, 2),
        ("各街道(社区)", "responsible", None, 3),
    ]
    assert units(a3) == [("区行政审批局", "lead", "explicit", 1), ("区数据局", "responsible", None, 2)]
    assert units(a4) == [  # the closing bracket is missing: the note runs to the end of its line
        ("区发改局", "lead", "first-listed", 1),
        ("区经信局", "responsible", None, 2),
        ("区生态环境分局", "responsible", None, 3),
    ]
    assert units(a5) == [  # a bracket inside a name stays in it
        ("区文旅(体育)局", "lead", "first-listed", 1),
        ("区口岸办", "responsible", None, 2),
        ("区城管·执法分局", "responsible", None, 3),
    ]


def test_collectives_with_inner_brackets_and_a_list_stay_whole(real):
    doc = real("collectives_stay_whole.txt")
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市发展和改革局", "lead", "explicit", 1),
        ("各有关部门", "responsible", None, 2),
        ("各开发区、镇(街道)", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("市发展和改革局", "lead", "explicit", 1),
        ("各县(市、区)人民政府", "responsible", None, 2),
        ("各镇(街道)", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("市农业农村局", "lead", "explicit", 1),
        ("各县(市)区政府", "responsible", None, 2),
        ("各开发(高新)区管委会", "responsible", None, 3),
    ]
    assert all(g.collective for a in doc.actions for g in a.agencies[1:] if g.derived_from is None)


def test_units_written_without_their_level_take_the_level_of_the_unit_before(real):
    province = real("levels_left_out_after_the_first.txt")
    p1, p2 = province.actions
    assert units(p1) == [
        ("省财政厅", "lead", "explicit", 1),
        ("省税务局", "support", None, 2),
        ("统计局", "support", None, 3),
    ]
    assert units(p2) == [
        ("省商务厅", "lead", "first-listed", 1),
        ("财政厅", "responsible", None, 2),
        ("发展改革委", "responsible", None, 3),
    ]
    if province.province:  # scoped to the province the plan names
        assert {g.government for a in province.actions for g in a.agencies} == {province.province}
    assert [g.canonical.removeprefix(province.province or "") for g in p2.agencies] == (
        ["省商务厅", "省财政厅", "省发改委"] if not province.province else ["商务厅", "财政厅", "发改委"])

    district = real("levels_left_out_district_plan.txt")
    d1, d2 = district.actions
    assert units(d1) == [
        ("区财政局", "lead", "first-listed", 1),
        ("市税务局", "support", None, 2),
        ("财政局", "support", None, 3),
    ]
    # 财政局 after 市税务局 is the city's (unscoped: the city is not stated), not the district's
    assert d1.agencies[2].canonical == "市财政局"
    assert d2.agencies[1].canonical.endswith("区经信局")


def test_deng_in_the_middle_of_a_list_is_dropped(real):
    doc = real("deng_in_the_middle.txt")
    a1, a2 = doc.actions
    assert units(a1) == [
        ("省商务厅", "lead", "explicit", 1),
        ("省发展改革委", "responsible", None, 2),
        ("省商务厅", "responsible", None, 3),
        ("各市人民政府", "responsible", None, 4),
    ]
    assert units(a2) == [
        ("省财政厅", "lead", "explicit", 1),
        ("省税务局", "responsible", None, 2),
        ("各市人民政府", "responsible", None, 3),
    ]


def test_sentence_forms_give_each_clause_its_role(real):
    doc = real("sentence_forms.txt")
    a1, a2, a3 = doc.actions
    assert units(a1) == [  # A、B牵头，C、D负责
        ("市教育局", "lead", "explicit", 1),
        ("市发改委", "lead", "explicit", 2),
        ("市财政局", "responsible", None, 3),
        ("市自然资源和规划局", "responsible", None, 4),
    ]
    assert units(a2) == [("市交通运输局", "lead", "explicit", 1), ("各地各部门", "support", None, 2)]
    assert units(a3) == [  # 甲和乙分别牵头、丙 under a 责任单位 label
        ("市港航办", "lead", "explicit", 1),
        ("市口岸办", "lead", "explicit", 2),
        ("市发改委", "responsible", None, 3),
    ]


def test_first_listed_legend_applies_from_its_note_on_not_before(real):
    doc = real("legend_applies_from_its_note_on.txt")
    a1, a2, a3, a4 = doc.actions
    assert units(a1) == [("区发改局", "lead", "first-listed", 1)]
    assert units(a2) == [("区人社局", "lead", "explicit", 1), ("区农业农村局", "responsible", None, 2)]
    assert units(a3) == [("区人社局", "lead", "explicit", 1), ("区财政局", "responsible", None, 2)]
    assert units(a4) == [("区城管局", "lead", "explicit", 1)]
    assert "列第一位" not in "".join(g.name + (g.alias or "") for a in doc.actions for g in a.agencies)


def test_legend_and_remark_sentences_inside_notes_name_no_unit(real):
    doc = real("legend_sentence_inside_note.txt")
    a1, a2, a3 = doc.actions
    # posts (分管副省长) are not units; 有关部门配合 belongs to the remark 不逐一列出，下同
    assert units(a1) == [("省国资委", "lead", "explicit", 1)]
    # 列第一者为牵头单位 inside this very note makes its first-listed unit the lead explicitly
    assert units(a2) == [("省工信厅", "lead", "explicit", 1), ("省发改委", "responsible", None, 2)]
    assert units(a3) == []  # (按职责分工负责): a remark, not a note, and not warned either
    assert not note_warnings(doc)


def test_traditional_characters_read_like_simplified(real):
    doc = real("traditional_characters.txt")
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市科技局", "lead", "explicit", 1),
        ("市财政局", "responsible", None, 2),
        ("市数据局", "responsible", None, 3),
    ]
    assert units(a2) == [("市文旅局", "lead", "explicit", 1), ("市商务局", "responsible", None, 2)]
    assert units(a3) == [("市交通运输局", "responsible", None, 1), ("市文旅局", "lead", "explicit", 2)]
    assert a1.agencies[1].name == "市財政局"  # as written


def test_line_wrap_spaces_inside_labels_and_names_but_spaces_between_units_separate(real):
    doc = real("line_wrap_spaces.txt")
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("省发展改革委", "lead", "explicit", 1),
        ("省财政厅", "responsible", None, 2),
        ("省教育厅", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("县自然资源局", "lead", "first-listed", 1),
        ("县农业农村局", "responsible", None, 2),
        ("各乡(街道)", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("县数据局", "lead", "first-listed", 1),
        ("县财政局", "responsible", None, 2),
        ("各乡镇人民政府", "responsible", None, 3),
    ]
    assert a1.agencies[0].kind == "发改委"


def test_units_run_together_split_and_a_note_cut_by_the_end_of_the_text_is_not_read(real):
    doc = real("run_together_and_cut.txt")
    a1, a2, a3 = doc.actions
    assert units(a1) == [("区财政局", "lead", "first-listed", 1), ("区税务局", "responsible", None, 2)]
    assert units(a2) == [("区人社局", "lead", "first-listed", 1)]
    assert units(a3) == []  # 责任单位:区政 — cut: no 区政 as a unit
    assert any("cut off" in w for w in doc.warning_messages)


def test_a_trailing_note_cut_inside_a_name_at_the_end_of_the_text_is_not_read():
    doc = extract_text("一、目标\n1.增长6%。\n牵头单位:市发改委\n责任单位:各相关部门,各开发区管委")
    assert units(doc.actions[0]) == []
    doc = extract_text("一、目标\n1.增长6%。\n牵头单位:市发改委\n责任单位")
    assert units(doc.actions[0]) == []
    doc = extract_text("一、目标\n1.增长6%。\n牵头单位:市发改委\n责任单位:市统计局")  # complete
    assert units(doc.actions[0]) == [("市发改委", "lead", "explicit", 1), ("市统计局", "responsible", None, 2)]


def test_what_is_not_understood_is_warned(real):
    doc = real("not_understood_is_warned.txt")
    a1, a2, a3 = doc.actions
    assert units(a1) == [] and units(a2) == []  # 挂点单位 is not in the vocabulary; a person 负责
    assert units(a3) == [("市应急局", "lead", "first-listed", 1)]
    warnings = " ".join(doc.warning_messages)
    assert "挂点单位" in warnings and "vocabulary" in warnings
    assert "(赵明远负责)" in warnings


def test_vocabulary_is_data_and_every_label_kind_is_known():
    vocab = vocabulary()
    assert vocab.label_roles["牵头责任单位"] == "lead"
    assert vocab.label_roles["数据提供单位"] == "support"
    assert vocab.label_roles["牵头领导"] == "person"
    assert vocab.label_roles["完成时限"] == "other"
    assert set(vocab.label_roles.values()) <= {"lead", "responsible", "support", "sentence", "person", "other"}
    assert vocab.label_re.match("牵头 单位 :").group(1) == "牵头 单位"


def test_lead_participants_and_a_remark_that_is_no_unit(real):
    doc = real("lead_and_participants_with_standing_remark.txt")
    a1, a2, a3 = doc.actions
    # 〔X牵头，A、B、C参与，各县、区人民政府(管委会)负责落实。以下…落实，不再列出。〕
    assert units(a1) == [
        ("市生态环境局", "lead", "explicit", 1),
        ("市发展和改革局", "support", None, 2),
        ("工业和信息化局", "support", None, 3),
        ("自然资源局", "support", None, 4),
        ("各县、区人民政府(管委会)", "responsible", None, 5),
    ]
    # written without 市 after 市发展和改革局: city agencies (scoped to the city when the plan names it)
    expected = ("市发改局", "市工信局", "市自然资源局")
    assert all(g.canonical.endswith(end) for g, end in zip(a1.agencies[1:4], expected, strict=True))
    # 牵头督导 is a lead role word
    assert units(a2) == [
        ("市生态环境局", "lead", "explicit", 1),
        ("工业和信息化局", "lead", "explicit", 2),
        ("市公安局", "support", None, 3),
        ("自然资源局", "support", None, 4),
    ]
    # 能源局等市有关部门和各县区人民政府: 等 and 和 before a collective separate it
    assert units(a3) == [
        ("市发展改革委", "lead", "first-listed", 1),
        ("交通运输局", "responsible", None, 2),
        ("水利局", "responsible", None, 3),
        ("能源局", "responsible", None, 4),
        ("市有关部门", "responsible", None, 5),
        ("各县区人民政府", "responsible", None, 6),
    ]
    assert not note_warnings(doc)


def test_actions_run_on_in_one_item_are_one_action_per_note_under_the_items_number(real):
    doc = real("run_on_actions_in_one_item.txt")
    assert [(a.number, a.title, units(a)) for a in doc.actions] == [
        ("（一）", "促进多种所有制经济共同发展", [("省国资委", "lead", "explicit", 1)]),
        ("（一）", "鼓励民营经济发展", [("省工信厅", "lead", "first-listed", 1), ("省发改委", "responsible", None, 2)]),
        ("（二）", "加快转变政府职能", [("省发改委", "lead", "explicit", 1)]),
    ]
    first, second, _ = doc.actions
    assert first.text == "促进多种所有制经济共同发展。深化国有企业改革。"
    assert second.text == "鼓励民营经济发展。"
    assert second.span[0] == doc.text.index("鼓励民营经济发展")
    assert first.span[1] == second.span[0]
    assert not any("later note" in w for w in doc.warning_messages)


def test_legend_except_where_marked_first_listed_leads_from_its_note_on(real):
    doc = real("legend_except_marked_lead.txt")
    a1, a2, a3, a4 = doc.actions
    assert units(a1) == [("市住建局", "lead", "first-listed", 1), ("市财政局", "responsible", None, 2)]
    # 除标注“牵头”外，列第一位的为牵头或汇总单位，下同: the legend's clauses are no unit
    assert units(a2) == [("市发改委", "lead", "explicit", 1), ("市统计局", "responsible", None, 2)]
    assert units(a3) == [("市经信局", "responsible", None, 1), ("市数据局", "lead", "explicit", 2)]
    assert units(a4) == [("市发改委", "lead", "explicit", 1), ("市财政局", "responsible", None, 2)]
    assert not any("除标注" in w for w in doc.warning_messages)


def test_fields_on_one_line_after_a_leader_and_section_labels_of_county_offices():
    doc = extract_text("某县2025年重点工作分解\n一、重点工作\n1.建设平台。\n"
                       "牵头领导:张三\u3000牵头单位:县发改局\u3000责任单位:县财政局、县科技局\n"
                       "2.编制规划。(牵头股室:县发改局规划股;配合股室:县财政局预算股;完成时限:2025年6月)\n")
    a1, a2 = doc.actions
    assert units(a1) == [
        ("县发改局", "lead", "explicit", 1),
        ("县财政局", "responsible", None, 2),
        ("县科技局", "responsible", None, 3),
    ]
    assert units(a2) == [("县发改局规划股", "lead", "explicit", 1), ("县财政局预算股", "support", None, 2)]


def test_a_field_that_names_no_unit_opens_no_note():
    doc = extract_text("某市重点工作分解\n一、重点工作\n1.建设平台,完成时限:2025年底。(责任单位:市科技局)\n"
                       "2.编制规划。(完成时限:2025年)\n")
    a1, a2 = doc.actions
    assert units(a1) == [("市科技局", "lead", "first-listed", 1)]
    assert units(a2) == []


def test_a_label_inside_a_sentence_about_units_opens_no_note():
    doc = extract_text("某市重点工作分解\n一、重点工作\n1.建设平台,请相关责任单位:按时报送进展。(责任单位:市科技局)\n")
    assert units(doc.actions[0]) == [("市科技局", "lead", "first-listed", 1)]


def test_a_person_field_alone_is_no_note_and_no_warning():
    doc = extract_text("某市通知\n一、要求\n3.加强督考。各牵头单位要按月报送进展。\n联系人:张三,联系电话:12345。\n"
                       "4.做好宣传。(责任领导:李四)\n")
    assert [units(a) for a in doc.actions] == [[], []]
    assert not note_warnings(doc)


def test_a_collective_is_not_continued_by_a_unit_of_its_own_that_starts_with_a_member_word():
    # 各县、区人民政府 is one collective; 各街道、区直各部门 are two units.
    doc = extract_text("1.推进招商。\n牵头单位:区商务局\n责任单位:各街道、区直各部门\n"
                       "2.推进投资。(牵头单位:市发改委;责任单位:各县、区人民政府)\n")
    assert [[(g.name, g.role) for g in a.agencies] for a in doc.actions] == [
        [("区商务局", "lead"), ("各街道", "responsible"), ("区直各部门", "responsible")],
        [("市发改委", "lead"), ("各县、区人民政府", "responsible")],
    ]


def test_a_bare_government_word_after_a_collective_of_governments_belongs_to_it():
    doc = extract_text("1.加快建设。(牵头单位:市发展改革委;配合单位:市财政局,各县区政府、管委会)\n")
    assert [(g.name, g.role, g.collective) for g in doc.actions[0].agencies] == [
        ("市发展改革委", "lead", False), ("市财政局", "support", False), ("各县区政府、管委会", "support", True)]


def test_labels_in_brackets_without_a_colon_open_the_fields_of_a_note():
    doc = extract_text("1.推进项目建设。【牵头单位】市发改委【责任单位】市财政局、市住建局\n"
                       "2.推进招商引资。[牵头单位]市商务局 [配合单位]市财政局\n")
    first, second = doc.actions
    assert units(first) == [("市发改委", "lead", "explicit", 1), ("市财政局", "responsible", None, 2),
                            ("市住建局", "responsible", None, 3)]
    assert units(second) == [("市商务局", "lead", "explicit", 1), ("市财政局", "support", None, 2)]
    assert first.note == "【牵头单位】市发改委【责任单位】市财政局、市住建局"
    assert [doc.text[g.span[0]:g.span[1]] for g in first.agencies] == ["市发改委", "市财政局", "市住建局"]


def test_a_unit_that_oversees_the_work_is_no_unit_of_it_and_does_not_hide_the_note():
    doc = extract_text("1.推进项目建设。(督办单位:市政府督查室;牵头单位:市发改委;责任单位:市财政局)\n"
                       "2.推进招商。\n牵头单位:市商务局\n督办单位:市委督查室\n")
    assert [units(a) for a in doc.actions] == [
        [("市发改委", "lead", "explicit", 1), ("市财政局", "responsible", None, 2)],
        [("市商务局", "lead", "explicit", 1)],
    ]
    assert not any("not in the vocabulary" in w for w in doc.warning_messages)
