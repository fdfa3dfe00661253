"""Planner views of a batch run: RTT against distance, stretch by region pair, transit countries.

All three look at the *best route of each pair*: the fastest reachable route over the run's
route families (rank 1, first latency model, the run's widest link status), as a planner who
may buy any of them would.

* :func:`rtt_distance` -- each family's expected round trip against the great-circle distance,
  with the physical floor (the great circle at the speed of light in fiber) and a straight-line
  fit of the fastest routes ("what to expect" for a new pair at a given distance).
* :func:`stretch_by_region` -- the median stretch (expected RTT / great-circle floor) of each
  region pair, for the fastest routes and for each family. Sides with sites in several UN M49
  sub-regions are grouped by sub-region (Western, Northern, Southern, Eastern Europe, Western
  Asia ...); a side within one sub-region (e.g. every East Asian city) is grouped by country.
* :func:`country_transit` -- per country: how many pairs' best routes transit it (cross it
  between the two endpoints' countries), and the share of pairs, with no failure and under each
  named failure set (e.g. ``Red Sea cut`` or a stress ``--scenario``).

Library code: returns tables and matplotlib figures, prints nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from corridor.batch.spec import BatchSpec

__all__ = [
    "M49_SUBREGIONS",
    "best_routes",
    "country_transit",
    "region_groups",
    "rtt_distance",
    "rtt_distance_figure",
    "stretch_by_region",
    "stretch_figure",
]

#: UN M49 geographic sub-regions of the countries near the corridors (United Nations Statistics
#: Division, "Standard country or area codes for statistical use (M49)",
#: https://unstats.un.org/unsd/methodology/m49/). Countries not listed group by their name.
M49_SUBREGIONS: dict[str, str] = {
    **dict.fromkeys(
        ["DK", "EE", "FI", "GB", "IE", "IS", "LT", "LV", "NO", "SE"], "Northern Europe"
    ),
    **dict.fromkeys(["AT", "BE", "CH", "DE", "FR", "LI", "LU", "MC", "NL"], "Western Europe"),
    **dict.fromkeys(
        ["AL", "BA", "ES", "GR", "HR", "IT", "ME", "MK", "MT", "PT", "RS", "SI"],
        "Southern Europe",
    ),
    **dict.fromkeys(["BG", "BY", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA"], "Eastern Europe"),
    **dict.fromkeys(
        ["AE", "AM", "AZ", "CY", "GE", "IL", "IQ", "JO", "OM", "SA", "SY", "TR"], "Western Asia"
    ),
    **dict.fromkeys(["KG", "KZ", "TJ", "TM", "UZ"], "Central Asia"),
    **dict.fromkeys(["IN", "IR", "LK", "PK"], "Southern Asia"),
    **dict.fromkeys(["CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"], "Eastern Asia"),
    **dict.fromkeys(["SG", "MY", "TH", "VN"], "South-eastern Asia"),
    **dict.fromkeys(["EG"], "Northern Africa"),
    **dict.fromkeys(["DJ"], "Eastern Africa"),
}


#: Names of places the shipped country borders (Natural Earth admin-0) have no polygon of.
SMALL_PLACES: dict[str, str] = {
    "HK": "Hong Kong",
    "MO": "Macau",
    "MC": "Monaco",
    "SG": "Singapore",
    "MT": "Malta",
    "BH": "Bahrain",
}


def _name(code: str, country_name: Mapping[str, str]) -> str:
    return str(country_name.get(code) or SMALL_PLACES.get(code, code))


def best_routes(
    spec: BatchSpec, results: pd.DataFrame, *, status: str | None = None
) -> pd.DataFrame:
    """The fastest reachable route of each pair over the families, per failure set.

    Rank-1 rows of the first model and ``status`` (default: the run's last, widest status);
    one row per failure x pair, with its ``family``. Unreachable pairs are left out.
    """
    status = status or spec.statuses[-1]
    b = results[
        (results["rank"] == 1)
        & (results["model"] == spec.models[0].name)
        & (results["status"] == status)
        & results["reachable"]
    ].copy()
    b["rtt"] = b["rtt_ms"].astype(float)
    b = b.sort_values(["failure", "source", "target", "rtt", "family"], kind="mergesort")
    return b.drop_duplicates(["failure", "source", "target"]).reset_index(drop=True)


def _no_failure(spec: BatchSpec, results: pd.DataFrame, status: str) -> pd.DataFrame:
    b = results[
        (results["rank"] == 1)
        & (results["model"] == spec.models[0].name)
        & (results["status"] == status)
        & (results["failure"] == "none")
        & results["reachable"]
    ]
    return b


# -- RTT against distance -------------------------------------------------------------------------
def rtt_distance(spec: BatchSpec, results: pd.DataFrame) -> dict[str, Any]:
    """Points and lines of the RTT-against-distance chart (last status, no failure).

    Returns
    -------
    dict
        ``families``: ``{family: (great_circle_km, rtt_ms)}`` arrays; ``floor_ms_per_km``: the
        slope of the physical floor (round trip per great-circle km); ``fit``: ``(intercept_ms,
        slope_ms_per_km)`` of a least-squares line through the fastest route of each pair (or
        ``None`` with fewer than two pairs); ``best``: the fastest routes' arrays; ``status``.
    """
    status = spec.statuses[-1]
    base = _no_failure(spec, results, status)
    fams: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for fam in spec.families:
        sub = base[base["family"] == fam.name]
        fams[fam.name] = (
            sub["great_circle_km"].to_numpy(dtype=float, na_value=np.nan),
            sub["rtt_ms"].to_numpy(dtype=float, na_value=np.nan),
        )
    best = best_routes(spec, results, status=status)
    best = best[best["failure"] == "none"]
    x = best["great_circle_km"].to_numpy(dtype=float, na_value=np.nan)
    y = best["rtt_ms"].to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    fit = None
    if ok.sum() >= 2 and np.ptp(x[ok]) > 0:
        slope, intercept = np.polyfit(x[ok], y[ok], 1)
        fit = (float(intercept), float(slope))
    floor = results["floor_rtt_ms"].to_numpy(dtype=float, na_value=np.nan)
    gc = results["great_circle_km"].to_numpy(dtype=float, na_value=np.nan)
    good = np.isfinite(floor) & np.isfinite(gc) & (gc > 0)
    per_km = float(np.median(floor[good] / gc[good])) if good.any() else math.nan
    return {
        "families": fams,
        "best": (x[ok], y[ok]),
        "fit": fit,
        "floor_ms_per_km": per_km,
        "status": status,
    }


def rtt_distance_figure(
    data: dict[str, Any],
    colors: Mapping[str, Any],
    measured: Sequence[tuple[float, float]] = (),
) -> Any:
    """The RTT-against-distance scatter (matplotlib figure; legend below the axes).

    ``measured`` adds ``(great_circle_km, measured_rtt_ms)`` points.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9.5, 6.2))
    xmax = 0.0
    for fam, (x, y) in data["families"].items():
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.any():
            xmax = max(xmax, float(x[ok].max()))
            ax.scatter(
                x[ok],
                y[ok],
                s=14,
                alpha=0.55,
                color=colors[fam],
                lw=0,
                label=f"{fam}: expected RTT, best route ({int(ok.sum())} pairs)",
            )
    xs = np.array([0.0, xmax * 1.04 if xmax > 0 else 1.0])
    per_km = data["floor_ms_per_km"]
    if math.isfinite(per_km):
        ax.plot(
            xs,
            per_km * xs,
            color="#111827",
            lw=1.6,
            label=f"physical floor: great circle at the speed of light in fiber "
            f"({per_km * 1000:.2f} ms RTT per 1,000 km)",
        )
    if data["fit"] is not None:
        a, b = data["fit"]
        ax.plot(
            xs,
            a + b * xs,
            color="#111827",
            lw=1.4,
            ls="--",
            label=f"expected, fastest route per pair (least squares): {a:.1f} ms + "
            f"{b * 1000:.2f} ms per 1,000 km",
        )
    if measured:
        mx, my = zip(*measured, strict=True)
        ax.scatter(mx, my, marker="*", s=90, color="black", label="measured round trip", zorder=5)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("great-circle distance between the two cities, km")
    ax.set_ylabel("round trip, ms")
    ax.grid(alpha=0.3)
    ax.set_title(f"Round trip against distance (links: {data['status']}, no failure)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, fontsize=8, frameon=False)
    return fig


# -- stretch by region pair ---------------------------------------------------------------------
def region_groups(countries: Sequence[str], country_name: Mapping[str, str]) -> dict[str, str]:
    """The group label of each country of one side of the pairs.

    By UN M49 sub-region (:data:`M49_SUBREGIONS`) when the side spans several sub-regions,
    else by country name (a side that is all Eastern Asia splits into China, Japan, ...).
    """
    codes = sorted(set(countries))
    subs = {M49_SUBREGIONS.get(c) for c in codes}
    if len(subs) >= 2 and None not in subs:
        return {c: M49_SUBREGIONS[c] for c in codes}
    return {c: _name(c, country_name) for c in codes}


def stretch_by_region(
    spec: BatchSpec,
    results: pd.DataFrame,
    site_country: Mapping[str, str],
    country_name: Mapping[str, str],
) -> dict[str, pd.DataFrame]:
    """Median stretch (expected RTT / great-circle floor) per region pair.

    Returns
    -------
    dict
        ``{"fastest route": frame, <family>: frame, ...}``; each frame has one row per source
        group and one column per target group (median stretch, NaN where no pair is
        reachable), and the pair counts in ``frame.attrs["pairs"]`` (same shape).
    """
    status = spec.statuses[-1]
    west = region_groups([site_country[s] for s, _ in spec.pairs], country_name)
    east = region_groups([site_country[t] for _, t in spec.pairs], country_name)
    rows = sorted(set(west.values()))
    cols = sorted(set(east.values()))
    best = best_routes(spec, results, status=status)
    panels = {"fastest route": best[best["failure"] == "none"]}
    base = _no_failure(spec, results, status)
    for fam in spec.families:
        panels[fam.name] = base[base["family"] == fam.name]
    out: dict[str, pd.DataFrame] = {}
    for name, sub in panels.items():
        frame = pd.DataFrame(
            {
                "from": [west[site_country[s]] for s in sub["source"]],
                "to": [east[site_country[t]] for t in sub["target"]],
                "stretch": sub["rtt_ms"].to_numpy(dtype=float, na_value=np.nan)
                / sub["floor_rtt_ms"].to_numpy(dtype=float, na_value=np.nan),
            }
        )
        g = frame.groupby(["from", "to"])["stretch"]
        med = g.median().unstack().reindex(index=rows, columns=cols)
        med.attrs["pairs"] = g.size().unstack().reindex(index=rows, columns=cols).fillna(0)
        out[name] = med
    return out


def stretch_figure(panels: dict[str, pd.DataFrame]) -> Any:
    """Heatmaps of :func:`stretch_by_region` (two per row, one shared color scale)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize

    names = list(panels)
    first = panels[names[0]]
    ncols = 2 if len(names) > 1 else 1
    nrows = math.ceil(len(names) / ncols)
    cell = 0.62
    width = ncols * (2.6 + cell * len(first.columns)) + 1.2
    height = nrows * (1.6 + cell * len(first.index)) + 0.4
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, height), squeeze=False, layout="constrained"
    )
    values = np.concatenate([p.to_numpy(dtype=float).ravel() for p in panels.values()])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if len(values) else (1.0, 2.0)
    norm = Normalize(vmin=lo, vmax=hi if hi > lo else lo + 0.1)
    cmap = plt.get_cmap("YlOrRd")
    image = None
    for k, name in enumerate(names):
        ax = axes.ravel()[k]
        med = panels[name]
        arr = med.to_numpy(dtype=float)
        image = ax.imshow(np.ma.masked_invalid(arr), cmap=cmap, norm=norm, aspect="auto")
        counts = med.attrs.get("pairs")
        for i in range(arr.shape[0]):
            for j in range(arr.shape[1]):
                v = arr[i, j]
                n = int(counts.iat[i, j]) if counts is not None else 0
                text = f"{v:.2f}\n({n})" if math.isfinite(v) else "none"
                dark = math.isfinite(v) and norm(v) > 0.6
                ax.text(
                    j, i, text, ha="center", va="center", fontsize=7.5,
                    color="white" if dark else "#111827",
                )  # fmt: skip
        # rows and columns are the same in every panel: label the outer edges only
        bottom = k + ncols >= len(names)
        ax.set_xticks(range(len(med.columns)))
        ax.set_xticklabels(list(med.columns) if bottom else [], rotation=30, ha="right", fontsize=8)
        ax.set_yticks(range(len(med.index)))
        ax.set_yticklabels(list(med.index) if k % ncols == 0 else [], fontsize=8)
        if bottom:
            ax.set_xlabel("to")
        if k % ncols == 0:
            ax.set_ylabel("from")
        ax.set_title(name, fontsize=9)
    for ax in axes.ravel()[len(names) :]:
        ax.axis("off")
    if image is not None:
        bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8)
        bar.set_label("median stretch: expected RTT / great-circle floor")
    fig.suptitle("Stretch by region pair (cell: median stretch, pairs in brackets)")
    return fig


# -- transit countries ----------------------------------------------------------------------------
def country_transit(
    spec: BatchSpec,
    results: pd.DataFrame,
    country_name: Mapping[str, str],
    site_country: Mapping[str, str],
) -> pd.DataFrame:
    """How many pairs' best routes cross each country, with no failure and per failure set.

    A route transits a country it crosses other than the two endpoints' own countries (every
    Frankfurt route "crosses" Germany). Named failure sets only (a ``links`` set, one failure
    per link, is left out). Columns:
    ``country`` (name and ISO code), then per failure (``none`` first) the routes crossing it
    and their share of the pairs with a route (``routes: <failure>``, ``share: <failure>``).
    Sorted by routes with no failure, then name.
    """
    best = best_routes(spec, results)
    named = ["none"] + [
        f.name for f in spec.failures if f.name in set(best["failure"]) and f.name != "none"
    ]
    out: dict[str, dict[str, float]] = {}
    totals: dict[str, int] = {}
    for failure in named:
        sub = best[best["failure"] == failure]
        totals[failure] = len(sub)
        counts: dict[str, int] = {}
        for path, a, b in zip(
            sub["countries"].astype(str), sub["source"], sub["target"], strict=True
        ):
            ends = {site_country.get(a), site_country.get(b)}
            for code in {c for c in path.split(">") if c} - ends:
                counts[code] = counts.get(code, 0) + 1
        for code, n in counts.items():
            out.setdefault(code, {})[failure] = n
    rows = []
    for code, per in out.items():
        row: dict[str, Any] = {"country": f"{_name(code, country_name)} ({code})"}
        for failure in named:
            n = int(per.get(failure, 0))
            row[f"routes: {_label(failure)}"] = n
            row[f"share: {_label(failure)}"] = n / totals[failure] if totals[failure] else math.nan
        rows.append(row)
    frame = pd.DataFrame(rows)
    if not len(frame):
        return frame
    key = f"routes: {_label('none')}"
    frame = frame.sort_values([key, "country"], ascending=[False, True], kind="mergesort")
    frame.attrs["pairs"] = {_label(k): v for k, v in totals.items()}
    return frame.reset_index(drop=True)


def _label(failure: str) -> str:
    return "no failure" if failure == "none" else failure
