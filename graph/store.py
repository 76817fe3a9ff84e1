"""What both stores share: loading records in one transaction per document, reading, counting.

A store subclass provides the transaction, the raw query call and how it sends the
statements of :mod:`graph.statements`; everything else — the read-only guard, row caps,
the change stamp, conversion to networkx — lives here once.

Two kinds of read: people's queries (:meth:`GraphStore.run_read`) answer one page of rows
(``offset``, at most ``row_cap`` of them) with the number of rows of the whole result
(``total``), so a cut is never silent (``truncated``); policykg's own reads
(:meth:`GraphStore.read_all`: name resolution, document ids, the whole graph) need every row, and
raise :class:`RowCapExceeded` at theirs.
"""

from __future__ import annotations

import contextlib
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from graph import schema, statements
from graph.errors import QuerySyntaxError, ReadOnlyError, ResultTooLarge, RowCapExceeded, StoreUnavailable
from graph.guard import check_read_only
from graph.records import GraphRecords

if TYPE_CHECKING:
    from graph.bulk import EmptyGraphCopy

LOG = logging.getLogger("policykg.store")
DEFAULT_TIMEOUT = 10.0
DEFAULT_ROW_CAP = 10_000
# policykg's own reads (read_all) need every row; past this many they raise RowCapExceeded.
INTERNAL_ROW_CAP = int(os.environ.get("POLICYKG_INTERNAL_ROW_CAP", "10000000"))
# Whatever a caller asks for (the app's console, --timeout), a read stops here: one person's
# query must not hold a store that others share.
MAX_TIMEOUT = float(os.environ.get("POLICYKG_MAX_TIMEOUT", "120"))
# Results are bounded in bytes as well as rows: a single row can hold a list of millions of values.
MAX_RESULT_BYTES = int(float(os.environ.get("POLICYKG_MAX_RESULT_MB", "64")) * 1024 * 1024)
# A store that streams (Neo4j) counts the rows after a page by reading past them; past this many it
# stops and says "at least" (the embedded store knows its total without reading).
COUNT_PAST_PAGE = int(os.environ.get("POLICYKG_COUNT_PAST_PAGE", "1000000"))

Runner = Callable[[str, dict[str, Any]], list[list[Any]]]
T = TypeVar("T")


