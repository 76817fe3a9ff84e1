"""The embedded store: LadybugDB (the maintained continuation of Kùzu) in a file, no server.

The database lives at ``POLICYKG_DB`` or, by default, in the user's data
directory. Reads open the database read-only, so a person's query cannot write.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph import schema, statements
from graph.errors import QuerySyntaxError, QueryTimeout, ReadOnlyError, StoreError, StoreUnavailable
from graph.records import GraphRecords, merge_records, union_aliases
from graph.store import GraphStore, QueryResult, Runner, relationship_groups

CHECKPOINT_THRESHOLD = 512 * 1024 * 1024


def default_database_path() -> Path:
    """``$POLICYKG_DB`` or ``<user data dir>/policykg/graph.lbdb``."""
    configured = os.environ.get("POLICYKG_DB")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("policykg")) / "graph.lbdb"


def schema_statements() -> list[str]:
    """DDL for every node and relationship table of :mod:`graph.schema`."""
    ddl = []
    for label, model in schema.NODES.items():
        columns = ", ".join(
            f"{name} {kind}" + (" PRIMARY KEY" if name == "id" else "")
            for name, kind in schema.properties(model).items())
        ddl.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns})")
    for rel_type, model in schema.RELATIONSHIPS.items():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in model.pairs)
        columns = "".join(f", {name} {kind}" for name, kind in schema.properties(model).items())
        ddl.append(f"CREATE REL TABLE IF NOT EXISTS {rel_type}({pairs}{columns})")
    return ddl


class EmbeddedStore(GraphStore):
    """LadybugDB on disk. One instance per process and path (the database allows one writer)."""

    kind = "embedded"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        import ladybug

        self.path = Path(path) if path else default_database_path()
        self.read_only = read_only
        # One connection serves the process; a lock keeps threads (the app's sessions) from interleaving.
        self._lock = threading.RLock()
        if read_only and not self.path.exists():
            raise StoreUnavailable(f"no graph at {self.path} yet: run `policykg load` first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Checkpointing rewrites the tables; letting the write-ahead log grow to 512 MiB
            # before it does keeps bulk loads from checkpointing after every few documents.
            self._database = ladybug.Database(str(self.path), read_only=read_only,
                                              checkpoint_threshold=CHECKPOINT_THRESHOLD)
            self._connection = ladybug.Connection(self._database)
        except RuntimeError as error:
            raise StoreUnavailable(_open_error(self.path, error)) from None
        if not read_only:
            self.ensure_schema()

    def describe(self) -> str:
        return f"embedded LadybugDB at {self.path}" + (" (read-only)" if self.read_only else "")

    def ensure_schema(self) -> None:
        for statement in schema_statements():
            self._connection.execute(statement)

    def _write_transaction(self, work: Callable[[Runner], None]) -> None:
        if self.read_only:
            raise ReadOnlyError("the embedded store was opened read-only")
        connection = self._connection

        def run(query: str, parameters: dict[str, Any]) -> list[list[Any]]:
            return connection.execute(query, parameters).get_all()

        with self._lock:
            connection.execute("BEGIN TRANSACTION")
            try:
                work(run)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _write_records(self, run: Runner, records: GraphRecords) -> None:
        """One ``LOAD FROM $rows … MERGE`` per label and relationship group, its rows as an Arrow table.

        LadybugDB converts a parameter that is a list of Python dicts value by value (~25 µs a
        row: most of what a load took); an Arrow table it scans column by column (~1 µs).
        Agencies' aliases are read first and merged here (LadybugDB has no list comprehension).
        """
        _merge_aliases(run, records)
        for label, model in schema.NODES.items():
            rows = records.nodes.get(label)
            if rows:
                columns = schema.properties(model)
                run(statements.merge_nodes(label, tuple(columns), load_from=True),
                    {"rows": arrow_table(rows, columns)})
        for (rel_type, start, end), rows in relationship_groups(records).items():
            properties = schema.properties(schema.RELATIONSHIPS[rel_type])
            columns = {"from_id": "STRING", "to_id": "STRING", **properties}
            run(statements.merge_relationships(rel_type, start, end, tuple(properties), load_from=True),
                {"rows": arrow_table(rows, columns)})

    def load_many(self, batch: list[GraphRecords]) -> list[Exception | None]:
        """Load documents together in one transaction; if that fails, one by one, so only the bad one stays out.

        LadybugDB spends its time per statement, not per row: a load of many documents
        in one transaction writes as many rows with the same ~22 statements as one.
        """
        if len(batch) > 1:
            try:
                self.load(merge_records(batch))
                return [None] * len(batch)
            except Exception:  # find the document(s) that failed: the batch left nothing behind
                pass
        return super().load_many(batch)

    def _read(self, query: str, parameters: dict[str, Any], timeout: float, row_cap: int) -> QueryResult:
        with self._lock:
            connection = self._connection
            # A writable database (the app, which also loads uploads) still reads in a
            # read-only transaction, so a query cannot write whatever the guard missed.
            if not self.read_only:
                connection.execute("BEGIN TRANSACTION READ ONLY")
            connection.set_query_timeout(max(1, int(timeout * 1000)))
            try:
                result = connection.execute(query, parameters)
                if isinstance(result, list):  # several statements: the last one answers
                    result = result[-1]
                columns = result.get_column_names()
                rows = []
                while result.has_next() and len(rows) <= row_cap:
                    rows.append([_plain(value) for value in result.get_next()])
            except RuntimeError as error:
                raise _query_error(str(error), timeout) from None
            finally:
                connection.set_query_timeout(0)
                if not self.read_only:
                    _end_transaction(connection)
        return QueryResult(columns=columns, rows=rows)

    def close(self) -> None:
        for resource in ("_connection", "_database"):
            handle = getattr(self, resource, None)
            if handle is not None:
                handle.close()
                setattr(self, resource, None)


def arrow_table(rows: list[dict[str, Any]], columns: dict[str, str]):
    """Rows as a ``pyarrow.Table`` with one typed column per key (``{"id": "STRING", "span": "INT64[]"}``).

    Typed from the schema, so a column that is null in every row still has a type; a key
    missing from a row is null.

    >>> arrow_table([{"id": "a", "span": [1, 3]}, {"id": "b"}], {"id": "STRING", "span": "INT64[]"}).to_pylist()
    [{'id': 'a', 'span': [1, 3]}, {'id': 'b', 'span': None}]
    """
    import pyarrow

    def arrow_type(kind: str):
        if kind.endswith("[]"):
            return pyarrow.list_(arrow_type(kind[:-2]))
        return {"STRING": pyarrow.string(), "INT64": pyarrow.int64(), "DOUBLE": pyarrow.float64(),
                "BOOLEAN": pyarrow.bool_()}[kind]

    arrow_schema = pyarrow.schema([(name, arrow_type(kind)) for name, kind in columns.items()])
    return pyarrow.Table.from_pylist(rows, schema=arrow_schema)


def _merge_aliases(run: Runner, records: GraphRecords) -> None:
    """Agencies named in several documents keep every as-written form: union with what is stored."""
    agencies = records.nodes.get("Agency", [])
    if not agencies:
        return
    stored = dict(run(statements.AGENCY_ALIASES, {"ids": [a["id"] for a in agencies]}))
    for agency in agencies:
        known = stored.get(agency["id"]) or []
        agency["aliases"] = union_aliases(known, agency["aliases"])


def _end_transaction(connection) -> None:
    with contextlib.suppress(RuntimeError):  # a failed statement has already ended it
        connection.execute("ROLLBACK")


def _plain(value: Any) -> Any:
    """LadybugDB nodes and relationships as the plain dicts both stores return (see graph.values)."""
    from graph.values import embedded_value

    return embedded_value(value)


def _open_error(path: Path, error: RuntimeError) -> str:
    message = str(error)
    if "lock" in message.lower():
        return f"the embedded graph at {path} is in use by another policykg process (the app?); close it and retry"
    return f"cannot open the embedded graph at {path}: {message.splitlines()[0]}"


def _query_error(message: str, timeout: float) -> StoreError:
    first = message.splitlines()[0]
    if "read-only" in message or "read only" in message:
        return ReadOnlyError("policykg cypher is read-only: the query would write")
    if "Interrupted" in message or "timeout" in message.lower():
        return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
    if message.startswith(("Parser exception", "Binder exception")):
        return QuerySyntaxError(first)
    return StoreError(first)
