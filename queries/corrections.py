"""Corrections as people give them: names resolved as the named queries resolve them.

``policykg correct`` and the explorer's edit controls both build their corrections here, so a
document, action, agency or entity is found the same way everywhere (as written, by alias or
canonical name; a name that finds nothing is one line with the closest names) and the stable
identity a correction keeps (graph.corrections) is read from the graph, never typed.
"""

from __future__ import annotations

import re
from typing import Any

from graph import schema
from graph.corrections import (
    ActionKey,
    AgencyKey,
    Correction,
    CorrectionError,
    DocumentKey,
    EntityKey,
    Kind,
    default_who,
    kinds,
    new_id,
    now,
)
from graph.store import GraphStore
from queries.resolve import QueryParameterError, resolve_action, resolve_agency, resolve_document

__all__ = ["CorrectionError", "action_key", "agency_key", "document_key", "entity_key", "make_correction"]


def _one(found: list[str], what: str, value: str, shown: dict[str, str]) -> str:
    if len(found) == 1:
        return found[0]
    listed = [shown.get(item, item) for item in found[:6]] + (["…"] if len(found) > 6 else [])
    raise CorrectionError(f"ambiguous_{what}", value=value, count=len(found), listed=listed)


def document_key(store: GraphStore, value: str) -> tuple[DocumentKey, dict[str, Any]]:
    """The one loaded document ``value`` names (file name, title, id), and its stored facts."""
    try:
        found = resolve_document(store, value)
    except QueryParameterError as error:
        raise CorrectionError(error.code, **error.values) from None
    rows = store.read_all("MATCH (d:Document) WHERE d.id IN $ids RETURN d.id, d.source, d.title, d.city, d.province, "
                          "d.level", {"ids": found})
    facts = {row[0]: dict(zip(("id", "source", "title", "city", "province", "level"), row, strict=True))
             for row in rows}
    doc_id = _one(found, "document", value, {k: f"{v['source']} ({v['title'] or k})" for k, v in facts.items()})
    doc = facts[doc_id]
    return DocumentKey(source=doc["source"], id=doc_id, title=doc["title"]), doc


def action_key(store: GraphStore, doc_id: str, value: str) -> tuple[ActionKey, str]:
    """The one action of the document ``value`` names (its id, number or title), and its id."""
    found = [row[0] for row in store.read_all("MATCH (x:Action) WHERE x.id = $id AND x.doc_id = $doc RETURN x.id",
                                              {"id": value.strip(), "doc": doc_id})]
    try:
        found = found or resolve_action(store, value, [doc_id])
    except QueryParameterError as error:
        raise CorrectionError(error.code, **error.values) from None
    rows = store.read_all("MATCH (x:Action) WHERE x.id IN $ids RETURN x.id, x.number, x.section, x.title "
                          "ORDER BY x.seq", {"ids": found})
    shown = {row[0]: f"{row[1]} {row[3]}" + (f" (under {row[2][-1]})" if row[2] else "") for row in rows}
    action_id = _one([row[0] for row in rows], "action", value, shown)
    row = next(row for row in rows if row[0] == action_id)
    return ActionKey(number=row[1], section=list(row[2] or []), title=row[3]), action_id


def agency_key(store: GraphStore, value: str, city: str | None = None, doc_id: str | None = None) -> AgencyKey:
    """The one agency ``value`` names (its id, a name as written, an alias or its canonical name), of
    ``city`` (the plan's government) or national, or of the plan ``doc_id`` when its government is unknown."""
    found = [row[0] for row in store.read_all("MATCH (a:Agency) WHERE a.id = $id RETURN a.id", {"id": value.strip()})]
    try:
        found = found or resolve_agency(store, value)
    except QueryParameterError as error:
        raise CorrectionError(error.code, **error.values) from None
    rows = store.read_all("MATCH (a:Agency) WHERE a.id IN $ids RETURN a.id, a.name, a.city, a.kind, a.type, "
                          "a.collective, a.aliases", {"ids": found})
    agencies = {row[0]: row for row in rows}

    def national(row) -> bool:
        return row[2] is None and "/" not in row[0]

    if city is None and doc_id is None:  # any government's (merge, rename): --city narrows it
        mine = list(agencies)
    else:
        mine = [i for i, row in agencies.items() if (city is not None and row[2] == city) or national(row)
                or (doc_id is not None and i.startswith(f"{doc_id}/"))]
    if not mine:
        elsewhere = "、".join(sorted({agencies[i][1] + (f" ({agencies[i][2]})" if agencies[i][2] else "")
                                     for i in found})[:5])
        raise CorrectionError("no_agency_in_city" if city else "no_agency_in_document", value=value, city_name=city,
                              elsewhere=elsewhere)
    agency_id = _one(sorted(mine), "agency", value,
                     {i: agencies[i][1] + (f" ({agencies[i][2]})" if agencies[i][2] else "") for i in mine})
    row = agencies[agency_id]
    typed = value.strip()
    return AgencyKey(id=row[0], name=row[1], city=row[2], national=national(row), kind=row[3], type=row[4] or "agency",
                     collective=bool(row[5]), as_written=typed if typed in (row[6] or []) else row[1])


