"""Responsibility notes: find the note of an item and read the units it names.

All matching runs on normalised text (see :mod:`loaders.normalize`); spans are
offsets into it and therefore into the original text too.

>>> text = "建平台。(牵头单位:市科技局;责任单位:市财政局、市人社局等)"
>>> note = find_responsibility_note(text, 0, len(text))
>>> [(u.name, u.role, u.lead_basis, u.rank) for u in read_note_units(text, note, NoteRules())]
[('市科技局', 'lead', 'explicit', 1), ('市财政局', 'responsible', None, 2), ('市人社局', 'responsible', None, 3)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LABEL_ROLES = {"牵头": "lead", "主责": "lead", "责任": "responsible", "负责": "responsible",
               "配合": "support", "协办": "support", "参与": "support", "协同": "support"}
LABEL_RE = re.compile(r"(牵头|主责|责任|负责|配合|协办|参与|协同)(?:单位|部门)\s*:\s*")
LEAD_MARKS = "☆★※▲△●"
LEGEND_RE = re.compile(
    rf"[,;。]?\s*(?:标|带|注)\s*([{LEAD_MARKS}])\s*号?的?(?:单位|部门)?为牵头(?:单位|部门)[,;]?\s*(?:下同)?[。.]?"
)
FIRST_LISTED_RULE_RE = re.compile(r"(?:列|排|排在|排名)第一(?:位|个)?的?(?:单位|部门)?为牵头(?:单位|部门)")
SENTENCE_FORM_RE = re.compile(r"(牵头|负责|配合|参与|协助|协办)$")
SENTENCE_ROLES = {"牵头": "lead", "负责": "responsible", "配合": "support", "参与": "support",
                  "协助": "support", "协办": "support"}
UNIT_SEPARATORS = "、,;，；\n\t "
INCLUSION_RE = re.compile(r"^(?:含|包括|包含)")
# Suffixes an inclusion list shares: "含甲、乙管委会" means 甲管委会 and 乙管委会.
SHARED_SUFFIXES = ("管委会", "人民政府", "办事处", "管理委员会")
OPENERS = {"(": ")", "<": ">", "〈": "〉", "《": "》", "[": "]", "【": "】"}


@dataclass(frozen=True)
class NoteSpan:
    start: int          # the note as written, brackets included
    end: int
    content_start: int  # what is inside the brackets
    content_end: int
    form: str           # "bracketed", "trailing" or "sentence"


@dataclass
class NoteRules:
    """Document conventions that change how notes read, learned as the text goes on."""

    first_listed_is_explicit: bool = False
    # collective canonical-as-written -> inclusion members that hold "下同" (for later notes)
    standing_inclusions: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class UnitMention:
    name: str                 # as written (normalised text; see original_name)
    span: tuple[int, int]
    role: str
    lead_basis: str | None
    rank: int
    marked_lead: bool = False
    alias: str | None = None
    inclusion: list[str] = field(default_factory=list)
    inclusion_standing: bool = False


def matching_bracket(text: str, start: int, limit: int) -> int:
    """Index of the bracket closing ``text[start]``, or -1; nested brackets of every kind count."""
    stack = [OPENERS[text[start]]]
    for index in range(start + 1, limit):
        char = text[index]
        if char in OPENERS:
            stack.append(OPENERS[char])
        elif char == stack[-1]:
            stack.pop()
            if not stack:
                return index
    return -1


def find_responsibility_note(text: str, start: int, end: int) -> NoteSpan | None:
    """The responsibility note of the item ``text[start:end]``, or None.

    A bracket group is a note when it opens with a label (责任单位: …) or reads
    "甲牵头，乙配合"; other brackets in the body (remarks, abbreviations, book
    titles) are not. Without brackets, a label at the start of a sentence or line
    opens a note that runs to the end of the item.
    """
    position = start
    while position < end:
        char = text[position]
        if char in OPENERS:
            close = matching_bracket(text, position, end)
            if close < 0:
                break
            if char == "(":
                inner = text[position + 1 : close].strip()
                if LABEL_RE.match(inner):
                    return NoteSpan(position, close + 1, position + 1, close, "bracketed")
                if close >= _content_end(text, start, end) - 1 and _is_sentence_form(inner):
                    return NoteSpan(position, close + 1, position + 1, close, "sentence")
            position = close + 1
            continue
        if text.startswith(("牵头", "主责", "责任", "负责", "配合", "协办", "参与", "协同"), position):
            label = LABEL_RE.match(text, position)
            if label and _opens_sentence(text, start, position):
                note_end = _content_end(text, start, end)
                return NoteSpan(position, note_end, position, note_end, "trailing")
        position += 1
    return None


def _content_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n\t。.;":
        end -= 1
    return end


def _opens_sentence(text: str, start: int, position: int) -> bool:
    before = text[start:position].rstrip(" \t")
    return not before or before[-1] in "。\n;:!?)"


def _is_sentence_form(inner: str) -> bool:
    parts = [p for p in re.split(r"[,;]", inner) if p.strip()]
    return bool(parts) and all(SENTENCE_FORM_RE.search(p.strip()) for p in parts) and any(
        p.strip().endswith("牵头") or p.strip().endswith("负责") for p in parts
    )


def learn_document_rules(text: str) -> NoteRules:
    """Conventions stated once for the whole document, such as 列第一位的为牵头单位."""
    return NoteRules(first_listed_is_explicit=bool(FIRST_LISTED_RULE_RE.search(text)))


def read_note_units(text: str, note: NoteSpan, rules: NoteRules, heading_leads: int = 0) -> list[UnitMention]:
    """The units of a note in order, with roles.

    ``heading_leads`` is the number of lead units a heading already named for
    this item (一、县XX局牵头工作): ranks continue after them and no unit of
    the note is then taken as first-listed lead.
    """
    mentions: list[UnitMention] = []
    for role, seg_start, seg_end in _labelled_segments(text, note):
        mentions.extend(read_unit_list(text, seg_start, seg_end, role, rules))
    return assign_roles(mentions, rules, heading_leads)


def read_unit_list(text: str, start: int, end: int, role: str, rules: NoteRules) -> list[UnitMention]:
    """Units of one list with one role (a table cell, a heading's lead); ranks are left at 0."""
    mentions = []
    for token_start, token_end in _split_units(text, start, end):
        mention = _read_unit(text, token_start, token_end, role, rules)
        if mention is not None:
            mentions.append(mention)
    return mentions


def assign_roles(mentions: list[UnitMention], rules: NoteRules, heading_leads: int = 0) -> list[UnitMention]:
    """Lead by mark or label, else the first-listed responsible unit; then ranks in order."""
    _assign_lead(mentions, rules, heading_leads)
    for rank, mention in enumerate(mentions, start=heading_leads + 1):
        mention.rank = rank
    return mentions


def _labelled_segments(text: str, note: NoteSpan) -> list[tuple[str, int, int]]:
    start, end = note.content_start, note.content_end
    if note.form == "sentence":
        segments = []
        position = start
        for match in re.finditer(r"[,;]|$", text[start:end]):
            piece_end = start + match.start()
            piece = text[position:piece_end].strip()
            verb = SENTENCE_FORM_RE.search(piece)
            if verb:
                segments.append((SENTENCE_ROLES[verb.group(1)], position, piece_end - len(verb.group(1))))
            position = start + match.end()
        return segments
    labels = list(LABEL_RE.finditer(text, start, end))
    segments = []
    for index, label in enumerate(labels):
        seg_end = labels[index + 1].start() if index + 1 < len(labels) else end
        segments.append((LABEL_ROLES[label.group(1)], label.end(), seg_end))
    return segments


def _split_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a list of units at separators outside brackets; drop legends and the closing 。"""
    legend = LEGEND_RE.search(text, start, end)
    if legend:
        end = legend.start()
    tokens = []
    token_start = start
    position = start
    while position < end:
        char = text[position]
        if char in OPENERS:
            close = matching_bracket(text, position, end)
            position = (close if close >= 0 else end - 1) + 1
            continue
        if char in UNIT_SEPARATORS or char in "。":
            tokens.append((token_start, position))
            token_start = position + 1
        position += 1
    tokens.append((token_start, end))
    return [(s, e) for s, e in tokens if text[s:e].strip(" 。.")]


def _read_unit(text: str, start: int, end: int, role: str, rules: NoteRules) -> UnitMention | None:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t。.":
        end -= 1
    marked = False
    while start < end and text[start] in LEAD_MARKS:
        marked = True
        start += 1
    inclusion: list[str] = []
    standing = False
    alias = None
    # Trailing brackets: (牵头), an inclusion remark <含…，下同>, or an alias / former name.
    while end > start and text[end - 1] in ")>〉】":
        opener = _opening_bracket(text, start, end - 1)
        if opener < 0:
            break
        inner = text[opener + 1 : end - 1].strip()
        if inner == "牵头":
            marked = True
        elif INCLUSION_RE.match(inner):
            standing = "下同" in inner
            inclusion = split_member_list(INCLUSION_RE.sub("", inner).replace("下同", ""))
        elif "、" in inner or opener == start:
            break  # 各县(市、区)人民政府: the bracket is part of the name
        else:
            alias = inner
        end = opener
        while end > start and text[end - 1] in " \t":
            end -= 1
    for suffix in ("等单位", "等部门", "等"):
        if text.endswith(suffix, start, end) and end - len(suffix) > start:
            end -= len(suffix)
            break
    name = text[start:end].strip()
    if not name:
        return None
    return UnitMention(name=name, span=(start, end), role=role, lead_basis=None, rank=0,
                       marked_lead=marked, alias=alias, inclusion=inclusion, inclusion_standing=standing)


def _opening_bracket(text: str, start: int, close: int) -> int:
    closer = text[close]
    opener = {v: k for k, v in OPENERS.items()}[closer]
    depth = 0
    for index in range(close, start - 1, -1):
        if text[index] == closer:
            depth += 1
        elif text[index] == opener:
            depth -= 1
            if depth == 0:
                return index
    return -1


def split_member_list(members: str) -> list[str]:
    """'甲开发区、乙新区管委会' -> ['甲开发区管委会', '乙新区管委会'] (a shared suffix distributes)."""
    names = [m.strip(" ,;、。") for m in re.split(r"[、,;，；]", members)]
    names = [n for n in names if n]
    if names:
        shared = next((s for s in SHARED_SUFFIXES if names[-1].endswith(s)), None)
        if shared:
            names = [n if n.endswith(SHARED_SUFFIXES) else n + shared for n in names]
    return names


def _assign_lead(mentions: list[UnitMention], rules: NoteRules, heading_leads: int) -> None:
    for mention in mentions:
        # A mark (☆, ★, "（牵头）") means lead whether or not its legend survived extraction.
        if mention.marked_lead:
            mention.role = "lead"
        if mention.role == "lead":
            mention.lead_basis = "explicit"
    if heading_leads or any(m.role == "lead" for m in mentions):
        return
    first = next((m for m in mentions if m.role == "responsible"), None)
    if first is not None and first is mentions[0]:
        first.role = "lead"
        first.lead_basis = "explicit" if rules.first_listed_is_explicit else "first-listed"
