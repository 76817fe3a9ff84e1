"""The Cypher both stores run to build and write the graph, generated from :mod:`graph.schema` alone.

- DDL: :func:`neo4j_ddl` (a uniqueness constraint per node key, an index per ``INDEX``
  property) and :func:`ladybug_ddl` (a node table per label, a relationship table per type);
- merges: :func:`merge_nodes` and :func:`merge_relationships`, in Neo4j's form (``UNWIND``)
  or LadybugDB's (``LOAD FROM`` an Arrow table), applying the schema's merge rules: ``UNION``
  properties united with what is stored, ``earliest_wins`` models keeping the properties of
  the document with the smallest id, every other property set from the row.

Labels, relationship types and property names come from the schema's models (identifiers we
own); every value travels as a parameter, in batches. The functions take the models, so a
model with a field added (a subclass) gives statements with that field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from graph import schema
from graph.vocabulary import BRINGING_RELATIONSHIPS, DOCUMENT_LABELS

NEO4J, LADYBUG = "neo4j", "embedded"  # the store kinds (GraphStore.kind) whose Cypher differs here


# -- DDL ----------------------------------------------------------------------------------------
def neo4j_ddl(nodes: Iterable[type[schema.Node]] | None = None) -> list[str]:
    """Constraints and indexes for Neo4j: a uniqueness constraint on each label's key (which also
    indexes it), one index per ``INDEX`` property, and the constraints of the change stamp and of kept
    results. Idempotent."""
    models = list(schema.stored_models() if nodes is None else nodes)
    ddl = [f"CREATE CONSTRAINT {model.label.lower()}_{schema.key(model)} IF NOT EXISTS "
           f"FOR (n:{model.label}) REQUIRE n.{schema.key(model)} IS UNIQUE" for model in models]
    ddl.append(f"CREATE CONSTRAINT {STAMP_LABEL.lower()}_id IF NOT EXISTS FOR (n:{STAMP_LABEL}) REQUIRE n.id IS UNIQUE")
    ddl.append(f"CREATE CONSTRAINT {KEPT_LABEL.lower()}_key IF NOT EXISTS FOR (n:{KEPT_LABEL}) REQUIRE n.key IS UNIQUE")
    for model in models:
        ddl += [f"CREATE INDEX {model.label.lower()}_{name} IF NOT EXISTS FOR (n:{model.label}) ON (n.{name})"
                for name in schema.indexed(model)]
    return ddl


def ladybug_ddl(nodes: Iterable[type[schema.Node]] | None = None,
                relationships: Iterable[type[schema.Relationship]] | None = None) -> list[str]:
    """Tables for LadybugDB: a node table per label (its key the primary key), a relationship table per
    type (every pair it connects), the change stamp's table and that of kept results. ``INDEX`` has no counterpart here:
    LadybugDB has no secondary indexes. Idempotent (``IF NOT EXISTS``)."""
    ddl = []
    for model in schema.stored_models() if nodes is None else nodes:
        columns = ", ".join(f"{name} {kind}" + (" PRIMARY KEY" if name == schema.key(model) else "")
                            for name, kind in schema.properties(model).items())
        ddl.append(f"CREATE NODE TABLE IF NOT EXISTS {model.label}({columns})")
    for model in schema.RELATIONSHIPS.values() if relationships is None else relationships:
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in model.pairs)
        columns = "".join(f", {name} {kind}" for name, kind in schema.properties(model).items())
        ddl.append(f"CREATE REL TABLE IF NOT EXISTS {model.type}({pairs}{columns})")
    ddl.append(f"CREATE NODE TABLE IF NOT EXISTS {STAMP_LABEL}(id STRING PRIMARY KEY, version INT64)")
    ddl.append(f"CREATE NODE TABLE IF NOT EXISTS {KEPT_LABEL}(key STRING PRIMARY KEY, version INT64, payload STRING)")
    return ddl


def ladybug_columns(nodes: Iterable[type[schema.Node]] | None = None,
                    relationships: Iterable[type[schema.Relationship]] | None = None) -> dict[str, dict[str, str]]:
    """Each LadybugDB table's columns by the schema: name -> type (a relationship table's ends aside)."""
    columns = {}
    for model in schema.stored_models() if nodes is None else nodes:
        columns[model.label] = dict(schema.properties(model))
    for model in schema.RELATIONSHIPS.values() if relationships is None else relationships:
        columns[model.type] = dict(schema.properties(model))
    return columns


def ladybug_added_columns(present: dict[str, set[str]], columns: dict[str, dict[str, str]] | None = None) -> list[str]:
    """``ALTER TABLE … ADD`` for the columns the schema has and a table made before lacks (``present``:
    the table's columns as LadybugDB lists them), so a field added to a model reaches a database
    created without it. A column whose type changed is not altered (LadybugDB cannot)."""
    return [f"ALTER TABLE {table} ADD {name} {kind}"
            for table, wanted in (ladybug_columns() if columns is None else columns).items()
            for name, kind in wanted.items() if name not in present.get(table, set())]


# -- merges -------------------------------------------------------------------------------------
@cache
def merge_nodes(model: type[schema.Node], rows: str = "$rows", store_kind: str = NEO4J, *, create: bool = False) -> str:
    """``UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n.k = r.k, …`` over every property of ``model``.

    ``rows`` is the parameter holding the rows: for Neo4j a list of maps (``$rows``, or
    ``$groups.Action`` for the Neo4j store's one statement per document); for LadybugDB
    (``store_kind="embedded"``) a table whose columns are the properties (``LOAD FROM $rows``).
    ``create``: CREATE instead of MERGE, for the nodes a plan owns (sections, actions, targets), as for
    :func:`merge_relationships`.

    >>> merge_nodes(schema.NODES["Target"], store_kind=LADYBUG, create=True).split(" SET ")[0]
    'LOAD FROM $rows CREATE (n:Target {id: `id`})'
    """
    if create and model.label not in schema.OWNED_LABELS:
        raise ValueError(f"{model.label} is not a plan's own: it is merged")
    source, value = _row_source(rows, store_kind)
    key = schema.key(model)
    merge = f"{source} {'CREATE' if create else 'MERGE'} (n:{model.label} {{{key}: {value(key)}}})"
    return merge + _sets("n", model, [name for name in schema.properties(model) if name != key], value, store_kind)


@cache
def merge_relationships(model: type[schema.Relationship], start_label: str, end_label: str, rows: str = "$rows",
                        store_kind: str = NEO4J, *, create: bool = False) -> str:
    """Match both ends by their keys (``from_id``, ``to_id`` of a row), merge the relationship, set its
    properties (``rows`` and ``store_kind`` as for :func:`merge_nodes`).

    ``create``: CREATE instead of MERGE, for a relationship to a node a plan owns (:func:`owned_end`)
    that is new in this transaction, one row per relationship: no relationship can reach that node yet,
    and LadybugDB's MERGE of a relationship searches those of its other end, an agency with thousands.

    >>> merge_relationships(schema.RELATIONSHIPS["LEADS"], "Agency", "Action", create=True).split(" SET ")[0]
    'UNWIND $rows AS r MATCH (a:Agency {id: r.from_id}) MATCH (b:Action {id: r.to_id}) CREATE (a)-[x:LEADS]->(b)'
    """
    if (start_label, end_label) not in model.pairs:
        raise ValueError(f"{model.type} does not connect {start_label} to {end_label}")
    if create and not owned_end(start_label, end_label):
        raise ValueError(f"{model.type} from {start_label} to {end_label} has no owned end: it is merged")
    source, value = _row_source(rows, store_kind)
    start_key, end_key = schema.key(schema.NODES[start_label]), schema.key(schema.NODES[end_label])
    merge = (f"{source} MATCH (a:{start_label} {{{start_key}: {value('from_id')}}}) "
             f"MATCH (b:{end_label} {{{end_key}: {value('to_id')}}}) "
             f"{'CREATE' if create else 'MERGE'} (a)-[x:{model.type}]->(b)")
    return merge + _sets("x", model, list(schema.properties(model)), value, store_kind)


def owned_end(start_label: str, end_label: str) -> bool:
    """Whether one end of a relationship between these labels is a node one plan owns (a section, an
    action, a target): deleting the plan's own (:func:`document_deletes`) deletes the relationship.

    >>> owned_end("Agency", "Action"), owned_end("Document", "District"), owned_end("Agency", "Agency")
    (True, False, False)
    """
    return start_label in schema.OWNED_LABELS or end_label in schema.OWNED_LABELS


@cache
def owned_plans(label: str) -> str:
    """The plans (``doc_id``) whose nodes of an owned label with ids ``$ids`` are in the store."""
    if label not in schema.OWNED_LABELS:
        raise ValueError(f"{label} is not a plan's own")
    return f"MATCH (n:{label}) WHERE n.id IN $ids RETURN DISTINCT n.doc_id"


def _sets(variable: str, model: type, keys: list[str], value: Callable[[str], str], store_kind: str) -> str:
    """The SET part of a merge, by the schema's rules (module docstring).

    ``earliest_wins``: a property changes only when this row's document comes first (smallest
    ``doc_id``), so the stored values never depend on load order. ``UNION``: LadybugDB unites
    the lists with its list functions; Neo4j (no list sort without plugins) in a subquery per
    property, after the other properties are set.
    """
    if not keys:
        return ""
    united = [key for key in keys if key in schema.united(model)]
    plain = [key for key in keys if key not in united]
    if model.earliest_wins:
        if "doc_id" not in keys:
            raise TypeError(f"{model.__name__} is earliest_wins but has no doc_id to compare")
        # The comparison is made once, before any property changes (SET items apply in order).
        carried = ", ".join(value(key) for key in keys) if store_kind == LADYBUG else "r"  # LOAD FROM: variables
        first = f"({variable}.doc_id IS NULL OR {value('doc_id')} <= {variable}.doc_id) AS earliest"
        head = f" WITH {variable}, {carried}, {first} SET "
        items = [f"{variable}.{key} = CASE WHEN earliest THEN {value(key)} ELSE {variable}.{key} END" for key in plain]
    else:
        head = " SET "
        items = [f"{variable}.{key} = {value(key)}" for key in plain]
    if store_kind == LADYBUG:
        types = schema.properties(model)
        for key in united:
            empty = f"CAST([] AS {types[key]})"
            items.append(f"{variable}.{key} = list_sort(list_distinct(list_concat("
                         f"coalesce({variable}.{key}, {empty}), coalesce({value(key)}, {empty}))))")
        return head + ", ".join(items)
    text = head + ", ".join(items) if items else ""
    for key in united:
        text += (f" WITH {variable}, r CALL ({variable}, r) {{ UNWIND coalesce({variable}.{key}, []) + "
                 f"coalesce({value(key)}, []) AS value WITH DISTINCT value ORDER BY value "
                 f"RETURN collect(value) AS united_{key} }} SET {variable}.{key} = united_{key}")
    return text


def _row_source(rows: str, store_kind: str) -> tuple[str, Callable[[str], str]]:
    """The clause that yields the rows, and how a row's value for a key is written."""
    if store_kind == LADYBUG:
        # Columns are variables in scope; quoted, because some keys (type, value, path) are keywords.
        return f"LOAD FROM {rows}", lambda key: f"`{key}`"
    if store_kind != NEO4J:
        raise ValueError(f"unknown store kind {store_kind!r}")
    return f"UNWIND {rows} AS r", lambda key: f"r.{key}"


def relationship_group_name(rel_type: str, start_label: str, end_label: str) -> str:
    """The name of one relationship group, e.g. ``MENTIONS_Action_Park``."""
    return f"{rel_type}_{start_label}_{end_label}"


RELATIONSHIP_GROUPS: tuple[tuple[str, str, str], ...] = tuple(
    (rel_type, start, end) for rel_type, model in schema.RELATIONSHIPS.items() for start, end in model.pairs
)


# -- rewriting plans in place (a reload, a correction, a removal) -----------------------------------
def _provenance_groups() -> list[tuple[str, str, str]]:
    """(type, start, end) of every relationship that says which plan it came from (``doc_id``)."""
    return [(rel_type, start, end) for rel_type, start, end in RELATIONSHIP_GROUPS
            if "doc_id" in schema.properties(schema.RELATIONSHIPS[rel_type])]


@cache
def documents_touching() -> tuple[str, ...]:
    """Queries (``$ids``: shared nodes) for the plans with a relationship to any of those nodes."""
    queries = []
    for rel_type, start, end in _provenance_groups():
        if start in schema.SHARED_LABELS:
            queries.append(f"MATCH (n:{start})-[r:{rel_type}]->(:{end}) WHERE n.id IN $ids RETURN DISTINCT r.doc_id")
        if end in schema.SHARED_LABELS:
            queries.append(f"MATCH (:{start})-[r:{rel_type}]->(n:{end}) WHERE n.id IN $ids RETURN DISTINCT r.doc_id")
    return tuple(queries)


@cache
def shared_nodes_of() -> tuple[str, ...]:
    """Queries (``$ids``: plans) for the shared nodes (agencies, entities) those plans have relationships to."""
    queries = []
    for rel_type, start, end in _provenance_groups():
        for variable, label in (("a", start), ("b", end)):
            if label in schema.SHARED_LABELS:
                queries.append(f"MATCH (a:{start})-[r:{rel_type}]->(b:{end}) WHERE r.doc_id IN $ids "
                               f"RETURN DISTINCT {variable}.id")
    return tuple(queries)


@cache
def document_deletes() -> dict[str, Any]:
    """``owned``: what belongs to the plans ``$ids`` alone (their sections, actions and targets, and their
    relationships to shared nodes), deleted before they are written again; ``document``: the plans' nodes."""
    owned = [f"MATCH (n:{model.label}) WHERE n.doc_id IN $ids DETACH DELETE n" for model in schema.NODE_MODELS
             if model.label in schema.OWNED_LABELS]
    owned += [f"MATCH (:{start})-[r:{rel_type}]->(:{end}) WHERE r.doc_id IN $ids DELETE r"
              for rel_type, start, end in _provenance_groups()
              if start not in schema.OWNED_LABELS and end not in schema.OWNED_LABELS]
    return {"owned": tuple(owned), "document": "MATCH (d:Document) WHERE d.id IN $ids DETACH DELETE d"}


@cache
def shared_node_deletes() -> tuple[str, ...]:
    """Delete the shared nodes ``$ids``, to be built again by the plans that name them."""
    return tuple(f"MATCH (n:{label}) WHERE n.id IN $ids DETACH DELETE n" for label in schema.SHARED_LABELS)


@cache
def orphan_deletes() -> tuple[str, ...]:
    """Delete those of the shared nodes ``$ids`` that no plan names any more, and kinds no agency has."""
    roles = "|".join(schema.ROLE_RELATIONSHIPS.values())
    queries = [f"MATCH (n:Agency) WHERE n.id IN $ids AND NOT EXISTS {{ MATCH (n)-[:{roles}]->(:Action) }} "
               "AND NOT EXISTS { MATCH (n)-[:INCLUDES]-(:Agency) } DETACH DELETE n"]
    queries += [f"MATCH (n:{label}) WHERE n.id IN $ids AND NOT EXISTS {{ MATCH (n)<-[:MENTIONS]-() }} "
                "DETACH DELETE n" for label in schema.ENTITY_LABELS]
    queries.append("MATCH (k:AgencyKind) WHERE NOT EXISTS { MATCH (k)<-[:OF_KIND]-(:Agency) } DELETE k")
    return tuple(queries)


# -- reading the graph into networkx: the whole of it, or the part some plans use --------------------
#: The labels of what one plan owns: its Document node and its sections, actions and targets.
_PLAN_LABELS = DOCUMENT_LABELS


def _node_returns(label: str) -> str:
    return ", ".join(f"n.{key}" for key in schema.properties(schema.NODES[label]))


def _edge_returns(rel_type: str) -> str:
    return "".join(f", r.{key}" for key in schema.properties(schema.RELATIONSHIPS[rel_type]))


def _plan_of(variable: str, label: str) -> str:
    """The condition that a node of an owned label belongs to one of the plans ``$ids``."""
    return f"{variable}.{'id' if label == 'Document' else 'doc_id'} IN $ids"


def whole_graph_reads() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(label, query) of every node with its properties in schema order, and (type, query) of every
    relationship as ``start id, end id, properties…``: the whole graph (GraphStore.to_networkx). Made on each
    call, from the schema's models as they are then (a model replaced by a subclass reads its new fields)."""
    nodes = tuple((label, f"MATCH (n:{label}) RETURN {_node_returns(label)}") for label in schema.NODES)
    edges = tuple((rel_type, f"MATCH (a)-[r:{rel_type}]->(b) RETURN a.id, b.id{_edge_returns(rel_type)}")
                  for rel_type in schema.RELATIONSHIPS)
    return nodes, edges


@dataclass(frozen=True)
class ScopeReads:
    """The queries that read the part of the graph some plans use (``GraphStore.to_networkx(documents)``),
    the same part as ``views.network``'s scope: what the plans own, the shared nodes their nodes link to,
    and the nodes those bring along by ``BRINGING_RELATIONSHIPS``, with every relationship among all of them.
    Each is (label or type, query); rows of nodes are their properties in schema order, rows of
    relationships ``start id, end id, properties…``."""

    #: ``$ids``: plans. Their documents, sections, actions and targets.
    plan_nodes: tuple[tuple[str, str], ...]
    #: ``$ids``: plans. Relationships with an end the plans own (their structure, their links to shared nodes).
    plan_edges: tuple[tuple[str, str], ...]
    #: ``$ids``: shared nodes. The ids of the nodes they bring along.
    brought: tuple[str, ...]
    #: ``$ids``: node ids. Shared nodes (and kinds) by id.
    shared_nodes: tuple[tuple[str, str], ...]
    #: ``$ids``: node ids. Relationships between two of those nodes, where neither end is a plan's own.
    shared_edges: tuple[tuple[str, str], ...]


def scope_reads() -> ScopeReads:
    """The queries of :class:`ScopeReads`, generated from the schema's relationship pairs on each call."""
    plan_nodes = tuple((label, f"MATCH (n:{label}) WHERE {_plan_of('n', label)} RETURN {_node_returns(label)}")
                       for label in _PLAN_LABELS)
    plan_edges, brought, shared_edges = [], [], []
    for rel_type, start, end in RELATIONSHIP_GROUPS:
        pattern = f"MATCH (a:{start})-[r:{rel_type}]->(b:{end})"
        returns = f"RETURN a.id, b.id{_edge_returns(rel_type)}"
        if start in _PLAN_LABELS or end in _PLAN_LABELS:
            owned = ("a", start) if start in _PLAN_LABELS else ("b", end)
            plan_edges.append((rel_type, f"{pattern} WHERE {_plan_of(*owned)} {returns}"))
            continue
        shared_edges.append((rel_type, f"{pattern} WHERE a.id IN $ids AND b.id IN $ids {returns}"))
        if rel_type in BRINGING_RELATIONSHIPS:
            brought.append(f"{pattern} WHERE a.id IN $ids RETURN DISTINCT b.id")
    shared_nodes = tuple((label, f"MATCH (n:{label}) WHERE n.id IN $ids RETURN {_node_returns(label)}")
                         for label in schema.NODES if label not in _PLAN_LABELS)
    return ScopeReads(plan_nodes, tuple(plan_edges), tuple(brought), shared_nodes, tuple(shared_edges))


#: Every plan without its text: what lists of plans and cities are made from (GraphStore.document_index).
DOCUMENT_INDEX = ("MATCH (d:Document) RETURN d.id, d.source, d.title, d.city, d.province, d.level, d.published "
                  "ORDER BY d.id")
DOCUMENT_INDEX_COLUMNS = ("id", "source", "title", "city", "province", "level", "published")


DOCUMENT_IDS = "MATCH (d:Document) RETURN d.id ORDER BY d.id"
#: Plans loaded before Document.actions and .targets were written get them counted once, at the first
#: writable open (a store's ensure_schema); after that nothing matches and it is one scan of Document.
FILL_DOCUMENT_COUNTS = ("MATCH (d:Document) WHERE d.actions IS NULL OR d.targets IS NULL "
                        "OPTIONAL MATCH (x:Action {doc_id: d.id}) WITH d, count(x) AS actions "
                        "OPTIONAL MATCH (t:Target {doc_id: d.id}) WITH d, actions, count(t) AS targets "
                        "SET d.actions = actions, d.targets = targets")
DOCUMENT_SOURCES = "MATCH (d:Document) RETURN d.id, d.source ORDER BY d.id"
ACTION_DOCUMENT = "MATCH (a:Action {id: $id}) RETURN a.doc_id"
#: Agencies by canonical name (``$names``), with how many actions each leads: a result's agencies, drawn.
AGENCIES_BY_NAME = ("MATCH (a:Agency) WHERE a.name IN $names OPTIONAL MATCH (a)-[r:LEADS]->(:Action) "
                    "RETURN a.id, a.name, a.city, a.kind, a.type, a.collective, count(r) ORDER BY a.id")
AGENCIES_BY_NAME_COLUMNS = ("id", "name", "city", "kind", "type", "collective", "leads")
#: The government of each agency ``$ids``.
AGENCY_CITIES = "MATCH (a:Agency) WHERE a.id IN $ids RETURN a.id, a.city"
DOCUMENT_GOVERNMENT = "MATCH (d:Document {id: $id}) RETURN d.city, d.province, d.level"

# The change stamp (GraphStore.data_version): one node outside the schema's labels, bumped by
# every load and clear. A counter, not a time: clocks of two machines need not agree.
STAMP_LABEL = "PolicykgStamp"
BOOKKEEPING_LABELS = tuple(model.label for model in schema.BOOKKEEPING_MODELS)  # kept by clear()
BUMP_STAMP = f"MERGE (s:{STAMP_LABEL} {{id: 'graph'}}) SET s.version = coalesce(s.version, 0) + 1"
READ_STAMP = f"MATCH (s:{STAMP_LABEL} {{id: 'graph'}}) RETURN s.version"
# A copy into an empty embedded graph (graph/bulk.py) commits a table at a time: this mark, beside the
# stamp, says one is under way, so a graph a killed copy left half-written is emptied, never read as whole.
MARK_COPY = f"CREATE (s:{STAMP_LABEL} {{id: 'copy in progress', version: 0}})"
UNMARK_COPY = f"MATCH (s:{STAMP_LABEL} {{id: 'copy in progress'}}) DELETE s"
READ_COPY_MARK = f"MATCH (s:{STAMP_LABEL} {{id: 'copy in progress'}}) RETURN count(s)"

# Kept results (GraphStore.kept / keep): what an analysis computed from the graph at one change stamp,
# under a key naming the analysis and its filters, so a second process or run reads it instead of
# computing it again. Not data: keeping one does not bump the stamp, and one of an older stamp never answers.
KEPT_LABEL = "PolicykgKept"
READ_KEPT = f"MATCH (k:{KEPT_LABEL} {{key: $key}}) WHERE k.version = $version RETURN k.payload"
KEEP = f"MERGE (k:{KEPT_LABEL} {{key: $key}}) SET k.version = $version, k.payload = $payload"
DROP_STALE_KEPT = f"MATCH (k:{KEPT_LABEL}) WHERE k.version < $version DELETE k"
