"""Responsibility notes: find the note of an item and read the units it names.

All matching runs on normalised text (see :mod:`loaders.normalize`); spans are
offsets into it and therefore into the original text too. The words notes are
written in (labels, role words, legends, remarks) are data: ``data/notes/vocabulary.toml``.

>>> text = "建平台。(牵头单位:市科技局;责任单位:市财政局、市人社局等)"
>>> note = find_responsibility_note(text, 0, len(text))
>>> [(u.name, u.role, u.lead_basis, u.rank) for u in read_note_units(text, note, NoteRules())]
[('市科技局', 'lead', 'explicit', 1), ('市财政局', 'responsible', None, 2), ('市人社局', 'responsible', None, 3)]
>>> text = "建平台。(市科技局主办,市财政局、市人社局协办)"
>>> note = find_responsibility_note(text, 0, len(text))
>>> [(u.name, u.role) for u in read_note_units(text, note, NoteRules())]
[('市科技局', 'lead'), ('市财政局', 'support'), ('市人社局', 'support')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.agencies import GOVERNMENT_SUFFIXES, unit_type
from loaders.knowledge import LEVEL_CHARS, agency_names, national_prefixes, unit_types
from loaders.model import LoaderWarning
from loaders.vocabulary import vocabulary
from loaders.warning import warning

LABEL_RE = vocabulary().label_re
LEAD_MARKS = vocabulary().lead_marks
INCLUSION_RE = re.compile(r"^(?:含|包括|包含)")
# Suffixes an inclusion list shares: "含甲、乙管委会" means 甲管委会 and 乙管委会.
SHARED_SUFFIXES = ("管委会", "人民政府", "办事处", "管理委员会")
OPENERS = {"(": ")", "<": ">", "〈": "〉", "《": "》", "[": "]", "【": "】", "〔": "〕"}
CLOSERS = {close: open_ for open_, close in OPENERS.items()}
NOTE_OPENERS = "([【〔"
LIST_SEPARATORS = "、"          # inside one clause
CLAUSE_SEPARATORS = ",;，；。"    # between clauses: a role word reaches back to the last one
SPACES = " \t\n\r"
_LABEL_FIRST_CHARS = frozenset(label[0] for label in vocabulary().label_roles)
_UNKNOWN_LABEL_RE = re.compile(r"(?:^|[(\[【〔\n;,。])\s*([\u4e00-\u9fff]{2,8}?(?:单位|部门|领导))\s*:")
_NOTE_LIKE_RE = re.compile(
    r"[(\[【〔][^()\[\]【】〔〕<>。]{1,80}?(?:"
    + "|".join(re.escape(w) for w, role in vocabulary().role_words if role == "lead" or w.endswith("负责"))
    + r")[)\]】〕]")
_NON_SPACE_RE = re.compile(r"\S")
_LEAD_WORDS = frozenset([*(w for w, role in vocabulary().role_words if role == "lead"),
                         *(label for label, kind in vocabulary().label_roles.items() if kind == "lead")])
_OPEN_BRACKET_RE = re.compile(r"[(<\[【〔]")
_ROLE_WORD_ENDS = frozenset(word[-1] for word, _role in vocabulary().role_words)
_DROP_SUFFIX_ENDS = frozenset(suffix[-1] for suffix in vocabulary().drop_suffixes)
_CJK_NAME_RE = re.compile(r"^[\u3400-\u9fff()·—\-、]+$")


@dataclass(frozen=True)
class NoteSpan:
    start: int          # the note as written, brackets included
    end: int
    content_start: int  # what is inside the brackets
    content_end: int
    form: str           # "bracketed", "unlabelled" (a bracket of units), "trailing", or "cut" (by the text's end)
    later_notes: int = 0  # notes after this one in the same item (actions run on in one item)


@dataclass
class NoteRules:
    """Document conventions that change how notes read, learned as the text goes on."""

    # A legend says the first-listed unit leads (列第一位的为牵头单位): anywhere in the document,
    # and where it is first said (notes from there on read it; notes before it do not).
    first_listed_is_explicit: bool = False
    first_listed_from: int | None = None
    # collective canonical-as-written -> inclusion members that hold "下同" (for later notes)
    standing_inclusions: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[LoaderWarning] = field(default_factory=list)

    def first_listed_explicit_at(self, position: int | None) -> bool:
        if position is None:
            return self.first_listed_is_explicit
        return self.first_listed_from is not None and self.first_listed_from < position


@dataclass
class UnitMention:
    name: str                 # as written, whitespace removed (normalised text; see original_name)
    span: tuple[int, int]
    role: str
    lead_basis: str | None
    rank: int
    marked_lead: bool = False
    alias: str | None = None
    inclusion: list[str] = field(default_factory=list)
    inclusion_standing: bool = False
    level: str = ""  # the level character an earlier unit of the list gives this one (省商务厅、财政厅)


# -- what a unit name looks like ----------------------------------------------------------------
_NO_SPACES = {ord(char): None for char in " \t\n\r\f\v\u3000"}


def _plain(name: str) -> str:
    if " " in name or "\n" in name or "\t" in name or "\r" in name or "\u3000" in name or "\f" in name or "\v" in name:
        return name.translate(_NO_SPACES)
    return name


def _without_brackets(name: str) -> str:
    if _OPEN_BRACKET_RE.search(name) is None:
        return name
    return re.sub(r"[(<\[【〔][^()<>\[\]【】〔〕]*[)>\]】〕]", "", name)


@lru_cache(maxsize=16384)
def is_person(name: str) -> bool:
    """分管副省长, 协管副秘书长: a post or a person, never a unit."""
    return _plain(name).endswith(vocabulary().person_endings)


@lru_cache(maxsize=16384)
def is_known_agency(name: str) -> bool:
    """The name resolves to an agency kind of the kinds table (level character stripped or not)."""
    names = agency_names()
    name = _plain(name)
    return name in names or (len(name) > 2 and name[0] in LEVEL_CHARS and name[1:] in names)


@lru_cache(maxsize=16384)
def looks_like_unit(name: str) -> bool:
    """A name a note could list: a known agency, a unit type's suffix, or a unit's ending."""
    name = _plain(name)
    bare = _without_brackets(name)
    if len(bare) < 2 or not _CJK_NAME_RE.match(name) or is_person(name):
        return False
    if is_known_agency(bare) or bare.endswith(vocabulary().endings) or _is_bare_collective(bare):
        return True
    return unit_type(bare) not in ("agency", "collective")


def _is_bare_collective(name: str) -> bool:
    """各县, 各乡镇, 各地: 各 and member words only."""
    if not name.startswith("各") or len(name) < 2:
        return False
    rest = name[1:]
    parts = sorted(_collective_parts(), key=len, reverse=True)
    while rest:
        part = next((p for p in parts if rest.startswith(p)), None)
        if part is None:
            return False
        rest = rest[len(part) :]
    return True


@lru_cache(maxsize=16384)
def is_strong_unit(name: str) -> bool:
    """A name that is a unit for sure: a known agency, or a government body's ending after a prefix."""
    name = _plain(name)
    bare = _without_brackets(name)
    if not looks_like_unit(name):
        return False
    return is_known_agency(bare) or (len(bare) >= 3 and bare.endswith(vocabulary().strong_endings))


