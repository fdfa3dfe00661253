"""Restricted master LP of the path-based multi-commodity flow (:mod:`corridor.capacity.flow`).

Column generation solves the master many times, each time with a few more columns. Two ways:

:class:`WarmMaster`
    One HiGHS instance (the solver inside :func:`scipy.optimize.linprog`, reached through
    SciPy's HiGHS binding) holds the model; new columns are appended and the LP is re-solved by
    the simplex method from the last optimal basis, so a round costs the few pivots the new
    columns need instead of a solve from scratch. The second, least-latency phase changes the
    costs and bounds of the same model in place and starts from the first phase's basis.
:class:`ColdMaster`
    Builds the LP anew each round and solves it with :func:`scipy.optimize.linprog` (used when
    SciPy's HiGHS binding is not available, and by the tests as an independent check).

Modes (the question asked of the master): ``carried``, ``carried-short``, ``concurrent``,
``minmax``, ``minmax-short`` (see :func:`solve_cold`). Dual prices keep linprog's convention
(marginals: change of the objective per unit of right-hand side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from corridor._errors import CorridorError

if TYPE_CHECKING:
    from corridor.capacity.flow import _Graph

try:  # SciPy >= 1.15 ships the HiGHS Python binding (highspy's core) inside scipy.optimize
    from scipy.optimize._highspy import _core as _highs_core
except ImportError:  # pragma: no cover - older SciPy: every round is a cold linprog solve
    _highs_core = None

__all__ = ["ColdMaster", "Columns", "FlowError", "Solution", "WarmMaster", "new_master"]


class FlowError(CorridorError):
    """The LP solver failed on a problem that should be feasible (a numerical failure)."""


@dataclass
class Columns:
    pair: list[int] = field(default_factory=list)
    links: list[np.ndarray] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    seen: set[tuple[int, bytes]] = field(default_factory=set)
    keys: list[tuple[int, bytes]] = field(default_factory=list)
    arcs: list[np.ndarray] = field(default_factory=list)

    def add(self, k: int, arcs: np.ndarray, g: _Graph) -> bool:
        """Add pair ``k``'s path ``arcs`` unless already there; return whether it was added."""
        key = (k, arcs.tobytes())
        if key in self.seen:
            return False
        self.seen.add(key)
        self.keys.append(key)
        self.pair.append(k)
        self.arcs.append(arcs)
        self.links.append(np.asarray(g.arc_link[arcs], dtype=np.int64))
        t = int(g.head[arcs[-1]])
        self.latency.append(float(g.weight[arcs].sum() - g.delay[t]))
        return True

    def matrix(self, n_links: int) -> sp.csr_matrix:
        """Link x column incidence."""
        n = len(self.pair)
        if not n:
            return sp.csr_matrix((n_links, 0))
        lens = np.fromiter((len(x) for x in self.links), dtype=np.int64, count=n)
        rows = np.concatenate(self.links)
        cols = np.repeat(np.arange(n, dtype=np.int64), lens)
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_links, n))

    def __len__(self) -> int:
        return len(self.pair)


@dataclass
class Solution:
    x: np.ndarray
    extra: float
    y_pair: np.ndarray
    pi: np.ndarray  # per link (network order), >= 0
    y_total: float
    objective: float


def solve_cold(
    cols: Columns,
    demand: np.ndarray,
    cap: np.ndarray,
    mode: str,
    *,
    total: float = 0.0,
    level: float = 1.0,
) -> Solution:
    """One restricted master LP. ``mode``: carried, carried-short, concurrent, minmax,
    minmax-short. ``total``: the throughput held in carried-short; ``level``: the utilisation
    held in minmax-short."""
    n = len(cols)
    kp = len(demand)
    full = cols.matrix(len(cap))
    used = np.flatnonzero(full.getnnz(axis=1))
    extra_var = mode in ("concurrent", "minmax")
    nv = n + (1 if extra_var else 0)
    a_link = full[used]
    if extra_var:
        a_link = sp.hstack([a_link, sp.csr_matrix((len(used), 1))]).tocsr()
    a_pair = sp.csr_matrix(
        (np.ones(n), (np.array(cols.pair, dtype=np.int64), np.arange(n))), shape=(kp, nv)
    )
    lat = np.array(cols.latency)
    cap_rows = cap[used]
    b_link = cap_rows.copy()
    bounds = [(0.0, None)] * nv
    a_eq = b_eq = None
    if mode == "carried":
        c = np.full(nv, -1.0)
        a_ub = sp.vstack([a_pair, a_link]).tocsr()
        b_ub = np.concatenate([demand, b_link])
    elif mode == "carried-short":
        c = lat.copy()
        tot = sp.csr_matrix(-np.ones((1, nv)))
        a_ub = sp.vstack([a_pair, a_link, tot]).tocsr()
        b_ub = np.concatenate([demand, b_link, [-total]])
    elif mode == "concurrent":
        c = np.zeros(nv)
        c[-1] = -1.0
        lam = sp.csr_matrix((-demand, (np.arange(kp), np.full(kp, n))), shape=(kp, nv))
        a_eq, b_eq = (a_pair + lam).tocsr(), np.zeros(kp)
        a_ub, b_ub = a_link, b_link
    elif mode == "minmax":
        c = np.zeros(nv)
        c[-1] = 1.0
        ucol = sp.csr_matrix(
            (-cap_rows, (np.arange(len(used)), np.full(len(used), n))), shape=(len(used), nv)
        )
        a_ub, b_ub = (a_link + ucol).tocsr(), np.zeros(len(used))
        a_eq, b_eq = a_pair, demand
    elif mode == "minmax-short":
        c = lat.copy()
        a_ub, b_ub = a_link, b_link * level
        a_eq, b_eq = a_pair, demand
    else:  # pragma: no cover - internal
        msg = f"unknown master mode {mode!r}"
        raise ValueError(msg)
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        msg = f"the flow LP ({mode}) failed: {res.message}"
        raise FlowError(msg)
    y_ub = np.asarray(res.ineqlin.marginals) if a_ub is not None else np.empty(0)
    y_eq = np.asarray(res.eqlin.marginals) if a_eq is not None else np.empty(0)
    pi = np.zeros(len(cap))
    y_total = 0.0
    if mode in ("carried", "carried-short"):
        y_pair = y_ub[:kp]
        pi[used] = -y_ub[kp : kp + len(used)]
        if mode == "carried-short":
            y_total = float(y_ub[-1])
    else:
        y_pair = y_eq[:kp]
        pi[used] = -y_ub[: len(used)]
    pi = np.maximum(pi, 0.0)
    return Solution(
        x=np.asarray(res.x[:n]),
        extra=float(res.x[n]) if extra_var else 0.0,
        y_pair=y_pair,
        pi=pi,
        y_total=y_total,
        objective=float(res.fun),
    )


