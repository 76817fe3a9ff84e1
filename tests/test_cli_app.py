"""`policykg app` as a process: a kill of it stops the Streamlit server it started, leaving no orphan."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not read its status yet


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_policykg_app_stops_its_server_and_it_exits_with_it(signum, tmp_path, bundled_store):
    database = tmp_path / "graph.lbdb"
    bundled_store.copy_to(database)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")} | {"POLICYKG_DB": str(database)}
    port = free_port()
    app = subprocess.Popen([sys.executable, "-m", "policykg", "app", "--port", str(port)], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: listening(port)), "the explorer did not start"
        [server] = children(app.pid)
        app.send_signal(signum)
        assert app.wait(timeout=30) == 128 + signum
        assert wait_for(lambda: not alive(server), timeout=15), "the Streamlit server outlived policykg app"
        assert not listening(port)
    finally:
        for pid in [*children(app.pid), app.pid]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
