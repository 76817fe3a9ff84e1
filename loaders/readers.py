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
from loaders.knowledge import not_plans
from loaders.model import LoaderWarning

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
    """A table cell's text and span; ``lines`` are the spans of its paragraphs when it has several.

    A cell's paragraphs are one line of the text, joined by spaces; ``lines`` keeps where each
    one is, since in a unit column each paragraph usually names a unit of its own.
    """

    text: str
    span: tuple[int, int]
    lines: tuple[tuple[int, int], ...] = ()


@dataclass
class Table:
    rows: list[list[Cell]]
    span: tuple[int, int]
    warnings: list[LoaderWarning] = field(default_factory=list)  # what the reader could not read surely


@dataclass
class DocumentText:
    text: str
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None


def reading_json(document: DocumentText) -> str | None:
    """What a reader found beside the text (its tables, cell by cell), as JSON; None for text alone.

    Kept with the document in the graph, so that it can be extracted again from the store alone
    (a corrected government re-scopes every unit; removing a plan re-reads the plans that shared
    its agencies) exactly as from its file: :func:`document_text` turns it back.

    >>> table = Table(rows=[[Cell("牵头单位", (0, 4)), Cell("市科技局", (5, 9), ((5, 9),))]], span=(0, 9))
    >>> text = "牵头单位\t市科技局"
    >>> document_text(text, reading_json(DocumentText(text, [table]))).tables == [table]
    True
    """
    import json

    if not document.tables:
        return None
    tables = [{"span": list(table.span), "warnings": [w.model_dump() for w in table.warnings],
               "rows": [[[cell.text, list(cell.span), [list(line) for line in cell.lines]] for cell in row]
                        for row in table.rows]} for table in document.tables]
    return json.dumps({"tables": tables}, ensure_ascii=False, separators=(",", ":"))


def document_text(text: str, reading: str | None) -> DocumentText:
    """The :class:`DocumentText` a reader returned, from the text and :func:`reading_json`'s JSON."""
    import json

    if not reading:
        return DocumentText(text=text)
    tables = [Table(rows=[[Cell(cell[0], (cell[1][0], cell[1][1]), tuple((a, b) for a, b in cell[2]))
                           for cell in row] for row in table["rows"]],
                    span=(table["span"][0], table["span"][1]),
                    warnings=[LoaderWarning(**w) for w in table["warnings"]])
              for table in json.loads(reading)["tables"]]
    return DocumentText(text=text, tables=tables)


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


