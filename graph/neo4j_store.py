"""The Neo4j store: the official driver, one per process; clusters and Aura through neo4j:// URIs.

Configuration comes from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``; credentials are never printed or logged. Writes go through
transaction functions (retried on transient cluster errors, deadlocks among them), one
transaction per document; with several writers (``policykg load --writers N``) the documents
of a batch are written side by side, each first locking the shared nodes it names in one
order (:func:`locking_document_statement`), so that writers never wait on each other in a cycle.
Reads run in READ access mode, after the planner has confirmed the query only reads.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from graph import schema, statements
from graph.errors import QuerySyntaxError, QueryTimeout, ReadOnlyError, ResultTooLarge, StoreError, StoreUnavailable
from graph.records import GraphRecords
from graph.store import COUNT_PAST_PAGE, GraphStore, QueryResult, ResultBudget, Runner, T, relationship_groups


def document_statement() -> str:
    """One statement that writes a whole document: a ``CALL () { UNWIND … MERGE }`` per label and group.

    Every label and relationship group of the schema is always in it, reading its rows from
    one map parameter, ``$groups`` (an empty list where a document has none). Both matter:
    Neo4j caches a plan per query text *and* parameter types, with list sizes bucketed, so
    separate list parameters — or a text that varied with the groups present — made it plan
    this long query again for most documents (~0.5 s each). A map parameter has one type.
    Nodes come first, so the relationship subqueries find both ends. ``replan=skip``: the
    plan (index seeks on the id constraints) suits any graph size, and planning this
    statement takes ~0.5 s, which Neo4j would otherwise spend again each time a growing
    graph's statistics drift. The merges are :mod:`graph.statements`' own, from the schema's
    models as they are when called (one text per set of models, computed once).
    """
    return _document_statement(tuple(schema.NODES.values()), tuple(schema.RELATIONSHIPS.values()))


@cache
def _document_statement(nodes: tuple[type[schema.Node], ...],
                        relationships: tuple[type[schema.Relationship], ...]) -> str:
    calls = [statements.merge_nodes(model, f"$groups.{model.label}") for model in nodes]
    for model in relationships:
        for start, end in model.pairs:
            rows = f"$groups.{statements.relationship_group_name(model.type, start, end)}"
            calls.append(statements.merge_relationships(model, start, end, rows))
    return "CYPHER replan=skip\n" + "\n".join(f"CALL () {{ {call} }}" for call in calls)


#: The property a writer sets and removes at once on a shared node to hold its write lock (Neo4j's way
#: of taking one explicitly); nothing of it stays.
LOCK_PROPERTY = "_policykg_lock"


def locking_document_statement() -> str:
    """The statement one of several writers writes a document with (``policykg load --writers``): first it
    merges every shared node the document names (``$locks``: label -> ids; agencies and entities) and
    takes its write lock, label by label in ``schema.SHARED_LABELS``' order and each label's ids sorted,
    then it writes the document as :func:`document_statement` does, except that an agency kind that
    exists is not written again. Every writer takes its locks in that one order, and the kinds (the
    only shared nodes it may lock later, creating one or linking a new agency to it) sorted after them
    (:func:`locking_groups`), so none waits on another that waits on it. Without the kinds' exception
    every document would hold the kinds of its agencies (every city has a 发改委) and the writers would
    take turns. A kind's properties are the vocabulary's, the same whichever plan writes it.
    """
    return _locking_document_statement(tuple(schema.NODES.values()), tuple(schema.RELATIONSHIPS.values()))


@cache
def _locking_document_statement(nodes: tuple[type[schema.Node], ...],
                                relationships: tuple[type[schema.Relationship], ...]) -> str:
    locks = []
    for label in schema.SHARED_LABELS:
        key = schema.key(schema.NODES[label])
        locks.append(f"UNWIND $locks.{label} AS id MERGE (n:{label} {{{key}: id}}) "
                     f"SET n.{LOCK_PROPERTY} = true REMOVE n.{LOCK_PROPERTY}")
    kind = schema.NODES["AgencyKind"]
    kind_merge = statements.merge_nodes(kind, "$groups.AgencyKind")
    created_only = kind_merge.replace(" SET ", " ON CREATE SET ", 1)
    assert created_only != kind_merge, "graph.statements.merge_nodes no longer sets properties with SET"
    calls = [*locks, *(created_only if model is kind else statements.merge_nodes(model, f"$groups.{model.label}")
                       for model in nodes)]
    for model in relationships:
        for start, end in model.pairs:
            rows = f"$groups.{statements.relationship_group_name(model.type, start, end)}"
            calls.append(statements.merge_relationships(model, start, end, rows))
    return "CYPHER replan=skip\n" + "\n".join(f"CALL () {{ {call} }}" for call in calls)


def shared_locks(records: GraphRecords) -> dict[str, list[str]]:
    """The ``$locks`` of :func:`locking_document_statement`: the ids of ``records``' agencies and entities, sorted."""
    return {label: sorted({row[schema.key(schema.NODES[label])] for row in records.nodes.get(label, [])})
            for label in schema.SHARED_LABELS}


