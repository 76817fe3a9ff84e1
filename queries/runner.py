"""Run a named query on either store: check and resolve its parameters, adapt its dialect, read."""

from __future__ import annotations

import difflib
from typing import Any

from graph import dialect
from graph.store import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, GraphStore, QueryResult
from queries.library import NamedQuery, load_library
from queries.param_types import PARAM_TYPES
from queries.resolve import QueryParameterError


def get_query(name: str) -> NamedQuery:
    library = load_library()
    if name not in library:
        close = difflib.get_close_matches(name, list(library), n=3, cutoff=0.4)
        if close:
            raise QueryParameterError("no_query", value=name, did_you_mean=close)
        raise QueryParameterError("no_query_listed", value=name)
    return library[name]


def store_types(query: NamedQuery) -> dict[str, str]:
    """Each parameter's type in the store once resolved (the embedded store needs them declared)."""
    return {p.name: PARAM_TYPES[p.type].store_type for p in query.params}


def resolve_parameters(store: GraphStore, query: NamedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Check names and types, apply defaults, resolve names to ids (city and document first: others narrow by them)."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        valid = [p.name for p in query.params]
        raise QueryParameterError("unknown_parameter" if valid else "takes_no_parameters", query=query.name,
                                  unknown=unknown, valid=valid)
    values: dict[str, Any] = {}
    order = sorted(query.params, key=lambda p: not PARAM_TYPES[p.type].first)
    for param in order:
        raw = given.get(param.name, param.default)
        if raw is None or raw == "":
            if param.required:
                raise QueryParameterError("parameter_needed", query=query.name, name=param.name,
                                          help_en=param.help_en or param.type, help_zh=param.help_zh or param.type)
            values[param.name] = None
            continue
        values[param.name] = PARAM_TYPES[param.type].resolve(store, raw, values, param.name)
    return values


def run_named(store: GraphStore, name: str, given: dict[str, Any] | None = None, *,
              timeout: float = DEFAULT_TIMEOUT, row_cap: int = DEFAULT_ROW_CAP, offset: int = 0) -> QueryResult:
    """Run the named query ``name`` with parameters as a person gives them: one page of its rows
    (``offset`` skipped, at most ``row_cap``) and the whole result's total (:meth:`GraphStore.run_read`).

    >>> run_named(store, "actions-led-by", {"agency": "市科技局", "city": "鄂州市"}).rows  # doctest: +SKIP
    """
    query = get_query(name)
    values = resolve_parameters(store, query, given or {})
    cypher = dialect.for_store(query.cypher, store.kind, store_types(query))
    return store.run_read(cypher, values, timeout=timeout, row_cap=row_cap, offset=offset)
