"""The HTML investor report of the investment ranking by traffic kept.

:func:`render_traffic_html` takes the network the ranking ran on and the JSON-ready dictionary
of :meth:`corridor.capacity.invest.TrafficRanking.to_dict` (plus ``demand``), as the other
outputs in :mod:`corridor.capacity.invest_outputs` do. Optional keys are rendered when present:
``pareto`` (portfolios, each ``ids``, ``capex_eur_m``, ``npv_cost_eur_m``,
``traffic_kept_tbps``) with ``pareto_proven``, ``sensitivity``, and ``portfolio.method`` /
``proven_optimal`` / ``greedy``.

The report is one self-contained HTML page: an executive summary (the question, the answer,
headline numbers with units, a map of the recommendation with Leaflet inlined), the ranking
with every column's unit and definition, charts (Tbps kept per candidate by scenario; lifetime
cost vs Tbps kept) as embedded PNGs, the portfolio, Pareto front and sensitivity where given,
and the notes. It is written atomically (:mod:`corridor._atomic`).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from corridor._atomic import write_atomic
from corridor._report_style import REPORT_CSS, embedded_map, html_table, png_base64
from corridor.capacity.invest_outputs import (
    PORTFOLIO_COLOR,
    candidate_label,
    fmt,
    portfolio_ids,
    scenario_names,
    traffic_map,
)
from corridor.network import Network

__all__ = ["DEFINITIONS", "REPORT_NAME", "render_traffic_html", "write_traffic_report"]

#: File name of the report inside ``--report DIR`` (as the latency ranking's).
REPORT_NAME = "invest-report.html"

#: One-line definition of each score, shown under the ranking table.
DEFINITIONS = (
    ("Tbps kept", "traffic carried with the candidate minus without it, in the scenario "
     "(expected over the scenarios, weighted by annual probability; equal weights when a "
     "scenario has none), from the multi-commodity flow"),
    ("NPV EUR m", "capex now plus opex each year of the lifetime, discounted: the lifetime "
     "cost"),
    ("Tbps / EUR m", "Tbps kept per EUR million of lifetime cost: the ranking score"),
    ("EUR m / Tbps", "lifetime cost per protected Tbps (the inverse; '-' when nothing is kept)"),
)  # fmt: skip
_CSS = (
    ".defs{font-size:13px;color:#334155}iframe{height:760px}"
    ".ranking td:nth-child(-n+4),.ranking th:nth-child(-n+4){text-align:left}"
    ".ranking td:first-child,.ranking th:first-child{text-align:right}"
)
_SCENARIO_COLORS = ("#2563eb", "#f97316", "#0d9488", "#a21caf", "#65a30d", "#b91c1c")


# -- charts -------------------------------------------------------------------------------------
def _short(text: str, width: int = 46) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _charts(net: Network, data: Mapping[str, Any], top: int) -> tuple[str | None, str | None]:
    """Tbps kept per candidate by scenario (bars) and lifetime cost vs Tbps kept (scatter)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    names = scenario_names(data)
    ranking = list(data.get("ranking", []))
    helpful = [r for r in ranking if r["traffic_kept_tbps"] > 0][:top]
    bars = scatter = None
    if helpful:
        shown = helpful[::-1]
        labels = [f"#{r['rank']} {_short(candidate_label(net, r), 58)}" for r in shown]
        k = len(names)
        height = 0.8 / k
        fig, ax = plt.subplots(figsize=(9.5, 0.32 * max(4, len(shown)) * max(1, k**0.5) + 1.3))
        for j, name in enumerate(names):
            vals = [r.get("kept_by_scenario_tbps", {}).get(name) or 0.0 for r in shown]
            pos = [i + (j - (k - 1) / 2) * height for i in range(len(shown))]
            drawn = ax.barh(
                pos,
                vals,
                height=height * 0.92,
                color=_SCENARIO_COLORS[j % len(_SCENARIO_COLORS)],
                label=f"under {name}",
            )
            ax.bar_label(drawn, fmt="%.2f", padding=3, fontsize=7)
        if k > 1:
            ax.scatter(
                [r["traffic_kept_tbps"] for r in shown],
                range(len(shown)),
                marker="D",
                s=22,
                color="#0f172a",
                zorder=5,
                label="expected (probability-weighted)",
            )
        ax.set_yticks(range(len(shown)), labels, fontsize=8)
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.set_xlim(0, 1.12 * max(r["traffic_kept_tbps"] for r in helpful) + 1e-9)
        ax.margins(x=0.08)
        ax.set_xlabel("Tbps kept flowing that would otherwise be unserved")
        ax.set_title("Traffic kept per candidate, by scenario (candidates that keep any)")
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        bars = png_base64(fig)
    if ranking:
        fig, ax = plt.subplots(figsize=(8, 4.6))
        chosen = set(portfolio_ids(data))
        dead = [r for r in ranking if r["traffic_kept_tbps"] <= 0]
        live = [r for r in ranking if r["traffic_kept_tbps"] > 0]
        ax.scatter(
            [r["npv_cost_eur_m"] for r in dead],
            [0.0] * len(dead),
            s=12,
            color="#cbd5e1",
            label=f"keeps nothing alone ({len(dead)})",
        )
        ax.scatter(
            [r["npv_cost_eur_m"] for r in live],
            [r["traffic_kept_tbps"] for r in live],
            s=[46 if r["id"] in chosen else 20 for r in live],
            color=[PORTFOLIO_COLOR if r["id"] in chosen else "#2563eb" for r in live],
            label=f"single candidates ({len(live)}; violet: in the portfolio)",
            zorder=3,
        )
        _rank_labels(ax, live[:8], ranking)
        pareto = data.get("pareto") or []
        if pareto:
            pts = sorted(
                (float(p["npv_cost_eur_m"]), float(p["traffic_kept_tbps"])) for p in pareto
            )
            ax.step(
                [p[0] for p in pts],
                [p[1] for p in pts],
                where="post",
                color="#dc2626",
                label="Pareto front (portfolios)",
            )
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=16, color="#dc2626")
        port = data.get("portfolio") or {}
        if port.get("ids"):
            ax.scatter(
                [port["npv_cost_eur_m"]],
                [port["traffic_kept_tbps"]],
                marker="*",
                s=220,
                color="#f59e0b",
                edgecolor="#0f172a",
                linewidth=0.6,
                zorder=6,
                label=f"portfolio for EUR {data.get('budget_eur_m'):g} m capex",
            )
        best = max((r["kept_tbps_per_eur_m"] for r in live), default=0.0)
        if best > 0:
            x1 = max(r["npv_cost_eur_m"] for r in ranking)
            ax.plot(
                [0, x1],
                [0, best * x1],
                ls=":",
                color="#16a34a",
                lw=1,
                label=f"first pick's rate, {best:.3f} Tbps per EUR m",
            )
        ymax = max(
            [r["traffic_kept_tbps"] for r in ranking]
            + [float(p["traffic_kept_tbps"]) for p in pareto]
            + [float(port.get("traffic_kept_tbps") or 0.0)]
        )
        ax.set_ylim(-0.04 * max(ymax, 1e-9), 1.12 * max(ymax, 1e-9))
        ax.set_xlim(left=0)
        ax.set_xlabel("lifetime cost, NPV (EUR m)")
        ax.set_ylabel("Tbps kept (expected over the scenarios)")
        ax.set_title("Cost vs traffic kept (labels: rank)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        scatter = png_base64(fig)
    return bars, scatter


def _rank_labels(ax: Any, rows: Sequence[Mapping[str, Any]], every: Sequence[Any]) -> None:
    """Label the points of ``rows`` with their ranks; points that would overlap (within 4 % of
    each axis' span) share one label, e.g. "#3-#6"."""
    xspan = max(r["npv_cost_eur_m"] for r in every) or 1.0
    yspan = max(r["traffic_kept_tbps"] for r in every) or 1.0
    clusters: list[list[Mapping[str, Any]]] = []
    for r in rows:
        for c in clusters:
            if (
                abs(c[0]["npv_cost_eur_m"] - r["npv_cost_eur_m"]) < 0.04 * xspan
                and abs(c[0]["traffic_kept_tbps"] - r["traffic_kept_tbps"]) < 0.04 * yspan
            ):
                c.append(r)
                break
        else:
            clusters.append([r])
    for c in clusters:
        ranks = sorted(r["rank"] for r in c)
        text = f"#{ranks[0]}" if len(ranks) == 1 else f"#{ranks[0]}-#{ranks[-1]}"
        if len(ranks) > 1 and ranks[-1] - ranks[0] + 1 != len(ranks):
            text = "/".join(f"#{k}" for k in ranks)
        ax.annotate(
            text,
            (max(r["npv_cost_eur_m"] for r in c), c[0]["traffic_kept_tbps"]),
            xytext=(6, 5),
            textcoords="offset points",
            fontsize=8,
        )


# -- report -------------------------------------------------------------------------------------
def _sentences(text: str) -> list[str]:
    """Split prose into sentences at '. ' before a capital (numbers like 8.4 stay whole)."""
    return [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text.strip()) if s]


