"""Every optimality and non-existence claim of the disjoint-route solvers, against brute force.

Claims held here (each on at least 500 generated instances in the default run; ``slow`` runs
more): disjoint pairs and k disjoint paths under a latency cap on every path (kernel and public
API, link and node modes), bounded backups under a common cap, exact SRLG pairs with and without
a cap, and the SRLG heuristic (it may be suboptimal but must say so, and never states that no
SRLG-disjoint pair exists unless none does).
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from naive import disjoint_shared, disjoint_simple_paths, srlg_brute_pair, srlg_path_risks
from test_kernels_disjoint import build, graphs
from test_srlg import srlg_cases

import corridor
from corridor._errors import NoRouteError
from corridor.routing import disjoint_pair, k_disjoint_paths
from corridor.routing._capped import capped_disjoint
from corridor.routing.srlg import srlg_disjoint_pair

FAST = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SLOW = settings(FAST, max_examples=5000)


def brute_capped(g, k: int, node_mode: bool, cap: float) -> float | None:
    """Minimum total of ``k`` pairwise disjoint simple paths all of cost ``<= cap``."""
    indptr, head, weight, arc_link, arc_ok, node_ok, s, t = g
    paths = [
        p
        for p in disjoint_simple_paths(indptr, head, arc_ok, node_ok, s, t)
        if sum(weight[a] for a in p) <= cap + 1e-9
    ]
    best = None
    for combo in itertools.combinations(paths, k):
        if any(
            any(disjoint_shared(p, q, indptr, head, arc_link, node_mode))
            for p, q in itertools.combinations(combo, 2)
        ):
            continue
        total = sum(weight[a] for p in combo for a in p)
        if best is None or total < best:
            best = total
    return best


def check_capped(g, k: int, node_mode: bool, cap: float) -> None:
    indptr, head, weight, arc_link, _, _, s, t = g
    res = capped_disjoint(*g, k, node_mode, float(cap), time_limit=30.0)
    best = brute_capped(g, k, node_mode, cap) if s != t else None
    assert res.status in ("optimal", "infeasible")  # tiny instances never hit the time limit
    if res.status == "infeasible":
        assert best is None
        return
    assert best is not None
    assert sum(res.costs) == pytest.approx(best, abs=1e-6)
    for p in res.paths:
        assert sum(weight[a] for a in p) <= cap + 1e-9
    for p, q in itertools.combinations(res.paths, 2):
        assert not any(disjoint_shared(p, q, indptr, head, arc_link, node_mode))


def _capped_case(draw):
    g = draw(graphs(max_nodes=6, max_links=9, max_weight=5))
    n = len(g[0]) - 1
    assume(n >= 2)
    node_ok = g[5].copy()
    node_ok[[0, n - 1]] = True  # distinct usable ends: every drawn instance counts
    g = (*g[:5], node_ok, 0, n - 1)
    return g, draw(st.integers(0, 12)), draw(st.booleans()), draw(st.sampled_from([2, 2, 3]))


capped_cases = st.composite(_capped_case)


@FAST
@given(case=capped_cases())
def test_capped_disjoint_equals_brute_force(case) -> None:
    g, cap, node_mode, k = case
    check_capped(g, k, node_mode, cap)


@pytest.mark.slow
@SLOW
@given(case=capped_cases())
def test_capped_disjoint_equals_brute_force_slow(case) -> None:
    g, cap, node_mode, k = case
    check_capped(g, k, node_mode, cap)


# -- public API on networks -------------------------------------------------------------------
def _net_case(draw):
    n = draw(st.integers(3, 6))
    names = [chr(ord("a") + i) for i in range(n)]
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.integers(1, 9),
                st.lists(st.sampled_from(["R1", "R2", "R3"]), max_size=2),
            ),
            min_size=2,
            max_size=9,
        )
    )
    edges = [(u, v, w, r) for u, v, w, r in edges if u != v]
    assume(edges)
    graph = nx.MultiGraph()
    graph.add_nodes_from(names)
    for u, v, w, r in edges:
        graph.add_edge(names[u], names[v], latency_ms=float(w), srlg=";".join(r))
    cap = draw(st.integers(1, 20))
    return graph, names[0], names[-1], float(cap)


net_cases = st.composite(_net_case)


def _arrays(net, s: str, t: str):
    return (
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        np.ones(len(net.head), bool),
        np.ones(net.n_sites, bool),
        net.site_index(s),
        net.site_index(t),
    )


def check_public(case) -> None:
    graph, s, t, cap = case
    net = corridor.Network.from_networkx(graph)
    g = _arrays(net, s, t)
    for mode in ("link", "node"):
        node_mode = mode == "node"
        best = brute_capped(g, 2, node_mode, cap)
        try:
            res = disjoint_pair(net, s, t, mode=mode, max_latency_ms=cap)
        except NoRouteError:
            assert best is None
        else:
            assert all(p.one_way_ms <= cap + 1e-9 for p in res.paths)
            if not res.notes:  # a fully disjoint pair: the capped optimum
                assert best is not None
                assert sum(p.one_way_ms for p in res.paths) == pytest.approx(best)
            else:  # least-shared (no disjoint pair exists at all)
                assert "no fully" in res.notes[0]
                assert brute_capped(g, 2, node_mode, math.inf) is None
        for k in (2, 3):
            try:
                res = k_disjoint_paths(net, s, t, k, mode=mode, max_latency_ms=cap)
            except NoRouteError:
                assert brute_capped(g, 1, node_mode, cap) is None
                continue
            j = len(res.paths)
            assert all(p.one_way_ms <= cap + 1e-9 for p in res.paths)
            assert sum(p.one_way_ms for p in res.paths) == pytest.approx(
                brute_capped(g, j, node_mode, cap)
            )
            if j < k:
                assert brute_capped(g, j + 1, node_mode, cap) is None
        # bounded backup under the common cap: fastest primary whose backup fits both caps
        backup_cap = cap * 0.8
        paths = disjoint_simple_paths(*g[:2], g[4], g[5], g[6], g[7])
        cost = {p: sum(g[2][a] for a in p) for p in paths}
        want = min(
            (
                cost[p]
                for p in paths
                for q in paths
                if cost[p] <= cap
                and cost[q] <= min(cap, backup_cap)
                and not any(disjoint_shared(p, q, g[0], g[1], g[3], node_mode))
            ),
            default=None,
        )
        try:
            res = disjoint_pair(
                net, s, t, mode=mode, max_latency_ms=cap, backup_max_latency_ms=backup_cap
            )
        except NoRouteError as exc:
            assert want is None or "not proven" in str(exc)
        else:
            assert want is not None and res.paths[0].one_way_ms == pytest.approx(want)
            assert res.paths[1].one_way_ms <= min(cap, backup_cap) + 1e-9


@settings(FAST, max_examples=500)
@given(case=net_cases())
def test_public_capped_routes_equal_brute_force(case) -> None:
    check_public(case)


@pytest.mark.slow
@settings(SLOW, max_examples=1500)
@given(case=net_cases())
def test_public_capped_routes_equal_brute_force_slow(case) -> None:
    check_public(case)


def check_public_srlg(case) -> None:
    graph, s, t, cap = case
    net = corridor.Network.from_networkx(graph)
    g = _arrays(net, s, t)
    li, ids = net.link_srlg_indptr, net.link_srlg_ids
    for use_cap in (None, cap):
        best = _srlg_brute_capped(g, li, ids, math.inf if use_cap is None else use_cap)
        for exact in (True, False):
            try:
                res = disjoint_pair(net, s, t, mode="srlg", max_latency_ms=use_cap, exact=exact)
            except NoRouteError as exc:
                assert best is None or best[0] > 0 or "not proven" in str(exc)
                continue
            assert best is not None
            total = sum(p.one_way_ms for p in res.paths)
            text = " ".join(res.notes)
            if "no fully srlg-disjoint pair exists" in text:
                assert best[0] > 0  # a stated non-existence is true
            if not res.notes:  # stated optimal
                assert best[0] == 0 and total == pytest.approx(best[1])
            if exact and "not proven" not in text:
                shared = len(
                    srlg_path_risks(_arcs(net, res.paths[0]), g[3], li, ids)
                    & srlg_path_risks(_arcs(net, res.paths[1]), g[3], li, ids)
                )
                assert (shared, total) == (best[0], pytest.approx(best[1]))


def _arcs(net, path) -> tuple[int, ...]:
    link_index = {lid: i for i, lid in enumerate(net.lookup.link_id)}
    out = []
    v = net.site_index(path.nodes[0])
    for lid, nxt in zip(path.links, path.nodes[1:], strict=True):
        li, w = link_index[lid], net.site_index(nxt)
        arcs = [
            a
            for a in range(net.indptr[v], net.indptr[v + 1])
            if net.arc_link[a] == li and net.head[a] == w
        ]
        out.append(arcs[0])
        v = w
    return tuple(out)


def _srlg_brute_capped(g, li, ids, cap: float):
    """``(shared risks, total)`` minimum over pairs of simple paths both within ``cap``."""
    return srlg_brute_pair(*g, li, ids, cap)


@settings(FAST, max_examples=200)
@given(case=net_cases())
def test_public_srlg_claims_true(case) -> None:
    check_public_srlg(case)


# -- SRLG kernels: exact (with and without a cap) and heuristic claims --------------------------
def check_srlg(case, cap: float) -> None:
    g, li, ids = case
    s, t = g[6], g[7]
    best = _srlg_brute_capped(g, li, ids, cap) if s != t else None
    if s == t or not (g[5][s] and g[5][t]):
        best = None
    res = srlg_disjoint_pair(*g, li, ids, exact=True, cap=cap)
    if best is None:
        assert res.status == "none"
    else:
        assert res.proven
        shared = srlg_path_risks(res.paths[0], g[3], li, ids) & srlg_path_risks(
            res.paths[1], g[3], li, ids
        )
        assert (len(shared), res.total_cost) == (best[0], pytest.approx(best[1]))
        assert all(c <= cap + 1e-9 for c in res.costs)
        assert res.status == ("optimal" if best[0] == 0 else "partial-shared")
    heur = srlg_disjoint_pair(*g, li, ids, exact=False, cap=cap)
    if heur.status == "none":
        assert best is None
        return
    assert best is not None or math.isfinite(cap)
    if heur.status in ("optimal", "heuristic"):
        assert best is not None and best[0] == 0
        assert all(c <= cap + 1e-9 for c in heur.costs)
        assert heur.total_cost >= best[1] - 1e-9
        assert heur.lower_bound <= best[1] + 1e-9
        if heur.status == "optimal":
            assert heur.total_cost == pytest.approx(best[1])
    elif math.isinf(heur.lower_bound):  # stated: no SRLG-disjoint pair exists at all
        unconstrained = srlg_brute_pair(*g, li, ids)
        assert unconstrained is None or unconstrained[0] > 0


@FAST
@given(case=srlg_cases(), cap=st.sampled_from([math.inf, 3.0, 5.0, 8.0]))
def test_srlg_exact_and_heuristic_claims(case, cap) -> None:
    check_srlg(case, cap)


@pytest.mark.slow
@SLOW
@given(case=srlg_cases(), cap=st.sampled_from([math.inf, 3.0, 5.0, 8.0]))
def test_srlg_exact_and_heuristic_claims_slow(case, cap) -> None:
    check_srlg(case, cap)


# -- the reproducers of the defects -------------------------------------------------------------
def issue_net() -> corridor.Network:
    graph = nx.Graph()
    for a, b, w in [
        ("s", "u", 0.5),
        ("u", "t", 0.5),
        ("s", "a", 4.5),
        ("a", "t", 4.5),
        ("u", "w", 2.5),
        ("w", "t", 2.5),
        ("s", "z", 2.5),
        ("z", "u", 2.5),
    ]:
        graph.add_edge(a, b, latency_ms=w)
    return corridor.Network.from_networkx(graph)


def test_capped_pair_found_when_min_total_pair_breaks_cap() -> None:
    net = issue_net()
    res = disjoint_pair(net, "s", "t", mode="link", max_latency_ms=6.0)
    assert [p.one_way_ms for p in res.paths] == pytest.approx([5.5, 5.5])
    assert {p.nodes for p in res.paths} == {("s", "u", "w", "t"), ("s", "z", "u", "t")}
    assert not res.notes
    res = k_disjoint_paths(net, "s", "t", 2, mode="link", max_latency_ms=6.0)
    assert [p.one_way_ms for p in res.paths] == pytest.approx([5.5, 5.5])
    res = k_disjoint_paths(net, "s", "t", 3, mode="link", max_latency_ms=6.0)
    assert len(res.paths) == 2 and "within 6 ms" in res.notes[-1]
    with pytest.raises(NoRouteError, match="proven"):
        disjoint_pair(net, "s", "t", mode="link", max_latency_ms=5.0)
    # node mode: both capped pairs go through u, so none exists
    with pytest.raises(NoRouteError):
        disjoint_pair(net, "s", "t", mode="node", max_latency_ms=6.0)


def test_srlg_least_shared_pair_is_cheapest_despite_large_penalty() -> None:
    """No SRLG-disjoint pair; the penalty M is huge (a heavy spare link), and two least-sharing
    pairs differ by 0.07 ms: a relative MIP gap of 1e-4 could return the dearer one."""
    links = [
        (0, 1, 20.0, 20.0, True),  # s-a, SRLG 1
        (1, 3, 20.1, 20.1, True),  # a-t, SRLG 1  -> path 40.10
        (0, 2, 20.0, 20.0, True),  # s-b, SRLG 1
        (2, 3, 20.17, 20.17, True),  # b-t, SRLG 1 -> path 40.17
        (0, 5, 20.0, 20.0, True),  # s-c, SRLG 1
        (5, 3, 20.24, 20.24, True),  # c-t, SRLG 1 -> path 40.24
        (3, 4, 1e5, 1e5, True),  # heavy spare link
    ]
    indptr, head, weight, arc_link = build(6, links)
    g = (indptr, head, weight, arc_link, np.ones(len(head), bool), np.ones(6, bool), 0, 3)
    li = np.array([0, 1, 2, 3, 4, 5, 6, 6], dtype=np.int64)
    ids = np.ones(6, dtype=np.int64)
    res = srlg_disjoint_pair(*g, li, ids, exact=True)
    assert res.status == "partial-shared" and res.proven
    assert res.total_cost == pytest.approx(40.10 + 40.17)
    assert math.isinf(res.lower_bound)
