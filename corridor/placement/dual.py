"""Dual homing: does a demand site reach a node over two disjoint paths within an SLA?

:func:`disjoint_within` decides, exactly, whether two link-disjoint (``mode="link"``) or
SRLG-disjoint (``mode="srlg"``: no common shared-risk group and no common link) paths from
``s`` to ``t`` exist whose costs both stay within ``cap`` (``cap = inf``: any latency), and
returns such a pair. Cheap tests first, a small MILP only when they cannot decide:

1. the minimum-total-latency pair (Suurballe/Bhandari :func:`~corridor._kernels.disjoint.k_disjoint`
   for links; the trap-avoiding SRLG heuristic for SRLGs): if both its paths fit, done;
2. no link-disjoint pair at all, or a minimum total above ``2 cap``: infeasible (an SRLG-disjoint
   pair is link-disjoint, and a pair within ``cap`` has total at most ``2 cap``);
3. otherwise a two-commodity binary flow MILP (:func:`scipy.optimize.milp`) with one unit of
   flow per path, link capacity one, per-path latency ``<= cap`` and, for SRLGs, a group used by
   one path forbidden to the other; it minimises the slower path. Cycles a flow may carry only
   add latency, so the MILP is exact for existence. Before it is built, every arc that no
   ``s``-``t`` walk within ``cap`` can use (``d(s, u) + w + d(v, t) > cap``, from one forward
   and one reverse Dijkstra) is dropped: the answer is the same and the MILP is typically
   three to five times smaller, which turns seconds into milliseconds when no pair exists.

The pair returned in case 1 is the minimum-total pair; in case 3 the pair minimising the slower
path. "Backup" is the slower path of the pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from corridor._kernels.dijkstra import dijkstra
from corridor._kernels.disjoint import k_disjoint
from corridor._kernels.ksp import _reverse_tree
from corridor.network import Network
from corridor.placement._names import DUAL_MODES
from corridor.routing.srlg import srlg_disjoint_pair

__all__ = ["DUAL_MODES", "DualPair", "disjoint_within"]


@dataclass(frozen=True)
class DualPair:
    """Outcome of :func:`disjoint_within` (costs are kernel costs: latency + target delay)."""

    feasible: bool
    paths: tuple[np.ndarray, ...] = ()
    costs: tuple[float, ...] = ()
    how: str = ""
    decided: bool = True


def _fits(costs: tuple[float, ...], cap: float) -> bool:
    tol = 1e-9 * max(1.0, cap if math.isfinite(cap) else 1.0)
    return len(costs) == 2 and max(costs) <= cap + tol


def disjoint_within(
    net: Network,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    s: int,
    t: int,
    *,
    mode: str,
    cap: float = math.inf,
    time_limit: float = 10.0,
) -> DualPair:
    """Two disjoint paths from ``s`` to ``t``, both of cost ``<= cap``, if any exist.

    Parameters
    ----------
    net
        The network (its CSR arrays and SRLG membership are used).
    arc_ok, node_ok
        Usable arcs and sites.
    s, t
        Node indices (distinct).
    mode
        ``"link"`` or ``"srlg"``.
    cap
        Maximum kernel cost of each path (one-way latency plus the target's equipment delay).
    """
    args = (net.indptr, net.head, net.weight, net.arc_link, arc_ok, node_ok, s, t)
    offsets, arcs, costs = k_disjoint(*args, 2, False)
    if costs.shape[0] < 2:
        return DualPair(False, how="no link-disjoint pair exists")
    link_pair = tuple(arcs[offsets[i] : offsets[i + 1]] for i in range(2))
    link_costs = (float(costs[0]), float(costs[1]))
    if math.isfinite(cap) and sum(link_costs) > 2.0 * cap + 1e-9 * max(1.0, cap):
        return DualPair(False, how="the fastest disjoint pair exceeds the SLA")
    if mode == "link":
        if _fits(link_costs, cap):
            return DualPair(True, link_pair, link_costs, "min-total pair")
    else:
        found = srlg_disjoint_pair(
            *args, net.link_srlg_indptr, net.link_srlg_ids, exact=False, time_limit=time_limit
        )
        if found.status in ("optimal", "heuristic") and _fits(tuple(found.costs), cap):
            return DualPair(True, tuple(found.paths), tuple(found.costs), "min-total pair")
    if math.isfinite(cap):
        arc_ok = arc_ok & _within_cap(net, arc_ok, node_ok, s, t, cap)
    return _milp_pair(net, arc_ok, node_ok, s, t, mode=mode, cap=cap, time_limit=time_limit)


def _within_cap(
    net: Network, arc_ok: np.ndarray, node_ok: np.ndarray, s: int, t: int, cap: float
) -> np.ndarray:
    """Arcs on some ``s``-``t`` walk of cost ``<= cap`` (the others cannot serve either path)."""
    d_from, _ = dijkstra(net.indptr, net.head, net.weight, s, -1, arc_ok, node_ok)
    d_to = _reverse_tree(net.indptr, net.head, net.weight, arc_ok, node_ok, t)[0]
    tol = 1e-9 * max(1.0, cap)
    return np.asarray(d_from[net.tail] + net.weight + d_to[net.head] <= cap + tol)


def _milp_pair(
    net: Network,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    s: int,
    t: int,
    *,
    mode: str,
    cap: float,
    time_limit: float,
) -> DualPair:
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded only when solving

    ok = arc_ok & node_ok[net.tail] & node_ok[net.head]
    arcs = np.flatnonzero(ok)
    m = arcs.size
    n = net.n_sites
    w = net.weight[arcs]
    tail, head, link = net.tail[arcs], net.head[arcs], net.arc_link[arcs]
    # columns: f1 (m), f2 (m), [g1 (G), g2 (G)], zmax
    groups: np.ndarray = np.empty(0, dtype=np.int64)
    gcol: dict[int, int] = {}
    if mode == "srlg":
        members = [
            net.link_srlg_ids[net.link_srlg_indptr[li] : net.link_srlg_indptr[li + 1]]
            for li in link
        ]
        groups = np.unique(np.concatenate(members)) if members else groups
        gcol = {int(g): i for i, g in enumerate(groups)}
    ng = groups.size
    ncol = 2 * m + 2 * ng + 1
    zc = ncol - 1
    lo: list[float] = []
    hi: list[float] = []
    r = 0
    data: list[float] = []
    ri: list[int] = []
    ci: list[int] = []

    def add(row: int, col: int, val: float) -> None:
        ri.append(row)
        ci.append(col)
        data.append(val)

    rhs = np.zeros(n)
    rhs[s], rhs[t] = 1.0, -1.0
    for k in range(2):
        off = k * m
        for j in range(m):
            add(r + int(tail[j]), off + j, 1.0)
            add(r + int(head[j]), off + j, -1.0)
        lo.extend(rhs)
        hi.extend(rhs)
        r += n
    # link capacity: both commodities, both directions
    nl = net.n_links
    for k in range(2):
        for j in range(m):
            add(r + int(link[j]), k * m + j, 1.0)
    lo.extend([-np.inf] * nl)
    hi.extend([1.0] * nl)
    r += nl
    # latency: sum w f_k - z <= 0 and sum w f_k <= cap
    for k in range(2):
        for j in range(m):
            add(r, k * m + j, float(w[j]))
        add(r, zc, -1.0)
        lo.append(-np.inf)
        hi.append(0.0)
        r += 1
    # symmetry: the two commodities are interchangeable, so let the first be the faster
    for j in range(m):
        add(r, j, float(w[j]))
        add(r, m + j, -float(w[j]))
    lo.append(-np.inf)
    hi.append(0.0)
    r += 1
    if mode == "srlg":
        base = 2 * m
        for k in range(2):
            for j in range(m):
                for g in net.link_srlg_ids[
                    net.link_srlg_indptr[link[j]] : net.link_srlg_indptr[link[j] + 1]
                ]:
                    add(r, k * m + j, 1.0)
                    add(r, base + k * ng + gcol[int(g)], -1.0)
                    lo.append(-np.inf)
                    hi.append(0.0)
                    r += 1
        for g in range(ng):
            add(r, base + g, 1.0)
            add(r, base + ng + g, 1.0)
            lo.append(-np.inf)
            hi.append(1.0)
            r += 1
    a = sparse.csr_matrix((data, (ri, ci)), shape=(r, ncol))
    obj = np.zeros(ncol)
    obj[zc] = 1.0
    obj[: 2 * m] = 1e-6  # a tiny push against useless cycles
    upper = np.ones(ncol)
    upper[zc] = cap if math.isfinite(cap) else np.inf
    integrality = np.ones(ncol)
    integrality[zc] = 0
    res = milp(
        obj,
        constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
        integrality=integrality,
        bounds=Bounds(np.zeros(ncol), upper),
        options={"time_limit": time_limit},
    )
    if res.x is None:
        if res.status == 2:  # infeasible
            return DualPair(False, how="no disjoint pair within the SLA (MILP)")
        return DualPair(
            False, how="undecided: the MILP hit its time limit (counted infeasible)", decided=False
        )
    x = res.x
    paths, costs = [], []
    for k in range(2):
        used = arcs[x[k * m : (k + 1) * m] > 0.5]
        path = _walk(net, used, s, t)
        paths.append(path)
        costs.append(float(net.weight[path].sum()))
    order = np.argsort(costs, kind="stable")
    return DualPair(
        True,
        tuple(paths[i] for i in order),
        tuple(costs[i] for i in order),
        "min-max pair (MILP)",
    )


def _walk(net: Network, used: np.ndarray, s: int, t: int) -> np.ndarray:
    """The simple s-t path inside a set of flow arcs (cycles are cut out)."""
    out: dict[int, list[int]] = {}
    for a in used:
        out.setdefault(int(net.tail[a]), []).append(int(a))
    path: list[int] = []
    pos: dict[int, int] = {s: 0}
    v = s
    while v != t:
        a = out[v].pop()
        path.append(a)
        v = int(net.head[a])
        if v in pos:  # a cycle: drop it
            del path[pos[v] :]
            pos = {u: i for u, i in pos.items() if i <= pos[v]}
        else:
            pos[v] = len(path)
    return np.array(path, dtype=np.int64)
