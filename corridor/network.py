"""The network model: sites and links turned into routable CSR arrays.

:func:`build_network` takes validated site and link tables, snaps link ends to their sites,
measures each link geodesically along its geometry (WGS84 ellipsoid, :class:`pyproj.Geod`), finds
the countries it crosses against the border polygons, applies the latency model, and stores the
graph as CSR arrays for the kernels. A :class:`Network` is immutable: a different latency model
or data set is a different network.

Every link is undirected (both directions have the same latency) and becomes two arcs that share
its link index; parallel links between the same two sites are kept as distinct links.
"""

from __future__ import annotations

import difflib
import math
import os
import pickle
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pyproj import Geod

from corridor import datasets
from corridor._errors import DataError, RequestError, UnknownSiteError
from corridor.latency import LatencyModel

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    import pandas as pd

__all__ = ["GEOD", "Network", "build_network", "load_network", "subnetwork"]

#: The WGS84 ellipsoid used for every geodesic length.
GEOD = Geod(ellps="WGS84")

#: A terrestrial link counts as crossing a country when at least this much of it lies inside.
MIN_COUNTRY_KM = 10.0


def _norm(text: str) -> str:
    """Lowercase ASCII letters and digits of a transliteration: ``"Xi'an"`` and ``"xian"``,
    ``"Алматы"`` and ``"almaty"``, ``"Ürümqi"`` and ``"urumqi"`` compare equal (any script is
    transliterated by anyascii; a name in its own script also matches a site's ``name_local``).
    """
    from anyascii import anyascii

    folded = anyascii(unicodedata.normalize("NFKC", text))
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class Lookup:
    """Plain columns of a network for fast per-path bookkeeping (no pandas indexing).

    Text columns are lists of Python strings and tuples; numeric ones are read-only NumPy
    arrays. Everything routing needs lives here, so a network loaded from the cache can route
    without importing pandas or geopandas.
    """

    site_id: list[str]
    site_name: list[str]
    site_country: list[str]
    site_lon: np.ndarray
    site_lat: np.ndarray
    link_id: list[str]
    link_system: list[str]
    link_kind: list[str]
    link_status: list[str]
    link_srlgs: list[tuple[str, ...]]
    link_countries: list[tuple[str, ...]]
    link_latency: np.ndarray
    link_length: np.ndarray
    #: Other names of each site (``name_local``: names in the local script, ``;``-separated).
    site_aliases: list[tuple[str, ...]] = field(default_factory=list)
    #: ``documented`` or ``inferred`` per link (see :data:`corridor.io.LINK_CONFIDENCES`).
    link_confidence: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, sites: gpd.GeoDataFrame, links: gpd.GeoDataFrame) -> Lookup:
        """Columns of validated site and link tables."""
        geom = sites.geometry
        present = ~(geom.isna() | geom.is_empty).to_numpy()
        lon = np.full(len(sites), np.nan)
        lat = np.full(len(sites), np.nan)
        lon[present] = geom[present].x.to_numpy()
        lat[present] = geom[present].y.to_numpy()
        return cls(
            site_id=[str(x) for x in sites["id"]],
            site_name=[str(x) for x in sites["name"]],
            site_country=[str(x) for x in sites["country"]],
            site_lon=_readonly(lon),
            site_lat=_readonly(lat),
            link_id=[str(x) for x in links["id"]],
            link_system=[str(x) for x in links.get("system", [""] * len(links))],
            link_kind=[str(x) for x in links.get("kind", ["terrestrial"] * len(links))],
            link_status=[str(x) for x in links.get("status", ["existing"] * len(links))],
            link_srlgs=list(links["srlgs"]),
            link_countries=list(links["countries"]),
            link_latency=_readonly(links["latency_ms"].to_numpy(dtype=float)),
            link_length=_readonly(
                links["length_km"].to_numpy(dtype=float)
                if "length_km" in links
                else np.full(len(links), np.nan)
            ),
            site_aliases=[
                tuple(a.strip() for a in str(x).split(";") if a.strip())
                if isinstance(x, str)
                else ()
                for x in sites.get("name_local", [""] * len(sites))
            ],
            link_confidence=[
                str(x) or "documented" for x in links.get("confidence", ["documented"] * len(links))
            ],
        )


