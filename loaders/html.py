"""Plans saved from a government web site (.html / .htm): the document body, without the site.

What is read: the text of ``<body>`` block by block (a paragraph, a heading, a list item, a
``<br>``-separated line is one line), with ``<table>`` elements kept as tables so a responsibility
table is read row by row, as a ``.docx`` table is. A cell merged over several rows (``rowspan``)
has its text in every row it spans; a cell merged over several columns (``colspan``) holds its
text in its first column and leaves the others empty, so columns keep their place. A table that
holds another table is page layout, not data: its cells are read as blocks.

What is not read: ``<head>`` (the ``<title>`` is the site's), script, style and other non-text
elements, and the site's chrome: ``<header>``, ``<nav>``, ``<footer>``, ``<aside>`` and elements
whose class or id names a header, navigation, breadcrumb, footer, sidebar, share or print bar.

The charset is the one the page declares (``<meta charset>``, or the ``http-equiv`` form; GB2312
and GBK read as GB18030, their superset) when the bytes decode in it, except that bytes that are
valid UTF-8 are UTF-8 (pages saved as UTF-8 keep their old GB2312 declaration); with no usable
declaration it is detected as for a text file (UTF-8, then GB18030).
Nesting deeper than :data:`MAX_DEPTH` is read as if flat, and spans are clamped to
:data:`MAX_COLSPAN` columns and to the rows the table has, so no page costs more than its size.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from loaders.encoding import decode_text_bytes
from loaders.errors import LoaderError

MAX_DEPTH = 200
MAX_COLSPAN = 64
_HEAD_BYTES = 4096

_SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                      "canvas", "select", "button", "textarea", "map"})
_CHROME_TAGS = frozenset({"header", "nav", "footer", "aside"})
# class / id tokens (split at spaces, '-' and '_') that name site chrome rather than the document
_CHROME_TOKENS = frozenset({
    "header", "nav", "navbar", "navigation", "menu", "topbar", "top", "banner", "crumb", "crumbs",
    "breadcrumb", "breadcrumbs", "bread", "position", "location", "path", "footer", "foot", "bottom",
    "copyright", "sidebar", "side", "share", "print", "toolbar", "search", "login", "skip",
})
_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "thead", "tbody", "tfoot", "caption", "section", "article", "main", "blockquote", "pre", "hr",
    "address", "figure", "figcaption", "center", "form", "fieldset", "body", "html",
})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "param",
                   "source", "track", "wbr", "keygen"})
_CLOSES_P = _BLOCKS - {"br", "td", "th", "tr", "body", "html"}
_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES_RE = re.compile(r"[ \t\n\r\f\v\u00a0\u3000]+")
# Chinese sites declare the smaller sets and write GBK or GB18030 characters: read the superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
              "euc-cn": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)


@dataclass
class HtmlContent:
    """The page as lines of text and tables, in order: ``("line", text)`` or ``("table", rows)``."""

    blocks: list[tuple[str, object]]
    encoding: str


def decode_html_bytes(data: bytes, source: str) -> tuple[str, str]:
    """The page's text and encoding: a BOM, else the declared charset if the bytes decode in it, else detected."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        declared = _declared_charset(data[:_HEAD_BYTES])
        if declared and declared != "utf-8" and _is_utf8(data):
            declared = "utf-8"  # valid UTF-8 with Chinese in it is UTF-8 whatever the page says
        if declared:
            try:
                return data.decode(declared), declared
            except UnicodeDecodeError:
                pass  # a page mislabelled (often UTF-8 said to be GB2312): detect instead
    return decode_text_bytes(data, source)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_charset(head: bytes) -> str | None:
    match = _CHARSET_RE.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_html_content(data: bytes, source: str) -> HtmlContent:
    text, encoding = decode_html_bytes(data, source)
    parser = _TreeBuilder()
    parser.feed(text)
    parser.close()
    blocks = _Renderer().render(parser.root)
    if not any(kind == "table" or content for kind, content in blocks):
        raise LoaderError(source, "web page has no text in its body (outside the site's header, menus and footer)")
    return HtmlContent(blocks=blocks, encoding=encoding)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: an end tag closes up to its open element; a stray one is ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self._stack: list[Node] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" or tag in _CLOSES_P:
            self._close_open_p()
        if tag in ("td", "th", "tr"):
            self._close_open_cells(tag)
        node = Node(tag, {name: value or "" for name, value in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID and len(self._stack) < MAX_DEPTH:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return
            if self._stack[depth].tag == "table" and tag != "table":
                return  # an end tag never closes across a table it is not in

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)

    def _close_open_p(self) -> None:
        if self._stack[-1].tag == "p":
            self._stack.pop()

    def _close_open_cells(self, tag: str) -> None:
        """``<td>a<td>b``: an unclosed cell (or row) ends where the next one starts, inside the same table."""
        closing = ("td", "th") if tag in ("td", "th") else ("tr",)
        for depth in range(len(self._stack) - 1, 0, -1):
            current = self._stack[depth].tag
            if current in ("table", "tr") and current not in closing:
                return  # a cell starting in a row closes only the cells of that row
            if current == "table":
                return
            if current in closing:
                del self._stack[depth:]
                return


def _is_chrome(node: Node) -> bool:
    if node.tag in _CHROME_TAGS:
        return True
    names = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')} {node.attrs.get('role', '')}".lower()
    return any(token in _CHROME_TOKENS for token in re.split(r"[\s_-]+", names) if token)


def _has_table(node: Node) -> bool:
    stack = [child for child in node.children if isinstance(child, Node)]
    while stack:
        current = stack.pop()
        if current.tag == "table":
            return True
        stack.extend(child for child in current.children if isinstance(child, Node))
    return False


class _Renderer:
    """Blocks of the body: inline text gathered into lines, data tables as rows of cell texts."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, object]] = []
        self._buffer: list[str] = []

    def render(self, root: Node) -> list[tuple[str, object]]:
        self._walk(root, pre=False)
        self._flush()
        return [(kind, content) for kind, content in self.blocks if kind == "table" or content]

    def _walk(self, node: Node, pre: bool) -> None:
        for child in node.children:
            if isinstance(child, str):
                self._buffer.append(child if pre else _SPACES_RE.sub(" ", child))
                continue
            if child.tag in _SKIPPED or _is_chrome(child):
                continue
            if child.tag == "table" and not _has_table(child):
                self._flush()
                self.blocks.append(("table", _table_rows(child)))
                continue
            block = child.tag in _BLOCKS
            if block:
                self._flush()
            self._walk(child, pre or child.tag == "pre")
            if block:
                self._flush()

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        for line in text.split("\n"):
            line = _SPACES_RE.sub(" ", line).strip()
            if line:
                self.blocks.append(("line", line))


def _cell_text(cell: Node) -> str:
    """A cell's text, its paragraphs (or ``<br>`` lines) one per line."""
    renderer = _Renderer()
    lines = [content for kind, content in renderer.render(Node("#cell", {}, cell.children)) if kind == "line"]
    return "\n".join(lines)  # type: ignore[arg-type]


def _rows_of(table: Node) -> list[Node]:
    rows: list[Node] = []
    stack = list(reversed(table.children))
    while stack:
        child = stack.pop()
        if not isinstance(child, Node) or child.tag in _SKIPPED:
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            stack.extend(reversed(child.children))
    return rows


def _span(value: str, limit: int) -> int:
    try:
        return max(1, min(int(value.strip() or 1), limit))
    except ValueError:
        return 1


def _table_rows(table: Node) -> list[list[str]]:
    """Rows of cell texts on the table's grid: rowspan repeats a cell's text, colspan pads with empty cells."""
    trs = _rows_of(table)
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill) from a rowspan above
    for index, tr in enumerate(trs):
        row: list[str] = []
        for cell in tr.children:
            if not isinstance(cell, Node) or cell.tag not in ("td", "th"):
                continue
            _fill_from_above(row, pending)
            text = _cell_text(cell)
            colspan = _span(cell.attrs.get("colspan", "1"), MAX_COLSPAN)
            rowspan = _span(cell.attrs.get("rowspan", "1"), len(trs) - index)
            for offset in range(colspan):
                if rowspan > 1:
                    pending[len(row)] = (text if offset == 0 else "", rowspan - 1)
                row.append(text if offset == 0 else "")
        _fill_from_above(row, pending)
        while pending and len(row) <= max(pending):  # spans from above past this row's last cell
            if len(row) in pending:
                _fill_from_above(row, pending)
            else:
                row.append("")
        if any(text.strip() for text in row):
            rows.append(row)
    return rows


def _fill_from_above(row: list[str], pending: dict[int, tuple[str, int]]) -> None:
    """Append to ``row`` the cells that rowspans from rows above hold at its next columns."""
    while len(row) in pending:
        column = len(row)
        text, left = pending[column]
        row.append(text)
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (text, left - 1)
