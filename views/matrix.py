"""Responsibility matrix, agency profiles and target tables as pandas frames: pure functions, no Streamlit.

The Agencies and Targets pages show them and offer them as downloads.

Everything here reads the networkx graph of ``GraphStore.to_networkx()`` (node key =
id; ``label`` and properties as attributes; edges carry ``type`` and, for LEADS /
RESPONSIBLE_FOR / SUPPORTS, ``basis``, ``rank`` and ``derived_from``).

The matrix has one row per action (city, document, number, title) and one column per
agency, most loaded first. A cell holds the agency's role in the action:

====  ==================================================================================
L     leads; the document names the lead (basis ``explicit``)
L*    leads by the first-listed convention: the note marks no lead (basis ``first-listed``)
R     responsible: shares the action
S     supports (配合/协办/参与)
…↳    the role comes through a collective unit the document expands (R↳: a member of 各区人民政府)
…✎    a person corrected it (graph.corrections: the relationship has a ``correction``): L✎, R✎, S✎
====  ==================================================================================

Collective units (各区人民政府 …) are listed in ``frame.attrs["collective"]``; the page marks
their column headers with ◎.

>>> from graph.embedded import EmbeddedStore                          # doctest: +SKIP
>>> from graph.loading import BUNDLED_CORPUS, load_files              # doctest: +SKIP
>>> store = EmbeddedStore("/tmp/g.lbdb"); load_files(store, [BUNDLED_CORPUS])  # doctest: +SKIP
>>> frame = responsibility_matrix(store.to_networkx(), cities=["鄂州市"])       # doctest: +SKIP
>>> frame.shape[0], list(frame.columns[:5])                           # doctest: +SKIP
(22, ['city', 'document', 'number', 'title', '鄂州市各区人民政府'])
>>> frame.set_index("number").loc["4.", ["鄂州市科技局", "鄂州市经信局", "鄂城区人民政府"]].tolist()  # doctest: +SKIP
['L*', 'R', 'R↳']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pandas as pd

from graph.vocabulary import EXPLICIT, FIRST_LISTED, LEADS, ROLE_BY_TYPE, ROLE_TYPES, ROLES

#: Relationship type -> its cell mark (LEADS -> L …) and its role name (LEADS -> lead …): graph.vocabulary.
ROLE_MARKS = {role.type: role.mark for role in ROLE_BY_TYPE.values()}
ROLE_NAMES = {role.type: role.name for role in ROLE_BY_TYPE.values()}
FIRST_LISTED_MARK = "*"
DERIVED_MARK = "↳"
CORRECTED_MARK = "✎"
COLLECTIVE_MARK = "◎"
ROW_COLUMNS = ("city", "document", "number", "title")
NO_YEAR = "no year"


def role_mark(rel_type: str, basis: str | None = None, derived_from: str | None = None,
              correction: str | None = None) -> str:
    """The cell mark of one role; ``correction``: the correction that set it, if a person did.

    >>> role_mark("LEADS", "explicit"), role_mark("LEADS", "first-listed"), role_mark("RESPONSIBLE_FOR", None, "各区")
    ('L', 'L*', 'R↳')
    >>> role_mark("LEADS", "corrected", None, "c-1"), role_mark("SUPPORTS", None, None, "c-2")
    ('L✎', 'S✎')
    """
    mark = ROLE_MARKS[rel_type]
    if rel_type == LEADS and basis == FIRST_LISTED:
        mark += FIRST_LISTED_MARK
    if derived_from:
        mark += DERIVED_MARK
    if correction:
        mark += CORRECTED_MARK
    return mark


def _mark(data: dict[str, Any]) -> str:
    return role_mark(data["type"], data.get("basis"), data.get("derived_from"), data.get("correction"))


def document_label(graph: nx.MultiDiGraph, doc_id: str | None) -> str:
    """A document as people recognise it: its title, else its file name."""
    if doc_id is None or doc_id not in graph:
        return ""
    data = graph.nodes[doc_id]
    return data.get("title") or data.get("source") or doc_id


def _wanted(values: Iterable[str] | None) -> set[str] | None:
    return None if values is None else set(values)


def actions(graph: nx.MultiDiGraph, *, documents: Iterable[str] | None = None,
            cities: Iterable[str] | None = None) -> list[str]:
    """Ids of the actions of ``documents`` (ids) and ``cities`` (None: all), by document file name and position."""
    docs, places = _wanted(documents), _wanted(cities)
    found = [key for key, data in graph.nodes(data=True) if data.get("label") == "Action"
             and (docs is None or data.get("doc_id") in docs) and (places is None or data.get("city") in places)]

    def order(key: str) -> tuple[str, str, int]:
        data = graph.nodes[key]
        source = graph.nodes[data["doc_id"]].get("source", "") if data.get("doc_id") in graph else ""
        return source, data.get("doc_id") or "", data.get("seq") or 0

    return sorted(found, key=order)


def _roles(graph: nx.MultiDiGraph, action: str) -> Iterable[tuple[str, dict[str, Any]]]:
    for agency, _, data in graph.in_edges(action, data=True):
        if data.get("type") in ROLE_TYPES:
            yield agency, data


def _cell(roles: list[dict[str, Any]]) -> str:
    ordered = sorted(roles, key=lambda r: (ROLE_TYPES.index(r["type"]), r.get("rank") or 0))
    return "/".join(_mark(r) for r in ordered)


def responsibility_matrix(graph: nx.MultiDiGraph, *, documents: Iterable[str] | None = None,
                          cities: Iterable[str] | None = None, types: Iterable[str] | None = None,
                          kinds: Iterable[str] | None = None, derived: bool = True,
                          corrected_only: bool = False) -> pd.DataFrame:
    """Actions × agencies: who leads, shares and supports what (marks in the module docstring).

    Rows are the actions of the chosen ``documents`` (ids) and ``cities``, in document order, with
    the columns ``city``, ``document``, ``number`` and ``title``; then one column per agency that
    has a role in them (narrowed to agency ``types`` and ``kinds`` if given), ordered by load: the
    number of those actions it has a role in, then leads, then roles held in its own name, then
    name. ``derived=False`` leaves out roles that come only through a collective unit;
    ``corrected_only=True`` keeps only the roles a person corrected, and the actions that have one.
    Empty cells are ``""``. ``frame.attrs`` holds ``agencies`` (column order), ``collective``
    (collective units among them), ``load`` (agency -> actions), ``actions`` (the action id of each
    row) and ``corrected`` (how many cells hold a corrected role).

    >>> frame = responsibility_matrix(graph, cities=["仙桃市"])          # doctest: +SKIP
    >>> frame.set_index("number").at["（一）", "仙桃市发改委"]           # doctest: +SKIP
    'L'
    """
    type_set, kind_set = _wanted(types), _wanted(kinds)
    rows = actions(graph, documents=documents, cities=cities)
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for action in rows:
        for agency, data in _roles(graph, action):
            if not derived and data.get("derived_from"):
                continue
            if corrected_only and not data.get("correction"):
                continue
            node = graph.nodes[agency]
            if type_set is not None and node.get("type") not in type_set:
                continue
            if kind_set is not None and node.get("kind") not in kind_set:
                continue
            cells.setdefault((action, agency), []).append(data)

    load: Counter[str] = Counter()
    leads: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for (_, agency), roles in cells.items():
        load[agency] += 1
        leads[agency] += any(r["type"] == LEADS for r in roles)
        own[agency] += any(not r.get("derived_from") for r in roles)
    agencies = sorted(load, key=lambda a: (-load[a], -leads[a], -own[a], graph.nodes[a].get("name") or a, a))

    if corrected_only:
        rows = [action for action in rows if any(key[0] == action for key in cells)]
    records = []
    for action in rows:
        data = graph.nodes[action]
        record: dict[str, Any] = {"city": data.get("city") or "", "document": document_label(graph, data.get("doc_id")),
                                  "number": data.get("number") or "", "title": data.get("title") or ""}
        for agency in agencies:
            roles = cells.get((action, agency))
            record[_column(graph, agency)] = _cell(roles) if roles else ""
        records.append(record)
    columns = list(ROW_COLUMNS) + [_column(graph, agency) for agency in agencies]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame.attrs["agencies"] = [_column(graph, agency) for agency in agencies]
    frame.attrs["collective"] = [_column(graph, a) for a in agencies if graph.nodes[a].get("collective")]
    frame.attrs["load"] = {_column(graph, agency): load[agency] for agency in agencies}
    frame.attrs["actions"] = list(rows)
    frame.attrs["corrected"] = sum(any(r.get("correction") for r in roles) for roles in cells.values())
    return frame


def _column(graph: nx.MultiDiGraph, agency: str) -> str:
    return graph.nodes[agency].get("name") or agency


def mark_collective_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose collective units' column names end with ◎ (for downloads, where no legend travels)."""
    collective = set(frame.attrs.get("collective", ()))
    return frame.rename(columns={c: f"{c} {COLLECTIVE_MARK}" for c in frame.columns if c in collective})


