"""Correcting the graph from the explorer's pages (explorer/widgets.py), in Streamlit's AppTest.

Each test starts the app on its own copy of the store of the two bundled plans, submits one of the
edit controls as a person would (the Network page's action details, the responsibility matrix, the
agency profile, the Documents page), and reads back what the graph then says: the named queries on
the app's own store and the page's tables. A bad submission is one line and changes nothing.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from graph.corrections import read_corrections
from queries import run_named
from tests.apptest import app_store, choose_tab, open_page, plain

NETWORK = "explorer/pages/network.py"
XIANTAO = "xiantao-ai-action-plan-2025-2027.txt"
XIANTAO_ID = "d33d9538d1cc5e95"
ACTION = f"{XIANTAO_ID}-a001"  # 仙桃 （一） 强化规划引领: 市发改委 leads, 市科技局 and 市经信局 are responsible
EDIT = f"net-edit-{ACTION}"
NO_WHY = "请写明理由：这是留给下一位读图者的说明"  # make_correction's line, as data/errors.toml says it in Chinese
AS_LOADED = [[1, "仙桃市发改委", "LEADS", "explicit"], [2, "仙桃市科技局", "RESPONSIBLE_FOR", None],
             [3, "仙桃市经信局", "RESPONSIBLE_FOR", None]]


def units_of_xiantao_1() -> list[list]:
    """rank, agency, role, basis of 仙桃 （一）, from the named query on the app's store."""
    result = run_named(app_store(), "agencies-of-action", {"action": "（一）", "document": XIANTAO})
    return [[row[3], row[4], row[5], row[6]] for row in result.rows]


def corrections_of_units() -> dict[str, str | None]:
    """agency -> the correction id its relationship to 仙桃 （一） carries."""
    rows = app_store().read_all("MATCH (a:Agency)-[r]->(x:Action {id: $id}) RETURN a.name, r.correction",
                                {"id": ACTION})
    return dict(sorted((row[0], row[1]) for row in rows))


def submit(at: AppTest, label: str = "提交更正") -> AppTest:
    buttons = [button for button in at.button if button.label == label]
    assert len(buttons) == 1, [button.label for button in at.button]
    buttons[0].click().run()
    assert not at.exception, at.exception
    return at


def said(at: AppTest) -> list[str]:
    """The lines the page says, success and error, as a reader sees them."""
    return [plain(element.value) for element in [*at.success, *at.error]]


@pytest.fixture
def network(store_path) -> AppTest:
    """The Network page with 仙桃 （一） chosen in the details."""
    at = open_page(NETWORK)
    at.selectbox(key="net-detail").set_value(ACTION).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


# --------------------------------------------------------------------------------------------- network page

def test_the_action_details_offer_the_edit_with_the_note_beside_it_and_the_units_now(network):
    (expander,) = network.expander
    assert expander.label == "更正此行动的单位"
    assert network.text[0].value == "（一） 强化规划引领"  # the action, as text (a label is Markdown)
    assert network.radio(key=f"{EDIT}-change").options == ["更正牵头单位", "增加一个单位", "移除一个单位"]
    leads = network.multiselect(key=f"{EDIT}-leads")
    assert leads.value == ["仙桃市发改委"]
    assert "仙桃市财政局" in leads.options and not any(option.startswith("鄂州") for option in leads.options)
    (_sources, source) = [element.proto.body for element in network.get("html")
                          if 'class="pk-' in element.proto.body]  # the page's, then the edit's
    assert source.endswith("(牵头单位:<mark>市发改委</mark>;责任单位:<mark>市科技局</mark>、"
                           "<mark>市经信局</mark>)</span>")
    now = next(frame.value for frame in network.dataframe if list(frame.value.columns) == ["单位", "职责", "牵头依据"])
    assert now.values.tolist() == [["仙桃市发改委", "牵头", "文件明确"], ["仙桃市科技局", "负责", ""],
                                   ["仙桃市经信局", "负责", ""]]
    assert any(caption.value == "尚无更正。" for caption in network.caption)


