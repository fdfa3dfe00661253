"""Every output that shows an RTT shows route's expected figure for the same path.

``corridor route`` reports the expected service RTT: the arc weights of the path found (the
search minimises them) plus the handoff delay at each change of system along it, with the
physical figure beside it. The sweeps and analyses that work on kernel distances add the
handoffs of the path they found in the same way; these tests hold them to route's numbers on
the shipped data under the calibrated default model.
"""

from __future__ import annotations

import pytest

from corridor import Network
from corridor.resilience import sweep
from corridor.routing import shortest_path

SHIPPED_PAIRS = [
    ("Frankfurt", "Shanghai"),
    ("London", "Hong Kong"),
    ("Berlin", "Beijing"),
    ("Paris", "Tokyo"),
    ("Warsaw", "Seoul"),
]


def test_sweep_baseline_and_failures_equal_route(calibrated: Network) -> None:
    """Sweep baseline (no failure) and failure rows show route's expected and physical RTT."""
    net = calibrated
    assert net.model.handoff_ms > 0
    res = sweep(net, SHIPPED_PAIRS, scenarios="links")
    base = res.baseline
    handoffs_seen = 0
    for (s, t), rec in zip(SHIPPED_PAIRS, base.itertuples(index=False), strict=True):
        best = shortest_path(net, s, t).best
        handoffs_seen += best.handoffs
        assert rec.links == tuple(best.links)
        assert rec.rtt_ms == pytest.approx(best.rtt_ms, abs=1e-9), (s, t)
        assert rec.physical_rtt_ms == pytest.approx(best.physical_rtt_ms, abs=1e-9), (s, t)
        # a failure of a link of the baseline route: route with that link avoided
        link = rec.links[len(rec.links) // 2]
        row = res.table[
            (res.table["scenario"] == link)
            & (res.table["source"] == rec.source)
            & (res.table["target"] == rec.target)
        ].iloc[0]
        alt = shortest_path(net, s, t, avoid=link).best
        assert row["rtt_ms"] == pytest.approx(alt.rtt_ms, abs=1e-9)
        assert row["physical_rtt_ms"] == pytest.approx(alt.physical_rtt_ms, abs=1e-9)
        assert row["baseline_rtt_ms"] == pytest.approx(best.rtt_ms, abs=1e-9)
        assert row["rtt_increase_ms"] == pytest.approx(alt.rtt_ms - best.rtt_ms, abs=1e-9)
    assert handoffs_seen > 0  # the figures differ from the arc weights alone
    # README route example: Frankfurt - Shanghai 158.1 ms expected, 112.9 ms physical
    assert round(float(base["rtt_ms"].iat[0]), 1) == 158.1
    assert round(float(base["physical_rtt_ms"].iat[0]), 1) == 112.9


def test_sweep_sla_uses_the_expected_figure(calibrated: Network) -> None:
    best = shortest_path(calibrated, "Frankfurt", "Shanghai").best
    # an SLA between the physical and the expected figure: the expected one decides
    sla = (best.rtt_ms + best.physical_rtt_ms) / 2.0
    res = sweep(calibrated, [("Frankfurt", "Shanghai")], scenarios="links", sla_rtt_ms=sla)
    assert not bool(res.baseline["sla_ok"].iat[0])


def test_invest_base_rtt_equals_route(calibrated: Network) -> None:
    """invest's per-pair base RTT (and so its base mean RTT) is route's expected figure, and a
    candidate evaluated by the one-link shortcut gets the expected figure of full recomputation."""
    import numpy as np

    from corridor.invest import evaluate as E
    from corridor.invest.candidates import candidate_network
    from corridor.invest.demand import Demand
    from corridor.invest.metrics import make_context, set_metrics, summary

    full, cands = candidate_network(calibrated, None, include_network=True)
    pairs = [(calibrated.resolve_site(s), calibrated.resolve_site(t)) for s, t in SHIPPED_PAIRS]
    demand = Demand(tuple(pairs), np.full(len(pairs), 1.0 / len(pairs)), "test")
    ctx = make_context(full, cands, demand)
    base = set_metrics(ctx, ())
    expect = [shortest_path(calibrated, s, t).best.rtt_ms for s, t in SHIPPED_PAIRS]
    np.testing.assert_allclose(2.0 * base.one_way, expect, rtol=0, atol=1e-9)
    assert summary(ctx, base)["mean_rtt_ms"] == pytest.approx(float(np.mean(expect)))
    state = E._State(ctx, ())
    changed = 0
    for i, c in enumerate(cands):
        if c.is_group:
            continue
        fast = state.add_one(ctx, i).one_way
        slow = set_metrics(ctx, [i]).one_way
        np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9, err_msg=c.id)
        changed += int(np.any(np.abs(fast - base.one_way) > 1e-9))
    assert changed > 0  # some candidates do change a route, so the recovery is exercised


def test_place_rtt_matrix_equals_route(calibrated: Network) -> None:
    """corridor place's demand x candidate RTTs (objective and SLA) are route's expected figure."""
    from corridor.placement._names import DEFAULT_STATUS
    from corridor.placement.problem import placement_problem

    problem = placement_problem(calibrated, candidates=["aktobe", "almaty", "aktau"], country="KZ")
    checked = 0
    for i, d in enumerate(problem.demand[:6]):
        for j, c in enumerate(problem.candidates):
            best = shortest_path(calibrated, d, c, status=DEFAULT_STATUS).best
            assert problem.rtt[i, j] == pytest.approx(best.rtt_ms, abs=1e-9), (d, c)
            checked += 1
    assert checked == 18
