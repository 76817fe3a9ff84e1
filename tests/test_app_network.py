"""The Network page in Streamlit's AppTest: filters, counts, the drawing's data, clicks in it, details,
sources, the document reader, links, downloads, languages, safety.

Each test starts the app on a fresh embedded store (the app loads the two bundled plans on first start),
with Streamlit's caches cleared so no store or drawing from another test is reused. AppTest runs no
JavaScript: the drawing (explorer.components.network_view) is read as the arguments the page gives it,
and a click in it is the value its frontend would send (:func:`click`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.records import document_records
from loaders import extract_text
from tests.apptest import APP, BOLD, IMG, LINK, SCRIPT, click, drawing, metrics, open_page, store_holding

PAGE = "explorer/pages/network.py"
EZHOU_KJ = "鄂州市科技局"
EZHOU_DOC = "5ebd749b5b99f815"
EZHOU_A002 = f"{EZHOU_DOC}-a002"  # 2. 发挥核心区引领带动, led by 鄂州市科技局 (first listed)

EVIL_PLAN = f"""{SCRIPT}人工智能{IMG}行动方案
为推进{BOLD} {LINK}发展，制定本方案。
一、重点任务
1.建设{SCRIPT}产业园。支持{IMG}研究院建设，到2027年建成{BOLD}数据中心。（牵头单位：市{SCRIPT}局；责任单位：市科技局、{LINK}办公室）
2.推进{BOLD} {LINK}应用。在<b>高新区</b>建设智算中心。（责任单位：市{IMG}局、市经信局）
"""


@pytest.fixture
def network(store_path) -> AppTest:
    return open_page(PAGE)


def html_bodies(at: AppTest) -> list[str]:
    """The page's own HTML (sources and quotes), not the app's language style sheet (app.py)."""
    return [element.proto.body for element in at.get("html") if 'class="pk-' in element.proto.body]


def texts(at: AppTest) -> list[str]:
    return [element.value for element in at.text]


# --------------------------------------------------------------------------------------------- views

def test_default_view_shows_160_nodes_and_243_relationships_of_both_plans(network):
    assert metrics(network) == {"节点": "160", "关系": "243"}
    assert network.title[0].value == "网络图"
    assert network.multiselect(key="net-labels").value == ["Agency", "Action", "District", "Park", "Platform"]
    assert network.multiselect(key="net-roles").value == ["lead", "responsible", "support"]
    drawn = drawing(network)
    assert drawn["data"]["counts"] == {"nodes": 160, "edges": 243}
    assert len(drawn["data"]["nodes"]) == 160 and len(drawn["data"]["edges"]) == 243
    assert (drawn["lang"], drawn["height"], drawn["data"]["highlight"]) == ("zh", 680, None)
    assert drawn["words"]["fit"] == "适应窗口"
    assert sum(node["hub"] for node in drawn["data"]["nodes"]) == 15
    assert network.selectbox(key="net-centre").value is None


def test_a_view_too_large_to_draw_draws_its_most_connected_nodes_and_says_what_was_left_out(network, monkeypatch):
    import views.network

    monkeypatch.setattr(views.network, "DRAW_LIMIT", 40)
    network.run()
    assert metrics(network) == {"节点": "160", "关系": "243"}  # the view's, not the drawing's
    drawn = drawing(network)["data"]
    assert len(drawn["nodes"]) == 40
    left_edges = 243 - len(drawn["edges"])
    assert [w.value for w in network.warning] == [
        f"节点太多，未全部绘出：只画了联系最多的 40 个节点（共 160 个），另有 120 个节点、{left_edges} 条关系未画出。"
        "可按城市、文件或类型缩小范围，或以某个节点为中心查看；JSON 下载包含全部。"]
    assert EZHOU_KJ in {node["id"] for node in drawn["nodes"]}  # a hub: among the most connected
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()  # 11 nodes: drawn whole, nothing said
    assert len(drawing(network)["data"]["nodes"]) == 11 and not network.warning


def test_centring_on_ezhou_science_bureau_shows_it_and_its_10_actions(network):
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    assert not network.exception
    assert metrics(network) == {"节点": "11", "关系": "10"}
    assert drawing(network)["data"]["counts"] == {"nodes": 11, "edges": 10}
    assert drawing(network)["data"]["highlight"] == EZHOU_KJ
    network.slider(key="net-depth").set_value(2).run()
    assert metrics(network) == {"节点": "29", "关系": "49"}


def test_details_panel_shows_properties_relationships_and_the_marked_notes(network):
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    assert network.selectbox(key="net-detail").value == EZHOU_KJ
    properties, relationships = (frame.value for frame in network.dataframe)
    assert dict(zip(properties["属性"], properties["值"], strict=True)) == {
        "类型": "机构", "编号": EZHOU_KJ, "别名": "市科技局", "城市": "鄂州市", "集体单位": "否", "类别": "科技局",
        "名称": EZHOU_KJ, "单位类型": "政府部门"}
    assert len(relationships) == 11
    assert relationships["关系"].value_counts().to_dict() == {"牵头": 5, "负责": 5, "属于类别": 1}
    assert set(relationships["牵头依据"]) == {"列第一位（推定）", ""}
    assert "来自集体单位" not in relationships.columns  # no unit of this agency came from a collective
    assert relationships.iloc[0].tolist()[:4] == ["→ 指向", "牵头", "2. 发挥核心区引领带动", "行动"]
    (sources,) = html_bodies(network)
    assert sources.count("<mark>市科技局</mark>") == 10
    assert "1. 优化空间发展布局 · 负责" in sources and "2. 发挥核心区引领带动 · 牵头" in sources
    # another node of the view: an action, whose note units and mentioned places are marked
    action = "5ebd749b5b99f815-a001"
    network.selectbox(key="net-detail").set_value(action).run()
    sources, edit = html_bodies(network)  # an action's details: its sources, and its edit's sentence
    assert edit in sources  # the same sentence, marked the same
    assert "<mark>莲花山人工智能产业基地</mark>" in sources and "<mark>市发改委</mark>" in sources
    assert "&lt;含葛店经开区" in sources  # the note's own angle brackets, escaped


def test_search_keji_finds_both_science_bureaus_and_choosing_one_centres_on_it(network):
    network.text_input(key="net-search").input("科技").run()
    matches = network.selectbox(key="net-pick")
    assert matches.options[:3] == ["科技局 · 机构类别", "仙桃市科技局 · 机构", "鄂州市科技局 · 机构"]
    matches.set_value("仙桃市科技局").run()
    assert not network.exception
    assert network.selectbox(key="net-centre").value == "仙桃市科技局"
    assert metrics(network) == {"节点": "15", "关系": "14"}  # 7 led, 7 responsible
    network.text_input(key="net-search").input("不存在的名称").run()
    assert any("不存在的名称" in caption.value for caption in network.sidebar.caption)


def test_role_city_and_type_filters_change_the_counts(network):
    network.multiselect(key="net-roles").set_value(["lead"]).run()
    assert metrics(network) == {"节点": "118", "关系": "104"}
    network.multiselect(key="net-roles").set_value(["lead", "responsible", "support"]).run()
    network.multiselect(key="net-cities").set_value(["仙桃市"]).run()
    assert metrics(network) == {"节点": "86", "关系": "119"}
    network.checkbox(key="net-expand").check().run()
    assert metrics(network) == {"节点": "86", "关系": "179"}
    network.multiselect(key="net-cities").set_value([]).run()
    network.multiselect(key="net-labels").set_value([]).run()
    assert metrics(network) == {"节点": "0", "关系": "0"}
    assert network.info and not network.get("component_instance")


def test_english_switch_changes_the_words(network):
    network.sidebar.radio[0].set_value("en").run()
    assert not network.exception
    assert network.title[0].value == "Network"
    assert metrics(network) == {"Nodes": "160", "Relationships": "243"}
    assert network.multiselect(key="net-labels").label == "Node types"
    assert "Agency" in network.multiselect(key="net-labels").options
    drawn = drawing(network)
    assert (drawn["lang"], drawn["words"]["fit"]) == ("en", "Fit to view")
    assert {node["title"].split("\n")[0] for node in drawn["data"]["nodes"]} == {
        "Agency", "Action", "District", "Park", "Platform"}
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    tooltip = next(node["title"] for node in drawing(network)["data"]["nodes"] if node["id"] == EZHOU_KJ)
    assert tooltip.split("\n") == ["Agency", EZHOU_KJ, "Kind: 科技局", "City: 鄂州市", "leads 5 · responsible for 5"]
    properties = network.dataframe[0].value
    assert dict(zip(properties["Property"], properties["Value"], strict=True)) == {
        "Type": "Agency", "Id": EZHOU_KJ, "Also called": "市科技局", "City": "鄂州市", "Collective unit": "no",
        "Kind": "科技局", "Name": EZHOU_KJ, "Unit type": "Government agency"}
    relationships = network.dataframe[1].value
    assert list(relationships.columns)[:3] == ["Direction", "Relationship", "Other node"]
    assert set(relationships["Relationship"]) == {"leads", "responsible for", "of kind"}
    network.sidebar.radio[0].set_value("zh").run()
    assert network.title[0].value == "网络图"


def test_switching_language_keeps_the_centre_the_types_and_the_roles(network):
    # Streamlit matches a choice by its displayed words; the page keeps the choices themselves
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    network.multiselect(key="net-roles").set_value(["lead"]).run()
    network.multiselect(key="net-labels").set_value(["Agency", "Action", "AgencyKind"]).run()
    assert metrics(network) == {"节点": "7", "关系": "6"}  # 5 led actions and the kind
    for language, words in (("en", ("Nodes", "Relationships")), ("zh", ("节点", "关系")),
                            ("en", ("Nodes", "Relationships"))):
        network.sidebar.radio[0].set_value(language).run()
        assert not network.exception
        assert metrics(network) == {words[0]: "7", words[1]: "6"}, language
        assert network.selectbox(key="net-centre").value == EZHOU_KJ
        assert network.multiselect(key="net-roles").value == ["lead"]
        assert network.multiselect(key="net-labels").value == ["Agency", "Action", "AgencyKind"]
        assert network.selectbox(key="net-detail").value == EZHOU_KJ


def test_downloads_hold_the_shown_subgraph_as_html_and_json(network, downloads):
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    labels = [button.label for button in network.get("download_button")]
    assert labels == ["下载 HTML（交互网络图）", "下载 JSON（节点与关系）"]
    page = downloads["policykg-network.html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "节点 11 · 关系 10" in page and EZHOU_KJ in page
    exported = json.loads(downloads["policykg-network.json"])
    assert len(exported["nodes"]) == 11 and len(exported["relationships"]) == 10
    assert {r["start"] for r in exported["relationships"]} == {EZHOU_KJ}


# --------------------------------------------------------------------------------------------- clicks

def test_clicking_a_node_shows_it_with_its_source_sentences(network):
    click(network, {"event": "select", "node": EZHOU_KJ, "at": 1})
    assert not network.exception
    assert network.selectbox(key="net-detail").value == EZHOU_KJ
    assert network.selectbox(key="net-centre").value is None  # a click does not change the view
    assert metrics(network) == {"节点": "160", "关系": "243"}
    (sources,) = html_bodies(network)
    assert sources.count("<mark>市科技局</mark>") == 10
    assert "2. 发挥核心区引领带动 · 牵头" in sources
    click(network, {"event": "select", "node": EZHOU_A002, "at": 2})
    assert network.selectbox(key="net-detail").value == EZHOU_A002
    assert "2. 发挥核心区引领带动" in html_bodies(network)[0]


def test_clicking_a_relationship_shows_its_ends_type_basis_and_the_sentence_it_was_read_from(network):
    click(network, {"event": "select", "edge": [EZHOU_KJ, EZHOU_A002, "LEADS"], "at": 1})
    assert not network.exception
    assert "鄂州市科技局（机构）→ 2. 发挥核心区引领带动（行动）" in texts(network)
    facts = network.dataframe[0].value
    assert dict(zip(facts["属性"], facts["值"], strict=True)) == {
        "关系": "牵头", "牵头依据": "列第一位（推定）", "排序": "1", "原文写法": "市科技局"}
    quote = html_bodies(network)[0]
    assert "（责任单位：<mark>市科技局</mark>，各区人民政府）" in quote and "2. 发挥核心区引领带动 · 牵头" in quote
    network.button(key="net-edge-end").click().run()  # from the relationship to the action it is on
    assert network.selectbox(key="net-detail").value == EZHOU_A002
    assert "鄂州市科技局（机构）→ 2. 发挥核心区引领带动（行动）" not in texts(network)


def test_a_relationship_no_longer_drawn_is_not_shown(network):
    click(network, {"event": "select", "edge": [EZHOU_KJ, EZHOU_A002, "LEADS"], "at": 1})
    network.multiselect(key="net-roles").set_value(["responsible"]).run()
    assert not any("→" in text for text in texts(network))


def test_double_clicking_a_node_centres_the_view_on_it(network):
    click(network, {"event": "centre", "node": EZHOU_KJ, "at": 1})
    assert not network.exception
    assert network.selectbox(key="net-centre").value == EZHOU_KJ
    assert network.selectbox(key="net-detail").value == EZHOU_KJ
    assert metrics(network) == {"节点": "11", "关系": "10"}
    assert drawing(network)["data"]["highlight"] == EZHOU_KJ
    click(network, {"event": "centre", "node": EZHOU_A002, "at": 2})  # an action, not a usual centre
    assert network.selectbox(key="net-centre").value == EZHOU_A002
    assert network.selectbox(key="net-centre").options[0] == "2. 发挥核心区引领带动 · 行动"
    assert metrics(network) == {"节点": "4", "关系": "3"}
    assert sorted(node["id"] for node in drawing(network)["data"]["nodes"]) == [  # its units, the platform it names
        EZHOU_A002, "鄂州市/莲花山人工智能研究院", "鄂州市各区人民政府", EZHOU_KJ]


def test_the_drawing_is_given_new_data_only_when_the_view_changes(network):
    first = drawing(network)["digest"]
    click(network, {"event": "select", "node": EZHOU_KJ, "at": 1})
    network.selectbox(key="net-detail").set_value(EZHOU_A002).run()
    assert drawing(network)["digest"] == first  # details change, the drawing does not
    network.multiselect(key="net-roles").set_value(["lead"]).run()
    changed = drawing(network)["digest"]
    assert changed != first
    network.multiselect(key="net-roles").set_value(["lead", "responsible", "support"]).run()
    assert drawing(network)["digest"] == first


def test_an_action_opens_in_the_document_reader(network):
    network.selectbox(key="net-detail").set_value(EZHOU_A002).run()
    button = network.button(key="net-open-reader")
    assert button.label == "在文件阅读器中打开"
    button.click().run()
    assert network.session_state["doc-open:kept"] == EZHOU_DOC
    assert network.session_state["doc-action:kept"] == EZHOU_A002
    assert network.title[0].value != "网络图"  # the Documents page
    network.switch_page(PAGE).run()
    network.selectbox(key="net-detail").set_value(EZHOU_KJ).run()
    assert not [b for b in network.button if b.key == "net-open-reader"]  # only an action has one


# --------------------------------------------------------------------------------------------- links

def test_the_view_is_in_the_link(network):
    network.multiselect(key="net-cities").set_value(["鄂州市"]).run()
    network.checkbox(key="net-expand").check().run()
    network.text_input(key="net-search").input("科技").run()
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    network.slider(key="net-depth").set_value(2).run()
    network.selectbox(key="net-detail").set_value(EZHOU_A002).run()
    params = {key: network.query_params[key] for key in network.query_params if key.startswith("net-")}
    assert params == {"net-cities": "鄂州市", "net-expand": "1", "net-search": "科技", "net-centre": EZHOU_KJ,
                      "net-depth": "2", "net-detail": EZHOU_A002}


def test_a_link_opened_in_a_fresh_session_shows_the_same_view(store_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"net-cities": "鄂州市", "net-roles": "lead", "net-centre": EZHOU_KJ,
                            "net-depth": "2", "net-detail": EZHOU_A002, "net-labels": ["Agency", "Action"]})
    at.run()
    assert not at.exception
    assert at.multiselect(key="net-cities").value == ["鄂州市"]
    assert at.multiselect(key="net-roles").value == ["lead"]
    assert at.selectbox(key="net-centre").value == EZHOU_KJ
    assert at.slider(key="net-depth").value == 2
    assert at.selectbox(key="net-detail").value == EZHOU_A002
    assert drawing(at)["data"]["highlight"] == EZHOU_KJ
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.query_params.update({"net-centre": "no such node", "net-detail": "nor this"})
    fresh.run()
    assert not fresh.exception
    assert fresh.selectbox(key="net-centre").value is None and fresh.selectbox(key="net-detail").value is None


# --------------------------------------------------------------------------------------------- safety

def assert_inert(at: AppTest) -> None:
    """Document text shows only as text: nothing that renders markdown or HTML carries it unescaped."""
    markdown_like = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.info, *at.warning,
                     *at.error, *at.success, *at.toast]
    for element in markdown_like:
        for payload in (SCRIPT, IMG, BOLD, LINK, "alert(1)"):
            assert payload not in element.value, (element.type, element.value)
    for expander in at.expander:  # an expander's label is markdown: the action edit's names none of the document
        assert "alert" not in expander.label and "**" not in expander.label, expander.label
    for metric in at.metric:  # metric values render markdown too
        assert "alert" not in metric.value and "**" not in metric.value and "](" not in metric.value
    for body in html_bodies(at):
        assert "<script" not in body and "<img" not in body and "<b>" not in body, body
    for component in at.get("component_instance"):  # the drawing's one piece of HTML, its legend, is escaped
        legend = json.loads(component.proto.json_args)["data"]["legend"]
        assert SCRIPT not in legend and IMG not in legend and "<b>" not in legend, legend
    for button in at.button:  # a button's label is markdown too (a relationship's ends)
        assert "alert" not in button.label and "**" not in button.label, button.label
    assert not at.exception


@pytest.fixture
def evil_store(store_path) -> Path:
    """A store holding only a plan whose names, units and title carry HTML and markdown."""
    return store_holding(store_path, EVIL_PLAN, f"{IMG}.txt")


def test_a_malicious_document_stays_inert_on_the_network_page(evil_store, downloads):
    at = open_page(PAGE)
    assert metrics(at) == {"节点": "8", "关系": "6"}  # 2 actions, 5 units, 1 platform
    assert_inert(at)
    evil_unit = f"市{SCRIPT}局"
    titles = [node["title"] for node in drawing(at)["data"]["nodes"]]  # tooltips: text, shown with innerText
    assert any(title.split("\n")[1] == evil_unit for title in titles)
    # The plan names no government: its units belong to the document alone (records.agency_id).
    records = document_records(extract_text(EVIL_PLAN, f"{IMG}.txt"))
    evil_id = next(row["id"] for row in records.nodes["Agency"] if row["name"] == evil_unit)
    assert f"{evil_unit} · 机构" in at.selectbox(key="net-centre").options  # plain-text options
    assert at.multiselect(key="net-docs").options == [f"{IMG}.txt"]
    at.selectbox(key="net-centre").set_value(evil_id).run()
    assert_inert(at)
    assert at.selectbox(key="net-detail").value == evil_id
    properties = at.dataframe[0].value
    assert evil_unit in set(properties.iloc[:, 1])  # shown, as plain text
    (sources,) = html_bodies(at)
    assert "<mark>市&lt;script&gt;alert(1)&lt;/script&gt;局</mark>" in sources
    details = at.selectbox(key="net-detail")
    details.select_index(next(i for i, option in enumerate(details.options) if option.startswith("1. 建设"))).run()
    assert_inert(at)
    sources, edit = html_bodies(at)  # an action's details: its sources, and its edit's sentence
    assert edit in sources  # the same sentence, marked the same
    assert "建设&lt;script&gt;alert(1)&lt;/script&gt;产业园" in sources
    assert "&lt;img src=x onerror=alert(1)&gt;研究院" in sources
    at.text_input(key="net-search").input("link").run()
    assert_inert(at)
    link_id = next(row["id"] for row in records.nodes["Agency"] if row["name"] == f"{LINK}办公室")
    at.selectbox(key="net-pick").set_value(link_id).run()
    assert_inert(at)
    exported = downloads["policykg-network.html"].decode("utf-8")
    assert SCRIPT not in exported and IMG not in exported
