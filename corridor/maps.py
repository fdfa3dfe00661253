"""Interactive HTML maps of a network and of routes (folium / Leaflet).

:func:`network_map` draws every link and site of a :class:`~corridor.network.Network`;
:func:`route_map` draws the paths of a :class:`~corridor.routing.RouteResult`, each in its own
toggleable layer, over the network drawn faintly; :func:`add_links_layer` adds a highlighted set
of links (failed links, candidate links, ...) to any of these maps; :func:`save_map` writes a map
atomically.

Every map has a title block (what it shows and the latency model used), a legend, a layer
control and a scale bar. Lines are drawn geodesically: each segment of a link's geometry is
densified along the great circle (:func:`densify_geodesic`) and longitudes are unwrapped so a line
crossing the antimeridian stays continuous (:func:`unwrap_longitudes`). Every text that comes from
the data is HTML-escaped before it reaches a tooltip, popup, legend or layer name.

With ``offline=True`` the HTML file needs no network at all: Leaflet's JavaScript and CSS are
inlined from the ``django-js-lib-leaflet`` package (Leaflet 1.9.4), folium's CDN scripts
(jQuery, Bootstrap, awesome-markers, ...) are left out, no tile layer is used and the basemap is
drawn from the shipped country borders. Only Leaflet-core layers are used in both modes (circle
markers, polylines, GeoJSON polygons, ``L.control.layers``, ``L.control.scale``).

Classes given to the SVG paths, for styling and for tests: ``corridor-link`` (a network link,
plus ``corridor-link-<kind>`` and ``corridor-link-<status>``), ``corridor-site`` (plus
``corridor-site-<kind>``), ``corridor-route`` and ``corridor-route-<rank>`` (one polyline per
path), ``corridor-route-site`` (an intermediate site of a path), ``corridor-endpoint`` (source
and target) and, by default, ``corridor-highlight`` (links drawn by :func:`add_links_layer`).
"""

from __future__ import annotations

import base64
import functools
import html
import importlib.resources
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement, Template

from corridor import datasets
from corridor._atomic import write_atomic
from corridor._errors import DatasetNotFoundError, RequestError
from corridor.io import read_countries
from corridor.network import GEOD, Network
from corridor.routing import Path, RouteResult

__all__ = [
    "DENSIFY_KM",
    "KIND_COLORS",
    "PATH_COLORS",
    "SITE_STYLES",
    "STATUS_DASHES",
    "MapError",
    "add_links_layer",
    "densify_geodesic",
    "leaflet_assets",
    "link_latlons",
    "network_map",
    "path_latlons",
    "route_map",
    "save_map",
    "unwrap_longitudes",
]

#: Spacing of the points added along the great circle when a line is densified, in km.
DENSIFY_KM = 50.0

#: Line color of a link by kind.
KIND_COLORS: dict[str, str] = {"terrestrial": "#c2410c", "submarine": "#1d4ed8"}

#: SVG dash pattern of a link by status (``None``: solid).
STATUS_DASHES: dict[str, str | None] = {"existing": None, "planned": "10 7", "proposed": "2 7"}


@dataclass(frozen=True)
class _SiteStyle:
    radius: float
    fill: str
    stroke: str
    label: str
    weight: float = 1.5


#: Marker style of a site by kind; data centers are larger, brighter and labelled.
SITE_STYLES: dict[str, _SiteStyle] = {
    "datacenter": _SiteStyle(9.0, "#e11d48", "#4c0519", "data center", 3.0),
    "city": _SiteStyle(5.0, "#334155", "#ffffff", "city"),
    "ixp": _SiteStyle(5.5, "#16a34a", "#ffffff", "exchange point (IXP)"),
    "landing": _SiteStyle(5.0, "#0891b2", "#ffffff", "cable landing station"),
    "border": _SiteStyle(3.5, "#ca8a04", "#ffffff", "border crossing"),
}
_OTHER_SITE = _SiteStyle(4.5, "#64748b", "#ffffff", "other site")

#: Colors of the paths of a route map, by rank (cycled).
PATH_COLORS: tuple[str, ...] = (
    "#db2777",
    "#2563eb",
    "#16a34a",
    "#ea580c",
    "#7c3aed",
    "#0d9488",
    "#ca8a04",
    "#475569",
)

_COORD_DECIMALS = 5
# Room left for the title block (top left) when fitting the view.
_FIT_PADDING: dict[str, Any] = {
    "padding_top_left": (110, 170),
    "padding_bottom_right": (110, 40),
}
_OFFLINE_SEA = "#dbeafe"
_POSITRON_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
_POSITRON_ATTR = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)


class MapError(RequestError):
    """A map that cannot be drawn or written as asked (bad labels, unwritable path, ...)."""


