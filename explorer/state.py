"""The graph the app shows: one store per process, a networkx snapshot per data version and scope.

The store is opened once (Streamlit's resource cache) and shared by every
session. Pages list plans and cities from :func:`document_index` (no text, any corpus size) and
take their graph from :func:`get_graph` with the plans their filters choose: a corpus of up to
:data:`PAGE_PLANS` plans is read whole once and filtered in memory; a larger one is read only in
the part the chosen plans use (``GraphStore.to_networkx(documents)``, the filters in the Cypher),
and a choice of more than :data:`PAGE_PLANS` plans is refused with a plain line
(:class:`TooManyPlans`), never read whole. Cached views are keyed on the store's change stamp (``data_version``), read
from the store on every run, never on a counter of this process. Neo4j is used
when NEO4J_URI is set; if it cannot be reached the app says so plainly and offers
the embedded store. The embedded store is opened writable (uploads add documents)
and reads in read-only transactions.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Collection
from typing import Any

import networkx as nx
import streamlit as st

from explorer.i18n import t
from graph.errors import StoreUnavailable
from graph.loading import ensure_loaded
from graph.store import DEFAULT_ROW_CAP, GraphStore, open_store, plans_of, store_kind_from_environment
from queries.analytics import CoordinationAnalysis, kept_coordination
from views.network import filter_graph

_first_start_lock = threading.Lock()


_RUN_VERSION = "state:data-version"  # the change stamp this run read, in session state (app.py resets it)


def begin_run() -> None:
    """Start a run (app.py, after the callbacks, which may have written, and before the page): the page's
    reads then all see one change stamp, read once, not one per cached view it asks for."""
    st.session_state.pop(_RUN_VERSION, None)


def data_version() -> int:
    """The store's change stamp: every load changes it, by this app or by any other process
    (a colleague's ``policykg load`` into a shared Neo4j), so cached views keyed on it refresh. Read once
    a run (:func:`begin_run`): a load by another process during the run shows on the next one."""
    if _RUN_VERSION not in st.session_state:
        st.session_state[_RUN_VERSION] = get_store().data_version()
    return st.session_state[_RUN_VERSION]


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


#: The most plans a page reads at once (``POLICYKG_PAGE_PLANS``): a city's 189 plans of a 10,000-plan
#: corpus read in 2.3 s (docs/benchmarks.md § Scale); a corpus this size or smaller is read whole.
PAGE_PLANS = int(os.environ.get("POLICYKG_PAGE_PLANS", "250"))
#: The most names a page offers in one list; past it they are typed (10,000 plans' file names in one list
#: made a first render of 3.2 s)
LIST_OPTIONS = 2000
#: Rows a page of a table of plans holds (10,000 made a first render of 4.1 s)
LISTING_ROWS = min(DEFAULT_ROW_CAP, 1000)


class TooManyPlans(Exception):
    """The plans a page was asked to show are more than it reads at once (:data:`PAGE_PLANS`)."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} plans chosen; a page reads at most {limit}")
        self.count, self.limit = count, limit


@st.cache_resource(show_spinner=False, max_entries=4)  # shared, not copied: a page asks for it several times a run
def _document_index(kind: str, version: int) -> list[dict[str, Any]]:
    store, _ = _open_store(kind)
    return store.document_index()


