"""Map geometry: great-circle densifying, antimeridian-safe longitudes, Leaflet coordinates."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

from corridor.maps._errors import MapError
from corridor.network import GEOD, Network
from corridor.routing import Path

__all__ = [
    "DENSIFY_KM",
    "densify_geodesic",
    "line_latlons",
    "link_latlons",
    "near_longitude",
    "path_latlons",
    "path_leg_latlons",
    "point_latlon",
    "unwrap_longitudes",
]

#: Spacing of the points added along the great circle when a line is densified, in km.
DENSIFY_KM = 50.0

_COORD_DECIMALS = 5


def unwrap_longitudes(lons: Sequence[float] | np.ndarray) -> np.ndarray:
    """Longitudes made continuous: a jump of more than 180 degrees is undone by +-360.

    A line drawn 179 -> -179 becomes 179 -> 181, so Leaflet draws the 2-degree hop across the
    antimeridian instead of a line around the world. The first longitude is kept as is.
    """
    arr = np.asarray(lons, dtype=float)
    if arr.size < 2:
        return arr.copy()
    return np.unwrap(arr, period=360.0)


def densify_geodesic(
    coords: Sequence[Sequence[float]] | np.ndarray, *, step_km: float = DENSIFY_KM
) -> np.ndarray:
    """Points along the great circle of each segment, about ``step_km`` apart.

    Parameters
    ----------
    coords
        Vertices as ``(lon, lat)`` pairs (the order of GeoJSON and shapely).
    step_km
        Largest spacing of the points added between two vertices (WGS84 geodesic,
        :meth:`pyproj.Geod.npts`).

    Returns
    -------
    numpy.ndarray
        An ``(n, 2)`` array of ``(lon, lat)``: the original vertices with the intermediate
        points in between, longitudes unwrapped (:func:`unwrap_longitudes`).
    """
    if not step_km > 0:
        msg = f"densification step must be a positive number of km, got {step_km!r}"
        raise MapError(msg)
    pts = np.asarray(coords, dtype=float)[:, :2]
    if len(pts) < 2:
        return pts.copy()
    out: list[tuple[float, float]] = [(pts[0, 0], pts[0, 1])]
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(pts):
        km = float(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0
        n = math.ceil(km / step_km) - 1
        if n > 0:
            out.extend(GEOD.npts(lon1, lat1, lon2, lat2, n))
        out.append((lon2, lat2))
    arr = np.array(out, dtype=float)
    arr[:, 0] = unwrap_longitudes(arr[:, 0])
    return arr


def _latlons(lonlat: np.ndarray) -> list[list[float]]:
    """Leaflet ``[lat, lon]`` pairs, rounded."""
    rounded = np.round(lonlat[:, ::-1], _COORD_DECIMALS)
    return rounded.tolist()  # type: ignore[no-any-return]


def point_latlon(point: Any) -> list[float]:
    """A shapely point as a rounded Leaflet ``[lat, lon]`` pair."""
    return [round(point.y, _COORD_DECIMALS), round(point.x, _COORD_DECIMALS)]


def line_latlons(geom: Any, *, step_km: float = DENSIFY_KM) -> list[list[float]]:
    """A shapely line as densified, unwrapped ``[lat, lon]`` pairs (empty without geometry)."""
    if geom is None or geom.is_empty:
        return []
    return _latlons(densify_geodesic(shapely.get_coordinates(geom), step_km=step_km))


def link_latlons(net: Network, link_id: str, *, step_km: float = DENSIFY_KM) -> list[list[float]]:
    """A link's geometry from ``a`` to ``b`` as densified, unwrapped ``[lat, lon]`` pairs.

    Empty when the link has no geometry (e.g. a network built from a networkx graph without
    coordinates).
    """
    return line_latlons(net.links.geometry.iat[net.link_index(link_id)], step_km=step_km)


def _path_parts(net: Network, path: Path, step_km: float) -> tuple[np.ndarray, list[int]]:
    """The vertices of a path, each link oriented in the direction of travel, and the index
    of the last vertex of each link (``-1`` for a link without geometry)."""
    parts: list[np.ndarray] = []
    ends: list[int] = []
    count = 0
    link_a = net.links["a"]
    for i, link_id in enumerate(path.links):
        li = net.link_index(link_id)
        geom = net.links.geometry.iat[li]
        if geom is None or geom.is_empty:
            ends.append(-1)
            continue
        coords = shapely.get_coordinates(geom)
        if link_a.iat[li] != path.nodes[i]:
            coords = coords[::-1]
        dense = densify_geodesic(coords, step_km=step_km)
        part = dense[1:] if parts else dense
        parts.append(part)
        count += len(part)
        ends.append(count - 1)
    if not parts:
        return np.empty((0, 2)), ends
    arr = np.concatenate(parts)
    arr[:, 0] = unwrap_longitudes(arr[:, 0])
    return arr, ends


def _path_lonlat(net: Network, path: Path, step_km: float) -> np.ndarray:
    """The vertices of a path, each link oriented in the direction of travel."""
    return _path_parts(net, path, step_km)[0]


def path_latlons(net: Network, path: Path, *, step_km: float = DENSIFY_KM) -> list[list[float]]:
    """A path as one continuous densified, unwrapped line of ``[lat, lon]`` pairs."""
    return _latlons(_path_lonlat(net, path, step_km))


def path_leg_latlons(
    net: Network, path: Path, *, step_km: float = DENSIFY_KM
) -> list[list[list[float]]]:
    """Each link of a path as ``[lat, lon]`` pairs on the path's continuous (unwrapped) line,
    so the legs join up across the antimeridian (an empty list for a link without geometry)."""
    arr, ends = _path_parts(net, path, step_km)
    legs: list[list[list[float]]] = []
    start = 0
    for end in ends:
        if end < 0:
            legs.append([])
            continue
        legs.append(_latlons(arr[start : end + 1]))
        start = end
    return legs


def near_longitude(latlon: Sequence[float], ref_lon: float) -> list[float]:
    """A ``[lat, lon]`` point with its longitude moved by whole turns to within 180 degrees of
    ``ref_lon`` (markers that sit on an unwrapped line crossing the antimeridian)."""
    lat, lon = float(latlon[0]), float(latlon[1])
    return [lat, round(lon + 360.0 * round((ref_lon - lon) / 360.0), _COORD_DECIMALS)]
