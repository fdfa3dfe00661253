"""The ``corridor`` command: parses arguments, calls the library, prints, exits.

Exit codes: 0 success, 1 no route / nothing found, 2 bad input (data, request or usage).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from rich.table import Table

from corridor import __version__
from corridor._cli_batch import add_batch_command
from corridor._cli_invest import add_invest_command
from corridor._cli_maps import add_map_command, add_map_options, write_route_map
from corridor._cli_placement import add_place_command
from corridor._cli_resilience import (
    add_diversity_option,
    add_resilience_command,
    print_diversity,
)
from corridor._cli_util import console, print_json, split_values
from corridor._errors import ConstraintError, CorridorError, NoRouteError
from corridor.latency import LatencyModel
from corridor.network import Network, load_network
from corridor.routing import (
    RouteResult,
    disjoint_pair,
    diverse_paths,
    k_disjoint_paths,
    k_shortest_paths,
    shortest_path,
)

__all__ = ["main"]

EXIT_OK = 0
EXIT_NO_ROUTE = 1
EXIT_BAD_INPUT = 2


def _network(args: argparse.Namespace) -> Network:
    model = LatencyModel().with_options(
        group_index=args.group_index,
        route_factor_terrestrial=args.route_factor_terrestrial,
        route_factor_submarine=args.route_factor_submarine,
        site_delay_ms=args.site_delay_ms,
    )
    return load_network(args.sites, args.links, countries=args.countries, model=model)


# -- route ----------------------------------------------------------------------------------
def _route_dict(net: Network, result: RouteResult) -> dict[str, Any]:
    data = result.to_dict()
    names = net.lookup.site_name
    data["source_name"] = names[net.site_index(result.source)]
    data["target_name"] = names[net.site_index(result.target)]
    data["latency_model"] = {
        "group_index": net.model.group_index,
        "ms_per_km": round(net.model.ms_per_km, 6),
        "route_factor_terrestrial": net.model.route_factor_terrestrial,
        "route_factor_submarine": net.model.route_factor_submarine,
        "site_delay_ms": net.model.site_delay_ms,
    }
    return data


def _print_route(net: Network, result: RouteResult) -> None:
    con = console()
    look = net.lookup
    names = dict(zip(look.site_id, look.site_name, strict=True))
    con.print(
        f"[bold]{names[result.source]} -> {names[result.target]}[/bold]  great circle "
        f"{result.great_circle_km:,.0f} km, physical floor {result.floor_rtt_ms:.1f} ms round trip"
    )
    summary = Table(title=None, show_edge=False)
    for col in ("#", "RTT ms", "one-way ms", "km", "stretch", "hops", "countries"):
        summary.add_column(col, justify="right" if col not in ("countries",) else "left")
    for rank, path in enumerate(result.paths, start=1):
        summary.add_row(
            str(rank),
            f"{path.rtt_ms:.1f}",
            f"{path.one_way_ms:.2f}",
            f"{path.length_km:,.0f}",
            f"{path.stretch:.2f}",
            str(path.hops),
            " > ".join(path.countries),
        )
    con.print(summary)
    for rank, path in enumerate(result.paths, start=1):
        detail = Table(title=f"path {rank}", title_justify="left", show_edge=False)
        for col in ("from", "to", "system", "kind", "km", "ms"):
            detail.add_column(col, justify="right" if col in ("km", "ms") else "left")
        for i, link_id in enumerate(path.links):
            li = net.link_index(link_id)
            status = look.link_status[li]
            detail.add_row(
                names[path.nodes[i]],
                names[path.nodes[i + 1]],
                look.link_system[li],
                look.link_kind[li] + ("" if status == "existing" else f" ({status})"),
                f"{look.link_length[li]:,.0f}",
                f"{look.link_latency[li]:.2f}",
            )
        con.print(detail)
    for note in result.notes:
        con.print(f"note: {note}")


def _route(args: argparse.Namespace, net: Network) -> RouteResult:
    max_latency = args.max_rtt / 2.0 if args.max_rtt is not None else None
    common: dict[str, Any] = {
        "status": args.status,
        "avoid": split_values(args.avoid),
        "max_latency_ms": max_latency,
    }
    path_filters: dict[str, Any] = {"via": split_values(args.via), "max_hops": args.max_hops}
    if args.disjoint:
        if args.k > 2 and args.backup_max_rtt is None and args.disjoint != "srlg":
            return k_disjoint_paths(
                net, args.source, args.target, args.k, mode=args.disjoint, **common
            )
        backup = args.backup_max_rtt / 2.0 if args.backup_max_rtt is not None else None
        if any(path_filters.values()):
            msg = "--via and --max-hops constrain single paths; they cannot be used with --disjoint"
            raise ConstraintError(msg)
        return disjoint_pair(
            net,
            args.source,
            args.target,
            mode=args.disjoint,
            backup_max_latency_ms=backup,
            **common,
        )
    if args.diverse is not None:
        return diverse_paths(
            net,
            args.source,
            args.target,
            args.k,
            max_overlap=args.diverse,
            **common,
            **path_filters,
        )
    if args.k == 1:
        return shortest_path(net, args.source, args.target, **common, **path_filters)
    return k_shortest_paths(net, args.source, args.target, args.k, **common, **path_filters)


def _cmd_route(args: argparse.Namespace) -> int:
    net = _network(args)
    result = _route(args, net)
    pair = args.disjoint and len(result.paths) == 2
    written = write_route_map(args, net, result, labels=["primary", "backup"] if pair else None)
    if args.json:
        data = _route_dict(net, result)
        if written is not None:
            data["map"] = str(written)
        if args.diversity and len(result.paths) > 1:
            from corridor.resilience import diversity

            data["diversity"] = diversity(net, result.paths).to_dict()
        print_json(data)
    else:
        _print_route(net, result)
        print_diversity(args, net, result)
        if written is not None:
            console().print(f"wrote map {written}")
    return EXIT_OK


# -- sites / links --------------------------------------------------------------------------
def _cmd_sites(args: argparse.Namespace) -> int:
    net = _network(args)
    table = net.sites
    if args.country:
        codes = {net.resolve_country(c) for c in split_values(args.country)}
        table = table[table["country"].isin(codes)]
    if args.kind:
        table = table[table["kind"].isin(split_values(args.kind))]
    if args.region:
        table = table[table["region"].isin(split_values(args.region))]
    columns = ["id", "name", "kind", "country", "region", "status"]
    rows = table.assign(lon=table.geometry.x.round(4), lat=table.geometry.y.round(4))
    if args.json:
        print_json(rows[[*columns, "lon", "lat", "source"]].to_dict(orient="records"))
        return EXIT_OK
    out = Table(show_edge=False)
    for col in [*columns, "lon", "lat"]:
        out.add_column(col)
    for rec in rows[[*columns, "lon", "lat"]].itertuples(index=False):
        out.add_row(*(str(v) for v in rec))
    con = console()
    con.print(out)
    con.print(f"{len(rows)} sites")
    return EXIT_OK if len(rows) else EXIT_NO_ROUTE


def _cmd_links(args: argparse.Namespace) -> int:
    net = _network(args)
    table = net.links
    if args.country:
        codes = {net.resolve_country(c) for c in split_values(args.country)}
        table = table[[bool(codes & set(c)) for c in table["countries"]]]
    if args.kind:
        table = table[table["kind"].isin(split_values(args.kind))]
    if args.status:
        table = table[table["status"].isin(split_values(args.status))]
    if args.system:
        wanted = {s.casefold() for s in split_values(args.system)}
        table = table[[s.casefold() in wanted for s in table["system"]]]
    columns = ["id", "system", "kind", "status", "a", "b", "length_km", "latency_ms"]
    if args.json:
        records = []
        for rec in table.itertuples(index=False):
            records.append(
                {
                    "id": rec.id,
                    "name": rec.name,
                    "system": rec.system,
                    "kind": rec.kind,
                    "status": rec.status,
                    "a": rec.a,
                    "b": rec.b,
                    "rfs": None if rec.rfs is None or str(rec.rfs) == "<NA>" else int(rec.rfs),
                    "length_km": round(float(rec.length_km), 3),
                    "latency_ms": round(float(rec.latency_ms), 4),
                    "countries": list(rec.countries),
                    "srlgs": list(rec.srlgs),
                    "capacity_tbps": _num(rec.capacity_tbps),
                    "capex_eur_m": _num(rec.capex_eur_m),
                    "source": rec.source,
                }
            )
        print_json(records)
        return EXIT_OK
    out = Table(show_edge=False)
    for col in [*columns, "countries"]:
        out.add_column(col, justify="right" if col in ("length_km", "latency_ms") else "left")
    for rec in table.itertuples(index=False):
        out.add_row(
            rec.id,
            rec.system,
            rec.kind,
            rec.status,
            rec.a,
            rec.b,
            f"{rec.length_km:,.0f}",
            f"{rec.latency_ms:.2f}",
            ">".join(rec.countries),
        )
    con = console()
    con.print(out)
    con.print(f"{len(table)} links")
    return EXIT_OK if len(table) else EXIT_NO_ROUTE


def _num(value: float) -> float | None:
    return None if value != value else float(value)  # NaN -> None


# -- parser ---------------------------------------------------------------------------------
class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks and shows defaults that carry information."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


def _common(parser: argparse.ArgumentParser) -> None:
    data = parser.add_argument_group("data and latency model")
    data.add_argument("--sites", help="sites file (default: the shipped data set)")
    data.add_argument("--links", help="links file (default: the shipped data set)")
    data.add_argument("--countries", help="country borders file (default: shipped)")
    data.add_argument("--group-index", type=float, help="fiber group index (default 1.4682)")
    data.add_argument("--route-factor-terrestrial", type=float, help="default 1.10")
    data.add_argument("--route-factor-submarine", type=float, help="default 1.05")
    data.add_argument("--site-delay-ms", type=float, help="equipment delay per site, default 0.05")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def _constraint_options(parser: argparse.ArgumentParser) -> None:
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


def _route_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("alternatives and protection")
    group.add_argument("--k", type=int, default=1, metavar="N", help="the N fastest loopless paths")
    group.add_argument(
        "--disjoint",
        choices=["link", "node", "srlg"],
        help="a primary and a backup sharing no link / site / shared-risk group "
        "(with --k N > 2 and link or node: N disjoint paths)",
    )
    group.add_argument(
        "--backup-max-rtt",
        type=float,
        metavar="MS",
        help="with --disjoint link|node: fastest primary whose backup stays under this RTT",
    )
    group.add_argument(
        "--diverse",
        type=float,
        metavar="SHARE",
        help="k dissimilar paths: each pair shares at most this share of latency (0..1)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``corridor`` command."""
    parser = argparse.ArgumentParser(
        prog="corridor",
        description="Latency and route optimizer for the Europe - East Asia fiber corridor.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"corridor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    route = sub.add_parser(
        "route",
        help="best route between two sites",
        formatter_class=_Formatter,
        description="Best route between two sites, with countries, km, latency and stretch.",
        epilog=(
            "examples:\n"
            "  corridor route Frankfurt Shanghai\n"
            "  corridor route Frankfurt Shanghai --k 5 --via KZ --avoid RU\n"
            "  corridor route Frankfurt Shanghai --disjoint srlg --status all --json\n"
            "  corridor route London Tokyo --k 3 --diverse 0.3 --max-rtt 250"
        ),
    )
    route.add_argument("source", help="site id or name (case-insensitive)")
    route.add_argument("target", help="site id or name (case-insensitive)")
    _constraint_options(route)
    _route_options(route)
    add_map_options(route)
    add_diversity_option(route)
    _common(route)
    route.set_defaults(func=_cmd_route)

    sites = sub.add_parser(
        "sites",
        help="list the sites",
        formatter_class=_Formatter,
        epilog=(
            "examples:\n  corridor sites --country KZ\n  corridor sites --kind datacenter --json"
        ),
    )
    sites.add_argument("--country", action="append", help="ISO code or name (repeatable)")
    sites.add_argument("--kind", action="append", help="city, datacenter, ixp, landing, border")
    sites.add_argument("--region", action="append", help="e.g. europe, central_asia, china")
    _common(sites)
    sites.set_defaults(func=_cmd_sites)

    links = sub.add_parser(
        "links",
        help="list the links",
        formatter_class=_Formatter,
        epilog=(
            "examples:\n  corridor links --country KZ --status existing\n"
            "  corridor links --kind submarine --json"
        ),
    )
    links.add_argument("--country", action="append", help="links crossing this country")
    links.add_argument("--kind", action="append", help="terrestrial or submarine")
    links.add_argument("--status", action="append", help="existing, planned, proposed")
    links.add_argument("--system", action="append", help="system name (case-insensitive)")
    _common(links)
    links.set_defaults(func=_cmd_links)

    add_map_command(sub, _common, load=_network, formatter_class=_Formatter)
    add_resilience_command(
        sub, _common, _constraint_options, load=_network, formatter_class=_Formatter
    )
    add_invest_command(sub, _common, load=_network, formatter_class=_Formatter)
    add_place_command(sub, _common, load=_network, formatter_class=_Formatter)
    add_batch_command(sub, formatter_class=_Formatter)
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
        sys.stderr.write("corridor: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
