"""How well the loaders read plans someone has annotated: extraction scored against a gold file.

The gold format is the one of ``realplans/README.md``: a JSON list, one object per document,

    {"file": "plan.txt", "city": "…市", "province": "…省", "level": "city",
     "actions": [{"number": "1.", "title": "…", "lead": ["市科技局"], "lead_basis": "explicit",
                  "responsible": ["市财政局"]}]}

and every numbered item that carries a complete responsibility note is one gold action. This
module is pure: it takes the gold and extracted :class:`~loaders.model.PlanDocument` records (or the
reason a file was refused) and returns the figures; :func:`evaluate_paths` only adds reading the
files with :func:`~loaders.extract.extract_path`.

What is scored, per document and over all documents:

* **(unit, role) pairs** with role ``lead`` or ``responsible`` (``support`` counts as responsible,
  as the gold puts 配合/协办/参与 units there): precision, recall and F1. Units expanded from a
  collective (``derived_from``) are not written in the note and the gold keeps the collective as
  one unit, so they are left out. Pairs of a gold action the extraction did not find are missed;
  pairs of an extracted action the gold does not have are extra.
* **lead basis**: of the gold actions found, how many the extraction gives the gold's basis
  (``explicit`` / ``first-listed``) — every lead it names has that basis; naming no lead is wrong.
* **actions** found / missed / extra. Extra counts only extracted actions that name a unit: a
  numbered heading without a note claims nothing.
* **government**: each of city, province and level the gold records, against the extraction's:
  right, unknown (the extraction left it empty) or wrong; a document is wrong if any field is,
  else unknown if any is, else right. A gold ``null`` (no way to tell) is right only if the
  extraction leaves the field empty too. The gold's city of a province-level plan is the
  province; the extraction's is then its province when it gives no city.
* A file the loaders refuse has every gold action missed and is counted as refused (and not in
  the government counts).

How a unit name compares. The gold writes units *as written* in the note (prefixes kept or
missing as written), so the extraction's ``name`` (as written), not its scoped ``canonical``, is
compared: a canonical name (鄂州市科技局 for 市科技局) would never equal a gold string, and
accepting it too would let a wrongly scoped unit pass. Both sides go through :func:`unit_key`
(OpenCC t2s, full-width to half-width, whitespace removed, lead marks ★ ☆ * dropped, then from the
end: punctuation, a bracketed remark or legend, a trailing 等 / 等有关部门 / 等相关部门, and the
words the gold drops, 按职责分工负责 / 分工负责 / 负责 / 牵头 / 落实). The same key on both sides
means a gold written without the README's clean-up still compares; a collective whose brackets
end the name (各街道(功能区)) loses them on both sides alike.

How actions are matched: by title and number, in document order (an alignment, so numbering that
restarts under each heading and titles that repeat still pair up). Titles compare after t2s and
with whitespace and punctuation removed, tolerant of how they are cut: the gold title inside the
extracted one, the extracted one the start of the gold's, or a long common start. A pair whose
numbers agree too is preferred.

>>> gold = parse_gold([{"file": "p.txt", "city": "宜昌市", "level": "city", "actions": [
...     {"number": "(一)", "title": "建设数据中心", "lead": ["市数据局"], "lead_basis": "explicit",
...      "responsible": ["市财政局"]}]}])
>>> from loaders.extract import extract_text
>>> text = "宜昌市数字经济行动方案\\n（一）建设数据中心。（牵头单位：市数据局；责任单位：市財政局）"
>>> doc = extract_text(text, "p.txt")
>>> result = evaluate_documents(gold, {"p.txt": doc})
>>> result.overall.f1, result.overall.lead_basis, result.documents[0].government
(1.0, 1.0, 'right')
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from loaders.errors import LoaderError
from loaders.model import Action, PlanDocument
from loaders.normalize import normalize_for_matching

__all__ = [
    "DocumentResult",
    "Evaluation",
    "GoldAction",
    "GoldDocument",
    "GoldError",
    "Score",
    "document_rows",
    "evaluate_document",
    "evaluate_documents",
    "evaluate_paths",
    "load_gold",
    "match_actions",
    "number_key",
    "overall_line",
    "parse_gold",
    "title_key",
    "titles_agree",
    "unit_key",
]

LEAD_BASES = ("explicit", "first-listed")
LEVELS = ("province", "city", "district", "county", "town", "department")
GOVERNMENT_FIELDS = ("city", "province", "level")

_LEAD_MARKS = re.compile(r"[★☆*※]")
_EDGE_PUNCTUATION = "。，,、;；:：.．!！?？"
# A remark, legend or alias in brackets closing the name: (…), <…>, [...] and the CJK forms.
_TRAILING_BRACKET = re.compile(r"(?:\([^()]*\)|<[^<>]*>|\[[^\[\]]*\]|〈[^〈〉]*〉|〔[^〔〕]*〕|【[^【】]*】)$")
_TRAILING_DENG = re.compile(r"等(?:其他|其它|有关|相关)?(?:部门|单位)?$")
_TRAILING_WORDS = ("按职责分工负责", "按职责分别负责", "按职责负责", "分工负责", "分别负责", "共同负责", "负责",
                   "分别牵头", "牵头", "落实")
_NUMBER_END = ".、。．,，:： "
_TITLE_MIN_CUT = 4  # an extracted title this long or longer may be the start of the gold's
_TITLE_COMMON_START = 8  # titles that agree on this many characters are the same item, cut differently


# --------------------------------------------------------------------------- the gold


class GoldError(ValueError):
    """A gold file that cannot be used; ``str(error)`` is one line naming the file and the problem.

    >>> str(GoldError("gold.json", "not JSON: Expecting value at line 1 column 1"))
    'gold.json: not JSON: Expecting value at line 1 column 1'
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = " ".join(problem.split())
        super().__init__(f"{source}: {self.problem}")


