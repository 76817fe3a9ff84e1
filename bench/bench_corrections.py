"""People's corrections applied on load: loading 1,000 generated plans with and without 1,000 corrections.

Target (issue 12): applying 1,000 corrections on load adds < 10 % to loading 1,000 generated
plans, on both stores.

    python bench/bench_corrections.py [--docs 1000] [--corrections 1000] [--runs 3] [--seed 0]
                                      [--store both|embedded|neo4j] [--lock /tmp/neo4j-tests.lock]
                                      [--write] [--profile N]

What is measured, for each store:

- baseline: ``graph.loading.load_files(store, [folder])`` of the ``--docs`` plans of
  ``bench/_corpus.py`` (seed ``--seed``), written as ``NNNN.txt`` files to a temporary folder, into an
  empty store: reading, extraction, records and writes, as ``policykg load`` does them;
- with corrections: the same call into an empty store that holds ``--corrections`` corrections
  already (put in with ``graph.corrections.import_corrections``, which on an empty store keeps
  them and rewrites nothing; not timed). The load applies them (``corrected_records``) and stores
  their outcomes (``save_outcomes``): that is timed. After it, the load's report must say that every
  correction applied (``report.corrected`` = all, ``report.correction_problems == []``) and every
  stored outcome must be ``applied``, or the script stops (exit 2).

The corrections are built from the plans themselves (each file extracted with
``loaders.extract_path`` and turned into records first), each naming a real action or agency of
them, spread over the plans: lead replacements, an added unit, a removed unit, a plan's title, a
target's value, and a few merges and renames of agencies. Action corrections each touch an action
of their own, so that none undoes another.

Each run is a process of its own (``--child``), so that no run inherits another's caches and its
peak RSS (``ru_maxrss``) is its own; baseline and corrected runs alternate, ``--runs`` of each, and
the median is compared. The embedded store is a new database in a temporary folder each run. The
Neo4j store is ``Neo4jStore.from_environment()`` (NEO4J_URI, see ``scripts/neo4j env``), emptied
before each run (a batched delete, then ``store.clear(corrections=True)``) and after the last; the
Neo4j runs are skipped without NEO4J_URI. **It clears the Neo4j database it is pointed at.** The
server is shared with the tests: the script holds ``flock --lock`` (``/tmp/neo4j-tests.lock``) for
all of its Neo4j part; ``--lock ''`` when the caller holds it already (``flock /tmp/neo4j-tests.lock
python bench/bench_corrections.py --store neo4j --lock ''``).

``--profile N`` then loads the plans with the corrections once more into a new embedded store
under cProfile and prints the corrections path's functions and the N costliest (not in the section).

Prints a Markdown section; ``--write`` puts it in ``docs/benchmarks.md`` as "## Corrections on load".
Inside each corrected run, the corrections path is also timed by itself (``PathTimer``: reading and
indexing the corrections, ``for_document``, ``corrected_records`` less the ``document_records`` that a
baseline load makes too, ``summary``, ``save_outcomes``), as a share of the baseline's median. The
target counts as met on a store when the medians' overhead and that share are both under 10 %.

Exit status: 0 target met on every store measured, 1 missed on one, 2 could not run.
"""

from __future__ import annotations

import argparse
import cProfile
import fcntl
import gc
import io
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _report  # noqa: E402
from bench._corpus import generate_plans  # noqa: E402

SECTION = "## Corrections on load"
COMMAND = "python bench/bench_corrections.py"
TARGET = 0.10  # at most this much more time with the corrections than without
DEFAULT_LOCK = "/tmp/neo4j-tests.lock"

#: the mix of corrections, as shares of what is left after the merges and renames
MIX = (("lead", 0.38), ("add-unit", 0.22), ("remove-unit", 0.15), ("title", 0.10), ("target", 0.15))
MERGES = 10
RENAMES = 10


# --------------------------------------------------------------------------- the plans and corrections


