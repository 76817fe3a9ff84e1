"""Load plans into a store: extract, turn into records, write one transaction per document.

Files, uploads and the bundled corpus all go through :func:`load_plans`, with one error policy.

>>> from graph.store import open_store
>>> with open_store() as store:                         # doctest: +SKIP
...     report = load_files(store, ["data/corpus"])
>>> report.loaded, report.errors                         # doctest: +SKIP
(2, [])
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from graph import statements
from graph.errors import StoreUnavailable, one_line
from graph.records import GraphRecords, document_records
from graph.store import GraphStore
from loaders import GivenGovernment, LoaderError, PlanDocument, extract_path, plan_files

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
# Fewer plans than this are read in this process: starting workers costs more than it saves.
PARALLEL_FROM = 8
# Plans read ahead per worker: enough to keep the workers busy while the store writes a batch (100
# plans, ~1.5 s on the embedded store; with 4 a worker sat idle for most of each write), few enough
# that memory stays bounded whatever the corpus (each in flight is one plan and its records, ~0.2 MB).
READ_AHEAD_PER_WORKER = 64
LOG = logging.getLogger("policykg.load")

Progress = Callable[[int, int, str], None]
Read = Callable[[], PlanDocument]
ReadOutcome = tuple[PlanDocument, GraphRecords] | BaseException


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count): ``load -j``'s default."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


LOADING_GC_THRESHOLD = (50_000, 20, 100)


def fewer_collections() -> None:
    """Collect garbage less often while loading (a worker's initializer). Extraction and unpickling what
    a worker sends back make millions of small objects that live for one plan; at Python's default
    thresholds the collector ran so often that unpickling a plan cost 6 ms instead of 1 (200 generated
    plans) and a sequential load of 1,000 took 10-20 % longer."""
    gc.set_threshold(*LOADING_GC_THRESHOLD)


@contextmanager
def collecting_less() -> Iterator[None]:
    """:func:`fewer_collections` for the duration of a load in this process, then as it was."""
    before = gc.get_threshold()
    gc.set_threshold(*LOADING_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def start_worker(parent: int) -> None:
    """A loading worker's start: :func:`fewer_collections`, and on Linux, die with the load that started
    it, even one killed with SIGKILL (no exception, no clean-up of its own): without this the workers
    lived on, blocked, holding the terminal's (or a test's) pipes."""
    fewer_collections()
    if sys.platform == "linux":
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the load died while this worker was starting, before the signal was asked for
        os._exit(1)


def read_and_record(read: Read) -> tuple[PlanDocument, GraphRecords]:
    """A plan and its records: what a worker does for the load (extraction and records are most of its time)."""
    doc = read()
    return doc, document_records(doc)


def read_plans(plans: Sequence[tuple[str, Read]], workers: int = 1) -> Iterator[tuple[str, ReadOutcome]]:
    """Each plan's ``(doc, records)``, or what its reading raised, in the order given.

    With ``workers`` > 1 (and at least :data:`PARALLEL_FROM` plans) they are read in that many
    processes, a few plans ahead of the store; ``read`` must then pickle (a module function and
    its arguments: :func:`load_files`' are). A worker that dies (a native library's crash, the
    kernel's OOM killer) breaks its pool: the plans then in flight are read again one at a time
    in a new pool, so the one that kills its worker is the only one lost, said by name.
    """
    if workers <= 1 or len(plans) < PARALLEL_FROM:
        for source, read in plans:
            yield source, _outcome(read)
        return
    # spawn, not fork: the store has threads of its own in this process (LadybugDB, the driver), and a
    # forked copy of a lock one of them held would never be released. Not forkserver either: its
    # workers are the server's children and outlived a load killed with SIGKILL (start_worker).
    context = multiprocessing.get_context("spawn")
    queue = deque(plans)  # what is left to read, in order
    while queue:
        in_flight = yield from _read_in_pool(queue, workers, context)
        for _ in range(in_flight):  # a worker died: what was in flight is read again, each in a pool of its own
            source, read = queue.popleft()
            yield source, _read_alone(source, read, context)


def _read_in_pool(queue: deque, workers: int, context) -> Iterator[tuple[str, ReadOutcome]]:
    """Read from the front of ``queue`` in ``workers`` processes, yielding outcomes in order; if the pool
    breaks, put the plans then in flight back at the front and return how many (else 0, the queue empty)."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                             initargs=(os.getpid(),)) as pool:
        window: deque[tuple[str, Read, Future]] = deque()

        def fill() -> None:
            while queue and len(window) < workers * READ_AHEAD_PER_WORKER:
                source, read = queue.popleft()
                window.append((source, read, pool.submit(read_and_record, read)))

        fill()
        while window:
            source, _, future = window[0]
            try:
                outcome: ReadOutcome = future.result()
            except BrokenProcessPool:
                queue.extendleft(reversed([(s, r) for s, r, _ in window]))
                return len(window)
            except Exception as error:  # the plan's own failure, pickled back from the worker
                outcome = error
            window.popleft()
            fill()
            yield source, outcome
    return 0


def _read_alone(source: str, read: Read, context) -> ReadOutcome:
    """One plan in a pool of its own: if its worker dies, it is the plan that killed it."""
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=start_worker,
                             initargs=(os.getpid(),)) as pool:
        try:
            return pool.submit(read_and_record, read).result()
        except BrokenProcessPool:
            LOG.warning("%s: the process reading it died", source)
            return LoaderError(source, "not loaded: the process reading it died "
                                       "(a crash in a document library, or out of memory)")
        except Exception as error:
            return error


