"""Outputs of the investment comparison: table rows, CSV, HTML investor report, map.

The HTML report is self-contained: charts are matplotlib PNGs (Agg backend) embedded as base64.
Files are written atomically (temporary file in the same folder, then :func:`os.replace`).
"""

from __future__ import annotations

import csv
import html
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor._atomic import write_atomic
from corridor._report_style import REPORT_CSS, embedded_map, html_table, png_base64

if TYPE_CHECKING:
    from corridor.invest import InvestResult

__all__ = ["CSV_COLUMNS", "write_csv", "write_map", "write_report"]

CSV_COLUMNS = [
    "rank", "id", "name", "system", "kind", "status", "a", "b", "segments", "length_km",
    "capex_eur_m", "capex_low_eur_m", "capex_high_eur_m", "capex_basis", "cost_eur_m",
    "rtt_saved_ms", "max_rtt_saved_ms", "pairs_improved", "worst_rtt_saved_ms",
    "sla_pairs_gained", "sla_gain_pp", "backup_pairs_gained", "backup_gain_pp",
    "availability_gain_bp", "downtime_saved_min", "focus_share_before", "focus_share_after",
    "score", "benefit_per_eur_m",
]  # fmt: skip

_BACKUP_WORDS = {"link": "link-disjoint", "srlg": "SRLG-disjoint"}


def backup_words(mode: str, *, article: bool = False) -> str:
    """``"link-disjoint"`` or ``"SRLG-disjoint"`` for a backup mode (with ``"a"`` / ``"an"``)."""
    words = _BACKUP_WORDS.get(mode, mode)
    if not article:
        return words
    return f"{'an' if words.startswith('SRLG') else 'a'} {words}"


def candidate_name(result: InvestResult, cand: Any) -> str:
    """A candidate as a reader knows it: system (or name) and the sites it joins, e.g.
    "Trans-Caspian Fiber Optic, Sumgayit - Aktau"; a group adds its number of segments."""
    names = dict(zip(result.context.net.sites["id"], result.context.net.sites["name"], strict=True))
    title = str(cand.system or cand.name or cand.id)
    ends = f"{names.get(cand.a, cand.a)} - {names.get(cand.b, cand.b)}"
    extra = f" ({len(cand.segments)} segments)" if cand.is_group else ""
    return f"{title}, {ends}{extra}"


def rows(result: InvestResult) -> list[dict[str, Any]]:
    """Ranked rows (JSON-ready)."""
    return [{"rank": i + 1, **r.to_dict()} for i, r in enumerate(result.ranking)]


