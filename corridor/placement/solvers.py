"""Choosing ``p`` nodes on a demand x candidate cost matrix: exact MILP, brute force, heuristic.

Every solver works on plain arrays, independent of the network:

``cost``
    ``(D, C)`` float array, the round-trip time from demand ``d`` to candidate ``c`` in ms;
    ``inf`` where ``d`` may not be assigned to ``c`` (unreachable, no disjoint pair, over the SLA).
``weights``
    ``(D,)`` positive demand weights.
``cover``
    ``(D, C)`` bool, coverage objective only: ``d`` counts as served within the SLA by ``c``.

Objectives (each demand is served by its nearest chosen node):

``"median"`` (p-median, Hakimi 1964)
    minimise ``sum_d w_d min_{c in S} cost[d, c]``.
``"center"`` (p-center)
    minimise ``max_d min_{c in S} cost[d, c]``; ties broken by the p-median sum.
``"coverage"`` (maximal covering location, Church and ReVelle 1974)
    maximise ``sum_d w_d [exists c in S: cover[d, c]]``; ties broken by the p-median sum of
    ``cost`` (which must then be finite everywhere: pass a capped matrix).

Every set is scored by the key ``(unserved weight, primary, secondary)`` compared
lexicographically (with a relative tolerance of :data:`REL_TOL`), where unserved weight is the
weight of demands with no finite entry in the set; exact solvers only return sets with none.

Methods
-------
* :func:`solve_milp` - exact, :func:`scipy.optimize.milp` (HiGHS): binary ``y_c`` (open),
  continuous ``x_dc`` (assignment, only for finite entries), ``sum_c x_dc = 1``,
  ``x_dc <= y_c``, ``sum_c y_c = p``; p-center adds ``z >= sum_c cost_dc x_dc``; coverage uses
  ``u_d <= sum_{c covers d} y_c``. Ties are broken by a second solve with the first objective
  fixed (lexicographic optimisation).
* :func:`solve_brute` - exact by enumerating every ``p``-subset (for tests and tiny inputs).
* :func:`solve_heuristic` - greedy construction (add the node that improves the key most) then
  vertex substitution (Teitz and Bart 1968): repeatedly apply the best improving swap of an
  open node with a closed one until no swap improves. ``O(iterations x p x D x C)``, vectorised.

References
----------
S. L. Hakimi, "Optimum locations of switching centers and the absolute centers and medians of a
graph", Operations Research 12 (1964) 450-459. M. B. Teitz and P. Bart, "Heuristic methods for
estimating the generalized vertex median of a weighted graph", Operations Research 16 (1968)
955-961. R. Church and C. ReVelle, "The maximal covering location problem", Papers of the
Regional Science Association 32 (1974) 101-118.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy import sparse

from corridor._errors import NoRouteError, RequestError
from corridor.placement._names import METHODS, OBJECTIVES

__all__ = [
    "BRUTE_MAX_SUBSETS",
    "METHODS",
    "MILP_MAX_ENTRIES",
    "OBJECTIVES",
    "REL_TOL",
    "Solution",
    "evaluate",
    "solve_brute",
    "solve_heuristic",
    "solve_matrix",
    "solve_milp",
]

#: Relative tolerance when comparing objective values.
REL_TOL = 1e-9
#: ``method="auto"`` uses the MILP up to this many finite matrix entries, the heuristic above.
MILP_MAX_ENTRIES = 250_000
#: :func:`solve_brute` refuses more subsets than this.
BRUTE_MAX_SUBSETS = 2_000_000


class InfeasiblePlacementError(NoRouteError):
    """No set of ``p`` nodes can serve every demand site under the constraints."""


@dataclass(frozen=True)
class Solution:
    """A chosen set of columns and its score.

    Attributes
    ----------
    chosen
        Sorted column indices of the open nodes.
    key
        ``(unserved weight, primary, secondary)``: primary is the p-median sum, the p-center
        maximum or minus the covered weight; secondary the tie-breaking p-median sum (0 for
        the median objective).
    method
        ``"milp"``, ``"brute"`` or ``"heuristic"``.
    optimal
        Proven optimal (MILP solved to optimality, or brute force).
    seconds
        Wall time of the solve.
    """

    chosen: tuple[int, ...]
    key: tuple[float, float, float]
    method: str
    optimal: bool
    seconds: float = 0.0


def _check(
    cost: np.ndarray, weights: np.ndarray, p: int, objective: str, cover: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    if objective not in OBJECTIVES:
        msg = f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}"
        raise RequestError(msg)
    cost = np.asarray(cost, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if cost.ndim != 2 or weights.shape != (cost.shape[0],):
        msg = f"cost must be (D, C) and weights (D,), got {cost.shape} and {weights.shape}"
        raise RequestError(msg)
    if not (np.all(np.isfinite(weights)) and np.all(weights > 0)):
        msg = "demand weights must be positive finite numbers"
        raise RequestError(msg)
    if np.isnan(cost).any() or (cost < 0).any():
        msg = "costs must be >= 0 (inf for a forbidden assignment), not NaN"
        raise RequestError(msg)
    if not isinstance(p, (int, np.integer)) or isinstance(p, bool) or p < 1:
        msg = f"p must be a positive integer, got {p!r}"
        raise RequestError(msg)
    if p > cost.shape[1]:
        msg = f"p = {p} is larger than the number of candidates ({cost.shape[1]})"
        raise RequestError(msg)
    if objective == "coverage":
        if cover is None:
            msg = "the coverage objective needs a cover matrix (an SLA)"
            raise RequestError(msg)
        cover = np.asarray(cover, dtype=np.bool_).reshape(np.shape(cover))
        if cover.shape != cost.shape:
            msg = f"cover must have the shape of cost {cost.shape}, got {cover.shape}"
            raise RequestError(msg)
    return cost, weights, cover


def _keys(
    mins: np.ndarray,
    covered: np.ndarray | None,
    weights: np.ndarray,
    objective: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys of many sets at once: ``mins`` and ``covered`` are ``(D, K)`` (one column per set)."""
    w = weights[:, None]
    finite = np.isfinite(mins)
    unserved = (w * ~finite).sum(axis=0)
    served = np.where(finite, mins, 0.0)
    total = (w * served).sum(axis=0)
    if objective == "median":
        return unserved, total, np.zeros_like(total)
    if objective == "center":
        worst = np.where(finite, mins, -np.inf).max(axis=0)
        worst = np.where(np.isfinite(worst), worst, 0.0)
        return unserved, worst, total
    assert covered is not None
    return unserved, -(w * covered).sum(axis=0), total