def test_setting_the_lead_makes_the_science_bureau_the_corrected_lead_and_says_so(network):
    assert units_of_xiantao_1() == AS_LOADED
    network.multiselect(key=f"{EDIT}-leads").set_value(["仙桃市科技局"])
    network.text_input(key=f"{EDIT}-why").input("the plan's annex names 市科技局 as the lead")
    network.text_input(key=f"{EDIT}-who").input("ann")
    submit(network)
    (correction,) = read_corrections(app_store())
    assert said(network) == [f"已更正（{correction.id}）：{XIANTAO} （一） 强化规划引领: 牵头: 仙桃市科技局"]
    assert (correction.kind, correction.who) == ("lead", "ann")
    assert correction.why == "the plan's annex names 市科技局 as the lead"
    # 市发改委 no longer leads; a unit has one role in an action, so 市科技局 is no longer responsible
    assert units_of_xiantao_1() == [[1, "仙桃市科技局", "LEADS", "corrected"],
                                    [2, "仙桃市经信局", "RESPONSIBLE_FOR", None]]
    assert corrections_of_units() == {"仙桃市科技局": correction.id, "仙桃市经信局": None}
    # the page drew the corrected graph: the details, the history, the why field emptied for the next one
    relations = network.dataframe[1].value
    assert relations[relations["另一端"] == "仙桃市科技局"][["关系", "牵头依据", "更正编号"]].values.tolist() == [
        ["牵头", "人工更正", correction.id]]
    history = next(frame.value for frame in network.dataframe if "更正人" in frame.value.columns)
    assert history[["更正人", "更正内容", "理由", "状态", "应用结果", "编号"]].values.tolist() == [
        ["ann", f"{XIANTAO} （一） 强化规划引领: 牵头: 仙桃市科技局", "the plan's annex names 市科技局 as the lead",
         "有效", "已应用", correction.id]]
    assert network.text_input(key=f"{EDIT}-why").value == ""
    assert network.multiselect(key=f"{EDIT}-leads").value == ["仙桃市科技局"]


def test_adding_a_unit_with_a_role_puts_it_last_with_that_role(network):
    network.radio(key=f"{EDIT}-change").set_value("add-unit").run()
    network.selectbox(key=f"{EDIT}-add").set_value("仙桃市财政局")
    network.selectbox(key=f"{EDIT}-role").set_value("support")
    network.text_input(key=f"{EDIT}-why").input("the finance bureau pays for the plan")
    submit(network)
    (correction,) = read_corrections(app_store())
    assert said(network) == [f"已更正（{correction.id}）：{XIANTAO} （一） 强化规划引领: 配合: 仙桃市财政局"]
    assert units_of_xiantao_1() == [*AS_LOADED, [4, "仙桃市财政局", "SUPPORTS", None]]
    assert corrections_of_units()["仙桃市财政局"] == correction.id
    assert network.selectbox(key=f"{EDIT}-add").value is None


def test_removing_a_unit_leaves_the_others_in_their_order(network):
    network.radio(key=f"{EDIT}-change").set_value("remove-unit").run()
    remove = network.selectbox(key=f"{EDIT}-remove")
    assert remove.options == ["仙桃市发改委 · 牵头", "仙桃市科技局 · 负责", "仙桃市经信局 · 负责"]
    remove.set_value("仙桃市科技局")
    network.text_input(key=f"{EDIT}-why").input("not in the approved version")
    submit(network)
    (correction,) = read_corrections(app_store())
    assert said(network) == [f"已更正（{correction.id}）：{XIANTAO} （一） 强化规划引领: − 仙桃市科技局"]
    assert units_of_xiantao_1() == [[1, "仙桃市发改委", "LEADS", "explicit"],
                                    [2, "仙桃市经信局", "RESPONSIBLE_FOR", None]]


