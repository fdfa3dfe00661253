"""Multi-commodity flow checked against independent formulations on generated networks.

The library answers (source-aggregated arc LP, and path-based column generation with exact
constrained pricing) are compared with LPs built here from scratch: a per-commodity arc
formulation, an LP over every simple path within the SLA (networkx enumeration), and networkx
maximum flow for one commodity. 120 + 80 + 60 = 260 generated networks.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from corridor import Network
from corridor.capacity import ODMatrix, multicommodity_flow
from corridor.capacity.flow import classify_corridor

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@st.composite
def networks(draw: st.DrawFn, max_nodes: int = 7) -> tuple[nx.MultiGraph, list, np.ndarray]:
    n = draw(st.integers(3, max_nodes))
    g = nx.MultiGraph()
    g.add_nodes_from(range(n))
    m = draw(st.integers(n - 1, 2 * n))
    for j in range(m):
        u = draw(st.integers(0, n - 1)) if j else 0
        v = draw(st.integers(0, n - 1)) if j else 1
        if u == v:
            continue
        g.add_edge(
            u,
            v,
            latency_ms=float(draw(st.integers(0, 20))),  # zero latencies and ties included
            cap=float(draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0]))),
        )
    k = draw(st.integers(1, 4))
    pairs = []
    for _ in range(k):
        s = draw(st.integers(0, n - 1))
        t = draw(st.integers(0, n - 1))
        if s != t:
            pairs.append((s, t))
    demand = np.array([float(draw(st.integers(1, 6))) for _ in pairs])
    return g, pairs, demand


def _setup(
    g: nx.MultiGraph, pairs: list, demand: np.ndarray
) -> tuple[Network, ODMatrix, np.ndarray]:
    net = Network.from_networkx(g, weight="latency_ms")
    caps = {f"{u}|{v}|{k}": d["cap"] for u, v, k, d in g.edges(keys=True, data=True)}
    cap = np.array([caps[i] for i in net.lookup.link_id])
    od = ODMatrix(
        sources=tuple(str(s) for s, _ in pairs),
        targets=tuple(str(t) for _, t in pairs),
        tbps=demand,
        description="generated",
    )
    return net, od, cap


def _usable_graph(g: nx.MultiGraph) -> nx.MultiGraph:
    h = nx.MultiGraph()
    h.add_nodes_from(g)
    h.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if d["cap"] > 0)
    return h


def _naive_arc_lp(
    g: nx.MultiGraph, pairs: list, demand: np.ndarray, objective: str
) -> float | None:
    """Per-commodity arc formulation built from scratch (both directions of every edge)."""
    h = _usable_graph(g)
    live = [i for i, (s, t) in enumerate(pairs) if nx.has_path(h, s, t)]
    if not live:
        return None
    edges = list(h.edges(keys=True, data=True))
    nodes = list(h.nodes)
    ne, nk = len(edges), len(live)
    # variables: x[k, e, dir] then per-commodity t_k (or a single lambda / U)
    nx_ = nk * ne * 2

    def xv(k: int, e: int, d: int) -> int:
        return (k * ne + e) * 2 + d

    extra = nk if objective == "max-carried" else 1
    nv = nx_ + extra
    rows, cols, vals, b_eq = [], [], [], []
    r = 0
    for ki, i in enumerate(live):
        s, t = pairs[i]
        for v in nodes:
            for e, (a, b, _, _) in enumerate(edges):
                for d, (tail, head) in enumerate(((a, b), (b, a))):
                    if tail == v:
                        rows.append(r), cols.append(xv(ki, e, d)), vals.append(1.0)
                    if head == v:
                        rows.append(r), cols.append(xv(ki, e, d)), vals.append(-1.0)
            coef = (1.0 if v == s else 0.0) - (1.0 if v == t else 0.0)
            if objective == "max-carried":
                if coef:
                    rows.append(r), cols.append(nx_ + ki), vals.append(-coef)
                b_eq.append(0.0)
            elif objective == "max-concurrent":
                if coef:
                    rows.append(r), cols.append(nx_), vals.append(-coef * demand[i])
                b_eq.append(0.0)
            else:
                b_eq.append(coef * demand[i])
            r += 1
    a_eq = sp.csr_matrix((vals, (rows, cols)), shape=(r, nv))
    rows, cols, vals = [], [], []
    for e in range(ne):
        for ki in range(nk):
            for d in (0, 1):
                rows.append(e), cols.append(xv(ki, e, d)), vals.append(1.0)
        if objective == "min-max-utilisation":
            rows.append(e), cols.append(nx_), vals.append(-edges[e][3]["cap"])
    a_ub = sp.csr_matrix((vals, (rows, cols)), shape=(ne, nv))
    b_ub = (
        np.zeros(ne)
        if objective == "min-max-utilisation"
        else np.array([d["cap"] for *_, d in edges])
    )
    c = np.zeros(nv)
    bounds = [(0, None)] * nx_
    if objective == "max-carried":
        c[nx_:] = -1.0
        bounds += [(0, demand[i]) for i in live]
    elif objective == "max-concurrent":
        c[nx_] = -1.0
        bounds += [(0, None)]
    else:
        c[nx_] = 1.0
        bounds += [(0, None)]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert res.status == 0, res.message
    return -res.fun if objective != "min-max-utilisation" else res.fun


def _value(result, objective: str) -> float:
    if objective == "max-carried":
        return result.carried_tbps
    if objective == "max-concurrent":
        return result.share
    return result.max_utilisation


@seed(15)
@settings(max_examples=120, **SETTINGS)
@given(
    data=networks(),
    objective=st.sampled_from(["max-carried", "max-concurrent", "min-max-utilisation"]),
)
def test_flow_matches_per_commodity_arc_lp(data, objective: str) -> None:
    g, pairs, demand = data
    if not pairs:
        return
    net, od, cap = _setup(g, pairs, demand)
    expected = _naive_arc_lp(g, pairs, demand, objective)
    for method in ("arc", "path"):
        got = multicommodity_flow(net, od, objective=objective, capacities=cap, method=method)
        assert got.converged
        if expected is None:
            assert got.carried_tbps == pytest.approx(0.0, abs=1e-9)
            continue
        value = _value(got, objective)
        assert value == pytest.approx(expected, rel=1e-6, abs=1e-6), method
        # the flow is feasible: capacities hold (scaled by the max utilisation for min-max)
        limit = cap * (got.max_utilisation if objective == "min-max-utilisation" else 1.0)
        assert np.all(got.link_flow <= limit + 1e-6)
        assert np.all(got.carried <= od.tbps + 1e-9)


def _sla_path_lp(g: nx.MultiGraph, pairs: list, demand: np.ndarray, sla: float) -> float:
    """LP over every simple path within the SLA (networkx enumeration), no handoffs."""
    return _expected_path_lp(g, pairs, demand, sla, 0.0)


@seed(1515)
@settings(max_examples=80, **SETTINGS)
@given(data=networks(max_nodes=6), sla=st.sampled_from([10.0, 20.0, 30.0, 45.0, 80.0]))
def test_sla_flow_matches_path_enumeration(data, sla: float) -> None:
    g, pairs, demand = data
    if not pairs:
        return
    net, od, cap = _setup(g, pairs, demand)
    got = multicommodity_flow(net, od, capacities=cap, sla_rtt_ms=sla)
    assert got.converged
    expected = _sla_path_lp(g, pairs, demand, sla)
    assert got.carried_tbps == pytest.approx(expected, rel=1e-6, abs=1e-6)
    for p in got.paths:
        assert 2.0 * p.one_way_ms <= sla + 1e-6


@seed(151515)
@settings(max_examples=60, **SETTINGS)
@given(data=networks())
def test_single_commodity_matches_networkx_max_flow(data) -> None:
    g, pairs, _ = data
    if not pairs:
        return
    s, t = pairs[0]
    simple = nx.Graph()
    simple.add_nodes_from(g)
    for u, v, d in g.edges(data=True):
        if simple.has_edge(u, v):
            simple[u][v]["capacity"] += d["cap"]
        else:
            simple.add_edge(u, v, capacity=d["cap"])
    expected = nx.maximum_flow_value(simple, s, t) if nx.has_path(simple, s, t) else 0.0
    big = np.array([1e6])
    net, od, cap = _setup(g, [(s, t)], big)
    got = multicommodity_flow(net, od, capacities=cap)
    assert got.carried_tbps == pytest.approx(expected, rel=1e-7, abs=1e-7)


def test_corridor_classification() -> None:
    assert classify_corridor(["DE", "PL", "BY", "RU", "KZ", "CN"]) == "northern"
    assert classify_corridor(["FR", "EG", "SA", "IN", "SG", "CN"]) == "southern"
    assert classify_corridor(["IT", "JP"], ["red-sea"]) == "southern"
    assert classify_corridor(["DE", "TR", "GE", "AZ", "KZ", "CN"]) == "middle"
    assert classify_corridor(["DE", "US", "JP"]) == "other"


def test_all_endpoint_pairs_of_the_shipped_network_solve() -> None:
    """All 10,296 pairs by the arc LP: HiGHS's presolve declared the second phase infeasible
    when it held the total at 1e-9 of the optimum; the hold is relaxed in steps instead."""
    import corridor
    from corridor.capacity import gravity_demand

    net = corridor.load_network()
    od = gravity_demand(net, pairs="all")
    res = multicommodity_flow(net, od, method="arc")
    first = multicommodity_flow(net, od, method="arc", prefer_short=False)
    assert res.carried_tbps == pytest.approx(first.carried_tbps, rel=1e-6)
    assert 0 < res.carried_tbps <= od.total_tbps + 1e-9


def test_second_phase_relaxes_its_hold_then_falls_back(monkeypatch) -> None:
    import corridor.capacity.flow as flow

    g = nx.MultiGraph()
    for u, v, w in [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 5.0)]:
        g.add_edge(u, v, latency_ms=w, cap=2.0)
    for i in range(3):
        g.nodes[i].update(lon=float(i), lat=0.0)
    net, od, cap = _setup(g, [(0, 2)], np.array([3.0]))
    real = flow._arc_lp
    tried: list[float] = []
    refuse_all = False

    def picky(*args, **kw):  # type: ignore[no-untyped-def]
        if args[6] == "carried-short":
            tried.append(kw["total"])
            if len(tried) < 3 or refuse_all:
                raise flow.FlowError("infeasible (simulated)")
        return real(*args, **kw)

    monkeypatch.setattr(flow, "_arc_lp", picky)
    res = multicommodity_flow(net, od, capacities=cap, method="arc")
    assert len(tried) == 3 and 3.0 > tried[0] > tried[1] > tried[2] > 2.99  # holds relaxed in turn
    assert res.carried_tbps == pytest.approx(3.0) and not res.notes
    tried.clear()
    refuse_all = True
    res = multicommodity_flow(net, od, capacities=cap, method="arc")
    assert res.carried_tbps == pytest.approx(3.0)
    assert any("second phase" in n for n in res.notes)


@st.composite
def system_networks(draw: st.DrawFn) -> tuple[nx.MultiGraph, list, np.ndarray, float]:
    """Small multigraphs whose links belong to systems, and a handoff delay."""
    g, pairs, demand = draw(networks(max_nodes=6))
    for _, _, d in g.edges(data=True):
        d["system"] = draw(st.sampled_from("abc"))
    return g, pairs, demand, float(draw(st.sampled_from([0.0, 1.5, 3.0, 7.0])))


def _expected_path_lp(
    g: nx.MultiGraph, pairs: list, demand: np.ndarray, sla: float, handoff: float
) -> float:
    """Max carried over every simple path whose expected RTT (handoffs counted) is within
    the SLA (networkx enumeration, scipy linprog)."""
    h = _usable_graph(g)
    edges = list(h.edges(keys=True))
    eidx = {e: j for j, e in enumerate(edges)}
    columns = []
    for i, (s, t) in enumerate(pairs):
        for path in nx.all_simple_edge_paths(h, s, t):
            data = [h.edges[e] for e in path]
            systems = [d.get("system") for d in data]
            changes = sum(a != b for a, b in itertools.pairwise(systems))
            if 2.0 * (sum(d["latency_ms"] for d in data) + handoff * changes) <= sla + 1e-9:
                columns.append((i, [eidx[e if e in eidx else (e[1], e[0], e[2])] for e in path]))
    if not columns:
        return 0.0
    a = np.zeros((len(pairs) + len(edges), len(columns)))
    for j, (i, used) in enumerate(columns):
        a[i, j] = 1.0
        a[len(pairs) + np.array(used), j] = 1.0
    b = np.concatenate([demand, [h.edges[e]["cap"] for e in edges]])
    res = linprog(-np.ones(len(columns)), A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    assert res.status == 0
    return -res.fun


@seed(1516)
@settings(max_examples=150, **SETTINGS)
@given(data=system_networks(), sla=st.sampled_from([10.0, 20.0, 30.0, 45.0, 80.0]))
def test_sla_counts_handoffs_exactly(data, sla: float) -> None:
    """The SLA bounds the expected round trip (arc weights plus a handoff per change of
    system): the flow equals the LP over exactly the simple paths within it."""
    from corridor.latency import LatencyModel

    g, pairs, demand, handoff = data
    if not pairs:
        return
    net = Network.from_networkx(
        g, weight="latency_ms", model=LatencyModel(site_delay_ms=0.0, handoff_ms=handoff)
    )
    _, od, cap = _setup(g, pairs, demand)
    got = multicommodity_flow(net, od, capacities=cap, sla_rtt_ms=sla)
    assert got.converged
    expected = _expected_path_lp(g, pairs, demand, sla, handoff)
    assert got.carried_tbps == pytest.approx(expected, rel=1e-6, abs=1e-6)
    for p in got.paths:
        assert 2.0 * p.one_way_ms <= sla + 1e-6


def test_sla_regression_handoffs_push_the_fiber_best_over() -> None:
    """0-1-2 over systems a then b (8 ms, one handoff of 3 ms: 22 ms RTT) and 0-2 on system c
    (10 ms: 20 ms RTT). Under a 21 ms SLA only the direct link serves; by arc weight alone the
    two-link path (16 ms RTT) looked within it."""
    from corridor.latency import LatencyModel

    g = nx.MultiGraph()
    g.add_edge(0, 1, latency_ms=4.0, cap=5.0, system="a")
    g.add_edge(1, 2, latency_ms=4.0, cap=5.0, system="b")
    g.add_edge(0, 2, latency_ms=10.0, cap=1.0, system="c")
    net = Network.from_networkx(
        g, weight="latency_ms", model=LatencyModel(site_delay_ms=0.0, handoff_ms=3.0)
    )
    _, od, cap = _setup(g, [(0, 2)], np.array([4.0]))
    got = multicommodity_flow(net, od, capacities=cap, sla_rtt_ms=21.0)
    assert got.carried_tbps == pytest.approx(1.0)  # the direct link's capacity only
    assert [p.links for p in got.paths] == [(net.link_index("0|2|0"),)]
    assert got.paths[0].one_way_ms == pytest.approx(10.0)
    wider = multicommodity_flow(net, od, capacities=cap, sla_rtt_ms=22.0)
    assert wider.carried_tbps == pytest.approx(4.0)
