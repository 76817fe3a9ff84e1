"""Cypher console: read-only Cypher for researchers, as `policykg cypher` runs it.

The query goes through ``store.run_read`` (the read-only guard, then the store's own
read-only transaction), with a time limit and a row cap the user may change within
bounds. Examples come from the query library: their Cypher as the active store reads
it, with the example's parameters resolved to the values the Cypher matches on.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from explorer.i18n import language, t
from explorer.state import get_store
from explorer.uploads import markdown_text
from explorer.widgets import (
    as_dataframe,
    download_buttons,
    failure_line,
    guarded_callback,
    log_failure,
    show_network,
)
from graph import dialect
from graph.errors import StoreError
from graph.store import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, GraphStore
from queries import QueryParameterError, load_library
from queries.params import parse_params
from queries.runner import resolve_parameters, store_types
from views.network import result_graph

TIMEOUT_MIN, TIMEOUT_MAX = 1.0, 120.0
ROW_CAP_MIN, ROW_CAP_MAX = 1, 100_000
GRAPH_NODE_LIMIT = 2000  # larger results are shown as a table only
DEFAULT_QUERY = """MATCH (a:Agency)-[l:LEADS]->(x:Action)
RETURN a.name AS agency, l.basis AS basis, count(x) AS actions
ORDER BY actions DESC, agency LIMIT 8"""

QUERY_KEY, PARAMS_KEY, EXAMPLE_KEY, RESULT_KEY = "console-query", "console-params", "console-example", "console-result"


def read_params(text: str) -> dict[str, Any]:
    """``name=value`` lines (blank lines and ``#`` / ``//`` comments skipped); values read as JSON when they parse."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("#", "//"))]
    for line in lines:
        if not line.partition("=")[0].strip() or "=" not in line:
            raise ValueError(f"parameter line {line!r}: write it as name=value")
    return parse_params(lines)


def example_text(store: GraphStore, name: str) -> tuple[str, str, str | None]:
    """A library query as console input: its Cypher for this store, its example's parameters, a problem if any."""
    query = load_library()[name]
    cypher = dialect.for_store(query.cypher, store.kind, store_types(query))
    problem = None
    try:
        values = resolve_parameters(store, query, dict(query.example))
    except QueryParameterError as error:  # the example names something not loaded: show it as written
        values, problem = {p.name: query.example.get(p.name, p.default) for p in query.params}, str(error)
    params = "\n".join(f"{p.name}={json.dumps(values.get(p.name), ensure_ascii=False)}" for p in query.params)
    return cypher, params, problem


@guarded_callback
def _load_example() -> None:
    name = st.session_state.get(EXAMPLE_KEY)
    if not name:
        return
    cypher, params, problem = example_text(get_store(), name)
    st.session_state[QUERY_KEY] = cypher
    st.session_state[PARAMS_KEY] = params
    st.session_state["console-example-problem"] = problem
    st.session_state.pop(RESULT_KEY, None)


def json_safe(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as JSON can hold them (dates and other store values as text)."""
    return json.loads(json.dumps(rows, ensure_ascii=False, default=str))


def run(store: GraphStore, query: str, params_text: str, timeout: float, row_cap: int) -> dict[str, Any]:
    """Run the console's query; the outcome (result or one-line error) as the page keeps it between reruns."""
    outcome: dict[str, Any] = {"query": query}
    try:
        params = read_params(params_text)
        outcome["result"] = store.run_read(query, params, timeout=timeout, row_cap=row_cap)
    except (StoreError, ValueError) as error:
        outcome["error"] = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    except Exception as error:  # a store library's own error: its kind only (its message may quote a URI)
        log_failure(error, "console query")
        outcome["failure"] = failure_line(error)
    return outcome


st.title(t("page.console"))
st.caption(t("console.intro"))
store = get_store()
library = load_library()

# Widget values are forgotten when another page is shown; the page keeps its own copy to come back to.
SAVED = {QUERY_KEY: DEFAULT_QUERY, PARAMS_KEY: "", "console-timeout": DEFAULT_TIMEOUT,
         "console-row-cap": DEFAULT_ROW_CAP}
for key, default in SAVED.items():
    st.session_state.setdefault(key, st.session_state.get(f"{key}-saved", default))

title_of = (lambda q: q.title_zh) if language() == "zh" else (lambda q: q.title_en)
st.selectbox(t("console.examples"), list(library), index=None, key=EXAMPLE_KEY, on_change=_load_example,
             format_func=lambda name: f"{title_of(library[name])} · {name}", placeholder=t("console.examples_hint"))
if st.session_state.get(EXAMPLE_KEY) and st.session_state.get(EXAMPLE_KEY) in library:
    example = library[st.session_state[EXAMPLE_KEY]]
    written = " ".join(f"{k}={v}" for k, v in example.example.items())
    st.caption(t("console.example_note", name=example.name, example=markdown_text(written) or "—"))
    if st.session_state.get("console-example-problem"):
        st.warning(markdown_text(st.session_state["console-example-problem"]))

with st.form("console-form", border=False):
    st.text_area(t("console.query"), key=QUERY_KEY, height=180, help=t("console.query_help"))
    left, middle, right = st.columns([3, 1, 1])
    left.text_area(t("console.params"), key=PARAMS_KEY, height=100, placeholder='name="鄂州市科技局"\nyear=2027',
                   help=t("console.params_help"))
    middle.number_input(t("console.timeout"), min_value=TIMEOUT_MIN, max_value=TIMEOUT_MAX, step=1.0,
                        key="console-timeout", help=t("console.timeout_help", low=TIMEOUT_MIN, high=TIMEOUT_MAX))
    right.number_input(t("console.row_cap"), min_value=ROW_CAP_MIN, max_value=ROW_CAP_MAX, step=1000,
                       key="console-row-cap", help=t("console.row_cap_help", low=ROW_CAP_MIN, high=ROW_CAP_MAX))
    submitted = st.form_submit_button(t("console.run"), type="primary", key="console-run")

for key in SAVED:
    st.session_state[f"{key}-saved"] = st.session_state[key]

if submitted:
    query = st.session_state[QUERY_KEY]
    if not query.strip():
        st.session_state[RESULT_KEY] = {"query": query, "error": t("console.empty")}
    else:
        st.session_state[RESULT_KEY] = run(store, query, st.session_state[PARAMS_KEY],
                                           float(st.session_state["console-timeout"]),
                                           int(st.session_state["console-row-cap"]))

outcome = st.session_state.get(RESULT_KEY)
if outcome and "error" in outcome:
    st.error(markdown_text(outcome["error"]))
elif outcome and "failure" in outcome:
    st.error(outcome["failure"])  # our words, the kind already escaped
elif outcome:
    result = outcome["result"]
    count = len(result.rows)
    st.caption(t("console.rows", count=count))
    if result.truncated:
        st.warning(t("console.row_cap_hit", cap=result.row_cap))
    frame = as_dataframe(result.columns, result.rows)
    st.dataframe(frame, hide_index=True)
    download_buttons(frame, "policykg-cypher", key="console-download",
                     raw={"columns": result.columns, "rows": json_safe(result.rows)})
    graph = result_graph(result.rows)
    if graph.number_of_nodes() > GRAPH_NODE_LIMIT:
        st.caption(t("console.graph_too_large", nodes=graph.number_of_nodes(), limit=GRAPH_NODE_LIMIT))
    elif graph.number_of_nodes():
        st.subheader(t("console.graph"))
        st.caption(t("console.graph_counts", nodes=graph.number_of_nodes(), edges=graph.number_of_edges()))
        show_network(graph, height=560)