def test_undo_brings_back_what_the_loaders_read_and_keeps_the_history(network):
    network.multiselect(key=f"{EDIT}-leads").set_value(["仙桃市经信局"])
    network.text_input(key=f"{EDIT}-why").input("wrong lead")
    submit(network)
    assert units_of_xiantao_1()[0] == [1, "仙桃市经信局", "LEADS", "corrected"]
    (correction,) = read_corrections(app_store())
    assert network.selectbox(key=f"{EDIT}-undo-which").value == correction.id
    network.text_input(key=f"{EDIT}-undo-who").input("bob")
    submit(network, "撤销")
    assert said(network) == [f"已撤销（{correction.id}）：{XIANTAO} （一） 强化规划引领: 牵头: 仙桃市经信局"]
    assert units_of_xiantao_1() == AS_LOADED
    assert set(corrections_of_units().values()) == {None}
    (undone,) = read_corrections(app_store())
    assert (undone.status, undone.undone_by) == ("undone", "bob")
    history = next(frame.value for frame in network.dataframe if "更正人" in frame.value.columns)
    assert history["状态"].tolist() == [f"已撤销（bob，{undone.undone_at[:19].replace('T', ' ')}）"]
    assert not [button for button in network.button if button.label == "撤销"]  # nothing left to undo


@pytest.mark.parametrize(("change", "why", "message"), [
    ("lead", " ", NO_WHY),
    ("lead-none", "no lead at all", "更正牵头单位：请至少给出一个单位"),
    ("remove-unit", "a unit goes", "移除一个单位：请至少给出一个单位"),
])
def test_a_bad_submission_says_one_line_and_changes_nothing(network, change, why, message):
    if change == "lead-none":
        network.multiselect(key=f"{EDIT}-leads").set_value([])
    elif change != "lead":
        network.radio(key=f"{EDIT}-change").set_value(change).run()
    network.text_input(key=f"{EDIT}-why").input(why)
    version = app_store().data_version()
    submit(network)
    assert said(network) == [f"未能更正，图谱未改变：{message}"]
    assert units_of_xiantao_1() == AS_LOADED
    assert read_corrections(app_store()) == []
    assert app_store().data_version() == version
    assert network.text_input(key=f"{EDIT}-why").value == why  # kept, to be mended


def test_only_corrected_facts_shows_the_corrected_lead_and_its_two_ends(network):
    network.sidebar.checkbox(key="net-corrected").check().run()
    assert metrics(network) == {"节点": "0", "关系": "0"}
    assert [info.value for info in network.info] == ["当前筛选下没有人工更正的内容。"]
    network.sidebar.checkbox(key="net-corrected").uncheck().run()
    network.selectbox(key="net-detail").set_value(ACTION).run()
    network.multiselect(key=f"{EDIT}-leads").set_value(["仙桃市科技局"])
    network.text_input(key=f"{EDIT}-why").input("annex")
    submit(network)
    network.sidebar.checkbox(key="net-corrected").check().run()
    assert metrics(network) == {"节点": "2", "关系": "1"}
    (component,) = network.get("component_instance")
    legend = json.loads(component.proto.json_args)["data"]["legend"]
    assert "牵头（人工更正）" in legend and 'data-variant="corrected"' in legend


def test_the_edit_speaks_english_when_the_session_does(network):
    network.sidebar.radio[0].set_value("en").run()
    assert not network.exception
    network.selectbox(key="net-detail").set_value(ACTION).run()
    assert network.expander[0].label == "Correct the units of this action"
    assert network.radio(key=f"{EDIT}-change").options == [
        "replace the action's lead units", "add one unit to the action", "remove one unit from the action"]
    network.text_input(key=f"{EDIT}-why").input("")
    submit(network, "Submit the correction")
    assert said(network) == ["Not corrected, the graph is unchanged: say why: the correction's note for "
                             "whoever reads the graph next"]  # no flag named: the explorer has none


# --------------------------------------------------------------------------------------------- agencies page