def _tbps(value: Any) -> str:
    return fmt(value, ",.2f", " Tbps")


def _summary(net: Network, data: Mapping[str, Any], *, embed_map: bool, failed: Any) -> str:
    names = scenario_names(data)
    scen = ", ".join(names)
    ranking = list(data.get("ranking", []))
    budget = data.get("budget_eur_m")
    question = (
        "Which funded links keep the most Europe - Asia traffic flowing under "
        f"{scen}, per euro of lifetime cost"
        + (f", within EUR {budget:g} m of capex" if budget is not None else "")
        + "?"
    )
    why = _sentences(str(data.get("why") or ""))
    cards = [(fmt(data.get("demand_tbps"), ",.1f", " Tbps"), "demand to carry (Europe - Asia)")]
    base = [s.get("base_carried_tbps") for s in data.get("scenarios", [])]
    if len(names) <= 3:
        cards.append(
            (
                " / ".join(fmt(b, ",.1f") for b in base) + " Tbps",
                f"carried without new links under {' / '.join(names)} (normally "
                f"{fmt(data.get('normal_carried_tbps'), ',.1f')})",
            )
        )
    else:
        cards.append(
            (
                f"{min(base):,.1f}-{max(base):,.1f} Tbps",
                f"carried without new links under the {len(names)} scenarios",
            )
        )
    top = ranking[0] if ranking and ranking[0]["traffic_kept_tbps"] > 0 else None
    if top is not None:
        cards.append((_tbps(top["traffic_kept_tbps"]), "kept by the first pick"))
        cpt = top.get("cost_per_protected_tbps_eur_m")
        cards.append((f"EUR {fmt(cpt, ',.1f')} m", "first pick's lifetime cost per protected Tbps"))
    port = data.get("portfolio") or {}
    if budget is not None:
        cards.append(
            (
                _tbps(port.get("traffic_kept_tbps")),
                f"kept by the portfolio: {len(port.get('ids') or [])} links, EUR "
                f"{fmt(port.get('capex_eur_m'), ',.1f')} m of EUR {budget:g} m",
            )
        )
    headline = "".join(
        f"<div><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>" for v, k in cards[:5]
    )
    parts = [
        "<section class='summary' id='summary'><h2>Executive summary</h2>",
        f"<p><i>{html.escape(question)}</i></p>",
        f"<p class='answer'>{html.escape(why[0] if why else 'No answer.')}</p>",
    ]
    if top is not None:
        parts.append(
            f"<p>First pick: <b>{html.escape(candidate_label(net, top))}</b> "
            f"({html.escape(top['id'])}, {html.escape(str(top.get('kind')))}, "
            f"{html.escape(str(top.get('status')))}).</p>"
        )
    if len(why) > 1:
        parts.append(f"<p>{html.escape(' '.join(why[1:]))}</p>")
    parts.append(f"<div class='headline'>{headline}</div>")
    by_id = {r["id"]: r for r in ranking}
    if port.get("ids"):
        labels = [candidate_label(net, by_id[i]) if i in by_id else i for i in port["ids"]]
        parts.append(
            f"<p>Portfolio for EUR {budget:g} m ({html.escape(str(port.get('method', '')))}): "
            f"{html.escape('; '.join(labels))}.</p>"
        )
    if embed_map:
        page = embedded_map(traffic_map(net, data, failed=failed))
        what = "the portfolio" if port.get("ids") else "the first pick"
        parts.append(
            f"<p>Map of the recommendation: {what} in violet, candidates colored by Tbps kept "
            "per EUR m (green best), links out under the scenario dashed grey, over the "
            "existing network. Click a candidate for its numbers.</p>"
            f"<iframe title='map of the recommendation' srcdoc=\"{html.escape(page, quote=True)}\">"
            "</iframe>"
        )
    parts.append("</section>")
    return "".join(parts)


