"""Resilience analysis: failure sweeps, availability, and path diversity.

* :func:`sweep` fails every link, SRLG, country, site or pair of links in turn and re-answers
  a set of OD pairs (incrementally: only pairs whose route is hit are recomputed).
* :mod:`corridor.resilience.availability` turns cut rates and repair times into path and
  protected-pair availability, compared with the Uptime Institute Tier IV bar.
* :func:`diversity` measures how different a set of paths is (shared links, SRLGs and
  countries, geographic separation, effective path diversity).
"""

from __future__ import annotations

from corridor.resilience.availability import (
    TIER_IV_AVAILABILITY,
    TIER_IV_DOWNTIME_MIN,
    AvailabilityModel,
    Protection,
    downtime_minutes,
    path_availability,
    paths_availability,
    protection,
)
from corridor.resilience.diversity import Diversity, diversity, diversity_rows
from corridor.resilience.scenarios import SCENARIO_KINDS, Scenario, build_scenarios
from corridor.resilience.sweep import SweepResult, default_pairs, sweep

__all__ = [
    "SCENARIO_KINDS",
    "TIER_IV_AVAILABILITY",
    "TIER_IV_DOWNTIME_MIN",
    "AvailabilityModel",
    "Diversity",
    "Protection",
    "Scenario",
    "SweepResult",
    "build_scenarios",
    "default_pairs",
    "diversity",
    "diversity_rows",
    "downtime_minutes",
    "path_availability",
    "paths_availability",
    "protection",
    "sweep",
]
