"""People's corrections of the graph: kept in the store, applied on every load, undone at will.

A correction names what it corrects by stable identity — a document by the id it was made on
and its file name, an action by its number, headings and title, an agency by its canonical name
and government, an entity by name, type and government, a target by its action and metric — so
that it finds its fact again when the document is loaded again, in a new version of its file,
or into a graph rebuilt from scratch. Its kinds are data (``data/corrections/kinds.toml``).

One rule makes the graph: *extract, then apply every active correction in the order they were
made*. The load path applies them to each plan before its records are written
(:func:`corrected_records`); making or undoing a correction extracts the plans it touches again
from what the store keeps of them (their text, their reader's tables and the government a person
gave) and rewrites them in one transaction (:func:`record`, :func:`undo`). So the later of two
corrections of one fact wins, the earlier stays in the history, and undo restores exactly what
the loaders gave.

>>> from loaders import extract_text
>>> doc = extract_text("一、任务\\n(一)建平台。(牵头单位:市科技局)", "t.txt")
>>> lead = Correction(id="c-1", kind="lead", document=DocumentKey(source="t.txt", id=doc.id),
...                   action=ActionKey(number="（一）"), role="lead",
...                   agencies=[AgencyKey(id="d/市数据局", name="市数据局", type="agency")],
...                   who="ann", at="2026-01-01T00:00:00+00:00", why="the note is wrong")
>>> fixed, outcomes = apply_to_document(doc, [lead])
>>> [(ref.canonical, ref.lead_basis, ref.correction) for ref in fixed.actions[0].agencies]
[('市数据局', 'corrected', 'c-1')]
>>> outcomes[0].code
'applied'
"""

from __future__ import annotations

import base64
import getpass
import json
import tomllib
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from graph import schema, statements
from graph.errors import Explained
from graph.records import GraphRecords, agency_id, document_records, entity_id, merge_records
from graph.store import GraphStore, Runner, documents_touching, shared_nodes_of
from loaders.knowledge import kind_names_en
from loaders.model import AgencyRef, GivenGovernment, PlanDocument
from loaders.normalize import search_form

KINDS_FILE = Path(__file__).resolve().parent.parent / "data" / "corrections" / "kinds.toml"
ROLE_ORDER = {"lead": 0, "responsible": 1, "support": 2}


class CorrectionError(Explained):
    """A correction that cannot be made (or a file of corrections that cannot be read): one line, by a code
    whose words are in ``data/errors.toml``."""


# -- kinds ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    name: str
    scope: Literal["document", "action", "agency", "entity", "target", "review"]
    operation: str
    en: str
    zh: str
    fields: tuple[str, ...] = ()
    role: str | None = None


@cache
def _vocabulary() -> dict[str, Any]:
    with KINDS_FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def kinds() -> dict[str, Kind]:
    """The kinds of ``data/corrections/kinds.toml`` by name.

    >>> kinds()["lead"].operation, kinds()["lead"].role
    ('set-units', 'lead')
    """
    return {name: Kind(name=name, scope=entry["scope"], operation=entry["operation"], en=entry["en"],
                       zh=entry["zh"], fields=tuple(entry.get("fields", ())), role=entry.get("role"))
            for name, entry in _vocabulary()["kinds"].items()}


def outcome_text(code: str, values: dict[str, str], lang: str = "en") -> str:
    """An outcome in words (``data/corrections/kinds.toml [outcomes]``).

    >>> outcome_text("action_gone", {"document": "t.txt", "action": "（三）"})
    't.txt has no action （三） any more'
    """
    return _vocabulary()["outcomes"][code][lang].format_map(values)


# -- what a correction is ------------------------------------------------------------------------
class DocumentKey(BaseModel):
    """A document: the id it was made on, and its file name, which a new version of the file keeps."""

    source: str
    id: str | None = None
    title: str | None = None


class ActionKey(BaseModel):
    """An action: its number under its headings; its title when the numbering moved."""

    number: str
    section: list[str] = Field(default_factory=list)
    title: str | None = None

    def shown(self) -> str:
        return f"{self.number} {self.title}" if self.title else self.number


class AgencyKey(BaseModel):
    """An agency by its canonical name and government, with what a unit of a note needs to be one."""

    id: str
    name: str
    city: str | None = None
    national: bool = False
    kind: str | None = None
    type: str = "agency"
    collective: bool = False
    as_written: str | None = Field(None, description="the name as the person chose it (the alias found)")


class EntityKey(BaseModel):
    name: str
    type: str
    city: str | None = None

    @property
    def id(self) -> str:
        return entity_id(self.city, self.name)