class _Tables:
    """The site and link GeoDataFrames of a network, unpickled only when first used.

    Routing needs only the CSR arrays and :class:`Lookup`; the full tables (geometry, sources,
    every input field) are for maps, reports and exports. A network read from the cache keeps
    them as pickled bytes, so answering a route does not pay for importing geopandas.
    """

    __slots__ = ("_blob", "_links", "_sites")

    def __init__(self, sites: gpd.GeoDataFrame | None, links: gpd.GeoDataFrame | None) -> None:
        self._sites = sites
        self._links = links
        self._blob: bytes | None = None

    def _load(self) -> None:
        if self._sites is None:
            assert self._blob is not None
            self._sites, self._links = pickle.loads(self._blob)  # our own cache
            self._blob = None

    @property
    def sites(self) -> gpd.GeoDataFrame:
        self._load()
        assert self._sites is not None
        return self._sites

    @property
    def links(self) -> gpd.GeoDataFrame:
        self._load()
        assert self._links is not None
        return self._links

    def __getstate__(self) -> bytes:
        if self._blob is not None:
            return self._blob
        return pickle.dumps((self._sites, self._links), protocol=pickle.HIGHEST_PROTOCOL)

    def __setstate__(self, state: bytes) -> None:
        self._sites = self._links = None
        self._blob = state