@dataclass(frozen=True)
class GoldAction:
    """One annotated action: its number and title as written, its lead(s) and other units."""

    number: str
    title: str
    lead: tuple[str, ...]
    lead_basis: str | None
    responsible: tuple[str, ...]

    def pairs(self) -> set[tuple[str, str]]:
        """The (unit key, role) pairs the gold gives this action.

        >>> GoldAction("1.", "建平台", ("市科技局",), "explicit", ("市财政局等",)).pairs() == {
        ...     ("市科技局", "lead"), ("市财政局", "responsible")}
        True
        """
        pairs = {(unit_key(name), "lead") for name in self.lead}
        pairs |= {(unit_key(name), "responsible") for name in self.responsible}
        return {pair for pair in pairs if pair[0]}


@dataclass(frozen=True)
class GoldDocument:
    """One annotated document. ``government`` holds the fields of city/province/level the gold records."""

    file: str
    actions: tuple[GoldAction, ...]
    government: Mapping[str, str | None] = field(default_factory=dict)


def load_gold(path: str | Path) -> list[GoldDocument]:
    """Read a gold file; raises :class:`GoldError` (one line naming the file) if it cannot be used."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise GoldError(source, f"cannot read the file: {error.strerror or error}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise GoldError(source, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise GoldError(source, f"not JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    return parse_gold(data, source)


def parse_gold(data: Any, source: str = "<gold>") -> list[GoldDocument]:
    """The gold documents of parsed JSON ``data``; raises :class:`GoldError` naming what is wrong.

    >>> parse_gold([{"file": "a.txt", "actions": [{"title": "建平台", "number": "1.", "lead": "局"}]}], "g.json")
    Traceback (most recent call last):
    ...
    loaders.evaluate.GoldError: g.json: document 1 (a.txt), action 1: "lead" must be a list of strings, not "局"
    """
    if not isinstance(data, list):
        raise GoldError(source, f"expected a JSON list of documents, found {_json_kind(data)}")
    documents: list[GoldDocument] = []
    seen: set[str] = set()
    for index, entry in enumerate(data, start=1):
        where = f"document {index}"
        if not isinstance(entry, dict):
            raise GoldError(source, f"{where}: expected an object, found {_json_kind(entry)}")
        file = entry.get("file")
        if not isinstance(file, str) or not file.strip():
            raise GoldError(source, f'{where}: "file" must name the document\'s file')
        where = f"{where} ({file})"
        if file in seen:
            raise GoldError(source, f"{where}: the file is annotated twice")
        seen.add(file)
        government: dict[str, str | None] = {}
        for key in GOVERNMENT_FIELDS:
            if key not in entry:
                continue
            value = entry[key]
            if value is not None and not (isinstance(value, str) and value.strip()):
                raise GoldError(source, f'{where}: "{key}" must be a name or null, not {_shown(value)}')
            if key == "level" and value is not None and value not in LEVELS:
                raise GoldError(source, f'{where}: "level" must be one of {", ".join(LEVELS)} or null, '
                                        f"not {_shown(value)}")
            government[key] = value
        actions = entry.get("actions")
        if not isinstance(actions, list):
            raise GoldError(source, f'{where}: "actions" must be a list')
        parsed = tuple(_gold_action(action, f"{where}, action {n}", source)
                       for n, action in enumerate(actions, start=1))
        documents.append(GoldDocument(file=file, actions=parsed, government=government))
    return documents


def _gold_action(action: Any, where: str, source: str) -> GoldAction:
    if not isinstance(action, dict):
        raise GoldError(source, f"{where}: expected an object, found {_json_kind(action)}")
    title = action.get("title")
    if not isinstance(title, str) or not title.strip():
        raise GoldError(source, f'{where}: "title" must be the item\'s title as written')
    number = action.get("number", "")
    if not isinstance(number, str):
        raise GoldError(source, f'{where}: "number" must be a string as written ("" if none), not {_shown(number)}')
    units = {}
    for key in ("lead", "responsible"):
        value = action.get(key, [])
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise GoldError(source, f'{where}: "{key}" must be a list of strings, not {_shown(value)}')
        units[key] = tuple(value)
    basis = action.get("lead_basis")
    if basis not in LEAD_BASES and not (basis is None and not units["lead"]):
        raise GoldError(source, f'{where}: "lead_basis" must be explicit or first-listed, not {_shown(basis)}')
    return GoldAction(number=number, title=title, lead=units["lead"], lead_basis=basis,
                      responsible=units["responsible"])


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


# --------------------------------------------------------------------------- comparing


@cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _plain(text: str) -> str:
    """Simplified (OpenCC t2s, phrases too), half-width, no whitespace."""
    return re.sub(r"\s+", "", normalize_for_matching(_t2s().convert(text)))


def unit_key(name: str) -> str:
    """The form in which a unit name compares (see the module's docstring).

    >>> unit_key("☆縣財政局 ")
    '县财政局'
    >>> unit_key("区司法局等有关部门"), unit_key("市统计局（数据提供）等"), unit_key("县自然资\\n源局")
    ('区司法局', '市统计局', '县自然资源局')
    >>> unit_key("各县(市、区)人民政府"), unit_key("市发改委牵头"), unit_key("县教体局、")
    ('各县(市、区)人民政府', '市发改委', '县教体局')
    """
    key = _LEAD_MARKS.sub("", _plain(name)).strip(_EDGE_PUNCTUATION)
    while True:
        shorter = _TRAILING_BRACKET.sub("", key)
        shorter = _TRAILING_DENG.sub("", shorter)
        for word in _TRAILING_WORDS:
            if shorter.endswith(word):
                shorter = shorter[: -len(word)]
                break
        shorter = shorter.strip(_EDGE_PUNCTUATION)
        if shorter == key or not shorter:
            return key
        key = shorter


def title_key(title: str) -> str:
    """A title as it compares: simplified, half-width, lower case, no whitespace or punctuation.

    >>> title_key("（一） 建設“智慧城市”平台，")
    '一建设智慧城市平台'
    """
    return re.sub(r"[\W_]+", "", _plain(title)).casefold()


def number_key(number: str) -> str:
    """An item number as it compares: half-width, no whitespace, without its closing dot or 、.

    >>> [number_key(n) for n in ("1.", "1、", "1。", " 1 ", "（一）", "(一)", "一、")]
    ['1', '1', '1', '1', '(一)', '(一)', '一']
    """
    return _plain(number).rstrip(_NUMBER_END)


def titles_agree(gold: str, extracted: str) -> bool:
    """Whether two titles name the same item, however each was cut.

    >>> titles_agree("推进数据要素流通；开展授权运营", "推进数据要素流通")   # the extraction cut at ；
    True
    >>> titles_agree("建设数据中心", "建设数据中心，推进算力设施建设，形成")  # the gold cut shorter
    True
    >>> titles_agree("建设数据中心", "建设"), titles_agree("建设数据中心", "培育龙头企业")
    (False, False)
    """
    g, e = title_key(gold), title_key(extracted)
    return _keys_agree(g, e)


def _keys_agree(g: str, e: str) -> bool:
    if not g or not e:
        return False
    if g in e:
        return True
    if len(e) >= _TITLE_MIN_CUT and g.startswith(e):
        return True
    common = 0
    for a, b in zip(g, e, strict=False):
        if a != b:
            break
        common += 1
    return common >= _TITLE_COMMON_START


def match_actions(gold: Sequence[GoldAction], extracted: Sequence[Action]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, extracted index)``, in document order, of the actions that match.

    An order-keeping alignment that pairs as many actions as it can, preferring pairs whose
    numbers agree as well as their titles: numbering that restarts under each heading, or a
    heading repeated in a progress report, does not pair the wrong items.

    >>> from loaders.extract import extract_text
    >>> doc = extract_text("一、甲\\n1.建设数据中心。（责任单位：市数据局）\\n"
    ...                    "二、乙\\n1.培育龙头企业。（责任单位：市经信局）")
    >>> gold = [GoldAction("1.", "培育龙头企业", ("市经信局",), "first-listed", ())]
    >>> match_actions(gold, doc.actions)
    [(0, 1)]
    """
    gold_keys = [(title_key(a.title), number_key(a.number)) for a in gold]
    found_keys = [(title_key(a.title), number_key(a.number)) for a in extracted]
    n, m = len(gold_keys), len(found_keys)
    # best[i][j]: the best score aligning gold[:i] with extracted[:j]; a pair scores 2, 3 if numbers agree too.
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        g_title, g_number = gold_keys[i - 1]
        row, above = best[i], best[i - 1]
        for j in range(1, m + 1):
            score = max(above[j], row[j - 1])
            e_title, e_number = found_keys[j - 1]
            if _keys_agree(g_title, e_title):
                score = max(score, above[j - 1] + (3 if g_number and g_number == e_number else 2))
            row[j] = score
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i and j:
        if best[i][j] == best[i - 1][j]:
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def extracted_pairs(action: Action) -> set[tuple[str, str]]:
    """The (unit key, role) pairs an extracted action claims: support as responsible, derived members left out."""
    pairs = {(unit_key(ref.name), "lead" if ref.role == "lead" else "responsible")
             for ref in action.agencies if ref.derived_from is None}
    return {pair for pair in pairs if pair[0]}


def _extracted_basis(action: Action) -> str | None:
    bases = {ref.lead_basis for ref in action.agencies if ref.role == "lead" and ref.derived_from is None}
    if not bases:
        return None
    return bases.pop() if len(bases) == 1 else "mixed"


# --------------------------------------------------------------------------- results


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Score:
    """Counts that add up over documents, and the ratios made from them (``None`` where nothing counts)."""

    documents: int = 0
    refused: int = 0
    gold_pairs: int = 0
    extracted_pairs: int = 0
    right_pairs: int = 0
    basis_right: int = 0
    basis_checked: int = 0
    found: int = 0
    missed: int = 0
    extra: int = 0
    government_right: int = 0
    government_unknown: int = 0
    government_wrong: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(**{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__})

    @property
    def precision(self) -> float | None:
        return _ratio(self.right_pairs, self.extracted_pairs)

    @property
    def recall(self) -> float | None:
        return _ratio(self.right_pairs, self.gold_pairs)

    @property
    def f1(self) -> float | None:
        """2PR/(P+R), i.e. 2·right / (gold + extracted); 0 when nothing is right."""
        return _ratio(2 * self.right_pairs, self.gold_pairs + self.extracted_pairs)

    @property
    def lead_basis(self) -> float | None:
        return _ratio(self.basis_right, self.basis_checked)

    def to_json(self) -> dict[str, Any]:
        return {
            "f1": _rounded(self.f1), "precision": _rounded(self.precision), "recall": _rounded(self.recall),
            "pairs": {"gold": self.gold_pairs, "extracted": self.extracted_pairs, "right": self.right_pairs},
            "lead_basis": {"accuracy": _rounded(self.lead_basis), "right": self.basis_right,
                           "checked": self.basis_checked},
            "actions": {"found": self.found, "missed": self.missed, "extra": self.extra},
            "government": {"right": self.government_right, "unknown": self.government_unknown,
                           "wrong": self.government_wrong},
            "documents": self.documents, "refused": self.refused,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class ActionResult:
    """One gold action: what it was matched with and what differs."""

    gold: GoldAction
    found: Action | None
    missed_pairs: list[tuple[str, str]]
    extra_pairs: list[tuple[str, str]]
    basis: str | None = None  # the extraction's lead basis, when found

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.gold.number, "title": self.gold.title,
            "found": None if self.found is None else {"number": self.found.number, "title": self.found.title},
            "missed_pairs": [list(p) for p in self.missed_pairs],
            "extra_pairs": [list(p) for p in self.extra_pairs],
            "lead_basis": {"gold": self.gold.lead_basis, "extracted": self.basis},
        }


@dataclass
class DocumentResult:
    """The figures of one gold document."""

    file: str
    source: str | None
    score: Score
    refused: str | None = None
    government: str | None = None  # right / unknown / wrong; None if refused or the gold records none
    government_fields: dict[str, dict[str, str | None]] = field(default_factory=dict)
    actions: list[ActionResult] = field(default_factory=list)
    extra_actions: list[tuple[Action, list[tuple[str, str]]]] = field(default_factory=list)

    def government_text(self) -> str:
        """``right``, ``refused``, or the verdict with the fields that are not right.

        >>> DocumentResult("a.txt", "a.txt", Score(), government="wrong", government_fields={
        ...     "city": {"gold": "宜昌市", "extracted": None, "verdict": "unknown"},
        ...     "level": {"gold": "county", "extracted": "city", "verdict": "wrong"}}).government_text()
        'wrong (city ?, level city ≠ county)'
        """
        if self.refused is not None:
            return "refused"
        if self.government is None:
            return "-"
        notes = [f"{name} ?" if f["verdict"] == "unknown" else f"{name} {f['extracted']} ≠ {f['gold']}"
                 for name, f in self.government_fields.items() if f["verdict"] != "right"]
        return self.government + (f" ({', '.join(notes)})" if notes else "")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "source": self.source}
        data |= self.score.to_json()
        del data["documents"]
        data["refused"] = self.refused  # the loaders' reason, or null
        data["government"] = {"verdict": self.government, **self.government_fields}
        data["gold_actions"] = [a.to_json() for a in self.actions]
        data["extra_actions"] = [{"number": a.number, "title": a.title, "pairs": [list(p) for p in pairs]}
                                 for a, pairs in self.extra_actions]
        return data


