"""Graph loading: ``Neo4jStore.load`` against one MERGE per record, and ``EmbeddedStore.load``.

Targets (the issue), measured side by side in one run:

1. Loading the records of 1,000 generated plans into Neo4j with the store's batched
   ``UNWIND … MERGE`` (``Neo4jStore.load(records)``: one statement of ``CALL () { UNWIND … MERGE }``
   subqueries and one transaction per document) at >= 20× the
   rate of one MERGE statement per record, each its own auto-commit ``session.run``, through the
   same driver.
2. Loading the same records into the embedded store (``EmbeddedStore(path).load_many(records)``, 100 at a time) at
   least as fast as into Neo4j.

    NEO4J_URI=bolt://127.0.0.1:7688 NEO4J_PASSWORD=... \\
        python bench/bench_load.py [--docs 1000] [--baseline-docs 50] [--warmup-docs 20] [--seed 0] [--write]
                                   [--clear-first] [--try-store-clear] [--breakdown N]

**The Neo4j database named by NEO4J_URI / NEO4J_DATABASE is cleared** (several times). The script
refuses to start if it holds anything, unless ``--clear-first``; point it at a server of its own
(``POLICYKG_NEO4J_HOME=/tmp/neo4j-bench NEO4J_BOLT_PORT=7688 NEO4J_HTTP_PORT=7475 scripts/neo4j
start``), not at the one the tests use. The embedded store is a fresh temporary database, never
``POLICYKG_DB``.

What is timed: only the writes. The plans are generated (``bench/_corpus.py``), extracted
(``loaders.extract_text``) and turned into records (``graph.records.document_records``) first.
A "record" is one node row or one relationship row of ``document_records``. In order:

- warm-up, not counted: ``--warmup-docs`` plans that are not among the measured ones, loaded
  both ways into Neo4j (cleared after each) and into a throw-away embedded database, so that
  neither side pays the JVM's JIT or the query caches alone;
- baseline: the first ``--baseline-docs`` plans into Neo4j, one statement per record in
  ``schema.NODES`` order then relationships (``MERGE (n:Label {id: $id}) SET n += $props``;
  ``MATCH (a:L1 {id: $a}) MATCH (b:L2 {id: $b}) MERGE (a)-[r:TYPE]->(b) SET r += $props``; null
  properties left out), each ``session.run(...).consume()`` in auto-commit; then ``store.clear()``;
- batched: all ``--docs`` plans with ``Neo4jStore.load``, one call (one transaction) per document;
  the first ``--baseline-docs`` of them are also reported alone, like for like with the baseline;
- emptying Neo4j: a batched delete (``CALL { … } IN TRANSACTIONS``), timed for information; with
  ``--try-store-clear``, ``store.clear()`` first (one transaction: on a 1 GB heap it fails with
  MemoryPoolOutOfMemoryError, or the server runs out of heap and exits);
- embedded: all ``--docs`` plans with ``EmbeddedStore.load`` into a new database in a temporary
  folder.

Prints a Markdown section; ``--write`` puts it in ``docs/benchmarks.md`` as "## Graph loading".
``--breakdown N`` then loads the first N plans again into each store with every statement timed
(wall, and for Neo4j the server's own time) and prints where the time goes; it is not in the section.
Exit status: 0 both targets met, 1 a target missed (the verdict says which), 2 could not run.
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402
from bench._corpus import generate_plans  # noqa: E402

SECTION = "## Graph loading"
COMMAND = "python bench/bench_load.py"
TARGET_RATIO = 20.0  # batched Neo4j rate over the per-record rate
TARGET_EMBEDDED = 1.0  # embedded rate over the batched Neo4j rate


# --------------------------------------------------------------------------- corpus


@dataclass
class Corpus:
    records: list[Any]  # GraphRecords, measured documents first, then the warm-up ones
    n_docs: int
    n_bytes: int
    extract_s: float
    records_s: float
    generate_s: float

    @property
    def measured(self) -> list[Any]:
        return self.records[: self.n_docs]

    @property
    def warmup(self) -> list[Any]:
        return self.records[self.n_docs :]


# `policykg load` hands the embedded store documents 100 at a time (graph.loading.load_files).
EMBEDDED_BATCH = 100


def n_records(records_list: Sequence[Any]) -> int:
    return sum(sum(r.counts().values()) for r in records_list)


def n_nodes_rels(records_list: Sequence[Any]) -> tuple[int, int]:
    nodes = sum(len(rows) for r in records_list for rows in r.nodes.values())
    rels = sum(len(rows) for r in records_list for rows in r.relationships.values())
    return nodes, rels


def build_corpus(n_docs: int, n_warmup: int, seed: int) -> Corpus:
    from graph.records import document_records
    from loaders import extract_text

    t0 = time.perf_counter()
    texts = generate_plans(n_docs + n_warmup, seed)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = [extract_text(text, f"bench-{seed}-{i:04d}.txt") for i, text in enumerate(texts)]
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    records = [document_records(doc) for doc in docs]
    t_records = time.perf_counter() - t0
    n_bytes = sum(len(t.encode("utf-8")) for t in texts[:n_docs])
    if len({r.doc_id for r in records}) != len(records):
        raise RuntimeError("two generated plans have the same document id")
    return Corpus(records, n_docs, n_bytes, t_extract, t_records, t_gen)


def fresh(records_list: Sequence[Any]) -> list[Any]:
    """Copies to load, so that no run sees records another run has handled."""
    return copy.deepcopy(list(records_list))


# --------------------------------------------------------------------------- the Neo4j server


def neo4j_server_pid(uri: str) -> int | None:
    """The pid of a local Neo4j server whose Bolt port is the URI's (for its CPU time and memory)."""
    parsed = urlparse(uri)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    port = str(parsed.port or 7687)
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        homes = [a[len(b"--home-dir="):].decode() for a in args if a.startswith(b"--home-dir=")]
        if not homes or not any(b"neo4j" in a.lower() for a in args):
            continue
        conf = Path(homes[0]) / "conf" / "neo4j.conf"
        try:
            text = conf.read_text()
        except OSError:
            continue
        match = re.search(r"^server\.bolt\.listen_address=.*:(\d+)\s*$", text, re.M)
        if (match.group(1) if match else "7687") == port:
            return int(proc.name)
    return None


