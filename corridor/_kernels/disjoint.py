"""Disjoint paths on CSR arrays: min-cost k disjoint paths, least-shared pairs, bounded backup.

All kernels take the CSR multigraph of :mod:`corridor._kernels` (``indptr``, ``head``, ``weight``,
``arc_link``, ``arc_ok``, ``node_ok``) and plain scalars only.

Method
------
:func:`k_disjoint` and :func:`min_shared_pair` solve a min-cost flow by *successive shortest
paths* on the residual graph with Johnson potentials (reduced costs stay non-negative, so every
augmentation is a plain Dijkstra with early exit; no Bellman-Ford pass is ever needed because
all weights are non-negative). This is Suurballe's algorithm generalised to ``k``
paths [1]_ [2]_. Undirected links follow Bhandari [3]_: a link is one unit of capacity shared by its
two arcs; once one path uses it in one direction, the only residual move on that link is the
cancelling reverse move (cost ``-w``), so "one path uses it u->v, another v->u" cancels out.
Node-disjointness splits every intermediate node ``v`` into ``v_in -> v_out`` of capacity one
*implicitly*: residual states are ``2 v`` (in) and ``2 v + 1`` (out) and no new graph is built.

The first path comes from a Dijkstra from the source stopped when the target is settled; its
distances capped at ``d(t)``, ``pi(x) = min(d(x), d(t))``, are valid potentials (nodes not settled
have tentative distances ``>= d(t)``) [2]_. Every further augmenting path is searched *backwards*,
from the target over the reversed residual graph (arcs entering a node come from an ``O(n + m)``
transposition), stopping when the source is settled. Reduced costs with potentials from the
source are about 0 along the shortest-path tree, so a forward search would settle nearly every
node closer than the target; searched backwards they make the search goal-directed: only states
``x`` with a small detour ``d(s, x) + d(x, t) - d(t)`` are settled (a few hundred of 20,000 nodes
on the benchmark graphs). After a backward search with distances ``b(x)`` to the target,
``pi(x) -= min(b(x), b(s))`` keeps every reduced cost non-negative.

The flow is decomposed into simple paths by walking flow arcs from the source; a cycle met on the
walk (possible only through zero-weight cycles) is dropped, which keeps the total cost.

References
----------
.. [1] J. W. Suurballe, "Disjoint paths in a network", Networks 4 (1974) 125-145.
.. [2] J. W. Suurballe and R. E. Tarjan, "A quick method for finding shortest pairs of disjoint
   paths", Networks 14 (1984) 325-336.
.. [3] R. Bhandari, *Survivable Networks: Algorithms for Diverse Routing*, Kluwer, 1999.
.. [4] J. Y. Yen, "Finding the k shortest loopless paths in a network", Management Science 17
   (1971) 712-716.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.typed import List

from corridor._kernels.dijkstra import _all_true, _init_dist, _search, dijkstra, heap_push

__all__ = [
    "BACKUP_BOUND_REACHED",
    "BACKUP_FOUND",
    "BACKUP_INFEASIBLE",
    "bounded_backup",
    "k_disjoint",
    "min_shared_pair",
]

#: :func:`bounded_backup` status: an optimal primary/backup pair was found.
BACKUP_FOUND = 0
#: :func:`bounded_backup` status: proven that no primary admits a disjoint backup within the cap.
BACKUP_INFEASIBLE = 1
#: :func:`bounded_backup` status: ``max_candidates`` primaries were tried without success; the
#: question is left open (distinct from :data:`BACKUP_INFEASIBLE`).
BACKUP_BOUND_REACHED = 2

_i64_1d = types.int64[:]


@njit(cache=True)
def _tail(indptr: np.ndarray) -> np.ndarray:
    n = indptr.shape[0] - 1
    tail = np.empty(indptr[n], dtype=np.int64)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            tail[a] = u
    return tail


@njit(cache=True)
def _num_links(arc_link: np.ndarray) -> int:
    nl = 0
    for a in range(arc_link.shape[0]):
        if arc_link[a] + 1 > nl:
            nl = arc_link[a] + 1
    return nl


@njit(cache=True)
def _path_less(arcs: np.ndarray, o1: int, e1: int, o2: int, e2: int) -> bool:
    """Lexicographic ``arcs[o1:e1] < arcs[o2:e2]``."""
    i = 0
    while o1 + i < e1 and o2 + i < e2:
        if arcs[o1 + i] != arcs[o2 + i]:
            return arcs[o1 + i] < arcs[o2 + i]
        i += 1
    return (e1 - o1) < (e2 - o2)


@njit(cache=True)
def _sort_paths(
    offsets: np.ndarray, arcs: np.ndarray, costs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort paths by ``(cost, arc sequence)`` (insertion sort: ``p`` is small)."""
    p = costs.shape[0]
    order = np.arange(p)
    for i in range(1, p):
        j = i
        while j > 0:
            a = order[j - 1]
            b = order[j]
            if costs[b] < costs[a] or (
                costs[b] == costs[a]
                and _path_less(arcs, offsets[b], offsets[b + 1], offsets[a], offsets[a + 1])
            ):
                order[j - 1] = b
                order[j] = a
                j -= 1
            else:
                break
    new_off = np.zeros(p + 1, dtype=np.int64)
    new_arcs = np.empty_like(arcs)
    new_costs = np.empty(p, dtype=np.float64)
    for i in range(p):
        q = order[i]
        ln = offsets[q + 1] - offsets[q]
        new_arcs[new_off[i] : new_off[i] + ln] = arcs[offsets[q] : offsets[q + 1]]
        new_off[i + 1] = new_off[i] + ln
        new_costs[i] = costs[q]
    return new_off, new_arcs, new_costs