@dataclass(frozen=True, eq=False)
class Network:
    """An immutable routable network.

    Attributes
    ----------
    sites
        One row per site (node), in node-index order: ``id``, ``name``, ``kind``, ``country``,
        ``region``, ``status``, ``source``, ``delay_ms`` (effective), geometry.
    links
        One row per link, in link-index order: the input fields plus ``length_km`` (geodesic),
        ``route_factor`` (effective), ``latency_ms`` (one way), ``countries`` (tuple of ISO
        codes in order from ``a`` to ``b``) and ``srlgs`` (tuple of shared-risk group ids).
    lookup
        The columns routing needs as plain lists and arrays (:class:`Lookup`).
    model
        The latency model the weights were computed with.
    indptr, head, tail, weight, arc_link
        CSR arrays of the arcs (see :mod:`corridor._kernels`). ``weight[a]`` is the link's
        latency plus the equipment delay of the arc's head site, in milliseconds.
    """

    lookup: Lookup
    model: LatencyModel
    country_names: dict[str, str]
    indptr: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    weight: np.ndarray
    arc_link: np.ndarray
    link_a: np.ndarray
    link_b: np.ndarray
    site_delay: np.ndarray
    srlg_names: tuple[str, ...]
    link_srlg_indptr: np.ndarray
    link_srlg_ids: np.ndarray
    _tables: _Tables = field(repr=False)
    _site_index: dict[str, int] = field(repr=False)
    _link_index: dict[str, int] = field(repr=False)

    @property
    def sites(self) -> gpd.GeoDataFrame:
        """The site table (GeoDataFrame), in node-index order."""
        return self._tables.sites

    @property
    def links(self) -> gpd.GeoDataFrame:
        """The link table (GeoDataFrame), in link-index order."""
        return self._tables.links

    # -- sizes -----------------------------------------------------------------------------
    @property
    def n_sites(self) -> int:
        """Number of sites (nodes)."""
        return len(self.lookup.site_id)

    @property
    def n_links(self) -> int:
        """Number of links (undirected edges, parallel ones counted separately)."""
        return len(self.lookup.link_id)

    # -- look-ups --------------------------------------------------------------------------
    def site_index(self, site_id: str) -> int:
        """Node index of an exact site id."""
        try:
            return self._site_index[site_id]
        except KeyError:
            msg = f"unknown site id {site_id!r}"
            raise UnknownSiteError(msg) from None

    def link_index(self, link_id: str) -> int:
        """Link index of an exact link id."""
        try:
            return self._link_index[link_id]
        except KeyError:
            msg = f"unknown link id {link_id!r}"
            raise UnknownSiteError(msg) from None

    def resolve_site(self, query: str) -> str:
        """Site id for an id or a name in any script, case- and accent-insensitive.

        Names are compared on their transliteration (``"Алматы"`` finds Almaty) and against
        each site's local names (``name_local``); an integer label of a graph built with
        :meth:`from_networkx` finds its node.

        Raises
        ------
        UnknownSiteError
            With "did you mean" suggestions when nothing matches, or the candidates when a
            name is ambiguous.
        RequestError
            When the query is not a string (or an integer label).
        """
        if isinstance(query, bool) or not isinstance(query, str | int | np.integer):
            msg = f"a site must be given by id or name, got {type(query).__name__} {query!r}"
            raise RequestError(msg)
        query = str(query)
        if query in self._site_index:
            return query
        key = _norm(query)
        if not key:
            what = "empty site name" if not query.strip() else "no letters or digits in site name"
            msg = f"{what} {query!r}"
            raise UnknownSiteError(msg)
        ids = self.lookup.site_id
        by_id = [i for i in ids if _norm(i) == key]
        if len(by_id) == 1:
            return by_id[0]
        names = self._site_names()
        by_name = list(dict.fromkeys(i for n, i in names if _norm(n) == key))
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            msg = f"site name {query!r} is ambiguous: ids {', '.join(by_name)}"
            raise UnknownSiteError(msg)
        choices = {_norm(i): i for i in ids} | {_norm(n): i for n, i in names}
        close = difflib.get_close_matches(key, list(choices), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(sorted({choices[c] for c in close}))}?" if close else ""
        msg = f"unknown site {query!r}{hint}"
        raise UnknownSiteError(msg)

    def _site_names(self) -> list[tuple[str, str]]:
        """(name, site id) for every name and local name of every site."""
        look = self.lookup
        pairs = list(zip(look.site_name, look.site_id, strict=True))
        for site, aliases in zip(look.site_id, look.site_aliases, strict=False):
            pairs.extend((alias, site) for alias in aliases)
        return pairs

    def resolve_country(self, query: str) -> str:
        """ISO alpha-2 code for a code or a country name (``"KZ"``, ``"kazakhstan"``)."""
        if not isinstance(query, str):
            msg = f"a country must be given by ISO code or name, got {query!r}"
            raise RequestError(msg)
        code = query.strip().upper()
        known = set(self.country_names) | set(self.lookup.site_country)
        if code in known:
            return code
        key = _norm(query)
        for iso, name in self.country_names.items():
            if _norm(name) == key:
                return iso
        names = {_norm(n): iso for iso, n in self.country_names.items()}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.7)
        hint = f"; did you mean {', '.join(sorted({names[c] for c in close}))}?" if close else ""
        msg = f"unknown country {query!r}{hint}"
        raise UnknownSiteError(msg)

    def country_name(self, code: str) -> str:
        """Display name of an ISO code (the code itself when unknown)."""
        return self.country_names.get(code, code)

    # -- conversions -----------------------------------------------------------------------
    def link_countries(self, link: int, *, reverse: bool = False) -> tuple[str, ...]:
        """Countries a link crosses, in the direction of travel."""
        seq = self.lookup.link_countries[link]
        return tuple(reversed(seq)) if reverse else seq

    def to_networkx(self) -> nx.MultiGraph:
        """The network as a networkx MultiGraph keyed by link id (weights in ``latency_ms``)."""
        import networkx as nx

        graph = nx.MultiGraph()
        for row in self.sites.itertuples(index=False):
            graph.add_node(row.id, name=row.name, kind=row.kind, country=row.country)
        for row in self.links.itertuples(index=False):
            graph.add_edge(
                row.a, row.b, key=row.id, latency_ms=row.latency_ms, length_km=row.length_km
            )
        return graph

    @classmethod
    def from_networkx(
        cls,
        graph: nx.Graph,
        *,
        weight: str = "latency_ms",
        model: LatencyModel | None = None,
    ) -> Network:
        """Build a network from a networkx (Multi)(Di)Graph.

        Each edge's ``weight`` attribute is taken as its one-way latency in milliseconds (no
        route factor or equipment delay is added; set ``model.site_delay_ms`` for that). Node
        attributes ``lon``/``lat`` (or ``x``/``y``, ``Longitude``/``Latitude``), ``name`` and
        ``country`` are used when present; edges get straight-line geometries where both ends
        have coordinates. Undirected graphs give undirected links; directed graphs one arc per
        edge (a directed network's reverse direction is not assumed).
        """
        import geopandas as gpd
        import shapely

        _check_graph(graph, weight)
        model = model or LatencyModel(site_delay_ms=0.0)
        site_rows = []
        for node, data in graph.nodes(data=True):
            lon = _first(data, ("lon", "x", "Longitude", "longitude"))
            lat = _first(data, ("lat", "y", "Latitude", "latitude"))
            point = shapely.Point(lon, lat) if lon is not None and lat is not None else None
            site_rows.append(
                {
                    "id": str(node),
                    "name": str(data.get("name", data.get("label", node))),
                    "kind": "city",
                    "country": str(data.get("country", "")),
                    "region": "",
                    "status": "existing",
                    "source": "networkx graph",
                    "delay_ms": math.nan,
                    "geometry": point,
                }
            )
        sites = gpd.GeoDataFrame(site_rows, geometry="geometry", crs="EPSG:4326")
        if len(sites) and sites["id"].duplicated().any():
            msg = "networkx graph: node labels are not unique as strings"
            raise DataError(msg)
        coords = {r["id"]: r["geometry"] for r in site_rows}
        link_rows = []
        edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]]
        if graph.is_multigraph():
            edges = graph.edges(keys=True, data=True)
        else:
            edges = ((u, v, 0, d) for u, v, d in graph.edges(data=True))
        for u, v, key, data in edges:
            if weight not in data:
                msg = f"networkx graph: edge ({u!r}, {v!r}) has no {weight!r} attribute"
                raise DataError(msg)
            w = float(data[weight])
            if not math.isfinite(w) or w < 0:
                msg = f"networkx graph: edge ({u!r}, {v!r}): {weight} = {w!r} is not >= 0"
                raise DataError(msg)
            a, b = str(u), str(v)
            pa, pb = coords[a], coords[b]
            line = shapely.LineString([pa, pb]) if pa is not None and pb is not None else None
            link_rows.append(
                {
                    "id": f"{a}|{b}|{key}",
                    "a": a,
                    "b": b,
                    "name": str(data.get("name", "")),
                    "system": str(data.get("system", "")),
                    "kind": "terrestrial",
                    "status": "existing",
                    "srlg": str(data.get("srlg", "")),
                    "confidence": str(data.get("confidence", "documented")),
                    "source": "networkx graph",
                    "latency_ms": w,
                    "length_km": float(data.get("length_km", w / model.ms_per_km)),
                    "route_factor": 1.0,
                    "countries": tuple(
                        c for c in dict.fromkeys([_country(sites, a), _country(sites, b)]) if c
                    ),
                    "geometry": line,
                }
            )
        links = gpd.GeoDataFrame(link_rows, geometry="geometry", crs="EPSG:4326")
        if not len(links):
            links = gpd.GeoDataFrame(
                {c: [] for c in ("id", "a", "b", "latency_ms", "srlg", "countries")},
                geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            )
        return _assemble(sites, links, model, {}, directed=graph.is_directed())


