"""What the ``corridor`` subcommands share: exit codes, the help formatter, the data and
latency-model options, the routing-constraint options, network loading and terminal output.

Every command module (``corridor.cli.route``, ``corridor.cli.invest``, ...) exposes
``register(subparsers)``; heavy libraries (pandas, geopandas, folium) load inside the handlers
so that ``corridor route`` on a cached network starts fast.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from rich.console import Console
from rich.table import Table

from corridor._errors import RequestError

if TYPE_CHECKING:
    from corridor.latency import LatencyModel
    from corridor.network import Network

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NO_ROUTE",
    "EXIT_OK",
    "Formatter",
    "Parser",
    "Subparsers",
    "add_common_options",
    "add_constraint_options",
    "add_export_options",
    "add_map_mode_options",
    "add_model_option",
    "apply_time_and_scenario",
    "choice_of",
    "console",
    "factor",
    "fit_table",
    "fraction",
    "ignore_late_interrupts",
    "input_path",
    "kernels_cold",
    "load_network_from_args",
    "map_offline",
    "model_from_args",
    "nonnegative_float",
    "nonnegative_int",
    "output_file",
    "positive_float",
    "positive_int",
    "print_json",
    "split_values",
    "wants_exports",
    "working",
    "write_exports",
    "year",
]

EXIT_OK = 0
EXIT_NO_ROUTE = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


#: True when the ``corridor`` program runs (:func:`corridor.cli.run`), not ``main()`` called
#: from Python: only then does an answered interrupt mean the process is about to exit.
_PROGRAM = {"running": False}


def ignore_late_interrupts() -> None:
    """In the ``corridor`` program, once an interrupt is answered: ignore any later one.

    Called after an interrupt has been handled (cleanup done, the one line printed), when the
    process has nothing left to do but exit. A second Ctrl-C, a scheduler's repeated SIGTERM or
    an interrupt a library re-delivers after intercepting it (pyarrow registers its own SIGINT
    and SIGTERM handlers around reads and writes and re-sends what it caught) would otherwise
    meet Python's defaults while the interpreter unwinds, and a KeyboardInterrupt that escapes
    makes Python end the process by SIGINT (status -2) instead of exit 130. When ``main()`` is
    called from Python (tests, notebooks) signals are left alone.
    """
    if not _PROGRAM["running"]:
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except ValueError:  # not the main thread: signals are not ours to change
            return


#: The object ``ArgumentParser.add_subparsers()`` returns.
Subparsers = argparse._SubParsersAction


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (``corridor route: error: ...``)
    and exit 2, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _number(text: str, *, minimum: float, inclusive: bool, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (value < minimum if inclusive else value <= minimum):
        msg = f"must be {what}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    return _number(text, minimum=0.0, inclusive=False, what="a positive number")


def nonnegative_float(text: str) -> float:
    """argparse type: a finite number >= 0."""
    return _number(text, minimum=0.0, inclusive=True, what="a number >= 0")


def factor(text: str) -> float:
    """argparse type: a finite number >= 1 (a group index or a route factor)."""
    return _number(text, minimum=1.0, inclusive=True, what="a number >= 1")


def fraction(text: str) -> float:
    """argparse type: a share between 0 and 1."""
    value = _number(text, minimum=0.0, inclusive=True, what="a share between 0 and 1")
    if value > 1.0:
        msg = f"must be a share between 0 and 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _integer(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        msg = f"must be a whole number >= {minimum}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    return _integer(text, 1)


def nonnegative_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    return _integer(text, 0)


def output_file(text: str) -> str:
    """argparse type: a file to write (not an existing folder)."""
    if not text.strip():
        msg = "must be a file name, got ''"
        raise argparse.ArgumentTypeError(msg)
    if os.path.isdir(text):
        msg = f"is a folder, not a file: {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return text


def input_path(text: str) -> str:
    """argparse type: a data file to read (not a folder, unless it is a file-geodatabase)."""
    if os.path.isdir(text) and not text.rstrip("/").endswith(".gdb"):
        msg = f"is a folder, not a data file: {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return text


def choice_of(values: Sequence[str], given: Sequence[str], option: str) -> list[str]:
    """Check repeatable filter values against the known ones; one-line error naming both."""
    unknown = [v for v in given if v not in values]
    if unknown:
        msg = f"{option}: unknown value {unknown[0]!r}; use one of {', '.join(values)}"
        raise RequestError(msg)
    return list(given)


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks and shows defaults that carry information."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


def console(*, stderr: bool = False) -> Console:
    """A rich console as wide as the terminal: ``COLUMNS`` when set (also into a pipe), else
    the terminal's width, else 160 columns when writing to a file or pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    else:
        probe = Console(stderr=stderr)
        width = probe.width if probe.is_terminal else 160
    return Console(highlight=False, soft_wrap=False, width=max(40, width), stderr=stderr)


