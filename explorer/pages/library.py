"""Query library: the named queries of queries/*.cypher, with a form for their parameters.

Runs through ``queries.run_named`` exactly as `policykg query NAME --param k=v` does, so the
page, the command line it shows and the Cypher it shows all give the same rows.

The query's name and its parameters are linked (explorer.links): a link opens the same query with the
same parameters, and runs it once it was run. A name that matches nothing is said in the session's
language with the closest names (queries.diagnose.parameter_problem over queries.resolve's message),
each a button that runs the query with it. Results of pairs of agencies (co-responsibility, an agency's
partners) are drawn as a network of those agencies; an empty result says why where the parameters
tell (two agencies of different governments have no path).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import networkx as nx
import streamlit as st

from explorer.i18n import language, strings, t
from explorer.links import linked, set_linked
from explorer.state import LIST_OPTIONS, data_version, get_store, store_kind
from explorer.uploads import markdown_text
from explorer.widgets import as_dataframe, download_buttons, page_offset, result_pages, show_network
from graph import statements
from graph.errors import StoreError
from graph.store import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, GraphStore
from queries import NamedQuery, Param, QueryParameterError, load_library, run_named
from queries.diagnose import ParameterProblem, parameter_problem
from queries.param_types import PARAM_TYPES
from queries.runner import resolve_parameters
from views.coordination import coordination_view
from views.network import result_graph

CONNECT_LIMIT = 300  # nodes; a result of nodes without relationships is joined up from the graph up to this size
RESULT_KEY = "library-result"
QUERY_KEY, RAN_KEY, RUN_NOW_KEY = "library-query", "library-ran", "library-run-now"
PAGE_KEY = "library-page"
FIRST = "actions-led-by"  # the question most people come with
#: result columns that hold a pair of agencies' names, and the column of how many actions they share
PAIR_COLUMNS = ((("agency_a", "agency_b"), "shared"), (("agency", "partner"), "shared"))
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


@st.cache_data(show_spinner=False, max_entries=32)
def suggestions(type_name: str, kind: str, version: int) -> list[str] | None:
    """The names a parameter of this type offers (queries.param_types), read from the store once per data version."""
    suggest = PARAM_TYPES[type_name].suggest
    return None if suggest is None else suggest(get_store())


def param_widget(query: NamedQuery, param: Param) -> None:
    key = widget_key(query, param)
    fixed = PARAM_TYPES[param.type].fixed
    options = suggestions(param.type, store_kind(), data_version())
    if options is not None and not fixed and len(options) > LIST_OPTIONS:
        options = None  # typed instead, and resolved as any name is (the closest offered if it is not found)
    widget = linked(key, initial_value(query, param), options=options if fixed else None)
    if param.type == "int" and isinstance(st.session_state.get(key), str):  # a link's text for a default of None
        number = st.session_state[key].strip()
        st.session_state[key] = int(number) if number.lstrip("-").isdigit() else None
        set_linked(key, st.session_state[key])
    described = param.help_zh if language() == "zh" else param.help_en
    label = (described or param.name) + ("" if param.required else t("library.optional"))
    help_text = param_help(param) or None
    if param.type == "int":
        # value=None / index=None: an emptied box means "not given" (no default to warn about beside the link)
        st.number_input(label, value=None, step=1, help=help_text, placeholder=t("library.empty"), **widget)
    elif options is not None:  # names the graph holds, to pick from (or type)
        current = st.session_state.get(key)
        if current and current not in options:  # a name typed by hand stays selectable
            options = [current, *options]
        # a cleared box means "not given", never the first suggestion
        st.selectbox(label, options, index=None, help=help_text, accept_new_options=not fixed,
                     placeholder=t("library.empty") if fixed else t("library.pick_or_type"), **widget)
    else:
        st.text_input(label, help=help_text, placeholder=t("library.empty"), **widget)


def given_params(query: NamedQuery) -> dict[str, Any]:
    """What the form holds, as run_named takes it: names as text, whole numbers as int; empty ones left out."""
    given = {}
    for param in query.params:
        value = st.session_state.get(widget_key(query, param))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        given[param.name] = int(value) if param.type == "int" else str(value).strip()
    return given


def command_line(query: NamedQuery, params: dict[str, Any], offset: int = 0) -> str:
    """The `policykg query` command that gives the same rows (NamedQuery.example_command, with these values)."""
    def quoted(word: str) -> str:  # Chinese names need no quotes; spaces and shell characters do
        return word if _SHELL_SAFE.fullmatch(word) else shlex.quote(word)

    page = f" --limit {DEFAULT_ROW_CAP} --offset {offset}" if offset else ""
    return (f"policykg query {query.name}" + "".join(f" --param {quoted(f'{k}={v}')}" for k, v in params.items())
            + page)


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


def pair_columns(columns: list[str]) -> tuple[int, int, int | None] | None:
    """The positions of a result's two agency-name columns and of its count of shared actions, if it is pairs
    (``city, agency_a, agency_b, shared`` gives (1, 2, 3); ``city, agency, number`` is no pairs)."""
    for (first, second), weight in PAIR_COLUMNS:
        if first in columns and second in columns:
            return columns.index(first), columns.index(second), columns.index(weight) if weight in columns else None
    return None


def pairs_network(rows: list[list[Any]], columns: tuple[int, int, int | None], store: GraphStore) -> nx.Graph:
    """The pairs of agencies of a result as a coordination network (views.coordination draws it): an agency
    by its node in the store where its name finds one (with the actions it leads), a link weighted by the
    actions the pair shares. Only the agencies the result names are read."""
    first, second, weight = columns
    names = sorted({str(row[index]) for row in rows for index in (first, second) if row[index] is not None})
    by_name: dict[str, dict[str, Any]] = {}
    for found in store.read_all(statements.AGENCIES_BY_NAME, {"names": names}):
        record = dict(zip(statements.AGENCIES_BY_NAME_COLUMNS, found, strict=True))
        by_name.setdefault(record["name"], record)
    network = nx.Graph()
    for row in rows:
        ends = []
        for name in (row[first], row[second]):
            record = by_name.get(name)
            node = record["id"] if record else name
            data = {k: v for k, v in record.items() if k != "id"} if record else {"name": name, "leads": 0}
            network.add_node(node, **data)
            ends.append(node)
        network.add_edge(*ends, weight=int(row[weight]) if weight is not None and row[weight] is not None else 1)
    return network


def empty_reason(store: GraphStore, query: NamedQuery, params: dict[str, Any]) -> str:
    """Why a query found nothing, where its resolved parameters tell; else that nothing matched them."""
    if query.name == "agency-path":
        try:
            values = resolve_parameters(store, query, params)
        except (QueryParameterError, StoreError):
            return t("library.nothing.found")
        ids = sorted({i for name in ("from", "to") for i in values.get(name) or []})
        city_of = dict(store.read_all(statements.AGENCY_CITIES, {"ids": ids}))
        cities = [{city_of.get(i) for i in values.get(name) or [] if i in city_of} for name in ("from", "to")]
        if set(values.get("from") or []) == set(values.get("to") or []):
            return t("library.nothing.same_agency")
        if cities[0] and cities[1] and not cities[0] & cities[1]:
            joined = "、" if language() == "zh" else ", "
            return t("library.nothing.other_government", a=joined.join(sorted(c or "?" for c in cities[0])),
                     b=joined.join(sorted(c or "?" for c in cities[1])))
        return t("library.nothing.no_path")
    return t("library.nothing.found")


def problem_words(problem: ParameterProblem, query: NamedQuery) -> str:
    """A parameter problem in the session's words (data/ui/library.toml)."""
    param = query.param(problem.param) if problem.param else None
    described = (param.help_zh if language() == "zh" else param.help_en) if param else ""
    values = {"param": markdown_text(described or problem.param or ""), "value": markdown_text(problem.value or ""),
              "within": markdown_text(problem.within or "")}
    key = f"library.problem.{problem.kind}" + ("_in" if problem.kind == "agency" and problem.within else "")
    return t(key, **values)


