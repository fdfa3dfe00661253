"""corridor: latency and route optimizer for the Europe - East Asia fiber corridor.

Load sites and links from GIS files, build an immutable :class:`Network`, and ask for the best,
k-best or disjoint routes under constraints. See the README for the command line.
"""

from __future__ import annotations

__version__ = "0.1.0"

from corridor._errors import (
    ConstraintError,
    CorridorError,
    DataError,
    DatasetNotFoundError,
    NoRouteError,
    RequestError,
    SearchLimitError,
    UnknownSiteError,
)
from corridor.latency import LatencyModel
from corridor.network import Network, build_network, load_network
from corridor.routing import Path, RouteResult, shortest_path

__all__ = [
    "ConstraintError",
    "CorridorError",
    "DataError",
    "DatasetNotFoundError",
    "LatencyModel",
    "Network",
    "NoRouteError",
    "Path",
    "RequestError",
    "RouteResult",
    "SearchLimitError",
    "UnknownSiteError",
    "__version__",
    "build_network",
    "load_network",
    "shortest_path",
]
