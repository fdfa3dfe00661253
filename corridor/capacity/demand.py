"""Traffic demand: an origin-destination matrix in Tbps.

:func:`gravity_demand` spreads a stated total over site pairs in proportion to a gravity model,
``d_ij ~ w_i * w_j / km_ij ** gamma`` (great-circle km, ``gamma`` = 1 by default):

- a city's weight ``w`` is its ``population`` (a site field, people) where the data give it;
  without the field (or for a city without a value) every city weighs the same (the median of
  the cities that have a value, or 1), a documented fallback that the output states;
- a data center and an exchange point weigh :data:`KIND_MULTIPLIER` times the median city
  weight (traffic concentrates where content and peering sit);
- landings and border crossings originate no traffic.

The total defaults to :data:`DEFAULT_TOTAL_TBPS`. The pairs are every endpoint of the ``west``
regions x every endpoint of the ``east`` regions (Europe x China and East Asia: 32 x 20 = 640
city pairs plus the European exchange on the shipped data), or every pair of endpoints
(``pairs="all"``). :func:`read_demand_csv` reads ``source,target,tbps`` instead.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corridor._errors import DataError, RequestError, UnknownSiteError
from corridor.network import GEOD, Network

__all__ = [
    "DEFAULT_TOTAL_TBPS",
    "KIND_MULTIPLIER",
    "ODMatrix",
    "gravity_demand",
    "read_demand_csv",
]

#: Europe - Asia traffic to spread over the pairs, Tbps. Anchor: Telecom Egypt reports more than
#: 200 Tbps carried East -> West across Egypt (Jan 2024; capacitymedia.com, "Connecting the
#: seas: a hub to link up the world", https://capacitymedia.com/article/2cs2r5pnqyosieznypk3k),
#: and press figures put the Red Sea / Egypt corridor at more than 90 % of Europe - Asia capacity
#: (https://petri.com/red-sea-cable-cuts-azure-latency-internet-slowdowns/), so Europe - Asia
#: used bandwidth is of the order of 200 Tbps. For scale, TeleGeography puts all used
#: international bandwidth at about 5 Pbps in 2023 (blog.telegeography.com, "Used International
#: Bandwidth Reaches New Heights", 15 May 2024). Applied here to the modelled OD set as a whole;
#: override with ``total_tbps``.
DEFAULT_TOTAL_TBPS = 200.0

#: Weight of a data center / exchange point as a multiple of the median city weight.
KIND_MULTIPLIER = {"datacenter": 2.0, "ixp": 2.0}

_ENDPOINT_KINDS = ("city", "datacenter", "ixp")


@dataclass(frozen=True)
class ODMatrix:
    """Origin-destination demand: site ids and Tbps per pair (undirected, one row per pair)."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    tbps: np.ndarray
    description: str
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.sources)

    @property
    def total_tbps(self) -> float:
        """Sum of the demand."""
        return float(self.tbps.sum())

    def pairs(self) -> list[tuple[str, str]]:
        """The OD pairs in order."""
        return list(zip(self.sources, self.targets, strict=True))

    def to_dict(self, *, rows: bool = True) -> dict[str, Any]:
        """JSON-ready dictionary."""
        out: dict[str, Any] = {
            "description": self.description,
            "pairs": len(self),
            "total_tbps": round(self.total_tbps, 6),
            "notes": list(self.notes),
        }
        if rows:
            out["rows"] = [
                {"source": s, "target": t, "tbps": round(float(d), 6)}
                for s, t, d in zip(self.sources, self.targets, self.tbps, strict=True)
            ]
        return out

    def write_csv(self, path: str | Path) -> None:
        """Write ``source,target,tbps`` atomically."""
        from corridor._atomic import write_atomic

        lines = ["source,target,tbps"]
        lines += [
            f"{s},{t},{float(d):.9g}"
            for s, t, d in zip(self.sources, self.targets, self.tbps, strict=True)
        ]
        write_atomic(path, "\n".join(lines) + "\n", what="demand CSV")


def _weights(net: Network, idx: np.ndarray) -> tuple[np.ndarray, list[str]]:
    sites = net.sites
    kinds = sites["kind"].to_numpy()[idx]
    notes: list[str] = []
    pop = (
        sites["population"].to_numpy(dtype=float, na_value=np.nan)[idx]
        if "population" in sites
        else np.full(len(idx), np.nan)
    )
    is_city = kinds == "city"
    known = is_city & np.isfinite(pop) & (pop > 0)
    base = float(np.median(pop[known])) if known.any() else 1.0
    w = np.where(known, pop, base)
    if not known.any():
        notes.append(
            "sites carry no population: every city weighs the same (gravity by distance only)"
        )
    elif not known[is_city].all():
        missing = int((is_city & ~known).sum())
        notes.append(f"{missing} cities without population weigh the median city ({base:,.0f})")
    for kind, mult in KIND_MULTIPLIER.items():
        w = np.where(kinds == kind, mult * base, w)
    return w.astype(float), notes