def _check_graph(graph: object, weight: object) -> None:
    """Refuse what :meth:`Network.from_networkx` cannot turn into a network, naming why."""
    import networkx as nx

    if not isinstance(graph, nx.Graph):
        msg = f"from_networkx needs a networkx graph, got {type(graph).__name__}"
        raise DataError(msg)
    if not isinstance(weight, str):
        msg = f"weight must be the name of an edge attribute (a string), got {weight!r}"
        raise RequestError(msg)
    if graph.number_of_nodes() == 0:
        msg = "networkx graph: the graph is empty (no nodes)"
        raise DataError(msg)
    if graph.number_of_edges() == 0:
        msg = f"networkx graph: no edges among its {graph.number_of_nodes()} nodes"
        raise DataError(msg)
    loop = next(iter(nx.selfloop_edges(graph)), None)
    if loop is not None:
        msg = f"networkx graph: self-loop on node {loop[0]!r}; a link joins two different sites"
        raise DataError(msg)
    for node, data in graph.nodes(data=True):
        for keys, limit, what in (
            (("lon", "x", "Longitude", "longitude"), 180.0, "longitude"),
            (("lat", "y", "Latitude", "latitude"), 90.0, "latitude"),
        ):
            value = _first(data, keys)
            if value is not None and not (math.isfinite(value) and abs(value) <= limit):
                msg = f"networkx graph: node {node!r}: {what} {value!r} is outside +-{limit:g}"
                raise DataError(msg)
    for u, v, data in graph.edges(data=True):
        w = data.get(weight)
        ok = isinstance(w, int | float | np.number) and not isinstance(w, bool)
        if w is not None and not (ok and math.isfinite(float(w)) and float(w) >= 0):
            msg = f"networkx graph: edge ({u!r}, {v!r}): {weight} = {w!r} is not >= 0 (ms)"
            raise DataError(msg)


