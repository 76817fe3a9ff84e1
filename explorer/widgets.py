"""Pieces every page uses: safe text, highlighted quotes, downloads, results as a table, drawing, failures.

A result drawn as a graph is views.network.result_graph."""

from __future__ import annotations

import functools
import html
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from explorer.i18n import language, t, translate_or
from explorer.links import linked
from explorer.uploads import markdown_text
from graph.cells import csv_cell, xlsx_bytes
from graph.errors import (
    Explained,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyError,
    ResultTooLarge,
    RowCapExceeded,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from views.naming import cell_text

LOG = logging.getLogger("policykg.explorer")
FAILURE_KEY = "pk-failure"  # a callback's failure, shown by app.py when the page runs


def as_dataframe(columns: list[str], rows: list[list[Any]]) -> pd.DataFrame:
    """Rows as a table of plain text and numbers (nodes and relationships by name); never rendered as HTML."""
    def cell(value: Any) -> Any:
        return value if isinstance(value, int | float | bool) or value is None else cell_text(value)

    return pd.DataFrame([[cell(v) for v in row] for row in rows], columns=_unique_columns(columns))


def _unique_columns(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        unique.append(column if seen[column] == 1 else f"{column} ({seen[column]})")
    return unique


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for spreadsheets (UTF-8 with BOM, which Excel needs for Chinese): text that starts
    with = + - @, a tab or a carriage return, column names too, gets a leading ' (graph.cells.csv_cell);
    numbers stay numbers."""
    safe = frame.astype(object).map(csv_cell).set_axis([csv_cell(c) for c in frame.columns], axis=1)
    return safe.to_csv(index=False).encode("utf-8-sig")


def excel_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as an Excel workbook whose text cells are typed as text, unchanged (graph.cells.xlsx_bytes)."""
    values = frame.astype(object).where(frame.notna(), None)
    return xlsx_bytes(list(frame.columns), (list(map(_python, row)) for row in values.itertuples(index=False)))


def _python(value: Any) -> Any:
    """numpy scalars as the Python values they hold (an int64 as int, a bool_ as bool)."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str | bytes) else value


def download_buttons(frame: pd.DataFrame, name: str, *, key: str, xlsx: bool = False,
                     raw: dict[str, Any] | None = None) -> None:
    """CSV and JSON (and Excel) downloads of what the page shows; spreadsheets get text as text, never a formula.

    The files are made when a button is clicked (Streamlit's deferred data), not on every run: making
    them on every filter change cost a page a fifth of its run.
    """
    columns = st.columns(3 if xlsx else 2)
    columns[0].download_button("CSV", lambda: csv_bytes(frame), f"{name}.csv", "text/csv", key=f"{key}-csv")
    columns[1].download_button("JSON", lambda: json_bytes(frame, raw), f"{name}.json", "application/json",
                               key=f"{key}-json")
    if xlsx:
        columns[2].download_button("Excel", lambda: excel_bytes(frame), f"{name}.xlsx", XLSX, key=f"{key}-xlsx")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def json_bytes(frame: pd.DataFrame, raw: dict[str, Any] | None = None) -> bytes:
    """``raw`` (a result as the store gave it), else the frame's columns and rows, as JSON."""
    payload = raw if raw is not None else {"columns": list(frame.columns),
                                           "rows": json.loads(frame.to_json(orient="values", force_ascii=False))}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def highlighted_html(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    """``text`` HTML-escaped, with the given spans (offsets relative to ``offset``) marked.

    Everything from the document is escaped; the only markup is ours.

    >>> highlighted_html("甲<b>乙</b>丙", [(1, 9)])
    '<span class="pk-quote">甲<mark>&lt;b&gt;乙&lt;/b&gt;</mark>丙</span>'
    """
    marks = sorted((max(0, s - offset), max(0, e - offset)) for s, e in spans if e > s)
    parts, position = [], 0
    for start, end in marks:
        if start < position:
            start = position
        if start >= end:
            continue
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return f'<span class="pk-quote">{"".join(parts)}</span>'


def show_network(graph: nx.MultiDiGraph, *, height: int = 640, highlight: str | None = None,
                 title: str = "", page: str | None = None) -> None:
    """Draw a graph with the offline vis-network page (views.draw) inside the app.

    The page is ours (document text in it is escaped JSON and shown with innerText),
    so it may run in st.iframe.
    """
    from views.draw import render_network_html

    if page is None:  # a page already rendered (e.g. for its download) is shown as is
        page = render_network_html(graph, title=title, height=f"{height - 20}px", highlight=highlight,
                                   lang=language(), one_language=True)
    st.iframe(page, height=height)


def kept(key: str, default: object) -> dict:
    """Keyword arguments that keep a widget's choice across language switches.

    Streamlit matches a choice by its displayed words, which change with the language; the
    choice itself is kept under ``<key>:kept`` and given back to the widget on every run.
    """
    store = f"{key}:kept"
    if store not in st.session_state:
        st.session_state[store] = default
    st.session_state[key] = st.session_state[store]
    return {"key": key, "on_change": _keep, "args": (key,)}


def _keep(key: str) -> None:
    st.session_state[f"{key}:kept"] = st.session_state[key]


# --------------------------------------------------------------------------------------------- language

def language_css(language: str) -> str:
    """Streamlit's own words that an app cannot set, said in Chinese in Chinese mode (English mode keeps them).

    The English text is hidden (``display: none`` or ``visibility: hidden``, so it is neither seen nor read
    out) and our words are shown in its place (CSS ``content``): the file uploader's button and its line
    of limits, the "skip to main content" link a keyboard user meets first. The "press Enter to apply"
    hint under text fields is hidden: the convention needs no words.

    >>> "上传" in language_css("zh"), language_css("en")
    (True, '')
    """
    if language != "zh":
        return ""
    from explorer.uploads import UPLOAD_LIMIT_MIB, UPLOAD_SUFFIXES

    def words(key: str, **values: object) -> str:
        return json.dumps(translate_or(key, key, language) if not values else t(key, **values), ensure_ascii=False)

    kinds = "、".join(suffix.lstrip(".").upper() for suffix in UPLOAD_SUFFIXES)
    limits = json.dumps(t("app.upload_limits", limit=UPLOAD_LIMIT_MIB, kinds=kinds), ensure_ascii=False)
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    return (
        "<style>"
        f'{dropzone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p{{display:none}}'
        f'{dropzone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]::after'
        f"{{content:{words('app.upload_button')}}}"
        f'[data-testid="stFileUploaderDropzoneInstructions"] span{{display:none}}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] > div::after{{content:{limits};font-size:.875rem}}'
        '[data-testid="stSkipToContent"]{visibility:hidden}'
        f'[data-testid="stSkipToContent"]::after{{visibility:visible;content:{words("app.skip_to_content")}}}'
        '[data-testid="InputInstructions"]{display:none}'
        "</style>"
    )


# --------------------------------------------------------------------------------------------- failures

#: a store error's kind → its words under ``app.error.<kind>``, the most particular class first
ERROR_KINDS: tuple[tuple[type[StoreError], str], ...] = (
    (StoreBusy, "busy"), (StoreUnavailable, "unavailable"), (ReadOnlyError, "read_only"),
    (QuerySyntaxError, "syntax"), (QueryTimeout, "timeout"), (ResultTooLarge, "too_large"),
    (RowCapExceeded, "row_cap"), (StoreError, "store"))


def error_kind(error: BaseException) -> str | None:
    """The kind of a store error, named as ``data/ui/app.toml [app.error]`` names it; None for anything else."""
    return next((kind for cls, kind in ERROR_KINDS if isinstance(error, cls)), None)


def failure_line(error: BaseException) -> str:
    """What a person is told when something fails: one plain line in the session's language, by its kind.

    A store error (graph.errors.StoreError) is said by its kind ("the query ran too long"); the store's own
    words, which the stores keep free of credentials, are the details (:func:`failure_detail`). Anything
    else is "something went wrong": its message and arguments may quote a URI with a password, a query's
    parameters or a document, and its traceback is for developers.
    """
    kind = error_kind(error)
    return t(f"app.error.{kind}") if kind else t("app.failed")


def failure_detail(error: BaseException) -> str:
    """What the engine said, shown behind a toggle: a store error's first line, else only the error's kind."""
    if isinstance(error, StoreError):
        lines = str(error).strip().splitlines()
        return lines[0] if lines else type(error).__name__
    return type(error).__name__


def show_failure_text(line: str, detail: str | None) -> None:
    """The line, and the engine's words behind a toggle (in the engine's language, as it said them)."""
    st.error(line)
    if detail:
        with st.expander(t("app.error.details")):
            st.text(detail)


def log_failure(error: BaseException, where: str) -> None:
    """Log a failure for developers: its type, the types it was raised from, and the traceback's frames
    (file, line, function, source line); never an exception's message or arguments, which may quote a URI
    with its password, a query's parameters or a document. The log holds no more than the page: a store
    error's message, which the page shows (see failure_line), is the one message logged."""
    kinds, seen, cause = [], set(), error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        kinds.append(f"{type(cause).__module__}.{type(cause).__qualname__}")
        cause = cause.__cause__ or cause.__context__
    lines = str(error).strip().splitlines() if isinstance(error, StoreError) else []
    said = f": {lines[0]}" if lines else " (message withheld: it may hold a URI or credentials)"
    frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__))).rstrip()
    LOG.error("%s failed: %s%s\nTraceback (frames only):\n%s", where, " <- ".join(kinds), said, frames)


def show_failure(error: BaseException, where: str) -> None:
    """One plain line on the page (st.error, never st.exception) and the failure logged without its message."""
    log_failure(error, where)
    show_failure_text(failure_line(error), failure_detail(error))


def guarded_callback(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback whose failure is told like a page's (callbacks run before the page, outside app.py's guard).

    The line is kept in the session and shown by app.py when the page runs.
    """
    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as error:
            log_failure(error, f"callback {callback.__qualname__}")
            st.session_state[FAILURE_KEY] = (failure_line(error), failure_detail(error))

    return guarded


def show_callback_failure() -> None:
    """The failure of a callback of this run, if one failed (see guarded_callback)."""
    said = st.session_state.pop(FAILURE_KEY, None)
    if said:
        show_failure_text(*said)


# --------------------------------------------------------------------------------------------- corrections
# People correct the graph from the pages (graph.corrections): each form makes one correction with
# queries.corrections.make_correction and records it (graph.corrections.record), in a callback, so the
# page that runs next draws the corrected graph (the store's change stamp moved: explorer.state).
# What became of it is one line beside the form: what was corrected, or the CorrectionError's line.

def _said_key(key: str) -> str:
    return f"{key}:said"


def show_said(key: str) -> bool:
    """The line a correction form left (success or failure), once; True if there was one."""
    said = st.session_state.pop(_said_key(key), None)
    if said is None:
        return False
    (st.success if said[0] == "success" else st.error)(said[1])
    return True


def _say(key: str, kind: str, text: str) -> None:
    st.session_state[_said_key(key)] = (kind, text)


def one_line(error: BaseException) -> str:
    """An error's message on one line in the session's language, safe for Markdown (a CorrectionError quotes
    names from documents); an error said by a code (graph.errors.Explained) in the words of data/errors.toml."""
    text = error.text(language()) if isinstance(error, Explained) else str(error)
    lines = text.strip().splitlines()
    return markdown_text(lines[0] if lines else type(error).__name__)


def correct(key: str, kind: str, fields: dict[str, Any], *, clear: dict[str, Any] | None = None,
            then: Callable[[Any], None] | None = None) -> bool:
    """Make and record one correction of ``kind`` from what a person gave (``fields``: make_correction's
    keyword arguments); say what became of it under ``key``. On success the form's widgets in ``clear``
    are set back (widget key -> value) and ``then(correction)`` runs. Call it from a widget callback."""
    from explorer.state import get_store
    from graph.corrections import CorrectionError, record
    from queries.corrections import make_correction

    store = get_store()
    try:
        correction = make_correction(store, kind, **fields)
        record(store, correction)
    except CorrectionError as error:
        _say(key, "error", t("edit.failed", error=one_line(error)))
        return False
    _say(key, "success", t("edit.done", what=markdown_text(correction.describe(language())), id=correction.id))
    for name, value in (clear or {}).items():
        st.session_state[name] = value
    if then is not None:
        then(correction)
    return True


def _undo(key: str) -> None:
    from explorer.state import get_store
    from graph.corrections import CorrectionError, undo

    chosen = st.session_state.get(f"{key}-undo-which")
    if not chosen:
        _say(key, "error", t("edit.undo_none"))
        return
    try:
        correction, _ = undo(get_store(), chosen, (st.session_state.get(f"{key}-undo-who") or "").strip() or None)
    except CorrectionError as error:
        _say(key, "error", t("edit.failed", error=one_line(error)))
        return
    _say(key, "success", t("edit.undone", what=markdown_text(correction.describe(language())), id=correction.id))


def why_and_who(key: str) -> None:
    """The two fields every correction form has: why (required) and who (optional; else the server's user)."""
    st.text_input(t("edit.why"), key=f"{key}-why", placeholder=t("edit.why_placeholder"))
    st.text_input(t("edit.who"), key=f"{key}-who", placeholder=t("edit.who_placeholder"))


def given_why_and_who(key: str) -> dict[str, str | None]:
    return {"why": st.session_state.get(f"{key}-why") or "",
            "who": (st.session_state.get(f"{key}-who") or "").strip() or None}


def _history_rows(corrections: list[Any]) -> list[list[str]]:
    rows = []
    for correction in corrections:
        if correction.status == "undone":
            status = t("edit.status_undone", who=correction.undone_by or "", at=_when(correction.undone_at))
        else:
            status = t("edit.status_active")
        outcome = correction.outcome or {}
        applied = "" if not outcome else _outcome(outcome)
        rows.append([_when(correction.at), correction.who, correction.describe(language()), correction.why, status,
                     applied, correction.id])
    return rows


def _when(at: str | None) -> str:
    return (at or "")[:19].replace("T", " ")


def _outcome(outcome: dict[str, Any]) -> str:
    from graph.corrections import outcome_text

    try:
        return outcome_text(outcome["code"], outcome.get("values") or {}, language())
    except (KeyError, ValueError):
        return str(outcome.get("code", ""))


def corrections_history(graph: nx.MultiDiGraph, node: Any, *, key: str) -> None:
    """The corrections made of a node (an action, a document, an agency): who, when, why, what; and undo."""
    from explorer.state import get_store
    from graph.corrections import read_corrections
    from views.network import corrections_about

    found = corrections_about(read_corrections(get_store()), graph, node)
    corrections_table(found, key=key)


def corrections_table(found: list[Any], *, key: str, heading: str | None = None) -> None:
    """Corrections as a table (when, who, what, why, status, outcome) and a form to undo an active one."""
    st.markdown(f"**{heading or t('edit.history', count=len(found))}**")
    show_said(key)  # what the last undo did, if the form that shows it has not said it already
    if not found:
        st.caption(t("edit.history_none"))
        return
    columns = [t(f"edit.col.{name}") for name in ("at", "who", "what", "why", "status", "outcome", "id")]
    st.dataframe(as_dataframe(columns, _history_rows(found)), hide_index=True, width="stretch")
    active = {c.id: f"{_when(c.at)} · {c.who} · {c.describe(language())}" for c in found if c.status == "active"}
    if not active:
        return
    with st.form(f"{key}-undo"):
        st.selectbox(t("edit.undo_which"), list(active), format_func=active.get, key=f"{key}-undo-which",
                     placeholder=t("app.choose"))
        st.text_input(t("edit.who"), key=f"{key}-undo-who", placeholder=t("edit.who_placeholder"))
        st.form_submit_button(t("edit.undo"), on_click=guarded_callback(_undo), args=(key,))


#: The kinds of change the action form offers (data/corrections/kinds.toml), in this order.
ACTION_CHANGES = ("lead", "add-unit", "remove-unit")
ROLES = ("lead", "responsible", "support")


def kind_words(kind: str) -> str:
    """A kind of correction in the session's language (its words in data/corrections/kinds.toml)."""
    from graph.corrections import kinds

    entry = kinds()[kind]
    return entry.en if language() == "en" else entry.zh


def _submit_action_change(key: str, document: str, action: str) -> None:
    change = st.session_state.get(f"{key}-change") or ACTION_CHANGES[0]
    given = given_why_and_who(key)
    if change == "lead":
        fields = {"agencies": list(st.session_state.get(f"{key}-leads") or [])}
        clear = {}
    elif change == "add-unit":
        unit = st.session_state.get(f"{key}-add")
        fields = {"agencies": [unit] if unit else [], "role": st.session_state.get(f"{key}-role") or "support"}
        clear = {f"{key}-add": None}
    else:
        unit = st.session_state.get(f"{key}-remove")
        fields = {"agencies": [unit] if unit else []}
        clear = {f"{key}-remove": None}
    correct(key, change, {"document": document, "action": action, **fields, **given},
            clear={f"{key}-why": "", **clear})


def lazy_expander(label: str, key: str, *, open_now: bool = False) -> Any:
    """An expander whose content the page makes only while it is open (it reruns when opened or closed),
    or None while it is closed: closed sections of forms and tables were still sent and drawn on every run.
    ``open_now`` opens it (a correction's message to show)."""
    if open_now:
        st.session_state[key] = True
    section = st.expander(label, key=key, on_change="rerun")
    return section if section.open else None


def page_offset(key: str, size: int) -> int:
    """The rows to skip for the page the link or the page control chose under ``key`` (pages count from 1)."""
    linked(key, 1)  # read from the link, kept, written back: the page is part of the view
    return (max(1, int(st.session_state[f"{key}:kept"])) - 1) * size


def result_pages(result: Any, key: str, *, on_change: Callable[[], None] | None = None) -> None:
    """Say which rows of how many a result shows and, when it has more than one page, let the page be chosen.

    ``result`` is a :class:`graph.store.QueryResult` read at :func:`page_offset`'s offset; a cut result is
    said as a warning (never silent), and ``on_change`` runs the query again for the page chosen."""
    total = result.total if result.total is not None else len(result.rows)
    if not result.truncated:
        st.caption(t("app.rows_all", count=len(result.rows)))
        return
    if result.rows:
        st.warning(t("app.rows_page", first=result.first_row, last=result.last_row, total=result.total_text()))
    else:
        st.warning(t("app.rows_past", offset=result.offset, total=result.total_text()))
    size = result.row_cap or max(1, len(result.rows))
    pages = max(1, -(-total // size) + (0 if result.total_exact else 1))
    page_control(key, max(pages, result.offset // size + 1),
                 t("app.page_help", pages=f"{pages}" if result.total_exact else f"{pages}+", size=size),
                 on_change=on_change)


def page_control(key: str, last: int, help_text: str, *, on_change: Callable[[], None] | None = None) -> None:
    """The page chooser of anything shown a page at a time (a result's rows, the matrix's actions): pages
    1 to ``last``, the page part of the link under ``key`` (:func:`page_offset` reads it)."""
    st.number_input(t("app.page"), min_value=1, max_value=last, step=1, help=help_text,
                    **linked(key, 1, on_change=on_change))


def action_editor(graph: nx.MultiDiGraph, action: Any, *, key: str) -> None:
    """Correct an action's units: set its leads, add a unit with a role, or remove one; beside the form, the
    sentence the units were read from. Below it, the corrections made of the action, with undo.
    The Network page (an action's details) and the responsibility matrix (a row) both use it."""
    from explorer.state import government_graph
    from views import network as gv

    data = graph.nodes[action]
    doc_id = data.get("doc_id")
    units = gv.action_units(graph, action)
    said = st.session_state.get(_said_key(key)) is not None
    # An expander's label is Markdown: the action's title, from the document, is shown inside, as text.
    with st.expander(t("edit.title"), expanded=said):
        st.text(gv.node_name(graph, action))
        show_said(key)
        source, form = st.columns([2, 3])
        with source:
            st.markdown(f"**{t('edit.source')}**")
            quotes = gv.source_quotes(graph, action, limit=1)
            if quotes:
                st.html(highlighted_html(quotes[0].text, quotes[0].spans))
            else:
                st.caption(t("edit.no_source"))
            if data.get("note") and not (quotes and data["note"] in quotes[0].text):
                st.caption(t("edit.note"))
                st.text(data["note"])
            st.caption(t("edit.now"))
            st.dataframe(as_dataframe([t("edit.col.unit"), t("edit.col.role"), t("edit.col.basis")],
                                      [[u["name"], t(f"edit.role.{u['role']}"),
                                        translate_or(f"values.basis.{u['basis']}", u["basis"] or "", language())
                                        + (f" ✎ {u['correction']}" if u["correction"] else "")] for u in units]),
                         hide_index=True, width="stretch")
        with form:
            government = government_graph(graph, doc_id)
            names = {a: gv.node_name(government, a) for a in gv.plan_agencies(government, doc_id)}
            names |= {u["agency"]: u["name"] for u in units}
            # Words fixed for this run: a format_func is called again at the start of the next (see network.py).
            kind_names = {kind: kind_words(kind) for kind in ACTION_CHANGES}
            role_names = {role: t(f"edit.role.{role}") for role in ROLES}
            change = st.radio(t("edit.change"), ACTION_CHANGES, format_func=kind_names.get, horizontal=True,
                              key=f"{key}-change")
            with st.form(f"{key}-form"):
                if change == "lead":
                    st.multiselect(t("edit.leads"), list(names), default=[u["agency"] for u in units
                                                                          if u["role"] == "lead"],
                                   format_func=names.get, key=f"{key}-leads", placeholder=t("edit.choose_units"))
                elif change == "add-unit":
                    st.selectbox(t("edit.add"), list(names), index=None, format_func=names.get, key=f"{key}-add",
                                 placeholder=t("edit.choose_unit"))
                    st.selectbox(t("edit.role_label"), ROLES, index=2, format_func=role_names.get, key=f"{key}-role",
                                 placeholder=t("app.choose"))
                else:
                    shown = {u["agency"]: f"{u['name']} · {role_names[u['role']]}" for u in units}
                    st.selectbox(t("edit.remove"), list(shown), index=None, format_func=shown.get,
                                 key=f"{key}-remove", placeholder=t("edit.choose_unit"))
                why_and_who(key)
                st.form_submit_button(t("edit.submit"), type="primary",
                                      on_click=guarded_callback(_submit_action_change), args=(key, doc_id, action))
        corrections_history(graph, action, key=key)
