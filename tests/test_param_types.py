"""Query parameter types are one registry: the query files, the runner and the explorer's forms read it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from queries.library import QueryFileError, _parse_param, load_library
from queries.param_types import PARAM_TYPES
from queries.resolve import QueryParameterError
from queries.runner import store_types

ROOT = Path(__file__).resolve().parent.parent


def test_every_type_a_query_declares_is_in_the_registry_with_a_store_type():
    declared = {param.type for query in load_library().values() for param in query.params}
    assert declared <= set(PARAM_TYPES)
    assert {t.store_type for t in PARAM_TYPES.values()} <= {"STRING", "INT64", "STRING[]"}


def test_a_type_outside_the_registry_is_refused_when_the_query_file_is_read():
    with pytest.raises(QueryFileError, match="cannot read parameter line"):
        _parse_param(Path("x.cypher"), "year: float — 年份")


def test_the_runner_declares_each_parameter_s_store_type_from_the_registry():
    assert store_types(load_library()["actions-led-by"]) == {"agency": "STRING[]", "city": "STRING"}


def test_the_names_a_form_offers_come_from_the_registry_and_the_store(seeded):
    assert PARAM_TYPES["city"].suggest(seeded) == ["仙桃市", "鄂州市"]
    agencies = PARAM_TYPES["agency"].suggest(seeded)
    assert "市科技局" in agencies  # as written, an alias of both cities' bureaus
    assert {"鄂州市科技局", "仙桃市科技局"} <= set(agencies) and agencies == sorted(set(agencies))
    documents = PARAM_TYPES["document"].suggest(seeded)
    assert documents == ["ezhou-ai-action-plan.txt", "xiantao-ai-action-plan-2025-2027.txt"]
    assert "科技局" in PARAM_TYPES["kind"].suggest(seeded)
    assert PARAM_TYPES["entity_type"].suggest(seeded)[:2] == ["District", "Park"]
    assert PARAM_TYPES["string"].suggest is None and PARAM_TYPES["action"].suggest is None


def test_a_whole_number_parameter_says_which_and_what_it_got():
    with pytest.raises(QueryParameterError, match="year must be a whole number, not 'soon'"):
        PARAM_TYPES["int"].resolve(None, "soon", {}, "year")


def test_no_module_outside_the_registry_dispatches_on_a_parameter_type_name():
    """Adding a type is one entry: nothing else compares a parameter's type with a type's name."""
    names = set(PARAM_TYPES) - {"string", "int"}
    offenders = []
    for folder in ("queries", "explorer", "policykg", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "param_types.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Compare) and any(
                        isinstance(c, ast.Constant) and c.value in names for c in node.comparators) and (
                        (isinstance(node.left, ast.Name) and node.left.id == "type_name")
                        or (isinstance(node.left, ast.Attribute) and node.left.attr == "type")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
