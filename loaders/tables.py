"""Responsibility tables (.docx, .html, .pdf, and tables a web page flattened into text): one action per row.

Task-first tables (序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限, sometimes with a 责任领导
column) and agency-first tables (序号 | 单位名称 | 工作任务) are recognised by their header row,
whose vocabulary is data: ``data/tables/columns.toml``. Columns may come in any order.

Roles follow the header: a lead column (牵头单位, 牵头责任单位, 主要责任单位 ...) is an explicit
lead; beside it a 责任单位 column shares the work. Without a lead column, a 责任单位 column next
to a support column (配合单位, 协同单位 ...) is the lead column, as the pair says; a 责任单位
column alone names units without marking a lead (the first-listed convention applies).
When two columns could hold the same kind of units and nothing tells them apart, the table's
units are left out and a warning says why, rather than guessing whose units are whose.

A row with one text only, outside the task column (a merged category row such as
"一、数字基础设施") is returned as a heading.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache

from loaders.knowledge import DATA_DIR
from loaders.readers import Cell, Table

COLUMNS_FILE = DATA_DIR / "tables" / "columns.toml"
KINDS = ("number", "task", "lead", "responsible", "support", "leader", "deadline", "other")
UNIT_KINDS = ("lead", "responsible", "support")
_PLAIN_NUMBER = re.compile(r"\d{1,4}")
log = logging.getLogger("policykg.loaders.tables")


@dataclass
class TableRow:
    number: str | None
    task: Cell
    columns: dict[str, Cell]
    span: tuple[int, int]


@dataclass
class TableHeading:
    title: str
    span: tuple[int, int]


class TableRows(list):
    """The rows of a responsibility table, with what was found wrong with its header (``warnings``)."""

    def __init__(self, rows=(), warnings: list[str] | None = None, columns: dict[str, int] | None = None) -> None:
        super().__init__(rows)
        self.warnings: list[str] = warnings or []
        self.columns: dict[str, int] = columns or {}


@cache
def column_labels() -> tuple[tuple[str, str], ...]:
    """``(label, kind)`` pairs from columns.toml, longest label first."""
    with open(COLUMNS_FILE, "rb") as handle:
        table = tomllib.load(handle)
    pairs = [(label.replace(" ", ""), kind) for kind in KINDS for label in table.get(kind, {}).get("labels", [])]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def header_kind(label: str) -> str | None:
    """The kind of column a header text names: the longest label it contains, the earliest on a tie."""
    label = re.sub(r"\s+", "", label)
    best: tuple[int, int, str] | None = None
    for word, kind in column_labels():
        if best is not None and len(word) < best[0]:
            break  # labels come longest first: nothing shorter can win
        at = label.find(word)
        if at >= 0 and (best is None or at < -best[1]):
            best = (len(word), -at, kind)
    return best[2] if best else None


def read_table_rows(table: Table, norm: str) -> TableRows | None:
    """The rows of a responsibility table, or None when the table is not one."""
    for header_index, header in enumerate(table.rows[:3]):
        columns, doubled = _columns(header, norm)
        if "task" in columns and (set(UNIT_KINDS) & set(columns)):
            body = table.rows[header_index + 1 :]
            break
    else:
        return None
    warnings = _settle_roles(columns, doubled, header, norm)
    if "number" not in columns:
        _number_column(columns, body)
    rows = TableRows(warnings=warnings, columns=dict(columns))
    task_index = columns["task"]
    for row in body:
        filled = [(index, cell) for index, cell in enumerate(row) if cell.text.strip()]
        texts = {cell.text.strip() for _, cell in filled}
        if len(texts) == 1 and _is_heading_row(row, filled, task_index, len(header)):
            cell = filled[0][1]
            rows.append(TableHeading(cell.text.strip(), cell.span))
            continue
        cells = {name: row[index] for name, index in columns.items() if index < len(row) and name != "other"}
        task = cells.get("task")
        if task is None or not task.text.strip():
            continue
        number = cells["number"].text.strip() if "number" in cells else None
        rows.append(TableRow(number=number or None, task=task, columns=cells,
                             span=(row[0].span[0], row[-1].span[1])))
    for warning in warnings:
        log.warning(warning)
    return rows


def _is_heading_row(row: list[Cell], filled: list[tuple[int, Cell]], task_index: int, width: int) -> bool:
    index, cell = filled[0]
    if _PLAIN_NUMBER.fullmatch(cell.text.strip()):
        return False
    if len(row) > 1 and len(filled) == len(row):  # every cell says the same: a merge read once per cell
        return True
    return index != task_index or len(row) < width


def _columns(header: list[Cell], norm: str) -> tuple[dict[str, int], list[str]]:
    """Column kind -> index (first column of each kind), and the unit kinds more than one column claims."""
    columns: dict[str, int] = {}
    doubled: list[str] = []
    for index, cell in enumerate(header):
        kind = header_kind(norm[cell.span[0] : cell.span[1]])
        if kind is None:
            continue
        if kind not in columns:
            columns[kind] = index
        elif kind in UNIT_KINDS and kind not in doubled:
            doubled.append(kind)
    return columns, doubled


def _settle_roles(columns: dict[str, int], doubled: list[str], header: list[Cell], norm: str) -> list[str]:
    """Decide what each unit column means; warn and drop the unit columns when they cannot be told apart."""
    if doubled:
        labels = "、".join(norm[c.span[0] : c.span[1]].strip() for c in header
                          if header_kind(norm[c.span[0] : c.span[1]]) in doubled)
        for kind in UNIT_KINDS:
            columns.pop(kind, None)
        return [f"table with columns {labels}: more than one column of the same kind of units and nothing "
                "telling them apart; its units are left out rather than guessed"]
    if "lead" not in columns and "responsible" in columns and "support" in columns:
        columns["lead"] = columns.pop("responsible")  # 责任单位 | 配合单位: the 责任单位 lead
    return []


def _number_column(columns: dict[str, int], body: list[list[Cell]]) -> None:
    """A first column of plain row numbers with no header of its own still numbers the actions."""
    if 0 in columns.values():
        return
    values = [row[0].text.strip() for row in body if row and row[0].text.strip()]
    numbers = [value for value in values if _PLAIN_NUMBER.fullmatch(value)]
    if numbers and len(numbers) >= 0.8 * len(values):
        columns["number"] = 0
