"""Offline assets: Leaflet's JavaScript and CSS from a registry package, the country basemap."""

from __future__ import annotations

import base64
import functools
import importlib.resources
import re
from typing import Any

import numpy as np
import shapely

from corridor import datasets
from corridor._errors import DatasetNotFoundError
from corridor.io import read_countries
from corridor.maps._errors import MapError

__all__ = ["basemap", "leaflet_assets", "shifted_geojson"]


@functools.lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the ``django-js-lib-leaflet`` package.

    The CSS's images (layer-control icon, marker icons) are inlined as ``data:`` URIs so the
    page loads nothing else.

    Returns
    -------
    tuple of str
        ``(javascript, css)``, safe to place inside ``<script>`` and ``<style>`` elements.

    Raises
    ------
    MapError
        When the package is not installed.
    """
    try:
        root = importlib.resources.files("js_lib_leaflet").joinpath("static", "js_lib_leaflet")
        js = root.joinpath("leaflet.js").read_text(encoding="utf-8")
        css = root.joinpath("leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        msg = (
            "offline maps need Leaflet from the package django-js-lib-leaflet "
            f"(pip install django-js-lib-leaflet): {exc}"
        )
        raise MapError(msg) from None

    def inline(match: re.Match[str]) -> str:
        image = root.joinpath("images", match.group(2))
        try:
            data = base64.b64encode(image.read_bytes()).decode("ascii")
        except FileNotFoundError:
            return "none"
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((['\"]?)images/([\w.-]+\.png)\1\)", inline, css)
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


@functools.lru_cache(maxsize=4)
def _basemap_geojson(path: str, mtime_ns: int) -> dict[str, Any]:
    """Country polygons as a light GeoJSON dict (names only, coordinates rounded)."""
    del mtime_ns  # part of the cache key only
    table = read_countries(path)
    geoms = shapely.transform(table.geometry.values, lambda xy: np.round(xy, 3))
    features = [
        {
            "type": "Feature",
            "properties": {"name": str(name)},
            "geometry": shapely.geometry.mapping(geom),
        }
        for name, geom in zip(table["name"], geoms, strict=True)
        if geom is not None and not geom.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def shifted_geojson(data: dict[str, Any], shift: float) -> dict[str, Any]:
    """A copy of a GeoJSON feature collection with every longitude moved by ``shift`` degrees."""
    out = []
    for feat in data["features"]:
        geom = shapely.geometry.shape(feat["geometry"])
        moved = shapely.transform(geom, lambda xy: xy + np.array([shift, 0.0]))
        out.append({**feat, "geometry": shapely.geometry.mapping(moved)})
    return {"type": "FeatureCollection", "features": out}


def basemap() -> dict[str, Any] | None:
    """The shipped country borders for the offline basemap, or ``None`` when not installed."""
    try:
        path = datasets.get_path("countries")
    except DatasetNotFoundError:
        return None
    return _basemap_geojson(str(path), path.stat().st_mtime_ns)
