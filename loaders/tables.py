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

:func:`find_text_tables` finds the tables a web page flattened into text (one cell per line,
with or without a trailing ``|``; one row per line, cells between ``|``, tabs or spaces; or the
whole table run into one stream of words), so a plain-text copy of a page is read as the table
it was.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from loaders.knowledge import DATA_DIR
from loaders.model import LoaderWarning
from loaders.notes import starts_a_unit
from loaders.readers import Cell, Table
from loaders.warning import warning

COLUMNS_FILE = DATA_DIR / "tables" / "columns.toml"
KINDS = ("number", "task", "lead", "responsible", "support", "leader", "deadline", "other")
UNIT_KINDS = ("lead", "responsible", "support")
_PLAIN_NUMBER = re.compile(r"\d{1,4}")


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

    def __init__(self, rows=(), warnings: list[LoaderWarning] | None = None,
                 columns: dict[str, int] | None = None) -> None:
        super().__init__(rows)
        self.warnings: list[LoaderWarning] = warnings or []
        self.columns: dict[str, int] = columns or {}


@cache
def _columns_data() -> dict:
    with open(COLUMNS_FILE, "rb") as handle:
        return tomllib.load(handle)


@cache
def column_labels() -> tuple[tuple[str, str], ...]:
    """``(label, kind)`` pairs from columns.toml, longest label first."""
    table = _columns_data()
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


def _settle_roles(columns: dict[str, int], doubled: list[str], header: list[Cell], norm: str
                  ) -> list[LoaderWarning]:
    """Decide what each unit column means; warn and drop the unit columns when they cannot be told apart."""
    if doubled:
        labels = "、".join(norm[c.span[0] : c.span[1]].strip() for c in header
                          if header_kind(norm[c.span[0] : c.span[1]]) in doubled)
        for kind in UNIT_KINDS:
            columns.pop(kind, None)
        return [warning("table_columns_alike", labels=labels)]
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


# -- tables flattened into text ------------------------------------------------------------------
HEADER_CELL_MAX = 16      # characters, spaces removed: a header label is short
MAX_TEXT_TABLE_WIDTH = 16
MAX_MISSING_CELLS = 3     # a row may skip this many of the header's columns (an empty cell not written)
_CATEGORY_RE = re.compile(r"[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、.*")
_CONTINUES = ("、", "，", ",", "；", ";")
_SPLIT_UNITS = re.compile(r"[、，,;；\s]+")
_DEADLINE_SHAPE = re.compile(r"年|月|日|前|底|季度|持续|长期|完成")


@dataclass
class _Line:
    kind: str                       # "blank", "pipes", "cell" (one cell) or "row" (cells between | or tabs)
    cells: list[tuple[int, int]]    # content spans, stripped, without the | around them


def find_text_tables(text: str) -> list[Table]:
    """Responsibility tables a web page flattened into ``text``, as tables whose cells are spans of it."""
    from loaders.normalize import normalize_for_matching  # the header is read in simplified characters

    if "\n" not in text:
        return []
    norm = normalize_for_matching(text)
    lines = _text_lines(norm)
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = None
        if line.kind == "row" and len(line.cells) >= 3:
            found = _pipe_row_table(text, norm, lines, index)
        elif line.kind == "cell" and " " in _span_text(norm, line.cells[0]).strip():
            found = _space_row_table(text, norm, lines, index) or _space_stream_table(text, norm, lines, index)
        if found is None and line.kind == "cell" and _short(norm, line.cells[0]) and (
                header_kind(_span_text(norm, line.cells[0]))):
            found = _cell_per_line_table(text, norm, lines, index)
        if found is None:
            index += 1
            continue
        table, index = found
        tables.append(table)
    return tables


