"""Shared test setup: repo root on sys.path, and fixture loading."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Fixtures the AppTest suites share: store_path (a fresh embedded store), downloads.
pytest_plugins = ["tests.apptest"]


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


@pytest.fixture(scope="module", params=("embedded", "neo4j"))
def seeded(request, tmp_path_factory):
    """A store of each kind holding the two bundled plans (module-scoped: loaded once per test module)."""
    from tests.stores import seeded_store

    store = seeded_store(request.param, tmp_path_factory.mktemp(f"{request.param}-store"))
    yield store
    store.close()