class Correction(BaseModel):
    """One correction. ``values`` holds what it sets (title, published, city/province/level, name, type,
    value/unit/year); ``agencies`` the units it sets (for ``merge``: the absorbed one, then the one kept)."""

    id: str
    kind: str
    document: DocumentKey | None = None
    action: ActionKey | None = None
    role: str | None = None
    agencies: list[AgencyKey] = Field(default_factory=list)
    entity: EntityKey | None = None
    metric: str | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    who: str
    at: str
    why: str
    status: Literal["active", "undone"] = "active"
    undone_at: str | None = None
    undone_by: str | None = None
    extracted: Any = Field(None, description="what the loaders gave for the fact when it was last applied")
    outcome: dict[str, Any] | None = Field(None, description="{code, values}: applied, or why not, when last applied")

    @property
    def is_global(self) -> bool:
        """About agencies or entities, wherever plans name them (not one document's)."""
        return self.spec.scope in ("agency", "entity")

    @property
    def spec(self) -> Kind:
        return kinds()[self.kind]

    def describe(self, language: str = "en") -> str:
        """What it corrects and sets, in a line (``corrections list``; the explorer in its language).

        >>> c = Correction(id="c-1", kind="remove", who="w", at="t", why="y", document=DocumentKey(source="a.txt"))
        >>> c.describe(), c.describe("zh")
        ('a.txt: removed', 'a.txt: 已移除')
        """
        spec = self.spec
        words = _vocabulary()["describe"]

        def word(entry: dict[str, Any] | None, fallback: str) -> str:
            return (entry or {}).get(language) or fallback

        where = [self.document.source if self.document else None, self.action.shown() if self.action else None]
        target = " ".join(part for part in where if part)
        if spec.scope == "entity" and self.entity:
            target = f"{self.entity.type} {self.entity.name}" + (f" ({self.entity.city})" if self.entity.city else "")
        if spec.scope == "target":
            target += f" · {self.metric}"
        names = "、".join(key.name for key in self.agencies)
        if spec.operation == "merge":
            change = f"{self.agencies[0].name} → {self.agencies[1].name}"
        elif spec.operation in ("set-units", "add-unit"):
            role = self.role or spec.role or ""
            change = f"{word(words['role'].get(role), role)}: {names}"
        elif spec.operation == "remove-unit":
            change = f"− {names}"
        elif spec.operation == "rename":
            change = f"{names} → {self.values.get('name')}"
        elif spec.operation == "remove-document":
            change = word(words["removed"], "removed")
        elif spec.operation == "reject":
            change = word(words["rejected"], "rejected")
        else:
            change = ", ".join(f"{word(words['field'].get(key), key)}={value}" for key, value in self.values.items()
                               if key != "stored")
        return f"{target}: {change}" if target else change


def new_id() -> str:
    return "c-" + uuid.uuid4().hex[:10]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def default_who() -> str:
    """Who makes a correction when nobody says: the operating system's user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def ordered(corrections: Iterable[Correction]) -> list[Correction]:
    """In the order they were made: a later correction of a fact wins."""
    return sorted(corrections, key=lambda c: (c.at, c.id))


# -- stored as nodes ------------------------------------------------------------------------------
_TARGET_FIELDS = ("document", "action", "role", "entity", "metric")
_CHANGE_FIELDS = ("agencies", "values")


def to_row(correction: Correction) -> dict[str, Any]:
    """The ``Correction`` node's properties (see graph.schema.Correction)."""
    data = correction.model_dump(mode="json")
    target = {key: data[key] for key in _TARGET_FIELDS if data[key] is not None}
    change = {key: data[key] for key in _CHANGE_FIELDS if data[key]}
    return schema.Correction(
        id=correction.id, kind=correction.kind, document=correction.document.source if correction.document else None,
        document_id=correction.document.id if correction.document else None,
        target=json.dumps(target, ensure_ascii=False, sort_keys=True),
        change=json.dumps(change, ensure_ascii=False, sort_keys=True), who=correction.who, at=correction.at,
        why=correction.why, status=correction.status, undone_at=correction.undone_at, undone_by=correction.undone_by,
        extracted=None if correction.extracted is None else json.dumps(correction.extracted, ensure_ascii=False),
        outcome=None if correction.outcome is None else json.dumps(correction.outcome, ensure_ascii=False)).model_dump()


def from_row(row: dict[str, Any]) -> Correction:
    target, change = json.loads(row["target"]), json.loads(row["change"])
    return Correction(id=row["id"], kind=row["kind"], who=row["who"], at=row["at"], why=row["why"],
                      status=row["status"], undone_at=row.get("undone_at"), undone_by=row.get("undone_by"),
                      extracted=json.loads(row["extracted"]) if row.get("extracted") else None,
                      outcome=json.loads(row["outcome"]) if row.get("outcome") else None, **target, **change)


_COLUMNS = tuple(schema.properties(schema.Correction))
READ_CORRECTIONS = "MATCH (c:Correction) RETURN " + ", ".join(f"c.{name}" for name in _COLUMNS) + " ORDER BY c.at, c.id"


def read_corrections(store: GraphStore) -> list[Correction]:
    """Every correction in the store, active and undone, in the order they were made."""
    return [from_row(dict(zip(_COLUMNS, row, strict=True))) for row in store.read_all(READ_CORRECTIONS)]


def _read_in(run: Runner) -> list[Correction]:
    return [from_row(dict(zip(_COLUMNS, row, strict=True))) for row in run(READ_CORRECTIONS, {})]


