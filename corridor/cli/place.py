"""Command-line wiring of the placement analysis: ``corridor place``.

:func:`register` adds the subcommand to the ``corridor`` parser; the handler returns an
exit code and raises corridor errors, which the caller's ``main()`` prints (exit 1 when no
placement satisfies the request, 2 for bad input).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from corridor.cli._common import (
    Formatter,
    Subparsers,
    add_common_options,
    add_map_mode_options,
    console,
    fit_table,
    load_network_from_args,
    map_offline,
    output_file,
    positive_float,
    positive_int,
    print_left_out,
    split_values,
)
from corridor.network import Network

if TYPE_CHECKING:
    from corridor.placement import PlacementResult

from corridor.placement._names import DEFAULT_STATUS, DUAL_MODES, METHODS, OBJECTIVES

__all__ = ["EPILOG", "cmd_place", "register"]

EPILOG = (
    "examples:\n"
    "  corridor place --country KZ --p 2 --policy data/policies/example.toml\n"
    "  corridor place --p 3 --objective center --status all --json\n"
    "  corridor place --objective coverage --sla-rtt 80 --p 2 --dual-homing srlg\n"
    "  corridor place --candidates akashi-dc,almaty,aktau --demand demand.csv --csv out.csv\n"
    "  corridor place --p 2 --map placement.html\n"
    "\n"
    "Default demand: every city of region europe and of regions china + east_asia, weight 1.\n"
    "Default candidates: the cities, data centers and exchange points of --country.\n"
    "Default --status planned: planned links count, so the planned Akashi data center in\n"
    "Astana is reachable (with --status existing it is not). Policies: data/policies/README.md."
)


def _tier(text: str) -> str | float:
    return text


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor place`` to ``subparsers``.

    The handler is set as ``func``; returns the subparser.
    """
    parser = subparsers.add_parser(
        "place",
        help="where to put a data mirror, data center or exchange point",
        formatter_class=Formatter,
        description=(
            "Choose p nodes among candidate sites so that European and East Asian users reach "
            "one fast (p-median, p-center or max coverage; exact MILP), optionally over two "
            "disjoint paths and under a jurisdiction policy."
        ),
        epilog=EPILOG,
    )
    what = parser.add_argument_group("candidates and demand")
    what.add_argument("--country", default="KZ", help="country of the default candidates")
    what.add_argument(
        "--candidates", action="append", metavar="IDS", help="candidate sites (comma-separated)"
    )
    what.add_argument("--demand", metavar="CSV", help="demand CSV with columns site, weight")
    what.add_argument(
        "--drop-unserved",
        action="store_true",
        help="leave out demand sites no candidate can serve instead of failing",
    )
    how = parser.add_argument_group("objective")
    how.add_argument("--p", type=positive_int, default=1, metavar="N", help="place 1..N nodes")
    how.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default="median",
        help="mean RTT (median), worst RTT (center) or demand within the SLA",
    )
    how.add_argument("--sla-rtt", type=positive_float, metavar="MS", help="round-trip SLA in ms")
    how.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="exact MILP, heuristic or brute force (auto: MILP when small)",
    )
    res = parser.add_argument_group("resilience and policy")
    res.add_argument(
        "--dual-homing",
        choices=DUAL_MODES,
        help="require two link- / SRLG-disjoint paths (within the SLA)",
    )
    res.add_argument(
        "--tier",
        default="IV",
        type=_tier,
        metavar="IV|III|FRACTION",
        help="node availability: Tier IV 99.995%%, Tier III 99.982%% or a fraction",
    )
    res.add_argument("--policy", metavar="FILE", help="jurisdiction policy (TOML)")
    res.add_argument(
        "--status",
        default=DEFAULT_STATUS,
        choices=["existing", "planned", "all"],
        help="links to use",
    )
    res.add_argument(
        "--avoid",
        action="append",
        metavar="ITEM",
        help="site, link, system, country or SRLG to avoid (repeatable)",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--csv", type=output_file, metavar="FILE", help="write the assignments to a CSV (atomic)"
    )
    out.add_argument(
        "--map", type=output_file, metavar="FILE", help="write an HTML map of the largest placement"
    )
    add_map_mode_options(out)
    add_common_options(parser)
    parser.set_defaults(func=cmd_place)
    return parser


def cmd_place(args: argparse.Namespace) -> int:
    """Run ``corridor place``; return the exit code."""
    net = load_network_from_args(args)
    from corridor.placement import load_policy, place, read_demand  # solvers load on use

    policy = load_policy(args.policy) if args.policy else None
    demand = read_demand(args.demand, net) if args.demand else None
    candidates = split_values(args.candidates) or None
    result = place(
        net,
        p=args.p,
        objective=args.objective,
        candidates=candidates,
        country=args.country,
        demand=demand,
        sla_rtt_ms=args.sla_rtt,
        dual_homing=args.dual_homing,
        tier=args.tier,
        policy=policy,
        status=args.status,
        avoid=split_values(args.avoid) or None,
        drop_unserved=args.drop_unserved,
        method=args.method,
    )
    written = {}
    if args.csv:
        written["csv"] = str(result.write_csv(args.csv))
    if args.map:
        from corridor.maps import save_map
        from corridor.placement.maps import placement_map

        written["map"] = str(save_map(placement_map(result, offline=map_offline(args)), args.map))
    if args.json:
        data = result.to_dict()
        data.update(written)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        print_result(net, result)
        con = console()
        for kind, path in written.items():
            con.print(f"wrote {kind} {path}")
    return 0


