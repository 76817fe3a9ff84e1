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

    def __reduce__(self):  # pickled back from a loading worker (graph.loading): rebuilt from what it was made of
        return type(self), (self.source, self.problem)


class ExtractionError(LoaderError):
    """Extraction failed on a file through a fault of the loaders, not of the file.

    Still one line naming the file, so one file never stops the others; the exception
    raised is chained as ``__cause__`` (its traceback is the bug report).
    """


def describe(error: BaseException, limit: int = 160) -> str:
    """``Type: message`` of an exception, on one line and at most about ``limit`` characters.

    >>> describe(KeyError("word/document.xml"))
    "KeyError: 'word/document.xml'"
    """
    message = " ".join(str(error).split())
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
