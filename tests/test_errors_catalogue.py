"""data/errors.toml: every error a person can mend has its words in English and Chinese, and every entry is said."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from graph.corrections import CorrectionError
from loaders.explained import error_catalogue, explained_text
from queries.resolve import QueryParameterError

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [path for folder in ("loaders", "graph", "queries") for path in (ROOT / folder).glob("*.py")]
RAISED = re.compile(r"(?:CorrectionError|QueryParameterError|GivenGovernmentError|Explained)\(\s*\"([a-z_]+)\"")
AMBIGUOUS = ("document", "action", "agency", "target")  # queries.corrections._one says ambiguous_<what>


def source_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)


def test_every_code_raised_has_words():
    raised = set(RAISED.findall(source_text()))
    assert raised and raised <= set(error_catalogue()["errors"])


def test_every_entry_is_said_somewhere():
    text = source_text()
    unsaid = [code for code in error_catalogue()["errors"]
              if f'"{code}"' not in text and code.removeprefix("ambiguous_") not in AMBIGUOUS]
    assert unsaid == []


@pytest.mark.parametrize("code", sorted(error_catalogue()["errors"]))
def test_each_entry_has_both_languages_and_the_same_values_in_each(code):
    entry = error_catalogue()["errors"][code]
    assert set(entry) <= {"en", "zh", "cli"} and entry["en"] and entry["zh"]
    names = {language: {field for _, field, _, _ in string.Formatter().parse(text) if field}
             for language, text in entry.items()}
    bare = {language: {field.split("!")[0].removesuffix("_en").removesuffix("_zh") for field in fields}
            for language, fields in names.items()}
    assert bare["en"] == bare["zh"], code  # one language may not drop a value the other says
    assert not re.search(r"[\u4e00-\u9fff]", entry["en"] + entry.get("cli", ""))


def test_the_explorer_is_told_without_flags_and_the_command_line_with_them():
    error = CorrectionError("needs_agency", kind="lead", kind_en="replace the action's lead units",
                            kind_zh="更正牵头单位")
    assert str(error) == "lead needs --agency"
    assert error.text("en") == "replace the action's lead units: give at least one unit"
    assert error.text("zh") == "更正牵头单位：请至少给出一个单位"


def test_closest_names_stay_on_the_error_for_a_page_to_offer():
    error = QueryParameterError("no_agency", value="市科技厅", city=None, closest=["市科技局", "市科协"])
    assert error.values["closest"] == ["市科技局", "市科协"]
    assert error.text("zh") == "没有名为“市科技厅”的机构；最接近的：市科技局、市科协"
    assert explained_text("no_agency", {"value": "x", "closest": []}, "en") == "no agency named 'x'"
