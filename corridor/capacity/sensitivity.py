"""Sensitivity of the traffic ranking to the scenario probabilities (no new flows).

A candidate's score in :func:`corridor.capacity.invest.rank_by_traffic` is
``sum_s w_s k_is / sum_s w_s / npv_i``: its Tbps kept per scenario ``k_is`` weighted by the
scenario probabilities ``w_s``, per EUR m of lifetime cost. The denominator ``sum_s w_s`` is
the same for every candidate, so the order only depends on the numerators, which are linear
in each weight. Multiplying one scenario's probability by ``t`` makes every candidate's
numerator a line in ``t``; the leader changes where another candidate's line crosses the
leader's, computed exactly (:func:`leader_thresholds`).

A seeded Monte Carlo (:func:`probability_monte_carlo`) multiplies every probability by an
independent log-uniform factor in ``[1/spread, spread]`` and counts, per candidate, the share
of draws in which it leads and in which it is in the top 3.

With one scenario the ranking does not depend on its probability (it cancels out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor._errors import RequestError

__all__ = [
    "LeaderThreshold",
    "ProbabilitySensitivity",
    "leader_thresholds",
    "probability_monte_carlo",
    "probability_sensitivity",
]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


@dataclass(frozen=True)
class LeaderThreshold:
    """How far one scenario's probability may move before the leader changes.

    ``multiply_by``: the smallest factor above 1 at which another candidate leads
    (``leader_up``); ``None`` when none ever does. ``divide_by``: likewise for dividing
    (``leader_down``); ``None`` when the leader stays even at probability 0.
    """

    scenario: str
    multiply_by: float | None
    leader_up: str | None
    divide_by: float | None
    leader_down: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "scenario": self.scenario,
            "multiply_by": _round(self.multiply_by),
            "leader_then": self.leader_up,
            "divide_by": _round(self.divide_by),
            "leader_then_divided": self.leader_down,
        }


@dataclass(frozen=True)
class ProbabilitySensitivity:
    """Answer of :func:`probability_sensitivity`."""

    leader: str
    thresholds: tuple[LeaderThreshold, ...]
    draws: int
    seed: int
    spread: float
    leads_share: dict[str, float]
    top3_share: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (Monte Carlo rows by share leading, then in the top 3)."""
        ids = sorted(
            set(self.leads_share) | set(self.top3_share),
            key=lambda i: (-self.leads_share.get(i, 0.0), -self.top3_share.get(i, 0.0), i),
        )
        return {
            "leader": self.leader,
            "thresholds": [t.to_dict() for t in self.thresholds],
            "monte_carlo": {
                "draws": self.draws,
                "seed": self.seed,
                "factor": f"log-uniform in [1/{self.spread:g}, {self.spread:g}] per scenario",
                "candidates": [
                    {
                        "id": i,
                        "leads_share": round(self.leads_share.get(i, 0.0), 6),
                        "top3_share": round(self.top3_share.get(i, 0.0), 6),
                    }
                    for i in ids
                ],
            },
        }


def _validate(kept: np.ndarray, npv: np.ndarray, weights: np.ndarray, ids: Sequence[str]) -> None:
    if kept.ndim != 2 or kept.shape != (len(ids), len(weights)) or npv.shape != (len(ids),):
        msg = "kept must be candidates x scenarios, npv and ids one per candidate"
        raise RequestError(msg)
    if not (np.isfinite(weights).all() and (weights > 0).all()):
        msg = "scenario weights must be > 0"
        raise RequestError(msg)


def _per_eur(kept: np.ndarray, npv: np.ndarray) -> np.ndarray:
    """Tbps kept per scenario and EUR m (0 for a candidate of no cost: ranked by nothing)."""
    out = np.zeros_like(kept, dtype=float)
    ok = npv > 0
    out[ok] = kept[ok] / npv[ok, None]
    return out


