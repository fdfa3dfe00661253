"""Property tests of the k-shortest-simple-paths kernel against brute force, networkx, scipy."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from naive import naive_simple_paths

from corridor._kernels.ksp import ksp

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def csr(n, arcs):
    """CSR arrays from ``(tail, head, weight)`` arcs (stable by tail: arc order is kept)."""
    arcs = sorted(arcs, key=lambda t: t[0])
    indptr = np.zeros(n + 1, dtype=np.int64)
    for t in arcs:
        indptr[t[0] + 1] += 1
    indptr = np.cumsum(indptr)
    head = np.array([t[1] for t in arcs], dtype=np.int64)
    weight = np.array([t[2] for t in arcs], dtype=np.float64)
    return indptr, head, weight


@st.composite
def problems(draw, max_nodes=8, max_links=12, exact=True):
    """Small multigraph (directed links and undirected arc pairs, parallel links, ties, zero
    weights, masks) with a source/target pair. ``exact``: weights are multiples of 1/4 so every
    path cost is exact and tie order is checkable; otherwise arbitrary floats."""
    n = draw(st.integers(2, max_nodes))
    node = st.integers(0, n - 1)
    if exact:
        wt = st.integers(0, 8).map(lambda x: x / 4)
    else:
        wt = st.floats(0.0, 10.0, allow_nan=False, allow_infinity=False)
    links = draw(st.lists(st.tuples(node, node, wt, wt, st.booleans()), max_size=max_links))
    arcs = []
    for u, v, w1, w2, und in links:
        if u == v:
            continue
        arcs.append((u, v, w1))
        if und:
            arcs.append((v, u, w2))
    indptr, head, weight = csr(n, arcs)
    m = head.shape[0]
    arc_ok = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=np.bool_)
    node_ok = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=np.bool_)
    if draw(st.booleans()):  # often no masking at all
        arc_ok[:] = True
        node_ok[:] = True
    source = draw(node)
    target = draw(node)
    assume(source != target)
    k = draw(st.integers(1, 25))
    return indptr, head, weight, arc_ok, node_ok, source, target, k


def run(indptr, head, weight, arc_ok, node_ok, source, target, k):
    off, arcs, costs = ksp(indptr, head, weight, arc_ok, node_ok, source, target, k)
    return [
        (float(costs[i]), tuple(int(a) for a in arcs[off[i] : off[i + 1]]))
        for i in range(costs.shape[0])
    ]


def check_paths(paths, indptr, head, weight, arc_ok, node_ok, source, target):
    tail = np.repeat(np.arange(indptr.shape[0] - 1), np.diff(indptr))
    for cost, arcs in paths:
        assert len(arcs) >= 1
        assert tail[arcs[0]] == source and head[arcs[-1]] == target
        nodes = [source]
        total = 0.0
        for a in arcs:
            assert arc_ok[a]
            assert tail[a] == nodes[-1]
            nodes.append(int(head[a]))
            total += float(weight[a])
        assert all(node_ok[v] for v in nodes)
        assert len(set(nodes)) == len(nodes), "path is not simple"
        assert total == cost  # float sum in path order
    assert len({a for _, a in paths}) == len(paths), "duplicate path"
    costs = [c for c, _ in paths]
    assert all(b >= a for a, b in itertools.pairwise(costs))


@SETTINGS
@given(problems(exact=True))
def test_ksp_exact_order_matches_bruteforce(prob):
    """Dyadic weights: the answer is exactly the first k of (cost, arc sequence) order."""
    indptr, head, weight, arc_ok, node_ok, s, t, k = prob
    got = run(*prob)
    ref = naive_simple_paths(indptr, head, weight, arc_ok, node_ok, s, t)
    assert got == ref[:k]
    check_paths(got, indptr, head, weight, arc_ok, node_ok, s, t)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(exact=False))
def test_ksp_float_weights(prob):
    indptr, head, weight, arc_ok, node_ok, s, t, k = prob
    got = run(*prob)
    ref = naive_simple_paths(indptr, head, weight, arc_ok, node_ok, s, t)
    assert len(got) == min(k, len(ref))
    np.testing.assert_allclose([c for c, _ in got], [c for c, _ in ref[:k]], rtol=0, atol=1e-9)
    check_paths(got, indptr, head, weight, arc_ok, node_ok, s, t)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(exact=True))
def test_ksp_deterministic_and_prefix(prob):
    first = run(*prob)
    assert run(*prob) == first
    more = run(*prob[:-1], prob[-1] + 3)
    assert more[: len(first)] == first
    assert len(more) >= len(first)


def nx_reference_costs(indptr, head, weight, arc_ok, node_ok, s, t):
    """Costs of all simple paths via networkx node paths expanded over parallel arcs."""
    n = indptr.shape[0] - 1
    tail = np.repeat(np.arange(n), np.diff(indptr))
    nxg = nx.DiGraph()
    nxg.add_nodes_from(v for v in range(n) if node_ok[v])
    par: dict[tuple[int, int], list[float]] = {}
    for a in range(head.shape[0]):
        u, v = int(tail[a]), int(head[a])
        if arc_ok[a] and node_ok[u] and node_ok[v]:
            par.setdefault((u, v), []).append(float(weight[a]))
            nxg.add_edge(u, v)
    if s not in nxg or t not in nxg:
        return []
    costs = []
    for path in nx.all_simple_paths(nxg, s, t):
        choices = [par[(path[i], path[i + 1])] for i in range(len(path) - 1)]
        for combo in itertools.product(*choices):
            total = 0.0
            for w in combo:
                total += w
            costs.append(total)
    return sorted(costs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(exact=False))
def test_ksp_costs_match_networkx_enumeration(prob):
    indptr, head, weight, arc_ok, node_ok, s, t, k = prob
    got = run(*prob)
    ref = nx_reference_costs(indptr, head, weight, arc_ok, node_ok, s, t)[:k]
    np.testing.assert_allclose([c for c, _ in got], ref, rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 30))
def test_ksp_matches_networkx_shortest_simple_paths(seed, k):
    """Simple digraphs (no parallel arcs): networkx shortest_simple_paths gives the costs."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 12))
    nxg = nx.gnp_random_graph(n, 0.35, seed=int(seed), directed=True)
    for u, v in nxg.edges:
        nxg[u][v]["w"] = float(rng.integers(1, 6))
    arcs = [(u, v, nxg[u][v]["w"]) for u, v in nxg.edges]
    indptr, head, weight = csr(n, arcs)
    ones_a = np.ones(head.shape[0], dtype=np.bool_)
    ones_n = np.ones(n, dtype=np.bool_)
    got = run(indptr, head, weight, ones_a, ones_n, 0, n - 1, k)
    try:
        ref = [
            nx.path_weight(nxg, p, "w")
            for p in itertools.islice(nx.shortest_simple_paths(nxg, 0, n - 1, weight="w"), k)
        ]
    except nx.NetworkXNoPath:
        ref = []
    np.testing.assert_allclose([c for c, _ in got], ref, rtol=0, atol=1e-9)


