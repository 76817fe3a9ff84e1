"""Agencies: the responsibility matrix (units × actions) and a profile of each unit.

Text from the documents (unit names, titles) is shown only in dataframes, st.text and
widget options, never in Markdown. Every choice that says what the page shows (cities, documents,
types, kinds, expanded collectives, corrected roles only, the tab, the unit profiled, the action
edited) is part of the page's link (explorer.links.linked).
"""

from __future__ import annotations

import html
import re
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from explorer.i18n import language, strings, t, t_or, v
from explorer.links import carry, linked, set_linked
from explorer.state import cities, get_store, graph_or_stop, plan_scope
from explorer.widgets import (
    XLSX,
    action_editor,
    as_dataframe,
    correct,
    corrections_history,
    csv_bytes,
    download_buttons,
    given_why_and_who,
    guarded_callback,
    json_bytes,
    kind_words,
    lazy_expander,
    page_control,
    page_offset,
    show_said,
    why_and_who,
)
from graph.errors import StoreError
from queries import QueryParameterError, run_named
from views import matrix, workbook
from views.naming import node_name
from views.workbook import WorkbookWords

ACTION_INFO_LABELS = {"city": "agencies.col_city", "document": "agencies.col_document",
                      "number": "agencies.col_number", "title": "agencies.col_title"}
ACTION_LABELS = {"mark": "agencies.col_mark", "role": "agencies.col_role", "basis": "agencies.col_basis",
                 "via_collective": "agencies.col_via", "as_written": "agencies.col_as_written", **ACTION_INFO_LABELS}
PARTNER_LABELS = {"agency": "agencies.col_agency", "partner": "agencies.col_partner", "shared": "agencies.col_shared",
                  "agency_leads": "agencies.col_agency_leads", "partner_leads": "agencies.col_partner_leads"}
MATRIX_LABELS = {"agency": "agencies.col_agency", "type": "agencies.col_type", "member_of": "agencies.col_member_of",
                 "led": "agencies.col_led", "shared": "agencies.col_took_part", "total": "agencies.col_total"}
MATRIX_HELP = {"member_of": "agencies.member_of_help", "led": "agencies.led_help", "shared": "agencies.shared_help",
               "total": "agencies.total_help"}
VIEWS = ("matrix", "profile")
# The linked controls of each tab with their defaults: only the open tab is made (each tab's tables are
# data grids the browser lays out even when hidden), and the closed tab's choices stay in the link.
TAB_LINKS = {"matrix": {"agencies-documents": [], "agencies-types": [], "agencies-kinds": [],
                        "agencies-derived": True, "agencies-corrected": False, "agencies-matrix-page": 1,
                        "agencies-edit-action": None},
             "profile": {"agencies-profile": None}}
EDITOR_KEY = "agencies-editor"  # the profiled unit's corrections section: open or closed

# Words are fixed when the page runs: Streamlit calls a widget's format_func again at the start of the
# next run (to read the browser's choice), and must get the words it showed, not the next language's.
LANG = language()
TYPE_WORDS = {key.removeprefix("agencies.type."): t(key) for key in strings() if key.startswith("agencies.type.")}
VIEW_WORDS = {view: t(f"agencies.tab_{view}") for view in VIEWS}
LIST_SEPARATOR = ", " if LANG == "en" else "、"  # between names the documents give


def type_word(value: str | None, words: dict[str, str] = TYPE_WORDS) -> str:
    return words.get(value or "", value or "")


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
    if not city or name.startswith(city):
        return name
    return f"{name} ({city})" if LANG == "en" else f"{name}（{city}）"