def document_index() -> list[dict[str, Any]]:
    """Every plan without its text (id, source, title, city, province, level, published), by id. Do not mutate."""
    get_store()
    return _document_index(store_kind(), data_version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _action_document(kind: str, version: int, action_id: str) -> str | None:
    store, _ = _open_store(kind)
    return store.action_document(action_id)


def action_document(action_id: str) -> str | None:
    """The id of the plan an action belongs to (None: no such action), asked of the store by the action's key."""
    get_store()
    return _action_document(store_kind(), data_version(), action_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def _graph(kind: str, version: int) -> nx.MultiDiGraph:
    store, _ = _open_store(kind)
    return store.to_networkx()


@st.cache_resource(show_spinner=False, max_entries=8)
def _part(kind: str, version: int, plans: tuple[str, ...]) -> nx.MultiDiGraph:
    store, _ = _open_store(kind)
    return store.to_networkx(plans)


def plan_scope(documents: Collection[str] | None = None, cities: Collection[str] | None = None) -> list[str] | None:
    """The plan ids a page's filters choose: ``documents`` (ids) and the plans of ``cities`` (None among
    them: the plans whose government is unknown); None (or empty) for a filter not set. None when neither
    is set: every plan."""
    if not documents and not cities:
        return None
    return plans_of(document_index(), cities=cities, documents=documents)


def reads_whole() -> bool:
    """Whether the corpus is small enough that pages read it whole (and filter it in memory)."""
    return len(document_index()) <= PAGE_PLANS


def get_graph(documents: Collection[str] | None = None) -> nx.MultiDiGraph:
    """The graph a page shows, as networkx (node key = id; ``label`` and properties as attributes). Do not mutate.

    ``documents``: the plan ids the page's filters chose (:func:`plan_scope`); None: every plan. The
    graph holds at least what those plans use (the whole graph while the corpus has at most
    :data:`PAGE_PLANS` plans), so pages still filter it (views.network.filter_graph). Raises
    :class:`TooManyPlans` for more plans than that (every plan of a larger corpus included).
    """
    get_store()
    if reads_whole():
        return _graph(store_kind(), data_version())
    count = len(document_index()) if documents is None else len(set(documents))
    if documents is None or count > PAGE_PLANS:
        raise TooManyPlans(count, PAGE_PLANS)
    return _part(store_kind(), data_version(), tuple(sorted(set(documents))))


def graph_or_stop(documents: Collection[str] | None = None) -> nx.MultiDiGraph:
    """:func:`get_graph`, or the page stops there with a plain line saying how many plans were chosen
    and how many a page reads (its filters, drawn before, stay to choose fewer)."""
    try:
        return get_graph(documents)
    except TooManyPlans as error:
        _stop_for(error)
        raise  # _stop_for raises; this line is for type checkers


def _stop_for(error: TooManyPlans) -> None:
    st.info(t("app.too_many_plans", count=error.count, limit=error.limit))
    st.stop()


def coordination(city: str | None, documents: Collection[str] = (), min_weight: int = 1) -> CoordinationAnalysis:
    """The coordination analysis of ``city``'s actions (None: every city's) in ``documents`` (ids; none:
    every plan), links below ``min_weight`` left out (queries.analytics.kept_coordination). From this
    process's cache, else from the results kept in the store (another server, or ``policykg analyze``,
    computed it at this change stamp), else computed from the graph those plans use, read only then. Stops
    the page as :func:`graph_or_stop` does when that read would take more plans than a page reads. Do not mutate."""
    get_store()
    try:
        return _coordination(store_kind(), data_version(), city, tuple(sorted(set(documents))), min_weight)
    except TooManyPlans as error:
        _stop_for(error)
        raise


@st.cache_resource(show_spinner=False, max_entries=32)
def _coordination(kind: str, version: int, city: str | None, documents: tuple[str, ...],
                  min_weight: int) -> CoordinationAnalysis:
    store, _ = _open_store(kind)

    def graph_of() -> nx.MultiDiGraph:
        graph = get_graph(plan_scope(documents, [city] if city else None))
        return filter_graph(graph, documents=documents, labels=None) if documents else graph

    return kept_coordination(store, version, graph_of, city=city, documents=documents, min_weight=min_weight)[0]


def government_graph(graph: nx.MultiDiGraph, doc_id: str) -> nx.MultiDiGraph:
    """The graph that holds every agency a correction of plan ``doc_id`` may name (views.network.plan_agencies):
    ``graph`` itself while the corpus is read whole, else the part of every plan of the plan's government (a
    page filtered to one plan holds only the units that plan names), or of the plan alone when its government
    is unknown; ``graph`` again if the government has more plans than a page reads."""
    if reads_whole():
        return graph
    city = document_cities().get(doc_id)
    plans = plan_scope(cities=[city]) if city else [doc_id]
    if not plans or len(plans) > PAGE_PLANS:
        return graph
    return get_graph(plans)


def cities() -> list[str]:
    """The governments the plans belong to (the plans whose government is unknown are under none)."""
    return sorted({row["city"] for row in document_index() if row.get("city")})


def documents() -> dict[str, str]:
    """Document id -> a label people recognise (title, else file name), in file-name order."""
    return {row["id"]: row.get("title") or row.get("source") or row["id"]
            for row in sorted(document_index(), key=lambda row: row.get("source") or "")}


def document_cities() -> dict[str, str | None]:
    """Document id -> its government (None: unknown)."""
    return {row["id"]: row.get("city") for row in document_index()}
