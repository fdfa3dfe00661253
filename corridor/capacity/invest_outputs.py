"""Outputs of the investment ranking by traffic kept: names, CSV, GIS layer and map.

Every function here takes the network the ranking ran on (the candidate network of
:func:`corridor.invest.candidates.candidate_network`) and the JSON-ready dictionary of
:meth:`corridor.capacity.invest.TrafficRanking.to_dict` (plus ``demand``, its description),
so what is written is exactly what ``--json`` prints. The HTML report is
:mod:`corridor.capacity.invest_report`. Files are written atomically (:mod:`corridor._atomic`).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from corridor._atomic import write_atomic
from corridor._errors import CorridorError
from corridor.network import Network

__all__ = [
    "TRAFFIC_CSV_COLUMNS",
    "candidate_label",
    "csv_columns",
    "fmt",
    "portfolio_ids",
    "scenario_names",
    "traffic_geodataframe",
    "traffic_map",
    "traffic_rows",
    "write_traffic_csv",
    "write_traffic_map",
]

#: CSV columns before the per-scenario ones (``kept_tbps_<scenario>``) and after them.
TRAFFIC_CSV_COLUMNS = [
    "rank", "id", "name", "system", "kind", "status", "a", "b", "segments", "capex_eur_m",
    "opex_eur_m_per_year", "lifetime_years", "npv_cost_eur_m", "traffic_kept_tbps",
]  # fmt: skip
_CSV_TAIL = [
    "traffic_added_normal_tbps",
    "kept_tbps_per_eur_m",
    "cost_per_protected_tbps_eur_m",
    "in_portfolio",
]
_BANDS = (
    ("top third", "#16a34a"),
    ("middle third", "#f59e0b"),
    ("bottom third", "#dc2626"),
)
#: Color of the portfolio (or the first pick) on the map and in the charts.
PORTFOLIO_COLOR = "#7c3aed"


# -- names and rows ---------------------------------------------------------------------------
def _site_names(net: Network) -> dict[str, str]:
    return dict(zip(net.sites["id"], net.sites["name"], strict=True))


def _ends(net: Network, segments: Sequence[str]) -> tuple[str, str]:
    """Site ids at the two ends of a candidate's segments (sites of odd degree in a chain)."""
    rows = net.links.iloc[[net.link_index(s) for s in segments]]
    a, b = list(rows["a"]), list(rows["b"])
    degree: dict[str, int] = {}
    for x in a + b:
        degree[x] = degree.get(x, 0) + 1
    odd = [x for x, d in degree.items() if d % 2]
    return (odd[0], odd[1]) if len(odd) == 2 else (a[0], b[-1])


def candidate_label(net: Network, row: Mapping[str, Any]) -> str:
    """A candidate as a reader knows it: system (or name) and the sites it joins, e.g.
    "Trans-Caspian Fiber Optic, Kuryk - Buzovna"; a group adds its number of segments."""
    names = _site_names(net)
    title = str(row.get("system") or row.get("name") or row["id"])
    segments = list(row.get("segments") or [row["id"]])
    try:
        a, b = _ends(net, segments)
    except (CorridorError, IndexError):  # a label never fails a report: fall back to the id
        return f"{title} ({row['id']})"
    extra = f" ({len(segments)} segments)" if len(segments) > 1 else ""
    return f"{title}, {names.get(a, a)} - {names.get(b, b)}{extra}"


def scenario_names(data: Mapping[str, Any]) -> list[str]:
    """The scenario names of a ranking dictionary, in order."""
    return [str(s["name"]) for s in data.get("scenarios", [])]


def portfolio_ids(data: Mapping[str, Any]) -> list[str]:
    """Candidate ids of the portfolio (empty without a budget)."""
    return list((data.get("portfolio") or {}).get("ids") or [])