def starts_a_unit(name: str) -> bool:
    """Whether a name can begin a unit of its own (a level, 各, a known kind, a unit type), rather
    than being the rest of one cut by a line wrap (督查室 of 县委县政府 督查室)."""
    name = _plain(name)
    return bool(name) and (name[0] in LEVEL_CHARS or name[0] == "各" or is_strong_unit(name)
                           or unit_type(_without_brackets(name)) not in ("agency", "collective"))


# -- finding the note --------------------------------------------------------------------------
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


def colons_for_bracketed_labels(norm: str) -> str:
    """``【牵头单位】甲【责任单位】乙`` reads as ``牵头单位: 甲责任单位: 乙``: the same length, so the
    units' spans stay valid, and a note read so starts where its bracket does.

    >>> colons_for_bracketed_labels("1.建设平台。【牵头单位】市科技局【配合单位】市财政局")
    '1.建设平台。牵头单位: 市科技局配合单位: 市财政局'
    """
    if "【" not in norm and "[" not in norm and "〔" not in norm:
        return norm
    return vocabulary().bracketed_label_re.sub(lambda match: f"{match.group(1)}: ", norm)


def _label_at(text: str, position: int, limit: int) -> re.Match[str] | None:
    while position < limit and text[position] in SPACES:
        position += 1
    if position < limit and text[position] in _LABEL_FIRST_CHARS:
        return LABEL_RE.match(text, position, limit)  # any label: (督办单位:…;牵头单位:…) is a note too
    return None