def evaluate(
    cost: np.ndarray,
    weights: np.ndarray,
    chosen: tuple[int, ...] | list[int] | np.ndarray,
    *,
    objective: str = "median",
    cover: np.ndarray | None = None,
) -> tuple[float, float, float]:
    """The key ``(unserved weight, primary, secondary)`` of one set of columns."""
    idx = np.asarray(chosen, dtype=np.int64)
    mins = cost[:, idx].min(axis=1)[:, None]
    covered = np.asarray(cover[:, idx].any(axis=1))[:, None] if cover is not None else None
    u, a, b = _keys(mins, covered, np.asarray(weights, dtype=float), objective)
    return float(u[0]), float(a[0]), float(b[0])


def _scale(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return max(1.0, float(np.abs(finite).max())) if finite.size else 1.0


def _best(keys: tuple[np.ndarray, np.ndarray, np.ndarray]) -> int:
    """Index of the lexicographically smallest key (values equal within REL_TOL tie)."""
    u, a, b = keys
    cand = np.arange(u.shape[0])
    for values in (u, a, b):
        v = values[cand]
        tol = REL_TOL * _scale(v)
        cand = cand[v <= v.min() + tol]
        if cand.size == 1:
            break
    return int(cand[0])


def _less(k1: tuple[float, ...], k2: tuple[float, ...]) -> bool:
    """``k1 < k2`` lexicographically, equal within REL_TOL."""
    for x, y in zip(k1, k2, strict=True):
        tol = REL_TOL * max(1.0, abs(x), abs(y))
        if x < y - tol:
            return True
        if x > y + tol:
            return False
    return False


# -- brute force -------------------------------------------------------------------------------
def solve_brute(
    cost: np.ndarray,
    weights: np.ndarray,
    p: int,
    *,
    objective: str = "median",
    cover: np.ndarray | None = None,
) -> Solution:
    """Exact answer by enumerating every ``p``-subset of the candidates.

    Raises
    ------
    RequestError
        For bad arguments, or more than :data:`BRUTE_MAX_SUBSETS` subsets.
    InfeasiblePlacementError
        When no subset serves every demand.
    """
    t0 = time.perf_counter()
    cost, weights, cover = _check(cost, weights, p, objective, cover)
    n = cost.shape[1]
    if math.comb(n, p) > BRUTE_MAX_SUBSETS:
        msg = f"brute force over C({n}, {p}) = {math.comb(n, p):,} subsets is too large"
        raise RequestError(msg)
    best_key: tuple[float, float, float] | None = None
    best: tuple[int, ...] = ()
    subsets = list(combinations(range(n), p))
    for start in range(0, len(subsets), 4096):
        chunk = np.array(subsets[start : start + 4096], dtype=np.int64)  # (K, p)
        mins = cost[:, chunk].min(axis=2)  # (D, K)
        covered = np.asarray(cover[:, chunk].any(axis=2)) if cover is not None else None
        keys = _keys(mins, covered, weights, objective)
        i = _best(keys)
        key = (float(keys[0][i]), float(keys[1][i]), float(keys[2][i]))
        if best_key is None or _less(key, best_key):
            best_key, best = key, tuple(int(c) for c in chunk[i])
    assert best_key is not None
    if best_key[0] > 0:
        raise InfeasiblePlacementError(_infeasible_message(cost, p))
    return Solution(best, best_key, "brute", True, time.perf_counter() - t0)


# -- heuristic ---------------------------------------------------------------------------------
def solve_heuristic(
    cost: np.ndarray,
    weights: np.ndarray,
    p: int,
    *,
    objective: str = "median",
    cover: np.ndarray | None = None,
    max_iterations: int = 1000,
) -> Solution:
    """Greedy construction followed by Teitz-Bart vertex substitution (best improving swap).

    The result is a local optimum for single swaps; it is never better than the exact answer
    and, on the shipped data, usually equal to it (``benchmarks/bench_placement.py`` reports
    the gap).

    Raises
    ------
    InfeasiblePlacementError
        When the set found leaves some demand unserved (the instance may still be feasible).
    """
    t0 = time.perf_counter()
    cost, weights, cover = _check(cost, weights, p, objective, cover)
    d, n = cost.shape
    chosen: list[int] = []
    mins = np.full(d, np.inf)
    covered = np.zeros(d, dtype=bool)
    for _ in range(p):
        rest = np.array([c for c in range(n) if c not in chosen], dtype=np.int64)
        cand_mins = np.minimum(mins[:, None], cost[:, rest])
        cand_cov = covered[:, None] | cover[:, rest] if cover is not None else None
        i = _best(_keys(cand_mins, cand_cov, weights, objective))
        chosen.append(int(rest[i]))
        mins = cand_mins[:, i]
        if cand_cov is not None:
            covered = cand_cov[:, i]
    key = evaluate(cost, weights, chosen, objective=objective, cover=cover)
    for _ in range(max_iterations):
        best_key, best_swap = key, None
        rest = np.array([c for c in range(n) if c not in chosen], dtype=np.int64)
        if rest.size == 0:
            break
        for pos in range(p):
            others = [c for j, c in enumerate(chosen) if j != pos]
            base = cost[:, others].min(axis=1) if others else np.full(d, np.inf)
            cand_mins = np.minimum(base[:, None], cost[:, rest])
            cand_cov = None
            if cover is not None:
                base_cov = (
                    np.asarray(cover[:, others].any(axis=1)) if others else np.zeros(d, dtype=bool)
                )
                cand_cov = base_cov[:, None] | cover[:, rest]
            keys = _keys(cand_mins, cand_cov, weights, objective)
            i = _best(keys)
            k = (float(keys[0][i]), float(keys[1][i]), float(keys[2][i]))
            if _less(k, best_key):
                best_key, best_swap = k, (pos, int(rest[i]))
        if best_swap is None:
            break
        chosen[best_swap[0]] = best_swap[1]
        key = best_key
    if key[0] > 0:
        raise InfeasiblePlacementError(_infeasible_message(cost, p, heuristic=True))
    return Solution(tuple(sorted(chosen)), key, "heuristic", False, time.perf_counter() - t0)


# -- MILP --------------------------------------------------------------------------------------
def _infeasible_message(cost: np.ndarray, p: int, *, heuristic: bool = False) -> str:
    finite = np.isfinite(cost)
    need = [int(np.flatnonzero(row)[0]) for row in finite if row.sum() == 1]
    forced = len(set(need))
    how = "the heuristic found no" if heuristic else "no"
    extra = f" ({forced} candidates are the only option of some demand)" if forced > p else ""
    return f"{how} set of {p} node(s) serves every demand site under the constraints{extra}"


def _milp(
    c: np.ndarray,
    rows: list[tuple[sparse.spmatrix, np.ndarray, np.ndarray]],
    integrality: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    time_limit: float,
) -> tuple[np.ndarray | None, bool]:
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded only when solving

    a = sparse.vstack([r[0] for r in rows]).tocsr()
    lo = np.concatenate([r[1] for r in rows])
    hi = np.concatenate([r[2] for r in rows])
    res = milp(
        c,
        constraints=LinearConstraint(a, lo, hi),
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9, "presolve": True},
    )
    if res.x is None:
        return None, False
    return np.asarray(res.x), res.status == 0


