"""Exact constrained routing (via in any order, max_hops, k best) against brute force.

Every graph is a small random multigraph (parallel links, undirected links as two arcs, zero
weights, ties); via items are sites (touched by arriving), "countries" (touched by links that
cross them or by starting in them) and links. The brute force enumerates every simple path with
networkx ``all_simple_edge_paths`` and keeps the feasible ones.
"""

from __future__ import annotations

import math
from itertools import combinations, islice
from unittest.mock import patch

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from corridor._errors import NoRouteError
from corridor.network import Network
from corridor.routing import constrained, disjoint_pair, k_shortest_paths, shortest_path
from corridor.routing.constrained import graph_from_arcs, iter_paths

SETTINGS = settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@st.composite
def problems(draw, *, via: bool = True, hops: bool = True, undirected: bool = False):
    """A multigraph with via bits, a source/target pair, a hop limit, a cost cap and k
    (``undirected``: every link usable both ways)."""
    n = draw(st.integers(2, 8))
    node = st.integers(0, n - 1)
    weight = st.integers(0, 8).map(lambda x: x / 4)
    links = draw(st.lists(st.tuples(node, node, weight, st.booleans()), max_size=14))
    links = [(u, v, w, d or undirected) for u, v, w, d in links if u != v]
    s, t = draw(node), draw(node)
    assume(s != t)
    n_countries = 3
    site_country = draw(st.lists(st.integers(0, n_countries - 1), min_size=n, max_size=n))
    link_crosses = [
        draw(st.sets(st.integers(0, n_countries - 1), max_size=2)) | {site_country[u]}
        for u, _, _, _ in links
    ]
    tail, head, wt, link_of = [], [], [], []
    for i, (u, v, w, undirected) in enumerate(links):
        for a, b in [(u, v), (v, u)] if undirected else [(u, v)]:
            tail.append(a)
            head.append(b)
            wt.append(w)
            link_of.append(i)
    tail_a, head_a = np.array(tail, dtype=np.int64), np.array(head, dtype=np.int64)
    link_a = np.array(link_of, dtype=np.int64)
    cover = np.zeros(len(tail), dtype=np.int64)
    site_cover = np.zeros(n, dtype=np.int64)
    bit = 0
    if via:
        for v in draw(st.sets(node, max_size=2)) - {s, t}:
            cover[head_a == v] |= 1 << bit
            site_cover[v] |= 1 << bit
            bit += 1
        for c in draw(st.sets(st.integers(0, n_countries - 1), max_size=2)):
            crosses = np.array([c in x for x in link_crosses], dtype=bool)
            if len(link_a):
                cover[crosses[link_a]] |= 1 << bit
            site_cover[np.array(site_country) == c] |= 1 << bit
            bit += 1
        if links and draw(st.booleans()):
            cover[link_a == draw(st.integers(0, len(links) - 1))] |= 1 << bit
            bit += 1
    max_hops = draw(st.none() | st.integers(1, 6)) if hops else None
    max_cost = draw(st.none() | st.integers(0, 24).map(lambda x: x / 2))
    k = draw(st.integers(1, 8))
    arrays = (tail_a, head_a, np.array(wt, dtype=np.float64), cover, site_cover, (1 << bit) - 1)
    return arrays, s, t, max_hops, max_cost, k


def brute_force(arrays, s, t, max_hops, max_cost):
    """All feasible simple paths as (cost, arcs), by networkx on a MultiDiGraph."""
    tail, head, weight, cover, site_cover, need = arrays
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(len(site_cover)))
    for a, (u, v) in enumerate(zip(tail, head, strict=True)):
        graph.add_edge(int(u), int(v), key=a)
    out = []
    for edges in nx.all_simple_edge_paths(graph, s, t):
        arcs = [key for _, _, key in edges]
        covered = int(site_cover[s])
        for a in arcs:
            covered |= int(cover[a])
        cost = float(weight[arcs].sum())
        if covered & need != need:
            continue
        if max_hops is not None and len(arcs) > max_hops:
            continue
        if max_cost is not None and cost > max_cost + 1e-9:
            continue
        out.append((cost, arcs))
    out.sort(key=lambda x: x[0])
    return out


def solve(arrays, s, t, max_hops, max_cost, k, *, collapse=False):
    g = graph_from_arcs(*arrays, collapse=collapse)
    found = list(islice(iter_paths(g, s, t, max_hops=max_hops, max_cost=max_cost), k))
    return [g.orig[p] for p in found]


def check_path(arrays, s, t, max_hops, max_cost, arcs):
    tail, head, weight, cover, site_cover, need = arrays
    nodes = [s, *(int(v) for v in head[arcs])]
    assert len(set(nodes)) == len(nodes), "not a simple path"
    assert nodes[-1] == t
    assert all(int(tail[a]) == u for a, u in zip(arcs, nodes, strict=False)), "not connected"
    covered = int(site_cover[s])
    for a in arcs:
        covered |= int(cover[a])
    assert covered & need == need, "misses a via item"
    assert max_hops is None or len(arcs) <= max_hops
    assert max_cost is None or float(weight[arcs].sum()) <= max_cost + 1e-9


