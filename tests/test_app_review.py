"""The review page, driven with Streamlit's AppTest on the embedded store of the two bundled plans
(25 first-listed leads to look at) and on invented plans: the count, confirming, correcting, a bad
correction, and document text shown as text."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from explorer.uploads import markdown_text
from graph.store import GraphStore
from loaders import GivenGovernment, GivenGovernmentError, check_given, extract_text
from tests.apptest import APP, XSS_PLAN, app_store, markdown_texts, open_page, plain, store_holding

EZHOU = "5ebd749b5b99f815"
FIRST = f"first-listed:{EZHOU}-a001"
NO_GOVERNMENT = "一、任务\n（一）建平台。（牵头单位：市科技局）\n（二）育人才。（责任单位：市人社局、市教育局）\n"


@pytest.fixture
def app(store_path) -> AppTest:
    """The app on its copy of the bundled plans' store, on the review page."""
    return open_page("review")


def count(at: AppTest) -> str:
    [metric] = at.metric
    return metric.value


def confirm_keys(at: AppTest) -> list[str]:
    return [b.key.removeprefix("review-confirm-") for b in at.button if b.key and b.key.startswith("review-confirm-")]


def open_correction(at: AppTest, item: str) -> AppTest:
    """Open the item's correction section (its form is made only while the section is open)."""
    at.session_state[f"review-correct-{item}"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest, item: str) -> AppTest:
    """Press the submit button of the item's correction form."""
    [button] = [b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:review-form-{item}-")]
    button.click().run()
    assert not at.exception, at.exception
    return at


def query(at: AppTest, cypher: str) -> list[list]:
    """Rows of a read of the store the app shows."""
    return app_store().read_all(cypher)


def test_the_page_shows_25_open_items_on_the_bundled_plans_the_first_20_drawn(app):
    assert (app.metric[0].label, count(app)) == ("待审事项", "25")
    assert app.radio(key="review-kind").options == ["全部", "文件所属政府未知", "未识别出单位的任务", "疑似重复的机构",
                                                    "推定的牵头单位（列第一位）", "别名表中没有的机构"]
    captions = [c.value for c in app.caption]
    assert "推定的牵头单位（列第一位）: 25" in captions and "显示前 20 项，共 25 项" in captions
    keys = confirm_keys(app)
    assert len(keys) == 20 and keys[:2] == [FIRST, f"first-listed:{EZHOU}-a002"]
    assert app.text[0].value == "文件: ezhou-ai-action-plan.txt\n行动: 1. 优化空间发展布局\n机构: 鄂州市发改委"
    body = app.get("html")[0].proto.body
    note = ("（责任单位：<mark>市发改委</mark>、市科技局、市经信局，"
            "各区人民政府&lt;含葛店经开区、临空经济区管委会，下同&gt;）")
    assert note in body


def test_confirming_an_item_lowers_the_count_by_one_and_it_stays_lowered_after_a_rerun(app):
    app.text_input(key="review-who").set_value("李审核").run()
    app.button(key=f"review-confirm-{FIRST}").click().run()
    assert not app.exception
    assert count(app) == "24"
    assert [plain(s.value) for s in app.success] == ["已确认：1. 优化空间发展布局 · 鄂州市发改委"]
    assert FIRST not in confirm_keys(app) and confirm_keys(app)[0] == f"first-listed:{EZHOU}-a002"
    app.run()
    assert count(app) == "24" and not app.success
    assert query(app, "MATCH (c:Correction) RETURN c.kind, c.who, c.why, c.change, c.document") == [
        ["confirm", "李审核", "已核对原文，抽取结果无误", '{"values": {"item": "' + FIRST + '"}}',
         "ezhou-ai-action-plan.txt"]]
    assert count(app) == "24"


def test_correcting_a_first_listed_lead_from_the_page_removes_the_item_and_the_lead_is_corrected(app):
    item = f"first-listed:{EZHOU}-a004"
    assert [m.key for m in app.get("multiselect")] == ["review-cities"]  # the forms are made when their section opens
    leads = open_correction(app, item).multiselect(key=f"review-leads-{item}")
    assert leads.value == ["鄂州市科技局"]
    leads.set_value(["鄂州市经信局"])
    submit(app, item)
    assert count(app) == "24"
    assert item not in confirm_keys(app)
    assert [plain(s.value) for s in app.success] == [
        "已更正：更正牵头单位: ezhou-ai-action-plan.txt 4. 做强核心创新平台: 牵头: 鄂州市经信局"]
    assert query(app, f"MATCH (a:Agency)-[l:LEADS]->(x:Action {{id: '{EZHOU}-a004'}}) "
                      "RETURN a.name, l.basis, l.correction IS NOT NULL") == [["鄂州市经信局", "corrected", True]]
    assert count(app) == "24"


def bad_city_line(city: str) -> str:
    """The one line the core API says, in Chinese, of a city the divisions table does not have."""
    with pytest.raises(GivenGovernmentError) as raised:
        check_given(GivenGovernment(city=city))
    return raised.value.text("zh")


def test_a_bad_government_shows_one_line_and_changes_nothing(store_path):
    store_holding(store_path, NO_GOVERNMENT, "nogov.txt")
    doc = extract_text(NO_GOVERNMENT, "nogov.txt").id
    at = open_page("review")
    item = f"government:{doc}"
    assert count(at) == "2" and confirm_keys(at) == [item, f"first-listed:{doc}-a002"]
    open_correction(at, item).text_input(key=f"review-city-typed-{item}").set_value("不存在市")
    submit(at, item)
    [error] = at.error
    assert plain(error.value) == "未更正：" + plain(markdown_text(bad_city_line("不存在市")))
    assert plain(error.value) == "未更正：不存在市 不是行政区划表中的城市"
    assert "\n" not in error.value and not at.success
    assert count(at) == "2" and confirm_keys(at) == [item, f"first-listed:{doc}-a002"]
    assert query(at, "MATCH (d:Document) OPTIONAL MATCH (c:Correction) RETURN d.city, count(c)") == [[None, 0]]


def test_choosing_the_plans_city_sets_its_government_and_its_item_leaves(store_path):
    store_holding(store_path, NO_GOVERNMENT, "nogov.txt")
    doc = extract_text(NO_GOVERNMENT, "nogov.txt").id
    at = open_page("review")
    item = f"government:{doc}"
    open_correction(at, item).selectbox(key=f"review-city-{item}").set_value("宜昌市")
    submit(at, item)
    assert count(at) == "1" and confirm_keys(at) == [f"first-listed:{doc}-a002"]
    assert at.text[0].value == "文件: nogov.txt\n行动: （二） 育人才\n机构: 宜昌市人社局"
    assert query(at, "MATCH (d:Document) RETURN d.city, d.province") == [["宜昌市", "湖北省"]]


YICHANG = ("宜昌市人工智能行动方案\n一、任务\n"
           "（一）建平台。（牵头单位：市数据局；责任单位：市大数据局、市科技局）\n"
           "（二）育人才。（牵头单位：市未来产业促进署；责任单位：市科技局）\n")


def test_merging_a_duplicate_pair_and_renaming_an_unknown_agency_from_the_page(store_path):
    store_holding(store_path, YICHANG, "yichang.txt")
    at = open_page("review")
    pair, unknown = "duplicate:宜昌市大数据管理局|宜昌市数据局", "unknown-agency:宜昌市未来产业促进署"
    assert count(at) == "2" and confirm_keys(at) == [pair, unknown]
    assert open_correction(at, pair).radio(key=f"review-stays-{pair}").options == ["宜昌市大数据管理局", "宜昌市数据局"]
    at.radio(key=f"review-stays-{pair}").set_value("宜昌市数据局")
    submit(at, pair)
    assert count(at) == "1" and confirm_keys(at) == [unknown]
    open_correction(at, unknown).text_input(key=f"review-name-{unknown}").set_value("宜昌市未来产业发展促进署")
    submit(at, unknown)
    assert count(at) == "0" and [i.value for i in at.info] == ["没有待审事项。"]
    rows = query(at, "MATCH (a:Agency) WHERE a.name STARTS WITH '宜昌市数据' OR a.name STARTS WITH '宜昌市大数据' "
                     "OR a.name STARTS WITH '宜昌市未来' RETURN a.id, a.name, a.aliases ORDER BY a.id")
    assert rows == [  # the absorbed one's name and the old name are aliases
        ["宜昌市数据局", "宜昌市数据局", ["宜昌市大数据管理局", "市大数据局", "市数据局"]],
        ["宜昌市未来产业促进署", "宜昌市未来产业发展促进署", ["宜昌市未来产业促进署", "市未来产业促进署"]]]


def test_the_chosen_kind_stays_chosen_as_its_items_are_worked_through(store_path):
    store_holding(store_path, NO_GOVERNMENT, "nogov.txt")
    doc = extract_text(NO_GOVERNMENT, "nogov.txt").id
    at = open_page("review")
    at.radio(key="review-kind").set_value("first-listed").run()
    assert confirm_keys(at) == [f"first-listed:{doc}-a002"]
    at.button(key=f"review-confirm-first-listed:{doc}-a002").click().run()
    assert count(at) == "1" and at.radio(key="review-kind").value == "first-listed"
    assert confirm_keys(at) == [] and [i.value for i in at.info] == ["此类别已没有待审事项。"]
    at.radio(key="review-kind").set_value("all").run()
    assert confirm_keys(at) == [f"government:{doc}"]


def test_a_store_that_fails_is_one_plain_line_on_the_review_page(store_path, monkeypatch):
    secret = "neo4j://neo4j:s3cret@db.example:7687"

    def fail(*args, **kwargs):
        raise ConnectionError(f"could not reach {secret}")

    monkeypatch.setattr(GraphStore, "to_networkx", fail)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("explorer/pages/review.py").run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == ["出错了（详情已记入日志）"]
    assert not at.metric and not any("s3cret" in said for said in markdown_texts(at))


def test_markup_in_a_plan_is_shown_as_text_on_the_review_page(store_path):
    store_holding(store_path, XSS_PLAN, "xss-plan.txt")
    at = open_page("review")
    assert int(count(at)) > 0
    bodies = [element.proto.body for element in at.get("html")]  # escaped by highlighted_html; Markdown stays as is
    for said in markdown_texts(at):
        if said not in bodies:
            assert "<script" not in said and "<img" not in said and "**x**" not in said, said
    assert bodies and all("<script" not in body and "<img" not in body for body in bodies)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in body for body in bodies)
    radios = [option for radio in at.radio if radio.key != "language" for option in radio.options]
    assert not any("<script" in option or "**x**" in option for option in radios)


