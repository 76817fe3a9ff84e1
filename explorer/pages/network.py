"""Network: the plans' agencies, actions and places as an interactive graph, with details and sources.

Filters live in the sidebar; the subgraph is built by views.network (pure functions) and drawn by
views.draw. Everything that comes from documents is shown as text: tables, selectbox options, and
quotes escaped by explorer.widgets.highlighted_html.
"""

from __future__ import annotations

import json

import networkx as nx
import streamlit as st

from explorer.i18n import language, t, v
from explorer.state import cities, data_version, documents, get_graph, store_kind
from explorer.widgets import action_editor, as_dataframe, highlighted_html, kept, show_network
from graph.export import graph_json
from views import network as gv
from views.draw import EDGE_STYLES, NODE_STYLES, render_network_html
from views.naming import node_name

QUOTE_LIMIT = 40
_QUOTE_CSS = (
    "<style>.pk-sources{font-size:0.95rem;line-height:1.7}"
    ".pk-sources .pk-source{margin:0 0 0.8rem 0;padding:0.35rem 0.7rem;border-left:3px solid #cbd5e1}"
    ".pk-sources .pk-caption{display:block;color:#64748b;font-size:0.82rem}"
    ".pk-sources mark{background:#fde68a;padding:0 1px;border-radius:2px}</style>"
)

NETWORK_HEIGHT = 680


@st.cache_data(show_spinner=False, max_entries=16)
def export_page(_view: nx.MultiDiGraph, key: tuple, title: str, highlight: str | None) -> str:
    """The page of the shown subgraph, drawn in the app and offered as the HTML download (rendered once);
    ``key`` names the data and filters it was built from."""
    return render_network_html(_view, title=title, highlight=highlight, height=f"{NETWORK_HEIGHT - 20}px")


graph = get_graph()
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


def node_label(node: object, names: dict[str, str] = TYPE_NAMES, graph=graph) -> str:
    if node not in graph:
        return str(node)
    return f"{node_name(graph, node)} · {type_name(str(graph.nodes[node].get('label', '')), names)}"


def pick_search_result() -> None:
    """Choosing a search result centres the view on it."""
    picked = st.session_state.get("net-pick")
    if picked is not None:
        st.session_state["net-centre:kept"] = picked


st.title(t("network.title"))
st.caption(t("network.intro"))

with st.sidebar:
    st.subheader(t("network.filters"))
    chosen_cities = st.multiselect(t("network.cities"), cities(graph), key="net-cities",
                                   placeholder=t("network.all"))
    titles = documents(graph)
    doc_options = [d for d in titles if not chosen_cities or graph.nodes[d].get("city") in chosen_cities]
    chosen_docs = st.multiselect(t("network.documents"), doc_options, format_func=lambda d: titles.get(d, d),
                                 key="net-docs", placeholder=t("network.all"))
    scope_docs = chosen_docs or None
    scope_cities = chosen_cities or None
    scope = gv.filter_graph(graph, documents=scope_docs, cities=scope_cities, labels=None)
    all_labels = gv.labels_present(graph)
    labels = st.multiselect(t("network.types"), all_labels, format_func=type_name,
                            **kept("net-labels", [x for x in gv.DEFAULT_LABELS if x in all_labels]))
    roles = st.multiselect(t("network.roles"), list(gv.ROLE_TYPES), format_func=ROLE_NAMES.get,
                           **kept("net-roles", list(gv.ROLE_TYPES)))
    expand = st.checkbox(t("network.expand"), value=False, key="net-expand", help=t("network.expand_help"))
    only_corrected = st.checkbox(t("network.only_corrected"), value=False, key="net-corrected",
                                 help=t("network.only_corrected_help"))

    st.divider()
    search = st.text_input(t("network.search"), key="net-search", placeholder=t("network.search_placeholder"))
    if search.strip():
        hits = gv.search_nodes(scope, search, limit=30)
        if hits:
            st.session_state["net-pick"] = None  # a choice is used once: it centres the view
            st.selectbox(t("network.matches"), hits, index=None, format_func=node_label, key="net-pick",
                         on_change=pick_search_result, placeholder=t("network.choose_node"))
        else:
            st.caption(t("network.no_match", text=search.strip()))

    current = st.session_state.get("net-centre:kept")
    centre_options = gv.sorted_nodes(scope, [n for n, d in scope.nodes(data=True)
                                             if d.get("label") in gv.CENTRE_LABELS])
    if current is not None and current in scope and current not in centre_options:
        centre_options.insert(0, current)  # a search result of another type (an action, a target …)
    if current not in centre_options:
        st.session_state["net-centre:kept"] = None
    centre = st.selectbox(t("network.centre"), centre_options, index=None, format_func=node_label,
                          placeholder=t("network.whole"), **kept("net-centre", None))
    depth = st.slider(t("network.depth"), 1, 4, 1, key="net-depth", disabled=centre is None)

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
                tuple(roles), expand, only_corrected, highlight, depth if highlight is not None else 0)
    page = export_page(view, view_key, export_title, highlight)
    show_network(view, height=NETWORK_HEIGHT, highlight=highlight, page=page)
    downloads = st.columns(2)
    downloads[0].download_button(
        t("network.download_html"), page,
        "policykg-network.html", "text/html", key="net-html", icon=":material/download:")
    downloads[1].download_button(
        t("network.download_json"), json.dumps(graph_json(view), ensure_ascii=False, indent=1).encode("utf-8"),
        "policykg-network.json", "application/json", key="net-json", icon=":material/download:")

# --------------------------------------------------------------------------------------------- details

st.subheader(t("network.details"))
shown = gv.sorted_nodes(view)
detail_key = f"net-detail-{highlight}"  # a new centre shows its own details first
if st.session_state.get(f"{detail_key}:kept") not in shown:
    st.session_state[f"{detail_key}:kept"] = highlight if highlight in shown else None
chosen = st.selectbox(t("network.node"), shown, index=None, format_func=node_label,
                      placeholder=t("network.choose_node"), **kept(detail_key, highlight))
if chosen is not None:
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{t('network.properties')}**")
        rows = [[key, value] for key, value in gv.node_properties(graph, chosen)]
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
        if len(quotes) > QUOTE_LIMIT:
            st.caption(t("network.more_quotes", count=len(quotes) - QUOTE_LIMIT))
    else:
        st.caption(t("network.no_source"))

    if graph.nodes[chosen].get("label") == "Action":  # its units, corrected here
        action_editor(graph, chosen, key=f"net-edit-{chosen}")
