"""Command-line wiring of the investment comparison: ``corridor invest``.

:func:`register` adds the subcommand; its handler loads the network with the CLI's
loader, runs :func:`corridor.invest.analyze`, prints a ranked table and the best portfolio
(or JSON), and writes the optional CSV, HTML report and map. It returns exit codes and raises
corridor errors (the caller's ``main()`` prints them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from corridor._errors import RequestError
from corridor.cli._common import (
    Formatter,
    Subparsers,
    add_common_options,
    add_export_options,
    add_map_mode_options,
    console,
    fit_table,
    load_network_from_args,
    map_offline,
    nonnegative_float,
    nonnegative_int,
    output_file,
    positive_float,
    positive_int,
    print_left_out,
    wants_exports,
    write_exports,
    year,
)

if TYPE_CHECKING:
    from corridor.capacity.scenarios import ResolvedScenario
    from corridor.network import Network

__all__ = ["cmd_invest", "register"]

EPILOG = (
    "examples:\n"
    "  corridor invest\n"
    "  corridor invest --budget 300\n"
    "  corridor invest --budget 300 --candidates data/candidates/example.csv --report out/\n"
    "  corridor invest --budget 150 --sla-rtt 120 --csv ranking.csv --json\n"
    "  corridor invest --budget 300 --backup srlg\n"
    "  corridor invest --budget 300 --group system\n"
    "\n"
    "Candidates: every planned and proposed link, plus --candidates FILE (GeoJSON lines or CSV\n"
    "a,b,kind,capex_eur_m[,waypoints,opex_eur_m_per_year,lifetime_years,group,\n"
    "group_capex_eur_m]; rows sharing a group are one candidate). --group system funds each\n"
    "planned system as one candidate (all its segments, capex summed). --backup srlg counts a\n"
    "backup only when it shares no shared-risk group (duct, sea chokepoint) with the primary\n"
    "(slower: a heuristic per OD pair). Demand: every European city x every Chinese / East\n"
    "Asian city, equal weights, or --demand CSV (source,target,weight). Columns: downtime\n"
    "avoided = mean protected-pair downtime saved, minutes a year (corridor.resilience\n"
    "availability model). Benefit score and metrics: see corridor.invest.metrics."
)


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor invest`` to a subparsers object.

    The handler is set as ``func``; returns the subparser.
    """
    p = subparsers.add_parser(
        "invest",
        help="rank planned / proposed links by latency and resilience per euro",
        description="Which funded link buys the most latency and resilience per euro.",
        formatter_class=Formatter,
        epilog=EPILOG,
    )
    g = p.add_argument_group("investment")
    g.add_argument(
        "--budget", type=positive_float, metavar="EUR_M", help="capex budget, EUR millions"
    )
    g.add_argument("--candidates", metavar="FILE", help="extra candidates (GeoJSON or CSV)")
    g.add_argument("--demand", metavar="CSV", help="OD pairs source,target,weight")
    g.add_argument(
        "--sla-rtt",
        type=positive_float,
        metavar="MS",
        help="round-trip SLA (default 150 ms; with --scenario: none, else traffic must arrive "
        "within it to count)",
    )
    g.add_argument("--report", metavar="DIR", help="write DIR/invest-report.html")
    g.add_argument(
        "--years",
        type=year,
        nargs="+",
        metavar="Y",
        help="one analysis per year on the network as of that year (as --year), side by side; "
        "with --report DIR each year's report goes to DIR/year-Y",
    )
    g.add_argument(
        "--pdf",
        action="store_true",
        help="with --report: also print DIR/invest-report.pdf (headless Chromium)",
    )
    g.add_argument("--csv", type=output_file, metavar="FILE", help="write the ranked table as CSV")
    g.add_argument(
        "--map", type=output_file, metavar="FILE", help="write a map of the candidates (HTML)"
    )
    add_map_mode_options(g)
    g.add_argument(
        "--exact-max",
        type=nonnegative_int,
        default=12,
        metavar="N",
        help="exact portfolio search over the N strongest candidates",
    )
    g.add_argument("--top", type=positive_int, default=15, metavar="N", help="rows to print")
    g.add_argument("--no-sensitivity", action="store_true", help="skip the sensitivity analysis")
    g.add_argument(
        "--cost",
        choices=["capex", "annual"],
        default="capex",
        help="denominator of benefit per EUR: capex or annualised cost (8%%, lifetime, opex)",
    )
    g.add_argument(
        "--backup",
        default="link",
        metavar="MODE",
        help="what counts as a backup: link (link-disjoint, default) or srlg (SRLG-disjoint)",
    )
    g.add_argument(
        "--group",
        default="none",
        metavar="KEY",
        help="fund candidates together: none (default) or system (every segment of a system)",
    )
    g.add_argument(
        "--availability-weight",
        type=nonnegative_float,
        default=0.0,
        metavar="W",
        help="score per minute of mean downtime avoided a year (default 0: reported only)",
    )
    t = p.add_argument_group(
        "traffic kept (with --scenario: rank by Tbps kept flowing per euro of lifetime cost)"
    )
    t.add_argument(
        "--discount-rate", type=nonnegative_float, default=0.08, help="for the NPV of cost"
    )
    t.add_argument(
        "--opex-share",
        type=nonnegative_float,
        default=0.03,
        help="opex a year as a share of capex, where a candidate gives none",
    )
    t.add_argument(
        "--lifetime",
        type=positive_float,
        metavar="YEARS",
        help="economic life of every candidate (default: each candidate's, 25 unless given)",
    )
    t.add_argument(
        "--total-tbps",
        type=positive_float,
        default=None,
        metavar="T",
        help="gravity demand total (default: corridor.capacity.demand.DEFAULT_TOTAL_TBPS)",
    )
    t.add_argument(
        "--pool", type=positive_int, default=8, help="strongest candidates the portfolio considers"
    )
    t.add_argument(
        "--normal",
        action="store_true",
        help="also report each candidate's Tbps added with no scenario (one more flow each)",
    )
    t.add_argument(
        "--max-solves",
        type=nonnegative_int,
        default=None,
        metavar="N",
        help="flow solves the exact portfolio search may spend, and the Pareto search as many "
        "(default corridor.capacity.invest.DEFAULT_MAX_SOLVES); past it: best found, not proven",
    )
    t.add_argument(
        "--no-exact", action="store_true", help="with --budget: the greedy portfolio only"
    )
    t.add_argument(
        "--pareto",
        action="store_true",
        help="Pareto front of NPV cost against Tbps kept, within --budget or --pareto-max-eur",
    )
    t.add_argument(
        "--pareto-max-eur",
        type=positive_float,
        metavar="EUR_M",
        help="capex cap of the Pareto front (default: --budget)",
    )
    t.add_argument(
        "--draws",
        type=positive_int,
        default=1000,
        help="Monte Carlo draws over scenario probabilities (sensitivity, 2+ scenarios)",
    )
    t.add_argument("--seed", type=nonnegative_int, default=0, help="seed of those draws")
    add_common_options(p)
    add_export_options(p)
    p.set_defaults(func=cmd_invest)
    return p


