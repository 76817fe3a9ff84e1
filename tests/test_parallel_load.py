"""`policykg load -j N`: plans read in worker processes give the graph a load in one process gives.

Twelve generated plans (bench/_corpus.py, seed 3) and one file that is not a plan, in a folder; the
embedded store (the workers are the loaders' processes, not the store's: Neo4j writes the same way).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from bench._corpus import generate_plans
from graph.embedded import EmbeddedStore
from graph.loading import PARALLEL_FROM, load_files, load_plans, read_plans
from loaders import extract_path
from tests.stores import graph_snapshot

PLANS = 12


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plans")
    for index, text in enumerate(generate_plans(PLANS, seed=3)):
        (folder / f"plan-{index:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "plan-05b.txt").write_bytes(b"")  # between two plans: its failure must not move the others
    return folder


def load_into(path: Path, folder: Path, workers: int):
    store = EmbeddedStore(path)
    try:
        report = load_files(store, [folder], workers=workers)
        return report, graph_snapshot(store)
    finally:
        store.close()


def test_plans_read_in_two_processes_make_the_graph_one_process_makes(folder, tmp_path):
    assert PLANS + 1 >= PARALLEL_FROM  # else the load would not start workers at all
    alone, alone_graph = load_into(tmp_path / "one.lbdb", folder, workers=1)
    shared, shared_graph = load_into(tmp_path / "two.lbdb", folder, workers=2)
    assert (shared.loaded, shared.new) == (alone.loaded, alone.new) == (PLANS, PLANS)
    assert shared.errors == alone.errors == [f"{folder / 'plan-05b.txt'}: file is empty"]
    assert shared.added == alone.added and shared.added["Document"] == PLANS
    assert shared_graph == alone_graph


def test_plans_come_back_from_the_workers_in_the_order_given(folder):
    files = sorted(folder.glob("plan-*.txt"))
    plans = [(str(path), partial(extract_path, path, None)) for path in files]
    outcomes = list(read_plans(plans, workers=2))
    assert [source for source, _ in outcomes] == [str(path) for path in files]
    assert [type(outcome).__name__ for _, outcome in outcomes].count("LoaderError") == 1
    docs = [outcome[0] for _, outcome in outcomes if isinstance(outcome, tuple)]
    assert [doc.source for doc in docs] == [str(path) for path in files if path.name != "plan-05b.txt"]


def die_reading(path: Path) -> None:
    """A reader that takes its process down for one file, as a crash in a native library would."""
    if path.name == "plan-03.txt":
        os._exit(9)
    return extract_path(path, None)


def test_a_plan_that_kills_its_worker_is_the_only_one_lost_and_is_named(folder, tmp_path):
    files = sorted(folder.glob("plan-*.txt"))
    plans = [(str(path), partial(die_reading, path)) for path in files]
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        report = load_plans(store, plans, workers=2)
        documents = len(store.document_ids())
    finally:
        store.close()
    assert report.errors == [
        f"{folder / 'plan-03.txt'}: not loaded: the process reading it died (a crash in a document library, "
        "or out of memory)",
        f"{folder / 'plan-05b.txt'}: file is empty"]
    assert report.loaded == documents == PLANS - 1
