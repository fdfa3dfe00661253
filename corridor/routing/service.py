"""Routes ranked by expected service latency: handoffs counted in the search, not after it.

The route search of :mod:`corridor.routing.paths` minimises the arc weights (expected link
latency plus site delays) and adds ``handoff_ms`` for each change of system to the path it
found (see :mod:`corridor.latency`). :func:`service_path` minimises the whole expected figure,
handoffs included (:mod:`corridor._kernels.service`): its route can have fewer changes of system
and a lower expected round trip than the fiber-ranked one. Its cost is also a proof: no path
has a lower expected latency, so a latency cap below it has no route.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import Collection, Iterable, Iterator

import numpy as np

from corridor._errors import NoRouteError, SearchLimitError
from corridor._kernels.service import service_dijkstra
from corridor.network import Network
from corridor.routing._core import (
    Path,
    RouteResult,
    _Request,
    _result,
    make_path,
    prepare,
)
from corridor.routing.constrained import DEFAULT_TIME_LIMIT_S

__all__ = ["SERVICE_EXPANSIONS", "k_service_paths", "service_path"]


def arc_systems(net: Network) -> np.ndarray:
    """Integer system code of every arc (its link's), for the handoff-aware searches.

    With no systems known every arc has the same code: no change of system, no handoff, as
    :attr:`corridor.routing.Path.handoffs` counts them.
    """
    codes = net.lookup.link_system_code
    if len(codes) == 0:
        return np.zeros(len(net.head), dtype=np.int64)
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


#: Partial routes :func:`k_service_paths` expands at most before it stops and says how far
#: its order is proven.
SERVICE_EXPANSIONS = 2_000_000


class _StoppedError(Exception):
    """The search of :func:`_expected_order` met its time or size limit."""

    def __init__(self, why: str, bound: float) -> None:
        super().__init__(why)
        self.why = why
        self.bound = bound  # every route not yet yielded takes at least this (one way, ms)


def _expected_order(
    req: _Request, *, by: str, time_limit_s: float, max_expansions: int
) -> Iterator[Path]:
    """Loopless routes meeting ``req``'s constraints, in nondecreasing expected latency.

    A best-first search over partial routes (sequences of arcs that visit no site twice),
    ranked by what they cost so far plus a bound on the rest: the least expected cost from the
    last arc to the target over walks that still touch every via item (a Dijkstra over states
    "arrived over this arc, with these via items touched", on the reversed graph; a step costs
    the next arc's weight plus a handoff when the system changes). The bound is admissible and
    consistent, so complete routes come out in order. With ``by="site"`` each site sequence
    comes out once, on its cables of least expected latency: partial routes with the same
    sites, last system and via items have the same futures, and only the cheapest is expanded.
    Raises :class:`_StoppedError` when a limit is met.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra as sp_dijkstra

    from corridor.routing.constrained import via_cover_bits

    net = req.net
    cons = req.cons
    h = float(net.model.handoff_ms)
    systems = arc_systems(net)
    cover, site_cover, need = via_cover_bits(
        net, cons.via_sites, cons.via_countries, cons.via_links
    )
    layers = need + 1
    usable = req.arc_ok & req.node_ok[net.tail] & req.node_ok[net.head]
    usable &= net.head != req.s  # a loopless route never returns to its source
    arcs = np.flatnonzero(usable)
    by_tail = {int(v): arcs[net.tail[arcs] == v] for v in np.unique(net.tail[arcs])}
    none = np.empty(0, dtype=np.int64)
    # the bound's graph: state (arc, via mask); a step from arc a to an arc b leaving a's head
    pairs = [
        (np.full(len(out), a), out)
        for a in arcs[net.head[arcs] != req.t].tolist()
        if len(out := by_tail.get(int(net.head[a]), none))
    ]
    ta = np.concatenate([p[0] for p in pairs]) if pairs else none
    tb = np.concatenate([p[1] for p in pairs]) if pairs else none
    step = np.maximum(net.weight[tb] + h * (systems[ta] != systems[tb]), 1e-12)  # no zeros
    masks = np.arange(layers)
    size = len(net.head) * layers
    graph = coo_matrix(
        (
            np.repeat(step, layers),
            (
                (ta[:, None] * layers + masks[None, :]).ravel(),
                (tb[:, None] * layers + (masks[None, :] | cover[tb][:, None])).ravel(),
            ),
        ),
        shape=(size, size),
    ).tocsr()
    ends = arcs[net.head[arcs] == req.t] * layers + need
    if len(ends) == 0:
        return
    togo = sp_dijkstra(graph.T.tocsr(), directed=True, indices=ends, min_only=True)
    cap = math.inf if cons.max_latency_ms is None else cons.max_latency_ms + 1e-9
    offset = float(net.site_delay[req.t])  # one way = arc weights + handoffs - target delay
    hops = cons.max_hops
    deadline = time.perf_counter() + time_limit_s
    # heap entries: (estimate, tie, spent, arcs so far, sites so far, via mask)
    heap: list[tuple[float, int, float, tuple[int, ...], tuple[int, ...], int]] = []
    tie = itertools.count()

    def push(g: float, path: tuple[int, ...], sites: tuple[int, ...], m: int) -> None:
        b = path[-1]
        if sites[-1] == req.t:
            est = g if m == need else math.inf
        else:
            est = g + float(togo[b * layers + m])
        if math.isfinite(est) and est - offset <= cap:  # infinite: no way on from here
            heapq.heappush(heap, (est, next(tie), g, path, sites, m))

    start = int(site_cover[req.s])
    for b in by_tail.get(req.s, none).tolist():
        push(float(net.weight[b]), (b,), (req.s, int(net.head[b])), start | int(cover[b]))
    done: set[tuple[tuple[int, ...], int, int]] = set()
    yielded: set[tuple[int, ...]] = set()
    expanded = 0
    while heap:
        est, _, g, path, sites, m = heapq.heappop(heap)
        last = path[-1]
        if sites[-1] == req.t:
            if by == "site":
                if sites in yielded:
                    continue
                yielded.add(sites)
            yield make_path(net, req.s, np.asarray(path, dtype=np.int64), req.floor_ms)
            continue
        if by == "site":
            key = (sites, int(systems[last]), m)
            if key in done:
                continue
            done.add(key)
        expanded += 1
        if expanded > max_expansions:
            why = f"stopped after expanding {max_expansions:,} partial routes"
            raise _StoppedError(why, est - offset)
        if expanded % 2048 == 0 and time.perf_counter() > deadline:
            raise _StoppedError(f"stopped after {time_limit_s:g} s", est - offset)
        if hops is not None and len(path) >= hops:
            continue
        on = set(sites)
        for b in by_tail.get(sites[-1], none).tolist():
            v = int(net.head[b])
            if v not in on:
                g2 = g + float(net.weight[b]) + (h if systems[b] != systems[last] else 0.0)
                push(g2, (*path, b), (*sites, v), m | int(cover[b]))


def k_service_paths(
    net: Network,
    source: str,
    target: str,
    k: int,
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    via: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    max_hops: int | None = None,
    by: str = "site",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    max_expansions: int = SERVICE_EXPANSIONS,
) -> RouteResult:
    """The ``k`` routes of least expected service latency (handoffs counted), in order.

    As :func:`corridor.routing.k_shortest_paths` (same constraints, ``by`` site or cable), but
    ranked by the figure every output shows: arc weights plus a handoff per change of system.
    With ``by="site"`` each site sequence is one route, on its parallel cables of least
    expected latency; with ``by="cable"`` every cable combination is its own route.

    Exact (:func:`_expected_order`). When the time limit or ``max_expansions`` stops the
    search, the routes found so far are proven in order and returned with a note saying so and
    what any other route takes at least (:class:`SearchLimitError` when none is found yet).
    """
    from corridor.routing.paths import _k_request, _k_result

    req, by = _k_request(
        net,
        source,
        target,
        k,
        by,
        time_limit_s,
        status=status,
        avoid=avoid,
        via=via,
        max_latency_ms=max_latency_ms,
        max_hops=max_hops,
    )
    h = float(net.model.handoff_ms)
    notes = [
        f"ranked by expected service latency ({h:.2f} ms one way per change of system counted)"
    ]
    ranked: list[Path] = []
    stream = _expected_order(req, by=by, time_limit_s=time_limit_s, max_expansions=max_expansions)
    stopped = False
    try:
        ranked.extend(itertools.islice(stream, k))
    except _StoppedError as exc:
        if not ranked:
            msg = (
                f"the search {exc.why} without proving a route; every route takes at least "
                f"{exc.bound:.2f} ms one way (raise the time limit)"
            )
            raise SearchLimitError(msg) from None
        stopped = True
        notes.append(
            f"{len(ranked)} route(s) proven in order; then the search {exc.why} (any other "
            f"route takes at least {exc.bound:.2f} ms one way)"
        )
    return _k_result(req, ranked, k, by, notes, complete=not stopped)