def entity_key(store: GraphStore, name: str, entity_type: str | None = None, city: str | None = None) -> EntityKey:
    """The one entity named ``name`` (of ``entity_type`` and ``city`` when given)."""
    labels = [entity_type] if entity_type else list(schema.ENTITY_LABELS)
    unknown = [label for label in labels if label not in schema.ENTITY_LABELS]
    if unknown:
        raise CorrectionError("not_entity_type", value=unknown[0], types=list(schema.ENTITY_LABELS))
    found = []
    in_city, scope = (" AND n.city = $city", {"city": city}) if city else ("", {})  # no null parameters
    for label in labels:  # labels are the schema's; the values are parameters
        rows = store.read_all(f"MATCH (n:{label}) WHERE n.name = $name{in_city} RETURN n.name, n.city",
                              {"name": name.strip(), **scope})
        found += [EntityKey(name=row[0], type=label, city=row[1]) for row in rows]
    if not found:
        raise CorrectionError("no_entity", value=name, of_type=entity_type, city=city)
    if len(found) > 1:
        listed = [f"{key.type} ({key.city or '?'})" for key in found]
        raise CorrectionError("ambiguous_entity", value=name, count=len(found), listed=listed)
    return found[0]


def target_metric(store: GraphStore, doc_id: str, action_id: str | None, value: str) -> str:
    """The metric of one target of the action (or of the plan), by whole name or part of it."""
    if action_id:
        rows = store.read_all("MATCH (x:Action {id: $id})-[:SETS_TARGET]->(t:Target) RETURN DISTINCT t.metric",
                              {"id": action_id})
    else:
        rows = store.read_all("MATCH (t:Target) WHERE t.doc_id = $doc RETURN DISTINCT t.metric", {"doc": doc_id})
    metrics = sorted(row[0] for row in rows)
    exact = [m for m in metrics if m == value.strip()]
    found = exact or [m for m in metrics if value.strip() in m]
    if not found:
        raise CorrectionError("no_target", value=value, targets="、".join(metrics[:8]))
    return _one(found, "target", value, {})


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _kind_words(spec: Kind) -> dict[str, str]:
    """A kind as an error names it: its name on the command line, its words in the explorer."""
    return {"kind": spec.name, "kind_en": spec.en, "kind_zh": spec.zh}