def _ranking_table(net: Network, data: Mapping[str, Any], top: int) -> str:
    names = scenario_names(data)
    ranking = list(data.get("ranking", []))
    chosen = set(portfolio_ids(data))
    per_scenario = len(names) > 1
    normal = any(r.get("traffic_added_normal_tbps") is not None for r in ranking)
    head = ["#", "candidate", "id", "kind, status", "capex EUR m", "NPV EUR m"]
    head.append("Tbps kept (expected)" if per_scenario else f"Tbps kept under {names[0]}")
    if per_scenario:
        head += [f"Tbps kept under {n}" for n in names]
    if normal:
        head.append("Tbps added, no scenario")
    head += ["Tbps / EUR m", "EUR m / Tbps", "portfolio"]
    body = []
    for r in ranking[:top]:
        cells: list[Any] = [
            r["rank"],
            candidate_label(net, r),
            r["id"],
            f"{r.get('kind')}, {r.get('status')}",
            fmt(r["capex_eur_m"], ",.1f"),
            fmt(r["npv_cost_eur_m"], ",.1f"),
            fmt(r["traffic_kept_tbps"], ".2f"),
        ]
        if per_scenario:
            cells += [fmt(r["kept_by_scenario_tbps"].get(n), ".2f") for n in names]
        if normal:
            cells.append(fmt(r.get("traffic_added_normal_tbps"), ".2f"))
        cells += [
            fmt(r["kept_tbps_per_eur_m"], ".4f"),
            fmt(r.get("cost_per_protected_tbps_eur_m"), ",.1f"),
            "yes" if r["id"] in chosen else "",
        ]
        body.append(cells)
    defs = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}.</li>" for k, v in DEFINITIONS)
    if normal:
        defs += (
            "<li><b>Tbps added, no scenario</b>: extra traffic carried with the candidate "
            "when nothing fails.</li>"
        )
    shown = min(top, len(ranking))
    return (
        f"<h2 id='ranking'>Ranking (top {shown} of {len(ranking)} candidates)</h2>"
        + f"<div class='ranking'>{html_table(head, body)}</div>"
        + f"<ul class='defs'>{defs}</ul>"
    )