def find_responsibility_note(text: str, start: int, end: int) -> NoteSpan | None:
    """The responsibility note of the item ``text[start:end]``, or None.

    A bracket — ( ) [ ] 【 】 〔 〕 — is a note when it opens with a label (责任单位: …, or a
    leader field 牵头领导: … before the units), or, at the end of the item, when what it holds is
    a list of units with or without role words (甲、乙; 甲牵头,乙配合; 甲主办,乙协办; 甲、乙按职责
    分工负责). Other brackets in the body (remarks, abbreviations, book titles) are not notes.
    Without brackets, a label opens a note of fields that runs while label follows label.
    """
    content_end = _content_end(text, start, end)
    position = start
    while position < end:
        char = text[position]
        if char in OPENERS:
            close = matching_bracket(text, position, end)
            if char in NOTE_OPENERS:
                if close < 0:  # a note whose closing bracket is missing runs to the end of its line
                    line_end = text.find("\n", position, end)
                    if _label_at(text, position + 1, end) and _has_unit_label(
                            text, position + 1, end if line_end < 0 else line_end):
                        note_end = _content_end(text, position, end if line_end < 0 else line_end)
                        form = "cut" if _at_text_end(text, note_end) else "bracketed"
                        return NoteSpan(position, note_end, position + 1, note_end, form)
                elif _label_at(text, position + 1, close) and _has_unit_label(text, position + 1, close):
                    return NoteSpan(position, close + 1, position + 1, close, "bracketed")
                elif (close >= content_end - 1 or _closes_sentence_with_roles(text, position, close)) and (
                        is_unlabelled_note(text, position + 1, close)):
                    later = _count_later_notes(text, close + 1, end, content_end) if close < content_end - 1 else 0
                    return NoteSpan(position, close + 1, position + 1, close, "unlabelled", later)
            position = close + 1 if close >= 0 else position + 1
            continue
        if char in _LABEL_FIRST_CHARS:
            label = LABEL_RE.match(text, position, end)
            if label and vocabulary().label_role(label.group(1)) != "other" and _label_may_open(
                    text, start, position):
                note_end = _trailing_end(text, label.end(), end)
                if _has_unit_label(text, position, note_end):  # not 联系人:… alone
                    form = "cut" if _trailing_cut(text, label.end(), note_end) else "trailing"
                    return NoteSpan(position, note_end, position, note_end, form)
        position += 1
    return None


def _at_text_end(text: str, position: int) -> bool:
    """Nothing but the start of a label (责任单位, 牵) follows ``position`` in the whole text, and no
    full stop closed the note: the text was cut off inside the note (an excerpt of a page)."""
    first = _NON_SPACE_RE.search(text, position)
    if first is None:
        return True
    window = first.start() + 24  # longer than any label
    if _NON_SPACE_RE.search(text, window) is not None:
        return False
    rest = _plain(text[first.start() : window])
    if rest.startswith(("。", ";", ".")):
        return False
    return not rest or any(label.startswith(rest) for label in vocabulary().label_roles)


def _trailing_cut(text: str, start: int, end: int) -> bool:
    """An unbracketed note at the very end of the text whose last unit is unfinished (各开发区管委, a
    bare label 责任单位 after it): the text was cut inside the note."""
    if not _at_text_end(text, end):
        return False
    if _plain(text[end:]):
        return True  # only the start of a label follows
    labels = list(LABEL_RE.finditer(text, start, end))
    tokens = _tokens(text, labels[-1].end() if labels else start, end)
    if not tokens:
        return True
    last = _strip_token(text, tokens[-1][0], tokens[-1][1])[0]
    unfinished = any(last.endswith(ending[:k]) for ending in vocabulary().endings
                     for k in range(2, len(ending)))
    return unfinished or not looks_like_unit(last)


