"""Investment by traffic kept, checked against separate flow solves on the shipped network."""

from __future__ import annotations

import math

import pytest

import corridor
from corridor.capacity import gravity_demand, multicommodity_flow
from corridor.capacity.invest import CostModel, rank_by_traffic
from corridor.capacity.scenarios import load_scenario, resolve
from corridor.invest.candidates import candidate_network


def test_traffic_kept_matches_separate_flows() -> None:
    net = corridor.load_network()
    cnet, cands = candidate_network(net, only=["tcfo-sumgayit-aktau", "smw6-matara-tuas"])
    demand = gravity_demand(cnet)
    scen = resolve(cnet, load_scenario("russia-closed"))
    cost = CostModel(discount_rate=0.1, opex_share=0.02, lifetime_years=20)
    result = rank_by_traffic(
        cnet, cands, demand, scenarios=[scen], cost=cost, budget_eur_m=80.0, with_normal=True
    )

    def carried(extra: tuple[int, ...], failed: bool) -> float:
        return multicommodity_flow(
            cnet,
            demand,
            extra_links=extra,
            failed_links=scen.links if failed else (),
            failed_sites=scen.sites if failed else (),
            prefer_short=False,
        ).carried_tbps

    base = carried((), True)
    assert result.base_carried_tbps["russia-closed"] == pytest.approx(base)
    rows = result.to_dict()["ranking"]
    assert [r["rank"] for r in rows] == [1, 2]
    per_eur = [r["kept_tbps_per_eur_m"] for r in rows]
    assert per_eur == sorted(per_eur, reverse=True)
    for row, tc in zip(rows, result.ranking, strict=True):
        c = tc.candidate
        expect = carried(c.link_indices, True) - base
        assert row["traffic_kept_tbps"] == pytest.approx(max(expect, 0.0), abs=1e-5)
        normal = carried(c.link_indices, False) - carried((), False)
        assert row["traffic_added_normal_tbps"] == pytest.approx(max(normal, 0), abs=1e-5)
        years = 20
        annuity = (1 - 1.1**-years) / 0.1
        assert tc.npv_cost_eur_m == pytest.approx(c.capex_eur_m * (1 + 0.02 * annuity))
        if row["traffic_kept_tbps"] > 0:
            assert row["cost_per_protected_tbps_eur_m"] == pytest.approx(
                tc.npv_cost_eur_m / row["traffic_kept_tbps"], rel=1e-3
            )
    assert result.portfolio_capex_eur_m <= 80.0
    assert result.why and ("wins" in result.why or "no candidate" in result.why)
    assert math.isfinite(result.portfolio_kept_tbps)


def test_exact_portfolio_pareto_and_sensitivity_keys() -> None:
    net = corridor.load_network()
    ids = ["tcfo-sumgayit-aktau", "smw6-matara-tuas", "tea-next-idritsa-riga"]
    cnet, cands = candidate_network(net, only=ids)
    demand = gravity_demand(cnet)
    scens = [resolve(cnet, load_scenario(n)) for n in ("russia-closed", "red-sea-cut")]
    result = rank_by_traffic(
        cnet, cands, demand, scenarios=scens, budget_eur_m=90.0, pareto=True, draws=100, seed=2
    )
    d = result.to_dict()
    port = d["portfolio"]
    assert port["proven_optimal"] is True
    assert port["method"].startswith("exact (") and port["method"].endswith(", proven)")
    assert port["capex_eur_m"] <= 90.0
    assert port["traffic_kept_tbps"] >= port["greedy"]["traffic_kept_tbps"] - 1e-6
    assert d["pareto_proven"] is True
    front = d["pareto"]
    assert front and all(p["capex_eur_m"] <= 90.0 for p in front)
    costs = [p["npv_cost_eur_m"] for p in front]
    kept = [p["traffic_kept_tbps"] for p in front]
    assert costs == sorted(costs) and kept == sorted(kept)
    assert max(kept) == pytest.approx(port["traffic_kept_tbps"], abs=1e-5)
    sens = d["sensitivity"]
    assert sens["leader"] == d["ranking"][0]["id"]
    assert {t["scenario"] for t in sens["thresholds"]} == {"russia-closed", "red-sea-cut"}
    assert sens["monte_carlo"]["draws"] == 100
