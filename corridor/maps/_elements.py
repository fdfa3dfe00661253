"""Styles and custom Leaflet-core elements: feature layers, HTML controls, legend, CSS, swatches.

The elements render as plain Leaflet script (no jQuery or other plugin), and every text they
carry into a script passes through :func:`~corridor.maps._html.js_literal`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import folium
import numpy as np
from branca.element import Element, MacroElement, Template

from corridor.maps._html import css_class, escape, js_literal, missing

__all__ = [
    "CSS",
    "KIND_COLORS",
    "OTHER_SITE",
    "PATH_COLORS",
    "SITE_STYLES",
    "STATUS_DASHES",
    "BringToFront",
    "Features",
    "HtmlControl",
    "Legend",
    "LegendEntry",
    "LegendSection",
    "SiteStyle",
    "StaticGeoJson",
    "ZoomLabels",
    "dot_swatch",
    "features",
    "legend_of",
    "line_swatch",
    "link_weight",
    "site_style",
    "vector",
    "zoom_label",
]

#: Line color of a link by kind.
KIND_COLORS: dict[str, str] = {"terrestrial": "#c2410c", "submarine": "#1d4ed8"}

#: SVG dash pattern of a link by status (``None``: solid).
STATUS_DASHES: dict[str, str | None] = {
    "existing": None,
    "planned": "10 7",
    "proposed": "2 7",
    "suspended": "1 9",
}


@dataclass(frozen=True)
class SiteStyle:
    """A site marker's look: radius (px), fill and stroke colors, legend label, stroke width."""

    radius: float
    fill: str
    stroke: str
    label: str
    weight: float = 1.5


#: Marker style of a site by kind; data centers are larger, brighter and labelled.
SITE_STYLES: dict[str, SiteStyle] = {
    "datacenter": SiteStyle(9.0, "#e11d48", "#4c0519", "data center", 3.0),
    "city": SiteStyle(5.0, "#334155", "#ffffff", "city"),
    "ixp": SiteStyle(5.5, "#16a34a", "#ffffff", "exchange point (IXP)"),
    "landing": SiteStyle(5.0, "#0891b2", "#ffffff", "cable landing station"),
    "border": SiteStyle(3.5, "#ca8a04", "#ffffff", "border crossing"),
}
OTHER_SITE = SiteStyle(4.5, "#64748b", "#ffffff", "other site")

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


_E = TypeVar("_E", bound=MacroElement)