@SETTINGS
@given(problems())
def test_k_best_with_via_and_hops_match_brute_force(problem):
    arrays, s, t, max_hops, max_cost, k = problem
    truth = brute_force(arrays, s, t, max_hops, max_cost)
    found = solve(arrays, s, t, max_hops, max_cost, k)
    assert len(found) == min(k, len(truth))
    for arcs in found:
        check_path(arrays, s, t, max_hops, max_cost, arcs)
    assert len({tuple(p) for p in found}) == len(found)
    weight = arrays[2]
    assert [float(weight[p].sum()) for p in found] == pytest.approx([c for c, _ in truth[:k]])


def _no_milp(*_args, **_kwargs):
    raise AssertionError("the branch and bound with an unlimited budget needs no integer program")


@pytest.mark.parametrize("method", ["branch-and-bound", "integer-program"])
@settings(SETTINGS, max_examples=250)
@given(problem=problems())
def test_each_exact_method_alone_matches_brute_force(method, problem):
    """The two exact fallbacks of a non-simple walk, each on its own (the other disabled)."""
    arrays, s, t, max_hops, max_cost, k = problem
    if method == "branch-and-bound":
        patches = [
            patch.object(constrained, "ELEMENTARY_BUDGET", 10**9),
            patch.object(constrained, "_milp", _no_milp),
        ]
    else:
        patches = [
            patch.object(constrained, "ELEMENTARY_BUDGET", 0),
            patch.object(constrained, "_ksp_probe", lambda g, sub: None),
        ]
    with patches[0], patches[1]:
        found = solve(arrays, s, t, max_hops, max_cost, k)
    truth = brute_force(arrays, s, t, max_hops, max_cost)
    assert len(found) == min(k, len(truth))
    for arcs in found:
        check_path(arrays, s, t, max_hops, max_cost, arcs)
    weight = arrays[2]
    assert [float(weight[p].sum()) for p in found] == pytest.approx([c for c, _ in truth[:k]])


@settings(SETTINGS, max_examples=600)
@given(problems(hops=False, undirected=True))
def test_flow_proof_of_no_route_is_exact(problem):
    """On undirected graphs with one via item the Menger flow test says "no simple path"
    exactly when brute force finds none (and is never consulted for more than one item)."""
    arrays, s, t, _, _, _ = problem
    site_cover, need = arrays[4], arrays[5]
    g = graph_from_arcs(*arrays)
    sub = constrained._Sub(s, t, np.ones(len(g.head), dtype=bool), int(site_cover[s]), None, None)
    missing = need & ~int(site_cover[s])
    proven = constrained._proven_unreachable(g, sub)
    if missing == 0 or missing & (missing - 1):
        assert not proven
        return
    truth = brute_force(arrays, s, t, None, None)
    assert proven == (not truth)


@settings(SETTINGS, max_examples=300)
@given(problems())
def test_distinct_site_sequences_match_brute_force(problem):
    arrays, s, t, max_hops, max_cost, k = problem
    head, weight = arrays[1], arrays[2]
    best: dict[tuple[int, ...], float] = {}
    for cost, arcs in brute_force(arrays, s, t, max_hops, max_cost):
        seq = (s, *(int(v) for v in head[arcs]))
        best[seq] = min(best.get(seq, np.inf), cost)
    truth = sorted(best.values())
    found = solve(arrays, s, t, max_hops, max_cost, k, collapse=True)
    assert len(found) == min(k, len(truth))
    seqs = [(s, *(int(v) for v in head[p])) for p in found]
    assert len(set(seqs)) == len(seqs), "a site sequence came twice"
    for arcs, seq in zip(found, seqs, strict=True):
        check_path(arrays, s, t, max_hops, max_cost, arcs)
        assert float(weight[arcs].sum()) == pytest.approx(best[seq])  # its fastest cables
    assert [float(weight[p].sum()) for p in found] == pytest.approx(truth[:k])


@settings(SETTINGS, max_examples=300)
@given(problems(via=False))
def test_hop_limit_alone_matches_brute_force(problem):
    arrays, s, t, max_hops, max_cost, k = problem
    truth = brute_force(arrays, s, t, max_hops, max_cost)
    found = solve(arrays, s, t, max_hops, max_cost, k)
    assert [float(arrays[2][p].sum()) for p in found] == pytest.approx([c for c, _ in truth[:k]])


# --- the shipped network -------------------------------------------------------------------


