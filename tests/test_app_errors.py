"""A failure is one plain line in the chosen language: never a traceback, an exception's message or a secret.

The store is made to fail with a password in the exception's message (as a driver's error may quote the
URI it was given); no page may show it, as text or in an st.exception element, and the log must not hold it.
A graph.errors.StoreError is said by its kind, its message (the stores keep those free of credentials)
behind a toggle; anything else only as "something went wrong", its kind behind the toggle.
"""

from __future__ import annotations

import logging
import tomllib

import pytest
from google.protobuf import text_format
from streamlit import config

from graph.errors import QueryTimeout
from graph.store import GraphStore
from tests.apptest import ROOT, open_page, plain

SECRET = "s3cret-Pa55"
URI = f"neo4j://neo4j:{SECRET}@db.example:7687"
PAGES = ("network", "agencies", "coordination", "library", "documents", "targets", "review")


def shown_text(at) -> str:
    """Everything the page sends to the browser, element by element (protobuf text)."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            found.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def assert_told_plainly(at, line: str, caplog) -> None:
    assert not at.exception  # no st.exception element, so no traceback
    assert [plain(e.value) for e in at.error] == [line]
    text = shown_text(at)
    assert SECRET not in text and "Traceback" not in text and "db.example" not in text
    assert SECRET not in caplog.text and "db.example" not in caplog.text


@pytest.fixture
def failing(store_path, monkeypatch):
    """The store loads the bundled plans on first start, then every read fails with the URI in its message."""
    def fail(*args, **kwargs):
        raise ConnectionError(f"could not reach {URI}: connection refused")

    import explorer.state

    original, original_start = GraphStore.run_read, explorer.state.ensure_loaded
    started = []

    def ensure_loaded(store):  # the first start reads what it needs (document ids); every read after it fails
        report = original_start(store)
        started.append(True)
        return report

    def run_read(self, query, parameters=None, **kwargs):
        if not started:
            return original(self, query, parameters, **kwargs)
        fail()

    monkeypatch.setattr(explorer.state, "ensure_loaded", ensure_loaded)

    monkeypatch.setattr(GraphStore, "to_networkx", fail)
    monkeypatch.setattr(GraphStore, "run_read", run_read)
    return store_path


@pytest.mark.parametrize("page", PAGES)
def test_a_page_whose_store_raises_shows_one_plain_line_without_the_secret_or_a_traceback(failing, page, caplog):
    caplog.set_level(logging.INFO)
    at = open_page(f"explorer/pages/{page}.py")
    assert_told_plainly(at, "出错了（详情已记入日志）", caplog)
    assert "builtins.ConnectionError" in caplog.text and "(frames only)" in caplog.text
    assert "in fail" in caplog.text  # the frames say where it failed


def test_the_line_is_in_the_chosen_language(failing, caplog):
    at = open_page("explorer/pages/agencies.py")
    at.radio(key="language").set_value("en").run()
    assert_told_plainly(at, "Something went wrong (the details are in the log)", caplog)


def test_a_console_query_whose_store_raises_says_only_the_kind_of_error(failing, caplog):
    at = open_page("explorer/pages/console.py")
    at.button(key="console-run").click().run()
    assert_told_plainly(at, "出错了（详情已记入日志）", caplog)


def test_a_failing_callback_is_told_like_a_page(failing, caplog):
    at = open_page("explorer/pages/console.py")
    at.selectbox(key="console-example").set_value("actions-led-by").run()  # resolves names in the store
    assert_told_plainly(at, "出错了（详情已记入日志）", caplog)
    assert "callback _load_example failed" in caplog.text


def test_a_store_error_is_shown_with_its_message(store_path, monkeypatch, caplog):
    def timeout(*args, **kwargs):
        raise QueryTimeout("the query ran longer than 10 s and was stopped")

    monkeypatch.setattr(GraphStore, "to_networkx", timeout)
    at = open_page("explorer/pages/targets.py")
    assert_told_plainly(at, "查询运行超时，已停止", caplog)
    assert [e.label for e in at.expander] == ["存储引擎原文"]
    assert [x.value for x in at.expander[0].text] == ["the query ran longer than 10 s and was stopped"]
    assert "graph.errors.QueryTimeout: the query ran longer than 10 s and was stopped" in caplog.text  # as shown


def test_streamlit_is_told_to_show_no_error_details():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["showErrorDetails"] == config.ShowErrorDetailsConfigOptions.NONE.value == "none"
