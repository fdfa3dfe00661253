"""Placement of a node set on a network: problem building, solving for p = 1..P, reporting."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path as FsPath
from typing import Any

import numpy as np
import pandas as pd

from corridor._atomic import write_csv_atomic
from corridor._errors import ConstraintError, DataError, RequestError, UnknownSiteError
from corridor._kernels.dijkstra import dijkstra_many
from corridor.network import Network
from corridor.placement._names import DEFAULT_STATUS
from corridor.placement.dual import DUAL_MODES, disjoint_within
from corridor.placement.policy import Policy, check_codes
from corridor.placement.solvers import (
    OBJECTIVES,
    InfeasiblePlacementError,
    Solution,
    solve_matrix,
)
from corridor.resilience.availability import (
    AvailabilityModel,
    downtime_minutes,
    path_availability,
    paths_availability,
)
from corridor.routing import Path, constraints, make_path

__all__ = [
    "ASIA_REGIONS",
    "CANDIDATE_KINDS",
    "DEFAULT_STATUS",
    "EUROPE_REGIONS",
    "TIER_AVAILABILITY",
    "Assignment",
    "CandidateScore",
    "Placement",
    "PlacementProblem",
    "PlacementResult",
    "SideStats",
    "default_candidates",
    "default_demand",
    "node_availability",
    "place",
    "placement_problem",
    "read_demand",
]

#: Site kinds that are default candidates.
CANDIDATE_KINDS = ("city", "datacenter", "ixp")
#: Regions of the default European demand.
EUROPE_REGIONS = ("europe",)
#: Regions of the default East Asian demand.
ASIA_REGIONS = ("china", "east_asia")
#: Node availability of Uptime Institute tiers (Tier Standard: Topology): Tier IV 99.995 %
#: (about 26.3 min/yr), Tier III 99.982 % (about 94.7 min/yr).
TIER_AVAILABILITY = {"IV": 0.99995, "III": 0.99982}


def _side(region: str) -> str:
    if region in EUROPE_REGIONS:
        return "europe"
    if region in ASIA_REGIONS:
        return "asia"
    return region or "other"


def node_availability(tier: str | float) -> float:
    """Availability of a node: ``"IV"``, ``"III"`` or a fraction in (0, 1].

    Raises
    ------
    RequestError
        For anything else.
    """
    if isinstance(tier, str):
        key = tier.strip().upper().removeprefix("TIER").strip()
        if key in TIER_AVAILABILITY:
            return TIER_AVAILABILITY[key]
        try:
            value = float(tier)
        except ValueError:
            msg = f"unknown tier {tier!r}; use IV, III or an availability fraction like 0.9999"
            raise RequestError(msg) from None
    else:
        value = float(tier)
    if not (0.0 < value <= 1.0):
        msg = f"node availability must be a fraction in (0, 1], got {tier!r}"
        raise RequestError(msg)
    return value


def default_candidates(
    net: Network, country: str = "KZ", *, kinds: Collection[str] = CANDIDATE_KINDS
) -> list[str]:
    """Site ids of kind city, data center or exchange point in ``country`` (code or name)."""
    code = net.resolve_country(country)
    sites = net.sites
    rows = sites[(sites["country"] == code) & sites["kind"].isin(list(kinds))]
    return rows["id"].tolist()


def default_demand(net: Network) -> dict[str, float]:
    """Every city of region ``europe`` and of regions ``china`` and ``east_asia``, weight 1."""
    sites = net.sites
    rows = sites[(sites["kind"] == "city") & sites["region"].isin([*EUROPE_REGIONS, *ASIA_REGIONS])]
    return {str(s): 1.0 for s in rows["id"]}


def read_demand(path: str | os.PathLike[str], net: Network | None = None) -> dict[str, float]:
    """Read a demand CSV with columns ``site`` (id or name) and ``weight`` (positive number).

    Raises
    ------
    DataError
        For a missing file, missing columns, a bad weight or a duplicate site (naming the file
        and the line).
    UnknownSiteError
        For a site the network does not know (with ``net``), naming the file and the line.
    """
    where = str(path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip() for f in reader.fieldnames or []]
            if "site" not in fields or "weight" not in fields:
                msg = f"{where}: demand CSV needs columns 'site' and 'weight', got {fields}"
                raise DataError(msg)
            out: dict[str, float] = {}
            for line, row in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                name = row["site"]
                try:
                    weight = float(row["weight"])
                except ValueError:
                    weight = math.nan
                if not (math.isfinite(weight) and weight > 0):
                    got = row["weight"]
                    msg = f"{where} line {line}: weight must be a positive number, got {got!r}"
                    raise DataError(msg)
                site = name
                if net is not None:
                    try:
                        site = net.resolve_site(name)
                    except UnknownSiteError as exc:
                        msg = f"{where} line {line}: {exc}"
                        raise UnknownSiteError(msg) from None
                if site in out:
                    msg = f"{where} line {line}: site {site!r} appears twice"
                    raise DataError(msg)
                out[site] = weight
    except OSError as exc:
        msg = f"{where}: cannot read demand file: {exc.strerror or exc}"
        raise DataError(msg) from None
    if not out:
        msg = f"{where}: demand CSV has no rows"
        raise DataError(msg)
    return out


# -- the problem -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PlacementProblem:
    """The demand x candidate matrices of a placement question.

    Attributes
    ----------
    demand, weights, sides
        Demand site ids, their weights and sides (``"europe"``, ``"asia"`` or the region).
    candidates
        Candidate site ids (after the policy's node exclusions).
    rtt
        ``(D, C)`` round trip of the fastest allowed path, ms; ``inf`` when unreachable.
    feasible
        ``(D, C)`` whether ``d`` may be served by ``c``: reachable, with a disjoint pair within
        the SLA under dual homing, and (median and center objectives) within the SLA.
    covered
        ``(D, C)`` served within the SLA (reachable, dual-homed when asked, RTT <= SLA).
    backup_rtt
        ``(D, C)`` RTT of the slower path of the disjoint pair (dual homing), else NaN.
    excluded
        Candidates dropped by the policy, with the reason.
    """

    net: Network
    demand: tuple[str, ...]
    weights: np.ndarray
    sides: tuple[str, ...]
    candidates: tuple[str, ...]
    rtt: np.ndarray
    feasible: np.ndarray
    covered: np.ndarray
    backup_rtt: np.ndarray
    objective: str
    sla_rtt_ms: float | None
    dual_homing: str | None
    status: str | Collection[str]
    policy: Policy
    excluded: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    _paths: dict[tuple[int, int], np.ndarray] = field(default_factory=dict, repr=False)
    _pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False
    )
    _masks: dict[str | None, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False
    )
    _group: tuple[str | None, ...] = ()

    @property
    def cost(self) -> np.ndarray:
        """Cost matrix for the solvers: RTT where feasible, ``inf`` elsewhere."""
        return np.where(self.feasible, self.rtt, np.inf)

    def path(self, d: int, c: int) -> Path:
        """The fastest allowed path from demand ``d`` to candidate ``c`` (indices)."""
        s = self.net.site_index(self.demand[d])
        arcs = self._paths.get((d, c), np.empty(0, dtype=np.int64))
        return make_path(self.net, s, arcs)

    def pair(self, d: int, c: int) -> tuple[Path, Path] | None:
        """The disjoint pair of demand ``d`` and candidate ``c`` (dual homing), if any."""
        if (d, c) not in self._pairs:
            return None
        s = self.net.site_index(self.demand[d])
        a, b = self._pairs[(d, c)]
        return make_path(self.net, s, a), make_path(self.net, s, b)


def _resolve(net: Network, items: Iterable[str], what: str) -> list[str]:
    out = []
    for item in items:
        try:
            out.append(net.resolve_site(item))
        except UnknownSiteError as exc:
            msg = f"unknown {what} site: {exc}"
            raise UnknownSiteError(msg) from None
    return list(dict.fromkeys(out))


def placement_problem(
    net: Network,
    *,
    candidates: Iterable[str] | None = None,
    country: str | None = "KZ",
    demand: Mapping[str, float] | Iterable[str] | None = None,
    objective: str = "median",
    sla_rtt_ms: float | None = None,
    dual_homing: str | None = None,
    policy: Policy | None = None,
    status: str | Collection[str] = DEFAULT_STATUS,
    avoid: str | Iterable[str] | None = None,
    drop_unserved: bool = False,
    time_limit: float = 10.0,
) -> PlacementProblem:
    """Build the demand x candidate matrices (see :func:`place` for the parameters).

    The RTT matrix comes from one :func:`~corridor._kernels.dijkstra.dijkstra_many` call per
    group of demand sites sharing the same masks (one call without a policy; one more per
    excluded country that holds demand sites, because of the endpoint exception).
    """
    if objective not in OBJECTIVES:
        msg = f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}"
        raise RequestError(msg)
    if dual_homing is not None and dual_homing not in DUAL_MODES:
        msg = f"unknown dual-homing mode {dual_homing!r}; use one of {', '.join(DUAL_MODES)}"
        raise RequestError(msg)
    if sla_rtt_ms is not None and not (sla_rtt_ms > 0 and math.isfinite(sla_rtt_ms)):
        msg = f"the SLA must be a positive number of ms round trip, got {sla_rtt_ms!r}"
        raise RequestError(msg)
    if objective == "coverage" and sla_rtt_ms is None:
        msg = "the coverage objective needs an SLA (sla_rtt_ms / --sla-rtt)"
        raise RequestError(msg)
    policy = policy or Policy()
    check_codes(policy, set(net.country_names) | set(net.sites["country"]))
    # demand
    if demand is None:
        dem = default_demand(net)
    elif isinstance(demand, Mapping):
        dem = {}
        for site, w in demand.items():
            (sid,) = _resolve(net, [site], "demand")
            if not (isinstance(w, (int, float)) and math.isfinite(w) and w > 0):
                msg = f"demand weight of {sid!r} must be a positive number, got {w!r}"
                raise RequestError(msg)
            dem[sid] = float(w)
    else:
        dem = {s: 1.0 for s in _resolve(net, demand, "demand")}
    if not dem:
        msg = "no demand sites"
        raise RequestError(msg)
    # candidates
    if candidates is not None:
        cands = _resolve(net, candidates, "candidate")
        origin = "the candidate list"
    else:
        if country is None:
            msg = "give candidate sites or a country to take them from"
            raise RequestError(msg)
        cands = default_candidates(net, country)
        origin = f"country {net.resolve_country(country)}"
    if not cands:
        msg = f"no candidate sites in {origin} (kinds {', '.join(CANDIDATE_KINDS)})"
        raise ConstraintError(msg)
    site_country = net.lookup.site_country
    excluded: dict[str, str] = {}
    for cand in cands:
        code = site_country[net.site_index(cand)]
        if code in policy.no_transit:
            excluded[cand] = f"{policy.where}: no_transit includes {code}"
        elif code in policy.no_node:
            excluded[cand] = f"{policy.where}: no_node includes {code}"
    kept = [c for c in cands if c not in excluded]
    if not kept:
        codes = sorted({site_country[net.site_index(c)] for c in cands})
        msg = (
            f"{policy.where} leaves no feasible node: every candidate of {origin} lies in "
            f"{', '.join(codes)} (excluded by no_node/no_transit)"
        )
        raise ConstraintError(msg)
    # masks
    base = constraints(net, status=status, avoid=avoid)
    base_arc, base_node = base.arc_mask(net), base.node_mask(net)
    link_countries = [set(c) for c in net.links["countries"]]
    dem_ids = list(dem)
    groups: list[str | None] = []
    for s in dem_ids:
        code = site_country[net.site_index(s)]
        groups.append(code if code in policy.no_transit else None)
    masks: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}
    for key in dict.fromkeys(groups):
        banned = policy.no_transit - {key} if key else policy.no_transit
        arc_ok, node_ok = base_arc, base_node
        if banned:
            link_bad = np.array([bool(banned & cs) for cs in link_countries], dtype=bool)
            arc_ok = base_arc & ~link_bad[net.arc_link]
            node_ok = base_node & ~net.sites["country"].isin(banned).to_numpy()
        masks[key] = (np.ascontiguousarray(arc_ok), np.ascontiguousarray(node_ok))
    nd, nc = len(dem_ids), len(kept)
    cand_idx = np.array([net.site_index(c) for c in kept], dtype=np.int64)
    rtt = np.full((nd, nc), np.inf)
    paths: dict[tuple[int, int], np.ndarray] = {}
    for key, (arc_ok, node_ok) in masks.items():
        rows = [i for i, g in enumerate(groups) if g == key]
        src = np.repeat([net.site_index(dem_ids[i]) for i in rows], nc).astype(np.int64)
        dst = np.tile(cand_idx, len(rows))
        dist, offsets, arcs = dijkstra_many(
            net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok
        )
        one_way = np.where(src == dst, 0.0, dist - net.site_delay[dst])
        block = (2.0 * one_way).reshape(len(rows), nc)
        rtt[rows] = np.where(np.isfinite(dist).reshape(len(rows), nc), block, np.inf)
        for q in range(src.size):
            if offsets[q + 1] > offsets[q]:
                paths[(rows[q // nc], q % nc)] = arcs[offsets[q] : offsets[q + 1]]
    reachable = np.isfinite(rtt)
    sla = sla_rtt_ms if sla_rtt_ms is not None else math.inf
    tol = 1e-9 * max(1.0, sla if math.isfinite(sla) else 1.0)
    within = reachable & (rtt <= sla + tol)
    backup = np.full((nd, nc), np.nan)
    pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    dual_ok = reachable.copy()
    if dual_homing is not None:
        for d in range(nd):
            arc_ok, node_ok = masks[groups[d]]
            si = net.site_index(dem_ids[d])
            for c in range(nc):
                t = int(cand_idx[c])
                dual_ok[d, c] = False
                if not within[d, c] or si == t:
                    dual_ok[d, c] = bool(within[d, c] and si == t)
                    if si == t and within[d, c]:
                        backup[d, c] = 0.0
                    continue
                cap = sla / 2.0 + float(net.site_delay[t]) if math.isfinite(sla) else math.inf
                found = disjoint_within(
                    net, arc_ok, node_ok, si, t, mode=dual_homing, cap=cap, time_limit=time_limit
                )
                if found.feasible:
                    dual_ok[d, c] = True
                    pairs[(d, c)] = (found.paths[0], found.paths[1])
                    backup[d, c] = 2.0 * (max(found.costs) - float(net.site_delay[t]))
    covered = within & dual_ok
    feasible = dual_ok & (within if objective != "coverage" else reachable)
    notes = []
    unreachable = [kept[c] for c in range(nc) if not reachable[:, c].any()]
    for site in unreachable:
        row = net.sites.iloc[net.site_index(site)]
        why = (
            " (a planned site: include planned links with status 'planned')"
            if (row["status"] == "planned")
            else ""
        )
        notes.append(f"candidate {site} is unreachable from every demand site{why}")
    problem = PlacementProblem(
        net=net,
        demand=tuple(dem_ids),
        weights=np.array([dem[s] for s in dem_ids], dtype=float),
        sides=tuple(_side(str(net.sites["region"].iat[net.site_index(s)])) for s in dem_ids),
        candidates=tuple(kept),
        rtt=rtt,
        feasible=feasible,
        covered=covered,
        backup_rtt=backup,
        objective=objective,
        sla_rtt_ms=sla_rtt_ms,
        dual_homing=dual_homing,
        status=status,
        policy=policy,
        excluded=excluded,
        notes=tuple(notes),
        _paths=paths,
        _pairs=pairs,
        _masks=masks,
        _group=tuple(groups),
    )
    if drop_unserved and objective != "coverage":
        keep = problem.feasible.any(axis=1)
        if keep.any() and not keep.all():
            gone = [problem.demand[i] for i in np.flatnonzero(~keep)]
            kept_rows = np.flatnonzero(keep)
            remap = {int(old): new for new, old in enumerate(kept_rows)}
            problem = replace(
                problem,
                demand=tuple(problem.demand[i] for i in kept_rows),
                weights=problem.weights[kept_rows],
                sides=tuple(problem.sides[i] for i in kept_rows),
                rtt=problem.rtt[kept_rows],
                feasible=problem.feasible[kept_rows],
                covered=problem.covered[kept_rows],
                backup_rtt=problem.backup_rtt[kept_rows],
                notes=(
                    *problem.notes,
                    f"dropped demand site(s) no candidate can serve under "
                    f"the constraints: {', '.join(gone)}",
                ),
                _paths={(remap[d], c): a for (d, c), a in paths.items() if d in remap},
                _pairs={(remap[d], c): a for (d, c), a in pairs.items() if d in remap},
                _group=tuple(groups[i] for i in kept_rows),
            )
    _check_served(problem, base_arc, base_node)
    return problem


def _check_served(problem: PlacementProblem, base_arc: np.ndarray, base_node: np.ndarray) -> None:
    """Raise, naming the constraint, when some demand site has no feasible candidate."""
    if problem.objective == "coverage":
        if not problem.covered.any():
            msg = (
                f"no candidate serves any demand site within the SLA of "
                f"{problem.sla_rtt_ms:g} ms RTT{_dual_text(problem)}; the best RTT is "
                f"{_best_rtt(problem)}"
            )
            raise InfeasiblePlacementError(msg)
        return
    bad = np.flatnonzero(~problem.feasible.any(axis=1))
    if not bad.size:
        return
    names = [problem.demand[i] for i in bad]
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    reach = np.isfinite(problem.rtt[bad]).any(axis=1)
    if not reach.all():
        net = problem.net
        lost = [problem.demand[i] for i, r in zip(bad, reach, strict=True) if not r]
        src = np.array([net.site_index(s) for s in lost], dtype=np.int64)
        cand = np.array([net.site_index(c) for c in problem.candidates], dtype=np.int64)
        dist, _, _ = dijkstra_many(
            net.indptr,
            net.head,
            net.weight,
            np.repeat(src, cand.size),
            np.tile(cand, src.size),
            base_arc,
            base_node,
        )
        status = problem.status if isinstance(problem.status, str) else "+".join(problem.status)
        if np.isfinite(dist).any() and problem.policy.no_transit:
            why = (
                f"once {problem.policy.where} forbids transit through "
                f"{', '.join(sorted(problem.policy.no_transit))}"
            )
        else:
            why = f"with links of status {status!r} and the avoided items"
        msg = f"no candidate is reachable from demand site(s) {', '.join(lost[:5])} {why}"
        raise InfeasiblePlacementError(msg)
    best = np.where(np.isfinite(problem.rtt[bad]), problem.rtt[bad], np.inf).min(axis=1)
    sla = problem.sla_rtt_ms if problem.sla_rtt_ms is not None else math.inf
    if problem.dual_homing and best.max() <= sla:
        where = f" under {problem.policy.where}" if problem.policy.no_transit else ""
        within = f" within {sla:g} ms RTT" if math.isfinite(sla) else ""
        msg = (
            f"dual homing: no two {problem.dual_homing}-disjoint paths{within} from demand "
            f"site(s) {listed} to any candidate{where} (use drop_unserved / --drop-unserved "
            "to leave them out)"
        )
    elif problem.sla_rtt_ms is not None:
        msg = (
            f"the SLA of {problem.sla_rtt_ms:g} ms RTT{_dual_text(problem)} leaves demand "
            f"site(s) {listed} without a node (their fastest candidate needs "
            f"{best.max():.1f} ms RTT)"
        )
    else:  # pragma: no cover - dual homing without an SLA is handled above
        msg = f"no candidate can serve demand site(s) {listed}"
    raise InfeasiblePlacementError(msg)


def _dual_text(problem: PlacementProblem) -> str:
    return f" over two {problem.dual_homing}-disjoint paths" if problem.dual_homing else ""


def _best_rtt(problem: PlacementProblem) -> str:
    finite = problem.rtt[np.isfinite(problem.rtt)]
    return f"{finite.min():.1f} ms" if finite.size else "unreachable"


# -- results -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SideStats:
    """Weighted mean and worst RTT of one side (``europe``, ``asia``, ...) of the demand."""

    side: str
    sites: int
    weight: float
    mean_rtt_ms: float
    worst_rtt_ms: float
    worst_site: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "side": self.side,
            "sites": self.sites,
            "weight": self.weight,
            "mean_rtt_ms": _r(self.mean_rtt_ms),
            "worst_rtt_ms": _r(self.worst_rtt_ms),
            "worst_site": self.worst_site,
        }


def _r(x: float, nd: int = 3) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(x) else None


def _side_stats(
    sides: Sequence[str], demand: Sequence[str], weights: np.ndarray, rtt: np.ndarray
) -> dict[str, SideStats]:
    out = {}
    for side in dict.fromkeys(sides):
        idx = np.array([i for i, s in enumerate(sides) if s == side])
        r, w = rtt[idx], weights[idx]
        ok = np.isfinite(r)
        mean = float((r[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else math.inf
        worst_i = int(idx[np.argmax(np.where(ok, r, np.inf))])
        out[side] = SideStats(
            side, int(idx.size), float(w.sum()), mean, float(rtt[worst_i]), demand[worst_i]
        )
    return out


@dataclass(frozen=True)
class CandidateScore:
    """One candidate node on its own (p = 1)."""

    rank: int
    site: str
    name: str
    kind: str
    status: str
    mean_rtt_ms: float
    worst_rtt_ms: float
    served_share: float
    covered_share: float | None
    sides: dict[str, SideStats]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "rank": self.rank,
            "site": self.site,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "mean_rtt_ms": _r(self.mean_rtt_ms),
            "worst_rtt_ms": _r(self.worst_rtt_ms),
            "served_share": round(self.served_share, 6),
            "covered_share": None if self.covered_share is None else round(self.covered_share, 6),
            "sides": {k: v.to_dict() for k, v in self.sides.items()},
        }


@dataclass(frozen=True)
class Assignment:
    """One demand site served by its node."""

    demand: str
    side: str
    weight: float
    node: str
    rtt_ms: float
    backup_rtt_ms: float | None
    within_sla: bool | None
    countries: tuple[str, ...]
    path_availability: float
    node_availability: float
    path: Path | None = field(default=None, repr=False)
    backup: Path | None = field(default=None, repr=False)

    @property
    def availability(self) -> float:
        """End to end: the path (or protected pair) and the node, in series."""
        return self.path_availability * self.node_availability

    @property
    def downtime_min(self) -> float:
        """Expected end-to-end downtime, minutes per year."""
        return downtime_minutes(self.availability)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "demand": self.demand,
            "side": self.side,
            "weight": self.weight,
            "node": self.node,
            "rtt_ms": _r(self.rtt_ms),
            "backup_rtt_ms": _r(self.backup_rtt_ms) if self.backup_rtt_ms is not None else None,
            "within_sla": self.within_sla,
            "countries": list(self.countries),
            "path_availability": self.path_availability,
            "node_availability": self.node_availability,
            "availability": self.availability,
            "downtime_min_per_year": round(self.downtime_min, 3),
        }


@dataclass(frozen=True)
class Placement:
    """The chosen node set for one ``p``."""

    p: int
    nodes: tuple[str, ...]
    objective: str
    value: float
    mean_rtt_ms: float
    worst_rtt_ms: float
    covered_share: float | None
    sides: dict[str, SideStats]
    assignments: tuple[Assignment, ...]
    method: str
    optimal: bool
    seconds: float
    gain: float | None = None

    @property
    def mean_availability(self) -> float:
        """Demand-weighted mean end-to-end availability."""
        w = np.array([a.weight for a in self.assignments])
        av = np.array([a.availability for a in self.assignments])
        return float((w * av).sum() / w.sum())

    @property
    def worst_availability(self) -> float:
        """Lowest end-to-end availability of any demand site."""
        return min(a.availability for a in self.assignments)

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country some demand site's traffic crosses."""
        return tuple(sorted({c for a in self.assignments for c in a.countries}))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "p": self.p,
            "nodes": list(self.nodes),
            "objective": self.objective,
            "value": _r(self.value, 6),
            "gain": _r(self.gain, 6) if self.gain is not None else None,
            "mean_rtt_ms": _r(self.mean_rtt_ms),
            "worst_rtt_ms": _r(self.worst_rtt_ms),
            "covered_share": None if self.covered_share is None else round(self.covered_share, 6),
            "sides": {k: v.to_dict() for k, v in self.sides.items()},
            "mean_availability": self.mean_availability,
            "worst_availability": self.worst_availability,
            "mean_downtime_min_per_year": round(downtime_minutes(self.mean_availability), 3),
            "worst_downtime_min_per_year": round(downtime_minutes(self.worst_availability), 3),
            "countries": list(self.countries),
            "method": self.method,
            "optimal": self.optimal,
            "seconds": round(self.seconds, 4),
            "assignments": [a.to_dict() for a in self.assignments],
        }