# -- escaping -----------------------------------------------------------------------------------
def _esc(value: Any) -> str:
    """HTML-escape any value, including the characters that matter inside JS template strings."""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _js(value: Any) -> str:
    """A JSON/JS literal that is safe inside an inline ``<script>`` element.

    ``</`` becomes ``<\\/`` and ``<!--`` becomes ``<\\!--`` (the same string to JavaScript), so
    no text can close the script element or switch the HTML parser's script state.
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or str(value) in ("<NA>", "nan", "")
    except (TypeError, ValueError):  # pd.NA compares to NA
        return True


def _fmt(value: Any, spec: str = "", unit: str = "") -> str:
    """Escaped display text of a value, ``n/a`` when missing."""
    if _missing(value):
        return "n/a"
    try:
        text = format(value, spec) if spec else str(value)
    except (TypeError, ValueError):
        text = str(value)
    return _esc(text + unit)


def _table(rows: Iterable[tuple[str, str]]) -> str:
    """An HTML table of (label, already escaped value) rows."""
    cells = "".join(f"<tr><th>{_esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="corridor-table">{cells}</table>'


# -- geometry -----------------------------------------------------------------------------------
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


def link_latlons(net: Network, link_id: str, *, step_km: float = DENSIFY_KM) -> list[list[float]]:
    """A link's geometry from ``a`` to ``b`` as densified, unwrapped ``[lat, lon]`` pairs.

    Empty when the link has no geometry (e.g. a network built from a networkx graph without
    coordinates).
    """
    geom = net.links.geometry.iat[net.link_index(link_id)]
    if geom is None or geom.is_empty:
        return []
    return _latlons(densify_geodesic(shapely.get_coordinates(geom), step_km=step_km))


def _path_lonlat(net: Network, path: Path, step_km: float) -> np.ndarray:
    """The vertices of a path, each link oriented in the direction of travel."""
    parts: list[np.ndarray] = []
    link_a = net.links["a"]
    for i, link_id in enumerate(path.links):
        li = net.link_index(link_id)
        geom = net.links.geometry.iat[li]
        if geom is None or geom.is_empty:
            continue
        coords = shapely.get_coordinates(geom)
        if link_a.iat[li] != path.nodes[i]:
            coords = coords[::-1]
        dense = densify_geodesic(coords, step_km=step_km)
        parts.append(dense[1:] if parts else dense)
    if not parts:
        return np.empty((0, 2))
    arr = np.concatenate(parts)
    arr[:, 0] = unwrap_longitudes(arr[:, 0])
    return arr


def path_latlons(net: Network, path: Path, *, step_km: float = DENSIFY_KM) -> list[list[float]]:
    """A path as one continuous densified, unwrapped line of ``[lat, lon]`` pairs."""
    return _latlons(_path_lonlat(net, path, step_km))


# -- offline assets -----------------------------------------------------------------------------
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


def _basemap() -> dict[str, Any] | None:
    try:
        path = datasets.get_path("countries")
    except DatasetNotFoundError:
        return None
    return _basemap_geojson(str(path), path.stat().st_mtime_ns)


# -- custom Leaflet-core elements ---------------------------------------------------------------
class _Features(MacroElement):  # type: ignore[misc]
    """Many polylines / circle markers with their tooltips and popups, drawn by one JS loop.

    folium makes (and compiles a template for) several elements per vector and its Popup needs
    jQuery; this keeps a layer of hundreds of links to one element and plain Leaflet. Each
    feature is ``{"k": "polyline" | "circleMarker", "c": coordinates, "o": Leaflet options,
    "t": tooltip HTML, "to": tooltip options, "p": popup HTML}``; the HTML is passed as JSON
    strings (see :func:`_js`), never spliced into the script.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (group) {
                var items = {{ this.data_js() }};
                for (var i = 0; i < items.length; i++) {
                    var f = items[i];
                    var layer = f.k === "circleMarker" ? L.circleMarker(f.c, f.o)
                                                       : L.polyline(f.c, f.o);
                    if (f.t) { layer.bindTooltip(f.t, f.to || {sticky: true}); }
                    if (f.p) { layer.bindPopup(f.p, {maxWidth: 420}); }
                    layer.addTo(group);
                }
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Features"
        self.items: list[dict[str, Any]] = []

    def data_js(self) -> str:
        return _js(self.items)


def _features(group: folium.FeatureGroup) -> _Features:
    """The feature list of a layer (created on first use)."""
    for child in group._children.values():
        if isinstance(child, _Features):
            return child
    feats = _Features()
    feats.add_to(group)
    return feats


def _class(text: str) -> str:
    return re.sub(r"[^\w\- ]", "_", text)


def _vector(
    kind: str,
    coords: Any,
    *,
    color: str,
    weight: float,
    class_name: str,
    opacity: float = 1.0,
    dash: str | None = None,
    fill: str | None = None,
    fill_opacity: float = 1.0,
    radius: float | None = None,
    tooltip: str | None = None,
    tooltip_options: dict[str, Any] | None = None,
    popup: str | None = None,
) -> dict[str, Any]:
    """One feature for :class:`_Features` (Leaflet path options in camelCase)."""
    options: dict[str, Any] = {
        "color": color,
        "weight": round(weight, 2),
        "opacity": opacity,
        "className": _class(class_name),
    }
    if dash:
        options["dashArray"] = dash
    if fill is not None:
        options.update(fill=True, fillColor=fill, fillOpacity=fill_opacity)
    else:
        options["fill"] = False
    if radius is not None:
        options["radius"] = round(radius, 2)
    item: dict[str, Any] = {"k": kind, "c": coords, "o": options}
    if tooltip:
        item["t"] = tooltip
        if tooltip_options:
            item["to"] = tooltip_options
    if popup:
        item["p"] = popup
    return item


class _HtmlControl(MacroElement):  # type: ignore[misc]
    """A Leaflet control holding an HTML block (the title and the legend)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position_js }}});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", {{ this.css_class_js }});
                div.innerHTML = {{ this.content_js() }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content_html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.content_html = content_html
        self.position_js = _js(position)
        self.css_class_js = _js(css_class)

    def content_js(self) -> str:
        return _js(self.content_html)


@dataclass
class _LegendEntry:
    swatch: str  # trusted SVG built here
    label: str  # escaped


@dataclass
class _LegendSection:
    heading: str
    entries: list[_LegendEntry] = field(default_factory=list)


class _Legend(_HtmlControl):
    """The legend: sections of swatches, rendered when the map is rendered."""

    def __init__(self) -> None:
        super().__init__("", position="bottomleft", css_class="corridor-legend")
        self._name = "Legend"
        self.sections: list[_LegendSection] = []

    def section(self, heading: str) -> _LegendSection:
        for sec in self.sections:
            if sec.heading == heading:
                return sec
        sec = _LegendSection(heading)
        self.sections.append(sec)
        return sec

    def content_js(self) -> str:
        parts = []
        for sec in self.sections:
            rows = "".join(
                f'<div class="corridor-legend-row">{e.swatch}<span>{e.label}</span></div>'
                for e in sec.entries
            )
            parts.append(f'<div class="corridor-legend-heading">{_esc(sec.heading)}</div>{rows}')
        return _js("".join(parts))


class _StaticGeoJson(MacroElement):  # type: ignore[misc]
    """Non-interactive GeoJSON polygons (the offline basemap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data_js }}, {
                style: {{ this.style_js }},
                interactive: false,
                className: "corridor-basemap"
            }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], style: dict[str, Any]) -> None:
        super().__init__()
        self._name = "StaticGeoJson"
        self.data_js = _js(data)
        self.style_js = _js(style)


