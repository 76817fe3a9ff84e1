"""``policykg cypher`` from a shell: wall clock of the whole command, start-up included.

Target (the issue): ``policykg cypher`` on the seed plans answers in < 1 s including start-up,
on the embedded store. The same against Neo4j is measured for information.

    python bench/bench_cypher_cli.py [--runs 10] [--write] [--no-neo4j] [--clear-first]

A fresh embedded database in a temporary folder (``POLICYKG_DB``; never the default one) is
loaded with ``policykg load`` (the two bundled plans; not timed). Then, alternating, each
command runs ``--runs`` times as a subprocess, after one untimed run that is reported apart:

    python -m policykg cypher "MATCH (a:Agency)-[:LEADS]->(x:Action) RETURN a.name, count(x) ..."
    policykg cypher "..."                      (the installed console script)

Wall clock is from just before the process is started to just after it is reaped; CPU time and
peak RSS come from the child's rusage (``os.wait4``). Each run must exit 0 and print the five
rows. The embedded runs have no NEO4J_* variables; if NEO4J_URI is set (and not ``--no-neo4j``),
the same commands then run against that server after ``policykg load --clear`` there. **That
clears the Neo4j database**: the script refuses if it holds anything, unless ``--clear-first``,
and clears it again at the end. To see where start-up goes, a few reference commands are timed
the same way (``python -c pass``, importing the modules the command needs).

Prints a Markdown section; ``--write`` puts it in ``docs/benchmarks.md`` as
"## Cypher from the command line". Exit status: 0 target met, 1 missed, 2 could not run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402

SECTION = "## Cypher from the command line"
COMMAND = "python bench/bench_cypher_cli.py"
TARGET_S = 1.0
QUERY = "MATCH (a:Agency)-[:LEADS]->(x:Action) RETURN a.name, count(x) ORDER BY count(x) DESC LIMIT 5"
EXPECTED_TOP = "仙桃市科技局"  # the agency that leads the most actions in the seed plans (7)


@dataclass
class Timing:
    label: str
    argv: list[str]
    env: dict[str, str]
    check: bool = True  # the command must print the query's answer
    first: float | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def worst(self) -> float:
        return max(self.walls)


def run_timed(timing: Timing, record: bool = True) -> None:
    """Run once; CPU from the children's rusage difference, peak RSS from wait4."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(timing.argv, env=timing.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # read the output first (a full pipe would block the child), then reap it with wait4 for its rusage
    out = proc.stdout.read()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]
    text = out.decode("utf-8", "replace")
    if proc.returncode != 0 or (timing.check and (EXPECTED_TOP not in text or "(5 rows)" not in text)):
        raise RuntimeError(f"`{' '.join(timing.argv[:4])} …` exited {proc.returncode}:\n{text[-800:]}\n"
                           f"{err.decode('utf-8', 'replace')[-800:]}")
    if record:
        timing.walls.append(wall)
        timing.cpus.append(usage.ru_utime + usage.ru_stime)
        timing.rss_mib.append(usage.ru_maxrss / 1024)
    else:
        timing.first = wall


def series(timings: list[Timing], runs: int) -> None:
    """One untimed run of each, then ``runs`` rounds, the commands alternating within a round."""
    for timing in timings:
        run_timed(timing, record=False)
    for r in range(runs):
        for timing in timings if r % 2 == 0 else reversed(timings):
            run_timed(timing)


def environment(**updates: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "POLICYKG_DB"}
    env.update({k: v for k, v in updates.items() if v is not None})
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def cli_commands(env: dict[str, str], script: str) -> list[Timing]:
    return [
        Timing("`python -m policykg cypher …`", [sys.executable, "-m", "policykg", "cypher", QUERY], env),
        Timing("`policykg cypher …` (console script)", [script, "cypher", QUERY], env),
    ]


def reference_commands(env: dict[str, str], modules: str) -> list[Timing]:
    return [
        Timing("`python -c pass` (the interpreter alone)", [sys.executable, "-c", "pass"], env, check=False),
        Timing(f"`python -c \"import {modules}\"`", [sys.executable, "-c", f"import {modules}"], env, check=False),
    ]