@dataclass(frozen=True)
class PlacementResult:
    """Everything :func:`place` found: the ranking, a placement per ``p``, the settings."""

    problem: PlacementProblem
    ranking: tuple[CandidateScore, ...]
    placements: tuple[Placement, ...]
    node_availability: float
    model: AvailabilityModel
    notes: tuple[str, ...] = ()

    @property
    def best(self) -> Placement:
        """The placement of the largest ``p``."""
        return self.placements[-1]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        pr = self.problem
        return {
            "objective": pr.objective,
            "sla_rtt_ms": pr.sla_rtt_ms,
            "dual_homing": pr.dual_homing,
            "status": pr.status if isinstance(pr.status, str) else sorted(pr.status),
            "policy": pr.policy.to_dict(),
            "node_availability": self.node_availability,
            "candidates": list(pr.candidates),
            "excluded_candidates": dict(pr.excluded),
            "demand": [
                {"site": s, "weight": float(w), "side": side}
                for s, w, side in zip(pr.demand, pr.weights, pr.sides, strict=True)
            ],
            "ranking": [c.to_dict() for c in self.ranking],
            "placements": [p.to_dict() for p in self.placements],
            "availability_model": self.model.to_dict(),
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per (p, demand site): the assignment table written by :meth:`write_csv`."""
        rows = []
        for pl in self.placements:
            for a in pl.assignments:
                rows.append(
                    {
                        "p": pl.p,
                        "nodes": ";".join(pl.nodes),
                        "demand": a.demand,
                        "side": a.side,
                        "weight": a.weight,
                        "node": a.node,
                        "rtt_ms": _r(a.rtt_ms),
                        "backup_rtt_ms": (
                            _r(a.backup_rtt_ms) if a.backup_rtt_ms is not None else None
                        ),
                        "within_sla": a.within_sla,
                        "countries": ">".join(a.countries),
                        "path_availability": a.path_availability,
                        "node_availability": a.node_availability,
                        "availability": a.availability,
                        "downtime_min_per_year": round(a.downtime_min, 3),
                    }
                )
        return pd.DataFrame(rows)

    def write_csv(self, path: str | os.PathLike[str]) -> FsPath:
        """Write :meth:`to_frame` atomically (temporary file in the same folder, then rename).

        Raises
        ------
        RequestError
            When the file cannot be written (naming it).
        """
        return write_csv_atomic(path, self.to_frame())


def _ranking(problem: PlacementProblem) -> tuple[CandidateScore, ...]:
    net = problem.net
    w = problem.weights
    scores = []
    for c, site in enumerate(problem.candidates):
        r = np.where(problem.feasible[:, c], problem.rtt[:, c], np.inf)
        ok = np.isfinite(r)
        mean = float((r[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else math.inf
        worst = float(r.max()) if ok.all() else math.inf
        cov = (
            float(w[problem.covered[:, c]].sum() / w.sum())
            if problem.sla_rtt_ms is not None
            else None
        )
        row = net.sites.iloc[net.site_index(site)]
        scores.append(
            (
                site,
                str(row["name"]),
                str(row["kind"]),
                str(row["status"]),
                mean,
                worst,
                float(w[ok].sum() / w.sum()),
                cov,
                _side_stats(problem.sides, problem.demand, w, r),
            )
        )

    def key(s: tuple) -> tuple:
        served, mean, worst, cov = -s[6], s[4], s[5], s[7]
        if problem.objective == "center":
            return (served, worst, mean, s[0])
        if problem.objective == "coverage":
            return (-(cov or 0.0), served, mean, s[0])
        return (served, mean, worst, s[0])

    scores.sort(key=key)
    return tuple(CandidateScore(i + 1, *s) for i, s in enumerate(scores))


def _placement(
    problem: PlacementProblem,
    sol: Solution,
    p: int,
    node_av: float,
    model: AvailabilityModel,
) -> Placement:
    net = problem.net
    cols = list(sol.chosen)
    cost = problem.cost if problem.objective != "coverage" else problem.rtt
    w = problem.weights
    assignments = []
    rtts = np.empty(len(problem.demand))
    for d, site in enumerate(problem.demand):
        sub = cost[d, cols]
        if problem.objective == "coverage":
            # covered demand goes to its nearest covering node, the rest to the nearest node
            cov = problem.covered[d, cols]
            sub = np.where(cov, sub, np.inf) if cov.any() else sub
        c = cols[int(np.argmin(sub))]
        rtt = float(problem.rtt[d, c])
        rtts[d] = rtt
        path = problem.path(d, c) if math.isfinite(rtt) else None
        pair = problem.pair(d, c)
        if pair is not None:
            path_av = paths_availability(net, list(pair), model=model)
        elif path is not None:
            path_av = path_availability(net, path, model=model) if path.links else 1.0
        else:
            path_av = 0.0
        backup = problem.backup_rtt[d, c]
        countries = path.countries if path is not None else ()
        if pair is not None:
            countries = tuple(dict.fromkeys([*countries, *pair[0].countries, *pair[1].countries]))
        assignments.append(
            Assignment(
                demand=site,
                side=problem.sides[d],
                weight=float(w[d]),
                node=problem.candidates[c],
                rtt_ms=rtt,
                backup_rtt_ms=float(backup) if math.isfinite(backup) else None,
                within_sla=bool(problem.covered[d, c]) if problem.sla_rtt_ms is not None else None,
                countries=countries,
                path_availability=float(path_av),
                node_availability=node_av,
                path=path,
                backup=pair[1] if pair is not None else None,
            )
        )
    ok = np.isfinite(rtts)
    mean = float((rtts[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else math.inf
    worst = float(rtts.max())
    covered = None
    if problem.sla_rtt_ms is not None:
        covered = float(w[problem.covered[:, cols].any(axis=1)].sum() / w.sum())
    value = {"median": mean, "center": worst}.get(problem.objective, covered or 0.0)
    return Placement(
        p=p,
        nodes=tuple(problem.candidates[c] for c in cols),
        objective=problem.objective,
        value=float(value),
        mean_rtt_ms=mean,
        worst_rtt_ms=worst,
        covered_share=covered,
        sides=_side_stats(problem.sides, problem.demand, w, rtts),
        assignments=tuple(assignments),
        method=sol.method,
        optimal=sol.optimal,
        seconds=sol.seconds,
    )


def place(
    net: Network,
    *,
    p: int = 1,
    objective: str = "median",
    candidates: Iterable[str] | None = None,
    country: str | None = "KZ",
    demand: Mapping[str, float] | Iterable[str] | None = None,
    sla_rtt_ms: float | None = None,
    dual_homing: str | None = None,
    tier: str | float = "IV",
    policy: Policy | None = None,
    status: str | Collection[str] = DEFAULT_STATUS,
    avoid: str | Iterable[str] | None = None,
    drop_unserved: bool = False,
    method: str = "auto",
    availability_model: AvailabilityModel | None = None,
    time_limit: float = 60.0,
) -> PlacementResult:
    """Where to put ``1..p`` nodes so that the demand reaches one fast, resiliently, lawfully.

    Parameters
    ----------
    net
        The network.
    p
        Largest number of nodes; a placement is solved for every ``k = 1..p``.
    objective
        ``"median"``: minimise the demand-weighted mean RTT to the nearest node;
        ``"center"``: minimise the worst RTT (ties: the mean); ``"coverage"``: maximise the
        demand weight within ``sla_rtt_ms`` (ties: the mean RTT).
    candidates
        Candidate site ids or names; default: every site of kind city, data center or exchange
        point in ``country``.
    country
        Country (code or name) of the default candidates.
    demand
        ``{site: weight}`` or an iterable of sites (weight 1); default: every city of region
        ``europe`` and of regions ``china`` + ``east_asia``, weight 1 each (:func:`default_demand`).
        Use :func:`read_demand` for a CSV.
    sla_rtt_ms
        Round-trip SLA. With ``median``/``center`` a hard limit on every assignment; with
        ``coverage`` the coverage radius. With ``dual_homing`` both paths must meet it.
    dual_homing
        ``"link"`` or ``"srlg"``: a demand site may only be served by a node it reaches over
        two link- (SRLG-) disjoint paths (within the SLA if given); availability is then that
        of the protected pair.
    tier
        Node availability: ``"IV"`` (99.995 %), ``"III"`` (99.982 %) or a fraction.
    policy
        A :class:`~corridor.placement.policy.Policy` (:func:`~corridor.placement.load_policy`):
        transit and node exclusions, with the endpoint exception documented there.
    status
        Link statuses used (default ``"planned"``: existing and planned, so the planned Akashi
        data center counts; ``"existing"`` leaves it unreachable).
    avoid
        Extra items to avoid (as in :func:`corridor.routing.constraints`).
    drop_unserved
        Leave out (with a note) demand sites that no candidate can serve under the constraints
        instead of raising (median and center objectives; coverage simply counts them as
        not covered).
    method
        ``"auto"`` (MILP up to :data:`~corridor.placement.solvers.MILP_MAX_ENTRIES` entries,
        else heuristic), ``"milp"``, ``"heuristic"`` or ``"brute"``.
    availability_model
        Failure and repair parameters of links and sites (default
        :class:`~corridor.resilience.AvailabilityModel`).
    time_limit
        Seconds per MILP solve.

    Returns
    -------
    PlacementResult

    Raises
    ------
    UnknownSiteError
        For unknown candidate or demand sites.
    RequestError
        For ``p`` larger than the number of candidates, bad options.
    ConstraintError
        When the policy (or the country) leaves no candidate node.
    PolicyError
        For policy codes the network does not know.
    InfeasiblePlacementError
        When a demand site reaches no candidate (naming the constraint: status, policy, SLA,
        dual homing), or no set of ``p`` nodes serves every demand site.
    """
    if not isinstance(p, int) or isinstance(p, bool) or p < 1:
        msg = f"p must be a positive integer, got {p!r}"
        raise RequestError(msg)
    node_av = node_availability(tier)
    model = availability_model or AvailabilityModel()
    problem = placement_problem(
        net,
        candidates=candidates,
        country=country,
        demand=demand,
        objective=objective,
        sla_rtt_ms=sla_rtt_ms,
        dual_homing=dual_homing,
        policy=policy,
        status=status,
        avoid=avoid,
        drop_unserved=drop_unserved,
        time_limit=min(time_limit, 10.0),
    )
    nc = len(problem.candidates)
    if p > nc:
        dropped = f" ({len(problem.excluded)} excluded by the policy)" if problem.excluded else ""
        msg = f"p = {p} is larger than the number of candidates, {nc}{dropped}"
        raise RequestError(msg)
    cost = problem.cost
    cover = None
    if objective == "coverage":
        finite = problem.rtt[np.isfinite(problem.rtt)]
        penalty = 10.0 * (float(finite.max()) if finite.size else 1.0) + 1.0
        cost = np.where(np.isfinite(problem.rtt), problem.rtt, penalty)
        cover = problem.covered
    placements: list[Placement] = []
    for k in range(1, p + 1):
        sol = solve_matrix(
            cost,
            problem.weights,
            k,
            objective=objective,
            cover=cover,
            method=method,
            time_limit=time_limit,
        )
        pl = _placement(problem, sol, k, node_av, model)
        if placements:
            prev = placements[-1].value
            gain = pl.value - prev if objective == "coverage" else prev - pl.value
            pl = replace(pl, gain=gain)
        placements.append(pl)
    notes = list(problem.notes)
    notes += [f"candidate {c} excluded: {why}" for c, why in problem.excluded.items()]
    return PlacementResult(
        problem=problem,
        ranking=_ranking(problem),
        placements=tuple(placements),
        node_availability=node_av,
        model=model,
        notes=tuple(notes),
    )
