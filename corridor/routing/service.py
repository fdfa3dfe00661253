"""Routes ranked by expected service latency: handoffs counted in the search, not after it.

The route search of :mod:`corridor.routing.paths` minimises the arc weights (expected link
latency plus site delays) and adds ``handoff_ms`` for each change of system to the path it
found (see :mod:`corridor.latency`). :func:`service_path` minimises the whole expected figure,
handoffs included (:mod:`corridor._kernels.service`): its route can have fewer changes of system
and a lower expected round trip than the fiber-ranked one. Its cost is also a proof: no path
has a lower expected latency, so a latency cap below it has no route.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

import numpy as np

from corridor._errors import NoRouteError
from corridor._kernels.service import service_dijkstra
from corridor.network import Network
from corridor.routing._core import Path, RouteResult, _Request, _result, make_path, prepare

__all__ = ["service_path"]


def arc_systems(net: Network) -> np.ndarray:
    """Integer system code of every arc (its link's), for the service kernel."""
    codes = net.lookup.link_system_code
    if len(codes) == 0:
        return np.arange(len(net.head), dtype=np.int64)  # no systems known: every arc its own
    return np.ascontiguousarray(codes[net.arc_link], dtype=np.int64)


def least_expected(req: _Request) -> Path | None:
    """The path of least expected one-way latency under ``req``'s masks (None: unreachable).

    Path-level constraints (via, hops, latency cap) are not applied here.
    """
    net = req.net
    cost, arcs = service_dijkstra(
        net.indptr,
        net.head,
        net.weight,
        arc_systems(net),
        req.arc_ok,
        req.node_ok,
        req.s,
        req.t,
        float(net.model.handoff_ms),
    )
    if not math.isfinite(cost):
        return None
    return make_path(net, req.s, _erase_loops(net, req.s, arcs), req.floor_ms)


def _erase_loops(net: Network, source: int, arcs: np.ndarray) -> np.ndarray:
    """Cut every return to a site out of a walk (only zero-weight arcs can make one best).

    Switching systems at the site directly costs at most one handoff, which the cut loop never
    undercuts (module docstring of :mod:`corridor._kernels.service`), so the cost stays least.
    """
    heads = net.head[arcs]
    if len(np.unique(heads)) == len(heads) and source not in heads:
        return arcs
    kept: list[int] = []
    where = {source: 0}
    for a, v in zip(arcs.tolist(), heads.tolist(), strict=True):
        if v in where:  # back at v: drop the loop since v was first reached
            cut = where[v]
            for b in kept[cut:]:
                del where[int(net.head[b])]
            del kept[cut:]
            continue
        kept.append(a)
        where[v] = len(kept)
    return np.asarray(kept, dtype=np.int64)


def service_path(
    net: Network,
    source: str,
    target: str,
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
) -> RouteResult:
    """The route of least expected service latency (handoffs counted in the search).

    Exact for the latency model of the network: no loopless path has a lower expected one-way
    latency (``one_way_ms``). ``max_latency_ms`` caps that figure; when the best route is over
    it, no route meets it (proven). Via sites and hop limits are not supported here (use
    :func:`corridor.routing.shortest_path`, which ranks by arc weights).

    Raises
    ------
    UnknownSiteError, ConstraintError
        As :func:`corridor.routing.shortest_path`.
    NoRouteError
        When no path satisfies the request.
    """
    req = prepare(net, source, target, status=status, avoid=avoid, max_latency_ms=max_latency_ms)
    best = least_expected(req)
    if best is None:
        from corridor.routing._core import _explain_no_route

        raise NoRouteError(_explain_no_route(req))
    cap = req.cons.max_latency_ms
    if cap is not None and best.one_way_ms > cap + 1e-9:
        msg = (
            f"no route from {req.source} to {req.target} within {cap:g} ms one way: the route "
            f"of least expected latency takes {best.one_way_ms:.2f} ms (proven)"
        )
        raise NoRouteError(msg)
    note = (
        f"ranked by expected service latency: {net.model.handoff_ms:.2f} ms one way per change "
        "of system counted in the search"
    )
    return _result(req, [best], [note])
