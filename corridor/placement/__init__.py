"""Placement analysis: where to put a data mirror, a data center or a neutral exchange point.

Users in Europe and in East Asia should reach the chosen node(s) fast, over resilient paths,
without their traffic crossing excluded jurisdictions. :func:`place` answers for ``p = 1..P``
nodes among candidate sites (by default the cities, data centers and exchange points of a
country, e.g. Kazakhstan), for three objectives:

* ``"median"`` (p-median): minimise the demand-weighted mean round trip to the nearest node;
* ``"center"`` (p-center): minimise the worst round trip;
* ``"coverage"`` (maximal covering): maximise the demand served within an RTT SLA.

The demand x candidate RTT matrix comes from one batch Dijkstra kernel call
(:func:`corridor._kernels.dijkstra.dijkstra_many`); the choice is exact with
:func:`scipy.optimize.milp` for data-set sizes (:mod:`corridor.placement.solvers`) and a greedy +
Teitz-Bart interchange heuristic for large inputs. Options: dual homing (two link- or
SRLG-disjoint paths within the SLA, :mod:`corridor.placement.dual`), node availability (Uptime
Institute Tier IV / III or a fraction) combined with path availability
(:mod:`corridor.resilience.availability`), and jurisdiction policies from TOML files
(:mod:`corridor.placement.policy`, examples in ``data/policies/``).
"""

from __future__ import annotations

from corridor.placement.core import (
    ASIA_REGIONS,
    CANDIDATE_KINDS,
    DEFAULT_STATUS,
    EUROPE_REGIONS,
    TIER_AVAILABILITY,
    Assignment,
    CandidateScore,
    Placement,
    PlacementProblem,
    PlacementResult,
    SideStats,
    default_candidates,
    default_demand,
    node_availability,
    place,
    placement_problem,
    read_demand,
)
from corridor.placement.dual import DUAL_MODES, disjoint_within
from corridor.placement.policy import Policy, PolicyError, load_policy, policy_from_mapping
from corridor.placement.solvers import (
    METHODS,
    OBJECTIVES,
    InfeasiblePlacementError,
    Solution,
    evaluate,
    solve_brute,
    solve_heuristic,
    solve_matrix,
    solve_milp,
)

__all__ = [
    "ASIA_REGIONS",
    "CANDIDATE_KINDS",
    "DEFAULT_STATUS",
    "DUAL_MODES",
    "EUROPE_REGIONS",
    "METHODS",
    "OBJECTIVES",
    "TIER_AVAILABILITY",
    "Assignment",
    "CandidateScore",
    "InfeasiblePlacementError",
    "Placement",
    "PlacementProblem",
    "PlacementResult",
    "Policy",
    "PolicyError",
    "SideStats",
    "Solution",
    "default_candidates",
    "default_demand",
    "disjoint_within",
    "evaluate",
    "load_policy",
    "node_availability",
    "place",
    "placement_map",
    "placement_problem",
    "policy_from_mapping",
    "read_demand",
    "solve_brute",
    "solve_heuristic",
    "solve_matrix",
    "solve_milp",
]


def __getattr__(name: str) -> object:
    # the map needs folium, which is loaded only when a placement map is drawn
    if name == "placement_map":
        from corridor.placement.maps import placement_map

        return placement_map
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
