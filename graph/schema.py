"""The one schema of the graph, as pydantic models; both stores are built from it.

Every node has a string ``id`` that is stable: loading the same document again
produces the same ids, so a reload changes nothing. Nodes and relationships
taken from text carry provenance: ``doc_id``, ``span`` ([start, end) into the
document's text) and ``quote``.

Everything the stores need to know about a property is declared here, and only
here; :mod:`graph.statements` generates from it both stores' DDL (Neo4j
constraints and indexes, LadybugDB node and relationship tables) and the
statements that merge records, so a field added to a model reaches both stores
with nothing else to change. The declarations:

- a field's type annotation is its column type (:func:`properties`);
- ``Field(json_schema_extra=KEY)``: the node's identity (``Node.id``): a uniqueness
  constraint in Neo4j, the primary key in LadybugDB, what ``MERGE`` matches on;
- ``Field(json_schema_extra=INDEX)``: looked up by value (names): an index in Neo4j
  (LadybugDB has no secondary indexes: its tables are scanned);
- ``Field(json_schema_extra=UNION)``: a list that several documents add to (an agency's
  aliases): the stored list and the new one are united, each value once, sorted, instead of
  the new list replacing the stored one;
- ``Field(json_schema_extra=LOOKUP)``: kept to find the node by, not to read (an agency's
  aliases in the form they are looked up by): stored and exported like any property, left out
  of what the explorer shows of a node;
- ``Field(json_schema_extra=INTERNAL)``: kept for policykg's own use (a document's reading and the
  government a person gave, to extract it again from the store), stored and exported, never shown;
- declarations combine: ``json_schema_extra=LOOKUP | UNION`` declares both;
- the ClassVar ``earliest_wins`` on a model: several documents name the same node or
  relationship, and the properties of the document with the smallest ``doc_id`` win, so the
  graph is the same whatever order the documents were loaded in (UNION fields are united
  whatever the order); otherwise the last document loaded sets them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import ClassVar

from pydantic import BaseModel, Field

# The declarations a field can carry (see the module docstring); read by key(), indexed(), united(),
# lookup_only(). Each is a key of its own, so ``A | B`` declares both.
KEY = {"policykg_key": True}
INDEX = {"policykg_index": True}
UNION = {"policykg_union": True}
LOOKUP = {"policykg_lookup": True}
INTERNAL = {"policykg_internal": True}


class Node(BaseModel):
    """Base of every node model; ``label`` is the node label in both stores."""

    label: ClassVar[str]
    description: ClassVar[str]
    # Several documents can name the same node (an entity of a city) or relationship (a
    # collective's member): True, the properties of the document with the smallest id win, so
    # the graph is the same whatever order the documents were loaded in; False, the last load's.
    earliest_wins: ClassVar[bool] = False
    id: str = Field(json_schema_extra=KEY)


class Provenance(BaseModel):
    # Indexed: the documents query counts a plan's actions and targets by it, and a reload deletes what
    # a plan owned by it; without an index Neo4j scanned every Action once per document (17 s at 1,000 plans).
    doc_id: str | None = Field(None, json_schema_extra=INDEX)
    span: list[int] | None = Field(None, description="[start, end) character offsets into Document.text")
    quote: str | None = Field(None, description="the text the fact was taken from")
    correction: str | None = Field(None, description="the id of the correction that set this, if a person did")


class Document(Node):
    label: ClassVar[str] = "Document"
    description: ClassVar[str] = "One plan file; its text is kept for provenance"
    source: str = Field(description="file name as loaded")
    title: str | None = None
    city: str | None = None
    province: str | None = None
    issuer: str | None = None
    level: str | None = None
    government_basis: str | None = Field(None, description="given (by a person) or document (as read)")
    published: str | None = None
    warnings: list[str] = Field(default_factory=list)
    text: str
    correction: str | None = Field(None, description="the last correction of its title, date or government")
    # Counted when the plan's records are made, and written in the same transaction as its actions and
    # targets (which only ever come and go with their plan): listing 10,000 plans with their counts
    # joined each plan to its actions and targets, ~150 ms of LadybugDB's time; reading the counts is a scan.
    actions: int | None = Field(None, description="how many actions it has (written with them)")
    targets: int | None = Field(None, description="how many targets it has (written with them)")
    given: str | None = Field(None, json_schema_extra=INTERNAL,
                              description="the government a person gave at load, as JSON (extracting it again)")
    reading: str | None = Field(None, json_schema_extra=INTERNAL,
                                description="the reader's tables as JSON: with the text, all it takes to extract "
                                            "the plan again (loaders.readers.reading_json)")


class Section(Node, Provenance):
    label: ClassVar[str] = "Section"
    description: ClassVar[str] = "A numbered heading (一、 / （一） …) holding actions"
    number: str
    title: str
    level: int
    path: list[str]


class Action(Node, Provenance):
    label: ClassVar[str] = "Action"
    description: ClassVar[str] = "A numbered item that carries work (kind: action, goal, safeguard)"
    number: str
    kind: str
    title: str
    text: str
    note: str | None = None
    section: list[str]
    city: str | None = None
    seq: int = Field(description="position of the action in its document, from 1")


class Agency(Node):
    label: ClassVar[str] = "Agency"
    description: ClassVar[str] = "A unit named in notes, scoped by its government (鄂州市科技局)"
    name: str = Field(description="canonical name, scoped by government", json_schema_extra=INDEX)
    aliases: list[str] = Field(default_factory=list, description="forms as written in the documents",
                               json_schema_extra=UNION)
    alias_forms: list[str] = Field(default_factory=list, json_schema_extra=LOOKUP | UNION,
                                   description="the aliases simplified, half-width and without spaces: a name "
                                               "typed in any form finds the agency (市數據局 by 市数据局)")
    city: str | None = Field(None, description="the government the unit belongs to")
    kind: str | None = None
    type: str = "agency"
    collective: bool = False
    correction: str | None = Field(None, description="the correction that renamed it or merged another into it")


class AgencyKind(Node):
    label: ClassVar[str] = "AgencyKind"
    description: ClassVar[str] = "A government function shared across cities (科技局)"
    name: str = Field(json_schema_extra=INDEX)
    name_en: str


class Entity(Node, Provenance):
    """Base of the entities found in text; ``id`` is the city and the name."""

    earliest_wins: ClassVar[bool] = True

    name: str = Field(json_schema_extra=INDEX)
    city: str | None = None


class District(Entity):
    label: ClassVar[str] = "District"
    description: ClassVar[str] = "区, 县, 镇, 街道, 经开区, 高新区 …"


class Park(Entity):
    label: ClassVar[str] = "Park"
    description: ClassVar[str] = "产业园, 园区, 产业基地, 试验区 …"


class Platform(Entity):
    label: ClassVar[str] = "Platform"
    description: ClassVar[str] = "研究院, 创新中心, 实验室, 数据中心, 智算中心 …"


class Organization(Entity):
    label: ClassVar[str] = "Organization"
    description: ClassVar[str] = "Companies, universities, operators"


class Person(Entity):
    label: ClassVar[str] = "Person"
    description: ClassVar[str] = "A person named with a post"
    post: str | None = None


class Target(Node, Provenance):
    label: ClassVar[str] = "Target"
    description: ClassVar[str] = "A quantified target or deadline"
    metric: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    year: int | None = None
    year_inferred: bool = Field(False, description="the year is the plan's (its period's end, 到2027年 before "
                                                   "its first item), the target giving none of its own")
    deadline: str | None = None
    text: str
    city: str | None = None


class Correction(Node):
    """A person's correction, kept in the store beside the graph it corrects (see graph.corrections).

    Not one of :data:`NODES`: it is no fact of a plan, so the graph views, exports and ``clear``
    leave it alone; the stores create its table and constraint from :func:`stored_models`.
    """

    label: ClassVar[str] = "Correction"
    description: ClassVar[str] = "A person's correction of the graph, applied on every load"
    kind: str = Field(json_schema_extra=INDEX, description="a kind of data/corrections/kinds.toml (lead, merge …)")
    document: str | None = Field(None, json_schema_extra=INDEX, description="the corrected plan's file name")
    document_id: str | None = Field(None, description="the id of the plan it was made on")
    target: str = Field(description="what it corrects, by stable identity, as JSON")
    change: str = Field(description="what it sets, as JSON")
    who: str
    at: str = Field(description="when it was made (ISO 8601, UTC)")
    why: str
    status: str = Field("active", description="active, or undone")
    undone_at: str | None = None
    undone_by: str | None = None
    extracted: str | None = Field(None, description="what the loaders gave for the fact, as JSON (its history)")
    outcome: str | None = Field(None, description="applied, or why it could not be, at the last load")


NODE_MODELS: tuple[type[Node], ...] = (
    Document, Section, Action, Agency, AgencyKind, District, Park, Platform, Organization, Person, Target,
)
NODES: dict[str, type[Node]] = {model.label: model for model in NODE_MODELS}
# What the stores keep beside the graph's nodes: their tables and constraints come from the schema too.
BOOKKEEPING_MODELS: tuple[type[Node], ...] = (Correction,)


def stored_models() -> tuple[type[Node], ...]:
    """Every node model a store has a table (LadybugDB) or constraint (Neo4j) for: the graph's and the
    bookkeeping's (read from :data:`NODES` when called, so a model replaced there is the one stored)."""
    return (*NODES.values(), *BOOKKEEPING_MODELS)
