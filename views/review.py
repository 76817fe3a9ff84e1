"""What needs a person's look, ranked: the Review page's queue (explorer/pages/review.py).

Five kinds of item, most severe first (:data:`KINDS`):

- ``government``: a plan whose government is unknown (``Document.city`` is None): every unit of it
  belongs to that plan alone until a person says whose plan it is.
- ``empty-note``: a task whose responsibility note yielded no unit, or that has no note at all
  (the loaders' ``note_without_unit`` / ``actions_without_note`` warnings): nobody is responsible.
- ``duplicate``: two agencies that are likely one (:func:`likely_duplicates`).
- ``first-listed``: an action whose lead was inferred as the first unit listed (``basis`` first-listed).
- ``unknown-agency``: an agency the kinds table (``data/agencies/kinds.toml``) does not know: type
  ``agency`` and no kind, as the loaders' ``agencies_unknown_kind`` warning says.

Within a kind, items that affect more actions come first, then by name (an action's: its plan and
its place in the plan). Each item has a stable key (``government:<doc_id>``, ``empty-note:<action_id>``,
``duplicate:<id_a>|<id_b>``, ``first-listed:<action_id>``, ``unknown-agency:<agency_id>``), which a
``confirm`` correction names when a person looked and agreed: a confirmed item leaves the queue. An
item a correction fixed leaves it by itself: a plan given its government is no longer unknown, a
corrected lead is no longer first-listed, a merged agency is gone, a renamed one (its ``correction``
set) has been looked at.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("d", label="Document", source="t.txt", title=None, city=None, text="方案\\n一、任务")
>>> [(item.rank, item.key, item.fixes) for item in review_queue(g, [])]
[(1, 'government:d', ('confirm', 'government'))]
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx

from graph.corrections import Correction
from loaders.knowledge import LEVEL_CHARS, division_stem
from views.naming import node_name

__all__ = ["KINDS", "SIMILAR", "ReviewItem", "bare_name", "confirmed_items", "kind_counts", "likely_duplicates",
           "review_queue", "similar_names"]

#: The kinds of item, most severe first.
KINDS = ("government", "empty-note", "duplicate", "first-listed", "unknown-agency")
#: What a person can do about each kind: confirm it, or the kind of correction that fixes it.
FIXES = {"government": ("confirm", "government"), "empty-note": ("confirm", "lead"),
         "duplicate": ("confirm", "merge"), "first-listed": ("confirm", "lead"),
         "unknown-agency": ("confirm", "rename")}
#: difflib's ratio from which two names of one government and kind are likely one agency.
SIMILAR = 0.6
ROLES = ("LEADS", "RESPONSIBLE_FOR", "SUPPORTS")
SENTENCE_LIMIT = 300  # characters of a plan's opening shown for a plan without a government


@dataclass(frozen=True)
class ReviewItem:
    """One thing to look at. ``document``/``action``/``agencies`` are node ids (``*_name``: how they read);
    ``sentences``: the text of the plan it comes from (a note, a quote), to be shown as text;
    ``marks``: for each sentence, the spans of the units it is about (as written there);
    ``affected``: how many actions it touches; ``fixes``: ``confirm`` and the correction kind that fixes it."""

    key: str
    kind: str
    rank: int
    affected: int
    document: str | None
    document_name: str | None
    city: str | None
    action: str | None
    action_name: str | None
    agencies: tuple[str, ...]
    agency_names: tuple[str, ...]
    sentences: tuple[str, ...]
    fixes: tuple[str, ...]
    marks: tuple[tuple[tuple[int, int], ...], ...] = ()

    @property
    def severity(self) -> int:
        return KINDS.index(self.kind)


# -- names -------------------------------------------------------------------------------------------
def bare_name(name: str, government: str | None) -> str:
    """An agency's name without its government (the city or its short form) and one level character.

    >>> bare_name("鄂州市科技局", "鄂州市"), bare_name("仙桃高新区", "仙桃市"), bare_name("市数据局", None)
    ('科技局', '高新区', '数据局')
    """
    if government:
        for prefix in (government, division_stem(government)):
            if prefix and name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix):]
                break
    if len(name) > 2 and name[0] in LEVEL_CHARS:
        name = name[1:]
    return name


def similar_names(a: str, b: str, government: str | None) -> bool:
    """Whether two names of one government read alike: difflib's ratio of their bare names (:func:`bare_name`)
    is at least :data:`SIMILAR`.

    >>> similar_names("宜昌市数据局", "宜昌市大数据管理局", "宜昌市"), similar_names("市城管局", "市城管执法局", None)
    (True, True)
    >>> similar_names("鄂州市科技局", "鄂州市教育局", "鄂州市"), similar_names("市城管委", "市城管执法局", None)
    (False, False)
    """
    return difflib.SequenceMatcher(None, bare_name(a, government), bare_name(b, government)).ratio() >= SIMILAR


def _government(node: str, data: dict[str, Any]) -> str | None:
    """Whose unit an agency is: its city, the plan it belongs to alone (government unknown), or None (national)."""
    if data.get("city"):
        return data["city"]
    return node.split("/", 1)[0] + "/" if "/" in node else None


def likely_duplicates(graph: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """Pairs of agencies (ids, in order) that are likely one: of the same government and the same kind
    (a kind the table knows), neither collective, and with names that read alike (:func:`similar_names`)
    or one's name among the other's aliases.

    >>> g = nx.MultiDiGraph()
    >>> for name, kind in [("宜昌市数据局", "数据局"), ("宜昌市大数据管理局", "数据局"), ("宜昌市科技局", "科技局"),
    ...                    ("宜昌市教育局", "教育局"), ("仙桃市大数据管理局", "数据局")]:
    ...     g.add_node(name, label="Agency", name=name, city=name[:3], kind=kind, collective=False, aliases=[])
    >>> likely_duplicates(g)
    [('宜昌市大数据管理局', '宜昌市数据局')]
    """
    groups: dict[tuple[str | None, str], list[tuple[str, dict[str, Any]]]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("label") == "Agency" and data.get("kind") and not data.get("collective"):
            groups.setdefault((_government(node, data), data["kind"]), []).append((node, data))
    pairs = []
    for (government, _kind), members in groups.items():
        for (a, da), (b, db) in combinations(sorted(members, key=lambda pair: pair[0]), 2):
            names_a = {da["name"], *(da.get("aliases") or [])}
            names_b = {db["name"], *(db.get("aliases") or [])}
            city = government if government and not government.endswith("/") else None
            if da["name"] in names_b or db["name"] in names_a or similar_names(da["name"], db["name"], city):
                pairs.append((a, b))
    return sorted(pairs)


# -- the queue ---------------------------------------------------------------------------------------
def confirmed_items(corrections: Iterable[Correction]) -> set[str]:
    """The keys of the items active ``confirm`` corrections confirm (an undone one confirms nothing)."""
    return {str(c.values.get("item")) for c in corrections
            if c.status == "active" and c.spec.operation == "confirm" and c.values.get("item")}


def _units(graph: nx.MultiDiGraph, action: Hashable) -> list[tuple[str, str, dict[str, Any]]]:
    """(agency, relationship type, its properties) of every unit of an action."""
    return [(agency, rel, data) for agency, _, rel, data in graph.in_edges(action, keys=True, data=True)
            if rel in ROLES]


def _actions_of(graph: nx.MultiDiGraph, agency: Hashable) -> set[str]:
    return {action for _, action, rel in graph.out_edges(agency, keys=True) if rel in ROLES}


def _written(graph: nx.MultiDiGraph, action: Hashable, agencies: list[str]) -> list[str]:
    """How the note of an action wrote these agencies (their names where it did not say)."""
    wanted = set(agencies)
    written = [props.get("as_written") or graph.nodes[agency].get("name") or agency
               for agency, _, props in _units(graph, action) if agency in wanted]
    return list(dict.fromkeys(written))


def _marks(sentence: str, names: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """The spans of the first place each name is written in the sentence.

    >>> _marks("（责任单位：市科技局、市教育局）", ["市教育局", "市科技局", "市数据局"])
    ((6, 10), (11, 15))
    """
    spans = []
    for name in names:
        start = sentence.find(name) if name else -1
        if start >= 0:
            spans.append((start, start + len(name)))
    return tuple(sorted(spans))


def _opening(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    opening = "\n".join(lines[:3])
    return opening if len(opening) <= SENTENCE_LIMIT else opening[:SENTENCE_LIMIT] + "…"


def review_queue(graph: nx.MultiDiGraph, corrections: Iterable[Correction] = ()) -> list[ReviewItem]:
    """Every item of the five kinds (see the module) not confirmed by an active ``confirm``, ranked from 1."""
    done = confirmed_items(corrections)
    nodes = graph.nodes
    documents = {n: d for n, d in graph.nodes(data=True) if d.get("label") == "Document"}
    actions = {n: d for n, d in graph.nodes(data=True) if d.get("label") == "Action"}
    doc_names = {n: node_name(graph, n) for n in documents}
    actions_of_doc: dict[str, int] = {}
    for data in actions.values():
        actions_of_doc[data.get("doc_id")] = actions_of_doc.get(data.get("doc_id"), 0) + 1
    found: list[tuple[tuple, dict[str, Any]]] = []

    def add(kind: str, key: str, order: tuple, affected: int, **about: Any) -> None:
        if key not in done:
            found.append(((KINDS.index(kind), -affected, *order, key), {"key": key, "kind": kind, "affected": affected,
                                                                         **about}))

    def action_about(action: str) -> dict[str, Any]:
        data = actions[action]
        doc = data.get("doc_id")
        return {"document": doc, "document_name": doc_names.get(doc, doc), "city": data.get("city"),
                "action": action, "action_name": node_name(graph, action)}

    def agency_about(agencies: list[str]) -> dict[str, Any]:
        return {"agencies": tuple(agencies), "agency_names": tuple(nodes[a].get("name") or a for a in agencies)}

    def first_quotes(agencies: list[str]) -> dict[str, Any]:
        """The note (or quote) of the first action naming each agency, once each, its units marked."""
        quotes: dict[str, list[str]] = {}
        for agency in agencies:
            named = sorted(_actions_of(graph, agency), key=lambda a: (doc_names.get(actions[a].get("doc_id"), ""),
                                                                      actions[a].get("seq") or 0))
            if named:
                data = actions[named[0]]
                quote = data.get("note") or data.get("quote") or data.get("text") or ""
                if quote:
                    quotes.setdefault(quote, []).extend(_written(graph, named[0], [agency]))
        return {"sentences": tuple(quotes), "marks": tuple(_marks(quote, names) for quote, names in quotes.items())}

    for doc, data in documents.items():
        if not data.get("city"):
            add("government", f"government:{doc}", (doc_names[doc], 0), actions_of_doc.get(doc, 0),
                document=doc, document_name=doc_names[doc], city=None, sentences=(_opening(data.get("text")),))

    for action, data in actions.items():
        units = _units(graph, action)
        order = (doc_names.get(data.get("doc_id"), ""), data.get("seq") or 0)
        if not units and data.get("kind", "action") == "action":
            add("empty-note", f"empty-note:{action}", order, 1, **action_about(action),
                sentences=(data.get("note") or data.get("text") or "",))
        leads = sorted(((props.get("rank") or 0, agency) for agency, rel, props in units
                        if rel == "LEADS" and props.get("basis") == "first-listed"))
        if leads:
            quote = data.get("note") or next((props.get("quote") for _, rel, props in units if rel == "LEADS"), "")
            lead_ids = [agency for _, agency in leads]
            add("first-listed", f"first-listed:{action}", order, 1, **action_about(action),
                **agency_about(lead_ids), sentences=(quote or "",),
                marks=(_marks(quote or "", _written(graph, action, lead_ids)),))

    for a, b in likely_duplicates(graph):
        city = nodes[a].get("city") or nodes[b].get("city")
        affected = len(_actions_of(graph, a) | _actions_of(graph, b))
        add("duplicate", f"duplicate:{a}|{b}", (f"{nodes[a].get('name')}|{nodes[b].get('name')}", 0), affected,
            city=city, **agency_about([a, b]), **first_quotes([a, b]))

    for agency, data in graph.nodes(data=True):
        if (data.get("label") == "Agency" and data.get("type", "agency") == "agency" and not data.get("kind")
                and not data.get("collective") and not data.get("correction")):
            add("unknown-agency", f"unknown-agency:{agency}", (data.get("name") or agency, 0),
                len(_actions_of(graph, agency)), city=data.get("city"), **agency_about([agency]),
                **first_quotes([agency]))

    items = []
    for rank, (_, about) in enumerate(sorted(found, key=lambda pair: pair[0]), start=1):
        fields = {"document": None, "document_name": None, "city": None, "action": None, "action_name": None,
                  "agencies": (), "agency_names": (), "marks": (), **about}
        if not fields["marks"]:
            fields["marks"] = tuple(() for _ in fields["sentences"])
        items.append(ReviewItem(rank=rank, fixes=FIXES[about["kind"]], **fields))
    return items


def kind_counts(items: Iterable[ReviewItem]) -> dict[str, int]:
    """How many items of each kind, in the order of :data:`KINDS` (kinds with none left out)."""
    counts = {kind: 0 for kind in KINDS}
    for item in items:
        counts[item.kind] += 1
    return {kind: count for kind, count in counts.items() if count}