def geodataframe(result: InvestResult) -> Any:
    """The ranked candidates as a GeoDataFrame in EPSG:4326 (one row per candidate, its
    segments drawn as one (multi)line; list fields ``;``-joined), for GIS export."""
    import geopandas as gpd
    import shapely

    net = result.context.net
    geoms = net.links.geometry.to_numpy()
    table = []
    lines = []
    for row in rows(result):
        parts = [geoms[net.link_index(link)] for link in row["segments"]]
        lines.append(parts[0] if len(parts) == 1 else shapely.multilinestrings(parts))
        table.append({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(lines, crs="EPSG:4326"))


def write_csv(result: InvestResult, path: str | os.PathLike[str]) -> Path:
    """Write the ranked table as CSV, atomically (a group's segments joined by ``;``)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in rows(result):
        w.writerow({**row, "segments": ";".join(row["segments"])})
    return write_atomic(path, buf.getvalue())


def _charts(result: InvestResult, top: int) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    singles = [r for r in result.ranking if r.score > 0]
    ax.scatter(
        [r.candidate.capex_eur_m for r in singles],
        [r.score for r in singles],
        s=14,
        color="#94a3b8",
        label="single candidates",
    )
    if result.pareto:
        xs = [p[0] for p in result.pareto]
        ys = [p[1] for p in result.pareto]
        ax.step(xs, ys, where="post", color="#dc2626", label="Pareto front (portfolios)")
        ax.scatter(xs, ys, color="#dc2626", s=18)
    if result.best is not None:
        ax.scatter(
            [result.best.capex_eur_m],
            [result.best.score],
            marker="*",
            s=160,
            color="#f59e0b",
            label="best portfolio",
            zorder=5,
        )
    ax.set_xlabel("capex (EUR m)")
    ax.set_ylabel("benefit score (points)")
    ax.set_title("Cost vs benefit")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    pareto = png_base64(fig)

    shown = result.ranking[:top]
    fig, ax = plt.subplots(figsize=(9, 0.42 * max(3, len(shown)) + 1.4))
    labels = [candidate_name(result, r.candidate) for r in shown][::-1]
    saved = [r.metrics["rtt_saved_ms"] for r in shown][::-1]
    worst = [r.metrics["worst_rtt_saved_ms"] for r in shown][::-1]
    y = list(range(len(labels)))
    ax.barh([i + 0.2 for i in y], saved, height=0.4, color="#2563eb", label="mean RTT saved")
    ax.barh(
        [i - 0.2 for i in y],
        worst,
        height=0.4,
        color="#f97316",
        label="mean worst single-failure RTT saved",
    )
    ax.axvline(0, color="#0f172a", lw=0.8)
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel(
        f"ms saved per demand pair (before: mean RTT {result.base['mean_rtt_ms']:.1f} ms, "
        f"worst-failure {result.base['mean_worst_rtt_ms']:.1f} ms)"
    )
    ax.set_title("Round-trip time saved, per option (change, not level)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(axis="x", alpha=0.3)
    bars = png_base64(fig)
    return pareto, bars


def _summary(result: InvestResult, *, embed_map: bool) -> str:
    """The executive summary: the question, the answer in one sentence, headline numbers with
    units and the map of the recommendation (a self-contained map in an iframe)."""
    ctx = result.context
    top = result.ranking[0] if result.ranking else None
    question = (
        "Which planned or proposed link should be funded first to serve the demand "
        f"({ctx.demand.description}) faster and more reliably"
        + (f", within EUR {result.budget_eur_m:g} m" if result.budget_eur_m else "")
        + "?"
    )
    if top is None or not result.helpful:
        answer = "None of the options improves this demand on its own; keep the money."
    else:
        m = top.metrics
        answer = (
            f"Fund {candidate_name(result, top.candidate)} first: EUR "
            f"{top.candidate.capex_eur_m:.1f} m for {m['rtt_saved_ms']:.2f} ms less mean round "
            f"trip and {m['worst_rtt_saved_ms']:.2f} ms less after the worst single failure, "
            f"the most benefit per euro of the {len(result.ranking)} options."
        )
    cards = [(f"{result.base['mean_rtt_ms']:.1f} ms", "mean round trip today")]
    if top is not None:
        cards.append((f"{top.metrics['rtt_saved_ms']:.2f} ms", "mean RTT saved by the first pick"))
        cards.append((f"EUR {top.candidate.capex_eur_m:.1f} m", "capex of the first pick"))
    if result.best is not None:
        b = result.best
        cards.append(
            (f"EUR {b.capex_eur_m:.1f} m", f"best portfolio within the budget ({len(b.ids)} links)")
        )
    cards.append(
        (f"{100 * result.base['sla_share']:.1f} %", f"demand within {ctx.sla_rtt_ms:g} ms")
    )
    headline = "".join(
        f"<div><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>" for v, k in cards[:5]
    )
    parts = [
        "<section class='summary' id='summary'><h2>Executive summary</h2>",
        f"<p><i>{html.escape(question)}</i></p>",
        f"<p class='answer'>{html.escape(answer)}</p>",
        f"<div class='headline'>{headline}</div>",
    ]
    if result.best is not None and result.best.ids:
        by_id = {c.id: c for c in ctx.candidates}
        names = [candidate_name(result, by_id[i]) for i in result.best.ids if i in by_id]
        parts.append(
            f"<p>Best portfolio for EUR {result.budget_eur_m:g} m "
            f"({html.escape(result.best.method)}): {html.escape('; '.join(names))}.</p>"
        )
    if embed_map:
        page = embedded_map(candidate_map(result))
        parts.append(
            "<p>Map of the recommendation: the portfolio in violet, options colored by benefit "
            "per euro (green best), over the existing network.</p>"
            f"<iframe title='map of the recommendation' srcdoc=\"{html.escape(page, quote=True)}\">"
            "</iframe>"
        )
    parts.append("</section>")
    return "".join(parts)


def render_html(result: InvestResult, *, top: int = 15, embed_map: bool = True) -> str:
    """The investor report as one self-contained HTML page: an executive summary (question,
    answer, headline numbers, map of the recommendation), then the detail."""
    ctx = result.context
    pareto_png, bars_png = _charts(result, top)
    wt = ctx.weights
    cost_name = "annualised cost" if result.options.get("cost") == "annual" else "capex"
    backup = backup_words(ctx.backup_mode)
    a_backup = backup_words(ctx.backup_mode, article=True)
    grouped = any(r.candidate.is_group for r in result.ranking)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>corridor investment "
        f"comparison</title><style>{REPORT_CSS}</style>"
        "</head><body>",
        "<h1>Which funded link buys the most latency and resilience per euro</h1>",
        _summary(result, embed_map=embed_map),
        "<h2>Detail</h2>",
        f"<p>Demand: {html.escape(ctx.demand.description)} ({len(ctx.demand)} pairs). Base "
        f"network: existing links. SLA: {ctx.sla_rtt_ms:g} ms round trip. Base: mean RTT "
        f"{result.base['mean_rtt_ms']:.2f} ms (expected service figure, handoffs included), "
        f"mean worst single-failure RTT {result.base['mean_worst_rtt_ms']:.2f} ms (fiber and "
        f"site delays only, handoffs not counted), {100 * result.base['sla_share']:.1f} % "
        f"within SLA, {100 * result.base['backup_share']:.1f} % with {a_backup} backup "
        f"within SLA, mean protected availability "
        f"{100 * result.base.get('mean_availability', float('nan')):.3f} % "
        f"({result.base.get('mean_downtime_min', float('nan')):,.0f} minutes of downtime a "
        f"year), {100 * result.base['focus_share']:.1f} % of demand routed through "
        f"{html.escape(ctx.focus_country)}.</p>",
        "<p>Benefit score = "
        f"{wt.latency:g} x mean RTT saved (ms) + {wt.worst_failure:g} x mean worst "
        f"single-failure RTT saved (ms) + {wt.sla:g} x demand newly within SLA (pp) + "
        f"{wt.backup:g} x demand newly with an SLA-keeping {backup} backup (pp) + "
        f"{wt.availability:g} x mean downtime avoided (minutes a year). Benefit per "
        f"EUR m = score / {cost_name}. Availability: at least one route of the pair's "
        f"protection pair up (links, sites and shared-risk events; shared elements counted "
        f"once).</p>",
    ]
    if grouped:
        parts.append(
            "<p>Candidates are systems: every segment of a system added at once, capex summed "
            "(evaluated by full recomputation).</p>"
        )
    for note in result.notes:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    if not result.helpful:
        parts.append("<p class='note'><b>No option helps</b> this demand on its own.</p>")
    body = []
    for i, r in enumerate(result.ranking[:top], start=1):
        m = r.metrics
        label = candidate_name(result, r.candidate)
        body.append(
            [
                i,
                label,
                r.candidate.kind,
                f"{r.candidate.capex_eur_m:.1f}",
                f"{m['rtt_saved_ms']:.3f}",
                f"{m['worst_rtt_saved_ms']:.3f}",
                m["sla_pairs_gained"],
                m["backup_pairs_gained"],
                f"{m['downtime_saved_min']:.1f}"
                + (" (worse)" if m["downtime_saved_min"] < -0.05 else ""),
                f"{100 * m['focus_share_after']:.1f}",
                f"{m['score']:.3f}",
                f"{r.per_eur_m:.4f}",
            ]
        )
    parts.append(f"<h2>Ranking (top {min(top, len(result.ranking))} of {len(result.ranking)})</h2>")
    parts.append(
        html_table(
            [
                "#",
                "candidate",
                "kind",
                "capex EUR m",
                "RTT saved ms",
                "worst-failure saved ms",
                "pairs into SLA",
                f"pairs gaining {backup} backup",
                "downtime avoided min/yr",
                f"{ctx.focus_country} share after %",
                "score (points)",
                "points / EUR m",
            ],
            body,
        )
    )
    negative = [r for r in result.ranking[:top] if r.metrics["downtime_saved_min"] < -0.05]
    if negative:
        parts.append(
            "<p class='note'><b>Negative downtime avoided</b> for "
            + html.escape(", ".join(candidate_name(result, r.candidate) for r in negative[:4]))
            + (" and others" if len(negative) > 4 else "")
            + ": the option makes routes faster, but the faster protection pair it creates runs "
            "over less available sections (typically a submarine cable, whose repairs take "
            "weeks), so the expected downtime per year of the affected pairs rises. "
            + (
                "The score counts this against the option"
                if ctx.weights.availability > 0
                else "The score gives downtime no weight (availability weight 0), so the ranking "
                "does not count this"
            )
            + "; read it as a latency gain bought with some availability.</p>"
        )
    if result.best is not None:
        b = result.best
        parts.append(f"<h2>Best portfolio for EUR {result.budget_eur_m:g} m</h2>")
        by_id = {c.id: c for c in ctx.candidates}
        chosen = [candidate_name(result, by_id[i]) if i in by_id else i for i in b.ids]
        parts.append(
            f"<p>{html.escape('; '.join(chosen) or '(nothing)')}: capex EUR {b.capex_eur_m:.1f} m, "
            f"score {b.score:.3f} points ({b.per_eur_m:.4f} per EUR m), method {b.method}"
            f"{' (proven optimal on its pool)' if b.proven_optimal else ''}.</p>"
        )
        if result.greedy_gap is not None:
            parts.append(
                f"<p>Greedy vs exact optimum on the {len(result.pool)} strongest candidates: "
                f"gap {100 * result.greedy_gap:.2f} %.</p>"
            )
    parts.append(
        f"<h2>Cost-benefit</h2><img alt='Pareto chart' src='data:image/png;base64,{pareto_png}'>"
    )
    parts.append(
        "<h2>Before / after</h2>"
        f"<img alt='before-after chart' src='data:image/png;base64,{bars_png}'>"
    )
    if result.sensitivity:
        parts.append("<h2>Sensitivity of the ranking</h2>")
        parts.append(
            html_table(
                ["variation", "Kendall tau", "top-5 overlap", "max rank change", "top 5"],
                [
                    [
                        s.name,
                        "-" if s.kendall_tau != s.kendall_tau else f"{s.kendall_tau:.3f}",
                        f"{s.top_k_overlap:.2f}",
                        s.max_rank_change,
                        ", ".join(s.top_k),
                    ]
                    for s in result.sensitivity
                ],
            )
        )
        parts.append(
            "<p>Capex low/high: published figures +-20 %, estimates +-50 %, other +-30 % "
            "(assumption).</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(result: InvestResult, directory: str | os.PathLike[str]) -> Path:
    """Write ``invest-report.html`` (self-contained) into ``directory``; return its path."""
    return write_atomic(Path(directory) / "invest-report.html", render_html(result))


def write_map(result: InvestResult, path: str | os.PathLike[str], *, offline: bool = True) -> Path:
    """Write :func:`candidate_map` as an HTML file, atomically."""
    from corridor.maps import save_map

    return save_map(candidate_map(result, offline=offline), path)


def candidate_map(result: InvestResult, *, offline: bool = True) -> Any:
    """Network map with candidate links colored by benefit per EUR m (tertiles) and the best
    portfolio on top."""
    from corridor.maps import add_links_layer, network_map

    net = result.context.net
    m = network_map(net, status="existing", offline=offline, title="corridor investment options")
    helpful = [r for r in result.ranking if r.score > 0]
    dead = [x for r in result.ranking if r.score <= 0 for x in r.candidate.link_ids]
    n = len(helpful)
    bands = [
        helpful[: (n + 2) // 3],
        helpful[(n + 2) // 3 : 2 * (n + 2) // 3],
        helpful[2 * (n + 2) // 3 :],
    ]
    for rows_, name, color in zip(
        bands,
        ("best benefit / EUR", "middle benefit / EUR", "low benefit / EUR"),
        ("#16a34a", "#f59e0b", "#dc2626"),
        strict=True,
    ):
        if rows_:
            ids = [x for r in rows_ for x in r.candidate.link_ids]
            add_links_layer(m, net, ids, name=name, color=color)
    if dead:
        add_links_layer(
            m,
            net,
            dead,
            name="no benefit alone",
            color="#64748b",
            dash="4 6",
            weight=3.0,
            show=False,
        )
    if result.best is not None and result.best.ids:
        by_id = {c.id: c for c in result.context.candidates}
        best = [x for i in result.best.ids for x in by_id[i].link_ids]
        add_links_layer(
            m, net, best, name="best portfolio", color="#7c3aed", weight=8.0, opacity=0.5
        )
    return m
