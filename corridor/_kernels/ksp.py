"""K shortest loopless (node-simple) paths on CSR arrays, entirely in numba.

Algorithm
---------
Yen's deviation scheme (Yen 1971) with Lawler's refinement (Lawler 1972): when path ``P_k`` is
output, spur searches are run only from its deviation index ``d_k`` (where it left its parent)
to its end, since every shorter root is shared with the parent and was already handled. Each
spur search is an A* search driven by *exact* distances-to-target ``h`` of the unrestricted graph
(one reverse Dijkstra from the target, computed once; ``h`` is consistent, so every settled label
is final). Following the node classification of Feng (2014), a node whose reverse-shortest-path
tree path to the target avoids every root node is *green*: its tree path is feasible in the spur
graph and ``h`` is exact there, so the spur search stops as soon as it settles the first green
node and reads the rest of the spur straight off the tree (Kurz & Mutzel 2016 use the same
observation for their sidetrack representation). Other reached nodes are searched normally. The
green/yellow test is ``O(1)`` amortised: for the current path ``P_k`` every node memoises the
smallest position along ``P_k`` that its tree path meets, which does not depend on the spur.

Roots already output are stored in a prefix trie of arc sequences, so the arcs a spur must not
start with are exactly the children of the root's trie node. With Lawler's rule plus the trie,
every root is spurred at most once per output path and candidates are pairwise distinct, so no
duplicate check (hashing) is needed. Candidates live in a binary heap ordered by the total order
below; their arc sequences live in growable flat arrays. All work arrays are allocated once and
"cleared" by version stamps.

Order and ties
--------------
Paths are returned in the total order ``(cost, lexicographic sequence of arc indices)`` where
``cost`` is the float64 sum of arc weights taken in path order. Since a candidate is the best
path of its Lawler subproblem, each spur search must return the lexicographically smallest of
its optimal spurs. The fast A* search returns its spur only when it can certify that the optimum
is unique: no equal-cost relaxation happened, no other heap entry has the optimal key, and the
tree completion is the only shortest path in the full graph (flags computed lazily along tree
paths). Otherwise (ties: integer or zero weights, parallel arcs) the spur is recomputed by a
Dijkstra search ordered by the path cost itself, pruned to nodes whose A* key is within rounding
of the optimum; among the tight arcs found, the spur is built greedily, smallest arc index first,
with a reachability check so the spur stays simple across zero-weight plateaus. The algorithm is
incremental, so the answer for ``k`` is a prefix of the answer for ``k + 1``. The order is exact
when path sums are exact (e.g. integer or dyadic weights); with general floating weights two
paths whose costs agree up to the rounding of differently associated sums (~1 ulp) may come in
either order.

Complexity
----------
Worst case ``O(k n (m + n log n))`` like Yen's algorithm (``n`` spur searches per path, each a
Dijkstra); in practice each A* spur search settles only the few nodes between the spur node and
the first green node. Memory ``O(n + m + k L + C L)`` for ``C`` candidates of length ``<= L``.

References
----------
J. Y. Yen, "Finding the K shortest loopless paths in a network", Management Science 17 (1971)
712-716. E. L. Lawler, "A procedure for computing the K best solutions to discrete optimization
problems and its application to the shortest path problem", Management Science 18 (1972) 401-405.
G. Feng, "Finding k shortest simple paths in directed graphs: A node classification algorithm",
Networks 64 (2014) 6-17. D. Kurz and P. Mutzel, "A sidetrack-based algorithm for finding the k
shortest simple paths in a directed graph", ISAAC 2016, LIPIcs 64, 49:1-49:13.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor._kernels.dijkstra import heap_pop, heap_push

__all__ = ["ksp"]

_INF = np.inf


@njit(cache=True)
def _grow_i(arr: np.ndarray, need: int) -> np.ndarray:
    if need <= arr.shape[0]:
        return arr
    size = arr.shape[0] * 2
    if size < need:
        size = need
    out = np.empty(size, dtype=arr.dtype)
    for i in range(arr.shape[0]):
        out[i] = arr[i]
    return out


@njit(cache=True)
def _grow_f(arr: np.ndarray, need: int) -> np.ndarray:
    if need <= arr.shape[0]:
        return arr
    size = arr.shape[0] * 2
    if size < need:
        size = need
    out = np.empty(size, dtype=arr.dtype)
    for i in range(arr.shape[0]):
        out[i] = arr[i]
    return out


@njit(cache=True)
def _reverse_tree(indptr, head, weight, arc_ok, node_ok, target):
    """Reverse Dijkstra from ``target``: ``h`` (distance to target), ``nxt`` (tree arc toward the
    target), ``uniq`` (lazy flags, see below), ``tail`` and the reverse CSR ``rindptr``/``rarc``."""
    n = indptr.shape[0] - 1
    m = head.shape[0]
    tail = np.empty(m, dtype=np.int64)
    rindptr = np.zeros(n + 1, dtype=np.int64)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            tail[a] = u
            rindptr[head[a] + 1] += 1
    for v in range(n):
        rindptr[v + 1] += rindptr[v]
    fill = np.empty(n, dtype=np.int64)
    for v in range(n):
        fill[v] = rindptr[v]
    rarc = np.empty(m, dtype=np.int64)
    # Tail and weight in reverse-CSR order (-1 tail: unusable arc) so the reverse search reads
    # memory sequentially.
    rtail = np.empty(m, dtype=np.int64)
    rweight = np.empty(m, dtype=np.float64)
    for a in range(m):  # increasing arc order inside each bucket
        v = head[a]
        r = fill[v]
        rarc[r] = a
        u = tail[a]
        rtail[r] = u if (arc_ok[a] and node_ok[u]) else -1
        rweight[r] = weight[a]
        fill[v] = r + 1
    h = np.full(n, _INF)
    nxt = np.full(n, -1, dtype=np.int64)
    state = np.zeros(n, dtype=np.int8)  # 0 unseen, 1 queued, 2 settled
    # Indexed 4-ary heap, inline.
    hkey = np.empty(n, dtype=np.float64)
    hnode = np.empty(n, dtype=np.int64)
    hpos = np.empty(n, dtype=np.int64)
    size = 0
    if node_ok[target]:
        h[target] = 0.0
        hkey[0] = 0.0
        hnode[0] = target
        hpos[target] = 0
        state[target] = 1
        size = 1
    while size > 0:
        d = hkey[0]
        x = hnode[0]
        size -= 1
        if size > 0:
            lk = hkey[size]
            lv = hnode[size]
            i = 0
            while True:
                c = 4 * i + 1
                if c >= size:
                    break
                bst = c
                bk = hkey[c]
                end = c + 4
                if end > size:
                    end = size
                for j in range(c + 1, end):
                    if hkey[j] < bk:
                        bst = j
                        bk = hkey[j]
                if bk < lk:
                    bv = hnode[bst]
                    hkey[i] = bk
                    hnode[i] = bv
                    hpos[bv] = i
                    i = bst
                else:
                    break
            hkey[i] = lk
            hnode[i] = lv
            hpos[lv] = i
        state[x] = 2
        for r in range(rindptr[x], rindptr[x + 1]):
            u = rtail[r]
            if u < 0:
                continue
            su = state[u]
            if su == 2:
                continue
            nd = rweight[r] + d
            if su == 1:
                if nd >= h[u]:
                    continue
                i = hpos[u]
            else:
                state[u] = 1
                i = size
                size += 1
            h[u] = nd
            nxt[u] = rarc[r]
            while i > 0:
                pa = (i - 1) >> 2
                pk = hkey[pa]
                if nd < pk:
                    w = hnode[pa]
                    hkey[i] = pk
                    hnode[i] = w
                    hpos[w] = i
                    i = pa
                else:
                    break
            hkey[i] = nd
            hnode[i] = u
            hpos[u] = i
    # uniq[v]: 1 if the tree path of v is its only shortest path to the target, 2 if not, 0 if
    # not computed yet (filled lazily by _spur, only for the few nodes it needs).
    uniq = np.zeros(n, dtype=np.int8)
    if node_ok[target]:
        uniq[target] = 1
    return h, nxt, uniq, tail, rindptr, rarc


# Rows of the int64 work matrix ``work`` (shape ``(_NW, n + 1)``) shared by all spur searches.
_DST = 0  # label stamp: dist[v] valid iff work[_DST, v] == search id
_SST = 1  # settled stamp
_PARC = 2  # A* tree arc entering v
_MARK = 3  # reachability / BFS marks (exact spur)
_PST = 4  # path stamp: v lies on output path work[_PST, v] ...
_PPOS = 5  # ... at position work[_PPOS, v]
_MST = 6  # memo stamp for ...
_MPOS = 7  # ... smallest current-path position met by v's tree path
_STK = 8  # scratch stack / queue
_OUT = 9  # spur arcs written by _spur
_NW = 10
# Rows of the int64 graph matrices.
_INDPTR = 0
_RINDPTR = 1
_NXT = 2
_HEAD = 0
_TAIL = 1
_RARC = 2


@njit(cache=True)
def _spur(
    gn,
    gm,
    weight,
    arc_ok,
    node_ok,
    h,
    uniq,
    target,
    s,
    lim,
    c0,
    fid,
    fstamp,
    pid,
    work,
    dist,
    keys,
    items,
    sid,
):
    """Best spur from ``s`` (position ``lim`` of path ``pid``).

    Root nodes (blocked) are the nodes of path ``pid`` at positions ``<= lim``; arcs with
    ``fstamp == fid`` may not start the spur. Labels start at the root cost ``c0`` so they are the
    float costs of whole paths. Uses search ids ``sid``..``sid + 4`` (the caller advances by 8).
    Writes the spur arcs to ``work[_OUT]`` and returns ``(count, cost)``; ``count == -1`` when no
    spur exists.
    """
    indptr = gn[_INDPTR]
    rindptr = gn[_RINDPTR]
    nxt = gn[_NXT]
    head = gm[_HEAD]
    tail = gm[_TAIL]
    rarc = gm[_RARC]
    dstamp = work[_DST]
    sstamp = work[_SST]
    parc = work[_PARC]
    mark = work[_MARK]
    pstamp = work[_PST]
    ppos = work[_PPOS]
    mstamp = work[_MST]
    mpos = work[_MPOS]
    stack = work[_STK]
    out = work[_OUT]

    # ---- Fast path: A* with exact h, stop at the first green node (Feng 2014). ----
    dist[s] = c0
    dstamp[s] = sid
    parc[s] = -1
    size = heap_push(keys, items, 0, c0 + h[s], s)
    tie = False
    g = -1
    best = _INF
    while size > 0:
        key, u, size = heap_pop(keys, items, size)
        if sstamp[u] == sid:
            continue
        sstamp[u] = sid
        if u != s:
            # Green test: smallest position along path ``pid`` met by u's tree path (memoised
            # per path: it does not depend on the spur index).
            top = 0
            x = u
            res = 1 << 62
            while True:
                if mstamp[x] == pid:
                    res = mpos[x]
                    break
                stack[top] = x
                top += 1
                if x == target:
                    break
                x = head[nxt[x]]
            for j in range(top - 1, -1, -1):
                y = stack[j]
                if pstamp[y] == pid and ppos[y] < res:
                    res = ppos[y]
                mstamp[y] = pid
                mpos[y] = res
            if res > lim:
                g = u
                best = key
                break
        du = dist[u]
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            if not arc_ok[a] or not node_ok[v]:
                continue
            hv = h[v]
            if hv == _INF:
                continue
            if pstamp[v] == pid and ppos[v] <= lim:
                continue
            if u == s and fstamp[a] == fid:
                continue
            nd = du + weight[a]
            if dstamp[v] == sid:
                dv = dist[v]
                if nd < dv and sstamp[v] != sid:
                    dist[v] = nd
                    parc[v] = a
                    size = heap_push(keys, items, size, nd + hv, v)
                elif nd == dv:
                    tie = True
            else:
                dstamp[v] = sid
                dist[v] = nd
                parc[v] = a
                size = heap_push(keys, items, size, nd + hv, v)
    if g < 0:
        return -1, _INF
    # Is the tree path of g the only shortest path from g to the target in the full graph? (A
    # node with a single tight out-arc whose tree successor is unique; memoised in ``uniq``.)
    top = 0
    x = g
    while uniq[x] == 0:
        stack[top] = x
        top += 1
        x = head[nxt[x]]
    flag = uniq[x]
    for j in range(top - 1, -1, -1):
        y = stack[j]
        if flag == 1:
            hy = h[y]
            cnt = 0
            for a in range(indptr[y], indptr[y + 1]):
                z = head[a]
                if arc_ok[a] and node_ok[z] and weight[a] + h[z] == hy:
                    cnt += 1
            if cnt != 1:
                flag = 2
        uniq[y] = flag
    if not tie and uniq[g] == 1 and (size == 0 or keys[0] > best):
        # Unique optimum: spur part from the A* tree, completion read off the reverse tree.
        cnt = 0
        x = g
        while x != s:
            cnt += 1
            x = tail[parc[x]]
        x = g
        j = cnt - 1
        while x != s:
            a = parc[x]
            out[j] = a
            j -= 1
            x = tail[a]
        cost = dist[g]
        x = g
        while x != target:
            a = nxt[x]
            out[cnt] = a
            cnt += 1
            cost += weight[a]
            x = head[a]
        return cnt, cost

    # ---- Exact path (ties): lexicographically smallest optimal spur. ----
    sid += 1
    dist[s] = c0
    dstamp[s] = sid
    # Dijkstra ordered by the label itself (exact for float path costs, which are monotone),
    # pruned to nodes whose A* key is within rounding of the optimum: settles every node of
    # every optimal spur with its exact label.
    bound = best + abs(best) * 1e-10
    size = heap_push(keys, items, 0, c0, s)
    stop = _INF
    while size > 0 and keys[0] <= stop:
        key, u, size = heap_pop(keys, items, size)
        if sstamp[u] == sid:
            continue
        sstamp[u] = sid
        if u == target:
            stop = key
            continue
        du = dist[u]
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            if not arc_ok[a] or not node_ok[v]:
                continue
            hv = h[v]
            if hv == _INF or sstamp[v] == sid:
                continue
            if pstamp[v] == pid and ppos[v] <= lim:
                continue
            if u == s and fstamp[a] == fid:
                continue
            nd = du + weight[a]
            if nd + hv > bound:
                continue
            if dstamp[v] != sid or nd < dist[v]:
                dstamp[v] = sid
                dist[v] = nd
                size = heap_push(keys, items, size, nd, v)
    if sstamp[target] != sid:  # pragma: no cover - float corner case
        return -1, _INF
    # Tight arcs: a out of settled u with dist[u] + w == dist[v], v settled and allowed. All
    # simple s-t paths of tight arcs have the optimal cost, and every optimal spur is one.
    # Backward reachability to the target inside the tight subgraph: mark == rid.
    rid = sid + 1
    mark[target] = rid
    top = 1
    stack[0] = target
    while top > 0:
        top -= 1
        v = stack[top]
        for r in range(rindptr[v], rindptr[v + 1]):
            a = rarc[r]
            u = tail[a]
            if mark[u] == rid or sstamp[u] != sid or not arc_ok[a]:
                continue
            if (pstamp[v] == pid and ppos[v] <= lim) or (u == s and fstamp[a] == fid):
                continue
            if dist[u] + weight[a] == dist[v]:
                mark[u] = rid
                stack[top] = u
                top += 1
    # Greedy: smallest tight arc whose head still reaches the target avoiding the spur so far.
    # Spur nodes are marked ``vid`` in the (now free) label stamps.
    vid = sid + 2
    bid = sid + 3
    cnt = 0
    u = s
    dstamp[s] = vid
    while u != target:
        chosen = -1
        du = dist[u]
        for a in range(indptr[u], indptr[u + 1]):
            x = head[a]
            if mark[x] != rid or dstamp[x] == vid or not arc_ok[a]:
                continue
            if (pstamp[x] == pid and ppos[x] <= lim) or (u == s and fstamp[a] == fid):
                continue
            if du + weight[a] != dist[x]:
                continue
            if x == target or dist[x] > du:
                chosen = a
                break
            # Zero-weight tight arc: BFS over the plateau for an exit (the target, or a node with
            # a larger label, from which no conflict with the spur is possible).
            stack[0] = x
            mark[x] = bid
            found = False
            read = 0
            top = 1
            while read < top:
                y = stack[read]
                read += 1
                if y == target or dist[y] > du:
                    found = True
                    break
                dy = dist[y]
                for b in range(indptr[y], indptr[y + 1]):
                    z = head[b]
                    if mark[z] != rid or dstamp[z] == vid or not arc_ok[b]:
                        continue
                    if pstamp[z] == pid and ppos[z] <= lim:
                        continue
                    if dy + weight[b] == dist[z]:
                        mark[z] = bid
                        stack[top] = z
                        top += 1
            for j in range(top):
                mark[stack[j]] = rid
            if found:
                chosen = a
                break
        if chosen < 0:  # pragma: no cover - cannot happen in exact arithmetic
            return -1, _INF
        out[cnt] = chosen
        cnt += 1
        u = head[chosen]
        dstamp[u] = vid
    cost = c0
    for j in range(cnt):
        cost += weight[out[j]]
    return cnt, cost


@njit(cache=True)
def _cand_less(i, j, ccost, coff, carcs):
    ci = ccost[i]
    cj = ccost[j]
    if ci != cj:
        return ci < cj
    a0 = coff[i]
    a1 = coff[i + 1]
    b0 = coff[j]
    b1 = coff[j + 1]
    la = a1 - a0
    lb = b1 - b0
    ln = la if la < lb else lb
    for r in range(ln):
        x = carcs[a0 + r]
        y = carcs[b0 + r]
        if x != y:
            return x < y
    return la < lb


@njit(cache=True)
def ksp(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    k: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` shortest loopless paths ``source -> target``.

    Parameters
    ----------
    indptr, head, weight, arc_ok, node_ok
        CSR multigraph and masks (see :mod:`corridor._kernels`); weights must be ``>= 0``.
    source, target
        Distinct node indices.
    k
        Number of paths wanted.

    Returns
    -------
    offsets, arcs, costs
        Path ``i`` is ``arcs[offsets[i]:offsets[i + 1]]`` with float64 cost ``costs[i]`` (sum
        of its weights in path order). Paths are node-simple, distinct as arc sequences (parallel
        arcs give distinct paths) and sorted by ``(cost, arc sequence)``; fewer than ``k`` are
        returned when fewer exist, none when ``source == target`` or unreachable.
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
    h, nxt, uniq, tail, rindptr, rarc = _reverse_tree(indptr, head, weight, arc_ok, node_ok, target)
    if h[source] == _INF:
        return empty_off, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)

    # Work arrays shared by all spur searches (version-stamped, never cleared).
    gn = np.empty((3, n + 1), dtype=np.int64)
    gm = np.empty((3, m), dtype=np.int64)
    for v in range(n + 1):
        gn[_INDPTR, v] = indptr[v]
        gn[_RINDPTR, v] = rindptr[v]
        gn[_NXT, v] = nxt[v] if v < n else -1
    for a in range(m):
        gm[_HEAD, a] = head[a]
        gm[_TAIL, a] = tail[a]
        gm[_RARC, a] = rarc[a]
    work = np.zeros((_NW, n + 1), dtype=np.int64)
    pstamp = work[_PST]
    ppos = work[_PPOS]
    mstamp = work[_MST]
    for v in range(n + 1):
        pstamp[v] = -1
        mstamp[v] = -1
    spur_buf = work[_OUT]
    dist = np.empty(n, dtype=np.float64)
    fstamp = np.zeros(m, dtype=np.int64)
    keys = np.empty(m + 2, dtype=np.float64)
    items = np.empty(m + 2, dtype=np.int64)
    sid = 1

    # Output paths: arcs, costs and the trie node of every prefix (length + 1 per path).
    o_off = np.zeros(k + 1, dtype=np.int64)
    o_arcs = np.empty(64, dtype=np.int64)
    o_cost = np.empty(k, dtype=np.float64)
    o_toff = np.zeros(k + 1, dtype=np.int64)
    o_trie = np.empty(64, dtype=np.int64)
    # Prefix trie of output paths: first child / next sibling / arc label; node 0 is the root.
    t_child = np.empty(64, dtype=np.int64)
    t_sib = np.empty(64, dtype=np.int64)
    t_label = np.empty(64, dtype=np.int64)
    t_child[0] = -1
    t_sib[0] = -1
    t_label[0] = -1
    n_trie = 1
    # Candidates: arcs in c_arcs[c_off[c]:c_off[c + 1]], cost, deviation index, parent path.
    c_off = np.zeros(64, dtype=np.int64)
    c_arcs = np.empty(256, dtype=np.int64)
    c_cost = np.empty(64, dtype=np.float64)
    c_dev = np.empty(64, dtype=np.int64)
    c_par = np.empty(64, dtype=np.int64)
    heap = np.empty(64, dtype=np.int64)
    hsize = 0
    n_cand = 0

    n_out = 0
    fid = 0
    p = -2  # pseudo path "source only" for the first spur search
    pstamp[source] = -2
    ppos[source] = 0
    base = 0
    tb = 0
    dev = 0
    length = 1
    while True:
        # Spur searches from positions dev..length-1 of path p (Lawler's rule).
        c0 = 0.0
        for j in range(dev):
            c0 += weight[o_arcs[base + j]]
        for j in range(dev, length):
            if p < 0:
                s = source
                fid_j = -1
            else:
                a_j = o_arcs[base + j]
                s = tail[a_j]
                fid += 1
                fid_j = fid
                ch = t_child[o_trie[tb + j]]
                while ch >= 0:
                    fstamp[t_label[ch]] = fid
                    ch = t_sib[ch]
            cnt, cost = _spur(
                gn,
                gm,
                weight,
                arc_ok,
                node_ok,
                h,
                uniq,
                target,
                s,
                j,
                c0,
                fid_j,
                fstamp,
                p,
                work,
                dist,
                keys,
                items,
                sid,
            )
            sid += 8
            if p >= 0:
                c0 += weight[o_arcs[base + j]]
            if cnt < 0:
                continue
            # Store candidate: root arcs[:j] + spur.
            if n_cand + 2 > c_cost.shape[0]:
                c_off = _grow_i(c_off, n_cand + 2)
                c_cost = _grow_f(c_cost, n_cand + 2)
                c_dev = _grow_i(c_dev, n_cand + 2)
                c_par = _grow_i(c_par, n_cand + 2)
                heap = _grow_i(heap, n_cand + 2)
            cb = c_off[n_cand]
            c_arcs = _grow_i(c_arcs, cb + j + cnt)
            for r in range(j):
                c_arcs[cb + r] = o_arcs[base + r]
            for r in range(cnt):
                c_arcs[cb + j + r] = spur_buf[r]
            c_off[n_cand + 1] = cb + j + cnt
            c_cost[n_cand] = cost
            c_dev[n_cand] = j
            c_par[n_cand] = p
            # Heap push.
            i = hsize
            while i > 0:
                pi = (i - 1) >> 1
                if _cand_less(n_cand, heap[pi], c_cost, c_off, c_arcs):
                    heap[i] = heap[pi]
                    i = pi
                else:
                    break
            heap[i] = n_cand
            hsize += 1
            n_cand += 1
        if hsize == 0:
            break
        # Pop the best candidate.
        ci = heap[0]
        hsize -= 1
        last = heap[hsize]
        i = 0
        while True:
            c = 2 * i + 1
            if c >= hsize:
                break
            if c + 1 < hsize and _cand_less(heap[c + 1], heap[c], c_cost, c_off, c_arcs):
                c += 1
            if _cand_less(heap[c], last, c_cost, c_off, c_arcs):
                heap[i] = heap[c]
                i = c
            else:
                break
        heap[i] = last
        # Output it as path p.
        a0 = c_off[ci]
        length = c_off[ci + 1] - a0
        p = n_out
        base = o_off[p]
        o_arcs = _grow_i(o_arcs, base + length)
        for r in range(length):
            o_arcs[base + r] = c_arcs[a0 + r]
        o_off[p + 1] = base + length
        o_cost[p] = c_cost[ci]
        n_out += 1
        if n_out == k:
            break
        dev = c_dev[ci]
        par = c_par[ci]
        # Trie nodes of this path's prefixes: shared with the parent up to ``dev``.
        tb = o_toff[p]
        o_trie = _grow_i(o_trie, tb + length + 1)
        o_toff[p + 1] = tb + length + 1
        if par < 0:
            o_trie[tb] = 0
        else:
            pb = o_toff[par]
            for r in range(dev + 1):
                o_trie[tb + r] = o_trie[pb + r]
        need = n_trie + length - dev
        t_child = _grow_i(t_child, need)
        t_sib = _grow_i(t_sib, need)
        t_label = _grow_i(t_label, need)
        for j in range(dev, length):
            parent = o_trie[tb + j]
            node = n_trie
            n_trie += 1
            t_label[node] = o_arcs[base + j]
            t_child[node] = -1
            t_sib[node] = t_child[parent]
            t_child[parent] = node
            o_trie[tb + j + 1] = node
        # Positions of this path's nodes (root nodes are those at positions <= spur index).
        pstamp[source] = p
        ppos[source] = 0
        for j in range(length):
            v = head[o_arcs[base + j]]
            pstamp[v] = p
            ppos[v] = j + 1
    r_off = np.empty(n_out + 1, dtype=np.int64)
    for r in range(n_out + 1):
        r_off[r] = o_off[r]
    r_arcs = np.empty(o_off[n_out], dtype=np.int64)
    for r in range(o_off[n_out]):
        r_arcs[r] = o_arcs[r]
    r_cost = np.empty(n_out, dtype=np.float64)
    for r in range(n_out):
        r_cost[r] = o_cost[r]
    return r_off, r_arcs, r_cost