def kernels_cold(*modules: str) -> bool:
    """Whether numba has no on-disk cache yet for any kernel of these ``corridor._kernels``
    modules (e.g. ``"ksp"``, ``"disjoint"``): their first call compiles them (about 20 s)."""
    from pathlib import Path

    import corridor._kernels as kernels

    cache = Path(kernels.__file__).resolve().parent / "__pycache__"
    return any(not any(cache.glob(f"{name}.*.nbi")) for name in modules)


def working(message: str, *, kernels: Sequence[str] = ()) -> Any:
    """A context that shows ``message`` with a spinner on standard error while work runs (only
    on a terminal), after a one-line notice when routing kernels compile first."""
    import contextlib

    err = console(stderr=True)
    if kernels and kernels_cold(*kernels):
        err.print("compiling routing kernels once, about 20 s (cached for later runs)")
    if not err.is_terminal:
        return contextlib.nullcontext()
    return err.status(message)


def fit_table(
    con: Console,
    columns: Sequence[tuple[str, str, int]],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
) -> tuple[Table, list[str]]:
    """A rich table that fits the console's width without cutting any cell.

    ``columns`` are ``(header, justify, drop)``: ``drop`` 0 means the column is always kept
    (the answer: names, the values asked for); columns with a higher ``drop`` are left out
    first, one at a time, until the narrowest rendering (every cell wrapped at its spaces, never
    inside a word) fits. Headers and cells wrap at spaces; nothing is ever shortened with an
    ellipsis. Returns the table and the headers left out (say so to the reader).
    """
    from rich.cells import cell_len

    def longest_word(text: str) -> int:
        return max((cell_len(w) for w in str(text).split()), default=1)

    narrowest = [
        max([longest_word(col[0])] + [longest_word(row[i]) for row in rows])
        for i, col in enumerate(columns)
    ]
    kept = list(range(len(columns)))
    dropped: list[str] = []

    def width(idx: list[int]) -> int:  # cells, one space of padding each side, 1-cell rules
        return sum(narrowest[i] for i in idx) + 3 * len(idx) - 1

    while width(kept) > con.width:
        optional = [i for i in kept if columns[i][2] > 0]
        if not optional:
            break
        worst = max(optional, key=lambda i: (columns[i][2], i))
        kept.remove(worst)
        dropped.append(columns[worst][0])
    # widths: every kept column at its narrowest, then the spare cells go to the columns that
    # need the fewest more to show unwrapped (headers and cells on one line), in that order
    widths = {i: narrowest[i] for i in kept}
    natural = {
        i: max([cell_len(columns[i][0])] + [cell_len(str(row[i])) for row in rows]) for i in kept
    }
    spare = con.width - width(kept)
    for i in sorted(kept, key=lambda i: natural[i] - widths[i]):
        grow = min(spare, natural[i] - widths[i])
        if grow > 0:
            widths[i] += grow
            spare -= grow
    table = Table(title=title, title_justify="left", show_edge=False)
    for i in kept:
        header, justify, _ = columns[i]
        table.add_column(
            header,
            justify=justify,  # type: ignore[arg-type]
            overflow="fold",
            width=widths[i],
        )
    for row in rows:
        table.add_row(*(row[i] for i in kept))
    return table, dropped


def print_left_out(con: Console, dropped: Sequence[str], hint: str = "") -> None:
    """Say which columns :func:`fit_table` left out (nothing when none), with ``hint`` on where
    to find them, in brackets."""
    if dropped:
        more = f" ({hint})" if hint else ""
        left_out = ", ".join(dict.fromkeys(dropped))
        con.print(f"[dim]left out to fit {con.width} columns: {left_out}{more}[/dim]")


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
    data.add_argument("--sites", type=input_path, help="sites file (default: the shipped data set)")
    data.add_argument("--links", type=input_path, help="links file (default: the shipped data set)")
    data.add_argument(
        "--countries", type=input_path, help="country borders file (default: shipped)"
    )
    add_model_option(data)
    data.add_argument("--group-index", type=factor, help="fiber group index (default 1.4682)")
    data.add_argument("--route-factor-terrestrial", type=factor, help="default 1.10")
    data.add_argument("--route-factor-submarine", type=factor, help="default 1.05")
    data.add_argument(
        "--site-delay-ms", type=nonnegative_float, help="equipment delay per site, default 0.05"
    )
    when = parser.add_argument_group("time and stress scenario")
    when.add_argument(
        "--year",
        type=year,
        metavar="Y",
        help="the network as of year Y: links enter service in their RFS year (planned links "
        "become existing), links with a later RFS are left out, links without RFS are kept",
    )
    when.add_argument(
        "--scenario",
        metavar="NAME|FILE",
        help="fail a stress scenario first: a shipped name (russia-closed, red-sea-cut, "
        "suez-closed, caspian-cut, black-sea-cut, kz-china-border-closed, ...) or a TOML file "
        "(data/scenarios/README.md)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def add_map_mode_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add ``--online`` (CDN Leaflet and web tiles) and ``--offline`` (the default; kept as a
    no-op alias so older command lines still work) to a command that writes a map."""
    parser.add_argument(
        "--online",
        action="store_true",
        help="maps load Leaflet from its CDN and draw web map tiles (default: self-contained "
        "file with Leaflet inlined and country borders, opens with no network)",
    )
    parser.add_argument("--offline", action="store_true", help=argparse.SUPPRESS)


def map_offline(args: argparse.Namespace) -> bool:
    """Whether the maps of a command are self-contained: yes unless ``--online`` was given."""
    return not bool(getattr(args, "online", False))


def add_model_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add ``--model FILE`` (a latency model written by ``corridor calibrate``)."""
    parser.add_argument(
        "--model",
        type=input_path,
        metavar="FILE",
        help="latency model file from `corridor calibrate` (default: the shipped model fitted "
        "on published operator round trips); the other model options override its values",
    )