ENTITY_LABELS = ("District", "Park", "Platform", "Organization", "Person")
# Nodes several plans share (an agency of a city, an entity) and nodes one plan owns (its actions …).
SHARED_LABELS = ("Agency", *ENTITY_LABELS)
OWNED_LABELS = ("Section", "Action", "Target")


class Relationship(BaseModel):
    """Base of relationship property models."""

    type: ClassVar[str]
    description: ClassVar[str]
    pairs: ClassVar[tuple[tuple[str, str], ...]]
    earliest_wins: ClassVar[bool] = False  # as for Node


class HasSection(Relationship):
    type: ClassVar[str] = "HAS_SECTION"
    description: ClassVar[str] = "Document or section to the section under it"
    pairs: ClassVar = (("Document", "Section"), ("Section", "Section"))


class HasAction(Relationship):
    type: ClassVar[str] = "HAS_ACTION"
    description: ClassVar[str] = "Section (or a document without headings) to its actions"
    pairs: ClassVar = (("Section", "Action"), ("Document", "Action"))


class Leads(Relationship, Provenance):
    type: ClassVar[str] = "LEADS"
    description: ClassVar[str] = "The agency leads the action; basis: explicit or first-listed"
    pairs: ClassVar = (("Agency", "Action"),)
    basis: str
    rank: int
    as_written: str | None = None
    derived_from: str | None = None