def _kernels_cold() -> bool:
    """Whether the routing or invest kernels have no numba cache yet (first use compiles)."""
    from corridor import invest
    from corridor.cli._common import kernels_cold

    cache = Path(invest.__file__).resolve().parent / "__pycache__"
    return kernels_cold("dijkstra", "disjoint") or not any(cache.glob("_kernels.*.nbi"))


@contextlib.contextmanager
def _progress_bar(
    *,
    notice: str | None = None,
    quiet: bool = False,
    preparing: str = "preparing",
    after: str = "ranking, portfolios and sensitivity",
) -> Iterator[Callable[[str, int, int], None]]:
    """Progress on stderr while the analysis runs; yields ``progress(stage, done, total)``.

    A one-line notice first (when routing kernels compile, and ``notice``) unless ``quiet``
    (``--json``) and standard error is not a terminal. On a terminal, a transient bar per stage
    and, between stages (``preparing`` before the first, then ranking, portfolio and
    sensitivity work that reports no count), a spinner saying what runs.
    """
    err = console(stderr=True)
    if err.is_terminal or not quiet:
        if _kernels_cold():
            err.print("compiling routing kernels once, about 20 s (cached for later runs)")
        if notice:
            err.print(notice)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        tasks: dict[str, Any] = {}
        between = bar.add_task(preparing, total=None)

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                bar.update(between, visible=False)
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)
            if done >= total:
                bar.update(tasks[stage], visible=False)
                bar.update(between, visible=True, description=after)

        yield progress


