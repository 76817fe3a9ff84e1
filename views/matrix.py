"""Responsibility matrix, agency profiles and target tables as pandas frames: pure functions, no Streamlit.

The Agencies and Targets pages show them and offer them as downloads (the matrix also as a styled
workbook: views.workbook).

Everything here reads the networkx graph of ``GraphStore.to_networkx()`` (node key =
id; ``label`` and properties as attributes; edges carry ``type`` and, for LEADS /
RESPONSIBLE_FOR / SUPPORTS, ``basis``, ``rank`` and ``derived_from``).

The matrix has one row per agency (government departments first, then other named units, then each
collective unit followed by the members it expands to: :func:`row_order`) with its totals (actions
led, shared, all), and one column per action (city, document, number, title in ``attrs``). A cell
holds the agency's role in the action:

====  ==================================================================================
L     leads; the document names the lead (basis ``explicit``)
L*    leads by the first-listed convention: the note marks no lead (basis ``first-listed``)
R     responsible: shares the action
S     supports (配合/协办/参与)
…↳    the role comes through a collective unit the document expands (R↳: a member of 各区人民政府)
…✎    a person corrected it (graph.corrections: the relationship has a ``correction``): L✎, R✎, S✎
====  ==================================================================================

Cells are filled by role (:func:`cell_role`), with the colours of the ``[matrix]`` table of
``data/ui/styles.toml`` (:data:`MATRIX_STYLE`).

>>> from graph.embedded import EmbeddedStore                          # doctest: +SKIP
>>> from graph.loading import BUNDLED_CORPUS, load_files              # doctest: +SKIP
>>> store = EmbeddedStore("/tmp/g.lbdb"); load_files(store, [BUNDLED_CORPUS])  # doctest: +SKIP
>>> frame = responsibility_matrix(store.to_networkx(), cities=["鄂州市"])       # doctest: +SKIP
>>> frame.shape, list(frame["agency"][:3])                            # doctest: +SKIP
((29, 28), ['鄂州市科技局', '鄂州市经信局', '鄂州市数据局'])
>>> frame.set_index("agency").loc[["鄂州市科技局", "鄂州市经信局", "鄂城区人民政府"], "4."].tolist()  # doctest: +SKIP
['L*', 'R', 'R↳']
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from graph.vocabulary import EXPLICIT, FIRST_LISTED, LEADS, ROLE_BY_NAME, ROLE_BY_TYPE, ROLE_TYPES, ROLES

#: Relationship type -> its cell mark (LEADS -> L …) and its role name (LEADS -> lead …): graph.vocabulary.
ROLE_MARKS = {role.type: role.mark for role in ROLE_BY_TYPE.values()}
ROLE_NAMES = {role.type: role.name for role in ROLE_BY_TYPE.values()}
FIRST_LISTED_MARK = "*"
DERIVED_MARK = "↳"
CORRECTED_MARK = "✎"
#: The matrix's own columns, before one column per action.
MATRIX_COLUMNS = ("agency", "type", "member_of", "led", "shared", "total")
#: Action columns the Agencies page shows at once: a city's 3,000 actions styled cell by cell took 10 s a
#: run (pandas' Styler). Its downloads hold every action.
PAGE_ACTIONS = 200
#: What ``attrs["action_info"]`` says of each action column.
ACTION_INFO = ("city", "document", "number", "title")
#: The fill colours of the roles' cells (lead, first-listed, responsible, support), of the header and totals,
#: the text colour on them, and the agency types listed first (departments): ``[matrix]`` of styles.toml.
STYLES_PATH = Path(__file__).resolve().parent.parent / "data" / "ui" / "styles.toml"
ROLE_FILLS = ("lead", FIRST_LISTED, "responsible", "support")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def load_matrix_style(path: Path = STYLES_PATH) -> tuple[dict[str, str], tuple[str, ...]]:
    """The ``[matrix]`` table of ``styles.toml``, checked: its colours (``#rrggbb``) and the department types."""
    table = dict(tomllib.loads(path.read_text(encoding="utf-8"))["matrix"])
    departments = tuple(table.pop("departments"))
    for key in (*ROLE_FILLS, "header", "totals", "text"):
        if not _COLOUR.match(str(table.get(key, ""))):
            raise ValueError(f"matrix.{key} in {path.name} must be #rrggbb, got {table.get(key)!r}")
    return {key: str(value) for key, value in table.items()}, departments


MATRIX_STYLE, DEPARTMENT_TYPES = load_matrix_style()
NO_YEAR = "no year"


#: The mark a cell of each fill begins with: lead L, first-listed L*, responsible R, support S.
ROLE_FILL_MARKS = {fill: ROLE_BY_TYPE[LEADS].mark + FIRST_LISTED_MARK if fill == FIRST_LISTED
                   else ROLE_BY_NAME[fill].mark for fill in ROLE_FILLS}


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
    """Agencies × actions: who leads, shares and supports what (marks in the module docstring).

    One row per agency that has a role in the actions of the chosen ``documents`` (ids) and ``cities``
    (narrowed to agency ``types`` and ``kinds`` if given), in :func:`row_order`: government departments
    first, then the other named units, then each collective unit followed by its members. The columns
    are ``agency`` (its name), ``type``, ``member_of`` (the collective unit it is listed under, or ""),
    ``led`` (actions it leads), ``shared`` (actions it takes part in without leading), ``total``; then
    one column per action in document order, named by :func:`action_labels`. ``derived=False`` leaves
    out roles that come only through a collective unit; ``corrected_only=True`` keeps only the roles a
    person corrected, and the agencies and actions that have one. Empty cells are ``""``.

    ``frame.attrs``: ``agencies`` (the id of each row), ``groups`` (department, other, collective or
    member, per row), ``collective`` (the names of the collective units' rows), ``actions`` (the action
    id of each action column), ``action_columns`` (their labels), ``action_info`` (label -> city,
    document, number, title), ``involved`` (label -> units with a role in it) and ``corrected`` (how
    many cells hold a corrected role).

    >>> frame = responsibility_matrix(graph, cities=["仙桃市"])          # doctest: +SKIP
    >>> frame.set_index("agency").at["仙桃市发改委", "（一）"]            # doctest: +SKIP
    'L'
    """
    type_set, kind_set = _wanted(types), _wanted(kinds)
    columns = actions(graph, documents=documents, cities=cities)
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for action in columns:
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
            cells.setdefault((agency, action), []).append(data)
    if corrected_only:
        columns = [action for action in columns if any(key[1] == action for key in cells)]

    led: Counter[str] = Counter()
    shared: Counter[str] = Counter()
    for (agency, _), roles in cells.items():
        if any(r["type"] == LEADS for r in roles):
            led[agency] += 1
        else:
            shared[agency] += 1
    rows = row_order(graph, {agency for agency, _ in cells}, led, shared)
    labels = action_labels(graph, columns, taken=MATRIX_COLUMNS)
    records = []
    for agency, _, collective in rows:
        data = graph.nodes[agency]
        record: dict[str, Any] = {
            "agency": _name(graph, agency), "type": data.get("type") or "",
            "member_of": _name(graph, collective) if collective else "",
            "led": led[agency], "shared": shared[agency], "total": led[agency] + shared[agency]}
        for action, label in zip(columns, labels, strict=True):
            roles = cells.get((agency, action))
            record[label] = _cell(roles) if roles else ""
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[*MATRIX_COLUMNS, *labels])
    for column in ("led", "shared", "total"):
        frame[column] = frame[column].astype("int64")
    frame.attrs["agencies"] = [agency for agency, _, _ in rows]
    frame.attrs["groups"] = [group for _, group, _ in rows]
    frame.attrs["collective"] = [_name(graph, a) for a, _, _ in rows if graph.nodes[a].get("collective")]
    frame.attrs["actions"] = list(columns)
    frame.attrs["action_columns"] = list(labels)
    frame.attrs["action_info"] = {label: _action_info(graph, action) for action, label in zip(columns, labels,
                                                                                              strict=True)}
    frame.attrs["involved"] = {label: sum((agency, action) in cells for agency, _, _ in rows)
                               for action, label in zip(columns, labels, strict=True)}
    frame.attrs["corrected"] = sum(any(r.get("correction") for r in roles) for roles in cells.values())
    return frame


