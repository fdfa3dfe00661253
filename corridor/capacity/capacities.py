"""Usable capacity of every link, in Tbps, with documented defaults where the data give none.

A link's ``capacity_tbps`` (lit or design capacity, as its source states) is used as given. Where
it is missing, the default depends on the link's kind and ready-for-service year (``rfs``): a
cable's capacity is set by the transmission generation it was built and upgraded with. Such
links are flagged ``capacity_assumed``.

Reference points from the shipped data and ``data/geo/README.md`` sources (design or lit
capacity per system): FALCON 2006 2.56 Tbps, EIG 2011 3.84 Tbps, IMEWE 2010 5.6 Tbps after its
2016 100G upgrade, Caucasus Cable System 2008 1.92 Tbps design and 12.6 Tbps lit after upgrades,
EPEG 2013 3.2 Tbps (terrestrial), SeaMeWe-6 100-126 Tbps, 2Africa 180 Tbps (16 fibre pairs),
Trans-Caspian 2026 up to 400 Tbps (Sumgayit-Aktau; the earlier Siyazan-Aktau plan 4-6 Tbps).
Terrestrial cross-border links in the data carry 0.1-1.2 Tbps where a figure is published. No
source gives a current capacity for the Kazakhtelecom NIH backbone (the Aktobe links) or the
TAE segments: the only TAE figure is from its 1998 opening and a 2006 decision (about
140 Mbit/s, then DWDM up to 10 Gbit/s on some unnamed segments; fact sheet S4), too old and too
vague to stand for today's lit capacity, so these links keep the default below, flagged.
The defaults below sit at or below these points (a planner should
not count on capacity no source states):

============  ========================  ==============================================
kind          ready for service         default usable capacity (Tbps)
============  ========================  ==============================================
submarine     before 2005               2 (SeaMeWe-3 generation, upgraded)
submarine     2005-2012                 4 (EIG, IMEWE, FALCON: 2.6-5.6)
submarine     2013-2019                 20 (100G coherent generation; assumption)
submarine     2020 or later             100 (SeaMeWe-6 100-126, 2Africa 180)
submarine     unknown                   4
terrestrial   before 2010               2 (TASIM plan: 2 Tbps initial)
terrestrial   2010-2019                 4 (EPEG 3.2 Tbps design)
terrestrial   2020 or later             10 (one C-band DWDM pair, 96 x 100G; assumption)
terrestrial   unknown                   4 (assumption)
============  ========================  ==============================================

One more default: a terrestrial link of an *inferred* system (its ``system`` says
``inferred``) with both ends in the large domestic markets (regions :data:`AGGREGATE_REGIONS`:
the European, Chinese, East, South and South-East Asian backbones and metros) stands for the
aggregate of many carriers' networks, not one cable; it gets :data:`AGGREGATE_TBPS` so that the
international systems, not these stand-ins, are what limits the flow (an assumption, flagged
like every default).

A terrestrial link between two landing stations (a cable's land crossing, e.g. the Telecom
Egypt crossings between the Mediterranean and Red Sea landings) carries what the cables landing
there carry: without a figure it gets the largest capacity of the submarine links at its ends.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from corridor._errors import DataError
from corridor.network import Network

__all__ = [
    "AGGREGATE_REGIONS",
    "AGGREGATE_TBPS",
    "DEFAULT_CAPACITY",
    "LinkCapacities",
    "default_capacity",
    "link_capacities",
]

#: ``kind -> ((first year not covered, Tbps), ...)`` in increasing year order, then the value
#: for links without a year. See the module docstring for the reference points.
DEFAULT_CAPACITY: dict[str, tuple[tuple[tuple[float, float], ...], float]] = {
    "submarine": (((2005, 2.0), (2013, 4.0), (2020, 20.0), (math.inf, 100.0)), 4.0),
    "terrestrial": (((2010, 2.0), (2020, 4.0), (math.inf, 10.0)), 4.0),
}


#: Regions whose inferred terrestrial backbones stand for many carriers (see the docstring).
AGGREGATE_REGIONS = frozenset({"europe", "china", "east_asia", "south_asia", "southeast_asia"})

#: Default capacity of such an aggregate link, Tbps.
AGGREGATE_TBPS = 100.0


def default_capacity(kind: str, rfs: float | None) -> float:
    """The documented default capacity (Tbps) of a link of ``kind`` built in ``rfs``."""
    eras, unknown = DEFAULT_CAPACITY.get(kind, DEFAULT_CAPACITY["terrestrial"])
    if rfs is None or not math.isfinite(rfs):
        return unknown
    for before, tbps in eras:
        if rfs < before:
            return tbps
    return unknown  # pragma: no cover - the last era is unbounded


@dataclass(frozen=True)
class LinkCapacities:
    """Capacity per link (link-index order) and whether it is a default."""

    tbps: np.ndarray
    assumed: np.ndarray

    def __len__(self) -> int:
        return len(self.tbps)


def link_capacities(net: Network, *, scale: float = 1.0) -> LinkCapacities:
    """Usable capacity of every link: ``capacity_tbps`` where given, else the default.

    Parameters
    ----------
    net
        The network.
    scale
        Multiplier applied to every capacity (e.g. 0.7 for a utilisation ceiling).

    Raises
    ------
    DataError
        For a negative capacity in the data.
    """
    links = net.links
    given = (
        links["capacity_tbps"].to_numpy(dtype=float, na_value=np.nan)
        if "capacity_tbps" in links
        else np.full(net.n_links, np.nan)
    )
    rfs = (
        links["rfs"].to_numpy(dtype=float, na_value=np.nan)
        if "rfs" in links
        else np.full(net.n_links, np.nan)
    )
    bad = np.flatnonzero(given < 0)
    if len(bad):
        msg = f"link {net.lookup.link_id[bad[0]]}: capacity_tbps must be >= 0, got {given[bad[0]]}"
        raise DataError(msg)
    assumed = np.isnan(given)
    tbps = given.copy()
    look = net.lookup
    region = net.sites["region"].fillna("").astype(str).to_numpy()
    kinds = net.sites["kind"].astype(str).to_numpy()
    for i in np.flatnonzero(assumed & (np.array(look.link_kind) == "submarine")):
        tbps[i] = default_capacity("submarine", float(rfs[i]))
    sub_at = np.zeros(net.n_sites)
    for i in np.flatnonzero(np.array(look.link_kind) == "submarine"):
        for v in (net.link_a[i], net.link_b[i]):
            sub_at[v] = max(sub_at[v], tbps[i])
    for i in np.flatnonzero(assumed & (np.array(look.link_kind) != "submarine")):
        kind = look.link_kind[i]
        a, b = net.link_a[i], net.link_b[i]
        if kinds[a] == "landing" and kinds[b] == "landing" and max(sub_at[a], sub_at[b]) > 0:
            tbps[i] = max(sub_at[a], sub_at[b])
            continue
        ends = {region[net.link_a[i]], region[net.link_b[i]]}
        if (
            kind == "terrestrial"
            and "inferred" in look.link_system[i].casefold()
            and ends <= AGGREGATE_REGIONS
        ):
            tbps[i] = AGGREGATE_TBPS
        else:
            tbps[i] = default_capacity(kind, float(rfs[i]))
    return LinkCapacities(tbps=tbps * float(scale), assumed=assumed)
