"""From a file or a text to a :class:`PlanDocument`: the loaders' one entry point.

>>> doc = extract_text("一、重点任务\\n(一)建设算力中心。(牵头单位:市科技局;责任单位:市财政局)", "t.txt")
>>> [(a.name, a.role, a.lead_basis) for a in doc.actions[0].agencies]
[('市科技局', 'lead', 'explicit'), ('市财政局', 'responsible', None)]
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from pathlib import Path

from loaders.agencies import Government, collective_members, resolve_unit
from loaders.document import DocumentFacts, read_document_facts
from loaders.entities import assign_locations, find_entities, unit_place
from loaders.errors import ExtractionError, LoaderError, describe
from loaders.given import apply_given
from loaders.knowledge import divisions
from loaders.model import Action, AgencyRef, Entity, GivenGovernment, LoaderWarning, PlanDocument, Section, Target
from loaders.normalize import normalize_for_matching
from loaders.notes import (
    NoteRules,
    NoteSpan,
    UnitMention,
    assign_roles,
    colons_for_bracketed_labels,
    find_responsibility_note,
    learn_document_rules,
    read_note_units,
    read_unit_list,
)
from loaders.readers import DocumentText, read_document, reading_json
from loaders.structure import Item, action_kind, read_outline
from loaders.tables import TableHeading, TableRow, read_table_rows
from loaders.targets import find_targets
from loaders.warning import warning

HEADING_LEAD_RE = re.compile(r"(.{2,40}?)牵头(?:的|负责)?(?:工作|任务|事项)")
TITLE_MAX = 40
# find_targets is read over blocks of about this many characters, cut where no target can span the cut.
TARGET_BLOCK = 8192


def extract_path(path: str | Path, given: GivenGovernment | None = None) -> PlanDocument:
    """Read and extract one plan file (.txt, .docx, .pdf, .html); raises :class:`LoaderError`.

    ``given``: the plan's government as a person gives it (checked with :func:`loaders.given.check_given`).
    """
    source = str(path)
    return extract_document(read_document(path), source, given)


def extract_text(text: str, source: str = "<text>", given: GivenGovernment | None = None) -> PlanDocument:
    """Extract a plan given as text."""
    return extract_document(DocumentText(text=text.lstrip("\ufeff")), source, given)


def extract_document(document: DocumentText, source: str, given: GivenGovernment | None = None) -> PlanDocument:
    """Extract a plan from its text; raises :class:`LoaderError` and nothing else.

    A fault of the loaders on some text is an :class:`ExtractionError` naming the file, with
    the exception raised chained to it, so one file never stops the reading of others.
    """
    try:
        doc = _extract_document(document, source, given or None)
    except LoaderError:
        raise
    except Exception as error:
        raise ExtractionError(source, f"internal error while extracting ({describe(error)}); "
                                      "a bug in the loaders, not in the file") from error
    doc.given = given or None
    doc.reading = reading_json(document)
    return doc


def _extract_document(document: DocumentText, source: str, given: GivenGovernment | None) -> PlanDocument:
    text = document.text
    norm = colons_for_bracketed_labels(normalize_for_matching(text))
    tables = [(table, read_table_rows(table, norm)) for table in document.tables]
    responsibility_tables = [(table, rows) for table, rows in tables if rows]
    outline = read_outline(norm, skip=[table.span for table, _ in responsibility_tables], text=text)
    if not outline.items and not responsibility_tables:
        raise LoaderError(source, "no recognisable structure: no numbered items and no responsibility table")
    first_table = min((table.span[0] for table, _ in responsibility_tables), default=len(norm))
    facts = read_document_facts(text, norm, min(outline.preamble_end, first_table))
    if given:
        apply_given(facts, given)
    government = Government(province=facts.province, city=facts.city, district=facts.district,
                            county=facts.county)
    builder = _PlanBuilder(text, norm, source, facts, government, learn_document_rules(norm),
                           "given" if given else "document" if facts.city or facts.province else None)
    builder.add_outline(outline.items)
    item_starts = [item.start for item in outline.items]  # items come in text order
    for table, rows in responsibility_tables:
        builder.add_table(table.span[0], rows, outline.items, item_starts)
    # What a reader could not read surely in a table, and what was wrong with its header.
    table_warnings = [w for table, rows in tables for w in [*table.warnings, *(rows.warnings if rows else [])]]
    return builder.finish(outline.warnings + table_warnings)


class _PlanBuilder:
    """Collects sections and actions of one document; state is the document's running conventions."""

    def __init__(self, text: str, norm: str, source: str, facts: DocumentFacts,
                 government: Government, rules: NoteRules, government_basis: str | None) -> None:
        self.text, self.norm, self.source = text, norm, source
        self.facts, self.government, self.rules = facts, government, rules
        self.government_basis = government_basis
        self.doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        self.sections: list[Section] = []
        self.pending: list[dict] = []  # actions before entities and ids are known
        self.warnings: list[LoaderWarning] = list(facts.warnings)

    # -- outline -----------------------------------------------------------------------------
    def add_outline(self, items: list[Item]) -> None:
        for item in items:
            if item.is_section:
                self.sections.append(self._section(item))
            elif item.level >= 2 or self._note(item) is not None:
                self._add_item_action(item)

    def _heading(self, item: Item) -> str:
        return self.text[item.start : item.head_end].strip()

    def _section(self, item: Item) -> Section:
        path = [self._heading(a) for a in item.ancestors()] + [self._heading(item)]
        title = self.text[item.start + len(item.written_number) : item.head_end].strip()
        return Section(id=f"{self.doc_id}-s{len(self.sections) + 1:03d}", number=item.number, title=title,
                       level=item.level, path=path, span=(item.start, item.head_end))

    def _note(self, item: Item):
        return find_responsibility_note(self.norm, item.start + len(item.written_number), item.end)

    def _add_item_action(self, item: Item) -> None:
        body_start = item.start + len(item.written_number)
        note = self._note(item)
        if note is not None and note.later_notes:
            self._add_run_on_actions(item, note)
            return
        heading_leads = self._heading_leads(item)
        mentions = list(heading_leads)
        if note is not None:
            mentions += read_note_units(self.norm, note, self.rules, heading_leads=len(heading_leads))
        body = self.text[body_start : note.start] + self.text[note.end : item.end] if note else (
            self.text[body_start : item.end])
        head = self.text[body_start : min(item.head_end, note.start if note else item.head_end)]
        self._add_pending(item, head, body, (item.start, item.end), note, mentions)

    def _add_run_on_actions(self, item: Item, note: NoteSpan) -> None:
        """An item whose actions run on in one paragraph, each closed by its own note
        (…机制(省国资委牵头)。毫不动摇…(省经信委、省发改委负责)。): one action per note, all
        under the item's number, each titled by its first clause; text after the last note stays
        with the last action."""
        heading_leads = self._heading_leads(item)
        segment_start = item.start + len(item.written_number)
        first = True
        while note is not None:
            after = note.end
            while after < item.end and self.norm[after] in "。;. \t\n\u3000":  # norm is half-width
                after += 1
            following = find_responsibility_note(self.norm, after, item.end) if after < item.end else None
            segment_end = after if following is not None else item.end
            mentions = list(heading_leads) + read_note_units(self.norm, note, self.rules,
                                                             heading_leads=len(heading_leads))
            body = self.text[segment_start : note.start] + self.text[note.end : segment_end]
            head_end = min(item.head_end, note.start) if first else _first_sentence_end(self.norm, segment_start,
                                                                                         note.start)
            span = (item.start if first else segment_start, segment_end)
            self._add_pending(item, self.text[segment_start:head_end], body, span, note, mentions)
            segment_start, note, first = after, following, False

    def _add_pending(self, item: Item, head: str, body: str, span: tuple[int, int], note: NoteSpan | None,
                     mentions: list[UnitMention]) -> None:
        self.pending.append(dict(
            number=item.number,
            kind=action_kind(item, self._heading),
            section=[self._heading(a) for a in item.ancestors()],
            title=_title(head),
            text=_tidy(body),
            span=span,
            note=self.text[note.start : note.end] if note else None,
            note_span=(note.start, note.end) if note else None,
            mentions=mentions,
        ))

    def _heading_leads(self, item: Item) -> list[UnitMention]:
        """Units a heading names as lead for every item under it: 一、县XX局牵头工作（8项）."""
        for ancestor in reversed(item.ancestors()):
            start = ancestor.start + len(ancestor.written_number)
            match = HEADING_LEAD_RE.match(self.norm, start, ancestor.head_end)
            if match:
                leads = read_unit_list(self.norm, match.start(1), match.end(1), "lead", self.rules)
                for rank, mention in enumerate(leads, start=1):
                    mention.lead_basis, mention.rank = "explicit", rank
                return leads
        return []

    # -- tables ------------------------------------------------------------------------------
    def add_table(self, table_start: int, rows: list[TableRow | TableHeading], items: list[Item],
                  item_starts: list[int]) -> None:
        before = bisect_left(item_starts, table_start)  # items[before - 1] is the last one above the table
        enclosing = items[before - 1] if before else None
        base = [self._heading(a) for a in enclosing.ancestors()] + [self._heading(enclosing)] if (
            enclosing) else []
        group: list[str] = []
        for index, row in enumerate(rows, start=1):
            if isinstance(row, TableHeading):
                group = [row.title]
                continue
            mentions: list[UnitMention] = []
            for column, role in (("lead", "lead"), ("responsible", "responsible"), ("support", "support")):
                cell = row.columns.get(column)
                if cell is not None:
                    mentions += read_unit_list(self.norm, cell.span[0], cell.span[1], role, self.rules)
            assign_roles(mentions, self.rules)
            task_start, task_end = row.task.span
            self.pending.append(dict(
                number=row.number or str(index),
                kind="action",
                section=base + group,
                title=_title(self.text[task_start:task_end]),
                text=_tidy(self.text[task_start:task_end]),
                span=row.span,
                note=None,
                note_span=None,
                mentions=mentions,
                table_columns=row.columns,
            ))

    # -- finishing ---------------------------------------------------------------------------
    def finish(self, outline_warnings: list[LoaderWarning]) -> PlanDocument:
        self.pending.sort(key=lambda a: a["span"][0])
        note_spans = [a["note_span"] for a in self.pending if a["note_span"]]
        table_unit_spans = [c.span for a in self.pending for n, c in a.get("table_columns", {}).items()
                            if n in ("lead", "responsible", "support")]
        entities = [self._original(e) for e in find_entities(self.norm, skip=note_spans + table_unit_spans)]
        entities += self._table_people()
        assign_locations(entities, self.norm)
        targets = [self._original_target(t) for t in _targets(self.norm)]
        targets += self._table_deadlines()
        # Only administrative districts stand for "各区人民政府"; zones join through inclusion remarks.
        districts = _unique([e.name for e in entities if e.type == "District" and e.name in divisions()])
        # A town, street or zone that is a unit of a note is also a place the action reaches.
        entities = sorted(entities + self._unit_places(), key=lambda e: e.span)
        actions = []
        unknown_kinds: list[str] = []
        entities_in = _SpanLookup([e.span[0] for e in entities])
        targets_in = _SpanLookup([t.span[0] for t in targets])
        for number, pending in enumerate(self.pending, start=1):
            start, end = pending["span"]
            agencies = self._agency_refs(pending.pop("mentions"), districts, unknown_kinds)
            pending.pop("table_columns", None)
            actions.append(Action(
                id=f"{self.doc_id}-a{number:03d}",
                agencies=agencies,
                entities=_unique_entities(entities[i] for i in entities_in.between(start, end)),
                targets=[targets[i] for i in targets_in.between(start, end)],
                **pending,
            ))
        notes_not_understood = list({w.message: w for w in self.rules.warnings}.values())  # each said once
        warnings = self.warnings + outline_warnings + notes_not_understood
        unnoted = [a.number for a in actions if a.kind == "action" and not a.agencies]
        if unnoted:
            warnings.append(warning("actions_without_note", count=len(unnoted), numbers=", ".join(unnoted)))
        if unknown_kinds:
            warnings.append(warning("agencies_unknown_kind", names="、".join(_unique(unknown_kinds))))
        return PlanDocument(
            id=self.doc_id, source=self.source, title=self.facts.title, city=self.facts.city,
            province=self.facts.province, issuer=self.facts.issuer, level=self.facts.level,
            government_basis=self.government_basis,
            published=self.facts.published, addressees=self.facts.addressees, text=self.text,
            sections=self.sections, actions=actions, entities=_unique_entities(entities),
            targets=sorted(targets, key=lambda t: t.span), warnings=warnings,
        )

    def _agency_refs(self, mentions: list[UnitMention], districts: list[str],
                     unknown_kinds: list[str]) -> list[AgencyRef]:
        refs: list[AgencyRef] = []
        for mention in mentions:
            resolved = resolve_unit(mention.name, self.government, mention.level)
            name = self.text[mention.span[0] : mention.span[1]]
            refs.append(AgencyRef(
                name=name, canonical=resolved.canonical, kind=resolved.kind, kind_en=resolved.kind_en,
                type=resolved.type, role=mention.role, lead_basis=mention.lead_basis, rank=mention.rank,
                collective=resolved.collective, alias=mention.alias, span=mention.span,
                government=resolved.government, national=resolved.national,
            ))
            if resolved.type == "agency" and resolved.kind is None:
                unknown_kinds.append(name)
            if not resolved.collective:
                continue
            inclusion = mention.inclusion
            if mention.inclusion_standing:
                self.rules.standing_inclusions[mention.name] = inclusion
            elif not inclusion:
                inclusion = self.rules.standing_inclusions.get(mention.name, [])
            for member in collective_members(mention.name, self.facts.addressees, districts, inclusion):
                member_unit = resolve_unit(member, self.government)
                refs.append(AgencyRef(
                    name=member, canonical=member_unit.canonical, kind=member_unit.kind,
                    kind_en=member_unit.kind_en, type=member_unit.type, role=mention.role,
                    lead_basis=mention.lead_basis, rank=mention.rank, collective=member_unit.collective,
                    derived_from=resolved.canonical, government=member_unit.government,
                    national=member_unit.national,
                ))
        return refs

    def _original(self, entity: Entity) -> Entity:
        return entity.model_copy(update={"name": self.text[entity.span[0] : entity.span[1]]})

    def _original_target(self, target: Target) -> Target:
        return target.model_copy(update={"text": self.text[target.span[0] : target.span[1]]})

    def _unit_places(self) -> list[Entity]:
        """Districts the units of notes and tables name: 干河街道, 仙桃高新区 (of 仙桃高新区管委会)."""
        places = []
        for pending in self.pending:
            for mention in pending["mentions"]:
                place = unit_place(mention.name)
                start = mention.span[0]
                if place and self.norm.startswith(place, start):
                    places.append(Entity(type="District", name=self.text[start : start + len(place)],
                                         span=(start, start + len(place))))
        return places

    def _table_people(self) -> list[Entity]:
        people = []
        for pending in self.pending:
            cell = pending.get("table_columns", {}).get("leader")
            if cell is not None and cell.text.strip():
                people.append(Entity(type="Person", name=cell.text.strip(), span=cell.span))
        return people

    def _table_deadlines(self) -> list[Target]:
        deadlines = []
        for pending in self.pending:
            cell = pending.get("table_columns", {}).get("deadline")
            if cell is None or not cell.text.strip():
                continue
            year = re.search(r"(\d{4})\s*年", self.norm[cell.span[0] : cell.span[1]])
            deadlines.append(Target(year=int(year.group(1)) if year else None, deadline=cell.text.strip(),
                                    metric=pending["title"], text=cell.text.strip(), span=cell.span))
        return deadlines


