"""The forms a responsibility note takes, one fixture each (see tests/fixtures/README.md).

Every test states the exact units of every action as (name, role, lead_basis, rank).
``name`` is the unit as written (lead marks, 等 and alias brackets stripped);
``canonical`` is only checked in the scoping test at the end.
"""

from __future__ import annotations

NOTE_LABELS = (
    "责任单位",
    "牵头单位",
    "责任部门",
    "牵头部门",
    "主责单位",
    "配合单位",
    "协办单位",
    "参与单位",
    "標☆",
    "标☆",
    "标★",
)


def units(action):
    return [(g.name, g.role, g.lead_basis, g.rank) for g in action.agencies]


def numbers(doc):
    return [a.number for a in doc.actions]


def in_section(action, title):
    return any(title in heading for heading in action.section)


def whole(action):
    return action.title + action.text


def assert_notes_out_of_bodies(doc):
    for action in doc.actions:
        for label in NOTE_LABELS:
            assert label not in action.text, f"{action.number} body keeps note text {label!r}"


# 1 -------------------------------------------------------------------------
def test_fullwidth_bracket_note_without_lead_makes_first_listed_unit_lead(load):
    doc = load("note_bracketed_fullwidth_no_lead_first_listed.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4."]
    a1, a2, a3, a4 = doc.actions
    assert units(a1) == [
        ("市发改委", "lead", "first-listed", 1),
        ("市交通运输局", "responsible", None, 2),
        ("市自然资源和规划局", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("市通信发展办", "lead", "first-listed", 1),
        ("市数据局", "responsible", None, 2),
    ]
    assert units(a3) == [("市邮政管理局", "lead", "first-listed", 1)]
    assert units(a4) == [
        ("市文旅局", "lead", "first-listed", 1),
        ("市体育局", "responsible", None, 2),
        ("市应急管理局", "responsible", None, 3),
    ]
    assert all(a.kind == "action" for a in doc.actions)
    assert in_section(a1, "完善低空基础设施") and in_section(a4, "拓展低空应用场景")
    assert "起降点20个以上" in a1.text
    assert_notes_out_of_bodies(doc)


# 2 -------------------------------------------------------------------------
def test_halfwidth_note_with_lead_label_marks_lead_explicit_and_numbers_normalised(load):
    doc = load("note_halfwidth_lead_label_then_responsible.txt")
    assert numbers(doc) == ["（一）", "（二）", "（三）"]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市经信局", "lead", "explicit", 1),
        ("市财政局", "responsible", None, 2),
        ("市科技局", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("市经信局", "lead", "explicit", 1),
        ("市通信发展管理办公室", "responsible", None, 2),
        ("市数据局", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("市金融办", "lead", "explicit", 1),
        ("市财政局", "responsible", None, 2),
        ("人行青萍市分行", "responsible", None, 3),
    ]
    assert_notes_out_of_bodies(doc)


# 3 -------------------------------------------------------------------------
def test_note_on_own_lines_after_item_is_read_and_is_neither_body_nor_action(load):
    doc = load("note_on_own_lines_after_item.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("县工信局", "lead", "explicit", 1),
        ("县农业农村局", "responsible", None, 2),
        ("县通信发展办", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("县农业农村局", "lead", "explicit", 1),
        ("县科技局", "responsible", None, 2),
        ("县气象局", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("县商务局", "lead", "first-listed", 1),
        ("县供销社", "responsible", None, 2),
    ]
    assert "5G通达率100%" in a1.text
    assert "抓好落实" not in a3.text  # the next heading ends the item
    assert_notes_out_of_bodies(doc)


# 4 -------------------------------------------------------------------------
def test_unbracketed_note_at_end_of_item(load):
    doc = load("note_unbracketed_at_end_of_item.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("区住建局", "lead", "first-listed", 1),
        ("区财政局", "responsible", None, 2),
    ]
    assert units(a2) == [
        ("区城管局", "lead", "explicit", 1),
        ("区住建局", "responsible", None, 2),
        ("区水务局", "responsible", None, 3),
    ]
    assert units(a3) == [("区民政局", "lead", "first-listed", 1)]
    assert "加装电梯120部" in a1.text
    assert_notes_out_of_bodies(doc)


# 5 -------------------------------------------------------------------------
def test_label_variants_give_lead_responsible_and_support_roles(load):
    doc = load("note_label_variants_lead_and_support.txt")
    assert numbers(doc) == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    a1, a2, a3, a4, a5 = doc.actions
    # 责任部门 = 责任单位: no lead marked
    assert units(a1) == [
        ("省发展改革委", "lead", "first-listed", 1),
        ("省通信管理局", "responsible", None, 2),
    ]
    # 牵头部门 + 配合单位
    assert units(a2) == [
        ("省工业和信息化厅", "lead", "explicit", 1),
        ("省科技厅", "support", None, 2),
        ("省数据局", "support", None, 3),
    ]
    # 主责单位 + 协办单位
    assert units(a3) == [
        ("省科技厅", "lead", "explicit", 1),
        ("省教育厅", "support", None, 2),
        ("省财政厅", "support", None, 3),
    ]
    # 牵头单位 + 责任单位 + 参与单位
    assert units(a4) == [
        ("省人力资源社会保障厅", "lead", "explicit", 1),
        ("省教育厅", "responsible", None, 2),
        ("省总工会", "support", None, 3),
    ]
    # 责任单位 + 配合单位: no lead marked, first of the responsible list leads
    assert units(a5) == [
        ("省市场监管局", "lead", "first-listed", 1),
        ("省知识产权局", "support", None, 2),
    ]
    assert_notes_out_of_bodies(doc)


# 6 -------------------------------------------------------------------------
def test_hollow_star_legend_marks_lead_and_applies_to_later_notes(load):
    doc = load("note_star_legend_hollow_applies_to_later_notes.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4."]
    a1, a2, _a3, a4 = doc.actions
    assert units(a1) == [
        ("县文旅局", "lead", "explicit", 1),
        ("县发改局", "responsible", None, 2),
        ("县自然资源局", "responsible", None, 3),
    ]
    # 下同: a later ☆ marks the lead; the first-listed unit is then not a lead
    assert units(a2) == [
        ("县交通运输局", "responsible", None, 1),
        ("县文旅局", "lead", "explicit", 2),
    ]
    # two marked units: two explicit leads
    assert units(a4) == [
        ("县文旅局", "lead", "explicit", 1),
        ("县融媒体中心", "lead", "explicit", 2),
        ("县商务局", "responsible", None, 3),
    ]
    assert_notes_out_of_bodies(doc)


def test_note_without_star_in_star_legend_plan_falls_back_to_first_listed(load):
    doc = load("note_star_legend_hollow_applies_to_later_notes.txt")
    a3 = doc.actions[2]
    assert units(a3) == [
        ("县文旅局", "lead", "first-listed", 1),
        ("县农业农村局", "responsible", None, 2),
    ]


def test_solid_star_legend_marks_lead_and_applies_to_later_notes(load):
    doc = load("note_star_legend_solid_marks_lead.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("区住建局", "lead", "explicit", 1),
        ("区城管局", "responsible", None, 2),
        ("区水务局", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("区城管局", "responsible", None, 1),
        ("区水务局", "lead", "explicit", 2),
    ]
    assert units(a3) == [
        ("区应急管理局", "lead", "explicit", 1),
        ("区水务局", "lead", "explicit", 2),
        ("区气象局", "responsible", None, 3),
    ]
    assert_notes_out_of_bodies(doc)


# 7 -------------------------------------------------------------------------
def test_lead_word_after_unit_name_marks_it_lead(load):
    doc = load("note_lead_word_after_unit_name.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市卫健委", "lead", "explicit", 1),
        ("市医保局", "responsible", None, 2),
        ("市数据局", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("市教育局", "responsible", None, 1),
        ("市卫健委", "lead", "explicit", 2),
    ]
    assert units(a3) == [
        ("市民政局", "lead", "explicit", 1),
        ("市卫健委", "responsible", None, 2),
        ("市残联", "responsible", None, 3),
    ]
    assert_notes_out_of_bodies(doc)


# 8 -------------------------------------------------------------------------
def test_stated_rule_makes_first_listed_unit_lead_explicitly(load):
    doc = load("note_first_listed_is_lead_by_stated_rule.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("县市场监管局", "lead", "explicit", 1),
        ("县公安局", "responsible", None, 2),
        ("县税务局", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("县发改局", "lead", "explicit", 1),
        ("县财政局", "responsible", None, 2),
    ]
    assert units(a3) == [("县司法局", "lead", "explicit", 1)]
    assert_notes_out_of_bodies(doc)


# 9 -------------------------------------------------------------------------
def test_trailing_deng_is_dropped_from_unit_list(load):
    doc = load("note_trailing_deng_dropped.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("区科技局", "lead", "first-listed", 1),
        ("区工信局", "responsible", None, 2),
    ]
    assert units(a2) == [
        ("区委组织部", "lead", "first-listed", 1),
        ("区人社局", "responsible", None, 2),
        ("区住建局", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("区科技局", "lead", "first-listed", 1),
        ("区财政局", "responsible", None, 2),
    ]
    assert_notes_out_of_bodies(doc)


# 10 ------------------------------------------------------------------------
def test_alias_in_brackets_after_name_is_neither_a_unit_nor_the_note_end(load):
    doc = load("note_alias_in_brackets_after_unit_name.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市行政审批局", "lead", "first-listed", 1),
        ("市市场监管局", "responsible", None, 2),
    ]
    assert units(a2) == [
        ("市数据局", "lead", "explicit", 1),
        ("市行政审批局", "responsible", None, 2),
    ]
    assert units(a3) == [
        ("市自然资源和规划局", "lead", "first-listed", 1),
        ("市税务局", "responsible", None, 2),
    ]
    for action in doc.actions:  # the whole note left the body, not just up to the inner ）
        assert "政务服务中心）" not in action.text
        assert "大数据中心" not in action.text
        assert "原市国土资源局" not in action.text
    assert_notes_out_of_bodies(doc)


# 11 ------------------------------------------------------------------------
def test_mixed_separators_and_spaces_split_units(load):
    doc = load("note_mixed_separators_and_spaces.txt")
    assert numbers(doc) == ["（1）", "（2）", "（3）"]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("区发改局", "lead", "first-listed", 1),
        ("区财政局", "responsible", None, 2),
        ("区教育局", "responsible", None, 3),
        ("区卫健局", "responsible", None, 4),
        ("区民政局", "responsible", None, 5),
        ("区人社局", "responsible", None, 6),
    ]
    assert units(a2) == [
        ("区民政局", "lead", "first-listed", 1),
        ("区医保局", "responsible", None, 2),
        ("区残联", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("区民政局", "lead", "explicit", 1),
        ("区商务局", "responsible", None, 2),
        ("区市场监管局", "responsible", None, 3),
    ]
    assert all(in_section(a, "完善养老服务网络") for a in doc.actions)
    assert_notes_out_of_bodies(doc)


# 12 ------------------------------------------------------------------------
def test_run_on_items_in_one_paragraph_each_keep_their_own_note(load):
    doc = load("note_run_on_items_in_one_paragraph.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4."]
    a1, a2, a3, a4 = doc.actions
    assert "建设高标准农田" in a1.title
    assert "推广智慧灌溉" in a2.title
    assert "发展设施农业" in a3.title
    assert "3.6万亩" in a1.text  # a decimal is not an item number
    assert "推广智慧灌溉" not in a1.text and "发展设施农业" not in a2.text
    assert units(a1) == [
        ("县农业农村局", "lead", "first-listed", 1),
        ("县水利局", "responsible", None, 2),
    ]
    assert units(a2) == [("县水利局", "lead", "first-listed", 1)]
    assert units(a3) == [
        ("县农业农村局", "lead", "first-listed", 1),
        ("县财政局", "responsible", None, 2),
    ]
    assert units(a4) == [("县农业农村局", "lead", "first-listed", 1)]
    assert_notes_out_of_bodies(doc)


# 13 ------------------------------------------------------------------------
def test_heading_that_names_lead_applies_to_every_item_below_it(load):
    doc = load("heading_names_lead_for_items_below.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "1.", "2."]
    e1, e2, e3, h1, h2 = doc.actions
    assert all(in_section(a, "县教育局牵头工作") for a in (e1, e2, e3))
    assert all(in_section(a, "县卫生健康局牵头工作") for a in (h1, h2))
    assert units(e1) == [
        ("县教育局", "lead", "explicit", 1),
        ("县财政局", "responsible", None, 2),
        ("县自然资源局", "responsible", None, 3),
    ]
    assert units(e2) == [
        ("县教育局", "lead", "explicit", 1),
        ("各乡镇人民政府", "responsible", None, 2),
    ]
    assert units(e3) == [("县教育局", "lead", "explicit", 1)]  # item without a note
    assert units(h1) == [
        ("县卫生健康局", "lead", "explicit", 1),
        ("县教育局", "responsible", None, 2),
    ]
    assert units(h2) == [
        ("县卫生健康局", "lead", "explicit", 1),
        ("县教育局", "responsible", None, 2),
        ("县财政局", "responsible", None, 3),
    ]
    assert_notes_out_of_bodies(doc)


# 14 ------------------------------------------------------------------------
def test_brackets_in_body_are_not_notes_and_stay_in_the_text(load):
    doc = load("body_brackets_are_not_notes.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4."]
    a1, a2, a3, a4 = doc.actions
    assert "（AI）" in whole(a1)
    assert "引进人工智能（AI）企业20家" in a1.text
    assert "（含智能终端）" in a2.text
    assert "《桑园市国土空间总体规划（2021—2035年）》" in a3.text
    assert "（暂定名）" in whole(a4)
    assert units(a1) == [
        ("市科技局", "lead", "first-listed", 1),
        ("市经信局", "responsible", None, 2),
    ]
    assert units(a2) == [("市商务局", "lead", "first-listed", 1)]
    assert units(a3) == [
        ("市自然资源和规划局", "lead", "first-listed", 1),
        ("市通信发展办", "responsible", None, 2),
    ]
    assert units(a4) == [("市城管局", "lead", "first-listed", 1)]
    for action in doc.actions:
        assert action.note is not None and "责任单位" in action.note
    assert "AI" not in a1.note and "2035" not in a3.note and "暂定名" not in a4.note
    assert_notes_out_of_bodies(doc)


# 15 ------------------------------------------------------------------------
def test_collective_units_are_flagged(load):
    doc = load("collective_units_flagged.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市交通运输局", "lead", "first-listed", 1),
        ("各县（市、区）人民政府", "responsible", None, 2),
    ]
    assert units(a2) == [
        ("市交通运输局", "lead", "first-listed", 1),
        ("市财政局", "responsible", None, 2),
        ("各乡镇人民政府", "responsible", None, 3),
    ]
    assert units(a3) == [
        ("市交通运输局", "lead", "first-listed", 1),
        ("各有关单位", "responsible", None, 2),
    ]
    assert [(g.name, g.collective) for g in a1.agencies + a2.agencies + a3.agencies] == [
        ("市交通运输局", False),
        ("各县（市、区）人民政府", True),
        ("市交通运输局", False),
        ("市财政局", False),
        ("各乡镇人民政府", True),
        ("市交通运输局", False),
        ("各有关单位", True),
    ]
    # nobody says who the members are: nothing is expanded
    assert all(g.derived_from is None for a in doc.actions for g in a.agencies)
    assert "自然村（组）" in a2.text


def _assert_members(action, collective_index, member_names):
    collective = action.agencies[collective_index]
    assert collective.collective and collective.derived_from is None and collective.canonical
    members = action.agencies[collective_index + 1 : collective_index + 1 + len(member_names)]
    assert [m.name for m in members] == member_names
    for member in members:
        assert member.derived_from == collective.canonical
        assert member.collective is False
        assert (member.role, member.lead_basis) == (collective.role, collective.lead_basis)


def test_inclusion_remark_expands_collective_here_and_in_later_notes(load):
    doc = load("collective_inclusion_remark_applies_to_later_notes.txt")
    assert numbers(doc) == ["1.", "2.", "3."]
    a1, a2, a3 = doc.actions
    assert units(a1) == [
        ("市发改委", "lead", "first-listed", 1),
        ("各区人民政府", "responsible", None, 2),
        ("青岚经济开发区管委会", "responsible", None, 2),
        ("白鹭湾新区管委会", "responsible", None, 2),
    ]
    assert units(a2) == [  # 下同: the plain 各区人民政府 later expands the same way
        ("市能源局", "lead", "first-listed", 1),
        ("各区人民政府", "responsible", None, 2),
        ("青岚经济开发区管委会", "responsible", None, 2),
        ("白鹭湾新区管委会", "responsible", None, 2),
    ]
    assert units(a3) == [  # members take the collective's role, here lead
        ("各区人民政府", "lead", "explicit", 1),
        ("青岚经济开发区管委会", "lead", "explicit", 1),
        ("白鹭湾新区管委会", "lead", "explicit", 1),
        ("市自然资源局", "responsible", None, 2),
    ]
    _assert_members(a1, 1, ["青岚经济开发区管委会", "白鹭湾新区管委会"])
    _assert_members(a2, 1, ["青岚经济开发区管委会", "白鹭湾新区管委会"])
    _assert_members(a3, 0, ["青岚经济开发区管委会", "白鹭湾新区管委会"])
    assert_notes_out_of_bodies(doc)


def test_inclusion_remark_without_xiatong_expands_only_its_own_note(load):
    doc = load("collective_inclusion_remark_without_xiatong_applies_once.txt")
    assert numbers(doc) == ["1.", "2."]
    a1, a2 = doc.actions
    assert units(a1) == [
        ("市体育局", "lead", "first-listed", 1),
        ("各区人民政府", "responsible", None, 2),
        ("青岚经济开发区管委会", "responsible", None, 2),
    ]
    _assert_members(a1, 1, ["青岚经济开发区管委会"])
    assert units(a2) == [
        ("市体育局", "lead", "first-listed", 1),
        ("各区人民政府", "responsible", None, 2),
    ]
    assert a2.agencies[1].collective is True


# 16 ------------------------------------------------------------------------
def test_items_under_goals_and_safeguards_get_their_kind(load):
    doc = load("kinds_goals_actions_safeguards.txt")
    assert [(a.number, a.kind) for a in doc.actions] == [
        ("1.", "goal"),
        ("2.", "goal"),
        ("（一）", "action"),
        ("（二）", "action"),
        ("（一）", "safeguard"),
        ("（二）", "safeguard"),
    ]
    g1, g2, t1, t2, s1, s2 = doc.actions
    assert in_section(g1, "工作目标") and in_section(g2, "工作目标")
    assert in_section(t1, "重点任务") and in_section(s1, "保障措施")
    assert units(g1) == [] and units(g2) == []
    assert units(t1) == [
        ("区工信局", "lead", "explicit", 1),
        ("区发改局", "responsible", None, 2),
    ]
    assert units(t2) == [
        ("区工信局", "lead", "first-listed", 1),
        ("区农业农村局", "responsible", None, 2),
    ]
    assert units(s1) == [("区工信局", "lead", "first-listed", 1)]
    assert units(s2) == []
    assert_notes_out_of_bodies(doc)


# 17 ------------------------------------------------------------------------
def test_irregular_group_number_is_still_a_group_and_is_warned(load):
    doc = load("irregular_group_number_warned.txt")
    assert numbers(doc) == ["1.", "2.", "3.", "4.", "5.", "6."]
    a1, a2, a3, a4, a5, a6 = doc.actions
    assert all(in_section(a, "重点行动") for a in doc.actions)
    assert in_section(a3, "提升数字服务能力") and not in_section(a3, "强化数字治理能力")
    assert in_section(a4, "强化数字治理能力") and in_section(a5, "强化数字治理能力")
    assert in_section(a6, "优化数字营商环境") and not in_section(a6, "强化数字治理能力")
    assert any("（3）" in w or "(3)" in w for w in doc.warning_messages), doc.warning_messages
    assert units(a1) == [("市数据局", "lead", "first-listed", 1)]
    assert units(a2) == [
        ("市数据局", "lead", "first-listed", 1),
        ("市通信发展办", "responsible", None, 2),
    ]
    assert units(a3) == [("市行政审批局", "lead", "first-listed", 1)]
    assert units(a4) == [
        ("市城管局", "lead", "first-listed", 1),
        ("市数据局", "responsible", None, 2),
    ]
    assert units(a5) == [("市委政法委", "lead", "first-listed", 1)]
    assert units(a6) == [
        ("市行政审批局", "lead", "first-listed", 1),
        ("市市场监管局", "responsible", None, 2),
    ]


# 18 ------------------------------------------------------------------------
def test_task_first_table_rows_are_actions_with_lead_and_responsible_columns(load):
    doc = load("table_task_first_lead_and_responsible_columns.docx")
    assert len(doc.actions) == 3
    r1, r2, r3 = doc.actions
    assert "高标准农田" in whole(r1)
    assert "农村供水" in whole(r2)
    assert "寄递物流" in whole(r3)
    assert all(a.kind == "action" for a in doc.actions)
    assert units(r1) == [  # responsible cell holds two paragraphs: a line break separates
        ("县农业农村局", "lead", "explicit", 1),
        ("县财政局", "responsible", None, 2),
        ("县水利局", "responsible", None, 3),
    ]
    assert units(r2) == [
        ("县水利局", "lead", "explicit", 1),
        ("县卫生健康局", "responsible", None, 2),
        ("市生态环境局梅岭分局", "responsible", None, 3),
    ]
    assert units(r3) == [  # two units in the lead column: both lead
        ("县商务局", "lead", "explicit", 1),
        ("县交通运输局", "lead", "explicit", 2),
        ("县邮政管理局", "responsible", None, 3),
    ]


def test_task_first_table_with_leader_column_takes_no_person_as_unit(load):
    doc = load("table_task_first_with_leader_column.docx")
    assert len(doc.actions) == 2
    r1, r2 = doc.actions
    assert "智慧停车" in whole(r1) and "雨污分流" in whole(r2)
    assert units(r1) == [
        ("区城管局", "lead", "explicit", 1),
        ("区公安分局", "responsible", None, 2),
        ("区住建局", "responsible", None, 3),
    ]
    assert units(r2) == [
        ("区住建局", "lead", "explicit", 1),
        ("区城管局", "responsible", None, 2),
    ]


def test_agency_first_table_rows_are_actions_of_that_unit(load):
    doc = load("table_agency_first_unit_then_tasks.docx")
    assert len(doc.actions) == 3
    r1, r2, r3 = doc.actions
    assert "新型城镇化规划" in whole(r1)
    assert "专项资金" in whole(r2)
    assert "老旧小区改造" in whole(r3)
    assert units(r1) == [("县发改局", "lead", "first-listed", 1)]
    assert units(r2) == [("县财政局", "lead", "first-listed", 1)]
    assert units(r3) == [("县住建局", "lead", "first-listed", 1)]


# scoping -------------------------------------------------------------------
def test_units_are_scoped_to_the_government_that_issued_the_plan(load):
    county = load("scoping_county_plan_units.txt")
    district = load("scoping_district_plan_units.txt")
    county_units = [(g.name, g.canonical) for a in county.actions for g in a.agencies]
    district_units = [(g.name, g.canonical) for a in district.actions for g in a.agencies]
    assert county_units == [
        ("县农业农村局", "望川县农业农村局"),
        ("县财政局", "望川县财政局"),
        ("县民政局", "望川县民政局"),
    ]
    assert district_units == [
        ("区民政局", "澄湖区民政局"),
        ("区财政局", "澄湖区财政局"),
        ("区教育局", "澄湖区教育局"),
    ]
    # one kind, two agencies
    county_finance = county.actions[0].agencies[1]
    district_finance = district.actions[0].agencies[1]
    assert county_finance.kind == district_finance.kind
    assert county_finance.canonical != district_finance.canonical
