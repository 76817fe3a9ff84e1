"""Extraction throughput: ``loaders.extract_text`` against ``jieba.lcut`` on the same plans.

Target (the issue): extraction of plain text at >= 1 MB/s on one core, and faster than jieba's
default word segmentation over the same text, measured side by side in one run.

    python bench/bench_extract.py [--mb 4] [--repeat 3] [--seed 0] [--write] [--profile 25]

Builds about ``--mb`` MB (1 MB = 10^6 bytes of UTF-8) of synthetic plans (``bench/_corpus.py``),
then in one process, pinned to one core, times passes of ``extract_text(text)`` and of
``jieba.lcut(text)`` (default mode, HMM on) over every document. The two alternate, so neither
gets a warmer machine; the best pass of each counts. One-time costs (importing the loaders and
their first call, importing jieba and ``jieba.initialize()``, which loads its dictionary) are
timed apart and not counted. Prints a Markdown section; ``--write`` puts it in
``docs/benchmarks.md`` as the "## Extraction" section, leaving the other sections as they are.

Exit status: 0 target met, 1 target missed (the verdict line says why), 2 could not run.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402
from bench._corpus import Plan, plans_of_size  # noqa: E402
from bench._report import DOCS_FILE, cpu_model, git_commit, peak_rss_mib, version  # noqa: E402

TARGET_MB_S = 1.0
MB = 1e6
SECTION = "## Extraction"
COMMAND = "python bench/bench_extract.py"



# --------------------------------------------------------------------------- measuring


@dataclass
class Runner:
    name: str
    fn: Callable[[str], object]
    count: Callable[[object], dict[str, int]]
    setup: dict[str, float] = field(default_factory=dict)  # one-time costs, seconds
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def run_pass(self, texts: list[str]) -> None:
        fn, count = self.fn, self.count
        totals: dict[str, int] = {}
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        for text in texts:
            for k, v in count(fn(text)).items():
                totals[k] = totals.get(k, 0) + v
        t1, c1 = time.perf_counter(), time.process_time()
        self.walls.append(t1 - t0)
        self.cpus.append(c1 - c0)
        self.totals = totals

    @property
    def best(self) -> float:
        return min(self.walls)

    def mb_s(self, n_bytes: int) -> float:
        return n_bytes / MB / self.best


def find_failure(extract: Callable[[str], object], plans: list[Plan]) -> str:
    """Name the first plan extract_text fails on, with the traceback."""
    for plan in plans:
        try:
            extract(plan.text)
        except Exception:
            path = Path(tempfile.gettempdir()) / f"bench-extract-failure-{plan.index:04d}.txt"
            path.write_text(plan.text, encoding="utf-8")
            st = plan.style
            return (
                f"extract_text failed on plan {plan.index} (seed {plan.seed}, {plan.city}市, "
                f"layout={st.layout}/{st.marker}, note={st.note_form}, width={st.width}); "
                f"text saved to {path}\n{traceback.format_exc()}"
            )
    return "extract_text failed, but not when rerun document by document"


def pin_to_one_core() -> int | None:
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return core
    except (AttributeError, OSError):
        return None


# --------------------------------------------------------------------------- report


def fmt_s(x: float) -> str:
    return f"{x:.3f}"


def report(
    args: argparse.Namespace,
    plans: list[Plan],
    n_bytes: int,
    ext: Runner,
    jb: Runner,
    rss: dict[str, float],
    core: int | None,
    verdict: str,
) -> str:
    sizes = sorted(len(p.text.encode("utf-8")) for p in plans)
    ratio = ext.mb_s(n_bytes) / jb.mb_s(n_bytes)
    generated = sum(p.n_actions for p in plans)
    found = ", ".join(f"{v:,} {k}" for k, v in ext.totals.items())
    cmd = f"{COMMAND} --mb {args.mb:g} --repeat {args.repeat}" + (f" --seed {args.seed}" if args.seed else "")
    n_cores = os.cpu_count() or 0
    pinned = f"pinned to core {core}" if core is not None else "not pinned"
    lines = [
        SECTION,
        "",
        f"Reproduce: `{cmd} --write`",
        "",
        f"`loaders.extract_text` and `jieba.lcut` (default mode, HMM on) over the same "
        f"{len(plans):,} synthetic plans (`bench/_corpus.py`, seed {args.seed}), "
        f"{n_bytes:,} bytes of UTF-8, in one process on one core, the two alternating; "
        f"best of {args.repeat} pass{'es' if args.repeat > 1 else ''} each. "
        "MB = 10^6 bytes of UTF-8. One-time setup is not in the passes.",
        "",
        "| | `extract_text` | `jieba.lcut` |",
        "| --- | ---: | ---: |",
        f"| **throughput, best pass** | **{ext.mb_s(n_bytes):.2f} MB/s** | **{jb.mb_s(n_bytes):.2f} MB/s** |",
        f"| best pass, wall | {fmt_s(ext.best)} s | {fmt_s(jb.best)} s |",
        f"| all passes, wall | {', '.join(map(fmt_s, ext.walls))} s | {', '.join(map(fmt_s, jb.walls))} s |",
        f"| CPU time of the best pass | {fmt_s(ext.cpus[ext.walls.index(ext.best)])} s "
        f"| {fmt_s(jb.cpus[jb.walls.index(jb.best)])} s |",
        f"| per document, mean | {ext.best / len(plans) * 1e3:.2f} ms | {jb.best / len(plans) * 1e3:.2f} ms |",
        "| one-time setup (not counted) | "
        + ", ".join(f"{k} {v:.3f} s" for k, v in ext.setup.items())
        + " | "
        + ", ".join(f"{k} {v:.3f} s" for k, v in jb.setup.items())
        + " |",
        f"| output of one pass | {found} | {jb.totals.get('tokens', 0):,} tokens |",
        "",
        f"- **extract_text / jieba: {ratio:.2f}×**",
        f"- corpus: {len(plans):,} documents, {n_bytes:,} bytes; document size min / median / "
        f"max {sizes[0] / 1e3:.1f} / {statistics.median(sizes) / 1e3:.1f} / "
        f"{sizes[-1] / 1e3:.1f} kB; {generated:,} numbered items generated",
        "- peak RSS (getrusage): " + ", ".join(f"{v:.0f} MiB {k}" for k, v in rss.items()),
        f"- machine: {cpu_model()}, {n_cores} cores ({pinned}); "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"{platform.system()} {platform.release()}; jieba {version('jieba')}, "
        f"pydantic {version('pydantic')}",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {git_commit()}",
        "",
        f"**{verdict}**",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str, path: Path = DOCS_FILE) -> None:
    """Put ``section`` in ``path`` in place of its "## Extraction" section, or at the end."""
    _report.write_section(section, SECTION, path)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Time loaders.extract_text against jieba.lcut on the same synthetic plans."
    )
    ap.add_argument("--mb", type=float, default=4.0, help="MB of plan text to build (default 4)")
    ap.add_argument("--repeat", type=int, default=3, help="passes of each; best counts (3)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    ap.add_argument("--write", action="store_true", help=f"update {DOCS_FILE.relative_to(ROOT)}")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one core")
    ap.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="afterwards, profile one extraction pass and print the top N functions",
    )
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.mb <= 0:
        ap.error("--repeat must be >= 1 and --mb > 0")

    core = None if args.no_pin else pin_to_one_core()
    rss: dict[str, float] = {}

    t0 = time.perf_counter()
    plans = plans_of_size(int(args.mb * MB), args.seed)
    texts = [p.text for p in plans]
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    print(
        f"corpus: {len(texts)} documents, {n_bytes:,} bytes (built in {time.perf_counter() - t0:.2f} s)",
        file=sys.stderr,
    )
    rss["with the corpus built"] = peak_rss_mib()

    # the loaders, imported only now: they may not exist yet while this script does
    try:
        t0 = time.perf_counter()
        extract_text = importlib.import_module("loaders").extract_text
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        extract_text(texts[0])
        t_first = time.perf_counter() - t0
    except Exception:
        print(traceback.format_exc(), file=sys.stderr)
        print("CANNOT RUN: `from loaders import extract_text` and a first call failed", flush=True)
        return 2
    ext = Runner(
        "extract_text",
        extract_text,
        lambda d: {
            "actions": len(d.actions),  # type: ignore[attr-defined]
            "entities": len(d.entities),  # type: ignore[attr-defined]
            "targets": len(d.targets),  # type: ignore[attr-defined]
        },
        setup={"import": t_import, "first call": t_first},
    )
    rss["after the loaders' first call"] = peak_rss_mib()

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # jieba's pkg_resources and regex warnings
            t0 = time.perf_counter()
            jieba = importlib.import_module("jieba")
            t_import = time.perf_counter() - t0
        jieba.setLogLevel(logging.WARNING)
        cached = Path(jieba.dt.tmp_dir or tempfile.gettempdir(), jieba.dt.cache_file or "jieba.cache")
        warm = cached.exists()
        t0 = time.perf_counter()
        jieba.initialize()
        t_init = time.perf_counter() - t0
        jieba.lcut(texts[0])
    except Exception:
        print(traceback.format_exc(), file=sys.stderr)
        print("CANNOT RUN: jieba is missing or broken: pip install jieba (a dev dependency)")
        return 2
    jb = Runner(
        "jieba.lcut",
        jieba.lcut,
        lambda tokens: {"tokens": len(tokens)},  # type: ignore[arg-type]
        setup={
            "import": t_import,
            f"initialize ({'cached' if warm else 'building the'} dictionary)": t_init,
        },
    )
    rss["after jieba.initialize()"] = peak_rss_mib()

    for r in range(args.repeat):
        for runner in (ext, jb) if r % 2 == 0 else (jb, ext):
            try:
                runner.run_pass(texts)
            except Exception:
                detail = find_failure(extract_text, plans) if runner is ext else ""
                print(detail or traceback.format_exc(), file=sys.stderr)
                print(f"CANNOT RUN: {runner.name} raised during pass {r + 1}")
                return 2
            print(
                f"pass {r + 1}: {runner.name:12s} {runner.walls[-1]:.3f} s "
                f"({n_bytes / MB / runner.walls[-1]:.2f} MB/s)",
                file=sys.stderr,
            )
    rss["at the end (both)"] = peak_rss_mib()

    e, j = ext.mb_s(n_bytes), jb.mb_s(n_bytes)
    problems = []
    if e < TARGET_MB_S:
        problems.append(f"extraction {e:.2f} MB/s is below the {TARGET_MB_S:g} MB/s target")
    if e <= j:
        problems.append(f"extraction is slower than jieba ({e:.2f} vs {j:.2f} MB/s)")
    if problems:
        verdict = "Verdict: FAIL: " + "; ".join(problems) + "."
    else:
        verdict = (
            f"Verdict: PASS: extraction {e:.2f} MB/s >= {TARGET_MB_S:g} MB/s on one core "
            f"and {e / j:.2f}× jieba ({j:.2f} MB/s)."
        )

    section = report(args, plans, n_bytes, ext, jb, rss, core, verdict)
    print(section)
    if args.write:
        write_section(section)
        print(f"wrote the section to {DOCS_FILE.relative_to(ROOT)}", file=sys.stderr)

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for text in texts:
            extract_text(text)
        prof.disable()
        for key in ("cumulative", "tottime"):
            print(f"\n--- one extraction pass under cProfile, top {args.profile} by {key} ---")
            pstats.Stats(prof, stream=sys.stdout).sort_stats(key).print_stats(args.profile)

    print(verdict)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
