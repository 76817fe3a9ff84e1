"""Query results for people (aligned text tables) and for tools (JSON, CSV).

Cells are :func:`graph.cells.cell_text`, the one cell formatter the explorer uses too.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from graph.cells import cell_text, csv_cell, is_number, node_name

__all__ = ["cell_text", "display_width", "node_name", "parse_params", "result_csv", "result_json", "text_table"]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def text_table(columns: list[str], rows: list[list[Any]], max_width: int = 60) -> str:
    """An aligned table; CJK characters count double, long cells are cut with …"""
    cells = [[_clip(cell_text(value), max_width) for value in row] for row in rows]
    widths = [display_width(c) for c in columns]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    clipped = ""
    for char in text:
        if display_width(clipped + char) > width - 1:
            break
        clipped += char
    return clipped + "…"


def result_json(columns: list[str], rows: list[list[Any]]) -> str:
    return json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False, indent=1)


def result_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """Rows as CSV: cells as :func:`cell_text` writes them; text a spreadsheet would run as a formula starts with '.

    >>> result_csv(["unit", "n"], [["=cmd|' /C calc'!A0", -3], ["+1-2办", 2.0]]).splitlines()
    ['unit,n', "'=cmd|' /C calc'!A0,-3", "'+1-2办,2"]
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(str(column)) for column in columns])
    for row in rows:
        writer.writerow([cell_text(value) if is_number(value) else csv_cell(cell_text(value)) for value in row])
    return buffer.getvalue()


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``k=v`` pairs; a value that reads as JSON (numbers, true, lists) is that value, else a string.

    >>> parse_params(["agency=市科技局", "year=2027", "ids=[1, 2]"])
    {'agency': '市科技局', 'year': 2027, 'ids': [1, 2]}
    """
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param {pair!r}: write it as name=value")
        try:
            params[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[key.strip()] = value
    return params
