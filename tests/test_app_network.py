"""The Network page in Streamlit's AppTest: filters, counts, details, sources, downloads, languages, safety.

Each test starts the app on a fresh embedded store (the app loads the two bundled plans on first start),
with Streamlit's caches cleared so no store or drawing from another test is reused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.records import document_records
from loaders import extract_text
from tests.apptest import BOLD, IMG, LINK, SCRIPT, open_page, store_holding

PAGE = "explorer/pages/network.py"
EZHOU_KJ = "鄂州市科技局"

EVIL_PLAN = f"""{SCRIPT}人工智能{IMG}行动方案
为推进{BOLD} {LINK}发展，制定本方案。
一、重点任务
1.建设{SCRIPT}产业园。支持{IMG}研究院建设，到2027年建成{BOLD}数据中心。（牵头单位：市{SCRIPT}局；责任单位：市科技局、{LINK}办公室）
2.推进{BOLD} {LINK}应用。在<b>高新区</b>建设智算中心。（责任单位：市{IMG}局、市经信局）
"""


@pytest.fixture
def network(store_path) -> AppTest:
    return open_page(PAGE)


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def drawn_page(at: AppTest) -> str:
    """The HTML handed to components.html (the vis-network page in its iframe)."""
    (frame,) = at.get("iframe")
    return frame.proto.srcdoc


def html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


# --------------------------------------------------------------------------------------------- views

def test_default_view_shows_160_nodes_and_243_relationships_of_both_plans(network):
    assert metrics(network) == {"节点": "160", "关系": "243"}
    assert network.title[0].value == "网络图"
    assert network.multiselect(key="net-labels").value == ["Agency", "Action", "District", "Park", "Platform"]
    assert network.multiselect(key="net-roles").value == ["lead", "responsible", "support"]
    page = drawn_page(network)
    assert page.startswith("<!DOCTYPE html>") and "节点 160 · 关系 243" in page
    assert network.selectbox(key="net-centre").value is None


def test_centring_on_ezhou_science_bureau_shows_it_and_its_10_actions(network):
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    assert not network.exception
    assert metrics(network) == {"节点": "11", "关系": "10"}
    assert "节点 11 · 关系 10" in drawn_page(network)
    assert f'"highlight":"{EZHOU_KJ}"' in drawn_page(network)
    network.slider(key="net-depth").set_value(2).run()
    assert metrics(network) == {"节点": "29", "关系": "49"}


def test_details_panel_shows_properties_relationships_and_the_marked_notes(network):
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    assert network.selectbox(key=f"net-detail-{EZHOU_KJ}").value == EZHOU_KJ
    properties, relationships = (frame.value for frame in network.dataframe)
    assert dict(zip(properties["属性"], properties["值"], strict=True))["kind"] == "科技局"
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
    network.selectbox(key=f"net-detail-{EZHOU_KJ}").set_value(action).run()
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
    assert network.info and not network.get("iframe")


def test_english_switch_changes_the_words(network):
    network.sidebar.radio[0].set_value("en").run()
    assert not network.exception
    assert network.title[0].value == "Network"
    assert metrics(network) == {"Nodes": "160", "Relationships": "243"}
    assert network.multiselect(key="net-labels").label == "Node types"
    assert "Agency" in network.multiselect(key="net-labels").options
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
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
        assert network.selectbox(key=f"net-detail-{EZHOU_KJ}").value == EZHOU_KJ


def test_downloads_hold_the_shown_subgraph_as_html_and_json(network, downloads):
    network.selectbox(key="net-centre").set_value(EZHOU_KJ).run()
    labels = [button.label for button in network.get("download_button")]
    assert labels == ["下载 HTML（交互网络图）", "下载 JSON（节点与关系）"]
    page = downloads["policykg-network.html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "节点 11 · 关系 10" in page and EZHOU_KJ in page
    exported = json.loads(downloads["policykg-network.json"])
    assert len(exported["nodes"]) == 11 and len(exported["relationships"]) == 10
    assert {r["start"] for r in exported["relationships"]} == {EZHOU_KJ}


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
    for frame in at.get("iframe"):
        page = frame.proto.srcdoc
        assert SCRIPT not in page and IMG not in page and "<script>alert" not in page and "<b>高新区" not in page
    assert not at.exception


@pytest.fixture
def evil_store(store_path) -> Path:
    """A store holding only a plan whose names, units and title carry HTML and markdown."""
    return store_holding(store_path, EVIL_PLAN, f"{IMG}.txt")


def test_a_malicious_document_stays_inert_on_the_network_page(evil_store, downloads):
    at = open_page(PAGE)
    assert metrics(at) == {"节点": "8", "关系": "6"}  # 2 actions, 5 units, 1 platform
    assert_inert(at)
    page = drawn_page(at)
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # in the data, as escaped JSON
    evil_unit = f"市{SCRIPT}局"
    # The plan names no government: its units belong to the document alone (records.agency_id).
    records = document_records(extract_text(EVIL_PLAN, f"{IMG}.txt"))
    evil_id = next(row["id"] for row in records.nodes["Agency"] if row["name"] == evil_unit)
    assert f"{evil_unit} · 机构" in at.selectbox(key="net-centre").options  # plain-text options
    assert at.multiselect(key="net-docs").options == [f"{IMG}.txt"]
    at.selectbox(key="net-centre").set_value(evil_id).run()
    assert_inert(at)
    assert at.selectbox(key=f"net-detail-{evil_id}").value == evil_id
    properties = at.dataframe[0].value
    assert evil_unit in set(properties.iloc[:, 1])  # shown, as plain text
    (sources,) = html_bodies(at)
    assert "<mark>市&lt;script&gt;alert(1)&lt;/script&gt;局</mark>" in sources
    details = at.selectbox(key=f"net-detail-{evil_id}")
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
