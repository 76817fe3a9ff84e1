"""The ``policykg`` command line.

    policykg extract FILE... [--json]                   read plans, show what was extracted
    policykg evaluate GOLD.json PATH... [--json]        score the extraction against annotated plans
    policykg load [PATH...]                             load plans into the graph (bundled plans if none)
    policykg cypher "QUERY" [--param k=v]... [--json]   read-only Cypher on the active store
    policykg queries                                    the named queries
    policykg query NAME [--param k=v]... [--json|--csv] run a named query
    policykg export --format FORMAT --out PATH          graphml, json, csv, cypher or html
    policykg schema                                     the graph's nodes and relationships
    policykg app [--port 8501]                          the explorer in the browser (127.0.0.1)
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from policykg.output import result_csv, result_json, text_table
from queries.params import parse_params

# Where the code runs from; data/ and app.py sit beside the packages (see checkout_problem).
CHECKOUT = Path(__file__).resolve().parent.parent


class CommandError(Exception):
    """A problem to report to the user in one line (exit status 1)."""


def checkout_problem() -> str | None:
    """Why policykg cannot run here, if it cannot: it runs from its source checkout (``pip install -e .``),
    whose ``data/`` (agency kinds, places, bundled plans, interface words) and ``app.py`` a plain
    ``pip install .`` leaves behind."""
    data = CHECKOUT / "data"
    if not (data / "agencies" / "kinds.toml").is_file() or not (CHECKOUT / "app.py").is_file():
        return f"{data} is missing: policykg runs from its source checkout; install it there with `pip install -e .`"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = checkout_problem()
    if problem:
        print(f"policykg: error: {problem}", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except BrokenPipeError:  # `policykg … | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("policykg: interrupted", file=sys.stderr)
        return 130
    except CommandError as error:
        print(f"policykg: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        from graph.errors import StoreError

        if isinstance(error, StoreError | ValueError) and not args.debug:
            print(f"policykg: error: {error}", file=sys.stderr)
            return 1
        if args.debug:
            raise
        # Only the kind: an exception's message can quote a URI with its password.
        print(f"policykg: internal error: {type(error).__name__} (run with --debug for details)", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policykg", description="Knowledge graphs of Chinese government action plans",
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--store", choices=("embedded", "neo4j"),
                       help="graph store (default: neo4j if NEO4J_URI is set, else embedded)")
    # What a read needs, for `cypher` and `query` alike: parameters, output, time limit, row cap.
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--param", action="append", default=[], metavar="K=V", help="query parameter")
    output = reading.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help='print {"columns": [...], "rows": [[...]]}')
    output.add_argument("--csv", action="store_true", help="print CSV")
    reading.add_argument("--timeout", type=float, default=10.0, help="seconds before the query is stopped (10)")
    reading.add_argument("--max-rows", type=int, default=10_000, help="row cap (10000)")
    # The plan's government as the user knows it, for `extract` and `load`: it scopes every agency.
    government = argparse.ArgumentParser(add_help=False)
    government.add_argument("--city", help="the plans' city (e.g. 宜昌市): wins over what the loaders read")
    government.add_argument("--province", help="the plans' province (e.g. 湖北省)")
    government.add_argument("--level", choices=("province", "city", "district", "county"),
                            help="the plans' level of government")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser("extract", parents=[common, government],
                                  help="read plans and show what was extracted")
    extract.add_argument("files", nargs="+", metavar="FILE", help=".txt, .docx or .pdf files, or folders")
    extract.add_argument("--json", action="store_true", help="print the extraction as JSON")
    extract.set_defaults(run=run_extract)

    evaluate = commands.add_parser("evaluate", parents=[common], help="score the loaders against an annotated gold")
    evaluate.add_argument("gold", metavar="GOLD.json", help="the gold annotations (format: realplans/README.md)")
    evaluate.add_argument("paths", nargs="+", metavar="PATH", help="the annotated files, or folders holding them")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(run=run_evaluate)

    load = commands.add_parser("load", parents=[common, store, government], help="load plans into the graph")
    load.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled plans)")
    load.add_argument("--clear", action="store_true", help="empty the graph first")
    load.set_defaults(run=run_load)

    cypher = commands.add_parser("cypher", parents=[common, store, reading], help="run read-only Cypher")
    cypher.add_argument("query", help="the Cypher query")
    cypher.set_defaults(run=run_cypher)

    listing = commands.add_parser("queries", parents=[common], help="list the named queries")
    listing.add_argument("--json", action="store_true", help="print the library as JSON")
    listing.set_defaults(run=run_queries)

    query = commands.add_parser("query", parents=[common, store, reading], help="run a named query")
    query.add_argument("name", help="the query's name (see `policykg queries`)")
    query.set_defaults(run=run_query)

    export = commands.add_parser("export", parents=[common, store], help="export the graph for other tools")
    export.add_argument("--format", required=True, choices=("graphml", "json", "csv", "cypher", "html"))
    export.add_argument("--out", required=True, help="output file (a folder for csv)")
    export.set_defaults(run=run_export)

    analyze = commands.add_parser("analyze", parents=[common, store], help="network analytics")
    analyze.add_argument("what", choices=("coordination",), help="coordination: agencies linked by shared actions")
    analyze.add_argument("--city", help="only this city's agencies")
    analyze.add_argument("--min-weight", type=int, default=1, help="only links of at least this many shared actions")
    analyze.add_argument("--out", help="write the network: .graphml, .png or .svg")
    analyze_output = analyze.add_mutually_exclusive_group()
    analyze_output.add_argument("--json", action="store_true", help="print the ranking as JSON")
    analyze_output.add_argument("--csv", action="store_true", help="print the ranking as CSV")
    analyze.add_argument("--limit", type=int, default=20, help="rows of the ranking to print (20; 0 = all)")
    analyze.set_defaults(run=run_analyze)

    app = commands.add_parser("app", parents=[common, store], help="open the explorer (Streamlit) on 127.0.0.1")
    app.add_argument("--port", type=int, default=8501, help="port (8501)")
    app.add_argument("--address", default="127.0.0.1", help="address to bind (127.0.0.1: this machine only)")
    app.set_defaults(run=run_app)

    schema = commands.add_parser("schema", parents=[common], help="print the graph schema")
    schema.set_defaults(run=run_schema)
    return parser


def given_government(args: argparse.Namespace):
    """--city/--province/--level as a checked GivenGovernment, None if none was given; a bad one is one line."""
    from loaders import GivenGovernment, GivenGovernmentError, check_given

    given = GivenGovernment(city=args.city, province=args.province, level=args.level)
    if not given:
        return None
    try:
        return check_given(given)
    except GivenGovernmentError as error:
        raise CommandError(str(error)) from None


def run_extract(args: argparse.Namespace) -> int:
    from loaders import LoaderError, extract_path, plan_files
    from policykg.report import document_json, document_summary

    given = given_government(args)
    documents, errors = [], []
    for source in plan_files(args.files):
        try:
            documents.append(extract_path(source, given))
        except LoaderError as error:
            errors.append({"source": source, "error": str(error)})
            print(f"policykg: error: {error}", file=sys.stderr)
        except Exception as error:  # a bug, not bad input: still report it per file and go on
            if args.debug:
                traceback.print_exc()
            message = f"{source}: internal error: {type(error).__name__}: {error}"
            errors.append({"source": source, "error": message})
            print(f"policykg: error: {message} (run with --debug for details)", file=sys.stderr)
    if args.json:
        payload = {"documents": [document_json(doc) for doc in documents]}
        if errors:
            payload["errors"] = errors
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print("\n\n".join(document_summary(doc) for doc in documents))
    return 1 if errors else 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Figures per document and overall; 0 whatever they are (a report), 2 for a gold file that cannot be used."""
    from loaders.evaluate import GoldError, document_rows, evaluate_paths, load_gold, overall_line

    try:
        gold = load_gold(args.gold)
    except GoldError as error:
        print(f"policykg: error: {error}", file=sys.stderr)
        return 2
    evaluation = evaluate_paths(gold, args.paths)
    for path, why in evaluation.unused:
        print(f"policykg: note: {path} not evaluated: {why}", file=sys.stderr)
    if evaluation.not_given:
        print(f"policykg: note: {len(evaluation.not_given)} gold document(s) not among the paths, not evaluated: "
              + ", ".join(evaluation.not_given), file=sys.stderr)
    if args.json:
        json.dump(evaluation.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    columns, rows = document_rows(evaluation)
    print(text_table(columns, rows))
    for document in evaluation.documents:
        if document.refused is not None:
            print(f"refused: {document.refused}")
    print(overall_line(evaluation.overall))
    return 0


def run_load(args: argparse.Namespace) -> int:
    from graph.loading import BUNDLED_CORPUS, load_files, terminal_progress
    from graph.store import opened

    paths = args.paths or [BUNDLED_CORPUS]
    with opened(args.store) as store:
        if args.clear:
            store.clear()
        report = load_files(store, paths, progress=terminal_progress, given=given_government(args))
        where = store.describe()
    for error in report.errors:
        print(f"policykg: error: {error}", file=sys.stderr)
    added = ", ".join(f"+{count} {key}" for key, count in report.added.items()) or "nothing new"
    summary = (f"loaded {report.loaded} document(s) into {where}: "
               f"{report.new} new, {report.already_loaded} already there")
    print(summary + ("" if report.stopped else f"; {added}"))
    if report.errors:
        print(f"{len(report.errors)} document(s) failed; the others were loaded", file=sys.stderr)
    if report.stopped:
        print(f"policykg: error: the load stopped: {report.stopped}; {report.not_tried} document(s) not loaded: "
              "run the same command again to load them (what is loaded stays)", file=sys.stderr)
    return 1 if report.errors or report.stopped else 0


def graph_for_reading(store_kind: str | None):
    """The active store, opened for reading, with the bundled plans loaded on first use."""
    from graph.embedded import default_database_path
    from graph.errors import StoreUnavailable
    from graph.loading import ensure_loaded
    from graph.store import open_store, store_kind_from_environment

    kind = store_kind_from_environment(store_kind)
    if kind == "embedded":
        if default_database_path().exists():
            store = open_store(kind, read_only=True)
            if store.document_ids():
                return store
            store.close()
        try:
            with open_store("embedded") as writable:  # first use: build the graph of the bundled plans
                _report_first_load(ensure_loaded(writable))
        except StoreUnavailable:
            if not default_database_path().exists():
                raise
            # Another process holds the store (a `load --clear` under way): read what it committed.
        return open_store(kind, read_only=True)
    store = open_store(kind)
    _report_first_load(ensure_loaded(store))
    return store


def _report_first_load(report) -> None:
    if report is not None:
        print(f"policykg: first run: loaded the {report.loaded} bundled plans", file=sys.stderr)


def run_cypher(args: argparse.Namespace) -> int:
    try:
        params = parse_params(args.param)
    except ValueError as error:
        raise CommandError(str(error)) from None
    store = graph_for_reading(args.store)
    try:
        result = store.run_read(args.query, params, timeout=args.timeout, row_cap=args.max_rows)
    finally:
        store.close()
    print_result(result, args)
    return 0


def print_result(result, args: argparse.Namespace) -> None:
    if args.json:
        print(result_json(result.columns, result.rows))
    elif args.csv:
        sys.stdout.write(result_csv(result.columns, result.rows))
    else:
        print(text_table(result.columns, result.rows))
        print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    if result.truncated:
        print(f"policykg: showing the first {result.row_cap} rows (row cap; raise it with --max-rows)",
              file=sys.stderr)


def run_queries(args: argparse.Namespace) -> int:
    from queries import load_library

    library = load_library()
    if args.json:
        print(json.dumps([{
            "name": q.name, "title_zh": q.title_zh, "title_en": q.title_en, "description": q.description,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                        "help_zh": p.help_zh, "help_en": p.help_en} for p in q.params],
            "example": q.example_command()} for q in library.values()], ensure_ascii=False, indent=1))
        return 0
    for q in library.values():
        params = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}]" for p in q.params)
        print(f"{q.name:<30} {q.title_zh} | {q.title_en}")
        print(f"{'':<30} {params}" if params else "", end="\n" if params else "")
        print(f"{'':<30} e.g. {q.example_command()}")
    return 0


