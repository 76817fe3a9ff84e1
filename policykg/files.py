"""Which files a command reads: paths as given, folders expanded to the plan files inside."""

from __future__ import annotations

from pathlib import Path

from loaders import READERS

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def plan_files(paths: list[str]) -> list[str]:
    """Files in the order given; a folder contributes its readable files, sorted.

    A path that does not exist is passed through, so the loader reports it by name.
    """
    files: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in READERS)
        else:
            files.append(given)
    return files