def model_from_args(args: argparse.Namespace) -> LatencyModel:
    """The latency model of ``--model`` (or the shipped default) and the override options."""
    from corridor.latency import default_model, load_model

    path = getattr(args, "model", None)
    model = load_model(path) if path else default_model()
    return model.with_options(
        group_index=getattr(args, "group_index", None),
        route_factor_terrestrial=getattr(args, "route_factor_terrestrial", None),
        route_factor_submarine=getattr(args, "route_factor_submarine", None),
        site_delay_ms=getattr(args, "site_delay_ms", None),
    )


def year(text: str) -> int:
    """argparse type: a calendar year."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1850 <= value <= 2200:
        msg = f"must be a year between 1850 and 2200, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def apply_time_and_scenario(net: Network, args: argparse.Namespace) -> Network:
    """The network of ``--year`` and without the elements of ``--scenario`` (notes on stderr)."""
    if getattr(args, "year", None) is not None:
        from corridor.timeline import as_of

        net = as_of(net, args.year)
    if getattr(args, "scenario", None):
        from corridor.capacity.scenarios import apply_scenario, load_scenario, resolve

        resolved = resolve(net, load_scenario(args.scenario))
        for note in resolved.notes:
            sys.stderr.write(f"corridor: note: {note}\n")
        net = apply_scenario(net, resolved)
    return net


def add_constraint_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--status``, ``--via``, ``--avoid``, ``--max-rtt`` and ``--max-hops``."""
    group = parser.add_argument_group("constraints")
    group.add_argument(
        "--status",
        default="existing",
        choices=["existing", "planned", "all", "any"],
        help="links to use: existing only, existing + planned, all incl. proposed, or any "
        "(also suspended links, e.g. across a closed border)",
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
    group.add_argument(
        "--max-rtt",
        type=positive_float,
        metavar="MS",
        help="round-trip latency cap on the expected figure shown (handoffs included)",
    )
    group.add_argument("--max-hops", type=positive_int, metavar="N", help="at most N links")


def load_network_from_args(args: argparse.Namespace) -> Network:
    """The network the data and latency-model options of :func:`add_common_options` name."""
    from corridor.network import load_network

    if (args.sites is None) != (args.links is None):
        given, missing = ("--sites", "--links") if args.links is None else ("--links", "--sites")
        msg = f"{given} needs {missing} too: own data replaces both files"
        raise RequestError(msg)
    model = model_from_args(args)
    net = load_network(args.sites, args.links, countries=args.countries, model=model)
    return apply_time_and_scenario(net, args)


def add_export_options(parser: argparse.ArgumentParser) -> None:
    """``--geojson``, ``--gpkg`` and ``--kml``: write the result as a GIS layer."""
    group = parser.add_argument_group("GIS export (QGIS, Google Earth)")
    for fmt, what in (("geojson", "GeoJSON"), ("gpkg", "GeoPackage"), ("kml", "KML")):
        group.add_argument(
            f"--{fmt}",
            type=output_file,
            metavar="FILE",
            help=f"write the paths as {what} lines (one feature per path)",
        )


def wants_exports(args: argparse.Namespace) -> bool:
    """Whether any of ``--geojson``, ``--gpkg``, ``--kml`` was given."""
    return any(getattr(args, fmt, None) for fmt in ("geojson", "gpkg", "kml"))


def write_exports(args: argparse.Namespace, frame: Any) -> list[str]:
    """Write ``frame`` (a GeoDataFrame) to every file asked for by :func:`add_export_options`."""
    from corridor.export import GIS_DRIVERS, write_layer

    written = []
    for fmt in GIS_DRIVERS:
        target = getattr(args, fmt, None)
        if target:
            written.append(str(write_layer(frame, target, format=fmt)))
    return written
