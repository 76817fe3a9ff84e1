"""Coordination diagram: which agencies share actions, who leads, which groups work together.

The network and its ranking are queries.analytics' coordination analysis (explorer.state.coordination:
kept in the store per change stamp and filters, so the graph is read only when no one computed it yet).
The page shows the diagram for meetings (views.diagram: the whole network, one agency's partners in rings,
or agencies grouped by type or kind; a 16:9 slide or A4) as the PNG it offers for download, beside its SVG
and a PowerPoint slide; the interactive view (views.draw via views.coordination.coordination_view) is below
it. Every widget that says what is shown is in the page's link (explorer.links.linked).
"""

from __future__ import annotations

import threading
from collections import Counter

import networkx as nx
import streamlit as st

from explorer.i18n import language, t
from explorer.links import linked, set_linked
from explorer.state import cities, coordination, data_version, document_cities, documents, store_kind
from explorer.widgets import as_dataframe, download_buttons, highlighted_html, lazy_expander, show_network
from queries.analytics import ranking_rows
from views.coordination import GROUP_BY, MODES, coordination_view, diagram_groups, shared_actions
from views.diagram import SIZES, DiagramSpec, Filters, NoCJKFont, build_diagram, colour_of, figure_bytes, slide_bytes
from views.draw import render_network_html

MEMBERS_SHOWN = 8
INTERACTIVE_KEY = "coord-interactive"  # the interactive view's section: open or closed
# The language this run shows: widgets' format_func run again on the next run, and must show this run's words.
LANG = language()
MODE_NAMES = {mode: t(f"coordination.diagram.mode.{mode}") for mode in MODES}
GROUP_NAMES = {group: t(f"coordination.diagram.group_by.{group}") for group in GROUP_BY}
SIZE_NAMES = {size: t(f"coordination.diagram.size.{size}") for size in SIZES}


@st.cache_resource(show_spinner=False)
def _plot_lock() -> threading.Lock:
    """One diagram drawn at a time: drawing is heavy and the machine's cores are few."""
    return threading.Lock()


@st.cache_data(show_spinner=False, max_entries=32)
def diagram_files(_network: nx.Graph, _communities: dict, key: tuple, spec: DiagramSpec) -> dict[str, bytes | float]:
    """The PNG and SVG of the diagram the page shows, and the label size it found (``label_size``, where the
    slide starts); ``key`` names the data and the filters ``_network`` was built from, ``spec`` the diagram."""
    with _plot_lock():
        diagram = build_diagram(_network, spec, _communities)
        try:
            return {"png": figure_bytes(diagram, "png"), "svg": figure_bytes(diagram, "svg"),
                    "label_size": diagram.label_size}
        finally:
            diagram.figure.clear()


def slide_file(network: nx.Graph, communities: dict, spec: DiagramSpec, largest: float) -> bytes:
    """The PowerPoint slide of the diagram, made when its button is clicked: it draws the diagram again at
    the slide's size, a second or more for a city's network, which every run of the page paid before."""
    with _plot_lock():
        return slide_bytes(network, spec, communities, largest=largest)


st.title(t("coordination.title"))
st.caption(t("coordination.intro"))

with st.sidebar:
    st.subheader(t("coordination.filters"))
    city_options = ["", *cities()]  # "": every city (None would read as "nothing chosen")
    city_names = {c: c or t("coordination.all_cities") for c in city_options}  # fixed for this run
    city = st.selectbox(t("coordination.city"), city_options, format_func=city_names.get,
                        **linked("coord-city", "", options=city_options), placeholder=t("app.choose")) or None
    titles = documents()
    city_of = document_cities()
    doc_options = [d for d in titles if city is None or city_of.get(d) == city]
    chosen_docs = st.multiselect(t("coordination.documents"), doc_options, format_func=lambda d: titles.get(d, d),
                                 placeholder=t("coordination.all_documents"),
                                 **linked("coord-docs", [], options=doc_options))

# The analysis, not the graph: on a large corpus a city's analysis kept in the store (by another session or
# `policykg analyze`) answers without its plans being read.
everything = coordination(city, chosen_docs)

with st.sidebar:
    heaviest = max(everything.heaviest, 1)
    weight_kwargs = linked("coord-min", 1)
    if not 1 <= st.session_state["coord-min"] <= max(heaviest, 2):  # a link's or an earlier filter's
        st.session_state["coord-min"] = 1
        set_linked("coord-min", 1)
    min_weight = st.slider(t("coordination.min_weight"), 1, max(heaviest, 2), help=t("coordination.min_weight_help"),
                           **weight_kwargs)
    hide_unlinked = st.checkbox(t("coordination.hide_unlinked"), **linked("coord-hide", True))
    corrected_only = st.checkbox(t("coordination.corrected_only"), **linked("coord-corrected-only", False))

analysis = everything if min_weight == 1 else coordination(city, chosen_docs, min_weight)
network, ranks = analysis.network, analysis.ranks  # links a person's fix built carry ``correction``
communities = {rank.agency: rank.community for rank in ranks}
drawn = network.copy()
if corrected_only:  # only links built from a role a person set, and the agencies they join
    drawn.remove_edges_from([(a, b) for a, b, correction in network.edges(data="correction") if not correction])
    drawn.remove_nodes_from([n for n in list(drawn) if drawn.degree(n) == 0])
if hide_unlinked:
    drawn.remove_nodes_from([n for n in network if network.degree(n) == 0])

