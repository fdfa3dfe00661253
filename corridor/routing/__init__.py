"""Routing on a :class:`~corridor.network.Network`: best paths under constraints.

Every function resolves site names, turns the constraints into masks over the CSR arrays (so the
network is never rebuilt), calls a numba kernel from :mod:`corridor._kernels` and wraps the
answer in :class:`Path` objects with sites, links, systems, countries, SRLGs, km and
milliseconds, and a :class:`RouteResult` that adds the pair's physical floor.

Constraints accepted by every routing call (keyword-only):

``status``
    Which links may be used: ``"existing"`` (default), ``"planned"`` (existing and planned),
    ``"all"`` (existing, planned and proposed), or an explicit collection of statuses.
``avoid``
    Site ids or names, link ids, system names, SRLG ids, or countries (ISO code or name) that a
    path must not touch. A country is avoided by dropping every site in it and every link that
    crosses it.
``via``
    Sites or countries that a path must pass through (in any order).
``max_latency_ms``
    Upper bound on a path's one-way latency.
``max_hops``
    Upper bound on the number of links in a path.
"""

from corridor.routing._core import (
    MAX_CANDIDATES,
    Constraints,
    Path,
    RouteResult,
    constraints,
    great_circle_km,
    make_path,
    prepare,
)
from corridor.routing.disjoint import (
    DISJOINT_MODES,
    SRLG_EXACT_MAX_ARCS,
    disjoint_pair,
    k_disjoint_paths,
)
from corridor.routing.paths import (
    batch_routes,
    diverse_paths,
    iter_shortest_paths,
    k_shortest_paths,
    overlap_share,
    shortest_path,
)

__all__ = [
    "DISJOINT_MODES",
    "MAX_CANDIDATES",
    "SRLG_EXACT_MAX_ARCS",
    "Constraints",
    "Path",
    "RouteResult",
    "batch_routes",
    "constraints",
    "disjoint_pair",
    "diverse_paths",
    "great_circle_km",
    "iter_shortest_paths",
    "k_disjoint_paths",
    "k_shortest_paths",
    "make_path",
    "overlap_share",
    "prepare",
    "shortest_path",
]
