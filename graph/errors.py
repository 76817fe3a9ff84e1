"""Errors of the graph layer; each prints as one plain line a person can act on."""

from __future__ import annotations


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


class LoadError(StoreError):
    """A document failed to load; its transaction was rolled back."""


class ResultTooLarge(StoreError):
    """The result passed the byte bound; the query was stopped."""


class StoreBusy(StoreUnavailable):
    """Another process is writing to the store; a retry after it finishes will work."""
