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
    policykg correct KIND ... --why "..."               correct the graph (kinds: policykg correct -h)
    policykg corrections list|undo|export|import        the corrections people made
    policykg remove DOCUMENT --why "..."                remove a plan and what came only from it
"""

from __future__ import annotations

import argparse
import json
import logging
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


class WarningLine(logging.Handler):
    """What the layers below log as a warning (a store that dropped a torn write) is one stderr line.

    It writes to ``sys.stderr`` as it is when the warning comes, not as it was when the handler was made.
    """

    def emit(self, record: logging.LogRecord) -> None:
        print(f"policykg: warning: {record.getMessage()}", file=sys.stderr)


def say_warnings_on_stderr() -> None:
    logger = logging.getLogger("policykg")
    if not any(isinstance(handler, WarningLine) for handler in logger.handlers):
        logger.addHandler(WarningLine(logging.WARNING))
        logger.propagate = False


def say_skipped(files: list[str]) -> None:
    for source in files:
        print(f"policykg: note: {source} skipped: a folder's own documentation, not a plan "
              f"(name the file to load it as one)", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    say_warnings_on_stderr()
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


def positive_int(text: str) -> int:
    """argparse's type for a count of at least one: ``--limit 0`` is refused in one line."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of at least 1")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of 0 or more")
    return value


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
    reading.add_argument("--limit", "--max-rows", dest="limit", type=positive_int, default=10_000, metavar="N",
                         help="rows to print: one page of the result (10000; --max-rows is the old name)")
    reading.add_argument("--offset", type=non_negative_int, default=0, metavar="K",
                         help="rows of the result to skip before the page (0)")
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
    load.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                      help="processes extracting the plans (default: every core this process may use; "
                           "fewer than 8 files are read in one)")
    load.add_argument("--writers", type=positive_int, metavar="N", default=2,
                      help="Neo4j: transactions writing plans side by side (default 2; the embedded store has "
                           "one writer)")
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
    analyze_scope = analyze.add_mutually_exclusive_group()
    analyze_scope.add_argument("--city", help="only this city's agencies (only its plans are read)")
    analyze_scope.add_argument("--all", action="store_true",
                               help="every city in turn, each read alone, with its progress on stderr "
                                    "(a large corpus; --limit rows per city)")
    analyze.add_argument("--min-weight", type=int, default=1, help="only links of at least this many shared actions")
    analyze.add_argument("--out", help="write the network: .graphml, or the diagram as .png, .svg or .pptx")
    analyze.add_argument("--mode", choices=("whole", "centred", "grouped"),
                         help="the diagram: the whole network (default; centred when --centre is given), one agency "
                              "and its partners in rings (--centre), or agencies grouped by --group-by")
    analyze.add_argument("--centre", metavar="NAME", help="the agency in the middle of --mode centred "
                                                          "(default: the one sharing most actions)")
    analyze.add_argument("--group-by", choices=("type", "kind"), default="type",
                         help="--mode grouped: by agency type (default) or kind")
    analyze.add_argument("--size", choices=("slide", "a4"), default="slide",
                         help="the diagram's size: a 16:9 slide (default) or A4 landscape")
    analyze.add_argument("--language", choices=("zh", "en"), default="zh", help="the diagram's words (zh)")
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
    add_correction_commands(commands, common, store)
    return parser


# -- corrections ----------------------------------------------------------------------------------
# What each kind of `policykg correct` asks for, beside --why/--who: (flag, destination, help).
_CORRECT_OPTIONS: dict[str, tuple[tuple[str, dict], ...]] = {
    "document": (("--document", {"required": True, "help": "the plan: file name, title or id"}),),
    "action": (("--action", {"required": True, "help": "the action: number (（一）, 1.) or title"}),),
    "agencies": (("--agency", {"action": "append", "dest": "agencies", "required": True, "metavar": "NAME",
                               "help": "a unit as written, an alias or its canonical name (repeat for several)"}),),
    "one-agency": (("--agency", {"action": "append", "dest": "agencies", "required": True, "metavar": "NAME",
                                 "help": "the unit as written, an alias or its canonical name"}),),
}


