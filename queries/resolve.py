"""Turn the names people type into the ids named queries match on.

An agency can be given as written (市科技局), by an alias, or by its canonical
name (鄂州市科技局); traditional characters and full-width punctuation are fine.
A name that matches nothing is an error that lists the closest names.

Every look-up runs in the store, with ``WHERE`` on the typed value (a parameter, never
part of the text), and reads only what matches, through ``GraphStore.read_all`` with the
guard on: a read that would pass its row cap raises instead of answering from part of the rows.

The typed value is compared as typed and normalised (simplified, half-width:
``loaders.normalize``). Canonical names, kinds and cities are stored normalised, so any
form finds them; an agency's aliases are stored as written and, in ``alias_forms``, in the
form they are looked up by (``search_form``), so 市数据局 finds the 市數據局 of a traditional
plan; titles and file names are stored as written and found by the form stored.

The closest names are the stored names that share the most characters and two-character
pieces with the value (at most :data:`SUGGESTION_POOL` of them, ranked in the store), ordered
by ``difflib``'s likeness.
"""

from __future__ import annotations

import difflib
import re

from graph.errors import Explained
from graph.store import GraphStore
from loaders.normalize import normalize_for_matching, search_form

SUGGESTION_POOL = 20  # names the store ranks as candidates for "closest"; difflib picks 5 of them


class QueryParameterError(Explained):
    """A parameter value that names nothing in the graph, or is of the wrong form (its words: data/errors.toml)."""


def _read(store: GraphStore, query: str, parameters: dict) -> list[list]:
    """Every row of a look-up, checked and bounded as people's queries are (it reads on a person's behalf)."""
    return store.read_all(query, parameters, guard=True)


def _norm(text: str) -> str:
    return normalize_for_matching(text).strip()


def _forms(value: str) -> list[str]:
    """The value as typed and normalised (one entry when they are the same)."""
    return list(dict.fromkeys([value.strip(), _norm(value)]))


def _typed_and_normal(value: str) -> dict[str, str]:
    """The parameters ``$typed`` and ``$normal``: the value as typed and normalised."""
    return {"typed": value.strip(), "normal": _norm(value)}


def _grams(value: str) -> list[str]:
    """The characters and two-character pieces of a value, lower-cased: what a close name shares with it.

    >>> _grams("鄂洲市")
    ['市', '洲', '洲市', '鄂', '鄂洲']
    """
    forms = [form.lower() for form in _forms(value)]
    return sorted({form[i:i + size] for form in forms for size in (1, 2) for i in range(len(form) - size + 1)})


def _suggest(store: GraphStore, value: str, label: str, prop: str, *, list_property: bool = False,
             where: str = "", parameters: dict | None = None) -> list[str]:
    """The stored ``label.prop`` values (list items if ``list_property``) closest to ``value``.

    ``where``: a further condition on ``n`` (our text; its values in ``parameters``).
    """
    grams = _grams(value)
    if not grams:
        return []
    condition = f" AND ({where})" if where else ""
    if list_property:
        query = (f"UNWIND $grams AS g MATCH (n:{label}) WHERE n.{prop} IS NOT NULL{condition} "
                 f"UNWIND n.{prop} AS name WITH g, name WHERE toLower(name) CONTAINS g ")
    else:
        query = (f"UNWIND $grams AS g MATCH (n:{label}) WHERE toLower(n.{prop}) CONTAINS g{condition} "
                 f"WITH g, n.{prop} AS name ")
    query += "RETURN name, count(DISTINCT g) AS shared ORDER BY shared DESC, size(name), name LIMIT $pool"
    rows = _read(store, query, {"grams": grams, "pool": SUGGESTION_POOL, **(parameters or {})})
    return [row[0] for row in rows]


def _closest(value: str, names: list[str]) -> list[str]:
    """The stored names most like ``value``, closest first: what a page offers to choose instead."""
    return difflib.get_close_matches(_norm(value), sorted(set(names)), n=5, cutoff=0.3)


CITY_ENDINGS = "市县区州"  # 鄂州 is 鄂州市: a city may be typed without the last character of its name


def resolve_city(store: GraphStore, value: str) -> str:
    """'鄂州' or '鄂州市' -> '鄂州市', one of the cities the loaded documents belong to."""
    wanted = _norm(value)
    candidates = [wanted, *(wanted + ending for ending in CITY_ENDINGS)]
    rows = _read(store, "MATCH (d:Document) WHERE d.city IN $candidates RETURN DISTINCT d.city",
                 {"candidates": candidates})
    found = {row[0] for row in rows}
    for candidate in candidates:
        if candidate in found:
            return candidate
    names = _suggest(store, value, "Document", "city")
    raise QueryParameterError("no_city", value=value, closest=_closest(value, names))


