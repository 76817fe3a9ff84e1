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

from explorer.i18n import t
from explorer.uploads import markdown_text
from graph.cells import csv_cell, xlsx_bytes
from graph.errors import StoreError
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
    """CSV and JSON (and Excel) downloads of what the page shows; spreadsheets get text as text, never a formula."""
    columns = st.columns(3 if xlsx else 2)
    columns[0].download_button("CSV", csv_bytes(frame), f"{name}.csv", "text/csv", key=f"{key}-csv")
    payload = raw if raw is not None else {"columns": list(frame.columns),
                                           "rows": json.loads(frame.to_json(orient="values", force_ascii=False))}
    columns[1].download_button("JSON", json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"),
                               f"{name}.json", "application/json", key=f"{key}-json")
    if xlsx:
        columns[2].download_button("Excel", excel_bytes(frame), f"{name}.xlsx",
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                   key=f"{key}-xlsx")


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
        page = render_network_html(graph, title=title, height=f"{height - 20}px", highlight=highlight)
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


# --------------------------------------------------------------------------------------------- failures

def failure_line(error: BaseException) -> str:
    """What a person is told when something fails: one plain line in the session's language.

    A store error (graph.errors.StoreError) is shown with its message, which the stores keep free of
    credentials and fit to read; anything else only by its kind: its message and arguments may quote a
    URI with a password, a query's parameters or a document, and its traceback is for developers.
    """
    if isinstance(error, StoreError):
        lines = str(error).strip().splitlines()
        return t("app.store_failed", error=markdown_text(lines[0] if lines else type(error).__name__))
    return t("app.failed", kind=markdown_text(type(error).__name__))


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
    st.error(failure_line(error))


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
            st.session_state[FAILURE_KEY] = failure_line(error)

    return guarded


def show_callback_failure() -> None:
    """The failure of a callback of this run, if one failed (see guarded_callback)."""
    line = st.session_state.pop(FAILURE_KEY, None)
    if line:
        st.error(line)
