"""Checks at the boundary of the public API: bad values become typed corridor errors.

Every public function validates what it is given before any work, so a caller gets a
:class:`~corridor._errors.RequestError` (or :class:`~corridor._errors.DataError` for data)
naming the argument and the value, never a ``TypeError`` from deep inside numpy or pandas.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable
from functools import cache

from corridor._errors import RequestError

__all__ = [
    "MAX_K",
    "check_count",
    "check_fraction",
    "check_number",
    "check_site_ref",
    "iso_countries",
    "name_list",
]

#: The largest number of paths one request may ask for: more would not finish in a lifetime
#: on a real network, and every answer beyond the paths that exist is the same answer.
MAX_K = 1_000_000


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_number(
    value: object,
    name: str,
    *,
    minimum: float | None = 0.0,
    inclusive: bool = False,
    maximum: float | None = None,
    unit: str = "",
) -> float:
    """A finite real number above ``minimum`` (or at it, with ``inclusive``), as a float."""
    ok = _is_real(value) and math.isfinite(float(value))  # type: ignore[arg-type]
    if ok and minimum is not None:
        x = float(value)  # type: ignore[arg-type]
        ok = x >= minimum if inclusive else x > minimum
    if ok and maximum is not None:
        ok = float(value) <= maximum  # type: ignore[arg-type]
    if not ok:
        if minimum is None:
            bound = "a finite number"
        elif minimum == 0 and not inclusive:
            bound = "a positive number"
        else:
            bound = f"a number {'>=' if inclusive else '>'} {minimum:g}"
        if maximum is not None:
            bound += f" and <= {maximum:g}"
        suffix = f" {unit}" if unit else ""
        msg = f"{name} must be {bound}{suffix}, got {value!r}"
        raise RequestError(msg)
    return float(value)  # type: ignore[arg-type]


def check_fraction(value: object, name: str) -> float:
    """A share between 0 and 1."""
    return check_number(value, name, minimum=0.0, inclusive=True, maximum=1.0)


def check_count(value: object, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer (not a bool, not a float) of at least ``minimum``."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and int(value) < minimum:  # type: ignore[call-overload]
        ok = False
    if not ok:
        msg = f"{name} must be an integer >= {minimum}, got {value!r}"
        raise RequestError(msg)
    if maximum is not None and int(value) > maximum:  # type: ignore[call-overload]
        msg = f"{name} must be at most {maximum:,}, got {value!r}"
        raise RequestError(msg)
    return int(value)  # type: ignore[call-overload]


def check_site_ref(value: object, role: str) -> None:
    """A site given as an id or a name: a string, or a node label (any hashable value: an
    integer, a tuple, ...) of a graph given to :meth:`corridor.network.Network.from_networkx`."""
    if isinstance(value, bool) or value is None:
        msg = f"{role} must be a site id or name, got {value!r}"
        raise RequestError(msg)
    if not isinstance(value, Hashable):
        msg = f"{role} must be a site id or name (a string), got {type(value).__name__} {value!r}"
        raise RequestError(msg)


def name_list(value: object, name: str) -> tuple[str, ...]:
    """``None``, one name, or an iterable of names (strings), as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        items = tuple(value)
        for item in items:
            if not isinstance(item, str | numbers.Integral) or isinstance(item, bool):
                msg = f"{name} items must be names (strings), got {item!r} in {value!r}"
                raise RequestError(msg)
        return tuple(str(item) for item in items)
    msg = f"{name} must be a name or a list of names, got {type(value).__name__} {value!r}"
    raise RequestError(msg)


@cache
def iso_countries() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code in use (pycountry's copy of the ISO list)."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)
