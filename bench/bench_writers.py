"""Neo4j loads with several writers: ``policykg load --writers N`` for N = 1, 2, 4 on one generated corpus.

    python bench/bench_writers.py [--plans 1000] [--seed 0] [--writers 1,2,4] [--write]

For each N, in turn, on the server of ``NEO4J_URI`` (**its database is cleared** before each load and
after the last): ``policykg load FOLDER --store neo4j --writers N`` as a user runs it (a new process,
``-j`` at its default), timed, with the peak resident memory of the load and its workers
(``bench_scale``'s measuring), and the graph's node and relationship counts, which must be the same
for every N. Prints a Markdown section; ``--write`` puts it in ``docs/benchmarks.md`` as
"## Neo4j writers". Exit status: 0 every load completed with the same counts, 1 otherwise, 2 could not run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._report import cpu_model, git_commit, python_and_system, version, write_section  # noqa: E402
from bench.bench_scale import run_load, write_corpus  # noqa: E402

SECTION = "## Neo4j writers"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=1000, help="generated plans (1000)")
    ap.add_argument("--seed", type=int, default=0, help="the corpus series (0)")
    ap.add_argument("--writers", default="1,2,4", help="writer counts, comma-separated (1,2,4)")
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = ap.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        print("bench_writers: NEO4J_URI is not set (scripts/neo4j start; eval \"$(scripts/neo4j env)\")",
              file=sys.stderr)
        return 2
    from graph import schema
    from graph.neo4j_store import Neo4jStore

    counts_seen, rows, ok = [], [], True
    began = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="policykg-writers-") as temporary:
        folder = Path(temporary) / "plans"
        megabytes = write_corpus(folder, args.plans, args.seed)
        env = dict(os.environ)
        for writers in (int(n) for n in args.writers.split(",")):
            store = Neo4jStore.from_environment()
            store.clear(corrections=True)
            store.close()
            load = run_load(folder, env, "neo4j", "--writers", str(writers))
            store = Neo4jStore.from_environment()
            counts = store.counts()
            store.close()
            counts_seen.append(counts)
            ok &= load.returncode == 0
            rows.append(f"| {writers} | {load.seconds:.1f} s | {load.peak_mib:,.0f} MiB | "
                        f"{sum(counts[label] for label in schema.NODES):,} | "
                        f"{sum(counts[kind] for kind in schema.RELATIONSHIPS):,} | "
                        f"{'yes' if load.returncode == 0 else 'no: ' + load.stderr_tail.splitlines()[-1]} |")
            print(rows[-1], file=sys.stderr, flush=True)
        store = Neo4jStore.from_environment()
        store.clear(corrections=True)
        store.close()
    same = all(counts == counts_seen[0] for counts in counts_seen)
    ok &= same
    section = "\n".join([
        SECTION, "",
        f"{began:%Y-%m-%d %H:%M} UTC · commit {git_commit(('graph', 'bench'))} · {cpu_model()}, "
        f"{os.cpu_count()} cores · {python_and_system()} · neo4j driver {version('neo4j')} · "
        f"`python bench/bench_writers.py --plans {args.plans} --writers {args.writers}`", "",
        f"`policykg load` of {args.plans:,} generated plans ({megabytes:.1f} MB) and the two bundled ones into "
        "Neo4j (the server of `scripts/neo4j`, on the same machine), its database cleared before each load; "
        "`-j` at its default.", "",
        "| writers | load | peak memory (load and workers) | nodes | relationships | completed |",
        "| ---: | ---: | ---: | ---: | ---: | --- |", *rows, "",
        f"The same graph for every writer count: {'yes' if same else '**no**'} (node and relationship counts "
        "per label and type; `tests/test_neo4j_writers.py` compares every property). The server and the "
        "load share this machine's two cores, which past two writers they only compete for.", ""])
    print(section)
    if args.write:
        write_section(section)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
