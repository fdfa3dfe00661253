"""Command-line wiring of the resilience analysis: ``corridor resilience``.

``corridor resilience FROM TO`` shows the best achievable protected pair, its availability
against the Uptime Institute Tier IV bar and the single failures (link, SRLG, site, country)
that hurt the pair most. ``corridor resilience --all-pairs`` sweeps a family of failure
scenarios over the default OD set (every European city x every Chinese / East Asian city, see
:func:`corridor.resilience.default_pairs`) with a progress bar on stderr, and can write the
full scenario x pair table to CSV (atomically).

:func:`register` adds the subcommand; :func:`add_diversity_option` and
:func:`print_diversity` add a ``--diversity`` table to ``corridor route`` (rows from
:func:`diversity_rows`). Handlers return exit codes and raise corridor errors; the caller's
``main()`` prints them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corridor._atomic import write_csv_atomic
from corridor._errors import ConstraintError, RequestError
from corridor.cli._common import (
    Formatter,
    Subparsers,
    add_common_options,
    add_constraint_options,
    add_export_options,
    add_map_mode_options,
    console,
    fit_table,
    fraction,
    load_network_from_args,
    map_offline,
    nonnegative_float,
    output_file,
    positive_float,
    positive_int,
    print_json,
    print_left_out,
    split_values,
    wants_exports,
    write_exports,
)

if TYPE_CHECKING:
    import pandas as pd

    from corridor.network import Network
    from corridor.resilience import availability as av
    from corridor.resilience.sweep import SweepResult
    from corridor.routing import RouteResult

# The failure sweep, availability model and pandas are imported by the handlers that use
# them, so building the parser (every ``corridor`` call) stays cheap.

__all__ = [
    "add_diversity_option",
    "availability_model",
    "cmd_resilience",
    "print_diversity",
    "register",
    "write_csv",
]

EPILOG = (
    "examples:\n"
    "  corridor resilience Frankfurt Shanghai\n"
    "  corridor resilience Frankfurt Shanghai --status all --mttr-submarine-days 60 --json\n"
    "  corridor resilience --all-pairs --scenarios srlgs --sla-rtt 150\n"
    "  corridor resilience --all-pairs --scenarios links --csv sweep.csv\n"
    "  corridor resilience Frankfurt Shanghai --map protection.html\n"
    "  corridor resilience --all-pairs --scenarios srlgs --map stranded.html\n"
    "  corridor resilience --all-pairs --dask-local 2 --csv sweep.csv\n"
    "\n"
    "--all-pairs sweeps every city of region europe against every city of regions china and\n"
    "east_asia (640 pairs on the shipped data). Availability defaults and their sources:\n"
    "see corridor.resilience.availability."
)

PAIR_FAMILIES = ("links", "srlgs", "sites", "countries")


def availability_model(args: argparse.Namespace) -> av.AvailabilityModel:
    """The :class:`~corridor.resilience.availability.AvailabilityModel` of the CLI options."""
    from corridor.resilience import availability as av

    base = av.AvailabilityModel()
    mttr_sub = getattr(args, "mttr_submarine_days", None)
    kw: dict[str, Any] = {
        "cut_rate_terrestrial": getattr(args, "cut_rate_terrestrial", None),
        "cut_rate_submarine": getattr(args, "cut_rate_submarine", None),
        "mttr_terrestrial_h": getattr(args, "mttr_terrestrial_hours", None),
        "mttr_submarine_h": mttr_sub * 24.0 if mttr_sub is not None else None,
        "site_availability": getattr(args, "site_availability", None),
        "chokepoint_rate": getattr(args, "chokepoint_rate", None),
        "conduit_rate": getattr(args, "conduit_rate", None),
    }
    kw = {k: v for k, v in kw.items() if v is not None}
    if getattr(args, "no_srlg_events", False):
        kw["srlg_events"] = False
    if getattr(args, "include_endpoints", False):
        kw["include_endpoints"] = True
    merged = {**{f: getattr(base, f) for f in base.__dataclass_fields__}, **kw}
    return av.AvailabilityModel(**merged)


def write_csv(frame: pd.DataFrame, target: str | os.PathLike[str]) -> FsPath:
    """Write ``frame`` to CSV atomically (temporary file in the same folder, then replace).

    Raises
    ------
    RequestError
        When the file cannot be written (one line naming the file).
    """
    return write_csv_atomic(target, frame)


def _fmt(value: Any, spec: str = ".1f") -> str:
    import pandas as pd

    if value is None or value is pd.NA:
        return "-"
    return format(float(value), spec)


# -- FROM TO ----------------------------------------------------------------------------------
def _pair_failures(
    net: Network, prot: av.Protection, args: argparse.Namespace, families: Sequence[str]
) -> tuple[pd.DataFrame, list[SweepResult]]:
    import pandas as pd

    from corridor.resilience.sweep import sweep

    frames = []
    sweeps = []
    for family in families:
        res = sweep(
            net,
            [(prot.source, prot.target)],
            scenarios=family,
            status=args.status,
            avoid=split_values(args.avoid),
            sla_rtt_ms=args.sla_rtt,
        )
        hits = []
        primary = set(prot.paths[0].links), set(prot.paths[0].nodes)
        backup = (
            (set(prot.paths[1].links), set(prot.paths[1].nodes))
            if len(prot.paths) > 1
            else (set(), set())
        )
        look = net.lookup
        for sc in res.scenarios:
            links = {look.link_id[i] for i in sc.links}
            sites = {look.site_id[v] for v in sc.sites}
            a = bool(links & primary[0] or sites & primary[1])
            b = bool(links & backup[0] or sites & backup[1])
            hits.append("both" if a and b else "primary" if a else "backup" if b else "-")
        table = res.table.copy()
        table["hits"] = hits
        frames.append(table)
        sweeps.append(res)
    table = pd.concat(frames, ignore_index=True)
    table = table[(table["hits"] != "-") | table["hit"]]
    order = table.assign(
        _disc=~table["connected"],
        _both=table["hits"] == "both",
        _inc=table["rtt_increase_ms"].fillna(0.0).astype(float),
    ).sort_values(
        ["_disc", "_both", "_inc", "scenario"],
        ascending=[False, False, False, True],
        kind="mergesort",
    )
    return order.drop(columns=["_disc", "_both", "_inc"]).reset_index(drop=True), sweeps


def _cmd_pair(args: argparse.Namespace, net: Network) -> int:
    import pandas as pd

    from corridor.resilience import availability as av
    from corridor.resilience.sweep import SweepResult

    if split_values(args.via) or args.max_hops is not None:
        msg = "--via and --max-hops constrain single paths; they cannot be used with resilience"
        raise ConstraintError(msg)
    model = availability_model(args)
    max_latency = args.max_rtt / 2.0 if args.max_rtt is not None else None
    prot = av.protection(
        net,
        args.source,
        args.target,
        model=model,
        status=args.status,
        avoid=split_values(args.avoid),
        max_latency_ms=max_latency,
    )
    exported: list[str] = []
    if wants_exports(args):
        from corridor.export import route_geodataframe

        roles = ["primary", "backup"][: len(prot.paths)]
        frame = route_geodataframe(net, prot, roles=roles)  # type: ignore[arg-type]  # duck-typed
        exported = write_exports(args, frame)
    families = [args.scenarios] if args.scenarios else list(PAIR_FAMILIES)
    failures, sweeps = _pair_failures(net, prot, args, families)
    if args.map:
        from corridor.maps import protection_map, save_map

        m = protection_map(net, prot, sweeps, offline=map_offline(args))
        map_written: str | None = str(save_map(m, args.map))
    else:
        map_written = None
    endpoint = failures[failures["endpoint_failed"]]
    top = failures[~failures["endpoint_failed"]].head(args.top)
    if args.csv:
        write_csv(failures, args.csv)
    if args.json:
        cols = [
            "scenario",
            "kind",
            "hits",
            "connected",
            "endpoint_failed",
            "rtt_ms",
            "physical_rtt_ms",
            "baseline_rtt_ms",
            "rtt_increase_ms",
            *(["sla_ok"] if args.sla_rtt else []),
        ]
        data = {
            "protection": prot.to_dict(),
            "single_failures": SweepResult(top[cols], pd.DataFrame(), ()).records(),
            "endpoint_failures": SweepResult(endpoint[cols], pd.DataFrame(), ()).records(),
        }
        if exported:
            data["exports"] = exported
        if map_written:
            data["map"] = map_written
        print_json(data)
        return 0
    names = dict(zip(net.sites["id"], net.sites["name"], strict=True))
    con = console()
    label = {
        "srlg": "SRLG-disjoint pair",
        "link": "link-disjoint pair (no SRLG-disjoint pair exists)",
        "link-partial": "least-shared pair (no link-disjoint pair exists)",
        "none": "unprotected (a single route only)",
    }[prot.mode]
    con.print(f"[bold]{names[prot.source]} -> {names[prot.target]}[/bold]  protection: {label}")
    paths = Table(show_edge=False)
    for col in (
        "role", "RTT ms", "physical ms", "floor ms", "km", "hops", "availability",
        "downtime min/yr", "countries",
    ):  # fmt: skip
        paths.add_column(col, justify="left" if col in ("role", "countries") else "right")
    for role, path in zip(("primary", "backup"), prot.paths, strict=False):
        a = av.path_availability(net, path, model=model)
        paths.add_row(
            role,
            f"{path.rtt_ms:.1f}",
            f"{path.physical_rtt_ms:.1f}",
            f"{2 * path.floor_one_way_ms:.1f}",
            f"{path.length_km:,.0f}",
            str(path.hops),
            f"{100 * a:.4f}%",
            f"{av.downtime_minutes(a):,.1f}",
            " > ".join(path.countries),
        )
    con.print(paths)
    verdict = Table(show_edge=False, title="availability vs Uptime Tier IV", title_justify="left")
    verdict.add_column("")
    verdict.add_column("availability", justify="right")
    verdict.add_column("downtime min/yr", justify="right")
    verdict.add_row(
        "protected pair", f"{100 * prot.availability:.5f}%", f"{prot.downtime_min:,.1f}"
    )
    verdict.add_row(
        "primary alone",
        f"{100 * prot.primary_availability:.5f}%",
        f"{prot.primary_downtime_min:,.1f}",
    )
    verdict.add_row(
        "Tier IV bar", f"{100 * av.TIER_IV_AVAILABILITY:.3f}%", f"{av.TIER_IV_DOWNTIME_MIN:.1f}"
    )
    con.print(verdict)
    gap = prot.downtime_min - av.TIER_IV_DOWNTIME_MIN
    con.print("meets Tier IV" if prot.meets_tier_iv else f"misses Tier IV by {gap:,.1f} min/yr")
    shared = [f"{k} {', '.join(v)}" for k, v in prot.shared.items() if v]
    if shared:
        con.print(f"shared by both paths: {'; '.join(shared)}")
    worst = Table(show_edge=False, title="single failures that hurt most", title_justify="left")
    for col in (
        "scenario",
        "kind",
        "hits",
        "rerouted RTT ms",
        "physical ms",
        "+ms",
        *(["SLA"] if args.sla_rtt else []),
    ):
        numeric = col in ("rerouted RTT ms", "physical ms", "+ms")
        worst.add_column(col, justify="right" if numeric else "left")
    for rec in top.itertuples(index=False):
        if rec.endpoint_failed:
            rtt, phys, inc = "endpoint down", "-", "-"
        elif not rec.connected:
            rtt, phys, inc = "disconnected", "-", "-"
        else:
            rtt, phys = _fmt(rec.rtt_ms), _fmt(rec.physical_rtt_ms)
            inc = _fmt(rec.rtt_increase_ms)
        extra = ["ok" if rec.sla_ok else "MISS"] if args.sla_rtt else []
        worst.add_row(str(rec.scenario), str(rec.kind), str(rec.hits), rtt, phys, inc, *extra)
    con.print(worst)
    if len(endpoint):
        names_down = ", ".join(
            f"{k} {n}" for n, k in zip(endpoint["scenario"], endpoint["kind"], strict=True)
        )
        con.print(f"endpoint failures (disconnect the pair by definition): {names_down}")
    for note in prot.notes:
        con.print(f"note: {note}")
    for written in [*exported, *([map_written] if map_written else [])]:
        con.print(f"wrote {written}")
    return 0


# -- --all-pairs ------------------------------------------------------------------------------
def _cmd_all_pairs(args: argparse.Namespace, net: Network) -> int:
    from corridor.resilience.sweep import default_pairs, sweep

    if args.source or args.target:
        msg = "--all-pairs sweeps the default OD set; do not also give FROM and TO"
        raise RequestError(msg)
    family = args.scenarios or "links"
    pairs = default_pairs(net)
    if not pairs:
        msg = "no default OD pairs: no city sites in region europe and in china/east_asia"
        raise RequestError(msg)
    err = console(stderr=True)
    with Progress(
        TextColumn(f"sweeping {family}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=args.json or not err.is_terminal,
    ) as bar:
        task = bar.add_task("sweep", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = sweep(
            net,
            pairs,
            scenarios=family,
            status=args.status,
            avoid=split_values(args.avoid),
            sla_rtt_ms=args.sla_rtt,
            unreachable="drop",
            progress=tick,
            scheduler=args.scheduler,
            dask_local=args.dask_local,
        )
    if args.csv:
        write_csv(result.table, args.csv)
    written = None
    if args.map:
        from corridor.maps import save_map, sweep_map

        written = save_map(sweep_map(net, result, offline=map_offline(args)), args.map)
    if args.json:
        data = result.to_dict(top=args.top)
        if written is not None:
            data["map"] = str(written)
        print_json(data)
        return 0
    con = console()
    st = result.stats
    con.print(
        f"[bold]{family} sweep[/bold]: {st['scenarios']} scenarios x {st['pairs']} OD pairs = "
        f"{st['rows']:,} rows ({st['pairs_recomputed']:,} recomputed)"
    )
    for s, t in st["dropped_unreachable_pairs"]:
        con.print(f"note: {s} -> {t} has no route at all and was left out")
    cols = [
        ("#", "right", 0),
        ("scenario", "left", 0),
        ("kind", "left", 3),
        ("pairs hit", "right", 0),
        ("disconnected", "right", 0),
        ("endpoint down", "right", 2),
        ("total +ms", "right", 1),
        ("max +ms", "right", 0),
        *([("SLA misses", "right", 0)] if args.sla_rtt else []),
    ]
    rows = [
        [
            str(rec.rank), rec.scenario, rec.kind, str(rec.pairs_hit), str(rec.pairs_disconnected),
            str(rec.pairs_endpoint_failed), f"{rec.total_rtt_increase_ms:,.1f}",
            f"{rec.max_rtt_increase_ms:.1f}", *([str(rec.sla_violations)] if args.sla_rtt else []),
        ]
        for rec in result.worst(args.top).itertuples(index=False)
    ]  # fmt: skip
    worst, dropped = fit_table(con, cols, rows, title="worst scenarios")
    con.print(worst)
    stranded = result.stranded()
    if len(stranded):
        groups = sorted(
            stranded.groupby(["scenario", "kind"], sort=False, observed=True),
            key=lambda item: -len(item[1]),
        )
        rows = []
        for (scenario, kind), grp in groups[: args.top]:
            names = [f"{s}-{t}" for s, t in zip(grp["source"], grp["target"], strict=True)]
            more = f" (+{len(names) - 3} more)" if len(names) > 3 else ""
            rows.append([scenario, kind, str(len(grp)), ", ".join(names[:3]) + more])
        cols = [("scenario", "left", 0), ("kind", "left", 1), ("pairs", "right", 0)]
        cols.append(("examples", "left", 2))
        title = "pairs left without any route" + (
            f" (top {args.top} of {len(groups)} scenarios)" if len(groups) > args.top else ""
        )
        table, more_dropped = fit_table(con, cols, rows, title=title)
        dropped += more_dropped
        con.print(table)
        if len(groups) > args.top:
            con.print(
                f"{len(groups) - args.top} more scenarios strand pairs: --top N, --csv or --json"
            )
        print_left_out(con, dropped)
    else:
        con.print("no single scenario leaves a pair without a route (endpoint failures aside)")
    if args.csv:
        con.print(f"wrote {args.csv}")
    if written is not None:
        con.print(f"wrote {written}")
    return 0


def cmd_resilience(args: argparse.Namespace) -> int:
    """Handler of ``corridor resilience``; returns the exit code (errors are raised)."""
    if args.sla_rtt is not None and not args.sla_rtt > 0:
        msg = f"--sla-rtt must be a positive number of ms, got {args.sla_rtt!r}"
        raise RequestError(msg)
    if args.top < 1:
        msg = f"--top must be at least 1, got {args.top!r}"
        raise RequestError(msg)
    availability_model(args)  # validate the model options before loading data
    net = load_network_from_args(args)
    if args.all_pairs:
        if wants_exports(args):
            msg = "--geojson/--gpkg/--kml export the protected pair of FROM TO, not --all-pairs"
            raise ConstraintError(msg)
        return _cmd_all_pairs(args, net)
    if args.scheduler or args.dask_local:
        msg = "--scheduler/--dask-local run the --all-pairs sweep; one pair runs in this process"
        raise RequestError(msg)
    if not args.source or not args.target:
        msg = "give FROM and TO sites, or --all-pairs"
        raise RequestError(msg)
    return _cmd_pair(args, net)


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor resilience`` to the ``corridor`` parser.

    The handler is set as ``func``; returns the subparser.
    """
    parser = subparsers.add_parser(
        "resilience",
        help="protection, availability and failure sweeps",
        description=(
            "Protected pair, availability vs Uptime Tier IV and worst single failures for one "
            "OD pair, or a failure sweep (links, SRLGs, sites, countries) over all "
            "Europe x East Asia city pairs."
        ),
        epilog=EPILOG,
        formatter_class=Formatter,
    )
    parser.add_argument("source", nargs="?", help="site id or name")
    parser.add_argument("target", nargs="?", help="site id or name")
    sweep_group = parser.add_argument_group("failure sweep")
    sweep_group.add_argument(
        "--all-pairs",
        action="store_true",
        help="sweep all city pairs europe x (china, east_asia) instead of one pair",
    )
    sweep_group.add_argument(
        "--scenarios",
        choices=["links", "srlgs", "sites", "countries", "link-pairs"],
        help="failure family (default: links with --all-pairs; links+srlgs+sites+countries "
        "for one pair)",
    )
    sweep_group.add_argument(
        "--sla-rtt", type=positive_float, metavar="MS", help="RTT service bound"
    )
    sweep_group.add_argument(
        "--csv", type=output_file, metavar="FILE", help="write the scenario x pair table"
    )
    sweep_group.add_argument(
        "--top", type=positive_int, default=10, metavar="N", help="rows to show"
    )
    sweep_group.add_argument(
        "--map",
        type=output_file,
        metavar="FILE",
        help="write an HTML map: the protected pair and the failures that hurt it, or with "
        "--all-pairs the failures colored by the pairs they strand (self-contained)",
    )
    add_map_mode_options(sweep_group)
    engine = sweep_group.add_mutually_exclusive_group()
    engine.add_argument(
        "--scheduler", metavar="ADDR", help="run the sweep on this dask.distributed scheduler"
    )
    engine.add_argument(
        "--dask-local",
        type=positive_int,
        metavar="N",
        help="run the sweep on a local dask cluster of N worker processes (pays from about a "
        "minute of work)",
    )
    model = parser.add_argument_group("availability model (defaults: see module docs)")
    model.add_argument(
        "--cut-rate-terrestrial",
        type=nonnegative_float,
        metavar="R",
        help="cuts per 1000 km per year (default 0.3, weak source)",
    )
    model.add_argument(
        "--cut-rate-submarine",
        type=nonnegative_float,
        metavar="R",
        help="faults per 1000 km per year (default 0.17)",
    )
    model.add_argument(
        "--mttr-terrestrial-hours",
        type=positive_float,
        metavar="H",
        help="terrestrial repair time (default 12 h)",
    )
    model.add_argument(
        "--mttr-submarine-days",
        type=positive_float,
        metavar="D",
        help="submarine repair time (default 30 days)",
    )
    model.add_argument(
        "--site-availability",
        type=fraction,
        metavar="A",
        help="availability of each site (default 0.99999)",
    )
    model.add_argument(
        "--chokepoint-rate",
        type=nonnegative_float,
        metavar="R",
        help="sea-chokepoint SRLG events per year (default 0.1; red-sea 0.25)",
    )
    model.add_argument(
        "--conduit-rate",
        type=nonnegative_float,
        metavar="R",
        help="shared-conduit SRLG events per year (default 0.05)",
    )
    model.add_argument(
        "--no-srlg-events", action="store_true", help="ignore SRLGs as common-mode failure events"
    )
    model.add_argument(
        "--include-endpoints",
        action="store_true",
        help="count the two endpoint sites in path availability",
    )
    add_constraint_options(parser)
    add_common_options(parser)
    add_export_options(parser)
    parser.set_defaults(func=cmd_resilience)
    return parser


# -- route --diversity --------------------------------------------------------------------------
def add_diversity_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--diversity`` to ``corridor route``."""
    parser.add_argument(
        "--diversity",
        action="store_true",
        help="with several paths: shared links/SRLGs/countries, separation km, EPD",
    )


def print_diversity(args: argparse.Namespace, net: Network, result: RouteResult) -> None:
    """Print the ``--diversity`` table of a routing result (nothing without the flag).

    With ``--json`` the caller should instead add ``diversity(net, result.paths).to_dict()``
    to its JSON document.
    """
    if not getattr(args, "diversity", False):
        return
    from corridor.resilience.diversity import diversity_rows

    con = console()
    table = Table(show_edge=False, title="path diversity", title_justify="left")
    table.add_column("metric")
    table.add_column("value")
    for metric, value in diversity_rows(net, result):
        table.add_row(metric, value)
    con.print(table)