def plan_files(paths: list[str | Path], skipped: list[str] | None = None) -> list[str]:
    """Files in the order given; a folder contributes the files a reader is registered for, sorted,
    except a folder's own documentation (``data/folders.toml``: README.md, LICENSE …), which goes to
    ``skipped`` when given: loaded with the folder, a README's list items read as actions.

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
        found = [p for p in sorted(path.rglob("*")) if _is_plan_entry(p)]
        documentation = [p for p in found if p.stem.upper() in not_plans()]
        if skipped is not None:
            skipped.extend(str(p) for p in documentation)
        found = [str(p) for p in found if p not in documentation]
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
    from loaders.tables import find_text_tables  # imported here: it imports this module

    text, encoding = decode_text_bytes(read_file_bytes(path, source), source)
    text = _unify_newlines(text)
    return DocumentText(text=text, tables=find_text_tables(text), encoding=encoding)


@reader(".html", ".htm")
def read_html(path: Path, source: str) -> DocumentText:
    """A page saved from a site: the body's text by blocks, without the site's chrome; tables as tables."""
    from loaders.html import read_html_content  # imported here: both import this module
    from loaders.tables import find_text_tables

    content = read_html_content(read_file_bytes(path, source), source)
    builder = _TextBuilder()
    for kind, value in content.blocks:
        if kind == "table":
            builder.add_table(value)
        else:
            builder.add_line(value)
    text = builder.text()
    # a table the page itself flattened (a paragraph per cell) is found as in a .txt copy of it
    flattened = [table for table in find_text_tables(text)
                 if not any(table.span[0] < other.span[1] and other.span[0] < table.span[1]
                            for other in builder.tables)]
    tables = sorted(builder.tables + flattened, key=lambda table: table.span[0])
    return DocumentText(text=text, tables=tables, encoding=content.encoding)


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
    """Text of every page in reading order, wrapped lines joined back into paragraphs; ruled tables as tables.

    A table is found from the rules drawn around its cells (see :func:`_page_tables`); its cells'
    characters are taken out of the running text and read cell by cell. A page without ruled
    tables reads exactly as before tables were looked for.
    """
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
        blocks: list[tuple[str, object]] = []  # ("text", page text outside tables) or ("table", rows)
        for page in pdf:
            textpage = page.get_textpage()
            blocks.extend(_page_blocks(page, textpage))
            textpage.close()
            page.close()
    except Exception as err:
        raise LoaderError(source, f"not a readable PDF ({describe(err)})") from None
    finally:
        pdf.close()
    builder = _TextBuilder()
    texts: list[str] = []
    for kind, value in [*_tables_across_pages(blocks), ("end", None)]:
        if kind == "text":
            texts.append(value)  # type: ignore[arg-type]
            continue
        lines = _unify_newlines("\n".join(texts)).split("\n")
        texts = []
        for line in _join_wrapped_lines(lines):
            builder.add_line(line)
        if kind == "table":
            builder.add_table(value)  # type: ignore[arg-type]
    text = builder.text().rstrip("\n") if not builder.tables else builder.text()
    if not text.strip():
        raise LoaderError(source, "PDF has no text layer (scanned images are not supported)")
    return DocumentText(text=text, tables=builder.tables)


PDF_PAGE_MARK_MAX = 12  # characters: a line between two tables no longer than this is a page number or header


def _tables_across_pages(blocks: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """A table broken by a page break is one table: its part on the next page, with as many columns
    and nothing but page marks (a page number, a running head) between, continues it; a header
    row repeated at the top of that part is dropped."""
    from loaders.tables import header_kind  # imported here: it imports this module

    def is_header(row: list[str]) -> bool:
        return sum(1 for cell in row if cell.strip() and len(cell) <= 16 and header_kind(cell)) >= 2

    merged: list[tuple[str, object]] = []
    last_table: int | None = None  # index in merged of the table that text since then has not ended
    for kind, value in blocks:
        if kind == "text":
            if any(len(line.strip()) > PDF_PAGE_MARK_MAX for line in str(value).splitlines()):
                last_table = None
            merged.append((kind, value))
            continue
        rows: list[list[str]] = value  # type: ignore[assignment]
        previous = merged[last_table][1] if last_table is not None else None
        if previous and rows and len(rows[0]) == len(previous[0]) and is_header(previous[0]):  # type: ignore
            continuing = rows[1:] if rows[0] == previous[0] else rows  # type: ignore[index]
            if not continuing or not is_header(continuing[0]):
                del merged[last_table + 1 :]  # the page marks between the two parts go
                previous.extend(continuing)  # type: ignore[union-attr]
                continue
        merged.append((kind, rows))
        last_table = len(merged) - 1
    return merged


PDF_BUCKET = 48.0          # points: the squares rules are sorted into to find which touch
PDF_SNAP = 2.0             # points: rules this close are one rule
PDF_MAX_RULES = 5_000      # a page drawn with more path objects than this is a drawing, not searched for tables
PDF_MIN_CELL = 4.0         # points: a box narrower or lower than this is a rule, not a cell


def _page_blocks(page, textpage) -> list[tuple[str, object]]:
    """The page as text outside its tables and the tables' rows, in reading order."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    tables = _page_tables(page, textpage, text, count) if count else []
    if not tables:
        return [("text", text)]
    blocks: list[tuple[str, object]] = []
    outside: list[str] = []
    owner = {}
    for table_index, (_, chars) in enumerate(tables):
        for index in chars:
            owner[index] = table_index
    emitted: set[int] = set()
    for index in range(count):
        table_index = owner.get(index)
        if table_index is None:
            outside.append(text[index] if index < len(text) else "")
            continue
        if table_index not in emitted:
            emitted.add(table_index)
            blocks.append(("text", "".join(outside)))
            outside = []
            blocks.append(("table", tables[table_index][0]))
    blocks.append(("text", "".join(outside)))
    return blocks


