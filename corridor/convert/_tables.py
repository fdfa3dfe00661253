"""Turn a read network (plain nodes and edges) into validated sites/links tables, noting every
assumption made on the way."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from corridor._errors import DataError

__all__ = ["Conversion", "RawEdge", "RawNetwork", "RawNode", "number", "to_tables", "unique_id"]


@dataclass
class RawNode:
    """A node as a source format gives it (coordinates may be missing)."""

    id: str
    name: str = ""
    lon: float = math.nan
    lat: float = math.nan
    #: An ISO alpha-2 code or a country name; empty when the source has none.
    country: str = ""
    kind: str = "city"


@dataclass
class RawEdge:
    """An edge as a source format gives it."""

    a: str
    b: str
    id: str = ""
    name: str = ""
    system: str = ""
    kind: str = "terrestrial"
    #: Length the source states (km), used for the route factor; NaN when it states none.
    length_km: float = math.nan
    #: Drawn vertices (lon, lat) from a to b; empty for a straight line between the ends.
    coords: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class RawNetwork:
    """What a reader found, before it becomes sites and links."""

    format: str
    nodes: list[RawNode]
    edges: list[RawEdge]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    attribution: str = ""


@dataclass
class Conversion:
    """Sites and links in corridor's schema, with what was assumed to get them."""

    format: str
    sites: Any
    links: Any
    #: One line per assumption or change (dropped nodes, countries from coordinates, ...).
    report: list[str]
    #: Licence or use warnings the caller must show (e.g. a non-commercial licence).
    warnings: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "format": self.format,
            "sites": len(self.sites),
            "links": len(self.links),
            "report": list(self.report),
            "warnings": list(self.warnings),
        }


