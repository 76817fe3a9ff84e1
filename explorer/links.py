"""Links: every page keeps the state of its view in the URL, so a link reproduces the view.

A page declares the widgets whose values define what it shows with :func:`linked`, used like
``explorer.widgets.kept``::

    st.multiselect(t("network.cities"), options, **linked("net-cities", [], options=options))

The value is kept under ``<key>:kept`` (so it survives a change of language, whose words Streamlit
would otherwise match the choice by), read from the URL's query parameter ``<key>`` the first time
a session sees the key (a link opened in a fresh browser), and written back to the URL after every
run of the page by :func:`publish` (app.py calls it), only where it differs from the default. The
URL then always says the view, and :func:`current_link` is what the sidebar's "copy link" offers.
A page that makes only its open tab keeps the closed tab's values in the link with :func:`carry`.

Values are typed by their default: text, whole and decimal numbers, yes/no, and lists or pairs of
them. A value read from a link that is not among the widget's ``options`` (a node that is no longer in
the graph, a mistyped parameter) is dropped, never passed to the widget, which would fail on it.

>>> encode(["市发改委", "市财政局"], [])
['市发改委', '市财政局']
>>> decode(["3"], 1), decode(["0"], True), decode([""], ["a"]), decode(["2", "5"], (1, 4))
(3, False, [], (2, 5))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st

#: the keys a run of a page declared, in order; app.py starts each run with an empty list
_REGISTERED = "links:registered"
#: each key's default as its widget was last declared (a default may depend on the data: the first unit)
_DEFAULTS = "links:defaults"
EMPTY_LIST = ""  # a list chosen empty is the one parameter value "", since repeated values cannot say "none"


@dataclass(frozen=True)
class Link:
    key: str
    default: Any


def begin() -> None:
    """Start a run: no key is declared yet (app.py, before the page runs)."""
    st.session_state[_REGISTERED] = {}


def linked(key: str, default: Any, *, options: Sequence[Any] | None = None,
           on_change: Callable[[], None] | None = None) -> dict[str, Any]:
    """Keyword arguments for a widget whose value is part of the page's link.

    Pass no ``value``/``default``/``index`` beside them: the value is given through session state.
    ``on_change`` runs after the value is kept (a page that reacts to the change itself).
    """
    store = f"{key}:kept"
    if store not in st.session_state:
        st.session_state[store] = _from_url(key, default, options)
    elif options is not None:
        st.session_state[store] = _within(st.session_state[store], default, options)
    st.session_state[key] = st.session_state[store]
    st.session_state.setdefault(_REGISTERED, {})[key] = Link(key, default)
    st.session_state.setdefault(_DEFAULTS, {})[key] = default
    return {"key": key, "on_change": _keep, "args": (key, on_change)}


def carry(links: dict[str, Any]) -> None:
    """Keep linked values in the link on a run that declares no widget for them (a closed tab's controls):
    ``links`` maps each key to its default where the widget has not been declared yet in this session (else
    the default it was last declared with counts, so that a value equal to it stays out of the link). Values
    are read from the URL on a fresh session as :func:`linked` reads them, and checked against the options
    when the widgets are declared again."""
    declared = st.session_state.get(_DEFAULTS, {})
    for key, default in links.items():
        default = declared.get(key, default)
        store = f"{key}:kept"
        if store not in st.session_state and key in st.query_params:  # else the widget's own default, later
            st.session_state[store] = _from_url(key, default, None)
        st.session_state.setdefault(_REGISTERED, {})[key] = Link(key, default)


def _keep(key: str, then: Callable[[], None] | None = None) -> None:
    st.session_state[f"{key}:kept"] = st.session_state[key]
    if then is not None:
        then()


def set_linked(key: str, value: Any) -> None:
    """Change a linked value from code (a click in a drawing, a suggestion taken); the widget shows it next run."""
    st.session_state[f"{key}:kept"] = value


def _from_url(key: str, default: Any, options: Sequence[Any] | None) -> Any:
    values = st.query_params.get_all(key)
    if not values:
        return default
    try:
        value = decode(values, default, options)
    except ValueError:
        return default
    return _within(value, default, options) if options is not None else value


def _within(value: Any, default: Any, options: Sequence[Any]) -> Any:
    """``value`` as far as ``options`` allow: a list keeps its known members, anything else is known or the default.

    >>> _within(["a", "x"], [], ["a", "b"]), _within("x", None, ["a"]), _within(None, None, ["a"])
    (['a'], None, None)
    """
    allowed = set(options)
    if isinstance(value, list):
        return [item for item in value if item in allowed]
    return value if value is None or value in allowed else default


def _kind(default: Any, options: Sequence[Any] | None) -> type:
    if default is None and options:
        return type(next(iter(options)))
    return type(default) if default is not None else str


def decode(values: list[str], default: Any, options: Sequence[Any] | None = None) -> Any:
    """A URL's values for a key as the type of ``default`` (or of the options, when the default is None).

    >>> decode(["x"], None), decode(["2.5"], 1.0), decode(["a", "b"], ["c"])
    ('x', 2.5, ['a', 'b'])
    """
    if isinstance(default, list | tuple):
        if values == [EMPTY_LIST]:
            return [] if isinstance(default, list) else default
        element = type(default[0]) if default else (type(next(iter(options))) if options else str)
        items = [_scalar(value, element) for value in values]
        return tuple(items) if isinstance(default, tuple) else items
    return _scalar(values[0], _kind(default, options))


def _scalar(text: str, kind: type) -> Any:
    if kind is bool:
        if text not in ("0", "1"):
            raise ValueError(text)
        return text == "1"
    if kind is int:
        return int(text)
    if kind is float:
        return float(text)
    return text


def encode(value: Any, default: Any) -> list[str] | None:
    """``value`` as a URL's values, or None when it is the default (the link leaves it out).

    >>> encode(True, False), encode(4, 1), encode(1, 1), encode([], ["a"]), encode(None, None)
    (['1'], ['4'], None, [''], None)
    """
    if value == default or (value is None and default is None):
        return None
    if value is None:
        return None  # cleared: the default is what a fresh session shows, the nearest a link can say
    if isinstance(value, list | tuple):
        return [_text(item) for item in value] or [EMPTY_LIST]
    return [_text(value)]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def view_params() -> dict[str, list[str]]:
    """The query parameters that say this run's view: each declared key that differs from its default."""
    params: dict[str, list[str]] = {}
    for link in st.session_state.get(_REGISTERED, {}).values():
        encoded = encode(st.session_state.get(f"{link.key}:kept", link.default), link.default)
        if encoded is not None:
            params[link.key] = encoded
    return params


def publish() -> None:
    """Make the browser's URL say this run's view (app.py, after the page ran, also when it stopped early)."""
    params = view_params()
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != params:
        st.query_params.from_dict(params)


def current_link() -> str:
    """The URL of the view as it is now: the page's address and its parameters."""
    base = st.context.url or ""
    if base and not urlsplit(base).path:
        base += "/"  # the home page's address: http://host:port/, not http://host:port
    query = urlencode(view_params(), doseq=True)
    return f"{base}?{query}" if query else base
