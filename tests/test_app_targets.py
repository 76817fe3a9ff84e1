"""The Targets page in Streamlit's AppTest, on the bundled plans the app loads on first start."""

from __future__ import annotations

import json

from tests.apptest import XSS_PLAN, dataframe_text, load_plan, markdown_texts, open_page


def per_year(at):
    return next(f.value for f in at.dataframe if "total" in f.value.columns).set_index("year")


def every_target(at):
    return next(f.value for f in at.dataframe if "metric" in f.value.columns)


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_targets_page_counts_45_targets_by_year_and_city(app_db):
    at = open_page("targets")
    assert at.title[0].value == "目标"
    assert metrics(at) == {"目标": "45", "注明年份": "43", "年份为推定": "12", "未注明年份": "2", "有完成时限": "3"}
    counts = per_year(at)
    assert list(counts.index) == ["2025", "2026", "2027", "未注明年份"]
    assert counts.at["2027", "鄂州市"] == 4 and counts.at["2027", "仙桃市"] == 25 + 12  # 12 take the plan's 2027
    assert counts["total"].sum() == 45
    table = every_target(at)
    assert len(table) == 45
    assert list(table.columns) == ["year", "city", "metric", "value", "value_max", "unit", "qualifier", "deadline",
                                   "number", "action", "text", "quote", "document", "correction"]
    platform = table[(table["city"] == "鄂州市") & (table["number"] == "4.")].iloc[0]
    assert (platform["year"], platform["value"], platform["unit"], platform["qualifier"]) == ("2027", 3.0, "家",
                                                                                              "以上（不少于）")
    assert platform["action"] == "做强核心创新平台" and platform["text"] == "全市建成省级人工智能创新平台3家以上"
    deadlines = table[table["deadline"] != ""]
    assert deadlines["deadline"].tolist() == ["2025年底", "2026年底", "2027年底"]
    chart = at.get("vega_lite_chart")
    assert len(chart) == 1, "the chart is drawn"
    spec = json.loads(chart[0].proto.spec)
    assert spec["title"] == "各年份目标数（按城市）"
    assert spec["encoding"]["x"]["sort"] == ["2025", "2026", "2027", "未注明年份"]
    assert spec["encoding"]["color"]["field"] == "city"


def test_targets_without_a_year_are_grouped_under_no_year(app_db):
    at = open_page("targets")
    counts = per_year(at)
    # 仙桃's plan runs (2025—2027年): its targets without a year take 2027; 鄂州's sets no year, so they stay unknown.
    assert counts.at["未注明年份", "鄂州市"] == 2 and counts.at["未注明年份", "仙桃市"] == 0
    table = every_target(at)
    no_year = table[table["year"] == "未注明年份"]
    assert len(no_year) == 2
    assert set(no_year["metric"]) == {"重大技术突破", "人工智能专精特新企业"}
    at.checkbox(key="targets-no-year").uncheck().run()
    assert "未注明年份" not in per_year(at).index and len(every_target(at)) == 43


def test_city_and_year_filters(app_db):
    at = open_page("targets")
    at.multiselect(key="targets-cities").set_value(["鄂州市"]).run()
    assert not at.exception
    assert metrics(at)["目标"] == "6"
    assert list(per_year(at).columns) == ["鄂州市", "total"]
    at.multiselect(key="targets-cities").set_value([]).run()
    at.slider(key="targets-years").set_range(2025, 2026).run()
    assert not at.exception
    assert list(per_year(at).index) == ["2025", "2026", "未注明年份"]
    assert metrics(at)["目标"] == str(2 + 2)


def test_english_switch_changes_the_words(app_db):
    at = open_page("targets")
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Targets"
    assert metrics(at)["Targets"] == "45"
    assert "no year" in per_year(at).index
    assert at.checkbox(key="targets-no-year").label == "Include targets without a year"
    assert "at least" in set(every_target(at)["qualifier"])


def test_downloads_present(app_db, downloads):
    at = open_page("targets")
    buttons = {b.label: b for b in at.get("download_button")}
    assert set(buttons) == {"CSV", "JSON"}
    csv = downloads(buttons["CSV"]).decode("utf-8-sig").splitlines()
    assert csv[0].startswith("年份,城市,指标,数值,上限,单位,限定,完成时限,行动序号,行动,目标原文,所在句子,文件")
    assert len(csv) == 1 + 45
    payload = json.loads(downloads(buttons["JSON"]))
    assert len(payload["rows"]) == 45 and payload["columns"][0] == "年份"