def test_the_page_speaks_english_when_chosen(app):
    app.radio(key="language").set_value("en").run()
    assert (app.metric[0].label, count(app)) == ("Open items", "25")
    assert app.radio(key="review-kind").options[:2] == ["All", "Plan whose government is unknown"]
    assert "Lead inferred as the first listed: 25" in [c.value for c in app.caption]
    assert app.button(key=f"review-confirm-{FIRST}").label == "Confirm"


def test_the_kind_chosen_is_in_the_pages_link_and_a_link_opens_on_it(app):
    app.radio(key="review-kind").set_value("first-listed").run()
    assert dict(app.query_params) == {"review-kind": "first-listed"}
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.query_params.update({"review-kind": "first-listed"})
    fresh.switch_page("explorer/pages/review.py").run()
    assert fresh.radio(key="review-kind").value == "first-listed"


def test_choosing_a_city_shows_only_the_items_of_its_plans(app):
    app.multiselect(key="review-cities").set_value(["仙桃市"]).run()
    assert not app.exception
    assert count(app) == "3"
    app.multiselect(key="review-cities").set_value(["鄂州市"]).run()
    assert count(app) == "22"
    app.multiselect(key="review-cities").set_value([]).run()
    assert count(app) == "25"


def test_plans_whose_government_is_unknown_are_a_choice_of_their_own(store_path):
    store_holding(store_path, NO_GOVERNMENT, "nogov.txt")
    doc = extract_text(NO_GOVERNMENT, "nogov.txt").id
    at = open_page("review")
    cities = at.multiselect(key="review-cities")
    assert cities.options == ["（所属政府未知的文件）"]
    cities.set_value(["(unknown)"]).run()
    assert not at.exception
    assert f"government:{doc}" in confirm_keys(at) and count(at) == "2"
    assert at.query_params["review-cities"] == "(unknown)"
    linked = AppTest.from_file(APP, default_timeout=60)
    linked.query_params["review-cities"] = "(unknown)"
    linked.switch_page("explorer/pages/review.py").run()
    assert linked.multiselect(key="review-cities").value == ["(unknown)"] and count(linked) == "2"
