"""The public routing API against brute force on small generated networks."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor import ConstraintError, Network, NoRouteError, RequestError, UnknownSiteError
from corridor.routing import (
    batch_routes,
    disjoint_pair,
    diverse_paths,
    iter_shortest_paths,
    k_disjoint_paths,
    k_shortest_paths,
    overlap_share,
    shortest_path,
)

COUNTRIES = ["KZ", "RU", "CN", "AZ"]


@st.composite
def small_networks(draw: st.DrawFn) -> tuple[Network, nx.MultiGraph]:
    n = draw(st.integers(3, 7))
    graph = nx.MultiGraph()
    for v in range(n):
        graph.add_node(f"n{v}", country=draw(st.sampled_from(COUNTRIES)), lon=v, lat=0.0)
    m = draw(st.integers(n - 1, 3 * n))
    for _ in range(m):
        u, v = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        w = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 8.0]))  # ties and zero weights
        graph.add_edge(f"n{u}", f"n{v}", latency_ms=w)
    return Network.from_networkx(graph), graph


def brute_force(graph: nx.MultiGraph, s: str, t: str) -> list[tuple[float, tuple[str, ...]]]:
    """Every loopless path as (latency, node sequence), parallel edges expanded."""
    out = []
    simple = nx.Graph(graph)
    for nodes in nx.all_simple_paths(simple, s, t):
        options = [
            [d["latency_ms"] for d in graph.get_edge_data(u, v).values()]
            for u, v in itertools.pairwise(nodes)
        ]
        for combo in itertools.product(*options):
            out.append((sum(combo), tuple(nodes)))
    return sorted(out, key=lambda x: x[0])


def satisfies(graph: nx.MultiGraph, nodes: tuple[str, ...], cons: dict) -> bool:
    countries = [graph.nodes[v]["country"] for v in nodes]
    if cons.get("avoid") and cons["avoid"] in countries:
        return False
    if cons.get("via_country") and cons["via_country"] not in countries:
        return False
    if cons.get("via_site") and cons["via_site"] not in nodes:
        return False
    return not (cons.get("max_hops") and len(nodes) - 1 > cons["max_hops"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=small_networks(),
    k=st.integers(1, 6),
    cons=st.fixed_dictionaries(
        {},
        optional={
            "avoid": st.sampled_from(COUNTRIES),
            "via_country": st.sampled_from(COUNTRIES),
            "via_site": st.sampled_from(["n1", "n2"]),
            "max_hops": st.integers(1, 4),
        },
    ),
)
def test_constrained_k_shortest_equals_brute_force(
    data: tuple[Network, nx.MultiGraph], k: int, cons: dict
) -> None:
    net, graph = data
    s, t = "n0", f"n{net.n_sites - 1}"
    present = {graph.nodes[v]["country"] for v in graph}
    named = {cons.get("avoid"), cons.get("via_country")} - {None}
    if named - present:
        with pytest.raises(UnknownSiteError, match="unknown site"):
            k_shortest_paths(net, s, t, k, avoid=cons.get("avoid"), via=cons.get("via_country"))
        return
    expected = [c for c, nodes in brute_force(graph, s, t) if satisfies(graph, nodes, cons)]
    kwargs = {
        "avoid": cons.get("avoid"),
        "via": [x for x in (cons.get("via_country"), cons.get("via_site")) if x] or None,
        "max_hops": cons.get("max_hops"),
    }
    try:
        result = k_shortest_paths(net, s, t, k, **kwargs)
    except ConstraintError:
        # an endpoint in an avoided country, or via == avoid, or via site is an endpoint
        endpoints = {graph.nodes[s]["country"], graph.nodes[t]["country"]}
        assert (
            cons.get("avoid") in endpoints
            or cons.get("avoid") == cons.get("via_country")
            or cons.get("via_site") in (s, t)
            or (
                cons.get("via_site")
                and graph.nodes[cons["via_site"]]["country"] == cons.get("avoid")
            )
        )
        return
    except NoRouteError:
        assert expected == []
        return
    got = [p.one_way_ms for p in result.paths]
    assert got == pytest.approx(expected[:k], abs=1e-9)
    for path in result.paths:
        assert len(set(path.nodes)) == len(path.nodes)  # loopless
        assert satisfies(graph, path.nodes, cons)
    assert len({p.links for p in result.paths}) == len(result.paths)


@settings(max_examples=60, deadline=None)
@given(data=small_networks(), cap=st.sampled_from([1.0, 4.0, 10.0, 50.0]))
def test_latency_cap_is_respected(data: tuple[Network, nx.MultiGraph], cap: float) -> None:
    net, graph = data
    s, t = "n0", f"n{net.n_sites - 1}"
    expected = [c for c, _ in brute_force(graph, s, t) if c <= cap]
    try:
        got = [p.one_way_ms for p in iter_shortest_paths(net, s, t, max_latency_ms=cap)]
    except NoRouteError:
        got = []
    assert got == pytest.approx(expected, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(data=small_networks())
def test_disjoint_pair_is_disjoint_and_optimal(data: tuple[Network, nx.MultiGraph]) -> None:
    net, graph = data
    s, t = "n0", f"n{net.n_sites - 1}"
    paths = []
    simple = nx.Graph(graph)
    for nodes in nx.all_simple_paths(simple, s, t):
        keys = [list(graph.get_edge_data(u, v).items()) for u, v in itertools.pairwise(nodes)]
        for combo in itertools.product(*keys):
            links = frozenset(
                f"{u}|{v}|{key}" if f"{u}|{v}|{key}" in set(net.links["id"]) else f"{v}|{u}|{key}"
                for (u, v), (key, _) in zip(itertools.pairwise(nodes), combo, strict=True)
            )
            paths.append((sum(d["latency_ms"] for _, d in combo), links))
    best = min(
        (a[0] + b[0] for a, b in itertools.combinations(paths, 2) if not a[1] & b[1]),
        default=math.inf,
    )
    try:
        result = disjoint_pair(net, s, t, mode="link")
    except NoRouteError:
        assert not paths
        return
    if math.isinf(best):
        assert result.notes and "no fully link-disjoint pair" in result.notes[0]
        return
    first, second = result.paths
    assert not set(first.links) & set(second.links)
    assert first.one_way_ms + second.one_way_ms == pytest.approx(best, abs=1e-9)
    assert first.one_way_ms <= second.one_way_ms


def test_api_on_the_tiny_network(tiny: Network) -> None:
    ranked = k_shortest_paths(tiny, "a", "c", 5)
    assert [p.links for p in ranked.paths] == [("ab1", "bc"), ("ab2", "bc"), ("ad", "dc")]
    assert "only 3" in ranked.notes[0]
    assert shortest_path(tiny, "a", "c", via="d").best.nodes == ("a", "d", "c")
    assert shortest_path(tiny, "a", "c", via="RU").best.nodes == ("a", "d", "c")
    assert shortest_path(tiny, "a", "c", max_hops=2).best.links == ("ab1", "bc")
    pair = disjoint_pair(tiny, "a", "c", mode="srlg")
    assert {pair.paths[0].links, pair.paths[1].links} == {("ab1", "bc"), ("ad", "dc")}
    many = k_disjoint_paths(tiny, "a", "c", 3)
    assert len(many.paths) == 2 and "only 2" in many.notes[0]
    diverse = diverse_paths(tiny, "a", "c", 3, max_overlap=0.2)
    assert [p.links for p in diverse.paths] == [("ab1", "bc"), ("ad", "dc")]
    assert overlap_share(ranked.paths[0], ranked.paths[1], tiny) > 0.4


def test_srlg_mode_avoids_shared_risk(tiny: Network) -> None:
    # with the d-c link gone, every a-c path uses b-c (duct-1), so no SRLG-disjoint pair exists
    pair = disjoint_pair(tiny, "a", "c", mode="srlg", avoid="dc")
    assert pair.notes and "shares" in pair.notes[0]


def test_bounded_backup(tiny: Network) -> None:
    loose = disjoint_pair(tiny, "a", "c", backup_max_latency_ms=10.0)
    assert loose.paths[0].links == ("ab1", "bc")
    with pytest.raises(NoRouteError, match="backup within 0.5 ms"):
        disjoint_pair(tiny, "a", "c", backup_max_latency_ms=0.5)


def test_bad_requests(tiny: Network) -> None:
    with pytest.raises(RequestError, match="k must be an integer >= 1"):
        k_shortest_paths(tiny, "a", "c", 0)
    with pytest.raises(RequestError, match="unknown disjointness mode"):
        disjoint_pair(tiny, "a", "c", mode="fiber")
    with pytest.raises(ConstraintError, match="both required"):
        shortest_path(tiny, "a", "c", via="d", avoid="d")
    with pytest.raises(ConstraintError, match="not supported with disjoint"):
        _disjoint_with_via(tiny)
    with pytest.raises(RequestError, match="max_overlap"):
        diverse_paths(tiny, "a", "c", 2, max_overlap=1.5)


def _disjoint_with_via(net: Network) -> None:
    from corridor.routing import prepare
    from corridor.routing.disjoint import _check_disjoint_request

    _check_disjoint_request(prepare(net, "a", "c", via="d"), "link")


def test_batch_routes_equal_single_queries(shipped: Network) -> None:
    cities = shipped.sites.loc[shipped.sites["kind"] == "city", "id"].tolist()[:25]
    pairs = [(a, b) for a in cities for b in cities if a != b]
    table = batch_routes(shipped, pairs, with_paths=True)
    assert len(table) == len(pairs)
    for row in table.sample(40, random_state=1).itertuples(index=False):
        best = shortest_path(shipped, row.source, row.target).best
        assert row.one_way_ms == pytest.approx(best.one_way_ms)
        assert row.hops == best.hops
        assert tuple(row.nodes) == best.nodes
    assert (table["stretch"] >= 1.0).all()


def test_batch_routes_report_unreachable_pairs_without_inf(tiny: Network) -> None:
    table = batch_routes(tiny, [("a", "e"), ("a", "c")])
    assert table["reachable"].tolist() == [False, True]
    assert math.isnan(table["rtt_ms"].iat[0])
    best = shortest_path(tiny, "a", "c").best
    assert table["rtt_ms"].iat[1] == pytest.approx(2 * best.one_way_ms)


def test_diverse_paths_says_when_a_time_limit_stopped_it(monkeypatch) -> None:
    import corridor.routing.paths as paths_mod
    from corridor import SearchLimitError, load_network
    from corridor.routing import diverse_paths

    net = load_network()
    real = paths_mod._iter_paths

    def two_then_limit(req, **kw):  # type: ignore[no-untyped-def]
        stream = real(req, **kw)
        yield next(stream)
        yield next(stream)
        raise SearchLimitError("stopped after 1 s without proof")

    monkeypatch.setattr(paths_mod, "_iter_paths", two_then_limit)
    res = diverse_paths(net, "Frankfurt", "Shanghai", 5, max_overlap=0.1, time_limit_s=1.0)
    assert len(res.paths) < 5
    assert any("time limit" in n and "may exist" in n for n in res.notes), res.notes