def _traffic(args: argparse.Namespace) -> int:
    """``corridor invest --scenario ...``: rank candidates by traffic kept per euro."""
    from corridor.capacity.demand import DEFAULT_TOTAL_TBPS, gravity_demand, read_demand_csv
    from corridor.capacity.invest import DEFAULT_MAX_SOLVES, CostModel, rank_by_traffic
    from corridor.capacity.scenarios import load_scenario, resolve
    from corridor.cli._common import split_values
    from corridor.invest import read_candidates
    from corridor.invest.candidates import candidate_network

    names = split_values([args.scenario])
    if args.pareto and args.budget is None and args.pareto_max_eur is None:
        msg = "--pareto needs --budget or --pareto-max-eur (the capex cap of the front)"
        raise RequestError(msg)
    args.scenario = None  # the scenario fails elements in the flow, not in the loaded network
    net = load_network_from_args(args)
    extra = read_candidates(net, args.candidates) if args.candidates else None
    cnet, cands = candidate_network(net, extra, group=args.group)
    scenarios = [resolve(cnet, load_scenario(n)) for n in names]
    if args.demand:
        demand = read_demand_csv(cnet, args.demand)
    else:
        demand = gravity_demand(cnet, total_tbps=args.total_tbps or DEFAULT_TOTAL_TBPS)
    with _progress_bar(
        quiet=args.json, preparing="preparing the flow problems", after="ranking and portfolio"
    ) as progress:
        result = rank_by_traffic(
            cnet,
            cands,
            demand,
            scenarios=scenarios,
            sla_rtt_ms=args.sla_rtt,
            cost=CostModel(
                discount_rate=args.discount_rate,
                opex_share=args.opex_share,
                lifetime_years=args.lifetime,
            ),
            budget_eur_m=args.budget,
            pool=args.pool,
            with_normal=args.normal,
            exact=not args.no_exact,
            max_solves=DEFAULT_MAX_SOLVES if args.max_solves is None else args.max_solves,
            pareto=args.pareto,
            pareto_max_eur_m=args.pareto_max_eur,
            sensitivity=not args.no_sensitivity,
            draws=args.draws,
            seed=args.seed,
            progress=progress,
        )
    data = result.to_dict()
    data["demand"] = demand.description
    written = _write_traffic(args, cnet, data, scenarios)
    if args.json:
        data["written"] = written
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        con = console()
        base = ", ".join(f"{s['name']} {s['base_carried_tbps']:.1f}" for s in data["scenarios"])
        con.print(
            f"[bold]{len(result.ranking)} candidates[/bold] by Tbps kept per EUR m of lifetime "
            f"cost; demand {demand.description}; carried without candidates: normal "
            f"{data['normal_carried_tbps']:.1f} Tbps, {base} Tbps"
        )
        cols = [
            ("#", "right", 0),
            ("candidate", "left", 0),
            ("capex M€", "right", 2),
            ("NPV M€", "right", 0),
            ("kept Tbps", "right", 0),
            ("Tbps /M€", "right", 0),
            ("M€ per Tbps", "right", 1),
        ]
        rows = []
        for row in data["ranking"][: args.top]:
            cpt = row["cost_per_protected_tbps_eur_m"]
            rows.append(
                [
                    str(row["rank"]),
                    row["id"],
                    f"{row['capex_eur_m']:.1f}",
                    f"{row['npv_cost_eur_m']:.1f}",
                    f"{row['traffic_kept_tbps']:.2f}",
                    f"{row['kept_tbps_per_eur_m']:.4f}",
                    "-" if cpt is None else f"{cpt:.1f}",
                ]
            )
        tab, _ = fit_table(con, cols, rows)
        con.print(tab)
        port = data["portfolio"]
        if args.budget is not None:
            _print_portfolio(con, args.budget, port)
        if "pareto" in data:
            _print_pareto(con, data)
        _print_sensitivity(con, data.get("sensitivity"))
        con.print(result.why)
        for note in result.notes:
            con.print(f"note: {note}")
        for what, path in written.items():
            con.print(f"wrote {what} {path}")
    return 0 if result.ranking and result.ranking[0].traffic_kept_tbps > 0 else 1