@dataclass
class Evaluation:
    """The figures of every gold document given, and over all of them."""

    documents: list[DocumentResult]
    not_given: list[str] = field(default_factory=list)  # gold files with no path among those given
    unused: list[tuple[str, str]] = field(default_factory=list)  # (path, why it was not evaluated)

    @property
    def overall(self) -> Score:
        total = Score()
        for document in self.documents:
            total = total + document.score
        return total

    def to_json(self) -> dict[str, Any]:
        return {"documents": [d.to_json() for d in self.documents], "overall": self.overall.to_json(),
                "not_given": self.not_given, "unused": [{"source": p, "why": why} for p, why in self.unused]}


# --------------------------------------------------------------------------- scoring


def evaluate_document(gold: GoldDocument, extracted: PlanDocument | str, source: str | None = None) -> DocumentResult:
    """Score one document: its extraction, or the reason (one line) the loaders refused it.

    >>> gold = GoldDocument("a.txt", (GoldAction("1.", "建平台", ("市科技局",), "explicit", ("市财政局",)),))
    >>> refused = evaluate_document(gold, "a.txt: no recognisable structure")
    >>> refused.score.missed, refused.score.gold_pairs, refused.score.f1, refused.score.refused
    (1, 2, 0.0, 1)
    """
    score = Score(documents=1, gold_pairs=sum(len(a.pairs()) for a in gold.actions))
    if isinstance(extracted, str):
        score.refused, score.missed = 1, len(gold.actions)
        actions = [ActionResult(a, None, sorted(a.pairs()), []) for a in gold.actions]
        return DocumentResult(gold.file, source, score, refused=extracted, actions=actions)
    result = DocumentResult(gold.file, source if source is not None else extracted.source, score)
    matched = dict(match_actions(gold.actions, extracted.actions))
    used = set(matched.values())
    for index, gold_action in enumerate(gold.actions):
        expected = gold_action.pairs()
        if index not in matched:
            score.missed += 1
            result.actions.append(ActionResult(gold_action, None, sorted(expected), []))
            continue
        found = extracted.actions[matched[index]]
        claimed = extracted_pairs(found)
        basis = _extracted_basis(found)
        score.found += 1
        score.extracted_pairs += len(claimed)
        score.right_pairs += len(expected & claimed)
        score.basis_checked += 1
        score.basis_right += basis == gold_action.lead_basis
        result.actions.append(ActionResult(gold_action, found, sorted(expected - claimed),
                                           sorted(claimed - expected), basis))
    for index, action in enumerate(extracted.actions):
        claimed = extracted_pairs(action)
        if index not in used and claimed:
            score.extra += 1
            score.extracted_pairs += len(claimed)
            result.extra_actions.append((action, sorted(claimed)))
    _score_government(result, gold, extracted)
    return result