def make_correction(store: GraphStore, kind: str, *, why: str, who: str | None = None, document: str | None = None,
                    action: str | None = None, agencies: list[str] = (), role: str | None = None,
                    into: str | None = None, name: str | None = None, entity: str | None = None,
                    entity_type: str | None = None, city: str | None = None, metric: str | None = None,
                    values: dict[str, Any] | None = None) -> Correction:
    """A new correction of ``kind`` from what a person typed, every name resolved; raises CorrectionError.

    ``values``: what document-field, government and target kinds set (title, published, city,
    province, level, value, unit, year); for ``retype`` the new type; for ``rename`` use ``name``.
    """
    spec = kinds().get(kind)
    if spec is None:
        raise CorrectionError("unknown_kind", value=kind, kinds=list(kinds()))
    if not why or not why.strip():
        raise CorrectionError("why_missing")
    values = {key: value for key, value in (values or {}).items() if value is not None}
    parts: dict[str, Any] = {}
    doc: dict[str, Any] = {}
    if spec.scope in ("document", "action", "target"):
        if not document:
            raise CorrectionError("needs_document", **_kind_words(spec))
        parts["document"], doc = document_key(store, document)
    action_id = None
    if spec.scope == "action" or (spec.scope == "target" and action):
        if not action:
            raise CorrectionError("needs_action", **_kind_words(spec))
        parts["action"], action_id = action_key(store, doc["id"], action)
    if spec.operation == "set-government":
        values = _government(values, spec.fields)
    elif spec.operation == "set-document-field":
        if not values.get(spec.fields[0]):
            raise CorrectionError("needs_value", field=spec.fields[0], **_kind_words(spec))
        if spec.fields[0] == "published" and not _DATE.fullmatch(str(values["published"])):
            raise CorrectionError("not_a_date", value=values["published"])
    elif spec.operation in ("set-units", "add-unit", "remove-unit"):
        if not agencies:
            raise CorrectionError("needs_agency", **_kind_words(spec))
        keys = [agency_key(store, value, doc.get("city"), doc["id"]) for value in agencies]
        if len({key.id for key in keys}) != len(keys):
            raise CorrectionError("agency_twice")
        if spec.operation != "set-units" and len(keys) != 1:
            raise CorrectionError("one_agency", **_kind_words(spec))
        parts["agencies"] = keys
        parts["role"] = spec.role or (role or "support" if spec.operation == "add-unit" else None)
        if parts["role"] is not None and parts["role"] not in ("lead", "responsible", "support"):
            raise CorrectionError("not_a_role", value=role)
    elif spec.operation in ("merge", "rename"):
        if len(agencies) != 1:
            raise CorrectionError("one_agency", **_kind_words(spec))
        first = agency_key(store, agencies[0], city)
        if spec.operation == "merge":
            if not into:
                raise CorrectionError("merge_needs_into")
            kept = agency_key(store, into, first.city)
            if kept.id == first.id:
                raise CorrectionError("one_agency_already", first=agencies[0], second=into)
            parts["agencies"] = [first, kept]
        else:
            if not name or not name.strip():
                raise CorrectionError("rename_needs_name")
            parts["agencies"] = [first]
            values = {"name": name.strip()}
    elif spec.operation in ("retype", "reject"):
        if not entity:
            raise CorrectionError("needs_entity", **_kind_words(spec))
        parts["entity"] = entity_key(store, entity, entity_type if spec.operation == "reject" else
                                     values.pop("from_type", None), city)
        if spec.operation == "retype":
            new_type = values.get("type")
            if new_type not in schema.ENTITY_LABELS:
                raise CorrectionError("not_entity_type", value=new_type, types=list(schema.ENTITY_LABELS))
            if new_type == parts["entity"].type:
                raise CorrectionError("already_of_type", value=entity, type=new_type)
            values = {"type": new_type}
    elif spec.operation == "confirm":
        if not values.get("item"):
            raise CorrectionError("confirm_needs_item")
        values = {"item": str(values["item"])}
        if document:
            parts["document"], doc = document_key(store, document)
    elif spec.operation == "set-target":
        if not metric:
            raise CorrectionError("target_needs_metric")
        parts["metric"] = target_metric(store, doc["id"], action_id, metric)
        values = {key: value for key, value in values.items() if key in spec.fields}
        if not values:
            raise CorrectionError("target_needs_change")
    return Correction(id=new_id(), kind=kind, who=(who or "").strip() or default_who(), at=now(), why=why.strip(),
                      values=values, **parts)


def _government(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The government a correction gives, checked as ``--city/--province/--level`` of a load are."""
    from loaders import GivenGovernment, GivenGovernmentError, check_given

    wanted = {key: values.get(key) for key in ("city", "province", "level")}
    if not any(wanted.get(key) for key in fields):
        raise CorrectionError("government_needs", fields=" / ".join(fields))
    try:
        given = check_given(GivenGovernment(**wanted))
    except (GivenGovernmentError, ValueError) as error:
        if isinstance(error, GivenGovernmentError):
            raise CorrectionError(error.code, **error.values) from None
        raise CorrectionError("bad_government", detail=str(error).splitlines()[0]) from None
    return {key: value for key, value in given.model_dump().items() if value is not None}