def _take(query_name: str, param: str, value: str) -> None:
    """Run the query again with a suggested name in place of the one that matched nothing."""
    set_linked(f"library-{query_name}-{param}", value)
    st.session_state[RUN_NOW_KEY] = True


def _run_again() -> None:
    """Another page chosen: the query runs again for it."""
    st.session_state[RUN_NOW_KEY] = True


def run_query(store: GraphStore, query: NamedQuery, params: dict[str, Any], offset: int = 0) -> dict[str, Any]:
    """Run ``query`` for one page of rows (``offset`` skipped, at most DEFAULT_ROW_CAP, the CLI's default --limit);
    the outcome as the page keeps it."""
    outcome: dict[str, Any] = {"name": query.name, "params": params, "version": data_version(), "offset": offset}
    try:
        outcome["result"] = run_named(store, query.name, params, row_cap=DEFAULT_ROW_CAP, offset=offset)
    except QueryParameterError as error:
        outcome["problem"] = parameter_problem(str(error), params)
        outcome["error"] = str(error).strip().splitlines()[0]
    except StoreError as error:
        outcome["error"] = str(error).strip().splitlines()[0]
    return outcome


st.title(t("page.library"))
st.caption(t("library.intro"))
store = get_store()
library = load_library()

names = list(library)
shown = {n: f"{title(library[n])} · {n}" for n in names}  # words fixed when the page runs (format_func runs later)
name = st.selectbox(t("library.query"), names, format_func=shown.get, placeholder=t("library.pick_query"),
                    **linked(QUERY_KEY, FIRST if FIRST in names else names[0], options=names))
