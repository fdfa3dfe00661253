"""Placement of a node set on a network: solving for p = 1..P and assembling the result."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

import numpy as np

from corridor._errors import RequestError
from corridor.network import Network
from corridor.placement._names import DEFAULT_STATUS
from corridor.placement.policy import Policy
from corridor.placement.problem import PlacementProblem, node_availability, placement_problem
from corridor.placement.result import (
    Assignment,
    CandidateScore,
    Placement,
    PlacementResult,
    side_stats,
)
from corridor.placement.solvers import (
    InfeasiblePlacementError,
    Solution,
    solve_matrix,
)
from corridor.resilience.availability import (
    AvailabilityModel,
    path_availability,
    paths_availability,
)

__all__ = [
    "place",
]


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
                side_stats(problem.sides, problem.demand, w, r),
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
        sides=side_stats(problem.sides, problem.demand, w, rtts),
        assignments=tuple(assignments),
        method=sol.method,
        optimal=sol.optimal and not problem.undecided,
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
        Largest number of nodes; a placement is solved for every ``k = 1..p``. A smaller ``k``
        that no set of ``k`` nodes can serve is left out of ``placements`` with a note saying
        why (e.g. an SLA that needs a node on each side); only ``p`` itself being infeasible
        raises.
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
        dual homing), or no set of ``p`` nodes serves every demand site (smaller ``k`` that
        are infeasible are noted, not raised).
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
    skipped: list[str] = []
    for k in range(1, p + 1):
        try:
            sol = solve_matrix(
                cost,
                problem.weights,
                k,
                objective=objective,
                cover=cover,
                method=method,
                time_limit=time_limit,
            )
        except InfeasiblePlacementError as exc:
            if k == p:  # the largest p asked for is infeasible: that is the answer
                raise
            skipped.append(f"p = {k}: {exc}")  # a smaller p may need more nodes than it has
            continue
        pl = _placement(problem, sol, k, node_av, model)
        if placements and placements[-1].p == k - 1:
            prev = placements[-1].value
            gain = pl.value - prev if objective == "coverage" else prev - pl.value
            pl = replace(pl, gain=gain)
        placements.append(pl)
    notes = list(problem.notes) + skipped
    notes += [f"candidate {c} excluded: {why}" for c, why in problem.excluded.items()]
    return PlacementResult(
        problem=problem,
        ranking=_ranking(problem),
        placements=tuple(placements),
        node_availability=node_av,
        model=model,
        notes=tuple(notes),
    )