def _check_frames(sites: object, links: object, where: tuple[str, str]) -> None:
    """Both tables are GeoDataFrames with a coordinate reference system."""
    import geopandas as gpd

    for table, name in ((sites, where[0]), (links, where[1])):
        if not isinstance(table, gpd.GeoDataFrame):
            msg = f"{name}: expected a GeoDataFrame, got {type(table).__name__}"
            raise DataError(msg)
        if table.crs is None:
            msg = f"{name}: no coordinate reference system (CRS); set one, e.g. EPSG:4326"
            raise DataError(msg)


def _first(data: dict[str, Any], keys: Sequence[str]) -> float | None:
    for key in keys:
        if key in data and data[key] is not None:
            return float(data[key])
    return None


def _country(sites: pd.DataFrame, site_id: str) -> str:
    return str(sites.loc[sites["id"] == site_id, "country"].iat[0])


def _snap_ends(
    links: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, snap_km: float, where: str
) -> list[Any]:
    """Link geometries with their end vertices snapped onto their sites (reversed if drawn b->a)."""
    import shapely

    point = dict(zip(sites["id"], sites.geometry, strict=True))
    snapped = []
    for row in links.itertuples(index=False):
        for end in ("a", "b"):
            if getattr(row, end) not in point:
                msg = f"{where}: link {row.id!r}: field {end!r}: unknown site {getattr(row, end)!r}"
                raise DataError(msg)
        pa, pb = point[row.a], point[row.b]
        coords = shapely.get_coordinates(row.geometry)
        first, last = coords[0], coords[-1]

        def km(p: np.ndarray, q: Any) -> float:
            return float(GEOD.inv(p[0], p[1], q.x, q.y)[2]) / 1000.0

        forward = max(km(first, pa), km(last, pb))
        backward = max(km(first, pb), km(last, pa))
        if backward < forward:
            coords = coords[::-1]
            forward = backward
        if forward > snap_km:
            end, dist = (
                ("a", km(coords[0], pa))
                if km(coords[0], pa) > snap_km
                else ("b", km(coords[-1], pb))
            )
            msg = (
                f"{where}: link {row.id!r}: end {end!r} is {dist:.1f} km from site "
                f"{getattr(row, end)!r} (tolerance {snap_km:g} km)"
            )
            raise DataError(msg)
        coords = coords.copy()
        coords[0] = (pa.x, pa.y)
        coords[-1] = (pb.x, pb.y)
        snapped.append(shapely.LineString(coords))
    return snapped


def _countries_crossed(
    links: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    borders: gpd.GeoDataFrame | None,
) -> list[tuple[str, ...]]:
    """Countries each link crosses, in order from ``a`` to ``b``.

    A link always counts the countries of its two end sites (landings count). A terrestrial link
    also counts every country with at least :data:`MIN_COUNTRY_KM` of its geometry inside,
    ordered by position along the line; a submarine link crosses no country at sea.
    """
    import shapely

    country = dict(zip(sites["id"], sites["country"], strict=True))
    lines = links.geometry.to_numpy()
    crossed: list[list[tuple[float, str]]] = [[] for _ in range(len(links))]
    if borders is not None and len(links):
        polygons = borders.geometry.to_numpy()
        codes = borders["iso_a2"].to_numpy()
        land = np.flatnonzero(links["kind"].to_numpy() == "terrestrial")
        hit_line, hit_poly = shapely.STRtree(polygons).query(lines[land], predicate="intersects")
        line_idx = land[hit_line]
        inside = shapely.intersection(lines[line_idx], polygons[hit_poly])
        for li, pi, part in zip(line_idx, hit_poly, inside, strict=True):
            if part.is_empty or GEOD.geometry_length(part) / 1000.0 < MIN_COUNTRY_KM:
                continue
            start = shapely.Point(shapely.get_coordinates(part)[0])
            crossed[li].append((lines[li].project(start, normalized=True), str(codes[pi])))
    out = []
    for a, b, middle in zip(links["a"], links["b"], crossed, strict=True):
        seq = [country[a], *(c for _, c in sorted(middle)), country[b]]
        out.append(tuple(c for c in dict.fromkeys(seq) if c))
    return out