def _write_corrections(store: GraphStore, run: Runner, corrections: list[Correction]) -> None:
    store.merge_node_rows(run, schema.Correction, [to_row(correction) for correction in corrections])


# -- applying them to a plan -----------------------------------------------------------------------
@dataclass
class Outcome:
    """What became of one correction on one plan: ``applied``, or why not (a code of kinds.toml)."""

    id: str
    code: str
    values: dict[str, str] = field(default_factory=dict)
    extracted: Any = None
    changed: bool = True  # False: the plan already read so (a correction that sets what is there)
    whole_graph: bool = False  # found for the whole graph, not one plan: an agency no plan names is gone

    @property
    def applied(self) -> bool:
        return self.code == "applied"

    def text(self, lang: str = "en") -> str:
        return outcome_text(self.code, self.values, lang)


def applies_to(correction: Correction, doc_id: str, source: str, present: dict[str, str],
               names: Counter[str] | None = None) -> bool:
    """Whether a document-scoped correction is about this plan: the one it was made on, or, when that
    one is not in the graph, the one plan of its file name (``present``: id → file name of the plans
    in the graph; ``names``: how many plans have each file name, counted from it if not given).
    Corrections of agencies and entities are about every plan."""
    key = correction.document
    if key is None:
        return True
    if key.id == doc_id:
        return True
    if key.id in present or Path(source).name != key.source:
        return False
    count = names[key.source] if names is not None else sum(1 for name in present.values() if name == key.source)
    return count <= 1


class Applicable:
    """The active corrections indexed for a load: those of each plan found without a scan of them all.

    >>> index = Applicable([], {})
    >>> index.for_document("d1", "t.txt")
    []
    """

    def __init__(self, corrections: Iterable[Correction], present: dict[str, str]) -> None:
        self.present = dict(present)
        self.names = Counter(self.present.values())
        self.everywhere: list[Correction] = []
        self.by_source: dict[str, list[Correction]] = {}
        self.by_document: dict[str, list[Correction]] = {}
        for correction in ordered(c for c in corrections if c.status == "active"):
            if correction.document is None:
                self.everywhere.append(correction)
            else:
                self.by_source.setdefault(correction.document.source, []).append(correction)
                if correction.document.id:
                    self.by_document.setdefault(correction.document.id, []).append(correction)

    def __bool__(self) -> bool:
        return bool(self.everywhere or self.by_source)

    def add(self, doc_id: str, source: str) -> None:
        """A plan now in the graph (or about to be)."""
        if doc_id not in self.present:
            self.present[doc_id] = Path(source).name
            self.names[Path(source).name] += 1

    def for_document(self, doc_id: str, source: str) -> list[Correction]:
        mine = [c for c in self.by_source.get(Path(source).name, ())
                if applies_to(c, doc_id, source, self.present, self.names)]
        # A correction made on this plan under another file name (renamed since) follows its id.
        mine += [c for c in self.by_document.get(doc_id, ()) if c.document.source != Path(source).name]
        return ordered(mine + self.everywhere)



def removal_in(corrections: list[Correction]) -> Correction | None:
    """The correction among a plan's own (``Applicable.for_document``) that removes it, if one does."""
    return next((c for c in corrections if c.spec.operation == "remove-document"), None)


def apply_to_document(doc: PlanDocument, corrections: list[Correction]) -> tuple[PlanDocument, list[Outcome]]:
    """The plan with the corrections that concern it applied, in order; an outcome for each.

    Corrections of the government come first: they extract the plan again with the government
    given (every unit is scoped by it), then the others apply to that reading.
    """
    corrections = ordered(c for c in corrections if c.status == "active")
    outcomes: list[Outcome] = []
    governments = [c for c in corrections if c.spec.operation == "set-government"]
    if governments:
        extracted = {name: getattr(doc, name) for name in ("city", "province", "level")}
        doc = _with_government(doc, governments)
        outcomes += [Outcome(c.id, "applied", extracted=extracted) for c in governments]
    pristine = doc
    if any(c.spec.operation in _APPLIERS for c in corrections):
        # Copy on write: the plan and its lists are new, and every applier copies what it changes
        # (an action, an entity, a target) instead of changing it, so ``pristine`` stays as read.
        # A deep copy of every plan cost more than all the rest of applying 1,000 corrections.
        doc = doc.model_copy(update={"actions": list(doc.actions), "entities": list(doc.entities),
                                     "targets": list(doc.targets)})
    for correction in corrections:
        operation = correction.spec.operation
        if operation not in _APPLIERS:
            continue  # before extraction (government), on the records (agencies) or before loading (removal)
        outcome = _APPLIERS[operation](doc, correction)
        if outcome.applied:
            outcome.extracted = _extracted(pristine, correction)
        outcomes.append(outcome)
    return doc, outcomes


