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

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corridor._errors import RequestError
from corridor.network import Network, subnetwork

__all__ = ["as_of", "link_rfs", "links_as_of"]

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
    _check_year(year)
    keep, status = _year_rule(link_rfs(net), net.lookup.link_status, int(year))
    return subnetwork(net, keep, status=status)


def links_as_of(links: pd.DataFrame, year: int) -> pd.DataFrame:
    """A links table (as read from a file, before building) as of ``year``, by the same rules.

    For callers that hand files rather than networks on, e.g. batch workers. A table without an
    ``rfs`` column is returned unchanged.

    Raises
    ------
    RequestError
        When ``year`` is not an integer in :data:`YEAR_RANGE`.
    """
    _check_year(year)
    if "rfs" not in links:
        return links
    rfs = pd.to_numeric(links["rfs"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    status = links["status"].astype(object).to_numpy() if "status" in links else None
    if status is None:  # io fills a missing status with "existing"
        status = np.full(len(links), "existing", dtype=object)
    keep, new_status = _year_rule(rfs, list(status), int(year))
    out = links.copy()
    out["status"] = new_status
    return out.loc[keep]


def _check_year(year: object) -> None:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        msg = f"year must be an integer, got {year!r}"
        raise RequestError(msg)
    if not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
        msg = f"year {year} is outside {YEAR_RANGE[0]}..{YEAR_RANGE[1]}"
        raise RequestError(msg)


def _year_rule(rfs: np.ndarray, status: Sequence[str], year: int) -> tuple[np.ndarray, list[str]]:
    """Links kept as of ``year`` and their statuses then (the module docstring's rules)."""
    dated = ~np.isnan(rfs)
    keep = ~(dated & (rfs > year))
    new_status = [
        "existing" if d and r <= year else s for d, r, s in zip(dated, rfs, status, strict=True)
    ]
    return keep, new_status
