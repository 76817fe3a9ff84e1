"""The explorer on a corpus larger than a page reads at once (explorer.state.PAGE_PLANS), in AppTest.

The limit is lowered to one plan, so the two bundled plans are "a large corpus": no page may read the
whole graph (a spy on GraphStore.to_networkx fails the test if one does); a page with no city chosen
says how many plans that would be, or (the Network page) shows the overview of cities; a page with a
city chosen reads only that city's part and shows exactly what it shows when the corpus is read whole.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import explorer.state
from graph.store import GraphStore
from tests.apptest import clear_caches, click, drawing, metrics, open_page

EZHOU_DOC = "5ebd749b5b99f815"


@pytest.fixture
def reads(monkeypatch) -> list:
    """Every to_networkx call the app makes: the plans it asked for (None: the whole graph)."""
    calls = []
    original = GraphStore.to_networkx

    def spy(self, documents=None):
        calls.append(None if documents is None else sorted(documents))
        return original(self, documents)

    monkeypatch.setattr(GraphStore, "to_networkx", spy)
    return calls


@pytest.fixture
def large(store_path, reads, monkeypatch) -> list:
    """The bundled plans, with a page reading at most one plan at once."""
    monkeypatch.setattr(explorer.state, "PAGE_PLANS", 1)
    return reads


def choose(at: AppTest, key: str, value) -> AppTest:
    at.multiselect(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def test_the_network_page_opens_on_the_cities_around_their_provinces(large):
    at = open_page("network")
    assert [i.value for i in at.info] == [
        "共 2 份行动方案、2 个城市，无法逐个节点绘制：下图按省份列出城市，圆点大小表示行动数量。"
        "点击城市，或在侧栏选择城市或文件，即可查看其网络。"]
    nodes = {node["id"]: node for node in drawing(at)["data"]["nodes"]}
    assert sorted(nodes) == ["province:湖北省", "仙桃市", "鄂州市"]
    assert nodes["仙桃市"]["size"] > nodes["鄂州市"]["size"]  # 25 actions against 22
    table = at.dataframe[0].value
    assert table.values.tolist() == [["仙桃市", "湖北省", 1, 25, 40], ["鄂州市", "湖北省", 1, 22, 29]]
    assert None not in large and large == [], "the overview reads no graph at all"


def test_a_click_on_a_city_in_the_overview_opens_its_network_read_alone(large, monkeypatch):
    at = open_page("network")
    click(at, {"event": "select", "node": "鄂州市"})
    assert not at.exception, at.exception
    assert at.multiselect(key="net-cities").value == ["鄂州市"]
    assert large == [[EZHOU_DOC]]
    shown = metrics(at)
    clear_caches()
    monkeypatch.setattr(explorer.state, "PAGE_PLANS", 250)  # the same view of the corpus read whole
    whole = choose(open_page("network"), "net-cities", ["鄂州市"])
    assert metrics(whole) == shown and shown["节点"] != "0"
    assert large[-1] is None


def test_a_page_with_no_city_chosen_says_how_many_plans_it_would_read(large):
    for page in ("agencies", "targets"):
        at = open_page(page)
        assert [i.value for i in at.info] == [
            "所选范围含 2 份行动方案，一个页面一次最多读取 1 份：请选择城市或文件以缩小范围"
            "（上限可由 POLICYKG_PAGE_PLANS 调整）"], page
    assert None not in large


def test_the_agencies_matrix_of_a_city_is_the_same_read_alone_or_from_the_whole_graph(large, monkeypatch):
    at = choose(open_page("agencies"), "agencies-cities", ["仙桃市"])
    part = at.dataframe[0].value
    assert None not in large and large[-1] == [row["id"] for row in explorer.state.document_index()
                                               if row["city"] == "仙桃市"]
    clear_caches()
    monkeypatch.setattr(explorer.state, "PAGE_PLANS", 250)
    whole = choose(open_page("agencies"), "agencies-cities", ["仙桃市"]).dataframe[0].value
    assert part.shape == whole.shape == (41, 6 + 25)
    assert part.equals(whole)


def test_the_reader_and_the_targets_read_one_plan_or_one_city(large):
    at = open_page("documents")
    assert not at.exception and at.selectbox(key="doc-open").value is not None
    assert large and all(call is not None and len(call) == 1 for call in large)
    targets = choose(open_page("targets"), "targets-cities", ["鄂州市"])
    assert {m.label: m.value for m in targets.metric}["目标"] == "6"
    assert None not in large


def test_the_reader_of_a_large_corpus_lists_one_citys_plans_and_follows_the_action_of_a_link(large):
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP

    at = open_page("documents")
    city = at.selectbox(key="doc-city")
    assert city.options == ["仙桃市", "鄂州市"] and city.value == "仙桃市"
    assert at.selectbox(key="doc-open").options == ["仙桃市人工智能产业发展三年行动方案(2025—2027年)"]
    city.set_value("鄂州市").run()
    assert not at.exception
    assert at.selectbox(key="doc-open").value == EZHOU_DOC
    linked = AppTest.from_file(APP, default_timeout=60)
    linked.query_params.update({"doc-action": f"{EZHOU_DOC}-a002"})
    linked.switch_page("explorer/pages/documents.py").run()
    assert not linked.exception
    assert linked.selectbox(key="doc-city").value == "鄂州市"
    assert linked.selectbox(key="doc-open").value == EZHOU_DOC
    assert linked.selectbox(key="doc-action").value == f"{EZHOU_DOC}-a002"
    assert None not in large


TASKS = "\n一、任务\n（一）"
PLAN_A = (f"宜昌市人工智能行动方案{TASKS}建平台。（牵头单位：市科技局；责任单位：市数据局）\n", "yichang-a.txt")
PLAN_B = (f"宜昌市数字经济行动方案{TASKS}育人才。（牵头单位：市财政局；责任单位：市人社局）\n", "yichang-b.txt")
PLAN_C = (f"襄阳市数字经济行动方案{TASKS}育人才。（牵头单位：市财政局）\n", "xiangyang.txt")


def test_correcting_an_action_of_a_plan_shown_alone_offers_every_agency_of_its_government(
        store_path, large, monkeypatch):
    from graph.embedded import EmbeddedStore
    from graph.records import document_records
    from loaders import extract_text
    from tests.stores import remove_store
    monkeypatch.setattr(explorer.state, "PAGE_PLANS", 2)  # three plans: a large corpus; 宜昌's two: a part
    remove_store(store_path)
    plans = [extract_text(text, name) for text, name in (PLAN_A, PLAN_B, PLAN_C)]
    with EmbeddedStore(store_path) as store:
        for plan in plans:
            store.load(document_records(plan))
    action = f"{plans[0].id}-a001"
    at = choose(open_page("network"), "net-cities", ["宜昌市"])
    at = choose(at, "net-docs", [plans[0].id])
    assert sorted(n for n in drawing(at)["data"]["nodes"] for n in [n["id"]] if "局" in n) == [
        "宜昌市数据局", "宜昌市科技局"], "the view is plan A's alone"
    click(at, {"event": "select", "node": action})
    assert not at.exception, at.exception
    leads = at.multiselect(key=f"net-edit-{action}-leads")
    assert leads.value == ["宜昌市科技局"]
    assert leads.options == ["宜昌市人社局", "宜昌市数据局", "宜昌市科技局", "宜昌市财政局"], "plan B's units too"
    # 宜昌's two plans (the city chosen), then plan A alone (the document chosen); its government's for the form
    assert sorted(map(tuple, large)) == sorted([tuple(sorted(p.id for p in plans[:2])), (plans[0].id,)])


def test_the_network_of_a_large_corpus_offers_its_plans_once_a_city_is_chosen_and_keeps_a_links(large):
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP

    at = open_page("network")
    docs = at.multiselect(key="net-docs")
    assert docs.options == [] and docs.placeholder == "请先选择城市"
    at = choose(at, "net-cities", ["鄂州市"])
    assert at.multiselect(key="net-docs").options == ["ezhou-ai-action-plan.txt"]
    linked = AppTest.from_file(APP, default_timeout=60)
    linked.query_params["net-docs"] = EZHOU_DOC
    linked.run()
    assert not linked.exception
    assert linked.multiselect(key="net-docs").value == [EZHOU_DOC]
    assert metrics(linked)["节点"] != "0" and large[-1] == [EZHOU_DOC]


def test_a_coordination_kept_in_the_store_opens_without_reading_a_plan_even_past_the_page_limit(
        large, monkeypatch):
    def coordination(city: str = "") -> AppTest:
        at = open_page("coordination")
        if city:
            at.selectbox(key="coord-city").set_value(city).run()
        assert not at.exception, at.exception
        return at

    shown = metrics(coordination("鄂州市"))
    assert large == [[EZHOU_DOC]] and shown["机构"] == "25"
    clear_caches()  # another server process: only the store remembers
    assert metrics(coordination("鄂州市")) == shown and large == [[EZHOU_DOC]]
    monkeypatch.setattr(explorer.state, "PAGE_PLANS", 250)  # every city's network, computed from the whole graph
    whole = metrics(coordination())
    assert large[-1] is None and whole != shown
    clear_caches()
    monkeypatch.setattr(explorer.state, "PAGE_PLANS", 1)
    reads_before = len(large)
    at = coordination()
    assert [i.value for i in at.info] == [] and metrics(at) == whole  # kept: not refused for its plans' number
    assert len(large) == reads_before