# -- custom Leaflet-core elements ---------------------------------------------------------------
class Features(MacroElement):  # type: ignore[misc]
    """Many polylines / circle markers with their tooltips and popups, drawn by one JS loop.

    folium makes (and compiles a template for) several elements per vector and its Popup needs
    jQuery; this keeps a layer of hundreds of links to one element and plain Leaflet. Each
    feature is ``{"k": "polyline" | "circleMarker", "c": coordinates, "o": Leaflet options,
    "t": tooltip HTML, "to": tooltip options, "p": popup HTML}``; the HTML is passed as JSON
    strings (see :func:`js_literal`), never spliced into the script.
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
        return js_literal(self.items)


def _child(parent: Element, kind: type[_E]) -> _E:
    """The first child of ``parent`` of type ``kind``, made and added on first use."""
    for child in parent._children.values():
        if isinstance(child, kind):
            return child
    made = kind()
    made.add_to(parent)
    return made


def features(group: folium.FeatureGroup) -> Features:
    """The feature list of a layer (created on first use)."""
    return _child(group, Features)


def vector(
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
    interactive: bool = True,
    line_cap: str | None = None,
) -> dict[str, Any]:
    """One feature for :class:`Features` (Leaflet path options in camelCase)."""
    options: dict[str, Any] = {
        "color": color,
        "weight": round(weight, 2),
        "opacity": opacity,
        "className": css_class(class_name),
    }
    if dash:
        options["dashArray"] = dash
    if fill is not None:
        options.update(fill=True, fillColor=fill, fillOpacity=fill_opacity)
    else:
        options["fill"] = False
    if not interactive:
        options["interactive"] = False
    if line_cap:
        options["lineCap"] = line_cap
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


class HtmlControl(MacroElement):  # type: ignore[misc]
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
        self.position_js = js_literal(position)
        self.css_class_js = js_literal(css_class)

    def content_js(self) -> str:
        return js_literal(self.content_html)


@dataclass
class LegendEntry:
    swatch: str  # trusted SVG built here
    label: str  # escaped


@dataclass
class LegendSection:
    heading: str
    entries: list[LegendEntry] = field(default_factory=list)


class Legend(HtmlControl):
    """The legend: sections of swatches, rendered when the map is rendered."""

    def __init__(self) -> None:
        super().__init__("", position="bottomleft", css_class="corridor-legend")
        self._name = "Legend"
        self.sections: list[LegendSection] = []

    def section(self, heading: str) -> LegendSection:
        for sec in self.sections:
            if sec.heading == heading:
                return sec
        sec = LegendSection(heading)
        self.sections.append(sec)
        return sec

    def content_js(self) -> str:
        parts = []
        for sec in self.sections:
            rows = "".join(
                f'<div class="corridor-legend-row">{e.swatch}<span>{e.label}</span></div>'
                for e in sec.entries
            )
            parts.append(f'<div class="corridor-legend-heading">{escape(sec.heading)}</div>{rows}')
        return js_literal("".join(parts))


def legend_of(m: folium.Map) -> Legend:
    """The legend of a map (added on first use, e.g. on a bare folium map)."""
    return _child(m, Legend)


class StaticGeoJson(MacroElement):  # type: ignore[misc]
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
        self.data_js = js_literal(data)
        self.style_js = js_literal(style)


class BringToFront(MacroElement):  # type: ignore[misc]
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


class ZoomLabels(MacroElement):  # type: ignore[misc]
    """Show a permanent label (tooltip class ``corridor-zoomlabel corridor-minzoom-<z>``) only
    from zoom level ``z`` in, so a continent-wide view shows the hubs and a closer one the
    cities; then hide every permanent label that would overlap one shown before it (route
    endpoints, class ``corridor-prio-0``, first; then named sites such as data centers; then
    the zoom labels), measured in the browser after each zoom, so that where sites crowd (the
    Almaty data centers) one legible name shows and the others come back on zooming in."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                function prio(el) {
                    var m = /corridor-prio-(\\d+)/.exec(el.className);
                    if (m) { return +m[1]; }
                    return el.querySelector(".corridor-label") ? 1 : 2;
                }
                function overlap(a, b) {
                    return a.left < b.right + 2 && a.right > b.left - 2 &&
                        a.top < b.bottom + 2 && a.bottom > b.top - 2;
                }
                function declutter() {
                    var items = [];
                    map.eachLayer(function (l) {
                        var tip = l.getTooltip && l.getTooltip();
                        var el = tip && tip.options.permanent && tip.getElement();
                        if (!el) { return; }
                        el.classList.remove("corridor-hidden-label");
                        if (el.style.display === "none") { return; }
                        items.push({tip: el, mark: l.getElement ? l.getElement() : null});
                    });
                    items.sort(function (a, b) { return prio(a.tip) - prio(b.tip); });
                    // a label may not cover another named site's marker, nor a label kept
                    var marks = items.map(function (it) {
                        return it.mark && prio(it.tip) < 2 ? it.mark.getBoundingClientRect() : null;
                    });
                    var kept = [];
                    var box = map.getContainer().getBoundingClientRect();
                    items.forEach(function (it, i) {
                        var r = it.tip.getBoundingClientRect();
                        if (!r.width) { return; }
                        var out = r.left < box.left || r.right > box.right ||
                            r.top < box.top || r.bottom > box.bottom;  // cut by the edge
                        var hit = out || kept.some(function (k) { return overlap(r, k); }) ||
                            marks.some(function (m, j) {
                                return j !== i && m && m.width && overlap(r, m);
                            });
                        if (hit) { it.tip.classList.add("corridor-hidden-label"); }
                        else { kept.push(r); }
                    });
                }
                function show() {
                    var z = map.getZoom();
                    var labels = map.getContainer().querySelectorAll(".corridor-zoomlabel");
                    for (var i = 0; i < labels.length; i++) {
                        var m = /corridor-minzoom-(\\d+)/.exec(labels[i].className);
                        labels[i].style.display = (m && z < +m[1]) ? "none" : "";
                    }
                    setTimeout(declutter, 0);
                }
                map.on("zoomend layeradd layerremove", show);
                map.whenReady(show);
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ZoomLabels"