def _extracted(doc: PlanDocument, correction: Correction) -> Any:
    """What the loaders gave for the fact a correction sets (its history's first line)."""
    operation = correction.spec.operation
    if operation == "set-document-field":
        return {name: getattr(doc, name) for name in correction.spec.fields}
    if operation in ("set-units", "add-unit", "remove-unit"):
        action = _find_action(doc, correction.action)
        if action is None:
            return None
        if operation == "set-units":
            return _units(action, correction.spec.role)
        return {role: _units(action, role) for role in ROLE_ORDER}
    if operation in ("retype", "reject"):
        return {"type": correction.entity.type}
    if operation == "set-target":
        targets = [t for t in doc.targets if t.metric == correction.metric]
        return {name: getattr(targets[0], name) for name in correction.spec.fields} if targets else None
    return None


def _with_government(doc: PlanDocument, governments: list[Correction]) -> PlanDocument:
    from loaders.extract import extract_document
    from loaders.readers import document_text

    given = (doc.given or GivenGovernment()).model_dump()
    for correction in governments:
        given.update({key: value for key, value in correction.values.items() if key in ("city", "province", "level")})
    again = extract_document(document_text(doc.text, doc.reading), doc.source, GivenGovernment(**given))
    again.correction = governments[-1].id
    return again


def _document_values(doc: PlanDocument) -> dict[str, str]:
    return {"document": Path(doc.source).name}


def _set_document_field(doc: PlanDocument, correction: Correction) -> Outcome:
    before = {name: getattr(doc, name) for name in correction.spec.fields}
    for name in correction.spec.fields:
        setattr(doc, name, correction.values.get(name))
    doc.correction = correction.id
    return Outcome(correction.id, "applied", changed=before != {name: getattr(doc, name)
                                                                for name in correction.spec.fields})


def _find_action(doc: PlanDocument, key: ActionKey):
    """The action of ``key``: by number under the same headings, else by number alone if one, else by title."""
    by_place = [a for a in doc.actions if a.number == key.number and (not key.section or a.section == key.section)]
    if len(by_place) == 1:
        return by_place[0]
    by_number = [a for a in doc.actions if a.number == key.number]
    if len(by_number) == 1 and not by_place:
        return by_number[0]
    by_title = [a for a in doc.actions if key.title and a.title == key.title]
    return by_title[0] if len(by_title) == 1 else None


def _action_or_gone(doc: PlanDocument, correction: Correction):
    """The action a correction is about, as a copy of its own in the plan's list (so that changing it
    leaves the plan it was copied from as it was), or the outcome that says it is gone."""
    action = _find_action(doc, correction.action) if correction.action else None
    if action is None:
        values = _document_values(doc) | {"action": correction.action.shown() if correction.action else "?"}
        return None, Outcome(correction.id, "action_gone", values)
    index = next(i for i, candidate in enumerate(doc.actions) if candidate is action)
    doc.actions[index] = action = action.model_copy()
    return action, None


def _ref_id(ref: AgencyRef, doc: PlanDocument) -> str:
    return agency_id(ref.canonical, ref.government, ref.national, doc.id)


def _ref_of(key: AgencyKey, role: str, correction: Correction) -> AgencyRef:
    kind_en = kind_names_en().get(key.kind) if key.kind else None
    return AgencyRef(name=key.as_written or key.name, canonical=key.name, kind=key.kind, kind_en=kind_en,
                     type=key.type, role=role, lead_basis="corrected" if role == "lead" else None, rank=0,
                     collective=key.collective, government=key.city, national=key.national,
                     correction=correction.id)


def _units(action, role: str | None = None) -> list[str]:
    return [ref.canonical for ref in action.agencies if (role is None or ref.role == role) and not ref.derived_from]


def _renumbered(refs: list[AgencyRef]) -> list[AgencyRef]:
    """Leads, then responsible, then support units, each in their order; ranks from 1 again."""
    ordered_refs = sorted(enumerate(refs), key=lambda pair: (ROLE_ORDER[pair[1].role], pair[0]))
    return [ref.model_copy(update={"rank": rank}) for rank, (_, ref) in enumerate(ordered_refs, start=1)]


def _set_units(doc: PlanDocument, correction: Correction) -> Outcome:
    action, gone = _action_or_gone(doc, correction)
    if gone:
        return gone
    role = correction.spec.role or correction.role
    removed = {ref.canonical for ref in action.agencies if ref.role == role}
    kept = [ref for ref in action.agencies if ref.role != role and ref.derived_from not in removed]
    wanted = {key.id for key in correction.agencies}
    kept = [ref for ref in kept if _ref_id(ref, doc) not in wanted]  # a unit has one role in an action
    before = _roles(action)
    action.agencies = _renumbered(kept + [_ref_of(key, role, correction) for key in correction.agencies])
    return Outcome(correction.id, "applied", changed=_roles(action) != before)


def _roles(action) -> list[tuple[str, str]]:
    """The action's units and roles in order: what a correction of its units changes."""
    return [(ref.canonical, ref.role) for ref in action.agencies if not ref.derived_from]


def _without(action, key: AgencyKey, doc: PlanDocument) -> list[AgencyRef]:
    """The action's units but this one (and the members a collective it is was expanded into)."""
    return [ref for ref in action.agencies if _ref_id(ref, doc) != key.id and ref.derived_from != key.name]