def _outcome(read: Read) -> ReadOutcome:
    try:
        return read_and_record(read)
    except Exception as error:
        return error


@dataclass
class LoadReport:
    loaded: int = 0  # documents now in the store (new, or already there and unchanged)
    new: int = 0  # of those, the ones the store did not hold before
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, why) per plan that did not load
    added: dict[str, int] = field(default_factory=dict)
    stopped: str | None = None  # why the load ended early: the store was lost
    not_tried: int = 0  # files left when it stopped
    removed: list[tuple[str, str]] = field(default_factory=list)  # (source, correction id): removed by a person
    corrected: int = 0  # corrections applied to the plans loaded
    correction_problems: list[str] = field(default_factory=list)  # a line per correction that could not apply
    skipped: list[str] = field(default_factory=list)  # a folder's own documentation (README.md …): not plans

    @property
    def errors(self) -> list[str]:
        """One line per plan that did not load, naming it: what ``policykg load`` prints."""
        return [f"{source}: {why}" for source, why in self.failures]

    @property
    def already_loaded(self) -> int:
        return self.loaded - self.new


def load_files(store: GraphStore, paths: list[str | Path], progress: Progress | None = None,
               batch_documents: int = 100, given: GivenGovernment | None = None, workers: int = 1,
               writers: int = 1) -> LoadReport:
    """Load every plan file under ``paths``; a file that fails is reported and the rest still load.

    ``given``: the government of every file, as a person gives it (``policykg load --city …``).
    ``workers``: processes extracting the files (``policykg load -j``); ``writers``: transactions writing
    them side by side (``--writers``, Neo4j). What happens to each file is :func:`load_plans`'s.
    """
    skipped: list[str] = []
    files = plan_files(paths, skipped)
    report = load_plans(store, [(str(source), partial(extract_path, source, given)) for source in files],
                        progress, batch_documents, workers=workers, writers=writers)
    report.skipped = skipped
    return report


