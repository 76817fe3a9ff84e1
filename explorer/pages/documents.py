"""Documents: the loaded plans, uploading a new one (preview, then add), reading a plan with its spans marked.

Everything taken from a document is shown as text: tables (st.dataframe), st.text, or
``views.reader.reader_html`` (which escapes the document's text and names) in st.html; messages that
quote a document or a file name go through ``markdown_text`` before st.error / st.success.

The reader keeps its view in the link (explorer.links): ``doc-open`` the document, ``doc-action`` the
action it is opened at (the Network page sets ``doc-open:kept`` / ``doc-action:kept`` and switches here),
``doc-kinds`` the kinds marked, ``doc-from`` where the stretch shown of a long document starts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from explorer.i18n import language, t, translate_warning, v
from explorer.links import linked, set_linked
from explorer.state import (
    LISTING_ROWS,
    action_document,
    document_cities,
    documents,
    get_store,
    graph_or_stop,
    reads_whole,
)
from explorer.uploads import (
    MIB,
    UPLOAD_KINDS,
    UPLOAD_LIMIT_MIB,
    UPLOAD_SUFFIXES,
    UploadRejected,
    action_rows,
    agency_rows,
    check_upload,
    document_counts,
    document_facts,
    extract_upload,
    markdown_text,
)
from explorer.widgets import (
    as_dataframe,
    correct,
    corrections_history,
    corrections_table,
    download_buttons,
    given_why_and_who,
    guarded_callback,
    kind_words,
    page_offset,
    result_pages,
    show_said,
    why_and_who,
)
from graph.corrections import read_corrections
from graph.loading import load_plans
from loaders import GivenGovernment, GivenGovernmentError, LoaderError, PlanDocument, check_given
from queries import run_named
from views import reader

UPLOAD_KEY, EXTRACTED_KEY, NOTICE_KEY = "documents-upload", "documents-extracted", "documents-notice"
GIVEN_KEY = "documents-given"  # {"file_id", "city", "province", "level"}: the government the person gave
LEVELS = ("province", "city", "district", "county")
def upload_limit_mib() -> int:
    """The smaller of ours and the server's limit (server.maxUploadSize), so the words match what is enforced.

    Both are in MiB: Streamlit's server refuses more than server.maxUploadSize × 1024 × 1024 bytes,
    and so does explorer.uploads.check_upload. The uploader is given the same number (max_upload_size).
    """
    try:
        server = int(st.get_option("server.maxUploadSize"))
    except (RuntimeError, TypeError, ValueError):
        server = UPLOAD_LIMIT_MIB
    return max(1, min(server, UPLOAD_LIMIT_MIB))


def limit_words(limit: int) -> dict[str, str]:
    """The limit as the page's words give it: MiB and bytes (20 → "20", "20,971,520")."""
    return {"limit": str(limit), "limit_bytes": f"{limit * MIB:,}", "kinds": UPLOAD_KINDS}


def upload_error(kept: dict) -> str:
    """Why the upload was not read, in the session's language when it is our refusal (kind, size);
    the loaders' own one-line message otherwise."""
    rejected = kept.get("rejected")
    if rejected:
        return t(f"documents.rejected.{rejected['reason']}", name=kept["name"], **rejected["values"])
    return kept["error"]