def _name(graph: nx.MultiDiGraph, agency: str) -> str:
    return graph.nodes[agency].get("name") or agency


def _action_info(graph: nx.MultiDiGraph, action: str) -> dict[str, str]:
    data = graph.nodes[action]
    return {"city": data.get("city") or "", "document": document_label(graph, data.get("doc_id")),
            "number": data.get("number") or "", "title": data.get("title") or ""}


def row_order(graph: nx.MultiDiGraph, agencies: Iterable[str], led: Counter[str] | dict[str, int],
              shared: Counter[str] | dict[str, int]) -> list[tuple[str, str, str | None]]:
    """The matrix's rows: ``(agency, group, collective it is listed under or None)``, in this order:

    1. ``department``: units of the types ``[matrix] departments`` of ``data/ui/styles.toml`` names
       (government departments and party organs), by workload: actions led, then shared, then name;
    2. ``other``: every other unit that is not a collective nor a member of one shown, by workload;
    3. each collective unit (``collective``), by workload, and right after it its members (``member``,
       the units it ``INCLUDES`` that are shown), by workload; a member that is a collective itself is
       followed by its own members. A member of two collectives follows the first; a department that
       is a member stays among the departments.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for key, kind, collective in [("科技局", "agency", False), ("各区", "collective", True),
    ...                               ("甲区", "government", False), ("公司", "company", False)]:
    ...     g.add_node(key, label="Agency", name=key, type=kind, collective=collective)
    >>> _ = g.add_edge("各区", "甲区", type="INCLUDES")
    >>> row_order(g, ["甲区", "公司", "各区", "科技局"], {"科技局": 1}, {"各区": 3, "甲区": 3, "公司": 1})
    [('科技局', 'department', None), ('公司', 'other', None), ('各区', 'collective', None), ('甲区', 'member', '各区')]
    """
    present = set(agencies)

    def workload(agency: str) -> tuple[int, int, str, str]:
        return -led.get(agency, 0), -shared.get(agency, 0), _name(graph, agency), agency

    def is_collective(agency: str) -> bool:
        return bool(graph.nodes[agency].get("collective"))

    departments = {a for a in present if not is_collective(a) and graph.nodes[a].get("type") in DEPARTMENT_TYPES}
    members = {c: sorted({m for _, m, d in graph.out_edges(c, data=True)
                          if d.get("type") == "INCLUDES" and m in present and m not in departments and m != c},
                         key=workload)
               for c in present if is_collective(c)}
    listed_under = {m for found in members.values() for m in found}
    rows: list[tuple[str, str, str | None]] = [(a, "department", None) for a in sorted(departments, key=workload)]
    rows += [(a, "other", None) for a in sorted(present - departments - listed_under - members.keys(), key=workload)]
    placed = {a for a, _, _ in rows}

    def place(collective: str, parent: str | None) -> None:
        placed.add(collective)
        rows.append((collective, "collective", parent))
        for member in members[collective]:
            if member in placed:
                continue
            if member in members:
                place(member, collective)
            else:
                placed.add(member)
                rows.append((member, "member", collective))

    tops = sorted((c for c in members if c not in listed_under), key=workload)
    for collective in [*tops, *sorted(members.keys() - set(tops), key=workload)]:  # then any in a cycle
        if collective not in placed:
            place(collective, None)
    return rows


