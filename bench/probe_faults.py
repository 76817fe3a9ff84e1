"""Inject faults into real policykg processes and count what survives; try every bad input and
the costliest reads, and measure the most time and memory any of them takes.

    python bench/probe_faults.py [--kills 20] [--reads 30] [--cuts 3] [--no-neo4j]

- kills: ``policykg load`` of 60 generated plans killed with SIGKILL at a random moment, with a
  checkpoint on every commit (POLICYKG_DB_CHECKPOINT_MB=0.01) so kills land in checkpoints too;
  survived = the next ``policykg cypher`` answers and the final rerun loads everything.
- reads during a load: ``policykg cypher`` run over and over while a load of 300 plans runs;
  survived = each answers, or says in one line that a load holds the store.
- Neo4j cut mid-load (when NEO4J_URI is set; the database is cleared): the load goes through a
  proxy that goes dark after some bytes; survived = the load stops with its one-line summary
  within the retry bound, and a rerun against the server completes it.
- bad inputs: every bad file the input tests build (tests/test_input_limits.py), read by
  ``policykg extract``; handled = one ``policykg: error:`` line naming the file, exit 1.
- costliest reads: the largest query results the bounds allow, on each store.

Prints a table and, with --write, replaces the "Faults and bounds" section of
docs/benchmarks.md. Exit status 1 if anything did not survive.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402
from tests.test_faults import BUSY, NEVER, CuttableProxy, write_plans  # noqa: E402
from tests.test_input_limits import BAD_FILES  # noqa: E402

SECTION = "## Faults and bounds"


def policykg(*args: str, env: dict[str, str], timeout: float = 300) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=timeout)
    return result, time.perf_counter() - started


def embedded_env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["POLICYKG_DB"] = str(folder / "db" / "graph.lbdb")
    return {**env, **extra}


def count_documents(env: dict[str, str]) -> int | None:
    result, _ = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--json", env=env, timeout=120)
    return json.loads(result.stdout)["rows"][0][0] if result.returncode == 0 else None


def probe_kills(work: Path, kills: int) -> tuple[int, int, list[str]]:
    env = embedded_env(work, POLICYKG_DB_CHECKPOINT_MB="0.01")
    policykg("load", env=env)
    folder = work / "plans"
    write_plans(folder, 60)
    rng, survived, failures = random.Random(11), 0, []
    for _ in range(kills):
        loading = subprocess.Popen([sys.executable, "-m", "policykg", "load", str(folder)], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 5.0))
        loading.send_signal(signal.SIGKILL)
        loading.wait()
        result, _ = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", env=env, timeout=120)
        text = result.stdout + result.stderr
        if result.returncode == 0 and not any(word in text for word in NEVER):
            survived += 1
        else:
            failures.append(text.strip().splitlines()[-1] if text.strip() else f"exit {result.returncode}")
    rerun, _ = policykg("load", str(folder), env=env)
    if rerun.returncode != 0 or count_documents(env) != 62:
        failures.append("the rerun did not complete the load")
        survived = min(survived, kills - 1)
    return kills, survived, failures


def probe_reads_during_load(work: Path, reads: int) -> tuple[int, int, list[str], int]:
    env = embedded_env(work)
    policykg("load", env=env)
    folder = work / "plans"
    write_plans(folder, 300, seed=5)
    loading = subprocess.Popen([sys.executable, "-m", "policykg", "load", str(folder)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tried, survived, failures, answered = 0, 0, [], 0
    while tried < reads:
        result, _ = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", env=env, timeout=60)
        tried += 1
        text = result.stdout + result.stderr
        if any(word in text for word in NEVER):
            failures.append(text.strip().splitlines()[-1])
        elif result.returncode == 0:
            survived, answered = survived + 1, answered + 1
        elif BUSY in result.stderr:
            survived += 1
        else:
            failures.append(text.strip().splitlines()[-1])
        if loading.poll() is not None:
            loading = subprocess.Popen([sys.executable, "-m", "policykg", "load", "--clear", str(folder)], cwd=ROOT,
                                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loading.wait()
    return tried, survived, failures, answered


def probe_neo4j_cuts(work: Path, cuts: int) -> tuple[int, int, list[str], float]:
    from graph.neo4j_store import Neo4jStore

    folder = work / "neo4j-plans"
    write_plans(folder, 40, seed=3)
    host, port = os.environ["NEO4J_URI"].rsplit("//", 1)[1].rsplit(":", 1)
    survived, failures, longest = 0, [], 0.0
    for cut in range(cuts):
        Neo4jStore.from_environment().clear()
        proxy = CuttableProxy((host, int(port)), cut_after=150_000 * (cut + 1))
        env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{proxy.port}"}
        result, seconds = policykg("load", str(folder), "--store", "neo4j", env=env, timeout=300)
        longest = max(longest, seconds)
        rerun, _ = policykg("load", str(folder), "--store", "neo4j", env=dict(os.environ), timeout=300)
        complete = Neo4jStore.from_environment().counts()["Document"] == 40
        if (result.returncode == 1 and "the load stopped" in result.stderr and "run the same command again"
                in result.stderr and rerun.returncode == 0 and complete):
            survived += 1
        else:
            failures.append((result.stderr or result.stdout).strip().splitlines()[-1])
    return cuts, survived, failures, longest


def probe_bad_inputs(work: Path) -> tuple[int, int, list[str], float, float]:
    folder = work / "bad"
    folder.mkdir()
    handled, failures, slowest, biggest = 0, [], 0.0, 0.0
    for name, make, _says in BAD_FILES:
        path = folder / name
        make(path)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result, seconds = policykg("extract", str(path), env=dict(os.environ), timeout=300)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        slowest, biggest = max(slowest, seconds), max(biggest, max(before, after) / 1024)
        lines = [line for line in result.stderr.splitlines() if line.startswith("policykg: error:")]
        if result.returncode == 1 and len(lines) == 1 and name in lines[0] and "internal error" not in lines[0]:
            handled += 1
        else:
            failures.append(f"{name}: exit {result.returncode}: {result.stderr.strip()[:200]}")
    return len(BAD_FILES), handled, failures, slowest, biggest


def probe_costliest_reads(work: Path, neo4j: bool) -> list[tuple[str, str, str, float, float]]:
    """(store, query, outcome, seconds, peak MB of the process) for the reads the bounds are there for."""
    queries = ["UNWIND range(1, 50000000) AS x RETURN collect(x) AS xs",
               "UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)",
               "UNWIND range(1, 2000000) AS x RETURN x, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' AS t"]
    rows = []
    stores = [("embedded", embedded_env(work))] + ([("neo4j", dict(os.environ))] if neo4j else [])
    for kind, env in stores:
        policykg("load", "--store", kind, env=env)
        for query in queries:
            command = [sys.executable, "-c", "import resource, runpy, sys; sys.argv = ['policykg', *sys.argv[1:]]; "
                       "code = 0\ntry: runpy.run_module('policykg', run_name='__main__')\n"
                       "except SystemExit as e: code = e.code\n"
                       "print('peak_mb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)\n"
                       "sys.exit(code)", "cypher", query, "--store", kind, "--timeout", "120", "--max-rows",
                       "10000000"]
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
            seconds = time.perf_counter() - started
            peak = next((float(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("peak_mb")),
                        0.0)
            errors = [line for line in result.stderr.splitlines() if line.startswith("policykg: error:")]
            outcome = errors[0].removeprefix("policykg: error: ") if errors else f"answered ({result.returncode})"
            rows.append((kind, query, outcome, seconds, peak))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--cuts", type=int, default=3)
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the section of docs/benchmarks.md")
    args = parser.parse_args()
    neo4j = bool(os.environ.get("NEO4J_URI")) and not args.no_neo4j
    lines, ok = [], True
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        tried, survived, failures = probe_kills(work / "kills", args.kills)
        ok &= survived == tried
        lines.append(f"| load killed (SIGKILL, checkpoint on every commit) | {tried} | {survived} | "
                     f"{'; '.join(failures) or '—'} |")
        tried, survived, failures, answered = probe_reads_during_load(work / "reads", args.reads)
        ok &= survived == tried
        told = tried - answered - len(failures)
        lines.append(f"| `policykg cypher` during a load | {tried} | {survived} ({answered} answered, {told} told a "
                     f"load holds the store) | {'; '.join(failures) or '—'} |")
        if neo4j:
            tried, survived, failures, longest = probe_neo4j_cuts(work, args.cuts)
            ok &= survived == tried
            lines.append(f"| Neo4j gone mid-load (proxy cut) | {tried} | {survived} (longest stopped load "
                         f"{longest:.1f} s) | {'; '.join(failures) or '—'} |")
        tried, handled, failures, slowest, biggest = probe_bad_inputs(work)
        ok &= handled == tried
        bad_line = (f"| bad input files (`policykg extract`) | {tried} | {handled} (slowest {slowest:.1f} s, "
                    f"largest process {biggest:.0f} MB) | {'; '.join(failures) or '—'} |")
        reads = probe_costliest_reads(work / "reads-cost", neo4j)
    table = ["| fault | injected / tried | survived / handled | what did not |", "| --- | --- | --- | --- |",
             *lines, bad_line]
    costs = ["| store | query | outcome | seconds | peak MB of the process |", "| --- | --- | --- | --- | --- |"]
    costs += [f"| {kind} | `{query}` | {outcome} | {seconds:.1f} | {peak:.0f} |"
              for kind, query, outcome, seconds, peak in reads]
    facts = (f"- {time.strftime('%Y-%m-%d')}, commit {_report.git_commit(('graph', 'loaders', 'policykg', 'bench'))}, "
             f"{_report.cpu_model()}, {os.cpu_count()} cores; {_report.python_and_system()}; "
             f"`python bench/probe_faults.py --kills {args.kills} --reads {args.reads} --cuts {args.cuts}`")
    text = "\n".join([SECTION, "", facts, "", *table, "", "The costliest reads the bounds are for:", "", *costs])
    print(text)
    if args.write:
        _report.write_section(text, SECTION)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
