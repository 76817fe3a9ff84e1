"""Cypher console: read-only Cypher for researchers, as `policykg cypher` runs it.

The query is written in the Cypher editor (explorer.components.cypher_editor: highlighting, completion
from the schema, a schema panel whose names insert at the cursor, Ctrl/Cmd+Enter to run) and goes
through ``store.run_read`` (the read-only guard, then the store's own read-only transaction), with a time
limit and a row cap the user may change within bounds. The text, the parameters and the bounds are
linked (explorer.links): kept in the session and in the URL.

What went wrong is said by queries.diagnose: the kind, the place (line:column, the line with a caret)
and the closest names of the schema, each a button that puts it in the query and runs it again; the
engine's own message only on request. A query that runs but names something the schema does not have
(Neo4j answers nothing then) gets the same words as a warning.

The session keeps the queries it ran (the history: a click loads one) and the queries saved by name
(in the session only; downloaded and uploaded as JSON). Results show as a table, a graph and JSON.
Examples come from the query library: their Cypher as the active store reads it, with the example's
parameters resolved to the values the Cypher matches on.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from explorer.components.cypher_editor import cypher_editor
from explorer.i18n import language, t
from explorer.links import linked, set_linked
from explorer.state import get_store
from explorer.uploads import markdown_text
from explorer.widgets import (
    as_dataframe,
    download_buttons,
    failure_line,
    guarded_callback,
    log_failure,
    page_offset,
    result_pages,
    show_network,
)
from graph import dialect
from graph.errors import StoreError
from graph.store import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, GraphStore
from queries import QueryParameterError, load_library
from queries.diagnose import Diagnosis, diagnose, schema_names, unknown_names
from queries.params import parse_params
from queries.runner import resolve_parameters, store_types
from views.network import result_graph

TIMEOUT_MIN, TIMEOUT_MAX = 1.0, 120.0
ROW_CAP_MIN, ROW_CAP_MAX = 1, 100_000
GRAPH_NODE_LIMIT = 2000  # larger results are shown as a table only
JSON_ROWS_SHOWN = 200  # the JSON tab shows this many rows; the download has them all
HISTORY_LIMIT = 50
DEFAULT_QUERY = """MATCH (a:Agency)-[l:LEADS]->(x:Action)
RETURN a.name AS agency, l.basis AS basis, count(x) AS actions
ORDER BY actions DESC, agency LIMIT 8"""

TEXT_KEY, PARAMS_KEY, EXAMPLE_KEY, RESULT_KEY = "console-text", "console-params", "console-example", "console-result"
TIMEOUT_KEY, ROW_CAP_KEY, EDITOR_KEY = "console-timeout", "console-row-cap", "console-editor"
PAGE_KEY = "console-page"
REVISION_KEY, CURSOR_KEY, RUN_NOW_KEY = "console-revision", "console-cursor", "console-run-now"
HISTORY_KEY, SAVED_KEY, VIEW_KEY = "console-history", "console-saved", "console-view"
VIEWS = ("table", "graph", "json")  # a result shown as


class ParamsLineError(ValueError):
    """A parameter line that is not ``name=value``."""

    def __init__(self, line: str) -> None:
        super().__init__(f"parameter line {line!r}: write it as name=value")
        self.line = line


def read_params(text: str) -> dict[str, Any]:
    """``name=value`` lines (blank lines and ``#`` / ``//`` comments skipped); values read as JSON when they parse."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("#", "//"))]
    for line in lines:
        if not line.partition("=")[0].strip() or "=" not in line:
            raise ParamsLineError(line)
    return parse_params(lines)


def param_names(text: str) -> list[str]:
    """The names the parameter lines give, for the editor's completion (lines that do not read are skipped)."""
    names = []
    for line in text.splitlines():
        name, sep, _ = line.strip().partition("=")
        if sep and name.strip() and not line.strip().startswith(("#", "//")):
            names.append(name.strip())
    return list(dict.fromkeys(names))


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


def set_text(text: str, cursor: int | None = None) -> None:
    """Put ``text`` in the editor from code: kept, linked, and sent to the editor under a new revision."""
    set_linked(TEXT_KEY, text)
    st.session_state[REVISION_KEY] = st.session_state.get(REVISION_KEY, 0) + 1
    st.session_state[CURSOR_KEY] = cursor


@guarded_callback
def _load_example() -> None:
    name = st.session_state.get(EXAMPLE_KEY)
    if not name:
        return
    cypher, params, problem = example_text(get_store(), name)
    set_text(cypher)
    set_linked(PARAMS_KEY, params)
    st.session_state["console-example-problem"] = problem
    st.session_state.pop(RESULT_KEY, None)


def json_safe(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as JSON can hold them (dates and other store values as text)."""
    return json.loads(json.dumps(rows, ensure_ascii=False, default=str))


def run(store: GraphStore, query: str, params_text: str, timeout: float, row_cap: int,
        offset: int = 0) -> dict[str, Any]:
    """Run the console's query for one page of rows (``offset`` skipped, at most ``row_cap``); the outcome
    (result, params problem, diagnosis or failure) as the page keeps it."""
    outcome: dict[str, Any] = {"query": query, "params": params_text, "timeout": timeout}
    try:
        params = read_params(params_text)
    except ParamsLineError as error:
        outcome["params_error"] = error.line
        return outcome
    except ValueError as error:  # parse_params' own complaint (it names the pair)
        outcome["params_error"] = str(error).partition(":")[0].removeprefix("--param ").strip("'")
        return outcome
    try:
        outcome["result"] = store.run_read(query, params, timeout=timeout, row_cap=row_cap, offset=offset)
        outcome["unknown"] = unknown_names(query)
    except StoreError as error:
        outcome["diagnosis"] = diagnose(error, query, given=list(params))
    except Exception as error:  # a store library's own error: its kind only (its message may quote a URI)
        log_failure(error, "console query")
        outcome["failure"] = failure_line(error)
    return outcome


def remember(outcome: dict[str, Any]) -> None:
    """Put a run in the session's history, newest first (the same query and parameters once)."""
    result = outcome.get("result")
    entry = {"query": outcome["query"], "params": outcome["params"],
             "rows": (result.total_text() if result.total is not None else len(result.rows))
             if result is not None else None}
    history = [h for h in st.session_state.get(HISTORY_KEY, [])
               if (h["query"], h["params"]) != (entry["query"], entry["params"])]
    st.session_state[HISTORY_KEY] = [entry, *history][:HISTORY_LIMIT]


def _run_again() -> None:
    """Another page chosen: the same query runs again for it."""
    st.session_state[RUN_NOW_KEY] = True


def _load(query: str, params: str) -> None:
    set_text(query)
    set_linked(PARAMS_KEY, params)


def _take_suggestion(diagnosis: Diagnosis, query: str, suggestion: str) -> None:
    """Put a suggested name in place of the wrong one, and run the query again."""
    current = st.session_state.get(f"{TEXT_KEY}:kept", "")
    if current != query:  # edited since it ran: replace the name where it is now, if it is still there
        at = current.find(query[diagnosis.start:diagnosis.end]) if diagnosis.start is not None else -1
        if at < 0:
            return
        diagnosis = Diagnosis(diagnosis.kind, diagnosis.name, at, at + (diagnosis.end - diagnosis.start))
    fixed = diagnosis.replaced(current, suggestion)
    set_text(fixed, cursor=(diagnosis.start or 0) + len(suggestion))
    st.session_state[RUN_NOW_KEY] = True


def _save() -> None:
    name = (st.session_state.get("console-save-name") or "").strip()
    if not name:
        st.session_state["console-saved-said"] = ("warning", t("console.saved_need_name"))
        return
    saved = dict(st.session_state.get(SAVED_KEY, {}))
    saved[name] = {"query": st.session_state.get(f"{TEXT_KEY}:kept", ""),
                   "params": st.session_state.get(f"{PARAMS_KEY}:kept", "")}
    st.session_state[SAVED_KEY] = saved
    st.session_state["console-save-name"] = ""
    st.session_state["console-saved-said"] = ("success", t("console.saved_done", name=markdown_text(name)))


def _load_saved() -> None:
    entry = st.session_state.get(SAVED_KEY, {}).get(st.session_state.get("console-saved-pick"))
    if entry:
        _load(entry["query"], entry["params"])


def _delete_saved() -> None:
    saved = dict(st.session_state.get(SAVED_KEY, {}))
    saved.pop(st.session_state.get("console-saved-pick"), None)
    st.session_state[SAVED_KEY] = saved
    st.session_state["console-saved-pick"] = None


def read_saved(data: bytes) -> dict[str, dict[str, str]]:
    """Saved queries from the JSON this page downloads: name -> {"query", "params"}; ValueError if it is not that."""
    loaded = json.loads(data.decode("utf-8-sig"))
    if not isinstance(loaded, dict):
        raise ValueError("not an object")
    saved = {}
    for name, entry in loaded.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("query"), str):
            raise ValueError(f"{name!r} has no query")
        params = entry.get("params", "")
        saved[str(name)] = {"query": entry["query"], "params": params if isinstance(params, str) else ""}
    return saved


def _upload_saved() -> None:
    uploaded = st.session_state.get("console-saved-upload")
    if uploaded is None:
        return
    try:
        found = read_saved(uploaded.getvalue())
    except (ValueError, UnicodeDecodeError):
        st.session_state["console-saved-said"] = ("error", t("console.saved_bad_file"))
        return
    st.session_state[SAVED_KEY] = {**st.session_state.get(SAVED_KEY, {}), **found}
    st.session_state["console-saved-said"] = ("success", t("console.saved_uploaded", count=len(found)))


# --------------------------------------------------------------------------------------------- what went wrong

def problem_words(diagnosis: Diagnosis, timeout: float) -> str:
    """The diagnosis in the session's language (data/ui/console.toml), names as code."""
    name = f"`{diagnosis.name}`" if diagnosis.name else ""
    kind = diagnosis.kind
    if kind == "syntax" and diagnosis.name:
        return t("console.problem.syntax_near", name=name)
    if kind == "unknown-property" and not diagnosis.of:
        return t("console.problem.unknown-property-any", name=name)
    if kind == "write-refused" and not diagnosis.name:
        return t("console.problem.write-refused-any")
    if kind in ("syntax", "timeout", "too-large", "other"):
        return t(f"console.problem.{kind}", timeout=timeout) if kind == "timeout" else t(f"console.problem.{kind}")
    if kind == "missing-parameter":
        return t("console.problem.missing-parameter", name=diagnosis.name or "")
    return t(f"console.problem.{kind}", name=name, of=f"`{diagnosis.of}`" if diagnosis.of else "")


def show_place(diagnosis: Diagnosis, query: str) -> None:
    position = diagnosis.position(query)
    if position is not None:
        st.caption(t("console.at", line=position[0], column=position[1]))
        st.code(diagnosis.excerpt(query), language=None)


def show_suggestions(diagnosis: Diagnosis, query: str, key: str) -> None:
    if not diagnosis.suggestions or diagnosis.start is None:
        return
    st.caption(t("console.did_you_mean"))
    with st.container(horizontal=True):
        for index, suggestion in enumerate(diagnosis.suggestions):
            st.button(f"`{suggestion}`", key=f"{key}-{index}", on_click=_take_suggestion,
                      args=(diagnosis, query, suggestion), icon=":material/auto_fix_high:")


def show_problem(outcome: dict[str, Any]) -> None:
    diagnosis: Diagnosis = outcome["diagnosis"]
    query = outcome["query"]
    st.error(problem_words(diagnosis, outcome.get("timeout", DEFAULT_TIMEOUT)))
    show_place(diagnosis, query)
    show_suggestions(diagnosis, query, "console-suggestion")
    if diagnosis.engine and st.toggle(t("console.engine_text"), **linked("console-engine", False)):
        st.code(diagnosis.engine, language=None)


def marks(outcome: dict[str, Any] | None, text: str) -> list[dict[str, Any]]:
    """Where the editor underlines: the diagnosed place, while the text is the one that ran."""
    if not outcome or outcome.get("query") != text:
        return []
    found = [outcome["diagnosis"]] if "diagnosis" in outcome else list(outcome.get("unknown") or [])
    return [{"from": d.start, "to": d.end or d.start + 1, "severity": "error" if "diagnosis" in outcome else "warning",
             "message": problem_words(d, outcome.get("timeout", DEFAULT_TIMEOUT)).replace("`", "")}
            for d in found if d.start is not None]


# --------------------------------------------------------------------------------------------- results

def show_result(outcome: dict[str, Any]) -> None:
    result = outcome["result"]
    query = outcome["query"]
    for index, problem in enumerate((outcome.get("unknown") or [])[:3]):
        st.warning(t("console.unknown_in_result") + " " + problem_words(problem, DEFAULT_TIMEOUT))
        show_place(problem, query)
        show_suggestions(problem, query, f"console-unknown-{index}")
    count = len(result.rows)
    result_pages(result, PAGE_KEY, on_change=_run_again)
    frame = as_dataframe(result.columns, result.rows)
    raw = {"columns": result.columns, "rows": json_safe(result.rows)}
    views = {name: t(f"console.tab.{name}") for name in VIEWS}  # words fixed when the page runs
    shown = st.radio(t("console.view"), list(VIEWS), format_func=views.get, horizontal=True,
                     **linked(VIEW_KEY, VIEWS[0], options=VIEWS))
    if shown == "table":
        st.dataframe(frame, hide_index=True)
        download_buttons(frame, "policykg-cypher", key="console-download", raw=raw)
    elif shown == "graph":  # drawn only when shown: a drawing laid out in a hidden tab has no width
        graph = result_graph(result.rows)
        if graph.number_of_nodes() > GRAPH_NODE_LIMIT:
            st.caption(t("console.graph_too_large", nodes=graph.number_of_nodes(), limit=GRAPH_NODE_LIMIT))
        elif graph.number_of_nodes():
            from views.draw import render_network_html

            st.caption(t("console.graph_counts", nodes=graph.number_of_nodes(), edges=graph.number_of_edges()))
            page = render_network_html(graph, title="policykg", height="540px")
            show_network(graph, height=560, page=page)
            st.download_button(t("console.graph_download"), page.encode("utf-8"), "policykg-cypher-graph.html",
                               "text/html", key="console-graph-download")
        else:
            st.caption(t("console.no_graph"))
    else:
        if count > JSON_ROWS_SHOWN:
            st.caption(t("console.json_cut", shown=JSON_ROWS_SHOWN, count=count))
        st.json({"columns": raw["columns"], "rows": raw["rows"][:JSON_ROWS_SHOWN]}, expanded=2)
        download_buttons(frame, "policykg-cypher", key="console-download", raw=raw)


def show_history() -> None:
    history = st.session_state.get(HISTORY_KEY, [])
    with st.expander(t("console.history", count=len(history)), expanded=False):
        if not history:
            st.caption(t("console.history_empty"))
        else:
            st.caption(t("console.history_help"))
        for index, entry in enumerate(history):
            first = " ".join(entry["query"].split())
            first = first if len(first) <= 120 else first[:119] + "…"
            said = t("console.history_failed") if entry["rows"] is None else t("console.history_rows",
                                                                                count=entry["rows"])
            st.button(f"`{first}` · {said}", key=f"console-history-{index}", on_click=_load,
                      args=(entry["query"], entry["params"]), width="stretch")


def show_saved() -> None:
    saved = st.session_state.get(SAVED_KEY, {})
    with st.expander(t("console.saved", count=len(saved)), expanded=False):
        st.caption(t("console.saved_where"))
        said = st.session_state.pop("console-saved-said", None)
        if said:
            getattr(st, said[0])(said[1])
        name_column, save_column = st.columns([3, 1], vertical_alignment="bottom")
        name_column.text_input(t("console.save_name"), key="console-save-name", placeholder=t("console.save_name_hint"))
        save_column.button(t("console.save"), key="console-save", on_click=_save)
        if saved:
            names = sorted(saved)
            pick, load, delete = st.columns([3, 1, 1], vertical_alignment="bottom")
            pick.selectbox(t("console.saved_pick"), names, index=None, key="console-saved-pick",
                           placeholder=t("console.saved_pick_hint"))
            chosen = st.session_state.get("console-saved-pick") in saved
            load.button(t("console.load"), key="console-saved-load", on_click=_load_saved, disabled=not chosen)
            delete.button(t("console.delete"), key="console-saved-delete", on_click=_delete_saved, disabled=not chosen)
            st.download_button(t("console.saved_download"),
                               json.dumps(saved, ensure_ascii=False, indent=1).encode("utf-8"),
                               "policykg-saved-queries.json", "application/json", key="console-saved-download")
        st.file_uploader(t("console.saved_upload"), type=["json"], key="console-saved-upload",
                         on_change=_upload_saved)


# --------------------------------------------------------------------------------------------- the page

st.title(t("page.console"))
st.caption(t("console.intro"))
store = get_store()
library = load_library()

title_of = (lambda q: q.title_zh) if language() == "zh" else (lambda q: q.title_en)
shown = {name: f"{title_of(q)} · {name}" for name, q in library.items()}  # words fixed when the page runs
st.selectbox(t("console.examples"), list(library), index=None, key=EXAMPLE_KEY, on_change=_load_example,
             format_func=shown.get, placeholder=t("console.examples_hint"))
if st.session_state.get(EXAMPLE_KEY) and st.session_state.get(EXAMPLE_KEY) in library:
    example = library[st.session_state[EXAMPLE_KEY]]
    written = " ".join(f"{k}={v}" for k, v in example.example.items())
    st.caption(t("console.example_note", name=example.name, example=markdown_text(written) or "—"))
    if st.session_state.get("console-example-problem"):
        st.warning(markdown_text(st.session_state["console-example-problem"]))

linked(TEXT_KEY, DEFAULT_QUERY)  # the text: kept, restored from the URL, written back (not a widget's)
params_widget = linked(PARAMS_KEY, "")
timeout_widget = linked(TIMEOUT_KEY, float(DEFAULT_TIMEOUT))
row_cap_widget = linked(ROW_CAP_KEY, int(DEFAULT_ROW_CAP))
text = st.session_state[f"{TEXT_KEY}:kept"]
revision = st.session_state.setdefault(REVISION_KEY, 0)
outcome = st.session_state.get(RESULT_KEY)

st.markdown(f"**{t('console.query')}**")
words = {name: t(f"console.editor.{name}") for name in (
    "placeholder", "run_hint", "schema", "labels", "relationships", "parameters", "insert", "label", "relationship",
    "parameter")}
edit = cypher_editor(text, revision=revision, schema=schema_names().as_dict(),
                     params=param_names(st.session_state[f"{PARAMS_KEY}:kept"]), marks=marks(outcome, text),
                     words=words, height=230, cursor=st.session_state.get(CURSOR_KEY), key=EDITOR_KEY)
submitted = False
if edit is not None:
    if edit.text != text:
        set_linked(TEXT_KEY, edit.text)
        st.session_state[TEXT_KEY] = text = edit.text
    submitted = edit.run

left, middle, right = st.columns([3, 1, 1])
left.text_area(t("console.params"), height=100, placeholder=t("console.params_placeholder"),
               help=t("console.params_help"), **params_widget)
middle.number_input(t("console.timeout"), min_value=TIMEOUT_MIN, max_value=TIMEOUT_MAX, step=1.0,
                    help=t("console.timeout_help", low=TIMEOUT_MIN, high=TIMEOUT_MAX), **timeout_widget)
right.number_input(t("console.row_cap"), min_value=ROW_CAP_MIN, max_value=ROW_CAP_MAX, step=1000,
                   help=t("console.row_cap_help", low=ROW_CAP_MIN, high=ROW_CAP_MAX), **row_cap_widget)
if st.button(t("console.run"), type="primary", key="console-run", help=t("console.query_help")):
    submitted = True
if submitted and outcome is not None and (outcome.get("query"), outcome.get("params")) != (
        text, st.session_state[f"{PARAMS_KEY}:kept"]):
    set_linked(PAGE_KEY, 1)  # another query or other parameters start at their first page (a link's page stays)
submitted = submitted or bool(st.session_state.pop(RUN_NOW_KEY, False))
row_cap = int(st.session_state[f"{ROW_CAP_KEY}:kept"])
offset = page_offset(PAGE_KEY, row_cap)

if submitted:
    params_text = st.session_state[f"{PARAMS_KEY}:kept"]
    if not text.strip():
        outcome = {"query": text, "params": params_text, "empty": True}
    else:
        outcome = run(store, text, params_text, float(st.session_state[f"{TIMEOUT_KEY}:kept"]), row_cap, offset)
        if "params_error" not in outcome:
            remember(outcome)
    st.session_state[RESULT_KEY] = outcome
    if marks(outcome, text):
        st.rerun()  # the editor was drawn before the run: again, to underline the place

if outcome and outcome.get("empty"):
    st.error(t("console.empty"))
elif outcome and "params_error" in outcome:
    st.error(t("console.params_error", line=markdown_text(repr(outcome["params_error"]))))
elif outcome and "diagnosis" in outcome:
    show_problem(outcome)
elif outcome and "failure" in outcome:
    st.error(outcome["failure"])  # our words, the kind already escaped
elif outcome:
    show_result(outcome)

show_history()
show_saved()