def _score_government(result: DocumentResult, gold: GoldDocument, extracted: PlanDocument) -> None:
    verdicts = []
    for name, expected in gold.government.items():
        value = _extracted_government(extracted, name)
        if value == expected or (value and expected and _plain(value) == _plain(expected)):
            verdict = "right"
        elif not value:
            verdict = "unknown"
        else:
            verdict = "wrong"
        verdicts.append(verdict)
        result.government_fields[name] = {"gold": expected, "extracted": value, "verdict": verdict}
    if not verdicts:
        return
    result.government = "wrong" if "wrong" in verdicts else "unknown" if "unknown" in verdicts else "right"
    setattr(result.score, f"government_{result.government}", 1)


def _extracted_government(doc: PlanDocument, name: str) -> str | None:
    """The extraction's value for a gold field. The gold's city is the government whose agencies the
    notes name, which for a province-level plan is the province: a plan the loaders place at province
    level with no city answers with its province."""
    if name == "city" and doc.city is None and doc.level == "province":
        return doc.province
    return getattr(doc, name)


def evaluate_documents(gold: Iterable[GoldDocument], extracted: Mapping[str, PlanDocument | str],
                       sources: Mapping[str, str] | None = None) -> Evaluation:
    """Score the gold documents found in ``extracted`` (gold file name -> extraction or refusal), in gold order.

    Gold documents not in ``extracted`` are listed as ``not_given`` and not scored.
    """
    sources = sources or {}
    evaluation = Evaluation(documents=[])
    for document in gold:
        if document.file not in extracted:
            evaluation.not_given.append(document.file)
            continue
        evaluation.documents.append(evaluate_document(document, extracted[document.file],
                                                      sources.get(document.file)))
    return evaluation


