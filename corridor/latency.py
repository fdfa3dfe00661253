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

The physical floor of a pair of sites is the great-circle (geodesic) distance at the speed of light
in fiber with no route factor and no equipment delay; ``stretch = route / floor`` is reported with
every route. No route can beat its floor: the tests check it on every pair of shipped cities.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from corridor._errors import RequestError

#: A number or an array of numbers (the model's formulas work on both).
FloatOrArray = TypeVar("FloatOrArray", float, np.ndarray)

__all__ = ["SPEED_OF_LIGHT_KM_S", "LatencyModel"]

#: Speed of light in vacuum, km/s (exact by definition of the metre).
SPEED_OF_LIGHT_KM_S = 299_792.458


@dataclass(frozen=True, slots=True)
class LatencyModel:
    """Parameters of the latency model (see the module docstring for the sources)."""

    group_index: float = 1.4682
    route_factor_terrestrial: float = 1.10
    route_factor_submarine: float = 1.05
    site_delay_ms: float = 0.05

    def __post_init__(self) -> None:
        for name in ("group_index", "route_factor_terrestrial", "route_factor_submarine"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                msg = f"latency model: {name} must be a number, got {value!r}"
                raise RequestError(msg)
        if isinstance(self.site_delay_ms, bool) or not isinstance(self.site_delay_ms, int | float):
            msg = f"latency model: site_delay_ms must be a number, got {self.site_delay_ms!r}"
            raise RequestError(msg)
        checks = {
            "group_index": self.group_index >= 1.0,
            "route_factor_terrestrial": self.route_factor_terrestrial >= 1.0,
            "route_factor_submarine": self.route_factor_submarine >= 1.0,
            "site_delay_ms": self.site_delay_ms >= 0.0,
        }
        for name, ok in checks.items():
            if not ok:
                value = getattr(self, name)
                bound = ">= 0" if name == "site_delay_ms" else ">= 1"
                msg = f"latency model: {name} must be {bound}, got {value!r}"
                raise RequestError(msg)

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

    def with_options(self, **changes: float) -> LatencyModel:
        """A copy with some parameters changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
