"""Text of a map: tooltips and popups of links and sites, the latency-model line of the title.

Every value taken from the data is escaped here; the returned strings are trusted HTML.
"""

from __future__ import annotations

from typing import Any

from corridor.maps._elements import site_style
from corridor.maps._html import escape, fmt, linked, missing, table
from corridor.network import Network

__all__ = ["link_html", "model_text", "site_html", "site_names"]


def model_text(net: Network) -> str:
    """The latency model of a network in one escaped sentence."""
    m = net.model
    expected = ""
    if (m.service_factor_terrestrial, m.service_factor_submarine) != (1.0, 1.0) or (
        m.handoff_ms or m.inferred_penalty != 1.0
    ):
        expected = (
            f"; expected service figure: x{m.service_factor_terrestrial:.2f} terrestrial / "
            f"x{m.service_factor_submarine:.2f} submarine, inferred links "
            f"x{m.inferred_penalty:.2f}, {m.handoff_ms:.2f} ms per change of system"
        )
    return escape(
        f"Latency model: fiber group index {m.group_index:g} "
        f"({m.ms_per_km * 1000:.3f} µs/km one way), drawn route to fiber length x"
        f"{m.route_factor_terrestrial:.2f} terrestrial / x{m.route_factor_submarine:.2f} "
        f"submarine, {m.site_delay_ms:g} ms per intermediate site{expected}; "
        "RTT = 2 x one way."
    )


def site_names(net: Network) -> dict[str, str]:
    """Site names by site id."""
    return dict(zip(net.sites["id"], net.sites["name"], strict=True))


def link_html(net: Network, row: Any, names: dict[str, str]) -> tuple[str, str]:
    """Tooltip and popup HTML of a link row."""
    name = getattr(row, "name", None)
    title = name if not missing(name) else row.id
    capex = fmt(getattr(row, "capex_eur_m", None), ",.0f")
    if capex != "n/a" and not missing(getattr(row, "capex_basis", None)):
        capex += f" ({escape(getattr(row, 'capex_basis', None))})"
    srlgs = ", ".join(escape(g) for g in getattr(row, "srlgs", ())) or "none"
    crossed = getattr(row, "countries", ())
    countries = " &gt; ".join(escape(net.country_name(c)) for c in crossed) or "n/a"
    tooltip = (
        f"<b>{escape(title)}</b><br>{fmt(getattr(row, 'system', None))} &middot; "
        f"{escape(row.kind)}, {escape(row.status)}<br>{fmt(row.length_km, ',.0f', ' km')}, "
        f"{fmt(row.latency_ms, '.2f', ' ms')} one way"
    )
    popup = f"<b>{escape(title)}</b>" + table(
        [
            ("link", escape(row.id)),
            ("system", fmt(getattr(row, "system", None))),
            (
                "from / to",
                f"{escape(names.get(row.a, row.a))} &ndash; {escape(names.get(row.b, row.b))}",
            ),
            ("kind", escape(row.kind)),
            ("status", escape(row.status)),
            ("confidence", fmt(getattr(row, "confidence", None))),
            ("year (RFS)", fmt(getattr(row, "rfs", None))),
            ("length", fmt(row.length_km, ",.0f", " km")),
            ("one way", fmt(row.latency_ms, ".2f", " ms")),
            ("capacity", fmt(getattr(row, "capacity_tbps", None), "g", " Tbps")),
            ("capex", capex if capex == "n/a" else f"EUR {capex} m"),
            ("funders", _funding(row)),
            ("countries", countries),
            ("SRLGs", srlgs),
            ("source", linked(getattr(row, "source", None))),
        ]
    )
    return tooltip, popup


def _funding(row: Any) -> str:
    funders = getattr(row, "funders", None)
    if missing(funders) or not str(funders):
        return "n/a"
    share: Any = getattr(row, "funding_share", None)
    text = escape(funders)
    return text if missing(share) else f"{text} ({fmt(float(share) * 100, '.0f', ' %')} of cost)"


def site_html(net: Network, row: Any) -> tuple[str, str]:
    """Tooltip and popup HTML of a site row."""
    style = site_style(row.kind)
    tooltip = f"<b>{escape(row.name)}</b><br>{escape(style.label)}, {escape(row.country)}"
    popup = f"<b>{escape(row.name)}</b>" + table(
        [
            ("site", escape(row.id)),
            ("kind", escape(row.kind)),
            ("country", f"{escape(net.country_name(row.country))} ({escape(row.country)})"),
            ("region", fmt(getattr(row, "region", None))),
            ("status", fmt(getattr(row, "status", None))),
            ("population", fmt(getattr(row, "population", None), ",.0f")),
            ("racks", fmt(getattr(row, "racks", None), ",.0f")),
            ("power", fmt(getattr(row, "power_mw", None), ",.0f", " MW")),
            ("tier", fmt(getattr(row, "tier", None))),
            ("source", linked(getattr(row, "source", None))),
        ]
    )
    return tooltip, popup
