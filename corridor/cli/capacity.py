"""``corridor capacity``: how much of the demand the network carries, and where it jams."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from corridor.cli._common import (
    EXIT_OK,
    Formatter,
    Subparsers,
    add_common_options,
    add_map_mode_options,
    console,
    load_network_from_args,
    map_offline,
    nonnegative_int,
    output_file,
    positive_float,
    positive_int,
    print_json,
    split_values,
)
from corridor.cli.demand import add_demand_options, demand_from_args

if TYPE_CHECKING:
    from corridor.capacity.flow import FlowResult
    from corridor.network import Network

__all__ = ["UTILISATION_BANDS", "register"]

EXAMPLES = """\
examples:
  corridor capacity                                        # gravity demand on the links in service
  corridor capacity --scenario russia-closed --json        # carried / unserved Tbps, bottlenecks
  corridor capacity --status all --sla-rtt 150             # only paths within 150 ms serve
  corridor capacity --objective min-max-utilisation --map util.html
  corridor capacity --monte-carlo 2000 --seed 1            # P50/P95 unserved over a year of risks
"""

#: Map colours by utilisation: (upper bound, colour, label).
UTILISATION_BANDS = (
    (0.5, "#1a9850", "below 50 %"),
    (0.8, "#fee08b", "50-80 %"),
    (0.999, "#fc8d59", "80-99.9 %"),
    (float("inf"), "#d73027", "saturated (100 % or more)"),
)


def _write_map(net: Network, res: FlowResult, path: str, *, offline: bool, title: str) -> None:
    from corridor.maps import add_links_layer, network_map, save_map

    m = network_map(net, offline=offline, title=title, status="all")
    util = res.utilisation
    lower = 0.0
    for upper, colour, label in UTILISATION_BANDS:
        ids = [
            res.link_ids[i]
            for i in range(len(util))
            if res.link_flow[i] > 1e-12 and lower <= util[i] < upper
        ]
        if ids:
            add_links_layer(
                m,
                net,
                ids,
                name=f"utilisation {label}",
                color=colour,
                weight=6.0,
                class_name="corridor-utilisation",
            )
        lower = upper
    save_map(m, path)


def _risk(net: Network, args: argparse.Namespace, od: Any) -> dict[str, Any]:
    from corridor.capacity.flow import multicommodity_flow
    from corridor.capacity.scenarios import (
        exact_risk,
        load_scenario,
        monte_carlo,
        resolve,
        scenario_names,
    )

    names = split_values(args.risk_scenarios) or [
        n for n in scenario_names() if load_scenario(n).probability is not None
    ]
    resolved = [resolve(net, load_scenario(n)) for n in names]

    def evaluate(links: tuple[int, ...], sites: tuple[int, ...]) -> float:
        return multicommodity_flow(
            net,
            od,
            status=args.status,
            sla_rtt_ms=args.sla_rtt,
            failed_links=links,
            failed_sites=sites,
            prefer_short=False,
        ).unserved_tbps

    mc = monte_carlo(resolved, evaluate, samples=args.monte_carlo, seed=args.seed)
    out: dict[str, Any] = {"monte_carlo": mc.to_dict()}
    if len(mc.scenarios) <= 8:
        out["exact"] = exact_risk(resolved, evaluate).to_dict()
    return out


def _print(net: Network, res: FlowResult, args: argparse.Namespace, extra: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    head = f"{res.demand.description}: {res.demand_tbps:,.1f} Tbps over {len(res.demand):,} pairs"
    out.print(head)
    what = {
        "max-carried": "most traffic carried",
        "max-concurrent": "largest share of every pair carried at once",
        "min-max-utilisation": "all traffic, least peak utilisation",
    }[res.objective]
    cond = [f"links: {args.status}"]
    if args.year:
        cond.append(f"as of {args.year}")
    if args.scenario:
        cond.append(f"scenario {args.scenario}")
    if res.sla_rtt_ms:
        cond.append(f"SLA {res.sla_rtt_ms:g} ms RTT")
    out.print(f"{what} ({', '.join(cond)})")
    label = "concurrent share" if res.objective == "max-concurrent" else "carried share"
    out.print(
        f"carried {res.carried_tbps:,.2f} Tbps, unserved {res.unserved_tbps:,.2f} Tbps "
        f"({label} {res.share:.1%}), peak utilisation {res.max_utilisation:.0%}"
    )
    table = Table(title="per corridor")
    for col in ("corridor", "carried Tbps", "unserved Tbps", "mean util", "max util", "links"):
        table.add_column(col, justify="left" if col == "corridor" else "right")
    for name, row in res.corridors().items():
        table.add_row(
            name,
            f"{row['carried_tbps']:,.2f}",
            f"{row['unserved_tbps']:,.2f}",
            f"{row['mean_utilisation']:.0%}",
            f"{row['max_utilisation']:.0%}",
            str(row["links"]),
        )
    out.print(table)
    bottle = res.bottlenecks(args.top)
    if bottle:
        t2 = Table(title="bottleneck links (saturated; shadow price = Tbps gained per Tbps added)")
        for col in ("link", "flow Tbps", "capacity Tbps", "assumed", "shadow price"):
            t2.add_column(col, justify="left" if col == "link" else "right")
        for b in bottle:
            t2.add_row(
                b["link"],
                f"{b['flow_tbps']:.2f}",
                f"{b['capacity_tbps']:.2f}",
                "yes" if b["capacity_assumed"] else "",
                f"{b['shadow_price']:.3f}",
            )
        out.print(t2)
    for note in res.notes:
        out.print(f"note: {note}")
    risk = extra.get("risk")
    if risk:
        mc = risk["monte_carlo"]
        out.print(
            f"risk over a year ({mc['samples']:,} sampled years, seed {mc['seed']}; "
            f"{', '.join(mc['scenarios'])}): unserved P50 {mc['p50_unserved_tbps']} Tbps, "
            f"P95 {mc['p95_unserved_tbps']} Tbps, mean {mc['mean_unserved_tbps']}; degraded "
            f"minutes P50 {mc['p50_degraded_min']}, P95 {mc['p95_degraded_min']}"
        )
        if "exact" in risk:
            ex = risk["exact"]
            out.print(
                f"exact expectation: unserved {ex['mean_unserved_tbps']} Tbps, degraded "
                f"{ex['mean_degraded_min']} min a year"
            )
    if args.map:
        out.print(f"wrote {args.map}")


def _run(args: argparse.Namespace) -> int:
    from corridor.capacity.flow import multicommodity_flow

    net = load_network_from_args(args)
    od = demand_from_args(net, args)
    res = multicommodity_flow(
        net, od, objective=args.objective, status=args.status, sla_rtt_ms=args.sla_rtt
    )
    extra: dict[str, Any] = {}
    if args.monte_carlo:
        extra["risk"] = _risk(net, args, od)
    if args.map:
        title = f"link utilisation: {res.objective}" + (
            f", scenario {args.scenario}" if args.scenario else ""
        )
        _write_map(net, res, args.map, offline=map_offline(args), title=title)
    if args.json:
        data = {
            "scenario": args.scenario,
            "year": args.year,
            "status": args.status,
            **res.to_dict(links=True, pairs=args.pairs_out, top=args.top),
            **extra,
        }
        print_json(data)
    else:
        _print(net, res, args, extra)
    return EXIT_OK


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor capacity``."""
    from corridor.capacity.flow import OBJECTIVES

    p = subparsers.add_parser(
        "capacity",
        help="traffic carried and unserved on link capacities (multi-commodity flow)",
        description=(
            "Route the demand on the links' usable capacity (documented defaults where the "
            "data give none, flagged as assumed) with a multi-commodity flow LP: carried and "
            "unserved Tbps in total and per corridor (northern / middle / southern), link "
            "utilisation and the bottleneck links."
        ),
        epilog=EXAMPLES,
        formatter_class=Formatter,
    )
    add_demand_options(p)
    p.add_argument("--objective", choices=list(OBJECTIVES), default="max-carried")
    p.add_argument(
        "--sla-rtt",
        type=positive_float,
        metavar="MS",
        help="only paths whose expected round trip (handoffs included) is within MS serve",
    )
    p.add_argument(
        "--status",
        default="existing",
        choices=["existing", "planned", "all"],
        help="links to use: existing only, existing + planned, or all incl. proposed",
    )
    p.add_argument("--top", type=positive_int, default=10, help="bottleneck links listed")
    p.add_argument("--pairs-out", action="store_true", help="--json: one row per OD pair too")
    p.add_argument("--map", type=output_file, metavar="FILE", help="HTML map, links by utilisation")
    add_map_mode_options(p)
    risk = p.add_argument_group("risk over a year")
    risk.add_argument(
        "--monte-carlo",
        type=nonnegative_int,
        default=0,
        metavar="N",
        help="sample N years of random scenario events (P50/P95 unserved and degraded minutes)",
    )
    risk.add_argument(
        "--risk-scenarios",
        action="append",
        metavar="NAMES",
        help="scenarios in the risk (default: every shipped one with a probability)",
    )
    risk.add_argument("--seed", type=nonnegative_int, default=0, help="Monte Carlo seed")
    add_common_options(p)
    p.set_defaults(func=_run)
    return p