def _ms(x: float | None) -> str:
    return "-" if x is None or x != x or x == float("inf") else f"{x:.1f}"


def print_result(net: Network, result: PlacementResult) -> None:
    from corridor.resilience.availability import downtime_minutes

    """Rich tables: the chosen sets per p, the best placement's detail, the candidate ranking."""
    con = console()
    pr = result.problem
    names = dict(zip(net.sites["id"], net.sites["name"], strict=True))
    policy = f", policy {pr.policy.name or pr.policy.source}" if pr.policy.source else ""
    sla = f", SLA {pr.sla_rtt_ms:g} ms RTT" if pr.sla_rtt_ms is not None else ""
    dual = f", dual homing {pr.dual_homing}" if pr.dual_homing else ""
    con.print(
        f"[bold]placement[/bold]: objective {pr.objective}{sla}{dual}{policy}; "
        f"{len(pr.demand)} demand sites, {len(pr.candidates)} candidates, links {pr.status}, "
        f"node availability {result.node_availability:.5%}"
    )
    set_cols = [
        ("p", "right", 0),
        ("nodes", "left", 0),
        ("EU mean", "right", 5),
        ("EU worst", "right", 8),
        ("Asia mean", "right", 6),
        ("Asia worst", "right", 9),
        ("mean RTT", "right", 0),
        ("worst RTT", "right", 0),
        ("covered", "right", 4),
        ("gain", "right", 3),
        ("availability", "right", 2),
        ("downtime min/yr", "right", 7),
        ("method", "left", 1),
    ]
    set_rows = []
    for pl in result.placements:
        eu, asia = pl.sides.get("europe"), pl.sides.get("asia")
        set_rows.append(
            [
                str(pl.p),
                ", ".join(names[n] for n in pl.nodes),
                _ms(eu.mean_rtt_ms if eu else None),
                _ms(eu.worst_rtt_ms if eu else None),
                _ms(asia.mean_rtt_ms if asia else None),
                _ms(asia.worst_rtt_ms if asia else None),
                _ms(pl.mean_rtt_ms),
                _ms(pl.worst_rtt_ms),
                "-" if pl.covered_share is None else f"{pl.covered_share:.1%}",
                "-"
                if pl.gain is None
                else (f"{pl.gain:.1%}" if pl.objective == "coverage" else f"{pl.gain:.2f} ms"),
                f"{pl.mean_availability:.5%}",
                f"{downtime_minutes(pl.mean_availability):,.0f}",
                pl.method + ("" if pl.optimal else " (not proven)"),
            ]
        )
    sets, dropped = fit_table(con, set_cols, set_rows, title="chosen nodes per p")
    con.print(sets)
    best = result.best
    detail_cols = [
        ("demand", "left", 0),
        ("side", "left", 2),
        ("node", "left", 0),
        ("RTT ms", "right", 0),
        ("backup RTT", "right", 1),
        ("availability", "right", 3),
        ("countries", "left", 4),
    ]
    detail_rows = []
    for a in best.assignments:
        detail_rows.append(
            [
                names.get(a.demand, a.demand),
                a.side,
                names.get(a.node, a.node),
                _ms(a.rtt_ms),
                _ms(a.backup_rtt_ms),
                f"{a.availability:.4%}",
                " > ".join(a.countries),
            ]
        )
    detail, more = fit_table(con, detail_cols, detail_rows, title=f"assignments, p = {best.p}")
    dropped += more
    con.print(detail)
    rank_cols = [
        ("#", "right", 0),
        ("site", "left", 0),
        ("kind", "left", 3),
        ("EU mean", "right", 1),
        ("EU worst", "right", 4),
        ("Asia mean", "right", 2),
        ("Asia worst", "right", 5),
        ("mean", "right", 0),
        ("worst", "right", 0),
        ("served", "right", 0),
    ]
    rank_rows = []
    for c in result.ranking:
        eu, asia = c.sides.get("europe"), c.sides.get("asia")
        rank_rows.append(
            [
                str(c.rank),
                f"{c.name}" + ("" if c.status == "existing" else f" ({c.status})"),
                c.kind,
                _ms(eu.mean_rtt_ms if eu else None),
                _ms(eu.worst_rtt_ms if eu else None),
                _ms(asia.mean_rtt_ms if asia else None),
                _ms(asia.worst_rtt_ms if asia else None),
                _ms(c.mean_rtt_ms),
                _ms(c.worst_rtt_ms),
                f"{c.served_share:.0%}",
            ]
        )
    rank, more = fit_table(con, rank_cols, rank_rows, title="candidates alone (p = 1)")
    dropped += more
    con.print(rank)
    print_left_out(con, dropped, "wider terminal or --json for every column")
    for note in result.notes:
        con.print(f"note: {note}")
