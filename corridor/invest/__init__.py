"""Investment comparison: which funded link buys the most latency and resilience per euro.

:func:`analyze` evaluates every candidate (a link, or a multi-segment system funded as one
group) alone against the base network (the ``existing`` links), ranks them by benefit per EUR
million, builds the best portfolio within a budget (greedy with re-evaluation, and an exact
branch and bound over the strongest candidates, with the greedy-vs-optimum gap), the
cost-benefit Pareto front, and a sensitivity analysis (SLA, demand weighting, capex low/high).
Definitions of every metric and of the benefit score: :mod:`corridor.invest.metrics`; single
candidates and ranking: :mod:`corridor.invest.evaluate`; portfolios and the Pareto front:
:mod:`corridor.invest.portfolio`; backups (link- or SRLG-disjoint) and protected availability:
:mod:`corridor.invest.protection`; candidates, groups and capex ranges:
:mod:`corridor.invest.candidates`; candidate files: :mod:`corridor.invest.candidate_files`;
demand: :mod:`corridor.invest.demand`; outputs (table rows, CSV, HTML report, map):
:mod:`corridor.invest.report`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridor._errors import RequestError
from corridor.invest.candidate_files import GC_ROUTE_FACTOR, read_candidates
from corridor.invest.candidates import CAPEX_RANGE, GROUP_KEYS, Candidate, candidate_network
from corridor.invest.demand import Demand, default_demand, read_demand
from corridor.invest.evaluate import CandidateResult, evaluate_singles, rank
from corridor.invest.metrics import (
    BenefitWeights,
    Context,
    PairMetrics,
    make_context,
    set_metrics,
    summary,
)
from corridor.invest.portfolio import Portfolio, exact, greedy, pareto_front, portfolio_of
from corridor.invest.protection import BACKUP_MODES
from corridor.network import Network
from corridor.resilience.availability import AvailabilityModel

__all__ = [
    "BACKUP_MODES",
    "CAPEX_RANGE",
    "GC_ROUTE_FACTOR",
    "GROUP_KEYS",
    "AvailabilityModel",
    "BenefitWeights",
    "Candidate",
    "CandidateResult",
    "Demand",
    "InvestResult",
    "PairMetrics",
    "Portfolio",
    "Sensitivity",
    "analyze",
    "candidate_network",
    "default_demand",
    "evaluate_singles",
    "exact",
    "greedy",
    "make_context",
    "pareto_front",
    "rank",
    "read_candidates",
    "read_demand",
    "sensitivity",
    "set_metrics",
]

DEMAND_WEIGHTINGS = ("equal", "distance", "inverse-distance")


@dataclass(frozen=True)
class Sensitivity:
    """Ranking stability under one variation of the assumptions."""

    name: str
    kendall_tau: float
    top_k_overlap: float
    top_k: tuple[str, ...]
    max_rank_change: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "name": self.name,
            "kendall_tau": None if math.isnan(self.kendall_tau) else round(self.kendall_tau, 4),
            "top_k_overlap": round(self.top_k_overlap, 4),
            "top_k": list(self.top_k),
            "max_rank_change": self.max_rank_change,
        }


@dataclass(frozen=True, eq=False)
class InvestResult:
    """Everything :func:`analyze` found."""

    context: Context
    ranking: tuple[CandidateResult, ...]
    base: dict[str, float]
    budget_eur_m: float | None
    greedy: Portfolio | None
    exact: Portfolio | None
    greedy_on_pool: Portfolio | None
    best: Portfolio | None
    pool: tuple[str, ...]
    pareto: tuple[tuple[float, float, tuple[str, ...]], ...]
    sensitivity: tuple[Sensitivity, ...]
    notes: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def helpful(self) -> tuple[CandidateResult, ...]:
        """Candidates with a positive benefit."""
        return tuple(r for r in self.ranking if r.score > 0)

    @property
    def greedy_gap(self) -> float | None:
        """Relative shortfall of greedy versus the exact optimum on the same pool."""
        if self.exact is None or self.greedy_on_pool is None or self.exact.score <= 0:
            return None
        return (self.exact.score - self.greedy_on_pool.score) / self.exact.score

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        ctx = self.context
        return {
            "demand": ctx.demand.description,
            "pairs": len(ctx.demand),
            "sla_rtt_ms": ctx.sla_rtt_ms,
            "focus_country": ctx.focus_country,
            "backup_mode": ctx.backup_mode,
            "availability_model": ctx.protect.model.to_dict(),
            "weights": ctx.weights.__dict__,
            "options": self.options,
            "base": {k: round(v, 6) if isinstance(v, float) else v for k, v in self.base.items()},
            "ranking": [{"rank": i + 1, **r.to_dict()} for i, r in enumerate(self.ranking)],
            "budget_eur_m": self.budget_eur_m,
            "portfolio": {
                "best": self.best.to_dict() if self.best else None,
                "greedy": self.greedy.to_dict() if self.greedy else None,
                "exact": self.exact.to_dict() if self.exact else None,
                "greedy_on_pool": self.greedy_on_pool.to_dict() if self.greedy_on_pool else None,
                "greedy_gap": None if self.greedy_gap is None else round(self.greedy_gap, 6),
                "pool": list(self.pool),
            },
            "pareto": [
                {"capex_eur_m": round(c, 3), "score": round(v, 6), "ids": list(ids)}
                for c, v, ids in self.pareto
            ],
            "sensitivity": [s.to_dict() for s in self.sensitivity],
            "notes": list(self.notes),
        }


def _weighted_demand(ctx: Context, how: str) -> Demand:
    if how not in DEMAND_WEIGHTINGS:
        msg = f"unknown demand weighting {how!r}; use one of {', '.join(DEMAND_WEIGHTINGS)}"
        raise RequestError(msg)
    from corridor.routing import great_circle_km

    d = ctx.demand
    if how == "equal":
        w = np.ones(len(d))
    else:
        km = np.array([great_circle_km(ctx.net, s, t) for s, t in d.pairs])
        w = km if how == "distance" else 1.0 / np.maximum(km, 1.0)
    w = w / w.sum()
    return Demand(d.pairs, w, f"{d.description} reweighted: {how}")


def _compare(name: str, base: Sequence[str], other: Sequence[str], k: int) -> Sensitivity:
    from scipy.stats import kendalltau

    pos = {c: i for i, c in enumerate(other)}
    a = np.arange(len(base))
    b = np.array([pos[c] for c in base])
    tau = float(kendalltau(a, b).statistic) if len(base) > 1 else math.nan
    top = set(base[:k])
    overlap = len(top & set(other[:k])) / max(1, min(k, len(base)))
    change = int(np.max(np.abs(a - b))) if len(base) else 0
    return Sensitivity(name, tau, overlap, tuple(other[:k]), change)


def sensitivity(
    ctx: Context,
    ranking: Sequence[CandidateResult],
    *,
    slas: Sequence[float] | None = None,
    weightings: Sequence[str] = ("distance", "inverse-distance"),
    capex: bool = True,
    top_k: int = 5,
    cost: str = "capex",
    discount_rate: float = 0.08,
) -> list[Sensitivity]:
    """Rank changes under other SLAs, demand weightings and capex low / high.

    Capex low / high use each candidate's basis-aware range (:data:`CAPEX_RANGE`: published
    +-20 %, estimate +-50 %, other +-30 %). Compared with the base ranking by Kendall's tau, the
    overlap of the top ``k`` and the largest rank change.
    """
    base_ids = [r.candidate.id for r in ranking]
    out = []
    slas = list(slas) if slas is not None else [ctx.sla_rtt_ms * 0.8, ctx.sla_rtt_ms * 1.2]

    def again(c2: Context, capex_v: Sequence[float] | None = None) -> list[str]:
        res = evaluate_singles(
            c2, cost=cost, discount_rate=discount_rate, capex=capex_v, availability=False
        )
        return [r.candidate.id for r in rank(res)]

    def clone(**kw: Any) -> Context:
        return make_context(
            ctx.net,
            ctx.candidates,
            kw.get("demand", ctx.demand),
            sla_rtt_ms=kw.get("sla", ctx.sla_rtt_ms),
            weights=ctx.weights,
            focus_country=ctx.focus_country,
            backup_mode=ctx.backup_mode,
            availability=ctx.protect.model,
            shared=ctx,
        )

    for s in slas:
        out.append(_compare(f"SLA {s:g} ms", base_ids, again(clone(sla=s)), top_k))
    for how in weightings:
        out.append(
            _compare(
                f"demand {how}", base_ids, again(clone(demand=_weighted_demand(ctx, how))), top_k
            )
        )
    if capex:
        for j, label in ((0, "low"), (1, "high")):
            values = [c.capex_range[j] for c in ctx.candidates]
            out.append(_compare(f"capex {label}", base_ids, again(ctx, values), top_k))
    return out


def analyze(
    net: Network,
    *,
    candidates: Any = None,
    include_network: bool = True,
    demand: Demand | None = None,
    budget_eur_m: float | None = None,
    sla_rtt_ms: float = 150.0,
    weights: BenefitWeights | None = None,
    focus_country: str = "KZ",
    backup_mode: str = "link",
    group: str | None = None,
    availability: AvailabilityModel | None = None,
    cost: str = "capex",
    discount_rate: float = 0.08,
    exact_max: int = 12,
    exact_max_evals: int = 5_000,
    exact_time_limit: float = 30.0,
    with_sensitivity: bool = True,
    progress: Any = None,
) -> InvestResult:
    """Rank the candidates and, with a budget, find the best portfolio.

    Parameters
    ----------
    net
        The loaded network (all statuses; the base network is its ``existing`` links).
    candidates
        User candidates (a table from :func:`read_candidates`) added to the planned and proposed
        links of ``net`` (unless ``include_network=False``).
    demand
        OD pairs and weights (default :func:`default_demand`).
    budget_eur_m
        Capex budget for the portfolio; ``None`` ranks only.
    sla_rtt_ms
        Round-trip SLA.
    weights
        Benefit weights (:class:`BenefitWeights`).
    focus_country
        The country whose share of routes is reported (default Kazakhstan).
    backup_mode
        ``"link"`` (default): a backup is a link-disjoint route; ``"srlg"``: it also shares no
        shared-risk group (duct, sea chokepoint) with the primary (heuristic SRLG pairs, slower).
    group
        ``None`` / ``"none"``: one candidate per link (rows of a candidate file sharing a
        ``group`` value are one candidate anyway); ``"system"``: one candidate per system, all
        its segments added together, capex summed. Groups are evaluated by full set
        recomputation, not the one-link shortcut, and portfolios choose among groups.
    availability
        Failure and repair model of the protected availability (default
        :class:`~corridor.resilience.availability.AvailabilityModel`).
    cost
        ``"capex"`` (default) or ``"annual"`` (capex annualised at ``discount_rate`` over the
        candidate's lifetime plus opex) as the denominator of benefit per EUR m. Budgets are
        always capex.
    exact_max
        The exact search runs on at most this many candidates (the best by single benefit per
        EUR m that fit the budget).
    exact_max_evals, exact_time_limit
        Limits of the exact search (beyond them it is not proven optimal).
    with_sensitivity
        Run the sensitivity analysis.
    progress
        Optional callable ``(stage: str, done: int, total: int)``.

    Raises
    ------
    RequestError
        For a budget below every candidate's capex, a bad option (unknown backup mode or
        grouping) or an empty demand.
    DataError
        For a bad candidate (or a group with inconsistent capex).
    """
    if budget_eur_m is not None and not (math.isfinite(budget_eur_m) and budget_eur_m > 0):
        msg = f"the budget must be a positive number of EUR millions, got {budget_eur_m!r}"
        raise RequestError(msg)
    if exact_max < 0:
        msg = f"exact_max must be >= 0, got {exact_max!r}"
        raise RequestError(msg)
    if backup_mode not in BACKUP_MODES:
        msg = f"unknown backup mode {backup_mode!r}; use one of {', '.join(BACKUP_MODES)}"
        raise RequestError(msg)
    full, cands = candidate_network(net, candidates, include_network=include_network, group=group)
    demand = demand or default_demand(full)
    ctx = make_context(
        full,
        cands,
        demand,
        sla_rtt_ms=sla_rtt_ms,
        weights=weights,
        focus_country=focus_country,
        backup_mode=backup_mode,
        availability=availability,
    )

    def stage(name: str) -> Any:
        if progress is None:
            return None
        return lambda done, total: progress(name, done, total)

    singles = evaluate_singles(
        ctx, cost=cost, discount_rate=discount_rate, progress=stage("evaluating candidates")
    )
    ranking = tuple(rank(singles))
    base = summary(ctx, set_metrics(ctx, ()))
    notes: list[str] = []
    if not any(r.score > 0 for r in ranking):
        notes.append("no candidate improves latency or resilience for this demand on its own")
    g = e = gp = best = None
    pool_ids: tuple[str, ...] = ()
    front: list[tuple[float, float, tuple[str, ...]]] = []
    if budget_eur_m is not None:
        cheapest = min(c.capex_eur_m for c in cands)
        if budget_eur_m < cheapest:
            msg = (
                f"budget EUR {budget_eur_m:g} m is below every option (cheapest: "
                f"EUR {cheapest:g} m)"
            )
            raise RequestError(msg)
        index = {c.id: i for i, c in enumerate(cands)}
        g, steps = greedy(ctx, budget_eur_m, progress=stage("greedy portfolio"))
        affordable = [r for r in ranking if r.candidate.capex_eur_m <= budget_eur_m]
        pool = [index[r.candidate.id] for r in affordable if r.score > 0][:exact_max]
        if len(pool) < exact_max:  # complementary links: zero alone, cheap first
            rest = sorted(
                (r for r in affordable if r.score <= 0), key=lambda r: r.candidate.capex_eur_m
            )
            pool += [index[r.candidate.id] for r in rest][: exact_max - len(pool)]
        pool_ids = tuple(cands[i].id for i in pool)
        evaluated: list[tuple[float, float, tuple[int, ...]]] = []
        if pool:
            gp, _ = greedy(ctx, budget_eur_m, pool=pool)
            e, evaluated = exact(
                ctx,
                budget_eur_m,
                pool,
                max_evals=exact_max_evals,
                time_limit=exact_time_limit,
                incumbent=[index[i] for i in gp.ids],
                progress=stage("exact search"),
            )
            if not e.proven_optimal:
                notes.append(f"exact search: best found, not proven optimal: {e.not_proven}")
        best = max((p for p in (g, e) if p is not None), key=lambda p: (p.score, -p.capex_eur_m))
        chain = [index[s[0]] for s in steps]
        pts = list(evaluated)
        for k in range(len(chain) + 1):
            p = portfolio_of(ctx, chain[:k], "greedy", availability=False)
            pts.append((p.capex_eur_m, p.score, tuple(chain[:k])))
        front = [(c, v, tuple(sorted(cands[i].id for i in s))) for c, v, s in pareto_front(pts)]
        if best.score <= 0:
            notes.append(f"no portfolio within EUR {budget_eur_m:g} m improves anything")
    sens: list[Any] = []
    if with_sensitivity and len(ranking) > 1:
        sens = sensitivity(ctx, ranking, cost=cost, discount_rate=discount_rate)
    return InvestResult(
        context=ctx,
        ranking=ranking,
        base=base,
        budget_eur_m=budget_eur_m,
        greedy=g,
        exact=e,
        greedy_on_pool=gp,
        best=best,
        pool=pool_ids,
        pareto=tuple(front),
        sensitivity=tuple(sens),
        notes=tuple(notes),
        options={
            "cost": cost,
            "discount_rate": discount_rate,
            "exact_max": exact_max,
            "backup_mode": backup_mode,
            "group": group or "none",
        },
    )