def _has_unit_label(text: str, start: int, end: int) -> bool:
    """Some label of ``text[start:end]`` introduces units (not only 牵头领导:, 联系人:, 完成时限:)."""
    return any(vocabulary().label_role(m.group(1)) in ("lead", "responsible", "support", "sentence")
               for m in LABEL_RE.finditer(text, start, end))


def _count_later_notes(text: str, start: int, end: int, content_end: int) -> int:
    count = 0
    position = start
    while position < end:
        if text[position] in NOTE_OPENERS:
            close = matching_bracket(text, position, end)
            if close < 0:
                break
            if (close >= content_end - 1 or _closes_sentence_with_roles(text, position, close)) and (
                    _label_at(text, position + 1, close) or is_unlabelled_note(text, position + 1, close)):
                count += 1
            position = close + 1
            continue
        position += 1
    return count


def _closes_sentence_with_roles(text: str, open_: int, close: int) -> bool:
    """(甲牵头，乙负责)。 in the middle of an item: a note closing the item's first sentence group, as
    where several actions run on in one item, each closed by its note; it needs a role word."""
    after = _NON_SPACE_RE.search(text, close + 1)
    if after is None or text[after.start()] not in "。;":
        return False
    inner = text[open_ + 1 : close]
    return any(word in inner for word, _role in vocabulary().role_words)


def _content_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n\r\t。.;":
        end -= 1
    return end


def _label_may_open(text: str, start: int, position: int) -> bool:
    """A label opens a note after a sentence, a line, a comma, or glued to a heading; not in 各责任单位."""
    before = text[max(start, position - 8) : position].rstrip(" \t")
    return not before or not before.endswith(vocabulary().label_not_after)


def _trailing_end(text: str, position: int, end: int) -> int:
    """Where an unbracketed note ends: at the end of its sentence or line, unless a label, a legend or
    a list broken after its separator goes on."""
    start = position
    while position < end:
        char = text[position]
        if char in OPENERS:
            close = matching_bracket(text, position, end)
            position = close + 1 if close >= 0 else position + 1
            continue
        if char in "。\n":
            following = position + 1
            while following < end and text[following] in SPACES + "。":
                following += 1
            sentence_end = _sentence_end(text, following, end)
            if following < end and (LABEL_RE.match(text, following, end)
                                    or vocabulary().is_legend(text[following:sentence_end])):
                position = following
                continue
            if char == "\n" and text[position - 1] in "、,;":
                position = following
                continue
            return _content_end(text, start, position)
        position += 1
    return _content_end(text, start, end)


def _sentence_end(text: str, position: int, end: int) -> int:
    for stop in ("。", "\n"):
        found = text.find(stop, position, end)
        if found >= 0:
            end = found
    return end


def is_unlabelled_note(text: str, start: int, end: int) -> bool:
    """A bracket without a label holds a note when every name in it is a unit (or a post) and one is sure."""
    inner = text[start:end].strip()
    if not inner or INCLUSION_RE.match(inner):
        return False
    tokens = [token for range_start, range_end in _legend_ranges(text, start, end)
              for token in _tokens(text, range_start, range_end)]
    if not tokens:
        return False
    units = 0
    strong = False
    for token_start, token_end, _sep in tokens:
        name, _role, _marked = _strip_token(text, token_start, token_end)
        if not name:
            continue
        if is_person(name):
            continue
        if not looks_like_unit(name):
            return False
        units += 1
        strong = strong or is_strong_unit(name)
    return units > 0 and strong


