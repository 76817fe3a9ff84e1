"""Interface words in Chinese (the default) and English, kept as data in ``data/ui/*.toml``.

Each file holds one table per key, ``[key]`` with ``zh`` and ``en``; one file per
page keeps pages independent. ``styles.toml`` beside them is the network drawing's styles (views.draw).

>>> translate("app.title", "en")
'policykg: action plans explorer'
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from loaders.model import LoaderWarning
from loaders.warning import catalogue

UI_DIR = Path(__file__).resolve().parent.parent / "data" / "ui"
#: The one file of ``data/ui/`` that holds no words: how views.draw draws (colours, shapes, legend names).
STYLES_FILE = "styles.toml"
LANGUAGES = {"zh": "中文", "en": "English"}


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for path in sorted(p for p in UI_DIR.glob("*.toml") if p.name != STYLES_FILE):
        with path.open("rb") as handle:
            for key, value in _flatten(tomllib.load(handle)).items():
                if key in table:
                    raise ValueError(f"{path.name}: interface key {key!r} is defined twice")
                table[key] = value
    return table


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    flat: dict[str, dict[str, str]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and "zh" in value:
            flat[name] = value
        elif isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
    return flat


def translate(key: str, language: str = "zh", **values: object) -> str:
    """The words for ``key`` in ``language``; ``{name}`` placeholders are filled from ``values``."""
    entry = strings().get(key)
    if entry is None:
        raise KeyError(f"no interface text {key!r} in data/ui/")
    text = entry.get(language) or entry["zh"]
    return text.format(**values) if values else text


def translate_or(key: str, fallback: str, language: str = "zh") -> str:
    """``translate``, or ``fallback`` when ``data/ui/`` has no words for ``key`` (a value we did not foresee)."""
    try:
        return translate(key, language)
    except KeyError:
        return fallback


def value_word(field: str, value: str | None, language: str = "zh") -> str:
    """The words for a value taken from the data (``values.<field>.<value>``), the value itself if none, '' for None.

    >>> value_word("basis", "first-listed"), value_word("level", "city", "en"), value_word("level", "town")
    ('列第一位（推定）', 'city', 'town')
    """
    return translate_or(f"values.{field}.{value}", value, language) if value else ""


def translate_warning(warning: LoaderWarning, language: str = "zh") -> str:
    """A loader warning in ``language``: its code's text in ``data/warnings.toml``, filled with its values.

    Values named level… hold a level of government, said in the language's words.

    >>> from loaders.warning import warning as make
    >>> translate_warning(make("irregular_numbering", written="（3）", read="（三）"))
    '编号不规则：（3） 按 （三） 读取'
    >>> translate_warning(make("level_without_place", level="county"), "en")
    'level county read from the units the plan names; its place is not named'
    """
    entry = catalogue()[warning.code]
    values = {name: value_word("level", value, language) if name.startswith("level") else value
              for name, value in warning.values.items()}
    return (entry.get(language) or entry["zh"]).format(**values)


def language() -> str:
    """The language chosen in this session (Chinese unless the user switched)."""
    import streamlit as st

    return st.session_state.get("language", "zh")


def t(key: str, **values: object) -> str:
    """``translate`` in the session's language: the form pages use."""
    return translate(key, language(), **values)


def t_or(key: str, fallback: str) -> str:
    """``translate_or`` in the session's language."""
    return translate_or(key, fallback, language())


def v(field: str, value: str | None) -> str:
    """``value_word`` in the session's language."""
    return value_word(field, value, language())