def traffic_rows(net: Network, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat row per candidate, best first: the CSV columns (:func:`csv_columns`)."""
    chosen = set(portfolio_ids(data))
    out = []
    for row in data.get("ranking", []):
        a, b = _ends(net, row["segments"])
        flat = {k: row.get(k) for k in TRAFFIC_CSV_COLUMNS if k in row}
        flat.update(a=a, b=b, segments=";".join(row["segments"]))
        for name in scenario_names(data):
            flat[f"kept_tbps_{name}"] = row.get("kept_by_scenario_tbps", {}).get(name)
        for key in _CSV_TAIL[:-1]:
            flat[key] = row.get(key)
        flat["in_portfolio"] = row["id"] in chosen
        out.append(flat)
    return out


def csv_columns(data: Mapping[str, Any]) -> list[str]:
    """The CSV header: fixed columns, one ``kept_tbps_<scenario>`` per scenario, the scores."""
    return TRAFFIC_CSV_COLUMNS + [f"kept_tbps_{n}" for n in scenario_names(data)] + list(_CSV_TAIL)


def write_traffic_csv(net: Network, data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the ranking as CSV (one row per candidate), atomically."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=csv_columns(data), lineterminator="\n")
    w.writeheader()
    for row in traffic_rows(net, data):
        w.writerow({k: "" if v is None else v for k, v in row.items()})
    return write_atomic(path, buf.getvalue(), what="CSV file")


def traffic_geodataframe(net: Network, data: Mapping[str, Any]) -> Any:
    """The ranking as a GeoDataFrame in EPSG:4326 (one row per candidate, its segments drawn as
    one (multi)line), for GIS export."""
    import geopandas as gpd
    import shapely

    geoms = net.links.geometry.to_numpy()
    lines = []
    table = traffic_rows(net, data)
    for row in table:
        parts = [geoms[net.link_index(s)] for s in row["segments"].split(";")]
        lines.append(parts[0] if len(parts) == 1 else shapely.multilinestrings(parts))
        row["label"] = candidate_label(net, {**row, "segments": row["segments"].split(";")})
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(lines, crs="EPSG:4326"))


# -- map ----------------------------------------------------------------------------------------
def fmt(value: Any, spec: str, unit: str = "") -> str:
    """A number formatted with ``spec`` and ``unit``; ``-`` when missing or not finite."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return format(value, spec) + unit


def _popup(net: Network, row: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[str, str]:
    """Tooltip and popup of a candidate: its rank and numbers."""
    from corridor.maps import escape

    label = candidate_label(net, row)
    tooltip = (
        f"<b>#{row['rank']} {escape(label)}</b><br>{fmt(row['traffic_kept_tbps'], '.2f')} Tbps "
        f"kept, {fmt(row['kept_tbps_per_eur_m'], '.4f')} Tbps per EUR m"
    )
    cells = [
        ("candidate", escape(row["id"])),
        ("kind, status", escape(f"{row.get('kind')}, {row.get('status')}")),
        ("capex", f"EUR {fmt(row['capex_eur_m'], ',.1f')} m"),
        ("lifetime cost (NPV)", f"EUR {fmt(row['npv_cost_eur_m'], ',.1f')} m"),
        ("Tbps kept (expected)", fmt(row["traffic_kept_tbps"], ".2f", " Tbps")),
    ]
    names = scenario_names(data)
    if len(names) > 1:
        for n in names:
            kept = row.get("kept_by_scenario_tbps", {}).get(n)
            cells.append((f"kept under {escape(n)}", fmt(kept, ".2f", " Tbps")))
    cells += [
        ("Tbps kept per EUR m", fmt(row["kept_tbps_per_eur_m"], ".4f")),
        (
            "cost per protected Tbps",
            fmt(row["cost_per_protected_tbps_eur_m"], ",.1f").join(("EUR ", " m"))
            if row.get("cost_per_protected_tbps_eur_m") is not None
            else "-",
        ),
    ]
    if row["id"] in set(portfolio_ids(data)):
        cells.append(("portfolio", "chosen for the budget"))
    body = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in cells)
    popup = f'<b>#{row["rank"]} {escape(label)}</b><table class="corridor-table">{body}</table>'
    return tooltip, popup


def traffic_map(
    net: Network,
    data: Mapping[str, Any],
    *,
    offline: bool = True,
    failed: Mapping[str, Sequence[str]] | None = None,
) -> Any:
    """Network map with the candidates colored by Tbps kept per EUR m (thirds of those that
    keep traffic; green best), the portfolio (or the first pick) on top, and, with ``failed``
    (scenario name -> link ids), the links each scenario takes out, dashed grey.

    Popups give each candidate's rank, cost and Tbps kept.
    """
    from corridor.maps import add_links_layer, network_map

    names = scenario_names(data)
    m = network_map(
        net,
        status="existing",
        offline=offline,
        title=f"Candidates by Tbps kept per euro under {', '.join(names)}",
    )
    for name, ids in (failed or {}).items():
        existing = [i for i in ids if i in set(net.links["id"])]
        if existing:
            add_links_layer(
                m,
                net,
                existing,
                name=f"out under {name}",
                color="#334155",
                dash="3 6",
                weight=3.0,
                opacity=0.9,
                class_name="corridor-failed",
            )
    ranking = list(data.get("ranking", []))
    popups = {s: _popup(net, r, data) for r in ranking for s in r["segments"]}
    helpful = [r for r in ranking if r["traffic_kept_tbps"] > 0]
    dead = [s for r in ranking if r["traffic_kept_tbps"] <= 0 for s in r["segments"]]
    n = len(helpful)
    cut = (n + 2) // 3
    for (band, color), rows in zip(
        _BANDS, (helpful[:cut], helpful[cut : 2 * cut], helpful[2 * cut :]), strict=True
    ):
        if not rows:
            continue
        lo, hi = rows[-1]["kept_tbps_per_eur_m"], rows[0]["kept_tbps_per_eur_m"]
        add_links_layer(
            m,
            net,
            [s for r in rows for s in r["segments"]],
            name=f"Tbps kept per EUR m, {band} ({lo:.3g}-{hi:.3g})",
            color=color,
            weight=6.0,
            class_name="corridor-candidate",
            html=popups,
        )
    if dead:
        add_links_layer(
            m,
            net,
            dead,
            name="keeps no traffic alone",
            color="#64748b",
            dash="4 6",
            weight=3.0,
            show=False,
            class_name="corridor-candidate",
            html=popups,
        )
    by_id = {r["id"]: r for r in ranking}
    chosen = [by_id[i] for i in portfolio_ids(data) if i in by_id]
    label = f"portfolio for EUR {data.get('budget_eur_m'):g} m" if chosen else "first pick"
    if not chosen and helpful:
        chosen = helpful[:1]
    if chosen:
        add_links_layer(
            m,
            net,
            [s for r in chosen for s in r["segments"]],
            name=label,
            color=PORTFOLIO_COLOR,
            weight=12.0,
            opacity=0.45,
            class_name="corridor-portfolio",
            html=popups,
        )
    return m


def write_traffic_map(
    net: Network,
    data: Mapping[str, Any],
    path: str | os.PathLike[str],
    *,
    offline: bool = True,
    failed: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write :func:`traffic_map` as an HTML file, atomically."""
    from corridor.maps import save_map

    return save_map(traffic_map(net, data, offline=offline, failed=failed), path)
