"""The map of a whole network: every link and site, by kind and status, each group a layer."""

from __future__ import annotations

from collections.abc import Iterable

import folium

from corridor.maps._elements import KIND_COLORS, STATUS_DASHES, LegendEntry, line_swatch
from corridor.maps._errors import MapError
from corridor.maps._html import escape
from corridor.maps._layers import draw_links, finish, fit, new_map, site_layers, site_points
from corridor.maps._popups import site_names
from corridor.maps.geometry import DENSIFY_KM
from corridor.network import Network

__all__ = ["network_map"]


def network_map(
    net: Network,
    *,
    offline: bool = True,
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
        Inline Leaflet and draw the country borders instead of loading tiles (the default: no
        network needed to open the file); ``False`` loads Leaflet from its CDN and web tiles.
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
        f"<h1>{escape(heading)}</h1>"
        f"<p>{len(links)} links ({escape(', '.join(sorted(statuses)))}) and {net.n_sites} sites"
        f"{dc_text}. Links by kind, dashed when planned, "
        f"dotted when proposed, wider with more capacity; click any element for its data.</p>"
    )
    m, legend = new_map(net, offline=offline, title_html=title_html)
    names = site_names(net)
    points: list[list[float]] = []
    link_sec = legend.section("Links")
    for kind in ("terrestrial", "submarine", *sorted(set(links["kind"]) - set(KIND_COLORS))):
        for stat in ("existing", "planned", "proposed", "suspended"):
            rows = links[(links["kind"] == kind) & (links["status"] == stat)]
            if not len(rows):
                continue
            name = f"{kind.capitalize()} links, {stat} ({len(rows)})"
            group = folium.FeatureGroup(name=escape(name))
            points += draw_links(group, net, rows.itertuples(index=False), names, step_km=step_km)
            group.add_to(m)
            link_sec.entries.append(
                LegendEntry(
                    line_swatch(KIND_COLORS.get(kind, "#475569"), STATUS_DASHES.get(stat)),
                    escape(name),
                )
            )
    if len(links):
        link_sec.entries.append(
            LegendEntry(line_swatch("#64748b", None, 6.0), "wider: more capacity (Tbps)")
        )
    site_layers(m, net, legend, faint=False, label_datacenters=True)
    fit(m, points + site_points(net))
    finish(m)
    return m


def _statuses(status: str | Iterable[str] | None) -> set[str]:
    every = {"existing", "planned", "proposed"}
    if status is None or status == "all":
        return every
    if status == "any":
        return every | {"suspended"}
    if isinstance(status, str):
        wanted = {"existing": {"existing"}, "planned": {"existing", "planned"}}.get(status)
        if wanted is not None:
            return wanted
        status = [status]
    chosen = set(status)
    unknown = chosen - every - {"suspended"}
    if unknown:
        msg = (
            f"unknown link status {sorted(unknown)[0]!r}; "
            "use existing, planned, proposed, suspended, all or any"
        )
        raise MapError(msg)
    return chosen