def _add_unit(doc: PlanDocument, correction: Correction) -> Outcome:
    action, gone = _action_or_gone(doc, correction)
    if gone:
        return gone
    key = correction.agencies[0]
    kept, before = _without(action, key, doc), _roles(action)
    action.agencies = _renumbered([*kept, _ref_of(key, correction.role or "support", correction)])
    return Outcome(correction.id, "applied", changed=sorted(_roles(action)) != sorted(before))


def _remove_unit(doc: PlanDocument, correction: Correction) -> Outcome:
    action, gone = _action_or_gone(doc, correction)
    if gone:
        return gone
    key = correction.agencies[0]
    kept = _without(action, key, doc)
    if len(kept) == len(action.agencies):
        return Outcome(correction.id, "unit_not_in_action",
                       _document_values(doc) | {"agency": key.name, "action": correction.action.shown()})
    action.agencies = _renumbered(kept)
    return Outcome(correction.id, "applied")


def _is(entity, key: EntityKey) -> bool:
    return entity.name == key.name and entity.type == key.type


def _replace_entities(doc: PlanDocument, key: EntityKey, change: Callable[[Any], Any | None]) -> int:
    """Every record of the entity in the plan (its list and its actions') replaced by ``change(entity)``
    (None drops it), on copies; how many there were. Nothing of an entity of another city."""
    if key.city != doc.city:
        return 0
    found = sum(1 for entity in doc.entities if _is(entity, key))

    def changed(entities: list) -> list:
        return [new for new in (change(e) if _is(e, key) else e for e in entities) if new is not None]

    doc.entities = changed(doc.entities)
    for index, action in enumerate(doc.actions):
        if any(_is(entity, key) for entity in action.entities):
            found += 1
            doc.actions[index] = action.model_copy(update={"entities": changed(action.entities)})
    return found


def _retype(doc: PlanDocument, correction: Correction) -> Outcome:
    new_type = correction.values["type"]
    located = new_type in ("Park", "Platform")
    found = _replace_entities(doc, correction.entity, lambda entity: entity.model_copy(update={
        "type": new_type, "correction": correction.id, "located_in": entity.located_in if located else None}))
    return _entity_outcome(correction, found)


def _reject(doc: PlanDocument, correction: Correction) -> Outcome:
    key = correction.entity
    found = _replace_entities(doc, key, lambda _entity: None)
    if found and key.type == "District":  # what was placed in it is placed nowhere now
        doc.entities = [entity.model_copy(update={"located_in": None}) if entity.located_in == key.name else entity
                        for entity in doc.entities]
    return _entity_outcome(correction, found)


def _entity_outcome(correction: Correction, found: int) -> Outcome:
    key = correction.entity
    if not found:  # another plan may name it: whether it is gone is the whole graph's question
        return Outcome(correction.id, "entity_gone", {"type": key.type, "entity": key.name})
    return Outcome(correction.id, "applied")


def _set_target(doc: PlanDocument, correction: Correction) -> Outcome:
    if correction.action is not None:
        action, gone = _action_or_gone(doc, correction)
        if gone:
            return gone
        spans = {tuple(target.span) for target in action.targets}
        candidates = [t for t in doc.targets if tuple(t.span) in spans and t.metric == correction.metric]
    else:
        candidates = [t for t in doc.targets if t.metric == correction.metric]
    if not candidates:
        return Outcome(correction.id, "target_gone", _document_values(doc) | {"metric": correction.metric or "?"})
    target = candidates[0]
    changed = any(getattr(target, name) != value for name, value in correction.values.items())
    update = {**correction.values, "correction": correction.id}

    def fixed(targets: list) -> list:
        return [t.model_copy(update=update) if tuple(t.span) == tuple(target.span) and t.metric == target.metric
                else t for t in targets]

    doc.targets = fixed(doc.targets)
    for index, action in enumerate(doc.actions):  # the action's list holds the plan's targets too
        if any(tuple(t.span) == tuple(target.span) for t in action.targets):
            doc.actions[index] = action.model_copy(update={"targets": fixed(action.targets)})
    return Outcome(correction.id, "applied", changed=changed)


_APPLIERS: dict[str, Callable[[PlanDocument, Correction], Outcome]] = {
    "set-document-field": _set_document_field, "set-units": _set_units, "add-unit": _add_unit,
    "remove-unit": _remove_unit, "retype": _retype, "reject": _reject, "set-target": _set_target,
}


# -- applying them to records (agencies are shared by plans) ---------------------------------------
def apply_to_records(records: GraphRecords, corrections: list[Correction]) -> list[Outcome]:
    """Merges and renames of agencies, on one plan's records (agency ids are the records')."""
    outcomes = []
    for correction in ordered(c for c in corrections if c.status == "active"):
        operation = correction.spec.operation
        if operation == "merge":
            outcomes.append(_merge(records, correction))
        elif operation == "rename":
            outcomes.append(_rename(records, correction))
    return outcomes


def _agency_rows(records: GraphRecords) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in records.nodes.get("Agency", [])}


def _not_here(correction: Correction, key: AgencyKey) -> Outcome:
    return Outcome(correction.id, "agency_gone", {"agency": key.name})