query = library[name]
st.subheader(title(query))
st.markdown(description(query))

with st.container(border=True):
    if query.params:
        columns = st.columns(min(3, len(query.params)))
        for index, param in enumerate(query.params):
            with columns[index % len(columns)]:
                param_widget(query, param)
    else:
        st.caption(t("library.no_params"))
    submitted = st.button(t("library.run"), type="primary", key="library-run")

linked(RAN_KEY, False)  # once run, a link runs it too: the view is the query's result
params = given_params(query)
outcome = st.session_state.get(RESULT_KEY)
if outcome is not None and (outcome["name"], outcome["params"]) != (query.name, params):
    set_linked(PAGE_KEY, 1)  # another query or other parameters start at their first page
offset = page_offset(PAGE_KEY, DEFAULT_ROW_CAP)
current = outcome is not None and (outcome["name"], outcome["params"], outcome["version"], outcome["offset"]) == (
    query.name, params, data_version(), offset)
if submitted or st.session_state.pop(RUN_NOW_KEY, False) or (st.session_state[f"{RAN_KEY}:kept"] and not current):
    outcome = run_query(store, query, params, offset)
    st.session_state[RESULT_KEY] = outcome
    set_linked(RAN_KEY, True)
if outcome and (outcome["name"] != query.name or outcome["version"] != data_version()):
    outcome = None  # another query, or documents were added since: run again
if outcome and "problem" in outcome and outcome["problem"].kind != "other":
    problem = outcome["problem"]
    st.error(problem_words(problem, query))
    if problem.closest and problem.param and problem.kind not in ("unknown", "missing"):
        st.caption(t("library.did_you_mean"))
        with st.container(horizontal=True):
            for index, suggestion in enumerate(problem.closest):
                st.button(suggestion, key=f"library-suggestion-{index}", on_click=_take,
                          args=(query.name, problem.param, suggestion), icon=":material/auto_fix_high:")
elif outcome and "error" in outcome:
    st.error(t("library.store_error", error=markdown_text(outcome["error"])))
elif outcome:
    result = outcome["result"]
    result_pages(result, PAGE_KEY, on_change=_run_again)
    if not result.rows and not result.truncated:
        st.info(empty_reason(store, query, outcome["params"]))
    frame = as_dataframe(result.columns, result.rows)
    st.dataframe(frame, hide_index=True)
    download_buttons(frame, f"policykg-{query.name}", key="library-download", xlsx=True)
    pairs = pair_columns(result.columns)
    drawn = result_graph(result.rows)
    if pairs is not None and result.rows:
        network = pairs_network(result.rows, pairs, store)
        st.subheader(t("library.graph"))
        st.caption(t("library.pairs_counts", nodes=network.number_of_nodes(), edges=network.number_of_edges()))
        show_network(coordination_view(network), height=560)
    elif drawn.number_of_nodes():
        joined = connect(store, drawn)
        st.subheader(t("library.graph"))
        st.caption(t("library.graph_counts", nodes=joined.number_of_nodes(), edges=joined.number_of_edges())
                   + (t("library.graph_joined") if joined is not drawn else ""))
        show_network(joined, height=560)

st.caption(t("library.command"))
st.code(command_line(query, outcome["params"], outcome["offset"]) if outcome else command_line(query, params),
        language="bash")
with st.expander(t("library.cypher"), expanded=False):
    st.code(query.cypher, language="cypher")
