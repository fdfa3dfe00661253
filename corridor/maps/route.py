"""The map of a routing result: each path in its own layer over the network drawn faintly."""

from __future__ import annotations

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
)
from corridor.maps._errors import MapError
from corridor.maps._html import escape, fmt, table
from corridor.maps._layers import draw_links, finish, fit, new_map, site_marker
from corridor.maps._popups import site_html, site_names
from corridor.maps.geometry import DENSIFY_KM, path_latlons, point_latlon
from corridor.network import Network
from corridor.routing import Path, RouteResult

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
    names = site_names(net)
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
        f"<h1>{escape(heading)}</h1>"
        f"<p>{escape(what)}; best {best.rtt_ms:.1f} ms RTT over {best.length_km:,.0f} km"
        f"{f' (stretch {best.stretch:.2f})' if math.isfinite(best.stretch) else ''}"
        f"{'; ' + escape(floor) if floor else ''}. Network drawn faintly underneath.</p>"
    )
    for note in result.notes:
        title_html += f"<p>{escape(note)}</p>"
    m, legend = new_map(net, offline=offline, title_html=title_html)

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
    for rank, path in enumerate(result.paths, start=1):
        color = PATH_COLORS[(rank - 1) % len(PATH_COLORS)]
        label = labels[rank - 1] if labels is not None else None
        name = _path_name(rank, path, label, decimals)
        group = folium.FeatureGroup(name=escape(name))
        latlons = path_latlons(net, path, step_km=step_km)
        points += latlons
        backup = bool(label) and rank > 1 and "backup" in (label or "").lower()
        tip, pop = _path_html(net, path, rank, name, names)
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
        for node in path.nodes[1:-1]:
            row = next(sites.iloc[[net.site_index(node)]].itertuples(index=False))
            if row.geometry is None or row.geometry.is_empty:
                continue
            stop_tip, stop_pop = site_html(net, row)
            feats.items.append(
                vector(
                    "circleMarker",
                    point_latlon(row.geometry),
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
            LegendEntry(
                line_swatch(color, "8 5" if backup else None, 5.0),
                f"{escape(name)} &middot; {escape(countries)}",
            )
        )
    BringToFront(groups).add_to(m)

    ends = folium.FeatureGroup(name="Source and target", control=False)
    for role, site_id in (("source", result.source), ("target", result.target)):
        row = next(sites.iloc[[net.site_index(site_id)]].itertuples(index=False))
        if row.geometry is None or row.geometry.is_empty:
            continue
        features(ends).items.append(
            vector(
                "circleMarker",
                point_latlon(row.geometry),
                radius=9,
                color="#0f172a",
                weight=3,
                fill="#facc15",
                class_name=f"corridor-endpoint corridor-endpoint-{role}",
                tooltip=f'<span class="corridor-label">{escape(row.name)}</span>',
                tooltip_options={"permanent": True, "direction": "top", "offset": [0, -10]},
                popup=site_html(net, row)[1],
            )
        )
        points.append([row.geometry.y, row.geometry.x])
    ends.add_to(m)
    legend.section("Routes").entries.append(
        LegendEntry(
            '<svg width="36" height="18"><circle cx="18" cy="9" r="7" fill="#facc15" '
            'stroke="#0f172a" stroke-width="2.5"/></svg>',
            "source and target",
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
            f"<td class='num'>{fmt(row['length_km'], ',.0f')}</td>"
            f"<td class='num'>{fmt(row['latency_ms'], '.2f')}</td>"
            "</tr>"
        )
    detail = (
        '<table class="corridor-table">'
        "<tr><th>hop</th><th>system</th>"
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