def _page_tables(page, textpage, text: str, count: int) -> list[tuple[list[list[str]], set[int]]]:
    """Ruled tables on a page: each as its rows of cell texts and the indices of the characters in it.

    Rules are the page's path objects: thin ones are lines, others the outlines of boxes. Rules that
    touch form one table; its grid is the distinct positions of its rules. A grid cell with no rule
    between it and the cell above (or to its left) is merged with it: a merged cell's text is
    repeated in every row it spans, and kept in the first of the columns it spans.
    """
    import pypdfium2.raw as pdfium_c

    horizontal: list[tuple[float, float, float]] = []  # (y, x0, x1)
    vertical: list[tuple[float, float, float]] = []    # (x, y0, y1)
    for paths, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2), start=1):
        if paths > PDF_MAX_RULES:
            return []
        left, bottom, right, top = obj.get_bounds()
        wide, high = right - left, top - bottom
        if high < PDF_MIN_CELL and wide >= PDF_MIN_CELL:
            horizontal.append(((top + bottom) / 2, left, right))
        elif wide < PDF_MIN_CELL and high >= PDF_MIN_CELL:
            vertical.append(((left + right) / 2, bottom, top))
        elif wide >= PDF_MIN_CELL and high >= PDF_MIN_CELL:
            horizontal += [(bottom, left, right), (top, left, right)]
            vertical += [(left, bottom, top), (right, bottom, top)]
    if len(horizontal) < 3 or len(vertical) < 3:
        return []
    tables = []
    for group_h, group_v in _rule_groups(horizontal, vertical):
        table = _grid_table(group_h, group_v, textpage, text, count)
        if table is not None:
            tables.append(table)
    return tables


