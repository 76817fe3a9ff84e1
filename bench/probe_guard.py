"""Every hostile query of tests/fixtures/hostile_queries.toml against both stores: does any get through?

    python bench/probe_guard.py [--queries tests/fixtures/hostile_queries.toml] [--no-neo4j]

Each query goes through ``store.run_read`` as ``policykg cypher`` and the console send it:
the read-only guard, then the store. The store's ``_read`` is watched: a query that reaches it
got past the guard. On the embedded store (a new one in a temporary folder, holding the two
bundled plans) such a query is then run for real, so its harm shows, unless its group is
``unsafe_to_run`` (LadybugDB would crash, touch files or fetch an extension); its tables and
comments, settings and sizes are compared before and after. On Neo4j (when NEO4J_URI is set)
nothing that got past the guard is sent: the server may be shared, and ``TERMINATE
TRANSACTIONS`` would end other people's work. Opening the Neo4j store creates policykg's
constraints if they are missing, as every policykg command does; nothing else is written.

Prints, per store, "writes tried N, refused M" (M counting only refusals made before the store
saw the query) and each query that got through. Exit status: 0 all refused, 1 some got
through, 2 could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.errors import ReadOnlyError, StoreError  # noqa: E402
from graph.guard import check_read_only  # noqa: E402
from tests.test_guard import embedded_state  # noqa: E402

DEFAULT_QUERIES = ROOT / "tests" / "fixtures" / "hostile_queries.toml"


class NotSent(Exception):
    """Raised in place of running a query that got past the guard but must not be run."""


class Watch:
    """Stands in for a store's ``_read``: notes every query that reached it, runs it only if allowed."""

    def __init__(self, store) -> None:
        self.store, self.read, self.reached = store, store._read, []
        self.send = False

    def __call__(self, query, *args, **kwargs):
        self.reached.append(query)
        if not self.send:
            raise NotSent(query)
        return self.read(query, *args, **kwargs)


def hostile_queries(path: Path) -> list[tuple[str, str, bool]]:
    """(group, query, unsafe_to_run) for every query of the file."""
    groups = tomllib.loads(path.read_text(encoding="utf-8"))["group"]
    return [(group["name"], query, group["unsafe_to_run"]) for group in groups for query in group["queries"]]


def probe(store, queries: list[tuple[str, str, bool]], *, run_what_gets_through: bool) -> tuple[int, list[str]]:
    """Refusals made before the store saw the query, and a line for each query that got through."""
    watch = Watch(store)
    store._read = watch
    refused, through = 0, []
    try:
        for group, query, unsafe in queries:
            watch.reached.clear()
            watch.send = run_what_gets_through and not unsafe
            try:
                store.run_read(query, timeout=3)
                outcome = "ran"
            except ReadOnlyError as error:
                outcome = f"refused: {error}"
            except NotSent:
                outcome = "reached the store (not sent)"
            except StoreError as error:
                outcome = f"failed in the store: {error}"
            if watch.reached or not outcome.startswith("refused"):
                through.append(f"  [{group}] {query!r}: {outcome}")
            else:
                refused += 1
    finally:
        del store._read  # the class's method again
    return refused, through


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--no-neo4j", action="store_true", help="only the embedded store")
    args = parser.parse_args()
    queries = hostile_queries(args.queries)
    if not queries:
        print(f"no queries in {args.queries}", file=sys.stderr)
        return 2

    timings = []
    for _, query, _ in queries:
        started = time.perf_counter()
        with contextlib.suppress(ReadOnlyError):
            check_read_only(query)
        timings.append(time.perf_counter() - started)
    source = args.queries.resolve()
    source = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
    print(f"{len(queries)} hostile queries from {source}; check_read_only takes "
          f"{statistics.median(timings) * 1e6:.0f} µs median, {max(timings) * 1e6:.0f} µs max")

    failed = False
    from graph.embedded import EmbeddedStore
    from graph.loading import BUNDLED_CORPUS, load_files

    with tempfile.TemporaryDirectory(prefix="policykg-probe-") as folder:
        store = EmbeddedStore(Path(folder) / "g.lbdb")
        try:
            if load_files(store, [BUNDLED_CORPUS]).errors:
                print("could not load the bundled plans into the embedded store", file=sys.stderr)
                return 2
            before = embedded_state(store)
            refused, through = probe(store, queries, run_what_gets_through=True)
            unchanged = embedded_state(store) == before
            print(f"{store.describe()}: writes tried {len(queries)}, refused {refused}"
                  + ("" if unchanged else "; THE STORE CHANGED (tables, comments, settings or sizes)"))
            for line in through:
                print(line)
            failed |= bool(through) or not unchanged
        finally:
            store.close()

    if args.no_neo4j:
        pass
    elif not os.environ.get("NEO4J_URI"):
        print("Neo4j: not probed (NEO4J_URI is not set)")
    else:
        from graph.neo4j_store import Neo4jStore

        try:
            store = Neo4jStore.from_environment()
        except StoreError as error:
            print(f"Neo4j: {error}", file=sys.stderr)
            return 2
        refused, through = probe(store, queries, run_what_gets_through=False)
        print(f"{store.describe()}: writes tried {len(queries)}, refused {refused}")
        for line in through:
            print(line)
        failed |= bool(through)
        store.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
