"""Loading an empty embedded graph copies the plans in one transaction (graph/bulk.py): the same graph
as loading them a batch at a time, all or nothing, and the usual way whenever the copy cannot be used."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow
import pytest

from bench.bench_scale import write_corpus
from graph import bulk, statements
from graph.embedded import EmbeddedStore
from graph.errors import StoreUnavailable
from graph.loading import BUNDLED_CORPUS, load_files
from graph.records import document_records
from loaders import extract_path
from tests.stores import SEED_COUNTS, graph_snapshot


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The two bundled plans and 24 generated ones of several cities sharing agencies and entities."""
    folder = tmp_path / "corpus"
    write_corpus(folder, 24, 0)
    for path in BUNDLED_CORPUS.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


def load_batch_at_a_time(database: Path, paths: list[Path], monkeypatch) -> EmbeddedStore:
    """An embedded store at ``database`` with ``paths`` loaded as a graph that is not empty is."""
    store = EmbeddedStore(database)
    with monkeypatch.context() as patched:
        patched.setattr(EmbeddedStore, "empty_graph_copy", lambda self: None)
        report = load_files(store, paths, batch_documents=5)
    assert report.errors == []
    return store


@pytest.fixture
def copies(monkeypatch) -> list[int]:
    """How many plans each copy into an empty graph wrote (one entry per copy that committed)."""
    written: list[int] = []
    copy_into_empty = EmbeddedStore.copy_into_empty

    def counted(self, copy):
        copy_into_empty(self, copy)
        written.append(len(copy.doc_ids))

    monkeypatch.setattr(EmbeddedStore, "copy_into_empty", counted)
    return written


def refusing_leads(monkeypatch) -> None:
    """Make LadybugDB refuse the copy's LEADS rows (each leads an action that does not exist), after every
    node table and several relationship tables were copied."""
    statements_of = bulk.EmptyGraphCopy.statements

    def refused(self):
        for statement, parameters in statements_of(self):
            if statement.startswith("COPY LEADS"):
                rows = parameters["rows"]
                parameters = {"rows": rows.set_column(1, "to_id", pyarrow.array(["no such action"] * rows.num_rows))}
            yield statement, parameters

    monkeypatch.setattr(bulk.EmptyGraphCopy, "statements", refused)


def gathered(corpus: Path, tmp_path: Path, how_many: int, start: int = 0) -> bulk.EmptyGraphCopy:
    copy = bulk.EmptyGraphCopy(tmp_path / "graph.lbdb")
    copy.add([document_records(extract_path(path)) for path in sorted(corpus.glob("*.txt"))[start:start + how_many]])
    return copy


def test_copying_plans_into_an_empty_graph_leaves_the_graph_loading_them_a_batch_at_a_time_leaves(
        corpus, tmp_path, monkeypatch, copies):
    copied = EmbeddedStore(tmp_path / "copied.lbdb")
    batched = load_batch_at_a_time(tmp_path / "batched.lbdb", [corpus], monkeypatch)
    try:
        report = load_files(copied, [corpus], batch_documents=5)  # shared nodes merged across batches
        assert (report.errors, report.loaded, report.new) == ([], 26, 26)
        assert copies == [26]
        assert graph_snapshot(copied) == graph_snapshot(batched)
        assert copied.counts() == batched.counts()
        assert copied.data_version() == 1
    finally:
        copied.close()
        batched.close()
    assert list(tmp_path.glob(".copied.lbdb.copy-*")) == []  # its files are gone


def test_the_bundled_plans_copied_into_an_empty_graph_make_the_seed_counts(tmp_path, copies):
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_files(store, [BUNDLED_CORPUS], batch_documents=1)
        assert (report.errors, report.loaded, copies) == ([], 2, [2])
        assert store.counts() == SEED_COUNTS
    finally:
        store.close()


def test_plans_that_fill_one_batch_are_written_as_one_batch(tmp_path, copies):
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_files(store, [BUNDLED_CORPUS], batch_documents=2)
        assert (report.errors, report.loaded, copies) == ([], 2, [])
        assert store.counts() == SEED_COUNTS
    finally:
        store.close()


def test_a_graph_with_plans_is_loaded_a_batch_at_a_time(corpus, tmp_path, copies):
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        plans = sorted(corpus.iterdir())
        load_files(store, plans[:3], batch_documents=1)
        report = load_files(store, plans[3:], batch_documents=5)
        assert (report.errors, report.new, copies) == ([], 23, [3])
    finally:
        store.close()


