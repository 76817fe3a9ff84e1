"""Export the graph's data (as networkx, from either store) for other tools.

- ``graphml``: Gephi and yEd (lists become JSON strings; GraphML has no list type)
- ``json``: ``{"nodes": [...], "relationships": [...]}``
- ``csv``: the neo4j-admin import layout, one file per label and per relationship type and end labels
- ``cypher``: a script that recreates the graph in Neo4j (constraints, then batched UNWIND … MERGE)

The drawn export, the interactive network as one HTML page, is :func:`views.draw.write_network_html`
(``policykg export --format html``): drawing is a view of the graph, not part of it.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from graph import schema
from graph.cells import csv_cell

FORMATS = ("graphml", "json", "csv", "cypher")
ARRAY_DELIMITER = "¦"  # never in plan text, unlike ; and ,
_CSV_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean",
              "STRING[]": "string[]", "INT64[]": "long[]"}


def export_graph(graph: nx.MultiDiGraph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``graph`` in format ``fmt`` to ``out`` (a folder for csv); returns the files written."""
    out = Path(out)
    if fmt == "csv":
        return write_csv(graph, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(_graphml_ready(graph), out)
    elif fmt == "json":
        out.write_text(json.dumps(graph_json(graph), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "cypher":
        out.write_text(cypher_script(graph), encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return [out]


def _node_properties(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "label" and v is not None}


def _edge_properties(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "type" and v is not None}


def graph_json(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    nodes = [{"id": key, "label": data["label"], "properties": _node_properties(data)}
             for key, data in sorted(graph.nodes(data=True))]
    relationships = [{"type": data["type"], "start": start, "end": end, "properties": _edge_properties(data)}
                     for start, end, data in sorted(graph.edges(data=True), key=lambda e: (e[2]["type"], e[0], e[1]))]
    return {"nodes": nodes, "relationships": relationships}


def _graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    def scalar(value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value

    ready = nx.MultiDiGraph()
    for key, data in graph.nodes(data=True):
        ready.add_node(key, label=data["label"], **{k: scalar(v) for k, v in _node_properties(data).items()})
    for start, end, data in graph.edges(data=True):
        ready.add_edge(start, end, type=data["type"], **{k: scalar(v) for k, v in _edge_properties(data).items()})
    return ready


def write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """neo4j-admin import files, and ``import.txt`` with the command that imports them."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    by_label: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for key, data in graph.nodes(data=True):
        by_label[data["label"]].append((key, data))
    node_args = []
    for label, nodes in sorted(by_label.items()):
        types = schema.properties(schema.NODES[label])
        columns = [c for c in types if c != "id"]
        path = folder / f"nodes_{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([f"id:ID({label})", *(f"{c}:{_CSV_TYPES[types[c]]}" for c in columns), ":LABEL"])
            for key, data in sorted(nodes):
                writer.writerow([csv_cell(str(key)), *(_csv_value(data.get(c)) for c in columns), label])
        written.append(path)
        node_args.append(f"--nodes={label}={path.name}")
    by_type: dict[tuple[str, str, str], list[tuple[str, str, dict]]] = defaultdict(list)
    for start, end, data in graph.edges(data=True):
        by_type[(data["type"], graph.nodes[start]["label"], graph.nodes[end]["label"])].append((start, end, data))
    rel_args = []
    for (rel_type, start_label, end_label), edges in sorted(by_type.items()):
        types = schema.properties(schema.RELATIONSHIPS[rel_type])
        path = folder / f"relationships_{rel_type}_{start_label}_{end_label}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([f":START_ID({start_label})", f":END_ID({end_label})",
                             *(f"{c}:{_CSV_TYPES[t]}" for c, t in types.items()), ":TYPE"])
            for start, end, data in sorted(edges, key=lambda e: (e[0], e[1])):
                writer.writerow([csv_cell(str(start)), csv_cell(str(end)), *(_csv_value(data.get(c)) for c in types),
                                 rel_type])
        written.append(path)
        rel_args.append(f"--relationships={rel_type}={path.name}")
    command = folder / "import.txt"
    command.write_text(
        "# Run in this folder against a stopped, empty Neo4j database:\n"
        "# (text that begins with = + - @, a tab or a carriage return is written with a leading ' so that\n"
        "# spreadsheets show it as text rather than run it as a formula; neo4j-admin keeps that ' in the value)\n"
        # The database first: after --relationships, which takes several files, "neo4j" was read as a file.
        # Multi-line fields: a document's text (and a quote) holds its line breaks.
        f"neo4j-admin database import full neo4j --multiline-fields=true --array-delimiter='{ARRAY_DELIMITER}' "
        + " ".join(node_args + rel_args) + "\n", encoding="utf-8")
    written.append(command)
    return written


def _csv_value(value: Any) -> str:
    """A property as a neo4j-admin cell; text (and lists holding text) as :func:`graph.cells.csv_cell` writes it,
    so a spreadsheet never runs it as a formula; numbers, lists of numbers and booleans as they are.

    >>> _csv_value("=cmd|' /C calc'!A0"), _csv_value(-3), _csv_value([-1, 2]), _csv_value(["+1-2办", "乙"])
    ("'=cmd|' /C calc'!A0", '-3', '-1¦2', "'+1-2办¦乙")
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = ARRAY_DELIMITER.join(str(v) for v in value)
        return csv_cell(text) if any(isinstance(v, str) for v in value) else text
    if isinstance(value, int | float):
        return str(value)
    return csv_cell(str(value))


def cypher_literal(value: Any) -> str:
    """A Cypher literal for an exported value (the script is data, never run with pasted user input).

    >>> cypher_literal(["甲'乙", 3, None, 2.5, True])
    "['甲\\\\'乙', 3, null, 2.5, true]"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {cypher_literal(v)}" for k, v in value.items()) + "}"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return f"'{text}'"


def cypher_script(graph: nx.MultiDiGraph, batch: int = 200) -> str:
    """Statements separated by ';' lines: constraints, node batches, relationship batches."""
    from graph.neo4j_store import constraint_statements

    lines = ["// policykg graph export: run with cypher-shell -f, or paste into Neo4j Browser", ""]
    lines += [statement + ";" for statement in constraint_statements()]
    by_label: dict[str, list[dict]] = defaultdict(list)
    for key, data in sorted(graph.nodes(data=True)):
        by_label[data["label"]].append({"id": key, **_node_properties(data)})
    for label, rows in by_label.items():
        for start in range(0, len(rows), batch):
            chunk = cypher_literal(rows[start : start + batch])
            lines.append(f"UNWIND {chunk} AS r MERGE (n:{label} {{id: r.id}}) SET n += r;")
    by_type: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for start_key, end_key, data in sorted(graph.edges(data=True), key=lambda e: (e[2]["type"], e[0], e[1])):
        key = (data["type"], graph.nodes[start_key]["label"], graph.nodes[end_key]["label"])
        by_type[key].append({"from_id": start_key, "to_id": end_key, "props": _edge_properties(data)})
    for (rel_type, start_label, end_label), rows in by_type.items():
        for start in range(0, len(rows), batch):
            chunk = cypher_literal(rows[start : start + batch])
            lines.append(f"UNWIND {chunk} AS r MATCH (a:{start_label} {{id: r.from_id}}) "
                         f"MATCH (b:{end_label} {{id: r.to_id}}) MERGE (a)-[x:{rel_type}]->(b) SET x += r.props;")
    return "\n".join(lines) + "\n"
