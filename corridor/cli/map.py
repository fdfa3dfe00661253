"""``corridor map`` and the ``--map FILE`` option of other commands.

:func:`register` adds the ``map`` subcommand to the ``corridor`` parser;
:func:`add_map_options` adds ``--map FILE`` and ``--online`` to another subcommand (``route``),
whose handler then calls :func:`write_route_map`. Library code prints nothing; the ``map``
command prints one line (or JSON with ``--json``) naming the file it wrote.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from corridor.cli._common import (
    Formatter,
    Subparsers,
    add_common_options,
    add_map_mode_options,
    load_network_from_args,
    map_offline,
    output_file,
)
from corridor.network import Network
from corridor.routing import RouteResult

__all__ = [
    "DEFAULT_NETWORK_MAP",
    "add_map_options",
    "cmd_map",
    "register",
    "write_route_map",
]

#: Where ``corridor map`` writes when ``--out`` is not given.
DEFAULT_NETWORK_MAP = "network.html"

EPILOG = (
    "examples:\n"
    "  corridor map                                  # writes network.html, opens with no network\n"
    "  corridor map --online --out network.html      # CDN Leaflet and web map tiles\n"
    "  corridor map --status existing --out existing.html\n"
    "  corridor route Frankfurt Shanghai --map route.html"
)


def add_map_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--map FILE`` and ``--online`` to a subcommand (e.g. ``route``)."""
    group = parser.add_argument_group("map")
    group.add_argument(
        "--map",
        type=output_file,
        metavar="FILE",
        help="also write an interactive HTML map of the result to FILE",
    )
    add_map_mode_options(group)


def write_route_map(
    args: argparse.Namespace,
    net: Network,
    result: RouteResult,
    *,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> Path | None:
    """Write the route map asked for with ``--map FILE`` (nothing when it was not given).

    Parameters
    ----------
    args
        Parsed arguments of a command that has :func:`add_map_options`.
    net, result
        The network and the routing result to draw.
    labels, title
        Passed to :func:`corridor.maps.route_map` (e.g. ``["primary", "backup"]``).

    Returns
    -------
    pathlib.Path or None
        The file written, or ``None`` without ``--map``.

    Raises
    ------
    corridor.maps.MapError
        When the file cannot be written.
    """
    target = getattr(args, "map", None)
    if not target:
        return None
    from corridor.maps import route_map, save_map  # folium loads only when a map is written

    m = route_map(net, result, offline=map_offline(args), labels=labels, title=title)
    return save_map(m, target)


def cmd_map(args: argparse.Namespace) -> int:
    """Handler of ``corridor map``: write the whole-network map; return the exit code."""
    from corridor.maps import network_map, save_map  # folium loads only when a map is written

    net = load_network_from_args(args)
    m = network_map(net, offline=map_offline(args), title=args.title, status=args.status)
    path = save_map(m, args.out)
    if getattr(args, "json", False):
        data = {"map": str(path), "offline": map_offline(args), "status": args.status}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        sys.stdout.write(f"wrote {path}\n")
    return 0


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor map [--out FILE] [--online] [--status ...] [--title TEXT]``.

    The handler is set as ``func``; returns the subparser.
    """
    parser = subparsers.add_parser(
        "map",
        help="write an interactive HTML map of the network",
        description=(
            "Write an interactive HTML map of the whole network: links by kind and status, "
            "sites by kind, with tooltips, popups, a legend and a layer control."
        ),
        epilog=EPILOG,
        formatter_class=Formatter,
    )
    parser.add_argument(
        "--out",
        "-o",
        type=output_file,
        metavar="FILE",
        default=DEFAULT_NETWORK_MAP,
        help="HTML file to write (parent folders are created; replaced atomically)",
    )
    add_map_mode_options(parser)
    parser.add_argument(
        "--status",
        default="all",
        choices=["existing", "planned", "all", "any"],
        help="links to draw: existing only, existing + planned, all incl. proposed, or any "
        "(also suspended links)",
    )
    parser.add_argument("--title", help="heading of the map's title block")
    add_common_options(parser)
    parser.set_defaults(func=cmd_map)
    return parser
