"""The query library page, driven with Streamlit's AppTest on the embedded store holding the two bundled plans."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from queries import load_library
from tests.apptest import ROOT, open_page, plain

OTHER_GOVERNMENTS = "这两个机构属于不同的政府（鄂州市；仙桃市），没有方案把它们联系在一起，因此没有路径。"


@pytest.fixture
def app(store_path):
    """The app on a fresh embedded store (the bundled plans load on first start), on the library page."""
    return open_page("explorer/pages/library.py")


def choose(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="library-query").set_value(name).run()
    assert not at.exception
    return at


def type_in(at: AppTest, key: str, value: str | None) -> None:
    """Set a selectbox that accepts new options the way the browser does: the typed text is the value."""
    box = at.selectbox(key=key)
    if value is not None and value not in box.options:
        box.options.append(value)
    box.set_value(value)


def submit(at: AppTest) -> AppTest:
    at.button(key="library-run").click().run()
    assert not at.exception
    return at


def rows(at: AppTest) -> list[list]:
    return at.dataframe[0].value.values.tolist()


def test_every_named_query_is_offered_with_its_title(app):
    box = app.selectbox(key="library-query")
    library = load_library()
    assert len(box.options) == len(library) == 19
    assert "机构牵头的行动 · actions-led-by" in box.options


def test_actions_led_by_city_science_bureau_in_ezhou_gives_its_five_actions(app):
    choose(app, "actions-led-by")
    type_in(app, "library-actions-led-by-agency", "市科技局")
    type_in(app, "library-actions-led-by-city", "鄂州市")
    submit(app)
    assert not app.error
    frame = app.dataframe[0].value
    assert list(frame.columns) == ["city", "agency", "number", "action", "basis", "via_collective", "document"]
    assert [row[2] for row in rows(app)] == ["2.", "4.", "5.", "6.", "7."]
    assert {(row[0], row[1], row[4]) for row in rows(app)} == {("鄂州市", "鄂州市科技局", "first-listed")}
    assert "5 行" in [c.value for c in app.caption]
    assert [b.label for b in app.get("download_button")] == ["CSV", "JSON", "Excel"]


def test_the_page_shows_the_cypher_and_the_same_command_line_with_the_actual_parameters(app):
    choose(app, "actions-led-by")
    type_in(app, "library-actions-led-by-agency", "市科技局")
    type_in(app, "library-actions-led-by-city", None)
    submit(app)
    codes = [c.value for c in app.code]
    assert "policykg query actions-led-by --param agency=市科技局" in codes
    assert load_library()["actions-led-by"].cypher in codes
    assert len(rows(app)) == 12  # both cities' 科技局, as in the README


def test_an_unknown_agency_is_said_in_the_page_language_with_the_closest_names_as_buttons(app):
    choose(app, "actions-led-by")
    type_in(app, "library-actions-led-by-agency", "市科技厅")
    type_in(app, "library-actions-led-by-city", None)
    submit(app)
    assert [plain(e.value) for e in app.error] == ["没有名为 市科技厅 的机构（机构：写法、简称或规范名）。"]
    assert [b.label for b in app.button if b.key.startswith("library-suggestion-")] == [
        "市科技局", "鄂州市科技局", "仙桃市科技局", "市科协", "仙桃市科协"]
    assert not app.dataframe


def test_a_suggested_name_clicked_runs_the_query_with_it(app):
    choose(app, "actions-led-by")
    type_in(app, "library-actions-led-by-agency", "市科技厅")
    type_in(app, "library-actions-led-by-city", "鄂州市")
    submit(app)
    assert [plain(e.value) for e in app.error] == ["鄂州市没有名为 市科技厅 的机构（机构：写法、简称或规范名）。"]
    app.button(key="library-suggestion-0").click().run()
    assert not app.exception and not app.error
    assert app.selectbox(key="library-actions-led-by-agency").value == "市科技局"
    assert [row[2] for row in rows(app)] == ["2.", "4.", "5.", "6.", "7."]


def test_an_unknown_agency_in_english_has_no_chinese_outside_the_names(app):
    choose(app, "actions-led-by")
    type_in(app, "library-actions-led-by-agency", "市科技厅")
    type_in(app, "library-actions-led-by-city", None)
    app.sidebar.radio(key="language").set_value("en").run()
    submit(app)
    assert [plain(e.value) for e in app.error] == [
        "No agency is named 市科技厅 (the agency as written, an alias or its canonical name)."]


def test_a_whole_number_parameter_and_an_optional_one_left_empty(app):
    choose(app, "co-responsibility")
    type_in(app, "library-co-responsibility-city", "鄂州市")
    app.number_input(key="library-co-responsibility-min_shared").set_value(5)
    submit(app)
    assert rows(app)[0] == ["鄂州市", "鄂州市各区人民政府", "鄂州市经信局", 12]
    assert len(rows(app)) == 7
    choose(app, "targets-by-year")
    app.number_input(key="library-targets-by-year-year").set_value(None)
    type_in(app, "library-targets-by-year-city", "仙桃市")
    submit(app)
    assert not app.error and len(rows(app)) > 25  # every year, not just 2027
    assert "policykg query targets-by-year --param city=仙桃市" in [c.value for c in app.code]


def test_agency_path_draws_the_path_with_its_relationships(app):
    choose(app, "agency-path")
    submit(app)  # the example: 鄂州市委组织部 → 鄂州市商务局
    assert rows(app)[0][:3] == ["鄂州市委组织部", "鄂州市商务局", 2]
    frames = [element for element in app.main if getattr(element, "type", "") == "iframe"]
    assert len(frames) == 1 and "鄂州市商务局" in frames[0].proto.srcdoc
    counts = next(c.value for c in app.caption if "个节点" in c.value)
    assert counts.startswith("5 个节点、") and "、0 条关系" not in counts


def test_pairs_of_agencies_are_drawn_as_a_network_of_those_agencies(app):
    choose(app, "co-responsibility")
    type_in(app, "library-co-responsibility-city", "鄂州市")
    app.number_input(key="library-co-responsibility-min_shared").set_value(5)
    submit(app)
    assert len(rows(app)) == 7
    agencies = {name for row in rows(app) for name in row[1:3]}
    frames = [element for element in app.main if getattr(element, "type", "") == "iframe"]
    assert len(frames) == 1
    assert all(name in frames[0].proto.srcdoc for name in agencies)
    assert f"{len(agencies)} 个机构、7 对（线越粗，共同行动越多）" in [c.value for c in app.caption]


def test_an_agency_s_partners_are_drawn_as_pairs_too(app):
    choose(app, "agency-partners")
    submit(app)  # the example: 市经信局 of 仙桃市
    assert rows(app) and {row[0] for row in rows(app)} == {"仙桃市经信局"}
    counts = next(c.value for c in app.caption if "对（" in c.value)
    assert counts == f"{len(rows(app)) + 1} 个机构、{len(rows(app))} 对（线越粗，共同行动越多）"


def test_a_path_between_agencies_of_different_governments_says_why_it_is_empty(app):
    choose(app, "agency-path")
    type_in(app, "library-agency-path-from", "鄂州市科技局")
    type_in(app, "library-agency-path-to", "仙桃市科技局")
    submit(app)
    assert rows(app) == []
    assert [i.value for i in app.info] == [OTHER_GOVERNMENTS]


def test_a_path_from_an_agency_to_itself_says_so(app):
    choose(app, "agency-path")
    type_in(app, "library-agency-path-from", "鄂州市科技局")
    type_in(app, "library-agency-path-to", "鄂州市科技局")
    submit(app)
    assert [i.value for i in app.info] == ["起点和终点是同一个机构：请选择两个不同的机构。"]


def test_another_empty_result_says_nothing_matched(app):
    choose(app, "co-responsibility")
    app.number_input(key="library-co-responsibility-min_shared").set_value(999)
    submit(app)
    assert rows(app) == [] and [i.value for i in app.info] == ["没有与这些参数相符的结果。"]


def test_the_query_and_its_parameters_are_in_the_url_and_a_link_runs_them(app, store_path):
    choose(app, "agency-path")
    type_in(app, "library-agency-path-from", "鄂州市科技局")
    type_in(app, "library-agency-path-to", "仙桃市科技局")
    submit(app)
    assert dict(app.query_params) == {"library-query": "agency-path", "library-agency-path-from": "鄂州市科技局",
                                      "library-agency-path-to": "仙桃市科技局", "library-ran": "1"}
    fresh = AppTest.from_file(str(ROOT / "explorer" / "pages" / "library.py"), default_timeout=60)
    for key, values in app.query_params.items():
        fresh.query_params[key] = values
    fresh.run()
    assert not fresh.exception
    assert fresh.selectbox(key="library-query").value == "agency-path"
    assert fresh.selectbox(key="library-agency-path-to").value == "仙桃市科技局"
    assert [i.value for i in fresh.info] == [OTHER_GOVERNMENTS]


def test_a_whole_number_parameter_from_a_link_is_a_number(app, store_path):
    fresh = AppTest.from_file(str(ROOT / "explorer" / "pages" / "library.py"), default_timeout=60)
    fresh.query_params["library-query"] = "targets-by-year"
    fresh.query_params["library-targets-by-year-year"] = "2026"
    fresh.run()
    assert not fresh.exception
    assert fresh.number_input(key="library-targets-by-year-year").value == 2026


def test_switching_to_english_changes_titles_and_descriptions(app):
    choose(app, "actions-led-by")
    assert [s.value for s in app.subheader] == ["机构牵头的行动"]
    assert app.title[0].value == "查询库"
    app.sidebar.radio(key="language").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Query library"
    assert [s.value for s in app.subheader] == ["Actions led by an agency"]
    assert "Actions led by an agency · actions-led-by" in app.selectbox(key="library-query").options
    assert app.markdown[0].value.startswith("Every action an agency leads")
    assert app.button(key="library-run").label == "Run query"


def test_a_result_longer_than_a_page_is_shown_page_by_page_with_its_total_and_command(app, monkeypatch):
    import graph.store

    monkeypatch.setattr(graph.store, "DEFAULT_ROW_CAP", 4)  # the page size; the page reads it when it runs
    choose(app, "actions-led-by")
    type_in(app, "library-actions-led-by-agency", "市科技局")
    type_in(app, "library-actions-led-by-city", None)
    submit(app)
    assert len(rows(app)) == 4
    assert [w.value for w in app.warning] == ["第 1–4 行，共 12 行：结果不止一页，可在下方翻页。"]
    first = rows(app)
    app.number_input(key="library-page").set_value(3).run()
    assert not app.exception
    assert len(rows(app)) == 4 and not set(map(tuple, rows(app))) & set(map(tuple, first))
    assert [w.value for w in app.warning] == ["第 9–12 行，共 12 行：结果不止一页，可在下方翻页。"]
    assert "policykg query actions-led-by --param agency=市科技局 --limit 4 --offset 8" in [c.value for c in app.code]
    type_in(app, "library-actions-led-by-city", "鄂州市")  # other parameters: their first page
    submit(app)
    assert [w.value for w in app.warning] == ["第 1–4 行，共 5 行：结果不止一页，可在下方翻页。"]
