"""Tests of the disjoint-path kernels against networkx min-cost flow and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naive import (
    disjoint_brute_bounded_backup,
    disjoint_brute_min_shared,
    disjoint_nx_optimum,
    disjoint_path_nodes,
    disjoint_shared,
    disjoint_simple_paths,
)

from corridor._kernels.disjoint import (
    BACKUP_BOUND_REACHED,
    BACKUP_FOUND,
    BACKUP_INFEASIBLE,
    bounded_backup,
    k_disjoint,
    min_shared_pair,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(n: int, links: list[tuple[int, int, int, int, bool]]):
    """CSR arrays from ``(u, v, w_uv, w_vu, undirected)`` links (link index = list position)."""
    arcs = []
    for i, (u, v, w1, w2, und) in enumerate(links):
        arcs.append((u, v, float(w1), i))
        if und:
            arcs.append((v, u, float(w2), i))
    arcs.sort(key=lambda t: t[0])  # stable: keeps link order within a tail
    indptr = np.zeros(n + 1, dtype=np.int64)
    for t in arcs:
        indptr[t[0] + 1] += 1
    indptr = np.cumsum(indptr)
    head = np.array([t[1] for t in arcs], dtype=np.int64)
    weight = np.array([t[2] for t in arcs], dtype=np.float64)
    arc_link = np.array([t[3] for t in arcs], dtype=np.int64)
    return indptr, head, weight, arc_link


@st.composite
def graphs(draw, max_nodes: int = 6, max_links: int = 10, max_weight: int = 4):
    n = draw(st.integers(2, max_nodes))
    node = st.integers(0, n - 1)
    links = draw(
        st.lists(
            st.tuples(
                node,
                node,
                st.integers(0, max_weight),
                st.integers(0, max_weight),
                st.booleans(),
            ),
            min_size=0,
            max_size=max_links,
        )
    )
    sym = draw(st.booleans())
    if sym:  # symmetric undirected weights, the common case
        links = [(u, v, w, w, und) for u, v, w, _, und in links]
    indptr, head, weight, arc_link = build(n, links)
    m = head.shape[0]
    arc_ok = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=np.bool_)
    arc_ok |= draw(st.booleans())  # often everything usable
    node_ok = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=np.bool_)
    node_ok |= draw(st.booleans())
    source = draw(node)
    target = draw(node)
    return indptr, head, weight, arc_link, arc_ok, node_ok, source, target


def check_paths(g, offsets, arcs, costs, node_mode):
    """Paths are valid, simple, usable, sorted, with the right costs, and pairwise disjoint."""
    indptr, head, weight, arc_link, arc_ok, node_ok, source, target = g
    tail = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    p = len(costs)
    assert offsets.shape == (p + 1,) and offsets[0] == 0 and offsets[-1] == len(arcs)
    paths = [tuple(int(a) for a in arcs[offsets[i] : offsets[i + 1]]) for i in range(p)]
    for path, c in zip(paths, costs, strict=True):
        assert len(path) >= 1
        assert tail[path[0]] == source and head[path[-1]] == target
        for a, b in itertools.pairwise(path):
            assert head[a] == tail[b]
        assert all(arc_ok[a] for a in path)
        nodes = disjoint_path_nodes(path, indptr, head)
        assert len(set(nodes)) == len(nodes), "not simple"
        assert all(node_ok[v] for v in nodes)
        assert c == pytest.approx(sum(weight[a] for a in path))
    keys = [(c, path) for c, path in zip(costs, paths, strict=True)]
    assert keys == sorted(keys)
    for i in range(p):
        for j in range(i + 1, p):
            links, nodes = disjoint_shared(paths[i], paths[j], indptr, head, arc_link, node_mode)
            assert not links and not nodes
    return paths


@SETTINGS
@given(g=graphs(), k=st.integers(1, 4), node_mode=st.booleans())
def test_k_disjoint_matches_min_cost_flow(g, k, node_mode):
    offsets, arcs, costs = k_disjoint(*g[:6], g[6], g[7], k, node_mode)
    check_paths(g, offsets, arcs, costs, node_mode)
    value, cost = disjoint_nx_optimum(*g, k, node_mode)
    if g[6] == g[7]:
        value, cost = 0, 0
    assert len(costs) == value
    assert costs.sum() == pytest.approx(cost)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=graphs(max_nodes=5, max_links=8), node_mode=st.booleans())
def test_k_disjoint_pair_brute_force(g, node_mode):
    """k=2 against the best pair among all pairs of simple paths (independent of networkx)."""
    indptr, head, weight, arc_link, arc_ok, node_ok, s, t = g
    paths = disjoint_simple_paths(indptr, head, arc_ok, node_ok, s, t)
    best_one = min((sum(weight[a] for a in p) for p in paths), default=None)
    best_two = None
    for i, p in enumerate(paths):
        for q in paths[i + 1 :]:
            links, nodes = disjoint_shared(p, q, indptr, head, arc_link, node_mode)
            if not links and not nodes:
                c = sum(weight[a] for a in p) + sum(weight[a] for a in q)
                best_two = c if best_two is None else min(best_two, c)
    _, _, costs = k_disjoint(*g, 2, node_mode)
    if best_two is not None:
        assert len(costs) == 2 and costs.sum() == pytest.approx(best_two)
    elif best_one is not None:
        assert len(costs) == 1 and costs[0] == pytest.approx(best_one)
    else:
        assert len(costs) == 0


@SETTINGS
@given(g=graphs(max_nodes=5, max_links=8), node_mode=st.booleans())
def test_min_shared_pair_brute_force(g, node_mode):
    indptr, head, _, arc_link, arc_ok, _, s, t = g
    offsets, arcs, costs, shared_links, shared_nodes = min_shared_pair(*g, node_mode)
    best = disjoint_brute_min_shared(*g, node_mode)
    if best is None:
        assert len(costs) == 0 and len(shared_links) == 0 and len(shared_nodes) == 0
        return
    assert len(costs) == 2
    tail = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    p = tuple(arcs[offsets[0] : offsets[1]])
    q = tuple(arcs[offsets[1] : offsets[2]])
    for path in (p, q):
        nodes = disjoint_path_nodes(path, indptr, head)
        assert nodes[0] == s and nodes[-1] == t and len(set(nodes)) == len(nodes)
        assert all(arc_ok[a] for a in path)
    links, nodes = disjoint_shared(p, q, indptr, head, arc_link, True)
    assert sorted(links) == list(shared_links)
    assert sorted(nodes) == list(shared_nodes)
    if node_mode:
        st_links = {int(arc_link[a]) for a in p if {int(tail[a]), int(head[a])} == {s, t}}
        count = len(shared_nodes) + len(links & st_links)
    else:
        count = len(shared_links)
    assert count == best[0]
    assert costs.sum() == pytest.approx(best[1])
    if count == 0:
        _, _, c2 = k_disjoint(*g, 2, node_mode)
        assert c2.sum() == pytest.approx(costs.sum())


@SETTINGS
@given(
    g=graphs(max_nodes=5, max_links=8),
    cap=st.integers(0, 10),
    node_mode=st.booleans(),
)
def test_bounded_backup_brute_force(g, cap, node_mode):
    indptr, head, weight, arc_link, arc_ok, node_ok, s, t = g
    status, primary, backup, pc, bc = bounded_backup(*g, float(cap), node_mode, 10_000)
    best = disjoint_brute_bounded_backup(*g, cap, node_mode)
    if best is None:
        assert status == BACKUP_INFEASIBLE
        assert len(primary) == 0 and np.isinf(pc)
        return
    assert status == BACKUP_FOUND
    assert pc == pytest.approx(best)
    assert bc <= cap
    assert pc == pytest.approx(weight[primary].sum())
    assert bc == pytest.approx(weight[backup].sum())
    for path in (primary, backup):
        nodes = disjoint_path_nodes(path, indptr, head)
        assert nodes[0] == s and nodes[-1] == t and len(set(nodes)) == len(nodes)
        assert all(arc_ok[a] for a in path) and all(node_ok[v] for v in nodes)
    links, nodes = disjoint_shared(primary, backup, indptr, head, arc_link, node_mode)
    assert not links and not nodes


def ladder(rungs: int) -> tuple:
    """Two rails ``0-2-4-...`` and ``1-3-5-...`` joined by rungs; many simple paths."""
    links = []
    for i in range(rungs):
        a, b = 2 * i, 2 * i + 1
        links.append((a, b, 1, 1, True))
        if i + 1 < rungs:
            links.append((a, a + 2, 1, 1, True))
            links.append((b, b + 2, 3, 3, True))
    n = 2 * rungs
    indptr, head, weight, arc_link = build(n, links)
    return indptr, head, weight, arc_link, np.ones(len(head), bool), np.ones(n, bool)


def test_bounded_backup_bound_reached_is_distinct():
    g = ladder(6)
    n = len(g[0]) - 1
    # The backup must be nearly as cheap as the primary: only found deep in the enumeration.
    status, *_ = bounded_backup(*g, 0, n - 1, 13.0, False, 1)
    assert status == BACKUP_BOUND_REACHED
    status, _, _, _, bc = bounded_backup(*g, 0, n - 1, 13.0, False, 10_000)
    assert status == BACKUP_FOUND and bc <= 13.0
    status, *_ = bounded_backup(*g, 0, n - 1, 0.5, False, 10_000)
    assert status == BACKUP_INFEASIBLE


def test_bhandari_trap_topology():
    """The classic trap: the shortest path blocks any disjoint partner; flow cancels a link."""
    # s=0, t=5; shortest path 0-1-2-5 uses 1-2, which both disjoint paths must avoid sharing.
    links = [
        (0, 1, 1, 1, True),
        (1, 2, 1, 1, True),
        (2, 5, 1, 1, True),
        (0, 3, 2, 2, True),
        (3, 2, 2, 2, True),
        (1, 4, 2, 2, True),
        (4, 5, 2, 2, True),
    ]
    indptr, head, weight, arc_link = build(6, links)
    g = (indptr, head, weight, arc_link, np.ones(len(head), bool), np.ones(6, bool), 0, 5)
    offsets, arcs, costs = k_disjoint(*g, 2, False)
    assert len(costs) == 2 and costs.sum() == pytest.approx(10.0)
    used = {int(arc_link[a]) for a in arcs}
    assert 1 not in used  # the trap link cancels
    check_paths(g, offsets, arcs, costs, False)
    offsets, arcs, costs = k_disjoint(*g, 2, True)
    assert costs.sum() == pytest.approx(10.0)


def test_zero_weight_cycles_and_parallel_links():
    # zero-weight triangle 1-2-3 around the route and two parallel 0-1 links
    links = [
        (0, 1, 0, 0, True),
        (0, 1, 0, 0, True),
        (1, 2, 0, 0, True),
        (2, 3, 0, 0, True),
        (3, 1, 0, 0, True),
        (2, 4, 0, 0, True),
        (3, 4, 0, 0, True),
    ]
    indptr, head, weight, arc_link = build(5, links)
    g = (indptr, head, weight, arc_link, np.ones(len(head), bool), np.ones(5, bool), 0, 4)
    offsets, arcs, costs = k_disjoint(*g, 3, False)
    assert len(costs) == 2
    check_paths(g, offsets, arcs, costs, False)
    offsets, arcs, costs = k_disjoint(*g, 3, True)
    assert len(costs) == 1  # node 1 is a cut vertex


def test_degenerate_inputs():
    g = ladder(2)
    n = len(g[0]) - 1
    for s, t in [(0, 0), (1, 1)]:
        offsets, arcs, costs = k_disjoint(*g, s, t, 2, False)
        assert offsets.tolist() == [0] and len(arcs) == 0 and len(costs) == 0
    node_ok = g[5].copy()
    node_ok[0] = False
    _, _, costs = k_disjoint(*g[:5], node_ok, 0, n - 1, 2, False)
    assert len(costs) == 0
    _, _, costs = k_disjoint(*g, 0, n - 1, 0, False)
    assert len(costs) == 0
    status, *_ = bounded_backup(*g, 0, 0, 1.0, False, 10)
    assert status == BACKUP_INFEASIBLE


def test_deterministic_order():
    g = ladder(4)
    n = len(g[0]) - 1
    first = k_disjoint(*g, 0, n - 1, 2, False)
    for _ in range(3):
        again = k_disjoint(*g, 0, n - 1, 2, False)
        for x, y in zip(first, again, strict=True):
            np.testing.assert_array_equal(x, y)


def random_graph(rng: np.random.Generator, n: int, m: int, directed_share: float, wmax: int):
    links = []
    for _ in range(m):
        u, v = (int(x) for x in rng.integers(0, n, 2))
        w1, w2 = (int(x) for x in rng.integers(0, wmax + 1, 2))
        if rng.random() < 0.7:
            w2 = w1
        links.append((u, v, w1, w2, bool(rng.random() >= directed_share)))
    indptr, head, weight, arc_link = build(n, links)
    arc_ok = rng.random(len(head)) > 0.05
    node_ok = rng.random(n) > 0.05
    return indptr, head, weight, arc_link, arc_ok, node_ok


@pytest.mark.parametrize("node_mode", [False, True])
def test_k_disjoint_random_dense(node_mode):
    """Denser seeded graphs (traps are common) against the networkx min-cost flow."""
    rng = np.random.default_rng(12345 + node_mode)
    for _ in range(300):
        n = int(rng.integers(4, 12))
        g = random_graph(rng, n, int(rng.integers(n, 3 * n)), 0.3, 9)
        s, t = (int(x) for x in rng.choice(n, 2, replace=False))
        k = int(rng.integers(2, 4))
        offsets, arcs, costs = k_disjoint(*g, s, t, k, node_mode)
        check_paths((*g, s, t), offsets, arcs, costs, node_mode)
        value, cost = disjoint_nx_optimum(*g, s, t, k, node_mode)
        assert len(costs) == value
        assert costs.sum() == pytest.approx(cost)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=graphs(), k=st.integers(1, 3), node_mode=st.booleans())
def test_int32_csr_gives_identical_results(g, k, node_mode):
    """scipy-style int32 ``indptr``/``head`` give exactly the int64 results (ties included)."""
    indptr, head, *rest = g
    g32 = (indptr.astype(np.int32), head.astype(np.int32), *rest)
    for x, y in zip(k_disjoint(*g32, k, node_mode), k_disjoint(*g, k, node_mode), strict=True):
        np.testing.assert_array_equal(x, y)
    for x, y in zip(min_shared_pair(*g32, node_mode), min_shared_pair(*g, node_mode), strict=True):
        np.testing.assert_array_equal(x, y)
