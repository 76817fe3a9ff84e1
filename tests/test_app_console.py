"""The Cypher console page, driven with Streamlit's AppTest on the embedded store holding the two bundled plans."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page, plain

LEADS_OF_EZHOU_SCIENCE = ("MATCH (a:Agency)-[:LEADS]->(x:Action) WHERE a.name = '鄂州市科技局' "
                          "RETURN x.number AS n ORDER BY x.seq")
COUNTS = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"


@pytest.fixture
def app(store_path):
    """The app on a fresh embedded store (the bundled plans load on first start), on the console page."""
    return open_page("explorer/pages/console.py")


def run(at: AppTest, query: str, params: str = "", *, row_cap: int | None = None,
        timeout: float | None = None) -> AppTest:
    at.text_area(key="console-query").set_value(query)
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
    return [element for element in at.main if getattr(element, "type", "") == "iframe"]


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


def test_a_malformed_parameter_line_is_a_plain_error(app):
    run(app, LEADS_OF_EZHOU_SCIENCE, "oops")
    assert [plain(e.value) for e in app.error] == ["parameter line 'oops': write it as name=value"]
    assert not app.dataframe


@pytest.mark.parametrize("write, word", [
    ("MATCH (a:Agency) DETACH DELETE a", "DETACH"),
    ("CREATE (a:Agency {id: 'x', name: 'x'}) RETURN a", "CREATE"),
    ("MATCH (a:Agency {name: '鄂州市科技局'}) SET a.name = 'hacked' RETURN a", "SET"),
])
def test_a_write_is_refused_with_a_plain_error_and_the_graph_is_unchanged(app, write, word):
    before = rows(run(app, COUNTS))
    assert before[0][0] > 0
    run(app, write)
    assert [plain(e.value) for e in app.error] == [f"policykg cypher is read-only: {word} is not allowed"]
    assert not app.dataframe and not app.exception
    assert rows(run(app, COUNTS)) == before
    assert rows(run(app, LEADS_OF_EZHOU_SCIENCE)) == [["2."], ["4."], ["5."], ["6."], ["7."]]


def test_a_syntax_error_is_one_plain_line_without_a_traceback(app):
    run(app, "MATC (a:Agency) RETURN a")
    assert len(app.error) == 1
    message = plain(app.error[0].value)
    assert message.startswith("Parser exception: ")
    assert "\n" not in message and "Traceback" not in message
    assert not app.dataframe and not app.exception


def test_a_query_over_its_time_limit_is_stopped_with_a_plain_message(app):
    run(app, "MATCH (a), (b), (c), (d) WHERE a.id < b.id AND b.id < c.id AND c.id < d.id RETURN count(*)",
        timeout=1.0)
    assert [plain(e.value) for e in app.error] == ["the query ran longer than 1 s and was stopped"]


def test_hitting_the_row_cap_is_reported(app):
    run(app, "MATCH (x:Action) RETURN x.number AS number ORDER BY x.seq", row_cap=3)
    assert len(rows(app)) == 3
    assert [w.value for w in app.warning] == ["只显示前 3 行：已达到行数上限，提高上限可看到更多。"]
    run(app, "MATCH (x:Action) RETURN count(x) AS actions", row_cap=3)
    assert rows(app) == [[47]] and not app.warning


def test_time_limit_and_row_cap_stay_within_bounds(app):
    timeout, row_cap = app.number_input(key="console-timeout"), app.number_input(key="console-row-cap")
    assert (timeout.value, row_cap.value) == (10.0, 10_000)
    assert (timeout.min, timeout.max) == (1.0, 120.0)
    assert (row_cap.min, row_cap.max) == (1, 100_000)


def test_a_node_returning_query_draws_a_graph_and_a_table_only_query_does_not(app):
    run(app, "MATCH (a:Agency {name: '鄂州市科技局'})-[r:LEADS]->(x:Action) RETURN a, r, x ORDER BY x.seq")
    assert rows(app)[0] == ["(Agency 鄂州市科技局)", "[LEADS]", "(Action 2. 发挥核心区引领带动)"]
    frames = graph_frames(app)
    assert len(frames) == 1
    assert "鄂州市科技局" in frames[0].proto.srcdoc and "vis.Network" in frames[0].proto.srcdoc
    assert "结果中的 6 个节点、5 条关系" in [c.value for c in app.caption]
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


def test_results_download_as_csv_and_json(app):
    run(app, LEADS_OF_EZHOU_SCIENCE)
    assert [b.label for b in app.get("download_button")] == ["CSV", "JSON"]


def test_an_example_from_the_library_loads_runnable_cypher_with_resolved_parameters(app):
    app.selectbox(key="console-example").set_value("actions-led-by").run()
    assert app.text_area(key="console-params").value == 'agency=["鄂州市科技局"]\ncity="鄂州市"'
    assert "MATCH (a:Agency)-[l:LEADS]->(x:Action)" in app.text_area(key="console-query").value
    app.button(key="console-run").click().run()
    assert not app.error
    assert [row[2] for row in rows(app)] == ["2.", "4.", "5.", "6.", "7."]
    assert {row[1] for row in rows(app)} == {"鄂州市科技局"}
