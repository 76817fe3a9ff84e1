"""What the AppTest suites share: an embedded store per test, opening a page, reading downloads.

The app caches its store per process (st.cache_resource), so each test clears Streamlit's
caches and points POLICYKG_DB at its own copy of the session's store of the two bundled plans
(tests/conftest.py ``bundled_store``): what the app would load on first start on a new
machine, without extracting and loading the plans again in every test. A test that wants
another graph writes it over its copy (:func:`store_holding`); tests/test_app_shell.py starts
the app on an empty store.
"""

from __future__ import annotations

import gc
import html
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.stores import remove_store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")

# What a hostile document may contain; every page must show these as text.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"
LINK = "[link](http://x)"
# A tiny plan for the Agencies and Targets suites, with script tags, an image with an onerror handler and
# Markdown in unit names, an action title and target text (the target text keeps what the target reader takes in).
XSS_PLAN = (
    "鄂州市人工智能测试行动方案\n\n一、重点任务\n"
    "（一）<script>alert(1)</script>**x** [l](http://e)行动。"
    "到2027年，<script>alert(1)</script>推进<img src=x onerror=alert`1`>**x** [l]平台突破10个。"
    "（牵头单位：市<script>alert(1)</script>局；责任单位：**x** [l](http://e)局、<img src=x onerror=alert(1)>中心）\n"
    "（二）<img src=x onerror=alert(1)>建设。"
    "到2027年，建成<script>alert`1`</script>**x**中心5个。（责任单位：市科技局）\n"
)


def clear_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def store_path(tmp_path, monkeypatch, request) -> Iterator[Path]:
    """The app's embedded store: this test's own copy of the two bundled plans' store (none for a test
    marked ``empty_store``: the app loads them on first start), no Neo4j, nothing cached from another test."""
    path = tmp_path / "graph.lbdb"
    if request.node.get_closest_marker("empty_store") is None:
        request.getfixturevalue("bundled_store").copy_to(path)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("POLICYKG_DB", str(path))
    clear_caches()
    yield path
    clear_caches()
    gc.collect()  # let the cached store's database close before the next test opens another


@pytest.fixture
def app_db(store_path) -> Path:
    """``store_path`` under the name the Agencies and Targets suites use."""
    return store_path


def app_store():
    """The store the app opened (explorer.state caches it per process; AppTest runs the app in this one)."""
    from explorer.state import _open_store

    return _open_store("embedded")[0]


def store_holding(path: Path, text: str, name: str) -> Path:
    """Make the embedded store at ``path`` a new one holding only one plan, extracted from ``text``
    as file ``name`` (a store already there, such as ``store_path``'s copy, is replaced)."""
    from graph.embedded import EmbeddedStore
    from graph.records import document_records
    from loaders import extract_text

    remove_store(path)
    store = EmbeddedStore(path)
    try:
        store.load(document_records(extract_text(text, name)))
    finally:
        store.close()
    return path


def load_plan(path: Path, text: str) -> None:
    """The store at ``path`` holding only the plan ``text`` (as file ``xss-plan.txt``): :func:`store_holding`."""
    store_holding(path, text, "xss-plan.txt")


def open_page(page: str) -> AppTest:
    """The app started on the default page, then switched to ``page``: a page script
    (``explorer/pages/<name>.py``) or just its name (``agencies``)."""
    if "/" not in page:
        page = f"explorer/pages/{page}.py"
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def choose_tab(at: AppTest, view_key: str, view: str) -> AppTest:
    """Open the tab ``view`` of a page whose tabs are kept under the linked ``view_key`` (the Agencies page's
    "agencies-view"), as a click on it does: AppTest cannot click a tab, so the choice the click's callback
    keeps is set, and the page run again; only the open tab is made."""
    at.session_state[f"{view_key}:kept"] = view
    return at.run()


class Downloads(dict):
    """File name -> the bytes of every st.download_button the app made; ``downloads(button)`` -> the
    bytes that button serves (read back from AppTest's in-memory media storage). A button whose data is
    made on click (a callable: Streamlit's deferred data) is made when the test asks for it, as a click would."""

    def __init__(self) -> None:
        super().__init__()
        self.storages: dict[str, MemoryMediaFileStorage] = {}  # file id -> the storage holding it
        self.deferred: dict[str, Callable[[], bytes | str]] = {}  # deferred file id -> what makes it

    def __getitem__(self, name: str) -> bytes:
        return _as_bytes(super().__getitem__(name))

    def __call__(self, button) -> bytes:
        if button.proto.deferred_file_id:
            return _as_bytes(self.deferred[button.proto.deferred_file_id])
        name = button.proto.url.rsplit("/", 1)[-1]  # <file id>.<extension>
        return self.storages[name.split(".", 1)[0]].get_file(name).content


def _as_bytes(data) -> bytes:
    data = data() if callable(data) else data
    return data.encode("utf-8") if isinstance(data, str) else data


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    """Every st.download_button the app made, by file name and by button (see :class:`Downloads`)."""
    captured = Downloads()
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def spy(self, path_or_data, mimetype, kind, filename=None):
        dict.__setitem__(captured, filename, path_or_data)
        file_id = original(self, path_or_data, mimetype, kind, filename)
        captured.storages[file_id] = self
        return file_id

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **options):
        dict.__setitem__(captured, file_name, data_callable)
        file_id = original_deferred(self, data_callable, mimetype, coordinates, file_name, **options)
        captured.deferred[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return captured


def markdown_texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer: bodies of Markdown, captions, titles,
    headers and alerts, widget and metric labels, help texts and placeholders (st.text is plain text)."""
    found = []

    def walk(node) -> None:
        if getattr(node, "type", None) != "text" and hasattr(node, "proto"):
            for field in ("body", "label", "help", "placeholder"):
                value = getattr(node.proto, field, None)
                if isinstance(value, str) and value:
                    found.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def dataframe_text(at: AppTest) -> str:
    return "\n".join(frame.value.to_csv() + " ".join(map(str, frame.value.columns)) for frame in at.dataframe)


def plain(markdown: str) -> str:
    """What a reader sees of a message escaped for Markdown (explorer.uploads.markdown_text)."""
    return re.sub(r"\\(.)", r"\1", html.unescape(markdown))


# -- the Network page's drawing (its component), read and clicked as its frontend would
def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def drawing(at: AppTest) -> dict:
    """The arguments the page gives the network component: ``data`` (views.draw.network_data), ``digest``,
    ``height``, ``lang``, ``words``."""
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "explorer.components.network_view.network_view"
    return json.loads(component.proto.json_args)


def click(at: AppTest, value: dict) -> AppTest:
    """Run the page as after the drawing told it ``value`` (what its frontend sends with setComponentValue)."""
    (component,) = at.get("component_instance")
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=component.proto.id, json_value=json.dumps(value)))
    return at._run(states)