def _portfolio_section(net: Network, data: Mapping[str, Any]) -> str:
    port = data.get("portfolio") or {}
    budget = data.get("budget_eur_m")
    if budget is None:
        return ""
    by_id = {r["id"]: r for r in data.get("ranking", [])}

    def names(ids: Sequence[str]) -> str:
        return "; ".join(candidate_label(net, by_id[i]) if i in by_id else i for i in ids)

    parts = [f"<h2 id='portfolio'>Portfolio for EUR {budget:g} m of capex</h2>"]
    ids = port.get("ids") or []
    proven = port.get("proven_optimal")
    claim = ""
    if proven is True:
        claim = " Proven optimal over the candidates it considered."
    elif proven is False:
        claim = " Not proven optimal."
    parts.append(
        f"<p>{html.escape(names(ids) or '(nothing keeps traffic within the budget)')}: capex "
        f"EUR {fmt(port.get('capex_eur_m'), ',.1f')} m, lifetime cost EUR "
        f"{fmt(port.get('npv_cost_eur_m'), ',.1f')} m, keeps "
        f"{_tbps(port.get('traffic_kept_tbps'))}. Method: "
        f"{html.escape(str(port.get('method', 'n/a')))}.{claim}</p>"
    )
    greedy = port.get("greedy")
    if isinstance(greedy, Mapping):
        parts.append(
            "<p>Greedy portfolio for comparison: "
            f"{html.escape(names(greedy.get('ids') or []) or '(nothing)')}: capex EUR "
            f"{fmt(greedy.get('capex_eur_m'), ',.1f')} m, keeps "
            f"{_tbps(greedy.get('traffic_kept_tbps'))}.</p>"
        )
    elif greedy is not None:
        parts.append(f"<p>Greedy portfolio for comparison: {html.escape(str(greedy))}.</p>")
    pareto = data.get("pareto") or []
    if pareto:
        proven_front = data.get("pareto_proven")
        parts.append(
            "<h3>Pareto front (no cheaper portfolio keeps as much traffic)</h3>"
            + (
                "<p>Proven: every portfolio of the candidates considered was weighed.</p>"
                if proven_front is True
                else "<p>Not proven: a heuristic front; a cheaper portfolio keeping as much "
                "may exist.</p>"
                if proven_front is False
                else ""
            )
        )
        rows = [
            [
                i + 1,
                names(p.get("ids") or []) or "(nothing)",
                fmt(p.get("capex_eur_m"), ",.1f"),
                fmt(p.get("npv_cost_eur_m"), ",.1f"),
                fmt(p.get("traffic_kept_tbps"), ".2f"),
            ]
            for i, p in enumerate(sorted(pareto, key=lambda p: float(p["npv_cost_eur_m"])))
        ]
        parts.append(html_table(["#", "portfolio", "capex EUR m", "NPV EUR m", "Tbps kept"], rows))
    return "".join(parts)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return fmt(value, ".4g")
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return "-" if value is None else str(value)