def add_correction_commands(commands, common, store) -> None:
    from graph.corrections import kinds

    person = argparse.ArgumentParser(add_help=False)
    person.add_argument("--why", required=True, help="why: a note kept with the correction")
    person.add_argument("--who", help="who corrects (default: the operating system's user)")
    person.add_argument("--json", action="store_true", help="print the correction as JSON")
    correct = commands.add_parser("correct", parents=[common], help="correct the graph; kept, applied on every load")
    kinds_parsers = correct.add_subparsers(dest="kind", required=True, metavar="KIND")
    for name, spec in kinds().items():
        parser = kinds_parsers.add_parser(name, parents=[common, store, person], help=spec.en)
        if spec.scope in ("document", "action", "target"):
            for flag, options in _CORRECT_OPTIONS["document"]:
                parser.add_argument(flag, **options)
        if spec.scope == "action":
            for flag, options in _CORRECT_OPTIONS["action"]:
                parser.add_argument(flag, **options)
        operation = spec.operation
        if operation == "set-units":
            for flag, options in _CORRECT_OPTIONS["agencies"]:
                parser.add_argument(flag, **options)
        elif operation in ("add-unit", "remove-unit", "merge", "rename"):
            for flag, options in _CORRECT_OPTIONS["one-agency"]:
                parser.add_argument(flag, **options)
        if operation == "add-unit":
            parser.add_argument("--role", choices=("lead", "responsible", "support"), default="support",
                                help="the unit's role (support)")
        if operation == "set-government":
            parser.add_argument("--city", required="city" in spec.fields, help="e.g. 宜昌市")
            parser.add_argument("--province", required="province" in spec.fields, help="e.g. 湖北省")
            parser.add_argument("--level", required="level" in spec.fields,
                                choices=("province", "city", "district", "county"))
        if operation == "set-document-field":
            flag = "--date" if spec.fields[0] == "published" else f"--{spec.fields[0]}"
            parser.add_argument(flag, dest="field_value", required=True, help=f"the plan's {spec.fields[0]}")
        if operation in ("merge", "rename", "retype", "reject"):
            parser.add_argument("--city", help="the government of the agency or entity, when several have the name")
        if operation == "merge":
            parser.add_argument("--into", required=True, help="the agency that stays")
        if operation == "rename":
            parser.add_argument("--name", required=True, help="its new canonical name")
        if operation in ("retype", "reject"):
            parser.add_argument("--entity", required=True, help="the entity's name")
        if operation == "retype":
            parser.add_argument("--type", dest="new_type", required=True,
                                choices=("District", "Park", "Platform", "Organization", "Person"))
            parser.add_argument("--from-type", help="its type now, when the name has several")
        if operation == "reject":
            parser.add_argument("--type", dest="entity_type", help="its type, when the name has several")
        if operation == "confirm":
            parser.add_argument("--item", required=True, help="the review item (policykg corrections review)")
            parser.add_argument("--document", help="the plan the item is about")
        if operation == "set-target":
            parser.add_argument("--action", help="the action that sets it (number or title)")
            parser.add_argument("--metric", required=True, help="what the target counts, whole or in part")
            parser.add_argument("--value", type=float)
            parser.add_argument("--unit")
            parser.add_argument("--year", type=int)
        parser.set_defaults(run=run_correct)

    listing = commands.add_parser("corrections", parents=[common], help="the corrections: list, undo, export, import")
    actions = listing.add_subparsers(dest="what", required=True, metavar="ACTION")
    shown = actions.add_parser("list", parents=[common, store], help="the corrections, newest last")
    shown.add_argument("--document", help="only those of this plan (file name, title or id)")
    shown.add_argument("--json", action="store_true", help="print them as JSON")
    shown.add_argument("--all", action="store_true", help="undone ones too")
    shown.set_defaults(run=run_corrections_list)
    undoing = actions.add_parser("undo", parents=[common, store], help="undo a correction (it stays in the history)")
    undoing.add_argument("id", help="the correction's id (policykg corrections list)")
    undoing.add_argument("--who", help="who undoes it (default: the operating system's user)")
    undoing.set_defaults(run=run_corrections_undo)
    exporting = actions.add_parser("export", parents=[common, store], help="write every correction to a file")
    exporting.add_argument("file", metavar="FILE.jsonl", help="JSON Lines, one correction a line")
    exporting.set_defaults(run=run_corrections_export)
    importing = actions.add_parser("import", parents=[common, store], help="add the corrections of a file, apply them")
    importing.add_argument("file", metavar="FILE.jsonl")
    importing.set_defaults(run=run_corrections_import)

    remove = commands.add_parser("remove", parents=[common, store],
                                 help="remove a plan and what came only from it (a correction: undo brings it back)")
    remove.add_argument("document", help="the plan: file name, title or id")
    remove.add_argument("--why", default=REMOVED_WITHOUT_A_REASON, help="why: a note kept with the correction")
    remove.add_argument("--who", help="who removes it (default: the operating system's user)")
    remove.add_argument("--json", action="store_true", help="print the correction as JSON")
    remove.set_defaults(run=run_remove)


