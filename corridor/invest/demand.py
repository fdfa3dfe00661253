"""Demand: the origin-destination pairs the candidates serve, with their weights.

:func:`default_demand`: every city of region ``europe`` x every city of regions ``china`` and
``east_asia`` (``data/geo/README.md`` conventions), weighted equally (32 x 20 = 640 pairs on the
shipped data). :func:`read_demand` reads a CSV ``source,target,weight`` instead. Weights are
normalised to sum to one, so every demand-weighted figure is a mean over the demand.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corridor._errors import DataError, RequestError, UnknownSiteError
from corridor.network import Network

__all__ = ["Demand", "default_demand", "read_demand"]


@dataclass(frozen=True)
class Demand:
    """Origin-destination pairs (site ids) with weights normalised to sum to one."""

    pairs: tuple[tuple[str, str], ...]
    weights: np.ndarray
    description: str

    def __len__(self) -> int:
        return len(self.pairs)


def default_demand(
    net: Network,
    *,
    west: Sequence[str] = ("europe",),
    east: Sequence[str] = ("china", "east_asia"),
) -> Demand:
    """Every city of the ``west`` regions x every city of the ``east`` regions, equal weights.

    Raises
    ------
    RequestError
        When the network has no such cities.
    """
    sites = net.sites
    region = sites["region"].fillna("").astype(str)
    city = sites["kind"] == "city"
    w = sites.loc[city & region.isin(list(west)), "id"].tolist()
    e = sites.loc[city & region.isin(list(east)), "id"].tolist()
    pairs = tuple((a, b) for a in w for b in e if a != b)
    if not pairs:
        msg = (
            f"no demand: the network has no city in regions {', '.join(west)} and "
            f"{', '.join(east)}; give a demand CSV"
        )
        raise RequestError(msg)
    desc = f"{len(w)} cities ({'+'.join(west)}) x {len(e)} cities ({'+'.join(east)}), equal"
    return Demand(pairs, np.full(len(pairs), 1.0 / len(pairs)), desc)


def read_demand(net: Network, path: str | Path) -> Demand:
    """Read a demand CSV with columns ``source``, ``target``, ``weight`` (ids or names).

    Raises
    ------
    DataError
        For a missing file or column, an unknown site, a negative or non-numeric weight, a pair
        of identical sites, or weights summing to zero.
    """
    where = str(path)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        msg = f"{where}: cannot read demand: {exc.strerror or exc}"
        raise DataError(msg) from exc
    if not rows or not {"source", "target"} <= set(rows[0]):
        msg = f"{where}: demand CSV needs columns source, target[, weight]"
        raise DataError(msg)
    pairs: list[tuple[str, str]] = []
    weights: list[float] = []
    for line, row in enumerate(rows, start=2):
        try:
            s = net.resolve_site(str(row["source"]).strip())
            t = net.resolve_site(str(row["target"]).strip())
        except UnknownSiteError as exc:
            msg = f"{where}: line {line}: {exc}"
            raise DataError(msg) from None
        if s == t:
            msg = f"{where}: line {line}: source and target are the same site {s!r}"
            raise DataError(msg)
        raw = (row.get("weight") or "1").strip()
        try:
            w = float(raw)
        except ValueError:
            w = math.nan
        if not (math.isfinite(w) and w >= 0):
            msg = f"{where}: line {line}: weight {raw!r} is not a number >= 0"
            raise DataError(msg)
        pairs.append((s, t))
        weights.append(w)
    total = sum(weights)
    if total <= 0:
        msg = f"{where}: demand weights sum to zero"
        raise DataError(msg)
    arr = np.asarray(weights) / total
    return Demand(tuple(pairs), arr, f"{len(pairs)} pairs from {where}")
