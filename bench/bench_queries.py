"""Named-query latency on the seeds: every query of the library, warm, embedded store and Neo4j.

Target (the issue): each named query on the two bundled plans answers in < 50 ms at the 95th
percentile, warm, on the embedded store; Neo4j is reported beside it.

    python bench/bench_queries.py [--runs 50] [--write]

The embedded store is built in a temporary folder. Neo4j is used when NEO4J_URI is set (its
database is cleared and loaded with the seeds: use a server you can spare). Each query runs once
to warm up (parameter resolution included, as in `policykg query`), then ``--runs`` times.

Exit status: 0 target met, 1 missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._report import cpu_model, git_commit, python_and_system, version, write_section  # noqa: E402

SECTION = "## Named queries"
TARGET_P95_MS = 50.0


def time_queries(store, runs: int) -> dict[str, tuple[float, float, float]]:
    """Query name -> (p50, p95, max) in milliseconds."""
    from queries import load_library, run_named

    timings = {}
    for query in load_library().values():
        run_named(store, query.name, query.example)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            run_named(store, query.name, query.example)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        timings[query.name] = (statistics.median(samples), p95, samples[-1])
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)

    from graph.embedded import EmbeddedStore
    from graph.loading import BUNDLED_CORPUS, load_files

    with tempfile.TemporaryDirectory() as folder:
        embedded = EmbeddedStore(Path(folder) / "graph.lbdb")
        load_files(embedded, [BUNDLED_CORPUS])
        embedded_times = time_queries(embedded, args.runs)
        embedded.close()
    neo4j_times: dict[str, tuple[float, float, float]] = {}
    if os.environ.get("NEO4J_URI"):
        from graph.neo4j_store import Neo4jStore

        neo4j = Neo4jStore.from_environment()
        neo4j.clear()
        load_files(neo4j, [BUNDLED_CORPUS])
        neo4j_times = time_queries(neo4j, args.runs)
        neo4j.clear()

    worst = max(embedded_times.values(), key=lambda t: t[1])
    worst_name = next(name for name, t in embedded_times.items() if t == worst)
    passed = worst[1] < TARGET_P95_MS
    verdict = (f"{'PASS' if passed else 'FAIL'}: slowest p95 on the embedded store is {worst[1]:.1f} ms "
               f"({worst_name}); target < {TARGET_P95_MS:.0f} ms")
    reproduce = "Reproduce: `python bench/bench_queries.py --write` (with NEO4J_URI set for the Neo4j column)"
    lines = [SECTION, "", reproduce,
             "", f"Every named query with its example parameters on the two bundled plans, warm, {args.runs} runs "
             "each after one warm-up, through `queries.run_named` (parameter resolution included). Milliseconds.", "",
             "| query | embedded p50 | embedded p95 | embedded max | Neo4j p50 | Neo4j p95 |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, (p50, p95, high) in embedded_times.items():
        n50, n95 = (f"{neo4j_times[name][0]:.1f}", f"{neo4j_times[name][1]:.1f}") if name in neo4j_times else ("-", "-")
        lines.append(f"| `{name}` | {p50:.1f} | {p95:.1f} | {high:.1f} | {n50} | {n95} |")
    lines += ["", f"- machine: {cpu_model()}, {os.cpu_count()} cores; {python_and_system()}; ladybug "
              f"{version('ladybug')}, neo4j driver {version('neo4j')}"
              + (" (Neo4j server from scripts/neo4j)" if neo4j_times else " (Neo4j not measured: NEO4J_URI unset)"),
              f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
              f"{git_commit(('graph', 'queries', 'bench'))}",
              "", f"**{verdict}**", ""]
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(section, SECTION)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
