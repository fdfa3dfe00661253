"""Property tests of the Dijkstra kernels against scipy, networkx and a plain reference."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naive import naive_dijkstra
from scipy.sparse.csgraph import dijkstra as sp_dijkstra

from corridor._kernels.dijkstra import dijkstra, dijkstra_many, path_arcs

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def graphs(draw, max_nodes=12, max_arcs=40, masked=True):
    n = draw(st.integers(1, max_nodes))
    node = st.integers(0, n - 1)
    wt = st.one_of(st.integers(0, 4).map(float), st.floats(0.0, 100.0))
    arcs = draw(st.lists(st.tuples(node, node, wt), max_size=max_arcs))
    arcs.sort(key=lambda t: t[0])
    indptr = np.zeros(n + 1, dtype=np.int64)
    for t in arcs:
        indptr[t[0] + 1] += 1
    indptr = np.cumsum(indptr)
    head = np.array([t[1] for t in arcs], dtype=np.int64)
    weight = np.array([t[2] for t in arcs], dtype=np.float64)
    m = head.shape[0]
    arc_ok = np.ones(m, dtype=np.bool_)
    node_ok = np.ones(n, dtype=np.bool_)
    if masked and draw(st.booleans()):
        arc_ok = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=np.bool_)
        node_ok = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=np.bool_)
    return indptr, head, weight, arc_ok, node_ok


def tails(indptr):
    return np.repeat(np.arange(indptr.shape[0] - 1, dtype=np.int64), np.diff(indptr))


def check_tree(indptr, head, weight, arc_ok, node_ok, source, dist, pred):
    tail = tails(indptr)
    for v in range(indptr.shape[0] - 1):
        if not np.isfinite(dist[v]):
            assert pred[v] == -1
            continue
        p = path_arcs(pred, tail, source, v)
        total = 0.0
        for a in p:
            assert arc_ok[a] and node_ok[tail[a]] and node_ok[head[a]]
            total += weight[a]
        assert total == dist[v]


@SETTINGS
@given(graphs(), st.data())
def test_dijkstra_full_tree(g, data):
    indptr, head, weight, arc_ok, node_ok = g
    n = indptr.shape[0] - 1
    s = data.draw(st.integers(0, n - 1))
    dist, pred = dijkstra(indptr, head, weight, s, -1, arc_ok, node_ok)
    ref = naive_dijkstra(indptr, head, weight, arc_ok, node_ok, s)
    np.testing.assert_allclose(dist, ref, rtol=1e-12, atol=0)
    check_tree(indptr, head, weight, arc_ok, node_ok, s, dist, pred)
    # scipy on the masked graph (parallel arcs: keep the lightest; scipy would sum them).
    tail = tails(indptr)
    keep = arc_ok & node_ok[tail] & node_ok[head]
    if node_ok[s]:
        best = {}
        for a in np.flatnonzero(keep):
            key = (int(tail[a]), int(head[a]))
            best[key] = min(best.get(key, np.inf), float(weight[a]))
        # scipy ignores explicit zeros of sparse input, so compare on positive weights only.
        if best and min(best.values()) > 0:
            r, c = zip(*best.keys(), strict=True)
            mat = sp.csr_matrix((list(best.values()), (list(r), list(c))), shape=(n, n))
            sref = sp_dijkstra(mat, indices=s)
            np.testing.assert_allclose(dist, sref, rtol=1e-12, atol=0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_dijkstra_early_exit(g, data):
    indptr, head, weight, arc_ok, node_ok = g
    n = indptr.shape[0] - 1
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1))
    full, _ = dijkstra(indptr, head, weight, s, -1, arc_ok, node_ok)
    dist, pred = dijkstra(indptr, head, weight, s, t, arc_ok, node_ok)
    assert dist[t] == full[t] or (np.isinf(dist[t]) and np.isinf(full[t]))
    settled = np.isfinite(dist)
    np.testing.assert_array_equal(dist[settled], full[settled])
    assert np.all(dist[settled] <= (full[t] if np.isfinite(full[t]) else np.inf))
    check_tree(indptr, head, weight, arc_ok, node_ok, s, dist, pred)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_dijkstra_matches_networkx(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    nxg = nx.gnp_random_graph(n, 0.2, seed=int(seed), directed=True)
    arcs = sorted((u, v, float(rng.random())) for u, v in nxg.edges)
    for u, v, w in arcs:
        nxg[u][v]["w"] = w
    indptr = np.zeros(n + 1, dtype=np.int64)
    for u, _, _ in arcs:
        indptr[u + 1] += 1
    indptr = np.cumsum(indptr)
    head = np.array([v for _, v, _ in arcs], dtype=np.int64)
    weight = np.array([w for _, _, w in arcs], dtype=np.float64)
    dist, _ = dijkstra(indptr, head, weight, 0, -1, np.ones(len(arcs), bool), np.ones(n, bool))
    ref = nx.single_source_dijkstra_path_length(nxg, 0, weight="w")
    expect = np.array([ref.get(v, np.inf) for v in range(n)])
    np.testing.assert_allclose(dist, expect, rtol=1e-12, atol=0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_dijkstra_many_matches_single(g, data):
    indptr, head, weight, arc_ok, node_ok = g
    n = indptr.shape[0] - 1
    q = data.draw(st.integers(0, 12))
    node = st.integers(0, n - 1)
    src = np.array(data.draw(st.lists(node, min_size=q, max_size=q)), dtype=np.int64)
    dst = np.array(data.draw(st.lists(node, min_size=q, max_size=q)), dtype=np.int64)
    dist, off, arcs = dijkstra_many(indptr, head, weight, src, dst, arc_ok, node_ok)
    assert dist.shape == (q,) and off.shape == (q + 1,) and off[-1] == arcs.shape[0]
    tail = tails(indptr)
    for i in range(q):
        d1, p1 = dijkstra(indptr, head, weight, int(src[i]), -1, arc_ok, node_ok)
        t = int(dst[i])
        assert dist[i] == d1[t] or (np.isinf(dist[i]) and np.isinf(d1[t]))
        expect = path_arcs(p1, tail, int(src[i]), t) if np.isfinite(d1[t]) else []
        np.testing.assert_array_equal(arcs[off[i] : off[i + 1]], expect)


def test_dijkstra_random_large_vs_scipy():
    rng = np.random.default_rng(7)
    n, m = 3000, 15000
    g = sp.csr_matrix(
        (rng.random(m) + 0.01, (rng.integers(0, n, m), rng.integers(0, n, m))), shape=(n, n)
    )
    g.sum_duplicates()
    indptr = g.indptr.astype(np.int64)
    head = g.indices.astype(np.int64)
    ok_a = np.ones(head.shape[0], bool)
    ok_n = np.ones(n, bool)
    for s in (0, 17, 2999):
        dist, _ = dijkstra(indptr, head, g.data, s, -1, ok_a, ok_n)
        np.testing.assert_allclose(dist, sp_dijkstra(g, indices=s), rtol=1e-12)
    src = rng.integers(0, n, 200)
    dst = rng.integers(0, n, 200)
    dist, _, _ = dijkstra_many(indptr, head, g.data, src, dst, ok_a, ok_n)
    full = sp_dijkstra(g, indices=np.unique(src))
    row = {s: i for i, s in enumerate(np.unique(src))}
    np.testing.assert_allclose(
        dist, [full[row[s], t] for s, t in zip(src, dst, strict=True)], rtol=1e-12
    )


def test_dijkstra_many_long_paths_and_groups():
    """Long paths (output buffer growth) and several queries per source, in scrambled order."""
    n = 60
    indptr = np.arange(n + 1, dtype=np.int64)
    indptr[-1] = n - 1
    head = np.arange(1, n, dtype=np.int64)
    weight = np.ones(n - 1)
    ok_a = np.ones(n - 1, bool)
    ok_n = np.ones(n, bool)
    src = np.array([0, 5, 0, 0, 59, 5], dtype=np.int64)
    dst = np.array([59, 58, 30, 0, 0, 5], dtype=np.int64)
    dist, off, arcs = dijkstra_many(indptr, head, weight, src, dst, ok_a, ok_n)
    np.testing.assert_array_equal(dist, [59, 53, 30, 0, np.inf, 0])
    for i in range(src.shape[0]):
        expect = np.arange(src[i], dst[i]) if np.isfinite(dist[i]) else []
        np.testing.assert_array_equal(arcs[off[i] : off[i + 1]], expect)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.data())
def test_int32_csr_gives_identical_results(g, data):
    """scipy-style int32 ``indptr``/``head`` give exactly the int64 results (ties included)."""
    indptr, head, weight, arc_ok, node_ok = g
    n = indptr.shape[0] - 1
    ip32, hd32 = indptr.astype(np.int32), head.astype(np.int32)
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(-1, n - 1))
    d64, p64 = dijkstra(indptr, head, weight, s, t, arc_ok, node_ok)
    d32, p32 = dijkstra(ip32, hd32, weight, s, t, arc_ok, node_ok)
    np.testing.assert_array_equal(d32, d64)
    np.testing.assert_array_equal(p32, p64)
    assert p32.dtype == np.int64
    node = st.integers(0, n - 1)
    src = np.array(data.draw(st.lists(node, max_size=6)), dtype=np.int64)
    dst = np.array(data.draw(st.lists(node, min_size=len(src), max_size=len(src))), dtype=np.int64)
    many64 = dijkstra_many(indptr, head, weight, src, dst, arc_ok, node_ok)
    many32 = dijkstra_many(ip32, hd32, weight, src, dst, arc_ok, node_ok)
    for x, y in zip(many32, many64, strict=True):
        np.testing.assert_array_equal(x, y)
