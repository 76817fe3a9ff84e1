"""The fault suite: real processes, real files, a real Neo4j, and faults injected into them.

Killed loads and checkpoints, reads during a load, a Neo4j server that goes away mid-load,
a bad file in a folder, a colleague's load seen by the app, credentials in NEO4J_URI. No
timing is asserted: subprocess time-outs only stop a test that would hang.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from bench._corpus import generate_plans
from tests.stores import neo4j_available, open_test_store

ROOT = Path(__file__).resolve().parents[1]
# What a read may say while a load holds the store: an answer, or this line. Never these.
BUSY = "is writing to the embedded graph"
NEVER = ("corrupt", "recovery", "invalid", "internal error", "Traceback", "WAL")


def write_plans(folder: Path, count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(generate_plans(count, seed=seed)):
        path = folder / f"plan-{index:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def embedded_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["POLICYKG_DB"] = str(tmp_path / "db" / "graph.lbdb")
    env.update(extra)
    return env


def policykg(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout)


def start_policykg(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "policykg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def document_count(env: dict[str, str]) -> int:
    result = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--json", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"][0][0]


# -- a bad file in a folder -------------------------------------------------------------------------
def test_a_folder_with_broken_files_loads_every_other_file_and_names_each_broken_one(tmp_path):
    folder = tmp_path / "plans"
    write_plans(folder, 120)  # more than one batch of 100
    truncated = folder / "truncated.docx"
    whole = tmp_path / "whole.docx"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>" + "x" * 5000 + "</w:document>")
    truncated.write_bytes(whole.read_bytes()[:300])
    (folder / "not-a-zip.docx").write_bytes(b"this is a text file renamed .docx\n" * 20)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    env = embedded_env(tmp_path)
    result = policykg("load", str(folder), env=env)
    assert result.returncode == 1
    assert "loaded 120 document(s)" in result.stdout and ": 120 new, 0 already there;" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("policykg: error:")]
    for name in ("truncated.docx", "not-a-zip.docx", "dangling.txt"):
        assert sum(name in line for line in errors) == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "3 document(s) failed; the others were loaded" in result.stderr
    assert document_count(env) == 120
    again = policykg("load", str(folder), env=env)
    assert ": 0 new, 120 already there; nothing new" in again.stdout


# -- reads during a load ---------------------------------------------------------------------------
@pytest.mark.parametrize("clear", [False, True], ids=["load", "load --clear"])
def test_a_read_during_a_load_answers_or_says_a_load_holds_the_store(tmp_path, clear):
    """With --clear the graph is empty for a while: a read must not then try to load the bundled plans."""
    env = embedded_env(tmp_path)
    assert policykg("load", env=env).returncode == 0  # the bundled plans: a graph to read
    folder = tmp_path / "plans"
    write_plans(folder, 300)
    loading = start_policykg("load", *(["--clear"] if clear else []), str(folder), env=env)
    lock = Path(env["POLICYKG_DB"] + ".lock")
    answers, busy = [], []
    try:
        while f'"pid": {loading.pid}' not in lock.read_text():  # the load has opened the store
            assert loading.poll() is None, loading.communicate()
            time.sleep(0.05)
        second = policykg("load", env=env, timeout=60)  # a second writer is told who holds the store
        if loading.poll() is None:
            assert f"in use by policykg load (pid {loading.pid})" in second.stderr, second.stderr
        while loading.poll() is None:
            result = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--json", env=env, timeout=60)
            text = result.stdout + result.stderr
            assert not any(word in text for word in NEVER), text
            if result.returncode == 0:
                answers.append(result.stdout)
            else:
                assert BUSY in result.stderr and "policykg load (pid " in result.stderr, result.stderr
                busy.append(result.stderr)
    finally:
        _, err = loading.communicate(timeout=300)
    assert loading.returncode == 0, err
    assert answers, "no read answered during the whole load"
    assert document_count(env) == (300 if clear else 302)


# -- kill -9 during loads and checkpoints ----------------------------------------------------------
def test_a_load_killed_at_any_moment_leaves_a_graph_that_reads_and_a_rerun_completes(tmp_path):
    """A tiny checkpoint threshold makes LadybugDB checkpoint on every commit, so the kills land in
    checkpoints as well as in transactions."""
    env = embedded_env(tmp_path, POLICYKG_DB_CHECKPOINT_MB="0.01")
    assert policykg("load", env=env).returncode == 0  # the bundled plans: a graph to read
    folder = tmp_path / "plans"
    write_plans(folder, 60)
    rng = random.Random(3)
    survived = 0
    for _ in range(6):
        loading = start_policykg("load", str(folder), env=env)
        time.sleep(rng.uniform(1.0, 4.0))
        loading.send_signal(signal.SIGKILL)
        loading.communicate(timeout=60)
        result = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--json", env=env, timeout=120)
        text = result.stdout + result.stderr
        assert result.returncode == 0, text
        assert not any(word in text for word in NEVER), text
        survived += 1
    assert survived == 6
    rerun = policykg("load", str(folder), env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert document_count(env) == 62


# A writer that loads each plan in a transaction of its own and dies without closing (no checkpoint),
# so everything it committed is in the log alone.
DIE_AFTER_LOADING = """
import os, sys
from graph.embedded import EmbeddedStore
from graph.loading import load_files
store = EmbeddedStore()
load_files(store, [sys.argv[1]], batch_documents=1)
os._exit(0)
"""
DROPPED = "was stopped mid-write; it holds everything committed before that"


def tear_the_log_end(env: dict[str, str], folder: Path) -> None:
    """What a kill in the middle of a commit leaves: the log's last transaction half-written (a
    plan's transaction writes well over 100 KB to the log; 5,000 bytes are cut off its end)."""
    env = {**env, "POLICYKG_DB_CHECKPOINT_MB": "4096"}
    died = subprocess.run([sys.executable, "-c", DIE_AFTER_LOADING, str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert died.returncode == 0, died.stderr
    log = Path(env["POLICYKG_DB"] + ".wal")
    with log.open("r+b") as torn:
        torn.truncate(log.stat().st_size - 5000)


@pytest.mark.parametrize("first", ["read", "load"])
def test_a_commit_torn_by_a_kill_is_dropped_and_said_and_every_earlier_commit_stays(tmp_path, first):
    """Three plans committed one by one, the third's commit torn: the first command after it, a read
    or a load, opens the graph with the two that committed, says in one line that a write was
    dropped, and a rerun of the load completes it."""
    env = embedded_env(tmp_path)
    assert policykg("load", env=env).returncode == 0  # the two bundled plans, checkpointed
    folder = tmp_path / "plans"
    write_plans(folder, 3)
    tear_the_log_end(env, folder)
    if first == "read":
        result = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--json", env=env)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["rows"] == [[4]]
    else:
        result = policykg("load", str(folder), env=env)
        assert result.returncode == 0, result.stderr
        assert "loaded 3 document(s)" in result.stdout and "1 new, 2 already there" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("policykg: warning:")]
    assert len(warnings) == 1 and DROPPED in warnings[0], result.stderr
    assert not any(word in result.stdout + result.stderr for word in NEVER), result.stderr
    again = policykg("load", str(folder), env=env)
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr
    assert document_count(env) == 5


def test_a_checkpoint_left_pending_by_a_killed_writer_is_recovered_by_the_next_read(tmp_path):
    """What a kill inside the final checkpoint leaves: a shadow file only a read-write open replays."""
    env = embedded_env(tmp_path)
    assert policykg("load", env=env).returncode == 0
    database = Path(env["POLICYKG_DB"])
    database.with_name(database.name + ".shadow").write_bytes(b"")
    for command in (("cypher", "MATCH (d:Document) RETURN count(d) AS n"), ("query", "documents"),
                    ("export", "--format", "json", "--out", str(tmp_path / "g.json"))):
        result = policykg(*command, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "recovery" not in result.stderr
    assert document_count(env) == 2


# -- Neo4j stopped mid-load ------------------------------------------------------------------------
class CuttableProxy:
    """A TCP proxy to the Neo4j server that goes dark (refuses and drops every connection) once
    the client has sent ``cut_after`` bytes: to the driver, the server has stopped."""

    def __init__(self, target: tuple[str, int], cut_after: int) -> None:
        self.target, self.cut_after, self.sent = target, cut_after, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut = threading.Event()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.cut.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, from_client: bool) -> None:
        try:
            while data := source.recv(65536):
                if from_client:
                    with self.lock:
                        self.sent += len(data)
                        if self.sent > self.cut_after:
                            self.go_dark()
                            return
                sink.sendall(data)
        except OSError:
            pass

    def go_dark(self) -> None:
        self.cut.set()
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@pytest.mark.skipif(not neo4j_available() and os.environ.get("POLICYKG_REQUIRE_NEO4J") != "1",
                    reason="no Neo4j server (scripts/neo4j start)")
def test_neo4j_lost_mid_load_stops_soon_says_what_loaded_and_a_rerun_completes(tmp_path):
    open_test_store("neo4j", tmp_path).close()  # an empty database (and the test fails without a server)
    folder = tmp_path / "plans"
    write_plans(folder, 40)
    host, port = os.environ["NEO4J_URI"].rsplit("//", 1)[1].rsplit(":", 1)
    proxy = CuttableProxy((host, int(port)), cut_after=400_000)
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{proxy.port}"}
    result = policykg("load", str(folder), "--store", "neo4j", env=env, timeout=240)
    assert proxy.cut.is_set()
    assert result.returncode == 1
    assert "the load stopped: Neo4j at bolt://127.0.0.1:" in result.stderr and "stopped answering" in result.stderr
    assert "run the same command again" in result.stderr
    assert "Transaction failed and will be retried" not in result.stderr  # the driver's own warnings
    assert result.stderr.count("\n") <= 3, result.stderr
    loaded = int(re.search(r"loaded (\d+) document\(s\)", result.stdout).group(1))
    not_loaded = int(re.search(r"; (\d+) document\(s\) not loaded", result.stderr).group(1))
    assert 0 < loaded < 40 and loaded + not_loaded == 40
    rerun = policykg("load", str(folder), "--store", "neo4j", env=dict(os.environ), timeout=240)
    assert rerun.returncode == 0, rerun.stderr
    assert f"loaded 40 document(s) into Neo4j at {os.environ['NEO4J_URI']}" in rerun.stdout
    from graph.neo4j_store import Neo4jStore

    assert Neo4jStore.from_environment().counts()["Document"] == 40


# -- the app sees a load by another process ---------------------------------------------------------
@pytest.mark.skipif(not neo4j_available() and os.environ.get("POLICYKG_REQUIRE_NEO4J") != "1",
                    reason="no Neo4j server (scripts/neo4j start)")
def test_the_app_on_neo4j_shows_what_another_process_loaded_without_a_restart(tmp_path):
    from tests.apptest import clear_caches, open_page

    open_test_store("neo4j", tmp_path).close()
    clear_caches()
    try:
        at = open_page("explorer/pages/agencies.py")  # first start: the bundled plans
        assert at.multiselect(key="agencies-cities").options == ["仙桃市", "鄂州市"]
        extra = write_plans(tmp_path / "plans", 3)
        result = policykg("load", *map(str, extra), "--store", "neo4j", env=dict(os.environ))
        assert result.returncode == 0, result.stderr
        at.run()  # the matrix is drawn from the cached graph: it must see the new plans' cities
        assert not at.exception
        assert len(at.multiselect(key="agencies-cities").options) > 2
    finally:
        clear_caches()


# -- credentials ------------------------------------------------------------------------------------
@pytest.mark.skipif(not neo4j_available() and os.environ.get("POLICYKG_REQUIRE_NEO4J") != "1",
                    reason="no Neo4j server (scripts/neo4j start)")
def test_credentials_in_neo4j_uri_work_and_are_never_printed(tmp_path):
    open_test_store("neo4j", tmp_path).close()
    password = os.environ["NEO4J_PASSWORD"]
    address = os.environ["NEO4J_URI"].rsplit("//", 1)[1]
    base = {k: v for k, v in os.environ.items() if k not in ("NEO4J_USER", "NEO4J_PASSWORD")}
    good = {**base, "NEO4J_URI": f"bolt://neo4j:{password}@{address}"}
    loaded = policykg("load", "--store", "neo4j", env=good)
    assert loaded.returncode == 0, loaded.stderr
    answered = policykg("cypher", "MATCH (d:Document) RETURN count(d) AS n", "--store", "neo4j", env=good)
    assert answered.returncode == 0 and "2" in answered.stdout
    wrong = {**base, "NEO4J_URI": f"bolt://neo4j:Wr0ngSecret@{address}"}
    refused = policykg("cypher", "RETURN 1", "--store", "neo4j", env=wrong)
    assert refused.returncode == 1 and "refused the credentials" in refused.stderr
    query_auth = {**good, "NEO4J_URI": f"bolt://neo4j:{password}@{address}?auth=Sup3rSecret"}
    again = policykg("load", "--store", "neo4j", env=query_auth)
    for result in (loaded, answered, refused, again):
        text = result.stdout + result.stderr
        assert password not in text and "Wr0ngSecret" not in text and "Sup3rSecret" not in text, text
    assert f"into Neo4j at bolt://{address}" in loaded.stdout
