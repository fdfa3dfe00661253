"""The error raised by the map functions."""

from __future__ import annotations

from corridor._errors import RequestError

__all__ = ["MapError"]


class MapError(RequestError):
    """A map that cannot be drawn or written as asked (bad labels, unwritable path, ...)."""
