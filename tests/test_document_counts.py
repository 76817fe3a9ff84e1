"""A plan's counts of actions and targets are kept on its Document node (graph/schema.py): the same
numbers as counting its nodes, through a reload with other text and for a graph made before them."""

from __future__ import annotations

import shutil

import ladybug
import pytest

from graph.embedded import EmbeddedStore
from graph.loading import BUNDLED_CORPUS, load_files
from queries import run_named
from tests.stores import STORE_KINDS, open_test_store

COUNTED = ("MATCH (d:Document) OPTIONAL MATCH (x:Action {doc_id: d.id}) WITH d, count(x) AS actions "
           "OPTIONAL MATCH (t:Target {doc_id: d.id}) RETURN d.source, actions, count(t) ORDER BY d.source")
KEPT = "MATCH (d:Document) RETURN d.source, d.actions, d.targets ORDER BY d.source"
BUNDLED = [["ezhou-ai-action-plan.txt", 22, 6], ["xiantao-ai-action-plan-2025-2027.txt", 25, 39]]


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_the_kept_counts_are_the_plans_actions_and_targets(kind, tmp_path):
    store = open_test_store(kind, tmp_path)
    try:
        assert load_files(store, [BUNDLED_CORPUS]).errors == []
        assert store.run_read(KEPT).rows == store.run_read(COUNTED).rows == BUNDLED
        listed = run_named(store, "documents")
        assert [[row[0], row[6], row[7]] for row in listed.rows] == BUNDLED
        assert [row[3] for row in run_named(store, "cities").rows] == [25, 22]
    finally:
        store.close()


def test_a_new_version_of_a_plans_file_has_counts_of_its_own(tmp_path):
    """A new version is another plan (ids are of the text): both are kept, each with its own counts."""
    plan = tmp_path / "plans" / "xiantao.txt"
    plan.parent.mkdir()
    text = (BUNDLED_CORPUS / "xiantao-ai-action-plan-2025-2027.txt").read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    try:
        assert load_files(store, [plan]).errors == []
        assert store.run_read(KEPT).rows == [["xiantao.txt", 25, 39]]
        plan.write_text(text[: text.index("(二十一)")], encoding="utf-8")  # the plan cut before its 21st action
        assert load_files(store, [plan]).errors == []
        kept = store.run_read("MATCH (d:Document) RETURN d.source, d.actions, d.targets ORDER BY d.actions").rows
        counted = store.run_read(COUNTED).rows
        assert kept == [["xiantao.txt", 20, 39], ["xiantao.txt", 25, 39]] and sorted(counted) == kept
    finally:
        store.close()


@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "read-only"])
def test_a_graph_loaded_before_the_counts_gets_them_at_its_next_open(tmp_path, read_only, caplog):
    """Read-only too: `policykg query documents` on an older graph must not fail on a missing column."""
    folder = tmp_path / "plans"
    shutil.copytree(BUNDLED_CORPUS, folder)
    database = tmp_path / "graph.lbdb"
    store = EmbeddedStore(database)
    assert load_files(store, [folder]).errors == []
    store.close()
    old = ladybug.Database(str(database))  # the table as an older policykg made it: no count columns
    connection = ladybug.Connection(old)
    connection.execute("ALTER TABLE Document DROP actions")
    connection.execute("ALTER TABLE Document DROP targets")
    connection.close()
    old.close()
    store = EmbeddedStore(database, read_only=read_only)
    try:
        assert store.run_read(KEPT).rows == BUNDLED
        assert [r.getMessage() for r in caplog.records if "older policykg" in r.getMessage()] == (
            [f"the embedded graph at {database} was made by an older policykg: its new columns were added"]
            if read_only else [])
    finally:
        store.close()
    again = EmbeddedStore(database, read_only=True)  # brought up to date once: nothing to add now
    again.close()
    assert sum("older policykg" in r.getMessage() for r in caplog.records) == (1 if read_only else 0)
