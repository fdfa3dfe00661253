"""Outputs of a batch run: tables (Parquet, CSV), summary JSON, HTML and Markdown reports.

Everything is written atomically (temporary file, then :func:`os.replace`). In tables shown to
people an unreachable result reads ``unreachable``; in CSV its latency cells are empty and
``reachable`` is ``False``; in JSON it is ``null``. Charts use matplotlib's Agg backend; the HTML
report inlines them as base64 PNG (one self-contained file), the Markdown report links the PNG
files in ``figures/``.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor import __version__
from corridor._atomic import replace_atomically
from corridor._report_style import SUMMARY_CSS, embedded_map
from corridor.batch.planning import (
    country_transit,
    rtt_distance,
    rtt_distance_figure,
    stretch_by_region,
    stretch_figure,
)
from corridor.batch.spec import BatchSpec
from corridor.network import Network

__all__ = ["family_stats", "write_outputs"]

UNREACHABLE = "unreachable"


def _atomic(path: Path, write: Any) -> None:
    replace_atomically(path, write, what="batch output")


def _num(v: Any, digits: int = 1) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)):
        return UNREACHABLE
    return f"{float(v):,.{digits}f}"


def _clean(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _best(results: pd.DataFrame) -> pd.DataFrame:
    """Rank-1 rows (one per scenario x family x pair)."""
    return results[results["rank"] == 1]


def _baseline(spec: BatchSpec, results: pd.DataFrame, model: str | None = None) -> pd.DataFrame:
    b = _best(results)
    return b[(b["failure"] == "none") & (b["model"] == (model or spec.models[0].name))]


def family_stats(spec: BatchSpec, results: pd.DataFrame) -> list[dict[str, Any]]:
    """Per model x status x family (no failure): pairs, reachable, RTT quantiles, stretch."""
    rows = []
    b = _best(results)
    b = b[b["failure"] == "none"]
    for mv in spec.models:
        for status in spec.statuses:
            for fam in spec.families:
                sub = b[
                    (b["model"] == mv.name) & (b["status"] == status) & (b["family"] == fam.name)
                ]
                ok = sub[sub["reachable"]]
                rtt = ok["rtt_ms"].astype(float)
                row = {
                    "model": mv.name,
                    "status": status,
                    "family": fam.name,
                    "pairs": len(sub),
                    "reachable": len(ok),
                    "median_rtt_ms": _clean(round(rtt.median(), 2)) if len(ok) else None,
                    "p10_rtt_ms": _clean(round(rtt.quantile(0.1), 2)) if len(ok) else None,
                    "p90_rtt_ms": _clean(round(rtt.quantile(0.9), 2)) if len(ok) else None,
                    "median_stretch": _clean(round(ok["stretch"].astype(float).median(), 3))
                    if len(ok) else None,
                    "approximate": int(sub["note"].str.startswith("approximate").sum()),
                }  # fmt: skip
                for cc in spec.flag_countries:
                    col = f"crosses_{cc}"
                    row[f"share_{col}"] = (
                        round(float(ok[col].astype(bool).mean()), 3) if len(ok) else None
                    )
                rows.append(row)
    return rows


def _pivot_rtt(base: pd.DataFrame, status: str) -> pd.DataFrame:
    sub = base[base["status"] == status]
    return sub.pivot_table(
        index=["source", "target"], columns="family", values="rtt_ms", aggfunc="first",
        dropna=False, sort=False,
    ).astype(float)  # fmt: skip


def corridor_gains(spec: BatchSpec, results: pd.DataFrame) -> pd.DataFrame:
    """Per pair (last status, first model): corridor family RTT vs the best other family."""
    base = _baseline(spec, results)
    status = spec.statuses[-1]
    piv = _pivot_rtt(base, status)
    cf = spec.corridor_family
    others = [f.name for f in spec.families if f.name != cf and f.name in piv.columns]
    if cf not in piv.columns or not others:
        return pd.DataFrame()
    best_other = piv[others].min(axis=1, skipna=True)
    vals = piv[others]
    which = [
        (vals.columns[int(np.nanargmin(r))] if np.isfinite(r).any() else None)
        for r in vals.to_numpy(dtype=float)
    ]
    out = pd.DataFrame({
        "corridor_rtt_ms": piv[cf], "best_other_rtt_ms": best_other,
        "best_other_family": which,
    })  # fmt: skip
    out["gain_ms"] = out["best_other_rtt_ms"] - out["corridor_rtt_ms"]
    out = out.reset_index()
    return out.sort_values(["gain_ms", "source", "target"], ascending=[False, True, True],
                           na_position="last", kind="mergesort").reset_index(drop=True)  # fmt: skip


def planned_gains(spec: BatchSpec, results: pd.DataFrame) -> pd.DataFrame:
    """Per pair and family: RTT with existing links (first status) vs the last status."""
    if len(spec.statuses) < 2:
        return pd.DataFrame()
    base = _baseline(spec, results)
    first, last = spec.statuses[0], spec.statuses[-1]
    a = base[base["status"] == first].set_index(["family", "source", "target"])["rtt_ms"]
    b = base[base["status"] == last].set_index(["family", "source", "target"])["rtt_ms"]
    out = pd.DataFrame({f"rtt_{first}_ms": a.astype(float), f"rtt_{last}_ms": b.astype(float)})
    out["gain_ms"] = out[f"rtt_{first}_ms"] - out[f"rtt_{last}_ms"]
    out = out.reset_index()
    return out.sort_values(["gain_ms", "family", "source", "target"],
                           ascending=[False, True, True, True], na_position="last",
                           kind="mergesort").reset_index(drop=True)  # fmt: skip


def failure_impact(spec: BatchSpec, results: pd.DataFrame) -> pd.DataFrame:
    """Per scenario with failures x family: pairs disconnected, RTT increase (first model)."""
    b = _best(results)
    b = b[b["model"] == spec.models[0].name]
    base = b[b["failure"] == "none"][
        ["status", "family", "source", "target", "rtt_ms", "reachable"]
    ]
    hurt = b[b["failure"] != "none"]
    if not len(hurt):
        return pd.DataFrame()
    m = hurt.merge(base, on=["status", "family", "source", "target"], suffixes=("", "_base"))
    m = m[m["reachable_base"]]
    m["disconnected"] = ~m["reachable"]
    inc = (m["rtt_ms"].astype(float) - m["rtt_ms_base"].astype(float)).clip(lower=0)
    m["increase"] = inc
    g = m.groupby(["status", "failure", "family"], sort=False)
    out = pd.DataFrame({
        "pairs": g.size(),
        "disconnected": g["disconnected"].sum().astype(int),
        "median_increase_ms": g["increase"].median().round(2),
        "max_increase_ms": g["increase"].max().round(2),
    }).reset_index()  # fmt: skip
    return out.sort_values(["disconnected", "max_increase_ms", "status", "failure", "family"],
                           ascending=[False, False, True, True, True],
                           kind="mergesort").reset_index(drop=True)  # fmt: skip


def measured_vs_model(spec: BatchSpec, results: pd.DataFrame) -> pd.DataFrame:
    if not spec.measured:
        return pd.DataFrame()
    base = _baseline(spec, results)
    base = base[base["status"] == spec.statuses[0]]
    piv = base.pivot_table(index=["source", "target"], columns="family", values="rtt_ms",
                           aggfunc="first", dropna=False).astype(float)  # fmt: skip
    rows = []
    for s, t, meas in spec.measured:
        r: dict[str, Any] = {"source": s, "target": t, "measured_rtt_ms": meas}
        vals = piv.loc[(s, t)] if (s, t) in piv.index else pd.Series(dtype=float)
        for fam in spec.families:
            r[fam.name] = float(vals.get(fam.name, np.nan))
        finite = [v for v in (r[f.name] for f in spec.families) if math.isfinite(v)]
        r["model_best_rtt_ms"] = min(finite) if finite else math.nan
        r["measured_minus_model_ms"] = meas - r["model_best_rtt_ms"]
        rows.append(r)
    return pd.DataFrame(rows)


# -- charts ------------------------------------------------------------------------------------
def _charts(
    spec: BatchSpec,
    results: pd.DataFrame,
    figdir: Path,
    tables: dict[str, pd.DataFrame],
    planner: dict[str, Any] | None = None,
) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    names = spec.site_names
    out: dict[str, Path] = {}
    fams = [f.name for f in spec.families]
    colors = {f: plt.get_cmap("tab10")(i % 10) for i, f in enumerate(fams)}
    base = _baseline(spec, results)

    def save(fig: Any, key: str) -> None:
        path = figdir / f"{key}.png"
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        plt.close(fig)
        _atomic(path, lambda p: p.write_bytes(buf.getvalue()))
        out[key] = path

    # 1. RTT by family per pair
    pairs = list(spec.highlight) or _spread(list(spec.pairs), 12)
    n_st = len(spec.statuses)
    fig, axes = plt.subplots(1, n_st, figsize=(6 * n_st, 0.45 * len(pairs) * len(fams) / 2 + 2),
                             squeeze=False, sharey=True, layout="constrained")  # fmt: skip
    for ax, status in zip(axes[0], spec.statuses, strict=True):
        piv = _pivot_rtt(base, status)
        y = np.arange(len(pairs))
        h = 0.8 / max(1, len(fams))
        for j, f in enumerate(fams):
            vals = [float(piv.loc[p, f]) if p in piv.index and f in piv.columns else np.nan
                    for p in pairs]  # fmt: skip
            ax.barh(y + j * h, np.nan_to_num(vals, nan=0.0), height=h, color=colors[f], label=f)
            for yy, v in zip(y + j * h, vals, strict=True):
                if not math.isfinite(v):
                    ax.text(1, yy, UNREACHABLE, va="center", fontsize=7)
        ax.set_yticks(y + 0.4 - h / 2, [f"{names.get(a, a)} - {names.get(b, b)}" for a, b in pairs])
        ax.set_xlabel("round trip, ms")
        ax.set_title(f"links: {status}")
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].invert_yaxis()  # once: the panels share their y axis (first pair on top)
    _legend_below(fig, axes[0][0])
    fig.suptitle("Round trip by route family")
    save(fig, "rtt_by_family")

    # 2. stretch distribution
    fig, axes = plt.subplots(
        1, n_st, figsize=(6 * n_st, 4), squeeze=False, sharey=True, layout="constrained"
    )
    for ax, status in zip(axes[0], spec.statuses, strict=True):
        sub = base[(base["status"] == status) & base["reachable"]]
        data = [sub[sub["family"] == f]["stretch"].astype(float).dropna().to_numpy() for f in fams]
        if any(len(d) for d in data):
            lo = min(d.min() for d in data if len(d))
            hi = max(d.max() for d in data if len(d))
            bins = np.linspace(lo, hi if hi > lo else lo + 0.1, 30)
            for f, d in zip(fams, data, strict=True):
                if len(d):
                    ax.hist(d, bins=bins, alpha=0.5, color=colors[f], label=f)
        ax.set_xlabel("stretch (route / physical floor)")
        ax.set_title(f"links: {status}")
    axes[0][0].set_ylabel("OD pairs")
    _legend_below(fig, axes[0][0])
    save(fig, "stretch")

    # planner views: RTT against distance, stretch by region pair
    planner = planner or {}
    if "rtt_distance" in planner:
        save(
            rtt_distance_figure(planner["rtt_distance"], colors, planner.get("measured_km", ())),
            "rtt_distance",
        )
    if planner.get("stretch_regions"):
        save(stretch_figure(planner["stretch_regions"]), "stretch_regions")

    # 3. gains
    gains = tables.get("corridor_gains", pd.DataFrame())
    planned = tables.get("planned_gains", pd.DataFrame())
    panels = [(g, t) for g, t in ((gains, "corridor"), (planned, "planned")) if len(g)]
    if panels:
        fig, axes = plt.subplots(
            1, len(panels), figsize=(7 * len(panels), 5), squeeze=False, layout="constrained"
        )
        for ax, (g, kind) in zip(axes[0], panels, strict=True):
            top = g.dropna(subset=["gain_ms"]).head(spec.top)
            labels = [f"{names.get(a, a)} - {names.get(b, b)}" for a, b in
                      zip(top["source"], top["target"], strict=True)]  # fmt: skip
            if kind == "planned":
                labels = [f"{lab} ({f})" for lab, f in zip(labels, top["family"], strict=True)]
                ax.set_title(f"gain from {spec.statuses[-1]} links vs {spec.statuses[0]}")
                ax.barh(labels, top["gain_ms"], color="tab:green")
            else:
                ax.set_title(f"{spec.corridor_family}: faster than the best other family by")
                ax.barh(
                    labels,
                    top["gain_ms"],
                    color=["tab:blue" if v >= 0 else "tab:red" for v in top["gain_ms"]],
                )
            ax.invert_yaxis()
            ax.set_xlabel("ms round trip")
            ax.tick_params(axis="y", labelsize=7)
        save(fig, "gains")

    # 4. failure impact
    imp = tables.get("failure_impact", pd.DataFrame())
    if len(imp):
        top_fail = (
            imp.groupby("failure", sort=False)["disconnected"].sum()
            + imp.groupby("failure", sort=False)["median_increase_ms"].sum() / 1e3
        )
        keep = list(top_fail.sort_values(ascending=False, kind="mergesort").index[: spec.top])
        status = spec.statuses[-1]
        sub = imp[(imp["failure"].isin(keep)) & (imp["status"] == status)]
        fig, axes = plt.subplots(
            1, 2, figsize=(13, 0.35 * len(keep) * len(fams) / 2 + 2.5), layout="constrained"
        )
        y = np.arange(len(keep))
        h = 0.8 / max(1, len(fams))
        for j, f in enumerate(fams):
            s = sub[sub["family"] == f].set_index("failure")
            share = [float(s.at[k, "disconnected"]) / max(1, float(s.at[k, "pairs"]))
                     if k in s.index else 0.0 for k in keep]  # fmt: skip
            inc = [float(s.at[k, "median_increase_ms"]) if k in s.index else 0.0 for k in keep]
            axes[0].barh(y + j * h, np.array(share) * 100, height=h, color=colors[f], label=f)
            axes[1].barh(y + j * h, np.nan_to_num(inc), height=h, color=colors[f], label=f)
        for ax in axes:
            ax.set_yticks(y + 0.4 - h / 2, keep)
            ax.invert_yaxis()
            ax.tick_params(axis="y", labelsize=8)
        axes[0].set_xlabel("% of pairs disconnected")
        axes[1].set_xlabel("median RTT increase of connected pairs, ms")
        axes[1].set_yticklabels([])
        _legend_below(fig, axes[0])
        fig.suptitle(f"Failure impact (links: {status})")
        save(fig, "failures")

    # 5. measured vs model
    meas = tables.get("measured", pd.DataFrame())
    if len(meas):
        fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
        for f in fams:
            ax.scatter(meas["measured_rtt_ms"], meas[f], color=colors[f], label=f, s=18)
        lim = [0, float(np.nanmax(meas[["measured_rtt_ms", *fams]].to_numpy(dtype=float))) * 1.1]
        ax.plot(lim, lim, color="grey", lw=1, ls="--", label="model = measured")
        ax.set_xlabel("measured round trip, ms")
        ax.set_ylabel("model round trip, ms")
        _legend_below(fig, ax, ncol=1)
        ax.set_title("Measured vs model")
        save(fig, "measured")
    return out


def _legend_below(fig: Any, ax: Any, *, ncol: int | None = None) -> None:
    """The legend of ``ax`` under the figure, outside every axes (never over the data)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=ncol or min(len(labels), 3),
        fontsize=8,
        frameon=False,
    )


