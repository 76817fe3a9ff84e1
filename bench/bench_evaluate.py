"""The loaders on real plans: ``loaders.evaluate`` over the hand-annotated excerpts of ``realplans/``.

    python bench/bench_evaluate.py [REALPLANS] [--write] [--worst 12]

``REALPLANS`` is a folder holding ``gold.json`` and the files it annotates (default:
``../shared/realplans`` beside the checkout). Every file the gold names is extracted with
``loaders.extract_path`` and scored as ``policykg evaluate`` scores it: precision, recall and F1
of (unit, role) pairs, lead-basis accuracy, actions found / missed / extra and the plan's
government, per document and overall. Prints a Markdown section; ``--write`` puts it in
``docs/benchmarks.md`` as the "## Loaders on real plans" section, leaving the others as they are.
Below the table, the documents that lose the most pairs, each with what differs (read from the
evaluation, not written by hand).

Exit status: 0 (a report, whatever the figures), 2 could not run (no usable gold file).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._report import cpu_model, git_commit, python_and_system, write_section  # noqa: E402

SECTION = "## Loaders on real plans"
DEFAULT_FOLDER = ROOT.parent / "shared" / "realplans"


def _shown_path(path: Path) -> str:
    """The folder as the reproduce line gives it: relative to the checkout when it can be."""
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:
        return str(path)


def diagnosis(document) -> str:
    """What differs in one document, in a sentence, from its evaluation."""
    if document.refused is not None:
        return "refused: " + document.refused.split(": ", 1)[-1]
    parts = []
    found = [a for a in document.actions if a.found is not None]
    empty = [a for a in found if not any(ref.derived_from is None for ref in a.found.agencies)]
    if empty:
        parts.append(f"{len(empty)} of {len(found)} found actions with no unit read")
    missed_actions = len(document.actions) - len(found)
    if missed_actions:
        parts.append(f"{missed_actions} gold action(s) not found")
    missed = [pair for a in found if a not in empty for pair in a.missed_pairs]
    extra = [pair for a in found for pair in a.extra_pairs]
    if missed:
        parts.append(f"{len(missed)} unit(s) missed in notes read (e.g. {_pairs(missed)})")
    if extra:
        parts.append(f"{len(extra)} unit(s) read that the gold has not (e.g. {_pairs(extra)})")
    if document.extra_actions:
        parts.append(f"{len(document.extra_actions)} extra action(s) with units "
                     f"({', '.join(a.number.strip() for a, _ in document.extra_actions[:3])})")
    bases = Counter((a.gold.lead_basis, a.basis) for a in found if a not in empty and a.basis != a.gold.lead_basis)
    for (gold, read), count in bases.most_common(2):
        parts.append(f"lead basis {read or 'none'} for {gold} ×{count}")
    if document.government in ("wrong", "unknown"):
        parts.append("government " + document.government_text())
    return "; ".join(parts) or "-"


def _pairs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{unit} ({role})" for unit, role in list(dict.fromkeys(pairs))[:3])


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def report(folder: Path, evaluation, seconds: float, worst: int) -> str:
    from loaders.evaluate import document_rows, overall_line

    overall = evaluation.overall
    suffixes = Counter(Path(d.file).suffix.lower() for d in evaluation.documents)
    lines = [SECTION, "",
             f"Reproduce: `python bench/bench_evaluate.py {_shown_path(folder)} --write` "
             f"(the same figures as `policykg evaluate {_shown_path(folder / 'gold.json')} {_shown_path(folder)}`)",
             "",
             f"Not synthetic: the {overall.documents} hand-annotated excerpts of real plans in `realplans/` "
             f"({', '.join(f'{n} {s}' for s, n in sorted(suffixes.items()))}; {overall.gold_pairs} gold "
             f"(unit, role) pairs in {overall.found + overall.missed} actions), read with `loaders.extract_path` "
             f"and scored by `loaders.evaluate`: (unit, role) pairs with role lead or responsible (support counts "
             "as responsible), names as written after OpenCC t2s with whitespace, lead marks, a trailing 等 and "
             "bracketed remarks dropped; lead basis over the gold actions found; extra = extracted actions with "
             "units that the gold does not have (mostly the item the excerpt cuts off); government = the gold's "
             "city, province and level against the extraction's. A refused file has all its gold actions missed.",
             "", f"**{overall_line(overall)}**", ""]
    columns, rows = document_rows(evaluation)
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("| --- | " + " | ".join("---:" for _ in columns[1:-1]) + " | --- |")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    ranked = sorted(evaluation.documents,
                    key=lambda d: (-(d.score.gold_pairs - d.score.right_pairs
                                     + d.score.extracted_pairs - d.score.right_pairs), d.file))
    ranked = [d for d in ranked if d.score.f1 != 1.0][:worst]
    if ranked:
        lines += ["", f"Where the pairs are lost (the {len(ranked)} documents with the most pairs missed + extra):",
                  "", "| document | missed + extra pairs | what differs |", "| --- | ---: | --- |"]
        for d in ranked:
            lost = (d.score.gold_pairs - d.score.right_pairs) + (d.score.extracted_pairs - d.score.right_pairs)
            lines.append(f"| {d.file} | {lost} | {_cell(diagnosis(d))} |")
    if evaluation.not_given:
        lines += ["", f"- not found in the folder: {', '.join(evaluation.not_given)}"]
    lines += ["",
              f"- extraction and scoring of the {overall.documents} files: {seconds:.2f} s wall",
              f"- machine: {cpu_model()}, {os.cpu_count() or 0} cores; {python_and_system()}",
              f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {git_commit(('loaders', 'bench'))}",
              ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER,
                        help=f"folder with gold.json and the files (default: {_shown_path(DEFAULT_FOLDER)})")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--worst", type=int, default=12, help="documents to list with what differs (12)")
    args = parser.parse_args(argv)

    from loaders.evaluate import GoldError, evaluate_paths, load_gold

    folder = args.folder.resolve()
    try:
        gold = load_gold(folder / "gold.json")
    except GoldError as error:
        print(f"bench_evaluate: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    evaluation = evaluate_paths(gold, [folder])
    seconds = time.perf_counter() - started
    section = report(folder, evaluation, seconds, args.worst)
    print(section)
    if args.write:
        write_section(section, SECTION)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
