"""Load plan files into a store: extract, turn into records, write one transaction per document.

>>> from graph.store import open_store
>>> with open_store() as store:                         # doctest: +SKIP
...     report = load_files(store, ["data/corpus"])
>>> report.loaded, report.errors                         # doctest: +SKIP
(2, [])
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.records import GraphRecords, document_records
from graph.store import GraphStore
from loaders import LoaderError, extract_path, plan_files

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

Progress = Callable[[int, int, str], None]


@dataclass
class LoadReport:
    loaded: int = 0
    errors: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)


def load_files(store: GraphStore, paths: list[str | Path], progress: Progress | None = None,
               batch_documents: int = 100) -> LoadReport:
    """Load every plan file under ``paths``; a file that fails is reported and the rest still load.

    Documents are extracted one by one and handed to the store ``batch_documents`` at a time
    (``GraphStore.load_many``): Neo4j still writes one transaction per document; the
    embedded store writes a batch together and falls back to one by one if it fails.
    """
    files = plan_files(paths)
    before = store.counts()
    report = LoadReport()
    pending: list[tuple[str, GraphRecords]] = []

    def flush() -> None:
        outcomes = store.load_many([records for _, records in pending])
        for (source, _), error in zip(pending, outcomes, strict=True):
            if error is None:
                report.loaded += 1
            else:
                report.errors.append(f"{source}: not loaded, nothing written: {_one_line(error)}")
        pending.clear()

    for index, source in enumerate(files, start=1):
        if progress:
            progress(index, len(files), source)
        try:
            pending.append((source, document_records(extract_path(source))))
        except LoaderError as error:
            report.errors.append(str(error))
        if len(pending) >= batch_documents:
            flush()
    if pending:
        flush()
    after = store.counts()
    report.added = {key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)}
    return report


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


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
