"""Length-preserving normalisation of plan text for matching.

Matching runs on a normalised copy of the text: traditional characters become
simplified (OpenCC's character table), full-width ASCII becomes half-width and
the ideographic space a plain space. The copy has exactly the length of the
original, so every offset found in it is a valid span of the original text,
which is what provenance and display use.

>>> normalize_for_matching("（責任單位：縣科技局）")
'(责任单位:县科技局)'
"""

from __future__ import annotations

from functools import lru_cache

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@lru_cache(maxsize=1)
def _translation_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table[0xFEFF] = " "  # a BOM left inside the text
    table[0x00A0] = " "
    table.update(_traditional_to_simplified())
    return table


def _traditional_to_simplified() -> dict[int, str]:
    """One simplified character per traditional one, taken from OpenCC.

    OpenCC converts phrases too, which can change length; converting each
    character on its own line keeps the mapping one-to-one.
    """
    import opencc

    chars = [chr(code) for low, high in _CJK_RANGES for code in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC never merges lines
        raise RuntimeError("OpenCC changed the number of lines while building the t2s table")
    return {ord(src): dst for src, dst in zip(chars, converted, strict=True) if src != dst and len(dst) == 1}


def normalize_for_matching(text: str) -> str:
    """Return ``text`` simplified and half-width, with the same length."""
    return text.translate(_translation_table())


def search_form(name: str) -> str:
    """A name as it is looked up: simplified, half-width, no spaces (a PDF's line wraps inside a name).

    >>> search_form("市數據局"), search_form("县水利 水产局")
    ('市数据局', '县水利水产局')
    """
    return "".join(normalize_for_matching(name).split())