def run_query(args: argparse.Namespace) -> int:
    from queries import run_named
    from queries.resolve import QueryParameterError

    try:
        params = parse_params(args.param)
    except ValueError as error:
        raise CommandError(str(error)) from None
    # Values stay text: the query's declared types decide (an agency named 2027 stays a name).
    params = {key: str(value) if not isinstance(value, str) else value for key, value in params.items()}
    store = graph_for_reading(args.store)
    try:
        result = run_named(store, args.name, params, timeout=args.timeout, row_cap=args.max_rows)
    except QueryParameterError as error:
        raise CommandError(str(error)) from None
    finally:
        store.close()
    print_result(result, args)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from graph.export import export_graph
    from views.draw import write_network_html

    store = graph_for_reading(args.store)
    try:
        graph = store.to_networkx()
    finally:
        store.close()
    # The data formats are graph.export's; html is the drawn network (views.draw).
    if args.format == "html":
        written = write_network_html(graph, args.out)
    else:
        written = export_graph(graph, args.format, args.out)
    print(f"exported {graph.number_of_nodes()} nodes and {graph.number_of_edges()} relationships as "
          f"{args.format}: {', '.join(str(p) for p in written[:3])}" + (" …" if len(written) > 3 else ""))
    return 0


def run_analyze(args: argparse.Namespace) -> int:
    from graph.store import QueryResult
    from queries.analytics import coordination_network, rank_agencies, ranking_rows
    from queries.resolve import QueryParameterError, resolve_city

    store = graph_for_reading(args.store)
    try:
        city = resolve_city(store, args.city) if args.city else None
        graph = store.to_networkx()
    except QueryParameterError as error:
        raise CommandError(str(error)) from None
    finally:
        store.close()
    network = coordination_network(graph, city=city, min_weight=args.min_weight)
    columns, rows = ranking_rows(rank_agencies(network))
    shown = rows if args.limit == 0 or args.json or args.csv else rows[: args.limit]
    print_result(QueryResult(columns=columns, rows=shown), args)
    if args.out:
        print(f"wrote {write_network(network, args.out, city)}", file=sys.stderr)
    return 0


