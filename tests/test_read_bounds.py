"""What one read may cost: bounded in memory and time on both stores, never retried, never
blocking other readers; and the change stamp every load bumps."""

from __future__ import annotations

import threading

import pytest

from graph import store as store_module
from graph.errors import QueryTimeout, ResultTooLarge, StoreError
from graph.loading import BUNDLED_CORPUS, load_files
from graph.records import RelRecord, document_records
from loaders import extract_text
from tests.stores import STORE_KINDS, open_test_store

HUGE_COLLECT = "UNWIND range(1, 50000000) AS x RETURN collect(x) AS xs"


@pytest.fixture(params=STORE_KINDS)
def store(request, tmp_path):
    store = open_test_store(request.param, tmp_path)
    yield store
    store.close()


def test_a_collect_of_fifty_million_values_is_refused_with_one_line(store):
    with pytest.raises(ResultTooLarge, match="memory") as refused:
        store.run_read(HUGE_COLLECT, timeout=60)
    assert "\n" not in str(refused.value)
    assert store.run_read("RETURN 1 AS one").rows == [[1]]  # the store still answers


def test_policykgs_own_reads_of_the_whole_graph_are_not_cut_by_the_byte_bound(store, monkeypatch):
    load_files(store, [BUNDLED_CORPUS])
    monkeypatch.setattr(store_module, "MAX_RESULT_BYTES", 1024)
    assert store.to_networkx().number_of_nodes() == 257
    with pytest.raises(ResultTooLarge):
        store.run_read("MATCH (d:Document) RETURN d.text")


def test_many_rows_past_the_byte_bound_are_refused(store, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_RESULT_BYTES", 1024 * 1024)
    with pytest.raises(ResultTooLarge, match="larger than 1 MB"):
        store.run_read("UNWIND range(1, 20000) AS x RETURN x, 'text of about two hundred bytes' + "
                       "'..........................................................................' + "
                       "'..........................................................................' AS t",
                       row_cap=100_000)


def test_a_time_limit_past_the_cap_is_lowered_to_the_cap(store, monkeypatch):
    asked = []
    real = store._read

    def spy(query, parameters, timeout, offset, limit, max_bytes):
        asked.append(timeout)
        return real(query, parameters, timeout, offset, limit, max_bytes)

    monkeypatch.setattr(store, "_read", spy)
    store.run_read("RETURN 1", timeout=10_000)
    assert asked == [store_module.MAX_TIMEOUT]


def test_a_timed_out_query_is_not_retried(store, monkeypatch):
    """One attempt: the error comes back from the first run, whatever the driver could retry."""
    calls = []
    real = store._read

    def counting(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(store, "_read", counting)
    with pytest.raises(QueryTimeout):
        store.run_read("UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)", timeout=0.5)
    assert len(calls) == 1


def test_a_slow_read_does_not_make_another_read_wait(tmp_path):
    """The app's sessions share one embedded store: a long console query and a short one run side by side."""
    store = open_test_store("embedded", tmp_path)
    try:
        outcome: dict[str, object] = {}

        def slow() -> None:
            try:
                store.run_read("UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)", timeout=30)
            except StoreError as error:
                outcome["slow"] = error

        worker = threading.Thread(target=slow)
        worker.start()
        while not worker.is_alive():
            pass
        assert store.run_read("RETURN 1 AS one").rows == [[1]]
        # The short read answered while the long one was still running (it runs for seconds).
        assert worker.is_alive()
        worker.join()
    finally:
        store.close()


def test_every_load_and_clear_bumps_the_change_stamp_and_a_failed_load_does_not(store):
    before = store.data_version()
    load_files(store, [BUNDLED_CORPUS])
    after_load = store.data_version()
    assert after_load == before + 1  # one batch, one bump
    bad = document_records(extract_text("一、任务\n（一）建平台。（牵头单位：市科技局）", "bad.txt"))
    bad.relationships["LOCATED_IN"].append(RelRecord("Agency", "x", "District", "y"))  # a pair the schema lacks
    assert store.load_many([bad]) != [None]
    assert store.data_version() == after_load
    store.clear()
    assert store.data_version() == after_load + 1
    assert store.counts()["Document"] == 0