def write_plans(folder: Path, n_docs: int, seed: int) -> int:
    """The plans as ``NNNN.txt`` files; their bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i, text in enumerate(generate_plans(n_docs, seed)):
        data = text.encode("utf-8")
        (folder / f"{i:04d}.txt").write_bytes(data)
        total += len(data)
    return total


@dataclass
class Plan:
    path: Path
    doc: Any  # PlanDocument
    agencies: dict[str, dict[str, Any]]  # the records' Agency rows by id


def read_plans(folder: Path) -> list[Plan]:
    from graph.records import document_records
    from loaders import extract_path, plan_files

    plans = []
    for path in plan_files([folder]):
        doc = extract_path(path)
        records = document_records(doc)
        plans.append(Plan(Path(path), doc, {row["id"]: row for row in records.nodes.get("Agency", [])}))
    if len({p.doc.id for p in plans}) != len(plans):
        raise RuntimeError("two generated plans have the same document id")
    return plans


def agency_key(row: dict[str, Any]) -> Any:
    from graph.corrections import AgencyKey

    return AgencyKey(id=row["id"], name=row["name"], city=row["city"], national=row["city"] is None
                     and "/" not in row["id"], kind=row["kind"], type=row["type"] or "agency",
                     collective=bool(row["collective"]), as_written=row["name"])


def build_corrections(plans: list[Plan], n: int, seed: int) -> tuple[list[Any], Counter[str]]:
    """``n`` corrections of the plans, each naming a real action or agency of them (see the docstring)."""
    from graph import corrections as people
    from graph.records import agency_id

    rng = random.Random(f"policykg-bench-corrections:{seed}")
    made: list[Any] = []
    clock = iter(range(10**9))

    def new(kind: str, **parts: Any) -> None:
        i = next(clock)
        made.append(people.Correction(id=f"c-bench-{i:05d}", kind=kind, who="bench",
                                      at=f"2026-12-01T10:{i // 6000 % 60:02d}:{i // 100 % 60:02d}."
                                         f"{i % 100:02d}0000+00:00",
                                      why="bench/bench_corrections.py", **parts))

    def doc_key(plan: Plan) -> Any:
        return people.DocumentKey(source=plan.path.name, id=plan.doc.id, title=plan.doc.title)

    def ref_id(ref: Any, doc: Any) -> str:
        return agency_id(ref.canonical, ref.government, ref.national, doc.id)

    # agencies named by many plans: the merges and renames
    named: Counter[str] = Counter(aid for plan in plans for aid in plan.agencies)
    rows = {aid: row for plan in plans for aid, row in plan.agencies.items()}
    by_city: dict[str, list[str]] = {}
    for aid, count in named.most_common():
        row = rows[aid]
        if row["city"] and not row["collective"] and row["type"] == "agency" and count >= 3:
            by_city.setdefault(row["city"], []).append(aid)
    cities = sorted((c for c, ids in by_city.items() if len(ids) >= 4), key=lambda c: -named[by_city[c][0]])
    global_taken: set[str] = set()
    for city in cities[:MERGES]:
        kept, absorbed = by_city[city][0], by_city[city][-1]
        new("merge", agencies=[agency_key(rows[absorbed]), agency_key(rows[kept])])
        global_taken |= {kept, absorbed}
    for city in cities[MERGES : MERGES + RENAMES] or cities[:RENAMES]:
        aid = next(a for a in by_city[city][1:-1] if a not in global_taken)
        global_taken.add(aid)
        new("rename", agencies=[agency_key(rows[aid])], values={"name": rows[aid]["name"] + "（更名）"})

    # action and document corrections, spread over the plans: each action at most once
    left = n - len(made)
    wanted = [kind for kind, share in MIX for _ in range(round(left * share))]
    wanted = (wanted + [MIX[0][0]] * left)[:left]
    rng.shuffle(wanted)
    order = list(range(len(plans)))
    rng.shuffle(order)
    used_actions: set[tuple[str, str]] = set()
    titled: set[str] = set()
    cursor = 0

    def findable(plan: Plan) -> list[Any]:
        out = []
        for action in plan.doc.actions:
            key = people.ActionKey(number=action.number, section=list(action.section), title=action.title)
            if (plan.doc.id, action.id) not in used_actions and people._find_action(plan.doc, key) is action:
                out.append((action, key))
        return out

    for kind in wanted:
        for _attempt in range(len(plans)):
            plan = plans[order[cursor % len(plans)]]
            cursor += 1
            doc = plan.doc
            if kind == "title":
                if doc.id in titled:
                    continue
                titled.add(doc.id)
                title = (doc.title or f"{doc.city or ''}人工智能产业发展行动方案") + "（修订稿）"
                new("title", document=doc_key(plan), values={"title": title})
                break
            candidates = findable(plan)
            rng.shuffle(candidates)
            done = False
            for action, key in candidates:
                units = [ref for ref in action.agencies if not ref.derived_from]
                here = {ref_id(ref, doc) for ref in action.agencies}
                others = sorted(aid for aid in plan.agencies if aid not in here and aid not in global_taken)
                if kind == "lead" and (units or others):
                    responsible = [ref for ref in units if ref.role != "lead" and ref_id(ref, doc) in plan.agencies]
                    if responsible and rng.random() < 0.5:
                        lead = plan.agencies[ref_id(rng.choice(responsible), doc)]
                    elif others:
                        lead = plan.agencies[rng.choice(others)]
                    else:
                        continue
                    new("lead", document=doc_key(plan), action=key, role="lead", agencies=[agency_key(lead)])
                elif kind == "add-unit" and others:
                    new("add-unit", document=doc_key(plan), action=key, role=rng.choice(("responsible", "support")),
                        agencies=[agency_key(plan.agencies[rng.choice(others)])])
                elif kind == "remove-unit" and len(units) >= 2:
                    gone = [ref for ref in units if ref_id(ref, doc) in plan.agencies]
                    if not gone:
                        continue
                    new("remove-unit", document=doc_key(plan), action=key,
                        agencies=[agency_key(plan.agencies[ref_id(rng.choice(gone), doc)])])
                elif kind == "target" and action.targets:
                    target = rng.choice(action.targets)
                    value = target.value * 2 if target.value is not None else float(rng.randint(2, 50))
                    new("target", document=doc_key(plan), action=key, metric=target.metric,
                        values={"value": value, "unit": target.unit, "year": target.year})
                else:
                    continue
                used_actions.add((doc.id, action.id))
                done = True
                break
            if done:
                break
        else:
            raise RuntimeError(f"no action left for a {kind} correction")
    return made, Counter(c.kind for c in made)


def check_corrections_apply(plans: list[Plan], corrections: list[Any]) -> None:
    """Each correction applied to the extracted plans, as the load applies them: all must apply."""
    from graph import corrections as people

    index = people.Applicable(corrections, {})
    outcomes = []
    for plan in plans:
        index.add(plan.doc.id, plan.doc.source)
    for plan in plans:
        outcomes += people.corrected_records(plan.doc, index.for_document(plan.doc.id, plan.doc.source))[1]
    best = people.summary(outcomes, {c.id: c for c in corrections})
    missing = [c.id for c in corrections if c.id not in best or not best[c.id].applied]
    if missing:
        first = best.get(missing[0])
        raise RuntimeError(f"{len(missing)} corrections would not apply, e.g. {missing[0]}: "
                           f"{first.text() if first else 'no plan has it'}")


# --------------------------------------------------------------------------- one run (a process of its own)


def empty_neo4j(store: Any) -> None:
    from bench.bench_load import delete_in_batches

    delete_in_batches(store)  # store.clear() of 1,000 plans in one transaction can exhaust the server's heap
    store.clear(corrections=True)


class PathTimer:
    """Wall time of the corrections path inside a corrected load, by wrapping what ``load_plans`` calls
    of ``graph.corrections`` (a few thousand calls: no cost to speak of). ``own`` is the path without the
    ``document_records`` a baseline load makes too."""

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()

    def wrap(self, owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)
        spent = self.spent

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - t0

        setattr(owner, name, timed)

    def install(self) -> None:
        from graph import corrections as people

        for name in ("read_corrections", "corrected_records", "apply_to_document", "apply_to_records",
                     "document_records", "save_outcomes", "summary"):
            self.wrap(people, name, name)
        self.wrap(people.Applicable, "__init__", "Applicable")
        self.wrap(people.Applicable, "for_document", "for_document")

    def result(self) -> dict[str, float]:
        out = dict(self.spent)
        nested = ("document_records", "apply_to_document", "apply_to_records")  # inside corrected_records
        out["own"] = sum(v for k, v in self.spent.items() if k not in nested) - self.spent["document_records"]
        return out


def child(args: argparse.Namespace) -> int:
    from graph import corrections as people
    from graph.loading import load_files

    folder = Path(args.plans)
    n_docs = sum(1 for _ in folder.glob("*.txt"))
    result: dict[str, Any] = {"mode": args.child, "store": args.store}
    scratch = None
    if args.store == "embedded":
        from graph.embedded import EmbeddedStore

        scratch = Path(tempfile.mkdtemp(prefix="policykg-bench-corrections-"))
        store = EmbeddedStore(scratch / "graph.lbdb")
    else:
        from bench.bench_load import neo4j_server_pid, process_cpu_s
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore.from_environment()
        empty_neo4j(store)
        pid = neo4j_server_pid(store.uri)
    try:
        if store.counts().get("Document") or people.read_corrections(store):
            raise RuntimeError("the store is not empty before the run")
        corrections: list[Any] = []
        if args.child == "corrected":
            corrections = people.parse_lines(Path(args.corrections_file).read_text(encoding="utf-8"),
                                             args.corrections_file)
            t0 = time.perf_counter()
            added, _, rewrite = people.import_corrections(store, corrections)
            result["import_s"] = time.perf_counter() - t0
            if len(added) != len(corrections) or rewrite.documents or rewrite.removed:
                raise RuntimeError(f"import_corrections into the empty store: {len(added)} added, "
                                   f"{len(rewrite.documents)} plans rewritten")
        timer = PathTimer()
        if args.child == "corrected":
            timer.install()
        gc.collect()
        server0 = process_cpu_s(pid) if args.store == "neo4j" else None
        c0, t0 = time.process_time(), time.perf_counter()
        report = load_files(store, [folder])
        result["wall"] = time.perf_counter() - t0
        result["cpu"] = time.process_time() - c0
        if server0 is not None:
            server1 = process_cpu_s(pid)
            result["server_cpu"] = server1 - server0 if server1 is not None else None
        result["rss"] = _report.peak_rss_mib()
        if report.errors or report.stopped or report.loaded != n_docs:
            raise RuntimeError(f"the load: {report.loaded} of {n_docs} loaded, errors {report.errors[:3]}, "
                               f"stopped {report.stopped}")
        if args.child == "corrected":
            if report.corrected != len(corrections) or report.correction_problems:
                raise RuntimeError(f"the load applied {report.corrected} of {len(corrections)} corrections; "
                                   f"problems: {report.correction_problems[:5]}")
            stored = people.read_corrections(store)
            codes = Counter((c.outcome or {}).get("code") for c in stored)
            if len(stored) != len(corrections) or codes != Counter({"applied": len(corrections)}):
                raise RuntimeError(f"stored outcomes after the load: {dict(codes)} of {len(stored)}")
        elif report.corrected or report.correction_problems:
            raise RuntimeError("the baseline load applied corrections")
        result["corrected"] = report.corrected
        result["path"] = timer.result()
        result["counts"] = store.counts()
        if args.store == "neo4j" and args.empty_after:
            empty_neo4j(store)
    finally:
        store.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    print("RESULT " + json.dumps(result))
    return 0


@dataclass
class Measured:
    store: str
    baseline: list[dict[str, Any]] = field(default_factory=list)
    corrected: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def median(runs: list[dict[str, Any]], key: str = "wall") -> float:
        return statistics.median(run[key] for run in runs)

    @property
    def overhead(self) -> float:
        return self.median(self.corrected) / self.median(self.baseline) - 1

    def cpu(self, runs: list[dict[str, Any]]) -> float:
        """The load's CPU, median: this process's, and the Neo4j server's when known."""
        return statistics.median(run["cpu"] + (run.get("server_cpu") or 0.0) for run in runs)

    @property
    def cpu_overhead(self) -> float:
        return self.cpu(self.corrected) / self.cpu(self.baseline) - 1

    def path(self, key: str = "own") -> float:
        """The corrections path's seconds inside the corrected runs (median), see PathTimer."""
        return statistics.median(run["path"].get(key, 0.0) for run in self.corrected)

    @property
    def path_share(self) -> float:
        """The corrections path over the baseline load: the overhead, counted from the inside."""
        return self.path() / self.median(self.baseline)

    @property
    def spread(self) -> float:
        """How far the slowest baseline run is from the fastest: the noise of the wall clock here."""
        walls = [run["wall"] for run in self.baseline]
        return max(walls) / min(walls) - 1

    @property
    def met(self) -> bool:
        """Both ways of counting under the target: the median wall clock, and the path from the inside."""
        return self.overhead < TARGET and self.path_share < TARGET


