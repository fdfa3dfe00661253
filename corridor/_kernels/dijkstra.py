"""Dijkstra's algorithm on CSR arrays.

:func:`dijkstra` uses an *indexed* 4-ary heap with decrease-key (``O(n)`` heap memory instead of
``O(m)`` lazy entries), complexity ``O(m log n)``. Ties are broken deterministically: the heap
orders entries by ``(distance, node index)`` and a predecessor is replaced only on a strict
improvement, so the first arc (in CSR order, among the arcs scanned from nodes settled in
``(distance, node)`` order) that reaches the best distance wins. This is the same settle order as
the lazy-deletion binary heap the module used before, so results are unchanged.

:func:`dijkstra_many` answers a batch of ``(source, target)`` queries, building each source's tree
once and stopping as soon as all of that source's targets are settled; work arrays are reused
across sources with version stamps, so no ``O(n)`` clearing happens per source.

Reference: E. W. Dijkstra, "A note on two problems in connexion with graphs", Numerische
Mathematik 1 (1959) 269-271. D. B. Johnson, "Priority queues with update and finding minimum
spanning trees", Information Processing Letters 4 (1975) 53-57 (d-ary heaps).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["dijkstra", "dijkstra_many", "heap_pop", "heap_push", "path_arcs"]


@njit(cache=True, inline="always")
def _less(keys: np.ndarray, items: np.ndarray, i: int, j: int) -> bool:
    return keys[i] < keys[j] or (keys[i] == keys[j] and items[i] < items[j])


@njit(cache=True)
def heap_push(keys: np.ndarray, items: np.ndarray, size: int, key: float, item: int) -> int:
    """Push ``(key, item)`` onto the min-heap held in ``keys``/``items``; return the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        pk = keys[parent]
        if key < pk or (key == pk and item < items[parent]):
            keys[i] = pk
            items[i] = items[parent]
            i = parent
        else:
            break
    keys[i] = key
    items[i] = item
    return size + 1


@njit(cache=True)
def heap_pop(keys: np.ndarray, items: np.ndarray, size: int) -> tuple[float, int, int]:
    """Pop the smallest entry; return ``(key, item, new_size)``."""
    key = keys[0]
    item = items[0]
    size -= 1
    lk = keys[size]
    li = items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        right = child + 1
        if right < size and _less(keys, items, right, child):
            child = right
        ck = keys[child]
        if ck < lk or (ck == lk and items[child] < li):
            keys[i] = ck
            items[i] = items[child]
            i = child
        else:
            break
    keys[i] = lk
    items[i] = li
    return key, item, size


_BLOCKED = np.int32(2**30)


@njit(cache=True)
def _init_state(node_ok: np.ndarray) -> np.ndarray:
    n = node_ok.shape[0]
    state = np.zeros(n, dtype=np.int32)
    for v in range(n):
        if not node_ok[v]:
            state[v] = _BLOCKED
    return state


@njit(cache=True)
def _all_true(mask: np.ndarray) -> bool:
    for i in range(mask.shape[0]):  # noqa: SIM110 - explicit loop for numba
        if not mask[i]:
            return False
    return True


@njit(cache=True)
def _run(
    indptr,
    head,
    weight,
    source,
    target,
    arc_ok,
    node_ok,
    masked,
    dist,
    pred_arc,
    state,
    stamp,
    hkey,
    hnode,
    hpos,
    targets_left,
    is_target,
    tstamp,
):
    """Core loop shared by :func:`dijkstra` and :func:`dijkstra_many`.

    ``state[v] == stamp`` means queued, ``state[v] == stamp + 1`` settled, ``_BLOCKED`` an
    unusable node (set once by the caller), anything smaller unseen (``dist``/``pred_arc`` are
    then stale). The node mask is thus folded into ``state`` and only ``arc_ok`` is tested in the
    hot loop, and only when some arc is disabled (``masked``). With ``targets_left > 0`` the
    search stops once that many nodes with ``is_target[v] == tstamp`` are settled; with
    ``target >= 0`` it stops at ``target``.
    """
    done_mark = stamp + 1
    dist[source] = 0.0
    pred_arc[source] = -1
    state[source] = stamp
    hkey[0] = 0.0
    hnode[0] = source
    hpos[source] = 0
    size = 1
    # The indexed 4-ary heap is written inline (calls with many array arguments cost more than
    # the heap operations themselves).
    while size > 0:
        d = hkey[0]
        u = hnode[0]
        size -= 1
        if size > 0:
            lk = hkey[size]
            lv = hnode[size]
            i = 0
            while True:
                c = 4 * i + 1
                if c >= size:
                    break
                best = c
                bk = hkey[c]
                bv = hnode[c]
                end = c + 4
                if end > size:
                    end = size
                for j in range(c + 1, end):
                    jk = hkey[j]
                    if jk < bk or (jk == bk and hnode[j] < bv):
                        best = j
                        bk = jk
                        bv = hnode[j]
                if bk < lk or (bk == lk and bv < lv):
                    hkey[i] = bk
                    hnode[i] = bv
                    hpos[bv] = i
                    i = best
                else:
                    break
            hkey[i] = lk
            hnode[i] = lv
            hpos[lv] = i
        state[u] = done_mark
        if u == target:
            break
        if targets_left > 0 and is_target[u] == tstamp:
            targets_left -= 1
            if targets_left == 0:
                break
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            sv = state[v]
            if sv > stamp:  # settled or blocked node
                continue
            if masked and not arc_ok[a]:
                continue
            nd = d + weight[a]
            if sv == stamp:
                if nd >= dist[v]:
                    continue
                i = hpos[v]
            else:
                state[v] = stamp
                i = size
                size += 1
            dist[v] = nd
            pred_arc[v] = a
            while i > 0:
                p = (i - 1) >> 2
                pk = hkey[p]
                if nd < pk or (nd == pk and v < hnode[p]):
                    hkey[i] = pk
                    w = hnode[p]
                    hnode[i] = w
                    hpos[w] = i
                    i = p
                else:
                    break
            hkey[i] = nd
            hnode[i] = v
            hpos[v] = i