def fmt(t: Timing) -> str:
    first = f"{t.first:.3f} s" if t.first is not None else "—"
    return (f"| {t.label} | **{t.median:.3f} s** | {t.worst:.3f} s | {min(t.walls):.3f} s | {first} "
            f"| {statistics.median(t.cpus):.3f} s | {max(t.rss_mib):.0f} MiB |")


TABLE_HEAD = ["| command | median wall | max wall | min wall | untimed first run | median CPU | peak RSS |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]


def neo4j_nodes(env: dict[str, str]) -> int:
    """Nodes in the Neo4j database, asked in a child process (this one stays free of the driver)."""
    code = ("from graph.neo4j_store import Neo4jStore; s = Neo4jStore.from_environment(); "
            "print(s.run_read('MATCH (n) RETURN count(n)', guard=False).rows[0][0])")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return int(out.stdout.strip().splitlines()[-1])


def neo4j_clear(env: dict[str, str]) -> None:
    code = "from graph.neo4j_store import Neo4jStore; Neo4jStore.from_environment().clear()"
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time `policykg cypher` as a subprocess, start-up included.")
    ap.add_argument("--runs", type=int, default=10, help="timed runs of each command (10)")
    ap.add_argument("--write", action="store_true", help=f"update {_report.DOCS_FILE.relative_to(ROOT)}")
    ap.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j runs even if NEO4J_URI is set")
    ap.add_argument("--clear-first", action="store_true",
                    help="let the Neo4j runs clear a database that holds data at the start")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be >= 1")

    script = shutil.which("policykg")
    if script is None:
        print("CANNOT RUN: the `policykg` console script is not on PATH (pip install -e '.[dev]')")
        return 2

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_before = _report.load_average()
    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-cli-"))
    try:
        db = folder / "graph.lbdb"
        env = environment(POLICYKG_DB=str(db))
        t0 = time.perf_counter()
        loaded = subprocess.run([script, "load"], env=env, cwd=ROOT, capture_output=True, text=True)
        load_s = time.perf_counter() - t0
        if loaded.returncode != 0:
            print(loaded.stdout + loaded.stderr, file=sys.stderr)
            print("CANNOT RUN: `policykg load` into a fresh embedded database failed")
            return 2
        say(f"embedded: {loaded.stdout.strip().split(':')[0]} in {load_s:.2f} s")
        embedded = cli_commands(env, script)
        embedded_ref = reference_commands(env, "policykg.cli, graph.store, graph.embedded, ladybug")
        try:
            series(embedded + embedded_ref, args.runs)
        except RuntimeError as error:
            print(str(error), file=sys.stderr)
            print("CANNOT RUN: a `policykg cypher` run on the embedded store failed")
            return 2
        sample = subprocess.run(embedded[0].argv, env=env, cwd=ROOT, capture_output=True, text=True).stdout
        db_mib = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for t in embedded:
        say(f"embedded {t.label}: median {t.median:.3f} s, max {t.worst:.3f} s")

    neo4j: list[Timing] = []
    neo4j_ref: list[Timing] = []
    neo4j_note = ""
    if os.environ.get("NEO4J_URI") and not args.no_neo4j:
        env4 = environment(**{k: v for k, v in os.environ.items() if k.startswith("NEO4J_")})
        try:
            existing = neo4j_nodes(env4)
        except subprocess.CalledProcessError as error:
            print(error.stderr[-800:], file=sys.stderr)
            print(f"CANNOT RUN: Neo4j at {os.environ['NEO4J_URI']} did not answer")
            return 2
        if existing and not args.clear_first:
            print(f"CANNOT RUN: the Neo4j database at {os.environ['NEO4J_URI']} holds {existing:,} nodes and these "
                  "runs clear it; use a server of its own, --clear-first, or --no-neo4j")
            return 2
        try:
            loaded4 = subprocess.run([script, "load", "--clear"], env=env4, cwd=ROOT, capture_output=True, text=True)
            if loaded4.returncode != 0:
                print(loaded4.stdout + loaded4.stderr, file=sys.stderr)
                print("CANNOT RUN: `policykg load --clear` into Neo4j failed")
                return 2
            neo4j = cli_commands(env4, script)
            neo4j_ref = reference_commands(env4, "policykg.cli, graph.store, graph.neo4j_store, neo4j")
            # the driver imports pandas (and numpy) when they are installed, and the project installs them
            neo4j_ref.append(Timing("`python -c \"import pandas\"` (imported by the driver)",
                                    [sys.executable, "-c", "import pandas"], env4, check=False))
            series(neo4j + neo4j_ref, args.runs)
        except RuntimeError as error:
            print(str(error), file=sys.stderr)
            print("CANNOT RUN: a `policykg cypher` run against Neo4j failed")
            return 2
        finally:
            neo4j_clear(env4)
        neo4j_note = f"{os.environ['NEO4J_URI'].split('://')[0]}:// on {os.environ['NEO4J_URI'].split('//')[-1]}"
        for t in neo4j:
            say(f"neo4j {t.label}: median {t.median:.3f} s, max {t.worst:.3f} s")

    # ---- verdict: every timed run of both commands under the target, on the embedded store
    worst = max(t.worst for t in embedded)
    ok = worst < TARGET_S
    verdict = (f"Verdict: {'PASS' if ok else 'FAIL'}: on the embedded store the slowest of "
               f"{len(embedded) * args.runs} timed runs took {worst:.3f} s "
               f"({'<' if ok else '>='} {TARGET_S:g} s); medians "
               + ", ".join(f"{t.median:.3f} s" for t in embedded) + ".")

    lines = [
        SECTION,
        "",
        f"Reproduce: `{COMMAND} --runs {args.runs} --write` (with NEO4J_URI set to a server of its own for the "
        "Neo4j rows; the script clears that database)",
        "",
        f"`policykg cypher \"{QUERY}\"` as a subprocess, wall clock from start to exit, start-up "
        f"included, {args.runs} timed runs of each command after one untimed run, the commands alternating. "
        "The graph: the two bundled plans, loaded by `policykg load` into a fresh embedded database "
        f"(`POLICYKG_DB` in a temporary folder, {db_mib:.1f} MiB; loading took {load_s:.2f} s, not timed). "
        "Every run is checked to exit 0 and print the five rows.",
        "",
        "Embedded store (the target):",
        "",
        *TABLE_HEAD,
        *(fmt(t) for t in embedded),
        *(fmt(t) for t in embedded_ref),
        "",
    ]
    if neo4j:
        lines += [
            f"Neo4j, for information ({neo4j_note}, the same two plans loaded by `policykg load --clear`; "
            "server already running, so its start-up is not included):",
            "",
            *TABLE_HEAD,
            *(fmt(t) for t in neo4j),
            *(fmt(t) for t in neo4j_ref),
            "",
        ]
    else:
        lines += ["Neo4j: not measured in this run (NEO4J_URI unset or `--no-neo4j`).", ""]
    answer = [line for line in sample.splitlines() if line.strip()]
    lines += [
        "The answer (embedded):",
        "",
        "```text",
        *answer,
        "```",
        "",
        "- CPU and peak RSS are the child's own (`os.wait4` rusage). The `python -c` rows show what the "
        "interpreter and the imports alone cost, out of each command's time.",
        f"- machine: {_report.cpu_model()}, {os.cpu_count() or 0} cores; {_report.python_and_system()}; "
        f"LadybugDB {_report.version('ladybug')}, neo4j driver {_report.version('neo4j')}; load average "
        f"{load_before} before the run, {_report.load_average()} after",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"{_report.git_commit(('graph', 'policykg', 'loaders', 'bench'))}",
        "",
        f"**{verdict}**",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if args.write:
        _report.write_section(section, SECTION)
        print(f"wrote the section to {_report.DOCS_FILE.relative_to(ROOT)}", file=sys.stderr)
    print(verdict)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
