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

