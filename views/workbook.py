"""The responsibility matrix as an Excel workbook people can print and pass on: no Streamlit.

Two sheets:

- the matrix (views.matrix.responsibility_matrix): a header row and the agency names frozen, columns as
  wide as their text (a CJK character counts twice), each action's header its label and title, cells
  filled by role with the colours of ``[matrix]`` in ``data/ui/styles.toml`` (the page's colours), each
  agency's totals (led, shared, total) and a last row with the units involved in each action;
- the key: what the sheet is (its government, the plans, the date it was made, how rows are ordered),
  each role's mark, name, colour and meaning, the other marks, and the actions the columns stand for.

Every cell is written by :mod:`graph.cells` (text typed as text, never a formula; numbers as numbers).
The words are the caller's (the page's, in the session's language): :class:`WorkbookWords`.

>>> file_name("责任矩阵", ["鄂州市"], date(2026, 12, 1))
'责任矩阵-鄂州市-2026-12-01.xlsx'
>>> file_name("responsibility-matrix", ["鄂州市", "仙桃市"], date(2026, 12, 1), "csv")
'responsibility-matrix-鄂州市-仙桃市-2026-12-01.csv'
>>> display_width("鄂州市科技局"), display_width("L*"), display_width("（一）")
(12, 2, 6)
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from graph.cells import write_cell  # the one cell writer: text as text, never a formula
from views.matrix import ACTION_INFO, MATRIX_COLUMNS, MATRIX_STYLE, ROLE_FILL_MARKS, ROLE_FILLS, cell_role

__all__ = ["WorkbookWords", "display_width", "file_name", "matrix_workbook"]

#: Widths in Excel's units (about one Latin character): bounds for a column, and the action columns' own.
MIN_WIDTH, MAX_WIDTH, ACTION_WIDTH = 6, 60, 9
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_GOVERNMENTS = 3  # more than this many governments in a file name: the word for all of them instead


@dataclass(frozen=True)
class WorkbookWords:
    """The words of the workbook, in one language.

    ``columns``: matrix column -> header (agency, type, member_of, led, shared, total);
    ``action_columns``: city, document, number, title -> header of the key's list of actions;
    ``types``: agency type -> its name; ``roles``: role (lead, first-listed, responsible, support) ->
    (name, meaning); ``marks``: the other marks and their meaning; ``list_separator`` between governments.
    """

    matrix_sheet: str
    key_sheet: str
    title: str
    about: str
    government: str
    plans: str
    made: str
    order: str
    order_text: str
    key_heading: str
    mark: str
    role: str
    colour: str
    meaning: str
    units_involved: str
    actions_heading: str
    column_label: str
    columns: Mapping[str, str]
    action_columns: Mapping[str, str]
    types: Mapping[str, str]
    roles: Mapping[str, tuple[str, str]]
    marks: Sequence[tuple[str, str]]
    list_separator: str = "、"


def display_width(text: str) -> int:
    """How many Latin-character widths ``text`` takes: wide and full-width characters (CJK) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def file_name(stem: str, governments: Sequence[str], made: date, suffix: str = "xlsx", *,
              many: str = "") -> str:
    """``<stem>-<government>…-<date>.<suffix>``; more than three governments: ``many`` instead of their names.

    Characters a file name should not hold become ``_``.

    >>> file_name("matrix", ["a/b"], date(2026, 1, 2)), file_name("m", list("abcd"), date(2026, 1, 2), many="all")
    ('matrix-a_b-2026-01-02.xlsx', 'm-all-2026-01-02.xlsx')
    """
    names = list(governments) if len(governments) <= MAX_GOVERNMENTS else ([many] if many else [])
    parts = [stem, *names, made.isoformat()]
    text = "-".join(re.sub(r"[^\w.-]+", "_", part).strip("_") for part in parts if part)
    return f"{text}.{suffix}"


def _fill(colour: str) -> PatternFill:
    rgb = "FF" + colour.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