def action_labels(graph: nx.MultiDiGraph, actions: list[str], taken: Iterable[str] = ()) -> list[str]:
    """A column name for each action, unique among them and ``taken``: its number (else its title); with the
    city before it where numbers repeat across cities, the document where they repeat within one; a count
    after it where even that repeats.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for key, city, number in [("a1", "甲市", "1."), ("a2", "甲市", "2."), ("b1", "乙市", "1.")]:
    ...     g.add_node(key, label="Action", city=city, number=number)
    >>> action_labels(g, ["a1", "a2"]), action_labels(g, ["a1", "a2", "b1"])
    (['1.', '2.'], ['甲市 1.', '甲市 2.', '乙市 1.'])
    """
    infos = [_action_info(graph, action) for action in actions]
    bases = [info["number"] or info["title"] or action for info, action in zip(infos, actions, strict=True)]
    labels = bases
    if len(set(labels)) < len(labels):
        labels = [f"{info['city']} {base}".strip() for info, base in zip(infos, bases, strict=True)]
    if len(set(labels)) < len(labels):
        labels = [f"{info['document']} {base}".strip() for info, base in zip(infos, bases, strict=True)]
    used = set(taken)
    unique = []
    for label in labels:
        name, count = label, 1
        while name in used:
            count += 1
            name = f"{label} ({count})"
        used.add(name)
        unique.append(name)
    return unique


