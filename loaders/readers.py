"""One reader registry: file suffix -> function that returns the document's text.

Every reader returns a :class:`DocumentText`: the text as one string (spans
point into it) and, for formats that have them, the tables with the span of
every cell, so responsibility tables can be read row by row.

Anything wrong with a file, whatever the format and whatever a library makes of it,
is a :class:`LoaderError`: one line naming the file and the problem. Limits are
checked before anything is parsed: the file's size (``POLICYKG_MAX_FILE_MB``,
50 by default), and for a ``.docx`` what its zip directory says it unpacks to.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.encoding import decode_text_bytes
from loaders.errors import LoaderError, describe

MAX_FILE_MB = 50
MAX_BYTES = MAX_FILE_MB * 1024 * 1024  # the default limit; POLICYKG_MAX_FILE_MB sets another
MAX_FILE_ENV = "POLICYKG_MAX_FILE_MB"
CELL_SEPARATOR = "\t"

# A .docx is a zip package: what it unpacks to is checked from its directory before python-docx
# reads a byte of it (python-docx unpacks every part into memory, then parses the XML ones).
DOCX_MAX_UNPACKED = 200 * 1024 * 1024  # all members together, as declared and as actually read
DOCX_MAX_RATIO = 100                   # unpacked : packed, for members larger than DOCX_RATIO_FROM
DOCX_RATIO_FROM = 4 * 1024 * 1024      # small XML parts legitimately compress very well
DOCX_MAX_MEMBERS = 10_000              # Word writes tens; the directory itself costs memory
_READ_CHUNK = 1024 * 1024
# python-docx's own word for "no zip package here" (not a zip, or a truncated one); the message users know.
_NOT_A_DOCX = "not a readable .docx file (PackageNotFoundError)"


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


def max_file_bytes(source: str = "") -> int:
    """The file size limit in bytes: ``POLICYKG_MAX_FILE_MB`` megabytes (MiB), 50 when unset."""
    value = os.environ.get(MAX_FILE_ENV, "").strip()
    if not value:
        return MAX_BYTES
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0 or megabytes == float("inf"):
        raise LoaderError(source, f"{MAX_FILE_ENV}={value!r} is not a positive number of megabytes")
    return int(megabytes * 1024 * 1024)


def read_document(path: str | Path) -> DocumentText:
    """Read a plan from ``path`` with the reader its suffix selects.

    Raises :class:`LoaderError` naming the file for anything that is not a
    readable plan file, and for nothing else: whatever a reader's library raises
    on a damaged file becomes that file's one line.
    """
    path = Path(path)
    source = str(path)
    limit = max_file_bytes(source)
    info = _file_status(path, source)
    if stat.S_ISDIR(info.st_mode):
        raise LoaderError(source, _folder_problem(path))
    if not stat.S_ISREG(info.st_mode):
        raise LoaderError(source, f"not a regular file ({_file_kind(info.st_mode)}), so not read")
    _check_size(info.st_size, limit, source)
    suffix = path.suffix.lower()
    read = READERS.get(suffix, read_txt)
    try:
        return read(path, source)
    except LoaderError:
        raise
    except OSError as err:
        raise LoaderError(source, f"cannot read the file: {_os_problem(err)}") from err
    except Exception as err:  # a reader's library choking on a malformed file: still one line
        raise LoaderError(source, f"not a readable {suffix or 'text'} file ({describe(err)})") from err


def read_file_bytes(path: Path, source: str) -> bytes:
    """The bytes of ``path``, reading no more than the size limit (a file may grow after it was checked)."""
    limit = max_file_bytes(source)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, limit) + 1)  # read(n) allocates n bytes first: not the limit's worth
            if size < len(data) <= limit:  # grown since: read on, to one byte past the limit at most
                data += handle.read(limit + 1 - len(data))
    except OSError as err:
        raise LoaderError(source, f"cannot read the file: {_os_problem(err)}") from None
    _check_size(len(data), limit, source)
    return data


def plan_files(paths: list[str | Path]) -> list[str]:
    """Files in the order given; a folder contributes the files a reader is registered for, sorted.

    A path that does not exist is passed through, so reading it reports it by name; so are, from
    inside a folder, symbolic links to nothing and subfolders that cannot be read, and a folder
    given that holds no plan file at all. Never raises.
    """
    files: list[str] = []
    for given in paths:
        path = Path(given)
        try:
            is_folder = path.is_dir()
        except ValueError:  # a NUL in the name: reading it says so
            is_folder = False
        if not is_folder:
            files.append(str(given))
            continue
        found = [str(p) for p in sorted(path.rglob("*")) if _is_plan_entry(p)]
        if not _readable_folder(path) or not found:
            files.append(str(given))  # reading it says why nothing in it is read
        files.extend(found)
    return files


def _is_plan_entry(path: Path) -> bool:
    if path.is_symlink() and not path.exists():
        return path.suffix.lower() in READERS  # a broken link: reported, not skipped
    if path.is_dir():
        return not _readable_folder(path)
    return path.is_file() and path.suffix.lower() in READERS


def _readable_folder(path: Path) -> bool:
    return os.access(path, os.R_OK | os.X_OK)


def _file_status(path: Path, source: str) -> os.stat_result:
    """``stat`` of ``path`` (following links), with a missing file and a broken link told apart."""
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            raise LoaderError(source, f"broken symbolic link: it points to {target}, which does not exist") from None
        raise LoaderError(source, "no such file") from None
    except NotADirectoryError:
        raise LoaderError(source, "no such file") from None
    except OSError as err:  # permission denied on a folder on the way, a loop of links, ...
        raise LoaderError(source, f"cannot read the file: {_os_problem(err)}") from None
    except ValueError:  # a NUL in the name
        raise LoaderError(source, "not a valid file name") from None


def _folder_problem(path: Path) -> str:
    if not _readable_folder(path):
        return "folder cannot be read (permission denied), so no plan in it was read"
    try:
        has_plans = any(p.suffix.lower() in READERS and p.is_file() for p in path.rglob("*"))
    except OSError:
        has_plans = False
    if has_plans:
        return "is a folder, not a file"
    return f"is a folder with no plan files in it ({', '.join(sorted(READERS))})"


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "a special file"


def _check_size(size: int, limit: int, source: str) -> None:
    if size > limit:
        raise LoaderError(source, f"file is {size / 1024 / 1024:.0f} MB; the limit is {_megabytes(limit)} MB"
                                  f" ({MAX_FILE_ENV})")
    if size == 0:
        raise LoaderError(source, "file is empty")


def _megabytes(size: int) -> str:
    megabytes = size / 1024 / 1024
    return f"{megabytes:,.0f}" if megabytes >= 10 else f"{megabytes:.3g}"


def _os_problem(err: OSError) -> str:
    return err.strerror or type(err).__name__


@reader(".txt", ".text", ".md")
def read_txt(path: Path, source: str) -> DocumentText:
    text, encoding = decode_text_bytes(read_file_bytes(path, source), source)
    return DocumentText(text=_unify_newlines(text), encoding=encoding)


@reader(".html", ".htm")
def read_html(path: Path, source: str) -> DocumentText:
    """A page saved from a site: the body's text by blocks, without the site's chrome; tables as tables."""
    from loaders.html import read_html_content  # imported here: it imports this module

    content = read_html_content(read_file_bytes(path, source), source)
    builder = _TextBuilder()
    for kind, value in content.blocks:
        if kind == "table":
            builder.add_table(value)
        else:
            builder.add_line(value)
    return DocumentText(text=builder.text(), tables=builder.tables, encoding=content.encoding)


@reader(".docx")
def read_docx(path: Path, source: str) -> DocumentText:
    """Paragraphs and tables in document order; a table row is one line, cells tab-separated."""
    import docx  # imported here: only .docx needs it
    from docx.text.paragraph import Paragraph

    data = read_file_bytes(path, source)  # read once: what is checked is what is parsed
    check_docx_package(data, source)
    try:
        document = docx.Document(io.BytesIO(data))
        builder = _TextBuilder()
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1] if isinstance(block.tag, str) else ""
            if tag == "p":
                builder.add_line(Paragraph(block, document).text)
            elif tag == "tbl":
                builder.add_table(_table_rows(block))
    except Exception as err:  # bad XML (lxml), a part missing, a structure python-docx cannot walk, ...
        raise LoaderError(source, f"not a readable .docx file ({describe(err)})") from None
    return DocumentText(text=builder.text(), tables=builder.tables)


def check_docx_package(data: bytes, source: str) -> None:
    """Refuse a .docx whose zip package is damaged or unpacks to too much, before anything parses it.

    The directory's declared sizes are checked first (total, and the ratio of each large member);
    then every member is read through once as a bounded stream, so a directory that understates a
    member cannot slip past (the stream stops at the declared size and the CRC check fails), and a
    damaged member is found here rather than inside python-docx. XML parts may not declare a DTD:
    Office never writes one, and a DTD is what entity-expansion ("billion laughs") attacks need.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):  # not a zip, or one cut short: its directory is at the end
        raise LoaderError(source, _NOT_A_DOCX)
    members = _zip_member_count(data)
    if members is not None and members > DOCX_MAX_MEMBERS:
        raise LoaderError(source, f"refused: the .docx package has {members:,} members; the limit is "
                                  f"{DOCX_MAX_MEMBERS:,}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if len(infos) > DOCX_MAX_MEMBERS:
                raise LoaderError(source, f"refused: the .docx package has {len(infos):,} members; the limit is "
                                          f"{DOCX_MAX_MEMBERS:,}")
            declared = sum(info.file_size for info in infos)
            if declared > DOCX_MAX_UNPACKED:
                raise LoaderError(source, f"refused before parsing: the .docx unpacks to {_megabytes(declared)} MB; "
                                          f"the limit is {_megabytes(DOCX_MAX_UNPACKED)} MB (a zip bomb?)")
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > DOCX_RATIO_FROM and ratio > DOCX_MAX_RATIO:
                    raise LoaderError(source, f"refused before parsing: {info.filename} unpacks {ratio:,.0f}:1 "
                                              f"({_megabytes(info.file_size)} MB from "
                                              f"{info.compress_size / 1024:,.0f} kB); the limit is "
                                              f"{DOCX_MAX_RATIO}:1 (a zip bomb?)")
            total = 0
            for info in infos:
                if info.is_dir():
                    continue
                try:
                    total = _read_member(package, info, total, source)
                except LoaderError:
                    raise
                except Exception as err:  # bad CRC, bad deflate data, an encrypted or unsupported member, ...
                    raise LoaderError(source, f"not a readable .docx file: {info.filename} is damaged "
                                              f"({describe(err)})") from None
    except LoaderError:
        raise
    except Exception as err:  # a directory zipfile cannot make sense of
        raise LoaderError(source, f"not a readable .docx file: damaged zip package ({describe(err)})") from None


def _read_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, source: str) -> int:
    """Read one member through, counting; returns the running total of bytes unpacked."""
    read = 0
    with package.open(info) as stream:
        while chunk := stream.read(_READ_CHUNK):
            if read == 0 and info.filename.endswith((".xml", ".rels")) and _declares_dtd(chunk):
                raise LoaderError(source, f"refused: {info.filename} declares a DTD (<!DOCTYPE>), which .docx "
                                          "parts never do (an entity-expansion attack?)")
            read += len(chunk)
            total += len(chunk)
            if read > info.file_size or total > DOCX_MAX_UNPACKED:
                raise LoaderError(source, f"refused: {info.filename} unpacks to more than its zip directory says "
                                          f"({info.file_size:,} bytes; a zip bomb?)")
    return total


