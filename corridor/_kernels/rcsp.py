"""Resource-constrained shortest path on CSR arrays: least cost within a latency budget.

:func:`rcsp` finds the least-``cost`` path ``s -> t`` whose summed arc ``weight`` (latency) is at
most ``budget``. It is an exact label-setting search (after Desrochers and Soumis, "A generalized
permanent labelling algorithm for the shortest path problem with time windows", INFOR 26 (1988)
191-212): a label is a partial path ``(cost, latency)`` at a node; a label is dropped when another
label at the same node is no worse in both; labels are expanded in order of ``cost + h_cost``
(A*), where ``h_cost`` and ``h_lat`` are exact distances to ``t`` (reverse Dijkstra trees), so the
first label settled at ``t`` is optimal and a label that cannot reach ``t`` within the budget is
never made. Costs and weights must be non-negative.

Labels live in flat arrays (at most ``max_labels``); the labels of one node form a linked list
(its Pareto front). A label dominated later is marked dead and skipped when popped.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor._kernels.dijkstra import heap_pop, heap_push
from corridor._kernels.elementary import _grow_f as _grow_float
from corridor._kernels.elementary import _grow_i as _grow_int

__all__ = ["RCSP_FOUND", "RCSP_LABEL_LIMIT", "RCSP_NONE", "rcsp"]

RCSP_FOUND = 0
RCSP_NONE = 1
RCSP_LABEL_LIMIT = 2


@njit(cache=True)
def rcsp(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    cost: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    h_cost: np.ndarray,
    h_lat: np.ndarray,
    source: int,
    target: int,
    budget: float,
    max_labels: int,
) -> tuple[np.ndarray, int]:
    """Least-``cost`` path from ``source`` to ``target`` with latency at most ``budget``.

    Returns ``(arcs, status)``: the path's arcs in order and :data:`RCSP_FOUND`, or an empty
    array and :data:`RCSP_NONE` (no path fits) or :data:`RCSP_LABEL_LIMIT` (more than
    ``max_labels`` labels were needed; nothing is proven). Latency comparisons allow ``1e-9``
    slack, dominance ``1e-15`` on cost and ``1e-12`` on latency.
    """
    empty = np.empty(0, dtype=np.int64)
    if not h_lat[source] <= budget + 1e-9:
        return empty, RCSP_NONE
    n = indptr.shape[0] - 1
    limit = max_labels + 1
    cap = min(limit, 1024)  # label arrays double when full, up to the limit
    l_node = np.empty(cap, dtype=np.int64)
    l_cost = np.empty(cap, dtype=np.float64)
    l_lat = np.empty(cap, dtype=np.float64)
    l_parent = np.empty(cap, dtype=np.int64)
    l_arc = np.empty(cap, dtype=np.int64)
    l_next = np.empty(cap, dtype=np.int64)  # next label in the same node's front
    l_dead = np.zeros(cap, dtype=np.bool_)
    front = np.full(n, -1, dtype=np.int64)
    hkey = np.empty(cap, dtype=np.float64)  # one heap entry per label at most
    hitem = np.empty(cap, dtype=np.int64)
    l_node[0] = source
    l_cost[0] = 0.0
    l_lat[0] = 0.0
    l_parent[0] = -1
    l_arc[0] = -1
    l_next[0] = -1
    front[source] = 0
    count = 1
    size = heap_push(hkey, hitem, 0, h_cost[source], 0)
    while size > 0:
        _, lab, size = heap_pop(hkey, hitem, size)
        if l_dead[lab]:
            continue
        u = l_node[lab]
        if u == target:
            length = 0
            j = lab
            while l_parent[j] >= 0:
                length += 1
                j = l_parent[j]
            arcs = np.empty(length, dtype=np.int64)
            j = lab
            while l_parent[j] >= 0:
                length -= 1
                arcs[length] = l_arc[j]
                j = l_parent[j]
            return arcs, RCSP_FOUND
        c = l_cost[lab]
        lat = l_lat[lab]
        for a in range(indptr[u], indptr[u + 1]):
            if not arc_ok[a]:
                continue
            v = head[a]
            if not node_ok[v]:
                continue
            nl = lat + weight[a]
            if nl + h_lat[v] > budget + 1e-9:
                continue
            nc = c + cost[a]
            dominated = False
            j = front[v]
            while j >= 0:
                if l_cost[j] <= nc + 1e-15 and l_lat[j] <= nl + 1e-12:
                    dominated = True
                    break
                j = l_next[j]
            if dominated:
                continue
            prev = -1  # unlink the labels the new one dominates
            j = front[v]
            while j >= 0:
                nxt = l_next[j]
                if nc <= l_cost[j] and nl <= l_lat[j]:
                    l_dead[j] = True
                    if prev < 0:
                        front[v] = nxt
                    else:
                        l_next[prev] = nxt
                else:
                    prev = j
                j = nxt
            if count >= cap:
                if cap >= limit:
                    return empty, RCSP_LABEL_LIMIT
                cap = min(limit, 2 * cap)
                l_node = _grow_int(l_node, cap)
                l_cost = _grow_float(l_cost, cap)
                l_lat = _grow_float(l_lat, cap)
                l_parent = _grow_int(l_parent, cap)
                l_arc = _grow_int(l_arc, cap)
                l_next = _grow_int(l_next, cap)
                grown = np.zeros(cap, dtype=np.bool_)
                grown[:count] = l_dead[:count]
                l_dead = grown
                hkey = _grow_float(hkey, cap)
                hitem = _grow_int(hitem, cap)
            l_node[count] = v
            l_cost[count] = nc
            l_lat[count] = nl
            l_parent[count] = lab
            l_arc[count] = a
            l_next[count] = front[v]
            front[v] = count
            size = heap_push(hkey, hitem, size, nc + h_cost[v], count)
            count += 1
    return empty, RCSP_NONE
