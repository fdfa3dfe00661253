"""Demand, capacities, stress scenarios, risk over a year, and the network as of a year."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

import corridor
from corridor import DataError, DatasetNotFoundError, Network, RequestError
from corridor.capacity import (
    DEFAULT_TOTAL_TBPS,
    ODMatrix,
    gravity_demand,
    link_capacities,
    multicommodity_flow,
    read_demand_csv,
)
from corridor.capacity.scenarios import (
    StressScenario,
    apply_scenario,
    exact_risk,
    load_scenario,
    monte_carlo,
    resolve,
    scenario_names,
)
from corridor.timeline import as_of, link_rfs


@pytest.fixture(scope="module")
def net() -> Network:
    return corridor.load_network()


def test_gravity_demand_sums_to_the_stated_total(net: Network) -> None:
    od = gravity_demand(net)
    assert od.total_tbps == pytest.approx(DEFAULT_TOTAL_TBPS)
    assert len(od) == len(set(od.pairs()))
    assert np.all(od.tbps > 0)
    regions = dict(zip(net.sites["id"], net.sites["region"], strict=True))
    assert {regions[s] for s in od.sources} == {"europe"}
    assert {regions[t] for t in od.targets} <= {"china", "east_asia"}
    assert gravity_demand(net, total_tbps=50.0).tbps == pytest.approx(od.tbps / 4.0)
    # all pairs of endpoints
    every = gravity_demand(net, pairs="all", total_tbps=10.0)
    n = int(net.sites["kind"].isin(["city", "datacenter", "ixp"]).sum())
    assert len(every) == n * (n - 1) // 2
    with pytest.raises(RequestError):
        gravity_demand(net, total_tbps=0)
    with pytest.raises(RequestError):
        gravity_demand(net, pairs="some")


def test_gravity_uses_population_where_given(net: Network) -> None:
    sites = net.sites.copy()
    sites["population"] = np.where(sites["id"] == "frankfurt", 4e6, 1e6)
    links = net.links.drop(columns=["srlgs"])
    other = corridor.build_network(
        sites.drop(columns=["delay_ms"]),
        links.drop(columns=["length_km", "latency_ms", "countries"]),
    )
    od = gravity_demand(other, distance_exponent=0.0)
    by_pair = dict(zip(od.pairs(), od.tbps, strict=True))
    assert by_pair[("frankfurt", "shanghai")] == pytest.approx(4 * by_pair[("berlin", "shanghai")])


def test_demand_csv_round_trip(net: Network, tmp_path) -> None:
    od = gravity_demand(net, total_tbps=12.0)
    path = tmp_path / "od.csv"
    od.write_csv(path)
    back = read_demand_csv(net, path)
    assert back.pairs() == od.pairs()
    assert back.tbps == pytest.approx(od.tbps, rel=1e-8)
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,tbps\nFrankfurt,Nowhere-City,1\n")
    with pytest.raises(DataError, match="bad.csv:2"):
        read_demand_csv(net, bad)
    bad.write_text("source,target,tbps\nFrankfurt,Shanghai,-1\n")
    with pytest.raises(DataError, match=">= 0"):
        read_demand_csv(net, bad)


def test_capacities_default_where_unknown(net: Network) -> None:
    caps = link_capacities(net)
    given = net.links["capacity_tbps"].notna().to_numpy()
    assert np.array_equal(caps.assumed, ~given)
    assert caps.tbps[given] == pytest.approx(net.links["capacity_tbps"].to_numpy(float)[given])
    assert np.all(caps.tbps > 0)
    i = net.link_index("tcfo-sumgayit-aktau")
    assert caps.tbps[i] == 400.0 and not caps.assumed[i]


def test_shipped_scenarios_resolve_completely(net: Network) -> None:
    names = scenario_names()
    for required in (
        "russia-closed",
        "red-sea-cut",
        "suez-closed",
        "caspian-cut",
        "black-sea-cut",
        "kz-china-border-closed",
        "russia-closed-red-sea-cut",
    ):
        assert required in names
    for name in names:
        sc = load_scenario(name)
        res = resolve(net, sc, strict=True)
        assert res.links, name
        assert not res.missing
        if sc.probability is not None:
            assert 0 < sc.probability <= 1 and sc.duration_days and sc.sources
    ru = resolve(net, load_scenario("russia-closed"))
    for li in ru.links:
        ends = {net.lookup.site_country[net.link_a[li]], net.lookup.site_country[net.link_b[li]]}
        crossed = set(net.lookup.link_countries[li])
        assert (ends | crossed) & {"RU", "BY"}
    both = resolve(net, load_scenario("russia-closed-red-sea-cut"))
    assert set(ru.links) < set(both.links)


def test_scenario_errors(tmp_path) -> None:
    with pytest.raises(DatasetNotFoundError, match="russia-closed"):
        load_scenario("no-such-scenario")
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text('name = "a"\ninclude = ["b.toml"]\n')
    b.write_text('name = "b"\ninclude = ["a.toml"]\n')
    with pytest.raises(DataError, match="includes itself"):
        load_scenario(a)
    a.write_text('name = "a"\nfail = ["RU"]\nprobability = 2\n')
    with pytest.raises(DataError, match="probability"):
        load_scenario(a)
    a.write_text('name = "a"\nfial = ["RU"]\n')
    with pytest.raises(DataError, match="unknown key"):
        load_scenario(a)


def test_scenario_closes_routes(net: Network) -> None:
    closed = apply_scenario(net, load_scenario("russia-closed"))
    best = corridor.shortest_path(closed, "Frankfurt", "Shanghai").best
    assert not {"RU", "BY"} & set(best.countries)
    missing = resolve(as_of(net, 2000), load_scenario("caspian-cut"))
    assert isinstance(missing.notes, tuple)


def _line() -> tuple[Network, ODMatrix, np.ndarray]:
    g = nx.MultiGraph()
    g.add_edge("a", "b", latency_ms=1.0)
    g.add_edge("a", "b", latency_ms=2.0)
    g.add_edge("b", "c", latency_ms=1.0)
    g.add_edge("a", "c", latency_ms=5.0)
    net = Network.from_networkx(g, weight="latency_ms")
    cap = np.array(
        [{"a|b|0": 4.0, "a|b|1": 2.0, "b|c|0": 5.0, "a|c|0": 1.0}[i] for i in net.lookup.link_id]
    )
    od = ODMatrix(("a", "a"), ("c", "b"), np.array([5.0, 2.0]), "test")
    return net, od, cap


def test_monte_carlo_matches_exact_expectation() -> None:
    net, od, cap = _line()

    def evaluate(links: tuple[int, ...], sites: tuple[int, ...]) -> float:
        return multicommodity_flow(
            net, od, capacities=cap, failed_links=links, failed_sites=sites
        ).unserved_tbps

    scen = [
        StressScenario("ab0", fail=("a|b|0",), probability=0.5, duration_days=100),
        StressScenario("bc", fail=("b|c|0",), probability=0.3, duration_days=200),
        StressScenario("policy", fail=("a|c|0",)),
    ]
    resolved = [resolve(net, s) for s in scen]
    exact = exact_risk(resolved, evaluate)
    assert exact.scenarios == ("ab0", "bc")
    assert any("policy" in n for n in exact.notes)
    q1, q2 = 0.5 * 100 / 365, 0.3 * 200 / 365
    u = exact.states
    expect = (
        (1 - q1) * (1 - q2) * u[()]
        + q1 * (1 - q2) * u[("ab0",)]
        + (1 - q1) * q2 * u[("bc",)]
        + q1 * q2 * u[("ab0", "bc")]
    )
    assert exact.mean_unserved_tbps == pytest.approx(expect)
    mc = monte_carlo(resolved, evaluate, samples=4000, seed=7)
    assert mc.samples == 4000 and mc.seed == 7
    assert mc.p50_unserved_tbps <= mc.p95_unserved_tbps
    # the sampled mean is within 4 standard errors of the exact expectation
    spread = max(u.values()) - min(u.values())
    assert abs(mc.mean_unserved_tbps - exact.mean_unserved_tbps) < 4 * spread / math.sqrt(4000)
    assert mc.mean_degraded_min == pytest.approx(exact.mean_degraded_min, rel=0.1)
    again = monte_carlo(resolved, evaluate, samples=4000, seed=7)
    assert again.mean_unserved_tbps == mc.mean_unserved_tbps


def test_year_filter_uses_only_links_in_service(net: Network) -> None:
    rfs = link_rfs(net)
    old = as_of(net, 2020)
    assert old.n_links == int((np.isnan(rfs) | (rfs <= 2020)).sum())
    best = corridor.shortest_path(old, "Frankfurt", "Shanghai").best
    years = dict(zip(net.lookup.link_id, rfs, strict=True))
    assert all(not years[li] > 2020 for li in best.links)
    later = as_of(net, 2027)
    status = dict(zip(later.lookup.link_id, later.lookup.link_status, strict=True))
    assert status["tcfo-sumgayit-aktau"] == "existing"  # planned, RFS 2026
    assert "tcfo-sumgayit-aktau" not in old.lookup.link_id
    with pytest.raises(RequestError):
        as_of(net, 20.5)  # type: ignore[arg-type]