def cell_role(cell: str) -> str | None:
    """The role whose colour a cell gets: that of its first mark (lead, first-listed, responsible, support).

    >>> [cell_role(c) for c in ["L", "L*", "R↳", "S✎", "L/R", "", "3"]]
    ['lead', 'first-listed', 'responsible', 'support', 'lead', None, None]
    """
    first = cell.split("/", 1)[0]
    for role in ROLES:
        if first.startswith(role.mark):
            if role.type == LEADS and first[len(role.mark):].startswith(FIRST_LISTED_MARK):
                return FIRST_LISTED
            return role.name
    return None


def cell_fills(frame: pd.DataFrame) -> pd.DataFrame:
    """The fill colour (``#rrggbb``, or "") of every cell of a matrix: action cells by :func:`cell_role`."""
    return _cells_by_role(frame, lambda fill: fill)


def cell_styles(frame: pd.DataFrame) -> pd.DataFrame:
    """CSS for each cell (for a pandas Styler): the fill of :func:`cell_fills` and the text colour on it."""
    text = MATRIX_STYLE["text"]
    return _cells_by_role(frame, lambda fill: f"background-color: {fill}; color: {text}")


def _cells_by_role(frame: pd.DataFrame, say: Callable[[str], str]) -> pd.DataFrame:
    """``say(fill)`` for each action cell with a fill, "" elsewhere. A matrix has few distinct cells
    (a role mark and a rank), so each is worked out once: mapping every cell through pandas cost the
    Agencies page a quarter of its run."""
    said: dict[object, str] = {}

    def of(cell: object) -> str:
        if cell not in said:
            fill = MATRIX_STYLE.get(cell_role(str(cell)) or "", "")
            said[cell] = say(fill) if fill else ""
        return said[cell]

    # One 2-D array, not a Series a column: pandas deep-copies a frame's attrs (the matrix keeps its
    # actions' details there) into every Series it hands out.
    blank, actions, values = [""] * len(frame), set(frame.attrs.get("action_columns", ())), frame.to_numpy()
    columns = {column: [of(cell) for cell in values[:, index]] if column in actions else blank
               for index, column in enumerate(frame.columns)}
    return pd.DataFrame(columns, index=frame.index, columns=list(frame.columns))


def agencies(graph: nx.MultiDiGraph, *, cities: Iterable[str] | None = None) -> list[str]:
    """Ids of the agencies (named on actions of ``cities``' plans: a district's plan is its city's,
    though its units are the district's) in the order of the ``agency-workload`` query: leads,
    all roles, name."""
    places = _wanted(cities)
    found = [key for key, data in graph.nodes(data=True) if data.get("label") == "Agency"
             and (places is None or any(graph.nodes[action].get("city") in places
                                        for _, action, d in graph.out_edges(key, data=True)
                                        if d.get("type") in ROLE_TYPES))]

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


TARGET_COLUMNS = ("year", "year_inferred", "city", "metric", "value", "value_max", "unit", "qualifier", "deadline",
                  "number", "action", "text", "quote", "document", "correction")


def targets_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Every target: year (nullable), whether the year is the plan's (inferred), city, metric, value, value_max,
    unit, qualifier, deadline, the number and
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
            "year": data.get("year"), "year_inferred": bool(data.get("year_inferred")),
            "city": data.get("city") or "", "metric": data.get("metric") or "",
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
