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

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.placement._names import DEFAULT_STATUS, DUAL_MODES, METHODS, OBJECTIVES
    from corridor.placement.core import place
    from corridor.placement.dual import disjoint_within
    from corridor.placement.maps import placement_map
    from corridor.placement.policy import Policy, PolicyError, load_policy, policy_from_mapping
    from corridor.placement.problem import (
        ASIA_REGIONS,
        CANDIDATE_KINDS,
        EUROPE_REGIONS,
        TIER_AVAILABILITY,
        PlacementProblem,
        default_candidates,
        default_demand,
        node_availability,
        placement_problem,
        read_demand,
    )
    from corridor.placement.result import (
        Assignment,
        CandidateScore,
        Placement,
        PlacementResult,
        SideStats,
    )
    from corridor.placement.solvers import (
        InfeasiblePlacementError,
        Solution,
        evaluate,
        solve_brute,
        solve_heuristic,
        solve_matrix,
        solve_milp,
    )

#: Where each public name lives; modules load on first use, so the command line can offer the
#: options without loading scipy's solvers or folium.
_LOCATION = {
    "ASIA_REGIONS": "corridor.placement.problem",
    "Assignment": "corridor.placement.result",
    "CANDIDATE_KINDS": "corridor.placement.problem",
    "CandidateScore": "corridor.placement.result",
    "DEFAULT_STATUS": "corridor.placement._names",
    "DUAL_MODES": "corridor.placement._names",
    "EUROPE_REGIONS": "corridor.placement.problem",
    "InfeasiblePlacementError": "corridor.placement.solvers",
    "METHODS": "corridor.placement._names",
    "OBJECTIVES": "corridor.placement._names",
    "Placement": "corridor.placement.result",
    "PlacementProblem": "corridor.placement.problem",
    "PlacementResult": "corridor.placement.result",
    "Policy": "corridor.placement.policy",
    "PolicyError": "corridor.placement.policy",
    "SideStats": "corridor.placement.result",
    "Solution": "corridor.placement.solvers",
    "TIER_AVAILABILITY": "corridor.placement.problem",
    "default_candidates": "corridor.placement.problem",
    "default_demand": "corridor.placement.problem",
    "disjoint_within": "corridor.placement.dual",
    "evaluate": "corridor.placement.solvers",
    "load_policy": "corridor.placement.policy",
    "node_availability": "corridor.placement.problem",
    "place": "corridor.placement.core",
    "placement_map": "corridor.placement.maps",
    "placement_problem": "corridor.placement.problem",
    "policy_from_mapping": "corridor.placement.policy",
    "read_demand": "corridor.placement.problem",
    "solve_brute": "corridor.placement.solvers",
    "solve_heuristic": "corridor.placement.solvers",
    "solve_matrix": "corridor.placement.solvers",
    "solve_milp": "corridor.placement.solvers",
}

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
    try:
        module = _LOCATION[name]
    except KeyError:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg) from None
    return getattr(importlib.import_module(module), name)
