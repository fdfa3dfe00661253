"""``corridor convert SRC --out FILE.gpkg``: other network formats into the sites/links schema."""

from __future__ import annotations

import argparse
import sys

from corridor.cli._common import (
    EXIT_OK,
    Formatter,
    Subparsers,
    console,
    input_path,
    output_file,
    positive_float,
    print_json,
)

__all__ = ["register"]

EPILOG = (
    "examples:\n"
    "  corridor convert Cogentco.graphml --out cogent.gpkg\n"
    "  corridor route London Paris --sites cogent.gpkg --links cogent.gpkg\n"
    "  corridor convert nobel-eu.txt --out nobel.gpkg --json\n"
    "  corridor convert cable-geo.json --landing-points landing-point-geo.json --out sea.gpkg"
)


def _cmd_convert(args: argparse.Namespace) -> int:
    from corridor.convert import convert, write_geopackage

    result = convert(
        args.source,
        format=args.format,
        coordinates=args.coordinates,
        snap_km=args.snap_km,
        landing_points=args.landing_points,
    )
    written = write_geopackage(result, args.out)
    for warning in result.warnings:
        sys.stderr.write(f"corridor: warning: {warning}\n")
    if args.json:
        print_json({**result.to_dict(), "out": str(written)})
        return EXIT_OK
    con = console()
    con.print(
        f"[bold]{args.source}[/bold] ({result.format}) -> {written}: "
        f"{len(result.sites)} sites, {len(result.links)} links"
    )
    con.print("assumed:")
    for line in result.report:
        con.print(f"  - {line}")
    con.print(f"route on it: corridor route FROM TO --sites {written} --links {written}")
    return EXIT_OK


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor convert`` to the ``corridor`` parser (handler set as ``func``)."""
    from corridor.convert import FORMATS

    parser = subparsers.add_parser(
        "convert",
        help="read another network format into a sites/links GeoPackage",
        formatter_class=Formatter,
        description=(
            "Read Topology Zoo GraphML/GML, SNDlib (native or XML), TopoHub JSON, KML/KMZ, "
            "cable GeoJSON or PeeringDB-style JSON into corridor's sites/links schema, and "
            "report what was assumed."
        ),
        epilog=EPILOG,
    )
    parser.add_argument("source", type=input_path, help="the file to convert")
    parser.add_argument(
        "--out", type=output_file, required=True, metavar="FILE.gpkg", help="GeoPackage to write"
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="the source format (default: guessed from the file)"
    )
    parser.add_argument(
        "--coordinates",
        choices=["auto", "decimal", "degrees-minutes"],
        default="auto",
        help="SNDlib coordinates: auto detects DEGREES.MINUTES (as in nobel-eu)",
    )
    parser.add_argument(
        "--snap-km",
        type=positive_float,
        default=5.0,
        metavar="KM",
        help="KML / cable GeoJSON: a line end within KM of a point joins its site (default 5)",
    )
    parser.add_argument(
        "--landing-points",
        type=input_path,
        metavar="FILE",
        help="cable GeoJSON: a GeoJSON of landing points to join the cables to",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=_cmd_convert)
    return parser
