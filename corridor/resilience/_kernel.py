"""Numba kernel of the failure sweeps: many scenarios x many OD pairs in one call.

A *scenario* is a set of failed links and failed sites, given in CSR form
(``sc_link_ptr``/``sc_links`` and ``sc_node_ptr``/``sc_nodes``). For each scenario the kernel
disables the failed links' arcs and the failed sites in copies of the base masks, answers the
OD queries with :func:`corridor._kernels.dijkstra.dijkstra_many` (one shortest-path tree per
distinct source serves all of that source's targets, stopping once they are settled), and
restores the masks.

Each answer is given as two figures of the path found (the search minimises the arc weights,
as :func:`corridor.routing.shortest_path` does): the *expected* one-way distance, the arc
weights plus ``handoff_ms`` at each change of system along the path (``arc_code``: the system
code of each arc's link), and the *physical* one, the arc weights minus each arc's expected
excess over its physical latency (``arc_excess``). Both come from the path the kernel already
recovers, at a cost linear in its length.

Incremental mode recomputes only the pairs whose baseline route uses a failed link or passes
through a failed site (found through the inverse indexes ``link -> pairs`` and
``node -> pairs``); every other pair keeps its baseline distance. This is exact: removing
links or sites can only remove paths, so a route that survives stays optimal.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor._kernels.dijkstra import dijkstra_many

__all__ = ["inverse_index", "path_figures", "sweep_kernel"]


@njit(cache=True)
def inverse_index(
    n_items: int, ptr: np.ndarray, items: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Transpose a CSR relation ``row -> items`` into ``item -> rows`` (rows ascending)."""
    count = np.zeros(n_items + 1, dtype=np.int64)
    rows = ptr.shape[0] - 1
    for r in range(rows):
        for j in range(ptr[r], ptr[r + 1]):
            count[items[j] + 1] += 1
    for i in range(n_items):
        count[i + 1] += count[i]
    out = np.empty(count[n_items], dtype=np.int64)
    fill = count[:-1].copy()
    for r in range(rows):
        for j in range(ptr[r], ptr[r + 1]):
            it = items[j]
            out[fill[it]] = r
            fill[it] += 1
    return count, out


