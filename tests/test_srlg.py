"""Tests of SRLG-disjoint pairs: MILP and heuristic against brute force on tiny graphs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naive import disjoint_path_nodes, srlg_brute_pair, srlg_path_risks
from test_kernels_disjoint import build, graphs

from corridor.routing.srlg import SrlgPair, srlg_disjoint_pair


@st.composite
def srlg_cases(draw):
    g = draw(graphs(max_nodes=7, max_links=10, max_weight=5))
    nl = int(g[3].max()) + 1 if len(g[3]) else 0
    n_groups = draw(st.integers(0, 4))
    members = [
        sorted(set(draw(st.lists(st.integers(0, max(n_groups - 1, 0)), max_size=2))))
        if n_groups
        else []
        for _ in range(nl)
    ]
    # arbitrary (sparse, non-contiguous) SRLG ids
    ids = [[10 * gid + 7 for gid in mem] for mem in members]
    li = np.zeros(nl + 1, dtype=np.int64)
    li[1:] = np.cumsum([len(x) for x in ids])
    flat = np.array([x for row in ids for x in row], dtype=np.int64)
    return g, li, flat


def check_result(res: SrlgPair, g, li, ids, best):
    indptr, head, weight, arc_link, arc_ok, node_ok, s, t = g
    if best is None:
        assert res.status == "none" and res.paths == ()
        return
    assert len(res.paths) == 2
    for path, c in zip(res.paths, res.costs, strict=True):
        nodes = disjoint_path_nodes(path, indptr, head)
        assert nodes[0] == s and nodes[-1] == t and len(set(nodes)) == len(nodes)
        assert all(arc_ok[a] for a in path) and all(node_ok[v] for v in nodes)
        assert c == pytest.approx(weight[path].sum())
    shared = srlg_path_risks(res.paths[0], arc_link, li, ids) & srlg_path_risks(
        res.paths[1], arc_link, li, ids
    )
    assert sorted(r[1] for r in shared if r[0] == "G") == res.shared_srlgs.tolist()
    assert sorted(r[1] for r in shared if r[0] == "L") == res.shared_links.tolist()
    return shared


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case=srlg_cases())
def test_exact_matches_brute_force(case):
    g, li, ids = case
    best = srlg_brute_pair(*g, li, ids)
    if g[6] == g[7]:
        best = None
    res = srlg_disjoint_pair(*g, li, ids, exact=True)
    shared = check_result(res, g, li, ids, best)
    if best is None:
        return
    assert res.proven
    assert len(shared) == best[0]
    assert res.total_cost == pytest.approx(best[1])
    if best[0] == 0:
        assert res.status == "optimal"
        assert res.lower_bound <= res.total_cost + 1e-9
    else:
        assert res.status == "partial-shared"


@SETTINGS
@given(case=srlg_cases())
def test_heuristic_feasible_and_not_better(case):
    g, li, ids = case
    best = srlg_brute_pair(*g, li, ids)
    if g[6] == g[7]:
        best = None
    res = srlg_disjoint_pair(*g, li, ids, exact=False)
    shared = check_result(res, g, li, ids, best)
    if best is None:
        return
    if res.status in ("optimal", "heuristic"):
        assert not shared
        assert best[0] == 0
        assert res.total_cost >= best[1] - 1e-9
        assert res.lower_bound <= best[1] + 1e-9
        if res.status == "optimal":
            assert res.total_cost == pytest.approx(best[1])
    else:
        assert res.status == "partial-shared"
        assert len(shared) >= best[0]


def trap_graph():
    """Link-disjoint optimum shares SRLG 5; the SRLG-disjoint pair is costlier."""
    links = [
        (0, 1, 1, 1, True),  # 0: s-a
        (1, 3, 1, 1, True),  # 1: a-t
        (0, 2, 1, 1, True),  # 2: s-b
        (2, 3, 1, 1, True),  # 3: b-t
        (0, 4, 3, 3, True),  # 4: s-c
        (4, 3, 3, 3, True),  # 5: c-t
    ]
    indptr, head, weight, arc_link = build(5, links)
    g = (indptr, head, weight, arc_link, np.ones(len(head), bool), np.ones(5, bool), 0, 3)
    # links 1 and 3 share a duct
    li = np.array([0, 0, 1, 1, 2, 2, 2], dtype=np.int64)
    ids = np.array([5, 5], dtype=np.int64)
    return g, li, ids


def test_trap_exact_and_heuristic():
    g, li, ids = trap_graph()
    res = srlg_disjoint_pair(*g, li, ids)
    assert res.status == "optimal" and res.total_cost == pytest.approx(8.0)
    assert res.lower_bound == pytest.approx(8.0)  # proven by the MILP
    heur = srlg_disjoint_pair(*g, li, ids, exact=False)
    assert heur.status == "heuristic" and heur.total_cost == pytest.approx(8.0)
    assert heur.lower_bound == pytest.approx(4.0)  # the link-disjoint optimum


def test_partial_shared_reports_srlgs():
    g, li, ids = trap_graph()
    arc_ok = g[4].copy()
    arc_ok[g[3] == 4] = False  # drop the escape route s-c
    g = (*g[:4], arc_ok, *g[5:])
    for exact in (True, False):
        res = srlg_disjoint_pair(*g, li, ids, exact=exact)
        assert res.status == "partial-shared"
        assert res.shared_srlgs.tolist() == [5]
        assert res.shared_links.tolist() == []
        assert res.total_cost == pytest.approx(4.0)


def test_unreachable_and_degenerate():
    g, li, ids = trap_graph()
    node_ok = g[5].copy()
    node_ok[3] = False
    res = srlg_disjoint_pair(*g[:5], node_ok, 0, 3, li, ids)
    assert res.status == "none" and res.total_cost == np.inf
    res = srlg_disjoint_pair(*g[:6], 0, 0, li, ids)
    assert res.status == "none"
    # no SRLG data at all: reduces to the link-disjoint pair
    res = srlg_disjoint_pair(*g, np.zeros(1, np.int64), np.zeros(0, np.int64))
    assert res.status == "optimal" and res.total_cost == pytest.approx(4.0)


def test_no_warnings_from_milp():
    g, li, ids = trap_graph()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        srlg_disjoint_pair(*g, li, ids, exact=True, time_limit=5.0)


def test_dense_seeded_against_brute_force():
    """Denser seeded graphs where the link-disjoint optimum often shares SRLGs (MILP path)."""
    from test_kernels_disjoint import random_graph

    rng = np.random.default_rng(2024)
    statuses = {"optimal": 0, "heuristic": 0, "partial-shared": 0, "none": 0}
    for _ in range(200):
        n = int(rng.integers(5, 8))
        g = random_graph(rng, n, int(rng.integers(2 * n, 3 * n)), 0.1, 6)
        nl = int(g[3].max()) + 1
        n_groups = int(rng.integers(3, 8))
        mem = [
            sorted(set(rng.integers(0, n_groups, int(rng.integers(0, 3))).tolist()))
            for _ in range(nl)
        ]
        li = np.zeros(nl + 1, np.int64)
        li[1:] = np.cumsum([len(x) for x in mem])
        ids = np.array([x for row in mem for x in row], np.int64)
        s, t = (int(x) for x in rng.choice(n, 2, replace=False))
        case = (*g, s, t)
        best = srlg_brute_pair(*case, li, ids)
        exact = srlg_disjoint_pair(*case, li, ids)
        shared = check_result(exact, case, li, ids, best)
        heur = srlg_disjoint_pair(*case, li, ids, exact=False)
        hshared = check_result(heur, case, li, ids, best)
        statuses[heur.status] += 1
        if best is None:
            continue
        assert len(shared) == best[0] and exact.total_cost == pytest.approx(best[1])
        if heur.status in ("optimal", "heuristic"):
            assert not hshared and heur.total_cost >= best[1] - 1e-9
    assert statuses["heuristic"] > 10 and statuses["partial-shared"] > 10


# -- dual homing: two disjoint paths both within a latency cap ---------------------------------
def _as_network(g, li, ids):
    """The few network attributes :func:`disjoint_within` reads, around a generated graph."""
    from types import SimpleNamespace

    indptr, head, weight, arc_link = g[:4]
    n = len(indptr) - 1
    return SimpleNamespace(
        indptr=indptr,
        head=head,
        weight=weight,
        arc_link=arc_link,
        tail=np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr)),
        n_sites=n,
        n_links=len(li) - 1,
        link_srlg_indptr=li,
        link_srlg_ids=ids,
    )


@SETTINGS
@given(case=srlg_cases(), mode=st.sampled_from(["link", "srlg"]), cap_pick=st.integers(0, 20))
def test_disjoint_within_cap_matches_brute_force(case, mode, cap_pick):
    from naive import disjoint_simple_paths

    from corridor.placement import dual

    g, li, ids = case
    indptr, head, weight, arc_link, arc_ok, node_ok, s, t = g
    if s == t or len(li) < 2:
        return
    paths = disjoint_simple_paths(indptr, head, arc_ok, node_ok, s, t)
    costs = [float(weight[list(p)].sum()) for p in paths]
    # caps at, between and beyond the path costs, and no cap at all
    levels = sorted({*costs, *(c + 0.5 for c in costs)}) or [1.0]
    cap = float("inf") if cap_pick >= len(levels) else levels[cap_pick]

    def risks(p):
        r = srlg_path_risks(p, arc_link, li, ids)
        return r if mode == "srlg" else {x for x in r if x[0] == "L"}

    feasible = any(
        costs[i] <= cap and costs[j] <= cap and not (risks(paths[i]) & risks(paths[j]))
        for i in range(len(paths))
        for j in range(i + 1, len(paths))
    )
    net = _as_network(g, li, ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = dual.disjoint_within(net, arc_ok, node_ok, s, t, mode=mode, cap=cap)
        # the MILP alone, on the arcs pruned to walks within the cap, decides the same
        pruned = arc_ok & dual._within_cap(net, arc_ok, node_ok, s, t, cap) if cap < 1e9 else arc_ok
        milp = dual._milp_pair(net, pruned, node_ok, s, t, mode=mode, cap=cap, time_limit=10.0)
    assert res.feasible == feasible, res.how
    assert milp.feasible == feasible, milp.how
    if feasible:
        assert max(milp.costs) <= max(res.costs) + 1e-9  # the MILP minimises the slower path
        assert len(res.paths) == 2
        for path, c in zip(res.paths, res.costs, strict=True):
            nodes = disjoint_path_nodes(path, indptr, head)
            assert nodes[0] == s and nodes[-1] == t and len(set(nodes)) == len(nodes)
            assert c == pytest.approx(weight[path].sum()) and c <= cap + 1e-9
        assert not risks(list(res.paths[0])) & risks(list(res.paths[1]))
