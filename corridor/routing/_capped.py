"""Minimum-total link- or node-disjoint paths with a latency cap on *every* path (exact MILP).

Without a cap, successive shortest paths (Suurballe) give the minimum-total set of ``k`` disjoint
paths, but the slowest path of that set may break a per-path cap while another set, dearer in
total, keeps every path under it. Capping each path is a resource-constrained problem (deciding
whether two disjoint paths both within a bound exist is NP-complete: Li, McCormick and
Simchi-Levi, "The complexity of finding two disjoint paths with min-max objective function",
Discrete Applied Mathematics 26 (1990) 105-115), so it is solved exactly as a mixed-integer
program with HiGHS through :func:`scipy.optimize.milp`:

Binary ``x[p, a]`` for paths ``p = 1..k`` and usable arcs ``a``; unit s-t flow conservation per
path; every link carries at most one path (``sum_p sum_{a in link} x[p, a] <= 1``); in node mode
every intermediate site is entered at most once over all paths; every path costs at most the
cap (``sum_a w_a x[p, a] <= cap``); path costs non-decreasing in ``p`` (symmetry breaking).
Minimise the total cost. With ``w >= 0`` a detached cycle can only have zero weight, and the
decomposition drops cycles without raising any path's cost, so no subtour rows are needed.

HiGHS runs with ``mip_rel_gap = 0`` (and its default absolute gap of ``1e-6`` in cost units), so
an ``"optimal"`` status is proven to within ``1e-6`` ms. On the time limit the incumbent, if any,
comes back as ``"feasible"`` with the solver's dual bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CappedResult", "capped_disjoint"]

#: HiGHS relative MIP gap for every exact routing MILP: zero, so "optimal" means optimal up to
#: the solver's absolute gap (1e-6 in cost units, its default).
MIP_OPTIONS = {"mip_rel_gap": 0.0, "disp": False}


@dataclass(frozen=True)
class CappedResult:
    """Result of :func:`capped_disjoint`.

    ``status`` is ``"optimal"`` (proven), ``"feasible"`` (time limit: best found, ``bound`` is
    the proven lower bound on the total), ``"infeasible"`` (proven: no such set of ``k`` paths)
    or ``"unknown"`` (time limit without any solution; nothing proven).
    """

    status: str
    paths: tuple[np.ndarray, ...] = ()
    bound: float = math.nan
    costs: tuple[float, ...] = field(default_factory=tuple)


def capped_disjoint(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    k: int,
    node_disjoint: bool,
    cap: float,
    *,
    time_limit: float = 10.0,
    arc_system: np.ndarray | None = None,
    handoff: float = 0.0,
    path_caps: tuple[float, ...] | None = None,
    primary_only: bool = False,
) -> CappedResult:
    """``k`` disjoint ``source``-``target`` paths, each of cost ``<= cap``, of minimum total cost.

    The arrays are the CSR multigraph of :mod:`corridor._kernels`; ``cap`` is in the same units as
    ``weight`` (compared with a relative tolerance of ``1e-9``). With ``arc_system`` and
    ``handoff > 0`` a path's capped cost also counts ``handoff`` per change of system between
    consecutive arcs (the expected latency of :mod:`corridor.latency`): at every intermediate
    site ``v`` and system ``q``, ``z >= |in_q(v) - out_q(v)|`` (arcs of system ``q`` entering
    and leaving ``v`` on the path) and a change costs ``handoff * sum_q z / 2``; every site is
    entered at most once per path, so each path is simple and the count exact. The objective
    stays the total of ``weight``.

    ``path_caps`` gives path ``p`` its own cap (default ``cap`` for all; arcs over the largest
    are left out); ``primary_only`` minimises the first path's cost alone (the fastest primary
    that has backups within their caps). Either one drops the symmetry-breaking order.
    """
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded only when solving

    from corridor.routing.srlg import _Problem

    empty_srlg = np.zeros(1, dtype=np.int64)
    pr = _Problem(
        indptr,
        head,
        weight,
        arc_link,
        arc_ok,
        node_ok,
        source,
        target,
        empty_srlg,
        np.empty(0, dtype=np.int64),
    )
    s, t = pr.source, pr.target
    if s == t or not (0 <= s < pr.n and 0 <= t < pr.n) or not (pr.node_ok[s] and pr.node_ok[t]):
        return CappedResult("infeasible", bound=math.inf)
    tail = pr.tail
    usable = (
        pr.arc_ok
        & pr.node_ok[tail]
        & pr.node_ok[pr.head]
        & (tail != pr.head)
        & (pr.head != s)
        & (tail != t)
        & (pr.weight <= max(path_caps or (cap,)) * (1 + 1e-9) + 1e-12)
    )
    caps = tuple(path_caps) if path_caps is not None else (cap,) * k
    symmetric = path_caps is None and not primary_only
    arcs = np.flatnonzero(usable)
    na = arcs.shape[0]
    if na == 0:
        return CappedResult("infeasible", bound=math.inf)
    nodes = np.unique(np.concatenate([tail[arcs], pr.head[arcs], [s, t]]))
    n_index = np.full(pr.n, -1, dtype=np.int64)
    n_index[nodes] = np.arange(nodes.shape[0])
    nn = nodes.shape[0]
    ncol = k * na
    w = pr.weight[arcs]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    r = 0
    b = np.zeros(nn)
    b[n_index[s]] = 1.0
    b[n_index[t]] = -1.0
    col = np.arange(na)
    for p in range(k):
        off = p * na
        rows += [r + n_index[tail[arcs]], r + n_index[pr.head[arcs]]]
        cols += [off + col, off + col]
        vals += [np.ones(na), -np.ones(na)]
        lo.append(b)
        hi.append(b)
        r += nn
    # each link carries at most one path, once
    links, l_row = np.unique(pr.arc_link[arcs], return_inverse=True)
    for p in range(k):
        rows.append(r + l_row)
        cols.append(p * na + col)
        vals.append(np.ones(na))
    lo.append(np.full(links.shape[0], -np.inf))
    hi.append(np.ones(links.shape[0]))
    r += links.shape[0]
    if node_disjoint:
        inner = (pr.head[arcs] != t) & (pr.head[arcs] != s)
        heads, h_row = np.unique(pr.head[arcs][inner], return_inverse=True)
        for p in range(k):
            rows.append(r + h_row)
            cols.append(p * na + col[inner])
            vals.append(np.ones(int(inner.sum())))
        lo.append(np.full(heads.shape[0], -np.inf))
        hi.append(np.ones(heads.shape[0]))
        r += heads.shape[0]
    # handoffs: z[p, v, q] >= |in_q(v) - out_q(v)| at intermediate sites (module docstring)
    nz = 0
    z_of_path: list[tuple[np.ndarray, np.ndarray]] = []
    if arc_system is not None and handoff > 0:
        terms = handoff_terms(
            tail[arcs], pr.head[arcs], np.asarray(arc_system)[arcs], s, t,
            [p * na for p in range(k)], r, ncol, handoff,
        )  # fmt: skip
        rows += terms.rows
        cols += terms.cols
        vals += terms.vals
        lo += terms.lo
        hi += terms.hi
        r, nz, z_of_path = terms.next_row, terms.n_cols, terms.cap_terms
    # every path within the cap
    for p in range(k):
        rows.append(np.full(na, r))
        cols.append(p * na + col)
        vals.append(w)
        if z_of_path:
            zc, zw = z_of_path[p]
            rows.append(np.full(zc.shape[0], r))
            cols.append(zc)
            vals.append(zw)
        lo.append(np.array([-np.inf]))
        hi.append(np.array([caps[p] * (1 + 1e-9) + 1e-12]))
        r += 1
    # cost(p) <= cost(p + 1)
    for p in range(k - 1 if symmetric else 0):
        rows += [np.full(na, r), np.full(na, r)]
        cols += [p * na + col, (p + 1) * na + col]
        vals += [w, -w]
        lo.append(np.array([-np.inf]))
        hi.append(np.array([0.0]))
        r += 1
    nv = ncol + nz
    a_mat = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r, nv)
    )
    path_cost = np.tile(w, k)
    if primary_only:
        path_cost[na:] = 0.0
    res = milp(
        np.concatenate([path_cost, np.zeros(nz)]),
        constraints=LinearConstraint(a_mat, np.concatenate(lo), np.concatenate(hi)),
        integrality=np.concatenate([np.ones(ncol, dtype=np.int64), np.zeros(nz, dtype=np.int64)]),
        bounds=Bounds(np.zeros(nv), np.concatenate([np.ones(ncol), np.full(nz, np.inf)])),
        options={**MIP_OPTIONS, "time_limit": max(0.1, float(time_limit))},
    )
    if res.status == 2:
        return CappedResult("infeasible", bound=math.inf)
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(bound) if bound is not None else math.nan
    if res.x is None:
        return CappedResult("unknown", bound=bound)
    paths = []
    for p in range(k):
        flow = np.zeros(pr.m, dtype=np.bool_)
        flow[arcs] = res.x[p * na : (p + 1) * na] > 0.5
        paths.append(pr.walk(flow))
    costs = tuple(pr.cost(q) for q in paths)
    if res.status == 0:
        return CappedResult("optimal", tuple(paths), float(sum(costs)), costs)
    return CappedResult("feasible", tuple(paths), bound, costs)


@dataclass
class HandoffTerms:
    """Rows and columns that count handoffs on the paths of a routing MILP (see below)."""

    rows: list[np.ndarray]
    cols: list[np.ndarray]
    vals: list[np.ndarray]
    lo: list[np.ndarray]
    hi: list[np.ndarray]
    next_row: int
    n_cols: int
    #: per path: the z columns and their weights to add to that path's capped cost row
    cap_terms: list[tuple[np.ndarray, np.ndarray]]


def handoff_terms(
    tails: np.ndarray,
    heads: np.ndarray,
    systems: np.ndarray,
    source: int,
    target: int,
    path_offsets: list[int],
    row0: int,
    col0: int,
    handoff: float,
) -> HandoffTerms:
    """Handoff counting for paths whose binary arc columns start at ``path_offsets``.

    ``tails``, ``heads`` and ``systems`` describe the MILP's arcs (column ``off + j`` is arc
    ``j`` of a path). For every path, intermediate site ``v`` and system ``q``: a continuous
    ``z >= |in_q(v) - out_q(v)|`` (two rows), and every site entered at most once (one row per
    site), so the path is simple and ``handoff * sum z / 2`` is exactly its handoff delay (a
    change at ``v`` makes ``z = 1`` for the system in and the system out). New columns start at
    ``col0``, new rows at ``row0``.
    """
    na = tails.shape[0]
    col = np.arange(na)
    into = (heads != target) & (heads != source)
    outof = (tails != target) & (tails != source)
    width = int(systems.max(initial=0)) + 1
    keys = np.concatenate(
        [heads[into] * width + systems[into], tails[outof] * width + systems[outof]]
    )
    _, g_of = np.unique(keys, return_inverse=True)
    n_in = int(into.sum())
    g_in, g_out = g_of[:n_in], g_of[n_in:]
    ng = int(g_of.max(initial=-1)) + 1
    _, h_row = np.unique(heads, return_inverse=True)
    nh = int(h_row.max(initial=-1)) + 1
    out = HandoffTerms([], [], [], [], [], row0, 0, [])
    r = row0
    for off in path_offsets:
        zc = col0 + out.n_cols + np.arange(ng)
        for sign in (1.0, -1.0):  # z - sign * (in - out) >= 0
            out.rows += [r + g_in, r + g_out, r + np.arange(ng)]
            out.cols += [off + col[into], off + col[outof], zc]
            out.vals += [np.full(n_in, -sign), np.full(g_out.shape[0], sign), np.ones(ng)]
            out.lo.append(np.zeros(ng))
            out.hi.append(np.full(ng, np.inf))
            r += ng
        out.rows.append(r + h_row)  # each site entered at most once on this path
        out.cols.append(off + col)
        out.vals.append(np.ones(na))
        out.lo.append(np.full(nh, -np.inf))
        out.hi.append(np.ones(nh))
        r += nh
        out.cap_terms.append((zc, np.full(ng, 0.5 * handoff)))
        out.n_cols += ng
    out.next_row = r
    return out
