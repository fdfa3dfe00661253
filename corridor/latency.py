"""The latency model: how many milliseconds a fiber link costs.

One-way latency of a link is ``length_km x route_factor x group_index / c``, and each site a route
passes through (not its two ends) adds ``site_delay_ms``. Round trip is twice the one-way time.

Defaults and their sources
--------------------------
``group_index = 1.4682``
    Effective group index of standard single-mode fiber (ITU-T G.652, e.g. Corning SMF-28) at
    1550 nm, from the manufacturer's data sheet; light then travels about 204,190 km/s, i.e.
    about 4.90 microseconds per km one way (the "~4.9 us/km" planning constant).
``route_factor_terrestrial = 1.10``
    Fiber length over the drawn geometry for land routes: the geometries follow road and rail
    corridors with waypoints, so the factor only covers what a drawing at this scale cannot show
    (local meanders, slack loops at splice points, access to buildings). A modelling assumption,
    documented and overridable.
``route_factor_submarine = 1.05``
    Submarine cables are laid with a few percent of slack over the sea-bed route (typically 2 to
    8 percent in deep water) and our waypoints smooth the real route; a modelling assumption.
``site_delay_ms = 0.05``
    Equipment delay at each intermediate site (optical add/drop, regeneration or a switching hop):
    tens of microseconds for optical pass-through and more for electrical regeneration; a
    modelling assumption, configurable per site in the data (``delay_ms``) or globally.

Expected service RTT (the calibrated part)
------------------------------------------
The figure above is *physical*: fiber along the drawn route, a lower bound for what a service
delivers. The *expected* figure adds what the drawing and the glass do not show, with few
parameters because the published round trips that can train them are few (see
``data/calibration/published_rtt.csv``):

``service_factor_terrestrial``, ``service_factor_submarine``
    Multipliers on a link's physical latency, one per terrain kind (land cables meander along
    roads and rail, pass through operator PoPs and are often drawn straight between far
    waypoints; sea cables follow surveyed routes). A per-km regeneration delay is proportional
    to length too, so on these data it cannot be told apart from the factor and is folded in.
    Fitted (default 1.0: the physical figure).
``handoff_ms``
    One-way delay at each change of system (operator) along a path: back-to-back transponders,
    an IP hop or a cross-connect at an exchange. Fitted (default 0.0).
``inferred_penalty``
    Extra multiplier on links whose ``confidence`` is ``inferred`` (fiber likely, exact route
    not published): an unknown route is longer than a straight guess more often than not. A
    documented modelling assumption, 1.10 in the shipped model, not fitted: the training
    figures cannot separate it from the factors.

``site_delay_ms`` (equipment per intermediate site) is shared by both figures. The expected
figure of a path is the sum of its links' expected latencies, the site delays and one
``handoff_ms`` per change of ``system`` between consecutive links. Routing minimises the arc
weights (expected link latency plus site delay); the handoffs are added to the path found
(post hoc), so a path with fewer handoffs can be ranked behind one with more.
:func:`corridor.routing.service.service_path` (``corridor route --rank service``) minimises the
whole expected figure instead, handoffs counted in the search. Latency caps
(``max_latency_ms``, ``--max-rtt``) always apply to the expected figure, handoffs included, and
are exact: a capped search never returns a path over the cap nor misses one under it.

The physical floor of a pair of sites is the great-circle (geodesic) distance at the speed of light
in fiber with no route factor and no equipment delay; ``stretch = route / floor`` is reported with
every route. No route can beat its floor: the tests check it on every pair of shipped cities.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from corridor._errors import DataError, RequestError

#: A number or an array of numbers (the model's formulas work on both).
FloatOrArray = TypeVar("FloatOrArray", float, np.ndarray)

__all__ = [
    "DEFAULT_MODEL_PATH",
    "MODEL_FORMAT",
    "SPEED_OF_LIGHT_KM_S",
    "LatencyModel",
    "default_model",
    "load_model",
    "save_model",
]

#: The shipped model, fitted on published operator round trips (``corridor calibrate``).
#: Written by ``corridor calibrate --measured data/calibration/published_rtt.csv --output ...``.
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "default_model.json"
#: ``format`` entry of a model file.
MODEL_FORMAT = "corridor-latency-model"

#: Speed of light in vacuum, km/s (exact by definition of the metre).
SPEED_OF_LIGHT_KM_S = 299_792.458


@dataclass(frozen=True, slots=True)
class LatencyModel:
    """Parameters of the latency model (see the module docstring for the sources)."""

    group_index: float = 1.4682
    route_factor_terrestrial: float = 1.10
    route_factor_submarine: float = 1.05
    site_delay_ms: float = 0.05
    service_factor_terrestrial: float = 1.0
    service_factor_submarine: float = 1.0
    handoff_ms: float = 0.0
    inferred_penalty: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                msg = f"latency model: {f.name} must be a finite number, got {value!r}"
                raise RequestError(msg)
            bound = 0.0 if f.name in _NONNEGATIVE else 1.0
            if value < bound:
                msg = f"latency model: {f.name} must be >= {bound:g}, got {value!r}"
                raise RequestError(msg)

    @property
    def is_physical(self) -> bool:
        """Expected and physical figures coincide (no service factors, handoffs or penalty)."""
        return (
            self.service_factor_terrestrial == 1.0
            and self.service_factor_submarine == 1.0
            and self.handoff_ms == 0.0
            and self.inferred_penalty == 1.0
        )

    def service_factor(self, kind: str) -> float:
        """Expected-over-physical multiplier of a link of ``kind``."""
        if kind == "submarine":
            return self.service_factor_submarine
        return self.service_factor_terrestrial

    def expected_link_ms(
        self, physical_ms: np.ndarray, *, kinds: np.ndarray, inferred: np.ndarray
    ) -> np.ndarray:
        """Expected one-way latency of links from their physical latency, kind and confidence."""
        factor = np.where(
            np.asarray(kinds, dtype=object) == "submarine",
            self.service_factor_submarine,
            self.service_factor_terrestrial,
        )
        penalty = np.where(np.asarray(inferred, dtype=bool), self.inferred_penalty, 1.0)
        return np.asarray(physical_ms, dtype=float) * factor * penalty

    def to_dict(self) -> dict[str, float]:
        """The parameters by name."""
        return {k: float(v) for k, v in asdict(self).items()}

    @property
    def ms_per_km(self) -> float:
        """One-way milliseconds per km of fiber (about 0.004897 by default)."""
        return self.group_index / SPEED_OF_LIGHT_KM_S * 1000.0

    def route_factor(self, kind: str) -> float:
        """Default route factor for a link of ``kind`` (``terrestrial`` or ``submarine``)."""
        if kind == "submarine":
            return self.route_factor_submarine
        return self.route_factor_terrestrial

    def link_ms(self, length_km: FloatOrArray, *, route_factor: FloatOrArray) -> FloatOrArray:
        """One-way latency of a link of the given drawn length (numbers or arrays)."""
        return length_km * route_factor * self.ms_per_km

    def floor_ms(self, great_circle_km: FloatOrArray) -> FloatOrArray:
        """One-way physical floor: great-circle distance at the speed of light in fiber."""
        return great_circle_km * self.ms_per_km

    def with_options(self, **changes: float | None) -> LatencyModel:
        """A copy with some parameters changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_NONNEGATIVE = frozenset({"site_delay_ms", "handoff_ms"})