def run_child(store: str, mode: str, folder: Path, corrections_file: Path, empty_after: bool = False) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--store", store,
               "--plans", str(folder), "--corrections-file", str(corrections_file)]
    if empty_after:
        command.append("--empty-after")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the {store} {mode} run failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def measure(store: str, runs: int, folder: Path, corrections_file: Path, say: Any) -> Measured:
    measured = Measured(store)
    for i in range(runs):
        for mode in ("baseline", "corrected"):
            last = store == "neo4j" and i == runs - 1 and mode == "corrected"
            result = run_child(store, mode, folder, corrections_file, empty_after=last)
            (measured.baseline if mode == "baseline" else measured.corrected).append(result)
            say(f"{store} {mode} run {i + 1}: {result['wall']:.2f} s, peak RSS {result['rss']:.0f} MiB")
    return measured


class NeoLock:
    """``flock`` on the file the tests lock around the shared Neo4j server (none if the path is empty)."""

    def __init__(self, path: str, say: Any) -> None:
        self.path, self.say, self.handle = path, say, None
        self.waited = 0.0

    def __enter__(self) -> NeoLock:
        if self.path:
            self.handle = open(self.path, "a")  # held until __exit__
            t0 = time.perf_counter()
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.say(f"waiting for {self.path} (someone is using the Neo4j server)")
                fcntl.flock(self.handle, fcntl.LOCK_EX)
            self.waited = time.perf_counter() - t0
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