def _rename(records: GraphRecords, correction: Correction) -> Outcome:
    key = correction.agencies[0]
    row = _agency_rows(records).get(key.id)
    if row is None:
        return _not_here(correction, key)
    extracted = {"name": row["name"]}
    row["aliases"] = schema.union_lists(row["aliases"], [row["name"]])
    row["alias_forms"] = schema.union_lists([search_form(alias) for alias in row["aliases"]])
    row["name"] = correction.values["name"]
    row["correction"] = correction.id
    return Outcome(correction.id, "applied", extracted=extracted)


def _merge(records: GraphRecords, correction: Correction) -> Outcome:
    absorbed, kept = correction.agencies
    rows = _agency_rows(records)
    gone = rows.get(absorbed.id)
    if gone is None:
        return _not_here(correction, absorbed)
    target = rows.get(kept.id)
    if target is None:
        target = schema.Agency(id=kept.id, name=kept.name, city=kept.city, kind=kept.kind, type=kept.type,
                               collective=kept.collective).model_dump()
        records.nodes["Agency"].append(target)
    target["aliases"] = schema.union_lists(target["aliases"], gone["aliases"], [gone["name"]])
    target["alias_forms"] = schema.union_lists([search_form(alias) for alias in target["aliases"]])
    target["correction"] = correction.id
    records.nodes["Agency"] = [row for row in records.nodes["Agency"] if row["id"] != absorbed.id]
    for rel_type, rels in list(records.relationships.items()):
        by_ends: dict[tuple[str, str], Any] = {}
        for rel in rels:
            if rel_type == "OF_KIND" and rel.start == absorbed.id:
                continue  # the kept agency has its own kind
            moved = absorbed.id in (rel.start, rel.end)
            rel.start = kept.id if rel.start == absorbed.id else rel.start
            rel.end = kept.id if rel.end == absorbed.id else rel.end
            if moved and "correction" in rel.properties:
                rel.properties["correction"] = correction.id
            if rel.start == rel.end:
                continue  # a collective merged into its member
            known = by_ends.get((rel.start, rel.end))
            if known is None or (rel.properties.get("rank") or 0) < (known.properties.get("rank") or 0):
                by_ends[(rel.start, rel.end)] = rel
        records.relationships[rel_type] = list(by_ends.values())
    return Outcome(correction.id, "applied", extracted={"name": gone["name"], "aliases": gone["aliases"]})


def corrected_records(doc: PlanDocument, mine: list[Correction]) -> tuple[GraphRecords, list[Outcome]]:
    """The records of a plan with its corrections (``Applicable.for_document``) applied: what a load writes."""
    if not mine:
        return document_records(doc), []
    doc, outcomes = apply_to_document(doc, mine)
    records = document_records(doc)
    outcomes += apply_to_records(records, mine)
    return records, outcomes


# -- rewriting plans in the store ---------------------------------------------------------------------
@dataclass
class Rewrite:
    """What one correction, undo or import did to the graph."""

    documents: list[str] = field(default_factory=list)  # plans extracted again and rewritten
    removed: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    corrections: dict[str, Correction] = field(default_factory=dict)  # the store's, by id

    def problems(self) -> list[Outcome]:
        """One outcome per correction that could not apply (an agency one plan lacks is no problem)."""
        return [outcome for outcome in summary(self.outcomes, self.corrections).values() if not outcome.applied]


def _stored_documents(run: Runner, doc_ids: set[str]) -> dict[str, dict[str, Any]]:
    rows = run("MATCH (d:Document) WHERE d.id IN $ids RETURN d.id, d.source, d.text, d.reading, d.given",
               {"ids": sorted(doc_ids)})
    return {row[0]: {"id": row[0], "source": row[1], "text": row[2], "reading": row[3], "given": row[4]}
            for row in rows}


def extract_stored(stored: dict[str, Any]) -> PlanDocument:
    """A plan extracted again from what the store keeps of it, as it was loaded (a person's government too)."""
    from loaders.extract import extract_document
    from loaders.readers import document_text

    given = GivenGovernment(**json.loads(stored["given"])) if stored.get("given") else None
    return extract_document(document_text(stored["text"], stored.get("reading")), stored["source"], given)


def _present(run: Runner) -> dict[str, str]:
    return {row[0]: row[1] for row in run(statements.DOCUMENT_SOURCES, {})}


