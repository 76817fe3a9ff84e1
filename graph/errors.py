"""Errors of the graph layer; each prints as one plain line a person can act on."""

from __future__ import annotations

from loaders.explained import Explained, explained_text

__all__ = ["Explained", "explained_text"]  # said by a code and its values; the class lives with the first layer


class StoreError(Exception):
    """A store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened."""


class ReadOnlyError(StoreError):
    """A query would write, and the query was run read-only."""


class QuerySyntaxError(StoreError):
    """The query does not parse or does not bind."""


class QueryTimeout(StoreError):
    """The query ran past its time limit."""


class ResultTooLarge(StoreError):
    """The result passed the byte bound; the query was stopped."""


class RowCapExceeded(StoreError):
    """One of policykg's own reads (resolving a name, the whole graph) had more rows than its cap:
    it stops rather than answer from part of them (people's queries are cut and say so instead)."""


class StoreBusy(StoreUnavailable):
    """Another process is writing to the store; a retry after it finishes will work."""



def one_line(error: BaseException) -> str:
    """An error as one line for people: policykg's own (already a sentence) as they are, others with their type.

    >>> one_line(StoreError("the store is gone\\nmore")), one_line(RuntimeError("Copy exception: x"))
    ('the store is gone', 'RuntimeError: Copy exception: x')
    """
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    if isinstance(error, StoreError | ValueError):
        return text or type(error).__name__
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