class _BringToFront(MacroElement):  # type: ignore[misc]
    """Raise layers so that the first one given ends on top."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {% for layer in this.layers|reverse %}
            {{ layer.get_name() }}.bringToFront();
            {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, layers: Sequence[Any]) -> None:
        super().__init__()
        self._name = "BringToFront"
        self.layers = list(layers)


_CSS = """
<style>
  .corridor-title, .corridor-legend {
    background: rgba(255, 255, 255, 0.93); padding: 8px 10px; border-radius: 6px;
    box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); font: 12px/1.35 system-ui, sans-serif;
    color: #1e293b; max-width: 440px;
  }
  .corridor-title h1 { font-size: 15px; margin: 0 0 4px 0; }
  .corridor-title p { margin: 2px 0; }
  .corridor-title .corridor-model { color: #475569; font-size: 11px; }
  .corridor-legend { max-height: 60vh; overflow-y: auto; }
  .corridor-legend-heading { font-weight: 600; margin: 4px 0 2px 0; }
  .corridor-legend-row { display: flex; align-items: center; gap: 6px; }
  .corridor-legend-row svg { flex: none; }
  .corridor-label { font-weight: 600; }
  .corridor-table { font-size: 12px; border-collapse: collapse; margin-top: 4px; }
  .corridor-table th { text-align: left; padding-right: 8px; vertical-align: top; }
  .corridor-table td.num { text-align: right; padding-left: 6px; }
</style>
"""


# -- styles and text ----------------------------------------------------------------------------
def _line_swatch(color: str, dash: str | None = None, weight: float = 3.0) -> str:
    dash_attr = f' stroke-dasharray="{_esc(dash)}"' if dash else ""
    return (
        f'<svg width="36" height="12"><line x1="2" y1="6" x2="34" y2="6" '
        f'stroke="{_esc(color)}" stroke-width="{weight:g}"{dash_attr} '
        f'stroke-linecap="round"/></svg>'
    )


def _dot_swatch(style: _SiteStyle) -> str:
    r = min(style.radius, 7.0)
    return (
        f'<svg width="36" height="18"><circle cx="18" cy="9" r="{r:g}" '
        f'fill="{_esc(style.fill)}" stroke="{_esc(style.stroke)}" '
        f'stroke-width="{min(style.weight, 2.0):g}"/></svg>'
    )


def _link_weight(capacity_tbps: Any) -> float:
    """Line width from the design capacity: 2.5 px when unknown, 2..8 px on a log scale."""
    if _missing(capacity_tbps):
        return 2.5
    return float(np.clip(2.0 + 1.5 * math.log10(1.0 + float(capacity_tbps)), 2.0, 8.0))


def _site_style(kind: str) -> _SiteStyle:
    return SITE_STYLES.get(kind, _OTHER_SITE)


def _model_text(net: Network) -> str:
    m = net.model
    return _esc(
        f"Latency model: fiber group index {m.group_index:g} "
        f"({m.ms_per_km * 1000:.3f} µs/km one way), route factor terrestrial "
        f"{m.route_factor_terrestrial:.2f} / submarine {m.route_factor_submarine:.2f}, "
        f"{m.site_delay_ms:g} ms per intermediate site; RTT = 2 x one way."
    )


def _site_names(net: Network) -> dict[str, str]:
    return dict(zip(net.sites["id"], net.sites["name"], strict=True))


def _link_html(net: Network, row: Any, names: dict[str, str]) -> tuple[str, str]:
    """Tooltip and popup HTML of a link row."""
    name = getattr(row, "name", None)
    title = name if not _missing(name) else row.id
    capex = _fmt(getattr(row, "capex_eur_m", None), ",.0f")
    if capex != "n/a" and not _missing(getattr(row, "capex_basis", None)):
        capex += f" ({_esc(getattr(row, 'capex_basis', None))})"
    srlgs = ", ".join(_esc(g) for g in getattr(row, "srlgs", ())) or "none"
    crossed = getattr(row, "countries", ())
    countries = " &gt; ".join(_esc(net.country_name(c)) for c in crossed) or "n/a"
    tooltip = (
        f"<b>{_esc(title)}</b><br>{_fmt(getattr(row, 'system', None))} &middot; {_esc(row.kind)}, "
        f"{_esc(row.status)}<br>{_fmt(row.length_km, ',.0f', ' km')}, "
        f"{_fmt(row.latency_ms, '.2f', ' ms')} one way"
    )
    popup = f"<b>{_esc(title)}</b>" + _table(
        [
            ("link", _esc(row.id)),
            ("system", _fmt(getattr(row, "system", None))),
            (
                "from / to",
                f"{_esc(names.get(row.a, row.a))} &ndash; {_esc(names.get(row.b, row.b))}",
            ),
            ("kind", _esc(row.kind)),
            ("status", _esc(row.status)),
            ("year (RFS)", _fmt(getattr(row, "rfs", None))),
            ("length", _fmt(row.length_km, ",.0f", " km")),
            ("one way", _fmt(row.latency_ms, ".2f", " ms")),
            ("capacity", _fmt(getattr(row, "capacity_tbps", None), "g", " Tbps")),
            ("capex", capex if capex == "n/a" else f"EUR {capex} m"),
            ("countries", countries),
            ("SRLGs", srlgs),
            ("source", _fmt(getattr(row, "source", None))),
        ]
    )
    return tooltip, popup


def _site_html(net: Network, row: Any) -> tuple[str, str]:
    """Tooltip and popup HTML of a site row."""
    style = _site_style(row.kind)
    tooltip = f"<b>{_esc(row.name)}</b><br>{_esc(style.label)}, {_esc(row.country)}"
    popup = f"<b>{_esc(row.name)}</b>" + _table(
        [
            ("site", _esc(row.id)),
            ("kind", _esc(row.kind)),
            ("country", f"{_esc(net.country_name(row.country))} ({_esc(row.country)})"),
            ("region", _fmt(getattr(row, "region", None))),
            ("status", _fmt(getattr(row, "status", None))),
            ("source", _fmt(getattr(row, "source", None))),
        ]
    )
    return tooltip, popup


# -- building blocks ----------------------------------------------------------------------------
def _new_map(net: Network, *, offline: bool, title_html: str) -> tuple[folium.Map, _Legend]:
    """An empty map with the basemap, title, legend and scale bar."""
    m = folium.Map(
        location=[45.0, 70.0],
        zoom_start=3,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    root: Any = m.get_root()
    if offline:
        m.default_js = []
        m.default_css = []
        js, css = leaflet_assets()
        root.header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css_inline")
        root.header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js_inline")
        root.header.add_child(
            Element(f"<style>.leaflet-container {{ background: {_OFFLINE_SEA}; }}</style>"),
            name="corridor_offline_css",
        )
        basemap = _basemap()
        if basemap is not None:
            borders = folium.FeatureGroup(name="Country borders", show=True)
            _StaticGeoJson(
                basemap,
                {
                    "color": "#94a3b8",
                    "weight": 0.8,
                    "fillColor": "#f8fafc",
                    "fillOpacity": 1.0,
                },
            ).add_to(borders)
            borders.add_to(m)
    else:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
        folium.TileLayer(
            _POSITRON_URL, attr=_POSITRON_ATTR, name="CartoDB positron", show=False
        ).add_to(m)
    root.header.add_child(Element(_CSS), name="corridor_css")
    _HtmlControl(
        title_html + f'<p class="corridor-model">{_model_text(net)}</p>',
        position="topleft",
        css_class="corridor-title",
    ).add_to(m)
    legend = _Legend()
    legend.add_to(m)
    return m, legend


def _legend_of(m: folium.Map) -> _Legend:
    for child in m._children.values():
        if isinstance(child, _Legend):
            return child
    legend = _Legend()
    legend.add_to(m)
    return legend


def _finish(m: folium.Map) -> None:
    """Add the layer control (or move it) after every layer, as Leaflet needs."""
    controls = [k for k, c in m._children.items() if isinstance(c, folium.LayerControl)]
    if not controls:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
        return
    for key in controls:
        m._children.move_to_end(key)


def _draw_links(
    target: folium.FeatureGroup,
    net: Network,
    rows: Iterable[Any],
    names: dict[str, str],
    *,
    step_km: float,
    faint: bool = False,
    color: str | None = None,
    dash: str | None = None,
    weight: float | None = None,
    opacity: float | None = None,
    class_name: str | None = None,
) -> list[list[float]]:
    """Draw link rows into the layer ``target``; return every point drawn (for bounds).

    Without ``color`` a link is styled by kind and status (and width by capacity); with it,
    every link gets ``color``/``dash``/``weight`` (a highlight).
    """
    drawn: list[list[float]] = []
    feats = _features(target)
    for row in rows:
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        latlons = _latlons(densify_geodesic(shapely.get_coordinates(geom), step_km=step_km))
        if weight is None:
            width = 1.5 if faint else _link_weight(getattr(row, "capacity_tbps", None))
        else:
            width = weight
        tooltip, popup = _link_html(net, row, names)
        feats.items.append(
            _vector(
                "polyline",
                latlons,
                color=color or KIND_COLORS.get(row.kind, "#475569"),
                weight=width,
                opacity=opacity if opacity is not None else (0.35 if faint else 0.85),
                dash=dash if color is not None else STATUS_DASHES.get(row.status),
                class_name=class_name
                or f"corridor-link corridor-link-{row.kind} corridor-link-{row.status}",
                tooltip=tooltip,
                popup=popup,
            )
        )
        drawn.extend(latlons)
    return drawn


def _site_marker(
    net: Network,
    row: Any,
    *,
    faint: bool = False,
    label: bool = False,
) -> dict[str, Any]:
    """A site's circle marker; ``label`` shows its name permanently instead of on hover."""
    style = _site_style(row.kind)
    tooltip, popup = _site_html(net, row)
    tooltip_options = None
    if label:
        tooltip = f'<span class="corridor-label">{_esc(row.name)}</span>'
        tooltip_options = {"permanent": True, "direction": "right", "offset": [8, 0]}
    return _vector(
        "circleMarker",
        [round(row.geometry.y, _COORD_DECIMALS), round(row.geometry.x, _COORD_DECIMALS)],
        radius=style.radius * (0.6 if faint else 1.0),
        color=style.stroke,
        weight=style.weight if not faint else 1.0,
        opacity=0.5 if faint else 1.0,
        fill=style.fill,
        fill_opacity=0.45 if faint else 0.95,
        dash="3 3" if getattr(row, "status", "existing") == "planned" else None,
        class_name=f"corridor-site corridor-site-{row.kind}",
        tooltip=tooltip,
        tooltip_options=tooltip_options,
        popup=popup,
    )


def _site_layers(
    m: folium.Map, net: Network, legend: _Legend, *, faint: bool, label_datacenters: bool
) -> None:
    order = [k for k in SITE_STYLES if k != "datacenter"] + ["datacenter"]
    kinds = [k for k in order if k in set(net.sites["kind"])]
    kinds += sorted(set(net.sites["kind"]) - set(kinds))
    sec = legend.section("Sites")
    for kind in kinds:
        rows = net.sites[net.sites["kind"] == kind]
        style = _site_style(kind)
        name = f"Sites: {style.label if kind in SITE_STYLES else kind} ({len(rows)})"
        group = folium.FeatureGroup(name=_esc(name))
        for row in rows.itertuples(index=False):
            if row.geometry is None or row.geometry.is_empty:
                continue
            label = label_datacenters and kind == "datacenter"
            _features(group).items.append(_site_marker(net, row, faint=faint, label=label))
        group.add_to(m)
        sec.entries.append(_LegendEntry(_dot_swatch(style), _esc(name[len("Sites: ") :])))


def _bounds(points: Sequence[Sequence[float]]) -> list[list[float]] | None:
    if not points:
        return None
    arr = np.asarray(points, dtype=float)
    south, west = arr.min(axis=0)
    north, east = arr.max(axis=0)
    return [[float(south), float(west)], [float(north), float(east)]]


def _site_points(net: Network) -> list[list[float]]:
    return [[g.y, g.x] for g in net.sites.geometry if g is not None and not g.is_empty]


# -- public maps --------------------------------------------------------------------------------
def network_map(
    net: Network,
    *,
    offline: bool = False,
    title: str | None = None,
    status: str | Iterable[str] | None = None,
    step_km: float = DENSIFY_KM,
) -> folium.Map:
    """The whole network: every link and site.

    Links are colored by kind (terrestrial, submarine), dashed by status (planned dashed,
    proposed dotted) and as wide as their capacity (log scale; unknown capacity thin). Sites are
    circle markers by kind; data centers (e.g. the Akashi data center in Astana) are larger,
    red and labelled. Each (kind, status) group of links and each kind of site is its own
    toggleable layer. Tooltips and popups give a link's name, system, km, one-way ms, status,
    year, capacity, capex, countries, SRLGs and source, and a site's name, kind, country,
    region, status and source.

    Parameters
    ----------
    net
        The network.
    offline
        Inline Leaflet and draw the country borders instead of loading tiles (no network needed
        to open the file).
    title
        Heading of the title block (default "corridor fiber network").
    status
        Link statuses to draw (``"existing"``, ``"planned"``, ``"proposed"`` or a collection;
        ``"all"`` or ``None`` draws every link).
    step_km
        Spacing of the great-circle densification.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.
    """
    statuses = _statuses(status)
    links = net.links[net.links["status"].isin(statuses)]
    heading = title or "corridor fiber network"
    n_dc = int((net.sites["kind"] == "datacenter").sum())
    dc_text = f", {n_dc} data center{'s' if n_dc > 1 else ''}" if n_dc else ""
    title_html = (
        f"<h1>{_esc(heading)}</h1>"
        f"<p>{len(links)} links ({_esc(', '.join(sorted(statuses)))}) and {net.n_sites} sites"
        f"{dc_text}. Links by kind, dashed when planned, "
        f"dotted when proposed, wider with more capacity; click any element for its data.</p>"
    )
    m, legend = _new_map(net, offline=offline, title_html=title_html)
    names = _site_names(net)
    points: list[list[float]] = []
    link_sec = legend.section("Links")
    for kind in ("terrestrial", "submarine", *sorted(set(links["kind"]) - set(KIND_COLORS))):
        for stat in ("existing", "planned", "proposed"):
            rows = links[(links["kind"] == kind) & (links["status"] == stat)]
            if not len(rows):
                continue
            name = f"{kind.capitalize()} links, {stat} ({len(rows)})"
            group = folium.FeatureGroup(name=_esc(name))
            points += _draw_links(group, net, rows.itertuples(index=False), names, step_km=step_km)
            group.add_to(m)
            link_sec.entries.append(
                _LegendEntry(
                    _line_swatch(KIND_COLORS.get(kind, "#475569"), STATUS_DASHES.get(stat)),
                    _esc(name),
                )
            )
    if len(links):
        link_sec.entries.append(
            _LegendEntry(_line_swatch("#64748b", None, 6.0), "wider: more capacity (Tbps)")
        )
    _site_layers(m, net, legend, faint=False, label_datacenters=True)
    bounds = _bounds(points + _site_points(net))
    if bounds is not None:
        m.fit_bounds(bounds, **_FIT_PADDING)
    _finish(m)
    return m


def _statuses(status: str | Iterable[str] | None) -> set[str]:
    every = {"existing", "planned", "proposed"}
    if status is None or status == "all":
        return every
    if isinstance(status, str):
        wanted = {"existing": {"existing"}, "planned": {"existing", "planned"}}.get(status)
        if wanted is not None:
            return wanted
        status = [status]
    chosen = set(status)
    unknown = chosen - every
    if unknown:
        msg = f"unknown link status {sorted(unknown)[0]!r}; use existing, planned, proposed or all"
        raise MapError(msg)
    return chosen


def _rtt_decimals(paths: Sequence[Path]) -> int:
    """Decimals that tell the paths' round trips apart (1, or up to 3 when they round equal)."""
    for decimals in (1, 2, 3):
        shown = [f"{p.rtt_ms:.{decimals}f}" for p in paths]
        if len(set(shown)) == len(shown):
            return decimals
    return 1  # some are equal however many decimals: keep it short


def _path_name(rank: int, path: Path, label: str | None, decimals: int = 1) -> str:
    head = f"{rank} ({label})" if label else f"{rank}"
    return f"{head}: {path.rtt_ms:.{decimals}f} ms RTT"


def _path_weight(rank: int, count: int) -> float:
    """Line width of a path: later ranks wider, so paths sharing links show as nested stripes."""
    if count == 1:
        return 7.0
    return 5.0 + 3.0 * (min(rank, 5) - 1)


def route_map(
    net: Network,
    result: RouteResult,
    *,
    offline: bool = False,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    step_km: float = DENSIFY_KM,
) -> folium.Map:
    """The paths of a routing result over the network drawn faintly.

    Each path is one polyline (class ``corridor-route corridor-route-<rank>``) in its own
    toggleable layer named by rank and round-trip time, e.g. ``"1: 146.2 ms RTT"`` or, with
    ``labels=["primary", "backup"]``, ``"1 (primary): 146.2 ms RTT"``. The first path is drawn
    on top and widest. Source and target are marked and labelled; the view fits the paths.

    Parameters
    ----------
    net
        The network the result was computed on.
    result
        A :class:`~corridor.routing.RouteResult` with at least one path.
    offline
        As in :func:`network_map`.
    labels
        One name per path (e.g. ``["primary", "backup"]`` for a disjoint pair).
    title
        Heading of the title block (default "<source> to <target>").
    step_km
        Spacing of the great-circle densification.

    Raises
    ------
    MapError
        When the result has no path or ``labels`` does not have one entry per path.
    """
    if not result.paths:
        msg = f"route from {result.source} to {result.target} has no path to draw"
        raise MapError(msg)
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(result.paths):
            msg = f"{len(labels)} labels given for {len(result.paths)} paths; give one per path"
            raise MapError(msg)
    names = _site_names(net)
    src, dst = names.get(result.source, result.source), names.get(result.target, result.target)
    heading = title or f"{src} to {dst}"
    best = result.best
    count = len(result.paths)
    what = "the best route" if count == 1 else f"{count} routes, ranked by round-trip latency"
    floor = (
        f"great circle {result.great_circle_km:,.0f} km, physical floor "
        f"{result.floor_rtt_ms:.1f} ms RTT"
        if math.isfinite(result.great_circle_km)
        else ""
    )
    title_html = (
        f"<h1>{_esc(heading)}</h1>"
        f"<p>{_esc(what)}; best {best.rtt_ms:.1f} ms RTT over {best.length_km:,.0f} km"
        f"{f' (stretch {best.stretch:.2f})' if math.isfinite(best.stretch) else ''}"
        f"{'; ' + _esc(floor) if floor else ''}. Network drawn faintly underneath.</p>"
    )
    for note in result.notes:
        title_html += f"<p>{_esc(note)}</p>"
    m, legend = _new_map(net, offline=offline, title_html=title_html)

    network = folium.FeatureGroup(name="Network (all links and sites)")
    _draw_links(network, net, net.links.itertuples(index=False), names, step_km=step_km, faint=True)
    for row in net.sites.itertuples(index=False):
        if row.geometry is not None and not row.geometry.is_empty:
            _features(network).items.append(_site_marker(net, row, faint=True))
    network.add_to(m)

    route_sec = legend.section("Routes")
    decimals = _rtt_decimals(result.paths)
    groups = []
    points: list[list[float]] = []
    sites = net.sites
    for rank, path in enumerate(result.paths, start=1):
        color = PATH_COLORS[(rank - 1) % len(PATH_COLORS)]
        label = labels[rank - 1] if labels is not None else None
        name = _path_name(rank, path, label, decimals)
        group = folium.FeatureGroup(name=_esc(name))
        latlons = path_latlons(net, path, step_km=step_km)
        points += latlons
        backup = bool(label) and rank > 1 and "backup" in (label or "").lower()
        tip, pop = _path_html(net, path, rank, name, names)
        feats = _features(group)
        feats.items.append(
            _vector(
                "polyline",
                latlons,
                color=color,
                weight=_path_weight(rank, len(result.paths)),
                opacity=0.9,
                dash="12 8" if backup else None,
                class_name=f"corridor-route corridor-route-{rank}",
                tooltip=tip,
                popup=pop,
            )
        )
        for node in path.nodes[1:-1]:
            row = next(sites.iloc[[net.site_index(node)]].itertuples(index=False))
            if row.geometry is None or row.geometry.is_empty:
                continue
            stop_tip, stop_pop = _site_html(net, row)
            feats.items.append(
                _vector(
                    "circleMarker",
                    [
                        round(row.geometry.y, _COORD_DECIMALS),
                        round(row.geometry.x, _COORD_DECIMALS),
                    ],
                    radius=4,
                    color=color,
                    weight=2,
                    fill="#ffffff",
                    class_name="corridor-route-site",
                    tooltip=stop_tip,
                    popup=stop_pop,
                )
            )
        group.add_to(m)
        groups.append(group)
        countries = " > ".join(path.countries)
        route_sec.entries.append(
            _LegendEntry(
                _line_swatch(color, "8 5" if backup else None, 5.0),
                f"{_esc(name)} &middot; {_esc(countries)}",
            )
        )
    _BringToFront(groups).add_to(m)

    ends = folium.FeatureGroup(name="Source and target", control=False)
    for role, site_id in (("source", result.source), ("target", result.target)):
        row = next(sites.iloc[[net.site_index(site_id)]].itertuples(index=False))
        if row.geometry is None or row.geometry.is_empty:
            continue
        _features(ends).items.append(
            _vector(
                "circleMarker",
                [round(row.geometry.y, _COORD_DECIMALS), round(row.geometry.x, _COORD_DECIMALS)],
                radius=9,
                color="#0f172a",
                weight=3,
                fill="#facc15",
                class_name=f"corridor-endpoint corridor-endpoint-{role}",
                tooltip=f'<span class="corridor-label">{_esc(row.name)}</span>',
                tooltip_options={"permanent": True, "direction": "top", "offset": [0, -10]},
                popup=_site_html(net, row)[1],
            )
        )
        points.append([row.geometry.y, row.geometry.x])
    ends.add_to(m)
    legend.section("Routes").entries.append(
        _LegendEntry(
            '<svg width="36" height="18"><circle cx="18" cy="9" r="7" fill="#facc15" '
            'stroke="#0f172a" stroke-width="2.5"/></svg>',
            "source and target",
        )
    )
    net_sec = legend.section("Network (faint)")
    for kind, color in KIND_COLORS.items():
        net_sec.entries.append(_LegendEntry(_line_swatch(color, None, 2.0), _esc(kind)))
    net_sec.entries.append(
        _LegendEntry(_line_swatch("#64748b", STATUS_DASHES["planned"], 2.0), "planned / proposed")
    )
    bounds = _bounds(points)
    if bounds is not None:
        m.fit_bounds(bounds, **_FIT_PADDING)
    _finish(m)
    return m


def _path_html(
    net: Network, path: Path, rank: int, name: str, names: dict[str, str]
) -> tuple[str, str]:
    stretch = f", stretch {path.stretch:.2f}" if math.isfinite(path.stretch) else ""
    tooltip = (
        f"<b>{_esc(name)}</b><br>{path.length_km:,.0f} km, {path.one_way_ms:.2f} ms one way"
        f"{stretch}, {path.hops} links<br>{_esc(' > '.join(path.countries))}"
    )
    hops = []
    for i, link_id in enumerate(path.links):
        row = net.links.iloc[net.link_index(link_id)]
        hops.append(
            "<tr>"
            f"<td>{_esc(names.get(path.nodes[i], path.nodes[i]))} &rarr; "
            f"{_esc(names.get(path.nodes[i + 1], path.nodes[i + 1]))}</td>"
            f"<td>{_fmt(row['system'])}</td>"
            f"<td class='num'>{_fmt(row['length_km'], ',.0f')}</td>"
            f"<td class='num'>{_fmt(row['latency_ms'], '.2f')}</td>"
            "</tr>"
        )
    detail = (
        '<table class="corridor-table">'
        "<tr><th>hop</th><th>system</th>"
        "<th>km</th><th>ms</th></tr>" + "".join(hops) + "</table>"
    )
    popup = (
        f"<b>{_esc(name)}</b>"
        + _table(
            [
                ("round trip", f"{path.rtt_ms:.1f} ms"),
                ("one way", f"{path.one_way_ms:.2f} ms"),
                ("length", f"{path.length_km:,.0f} km"),
                ("stretch", f"{path.stretch:.2f}" if math.isfinite(path.stretch) else "n/a"),
                ("countries", _esc(" > ".join(path.countries))),
                ("systems", _esc(", ".join(s for s in path.systems if s)) or "n/a"),
                ("SRLGs", _esc(", ".join(path.srlgs)) or "none"),
            ]
        )
        + detail
    )
    return tooltip, popup


def add_links_layer(
    m: folium.Map,
    net: Network,
    link_ids: Iterable[str],
    *,
    name: str,
    color: str,
    dash: str | None = None,
    weight: float = 5.0,
    opacity: float = 0.9,
    class_name: str = "corridor-highlight",
    show: bool = True,
    step_km: float = DENSIFY_KM,
) -> folium.FeatureGroup:
    """Add a toggleable layer highlighting some links (failed links, candidate links, ...).

    The layer is listed in the layer control and the legend under "Highlighted links"; it can
    be called on any map made here, after it was built.

    Parameters
    ----------
    m
        A map from :func:`network_map` or :func:`route_map` (or any folium map).
    net
        The network the link ids belong to.
    link_ids
        Link ids to draw.
    name
        Layer name (escaped; shown in the layer control and legend).
    color, dash, weight, opacity
        Line style (``dash`` is an SVG dash pattern such as ``"8 6"``).
    class_name
        CSS class of the drawn SVG paths.
    show
        Whether the layer is on when the map opens.

    Raises
    ------
    UnknownSiteError
        For a link id the network does not have.
    """
    ids = list(dict.fromkeys(link_ids))
    idx = [net.link_index(i) for i in ids]
    group = folium.FeatureGroup(name=_esc(name), show=show)
    _draw_links(
        group,
        net,
        net.links.iloc[idx].itertuples(index=False),
        _site_names(net),
        step_km=step_km,
        color=color,
        dash=dash,
        weight=weight,
        opacity=opacity,
        class_name=class_name,
    )
    group.add_to(m)
    _legend_of(m).section("Highlighted links").entries.append(
        _LegendEntry(_line_swatch(color, dash, min(weight, 6.0)), f"{_esc(name)} ({len(ids)})")
    )
    _finish(m)
    return group


# -- saving -------------------------------------------------------------------------------------
def save_map(m: folium.Map, path: str | os.PathLike[str]) -> FilePath:
    """Write a map as a standalone HTML file, atomically.

    The HTML is rendered first, written to a temporary file in the same folder and moved over
    ``path`` with :func:`os.replace`, so readers see the old file or the new one, never a
    half-written one. Parent folders are created.

    Raises
    ------
    MapError
        When the file cannot be written (the message names the path and the reason).
    """
    return write_atomic(path, m.get_root().render(), what="map", error=MapError)
