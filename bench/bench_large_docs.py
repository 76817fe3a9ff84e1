"""Single large documents: extraction time and memory against size.

Target (the issue): work linear in the input. Extraction MB/s roughly flat from 1 MB to 16 MB, and
for ``.docx`` responsibility tables of 5,000 and 20,000 rows, extraction and ``document_records``
taking about as long per row at either size.

    python bench/bench_large_docs.py [--sizes 1,2,4,16] [--rows 5000,20000] [--repeat 1] [--seed 0]
                                     [--write] [--profile DOC]

Documents (MB = 10^6 bytes of UTF-8):

- ``N MB .txt``: synthetic plans (``bench/_corpus.py``, seed ``--seed``) run together into one
  text of N MB, their ``1.`` ``2.`` … items numbered straight through (the 16 MB one numbers past
  25,000), written to a temporary ``.txt``;
- ``.docx table``: a ``.docx`` holding one task-first responsibility table (序号 | 重点任务 |
  牵头单位 | 责任单位 | 完成时限) of each of ``--rows`` rows, tasks drawn from the same pool.

Each document is measured in a process of its own, after a first small extraction there (the
loaders' one-time costs are not counted): ``loaders.extract_path`` and then
``graph.records.document_records`` on its result, timed on the wall clock (best of ``--repeat``);
then the same two once more under ``tracemalloc`` for the peak of Python allocations. Peak RSS is
the process's, building the document included. ``--profile DOC`` (a size, e.g. ``16``, or a
number of rows, e.g. ``20000rows``) prints a cProfile of that document's extraction and records
instead. Prints a Markdown section; ``--write`` puts it
in ``docs/benchmarks.md`` as the "## Large documents" section, leaving the others as they are.

Exit status: 0 target met, 1 target missed (the verdict line says why), 2 could not run.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
import zipfile
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402
from bench._corpus import iter_plans, load_pool  # noqa: E402
from bench._report import DOCS_FILE, cpu_model, git_commit, peak_rss_mib, python_and_system  # noqa: E402

SECTION = "## Large documents"
COMMAND = "python bench/bench_large_docs.py"
MB = 1e6
# Flat enough: the largest input is processed at no less than this share of the smallest's rate.
FLAT_SHARE = 0.7

_ARABIC_ITEM = re.compile(r"^(\s*)\d+([.．、])", re.M)


# --------------------------------------------------------------------------- documents


def large_plan_text(n_bytes: int, seed: int = 0) -> str:
    """Generated plans run together into one text of about ``n_bytes``, ``1.`` items numbered straight through."""
    parts: list[str] = []
    total = 0
    for plan in iter_plans(seed):
        if total >= n_bytes:
            break
        text = plan.text.replace("\r\n", "\n")
        parts.append(text)
        total += len(text.encode("utf-8"))
    numbers = iter(range(1, 10**9))
    return _ARABIC_ITEM.sub(lambda m: f"{m[1]}{next(numbers)}{m[2]}", "\n".join(parts))


def table_docx(rows: int, seed: int = 0) -> bytes:
    """A .docx with one task-first responsibility table of ``rows`` rows (the XML written directly: fast)."""
    import random

    import docx

    rng = random.Random(f"policykg-bench-large-table:{seed}")
    items = [item for group in load_pool().groups.values() for item in group]
    document = docx.Document()
    document.add_paragraph("某某市2026年重点任务分工清单")
    document.add_paragraph("一、重点任务分工")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("序号", "重点任务", "牵头单位", "责任单位", "完成时限"), strict=True):
        cell.text = text
    document.add_paragraph("各牵头单位每月5日前报送上月工作进展。")
    buffer = io.BytesIO()
    document.save(buffer)

    def cell(text: str) -> str:
        return (f'<w:tc><w:tcPr><w:tcW w:w="1728" w:type="dxa"/></w:tcPr>'
                f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:tc>")

    body = []
    for number in range(1, rows + 1):
        item = rng.choice(items)
        task = (item.title + "。" + "".join(item.sentences[:1])).replace("{CITY}", "某某").replace("{PROV}", "某某省")
        task = re.sub(r"\{PERSON\d+\}", "王明", task)
        units = list(item.lead or item.responsible[:1]) or ["市发改委"]
        responsible = [u for u in item.responsible if u not in units][:3] or ["市财政局"]
        deadline = f"{rng.choice((2026, 2027))}年{rng.randint(1, 12)}月底前"
        body.append("<w:tr>" + "".join(cell(t) for t in (str(number), task, "、".join(units), "、".join(responsible),
                                                            deadline)) + "</w:tr>")
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                end = xml.index("</w:tbl>")
                data = (xml[:end] + "".join(body) + xml[end:]).encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


# --------------------------------------------------------------------------- one document, in a process of its own


def measure(spec: dict) -> dict:
    """Build one document in a temporary folder, measure it there, remove the folder."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-large-"))
    try:
        return _measure(spec, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(spec: dict, folder: Path) -> dict:
    """Build one document, extract it and build its records: times, counts, memory."""
    from graph.records import document_records
    from loaders import extract_path, extract_text

    t0 = time.perf_counter()
    if spec["kind"] == "txt":
        text = large_plan_text(int(spec["mb"] * MB), spec["seed"])
        path = folder / f"plan-{spec['mb']:g}mb.txt"
        path.write_text(text, encoding="utf-8")
        del text
    else:
        path = folder / f"table-{spec['rows']}-rows.docx"
        path.write_bytes(table_docx(spec["rows"], spec["seed"]))
    built_s = time.perf_counter() - t0
    extract_text(next(islice(iter_plans(spec["seed"] + 1), 1)).text)  # one-time costs, not counted
    rss_before = _current_rss_mib()

    if spec.get("profile"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        document_records(extract_path(path))
        profile.disable()
        for key in ("tottime", "cumulative"):
            pstats.Stats(profile, stream=sys.stderr).sort_stats(key).print_stats(25)

    extract_s, records_s = [], []
    for _ in range(spec["repeat"]):
        gc.collect()
        t0 = time.perf_counter()
        doc = extract_path(path)
        t1 = time.perf_counter()
        records = document_records(doc)
        t2 = time.perf_counter()
        extract_s.append(t1 - t0)
        records_s.append(t2 - t1)
        counts = {"actions": len(doc.actions), "entities": len(doc.entities), "targets": len(doc.targets),
                  "text_bytes": len(doc.text.encode("utf-8")),
                  "records": sum(len(rows) for rows in records.nodes.values())
                  + sum(len(rows) for rows in records.relationships.values())}
        del doc, records

    gc.collect()
    tracemalloc.start()
    doc = extract_path(path)
    extract_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    document_records(doc)
    records_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {**spec, **counts, "file_bytes": path.stat().st_size, "built_s": built_s,
            "extract_s": min(extract_s), "records_s": min(records_s), "extract_peak": extract_peak,
            "records_peak": records_peak, "rss_before": rss_before, "rss_peak": peak_rss_mib()}


def _current_rss_mib() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_child(spec: dict, pin: bool) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    if pin and hasattr(os, "sched_getaffinity"):
        core = str(min(os.sched_getaffinity(0)))
        command = ["taskset", "-c", core, *command] if _has_taskset() else command
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if spec.get("profile"):
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {spec} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _has_taskset() -> bool:
    return any((Path(d) / "taskset").exists() for d in os.environ.get("PATH", "").split(os.pathsep))


# --------------------------------------------------------------------------- report


def report(args: argparse.Namespace, results: list[dict], verdict: str) -> str:
    sizes = ",".join(f"{s:g}" for s in args.sizes)
    rows = ",".join(str(r) for r in args.rows) or "0"
    command = f"{COMMAND} --sizes {sizes} --rows {rows} --repeat {args.repeat}" + (
        f" --seed {args.seed}" if args.seed else "")
    lines = [
        SECTION,
        "",
        f"Reproduce: `{command} --write`",
        "",
        "One document at a time, each in a process of its own (one core), after a first small "
        "extraction there: `loaders.extract_path` (read, decode, extract) and then "
        "`graph.records.document_records` on its result, wall clock, best of "
        f"{args.repeat}. The `.txt` documents are synthetic plans (`bench/_corpus.py`, seed {args.seed}) run "
        "together, their `1.` items numbered straight through; each `.docx` holds one task-first "
        "responsibility table. MB = 10^6 bytes; MB/s is of the document's text "
        "(UTF-8). Peak allocations: `tracemalloc` over a separate run of each step. Peak RSS: the "
        "process's, building the document included (RSS before extracting in brackets).",
        "",
        "| document | text | actions | entities | targets | **`extract_path`** | **MB/s** | `document_records` "
        "(records) | peak allocations: extract / records | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        name = f"{r['mb']:g} MB `.txt`" if r["kind"] == "txt" else (
            f"`.docx`, {r['rows']:,}-row table ({r['file_bytes'] / MB:.1f} MB file)")
        mb_s = r["text_bytes"] / MB / r["extract_s"]
        lines.append(
            f"| {name} | {r['text_bytes'] / MB:.2f} MB | {r['actions']:,} | {r['entities']:,} | {r['targets']:,} "
            f"| **{r['extract_s']:.2f} s** | **{mb_s:.2f}** | {r['records_s']:.2f} s ({r['records']:,}) "
            f"| {r['extract_peak'] / 2**20:.0f} MiB / {r['records_peak'] / 2**20:.0f} MiB "
            f"| {r['rss_peak']:.0f} MiB ({r['rss_before']:.0f}) |")
    lines += [
        "",
        f"- machine: {cpu_model()}, {os.cpu_count() or 0} cores; {python_and_system()}",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {git_commit(('loaders', 'graph', 'bench'))}",
        "",
        f"**{verdict}**",
        "",
    ]
    return "\n".join(lines)


def judge(results: list[dict]) -> tuple[str, bool]:
    """Each step's rate on the largest input against the smallest, for the texts and for the tables."""
    problems, facts = [], []

    def flat(kind: str, step: str, rate, unit: str, name) -> None:
        runs = sorted((r for r in results if r["kind"] == kind), key=lambda r: r["text_bytes"])
        if len(runs) < 2:
            return
        first, last = rate(runs[0]), rate(runs[-1])
        share = last / first
        fact = (f"{step} of {name(runs[-1])} at {_rate(last)} {unit}, {share:.2f}× {name(runs[0])}'s "
                f"{_rate(first)} (target ≥ {FLAT_SHARE:g}×)")
        facts.append(fact)
        if share < FLAT_SHARE:
            problems.append(fact)

    def text_name(r: dict) -> str:
        return f"the {r['mb']:g} MB text"

    def table_name(r: dict) -> str:
        return f"the {r['rows']:,}-row table"

    flat("txt", "extraction", lambda r: r["text_bytes"] / MB / r["extract_s"], "MB/s", text_name)
    flat("txt", "document_records", lambda r: r["records"] / r["records_s"], "records/s", text_name)
    flat("docx", "extraction", lambda r: r["rows"] / r["extract_s"], "rows/s", table_name)
    flat("docx", "document_records", lambda r: r["rows"] / r["records_s"], "rows/s", table_name)
    if problems:
        return "Verdict: FAIL: " + "; ".join(problems) + ".", False
    if not facts:
        return "Verdict: nothing to compare: give two sizes or two row counts.", True
    return "Verdict: PASS: " + "; ".join(facts) + ".", True


def _rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time and memory of extracting single large documents.")
    ap.add_argument("--sizes", default="1,2,4,16", help="sizes of the .txt documents in MB (1,2,4,16)")
    ap.add_argument("--rows", default="5000,20000", help="rows of the .docx tables (5000,20000; 0: none)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs of each; the best counts (1)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    ap.add_argument("--write", action="store_true", help=f"update {DOCS_FILE.relative_to(ROOT)}")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the measuring processes to one core")
    ap.add_argument("--profile", metavar="DOC", help="profile one document's extraction (a size, or 'docx')")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(measure(json.loads(args.child))))
        return 0
    try:
        args.sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
        args.rows = [int(r) for r in args.rows.split(",") if r.strip() and int(r)]
    except ValueError:
        ap.error("--sizes is a comma-separated list of megabytes, --rows of row counts")
    if args.repeat < 1 or any(s <= 0 for s in args.sizes) or any(r < 0 for r in args.rows):
        ap.error("--repeat must be >= 1, sizes > 0 and rows >= 0")

    specs = [{"kind": "txt", "mb": size, "seed": args.seed, "repeat": args.repeat} for size in args.sizes]
    specs += [{"kind": "docx", "mb": 0, "rows": rows, "seed": args.seed, "repeat": args.repeat} for rows in args.rows]
    if args.profile:
        wanted = [s for s in specs if (s["kind"] == "docx" and f"{s['rows']}rows" == args.profile) or (
            s["kind"] == "txt" and args.profile.replace(".", "", 1).isdigit() and s["mb"] == float(args.profile))]
        if not wanted:
            ap.error(f"--profile {args.profile}: no such document among --sizes / --rows")
        run_child({**wanted[0], "profile": True, "repeat": 1}, not args.no_pin)
        return 0

    results = []
    for spec in specs:
        try:
            result = run_child(spec, not args.no_pin)
        except Exception:
            print(traceback.format_exc(), file=sys.stderr)
            print(f"CANNOT RUN: measuring {spec} failed")
            return 2
        results.append(result)
        print(f"{spec['kind']} {spec.get('mb') or spec.get('rows')}: extract {result['extract_s']:.2f} s, "
              f"records {result['records_s']:.2f} s, {result['text_bytes'] / MB / result['extract_s']:.2f} MB/s",
              file=sys.stderr)
    verdict, met = judge(results)
    section = report(args, results, verdict)
    print(section)
    if args.write:
        _report.write_section(section, SECTION)
        print(f"wrote the section to {DOCS_FILE.relative_to(ROOT)}", file=sys.stderr)
    print(verdict)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