REMOVED_WITHOUT_A_REASON = "removed with policykg remove (no reason given)"


def _writable(store_kind: str | None):
    from graph.store import open_store

    return open_store(store_kind)


def _correction_values(args: argparse.Namespace, operation: str) -> dict:
    if operation == "set-government":
        return {"city": args.city, "province": args.province, "level": args.level}
    if operation == "set-document-field":
        from graph.corrections import kinds

        return {kinds()[args.kind].fields[0]: args.field_value}
    if operation == "retype":
        return {"type": args.new_type, "from_type": args.from_type}
    if operation == "set-target":
        return {"value": args.value, "unit": args.unit, "year": args.year}
    if operation == "confirm":
        return {"item": args.item}
    return {}


def run_correct(args: argparse.Namespace, kind: str | None = None) -> int:
    from graph.corrections import CorrectionError, kinds, record
    from queries.corrections import make_correction

    kind = kind or args.kind
    operation = kinds()[kind].operation
    agencies = getattr(args, "agencies", None) or []
    with _writable(args.store) as store:
        try:
            correction = make_correction(
                store, kind, why=args.why, who=args.who, document=getattr(args, "document", None),
                action=getattr(args, "action", None), agencies=agencies, role=getattr(args, "role", None),
                into=getattr(args, "into", None), name=getattr(args, "name", None),
                entity=getattr(args, "entity", None), entity_type=getattr(args, "entity_type", None),
                city=getattr(args, "city", None) if operation in ("merge", "rename", "retype", "reject") else None,
                metric=getattr(args, "metric", None), values=_correction_values(args, operation))
            result = record(store, correction)
        except CorrectionError as error:
            raise CommandError(str(error)) from None
    if args.json:
        print(json.dumps(correction.model_dump(mode="json", exclude_none=True, exclude={"values": {"stored"}}),
                         ensure_ascii=False, indent=1))
    else:
        rewritten = len(result.documents) + len(result.removed)
        print(f"{correction.id}: {correction.describe()} ({rewritten} document(s) rewritten)")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    return run_correct(args, kind="remove")


def run_corrections_list(args: argparse.Namespace) -> int:
    from graph.corrections import read_corrections
    from queries.corrections import document_key

    with _writable(args.store) as store:
        corrections = read_corrections(store)
        if args.document:
            key, _ = document_key(store, args.document)
            corrections = [c for c in corrections if c.document and c.document.source == key.source]
    if not args.all:
        corrections = [c for c in corrections if c.status == "active"]
    if args.json:
        print(json.dumps([c.model_dump(mode="json", exclude_none=True, exclude={"values": {"stored"}})
                          for c in corrections], ensure_ascii=False, indent=1))
        return 0
    rows = [[c.id, c.kind, c.describe(), c.who, c.at[:19].replace("T", " "), c.why, c.status,
             _outcome_line(c)] for c in corrections]
    print(text_table(["id", "kind", "correction", "who", "at (UTC)", "why", "status", "outcome"], rows))
    print(f"({len(rows)} correction{'s' if len(rows) != 1 else ''})")
    return 0