_BOLD = Font(bold=True)
_THIN = Side(style="thin", color="FFD1D5DB")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def matrix_workbook(frame: pd.DataFrame, words: WorkbookWords, *, governments: Sequence[str],
                    plans: Sequence[str], made: date) -> bytes:
    """The workbook (xlsx bytes) of a matrix of :func:`views.matrix.responsibility_matrix`."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(words.matrix_sheet)
    _matrix_sheet(sheet, frame, words)
    _key_sheet(book.create_sheet(_sheet_title(words.key_sheet)), frame, words, governments, plans, made)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", text)[:31] or "Sheet"


def _matrix_sheet(sheet, frame: pd.DataFrame, words: WorkbookWords) -> None:
    actions = list(frame.attrs.get("action_columns", ()))
    info = frame.attrs.get("action_info", {})
    involved = frame.attrs.get("involved", {})
    values = frame.to_numpy(dtype=object)  # once: each column read from the frame would deep-copy its attrs
    data = {column: values[:, index].tolist() for index, column in enumerate(frame.columns)}
    styles = _Styles(sheet)
    headers = [words.columns.get(column, column) for column in MATRIX_COLUMNS]
    headers += [f"{label}\n{info.get(label, {}).get('title', '')}".strip() for label in actions]
    for index, text in enumerate(headers, start=1):
        styles.apply(write_cell(sheet.cell(row=1, column=index), text), "header_left" if index == 1 else "header")

    types = [words.types.get(value, value) for value in data["type"]]
    for offset in range(len(frame)):
        row_number = offset + 2
        for index, column in enumerate(MATRIX_COLUMNS, start=1):
            value = types[offset] if column == "type" else _plain(data[column][offset])
            cell = write_cell(sheet.cell(row=row_number, column=index), value)
            styles.apply(cell, "count" if column in ("led", "shared", "total") else "plain")
        for index, column in enumerate(actions, start=len(MATRIX_COLUMNS) + 1):
            text = str(data[column][offset] or "")
            styles.apply(write_cell(sheet.cell(row=row_number, column=index), text), cell_role(text) or "mark")

    last = len(frame) + 2
    for index in range(1, len(headers) + 1):
        cell = sheet.cell(row=last, column=index)
        if index == 1:
            write_cell(cell, words.units_involved)
        elif index > len(MATRIX_COLUMNS):
            write_cell(cell, int(involved.get(actions[index - len(MATRIX_COLUMNS) - 1], 0)))
        styles.apply(cell, "totals_left" if index == 1 else "totals")

    sheet.freeze_panes = "B2"  # the header row and the agency names stay in view
    for index, column in enumerate(MATRIX_COLUMNS, start=1):
        texts = [headers[index - 1], *(str(_plain(v)) for v in (types if column == "type" else data[column]))]
        if index == 1:
            texts.append(words.units_involved)
        sheet.column_dimensions[get_column_letter(index)].width = _width(texts)
    lines = 1
    for index, label in enumerate(actions, start=len(MATRIX_COLUMNS) + 1):
        width = max(ACTION_WIDTH, _width([label, *(str(v) for v in data[label])]))
        sheet.column_dimensions[get_column_letter(index)].width = width
        title = str(info.get(label, {}).get("title", ""))
        lines = max(lines, 1 + math.ceil(display_width(title) / max(1, width - 1)))
    sheet.row_dimensions[1].height = LINE_HEIGHT * min(lines, 8)


class _Styles:
    """The matrix sheet's few cell styles, each made once and copied onto cells (openpyxl otherwise looks up
    every font, fill, border and alignment given to every cell, most of the time of writing the sheet)."""

    def __init__(self, sheet) -> None:
        header, totals = _fill(MATRIX_STYLE["header"]), _fill(MATRIX_STYLE["totals"])
        center = Alignment(horizontal="center")
        looks: dict[str, dict[str, Any]] = {
            "header": {"font": _BOLD, "fill": header, "alignment": Alignment(wrap_text=True, vertical="top",
                                                                             horizontal="center")},
            "header_left": {"font": _BOLD, "fill": header, "alignment": Alignment(wrap_text=True, vertical="top")},
            "plain": {}, "mark": {"alignment": center}, "count": {"fill": totals, "alignment": center},
            "totals": {"font": _BOLD, "fill": totals, "alignment": center},
            "totals_left": {"font": _BOLD, "fill": totals},
            **{role: {"fill": _fill(MATRIX_STYLE[role]), "alignment": center} for role in ROLE_FILLS}}
        self._made: dict[str, Any] = {}
        scratch = sheet.parent.create_sheet("_styles")
        for number, (name, look) in enumerate(looks.items(), start=1):
            cell = scratch.cell(row=number, column=1)
            cell.border = _BORDER
            for attribute, value in look.items():
                setattr(cell, attribute, value)
            self._made[name] = copy(cell._style)
        sheet.parent.remove(scratch)

    def apply(self, cell, name: str):
        cell._style = copy(self._made[name])
        return cell


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value  # numpy ints as ints


def _width(texts: Sequence[Any]) -> int:
    longest = max((display_width(line) for text in texts for line in str(text).splitlines() or [""]), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _key_sheet(sheet, frame: pd.DataFrame, words: WorkbookWords, governments: Sequence[str],
               plans: Sequence[str], made: date) -> None:
    header_fill = _fill(MATRIX_STYLE["header"])
    row = 0

    def put(values: Sequence[Any], *, bold: int = 0, header: bool = False, wrap: bool = True) -> None:
        """One row; its first ``bold`` cells bold; a header row bold, filled and bordered."""
        nonlocal row
        row += 1
        for index, value in enumerate(values, start=1):
            cell = write_cell(sheet.cell(row=row, column=index), value)
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if index <= bold or header:
                cell.font = _BOLD
            if header:
                cell.fill, cell.border = header_fill, _BORDER

    put([words.title], wrap=False)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    put([words.about], wrap=False)  # runs on over the empty cells beside it
    put([words.government, words.list_separator.join(governments)], bold=1)
    for index, plan in enumerate(plans or [""]):
        put([words.plans if index == 0 else "", plan], bold=1)
    put([words.made, made.isoformat()], bold=1)
    put([words.order, words.order_text], bold=1)
    row += 1
    put([words.key_heading], bold=1)
    put([words.mark, words.role, words.colour, words.meaning], header=True)
    for role in ROLE_FILLS:
        name, meaning = words.roles[role]
        put([ROLE_FILL_MARKS[role], name, MATRIX_STYLE[role], meaning])
        for index in (1, 3):
            sheet.cell(row=row, column=index).fill = _fill(MATRIX_STYLE[role])
    for mark, meaning in words.marks:
        put([mark, "", "", meaning])
    row += 1
    put([words.actions_heading], bold=1)
    put([words.column_label, *(words.action_columns[c] for c in ACTION_INFO), words.units_involved], header=True)
    info, involved = frame.attrs.get("action_info", {}), frame.attrs.get("involved", {})
    for label in frame.attrs.get("action_columns", ()):
        put([label, *(info[label][c] for c in ACTION_INFO), int(involved.get(label, 0))])
    for index in range(1, sheet.max_column + 1):
        letter = get_column_letter(index)
        texts = [sheet.cell(row=r, column=index).value for r in range(3, sheet.max_row + 1)]
        sheet.column_dimensions[letter].width = _width([t for t in texts if t is not None])