def _text_lines(norm: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for raw in norm.split("\n"):
        start = position
        position += len(raw) + 1
        content = raw.strip()
        if not content:
            lines.append(_Line("blank", []))
            continue
        if not content.replace("|", "").strip():
            lines.append(_Line("pipes", []))
            continue
        pieces: list[tuple[int, int]] = []
        offset = start
        separator = "\t" if raw.strip().count("\t") >= 2 else "|"  # rows copied from a spreadsheet: tabs
        for piece in raw.split(separator):
            stripped = piece.strip()
            lead = len(piece) - len(piece.lstrip()) if stripped else 0
            pieces.append((offset + lead, offset + lead + len(stripped)))  # an empty cell: an empty span
            offset += len(piece) + 1
        if separator == "|":  # what is before the first | and after the last one is not a cell
            if pieces and pieces[0][0] == pieces[0][1]:
                pieces.pop(0)
            if pieces and pieces[-1][0] == pieces[-1][1]:
                pieces.pop()
        filled = [piece for piece in pieces if piece[0] < piece[1]]
        lines.append(_Line("row", pieces) if len(filled) >= 2 else _Line("cell", filled))
    return lines


def _span_text(norm: str, span: tuple[int, int]) -> str:
    return norm[span[0] : span[1]]


def _short(norm: str, span: tuple[int, int]) -> bool:
    return len(re.sub(r"\s+", "", _span_text(norm, span))) <= HEADER_CELL_MAX


def _usable_header(kinds: list[str]) -> bool:
    return len(kinds) >= 3 and "task" in kinds and bool(set(UNIT_KINDS) & set(kinds))


def _pipe_row_table(text: str, norm: str, lines: list[_Line], index: int):
    """``序号 | 任务 | 牵头单位 |`` then one row per line."""
    header = lines[index].cells
    kinds = [header_kind(_span_text(norm, span)) for span in header]
    if any(kind is None for kind in kinds) or not _usable_header(kinds):  # type: ignore[arg-type]
        return None
    rows: list[list[tuple[int, int] | None]] = []
    end = index + 1
    while end < len(lines) and lines[end].kind in ("row", "blank", "pipes"):
        if lines[end].kind == "row":  # between separators a cell is where it is, an empty one too
            rows.append([span if span[0] < span[1] else None for span in lines[end].cells])
        end += 1
    if not rows:
        return None
    return _build_table(text, norm, header, kinds, rows), end  # type: ignore[arg-type]


_TOKEN_RE = re.compile(r"\S+")
_TRAILING_KINDS = (*UNIT_KINDS, "leader", "deadline")


def _space_row_table(text: str, norm: str, lines: list[_Line], index: int):
    """``序号 类别 主要任务 牵头单位 责任单位`` on one line, then one row per line, cells between spaces.

    Cells hold spaces of their own (a wrapped word), so only what can be told surely is read: the
    row number first, and the unit, leader and deadline columns at the end of the header, one
    word each, from the end of the row; all between is the task. A row whose last words do not
    look like those columns, or whose task does not end before them, keeps its units out.
    """
    start, end = lines[index].cells[0]
    if end - start > 120:
        return None
    header = [(start + m.start(), start + m.end()) for m in _TOKEN_RE.finditer(norm[start:end])]
    kinds = [header_kind(_span_text(norm, span)) for span in header]
    if any(kind is None for kind in kinds) or not _usable_header(kinds) or kinds[0] != "number":  # type: ignore
        return None
    trailing = 0
    while trailing < len(kinds) and kinds[len(kinds) - 1 - trailing] in _TRAILING_KINDS:
        trailing += 1
    task_column = kinds.index("task")
    if not trailing or task_column >= len(kinds) - trailing:
        return None
    width = len(header)
    table_rows = [[Cell(text[a:b], (a, b)) for a, b in header]]
    warnings: list[LoaderWarning] = []
    expected: int | None = None
    line = index + 1
    last_line = index + 1
    while line < len(lines):
        current = lines[line]
        if current.kind == "blank":
            line += 1
            continue
        if current.kind != "cell":
            break
        row_start, row_end = current.cells[0]
        tokens = [(row_start + m.start(), row_start + m.end()) for m in _TOKEN_RE.finditer(norm[row_start:row_end])]
        first = _span_text(norm, tokens[0])
        if not _PLAIN_NUMBER.fullmatch(first) or (expected is not None and int(first) != expected):
            break
        expected = int(first) + 1
        cells: list[tuple[int, int] | None] = [None] * width
        cells[0] = tokens[0]
        rest = tokens[1:]
        tail = rest[-trailing:] if len(rest) > trailing else []
        middle = rest[: len(rest) - trailing] if tail else rest
        placed = bool(tail) and all(
            _fits(_span_text(norm, token), kinds[width - trailing + offset]) for offset, token in enumerate(tail))
        if placed and middle and _unit_shaped(_span_text(norm, middle[-1])):
            placed = False  # a unit cell with a space in it would shift every column: not sure
        if placed:
            for offset, token in enumerate(tail):
                cells[width - trailing + offset] = token
        else:
            middle = rest
            warnings.append(warning("table_row_last_cells", row=first,
                                    header="、".join(_span_text(norm, h) for h in header[width - trailing :])))
        if middle:
            cells[task_column] = (middle[0][0], middle[-1][1])
        row_close = row_end
        table_rows.append([Cell(text[t[0] : t[1]], t) if t else Cell("", (row_close, row_close)) for t in cells])
        line += 1
        last_line = line
    if len(table_rows) < 2:
        return None
    span = (header[0][0], max(cell.span[1] for row in table_rows for cell in row))
    return Table(rows=table_rows, span=span, warnings=warnings), last_line


_SENTENCE_END = (".", "。", ";", "；")
TASK_MIN = 12  # characters: a task cell is a sentence, longer than any unit, leader or deadline cell


def _space_stream_table(text: str, norm: str, lines: list[_Line], index: int):
    """``工作任务 责任单位 配合单位 完成时间`` inside a line, then every cell after it between spaces,
    rows not on lines of their own: the page's table run into one stream of words.

    Only a header that starts with the task column is read this way (the row starts where a task
    does: a word of at least :data:`TASK_MIN` characters ending a sentence); after the task come
    the unit words, then the deadline's. A row's units are read only when they can be placed: all
    in one unit column, or one word for each; otherwise they are left out, with a warning.
    """
    start, end = lines[index].cells[0]
    words = [(start + m.start(), start + m.end()) for m in _TOKEN_RE.finditer(norm[start:end])]
    kinds = [header_kind(_span_text(norm, w)) if _short(norm, w) else None for w in words]
    first = next((i for i, kind in enumerate(kinds) if kind == "task"), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(kinds) and kinds[last + 1] in _TRAILING_KINDS:
        last += 1
    header, header_kinds = words[first : last + 1], [k for k in kinds[first : last + 1] if k]
    if last - first < 2 or not (set(UNIT_KINDS) & set(header_kinds)):
        return None
    unit_columns = [i for i, kind in enumerate(header_kinds) if kind in UNIT_KINDS]
    deadline_column = header_kinds.index("deadline") if "deadline" in header_kinds else None
    stream = [(header[-1][1] + m.start(), header[-1][1] + m.end()) for m in _TOKEN_RE.finditer(norm[header[-1][1] :])]

    def starts_task(word: tuple[int, int]) -> bool:
        value = _span_text(norm, word)
        return len(value) >= TASK_MIN and value.endswith(_SENTENCE_END) and not _unit_shaped(value)

    rows: list[list[tuple[int, int] | None]] = []
    warnings: list[LoaderWarning] = []
    position = 0
    while position < len(stream) and starts_task(stream[position]):
        task = stream[position]
        position += 1
        units: list[tuple[int, int]] = []
        while position < len(stream) and not starts_task(stream[position]) and not (
                units and _DEADLINE_SHAPE.search(_span_text(norm, stream[position]))):
            units.append(stream[position])
            position += 1
        deadline: list[tuple[int, int]] = []
        while position < len(stream) and not starts_task(stream[position]):
            value = _span_text(norm, stream[position])
            if deadline and len(value) >= TASK_MIN and not _DEADLINE_SHAPE.search(value):
                break  # a task cut short (the text ends inside it): not part of the deadline
            deadline.append(stream[position])
            position += 1
        cells: list[tuple[int, int] | None] = [None] * len(header)
        cells[0] = task
        if deadline and deadline_column is not None:
            cells[deadline_column] = (deadline[0][0], deadline[-1][1])
        joined = "".join(_span_text(norm, u) for u in units)
        # 县委县政府 督查室: a word that cannot start a unit (no level, no kind of its own) ends the one before.
        one_wrapped = _unit_shaped(joined) and not any(starts_a_unit(_span_text(norm, u)) for u in units[1:])
        if units and len(units) > 1 and len(unit_columns) > 1 and not one_wrapped and all(
                _unit_shaped(_span_text(norm, u)) for u in units):
            warnings.append(warning("table_row_one_or_many_units", row=len(rows) + 1,
                                    units=" ".join(_span_text(norm, u) for u in units)))
        elif units and _unit_shaped(joined):
            cells[unit_columns[0]] = (units[0][0], units[-1][1])
        elif units or deadline:
            warnings.append(warning("table_row_not_units", row=len(rows) + 1))
        rows.append(cells)
    if len(rows) < 2:
        return None
    table_rows = [[Cell(text[a:b], (a, b)) for a, b in header]]
    for cells in rows:
        close = max(t[1] for t in cells if t)
        table_rows.append([Cell(text[t[0] : t[1]], t) if t else Cell("", (close, close)) for t in cells])
    span = (header[0][0], max(cell.span[1] for row in table_rows for cell in row))
    return Table(rows=table_rows, span=span, warnings=warnings), _line_after(norm, lines, span)


def _fits(value: str, kind: str) -> bool:
    if kind in UNIT_KINDS:
        return _unit_shaped(value)
    if kind == "leader":
        return not _unit_shaped(value) and len(value) <= 6
    return bool(_DEADLINE_SHAPE.search(value))


def _cell_per_line_table(text: str, norm: str, lines: list[_Line], index: int):
    """A header of one label per line (maybe ending in |, maybe split over lines), then one cell per line."""
    fragments: list[tuple[int, str | None, int]] = []  # (line, kind, blank lines before it)
    line, blanks = index, 0
    while line < len(lines) and len(fragments) < 2 * MAX_TEXT_TABLE_WIDTH:
        current = lines[line]
        if current.kind in ("blank", "pipes"):
            blanks += current.kind == "blank"
            line += 1
            continue
        if current.kind != "cell" or not _short(norm, current.cells[0]):
            break
        label = _span_text(norm, current.cells[0])
        if _PLAIN_NUMBER.fullmatch(label.strip()) or ":" in label:
            break  # a row number ends the header; 牵头单位:市科技局 is a note written on its own line
        fragments.append((line, header_kind(label), blanks if fragments else 0))
        blanks = 0
        line += 1
    if any(kind == "number" for _, kind, _ in fragments[1:]):
        return None  # the header starts at its 序号 cell; what is above it is not the header
    groups: list[list[int]] = []
    kinds: list[str] = []
    pending: list[int] = []
    for position, (_, kind, _) in enumerate(fragments):
        pending.append(position)
        if kind is not None:
            groups.append(pending)
            kinds.append(kind)
            pending = []
    if not _usable_header(kinds):
        return None
    used = fragments[: groups[-1][-1] + 1]
    header = [(lines[fragments[g[0]][0]].cells[0][0], lines[fragments[g[-1]][0]].cells[0][1]) for g in groups]
    gap = min((blank for _, _, blank in used[1:]), default=0)  # blank lines between two cells
    tokens: list[tuple[int, int] | None] = []
    line, blanks, since_number = used[-1][0] + 1, 0, 0
    while line < len(lines) and since_number <= 3 * len(header) + 3:  # past that the table has ended
        current = lines[line]
        if current.kind == "blank":
            blanks += 1
        elif current.kind == "cell":
            tokens.extend([None] * max(0, blanks - gap) if tokens else [])
            tokens.append(current.cells[0])
            blanks = 0
            plain = _PLAIN_NUMBER.fullmatch(_span_text(norm, current.cells[0]).strip())
            since_number = 0 if plain else since_number + 1
        elif current.kind == "row":
            break
        line += 1
    rows, consumed = _rows_by_number(norm, tokens, len(header), kinds)
    if not rows:
        return None
    end_line = _line_after(norm, lines, consumed)
    return _build_table(text, norm, header, kinds, rows), end_line


def _line_after(norm: str, lines: list[_Line], last: tuple[int, int] | None) -> int:
    """Index of the first line after the one holding ``last``."""
    if last is None:
        return len(lines)
    return norm.count("\n", 0, last[1]) + 1


def _rows_by_number(norm: str, tokens: list[tuple[int, int] | None], width: int, kinds: list[str]):
    """Cells into rows: a row starts at the next row number (or a category marker such as (一))."""
    merged: list[tuple[int, int] | None] = []
    for token in tokens:  # 区投促局、 / 大观园街道办事处: one cell written over two lines
        previous = merged[-1] if merged else None
        if token is not None and previous is not None and _span_text(norm, previous).endswith(_CONTINUES):
            merged[-1] = (previous[0], token[1])
        else:
            merged.append(token)
    rows: list[list[tuple[int, int] | None]] = []
    expected: int | None = None
    since_row = 0
    last: tuple[int, int] | None = None
    for token in merged:
        label = _span_text(norm, token).strip() if token else ""
        number = int(label) if _PLAIN_NUMBER.fullmatch(label) else None
        starts = (number is not None and (expected is None or number == expected)) or bool(
            token and _CATEGORY_RE.fullmatch(label) and len(label) <= 30)
        if starts:
            rows.append([token])
            expected = number + 1 if number is not None else expected
            since_row = 0
        elif rows:
            if since_row >= 3 * width:
                break  # too long since the last row: the table has ended
            rows[-1].append(token)
        elif token is not None:
            rows.append([token])  # text between the header and the first row: a category row
        since_row += 1
        if token is not None:
            last = token
    if rows and expected is None:
        return [], None
    if rows:  # the last row ends where its cells do: what follows is text again
        # Units of one cell on several lines (县文旅局 / 县代建中心) push the row's last cells on.
        size, unit_columns = width, sum(kind in UNIT_KINDS for kind in kinds)
        while size < len(rows[-1]):
            surplus = sum(bool(t) and _unit_shaped(_span_text(norm, t)) for t in rows[-1][1:size]) - unit_columns
            if size - width >= surplus:
                break
            size += 1
        tail = rows[-1][:size]
        rows[-1] = tail
        last = next((t for t in reversed(tail) if t is not None), last)
    return rows, last


def _build_table(text: str, norm: str, header: list[tuple[int, int]], kinds: list[str],
                 rows: list[list[tuple[int, int] | None]]) -> Table:
    width = len(header)
    warnings: list[LoaderWarning] = []
    table_rows = [[Cell(text[a:b], (a, b)) for a, b in header]]
    for row in rows:
        cells = [token for token in row]
        while len(cells) > width and cells[-1] is None:
            cells.pop()
        filled = [token for token in cells if token is not None]
        first = _span_text(norm, filled[0]).strip() if filled else ""
        if _CATEGORY_RE.fullmatch(first) and len(filled) <= 2:  # (一) 加强战略科技力量建设。: a category row
            filled = [(filled[0][0], filled[-1][1])]
        if len(filled) == 1 and not _PLAIN_NUMBER.fullmatch(_span_text(norm, filled[0]).strip()):
            a, b = filled[0]
            table_rows.append([Cell(text[a:b], (a, b))] + [Cell("", (b, b))] * (width - 1))
            continue
        placed, problem = _align(norm, cells, kinds)
        if problem:
            number = _span_text(norm, cells[0]).strip() if cells[0] else "?"
            warnings.append(warning(problem, row=number))
        end = next((t[1] for t in reversed(cells) if t is not None), 0)
        table_rows.append([Cell(text[t[0] : t[1]], t) if t else Cell("", (end, end)) for t in placed])
    start = header[0][0]
    end = max(cell.span[1] for row in table_rows for cell in row)
    return Table(rows=table_rows, span=(start, end), warnings=warnings)


def _unit_shaped(value: str) -> bool:
    endings = tuple(_columns_data().get("unit_shape", {}).get("endings", []))
    names = [name.strip("*★☆").rstrip("等") for name in _SPLIT_UNITS.split(value.strip()) if name.strip("*★☆")]
    return bool(names) and all(name.endswith(endings) for name in names)


def _score(norm: str, placed: list[tuple[int, int] | None], kinds: list[str]) -> int:
    score = 0
    for token, kind in zip(placed, kinds, strict=True):
        value = _span_text(norm, token).strip() if token else ""
        if not value:
            continue
        if kind in UNIT_KINDS:
            score += 2 if _unit_shaped(value) else -5
        elif kind == "leader":
            score += -3 if _unit_shaped(value) else (1 if len(value.replace(" ", "")) <= 6 else -1)
        elif kind == "deadline":
            score += 1 if _DEADLINE_SHAPE.search(value) else -1
        elif kind == "number":
            score += 1 if _PLAIN_NUMBER.fullmatch(value) else -1
    return score


def _align(norm: str, cells: list[tuple[int, int] | None], kinds: list[str]):
    """The row's cells placed under the header's columns; with a warning code when they cannot be placed surely."""
    width = len(kinds)
    # Each reading of the row, with what it costs beyond the score of its cells.
    candidates: list[tuple[list[tuple[int, int] | None], int]] = []
    if len(cells) <= width:
        missing = width - len(cells)
        if missing > MAX_MISSING_CELLS:
            candidates.append((cells + [None] * missing, 0))
        else:
            from itertools import combinations

            movable = [i for i, kind in enumerate(kinds) if kind not in ("number", "task")]
            for skipped in combinations(movable, missing):
                values = iter(cells)
                candidates.append(([None if i in skipped else next(values) for i in range(width)], 0))
    else:
        candidates.append((cells[:width], 0))  # what runs past the last column belongs to the text after it
        extra = len(cells) - width
        for column, kind in enumerate(kinds):
            if kind in ("other", "task", *UNIT_KINDS) and column + extra < len(cells):
                joined = [t for t in cells[column : column + extra + 1] if t is not None]
                shaped = [_unit_shaped(_span_text(norm, t)) for t in joined[1:]]
                if kind in UNIT_KINDS and not all(shaped):
                    continue  # several units of one cell, one per line (县水务局 / 县住建局): all unit-shaped
                span = (joined[0][0], joined[-1][1]) if joined else None
                # A task or remark that would swallow unit-shaped lines is less likely than a cell of units.
                penalty = 3 * sum(shaped) if kind not in UNIT_KINDS else 0
                candidates.append(([*cells[:column], span, *cells[column + extra + 1 :]], penalty))
    scored = [(_score(norm, placed, kinds) - penalty, placed) for placed, penalty in candidates]
    best = max(score for score, _ in scored)
    units_of = {tuple(placed[i] for i, kind in enumerate(kinds) if kind in (*UNIT_KINDS, "leader"))
                for score, placed in scored if score == best}
    placed = next(placed for score, placed in scored if score == best)
    problem = ""
    if best < 0:
        problem = "table_row_does_not_fit"
    elif len(units_of) > 1:
        problem = "table_row_fits_many_ways"
    if problem:
        placed = [None if kind in UNIT_KINDS else token for token, kind in zip(placed, kinds, strict=True)]
    return placed, problem
