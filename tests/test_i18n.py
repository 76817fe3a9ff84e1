"""Interface words: every loader warning reads in Chinese by its code, values from the data have words in both
languages."""

from __future__ import annotations

import re

import pytest

from explorer.i18n import translate_warning, value_word
from graph.loading import BUNDLED_CORPUS
from loaders import extract_path, extract_text
from loaders.model import LoaderWarning
from loaders.warning import catalogue, warning
from tests.apptest import ROOT

UNKNOWN_CITY_PLAN = """某市人工智能行动方案

一、任务
（一）建设平台。
（二）建设园区。（牵头单位：市奇怪办公处；责任单位：市科技局）
"""


def every_warning_kind() -> list[LoaderWarning]:
    """One warning of each of five kinds the loaders give, from real extractions."""
    ezhou = extract_path(BUNDLED_CORPUS / "ezhou-ai-action-plan.txt").warnings
    invented = extract_text(UNKNOWN_CITY_PLAN, "x.txt").warnings
    return ezhou + invented


def test_the_extractions_give_five_warning_kinds_as_codes_with_values():
    assert [(w.code, w.values) for w in every_warning_kind()] == [
        ("city_inferred", {"city": "鄂州市"}),
        ("irregular_numbering", {"written": "（3）", "read": "（三）"}),
        ("city_unknown", {}),
        ("actions_without_note", {"count": "1", "numbers": "（一）"}),
        ("agencies_unknown_kind", {"names": "市奇怪办公处"}),
    ]
    assert [w.message for w in every_warning_kind()] == [
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
    assert [translate_warning(w, "en") for w in every_warning_kind()] == [w.message for w in every_warning_kind()]


def test_every_warning_the_fixtures_and_bundled_plans_give_reads_in_chinese():
    """Every plan the tests keep, read as a user would: each warning has Chinese words, none left in English."""
    from loaders import LoaderError, plan_files

    codes = set()
    for source in plan_files([ROOT / "tests" / "fixtures", BUNDLED_CORPUS]):
        try:
            warnings = extract_path(source).warnings
        except LoaderError:
            continue
        for given in warnings:
            chinese = translate_warning(given)
            assert chinese != given.message and re.search("[\u4e00-\u9fff]", chinese), given
            assert translate_warning(given, "en") == given.message
            codes.add(given.code)
    # the kinds these plans show (a folder's README is not one of them); tests/test_warnings.py covers every code
    assert len(codes) == 9


def test_a_level_in_a_warning_is_said_in_the_chosen_language():
    level = warning("level_without_place", level="county")
    assert translate_warning(level) == "层级（县级）由方案所列单位读出；所属地方未写明"
    assert translate_warning(level, "en") == level.message == (
        "level county read from the units the plan names; its place is not named")


def test_both_languages_of_every_warning_use_the_same_values():
    entries = catalogue()
    assert len(entries) == 28
    for code, entry in entries.items():
        assert set(re.findall(r"\{(\w+)\}", entry["zh"])) == set(re.findall(r"\{(\w+)\}", entry["en"])), code


@pytest.mark.parametrize(("field", "values"), [
    ("basis", ("explicit", "first-listed", "corrected")),
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
