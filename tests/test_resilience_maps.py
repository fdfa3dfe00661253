"""The resilience maps' content without a browser (the Chromium tests are in
test_maps_browser): what is drawn for a sweep, and the cap on drawn scenarios."""

from __future__ import annotations

from corridor.maps import sweep_map
from corridor.network import Network
from corridor.resilience import default_pairs, sweep


def test_sweep_map_draws_the_worst_scenarios_first_and_says_what_it_left_out(
    shipped: Network,
) -> None:
    result = sweep(shipped, default_pairs(shipped), scenarios="srlgs", unreachable="drop")
    summary = result.summary()
    hurt = summary[(summary["pairs_disconnected"] > 0) | (summary["total_rtt_increase_ms"] > 0)]
    assert len(hurt) > 3
    page = sweep_map(shipped, result, max_drawn=2).get_root().render()
    kept = {(r.scenario, r.kind) for r in hurt.head(2).itertuples()}
    links = sum(len(sc.links) for sc in result.scenarios if (sc.name, sc.kind) in kept)
    assert page.count("corridor-failure corridor-failure-") == links
    assert f"Drawn: the 2 worst; {len(hurt) - 2:,} milder failures left out." in page
    full = sweep_map(shipped, result).get_root().render()
    every = sum(
        len(sc.links)
        for sc in result.scenarios
        if (sc.name, sc.kind) in {(r.scenario, r.kind) for r in hurt.itertuples()}
    )
    assert full.count("corridor-failure corridor-failure-") == every
    assert "milder failures left out" not in full
