"""The embedded store's load of an empty graph: the plans' records set aside on disk as they are read,
then copied into the tables (LadybugDB's ``COPY``), a table at a time.

Why: loaded a batch per transaction, each commit's checkpoint rewrites the agencies' and entities'
whole adjacency lists, which grow with the corpus, and every relationship is written by a statement
that looks both its ends up: at 10,000 plans the checkpoints were ~150 s of a ~350 s load and the
statements ~137 s. Copied once, each table is written once, into new node groups.

The graph it leaves is the one loading the same plans a batch at a time leaves (tests/test_empty_graph_copy.py
compares them). Nodes several plans share (agencies, entities) and the relationships between them
are merged here, by the schema's rules (:func:`graph.records.merge_records`); what one plan has (its
document, sections, actions, targets, and every relationship that reaches them) is that plan's
alone, and goes to a Parquet file per table as it comes: memory holds a batch and the shared nodes,
never the corpus. LadybugDB keeps a transaction's rows in its buffer pool until it commits, so the
copy commits a chunk of rows at a time, all or nothing still: the store holds its
process lock from the first transaction to the last, a mark beside the change stamp says a copy is
under way until the last, and a copy that fails, or whose process died, is deleted
(``EmbeddedStore.copy_into_empty``).
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graph import schema, statements
from graph.embedded import BUFFER_POOL_BYTES, arrow_table
from graph.errors import StoreError
from graph.records import GraphRecords, merge_records, merged_row
from graph.store import Runner, relationship_groups, relationship_row_columns

# A plan's own nodes: no other plan names them, so they are copied as they come, never merged.
PLAN_LABELS = ("Document", *schema.OWNED_LABELS)
Group = tuple[str, str, str]  # a relationship type with the labels of its ends
# The rows one transaction copies (Arrow bytes), a 32nd of the buffer pool: LadybugDB holds a COPY's rows
# in the pool until it commits and checkpoints, and with the 512 MB default a chunk of 42 MB of plans'
# text filled it in the checkpoint ("buffer pool is full"), where 21 MB chunks copied 30,000 plans' documents.
COPY_CHUNK_BYTES = BUFFER_POOL_BYTES // 32
# A relationship table's chunks are larger: a second COPY into one costs far more than the first (its
# CSR is rewritten), so it is copied whole while memory allows. 10,000 plans' RESPONSIBLE_FOR (120 MB):
# in one chunk 28 s, in two of 64 MB 74 s, in eight of 16 MB 58 s; the load peaked at 1.2 GB in one.
RELATIONSHIP_CHUNK_BYTES = BUFFER_POOL_BYTES // 4
SPILLED_ROWS = 500  # rows read back from a Parquet file at a time: 500 plans' documents are ~5 MB


def plan_group(group: Group) -> bool:
    """Whether a relationship group reaches a plan's own node (so each of its relationships is one plan's).

    >>> plan_group(("MENTIONS", "Document", "Park")), plan_group(("LOCATED_IN", "Park", "District"))
    (True, False)
    """
    return group[1] in PLAN_LABELS or group[2] in PLAN_LABELS


class EmptyGraphCopy:
    """Plans gathered for one ``COPY`` per table into an empty embedded graph (see the module docstring).

    ``add`` takes a batch of plans' records (merged first, as a batch is); the store copies what was
    gathered (``EmbeddedStore.copy_into_empty``: :meth:`begin`, each of :meth:`statements`, :meth:`end`,
    a transaction each); ``close`` removes the files. State is real here: open Parquet writers and the
    shared nodes merged so far.
    """

    def __init__(self, database: Path) -> None:
        # Beside the database (its disk), named for it and this process: what a load killed while reading
        # left there is removed by the next copy into that database (its process is gone).
        _remove_abandoned(database)
        self._directory = Path(tempfile.mkdtemp(prefix=f"{_prefix(database)}{os.getpid()}-", dir=database.parent))
        self._writers: dict[str, Any] = {}  # table file name -> pyarrow.parquet.ParquetWriter
        self._shared_nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self._shared_relationships: dict[Group, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
        self.doc_ids: set[str] = set()
        self._columns: dict[str, list[str]] = {}  # each table's columns, in its order (read by begin)

    def add(self, batch: list[GraphRecords]) -> None:
        """Set a batch of plans aside: theirs to disk, the shared nodes merged into those gathered."""
        merged = merge_records(batch)
        for label, rows in merged.nodes.items():
            model = schema.NODES[label]
            if label in PLAN_LABELS:
                self._spill(label, arrow_table(rows, schema.properties(model)))
                continue
            for row in rows:
                _gather(self._shared_nodes[label], row["id"], model, row)
        for group, rows in relationship_groups(merged).items():
            model = schema.RELATIONSHIPS[group[0]]
            if plan_group(group):
                table = arrow_table(rows, relationship_row_columns(model))
                self._spill(statements.relationship_group_name(*group), table)
                continue
            for row in rows:
                _gather(self._shared_relationships[group], (row["from_id"], row["to_id"]), model, row)
        self.doc_ids.update(records.doc_id for records in batch)

    def _spill(self, name: str, table) -> None:
        import pyarrow.parquet

        writer = self._writers.get(name)
        if writer is None:
            writer = self._writers[name] = pyarrow.parquet.ParquetWriter(self._directory / f"{name}.parquet",
                                                                         table.schema)
        writer.write_table(table)

    def begin(self, run: Runner) -> None:
        """The first transaction of the copy: refuse (:class:`GraphNotEmpty`) unless the graph is still empty,
        and mark the copy as under way (see :data:`graph.statements.MARK_COPY`)."""
        for label in schema.NODES:
            if run(f"MATCH (n:{label}) RETURN count(n)", {})[0][0]:
                raise GraphNotEmpty(f"the graph has {label} nodes now: another process loaded plans meanwhile")
        run(statements.MARK_COPY, {})
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        self._columns = {table: [row[0] for row in run(f"CALL table_info('{table}') RETURN name", {})]
                         for table in (*schema.NODES, *schema.RELATIONSHIPS)}

    def statements(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The ``COPY`` statements with their rows (a chunk of :data:`COPY_CHUNK_BYTES`, or of
        :data:`RELATIONSHIP_CHUNK_BYTES` for a relationship table), each to be run in a transaction of its
        own after :meth:`begin`: every node table, then every relationship table."""
        for label, model in schema.NODES.items():
            if label in PLAN_LABELS:
                batches = self._spilled(label)
            else:
                batches = arrow_table(list(self._shared_nodes.get(label, {}).values()),
                                      schema.properties(model)).to_batches(SPILLED_ROWS)
            for rows in _chunks(batches, COPY_CHUNK_BYTES):
                yield f"COPY {label} FROM $rows", {"rows": _in_table_order(self._columns[label], rows)}
        for group in statements.RELATIONSHIP_GROUPS:
            rel_type, start, end = group
            model = schema.RELATIONSHIPS[rel_type]
            if plan_group(group):
                batches = self._spilled(statements.relationship_group_name(*group))
            else:
                batches = arrow_table(list(self._shared_relationships.get(group, {}).values()),
                                      relationship_row_columns(model)).to_batches(SPILLED_ROWS)
            for rows in _chunks(batches, RELATIONSHIP_CHUNK_BYTES):
                yield (f"COPY {rel_type} FROM $rows (from='{start}', to='{end}')",
                       {"rows": _in_table_order(self._columns[rel_type], rows, ends=("from_id", "to_id"))})

    @staticmethod
    def end(run: Runner) -> None:
        """The last transaction of the copy: the mark goes and the change stamp moves, together."""
        run(statements.UNMARK_COPY, {})
        run(statements.BUMP_STAMP, {})

    def _spilled(self, name: str) -> Iterator[Any]:
        import pyarrow.parquet

        path = self._directory / f"{name}.parquet"
        if path.exists():
            yield from pyarrow.parquet.ParquetFile(path).iter_batches(batch_size=SPILLED_ROWS)

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        shutil.rmtree(self._directory, ignore_errors=True)


