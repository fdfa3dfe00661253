"""Exact routing under path constraints: via items in any order, hop limits, k best.

``via`` (sites, countries, links, in any order) and ``max_hops`` cannot be expressed as masks on
the CSR arrays. They are solved exactly here, without a cap on examined candidates:

1. **Walk relaxation** (a resource-constrained label-setting search): Dijkstra (the numba kernel
   of :mod:`corridor._kernels.dijkstra`) on a layered copy of the graph, one layer per subset of
   via items already touched, from ``(source, touched at the source)`` to ``(target, all
   touched)``. Its answer is the fastest *walk* meeting every via item; every loopless path is
   such a walk, so when the walk is a simple path within the hop and latency limits it is
   optimal, and when no walk exists (or the fastest is over the latency limit) no path exists:
   a proof of infeasibility.
2. **Flow proof** (the fastest walk revisits a site, e.g. a spur into a via country and back,
   or breaks ``max_hops``): with one via item missing on two-way links, a loopless route
   through an edge or site exists exactly when two site-disjoint paths leave it, one to each
   end (Menger); no such edge or site is a proof that no route exists.
3. **Best-first search over simple paths** (:mod:`corridor._kernels.elementary`), bounded
   below by the walk relaxation run backwards from the target: optimal when it ends, a proof
   of infeasibility when its heap empties; it gives up after :data:`ELEMENTARY_BUDGET`
   expansions.
4. **Short k-shortest probe**: the first feasible path among the :data:`KSP_PROBE` fastest
   loopless paths (in cost order, so optimal when there is one).
5. **Integer program** last: one binary per usable arc, flow conservation,
   in-degree at most one per site (simple paths), one covering row per via item, the hop and
   latency limits, solved with HiGHS through :func:`scipy.optimize.milp`. Solutions that close
   cycles apart from the path are cut off lazily with connectivity cuts (for a cycle ``S`` and
   each ``k`` in ``S``: arcs entering ``S`` >= arcs entering ``k``), which every simple
   ``s``-``t`` path satisfies, until the answer is one path. An infeasible program is a proof
   that no route exists.

The ``k`` best paths come from Lawler's (1972) partition of Yen's (1971) algorithm on top of
this exact single-path solver: each subproblem fixes a prefix of an earlier path and bans the
arcs already taken from its last site, and is solved exactly on the graph with the prefix's
sites removed, the prefix's via items counted as touched and the hop and latency budgets
reduced by the prefix's. Subproblems partition the feasible paths, so answers come out in
nondecreasing latency and none is missed.

Distinct routes (``by="site"``): the graph is first collapsed to one arc per ordered site pair
and per set of via items the arc touches (the fastest such parallel arc), so the k best paths of
the collapsed graph are the k best *site sequences*; a sequence that reappears with a different
parallel arc (only possible when parallel arcs touch different via items) is skipped, and the
first time a sequence comes out is its fastest feasible version.

A time limit (``time_limit_s``) only bounds the integer programs; hitting it raises
:class:`~corridor._errors.SearchLimitError` saying so (with the best path found, if any),
never "no route".
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from corridor._errors import SearchLimitError
from corridor._kernels import dijkstra, ksp, path_arcs
from corridor._kernels.elementary import elementary_path
from corridor.network import Network

__all__ = [
    "DEFAULT_TIME_LIMIT_S",
    "SearchGraph",
    "best_path",
    "graph_from_arcs",
    "iter_paths",
    "search_graph",
    "via_cover_bits",
]

#: Seconds the integer programs of one request may take before the search says it stopped.
DEFAULT_TIME_LIMIT_S = 120.0

_EPS = 1e-9

#: Loopless paths tried in cost order before the integer program (cheap when one passes).
KSP_PROBE = 512


@dataclass(frozen=True)
class SearchGraph:
    """A CSR graph of the usable arcs of one request, with the via items each arc touches."""

    n: int
    indptr: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    weight: np.ndarray
    #: Arc of the network each arc stands for.
    orig: np.ndarray
    #: Bit ``i`` set when the arc touches via item ``i``.
    cover: np.ndarray
    #: Via bits touched at each site by starting there.
    site_cover: np.ndarray
    #: All via bits.
    need: int
    #: True when the graph keeps one arc per site pair and via signature.
    collapsed: bool


def via_cover_bits(
    net: Network,
    via_sites: tuple[str, ...],
    via_countries: tuple[str, ...],
    via_links: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, int]:
    """Via bits per network arc and per site (a site touches its country by starting there),
    and the mask of all bits: what a walk must have touched to satisfy the via items."""
    look = net.lookup
    cover = np.zeros(len(net.head), dtype=np.int64)
    site_cover = np.zeros(net.n_sites, dtype=np.int64)
    bit = 0
    for s in via_sites:
        v = net.site_index(s)
        cover[net.head == v] |= 1 << bit
        site_cover[v] |= 1 << bit
        bit += 1
    for c in via_countries:
        # same rule as Path.countries: the countries the links cross, plus the source's
        crosses = np.array([c in cs for cs in look.link_countries], dtype=bool)
        cover[crosses[net.arc_link]] |= 1 << bit
        site_cover[np.array([x == c for x in look.site_country], dtype=bool)] |= 1 << bit
        bit += 1
    for link in via_links:
        cover[net.arc_link == net.link_index(link)] |= 1 << bit
        bit += 1
    return cover, site_cover, (1 << bit) - 1


def search_graph(
    net: Network,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    *,
    via_sites: tuple[str, ...] = (),
    via_countries: tuple[str, ...] = (),
    via_links: tuple[str, ...] = (),
    collapse: bool = False,
) -> SearchGraph:
    """The usable arcs of a request as a :class:`SearchGraph`.

    With ``collapse`` only the fastest arc is kept per (tail, head, via bits) (ties: lowest arc
    index), so that paths of the result differ in their site sequence (see the module notes).
    """
    cover, site_cover, need = via_cover_bits(net, via_sites, via_countries, via_links)
    ok = arc_ok & node_ok[net.tail] & node_ok[net.head]
    return graph_from_arcs(
        net.tail, net.head, net.weight, cover, site_cover, need, ok=ok, collapse=collapse
    )


def graph_from_arcs(
    tail: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    cover: np.ndarray,
    site_cover: np.ndarray,
    need: int,
    *,
    ok: np.ndarray | None = None,
    collapse: bool = False,
) -> SearchGraph:
    """A :class:`SearchGraph` from plain arc arrays (``ok`` selects the usable arcs)."""
    n = len(site_cover)
    arcs = np.flatnonzero(ok) if ok is not None else np.arange(len(head))
    if collapse and len(arcs):
        order = np.lexsort((arcs, weight[arcs], cover[arcs], head[arcs], tail[arcs]))
        arcs = arcs[order]
        key = np.stack([tail[arcs], head[arcs], cover[arcs]])
        first = np.ones(len(arcs), dtype=bool)
        first[1:] = np.any(key[:, 1:] != key[:, :-1], axis=0)
        arcs = arcs[first]
    arcs = arcs[np.argsort(tail[arcs], kind="stable")]
    sub_tail = np.ascontiguousarray(tail[arcs], dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sub_tail, minlength=n), out=indptr[1:])
    return SearchGraph(
        n=n,
        indptr=indptr,
        head=np.ascontiguousarray(head[arcs], dtype=np.int64),
        tail=sub_tail,
        weight=np.ascontiguousarray(weight[arcs], dtype=np.float64),
        orig=arcs,
        cover=np.ascontiguousarray(cover[arcs], dtype=np.int64),
        site_cover=np.asarray(site_cover, dtype=np.int64),
        need=int(need),
        collapsed=collapse,
    )


@dataclass(frozen=True)
class _Sub:
    """One subproblem: best simple path from ``src`` to ``t`` under budgets and bans."""

    src: int
    t: int
    arc_ok: np.ndarray  # arcs allowed (bans and removed sites applied)
    covered: int
    hops: int | None
    cost_cap: float | None  # on the sum of weights


class _Clock:
    def __init__(self, limit: float) -> None:
        self.start = time.perf_counter()
        self.limit = limit
        self.best_found: float | None = None

    def left(self) -> float:
        return self.limit - (time.perf_counter() - self.start)


def _is_simple(g: SearchGraph, src: int, arcs: np.ndarray) -> bool:
    nodes = np.concatenate([[src], g.head[arcs]])
    return len(np.unique(nodes)) == len(nodes)


def _feasible(g: SearchGraph, sub: _Sub, arcs: np.ndarray) -> bool:
    if sub.hops is not None and len(arcs) > sub.hops:
        return False
    if sub.cost_cap is not None and float(g.weight[arcs].sum()) > sub.cost_cap + _EPS:
        return False
    covered = sub.covered | int(np.bitwise_or.reduce(g.cover[arcs])) if len(arcs) else sub.covered
    return covered & g.need == g.need and _is_simple(g, sub.src, arcs)


@dataclass(frozen=True)
class _Layered:
    """The layered copy of a subproblem's graph: one layer per subset of the missing via
    items, arcs from layer ``state`` to layer ``state | local[arc]``."""

    indptr: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    weight: np.ndarray
    ok: np.ndarray
    #: Missing via bits each arc touches, renumbered 0..len(missing)-1.
    local: np.ndarray
    layers: int


def _layered(g: SearchGraph, sub: _Sub) -> _Layered:
    missing = g.need & ~sub.covered
    bits = [b for b in range(missing.bit_length()) if missing >> b & 1]
    layers = 1 << len(bits)
    local = np.zeros(len(g.head), dtype=np.int64)
    for i, b in enumerate(bits):
        local |= ((g.cover >> b) & 1) << i
    m = len(g.head)
    state = np.arange(layers, dtype=np.int64)
    heads = ((state[:, None] | local[None, :]) * g.n + g.head[None, :]).ravel()
    indptr = np.concatenate(
        [(g.indptr[:-1][None, :] + state[:, None] * m).ravel(), [layers * m]]
    ).astype(np.int64)
    tails = (state[:, None] * g.n + g.tail[None, :]).ravel()
    return _Layered(
        indptr, heads, tails, np.tile(g.weight, layers), np.tile(sub.arc_ok, layers), local, layers
    )


def _walk(g: SearchGraph, sub: _Sub, lay: _Layered | None) -> np.ndarray | None:
    """Fastest walk touching every via item (``None``: none exists, a proof); ``lay`` is the
    layered graph of ``sub``, ``None`` when no via item is missing."""
    if lay is None:
        dist, pred = dijkstra(g.indptr, g.head, g.weight, sub.src, sub.t, sub.arc_ok, _all(g.n))
        if not math.isfinite(dist[sub.t]):
            return None
        return path_arcs(pred, g.tail, sub.src, sub.t)
    s2, t2 = sub.src, (lay.layers - 1) * g.n + sub.t
    dist, pred = dijkstra(lay.indptr, lay.head, lay.weight, s2, t2, lay.ok, _all(lay.layers * g.n))
    if not math.isfinite(dist[t2]):
        return None
    return path_arcs(pred, lay.tail, s2, t2) % len(g.head)


def _proven_unreachable(g: SearchGraph, sub: _Sub) -> bool:
    """True when no simple path can touch the one missing via item (a proof); ``False`` says
    nothing.

    In an undirected graph a simple ``s``-``t`` path through an edge ``{u, v}`` (or a site
    ``x``) exists exactly when two paths leave it, one to ``s`` and one to ``t``, sharing no
    site: a maximum flow of 2 with unit site capacities (Menger). The test applies when exactly
    one via item is missing and the usable arcs are symmetric (both directions of each link,
    apart from arcs into the source and out of the target, which no simple path uses); a via
    country or link is touched by edges, a via site by arriving at it.
    """
    missing = g.need & ~sub.covered
    if missing == 0 or missing & (missing - 1) or sub.src == sub.t:
        return False
    n, src, t = g.n, sub.src, sub.t
    ok = sub.arc_ok & (g.head != src) & (g.tail != t)
    tails, heads = g.tail[ok], g.head[ok]
    hit = (g.cover[ok] & missing) != 0
    inner = (tails != src) & (heads != t)
    key = tails * n + heads
    inner_keys = np.unique(key[inner])
    if not np.array_equal(inner_keys, np.unique(heads[inner] * n + tails[inner])):
        return False  # directed arcs: the undirected argument does not apply
    hit_keys = np.unique(key[hit])
    touched = np.unique(heads[hit])
    by_site = bool(np.isin(key[np.isin(heads, touched)], hit_keys).all())
    if not by_site:
        inner_hit = np.unique(key[hit & inner])
        rev = (inner_hit % n) * n + inner_hit // n
        if not np.isin(rev, hit_keys).all():
            return False  # a cover that depends on the direction: neither edges nor sites
    if by_site and t in touched:
        # every path into the target touches the item: only "no path at all" is a proof
        reach = breadth_first_order(
            coo_matrix((np.ones(len(tails)), (tails, heads)), shape=(n, n)).tocsr(),
            src,
            return_predecessors=False,
        )
        return t not in reach
    # unit-capacity split graph: site v is v (in) -> v + n (out); paths end at the source's or
    # the target's in side (neither is passable); an arc out of the source is read backwards
    passable = np.ones(n, dtype=bool)
    passable[[src, t]] = False
    sites = np.flatnonzero(passable)
    x, sink = 2 * n, 2 * n + 1
    from_src = tails == src
    base_rows = np.r_[sites, np.where(from_src, heads + n, tails + n), src, t]
    base_cols = np.r_[sites + n, np.where(from_src, src, heads), sink, sink]
    starts: list[tuple[list[int], int]]  # (first split nodes, capacity from x to each)
    if by_site:
        starts = [([int(v) + n], 2) for v in touched if v != src]
    else:
        ends = np.sort(np.stack([tails[hit], heads[hit]]), axis=0)
        starts = [([int(u), int(v)], 1) for u, v in np.unique(ends, axis=1).T]
    for first, width in starts:
        rows = np.r_[base_rows, np.full(len(first), x)]
        cols = np.r_[base_cols, first]
        caps = np.r_[np.ones(len(base_rows), dtype=np.int32), np.full(len(first), width)]
        graph = coo_matrix((caps, (rows, cols)), shape=(2 * n + 2, 2 * n + 2)).tocsr()
        graph.sum_duplicates()
        graph.data = np.minimum(graph.data, width).astype(np.int32)
        if maximum_flow(graph, x, sink).flow_value >= 2:
            return False
    return True


#: Partial paths the branch and bound expands before the other exact methods take over.
ELEMENTARY_BUDGET = 500_000


def _elementary(g: SearchGraph, sub: _Sub, lay: _Layered) -> tuple[int, np.ndarray]:
    """Best-first search over simple paths (:mod:`corridor._kernels.elementary`), bounded by
    the layered walk relaxation (``lay``) run backwards from the target: ``(status, arcs)`` as
    there."""
    total = lay.layers * g.n
    # reversed layered graph: each arc read from its head to its tail
    order = np.argsort(lay.head, kind="stable")
    r_indptr = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(np.bincount(lay.head, minlength=total), out=r_indptr[1:])
    r_head = np.ascontiguousarray(lay.tail[order])
    r_ok = np.ascontiguousarray(lay.ok[order])
    t2 = (lay.layers - 1) * g.n + sub.t
    nodes = _all(total)
    r_weight = np.ascontiguousarray(lay.weight[order])
    lower, _ = dijkstra(r_indptr, r_head, r_weight, t2, -1, r_ok, nodes)
    if sub.hops is not None:
        hop, _ = dijkstra(r_indptr, r_head, np.ones(len(order)), t2, -1, r_ok, nodes)
        hop_lower = np.where(np.isfinite(hop), hop, float(g.n + 1))
    else:
        hop_lower = np.zeros(total)
    bound = math.inf if sub.cost_cap is None else sub.cost_cap + _EPS
    status, arcs, _ = elementary_path(
        g.indptr, g.head, g.weight, lay.local, sub.arc_ok, sub.src, sub.t, 0,
        lay.layers - 1, lower, hop_lower, -1 if sub.hops is None else sub.hops, bound,
        ELEMENTARY_BUDGET,
    )  # fmt: skip
    return int(status), arcs


def _all(n: int) -> np.ndarray:
    return np.ones(n, dtype=bool)


def _milp(g: SearchGraph, sub: _Sub, clock: _Clock) -> np.ndarray | None:
    """Exact best simple path by integer programming with lazy connectivity cuts."""
    var = np.flatnonzero(sub.arc_ok & (g.head != sub.src) & (g.tail != sub.t))
    nv = len(var)
    if nv == 0:
        return None
    tails, heads, w = g.tail[var], g.head[var], g.weight[var]
    cols = np.arange(nv)
    rows: list[LinearConstraint] = []
    flow = coo_matrix(
        (np.r_[np.ones(nv), -np.ones(nv)], (np.r_[tails, heads], np.r_[cols, cols])),
        shape=(g.n, nv),
    ).tocsr()
    rhs = np.zeros(g.n)
    rhs[sub.src], rhs[sub.t] = 1.0, -1.0
    rows.append(LinearConstraint(flow, rhs, rhs))
    indeg = coo_matrix((np.ones(nv), (heads, cols)), shape=(g.n, nv)).tocsr()
    rows.append(LinearConstraint(indeg, 0.0, 1.0))
    # no two-site cycle (u -> v -> u over any parallel arcs): most detached cycles are these
    pair = np.minimum(tails, heads) * g.n + np.maximum(tails, heads)
    pairs, row = np.unique(pair, return_inverse=True)
    rows.append(
        LinearConstraint(
            coo_matrix((np.ones(nv), (row, cols)), shape=(len(pairs), nv)).tocsr(), 0.0, 1.0
        )
    )
    missing = g.need & ~sub.covered
    for b in range(missing.bit_length()):
        if missing >> b & 1:
            rows.append(
                LinearConstraint(((g.cover[var] >> b) & 1).astype(float)[None, :], 1, np.inf)
            )
    if sub.hops is not None:
        rows.append(LinearConstraint(np.ones((1, nv)), 0, sub.hops))
    if sub.cost_cap is not None:
        rows.append(LinearConstraint(w[None, :], 0, sub.cost_cap + _EPS))
    while True:
        left = clock.left()
        if left <= 0:
            raise _StoppedError
        res = milp(
            w,
            constraints=rows,
            integrality=np.ones(nv),
            bounds=(0, 1),
            options={"time_limit": left, "presolve": True},
        )
        if res.status == 2:  # infeasible: a proof
            return None
        if res.x is None:
            raise _StoppedError
        chosen = var[res.x > 0.5]
        path, cycles = _split(g, sub.src, sub.t, chosen)
        if path is not None and _feasible(g, sub, path) and res.status == 0:
            return path
        if res.status != 0:
            if path is not None and _feasible(g, sub, path):
                cost = float(g.weight[path].sum())
                if clock.best_found is None or cost < clock.best_found:
                    clock.best_found = cost
            raise _StoppedError
        for cycle in cycles:
            inside = np.zeros(g.n, dtype=bool)
            inside[cycle] = True
            entering = (inside[heads] & ~inside[tails]).astype(float)
            for k in cycle:
                rows.append(LinearConstraint((entering - (heads == k))[None, :], 0, np.inf))


class _StoppedError(Exception):
    """The time limit stopped an integer program."""


def _split(
    g: SearchGraph, src: int, t: int, chosen: np.ndarray
) -> tuple[np.ndarray | None, list[list[int]]]:
    """Split chosen arcs into the ``src``-``t`` path and the cycles (as site lists)."""
    out = {int(g.tail[a]): int(a) for a in chosen}
    path = []
    v = src
    seen = {src}
    while v != t and v in out:
        a = out.pop(v)
        path.append(a)
        v = int(g.head[a])
        if v in seen:
            break
        seen.add(v)
    cycles = []
    while out:
        start, a = next(iter(out.items()))
        cycle = []
        v = start
        while v in out:
            a = out.pop(v)
            cycle.append(v)
            v = int(g.head[a])
        cycles.append(cycle)
    return (np.array(path, dtype=np.int64) if v == t else None), cycles


def _solve(g: SearchGraph, sub: _Sub, clock: _Clock) -> np.ndarray | None:
    """Best simple path of a subproblem (``None``: proven infeasible)."""
    # the layered graph serves both the walk relaxation and the bounds of the search below
    lay = _layered(g, sub) if g.need & ~sub.covered else None
    walk = _walk(g, sub, lay)
    if walk is None:
        return None
    if sub.cost_cap is not None and float(g.weight[walk].sum()) > sub.cost_cap + _EPS:
        return None  # the fastest walk is a lower bound
    if _feasible(g, sub, walk):
        return walk
    if _proven_unreachable(g, sub):
        return None
    status, arcs = _elementary(g, sub, lay if lay is not None else _layered(g, sub))
    if status == 0:
        return arcs
    if status == 1:
        return None  # the branch and bound ran to its end: a proof
    probe = _ksp_probe(g, sub)
    if probe is not None:
        return probe
    return _milp(g, sub, clock)


def _ksp_probe(g: SearchGraph, sub: _Sub) -> np.ndarray | None:
    """The first feasible path among the :data:`KSP_PROBE` fastest loopless ones, if any.

    Exact when it answers (paths come in nondecreasing cost); ``None`` only means "not among
    those", and the integer program decides.
    """
    offsets, arcs, costs = ksp(
        g.indptr, g.head, g.weight, sub.arc_ok, _all(g.n), sub.src, sub.t, KSP_PROBE
    )
    for i in range(len(costs)):
        if sub.cost_cap is not None and costs[i] > sub.cost_cap + _EPS:
            return None
        path = arcs[offsets[i] : offsets[i + 1]]
        if _feasible(g, sub, path):
            return path.copy()
    return None


def iter_paths(
    g: SearchGraph,
    s: int,
    t: int,
    *,
    max_hops: int | None = None,
    max_cost: float | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    first_k: int = 16,
) -> Iterator[np.ndarray]:
    """Simple ``s``-``t`` paths (arrays of ``g``'s arcs) meeting every via item, by cost.

    Exact and lazy (see the module notes); ``max_cost`` bounds the sum of weights. In a
    collapsed graph each site sequence comes out once. Without via items and hop limit this
    is the k-shortest-paths kernel, first asked for ``first_k`` paths. Raises
    :class:`~corridor._errors.SearchLimitError` when ``time_limit_s`` stops an integer program.
    """
    clock = _Clock(time_limit_s)
    if g.need == 0 and max_hops is None:
        yield from _ksp_stream(g, s, t, max_cost, max(first_k, 1))
        return
    base_ok = np.ones(len(g.head), dtype=bool)
    root = _Sub(s, t, base_ok, int(g.site_cover[s]), max_hops, max_cost)
    heap: list[tuple[float, int, np.ndarray, int, frozenset[int]]] = []
    counter = 0
    seen: set[tuple[int, ...]] = set()

    def push(prefix: np.ndarray, banned: frozenset[int]) -> None:
        nonlocal counter
        spur = s if len(prefix) == 0 else int(g.head[prefix[-1]])
        removed = np.zeros(g.n, dtype=bool)
        removed[s] = True
        removed[g.head[prefix]] = True
        removed[spur] = False
        ok = base_ok & ~removed[g.tail] & ~removed[g.head]
        if banned:
            ok[list(banned)] = False
        pre_cost = float(g.weight[prefix].sum())
        covered = root.covered | (int(np.bitwise_or.reduce(g.cover[prefix])) if len(prefix) else 0)
        sub = _Sub(
            spur,
            t,
            ok,
            covered,
            None if max_hops is None else max_hops - len(prefix),
            None if max_cost is None else max_cost - pre_cost,
        )
        if sub.hops is not None and sub.hops < 1:
            return
        try:
            rest = _solve(g, sub, clock)
        except _StoppedError:
            raise SearchLimitError(_stopped_message(clock, heap)) from None
        if rest is None:
            return
        full = np.concatenate([prefix, rest]).astype(np.int64)
        counter += 1
        heapq.heappush(heap, (float(g.weight[full].sum()), counter, full, len(prefix), banned))

    push(np.empty(0, dtype=np.int64), frozenset())
    while heap:
        _, _, path, depth, banned = heapq.heappop(heap)
        nodes = (s, *(int(v) for v in g.head[path]))
        if nodes not in seen or not g.collapsed:
            seen.add(nodes)
            yield path
        for i in range(depth, len(path)):
            # paths that follow this one for i arcs and then leave it (Lawler's partition)
            ban = {int(path[i])} | (banned if i == depth else set())
            push(path[:i], frozenset(ban))


def _stopped_message(clock: _Clock, heap: list) -> str:
    took = time.perf_counter() - clock.start
    best = [c for c, *_ in heap]
    if clock.best_found is not None:
        best.append(clock.best_found)
    if best:
        return (
            f"stopped after {took:.0f} s without proof; best found {min(best):.2f} ms one way "
            "(raise the time limit)"
        )
    return (
        f"stopped after {took:.0f} s without proof and without a route yet (raise the time limit)"
    )


def _ksp_stream(
    g: SearchGraph, s: int, t: int, max_cost: float | None, first_k: int
) -> Iterator[np.ndarray]:
    """Unconstrained k-shortest stream on the search graph (doubling ``k``; prefix-stable)."""
    ok = np.ones(len(g.head), dtype=bool)
    node_ok = _all(g.n)
    seen, k = 0, first_k
    while True:
        offsets, arcs, costs = ksp(g.indptr, g.head, g.weight, ok, node_ok, s, t, k)
        for i in range(seen, len(costs)):
            if max_cost is not None and costs[i] > max_cost + _EPS:
                return
            yield arcs[offsets[i] : offsets[i + 1]].copy()
        if len(costs) < k:
            return
        seen, k = len(costs), 2 * k


def best_path(
    g: SearchGraph,
    s: int,
    t: int,
    *,
    max_hops: int | None = None,
    max_cost: float | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> np.ndarray | None:
    """The fastest feasible simple path (``None``: proven that none exists)."""
    return next(
        iter_paths(g, s, t, max_hops=max_hops, max_cost=max_cost, time_limit_s=time_limit_s),
        None,
    )
