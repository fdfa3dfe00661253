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

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd

from corridor._errors import ConstraintError, NoRouteError, RequestError, UnknownSiteError
from corridor._kernels import dijkstra, path_arcs
from corridor._kernels.dijkstra import dijkstra_many
from corridor._kernels.disjoint import (
    BACKUP_BOUND_REACHED,
    BACKUP_INFEASIBLE,
    bounded_backup,
    k_disjoint,
    min_shared_pair,
)
from corridor._kernels.ksp import ksp
from corridor.network import GEOD, Network

__all__ = [
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
    "shortest_path",
]

_STATUS_SETS = {
    "existing": frozenset({"existing"}),
    "planned": frozenset({"existing", "planned"}),
    "all": frozenset({"existing", "planned", "proposed"}),
}


@dataclass(frozen=True, slots=True)
class Path:
    """One route through the network, with everything a person asks about it."""

    nodes: tuple[str, ...]
    links: tuple[str, ...]
    systems: tuple[str, ...]
    countries: tuple[str, ...]
    srlgs: tuple[str, ...]
    length_km: float
    one_way_ms: float
    floor_one_way_ms: float = math.nan

    @property
    def rtt_ms(self) -> float:
        """Round-trip time: twice the one-way latency."""
        return 2.0 * self.one_way_ms

    @property
    def hops(self) -> int:
        """Number of links."""
        return len(self.links)

    @property
    def stretch(self) -> float:
        """One-way latency over the physical floor of the pair (``>= 1``)."""
        if not self.floor_one_way_ms > 0:
            return math.nan
        return self.one_way_ms / self.floor_one_way_ms

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "nodes": list(self.nodes),
            "links": list(self.links),
            "systems": list(self.systems),
            "countries": list(self.countries),
            "srlgs": list(self.srlgs),
            "hops": self.hops,
            "length_km": round(self.length_km, 3),
            "one_way_ms": round(self.one_way_ms, 4),
            "rtt_ms": round(self.rtt_ms, 4),
            "stretch": round(self.stretch, 4) if math.isfinite(self.stretch) else None,
        }