def save_model(model: LatencyModel, path: str | Path, *, fit: dict[str, Any] | None = None) -> None:
    """Write ``model`` (and optionally its fit report) as a JSON model file, atomically."""
    from corridor._atomic import write_atomic

    data: dict[str, Any] = {"format": MODEL_FORMAT, "version": 1, "parameters": model.to_dict()}
    if fit is not None:
        data["fit"] = fit
    write_atomic(path, json.dumps(data, indent=2) + "\n", what="latency model")


def load_model(path: str | Path) -> LatencyModel:
    """Read a model file written by :func:`save_model` (``corridor calibrate``).

    Raises
    ------
    DataError
        When the file cannot be read, is not a model file or holds an unknown or bad parameter.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path}: cannot read the latency model: {exc}"
        raise DataError(msg) from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        msg = f'{path}: not a latency model file (no "format": "{MODEL_FORMAT}")'
        raise DataError(msg)
    params = data.get("parameters")
    known = {f.name for f in fields(LatencyModel)}
    if not isinstance(params, dict) or set(params) - known:
        unknown = sorted(set(params) - known) if isinstance(params, dict) else ["parameters"]
        msg = f"{path}: unknown latency-model parameters {', '.join(unknown)}"
        raise DataError(msg)
    try:
        return LatencyModel(**params)
    except RequestError as exc:
        msg = f"{path}: {exc}"
        raise DataError(msg) from None


@functools.cache
def default_model() -> LatencyModel:
    """The shipped calibrated model (:data:`DEFAULT_MODEL_PATH`), physical if it is absent."""
    if not DEFAULT_MODEL_PATH.is_file():
        return LatencyModel()
    return load_model(DEFAULT_MODEL_PATH)