# -- document conventions ------------------------------------------------------------------------
def learn_document_rules(text: str) -> NoteRules:
    """Conventions stated for the document (列第一位的为牵头单位), and where; labels not understood."""
    rules = NoteRules()
    positions = [m.start() for r in vocabulary().first_listed_res for m in r.finditer(text)]
    if positions:
        rules.first_listed_is_explicit = True
        rules.first_listed_from = min(positions)
    unknown = []
    for match in _UNKNOWN_LABEL_RE.finditer(text):
        label = match.group(1)
        known = any(label.endswith(known) for known in vocabulary().label_roles)
        rest = text[match.end() : match.end() + 40].lstrip(" \t")
        addressee = (any(char in label for char in "各有相直属府")  # 各有关单位: the notice's addressees
                     or not rest or rest[0] in "\r\n")  # …,市管单位: ending the addressee line
        if not known and not addressee and label not in unknown:
            unknown.append(label)
    for match in _NOTE_LIKE_RE.finditer(text):
        inner_start, inner_end = match.start() + 1, match.end() - 1
        if (not _label_at(text, inner_start, inner_end) and not is_unlabelled_note(text, inner_start, inner_end)
                and not vocabulary().is_remark(text[inner_start:inner_end])):
            rules.warnings.append(warning("note_like_bracket_without_unit", text=_plain(match.group())))
    if unknown:
        rules.warnings.append(warning("note_labels_unknown", labels="、".join(unknown)))
    return rules


# -- reading the units ---------------------------------------------------------------------------
def read_note_units(text: str, note: NoteSpan, rules: NoteRules, heading_leads: int = 0) -> list[UnitMention]:
    """The units of a note in order, with roles.

    ``heading_leads`` is the number of lead units a heading already named for
    this item (一、县XX局牵头工作): ranks continue after them and no unit of
    the note is then taken as first-listed lead.
    """
    mentions: list[UnitMention] = []
    if note.form == "cut":
        rules.warnings.append(warning("note_cut_off", text=_plain(text[note.start:note.end])[:60]))
        return []
    if note.form == "unlabelled":
        mentions = _read_clauses(text, note.content_start, note.content_end, "responsible", rules, strict=True)
    else:
        labels = [m for m in LABEL_RE.finditer(text, note.content_start, note.content_end)
                  if _label_may_open(text, note.content_start, m.start())]
        for index, label in enumerate(labels):
            seg_end = labels[index + 1].start() if index + 1 < len(labels) else note.content_end
            kind = vocabulary().label_role(label.group(1))
            if kind in ("person", "other"):
                continue
            role = "responsible" if kind == "sentence" else kind
            mentions.extend(_read_clauses(text, label.end(), seg_end, role, rules))
    if not mentions and not heading_leads:
        rules.warnings.append(warning("note_without_unit", text=_plain(text[note.start:note.end])[:60]))
    return assign_roles(mentions, rules, heading_leads, position=note.end)


def read_unit_list(text: str, start: int, end: int, role: str, rules: NoteRules) -> list[UnitMention]:
    """Units of one list with one role (a table cell, a heading's lead); ranks are left at 0."""
    return _read_clauses(text, start, end, role, rules)


def assign_roles(mentions: list[UnitMention], rules: NoteRules, heading_leads: int = 0,
                 position: int | None = None) -> list[UnitMention]:
    """Lead by mark or label, else the first-listed responsible unit; then ranks in order.

    ``position`` is where the note ends: a legend (列第一位的为牵头单位) makes the first-listed lead
    explicit only from where the document states it; without a position, anywhere.
    """
    _assign_lead(mentions, rules, heading_leads, position)
    for rank, mention in enumerate(mentions, start=heading_leads + 1):
        mention.rank = rank
    return mentions


