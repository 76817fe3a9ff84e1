"""The one error type loaders raise for bad input."""

from __future__ import annotations


class LoaderError(Exception):
    """A document could not be read or understood.

    ``str(error)`` is a single line naming the file and what is wrong, fit to
    show a user as is.

    >>> str(LoaderError("plan.txt", "file is empty"))
    'plan.txt: file is empty'
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = " ".join(problem.split())
        super().__init__(f"{source}: {self.problem}")
