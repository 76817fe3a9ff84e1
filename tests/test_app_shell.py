"""The app shell: store choice, first start, language switch, and an unreachable Neo4j."""

from __future__ import annotations

import ast
import socket
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.apptest import app_store, open_page

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("POLICYKG_DB", str(tmp_path / "g.lbdb"))
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def test_first_start_builds_the_bundled_graph_in_the_embedded_store(fresh):
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert at.sidebar.text[0].value == f"内嵌 LadybugDB：{fresh / 'g.lbdb'}"
    assert (fresh / "g.lbdb").exists()
    assert [title.value for title in at.title] == ["网络图"]
    at.sidebar.radio[0].set_value("en").run()
    assert [title.value for title in at.title] == ["Network"]


def test_unreachable_neo4j_is_said_plainly_and_the_embedded_store_offered(fresh, monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret-that-must-not-show")
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("已配置 Neo4j（NEO4J_URI），但无法连接：")
    assert f"127.0.0.1:{port}" in message and "secret-that-must-not-show" not in message
    at.button(key="use-embedded").click().run()
    assert not at.exception and not at.error
    assert at.sidebar.text[0].value.startswith("内嵌 LadybugDB：")
    assert [title.value for title in at.title] == ["网络图"]


def app_scripts() -> list[Path]:
    root = Path(APP).parent
    return [root / "app.py", *sorted((root / "explorer" / "pages").glob("[!_]*.py"))]


def test_no_page_relies_on_magic_which_the_server_turns_off():
    """.streamlit/config.toml turns "magic" off (it re-parsed every page each time a tab opened after the last
    closed): a bare expression in a page script would then show nothing, silently."""
    settings = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["magicEnabled"] is False
    bare = []
    for script in app_scripts():
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Expr) else None
            if value is None or isinstance(value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom):
                continue
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                continue  # a docstring, which magic never showed either
            bare.append(f"{script.name}:{node.lineno}")
    assert bare == []
    assert len(app_scripts()) == 9  # app.py and its eight pages: the walk found them


def test_the_server_runs_no_full_garbage_collection_after_each_run():
    """A full collection after every run held the interpreter lock ~0.17 s while the run's last messages waited."""
    settings = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False


@pytest.mark.parametrize("page", ["network", "agencies", "documents"])
def test_a_run_reads_the_change_stamp_once_and_its_views_share_it(store_path, monkeypatch, page):
    at = open_page(page)
    store = app_store()
    calls = []
    original = store.data_version
    monkeypatch.setattr(store, "data_version", lambda: calls.append(1) or original())
    at.run()
    assert not at.exception
    assert len(calls) == 1  # each cached view asked for it (3–8 times a run before)