def _parse_srlgs(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in text.split(";") if t.strip()))


def build_network(
    sites: gpd.GeoDataFrame,
    links: gpd.GeoDataFrame,
    *,
    borders: gpd.GeoDataFrame | None = None,
    model: LatencyModel | None = None,
    snap_km: float = 5.0,
    where: tuple[str, str] = ("sites", "links"),
    validated: bool = False,
) -> Network:
    """Build a routable :class:`Network` from site and link tables.

    Parameters
    ----------
    sites, links
        Tables as returned by :func:`corridor.io.read_sites` and :func:`corridor.io.read_links`
        (they are validated again here, so raw GeoDataFrames work too).
    borders
        Country polygons with ``iso_a2`` and ``name`` (:func:`corridor.io.read_countries`);
        without them a link crosses only the countries of its two ends.
    model
        The latency model (default :class:`~corridor.latency.LatencyModel`).
    snap_km
        How far a link's end vertex may lie from its site before it is refused.
    where
        Names of the site and link sources used in error messages (e.g. their file paths).
    validated
        The tables come unchanged from :func:`corridor.io.read_sites` and
        :func:`corridor.io.read_links`, so the schema checks need not run twice.

    Raises
    ------
    DataError
        For unknown site ids, link ends too far from their sites, or schema violations.
    """
    import geopandas as gpd

    from corridor.io import validate_links, validate_sites

    _check_frames(sites, links, where)
    model = model or LatencyModel()
    if not validated:
        sites = validate_sites(sites, where=where[0])
        links = validate_links(links, where=where[1])
    if sites.crs is not None and not sites.crs.equals("EPSG:4326"):
        sites = sites.to_crs("EPSG:4326")
    if links.crs is not None and not links.crs.equals("EPSG:4326"):
        links = links.to_crs("EPSG:4326")
    snapped = _snap_ends(links, sites, snap_km, where[1])
    links = links.set_geometry(gpd.GeoSeries(snapped, crs="EPSG:4326", index=links.index))
    links["length_km"] = [GEOD.geometry_length(g) / 1000.0 for g in links.geometry]
    factor = links["route_factor"].to_numpy(dtype=float, na_value=np.nan)
    default = np.array([model.route_factor(k) for k in links["kind"]])
    links["route_factor"] = np.where(np.isnan(factor), default, factor)
    links["latency_ms"] = [
        model.link_ms(km, route_factor=rf)
        for km, rf in zip(links["length_km"], links["route_factor"], strict=True)
    ]
    links["countries"] = _countries_crossed(links, sites, borders)
    names: dict[str, str] = {}
    if borders is not None:
        names = dict(zip(borders["iso_a2"], borders["name"], strict=True))
    return _assemble(sites, links, model, names, directed=False)


def _assemble(
    sites: gpd.GeoDataFrame,
    links: gpd.GeoDataFrame,
    model: LatencyModel,
    country_names: dict[str, str],
    *,
    directed: bool,
) -> Network:
    sites = sites.reset_index(drop=True)
    links = links.reset_index(drop=True)
    site_index = {s: i for i, s in enumerate(sites["id"])}
    link_index = {s: i for i, s in enumerate(links["id"])}
    n = len(sites)
    delay = sites["delay_ms"].to_numpy(dtype=float, na_value=np.nan)
    delay = np.where(np.isnan(delay), model.site_delay_ms, delay)
    sites = sites.assign(delay_ms=delay)
    a = np.array([site_index[s] for s in links["a"]], dtype=np.int64)
    b = np.array([site_index[s] for s in links["b"]], dtype=np.int64)
    lat = links["latency_ms"].to_numpy(dtype=float)
    lidx = np.arange(len(links), dtype=np.int64)
    if directed:
        tails, heads, arc_link = a, b, lidx
    else:
        tails = np.concatenate([a, b])
        heads = np.concatenate([b, a])
        arc_link = np.concatenate([lidx, lidx])
    order = np.lexsort((heads, arc_link, tails))
    tails, heads, arc_link = tails[order], heads[order], arc_link[order]
    weight = lat[arc_link] + delay[heads]
    indptr = np.searchsorted(tails, np.arange(n + 1)).astype(np.int64)
    srlgs = [_parse_srlgs(s) for s in links["srlg"]]
    links["srlgs"] = srlgs
    srlg_names = tuple(sorted({g for gs in srlgs for g in gs}))
    gid = {g: i for i, g in enumerate(srlg_names)}
    counts = np.array([len(gs) for gs in srlgs], dtype=np.int64)
    srlg_indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    srlg_ids = np.array([gid[g] for gs in srlgs for g in gs], dtype=np.int64)
    return Network(
        lookup=Lookup.of(sites, links),
        model=model,
        country_names=country_names,
        indptr=_readonly(indptr),
        head=_readonly(heads.astype(np.int64)),
        tail=_readonly(tails.astype(np.int64)),
        weight=_readonly(weight.astype(np.float64)),
        arc_link=_readonly(arc_link.astype(np.int64)),
        link_a=_readonly(a),
        link_b=_readonly(b),
        site_delay=_readonly(delay.astype(np.float64)),
        srlg_names=srlg_names,
        link_srlg_indptr=_readonly(srlg_indptr),
        link_srlg_ids=_readonly(srlg_ids),
        _tables=_Tables(sites, links),
        _site_index=site_index,
        _link_index=link_index,
    )


