"""Portfolios: the best set of candidates within a budget, and the cost-benefit Pareto front.

Portfolios are evaluated by full recomputation on the masked network
(:func:`~corridor.invest.metrics.set_metrics`), so interactions (two parallel cables, two
halves of one route) are honest. :func:`greedy` adds the best marginal benefit per EUR m with
re-evaluation; :func:`exact` is a branch and bound over a pool (proven optimal only while the
benefit is monotone in the links built: availability and backup weights 0, see
:mod:`corridor.invest.metrics`; otherwise a search whose answer says why it is not proven).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corridor.invest.evaluate import Progress, _State
from corridor.invest.metrics import Context, benefit, set_metrics

__all__ = ["Portfolio", "exact", "greedy", "pareto_front", "portfolio_of"]


def _json_float(v: float) -> float | None:
    return round(v, 6) if math.isfinite(v) else None


@dataclass(frozen=True)
class Portfolio:
    """A set of candidates, its total capex and its honestly recomputed benefit."""

    ids: tuple[str, ...]
    capex_eur_m: float
    metrics: dict[str, float]
    method: str
    proven_optimal: bool = False
    #: Why an exact search's answer is not proven optimal ("" when it is, or not exact).
    not_proven: str = ""

    @property
    def score(self) -> float:
        """Benefit score of the whole set."""
        return float(self.metrics.get("score", 0.0))

    @property
    def per_eur_m(self) -> float:
        """Benefit per EUR million of the set."""
        return self.score / self.capex_eur_m if self.capex_eur_m > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "method": self.method,
            "ids": list(self.ids),
            "capex_eur_m": round(self.capex_eur_m, 3),
            "score": round(self.score, 6),
            "benefit_per_eur_m": round(self.per_eur_m, 6),
            "proven_optimal": self.proven_optimal,
            "not_proven_because": self.not_proven or None,
            "metrics": {
                k: (_json_float(v) if isinstance(v, float) else v)
                for k, v in self.metrics.items()
                if not k.startswith("_")
            },
        }


def portfolio_of(
    ctx: Context,
    chosen: Sequence[int],
    method: str,
    *,
    proven: bool = False,
    not_proven: str = "",
    availability: bool = True,
) -> Portfolio:
    """Evaluate a set of candidate indices by full recomputation (``availability=False``:
    score only, see :func:`set_metrics`)."""
    base = set_metrics(ctx, ())
    after = set_metrics(ctx, chosen, availability=availability)
    order = sorted(chosen, key=lambda i: ctx.candidates[i].id)
    return Portfolio(
        ids=tuple(ctx.candidates[i].id for i in order),
        capex_eur_m=float(sum(ctx.candidates[i].capex_eur_m for i in chosen)),
        metrics=benefit(ctx, base, after),
        method=method,
        proven_optimal=proven,
        not_proven="" if proven else not_proven,
    )


def greedy(
    ctx: Context,
    budget_eur_m: float,
    *,
    pool: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> tuple[Portfolio, list[tuple[str, float, float]]]:
    """Greedy by marginal benefit per EUR m, re-evaluating every remaining candidate each step.

    Each step recomputes the state of base + chosen (full Dijkstra rows with every single cut)
    and evaluates every affordable remaining candidate exactly on top of it; the best ratio
    with a positive marginal benefit is added. Stops when nothing affordable helps.

    Returns
    -------
    (Portfolio, steps)
        ``steps``: ``(id, marginal benefit, cumulative capex)`` in the order chosen.
    """
    allowed = set(range(len(ctx.candidates)) if pool is None else pool)
    chosen: list[int] = []
    spent = 0.0
    steps: list[tuple[str, float, float]] = []
    round_no = 0
    while True:
        round_no += 1
        if progress is not None:
            progress(round_no, round_no + 1)
        st = _State(ctx, chosen, availability=False)
        best: tuple[float, float, int] | None = None
        for i in sorted(allowed - set(chosen)):
            c = ctx.candidates[i]
            if spent + c.capex_eur_m > budget_eur_m + 1e-9:
                continue
            gain = benefit(ctx, st.metrics, st.add_one(ctx, i))["score"]
            if gain <= 1e-9:
                continue
            key = (gain / c.capex_eur_m, gain, -i)
            if best is None or key > best:
                best = key
        if best is None:
            break
        i = -best[2]
        chosen.append(i)
        spent += ctx.candidates[i].capex_eur_m
        steps.append((ctx.candidates[i].id, best[1], spent))
    return portfolio_of(ctx, chosen, "greedy"), steps


def exact(
    ctx: Context,
    budget_eur_m: float,
    pool: Sequence[int],
    *,
    max_evals: int = 20_000,
    time_limit: float = 60.0,
    incumbent: Sequence[int] = (),
    progress: Progress | None = None,
) -> tuple[Portfolio, list[tuple[float, float, tuple[int, ...]]]]:
    """Best subset of ``pool`` within the budget: depth-first branch and bound.

    The bound of a node (chosen ``T``, undecided ``R``) is the value of ``T`` plus every
    affordable member of ``R`` built at once: valid because the benefit is monotone in the
    links built (it is *not* bounded by the sum of single benefits: two halves of one route are
    worth nothing alone and much together). Stops after ``max_evals`` evaluations or
    ``time_limit`` seconds; then the portfolio is the best found and ``proven_optimal`` is
    false. The bound needs every scored term to be monotone; two are not, and with a positive
    weight on either the search is a heuristic and ``proven_optimal`` is false (the reason in
    ``not_proven``): the availability term (a new, faster pair can be less available) and the
    backup term (a new link can turn a pair's minimum-latency disjoint pair into one whose
    slower route misses the SLA, so the pair loses its backup; in SRLG mode the flags come from
    a heuristic as well). With the default weights (backup 1) the answer is therefore the best
    found, not proven; set the backup and availability weights to 0 for a proven optimum.

    Returns
    -------
    (Portfolio, evaluated)
        ``evaluated``: ``(capex, score, subset)`` of every subset evaluated within the budget
        (used for the Pareto front).
    """
    items = list(pool)
    cost = [ctx.candidates[i].capex_eur_m for i in items]
    base = set_metrics(ctx, ())
    evals = 0
    t0 = time.perf_counter()
    seen: dict[frozenset[int], float] = {}
    stopped = False

    def value(sub: Sequence[int]) -> float:
        nonlocal evals
        key = frozenset(sub)
        if key in seen:
            return seen[key]
        evals += 1
        if progress is not None and evals % 25 == 0:
            progress(min(evals, max_evals), max_evals)
        v = benefit(ctx, base, set_metrics(ctx, sorted(key), availability=False))["score"]
        seen[key] = v
        return v

    best_set: tuple[int, ...] = tuple(i for i in incumbent if i in items)
    if sum(ctx.candidates[i].capex_eur_m for i in best_set) > budget_eur_m + 1e-9:
        best_set = ()
    best_val = value(best_set) if best_set else 0.0

    def dfs(k: int, chosen: list[int], left: float) -> None:
        nonlocal best_val, best_set, stopped
        if stopped:
            return
        if evals >= max_evals or time.perf_counter() - t0 > time_limit:
            stopped = True
            return
        rest = [items[j] for j in range(k, len(items)) if cost[j] <= left + 1e-9]
        cur = value(chosen) if chosen else 0.0
        if cur > best_val + 1e-9:
            best_val, best_set = cur, tuple(chosen)
        if not rest:
            return
        top = chosen + rest
        fits = sum(ctx.candidates[i].capex_eur_m for i in rest) <= left + 1e-9
        bound = value(top)
        if bound <= best_val + 1e-9:
            return
        if fits:  # every remaining item fits: the bound is achieved by taking them all
            best_val, best_set = bound, tuple(top)
            return
        for j in range(k, len(items)):
            if cost[j] <= left + 1e-9:
                chosen.append(items[j])
                dfs(j + 1, chosen, left - cost[j])
                chosen.pop()
                if stopped:
                    return
        # (the "take nothing more" leaf is the current node itself, already recorded)

    dfs(0, [], budget_eur_m)
    evaluated = [
        (float(sum(ctx.candidates[i].capex_eur_m for i in s)), v, tuple(sorted(s)))
        for s, v in seen.items()
        if sum(ctx.candidates[i].capex_eur_m for i in s) <= budget_eur_m + 1e-9
    ]
    why = _not_monotone(ctx)
    if stopped:
        why.insert(
            0,
            f"the search stopped at its limit ({max_evals} evaluations or {time_limit:g} s): "
            "best found",
        )
    proven = not why
    out = portfolio_of(ctx, best_set, "exact", proven=proven, not_proven="; ".join(why))
    return out, evaluated


def _not_monotone(ctx: Context) -> list[str]:
    """The scored terms that are not monotone in the links built (the bound of :func:`exact`
    is then not valid), each as a reason for not claiming optimality."""
    why = []
    if ctx.weights.backup != 0:
        what = (
            "the SRLG heuristic's pair"
            if ctx.backup_mode == "srlg"
            else "the minimum-latency link-disjoint pair"
        )
        why.append(
            f"the backup term (weight {ctx.weights.backup:g}) is not monotone in the links "
            f"built: a pair has a backup when {what} keeps the SLA, and a new link can change "
            "that pair to one whose slower route misses it"
        )
    if ctx.net.model.handoff_ms > 0 and (ctx.weights.latency != 0 or ctx.weights.sla != 0):
        why.append(
            "the latency and SLA terms use the expected RTT of the best route by arc weight, "
            "its handoffs added after the search: a new link can give a route shorter by arc "
            "weight with more handoffs, so these terms are not monotone in the links built"
        )
    if ctx.weights.availability != 0:
        why.append(
            f"the availability term (weight {ctx.weights.availability:g}) is not monotone in "
            "the links built: a new, faster pair can be less available"
        )
    return why


def pareto_front(
    points: Sequence[tuple[float, float, tuple[int, ...]]],
) -> list[tuple[float, float, tuple[int, ...]]]:
    """Non-dominated ``(cost, benefit, subset)`` points: none cheaper and at least as good."""
    out: list[tuple[float, float, tuple[int, ...]]] = []
    best = -math.inf
    for p in sorted(points, key=lambda x: (x[0], -x[1])):
        if p[1] > best + 1e-9:
            out.append(p)
            best = p[1]
    return out
