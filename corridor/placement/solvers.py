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
  ``x_dc <= y_c``, ``sum_c y_c = p``; coverage uses ``u_d <= sum_{c covers d} y_c``. The
  p-center value is one of the matrix entries: the smallest entry ``v`` for which a 0/1 set
  cover (``sum_{c: cost_dc <= v} y_c >= 1`` for every ``d``) is feasible, found by bisection
  over the sorted entries, so near ties are decided by exact comparisons, not by solver
  tolerances. Ties are broken by a second solve with the first objective fixed
  (lexicographic optimisation). HiGHS runs at relative gap 0 with the objective scaled so
  that its absolute gap (1e-6) is at most ``REL_TOL / 10`` of the optimum.
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
from typing import Any

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
        Proven optimal (MILP solved to optimality, or brute force), to ``tolerance``.
    seconds
        Wall time of the solve.
    tolerance
        Relative tolerance to which the primary and secondary values are proven optimal
        (:data:`REL_TOL` for brute force and, unless the coefficients forced a coarser
        objective scale, for the MILP; ``nan`` for the heuristic).
    """

    chosen: tuple[int, ...]
    key: tuple[float, float, float]
    method: str
    optimal: bool
    seconds: float = 0.0
    tolerance: float = REL_TOL


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


def _best(keys: tuple[np.ndarray, np.ndarray, np.ndarray]) -> int:
    """Index of the lexicographically smallest key (values equal within REL_TOL tie)."""
    u, a, b = keys
    cand = np.arange(u.shape[0])
    for values in (u, a, b):
        v = values[cand]
        low = float(v.min())
        # ties within REL_TOL of the least value itself (as _less compares two keys), not of the
        # largest value in the chunk, which would tie sets farther apart than that
        tol = REL_TOL * (max(1.0, abs(low)) if np.isfinite(low) else 1.0)
        cand = cand[v <= low + tol]
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
    return Solution(
        tuple(sorted(chosen)), key, "heuristic", False, time.perf_counter() - t0, math.nan
    )


# -- MILP --------------------------------------------------------------------------------------
def _infeasible_message(cost: np.ndarray, p: int, *, heuristic: bool = False) -> str:
    finite = np.isfinite(cost)
    need = [int(np.flatnonzero(row)[0]) for row in finite if row.sum() == 1]
    forced = len(set(need))
    how = "the heuristic found no" if heuristic else "no"
    extra = f" ({forced} candidates are the only option of some demand)" if forced > p else ""
    return f"{how} set of {p} node(s) serves every demand site under the constraints{extra}"


#: HiGHS stops a MIP at an absolute gap of 1e-6 in objective units (its ``mip_abs_gap``
#: default; scipy exposes only the relative gap, which is set to 0 here).
HIGHS_ABS_GAP = 1e-6
#: Largest objective coefficient after scaling (keeps HiGHS's numerics sound).
_MAX_COEF = 1e6


def _factor(lower: float, smallest: float, largest: float) -> float:
    """Objective scale making HiGHS's absolute gap at most ``REL_TOL / 10`` of the optimum.

    ``lower`` bounds the optimum from below; ``smallest`` is the smallest positive value the
    objective can take (an optimum is 0 or at least it). Capped so that no coefficient
    exceeds :data:`_MAX_COEF` (the proven tolerance is then coarser; see :class:`Solution`).
    """
    ref = max(lower, smallest)
    f = HIGHS_ABS_GAP / (0.1 * REL_TOL * ref) if ref > 0 else 1.0
    if largest > 0:
        f = min(f, _MAX_COEF / largest)
    return f


def _milp(
    c: np.ndarray,
    rows: list[tuple[sparse.spmatrix, np.ndarray, np.ndarray]],
    integrality: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    time_limit: float,
) -> tuple[np.ndarray | None, bool]:
    """Solve with HiGHS at relative gap 0; a solve that presolve wrongly calls infeasible is
    tried again without presolve (HiGHS's presolve tolerances can cut off a row held at its
    optimum, as in the coverage tie-break)."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded only when solving

    a = sparse.vstack([r[0] for r in rows]).tocsr()
    lo = np.concatenate([r[1] for r in rows])
    hi = np.concatenate([r[2] for r in rows])
    for presolve in (True, False):
        res = milp(
            c,
            constraints=LinearConstraint(a, lo, hi),
            integrality=integrality,
            bounds=Bounds(lower, upper),
            options={"time_limit": time_limit, "mip_rel_gap": 0.0, "presolve": presolve},
        )
        if res.x is not None:
            return np.asarray(res.x), res.status == 0
    return None, False


