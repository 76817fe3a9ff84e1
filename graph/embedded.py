"""The embedded store: LadybugDB (the maintained continuation of Kùzu) in a file, no server.

The database lives at ``POLICYKG_DB`` or, by default, in the user's data
directory. Reads open the database read-only, so a person's query cannot write.

Processes share the file through a lock beside it (``graph.lbdb.lock``). LadybugDB lets a
read-only process open the files while another process writes them, and such a reader
can then meet a half-written log or checkpoint ("WAL file is corrupted", "checkpoint
recovery is pending"). So a writer holds the lock exclusively while it writes or
checkpoints (a transaction, closing), and a reading process holds it shared while it has
the database open: a read during a load answers from the last committed state or says
in one line that a load holds the store. Within one process (the app), every read has a
connection of its own, so readers never wait on one another.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import schema, statements
from graph.errors import (
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyError,
    ResultTooLarge,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    one_line,
)
from graph.records import GraphRecords, merge_records
from graph.store import (
    GraphStore,
    QueryResult,
    ResultBudget,
    Runner,
    T,
    relationship_groups,
    relationship_row_columns,
)
from graph.values import embedded_value

if TYPE_CHECKING:
    from graph.bulk import EmptyGraphCopy

# LadybugDB's buffer pool defaults to 80% of the machine's memory; a query past this bound
# fails with "buffer pool is full" instead of taking the machine (a 50M-element collect).
BUFFER_POOL_BYTES = int(float(os.environ.get("POLICYKG_DB_MEMORY_MB", "512")) * 1024 * 1024)
# Checkpointing rewrites the tables; letting the write-ahead log grow before it does keeps bulk
# loads from checkpointing after every few documents. But not past a quarter of the buffer pool:
# with 512 MiB of log and a 512 MiB pool, the first checkpoint of a 10,000-plan load (at ~7,200
# plans) killed the process with SIGSEGV (LadybugDB 0.22); at 128 MiB the same load completes.
CHECKPOINT_THRESHOLD = int(float(os.environ.get("POLICYKG_DB_CHECKPOINT_MB", "0")) * 1024 * 1024) \
    or BUFFER_POOL_BYTES // 4
ONE_STATEMENT = "policykg_one_statement"  # see EmbeddedStore._read
READ_WAIT = 5.0  # seconds a reading process waits for a writer's transaction to end
WRITE_WAIT = 130.0  # seconds a writer waits for reading processes (a read stops at MAX_TIMEOUT)
# Seconds keeping a result (GraphStore.keep) waits for them: a result not kept is only computed again,
# and the page that keeps it must not wait for another process's read (`analyze --all`) to end.
KEEP_WAIT = 2.0
# What LadybugDB says when its log ends in a record a killed writer left half-written. A transaction
# is appended to the log whole when it commits, so a kill can tear only the transaction that was
# committing: replaying up to the tear keeps every commit that returned.
TORN_LOG = ("WAL file is corrupted", "Reading past the end of the file")
LOG = logging.getLogger("policykg.store")


def default_database_path() -> Path:
    """``$POLICYKG_DB`` or ``<user data dir>/policykg/graph.lbdb``."""
    configured = os.environ.get("POLICYKG_DB")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("policykg")) / "graph.lbdb"


def holder_description() -> str:
    """What this process is, for the lock file: 'policykg load', 'policykg app' …"""
    if "streamlit" in sys.modules:
        return "policykg app"
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("python")
    if program.name == "policykg" or program.parent.name == "policykg":  # the script, or python -m policykg
        return " ".join(["policykg", *sys.argv[1:2]])
    return f"{program.name} (not policykg)"


class ProcessLock:
    """The lock file that orders writers and reading processes of one database (see the module docstring)."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        self._mode: int | None = None

    def acquire(self, mode: int, wait: float) -> bool:
        """Take the lock (fcntl.LOCK_SH or LOCK_EX), waiting up to ``wait`` seconds; False if it stayed busy."""
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._fd, mode | fcntl.LOCK_NB)
                self._mode = mode
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)

    def release(self) -> None:
        if self._mode is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._mode = None

    def record_holder(self) -> None:
        """Say who writes (read by :meth:`holder` in the process that is refused)."""
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps({"pid": os.getpid(), "what": holder_description()}).encode(), 0)

    def holder(self) -> str:
        try:
            info = json.loads(os.pread(self._fd, 4096, 0) or b"{}")
            return f"{info['what']} (pid {info['pid']})"
        except (ValueError, KeyError, OSError):
            return "another policykg process"

    def close(self) -> None:
        self.release()
        os.close(self._fd)


