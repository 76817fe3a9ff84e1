"""The types of named queries' parameters, in one registry: what each is in the store once resolved,
how the name a person types becomes ids, and which names the explorer offers to pick from.

A query file declares ``// param: agency: agency — …``; the command line, the runner and the
explorer's forms all take what a type means from here, so a new type is one entry.

>>> sorted(PARAM_TYPES)
['action', 'agency', 'city', 'district', 'document', 'entity_type', 'int', 'kind', 'string']
>>> PARAM_TYPES["agency"].store_type, PARAM_TYPES["city"].first
('STRING[]', True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph import schema
from graph.store import GraphStore
from queries import resolve
from queries.resolve import QueryParameterError

#: What the other parameters of the same query resolved to: ``city`` (a name) and ``document`` (ids).
Resolved = dict[str, Any]


@dataclass(frozen=True)
class ParamType:
    name: str
    store_type: str  # declared to the embedded store (LadybugDB needs parameter types)
    resolve: Callable[[GraphStore, Any, Resolved, str], Any]  # (store, raw value, resolved so far, parameter name)
    suggest: Callable[[GraphStore], list[str]] | None = None  # names to pick from, in the explorer
    first: bool = False  # resolved before the others, which it narrows (a city, a document)
    fixed: bool = False  # only the suggested values are valid (entity types); names can be typed otherwise


def _names(store: GraphStore, label: str, attribute: str = "name") -> list[str]:
    """The values of one property of one label, sorted: names to pick from, read from the store (never the
    whole graph: a form's suggestions cost one scan at any corpus size). Labels and properties are ours."""
    rows = store.read_all(f"MATCH (n:{label}) WHERE n.{attribute} IS NOT NULL RETURN DISTINCT n.{attribute}")
    return sorted({row[0] for row in rows if row[0]})


def _agency_names(store: GraphStore) -> list[str]:
    """Agencies' canonical names and the forms they were written in (市科技局 names a bureau in each city)."""
    rows = store.read_all("MATCH (n:Agency) RETURN n.name, n.aliases")
    return sorted({name for row in rows for name in [row[0], *(row[1] or [])] if name})


def _cities(store: GraphStore) -> list[str]:
    return _names(store, "Document", "city")


def _int(_store: GraphStore, raw: Any, _resolved: Resolved, name: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise QueryParameterError("not_whole_number", name=name, value=raw) from None


def _entity_type(_store: GraphStore, raw: Any, _resolved: Resolved, name: str) -> str:
    match = next((label for label in schema.ENTITY_LABELS if label.lower() == str(raw).lower()), None)
    if match is None:
        raise QueryParameterError("not_one_of", name=name, value=raw, choices=list(schema.ENTITY_LABELS))
    return match


PARAM_TYPES: dict[str, ParamType] = {t.name: t for t in (
    ParamType("string", "STRING", lambda _store, raw, _resolved, _name: str(raw)),
    ParamType("int", "INT64", _int),
    ParamType("city", "STRING", lambda store, raw, _resolved, _name: resolve.resolve_city(store, str(raw)),
              _cities, first=True),
    ParamType("document", "STRING[]", lambda store, raw, _resolved, _name: resolve.resolve_document(store, str(raw)),
              lambda store: _names(store, "Document", "source"), first=True),
    ParamType("agency", "STRING[]",
              lambda store, raw, resolved, _name: resolve.resolve_agency(store, str(raw), resolved.get("city")),
              _agency_names),
    ParamType("kind", "STRING[]", lambda store, raw, _resolved, _name: resolve.resolve_kind(store, str(raw)),
              lambda store: _names(store, "AgencyKind")),
    ParamType("action", "STRING[]",
              lambda store, raw, resolved, _name: resolve.resolve_action(store, str(raw), resolved.get("document"))),
    ParamType("district", "STRING[]",
              lambda store, raw, resolved, _name: resolve.resolve_district(store, str(raw), resolved.get("city")),
              lambda store: _names(store, "District")),
    ParamType("entity_type", "STRING", _entity_type, lambda _store: list(schema.ENTITY_LABELS), fixed=True),
)}
