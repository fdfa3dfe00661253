"""``corridor check``: geometry checks of a links file against a 1:10m land mask."""

from __future__ import annotations

import argparse

from rich.table import Table

from corridor.cli._common import (
    EXIT_NO_ROUTE,
    EXIT_OK,
    Formatter,
    Subparsers,
    console,
    input_path,
    nonnegative_float,
    positive_float,
    print_json,
)

__all__ = ["register"]


def _cmd_check(args: argparse.Namespace) -> int:
    from corridor import datasets
    from corridor.checks import LAND_MASK_SOURCE, check_links
    from corridor.io import read_links

    path = args.links or str(datasets.get_path("links"))
    links = read_links(path)
    found = check_links(
        links,
        step_km=args.step_km,
        max_land_km=args.max_land_km,
        max_water_km=args.max_water_km,
        landing_km=args.landing_km,
        shore_km=args.shore_km,
    )
    if args.json:
        print_json(
            {
                "links_file": path,
                "links": len(links),
                "land_mask": LAND_MASK_SOURCE,
                "violations": [v.to_dict() for v in found],
            }
        )
    else:
        con = console()
        if found:
            out = Table(show_edge=False)
            for col in ("link", "violation", "km", "around (lon, lat)"):
                out.add_column(col, justify="right" if col == "km" else "left")
            for v in found:
                out.add_row(v.link, v.kind, f"{v.km:.1f}", f"{v.lon:.3f}, {v.lat:.3f}")
            con.print(out)
        sub = sum(v.kind == "submarine-over-land" for v in found)
        con.print(
            f"{len(links)} links checked against {LAND_MASK_SOURCE}: {sub} submarine-over-land, "
            f"{len(found) - sub} land-over-sea violation(s)"
        )
    return EXIT_NO_ROUTE if found else EXIT_OK


def register(subparsers: Subparsers) -> None:
    """Add ``corridor check`` to the ``corridor`` parser."""
    parser = subparsers.add_parser(
        "check",
        help="check link geometry against a 1:10m land mask",
        description=(
            "Report submarine links that cross land and terrestrial links that run over sea "
            "(Natural Earth 1:10m land, shipped offline by a PyPI package). Exit code 1 when "
            "any violation is found."
        ),
        formatter_class=Formatter,
        epilog="examples:\n  corridor check\n  corridor check --links my_links.gpkg --json",
    )
    parser.add_argument(
        "--links", type=input_path, help="links file (default: the shipped data set)"
    )
    parser.add_argument(
        "--step-km", type=positive_float, default=1.0, help="sampling step (default 1)"
    )
    parser.add_argument(
        "--max-land-km",
        type=nonnegative_float,
        default=3.0,
        help="land a submarine link may cross: islets, spits (default 3)",
    )
    parser.add_argument(
        "--max-water-km",
        type=nonnegative_float,
        default=6.0,
        help="water a terrestrial link may cross: rivers, lagoons (default 6)",
    )
    parser.add_argument(
        "--landing-km",
        type=nonnegative_float,
        default=40.0,
        help="not judged near the ends of a submarine link (city-level landings, default 40)",
    )
    parser.add_argument(
        "--shore-km",
        type=nonnegative_float,
        default=8.0,
        help="not judged near the ends of a terrestrial link (default 8)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=_cmd_check)