@dataclass(frozen=True, slots=True)
class RouteResult:
    """The answer to a routing request: the paths found and the pair's physical floor."""

    source: str
    target: str
    paths: tuple[Path, ...]
    great_circle_km: float
    floor_one_way_ms: float
    notes: tuple[str, ...] = ()

    @property
    def floor_rtt_ms(self) -> float:
        """Round trip at the speed of light in fiber along the great circle."""
        return 2.0 * self.floor_one_way_ms

    @property
    def best(self) -> Path:
        """The first (best) path."""
        return self.paths[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (``paths`` ranked from 1)."""
        return {
            "source": self.source,
            "target": self.target,
            "great_circle_km": round(self.great_circle_km, 3),
            "floor_one_way_ms": round(self.floor_one_way_ms, 4),
            "floor_rtt_ms": round(self.floor_rtt_ms, 4),
            "paths": [{"rank": i + 1, **p.to_dict()} for i, p in enumerate(self.paths)],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Constraints:
    """Resolved constraints of one request (build with :func:`constraints`)."""

    statuses: frozenset[str] = _STATUS_SETS["existing"]
    avoid_sites: frozenset[str] = frozenset()
    avoid_links: frozenset[str] = frozenset()
    avoid_systems: frozenset[str] = frozenset()
    avoid_countries: frozenset[str] = frozenset()
    avoid_srlgs: frozenset[str] = frozenset()
    via_sites: tuple[str, ...] = ()
    via_countries: tuple[str, ...] = ()
    max_latency_ms: float | None = None
    max_hops: int | None = None
    described: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_path_filters(self) -> bool:
        """True when some constraint can only be checked on whole paths."""
        return bool(self.via_sites or self.via_countries or self.max_hops is not None)

    def arc_mask(self, net: Network) -> np.ndarray:
        """Usable arcs."""
        links = net.links
        ok = links["status"].isin(self.statuses).to_numpy().copy()
        if self.avoid_links:
            ok &= ~links["id"].isin(self.avoid_links).to_numpy()
        if self.avoid_systems:
            systems = {s.casefold() for s in self.avoid_systems}
            ok &= ~np.array([s.casefold() in systems for s in links["system"]], dtype=bool)
        if self.avoid_srlgs:
            ok &= ~np.array([bool(self.avoid_srlgs & set(g)) for g in links["srlgs"]], dtype=bool)
        if self.avoid_countries:
            ok &= ~np.array(
                [bool(self.avoid_countries & set(c)) for c in links["countries"]], dtype=bool
            )
        return np.ascontiguousarray(ok[net.arc_link])

    def node_mask(self, net: Network) -> np.ndarray:
        """Usable sites."""
        sites = net.sites
        ok = np.ones(net.n_sites, dtype=bool)
        if self.avoid_sites:
            ok &= ~sites["id"].isin(self.avoid_sites).to_numpy()
        if self.avoid_countries:
            ok &= ~sites["country"].isin(self.avoid_countries).to_numpy()
        return ok

    def accepts(self, path: Path) -> bool:
        """Whether a path satisfies the path-level constraints (via, hops, latency)."""
        if self.max_hops is not None and path.hops > self.max_hops:
            return False
        if self.max_latency_ms is not None and path.one_way_ms > self.max_latency_ms + 1e-9:
            return False
        if any(s not in path.nodes for s in self.via_sites):
            return False
        return all(c in path.countries for c in self.via_countries)


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def constraints(
    net: Network,
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    via: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    max_hops: int | None = None,
) -> Constraints:
    """Resolve user-facing constraint values against a network.

    Raises
    ------
    UnknownSiteError
        For an ``avoid`` or ``via`` item that names nothing in the network.
    RequestError
        For an unknown status or a non-positive bound.
    """
    if isinstance(status, str):
        if status not in _STATUS_SETS:
            msg = f"unknown status filter {status!r}; use one of {', '.join(_STATUS_SETS)}"
            raise RequestError(msg)
        statuses = _STATUS_SETS[status]
    else:
        statuses = frozenset(status)
        unknown = statuses - _STATUS_SETS["all"]
        if unknown or not statuses:
            msg = f"unknown link status(es) {sorted(unknown)}; use existing, planned, proposed"
            raise RequestError(msg)
    if max_latency_ms is not None and not (max_latency_ms > 0 and math.isfinite(max_latency_ms)):
        msg = f"max latency must be a positive number of ms, got {max_latency_ms!r}"
        raise RequestError(msg)
    if max_hops is not None and max_hops < 1:
        msg = f"max hops must be at least 1, got {max_hops!r}"
        raise RequestError(msg)
    buckets: dict[str, set[str]] = {k: set() for k in ("site", "link", "system", "country", "srlg")}
    described = []
    for item in _as_tuple(avoid):
        kind, value = _classify(net, item)
        buckets[kind].add(value)
        described.append(f"avoid {kind} {value}")
    via_sites: list[str] = []
    via_countries: list[str] = []
    for item in _as_tuple(via):
        kind, value = _classify(net, item, allowed=("country", "site"))
        (via_sites if kind == "site" else via_countries).append(value)
        described.append(f"via {kind} {value}")
    clash = (set(via_sites) & buckets["site"]) | (set(via_countries) & buckets["country"])
    if clash:
        msg = f"constraints conflict: {', '.join(sorted(clash))} is both required (via) and avoided"
        raise ConstraintError(msg)
    site_country = net.sites["country"]
    clash_country = [
        s for s in via_sites if site_country.iat[net.site_index(s)] in buckets["country"]
    ]
    if clash_country:
        msg = f"constraints conflict: via site {clash_country[0]} lies in an avoided country"
        raise ConstraintError(msg)
    return Constraints(
        statuses=statuses,
        avoid_sites=frozenset(buckets["site"]),
        avoid_links=frozenset(buckets["link"]),
        avoid_systems=frozenset(buckets["system"]),
        avoid_countries=frozenset(buckets["country"]),
        avoid_srlgs=frozenset(buckets["srlg"]),
        via_sites=tuple(dict.fromkeys(via_sites)),
        via_countries=tuple(dict.fromkeys(via_countries)),
        max_latency_ms=max_latency_ms,
        max_hops=max_hops,
        described=tuple(described),
    )


def _classify(
    net: Network,
    item: str,
    allowed: Sequence[str] = ("link", "srlg", "system", "country", "site"),
) -> tuple[str, str]:
    """What an avoid/via token names: a link, an SRLG, a system, a country or a site."""
    text = item.strip()
    if "link" in allowed and text in set(net.links["id"]):
        return "link", text
    if "srlg" in allowed and text in net.srlg_names:
        return "srlg", text
    if "system" in allowed:
        for system in dict.fromkeys(net.links["system"]):
            if system and system.casefold() == text.casefold():
                return "system", system
    if "country" in allowed:
        try:
            return "country", net.resolve_country(text)
        except UnknownSiteError:
            pass
    try:
        return "site", net.resolve_site(text)
    except UnknownSiteError as exc:
        what = " or ".join(allowed)
        msg = f"{exc} (looked for a {what} named {item!r})"
        raise UnknownSiteError(msg) from None


def great_circle_km(net: Network, source: str, target: str) -> float:
    """Geodesic distance between two sites on the WGS84 ellipsoid, in km."""
    pa = net.sites.geometry.iat[net.site_index(source)]
    pb = net.sites.geometry.iat[net.site_index(target)]
    if pa is None or pb is None:
        return math.nan
    return float(GEOD.inv(pa.x, pa.y, pb.x, pb.y)[2]) / 1000.0


def make_path(net: Network, source: int, arcs: np.ndarray, floor_ms: float = math.nan) -> Path:
    """Wrap an arc sequence starting at node ``source`` as a :class:`Path`."""
    look = net.lookup
    nodes = [source, *(int(a) for a in net.head[arcs])]
    link_idx = [int(li) for li in net.arc_link[arcs]]
    countries: list[str] = [look.site_country[source]]
    srlgs: list[str] = []
    for a, li in zip(arcs, link_idx, strict=True):
        reverse = int(net.tail[a]) != int(net.link_a[li])
        countries.extend(net.link_countries(li, reverse=reverse))
        srlgs.extend(look.link_srlgs[li])
    latency = float(look.link_latency[link_idx].sum()) if link_idx else 0.0
    latency += float(net.site_delay[nodes[1:-1]].sum()) if len(nodes) > 2 else 0.0
    return Path(
        nodes=tuple(look.site_id[v] for v in nodes),
        links=tuple(look.link_id[li] for li in link_idx),
        systems=tuple(dict.fromkeys(look.link_system[li] for li in link_idx)),
        countries=tuple(c for c in dict.fromkeys(countries) if c),
        srlgs=tuple(dict.fromkeys(srlgs)),
        length_km=float(look.link_length[link_idx].sum()) if link_idx else 0.0,
        one_way_ms=latency,
        floor_one_way_ms=floor_ms,
    )


@dataclass(frozen=True)
class _Request:
    net: Network
    source: str
    target: str
    s: int
    t: int
    cons: Constraints
    arc_ok: np.ndarray
    node_ok: np.ndarray
    great_circle_km: float
    floor_ms: float


def prepare(
    net: Network,
    source: str,
    target: str,
    *,
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    via: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    max_hops: int | None = None,
) -> _Request:
    """Resolve a request: sites, constraints and masks (shared by every routing function)."""
    src = net.resolve_site(source)
    dst = net.resolve_site(target)
    if src == dst:
        msg = f"source and target are the same site {src!r}"
        raise RequestError(msg)
    cons = constraints(
        net, status=status, avoid=avoid, via=via, max_latency_ms=max_latency_ms, max_hops=max_hops
    )
    node_ok = cons.node_mask(net)
    for role, site in (("source", src), ("target", dst)):
        if site in cons.avoid_sites or site in cons.via_sites:
            msg = f"constraints conflict: the {role} {site!r} is named in avoid/via"
            raise ConstraintError(msg)
        if not node_ok[net.site_index(site)]:
            country = net.sites["country"].iat[net.site_index(site)]
            msg = f"constraints conflict: the {role} {site!r} lies in avoided country {country}"
            raise ConstraintError(msg)
    gc = great_circle_km(net, src, dst)
    return _Request(
        net=net,
        source=src,
        target=dst,
        s=net.site_index(src),
        t=net.site_index(dst),
        cons=cons,
        arc_ok=cons.arc_mask(net),
        node_ok=node_ok,
        great_circle_km=gc,
        floor_ms=net.model.floor_ms(gc),
    )


def _explain_no_route(req: _Request) -> str:
    """Say which constraint made a request impossible, by relaxing them one at a time."""
    net = req.net
    base = f"no route from {req.source} to {req.target}"
    everything = np.ones(net.n_sites, dtype=bool)
    all_arcs = np.ones(len(net.head), dtype=bool)
    dist, _ = dijkstra(net.indptr, net.head, net.weight, req.s, req.t, all_arcs, everything)
    if not math.isfinite(dist[req.t]):
        return f"{base}: the two sites are not connected in this network"
    status_only = Constraints(statuses=req.cons.statuses).arc_mask(net)
    dist, _ = dijkstra(net.indptr, net.head, net.weight, req.s, req.t, status_only, everything)
    if not math.isfinite(dist[req.t]):
        shown = ", ".join(sorted(req.cons.statuses))
        return f"{base} using only {shown} links; include more with status='all' (--status all)"
    dist, _ = dijkstra(net.indptr, net.head, net.weight, req.s, req.t, req.arc_ok, req.node_ok)
    if not math.isfinite(dist[req.t]):
        avoided = [d for d in req.cons.described if d.startswith("avoid")]
        return f"{base} once these are avoided: {'; '.join(avoided)}"
    reasons = []
    if req.cons.max_latency_ms is not None:
        best = dist[req.t] - net.site_delay[req.t]
        if best > req.cons.max_latency_ms:
            return (
                f"{base} within {req.cons.max_latency_ms:g} ms one way: the fastest allowed route "
                f"takes {best:.2f} ms"
            )
        reasons.append(f"max latency {req.cons.max_latency_ms:g} ms")
    if req.cons.max_hops is not None:
        reasons.append(f"max {req.cons.max_hops} hops")
    reasons.extend(d for d in req.cons.described if d.startswith("via"))
    return f"{base} satisfying {' and '.join(reasons)} together"


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


def _result(req: _Request, paths: Iterable[Path], notes: Iterable[str] = ()) -> RouteResult:
    return RouteResult(
        source=req.source,
        target=req.target,
        paths=tuple(paths),
        great_circle_km=req.great_circle_km,
        floor_one_way_ms=req.floor_ms,
        notes=tuple(notes),
    )


#: How many loopless paths a constrained search may examine before giving up.
MAX_CANDIDATES = 20_000


def _iter_paths(req: _Request, *, max_candidates: int = MAX_CANDIDATES) -> Iterator[Path]:
    """Loopless paths in nondecreasing latency that satisfy every constraint of ``req``.

    The k-shortest-paths kernel is called with a doubling ``k`` (its answers are prefix-stable),
    so the generator is lazy and exact; it stops once paths exceed ``max_latency_ms`` and raises
    :class:`NoRouteError` after ``max_candidates`` paths without the next acceptable one.
    """

    net = req.net
    delay_t = float(net.site_delay[req.t])
    limit = req.cons.max_latency_ms
    seen = 0
    k = 16
    while True:
        offsets, arcs, costs = ksp(
            net.indptr, net.head, net.weight, req.arc_ok, req.node_ok, req.s, req.t, k
        )
        found = len(costs)
        for i in range(seen, found):
            if limit is not None and costs[i] - delay_t > limit + 1e-9:
                return
            path = make_path(net, req.s, arcs[offsets[i] : offsets[i + 1]], req.floor_ms)
            if req.cons.accepts(path):
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
    if not isinstance(k, int) or k < 1:
        msg = f"k must be a positive integer, got {k!r}"
        raise RequestError(msg)
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
    paths = list(islice(_iter_paths(req, max_candidates=max_candidates), k))
    if not paths:
        raise NoRouteError(_explain_no_route(req))
    notes = []
    if len(paths) < k:
        notes.append(f"only {len(paths)} loopless path(s) satisfy the request (asked for {k})")
    return _result(req, paths, notes)


DISJOINT_MODES = ("link", "node", "srlg")

#: Above this many arcs, SRLG-disjoint pairs use the heuristic unless ``exact=True`` is given.
SRLG_EXACT_MAX_ARCS = 20_000


def _paths_from(req: _Request, offsets: np.ndarray, arcs: np.ndarray) -> list[Path]:
    return [
        make_path(req.net, req.s, arcs[offsets[i] : offsets[i + 1]], req.floor_ms)
        for i in range(len(offsets) - 1)
    ]


def _check_disjoint_request(req: _Request, mode: str) -> None:
    if mode not in DISJOINT_MODES:
        msg = f"unknown disjointness mode {mode!r}; use one of {', '.join(DISJOINT_MODES)}"
        raise RequestError(msg)
    if req.cons.via_sites or req.cons.via_countries or req.cons.max_hops is not None:
        msg = "via and max_hops constrain single paths; they are not supported with disjoint routes"
        raise ConstraintError(msg)


def _check_latency_cap(req: _Request, paths: Sequence[Path], what: str) -> None:
    cap = req.cons.max_latency_ms
    if cap is None:
        return
    over = [p for p in paths if p.one_way_ms > cap + 1e-9]
    if over:
        msg = (
            f"no {what} from {req.source} to {req.target} within {cap:g} ms one way: the best "
            f"one needs {max(p.one_way_ms for p in paths):.2f} ms for its slower path"
        )
        raise NoRouteError(msg)


def _shared_note(req: _Request, paths: Sequence[Path], mode: str) -> list[str]:
    first, second = paths[0], paths[1] if len(paths) > 1 else paths[0]
    shared_links = [x for x in first.links if x in second.links]
    shared_nodes = [x for x in first.nodes[1:-1] if x in second.nodes[1:-1]]
    shared_srlgs = [x for x in first.srlgs if x in second.srlgs]
    parts = []
    if shared_links:
        parts.append(f"links {', '.join(shared_links)}")
    if mode == "node" and shared_nodes:
        parts.append(f"sites {', '.join(shared_nodes)}")
    if mode == "srlg" and shared_srlgs:
        parts.append(f"SRLGs {', '.join(shared_srlgs)}")
    return [
        f"no fully {mode}-disjoint pair exists; the most disjoint pair shares {'; '.join(parts)}"
    ]


def disjoint_pair(
    net: Network,
    source: str,
    target: str,
    *,
    mode: str = "link",
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    backup_max_latency_ms: float | None = None,
    exact: bool | None = None,
    time_limit: float = 10.0,
) -> RouteResult:
    """A primary and a backup path that share no link, site or shared-risk group.

    Parameters
    ----------
    mode
        ``"link"``: no common link (two parallel cables are different links). ``"node"``: no
        common intermediate site either. ``"srlg"``: no common shared-risk group (a sea
        chokepoint, a conduit) and no common link.
    max_latency_ms
        Both paths must stay under this one-way latency.
    backup_max_latency_ms
        Bounded-backup variant: minimise the primary's latency subject to a disjoint backup
        within this one-way latency (link and node modes).
    exact, time_limit
        SRLG mode only: solve exactly (a MILP with :func:`scipy.optimize.milp`) or with the
        trap-avoiding heuristic; by default exact up to :data:`SRLG_EXACT_MAX_ARCS` arcs.

    Returns
    -------
    RouteResult
        Two paths, the faster first. Link and node modes minimise the total latency of the pair
        (Suurballe 1974; Bhandari 1999 for undirected links), exactly. When no fully disjoint
        pair exists, the maximally disjoint pair (fewest shared elements, then lowest total
        latency) with a note saying what is shared.

    Raises
    ------
    NoRouteError
        When the pair is unreachable, or exceeds a latency cap.
    """
    req = prepare(net, source, target, status=status, avoid=avoid, max_latency_ms=max_latency_ms)
    _check_disjoint_request(req, mode)
    if backup_max_latency_ms is not None:
        return _bounded_backup(req, mode, backup_max_latency_ms)
    args = (net.indptr, net.head, net.weight, net.arc_link, req.arc_ok, req.node_ok, req.s, req.t)
    notes: list[str] = []
    if mode == "srlg":
        from corridor._srlg import srlg_disjoint_pair  # scipy.sparse loads only when needed

        use_exact = exact if exact is not None else len(net.head) <= SRLG_EXACT_MAX_ARCS
        found = srlg_disjoint_pair(
            *args,
            net.link_srlg_indptr,
            net.link_srlg_ids,
            exact=use_exact,
            time_limit=time_limit,
        )
        if found.status == "none":
            raise NoRouteError(_explain_no_route(req))
        paths = [make_path(net, req.s, arcs, req.floor_ms) for arcs in found.paths]
        if found.status == "partial-shared":
            notes = _shared_note(req, paths, mode)
        elif found.status == "heuristic":
            notes = ["SRLG-disjoint pair found by the heuristic; not proven optimal"]
    else:
        offsets, arcs, _ = k_disjoint(*args, 2, mode == "node")
        paths = _paths_from(req, offsets, arcs)
        if not paths:
            raise NoRouteError(_explain_no_route(req))
        if len(paths) < 2:
            offsets, arcs, _, _, _ = min_shared_pair(*args, mode == "node")
            paths = _paths_from(req, offsets, arcs)
            notes = _shared_note(req, paths, mode)
    paths.sort(key=lambda p: p.one_way_ms)
    _check_latency_cap(req, paths, f"{mode}-disjoint pair")
    return _result(req, paths, notes)


def _bounded_backup(req: _Request, mode: str, cap_ms: float) -> RouteResult:

    if mode == "srlg":
        msg = "the bounded-backup variant supports link and node disjointness, not srlg"
        raise ConstraintError(msg)
    if not (cap_ms > 0 and math.isfinite(cap_ms)):
        msg = f"backup latency cap must be a positive number of ms, got {cap_ms!r}"
        raise RequestError(msg)
    net = req.net
    # kernel costs include the target's equipment delay once per path
    cap = cap_ms + float(net.site_delay[req.t])
    status, primary, backup, _, _ = bounded_backup(
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        req.arc_ok,
        req.node_ok,
        req.s,
        req.t,
        cap,
        mode == "node",
        MAX_CANDIDATES,
    )
    if status == BACKUP_INFEASIBLE:
        msg = (
            f"no {mode}-disjoint pair from {req.source} to {req.target} has a backup within "
            f"{cap_ms:g} ms one way"
        )
        raise NoRouteError(msg)
    if status == BACKUP_BOUND_REACHED:
        msg = (
            f"no {mode}-disjoint backup within {cap_ms:g} ms found among the {MAX_CANDIDATES} "
            f"fastest primaries from {req.source} to {req.target}"
        )
        raise NoRouteError(msg)
    paths = [
        make_path(net, req.s, primary, req.floor_ms),
        make_path(net, req.s, backup, req.floor_ms),
    ]
    _check_latency_cap(req, paths, f"{mode}-disjoint pair")
    return _result(req, paths, [f"backup bounded by {cap_ms:g} ms one way"])


def k_disjoint_paths(
    net: Network,
    source: str,
    target: str,
    k: int,
    *,
    mode: str = "link",
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
) -> RouteResult:
    """Up to ``k`` pairwise link- or node-disjoint paths of minimum total latency.

    Successive shortest paths (min-cost flow of ``k`` units, Suurballe-Tarjan 1984). Returns
    fewer paths, with a note, when the network has fewer disjoint routes.
    """
    if not isinstance(k, int) or k < 1:
        msg = f"k must be a positive integer, got {k!r}"
        raise RequestError(msg)
    req = prepare(net, source, target, status=status, avoid=avoid, max_latency_ms=max_latency_ms)
    _check_disjoint_request(req, mode)
    if mode == "srlg":
        msg = "k_disjoint_paths supports link and node disjointness; use disjoint_pair for srlg"
        raise ConstraintError(msg)

    offsets, arcs, _ = k_disjoint(
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        req.arc_ok,
        req.node_ok,
        req.s,
        req.t,
        k,
        mode == "node",
    )
    paths = _paths_from(req, offsets, arcs)
    if not paths:
        raise NoRouteError(_explain_no_route(req))
    paths.sort(key=lambda p: p.one_way_ms)
    _check_latency_cap(req, paths, f"set of {mode}-disjoint paths")
    notes = []
    if len(paths) < k:
        notes.append(f"only {len(paths)} {mode}-disjoint path(s) exist (asked for {k})")
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
    if not 0.0 <= max_overlap <= 1.0:
        msg = f"max_overlap must be between 0 and 1, got {max_overlap!r}"
        raise RequestError(msg)
    if not isinstance(k, int) or k < 1:
        msg = f"k must be a positive integer, got {k!r}"
        raise RequestError(msg)
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

    pairs = list(pairs)
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
    lon = net.sites.geometry.x.to_numpy()
    lat = net.sites.geometry.y.to_numpy()
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