def zoom_label(name: str, min_zoom: int, direction: str = "right") -> tuple[str, dict[str, Any]]:
    """Tooltip HTML and options of a permanent label shown from zoom ``min_zoom`` in."""
    offset = [7, 0] if direction == "right" else [0, -7]
    return escape(name), {
        "permanent": True,
        "direction": direction,
        "offset": offset,
        "className": f"corridor-zoomlabel corridor-minzoom-{int(min_zoom)}",
    }


CSS = """
<style>
  .corridor-title, .corridor-legend {
    background: rgba(255, 255, 255, 0.93); padding: 8px 10px; border-radius: 6px;
    box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); font: 12px/1.35 system-ui, sans-serif;
    color: #1e293b; max-width: 440px;
  }
  .corridor-title h1 { font-size: 15px; margin: 0 0 4px 0; }
  .corridor-title p { margin: 2px 0; }
  .corridor-title .corridor-model { color: #475569; font-size: 11px; }
  .leaflet-tooltip.corridor-hidden-label { visibility: hidden; }
  .corridor-legend { max-height: 60vh; overflow-y: auto; }
  .corridor-legend-heading { font-weight: 600; margin: 4px 0 2px 0; }
  .corridor-legend-row { display: flex; align-items: center; gap: 6px; }
  .corridor-legend-row svg { flex: none; }
  .corridor-label { font-weight: 600; }
  .corridor-table { font-size: 12px; border-collapse: collapse; margin-top: 4px; }
  .corridor-table th { text-align: left; padding-right: 8px; vertical-align: top; }
  .corridor-table td.num { text-align: right; padding-left: 6px; }
  .corridor-table td { overflow-wrap: anywhere; }
  .leaflet-control-layers { max-width: 340px; }
  .corridor-legend small { color: #475569; }
  .leaflet-popup-content { max-height: 55vh; overflow-y: auto; overflow-wrap: anywhere; }
  .leaflet-tooltip.corridor-zoomlabel {
    background: rgba(255, 255, 255, 0.8); border: none; box-shadow: none; padding: 0 3px;
    font: 600 11px/1.2 system-ui, sans-serif; color: #0f172a;
  }
  .leaflet-tooltip.corridor-zoomlabel::before { display: none; }
</style>
"""


# -- swatches and styles ------------------------------------------------------------------------
def line_swatch(color: str, dash: str | None = None, weight: float = 3.0) -> str:
    """A legend swatch of a line (SVG)."""
    dash_attr = f' stroke-dasharray="{escape(dash)}"' if dash else ""
    return (
        f'<svg width="36" height="12"><line x1="2" y1="6" x2="34" y2="6" '
        f'stroke="{escape(color)}" stroke-width="{weight:g}"{dash_attr} '
        f'stroke-linecap="round"/></svg>'
    )


def dot_swatch(style: SiteStyle) -> str:
    """A legend swatch of a site marker (SVG; radius and stroke capped to fit the legend)."""
    r = min(style.radius, 7.0)
    return (
        f'<svg width="36" height="18"><circle cx="18" cy="9" r="{r:g}" '
        f'fill="{escape(style.fill)}" stroke="{escape(style.stroke)}" '
        f'stroke-width="{min(style.weight, 2.0):g}"/></svg>'
    )


def link_weight(capacity_tbps: Any) -> float:
    """Line width from the design capacity: 2.5 px when unknown, 2..8 px on a log scale."""
    if missing(capacity_tbps):
        return 2.5
    return float(np.clip(2.0 + 1.5 * math.log10(1.0 + float(capacity_tbps)), 2.0, 8.0))


def site_style(kind: str) -> SiteStyle:
    """The marker style of a kind of site."""
    return SITE_STYLES.get(kind, OTHER_SITE)