def matrix_frame(at: AppTest):
    """The responsibility matrix as the page shows it: a row per unit, a column per action, the units involved last."""
    return next(frame.value for frame in at.dataframe if list(frame.value.columns[:3]) ==
                ["agency", "type", "member_of"])


def matrix_column(at: AppTest, action: str) -> dict[str, str]:
    """The non-empty cells of one action's column of the responsibility matrix, by unit (not the totals row)."""
    frame = matrix_frame(at).iloc[:-1]
    return {agency: cell for agency, cell in zip(frame["agency"], frame[action], strict=True) if cell}


def agency_facts(agency: str) -> list[list]:
    return [list(row) for row in app_store().read_all(
        "MATCH (a:Agency) WHERE a.id = $id RETURN a.name, a.aliases, a.correction", {"id": agency})]


def roles_of(agency: str) -> list[list]:
    return [list(row) for row in app_store().read_all(
        "MATCH (a:Agency {id: $id})-[r]->(x:Action) RETURN x.number, label(r), r.correction ORDER BY x.seq",
        {"id": agency})]


@pytest.fixture
def agencies(store_path) -> AppTest:
    return open_page("agencies")


@pytest.fixture
def profile(agencies) -> AppTest:
    """The Agencies page on its profile tab."""
    return choose_tab(agencies, "agencies-view", "profile")


def open_editor(chosen) -> None:
    """Run the page with the profiled unit's corrections section open (its forms are made only then)."""
    at = chosen.root
    assert not at.get("text_input") or "agencies-rename-name" not in [w.key for w in at.get("text_input")]
    at.session_state["agencies-editor"] = True
    at.run()
    assert not at.exception, at.exception


def test_a_row_of_the_matrix_is_corrected_with_the_same_form_and_its_cell_is_marked(agencies):
    assert matrix_column(agencies, "（一）") == {"仙桃市发改委": "L", "仙桃市科技局": "R", "仙桃市经信局": "R"}
    agencies.selectbox(key="agencies-edit-action").set_value(ACTION).run()
    key = f"agencies-edit-{ACTION}"
    assert agencies.expander[0].label == "更正此行动的单位"
    agencies.multiselect(key=f"{key}-leads").set_value(["仙桃市经信局"])
    agencies.text_input(key=f"{key}-why").input("the annex")
    submit(agencies)
    (correction,) = read_corrections(app_store())
    assert said(agencies) == [f"已更正（{correction.id}）：{XIANTAO} （一） 强化规划引领: 牵头: 仙桃市经信局"]
    assert matrix_column(agencies, "（一）") == {"仙桃市科技局": "R", "仙桃市经信局": "L✎"}
    assert units_of_xiantao_1() == [[1, "仙桃市经信局", "LEADS", "corrected"],
                                    [2, "仙桃市科技局", "RESPONSIBLE_FOR", None]]
    assert any("`✎`" in markdown.value for markdown in agencies.markdown), "the legend explains the mark"
    agencies.checkbox(key="agencies-corrected").check().run()
    frame = matrix_frame(agencies)
    assert frame[["agency", "（一）"]].values.tolist() == [["仙桃市经信局", "L✎"], ["参与单位数", "1"]]
    assert list(frame.columns) == ["agency", "type", "member_of", "led", "shared", "total", "（一）"]


def test_only_corrected_roles_with_none_corrected_says_so(agencies):
    agencies.checkbox(key="agencies-corrected").check().run()
    assert [info.value for info in agencies.info] == ["符合筛选条件的行动中没有人工更正的分工。"]


