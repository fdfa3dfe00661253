"""The map of a routing result: each path in its own layer over the network drawn faintly."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import folium

from corridor.maps._elements import (
    KIND_COLORS,
    PATH_COLORS,
    STATUS_DASHES,
    BringToFront,
    LegendEntry,
    features,
    line_swatch,
    vector,
    zoom_label,
)
from corridor.maps._errors import MapError
from corridor.maps._html import escape, fmt, table
from corridor.maps._layers import draw_links, finish, fit, new_map, shift_basemap, site_marker
from corridor.maps._popups import link_html, site_html, site_names
from corridor.maps.geometry import (
    DENSIFY_KM,
    near_longitude,
    path_latlons,
    path_leg_latlons,
    point_latlon,
)
from corridor.network import Network
from corridor.routing import Path, RouteResult
from corridor.routing.disjoint import shared_text

__all__ = ["route_map"]


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


#: White dash patterns drawn over a path's colored line: the color shows through the gaps, so
#: planned legs look dashed and proposed (or suspended) legs dotted.
_GAPS: dict[str, str] = {"planned": "8 14", "proposed": "10 5", "suspended": "12 3"}


def _some(names: Sequence[str], limit: int = 2) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" (+{len(names) - limit} more)" if len(names) > limit else "")


def differs_text(net: Network, best: Path, path: Path, names: dict[str, str]) -> str:
    """What sets ``path`` apart from ``best`` in a few words: the sites it goes through
    instead ("via Almaty instead of Astana"), else the cables it takes instead ("on TAE
    instead of Digital Silk Way, Tbilisi-Ganja"), else "same sites and links"."""
    if list(path.links) == list(best.links):
        return "same sites and links"
    best_nodes, nodes = set(best.nodes), set(path.nodes)
    new = [names.get(n, n) for n in path.nodes if n not in best_nodes]
    old = [names.get(n, n) for n in best.nodes if n not in nodes]
    if new or old:
        if new and old:
            return f"via {_some(new)} instead of {_some(old)}"
        return f"via {_some(new)}" if new else f"skips {_some(old)}"
    best_links = set(best.links)
    changed = [(i, lid) for i, lid in enumerate(path.links) if lid not in best_links]
    systems = net.links["system"]
    parts = []
    for i, lid in changed[:2]:
        a, b = path.nodes[i], path.nodes[i + 1]
        other = [
            bl for j, bl in enumerate(best.links) if {best.nodes[j], best.nodes[j + 1]} == {a, b}
        ]
        mine = str(systems.iat[net.link_index(lid)] or lid)
        theirs = str(systems.iat[net.link_index(other[0])] or other[0]) if other else None
        hop = f"{names.get(a, a)}-{names.get(b, b)}"
        parts.append(f"on {mine} instead of {theirs}, {hop}" if theirs else f"on {mine}, {hop}")
    more = f" (+{len(changed) - 2} more links)" if len(changed) > 2 else ""
    return "; ".join(parts) + more


def _path_weight(rank: int, count: int) -> float:
    """Line width of a path: later ranks wider, so paths sharing links show as nested stripes."""
    if count == 1:
        return 7.0
    return 5.0 + 3.0 * (min(rank, 5) - 1)


def route_map(
    net: Network,
    result: RouteResult,
    *,
    offline: bool = True,
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
    names = site_names(net)
    src, dst = names.get(result.source, result.source), names.get(result.target, result.target)
    heading = title or f"{src} to {dst}"
    best = result.best
    count = len(result.paths)
    rtts = [p.rtt_ms for p in result.paths]
    in_order = all(a <= b + 1e-9 for a, b in itertools.pairwise(rtts))
    if count == 1:
        what = "the best route"
    elif in_order:
        what = f"{count} routes, ranked by round-trip latency"
    else:  # ranked by fiber latency; the handoffs added afterwards reorder the round trips
        what = (
            f"{count} routes, ranked by fiber latency (each round trip shown adds the route's "
            "handoffs, so they are not in order; --rank service ranks by them)"
        )
    floor = (
        f"great circle {result.great_circle_km:,.0f} km, physical floor "
        f"{result.floor_rtt_ms:.1f} ms RTT"
        if math.isfinite(result.great_circle_km)
        else ""
    )
    title_html = (
        f"<h1>{escape(heading)}</h1>"
        f"<p>{escape(what)}; {'best' if in_order else 'first'} {best.rtt_ms:.1f} ms RTT over "
        f"{best.length_km:,.0f} km"
        f"{f' (stretch {best.stretch:.2f})' if math.isfinite(best.stretch) else ''}"
        f"{'; ' + escape(floor) if floor else ''}. Network drawn faintly underneath.</p>"
    )
    shared = shared_text(result)
    if shared:
        title_html += f"<p class='corridor-shared'>{escape(shared)}</p>"
    for note in result.notes:
        title_html += f"<p>{escape(note)}</p>"
    m, legend = new_map(net, offline=offline, title_html=title_html)
    all_lons = [lon for p in result.paths for _, lon in path_latlons(net, p, step_km=step_km)]
    ref_lon = float(sum(all_lons) / len(all_lons)) if all_lons else 0.0
    if all_lons and (max(all_lons) > 180.0 or min(all_lons) < -180.0):
        shift_basemap(m, 360.0 if max(all_lons) > 180.0 else -360.0)

    network = folium.FeatureGroup(name="Network (all links and sites)")
    draw_links(network, net, net.links.itertuples(index=False), names, step_km=step_km, faint=True)
    for row in net.sites.itertuples(index=False):
        if row.geometry is not None and not row.geometry.is_empty:
            features(network).items.append(site_marker(net, row, faint=True))
    network.add_to(m)

    route_sec = legend.section("Routes")
    decimals = _rtt_decimals(result.paths)
    groups = []
    points: list[list[float]] = []
    sites = net.sites
    statuses_used: set[str] = set()
    overlaid: set[str] = set()
    status_group = folium.FeatureGroup(name="Route leg status (planned dashed, proposed dotted)")
    widest: dict[str, float] = {}
    for rank, path in enumerate(result.paths, start=1):
        for lid in path.links:
            widest[lid] = max(widest.get(lid, 0.0), _path_weight(rank, count))
    for rank, path in enumerate(result.paths, start=1):
        color = PATH_COLORS[(rank - 1) % len(PATH_COLORS)]
        label = labels[rank - 1] if labels is not None else None
        differs = differs_text(net, best, path, names) if rank > 1 else ""
        if label is None and count > 1 and rank == 1:
            label = "best"
        name = _path_name(rank, path, label, decimals)
        group = folium.FeatureGroup(name=escape(name))
        latlons = path_latlons(net, path, step_km=step_km)
        points += latlons
        backup = bool(label) and rank > 1 and "backup" in (label or "").lower()
        tip, pop = _path_html(net, path, rank, name, names)
        if differs:
            tip = tip.replace("</b>", f"</b><br><i>{escape(differs)}</i>", 1)
        feats = features(group)
        feats.items.append(
            vector(
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
        weight = _path_weight(rank, len(result.paths))
        for i, leg in enumerate(path_leg_latlons(net, path, step_km=step_km)):
            if not leg:
                continue
            row = next(net.links.iloc[[net.link_index(path.links[i])]].itertuples(index=False))
            gaps = _GAPS.get(row.status)
            if gaps is not None and row.id not in overlaid:
                statuses_used.add(row.status)
                overlaid.add(row.id)
                features(status_group).items.append(
                    vector(
                        "polyline",
                        leg,
                        color="#ffffff",
                        weight=widest[row.id],
                        opacity=0.9,
                        dash=gaps,
                        line_cap="butt",
                        class_name=f"corridor-route-status corridor-route-status-{row.status}",
                        interactive=False,
                    )
                )
            feats.items.append(_leg(net, row, path, i, leg, name, weight, names))
        for node in path.nodes[1:-1]:
            row = next(sites.iloc[[net.site_index(node)]].itertuples(index=False))
            if row.geometry is None or row.geometry.is_empty:
                continue
            stop_tip, stop_pop = site_html(net, row)
            if rank == 1:
                stop_tip, stop_opts = zoom_label(row.name, 5)
            else:
                stop_opts = None
            feats.items.append(
                vector(
                    "circleMarker",
                    near_longitude(point_latlon(row.geometry), ref_lon),
                    radius=4,
                    color=color,
                    weight=2,
                    fill="#ffffff",
                    class_name="corridor-route-site",
                    tooltip=stop_tip,
                    tooltip_options=stop_opts,
                    popup=stop_pop,
                )
            )
        group.add_to(m)
        groups.append(group)
        countries = " > ".join(path.countries)
        note = differs
        if rank == 1 or list(path.countries) != list(best.countries):
            note = f"{countries}; {differs}" if differs else countries
        route_sec.entries.append(
            LegendEntry(
                line_swatch(color, "8 5" if backup else None, 5.0),
                f"{escape(name)}<br><small>{escape(note)}</small>",
            )
        )
    if overlaid:
        status_group.add_to(m)
        groups.insert(0, status_group)
    BringToFront(groups).add_to(m)

    ends = folium.FeatureGroup(name="Source and target", control=False)
    for role, site_id in (("source", result.source), ("target", result.target)):
        row = next(sites.iloc[[net.site_index(site_id)]].itertuples(index=False))
        if row.geometry is None or row.geometry.is_empty:
            continue
        here = near_longitude(point_latlon(row.geometry), ref_lon)
        features(ends).items.append(
            vector(
                "circleMarker",
                here,
                radius=9,
                color="#0f172a",
                weight=3,
                fill="#facc15",
                class_name=f"corridor-endpoint corridor-endpoint-{role}",
                tooltip=f'<span class="corridor-label">{escape(row.name)}</span>',
                tooltip_options={
                    "permanent": True,
                    "direction": "top",
                    "offset": [0, -10],
                    "className": "corridor-prio-0",
                },
                popup=site_html(net, row)[1],
            )
        )
        points.append(here)
    ends.add_to(m)
    legend.section("Routes").entries.append(
        LegendEntry(
            '<svg width="36" height="18"><circle cx="18" cy="9" r="7" fill="#facc15" '
            'stroke="#0f172a" stroke-width="2.5"/></svg>',
            "source and target",
        )
    )
    for stat in ("planned", "proposed", "suspended"):
        if stat in statuses_used:
            route_sec.entries.append(
                LegendEntry(
                    _gap_swatch(_GAPS[stat]),
                    f"route leg {stat} (not yet in service)"
                    if stat != "suspended"
                    else "route leg suspended",
                )
            )
    net_sec = legend.section("Network (faint)")
    for kind, color in KIND_COLORS.items():
        net_sec.entries.append(LegendEntry(line_swatch(color, None, 2.0), escape(kind)))
    net_sec.entries.append(
        LegendEntry(line_swatch("#64748b", STATUS_DASHES["planned"], 2.0), "planned / proposed")
    )
    fit(m, points)
    finish(m)
    return m


def _gap_swatch(gaps: str) -> str:
    """A legend swatch of a route leg: the route color with white gaps."""
    return (
        '<svg width="36" height="12"><line x1="2" y1="6" x2="34" y2="6" stroke="#475569" '
        'stroke-width="5"/><line x1="2" y1="6" x2="34" y2="6" stroke="#ffffff" '
        f'stroke-width="5" stroke-dasharray="{escape(gaps)}"/></svg>'
    )


def _leg(
    net: Network,
    row: object,
    path: Path,
    i: int,
    leg: list[list[float]],
    name: str,
    weight: float,
    names: dict[str, str],
) -> dict[str, object]:
    """An invisible line over one leg of a path that shows the leg's status, RFS year and
    system on hover, and the link's data with the path's name on click."""
    a, b = path.nodes[i], path.nodes[i + 1]
    status = str(getattr(row, "status", ""))
    rfs = fmt(getattr(row, "rfs", None), "")
    tooltip = (
        f"<b>{escape(name)}</b><br>leg {i + 1} of {path.hops}: {escape(names.get(a, a))} "
        f"&rarr; {escape(names.get(b, b))}<br>{fmt(getattr(row, 'system', None))} &middot; "
        f"<b>{escape(status)}</b>, RFS {rfs}<br>"
        f"{fmt(getattr(row, 'length_km', None), ',.0f', ' km')}, "
        f"{fmt(getattr(row, 'latency_ms', None), '.2f', ' ms')} one way"
    )
    popup = f"<b>{escape(name)}</b>, leg {i + 1} of {path.hops}<br>" + link_html(net, row, names)[1]
    return vector(
        "polyline",
        leg,
        color="#000000",
        weight=max(weight, 8.0),
        opacity=0.0,
        class_name=f"corridor-route-leg corridor-route-leg-{status}",
        tooltip=tooltip,
        popup=popup,
    )


def _path_html(
    net: Network, path: Path, rank: int, name: str, names: dict[str, str]
) -> tuple[str, str]:
    stretch = f", stretch {path.stretch:.2f}" if math.isfinite(path.stretch) else ""
    tooltip = (
        f"<b>{escape(name)}</b><br>{path.length_km:,.0f} km, {path.one_way_ms:.2f} ms one way"
        f"{stretch}, {path.hops} links<br>{escape(' > '.join(path.countries))}"
    )
    hops = []
    for i, link_id in enumerate(path.links):
        row = net.links.iloc[net.link_index(link_id)]
        hops.append(
            "<tr>"
            f"<td>{escape(names.get(path.nodes[i], path.nodes[i]))} &rarr; "
            f"{escape(names.get(path.nodes[i + 1], path.nodes[i + 1]))}</td>"
            f"<td>{fmt(row['system'])}</td>"
            f"<td>{fmt(row['status'])}</td>"
            f"<td class='num'>{fmt(row.get('rfs'), '')}</td>"
            f"<td class='num'>{fmt(row['length_km'], ',.0f')}</td>"
            f"<td class='num'>{fmt(row['latency_ms'], '.2f')}</td>"
            "</tr>"
        )
    detail = (
        '<table class="corridor-table">'
        "<tr><th>hop</th><th>system</th><th>status</th><th>RFS</th>"
        "<th>km</th><th>ms</th></tr>" + "".join(hops) + "</table>"
    )
    popup = (
        f"<b>{escape(name)}</b>"
        + table(
            [
                ("round trip", f"{path.rtt_ms:.1f} ms"),
                ("one way", f"{path.one_way_ms:.2f} ms"),
                ("length", f"{path.length_km:,.0f} km"),
                ("stretch", f"{path.stretch:.2f}" if math.isfinite(path.stretch) else "n/a"),
                ("countries", escape(" > ".join(path.countries))),
                ("systems", escape(", ".join(s for s in path.systems if s)) or "n/a"),
                ("SRLGs", escape(", ".join(path.srlgs)) or "none"),
            ]
        )
        + detail
    )
    return tooltip, popup
