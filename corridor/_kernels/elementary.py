"""Fastest simple path meeting via items: best-first branch and bound on CSR arrays.

The exact via solver of :mod:`corridor.routing.constrained` relaxes "simple path" to "walk" (a
layered Dijkstra). When the fastest walk revisits a site, :func:`elementary_path` searches the
simple paths themselves (A*): partial paths leave a heap in order of their cost plus a lower
bound on the rest, ``lower[bits * n + v]``, the fastest *walk* from ``v`` to the target that
touches the via items not yet in ``bits`` (the layered relaxation run backwards from the
target). The bound never overestimates and is consistent, so the first complete path to leave
the heap is optimal, only partial paths cheaper than the optimum are expanded, and an emptied
heap proves that no path exists within the bound.

The search is exponential in the worst case; ``budget`` caps the partial paths it expands.
When the cap stops it, the caller is told (status 2) and decides by other means; nothing is
claimed.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor._kernels.dijkstra import heap_pop, heap_push

__all__ = ["elementary_path"]


@njit(cache=True)
def elementary_path(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    bits: np.ndarray,
    arc_ok: np.ndarray,
    source: int,
    target: int,
    start_bits: int,
    full: int,
    lower: np.ndarray,
    hop_lower: np.ndarray,
    max_hops: int,
    bound: float,
    budget: int,
) -> tuple[int, np.ndarray, float]:
    """Fastest simple ``source``-``target`` path touching every bit of ``full``.

    Parameters
    ----------
    indptr, head, weight
        CSR graph (``n`` nodes).
    bits
        Via bits each arc touches (int64, renumbered so that ``full`` is all of them).
    arc_ok
        Usable arcs.
    start_bits
        Bits already touched at the source.
    lower, hop_lower
        Lower bounds (``len == (full + 1) * n``, indexed ``bits * n + v``) on the cost and on
        the arcs from node ``v`` with ``bits`` touched to the target; ``inf`` / more than any
        hop limit where the target cannot be reached.
    max_hops
        At most this many arcs (``-1``: no limit).
    bound
        Only paths of cost at most ``bound`` count (``inf``: no bound).
    budget
        Partial paths expanded before giving up.

    Returns
    -------
    status, arcs, cost
        ``0``: ``arcs`` is an optimal path of cost ``cost``; ``1``: proven that no path of cost
        at most ``bound`` exists; ``2``: the budget stopped the search (no claim either way).
    """
    n = indptr.shape[0] - 1
    tol = 1e-9
    cap = 1024
    parent = np.empty(cap, dtype=np.int64)
    arc_of = np.empty(cap, dtype=np.int64)
    node_of = np.empty(cap, dtype=np.int64)
    g_of = np.empty(cap, dtype=np.float64)
    bits_of = np.empty(cap, dtype=np.int64)
    depth_of = np.empty(cap, dtype=np.int64)
    hkeys = np.empty(cap, dtype=np.float64)
    hitems = np.empty(cap, dtype=np.int64)
    size = 0
    count = 1
    parent[0] = -1
    arc_of[0] = -1
    node_of[0] = source
    g_of[0] = 0.0
    bits_of[0] = start_bits
    depth_of[0] = 0
    size = heap_push(hkeys, hitems, size, lower[start_bits * n + source], 0)
    on_path = np.zeros(n, dtype=np.bool_)
    expanded = 0
    while size > 0:
        f, lab, size = heap_pop(hkeys, hitems, size)
        if f > bound + tol:
            break
        v = node_of[lab]
        if v == target:
            d = depth_of[lab]
            out = np.empty(d, dtype=np.int64)
            x = lab
            for i in range(d - 1, -1, -1):
                out[i] = arc_of[x]
                x = parent[x]
            return 0, out, g_of[lab]
        expanded += 1
        if expanded > budget:
            return 2, np.empty(0, dtype=np.int64), np.inf
        # mark the sites of this partial path
        x = lab
        while x >= 0:
            on_path[node_of[x]] = True
            x = parent[x]
        g = g_of[lab]
        b0 = bits_of[lab]
        d1 = depth_of[lab] + 1
        for a in range(indptr[v], indptr[v + 1]):
            if not arc_ok[a]:
                continue
            u = head[a]
            if on_path[u]:
                continue
            nb = b0 | bits[a]
            if u == target and nb != full:
                continue
            ng = g + weight[a]
            f2 = ng + lower[nb * n + u]
            if f2 > bound + tol:
                continue
            if max_hops >= 0 and d1 + hop_lower[nb * n + u] > max_hops:
                continue
            if count == cap:
                cap *= 2
                parent = _grow_i(parent, cap)
                arc_of = _grow_i(arc_of, cap)
                node_of = _grow_i(node_of, cap)
                bits_of = _grow_i(bits_of, cap)
                depth_of = _grow_i(depth_of, cap)
                g_of = _grow_f(g_of, cap)
                hkeys = _grow_f(hkeys, cap)
                hitems = _grow_i(hitems, cap)
            parent[count] = lab
            arc_of[count] = a
            node_of[count] = u
            g_of[count] = ng
            bits_of[count] = nb
            depth_of[count] = d1
            size = heap_push(hkeys, hitems, size, f2, count)
            count += 1
        x = lab
        while x >= 0:
            on_path[node_of[x]] = False
            x = parent[x]
    return 1, np.empty(0, dtype=np.int64), np.inf


@njit(cache=True)
def _grow_i(a: np.ndarray, cap: int) -> np.ndarray:
    out = np.empty(cap, dtype=np.int64)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def _grow_f(a: np.ndarray, cap: int) -> np.ndarray:
    out = np.empty(cap, dtype=np.float64)
    out[: a.shape[0]] = a
    return out
