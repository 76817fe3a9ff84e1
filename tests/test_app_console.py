"""The Cypher console page, driven with Streamlit's AppTest on the embedded store holding the two bundled plans."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import ROOT, markdown_texts, open_page, plain

LEADS_OF_EZHOU_SCIENCE = ("MATCH (a:Agency)-[:LEADS]->(x:Action) WHERE a.name = '鄂州市科技局' "
                          "RETURN x.number AS n ORDER BY x.seq")
COUNTS = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"


@pytest.fixture
def app(store_path):
    """The app on a fresh embedded store (the bundled plans load on first start), on the console page."""
    return open_page("explorer/pages/console.py")


def write(at: AppTest, query: str) -> None:
    """Put ``query`` in the editor as typing does: its text is kept under console-text:kept."""
    at.session_state["console-text:kept"] = query


def editor(at: AppTest):
    """The Cypher editor component of the page (AppTest sees it as an unknown element)."""
    [found] = [e for e in at.main if type(e).__name__ == "UnknownElement" and e.proto.component_name.endswith(
        "cypher_editor")]
    return found


def editor_args(at: AppTest) -> dict:
    return json.loads(editor(at).proto.json_args)


def run(at: AppTest, query: str, params: str = "", *, row_cap: int | None = None,
        timeout: float | None = None) -> AppTest:
    write(at, query)
    at.text_area(key="console-params").set_value(params)
    if row_cap is not None:
        at.number_input(key="console-row-cap").set_value(row_cap)
    if timeout is not None:
        at.number_input(key="console-timeout").set_value(timeout)
    at.button(key="console-run").click().run()
    assert not at.exception
    return at


def rows(at: AppTest) -> list[list]:
    return at.dataframe[0].value.values.tolist()


def graph_frames(at: AppTest) -> list:
    """The drawings of the result: the result shown as a graph (the page shows one view of it at a time)."""
    show(at, "graph")
    frames = [element for element in at.main if getattr(element, "type", "") == "iframe"]
    show(at, "table")
    return frames


def show(at: AppTest, view: str) -> AppTest:
    at.radio(key="console-view").set_value(view).run()
    assert not at.exception
    return at


def test_a_query_returns_the_exact_rows(app):
    run(app, LEADS_OF_EZHOU_SCIENCE)
    assert not app.error
    assert list(app.dataframe[0].value.columns) == ["n"]
    assert rows(app) == [["2."], ["4."], ["5."], ["6."], ["7."]]
    assert "5 行" in [c.value for c in app.caption]


def test_parameters_are_read_as_json_when_they_parse_else_as_text(app):
    query = ("MATCH (a:Agency)-[:LEADS]->(x:Action) WHERE a.name = $name AND x.seq >= $from "
             "RETURN x.number AS number, x.title AS title ORDER BY x.seq")
    run(app, query, '# the README example\nname=鄂州市科技局\nfrom=4')
    assert not app.error
    assert rows(app) == [["4.", "做强核心创新平台"], ["5.", "开展关键技术攻关"], ["6.", "完善成果转化体系"],
                         ["7.", "培育AI原生创新生态"]]
    run(app, query, 'name="鄂州市科技局"\nfrom=1')
    assert [row[0] for row in rows(app)] == ["2.", "4.", "5.", "6.", "7."]


def test_a_malformed_parameter_line_is_said_in_the_page_language(app):
    run(app, LEADS_OF_EZHOU_SCIENCE, "oops")
    assert [plain(e.value) for e in app.error] == ["参数行 'oops' 无法读取：请写成 名称=值。"]
    assert not app.dataframe


@pytest.mark.parametrize("write, word, place", [
    ("MATCH (a:Agency) DETACH DELETE a", "DETACH", "1:18"),
    ("CREATE (a:Agency {id: 'x', name: 'x'}) RETURN a", "CREATE", "1:1"),
    ("MATCH (a:Agency {name: '鄂州市科技局'})\nSET a.name = 'hacked' RETURN a", "SET", "2:1"),
])
def test_a_write_is_refused_at_its_word_and_the_graph_is_unchanged(app, write, word, place):
    before = rows(run(app, COUNTS))
    assert before[0][0] > 0
    run(app, write)
    assert [plain(e.value) for e in app.error] == [f"控制台只读：`{word}` 会写入图谱或读取文件，已被拒绝。"]
    assert f"（{place}）" in captions(app)[-1] or any(f"（{place}）" in c for c in captions(app))
    assert not app.dataframe and not app.exception
    assert rows(run(app, COUNTS)) == before
    assert rows(run(app, LEADS_OF_EZHOU_SCIENCE)) == [["2."], ["4."], ["5."], ["6."], ["7."]]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def codes(at: AppTest) -> list[str]:
    return [c.value for c in at.code]


def suggestions(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("console-suggestion-")]


def test_a_syntax_error_says_where_with_a_caret_and_offers_the_keyword_meant(app):
    run(app, "MATCH (a:Agency)\nRETURN a.name AS n ORDER BY n LIMT 3")
    assert [plain(e.value) for e in app.error] == ["语法错误：在 `LIMT` 处无法解析。"]
    assert "位置：第 2 行第 31 列（2:31）" in captions(app)
    assert "RETURN a.name AS n ORDER BY n LIMT 3\n                              ^^^^" in codes(app)
    assert suggestions(app) == ["`LIMIT`"]
    assert "Parser exception" not in " ".join(codes(app))  # the engine's own words only on request
    assert not app.dataframe and not app.exception


def test_a_suggestion_clicked_replaces_the_wrong_name_and_runs_again(app):
    run(app, "MATCH (a:Agncy) RETURN a.name AS name ORDER BY name LIMIT 2")
    assert [plain(e.value) for e in app.error] == ["图谱中没有节点标签 `Agncy`。"]
    assert "MATCH (a:Agncy) RETURN a.name AS name ORDER BY name LIMIT 2\n         ^^^^^" in codes(app)
    assert suggestions(app) == ["`Agency`", "`AgencyKind`"]
    revision = editor_args(app)["revision"]
    app.button(key="console-suggestion-0").click().run()
    assert not app.exception and not app.error
    assert app.session_state["console-text:kept"] == "MATCH (a:Agency) RETURN a.name AS name ORDER BY name LIMIT 2"
    args = editor_args(app)
    assert args["value"] == "MATCH (a:Agency) RETURN a.name AS name ORDER BY name LIMIT 2"
    assert args["revision"] == revision + 1  # the editor takes the new text
    assert len(rows(app)) == 2


@pytest.mark.parametrize("query, said, place, offered", [
    ("MATCH (a:Agency)-[:LEDS]->(x) RETURN count(x)", "图谱中没有关系类型 `LEDS`。", "1:20", ["`LEADS`"]),
    ("MATCH (a:Agency)\nRETURN a.nam", "`a (Agency)` 没有属性 `nam`。", "2:10", ["`name`"]),
    ("MATCH (a:Agency)\nRETURN b", "变量 `b` 未定义：请先在 MATCH、WITH 或 UNWIND 中引入它。", "2:8", ["`a`"]),
    ("MATCH (a:Agency) RETURN tolower(a.name) LIMIT 1", None, None, None),  # a function of another case: fine
])
def test_unknown_names_are_said_with_their_place_and_the_closest_names(app, query, said, place, offered):
    run(app, query)
    if said is None:
        assert not app.error and rows(app)
        return
    assert [plain(e.value) for e in app.error] == [said]
    assert any(f"（{place}）" in c for c in captions(app))
    assert suggestions(app) == offered


def test_a_missing_parameter_offers_the_names_given(app):
    run(app, "MATCH (a:Agency) WHERE a.city = $cty RETURN count(a) AS n", "city=鄂州市")
    assert [plain(e.value) for e in app.error] == [
        "查询使用了参数 $cty，但参数中没有给出它（在参数框中写一行 cty=值）。"]
    assert suggestions(app) == ["`city`"]
    app.button(key="console-suggestion-0").click().run()
    assert app.session_state["console-text:kept"] == "MATCH (a:Agency) WHERE a.city = $city RETURN count(a) AS n"
    assert rows(app)[0][0] > 0


def test_the_engine_s_own_message_shows_only_on_request(app):
    run(app, "MATCH (a:Agncy) RETURN a")
    assert "Binder exception: Table Agncy does not exist." not in codes(app)
    app.toggle(key="console-engine").set_value(True).run()
    assert "Binder exception: Table Agncy does not exist." in codes(app)


def test_the_editor_underlines_the_place_of_an_error(app):
    run(app, "MATCH (a:Agncy) RETURN a")
    assert editor_args(app)["marks"] == [
        {"from": 9, "to": 14, "severity": "error", "message": "图谱中没有节点标签 Agncy。"}]
    write(app, "MATCH (a:Agency) RETURN a LIMIT 1")
    app.run()
    assert editor_args(app)["marks"] == []  # the text changed since: nothing to underline


def test_errors_are_in_english_in_english_mode(app):
    app.sidebar.radio(key="language").set_value("en").run()
    run(app, "MATCH (a:Agency)\nRETURN a.nam")
    assert [plain(e.value) for e in app.error] == ["`a (Agency)` has no property `nam`."]
    assert "At line 2, column 10 (2:10)" in captions(app)
    assert "Did you mean (click to replace it and run again):" in captions(app)


def test_a_query_over_its_time_limit_is_stopped_with_a_plain_message(app):
    run(app, "MATCH (a), (b), (c), (d) WHERE a.id < b.id AND b.id < c.id AND c.id < d.id RETURN count(*)",
        timeout=1.0)
    assert [plain(e.value) for e in app.error] == [
        "查询运行超过 1 秒，已停止：请缩小匹配范围、加 LIMIT，或提高时间限制。"]


def test_a_result_longer_than_a_page_says_its_total_and_is_shown_page_by_page(app):
    run(app, "UNWIND range(1, 25) AS x RETURN x ORDER BY x", row_cap=10)
    assert rows(app) == [[n] for n in range(1, 11)]
    assert [w.value for w in app.warning] == ["第 1–10 行，共 25 行：结果不止一页，可在下方翻页。"]
    page = app.number_input(key="console-page")
    assert (page.value, page.min, page.max) == (1, 1, 3)
    page.set_value(3).run()
    assert rows(app) == [[n] for n in range(21, 26)]
    assert [w.value for w in app.warning] == ["第 21–25 行，共 25 行：结果不止一页，可在下方翻页。"]
    assert app.query_params["console-page"] == "3"
    run(app, "MATCH (x:Action) RETURN count(x) AS actions", row_cap=10)  # another query: its first page
    assert rows(app) == [[47]] and not app.warning and "console-page" not in app.query_params
    assert [c.value for c in app.caption if c.value == "1 行"] == ["1 行"]


def test_a_link_s_page_is_the_page_shown_when_its_query_runs(app):
    fresh = AppTest.from_file(str(ROOT / "explorer" / "pages" / "console.py"), default_timeout=60)
    fresh.query_params.update({"console-text": "UNWIND range(1, 25) AS x RETURN x ORDER BY x",
                               "console-row-cap": "10", "console-page": "2"})
    fresh.run()
    fresh.button(key="console-run").click().run()
    assert not fresh.exception
    assert rows(fresh) == [[n] for n in range(11, 21)]


def test_time_limit_and_row_cap_stay_within_bounds(app):
    timeout, row_cap = app.number_input(key="console-timeout"), app.number_input(key="console-row-cap")
    assert (timeout.value, row_cap.value) == (10.0, 10_000)
    assert (timeout.min, timeout.max) == (1.0, 120.0)
    assert (row_cap.min, row_cap.max) == (1, 100_000)


def test_a_node_returning_query_draws_a_graph_and_a_table_only_query_does_not(app):
    run(app, "MATCH (a:Agency {name: '鄂州市科技局'})-[r:LEADS]->(x:Action) RETURN a, r, x ORDER BY x.seq")
    assert rows(app)[0] == ["(Agency 鄂州市科技局)", "[LEADS]", "(Action 2. 发挥核心区引领带动)"]
    show(app, "graph")
    frames = [element for element in app.main if getattr(element, "type", "") == "iframe"]
    assert len(frames) == 1
    assert "鄂州市科技局" in frames[0].proto.srcdoc and "vis.Network" in frames[0].proto.srcdoc
    assert "结果中的 6 个节点、5 条关系" in [c.value for c in app.caption]
    show(app, "table")
    run(app, LEADS_OF_EZHOU_SCIENCE)
    assert graph_frames(app) == []


@pytest.mark.parametrize("value", [
    '{"~label": "Agency", "name": "鄂州市科技局"}',  # the reported crash: KeyError '~key'
    '{"~label": "Agency", "~key": [1, 2], "name": "x"}',  # a key that cannot be a node's
    '{"~label": ["Agency"], "~key": "k"}',
    '{"~label": "Agency", "~key": "k", "label": "x", "type": "y"}',  # properties named like the drawing's own
    '{"~type": "LEADS", "~start": "a"}',
    '{"~path": 3}',
    '[{"~label": "Agency"}, {"~label": "Action"}]',  # a list of them is not a path
])
def test_a_map_that_merely_looks_like_a_node_is_a_plain_value_in_the_table_and_draws_nothing(app, value):
    run(app, "RETURN $q", f"q={value}")
    assert not app.error and not app.exception
    shown = rows(app)[0][0]
    expected = json.loads(value)
    if expected == {"~label": "Agency", "~key": "k", "label": "x", "type": "y"}:  # the shape of a node: drawn
        assert shown == "(Agency )" and len(graph_frames(app)) == 1
    else:
        assert json.loads(shown) == expected and graph_frames(app) == []


def test_a_real_node_beside_a_map_that_looks_like_one_draws_only_the_node(app):
    run(app, "MATCH (a:Agency {name: '鄂州市科技局'}) RETURN a, $q AS q", 'q={"~label": "Agency", "name": "假"}')
    assert not app.error
    assert rows(app) == [["(Agency 鄂州市科技局)", '{"~label": "Agency", "name": "假"}']]
    frames = graph_frames(app)
    assert len(frames) == 1 and "鄂州市科技局" in frames[0].proto.srcdoc and "假" not in frames[0].proto.srcdoc


def test_results_download_as_csv_and_json_and_a_graph_as_html(app):
    run(app, LEADS_OF_EZHOU_SCIENCE)
    assert [b.label for b in app.get("download_button")] == ["CSV", "JSON"]
    run(app, "MATCH (a:Agency {name: '鄂州市科技局'})-[r:LEADS]->(x:Action) RETURN a, r, x")
    assert [b.label for b in show(app, "graph").get("download_button")] == ["下载图（HTML）"]
    assert [b.label for b in show(app, "json").get("download_button")] == ["CSV", "JSON"]


def test_results_show_as_a_table_a_graph_and_json(app):
    run(app, "MATCH (a:Agency {name: '鄂州市科技局'})-[r:LEADS]->(x:Action) RETURN a.name AS a, x.number AS n "
        "ORDER BY x.seq LIMIT 2")
    views = app.radio(key="console-view")
    assert (views.label, views.options, views.value) == ("结果显示为", ["表格", "图", "JSON"], "table")
    assert rows(app) == [["鄂州市科技局", "2."], ["鄂州市科技局", "4."]] and not app.json
    show(app, "json")
    shown = {"columns": ["a", "n"], "rows": [["鄂州市科技局", "2."], ["鄂州市科技局", "4."]]}
    assert json.loads(app.json[0].value) == shown and not app.dataframe
    show(app, "graph")
    assert "结果中没有节点或关系可画：返回节点（如 RETURN a）或路径即可看到图。" in captions(app)
    assert app.query_params["console-view"] == "graph"  # the view is part of the link


def test_an_example_from_the_library_loads_runnable_cypher_with_resolved_parameters(app):
    app.selectbox(key="console-example").set_value("actions-led-by").run()
    assert app.text_area(key="console-params").value == 'agency=["鄂州市科技局"]\ncity="鄂州市"'
    assert "MATCH (a:Agency)-[l:LEADS]->(x:Action)" in editor_args(app)["value"]
    assert editor_args(app)["params"] == ["agency", "city"]  # offered by the completion after $
    app.button(key="console-run").click().run()
    assert not app.error
    assert [row[2] for row in rows(app)] == ["2.", "4.", "5.", "6.", "7."]
    assert {row[1] for row in rows(app)} == {"鄂州市科技局"}


def test_ctrl_enter_in_the_editor_runs_its_text(app):
    revision = editor_args(app)["revision"]
    app.session_state["console-editor"] = {"text": LEADS_OF_EZHOU_SCIENCE, "cursor": 5, "revision": revision,
                                           "seq": 1, "run": True}
    app.run()
    assert not app.exception
    assert rows(app) == [["2."], ["4."], ["5."], ["6."], ["7."]]
    assert app.session_state["console-text:kept"] == LEADS_OF_EZHOU_SCIENCE


def test_typing_keeps_the_text_without_running_and_an_edit_of_an_old_revision_is_ignored(app):
    revision = editor_args(app)["revision"]
    app.session_state["console-editor"] = {"text": "RETURN 1 AS one", "cursor": 3, "revision": revision,
                                           "seq": 1, "run": False}
    app.run()
    assert app.session_state["console-text:kept"] == "RETURN 1 AS one" and not app.dataframe
    app.session_state["console-editor"] = {"text": "RETURN 2", "cursor": 3, "revision": revision - 1,
                                           "seq": 2, "run": True}
    app.run()
    assert app.session_state["console-text:kept"] == "RETURN 1 AS one" and not app.dataframe


def test_the_editor_completes_from_the_schema(app):
    from graph import schema

    args = editor_args(app)
    assert list(args["schema"]["labels"]) == [*schema.NODES, "Correction"]
    assert args["schema"]["labels"]["Agency"] == list(schema.properties(schema.Agency))
    assert list(args["schema"]["relationships"]) == list(schema.RELATIONSHIPS)
    assert args["words"]["run_hint"].startswith("Ctrl/⌘+Enter 运行")


def test_the_text_is_in_the_url_and_a_link_opens_it(app):
    run(app, LEADS_OF_EZHOU_SCIENCE, "x=1")
    assert app.query_params["console-text"] == LEADS_OF_EZHOU_SCIENCE
    assert app.query_params["console-params"] == "x=1"
    fresh = AppTest.from_file(str(ROOT / "explorer" / "pages" / "console.py"), default_timeout=60)
    for key, values in app.query_params.items():
        fresh.query_params[key] = values
    fresh.run()
    assert not fresh.exception
    assert editor_args(fresh)["value"] == LEADS_OF_EZHOU_SCIENCE
    assert fresh.text_area(key="console-params").value == "x=1"


def test_the_history_lists_this_session_s_queries_and_a_click_loads_one(app):
    run(app, LEADS_OF_EZHOU_SCIENCE)
    run(app, "MATCH (a:Agncy) RETURN a")
    history = [b for b in app.button if b.key.startswith("console-history-")]
    assert [b.label for b in history] == ["`MATCH (a:Agncy) RETURN a` · 出错",
                                          f"`{' '.join(LEADS_OF_EZHOU_SCIENCE.split())}` · 5 行"]
    assert "本次会话的查询（2）" in [e.label for e in app.expander]
    history[1].click().run()
    assert app.session_state["console-text:kept"] == LEADS_OF_EZHOU_SCIENCE
    assert editor_args(app)["value"] == LEADS_OF_EZHOU_SCIENCE


def test_a_query_is_saved_by_name_loaded_deleted_and_downloaded(app, downloads):
    write(app, LEADS_OF_EZHOU_SCIENCE)
    app.text_area(key="console-params").set_value("x=1")
    app.text_input(key="console-save-name").set_value("科技局牵头")
    app.button(key="console-save").click().run()
    assert [s.value for s in app.success] == ["已保存为 科技局牵头。"]
    assert app.session_state["console-saved"] == {"科技局牵头": {"query": LEADS_OF_EZHOU_SCIENCE, "params": "x=1"}}
    saved = json.loads(downloads["policykg-saved-queries.json"])
    assert saved == {"科技局牵头": {"query": LEADS_OF_EZHOU_SCIENCE, "params": "x=1"}}
    write(app, "RETURN 1")
    app.selectbox(key="console-saved-pick").set_value("科技局牵头").run()
    app.button(key="console-saved-load").click().run()
    assert app.session_state["console-text:kept"] == LEADS_OF_EZHOU_SCIENCE
    app.button(key="console-saved-delete").click().run()
    assert app.session_state["console-saved"] == {}


def test_a_name_is_needed_to_save(app):
    app.button(key="console-save").click().run()
    assert [w.value for w in app.warning] == ["请先填写名称。"] and "console-saved" not in app.session_state


def test_a_query_that_runs_but_names_what_the_schema_lacks_is_warned_with_the_fix(app):
    # LadybugDB takes a label in another case (Neo4j takes any label and answers nothing): the schema says Agency
    run(app, "MATCH (a:agency) RETURN count(a) AS n")
    assert not app.error
    assert [plain(w.value) for w in app.warning] == [
        "查询结果可能因名称拼写而为空或不完整： 图谱中没有节点标签 `agency`。"]
    assert "（1:10）" in captions(app)[-1] or any("（1:10）" in c for c in captions(app))
    app.button(key="console-unknown-0-0").click().run()
    assert app.session_state["console-text:kept"] == "MATCH (a:Agency) RETURN count(a) AS n"
    assert rows(app) == [[69]] and not app.warning


def test_saved_queries_are_uploaded_from_the_json_the_page_downloads(app):
    upload = json.dumps({"甲": {"query": "RETURN 1 AS one", "params": ""}, "乙": {"query": "RETURN 2"}}).encode()
    app.file_uploader(key="console-saved-upload").set_value(("saved.json", upload, "application/json")).run()
    assert not app.exception
    assert [s.value for s in app.success] == ["已读入 2 条保存的查询。"]
    assert app.session_state["console-saved"] == {"甲": {"query": "RETURN 1 AS one", "params": ""},
                                                  "乙": {"query": "RETURN 2", "params": ""}}
    assert app.selectbox(key="console-saved-pick").options == ["乙", "甲"]


def test_a_file_that_is_not_saved_queries_is_refused_plainly(app):
    app.file_uploader(key="console-saved-upload").set_value(("x.json", b'["RETURN 1"]', "application/json")).run()
    assert [e.value for e in app.error] == ["无法读取此文件：应为本页下载的 JSON（名称 → 查询和参数）。"]
    assert "console-saved" not in app.session_state


def test_in_english_no_chinese_shows_outside_the_data(app):
    app.sidebar.radio(key="language").set_value("en").run()
    run(app, "MATCH (a:Agency)-[r:LEADS]->(x:Action) RETURN a.city AS city, r.basis AS basis LIMIT 3")
    run(app, "MATCH (a:Agncy)\nRETURN a")
    app.toggle(key="console-engine").set_value(True).run()
    texts = [*markdown_texts(app), *editor_args(app)["words"].values()]
    assert texts and [text for text in texts if re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text)] == []


@pytest.fixture
def neo4j_app(tmp_path, monkeypatch):
    """The console on the Neo4j server holding the two bundled plans (cleared and loaded: run the Neo4j
    tests under flock /tmp/neo4j-tests.lock); skipped without a server."""
    from tests.apptest import clear_caches
    from tests.stores import seeded_store

    store = seeded_store("neo4j", tmp_path)  # skips without NEO4J_URI
    store.close()
    monkeypatch.setenv("POLICYKG_DB", str(tmp_path / "unused.lbdb"))
    clear_caches()
    yield open_page("explorer/pages/console.py")
    clear_caches()


def test_on_neo4j_an_unknown_label_answers_nothing_and_the_page_says_which_name_and_fixes_it(neo4j_app):
    run(neo4j_app, "MATCH (a:Agncy) RETURN count(a) AS n")
    assert not neo4j_app.error and rows(neo4j_app) == [[0]]
    assert [plain(w.value) for w in neo4j_app.warning] == [
        "查询结果可能因名称拼写而为空或不完整： 图谱中没有节点标签 `Agncy`。"]
    neo4j_app.button(key="console-unknown-0-0").click().run()
    assert rows(neo4j_app) == [[69]] and not neo4j_app.warning


def test_on_neo4j_a_syntax_error_points_at_the_same_place_as_on_the_embedded_store(neo4j_app):
    run(neo4j_app, "MATCH (a:Agency)\nRETURN a.name AS n ORDER BY n LIMT 3")
    assert [plain(e.value) for e in neo4j_app.error] == ["语法错误：在 `LIMT` 处无法解析。"]
    assert "位置：第 2 行第 31 列（2:31）" in captions(neo4j_app)
    assert suggestions(neo4j_app) == ["`LIMIT`"]
    neo4j_app.button(key="console-suggestion-0").click().run()
    assert len(rows(neo4j_app)) == 3