def load_plans(store: GraphStore, plans: Sequence[tuple[str, Read]], progress: Progress | None = None,
               batch_documents: int = 100, *, workers: int = 1, writers: int = 1) -> LoadReport:
    """The one load path, for files (:func:`load_files`), uploads and the bundled corpus.

    ``plans`` are ``(source, read)`` pairs: ``read()`` gives the plan (extracting a file, or the
    document an upload page already extracted) and may raise. With ``workers`` > 1 the plans are read,
    and turned into records, in that many processes while this one writes (:func:`read_plans`; ``read``
    must pickle); they are written in the order given either way. Documents are handed to the store
    ``batch_documents`` at a time (``GraphStore.load_many``): Neo4j still writes one transaction per
    document, ``writers`` of them side by side; the embedded store writes a batch together and falls
    back to one by one if it fails. More plans than a batch into an empty graph: a store that can (the
    embedded one, :meth:`GraphStore.empty_graph_copy`) gathers them all and copies them in once all
    are read, and if that fails, they are loaded again in batches.
    Whatever goes wrong with one plan is that plan's one line in ``errors`` and nothing of it is
    written; a plan already in the store under another government is refused (its units are scoped by
    it). If the store itself is lost (a Neo4j server stopped), the load stops there and says so in
    ``stopped``: what committed stays, and running the same load again completes it.
    """
    with collecting_less():
        return _load_plans(store, plans, progress, batch_documents, workers, writers)


def _load_plans(store: GraphStore, plans: Sequence[tuple[str, Read]], progress: Progress | None,
                batch_documents: int, workers: int, writers: int, *, copy_allowed: bool = True) -> LoadReport:
    from graph import corrections as people

    present = _present(store)
    known = set(present)
    stored = people.read_corrections(store)
    corrections = people.Applicable(stored, present)
    by_id = {c.id: c for c in stored}
    outcomes: list[people.Outcome] = []
    before = store.counts()
    report = LoadReport()
    pending: list[tuple[str, GraphRecords]] = []
    # An empty graph is loaded in one go (GraphStore.empty_graph_copy) when the plans are more than a batch
    # (fewer are one batch: one transaction already): they are gathered as they are read, and copied in when
    # all are. A plan read again (the same id) waits until then, to replace it.
    copying = copy_allowed and len(plans) > batch_documents and not any(before.values())
    copy = store.empty_graph_copy() if copying else None
    again: list[tuple[str, ReadOutcome]] = []

    def flush() -> StoreUnavailable | None:
        """Write what is pending (or gather it, for the copy); the error that lost the store, if it was lost."""
        lost = None
        if copy is not None:
            try:
                copy.add([records for _, records in pending])
            except Exception as error:  # the disk its files go to is full …
                raise _CopyFailed(error) from error
            outcomes_of_batch: list[Exception | None] = [None] * len(pending)
        else:
            outcomes_of_batch = store.load_many([records for _, records in pending], writers)
        for (source, records), error in zip(pending, outcomes_of_batch, strict=True):
            if error is None:
                report.loaded += 1
                report.new += records.doc_id not in known
                known.add(records.doc_id)
            elif isinstance(error, StoreUnavailable):
                lost = error
                report.not_tried += 1
            else:
                report.failures.append((source, f"not loaded, nothing written: {one_line(error)}"))
        pending.clear()
        return lost

    def take(source: str, outcome: ReadOutcome) -> None:
        """What one plan's reading gave: its records pending, or its one line of failure."""
        try:
            if isinstance(outcome, BaseException):
                raise outcome
            doc, records = outcome
            mine = corrections.for_document(doc.id, doc.source) if corrections else []
            removal = people.removal_in(mine)
            if removal is not None:
                report.removed.append((source, removal.id))
                return
            applied: list[people.Outcome] = []
            if mine:  # the records read were the plan as extracted: made again with its corrections
                records, applied = people.corrected_records(doc, mine)
            conflict = _government_conflict(store, records) if doc.id in known else None
            if conflict:
                report.failures.append((source, f"not loaded: {conflict}"))
                return
            if doc.id in known:
                records.replaces = {doc.id}  # what an earlier reading of it left goes
            corrections.add(doc.id, doc.source)
            outcomes.extend(applied)
            pending.append((source, records))
        except LoaderError as error:
            report.failures.append((source, error.problem))
        except Exception as error:  # a reader's bug must not cost the other files their load
            report.failures.append((source, f"not loaded: internal error reading it: {one_line(error)}"))

    def stop(lost: StoreUnavailable, left: int) -> LoadReport:
        report.stopped = str(lost)
        report.not_tried += left
        return report

    try:
        for index, (source, outcome) in enumerate(read_plans(plans, workers), start=1):
            if progress:
                progress(index, len(plans), source)
            if copy is not None and not isinstance(outcome, BaseException) and outcome[0].id in known:
                again.append((source, outcome))
            else:
                take(source, outcome)
            if len(pending) >= batch_documents or (index == len(plans) and pending):
                lost = flush()
                if lost is not None:
                    return stop(lost, len(plans) - index)
        if copy is not None:
            if copy.doc_ids:
                try:
                    store.copy_into_empty(copy)
                except StoreUnavailable as lost:
                    report.not_tried, report.loaded, report.new = report.loaded, 0, 0
                    return stop(lost, len(again))
                except Exception as error:  # a value the copy refuses: written as usual, one bad plan stays out alone
                    raise _CopyFailed(error) from error
            copy.close()
            copy = None
            for taken, (source, outcome) in enumerate(again, start=1):  # in the order read: the later replaces
                take(source, outcome)
                left = len(again) - taken
                if len(pending) >= batch_documents or (left == 0 and pending):
                    lost = flush()
                    if lost is not None:
                        return stop(lost, left)
    except _CopyFailed as failed:
        LOG.warning("copying the plans into the empty graph failed (%s); loading them a batch at a time instead",
                    one_line(failed.error))
        return _load_plans(store, plans, progress, batch_documents, workers, writers, copy_allowed=False)
    finally:
        if copy is not None:
            copy.close()
    after = store.counts()
    report.added = {key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)}
    if outcomes:
        summary = people.summary(outcomes, by_id)
        report.corrected = sum(1 for outcome in summary.values() if outcome.applied)
        report.correction_problems = [f"correction {outcome.id} ({by_id[outcome.id].describe()}) not applied: "
                                      f"{outcome.text()}" for outcome in summary.values() if not outcome.applied]
        people.save_outcomes(store, outcomes)
    return report