def evaluate_paths(gold: Sequence[GoldDocument], paths: Iterable[str | Path],
                   extract: Callable[[str], PlanDocument] | None = None) -> Evaluation:
    """Read the files the gold names from ``paths`` (files, or folders searched for them) and score them.

    A file matches a gold document when its name is the gold's ``file`` (when that holds folders
    too, when the path ends with them). Files in a folder that the gold does not name are passed
    over quietly; a file given by name that the gold does not name is listed in ``unused``.
    A file the loaders refuse counts as refused, with the loaders' one-line reason.
    """
    if extract is None:
        from loaders.extract import extract_path as extract
    wanted = {document.file: Path(document.file).parts for document in gold}
    chosen: dict[str, str] = {}
    unused: list[tuple[str, str]] = []

    def gold_file(path: Path) -> str | None:
        return next((file for file, parts in wanted.items() if path.parts[-len(parts):] == parts), None)

    for given in paths:
        path = Path(given)
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for candidate in candidates:
            file = gold_file(candidate)
            if file is None:
                if not path.is_dir():
                    unused.append((str(candidate), "the gold has no document of this name"))
            elif file in chosen:
                unused.append((str(candidate), f"{file} is already evaluated from {chosen[file]}"))
            else:
                chosen[file] = str(candidate)
    extracted: dict[str, PlanDocument | str] = {}
    for file, source in chosen.items():
        try:
            extracted[file] = extract(source)
        except LoaderError as error:
            extracted[file] = str(error)
        except Exception as error:  # a fault of the loaders: still this file's line, the others go on
            extracted[file] = f"{source}: internal error: {type(error).__name__}: {error}"
    evaluation = evaluate_documents(gold, extracted, chosen)
    evaluation.unused = unused
    return evaluation