def _write_traffic(
    args: argparse.Namespace,
    net: Network,
    data: dict[str, Any],
    scenarios: Sequence[ResolvedScenario],
) -> dict[str, str]:
    """Write the traffic ranking's --csv, --report (--pdf), --map and GIS exports; return
    {kind: path} of what was written."""
    from corridor.capacity import invest_outputs as out
    from corridor.capacity.invest_report import write_traffic_report

    look = net.lookup
    failed = {s.scenario.name: [look.link_id[li] for li in s.links] for s in scenarios}
    written: dict[str, str] = {}
    if args.csv:
        written["csv"] = str(out.write_traffic_csv(net, data, args.csv))
    if args.report:
        report = write_traffic_report(net, data, args.report, top=args.top, failed=failed)
        written["report"] = str(report)
        if getattr(args, "pdf", False):
            from corridor._pdf import html_to_pdf

            written["pdf"] = str(html_to_pdf(report, report.with_suffix(".pdf")))
    if args.map:
        drawn = out.write_traffic_map(net, data, args.map, offline=map_offline(args), failed=failed)
        written["map"] = str(drawn)
    if wants_exports(args):
        for path in write_exports(args, out.traffic_geodataframe(net, data)):
            written[Path(path).suffix.lstrip(".")] = path
    return written


def _print_portfolio(con: Any, budget: float, port: dict[str, Any]) -> None:
    """Exact (or best found) and greedy portfolios, a line of figures and a line of ids each."""
    greedy = port.get("greedy")
    if port.get("proven_optimal"):
        state = "exact, proven"
    elif greedy is not None:
        state = f"not proven: solve limit, bound {port['upper_bound_tbps']:.2f} Tbps"
    else:
        state = "greedy, a heuristic"
    for label, p, how in (("portfolio", port, state), ("greedy", greedy, "heuristic")):
        if p is None:
            continue
        con.print(
            f"[bold]{label}[/bold] EUR {budget:g} m: {p['traffic_kept_tbps']:.2f} Tbps kept, capex "
            f"{p['capex_eur_m']:.1f}, NPV {p['npv_cost_eur_m']:.1f} ({how})"
        )
        if label == "greedy" and p["ids"] == port["ids"]:
            con.print("  (the same set)")
        else:
            con.print("  " + (", ".join(p["ids"]) or "(nothing keeps traffic)"))


def _print_pareto(con: Any, data: dict[str, Any]) -> None:
    points = data["pareto"]
    state = (
        "proven"
        if data["pareto_proven"]
        else f"not proven: solve limit, bound {data['pareto_upper_bound_tbps']:.2f} Tbps"
    )
    con.print(f"[bold]Pareto front[/bold] NPV M€ vs Tbps kept: {len(points)} points ({state})")
    cols = [
        ("NPV M€", "right", 0),
        ("capex M€", "right", 1),
        ("kept Tbps", "right", 0),
        ("candidates", "left", 2),
    ]
    rows = [
        [
            f"{p['npv_cost_eur_m']:.1f}",
            f"{p['capex_eur_m']:.1f}",
            f"{p['traffic_kept_tbps']:.2f}",
            ", ".join(p["ids"]),
        ]
        for p in points
    ]
    tab, _ = fit_table(con, cols, rows)
    con.print(tab)


def _print_sensitivity(con: Any, sens: dict[str, Any] | None) -> None:
    if not sens:
        return
    if "note" in sens:
        con.print(f"sensitivity: {sens['note']}")
        return
    for t in sens["thresholds"]:
        up = f"x{t['multiply_by']:.2f} -> {t['leader_then']}" if t["multiply_by"] else "never"
        down = f"/{t['divide_by']:.2f} -> {t['leader_then_divided']}" if t["divide_by"] else "never"
        con.print(f"P({t['scenario']}) moves the leader {sens['leader']}: {up}; {down}")
    mc = sens["monte_carlo"]
    top = ", ".join(
        f"{c['id']} {c['leads_share']:.0%}" for c in mc["candidates"][:3] if c["leads_share"] > 0
    )
    con.print(f"leads in {mc['draws']} draws, each P x 1/3..3 log-uniform: {top}")


