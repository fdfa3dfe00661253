"""SRLG-disjoint path pairs: exact MILP (HiGHS through :func:`scipy.optimize.milp`) and heuristic.

A *shared risk link group* (SRLG) is a set of links that fail together (a duct, a bridge, a
cable ship's route). Each link has zero or more SRLG ids (CSR ``link_srlg_indptr`` /
``link_srlg_ids``) and is also implicitly its own risk, so SRLG-disjoint implies link-disjoint.
A path's *risks* are its links plus the SRLG ids of its links; a pair is SRLG-disjoint when the
two risk sets do not meet. The min-cost SRLG-disjoint pair problem is NP-hard [1]_, unlike the
link-disjoint pair (Suurballe [3]_), whose cost is therefore a lower bound used here as a
certificate: when the min-cost link-disjoint pair happens to be SRLG-disjoint it is optimal.

Exact method
------------
Binary arc variables ``x[p, a]`` for paths ``p = 1, 2``; flow conservation per path; continuous
``0 <= y[p, g] <= 1`` with ``y[p, g] >= x[p, a]`` for every arc ``a`` whose link is in SRLG ``g``;
``y[1, g] + y[2, g] <= 1``; for each link ``sum_{a in link} (x[1, a] + x[2, a]) <= 1``. Minimise
``sum_a w_a (x[1, a] + x[2, a])``. No subtour constraints are needed: with ``w >= 0`` a detached
cycle can only have zero weight, and the decomposition drops cycles without changing the cost
or adding risks. When no SRLG-disjoint pair exists, the same model with ``y[1, g] + y[2, g] <= 1 +
z[g]`` (and ``<= 1 + z[link]`` for links) and ``M * sum z`` added to the objective (``M`` larger
than any pair's cost) gives the pair with the fewest shared risks, then minimum cost.

Heuristic
---------
Trap avoidance in the spirit of Xu et al. [2]_: take a primary (shortest path avoiding a set of
excluded risks), remove every link sharing a risk with it and take the shortest backup; then
alternately re-optimise each path against the other's risks. When the backup does not exist (a
*trap*), compute the *conflicting risks*: those of the primary that a backup must cross when
the primary's risks are heavily penalised rather than removed, and branch by excluding each
conflicting risk from the primary. Branches are explored best-first by primary cost, up to
``max_rounds`` primaries. The min-cost link-disjoint pair (Suurballe) seeds the search: each of
its two paths is tried as a primary.

References
----------
.. [1] J. Q. Hu, "Diverse routing in optical mesh networks", IEEE Trans. Communications 51 (2003)
   489-494 (NP-completeness of SRLG-diverse routing).
.. [2] D. Xu, Y. Xiong, C. Qiao and G. Li, "Trap avoidance and protection schemes in networks
   with shared risk link groups", J. Lightwave Technology 21 (2003) 2683-2693.
.. [3] J. W. Suurballe and R. E. Tarjan, "A quick method for finding shortest pairs of disjoint
   paths", Networks 14 (1984) 325-336.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from corridor._kernels.dijkstra import dijkstra
from corridor._kernels.disjoint import k_disjoint

__all__ = ["SrlgPair", "srlg_disjoint_pair"]

Status = str  # "optimal" | "heuristic" | "partial-shared" | "none"


@dataclass(frozen=True)
class SrlgPair:
    """Result of :func:`srlg_disjoint_pair`.

    Attributes
    ----------
    status
        ``"optimal"``: SRLG-disjoint and proven minimum total cost. ``"heuristic"``:
        SRLG-disjoint, not proven optimal (heuristic mode, or the MILP hit its time limit).
        ``"partial-shared"``: no SRLG-disjoint pair exists (exact mode: proven; heuristic mode:
        none was found), so this is the pair with the fewest shared risks (links and SRLG ids)
        then minimum cost (proven in exact mode when ``proven`` is true). ``"none"``: the
        target is unreachable, or no route is within ``cap`` (proven either way).
    paths
        Zero or two arc arrays, sorted by ``(cost, arc sequence)``. In ``"partial-shared"``
        both may be the same path when only one route exists.
    costs
        Path costs (original weights).
    shared_srlgs
        Sorted explicit SRLG ids on both paths (empty unless ``"partial-shared"``).
    shared_links
        Sorted link indices on both paths (empty unless ``"partial-shared"``).
    lower_bound
        Proven lower bound on the cost of an SRLG-disjoint pair (the link-disjoint optimum, or
        the MILP bound); ``inf`` when none can exist, ``nan`` when unknown.
    proven
        Whether the result is proven optimal for its status.
    """

    status: Status
    paths: tuple[np.ndarray, ...] = ()
    costs: tuple[float, ...] = ()
    shared_srlgs: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    shared_links: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    lower_bound: float = math.nan
    proven: bool = False

    @property
    def total_cost(self) -> float:
        """Sum of the path costs (``inf`` without paths)."""
        return float(sum(self.costs)) if self.paths else math.inf


class _Problem:
    """Arrays and risk bookkeeping shared by the exact and heuristic solvers."""

    def __init__(
        self,
        indptr: np.ndarray,
        head: np.ndarray,
        weight: np.ndarray,
        arc_link: np.ndarray,
        arc_ok: np.ndarray,
        node_ok: np.ndarray,
        source: int,
        target: int,
        link_srlg_indptr: np.ndarray,
        link_srlg_ids: np.ndarray,
    ) -> None:
        self.indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        self.head = np.ascontiguousarray(head, dtype=np.int64)
        self.weight = np.ascontiguousarray(weight, dtype=np.float64)
        self.arc_link = np.ascontiguousarray(arc_link, dtype=np.int64)
        self.arc_ok = np.ascontiguousarray(arc_ok, dtype=np.bool_)
        self.node_ok = np.ascontiguousarray(node_ok, dtype=np.bool_)
        self.source = int(source)
        self.target = int(target)
        self.n = self.indptr.shape[0] - 1
        self.m = self.head.shape[0]
        self.tail = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr))
        self.nl = int(self.arc_link.max()) + 1 if self.m else 0
        li = np.ascontiguousarray(link_srlg_indptr, dtype=np.int64)
        ids = np.ascontiguousarray(link_srlg_ids, dtype=np.int64)
        if li.shape[0] < self.nl + 1:
            li = np.concatenate([li, np.full(self.nl + 1 - li.shape[0], li[-1] if li.size else 0)])
        self.link_srlg_indptr = li
        self.link_srlg_ids = ids
        # Risks are integers: link L -> L, SRLG id g -> nl + position of g in ``self.groups``.
        self.groups = np.unique(ids)
        self.ng = self.groups.shape[0]
        link_of_entry = np.repeat(np.arange(li.shape[0] - 1, dtype=np.int64), np.diff(li))
        self.entry_link = link_of_entry
        self.entry_group = np.searchsorted(self.groups, ids)
        # links of each group (CSR) for masking
        order = np.argsort(self.entry_group, kind="stable")
        self.group_links = link_of_entry[order]
        self.group_ptr = np.searchsorted(self.entry_group[order], np.arange(self.ng + 1))
        # arcs of each link (CSR)
        order = np.argsort(self.arc_link, kind="stable")
        self.link_arcs = order
        self.link_ptr = np.searchsorted(self.arc_link[order], np.arange(self.nl + 1))
        total = float(self.weight[self.arc_ok].sum()) if self.m else 0.0
        self.big = 2.0 * total + 1.0
        self.cap = math.inf
        self.arc_system: np.ndarray | None = None
        self.handoff = 0.0

    def capped_cost(self, path: np.ndarray) -> float:
        """The cost the cap applies to: arc weights plus ``handoff`` per change of system."""
        cost = self.cost(path)
        if self.arc_system is None or self.handoff <= 0 or len(path) < 2:
            return cost
        sys_ = self.arc_system[np.asarray(path, dtype=np.int64)]
        return cost + self.handoff * int(np.count_nonzero(sys_[1:] != sys_[:-1]))

    def within_cap(self, *paths: np.ndarray) -> bool:
        """Whether every path's capped cost is at most ``cap`` (relative tolerance ``1e-9``)."""
        limit = self.cap * (1 + 1e-9) + 1e-12
        return all(self.capped_cost(p) <= limit for p in paths)

    # --- risks -------------------------------------------------------------------------------
    def path_risks(self, path: np.ndarray) -> set[int]:
        """Risks of a path: its links, and ``nl`` + the position of each of their SRLGs."""
        links = self.arc_link[np.asarray(path, dtype=np.int64)]
        li = self.link_srlg_indptr
        starts, counts = li[links], li[links + 1] - li[links]
        # positions of every SRLG entry of every link on the path, in one gather
        first = np.repeat(starts - np.cumsum(counts) + counts, counts)
        entries = first + np.arange(int(counts.sum()), dtype=np.int64)
        return set(links.tolist()) | set((self.nl + self.entry_group[entries]).tolist())

    def risk_links(self, risks: set[int]) -> np.ndarray:
        """Links carrying any of ``risks``."""
        links: list[np.ndarray] = []
        for r in risks:
            if r < self.nl:
                links.append(np.array([r], dtype=np.int64))
            else:
                g = r - self.nl
                links.append(self.group_links[self.group_ptr[g] : self.group_ptr[g + 1]])
        if not links:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(links))

    def arc_mask_without(self, risks: set[int]) -> np.ndarray:
        bad = np.zeros(self.nl, dtype=np.bool_)
        bad[self.risk_links(risks)] = True
        return self.arc_ok & ~bad[self.arc_link]

    # --- paths -------------------------------------------------------------------------------
    def cost(self, path: np.ndarray) -> float:
        return float(self.weight[path].sum())

    def least_capped(self) -> np.ndarray:
        """The path of least capped cost (handoffs counted in the search); assumes a route."""
        if self.arc_system is None or self.handoff <= 0:
            found = self.shortest(self.arc_ok)
            assert found is not None
            return found
        from corridor._kernels.service import service_dijkstra

        _, arcs = service_dijkstra(
            self.indptr, self.head, self.weight, self.arc_system, self.arc_ok, self.node_ok,
            self.source, self.target, self.handoff,
        )  # fmt: skip
        return arcs

    def shortest(self, arc_ok: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray | None:
        w = self.weight if weight is None else weight
        dist, pred = dijkstra(
            self.indptr, self.head, w, self.source, self.target, arc_ok, self.node_ok
        )
        if not np.isfinite(dist[self.target]):
            return None
        out = []
        v = self.target
        while v != self.source:
            a = int(pred[v])
            out.append(a)
            v = int(self.tail[a])
        return np.array(out[::-1], dtype=np.int64)

    def walk(self, flow: np.ndarray) -> np.ndarray:
        """Simple path from the unit flow on arcs (boolean per arc), dropping cycles."""
        rem = flow.copy()
        pos = {self.source: 0}
        path: list[int] = []
        v = self.source
        while v != self.target:
            arcs = np.flatnonzero(rem[self.indptr[v] : self.indptr[v + 1]])
            if arcs.size == 0:  # pragma: no cover - flow conservation guarantees an arc
                raise RuntimeError("broken flow in MILP solution")
            a = int(self.indptr[v] + arcs[0])
            rem[a] = False
            w = int(self.head[a])
            if w in pos:
                for b in path[pos[w] :]:
                    pos.pop(int(self.head[b]), None)
                del path[pos[w] :]
            else:
                path.append(a)
                pos[w] = len(path)
            v = w
        return np.array(path, dtype=np.int64)

    def result(
        self,
        status: Status,
        p: np.ndarray,
        q: np.ndarray,
        lower_bound: float,
        proven: bool,
    ) -> SrlgPair:
        cp, cq = self.cost(p), self.cost(q)
        if (cq, tuple(q)) < (cp, tuple(p)):
            p, q, cp, cq = q, p, cq, cp
        shared = self.path_risks(p) & self.path_risks(q)
        links = np.array(sorted(r for r in shared if r < self.nl), dtype=np.int64)
        groups = np.array(
            sorted(int(self.groups[r - self.nl]) for r in shared if r >= self.nl), dtype=np.int64
        )
        if status == "partial-shared" and not shared:
            status = "optimal" if proven else "heuristic"
        return SrlgPair(status, (p, q), (cp, cq), groups, links, lower_bound, proven)


def srlg_disjoint_pair(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    link_srlg_indptr: np.ndarray,
    link_srlg_ids: np.ndarray,
    *,
    exact: bool = True,
    time_limit: float = 10.0,
    max_rounds: int = 32,
    cap: float = math.inf,
    arc_system: np.ndarray | None = None,
    handoff: float = 0.0,
) -> SrlgPair:
    """Minimum-cost pair of SRLG-disjoint paths, or the least-sharing pair when none exists.

    Parameters
    ----------
    indptr, head, weight, arc_link, arc_ok, node_ok
        CSR multigraph and masks (see :mod:`corridor._kernels`); ``weight >= 0``.
    source, target
        End nodes (distinct).
    link_srlg_indptr, link_srlg_ids
        SRLG ids of link ``L`` are ``link_srlg_ids[link_srlg_indptr[L]:link_srlg_indptr[L+1]]``
        (any non-negative integers; a shorter ``indptr`` means later links have none).
    exact
        Solve the MILP (HiGHS) unless the link-disjoint optimum is already SRLG-disjoint.
        Otherwise run the trap-avoiding heuristic only.
    time_limit
        Seconds for each MILP solve. On timeout the best of the MILP incumbent and the
        heuristic is returned with status ``"heuristic"``.
    max_rounds
        Primaries examined by the heuristic.
    cap
        Maximum cost of each path (relative tolerance ``1e-9``). The MILPs hold every path
        to it; the heuristic keeps only pairs within it.
    arc_system, handoff
        With both, a path's cost under the cap also counts ``handoff`` per change of
        ``arc_system`` between consecutive arcs (the expected latency; the MILPs count it with
        :func:`corridor.routing._capped.handoff_terms`); the objective stays the arc weights.

    Returns
    -------
    SrlgPair

    Notes
    -----
    The heuristic costs ``O(R (n + m) log m)`` for ``R = max_rounds`` (a few Dijkstra runs
    per primary) plus one :func:`~corridor._kernels.disjoint.k_disjoint`. The MILP has
    ``4 m + 2 G`` columns (``G`` SRLG ids) and ``2 n + 2 E + G + L`` rows (``E`` arc-SRLG
    memberships, ``L`` links); its worst case is exponential, bounded by ``time_limit``. HiGHS
    runs with ``mip_rel_gap = 0`` (absolute gap ``1e-6``, its default): the penalised objective
    is large (``M`` per shared risk), so the default relative gap of ``1e-4`` could otherwise
    return a least-sharing pair that is not the cheapest one.

    Heuristic mode never proves that no SRLG-disjoint pair exists unless not even a
    link-disjoint pair exists (``lower_bound`` is then ``inf``): a ``"partial-shared"`` result
    with a finite or ``nan`` ``lower_bound`` only says that none was *found*.
    """
    pr = _Problem(
        indptr,
        head,
        weight,
        arc_link,
        arc_ok,
        node_ok,
        source,
        target,
        link_srlg_indptr,
        link_srlg_ids,
    )
    if (
        pr.source == pr.target
        or not (0 <= pr.source < pr.n and 0 <= pr.target < pr.n)
        or not pr.node_ok[pr.source]
        or not pr.node_ok[pr.target]
    ):
        return SrlgPair("none", lower_bound=math.inf, proven=True)
    pr.cap = float(cap)
    if arc_system is not None and handoff > 0:
        pr.arc_system = np.ascontiguousarray(arc_system, dtype=np.int64)
        pr.handoff = float(handoff)
    first = pr.shortest(pr.arc_ok)
    if first is None:
        return SrlgPair("none", lower_bound=math.inf, proven=True)
    if not pr.within_cap(first) and not pr.within_cap(pr.least_capped()):
        return SrlgPair("none", lower_bound=math.inf, proven=True)  # no path within the cap

    offsets, arcs, costs = k_disjoint(
        pr.indptr,
        pr.head,
        pr.weight,
        pr.arc_link,
        pr.arc_ok,
        pr.node_ok,
        pr.source,
        pr.target,
        2,
        False,
    )
    if costs.shape[0] == 2:
        lower = float(costs.sum())
        p, q = arcs[offsets[0] : offsets[1]], arcs[offsets[1] : offsets[2]]
        if not (pr.path_risks(p) & pr.path_risks(q)) and pr.within_cap(p, q):
            return pr.result("optimal", p, q, lower, True)
        seeds = [p, q]
    else:
        lower = math.inf  # not even link-disjoint: no SRLG-disjoint pair exists
        seeds = []

    heur = _heuristic(pr, seeds, max_rounds) if seeds else None
    if not exact:
        if heur is not None:
            total = pr.cost(heur[0]) + pr.cost(heur[1])
            proven = total <= lower + 1e-9 * max(1.0, abs(lower))
            return pr.result("optimal" if proven else "heuristic", *heur, lower, proven)
        p, q = _least_shared_heuristic(pr, first)
        return pr.result("partial-shared", p, q, lower, False)

    if math.isfinite(lower):
        res = _milp(pr, penalised=False, time_limit=time_limit)
        if res.status == "optimal":
            return pr.result("optimal", res.p, res.q, res.bound, True)
        if res.status == "feasible" or heur is not None:
            cands = []
            if res.status == "feasible":
                cands.append((res.p, res.q))
            if heur is not None:
                cands.append(heur)
            best = min(cands, key=lambda pq: pr.cost(pq[0]) + pr.cost(pq[1]))
            bound = max(lower, res.bound) if math.isfinite(res.bound) else lower
            return pr.result("heuristic", *best, bound, False)
        if res.status != "infeasible":
            # timed out without any SRLG-disjoint pair: fall through to the least-shared pair
            # without proof of infeasibility
            p, q = _least_shared_heuristic(pr, first)
            return pr.result("partial-shared", p, q, math.nan, False)
    res = _milp(pr, penalised=True, time_limit=time_limit)
    if res.status in ("optimal", "feasible"):
        return pr.result("partial-shared", res.p, res.q, math.inf, res.status == "optimal")
    if res.status == "infeasible":  # not even the shortest path twice fits under the cap
        return SrlgPair("none", lower_bound=math.inf, proven=True)
    p, q = _least_shared_heuristic(pr, first)  # pragma: no cover - MILP timed out
    return pr.result("partial-shared", p, q, math.inf, False)


# --- heuristic ---------------------------------------------------------------------------------


def _heuristic(
    pr: _Problem, seeds: list[np.ndarray], max_rounds: int
) -> tuple[np.ndarray, np.ndarray] | None:
    best: tuple[np.ndarray, np.ndarray] | None = None
    best_cost = math.inf

    def consider(p: np.ndarray, q: np.ndarray) -> None:
        nonlocal best, best_cost
        # alternate re-optimisation: each path shortest against the other's risks
        for _ in range(4):
            improved = False
            for _side in range(2):
                alt = pr.shortest(pr.arc_mask_without(pr.path_risks(q)))
                if alt is not None and pr.cost(alt) < pr.cost(p) - 1e-12:
                    p = alt
                    improved = True
                p, q = q, p
            if not improved:
                break
        c = pr.cost(p) + pr.cost(q)
        if c < best_cost - 1e-12 and pr.within_cap(p, q):
            best, best_cost = (p, q), c

    penal = pr.weight + pr.big
    seen: set[frozenset[int]] = set()
    heap: list[tuple[float, int, frozenset[int], np.ndarray | None]] = []
    counter = 0
    for s in seeds:
        heapq.heappush(heap, (pr.cost(s), counter, frozenset(), s))
        counter += 1
    heapq.heappush(heap, (0.0, counter, frozenset(), None))
    counter += 1
    rounds = 0
    while heap and rounds < max_rounds:
        _, _, excluded, primary = heapq.heappop(heap)
        if primary is None:
            if excluded in seen:
                continue
            seen.add(excluded)
            primary = pr.shortest(pr.arc_mask_without(set(excluded)))
            if primary is None:
                continue
        rounds += 1
        if pr.cost(primary) >= best_cost or not pr.within_cap(primary):
            continue  # a pair can only cost more than its primary
        risks = pr.path_risks(primary)
        backup = pr.shortest(pr.arc_mask_without(risks))
        if backup is not None:
            consider(primary, backup)
            continue
        # trap: conflicting risks are those the penalised backup cannot avoid
        bad = np.zeros(pr.nl, dtype=np.bool_)
        bad[pr.risk_links(risks)] = True
        w = np.where(bad[pr.arc_link], penal, pr.weight)
        detour = pr.shortest(pr.arc_ok, w)
        if detour is None:
            continue
        conflicting = sorted(risks & pr.path_risks(detour))
        for r in conflicting:
            child = excluded | {r}
            if child not in seen:
                heapq.heappush(heap, (pr.cost(primary), counter, child, None))
                counter += 1
    return best


def _least_shared_heuristic(pr: _Problem, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shortest path plus the backup minimising (shared risky links, cost) against it."""
    bad = np.zeros(pr.nl, dtype=np.bool_)
    bad[pr.risk_links(pr.path_risks(first))] = True
    w = np.where(bad[pr.arc_link], pr.weight + pr.big, pr.weight)
    other = pr.shortest(pr.arc_ok, w)
    assert other is not None
    if not pr.within_cap(other):  # the shortest path twice is within the cap
        other = first
    return first, other


# --- MILP --------------------------------------------------------------------------------------


@dataclass
class _MilpResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "timeout"
    p: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    q: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    bound: float = math.nan


def _milp(pr: _Problem, *, penalised: bool, time_limit: float) -> _MilpResult:
    from scipy.optimize import Bounds, LinearConstraint, milp  # loaded only when solving

    s, t = pr.source, pr.target
    tail, head = pr.tail, pr.head
    usable = (
        pr.arc_ok & pr.node_ok[tail] & pr.node_ok[head] & (tail != head) & (head != s) & (tail != t)
    )
    arcs = np.flatnonzero(usable)
    na = arcs.shape[0]
    # memberships (arc column, group) for arcs on links with SRLGs
    li = pr.link_srlg_indptr
    links_of = pr.arc_link[arcs]
    cnt = li[links_of + 1] - li[links_of]
    mem_arc = np.repeat(np.arange(na), cnt)
    starts = np.repeat(li[links_of], cnt)
    within = np.arange(mem_arc.shape[0]) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    mem_group = pr.entry_group[starts + within]
    groups_used = np.unique(mem_group)
    g_index = np.full(pr.ng, -1, dtype=np.int64)
    g_index[groups_used] = np.arange(groups_used.shape[0])
    ng = groups_used.shape[0]
    link_used = np.unique(links_of)
    l_index = np.full(pr.nl, -1, dtype=np.int64)
    l_index[link_used] = np.arange(link_used.shape[0])
    nlk = link_used.shape[0]
    ne = mem_arc.shape[0]

    # columns: x1 [0, na), x2 [na, 2na), y1 [2na, 2na+ng), y2, then z_g (ng), z_l (nlk)
    x1, x2, y1, y2 = 0, na, 2 * na, 2 * na + ng
    zg = 2 * na + 2 * ng
    zl = zg + ng
    ncol = zl + nlk if penalised else zg

    rows, cols, vals = [], [], []
    lo, hi = [], []
    r = 0
    # flow conservation for each path over nodes touched by usable arcs
    nodes = np.unique(np.concatenate([tail[arcs], head[arcs], [s, t]]))
    n_index = np.full(pr.n, -1, dtype=np.int64)
    n_index[nodes] = np.arange(nodes.shape[0])
    nn = nodes.shape[0]
    b = np.zeros(nn)
    b[n_index[s]] = 1.0
    b[n_index[t]] = -1.0
    for off in (x1, x2):
        rows += [r + n_index[tail[arcs]], r + n_index[head[arcs]]]
        cols += [off + np.arange(na), off + np.arange(na)]
        vals += [np.ones(na), -np.ones(na)]
        lo.append(b)
        hi.append(b)
        r += nn
    # y[p, g] >= x[p, a]  <=>  x - y <= 0
    if ne:
        for xo, yo in ((x1, y1), (x2, y2)):
            e = np.arange(ne)
            rows += [r + e, r + e]
            cols += [xo + mem_arc, yo + g_index[mem_group]]
            vals += [np.ones(ne), -np.ones(ne)]
            lo.append(np.full(ne, -np.inf))
            hi.append(np.zeros(ne))
            r += ne
    # y1 + y2 (- z) <= 1
    if ng:
        gi = np.arange(ng)
        rows += [r + gi, r + gi]
        cols += [y1 + gi, y2 + gi]
        vals += [np.ones(ng), np.ones(ng)]
        if penalised:
            rows.append(r + gi)
            cols.append(zg + gi)
            vals.append(-np.ones(ng))
        lo.append(np.full(ng, -np.inf))
        hi.append(np.ones(ng))
        r += ng
    # link: sum over its arcs of x1 + x2 (- z) <= 1
    if nlk:
        lrow = r + l_index[links_of]
        rows += [lrow, lrow]
        cols += [x1 + np.arange(na), x2 + np.arange(na)]
        vals += [np.ones(na), np.ones(na)]
        if penalised:
            rows.append(r + np.arange(nlk))
            cols.append(zl + np.arange(nlk))
            vals.append(-np.ones(nlk))
        lo.append(np.full(nlk, -np.inf))
        hi.append(np.ones(nlk))
        r += nlk
    hand = None
    if math.isfinite(pr.cap) and pr.arc_system is not None and pr.handoff > 0:
        from corridor.routing._capped import handoff_terms

        hand = handoff_terms(
            tail[arcs], head[arcs], pr.arc_system[arcs], s, t, [x1, x2], r, ncol, pr.handoff
        )
        rows += hand.rows
        cols += hand.cols
        vals += hand.vals
        lo += hand.lo
        hi += hand.hi
        r = hand.next_row
        ncol0, ncol = ncol, ncol + hand.n_cols
    else:
        ncol0 = ncol
    a_mat = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r, ncol)
    )
    c = np.zeros(ncol)
    w = pr.weight[arcs]
    c[x1 : x1 + na] = w
    c[x2 : x2 + na] = w
    upper = np.ones(ncol)
    upper[ncol0:] = np.inf  # handoff counters
    if penalised:
        c[zg:ncol0] = pr.big
    integrality = np.zeros(ncol, dtype=np.int64)
    integrality[: 2 * na] = 1
    constraints = [LinearConstraint(a_mat, np.concatenate(lo), np.concatenate(hi))]
    if math.isfinite(pr.cap):  # each path within the cap
        cap_rows = np.zeros((2, ncol))
        cap_rows[0, x1 : x1 + na] = pr.weight[arcs]
        cap_rows[1, x2 : x2 + na] = pr.weight[arcs]
        if hand is not None:  # and its handoffs (columns after ``ncol0``)
            for i, (zc, zw) in enumerate(hand.cap_terms):
                cap_rows[i, zc] = zw
        constraints.append(LinearConstraint(cap_rows, -np.inf, pr.cap * (1 + 1e-9) + 1e-12))
    res = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(np.zeros(ncol), upper),
        # gap 0: with the penalty M in the objective, a relative gap would hide cost differences
        options={"time_limit": max(0.1, float(time_limit)), "disp": False, "mip_rel_gap": 0.0},
    )
    if res.status == 2:
        return _MilpResult("infeasible", bound=math.inf)
    if res.x is None:
        return _MilpResult("timeout")
    x = res.x
    f1 = np.zeros(pr.m, dtype=np.bool_)
    f2 = np.zeros(pr.m, dtype=np.bool_)
    f1[arcs] = x[x1 : x1 + na] > 0.5
    f2[arcs] = x[x2 : x2 + na] > 0.5
    p, q = pr.walk(f1), pr.walk(f2)
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(bound) if bound is not None and not penalised else math.nan
    status = "optimal" if res.status == 0 else "feasible"
    if status == "optimal" and not penalised:
        bound = pr.cost(p) + pr.cost(q)
    return _MilpResult(status, p, q, bound)
