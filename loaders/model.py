"""The typed record of one action plan, as the loaders extract it.

Everything taken from a document carries its provenance: ``span`` is a pair of
character offsets ``[start, end)`` into ``PlanDocument.text`` (the decoded text,
original characters kept), so ``doc.text[start:end]`` is the quoted sentence.

>>> from loaders import extract_text
>>> doc = extract_text("（一）建平台。（牵头单位：市科技局）", source="x.txt")
>>> doc.actions[0].agencies[0].canonical
'市科技局'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field, field_serializer

Role = Literal["lead", "responsible", "support"]
LeadBasis = Literal["explicit", "first-listed", "corrected"]
EntityType = Literal["District", "Park", "Platform", "Organization", "Person"]
ActionKind = Literal["action", "goal", "safeguard"]
Level = Literal["province", "city", "district", "county"]

Span = tuple[int, int]


def merged_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted, empty ones dropped and overlapping ones joined: a position is in one of them
    exactly when it was in any.

    >>> merged_spans([(5, 9), (0, 2), (8, 12), (3, 3)])
    [(0, 2), (5, 12)]
    """
    merged: list[Span] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class AgencyRef(BaseModel):
    """One unit named in an action's responsibility note."""

    name: str = Field(description="the unit as written in the note")
    canonical: str = Field(description="scoped canonical name, e.g. 鄂州市科技局")
    kind: str | None = Field(None, description="agency kind key, e.g. 科技局")
    kind_en: str | None = Field(None, description="English name of the kind")
    type: str = Field("agency", description="agency, government, party, zone, town, company, ...")
    role: Role
    lead_basis: LeadBasis | None = None
    rank: int = Field(description="1-based position of the unit in its note")
    collective: bool = False
    derived_from: str | None = Field(
        None, description="canonical name of the collective this member was expanded from"
    )
    span: Span | None = Field(None, description="where the unit is written; None if derived")
    alias: str | None = Field(None, description="an alias or former name written in brackets after it")
    government: str | None = Field(None, description="the government the unit belongs to, e.g. 鄂州市")
    national: bool = Field(False, description="a national body (国家发展改革委): of no city, one node for all plans")
    correction: str | None = Field(None, description="the id of the correction that put the unit here, if a person did")


class Entity(BaseModel):
    type: EntityType
    name: str
    span: Span
    post: str | None = Field(None, description="for a Person: the post held")
    located_in: str | None = Field(None, description="for a Park or Platform: its District")
    correction: str | None = Field(None, description="the correction that retyped it, if a person did")


class Target(BaseModel):
    value: float | None = Field(None, description="the quantity; None for a pure deadline")
    value_max: float | None = Field(None, description="upper end of a range such as 3至5项")
    unit: str | None = None
    qualifier: str | None = Field(None, description="at_least, at_most, exceed or None")
    year: int | None = None
    deadline: str | None = Field(None, description="e.g. 2026年底 for 2026年底前建成…")
    metric: str = Field(description="what is counted, e.g. 人工智能产业规模")
    text: str = Field(description="the target as written")
    span: Span
    correction: str | None = Field(None, description="the correction that fixed its value, unit or year, if any")

    @field_serializer("value", "value_max")
    def _whole_numbers_as_int(self, value: float | None) -> float | int | None:
        # 80 reads as 80 in JSON and CSV, not 80.0; 3.6 stays 3.6.
        return int(value) if value is not None and value.is_integer() else value


class Action(BaseModel):
    id: str
    number: str = Field(description="normalised item marker, e.g. （一） or 1.")
    kind: ActionKind = "action"
    section: list[str] = Field(description="headings above the item, outermost first")
    title: str
    text: str = Field(description="the item's body, responsibility note removed")
    span: Span
    note: str | None = Field(None, description="the responsibility note as written")
    note_span: Span | None = None
    agencies: list[AgencyRef] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)


class Section(BaseModel):
    id: str
    number: str
    title: str
    level: int = Field(description="1 for 一、, 2 for （一）, 3 for 1., 4 for (1), 5 for ①")
    path: list[str] = Field(description="headings from the top down to this one")
    span: Span


class GivenGovernment(BaseModel):
    """A plan's government as a person gives it (``--city/--province/--level``, the upload preview):
    it wins over what the loaders read (see :mod:`loaders.given`)."""

    city: str | None = None
    province: str | None = None
    level: Level | None = None

    def __bool__(self) -> bool:
        return any((self.city, self.province, self.level))


class LoaderWarning(BaseModel):
    """What the loaders could not read surely: a code of ``data/warnings.toml`` and its values.

    ``message`` is the English text (the entry's ``en`` filled with the values); the explorer
    renders the code in the reader's language instead of reading the message back.

    >>> from loaders.warning import warning
    >>> w = warning("irregular_numbering", written="（3）", read="（三）")
    >>> (w.code, w.values, str(w))
    ('irregular_numbering', {'written': '（3）', 'read': '（三）'}, 'irregular numbering: （3） read as （三）')
    """

    code: str
    values: dict[str, str] = Field(default_factory=dict)
    message: str

    def __str__(self) -> str:
        return self.message


class PlanDocument(BaseModel):
    id: str = Field(description="stable id derived from the text: same text, same id")
    source: str
    title: str | None = None
    city: str | None = None
    province: str | None = None
    issuer: str | None = None
    level: Level | None = None
    government_basis: Literal["given", "document"] | None = Field(
        None, description="given: city/province/level as a person gave them; document: as the loaders read them")
    published: str | None = Field(None, description="ISO date of issue, if stated")
    addressees: list[str] = Field(default_factory=list)
    text: str = Field(repr=False)
    sections: list[Section] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    warnings: list[LoaderWarning] = Field(default_factory=list)
    given: GivenGovernment | None = Field(None, description="the government as a person gave it, if one did")
    correction: str | None = Field(None, description="the last correction of the plan's own facts (title, date)")
    reading: str | None = Field(None, repr=False, description="the reader's tables as JSON (loaders.readers."
                                "reading_json): with the text, all it takes to extract the plan again")

    @property
    def warning_messages(self) -> list[str]:
        """The warnings as ``policykg extract`` prints them (English)."""
        return [warning.message for warning in self.warnings]