class _CopyFailed(Exception):
    """The copy into an empty graph failed (``error``): nothing of it was written."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _present(store: GraphStore) -> dict[str, str]:
    """The plans in the store: id → file name."""
    return {row[0]: row[1] for row in store.read_all(statements.DOCUMENT_SOURCES)}


def _government_conflict(store: GraphStore, records: GraphRecords) -> str | None:
    """Why a document already in the store is not loaded again: its government would change.

    Its units are scoped by that government, and shared agencies of the other one would keep what
    this plan wrote of them; a person changes a plan's government with ``policykg correct government``,
    which rebuilds everything it touches.
    """
    document = records.nodes["Document"][0]
    new_government = (document["city"], document["province"], document["level"])
    rows = store.run_read(statements.DOCUMENT_GOVERNMENT, {"id": records.doc_id}, guard=False).rows
    if not rows or tuple(rows[0]) == new_government:
        return None
    stored = "/".join(value or "?" for value in rows[0])
    new = "/".join(value or "?" for value in new_government)
    return (f"already in the graph with government {stored} (city/province/level); it is not loaded again "
            f"as {new} (`policykg correct government` changes it)")


def ensure_loaded(store: GraphStore) -> LoadReport | None:
    """Load the bundled corpus if the store has no documents yet (the first run on a new machine)."""
    if store.document_ids():
        return None
    return load_files(store, [BUNDLED_CORPUS])


def terminal_progress(index: int, total: int, source: str) -> None:
    """A one-line progress bar on stderr, only for people watching a terminal and only for long loads."""
    if total < 5 or not sys.stderr.isatty():
        return
    width = 30
    done = int(width * index / total)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {index}/{total} {Path(source).name[:40]:<40}")
    if index == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