def _outcome_line(correction) -> str:
    from graph.corrections import outcome_text

    if correction.outcome is None:
        return ""
    return outcome_text(correction.outcome["code"], correction.outcome.get("values", {}))


def run_corrections_undo(args: argparse.Namespace) -> int:
    from graph.corrections import CorrectionError, undo

    with _writable(args.store) as store:
        try:
            correction, result = undo(store, args.id, args.who)
        except CorrectionError as error:
            raise CommandError(str(error)) from None
    rewritten = len(result.documents) + len(result.removed)
    print(f"undone {correction.id}: {correction.describe()} ({rewritten} document(s) rewritten)")
    return 0


def run_corrections_export(args: argparse.Namespace) -> int:
    from graph.corrections import export_lines, read_corrections

    with _writable(args.store) as store:
        corrections = read_corrections(store)
    out = Path(args.file)
    try:
        out.write_text(export_lines(corrections), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{out}: cannot write ({error.strerror})") from None
    print(f"exported {len(corrections)} correction(s) to {out}")
    return 0


def run_corrections_import(args: argparse.Namespace) -> int:
    from graph.corrections import CorrectionError, import_corrections, parse_lines

    source = Path(args.file)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{source}: cannot read ({getattr(error, 'strerror', None) or error})") from None
    try:
        corrections = parse_lines(text, str(source))
    except CorrectionError as error:
        raise CommandError(str(error)) from None
    with _writable(args.store) as store:
        added, known, result = import_corrections(store, corrections)
    print(f"imported {len(added)} correction(s) from {source}, {len(known)} already there; "
          f"{len(result.documents) + len(result.removed)} document(s) rewritten")
    for outcome in result.problems():
        print(f"policykg: note: correction {outcome.id} not applied: {outcome.text()}", file=sys.stderr)
    return 0


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
    documents, errors, skipped = [], [], []
    files = plan_files(args.files, skipped)
    say_skipped(skipped)
    for source in files:
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
    from graph.loading import BUNDLED_CORPUS, available_cores, load_files, terminal_progress
    from graph.store import opened

    paths = args.paths or [BUNDLED_CORPUS]
    with opened(args.store) as store:
        if args.clear:
            store.clear()
        report = load_files(store, paths, progress=terminal_progress, given=given_government(args),
                            workers=args.jobs or available_cores(), writers=args.writers)
        where = store.describe()
    for error in report.errors:
        print(f"policykg: error: {error}", file=sys.stderr)
    say_skipped(report.skipped)
    for source, correction_id in report.removed:
        print(f"policykg: note: {source} not loaded: removed by correction {correction_id} "
              f"(`policykg corrections undo {correction_id}` brings it back)", file=sys.stderr)
    for problem in report.correction_problems:
        print(f"policykg: warning: {problem}", file=sys.stderr)
    added = ", ".join(f"+{count} {key}" for key, count in report.added.items()) or "nothing new"
    summary = (f"loaded {report.loaded} document(s) into {where}: "
               f"{report.new} new, {report.already_loaded} already there")
    corrected = f"; {report.corrected} correction(s) applied" if report.corrected else ""
    print(summary + ("" if report.stopped else f"; {added}") + corrected)
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
        result = store.run_read(args.query, params, timeout=args.timeout, row_cap=args.limit, offset=args.offset)
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
        print(f"({page_words(result)})")
    if result.truncated:
        print(f"policykg: {page_words(result)}{more_words(result)}", file=sys.stderr)


def page_words(result) -> str:
    """``8 rows``, or for a page of a larger result ``rows 11–20 of 1234`` (``of 1234+``: counting stopped)."""
    if not result.truncated:
        return f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if not result.rows:
        return f"no rows past row {result.offset} of {result.total_text()}"
    return f"rows {result.first_row}–{result.last_row} of {result.total_text()}"


def more_words(result) -> str:
    """How to see the rest, when this page is not the last."""
    if result.total is not None and result.last_row >= result.total and result.total_exact:
        return ""
    return f"; the next page: --offset {result.last_row} (--limit {result.row_cap})"


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
        result = run_named(store, args.name, params, timeout=args.timeout, row_cap=args.limit, offset=args.offset)
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
    from graph.store import QueryResult, plans_of
    from queries.analytics import kept_coordination, ranking_rows
    from queries.resolve import QueryParameterError, resolve_agency, resolve_city

    store = graph_for_reading(args.store)
    pending: list[tuple[str, int, str]] = []  # results to keep once the read-only store is closed
    keep = _keeper(store, pending)
    try:
        city = resolve_city(store, args.city) if args.city else None
        centre = None
        if args.centre:
            try:
                found = resolve_agency(store, args.centre, city)
            except QueryParameterError:  # 科技局 in 仙桃市 is 仙桃市科技局, as the diagram's label reads it
                if city is None or args.centre.startswith(city):
                    raise
                found = resolve_agency(store, city + args.centre, city)
            if len(found) > 1:
                raise CommandError(f"--centre {args.centre!r} names {len(found)} agencies: {', '.join(found)}; "
                                   "add --city")
            centre = found[0]
        if args.all:
            if args.out or centre is not None:
                raise CommandError("--all ranks every city; --out and --centre take one (--city)")
            status = analyze_every_city(store, args, keep)
        else:
            # A city's network needs only its plans: the part they use is read (if the store has not kept
            # this analysis at its present change stamp), not the whole graph.
            index = store.document_index()
            plans = plans_of(index, cities=[city]) if city is not None else None
            analysis, _ = kept_coordination(store, store.data_version(), lambda: store.to_networkx(plans),
                                            city=city, min_weight=args.min_weight, keep=keep)
            documents = len(plans) if plans is not None else len(index)
    except QueryParameterError as error:
        raise CommandError(str(error)) from None
    finally:
        store.close()
    _keep_pending(pending)
    if args.all:
        return status
    network, ranks = analysis.network, analysis.ranks
    if centre is not None and centre not in network:
        raise CommandError(f"--centre {args.centre!r}: {centre} shares no action with another agency here")
    columns, rows = ranking_rows(ranks)
    shown = rows if args.limit == 0 or args.json or args.csv else rows[: args.limit]
    print_result(QueryResult(columns=columns, rows=shown), args)
    if args.out:
        communities = {rank.agency: rank.community for rank in ranks}
        print(f"wrote {write_network(network, args, city, centre, communities, documents)}", file=sys.stderr)
    return 0


def _keeper(store, pending: list[tuple[str, int, str]]):
    """How ``analyze`` keeps what it computed: in ``store`` itself, or, for the embedded store opened
    read-only (so that a load or the app can run beside it), in ``pending``, kept by :func:`_keep_pending`
    once that store is closed."""
    if not getattr(store, "read_only", False):
        return store.keep

    def later(key: str, version: int, payload: str) -> bool:
        pending.append((key, version, payload))
        return True

    return later


def _keep_pending(pending: list[tuple[str, int, str]]) -> None:
    """Keep ``pending`` results in the embedded store, opened writable for that only, without waiting on
    reading processes; if another process holds it (the app), one note says they were not kept."""
    if not pending:
        return
    from graph.embedded import KEEP_WAIT, EmbeddedStore
    from graph.errors import StoreUnavailable

    try:
        writable = EmbeddedStore(write_wait=KEEP_WAIT)
    except StoreUnavailable as error:
        print(f"policykg: note: the analysis was not kept in the store for the next reader ({error})", file=sys.stderr)
        return
    try:
        for key, version, payload in pending:
            writable.keep(key, version, payload)
    finally:
        writable.close()


def analyze_every_city(store, args: argparse.Namespace, keep) -> int:
    """``analyze coordination --all``: each city's network from its plans alone, one after another, each
    said on stderr as it is done (its plans, agencies, links and time, or that the store had kept it);
    the rankings printed together, and each city's analysis kept in the store (``keep``) for the explorer."""
    import time

    from graph.store import QueryResult, plans_of
    from queries.analytics import READ, kept_coordination, ranking_rows

    index = store.document_index()
    version = store.data_version()
    cities = sorted({row["city"] for row in index if row["city"]})
    unknown = sum(1 for row in index if not row["city"])
    columns, every = ["network", *ranking_rows([])[0]], []
    for number, city in enumerate(cities, 1):
        began = time.perf_counter()
        plans = plans_of(index, cities=[city])
        analysis, how = kept_coordination(store, version, lambda plans=plans: store.to_networkx(plans), city=city,
                                          min_weight=args.min_weight, keep=keep)
        rows = ranking_rows(analysis.ranks)[1]
        every += [[city, *row] for row in (rows if args.limit == 0 or args.json or args.csv else rows[:args.limit])]
        network = analysis.network
        print(f"policykg: city {number} of {len(cities)}: {city}: {len(plans)} plans, "
              f"{network.number_of_nodes()} agencies, {network.number_of_edges()} links "
              f"({time.perf_counter() - began:.1f} s{', kept in the store' if how == READ else ''})",
              file=sys.stderr, flush=True)
    if unknown:
        print(f"policykg: {unknown} plans whose government is unknown are in no city's network "
              "(set it: policykg load --city, or the Documents page)", file=sys.stderr)
    print_result(QueryResult(columns=columns, rows=every), args)
    return 0


def write_network(network, args: argparse.Namespace, city: str | None, centre: str | None,
                  communities: dict, documents: int) -> str:
    """The network to --out: GraphML, or the diagram (views.diagram) as PNG, SVG or a PowerPoint slide."""
    out = args.out
    suffix = Path(out).suffix.lower()
    if suffix == ".graphml":
        import networkx as nx

        Path(out).parent.mkdir(parents=True, exist_ok=True)
        ready = nx.Graph()  # GraphML has no null: leave missing attributes out
        ready.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in network.nodes(data=True))
        ready.add_edges_from((a, b, {k: v for k, v in d.items() if v is not None})
                             for a, b, d in network.edges(data=True))
        nx.write_graphml(ready, out)
    elif suffix in (".png", ".svg", ".pptx"):
        from views.diagram import DiagramSpec, Filters, NoCJKFont, draw_coordination

        spec = DiagramSpec(mode=args.mode or ("centred" if centre else "whole"), centre=centre,
                           group_by=args.group_by, size=args.size,
                           language=args.language,
                           filters=Filters(city=city, document_count=documents, min_weight=args.min_weight))
        try:
            draw_coordination(network, out, spec=spec, communities=communities)
        except NoCJKFont as error:
            raise CommandError(str(error)) from None
    else:
        raise CommandError(f"{out}: --out takes a .graphml, .png, .svg or .pptx file")
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
    server = subprocess.Popen(command, env=env, cwd=app.parent)
    return serve_until_stopped(server)


