"""Network: the plans' agencies, actions and places as an interactive graph, with details and sources.

Filters live in the sidebar; the subgraph is built by views.network (pure functions) and drawn by the
network component (explorer.components.network_view, over views.draw's data). A click in the drawing
shows that node or relationship in the details below; a double click centres the view on the node.
Every widget that says what the view is keeps its value in the page's link (explorer.links.linked).
Everything that comes from documents is shown as text: tables, selectbox options, and quotes escaped
by explorer.widgets.highlighted_html.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import streamlit as st

from explorer.components.network_view import network_view
from explorer.i18n import language, t, t_or, v
from explorer.links import linked, set_linked
from explorer.state import (
    cities,
    data_version,
    document_cities,
    documents,
    get_store,
    graph_or_stop,
    plan_scope,
    reads_whole,
    store_kind,
)
from explorer.widgets import action_editor, as_dataframe, highlighted_html
from graph.export import graph_json
from queries.runner import run_named
from views import network as gv
from views.draw import EDGE_STYLES, NODE_STYLES, render_network_html
from views.naming import node_name
from views.overview import cities_overview, city_rows, province_key

QUOTE_LIMIT = 40
_QUOTE_CSS = (
    "<style>.pk-sources{font-size:0.95rem;line-height:1.7}"
    ".pk-sources .pk-source{margin:0 0 0.8rem 0;padding:0.35rem 0.7rem;border-left:3px solid #cbd5e1}"
    ".pk-sources .pk-caption{display:block;color:#64748b;font-size:0.82rem}"
    ".pk-sources mark{background:#fde68a;padding:0 1px;border-radius:2px}</style>"
)

NETWORK_HEIGHT = 680
DOCUMENTS_PAGE = Path(__file__).resolve().with_name("documents.py")


def export_page(view: nx.MultiDiGraph, title: str, highlight: str | None, lang: str) -> bytes:
    """The HTML download of the shown subgraph: the same data as the drawing (views.draw.network_data).
    Made when the button is clicked (Streamlit's deferred data): a view of thousands of nodes is not
    laid out a second time on every run for a download nobody asked for."""
    return render_network_html(view, title=title, highlight=highlight, height=f"{NETWORK_HEIGHT - 20}px",
                               lang=lang).encode("utf-8")


def json_download(view: nx.MultiDiGraph) -> bytes:
    """The JSON download of a view (graph.export.graph_json), made when its button is clicked."""
    return json.dumps(graph_json(view), ensure_ascii=False, indent=1).encode("utf-8")


# Words are fixed when the page runs: Streamlit calls a widget's format_func again at the start of the
# next run (to read the browser's choice), and must get the words it showed, not the next language's.
LANG = language()
TYPE_NAMES = {label: str(style["en"] if LANG == "en" else style["zh"]) for label, style in NODE_STYLES.items()}
RELATIONSHIP_NAMES = {kind: str(style["en"] if LANG == "en" else style["zh"]) for kind, style in EDGE_STYLES.items()}
ROLE_NAMES = {role: t(f"network.role.{role}") for role in gv.ROLE_TYPES}


def type_name(label: str, names: dict[str, str] = TYPE_NAMES) -> str:
    return names.get(label, label)


def relationship_name(edge_type: str, names: dict[str, str] = RELATIONSHIP_NAMES) -> str:
    return names.get(edge_type, edge_type)


def node_label(node: object, names: dict[str, str] = TYPE_NAMES) -> str:
    """A node as lists show it (``graph``: the one this run read, below)."""
    if node not in graph:
        return str(node)
    return f"{node_name(graph, node)} · {type_name(str(graph.nodes[node].get('label', '')), names)}"


#: properties whose values are codes, and where their words are
_CODE_WORDS = {"basis": "values.basis", "level": "values.level", "qualifier": "targets.qualifier",
               "government_basis": "network.value.government_basis"}


def property_value(graph: nx.MultiDiGraph, node: object, key: str, text: str) -> str:
    """A property's value as the details show it: codes in the session's words, data as it is."""
    raw = graph.nodes[node].get(key)
    label = graph.nodes[node].get("label")
    if key == "label":
        return type_name(text)
    if key == "doc_id" and raw in graph:  # the plan it is from, by name
        return node_name(graph, raw)
    if isinstance(raw, bool):
        return t("network.yes") if raw else t("network.no")
    if key == "kind" and label == "Action":
        return t_or(f"values.kind.{text}", text)
    if key == "type" and label == "Agency":
        return t_or(f"agencies.type.{text}", text)
    if key in _CODE_WORDS:
        return t_or(f"{_CODE_WORDS[key]}.{text}", text)
    return text


def show_details_of(node: object) -> None:
    """The details section shows this node (and no relationship)."""
    set_linked("net-detail", node)
    st.session_state.pop("net-edge", None)


def centre_on(node: object) -> None:
    """Centre the view on a node and show its details first."""
    set_linked("net-centre", node)
    show_details_of(node)


def pick_search_result() -> None:
    """Choosing a search result centres the view on it."""
    picked = st.session_state.get("net-pick")
    if picked is not None:
        centre_on(picked)


def centre_chosen() -> None:
    """A new centre shows its own details first."""
    show_details_of(st.session_state.get("net-centre:kept"))


def take_click() -> None:
    """What a click in the drawing asks: a node's or a relationship's details, or (a double click) a new centre."""
    event = st.session_state.get("net-view")
    if not isinstance(event, dict):
        return
    node = event.get("node")
    if event.get("event") == "centre" and isinstance(node, str):
        centre_on(node)
    elif event.get("event") == "select" and isinstance(node, str):
        show_details_of(node)
    elif event.get("event") == "select" and isinstance(event.get("edge"), list):
        st.session_state["net-edge"] = list(event["edge"])


def open_reader(document: object, action: object) -> None:
    """The Documents page, at this action of its plan (it reads these two keys, also its link's parameters)."""
    st.session_state["doc-open:kept"] = document
    st.session_state["doc-action:kept"] = action


def drill_into() -> None:
    """A click on a city in the overview opens that city's network."""
    event = st.session_state.get("net-overview")
    node = event.get("node") if isinstance(event, dict) else None
    if isinstance(node, str) and not node.startswith(province_key("")):
        set_linked("net-cities", [node])


def show_overview(city_options: list[str]) -> None:
    """A corpus too large to draw node by node: its cities around their provinces, sized by their actions
    (the named query ``cities``); a click on a city, or a city chosen in the filters, opens its network."""
    result = run_named(get_store(), "cities")
    overview = cities_overview(result.rows, result.columns)
    st.info(t("network.overview", plans=len(documents()), cities=len(city_options)))
    network_view(overview, key="net-overview", height=NETWORK_HEIGHT, highlight=None, lang=LANG,
                 cache_key=("overview", store_kind(), data_version()), on_change=drill_into)
    rows = city_rows(overview)
    columns = ["city", "province", "plans", "actions", "agencies"]
    frame = as_dataframe([t(f"network.overview_col.{c}") for c in columns], [[r[c] for c in columns] for r in rows])
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(t("network.download_json"), lambda: json_download(overview), "policykg-overview.json",
                       "application/json", key="net-overview-json", icon=":material/download:")


st.title(t("network.title"))
st.caption(t("network.intro"))

with st.sidebar:
    st.subheader(t("network.filters"))
    city_options = cities()
    chosen_cities = st.multiselect(t("network.cities"), city_options, placeholder=t("network.all"),
                                   **linked("net-cities", [], options=city_options))
    titles = documents()
    city_of = document_cities()
    doc_options = [d for d in titles if not chosen_cities or city_of.get(d) in chosen_cities]
    if not chosen_cities and not reads_whole():  # thousands of plans in one list: a city first (a link's stay)
        given = st.session_state.get("net-docs:kept", st.query_params.get_all("net-docs"))
        doc_options = [d for d in doc_options if d in set(given or ())]
    chosen_docs = st.multiselect(t("network.documents"), doc_options, format_func=lambda d: titles.get(d, d),
                                 placeholder=t("network.all") if doc_options or reads_whole()
                                 else t("network.city_first"), **linked("net-docs", [], options=doc_options))
    scope_docs = chosen_docs or None
    scope_cities = chosen_cities or None

if scope_docs is None and scope_cities is None and not reads_whole():
    show_overview(city_options)
    st.stop()
graph = graph_or_stop(plan_scope(scope_docs, scope_cities))

with st.sidebar:
    scope = gv.filter_graph(graph, documents=scope_docs, cities=scope_cities, labels=None)
    all_labels = gv.labels_present(graph)
    labels = st.multiselect(t("network.types"), all_labels, format_func=type_name,
                            placeholder=t("network.choose_types"),
                            **linked("net-labels", [x for x in gv.DEFAULT_LABELS if x in all_labels],
                                     options=all_labels))
    roles = st.multiselect(t("network.roles"), list(gv.ROLE_TYPES), format_func=ROLE_NAMES.get,
                           placeholder=t("network.choose_roles"),
                           **linked("net-roles", list(gv.ROLE_TYPES), options=list(gv.ROLE_TYPES)))
    expand = st.checkbox(t("network.expand"), help=t("network.expand_help"), **linked("net-expand", False))
    only_corrected = st.checkbox(t("network.only_corrected"), help=t("network.only_corrected_help"),
                                 **linked("net-corrected", False))

    st.divider()
    search = st.text_input(t("network.search"), placeholder=t("network.search_placeholder"),
                           **linked("net-search", ""))
    if search.strip():
        hits = gv.search_nodes(scope, search, limit=30)
        if hits:
            st.session_state["net-pick"] = None  # a choice is used once: it centres the view
            st.selectbox(t("network.matches"), hits, index=None, format_func=node_label, key="net-pick",
                         on_change=pick_search_result, placeholder=t("network.choose_node"))
        else:
            st.caption(t("network.no_match", text=search.strip()))

    # the centre kept (or, on a fresh session, the link's): a search result of another type (an action,
    # a target …) is offered too while it is in scope
    current = st.session_state.get("net-centre:kept", st.query_params.get("net-centre"))
    centre_options = gv.sorted_nodes(scope, [n for n, d in scope.nodes(data=True)
                                             if d.get("label") in gv.CENTRE_LABELS])
    if current is not None and current in scope and current not in centre_options:
        centre_options.insert(0, current)
    centre = st.selectbox(t("network.centre"), centre_options, format_func=node_label,
                          placeholder=t("network.whole"),
                          **linked("net-centre", None, options=centre_options, on_change=centre_chosen))
    depth = st.slider(t("network.depth"), 1, 4, disabled=centre is None, **linked("net-depth", 1))

view = gv.filter_graph(graph, documents=scope_docs, cities=scope_cities, labels=labels, roles=roles,
                       expand_collectives=expand, keep=[centre] if centre is not None else ())
if only_corrected:
    view = gv.corrected_facts(view, keep=[centre] if centre is not None else ())
if centre is not None and centre in view:
    view = gv.neighbourhood(view, centre, depth)
highlight = centre if centre is not None and centre in view else None

counts = st.columns([1, 1, 4])
counts[0].metric(t("network.nodes"), view.number_of_nodes())
counts[1].metric(t("network.relationships"), view.number_of_edges())
if highlight is not None:
    counts[2].text(t("network.centred_on", name=node_name(graph, highlight), hops=depth))

if view.number_of_nodes() == 0:
    st.info(t("network.empty_corrected") if only_corrected else t("network.empty"))
else:
    export_title = t("network.export_title")
    if highlight is not None:
        export_title = f"{export_title} · {node_name(graph, highlight)}"
    view_key = (store_kind(), data_version(), tuple(scope_docs or ()), tuple(scope_cities or ()), tuple(labels),
                tuple(roles), expand, only_corrected, highlight, depth if highlight is not None else 0, gv.DRAW_LIMIT)
    drawn, left_nodes, left_edges = gv.drawable(view, gv.DRAW_LIMIT, keep=[highlight] if highlight is not None else ())
    if left_nodes:  # said, never a frozen tab: the rest is in the JSON download and a narrower view
        st.warning(t("network.too_large", shown=drawn.number_of_nodes(), total=view.number_of_nodes(),
                     nodes=left_nodes, edges=left_edges))
    network_view(drawn, key="net-view", height=NETWORK_HEIGHT, highlight=highlight, lang=LANG,
                 cache_key=view_key, on_change=take_click)
    downloads = st.columns(2)
    downloads[0].download_button(
        t("network.download_html"), lambda: export_page(drawn, export_title, highlight, LANG),
        "policykg-network.html", "text/html", key="net-html", icon=":material/download:")
    downloads[1].download_button(
        t("network.download_json"), lambda: json_download(view),
        "policykg-network.json", "application/json", key="net-json", icon=":material/download:")

# --------------------------------------------------------------------------------------------- details

st.subheader(t("network.details"))


def show_quotes(quotes: list[gv.Quote]) -> None:
    blocks = []
    for quote in quotes[:QUOTE_LIMIT]:
        words = quote.caption
        if quote.relation:
            words += f" · {relationship_name(quote.relation)}"
        if quote.via:
            words += f" ← {quote.via}"
        caption = f'<span class="pk-caption">{highlighted_html(words, [])}</span>' if words else ""
        blocks.append(f'<div class="pk-source">{caption}{highlighted_html(quote.text, quote.spans)}</div>')
    st.html(f'{_QUOTE_CSS}<div class="pk-sources">{"".join(blocks)}</div>')


edge = gv.find_edge(view, st.session_state.get("net-edge"))
if edge is None:
    st.session_state.pop("net-edge", None)
else:  # a relationship clicked in the drawing: its ends, type, basis and the sentence it was read from
    facts = gv.edge_facts(graph, *edge)
    with st.container(border=True):
        st.markdown(f"**{t('network.edge')}**")
        st.text(t("network.edge_ends", start=facts["start_name"], start_type=type_name(facts["start_label"]),
                  end=facts["end_name"], end_type=type_name(facts["end_label"])))
        rows = [[t("network.col.type"), relationship_name(facts["type"])],
                [t("network.col.basis"), v("basis", facts["basis"])],
                [t("network.col.rank"), "" if facts["rank"] is None else str(facts["rank"])],
                [t("network.col.as_written"), facts["as_written"] or ""],
                [t("network.col.derived_from"), facts["derived_from"] or ""],
                [t("network.col.correction"), facts["correction"] or ""]]
        rows = [row for row in rows if row[1] or row[0] == t("network.col.type")]
        st.dataframe(as_dataframe([t("network.col.property"), t("network.col.value")], rows), hide_index=True,
                     width="stretch")
        if facts["quote"] is not None:
            st.caption(t("network.source_help"))
            show_quotes([facts["quote"]])
        else:
            st.caption(t("network.edge_no_source"))
        ends = st.columns(3)
        ends[0].button(t("network.edge_start"), key="net-edge-start",
                       on_click=show_details_of, args=(facts["start"],), icon=":material/arrow_upward:")
        ends[1].button(t("network.edge_end"), key="net-edge-end",
                       on_click=show_details_of, args=(facts["end"],), icon=":material/arrow_downward:")
        ends[2].button(t("network.close_edge"), key="net-edge-close", on_click=st.session_state.pop,
                       args=("net-edge", None), icon=":material/close:")

shown = gv.sorted_nodes(view)
chosen = st.selectbox(t("network.node"), shown, format_func=node_label, placeholder=t("network.choose_node"),
                      **linked("net-detail", highlight if highlight in shown else None, options=shown,
                               on_change=lambda: st.session_state.pop("net-edge", None)))
if chosen is not None:
    reader_document = gv.action_document(graph, chosen) if graph.nodes[chosen].get("label") == "Action" else None
    if reader_document is not None and st.button(
            t("network.open_reader"), key="net-open-reader", help=t("network.open_reader_help"),
            icon=":material/menu_book:"):
        open_reader(reader_document, chosen)
        st.switch_page(DOCUMENTS_PAGE)
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{t('network.properties')}**")
        rows = [[t_or(f"network.prop.{key}", key), property_value(graph, chosen, key, value)]
                for key, value in gv.node_properties(graph, chosen)]
        st.dataframe(as_dataframe([t("network.col.property"), t("network.col.value")], rows), hide_index=True,
                     width="stretch")
    with right:
        relations = gv.node_relationships(graph, chosen)
        st.markdown(f"**{t('network.relations', count=len(relations))}**")
        derived = any(r["derived_from"] for r in relations)
        corrected = any(r["correction"] for r in relations)
        columns = [t("network.col.direction"), t("network.col.type"), t("network.col.other"),
                   t("network.col.other_type"), t("network.col.basis"), t("network.col.rank")]
        columns += [t("network.col.derived_from")] if derived else []
        columns += [t("network.col.correction")] if corrected else []
        table = [[t(f"network.direction.{r['direction']}"), relationship_name(r["type"]), r["other_name"],
                  type_name(r["other_label"]), v("basis", r["basis"]),
                  "" if r["rank"] is None else str(r["rank"]),
                  *([r["derived_from"] or ""] if derived else []),
                  *([r["correction"] or ""] if corrected else [])] for r in relations]
        st.dataframe(as_dataframe(columns, table), hide_index=True, width="stretch")

    st.markdown(f"**{t('network.source')}**")
    quotes = gv.source_quotes(graph, chosen, limit=100_000)
    if quotes:
        st.caption(t("network.source_help"))
        show_quotes(quotes)
        if len(quotes) > QUOTE_LIMIT:
            st.caption(t("network.more_quotes", count=len(quotes) - QUOTE_LIMIT))
    else:
        st.caption(t("network.no_source"))

    if graph.nodes[chosen].get("label") == "Action":  # its units, corrected here
        action_editor(graph, chosen, key=f"net-edit-{chosen}")