def _spread(items: list[Any], n: int) -> list[Any]:
    if len(items) <= n:
        return items
    idx = np.linspace(0, len(items) - 1, n).round().astype(int)
    return [items[i] for i in dict.fromkeys(idx.tolist())]


# -- tables as HTML / Markdown ------------------------------------------------------------------
def _rows(frame: pd.DataFrame, cols: Sequence[str], names: dict[str, str]) -> list[list[str]]:
    out = []
    for rec in frame[list(cols)].itertuples(index=False):
        row = []
        for c, v in zip(cols, rec, strict=True):
            if c in ("source", "target"):
                row.append(names.get(v, str(v)))
            elif isinstance(v, bool | np.bool_):
                row.append("yes" if v else "no")
            elif isinstance(v, int | np.integer) and not isinstance(v, bool):
                row.append(f"{int(v):,}")
            elif isinstance(v, float | np.floating) or v is None or v is pd.NA:
                digits = 3 if "stretch" in c or "share" in c else 1
                row.append(_num(v, digits))
            else:
                row.append(str(v))
        out.append(row)
    return out


def _transit_rows(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Columns and cells of the transit table: "routes (share %)" per failure."""
    labels = [c[len("routes: ") :] for c in frame.columns if c.startswith("routes: ")]
    cols = ["country", *labels]
    rows = []
    for rec in frame.to_dict(orient="records"):
        row = [str(rec["country"])]
        for lab in labels:
            n, share = rec[f"routes: {lab}"], rec[f"share: {lab}"]
            pct = f"{100 * share:.1f} %" if share == share else "n/a"
            row.append(f"{int(n):,} ({pct})")
        rows.append(row)
    return cols, rows


def _md_table(cols: Sequence[str], rows: list[list[str]]) -> str:
    def esc(x: str) -> str:
        return _md_escape(x)

    lines = ["| " + " | ".join(esc(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(esc(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _html_table(cols: Sequence[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_outputs(
    spec: BatchSpec,
    net: Network,
    results: pd.DataFrame,
    scenarios: pd.DataFrame,
    out: Path,
    stats: dict[str, Any],
    *,
    report: bool = True,
) -> tuple[dict[str, Any], dict[str, Path]]:
    """Write results, summary and reports into ``out``; return the summary and the files."""
    files: dict[str, Path] = {}
    public = results.drop(columns=["scenario_index", "family_index", "pair_index"], errors="ignore")
    if spec.outputs.get("parquet", True):
        _atomic(out / "results.parquet", lambda p: public.to_parquet(p, index=False))
        files["results.parquet"] = out / "results.parquet"
    if spec.outputs.get("csv", True):
        _atomic(out / "results.csv", lambda p: public.to_csv(p, index=False, float_format="%.6g"))
        files["results.csv"] = out / "results.csv"
    _atomic(out / "scenarios.csv", lambda p: scenarios.to_csv(p, index=False))
    files["scenarios.csv"] = out / "scenarios.csv"

    fstats = family_stats(spec, results)
    site_country = dict(zip(net.sites["id"], net.sites["country"], strict=True))
    tables = {
        "corridor_gains": corridor_gains(spec, results),
        "planned_gains": planned_gains(spec, results),
        "failure_impact": failure_impact(spec, results),
        "measured": measured_vs_model(spec, results),
        "transit": country_transit(spec, results, net.country_names, site_country),
    }

    def recs(frame: pd.DataFrame, n: int | None = None) -> list[dict[str, Any]]:
        f = frame if n is None else frame.head(n)
        return [{k: _clean(v) for k, v in r.items()} for r in f.to_dict(orient="records")]

    summary: dict[str, Any] = {
        "title": spec.title,
        "scenario_file": str(spec.path),
        "fingerprint": spec.fingerprint,
        "corridor_version": __version__,
        "network": {
            "sites_file": spec.sites or "shipped",
            "links_file": spec.links or "shipped",
            "sites": net.n_sites,
            "links": net.n_links,
        },
        "pairs": len(spec.pairs),
        "families": [
            {"name": f.name, "via": list(f.via), "avoid": list(f.avoid)} for f in spec.families
        ],
        "statuses": list(spec.statuses),
        "models": [{"name": m.name, **m.params()} for m in spec.models],
        "failure_sets": [f.name for f in spec.failures],
        "scenarios": len(scenarios),
        "k": spec.k,
        "stats": dict(stats),
        "family_stats": fstats,
        "top_corridor_gains": recs(tables["corridor_gains"], spec.top),
        "top_planned_gains": recs(tables["planned_gains"], spec.top),
        "failure_impact": recs(tables["failure_impact"], 50),
        "measured_vs_model": recs(tables["measured"]),
        "country_transit": recs(tables["transit"]),
        "unreachable_rows": int((~results["reachable"]).sum()),
        "approximate_rows": int(results["note"].str.startswith("approximate").sum()),
    }
    if report:
        figdir = out / "figures"
        charts = _charts(spec, results, figdir, tables, _planner(spec, net, results))
        files.update({f"figures/{p.name}": p for p in charts.values()})
        md, page = _documents(spec, summary, tables, charts, net=net)
        _atomic(out / "report.md", lambda p: p.write_text(md, encoding="utf-8"))
        _atomic(out / "report.html", lambda p: p.write_text(page, encoding="utf-8"))
        files["report.md"] = out / "report.md"
        files["report.html"] = out / "report.html"
    files["summary.json"] = out / "summary.json"
    summary["files"] = sorted(files)
    return summary, files


def _planner(spec: BatchSpec, net: Network, results: pd.DataFrame) -> dict[str, Any]:
    """Data of the planner charts (:mod:`corridor.batch.planning`)."""
    site_country = dict(zip(net.sites["id"], net.sites["country"], strict=True))
    data: dict[str, Any] = {
        "rtt_distance": rtt_distance(spec, results),
        "stretch_regions": stretch_by_region(spec, results, site_country, net.country_names),
    }
    if spec.measured:
        gc = results.drop_duplicates(["source", "target"]).set_index(["source", "target"])
        gc = gc["great_circle_km"].astype(float)
        data["measured_km"] = [
            (float(gc.loc[(s, t)]), float(m)) for s, t, m in spec.measured if (s, t) in gc.index
        ]
    return data


def _representative_pair(spec: BatchSpec, net: Network) -> tuple[str, str]:
    """Frankfurt - Shanghai when the run has it (the corridor's reference pair), else the
    first pair."""
    wanted = {"frankfurt am main", "shanghai"}
    names = spec.site_names
    for s, t in spec.pairs:
        if {str(names.get(s, s)).lower(), str(names.get(t, t)).lower()} == wanted:
            return s, t
    return spec.pairs[0]


def corridor_map_html(spec: BatchSpec, net: Network) -> tuple[str, str] | None:
    """One self-contained map comparing the best route of every family (Northern, Middle,
    Southern, ...) for the representative pair, with the run's widest link status; returns the
    page and a caption, or ``None`` when no family has a route."""
    from corridor._errors import CorridorError
    from corridor.maps import route_map
    from corridor.routing import RouteResult, shortest_path

    source, target = _representative_pair(spec, net)
    paths, labels, last = [], [], None
    for fam in spec.families:
        try:
            last = shortest_path(
                net,
                source,
                target,
                status=spec.statuses[-1],
                via=list(fam.via) or None,
                avoid=list(fam.avoid) or None,
            )
        except CorridorError:
            continue
        paths.append(last.best)
        labels.append(fam.name)
    if last is None:
        return None
    order = sorted(range(len(paths)), key=lambda i: paths[i].rtt_ms)
    result = RouteResult(
        source, target, tuple(paths[i] for i in order), last.great_circle_km, last.floor_one_way_ms
    )
    names = spec.site_names
    title = f"Route families compared: {names.get(source, source)} to {names.get(target, target)}"
    m = route_map(net, result, labels=[labels[i] for i in order], title=title)
    caption = (
        f"Best route of each family from {names.get(source, source)} to "
        f"{names.get(target, target)}, links {spec.statuses[-1]}: "
        + "; ".join(f"{labels[i]} {paths[i].rtt_ms:.1f} ms" for i in order)
        + "."
    )
    # printed (PDF), the small map keeps its routes and legend: the layer switch and the title
    # block (the caption above says the same) are left out
    page = embedded_map(m)
    return page, caption


def _summary_html(
    spec: BatchSpec, summary: dict[str, Any], net: Network | None
) -> tuple[str, list[str]]:
    """The executive summary (HTML) and its Markdown lines: the question, the answer in one
    sentence, headline numbers with units and the map comparing the families."""
    fs = pd.DataFrame(summary["family_stats"])
    status = spec.statuses[-1]
    now = fs[fs["status"] == status]
    if "model" in now and len(spec.models) > 1:
        now = now[now["model"] == spec.models[0].name]
    now = now.sort_values("median_rtt_ms")
    question = (
        f"Which route family serves {summary['pairs']} Europe - Asia pairs fastest, and how "
        "much do planned links and failures change that?"
    )
    cards: list[tuple[str, str]] = []
    if len(now):
        best, rest = now.iloc[0], now.iloc[1:]
        lead = (
            f", {rest.iloc[0]['median_rtt_ms'] - best['median_rtt_ms']:.1f} ms ahead of "
            f"{rest.iloc[0]['family']}"
            if len(rest)
            else ""
        )
        answer = (
            f"With {status} links, {best['family']} is fastest for the median pair at "
            f"{best['median_rtt_ms']:.1f} ms round trip{lead}."
        )
        for row in now.itertuples(index=False):
            cards.append((f"{row.median_rtt_ms:.1f} ms", f"median RTT, {row.family}"))
        cards.append((f"{summary['pairs']}", "OD pairs compared"))
    else:
        answer = "No family reaches any pair."
    cards = cards[:5]
    head = "".join(
        f"<div><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>" for v, k in cards
    )
    body = [
        "<section class='summary' id='summary'><h2>Executive summary</h2>",
        f"<p><i>{html.escape(question)}</i></p>",
        f"<p class='answer'>{html.escape(answer)}</p>",
        f"<div class='headline'>{head}</div>",
    ]
    md = ["## Executive summary", "", f"*{_md_escape(question)}*", "", _md_escape(answer), ""]
    md += [f"* {_md_escape(v)}: {_md_escape(k)}" for v, k in cards] + [""]
    drawn = corridor_map_html(spec, net) if net is not None else None
    if drawn is not None:
        page, caption = drawn
        body.append(f"<p>{html.escape(caption)}</p>")
        body.append(
            "<iframe title='route families compared' "
            f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
        )
        md += [_md_escape(caption), ""]
    body.append("</section>")
    return "".join(body), md


def _md_escape(text: str) -> str:
    """Markdown-safe text: HTML and Markdown control characters escaped."""
    out = html.escape(str(text), quote=False)
    for ch in "\\`*_[]#|<>":
        out = out.replace(ch, "\\" + ch)
    return out


def _documents(
    spec: BatchSpec,
    summary: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    charts: dict[str, Path],
    *,
    net: Network | None = None,
) -> tuple[str, str]:
    names = spec.site_names
    sections: list[tuple[str, str, list[str], list[list[str]], str | None]] = []
    fs = pd.DataFrame(summary["family_stats"])
    cols = ["model", "status", "family", "pairs", "reachable", "median_rtt_ms", "p10_rtt_ms",
            "p90_rtt_ms", "median_stretch",
            *[f"share_crosses_{c}" for c in spec.flag_countries]]  # fmt: skip
    if len(spec.models) == 1:
        cols.remove("model")
    sections.append(("Round trip by route family",
                     "Best route per pair, no failure. Latencies in ms round trip; stretch = "
                     "route / physical floor (great circle at the speed of light in fibre).",
                     cols, _rows(fs, cols, names), "rtt_by_family"))  # fmt: skip
    sections.append(("Stretch distribution", "", [], [], "stretch"))
    sections.append(("Round trip against distance",
                     "Each family's best route per pair: expected round trip (calibrated latency "
                     "model) against the great-circle distance between the two cities. The solid "
                     "line is the physical floor (the great circle at the speed of light in "
                     "fibre); the dashed line, fitted to the fastest route of each pair, is what "
                     "to expect for a pair at a given distance.",
                     [], [], "rtt_distance"))  # fmt: skip
    sections.append(("Stretch by region pair",
                     "Median stretch (expected round trip / great-circle floor) of the pairs "
                     "between two regions (UN M49 sub-regions; a side within one sub-region by "
                     "country), for the fastest route of each pair and for each family; the "
                     "number of pairs in brackets, 'none' where no pair has a route.",
                     [], [], "stretch_regions"))  # fmt: skip
    tr = tables.get("transit", pd.DataFrame())
    if len(tr):
        c, rows = _transit_rows(tr)
        pairs = tr.attrs.get("pairs", {})
        sections.append(("Transit countries",
                         f"Links: {spec.statuses[-1]}. How many pairs' fastest routes (over "
                         "the families) cross each country between the two endpoints' own "
                         "countries, and their share of the pairs with a route "
                         f"({pairs.get('no failure', 0):,} with no failure), with no failure "
                         "and under each failure set.",
                         c, rows, None))  # fmt: skip
    g = tables["corridor_gains"]
    if len(g):
        c = ["source", "target", "corridor_rtt_ms", "best_other_rtt_ms", "best_other_family",
             "gain_ms"]  # fmt: skip
        sections.append((f"Pairs that gain most from {spec.corridor_family}",
                         f"Links: {spec.statuses[-1]}. Gain = best other family - corridor "
                         "(positive: the corridor is faster).",
                         c, _rows(g.head(spec.top), c, names), "gains"))  # fmt: skip
    pg = tables["planned_gains"]
    if len(pg):
        c = list(pg.columns)
        sections.append((f"Pairs that gain most from {spec.statuses[-1]} links",
                         f"Same family, {spec.statuses[0]} links vs {spec.statuses[-1]} links.",
                         c, _rows(pg.head(spec.top), c, names),
                         None if len(g) else "gains"))  # fmt: skip
    imp = tables["failure_impact"]
    if len(imp):
        c = list(imp.columns)
        sections.append(("Failure impact",
                         "Per failure scenario and family: pairs reachable before the failure, "
                         "how many lose every route, and the RTT increase of the others "
                         "(full restoration onto the best surviving route).",
                         c, _rows(imp.head(max(spec.top, 30)), c, names), "failures"))  # fmt: skip
    meas = tables["measured"]
    if len(meas):
        c = list(meas.columns)
        sections.append(("Measured vs model", f"Measured round trips from {spec.measured_path}.",
                         c, _rows(meas, c, names), "measured"))  # fmt: skip

    st = summary["stats"]
    intro = (
        f"{summary['pairs']} OD pairs x {len(spec.families)} route families x "
        f"{summary['scenarios']} scenarios (link status x failure x latency model); "
        f"k = {spec.k}. Network: {summary['network']['sites']} sites, "
        f"{summary['network']['links']} links. {st['rows']:,} result rows, "
        f"{summary['unreachable_rows']:,} unreachable, "
        f"{summary['approximate_rows']:,} approximate. "
        f"Computed on {st['backend']} in {st['seconds_compute']:.1f} s "
        f"({st['chunks_computed']} of {st['chunks']} chunks; the rest reused). "
        f"corridor {__version__}, scenario fingerprint {summary['fingerprint']}."
    )
    fam_lines = [f"{f.name}: via {', '.join(f.via) or '-'}; avoid {', '.join(f.avoid) or '-'}"
                 for f in spec.families]  # fmt: skip
    summary_html, summary_md = _summary_html(spec, summary, net)
    md = [f"# {_md_escape(spec.title)}", "", *summary_md, "## Detail", "", _md_escape(intro), ""]
    md += ["Route families:", ""]
    md += [f"* {_md_escape(x)}" for x in fam_lines] + [""]
    body = [f"<h1>{html.escape(spec.title)}</h1>", summary_html, "<h2>Detail</h2>"]
    body += [f"<p>{html.escape(intro)}</p>", "<ul>"]
    body += [f"<li>{html.escape(x)}</li>" for x in fam_lines] + ["</ul>"]
    for title, text, c, rows, chart in sections:
        md += [f"## {_md_escape(title)}", ""]
        body.append(f"<h2>{html.escape(title)}</h2>")
        if text:
            md += [_md_escape(text), ""]
            body.append(f"<p>{html.escape(text)}</p>")
        if chart and chart in charts:
            md += [f"![{title}](figures/{charts[chart].name})", ""]
            data = base64.b64encode(charts[chart].read_bytes()).decode()
            body.append(f'<img alt="{html.escape(title)}" src="data:image/png;base64,{data}">')
        if c:
            md += [_md_table(c, rows), ""]
            body.append(_html_table(c, rows))
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}"
        "table{border-collapse:collapse;margin:1em 0;font-size:13px}"
        "td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}"
        "th{background:#f0f0f0}" + SUMMARY_CSS
    )
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(spec.title)}</title><style>{style}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
    return "\n".join(md) + "\n", page
