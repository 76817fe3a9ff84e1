"""One reader registry: file suffix -> function that returns the document's text.

Every reader returns a :class:`DocumentText`: the text as one string (spans
point into it) and, for formats that have them, the tables with the span of
every cell, so responsibility tables can be read row by row.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.encoding import decode_text_bytes
from loaders.errors import LoaderError

MAX_BYTES = 50 * 1024 * 1024
CELL_SEPARATOR = "\t"


@dataclass(frozen=True)
class Cell:
    text: str
    span: tuple[int, int]


@dataclass
class Table:
    rows: list[list[Cell]]
    span: tuple[int, int]


@dataclass
class DocumentText:
    text: str
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None


Reader = Callable[[Path, str], DocumentText]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for file suffixes (lower case, with the dot)."""

    def register(function: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = function
        return function

    return register


def read_document(path: str | Path) -> DocumentText:
    """Read a plan from ``path`` with the reader its suffix selects.

    Raises :class:`LoaderError` naming the file for anything that is not a
    readable plan file.
    """
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise LoaderError(source, "no such file")
    if path.is_dir():
        raise LoaderError(source, "is a folder, not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LoaderError(source, f"file is {size / 1024 / 1024:.0f} MB; the limit is 50 MB")
    if size == 0:
        raise LoaderError(source, "file is empty")
    read = READERS.get(path.suffix.lower(), read_txt)
    return read(path, source)


def plan_files(paths: list[str | Path]) -> list[str]:
    """Files in the order given; a folder contributes the files a reader is registered for, sorted.

    A path that does not exist is passed through, so reading it reports it by name.
    """
    files: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in READERS)
        else:
            files.append(str(given))
    return files


@reader(".txt", ".text", ".md")
def read_txt(path: Path, source: str) -> DocumentText:
    text, encoding = decode_text_bytes(path.read_bytes(), source)
    return DocumentText(text=_unify_newlines(text), encoding=encoding)


@reader(".docx")
def read_docx(path: Path, source: str) -> DocumentText:
    """Paragraphs and tables in document order; a table row is one line, cells tab-separated."""
    import docx  # imported here: only .docx needs it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as err:
        raise LoaderError(source, f"not a readable .docx file ({type(err).__name__})") from None
    builder = _TextBuilder()
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            builder.add_line(Paragraph(block, document).text)
        elif tag == "tbl":
            rows = [[_cell_text(cell) for cell in _unique_cells(row)] for row in DocxTable(block, document).rows]
            builder.add_table(rows)
    return DocumentText(text=builder.text(), tables=builder.tables)


@reader(".pdf")
def read_pdf(path: Path, source: str) -> DocumentText:
    """Text of every page in reading order, with wrapped lines joined back into paragraphs."""
    import pypdfium2 as pdfium  # imported here: only .pdf needs it

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        raise LoaderError(source, f"not a readable PDF ({err})") from None
    try:
        pages = [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()
    lines = _unify_newlines("\n".join(pages)).split("\n")
    text = "\n".join(_join_wrapped_lines(lines))
    if not text.strip():
        raise LoaderError(source, "PDF has no text layer (scanned images are not supported)")
    return DocumentText(text=text)


class _TextBuilder:
    """Accumulates lines and tables into one text, remembering cell spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.tables: list[Table] = []

    def add_line(self, line: str) -> tuple[int, int]:
        line = line.replace("\n", " ").replace("\r", " ")
        start = self._length
        self._parts.append(line + "\n")
        self._length += len(line) + 1
        return start, start + len(line)

    def add_table(self, rows: list[list[str]]) -> None:
        table_start = self._length
        table_rows = []
        for row in rows:
            cells = [cell.replace("\n", " ").replace("\r", " ").replace(CELL_SEPARATOR, " ") for cell in row]
            line_start, _ = self.add_line(CELL_SEPARATOR.join(cells))
            offset = line_start
            spans = []
            for cell in cells:
                spans.append(Cell(cell, (offset, offset + len(cell))))
                offset += len(cell) + len(CELL_SEPARATOR)
            table_rows.append(spans)
        self.tables.append(Table(rows=table_rows, span=(table_start, self._length)))

    def text(self) -> str:
        return "".join(self._parts)


def _unique_cells(row) -> list:
    # python-docx repeats a merged cell once per grid column it spans.
    seen: list = []
    for cell in row.cells:
        if not seen or cell._tc is not seen[-1]._tc:
            seen.append(cell)
    return seen


def _cell_text(cell) -> str:
    return "\n".join(paragraph.text for paragraph in cell.paragraphs).strip()


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SENTENCE_END = tuple("。；;：:！!？?）)")
_STARTS_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,3}[.．、](?!\d)|[①-⑳]"
    r"|(?:牵头|责任|配合|协办|参与|主责)(?:单位|部门))"
)


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """PDF text breaks at the page edge; join a line to the next unless a sentence or item ends."""
    paragraphs: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if paragraphs and not paragraphs[-1].endswith(_SENTENCE_END) and not _STARTS_ITEM.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs
