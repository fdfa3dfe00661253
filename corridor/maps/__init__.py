"""Interactive HTML maps of a network and of routes (folium / Leaflet).

:func:`network_map` draws every link and site of a :class:`~corridor.network.Network`;
:func:`route_map` draws the paths of a :class:`~corridor.routing.RouteResult`, each in its own
toggleable layer, over the network drawn faintly; :func:`add_links_layer` and
:func:`add_sites_layer` add a highlighted set of links (failed links, candidate links, ...) or
sites (chosen nodes, ...) to any of these maps; :func:`protection_map` and :func:`sweep_map`
draw the resilience analysis (a protected pair and its critical failures; the failures of a
sweep colored by the pairs they strand); :func:`save_map` writes a map atomically.

Every map has a title block (what it shows and the latency model used), a legend, a layer
control and a scale bar. Lines are drawn geodesically: each segment of a link's geometry is
densified along the great circle (:func:`densify_geodesic`) and longitudes are unwrapped so a line
crossing the antimeridian stays continuous (:func:`unwrap_longitudes`). Every text that comes from
the data is HTML-escaped (:func:`escape`) before it reaches a tooltip, popup, legend or layer
name.

By default (``offline=True``) the HTML file needs no network at all: Leaflet's JavaScript and
CSS are inlined from the ``django-js-lib-leaflet`` package (Leaflet 1.9.4), folium's CDN scripts
(jQuery, Bootstrap, awesome-markers, ...) are left out, no tile layer is used and the basemap is
drawn from the shipped country borders; ``offline=False`` loads Leaflet from its CDN and
draws web map tiles instead. Only Leaflet-core layers are used in both modes (circle
markers, polylines, GeoJSON polygons, ``L.control.layers``, ``L.control.scale``).

Classes given to the SVG paths, for styling and for tests: ``corridor-link`` (a network link,
plus ``corridor-link-<kind>`` and ``corridor-link-<status>``), ``corridor-site`` (plus
``corridor-site-<kind>``), ``corridor-route`` and ``corridor-route-<rank>`` (one polyline per
path), ``corridor-route-site`` (an intermediate site of a path), ``corridor-endpoint`` (source
and target) and, by default, ``corridor-highlight`` (links drawn by :func:`add_links_layer`) and
``corridor-highlight-site`` (sites marked by :func:`add_sites_layer`).

Modules: :mod:`~corridor.maps.network`, :mod:`~corridor.maps.route` and
:mod:`~corridor.maps.resilience` (the maps),
:mod:`~corridor.maps.geometry` (densifying and coordinates); the private ``_layers`` (the
empty map, link and site layers, highlights, saving), ``_elements`` (styles, Leaflet elements,
legend), ``_popups`` (tooltip and popup text), ``_assets`` (offline Leaflet and basemap) and
``_html`` (escaping).
"""

from corridor.maps._assets import leaflet_assets
from corridor.maps._elements import KIND_COLORS, PATH_COLORS, SITE_STYLES, STATUS_DASHES
from corridor.maps._errors import MapError
from corridor.maps._html import escape
from corridor.maps._layers import add_links_layer, add_sites_layer, save_map
from corridor.maps.geometry import (
    DENSIFY_KM,
    densify_geodesic,
    line_latlons,
    link_latlons,
    path_latlons,
    point_latlon,
    unwrap_longitudes,
)
from corridor.maps.network import network_map
from corridor.maps.resilience import protection_map, sweep_map
from corridor.maps.route import route_map

__all__ = [
    "DENSIFY_KM",
    "KIND_COLORS",
    "PATH_COLORS",
    "SITE_STYLES",
    "STATUS_DASHES",
    "MapError",
    "add_links_layer",
    "add_sites_layer",
    "densify_geodesic",
    "escape",
    "leaflet_assets",
    "line_latlons",
    "link_latlons",
    "network_map",
    "path_latlons",
    "point_latlon",
    "protection_map",
    "route_map",
    "save_map",
    "sweep_map",
    "unwrap_longitudes",
]
