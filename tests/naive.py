"""Plain-Python reference implementations used by the kernel tests (slow, obviously correct)."""

from __future__ import annotations

import heapq

import numpy as np


def naive_simple_paths(indptr, head, weight, arc_ok, node_ok, source, target):
    """All node-simple ``source -> target`` paths as ``(cost, arcs)`` sorted by ``(cost, arcs)``.

    Paths are arc sequences (parallel arcs give distinct paths); ``cost`` is the float sum of the
    weights in path order. ``source == target`` or unusable endpoints give no path.
    """
    out = []
    if source == target or not node_ok[source] or not node_ok[target]:
        return out
    on_path = {source}
    arcs: list[int] = []

    def dfs(u, cost):
        for a in range(indptr[u], indptr[u + 1]):
            v = int(head[a])
            if not arc_ok[a] or not node_ok[v] or v in on_path:
                continue
            arcs.append(a)
            c = cost + float(weight[a])
            if v == target:
                out.append((c, tuple(arcs)))
            else:
                on_path.add(v)
                dfs(v, c)
                on_path.discard(v)
            arcs.pop()

    dfs(source, 0.0)
    out.sort()
    return out


def naive_dijkstra(indptr, head, weight, arc_ok, node_ok, source):
    """Distances from ``source`` with a plain heap (``inf`` where unreachable)."""
    n = len(indptr) - 1
    dist = np.full(n, np.inf)
    if not node_ok[source]:
        return dist
    dist[source] = 0.0
    heap = [(0.0, source)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for a in range(indptr[u], indptr[u + 1]):
            v = int(head[a])
            if not arc_ok[a] or not node_ok[v]:
                continue
            nd = d + float(weight[a])
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist


# ---------------------------------------------------------------------------------------------
# Disjoint paths and SRLG references (brute force / networkx) for tests/test_kernels_disjoint.py
# and tests/test_srlg.py. Everything here works on the CSR arrays of corridor._kernels.
# ---------------------------------------------------------------------------------------------


def disjoint_simple_paths(indptr, head, arc_ok, node_ok, source, target):
    """All simple (node-distinct) ``source -> target`` paths as tuples of arc indices."""
    import numpy as np

    indptr = np.asarray(indptr)
    out = []
    if source == target or not node_ok[source] or not node_ok[target]:
        return out
    on_path = {source}
    stack = []

    def rec(u):
        if u == target:
            out.append(tuple(stack))
            return
        for a in range(int(indptr[u]), int(indptr[u + 1])):
            v = int(head[a])
            if not arc_ok[a] or not node_ok[v] or v in on_path:
                continue
            on_path.add(v)
            stack.append(a)
            rec(v)
            stack.pop()
            on_path.discard(v)

    rec(source)
    return out


def disjoint_path_nodes(path, indptr, head):
    """Node sequence of an arc path (tail of the first arc first)."""
    import numpy as np

    tail = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    if len(path) == 0:
        return []
    return [int(tail[path[0]])] + [int(head[a]) for a in path]


def disjoint_shared(p, q, indptr, head, arc_link, node_mode):
    """Shared links and (in node mode) shared intermediate nodes of two arc paths."""
    lp = {int(arc_link[a]) for a in p}
    lq = {int(arc_link[a]) for a in q}
    links = lp & lq
    nodes = set()
    if node_mode:
        np_ = disjoint_path_nodes(p, indptr, head)[1:-1]
        nq = disjoint_path_nodes(q, indptr, head)[1:-1]
        nodes = set(np_) & set(nq)
    return links, nodes


def disjoint_nx_optimum(
    indptr, head, weight, arc_link, arc_ok, node_ok, source, target, k, node_disjoint
):
    """``(number of paths, total cost)`` of the min-cost ``k``-unit disjoint flow (networkx).

    Every link is a unit-capacity gadget shared by its arcs: ``tail -> X_L`` (cost ``w``),
    ``X_L -> Y_L`` (capacity 1), ``Y_L -> head``; entering from one end and leaving through the
    same end forms a non-negative cycle, never useful. With ``node_disjoint`` every intermediate
    node is split into ``in -> out`` of capacity 1. Weights must be integers.
    """
    import networkx as nx
    import numpy as np

    n = len(indptr) - 1
    tail = np.repeat(np.arange(n), np.diff(indptr))
    g = nx.DiGraph()
    if source == target or not node_ok[source] or not node_ok[target]:
        return 0, 0

    def vin(v):
        return ("in", v) if node_disjoint and v not in (source, target) else ("n", v)

    def vout(v):
        return ("out", v) if node_disjoint and v not in (source, target) else ("n", v)

    for v in range(n):
        if node_ok[v] and node_disjoint and v not in (source, target):
            g.add_edge(vin(v), vout(v), capacity=1, weight=0)
    for a in range(len(head)):
        u, v = int(tail[a]), int(head[a])
        if not arc_ok[a] or not node_ok[u] or not node_ok[v] or u == v:
            continue
        lk = int(arc_link[a])
        g.add_edge(vout(u), ("X", lk, u), capacity=1, weight=int(weight[a]))
        g.add_edge(("X", lk, u), ("X", lk), capacity=1, weight=0)
        g.add_edge(("X", lk), ("Y", lk), capacity=1, weight=0)
        g.add_edge(("Y", lk), ("Y", lk, v), capacity=1, weight=0)
        g.add_edge(("Y", lk, v), vin(v), capacity=1, weight=0)
    g.add_edge("S", ("n", source), capacity=k, weight=0)
    g.add_node(("n", target))
    flow = nx.max_flow_min_cost(g, "S", ("n", target))
    value = sum(flow["S"].values())
    return value, nx.cost_of_flow(g, flow)


def disjoint_brute_min_shared(
    indptr, head, weight, arc_link, arc_ok, node_ok, source, target, node_disjoint
):
    """``(shared count, total cost)`` minimum over ordered pairs of simple paths (or ``None``).

    Link mode counts shared links; node mode counts shared intermediate nodes plus shared links
    joining ``source`` and ``target`` directly.
    """
    import numpy as np

    tail = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    paths = disjoint_simple_paths(indptr, head, arc_ok, node_ok, source, target)
    best = None
    for p in paths:
        for q in paths:
            links, nodes = disjoint_shared(p, q, indptr, head, arc_link, node_disjoint)
            if node_disjoint:
                st = {
                    int(arc_link[a]) for a in p if {int(tail[a]), int(head[a])} == {source, target}
                }
                cnt = len(nodes) + len(links & st)
            else:
                cnt = len(links)
            key = (cnt, sum(weight[a] for a in p) + sum(weight[a] for a in q))
            if best is None or key < best:
                best = key
    return best


def disjoint_brute_bounded_backup(
    indptr, head, weight, arc_link, arc_ok, node_ok, source, target, cap, node_disjoint
):
    """Minimum primary cost over disjoint pairs whose backup costs ``<= cap`` (``None`` if none)."""
    paths = disjoint_simple_paths(indptr, head, arc_ok, node_ok, source, target)
    best = None
    for p in paths:
        cp = sum(weight[a] for a in p)
        if best is not None and cp >= best:
            continue
        for q in paths:
            links, nodes = disjoint_shared(p, q, indptr, head, arc_link, node_disjoint)
            if links or nodes:
                continue
            if sum(weight[a] for a in q) <= cap:
                best = cp
                break
    return best


def srlg_path_risks(path, arc_link, link_srlg_indptr, link_srlg_ids):
    """Risks of a path: ``("L", link)`` for each link and ``("G", id)`` for each SRLG id."""
    risks = set()
    for a in path:
        lk = int(arc_link[a])
        risks.add(("L", lk))
        for g in link_srlg_ids[link_srlg_indptr[lk] : link_srlg_indptr[lk + 1]]:
            risks.add(("G", int(g)))
    return risks


def srlg_brute_pair(
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
    cap=float("inf"),
):
    """Brute-force SRLG pair: ``(shared risk count, total cost)`` minimum (``None`` if no path).

    Shared risks count shared links and shared SRLG ids; 0 means an SRLG-disjoint pair.
    Pairs may repeat a path (then everything is shared). Only paths of cost ``<= cap`` count.
    """
    paths = [
        p
        for p in disjoint_simple_paths(indptr, head, arc_ok, node_ok, source, target)
        if sum(weight[a] for a in p) <= cap + 1e-9
    ]
    risks = [srlg_path_risks(p, arc_link, link_srlg_indptr, link_srlg_ids) for p in paths]
    costs = [sum(weight[a] for a in p) for p in paths]
    best = None
    for i in range(len(paths)):
        for j in range(i, len(paths)):
            key = (len(risks[i] & risks[j]), costs[i] + costs[j])
            if best is None or key < best:
                best = key
    return best


def build_per_link(links, sites, borders, min_country_km):
    """Lengths (km) and countries crossed of every link, one geometry at a time.

    The per-link reading of :func:`corridor.network.build_network`'s rules: each link's geodesic
    length with :meth:`pyproj.Geod.geometry_length`; its countries are its end sites' countries
    plus every country holding at least ``min_country_km`` of a terrestrial link, ordered by
    where that piece starts along the line (then by code); a link's ``countries_given`` (the data's
    ``countries`` field) replaces the pieces.
    """
    import shapely
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    country = dict(zip(sites["id"], sites["country"], strict=True))
    lengths, crossed = [], []
    for row in links.itertuples(index=False):
        line = row.geometry
        lengths.append(geod.geometry_length(line) / 1000.0)
        middle = []
        if row.kind == "terrestrial":
            for poly, code in zip(borders.geometry, borders["iso_a2"], strict=True):
                if not line.intersects(poly):
                    continue
                part = line.intersection(poly)
                if part.is_empty or geod.geometry_length(part) / 1000.0 < min_country_km:
                    continue
                start = shapely.Point(shapely.get_coordinates(part)[0])
                middle.append((line.project(start, normalized=True), str(code)))
        given = str(getattr(row, "countries_given", "") or "")
        if given.strip():  # the data states the countries it crosses
            seq = [country[row.a], *(c.strip() for c in given.split(";")), country[row.b]]
        else:
            seq = [country[row.a], *(c for _, c in sorted(middle)), country[row.b]]
        crossed.append(tuple(c for c in dict.fromkeys(seq) if c))
    return np.array(lengths), crossed
