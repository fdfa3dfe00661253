"""Routes as GIS layers: GeoDataFrames and GeoJSON / GeoPackage / KML files.

:func:`route_geodataframe` turns a :class:`~corridor.routing.RouteResult` into one row per
path (or per link with ``by="link"``), each drawn along the links' own geometries in travel
order, in EPSG:4326. :func:`write_layer` writes such a table atomically in the format its
caller names, so a planner can open a route in QGIS or Google Earth.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor._errors import RequestError

if TYPE_CHECKING:
    import geopandas as gpd

    from corridor.network import Network
    from corridor.routing import RouteResult

__all__ = ["GIS_DRIVERS", "route_geodataframe", "write_layer"]

#: Output formats and their GDAL drivers.
GIS_DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": "KML"}


def _leg_coords(net: Network, arcs: np.ndarray) -> list[np.ndarray]:
    """The drawn vertices of each arc's link, oriented in the direction of travel."""
    import shapely

    geoms = net.links.geometry.to_numpy()
    out = []
    for arc in arcs.tolist():
        link = int(net.arc_link[arc])
        geom = geoms[link]
        coords = (
            shapely.get_coordinates(geom)
            if geom is not None
            else np.array(
                [
                    [net.lookup.site_lon[net.tail[arc]], net.lookup.site_lat[net.tail[arc]]],
                    [net.lookup.site_lon[net.head[arc]], net.lookup.site_lat[net.head[arc]]],
                ]
            )
        )
        if int(net.tail[arc]) != int(net.link_a[link]):
            coords = coords[::-1]
        out.append(coords)
    return out


def route_geodataframe(
    net: Network,
    result: RouteResult,
    *,
    by: str = "path",
    roles: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """The paths of ``result`` as a GeoDataFrame (EPSG:4326).

    ``result`` is a :class:`~corridor.routing.RouteResult` or anything with ``source``,
    ``target`` and ``paths`` (e.g. a resilience ``Protection``); ``roles`` names the paths
    (``["primary", "backup"]``) in a ``role`` column.

    ``by="path"``: one row per path (``rank``, ``rtt_ms``, ``one_way_ms``, ``length_km``,
    ``stretch``, ``hops``, ``countries``, ``systems``, ``nodes``, ``links`` as ``;``-joined
    text, ``confidence``) drawn as one line. ``by="link"``: one row per link of every path
    (``rank``, ``leg``, ``link``, ``from``, ``to``, ``system``, ``kind``, ``length_km``,
    ``latency_ms``).
    """
    import geopandas as gpd
    import shapely

    if by not in {"path", "link"}:
        msg = f"by must be 'path' or 'link', got {by!r}"
        raise RequestError(msg)
    look = net.lookup
    if roles is not None and len(roles) < len(result.paths):
        msg = f"roles names {len(roles)} path(s), the result has {len(result.paths)}"
        raise RequestError(msg)
    rows: list[dict[str, Any]] = []
    geoms = []
    for rank, path in enumerate(result.paths, start=1):
        legs = _leg_coords(net, path.arcs)
        if by == "path":
            coords: Any = np.concatenate([legs[0], *(leg[1:] for leg in legs[1:])]) if legs else []
            geoms.append(shapely.LineString(coords) if len(coords) >= 2 else None)
            rows.append(
                {
                    "rank": rank,
                    "source": result.source,
                    "target": result.target,
                    "rtt_ms": round(path.rtt_ms, 4),
                    "one_way_ms": round(path.one_way_ms, 4),
                    "length_km": round(path.length_km, 3),
                    "stretch": round(path.stretch, 4),
                    "hops": path.hops,
                    "countries": ";".join(path.countries),
                    "systems": ";".join(path.systems),
                    "nodes": ";".join(path.nodes),
                    "links": ";".join(path.links),
                    "confidence": path.confidence,
                }
            )
            continue
        for leg, (link, coords) in enumerate(zip(path.link_index.tolist(), legs, strict=True)):
            geoms.append(shapely.LineString(coords))
            rows.append(
                {
                    "rank": rank,
                    "leg": leg + 1,
                    "link": look.link_id[link],
                    "from": path.nodes[leg],
                    "to": path.nodes[leg + 1],
                    "system": look.link_system[link],
                    "kind": look.link_kind[link],
                    "length_km": round(float(look.link_length[link]), 3),
                    "latency_ms": round(float(look.link_latency[link]), 4),
                }
            )
    frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))
    if roles is not None:
        frame.insert(1, "role", [roles[r - 1] for r in frame["rank"]])
    return frame


def write_layer(frame: gpd.GeoDataFrame, path: str | Path, *, format: str) -> Path:
    """Write a GeoDataFrame as ``geojson``, ``gpkg`` or ``kml`` (atomically)."""
    from corridor._atomic import replace_atomically

    if format not in GIS_DRIVERS:
        msg = f"unknown GIS format {format!r}; use one of {', '.join(GIS_DRIVERS)}"
        raise RequestError(msg)
    driver = GIS_DRIVERS[format]

    def write(tmp: Path) -> None:
        table = frame
        if format == "kml":  # Google Earth shows the feature's name
            names = frame["role"] if "role" in frame else [f"path {r}" for r in frame["rank"]]
            table = frame.assign(Name=list(names))
        layer = Path(path).stem if format != "geojson" else None
        # GDAL checks the extension: stage the file under it, then move it onto ``tmp``
        staged = tmp.with_name(f"{tmp.name}.{format}")
        try:
            table.to_file(staged, driver=driver, engine="pyogrio", layer=layer)
            os.replace(staged, tmp)
        finally:
            staged.unlink(missing_ok=True)

    return replace_atomically(path, write, what=f"{format} file")