def gravity_demand(
    net: Network,
    *,
    total_tbps: float = DEFAULT_TOTAL_TBPS,
    west: Sequence[str] = ("europe",),
    east: Sequence[str] = ("china", "east_asia"),
    pairs: str = "west-east",
    distance_exponent: float = 1.0,
) -> ODMatrix:
    """Gravity-model demand scaled to ``total_tbps`` (see the module docstring).

    Parameters
    ----------
    net
        The network.
    total_tbps
        Sum of the demand.
    west, east
        Regions whose endpoints exchange traffic (``pairs="west-east"``).
    pairs
        ``"west-east"`` (every west endpoint x every east endpoint) or ``"all"`` (every pair of
        endpoints of any region).
    distance_exponent
        ``gamma`` in ``w_i w_j / km ** gamma``; 0 ignores distance.

    Raises
    ------
    RequestError
        For a non-positive total, a negative exponent, an unknown ``pairs`` or no pairs.
    """
    if not (math.isfinite(total_tbps) and total_tbps > 0):
        msg = f"total_tbps must be a positive number, got {total_tbps!r}"
        raise RequestError(msg)
    if not (math.isfinite(distance_exponent) and distance_exponent >= 0):
        msg = f"distance_exponent must be >= 0, got {distance_exponent!r}"
        raise RequestError(msg)
    sites = net.sites
    kind = sites["kind"].astype(str).to_numpy()
    region = sites["region"].fillna("").astype(str).to_numpy()
    endpoint = np.isin(kind, _ENDPOINT_KINDS)
    if pairs == "west-east":
        w_idx = np.flatnonzero(endpoint & np.isin(region, list(west)))
        e_idx = np.flatnonzero(endpoint & np.isin(region, list(east)))
        ii, jj = (a.ravel() for a in np.meshgrid(w_idx, e_idx, indexing="ij"))
        what = f"{len(w_idx)} endpoints ({'+'.join(west)}) x {len(e_idx)} ({'+'.join(east)})"
    elif pairs == "all":
        idx = np.flatnonzero(endpoint)
        ii, jj = np.triu_indices(len(idx), k=1)
        ii, jj = idx[ii], idx[jj]
        what = f"all pairs of {len(idx)} endpoints"
    else:
        msg = f"unknown pairs {pairs!r}; use 'west-east' or 'all'"
        raise RequestError(msg)
    keep = ii != jj
    ii, jj = ii[keep], jj[keep]
    if len(ii) == 0:
        msg = f"no demand pairs: the network has no endpoints for {what}; give a demand CSV"
        raise RequestError(msg)
    every = np.unique(np.concatenate([ii, jj]))
    weights, notes = _weights(net, every)
    wmap = np.zeros(net.n_sites)
    wmap[every] = weights
    look = net.lookup
    lon, lat = np.asarray(look.site_lon), np.asarray(look.site_lat)
    _, _, metres = GEOD.inv(lon[ii], lat[ii], lon[jj], lat[jj])
    km = np.maximum(np.asarray(metres, dtype=float) / 1000.0, 1.0)
    raw = wmap[ii] * wmap[jj] / km**distance_exponent
    tbps = raw / raw.sum() * total_tbps
    desc = f"gravity ({what}), gamma={distance_exponent:g}, total {total_tbps:g} Tbps"
    return ODMatrix(
        sources=tuple(look.site_id[i] for i in ii),
        targets=tuple(look.site_id[j] for j in jj),
        tbps=tbps,
        description=desc,
        notes=tuple(notes),
    )


def read_demand_csv(net: Network, path: str | Path) -> ODMatrix:
    """Read ``source,target,tbps`` (site ids or names); repeated pairs add up.

    Raises
    ------
    DataError
        For a missing file or column, an unknown site, a negative or non-numeric value, a pair of
        identical sites, or an empty file.
    """
    where = str(path)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
            header = rows[0].keys() if rows else ()
    except OSError as exc:
        msg = f"{where}: cannot read demand: {exc.strerror or exc}"
        raise DataError(msg) from None
    missing = {"source", "target", "tbps"} - set(header)
    if not rows or missing:
        msg = f"{where}: a demand CSV needs the columns source,target,tbps and at least one row"
        raise DataError(msg)
    acc: dict[tuple[str, str], float] = {}
    for line, row in enumerate(rows, start=2):
        try:
            s = net.resolve_site(str(row["source"]).strip())
            t = net.resolve_site(str(row["target"]).strip())
        except UnknownSiteError as exc:
            msg = f"{where}:{line}: {exc}"
            raise DataError(msg) from None
        try:
            value = float(row["tbps"])
        except (TypeError, ValueError):
            msg = f"{where}:{line}: tbps must be a number, got {row['tbps']!r}"
            raise DataError(msg) from None
        if not (math.isfinite(value) and value >= 0):
            msg = f"{where}:{line}: tbps must be >= 0, got {value!r}"
            raise DataError(msg)
        if s == t:
            msg = f"{where}:{line}: source and target are the same site {s!r}"
            raise DataError(msg)
        key = (s, t) if (s, t) in acc or (t, s) not in acc else (t, s)
        acc[key] = acc.get(key, 0.0) + value
    keys = list(acc)
    return ODMatrix(
        sources=tuple(k[0] for k in keys),
        targets=tuple(k[1] for k in keys),
        tbps=np.array([acc[k] for k in keys]),
        description=f"{where} ({len(keys)} pairs)",
    )