@njit(cache=True)
def path_figures(
    dist: np.ndarray,
    offsets: np.ndarray,
    arcs: np.ndarray,
    arc_code: np.ndarray,
    arc_excess: np.ndarray,
    handoff_ms: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected and physical one-way distances of the paths of a
    :func:`~corridor._kernels.dijkstra.dijkstra_many` answer (``inf`` stays ``inf``).

    Expected = arc weights + ``handoff_ms`` per change of ``arc_code`` between consecutive arcs;
    physical = arc weights - the sum of ``arc_excess`` along the path.
    """
    q = dist.shape[0]
    exp = np.empty(q, dtype=np.float64)
    phys = np.empty(q, dtype=np.float64)
    for r in range(q):
        d = dist[r]
        if not np.isfinite(d):
            exp[r] = d
            phys[r] = d
            continue
        changes = 0
        excess = 0.0
        for j in range(offsets[r], offsets[r + 1]):
            a = arcs[j]
            excess += arc_excess[a]
            if j > offsets[r] and arc_code[a] != arc_code[arcs[j - 1]]:
                changes += 1
        exp[r] = d + changes * handoff_ms
        phys[r] = d - excess
    return exp, phys


@njit(cache=True)
def sweep_kernel(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    arc_code: np.ndarray,
    arc_excess: np.ndarray,
    handoff_ms: float,
    base_dist: np.ndarray,
    base_phys: np.ndarray,
    pair_link_ptr: np.ndarray,
    pair_links: np.ndarray,
    pair_node_ptr: np.ndarray,
    pair_nodes: np.ndarray,
    sc_link_ptr: np.ndarray,
    sc_links: np.ndarray,
    sc_node_ptr: np.ndarray,
    sc_nodes: np.ndarray,
    incremental: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shortest-path distances of every OD pair under every failure scenario.

    Parameters
    ----------
    indptr, head, weight, arc_link, arc_ok, node_ok
        CSR graph and base masks (see :mod:`corridor._kernels`).
    sources, targets
        The ``q`` OD pairs (node indices).
    arc_code, arc_excess, handoff_ms
        System code and expected-minus-physical latency of each arc, and the handoff delay
        (see :func:`path_figures`).
    base_dist, base_phys
        Baseline expected and physical distance of each pair (``inf`` when unreachable).
    pair_link_ptr, pair_links, pair_node_ptr, pair_nodes
        Links and sites (including both endpoints) of each pair's baseline route, as CSR.
    sc_link_ptr, sc_links, sc_node_ptr, sc_nodes
        Failed links and failed sites of each scenario, as CSR.
    incremental
        Recompute only the pairs whose baseline route touches a failed element (exact);
        otherwise recompute every pair of every scenario (the reference).

    Returns
    -------
    dist
        float64 ``(scenarios, q)``: expected distance (handoffs of the path found included),
        ``inf`` where the pair is disconnected.
    phys
        float64 ``(scenarios, q)``: physical distance of the same path.
    hit
        bool ``(scenarios, q)``: the pair's baseline route uses a failed link or site.
    endpoint
        bool ``(scenarios, q)``: a failed site is the pair's source or target.
    """
    n = indptr.shape[0] - 1
    n_links = 0
    for a in range(arc_link.shape[0]):
        if arc_link[a] + 1 > n_links:
            n_links = arc_link[a] + 1
    q = sources.shape[0]
    n_sc = sc_link_ptr.shape[0] - 1
    dist = np.empty((n_sc, q), dtype=np.float64)
    phys = np.empty((n_sc, q), dtype=np.float64)
    hits = np.zeros((n_sc, q), dtype=np.bool_)
    endpoint = np.zeros((n_sc, q), dtype=np.bool_)
    # arcs of each link
    link_arc_ptr = np.zeros(n_links + 1, dtype=np.int64)
    for a in range(arc_link.shape[0]):
        link_arc_ptr[arc_link[a] + 1] += 1
    for i in range(n_links):
        link_arc_ptr[i + 1] += link_arc_ptr[i]
    link_arcs = np.empty(arc_link.shape[0], dtype=np.int64)
    fill = link_arc_ptr[:-1].copy()
    for a in range(arc_link.shape[0]):
        li = arc_link[a]
        link_arcs[fill[li]] = a
        fill[li] += 1
    lp_ptr, lp_rows = inverse_index(n_links, pair_link_ptr, pair_links)
    np_ptr, np_rows = inverse_index(n, pair_node_ptr, pair_nodes)
    arcs = arc_ok.copy()
    nodes = node_ok.copy()
    hit = np.zeros(q, dtype=np.int64)  # stamp of the last scenario that hit the pair
    sub = np.empty(q, dtype=np.int64)
    for k in range(n_sc):
        stamp = k + 1
        for j in range(sc_link_ptr[k], sc_link_ptr[k + 1]):
            li = sc_links[j]
            for x in range(link_arc_ptr[li], link_arc_ptr[li + 1]):
                arcs[link_arcs[x]] = False
        for j in range(sc_node_ptr[k], sc_node_ptr[k + 1]):
            nodes[sc_nodes[j]] = False
        m = 0
        for j in range(sc_link_ptr[k], sc_link_ptr[k + 1]):
            li = sc_links[j]
            for x in range(lp_ptr[li], lp_ptr[li + 1]):
                r = lp_rows[x]
                if hit[r] != stamp:
                    hit[r] = stamp
                    sub[m] = r
                    m += 1
        for j in range(sc_node_ptr[k], sc_node_ptr[k + 1]):
            v = sc_nodes[j]
            for x in range(np_ptr[v], np_ptr[v + 1]):
                r = np_rows[x]
                if hit[r] != stamp:
                    hit[r] = stamp
                    sub[m] = r
                    m += 1
                if sources[r] == v or targets[r] == v:
                    endpoint[k, r] = True
        for x in range(m):
            hits[k, sub[x]] = True
        if incremental:
            for r in range(q):
                dist[k, r] = base_dist[r]
                phys[k, r] = base_phys[r]
            if m > 0:
                rows = sub[:m].copy()
                d, offs, parcs = dijkstra_many(
                    indptr, head, weight, sources[rows], targets[rows], arcs, nodes
                )
                e, p = path_figures(d, offs, parcs, arc_code, arc_excess, handoff_ms)
                for x in range(m):
                    dist[k, rows[x]] = e[x]
                    phys[k, rows[x]] = p[x]
        else:
            d, offs, parcs = dijkstra_many(indptr, head, weight, sources, targets, arcs, nodes)
            e, p = path_figures(d, offs, parcs, arc_code, arc_excess, handoff_ms)
            for r in range(q):
                dist[k, r] = e[r]
                phys[k, r] = p[r]
        for j in range(sc_link_ptr[k], sc_link_ptr[k + 1]):
            li = sc_links[j]
            for x in range(link_arc_ptr[li], link_arc_ptr[li + 1]):
                a = link_arcs[x]
                arcs[a] = arc_ok[a]
        for j in range(sc_node_ptr[k], sc_node_ptr[k + 1]):
            v = sc_nodes[j]
            nodes[v] = node_ok[v]
    return dist, phys, hits, endpoint