def extracted(uploaded) -> dict:
    """The upload read once per file (kept in the session): ``{"file_id", "name", "doc"}`` or with ``"error"``."""
    asked = st.session_state.get(GIVEN_KEY) or {}
    given = GivenGovernment(**{k: asked[k] or None for k in ("city", "province", "level")}) \
        if asked.get("file_id") == uploaded.file_id else None
    kept = st.session_state.get(EXTRACTED_KEY)
    if kept and kept["file_id"] == uploaded.file_id and kept.get("given") == given:
        return kept
    kept = {"file_id": uploaded.file_id, "name": uploaded.name, "given": given}
    try:
        check_upload(uploaded.name, uploaded.size, upload_limit_mib())  # before reading the bytes
        if given:
            given = check_given(given)
        kept["doc"] = extract_upload(uploaded.name, uploaded.getvalue(), upload_limit_mib(), given)
    except GivenGovernmentError as error:  # keep showing what was read before, and say why not again
        st.session_state.pop(GIVEN_KEY, None)
        st.error(t("documents.given_error", error=markdown_text(error)))
        return st.session_state.get(EXTRACTED_KEY) or extracted(uploaded)
    except UploadRejected as error:
        kept["error"] = str(error)
        kept["name"] = error.source
        kept["rejected"] = {"reason": error.reason, "values": error.values}
    except LoaderError as error:
        kept["error"] = str(error)
    st.session_state[EXTRACTED_KEY] = kept
    return kept


@guarded_callback
def add_to_store() -> None:
    """The add button: the previewed document's records in one transaction, then every page refreshes."""
    kept = st.session_state.get(EXTRACTED_KEY) or {}
    doc: PlanDocument | None = kept.get("doc")
    if doc is None:
        return
    name = markdown_text(doc.source)
    report = load_plans(get_store(), [(doc.source, lambda: doc)])  # the one load path, as policykg load
    problem = report.stopped or next((why for _source, why in report.failures), None)
    if problem:
        st.session_state[NOTICE_KEY] = ("error", t("documents.not_added", name=name, error=markdown_text(problem)))
    elif not report.new:
        st.session_state[NOTICE_KEY] = ("info", t("documents.already_loaded", name=name))
    else:
        st.session_state[NOTICE_KEY] = ("success", t("documents.added", name=name, actions=len(doc.actions)))


def show_government_form(doc: PlanDocument, file_id: str) -> None:
    """City, province and level as read, for the person to change before adding: what they give wins."""
    with st.form("documents-government"):
        st.markdown(f"##### {t('documents.government')}")
        st.caption(t("documents.government_help"))
        left, middle, right = st.columns(3)
        city = left.text_input(t("documents.fact.city"), value=doc.city or "", key="documents-given-city")
        province = middle.text_input(t("documents.fact.province"), value=doc.province or "",
                                     key="documents-given-province")
        options = ["", *LEVELS]
        level = right.selectbox(t("documents.fact.level"), options, index=options.index(doc.level or ""),
                                format_func=lambda value: v("level", value) if value else t("documents.given_unknown"),
                                key="documents-given-level", placeholder=t("app.choose"))
        if st.form_submit_button(t("documents.reread")):
            st.session_state[GIVEN_KEY] = {"file_id": file_id, "city": city.strip(), "province": province.strip(),
                                           "level": level}
            st.rerun()
    if doc.government_basis == "given":
        st.caption(t("documents.given_basis", city=markdown_text(doc.city or doc.province or "")))


def show_preview(doc: PlanDocument, loaded: bool, file_id: str) -> None:
    st.markdown(f"#### {t('documents.preview')}")
    facts = [(t(f"documents.fact.{key}"), v("level", value) if key == "level" else value)
             for key, value in document_facts(doc)]
    counts = [(t(f"documents.count.{key}"), value) for key, value in document_counts(doc)]
    left, right = st.columns([3, 2])
    left.dataframe(as_dataframe([t("documents.column.field"), t("documents.column.value")],
                                [list(pair) for pair in facts]), hide_index=True)
    right.dataframe(as_dataframe([t("documents.column.what"), t("documents.column.count")],
                                 [list(pair) for pair in counts]), hide_index=True)
    for warning in doc.warnings:
        st.warning(markdown_text(translate_warning(warning, language())))
    if loaded:
        st.info(t("documents.in_graph"))
    else:
        show_government_form(doc, file_id)
        st.button(t("documents.add"), type="primary", on_click=add_to_store, key="documents-add")

    st.markdown(f"##### {t('documents.actions')}")
    rows = [row | {"kind": v("kind", row["kind"]), "basis": v("basis", row["basis"])} for row in action_rows(doc)]
    columns = list(rows[0]) if rows else ["number"]
    st.dataframe(as_dataframe([t(f"documents.column.{c}") for c in columns], [list(r.values()) for r in rows]),
                 hide_index=True)
    agencies = agency_rows(doc)
    if agencies:
        st.markdown(f"##### {t('documents.agencies')}")
        st.dataframe(as_dataframe([t(f"documents.column.{c}") for c in agencies[0]],
                                  [list(r.values()) for r in agencies]), hide_index=True)

    words = kind_names()
    kinds = st.multiselect(t("documents.highlight"), list(reader.KINDS), default=list(reader.KINDS),
                           format_func=words.get, placeholder=t("documents.reader.mark_none"),
                           key="documents-preview-spans")
    with st.expander(t("documents.preview_text"), expanded=False):
        where = f"documents-preview-from-{file_id}"  # an upload is no link: where its stretch starts is the session's
        show_text(doc.text, reader.plan_marks(doc), kinds, None, st.session_state.get(where, -1),
                  partial(st.session_state.__setitem__, where), "documents-preview")


