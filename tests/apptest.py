"""What the AppTest suites share: a fresh embedded store per test, opening a page, reading downloads.

The app caches its store per process (st.cache_resource), so each test clears Streamlit's
caches and points POLICYKG_DB at its own folder; the app then loads the two bundled plans
on first start, as on a new machine.
"""

from __future__ import annotations

import gc
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")

# What a hostile document may contain; every page must show these as text.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"
LINK = "[link](http://x)"


def clear_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Iterator[Path]:
    """A fresh embedded store for the app, no Neo4j, nothing cached from another test."""
    path = tmp_path / "graph.lbdb"
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("POLICYKG_DB", str(path))
    clear_caches()
    yield path
    clear_caches()
    gc.collect()  # let the cached store's database close before the next test opens another


def store_holding(path: Path, text: str, name: str) -> Path:
    """Write one plan, extracted from ``text`` as file ``name``, into a new embedded store at ``path``."""
    from graph.embedded import EmbeddedStore
    from graph.records import document_records
    from loaders import extract_text

    store = EmbeddedStore(path)
    store.load(document_records(extract_text(text, name)))
    store.close()
    return path


def open_page(page: str) -> AppTest:
    """The app started on the default page, then switched to ``page`` (``explorer/pages/<name>.py``)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """File name -> the bytes of every st.download_button the app made (AppTest keeps them in memory)."""
    captured: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        captured[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return captured


def plain(markdown: str) -> str:
    """What a reader sees of a message escaped for Markdown (explorer.uploads.markdown_text)."""
    return re.sub(r"\\(.)", r"\1", html.unescape(markdown))
