"""Interface words: every loader warning reads in Chinese, values from the data have words in both languages."""

from __future__ import annotations

import re

import pytest

from explorer.i18n import strings, translate_warning, value_word
from graph.loading import BUNDLED_CORPUS
from loaders import extract_path, extract_text
from tests.apptest import ROOT

UNKNOWN_CITY_PLAN = """某市人工智能行动方案

一、任务
（一）建设平台。
（二）建设园区。（牵头单位：市奇怪办公处；责任单位：市科技局）
"""


def every_warning_kind() -> list[str]:
    """One warning of each kind the loaders give, from real extractions."""
    ezhou = extract_path(BUNDLED_CORPUS / "ezhou-ai-action-plan.txt").warnings
    invented = extract_text(UNKNOWN_CITY_PLAN, "x.txt").warnings
    return ezhou + invented


def test_the_extractions_give_all_five_warning_kinds():
    assert every_warning_kind() == [
        "no title line; city inferred from the text: 鄂州市",
        "irregular numbering: （3） read as （三）",
        "city not stated and not inferable from the text",
        "1 action(s) without a responsibility note: （一）",
        "agencies not in the alias table (kind unknown): 市奇怪办公处",
    ]


def test_every_loader_warning_reads_in_chinese_with_its_values_kept():
    assert [translate_warning(w) for w in every_warning_kind()] == [
        "没有标题行；城市由正文推断：鄂州市",
        "编号不规则：（3） 按 （三） 读取",
        "文件未写明城市，也无法从正文推断",
        "1 项行动没有责任分工注释：（一）",
        "以下单位不在别名表中（职能类别未知）：市奇怪办公处",
    ]


def test_every_loader_warning_reads_in_english_as_the_loader_said_it():
    assert [translate_warning(w, "en") for w in every_warning_kind()] == every_warning_kind()


def test_a_warning_no_pattern_knows_is_shown_as_it_is():
    assert translate_warning("something new happened") == "something new happened"


def test_every_warning_the_fixtures_and_bundled_plans_give_reads_in_chinese():
    """Every plan the tests keep, read as a user would: a warning without a pattern would show in English."""
    from loaders import LoaderError, plan_files

    untranslated = set()
    for source in plan_files([ROOT / "tests" / "fixtures", BUNDLED_CORPUS]):
        try:
            warnings = extract_path(source).warnings
        except LoaderError:
            continue
        untranslated |= {w for w in warnings if translate_warning(w) == w or translate_warning(w, "en") != w}
    assert untranslated == set()


def test_a_level_in_a_warning_is_said_in_the_chosen_language():
    warning = "level county read from the units the plan names; its place is not named"
    assert translate_warning(warning) == "层级（县级）由方案所列单位读出；所属地方未写明"
    assert translate_warning(warning, "en") == warning


def test_warning_patterns_compile_and_their_templates_use_only_their_groups():
    entries = {key: entry for key, entry in strings().items() if key.startswith("warning.")}
    assert len(entries) == 26
    for key, entry in entries.items():
        groups = set(re.compile(entry["pattern"]).groupindex)
        for language in ("zh", "en"):
            assert set(re.findall(r"\{(\w+)\}", entry[language])) == groups, (key, language)


@pytest.mark.parametrize(("field", "values"), [
    ("basis", ("explicit", "first-listed")),
    ("level", ("province", "city", "district", "county")),
    ("kind", ("action", "goal", "safeguard")),
])
def test_every_value_the_model_allows_has_words_in_both_languages(field, values):
    from typing import get_args

    from loaders import model

    literal = {"basis": model.LeadBasis, "level": model.Level, "kind": model.ActionKind}[field]
    assert set(get_args(literal)) == set(values)
    for value in values:
        assert value_word(field, value, "zh") != value and re.search(r"[\u4e00-\u9fff]", value_word(field, value))
        assert value_word(field, value, "en")
    assert value_word(field, None) == ""