def test_false_no_route_of_issue_13_is_answered(shipped):
    """Amsterdam - Beijing via Egypt avoiding RU, KZ, IR, AZ and the Suez crossing."""
    result = shortest_path(
        shipped,
        "amsterdam",
        "beijing",
        status="all",
        via="EG",
        avoid=["RU", "KZ", "IR", "AZ", "suez-egypt-crossing"],
    )
    path = result.best
    # 226.5 ms when the issue was filed; coastal waypoints added since lengthen two legs
    assert path.rtt_ms < 226.8
    assert "EG" in path.countries
    assert not {"RU", "KZ", "IR", "AZ"} & set(path.countries)
    assert "suez-egypt-crossing" not in path.links
    assert len(set(path.nodes)) == len(path.nodes)
    look = shipped.lookup
    total = 0.0
    for u, v, link in zip(path.nodes, path.nodes[1:], path.links, strict=False):  # hop by hop
        li = shipped.link_index(link)
        ends = {look.site_id[shipped.link_a[li]], look.site_id[shipped.link_b[li]]}
        assert ends == {u, v}
        assert look.link_status[li] in {"existing", "planned", "proposed"}
        assert not {"RU", "KZ", "IR", "AZ"} & set(look.link_countries[li])
        total += look.link_latency[li]
    total += sum(shipped.site_delay[shipped.site_index(v)] for v in path.nodes[1:-1])
    assert 2 * total == pytest.approx(path.rtt_ms)


def test_k_above_the_path_count_answers_with_the_paths_that_exist(tiny):
    result = k_shortest_paths(tiny, "a", "c", 20_001)
    assert len(result.paths) == 3  # ab1-bc, ab2-bc, ad-dc
    assert "only 3" in result.notes[0]
    sites = k_shortest_paths(tiny, "a", "c", 20_001, by="site")
    assert len(sites.paths) == 2
    assert sites.to_dict()["paths"][0]["parallel_cables"][0]["links"] == ["ab1", "ab2"]


def test_distinct_alternatives_on_the_readme_request(shipped):
    result = k_shortest_paths(shipped, "Frankfurt", "Shanghai", 5, via="KZ", by="site")
    seqs = {p.nodes for p in result.paths}
    assert len(seqs) == 5
    data = result.to_dict()
    assert "differs_from_best" not in data["paths"][0]
    for p in data["paths"][1:]:
        assert p["differs_from_best"]["extra_rtt_ms"] >= 0
    assert any(len(seg["links"]) > 1 for seg in data["paths"][0]["parallel_cables"])
    rtts = [p.rtt_ms for p in result.paths]
    assert rtts == sorted(rtts)


def test_infeasible_via_is_proven(shipped):
    with pytest.raises(NoRouteError, match="no route"):
        shortest_path(shipped, "Frankfurt", "Shanghai", via="KZ", max_hops=3)


# --- country-disjoint pairs -------------------------------------------------------------------


@st.composite
def country_graphs(draw):
    """A small undirected multigraph whose sites lie in a few countries."""
    n = draw(st.integers(3, 7))
    node = st.integers(0, n - 1)
    weight = st.integers(1, 8).map(float)
    links = draw(st.lists(st.tuples(node, node, weight), min_size=2, max_size=11))
    countries = draw(st.lists(st.sampled_from("ABCD"), min_size=n, max_size=n))
    graph = nx.MultiGraph()
    for v in range(n):
        graph.add_node(f"s{v}", country=countries[v])
    for u, v, w in links:
        if u != v:
            graph.add_edge(f"s{u}", f"s{v}", latency_ms=w)
    s, t = draw(node), draw(node)
    assume(s != t and graph.number_of_edges() > 0)
    return graph, f"s{s}", f"s{t}"


def _transit(graph, path_nodes, ends):
    return {graph.nodes[v]["country"] for v in path_nodes} - ends


@settings(SETTINGS, max_examples=300)
@given(country_graphs())
def test_country_disjoint_pair_matches_brute_force(problem):
    graph, s, t = problem
    net = Network.from_networkx(graph)
    ends = {graph.nodes[s]["country"], graph.nodes[t]["country"]}
    paths = [
        (sum(graph.edges[e]["latency_ms"] for e in edges), edges)
        for edges in nx.all_simple_edge_paths(graph, s, t)
    ]
    best = math.inf
    for (c1, e1), (c2, e2) in combinations(paths, 2):
        nodes1 = {u for u, _, _ in e1} | {t}
        nodes2 = {u for u, _, _ in e2} | {t}
        shared_links = {frozenset((u, v, k)) for u, v, k in e1} & {
            frozenset((u, v, k)) for u, v, k in e2
        }
        if not shared_links and not _transit(graph, nodes1, ends) & _transit(graph, nodes2, ends):
            best = min(best, c1 + c2)
    try:
        result = disjoint_pair(net, s, t, mode="country")
    except NoRouteError:
        assert not paths
        return
    primary, backup = result.paths
    if math.isfinite(best):
        assert not result.notes
        assert primary.one_way_ms + backup.one_way_ms == pytest.approx(best)
        assert result.summary["shared_countries"] == []
        assert not set(primary.links) & set(backup.links)
        assert [i["role"] for i in result.path_info] == ["primary", "backup"]
    else:  # none exists: said so, with what the least-sharing pair shares
        assert "no fully country-disjoint pair exists" in result.notes[0]
