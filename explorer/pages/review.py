"""Review: what needs a person's look, ranked (views.review), each confirmed or corrected in a click or two.

The count of open items is at the top; confirming an item keeps a ``confirm`` correction and it leaves
the queue; correcting it (the plan's government, the lead, a merge, a rename) keeps a correction that
rewrites the graph, and the item leaves the queue because it is fixed. Either way the page runs again
on the new graph, so the count goes down.

Everything taken from a document (notes, titles, agency names) is shown as text: ``highlighted_html``
(which escapes it) in st.html, widget options through ``format_func`` (plain text), messages through
``markdown_text``.
"""

from __future__ import annotations

import streamlit as st

from explorer.i18n import language, t
from explorer.links import linked
from explorer.state import cities, document_cities, get_store, graph_or_stop, plan_scope
from explorer.uploads import markdown_text
from explorer.widgets import guarded_callback, highlighted_html, lazy_expander, one_line
from graph.corrections import CorrectionError, kinds, read_corrections, record
from loaders.knowledge import divisions
from queries.corrections import make_correction
from views.naming import node_name
from views.network import plan_agencies
from views.review import KINDS, ReviewItem, kind_counts, review_queue

NOTICE_KEY = "review-notice"
KIND_KEY, WHO_KEY, WHY_KEY = "review-kind", "review-who", "review-why"
CORRECT_KEY = "review-correct-"  # + the item's key: its correction section, open or closed
SHOWN = 20  # items drawn at a time; the next come up as these are worked through
GOVERNMENT_LEVELS = ("city", "county", "province")  # what a plan's government may be (loaders.given.check_given)
SENTENCE_CSS = ("<style>.pk-sentence{white-space:pre-wrap;line-height:1.8;padding:.4rem .75rem;"
                "border-left:3px solid rgba(49,51,63,.25);font-size:.95rem}"
                ".pk-sentence mark{background:#fde68a;padding:0 1px;border-radius:2px}</style>")


