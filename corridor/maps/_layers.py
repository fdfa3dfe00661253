"""Drawing blocks shared by every map: the empty map, link and site layers, legend, view, saving.

:func:`add_links_layer` and :func:`add_sites_layer` are public: they add a highlighted set of
links or sites to any map made here (or to a bare folium map), with its legend entry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path as FilePath
from typing import Any

import folium
import numpy as np
from branca.element import Element

from corridor._atomic import write_atomic
from corridor.maps._assets import basemap, leaflet_assets, shifted_geojson
from corridor.maps._elements import (
    CSS,
    KIND_COLORS,
    SITE_STYLES,
    STATUS_DASHES,
    HtmlControl,
    Legend,
    LegendEntry,
    SiteStyle,
    StaticGeoJson,
    ZoomLabels,
    dot_swatch,
    features,
    legend_of,
    line_swatch,
    link_weight,
    site_style,
    vector,
    zoom_label,
)
from corridor.maps._errors import MapError
from corridor.maps._html import escape
from corridor.maps._popups import link_html, model_text, site_html, site_names
from corridor.maps.geometry import DENSIFY_KM, line_latlons, point_latlon
from corridor.network import Network

__all__ = [
    "add_links_layer",
    "add_sites_layer",
    "draw_links",
    "finish",
    "fit",
    "new_map",
    "save_map",
    "shift_basemap",
    "site_layers",
    "site_marker",
    "site_points",
]

# Room left for the title block (top left) when fitting the view.
_FIT_PADDING: dict[str, Any] = {
    "padding_top_left": (110, 170),
    "padding_bottom_right": (110, 40),
}
_OFFLINE_SEA = "#dbeafe"
_BORDER_STYLE: dict[str, Any] = {
    "color": "#94a3b8",
    "weight": 0.8,
    "fillColor": "#f8fafc",
    "fillOpacity": 1.0,
}
_POSITRON_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
_POSITRON_ATTR = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)


# -- building blocks ----------------------------------------------------------------------------
def new_map(net: Network, *, offline: bool, title_html: str) -> tuple[folium.Map, Legend]:
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
        countries = basemap()
        if countries is not None:
            borders = folium.FeatureGroup(name="Country borders", show=True)
            StaticGeoJson(countries, _BORDER_STYLE).add_to(borders)
            borders.add_to(m)
    else:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
        folium.TileLayer(
            _POSITRON_URL, attr=_POSITRON_ATTR, name="CartoDB positron", show=False
        ).add_to(m)
    root.header.add_child(Element(CSS), name="corridor_css")
    HtmlControl(
        title_html + f'<p class="corridor-model">{model_text(net)}</p>',
        position="topleft",
        css_class="corridor-title",
    ).add_to(m)
    legend = Legend()
    legend.add_to(m)
    ZoomLabels().add_to(m)
    return m, legend


def shift_basemap(m: folium.Map, shift: float) -> None:
    """Draw the offline basemap's countries once more, ``shift`` degrees of longitude away, so
    a line unwrapped across the antimeridian has land under it (no-op on a tiled map)."""
    countries = basemap()
    if countries is None:
        return
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup) and child.layer_name == "Country borders":
            StaticGeoJson(shifted_geojson(countries, shift), _BORDER_STYLE).add_to(child)
            return


def finish(m: folium.Map) -> None:
    """Add the layer control (or move it) after every layer, as Leaflet needs."""
    controls = [k for k, c in m._children.items() if isinstance(c, folium.LayerControl)]
    if not controls:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
        return
    for key in controls:
        m._children.move_to_end(key)


def draw_links(
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
    html: Mapping[str, tuple[str, str]] | None = None,
) -> list[list[float]]:
    """Draw link rows into the layer ``target``; return every point drawn (for bounds).

    Without ``color`` a link is styled by kind and status (and width by capacity); with it,
    every link gets ``color``/``dash``/``weight`` (a highlight). ``html`` gives the tooltip and
    popup of a link by id in place of its data's.
    """
    drawn: list[list[float]] = []
    feats = features(target)
    for row in rows:
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        latlons = line_latlons(geom, step_km=step_km)
        if weight is None:
            width = 1.5 if faint else link_weight(getattr(row, "capacity_tbps", None))
        else:
            width = weight
        if html is not None and row.id in html:
            tooltip, popup = html[row.id]
        else:
            tooltip, popup = link_html(net, row, names)
        feats.items.append(
            vector(
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


def site_marker(
    net: Network,
    row: Any,
    *,
    faint: bool = False,
    label: bool = False,
) -> dict[str, Any]:
    """A site's circle marker; ``label`` shows its name permanently instead of on hover."""
    style = site_style(row.kind)
    tooltip, popup = site_html(net, row)
    tooltip_options = None
    if label:
        tooltip = f'<span class="corridor-label">{escape(row.name)}</span>'
        tooltip_options = {"permanent": True, "direction": "right", "offset": [8, 0]}
    return vector(
        "circleMarker",
        point_latlon(row.geometry),
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


def site_layers(
    m: folium.Map, net: Network, legend: Legend, *, faint: bool, label_datacenters: bool
) -> None:
    """One layer of markers per kind of site, each listed in the legend under "Sites"."""
    order = [k for k in SITE_STYLES if k != "datacenter"] + ["datacenter"]
    kinds = [k for k in order if k in set(net.sites["kind"])]
    kinds += sorted(set(net.sites["kind"]) - set(kinds))
    sec = legend.section("Sites")
    for kind in kinds:
        rows = net.sites[net.sites["kind"] == kind]
        style = site_style(kind)
        name = f"Sites: {style.label if kind in SITE_STYLES else kind} ({len(rows)})"
        group = folium.FeatureGroup(name=escape(name))
        for row in rows.itertuples(index=False):
            if row.geometry is None or row.geometry.is_empty:
                continue
            label = label_datacenters and kind == "datacenter"
            marker = site_marker(net, row, faint=faint, label=label)
            if not label and not faint and kind in ("city", "ixp"):
                pop = getattr(row, "population", None)
                big = pop is not None and pop == pop and float(pop) >= 1_000_000
                marker["t"], marker["to"] = zoom_label(row.name, 5 if big else 7)
            features(group).items.append(marker)
        group.add_to(m)
        sec.entries.append(LegendEntry(dot_swatch(style), escape(name[len("Sites: ") :])))


def _bounds(points: Sequence[Sequence[float]]) -> list[list[float]] | None:
    """South-west and north-east corners of ``[lat, lon]`` points (``None`` for no points)."""
    if not points:
        return None
    arr = np.asarray(points, dtype=float)
    south, west = arr.min(axis=0)
    north, east = arr.max(axis=0)
    return [[float(south), float(west)], [float(north), float(east)]]


def site_points(net: Network) -> list[list[float]]:
    """Every site as a ``[lat, lon]`` pair (unrounded; for bounds)."""
    return [[g.y, g.x] for g in net.sites.geometry if g is not None and not g.is_empty]


def fit(m: folium.Map, points: Sequence[Sequence[float]]) -> None:
    """Fit the view to the points, leaving room for the title block (no points: keep it)."""
    corners = _bounds(points)
    if corners is not None:
        m.fit_bounds(corners, **_FIT_PADDING)


# -- highlights ---------------------------------------------------------------------------------
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
    html: Mapping[str, tuple[str, str]] | None = None,
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
    html
        Tooltip and popup of a link by id, as HTML (escape data with :func:`escape`); a link
        not in it shows its usual tooltip and popup.

    Raises
    ------
    UnknownSiteError
        For a link id the network does not have.
    """
    ids = list(dict.fromkeys(link_ids))
    idx = [net.link_index(i) for i in ids]
    group = folium.FeatureGroup(name=escape(name), show=show)
    draw_links(
        group,
        net,
        net.links.iloc[idx].itertuples(index=False),
        site_names(net),
        step_km=step_km,
        color=color,
        dash=dash,
        weight=weight,
        opacity=opacity,
        class_name=class_name,
        html=html,
    )
    swatch = line_swatch(color, dash, min(weight, 6.0))
    entry = LegendEntry(swatch, f"{escape(name)} ({len(ids)})")
    return _add_highlight(m, group, "Highlighted links", entry)


def add_sites_layer(
    m: folium.Map,
    net: Network,
    site_ids: Iterable[str],
    *,
    name: str,
    color: str,
    stroke: str = "#0f172a",
    radius: float = 9.0,
    weight: float = 3.0,
    fill_opacity: float = 0.9,
    class_name: str = "corridor-highlight-site",
    html: Mapping[str, str] | None = None,
    legend: str = "Highlighted sites",
    legend_label: str | None = None,
    show: bool = True,
    label: bool = False,
) -> folium.FeatureGroup:
    """Add a toggleable layer of large markers on some sites (chosen nodes, failed sites, ...).

    The layer is listed in the layer control and in the legend section ``legend``; like
    :func:`add_links_layer` it can be called on any map made here, after it was built.

    Parameters
    ----------
    m, net, name, show
        As in :func:`add_links_layer` (``name`` is not repeated in the legend).
    site_ids
        Site ids to mark.
    color, stroke, radius, weight, fill_opacity
        Marker style: fill color, outline color, radius and outline width in pixels.
    class_name
        CSS class of the drawn SVG circles.
    html
        Tooltip and popup of a site by id, as HTML (escape data with :func:`escape`); a site
        not in it shows its usual tooltip and popup.
    legend
        Heading of the legend section the layer is listed under.
    legend_label
        Text of the legend entry (escaped; default ``"<name> (<number of sites>)"``).
    label
        Show each site's name permanently beside the marker (the tooltip's text moves to the
        popup).

    Raises
    ------
    UnknownSiteError
        For a site id the network does not have.
    """
    rows = net.sites.iloc[[net.site_index(i) for i in dict.fromkeys(site_ids)]]
    group = folium.FeatureGroup(name=escape(name), show=show)
    feats = features(group)
    for row in rows.itertuples(index=False):
        if row.geometry is None or row.geometry.is_empty:
            continue
        tooltip, popup = site_html(net, row)
        if html is not None and row.id in html:
            tooltip = popup = html[row.id]
        options = None
        if label:
            tooltip = f'<span class="corridor-label">{escape(row.name)}</span>'
            options = {"permanent": True, "direction": "top", "offset": [0, -radius - 2]}
        feats.items.append(
            vector(
                "circleMarker",
                point_latlon(row.geometry),
                radius=radius,
                color=stroke,
                weight=weight,
                fill=color,
                fill_opacity=fill_opacity,
                class_name=class_name,
                tooltip=tooltip,
                tooltip_options=options,
                popup=popup,
            )
        )
    text = legend_label if legend_label is not None else f"{name} ({len(rows)})"
    swatch = dot_swatch(SiteStyle(radius, color, stroke, text, weight))
    return _add_highlight(m, group, legend, LegendEntry(swatch, escape(text)))


def _add_highlight(
    m: folium.Map, group: folium.FeatureGroup, section: str, entry: LegendEntry
) -> folium.FeatureGroup:
    """Add a highlight layer to the map and the legend; keep the layer control last."""
    group.add_to(m)
    legend_of(m).section(section).entries.append(entry)
    finish(m)
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
