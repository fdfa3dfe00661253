"""Sensitivity of the traffic ranking to scenario probabilities, checked by recomputing scores."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.capacity.sensitivity import leader_thresholds, probability_sensitivity


def _leader(kept: np.ndarray, npv: np.ndarray, w: np.ndarray) -> int:
    return int(np.argmax((kept @ w) / npv))


def _score(kept: np.ndarray, npv: np.ndarray, w: np.ndarray, i: int) -> float:
    return float((kept[i] @ w) / npv[i])


@pytest.mark.parametrize("seed", range(40))
def test_leader_thresholds_match_recomputed_ranking(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 6)), int(rng.integers(2, 4))
    kept = rng.integers(0, 5, size=(n, m)).astype(float)
    npv = rng.uniform(1, 5, size=n)
    w = rng.uniform(0.1, 1, size=m)
    rows = np.argsort(-(kept @ w) / npv, kind="stable")
    kept, npv = kept[rows], npv[rows]
    ids = [f"c{i}" for i in range(n)]
    names = [f"s{j}" for j in range(m)]
    for t in leader_thresholds(kept, npv, w, ids, names):
        j = names.index(t.scenario)
        for factor, new, up in (
            (t.multiply_by, t.leader_up, True),
            (t.divide_by, t.leader_down, False),
        ):
            ww = w.copy()
            if factor is None:  # the leader holds however far the probability moves
                ww[j] *= 1e6 if up else 1e-12
                lead = _leader(kept, npv, ww)
                assert _score(kept, npv, ww, lead) == pytest.approx(_score(kept, npv, ww, 0))
                continue
            ww[j] = w[j] * (factor * (1 + 1e-6) if up else 1 / (factor * (1 + 1e-6)))
            assert ids[_leader(kept, npv, ww)] == new
            ww[j] = w[j] * (factor * (1 - 1e-6) if up else 1 / (factor * (1 - 1e-6)))
            lead = _leader(kept, npv, ww)
            assert _score(kept, npv, ww, lead) == pytest.approx(_score(kept, npv, ww, 0))
    sens = probability_sensitivity(kept, npv, w, ids, names, draws=200, seed=1)
    d = sens.to_dict()
    rows_mc = d["monte_carlo"]["candidates"]
    assert sum(c["leads_share"] for c in rows_mc) == pytest.approx(1.0)
    assert sum(c["top3_share"] for c in rows_mc) == pytest.approx(min(3, n))
    assert all(c["top3_share"] >= c["leads_share"] for c in rows_mc)
    assert probability_sensitivity(kept, npv, w, ids, names, draws=200, seed=1).to_dict() == d


def test_one_scenario_is_refused() -> None:
    from corridor._errors import RequestError

    with pytest.raises(RequestError, match="single scenario"):
        probability_sensitivity(np.ones((2, 1)), np.ones(2), [1.0], ["a", "b"], ["s"])
