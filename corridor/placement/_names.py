"""Option values of the placement analysis, kept apart so the command line can offer them
without loading the solvers."""

from __future__ import annotations

#: Objectives: p-median, p-center, maximal covering.
OBJECTIVES = ("median", "center", "coverage")
#: Solution methods (``auto`` picks the exact MILP when the problem is small enough).
METHODS = ("auto", "milp", "heuristic", "brute")
#: Dual-homing modes: two link-disjoint or SRLG-disjoint paths.
DUAL_MODES = ("link", "srlg")
#: Default link status for placement: existing and planned links, so that planned sites (the
#: Akashi data center in Astana, reached only over its planned access links) are reachable.
DEFAULT_STATUS = "planned"
