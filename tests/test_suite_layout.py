"""The test suite's own layout: shared fixtures and helpers live in tests/conftest.py and the helper
modules (tests/stores.py, tests/apptest.py, tests/browser.py), never in a test module another imports.

Importing from a test module runs its module-level setup a second time, registers its fixtures
again under the importer's name and ties two suites together, so that editing one breaks the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) of every import in the file, relative ones resolved within tests/."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "tests" if node.level == 1 else ("" if node.level > 1 else None)
            module = node.module or ""
            if base is not None:
                module = ".".join(part for part in (base, module) if part)
            found.append((node.lineno, module))
            # ``from tests import test_x`` imports the test module itself
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names if module == "tests")
    return found


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and parts[0] == "tests" and parts[1].startswith("test_")


def test_no_test_module_imports_from_another_test_module():
    offenders = [f"{path.name}:{line}: imports {name}"
                 for path in sorted(TESTS.glob("test_*.py"))
                 for line, name in imported_modules(path) if is_test_module(name)]
    assert offenders == [], "move what is shared into tests/conftest.py or a helper module:\n" + "\n".join(offenders)


def test_the_check_sees_each_way_of_importing_a_test_module(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text("import tests.test_a\nfrom tests.test_b import x\nfrom tests import test_c\n"
                      "from .test_d import y\nfrom tests.stores import SEED_COUNTS\nfrom . import apptest\n",
                      encoding="utf-8")
    names = [name for _, name in imported_modules(sample) if is_test_module(name)]
    assert names == ["tests.test_a", "tests.test_b", "tests.test_c", "tests.test_d"]


def test_each_copy_of_the_bundled_store_is_a_test_s_own(bundled_store, tmp_path):
    """What one test writes to its copy of the session's store is seen by no other copy; a copy
    already holds the bundled plans, so the app's first start loads nothing."""
    from graph.loading import ensure_loaded
    from graph.records import document_records
    from loaders import extract_text
    from tests.apptest import XSS_PLAN
    from tests.stores import SEED_COUNTS

    before = bundled_store.fingerprint()
    with bundled_store.open_copy(tmp_path / "one" / "graph.lbdb") as one:
        assert ensure_loaded(one) is None
        one.load(document_records(extract_text(XSS_PLAN, "xss-plan.txt")))
        assert one.counts()["Document"] == 3
    with bundled_store.open_copy(tmp_path / "two" / "graph.lbdb") as two:
        assert two.counts() == SEED_COUNTS
    assert bundled_store.fingerprint() == before
