"""graph.vocabulary: one table of roles and labels, agreeing with the schema, the loaders and every place that
names a role (matrix marks, coordination counters, legend styles, interface words)."""

from __future__ import annotations

import typing

from explorer.i18n import strings
from graph import schema
from graph.vocabulary import ENTITY_LABELS, NODE_LABELS, ROLE_BY_TYPE, ROLE_RELATIONSHIPS, ROLE_TYPES, ROLES
from loaders.model import EntityType, Role
from queries.analytics import ROLE_COUNTERS
from views import matrix
from views.draw import EDGE_STYLES, NODE_STYLES
from views.network import ROLE_TYPES as NETWORK_ROLES


def test_roles_are_the_schemas_role_relationships_with_their_marks_and_counters():
    assert [(r.name, r.type, r.mark, r.counter) for r in ROLES] == [
        ("lead", "LEADS", "L", "leads"), ("responsible", "RESPONSIBLE_FOR", "R", "responsible"),
        ("support", "SUPPORTS", "S", "supports")]
    assert ROLE_RELATIONSHIPS == schema.ROLE_RELATIONSHIPS
    assert set(ROLE_TYPES) <= set(schema.RELATIONSHIPS)
    assert list(typing.get_args(Role)) == [r.name for r in ROLES]  # the loaders' AgencyRef.role


def test_labels_are_the_schemas():
    assert tuple(schema.NODES) == NODE_LABELS
    assert tuple(schema.ENTITY_LABELS) == ENTITY_LABELS == typing.get_args(EntityType)


def test_the_matrix_the_network_and_the_coordination_counts_name_roles_as_the_vocabulary_does():
    assert matrix.ROLE_MARKS == {"LEADS": "L", "RESPONSIBLE_FOR": "R", "SUPPORTS": "S"}
    assert matrix.ROLE_NAMES == {"LEADS": "lead", "RESPONSIBLE_FOR": "responsible", "SUPPORTS": "support"}
    assert ROLE_COUNTERS == {"LEADS": "leads", "RESPONSIBLE_FOR": "responsible", "SUPPORTS": "supports"}
    assert NETWORK_ROLES == {"lead": "LEADS", "responsible": "RESPONSIBLE_FOR", "support": "SUPPORTS"}
    assert [matrix.role_mark(t) for t in ROLE_TYPES] == [ROLE_BY_TYPE[t].mark for t in ROLE_TYPES]


def test_every_role_and_label_has_words_in_both_languages():
    words = strings()
    for role in ROLES:
        for key in (f"network.role.{role.name}", f"agencies.role.{role.name}"):
            assert words[key]["zh"] and words[key]["en"], key
        assert EDGE_STYLES[role.type]["zh"] and EDGE_STYLES[role.type]["en"]
    for label in NODE_LABELS:
        assert NODE_STYLES[label]["zh"] and NODE_STYLES[label]["en"], label
