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
from corridor.latency import LatencyModel, default_model

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

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


def _strings(column: Any) -> list[str]:
    """A text column as a list of Python strings (without iterating an Arrow array in Python)."""
    return [str(x) for x in np.asarray(column, dtype=object).tolist()]


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
    #: Physical one-way latency of each link (fiber along the drawn route); ``link_latency``
    #: is the expected figure of the latency model (equal for a physical model).
    link_physical: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: Integer code of each link's ``system`` (a change of code along a path is a handoff).
    link_system_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

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
            site_id=_strings(sites["id"]),
            site_name=_strings(sites["name"]),
            site_country=_strings(sites["country"]),
            site_lon=_readonly(lon),
            site_lat=_readonly(lat),
            link_id=_strings(links["id"]),
            link_system=_strings(links.get("system", [""] * len(links))),
            link_kind=_strings(links.get("kind", ["terrestrial"] * len(links))),
            link_status=_strings(links.get("status", ["existing"] * len(links))),
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
                for x in np.asarray(sites.get("name_local", [""] * len(sites)), dtype=object)
            ],
            link_confidence=[
                x or "documented"
                for x in _strings(links.get("confidence", ["documented"] * len(links)))
            ],
            link_physical=_readonly(
                links[
                    "physical_latency_ms" if "physical_latency_ms" in links else "latency_ms"
                ].to_numpy(dtype=float)
            ),
            link_system_code=_readonly(
                np.unique(
                    np.asarray(
                        _strings(links.get("system", [""] * len(links))), dtype=object
                    ).astype(str),
                    return_inverse=True,
                )[1]
                .reshape(-1)
                .astype(np.int64)
            ),
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
    #: Original labels of the nodes of a graph given to :meth:`from_networkx` that are not
    #: strings (integers, tuples, ...), mapped to their site ids.
    _labels: dict[Any, str] = field(default_factory=dict, repr=False)

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
        each site's local names (``name_local``); a node label of any hashable type (an
        integer, a tuple, ...) of a graph built with :meth:`from_networkx` finds its node.

        Raises
        ------
        UnknownSiteError
            With "did you mean" suggestions when nothing matches, or the candidates when a
            name is ambiguous.
        RequestError
            When the query is neither a string nor a node label of the graph.
        """
        if not isinstance(query, str):
            query = self._resolve_label(query)
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

    def _resolve_label(self, query: object) -> str:
        """Site id of a non-string node label (integer labels also match ids spelt alike)."""
        bad = isinstance(query, bool) or query is None
        try:
            hit = None if bad else self._labels.get(query)
        except TypeError:  # unhashable: a list, a dict, ...
            bad = True
        if bad:
            msg = f"a site must be given by id or name, got {type(query).__name__} {query!r}"
            raise RequestError(msg)
        if hit is not None:
            return hit
        if isinstance(query, int | np.integer):
            return str(query)
        if self._labels:
            msg = f"unknown node label {query!r}"
            raise UnknownSiteError(msg)
        msg = f"a site must be given by id or name, got {type(query).__name__} {query!r}"
        raise RequestError(msg)

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
        import pandas as pd
        import shapely

        _check_graph(graph, weight)
        model = model or LatencyModel(site_delay_ms=0.0)
        nodes = list(graph.nodes)
        ids = [str(node) for node in nodes]
        position = {node: i for i, node in enumerate(nodes)}
        n = len(nodes)
        xy = np.full((n, 2), np.nan)
        names, countries = [], []
        for i, data in enumerate(graph.nodes.values()):
            lon = _first(data, ("lon", "x", "Longitude", "longitude"))
            lat = _first(data, ("lat", "y", "Latitude", "latitude"))
            if lon is not None and lat is not None:
                xy[i] = (lon, lat)
            names.append(str(data.get("name", data.get("label", nodes[i]))))
            countries.append(str(data.get("country", "")))
        located = ~np.isnan(xy).any(axis=1)
        points = np.full(n, None, dtype=object)
        points[located] = shapely.points(xy[located])
        if len(set(ids)) != n:
            msg = "networkx graph: node labels are not unique as strings"
            raise DataError(msg)
        sites = gpd.GeoDataFrame(
            {
                "id": ids,
                "name": names,
                "kind": "city",
                "country": countries,
                "region": "",
                "status": "existing",
                "source": "networkx graph",
                "delay_ms": math.nan,
            },
            geometry=gpd.GeoSeries(points, crs="EPSG:4326"),
        )
        edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]]
        if graph.is_multigraph():
            edges = graph.edges(keys=True, data=True)
        else:
            edges = ((u, v, 0, d) for u, v, d in graph.edges(data=True))
        a_list, b_list, keys, weights, lengths = [], [], [], [], []
        link_names, systems, srlg_text, confidence = [], [], [], []
        for u, v, key, data in edges:
            if weight not in data:
                msg = f"networkx graph: edge ({u!r}, {v!r}) has no {weight!r} attribute"
                raise DataError(msg)
            a_list.append(position[u])
            b_list.append(position[v])
            keys.append(key)
            weights.append(data[weight])
            lengths.append(data.get("length_km", math.nan))
            link_names.append(str(data.get("name", "")))
            systems.append(str(data.get("system", "")))
            srlg_text.append(str(data.get("srlg", "")))
            confidence.append(str(data.get("confidence", "documented")))
        a = np.array(a_list, dtype=np.int64)
        b = np.array(b_list, dtype=np.int64)
        w = np.array(weights, dtype=float)
        if not (np.isfinite(w) & (w >= 0)).all():
            i = int(np.flatnonzero(~(np.isfinite(w) & (w >= 0)))[0])
            u, v = nodes[a_list[i]], nodes[b_list[i]]
            msg = f"networkx graph: edge ({u!r}, {v!r}): {weight} = {weights[i]!r} is not >= 0"
            raise DataError(msg)
        km = np.array(lengths, dtype=float)
        km = np.where(np.isnan(km), w / model.ms_per_km, km)
        drawn = located[a] & located[b]
        lines = np.full(len(a), None, dtype=object)
        if drawn.any():
            ends = np.stack([xy[a[drawn]], xy[b[drawn]]], axis=1)
            lines[drawn] = shapely.linestrings(ends)
        id_a, id_b = [ids[i] for i in a_list], [ids[i] for i in b_list]
        end_countries = [
            tuple(c for c in dict.fromkeys((countries[i], countries[j])) if c)
            for i, j in zip(a_list, b_list, strict=True)
        ]
        links = gpd.GeoDataFrame(
            {
                "id": [f"{x}|{y}|{k}" for x, y, k in zip(id_a, id_b, keys, strict=True)],
                "a": id_a,
                "b": id_b,
                "name": link_names,
                "system": systems,
                "kind": "terrestrial",
                "status": "existing",
                "srlg": srlg_text,
                "confidence": confidence,
                "source": "networkx graph",
                "physical_latency_ms": w,
                "length_km": km,
                "route_factor": 1.0,
                "countries": pd.Series(end_countries, dtype=object),
            },
            geometry=gpd.GeoSeries(lines, crs="EPSG:4326"),
        )
        links["latency_ms"] = _expected(model, links)
        labels = {node: ids[i] for i, node in enumerate(nodes) if not isinstance(node, str)}
        return _assemble(
            sites, links, model, {}, directed=graph.is_directed(), ends=(a, b), labels=labels
        )


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


def _explode(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Single-part geometries of ``geometries`` and the index of the geometry each came from."""
    import shapely

    parts, owner = shapely.get_parts(geometries, return_index=True)
    while len(parts) and (shapely.get_type_id(parts) >= 4).any():  # multi-part or collection
        parts, inner = shapely.get_parts(parts, return_index=True)
        owner = owner[inner]
    return parts, owner