def _rule_groups(horizontal, vertical):
    """Rules that touch one another, grouped (one group per table)."""
    rules = [("h", rule) for rule in horizontal] + [("v", rule) for rule in vertical]
    boxes = [(r[1] - PDF_SNAP, r[0] - PDF_SNAP, r[2] + PDF_SNAP, r[0] + PDF_SNAP) if kind == "h" else
             (r[0] - PDF_SNAP, r[1] - PDF_SNAP, r[0] + PDF_SNAP, r[2] + PDF_SNAP) for kind, r in rules]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, int], list[int]] = {}  # only rules in one square of the page can touch
    for i, (left, bottom, right, top) in enumerate(boxes):
        for bx in range(int(left // PDF_BUCKET), int(right // PDF_BUCKET) + 1):
            for by in range(int(bottom // PDF_BUCKET), int(top // PDF_BUCKET) + 1):
                buckets.setdefault((bx, by), []).append(i)
    for members in buckets.values():
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                if find(i) == find(j):
                    continue
                a, b = boxes[i], boxes[j]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                    parent[find(i)] = find(j)
    groups: dict[int, tuple[list, list]] = {}
    for index, (kind, rule) in enumerate(rules):
        group = groups.setdefault(find(index), ([], []))
        group[0 if kind == "h" else 1].append(rule)
    return list(groups.values())


def _snapped(values: list[float]) -> list[float]:
    positions: list[float] = []
    for value in sorted(values):
        if not positions or value - positions[-1] > PDF_SNAP:
            positions.append(value)
    return positions


def _covers(rules, at: float, low: float, high: float) -> bool:
    """Whether a rule lies at ``at`` and runs across the middle of ``low``..``high``."""
    middle = (low + high) / 2
    return any(abs(position - at) <= PDF_SNAP and start - PDF_SNAP <= middle <= end + PDF_SNAP
               for position, start, end in rules)


def _grid_table(horizontal, vertical, textpage, text: str, count: int):
    from bisect import bisect_right

    ys = _snapped([rule[0] for rule in horizontal])[::-1]  # top to bottom (PDF y grows upwards)
    xs = _snapped([rule[0] for rule in vertical])
    if len(ys) < 3 or len(xs) < 3:
        return None  # one row or one column: a frame around text, not a table
    rows, columns = len(ys) - 1, len(xs) - 1
    owner = [[(r, c) for c in range(columns)] for r in range(rows)]
    for r in range(rows):
        for c in range(columns):
            if c and not _covers(vertical, xs[c], ys[r + 1], ys[r]):
                owner[r][c] = owner[r][c - 1]
            elif r and not _covers(horizontal, ys[r], xs[c], xs[c + 1]):
                owner[r][c] = owner[r - 1][c]
    chars: dict[tuple[int, int], list[int]] = {}
    boxes: dict[int, tuple[float, float, float, float]] = {}
    ascending = ys[::-1]
    for index in range(count):
        left, bottom, right, top = textpage.get_charbox(index)
        x, y = (left + right) / 2, (bottom + top) / 2
        if not (xs[0] < x < xs[-1] and ys[-1] < y < ys[0]):
            continue
        c = bisect_right(xs, x) - 1
        r = rows - bisect_right(ascending, y)
        if 0 <= r < rows and 0 <= c < columns:
            chars.setdefault(owner[r][c], []).append(index)
            boxes[index] = (left, bottom, right, top)
    if not chars:
        return None
    texts = {cell: _cell_chars_text(indices, boxes, text, _right_edge(owner, cell, xs))
             for cell, indices in chars.items()}
    table = []
    for r in range(rows):
        row = []
        for c in range(columns):
            cell = owner[r][c]
            first_column = c == 0 or owner[r][c - 1] != cell
            row.append(texts.get(cell, "") if first_column else "")
        table.append(row)
    used = {index for indices in chars.values() for index in indices}
    return table, used


def _right_edge(owner, cell: tuple[int, int], xs: list[float]) -> float:
    """The x of the right edge of a (possibly merged) cell."""
    row, column = cell
    while column + 1 < len(owner[row]) and owner[row][column + 1] == cell:
        column += 1
    return xs[column + 1]


def _cell_chars_text(indices: list[int], boxes, text: str, right_edge: float) -> str:
    """A cell's characters as text: a line that runs to the cell's right edge wraps on; a shorter one ends."""
    lines: list[tuple[str, float, float]] = []  # (text, right end, widest character)
    current: list[str] = []
    right, widest = 0.0, 0.0
    for index in indices:
        char = text[index] if index < len(text) else ""
        if char in "\r\n":
            if current:
                lines.append(("".join(current), right, widest))
                current, right, widest = [], 0.0, 0.0
            continue
        left, _, char_right, _ = boxes[index]
        current.append(char)
        if char.strip():
            right, widest = max(right, char_right), max(widest, char_right - left)
    if current:
        lines.append(("".join(current), right, widest))
    out = ""
    for number, (line, end, widest) in enumerate(lines):
        out += line.strip()
        wrapped = right_edge - end < 1.5 * max(widest, 1.0)
        if number + 1 < len(lines) and not wrapped:
            out += "\n"
    return out


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
            raw = [_unify_newlines(cell) for cell in row]
            cells = [cell.replace("\n", " ").replace(CELL_SEPARATOR, " ") for cell in raw]
            line_start, _ = self.add_line(CELL_SEPARATOR.join(cells))
            offset = line_start
            spans = []
            for cell, paragraphs in zip(cells, raw, strict=True):
                spans.append(Cell(cell, (offset, offset + len(cell)), _paragraph_spans(paragraphs, offset)))
                offset += len(cell) + len(CELL_SEPARATOR)
            table_rows.append(spans)
        self.tables.append(Table(rows=table_rows, span=(table_start, self._length)))

    def text(self) -> str:
        return "".join(self._parts)


def _paragraph_spans(cell: str, offset: int) -> tuple[tuple[int, int], ...]:
    """Spans of the non-blank paragraphs of a cell written at ``offset``, when it has more than one."""
    spans = []
    start = offset
    for paragraph in cell.split("\n"):
        stripped = paragraph.strip()
        if stripped:
            lead = len(paragraph) - len(paragraph.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        start += len(paragraph) + 1
    return tuple(spans) if len(spans) > 1 else ()


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
