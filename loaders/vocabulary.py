"""The words responsibility notes are written in, from ``data/notes/vocabulary.toml``.

Labels (牵头单位: …), role words (甲牵头, 乙配合), legends (标☆的为牵头单位, 列第一位的为牵头单位),
remarks that are not notes (不再列出) and how unit names end: a new form of note is a line of data.

>>> vocabulary().label_roles["协同责任单位"]
'support'
>>> vocabulary().label_re.match("牵头 单位 : 市科技局").group(1)
'牵头 单位'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from loaders.knowledge import DATA_DIR

ROLES = ("lead", "responsible", "support")
LABEL_KINDS = (*ROLES, "sentence", "person", "other")


@dataclass(frozen=True)
class Vocabulary:
    label_roles: dict[str, str]          # label as written without spaces -> role or label kind
    label_re: re.Pattern[str]            # a label and its colon; group 1 is the label as written
    bracketed_label_re: re.Pattern[str]  # a label in brackets instead of before a colon: 【牵头单位】
    label_not_after: tuple[str, ...]
    role_words: tuple[tuple[str, str], ...]  # (word, role), longest first
    distributive: tuple[str, ...]
    lead_marks: str
    first_listed_res: tuple[re.Pattern[str], ...]
    mark_legend_res: tuple[re.Pattern[str], ...]
    remark_res: tuple[re.Pattern[str], ...]
    drop_suffixes: tuple[str, ...]       # longest first
    endings: tuple[str, ...]
    strong_endings: tuple[str, ...]
    person_endings: tuple[str, ...]
    legend_or_remark_re: re.Pattern[str]  # any legend or remark: one search to rule both out
    collective_parts: tuple[str, ...]
    joiners: tuple[str, ...]
    remark_openers: tuple[str, ...]
    collective_joiners: tuple[str, ...]

    def label_role(self, written: str) -> str:
        return self.label_roles[re.sub(r"\s+", "", written)]

    def is_legend(self, text: str) -> bool:
        return any(r.search(text) for r in self.first_listed_res + self.mark_legend_res)

    def is_remark(self, text: str) -> bool:
        return any(r.search(text) for r in self.remark_res)


def _spaced(word: str) -> str:
    """A word as a pattern that allows line-wrap spaces between its characters."""
    return r"[ \t]?".join(re.escape(char) for char in word)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    with open(DATA_DIR / "notes" / "vocabulary.toml", "rb") as handle:
        table = tomllib.load(handle)
    label_roles: dict[str, str] = {}
    for kind in LABEL_KINDS:
        for label in table["labels"].get(kind, ()):
            if label in label_roles:
                raise ValueError(f"vocabulary.toml: label {label!r} listed twice")
            label_roles[label] = kind
    labels = sorted(label_roles, key=len, reverse=True)
    label_re = re.compile("(" + "|".join(_spaced(label) for label in labels) + r")[ \t]*:[ \t]*")
    bracketed_label_re = re.compile("[【\\[〔]((?:" + "|".join(_spaced(label) for label in labels) + r"))[】\]〕]")
    role_words = sorted(((word, role) for role in ROLES for word in table["role_words"].get(role, ())),
                        key=lambda pair: len(pair[0]), reverse=True)
    legends = table["legends"]
    units = table["units"]
    any_of = [*legends.get("first_listed", ()), *legends.get("mark", ()), *table["remarks"].get("patterns", ())]
    return Vocabulary(
        label_roles=label_roles,
        label_re=label_re,
        bracketed_label_re=bracketed_label_re,
        label_not_after=tuple(table["labels"].get("not_after", ())),
        role_words=tuple(role_words),
        distributive=tuple(table["role_words"].get("distributive", ())),
        lead_marks=table["marks"]["lead"],
        first_listed_res=tuple(re.compile(p) for p in legends.get("first_listed", ())),
        mark_legend_res=tuple(re.compile(p) for p in legends.get("mark", ())),
        remark_res=tuple(re.compile(p) for p in table["remarks"].get("patterns", ())),
        drop_suffixes=tuple(sorted(units["drop_suffixes"], key=len, reverse=True)),
        endings=tuple(sorted(units["endings"], key=len, reverse=True)),
        strong_endings=tuple(units["strong_endings"]),
        person_endings=tuple(units["person_endings"]),
        legend_or_remark_re=re.compile("|".join(f"(?:{pattern})" for pattern in any_of)),
        collective_parts=tuple(units.get("collective_parts", ())),
        joiners=tuple(units.get("joiners", ())),
        remark_openers=tuple(table["remarks"].get("openers", ())),
        collective_joiners=tuple(units.get("collective_joiners", ())),
    )
