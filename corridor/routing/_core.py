"""Shared machinery of the routing functions: results, constraints, request preparation."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridor._errors import ConstraintError, RequestError, UnknownSiteError
from corridor._kernels import dijkstra
from corridor._validate import MAX_K, check_count, check_number, check_site_ref, name_list
from corridor.network import GEOD, Network

__all__ = [
    "MAX_CANDIDATES",
    "Constraints",
    "Path",
    "RouteResult",
    "constraints",
    "great_circle_km",
    "make_path",
    "prepare",
]

#: How many loopless paths a constrained search may examine before giving up.
MAX_CANDIDATES = 20_000

_STATUS_SETS = {
    "existing": frozenset({"existing"}),
    "planned": frozenset({"existing", "planned"}),
    "all": frozenset({"existing", "planned", "proposed"}),
    # "suspended" links (built, not known to carry traffic) only when asked for
    "any": frozenset({"existing", "planned", "proposed", "suspended"}),
}

#: Confidence of a path: the lowest of its links' (``inferred`` below ``documented``).
CONFIDENCE_ORDER = ("inferred", "documented")


class Path:
    """One route through the network, with everything a person asks about it.

    A path keeps the arc indices the kernel returned and resolves everything else (site and
    link ids, systems, countries, SRLGs, length, latency) from the network's plain columns on
    first access, so a search returning many paths costs little more than the kernel. Paths
    compare equal when they have the same links, sites and latency; a pickled path carries its
    resolved values, not the network.
    """

    __slots__ = ("_arcs", "_cache", "_net", "_source", "floor_one_way_ms")

    def __init__(
        self, net: Network, source: int, arcs: np.ndarray, *, floor_one_way_ms: float = math.nan
    ) -> None:
        self._net: Network | None = net
        self._source = int(source)
        self._arcs = np.asarray(arcs, dtype=np.int64)
        self._cache: dict[str, Any] = {}
        #: One-way physical floor of the pair (great circle at the speed of light in fiber).
        self.floor_one_way_ms = float(floor_one_way_ms)

    # -- index arrays --------------------------------------------------------------------
    @property
    def arcs(self) -> np.ndarray:
        """Arc indices into the network's CSR arrays, in travel order (read-only)."""
        view = self._arcs.view()
        view.setflags(write=False)
        return view

    def _get(self, name: str) -> Any:
        try:
            return self._cache[name]
        except KeyError:
            pass
        net = self._net
        assert net is not None  # an unpickled path has every value cached
        if name == "node_index":
            value = np.concatenate([[self._source], net.head[self._arcs]]).astype(np.int64)
        elif name == "link_index":
            value = net.arc_link[self._arcs].astype(np.int64)
        else:
            value = getattr(self, f"_resolve_{name}")(net)
        self._cache[name] = value
        return value

    @property
    def node_index(self) -> np.ndarray:
        """Node indices of the sites along the path, source first."""
        return self._get("node_index")

    @property
    def link_index(self) -> np.ndarray:
        """Link indices of the links along the path."""
        return self._get("link_index")

    # -- resolved values -----------------------------------------------------------------
    @property
    def nodes(self) -> tuple[str, ...]:
        """Site ids along the path, source first."""
        return self._get("nodes")

    @property
    def links(self) -> tuple[str, ...]:
        """Link ids along the path."""
        return self._get("links")

    @property
    def systems(self) -> tuple[str, ...]:
        """Cable systems used, in order of first use."""
        return self._get("systems")

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries crossed, in travel order (sites and links)."""
        return self._get("countries")

    @property
    def srlgs(self) -> tuple[str, ...]:
        """Shared-risk link groups of the links used, in order of first use."""
        return self._get("srlgs")

    @property
    def link_confidence(self) -> tuple[str, ...]:
        """``documented`` / ``inferred`` of each link, in path order."""
        return self._get("link_confidence")

    @property
    def confidence(self) -> str:
        """The lowest confidence along the path (``inferred`` if any link is inferred)."""
        if not self.link_confidence:
            return "documented"
        return min(self.link_confidence, key=CONFIDENCE_ORDER.index)

    @property
    def length_km(self) -> float:
        """Drawn length of the links, km."""
        return self._get("length_km")

    @property
    def one_way_ms(self) -> float:
        """Expected one-way latency: the links' expected latencies, the equipment delay of the
        intermediate sites and ``model.handoff_ms`` per handoff (see :mod:`corridor.latency`)."""
        return self._get("one_way_ms")

    @property
    def physical_one_way_ms(self) -> float:
        """One way along the drawn route at the physical route factors (a lower bound)."""
        return self._get("physical_one_way_ms")

    @property
    def handoffs(self) -> int:
        """Changes of system (operator) between consecutive links."""
        return self._get("handoffs")

    def _resolve_nodes(self, net: Network) -> tuple[str, ...]:
        ids = net.lookup.site_id
        return tuple(ids[v] for v in self.node_index.tolist())

    def _resolve_links(self, net: Network) -> tuple[str, ...]:
        ids = net.lookup.link_id
        return tuple(ids[li] for li in self.link_index.tolist())

    def _resolve_systems(self, net: Network) -> tuple[str, ...]:
        systems = net.lookup.link_system
        return tuple(dict.fromkeys(systems[li] for li in self.link_index.tolist()))

    def _resolve_countries(self, net: Network) -> tuple[str, ...]:
        look = net.lookup
        countries: list[str] = [look.site_country[self._source]]
        tails = net.tail[self._arcs].tolist()
        link_idx = self.link_index.tolist()
        for tail, li in zip(tails, link_idx, strict=True):
            countries.extend(net.link_countries(li, reverse=tail != int(net.link_a[li])))
        return tuple(str(c) for c in dict.fromkeys(countries) if c)

    def _resolve_srlgs(self, net: Network) -> tuple[str, ...]:
        groups = net.lookup.link_srlgs
        return tuple(dict.fromkeys(g for li in self.link_index.tolist() for g in groups[li]))

    def _resolve_link_confidence(self, net: Network) -> tuple[str, ...]:
        confidence = net.lookup.link_confidence
        if not confidence:
            return ("documented",) * len(self._arcs)
        return tuple(confidence[li] for li in self.link_index.tolist())

    def _resolve_length_km(self, net: Network) -> float:
        link_idx = self.link_index
        return float(net.lookup.link_length[link_idx].sum()) if len(link_idx) else 0.0

    def _site_delays(self, net: Network) -> float:
        nodes = self.node_index
        return float(net.site_delay[nodes[1:-1]].sum()) if len(nodes) > 2 else 0.0

    def _resolve_one_way_ms(self, net: Network) -> float:
        link_idx = self.link_index
        latency = float(net.lookup.link_latency[link_idx].sum()) if len(link_idx) else 0.0
        return latency + self._site_delays(net) + self.handoffs * net.model.handoff_ms

    def _resolve_physical_one_way_ms(self, net: Network) -> float:
        link_idx = self.link_index
        look = net.lookup
        physical = look.link_physical if len(look.link_physical) else look.link_latency
        return (float(physical[link_idx].sum()) if len(link_idx) else 0.0) + self._site_delays(net)

    def _resolve_handoffs(self, net: Network) -> int:
        codes = net.lookup.link_system_code
        if len(codes) == 0 or len(self._arcs) < 2:
            return 0
        along = codes[self.link_index]
        return int(np.count_nonzero(along[1:] != along[:-1]))

    # -- derived -------------------------------------------------------------------------
    @property
    def rtt_ms(self) -> float:
        """Round-trip time: twice the one-way latency."""
        return 2.0 * self.one_way_ms

    @property
    def physical_rtt_ms(self) -> float:
        """Round trip along the drawn route at the physical route factors (lower bound)."""
        return 2.0 * self.physical_one_way_ms

    @property
    def hops(self) -> int:
        """Number of links."""
        return len(self._arcs)

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
            "physical_rtt_ms": (
                round(self.physical_rtt_ms, 4) if math.isfinite(self.physical_rtt_ms) else None
            ),
            "handoffs": self.handoffs,
            "stretch": round(self.stretch, 4) if math.isfinite(self.stretch) else None,
            "confidence": self.confidence,
            "legs": [
                {"link": link, "from": a, "to": b, "confidence": conf}
                for link, a, b, conf in zip(
                    self.links, self.nodes[:-1], self.nodes[1:], self.link_confidence, strict=False
                )
            ],
        }

    def replace(self, **values: Any) -> Path:
        """A copy with some resolved values given (e.g. ``one_way_ms=50.0`` for a what-if
        display); the other values still resolve from the same arcs."""
        unknown = set(values) - set(self._RESOLVED) - {"floor_one_way_ms"}
        if unknown:
            msg = f"Path.replace: unknown field(s) {', '.join(sorted(unknown))}"
            raise RequestError(msg)
        copy = Path.__new__(Path)
        copy._net, copy._source, copy._arcs = self._net, self._source, self._arcs
        copy.floor_one_way_ms = float(values.pop("floor_one_way_ms", self.floor_one_way_ms))
        copy._cache = {**self._cache, **values}
        return copy

    # -- identity, pickling, display -----------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (self.links, self.nodes, self.one_way_ms, self.floor_one_way_ms)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key()[:3])

    def __repr__(self) -> str:
        return f"Path(nodes={self.nodes!r}, one_way_ms={self.one_way_ms!r})"

    _RESOLVED = (
        "node_index",
        "link_index",
        "nodes",
        "links",
        "systems",
        "countries",
        "srlgs",
        "link_confidence",
        "length_km",
        "one_way_ms",
        "physical_one_way_ms",
        "handoffs",
    )

    def __getstate__(self) -> dict[str, Any]:
        values = {name: self._get(name) for name in self._RESOLVED}
        return {
            "source": self._source,
            "arcs": self._arcs,
            "floor": self.floor_one_way_ms,
            "cache": values,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._net = None
        self._source = state["source"]
        self._arcs = state["arcs"]
        self.floor_one_way_ms = state["floor"]
        self._cache = dict(state["cache"])


@dataclass(frozen=True, slots=True)
class RouteResult:
    """The answer to a routing request: the paths found and the pair's physical floor."""

    source: str
    target: str
    paths: tuple[Path, ...]
    great_circle_km: float
    floor_one_way_ms: float
    notes: tuple[str, ...] = ()
    #: Extra facts per path, by rank (role, parallel cables, where it leaves the best path).
    path_info: tuple[dict[str, Any], ...] = ()
    #: Extra facts of the whole answer (e.g. what a protected pair still shares).
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def floor_rtt_ms(self) -> float:
        """Round trip at the speed of light in fiber along the great circle."""
        return 2.0 * self.floor_one_way_ms

    @property
    def best(self) -> Path:
        """The first (best) path."""
        return self.paths[0]

    def to_geodataframe(self, net: Network | None = None, *, by: str = "path") -> Any:
        """The paths as a GeoDataFrame in EPSG:4326, one row per path (``by="path"``) or per
        link (``by="link"``), drawn along the links' geometries (see
        :func:`corridor.export.route_geodataframe`). ``net`` is needed only for a result
        that was pickled (its paths no longer hold the network)."""
        from corridor.export import route_geodataframe

        net = net or next((p._net for p in self.paths if p._net is not None), None)
        if net is None:
            msg = "this route result was unpickled: pass the network, to_geodataframe(net)"
            raise RequestError(msg)
        return route_geodataframe(net, self, by=by)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (``paths`` ranked from 1)."""
        info = self.path_info
        return {
            "source": self.source,
            "target": self.target,
            "great_circle_km": round(self.great_circle_km, 3),
            "floor_one_way_ms": round(self.floor_one_way_ms, 4),
            "floor_rtt_ms": round(self.floor_rtt_ms, 4),
            "paths": [
                {"rank": i + 1, **p.to_dict(), **(info[i] if i < len(info) else {})}
                for i, p in enumerate(self.paths)
            ],
            **self.summary,
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
    via_links: tuple[str, ...] = ()
    max_latency_ms: float | None = None
    max_hops: int | None = None
    described: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_path_filters(self) -> bool:
        """True when some constraint can only be checked on whole paths."""
        return bool(
            self.via_sites or self.via_countries or self.via_links or self.max_hops is not None
        )

    def arc_mask(self, net: Network) -> np.ndarray:
        """Usable arcs."""
        look = net.lookup
        ok = np.array([s in self.statuses for s in look.link_status], dtype=bool)
        if self.avoid_links:
            ok &= ~np.array([x in self.avoid_links for x in look.link_id], dtype=bool)
        if self.avoid_systems:
            systems = {s.casefold() for s in self.avoid_systems}
            ok &= ~np.array([s.casefold() in systems for s in look.link_system], dtype=bool)
        if self.avoid_srlgs:
            ok &= ~np.array([bool(self.avoid_srlgs & set(g)) for g in look.link_srlgs], dtype=bool)
        if self.avoid_countries:
            ok &= ~np.array(
                [bool(self.avoid_countries & set(c)) for c in look.link_countries], dtype=bool
            )
        return np.ascontiguousarray(ok[net.arc_link])

    def node_mask(self, net: Network) -> np.ndarray:
        """Usable sites."""
        look = net.lookup
        ok = np.ones(net.n_sites, dtype=bool)
        if self.avoid_sites:
            ok &= ~np.array([x in self.avoid_sites for x in look.site_id], dtype=bool)
        if self.avoid_countries:
            ok &= ~np.array([c in self.avoid_countries for c in look.site_country], dtype=bool)
        return ok

    def accepts(self, path: Path) -> bool:
        """Whether a path satisfies the path-level constraints (via, hops, latency)."""
        if self.max_hops is not None and path.hops > self.max_hops:
            return False
        if self.max_latency_ms is not None and path.one_way_ms > self.max_latency_ms + 1e-9:
            return False
        if any(s not in path.nodes for s in self.via_sites):
            return False
        if any(x not in path.links for x in self.via_links):
            return False
        return all(c in path.countries for c in self.via_countries)


def check_k(k: object) -> None:
    """Refuse a path count that is not a positive integer (at most :data:`MAX_K`)."""
    check_count(k, "k", maximum=MAX_K)


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
        statuses = frozenset(name_list(status, "status"))
        unknown = statuses - _STATUS_SETS["any"]
        if unknown or not statuses:
            msg = (
                f"unknown link status(es) {sorted(unknown)}; "
                "use existing, planned, proposed, suspended"
            )
            raise RequestError(msg)
    if max_latency_ms is not None:
        check_number(max_latency_ms, "max_latency_ms (one way)", unit="ms")
    if max_hops is not None:
        check_count(max_hops, "max_hops")
    buckets: dict[str, set[str]] = {k: set() for k in ("site", "link", "system", "country", "srlg")}
    described = []
    avoid, via = _label_ids(net, avoid), _label_ids(net, via)
    for item in name_list(avoid, "avoid"):
        kind, value = _classify(net, item)
        buckets[kind].add(value)
        described.append(f"avoid {kind} {value}")
    via_sites: list[str] = []
    via_countries: list[str] = []
    via_links: list[str] = []
    for item in name_list(via, "via"):
        kind, value = _classify(net, item, allowed=("link", "country", "site"))
        {"site": via_sites, "country": via_countries, "link": via_links}[kind].append(value)
        described.append(f"via {kind} {value}")
    clash = (
        (set(via_sites) & buckets["site"])
        | (set(via_countries) & buckets["country"])
        | (set(via_links) & buckets["link"])
    )
    if clash:
        msg = f"constraints conflict: {', '.join(sorted(clash))} is both required (via) and avoided"
        raise ConstraintError(msg)
    site_country = net.lookup.site_country
    clash_country = [s for s in via_sites if site_country[net.site_index(s)] in buckets["country"]]
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
        via_links=tuple(dict.fromkeys(via_links)),
        max_latency_ms=max_latency_ms,
        max_hops=max_hops,
        described=tuple(described),
    )


def _label_ids(net: Network, value: Any) -> Any:
    """``avoid``/``via`` with node labels of a networkx graph (integers, tuples) replaced by
    their site ids; a tuple label is one item, so give several as a list: ``[(0, 1), (2, 3)]``."""
    labels = net._labels
    if not labels or value is None or isinstance(value, str):
        return value
    try:
        if value in labels:
            return labels[value]
    except TypeError:  # unhashable: a list of items
        pass
    if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        out = []
        for item in value:
            try:
                out.append(labels.get(item, item))
            except TypeError:
                out.append(item)
        return out
    return value


def _classify(
    net: Network,
    item: str,
    allowed: Sequence[str] = ("link", "srlg", "system", "country", "site"),
) -> tuple[str, str]:
    """What an avoid/via token names: a link, an SRLG, a system, a country or a site."""
    text = item.strip()
    if "link" in allowed and text in net.lookup.link_id:
        return "link", text
    if "srlg" in allowed and text in net.srlg_names:
        return "srlg", text
    if "system" in allowed:
        for system in dict.fromkeys(net.lookup.link_system):
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
    look = net.lookup
    a, b = net.site_index(source), net.site_index(target)
    coords = (look.site_lon[a], look.site_lat[a], look.site_lon[b], look.site_lat[b])
    if any(math.isnan(c) for c in coords):
        return math.nan
    return float(GEOD.inv(*coords)[2]) / 1000.0


def make_path(net: Network, source: int, arcs: np.ndarray, floor_ms: float = math.nan) -> Path:
    """Wrap an arc sequence starting at node ``source`` as a (lazy) :class:`Path`."""
    return Path(net, source, arcs, floor_one_way_ms=floor_ms)


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
    check_site_ref(source, "source")
    check_site_ref(target, "target")
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
            country = net.lookup.site_country[net.site_index(site)]
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
        if req.cons.statuses >= _STATUS_SETS["all"]:
            return (
                f"{base} using only {shown} links; suspended links are left out unless "
                "asked for with status='any' (--status any)"
            )
        return f"{base} using only {shown} links; include more with status='all' (--status all)"
    dist, _ = dijkstra(net.indptr, net.head, net.weight, req.s, req.t, req.arc_ok, req.node_ok)
    if not math.isfinite(dist[req.t]):
        avoided = [d for d in req.cons.described if d.startswith("avoid")]
        return f"{base} once these are avoided: {'; '.join(avoided)}"
    reasons = []
    if req.cons.max_latency_ms is not None:
        from corridor.routing.service import least_expected

        fastest = least_expected(req)
        best = fastest.one_way_ms if fastest is not None else math.inf
        if best > req.cons.max_latency_ms + 1e-9:
            return (
                f"{base} within {req.cons.max_latency_ms:g} ms one way: the fastest allowed route "
                f"takes {best:.2f} ms (expected, handoffs included"
                + (", before via and hop limits)" if req.cons.has_path_filters else ")")
            )
        reasons.append(f"max latency {req.cons.max_latency_ms:g} ms")
    if req.cons.max_hops is not None:
        reasons.append(f"max {req.cons.max_hops} hops")
    reasons.extend(d for d in req.cons.described if d.startswith("via"))
    return f"{base} satisfying {' and '.join(reasons)} together"


def _result(
    req: _Request,
    paths: Iterable[Path],
    notes: Iterable[str] = (),
    *,
    path_info: Iterable[dict[str, Any]] = (),
    summary: dict[str, Any] | None = None,
) -> RouteResult:
    return RouteResult(
        source=req.source,
        target=req.target,
        paths=tuple(paths),
        great_circle_km=req.great_circle_km,
        floor_one_way_ms=req.floor_ms,
        notes=tuple(notes),
        path_info=tuple(path_info),
        summary=dict(summary or {}),
    )
