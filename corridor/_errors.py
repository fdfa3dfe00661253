"""Typed errors raised by corridor.

Two families, as users see them: :class:`DataError` when an input file or table is wrong (fix the
data), and :class:`RequestError` when a question cannot be answered as asked (fix the request).
Every message is one line that names what is wrong and where.
"""

from __future__ import annotations

__all__ = [
    "ConstraintError",
    "CorridorError",
    "DataError",
    "DatasetNotFoundError",
    "NoRouteError",
    "RequestError",
    "SearchLimitError",
    "UnknownSiteError",
]


class CorridorError(Exception):
    """Base class of every error corridor raises on purpose."""


class DataError(CorridorError):
    """An input file or table is missing, unreadable or violates the schema."""


class DatasetNotFoundError(DataError, KeyError):
    """A shipped data set name that does not exist."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class RequestError(CorridorError, ValueError):
    """A routing or analysis request that is invalid as asked."""


class UnknownSiteError(RequestError, KeyError):
    """A site (or country) name or id that the network does not have."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConstraintError(RequestError):
    """A set of constraints that contradict each other or leave nothing to route on."""


class NoRouteError(RequestError):
    """No path satisfies the request; the message says which constraint made it impossible."""


class SearchLimitError(NoRouteError):
    """A time limit stopped an exact search before it found or ruled out a route.

    Not a proof that no route exists: the message says how long the search ran and the best
    route found so far, if any.
    """