def number(value: Any) -> float:
    """A finite float, or NaN for anything else (missing, text, infinite)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def country_code(text: str) -> str:
    """ISO alpha-2 code of a code or a country name ("" when unknown)."""
    from corridor._validate import iso_countries

    text = text.strip()
    if not text:
        return ""
    if text.upper() in iso_countries():
        return text.upper()
    import pycountry

    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    try:
        return str(pycountry.countries.search_fuzzy(text)[0].alpha_2)
    except LookupError:
        return ""


def _countries_from_coordinates(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """ISO code of the border polygon holding each point, else of the nearest one."""
    import shapely

    from corridor import datasets
    from corridor._validate import iso_countries
    from corridor.io import read_countries

    borders = read_countries(datasets.get_path("countries"))
    valid = borders["iso_a2"].isin(iso_countries()).to_numpy()
    polygons = borders.geometry.to_numpy()[valid]
    codes = borders["iso_a2"].to_numpy(dtype=object)[valid]
    points = shapely.points(np.column_stack([lon, lat]))
    tree = shapely.STRtree(polygons)
    out = np.full(len(points), "", dtype=object)
    hit_pt, hit_poly = tree.query(points, predicate="within")
    out[hit_pt] = codes[hit_poly]
    rest = np.flatnonzero(out == "")
    if len(rest):
        near_pt, near_poly = tree.query_nearest(points[rest], all_matches=False)
        out[rest[near_pt]] = codes[near_poly]
    return out


def to_tables(raw: RawNetwork, *, source: str) -> Conversion:
    """Validated site and link tables of a read network (see :class:`Conversion`).

    Nodes without coordinates are dropped with their edges; self-loops are dropped; countries
    come from the source (code or name) or else from the coordinates (the shipped Natural Earth
    borders, nearest country for points at sea); links are straight lines between their sites
    unless the source draws them; a stated length longer than the drawn line becomes the
    link's route factor. Every such step is written to the report.
    """
    import geopandas as gpd
    import shapely

    from corridor.io import validate_links, validate_sites
    from corridor.network import geodesic_km

    report = list(raw.notes)
    nodes = [n for n in raw.nodes if math.isfinite(n.lon) and math.isfinite(n.lat)]
    dropped = len(raw.nodes) - len(nodes)
    ids = {n.id for n in nodes}
    edges = [e for e in raw.edges if e.a in ids and e.b in ids]
    if dropped:
        report.append(
            f"dropped {dropped} node(s) without coordinates and {len(raw.edges) - len(edges)} "
            "edge(s) touching them"
        )
    loops = [e for e in edges if e.a == e.b]
    if loops:
        report.append(f"dropped {len(loops)} self-loop edge(s)")
        edges = [e for e in edges if e.a != e.b]
    if not nodes:
        msg = f"{source}: no node with coordinates ({raw.format})"
        raise DataError(msg)
    lon = np.array([n.lon for n in nodes], dtype=float)
    lat = np.array([n.lat for n in nodes], dtype=float)
    bad = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if bad.any():
        n = nodes[int(np.flatnonzero(bad)[0])]
        msg = f"{source}: node {n.id!r}: coordinates ({n.lon}, {n.lat}) outside lon/lat range"
        raise DataError(msg)
    codes = np.array([country_code(n.country) for n in nodes], dtype=object)
    named = sum(1 for n in nodes if n.country.strip())
    unresolved = sum(1 for n, c in zip(nodes, codes, strict=True) if n.country.strip() and not c)
    missing = np.flatnonzero(codes == "")
    if len(missing):
        codes[missing] = _countries_from_coordinates(lon[missing], lat[missing])
        what = f"{len(missing)} site(s)"
        why = f" ({unresolved} named a country not recognised)" if unresolved else ""
        report.append(
            f"country of {what} taken from coordinates (Natural Earth borders, nearest "
            f"country when at sea){why}; {named - unresolved} from the source"
        )
    site_ids = [n.id for n in nodes]
    sites = gpd.GeoDataFrame(
        {
            "id": site_ids,
            "name": [n.name or n.id for n in nodes],
            "kind": [n.kind for n in nodes],
            "country": codes,
            "status": "existing",
            "source": source,
        },
        geometry=shapely.points(np.column_stack([lon, lat])),
        crs="EPSG:4326",
    )
    sites = validate_sites(sites, where=source)
    pos = {s: i for i, s in enumerate(site_ids)}
    lines = []
    for e in edges:
        a, b = (lon[pos[e.a]], lat[pos[e.a]]), (lon[pos[e.b]], lat[pos[e.b]])
        coords = [a, *e.coords[1:-1], b] if len(e.coords) >= 2 else [a, b]
        lines.append(shapely.LineString(coords))
    drawn = sum(1 for e in edges if len(e.coords) > 2)
    if len(edges) - drawn:
        report.append(
            f"{len(edges) - drawn} link(s) drawn as straight lines between their sites "
            "(the latency model's default route factor applies)"
        )
    km = geodesic_km(np.array(lines, dtype=object)) if lines else np.zeros(0)
    stated = np.array([e.length_km for e in edges], dtype=float)
    factor = np.full(len(edges), math.nan)
    given = np.isfinite(stated) & (km > 0)
    factor[given] = np.maximum(stated[given] / km[given], 1.0)
    if given.any():
        shorter = int((stated[given] < km[given]).sum())
        note = f"; {shorter} shorter than the line kept at factor 1" if shorter else ""
        report.append(
            f"{int(given.sum())} link(s) state a length: route factor = stated / drawn length{note}"
        )
    link_ids = [e.id or f"{e.a}|{e.b}" for e in edges]
    seen: dict[str, int] = {}
    for i, lid in enumerate(link_ids):
        count = seen.get(lid, 0)
        seen[lid] = count + 1
        if count:
            link_ids[i] = f"{lid}|{count}"
    links = gpd.GeoDataFrame(
        {
            "id": link_ids,
            "a": [e.a for e in edges],
            "b": [e.b for e in edges],
            "name": [e.name for e in edges],
            "system": [e.system for e in edges],
            "kind": [e.kind for e in edges],
            "status": "existing",
            "route_factor": factor,
            "source": source,
        },
        geometry=gpd.GeoSeries(lines, crs="EPSG:4326"),
    )
    links = validate_links(links, where=source)
    report.append(
        f"{len(sites)} site(s), {len(links)} link(s); status 'existing' for all "
        f"({int((links['kind'] == 'submarine').sum())} submarine)"
    )
    if raw.attribution:
        report.append(f"attribution: {raw.attribution}")
    return Conversion(
        format=raw.format, sites=sites, links=links, report=report, warnings=list(raw.warnings)
    )


def unique_id(text: str, taken: set[str]) -> str:
    """A slug of ``text`` not in ``taken`` (added to it)."""
    base = _slug(text) or "site"
    out, i = base, 2
    while out in taken:
        out, i = f"{base}-{i}", i + 1
    taken.add(out)
    return out
