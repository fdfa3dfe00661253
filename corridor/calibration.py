"""Fitting the expected-RTT parameters of the latency model to measured round trips.

A training file is a CSV with columns ``a``, ``b``, ``rtt_ms`` and optionally ``via`` and
``avoid`` (``;``-separated sites, countries, systems...: the route the figure was measured or
published for), ``status`` (links allowed, default ``existing``) and ``source``.

The fit
-------
Each pair's residual is ``log(model RTT / measured RTT)``; the parameters
(:data:`FIT_PARAMETERS`, with bounds) minimise the sum of a robust loss of the residuals
(``scipy.optimize.least_squares`` with ``soft_l1``, scale 0.05, i.e. about 5 % before a
residual counts linearly rather than quadratically, so one odd figure cannot pull the others).
Every evaluation re-routes every pair under the candidate parameters: the model RTT is the
expected RTT of the best path the model itself would choose under the pair's constraints.
Log ratios make a 10 % miss cost the same on a 50 ms and a 300 ms figure.

Three parameters are fitted (two terrain factors and the handoff delay): with about ten training
figures more would be guessed rather than fitted. The leave-one-out error refits without each
pair in turn and predicts it, which estimates the error on a pair the fit has not seen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor._errors import CorridorError, DataError
from corridor.latency import LatencyModel

if TYPE_CHECKING:
    from corridor.network import Network

__all__ = [
    "FIT_PARAMETERS",
    "Calibration",
    "Observation",
    "PairFit",
    "calibrate",
    "predict",
    "read_measured",
]

#: Fitted parameters and their bounds.
FIT_PARAMETERS: dict[str, tuple[float, float]] = {
    "service_factor_terrestrial": (1.0, 2.5),
    "service_factor_submarine": (1.0, 2.5),
    "handoff_ms": (0.0, 10.0),
}

#: Scale of the soft-L1 loss on log ratios (about 5 %).
LOSS_SCALE = 0.05


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured or published round trip and the route it was taken on."""

    a: str
    b: str
    rtt_ms: float
    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    status: str = "existing"
    source: str = ""