# -- the reader -----------------------------------------------------------------------------------
# Its state is in the link: the document (doc-open), the action it was opened at (doc-action), the kinds
# marked (doc-kinds) and where the stretch shown of a long document starts (doc-from; -1: at the action,
# or at the top). Another page opens it at an action by setting doc-open:kept and doc-action:kept.
OPEN_KEY, ACTION_KEY, KINDS_KEY, FROM_KEY = "doc-open", "doc-action", "doc-kinds", "doc-from"
FROM_FOR = "doc-from-for"  # the (document, action) doc-from was chosen for: another one starts at the action


def _opened() -> None:
    """Another document chosen: it is read from the top, at no action of the one before."""
    set_linked(ACTION_KEY, None)
    set_linked(FROM_KEY, -1)


def _moved() -> None:
    set_linked(FROM_KEY, -1)


def _action_label(graph, action) -> str:
    data = graph.nodes[action]
    title = str(data.get("title") or "")
    return f"{data.get('number') or ''} {title[:40] + '…' if len(title) > 40 else title}".strip()


def show_reader(labels: dict[str, str]) -> None:
    """A document's text with what was read from it marked, one colour per kind, a legend, a tooltip on
    each mark naming every mark there; opened at an action, the stretch shown starts at it, outlined.
    Only the part of the graph that document uses is read (explorer.state.get_graph)."""
    # The action first: opened at one (a link, another page), the document is the action's (asked of the
    # store by the action's key: the graph of every plan is not read to find it).
    linked(ACTION_KEY, None)
    opened_at = st.session_state.get(f"{ACTION_KEY}:kept")
    open_kwargs = linked(OPEN_KEY, None, options=list(labels), on_change=_opened)
    if opened_at is not None:
        home = action_document(str(opened_at))
        if home not in labels:  # no such action (any more): the document as it was chosen
            set_linked(ACTION_KEY, None)
        elif home != st.session_state.get(f"{OPEN_KEY}:kept"):
            set_linked(OPEN_KEY, home)
    if st.session_state.get(f"{OPEN_KEY}:kept") is None:
        set_linked(OPEN_KEY, next(iter(labels)))
    st.session_state[OPEN_KEY] = st.session_state[f"{OPEN_KEY}:kept"]
    left, right = st.columns([3, 2])
    chosen = left.selectbox(t("documents.which"), list(labels), format_func=labels.get, **open_kwargs,
                            placeholder=t("app.choose"))
    graph = graph_or_stop([chosen])
    actions = [None, *reader.document_actions(graph, chosen)]
    names = {action: _action_label(graph, action) if action else t("documents.reader.from_start")
             for action in actions}
    action = right.selectbox(t("documents.reader.at_action"), actions, format_func=names.get,
                             **linked(ACTION_KEY, None, options=actions, on_change=_moved), placeholder=t("app.choose"))
    words = kind_names()
    kinds = st.multiselect(t("documents.highlight"), list(reader.KINDS), format_func=words.get,
                           placeholder=t("documents.reader.mark_none"),
                           **linked(KINDS_KEY, list(reader.KINDS), options=reader.KINDS))

    focus = reader.action_span(graph, action)
    linked(FROM_KEY, -1)
    view = (chosen, action)
    if st.session_state.get(FROM_FOR, view) != view:  # opened at another action since doc-from was chosen
        set_linked(FROM_KEY, -1)
    st.session_state[FROM_FOR] = view
    show_text(graph.nodes[chosen].get("text") or "", reader.document_marks(graph, chosen), kinds, focus,
              st.session_state.get(f"{FROM_KEY}:kept", -1), partial(set_linked, FROM_KEY), "doc")


