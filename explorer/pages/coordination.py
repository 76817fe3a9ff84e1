"""Coordination diagram: which agencies share actions, who leads, which groups work together.

The network is queries.analytics.coordination_network; the interactive view is views.draw (via
views.coordination.coordination_view), the PNG/SVG for reports views.diagram.draw_coordination.
"""

from __future__ import annotations

import tempfile
import threading
from collections import Counter
from pathlib import Path

import networkx as nx
import streamlit as st

from explorer.i18n import t
from explorer.state import cities, data_version, documents, get_graph, store_kind
from explorer.widgets import as_dataframe, download_buttons, highlighted_html, kept, show_network
from queries.analytics import coordination_network, rank_agencies, ranking_rows
from views.coordination import coordination_view, mark_corrected
from views.diagram import PALETTE, NoCJKFont, draw_coordination
from views.draw import render_network_html
from views.network import filter_graph

MEMBERS_SHOWN = 8


@st.cache_resource(show_spinner=False)
def _plot_lock() -> threading.Lock:
    """matplotlib's pyplot is not thread-safe; sessions draw one at a time."""
    return threading.Lock()


@st.cache_data(show_spinner=False, max_entries=32)
def diagram_bytes(_network: nx.Graph, key: tuple, fmt: str, title: str) -> bytes:
    """The PNG or SVG of the network; ``key`` names the data and filters the network was built from."""
    with _plot_lock(), tempfile.TemporaryDirectory() as folder:
        return draw_coordination(_network, Path(folder) / f"coordination.{fmt}", title=title).read_bytes()


graph = get_graph()

st.title(t("coordination.title"))
st.caption(t("coordination.intro"))

with st.sidebar:
    st.subheader(t("coordination.filters"))
    city_options = ["", *cities(graph)]  # "": every city (None would read as "nothing chosen")
    if st.session_state.get("coord-city:kept") not in city_options:
        st.session_state["coord-city:kept"] = ""
    city_names = {c: c or t("coordination.all_cities") for c in city_options}  # fixed for this run
    city = st.selectbox(t("coordination.city"), city_options, format_func=city_names.get,
                        **kept("coord-city", "")) or None
    titles = documents(graph)
    doc_options = [d for d in titles if city is None or graph.nodes[d].get("city") == city]
    chosen_docs = st.multiselect(t("coordination.documents"), doc_options, format_func=lambda d: titles.get(d, d),
                                 key="coord-docs", placeholder=t("coordination.all_documents"))
    scoped = filter_graph(graph, documents=chosen_docs, labels=None) if chosen_docs else graph
    heaviest = max((w for _, _, w in coordination_network(scoped, city).edges(data="weight")), default=1)
    if st.session_state.get("coord-min", 1) > max(heaviest, 2):
        st.session_state["coord-min"] = 1
    min_weight = st.slider(t("coordination.min_weight"), 1, max(heaviest, 2), 1, key="coord-min",
                           help=t("coordination.min_weight_help"))
    hide_unlinked = st.checkbox(t("coordination.hide_unlinked"), value=True, key="coord-hide")
    corrected_only = st.checkbox(t("coordination.corrected_only"), value=False, key="coord-corrected-only")

network = mark_corrected(coordination_network(scoped, city, min_weight), scoped)  # links a person's fix built
ranks = rank_agencies(network)
communities = {rank.agency: rank.community for rank in ranks}
drawn = network.copy()
if corrected_only:  # only links built from a role a person set, and the agencies they join
    drawn.remove_edges_from([(a, b) for a, b, correction in network.edges(data="correction") if not correction])
    drawn.remove_nodes_from([n for n in list(drawn) if drawn.degree(n) == 0])
if hide_unlinked:
    drawn.remove_nodes_from([n for n in network if network.degree(n) == 0])

counts = st.columns(3)
counts[0].metric(t("coordination.agencies"), network.number_of_nodes())
counts[1].metric(t("coordination.links"), network.number_of_edges())
sizes = Counter(communities.values())
counts[2].metric(t("coordination.communities"), sum(1 for size in sizes.values() if size > 1))

if drawn.number_of_nodes() == 0:
    st.info(t("coordination.empty"))
else:
    st.caption(t("coordination.legend"))
    corrected = sum(1 for *_, correction in drawn.edges(data="correction") if correction)
    if corrected:
        st.caption(t("coordination.corrected_links", count=corrected))
    view = coordination_view(drawn, communities, PALETTE)
    show_network(view, height=640)

    # Who is in which community: colour swatch and the members that lead most (names escaped).
    members: dict[int, list] = {}
    for rank in sorted(ranks, key=lambda r: (-r.leads, -r.shared_actions, r.agency)):
        if rank.agency in drawn:
            members.setdefault(rank.community, []).append(rank)
    rows = []
    for number in sorted(members):
        names = "、".join(str(drawn.nodes[r.agency].get("name", r.agency)) for r in members[number][:MEMBERS_SHOWN])
        if len(members[number]) > MEMBERS_SHOWN:
            names += f" … (+{len(members[number]) - MEMBERS_SHOWN})"
        swatch = (f'<span style="display:inline-block;width:0.9em;height:0.9em;border-radius:50%;'
                  f'background:{PALETTE[number % len(PALETTE)]};margin-right:0.4em;vertical-align:-0.1em"></span>')
        label = highlighted_html(t("coordination.community", number=number), [])
        rows.append(f'<li style="margin:0.15rem 0">{swatch}<b>{label}</b>：{highlighted_html(names, [])}</li>')
    with st.expander(t("coordination.community_list"), expanded=False):
        st.html(f'<ul style="list-style:none;padding:0;margin:0;font-size:0.92rem">{"".join(rows)}</ul>')

    st.markdown(f"**{t('coordination.exports')}**")
    scope_name = city or t("coordination.all_cities")
    if chosen_docs:
        scope_name = "、".join(titles.get(d, d) for d in chosen_docs)
    title = t("coordination.diagram_title", scope=scope_name)
    key = (store_kind(), data_version(), city, tuple(chosen_docs), min_weight, hide_unlinked)
    buttons = st.columns(3)
    try:
        png = diagram_bytes(drawn, key, "png", title)
        svg = diagram_bytes(drawn, key, "svg", title)
    except NoCJKFont as error:
        st.warning(t("coordination.no_font", error=str(error)))
    else:
        buttons[0].download_button(t("coordination.download_png"), png, "policykg-coordination.png", "image/png",
                                   key="coord-png", icon=":material/image:")
        buttons[1].download_button(t("coordination.download_svg"), svg, "policykg-coordination.svg",
                                   "image/svg+xml", key="coord-svg", icon=":material/draw:")
    buttons[2].download_button(t("coordination.download_html"), render_network_html(view, title=title),
                               "policykg-coordination.html", "text/html", key="coord-html", icon=":material/hub:")

st.subheader(t("coordination.ranking"))
st.caption(t("coordination.ranking_help"))
columns, rows = ranking_rows(ranks)
names = {r.agency: str(network.nodes[r.agency].get("name", r.agency)) for r in ranks}
rows = [[names.get(row[0], row[0]), *row[1:]] for row in rows]
frame = as_dataframe([t(f"coordination.col.{column}") for column in columns], rows)
st.dataframe(frame, hide_index=True, width="stretch")
download_buttons(frame, "policykg-coordination-ranking", key="coord-ranking")
