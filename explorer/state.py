"""The graph the app shows: one store per process, a networkx snapshot per data version.

The store is opened once (Streamlit's resource cache) and shared by every
session. Cached views are keyed on the store's change stamp (``data_version``), read
from the store on every run, never on a counter of this process. Neo4j is used
when NEO4J_URI is set; if it cannot be reached the app says so plainly and offers
the embedded store. The embedded store is opened writable (uploads add documents)
and reads in read-only transactions.
"""

from __future__ import annotations

import threading

import networkx as nx
import streamlit as st

from explorer.i18n import t
from graph.errors import StoreUnavailable
from graph.loading import ensure_loaded
from graph.store import GraphStore, open_store, store_kind_from_environment

_first_start_lock = threading.Lock()


def data_version() -> int:
    """The store's change stamp: every load changes it, by this app or by any other process
    (a colleague's ``policykg load`` into a shared Neo4j), so cached views keyed on it refresh."""
    return get_store().data_version()


@st.cache_resource(show_spinner=False)
def _open_store(kind: str) -> tuple[GraphStore, dict[str, int]]:
    store = open_store(kind)
    report = ensure_loaded(store)
    # Shared by every session of this server: the first-start notice is shown once, not per tab.
    return store, {"first_loaded": report.loaded if report else 0}


def store_kind() -> str:
    return st.session_state.get("store_kind") or store_kind_from_environment()


def store_line(store: GraphStore) -> str:
    """Where the graph is, in the session's words (the stores' own ``describe`` is the command line's English)."""
    from graph.embedded import EmbeddedStore
    from graph.neo4j_store import Neo4jStore

    if isinstance(store, EmbeddedStore):
        return t("app.store_embedded_read_only" if store.read_only else "app.store_embedded", path=str(store.path))
    if isinstance(store, Neo4jStore):
        return t("app.store_neo4j_database" if store.database else "app.store_neo4j", uri=store.uri,
                 database=store.database or "")
    return store.describe()


def get_store() -> GraphStore:
    """The active store; stops the page with a plain message (and a way out) if it cannot be opened."""
    kind = store_kind()
    try:
        store, first_start = _open_store(kind)
    except StoreUnavailable as error:
        st.error(t("app.neo4j_unreachable", error=str(error)) if kind == "neo4j" else str(error))
        if kind == "neo4j" and st.button(t("app.use_embedded"), key="use-embedded"):
            st.session_state["store_kind"] = "embedded"
            st.rerun()
        st.stop()
    with _first_start_lock:
        first_loaded, first_start["first_loaded"] = first_start["first_loaded"], 0
    if first_loaded:
        st.toast(t("app.first_load", count=first_loaded))
    return store


@st.cache_resource(show_spinner=False, max_entries=4)
def _graph(kind: str, version: int) -> nx.MultiDiGraph:
    store, _ = _open_store(kind)
    return store.to_networkx()


def get_graph() -> nx.MultiDiGraph:
    """The whole graph as networkx (node key = id; ``label`` and properties as attributes). Do not mutate."""
    get_store()
    return _graph(store_kind(), data_version())


def cities(graph: nx.MultiDiGraph) -> list[str]:
    return sorted({d["city"] for _, d in graph.nodes(data=True) if d["label"] == "Document" and d.get("city")})


def documents(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Document id -> a label people recognise (title, else file name)."""
    return {key: d.get("title") or d.get("source") or key
            for key, d in sorted(graph.nodes(data=True), key=lambda item: item[1].get("source", ""))
            if d["label"] == "Document"}
