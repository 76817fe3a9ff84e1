"""Shared test setup: repo root on sys.path, fixture loading, and the session's store of the bundled plans.

The two bundled plans (data/corpus) are extracted once per session and loaded once into an
embedded store (``bundled_store``); every test that needs a seeded embedded store gets a copy of
that store's files (``seeded``, ``store_path``), so a test that writes changes only its copy.
Shared fixtures live here or in the plugin modules below, never in a test module: no test
module imports from another (tests/test_suite_layout.py checks).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Fixtures the AppTest suites share: store_path (the app's own copy of the seeded store), downloads.
pytest_plugins = ["tests.apptest"]


def pytest_configure(config):
    config.addinivalue_line("markers", "empty_store: the test's embedded store (store_path, the CLI's) starts empty, "
                            "as on a new machine, instead of as a copy of the session's store of the bundled plans")


@pytest.fixture
def fixture_path():
    """fixture_path("name.txt") -> Path of a file in tests/fixtures (must exist)."""

    def _path(name: str) -> Path:
        path = FIXTURES / name
        assert path.is_file(), f"missing fixture {name}: run python tests/fixtures/make_fixtures.py"
        return path

    return _path


@pytest.fixture
def load(fixture_path):
    """load("name.txt") -> PlanDocument read with loaders.extract_path."""
    from loaders import extract_path

    def _load(name: str):
        return extract_path(fixture_path(name))

    return _load


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory):
    """The two bundled plans in an embedded store, built once per session and closed (a
    tests.stores.BundledStore): copy it with ``copy_to`` / ``open_copy``, never open it."""
    from tests.stores import build_bundled_store

    store = build_bundled_store(tmp_path_factory.mktemp("bundled") / "graph.lbdb")
    before = store.fingerprint()
    yield store
    assert store.fingerprint() == before, "a test changed the session's bundled store: give it a copy"


@pytest.fixture
def bundled_plans():
    """File name -> PlanDocument of each bundled plan, extracted once per session; the test's own deep copies."""
    from tests.stores import bundled_plans

    return bundled_plans()


@pytest.fixture(scope="module", params=("embedded", "neo4j"))
def seeded(request, tmp_path_factory):
    """A store of each kind holding the two bundled plans (module-scoped: one per test module).

    The embedded one is a copy of the session's ``bundled_store``; the Neo4j one is the shared
    server's database, cleared and loaded.
    """
    from tests.stores import seeded_store

    folder = tmp_path_factory.mktemp(f"{request.param}-store")
    if request.param == "embedded":
        store = request.getfixturevalue("bundled_store").open_copy(folder / "graph.lbdb")
    else:
        store = seeded_store(request.param, folder)
    yield store
    store.close()