def _center_feasible(
    reach: np.ndarray, p: int, time_limit: float
) -> tuple[tuple[int, ...] | None, bool]:
    """``p`` columns such that every row has a True entry among them, if any (set, proven)."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded only when solving

    d, n = reach.shape
    if not reach.any(axis=1).all():
        return None, True
    a = sparse.vstack(
        [sparse.csr_matrix(reach.astype(float)), sparse.csr_matrix(np.ones((1, n)))]
    ).tocsr()
    lo = np.concatenate([np.ones(d), [p]])
    hi = np.concatenate([np.full(d, np.inf), [p]])
    res = milp(
        np.zeros(n),
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        options={"time_limit": time_limit, "presolve": True},
    )
    if res.x is None:
        return None, res.status == 2
    chosen = np.flatnonzero(res.x > 0.5)
    if chosen.size != p or not reach[:, chosen].any(axis=1).all():  # pragma: no cover
        return None, False
    return tuple(int(c) for c in chosen), True


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
    sum with the first objective held at its optimum). Every solve runs at relative gap 0 with
    its objective scaled so that HiGHS's absolute gap is at most ``REL_TOL / 10`` of the optimum;
    :attr:`Solution.tolerance` is the relative tolerance actually proven (``REL_TOL`` unless the
    coefficients forced a coarser scale).

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
    finite = np.isfinite(cost)
    optimal = True
    tolerance = REL_TOL

    def scaled(values: np.ndarray, lower: float) -> np.ndarray:
        """Objective coefficients ``values`` (>= 0) scaled by :func:`_factor`; records the
        relative tolerance the solve proves."""
        nonlocal tolerance
        pos = values[values > 0]
        smallest = float(pos.min()) if pos.size else 0.0
        largest = float(values.max()) if values.size else 0.0
        f = _factor(lower, smallest, largest)
        ref = max(lower, smallest)
        if ref > 0:
            tolerance = max(tolerance, HIGHS_ABS_GAP / f / ref)
        return values * f

    def assignment_model(
        mask: np.ndarray, extra_cols: int = 0
    ) -> tuple[np.ndarray, np.ndarray, list]:
        """Columns y (n), x (entries of mask), then ``extra_cols``; rows: assign, x <= y,
        sum y = p."""
        dd, cc = np.nonzero(mask)
        k = dd.size
        ncol = n + k + extra_cols
        ones = np.ones(k)
        assign = sparse.coo_matrix((ones, (dd, n + np.arange(k))), shape=(d, ncol))
        link = sparse.coo_matrix(
            (
                np.concatenate([ones, -ones]),
                (np.concatenate([np.arange(k)] * 2), np.concatenate([n + np.arange(k), cc])),
            ),
            shape=(k, ncol),
        )
        count = sparse.coo_matrix((np.ones(n), (np.zeros(n), np.arange(n))), shape=(1, ncol))
        rows = [
            (assign, np.ones(d), np.ones(d)),
            (link, np.full(k, -np.inf), np.zeros(k)),
            (count, np.array([p]), np.array([p])),
        ]
        return dd, cc, rows

    def solve(
        obj: np.ndarray, rows: list, k: int, extra_cols: int, upper_extra: float = 1.0
    ) -> np.ndarray | None:
        nonlocal optimal
        ncol = n + k + extra_cols
        integrality = np.concatenate([np.ones(n), np.zeros(k + extra_cols)])
        upper = np.ones(ncol)
        upper[n + k :] = upper_extra
        x, ok = _milp(obj, rows, integrality, np.zeros(ncol), upper, time_limit)
        if x is not None:
            optimal &= ok
        return x

    def solve_median(mask: np.ndarray, extra: Any = None) -> np.ndarray | None:
        """p-median over the entries of ``mask``; ``extra(k) -> (rows, cols)`` adds columns
        after x and rows over them."""
        extra_rows, extra_cols = extra(int(mask.sum())) if extra is not None else ([], 0)
        dd, cc, rows = assignment_model(mask, extra_cols)
        k = dd.size
        values = weights[dd] * cost[dd, cc]
        lower = float((weights * np.where(mask, cost, np.inf).min(axis=1)).sum())
        obj = np.concatenate([np.zeros(n), scaled(values, lower), np.zeros(extra_cols)])
        x = solve(obj, rows + extra_rows, k, extra_cols)
        return None if x is None else x[:n]

    if objective == "median":
        y = solve_median(finite)
        if y is None:
            raise InfeasiblePlacementError(_infeasible_message(cost, p))
    elif objective == "center":
        # stage 1: the optimum is one of the matrix entries: the smallest entry v for which
        # some p nodes reach every demand within v (a pure 0/1 feasibility MILP, no
        # continuous tolerances), by bisection over the sorted distinct entries
        values = np.unique(cost[finite])
        first: tuple[int, ...] | None = None
        # every demand needs its nearest entry: the optimum is at least the largest of those,
        # and often equal to it, so that entry is tried first
        lo_i = int(np.searchsorted(values, np.where(finite, cost, np.inf).min(axis=1).max()))
        hi_i = values.size - 1
        found, proven = _center_feasible(cost <= values[lo_i], p, time_limit)
        optimal &= proven
        if found is not None:
            first, hi_i = found, lo_i - 1
        else:
            lo_i += 1
        while lo_i <= hi_i:
            mid = (lo_i + hi_i) // 2
            found, proven = _center_feasible(cost <= values[mid], p, time_limit)
            optimal &= proven
            if found is not None:
                first, hi_i = found, mid - 1
            else:
                lo_i = mid + 1
        if first is None:
            raise InfeasiblePlacementError(_infeasible_message(cost, p))
        z_star = evaluate(cost, weights, first, objective="center")[1]
        # stage 2: p-median over the entries within z* (the stage-1 set is feasible for it)
        within = finite & (cost <= z_star + REL_TOL * max(1.0, z_star))
        y = solve_median(within)
        if y is None:  # pragma: no cover - the stage-1 set solves it; tie-break unproven
            y, optimal = np.isin(np.arange(n), first).astype(float), False
    else:
        assert cover is not None
        # stage 1: max sum w u with every demand assigned; columns y, x, u
        cd, ccov = np.nonzero(cover)

        def cover_rows(k: int) -> tuple[list, int]:
            ncol = n + k + d
            urow = sparse.coo_matrix(
                (
                    np.concatenate([np.ones(d), -np.ones(cd.size)]),
                    (
                        np.concatenate([np.arange(d), cd]),
                        np.concatenate([n + k + np.arange(d), ccov]),
                    ),
                ),
                shape=(d, ncol),
            )
            return [(urow, np.full(d, -np.inf), np.zeros(d))], d

        urows, _ = cover_rows(int(finite.sum()))
        dd, _, rows = assignment_model(finite, d)
        k = dd.size
        total = float(weights.sum())
        # covered weight is a multiple-free sum of weights: scale it to about 1e4 so that the
        # absolute gap is 1e-10 of the total weight
        wf = weights * (HIGHS_ABS_GAP / (0.1 * REL_TOL * total))
        tolerance = max(tolerance, REL_TOL / 10)
        obj = np.concatenate([np.zeros(n + k), -wf])
        x = solve(obj, rows + urows, k, d)
        if x is None:
            raise InfeasiblePlacementError(_infeasible_message(cost, p))
        stage1 = tuple(int(c) for c in np.flatnonzero(x[:n] > 0.5))
        best_cov = -evaluate(cost, weights, stage1, objective="coverage", cover=cover)[1]
        slack = REL_TOL * max(1.0, best_cov)

        def hold(k2: int) -> tuple[list, int]:
            urows2, extra_cols = cover_rows(k2)
            row = sparse.coo_matrix(
                (weights, (np.zeros(d), n + k2 + np.arange(d))), shape=(1, n + k2 + d)
            )
            return [*urows2, (row, np.array([best_cov - slack]), np.array([np.inf]))], extra_cols

        # stage 2: p-median with coverage held at its optimum (the stage-1 set is feasible)
        y = solve_median(finite, hold)
        if y is None:  # both presolve settings failed: keep stage 1, tie-break unproven
            y, optimal = np.isin(np.arange(n), stage1).astype(float), False
    chosen = tuple(int(c) for c in np.flatnonzero(y > 0.5))
    if len(chosen) != p:  # numerical noise: keep the p largest
        chosen = tuple(sorted(int(c) for c in np.argsort(-y, kind="stable")[:p]))
    key = evaluate(cost, weights, chosen, objective=objective, cover=cover)
    if key[0] > 0:  # pragma: no cover - every model assigns every demand to a finite entry
        raise InfeasiblePlacementError(_infeasible_message(cost, p))
    if objective == "coverage" and -key[1] < best_cov - slack:
        # the tie-break lost coverage through solver tolerances: the stage-1 set is the answer
        chosen, optimal = stage1, False
        key = evaluate(cost, weights, chosen, objective=objective, cover=cover)
    return Solution(chosen, key, "milp", optimal, time.perf_counter() - t0, tolerance)


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