def kind_names() -> dict[str, str]:
    """The kinds of span in the session's language (fixed for the run: format_func and the legend use them)."""
    return {kind: t(f"documents.reader.kind.{kind}") for kind in reader.KINDS}


def show_text(text: str, marks: list[reader.Mark], kinds: list[str], focus: tuple[int, int] | None,
              start_at: int, move: Callable[[int], None], key: str) -> None:
    """A stretch of ``text`` with the marks of ``kinds`` coloured, the legend above it, earlier/later under
    the caption when the text is longer than the stretch. ``start_at`` -1: at ``focus`` (outlined), or the
    top; ``move(start)`` is what the earlier/later buttons call."""
    style = reader.reader_style()
    words = kind_names()
    at = (focus[0] if focus else 0) if start_at < 0 else start_at
    start, end = reader.window(text, style.window, at, fit=focus if start_at < 0 else None)
    chosen = set(kinds)
    marks = [mark for mark in marks if mark.kind in chosen and mark.start < end and mark.end > start]
    st.html(reader.reader_css(style) + reader.legend_html(
        words, [kind for kind in reader.KINDS if kind in chosen], t("documents.reader.focus") if focus else None))
    st.caption(t("documents.marked", count=len(marks)) + " · " + t(
        "documents.reader.showing", start=f"{start + 1:,}", end=f"{end:,}", total=f"{len(text):,}"))
    if start > 0 or end < len(text):
        back, _gap, forward = st.columns([1, 3, 1])
        back.button(t("documents.reader.earlier"), key=f"{key}-earlier", disabled=start == 0,
                    on_click=move, args=(reader.earlier(text, style.window, start),))
        forward.button(t("documents.reader.later"), key=f"{key}-later", disabled=end >= len(text),
                       on_click=move, args=(end,))
    runs = reader.segments(text, marks, start, end, focus=focus)
    st.html(reader.reader_html(text, runs, words, t("documents.reader.tooltip_line")))


# -- correcting a loaded document ----------------------------------------------------------------
EDIT_KEY, ASK_KEY = "documents-edit", "documents-remove-ask"  # the plan chosen; the one asked to remove


def _set_government(doc_id: str, current: dict[str, str]) -> None:
    key = f"{EDIT_KEY}-government"
    wanted = {name: (st.session_state.get(f"{key}-{doc_id}-{name}") or "").strip() for name in ("city", "province",
                                                                                                  "level")}
    if wanted == current:
        st.session_state[f"{key}:said"] = ("error", t("edit.unchanged"))
        return
    # The kind names the field the government is known by: the city, else the province, else the level.
    kind = "government" if wanted["city"] else "province" if wanted["province"] else "level"
    correct(key, kind, {"document": doc_id, "values": {k: value or None for k, value in wanted.items()},
                        **given_why_and_who(key)}, clear={f"{key}-why": ""})


def _set_title(doc_id: str, current: str) -> None:
    key = f"{EDIT_KEY}-title"
    title = (st.session_state.get(f"{key}-{doc_id}-value") or "").strip()
    if title == current:
        st.session_state[f"{key}:said"] = ("error", t("edit.unchanged"))
        return
    correct(key, "title", {"document": doc_id, "values": {"title": title}, **given_why_and_who(key)},
            clear={f"{key}-why": ""})