def _legend_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` without its sentences that are legends or remarks (标☆的为牵头单位，下同)."""
    vocab = vocabulary()
    segment = text[start:end]
    if "。" not in segment and not vocab.legend_or_remark_re.search(segment):
        return [(start, end)] if segment.strip() else []
    kept: list[tuple[int, int]] = []
    sentence_start = start
    position = start
    while position <= end:
        char = text[position] if position < end else "。"
        if position < end and char in OPENERS:
            close = matching_bracket(text, position, end)
            position = close + 1 if close >= 0 else position + 1
            continue
        if char == "。":
            sentence = _top_level(text, sentence_start, position)
            if vocab.is_legend(sentence) or vocab.is_remark(sentence):
                cut = _legend_clause_start(text, sentence_start, position)
                if cut > sentence_start:
                    kept.append((sentence_start, cut))
            elif text[sentence_start:position].strip():
                kept.append((sentence_start, position))
            sentence_start = position + 1
        position += 1
    return kept


def _top_level(text: str, start: int, end: int) -> str:
    """The text of a span without what is inside its brackets (a unit's own remark is not the sentence's)."""
    out = []
    depth = 0
    for char in text[start:end]:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)


def _legend_clause_start(text: str, start: int, end: int) -> int:
    """In one sentence holding a legend, where the legend starts: the clause that holds it, and the
    conditional clauses before it (责任单位两个以上的，); the clauses before those are units."""
    vocab = vocabulary()
    bounds = [start] + [i + 1 for i in range(start, end) if text[i] in ",;，；"]
    clause_index = None
    for index, clause_start in enumerate(bounds):
        clause_end = bounds[index + 1] - 1 if index + 1 < len(bounds) else end
        clause = _top_level(text, clause_start, clause_end)
        if vocab.is_legend(clause) or vocab.is_remark(clause):
            clause_index = index
            break
    if clause_index is None:
        return start
    for index in range(clause_index):  # 明确牵头部门的，… / 以下各项…: the legend's condition opens it
        clause = _top_level(text, bounds[index], bounds[index + 1] - 1).strip()
        if clause.endswith("的") or clause.startswith(vocab.remark_openers):
            clause_index = index
            break
    return bounds[clause_index] - 1 if clause_index else start


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split a list at separators outside brackets: (start, end, separator after). A space or a line
    break separates only two names that each look like a unit (区民政局 区医保局); otherwise it is a
    line wrap inside a name (省 发展改革委, 县自然资\\n源局)."""
    tokens: list[tuple[int, int, str]] = []
    token_start = start
    position = start
    while position < end:
        char = text[position]
        if char in OPENERS:
            close = matching_bracket(text, position, end)
            position = (close if close >= 0 else end - 1) + 1
            continue
        if char in LIST_SEPARATORS or char in CLAUSE_SEPARATORS:
            tokens.append((token_start, position, char))
            token_start = position + 1
        elif char in SPACES and text[token_start:position].strip():
            following = position
            while following < end and text[following] in SPACES:
                following += 1
            nxt = following
            while nxt < end and text[nxt] not in SPACES + LIST_SEPARATORS + CLAUSE_SEPARATORS:
                if text[nxt] in OPENERS:
                    close = matching_bracket(text, nxt, end)
                    nxt = close if close >= 0 else end - 1
                nxt += 1
            left = _strip_token(text, token_start, position)[0]
            right = _strip_token(text, following, nxt)[0]
            if following < end and looks_like_unit(left) and looks_like_unit(right) and starts_a_unit(right):
                tokens.append((token_start, position, " "))
                token_start = following
            position = following
            continue
        position += 1
    tokens.append((token_start, end, ""))
    tokens = [(s, e, sep) for s, e, sep in tokens if text[s:e].strip(" \t\n\r。.")]
    return _merge_collective_parts(text, tokens)


@lru_cache(maxsize=1)
def _collective_parts() -> frozenset[str]:
    return frozenset((*next((t.member_suffixes for t in unit_types() if t.name == "collective"), ()),
                      *vocabulary().collective_parts))


def _merge_collective_parts(text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """各开发区、镇(街道): a bare member word after a collective belongs to it (one unit as written)."""
    member_words = _collective_parts()
    merged: list[tuple[int, int, str]] = []
    for token in tokens:
        name = _without_brackets(_plain(text[token[0] : token[1]]))
        previous = _without_brackets(_plain(text[merged[-1][0] : merged[-1][1]])) if merged else ""
        # 各县、区人民政府: the first names only member words, the next only members and their government
        # (not 各街道、区直各部门: 区直各部门 is a unit of its own).
        bare = _without_brackets(_strip_token(text, token[0], token[1])[0])  # without 负责 and marks
        governed = next((bare[: -len(s)] for s in GOVERNMENT_SUFFIXES if bare.endswith(s)), bare)
        continues = name in member_words or (
            _is_bare_collective(previous) and name[:1] != "各" and _is_bare_collective("各" + governed)) or (
            bare in GOVERNMENT_SUFFIXES and previous.endswith(GOVERNMENT_SUFFIXES))  # 各县区政府、管委会
        if merged and merged[-1][2] == "、" and continues and previous.startswith("各"):
            merged[-1] = (merged[-1][0], token[1], token[2])
        else:
            merged.append(token)
    return merged


def _strip_token(text: str, start: int, end: int) -> tuple[str, str | None, bool]:
    """The name of a token without marks, role word and 等: (name, role of its role word, marked)."""
    span = _token_span(text, start, end)
    return _plain(text[span[0] : span[1]]), span[2], span[3]


def _token_span(text: str, start: int, end: int) -> tuple[int, int, str | None, bool]:
    vocab = vocabulary()
    while start < end and text[start] in SPACES:
        start += 1
    while end > start and text[end - 1] in SPACES + "。.":
        end -= 1
    marked = False
    while start < end and text[start] in vocab.lead_marks:
        marked = True
        start += 1
    while end > start and text[end - 1] in vocab.lead_marks:
        marked = True
        end -= 1
    role = None
    plain = _plain(text[start:end])
    if plain and plain[-1] in _ROLE_WORD_ENDS:
        for word, word_role in vocab.role_words:
            if plain.endswith(word) and len(plain) > len(word):
                end = _cut_chars(text, start, end, len(word))
                role = word_role
                plain = _plain(text[start:end])
                break
    if plain and plain[-1] in _DROP_SUFFIX_ENDS:
        for suffix in vocab.drop_suffixes:
            if plain.endswith(suffix) and len(plain) > len(suffix):
                end = _cut_chars(text, start, end, len(suffix))
                break
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return start, end, role, marked


def _cut_chars(text: str, start: int, end: int, count: int) -> int:
    """``end`` moved back over ``count`` characters that are not whitespace."""
    while count and end > start:
        end -= 1
        if text[end] not in SPACES:
            count -= 1
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return end


def _read_clauses(text: str, start: int, end: int, role: str, rules: NoteRules,
                  strict: bool = False) -> list[UnitMention]:
    """Units of a list whose clauses may carry role words (甲牵头，乙、丙配合); ``role`` for the rest."""
    mentions: list[UnitMention] = []
    pending: list[UnitMention] = []
    for range_start, range_end in _legend_ranges(text, start, end):
        for token_start, token_end, sep in _tokens(text, range_start, range_end):
            span_start, span_end, word_role, marked = _token_span(text, token_start, token_end)
            distributive = word_role is not None and any(
                _plain(text[span_end:token_end]).startswith(w) for w in vocabulary().distributive)
            for mention in _read_unit(text, span_start, span_end, rules, marked, distributive):
                if strict and not looks_like_unit(mention.name):
                    continue
                if len(_without_brackets(mention.name)) < 2:  # 沈: a name cut short, no unit
                    rules.warnings.append(warning("unit_too_short", name=mention.name))
                    continue
                mentions.append(mention)
                pending.append(mention)
            if word_role is not None:
                for mention in pending:
                    mention.role = word_role
                pending = []
            if sep in CLAUSE_SEPARATORS or sep == "":
                for mention in pending:
                    mention.role = role
                pending = []
        for mention in pending:
            mention.role = role
        pending = []
    _inherit_levels(mentions)
    return mentions


def _inherit_levels(mentions: list[UnitMention]) -> None:
    """省国税局、地税局; 市税务局、财政局: a known agency written without its level takes the level of
    the unit before it in the list (the document leaves the shared prefix out)."""
    level = ""
    for mention in mentions:
        first = mention.name[:1]
        if first in LEVEL_CHARS and is_strong_unit(mention.name) and unit_type(mention.name) == "agency":
            level = first
        elif (level and first not in LEVEL_CHARS and unit_type(mention.name) == "agency"
              and (mention.name in agency_names() or mention.name.endswith(("局", "厅", "委", "办")))
              and not mention.name.startswith(national_prefixes())):
            mention.level = level
        else:
            level = ""


def _read_unit(text: str, start: int, end: int, rules: NoteRules, marked: bool,
               distributive: bool) -> list[UnitMention]:
    inclusion: list[str] = []
    standing = False
    alias = None
    vocab = vocabulary()
    collective = _plain(text[start:end]).startswith("各")
    # Trailing brackets: (牵头), an inclusion remark <含…，下同>, a legend, or an alias / former name.
    while end > start and text[end - 1] in CLOSERS:
        opener = _opening_bracket(text, start, end - 1)
        if opener < 0:
            break
        inner = text[opener + 1 : end - 1].strip()
        plain_inner = _plain(inner)
        if plain_inner in _LEAD_WORDS:  # 甲(牵头)
            marked = True
        elif INCLUSION_RE.match(inner):
            standing = "下同" in inner
            inclusion = split_member_list(INCLUSION_RE.sub("", inner).replace("下同", ""))
        elif vocab.is_legend(inner) or vocab.is_remark(inner):
            pass  # (列第一位者为牵头或汇总单位，下同): read by learn_document_rules
        elif "、" in inner or opener == start or collective:
            break  # 各县(市、区)人民政府, 各街道(功能区): the bracket is part of the name
        else:
            alias = inner
        end = opener
        while end > start and text[end - 1] in SPACES:
            end -= 1
    plain = _plain(text[start:end])
    if plain and plain[-1] in _DROP_SUFFIX_ENDS:
        for suffix in vocab.drop_suffixes:
            if plain.endswith(suffix) and len(plain) > len(suffix):
                end = _cut_chars(text, start, end, len(suffix))
                break
    name = _plain(text[start:end])
    if not name or name in vocab.label_roles or is_person(name):
        return []
    spans = _split_joined(text, start, end, distributive)
    mentions = []
    for part_start, part_end in spans:
        mentions.append(UnitMention(name=_plain(text[part_start:part_end]), span=(part_start, part_end),
                                    role="responsible", lead_basis=None, rank=0, marked_lead=marked,
                                    alias=alias, inclusion=inclusion, inclusion_standing=standing))
    return mentions


def _split_joined(text: str, start: int, end: int, distributive: bool) -> list[tuple[int, int]]:
    """甲和乙分别牵头 -> 甲, 乙; 区财政局区税务局 (no separator) -> two units; otherwise one."""
    name = text[start:end]
    for joiner in (("和",) if distributive else ()) + vocabulary().joiners:
        if joiner in name:
            cut = start + name.index(joiner)
            if looks_like_unit(text[start:cut]) and looks_like_unit(text[cut + len(joiner) : end]):
                return [*_split_joined(text, start, cut, distributive),
                        *_split_joined(text, cut + len(joiner), end, distributive)]
    for joiner in vocabulary().collective_joiners:
        cut = name.find(joiner, 2)
        if cut > 0 and looks_like_unit(text[start : start + cut]):
            after = _plain(text[start + cut + len(joiner) : end])
            if unit_type(after) == "collective" and looks_like_unit(after) and not after.startswith("各级"):
                return [*_split_joined(text, start, start + cut, distributive),
                        *_split_joined(text, start + cut + len(joiner), end, distributive)]
    if not is_known_agency(name) and len(name) >= 6:
        for index in range(start + 3, end - 2):
            if text[index] in LEVEL_CHARS and is_known_agency(text[start:index]) and is_strong_unit(
                    text[index:end]) and is_known_agency(text[index:end]):
                return [(start, index), (index, end)]
    return [(start, end)]


def _opening_bracket(text: str, start: int, close: int) -> int:
    closer = text[close]
    opener = CLOSERS[closer]
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


def _assign_lead(mentions: list[UnitMention], rules: NoteRules, heading_leads: int,
                 position: int | None) -> None:
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
        first.lead_basis = "explicit" if rules.first_listed_explicit_at(position) else "first-listed"

