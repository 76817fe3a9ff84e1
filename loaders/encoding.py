"""Turn the bytes of a plain-text plan into text without being told the encoding.

Plans arrive as UTF-8 (with or without BOM), GB18030/GBK, or UTF-16 with a BOM.
A BOM decides; otherwise strict UTF-8 is tried first, because GB18030 accepts
almost any byte string and would silently garble UTF-8 text.
"""

from __future__ import annotations

import codecs

from loaders.errors import LoaderError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed
# do not occur in text; a handful means the bytes are not a text file.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def decode_text_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text file.

    >>> decode_text_bytes("行动方案".encode("gb18030"), "a.txt")
    ('行动方案', 'gb18030')
    """
    if not data.strip():
        raise LoaderError(source, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding
            except UnicodeDecodeError as err:
                raise LoaderError(source, f"not valid {encoding} text at byte {err.start}") from None
    if _looks_like_utf16_without_bom(data):
        raise LoaderError(source, "looks like UTF-16 without a byte-order mark; save it with a BOM or as UTF-8")
    if b"\x00" in data[:4096] or _control_ratio(data[:4096]) > 0.01:
        raise LoaderError(source, "binary file, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise LoaderError(source, "undecodable text: neither UTF-8, GB18030/GBK nor UTF-16")


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    head = data[:4096]
    zeros_even = head[0::2].count(0)
    zeros_odd = head[1::2].count(0)
    half = max(len(head) // 2, 1)
    # ASCII-heavy UTF-16 has a zero in every other byte.
    return max(zeros_even, zeros_odd) > 0.4 * half and min(zeros_even, zeros_odd) < 0.05 * half


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    return sum(1 for b in data if b in _CONTROL) / len(data)
