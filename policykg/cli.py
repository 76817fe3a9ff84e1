"""The ``policykg`` command line.

    policykg extract FILE... [--json]    read plans and show what was extracted
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence

from loaders import LoaderError, extract_path
from policykg.files import plan_files
from policykg.report import document_json, document_summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("policykg: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policykg", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract = commands.add_parser("extract", help="read plans and show actions, agencies, entities, targets")
    extract.add_argument("files", nargs="+", metavar="FILE", help=".txt, .docx or .pdf files, or folders")
    extract.add_argument("--json", action="store_true", help="print the extraction as JSON")
    extract.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    extract.set_defaults(run=run_extract)
    return parser


def run_extract(args: argparse.Namespace) -> int:
    documents, errors = [], []
    for source in plan_files(args.files):
        try:
            documents.append(extract_path(source))
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