@njit(cache=True)
def _run_plain(
    indptr,
    head,
    weight,
    source,
    target,
    arc_ok,
    node_ok,
    masked,
    dist,
    pred_arc,
    state,
    stamp,
    hkey,
    hnode,
    hpos,
    targets_left,
    is_target,
    tstamp,
):
    """:func:`_run` specialised for a full tree with every arc usable (the common case): without
    the early-exit and arc-mask tests the hot loop is about a quarter faster."""
    done_mark = stamp + 1
    dist[source] = 0.0
    pred_arc[source] = -1
    state[source] = stamp
    hkey[0] = 0.0
    hnode[0] = source
    hpos[source] = 0
    size = 1
    # The indexed 4-ary heap is written inline (calls with many array arguments cost more than
    # the heap operations themselves).
    while size > 0:
        d = hkey[0]
        u = hnode[0]
        size -= 1
        if size > 0:
            lk = hkey[size]
            lv = hnode[size]
            i = 0
            while True:
                c = 4 * i + 1
                if c >= size:
                    break
                best = c
                bk = hkey[c]
                bv = hnode[c]
                end = c + 4
                if end > size:
                    end = size
                for j in range(c + 1, end):
                    jk = hkey[j]
                    if jk < bk or (jk == bk and hnode[j] < bv):
                        best = j
                        bk = jk
                        bv = hnode[j]
                if bk < lk or (bk == lk and bv < lv):
                    hkey[i] = bk
                    hnode[i] = bv
                    hpos[bv] = i
                    i = best
                else:
                    break
            hkey[i] = lk
            hnode[i] = lv
            hpos[lv] = i
        state[u] = done_mark
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            sv = state[v]
            if sv > stamp:  # settled or blocked node
                continue
            nd = d + weight[a]
            if sv == stamp:
                if nd >= dist[v]:
                    continue
                i = hpos[v]
            else:
                state[v] = stamp
                i = size
                size += 1
            dist[v] = nd
            pred_arc[v] = a
            while i > 0:
                p = (i - 1) >> 2
                pk = hkey[p]
                if nd < pk or (nd == pk and v < hnode[p]):
                    hkey[i] = pk
                    w = hnode[p]
                    hnode[i] = w
                    hpos[w] = i
                    i = p
                else:
                    break
            hkey[i] = nd
            hnode[i] = v
            hpos[v] = i


