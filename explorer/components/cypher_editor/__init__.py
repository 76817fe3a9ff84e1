"""The console's Cypher editor as a component: highlighting and completion from the schema, offline.

``frontend/`` is served by Streamlit from this package: ``index.html`` and ``editor.js``, CodeMirror 6
bundled once by ``build/build.sh`` (from ``build/editor.src.js`` and ``build/package.json``; not run in CI).
The frontend speaks Streamlit's component protocol itself (componentReady, render, setComponentValue,
setFrameHeight).

The text belongs to the page: it passes ``text`` and a ``revision``, and the editor replaces what it holds
only when the revision moves (the page changed the text: a suggestion taken, a query from the history).
What the editor sends back is an :class:`Edit`: the text, the cursor, and whether Ctrl/Cmd+Enter asked
for a run; :func:`cypher_editor` gives each edit once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

FRONTEND = Path(__file__).resolve().parent / "frontend"


@cache
def _component() -> Any:
    return components.declare_component("cypher_editor", path=str(FRONTEND))


@dataclass(frozen=True)
class Edit:
    """What the editor sent: its text, the cursor (an offset into it), and whether to run the query."""

    text: str
    cursor: int
    run: bool


def read_edit(value: Any, revision: int, seen: Any) -> Edit | None:
    """The editor's value as an :class:`Edit` if it is new (not ``seen``) and of the text at ``revision``.

    An edit of an older revision was typed before the page changed the text: the page's text wins.

    >>> read_edit({"text": "RETURN 1", "cursor": 8, "revision": 2, "seq": 5, "run": True}, 2, None)
    Edit(text='RETURN 1', cursor=8, run=True)
    >>> read_edit({"text": "RETURN 1", "cursor": 8, "revision": 1, "seq": 5, "run": False}, 2, None) is None
    True
    >>> read_edit({"text": "x", "cursor": 0, "revision": 2, "seq": 5}, 2, 5) is None
    True
    """
    if not isinstance(value, Mapping) or not isinstance(value.get("text"), str):
        return None
    if value.get("seq") == seen or value.get("revision") != revision:
        return None
    cursor = value.get("cursor")
    return Edit(value["text"], cursor if isinstance(cursor, int) else len(value["text"]), bool(value.get("run")))


def cypher_editor(text: str, *, revision: int, schema: Mapping[str, Mapping[str, Sequence[str]]],
                  params: Sequence[str] = (), marks: Sequence[Mapping[str, Any]] = (),
                  words: Mapping[str, str] | None = None, height: int = 300, cursor: int | None = None,
                  key: str) -> Edit | None:
    """Draw the editor holding ``text``; the new :class:`Edit` it sent since the last run, if any.

    ``schema``: ``{"labels": {label: [property …]}, "relationships": {type: [property …]}}``, what the
    completion and the schema panel offer; ``params``: the named parameters ($name); ``marks``: places to
    underline (``{"from", "to", "message"}``, offsets into the text); ``words``: the panel's and the
    hint's words in the session's language.
    """
    value = _component()(value=text, revision=revision, schema=dict(schema), params=list(params),
                         marks=[dict(m) for m in marks], words=dict(words or {}), height=height, cursor=cursor,
                         key=key, default=None)
    seen_key = f"{key}:seen"
    edit = read_edit(value, revision, st.session_state.get(seen_key))
    if isinstance(value, Mapping):
        st.session_state[seen_key] = value.get("seq")
    return edit