def test_ksp_edge_cases():
    indptr, head, weight = csr(3, [(0, 1, 1.0), (1, 2, 1.0), (0, 1, 1.0)])
    a = np.ones(3, dtype=np.bool_)
    v = np.ones(3, dtype=np.bool_)
    # Two parallel arcs give two paths, ordered by arc index on the cost tie.
    assert run(indptr, head, weight, a, v, 0, 2, 5) == [(2.0, (0, 2)), (2.0, (1, 2))]
    assert run(indptr, head, weight, a, v, 0, 0, 5) == []
    assert run(indptr, head, weight, a, v, 2, 0, 5) == []
    assert run(indptr, head, weight, a, v, 0, 2, 0) == []
    v2 = v.copy()
    v2[1] = False
    assert run(indptr, head, weight, a, v2, 0, 2, 5) == []


@pytest.mark.parametrize("seed", [0, 1])
def test_ksp_matches_scipy_yen_on_delaunay(seed):
    pytest.importorskip("scipy.sparse.csgraph", minversion=None)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import yen
    from scipy.spatial import Delaunay

    rng = np.random.default_rng(seed)
    n = 300
    pts = np.column_stack([rng.uniform(0, 120, n), rng.uniform(30, 55, n)])
    ip, nb = Delaunay(pts).vertex_neighbor_vertices
    rows = np.repeat(np.arange(n), np.diff(ip))
    w = np.hypot(*(pts[rows] - pts[nb]).T)
    g = csr_matrix((w, (rows, nb)), shape=(n, n))
    g.sort_indices()
    indptr = g.indptr.astype(np.int64)
    head = g.indices.astype(np.int64)
    s, t = int(np.argmin(pts[:, 0])), int(np.argmax(pts[:, 0]))
    off, arcs, costs = ksp(
        indptr, head, g.data, np.ones(head.shape[0], np.bool_), np.ones(n, np.bool_), s, t, 60
    )
    ref = yen(g, s, t, 60)
    np.testing.assert_allclose(costs, ref, rtol=1e-12, atol=0)
    paths = [
        (float(costs[i]), tuple(int(a) for a in arcs[off[i] : off[i + 1]]))
        for i in range(costs.shape[0])
    ]
    check_paths(paths, indptr, head, g.data, np.ones(head.shape[0], bool), np.ones(n, bool), s, t)