class GraphNotEmpty(StoreError):
    """The graph an :class:`EmptyGraphCopy` was gathered for has nodes now: it must be loaded the usual way."""


def _gather(known: dict[Any, dict[str, Any]], key: Any, model: type, row: dict[str, Any]) -> None:
    """``row`` into the rows gathered under ``key``: merged by the schema's rules with an earlier one."""
    earlier = known.get(key)
    known[key] = row if earlier is None else merged_row(model, row, earlier)


def _prefix(database: Path) -> str:
    return f".{database.name}.copy-"


def _remove_abandoned(database: Path) -> None:
    """Remove the files of copies into ``database`` whose process no longer runs (a load that was killed)."""
    for folder in database.parent.glob(f"{glob.escape(_prefix(database))}*"):
        pid = folder.name[len(_prefix(database)):].split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: running
        return True
    return True


def emptying_statements() -> list[str]:
    """What empties a graph a copy left half-written, a table a transaction (as it was copied, so each is
    bounded as the copy's were): the relationships, the nodes, then the mark. Corrections and kept
    results stay (they are not the graph's)."""
    return ([f"MATCH ()-[r:{rel_type}]->() DELETE r" for rel_type in schema.RELATIONSHIPS]
            + [f"MATCH (n:{label}) DELETE n" for label in schema.NODES] + [statements.UNMARK_COPY])


def _chunks(batches: Iterable[Any], limit: int) -> Iterator[Any]:
    """Record batches joined into tables of at most ``limit`` bytes (or one batch, if it is larger)."""
    import pyarrow

    gathered, size = [], 0
    for batch in batches:
        if not batch.num_rows:
            continue
        if gathered and size + batch.nbytes > limit:
            yield pyarrow.Table.from_batches(gathered)
            gathered, size = [], 0
        gathered.append(batch)
        size += batch.nbytes
    if gathered:
        yield pyarrow.Table.from_batches(gathered)


def _in_table_order(columns: list[str], table, ends: tuple[str, ...] = ()):
    """``table``'s columns in the order of the LadybugDB table's (``COPY`` takes them by position): a table
    made by an older schema has the columns added since at its end."""
    return table.select([*ends, *columns])