# --------------------------------------------------------------------------- profile (--profile)

PROFILED = ("load_plans", "corrected_records", "apply_to_document", "apply_to_records", "document_records",
            "for_document", "removal_in", "applies_to", "ordered", "save_outcomes", "_save_outcomes", "summary",
            "read_corrections", "_extracted", "_find_action", "_set_units", "_add_unit", "_remove_unit",
            "_set_target", "_set_document_field", "_merge", "_rename", "model_copy", "load_many", "extract_path",
            "_write_corrections", "to_row")


def profile(folder: Path, corrections: list[Any], top: int) -> tuple[str, list[str]]:
    """A baseline and a corrected load into new embedded stores under cProfile: the corrections path's
    functions, the ``top`` costliest, and lines for the section (where the corrected load's extra time goes)."""
    from graph import corrections as people
    from graph.embedded import EmbeddedStore
    from graph.loading import load_files

    out = []
    walls: dict[str, float] = {}
    cumulative: dict[str, float] = {}
    for mode in ("baseline", "corrected"):
        scratch = Path(tempfile.mkdtemp(prefix="policykg-bench-corrections-profile-"))
        try:
            with EmbeddedStore(scratch / "graph.lbdb") as store:
                if mode == "corrected":
                    people.import_corrections(store, corrections)
                profiler = cProfile.Profile()
                t0 = time.perf_counter()
                profiler.enable()
                report = load_files(store, [folder])
                profiler.disable()
                wall = walls[mode] = time.perf_counter() - t0
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        stats = pstats.Stats(profiler)
        out.append(f"\n{mode}: load_files under cProfile {wall:.2f} s, {report.loaded} plans, "
                   f"{report.corrected} corrections applied")
        rows = []
        for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
            if name in PROFILED and ("graph/" in filename or "loaders/" in filename or "pydantic" in filename):
                rows.append((cumtime, tottime, ncalls, f"{Path(filename).parent.name}/{Path(filename).name}:"
                                                       f"{line} {name}"))
                if name == "document_records":
                    cumulative[f"{mode} document_records"] = cumtime
                if mode == "corrected" and "graph/corrections.py" in filename:
                    cumulative[name] = cumulative.get(name, 0.0) + cumtime
            elif mode == "corrected" and name in ("deepcopy", "parse_parts") and "python3" in filename:
                cumulative[name] = max(cumulative.get(name, 0.0), cumtime)
        out.append(f"{'cumulative s':>12s} {'own s':>8s} {'calls':>9s}  function")
        out += [f"{c:12.3f} {t:8.3f} {n:9d}  {where}" for c, t, n, where in sorted(rows, reverse=True)]
        if mode == "corrected":
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
            out.append(f"\nthe {top} costliest functions of the corrected load by own time:")
            out.append("\n".join(line for line in text.getvalue().splitlines()[6:] if line.strip()))
    extra = walls["corrected"] - walls["baseline"]

    def part(name: str) -> str:
        return f"{cumulative.get(name, 0.0):.1f} s"

    summary = [
        f"- Where the corrected load's extra time goes (`--profile`: one baseline and one corrected load into "
        f"the embedded store under cProfile, which inflates Python calls: {walls['baseline']:.1f} s and "
        f"{walls['corrected']:.1f} s, {extra:+.1f} s): `corrected_records` {part('corrected_records')} in all "
        f"(`document_records` included: {part('corrected document_records')}, against "
        f"{part('baseline document_records')} in the baseline); in it `apply_to_document` "
        f"{part('apply_to_document')}, of which `copy.deepcopy` (its `doc.model_copy(deep=True)`) "
        f"{part('deepcopy')}; `apply_to_records` (merges, renames) {part('apply_to_records')}; "
        f"`Applicable.for_document` {part('for_document')} over its calls (`removal` and `corrected_records` "
        f"each ask for every plan), `pathlib` parsing {part('parse_parts')}; `save_outcomes` "
        f"{part('save_outcomes')}; `summary` {part('summary')}; `read_corrections` {part('read_corrections')}.",
    ]
    return "\n".join(out), summary


