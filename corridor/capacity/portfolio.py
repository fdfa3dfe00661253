"""Exact portfolios and Pareto fronts of a monotone set function, by branch and bound.

The traffic objective of :func:`corridor.capacity.invest.rank_by_traffic` (expected Tbps kept
by building a set of candidates) is monotone in the set: the max-carried flow LP only gains
paths and capacity when links are added (within an RTT SLA only paths under the SLA count,
which is still monotone). It is neither additive nor submodular: two segments in series keep
nothing alone and everything together, two parallel ones the reverse. So a greedy portfolio is
a heuristic; this module searches exactly, with the bound that monotonicity gives.

Search tree: candidates are decided one at a time in a fixed order (include, exclude); a node
holds the candidates fixed in, their cost, and the undecided rest. Its **upper bound** is the
value of the fixed set plus every undecided candidate that still fits the remaining budget,
built together: every portfolio below the node is a subset of that set, so by monotonicity
none is worth more. When that whole set fits the budget, it is itself a portfolio (a leaf
reached early). Nodes are expanded best bound first; one evaluation per expanded node, cached
by frozenset (a child that inherits its parent's set costs nothing).

- :func:`best_portfolio`: maximise the value within the budget, ties (values within ``tol``)
  broken by lower NPV. A node is pruned when its bound is below the incumbent, or equal to it
  (within ``tol``) with an NPV already no lower. Starts from a given incumbent (the greedy
  portfolio).
- :func:`pareto_front`: every non-dominated (NPV, value) portfolio within the budget. A node
  is pruned when a front point costs no more than the node's fixed NPV (a lower bound on the
  NPV of every portfolio below it) and is worth at least its bound.

Both stop after ``limit`` new evaluations of :class:`CachedValue` (each one is one flow per
scenario in the caller); then the answer is the best found, with the highest bound still
open: not proven. Worst case exponential in the number of candidates (it is a knapsack over a
non-additive value); the bound prunes what cannot beat the incumbent.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CachedValue",
    "EvaluationLimit",
    "ParetoFront",
    "ParetoPoint",
    "PortfolioSearch",
    "best_portfolio",
    "pareto_front",
]

#: Values closer than this (Tbps) count as equal (flow LP tolerances are far below it).
TOL = 1e-6
_EPS_COST = 1e-9


class EvaluationLimit(Exception):  # noqa: N818 (a signal inside the search, never raised out)
    """The evaluation limit of a :class:`CachedValue` is reached."""


class CachedValue:
    """``f(S)`` for frozensets of item indices, cached, with a limit on new evaluations.

    Parameters
    ----------
    fn
        The set function (monotone for the searches below).
    limit
        New evaluations allowed (``None``: unlimited); :meth:`allow` grants more.
    """

    def __init__(self, fn: Callable[[frozenset[int]], float], *, limit: int | None = None) -> None:
        self._fn = fn
        self._cache: dict[frozenset[int], float] = {}
        self.evaluations = 0
        self.limit = limit

    def allow(self, n: int | None) -> None:
        """Allow ``n`` more new evaluations from now (``None``: no limit)."""
        self.limit = None if n is None else self.evaluations + n

    def known(self) -> list[frozenset[int]]:
        """The sets evaluated or recorded so far."""
        return list(self._cache)

    def prime(self, items: Iterable[int], value: float) -> None:
        """Record a value already computed (not counted as an evaluation)."""
        self._cache[frozenset(items)] = float(value)

    def __call__(self, items: Iterable[int]) -> float:
        """``f(items)``; raises :class:`EvaluationLimit` when a new one is not allowed."""
        key = frozenset(items)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self.limit is not None and self.evaluations >= self.limit:
            raise EvaluationLimit
        self.evaluations += 1
        v = float(self._fn(key))
        self._cache[key] = v
        return v


@dataclass(frozen=True)
class PortfolioSearch:
    """Answer of :func:`best_portfolio`.

    ``bound`` is an upper bound on the best value (equal to ``value`` when ``proven``).
    """

    items: frozenset[int]
    value: float
    capex: float
    npv: float
    proven: bool
    bound: float
    evaluations: int
    nodes: int


@dataclass(frozen=True)
class ParetoPoint:
    """One non-dominated portfolio."""

    items: frozenset[int]
    value: float
    capex: float
    npv: float


@dataclass(frozen=True)
class ParetoFront:
    """Answer of :func:`pareto_front` (points by increasing NPV).

    When not ``proven``, portfolios not yet seen may dominate some points or add new ones;
    ``bound`` is then the highest value any unseen portfolio may reach.
    """

    points: tuple[ParetoPoint, ...]
    proven: bool
    bound: float
    evaluations: int
    nodes: int


@dataclass(order=True)
class _Node:
    key: tuple[float, int, int]
    pos: int
    fixed: frozenset[int]
    capex: float
    npv: float


def _tree(
    f: CachedValue,
    order: Sequence[int],
    capex: Sequence[float],
    npv: Sequence[float],
    budget: float,
    *,
    prune: Callable[[float, float], bool],
    found: Callable[[frozenset[int], float], None],
) -> tuple[bool, float, int]:
    """Best-bound-first include / exclude tree; returns (complete, highest open bound, nodes)."""
    tick = itertools.count()
    heap = [_Node((-float("inf"), 0, next(tick)), 0, frozenset(), 0.0, 0.0)]
    nodes = 0
    while heap:
        node = heapq.heappop(heap)
        parent_bound = -node.key[0]
        if prune(parent_bound, node.npv):
            continue
        left = budget - node.capex + _EPS_COST
        rest = [j for j in order[node.pos :] if capex[j] <= left]
        top = node.fixed.union(rest)
        try:
            bound = f(top)
        except EvaluationLimit:
            heapq.heappush(heap, node)
            open_bound = max(-n.key[0] for n in heap)
            return False, open_bound, nodes
        nodes += 1
        if sum(capex[j] for j in rest) <= left:
            found(top, bound)  # the whole bound set fits: it is a portfolio
        if not rest or prune(bound, node.npv):
            continue
        j = rest[0]
        pos = order.index(j, node.pos) + 1
        for fixed, cx, nv in (
            (node.fixed | {j}, node.capex + capex[j], node.npv + npv[j]),
            (node.fixed, node.capex, node.npv),
        ):
            heapq.heappush(heap, _Node((-bound, -pos, next(tick)), pos, fixed, cx, nv))
    return True, -float("inf"), nodes


def _check(capex: Sequence[float], npv: Sequence[float], order: Sequence[int]) -> None:
    if len(capex) != len(npv):
        msg = "capex and npv differ in length"
        raise ValueError(msg)
    if len(set(order)) != len(order) or any(not 0 <= j < len(capex) for j in order):
        msg = "order must list distinct item indices"
        raise ValueError(msg)


def best_portfolio(
    f: CachedValue,
    capex: Sequence[float],
    npv: Sequence[float],
    budget: float,
    *,
    order: Sequence[int],
    incumbent: Iterable[int] = (),
    tol: float = TOL,
) -> PortfolioSearch:
    """The most valuable set of ``order``'s items with total capex at most ``budget``.

    Parameters
    ----------
    f
        The monotone value, cached and limited (its limit stops the search).
    capex, npv
        Per item (index into these lists): what the budget counts, and the tie-breaker.
    budget
        Capex limit.
    order
        The items searched, in branching order (strongest first works best).
    incumbent
        A feasible set to start from (e.g. the greedy portfolio; its value should be cached).
    tol
        Values within this count as equal (then the lower NPV wins).
    """
    _check(capex, npv, order)
    start = f.evaluations
    best_items = frozenset(incumbent)
    try:
        best_v = f(best_items)
    except EvaluationLimit:
        best_items, best_v = frozenset(), 0.0
    best: list[Any] = [best_items, best_v, sum(npv[j] for j in best_items)]  # items, value, NPV

    def prune(bound: float, npv_fixed: float) -> bool:
        return bound < best[1] - tol or (
            bound <= best[1] + tol and npv_fixed >= best[2] - _EPS_COST
        )

    def found(items: frozenset[int], value: float) -> None:
        cost = sum(npv[j] for j in items)
        if value > best[1] + tol or (value >= best[1] - tol and cost < best[2] - _EPS_COST):
            best[:] = [items, value, cost]

    done, open_bound, nodes = _tree(f, order, capex, npv, budget, prune=prune, found=found)
    items, value, cost = best
    return PortfolioSearch(
        items=items,
        value=value,
        capex=sum(capex[j] for j in items),
        npv=cost,
        proven=done,
        bound=value if done else max(value, open_bound),
        evaluations=f.evaluations - start,
        nodes=nodes,
    )


def pareto_front(
    f: CachedValue,
    capex: Sequence[float],
    npv: Sequence[float],
    budget: float,
    *,
    order: Sequence[int],
    seeds: Iterable[Iterable[int]] = (),
    tol: float = TOL,
) -> ParetoFront:
    """Every non-dominated (NPV, value) set of ``order``'s items with capex at most ``budget``.

    A point is dominated when another costs no more (NPV) and is worth at least as much
    (within ``tol``); of equal points the first found is kept. The empty set is left out. Same
    parameters as :func:`best_portfolio`; ``seeds`` are sets already evaluated (e.g. by an
    exact search) entered first when they fit the budget, so that a search stopped by its
    limit still reports the best points seen.
    """
    _check(capex, npv, order)
    start = f.evaluations
    front: list[ParetoPoint] = []

    def prune(bound: float, npv_fixed: float) -> bool:
        return any(p.npv <= npv_fixed + _EPS_COST and p.value >= bound - tol for p in front)

    def found(items: frozenset[int], value: float) -> None:
        cost = sum(npv[j] for j in items)
        if value <= tol or prune(value, cost):
            return
        front[:] = [p for p in front if not (cost <= p.npv + _EPS_COST and value >= p.value - tol)]
        front.append(ParetoPoint(items, value, sum(capex[j] for j in items), cost))

    for seed in seeds:
        items = frozenset(seed)
        if sum(capex[j] for j in items) <= budget + _EPS_COST:
            try:
                found(items, f(items))
            except EvaluationLimit:
                continue
    done, open_bound, nodes = _tree(f, order, capex, npv, budget, prune=prune, found=found)
    front.sort(key=lambda p: (p.npv, -p.value))
    top = max((p.value for p in front), default=0.0)
    return ParetoFront(
        points=tuple(front),
        proven=done,
        bound=top if done else max(top, open_bound),
        evaluations=f.evaluations - start,
        nodes=nodes,
    )