def test_a_plan_read_twice_in_one_copy_is_there_once_as_its_later_file(corpus, tmp_path, monkeypatch, copies):
    first = sorted(corpus.glob("*.txt"))[0]
    shutil.copy(first, corpus / "zz-the-same-plan.txt")  # read last: the same text, so the same plan id
    copied = EmbeddedStore(tmp_path / "copied.lbdb")
    batched = load_batch_at_a_time(tmp_path / "batched.lbdb", [corpus], monkeypatch)
    try:
        report = load_files(copied, [corpus], batch_documents=5)
        assert (report.errors, report.loaded, report.new, copies) == ([], 27, 26, [26])
        sources = sorted(row["source"] for row in copied.document_index())
        assert "zz-the-same-plan.txt" in sources and first.name not in sources
        assert graph_snapshot(copied) == graph_snapshot(batched)
    finally:
        copied.close()
        batched.close()


def test_a_copy_the_store_refuses_writes_nothing_and_the_plans_load_a_batch_at_a_time(corpus, tmp_path, monkeypatch,
                                                                                        caplog):
    refusing_leads(monkeypatch)
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    batched = load_batch_at_a_time(tmp_path / "batched.lbdb", [corpus], monkeypatch)
    try:
        with caplog.at_level(logging.WARNING, logger="policykg.load"):
            report = load_files(store, [corpus], batch_documents=5)
        assert (report.errors, report.loaded, report.new) == ([], 26, 26)
        [warning] = [record.getMessage() for record in caplog.records]
        assert warning.startswith("copying the plans into the empty graph failed (")
        assert warning.endswith("); loading them a batch at a time instead")
        assert graph_snapshot(store) == graph_snapshot(batched)
    finally:
        store.close()
        batched.close()


def test_a_refused_copy_leaves_the_graph_empty_and_unmarked(corpus, tmp_path, monkeypatch):
    refusing_leads(monkeypatch)
    copy = gathered(corpus, tmp_path, 5)
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        with pytest.raises(RuntimeError, match="no such action"):
            store.copy_into_empty(copy)
        assert not any(store.counts().values())
        assert store.read_all(statements.READ_COPY_MARK) == [[0]]
        assert store.data_version() == 0
    finally:
        copy.close()
        store.close()
    EmbeddedStore(tmp_path / "graph.lbdb", read_only=True).close()  # nothing to refuse a reader for


def test_a_copy_into_a_graph_another_load_filled_meanwhile_is_refused_before_it_writes(corpus, tmp_path):
    copy = gathered(corpus, tmp_path, 1)
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        store.load(document_records(extract_path(sorted(corpus.glob("*.txt"))[1])))
        before = store.counts()
        with pytest.raises(bulk.GraphNotEmpty, match="another process loaded plans meanwhile"):
            store.copy_into_empty(copy)
        assert store.counts() == before
    finally:
        copy.close()
        store.close()


DIES_BEFORE_THE_LAST_TRANSACTION = """
import os, sys
from graph import bulk
from graph.embedded import EmbeddedStore
from graph.loading import load_files
bulk.EmptyGraphCopy.end = staticmethod(lambda run: os._exit(9))  # every table copied and committed, the mark on
store = EmbeddedStore(sys.argv[1])
load_files(store, [sys.argv[2]], batch_documents=5)
"""


def test_a_copy_whose_process_died_is_refused_to_readers_and_deleted_by_the_next_writer(corpus, tmp_path, caplog):
    database = tmp_path / "graph.lbdb"
    died = subprocess.run([sys.executable, "-c", DIES_BEFORE_THE_LAST_TRANSACTION, str(database), str(corpus)],
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    with pytest.raises(StoreUnavailable) as refused:
        EmbeddedStore(database, read_only=True)
    assert str(refused.value) == (f"the embedded graph at {database} holds part of a first load that was stopped "
                                  "before it ended: run `policykg load` again (it deletes that part first)")
    with caplog.at_level(logging.WARNING, logger="policykg.store"):
        store = EmbeddedStore(database)
    try:
        assert [record.getMessage() for record in caplog.records] == [
            f"the embedded graph at {database} held part of a first load that was stopped before it ended; "
            "that part was deleted (load those plans again)"]
        assert not any(store.counts().values())
        assert len(list(tmp_path.glob(".graph.lbdb.copy-*"))) == 1  # the dead process's files
        report = load_files(store, [corpus], batch_documents=5)
        assert (report.errors, report.new) == ([], 26)
        assert list(tmp_path.glob(".graph.lbdb.copy-*")) == []  # removed by the copy that found them
    finally:
        store.close()


def test_a_copy_removes_the_files_of_copies_into_its_database_whose_process_is_gone(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f".graph.lbdb.copy-{ended.stdout.strip()}-x1"
    running = tmp_path / f".graph.lbdb.copy-{os.getpid()}-x2"  # a load of this process
    another_database = tmp_path / f".other.lbdb.copy-{ended.stdout.strip()}-x3"
    for folder in (abandoned, running, another_database):
        folder.mkdir()
        (folder / "Action.parquet").write_bytes(b"")
    copy = bulk.EmptyGraphCopy(tmp_path / "graph.lbdb")
    try:
        assert sorted(path.name for path in tmp_path.iterdir() if path != copy._directory) == sorted(
            [running.name, another_database.name])
    finally:
        copy.close()
