"""Every optimality and infeasibility claim of the placement solvers, against brute force.

Matrix level: p-median, p-center and maximal coverage on generated matrices, half of them near
ties (entries equal up to a few 1e-7 relative), 500 instances per objective in the default run.
Network level: :func:`corridor.placement.place` with and without dual homing (link and SRLG):
the dual-homing feasibility matrix against brute-force pairs of simple paths, and the placement
against brute force over the same matrices. ``slow`` runs more.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from naive import disjoint_shared, disjoint_simple_paths, srlg_path_risks

import corridor
from corridor.placement import place, placement_problem
from corridor.placement.solvers import (
    REL_TOL,
    InfeasiblePlacementError,
    evaluate,
    solve_brute,
    solve_milp,
)

FAST = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=5000)


def same_key(got: tuple[float, ...], want: tuple[float, ...], tol: float) -> bool:
    return all(
        abs(x - y) <= max(tol, REL_TOL) * max(1.0, abs(x), abs(y))
        for x, y in zip(got, want, strict=True)
    )


@st.composite
def matrices(draw):
    d = draw(st.integers(2, 8))
    c = draw(st.integers(1, 6))
    p = draw(st.integers(1, c))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    if draw(st.booleans()):  # near ties: a few coarse values, nudged by 1e-7 relative steps
        cost = rng.integers(1, 5, size=(d, c)).astype(float) * 10.0
        cost *= 1.0 + rng.integers(0, 3, size=(d, c)) * 1e-7
        weights = rng.integers(1, 4, size=d).astype(float)
    else:
        cost = rng.integers(1, 100, size=(d, c)).astype(float)
        weights = rng.uniform(0.5, 5.0, size=d)
    cost[rng.random((d, c)) < 0.15] = np.inf
    cover = rng.random((d, c)) < 0.4
    return cost, weights, p, cover


def check_matrix(case) -> None:
    cost, weights, p, cover = case
    for objective in ("median", "center", "coverage"):
        kw: dict = {"objective": objective}
        mat = cost
        if objective == "coverage":
            mat = np.where(np.isfinite(cost), cost, 1000.0)
            kw["cover"] = cover
        try:
            brute = solve_brute(mat, weights, p, **kw)
        except InfeasiblePlacementError:
            with pytest.raises(InfeasiblePlacementError):
                solve_milp(mat, weights, p, **kw)
            continue
        got = solve_milp(mat, weights, p, **kw)  # never infeasible when brute force finds a set
        assert got.optimal  # tiny instances never hit the time limit
        assert same_key(got.key, brute.key, got.tolerance), (objective, got, brute)
        assert got.key == evaluate(mat, weights, got.chosen, **kw)


@FAST
@given(case=matrices())
def test_milp_claims_equal_brute_force(case) -> None:
    check_matrix(case)


@pytest.mark.slow
@SLOW
@given(case=matrices())
def test_milp_claims_equal_brute_force_slow(case) -> None:
    check_matrix(case)


def test_coverage_tie_break_feasible_regression() -> None:
    """The issue's matrix: HiGHS presolve called the tie-breaking solve infeasible."""
    cost = np.array(
        [
            [60, 95, 54, 72],
            [78, 64, 36, 72],
            [64, 74, 87, 95],
            [21, 44, 82, 54],
            [70, 52, 12, 100],
            [32, 63, 37, 10],
            [28, 98, 53, 69],
        ],
        float,
    )
    w = np.array(
        [1.584018350537064, 4.393709867435181, 1, 1, 1.82516274200839, 1, 2.144432615862526]
    )
    cover = np.array(
        [
            [0, 0, 1, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 0],
            [1, 1, 0, 1],
            [0, 1, 1, 0],
            [1, 0, 1, 1],
            [1, 0, 1, 0],
        ],
        bool,
    )
    got = solve_milp(cost, w, 1, objective="coverage", cover=cover)
    assert got.chosen == (2,) and got.optimal
    assert -got.key[1] == pytest.approx(10.947, abs=1e-3)


def test_near_tie_center_and_median_regression() -> None:
    """Entries 1e-7 apart: the center 20.000002 (not 20.000004) and the cheaper median."""
    cost = np.array(
        [
            [20.000004, 40.000008, 20.0, 30.000006],
            [20.000004, 20.000002, 40.000008, 10.000002],
            [30.000006, 20.0, 30.0, 40.0],
            [20.0, 30.000003, 30.000006, 20.000004],
            [10.000001, 30.000003, 10.000001, 40.000008],
        ]
    )
    w = np.ones(5)
    for objective in ("center", "median"):
        got = solve_milp(cost, w, 3, objective=objective)
        assert got.key == pytest.approx(solve_brute(cost, w, 3, objective=objective).key, rel=1e-12)
    assert solve_milp(cost, w, 3, objective="center").key[1] == 20.000002


