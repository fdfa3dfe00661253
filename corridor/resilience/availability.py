"""Availability of paths and protected pairs from cut rates and repair times.

Element model
-------------
Every element alternates between up and down (a two-state renewal process; steady state
``A = MTBF / (MTBF + MTTR) = 1 / (1 + lambda * MTTR)``, R. Billinton and R. N. Allan,
*Reliability Evaluation of Engineering Systems*, 2nd ed., Plenum 1992, ch. 9). Elements fail
independently. The elements of a path are:

* each **link**: failure rate ``lambda = cut rate per 1,000 km per year x cable km / 1,000``,
  with cable km = geodesic length x route factor (the modelled cable length), and the repair
  time of its kind (terrestrial or submarine);
* each **intermediate site** (and the endpoints with ``include_endpoints=True``): a fixed
  availability;
* each **shared-risk group** the path touches (``srlg_events=True``): one extra common-mode
  event per group (an anchor drag or an attack across a sea chokepoint, a cut of a shared
  conduit) that takes down every link in the group at once. A group shared by two paths is one
  element, counted once.

A path is up when all its elements are up (series). A protected set of paths is up when at least
one path is up; its availability is computed exactly by inclusion-exclusion over the *union* of
the paths' elements, ``P(any up) = sum over non-empty S of (-1)^(|S|+1) prod_{e in union(S)} A_e``
(for two paths: ``A1 + A2 - prod over E1 u E2``), so shared links, sites and SRLGs are counted
once instead of treating the two path availabilities as independent.

Default parameters (fact sheet ``/work/shared/reference/corridor-systems.md`` §6.3)
---------------------------------------------------------------------------------
* **submarine cut rate 0.17 faults / 1,000 km / year**: derived global average, ~200 faults a
  year (S102, SubOptic 2019, Kordahi/SCIG,
  https://scribd.com/document/421701302/Op8-1-Kordahi-Subcom) over ~1.2 million km of cable
  (S2); deep water (> 1 km) is below 0.1 (SubOptic 2007 via Ovum, S2).
* **submarine MTTR 30 days**: industry average reported, trending down 2013-2019 (S103,
  https://subtelforum.com/submarine-telecoms-industry-report-section-4-2-reporting-trends-and-repair-times/);
  real cases are longer: 35-40 days in the Gulf of Suez (S101,
  https://hpruk.com/gcx-repairs-red-sea-links/), about 4-5 months in the Red Sea in 2024 (S94,
  https://circleid.com/posts/20240717-damaged-internet-subsea-cables-repaired-in-red-sea-amid-militant-attacks-on-ships).
* **terrestrial cut rate 0.3 cuts / 1,000 km / year**: NO AUTHORITATIVE FIGURE was found; this
  is the midpoint of the weak 0.1-0.5 range of a calculator page (S106,
  https://cal53.calculator.city/calculate-the-odds-of-2-fiber-cuts/). An assumption: override it.
* **terrestrial MTTR 12 h**: the Net2Plan tool default (MTTF 8,748 h / MTTR 12 h, not measured,
  S2); vendor FAQ: aerial ~4 h, buried >= 6 h (S105,
  https://experts123.com/q/what-happens-in-case-of-fiber-break.html).
* **site availability 0.99999** (~5 min/yr, a carrier-grade PoP): assumption, no source in the
  fact sheet.
* **sea-chokepoint SRLG event 0.1 / year, repaired in 60 days** (groups in
  :data:`CHOKEPOINT_SRLGS`), ``red-sea`` 0.25 / year: assumption calibrated on the multi-cable
  events of fact sheet §6.2 (Mar 2013, Feb 2024, Sep 2025 and the GCX cut in the Gulf of Suez,
  S93-S101, about 3 in 12 years near the Red Sea); 60 days lies between 35-40 d (S101) and
  4-5 months (S94).
* **other SRLG (shared conduit) event 0.05 / year, terrestrial MTTR**: assumption, no source
  (a corridor-wide cut of every carrier in one road or rail corridor).

Availability is reported as a fraction and as minutes of downtime per year (365.25 days) and
compared with the Uptime Institute Tier IV bar, 99.995 % (about 26.3 min/yr; Uptime Institute,
*Tier Standard: Topology*; the Akashi data center in Astana seeks Tier IV, fact sheet §7, S111).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from corridor._errors import RequestError
from corridor.network import Network
from corridor.routing import Path, disjoint_pair

__all__ = [
    "CHOKEPOINT_SRLGS",
    "MINUTES_PER_YEAR",
    "TIER_IV_AVAILABILITY",
    "TIER_IV_DOWNTIME_MIN",
    "AvailabilityModel",
    "Protection",
    "downtime_minutes",
    "element_availabilities",
    "path_availability",
    "paths_availability",
    "protection",
]

HOURS_PER_YEAR = 365.25 * 24.0
MINUTES_PER_YEAR = HOURS_PER_YEAR * 60.0
#: Uptime Institute Tier IV design availability.
TIER_IV_AVAILABILITY = 0.99995
#: Tier IV downtime budget in minutes per year (about 26.3).
TIER_IV_DOWNTIME_MIN = (1.0 - TIER_IV_AVAILABILITY) * MINUTES_PER_YEAR

#: SRLG ids of sea chokepoints (and the Egypt land crossing) in the shipped data set.
CHOKEPOINT_SRLGS = frozenset(
    {
        "bab-el-mandeb",
        "black-sea",
        "bosphorus",
        "caspian-seabed",
        "gulf-of-suez",
        "hormuz",
        "korea-strait",
        "luzon-strait",
        "malacca",
        "red-sea",
        "sicily-channel",
        "strait-of-messina",
        "suez-egypt-crossing",
        "taiwan-strait",
    }
)

#: Per-SRLG event rates (per year) that differ from the class default.
DEFAULT_SRLG_RATES: Mapping[str, float] = {"red-sea": 0.25}

#: Inclusion-exclusion is exponential in the number of paths; refuse beyond this.
MAX_PATHS = 12

Element = tuple[str, Any]


def _check_rate(name: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
        msg = f"{name} must be a finite number >= 0, got {value!r}"
        raise RequestError(msg)


def _check_positive(name: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        msg = f"{name} must be a finite number > 0, got {value!r}"
        raise RequestError(msg)


@dataclass(frozen=True, kw_only=True)
class AvailabilityModel:
    """Failure and repair parameters (defaults and sources in the module docstring).

    Attributes
    ----------
    cut_rate_terrestrial, cut_rate_submarine
        Cuts per 1,000 km of cable per year.
    mttr_terrestrial_h, mttr_submarine_h
        Mean time to repair in hours.
    site_availability
        Availability of every site; ``site_overrides`` maps site ids to their own value.
    include_endpoints
        Count the two endpoint sites as path elements (default: no, the analysis is of the
        network between them; with it no protection can beat the endpoints' availability).
    srlg_events
        Model each shared-risk group as an extra common-mode failure event (default) or
        ignore SRLGs for availability.
    chokepoint_rate, chokepoint_mttr_h
        Event rate per year and repair time of groups in :data:`CHOKEPOINT_SRLGS`.
    conduit_rate, conduit_mttr_h
        The same for every other group (shared conduits); ``conduit_mttr_h=None`` uses the
        terrestrial MTTR.
    srlg_rates
        Per-group event rates overriding the class defaults (merged over
        :data:`DEFAULT_SRLG_RATES`).
    """

    cut_rate_terrestrial: float = 0.3
    cut_rate_submarine: float = 0.17
    mttr_terrestrial_h: float = 12.0
    mttr_submarine_h: float = 30.0 * 24.0
    site_availability: float = 0.99999
    site_overrides: Mapping[str, float] = field(default_factory=dict)
    include_endpoints: bool = False
    srlg_events: bool = True
    chokepoint_rate: float = 0.1
    chokepoint_mttr_h: float = 60.0 * 24.0
    conduit_rate: float = 0.05
    conduit_mttr_h: float | None = None
    srlg_rates: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (
            "cut_rate_terrestrial",
            "cut_rate_submarine",
            "chokepoint_rate",
            "conduit_rate",
        ):
            _check_rate(name.replace("_", " "), getattr(self, name))
        for name in ("mttr_terrestrial_h", "mttr_submarine_h", "chokepoint_mttr_h"):
            _check_positive(name.replace("_h", " (hours)").replace("_", " "), getattr(self, name))
        if self.conduit_mttr_h is not None:
            _check_positive("conduit mttr (hours)", self.conduit_mttr_h)
        for site, a in {"": self.site_availability, **self.site_overrides}.items():
            if not (isinstance(a, (int, float)) and 0.0 < a <= 1.0):
                what = f"availability of site {site!r}" if site else "site availability"
                msg = f"{what} must be in (0, 1], got {a!r}"
                raise RequestError(msg)
        for group, rate in self.srlg_rates.items():
            _check_rate(f"event rate of SRLG {group!r}", rate)

    def link_availability(self, kind: str, cable_km: float) -> float:
        """Steady-state availability of one link of ``kind`` and ``cable_km``."""
        sub = kind == "submarine"
        rate = self.cut_rate_submarine if sub else self.cut_rate_terrestrial
        mttr = self.mttr_submarine_h if sub else self.mttr_terrestrial_h
        return _availability(rate * cable_km / 1000.0, mttr)

    def srlg_availability(self, group: str) -> float:
        """Availability against the common-mode event of one shared-risk group."""
        if not self.srlg_events:
            return 1.0
        rates = {**DEFAULT_SRLG_RATES, **self.srlg_rates}
        if group in CHOKEPOINT_SRLGS:
            rate = rates.get(group, self.chokepoint_rate)
            mttr = self.chokepoint_mttr_h
        else:
            rate = rates.get(group, self.conduit_rate)
            mttr = (
                self.conduit_mttr_h if self.conduit_mttr_h is not None else self.mttr_terrestrial_h
            )
        return _availability(rate, mttr)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters."""
        return {
            "cut_rate_terrestrial_per_1000km_yr": self.cut_rate_terrestrial,
            "cut_rate_submarine_per_1000km_yr": self.cut_rate_submarine,
            "mttr_terrestrial_h": self.mttr_terrestrial_h,
            "mttr_submarine_h": self.mttr_submarine_h,
            "site_availability": self.site_availability,
            "include_endpoints": self.include_endpoints,
            "srlg_events": self.srlg_events,
            "chokepoint_rate_per_yr": self.chokepoint_rate,
            "chokepoint_mttr_h": self.chokepoint_mttr_h,
            "conduit_rate_per_yr": self.conduit_rate,
            "conduit_mttr_h": self.conduit_mttr_h
            if self.conduit_mttr_h is not None
            else self.mttr_terrestrial_h,
            "srlg_rates": {**DEFAULT_SRLG_RATES, **self.srlg_rates},
        }


def _availability(rate_per_year: float, mttr_h: float) -> float:
    return 1.0 / (1.0 + rate_per_year * mttr_h / HOURS_PER_YEAR)


def downtime_minutes(availability: float) -> float:
    """Expected minutes of downtime per year (365.25 days) at ``availability``."""
    return (1.0 - availability) * MINUTES_PER_YEAR


def element_availabilities(
    net: Network, path: Path, model: AvailabilityModel | None = None
) -> dict[Element, float]:
    """The independent elements of one path and their availabilities.

    Keys are ``("link", link_id)``, ``("site", site_id)`` and ``("srlg", group)``.

    Raises
    ------
    UnknownSiteError
        When the path names a link or site the network does not have.
    """
    model = model or AvailabilityModel()
    out: dict[Element, float] = {}
    links = net.links
    for link_id in path.links:
        i = net.link_index(link_id)
        cable_km = float(links["length_km"].iat[i]) * float(links["route_factor"].iat[i])
        out[("link", link_id)] = model.link_availability(str(links["kind"].iat[i]), cable_km)
        for group in net.lookup.link_srlgs[i]:
            if model.srlg_events:
                out[("srlg", group)] = model.srlg_availability(group)
    sites = path.nodes if model.include_endpoints else path.nodes[1:-1]
    for site in sites:
        net.site_index(site)
        out[("site", site)] = float(model.site_overrides.get(site, model.site_availability))
    return out


def path_availability(net: Network, path: Path, *, model: AvailabilityModel | None = None) -> float:
    """Availability of one path: the product over its elements (series system)."""
    return math.prod(element_availabilities(net, path, model).values())


def paths_availability(
    net: Network, paths: Sequence[Path], *, model: AvailabilityModel | None = None
) -> float:
    """Probability that at least one of ``paths`` is up, exact (inclusion-exclusion).

    Shared elements (links, sites, SRLG events) are counted once; the result is not the
    independence formula ``1 - prod(1 - A_i)`` unless the paths share nothing.

    Raises
    ------
    RequestError
        For no paths or more than :data:`MAX_PATHS` (the sum has ``2^k - 1`` terms).
    """
    if not paths:
        msg = "availability of an empty set of paths is undefined: give at least one path"
        raise RequestError(msg)
    if len(paths) > MAX_PATHS:
        msg = f"at most {MAX_PATHS} paths for exact availability, got {len(paths)}"
        raise RequestError(msg)
    elems = [element_availabilities(net, p, model) for p in paths]
    total = 0.0
    for size in range(1, len(paths) + 1):
        sign = 1.0 if size % 2 else -1.0
        for subset in combinations(elems, size):
            union: dict[Element, float] = {}
            for e in subset:
                union.update(e)
            total += sign * math.prod(union.values())
    return min(1.0, max(0.0, total))


@dataclass(frozen=True)
class Protection:
    """Best achievable protection of an OD pair and its availability.

    Attributes
    ----------
    source, target
        Site ids.
    mode
        ``"srlg"`` (SRLG- and link-disjoint pair), ``"link"`` (link-disjoint, some SRLG
        shared), ``"link-partial"`` (the least-shared pair: no fully link-disjoint pair exists)
        or ``"none"`` (a single route only).
    paths
        Primary (faster) then backup.
    primary_availability
        The primary alone.
    availability
        The protected pair (at least one path up).
    shared
        Links, intermediate sites and SRLGs the two paths have in common.
    notes
        What the router said (e.g. heuristic SRLG pair, what is shared).
    """

    source: str
    target: str
    mode: str
    paths: tuple[Path, ...]
    primary_availability: float
    availability: float
    shared: dict[str, tuple[str, ...]]
    model: AvailabilityModel
    notes: tuple[str, ...] = ()

    @property
    def downtime_min(self) -> float:
        """Expected downtime of the protected pair, minutes per year."""
        return downtime_minutes(self.availability)

    @property
    def primary_downtime_min(self) -> float:
        """Expected downtime of the primary alone, minutes per year."""
        return downtime_minutes(self.primary_availability)

    @property
    def meets_tier_iv(self) -> bool:
        """Whether the protected pair reaches 99.995 % (Uptime Institute Tier IV)."""
        return self.availability >= TIER_IV_AVAILABILITY

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "source": self.source,
            "target": self.target,
            "mode": self.mode,
            "paths": [
                {"role": r, **p.to_dict()}
                for r, p in zip(("primary", "backup"), self.paths, strict=False)
            ],
            "primary_availability": self.primary_availability,
            "primary_downtime_min_per_year": round(self.primary_downtime_min, 3),
            "availability": self.availability,
            "downtime_min_per_year": round(self.downtime_min, 3),
            "tier_iv_availability": TIER_IV_AVAILABILITY,
            "tier_iv_downtime_min_per_year": round(TIER_IV_DOWNTIME_MIN, 3),
            "meets_tier_iv": self.meets_tier_iv,
            "shared": {k: list(v) for k, v in self.shared.items()},
            "model": self.model.to_dict(),
            "notes": list(self.notes),
        }