def agencies(graph: nx.MultiDiGraph, *, cities: Iterable[str] | None = None) -> list[str]:
    """Ids of the agencies (of ``cities``) in the order of the ``agency-workload`` query: leads, all roles, name."""
    places = _wanted(cities)
    found = [key for key, data in graph.nodes(data=True)
             if data.get("label") == "Agency" and (places is None or data.get("city") in places)]

    def load(agency: str) -> tuple[int, int]:
        roles = [d["type"] for _, _, d in graph.out_edges(agency, data=True) if d.get("type") in ROLE_TYPES]
        return -roles.count(LEADS), -len(roles)

    return sorted(found, key=lambda a: (*load(a), graph.nodes[a].get("name") or a, a))


def agency_types(graph: nx.MultiDiGraph) -> list[str]:
    return sorted({d.get("type") for _, d in graph.nodes(data=True) if d.get("label") == "Agency" and d.get("type")})


def agency_kinds(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Kind -> its English name, for the kinds agencies in the graph have."""
    used = {d.get("kind") for _, d in graph.nodes(data=True) if d.get("label") == "Agency" and d.get("kind")}
    names = {d.get("name"): d.get("name_en") or "" for _, d in graph.nodes(data=True) if d.get("label") == "AgencyKind"}
    return {kind: names.get(kind, "") for kind in sorted(used)}


def agency_profile(graph: nx.MultiDiGraph, agency: str) -> dict[str, Any]:
    """What the graph says about one agency: names, kind, type, city, collective links and role counts.

    >>> agency_profile(graph, "仙桃市科技局")["explicit_leads"]       # doctest: +SKIP
    7
    """
    data = graph.nodes[agency]
    kind = data.get("kind")
    kind_en = next((graph.nodes[k].get("name_en") for _, k, d in graph.out_edges(agency, data=True)
                    if d.get("type") == "OF_KIND"), None)
    if kind_en is None and kind in graph and graph.nodes[kind].get("label") == "AgencyKind":
        kind_en = graph.nodes[kind].get("name_en")
    roles = [d for _, _, d in graph.out_edges(agency, data=True) if d.get("type") in ROLE_TYPES]
    members = sorted({m for _, m, d in graph.out_edges(agency, data=True) if d.get("type") == "INCLUDES"})
    member_of = sorted({c for c, _, d in graph.in_edges(agency, data=True) if d.get("type") == "INCLUDES"})
    return {
        "id": agency, "name": data.get("name") or agency, "aliases": list(data.get("aliases") or []),
        "city": data.get("city"), "kind": kind, "kind_en": kind_en, "type": data.get("type"),
        "collective": bool(data.get("collective")),
        "members": [graph.nodes[m].get("name") or m for m in members],
        "member_of": [graph.nodes[c].get("name") or c for c in member_of],
        **{role.counter: sum(r["type"] == role.type for r in roles) for role in ROLES},  # leads, responsible, supports
        "explicit_leads": sum(r["type"] == LEADS and r.get("basis") == EXPLICIT for r in roles),
        "first_listed_leads": sum(r["type"] == LEADS and r.get("basis") == FIRST_LISTED for r in roles),
    }


ACTION_COLUMNS = ("mark", "role", "basis", "via_collective", "as_written", "city", "document", "number", "title")


def agency_actions(graph: nx.MultiDiGraph, agency: str, role: str | None = None) -> pd.DataFrame:
    """The actions an agency has a role in (``role``: LEADS, RESPONSIBLE_FOR or SUPPORTS; None: all), in document order.

    Columns: mark (L, L*, R, S, …↳), role (lead/responsible/support), basis (explicit, first-listed or
    empty), via_collective (the collective unit the role comes through), as_written, city, document,
    number, title.
    """
    found = {}
    for _, action, data in graph.out_edges(agency, data=True):
        if data.get("type") in ROLE_TYPES and (role is None or data["type"] == role):
            found.setdefault(action, []).append(data)
    order = {action: position for position, action in enumerate(actions(graph))}
    records = []
    for action in sorted(found, key=lambda a: order.get(a, len(order))):
        node = graph.nodes[action]
        for data in sorted(found[action], key=lambda r: ROLE_TYPES.index(r["type"])):
            records.append({
                "mark": _mark(data),
                "role": ROLE_NAMES[data["type"]], "basis": data.get("basis") or "",
                "via_collective": data.get("derived_from") or "", "as_written": data.get("as_written") or "",
                "city": node.get("city") or "", "document": document_label(graph, node.get("doc_id")),
                "number": node.get("number") or "", "title": node.get("title") or ""})
    return pd.DataFrame.from_records(records, columns=list(ACTION_COLUMNS))


TARGET_COLUMNS = ("year", "city", "metric", "value", "value_max", "unit", "qualifier", "deadline", "number",
                  "action", "text", "quote", "document", "correction")


def targets_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Every target: year (nullable), city, metric, value, value_max, unit, qualifier, deadline, the number and
    title of the action that sets it (empty for a plan's goals), the target text, the quoted sentence, the document,
    and the correction that fixed its value, unit or year (empty if none did).

    Sorted by year (targets without a year last), city and position in the document.
    """
    records = []
    for key, data in graph.nodes(data=True):
        if data.get("label") != "Target":
            continue
        owner = next((graph.nodes[a] for a, _, d in graph.in_edges(key, data=True)
                      if d.get("type") == "SETS_TARGET" and graph.nodes[a].get("label") == "Action"), None)
        span = data.get("span") or [0, 0]
        records.append({
            "year": data.get("year"), "city": data.get("city") or "", "metric": data.get("metric") or "",
            "value": data.get("value"), "value_max": data.get("value_max"), "unit": data.get("unit") or "",
            "qualifier": data.get("qualifier") or "", "deadline": data.get("deadline") or "",
            "number": (owner or {}).get("number") or "", "action": (owner or {}).get("title") or "",
            "text": data.get("text") or "", "quote": data.get("quote") or "",
            "document": document_label(graph, data.get("doc_id")), "correction": data.get("correction") or "",
            "_order": (data.get("year") is None, data.get("year") or 0, data.get("city") or "",
                       data.get("doc_id") or "", span[0], key)})
    records.sort(key=lambda r: r.pop("_order"))
    frame = pd.DataFrame.from_records(records, columns=list(TARGET_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    frame["value_max"] = frame["value_max"].astype("float64")
    return frame


def filter_targets(frame: pd.DataFrame, *, cities: Iterable[str] | None = None,
                   years: tuple[int, int] | None = None, include_no_year: bool = True,
                   corrected_only: bool = False) -> pd.DataFrame:
    """Targets of ``cities`` whose year is within ``years`` (inclusive); those without a year if ``include_no_year``;
    only those a person corrected if ``corrected_only``."""
    keep = pd.Series(True, index=frame.index)
    if corrected_only:
        keep &= frame["correction"] != ""
    if cities is not None:
        keep &= frame["city"].isin(list(cities))
    no_year = frame["year"].isna()
    if years is not None:
        in_range = frame["year"].between(years[0], years[1]).fillna(False).astype(bool)
        keep &= in_range | no_year
    if not include_no_year:
        keep &= ~no_year
    return frame[keep].reset_index(drop=True)


def year_labels(frame: pd.DataFrame, no_year: str = NO_YEAR) -> pd.Series:
    """The year of each target as text, ``no_year`` where the document gives none."""
    return frame["year"].map(lambda y: no_year if pd.isna(y) else str(int(y))).astype(object)


def targets_per_year(frame: pd.DataFrame, no_year: str = NO_YEAR) -> pd.DataFrame:
    """Counts of targets by year and city: a ``year`` column (text, ``no_year`` last) and one column per city.

    >>> targets_per_year(targets_table(graph), "no year").set_index("year").at["2027", "鄂州市"]  # doctest: +SKIP
    4
    """
    cities = sorted(frame["city"].unique())
    labelled = frame.assign(year=year_labels(frame, no_year))
    years = sorted({int(y) for y in frame["year"].dropna()})
    order = [str(y) for y in years] + ([no_year] if frame["year"].isna().any() else [])
    counts = labelled.groupby(["year", "city"]).size()
    records = []
    for year in order:
        record: dict[str, Any] = {"year": year}
        for city in cities:
            record[city] = int(counts.get((year, city), 0))
        record["total"] = sum(record[city] for city in cities)
        records.append(record)
    return pd.DataFrame.from_records(records, columns=["year", *cities, "total"])


def targets_long(frame: pd.DataFrame, no_year: str = NO_YEAR) -> pd.DataFrame:
    """``year`` (text), ``city``, ``targets``: the counts the chart draws."""
    labelled = frame.assign(year=year_labels(frame, no_year))
    counts = labelled.groupby(["year", "city"]).size().reset_index(name="targets")
    return counts
