"""Best, k best, dissimilar and batched paths (loopless, in nondecreasing latency)."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

from corridor._errors import NoRouteError, RequestError
from corridor._kernels import dijkstra, path_arcs
from corridor._kernels.dijkstra import dijkstra_many
from corridor._kernels.ksp import ksp
from corridor._validate import check_count, check_fraction, check_site_ref
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

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "batch_routes",
    "diverse_paths",
    "iter_shortest_paths",
    "k_shortest_paths",
    "overlap_share",
    "shortest_path",
]


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
) -> RouteResult:
    """The lowest-latency route from ``source`` to ``target``.

    Without ``via`` or ``max_hops`` this is one Dijkstra search on the masked CSR arrays
    (``O((n + m) log m)``); with them it is the first path of :func:`k_shortest_paths` that
    satisfies them, which is exact because paths come in nondecreasing latency.

    Raises
    ------
    UnknownSiteError
        For an unknown site or constraint item (with suggestions).
    ConstraintError
        For constraints that contradict each other or the endpoints.
    NoRouteError
        When no path satisfies the request; the message names the constraint at fault.
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
        first = list(islice(_iter_paths(req), 1))
        if not first:
            raise NoRouteError(_explain_no_route(req))
        return _result(req, first)
    dist, pred = dijkstra(net.indptr, net.head, net.weight, req.s, req.t, req.arc_ok, req.node_ok)
    if not math.isfinite(dist[req.t]):
        raise NoRouteError(_explain_no_route(req))
    path = make_path(net, req.s, path_arcs(pred, net.tail, req.s, req.t), req.floor_ms)
    if not req.cons.accepts(path):
        raise NoRouteError(_explain_no_route(req))
    return _result(req, [path])


def _iter_paths(
    req: _Request, *, max_candidates: int = MAX_CANDIDATES, first_k: int = 16
) -> Iterator[Path]:
    """Loopless paths in nondecreasing latency that satisfy every constraint of ``req``.

    The k-shortest-paths kernel is called with a doubling ``k`` (its answers are prefix-stable),
    so the generator is lazy and exact; it stops once paths exceed ``max_latency_ms`` and raises
    :class:`NoRouteError` after ``max_candidates`` paths without the next acceptable one. The
    first call asks for ``first_k`` paths (a caller that wants ``k`` paths passes ``k``, so an
    unconstrained request is one kernel call).
    """

    net = req.net
    delay_t = float(net.site_delay[req.t])
    limit = req.cons.max_latency_ms
    check = req.cons.has_path_filters or limit is not None
    seen = 0
    k = min(max(first_k, 1), max_candidates)
    while True:
        offsets, arcs, costs = ksp(
            net.indptr, net.head, net.weight, req.arc_ok, req.node_ok, req.s, req.t, k
        )
        found = len(costs)
        for i in range(seen, found):
            if limit is not None and costs[i] - delay_t > limit + 1e-9:
                return
            path = make_path(net, req.s, arcs[offsets[i] : offsets[i + 1]], req.floor_ms)
            if not check or req.cons.accepts(path):
                yield path
        if found < k:
            return
        seen = found
        if seen >= max_candidates:
            msg = (
                f"no route from {req.source} to {req.target} satisfying the constraints among "
                f"the {seen} fastest loopless paths; relax via/max-hops or raise the bound"
            )
            raise NoRouteError(msg)
        k = min(2 * k, max_candidates)


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
    max_candidates: int = MAX_CANDIDATES,
) -> Iterator[Path]:
    """Loopless paths from ``source`` to ``target`` in nondecreasing latency, lazily.

    Take the first ``k`` with :func:`itertools.islice`. Parallel links give distinct paths. Ties
    are broken deterministically (by the arc sequence), so the order is reproducible. Arguments
    as in :func:`shortest_path`; ``max_candidates`` bounds how many loopless paths a search for
    ``via``/``max_hops`` may examine before it raises :class:`NoRouteError`.
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
    check_count(max_candidates, "max_candidates")
    return _iter_paths(req, max_candidates=max_candidates)


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
    max_candidates: int = MAX_CANDIDATES,
) -> RouteResult:
    """The ``k`` lowest-latency loopless paths that satisfy the constraints, in order.

    Exact: the numba kernel enumerates loopless paths in nondecreasing latency (Yen 1971 with
    Lawler's refinement and a reverse shortest-path tree, see
    :mod:`corridor._kernels.ksp`), and constraints that masks cannot express (``via``,
    ``max_hops``) filter that stream. Returns fewer than ``k`` paths when fewer exist, with a
    note saying so.

    Raises
    ------
    RequestError
        When ``k < 1``.
    NoRouteError
        When no path satisfies the request (the message names the constraint at fault).
    """
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
    paths = list(islice(_iter_paths(req, max_candidates=max_candidates, first_k=k), k))
    if not paths:
        raise NoRouteError(_explain_no_route(req))
    notes = []
    if len(paths) < k:
        notes.append(f"only {len(paths)} loopless path(s) satisfy the request (asked for {k})")
    return _result(req, paths, notes)


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
) -> RouteResult:
    """Up to ``k`` dissimilar alternatives: each pair overlaps at most ``max_overlap`` of latency.

    Paths are taken greedily from the exact k-shortest stream: a path is kept when the latency
    it shares with every kept path (:func:`overlap_share`: same site-to-site segments, whatever
    the parallel cable) is at most ``max_overlap`` of the faster one's latency
    (the "dissimilar paths" notion of Chondrogiannis et al. 2015, with latency as similarity).
    The first path is the shortest; each later one is the shortest that is dissimilar enough
    to all kept so far.
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
    stream = _iter_paths(req, max_candidates=max_candidates)
    try:
        for path in stream:
            examined += 1
            if all(overlap_share(path, other, net) <= max_overlap + 1e-12 for other in kept):
                kept.append(path)
                if len(kept) == k:
                    break
            if examined >= max_candidates:
                break
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
        ``rtt_ms``, ``hops``, ``great_circle_km``, ``floor_rtt_ms``, ``stretch`` (latencies are
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
    one_way = np.where(reachable, dist - net.site_delay[targets], np.nan)
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
