"""Query library: the named queries of queries/*.cypher, with a form for their parameters.

Runs through ``queries.run_named`` exactly as `policykg query NAME --param k=v` does, so the
page, the command line it shows and the Cypher it shows all give the same rows.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import networkx as nx
import streamlit as st

from explorer.i18n import language, strings, t
from explorer.state import data_version, get_graph, get_store
from explorer.uploads import markdown_text
from explorer.widgets import as_dataframe, download_buttons, show_network
from graph.errors import StoreError
from graph.store import DEFAULT_TIMEOUT, GraphStore
from queries import NamedQuery, Param, QueryParameterError, load_library, run_named
from queries.param_types import PARAM_TYPES
from views.network import result_graph

CONNECT_LIMIT = 300  # nodes; a result of nodes without relationships is joined up from the graph up to this size
RESULT_KEY = "library-result"
FIRST = "actions-led-by"  # the question most people come with
_SHELL_SAFE = re.compile(r"[^\s'\"\\$`!*?&;|<>(){}\[\]#~]+")


def title(query: NamedQuery) -> str:
    return query.title_zh if language() == "zh" else query.title_en


def description(query: NamedQuery) -> str:
    """The query's description in the session's language (data/ui/library.toml), else the file's own."""
    key = f"library.about.{query.name}"
    return t(key) if key in strings() else query.description


def param_help(param: Param) -> str:
    return (param.help_zh if language() == "zh" else param.help_en) or param.help_en or param.help_zh


def widget_key(query: NamedQuery, param: Param) -> str:
    return f"library-{query.name}-{param.name}"


def initial_value(query: NamedQuery, param: Param) -> Any:
    """The form starts from the query's example (the command line's `e.g.`), else the declared default."""
    value = query.example.get(param.name, param.default)
    if param.type == "int" and value is not None:
        return int(value)
    return value


def param_widget(query: NamedQuery, param: Param, graph: nx.MultiDiGraph) -> None:
    key = widget_key(query, param)
    st.session_state.setdefault(key, initial_value(query, param))
    described = param.help_zh if language() == "zh" else param.help_en
    label = (described or param.name) + ("" if param.required else t("library.optional"))
    help_text = param_help(param) or None
    if param.type == "int":
        st.number_input(label, value=None, step=1, key=key, help=help_text, placeholder=t("library.empty"))
    elif PARAM_TYPES[param.type].suggest is not None:  # names the graph holds, to pick from (or type)
        options = PARAM_TYPES[param.type].suggest(graph)
        current = st.session_state.get(key)
        if current and current not in options:  # a name typed by hand stays selectable
            options = [current, *options]
        typed = not PARAM_TYPES[param.type].fixed  # names can be typed; entity types are a fixed list
        # index=None: a cleared box means "not given", never the first suggestion.
        st.selectbox(label, options, index=None, key=key, help=help_text, accept_new_options=typed,
                     placeholder=t("library.pick_or_type") if typed else t("library.empty"))
    else:
        st.text_input(label, key=key, help=help_text, placeholder=t("library.empty"))


def given_params(query: NamedQuery) -> dict[str, Any]:
    """What the form holds, as run_named takes it: names as text, whole numbers as int; empty ones left out."""
    given = {}
    for param in query.params:
        value = st.session_state.get(widget_key(query, param))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        given[param.name] = int(value) if param.type == "int" else str(value).strip()
    return given


def command_line(query: NamedQuery, params: dict[str, Any]) -> str:
    """The `policykg query` command that gives the same rows (NamedQuery.example_command, with these values)."""
    def quoted(word: str) -> str:  # Chinese names need no quotes; spaces and shell characters do
        return word if _SHELL_SAFE.fullmatch(word) else shlex.quote(word)

    return f"policykg query {query.name}" + "".join(f" --param {quoted(f'{k}={v}')}" for k, v in params.items())


def connect(store: GraphStore, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Nodes returned without relationships (a path as a list of nodes): add the relationships among them."""
    if graph.number_of_edges() or not 1 < graph.number_of_nodes() <= CONNECT_LIMIT:
        return graph
    ids = sorted({d["id"] for _, d in graph.nodes(data=True) if d.get("id")})
    try:  # every relationship among them, or none: never a part read under a row cap
        rows = store.read_all("MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids RETURN a, r, b",
                              {"ids": ids}, timeout=DEFAULT_TIMEOUT, guard=True)
    except StoreError:  # the rows themselves were shown; only the drawing stays unconnected
        return graph
    return result_graph(rows) if rows else graph


st.title(t("page.library"))
st.caption(t("library.intro"))
store = get_store()
library = load_library()
graph = get_graph()

names = list(library)
name = st.selectbox(t("library.query"), names, key="library-query", index=names.index(FIRST) if FIRST in names else 0,
                    format_func=lambda n: f"{title(library[n])} · {n}")
query = library[name]
st.subheader(title(query))
st.markdown(description(query))

with st.form(f"library-form-{query.name}", border=True):
    if query.params:
        columns = st.columns(min(3, len(query.params)))
        for index, param in enumerate(query.params):
            with columns[index % len(columns)]:
                param_widget(query, param, graph)
    else:
        st.caption(t("library.no_params"))
    submitted = st.form_submit_button(t("library.run"), type="primary", key="library-run")

params = given_params(query)
if submitted:
    outcome: dict[str, Any] = {"name": query.name, "params": params, "version": data_version()}
    try:
        outcome["result"] = run_named(store, query.name, params)
    except (QueryParameterError, StoreError) as error:
        outcome["error"] = str(error).strip().splitlines()[0]
    st.session_state[RESULT_KEY] = outcome

outcome = st.session_state.get(RESULT_KEY)
if outcome and (outcome["name"] != query.name or outcome["version"] != data_version()):
    outcome = None  # another query, or documents were added since: run again
if outcome and "error" in outcome:
    st.error(markdown_text(outcome["error"]))
elif outcome:
    result = outcome["result"]
    st.caption(t("library.rows", count=len(result.rows)))
    if result.truncated:
        st.warning(t("library.row_cap_hit", cap=result.row_cap))
    frame = as_dataframe(result.columns, result.rows)
    st.dataframe(frame, hide_index=True)
    download_buttons(frame, f"policykg-{query.name}", key="library-download", xlsx=True)
    drawn = result_graph(result.rows)
    if drawn.number_of_nodes():
        joined = connect(store, drawn)
        st.subheader(t("library.graph"))
        st.caption(t("library.graph_counts", nodes=joined.number_of_nodes(), edges=joined.number_of_edges())
                   + (t("library.graph_joined") if joined is not drawn else ""))
        show_network(joined, height=560)

st.caption(t("library.command"))
st.code(command_line(query, outcome["params"] if outcome else params), language="bash")
with st.expander(t("library.cypher"), expanded=False):
    st.code(query.cypher, language="cypher")