def resolve_agency(store: GraphStore, value: str, city: str | None = None) -> list[str]:
    """Ids of the agencies named ``value`` in ``city`` if given: by canonical name, else as written (alias)."""
    parameters: dict = {"forms": _forms(value)}
    in_city = ""
    if city is not None:
        in_city, parameters["city"] = " AND a.city = $city", city
    rows = _read(store, f"MATCH (a:Agency) WHERE a.name IN $forms{in_city} RETURN a.id", parameters)
    if not rows:
        parameters["search"] = search_form(value)
        rows = _read(store, f"UNWIND $forms AS form MATCH (a:Agency) WHERE (form IN a.aliases OR "
                     f"$search IN a.alias_forms){in_city} RETURN DISTINCT a.id", parameters)
    if rows:
        return sorted(row[0] for row in rows)
    # the closest names are of the same city: another city's would fail again when chosen
    scope = {"where": "n.city = $city", "parameters": {"city": city}} if city is not None else {}
    names = (_suggest(store, value, "Agency", "name", **scope)
             + _suggest(store, value, "Agency", "aliases", list_property=True, **scope))
    raise QueryParameterError("no_agency", value=value, city=city, closest=_closest(value, names))


def resolve_kind(store: GraphStore, value: str) -> list[str]:
    """An agency kind by its Chinese key (科技局) or English name (Science and Technology Bureau), any case."""
    rows = _read(store, "MATCH (k:AgencyKind) WHERE k.name IN $forms OR toLower(k.name_en) = $lower "
                 "RETURN k.id ORDER BY k.id", {"forms": _forms(value), "lower": _norm(value).lower()})
    if rows:
        return [row[0] for row in rows]
    names = _suggest(store, value, "AgencyKind", "name") + _suggest(store, value, "AgencyKind", "name_en")
    raise QueryParameterError("no_kind", value=value, closest=_closest(value, names))


def resolve_document(store: GraphStore, value: str) -> list[str]:
    """A document by id, file name (whole, without its extension, or in part, any case), words of its
    title, or its city (鄂州市, 鄂州); the first of these that finds any."""
    wanted = _norm(value)
    rows = _read(
        store, "MATCH (d:Document) WHERE d.id = $normal OR toLower(d.source) CONTAINS $lower "
        "OR d.title CONTAINS $typed OR d.title CONTAINS $normal OR d.city STARTS WITH $normal "
        "RETURN d.id, d.source, d.title, d.city", {**_typed_and_normal(value), "lower": wanted.lower()})
    found = [r[0] for r in rows if wanted in (r[0], r[1], r[1].rsplit(".", 1)[0])]
    found = found or [r[0] for r in rows if wanted.lower() in r[1].lower()]
    found = found or [r[0] for r in rows if r[2] and wanted in _norm(r[2])]
    found = found or [r[0] for r in rows if r[3] and wanted in (r[3], r[3][:-1])]
    if found:
        return sorted(found)
    names = _suggest(store, value, "Document", "source")
    raise QueryParameterError("no_document", value=value, closest=_closest(value, names))


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
    """Actions by number (（一）, (一), 1.), else by whole title, else by a part of it; in ``documents`` if given."""
    wanted = _norm(value)
    number = normalise_action_number(value)
    in_documents, scope = ("n.doc_id IN $documents", {"documents": list(documents)}) if documents else ("", {})
    rows = _read(
        store, "MATCH (n:Action) WHERE (n.number = $number OR n.title CONTAINS $typed OR n.title CONTAINS $normal)"
        + (f" AND {in_documents}" if in_documents else "") + " RETURN n.id, n.number, n.title",
        {"number": number, **_typed_and_normal(value), **scope})
    found = [r[0] for r in rows if r[1] == number]
    found = found or [r[0] for r in rows if _norm(r[2]) == wanted]
    found = found or [r[0] for r in rows if wanted in _norm(r[2])]
    if found:
        return sorted(found)
    names = _suggest(store, value, "Action", "title", where=in_documents, parameters=scope)
    raise QueryParameterError("no_action", value=value, closest=_closest(value, names))


def resolve_district(store: GraphStore, value: str, city: str | None = None) -> list[str]:
    """Districts by whole name, else by the start of it (临空 for 临空经济区); in ``city`` if given."""
    wanted = _norm(value)
    in_city, scope = ("n.city = $city", {"city": city}) if city is not None else ("", {})
    rows = _read(
        store, "MATCH (n:District) WHERE (n.name STARTS WITH $typed OR n.name STARTS WITH $normal)"
        + (f" AND {in_city}" if in_city else "") + " RETURN n.id, n.name", {**_typed_and_normal(value), **scope})
    found = [r[0] for r in rows if _norm(r[1]) == wanted] or [r[0] for r in rows if _norm(r[1]).startswith(wanted)]
    if found:
        return sorted(found)
    names = _suggest(store, value, "District", "name", where=in_city, parameters=scope)
    raise QueryParameterError("no_district", value=value, closest=_closest(value, names))
