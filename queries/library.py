"""The query library: every ``queries/*.cypher`` file, with its header read into a :class:`NamedQuery`.

A header is a block of ``//`` lines at the top of the file::

    // name: actions-led-by
    // title: 机构牵头的行动 | Actions led by an agency
    // description: What an agency leads, and on what basis.
    // param: agency: agency — 机构：写法、简称或规范名 | as written, an alias or the canonical name
    // param: city: city = null — 城市 | narrow to one government
    // example: agency=市科技局 city=鄂州市

Parameter types are those of :mod:`queries.param_types`: ``string``, ``int``, and the resolved
kinds ``agency``, ``city``, ``action``, ``document``, ``kind``, ``district``, ``entity_type`` (a
name a person types, turned into the ids the query matches on).

A ``// why:`` line is for whoever edits the query next: why it is written the way it is (most often
a plan LadybugDB runs faster); the library reads it and shows it nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from queries.param_types import PARAM_TYPES

QUERY_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"^(\w+)\s*:\s*(\w+)\s*(?:=\s*(\S+))?\s*(?:[—-]+\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: Any = None
    help_zh: str = ""
    help_en: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title_zh: str
    title_en: str
    description: str
    params: tuple[Param, ...]
    example: dict[str, str]
    cypher: str
    path: Path = field(compare=False)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def example_command(self) -> str:
        args = "".join(f" --param {k}={v}" for k, v in self.example.items())
        return f"policykg query {self.name}{args}"


class QueryFileError(ValueError):
    """A query file's header is malformed."""


def parse_query_file(path: Path) -> NamedQuery:
    header: dict[str, list[str]] = {}
    body: list[str] = []
    in_header = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if in_header and line.startswith("//"):
            key, sep, value = line[2:].strip().partition(":")
            if sep:
                header.setdefault(key.strip(), []).append(value.strip())
            continue
        in_header = False
        body.append(line)
    try:
        name = header["name"][0]
        title_zh, _, title_en = header["title"][0].partition("|")
    except (KeyError, IndexError):
        raise QueryFileError(f"{path.name}: the header needs name: and title: lines") from None
    if name != path.stem:
        raise QueryFileError(f"{path.name}: name {name!r} must match the file name")
    params = tuple(_parse_param(path, line) for line in header.get("param", []))
    example = dict(pair.split("=", 1) for pair in " ".join(header.get("example", [])).split() if "=" in pair)
    cypher = "\n".join(body).strip().rstrip(";")
    for param in params:
        if f"${param.name}" not in cypher:
            raise QueryFileError(f"{path.name}: parameter {param.name} is declared but not used")
    return NamedQuery(name=name, title_zh=title_zh.strip(), title_en=title_en.strip(),
                      description=" ".join(header.get("description", [])), params=params, example=example,
                      cypher=cypher, path=path)


def _parse_param(path: Path, line: str) -> Param:
    match = _PARAM.match(line)
    if not match or match.group(2) not in PARAM_TYPES:
        raise QueryFileError(f"{path.name}: cannot read parameter line {line!r}")
    name, type_name, default, help_text = match.groups()
    help_zh, _, help_en = (help_text or "").partition("|")
    value: Any = None
    if default is not None and default != "null":
        value = int(default) if type_name == "int" else default
    return Param(name=name, type=type_name, required=default is None, default=value,
                 help_zh=help_zh.strip(), help_en=help_en.strip())


@lru_cache(maxsize=1)
def load_library() -> dict[str, NamedQuery]:
    """Every named query, by name, in file-name order."""
    return {query.name: query for query in map(parse_query_file, sorted(QUERY_DIR.glob("*.cypher")))}