@dataclass
class QueryResult:
    """One page of a result: ``rows`` are rows ``offset`` + 1 … ``offset`` + len(rows) of ``total``.

    >>> page = QueryResult(["x"], [[3], [4]], offset=2, total=10, row_cap=2)
    >>> page.truncated, page.first_row, page.last_row, page.total_text()
    (True, 3, 4, '10')
    >>> QueryResult(["x"], [[1]], total=1).truncated
    False
    """

    columns: list[str]
    rows: list[list[Any]]
    offset: int = 0
    total: int | None = None  # rows of the whole result; None when a store could not say
    total_exact: bool = True  # False: the store stopped counting (COUNT_PAST_PAGE), total is a lower bound
    row_cap: int | None = None  # the page size asked for

    @property
    def truncated(self) -> bool:
        """Whether the whole result has rows this page does not show (before or after it)."""
        if self.total is None:
            return False
        return self.offset > 0 or self.offset + len(self.rows) < self.total or not self.total_exact

    @property
    def first_row(self) -> int:
        return self.offset + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return self.offset + len(self.rows)

    def total_text(self) -> str:
        """The total as people read it: ``12345`` or, when counting stopped, ``12345+``."""
        if self.total is None:
            return "?"
        return f"{self.total}" if self.total_exact else f"{self.total}+"

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class GraphStore(ABC):
    """A graph store. Subclasses: :class:`graph.embedded.EmbeddedStore`, :class:`graph.neo4j_store.Neo4jStore`."""

    kind: str = "?"

    # -- what a store must provide ------------------------------------------------------------
    @abstractmethod
    def ensure_schema(self) -> None:
        """Create tables / constraints if missing; idempotent."""

    @abstractmethod
    def _write_transaction(self, work: Callable[[Runner], T]) -> T:
        """Run ``work`` in one write transaction: all of it commits, or none of it; what ``work`` returns."""

    @abstractmethod
    def _read(self, query: str, parameters: dict[str, Any], timeout: float, offset: int, limit: int,
              max_bytes: int | None) -> QueryResult:
        """Run a read-only query with a time limit: rows ``offset`` … ``offset + limit - 1`` of its result
        and how many rows the result has (``total``; a lower bound, ``total_exact`` False, where counting
        stopped at :data:`COUNT_PAST_PAGE`), raising :class:`ResultTooLarge` past ``max_bytes`` (None: no bound)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def describe(self) -> str:
        """Where the store is, for people (never credentials)."""

    # -- loading ------------------------------------------------------------------------------
    def load(self, records: GraphRecords) -> None:
        """Write one document's records in one transaction; a failure leaves nothing behind."""
        error = self.load_many([records])[0]
        if error is not None:
            raise error

    def load_many(self, batch: list[GraphRecords], writers: int = 1) -> list[Exception | None]:
        """Load several documents; each one's outcome (None, or the error that kept it out). ``writers``:
        transactions a store may run side by side (Neo4j; the embedded store has one writer).

        Once the store is lost (:class:`StoreUnavailable`) the rest of the batch is not tried:
        each of those documents has that error. Every load that wrote something bumps the
        change stamp (:meth:`data_version`).
        """
        outcomes = self._load_batch(batch, writers)
        if any(outcome is None for outcome in outcomes):
            self._bump_stamp_if_reachable()
        return outcomes

    def _load_batch(self, batch: list[GraphRecords], writers: int = 1) -> list[Exception | None]:
        """One transaction per document here, one after another; a store may group them (see
        EmbeddedStore) or write them side by side (see Neo4jStore)."""
        outcomes: list[Exception | None] = []
        for index, records in enumerate(batch):
            try:
                self._write_transaction(lambda run, records=records: self.write_records(run, records))
                outcomes.append(None)
            except StoreUnavailable as lost:  # the documents after it would fail the same way
                return outcomes + [lost] * (len(batch) - index)
            except Exception as error:  # reported per document by the caller; the rest still load
                outcomes.append(error)
        return outcomes

    def empty_graph_copy(self) -> EmptyGraphCopy | None:
        """What gathers plans to load into this store's graph while it is empty in one go, if the store has
        one (the embedded store's ``COPY``, :mod:`graph.bulk`); written with :meth:`copy_into_empty`."""
        return None

    def copy_into_empty(self, copy: EmptyGraphCopy) -> None:
        """Write what :meth:`empty_graph_copy` gathered, all or nothing, and bump the change stamp."""
        raise NotImplementedError(f"the {self.kind} store has no copy into an empty graph")

    # -- the change stamp ---------------------------------------------------------------------
    def data_version(self) -> int:
        """The change stamp: a number every load and clear increases, kept in the store itself,
        so any process (the app, a colleague's ``policykg load`` on a shared Neo4j) can tell
        that what it cached is stale. 0 for a store never written to."""
        rows = self.read_all(statements.READ_STAMP)
        return rows[0][0] if rows and rows[0][0] is not None else 0

    def _bump_stamp_if_reachable(self) -> None:
        with contextlib.suppress(StoreUnavailable):  # the load's own error says the store is gone
            self._write_transaction(lambda run: run(statements.BUMP_STAMP, {}))

    # -- kept results ------------------------------------------------------------------------
    def kept(self, key: str, version: int) -> str | None:
        """What :meth:`keep` kept under ``key`` at change stamp ``version``; None if nothing was (or only at
        another stamp, or the store predates kept results and was opened read-only)."""
        try:
            rows = self.read_all(statements.READ_KEPT, {"key": key, "version": version})
        except QuerySyntaxError:  # an embedded graph written before kept results, opened read-only: no table
            return None
        return rows[0][0] if rows else None

    def keep(self, key: str, version: int, payload: str) -> bool:
        """Keep ``payload`` (an analysis's result, computed from the graph at change stamp ``version``) under
        ``key``, dropping whatever was kept at older stamps. Not a change of the data: the stamp stays.
        False when this store cannot be written now (opened read-only, or another process writes):
        the result is then only not kept, and the next reader computes it again."""
        def work(run: Runner) -> None:
            run(statements.KEEP, {"key": key, "version": version, "payload": payload})
            run(statements.DROP_STALE_KEPT, {"version": version})

        try:
            self._write_transaction(work)
        except (ReadOnlyError, StoreUnavailable) as error:
            LOG.info("result %s not kept: %s", key, error)
            return False
        return True

    def write(self, work: Callable[[Runner], T]) -> T:
        """Run policykg's own writes (``work`` gets the transaction's ``run``) in one transaction, and
        bump the change stamp: corrections go through here, never through a person's Cypher."""
        result = self._write_transaction(work)
        self._bump_stamp_if_reachable()
        return result

    def write_records(self, run: Runner, records: GraphRecords) -> None:
        """Write records inside a transaction. The plans they replace (``records.replaces``) lose what
        they owned first, and shared nodes that no plan names any more go after."""
        candidates: set[str] = set()
        if records.replaces:
            ids = {"ids": sorted(records.replaces)}
            candidates = shared_nodes_of(run, records.replaces)
            for query in statements.document_deletes()["owned"]:
                run(query, ids)
        self._write_records(run, records)
        if candidates:
            for query in statements.orphan_deletes():
                run(query, {"ids": sorted(candidates)})

    def merge_node_rows(self, run: Runner, model: type[schema.Node], rows: list[dict[str, Any]]) -> None:
        """Merge rows of one node model (every property in every row) inside a transaction."""
        if rows:
            run(statements.merge_nodes(model), {"rows": rows})

    @abstractmethod
    def _write_records(self, run: Runner, records: GraphRecords) -> None:
        """Send the statements that write ``records`` through ``run`` (inside the load's transaction).

        Each store writes the way it is fastest (see EmbeddedStore and Neo4jStore); both use
        the statements of :mod:`graph.statements`, with values only as parameters.
        """

    def clear(self, *, corrections: bool = False) -> None:
        """Delete every node and relationship of the graph (``policykg load --clear``). People's
        corrections stay, to be applied again as the plans are loaded, unless ``corrections``."""

        def work(run: Runner) -> None:
            for label in schema.NODES:
                run(f"MATCH (n:{label}) DETACH DELETE n", {})
            if corrections:
                for label in statements.BOOKKEEPING_LABELS:
                    run(f"MATCH (n:{label}) DELETE n", {})
            run(statements.BUMP_STAMP, {})

        self._write_transaction(work)

    # -- reading ------------------------------------------------------------------------------
    def run_read(self, query: str, parameters: dict[str, Any] | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                 row_cap: int = DEFAULT_ROW_CAP, offset: int = 0, guard: bool = True) -> QueryResult:
        """Run a query read-only: one page of its rows (``offset`` skipped, then at most ``row_cap``) and the
        whole result's ``total``; ``truncated`` says whether rows were left out.

        People's queries (``guard``) are also bounded in bytes. policykg's own reads go through
        :meth:`read_all` instead, which raises where this would cut.
        """
        if row_cap < 1 or offset < 0:
            raise ValueError(f"a page needs row_cap >= 1 and offset >= 0 (got {row_cap}, {offset})")
        if guard:
            check_read_only(query)
        max_bytes = MAX_RESULT_BYTES if guard else None
        result = self._read(query, parameters or {}, min(timeout, MAX_TIMEOUT), offset, row_cap, max_bytes)
        result.offset, result.row_cap = offset, row_cap
        return result

    def read_all(self, query: str, parameters: dict[str, Any] | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, guard: bool = False) -> list[list[Any]]:
        """Every row of one of policykg's own queries (its text ours, its values parameters).

        Bounded by :data:`INTERNAL_ROW_CAP` rows, past which it raises :class:`RowCapExceeded`:
        a caller that needs every row must not answer from part of them. ``guard``: checked and
        bounded in bytes as people's queries are (name resolution, which reads on a person's
        behalf); without it (the store's own bookkeeping, the whole graph) not bounded in bytes.
        """
        cap = INTERNAL_ROW_CAP
        result = self.run_read(query, parameters, timeout=timeout, row_cap=cap, guard=guard)
        if result.truncated:
            raise RowCapExceeded(f"policykg's own read had more than {cap:,} rows (POLICYKG_INTERNAL_ROW_CAP) "
                                 f"and was stopped rather than answer from part of them: {query.splitlines()[0]}")
        return result.rows

    def document_ids(self) -> list[str]:
        return [row[0] for row in self.read_all(statements.DOCUMENT_IDS)]

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (zero for empty ones)."""
        counts = {}
        for label in schema.NODES:
            counts[label] = self.read_all(f"MATCH (n:{label}) RETURN count(n)")[0][0]
        for rel_type in schema.RELATIONSHIPS:
            counts[rel_type] = self.read_all(f"MATCH ()-[r:{rel_type}]->() RETURN count(r)")[0][0]
        return counts

    def action_document(self, action_id: str) -> str | None:
        """The id of the plan an action belongs to (None: no such action), by the action's key alone."""
        rows = self.read_all(statements.ACTION_DOCUMENT, {"id": action_id})
        return rows[0][0] if rows else None

    def document_index(self) -> list[dict[str, Any]]:
        """Every plan without its text (id, source, title, city, province, level, published), by id:
        what lists of plans and cities are made from, at any size of corpus."""
        return [dict(zip(statements.DOCUMENT_INDEX_COLUMNS, row, strict=True))
                for row in self.read_all(statements.DOCUMENT_INDEX)]

    def to_networkx(self, documents: Iterable[str] | None = None):
        """The graph as a ``networkx.MultiDiGraph``: node key = ``id``, ``label`` and properties as attributes.

        ``documents``: plan ids; only the part of the graph those plans use is read: what they own
        (document, sections, actions, targets), the agencies and entities their nodes link to, the
        members, districts and kinds those bring along, and every relationship among them (the scope
        of ``views.network.filter_graph(documents=…)``). None: the whole graph.

        >>> graph = open_store().to_networkx()      # doctest: +SKIP
        >>> graph.nodes["鄂州市科技局"]["label"]      # doctest: +SKIP
        'Agency'
        """
        import networkx as nx

        graph = nx.MultiDiGraph()

        def add_nodes(label: str, rows: list[list[Any]]) -> None:
            keys = list(schema.properties(schema.NODES[label]))
            for row in rows:
                attributes = dict(zip(keys, row, strict=True))
                graph.add_node(attributes["id"], label=label, **attributes)

        def add_edges(rel_type: str, rows: list[list[Any]]) -> None:
            keys = list(schema.properties(schema.RELATIONSHIPS[rel_type]))
            for row in rows:
                graph.add_edge(row[0], row[1], key=rel_type, type=rel_type, **dict(zip(keys, row[2:], strict=True)))

        if documents is None:
            node_reads, edge_reads = statements.whole_graph_reads()
            for label, query in node_reads:
                add_nodes(label, self.read_all(query))
            for rel_type, query in edge_reads:
                add_edges(rel_type, self.read_all(query))
            return graph
        reads = statements.scope_reads()
        plans = {"ids": sorted(set(documents))}
        node_rows = {label: self.read_all(query, plans) for label, query in reads.plan_nodes}
        owned = {row[keys.index("id")] for label, rows in node_rows.items()
                 for keys in [list(schema.properties(schema.NODES[label]))] for row in rows}
        edge_rows = {}
        for rel_type, query in reads.plan_edges:
            edge_rows.setdefault(rel_type, []).extend(self.read_all(query, plans))
        shared = {end for rows in edge_rows.values() for row in rows for end in row[:2] if end not in owned}
        brought = {row[0] for query in reads.brought for row in self.read_all(query, {"ids": sorted(shared)})}
        scope = {"ids": sorted(shared | brought)}
        for label, query in reads.shared_nodes:
            node_rows[label] = self.read_all(query, scope)
        for rel_type, query in reads.shared_edges:
            edge_rows.setdefault(rel_type, []).extend(self.read_all(query, scope))
        # In schema order, as the whole graph is read: views that list nodes as they come list them alike.
        for label in schema.NODES:
            add_nodes(label, node_rows.get(label, []))
        for rel_type in schema.RELATIONSHIPS:
            add_edges(rel_type, edge_rows.get(rel_type, []))
        return graph

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def plans_of(index: Iterable[dict[str, Any]], *, cities: Iterable[str | None] | None = None,
             documents: Iterable[str] | None = None) -> list[str]:
    """The ids, in the index's order, of the plans in ``index`` (:meth:`GraphStore.document_index`'s rows)
    of ``cities`` (None among them: the plans whose government is unknown; a district's plan is its
    city's) and among ``documents``; a filter left None (or empty) chooses every plan.

    >>> index = [{"id": "a", "city": "鄂州市"}, {"id": "b", "city": None}, {"id": "c", "city": "仙桃市"}]
    >>> plans_of(index, cities=["鄂州市", None]), plans_of(index, documents=["c", "a"], cities=["仙桃市"])
    (['a', 'b'], ['c'])
    """
    wanted, chosen = set(cities or ()), set(documents or ())
    return [row["id"] for row in index
            if (not wanted or row["city"] in wanted) and (not chosen or row["id"] in chosen)]


