"""Fastest route as a service: Dijkstra over arcs, with a cost at each change of system.

The expected round trip of a path (see :mod:`corridor.latency`) is the sum of its arc weights
plus ``handoff_ms`` at every change of ``system`` between consecutive links. That extra cost
depends on the pair of consecutive arcs, not on a node, so a node-based search cannot minimise
it. :func:`service_dijkstra` searches the *arc graph* instead (the technique road routers use
for turn costs): a state is "arrived over arc ``a``", and moving on over arc ``b`` costs
``weight[b]`` plus ``handoff`` when the two arcs belong to different systems. Its answer is the
path of least expected latency, exactly.

The path is simple in sites whenever arc weights are positive: a walk that comes back to a site
can switch systems there directly instead, for at most one handoff, which the detour (at least
one handoff between two different systems, plus its own positive weight) never beats.

Work ``O(sum over sites of in-degree x out-degree x log)``, a small multiple of Dijkstra's on
fiber networks (degrees of 2 to 6).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor._kernels.dijkstra import heap_pop, heap_push

__all__ = ["service_dijkstra"]


@njit(cache=True)
def service_dijkstra(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_system: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    source: int,
    target: int,
    handoff: float,
) -> tuple[float, np.ndarray]:
    """Least cost from ``source`` to ``target`` with ``handoff`` per change of ``arc_system``.

    Parameters
    ----------
    indptr, head, weight
        CSR arrays (arc ``a`` leaves the node whose ``indptr`` range holds it).
    arc_system
        Integer code of each arc's system (its link's); consecutive arcs with different codes
        cost ``handoff`` more.
    arc_ok, node_ok
        Masks of usable arcs and nodes.
    source, target
        Node indices.
    handoff
        Cost of one change of system, >= 0.

    Returns
    -------
    cost, arcs
        The least cost (``inf`` when ``target`` is unreachable) and the path's arcs in order
        (empty when unreachable).
    """
    m = head.shape[0]
    dist = np.full(m, np.inf)
    pred = np.full(m, -1, dtype=np.int64)
    # each arc is settled once and then pushes each arc leaving its head at most once
    pushes = indptr[source + 1] - indptr[source] + 1
    for a in range(m):
        pushes += indptr[head[a] + 1] - indptr[head[a]]
    hkey = np.empty(pushes, dtype=np.float64)
    harc = np.empty(pushes, dtype=np.int64)
    size = 0
    empty = np.empty(0, dtype=np.int64)
    if not node_ok[source] or not node_ok[target]:
        return np.inf, empty
    for b in range(indptr[source], indptr[source + 1]):
        if arc_ok[b] and node_ok[head[b]] and weight[b] < dist[b]:
            dist[b] = weight[b]
            size = heap_push(hkey, harc, size, weight[b], b)
    while size > 0:
        d, a, size = heap_pop(hkey, harc, size)
        if d > dist[a]:
            continue
        v = head[a]
        if v == target:
            n = 0
            x = a
            while x >= 0:
                n += 1
                x = pred[x]
            arcs = np.empty(n, dtype=np.int64)
            x = a
            for i in range(n - 1, -1, -1):
                arcs[i] = x
                x = pred[x]
            return d, arcs
        if v == source:
            continue  # back at the start: never on a best path (positive weights)
        sa = arc_system[a]
        for b in range(indptr[v], indptr[v + 1]):
            if not arc_ok[b] or not node_ok[head[b]]:
                continue
            nd = d + weight[b]
            if arc_system[b] != sa:
                nd += handoff
            if nd < dist[b]:
                dist[b] = nd
                pred[b] = a
                size = heap_push(hkey, harc, size, nd, b)
    return np.inf, empty