def test_merging_an_agency_moves_its_roles_and_keeps_its_name_as_an_alias(profile):
    before = roles_of("仙桃高新区")
    assert before and {row[2] for row in before} == {None}
    open_editor(profile.selectbox(key="agencies-profile").set_value("仙桃高新区"))
    profile.selectbox(key="agencies-merge-into").set_value("仙桃市高新技术产业开发区")
    profile.text_input(key="agencies-merge-why").input("one zone, two names")
    profile.text_input(key="agencies-merge-who").input("ann")
    submit(profile, "合并")
    (correction,) = read_corrections(app_store())
    assert said(profile) == [f"已更正（{correction.id}）：仙桃高新区 → 高新技术产业开发区"]
    assert agency_facts("仙桃高新区") == []
    assert agency_facts("仙桃市高新技术产业开发区") == [["高新技术产业开发区", ["仙桃高新区", "高新技术产业开发区"],
                                                      correction.id]]
    moved = roles_of("仙桃市高新技术产业开发区")
    assert [row[:2] for row in before] == [row[:2] for row in moved if row[2] == correction.id]
    # the profile now shows the agency kept, with the other name among its forms
    assert profile.selectbox(key="agencies-profile").value == "仙桃市高新技术产业开发区"
    facts = dict(next(f.value for f in profile.dataframe if list(f.value.columns) == ["项目", "内容"]).values.tolist())
    assert facts["文件中的写法"] == "仙桃高新区、高新技术产业开发区"


def test_renaming_an_agency_keeps_the_old_name_as_an_alias(profile):
    open_editor(profile.selectbox(key="agencies-profile").set_value("仙桃市城发投集团"))
    profile.text_input(key="agencies-rename-name").input("仙桃市城市发展投资集团")
    profile.text_input(key="agencies-rename-why").input("its registered name")
    submit(profile, "更名")
    (correction,) = read_corrections(app_store())
    assert said(profile) == [f"已更正（{correction.id}）：仙桃市城发投集团 → 仙桃市城市发展投资集团"]
    assert agency_facts("仙桃市城发投集团") == [["仙桃市城市发展投资集团", ["仙桃市城发投集团", "市城发投集团"],
                                              correction.id]]
    history = next(frame.value for frame in profile.dataframe if "更正人" in frame.value.columns)
    assert history[["更正内容", "理由", "状态"]].values.tolist() == [
        ["仙桃市城发投集团 → 仙桃市城市发展投资集团", "its registered name", "有效"]]


def test_a_merge_into_nothing_says_one_line_and_changes_nothing(profile):
    open_editor(profile.selectbox(key="agencies-profile").set_value("仙桃高新区"))
    profile.text_input(key="agencies-merge-why").input("one zone")
    submit(profile, "合并")
    assert said(profile) == ["未能更正，图谱未改变：合并：请指定保留的机构"]
    assert agency_facts("仙桃高新区") == [["仙桃高新区", ["仙桃高新区"], None]]
    assert read_corrections(app_store()) == []


# --------------------------------------------------------------------------------------------- documents page

EZHOU_ID = "5ebd749b5b99f815"


@pytest.fixture
def documents(store_path) -> AppTest:
    at = open_page("documents")
    at.selectbox(key="documents-edit").set_value(EZHOU_ID).run()
    assert not at.exception, at.exception
    return at


def document_facts(doc_id: str) -> list[list]:
    return [list(row) for row in app_store().read_all(
        "MATCH (d:Document) WHERE d.id = $id RETURN d.title, d.city, d.province, d.level, d.correction",
        {"id": doc_id})]


def listed(at: AppTest) -> list[list]:
    return at.dataframe[0].value.values.tolist()


def test_setting_a_plans_title_is_shown_in_the_list_and_kept_on_the_document(documents):
    assert document_facts(EZHOU_ID) == [[None, "鄂州市", "湖北省", "city", None]]
    documents.text_input(key=f"documents-edit-title-{EZHOU_ID}-value").input("鄂州市人工智能产业发展行动方案")
    documents.text_input(key="documents-edit-title-why").input("the title is on the cover page")
    submit(documents, "更正标题")
    (correction,) = read_corrections(app_store())
    assert said(documents) == [f"已更正（{correction.id}）：ezhou-ai-action-plan.txt: "
                               "标题=鄂州市人工智能产业发展行动方案"]
    assert document_facts(EZHOU_ID) == [["鄂州市人工智能产业发展行动方案", "鄂州市", "湖北省", "city", correction.id]]
    assert [row[:2] for row in listed(documents)] == [
        ["ezhou-ai-action-plan.txt", "鄂州市人工智能产业发展行动方案"],
        [XIANTAO, "仙桃市人工智能产业发展三年行动方案(2025—2027年)"]]


