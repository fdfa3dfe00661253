"""The network as of a year: links enter service in their ready-for-service year (``rfs``).

:func:`as_of` answers "what could a planner route on in year Y":

- a link whose ``rfs`` is after Y did not exist yet and is removed (whatever its status);
- a planned or proposed link whose ``rfs`` is Y or earlier is in service by then and becomes
  ``existing`` (planned links enter in their year);
- a link without ``rfs`` keeps its status: an existing link without a year is assumed to have
  been in service throughout (most inferred national backbones carry no public date), and a
  planned or proposed link without a year stays planned or proposed, usable only with
  ``status="planned"`` or ``"all"`` as before.

The shipped data give ``rfs`` for 162 of 387 links (``data/geo/README.md``).
"""

from __future__ import annotations

import numpy as np

from corridor._errors import RequestError
from corridor.network import Network, subnetwork

__all__ = ["as_of", "link_rfs"]

#: The years :func:`as_of` accepts (a sanity range, not a data limit).
YEAR_RANGE = (1850, 2200)


def link_rfs(net: Network) -> np.ndarray:
    """Ready-for-service year per link (float, ``nan`` where the data give none)."""
    links = net.links
    if "rfs" not in links:
        return np.full(net.n_links, np.nan)
    return links["rfs"].to_numpy(dtype=float, na_value=np.nan)


def as_of(net: Network, year: int) -> Network:
    """The network as a planner would have it in ``year`` (rules in the module docstring).

    Raises
    ------
    RequestError
        When ``year`` is not an integer in :data:`YEAR_RANGE`.
    """
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        msg = f"year must be an integer, got {year!r}"
        raise RequestError(msg)
    if not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
        msg = f"year {year} is outside {YEAR_RANGE[0]}..{YEAR_RANGE[1]}"
        raise RequestError(msg)
    rfs = link_rfs(net)
    dated = ~np.isnan(rfs)
    keep = ~(dated & (rfs > year))
    status = [
        "existing" if d and r <= year else s
        for d, r, s in zip(dated, rfs, net.lookup.link_status, strict=True)
    ]
    return subnetwork(net, keep, status=status)