def colour_key() -> None:
    """The colours of the matrix's cells and what each role means, above the matrix (our words only)."""
    chips = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:0 1.1rem 0.2rem 0">'
        f'<span style="background:{matrix.MATRIX_STYLE[fill]};color:{matrix.MATRIX_STYLE["text"]};'
        f'border:1px solid #cbd5e1;border-radius:3px;padding:0 0.45rem;margin-right:0.35rem;'
        f'font-family:monospace">{html.escape(matrix.ROLE_FILL_MARKS[fill])}</span>'
        f'{html.escape(t(f"agencies.fill.{fill}"))}</span>' for fill in matrix.ROLE_FILLS)
    st.html(f'<div class="pk-matrix-key" style="font-size:0.9rem;line-height:1.8">'
            f'<strong style="margin-right:0.8rem">{html.escape(t("agencies.key_title"))}</strong>{chips}</div>')


def workbook_words() -> WorkbookWords:
    return WorkbookWords(
        matrix_sheet=t("agencies.wb_matrix_sheet"), key_sheet=t("agencies.wb_key_sheet"),
        title=t("agencies.wb_title"), about=t("agencies.wb_about"), government=t("agencies.wb_government"),
        plans=t("agencies.wb_plans"), made=t("agencies.wb_made"), order=t("agencies.wb_order"),
        order_text=t("agencies.matrix_order"), key_heading=t("agencies.wb_key"), mark=t("agencies.wb_mark"),
        role=t("agencies.wb_role"), colour=t("agencies.wb_colour"), meaning=t("agencies.wb_meaning"),
        units_involved=t("agencies.units_involved"), actions_heading=t("agencies.wb_actions"),
        column_label=t("agencies.col_column"), list_separator=LIST_SEPARATOR,
        columns={column: t(key) for column, key in MATRIX_LABELS.items()},
        action_columns={column: t(key) for column, key in ACTION_INFO_LABELS.items()},
        types=dict(TYPE_WORDS),
        roles={fill: (t(f"agencies.fill.{fill}"), t(f"agencies.fill_meaning.{fill}")) for fill in matrix.ROLE_FILLS},
        marks=[("↳", t("agencies.mark_derived")), ("✎", t("agencies.mark_corrected")),
               ("L/R", t("agencies.mark_several"))])


def matrix_downloads(graph, frame: pd.DataFrame, documents: list[str]) -> None:
    """CSV and JSON of the matrix (our column names in the session's language), and the styled workbook,
    each made when its button is clicked (the words are looked up now: the click runs outside the page)."""
    governments = sorted({info["city"] for info in frame.attrs["action_info"].values() if info["city"]})
    plans = [matrix.document_label(graph, doc) for doc in documents
             if any(graph.nodes[a].get("doc_id") == doc for a in frame.attrs["actions"])]
    today = date.today()
    name = partial(workbook.file_name, t("agencies.file_stem"), governments, today, many=t("agencies.file_many"))
    shown = relabel(frame.assign(type=frame["type"].map(type_word)), MATRIX_LABELS)
    words = workbook_words()
    st.caption(t("agencies.downloads"))
    buttons = st.columns(3)
    buttons[0].download_button("CSV", lambda: csv_bytes(shown), name("csv"), "text/csv", key="agencies-matrix-csv")
    buttons[1].download_button("JSON", lambda: json_bytes(shown), name("json"), "application/json",
                               key="agencies-matrix-json")
    buttons[2].download_button(
        "Excel", lambda: workbook.matrix_workbook(frame, words, governments=governments, plans=plans, made=today),
        name("xlsx"), XLSX, key="agencies-matrix-xlsx")


