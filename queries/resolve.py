"""Turn the names people type into the ids named queries match on.

An agency can be given as written (市科技局), by an alias, or by its canonical
name (鄂州市科技局); traditional characters and full-width punctuation are fine.
A name that matches nothing is an error that lists the closest names.
"""

from __future__ import annotations

import difflib
import re

from graph.store import GraphStore
from loaders.normalize import normalize_for_matching


class QueryParameterError(ValueError):
    """A parameter value that names nothing in the graph, or is of the wrong form."""


def _norm(text: str) -> str:
    return normalize_for_matching(text).strip()


def _closest(value: str, names: list[str]) -> str:
    close = difflib.get_close_matches(value, sorted(set(names)), n=5, cutoff=0.3)
    return f"; closest: {', '.join(close)}" if close else ""


def resolve_city(store: GraphStore, value: str) -> str:
    """'鄂州' or '鄂州市' -> '鄂州市', one of the cities the loaded documents belong to."""
    cities = [row[0] for row in store.run_read(
        "MATCH (d:Document) WHERE d.city IS NOT NULL RETURN DISTINCT d.city").rows]
    wanted = _norm(value)
    for city in cities:
        if wanted in (city, city[:-1] if city[-1] in "市县区州" else city):
            return city
    raise QueryParameterError(f"no loaded document is of the city {value!r}{_closest(wanted, cities)}")


def resolve_agency(store: GraphStore, value: str, city: str | None = None) -> list[str]:
    """Ids of the agencies named ``value`` (canonical name, or as written / alias), in ``city`` if given."""
    rows = store.run_read("MATCH (a:Agency) RETURN a.id, a.name, a.aliases, a.city").rows
    wanted = _norm(value)
    exact = [r for r in rows if _norm(r[1]) == wanted]
    found = exact or [r for r in rows if wanted in {_norm(alias) for alias in (r[2] or [])}]
    if city is not None:
        found = [r for r in found if r[3] == city]
    if found:
        return sorted(r[0] for r in found)
    names = [r[1] for r in rows] + [alias for r in rows for alias in (r[2] or [])]
    where = f" in {city}" if city else ""
    raise QueryParameterError(f"no agency named {value!r}{where}{_closest(wanted, names)}")


def resolve_kind(store: GraphStore, value: str) -> list[str]:
    """An agency kind by its Chinese key (科技局) or English name (Science and Technology Bureau)."""
    rows = store.run_read("MATCH (k:AgencyKind) RETURN k.id, k.name, k.name_en").rows
    wanted = _norm(value)
    found = [r[0] for r in rows if wanted in (_norm(r[1]), r[2].lower())] or [
        r[0] for r in rows if wanted.lower() == r[2].lower()]
    if found:
        return found
    names = [r[1] for r in rows] + [r[2] for r in rows]
    raise QueryParameterError(f"no agency kind {value!r}{_closest(wanted, names)}")


def resolve_document(store: GraphStore, value: str) -> list[str]:
    """A document by id, file name (whole or in part) or words of its title, or its city."""
    rows = store.run_read("MATCH (d:Document) RETURN d.id, d.source, d.title, d.city").rows
    wanted = _norm(value)
    found = [r[0] for r in rows if wanted in (r[0], r[1], r[1].rsplit(".", 1)[0])]
    found = found or [r[0] for r in rows if wanted.lower() in r[1].lower()]
    found = found or [r[0] for r in rows if r[2] and wanted in _norm(r[2])]
    found = found or [r[0] for r in rows if r[3] and wanted in (r[3], r[3][:-1])]
    if found:
        return sorted(found)
    raise QueryParameterError(f"no loaded document {value!r}{_closest(wanted, [r[1] for r in rows])}")


def normalise_action_number(value: str) -> str:
    """'(一)', '一', '（一）' -> '（一）'; '1', '1.', '1、' -> '1.'."""
    value = _norm(value).strip()
    if re.fullmatch(r"\d+[.、]?", value):
        return value.rstrip(".、") + "."
    bare = value.strip("()（）、")
    if re.fullmatch(r"[一二三四五六七八九十百零〇]+", bare):
        return f"（{bare}）"
    return value


def resolve_action(store: GraphStore, value: str, documents: list[str] | None = None) -> list[str]:
    """Actions by number (（一）, (一), 1.) or by title (whole or in part), in ``documents`` if given."""
    rows = store.run_read("MATCH (x:Action) RETURN x.id, x.number, x.title, x.doc_id").rows
    if documents:
        rows = [r for r in rows if r[3] in documents]
    number = normalise_action_number(value)
    wanted = _norm(value)
    found = [r[0] for r in rows if r[1] == number]
    found = found or [r[0] for r in rows if _norm(r[2]) == wanted]
    found = found or [r[0] for r in rows if wanted in _norm(r[2])]
    if found:
        return sorted(found)
    raise QueryParameterError(f"no action numbered or titled {value!r}{_closest(wanted, [r[2] for r in rows])}")


def resolve_district(store: GraphStore, value: str, city: str | None = None) -> list[str]:
    rows = store.run_read("MATCH (d:District) RETURN d.id, d.name, d.city").rows
    if city is not None:
        rows = [r for r in rows if r[2] == city]
    wanted = _norm(value)
    found = [r[0] for r in rows if _norm(r[1]) == wanted] or [r[0] for r in rows if _norm(r[1]).startswith(wanted)]
    if found:
        return sorted(found)
    raise QueryParameterError(f"no district named {value!r}{_closest(wanted, [r[1] for r in rows])}")