def rewrite(store: GraphStore, run: Runner, doc_ids: set[str], shared: set[str] = frozenset(),
            restore: Iterable[dict[str, Any]] = ()) -> Rewrite:
    """Extract these plans again (and every plan sharing one of the ``shared`` nodes, which are rebuilt
    from scratch), apply the corrections, and write them in place of what was there; inside the
    caller's write transaction (``run``). ``restore``: stored plans to bring back (undoing a removal).

    The plans' Document nodes are written to first, so that on Neo4j a second writer rewriting the
    same plans waits for this one and then reads its correction too (no correction is lost).
    """
    restore = list(restore)
    doc_ids = set(doc_ids) | documents_touching(run, set(shared))
    if doc_ids:  # the write lock (Neo4j): every writer of these plans goes one after another
        run("MATCH (d:Document) WHERE d.id IN $ids SET d.correction = d.correction", {"ids": sorted(doc_ids)})
    corrections = _read_in(run)
    stored = _stored_documents(run, doc_ids) | {row["id"]: row for row in restore}
    applicable = Applicable(corrections, _present(run) | {row["id"]: row["source"] for row in restore})
    candidates = shared_nodes_of(run, set(stored)) | set(shared)
    result = Rewrite(corrections={c.id: c for c in corrections})
    batch: list[GraphRecords] = []
    for doc_id in sorted(stored):
        row = stored[doc_id]
        mine = applicable.for_document(doc_id, row["source"])
        removal = removal_in(mine)
        if removal is not None:
            result.removed.append(doc_id)
            result.outcomes.append(Outcome(removal.id, "applied"))
            continue
        records, outcomes = corrected_records(extract_stored(row), mine)
        batch.append(records)
        result.documents.append(doc_id)
        result.outcomes += outcomes
    delete = statements.document_deletes()
    everything = {"ids": sorted(stored)}
    for query in delete["owned"]:
        run(query, everything)
    if result.removed:
        run(delete["document"], {"ids": result.removed})
    if shared:
        for query in statements.shared_node_deletes():
            run(query, {"ids": sorted(shared)})
    if batch:
        store.write_records(run, merge_records(batch))
    for query in statements.orphan_deletes():
        run(query, {"ids": sorted(candidates)})
    _save_outcomes(store, run, corrections, result.outcomes)
    return result


def summary(outcomes: list[Outcome], corrections: dict[str, Correction]) -> dict[str, Outcome]:
    """One outcome per correction over several plans: applied on any plan is applied. A correction of
    an agency or entity that one plan does not name is no news: only where it applied counts."""
    best: dict[str, Outcome] = {}
    for outcome in outcomes:
        correction = corrections.get(outcome.id)
        if correction is not None and correction.is_global and not outcome.applied and not outcome.whole_graph:
            continue
        known = best.get(outcome.id)
        if known is None or (outcome.applied and not known.applied):
            best[outcome.id] = outcome
    return best


def _save_outcomes(store: GraphStore, run: Runner, corrections: list[Correction], outcomes: list[Outcome]) -> None:
    """Store what became of each correction, where it changed (a load usually changes nothing)."""
    by_id = {c.id: c for c in corrections}
    changed = []
    for correction_id, outcome in summary(outcomes, by_id).items():
        correction = by_id.get(correction_id)
        if correction is None:
            continue
        said = {"code": outcome.code, "values": outcome.values}
        changed_history = outcome.extracted is not None and outcome.extracted != correction.extracted
        if said != correction.outcome or changed_history:
            correction.outcome = said
            if outcome.extracted is not None:
                correction.extracted = outcome.extracted
            changed.append(correction)
    _write_corrections(store, run, changed)


def save_outcomes(store: GraphStore, outcomes: list[Outcome]) -> None:
    """After a load: what became of the corrections it applied, where that changed."""
    if outcomes:
        store.write(lambda run: _save_outcomes(store, run, _read_in(run), outcomes))


# -- what people do --------------------------------------------------------------------------------
def _scope_of(run: Runner, correction: Correction, *, undoing: bool = False
              ) -> tuple[set[str], set[str], list[dict[str, Any]]]:
    """The plans a correction touches, the shared nodes to rebuild, and plans to restore (``undoing``
    a removal brings back the plan it kept)."""
    spec = correction.spec
    if spec.scope == "review":
        return set(), set(), []
    if spec.scope == "agency":
        return set(), {key.id for key in correction.agencies}, []
    if spec.scope == "entity":
        return set(), {correction.entity.id}, []
    present = _present(run)
    names = Counter(present.values())
    docs = {doc_id for doc_id, source in present.items() if applies_to(correction, doc_id, source, present, names)}
    restore = []
    if spec.operation == "remove-document":
        stored = correction.values.get("stored")
        if undoing and stored:
            restore = [json.loads(zlib.decompress(base64.b64decode(stored)))]
            docs |= {restore[0]["id"]}
        return docs, shared_nodes_of(run, docs), restore
    if spec.operation == "set-government":
        return docs, shared_nodes_of(run, docs), []  # its units move to another government
    return docs, set(), []


def _check(correction: Correction, result: Rewrite, touched: bool) -> None:
    """Refuse a correction that found nothing to correct: nothing is written (the transaction is undone)."""
    if not touched:
        key = correction.document.source if correction.document else correction.describe()
        raise CorrectionError("nothing_to_correct", id=correction.id, key=key)
    outcome = summary(result.outcomes, {correction.id: correction}).get(correction.id)
    if outcome is None and correction.is_global:
        key = correction.entity.name if correction.entity else correction.agencies[0].name
        raise CorrectionError("no_plan_names", id=correction.id, key=key)
    if outcome is not None and not outcome.applied:
        raise CorrectionError("not_made", id=correction.id, outcome_en=outcome.text("en"),
                              outcome_zh=outcome.text("zh"))
    if outcome is not None and not any(o.changed for o in result.outcomes if o.id == correction.id):
        raise CorrectionError("changes_nothing", id=correction.id, what=correction.describe())


