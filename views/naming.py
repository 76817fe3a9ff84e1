"""How nodes and values read as text: one naming rule and one value formatter for the command line,
the explorer and the exports.

- :func:`value_text`: a property value as one piece of text (lists joined with 、, whole floats
  without ".0"): tooltips, detail panels, lists.
- :func:`node_name`: how a node reads, in a list, a table cell or a caption: an action by number and
  title, a section by its number and title, a document by title or file name, anything else by its name
  (or title, text, metric). :func:`name_of` is the same rule over a node's properties, for nodes that
  are not in a networkx graph (a query result's ``{"~label": …}``).
- :func:`cell_text`: a query result value as one line of a table (``policykg query``, the Console and
  Query library pages, their CSV): nodes as ``(Label name)``, relationships as ``[TYPE]``, paths
  and lists of nodes joined with →, other maps and lists as JSON.

>>> import networkx as nx
>>> g = nx.MultiDiGraph(); g.add_node("x", label="Action", number="（二）", title="强化政策激励")
>>> node_name(g, "x"), cell_text({"~label": "Action", "~key": "0:1", "number": "（二）", "title": "强化政策激励"})
('（二） 强化政策激励', '(Action （二） 强化政策激励)')
>>> cell_text({"~label": "Agency", "~key": "0:1", "name": "市科技局"}), cell_text({"~label": "Agency"})
('(Agency 市科技局)', '{"~label": "Agency"}')
>>> value_text(["市科技局", "市发改委"]), value_text(80.0), value_text(True)
('市科技局、市发改委', '80', 'true')
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from graph.cells import is_node, is_relationship

__all__ = ["cell_text", "name_of", "node_name", "value_text"]


def value_text(value: Any) -> str:
    """A property value as one piece of text: lists joined with 、 (sets sorted), whole floats without ".0",
    booleans as true/false, maps as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(value_text(v) for v in value)
    if isinstance(value, set | frozenset):
        return "、".join(sorted(value_text(v) for v in value))
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def name_of(label: Any, properties: Mapping[str, Any], fallback: Any) -> str:
    """The name of a node of type ``label`` with ``properties``; ``fallback`` (its key or id) if it has none.

        >>> name_of("Section", {"number": "一、", "title": "总则"}, "s"), name_of("Target", {"text": "80亿元"}, "t")
        ('一、总则', '80亿元')
    """
    if label == "Action":
        return f"{properties.get('number') or ''} {properties.get('title') or ''}".strip() or str(fallback)
    if label == "Section":
        return f"{properties.get('number') or ''}{properties.get('title') or ''}".strip() or str(fallback)
    if label == "Document":
        return str(properties.get("title") or properties.get("source") or fallback)
    for key in ("name", "title", "text", "metric"):
        value = properties.get(key)
        if value not in (None, "", []):
            return value_text(value)
    return str(fallback)


def node_name(graph: nx.MultiDiGraph, node: Hashable) -> str:
    """How a node of ``graph`` reads in a list: an action by number and title, a document by title or file,
    else its name.

        >>> g = nx.MultiDiGraph(); g.add_node("x", label="Action", number="（二）", title="强化政策激励")
        >>> node_name(g, "x")
        '（二） 强化政策激励'
    """
    data = graph.nodes[node]
    return name_of(data.get("label"), data, node)


def _result_name(value: Mapping[str, Any]) -> str:
    return name_of(value["~label"], value, value.get("id", ""))


def cell_text(value: Any) -> str:
    """A result value as one line of text: nodes and relationships by their label and name, other maps as JSON."""
    if value is None:
        return ""
    if is_node(value):
        return f"({value['~label']} {_result_name(value)})"
    if is_relationship(value):
        return f"[{value['~type']}]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list) and value and all(is_node(v) for v in value):
        return " → ".join(_result_name(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value).replace("\n", " ")
