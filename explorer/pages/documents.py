"""Documents: the loaded plans, uploading a new one (preview, then add), reading a plan with its spans marked.

Everything taken from a document is shown as text: tables (st.dataframe), st.text, or
``highlighted_html`` (which escapes the document) in st.html; messages that quote a document
or a file name go through ``markdown_text`` before st.error / st.success.
"""

from __future__ import annotations

import streamlit as st

from explorer.i18n import language, t, translate_warning, v
from explorer.state import documents, get_graph, get_store
from explorer.uploads import (
    MIB,
    SPAN_KINDS,
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
    graph_spans,
    markdown_text,
    plan_spans,
)
from explorer.widgets import (
    as_dataframe,
    correct,
    corrections_history,
    corrections_table,
    download_buttons,
    given_why_and_who,
    guarded_callback,
    highlighted_html,
    kind_words,
    show_said,
    why_and_who,
)
from graph.corrections import read_corrections
from graph.loading import load_plans
from loaders import GivenGovernment, GivenGovernmentError, LoaderError, PlanDocument, check_given
from queries import run_named

UPLOAD_KEY, EXTRACTED_KEY, NOTICE_KEY = "documents-upload", "documents-extracted", "documents-notice"
GIVEN_KEY = "documents-given"  # {"file_id", "city", "province", "level"}: the government the person gave
LEVELS = ("province", "city", "district", "county")
# Our markup only: the document's text inside comes escaped from highlighted_html.
READER_CSS = ("<style>.pk-reader{white-space:pre-wrap;line-height:1.9;max-height:34rem;overflow-y:auto;"
              "padding:.75rem 1rem;border:1px solid rgba(49,51,63,.2);border-radius:.5rem;font-size:.95rem}"
              ".pk-reader mark{background:#fde68a;padding:0 1px;border-radius:2px}</style>")


def reader_html(text: str, spans: list[tuple[int, int]]) -> str:
    return f'{READER_CSS}<div class="pk-reader">{highlighted_html(text, spans)}</div>'


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
                                key="documents-given-level")
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

    kinds = st.multiselect(t("documents.highlight"), SPAN_KINDS, default=list(SPAN_KINDS),
                           format_func=lambda k: t(f"documents.span.{k}"), key="documents-preview-spans")
    with st.expander(t("documents.preview_text"), expanded=False):
        st.html(reader_html(doc.text, plan_spans(doc, kinds)))


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
        st.session_state[EDIT_KEY] = None

    correct(key, "remove", {"document": doc_id, **given_why_and_who(key)}, clear={f"{key}-why": ""}, then=gone)


def show_document_editor(graph, labels: dict[str, str]) -> None:
    """Set a loaded plan's government and title, or remove it (after a second step); what was corrected, with undo."""
    if st.session_state.get(EDIT_KEY) not in labels:
        st.session_state[EDIT_KEY] = None
    show_said(f"{EDIT_KEY}-remove")  # the plan it names is gone from the list
    show_said(f"{EDIT_KEY}-removed")  # an undone removal: the plan is back, the table of removals may be gone
    doc_id = st.selectbox(t("documents.edit_which"), list(labels), index=None, format_func=labels.get,
                          key=EDIT_KEY, placeholder=t("documents.edit_choose"))
    removed = [c for c in read_corrections(get_store()) if c.spec.operation == "remove-document"
               and c.status == "active"]
    if removed:  # no longer in the list above: undone from here
        corrections_table(removed, key=f"{EDIT_KEY}-removed", heading=t("documents.removed", count=len(removed)))
    if doc_id is None:
        return
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
                         if current["level"] in options else 0, format_func=levels.get, key=f"{key}-level")
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
listing = run_named(store, "documents")
rows = [[v("level", value) if column == "level" else value for column, value in zip(listing.columns, row, strict=True)]
        for row in listing.rows]
frame = as_dataframe([t(f"documents.column.{column}") for column in listing.columns], rows)
st.caption(t("documents.count_loaded", count=len(listing.rows)))
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
st.subheader(t("documents.read"))
graph = get_graph()
labels = documents(graph)
if labels:
    chosen = st.selectbox(t("documents.which"), list(labels), format_func=labels.get, key="documents-read")
    kinds = st.multiselect(t("documents.highlight"), SPAN_KINDS, default=list(SPAN_KINDS),
                           format_func=lambda k: t(f"documents.span.{k}"), key="documents-read-spans")
    spans = graph_spans(graph, chosen, kinds)
    st.caption(t("documents.marked", count=len(spans)))
    st.html(reader_html(graph.nodes[chosen].get("text") or "", spans))

# -- correct a document ------------------------------------------------------------------------
st.subheader(t("documents.edit"))
st.caption(t("documents.edit_help"))
show_document_editor(graph, labels)