def write_network(network, out: str, city: str | None) -> str:
    suffix = Path(out).suffix.lower()
    if suffix == ".graphml":
        import networkx as nx

        Path(out).parent.mkdir(parents=True, exist_ok=True)
        ready = nx.Graph()  # GraphML has no null: leave missing attributes out
        ready.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in network.nodes(data=True))
        ready.add_edges_from((a, b, {k: v for k, v in d.items() if v is not None})
                             for a, b, d in network.edges(data=True))
        nx.write_graphml(ready, out)
    elif suffix in (".png", ".svg"):
        from views.diagram import NoCJKFont, draw_coordination

        try:
            draw_coordination(network, out, title=f"{city or ''} 机构协作网络 Coordination network".strip())
        except NoCJKFont as error:
            raise CommandError(str(error)) from None
    else:
        raise CommandError(f"{out}: --out takes a .graphml, .png or .svg file")
    return out


def run_app(args: argparse.Namespace) -> int:
    import os
    import subprocess

    app = CHECKOUT / "app.py"
    env = dict(os.environ)
    if args.store == "embedded":
        env.pop("NEO4J_URI", None)
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.address,
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none"]
    print(f"policykg explorer on http://{args.address}:{args.port} (Ctrl+C to stop)", file=sys.stderr)
    return subprocess.call(command, env=env, cwd=app.parent)


def run_schema(args: argparse.Namespace) -> int:
    from graph.schema import describe_schema

    print(describe_schema())
    return 0
