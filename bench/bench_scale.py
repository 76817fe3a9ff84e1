"""Scale: generated corpora of 1,000 / 3,000 / 10,000 plans, loaded and queried, side by side.

Targets (issue 14), at 10,000 plans on this machine: `policykg load` into the embedded store in
< 4 minutes and into Neo4j in < 10, peak memory < 2 GB for any size; every named query with its
example parameters, warm, p95 < 100 ms on the embedded store (Neo4j beside it).

    python bench/bench_scale.py [--sizes 1000,3000,10000] [--seed 0] [--runs 20] [--neo4j] [--pages] [--write]

For each size, in a temporary folder:

- the corpus: ``bench/_corpus.py``'s plans of series ``--seed`` written as ``NNNNN.txt``, and the two
  bundled plans (the named queries' examples name their agencies);
- *load*: ``policykg load FOLDER`` as a user runs it (a new process, every core: ``-j`` left at its
  default) into a new embedded database; wall time, and the peak of the resident memory of the
  load and its workers together (their RSS summed, sampled every 0.1 s from /proc);
- *queries*: every named query of the library with its example parameters through
  ``queries.run_named`` (parameter resolution included, as ``policykg query`` does), once to warm
  up, then ``--runs`` times: p50 and p95 in ms, and the rows of the whole result;
- *whole graph*: ``store.to_networkx()``: no page reads it any more (they read the part their filters
  choose past ``POLICYKG_PAGE_PLANS`` plans); measured to show what reading it would cost;
- with ``--pages``: every explorer page in Chromium on ``streamlit run app.py`` over the embedded store
  (``bench/bench_browser.py``'s measuring: first render in a fresh browser, then its first control
  changed, ``--page-runs`` times each, after one unmeasured visit of every page). A page's first control
  on a large corpus is its city: the first run's change reads that city's part of the graph, later
  runs find it cached (the max is the first read, the median the cached one);
- with ``--neo4j``: the same load (``--store neo4j``) and queries on the server of ``NEO4J_URI``.
  **Its database is cleared** before and after each size: use a server you can spare.

Prints a Markdown section; ``--write`` puts it in ``docs/benchmarks.md`` as "## Scale".
Exit status: 0 every target measured was met, 1 one was missed, 2 could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._corpus import iter_plans  # noqa: E402
from bench._report import cpu_model, git_commit, peak_rss_mib, python_and_system, version, write_section  # noqa: E402

SECTION = "## Scale"
BUNDLED = ROOT / "data" / "corpus"
TARGET_SIZE = 10_000
TARGET_LOAD_S = {"embedded": 4 * 60, "neo4j": 10 * 60}
TARGET_MEMORY_MIB = 2048
TARGET_QUERY_P95_MS = 100.0
TARGET_PAGE_FIRST_S, TARGET_PAGE_FILTER_S = 3.0, 1.0


@dataclass
class Load:
    seconds: float
    peak_mib: float
    returncode: int
    summary: str  # the load's own last line
    stderr_tail: str = ""


@dataclass
class StoreRun:
    load: Load | None = None
    queries: dict[str, tuple[float, float, int | None, bool]] = field(default_factory=dict)  # p50, p95, total, exact
    counts: dict[str, int] = field(default_factory=dict)
    whole_graph_s: float | None = None
    whole_graph_mib: float | None = None
    whole_graph_error: str = ""  # why the whole graph could not be read (e.g. its time limit)


@dataclass
class SizeRun:
    plans: int
    megabytes: float
    stores: dict[str, StoreRun] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)  # page -> bench_browser.PageResult (embedded store)
    pages_error: str = ""


# --------------------------------------------------------------------------------------------- measuring
def write_corpus(folder: Path, n_plans: int, seed: int) -> float:
    """``n_plans`` generated plans as files in ``folder``; their size in MB (10^6 bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for plan in islice(iter_plans(seed), n_plans):
        data = plan.text.encode("utf-8")
        (folder / f"{plan.index:05d}.txt").write_bytes(data)
        total += len(data)
    return total / 1e6


def tree_rss_mib(pid: int) -> float:
    """The resident memory of ``pid`` and every process under it, summed (MiB; 0 once it is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))  # fields[1]: the parent's pid
        rss[int(entry.name)] = int(fields[21])  # pages
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_load(folder: Path, env: dict[str, str], store: str, *options: str) -> Load:
    """``policykg load FOLDER [OPTIONS]`` in a process of its own, timed, its memory (with its workers') sampled."""
    # The bundled plans too: the named queries' examples name their agencies and cities.
    command = [sys.executable, "-m", "policykg", "load", str(folder), str(BUNDLED), "--store", store, *options]
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mib(process.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - began
    stop.set()
    sampler.join()
    last = (out.strip().splitlines() or [""])[-1]
    return Load(seconds, peak, process.returncode, last.split(";")[0], "\n".join(err.strip().splitlines()[-3:]))


def time_queries(store, runs: int) -> dict[str, tuple[float, float, int | None, bool]]:
    """Query name -> (p50 ms, p95 ms, rows of the whole result, whether that count is exact); a query that
    runs past the default time limit (10 s) is there with infinite times and no rows, and not run again."""
    from graph.errors import QueryTimeout
    from queries import load_library, run_named

    timings = {}
    for query in load_library().values():
        try:
            result = run_named(store, query.name, query.example)
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                run_named(store, query.name, query.example)
                samples.append((time.perf_counter() - start) * 1000)
        except QueryTimeout:
            timings[query.name] = (float("inf"), float("inf"), None, False)
            continue
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        timings[query.name] = (statistics.median(samples), p95, result.total, result.total_exact)
    return timings


def measure_store(kind: str, folder: Path, database: Path, runs: int) -> StoreRun:
    env = {**os.environ, "POLICYKG_DB": str(database)}
    if kind == "embedded":
        env.pop("NEO4J_URI", None)
    run = StoreRun(load=run_load(folder, env, kind))
    if run.load.returncode != 0:
        return run
    from graph.errors import StoreError

    if kind == "embedded":
        from graph.embedded import EmbeddedStore

        store = EmbeddedStore(database, read_only=True)
    else:
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore.from_environment()
    try:
        run.counts = store.counts()
        run.queries = time_queries(store, runs)
        began = time.perf_counter()
        try:
            graph = store.to_networkx()
        except StoreError as error:
            run.whole_graph_error = str(error).splitlines()[0]
        else:
            run.whole_graph_s = time.perf_counter() - began
            run.whole_graph_mib = peak_rss_mib()
            del graph
    finally:
        if kind == "neo4j":
            store.clear()
        store.close()
    return run


def measure_pages(database: Path, folder: Path, runs: int) -> dict[str, Any]:
    """Every explorer page in Chromium over the embedded store at ``database`` (bench_browser's measuring):
    one unmeasured visit of each page, then ``runs`` fresh-browser visits of each, round robin."""
    from playwright.sync_api import sync_playwright

    from bench import bench_browser as bb

    executable = bb.chromium_executable()
    if executable is None:
        raise RuntimeError("Chromium not found (apt-get install chromium, or set POLICYKG_CHROMIUM)")
    server = bb.AppServer(database, folder / "streamlit-scale.log")
    server.start()
    watch = bb.Watch()
    results = {name: bb.PageResult(name) for name in bb.PAGES}
    try:
        with sync_playwright() as playwright:
            browser = bb.launch_chromium(playwright, executable)
            try:
                context = browser.new_context(viewport=bb.VIEWPORT, locale="zh-CN")
                context.add_init_script(bb.WATCH_JS)
                for name in bb.PAGES:  # the store opened, each page's first run done, no city read yet
                    warm = context.new_page()
                    warm.goto(bb.page_url(server, name), wait_until="commit")
                    with contextlib.suppress(Exception):  # a broken page: its measured runs say so
                        bb.wait_settled(warm, timeout=300)
                    warm.close()
                context.close()
                for number in range(runs):
                    for name in bb.PAGES:
                        run = bb.measure_page(browser, server, name, watch)
                        results[name].runs.append(run)
                        print(f"  page {name} run {number + 1}: first {run.first and bb.fmt(run.first.seconds)}, "
                              f"filter {run.filter and bb.fmt(run.filter.seconds)} {run.control} {run.filter_note} "
                              f"{run.error}", file=sys.stderr)
            finally:
                browser.close()
    finally:
        server.stop()
    return results


# --------------------------------------------------------------------------------------------- report
def verdicts(sizes: list[SizeRun]) -> tuple[bool, list[str]]:
    lines, ok = [], True
    for size in sizes:
        for kind, run in size.stores.items():
            if run.load is None:
                continue
            if run.load.returncode != 0:
                ok = False
                lines.append(f"FAIL: {size.plans:,} plans, {kind}: the load exited {run.load.returncode}")
                continue
            if run.load.peak_mib >= TARGET_MEMORY_MIB:
                ok = False
                lines.append(f"FAIL: {size.plans:,} plans, {kind}: the load's peak memory {run.load.peak_mib:,.0f} MiB "
                             f"(target < {TARGET_MEMORY_MIB:,} MiB)")
            if size.plans != TARGET_SIZE:
                continue
            if run.load.seconds >= TARGET_LOAD_S[kind]:
                ok = False
                lines.append(f"FAIL: {TARGET_SIZE:,} plans, {kind}: loaded in {run.load.seconds:.0f} s "
                             f"(target < {TARGET_LOAD_S[kind]} s)")
            slow = {name: t[1] for name, t in run.queries.items() if t[1] >= TARGET_QUERY_P95_MS}
            if kind == "embedded" and slow:
                ok = False
                named = ", ".join(f"{name} {ms:.0f} ms" for name, ms in slow.items())
                lines.append(f"FAIL: {TARGET_SIZE:,} plans, embedded: {len(slow)} named queries at p95 >= "
                             f"{TARGET_QUERY_P95_MS:.0f} ms: {named}")
    for size in sizes:
        if size.plans != TARGET_SIZE:
            continue
        for name, result in size.pages.items():
            firsts, filters = result.firsts(), result.filters()
            if not firsts or statistics.median(firsts) >= TARGET_PAGE_FIRST_S:
                ok = False
                lines.append(f"FAIL: {TARGET_SIZE:,} plans, page {name}: first render "
                             f"{_seconds(firsts, statistics.median)} (target < {TARGET_PAGE_FIRST_S:g} s)")
            if filters and statistics.median(filters) >= TARGET_PAGE_FILTER_S:
                ok = False
                lines.append(f"FAIL: {TARGET_SIZE:,} plans, page {name}: filter change "
                             f"{_seconds(filters, statistics.median)} (target < {TARGET_PAGE_FILTER_S:g} s)")
    if not any(size.plans == TARGET_SIZE for size in sizes):
        lines.append(f"NOT MEASURED: the targets are at {TARGET_SIZE:,} plans; this run measured "
                     + ", ".join(f"{size.plans:,}" for size in sizes))
        ok = False
    if ok:
        lines.append(f"PASS: at {TARGET_SIZE:,} plans every load, memory and query target measured was met")
    return ok, lines


def _seconds(values: list[float], how) -> str:
    return f"{how(values):.2f} s" if values else "-"


def report(args: argparse.Namespace, sizes: list[SizeRun], elapsed: float) -> tuple[bool, str]:
    ok, said = verdicts(sizes)
    kinds = [kind for kind in ("embedded", "neo4j") if any(kind in size.stores for size in sizes)]
    command = (f"python bench/bench_scale.py --sizes {args.sizes} --seed {args.seed} --runs {args.runs}"
               f"{' --neo4j' if args.neo4j else ''}{f' --pages --page-runs {args.page_runs}' if args.pages else ''}"
               " --write")
    lines = [SECTION, "", f"Reproduce: `{command}` (this run took {elapsed / 60:.1f} minutes)",
             "", "Generated corpora (`bench/_corpus.py`) with the two bundled plans (the queries' examples name "
             "them), each loaded by `policykg load FOLDER` in a new process "
             "(every core: `-j` at its default) into a new store, then every named query with its example "
             f"parameters, warm, {args.runs} runs after one warm-up (`queries.run_named`, parameter resolution "
             "included). *Peak memory*: the load and its worker processes together (resident, summed, sampled "
             "every 0.1 s). *Whole graph*: `store.to_networkx()` and this process's peak memory after it (no "
             "page reads it: past `POLICYKG_PAGE_PLANS` plans a page reads the part its filters choose). "
             "Targets at 10,000 plans: load < 4 min embedded, < 10 min Neo4j; "
             "peak memory < 2 GB at any size; query p95 < 100 ms embedded.", "",
             "### Loading", "",
             "| plans | text | store | load | peak memory | nodes | relationships | whole graph | its memory |",
             "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    from graph import schema

    for size in sizes:
        for kind, run in size.stores.items():
            load = run.load
            nodes = sum(run.counts.get(label, 0) for label in schema.NODES)
            rels = sum(run.counts.get(rel, 0) for rel in schema.RELATIONSHIPS)
            if load is None or load.returncode != 0:
                lines.append(f"| {size.plans:,} | {size.megabytes:.1f} MB | {kind} | failed: "
                             f"{(load.stderr_tail if load else 'not run').replace('|', '/')} | | | | | |")
                continue
            whole = (f"{run.whole_graph_s:.1f} s | {run.whole_graph_mib:,.0f} MiB" if run.whole_graph_s is not None
                     else f"failed: {run.whole_graph_error.replace('|', '/')} | -")
            lines.append(f"| {size.plans:,} | {size.megabytes:.1f} MB | {kind} | {load.seconds:.1f} s "
                         f"({size.plans / load.seconds:.0f} plans/s) | {load.peak_mib:,.0f} MiB | {nodes:,} | "
                         f"{rels:,} | {whole} |")
    lines += ["", "### Named queries: p95 in ms (rows of the whole result)", "",
              "| query | " + " | ".join(f"{size.plans:,} {kind}" for size in sizes for kind in kinds) + " |",
              "| --- | " + " | ".join("---:" for size in sizes for kind in kinds) + " |"]
    names = next((list(run.queries) for size in sizes for run in size.stores.values() if run.queries), [])
    for name in names:
        cells = []
        for size in sizes:
            for kind in kinds:
                timing = size.stores.get(kind, StoreRun()).queries.get(name)
                if timing is None:
                    cells.append("-")
                    continue
                if timing[1] == float("inf"):
                    cells.append("**timed out** (10 s)")
                    continue
                total = "?" if timing[2] is None else f"{timing[2]:,}{'' if timing[3] else '+'}"
                cells.append(f"{timing[1]:.1f} ({total})")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    if any(size.pages or size.pages_error for size in sizes):
        lines += ["", "### Explorer pages (embedded store, Chromium, fresh browser)", "",
                  f"Targets at 10,000 plans: first render < {TARGET_PAGE_FIRST_S:g} s, a filter change "
                  f"< {TARGET_PAGE_FILTER_S:g} s. Median and max of the runs; the control changed is the page's first "
                  "(bench_browser.CONTROLS).", "",
                  "| plans | page | first render: median | max | filter change: median | max | control (run 1) |",
                  "| ---: | --- | ---: | ---: | ---: | ---: | --- |"]
        for size in sizes:
            if size.pages_error:
                lines.append(f"| {size.plans:,} | every page | failed: {size.pages_error.replace('|', '/')} | | | | |")
            for name, result in size.pages.items():
                firsts, filters = result.firsts(), result.filters()
                errors = "; ".join(run.error for run in result.runs if run.error)
                control = next((run.control or run.filter_note for run in result.runs), "")
                what = (control + (" " + errors if errors else "")).replace("|", "/")
                lines.append(f"| {size.plans:,} | {name} | {_seconds(firsts, statistics.median)} | "
                             f"{_seconds(firsts, max)} | {_seconds(filters, statistics.median)} | "
                             f"{_seconds(filters, max)} | {what} |")
    lines += ["", f"- machine: {cpu_model()}, {os.cpu_count()} cores; {python_and_system()}; ladybug "
              f"{version('ladybug')}, neo4j driver {version('neo4j')}"
              + (" (Neo4j server from scripts/neo4j)" if args.neo4j else " (Neo4j not measured: no --neo4j)"),
              f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
              f"{git_commit(('graph', 'loaders', 'queries', 'bench'))}",
              ""]
    lines += [f"**{line}**" for line in said] + [""]
    return ok, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,3000,10000", help="plans per corpus, comma-separated (1000,3000,10000)")
    ap.add_argument("--seed", type=int, default=0, help="the corpus series (0)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs of each query (20)")
    ap.add_argument("--neo4j", action="store_true", help="also Neo4j at NEO4J_URI (its database is cleared)")
    ap.add_argument("--pages", action="store_true", help="also every explorer page in Chromium (embedded store)")
    ap.add_argument("--page-runs", type=int, default=3, help="fresh-browser visits of each page (3)")
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = ap.parse_args(argv)
    try:
        plan_counts = [int(part) for part in args.sizes.split(",") if part.strip()]
    except ValueError:
        ap.error(f"--sizes {args.sizes!r}: whole numbers, comma-separated")
    if not plan_counts or min(plan_counts) < 1 or args.runs < 1:
        ap.error("--sizes and --runs must be >= 1")
    if args.neo4j and not os.environ.get("NEO4J_URI"):
        print("--neo4j needs NEO4J_URI (eval \"$(scripts/neo4j env)\")", file=sys.stderr)
        return 2
    kinds = ["embedded", "neo4j"] if args.neo4j else ["embedded"]
    began = time.perf_counter()
    sizes = []
    for n_plans in plan_counts:
        work = Path(tempfile.mkdtemp(prefix=f"policykg-scale-{n_plans}-"))
        try:
            size = SizeRun(n_plans, write_corpus(work / "plans", n_plans, args.seed))
            for kind in kinds:
                print(f"{n_plans:,} plans: {kind} …", file=sys.stderr)
                size.stores[kind] = measure_store(kind, work / "plans", work / "graph.lbdb", args.runs)
                load = size.stores[kind].load
                print(f"  loaded in {load.seconds:.1f} s, peak {load.peak_mib:,.0f} MiB: {load.summary}",
                      file=sys.stderr)
            if args.pages and size.stores["embedded"].load and size.stores["embedded"].load.returncode == 0:
                print(f"{n_plans:,} plans: explorer pages …", file=sys.stderr)
                try:
                    size.pages = measure_pages(work / "graph.lbdb", work, args.page_runs)
                except Exception as error:  # said in the report; the other sizes go on
                    size.pages_error = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            sizes.append(size)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    ok, section = report(args, sizes, time.perf_counter() - began)
    print(section)
    if args.write:
        write_section(section, SECTION)
        print("wrote the '## Scale' section of docs/benchmarks.md", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
