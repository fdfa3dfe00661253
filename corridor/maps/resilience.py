"""Maps of the resilience analysis: a protected pair with its critical failures, and a sweep.

:func:`protection_map` draws the primary and backup routes of one OD pair (as
:func:`~corridor.maps.route_map` does, labelled ``primary`` and ``backup``) and, on top, every
single failure that hurts the pair, colored by what it does: the pair is cut off, or rerouted
with a round-trip penalty. :func:`sweep_map` draws a failure sweep over many OD pairs: every
failed element colored by how many pairs it strands (leaves without any route) or, when it
strands none, by the round trip it adds over the pairs it reroutes; each popup lists the
stranded pairs.

Classes of the drawn SVG paths: ``corridor-failure`` and ``corridor-failure-<band>`` (a failed
link), ``corridor-failure-site`` and ``corridor-failure-site-<band>`` (a failed site), with the
band ids of :data:`STRAND_BANDS` and :data:`PAIR_BANDS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd

from corridor.maps._elements import (
    KIND_COLORS,
    PATH_COLORS,
    BringToFront,
    LegendEntry,
    SiteStyle,
    dot_swatch,
    features,
    legend_of,
    line_swatch,
    vector,
)
from corridor.maps._html import escape, table
from corridor.maps._layers import draw_links, finish, fit, new_map, site_marker, site_points
from corridor.maps._popups import link_html, site_html, site_names
from corridor.maps.geometry import DENSIFY_KM, line_latlons, point_latlon
from corridor.maps.route import route_map
from corridor.network import Network
from corridor.resilience.availability import Protection
from corridor.resilience.sweep import SweepResult
from corridor.routing import RouteResult

__all__ = ["FAMILY_WORDS", "PAIR_BANDS", "STRAND_BANDS", "Band", "protection_map", "sweep_map"]

#: How many stranded pairs a popup lists before "and N more".
POPUP_PAIRS = 40


@dataclass(frozen=True)
class Band:
    """A color class of failed elements: id (CSS class suffix), legend text, color, width."""

    id: str
    label: str
    color: str
    weight: float


#: Bands of :func:`sweep_map`, worst first: a scenario is in the first band whose test holds.
STRAND_BANDS: tuple[Band, ...] = (
    Band("strands-many", "strands 50 or more pairs", "#7f1d1d", 8.0),
    Band("strands-some", "strands 10-49 pairs", "#dc2626", 7.0),
    Band("strands-few", "strands 1-9 pairs", "#f97316", 6.0),
    Band("reroutes-slow", "strands none; adds 1,000 ms or more in total", "#a855f7", 5.0),
    Band("reroutes", "strands none; adds under 1,000 ms in total", "#38bdf8", 4.0),
)

#: Bands of :func:`protection_map`, worst first.
PAIR_BANDS: tuple[Band, ...] = (
    Band("disconnects", "cuts the pair off", "#b91c1c", 17.0),
    Band("plus-10ms", "reroutes it, +10 ms or more", "#f97316", 15.0),
    Band("plus-less", "reroutes it, under +10 ms", "#fde047", 13.0),
)

#: What a scenario family is called in titles and layer names.
FAMILY_WORDS: dict[str, str] = {
    "link": "link cuts",
    "srlg": "shared-risk groups (all their links at once)",
    "site": "site failures",
    "country": "country failures (every site and link in it)",
    "link-pair": "pairs of link cuts",
    "custom": "failures",
}


def _strand_band(stranded: int, total_ms: float) -> Band:
    if stranded >= 50:
        return STRAND_BANDS[0]
    if stranded >= 10:
        return STRAND_BANDS[1]
    if stranded >= 1:
        return STRAND_BANDS[2]
    return STRAND_BANDS[3] if total_ms >= 1000.0 else STRAND_BANDS[4]


def _pair_band(connected: bool, increase_ms: float) -> Band:
    if not connected:
        return PAIR_BANDS[0]
    return PAIR_BANDS[1] if increase_ms >= 10.0 else PAIR_BANDS[2]


def _faint_network(m: folium.Map, net: Network, names: dict[str, str], step_km: float) -> None:
    group = folium.FeatureGroup(name="Network (all links and sites)")
    draw_links(group, net, net.links.itertuples(index=False), names, step_km=step_km, faint=True)
    for row in net.sites.itertuples(index=False):
        if row.geometry is not None and not row.geometry.is_empty:
            features(group).items.append(site_marker(net, row, faint=True))
    group.add_to(m)


def _site_swatch(band: Band) -> str:
    return dot_swatch(SiteStyle(7.0, band.color, "#0f172a", band.label, 2.0))


def _draw_failure(
    group: folium.FeatureGroup,
    net: Network,
    links: Sequence[int],
    sites: Sequence[int],
    band: Band,
    heads: tuple[str, str],
    names: dict[str, str],
    *,
    step_km: float,
) -> list[list[float]]:
    """Draw a scenario's failed links and sites in ``band``'s color; ``heads`` (trusted HTML)
    open every tooltip and popup. Returns the points drawn."""
    tip_head, pop_head = heads
    feats = features(group)
    drawn: list[list[float]] = []
    for row in net.links.iloc[list(links)].itertuples(index=False):
        if row.geometry is None or row.geometry.is_empty:
            continue
        latlons = line_latlons(row.geometry, step_km=step_km)
        tip, pop = link_html(net, row, names)
        feats.items.append(
            vector(
                "polyline",
                latlons,
                color=band.color,
                weight=band.weight,
                opacity=0.9,
                class_name=f"corridor-failure corridor-failure-{band.id}",
                tooltip=f"{tip_head}<br>{tip}",
                popup=f"{pop_head}<hr>{pop}",
            )
        )
        drawn += latlons
    for row in net.sites.iloc[list(sites)].itertuples(index=False):
        if row.geometry is None or row.geometry.is_empty:
            continue
        here = point_latlon(row.geometry)
        tip, pop = site_html(net, row)
        feats.items.append(
            vector(
                "circleMarker",
                here,
                radius=9.0,
                color="#0f172a",
                weight=2.0,
                fill=band.color,
                fill_opacity=0.95,
                class_name=f"corridor-failure-site corridor-failure-site-{band.id}",
                tooltip=f"{tip_head}<br>{tip}",
                popup=f"{pop_head}<hr>{pop}",
            )
        )
        drawn.append(here)
    return drawn


def _scenario_words(kind: str, name: str, net: Network, names: dict[str, str]) -> str:
    """A scenario in words, e.g. "link tcfo-baku-aktau", "site Almaty", "country Kazakhstan"."""
    if kind == "site":
        return f"site {names.get(name, name)}"
    if kind == "country":
        return f"country {net.country_name(name)} ({name})"
    if kind == "srlg":
        return f"shared-risk group {name}"
    if kind == "link-pair":
        return f"links {name} together"
    return f"{kind} {name}"


# -- one pair ---------------------------------------------------------------------------------
def protection_map(
    net: Network,
    prot: Protection,
    sweeps: Sequence[SweepResult] = (),
    *,
    offline: bool = True,
    title: str | None = None,
    step_km: float = DENSIFY_KM,
) -> folium.Map:
    """The protected pair of an OD pair and the single failures that hurt it.

    Primary and backup are drawn as in :func:`~corridor.maps.route_map` (layers ``1
    (primary): ... ms RTT`` and ``2 (backup): ...``, the backup dashed). For each sweep of this
    one pair (families links, SRLGs, sites, countries; see
    :func:`corridor.resilience.sweep`), every scenario that fails a link or site of the primary
    is drawn as a halo around it, one layer per family, colored by :data:`PAIR_BANDS` after
    what full restoration gives: no route survives, or the best surviving route is +10 ms or
    more, or less; the popup says when it hits the backup too. Failures of an endpoint are left
    out (they cut the pair off by definition); one that hits only the backup is not drawn.

    Parameters
    ----------
    net
        The network the protection was computed on.
    prot
        A :class:`~corridor.resilience.Protection` with at least one path.
    sweeps
        Sweeps of the pair ``(prot.source, prot.target)``; other pairs' rows are ignored.
    offline, title, step_km
        As in :func:`~corridor.maps.route_map` (default title "<source> to <target>:
        protected pair").

    Raises
    ------
    MapError
        When the protection has no path.
    """
    from corridor.routing._core import great_circle_km

    names = site_names(net)
    src, dst = names.get(prot.source, prot.source), names.get(prot.target, prot.target)
    labels = ["primary", "backup"][: len(prot.paths)]
    result = RouteResult(
        prot.source,
        prot.target,
        tuple(prot.paths),
        great_circle_km(net, prot.source, prot.target),
        prot.paths[0].floor_one_way_ms if prot.paths else math.nan,
        notes=tuple(prot.notes),
    )
    mode = {
        "srlg": "SRLG-disjoint pair",
        "link": "link-disjoint pair (no SRLG-disjoint pair exists)",
        "link-partial": "least-shared pair (no link-disjoint pair exists)",
        "none": "unprotected: a single route only",
    }.get(prot.mode, prot.mode)
    m = route_map(
        net, result, offline=offline, labels=labels, title=title or f"{src} to {dst}: {mode}"
    )
    legend = legend_of(m)
    section = legend.section("Single failures on the primary")
    used: set[str] = set()
    groups = []
    counts: dict[str, int] = {}
    on_path = [
        ({net.link_index(x) for x in p.links}, {net.site_index(x) for x in p.nodes})
        for p in prot.paths
    ]
    for res in sweeps:
        t = res.table
        rows = t[(t["source"] == prot.source) & (t["target"] == prot.target)]
        scenarios = {(sc.name, sc.kind): sc for sc in res.scenarios}
        drawn = []
        for r in rows.to_dict(orient="records"):
            sc = scenarios.get((str(r["scenario"]), str(r["kind"])))
            if sc is None or bool(r["endpoint_failed"]) or not on_path:
                continue
            hits = [bool(set(sc.links) & ls or set(sc.sites) & ss) for ls, ss in on_path]
            if not hits[0]:
                continue
            connected = bool(r["connected"])
            inc = max(0.0, float(r["rtt_increase_ms"])) if connected else math.inf
            drawn.append((sc, len(hits) > 1 and hits[1], connected, inc))
        if not drawn:
            continue
        kind = drawn[0][0].kind
        words = FAMILY_WORDS.get(kind, f"{kind} failures").split(" (")[0]
        name = f"{words[0].upper()}{words[1:]} on the primary ({len(drawn)})"
        group = folium.FeatureGroup(name=escape(name), show=kind in ("link", "site"))
        drawn.sort(key=lambda d: d[3])  # worst drawn last, on top
        for sc, both, connected, inc in drawn:
            band = _pair_band(connected, inc)
            used.add(band.id)
            counts[band.id] = counts.get(band.id, 0) + 1
            effect = (
                "no route survives: the pair is cut off"
                if not connected
                else f"the best surviving route is +{inc:.1f} ms round trip"
            )
            if both:
                effect += "; it hits the backup too"
            head = (
                f"<b>{escape(_scenario_words(sc.kind, sc.name, net, names))} fails</b> "
                f"(on the primary): {escape(effect)}"
            )
            # site failures show the site; other families their links
            sites = sc.sites if sc.kind == "site" else ()
            links = () if sc.kind == "site" else sc.links
            _draw_failure(group, net, links, sites, band, (head, head), names, step_km=step_km)
        group.add_to(m)
        groups.append(group)
    for band in PAIR_BANDS:
        if band.id in used:
            section.entries.append(
                LegendEntry(
                    _halo_swatch(band.color),
                    f"{escape(band.label)} ({counts[band.id]})",
                )
            )
    if groups:
        _routes_on_top(m)
    finish(m)
    return m


def _halo_swatch(color: str) -> str:
    """A legend swatch of a failure drawn as a halo around the primary's line."""
    return (
        f'<svg width="36" height="14"><line x1="3" y1="7" x2="33" y2="7" stroke="{escape(color)}"'
        ' stroke-width="12" stroke-linecap="round"/><line x1="3" y1="7" x2="33" y2="7" '
        f'stroke="{escape(PATH_COLORS[0])}" stroke-width="4" stroke-linecap="round"/></svg>'
    )


def _routes_on_top(m: folium.Map) -> None:
    """Raise the route layers (and the source and target markers) above the failure halos
    added after them: the route map's own layering runs again, last."""
    order = [c for c in m._children.values() if isinstance(c, BringToFront)]
    ends = [
        c
        for c in m._children.values()
        if isinstance(c, folium.FeatureGroup) and c.layer_name == "Source and target"
    ]
    if order:
        BringToFront([*ends, *order[0].layers]).add_to(m)


# -- many pairs -------------------------------------------------------------------------------
def sweep_map(
    net: Network,
    result: SweepResult,
    *,
    offline: bool = True,
    title: str | None = None,
    max_drawn: int = 300,
    step_km: float = DENSIFY_KM,
) -> folium.Map:
    """A failure sweep over many OD pairs: failed elements colored by the pairs they strand.

    Every scenario that hurts at least one pair (strands it, or reroutes it at a higher round
    trip) is drawn over the faint network: its links (and, for site and country failures, its
    sites) colored by :data:`STRAND_BANDS`: how many pairs it strands (leaves with no route at
    all; endpoint failures excluded) or, when none, the round trip it adds over every pair it
    reroutes (its criticality). One layer per band; the worst are drawn on top. Each popup names
    the scenario, its pairs hit, stranded and the RTT added, and lists the stranded pairs
    (the first :data:`POPUP_PAIRS`, then how many more).

    Parameters
    ----------
    net
        The network the sweep ran on.
    result
        A :class:`~corridor.resilience.SweepResult`.
    offline, step_km
        As in :func:`~corridor.maps.network_map`.
    title
        Heading of the title block (default "Failure sweep: <kind>").
    max_drawn
        Draw at most this many scenarios, the worst (a ``link-pairs`` sweep has thousands);
        the title says how many were left out.

    Returns
    -------
    folium.Map
        Save it with :func:`~corridor.maps.save_map`.
    """
    names = site_names(net)
    summary = result.summary()
    hurt = summary[(summary["pairs_disconnected"] > 0) | (summary["total_rtt_increase_ms"] > 0)]
    stranded = result.stranded()
    by_scenario: dict[tuple[str, str], list[str]] = {}
    for sc_name, kind, s, t in zip(
        stranded["scenario"], stranded["kind"], stranded["source"], stranded["target"], strict=True
    ):
        by_scenario.setdefault((str(sc_name), str(kind)), []).append(
            f"{names.get(s, s)} - {names.get(t, t)}"
        )
    scenarios = {(sc.name, sc.kind): sc for sc in result.scenarios}
    kinds = sorted({sc.kind for sc in result.scenarios})
    family = ", ".join(FAMILY_WORDS.get(k, k) for k in kinds) or "no scenarios"
    pairs = int(result.stats.get("pairs", len(result.baseline)))
    n_strand = int((hurt["pairs_disconnected"] > 0).sum())
    n_hurt = len(hurt)
    hurt = hurt.head(max(0, max_drawn))
    worst = hurt.iloc[0] if len(hurt) else None
    worst_text = ""
    if worst is not None and int(worst["pairs_disconnected"]) > 0:
        worst_text = (
            f" Worst: {_scenario_words(worst['kind'], worst['scenario'], net, names)} strands "
            f"{int(worst['pairs_disconnected'])} pairs."
        )
    title_html = (
        f"<h1>{escape(title or f'Failure sweep: {family}')}</h1>"
        f"<p>{len(result.scenarios):,} failures, one at a time, x {pairs:,} OD pairs. "
        f"{_count(n_strand, 'failure')} {'strands' if n_strand == 1 else 'strand'} at least "
        "one pair (leave it with no route; "
        f"endpoint failures aside), {n_hurt - n_strand:,} more only reroute pairs at a higher "
        f"round trip.{escape(worst_text)}{escape(_left_out(n_hurt, len(hurt)))} Click a colored "
        "element for the pairs it strands.</p>"
    )
    m, legend = new_map(net, offline=offline, title_html=title_html)
    _faint_network(m, net, names, step_km)
    banded: dict[str, list[tuple[Any, Any]]] = {}
    for rec in hurt.itertuples(index=False):
        sc = scenarios.get((str(rec.scenario), str(rec.kind)))
        if sc is not None:
            band = _strand_band(int(rec.pairs_disconnected), float(rec.total_rtt_increase_ms))
            banded.setdefault(band.id, []).append((sc, rec))
    section = legend.section("Failures (colored by pairs stranded)")
    points: list[list[float]] = []
    drawn_groups = []
    for band in STRAND_BANDS:
        items = banded.get(band.id, [])
        if not items:
            continue
        label = f"{band.label} ({len(items)})"
        group = folium.FeatureGroup(name=escape(label))
        for sc, rec in items[::-1]:  # the worst of the band drawn last, on top
            lost = by_scenario.get((str(rec.scenario), str(rec.kind)), [])
            heads = _sweep_heads(sc.kind, sc.name, rec, lost, net, names)
            sites = sc.sites if sc.kind in ("site", "country") else ()
            links = () if sc.kind == "site" else sc.links
            points += _draw_failure(group, net, links, sites, band, heads, names, step_km=step_km)
        group.add_to(m)
        drawn_groups.append(group)
        section.entries.append(
            LegendEntry(line_swatch(band.color, None, min(band.weight, 6.0)), escape(label))
        )
    if any(sc.kind in ("site", "country") for sc in result.scenarios):
        section.entries.append(
            LegendEntry(_site_swatch(STRAND_BANDS[1]), "a failed site (same colors)")
        )
    net_sec = legend.section("Network (faint)")
    for kind, color in KIND_COLORS.items():
        net_sec.entries.append(LegendEntry(line_swatch(color, None, 2.0), escape(kind)))
    if drawn_groups:
        BringToFront(drawn_groups).add_to(m)
    fit(m, points or site_points(net))
    finish(m)
    return m


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _left_out(hurt: int, drawn: int) -> str:
    if drawn >= hurt:
        return ""
    return f" Drawn: the {drawn:,} worst; {hurt - drawn:,} milder failures left out."


def _sweep_heads(
    kind: str,
    name: str,
    rec: Any,
    lost: list[str],
    net: Network,
    names: dict[str, str],
) -> tuple[str, str]:
    """Tooltip and popup heads of a swept scenario: what fails and its numbers; the popup also
    lists the pairs it strands."""
    n = int(rec.pairs_disconnected)
    rows = [
        ("pairs hit", f"{int(rec.pairs_hit):,}"),
        ("pairs stranded", f"{n:,}"),
        ("RTT added", f"{float(rec.total_rtt_increase_ms):,.1f} ms in total, "
                      f"{float(rec.max_rtt_increase_ms):,.1f} ms at most"),
    ]  # fmt: skip
    if int(rec.pairs_endpoint_failed):
        rows.append(("endpoint down", f"{int(rec.pairs_endpoint_failed):,} pairs"))
    if getattr(rec, "sla_violations", 0) and not pd.isna(rec.sla_violations):
        rows.append(("SLA misses", f"{int(rec.sla_violations):,}"))
    what = f"<b>{escape(_scenario_words(kind, name, net, names))} fails</b>"
    tip = f"{what}: strands {n:,} pairs, adds {float(rec.total_rtt_increase_ms):,.0f} ms in total"
    text = what + table(rows)
    if lost:
        shown = "".join(f"<li>{escape(p)}</li>" for p in lost[:POPUP_PAIRS])
        more = f"<li>and {len(lost) - POPUP_PAIRS} more</li>" if len(lost) > POPUP_PAIRS else ""
        text += f"<div class='corridor-stranded'>stranded pairs:<ul>{shown}{more}</ul></div>"
    return tip, text