def test_markup_in_a_document_shows_only_as_inert_text(app_db):
    load_plan(app_db, XSS_PLAN)
    at = open_page("targets")
    shown = dataframe_text(at)
    assert "<img src=x onerror=alert`1`>**x** [l]平台突破10个" in shown  # target text
    assert "建成<script>alert`1`</script>**x**中心5个" in shown
    assert "<script>alert(1)</script>**x** [l]" in shown  # the action title
    for text in markdown_texts(at):
        assert "alert" not in text and "<script" not in text and "<img" not in text, text
        assert "**x**" not in text and "](http://e)" not in text, text


def test_only_corrected_targets_shows_the_fixed_one_with_its_correction(app_db):
    from graph.corrections import record
    from graph.embedded import EmbeddedStore
    from queries.corrections import make_correction

    store = EmbeddedStore(app_db)
    try:
        correction = make_correction(store, "target", why="the annex", who="ann", metric="机架", action="（四）",
                                     document="xiantao-ai-action-plan-2025-2027.txt", values={"value": 700})
        record(store, correction)
    finally:
        store.close()
    at = open_page("targets")
    at.checkbox(key="targets-corrected-only").check().run()
    assert not at.exception
    assert metrics(at)["目标"] == "1"
    table = every_target(at)
    assert table[["metric", "value", "correction"]].values.tolist() == [["机架", 700.0, correction.id]]


def test_a_year_taken_from_the_plan_is_marked_inferred_in_both_languages(app_db):
    at = open_page("targets")
    table = every_target(at)
    rack = table[table["metric"] == "机架"].iloc[0]
    assert (rack["year"], rack["city"], rack["value"]) == ("2027（推定）", "仙桃市", 632.0)
    assert (table["year"] == "2027（推定）").sum() == 12 and (table["year"] == "2027").sum() == 4 + 25
    platform = table[(table["city"] == "鄂州市") & (table["number"] == "4.")].iloc[0]
    assert platform["year"] == "2027"  # its own year (到2027年), not marked
    at.sidebar.radio[0].set_value("en").run()
    table = every_target(at)
    assert table[table["metric"] == "机架"].iloc[0]["year"] == "2027 (inferred)"
    assert metrics(at)["Year inferred"] == "12"


def test_a_corrected_year_is_no_longer_marked_inferred(app_db):
    from graph.corrections import record
    from graph.embedded import EmbeddedStore
    from queries.corrections import make_correction

    store = EmbeddedStore(app_db)
    try:
        record(store, make_correction(store, "target", why="the annex", who="ann", metric="机架", action="（四）",
                                      document="xiantao-ai-action-plan-2025-2027.txt", values={"year": 2026}))
    finally:
        store.close()
    at = open_page("targets")
    assert every_target(at).set_index("metric").at["机架", "year"] == "2026"
    assert metrics(at)["年份为推定"] == "11"


def test_the_filters_are_in_the_link(app_db):
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP

    at = open_page("targets")
    at.multiselect(key="targets-cities").set_value(["仙桃市"]).run()
    at.slider(key="targets-years").set_range(2026, 2027).run()
    at.checkbox(key="targets-no-year").uncheck().run()
    assert not at.exception
    params = {key: at.query_params[key] for key in ("targets-cities", "targets-years", "targets-no-year")}
    assert params == {"targets-cities": "仙桃市", "targets-years": ["2026", "2027"], "targets-no-year": "0"}

    fresh = AppTest.from_file(APP, default_timeout=60).run()  # a fresh browser opening the link
    for key, value in params.items():
        fresh.query_params[key] = value
    fresh.switch_page("explorer/pages/targets.py").run()
    assert not fresh.exception
    assert fresh.multiselect(key="targets-cities").value == ["仙桃市"]
    assert fresh.slider(key="targets-years").value == (2026, 2027)
    assert fresh.checkbox(key="targets-no-year").value is False
    assert metrics(fresh)["目标"] == metrics(at)["目标"]


def test_years_in_a_link_outside_the_plans_show_them_all(app_db):
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.query_params["targets-years"] = ["1990", "2100"]
    at.switch_page("explorer/pages/targets.py").run()
    assert not at.exception
    assert at.slider(key="targets-years").value == (2025, 2027) and metrics(at)["目标"] == "45"
