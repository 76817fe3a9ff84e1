"""The graph's vocabulary in one place: the roles an agency holds in an action, and the node labels.

A role is known by several names, each where it is used:

==============  ===================  ====  ============  ===============================================
role (loaders)  relationship (graph)  mark  counter       where
==============  ===================  ====  ============  ===============================================
lead            LEADS                L     leads         ``AgencyRef.role``, the graph, the matrix, counts
responsible     RESPONSIBLE_FOR      R     responsible
support         SUPPORTS             S     supports
==============  ===================  ====  ============  ===============================================

The role names and relationship types come from :data:`graph.schema.ROLE_RELATIONSHIPS`; the marks
are the cells of the responsibility matrix (views.matrix), the counters the names of the per-agency
counts (queries.analytics, views.matrix profiles). The words people read for them (zh and en) are data:
``data/ui/*.toml`` (``network.role.lead`` …) and ``data/ui/styles.toml`` (legend names).

    >>> [(r.name, r.type, r.mark, r.counter) for r in ROLES]  # doctest: +NORMALIZE_WHITESPACE
    [('lead', 'LEADS', 'L', 'leads'), ('responsible', 'RESPONSIBLE_FOR', 'R', 'responsible'),
     ('support', 'SUPPORTS', 'S', 'supports')]
    >>> ROLE_BY_TYPE["SUPPORTS"].name, ROLE_BY_NAME["lead"].type
    ('support', 'LEADS')
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import schema

__all__ = [
    "BRINGING_RELATIONSHIPS",
    "DOCUMENT_LABELS",
    "ENTITY_LABELS",
    "EXPLICIT",
    "FIRST_LISTED",
    "LEADS",
    "LEAD_BASES",
    "NODE_LABELS",
    "RELATIONSHIP_TYPES",
    "ROLES",
    "ROLE_BY_NAME",
    "ROLE_BY_TYPE",
    "ROLE_RELATIONSHIPS",
    "ROLE_TYPES",
    "Role",
]


@dataclass(frozen=True)
class Role:
    """One role: ``name`` as the loaders give it, its relationship ``type``, its matrix ``mark`` and the
    ``counter`` name of how many of it an agency holds."""

    name: str
    type: str
    mark: str
    counter: str


_MARKS = {"lead": "L", "responsible": "R", "support": "S"}
_COUNTERS = {"lead": "leads", "responsible": "responsible", "support": "supports"}

#: The roles in the order of a note's columns: lead, responsible, support.
ROLES: tuple[Role, ...] = tuple(Role(name, rel_type, _MARKS[name], _COUNTERS[name])
                                for name, rel_type in schema.ROLE_RELATIONSHIPS.items())
ROLE_BY_NAME: dict[str, Role] = {role.name: role for role in ROLES}
ROLE_BY_TYPE: dict[str, Role] = {role.type: role for role in ROLES}
#: Role name -> relationship type (lead -> LEADS …).
ROLE_RELATIONSHIPS: dict[str, str] = {role.name: role.type for role in ROLES}
#: The role relationship types, in role order: LEADS, RESPONSIBLE_FOR, SUPPORTS.
ROLE_TYPES: tuple[str, ...] = tuple(role.type for role in ROLES)
LEADS = ROLE_BY_NAME["lead"].type

#: The basis of a lead: the document names it, or the note marks none and the first-listed unit is taken.
EXPLICIT = "explicit"
FIRST_LISTED = "first-listed"
LEAD_BASES = (EXPLICIT, FIRST_LISTED)

#: Every node label, in schema order (the legend's order too).
NODE_LABELS: tuple[str, ...] = tuple(schema.NODES)
#: Every relationship type, in schema order.
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(schema.RELATIONSHIPS)
#: The entities found in text: District, Park, Platform, Organization, Person.
ENTITY_LABELS: tuple[str, ...] = tuple(schema.ENTITY_LABELS)
#: Nodes that belong to one document (their ids start with its id); all others are shared between documents.
DOCUMENT_LABELS: tuple[str, ...] = ("Document", "Section", "Action", "Target")
#: Structural links from a shared node to another shared node it brings into a plan's view: a collective's
#: members, a park's district, an agency's kind (views.network's scope, GraphStore.to_networkx(documents)).
BRINGING_RELATIONSHIPS: tuple[str, ...] = ("INCLUDES", "LOCATED_IN", "OF_KIND")