def load_network(
    sites: str | Path | None = None,
    links: str | Path | None = None,
    *,
    countries: str | Path | None = None,
    model: LatencyModel | None = None,
    snap_km: float = 5.0,
    cache: bool = True,
) -> Network:
    """Read site, link and border files (the shipped data set by default) and build a network.

    With ``cache`` (the default) a network built before from byte-identical files with the
    same model is read from the on-disk cache instead (see :mod:`corridor._cache`); the
    result is the same either way.
    """
    from corridor import _cache

    for value, name in ((sites, "sites"), (links, "links"), (countries, "countries")):
        if value is not None and not isinstance(value, str | os.PathLike):
            msg = f"{name} must be a file path, got {type(value).__name__} {value!r}"
            raise RequestError(msg)
    if (sites is None) != (links is None):
        given, missing = ("sites", "links") if links is None else ("links", "sites")
        msg = (
            f"{given} file given without a {missing} file: own data needs both "
            f"(--sites and --links); the shipped {missing} would not match"
        )
        raise RequestError(msg)
    model = model or LatencyModel()
    sites_path = Path(sites) if sites is not None else datasets.get_path("sites")
    links_path = Path(links) if links is not None else datasets.get_path("links")
    borders_path = Path(countries) if countries is not None else datasets.get_path("countries")
    key = None
    if cache:
        params = f"{model!r}|snap={snap_km!r}|{sites_path}|{links_path}"
        key = _cache.cache_key((sites_path, links_path, borders_path), params)
        net = _cache.load(key, Network)
        if net is not None:
            return net
    from corridor.io import read_countries, read_links, read_sites

    net = build_network(
        read_sites(sites_path),
        read_links(links_path),
        borders=read_countries(borders_path),
        model=model,
        snap_km=snap_km,
        where=(str(sites_path), str(links_path)),
        validated=True,
    )
    if cache:
        _cache.store(key, net)
    return net


def subnetwork(
    net: Network, keep_links: np.ndarray, *, status: Sequence[str] | None = None
) -> Network:
    """The network restricted to some links (all sites kept), optionally with new statuses.

    Parameters
    ----------
    net
        The network.
    keep_links
        Boolean mask over ``net``'s links (link-index order): the links that stay.
    status
        New status per link of ``net`` (same order), e.g. a planned link that is in service by
        a given year becoming ``"existing"``; ``None`` keeps the statuses.

    Returns
    -------
    Network
        A new network; link indices are renumbered, site indices are unchanged.
    """
    keep = np.asarray(keep_links, dtype=bool)
    if keep.shape != (net.n_links,):
        msg = f"keep_links must have one entry per link ({net.n_links}), got shape {keep.shape}"
        raise RequestError(msg)
    links = net.links.copy()
    if status is not None:
        links["status"] = list(status)
    links = links.loc[keep]
    directed = net.n_links > 0 and len(net.arc_link) == net.n_links
    return _assemble(net.sites, links, net.model, net.country_names, directed=directed)