def _sensitivity_section(data: Mapping[str, Any]) -> str:
    """The sensitivity of the ranking, rendered from whatever shape it has (a list of rows, a
    mapping of rows or of values)."""
    sens = data.get("sensitivity")
    if not sens:
        return ""
    parts = ["<h2 id='sensitivity'>Sensitivity of the ranking</h2>"]
    if isinstance(sens, Mapping) and "thresholds" in sens and "monte_carlo" in sens:
        return "".join(parts) + _probability_sensitivity(sens)
    if isinstance(sens, Mapping):
        rows = [v for v in sens.values() if isinstance(v, Mapping)]
        if rows and len(rows) == len(sens):
            sens = [{"case": k, **v} for k, v in sens.items()]
        else:
            note = sens.get("note") or sens.get("method")
            if note:
                parts.append(f"<p>{html.escape(str(note))}</p>")
            body = [[k, _cell(v)] for k, v in sens.items() if k not in ("note", "method")]
            parts.append(html_table(["", "value"], body))
            return "".join(parts)
    if isinstance(sens, Sequence) and not isinstance(sens, str):
        rows = [r for r in sens if isinstance(r, Mapping)]
        keys: list[str] = []
        for r in rows:
            keys += [k for k in r if k not in keys]
        parts.append(html_table(keys, [[_cell(r.get(k)) for k in keys] for r in rows]))
    else:
        parts.append(f"<p>{html.escape(_cell(sens))}</p>")
    return "".join(parts)


def _probability_sensitivity(sens: Mapping[str, Any]) -> str:
    """Thresholds per scenario probability and the Monte Carlo over probabilities
    (:func:`corridor.capacity.sensitivity.probability_sensitivity`)."""
    leader = html.escape(str(sens["leader"]))
    out = [
        f"<p>How far each scenario's annual probability may move before {leader} stops leading "
        "(Tbps kept per EUR m, scenarios weighted by probability).</p>"
    ]
    body = []
    for t in sens["thresholds"]:
        up = f"x {t['multiply_by']:.2f}: {t['leader_then']}" if t.get("multiply_by") else "never"
        down = (
            f"/ {t['divide_by']:.2f}: {t['leader_then_divided']}" if t.get("divide_by") else "never"
        )
        body.append([str(t["scenario"]), up, down])
    out.append(
        html_table(["scenario", "leader changes when multiplied by", "when divided by"], body)
    )
    mc = sens["monte_carlo"]
    out.append(
        f"<p>Monte Carlo: {int(mc['draws'])} draws (seed {mc['seed']}), each probability times "
        f"a factor {html.escape(str(mc['factor']))}; share of draws in which a candidate leads "
        "and is in the top 3.</p>"
    )
    rows = [
        [str(c["id"]), f"{100 * c['leads_share']:.1f} %", f"{100 * c['top3_share']:.1f} %"]
        for c in mc["candidates"][:10]
    ]
    out.append(html_table(["candidate", "leads", "in the top 3"], rows))
    return "".join(out)


