"""`policykg load --writers N` on Neo4j: plans written side by side give the graph one writer gives.

Plans of the same cities share their agencies, so writers meet on them; each writer locks the shared
nodes its plan names in one order (graph.neo4j_store.locking_document_statement), so none deadlocks,
and a plan that fails is still the only one left out. Against the real server (CI starts it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench._corpus import generate_plans
from graph.loading import BUNDLED_CORPUS, load_files
from graph.neo4j_store import LOCK_PROPERTY
from graph.records import RelRecord, document_records
from loaders import extract_path
from tests.stores import graph_snapshot, open_test_store

ROOT = Path(__file__).resolve().parents[1]
PLANS = 60  # generated plans of a handful of cities: writers meet on their agencies


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    """Two folders of generated plans, of the same cities."""
    first, second = tmp_path_factory.mktemp("plans-a"), tmp_path_factory.mktemp("plans-b")
    for index, text in enumerate(generate_plans(PLANS, seed=11)):
        ((first if index % 2 else second) / f"plan-{index:03d}.txt").write_text(text, encoding="utf-8")
    return first, second


@pytest.fixture(scope="module")
def one_writer(folders, tmp_path_factory):
    """The graph of both folders and the bundled plans, loaded by one writer: what every other way must give."""
    store = open_test_store("neo4j", tmp_path_factory.mktemp("neo4j"))
    try:
        report = load_files(store, [*folders, BUNDLED_CORPUS], writers=1)
        assert report.errors == [] and report.loaded == PLANS + 2
        return report.added, graph_snapshot(store)
    finally:
        store.close()


def test_plans_written_by_four_writers_make_the_graph_one_writer_makes_and_none_deadlocks(
        folders, one_writer, tmp_path, monkeypatch):
    from graph.neo4j_store import Neo4jStore

    attempts, write = [], Neo4jStore._write_transaction

    def counted(self, work):  # the work is run once per attempt: a deadlock's retry would run it again
        return write(self, lambda run: attempts.append(1) or work(run))

    monkeypatch.setattr(Neo4jStore, "_write_transaction", counted)
    store = open_test_store("neo4j", tmp_path)
    try:
        report = load_files(store, [*folders, BUNDLED_CORPUS], writers=4)
        assert (report.loaded, report.errors) == (PLANS + 2, [])
        assert len(attempts) == PLANS + 2 + 2  # each plan once, and the change stamp (the clear, the load)
        assert (report.added, graph_snapshot(store)) == one_writer
        assert store.run_read(f"MATCH (n) WHERE n.{LOCK_PROPERTY} IS NOT NULL RETURN count(n)").rows == [[0]]
    finally:
        store.close()


def test_two_loads_side_by_side_with_writers_each_complete_and_make_the_graph_of_one(folders, one_writer, tmp_path):
    store = open_test_store("neo4j", tmp_path)  # cleared
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    loads = [subprocess.Popen([sys.executable, "-m", "policykg", "load", "--store", "neo4j", "--writers", "3",
                               "-j", "1", str(folder), str(BUNDLED_CORPUS)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for folder in folders]
    try:
        outputs = [load.communicate(timeout=300) for load in loads]
        assert [load.returncode for load in loads] == [0, 0], [err for _, err in outputs]
        assert graph_snapshot(store) == one_writer[1]
    finally:
        for load in loads:
            load.kill()
        store.close()


def test_a_plan_that_fails_among_writers_is_the_only_one_left_out_and_leaves_nothing(tmp_path):
    store = open_test_store("neo4j", tmp_path)
    try:
        good = document_records(extract_path(BUNDLED_CORPUS / "ezhou-ai-action-plan.txt"))
        bad = document_records(extract_path(BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"))
        bad.relationships["LOCATED_IN"].append(RelRecord("Agency", "仙桃市科技局", "District", "nowhere"))
        outcomes = store.load_many([bad, good], writers=2)
        assert outcomes[1] is None and isinstance(outcomes[0], ValueError)
        counts = store.counts()
        assert (counts["Document"], counts["Action"], counts["LEADS"]) == (1, 22, 22)
        assert store.run_read("MATCH (a:Agency) WHERE a.city = '仙桃市' RETURN count(a)").rows == [[0]]
    finally:
        store.close()


def test_a_plan_loaded_again_among_new_ones_replaces_its_earlier_reading(tmp_path):
    ezhou = BUNDLED_CORPUS / "ezhou-ai-action-plan.txt"
    xiantao = BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt"
    store = open_test_store("neo4j", tmp_path)
    try:
        store.load_many([document_records(extract_path(ezhou)), document_records(extract_path(xiantao))])
        plain = graph_snapshot(store)
        store.clear()
        earlier = document_records(extract_path(ezhou))
        earlier.nodes["Action"][0]["quote"] = "an earlier reading"  # what the reload must replace
        store.load(earlier)
        again = document_records(extract_path(ezhou))
        again.replaces = {again.doc_id}
        assert store.load_many([again, document_records(extract_path(xiantao))], writers=2) == [None, None]
        assert graph_snapshot(store) == plain
    finally:
        store.close()
