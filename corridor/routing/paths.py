"""Best, k best, dissimilar and batched paths (loopless, in nondecreasing latency)."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor._errors import NoRouteError, RequestError, SearchLimitError
from corridor._kernels import dijkstra, path_arcs
from corridor._kernels.dijkstra import dijkstra_many
from corridor._validate import check_fraction, check_number, check_site_ref
from corridor.network import GEOD, Network
from corridor.routing._core import (
    MAX_CANDIDATES,
    Path,
    RouteResult,
    _explain_no_route,
    _Request,
    _result,
    check_k,
    constraints,
    make_path,
    prepare,
)
from corridor.routing.constrained import DEFAULT_TIME_LIMIT_S, SearchGraph, search_graph
from corridor.routing.constrained import iter_paths as constrained_paths

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ROUTE_KINDS",
    "batch_routes",
    "diverse_paths",
    "iter_shortest_paths",
    "k_shortest_paths",
    "overlap_share",
    "shortest_path",
]


ROUTE_KINDS = ("site", "cable")


def shortest_path(
    net: Network,
    source: str,
    target: str,
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    via: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    max_hops: int | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> RouteResult:
    """The lowest-latency route from ``source`` to ``target``.

    Without ``via`` or ``max_hops`` this is one Dijkstra search on the masked CSR arrays
    (``O((n + m) log m)``); with them it is the exact constrained search of
    :mod:`corridor.routing.constrained` (a walk relaxation, then an integer program when the
    fastest walk is not a simple path), which proves infeasibility when there is no route.

    Raises
    ------
    UnknownSiteError
        For an unknown site or constraint item (with suggestions).
    ConstraintError
        For constraints that contradict each other or the endpoints.
    NoRouteError
        When no path satisfies the request; the message names the constraint at fault.
    SearchLimitError
        When ``time_limit_s`` stopped the search before a proof (the message gives the best
        route found, if any).
    """
    req = prepare(
        net,
        source,
        target,
        status=status,
        avoid=avoid,
        via=via,
        max_latency_ms=max_latency_ms,
        max_hops=max_hops,
    )
    if req.cons.has_path_filters:
        first = list(islice(_iter_paths(req, time_limit_s=time_limit_s), 1))
        if not first:
            raise NoRouteError(_explain_no_route(req))
        return _result(req, first)
    dist, pred = dijkstra(net.indptr, net.head, net.weight, req.s, req.t, req.arc_ok, req.node_ok)
    if not math.isfinite(dist[req.t]):
        raise NoRouteError(_explain_no_route(req))
    path = make_path(net, req.s, path_arcs(pred, net.tail, req.s, req.t), req.floor_ms)
    if not req.cons.accepts(path):
        # over the cap once its handoffs count: a slower path by arc weight may have fewer
        # handoffs. The least expected latency decides whether any path meets the cap; if one
        # does, the capped stream (arc-weight order) holds it.
        from corridor.routing.service import least_expected

        best = least_expected(req)
        if best is None or not req.cons.accepts(best):
            raise NoRouteError(_explain_no_route(req))
        first = list(islice(_iter_paths(req, time_limit_s=time_limit_s), 1))
        return _result(req, first or [best])
    return _result(req, [path])


def _search_graph(req: _Request, *, by: str = "cable") -> SearchGraph:
    """The usable arcs of ``req`` with its via items (collapsed per site pair for ``site``)."""
    cons = req.cons
    return search_graph(
        req.net,
        req.arc_ok,
        req.node_ok,
        via_sites=cons.via_sites,
        via_countries=cons.via_countries,
        via_links=cons.via_links,
        collapse=by == "site",
    )


def _iter_paths(
    req: _Request,
    *,
    by: str = "cable",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    first_k: int = 16,
) -> Iterator[Path]:
    """Loopless paths in nondecreasing latency that satisfy every constraint of ``req``.

    Exact and lazy (:func:`corridor.routing.constrained.iter_paths`); with ``by="site"`` each
    sequence of sites comes out once, with its fastest parallel cables.
    """
    limit = req.cons.max_latency_ms
    for path in iter_fiber_paths(req, by=by, time_limit_s=time_limit_s, first_k=first_k):
        if limit is None or path.one_way_ms <= limit + 1e-9:
            yield path


def iter_fiber_paths(
    req: _Request,
    *,
    by: str = "cable",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    first_k: int = 16,
) -> Iterator[Path]:
    """Loopless paths meeting ``req``'s via and hop constraints, by arc weight (nondecreasing).

    The latency cap bounds the arc weights only: a path's expected latency adds its handoffs,
    so this is a superset of the paths within the cap (:func:`_iter_paths` filters it). With
    ``by="site"`` each site sequence comes once, on its parallel cables of least arc weight.
    """
    net = req.net
    g = _search_graph(req, by=by)
    limit = req.cons.max_latency_ms
    max_cost = None if limit is None else limit + float(net.site_delay[req.t])
    for arcs in constrained_paths(
        g,
        req.s,
        req.t,
        max_hops=req.cons.max_hops,
        max_cost=max_cost,
        time_limit_s=time_limit_s,
        first_k=first_k,
    ):
        yield make_path(net, req.s, g.orig[arcs], req.floor_ms)


def _check_by(by: object) -> str:
    if by not in ROUTE_KINDS:
        msg = f"by must be one of {', '.join(ROUTE_KINDS)}, got {by!r}"
        raise RequestError(msg)
    return str(by)


def iter_shortest_paths(
    net: Network,
    source: str,
    target: str,
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    via: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    max_hops: int | None = None,
    by: str = "cable",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Iterator[Path]:
    """Loopless paths from ``source`` to ``target`` in nondecreasing latency, lazily.

    Take the first ``k`` with :func:`itertools.islice`. With ``by="cable"`` (default) parallel
    links give distinct paths; with ``by="site"`` each sequence of sites comes once, on its
    fastest cables. Ties are broken deterministically. Arguments as in :func:`shortest_path`;
    ``time_limit_s`` bounds the integer programs of a ``via``/``max_hops`` search (the
    generator raises :class:`~corridor._errors.SearchLimitError` when it stops them).
    """
    by = _check_by(by)
    check_number(time_limit_s, "time_limit_s", unit="s")
    req = prepare(
        net,
        source,
        target,
        status=status,
        avoid=avoid,
        via=via,
        max_latency_ms=max_latency_ms,
        max_hops=max_hops,
    )
    return _iter_paths(req, by=by, time_limit_s=time_limit_s)


def k_shortest_paths(
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
    by: str = "cable",
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> RouteResult:
    """The ``k`` lowest-latency loopless routes that satisfy the constraints, in order.

    ``by="site"`` (the command line's default): the ``k`` fastest routes that differ in their
    sequence of sites; parallel cables on one site-to-site segment are one route (timed on the
    fastest cable) and are listed in its ``parallel_cables``; each alternative says where it
    leaves the best route and what it costs (``differs_from_best``). ``by="cable"`` (default
    here): every cable combination is its own path (the classic k shortest loopless paths of
    the multigraph).

    Exact: without ``via``/``max_hops`` the numba kernel enumerates loopless paths in
    nondecreasing latency (Yen 1971 with Lawler's refinement and a reverse shortest-path tree,
    see :mod:`corridor._kernels.ksp`); with them, Lawler's partition over the exact constrained
    single-path solver of :mod:`corridor.routing.constrained`. Returns fewer than ``k`` paths
    when fewer exist, with a note saying so.

    Raises
    ------
    RequestError
        When ``k < 1`` or ``by`` is unknown.
    NoRouteError
        When no path satisfies the request (the message names the constraint at fault).
    SearchLimitError
        When the time limit stopped the search before the first route was proven.
    """
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
    paths: list[Path] = []
    notes = []
    try:
        paths.extend(islice(_iter_paths(req, by=by, time_limit_s=time_limit_s, first_k=k), k))
    except SearchLimitError as exc:
        if not paths:
            raise
        notes.append(f"{len(paths)} route(s) proven; then the search {exc}")
    return _k_result(req, paths, k, by, notes, complete=not notes)


def _k_request(
    net: Network,
    source: str,
    target: str,
    k: int,
    by: object,
    time_limit_s: float,
    **constraints: Any,
) -> tuple[_Request, str]:
    """The checked request and route kind of a k-best search (``constraints`` as
    :func:`corridor.routing.prepare` takes them)."""
    check_k(k)
    kind = _check_by(by)
    check_number(time_limit_s, "time_limit_s", unit="s")
    return prepare(net, source, target, **constraints), kind


def _k_result(
    req: _Request, paths: list[Path], k: int, by: str, notes: list[str], *, complete: bool
) -> RouteResult:
    """The result of a k-best search: "no route" when empty, a note when fewer than ``k``
    exist (``complete``: the search was not stopped), the parallel cables by site."""
    if not paths:
        raise NoRouteError(_explain_no_route(req))
    what = "route(s) with distinct site sequences" if by == "site" else "loopless path(s)"
    if len(paths) < k and complete:
        notes.append(f"only {len(paths)} {what} satisfy the request (asked for {k})")
    info = _site_route_info(req, paths) if by == "site" else []
    return _result(req, paths, notes, path_info=info)


def _site_route_info(req: _Request, paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Per route: the usable parallel cables of each segment and where it leaves the best."""
    net = req.net
    look = net.lookup
    usable = req.arc_ok & req.node_ok[net.tail] & req.node_ok[net.head]
    best = paths[0]
    out = []
    for path in paths:
        cables = []
        for u, v, link in zip(path.nodes, path.nodes[1:], path.links, strict=False):
            ui = net.site_index(u)
            arcs = np.arange(net.indptr[ui], net.indptr[ui + 1])
            arcs = arcs[usable[arcs] & (net.head[arcs] == net.site_index(v))]
            if len(arcs) > 1:
                others = [look.link_id[li] for li in net.arc_link[arcs]]
                others = [link, *sorted(x for x in dict.fromkeys(others) if x != link)]
                cables.append({"from": u, "to": v, "links": others})
        info: dict[str, Any] = {"parallel_cables": cables}
        if path is not best:
            info["differs_from_best"] = _difference(best, path)
        out.append(info)
    return out


def _difference(best: Path, other: Path) -> dict[str, Any]:
    """Where ``other`` leaves the site sequence of ``best``, rejoins it, and its extra RTT."""
    i = 0
    while i < min(len(best.nodes), len(other.nodes)) and best.nodes[i] == other.nodes[i]:
        i += 1
    on_best = set(best.nodes[i:])
    rejoin = next((v for v in other.nodes[i:] if v in on_best), other.nodes[-1])
    return {
        "leaves_at": best.nodes[i - 1],
        "rejoins_at": rejoin,
        "instead_of": [v for v in best.nodes[i : best.nodes.index(rejoin)]],
        "via": [v for v in other.nodes[i : other.nodes.index(rejoin)]],
        "extra_rtt_ms": round(other.rtt_ms - best.rtt_ms, 4),
    }


def overlap_share(first: Path, second: Path, net: Network) -> float:
    """Share of the faster path's latency that runs along the same site-to-site segments.

    Segments are compared by their two end sites, not by link id: two parallel cables between
    the same sites lie in the same corridor, so a path that only swaps one for the other is not
    an alternative. Returns a number between 0 and 1.
    """
    look = net.lookup

    def segments(path: Path) -> dict[frozenset[str], float]:
        out: dict[frozenset[str], float] = {}
        for u, v, link in zip(path.nodes, path.nodes[1:], path.links, strict=False):
            out[frozenset((u, v))] = float(look.link_latency[net.link_index(link)])
        return out

    shorter, longer = (first, second) if first.one_way_ms <= second.one_way_ms else (second, first)
    mine, theirs = segments(shorter), segments(longer)
    total = sum(mine.values())
    common = sum(lat for seg, lat in mine.items() if seg in theirs)
    return common / total if total > 0 else 0.0


def diverse_paths(
    net: Network,
    source: str,
    target: str,
    k: int,
    *,
    max_overlap: float = 0.5,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    via: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    max_hops: int | None = None,
    max_candidates: int = MAX_CANDIDATES,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> RouteResult:
    """Up to ``k`` dissimilar alternatives: each pair overlaps at most ``max_overlap`` of latency.

    Paths are taken greedily from the exact k-shortest stream: a path is kept when the latency
    it shares with every kept path (:func:`overlap_share`: same site-to-site segments, whatever
    the parallel cable) is at most ``max_overlap`` of the faster one's latency
    (the "dissimilar paths" notion of Chondrogiannis et al. 2015, with latency as similarity).
    The first path is the shortest; each later one is the shortest that is dissimilar enough
    to all kept so far. ``max_candidates`` bounds how many paths are examined (a note says when
    it stopped the search).
    """
    check_fraction(max_overlap, "max_overlap")
    check_k(k)
    req = prepare(
        net,
        source,
        target,
        status=status,
        avoid=avoid,
        via=via,
        max_latency_ms=max_latency_ms,
        max_hops=max_hops,
    )
    kept: list[Path] = []
    examined = 0
    stopped: SearchLimitError | None = None
    # one path per site sequence (on its fastest cables): a cable variant overlaps the kept
    # paths exactly as much as its sequence's fastest one, which comes first
    stream = _iter_paths(req, by="site", time_limit_s=time_limit_s)
    try:
        for path in stream:
            examined += 1
            if all(overlap_share(path, other, net) <= max_overlap + 1e-12 for other in kept):
                kept.append(path)
                if len(kept) == k:
                    break
            if examined >= max_candidates:
                break
    except SearchLimitError as exc:
        if not kept:
            raise
        stopped = exc
    except NoRouteError:
        if not kept:
            raise
    if not kept:
        raise NoRouteError(_explain_no_route(req))
    notes = []
    if len(kept) < k:
        notes.append(
            f"only {len(kept)} path(s) overlap at most {max_overlap:.0%} among the "
            f"{examined} fastest examined (asked for {k})"
        )
        if stopped is not None:
            notes.append(
                f"the search for the next path stopped at its {time_limit_s:g} s time limit: "
                "more routes that dissimilar may exist (raise time_limit_s)"
            )
        elif examined >= max_candidates:
            notes.append(
                f"the search stopped at max_candidates={max_candidates}: more routes that "
                "dissimilar may exist"
            )
    return _result(req, kept, notes)


def batch_routes(
    net: Network,
    pairs: Iterable[tuple[str, str]],
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    with_paths: bool = False,
) -> pd.DataFrame:
    """Best routes for many (source, target) pairs in one kernel call.

    The numba kernel groups the queries by source and grows each source's shortest-path tree
    once, only until all of its targets are settled; there is no Python work per pair unless
    ``with_paths`` asks for the site and link sequences.

    Returns
    -------
    pandas.DataFrame
        One row per pair, in input order: ``source``, ``target``, ``reachable``, ``one_way_ms``,
        ``rtt_ms`` (expected, handoffs included), ``physical_rtt_ms``, ``handoffs``, ``hops``,
        ``great_circle_km``, ``floor_rtt_ms``, ``stretch`` (latencies are
        missing, not infinite, for unreachable pairs), plus ``nodes`` and ``links`` with
        ``with_paths``.

    Raises
    ------
    UnknownSiteError
        For an unknown site, naming it.
    """
    import pandas as pd

    pairs = _check_pairs(pairs)
    cons = constraints(net, status=status, avoid=avoid)
    resolved = {name: net.resolve_site(name) for pair in pairs for name in pair}
    src_ids = [resolved[s] for s, _ in pairs]
    dst_ids = [resolved[t] for _, t in pairs]
    sources = np.fromiter((net.site_index(s) for s in src_ids), np.int64, len(pairs))
    targets = np.fromiter((net.site_index(t) for t in dst_ids), np.int64, len(pairs))
    dist, offsets, arcs = dijkstra_many(
        net.indptr, net.head, net.weight, sources, targets, cons.arc_mask(net), cons.node_mask(net)
    )
    reachable = np.isfinite(dist) & (sources != targets)
    handoffs, link_excess = _path_extras(net, offsets, arcs)
    one_way = np.where(
        reachable, dist - net.site_delay[targets] + handoffs * net.model.handoff_ms, np.nan
    )
    physical = np.where(reachable, dist - net.site_delay[targets] - link_excess, np.nan)
    lon, lat = net.lookup.site_lon, net.lookup.site_lat
    _, _, metres = GEOD.inv(lon[sources], lat[sources], lon[targets], lat[targets])
    km = np.asarray(metres, dtype=float) / 1000.0
    floor_rtt = 2.0 * net.model.floor_ms(km)
    table = pd.DataFrame(
        {
            "source": src_ids,
            "target": dst_ids,
            "reachable": reachable,
            "one_way_ms": one_way,
            "rtt_ms": 2.0 * one_way,
            "physical_rtt_ms": 2.0 * physical,
            "handoffs": np.where(reachable, handoffs, 0),
            "hops": np.where(reachable, np.diff(offsets), 0),
            "great_circle_km": km,
            "floor_rtt_ms": floor_rtt,
            "stretch": np.where(floor_rtt > 0, 2.0 * one_way / np.maximum(floor_rtt, 1e-9), np.nan),
        }
    )
    if with_paths:
        look = net.lookup
        nodes, links = [], []
        for i, s in enumerate(sources):
            seg = arcs[offsets[i] : offsets[i + 1]]
            nodes.append([look.site_id[s], *(look.site_id[v] for v in net.head[seg])])
            links.append([look.link_id[li] for li in net.arc_link[seg]])
        table["nodes"] = nodes
        table["links"] = links
    return table


def arc_figures(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Per arc: the system code of its link and its expected-minus-physical latency (ms), the
    inputs of :func:`corridor.resilience._kernel.path_figures` (the convention of
    this module's :func:`batch_routes`)."""
    look = net.lookup
    codes = look.link_system_code
    if len(codes):
        arc_code = np.ascontiguousarray(codes[net.arc_link], dtype=np.int64)
    else:
        arc_code = np.zeros(len(net.arc_link), dtype=np.int64)
    physical = look.link_physical if len(look.link_physical) else look.link_latency
    excess = np.asarray(look.link_latency, dtype=np.float64) - physical
    return arc_code, np.ascontiguousarray(excess[net.arc_link], dtype=np.float64)


def _path_extras(
    net: Network, offsets: np.ndarray, arcs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per path of a kernel answer: handoffs (system changes) and expected minus physical ms."""
    n = len(offsets) - 1
    links = net.arc_link[arcs]
    look = net.lookup
    physical = look.link_physical if len(look.link_physical) else look.link_latency
    excess = look.link_latency[links] - physical[links]
    cum = np.concatenate([[0.0], np.cumsum(excess)])
    link_excess = cum[offsets[1:]] - cum[offsets[:-1]]
    if len(look.link_system_code) == 0 or len(links) < 2:
        return np.zeros(n, dtype=np.int64), link_excess
    codes = look.link_system_code[links]
    change = np.concatenate([[0], (codes[1:] != codes[:-1]).astype(np.int64)])
    # a change at the first arc of a path is a boundary between two paths, not a handoff
    starts = offsets[:-1][np.diff(offsets) > 0]
    change[starts] = 0
    cum_change = np.concatenate([[0], np.cumsum(change)])
    return (cum_change[offsets[1:]] - cum_change[offsets[:-1]]).astype(np.int64), link_excess


def _check_pairs(pairs: object) -> list[tuple[str, str]]:
    """The (source, target) pairs of :func:`batch_routes` as a list, refusing malformed ones."""
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
        msg = f"pairs must be an iterable of (source, target) pairs, got {pairs!r}"
        raise RequestError(msg)
    out = []
    for pair in pairs:
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            msg = f"each pair must be (source, target), got {pair!r}"
            raise RequestError(msg)
        check_site_ref(pair[0], "source")
        check_site_ref(pair[1], "target")
        out.append((pair[0], pair[1]))
    return out