STOP_GRACE = 5.0  # seconds the server has to stop after a signal is passed on, before it is told harder


def serve_until_stopped(server) -> int:
    """Wait for the server, passing on SIGINT and SIGTERM, and exit with it: a `kill` of `policykg app`
    stops the Streamlit server too (it used to outlive us, holding the port and the store).

    A server that does not stop within :data:`STOP_GRACE` (one started with SIGINT ignored, as a
    background job of a script is) gets SIGTERM, then SIGKILL. Stopped so, we exit as the signal's
    exit, 128 + its number, as a shell reports a process it ended.
    """
    import signal
    import subprocess

    stopped_by: list[int] = []

    def forward(signum, _frame) -> None:
        stopped_by.append(signum)
        if server.poll() is None:
            server.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = None
        while code is None:
            try:
                code = server.wait(timeout=STOP_GRACE if stopped_by else None)
            except subprocess.TimeoutExpired:  # told to stop, still running: tell it harder
                server.send_signal(signal.SIGTERM if stopped_by[-1] != signal.SIGTERM else signal.SIGKILL)
                stopped_by.append(signal.SIGTERM if stopped_by[-1] != signal.SIGTERM else signal.SIGKILL)
            except KeyboardInterrupt:  # a Ctrl+C before our handler was in place: pass it on, then wait
                forward(signal.SIGINT, None)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped_by:
        return 128 + stopped_by[0]
    return 128 - code if code < 0 else code


def run_schema(args: argparse.Namespace) -> int:
    from graph.schema import describe_schema

    print(describe_schema())
    return 0
