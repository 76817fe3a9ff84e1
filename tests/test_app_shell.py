"""The app shell: store choice, first start, language switch, and an unreachable Neo4j."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

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