def _ask_removal(doc_id: str | None) -> None:
    st.session_state[ASK_KEY] = doc_id


def _remove(doc_id: str) -> None:
    key = f"{EDIT_KEY}-remove"

    def gone(_correction) -> None:
        st.session_state[ASK_KEY] = None
        set_linked(EDIT_KEY, None)

    correct(key, "remove", {"document": doc_id, **given_why_and_who(key)}, clear={f"{key}-why": ""}, then=gone)


def show_document_editor(labels: dict[str, str]) -> None:
    """Set a loaded plan's government and title, or remove it (after a second step); what was corrected, with undo."""
    edit_kwargs = linked(EDIT_KEY, None, options=list(labels))  # a plan no longer loaded: none chosen
    show_said(f"{EDIT_KEY}-remove")  # the plan it names is gone from the list
    show_said(f"{EDIT_KEY}-removed")  # an undone removal: the plan is back, the table of removals may be gone
    doc_id = st.selectbox(t("documents.edit_which"), list(labels), format_func=labels.get,
                          placeholder=t("documents.edit_choose"), **edit_kwargs)
    removed = [c for c in read_corrections(get_store()) if c.spec.operation == "remove-document"
               and c.status == "active"]
    if removed:  # no longer in the list above: undone from here
        corrections_table(removed, key=f"{EDIT_KEY}-removed", heading=t("documents.removed", count=len(removed)))
    if doc_id is None:
        return
    graph = graph_or_stop([doc_id])
    data = graph.nodes[doc_id]
    current = {name: data.get(name) or "" for name in ("city", "province", "level")}
    government, title = st.columns(2)
    with government:
        st.markdown(f"**{t('documents.edit_government')}**")
        show_said(f"{EDIT_KEY}-government")
        with st.form(f"{EDIT_KEY}-government-form"):
            key = f"{EDIT_KEY}-government-{doc_id}"
            st.text_input(t("documents.fact.city"), value=current["city"], key=f"{key}-city")
            st.text_input(t("documents.fact.province"), value=current["province"], key=f"{key}-province")
            options = ["", *LEVELS]
            levels = {value: v("level", value) if value else t("documents.given_unknown") for value in options}
            st.selectbox(t("documents.fact.level"), options, index=options.index(current["level"])
                         if current["level"] in options else 0, format_func=levels.get, key=f"{key}-level",
                                                                                                                          placeholder=t("app.choose"))
            why_and_who(f"{EDIT_KEY}-government")
            st.form_submit_button(t("documents.edit_government_submit"), on_click=guarded_callback(_set_government),
                                  args=(doc_id, current))
    with title:
        st.markdown(f"**{kind_words('title')}**")
        show_said(f"{EDIT_KEY}-title")
        with st.form(f"{EDIT_KEY}-title-form"):
            st.text_input(t("documents.fact.title"), value=data.get("title") or "",
                          key=f"{EDIT_KEY}-title-{doc_id}-value")
            why_and_who(f"{EDIT_KEY}-title")
            st.form_submit_button(t("documents.edit_title_submit"), on_click=guarded_callback(_set_title),
                                  args=(doc_id, data.get("title") or ""))
    st.markdown(f"**{kind_words('remove')}**")
    if st.session_state.get(ASK_KEY) != doc_id:
        st.button(t("documents.remove"), key=f"{EDIT_KEY}-remove-ask", on_click=_ask_removal, args=(doc_id,))
    else:
        st.warning(t("documents.remove_warning", name=markdown_text(labels[doc_id])))
        with st.form(f"{EDIT_KEY}-remove-form"):
            why_and_who(f"{EDIT_KEY}-remove")
            st.form_submit_button(t("documents.remove_confirm"), type="primary", on_click=guarded_callback(_remove),
                                  args=(doc_id,))
        st.button(t("documents.remove_cancel"), key=f"{EDIT_KEY}-remove-cancel", on_click=_ask_removal, args=(None,))
    corrections_history(graph, doc_id, key=f"{EDIT_KEY}-history")


