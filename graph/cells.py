"""The shapes of result values, and cells a spreadsheet opens as text: the one place both faces share.

The command line (``policykg … --csv``, ``policykg export --format csv``) and the explorer's CSV and
Excel downloads all write their cells through this module, so a unit named ``=cmd|' /C calc'!A0`` or
``+1-2办`` in a plan reaches a spreadsheet as the text it is, never as a formula (CWE-1236):

- CSV has no types, so text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  gets a leading ``'`` (OWASP's advice: Excel, LibreOffice and Google Sheets then show it as text).
  Numbers given as numbers (ints and floats, negative ones too) stay numbers.
- Excel has types: every text cell is written with ``data_type = "s"``, the text unchanged. openpyxl
  would otherwise make any text starting with ``=`` a formula (and ``#N/A`` an error value).

Nodes, relationships and paths in results have the shape of :mod:`graph.values` (:func:`is_node`,
:func:`is_relationship`, :func:`is_path`); a map that merely looks like one (a ``"~label"`` with no
``"~key"``, a key that is not text …) is a plain value. How a value reads as text is
:func:`views.naming.cell_text`.

>>> [csv_cell(v) for v in ["=1+1", "+1-2办", "-3", -3, 2.5, "@SUM(A1)", "\\t=1", "市科技局", None]]
["'=1+1", "'+1-2办", "'-3", -3, 2.5, "'@SUM(A1)", "'\\t=1", '市科技局', None]
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------------------------- result values

def is_node(value: Any) -> bool:
    """A node as the stores return it: ``{"~label": str, "~key": str, …}``."""
    return (isinstance(value, dict) and isinstance(value.get("~label"), str)
            and isinstance(value.get("~key"), str))


def is_relationship(value: Any) -> bool:
    """A relationship as the stores return it: ``{"~type": str, "~start": str, "~end": str, …}``."""
    return (isinstance(value, dict) and isinstance(value.get("~type"), str)
            and isinstance(value.get("~start"), str) and isinstance(value.get("~end"), str))


def is_path(value: Any) -> bool:
    """A path as the stores return it: ``{"~path": [nodes and relationships]}`` and nothing else."""
    return (isinstance(value, dict) and set(value) == {"~path"} and isinstance(value["~path"], list)
            and all(is_node(item) or is_relationship(item) for item in value["~path"]))


# --------------------------------------------------------------------------------------------- spreadsheets

def is_number(value: Any) -> bool:
    """An int or a float given as one (not text that reads as a number, not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` (as a CSV cell) as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV cell: text a spreadsheet would run as a formula gets a leading ``'``; anything
    that is not text (numbers, negative ones too; None) is returned unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def xlsx_bytes(columns: Sequence[Any], rows: Iterable[Sequence[Any]], sheet: str = "Sheet1") -> bytes:
    """An Excel workbook of one sheet: a bold header row, then ``rows``.

    Text cells are typed as text (``data_type "s"``) with the text unchanged, whatever it starts with;
    ints and floats are numbers, bools booleans, None, NaN and "" blank; anything else is written as its text.
    Characters Excel cannot hold (control characters other than tab, newline and carriage return) are dropped.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet
    bold = Font(bold=True)
    for index, name in enumerate(columns, start=1):
        write_cell(worksheet.cell(row=1, column=index), name).font = bold
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            write_cell(worksheet.cell(row=row_number, column=index), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_cell(cell, value: Any):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return cell  # blank
    if isinstance(value, bool) or (is_number(value) and math.isfinite(value)):
        cell.value = value
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", value if isinstance(value, str) else str(value))
    cell.value = text
    cell.data_type = "s"  # after the value: openpyxl types text starting with "=" as a formula
    return cell
