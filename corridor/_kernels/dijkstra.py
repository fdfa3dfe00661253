"""Dijkstra's algorithm on CSR arrays with a binary heap (lazy deletion).

Complexity ``O((n + m) log m)``. Ties are broken deterministically: the heap orders entries by
``(distance, node index)`` and a predecessor is replaced only on a strict improvement, so the first
arc (in CSR order) that reaches the best distance wins.

Reference: E. W. Dijkstra, "A note on two problems in connexion with graphs", Numerische
Mathematik 1 (1959) 269-271.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["dijkstra", "heap_pop", "heap_push", "path_arcs"]


@njit(cache=True, inline="always")
def _less(keys: np.ndarray, items: np.ndarray, i: int, j: int) -> bool:
    return keys[i] < keys[j] or (keys[i] == keys[j] and items[i] < items[j])


@njit(cache=True)
def heap_push(keys: np.ndarray, items: np.ndarray, size: int, key: float, item: int) -> int:
    """Push ``(key, item)`` onto the min-heap held in ``keys``/``items``; return the new size."""
    i = size
    keys[i] = key
    items[i] = item
    while i > 0:
        parent = (i - 1) >> 1
        if _less(keys, items, i, parent):
            keys[i], keys[parent] = keys[parent], keys[i]
            items[i], items[parent] = items[parent], items[i]
            i = parent
        else:
            break
    return size + 1


@njit(cache=True)
def heap_pop(keys: np.ndarray, items: np.ndarray, size: int) -> tuple[float, int, int]:
    """Pop the smallest entry; return ``(key, item, new_size)``."""
    key = keys[0]
    item = items[0]
    size -= 1
    keys[0] = keys[size]
    items[0] = items[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        right = left + 1
        if right < size and _less(keys, items, right, left):
            child = right
        if _less(keys, items, child, i):
            keys[i], keys[child] = keys[child], keys[i]
            items[i], items[child] = items[child], items[i]
            i = child
        else:
            break
    return key, item, size


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
    m = head.shape[0]
    dist = np.full(n, np.inf)
    pred_arc = np.full(n, -1, dtype=np.int64)
    if not node_ok[source]:
        return dist, pred_arc
    done = np.zeros(n, dtype=np.bool_)
    keys = np.empty(m + 1, dtype=np.float64)
    items = np.empty(m + 1, dtype=np.int64)
    dist[source] = 0.0
    size = heap_push(keys, items, 0, 0.0, source)
    while size > 0:
        d, u, size = heap_pop(keys, items, size)
        if done[u]:
            continue
        done[u] = True
        if u == target:
            break
        for a in range(indptr[u], indptr[u + 1]):
            if not arc_ok[a]:
                continue
            v = head[a]
            if done[v] or not node_ok[v]:
                continue
            nd = d + weight[a]
            if nd < dist[v]:
                dist[v] = nd
                pred_arc[v] = a
                size = heap_push(keys, items, size, nd, v)
    if target >= 0:
        # Nodes reached but not settled have tentative distances: hide them.
        for v in range(n):
            if not done[v]:
                dist[v] = np.inf
                pred_arc[v] = -1
    return dist, pred_arc


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