class ResponsibleFor(Relationship, Provenance):
    type: ClassVar[str] = "RESPONSIBLE_FOR"
    description: ClassVar[str] = "The agency shares responsibility for the action"
    pairs: ClassVar = (("Agency", "Action"),)
    rank: int
    as_written: str | None = None
    derived_from: str | None = None


class Supports(Relationship, Provenance):
    type: ClassVar[str] = "SUPPORTS"
    description: ClassVar[str] = "The agency supports the action (配合/协办/参与)"
    pairs: ClassVar = (("Agency", "Action"),)
    rank: int
    as_written: str | None = None
    derived_from: str | None = None


class OfKind(Relationship):
    type: ClassVar[str] = "OF_KIND"
    description: ClassVar[str] = "Agency to its kind"
    pairs: ClassVar = (("Agency", "AgencyKind"),)


class Includes(Relationship, Provenance):
    type: ClassVar[str] = "INCLUDES"
    earliest_wins: ClassVar[bool] = True
    description: ClassVar[str] = "A collective unit to a member the document names"
    pairs: ClassVar = (("Agency", "Agency"),)


class Mentions(Relationship, Provenance):
    type: ClassVar[str] = "MENTIONS"
    description: ClassVar[str] = "An action (or, outside actions, a document) names an entity"
    pairs: ClassVar = tuple((source, label) for source in ("Action", "Document") for label in ENTITY_LABELS)


class SetsTarget(Relationship, Provenance):
    type: ClassVar[str] = "SETS_TARGET"
    description: ClassVar[str] = "An action (or, outside actions, a document) sets a target"
    pairs: ClassVar = (("Action", "Target"), ("Document", "Target"))


class LocatedIn(Relationship, Provenance):
    type: ClassVar[str] = "LOCATED_IN"
    earliest_wins: ClassVar[bool] = True
    description: ClassVar[str] = "A park or platform is in a district, where the text says so"
    pairs: ClassVar = (("Park", "District"), ("Platform", "District"))