@dataclass(frozen=True, slots=True)
class PairFit:
    """The model against one training figure."""

    observation: Observation
    rtt_ms: float
    physical_rtt_ms: float
    floor_rtt_ms: float
    handoffs: int
    loo_rtt_ms: float = math.nan

    @property
    def error(self) -> float:
        """Relative error of the fitted model, ``rtt / measured - 1``."""
        return self.rtt_ms / self.observation.rtt_ms - 1.0

    @property
    def physical_error(self) -> float:
        """Relative error of the physical figure."""
        return self.physical_rtt_ms / self.observation.rtt_ms - 1.0

    @property
    def loo_error(self) -> float:
        """Relative error of the model fitted without this pair."""
        return self.loo_rtt_ms / self.observation.rtt_ms - 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        obs = self.observation

        def r(x: float) -> float | None:
            return round(x, 4) if math.isfinite(x) else None

        return {
            "a": obs.a,
            "b": obs.b,
            "via": list(obs.via),
            "avoid": list(obs.avoid),
            "status": obs.status,
            "measured_rtt_ms": obs.rtt_ms,
            "rtt_ms": r(self.rtt_ms),
            "physical_rtt_ms": r(self.physical_rtt_ms),
            "floor_rtt_ms": r(self.floor_rtt_ms),
            "handoffs": self.handoffs,
            "error": r(self.error),
            "physical_error": r(self.physical_error),
            "loo_rtt_ms": r(self.loo_rtt_ms),
            "loo_error": r(self.loo_error),
            "source": obs.source,
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """A fitted model with its residuals and leave-one-out errors."""

    model: LatencyModel
    pairs: tuple[PairFit, ...]
    cost: float

    @property
    def max_abs_error(self) -> float:
        """Largest relative miss on a training figure."""
        return max(abs(p.error) for p in self.pairs)

    @property
    def loo_median_abs_error(self) -> float:
        """Median relative leave-one-out miss."""
        return float(np.median([abs(p.loo_error) for p in self.pairs]))

    @property
    def loo_max_abs_error(self) -> float:
        """Largest relative leave-one-out miss."""
        return max(abs(p.loo_error) for p in self.pairs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (stored as ``fit`` in the model file)."""
        return {
            "method": (
                "scipy.optimize.least_squares on log(model/measured), soft_l1 loss, "
                f"f_scale={LOSS_SCALE}, bounds {FIT_PARAMETERS}"
            ),
            "fitted": {k: round(getattr(self.model, k), 6) for k in FIT_PARAMETERS},
            "max_abs_error": round(self.max_abs_error, 4),
            "loo_median_abs_error": round(self.loo_median_abs_error, 4),
            "loo_max_abs_error": round(self.loo_max_abs_error, 4),
            "pairs": [p.to_dict() for p in self.pairs],
        }


def _split(value: object) -> tuple[str, ...]:
    if not isinstance(value, str):
        return ()
    return tuple(x.strip() for x in value.replace(",", ";").split(";") if x.strip())


def read_measured(path: str | Path) -> list[Observation]:
    """Read a training CSV (``a,b,rtt_ms[,via,avoid,status,source]``).

    Raises
    ------
    DataError
        When the file cannot be read, lacks a required column or has a bad RTT, naming the row.
    """
    import pandas as pd

    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read the measured round trips: {exc}"
        raise DataError(msg) from None
    missing = [c for c in ("a", "b", "rtt_ms") if c not in table.columns]
    if missing:
        msg = f"{path}: missing column(s) {', '.join(missing)} (need a,b,rtt_ms)"
        raise DataError(msg)
    out = []
    for i, row in enumerate(table.to_dict("records"), start=2):
        try:
            rtt = float(row["rtt_ms"])
        except ValueError:
            rtt = math.nan
        if not (math.isfinite(rtt) and rtt > 0):
            msg = f"{path}: line {i}: rtt_ms must be a positive number, got {row['rtt_ms']!r}"
            raise DataError(msg)
        if not row["a"].strip() or not row["b"].strip():
            msg = f"{path}: line {i}: a and b must name sites"
            raise DataError(msg)
        out.append(
            Observation(
                a=row["a"].strip(),
                b=row["b"].strip(),
                rtt_ms=rtt,
                via=_split(row.get("via")),
                avoid=_split(row.get("avoid")),
                status=(row.get("status") or "existing").strip() or "existing",
                source=str(row.get("source", "")).strip(),
            )
        )
    if not out:
        msg = f"{path}: no measured round trips"
        raise DataError(msg)
    return out


def predict(net: Network, observations: Sequence[Observation]) -> list[PairFit]:
    """The network's best path for each observation under its constraints, as :class:`PairFit`.

    Raises
    ------
    CorridorError
        When a pair has no route or names an unknown site (the error names the pair).
    """
    from corridor.routing import shortest_path

    out = []
    for obs in observations:
        try:
            result = shortest_path(
                net,
                obs.a,
                obs.b,
                via=list(obs.via) or None,
                avoid=list(obs.avoid) or None,
                status=obs.status,
            )
        except CorridorError as exc:
            msg = f"training pair {obs.a} - {obs.b}: {exc}"
            raise type(exc)(msg) from None
        best = result.best
        out.append(
            PairFit(
                observation=obs,
                rtt_ms=best.rtt_ms,
                physical_rtt_ms=best.physical_rtt_ms,
                floor_rtt_ms=result.floor_rtt_ms,
                handoffs=best.handoffs,
            )
        )
    return out


def _fit(
    net: Network, observations: Sequence[Observation], base: LatencyModel
) -> tuple[LatencyModel, float]:
    from scipy.optimize import least_squares

    from corridor.network import with_model

    names = list(FIT_PARAMETERS)
    lower = np.array([FIT_PARAMETERS[k][0] for k in names])
    upper = np.array([FIT_PARAMETERS[k][1] for k in names])
    measured = np.array([o.rtt_ms for o in observations])

    def model_of(x: np.ndarray) -> LatencyModel:
        return replace(base, **{k: float(v) for k, v in zip(names, x, strict=True)})

    def residuals(x: np.ndarray) -> np.ndarray:
        fits = predict(with_model(net, model_of(x)), observations)
        return np.log(np.array([f.rtt_ms for f in fits]) / measured)

    x0 = np.clip(np.array([getattr(base, k) for k in names], dtype=float), lower, upper)
    x0 = np.clip(np.where(x0 == lower, lower + 0.1 * (upper - lower), x0), lower, upper)
    result = least_squares(
        residuals,
        x0,
        bounds=(lower, upper),
        loss="soft_l1",
        f_scale=LOSS_SCALE,
        diff_step=1e-3,
        x_scale=upper - lower,
    )
    return model_of(result.x), float(result.cost)


def calibrate(
    net: Network,
    observations: Sequence[Observation],
    *,
    base: LatencyModel | None = None,
    leave_one_out: bool = True,
) -> Calibration:
    """Fit :data:`FIT_PARAMETERS` to ``observations`` on ``net`` (see the module docstring).

    Parameters
    ----------
    net
        The network, built with the physical parameters to keep (group index, route factors,
        site delay).
    observations
        Training figures (:func:`read_measured`); at least as many as fitted parameters.
    base
        Parameters not fitted (e.g. ``inferred_penalty``); default ``net.model``.
    leave_one_out
        Also refit without each pair and predict it (one fit per pair).
    """
    from corridor._errors import RequestError
    from corridor.network import with_model

    if len(observations) < len(FIT_PARAMETERS):
        msg = (
            f"calibration needs at least {len(FIT_PARAMETERS)} measured pairs "
            f"(one per fitted parameter), got {len(observations)}"
        )
        raise RequestError(msg)
    base = base or net.model
    model, cost = _fit(net, observations, base)
    fits = predict(with_model(net, model), observations)
    if leave_one_out and len(observations) > len(FIT_PARAMETERS):
        loo = []
        for i, fit in enumerate(fits):
            rest = [o for j, o in enumerate(observations) if j != i]
            other, _ = _fit(net, rest, base)
            (pred,) = predict(with_model(net, other), [fit.observation])
            loo.append(replace(fit, loo_rtt_ms=pred.rtt_ms))
        fits = loo
    return Calibration(model=model, pairs=tuple(fits), cost=cost)