with st.sidebar:
    st.subheader(t("coordination.view"))
    mode = st.radio(t("coordination.mode"), MODES, format_func=MODE_NAMES.get,
                    **linked("coord-mode", "whole", options=MODES))
    centre = group_by = None
    if mode == "centred":
        centre_options = ["", *sorted(drawn, key=lambda n: (-shared_actions(drawn, n), str(n)))]
        centre_names = {n: str(drawn.nodes[n].get("name", n)) if n else t("coordination.centre_default")
                        for n in centre_options}
        centre = st.selectbox(t("coordination.centre"), centre_options, format_func=centre_names.get,
                              **linked("coord-centre", "", options=centre_options), placeholder=t("app.choose")) or None
    elif mode == "grouped":
        group_by = st.radio(t("coordination.group_by"), GROUP_BY, format_func=GROUP_NAMES.get, horizontal=True,
                            **linked("coord-group", "type", options=GROUP_BY))
    size = st.radio(t("coordination.size"), tuple(SIZES), format_func=SIZE_NAMES.get, horizontal=True,
                    **linked("coord-size", "slide", options=tuple(SIZES)))

counts = st.columns(3)
counts[0].metric(t("coordination.agencies"), network.number_of_nodes())
counts[1].metric(t("coordination.links"), network.number_of_edges())
sizes = Counter(communities.values())
counts[2].metric(t("coordination.communities"), sum(1 for size in sizes.values() if size > 1))

if drawn.number_of_nodes() == 0:
    st.info(t("coordination.empty"))
else:
    filters = Filters(city=city, documents=tuple(titles.get(d, d) for d in chosen_docs),
                      document_count=len(doc_options), min_weight=min_weight, hide_unlinked=hide_unlinked,
                      corrected_only=corrected_only)
    spec = DiagramSpec(mode=mode, centre=centre, group_by=group_by or "type", size=size, language=LANG,
                       filters=filters)
    key = (store_kind(), data_version(), city, tuple(chosen_docs), min_weight, hide_unlinked, corrected_only)
    try:
        files = diagram_files(drawn, communities, key, spec)
    except NoCJKFont as error:
        st.warning(t("coordination.no_font", error=str(error)))
        files = None
    if files is not None:  # the very file the PNG button gives: at its own width Streamlit keeps its bytes
        pixels = int.from_bytes(files["png"][16:20], "big")  # (narrower, it would scale and encode it again)
        st.image(files["png"], width=pixels, output_format="PNG")
        st.caption(t("coordination.image_help"))
    corrected = sum(1 for *_, correction in drawn.edges(data="correction") if correction)
    if corrected:
        st.caption(t("coordination.corrected_links", count=corrected))

    st.markdown(f"**{t('coordination.exports')}**")
    palette = tuple(colour_of(i) for i in range(max(communities.values(), default=0) + 1))
    view = coordination_view(drawn, communities, palette)  # the diagram's colours
    scope_name = city or t("coordination.all_cities")
    if chosen_docs:
        scope_name = "、".join(titles.get(d, d) for d in chosen_docs)
    title = t("coordination.diagram_title", scope=scope_name)
    buttons = st.columns(4)
    if files is not None:
        buttons[0].download_button(t("coordination.download_png"), files["png"], "policykg-coordination.png",
                                   "image/png", key="coord-png", icon=":material/image:")
        buttons[1].download_button(t("coordination.download_svg"), files["svg"], "policykg-coordination.svg",
                                   "image/svg+xml", key="coord-svg", icon=":material/draw:")
        largest = files["label_size"]
        buttons[2].download_button(
            t("coordination.download_pptx"), lambda: slide_file(drawn, communities, spec, largest),
            "policykg-coordination.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", key="coord-pptx",
            icon=":material/slideshow:")
    lang = LANG  # the click that makes the page runs outside this run: its words are chosen now
    buttons[3].download_button(t("coordination.download_html"),
                               lambda: render_network_html(view, title=title, lang=lang),
                               "policykg-coordination.html", "text/html", key="coord-html", icon=":material/hub:")

    # Who is in which community: colour swatch, the community's name and the members that share most.
    rows = []
    for group in diagram_groups(drawn, "whole", communities=communities, language=LANG):
        names = "、".join(str(drawn.nodes[n].get("name", n)) for n in group.members[:MEMBERS_SHOWN])
        if len(group.members) > MEMBERS_SHOWN:
            names += f" … (+{len(group.members) - MEMBERS_SHOWN})"
        swatch = (f'<span style="display:inline-block;width:0.9em;height:0.9em;border-radius:50%;'
                  f'background:{colour_of(int(group.key))};margin-right:0.4em;vertical-align:-0.1em">'
                  f'</span>')
        label = highlighted_html(group.name, [])
        rows.append(f'<li style="margin:0.15rem 0">{swatch}<b>{label}</b>：{highlighted_html(names, [])}</li>')
    with st.expander(t("coordination.community_list"), expanded=False):
        st.html(f'<ul style="list-style:none;padding:0;margin:0;font-size:0.92rem">{"".join(rows)}</ul>')
    # Drawn only while open: the page holds vis-network whole (~0.8 MB), which every run sent to the
    # browser, and the browser parsed, even with the section closed.
    interactive = lazy_expander(t("coordination.interactive"), INTERACTIVE_KEY)
    if interactive is not None:
        with interactive:
            st.caption(t("coordination.legend"))
            show_network(view, height=640)

st.subheader(t("coordination.ranking"))
st.caption(t("coordination.ranking_help"))
columns, rows = ranking_rows(ranks)
names = {r.agency: str(network.nodes[r.agency].get("name", r.agency)) for r in ranks}
rows = [[names.get(row[0], row[0]), *row[1:]] for row in rows]
frame = as_dataframe([t(f"coordination.col.{column}") for column in columns], rows)
st.dataframe(frame, hide_index=True, width="stretch")
download_buttons(frame, "policykg-coordination-ranking", key="coord-ranking")