def cmd_invest(args: argparse.Namespace) -> int:
    """Run ``corridor invest``; return the exit code (0, or 1 when no option helps)."""
    if getattr(args, "years", None):
        return _years(args)
    return _invest(args)


def _years(args: argparse.Namespace) -> int:
    """``--years Y ...``: the analysis once per year, then the leaders side by side."""
    import copy
    import io

    if args.year is not None:
        msg = "--years runs one analysis per year: drop --year"
        raise RequestError(msg)
    if args.csv or args.map or wants_exports(args):
        # one file path cannot hold several years: each would overwrite the one before
        msg = (
            "--csv, --map and --geojson/--gpkg/--kml take one year: use --year Y (or --report DIR)"
        )
        raise RequestError(msg)
    years = sorted(set(args.years))
    docs: dict[str, Any] = {}
    codes = []
    for y in years:
        one = copy.copy(args)
        one.years, one.year, one.json = None, y, True
        if args.report:
            one.report = str(Path(args.report) / f"year-{y}")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            codes.append(_invest(one))
        docs[str(y)] = json.loads(buf.getvalue())
    if args.json:
        sys.stdout.write(json.dumps({"years": docs}, indent=2, ensure_ascii=False) + "\n")
    else:
        con = console()
        con.print("[bold]leading candidates by year[/bold] (network as of each year)")
        cols = [("year", "right", 0)] + [(f"#{i}", "left", 0) for i in range(1, 4)]
        rows = []
        for y in years:
            ranking = docs[str(y)].get("ranking", [])
            rows.append([str(y)] + [r["id"] for r in ranking[:3]] + ["-"] * (3 - len(ranking[:3])))
        tab, _ = fit_table(con, cols, rows)
        con.print(tab)
        con.print("[dim]--json for every year's whole answer[/dim]")
    return 0 if 0 in codes else 1


def _invest(args: argparse.Namespace) -> int:
    """One invest analysis (the network of ``--year`` if given)."""
    from corridor.invest import BenefitWeights, analyze, read_candidates, read_demand
    from corridor.invest.report import rows, write_csv, write_map, write_report

    if getattr(args, "pdf", False) and not args.report:
        msg = "--pdf prints the report: give --report DIR too"
        raise RequestError(msg)
    if getattr(args, "pdf", False):
        from corridor._pdf import require_pdf

        require_pdf()  # before the analysis, not after it
    if args.scenario:
        return _traffic(args)
    if args.sla_rtt is None:
        args.sla_rtt = 150.0
    _check_modes(args)  # one-line errors before any notice or progress on stderr
    net = load_network_from_args(args)
    extra = read_candidates(net, args.candidates) if args.candidates else None
    demand = read_demand(net, args.demand) if args.demand else None
    notice = None
    if args.backup == "srlg":
        notice = (
            "--backup srlg: an SRLG-disjoint backup per OD pair and candidate (heuristic; "
            "slower than link backups, about 15 s and more with --budget)"
        )
    with _progress_bar(
        notice=notice, quiet=args.json, preparing="preparing base routes and backups"
    ) as progress:
        result = analyze(
            net,
            candidates=extra,
            demand=demand,
            budget_eur_m=args.budget,
            sla_rtt_ms=args.sla_rtt,
            exact_max=args.exact_max,
            cost=args.cost,
            backup_mode=args.backup,
            group=args.group,
            weights=BenefitWeights(availability=args.availability_weight),
            with_sensitivity=not args.no_sensitivity,
            progress=progress,
        )
    written: dict[str, str] = {}
    if args.csv:
        written["csv"] = str(write_csv(result, args.csv))
    if args.report:
        written["report"] = str(write_report(result, args.report))
        if getattr(args, "pdf", False):
            from corridor._pdf import html_to_pdf

            pdf = Path(written["report"]).with_suffix(".pdf")
            written["pdf"] = str(html_to_pdf(written["report"], pdf))
    if args.map:
        written["map"] = str(write_map(result, args.map, offline=map_offline(args)))
    if wants_exports(args):
        from corridor.invest.report import geodataframe

        for path in write_exports(args, geodataframe(result)):
            written[Path(path).suffix.lstrip(".")] = path
    if args.json:
        data = result.to_dict()
        data["written"] = written
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        _print(result, rows(result), args.top, written)
    return 0 if result.helpful else 1


