"""Agencies: the responsibility matrix (actions × units) and a profile of each unit.

Text from the documents (unit names, titles) is shown only in dataframes, st.text and
widget options, never in Markdown.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from explorer.i18n import t, t_or, v
from explorer.state import cities, get_graph, get_store
from explorer.widgets import (
    action_editor,
    as_dataframe,
    correct,
    corrections_history,
    download_buttons,
    given_why_and_who,
    guarded_callback,
    kind_words,
    show_said,
    why_and_who,
)
from graph.errors import StoreError
from queries import QueryParameterError, run_named
from views import matrix
from views.naming import node_name

ROW_LABELS = {"city": "agencies.col_city", "document": "agencies.col_document", "number": "agencies.col_number",
              "title": "agencies.col_title"}
ACTION_LABELS = {"mark": "agencies.col_mark", "role": "agencies.col_role", "basis": "agencies.col_basis",
                 "via_collective": "agencies.col_via", "as_written": "agencies.col_as_written", **ROW_LABELS}
PARTNER_LABELS = {"agency": "agencies.col_agency", "partner": "agencies.col_partner", "shared": "agencies.col_shared",
                  "agency_leads": "agencies.col_agency_leads", "partner_leads": "agencies.col_partner_leads"}


def file_name(text: str) -> str:
    """A download file name from a unit's name: letters, digits and CJK only."""
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "agency"