def geodesic_km(geometries: Any) -> np.ndarray:
    """Geodesic length in km of each geometry on the WGS84 ellipsoid (:data:`GEOD`).

    One :meth:`pyproj.Geod.inv` call on every consecutive vertex pair of every line; each sum
    equals :meth:`pyproj.Geod.geometry_length` of that geometry (to rounding). Multi-part
    geometries and collections sum their parts; points and empty geometries measure 0.
    """
    import shapely

    geometries = np.asarray(geometries, dtype=object)
    parts, part_owner = _explode(geometries)
    coords, vertex_part = shapely.get_coordinates(parts, return_index=True)
    same = vertex_part[1:] == vertex_part[:-1]
    start, end = coords[:-1][same], coords[1:][same]
    per_part: np.ndarray = np.zeros(len(parts))
    if len(start):
        metres = GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])[2]
        per_part = np.bincount(vertex_part[:-1][same], weights=metres, minlength=len(parts))
    return np.bincount(part_owner, weights=per_part, minlength=len(geometries)) / 1000.0


def _end_index(links: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, where: str) -> np.ndarray:
    """Node index of each link's ``a`` and ``b`` site (shape ``(2, n_links)``)."""
    import pandas as pd

    index = pd.Index(np.asarray(sites["id"], dtype=object))
    ends = np.vstack(
        [
            index.get_indexer(np.asarray(links["a"], dtype=object)),
            index.get_indexer(np.asarray(links["b"], dtype=object)),
        ]
    )
    if (ends < 0).any():
        col = np.flatnonzero((ends < 0).any(axis=0))[0]
        end = "a" if ends[0, col] < 0 else "b"
        row = links.iloc[col]
        msg = f"{where}: link {row['id']!r}: field {end!r}: unknown site {row[end]!r}"
        raise DataError(msg)
    return ends