def record(store: GraphStore, correction: Correction) -> Rewrite:
    """Keep a new correction in the store and rewrite what it touches, in one transaction."""
    if correction.kind not in kinds():
        raise CorrectionError("unknown_kind", value=correction.kind, kinds=list(kinds()))

    def work(run: Runner) -> Rewrite:
        if correction.spec.operation == "confirm":  # a person looked and agreed: nothing changes but the queue
            _write_corrections(store, run, [correction])
            return Rewrite()
        if correction.spec.operation == "remove-document":
            _keep_for_undo(run, correction)
        _write_corrections(store, run, [correction])
        docs, shared, restore = _scope_of(run, correction)
        result = rewrite(store, run, docs, shared, restore)
        _check(correction, result, bool(result.documents or result.removed))
        return result

    return store.write(work)


def _keep_for_undo(run: Runner, correction: Correction) -> None:
    """A removal keeps what the store held of the plan (compressed), so that undo can bring it back."""
    present = _present(run)
    names = Counter(present.values())
    docs = [doc_id for doc_id, source in present.items() if applies_to(correction, doc_id, source, present, names)]
    if len(docs) != 1:
        raise CorrectionError("no_such_document" if not docs else "documents_share_name",
                              source=correction.document.source, count=len(docs))
    stored = _stored_documents(run, set(docs))[docs[0]]
    correction.values["stored"] = base64.b64encode(zlib.compress(json.dumps(stored, ensure_ascii=False)
                                                                 .encode("utf-8"), 9)).decode("ascii")


def undo(store: GraphStore, correction_id: str, who: str | None = None) -> tuple[Correction, Rewrite]:
    """Mark a correction undone and rewrite what it touched: the graph as if it had not been made."""

    def work(run: Runner) -> tuple[Correction, Rewrite]:
        found = [c for c in _read_in(run) if c.id == correction_id]
        if not found:
            raise CorrectionError("no_correction", value=correction_id)
        correction = found[0]
        if correction.status == "undone":
            raise CorrectionError("undone_already", value=correction_id, at=correction.undone_at)
        correction.status, correction.undone_at, correction.undone_by = "undone", now(), who or default_who()
        _write_corrections(store, run, [correction])
        docs, shared, restore = _scope_of(run, correction, undoing=True)
        return correction, rewrite(store, run, docs, shared, restore)

    return store.write(work)


def import_corrections(store: GraphStore, corrections: list[Correction]) -> tuple[list[str], list[str], Rewrite]:
    """Add corrections kept in a file (ids the store has already are left as they are) and apply them
    all in one transaction. Returns the ids added, the ids already there, and what was rewritten."""

    def work(run: Runner) -> tuple[list[str], list[str], Rewrite]:
        known = {c.id for c in _read_in(run)}
        added = [c for c in corrections if c.id not in known]
        _write_corrections(store, run, added)
        docs: set[str] = set()
        shared: set[str] = set()
        restore: list[dict[str, Any]] = []
        for correction in (c for c in added if c.status == "active"):  # an undone one changes nothing
            more_docs, more_shared, more_restore = _scope_of(run, correction)
            docs |= more_docs
            shared |= more_shared
            restore += more_restore
        result = rewrite(store, run, docs, shared, restore) if added else Rewrite()
        applied = {o.id for o in result.outcomes if o.applied}
        for correction in added:  # an agency or entity no plan names: said, not dropped
            if correction.is_global and correction.status == "active" and correction.id not in applied:
                key = correction.entity.name if correction.entity else correction.agencies[0].name
                code, values = (("entity_gone", {"type": correction.entity.type, "entity": key}) if correction.entity
                                else ("agency_gone", {"agency": key}))
                result.outcomes.append(Outcome(correction.id, code, values, whole_graph=True))
                correction.outcome = {"code": code, "values": values}
                _write_corrections(store, run, [correction])
        return [c.id for c in added], sorted(known & {c.id for c in corrections}), result

    return store.write(work)


def export_lines(corrections: list[Correction]) -> str:
    """Corrections as JSON Lines, one a line, in the order they were made (``corrections export``)."""
    return "".join(json.dumps(c.model_dump(mode="json", exclude_none=True), ensure_ascii=False, sort_keys=True) + "\n"
                   for c in ordered(corrections))


def parse_lines(text: str, source: str) -> list[Correction]:
    """Corrections from JSON Lines; a bad line is one :class:`CorrectionError` naming the file and line."""
    corrections = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            correction = Correction.model_validate(json.loads(line))
        except json.JSONDecodeError as error:
            raise CorrectionError("line_not_json", source=source, line=number, detail=error.msg) from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise CorrectionError("line_invalid", source=source, line=number, where=where,
                                  detail=first["msg"]) from None
        if correction.kind not in kinds():
            raise CorrectionError("line_unknown_kind", source=source, line=number, value=correction.kind)
        corrections.append(correction)
    ids = [c.id for c in corrections]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise CorrectionError("id_on_several_lines", source=source, value=duplicated[0])
    return corrections