class EmbeddedStore(GraphStore):
    """LadybugDB on disk. One instance per process and path (the database allows one writer)."""

    kind = "embedded"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 write_wait: float = WRITE_WAIT) -> None:
        self.path = Path(path) if path else default_database_path()
        self.read_only = read_only
        self._write_wait = write_wait  # seconds a write waits for reading processes
        # Writes are one at a time (the writer connection); reads each take a connection of their own.
        self._lock = threading.RLock()
        self._exclusive_depth = 0  # spans of this process's writing that hold the process lock (_exclusive)
        if read_only and not self.path.exists():
            raise StoreUnavailable(f"no graph at {self.path} yet: run `policykg load` first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._process_lock = ProcessLock(self.path)
        try:
            if read_only:
                self._open_for_reading()
            else:
                self._open_for_writing()
        except BaseException:
            self._process_lock.close()
            raise
        if not read_only:
            self.ensure_schema()

    def _open(self, read_only: bool, *, drop_torn_end: bool = False) -> None:
        import ladybug

        try:
            self._database = ladybug.Database(str(self.path), read_only=read_only,
                                              checkpoint_threshold=CHECKPOINT_THRESHOLD,
                                              buffer_pool_size=BUFFER_POOL_BYTES,
                                              throw_on_wal_replay_failure=not drop_torn_end)
            self._connection = ladybug.Connection(self._database)
        except RuntimeError as error:
            raise StoreUnavailable(_open_error(self.path, error, self._process_lock.holder())) from None

    def _take_as_writer(self) -> None:
        """The process lock exclusively, waiting for reading processes (a read stops at its time limit)."""
        if not self._process_lock.acquire(fcntl.LOCK_EX, self._write_wait):
            raise StoreBusy(f"the embedded graph at {self.path} is being read by another process; retry")

    def _take_as_reader(self, mode: int = fcntl.LOCK_SH) -> None:
        """The process lock for reading (exclusively to recover), waiting briefly for a writer's transaction."""
        if not self._process_lock.acquire(mode, READ_WAIT):
            raise StoreBusy(f"{self._process_lock.holder()} is writing to the embedded graph at {self.path}; "
                            "retry when it has finished")

    def _open_for_writing(self) -> None:
        self._take_as_writer()
        try:
            try:
                self._open(read_only=False)  # LadybugDB refuses a second writer: its message names the holder
            except StoreUnavailable as error:
                if not _torn_log(error):
                    raise
                self._open(read_only=False, drop_torn_end=True)
                _say_torn_end_dropped(self.path)
            self._process_lock.record_holder()
        finally:
            self._process_lock.release()

    def _open_for_reading(self) -> None:
        self._take_as_reader()
        try:
            self._open(read_only=True)
        except StoreUnavailable as error:
            if not (_torn_log(error) or any(sign in str(error) for sign in ("recovery", "shadow"))):
                raise
            # A writer was killed while checkpointing or while appending to its log; nobody writes now
            # (we hold the lock), so opening read-write once completes the recovery, as LadybugDB asks
            # (a read-only open can neither replay a log nor drop the torn record a kill left at its end).
            self._recover(drop_torn_end=_torn_log(error))
            self._open(read_only=True)
        try:
            copying = self._connection.execute(statements.READ_COPY_MARK).get_all()[0][0]
        except RuntimeError:  # a graph made before the change stamp: no copy was ever made into it
            copying = 0
        if copying:
            self._connection.close()
            self._database.close()
            self._process_lock.release()
            raise StoreUnavailable(f"the embedded graph at {self.path} holds part of a first load that was stopped "
                                   "before it ended: run `policykg load` again (it deletes that part first)")
        if statements.ladybug_added_columns(_columns_present(self._connection)):
            self._update_for_reading()

    def _recover(self, drop_torn_end: bool) -> None:
        import ladybug

        self._process_lock.release()
        self._take_as_reader(fcntl.LOCK_EX)
        try:
            ladybug.Database(str(self.path), buffer_pool_size=BUFFER_POOL_BYTES,
                             throw_on_wal_replay_failure=not drop_torn_end).close()
        except RuntimeError as error:
            raise StoreUnavailable(_open_error(self.path, error, self._process_lock.holder())) from None
        finally:
            self._process_lock.release()
        if drop_torn_end:
            _say_torn_end_dropped(self.path)
        self._take_as_reader()

    def describe(self) -> str:
        return f"embedded LadybugDB at {self.path}" + (" (read-only)" if self.read_only else "")

    def ensure_schema(self) -> None:
        """The tables :func:`graph.statements.ladybug_ddl` generates from the schema, the columns a
        table made by an older schema lacks, and the values filled for them (:func:`_update_schema`)."""
        for statement in statements.ladybug_ddl():
            self._connection.execute(statement)
        self._empty_an_interrupted_copy()
        _update_schema(self._connection)

    def _update_for_reading(self) -> None:
        """A graph an older policykg made, opened for reading: its missing columns are added (and filled)
        once, by a writable open in between, as a writable open would; the named queries read them."""
        import ladybug

        self._connection.close()
        self._database.close()
        self._process_lock.release()
        self._take_as_reader(fcntl.LOCK_EX)
        try:
            database = ladybug.Database(str(self.path), buffer_pool_size=BUFFER_POOL_BYTES)
            try:
                connection = ladybug.Connection(database)
                _update_schema(connection)
                connection.close()
            finally:
                database.close()
        except RuntimeError as error:
            raise StoreUnavailable(f"the embedded graph at {self.path} was made by an older policykg and could "
                                   f"not be brought up to date for reading: {one_line(error)}; open it once "
                                   "for writing (`policykg load`)") from None
        finally:
            self._process_lock.release()
        LOG.warning("the embedded graph at %s was made by an older policykg: its new columns were added", self.path)
        self._take_as_reader()
        self._open(read_only=True)

    def keep(self, key: str, version: int, payload: str) -> bool:
        """:meth:`GraphStore.keep`, waiting at most :data:`KEEP_WAIT` for reading processes."""
        with self._lock:  # this process's writes are one at a time: none of them sees the shorter wait
            waited, self._write_wait = self._write_wait, min(self._write_wait, KEEP_WAIT)
            try:
                return super().keep(key, version, payload)
            finally:
                self._write_wait = waited

    def _write_transaction(self, work: Callable[[Runner], T]) -> T:
        import ladybug

        if self.read_only:
            raise ReadOnlyError("the embedded store was opened read-only")
        # A connection per transaction: LadybugDB 0.22 keeps ~1 MB of its buffer pool per
        # `LOAD FROM <Arrow table>` until the connection closes, so one long-lived writer
        # connection grew by ~35 MB a document (5 GB after 150 loads) and then filled the pool.
        connection = ladybug.Connection(self._database)

        def run(query: str, parameters: dict[str, Any]) -> list[list[Any]]:
            return connection.execute(query, parameters).get_all()

        with self._lock, self._exclusive():
            try:
                connection.execute("BEGIN TRANSACTION")
                try:
                    result = work(run)
                except BaseException:
                    _end_transaction(connection)  # a failed statement may have ended it: raise its error
                    raise
                connection.execute("COMMIT")  # may checkpoint: still under the exclusive lock
            finally:
                connection.close()
        return result

    @contextlib.contextmanager
    def _exclusive(self):
        """The process lock, exclusively, while this process changes the files (see the module docstring);
        taken within a span that holds it already (a copy's transactions), it is held until that span ends."""
        if self._exclusive_depth == 0:
            self._take_as_writer()
        self._exclusive_depth += 1
        try:
            yield
        finally:
            self._exclusive_depth -= 1
            if self._exclusive_depth == 0:
                self._process_lock.release()

    def write_records(self, run: Runner, records: GraphRecords) -> None:
        """:meth:`GraphStore.write_records`, what the plans own created (see :meth:`_write_records`).

        That is exact only if none of those nodes is in the store and each comes once: the records are
        merged (one row per node and relationship), and the plan of an owned node already in the store
        that is not being replaced (another process loaded it since this load listed the store) is
        replaced here, inside the transaction that writes it.
        """
        records = merge_records([records])  # a copy: the caller's records keep their replaces
        for label in schema.OWNED_LABELS:
            ids = [row["id"] for row in records.nodes.get(label, [])]
            if ids:
                records.replaces |= {row[0] for row in run(statements.owned_plans(label), {"ids": ids})
                                     if row[0] is not None}
        super().write_records(run, records)

    def _write_records(self, run: Runner, records: GraphRecords) -> None:
        """One ``LOAD FROM $rows …`` per label and relationship group, its rows as an Arrow table.

        LadybugDB converts a parameter that is a list of Python dicts value by value (~25 µs a
        row: most of what a load took); an Arrow table it scans column by column (~1 µs).
        The statements apply the schema's merge rules themselves (aliases united with the
        stored ones), so nothing is read first. What a plan owns (its sections, actions, targets and the
        relationships that reach them) is created, not merged (:meth:`write_records` makes that exact):
        LadybugDB's MERGE of a relationship looks through the relationships of its other end, an agency's
        thousands, and at 10,000 plans that was ~40 % of a batch's statements.
        """
        for label, model in schema.NODES.items():
            rows = records.nodes.get(label)
            if rows:
                run(statements.merge_nodes(model, store_kind=statements.LADYBUG,
                                           create=label in schema.OWNED_LABELS),
                    {"rows": arrow_table(rows, schema.properties(model))})
        for (rel_type, start, end), rows in relationship_groups(records).items():
            model = schema.RELATIONSHIPS[rel_type]
            run(statements.merge_relationships(model, start, end, store_kind=statements.LADYBUG,
                                               create=statements.owned_end(start, end)),
                {"rows": arrow_table(rows, relationship_row_columns(model))})

    def merge_node_rows(self, run: Runner, model: type[schema.Node], rows: list[dict[str, Any]]) -> None:
        if rows:
            run(statements.merge_nodes(model, store_kind=statements.LADYBUG),
                {"rows": arrow_table(rows, schema.properties(model))})

    def empty_graph_copy(self) -> EmptyGraphCopy:
        """:meth:`GraphStore.empty_graph_copy`: its files beside the database (the same disk)."""
        from graph.bulk import EmptyGraphCopy

        return EmptyGraphCopy(self.path)

    def copy_into_empty(self, copy: EmptyGraphCopy) -> None:
        """:meth:`GraphStore.copy_into_empty`: a transaction per ``COPY`` (LadybugDB holds a transaction's rows
        in its buffer pool), with the process lock held from the first to the last, so no other process
        reads a graph part-copied. The first marks the copy as under way and the last removes the mark:
        if one fails, what was copied is deleted here; if this process dies, the next that opens the
        graph deletes it (:meth:`_empty_an_interrupted_copy`)."""
        with self._lock, self._exclusive():
            self._write_transaction(copy.begin)
            try:
                for statement, parameters in copy.statements():
                    self._write_transaction(lambda run, s=statement, p=parameters: run(s, p))
                self._write_transaction(copy.end)
            except BaseException as error:
                try:
                    self._empty_copied()
                except Exception as emptying:  # the mark stays: the next open deletes the part copied
                    raise StoreUnavailable(
                        f"copying into the empty graph at {self.path} failed ({one_line(error)}) and deleting "
                        f"what it had copied failed too ({one_line(emptying)}); the next `policykg load` or "
                        "open of the graph deletes it") from error
                raise

    def _empty_copied(self) -> None:
        from graph.bulk import emptying_statements

        for statement in emptying_statements():
            self._write_transaction(lambda run, s=statement: run(s, {}))

    def _empty_an_interrupted_copy(self) -> None:
        """Delete what a copy into the empty graph left if its process died before it ended (a writable open)."""
        if self._connection.execute(statements.READ_COPY_MARK).get_all()[0][0]:
            self._empty_copied()
            LOG.warning("the embedded graph at %s held part of a first load that was stopped before it ended; "
                        "that part was deleted (load those plans again)", self.path)

    def _load_batch(self, batch: list[GraphRecords], writers: int = 1) -> list[Exception | None]:
        """Load documents together in one transaction; if that fails, one by one, so only the bad one stays out.
        ``writers`` does not apply: LadybugDB has one writer.

        LadybugDB spends its time per statement, not per row: a load of many documents
        in one transaction writes as many rows with the same ~22 statements as one.
        """
        if len(batch) > 1:
            merged = merge_records(batch)
            try:
                self._write_transaction(lambda run: self.write_records(run, merged))
                return [None] * len(batch)
            except StoreUnavailable as lost:
                return [lost] * len(batch)
            except Exception:  # find the document(s) that failed: the batch left nothing behind
                pass
        return super()._load_batch(batch)

    def _read(self, query: str, parameters: dict[str, Any], timeout: float, offset: int, limit: int,
              max_bytes: int | None) -> QueryResult:
        import ladybug

        database = self._database
        if database is None:
            raise StoreUnavailable(f"the embedded graph at {self.path} is closed")
        # A connection per read: LadybugDB runs read transactions side by side, so one
        # person's slow query does not make everyone else's wait (one shared connection did).
        connection = ladybug.Connection(database)
        budget = ResultBudget(max_bytes)
        try:
            # A writable database (the app, which also loads uploads) still reads in a
            # read-only transaction, so a query cannot write whatever the guard missed.
            if not self.read_only:
                connection.execute("BEGIN TRANSACTION READ ONLY")
            connection.set_query_timeout(max(1, int(timeout * 1000)))
            # With a parameter map that is not empty, LadybugDB prepares the query first and refuses
            # several statements before running any (with an empty map it runs them all, then
            # answers with a list): the sentinel makes the refusal happen whatever the guard missed.
            result = connection.execute(query, {ONE_STATEMENT: True, **parameters})
            if isinstance(result, list):
                raise ReadOnlyError("policykg cypher is read-only: one statement at a time")
            columns = result.get_column_names()
            total = result.get_num_tuples()  # LadybugDB holds the whole result: its size is known
            skipped = 0
            while skipped < offset and result.has_next():
                result.get_next()
                skipped += 1
            rows = []
            # Columns of plain values need no conversion: with 10,000 rows of eight that is 80,000 calls.
            plain = all(kind in _SCALAR_COLUMNS for kind in result.get_column_data_types())
            while len(rows) < limit and result.has_next():
                row = result.get_next() if plain else [_plain(value) for value in result.get_next()]
                budget.add(row)
                rows.append(row)
        except RuntimeError as error:
            raise _query_error(str(error), timeout) from None
        finally:
            if not self.read_only:
                _end_transaction(connection)
            connection.close()
        return QueryResult(columns=columns, rows=rows, total=total)

    def close(self) -> None:
        if getattr(self, "_database", None) is None:
            return
        with self._lock, contextlib.ExitStack() as stack:
            if not self.read_only:
                # Closing checkpoints: a reading process must not open the files meanwhile.
                with contextlib.suppress(StoreBusy):
                    stack.enter_context(self._exclusive())
            for resource in ("_connection", "_database"):
                handle = getattr(self, resource, None)
                if handle is not None:
                    handle.close()
                    setattr(self, resource, None)
        self._process_lock.close()


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


def _end_transaction(connection) -> None:
    with contextlib.suppress(RuntimeError):  # a failed statement has already ended it
        connection.execute("ROLLBACK")


_SCALARS = frozenset({str, int, float, bool, type(None)})
#: LadybugDB column types whose values arrive as the Python values they are (INT128, a sum, is a Decimal)
_SCALAR_COLUMNS = frozenset({"STRING", "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32", "UINT16", "UINT8",
                             "DOUBLE", "FLOAT", "BOOL"})


def _plain(value: Any) -> Any:
    """LadybugDB nodes and relationships as the plain dicts both stores return (see graph.values).
    Plain values, most of every result, are returned as they are without a call: reading a
    city's part of a 10,000-plan graph spent a quarter of its time converting strings."""
    if type(value) in _SCALARS:
        return value
    return embedded_value(value)


def _columns_present(connection: Any) -> dict[str, set[str]]:
    """Each table's columns as LadybugDB lists them (the table names are the schema's labels and types)."""
    return {table: {row[0] for row in connection.execute(f"CALL table_info('{table}') RETURN name").get_all()}
            for table in statements.ladybug_columns()}


def _update_schema(connection: Any) -> None:
    """The columns the schema has and the graph's tables lack (a field added since they were made),
    then the values derived from what the graph holds (:data:`graph.statements.FILL_DOCUMENT_COUNTS`)."""
    for statement in statements.ladybug_added_columns(_columns_present(connection)):
        connection.execute(statement)
    connection.execute(statements.FILL_DOCUMENT_COUNTS)


def _torn_log(error: StoreUnavailable) -> bool:
    return any(sign in str(error) for sign in TORN_LOG)


def _say_torn_end_dropped(path: Path) -> None:
    LOG.warning("the embedded graph at %s was last written by a process that was stopped mid-write; "
                "it holds everything committed before that, and the unfinished write was dropped "
                "(load those plans again to complete it)", path)


def _open_error(path: Path, error: RuntimeError, holder: str) -> str:
    message = str(error)
    if "lock" in message.lower():
        return f"the embedded graph at {path} is in use by {holder}; close it and retry"
    return f"cannot open the embedded graph at {path}: {message.splitlines()[0]}"


def _query_error(message: str, timeout: float) -> StoreError:
    first = message.splitlines()[0]
    if "prepare multiple statements" in message:
        return ReadOnlyError("policykg cypher is read-only: one statement at a time")
    if "read-only" in message or "read only" in message:
        return ReadOnlyError("policykg cypher is read-only: the query would write")
    if "Interrupted" in message or "timeout" in message.lower():
        return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
    if "buffer pool is full" in message or "Unable to allocate memory" in message:
        return ResultTooLarge(f"the query needed more than the store's {BUFFER_POOL_BYTES // (1024 * 1024)} MB of "
                              "memory and was stopped; add a LIMIT or aggregate less")
    if message.startswith(("Parser exception", "Binder exception")):
        return QuerySyntaxError(first)
    return StoreError(first)
