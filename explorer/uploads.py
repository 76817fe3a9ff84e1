"""What the Documents page does with an upload, as pure functions (no Streamlit, no store).

An upload is checked (kind and size, named by its file name), written to a temporary
file with its suffix so the loaders' readers pick the right format, and extracted
with the loaders. Any problem is one line naming the file: a :class:`LoaderError`,
as ``policykg extract`` would print it. The preview tables and the spans to highlight
come from the extracted :class:`PlanDocument`, or, for a document already in the
graph, from the networkx snapshot of the store.

>>> doc = extract_upload("plan.txt", "一、任务\\n（一）建设算力平台。（牵头单位：县科技局）".encode())
>>> [row["lead"] for row in action_rows(doc)]
['县科技局']
>>> extract_upload("plan.txt", b"")
Traceback (most recent call last):
...
loaders.errors.LoaderError: plan.txt: file is empty
"""

from __future__ import annotations

import html
import re
import tempfile
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from graph.vocabulary import ROLE_BY_NAME
from loaders import READERS, GivenGovernment, LoaderError, PlanDocument, extract_document, read_document

#: What an upload may be: what the loaders' reader registry reads, no other list.
UPLOAD_SUFFIXES = tuple(sorted(READERS))
UPLOAD_KINDS = ", ".join(UPLOAD_SUFFIXES)  # .docx, .htm, .html, …
#: Streamlit's "MB": its server refuses an upload over server.maxUploadSize × 1024 × 1024 bytes
#: (streamlit/web/server/starlette/starlette_routes.py), so the app's limit is counted the same way.
MIB = 1024 * 1024
UPLOAD_LIMIT_MIB = 20  # = server.maxUploadSize in .streamlit/config.toml (tests/test_app_documents.py checks)
UPLOAD_LIMIT_MB = UPLOAD_LIMIT_MIB  # Streamlit's word for it
UPLOAD_LIMIT_BYTES = UPLOAD_LIMIT_MIB * MIB  # 20,971,520


class UploadRejected(LoaderError):
    """An upload refused before it is read (wrong kind of file, too large); one line naming the file.

    ``reason`` (``"kind"`` or ``"size"``) and ``values`` let the page say it in the session's language.
    """

    def __init__(self, source: str, problem: str, reason: str = "kind", **values: str) -> None:
        super().__init__(source, problem)
        self.reason = reason
        self.values = values


def upload_name(name: str) -> str:
    """The file name an upload is known by: no folders, no control characters, never empty.

    >>> upload_name("C:\\\\Users\\\\me\\\\方案.txt"), upload_name("../../x.pdf"), upload_name("")
    ('方案.txt', 'x.pdf', 'upload')
    """
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(char for char in base if char.isprintable()).strip()
    return base or "upload"