def solve_milp(
    cost: np.ndarray,
    weights: np.ndarray,
    p: int,
    *,
    objective: str = "median",
    cover: np.ndarray | None = None,
    time_limit: float = 60.0,
) -> Solution:
    """Exact answer with :func:`scipy.optimize.milp` (see the module docstring).

    Two solves for the center and coverage objectives (the second breaks ties by the p-median
    sum with the first objective held at its optimum).

    Raises
    ------
    InfeasiblePlacementError
        When no set of ``p`` nodes serves every demand.
    """
    t0 = time.perf_counter()
    cost, weights, cover = _check(cost, weights, p, objective, cover)
    d, n = cost.shape
    if (~np.isfinite(cost)).all(axis=1).any():
        raise InfeasiblePlacementError(_infeasible_message(cost, p))
    scale = _scale(cost)
    optimal = True

    def assignment_model(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
        """Columns y (n) then x (entries of mask), rows: assign, x <= y, sum y = p."""
        dd, cc = np.nonzero(mask)
        k = dd.size
        ones = np.ones(k)
        assign = sparse.coo_matrix((ones, (dd, n + np.arange(k))), shape=(d, n + k))
        link = sparse.coo_matrix(
            (
                np.concatenate([ones, -ones]),
                (np.concatenate([np.arange(k)] * 2), np.concatenate([n + np.arange(k), cc])),
            ),
            shape=(k, n + k),
        )
        count = sparse.coo_matrix((np.ones(n), (np.zeros(n), np.arange(n))), shape=(1, n + k))
        rows = [
            (assign, np.ones(d), np.ones(d)),
            (link, np.full(k, -np.inf), np.zeros(k)),
            (count, np.array([p]), np.array([p])),
        ]
        return dd, cc, rows

    def solve_median(
        mask: np.ndarray, values: np.ndarray, extra_rows: list | None = None, extra_cols: int = 0
    ) -> np.ndarray:
        nonlocal optimal
        dd, cc, rows = assignment_model(mask)
        k = dd.size
        obj = np.concatenate([np.zeros(n), weights[dd] * values[dd, cc] / scale])
        if extra_cols:
            obj = np.concatenate([obj, np.zeros(extra_cols)])
            rows = [
                (sparse.hstack([r[0], sparse.coo_matrix((r[0].shape[0], extra_cols))]), r[1], r[2])
                for r in rows
            ]
        rows += extra_rows or []
        integrality = np.concatenate([np.ones(n), np.zeros(k + extra_cols)])
        x, ok = _milp(
            obj,
            rows,
            integrality,
            np.zeros(n + k + extra_cols),
            np.ones(n + k + extra_cols),
            time_limit,
        )
        if x is None:
            raise InfeasiblePlacementError(_infeasible_message(cost, p))
        optimal &= ok
        return x[:n]

    finite = np.isfinite(cost)
    if objective == "median":
        y = solve_median(finite, cost)
    elif objective == "center":
        # stage 1: min z, z >= sum_c cost_dc x_dc
        dd, cc, rows = assignment_model(finite)
        k = dd.size
        ncol = n + k + 1
        rows = [
            (sparse.hstack([r[0], sparse.coo_matrix((r[0].shape[0], 1))]), r[1], r[2]) for r in rows
        ]
        zrow = sparse.coo_matrix(
            (
                np.concatenate([cost[dd, cc] / scale, -np.ones(d)]),
                (
                    np.concatenate([dd, np.arange(d)]),
                    np.concatenate([n + np.arange(k), np.full(d, ncol - 1)]),
                ),
            ),
            shape=(d, ncol),
        )
        rows.append((zrow, np.full(d, -np.inf), np.zeros(d)))
        obj = np.zeros(ncol)
        obj[-1] = 1.0
        integrality = np.concatenate([np.ones(n), np.zeros(k + 1)])
        upper = np.ones(ncol)
        upper[-1] = np.inf
        x, ok = _milp(obj, rows, integrality, np.zeros(ncol), upper, time_limit)
        if x is None:
            raise InfeasiblePlacementError(_infeasible_message(cost, p))
        optimal &= ok
        y1 = x[:n] > 0.5
        z_star = evaluate(cost, weights, tuple(np.flatnonzero(y1)), objective="center")[1]
        # stage 2: p-median over the entries within z*
        within = finite & (cost <= z_star + REL_TOL * max(1.0, z_star))
        y = solve_median(within, cost)
    else:
        assert cover is not None
        # stage 1: max sum w u, u_d <= sum_{c covers d} y_c
        cd, ccov = np.nonzero(cover)
        ncol = n + d
        urow = sparse.coo_matrix(
            (
                np.concatenate([np.ones(d), -np.ones(cd.size)]),
                (np.concatenate([np.arange(d), cd]), np.concatenate([n + np.arange(d), ccov])),
            ),
            shape=(d, ncol),
        )
        count = sparse.coo_matrix((np.ones(n), (np.zeros(n), np.arange(n))), shape=(1, ncol))
        obj = np.concatenate([np.zeros(n), -weights / weights.sum()])
        rows = [(urow, np.full(d, -np.inf), np.zeros(d)), (count, np.array([p]), np.array([p]))]
        integrality = np.concatenate([np.ones(n), np.zeros(d)])
        x, ok = _milp(obj, rows, integrality, np.zeros(ncol), np.ones(ncol), time_limit)
        if x is None:
            raise InfeasiblePlacementError(_infeasible_message(cost, p))
        optimal &= ok
        best_cov = -evaluate(
            cost, weights, tuple(np.flatnonzero(x[:n] > 0.5)), objective="coverage", cover=cover
        )[1]
        # stage 2: p-median with coverage held at its optimum; columns y, x, u
        dd, _, _ = assignment_model(finite)
        k = dd.size
        total_cols = n + k + d
        u_link = sparse.hstack(
            [urow.tocsr()[:, :n], sparse.coo_matrix((d, k)), urow.tocsr()[:, n:]]
        )
        hold = sparse.coo_matrix(
            (weights, (np.zeros(d), n + k + np.arange(d))), shape=(1, total_cols)
        )
        extra = [
            (u_link, np.full(d, -np.inf), np.zeros(d)),
            (hold, np.array([best_cov - REL_TOL * max(1.0, best_cov)]), np.array([np.inf])),
        ]
        y = solve_median(finite, cost, extra, extra_cols=d)
    chosen = tuple(int(c) for c in np.flatnonzero(y > 0.5))
    if len(chosen) != p:  # numerical noise: keep the p largest
        chosen = tuple(sorted(int(c) for c in np.argsort(-y, kind="stable")[:p]))
    key = evaluate(cost, weights, chosen, objective=objective, cover=cover)
    if key[0] > 0:
        raise InfeasiblePlacementError(_infeasible_message(cost, p))
    return Solution(chosen, key, "milp", optimal, time.perf_counter() - t0)


def solve_matrix(
    cost: np.ndarray,
    weights: np.ndarray,
    p: int,
    *,
    objective: str = "median",
    cover: np.ndarray | None = None,
    method: str = "auto",
    time_limit: float = 60.0,
) -> Solution:
    """Choose ``p`` columns with the given method.

    ``method="auto"`` solves exactly with the MILP when the matrix has at most
    :data:`MILP_MAX_ENTRIES` finite entries, with the heuristic otherwise.
    """
    if method not in METHODS:
        msg = f"unknown method {method!r}; use one of {', '.join(METHODS)}"
        raise RequestError(msg)
    if method == "auto":
        entries = int(np.isfinite(np.asarray(cost, dtype=float)).sum())
        method = "milp" if entries <= MILP_MAX_ENTRIES else "heuristic"
    if method == "milp":
        return solve_milp(cost, weights, p, objective=objective, cover=cover, time_limit=time_limit)
    if method == "brute":
        return solve_brute(cost, weights, p, objective=objective, cover=cover)
    return solve_heuristic(cost, weights, p, objective=objective, cover=cover)