RELATIONSHIP_MODELS: tuple[type[Relationship], ...] = (
    HasSection, HasAction, Leads, ResponsibleFor, Supports, OfKind, Includes, Mentions, SetsTarget, LocatedIn,
)
RELATIONSHIPS: dict[str, type[Relationship]] = {model.type: model for model in RELATIONSHIP_MODELS}
ROLE_RELATIONSHIPS = {"lead": "LEADS", "responsible": "RESPONSIBLE_FOR", "support": "SUPPORTS"}


@cache
def properties(model: type[BaseModel]) -> Mapping[str, str]:
    """Property name -> type name ('STRING', 'INT64', 'DOUBLE', 'BOOLEAN', 'STRING[]', 'INT64[]').

    Read-only and computed once per model: loading asks for it for every document.
    """
    return MappingProxyType({name: _type_name(field.annotation) for name, field in model.model_fields.items()})


def _declared(model: type[BaseModel], declaration: dict[str, bool]) -> tuple[str, ...]:
    return tuple(name for name, field in model.model_fields.items() if isinstance(field.json_schema_extra, dict)
                 and declaration.items() <= field.json_schema_extra.items())


@cache
def key(model: type[Node]) -> str:
    """The node's identity property (declared ``KEY``; ``id`` for every node today)."""
    keys = _declared(model, KEY)
    if len(keys) != 1:
        raise TypeError(f"{model.__name__} must declare exactly one KEY field, not {keys}")
    return keys[0]


@cache
def indexed(model: type[Node]) -> tuple[str, ...]:
    """Properties declared ``INDEX``: looked up by value, so Neo4j indexes them."""
    return _declared(model, INDEX)


@cache
def united(model: type[BaseModel]) -> tuple[str, ...]:
    """List properties declared ``UNION``: merged with what is stored, not replaced (see :func:`union_lists`)."""
    names = _declared(model, UNION)
    for name in names:
        if not properties(model)[name].endswith("[]"):
            raise TypeError(f"{model.__name__}.{name} is declared UNION but is not a list")
    return names


@cache
def lookup_only(model: type[BaseModel]) -> frozenset[str]:
    """Properties declared ``LOOKUP``: there to find the node by, not for people to read."""
    return frozenset(_declared(model, LOOKUP))


@cache
def not_shown(model: type[BaseModel]) -> frozenset[str]:
    """Properties the explorer leaves out of what it shows of a node: ``LOOKUP`` and ``INTERNAL`` ones."""
    return lookup_only(model) | frozenset(_declared(model, INTERNAL))


def union_lists(*lists: list | None) -> list:
    """The merge rule of a ``UNION`` property: every value once, sorted, whatever order the lists came in.

    The stores apply the same rule in Cypher (:mod:`graph.statements`).

    >>> union_lists(["市科技局", "科技局"], ["市科学技术局", "科技局"], None)
    ['市科学技术局', '市科技局', '科技局']
    """
    return sorted({value for values in lists for value in values or ()})


def _type_name(annotation: object) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return _type_name(args[0])
    if origin is list:
        return _type_name(args[0]) + "[]"
    return {str: "STRING", int: "INT64", float: "DOUBLE", bool: "BOOLEAN"}[annotation]


def describe_schema() -> str:
    """The schema as text, for ``policykg schema`` and the README."""
    lines = ["Nodes"]
    for label, model in NODES.items():
        props = ", ".join(f"{name}: {kind}" for name, kind in properties(model).items())
        lines.append(f"  (:{label})  {model.description}")
        lines.append(f"      {props}")
    lines.append("")
    lines.append("Relationships")
    for rel_type, model in RELATIONSHIPS.items():
        pairs = " | ".join(f"(:{a})-[:{rel_type}]->(:{b})" for a, b in model.pairs)
        props = ", ".join(f"{name}: {kind}" for name, kind in properties(model).items())
        lines.append(f"  {pairs}")
        lines.append(f"      {model.description}" + (f"; {props}" if props else ""))
    lines.append("")
    for model in BOOKKEEPING_MODELS:
        props = ", ".join(f"{name}: {kind}" for name, kind in properties(model).items())
        lines.append(f"Beside them, (:{model.label})  {model.description}")
        lines.append(f"      {props}")
    lines.append("Beside them, one (:PolicykgStamp {id: 'graph', version}): the change stamp every load and clear")
    lines.append("increases (graph.store.GraphStore.data_version)")
    lines.append("and (:PolicykgKept {key, version, payload}): results an analysis kept at one change stamp")
    lines.append("(graph.store.GraphStore.keep; never data, never exported)")
    return "\n".join(lines)
