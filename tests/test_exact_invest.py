"""The exact portfolio's claims against brute force over every subset of candidates.

For each generated instance (500 in the default run, more under ``slow``): with the backup and
availability weights at 0 (every scored term monotone in the links built) the exact search
must claim ``proven_optimal`` and score the best of all subsets within the budget; with a
positive backup weight (the default) the backup term is not monotone, so the search must not
claim a proof, must say why, and can only score at most the best.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_invest import _ctx_from_graph, graphs

from corridor.invest import evaluate as E
from corridor.invest.metrics import BenefitWeights, set_metrics
from corridor.invest.portfolio import exact

FAST = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_portfolio(case, sla: float, budget: float, backup_weight: float) -> None:
    g, cands = case
    if not cands:
        return
    ctx, _ = _ctx_from_graph(g, cands[:4], 0.1)
    weights = BenefitWeights(backup=backup_weight)
    ctx = dataclasses.replace(ctx, sla_rtt_ms=sla, weights=weights, cache={})
    idx = list(range(len(ctx.candidates)))
    base = set_metrics(ctx, ())
    best = max(
        E.benefit(ctx, base, set_metrics(ctx, list(sub), availability=False))["score"]
        for r in range(len(idx) + 1)
        for sub in itertools.combinations(idx, r)
        if sum(ctx.candidates[i].capex_eur_m for i in sub) <= budget + 1e-9
    )
    ex, _ = exact(ctx, budget, idx)
    assert ex.capex_eur_m <= budget + 1e-9
    if backup_weight == 0:
        assert ex.proven_optimal and not ex.not_proven
        assert ex.score == pytest.approx(best, abs=1e-9)
    else:
        assert not ex.proven_optimal
        assert "backup term" in ex.not_proven
        assert ex.score <= best + 1e-9


@FAST
@given(
    graphs(),
    st.sampled_from([8.0, 15.0, 25.0, 60.0]),
    st.floats(1.0, 6.0),
    st.sampled_from([0.0, 1.0]),
)
def test_exact_portfolio_claims_equal_brute_force(case, sla, budget, backup_weight) -> None:
    check_portfolio(case, sla, budget, backup_weight)


@pytest.mark.slow
@settings(FAST, max_examples=3000)
@given(
    graphs(),
    st.sampled_from([8.0, 15.0, 25.0, 60.0]),
    st.floats(1.0, 6.0),
    st.sampled_from([0.0, 1.0]),
)
def test_exact_portfolio_claims_equal_brute_force_slow(case, sla, budget, backup_weight) -> None:
    check_portfolio(case, sla, budget, backup_weight)