def leader_thresholds(
    kept: np.ndarray,
    npv: np.ndarray,
    weights: Sequence[float],
    ids: Sequence[str],
    names: Sequence[str],
) -> tuple[LeaderThreshold, ...]:
    """Per scenario, the factor on its probability at which the leader (row 0) changes.

    ``kept`` is candidates x scenarios, rows in ranking order (row 0 leads); exact crossing of
    the linear scores (module docstring).
    """
    w = np.asarray(weights, dtype=float)
    kept = np.asarray(kept, dtype=float)
    npv = np.asarray(npv, dtype=float)
    _validate(kept, npv, w, ids)
    per = _per_eur(kept, npv)
    out = []
    for s, name in enumerate(names):
        b = per[:, s] * w[s]  # slope in t
        a = per @ w - b  # the other scenarios
        up: tuple[float, int] | None = None
        down: tuple[float, int] | None = None
        for i in range(1, len(ids)):
            if b[i] == b[0]:
                continue
            t = (a[0] - a[i]) / (b[i] - b[0])
            if b[i] > b[0] and t >= 1.0 - 1e-12 and (up is None or t < up[0]):
                up = (max(t, 1.0), i)
            if b[i] < b[0] and 0.0 < t <= 1.0 + 1e-12 and (down is None or t > down[0]):
                down = (min(t, 1.0), i)
        out.append(
            LeaderThreshold(
                scenario=name,
                multiply_by=None if up is None else up[0],
                leader_up=None if up is None else _leader_at(a, b, up[0] * (1 + 1e-9), ids),
                divide_by=None if down is None else 1.0 / down[0],
                leader_down=None if down is None else _leader_at(a, b, down[0] * (1 - 1e-9), ids),
            )
        )
    return tuple(out)


def _leader_at(a: np.ndarray, b: np.ndarray, t: float, ids: Sequence[str]) -> str:
    return ids[int(np.argmax(a + t * b))]


def probability_monte_carlo(
    kept: np.ndarray,
    npv: np.ndarray,
    weights: Sequence[float],
    ids: Sequence[str],
    *,
    draws: int = 1000,
    seed: int = 0,
    spread: float = 3.0,
) -> tuple[dict[str, float], dict[str, float]]:
    """Share of draws in which each candidate leads, and is in the top 3 (module docstring).

    Ties go to the earlier row (the ranking order). Candidates never leading or in the top 3
    are left out.
    """
    w = np.asarray(weights, dtype=float)
    kept = np.asarray(kept, dtype=float)
    npv = np.asarray(npv, dtype=float)
    _validate(kept, npv, w, ids)
    if draws < 1 or not (math.isfinite(spread) and spread >= 1.0):
        msg = f"draws must be >= 1 and spread >= 1, got {draws}, {spread}"
        raise RequestError(msg)
    rng = np.random.default_rng(seed)
    factors = np.exp(rng.uniform(-math.log(spread), math.log(spread), size=(draws, len(w))))
    scores = (factors * w) @ _per_eur(kept, npv).T  # draws x candidates (common denominator)
    order = np.argsort(-scores, axis=1, kind="stable")
    lead = np.bincount(order[:, 0], minlength=len(ids)) / draws
    top3 = np.bincount(order[:, :3].ravel(), minlength=len(ids)) / draws
    return (
        {ids[int(i)]: float(lead[i]) for i in np.flatnonzero(lead)},
        {ids[int(i)]: float(top3[i]) for i in np.flatnonzero(top3)},
    )


def probability_sensitivity(
    kept: np.ndarray,
    npv: np.ndarray,
    weights: Sequence[float],
    ids: Sequence[str],
    names: Sequence[str],
    *,
    draws: int = 1000,
    seed: int = 0,
    spread: float = 3.0,
) -> ProbabilitySensitivity:
    """Thresholds and Monte Carlo together (rows in ranking order, at least 2 scenarios)."""
    if len(names) < 2:
        msg = "the ranking does not depend on the probability of a single scenario"
        raise RequestError(msg)
    lead, top3 = probability_monte_carlo(
        kept, npv, weights, ids, draws=draws, seed=seed, spread=spread
    )
    return ProbabilitySensitivity(
        leader=ids[0],
        thresholds=leader_thresholds(kept, npv, weights, ids, names),
        draws=draws,
        seed=seed,
        spread=spread,
        leads_share=lead,
        top3_share=top3,
    )