def test_setting_a_plans_government_moves_its_units_to_that_city(documents):
    documents.text_input(key=f"documents-edit-government-{EZHOU_ID}-city").input("黄石市")
    documents.text_input(key="documents-edit-government-why").input("a copy of the 黄石 plan")
    submit(documents, "更正所属政府")
    (correction,) = read_corrections(app_store())
    assert said(documents) == [f"已更正（{correction.id}）：ezhou-ai-action-plan.txt: 城市=黄石市, 省份=湖北省, "
                               "层级=city"]
    assert document_facts(EZHOU_ID) == [[None, "黄石市", "湖北省", "city", correction.id]]
    result = run_named(app_store(), "agencies-of-action", {"action": "4.", "document": "ezhou-ai-action-plan.txt"})
    assert [(row[0], row[4], row[5]) for row in result.rows if not row[8]] == [
        ("黄石市", "黄石市科技局", "LEADS"), ("黄石市", "黄石市经信局", "RESPONSIBLE_FOR"),
        ("黄石市", "黄石市发改委", "RESPONSIBLE_FOR"), ("黄石市", "黄石市各区人民政府", "RESPONSIBLE_FOR")]


def test_an_unchanged_government_is_refused_in_one_line(documents):
    documents.text_input(key="documents-edit-government-why").input("checking")
    submit(documents, "更正所属政府")
    assert said(documents) == ["没有改动：请先修改要更正的内容。"]
    assert read_corrections(app_store()) == []


def test_removing_a_plan_asks_first_then_removes_it_and_undo_brings_it_back(documents):
    assert not [button for button in documents.button if button.label == "确认移除"]
    documents.button(key="documents-edit-remove-ask").click().run()
    assert [plain(w.value) for w in documents.warning] == [
        "将移除 ezhou-ai-action-plan.txt 及仅来自该文件的全部内容（行动、目标、仅由它提到的单位和实体）。"
        "可在更正记录中撤销。"]
    submit(documents, "确认移除")  # without saying why: refused, nothing removed
    assert said(documents) == [f"未能更正，图谱未改变：{NO_WHY}"]
    assert len(listed(documents)) == 2
    documents.text_input(key="documents-edit-remove-why").input("loaded by mistake")
    submit(documents, "确认移除")
    (correction,) = read_corrections(app_store())
    assert said(documents) == [f"已更正（{correction.id}）：ezhou-ai-action-plan.txt: 已移除"]
    assert [row[0] for row in listed(documents)] == [XIANTAO]
    assert document_facts(EZHOU_ID) == []
    assert app_store().read_all("MATCH (x:Action) WHERE x.doc_id = $id RETURN count(x)", {"id": EZHOU_ID}) == [[0]]
    assert documents.selectbox(key="documents-edit").value is None
    removed = next(frame.value for frame in documents.dataframe if "更正人" in frame.value.columns)
    assert removed[["更正内容", "理由", "状态"]].values.tolist() == [
        ["ezhou-ai-action-plan.txt: 已移除", "loaded by mistake", "有效"]]
    submit(documents, "撤销")
    assert said(documents) == [f"已撤销（{correction.id}）：ezhou-ai-action-plan.txt: 已移除"]
    assert [row[0] for row in listed(documents)] == ["ezhou-ai-action-plan.txt", XIANTAO]
    assert app_store().read_all("MATCH (x:Action) WHERE x.doc_id = $id RETURN count(x)", {"id": EZHOU_ID}) == [[22]]