def locking_groups(records: GraphRecords) -> dict[str, list[dict[str, Any]]]:
    """:func:`document_groups` with every group's rows sorted by their keys (a relationship's by its end
    first): what a statement locks beyond ``$locks`` (a new kind, a kind a new agency links to) it then
    locks in one order in every writer."""
    groups = document_groups(records)
    for name, rows in groups.items():
        if name in schema.NODES:
            key = schema.key(schema.NODES[name])
            rows.sort(key=lambda row: row[key])
        else:
            rows.sort(key=lambda row: (row["to_id"], row["from_id"]))
    return groups


def document_groups(records: GraphRecords) -> dict[str, list[dict[str, Any]]]:
    """The ``$groups`` parameter of :func:`document_statement`: rows by label and relationship group,
    every property in every row (null where absent) so that a row's type never varies."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for label, model in schema.NODES.items():
        keys = tuple(schema.properties(model))
        groups[label] = [{key: row.get(key) for key in keys} for row in records.nodes.get(label, [])]
    by_group = relationship_groups(records)
    unknown = set(by_group) - set(statements.RELATIONSHIP_GROUPS)
    if unknown:
        rel_type, start, end = sorted(unknown)[0]
        raise ValueError(f"{rel_type} does not connect {start} to {end}")
    for rel_type, start, end in statements.RELATIONSHIP_GROUPS:
        keys = ("from_id", "to_id", *schema.properties(schema.RELATIONSHIPS[rel_type]))
        groups[statements.relationship_group_name(rel_type, start, end)] = [
            {key: row.get(key) for key in keys} for row in by_group.get((rel_type, start, end), [])]
    return groups


def constraint_statements() -> list[str]:
    """The constraints and indexes :func:`graph.statements.neo4j_ddl` generates from the schema
    (``ensure_schema`` runs them; ``graph.export`` writes them at the head of a Cypher script)."""
    return statements.neo4j_ddl()


# How long a write is retried across a server's transient errors (a cluster electing a new
# leader takes seconds) before the load reports the server gone; the driver's default is 30 s
# a transaction, which made a stopped server cost half a minute for every remaining document.
RETRY_SECONDS = 10.0
CLEAR_BATCH = 10_000  # relationships deleted per transaction by clear() (nodes: a tenth as many)
CONNECT_SECONDS = 5.0


def redacted_uri(uri: str) -> str:
    """The URI without user, password or query (``?auth=…``): the only form ever shown or logged.

    >>> redacted_uri("neo4j+s://neo4j:secret@db.example:7687/?auth=x")
    'neo4j+s://db.example:7687'
    """
    parts = urlsplit(uri)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def credentials_from_uri(uri: str, user: str, password: str) -> tuple[str, str, str]:
    """A URI may carry ``user:password@``: take them out (the driver would print the URI in errors).

    >>> credentials_from_uri("bolt://neo4j:pw@127.0.0.1:7687", "neo4j", "")
    ('bolt://127.0.0.1:7687', 'neo4j', 'pw')
    """
    parts = urlsplit(uri)
    if parts.username is not None:
        user = unquote(parts.username)
        password = unquote(parts.password or "")
    return redacted_uri(uri), user, password


@lru_cache(maxsize=8)
def _driver(uri: str, user: str, password: str):
    """One driver per process and server: drivers hold connection pools and are thread-safe."""
    import neo4j

    # The driver logs each retry as a warning; the load reports what happened in one line.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    try:
        # Notifications ("property key does not exist" on a fresh database) are advice for
        # people writing queries interactively, not problems of a load.
        return neo4j.GraphDatabase.driver(uri, auth=(user, password), user_agent="policykg",
                                          notifications_min_severity="OFF", max_transaction_retry_time=RETRY_SECONDS,
                                          connection_timeout=CONNECT_SECONDS)
    except Exception as error:  # the driver's message quotes the URI as given
        raise StoreUnavailable(f"NEO4J_URI {redacted_uri(uri)} is not usable ({type(error).__name__})") from None


@lru_cache(maxsize=8)
def _bookmarks(uri: str, user: str, password: str):
    """One bookmark manager per driver, given to every session: a read in a new session waits until the
    cluster member serving it holds this process's last write (a load, a correction). On one server
    that is at once; on a cluster or Aura, reads go to secondaries that may lag the primary."""
    import neo4j

    return neo4j.GraphDatabase.bookmark_manager()


class Neo4jStore(GraphStore):
    kind = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None) -> None:
        import neo4j.exceptions

        uri, user, password = credentials_from_uri(uri, user, password)
        self.uri = uri
        self.database = database
        self._driver = _driver(uri, user, password)
        self._bookmarks = _bookmarks(uri, user, password)
        try:
            self._driver.verify_connectivity()
        except (neo4j.exceptions.ServiceUnavailable, OSError) as error:
            raise StoreUnavailable(f"Neo4j at {uri} is not reachable ({type(error).__name__})") from None
        except neo4j.exceptions.AuthError:
            raise StoreUnavailable(f"Neo4j at {uri} refused the credentials in NEO4J_USER/NEO4J_PASSWORD") from None
        except neo4j.exceptions.Neo4jError as error:
            raise StoreUnavailable(f"Neo4j at {uri} refused the connection ({error.code})") from None
        self.ensure_schema()

    def _session(self, **config):
        return self._driver.session(database=self.database, bookmark_manager=self._bookmarks, **config)

    @classmethod
    def from_environment(cls) -> Neo4jStore:
        uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        return cls(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                   os.environ.get("NEO4J_DATABASE") or None)

    def describe(self) -> str:
        return f"Neo4j at {self.uri}" + (f" (database {self.database})" if self.database else "")

    def ensure_schema(self) -> None:
        with self._session() as session:
            for statement in constraint_statements():
                session.run(statement).consume()
            session.run(statements.FILL_DOCUMENT_COUNTS).consume()

    def _write_transaction(self, work: Callable[[Runner], T]) -> T:
        import neo4j.exceptions

        def transaction(tx) -> T:
            return work(lambda query, parameters: [list(record.values()) for record in tx.run(query, parameters)])

        try:
            with self._session() as session:
                return session.execute_write(transaction)
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError) as error:
            raise StoreUnavailable(f"Neo4j at {self.uri} stopped answering ({type(error).__name__}, "
                                   f"after {RETRY_SECONDS:g} s of retries)") from None

    def _write_records(self, run: Runner, records: GraphRecords) -> None:
        """The document in one round trip: :func:`document_statement` with its rows.

        What a load costs in Neo4j is statements, not rows: a statement per label and
        group (~25 a document, ~1 ms each on the server) took 2.5× as long as this one.
        """
        run(document_statement(), {"groups": document_groups(records)})

    def _load_batch(self, batch: list[GraphRecords], writers: int = 1) -> list[Exception | None]:
        """With ``writers`` > 1, the new documents of the batch side by side, each in a transaction of its own
        (:func:`locking_document_statement`; a deadlock the server still finds is retried, as any transient
        error). Documents loaded again (``replaces``) follow one by one: which shared nodes they leave
        behind depends on what the others name, which must be committed first."""
        fresh = [index for index, records in enumerate(batch) if not records.replaces]
        if writers <= 1 or len(fresh) < 2:
            return super()._load_batch(batch, writers)

        lost: list[StoreUnavailable] = []  # once the server is gone, the documents not yet begun are not tried

        def write(records: GraphRecords) -> Exception | None:
            if lost:
                return lost[0]
            try:
                parameters = {"locks": shared_locks(records), "groups": locking_groups(records)}
                self._write_transaction(lambda run: run(locking_document_statement(), parameters))
            except StoreUnavailable as error:  # each try takes the driver's retries: the rest would each wait as long
                lost.append(error)
                return error
            except Exception as error:  # reported per document by the caller; the rest still load
                return error
            return None

        outcomes: list[Exception | None] = [None] * len(batch)
        with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="policykg-writer") as pool:
            for index, outcome in zip(fresh, pool.map(write, [batch[index] for index in fresh]), strict=True):
                outcomes[index] = outcome
        new = set(fresh)
        again = [index for index in range(len(batch)) if index not in new]
        later = [lost[0]] * len(again) if lost else super()._load_batch([batch[index] for index in again])
        for index, outcome in zip(again, later, strict=True):
            outcomes[index] = outcome
        return outcomes

    def clear(self, *, corrections: bool = False) -> None:
        """Delete everything in batches: one transaction for a large graph would exceed Neo4j's memory limit."""
        with self._session() as session:
            # The change stamp stays, and goes up: a view cached before the clear must not match after it.
            # Corrections stay too (unless asked): people's work, applied again when the plans are loaded.
            kept = (statements.STAMP_LABEL,) + (() if corrections else statements.BOOKKEEPING_LABELS)
            keep = " AND ".join(f"NOT n:{label}" for label in kept)
            # A transaction per batch, each its own statement: `CALL { DETACH DELETE n } IN TRANSACTIONS`
            # over 10,000 plans' graph (1.4 M relationships) ran out of the server's transaction memory,
            # the outer query holding what it had matched.
            # Relationships first, then the nodes: a transaction holds what it deletes (its properties too:
            # a plan's text, every quote), so each batch is bounded by rows, not by how connected a node is.
            for delete, batch in ((f"MATCH (n)-[r]-() WHERE {keep} WITH DISTINCT r LIMIT $batch DELETE r "
                                   "RETURN count(*) AS deleted", CLEAR_BATCH),
                                  (f"MATCH (n) WHERE {keep} WITH n LIMIT $batch DELETE n RETURN count(*) AS deleted",
                                   CLEAR_BATCH // 10)):
                while session.run(delete, {"batch": batch}).single()["deleted"]:
                    pass
        self._bump_stamp_if_reachable()

    def _read(self, query: str, parameters: dict[str, Any], timeout: float, offset: int, limit: int,
              max_bytes: int | None) -> QueryResult:
        import neo4j
        import neo4j.exceptions

        from graph.values import neo4j_value

        budget = ResultBudget(max_bytes)
        try:
            session = self._session(default_access_mode=neo4j.READ_ACCESS)
            # An explicit transaction, not a retried transaction function: a query that ran out
            # of time or memory would only do so again (the driver retried a huge collect 5 times).
            with session, session.begin_transaction(timeout=timeout) as tx:
                plan = tx.run("EXPLAIN " + query, parameters).consume()
                # Only a plan Neo4j types as read-only: administration (SHOW, TERMINATE) has no type.
                if plan.query_type != "r":
                    raise ReadOnlyError("policykg cypher is read-only: the query would write")
                result = tx.run(query, parameters)
                records = iter(result)
                # The rows before the page and after it are only counted, never converted or kept; the
                # count stops COUNT_PAST_PAGE rows past the page (a lower bound then, said as such).
                skipped = sum(1 for _ in itertools.islice(records, offset))
                rows = []
                for record in itertools.islice(records, limit):
                    row = [neo4j_value(value) for value in record.values()]
                    budget.add(row)
                    rows.append(row)
                after = sum(1 for _ in itertools.islice(records, COUNT_PAST_PAGE))
                exact = after < COUNT_PAST_PAGE or next(records, None) is None
                return QueryResult(columns=list(result.keys()), rows=rows, total=skipped + len(rows) + after,
                                   total_exact=exact)
        except neo4j.exceptions.Neo4jError as error:
            raise _client_error(error, timeout) from None
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as error:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable ({type(error).__name__})") from None

    def close(self) -> None:
        # The driver is shared by the process (see _driver); it closes at exit.
        pass


def _client_error(error, timeout: float) -> StoreError:
    code = getattr(error, "code", "") or ""
    message = (getattr(error, "message", None) or str(error)).splitlines()[0]
    if "Timeout" in code or "TransactionTimedOut" in code:
        return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
    if "MemoryPoolOutOfMemory" in code or "OutOfMemory" in code:
        return ResultTooLarge("the query needed more memory than the server allows a transaction and was stopped; "
                              "add a LIMIT or aggregate less")
    if "Syntax" in code or "Semantic" in code or "ParameterMissing" in code or "TypeError" in code:
        return QuerySyntaxError(message)
    if "Forbidden" in code or "AccessMode" in code or "WriteOnReadOnly" in code:
        return ReadOnlyError("policykg cypher is read-only: the query would write")
    return StoreError(message)