@njit(cache=True)
def dijkstra(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    source: int,
    target: int,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Shortest distances from ``source`` over usable arcs and nodes.

    Parameters
    ----------
    indptr, head, weight
        CSR arrays (see :mod:`corridor._kernels`).
    source
        Source node index.
    target
        Stop as soon as this node is settled; ``-1`` computes the whole tree.
    arc_ok, node_ok
        Masks of usable arcs and nodes. An unusable source yields no reachable node.

    Returns
    -------
    dist, pred_arc
        ``dist[v]`` is ``inf`` where unreachable (or not settled before ``target``);
        ``pred_arc[v]`` is the arc entering ``v`` on its shortest path, ``-1`` for none.
    """
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    pred_arc = np.full(n, -1, dtype=np.int64)
    if not node_ok[source]:
        return dist, pred_arc
    masked = not _all_true(arc_ok)
    state = _init_state(node_ok)
    hkey = np.empty(n, dtype=np.float64)
    hnode = np.empty(n, dtype=np.int32)  # int32 heap halves memory traffic (n < 2**31)
    hpos = np.empty(n, dtype=np.int32)
    dummy = np.zeros(1, dtype=np.int64)
    if masked or target >= 0:
        _run(
            indptr,
            head,
            weight,
            source,
            target,
            arc_ok,
            node_ok,
            masked,
            dist,
            pred_arc,
            state,
            1,
            hkey,
            hnode,
            hpos,
            0,
            dummy,
            0,
        )
    else:
        _run_plain(
            indptr,
            head,
            weight,
            source,
            target,
            arc_ok,
            node_ok,
            masked,
            dist,
            pred_arc,
            state,
            1,
            hkey,
            hnode,
            hpos,
            0,
            dummy,
            0,
        )
    # Nodes reached but not settled (early exit) have tentative distances: hide them.
    for v in range(n):
        if state[v] != 2:
            dist[v] = np.inf
            pred_arc[v] = -1
    return dist, pred_arc


@njit(cache=True)
def dijkstra_many(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Answer ``q`` shortest-path queries ``sources[i] -> targets[i]`` in one call.

    Pairs are grouped by source (stable counting sort), so each distinct source's tree is grown
    once and only until all of its targets are settled. Per query the result equals
    ``dijkstra(..., sources[i], -1, ...)`` followed by :func:`path_arcs` (same tie-breaking).
    Complexity ``O(n + q + sum over distinct sources of the explored part, O(m log n))``.

    Returns
    -------
    dist
        float64 ``(q,)``; ``inf`` when unreachable (or source/target unusable), ``0`` when
        ``sources[i] == targets[i]`` and the node is usable.
    offsets, arcs
        Path of query ``i`` is ``arcs[offsets[i]:offsets[i + 1]]`` (empty when unreachable or
        ``s == t``).
    """
    n = indptr.shape[0] - 1
    q = sources.shape[0]
    out_dist = np.full(q, np.inf)
    offsets = np.zeros(q + 1, dtype=np.int64)
    if q == 0:
        return out_dist, offsets, np.empty(0, dtype=np.int64)
    masked = not _all_true(arc_ok)
    tail = np.empty(head.shape[0], dtype=np.int64)
    for u in range(n):
        for a in range(indptr[u], indptr[u + 1]):
            tail[a] = u
    # Stable counting sort of the queries by source (O(q + n), no comparison sort).
    order = np.empty(q, dtype=np.int64)
    start = np.zeros(n + 1, dtype=np.int64)
    for r in range(q):
        start[sources[r] + 1] += 1
    for v in range(n):
        start[v + 1] += start[v]
    for r in range(q):
        sv = sources[r]
        order[start[sv]] = r
        start[sv] += 1
    dist = np.empty(n, dtype=np.float64)
    pred_arc = np.empty(n, dtype=np.int64)
    state = _init_state(node_ok)
    is_target = np.zeros(n, dtype=np.int64)
    hkey = np.empty(n, dtype=np.float64)
    hnode = np.empty(n, dtype=np.int32)  # int32 heap halves memory traffic (n < 2**31)
    hpos = np.empty(n, dtype=np.int32)
    lengths = np.zeros(q, dtype=np.int64)
    # Paths are first written per query into a growable buffer, then compacted in query order.
    buf = np.empty(max(16, 4 * q), dtype=np.int64)
    buf_start = np.zeros(q, dtype=np.int64)
    used = 0
    stamp = 1
    i = 0
    group = 0
    while i < q:
        s = sources[order[i]]
        j = i
        while j < q and sources[order[j]] == s:
            j += 1
        group += 1
        stamp += 2
        if node_ok[s]:
            count = 0
            for r in range(i, j):
                t = targets[order[r]]
                if node_ok[t] and is_target[t] != group:
                    is_target[t] = group
                    count += 1
            if count == 0:  # every target of this source is unusable
                i = j
                continue
            _run(
                indptr,
                head,
                weight,
                s,
                -1,
                arc_ok,
                node_ok,
                masked,
                dist,
                pred_arc,
                state,
                stamp,
                hkey,
                hnode,
                hpos,
                count,
                is_target,
                group,
            )
            for r in range(i, j):
                qi = order[r]
                t = targets[qi]
                if state[t] != stamp + 1 or not node_ok[t]:
                    continue
                out_dist[qi] = dist[t]
                length = 0
                v = t
                while v != s:
                    length += 1
                    v = tail[pred_arc[v]]
                if used + length > buf.shape[0]:
                    nb = np.empty(max(2 * buf.shape[0], used + length), dtype=np.int64)
                    for b in range(used):
                        nb[b] = buf[b]
                    buf = nb
                buf_start[qi] = used
                lengths[qi] = length
                v = t
                p = used + length - 1
                while v != s:
                    a = pred_arc[v]
                    buf[p] = a
                    p -= 1
                    v = tail[a]
                used += length
        i = j
    for r in range(q):
        offsets[r + 1] = offsets[r] + lengths[r]
    arcs = np.empty(offsets[q], dtype=np.int64)
    for r in range(q):
        o = offsets[r]
        b = buf_start[r]
        for j in range(lengths[r]):
            arcs[o + j] = buf[b + j]
    return out_dist, offsets, arcs


@njit(cache=True)
def path_arcs(pred_arc: np.ndarray, tail: np.ndarray, source: int, target: int) -> np.ndarray:
    """Arcs of the tree path ``source -> target`` in order (empty when unreachable)."""
    count = 0
    v = target
    while v != source:
        a = pred_arc[v]
        if a < 0:
            return np.empty(0, dtype=np.int64)
        count += 1
        v = tail[a]
    out = np.empty(count, dtype=np.int64)
    v = target
    i = count - 1
    while v != source:
        a = pred_arc[v]
        out[i] = a
        i -= 1
        v = tail[a]
    return out