def sentence_html(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """A source sentence, escaped, with the units it is about marked: our markup only."""
    return f'{SENTENCE_CSS}<div class="pk-sentence">{highlighted_html(text, list(spans))}</div>'


def government_options() -> dict[str, str]:
    """Name -> how it reads (with its provinces) of every division that may be a plan's government."""
    options = {}
    for name, entries in divisions().items():
        provinces = sorted({d.province for d in entries if d.level in GOVERNMENT_LEVELS and d.province != name})
        if any(d.level in GOVERNMENT_LEVELS for d in entries):
            options[name] = f"{name} · {'、'.join(provinces)}" if provinces else name
    return dict(sorted(options.items()))


def item_label(item: ReviewItem) -> str:
    """What an item is about, in a line (document text: for messages through markdown_text, or st.text)."""
    parts = [item.document_name if item.kind == "government" else None, item.action_name,
             "、".join(item.agency_names) or None]
    return " · ".join(part for part in parts if part)


def default_why(what: str) -> str:
    return (st.session_state.get(WHY_KEY) or "").strip() or t(f"review.why_default.{what}")


# -- what the buttons do --------------------------------------------------------------------------------
def apply(kind: str, label: str, **given) -> None:
    """Make the correction (names resolved as the command line resolves them) and keep it; one line either way."""
    store = get_store()
    try:
        correction = make_correction(store, kind, why=default_why("confirm" if kind == "confirm" else "correct"),
                                     who=(st.session_state.get(WHO_KEY) or "").strip() or None, **given)
        record(store, correction)
    except CorrectionError as error:
        st.session_state[NOTICE_KEY] = ("error", t("review.not_made", error=one_line(error)))
        return
    if kind == "confirm":
        st.session_state[NOTICE_KEY] = ("success", t("review.confirmed", item=markdown_text(label)))
    else:
        what = f"{kind_help(kind)}: {correction.describe(language())}"
        st.session_state[NOTICE_KEY] = ("success", t("review.corrected", what=markdown_text(what)))


@guarded_callback
def confirm(key: str, document: str | None, label: str) -> None:
    apply("confirm", label, document=document, values={"item": key})


@guarded_callback
def set_government(key: str, document: str, label: str) -> None:
    typed = (st.session_state.get(f"review-city-typed-{key}") or "").strip()
    chosen = typed or st.session_state.get(f"review-city-{key}") or ""
    apply("government", label, document=document, values={"city": chosen or None})


@guarded_callback
def set_leads(key: str, document: str, action: str, label: str) -> None:
    apply("lead", label, document=document, action=action, agencies=list(st.session_state.get(f"review-leads-{key}")
                                                                         or []))


@guarded_callback
def merge(key: str, pair: tuple[str, str], label: str) -> None:
    kept = st.session_state.get(f"review-stays-{key}") or pair[1]
    absorbed = pair[0] if kept == pair[1] else pair[1]
    apply("merge", label, agencies=[absorbed], into=kept)


@guarded_callback
def rename(key: str, agency: str, label: str) -> None:
    apply("rename", label, agencies=[agency], name=st.session_state.get(f"review-name-{key}") or "")


# -- drawing an item --------------------------------------------------------------------------------------
def kind_help(kind: str) -> str:
    spec = kinds()[kind]
    return spec.zh if language() == "zh" else spec.en


def show_correction(item: ReviewItem, graph, label: str) -> None:
    key = item.key
    with st.form(f"review-form-{key}", border=False):
        if item.kind == "government":
            cities = government_options()
            st.selectbox(t("review.city"), list(cities), index=None, format_func=cities.get,
                         placeholder=t("review.city_placeholder"), key=f"review-city-{key}")
            st.text_input(t("review.city_typed"), key=f"review-city-typed-{key}")
            st.form_submit_button(t("review.set_government"), help=kind_help("government"), on_click=set_government,
                                  args=(key, item.document, label))
        elif item.kind in ("first-listed", "empty-note"):
            agencies = {a: node_name(graph, a) for a in plan_agencies(graph, item.document)}
            st.multiselect(t("review.leads"), list(agencies), default=[a for a in item.agencies if a in agencies],
                           format_func=agencies.get, key=f"review-leads-{key}", placeholder=t("app.choose_many"))
            st.form_submit_button(t("review.set_leads"), help=kind_help("lead"), on_click=set_leads,
                                  args=(key, item.document, item.action, label))
        elif item.kind == "duplicate":
            names = dict(zip(item.agencies, item.agency_names, strict=True))
            st.radio(t("review.stays"), list(item.agencies), format_func=lambda a: markdown_text(names[a]),
                     key=f"review-stays-{key}")  # a radio's options are Markdown
            st.form_submit_button(t("review.merge"), help=kind_help("merge"), on_click=merge,
                                  args=(key, item.agencies, label))
        elif item.kind == "unknown-agency":
            st.text_input(t("review.new_name"), value=item.agency_names[0], key=f"review-name-{key}")
            st.form_submit_button(t("review.rename"), help=kind_help("rename"), on_click=rename,
                                  args=(key, item.agencies[0], label))


def show_item(item: ReviewItem, graph) -> None:
    label = item_label(item)
    with st.container(border=True):
        about, buttons = st.columns([5, 1])
        about.markdown(f"**{item.rank}.** {t(f'review.kind.{item.kind}')}")
        facts = []
        if item.document_name:
            facts.append(f"{t('review.document')}: {item.document_name}")
        if item.city and item.kind in ("duplicate", "unknown-agency"):
            facts.append(f"{t('review.government')}: {item.city}")
        if item.action_name:
            facts.append(f"{t('review.action')}: {item.action_name}")
        if item.agency_names:
            facts.append(f"{t('review.agencies')}: {'、'.join(item.agency_names)}")
        about.text("\n".join(facts))
        about.caption(t("review.affected", count=item.affected))
        for sentence, spans in zip(item.sentences, item.marks, strict=True):
            if sentence:
                about.html(sentence_html(sentence, spans))
        buttons.button(t("review.confirm"), key=f"review-confirm-{item.key}", help=kind_help("confirm"),
                       on_click=confirm, args=(item.key, item.document, label), type="primary")
        # Made only while open: twenty closed forms were a third of the page's first render in the browser.
        with about:
            correction = lazy_expander(t("review.correct"), f"{CORRECT_KEY}{item.key}")
        if correction is not None:
            with correction:
                show_correction(item, graph, label)


# -- the page ---------------------------------------------------------------------------------------------
st.title(t("page.review"))
st.caption(t("review.intro"))
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    {"success": st.success, "error": st.error}[notice[0]](notice[1])

store = get_store()
# The plans whose government is unknown are a choice of their own (UNKNOWN in the list, None for plan_scope):
# in a corpus read by city they would otherwise never come up for review. Not "": a link says an empty list so.
UNKNOWN = "(unknown)"
city_options = [*cities(), UNKNOWN]
city_words = {city: t("review.government_unknown") if city == UNKNOWN else city for city in city_options}
chosen_cities = st.multiselect(t("review.cities"), city_options, format_func=city_words.get,
                               placeholder=t("review.cities_all"), **linked("review-cities", [], options=city_options))
wanted = [None if city == UNKNOWN else city for city in chosen_cities] or None
graph = graph_or_stop(plan_scope(cities=wanted))
queue = review_queue(graph, read_corrections(store))
if wanted is not None:  # a graph read whole holds every plan: only the items of the chosen cities' plans
    city_of = document_cities()
    queue = [item for item in queue if (city_of.get(item.document) if item.document else item.city) in wanted]
st.metric(t("review.open"), len(queue))

left, right = st.columns(2)
left.text_input(t("review.who"), key=WHO_KEY)
right.text_input(t("review.why"), key=WHY_KEY, help=t("review.why_help", confirm=t("review.why_default.confirm"),
                                                        correct=t("review.why_default.correct")))
if not queue:
    st.info(t("review.empty"))
    st.stop()

counts = kind_counts(queue)
st.caption(" · ".join(f"{t(f'review.kind.{kind}')}: {count}" for kind, count in counts.items()))
# The choices stay the same whatever is left (a radio whose options change is a new widget and forgets the
# choice); linked() keeps it across language switches and in the page's link.
chosen = st.radio(t("review.filter"), ["all", *KINDS], horizontal=True,
                  format_func=lambda k: t("review.all") if k == "all" else t(f"review.kind.{k}"),
                  **linked(KIND_KEY, "all", options=["all", *KINDS]))
shown = [item for item in queue if chosen == "all" or item.kind == chosen]
if len(shown) > SHOWN:
    st.caption(t("review.showing", shown=SHOWN, count=len(shown)))
if not shown:
    st.info(t("review.none_of_kind"))
for item in shown[:SHOWN]:
    show_item(item, graph)
