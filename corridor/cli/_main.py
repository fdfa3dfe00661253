"""The ``corridor`` command: builds the parser from the command modules and runs one.

Exit codes: 0 success, 1 no route / nothing found, 2 bad input (data, request or usage),
130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from corridor import __version__
from corridor._errors import CorridorError, NoRouteError
from corridor.cli._common import (
    _PROGRAM,
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NO_ROUTE,
    Formatter,
    Parser,
    ignore_late_interrupts,
)

__all__ = ["COMMANDS", "build_parser", "main", "run"]

#: The command modules of :mod:`corridor.cli`, in the order ``corridor --help`` lists them;
#: each has ``register(subparsers)``.
COMMANDS: tuple[str, ...] = (
    "route",
    "sites",
    "map",
    "resilience",
    "invest",
    "capacity",
    "demand",
    "place",
    "batch",
    "convert",
    "check",
    "calibrate",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``corridor`` command."""
    parser = Parser(
        prog="corridor",
        description="Latency and route optimizer for the Europe - East Asia fiber corridor.",
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=f"corridor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"corridor.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``corridor`` command; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except NoRouteError as exc:
        sys.stderr.write(f"corridor: {exc}\n")
        return EXIT_NO_ROUTE
    except CorridorError as exc:
        sys.stderr.write(f"corridor: error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        ignore_late_interrupts()
        sys.stderr.write("corridor: interrupted\n")
        return EXIT_INTERRUPTED


def run() -> int:
    """Entry point of the ``corridor`` program (console script, ``python -m corridor``).

    As :func:`main`, and once an interrupt has been answered a late or repeated one cannot
    change the exit status (see :func:`corridor.cli._common.ignore_late_interrupts`).
    """
    _PROGRAM["running"] = True
    code = main()
    if code == EXIT_INTERRUPTED:
        ignore_late_interrupts()
    return code
