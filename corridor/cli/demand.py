"""``corridor demand``: the origin-destination traffic matrix (gravity model or CSV)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from corridor.cli._common import (
    EXIT_OK,
    Formatter,
    Subparsers,
    add_common_options,
    console,
    load_network_from_args,
    nonnegative_float,
    output_file,
    positive_float,
    positive_int,
    print_json,
)

if TYPE_CHECKING:
    from corridor.capacity.demand import ODMatrix
    from corridor.network import Network

__all__ = ["add_demand_options", "demand_from_args", "register"]

EXAMPLES = """\
examples:
  corridor demand                              # gravity model, Europe x China/East Asia, 200 Tbps
  corridor demand --total-tbps 120 --csv od.csv # write source,target,tbps
  corridor demand --pairs all --json           # every pair of cities, data centers, exchanges
  corridor capacity --demand od.csv            # any analysis reads the CSV back
"""


def add_demand_options(parser: argparse.ArgumentParser) -> None:
    """``--demand``, ``--total-tbps``, ``--pairs``, ``--gamma``."""
    from corridor.capacity.demand import DEFAULT_TOTAL_TBPS

    group = parser.add_argument_group("traffic demand")
    group.add_argument(
        "--demand",
        default="gravity",
        metavar="gravity|FILE",
        help="the gravity model, or a CSV with source,target,tbps",
    )
    group.add_argument(
        "--total-tbps",
        type=positive_float,
        default=DEFAULT_TOTAL_TBPS,
        metavar="T",
        help="gravity: total Europe - Asia traffic (cited in corridor/capacity/demand.py)",
    )
    group.add_argument(
        "--pairs",
        choices=["west-east", "all"],
        default="west-east",
        help="gravity: European x Chinese/East Asian endpoints, or every pair of endpoints",
    )
    group.add_argument(
        "--gamma",
        type=nonnegative_float,
        default=1.0,
        help="gravity: distance exponent (0 ignores distance)",
    )


def demand_from_args(net: Network, args: argparse.Namespace) -> ODMatrix:
    """The demand the options of :func:`add_demand_options` name."""
    from corridor.capacity.demand import gravity_demand, read_demand_csv

    if args.demand == "gravity":
        return gravity_demand(
            net, total_tbps=args.total_tbps, pairs=args.pairs, distance_exponent=args.gamma
        )
    return read_demand_csv(net, args.demand)


def _run(args: argparse.Namespace) -> int:
    from rich.table import Table

    net = load_network_from_args(args)
    od = demand_from_args(net, args)
    if args.csv:
        od.write_csv(args.csv)
    if args.json:
        print_json(od.to_dict(rows=True))
        return EXIT_OK
    out = console()
    out.print(f"{od.description}: {len(od):,} pairs, {od.total_tbps:,.1f} Tbps")
    for note in od.notes:
        out.print(f"note: {note}")
    names = dict(zip(net.lookup.site_id, net.lookup.site_name, strict=True))
    table = Table(title=f"largest {min(args.top, len(od))} pairs")
    for col in ("source", "target", "Tbps", "share"):
        table.add_column(col, justify="right" if col in ("Tbps", "share") else "left")
    order = od.tbps.argsort()[::-1][: args.top]
    for i in order:
        share = od.tbps[i] / od.total_tbps
        table.add_row(
            names[od.sources[i]], names[od.targets[i]], f"{od.tbps[i]:.3f}", f"{share:.2%}"
        )
    out.print(table)
    if args.csv:
        out.print(f"wrote {args.csv}")
    return EXIT_OK


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor demand``."""
    p = subparsers.add_parser(
        "demand",
        help="origin-destination traffic matrix in Tbps (gravity model or CSV)",
        description=(
            "Build the Europe - Asia traffic matrix: a gravity model (site population, data "
            "centers and exchange points weighted more) scaled to a stated total, or a CSV."
        ),
        epilog=EXAMPLES,
        formatter_class=Formatter,
    )
    add_demand_options(p)
    p.add_argument("--csv", type=output_file, metavar="FILE", help="write source,target,tbps")
    p.add_argument("--top", type=positive_int, default=15, help="pairs shown in the table")
    add_common_options(p)
    p.set_defaults(func=_run)
    return p
