"""Capacity, traffic and stress scenarios: what the network carries, and when a corridor closes.

- :mod:`corridor.capacity.capacities`: usable Tbps per link, with documented defaults;
- :mod:`corridor.capacity.demand`: the origin-destination matrix (gravity model or CSV);
- :mod:`corridor.capacity.flow`: multi-commodity flow (max carried, max concurrent share, min
  max utilisation, with an optional RTT SLA) by column generation on HiGHS;
- :mod:`corridor.capacity.scenarios`: the shipped stress scenarios (``data/scenarios``) and a
  Monte Carlo over them.
"""

from __future__ import annotations

from corridor.capacity.capacities import LinkCapacities, default_capacity, link_capacities
from corridor.capacity.demand import DEFAULT_TOTAL_TBPS, ODMatrix, gravity_demand, read_demand_csv
from corridor.capacity.flow import (
    CORRIDORS,
    OBJECTIVES,
    FlowResult,
    classify_corridor,
    multicommodity_flow,
)

__all__ = [
    "CORRIDORS",
    "DEFAULT_TOTAL_TBPS",
    "OBJECTIVES",
    "FlowResult",
    "LinkCapacities",
    "ODMatrix",
    "classify_corridor",
    "default_capacity",
    "gravity_demand",
    "link_capacities",
    "multicommodity_flow",
    "read_demand_csv",
]
