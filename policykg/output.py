"""Query results for people (aligned text tables) and for tools (JSON, CSV).

Cells are :func:`views.naming.cell_text`, the one cell formatter the explorer uses too; CSV cells a
spreadsheet would run as a formula are made text by :func:`graph.cells.csv_cell`.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from graph.cells import csv_cell, is_number
from views.naming import cell_text

__all__ = ["display_width", "result_csv", "result_json", "text_table"]


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