def process_cpu_s(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_status_mib(pid: int | None, key: str) -> float | None:
    """``VmHWM`` (peak RSS) or ``VmRSS`` of a process, MiB."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def neo4j_home(pid: int | None) -> Path | None:
    if pid is None:
        return None
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    homes = [a[len(b"--home-dir="):].decode() for a in args if a.startswith(b"--home-dir=")]
    return Path(homes[0]) if homes else None


def dir_mib(path: Path | None) -> float | None:
    if path is None or not path.exists():
        return None
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One way of writing, over some documents."""

    name: str
    docs: int = 0
    records: int = 0
    wall: float = 0.0
    cpu: float = 0.0  # this process
    server_cpu: float | None = None  # the Neo4j JVM
    others_cpu: float | None = None  # every other process on the machine, during the run
    per_doc: list[float] = field(default_factory=list)
    statements: int = 0
    transactions: int = 0
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.records / self.wall

    @property
    def doc_rate(self) -> float:
        return self.docs / self.wall


def timed(name: str, records_list: Sequence[Any], write_one: Callable[[Any], Any],
          server_pid: int | None = None, batch: int = 1) -> Run:
    """Write each document's records with ``write_one``, timing each and all.

    With ``batch`` > 1, ``write_one`` gets lists of that many documents (``load_many``, as
    ``policykg load`` calls it) and each document is charged its batch's mean.
    """
    run = Run(name, docs=len(records_list), records=n_records(records_list))
    gc.collect()
    gc.disable()
    try:
        s0 = process_cpu_s(server_pid)
        m0 = _report.machine_busy_s()
        c0, t0 = time.process_time(), time.perf_counter()
        if batch > 1:
            for start in range(0, len(records_list), batch):
                chunk = list(records_list[start : start + batch])
                d0 = time.perf_counter()
                outcomes = write_one(chunk)
                if any(outcome is not None for outcome in outcomes):
                    raise RuntimeError(f"a document failed to load: {outcomes}")
                run.per_doc.extend([(time.perf_counter() - d0) / len(chunk)] * len(chunk))
        else:
            for records in records_list:
                d0 = time.perf_counter()
                write_one(records)
                run.per_doc.append(time.perf_counter() - d0)
        run.wall = time.perf_counter() - t0
        run.cpu = time.process_time() - c0
        s1 = process_cpu_s(server_pid)
        m1 = _report.machine_busy_s()
        run.server_cpu = s1 - s0 if s0 is not None and s1 is not None else None
        if m0 is not None and m1 is not None:
            run.others_cpu = max(0.0, m1 - m0 - run.cpu - (run.server_cpu or 0.0))
    finally:
        gc.enable()
    return run


def split_run(run: Run, first: int, records_first: int, name: str) -> Run:
    """The first ``first`` documents of ``run``, as a run of their own."""
    part = Run(name, docs=first, records=records_first, wall=sum(run.per_doc[:first]))
    part.per_doc = run.per_doc[:first]
    return part


class StatementCounter:
    """Counts what a store's ``_write_records`` sends for a document: statements and rows, no I/O.

    ``write_records`` is the store class's method (``Neo4jStore._write_records``, or
    ``EmbeddedStore._write_records``); it is called without a store, which
    both allow because neither reads the store's state to build its statements.
    """

    def __init__(self, write_records: Callable[[Any, Callable, Any], None]) -> None:
        self.write_records = write_records
        self.statements = 0
        self.merges = 0  # statements that write
        self.reads = 0  # statements that only read (none today: aliases are united inside the write)
        self.rows = 0  # rows the writing statements unwind
        self.texts: set[str] = set()

    def count(self, records: Any) -> None:
        self.write_records(None, self._run, records)

    def _run(self, query: str, parameters: dict[str, Any]) -> list:
        self.statements += 1
        rows = statement_rows(parameters)
        if rows is None:
            self.reads += 1
        else:
            self.merges += 1
            self.rows += rows
        self.texts.add(query)
        return []


def statement_rows(parameters: dict[str, Any]) -> int | None:
    """Rows a writing statement unwinds (``$rows``, or every list of the Neo4j store's ``$groups``); None for a read."""
    if "rows" in parameters:
        return len(parameters["rows"])
    if "groups" in parameters:
        return sum(len(rows) for rows in parameters["groups"].values())
    return None


def baseline_writer(driver: Any, database: str | None) -> tuple[Callable[[Any], None], Callable[[], None], dict]:
    """One auto-commit ``session.run`` per node and per relationship, through ``driver``."""
    from graph import schema

    session = driver.session(database=database)
    stats = {"statements": 0}

    def props(values: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in values.items() if value is not None}

    def write_one(records: Any) -> None:
        for label in schema.NODES:
            query = f"MERGE (n:{label} {{id: $id}}) SET n += $props"
            for row in records.nodes.get(label, []):
                session.run(query, id=row["id"], props=props(row)).consume()
                stats["statements"] += 1
        for rel_type, rels in records.relationships.items():
            for rel in rels:
                query = (f"MATCH (a:{rel.start_label} {{id: $a}}) MATCH (b:{rel.end_label} {{id: $b}}) "
                         f"MERGE (a)-[r:{rel_type}]->(b) SET r += $props")
                session.run(query, a=rel.start, b=rel.end, props=props(rel.properties)).consume()
                stats["statements"] += 1

    return write_one, session.close, stats


def clear_neo4j(store: Any) -> tuple[float, str | None, float | None]:
    """``store.clear()``, timed; if it fails, a batched delete. (seconds, error, fallback seconds)."""
    t0 = time.perf_counter()
    try:
        store.clear()
        return time.perf_counter() - t0, None, None
    except Exception as error:  # report it, then empty the database another way
        spent = time.perf_counter() - t0
        message = f"{type(error).__name__}: {getattr(error, 'message', None) or error}".splitlines()[0]
        t0 = time.perf_counter()
        delete_in_batches(store)
        return spent, message, time.perf_counter() - t0


def delete_in_batches(store: Any) -> None:
    """Empty the Neo4j database 5,000 nodes per transaction (an auto-commit ``CALL … IN TRANSACTIONS``)."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def total_nodes(store: Any) -> int:
    return store.run_read("MATCH (n) RETURN count(n)", guard=False).rows[0][0]


# --------------------------------------------------------------------------- breakdown (--breakdown)


def statement_kind(query: str) -> str:
    """``MERGE Action``, ``MERGE LEADS Agency->Action``, ``alias read`` ... for a statement of ``load``."""
    if "CALL () {" in query:
        return "the document statement (Neo4j)"
    rel = re.search(r"MATCH \(a:(\w+) .*MATCH \(b:(\w+) .*MERGE \(a\)-\[x:(\w+)\]", query)
    if rel:
        return f"MERGE {rel.group(3)} {rel.group(1)}->{rel.group(2)}"
    node = re.search(r"MERGE \(n:(\w+) ", query)
    if node:
        return f"MERGE {node.group(1)}"
    return query[:40]


@dataclass
class Breakdown:
    rows: dict[str, list[float]] = field(default_factory=dict)  # kind -> [calls, rows, wall, server]

    def add(self, kind: str, n_rows: int, wall: float, server: float = 0.0) -> None:
        entry = self.rows.setdefault(kind, [0, 0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += n_rows
        entry[2] += wall
        entry[3] += server

    def table(self, title: str, server: bool) -> str:
        total = sum(v[2] for v in self.rows.values())
        out = [title, f"{'':44s} {'calls':>6s} {'rows':>7s} {'wall s':>8s} {'ms/call':>8s} {'us/row':>7s}"
               + (f" {'server ms/call':>15s}" if server else "")]
        for kind, (calls, rows, wall, srv) in sorted(self.rows.items(), key=lambda kv: -kv[1][2]):
            out.append(f"{kind:44s} {calls:6.0f} {rows:7.0f} {wall:8.2f} {wall / calls * 1e3:8.2f} "
                       f"{wall / rows * 1e6 if rows else 0:7.0f}" + (f" {srv / calls * 1e3:15.2f}" if server else ""))
        out.append(f"{'total':44s} {'':6s} {'':7s} {total:8.2f}")
        return "\n".join(out)


def instrument_neo4j(store: Any, breakdown: Breakdown) -> None:
    """Time each statement of ``store.load`` (wall, and the server's result_available/consumed_after)."""

    def write_transaction(work: Callable) -> None:
        def transaction(tx: Any) -> None:
            def run(query: str, parameters: dict[str, Any]) -> list[list[Any]]:
                t0 = time.perf_counter()
                result = tx.run(query, parameters)
                rows = [list(record.values()) for record in result]
                summary = result.consume()
                server = ((summary.result_available_after or 0) + (summary.result_consumed_after or 0)) / 1e3
                breakdown.add(statement_kind(query), statement_rows(parameters) or 0, time.perf_counter() - t0,
                              server)
                return rows

            work(run)

        t0 = time.perf_counter()
        before = sum(v[2] for v in breakdown.rows.values())
        with store._driver.session(database=store.database) as session:
            session.execute_write(transaction)
        spent = time.perf_counter() - t0 - (sum(v[2] for v in breakdown.rows.values()) - before)
        breakdown.add("(BEGIN + COMMIT, session)", 0, spent)

    store._write_transaction = write_transaction


def instrument_embedded(store: Any, breakdown: Breakdown) -> None:
    """Time each statement of ``store.load``, and BEGIN and COMMIT (which runs auto-checkpoints)."""
    connection = store._connection

    def write_transaction(work: Callable) -> None:
        def run(query: str, parameters: dict[str, Any]) -> list[list[Any]]:
            t0 = time.perf_counter()
            rows = connection.execute(query, parameters).get_all()
            breakdown.add(statement_kind(query), statement_rows(parameters) or 0, time.perf_counter() - t0)
            return rows

        t0 = time.perf_counter()
        connection.execute("BEGIN TRANSACTION")
        breakdown.add("(BEGIN)", 0, time.perf_counter() - t0)
        work(run)
        t0 = time.perf_counter()
        connection.execute("COMMIT")
        commit = time.perf_counter() - t0
        breakdown.add("(COMMIT)" if commit < 0.25 else "(COMMIT > 0.25 s: auto-checkpoint?)", 0, commit)

    store._write_transaction = write_transaction


def run_breakdown(corpus: Corpus, n_docs: int, neo4j_store: Any) -> str:
    """Load the first ``n_docs`` again into each store with every statement timed; a text report."""
    from graph.embedded import EmbeddedStore

    docs = corpus.measured[:n_docs]
    parts = [f"Breakdown: the first {len(docs)} documents loaded again, every statement timed "
             "(instrumented: not the benchmark's numbers)."]
    neo = Breakdown()
    instrument_neo4j(neo4j_store, neo)
    t0 = time.perf_counter()
    for records in fresh(docs):
        neo4j_store.load(records)
    parts.append(neo.table(f"\nNeo4j ({time.perf_counter() - t0:.2f} s):", server=True))
    clear_neo4j(neo4j_store)
    emb = Breakdown()
    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-breakdown-"))
    try:
        with EmbeddedStore(folder / "graph.lbdb") as store:
            instrument_embedded(store, emb)
            t0 = time.perf_counter()
            for records in fresh(docs):
                store.load(records)
            parts.append(emb.table(f"\nembedded ({time.perf_counter() - t0:.2f} s):", server=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return "\n".join(parts)


# --------------------------------------------------------------------------- report


def ms(x: float) -> str:
    return f"{x * 1e3:.1f} ms"


def per_doc_summary(run: Run) -> str:
    d = sorted(run.per_doc)
    p95 = d[min(len(d) - 1, int(0.95 * len(d)))]
    return f"{ms(statistics.median(d))} / {ms(p95)} / {ms(d[-1])}"


def growth(run: Run, k: int = 100) -> str:
    if len(run.per_doc) < 2 * k:
        return "—"
    return f"{ms(statistics.mean(run.per_doc[:k]))} → {ms(statistics.mean(run.per_doc[-k:]))}"


def others(run: Run) -> str:
    if run.others_cpu is None:
        return "n/a"
    return f"{run.others_cpu:.1f} s ({run.others_cpu / run.wall:.2f})"


def fmt_opt(x: float | None, unit: str = " s", digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}{unit}"


def report(args: argparse.Namespace, corpus: Corpus, base: Run, batched: Run, batched_first: Run,
           embedded: Run, embedded_first: Run, facts: dict[str, Any], verdict: str) -> str:
    nodes, rels = n_nodes_rels(corpus.measured)
    n_rec = nodes + rels
    ratio = batched.rate / base.rate
    ratio_same = batched_first.rate / base.rate
    emb_ratio = embedded.rate / batched.rate
    cmd = (f"{COMMAND} --docs {args.docs} --baseline-docs {args.baseline_docs} --warmup-docs {args.warmup_docs}"
           + (f" --seed {args.seed}" if args.seed else ""))
    from graph import schema, statements

    counted, counted_embedded = facts["counted"]["neo4j"], facts["counted"]["embedded"]
    graph_nodes, graph_rels = facts["graph_neo4j"]
    same_graph = facts["graph_neo4j"] == facts["graph_embedded"]
    if facts["neo4j_clear"] is None:
        clear_line = (f"Emptying Neo4j after the {args.docs:,} documents: a batched `CALL {{ … }} IN TRANSACTIONS OF "
                      f"5000 ROWS` delete, {facts['neo4j_batched_delete']:.1f} s. `store.clear()` (one transaction) "
                      "was not tried on the full graph: with the 1 GB heap of `scripts/neo4j` it runs out of "
                      "transaction memory or of heap (`--try-store-clear` tries it)")
    else:
        clear_s, clear_error, fallback_s = facts["neo4j_clear"]
        if clear_error:
            clear_line = (f"`store.clear()` of the full graph on Neo4j **failed** after {clear_s:.1f} s "
                          f"({clear_error}); a batched `CALL {{ … }} IN TRANSACTIONS OF 5000 ROWS` delete then "
                          f"took {fallback_s:.1f} s")
        else:
            clear_line = f"`store.clear()` of the full graph took {clear_s:.1f} s on Neo4j"
    clear_line += f". `store.clear()` of the full embedded graph: {facts['embedded_clear']:.1f} s"
    srv = facts["server"]
    lines = [
        SECTION,
        "",
        f"Reproduce: `NEO4J_URI=bolt://127.0.0.1:7688 {cmd} --write` (a server of its own: the script "
        "clears its database; see the script's docstring)",
        "",
        f"The records of {args.docs:,} synthetic plans (`bench/_corpus.py` `generate_plans({args.docs}, "
        f"seed={args.seed})`, {corpus.n_bytes / 1e6:.1f} MB of text), extracted and turned into records "
        "(`graph.records.document_records`) before any clock starts: only the writes are timed. "
        f"A record is one node row or one relationship row of `document_records`: {nodes:,} nodes + "
        f"{rels:,} relationships = **{n_rec:,} records**, {n_rec / args.docs:.0f} per document. MERGE folds "
        "the ones named in several documents (agencies, kinds), so the graph ends smaller: "
        f"{graph_nodes:,} nodes and {graph_rels:,} relationships"
        + (" in both stores." if same_graph else
           f" in Neo4j, {facts['graph_embedded'][0]:,} and {facts['graph_embedded'][1]:,} in the embedded store."),
        "",
        "| | Neo4j, one MERGE per record (baseline) | Neo4j, `Neo4jStore.load` | embedded, `EmbeddedStore.load_many` |",
        "| --- | ---: | ---: | ---: |",
        f"| documents | {base.docs:,} (the first) | {batched.docs:,} | {embedded.docs:,} |",
        f"| records | {base.records:,} | {batched.records:,} | {embedded.records:,} |",
        f"| **records/s** | **{base.rate:,.0f}** | **{batched.rate:,.0f}** | **{embedded.rate:,.0f}** |",
        f"| documents/s | {base.doc_rate:.1f} | {batched.doc_rate:.1f} | {embedded.doc_rate:.1f} |",
        f"| total wall | {base.wall:.2f} s | {batched.wall:.2f} s | {embedded.wall:.2f} s |",
        f"| records/s over the first {base.docs} documents only | {base.rate:,.0f} | {batched_first.rate:,.0f} "
        f"| {embedded_first.rate:,.0f} |",
        f"| per document: median / p95 / max | {per_doc_summary(base)} | {per_doc_summary(batched)} "
        f"| {per_doc_summary(embedded)} (batch mean) |",
        f"| per document, mean of the first 100 → last 100 | {growth(base)} | {growth(batched)} "
        f"| {growth(embedded)} |",
        f"| statements sent | {base.statements:,} (one per record) | {batched.statements:,}: "
        f"{batched.statements / batched.docs:.1f} per document, {counted.rows / max(counted.merges, 1):.0f} rows "
        f"on average, in {len(statements.RELATIONSHIP_GROUPS) + len(schema.NODES)} `CALL () {{ UNWIND … MERGE }}` "
        f"subqueries | {counted_embedded.statements / embedded.docs:.1f} per document "
        f"({counted_embedded.merges / embedded.docs:.1f} `LOAD FROM … MERGE` of "
        f"{counted_embedded.rows / max(counted_embedded.merges, 1):.1f} rows on average), the same statements "
        f"per batch of {EMBEDDED_BATCH} documents with longer lists |",
        f"| transactions | {base.transactions:,} (auto-commit, one per statement) | {batched.transactions:,} "
        f"(one per document) | {embedded.transactions:,} (one per {EMBEDDED_BATCH} documents; one per document "
        "if a batch fails) |",
        f"| CPU of this process (driver / embedded engine) | {base.cpu:.2f} s | {batched.cpu:.2f} s "
        f"| {embedded.cpu:.2f} s |",
        f"| CPU of the Neo4j server | {fmt_opt(base.server_cpu)} | {fmt_opt(batched.server_cpu)} | — |",
        f"| CPU of all other processes meanwhile (a shared machine; cores busy on average) "
        f"| {others(base)} | {others(batched)} | {others(embedded)} |",
        "",
        f"- **`Neo4jStore.load` / one MERGE per record: {ratio:.1f}×** (its rate over the {batched.docs:,} documents "
        f"against the baseline's over the first {base.docs}; target ≥ {TARGET_RATIO:g}×). Over the same "
        f"first {base.docs} documents, into an empty database like the baseline: {ratio_same:.1f}×.",
        f"- **embedded / Neo4j (both batched, {batched.docs:,} documents): {emb_ratio:.2f}×** "
        f"(target ≥ {TARGET_EMBEDDED:g}×).",
        "- Baseline, exactly: for each document, for each label in `schema.NODES` order, each node row as "
        "`MERGE (n:Label {id: $id}) SET n += $props`, then each relationship as `MATCH (a:L1 {id: $a}) "
        "MATCH (b:L2 {id: $b}) MERGE (a)-[r:TYPE]->(b) SET r += $props` (null properties left out), each "
        "`session.run(...).consume()` in auto-commit on one session of the store's own driver "
        "(`graph.neo4j_store._driver`). No alias union (the store's statement unites the stored aliases "
        "with the new ones). It writes the same nodes and relationships: counts after it "
        + ("equal those after `Neo4jStore.load` of the same documents." if facts["baseline_same_counts"]
           else f"**differ** from those after `Neo4jStore.load` of the same documents: {facts['baseline_diff']}."),
        f"- Warm-up, not counted: {args.warmup_docs} other plans loaded both ways into Neo4j and into a "
        "throw-away embedded database (Neo4j emptied with `store.clear()` after each). Then the baseline, "
        "`store.clear()`, the batched load, emptying Neo4j, the embedded load, in one process.",
        f"- {clear_line}.",
        "- Not timed: generating the plans "
        f"{corpus.generate_s:.1f} s, extracting them {corpus.extract_s:.1f} s, `document_records` "
        f"{corpus.records_s:.1f} s ({args.docs + args.warmup_docs:,} documents).",
        "- Peak RSS: " + ", ".join(f"{v:.0f} MiB {k}" for k, v in facts["rss"].items())
        + (f"; Neo4j server (VmHWM) {srv['hwm']:.0f} MiB" if srv.get("hwm") else "")
        + (f"; on disk after the load: Neo4j {srv['disk']:.0f} MiB (database + transaction logs)"
           if srv.get("disk") else "")
        + (f", embedded {facts['embedded_disk']:.0f} MiB" if facts.get("embedded_disk") else ""),
        f"- Neo4j: {facts['server_agent']} (Community) on {facts['uri_host']}, heap and page cache as set by "
        f"`scripts/neo4j` ({facts['server_conf']}); Python driver neo4j {_report.version('neo4j')}"
        f"{' with' if facts['rust_ext'] else ' without'} the Rust extension; LadybugDB "
        f"{_report.version('ladybug')}.",
        f"- machine: {_report.cpu_model()}, {os.cpu_count() or 0} cores shared by the client and the server; "
        f"{_report.python_and_system()}; load average {facts['load_before']} before the run, "
        f"{_report.load_average()} after",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"{_report.git_commit(('graph', 'loaders', 'bench'))}",
        "",
        f"**{verdict}**",
        "",
    ]
    return "\n".join(lines)


def server_conf(home: Path | None) -> str:
    if home is None:
        return "settings unknown"
    try:
        text = (home / "conf" / "neo4j.conf").read_text()
    except OSError:
        return "settings unknown"
    found = dict(re.findall(r"^server\.memory\.(heap\.max_size|pagecache\.size)=(\S+)", text, re.M))
    return ", ".join(f"{k.replace('.size', '').replace('_size', '')} {v}" for k, v in found.items()) or "defaults"


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time graph loading: Neo4j batched vs one MERGE per record, and embedded.")
    ap.add_argument("--docs", type=int, default=1000, help="plans to load with the stores' load (1000)")
    ap.add_argument("--baseline-docs", type=int, default=50,
                    help="the first N plans are also loaded one statement per record (50)")
    ap.add_argument("--warmup-docs", type=int, default=20, help="other plans loaded first, not counted (20)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    ap.add_argument("--write", action="store_true", help=f"update {_report.DOCS_FILE.relative_to(ROOT)}")
    ap.add_argument("--clear-first", action="store_true",
                    help="clear the Neo4j database even if it holds data at the start")
    ap.add_argument("--try-store-clear", action="store_true",
                    help="empty Neo4j after the full load with store.clear() (one transaction; may exhaust the "
                         "server's memory) instead of a batched delete")
    ap.add_argument("--breakdown", type=int, metavar="N", default=0,
                    help="afterwards, load the first N plans again into each store with every statement timed, "
                         "and print where the time goes (not part of the section)")
    args = ap.parse_args(argv)
    if args.docs < 1 or not 1 <= args.baseline_docs <= args.docs or args.warmup_docs < 0:
        ap.error("need --docs >= 1, 1 <= --baseline-docs <= --docs, --warmup-docs >= 0")

    if not os.environ.get("NEO4J_URI"):
        print("CANNOT RUN: set NEO4J_URI (and NEO4J_PASSWORD) to a Neo4j server this benchmark may clear, "
              "e.g. eval \"$(POLICYKG_NEO4J_HOME=/tmp/neo4j-bench NEO4J_BOLT_PORT=7688 NEO4J_HTTP_PORT=7475 "
              "scripts/neo4j env)\"")
        return 2
    rss: dict[str, float] = {}
    facts: dict[str, Any] = {"rss": rss, "load_before": _report.load_average()}

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    # ---- records, before any clock
    try:
        corpus = build_corpus(args.docs, args.warmup_docs, args.seed)
    except Exception:
        print(traceback.format_exc(), file=sys.stderr)
        print("CANNOT RUN: generating, extracting or building the records failed")
        return 2
    say(f"corpus: {args.docs} + {args.warmup_docs} warm-up documents, {n_records(corpus.measured):,} records "
        f"(extracted in {corpus.extract_s:.1f} s, records in {corpus.records_s:.1f} s)")
    rss["with the records built"] = _report.peak_rss_mib()

    from graph.embedded import EmbeddedStore
    from graph.neo4j_store import Neo4jStore

    counters = {"neo4j": StatementCounter(Neo4jStore._write_records),
                "embedded": StatementCounter(EmbeddedStore._write_records)}
    for counter in counters.values():
        for records in fresh(corpus.measured):
            counter.count(records)
    facts["counted"] = counters

    # ---- Neo4j
    from graph.neo4j_store import _driver

    try:
        store = Neo4jStore.from_environment()
    except Exception as error:
        print(f"CANNOT RUN: {error}")
        return 2
    user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    driver = _driver(store.uri, user, password)
    if driver is not store._driver:
        print("CANNOT RUN: graph.neo4j_store._driver did not return the store's driver")
        return 2
    existing = total_nodes(store)
    if existing and not args.clear_first:
        print(f"CANNOT RUN: the Neo4j database at {store.describe()} holds {existing:,} nodes; this benchmark "
              "clears it. Use a server of its own, or --clear-first if it may go.")
        return 2
    if existing:
        clear_neo4j(store)
    server_info = driver.get_server_info()
    facts["server_agent"] = server_info.agent
    facts["uri_host"] = urlparse(store.uri).hostname
    pid = neo4j_server_pid(store.uri)
    home = neo4j_home(pid)
    facts["server_conf"] = server_conf(home)
    try:
        import neo4j._rust  # noqa: F401

        facts["rust_ext"] = True
    except ImportError:
        facts["rust_ext"] = False
    say(f"neo4j: {server_info.agent} at {store.uri}" + (f", server pid {pid}" if pid else ", server pid unknown"))

    def batched_writer(target: Any) -> Callable[[Any], None]:
        return target.load

    # warm-up, both ways
    if corpus.warmup:
        write, close, _ = baseline_writer(driver, store.database)
        timed("warm-up baseline", fresh(corpus.warmup), write)
        close()
        clear_neo4j(store)
        timed("warm-up batched", fresh(corpus.warmup), batched_writer(store))
        clear_neo4j(store)
        say("neo4j: warmed up")

    # baseline
    first = fresh(corpus.measured[: args.baseline_docs])
    write, close, stats = baseline_writer(driver, store.database)
    base = timed("baseline", first, write, pid)
    close()
    base.statements = base.transactions = stats["statements"]
    say(f"neo4j baseline: {base.docs} documents, {base.records:,} records in {base.wall:.1f} s "
        f"({base.rate:,.0f} records/s)")
    counts_base = store.counts()
    clear_neo4j(store)

    # batched: the first documents, a pause for the counts, then the rest
    all_docs = fresh(corpus.measured)
    part1 = timed("batched", all_docs[: args.baseline_docs], store.load, pid)
    counts_first = store.counts()
    part2 = timed("batched", all_docs[args.baseline_docs :], store.load, pid) if args.docs > args.baseline_docs \
        else Run("batched")
    del all_docs
    batched = Run("batched", docs=part1.docs + part2.docs, records=part1.records + part2.records,
                  wall=part1.wall + part2.wall, cpu=part1.cpu + part2.cpu,
                  server_cpu=(part1.server_cpu + (part2.server_cpu or 0.0)) if part1.server_cpu is not None else None,
                  others_cpu=(part1.others_cpu + (part2.others_cpu or 0.0)) if part1.others_cpu is not None else None,
                  per_doc=part1.per_doc + part2.per_doc)
    batched.statements = counters["neo4j"].statements
    batched.transactions = batched.docs
    batched_first = split_run(batched, args.baseline_docs, part1.records, "batched, first documents")
    say(f"neo4j batched: {batched.docs} documents, {batched.records:,} records in {batched.wall:.1f} s "
        f"({batched.rate:,.0f} records/s)")
    facts["baseline_same_counts"] = counts_base == counts_first
    facts["baseline_diff"] = ", ".join(f"{k} {counts_base[k]} vs {counts_first.get(k)}" for k in counts_base
                                       if counts_base[k] != counts_first.get(k))
    counts_neo4j = store.counts()
    facts["graph_neo4j"] = graph_size(counts_neo4j)
    facts["server"] = {"hwm": process_status_mib(pid, "VmHWM"),
                       "disk": sum(x for x in (dir_mib(home / "data" / "databases" / (store.database or "neo4j")),
                                               dir_mib(home / "data" / "transactions" / (store.database or "neo4j")))
                                   if x is not None) if home else None}
    if args.try_store_clear:
        facts["neo4j_clear"] = clear_neo4j(store)
        say(f"neo4j: cleared ({facts['neo4j_clear'][1] or 'store.clear() ok'})")
    else:
        facts["neo4j_clear"] = None
        t0 = time.perf_counter()
        delete_in_batches(store)
        facts["neo4j_batched_delete"] = time.perf_counter() - t0
        say("neo4j: cleared (batched delete)")
    rss["after the Neo4j runs"] = _report.peak_rss_mib()

    # ---- embedded
    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-load-"))
    try:
        if corpus.warmup:
            with EmbeddedStore(folder / "warmup.lbdb") as warm:
                timed("warm-up embedded", fresh(corpus.warmup), warm.load_many, batch=EMBEDDED_BATCH)
            for leftover in folder.iterdir():
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        path = folder / "graph.lbdb"
        embedded_store = EmbeddedStore(path)
        docs = fresh(corpus.measured)
        embedded = timed("embedded", docs, embedded_store.load_many, batch=EMBEDDED_BATCH)
        del docs
        embedded.statements = counters["embedded"].statements
        embedded.transactions = -(-embedded.docs // EMBEDDED_BATCH)
        embedded_first = split_run(embedded, args.baseline_docs,
                                   n_records(corpus.measured[: args.baseline_docs]), "embedded, first")
        rss["after the embedded load (LadybugDB's buffer pool is in this process)"] = _report.peak_rss_mib()
        counts_embedded = embedded_store.counts()
        facts["graph_embedded"] = graph_size(counts_embedded)
        facts["embedded_disk"] = dir_mib(folder)  # the database file and its write-ahead log
        t0 = time.perf_counter()
        embedded_store.clear()
        facts["embedded_clear"] = time.perf_counter() - t0
        embedded_store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say(f"embedded: {embedded.docs} documents, {embedded.records:,} records in {embedded.wall:.1f} s "
        f"({embedded.rate:,.0f} records/s)")
    if counts_embedded != counts_neo4j:
        say("note: the two stores hold different counts: "
            + ", ".join(f"{k} {counts_neo4j[k]} vs {counts_embedded.get(k)}" for k in counts_neo4j
                        if counts_neo4j[k] != counts_embedded.get(k)))

    # ---- verdict
    ratio = batched.rate / base.rate
    emb_ratio = embedded.rate / batched.rate
    results = [
        (ratio >= TARGET_RATIO,
         f"Neo4jStore.load {batched.rate:,.0f} records/s is {ratio:.1f}× one MERGE per record "
         f"({base.rate:,.0f} records/s), target ≥ {TARGET_RATIO:g}×"),
        (emb_ratio >= TARGET_EMBEDDED,
         f"embedded load {embedded.rate:,.0f} records/s is {emb_ratio:.2f}× Neo4j's {batched.rate:,.0f}, "
         f"target ≥ {TARGET_EMBEDDED:g}×"),
    ]
    failed = [text for ok, text in results if not ok]
    verdict = (f"Verdict: {'FAIL' if failed else 'PASS'} ({len(results) - len(failed)} of {len(results)} targets "
               "met): " + "; ".join(f"{text}: {'met' if ok else 'missed'}" for ok, text in results) + ".")
    section = report(args, corpus, base, batched, batched_first, embedded, embedded_first, facts, verdict)
    print(section)
    if args.write:
        _report.write_section(section, SECTION)
        print(f"wrote the section to {_report.DOCS_FILE.relative_to(ROOT)}", file=sys.stderr)
    if args.breakdown:
        print(run_breakdown(corpus, args.breakdown, store))
    for ok, text in results:
        print(f"{'PASS' if ok else 'FAIL'}: {text}")
    return 1 if failed else 0


def graph_size(counts: dict[str, int]) -> tuple[int, int]:
    from graph import schema

    return (sum(v for k, v in counts.items() if k in schema.NODES),
            sum(v for k, v in counts.items() if k not in schema.NODES))


if __name__ == "__main__":
    sys.exit(main())