def _shared(first: Path, second: Path) -> dict[str, tuple[str, ...]]:
    return {
        "links": tuple(x for x in first.links if x in second.links),
        "sites": tuple(x for x in first.nodes[1:-1] if x in second.nodes[1:-1]),
        "srlgs": tuple(x for x in first.srlgs if x in second.srlgs),
    }


def protection(
    net: Network,
    source: str,
    target: str,
    *,
    model: AvailabilityModel | None = None,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    time_limit: float = 10.0,
) -> Protection:
    """The best achievable protected pair for ``source -> target`` and its availability.

    Tries an SRLG-disjoint pair (no common SRLG and no common link,
    :func:`corridor.routing.disjoint_pair` with ``mode="srlg"``); when none exists, a
    link-disjoint pair (Suurballe/Bhandari, minimum total latency); when no link-disjoint pair
    exists either, the least-shared pair. ``mode`` says which was used.

    Raises
    ------
    UnknownSiteError
        For unknown sites.
    NoRouteError
        When the pair has no route at all.
    """
    model = model or AvailabilityModel()
    kw: dict[str, Any] = {"status": status, "avoid": avoid, "max_latency_ms": max_latency_ms}
    notes: list[str] = []
    result = disjoint_pair(net, source, target, mode="srlg", time_limit=time_limit, **kw)
    mode = "srlg"
    if any(n.startswith("no fully") for n in result.notes):
        notes.append("no SRLG-disjoint pair exists; using a link-disjoint pair")
        result = disjoint_pair(net, source, target, mode="link", **kw)
        mode = "link"
        if any(n.startswith("no fully") for n in result.notes):
            mode = "link-partial"
    notes.extend(result.notes)
    paths = tuple(result.paths[:2])
    if len(paths) < 2 or paths[0].links == paths[1].links:
        mode = "none"
        paths = paths[:1]
        notes.append("only one route exists: the pair cannot be protected")
    primary = path_availability(net, paths[0], model=model)
    both = paths_availability(net, paths, model=model)
    shared = _shared(paths[0], paths[-1]) if len(paths) == 2 else {}
    return Protection(
        source=result.source,
        target=result.target,
        mode=mode,
        paths=paths,
        primary_availability=primary,
        availability=both,
        shared=shared,
        model=model,
        notes=tuple(notes),
    )
