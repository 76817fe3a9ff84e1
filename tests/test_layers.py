"""The layers import only the layers before them: loaders → graph → queries → views → the two faces
(explorer with app.py, and the policykg command line), and neither face imports the other.

Every ``import`` and ``from … import`` in the source tree is read with ``ast`` (also those inside
functions, which run only on some paths), so a lazy import across a boundary fails here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Each layer, and the packages it may import (besides itself, the standard library and third parties).
ALLOWED: dict[str, set[str]] = {
    "loaders": set(),
    "graph": {"loaders"},
    "queries": {"loaders", "graph"},
    "views": {"loaders", "graph", "queries"},
    "explorer": {"loaders", "graph", "queries", "views"},
    "policykg": {"loaders", "graph", "queries", "views"},
}
LAYERS = set(ALLOWED)


def sources(layer: str) -> list[Path]:
    if layer == "explorer":
        return [*sorted((ROOT / "explorer").rglob("*.py")), ROOT / "app.py"]
    return sorted((ROOT / layer).rglob("*.py"))


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return sorted(found)


def imported_packages(path: Path) -> list[tuple[int, str]]:
    """The imports of ``path`` that name one of the layers."""
    return [(line, package) for line, package in imports(path) if package in LAYERS]


def crossings(layer: str) -> list[str]:
    allowed = ALLOWED[layer] | {layer}
    return [f"{path.relative_to(ROOT)}:{line} imports {package}"
            for path in sources(layer) for line, package in imported_packages(path) if package not in allowed]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_before_it(layer):
    assert sources(layer), f"no sources found for {layer}"
    assert crossings(layer) == []


def test_no_layer_but_the_command_line_imports_the_command_line():
    found = [c for layer in ALLOWED if layer != "policykg" for c in crossings(layer) if c.endswith("policykg")]
    assert found == []


def test_neither_face_imports_the_other():
    assert [c for c in crossings("explorer") if c.endswith("policykg")] == []
    assert [c for c in crossings("policykg") if c.endswith("explorer")] == []


def test_graph_holds_no_drawing_and_views_hold_no_streamlit():
    """Drawing is a view (views/), not part of the graph; views are pure functions both faces use."""
    assert not (ROOT / "graph" / "draw.py").exists() and not (ROOT / "graph" / "styles.toml").exists()
    assert (ROOT / "data" / "ui" / "styles.toml").is_file()
    streamlit = [f"{path.relative_to(ROOT)}:{line}" for path in sources("views")
                 for line, package in imports(path) if package == "streamlit"]
    assert streamlit == []


def test_the_check_sees_a_crossing(tmp_path):
    """The import reader finds imports inside functions and dotted ones: a check that cannot fail proves nothing."""
    sample = tmp_path / "sample.py"
    sample.write_text("import json\nfrom views.draw import x\n\ndef f():\n    import policykg.output\n"
                      "    from . import y\n", encoding="utf-8")
    assert imported_packages(sample) == [(2, "views"), (5, "policykg")]