class ResultBudget:
    """Counts the bytes a result holds as its rows arrive; raises :class:`ResultTooLarge` past the bound.

    >>> budget = ResultBudget(limit=1024 * 1024)
    >>> budget.add(["鄂州市科技局", 3])
    >>> budget.add(list(range(200_000)))
    Traceback (most recent call last):
    ...
    graph.errors.ResultTooLarge: the result is larger than 1 MB; add a LIMIT or return fewer values
    """

    def __init__(self, limit: int | None) -> None:
        self.limit, self.used = limit, 0

    def add(self, row: Any) -> None:
        if self.limit is None:
            return
        self.used += _size(row)
        if self.used > self.limit:
            raise ResultTooLarge(f"the result is larger than {self.limit // (1024 * 1024)} MB; "
                                 "add a LIMIT or return fewer values")


_NUMBERS = frozenset({int, float, bool})


def approximate_size(value: Any) -> int:
    """Bytes a value takes as a result, roughly: 8 per number, the UTF-8 length of text, nested values summed.

    >>> approximate_size(["鄂州市", "a", 3, None])
    50
    """
    # Every value of every person's query passes here: the exact types of most values are tested
    # first, and ASCII text is not encoded (its length is its size); with the loop of a row inlined
    # (_size) this took the cost of a page of 10,000 rows from 44 to 15 ms.
    kind = type(value)
    if kind is str:
        return 8 + (len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass")))
    if kind is list:
        return _size(value)
    if kind in _NUMBERS or value is None:
        return 8
    if isinstance(value, str):
        return 8 + len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, dict):
        return 8 + sum(approximate_size(k) + approximate_size(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return 8 + sum(approximate_size(v) for v in value)
    return 8


def _size(values: list[Any]) -> int:
    """:func:`approximate_size` of a list: a row, most often, of text and numbers."""
    size = 8
    for value in values:
        kind = type(value)
        if kind is str:
            size += 8 + (len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass")))
        elif kind in _NUMBERS or value is None:
            size += 8
        else:
            size += approximate_size(value)
    return size


def documents_touching(run: Runner, shared: set[str]) -> set[str]:
    """The plans with a relationship to any of these shared nodes (agencies, entities), inside a transaction."""
    found: set[str] = set()
    if shared:
        for query in statements.documents_touching():
            found |= {row[0] for row in run(query, {"ids": sorted(shared)}) if row[0]}
    return found


def shared_nodes_of(run: Runner, doc_ids: set[str]) -> set[str]:
    """The agencies and entities these plans have relationships to, inside a transaction."""
    found: set[str] = set()
    if doc_ids:
        for query in statements.shared_nodes_of():
            found |= {row[0] for row in run(query, {"ids": sorted(doc_ids)})}
    return found


def relationship_groups(records: GraphRecords) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Relationship rows by (type, start label, end label): the unit a statement can write."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for rel_type, rels in records.relationships.items():
        for rel in rels:
            row = {"from_id": rel.start, "to_id": rel.end, **rel.properties}
            groups.setdefault((rel_type, rel.start_label, rel.end_label), []).append(row)
    return groups


def relationship_row_columns(model: type[schema.Relationship]) -> dict[str, str]:
    """The columns of a :func:`relationship_groups` row of ``model``: its ends' keys, then its properties."""
    return {"from_id": "STRING", "to_id": "STRING", **schema.properties(model)}


def store_kind_from_environment(requested: str | None = None) -> str:
    """'neo4j' when asked for or when NEO4J_URI is set; otherwise 'embedded'."""
    if requested:
        return requested
    return "neo4j" if os.environ.get("NEO4J_URI") else "embedded"


def open_store(kind: str | None = None, *, read_only: bool = False) -> GraphStore:
    """The active store: Neo4j if ``kind == 'neo4j'`` or NEO4J_URI is set, else the embedded store."""
    if store_kind_from_environment(kind) == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_environment()
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(read_only=read_only)


@contextmanager
def opened(kind: str | None = None, *, read_only: bool = False) -> Iterator[GraphStore]:
    store = open_store(kind, read_only=read_only)
    try:
        yield store
    finally:
        store.close()
