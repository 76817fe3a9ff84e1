"""Responsibility tables (common in .docx): one action per row.

Task-first tables (序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限, sometimes with a 责任领导
column) and agency-first tables (序号 | 单位名称 | 工作任务) are recognised by their header row.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.readers import Cell, Table

COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号")),
    ("leader", ("责任领导", "牵头领导", "分管领导", "责任人", "领导")),
    ("lead", ("牵头单位", "牵头部门", "主责单位", "牵头")),
    ("support", ("配合单位", "配合部门", "协办单位", "参与单位")),
    ("responsible", ("责任单位", "责任部门", "单位名称", "部门名称", "单位", "部门")),
    ("deadline", ("完成时限", "完成时间", "时限", "时间节点", "进度安排")),
    ("task", ("重点任务", "工作任务", "主要任务", "具体任务", "任务内容", "工作内容", "工作措施", "主要内容",
              "任务", "措施", "内容")),
)


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


def read_table_rows(table: Table, norm: str) -> list[TableRow | TableHeading] | None:
    """The rows of a responsibility table, or None when the table is not one.

    A row whose cells all say the same thing (a merged category row such as
    "一、数字基础设施") is returned as a heading.
    """
    for header_index, header in enumerate(table.rows[:3]):
        columns = _columns(header, norm)
        if "task" in columns and ({"lead", "responsible"} & set(columns)):
            body = table.rows[header_index + 1 :]
            break
    else:
        return None
    rows: list[TableRow | TableHeading] = []
    for row in body:
        texts = {cell.text.strip() for cell in row if cell.text.strip()}
        if len(texts) == 1 and len(row) > 1:
            cell = next(c for c in row if c.text.strip())
            rows.append(TableHeading(cell.text.strip(), cell.span))
            continue
        cells = {name: row[index] for name, index in columns.items() if index < len(row)}
        task = cells.get("task")
        if task is None or not task.text.strip():
            continue
        number = cells["number"].text.strip() if "number" in cells else None
        rows.append(TableRow(number=number or None, task=task, columns=cells,
                             span=(row[0].span[0], row[-1].span[1])))
    return rows


def _columns(header: list[Cell], norm: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        label = norm[cell.span[0] : cell.span[1]].replace(" ", "")
        for name, words in COLUMN_WORDS:
            if name not in columns and any(word in label for word in words):
                columns[name] = index
                break
    return columns
