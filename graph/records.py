"""From an extracted plan to graph records: the nodes and relationships of one document.

The records are plain dicts (a model's ``model_dump()``), ready for the batched
merges :mod:`graph.statements` generates for either store. Ids are stable
(content-derived), so loading the same document twice writes the same records.

>>> from loaders import extract_text
>>> records = document_records(extract_text("一、任务\\n(一)建平台。(牵头单位:市科技局)", "t.txt"))
>>> sorted(records.nodes)
['Action', 'Agency', 'AgencyKind', 'Document', 'Section']
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import schema
from loaders.knowledge import division_stem
from loaders.model import PlanDocument
from loaders.normalize import search_form
from loaders.targets import plan_year, year_of


@dataclass
class RelRecord:
    start_label: str
    start: str
    end_label: str
    end: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class GraphRecords:
    doc_id: str
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[str, list[RelRecord]] = field(default_factory=lambda: defaultdict(list))
    # Plans already in the store that these records are written in place of (a reload): what they
    # owned there is deleted first (GraphStore.write_records), so nothing of an earlier reading stays.
    replaces: set[str] = field(default_factory=set)

    def add_node(self, model: schema.Node) -> None:
        self.nodes[model.label].append(model.model_dump())

    def add_rel(self, rel_type: str, start_label: str, start: str, end_label: str, end: str,
                **properties: Any) -> None:
        model = schema.RELATIONSHIPS[rel_type]
        self.relationships[rel_type].append(
            RelRecord(start_label, start, end_label, end, model(**properties).model_dump()))

    def counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in self.nodes.items()} | {
            rel: len(rows) for rel, rows in self.relationships.items()}


def merge_records(batch: list[GraphRecords]) -> GraphRecords:
    """Several documents' records as one set, as loading them one after another would leave the graph.

    Nodes and relationships named by several documents appear once, by the schema's merge
    rules: ``UNION`` properties (an agency's aliases) united, the first document's properties
    kept for ``earliest_wins`` models, otherwise the later ones (as a later MERGE … SET would).
    """
    merged = GraphRecords(doc_id="+".join(r.doc_id for r in batch), replaces=set().union(*(r.replaces for r in batch)))
    nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    rels: dict[str, dict[tuple[str, str], RelRecord]] = defaultdict(dict)
    for records in batch:
        for label, rows in records.nodes.items():
            model = schema.NODES[label]
            for row in rows:
                known = nodes[label].get(row["id"])
                if known is not None:
                    row = merged_row(model, row, known)
                nodes[label][row["id"]] = row
        for rel_type, rels_of_type in records.relationships.items():
            model = schema.RELATIONSHIPS[rel_type]
            for rel in rels_of_type:
                known_rel = rels[rel_type].get((rel.start, rel.end))
                if known_rel is not None:
                    rel = RelRecord(rel.start_label, rel.start, rel.end_label, rel.end,
                                    merged_row(model, rel.properties, known_rel.properties))
                rels[rel_type][(rel.start, rel.end)] = rel
    for label, by_id in nodes.items():
        merged.nodes[label] = list(by_id.values())
    for rel_type, by_ends in rels.items():
        merged.relationships[rel_type] = list(by_ends.values())
    return merged


def merged_row(model: type[schema.Node] | type[schema.Relationship], row: dict[str, Any],
            known: dict[str, Any]) -> dict[str, Any]:
    """What ``row`` written over ``known`` leaves, by the schema's merge rules (see graph.schema)."""
    winner = known if model.earliest_wins and not _earlier(row, known) else row
    return {**winner, **{name: schema.union_lists(known.get(name), row.get(name)) for name in schema.united(model)}}


def _earlier(row: dict[str, Any], known: dict[str, Any]) -> bool:
    """Whether ``row`` comes from a document that wins over ``known``'s (see Node.earliest_wins)."""
    return known.get("doc_id") is None or (row.get("doc_id") or "") <= known["doc_id"]


def agency_id(canonical: str, government: str | None, national: bool, doc_id: str) -> str:
    """An agency's node id: its canonical name scoped by its government, so that no two
    governments' units share a node.

    A name that already starts with its government (鄂州市科技局, 仙桃高新区) is its own id; a
    unit that does not say where it is (高新区管委会, 干河街道) is prefixed with its government,
    as the name would be written in full (so 宜昌市高新区管委会 written so is the same unit);
    a national body (国家发展改革委) is one node for every plan; a unit of a plan whose
    government is unknown belongs to that document alone (two such 市科技局 need not be one).

    >>> agency_id("鄂州市科技局", "鄂州市", False, "d1"), agency_id("高新区管委会", "宜昌市", False, "d1")
    ('鄂州市科技局', '宜昌市高新区管委会')
    >>> agency_id("国家发展改革委", None, True, "d1"), agency_id("市科技局", None, False, "d1")
    ('国家发展改革委', 'd1/市科技局')
    """
    if national:
        return canonical
    if government is None:
        return f"{doc_id}/{canonical}"
    if canonical.startswith((government, division_stem(government))):
        return canonical
    return government + canonical


def entity_id(city: str | None, name: str) -> str:
    """Entities are scoped by the city of the document that names them: 鄂州市/临空经济区."""
    return f"{city}/{name}" if city else name


def document_records(doc: PlanDocument) -> GraphRecords:
    """Nodes and relationships of one document, deduplicated by id."""
    records = GraphRecords(doc.id)
    text = doc.text
    records.add_node(schema.Document(
        id=doc.id, source=Path(doc.source).name, title=doc.title, city=doc.city, province=doc.province,
        issuer=doc.issuer, level=doc.level, government_basis=doc.government_basis, published=doc.published,
        warnings=doc.warning_messages, text=text, correction=doc.correction,
        actions=len({action.id for action in doc.actions}), targets=len(doc.targets),
        given=doc.given.model_dump_json(exclude_none=True) if doc.given else None, reading=doc.reading))

    section_ids: dict[tuple[str, ...], str] = {}
    for section in doc.sections:
        records.add_node(schema.Section(
            id=section.id, number=section.number, title=section.title, level=section.level, path=section.path,
            doc_id=doc.id, span=list(section.span), quote=text[section.span[0] : section.span[1]]))
        section_ids[tuple(section.path)] = section.id
        parent = section_ids.get(tuple(section.path[:-1]))
        if parent:
            records.add_rel("HAS_SECTION", "Section", parent, "Section", section.id)
        else:
            records.add_rel("HAS_SECTION", "Document", doc.id, "Section", section.id)

    agencies: dict[str, schema.Agency] = {}
    kinds: dict[str, schema.AgencyKind] = {}
    includes: set[tuple[str, str]] = set()
    entity_nodes: dict[str, schema.Entity] = {}
    mentioned_in_actions: set[str] = set()
    targets_in_actions: set[tuple[int, int]] = set()
    role_rels: set[tuple[str, str, str]] = set()

    for seq, action in enumerate(doc.actions, start=1):
        records.add_node(schema.Action(
            id=action.id, number=action.number, kind=action.kind, title=action.title, text=action.text,
            note=action.note, section=action.section, city=doc.city, seq=seq, doc_id=doc.id,
            span=list(action.span), quote=text[action.span[0] : action.span[1]]))
        parent = section_ids.get(tuple(action.section))
        if parent:
            records.add_rel("HAS_ACTION", "Section", parent, "Action", action.id)
        else:
            records.add_rel("HAS_ACTION", "Document", doc.id, "Action", action.id)

        # A collective's members name it by canonical name: its id is that of the collective named here.
        ids = {ref.canonical: agency_id(ref.canonical, ref.government, ref.national, doc.id)
               for ref in action.agencies if not ref.derived_from}
        for ref in action.agencies:
            node_id = agency_id(ref.canonical, ref.government, ref.national, doc.id)
            agency = agencies.get(node_id)
            if agency is None:
                agency = agencies[node_id] = schema.Agency(
                    id=node_id, name=ref.canonical, city=ref.government, kind=ref.kind, type=ref.type,
                    collective=ref.collective)
            if ref.name not in agency.aliases:
                agency.aliases.append(ref.name)
            if ref.kind and ref.kind_en:
                kinds.setdefault(ref.kind, schema.AgencyKind(id=ref.kind, name=ref.kind, name_en=ref.kind_en))
            rel_type = schema.ROLE_RELATIONSHIPS[ref.role]
            if (rel_type, node_id, action.id) in role_rels:
                continue  # a unit named twice in one note keeps its first rank
            role_rels.add((rel_type, node_id, action.id))
            properties: dict[str, Any] = dict(
                rank=ref.rank, as_written=ref.name, derived_from=ref.derived_from, doc_id=doc.id,
                span=list(ref.span) if ref.span else None, quote=action.note, correction=ref.correction)
            if rel_type == "LEADS":
                properties["basis"] = ref.lead_basis
            records.add_rel(rel_type, "Agency", node_id, "Action", action.id, **properties)
            if ref.derived_from:
                includes.add((ids[ref.derived_from], node_id))

        for entity in action.entities:
            node_id = entity_id(doc.city, entity.name)
            mentioned_in_actions.add(node_id)
            records.add_rel("MENTIONS", "Action", action.id, entity.type, node_id, doc_id=doc.id,
                            span=list(entity.span), quote=_sentence(text, entity.span))
        for target in action.targets:
            targets_in_actions.add(tuple(target.span))

    for entity in doc.entities:
        node_id = entity_id(doc.city, entity.name)
        model = schema.NODES[entity.type]
        extra = {"post": entity.post} if entity.type == "Person" else {}
        entity_nodes[node_id] = model(id=node_id, name=entity.name, city=doc.city, doc_id=doc.id,
                                      span=list(entity.span), quote=_sentence(text, entity.span),
                                      correction=entity.correction, **extra)
        if node_id not in mentioned_in_actions:
            records.add_rel("MENTIONS", "Document", doc.id, entity.type, node_id, doc_id=doc.id,
                            span=list(entity.span), quote=_sentence(text, entity.span))
        if entity.located_in and entity.type in ("Park", "Platform"):
            records.add_rel("LOCATED_IN", entity.type, node_id, "District", entity_id(doc.city, entity.located_in),
                            doc_id=doc.id, span=list(entity.span), quote=_sentence(text, entity.span))

    # A target's owner is the action whose span holds it. Extracted actions come in text order with
    # disjoint spans, so a bisection over their starts finds it (a scan per target made a 20,000-row
    # table quadratic); actions in any other arrangement are scanned as before.
    from bisect import bisect_right

    action_starts = [a.span[0] for a in doc.actions]
    actions_in_order = all(a.span[1] <= b.span[0] for a, b in zip(doc.actions, doc.actions[1:], strict=False))
    # A target that gives no year takes the plan's, marked inferred; a year a person corrected is the
    # target's own by then (graph.corrections sets it on the plan before these records are made).
    year_of_plan = plan_year(doc.title, text[:_preamble_end(doc)])
    for number, target in enumerate(doc.targets, start=1):
        target_id = f"{doc.id}-t{number:03d}"
        year, inferred = year_of(target, year_of_plan)
        records.add_node(schema.Target(
            id=target_id, metric=target.metric, value=target.value, value_max=target.value_max, unit=target.unit,
            qualifier=target.qualifier, year=year, year_inferred=inferred, deadline=target.deadline, text=target.text,
            city=doc.city, doc_id=doc.id, span=list(target.span), quote=_sentence(text, target.span),
            correction=target.correction))
        if actions_in_order:
            index = bisect_right(action_starts, target.span[0]) - 1
            owner = doc.actions[index] if index >= 0 and target.span[0] < doc.actions[index].span[1] else None
        else:
            owner = next((a for a in doc.actions if a.span[0] <= target.span[0] < a.span[1]), None)
        if owner is not None:
            records.add_rel("SETS_TARGET", "Action", owner.id, "Target", target_id, doc_id=doc.id,
                            span=list(target.span), quote=target.text)
        else:
            records.add_rel("SETS_TARGET", "Document", doc.id, "Target", target_id, doc_id=doc.id,
                            span=list(target.span), quote=target.text)

    for agency in agencies.values():
        agency.aliases = schema.union_lists(agency.aliases)
        agency.alias_forms = schema.union_lists([search_form(alias) for alias in agency.aliases])
        records.add_node(agency)
        if agency.kind and agency.kind in kinds:
            records.add_rel("OF_KIND", "Agency", agency.id, "AgencyKind", agency.kind)
    for kind in kinds.values():
        records.add_node(kind)
    for collective, member in sorted(includes):
        records.add_rel("INCLUDES", "Agency", collective, "Agency", member, doc_id=doc.id)
    for node in entity_nodes.values():
        records.add_node(node)
    return records


def _preamble_end(doc: PlanDocument) -> int:
    """Where the plan's first heading or item starts: what is before it is its title and preamble (none
    if it has no items: a preamble is the text before them).

    >>> from loaders import extract_text
    >>> _preamble_end(extract_text("某市方案\\n力争到2027年。\\n一、任务\\n(一)建平台。(牵头单位:市科技局)", "t.txt"))
    15
    """
    return min((part.span[0] for part in (*doc.sections, *doc.actions)), default=0)


_SENTENCE_STOPS = re.compile("[。；;\n]")
# How far a quote reaches either side of its span. Unbounded, each quote searched the whole text
# for a stop a table never contains (；): a 20,000-row table cost seconds per thousand quotes.
QUOTE_REACH = 1000


def _sentence(text: str, span: tuple[int, int] | list[int]) -> str:
    """The sentence around a span (at most QUOTE_REACH characters either side), for provenance quotes.

    >>> _sentence("一、任务\\n建设平台，到2027年建成3个。推进应用。", (12, 14))
    '建设平台，到2027年建成3个。'
    """
    reach_start = max(0, span[0] - QUOTE_REACH)
    stops_before = [match.end() for match in _SENTENCE_STOPS.finditer(text, reach_start, span[0])]
    start = stops_before[-1] if stops_before else reach_start
    stop_after = _SENTENCE_STOPS.search(text, span[1], span[1] + QUOTE_REACH)
    end = stop_after.end() if stop_after else min(len(text), span[1] + QUOTE_REACH)
    return text[start:end].strip()