def render_traffic_html(
    net: Network,
    data: Mapping[str, Any],
    *,
    top: int = 15,
    embed_map: bool = True,
    failed: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The report as one self-contained HTML page (see the module docstring).

    Parameters
    ----------
    net
        The candidate network the ranking ran on.
    data
        :meth:`~corridor.capacity.invest.TrafficRanking.to_dict` (plus ``demand``).
    top
        Candidates in the table and the bar chart.
    embed_map
        Embed the map of the recommendation (Leaflet inlined) in the summary.
    failed
        Link ids each scenario takes out (scenario name -> ids), drawn on the map.
    """
    names = scenario_names(data)
    bars, scatter = _charts(net, data, top)
    cost = data.get("cost_model") or {}
    life = cost.get("lifetime_years")
    sla = data.get("sla_rtt_ms")
    scen_rows = [
        [s["name"], fmt(s.get("weight"), "g"), fmt(s.get("base_carried_tbps"), ",.2f")]
        for s in data.get("scenarios", [])
    ]
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>corridor investment by "
        f"traffic kept</title><style>{REPORT_CSS}{_CSS}</style></head><body>",
        "<h1>Which funded links keep the most Europe - Asia traffic flowing, per euro</h1>",
        _summary(net, data, embed_map=embed_map, failed=failed),
        "<h2>Detail</h2>",
        f"<p>Demand: {html.escape(str(data.get('demand', 'n/a')))}. "
        "Without new links the network carries "
        f"{_tbps(data.get('normal_carried_tbps'))} when nothing fails"
        + (f"; only traffic within {sla:g} ms round trip counts" if sla else "")
        + ". Cost model: discount rate "
        f"{100 * float(cost.get('discount_rate', 0.0)):g} %, opex "
        f"{100 * float(cost.get('opex_share', 0.0)):g} % of capex a year where a candidate "
        "gives none, lifetime "
        + (
            f"{life:g} years for every candidate"
            if life
            else "each candidate's (25 years unless given)"
        )
        + ".</p>",
        "<h3>Scenarios</h3>",
        html_table(["scenario", "weight", "carried without new links, Tbps"], scen_rows),
        _ranking_table(net, data, top) if data.get("ranking") else "<p>No candidates.</p>",
    ]
    if bars:
        parts.append(
            f"<h2 id='charts'>Traffic kept per candidate</h2><img alt='Tbps kept per candidate "
            f"by scenario' src='data:image/png;base64,{bars}'>"
        )
    if scatter:
        parts.append(
            "<h2>Cost vs traffic kept</h2><img alt='lifetime cost vs Tbps kept' "
            f"src='data:image/png;base64,{scatter}'>"
        )
    parts.append(_portfolio_section(net, data))
    parts.append(_sensitivity_section(data))
    notes = list(data.get("notes") or [])
    if notes:
        parts.append("<h2 id='notes'>Notes</h2>")
        parts += [f"<p class='note'>{html.escape(str(n))}</p>" for n in notes]
    stats = data.get("stats") or {}
    if stats:
        parts.append(
            f"<p class='defs'>{fmt(stats.get('flow_solves'), 'd')} flow problems solved for "
            f"{fmt(stats.get('candidates'), 'd')} candidates under "
            f"{html.escape(', '.join(names))}.</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_traffic_report(
    net: Network,
    data: Mapping[str, Any],
    directory: str | os.PathLike[str],
    *,
    top: int = 15,
    failed: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write ``DIR/invest-report.html`` (self-contained), atomically; return its path."""
    page = render_traffic_html(net, data, top=top, failed=failed)
    return write_atomic(Path(directory) / REPORT_NAME, page, what="report")