def matrix_page(actions: list[str]) -> list[str]:
    """The action columns of the page of the matrix the link or the page control chose (views.matrix.PAGE_ACTIONS
    at a time); more than one page is said (which actions, of how many) with the control, never cut silently."""
    size = matrix.PAGE_ACTIONS
    if len(actions) <= size:
        return actions
    pages = -(-len(actions) // size)
    offset = page_offset("agencies-matrix-page", size)
    if offset > (pages - 1) * size:  # a link's page, or one of a wider choice, past the last: the last
        set_linked("agencies-matrix-page", pages)
        offset = (pages - 1) * size
    shown = actions[offset:offset + size]
    st.warning(t("agencies.matrix_page", first=offset + 1, last=offset + len(shown), total=len(actions)))
    page_control("agencies-matrix-page", pages, t("agencies.matrix_page_help", pages=pages, size=size))
    return shown


def show_matrix(graph, chosen_cities: list[str] | None) -> None:
    documents = {key: matrix.document_label(graph, key) for key, data in graph.nodes(data=True)
                 if data.get("label") == "Document" and (chosen_cities is None or data.get("city") in chosen_cities)}
    document_options = sorted(documents, key=documents.get)
    types = matrix.agency_types(graph)
    kinds = matrix.agency_kinds(graph)
    kind_names = {kind: f"{kind} · {name}" if LANG == "en" and name else kind for kind, name in kinds.items()}
    left, middle, right = st.columns(3)
    chosen_documents = left.multiselect(
        t("agencies.filter_documents"), document_options, format_func=documents.__getitem__,
        placeholder=t("agencies.all"), **linked("agencies-documents", [], options=document_options))
    chosen_types = middle.multiselect(t("agencies.filter_types"), types, format_func=type_word,
                                      placeholder=t("agencies.all"), **linked("agencies-types", [], options=types))
    chosen_kinds = right.multiselect(t("agencies.filter_kinds"), list(kinds), format_func=kind_names.__getitem__,
                                     placeholder=t("agencies.all"),
                                     **linked("agencies-kinds", [], options=list(kinds)))
    checks = st.columns(2)
    derived = checks[0].checkbox(t("agencies.show_derived"), help=t("agencies.show_derived_help"),
                                 **linked("agencies-derived", True))
    only_corrected = checks[1].checkbox(t("agencies.only_corrected"), help=t("agencies.only_corrected_help"),
                                        **linked("agencies-corrected", False))

    chosen_documents = chosen_documents or document_options
    frame = matrix.responsibility_matrix(
        graph, documents=chosen_documents, cities=chosen_cities,
        types=chosen_types or None, kinds=chosen_kinds or None, derived=derived, corrected_only=only_corrected)
    colour_key()
    st.markdown(t("agencies.legend"))  # our words only
    st.caption(t("agencies.first_listed_note"))
    if frame.empty:
        st.info(t("agencies.empty_corrected") if only_corrected else t("agencies.empty"))
        return
    st.caption(t("agencies.matrix_size", actions=len(frame.attrs["actions"]), agencies=len(frame)))
    st.caption(t("agencies.matrix_order"))

    actions = matrix_page(frame.attrs["action_columns"])
    info, involved = frame.attrs["action_info"], frame.attrs["involved"]
    config: dict[str, st.column_config.Column] = {
        "agency": st.column_config.TextColumn(t("agencies.col_agency"), pinned=True),
        "type": st.column_config.TextColumn(t("agencies.col_type")),
        "member_of": st.column_config.TextColumn(t("agencies.col_member_of"), help=t(MATRIX_HELP["member_of"])),
        **{column: st.column_config.NumberColumn(t(MATRIX_LABELS[column]), help=t(MATRIX_HELP[column]), format="%d")
           for column in ("led", "shared", "total")},
        **{label: st.column_config.TextColumn(label, width="small", help=t("agencies.action_help",
               title=info[label]["title"], units=involved[label])) for label in actions}}
    page_columns = [*matrix.MATRIX_COLUMNS, *actions]
    shown = frame[page_columns].assign(type=frame["type"].map(type_word))
    shown.attrs = {}  # else pandas deep-copies the matrix's details into every piece the styling makes
    totals = {"agency": t("agencies.units_involved"), **{label: str(involved[label]) for label in actions}}
    shown = pd.concat([shown, pd.DataFrame([totals])], ignore_index=True)
    shown[["led", "shared", "total"]] = shown[["led", "shared", "total"]].astype("Int64")  # the totals row: none
    totals_fill = f"background-color: {matrix.MATRIX_STYLE['totals']}"
    styles = matrix.cell_styles(frame)[page_columns].reindex(shown.index).fillna(f"{totals_fill}; font-weight: 600")
    styles[["led", "shared", "total"]] = totals_fill
    styler = shown.style.apply(lambda _: styles, axis=None)
    st.dataframe(styler, hide_index=True, column_config=config,
                 column_order=[*matrix.MATRIX_COLUMNS, *actions], height=min(38 + 35 * len(shown), 760))

    matrix_downloads(graph, frame, chosen_documents)

    # Correct an action of the matrix: the same form as the Network page's action details.
    columns = frame.attrs["actions"]
    names = {action: f"{graph.nodes[action].get('city') or ''} · {node_name(graph, action)}" for action in columns}
    action = st.selectbox(t("agencies.edit_action"), columns, format_func=names.__getitem__,
                          placeholder=t("agencies.edit_choose"),
                          **linked("agencies-edit-action", None, options=columns))
    if action is not None:
        action_editor(graph, action, key=f"agencies-edit-{action}")


def _merge(agency: str) -> None:
    key = "agencies-merge"
    kept = st.session_state.get(f"{key}-into")

    def show_kept(correction) -> None:  # the absorbed agency is gone: the profile shows the one kept
        set_linked("agencies-profile", correction.agencies[1].id)

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
    section = lazy_expander(t("agencies.edit_title"), EDITOR_KEY, open_now=said)  # the unit chosen above
    if section is None:
        return
    with section:
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
    labels = {key: agency_label(graph, key) for key in options}
    agency = st.selectbox(t("agencies.choose_agency"), options, format_func=labels.__getitem__,
                          placeholder=t("agencies.choose_agency"),
                          **linked("agencies-profile", options[0], options=options))
    if agency is None or agency not in graph:
        return
    profile = matrix.agency_profile(graph, agency)

    st.caption(t("agencies.facts"))
    facts = [
        (t("agencies.f_name"), profile["name"]),
        (t("agencies.f_kind"), profile["kind"] or ""),
        (t("agencies.f_kind_en"), profile["kind_en"] or ""),
        (t("agencies.f_type"), type_word(profile["type"])),
        (t("agencies.f_city"), profile["city"] or ""),
        (t("agencies.f_aliases"), LIST_SEPARATOR.join(profile["aliases"])),
    ]
    if profile["collective"]:
        facts.append((t("agencies.f_collective"), t("agencies.yes")))
    if profile["members"]:
        facts.append((t("agencies.f_members"), LIST_SEPARATOR.join(profile["members"])))
    if profile["member_of"]:
        facts.append((t("agencies.f_member_of"), LIST_SEPARATOR.join(profile["member_of"])))
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
city_options = cities()
chosen = st.multiselect(t("agencies.filter_cities"), city_options, placeholder=t("agencies.all"),
                        **linked("agencies-cities", [], options=city_options)) or None
graph = graph_or_stop(plan_scope(cities=chosen))
# The tab is part of the link; its label is in the session's language, so the widget's key is too and
# the choice itself is kept (language-free) under agencies-view.
view = linked("agencies-view", VIEWS[0], options=VIEWS)["key"]
tab_key = f"agencies-tab-{LANG}"


def _tab_chosen(key: str = tab_key, words: dict[str, str] = VIEW_WORDS) -> None:
    chosen_view = next((name for name, word in words.items() if word == st.session_state.get(key)), VIEWS[0])
    set_linked("agencies-view", chosen_view)
    st.session_state["agencies-view"] = chosen_view


# The kept view says which tab is open (a link's, a language switch's), the tab's own state follows it.
st.session_state[tab_key] = VIEW_WORDS[st.session_state[view]]
matrix_tab, profile_tab = st.tabs([VIEW_WORDS[name] for name in VIEWS], key=tab_key, on_change=_tab_chosen)
for tab, name, show in ((matrix_tab, "matrix", show_matrix), (profile_tab, "profile", show_profile)):
    if tab.open:
        with tab:
            show(graph, chosen)
    else:
        carry(TAB_LINKS[name])