def _declares_dtd(head: bytes) -> bool:
    return any(mark.encode(encoding) in head for mark in ("<!DOCTYPE", "<!ENTITY")
               for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _zip_member_count(data: bytes) -> int | None:
    """Members a zip's end record declares, read before :mod:`zipfile` builds its directory in memory."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, end + 10)
    return None if count == 0xFFFF else count  # 0xFFFF: a zip64 count, left to zipfile


@reader(".pdf")
def read_pdf(path: Path, source: str) -> DocumentText:
    """Text of every page in reading order, with wrapped lines joined back into paragraphs."""
    import pypdfium2 as pdfium  # imported here: only .pdf needs it

    data = read_file_bytes(path, source)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise LoaderError(source, "PDF is encrypted (password protected); save a copy without a password") from None
        raise LoaderError(source, f"not a readable PDF ({describe(err)})") from None
    except Exception as err:
        raise LoaderError(source, f"not a readable PDF ({describe(err)})") from None
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except Exception as err:
        raise LoaderError(source, f"not a readable PDF ({describe(err)})") from None
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


def _table_rows(tbl) -> list[list[str]]:
    """The text of each row's cells, a merged cell once per row, as python-docx's ``Table.rows`` would give.

    Read straight from the XML: python-docx finds the cell above a vertically merged one by
    walking up row by row from each row (quadratic in the height of the merge, and a RecursionError
    past a thousand rows); here each grid column remembers the cell that holds it. A merge
    continued where no cell is above is read as a cell of its own.
    """
    rows: list[list[str]] = []
    above: dict[int, object] = {}  # grid column -> the cell (w:tc) holding it in the row above
    for tr in tbl.tr_lst:
        holding: dict[int, object] = {}
        cells: list = []
        column = tr.grid_before
        for tc in tr.tc_lst:
            cell = above.get(column, tc) if tc.vMerge == "continue" else tc
            span = tc.grid_span
            for offset in range(column, column + span):
                holding[offset] = cell
            if not cells or cells[-1] is not cell:  # a horizontal span is one cell
                cells.append(cell)
            column += span
        above = holding
        rows.append([_cell_text(cell) for cell in cells])
    return rows


def _cell_text(tc) -> str:
    return "\n".join(p.text for p in tc.p_lst).strip()


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SENTENCE_END = tuple("。；;：:！!？?）)")
_STARTS_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、](?!\d)|[①-⑳]"
    r"|(?:牵头|责任|配合|协办|参与|主责)(?:单位|部门))"
)


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """PDF text breaks at the page edge; join a line to the next unless a sentence or item ends."""
    paragraphs: list[list[str]] = []  # each paragraph as its lines: joining strings one by one is quadratic
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if paragraphs and not paragraphs[-1][-1].endswith(_SENTENCE_END) and not _STARTS_ITEM.match(line):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return ["".join(parts) for parts in paragraphs]