st.title(t("page.documents"))
store = get_store()

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    {"success": st.success, "info": st.info, "error": st.error}[notice[0]](notice[1])

# -- loaded documents ------------------------------------------------------------------------
st.subheader(t("documents.loaded"))
LISTING_PAGE = "documents-page"
listing = run_named(store, "documents", row_cap=LISTING_ROWS, offset=page_offset(LISTING_PAGE, LISTING_ROWS))
rows = [[v("level", value) if column == "level" else value for column, value in zip(listing.columns, row, strict=True)]
        for row in listing.rows]
frame = as_dataframe([t(f"documents.column.{column}") for column in listing.columns], rows)
st.caption(t("documents.count_loaded", count=listing.total if listing.total is not None else len(listing.rows)))
if listing.truncated:  # never a silent cap: which rows of how many, and the other pages (the download: this one)
    result_pages(listing, LISTING_PAGE)
st.dataframe(frame, hide_index=True, placeholder="")  # an unknown title or date is blank, not "None"
download_buttons(frame, "policykg-documents", key="documents-download")

# -- upload ----------------------------------------------------------------------------------
st.subheader(t("documents.upload"))
limit = upload_limit_mib()
st.caption(t("documents.upload_help", **limit_words(limit)))
# Streamlit's drop zone ("Drag and drop file here", "Limit 20MB per file", "Browse files") has no parameter
# for its words in 1.67; the limit is given in the session's language in the caption above and the help here.
uploaded = st.file_uploader(t("documents.choose"), type=[suffix.lstrip(".") for suffix in UPLOAD_SUFFIXES],
                            key=UPLOAD_KEY, max_upload_size=limit,
                            help=t("documents.upload_limit", **limit_words(limit)))
if uploaded is None:
    st.session_state.pop(EXTRACTED_KEY, None)
else:
    kept = extracted(uploaded)
    if "error" in kept:
        st.error(markdown_text(upload_error(kept)))
    else:
        show_preview(kept["doc"], kept["doc"].id in store.document_ids(), kept["file_id"])

# -- read a document -------------------------------------------------------------------------
CITY_KEY = "doc-city"


def _city_chosen() -> None:
    """Another city: its first document is read from the top (the one open was another city's)."""
    set_linked(OPEN_KEY, None)
    _opened()


def city_documents(labels: dict[str, str]) -> dict[str, str]:
    """A corpus past a page's plans (explorer.state.reads_whole): the documents of one city, chosen above the
    reader and the editor (thousands of plans in one list cannot be scrolled); else every document. The city
    follows the document that is open, or the action it was opened at (a link, the Network page)."""
    if reads_whole():
        return labels
    city_of = {doc: city or "" for doc, city in document_cities().items()}  # "": government unknown
    options = sorted(set(city_of.values()), key=lambda city: (city == "", city))
    opened = st.session_state.get(f"{OPEN_KEY}:kept", st.query_params.get(OPEN_KEY))
    action = st.session_state.get(f"{ACTION_KEY}:kept", st.query_params.get(ACTION_KEY))
    if action is not None:
        opened = action_document(str(action)) or opened
    if opened in city_of and f"{CITY_KEY}:kept" in st.session_state:
        set_linked(CITY_KEY, city_of[opened])
    words = {city: city or t("documents.government_unknown") for city in options}  # fixed for this run
    city = st.selectbox(t("documents.city"), options, format_func=words.get,
                        **linked(CITY_KEY, city_of.get(opened, options[0]), options=options,
                                 on_change=_city_chosen))
    return {doc: label for doc, label in labels.items() if city_of.get(doc) == city}


st.subheader(t("documents.read"))
labels = city_documents(documents())
if labels:
    show_reader(labels)

# -- correct a document ------------------------------------------------------------------------
st.subheader(t("documents.edit"))
st.caption(t("documents.edit_help"))
show_document_editor(labels)
