"""Exact traffic portfolios and Pareto fronts checked against enumeration of every subset.

The value of a set of candidate links is the real max-carried multi-commodity flow with those
links at their capacity and the other candidates at zero, minus the flow with none of them:
60 seeded random networks for the portfolio and the front, plus series links where greedy fails.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest

from corridor import Network
from corridor.capacity import ODMatrix, multicommodity_flow
from corridor.capacity.portfolio import CachedValue, best_portfolio, pareto_front

TOL = 1e-6


def _random_network(rnd: random.Random) -> tuple[Network, int, np.ndarray]:
    """A small multigraph of 4 to 7 sites with latencies and capacities: (network, sites,
    capacity of each link in link-index order)."""
    n = rnd.randint(4, 7)
    g = nx.MultiGraph()
    g.add_nodes_from(range(n))
    for j in range(rnd.randint(n, 2 * n)):
        u, v = (0, 1) if j == 0 else rnd.sample(range(n), 2)
        g.add_edge(u, v, latency_ms=float(rnd.randint(1, 20)), cap=rnd.choice([0.5, 1, 2, 3]))
    net = Network.from_networkx(g, weight="latency_ms")
    caps = {f"{u}|{v}|{k}": d["cap"] for u, v, k, d in g.edges(keys=True, data=True)}
    cap0 = np.array([caps[i] for i in net.lookup.link_id], dtype=float)
    return net, n, cap0


def _instance(seed: int) -> tuple[CachedValue, list[float], list[float], float]:
    rnd = random.Random(seed)
    net, n, cap0 = _random_network(rnd)
    k = rnd.randint(3, min(7, net.n_links))
    cand = rnd.sample(range(net.n_links), k)
    pairs = [tuple(rnd.sample(range(n), 2)) for _ in range(rnd.randint(1, 4))]
    od = ODMatrix(
        sources=tuple(str(s) for s, _ in pairs),
        targets=tuple(str(t) for _, t in pairs),
        tbps=np.array([float(rnd.randint(1, 5)) for _ in pairs]),
        description="generated",
    )

    def carried(built: frozenset[int]) -> float:
        cap = cap0.copy()
        for i, li in enumerate(cand):
            if i not in built:
                cap[li] = 0.0
        return multicommodity_flow(net, od, capacities=cap, prefer_short=False).carried_tbps

    base = carried(frozenset())
    capex = [float(rnd.randint(1, 6)) for _ in cand]
    npv = [c * rnd.choice([1.0, 1.3, 1.6]) for c in capex]
    budget = float(rnd.randint(2, int(sum(capex))))
    return CachedValue(lambda s: max(carried(s) - base, 0.0)), capex, npv, budget


def _subsets(n: int, capex: list[float], budget: float) -> list[frozenset[int]]:
    out = []
    for r in range(n + 1):
        for combo in itertools.combinations(range(n), r):
            if sum(capex[j] for j in combo) <= budget + 1e-9:
                out.append(frozenset(combo))
    return out


@pytest.mark.parametrize("seed", range(60))
def test_exact_portfolio_and_front_match_enumeration(seed: int) -> None:
    f, capex, npv, budget = _instance(seed)
    n = len(capex)
    feasible = _subsets(n, capex, budget)
    values = {s: f(s) for s in feasible}
    top = max(values.values())
    cheapest = min(sum(npv[j] for j in s) for s, v in values.items() if v >= top - TOL)
    # greedy-like incumbent: the best single
    single = max(range(n), key=lambda j: values.get(frozenset([j]), 0.0))
    inc = [single] if capex[single] <= budget else []
    got = best_portfolio(f, capex, npv, budget, order=list(range(n))[::-1], incumbent=inc)
    assert got.proven
    assert got.value == pytest.approx(top, abs=TOL)
    assert got.npv == pytest.approx(cheapest, abs=1e-9)
    assert got.capex <= budget + 1e-9
    assert got.bound == got.value

    points = {(round(sum(npv[j] for j in s), 9), round(v, 6)) for s, v in values.items() if v > TOL}
    front = {
        (c, v)
        for c, v in points
        if not any((c2 <= c and v2 >= v) and (c2, v2) != (c, v) for c2, v2 in points)
    }
    pf = pareto_front(f, capex, npv, budget, order=list(range(n)))
    assert pf.proven
    assert {(round(p.npv, 9), round(p.value, 6)) for p in pf.points} == front
    for p in pf.points:
        assert f(p.items) == pytest.approx(p.value)
        assert p.capex <= budget + 1e-9


def _series() -> tuple[CachedValue, list[float], list[float]]:
    """A - B - C - D: the existing path carries 1; the two halves of a 10 Tbps bypass A - X - D
    keep nothing alone; a parallel 2 Tbps link A - D keeps 2 alone."""
    g = nx.MultiGraph()
    g.add_edge("A", "D", latency_ms=30.0, cap=1.0, cand=-1)
    g.add_edge("A", "X", latency_ms=10.0, cap=10.0, cand=0)
    g.add_edge("X", "D", latency_ms=10.0, cap=10.0, cand=1)
    g.add_edge("A", "D", latency_ms=25.0, cap=2.0, cand=2)
    net = Network.from_networkx(g, weight="latency_ms")
    data = {f"{u}|{v}|{k}": d for u, v, k, d in g.edges(keys=True, data=True)}
    cap0 = np.array([data[i]["cap"] for i in net.lookup.link_id])
    where = {data[i]["cand"]: li for li, i in enumerate(net.lookup.link_id)}
    cand = [where[0], where[1], where[2]]
    od = ODMatrix(sources=("A",), targets=("D",), tbps=np.array([12.0]), description="t")

    def value(built: frozenset[int]) -> float:
        cap = cap0.copy()
        for i, li in enumerate(cand):
            if i not in built:
                cap[li] = 0.0
        return multicommodity_flow(net, od, capacities=cap, prefer_short=False).carried_tbps - 1.0

    return CachedValue(value), [3.0, 3.0, 3.0], [3.0, 3.0, 3.0]


def test_series_links_where_greedy_fails() -> None:
    f, capex, npv = _series()
    assert f({0}) == pytest.approx(0.0, abs=1e-9)
    assert f({1}) == pytest.approx(0.0, abs=1e-9)
    assert f({2}) == pytest.approx(2.0)
    # greedy by marginal value takes the parallel link first, then nothing else fits
    got = best_portfolio(f, capex, npv, 6.0, order=[2, 0, 1], incumbent=[2])
    assert got.proven
    assert got.items == frozenset({0, 1})
    assert got.value == pytest.approx(10.0)
    f2, capex, npv = _series()
    f2.allow(1)  # a search stopped by its limit says so and keeps an upper bound
    stopped = best_portfolio(f2, capex, npv, 6.0, order=[2, 0, 1], incumbent=[])
    assert not stopped.proven
    assert stopped.bound >= 10.0 - 1e-9


@pytest.mark.parametrize("seed", range(200))
def test_network_design_program_matches_enumeration(seed: int) -> None:
    """The network-design integer program (corridor.capacity.design) against every portfolio
    within the budget, each evaluated by the flow LP, over two weighted failure scenarios."""
    from corridor.capacity.design import design_portfolio
    from corridor.capacity.scenarios import ResolvedScenario, StressScenario

    rnd = random.Random(1000 + seed)
    net, n, cap0 = _random_network(rnd)
    k = rnd.randint(2, min(6, net.n_links - 1))
    cand = rnd.sample(range(net.n_links), k)
    others = [li for li in range(net.n_links) if li not in cand]
    scenarios = [
        ResolvedScenario(
            StressScenario(name=f"s{i}"), tuple(rnd.sample(others, rnd.randint(0, 1))), ()
        )
        for i in range(2)
    ]
    weights = [rnd.choice([1.0, 2.0, 3.0]) for _ in scenarios]
    pairs = [tuple(rnd.sample(range(n), 2)) for _ in range(rnd.randint(1, 4))]
    tbps = np.array([float(rnd.randint(1, 5)) for _ in pairs])
    od = ODMatrix(
        sources=tuple(str(s) for s, _ in pairs),
        targets=tuple(str(t) for _, t in pairs),
        tbps=tbps,
        description="generated",
    )
    capex = [float(rnd.randint(1, 6)) for _ in cand]
    npv = [c * 1.3 for c in capex]
    budget = float(rnd.randint(1, int(sum(capex))))

    def value(built: frozenset[int]) -> float:
        cap = cap0.copy()
        for i, li in enumerate(cand):
            if i not in built:
                cap[li] = 0.0
        got = [
            multicommodity_flow(
                net, od, capacities=cap, prefer_short=False, failed_links=s.links
            ).carried_tbps
            for s in scenarios
        ]
        return sum(w * c for w, c in zip(weights, got, strict=True)) / sum(weights)

    best = max(value(s) for s in _subsets(k, capex, budget))
    site = {str(v): i for i, v in enumerate(net.lookup.site_id)}
    res = design_portfolio(
        net,
        [site[s] for s in od.sources],
        [site[t] for t in od.targets],
        tbps,
        cap0,
        scenarios,
        weights,
        [[li] for li in cand],
        capex,
        npv,
        budget,
    )
    assert res is not None and res.proven
    assert sum(capex[j] for j in res.items) <= budget + 1e-9
    assert res.value == pytest.approx(best, abs=1e-6)
    assert value(res.items) == pytest.approx(best, abs=1e-6)
    assert res.bound >= best - 1e-6