class _SpanLookup:
    """Which of a list of positions fall in ``[start, end)``, in list order, by bisection (not a scan per action)."""

    def __init__(self, positions: Sequence[int]) -> None:
        self._order = sorted(range(len(positions)), key=positions.__getitem__)
        self._sorted = [positions[i] for i in self._order]

    def between(self, start: int, end: int) -> list[int]:
        low = bisect_left(self._sorted, start)
        high = bisect_left(self._sorted, end, low)
        return sorted(self._order[low:high])


def _targets(norm: str) -> list[Target]:
    """``find_targets(norm)``, read block by block: what one call costs grows with the square of its targets.

    A block ends at a line break no target can run across: one not after a digit, a space or a
    range word (至, 到, -, ~ ...; a number's unit may follow on the next line). The next block
    starts at that line break, and each call is given the whole text with its block's bounds, so
    around every match it sees what a call over the whole text sees.
    """
    targets: list[Target] = []
    start = 0
    while start < len(norm):
        end = _safe_break(norm, start + TARGET_BLOCK)
        targets.extend(find_targets(norm, start, end))
        start = end
    return targets


def _safe_break(norm: str, position: int) -> int:
    """The first line break at or after ``position`` that no target runs across, or the text's end."""
    while 0 <= position < len(norm):
        position = norm.find("\n", position)
        if position < 0:
            break
        before = norm[position - 1]
        if not (before.isdecimal() or before.isspace() or before in "至到-~—～."):
            return position
        position += 1
    return len(norm)


def _first_sentence_end(norm: str, start: int, end: int) -> int:
    """Where the sentence opening at ``start`` ends (its 。), at most ``end``."""
    stop = norm.find("。", start, end)
    return end if stop < 0 else stop


def _title(head: str) -> str:
    head = head.strip()
    for stop in ("。", "；", ";"):
        if stop in head:
            head = head.split(stop, 1)[0]
            break
    return head.strip()[:TITLE_MAX] if len(head.strip()) > TITLE_MAX else head.strip()


def _tidy(body: str) -> str:
    return re.sub(r"\s*\n\s*", "\n", body).strip()


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _unique_entities(entities: Iterable[Entity]) -> list[Entity]:
    seen: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        seen.setdefault((entity.type, entity.name), entity)
    return list(seen.values())