class ColdMaster:
    """The master LP rebuilt and solved by :func:`scipy.optimize.linprog` every round."""

    def __init__(self, demand: np.ndarray, cap: np.ndarray, mode: str, **kw: float) -> None:
        self.demand, self.cap, self.mode, self.kw = demand, cap, mode, kw

    def switch(self, mode: str, *, cols: Columns, **kw: float) -> None:
        """Ask the second-phase question ``mode`` (holding ``total`` or ``level``)."""
        self.mode, self.kw = mode, kw

    def solve(self, cols: Columns) -> Solution:
        """Optimum over the columns in ``cols``."""
        return solve_cold(cols, self.demand, self.cap, self.mode, **self.kw)


class WarmMaster:
    """The master LP kept in one HiGHS model: columns appended, re-solved from the last basis.

    Rows: one per pair (``0..kp-1``), one per link (``kp..kp+L-1``) and, in ``carried-short``,
    the held total. Columns: the extra variable first (``lambda`` in ``concurrent``, the peak
    utilisation in ``minmax``; fixed at 0 otherwise), then the paths in :class:`Columns` order.
    """

    def __init__(
        self,
        demand: np.ndarray,
        cap: np.ndarray,
        mode: str,
        *,
        total: float = 0.0,
        level: float = 1.0,
    ) -> None:
        if _highs_core is None:  # pragma: no cover - checked by new_master
            msg = "SciPy's HiGHS binding is not available"
            raise FlowError(msg)
        if mode not in ("carried", "concurrent", "minmax"):
            msg = f"a warm master starts in a first-phase mode, not {mode!r}"
            raise ValueError(msg)
        hc = _highs_core
        self._inf = float(hc.kHighsInf)
        h = hc._Highs()
        h.setOptionValue("output_flag", False)
        # Primal simplex: appended columns leave the last basis primal feasible, so a re-solve
        # takes tens of pivots (HiGHS's default dual simplex took hundreds here).
        h.setOptionValue("simplex_strategy", 4)
        self.h = h
        self.mode = mode
        self.demand = np.asarray(demand, dtype=float)
        self.cap = np.asarray(cap, dtype=float)
        self.kp, self.nl = len(self.demand), len(self.cap)
        self.n = 0  # path columns in the model
        self.total_row = False
        inf = self._inf
        kp, nl = self.kp, self.nl
        if mode == "carried":
            p_lo, p_hi, l_hi = np.full(kp, -inf), self.demand, self.cap
        elif mode == "concurrent":
            p_lo, p_hi, l_hi = np.zeros(kp), np.zeros(kp), self.cap
        else:  # minmax
            p_lo, p_hi, l_hi = self.demand, self.demand, np.zeros(nl)
        lower = np.concatenate([p_lo, np.full(nl, -inf)])
        upper = np.concatenate([p_hi, l_hi])
        nr = kp + nl
        h.addRows(
            nr,
            lower,
            upper,
            0,
            np.zeros(nr, dtype=np.int32),
            np.empty(0, dtype=np.int32),
            np.empty(0, dtype=float),
        )
        if mode == "concurrent":  # sum_p x_p - d_k lambda = 0, maximise lambda
            rows, vals, cost, hi = np.arange(kp), -self.demand, -1.0, inf
        elif mode == "minmax":  # sum_p x_p - cap_l u <= 0, minimise u
            rows = kp + np.flatnonzero(self.cap > 0)
            vals, cost, hi = -self.cap[self.cap > 0], 1.0, inf
        else:
            rows, vals, cost, hi = np.empty(0, dtype=np.int64), np.empty(0), 0.0, 0.0
        self._check(
            h.addCols(
                1,
                np.array([cost]),
                np.zeros(1),
                np.array([hi]),
                len(rows),
                np.zeros(1, dtype=np.int32),
                rows.astype(np.int32),
                vals.astype(float),
            ),
            "addCols",
        )

    def _check(self, status: object, what: str) -> None:
        if status != _highs_core.HighsStatus.kOk:  # type: ignore[union-attr]
            msg = f"the flow LP ({self.mode}): HiGHS {what} returned {status}"
            raise FlowError(msg)

    def _path_cost(self, latency: np.ndarray) -> np.ndarray:
        if self.mode == "carried":
            return np.full(len(latency), -1.0)
        if self.mode.endswith("-short"):
            return np.asarray(latency, dtype=float)
        return np.zeros(len(latency))

    def _append(self, cols: Columns) -> None:
        new = range(self.n, len(cols))
        if not len(new):
            return
        count = len(new)
        lens = np.fromiter((len(cols.links[j]) for j in new), dtype=np.int64, count=count)
        local = np.arange(count, dtype=np.int64)
        rows = [
            np.asarray(cols.pair[self.n :], dtype=np.int64),
            self.kp + np.concatenate([cols.links[j] for j in new]),
        ]
        where = [local, np.repeat(local, lens)]
        vals = [np.ones(count), np.ones(int(lens.sum()))]
        if self.total_row:
            rows.append(np.full(count, self.kp + self.nl, dtype=np.int64))
            where.append(local)
            vals.append(-np.ones(count))
        # CSC with summed duplicates: a link a path used twice would count twice
        a = sp.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(where))),
            shape=(self.kp + self.nl + (1 if self.total_row else 0), count),
        )
        a.sum_duplicates()
        a.sort_indices()
        starts = a.indptr[:-1].astype(np.int32)
        index = a.indices.astype(np.int32)
        values = a.data.astype(float)
        lat = np.asarray(cols.latency[self.n :], dtype=float)
        self._check(
            self.h.addCols(
                count,
                self._path_cost(lat),
                np.zeros(count),
                np.full(count, self._inf),
                len(index),
                starts,
                index,
                values,
            ),
            "addCols",
        )
        self.n = len(cols)

    def switch(self, mode: str, *, total: float = 0.0, level: float = 1.0, cols: Columns) -> None:
        """Turn the first-phase model into the second phase ``mode`` in place (same basis)."""
        h, inf = self.h, self._inf
        self._append(cols)
        lat = np.asarray(cols.latency[: self.n], dtype=float)
        idx = np.arange(1, self.n + 1, dtype=np.int32)
        if mode == "carried-short" and self.mode == "carried":
            self.mode = mode
            self._check(h.changeColsCost(self.n, idx, lat), "changeColsCost")
            self._check(h.addRow(-inf, -float(total), self.n, idx, -np.ones(self.n)), "addRow")
            self.total_row = True
        elif mode == "minmax-short" and self.mode == "minmax":
            self.mode = mode
            self._check(h.changeColsCost(self.n, idx, lat), "changeColsCost")
            self._check(h.changeColCost(0, 0.0), "changeColCost")
            self._check(h.changeColBounds(0, 0.0, 0.0), "changeColBounds")
            for li in range(self.nl):
                self._check(
                    h.changeRowBounds(self.kp + li, -inf, float(self.cap[li] * level)),
                    "changeRowBounds",
                )
        else:
            msg = f"cannot switch the master from {self.mode!r} to {mode!r}"
            raise ValueError(msg)

    def solve(self, cols: Columns) -> Solution:
        """Optimum over the columns in ``cols`` (new ones are appended first)."""
        self._append(cols)
        h = self.h
        h.run()
        ok = _highs_core.HighsModelStatus.kOptimal  # type: ignore[union-attr]
        if h.getModelStatus() != ok:  # a numerical hiccup: retry from scratch once
            h.clearSolver()
            h.run()
            if h.getModelStatus() != ok:
                msg = (
                    f"the flow LP ({self.mode}) failed: {h.modelStatusToString(h.getModelStatus())}"
                )
                raise FlowError(msg)
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        y = np.asarray(sol.row_dual, dtype=float)
        kp, nl = self.kp, self.nl
        pi = np.maximum(-y[kp : kp + nl], 0.0)
        return Solution(
            x=x[1:],
            extra=float(x[0]),
            y_pair=y[:kp],
            pi=pi,
            y_total=float(y[kp + nl]) if self.total_row else 0.0,
            objective=float(h.getInfo().objective_function_value),
        )


def new_master(
    demand: np.ndarray, cap: np.ndarray, mode: str, *, warm: bool = True, **kw: float
) -> WarmMaster | ColdMaster:
    """A master for first-phase ``mode``: warm-started HiGHS when available and ``warm``."""
    if warm and _highs_core is not None:
        return WarmMaster(demand, cap, mode, **kw)
    return ColdMaster(demand, cap, mode, **kw)
