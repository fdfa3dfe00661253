"""The placement problem: candidates, demand, tiers and the RTT matrices a solver takes."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from corridor._errors import ConstraintError, DataError, RequestError, UnknownSiteError
from corridor._kernels.dijkstra import dijkstra_many
from corridor.network import Network
from corridor.placement._names import DEFAULT_STATUS
from corridor.placement.dual import DUAL_MODES, disjoint_within
from corridor.placement.policy import Policy, check_codes
from corridor.placement.solvers import (
    OBJECTIVES,
    InfeasiblePlacementError,
)
from corridor.resilience._kernel import path_figures
from corridor.routing import Path, constraints, make_path
from corridor.routing.paths import arc_figures

__all__ = [
    "ASIA_REGIONS",
    "CANDIDATE_KINDS",
    "EUROPE_REGIONS",
    "TIER_AVAILABILITY",
    "PlacementProblem",
    "default_candidates",
    "default_demand",
    "node_availability",
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
    undecided
        Demand x candidate entries whose dual-homing check hit its time limit (counted as not
        dual-homed); a placement on such a problem is never reported optimal.
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
    undecided: int = 0
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
    excluded country that holds demand sites, because of the endpoint exception). Its entries
    are the expected RTT ``corridor route`` shows for the same pair: the path of least arc
    weight with the handoff delay of each change of system along it added (so the objective and
    the SLA test use the figure shown). The dual-homing backups stay on the arc weights.
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
    arc_code, arc_excess = arc_figures(net)
    for key, (arc_ok, node_ok) in masks.items():
        rows = [i for i, g in enumerate(groups) if g == key]
        src = np.repeat([net.site_index(dem_ids[i]) for i in rows], nc).astype(np.int64)
        dst = np.tile(cand_idx, len(rows))
        dist, offsets, arcs = dijkstra_many(
            net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok
        )
        # route's expected figure: the handoffs of the path found added to its arc weights
        dist, _ = path_figures(dist, offsets, arcs, arc_code, arc_excess, net.model.handoff_ms)
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
    undecided = 0
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
                undecided += not found.decided
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
    if undecided:
        notes.append(
            f"{undecided} dual-homing check(s) hit the {time_limit:g} s time limit and count as "
            "not dual-homed: no placement on this problem is proven optimal"
        )
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
        undecided=undecided,
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
