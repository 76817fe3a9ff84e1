"""Results kept in the store (GraphStore.kept / keep) and the coordination analysis kept there.

An analysis is kept under its filters at the store's change stamp, answers a later reader of any
process at that stamp only, and is never data: keeping one does not change the stamp or the counts.
"""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from queries.analytics import COMPUTED, KEPT, READ, analyse_coordination, coordination_key, kept_coordination


def same_analysis(a, b) -> bool:
    """Two coordination analyses hold the same agencies, links (with every attribute) and ranking."""
    return (sorted(a.network.nodes(data=True)) == sorted(b.network.nodes(data=True))
            and {frozenset(e[:2]): e[2] for e in a.network.edges(data=True)}
            == {frozenset(e[:2]): e[2] for e in b.network.edges(data=True)}
            and a.ranks == b.ranks and a.heaviest == b.heaviest)


def no_graph():
    raise AssertionError("the graph was read although the store had kept the analysis")


def test_a_kept_result_answers_at_its_stamp_only_and_keeping_it_changes_no_data(seeded):
    version, counts = seeded.data_version(), seeded.counts()
    assert seeded.kept("test/a", version) is None
    assert seeded.keep("test/a", version, '{"分析": 1}') is True
    assert seeded.kept("test/a", version) == '{"分析": 1}'
    assert seeded.kept("test/a", version + 1) is None  # a later stamp: the data changed since
    assert (seeded.data_version(), seeded.counts()) == (version, counts)
    assert seeded.keep("test/a", version, "again") and seeded.kept("test/a", version) == "again"
    seeded.keep("test/b", version + 1, "newer")  # kept at a later stamp: what was kept before goes
    assert seeded.kept("test/a", version) is None and seeded.kept("test/b", version + 1) == "newer"
    assert "PolicykgKept" not in seeded.counts()


def test_an_embedded_store_opened_read_only_keeps_nothing_and_one_older_than_kept_results_reads_none(
        bundled_store, tmp_path):
    import ladybug

    from graph.embedded import EmbeddedStore

    path = tmp_path / "graph.lbdb"
    bundled_store.copy_to(path)
    with EmbeddedStore(path, read_only=True) as reader:
        assert reader.keep("test/a", reader.data_version(), "x") is False
    database = ladybug.Database(str(path))  # as a graph written before kept results existed
    ladybug.Connection(database).execute("DROP TABLE PolicykgKept")
    database.close()
    with EmbeddedStore(path, read_only=True) as reader:
        assert reader.kept("test/a", reader.data_version()) is None
    with EmbeddedStore(path) as writer:  # a writable open makes the table again
        assert writer.keep("test/a", writer.data_version(), "x") and writer.kept("test/a", writer.data_version())


def test_a_coordination_analysis_kept_by_one_reader_answers_the_next_without_reading_the_graph(seeded):
    version, reads = seeded.data_version(), []

    def graph_of():
        reads.append(1)
        return seeded.to_networkx()

    first, how = kept_coordination(seeded, version, graph_of, city="鄂州市")
    assert (how, len(reads)) == (KEPT, 1)
    assert same_analysis(first, analyse_coordination(seeded.to_networkx(), city="鄂州市"))
    assert first.network.number_of_nodes() == 25 and first.heaviest == 12
    again, how = kept_coordination(seeded, version, no_graph, city="鄂州市")
    assert how == READ and same_analysis(again, first)
    assert again.ranks[0].agency == "鄂州市各区人民政府"
    stronger, how = kept_coordination(seeded, version, seeded.to_networkx, city="鄂州市", min_weight=10)
    assert how == KEPT and stronger.network.number_of_edges() == 2 and stronger.heaviest == 12  # another filter


def test_a_kept_analysis_is_computed_again_once_the_data_changes(seeded):
    kept_coordination(seeded, seeded.data_version(), seeded.to_networkx, city="仙桃市")
    seeded.write(lambda run: None)  # any write of policykg's bumps the change stamp
    reads = []
    _, how = kept_coordination(seeded, seeded.data_version(), lambda: reads.append(1) or seeded.to_networkx(),
                               city="仙桃市")
    assert (how, reads) == (KEPT, [1])


def test_an_analysis_not_kept_says_so():
    import networkx as nx

    class Unwritable:
        def kept(self, key, version):
            return None

        def keep(self, key, version, payload):
            return False

    _, how = kept_coordination(Unwritable(), 1, nx.MultiDiGraph)
    assert how == COMPUTED


def test_an_analysis_is_kept_under_its_filters_and_the_code_that_computed_it():
    import queries.analytics as analytics

    keys = {coordination_key(None), coordination_key("鄂州市"), coordination_key("鄂州市", ["d1"]),
            coordination_key("鄂州市", ["d1"], 2), coordination_key("鄂州市", ["d1", "d2"])}
    assert len(keys) == 5
    assert coordination_key("鄂州市", ["d2", "d1"]) == coordination_key("鄂州市", ("d1", "d2"))
    assert all(key.startswith(f"coordination/{analytics._CODE}/") for key in keys)


@pytest.mark.parametrize("city", ["鄂州市", None])
def test_an_analysis_survives_its_json_whole(seeded, city):
    from queries.analytics import CoordinationAnalysis

    found = analyse_coordination(seeded.to_networkx(), city=city)
    assert same_analysis(CoordinationAnalysis.from_json(found.to_json()), found)


def test_the_store_keeps_results_beside_the_schema_never_in_it():
    from graph import schema, statements

    assert statements.KEPT_LABEL not in schema.NODES and statements.KEPT_LABEL == "PolicykgKept"
    assert any(statements.KEPT_LABEL in ddl for ddl in statements.ladybug_ddl())
    assert any(statements.KEPT_LABEL in ddl for ddl in statements.neo4j_ddl())
    assert GraphStore.keep.__doc__ and "stamp stays" in GraphStore.keep.__doc__


def test_a_page_keeping_a_result_does_not_wait_for_another_process_reading_the_graph(bundled_store, tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    from graph.embedded import KEEP_WAIT, WRITE_WAIT, EmbeddedStore

    path = tmp_path / "graph.lbdb"
    bundled_store.copy_to(path)
    with EmbeddedStore(path) as app:  # the app's store, opened writable; then a long read elsewhere
        reader = subprocess.Popen(
            [sys.executable, "-c", "import sys, time; from graph.embedded import EmbeddedStore; "
             "s = EmbeddedStore(sys.argv[1], read_only=True); print('reading', flush=True); time.sleep(120)",
             str(path)], cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, text=True)
        try:
            assert reader.stdout.readline().strip() == "reading"
            began = time.monotonic()
            assert app.keep("test/a", app.data_version(), "x") is False  # not kept: computed again next time
            assert time.monotonic() - began < WRITE_WAIT / 4 and KEEP_WAIT < WRITE_WAIT / 10
        finally:
            reader.kill()
            reader.wait()
        assert app._write_wait == WRITE_WAIT  # the store's other writes still wait as long as they did
        assert app.keep("test/a", app.data_version(), "x") is True
