"""Run a named query on either store: check and resolve its parameters, adapt its dialect, read."""

from __future__ import annotations

import difflib
from typing import Any

from graph import dialect, schema
from graph.store import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, GraphStore, QueryResult
from queries import resolve
from queries.library import NamedQuery, load_library
from queries.resolve import QueryParameterError

ENTITY_TYPES = schema.ENTITY_LABELS
# The type each parameter has once resolved (the embedded store needs it declared).
STORE_TYPES = {"string": "STRING", "int": "INT64", "city": "STRING", "entity_type": "STRING",
               "agency": "STRING[]", "action": "STRING[]", "document": "STRING[]", "kind": "STRING[]",
               "district": "STRING[]"}


def get_query(name: str) -> NamedQuery:
    library = load_library()
    if name not in library:
        close = difflib.get_close_matches(name, list(library), n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `policykg queries` lists them"
        raise QueryParameterError(f"no named query {name!r}{hint}")
    return library[name]


def resolve_parameters(store: GraphStore, query: NamedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Check names and types, apply defaults, resolve names to ids (city and document first: others narrow by them)."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        valid = ", ".join(p.name for p in query.params) or "none"
        raise QueryParameterError(f"{query.name} has no parameter {', '.join(unknown)} (parameters: {valid})")
    values: dict[str, Any] = {}
    order = sorted(query.params, key=lambda p: (p.type not in ("city", "document"),))
    for param in order:
        raw = given.get(param.name, param.default)
        if raw is None or raw == "":
            if param.required:
                raise QueryParameterError(f"{query.name} needs --param {param.name}=… ({param.help_en or param.type})")
            values[param.name] = None
            continue
        values[param.name] = _resolve(store, param.type, raw, values, param.name)
    return values


def _resolve(store: GraphStore, type_name: str, raw: Any, resolved: dict[str, Any], name: str) -> Any:
    city = resolved.get("city")
    documents = next((v for k, v in resolved.items() if k == "document" and v), None)
    text = str(raw)
    if type_name == "int":
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise QueryParameterError(f"{name} must be a whole number, not {raw!r}") from None
    if type_name == "string":
        return text
    if type_name == "entity_type":
        match = next((t for t in ENTITY_TYPES if t.lower() == text.lower()), None)
        if match is None:
            raise QueryParameterError(f"{name} must be one of {', '.join(ENTITY_TYPES)}, not {raw!r}")
        return match
    if type_name == "city":
        return resolve.resolve_city(store, text)
    if type_name == "agency":
        return resolve.resolve_agency(store, text, city)
    if type_name == "kind":
        return resolve.resolve_kind(store, text)
    if type_name == "document":
        return resolve.resolve_document(store, text)
    if type_name == "action":
        return resolve.resolve_action(store, text, documents)
    if type_name == "district":
        return resolve.resolve_district(store, text, city)
    raise QueryParameterError(f"unknown parameter type {type_name}")


def run_named(store: GraphStore, name: str, given: dict[str, Any] | None = None, *,
              timeout: float = DEFAULT_TIMEOUT, row_cap: int = DEFAULT_ROW_CAP) -> QueryResult:
    """Run the named query ``name`` with parameters as a person gives them.

    >>> run_named(store, "actions-led-by", {"agency": "市科技局", "city": "鄂州市"}).rows  # doctest: +SKIP
    """
    query = get_query(name)
    values = resolve_parameters(store, query, given or {})
    types = {p.name: STORE_TYPES[p.type] for p in query.params}
    cypher = dialect.for_store(query.cypher, store.kind, types)
    return store.run_read(cypher, values, timeout=timeout, row_cap=row_cap)