# -- network level: dual homing and place() ------------------------------------------------------
@st.composite
def networks(draw):
    n = draw(st.integers(3, 6))
    names = [f"n{i}" for i in range(n)]
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.integers(1, 9),
                st.lists(st.sampled_from(["R1", "R2"]), max_size=1),
            ),
            min_size=n - 1,
            max_size=9,
        )
    )
    graph = nx.MultiGraph()
    graph.add_nodes_from(names)
    for i in range(1, n):  # a spanning path keeps most instances feasible
        graph.add_edge(names[i - 1], names[i], latency_ms=float(draw(st.integers(1, 9))))
    for u, v, w, r in edges:
        if u != v:
            graph.add_edge(names[u], names[v], latency_ms=float(w), srlg=";".join(r))
    n_cand = draw(st.integers(1, n - 1))
    cands = names[:n_cand]
    demand = {x: float(draw(st.integers(1, 3))) for x in names[n_cand - 1 :]}
    objective = draw(st.sampled_from(["median", "center", "coverage"]))
    dual = draw(st.sampled_from([None, "link", "srlg"]))
    sla = float(draw(st.integers(2, 40)))
    p = draw(st.integers(1, n_cand))
    return graph, cands, demand, objective, dual, sla, p


def brute_dual(net, s: int, t: int, mode: str, cap: float) -> bool:
    """Two link- (or SRLG-) disjoint simple paths, both of cost ``<= cap``."""
    ok_a, ok_n = np.ones(len(net.head), bool), np.ones(net.n_sites, bool)
    paths = [
        p
        for p in disjoint_simple_paths(net.indptr, net.head, ok_a, ok_n, s, t)
        if sum(net.weight[a] for a in p) <= cap + 1e-9
    ]
    li, ids = net.link_srlg_indptr, net.link_srlg_ids
    for p, q in itertools.combinations(paths, 2):
        if mode == "link":
            if not disjoint_shared(p, q, net.indptr, net.head, net.arc_link, False)[0]:
                return True
        elif not srlg_path_risks(p, net.arc_link, li, ids) & srlg_path_risks(
            q, net.arc_link, li, ids
        ):
            return True
    return False


def check_place(case) -> None:
    graph, cands, demand, objective, dual, sla, p = case
    net = corridor.Network.from_networkx(graph)
    kw = {
        "candidates": cands,
        "country": None,
        "demand": demand,
        "objective": objective,
        "sla_rtt_ms": sla if (objective == "coverage" or dual) else None,
        "dual_homing": dual,
        "status": "all",
    }
    try:
        problem = placement_problem(net, drop_unserved=False, **kw)
    except corridor.NoRouteError:
        problem = None
    if problem is not None and dual is not None:
        for d, site in enumerate(problem.demand):
            for c, cand in enumerate(problem.candidates):
                s, t = net.site_index(site), net.site_index(cand)
                within = problem.rtt[d, c] <= sla + 1e-9
                want = within and (s == t or brute_dual(net, s, t, dual, sla / 2.0))
                assert bool(problem.covered[d, c]) == want, (site, cand)
    try:
        res = place(net, p=p, method="milp", **kw)
    except corridor.NoRouteError:
        if problem is None:
            return
        # place() raises only when p itself has no feasible set (smaller k are noted)
        cost, cover = _solver_matrices(problem, objective)
        with pytest.raises(InfeasiblePlacementError):
            solve_brute(cost, problem.weights, p, objective=objective, cover=cover)
        return
    assert problem is not None
    cost, cover = _solver_matrices(problem, objective)
    by_k = {pl.p: pl for pl in res.placements}
    assert max(by_k) == p
    for k in range(1, p + 1):
        try:
            brute = solve_brute(cost, problem.weights, k, objective=objective, cover=cover)
        except InfeasiblePlacementError:
            assert k not in by_k
            assert any(note.startswith(f"p = {k}: ") for note in res.notes)
            continue
        pl = by_k[k]
        cols = tuple(problem.candidates.index(x) for x in pl.nodes)
        got = evaluate(cost, problem.weights, cols, objective=objective, cover=cover)
        assert pl.optimal
        assert same_key(got, brute.key, REL_TOL)


def _solver_matrices(problem, objective: str):
    if objective != "coverage":
        return problem.cost, None
    finite = problem.rtt[np.isfinite(problem.rtt)]
    penalty = 10.0 * (float(finite.max()) if finite.size else 1.0) + 1.0
    return np.where(np.isfinite(problem.rtt), problem.rtt, penalty), problem.covered


@settings(FAST, max_examples=500)
@given(case=networks())
def test_place_with_and_without_dual_homing_equals_brute_force(case) -> None:
    check_place(case)


@pytest.mark.slow
@settings(SLOW, max_examples=3000)
@given(case=networks())
def test_place_with_and_without_dual_homing_equals_brute_force_slow(case) -> None:
    check_place(case)
