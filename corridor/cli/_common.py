"""What the ``corridor`` subcommands share: exit codes, the help formatter, the data and
latency-model options, the routing-constraint options, network loading and terminal output.

Every command module (``corridor.cli.route``, ``corridor.cli.invest``, ...) exposes
``register(subparsers)``; heavy libraries (pandas, geopandas, folium) load inside the handlers
so that ``corridor route`` on a cached network starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from corridor.network import Network

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NO_ROUTE",
    "EXIT_OK",
    "Formatter",
    "Subparsers",
    "add_common_options",
    "add_constraint_options",
    "console",
    "load_network_from_args",
    "print_json",
    "split_values",
]

EXIT_OK = 0
EXIT_NO_ROUTE = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

#: The object ``ArgumentParser.add_subparsers()`` returns.
Subparsers = argparse._SubParsersAction


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks and shows defaults that carry information."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


def console(*, stderr: bool = False) -> Console:
    """A rich console as wide as the terminal (160 columns when writing to a file or pipe)."""
    probe = Console(stderr=stderr)
    width = probe.width if probe.is_terminal else 160
    return Console(highlight=False, soft_wrap=False, width=max(100, width), stderr=stderr)


def split_values(values: Sequence[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values (``--via KZ --via AZ,GE``)."""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def print_json(data: Any) -> None:
    """Machine output of ``--json``: indented, UTF-8, on standard output."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Add the data-file and latency-model options and ``--json`` to a subcommand."""
    data = parser.add_argument_group("data and latency model")
    data.add_argument("--sites", help="sites file (default: the shipped data set)")
    data.add_argument("--links", help="links file (default: the shipped data set)")
    data.add_argument("--countries", help="country borders file (default: shipped)")
    data.add_argument("--group-index", type=float, help="fiber group index (default 1.4682)")
    data.add_argument("--route-factor-terrestrial", type=float, help="default 1.10")
    data.add_argument("--route-factor-submarine", type=float, help="default 1.05")
    data.add_argument("--site-delay-ms", type=float, help="equipment delay per site, default 0.05")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def add_constraint_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--status``, ``--via``, ``--avoid``, ``--max-rtt`` and ``--max-hops``."""
    group = parser.add_argument_group("constraints")
    group.add_argument(
        "--status",
        default="existing",
        choices=["existing", "planned", "all"],
        help="links to use: existing only, existing + planned, or all incl. proposed",
    )
    group.add_argument(
        "--via", action="append", metavar="SITE|COUNTRY", help="must pass through (repeatable)"
    )
    group.add_argument(
        "--avoid",
        action="append",
        metavar="ITEM",
        help="site, link, system, country or SRLG to avoid (repeatable, comma-separated)",
    )
    group.add_argument("--max-rtt", type=float, metavar="MS", help="round-trip latency cap")
    group.add_argument("--max-hops", type=int, metavar="N", help="at most N links")


def load_network_from_args(args: argparse.Namespace) -> Network:
    """The network the data and latency-model options of :func:`add_common_options` name."""
    from corridor.latency import LatencyModel
    from corridor.network import load_network

    model = LatencyModel().with_options(
        group_index=args.group_index,
        route_factor_terrestrial=args.route_factor_terrestrial,
        route_factor_submarine=args.route_factor_submarine,
        site_delay_ms=args.site_delay_ms,
    )
    return load_network(args.sites, args.links, countries=args.countries, model=model)