# --------------------------------------------------------------------------- reporting


def _figure(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


DOCUMENT_COLUMNS = ["document", "F1", "P", "R", "pairs right/gold/extracted", "lead basis", "found", "missed",
                    "extra", "government"]


def document_rows(evaluation: Evaluation) -> tuple[list[str], list[list[str]]]:
    """Columns and one row of text cells per document, for a table (``policykg evaluate``, the bench)."""
    rows = []
    for document in evaluation.documents:
        s = document.score
        rows.append([document.file, _figure(s.f1), _figure(s.precision), _figure(s.recall),
                     f"{s.right_pairs}/{s.gold_pairs}/{s.extracted_pairs}", _figure(s.lead_basis, 2),
                     str(s.found), str(s.missed), str(s.extra), document.government_text()])
    return DOCUMENT_COLUMNS, rows


def overall_line(score: Score) -> str:
    """The overall figures on one line.

    >>> overall_line(Score(documents=3, refused=1, gold_pairs=25, extracted_pairs=22, right_pairs=19,
    ...     basis_right=7, basis_checked=8, found=8, missed=3, extra=1, government_right=1))
    'overall: F1 0.809 (P 0.86 R 0.76), lead basis 0.88, actions 8 found / 3 missed / 1 extra, government 1 right / 0 unknown / 0 wrong, 1 refused'
    """  # noqa: E501
    return (f"overall: F1 {_figure(score.f1)} (P {_figure(score.precision, 2)} R {_figure(score.recall, 2)}), "
            f"lead basis {_figure(score.lead_basis, 2)}, "
            f"actions {score.found} found / {score.missed} missed / {score.extra} extra, "
            f"government {score.government_right} right / {score.government_unknown} unknown / "
            f"{score.government_wrong} wrong, {score.refused} refused")