def _snap_ends(
    links: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    ends: np.ndarray,
    snap_km: float,
    where: str,
) -> np.ndarray:
    """Link geometries with their end vertices snapped onto their sites (reversed if drawn b->a).

    Vectorised: the four end-to-site distances of every link in one geodesic call, the
    reversal and snapping as array operations, the lines rebuilt in one
    :func:`shapely.linestrings` call.
    """
    import shapely

    site_xy = shapely.get_coordinates(sites.geometry.to_numpy())
    pa, pb = site_xy[ends[0]], site_xy[ends[1]]
    coords, owner = shapely.get_coordinates(links.geometry.to_numpy(), return_index=True)
    counts = np.bincount(owner, minlength=len(links))
    last_at = np.cumsum(counts) - 1
    first_at = last_at - counts + 1
    first, last = coords[first_at], coords[last_at]

    def km(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return GEOD.inv(p[:, 0], p[:, 1], q[:, 0], q[:, 1])[2] / 1000.0

    d_first_a, d_last_b = km(first, pa), km(last, pb)
    d_first_b, d_last_a = km(first, pb), km(last, pa)
    forward = np.maximum(d_first_a, d_last_b)
    backward = np.maximum(d_first_b, d_last_a)
    reverse = backward < forward
    start_km = np.where(reverse, d_last_a, d_first_a)
    end_km = np.where(reverse, d_first_b, d_last_b)
    bad = np.flatnonzero(np.maximum(start_km, end_km) > snap_km)
    if len(bad):
        i = int(bad[0])
        end, dist = ("a", start_km[i]) if start_km[i] > snap_km else ("b", end_km[i])
        msg = (
            f"{where}: link {links['id'].iloc[i]!r}: end {end!r} is {dist:.1f} km from site "
            f"{links[end].iloc[i]!r} (tolerance {snap_km:g} km)"
        )
        raise DataError(msg)
    # Vertex order within each line: reversed lines read their vertices backwards.
    pos = np.arange(len(coords)) - first_at[owner]
    pos = np.where(reverse[owner], last_at[owner] - pos, first_at[owner] + pos)
    coords = coords[pos]
    coords[first_at] = pa
    coords[last_at] = pb
    return shapely.linestrings(coords, indices=owner)


def _countries_crossed(
    links: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    ends: np.ndarray,
    borders: gpd.GeoDataFrame | None,
    length_km: np.ndarray | None = None,
) -> list[tuple[str, ...]]:
    """Countries each link crosses, in order from ``a`` to ``b``.

    A link always counts the countries of its two end sites (landings count). A terrestrial link
    also counts every country with at least :data:`MIN_COUNTRY_KM` of its geometry inside,
    ordered by position along the line; a submarine link crosses no country at sea. A link whose
    ``countries`` field lists ISO codes (``;``-separated, in order) crosses exactly those (plus
    its end countries): the shipped data uses it where the 1:110m borders misplace a border
    town (Dostyk lies ~25 km inside "China" at that scale).

    Vectorised: one STRtree query of the (prepared) polygons against the terrestrial lines, one
    :func:`shapely.covers` to find lines lying wholly in one country (the piece is the line
    itself), one intersection for the lines that cross a border, geodesic lengths of all
    pieces at once (:func:`geodesic_km`) and one :func:`shapely.line_locate_point` for where
    each piece starts along its line.
    """
    import shapely

    site_codes, site_code = np.unique(
        np.asarray(sites["country"], dtype=object).astype(str), return_inverse=True
    )
    lines = links.geometry.to_numpy()
    middle: dict[int, list[str]] = {}
    if borders is not None and len(links):
        polygons = borders.geometry.to_numpy()
        codes = borders["iso_a2"].to_numpy(dtype=object)
        land = np.flatnonzero(links["kind"].to_numpy(dtype=object) == "terrestrial")
        shapely.prepare(polygons)
        hit_poly, hit_line = shapely.STRtree(lines[land]).query(polygons, predicate="intersects")
        line_idx = land[hit_line]
        whole = shapely.covers(polygons[hit_poly], lines[line_idx])
        km = np.zeros(len(line_idx))
        position = np.zeros(len(line_idx))
        lengths = geodesic_km(lines) if length_km is None else length_km
        km[whole] = lengths[line_idx[whole]]
        cut = np.flatnonzero(~whole)
        inside = shapely.intersection(lines[line_idx[cut]], polygons[hit_poly[cut]])
        km[cut] = geodesic_km(inside)
        keep_cut = ~shapely.is_empty(inside) & (km[cut] >= MIN_COUNTRY_KM)
        # where each piece starts: its first vertex (every kept piece has vertices)
        xy, owner = shapely.get_coordinates(inside[keep_cut], return_index=True)
        first_xy = xy[np.unique(owner, return_index=True)[1]]
        position[cut[keep_cut]] = shapely.line_locate_point(
            lines[line_idx[cut[keep_cut]]], shapely.points(first_xy), normalized=True
        )
        keep = km >= MIN_COUNTRY_KM
        keep[cut] = keep_cut
        line_idx, hit_poly, position = line_idx[keep], hit_poly[keep], position[keep]
        # A line whose pieces lie only in its end countries crosses just those two; order the
        # pieces of the other lines (the ones crossing a third country) along each line.
        hit_code = codes[hit_poly].astype(str)
        own = (hit_code == site_codes[site_code[ends[0, line_idx]]]) | (
            hit_code == site_codes[site_code[ends[1, line_idx]]]
        )
        third = np.isin(line_idx, line_idx[~own])
        line_idx, hit_poly, position = line_idx[third], hit_poly[third], position[third]
        rank = np.argsort(np.argsort(codes.astype(str), kind="stable"))
        order = np.lexsort((rank[hit_poly], position, line_idx))
        for li, code in zip(line_idx[order].tolist(), codes[hit_poly[order]].tolist(), strict=True):
            middle.setdefault(li, []).append(str(code))
    # Links crossing no third country share one tuple per pair of end countries.
    pair = site_code[ends[0]] * len(site_codes) + site_code[ends[1]]
    uniq, inverse = np.unique(pair, return_inverse=True)
    shared = np.empty(len(uniq), dtype=object)
    for j, key in enumerate(uniq.tolist()):
        a, b = site_codes[key // len(site_codes)], site_codes[key % len(site_codes)]
        shared[j] = tuple(c for c in dict.fromkeys([a, b]) if c)
    out: list[tuple[str, ...]] = shared[inverse].tolist()
    for i, mid in middle.items():
        a, b = site_codes[site_code[ends[0, i]]], site_codes[site_code[ends[1, i]]]
        out[i] = tuple(c for c in dict.fromkeys([a, *mid, b]) if c)
    if "countries_given" in links:
        # the data states the countries (checked against finer borders than the shipped ones)
        for i, fixed in enumerate(links["countries_given"].tolist()):
            if isinstance(fixed, str) and fixed.strip():
                a, b = site_codes[site_code[ends[0, i]]], site_codes[site_code[ends[1, i]]]
                seq = [a, *(c.strip() for c in fixed.split(";")), b]
                out[i] = tuple(c for c in dict.fromkeys(seq) if c)
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
    model = model or default_model()
    if not validated:
        sites = validate_sites(sites, where=where[0])
        links = validate_links(links, where=where[1])
    if sites.crs is not None and not sites.crs.equals("EPSG:4326"):
        sites = sites.to_crs("EPSG:4326")
    if links.crs is not None and not links.crs.equals("EPSG:4326"):
        links = links.to_crs("EPSG:4326")
    ends = _end_index(links, sites, where[1])
    snapped = _snap_ends(links, sites, ends, snap_km, where[1])
    links = links.set_geometry(gpd.GeoSeries(snapped, crs="EPSG:4326", index=links.index))
    links["length_km"] = geodesic_km(snapped)
    factor = links["route_factor"].to_numpy(dtype=float, na_value=np.nan)
    kinds = links["kind"].to_numpy(dtype=object)
    default = np.full(len(links), model.route_factor("terrestrial"))
    default[kinds == "submarine"] = model.route_factor("submarine")
    links["route_factor"] = np.where(np.isnan(factor), default, factor)
    links["physical_latency_ms"] = model.link_ms(
        links["length_km"].to_numpy(), route_factor=links["route_factor"].to_numpy()
    )
    links["latency_ms"] = _expected(model, links)
    links["countries"] = _countries_crossed(
        links, sites, ends, borders, links["length_km"].to_numpy(dtype=float)
    )
    names: dict[str, str] = {}
    if borders is not None:
        names = dict(zip(borders["iso_a2"], borders["name"], strict=True))
    return _assemble(sites, links, model, names, directed=False, ends=(ends[0], ends[1]))


def _expected(model: LatencyModel, links: gpd.GeoDataFrame) -> np.ndarray:
    """Expected one-way latency of each link (see :mod:`corridor.latency`)."""
    confidence = np.asarray(links.get("confidence", ["documented"] * len(links)), dtype=object)
    return model.expected_link_ms(
        links["physical_latency_ms"].to_numpy(dtype=float),
        kinds=np.asarray(links.get("kind", ["terrestrial"] * len(links)), dtype=object),
        inferred=confidence == "inferred",
    )


def with_model(net: Network, model: LatencyModel) -> Network:
    """The same network under another latency model's expected-figure parameters.

    The physical latencies and site delays stay those ``net`` was built with (group index,
    route factors, ``site_delay_ms`` of ``model`` are not applied); calibration uses this to
    try many parameter sets without reading the files again.
    """
    links = net.links.copy()
    links["latency_ms"] = _expected(model, links)
    sites = net.sites
    directed = net.n_links > 0 and len(net.arc_link) == net.n_links
    return _assemble(sites, links, model, net.country_names, directed=directed)


def _assemble(
    sites: gpd.GeoDataFrame,
    links: gpd.GeoDataFrame,
    model: LatencyModel,
    country_names: dict[str, str],
    *,
    directed: bool,
    ends: tuple[np.ndarray, np.ndarray] | None = None,
    labels: dict[Any, str] | None = None,
) -> Network:
    sites = sites.reset_index(drop=True)
    links = links.reset_index(drop=True)
    site_ids = _strings(sites["id"])
    site_index = dict(zip(site_ids, range(len(site_ids)), strict=True))
    link_ids = _strings(links["id"])
    link_index = dict(zip(link_ids, range(len(link_ids)), strict=True))
    n = len(sites)
    delay = sites["delay_ms"].to_numpy(dtype=float, na_value=np.nan)
    delay = np.where(np.isnan(delay), model.site_delay_ms, delay)
    sites = sites.assign(delay_ms=delay)
    if ends is None:
        index = _end_index(links, sites, "links")
        ends = index[0], index[1]
    a, b = (np.asarray(e, dtype=np.int64) for e in ends)
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
    srlgs = [_parse_srlgs(s) if s else () for s in _strings(links["srlg"])]
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
        _labels=labels or {},
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
    model = model or default_model()
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