@njit(cache=True)
def _set_link_state(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    link_pen: np.ndarray,
    arc_ok: np.ndarray,
    rcost: np.ndarray,
    a: int,
    u: int,
    state_a: int,
    state_other: int,
) -> None:
    """Set the residual cost ``rcost`` of arc ``a`` (tail ``u``) and of the other arcs of its link.

    States: 0 usable at cost ``w`` (``arc_ok`` permitting), 1 unusable (``inf``), 2 second unit
    at cost ``w + link_pen``. The other arcs of a link join the same two nodes, so they are found
    in the adjacency of ``u`` and ``head[a]``.
    """
    lk = arc_link[a]
    for end in (u, np.int64(head[a])):
        for b in range(indptr[end], indptr[end + 1]):
            if b != a and arc_link[b] == lk:
                rcost[b] = weight[b] if state_other == 0 and arc_ok[b] else np.inf
    if state_a == 0:
        rcost[a] = weight[a]
    elif state_a == 1:
        rcost[a] = np.inf
    else:
        rcost[a] = weight[a] + link_pen[lk]


@njit(cache=True)
def _reverse_csr(indptr: np.ndarray, head: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs entering each node: ``rev_arc[rev_ptr[v]:rev_ptr[v + 1]]`` (in arc order), with
    their tails in ``rev_tail``; ``O(n + m)`` (counting sort by head). uint32 arrays (``m <
    2**32``) with unsigned indexing: half the memory traffic of int64, and this pass costs as
    much as a small search."""
    n = indptr.shape[0] - 1
    m = head.shape[0]
    one = np.uint32(1)
    rev_ptr = np.zeros(n + 1, dtype=np.uint32)
    for a in range(m):
        rev_ptr[np.uint64(head[a]) + np.uint64(1)] += one
    for v in range(n):
        rev_ptr[v + 1] += rev_ptr[v]
    fill = rev_ptr[:n].copy()
    rev_arc = np.empty(m, dtype=np.uint32)
    rev_tail = np.empty(m, dtype=np.uint32)
    for u in range(n):
        for a in range(np.uint64(indptr[u]), np.uint64(indptr[u + 1])):
            w = np.uint64(head[a])
            r = fill[w]
            rev_arc[r] = np.uint32(a)
            rev_tail[r] = np.uint32(u)
            fill[w] = r + one
    return rev_ptr, rev_arc, rev_tail


@njit(cache=True)
def _ssp(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    k: int,
    node_mode: bool,
    link_cap: int,
    link_pen: np.ndarray,
    node_cap: int,
    node_pen: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Successive shortest paths with potentials; returns decomposed, sorted paths.

    Each link has capacity ``link_cap`` (1 or 2), the second unit costing ``link_pen[link]`` extra
    and only in the direction of the first. In ``node_mode`` every intermediate node has capacity
    ``node_cap`` (1 or 2), the second unit costing ``node_pen``. The arcs of one link must join
    the same two nodes (the package convention).

    Residual state of node ``v`` is ``v << sh`` (its in part) and ``(v << sh) + sh`` (its out
    part), with ``sh = 1`` in node mode and ``0`` otherwise, so both modes share one loop. As in
    :func:`corridor._kernels.dijkstra.dijkstra`, searches use a lazy binary heap ordered by
    ``(key, state)``, and ``dist = -inf`` marks states that may never be entered.
    """
    n = indptr.shape[0] - 1
    m = head.shape[0]
    empty_off = np.zeros(1, dtype=np.int64)
    if (
        k <= 0
        or source == target
        or source < 0
        or target < 0
        or source >= n
        or target >= n
        or not node_ok[source]
        or not node_ok[target]
    ):
        return empty_off, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    nl = link_pen.shape[0]
    sh = 1 if node_mode else 0
    ns = n << sh
    s_state = (source << sh) + sh
    t_state = target << sh
    # One heap for every search: a search pushes at most once per residual move (arcs, cancelling
    # moves of the flow, two internal moves per node) plus once for its start.
    cap_heap = 2 * m + 2 * n + 2
    hkey = np.empty(cap_heap, dtype=np.float64)
    hnode = np.empty(cap_heap, dtype=np.uint32)

    # First unit: a plain shortest path (no capacity can bind yet), stopped at the target.
    d0 = np.empty(n, dtype=np.float64)
    p0 = np.empty(n, dtype=np.int64)
    _init_dist(node_ok, d0)
    no_targets = np.zeros(1, dtype=np.int64)
    if _all_true(arc_ok):
        _search(
            indptr, head, weight, None, source, target, d0, p0, hkey, hnode, None, no_targets, 0, 0
        )
    else:
        _search(
            indptr,
            head,
            weight,
            arc_ok,
            source,
            target,
            d0,
            p0,
            hkey,
            hnode,
            None,
            no_targets,
            0,
            0,
        )
    dt = d0[target]
    if not dt < np.inf:
        return empty_off, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    # Potentials pi(v) = min(d(v), d(t)). Nodes reached but not settled hold a tentative
    # distance >= d(t), so capping the raw search distances is exact; unusable nodes (-inf) are
    # never entered and get 0.
    pi = np.empty(ns, dtype=np.float64)
    for v in range(n):
        p_v = d0[v]
        if p_v > dt:
            p_v = dt
        elif p_v == -np.inf:
            p_v = 0.0
        pi[v << sh] = p_v
        pi[(v << sh) + sh] = p_v

    # Residual cost of every forward arc: w when usable, inf when not, w + link_pen for the
    # second unit of a used link (in the direction of the first).
    rcost = np.empty(m, dtype=np.float64)
    for a in range(m):
        rcost[a] = weight[a] if arc_ok[a] else np.inf
    link_cnt = np.zeros(nl, dtype=np.int8)
    node_cnt = np.zeros(n, dtype=np.int8)
    out_first = np.full(n, -1, dtype=np.int64)  # flow arcs leaving a node (linked list)
    out_next = np.empty(m, dtype=np.int64)
    flow_tail = np.empty(m, dtype=np.int64)
    one_more = 2 if link_cap >= 2 else 1

    # augment along the first path
    v = target
    while v != source:
        a = p0[v]
        u = v
        v = _tail_of(indptr, a)
        link_cnt[arc_link[a]] = 1
        _set_link_state(indptr, head, weight, arc_link, link_pen, arc_ok, rcost, a, v, one_more, 1)
        flow_tail[a] = v
        out_next[a] = out_first[v]
        out_first[v] = a
        if node_mode and u != target:
            node_cnt[u] = 1
    flow = 1
    if k == 1:
        return _decompose(
            indptr, head, weight, arc_link, source, target, flow, link_cnt, out_first, out_next
        )

    # Further units: Dijkstra *backwards* from the target over the reversed residual graph with
    # the same reduced costs c(x, y) + pi(x) - pi(y) >= 0, stopped when the source is settled.
    # A forward search would settle nearly every node closer than the target (most reduced
    # distances from the source are about 0), while potentials from the source make the
    # backward search goal-directed: it settles only states x whose detour
    # d(s, x) + d(x, t) - d(t) is below that of the answer.
    rev_ptr, rev_arc, rev_tail = _reverse_csr(indptr, head)
    dist = np.empty(ns, dtype=np.float64)
    # ``succ[x]`` codes the move leaving x on its path to the target: a (< m) forward arc a;
    # m + a cancelling flow arc a; 2m internal in->out; 2m + 1 internal out->in.
    succ = np.empty(ns, dtype=np.int64)
    code_int_fwd = 2 * m
    code_int_rev = 2 * m + 1
    while flow < k:
        for v in range(n):
            val = np.inf if node_ok[v] else -np.inf
            dist[v << sh] = val
            dist[(v << sh) + sh] = val
        if node_mode:
            dist[2 * source] = -np.inf  # never enter the source
        dist[t_state] = 0.0
        hkey[0] = 0.0
        hnode[0] = t_state
        size = 1
        found = False
        while size > 0:
            d = hkey[0]
            x = int(hnode[0])
            size -= 1
            if size > 0:  # move the last entry to the root and sift it down
                lk_ = hkey[size]
                lv = hnode[size]
                i = 0
                while True:
                    c = 2 * i + 1
                    if c >= size:
                        break
                    ck = hkey[c]
                    cv = hnode[c]
                    if c + 1 < size:
                        rk = hkey[c + 1]
                        if rk < ck or (rk == ck and hnode[c + 1] < cv):
                            c += 1
                            ck = rk
                            cv = hnode[c]
                    if ck < lk_ or (ck == lk_ and cv < lv):
                        hkey[i] = ck
                        hnode[i] = cv
                        i = c
                    else:
                        break
                hkey[i] = lk_
                hnode[i] = lv
            if d > dist[x]:  # stale entry
                continue
            if x == s_state:
                found = True
                break
            w = x >> sh
            px = pi[x]
            # Moves y -> x into the settled state x; keys are clamped at d, so settled and
            # forbidden (-inf) states are never improved.
            if sh == 0 or (x & 1) == 0:
                # x is (the in part of) w: unused arcs v -> w (or the second unit of a used one)
                for r in range(int(rev_ptr[w]), int(rev_ptr[w + 1])):
                    a = int(rev_arc[r])
                    cost = rcost[a]
                    v = int(rev_tail[r])
                    if cost == np.inf or v == w:
                        continue
                    y = (v << sh) + sh
                    rc = cost + pi[y] - px
                    nd = d + rc if rc > 0.0 else d
                    if nd < dist[y]:
                        dist[y] = nd
                        succ[y] = a
                        size = heap_push(hkey, hnode, size, nd, y)
                if node_mode and node_cnt[w] > 0 and w != source and w != target:
                    y = x + 1  # out(w) -> in(w) takes back a unit through w
                    cost = -node_pen if node_cnt[w] >= 2 else 0.0
                    rc = cost + pi[y] - px
                    nd = d + rc if rc > 0.0 else d
                    if nd < dist[y]:
                        dist[y] = nd
                        succ[y] = code_int_rev
                        size = heap_push(hkey, hnode, size, nd, y)
            if sh == 0 or (x & 1) == 1:
                # x is (the out part of) w: cancel flow arcs w -> h, a move in(h) -> out(w)
                a = out_first[w]
                while a >= 0:
                    cost = -weight[a]
                    if link_cnt[arc_link[a]] >= 2:
                        cost -= link_pen[arc_link[a]]
                    y = head[a] << sh
                    rc = cost + pi[y] - px
                    nd = d + rc if rc > 0.0 else d
                    if nd < dist[y]:
                        dist[y] = nd
                        succ[y] = m + a
                        size = heap_push(hkey, hnode, size, nd, y)
                    a = out_next[a]
                if node_mode and node_cnt[w] < node_cap:
                    y = x - 1  # in(w) -> out(w)
                    cost = node_pen if node_cnt[w] >= 1 else 0.0
                    rc = cost + pi[y] - px
                    nd = d + rc if rc > 0.0 else d
                    if nd < dist[y]:
                        dist[y] = nd
                        succ[y] = code_int_fwd
                        size = heap_push(hkey, hnode, size, nd, y)
        if not found:
            break
        if flow + 1 < k:
            # pi -= min(d, d(s)) keeps reduced costs non-negative for a backward search (states
            # reached but not settled have d >= d(s), as in the first search)
            ds = dist[s_state]
            for x in range(ns):
                dx = dist[x]
                if dx == -np.inf:
                    continue
                pi[x] -= dx if dx < ds else ds
        # augment one unit along the path from the source
        y = s_state
        while y != t_state:
            code = succ[y]
            if code < m:  # forward arc a: out(u) -> in(head[a])
                a = code
                lk = arc_link[a]
                u = y >> sh
                if link_cnt[lk] == 0:
                    flow_tail[a] = u
                    out_next[a] = out_first[u]
                    out_first[u] = a
                    _set_link_state(
                        indptr, head, weight, arc_link, link_pen, arc_ok, rcost, a, u, one_more, 1
                    )
                else:
                    rcost[a] = np.inf  # second unit used: full
                link_cnt[lk] += 1
                y = head[a] << sh
            elif code < 2 * m:  # cancel flow arc a = u -> head[a]: in(head[a]) -> out(u)
                a = code - m
                lk = arc_link[a]
                u = flow_tail[a]
                link_cnt[lk] -= 1
                if link_cnt[lk] == 0:
                    if out_first[u] == a:
                        out_first[u] = out_next[a]
                    else:
                        b = out_first[u]
                        while out_next[b] != a:
                            b = out_next[b]
                        out_next[b] = out_next[a]
                    _set_link_state(
                        indptr, head, weight, arc_link, link_pen, arc_ok, rcost, a, u, 0, 0
                    )
                else:
                    rcost[a] = weight[a] + link_pen[lk]
                y = (u << sh) + sh
            elif code == code_int_fwd:
                node_cnt[y >> 1] += 1
                y += 1
            else:
                node_cnt[y >> 1] -= 1
                y -= 1
        flow += 1
    return _decompose(
        indptr, head, weight, arc_link, source, target, flow, link_cnt, out_first, out_next
    )


@njit(cache=True)
def _decompose(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    source: int,
    target: int,
    flow: int,
    link_cnt: np.ndarray,
    out_first: np.ndarray,
    out_next: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decompose ``flow`` units (flow arcs in the ``out_first``/``out_next`` lists, ``link_cnt``
    units each) into simple paths, sorted by :func:`_sort_paths`."""
    n = indptr.shape[0] - 1
    m = head.shape[0]
    # decompose the flow into simple paths
    rem = np.zeros(m, dtype=np.int8)
    for v in range(n):
        a = out_first[v]
        while a >= 0:
            rem[a] = link_cnt[arc_link[a]]
            a = out_next[a]
    offsets = np.zeros(flow + 1, dtype=np.int64)
    arcs = np.empty(flow * n, dtype=np.int64)
    costs = np.zeros(flow, dtype=np.float64)
    pos = np.full(n, -1, dtype=np.int64)
    buf = np.empty(n, dtype=np.int64)
    for i in range(flow):
        ln = 0
        v = source
        pos[source] = 0
        while v != target:
            nxt = -1
            for a in range(indptr[v], indptr[v + 1]):
                if rem[a] > 0:
                    nxt = a
                    break
            if nxt < 0:  # cannot happen: flow conservation
                break
            rem[nxt] -= 1
            w = head[nxt]
            if pos[w] >= 0:
                # drop the (zero-cost) cycle closed at w
                for j in range(pos[w], ln):
                    pos[head[buf[j]]] = -1
                ln = pos[w]
            else:
                buf[ln] = nxt
                ln += 1
                pos[w] = ln
            v = w
        pos[source] = -1
        c = 0.0
        o = offsets[i]
        for j in range(ln):
            pos[head[buf[j]]] = -1
            arcs[o + j] = buf[j]
            c += weight[buf[j]]
        offsets[i + 1] = o + ln
        costs[i] = c
    return _sort_paths(offsets, arcs[: offsets[flow]].copy(), costs)


@njit(cache=True)
def _tail_of(indptr: np.ndarray, a: int) -> int:
    """Tail of arc ``a`` by binary search in ``indptr`` (``O(log n)``)."""
    lo = 0
    hi = indptr.shape[0] - 1
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if indptr[mid] <= a:
            lo = mid
        else:
            hi = mid
    return lo


@njit(cache=True)
def k_disjoint(
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
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to ``k`` pairwise link- (or node-) disjoint paths of minimum total cost.

    Successive shortest paths with Johnson potentials (Suurballe [1]_, Suurballe-Tarjan [2]_,
    Bhandari [3]_ for undirected links); see the module docstring.

    Parameters
    ----------
    indptr, head, weight, arc_link, arc_ok, node_ok
        CSR multigraph and masks (see :mod:`corridor._kernels`); ``weight >= 0``.
    source, target
        End nodes. ``source == target`` or an unusable end yields no path.
    k
        Maximum number of paths.
    node_disjoint
        If true, paths also share no intermediate node (implicit node splitting). Paths are
        always link-disjoint: no link index is used by two paths, in either direction.

    Returns
    -------
    offsets : int64[p + 1]
        Path ``i`` is ``arcs[offsets[i]:offsets[i + 1]]``.
    arcs : int64[offsets[p]]
        Arc indices of the simple paths, in order from ``source`` to ``target``.
    costs : float64[p]
        Path costs; paths are sorted by ``(cost, arc sequence)``. ``p = min(k, max flow)`` and
        ``costs.sum()`` is the minimum over all sets of ``p`` disjoint paths.

    Notes
    -----
    Complexity ``O(k (n + m) log m)``: ``k`` Dijkstra runs on the residual graph (the first
    from the source until the target is settled, the others backwards from the target until
    the source is settled, see the module docstring), plus ``O(n + m)`` set-up, transposition
    and decomposition. In practice about 1.5 to 2 times one full Dijkstra for ``k = 2``.
    """
    nl = _num_links(arc_link)
    return _ssp(
        indptr,
        head,
        weight,
        arc_link,
        arc_ok,
        node_ok,
        source,
        target,
        k,
        node_disjoint,
        1,
        np.zeros(nl),
        1,
        0.0,
    )


@njit(cache=True)
def min_shared_pair(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    node_disjoint: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Maximally disjoint pair: fewest shared resources first, then minimum total cost.

    Min-cost flow of two units in which every resource has a second, penalised unit of
    capacity: penalty ``M = 2 * (sum of usable arc weights) + 1``, larger than the cost of any
    pair of simple paths, so the flow minimises ``(shared count, total cost)`` lexicographically.
    Opposite-direction use of a link cancels (Bhandari [3]_), so it never counts as shared.

    Link mode (``node_disjoint=False``) counts shared links. Node mode counts shared
    intermediate nodes plus shared links joining ``source`` and ``target`` directly (the only
    links that can be shared without sharing a node); links between other nodes carry no own
    penalty there since their shared endpoints are already counted.

    Parameters
    ----------
    indptr, head, weight, arc_link, arc_ok, node_ok, source, target, node_disjoint
        As in :func:`k_disjoint`.

    Returns
    -------
    offsets, arcs, costs
        Two paths (sorted as in :func:`k_disjoint`) when ``target`` is reachable, else none.
        Both may be the same path when only one route exists.
    shared_links : int64[]
        Sorted link indices used by both paths.
    shared_nodes : int64[]
        Sorted intermediate nodes (not ``source``/``target``) visited by both paths.

    Notes
    -----
    Complexity ``O((n + m) log m)`` (two Dijkstra runs). A fully disjoint pair, when one
    exists, is returned with empty ``shared_*`` arrays and equals :func:`k_disjoint` with
    ``k=2`` in cost.
    """
    n = indptr.shape[0] - 1
    nl = _num_links(arc_link)
    total = 0.0
    for a in range(head.shape[0]):
        if arc_ok[a]:
            total += weight[a]
    big = 2.0 * total + 1.0
    pen = np.zeros(nl)
    if node_disjoint:
        if 0 <= source < n and 0 <= target < n:
            for a in range(indptr[source], indptr[source + 1]):
                if head[a] == target:
                    pen[arc_link[a]] = big
            for a in range(indptr[target], indptr[target + 1]):
                if head[a] == source:
                    pen[arc_link[a]] = big
    else:
        pen[:] = big
    offsets, arcs, costs = _ssp(
        indptr,
        head,
        weight,
        arc_link,
        arc_ok,
        node_ok,
        source,
        target,
        2,
        node_disjoint,
        2,
        pen,
        2,
        big,
    )
    if costs.shape[0] < 2:
        return (
            np.zeros(1, dtype=np.int64),
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.float64),
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.int64),
        )
    seen_l = np.zeros(nl, dtype=np.int64)
    seen_n = np.zeros(n, dtype=np.int64)
    for i in range(2):
        for j in range(offsets[i], offsets[i + 1]):
            a = arcs[j]
            seen_l[arc_link[a]] |= 1 << i
            v = head[a]
            if v != target:
                seen_n[v] |= 1 << i
    shared_links = np.flatnonzero(seen_l == 3).astype(np.int64)
    shared_nodes = np.flatnonzero(seen_n == 3).astype(np.int64)
    return offsets, arcs, costs, shared_links, shared_nodes


@njit(cache=True)
def _backup_masks(
    path: np.ndarray,
    head: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    target: int,
    nl: int,
    node_disjoint: bool,
) -> tuple[np.ndarray, np.ndarray]:
    used = np.zeros(nl, dtype=np.bool_)
    for a in path:
        used[arc_link[a]] = True
    ok = arc_ok.copy()
    for a in range(ok.shape[0]):
        if used[arc_link[a]]:
            ok[a] = False
    nok = node_ok.copy()
    if node_disjoint:
        for a in path:
            if head[a] != target:
                nok[head[a]] = False
    return ok, nok


@njit(cache=True)
def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape[0] != b.shape[0]:
        return False
    for i in range(a.shape[0]):  # noqa: SIM110 - explicit loop for numba
        if a[i] != b[i]:
            return False
    return True


@njit(cache=True)
def _arc_path(pred_arc: np.ndarray, tail: np.ndarray, source: int, target: int) -> np.ndarray:
    count = 0
    v = target
    while v != source:
        a = pred_arc[v]
        count += 1
        v = tail[a]
    out = np.empty(count, dtype=np.int64)
    v = target
    for i in range(count - 1, -1, -1):
        a = pred_arc[v]
        out[i] = a
        v = tail[a]
    return out


@njit(cache=True)
def bounded_backup(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    cap: float,
    node_disjoint: bool,
    max_candidates: int,
) -> tuple[int, np.ndarray, np.ndarray, float, float]:
    """Cheapest primary path that has a disjoint backup of cost ``<= cap``.

    Primaries are enumerated in non-decreasing cost with Yen's loopless k-shortest-paths
    algorithm [4]_ (arc-based, so parallel links are distinct); for each, the shortest backup
    avoiding the primary's links (and, with ``node_disjoint``, its intermediate nodes) is
    computed. The first primary whose backup fits is optimal, because any feasible pair's
    primary is simple and every cheaper simple primary was already rejected. The backup
    returned is the cheapest one for that primary.

    Parameters
    ----------
    indptr, head, weight, arc_link, arc_ok, node_ok, source, target, node_disjoint
        As in :func:`k_disjoint`.
    cap
        Maximum backup cost (compared with a relative tolerance of ``1e-12``).
    max_candidates
        Maximum number of primaries examined.

    Returns
    -------
    status : int
        :data:`BACKUP_FOUND`, :data:`BACKUP_INFEASIBLE` (proven: no disjoint pair with backup
        within ``cap`` exists) or :data:`BACKUP_BOUND_REACHED` (``max_candidates`` primaries
        rejected; undecided).
    primary, backup : int64[]
        Arc sequences (empty unless found).
    primary_cost, backup_cost : float
        ``inf`` unless found.

    Notes
    -----
    Complexity ``O(K L (n + m) log m)`` for ``K`` examined primaries of at most ``L`` arcs
    (Yen's spur searches) plus ``O(K (n + m) log m)`` for the backups. Infeasibility is
    detected at once when ``cap`` is below the shortest-path cost or no disjoint pair exists
    (a :func:`k_disjoint` call); otherwise only by exhausting all simple paths, so keep
    ``max_candidates`` modest on large graphs.
    """
    empty = np.empty(0, dtype=np.int64)
    tol = 1e-12 * max(1.0, abs(cap))
    n = indptr.shape[0] - 1
    if (
        source == target
        or source < 0
        or target < 0
        or source >= n
        or target >= n
        or not node_ok[source]
        or not node_ok[target]
    ):
        return BACKUP_INFEASIBLE, empty, empty, np.inf, np.inf
    tail = _tail(indptr)
    nl = _num_links(arc_link)
    dist, pred = dijkstra(indptr, head, weight, source, target, arc_ok, node_ok)
    if not dist[target] <= cap + tol:
        return BACKUP_INFEASIBLE, empty, empty, np.inf, np.inf
    _, _, pair_costs = k_disjoint(
        indptr, head, weight, arc_link, arc_ok, node_ok, source, target, 2, node_disjoint
    )
    if pair_costs.shape[0] < 2:
        return BACKUP_INFEASIBLE, empty, empty, np.inf, np.inf

    first = _arc_path(pred, tail, source, target)
    found_paths = List.empty_list(_i64_1d)
    found_paths.append(first)
    cand_paths = List.empty_list(_i64_1d)
    cand_costs = List.empty_list(types.float64)
    current = first
    current_cost = dist[target]
    examined = 0
    while True:
        # test the current primary
        ok, nok = _backup_masks(current, head, arc_link, arc_ok, node_ok, target, nl, node_disjoint)
        bd, bp = dijkstra(indptr, head, weight, source, target, ok, nok)
        if bd[target] <= cap + tol:
            backup = _arc_path(bp, tail, source, target)
            return BACKUP_FOUND, current, backup, current_cost, bd[target]
        examined += 1
        if examined >= max_candidates:
            return BACKUP_BOUND_REACHED, empty, empty, np.inf, np.inf
        # Yen: spur paths deviating from the current primary
        for i in range(current.shape[0]):
            spur = tail[current[i]]
            sok = arc_ok.copy()
            for q in found_paths:
                if q.shape[0] > i and _same(q[:i], current[:i]):
                    sok[q[i]] = False
            snok = node_ok.copy()
            for j in range(i):
                snok[tail[current[j]]] = False
            sd, sp = dijkstra(indptr, head, weight, spur, target, sok, snok)
            if sd[target] < np.inf:
                tailpart = _arc_path(sp, tail, spur, target)
                cand = np.empty(i + tailpart.shape[0], dtype=np.int64)
                cand[:i] = current[:i]
                cand[i:] = tailpart
                dup = False
                for q in cand_paths:
                    if _same(q, cand):
                        dup = True
                        break
                if not dup:
                    c = 0.0
                    for a in cand:
                        c += weight[a]
                    cand_paths.append(cand)
                    cand_costs.append(c)
        if len(cand_paths) == 0:
            return BACKUP_INFEASIBLE, empty, empty, np.inf, np.inf
        best = 0
        for j in range(1, len(cand_paths)):
            if cand_costs[j] < cand_costs[best] or (
                cand_costs[j] == cand_costs[best] and _lex_less(cand_paths[j], cand_paths[best])
            ):
                best = j
        current = cand_paths.pop(best)
        current_cost = cand_costs.pop(best)
        found_paths.append(current)


@njit(cache=True)
def _lex_less(a: np.ndarray, b: np.ndarray) -> bool:
    i = 0
    while i < a.shape[0] and i < b.shape[0]:
        if a[i] != b[i]:
            return a[i] < b[i]
        i += 1
    return a.shape[0] < b.shape[0]