def check_upload(name: str, size: int, limit_mb: float = UPLOAD_LIMIT_MIB) -> str:
    """The upload's name if it may be read; :class:`UploadRejected` if not (kind, size).

    The limit is in MiB (2^20 bytes), as Streamlit's server counts server.maxUploadSize: 20 lets
    through exactly the 20,971,520 bytes Streamlit's server does.

    >>> check_upload("plan.doc", 10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    explorer.uploads.UploadRejected: plan.doc: not a kind of file policykg reads (.docx, .htm, .html, ...)
    """
    name = upload_name(name)
    if PurePosixPath(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise UploadRejected(name, f"not a kind of file policykg reads ({UPLOAD_KINDS})", "kind", kinds=UPLOAD_KINDS)
    if size > limit_mb * MIB:
        raise UploadRejected(name, f"file is {size / MIB:.1f} MiB; the upload limit is {limit_mb:g} MiB", "size",
                             size=f"{size / MIB:.1f}", bytes=f"{size:,}", limit=f"{limit_mb:g}",
                             limit_bytes=f"{int(limit_mb * MIB):,}")
    return name


def extract_upload(name: str, data: bytes, limit_mb: float = UPLOAD_LIMIT_MIB,
                   given: GivenGovernment | None = None) -> PlanDocument:
    """Read uploaded bytes as a plan; raises :class:`LoaderError` (one line naming the file) for bad input.

    ``doc.source`` is the upload's file name, so the graph knows it by that name. ``given``: the
    plan's government as the person gives it in the preview (checked; see loaders.given).
    """
    name = check_upload(name, len(data), limit_mb)
    suffix = PurePosixPath(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="policykg-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return extract_document(read_document(path), name, given)
        except LoaderError as error:  # readers name the temporary file; people know the upload's name
            raise LoaderError(name, error.problem.replace(str(path), name)) from None
        except Exception as error:  # a reader library choking on a malformed file: still one plain line
            raise LoaderError(name, f"not a readable {suffix} file ({type(error).__name__})") from None


# -- preview ----------------------------------------------------------------------------------

def document_facts(doc: PlanDocument) -> list[tuple[str, str]]:
    """(field, value) pairs for the preview: what the document says about itself; empty when unknown."""
    return [
        ("title", doc.title or ""),
        ("city", doc.city or ""),
        ("province", doc.province or ""),
        ("level", doc.level or ""),
        ("issuer", doc.issuer or ""),
        ("published", doc.published or ""),
        ("addressees", "、".join(doc.addressees)),
        ("source", doc.source),
    ]


def document_counts(doc: PlanDocument) -> list[tuple[str, int]]:
    """(what, how many) pairs, counted as ``policykg extract`` counts them."""
    kinds = Counter(action.kind for action in doc.actions)
    named = {ref.canonical for action in doc.actions for ref in action.agencies if not ref.derived_from}
    leads = sum(1 for action in doc.actions for ref in action.agencies if ref.role == "lead" and not ref.derived_from)
    entities = Counter(entity.type for entity in doc.entities)
    counts = [
        ("actions", len(doc.actions)),
        ("groups", len({tuple(action.section) for action in doc.actions})),
        *((f"kind.{kind}", kinds[kind]) for kind in ("action", "goal", "safeguard") if kinds[kind]),
        ("agencies", len(named)),
        ("leads", leads),
        *((f"entity.{kind}", count) for kind, count in sorted(entities.items())),
        ("targets", len(doc.targets)),
    ]
    return counts


def action_rows(doc: PlanDocument) -> list[dict[str, Any]]:
    """One row per action: its number, kind, title, who leads and on what basis, who shares and supports it."""
    rows = []
    for action in doc.actions:
        named = [ref for ref in action.agencies if not ref.derived_from]
        leads = [ref for ref in named if ref.role == "lead"]
        basis = leads[0].lead_basis if leads else None
        lead = "、".join(ref.canonical for ref in leads)
        rows.append({
            "number": action.number,
            "kind": action.kind,
            "title": action.title,
            "lead": lead,
            "basis": basis if lead else None,
            "responsible": "、".join(ref.canonical for ref in named if ref.role == "responsible"),
            "support": "、".join(ref.canonical for ref in named if ref.role == "support"),
            "entities": len(action.entities),
            "targets": len(action.targets),
        })
    return rows


def agency_rows(doc: PlanDocument) -> list[dict[str, Any]]:
    """Every unit named in the notes: canonical name, as written, kind, type, leads / responsible / supports."""
    table: dict[str, dict[str, Any]] = {}
    for action in doc.actions:
        for ref in action.agencies:
            row = table.setdefault(ref.canonical, {
                "agency": ref.canonical, "as_written": [], "kind": ref.kind or "", "type": ref.type,
                **dict.fromkeys(ROLE_BY_NAME, 0)})  # lead, responsible, support
            if ref.name not in row["as_written"]:
                row["as_written"].append(ref.name)
            row[ref.role] += 1
    return [{**row, "as_written": "、".join(row["as_written"])} for row in table.values()]


# -- spans to highlight -----------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def markdown_text(text: str) -> str:
    """Text (a file name, a message quoting a document) that st.error / st.caption show literally, on one line.

    Markdown punctuation is backslash-escaped and ``<``, ``>``, ``&`` become entities,
    so nothing in it becomes a link, emphasis, HTML or a formula.

    >>> markdown_text("**x** <b>[l](http://e)</b>")
    '\\\\*\\\\*x\\\\*\\\\* &lt;b&gt;\\\\[l\\\\]\\\\(http\\\\://e\\\\)&lt;/b&gt;'
    """
    one_line = " ".join(str(text).split())
    return html.escape(_MARKDOWN.sub(r"\\\1", one_line), quote=False)