def _check_modes(args: argparse.Namespace) -> None:
    """Refuse an unknown ``--backup`` or ``--group`` (as :func:`corridor.invest.analyze` would)."""
    from corridor.invest import GROUP_KEYS
    from corridor.invest.protection import BACKUP_MODES

    if args.backup not in BACKUP_MODES:
        msg = f"unknown backup mode {args.backup!r}; use one of {', '.join(BACKUP_MODES)}"
        raise RequestError(msg)
    if str(args.group).strip().lower() not in GROUP_KEYS:
        msg = f"unknown grouping {args.group!r}; use one of {', '.join(GROUP_KEYS)}"
        raise RequestError(msg)


def _print(result: Any, ranked: list[dict[str, Any]], top: int, written: dict[str, str]) -> None:
    from corridor.invest.report import backup_words

    con = console()
    ctx = result.context
    base = result.base
    grouped = result.options.get("group", "none") != "none"
    con.print(
        f"[bold]{len(result.ranking)} {'systems' if grouped else 'candidates'}[/bold], demand "
        f"{ctx.demand.description}; SLA {ctx.sla_rtt_ms:g} ms RTT; base mean RTT "
        f"{base['mean_rtt_ms']:.2f} ms (expected, handoffs included), worst single-failure "
        f"{base['mean_worst_rtt_ms']:.2f} ms (arc weights, handoffs not counted); "
        f"{100 * base['backup_share']:.1f}% with {backup_words(ctx.backup_mode, article=True)} "
        f"backup within "
        f"SLA; protected availability {100 * base['mean_availability']:.3f}% "
        f"({base['mean_downtime_min']:,.0f} min/yr down)"
    )
    cols = [
        ("#", "right", 0),
        ("system" if grouped else "candidate", "left", 0),
        ("kind", "left", 4),
        ("capex M€", "right", 0),
        ("RTT saved ms", "right", 0),
        ("worst saved ms", "right", 5),
        ("into SLA", "right", 3),
        ("backup +", "right", 2),
        ("downtime saved min/yr", "right", 0),
        (f"{ctx.focus_country} after", "right", 6),
        ("score", "right", 1),
        ("score /M€", "right", 0),
    ]
    rows = []
    negative = []
    for row in ranked[:top]:
        n = len(row["segments"])
        if row["downtime_saved_min"] is not None and row["downtime_saved_min"] < -0.05:
            negative.append(row["id"])
        rows.append(
            [
                str(row["rank"]),
                row["id"] + (f" ({n} seg.)" if n > 1 else ""),
                row["kind"],
                f"{row['capex_eur_m']:.1f}",
                f"{row['rtt_saved_ms']:.3f}",
                f"{row['worst_rtt_saved_ms']:.3f}",
                str(row["sla_pairs_gained"]),
                str(row["backup_pairs_gained"]),
                _num(row["downtime_saved_min"], ".1f"),
                f"{100 * row['focus_share_after']:.1f}%",
                f"{row['score']:.3f}",
                f"{row['benefit_per_eur_m']:.4f}",
            ]
        )
    t, dropped = fit_table(con, cols, rows)
    con.print(t)
    print_left_out(con, dropped, "wider terminal, --csv or --json for every column")
    if negative:
        con.print(
            f"negative downtime saved ({', '.join(negative[:3])}"
            f"{', ...' if len(negative) > 3 else ''}): the faster route pair the candidate "
            "creates crosses less available sections (typically a submarine cable with long "
            "repairs), so expected downtime per year rises while latency falls"
        )
    if result.best is not None:
        b = result.best
        con.print(
            f"[bold]best portfolio for EUR {result.budget_eur_m:g} m[/bold] ({b.method}): "
            f"{', '.join(b.ids) or '(nothing)'}; capex EUR {b.capex_eur_m:.1f} m, score "
            f"{b.score:.3f}, {b.per_eur_m:.4f} per EUR m"
        )
        if result.greedy_gap is not None:
            con.print(
                f"greedy vs exact on the {len(result.pool)} strongest: gap "
                f"{100 * result.greedy_gap:.2f} %"
                f"{'' if result.exact.proven_optimal else ' (exact not proven)'}"
            )
    for note in result.notes:
        con.print(f"note: {note}")
    for what, path in written.items():
        con.print(f"wrote {what} {path}")


def _num(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)