# --------------------------------------------------------------------------- report


def run_list(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{run['wall']:.2f}" for run in runs) + " s"


def report(args: argparse.Namespace, facts: dict[str, Any], results: list[Measured], verdict: str) -> str:
    mix = facts["mix"]
    mix_text = ", ".join(f"{count:,} {kind}" for kind, count in sorted(mix.items(), key=lambda kv: -kv[1]))
    cmd = f"{COMMAND} --docs {args.docs} --corrections {args.corrections} --runs {args.runs}" + (
        f" --seed {args.seed}" if args.seed else "")
    lines = [
        SECTION,
        "",
        f"Reproduce: `eval \"$(scripts/neo4j env)\" && {cmd} --write` (it takes `flock {DEFAULT_LOCK}` "
        "around its Neo4j runs, and clears that database)",
        "",
        f"`graph.loading.load_files` of {args.docs:,} generated plans (`bench/_corpus.py`, seed {args.seed}, "
        f"{facts['bytes'] / 1e6:.1f} MB of text, as `.txt` files in a temporary folder) into an empty store: "
        "reading, extraction, records and writes, timed together. **Baseline**: the store holds nothing. "
        f"**With corrections**: the store holds {len(facts['corrections']):,} corrections already "
        "(`graph.corrections.import_corrections` into the empty store, not timed), which the load applies "
        "to the plans and whose outcomes it stores. The corrections name real actions and agencies of the "
        f"plans: {mix_text}; {facts['docs_touched']:,} plans have a correction of their own, and the "
        "merges and renames concern every plan that names the agency. After each corrected load the "
        "report said every correction applied (`report.corrected` = "
        f"{len(facts['corrections']):,}, `report.correction_problems == []`) and every stored outcome was "
        "`applied`.",
        "",
        f"Each run is a process of its own, baseline and corrected alternating, {args.runs} of each; "
        "**the median** is compared (every run listed); the target counts as met when both the medians' "
        "overhead and the corrections path timed from the inside of the corrected runs (below) are under "
        "10 % of the baseline: on this shared machine identical runs move by more than the target, and the "
        "path's own seconds are the steadier figure (a lower bound: it leaves out what the corrected records "
        "cost the store to write). CPU is the median of the load's CPU seconds: the "
        "process's (the embedded engine's threads included) and, for Neo4j, the server's too; on a shared "
        "machine it moves less than the wall clock when other work competes for the cores. Peak RSS is the "
        "run's process (`ru_maxrss`; for Neo4j the client only).",
        "",
        "| store | baseline (median) | plans/s | with corrections (median) | plans/s | **overhead** | runs: baseline "
        "/ corrected | CPU: baseline / corrected (overhead) | peak RSS: baseline / corrected | target < 10 % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for m in results:
        b, c = m.median(m.baseline), m.median(m.corrected)
        lines.append(
            f"| {m.store} | {b:.2f} s | {args.docs / b:.1f} | {c:.2f} s | {args.docs / c:.1f} | "
            f"**{m.overhead * 100:+.1f} %** | {run_list(m.baseline)} / {run_list(m.corrected)} | "
            f"{m.cpu(m.baseline):.1f} / {m.cpu(m.corrected):.1f} s ({m.cpu_overhead * 100:+.0f} %) | "
            f"{max(r['rss'] for r in m.baseline):.0f} / {max(r['rss'] for r in m.corrected):.0f} MiB | "
            f"{'**met**' if m.met else '**missed**'} |")
    lines.append("")
    for m in results:
        extra = [f"CPU of the load's process (median) {m.median(m.baseline, 'cpu'):.2f} s without, "
                 f"{m.median(m.corrected, 'cpu'):.2f} s with the corrections"]
        if m.store == "neo4j" and all(r.get("server_cpu") is not None for r in m.baseline + m.corrected):
            extra.append(f"of the Neo4j server {m.median(m.baseline, 'server_cpu'):.2f} s and "
                         f"{m.median(m.corrected, 'server_cpu'):.2f} s")
        extra.append(f"the corrections path timed inside the corrected runs (median; `PathTimer`: reading the "
                     f"corrections and indexing them, `removal` and `corrected_records` less its `document_records`, "
                     f"`summary`, `save_outcomes`) **{m.path():.2f} s, {m.path_share * 100:.1f} % of the baseline's "
                     f"median**, of which `apply_to_document` {m.path('apply_to_document'):.2f} s, "
                     f"`apply_to_records` {m.path('apply_to_records'):.2f} s, "
                     f"`for_document` {m.path('for_document'):.2f} s, "
                     f"`save_outcomes` {m.path('save_outcomes'):.2f} s; the baseline's runs spread by "
                     f"{m.spread * 100:.0f} % (fastest to slowest)")
        lines.append(f"- {m.store}: " + "; ".join(extra) + f"; `import_corrections` of the "
                     f"{len(facts['corrections']):,} corrections into the empty store (not timed) "
                     f"{statistics.median(r['import_s'] for r in m.corrected):.2f} s.")
    if not any(m.store == "neo4j" for m in results):
        lines.append("- Neo4j: not measured (NEO4J_URI was not set).")
    if facts.get("neo4j"):
        lines.append(f"- Neo4j: {facts['neo4j']}; emptied before each run with a batched delete and "
                     "`store.clear(corrections=True)`; the server is shared with the tests, which were kept out "
                     f"by `flock {DEFAULT_LOCK}` for the Neo4j runs.")
    lines += facts.get("profile", [])
    lines += [
        f"- Not timed: generating the plans and building the corrections (the plans extracted with "
        f"`loaders.extract_path` and turned into records) {facts['build_s']:.1f} s.",
        f"- machine: {_report.cpu_model()}, {os.cpu_count() or 0} cores; {_report.python_and_system()}; "
        f"LadybugDB {_report.version('ladybug')}, neo4j driver {_report.version('neo4j')}; load average "
        f"{facts['load_before']} before the run, {_report.load_average()} after",
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"{_report.git_commit(('graph', 'loaders', 'bench'))}",
        "",
        f"**{verdict}**",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time loading plans with and without corrections to apply.")
    ap.add_argument("--docs", type=int, default=1000, help="plans to load (1000)")
    ap.add_argument("--corrections", type=int, default=1000, help="corrections in the store (1000)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each kind per store; the median counts (3)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    ap.add_argument("--store", choices=("both", "embedded", "neo4j"), default="both",
                    help="both: embedded, and Neo4j if NEO4J_URI is set (both)")
    ap.add_argument("--lock", default=DEFAULT_LOCK,
                    help=f"the file to flock around the Neo4j runs ({DEFAULT_LOCK}; '' if the caller holds it)")
    ap.add_argument("--write", action="store_true", help=f"update {_report.DOCS_FILE.relative_to(ROOT)}")
    ap.add_argument("--profile", type=int, metavar="N", default=0,
                    help="afterwards, profile one corrected load (embedded) and print the N costliest functions")
    ap.add_argument("--child", choices=("baseline", "corrected"), help=argparse.SUPPRESS)
    ap.add_argument("--plans", help=argparse.SUPPRESS)
    ap.add_argument("--corrections-file", help=argparse.SUPPRESS)
    ap.add_argument("--empty-after", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    if args.docs < 1 or args.corrections < MERGES + RENAMES or args.runs < 1:
        ap.error(f"need --docs >= 1, --corrections >= {MERGES + RENAMES}, --runs >= 1")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    stores = ["embedded", "neo4j"] if args.store == "both" else [args.store]
    if "neo4j" in stores and not os.environ.get("NEO4J_URI"):
        if args.store == "neo4j":
            print("CANNOT RUN: set NEO4J_URI (eval \"$(scripts/neo4j env)\")")
            return 2
        stores.remove("neo4j")
        say("NEO4J_URI is not set: the embedded store only")
    facts: dict[str, Any] = {"load_before": _report.load_average()}
    work = Path(tempfile.mkdtemp(prefix="policykg-bench-corrections-"))
    try:
        folder = work / "plans"
        t0 = time.perf_counter()
        facts["bytes"] = write_plans(folder, args.docs, args.seed)
        plans = read_plans(folder)
        corrections, mix = build_corrections(plans, args.corrections, args.seed)
        check_corrections_apply(plans, corrections)
        facts["build_s"] = time.perf_counter() - t0
        facts["corrections"], facts["mix"] = corrections, mix
        facts["docs_touched"] = len({c.document.id for c in corrections if c.document})
        say(f"{len(plans)} plans ({facts['bytes'] / 1e6:.1f} MB), {len(corrections)} corrections "
            f"({dict(mix)}) in {facts['build_s']:.1f} s")
        from graph.corrections import export_lines

        corrections_file = work / "corrections.jsonl"
        corrections_file.write_text(export_lines(corrections), encoding="utf-8")
        del plans

        results = []
        try:
            if "embedded" in stores:
                results.append(measure("embedded", args.runs, folder, corrections_file, say))
            if "neo4j" in stores:
                with NeoLock(args.lock, say) as lock:
                    from graph.neo4j_store import Neo4jStore

                    probe = Neo4jStore.from_environment()
                    facts["neo4j"] = f"{probe._driver.get_server_info().agent} at {probe.uri}"
                    probe.close()
                    results.append(measure("neo4j", args.runs, folder, corrections_file, say))
                if lock.waited > 1:
                    say(f"waited {lock.waited:.0f} s for the Neo4j lock")
        except RuntimeError as error:
            print(f"CANNOT RUN: {error}")
            return 2

        verdict_parts = [f"{m.store}: {m.overhead * 100:+.1f} % ({m.median(m.corrected):.2f} s against "
                         f"{m.median(m.baseline):.2f} s; CPU {m.cpu_overhead * 100:+.0f} %; the corrections path "
                         f"{m.path_share * 100:.1f} % of the baseline), "
                         f"target < {TARGET * 100:.0f} % {'met' if m.met else 'missed'}" for m in results]
        failed = [m for m in results if not m.met]
        verdict = (f"Verdict: {'FAIL' if failed else 'PASS'}: applying {len(corrections):,} corrections on load "
                   "adds " + "; ".join(verdict_parts) + ".")
        profiled = ""
        if args.profile:
            say("profiling a baseline and a corrected load (embedded)")
            profiled, facts["profile"] = profile(folder, corrections, args.profile)
        section = report(args, facts, results, verdict)
        print(section)
        if args.write:
            _report.write_section(section, SECTION)
            say(f"wrote the section to {_report.DOCS_FILE.relative_to(ROOT)}")
        if profiled:
            print(profiled)
        for m in results:
            print(f"{'PASS' if m.met else 'FAIL'}: {m.store} overhead {m.overhead * 100:+.1f} % (target < 10 %)")
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
