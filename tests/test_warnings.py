"""Typed warnings: the loaders say a code and its values, the catalogue gives the words, nothing parses prose."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from loaders import extract_text
from loaders.warning import catalogue, warning

LOADERS = Path(__file__).resolve().parent.parent / "loaders"
# warning("code", …) in the loaders, and the codes _align hands back for warning(problem, …).
_CODE_RE = re.compile(r"""warning\(\s*"(\w+)"|problem = "(\w+)\"""")


def codes_in_the_loaders() -> set[str]:
    found = set()
    for path in LOADERS.glob("*.py"):
        for match in _CODE_RE.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found - {"no_such_code"}  # the doctest of an unknown code


def test_every_code_the_loaders_say_is_in_the_catalogue_and_every_entry_is_said():
    assert codes_in_the_loaders() == set(catalogue())


def test_a_warning_is_its_code_its_values_and_the_english_filled_in():
    made = warning("place_two_equal", first="甲市", second="乙市")
    assert made.model_dump() == {
        "code": "place_two_equal", "values": {"first": "甲市", "second": "乙市"},
        "message": "place not settled: the text names 甲市 and 乙市 about as often; "
                   "city, province and level left unknown"}


def test_an_unknown_code_is_a_programming_error_not_a_silent_message():
    with pytest.raises(KeyError, match=r"not a warning of data/warnings\.toml"):
        warning("nothing_like_it")


def test_a_plan_s_warnings_are_typed_and_their_messages_are_what_extract_prints():
    doc = extract_text("（一）建设平台。\n（二）建设园区。（牵头单位：市奇怪办公处；责任单位：市科技局）\n")
    assert [w.code for w in doc.warnings] == ["city_unknown", "actions_without_note", "agencies_unknown_kind"]
    assert doc.warning_messages == [
        "city not stated and not inferable from the text", "1 action(s) without a responsibility note: （一）",
        "agencies not in the alias table (kind unknown): 市奇怪办公处"]


def test_extract_json_keeps_the_code_and_values_beside_a_readable_message(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("一、任务\n（一）建设平台。\n（二）建设园区。（牵头单位：市科技局）\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "policykg", "extract", str(path), "--json"],
                            capture_output=True, text=True, check=True)
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["warnings"][1] == {"code": "actions_without_note", "values": {"count": "1", "numbers": "（一）"},
                                  "message": "1 action(s) without a responsibility note: （一）"}