def relabel(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The frame with our column names in the session's language (for downloads)."""
    return frame.rename(columns={column: t(key) for column, key in labels.items() if column in frame.columns})


def text_columns(labels: dict[str, str]) -> dict[str, st.column_config.Column]:
    return {column: st.column_config.TextColumn(t(key)) for column, key in labels.items()}


def agency_label(graph, agency: str) -> str:
    data = graph.nodes[agency]
    name, city = data.get("name") or agency, data.get("city")
    return name if not city or name.startswith(city) else f"{name}（{city}）"


def show_matrix(graph, chosen_cities: list[str] | None) -> None:
    documents = {key: matrix.document_label(graph, key) for key, data in graph.nodes(data=True)
                 if data.get("label") == "Document" and (chosen_cities is None or data.get("city") in chosen_cities)}
    types = matrix.agency_types(graph)
    kinds = matrix.agency_kinds(graph)
    left, middle, right = st.columns(3)
    chosen_documents = left.multiselect(t("agencies.filter_documents"), sorted(documents, key=documents.get),
                                        format_func=documents.get, key="agencies-documents",
                                        placeholder=t("agencies.all"))
    chosen_types = middle.multiselect(t("agencies.filter_types"), types, key="agencies-types",
                                      format_func=lambda value: t_or(f"agencies.type.{value}", value),
                                      placeholder=t("agencies.all"))
    chosen_kinds = right.multiselect(t("agencies.filter_kinds"), list(kinds), key="agencies-kinds",
                                     format_func=lambda kind: f"{kind} · {kinds[kind]}" if kinds[kind] else kind,
                                     placeholder=t("agencies.all"))
    checks = st.columns(2)
    derived = checks[0].checkbox(t("agencies.show_derived"), value=True, key="agencies-derived",
                                 help=t("agencies.show_derived_help"))
    only_corrected = checks[1].checkbox(t("agencies.only_corrected"), value=False, key="agencies-corrected",
                                        help=t("agencies.only_corrected_help"))

    frame = matrix.responsibility_matrix(
        graph, documents=chosen_documents or list(documents), cities=chosen_cities,
        types=chosen_types or None, kinds=chosen_kinds or None, derived=derived, corrected_only=only_corrected)
    st.markdown(t("agencies.legend"))  # our words only
    st.caption(t("agencies.first_listed_note"))
    if frame.empty:
        st.info(t("agencies.empty_corrected") if only_corrected else t("agencies.empty"))
        return
    st.caption(t("agencies.matrix_size", actions=len(frame), agencies=len(frame.attrs["agencies"])))

    collective = set(frame.attrs["collective"])
    load = frame.attrs["load"]
    config = {"city": st.column_config.TextColumn(t("agencies.col_city"), pinned=True),
              "number": st.column_config.TextColumn(t("agencies.col_number"), pinned=True),
              "title": st.column_config.TextColumn(t("agencies.col_title"), pinned=True),
              "document": st.column_config.TextColumn(t("agencies.col_document"))}
    # The document column says nothing the city does not when each city has one plan.
    order = ["city", "number", "title"]
    if frame["document"].nunique() > frame["city"].nunique():
        order.append("document")
    for column in frame.attrs["agencies"]:
        if column in collective:
            config[column] = st.column_config.TextColumn(
                f"{column} {matrix.COLLECTIVE_MARK}", help=t("agencies.collective_help", load=load[column]))
        else:
            config[column] = st.column_config.TextColumn(column, help=t("agencies.load_help", load=load[column]))
    st.dataframe(frame, hide_index=True, column_config=config, column_order=order + frame.attrs["agencies"],
                 height=min(38 + 35 * len(frame), 720))

    st.caption(t("agencies.downloads"))
    download_buttons(matrix.mark_collective_columns(relabel(frame, ROW_LABELS)), "responsibility-matrix",
                     key="agencies-matrix", xlsx=True)

    # Correct a row: the same form as the Network page's action details.
    rows = frame.attrs["actions"]
    shown = {action: f"{graph.nodes[action].get('city') or ''} · {node_name(graph, action)}" for action in rows}
    if st.session_state.get("agencies-edit-action") not in shown:
        st.session_state["agencies-edit-action"] = None
    action = st.selectbox(t("agencies.edit_action"), rows, index=None, format_func=shown.get,
                          key="agencies-edit-action", placeholder=t("agencies.edit_choose"))
    if action is not None:
        action_editor(graph, action, key=f"agencies-edit-{action}")


def _merge(agency: str) -> None:
    key = "agencies-merge"
    kept = st.session_state.get(f"{key}-into")

    def show_kept(correction) -> None:  # the absorbed agency is gone: the profile shows the one kept
        st.session_state["agencies-profile"] = correction.agencies[1].id

    correct(key, "merge", {"agencies": [agency], "into": kept or "", **given_why_and_who(key)},
            clear={f"{key}-why": "", f"{key}-into": None}, then=show_kept)


def _rename(agency: str) -> None:
    key = "agencies-rename"
    correct(key, "rename", {"agencies": [agency], "name": st.session_state.get(f"{key}-name") or "",
                            **given_why_and_who(key)}, clear={f"{key}-why": ""})


def agency_editor(graph, agency: str, profile: dict) -> None:
    """Merge this agency into another of its government (its name becomes an alias), or rename it; the
    corrections made of it, with undo."""
    said = any(st.session_state.get(f"{key}:said") for key in ("agencies-merge", "agencies-rename"))
    with st.expander(t("agencies.edit_title"), expanded=said):  # the unit is the one chosen above
        merge, rename = st.columns(2)
        with merge:
            st.markdown(f"**{kind_words('merge')}**")
            show_said("agencies-merge")
            others = [a for a in matrix.agencies(graph) if a != agency
                      and graph.nodes[a].get("city") == profile["city"]]
            with st.form("agencies-merge-form"):
                st.selectbox(t("agencies.merge_into"), others, index=None, key="agencies-merge-into",
                             format_func=lambda key: agency_label(graph, key), placeholder=t("agencies.choose_agency"))
                why_and_who("agencies-merge")
                st.form_submit_button(t("agencies.merge_submit"), on_click=guarded_callback(_merge), args=(agency,))
        with rename:
            st.markdown(f"**{kind_words('rename')}**")
            show_said("agencies-rename")
            with st.form("agencies-rename-form"):
                st.text_input(t("agencies.rename_to"), key="agencies-rename-name")
                why_and_who("agencies-rename")
                st.form_submit_button(t("agencies.rename_submit"), on_click=guarded_callback(_rename),
                                      args=(agency,))
        corrections_history(graph, agency, key="agencies-history")


def show_profile(graph, chosen_cities: list[str] | None) -> None:
    options = matrix.agencies(graph, cities=chosen_cities)
    if not options:
        st.info(t("agencies.no_agencies"))
        return
    agency = st.selectbox(t("agencies.choose_agency"), options, key="agencies-profile",
                          format_func=lambda key: agency_label(graph, key))
    if agency is None or agency not in graph:
        return
    profile = matrix.agency_profile(graph, agency)

    st.caption(t("agencies.facts"))
    facts = [
        (t("agencies.f_name"), profile["name"]),
        (t("agencies.f_kind"), profile["kind"] or ""),
        (t("agencies.f_kind_en"), profile["kind_en"] or ""),
        (t("agencies.f_type"), t_or(f"agencies.type.{profile['type']}", profile["type"] or "")),
        (t("agencies.f_city"), profile["city"] or ""),
        (t("agencies.f_aliases"), "、".join(profile["aliases"])),
    ]
    if profile["collective"]:
        facts.append((t("agencies.f_collective"), t("agencies.yes")))
    if profile["members"]:
        facts.append((t("agencies.f_members"), "、".join(profile["members"])))
    if profile["member_of"]:
        facts.append((t("agencies.f_member_of"), "、".join(profile["member_of"])))
    st.dataframe(pd.DataFrame(facts, columns=[t("agencies.field"), t("agencies.value")]), hide_index=True)

    counts = st.columns(5)
    counts[0].metric(t("agencies.m_leads"), profile["leads"])
    counts[1].metric(t("agencies.m_explicit"), profile["explicit_leads"])
    counts[2].metric(t("agencies.m_first_listed"), profile["first_listed_leads"])
    counts[3].metric(t("agencies.m_responsible"), profile["responsible"])
    counts[4].metric(t("agencies.m_supports"), profile["supports"])

    every = matrix.agency_actions(graph, agency)
    shown = every.assign(
        role=every["role"].map(lambda role: t_or(f"agencies.role.{role}", role)),
        basis=every["basis"].map(lambda basis: v("basis", basis)))
    for role, heading, columns in (
            ("LEADS", "agencies.leads", ["mark", "basis", "via_collective", "city", "number", "title", "document"]),
            ("RESPONSIBLE_FOR", "agencies.shares", ["mark", "via_collective", "city", "number", "title", "document"]),
            ("SUPPORTS", "agencies.supports", ["mark", "via_collective", "city", "number", "title", "document"])):
        st.subheader(t(heading))
        part = shown[every["role"] == matrix.ROLE_NAMES[role]][columns].reset_index(drop=True)
        if part.empty:
            st.caption(t("agencies.none"))
        else:
            st.dataframe(part, hide_index=True, column_config=text_columns(
                {column: ACTION_LABELS[column] for column in columns}))
    if not shown.empty:
        st.caption(t("agencies.downloads"))
        download_buttons(relabel(shown, ACTION_LABELS), f"agency-{file_name(profile['name'])}",
                         key="agencies-profile-actions", xlsx=True)

    agency_editor(graph, agency, profile)

    st.subheader(t("agencies.partners"))
    st.caption(t("agencies.partners_note"))
    try:
        given = {"agency": profile["name"]} | ({"city": profile["city"]} if profile["city"] else {})
        result = run_named(get_store(), "agency-partners", given)
    except (QueryParameterError, StoreError) as error:
        st.warning(t("agencies.partners_error"))
        st.text(str(error))
        return
    partners = as_dataframe(result.columns, result.rows)
    if partners.empty:
        st.caption(t("agencies.none"))
        return
    partners = partners.drop(columns=["agency"], errors="ignore")
    st.dataframe(partners, hide_index=True, column_config=text_columns(
        {column: key for column, key in PARTNER_LABELS.items() if column in partners.columns}) | {
        column: st.column_config.NumberColumn(t(PARTNER_LABELS[column]))
        for column in ("shared", "agency_leads", "partner_leads") if column in partners.columns})
    st.caption(t("agencies.downloads"))
    download_buttons(relabel(partners, PARTNER_LABELS), f"partners-{file_name(profile['name'])}",
                     key="agencies-partners")


st.title(t("page.agencies"))
st.caption(t("agencies.intro"))
graph = get_graph()
chosen = st.multiselect(t("agencies.filter_cities"), cities(graph), key="agencies-cities",
                        placeholder=t("agencies.all")) or None
matrix_tab, profile_tab = st.tabs([t("agencies.tab_matrix"), t("agencies.tab_profile")])
with matrix_tab:
    show_matrix(graph, chosen)
with profile_tab:
    show_profile(graph, chosen)
