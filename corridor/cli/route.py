"""``corridor route FROM TO``: the best route, alternatives, protected pairs, constraints."""

from __future__ import annotations

import argparse
from typing import Any

from corridor._errors import ConstraintError
from corridor.cli._common import (
    EXIT_OK,
    Formatter,
    Subparsers,
    add_common_options,
    add_constraint_options,
    add_export_options,
    console,
    fit_table,
    fraction,
    load_network_from_args,
    positive_float,
    positive_int,
    print_json,
    print_left_out,
    split_values,
    wants_exports,
    working,
    write_exports,
)
from corridor.cli.map import add_map_options, write_route_map
from corridor.cli.resilience import add_diversity_option, print_diversity
from corridor.network import Network
from corridor.routing import (
    RouteResult,
    disjoint_pair,
    diverse_paths,
    k_disjoint_paths,
    k_shortest_paths,
    shortest_path,
)
from corridor.routing.disjoint import shared_text

__all__ = ["register"]

EPILOG = (
    "examples:\n"
    "  corridor route Frankfurt Shanghai\n"
    "  corridor route Frankfurt Shanghai --k 5 --via KZ --avoid RU\n"
    "  corridor route Frankfurt Shanghai --disjoint srlg --status all --json\n"
    "  corridor route London Tokyo --k 3 --diverse 0.3 --max-rtt 250\n"
    "  corridor route Frankfurt Shanghai --avoid RU --rank service\n"
    "  corridor route Frankfurt Shanghai --k 3 --geojson routes.geojson --kml routes.kml"
)


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
    info = [*result.path_info, *([{}] * (len(result.paths) - len(result.path_info)))]
    extra = any("differs_from_best" in x or "role" in x for x in info)
    # (header, justify, drop): 0 is the answer and always kept; higher numbers go first when the
    # terminal is narrow (the floor is in the line above, one-way is half the RTT)
    cols: list[tuple[str, str, int]] = [
        ("#", "right", 0), ("RTT ms", "right", 0), ("physical ms", "right", 0),
        ("floor ms", "right", 8), ("one-way ms", "right", 9), ("km", "right", 5),
        ("stretch", "right", 6), ("hops", "right", 4), ("handoffs", "right", 3),
        ("confidence", "left", 2), ("countries", "left", 0),
    ]  # fmt: skip
    if extra:
        cols.append(("vs best" if "role" not in info[0] else "role", "left", 0))
    rows = []
    for rank, (path, more) in enumerate(zip(result.paths, info, strict=True), start=1):
        row = [
            str(rank),
            f"{path.rtt_ms:.1f}",
            f"{path.physical_rtt_ms:.1f}",
            f"{result.floor_rtt_ms:.1f}",
            f"{path.one_way_ms:.2f}",
            f"{path.length_km:,.0f}",
            f"{path.stretch:.2f}",
            str(path.hops),
            str(path.handoffs),
            path.confidence,
            " > ".join(path.countries),
        ]
        if extra:
            row.append(more.get("role") or _differs(more.get("differs_from_best"), names))
        rows.append(row)
    summary, dropped = fit_table(con, cols, rows)
    con.print(summary)
    print_left_out(con, dropped, "--json for all")
    con.print(
        "RTT: expected service round trip (latency model, handoffs included); physical: fiber "
        "along the drawn route; floor: great circle at the speed of light in fiber"
    )
    detail_cols = [
        ("from", "left", 0), ("to", "left", 0), ("system", "left", 0), ("kind", "left", 2),
        ("confidence", "left", 1), ("km", "right", 3), ("ms", "right", 0),
    ]  # fmt: skip
    for rank, path in enumerate(result.paths, start=1):
        detail_rows = []
        for i, link_id in enumerate(path.links):
            li = net.link_index(link_id)
            status = look.link_status[li]
            detail_rows.append(
                [
                    names[path.nodes[i]],
                    names[path.nodes[i + 1]],
                    look.link_system[li],
                    look.link_kind[li] + ("" if status == "existing" else f" ({status})"),
                    look.link_confidence[li] if look.link_confidence else "documented",
                    f"{look.link_length[li]:,.0f}",
                    f"{look.link_latency[li]:.2f}",
                ]
            )
        detail, dropped = fit_table(con, detail_cols, detail_rows, title=f"path {rank}")
        con.print(detail)
        print_left_out(con, dropped, "--json for all")
    for rank, more in enumerate(info, start=1):
        for seg in more.get("parallel_cables", []):
            con.print(
                f"path {rank}: {names[seg['from']]} - {names[seg['to']]} on {seg['links'][0]} "
                f"(parallel: {', '.join(seg['links'][1:])})"
            )
    shared = shared_text(result)
    if shared:
        con.print(shared)
    for note in result.notes:
        con.print(f"note: {note}")


def _differs(diff: dict[str, Any] | None, names: dict[str, str]) -> str:
    """One line: where an alternative leaves the best route, what it takes instead, +ms."""
    if not diff:
        return "best"
    via = " > ".join(names[v] for v in diff["via"]) or "direct"
    return (
        f"+{diff['extra_rtt_ms']:.1f} ms: {names[diff['leaves_at']]} > {via} > "
        f"{names[diff['rejoins_at']]}"
    )


def _check_options(args: argparse.Namespace) -> None:
    """Options that only mean something together with another one."""
    if args.diverse is not None and args.k < 2:
        msg = f"--diverse {args.diverse:g} needs --k N with N >= 2 (how many alternatives)"
        raise ConstraintError(msg)
    if args.backup_max_rtt is not None and args.disjoint not in ("link", "node"):
        msg = f"--backup-max-rtt {args.backup_max_rtt:g} needs --disjoint link or node"
        raise ConstraintError(msg)
    if args.disjoint and (args.via or args.max_hops is not None):
        msg = "--via and --max-hops constrain single paths; they cannot be used with --disjoint"
        raise ConstraintError(msg)
    if args.disjoint and args.diverse is not None:
        msg = "--diverse and --disjoint ask for different things; use one of them"
        raise ConstraintError(msg)
    if args.rank == "service":
        other = [
            opt
            for opt, used in (
                ("--disjoint", bool(args.disjoint)),
                ("--diverse", args.diverse is not None),
            )
            if used
        ]
        if other:
            msg = (
                f"--rank service ranks single routes; {', '.join(other)} "
                f"{'ranks' if len(other) == 1 else 'rank'} by arc latency (drop --rank service)"
            )
            raise ConstraintError(msg)


def _route(args: argparse.Namespace, net: Network) -> RouteResult:
    max_latency = args.max_rtt / 2.0 if args.max_rtt is not None else None
    common: dict[str, Any] = {
        "status": args.status,
        "avoid": split_values(args.avoid),
        "max_latency_ms": max_latency,
    }
    path_filters: dict[str, Any] = {"via": split_values(args.via), "max_hops": args.max_hops}
    if args.rank == "service":
        from corridor.routing.service import k_service_paths, service_path

        if args.k == 1 and not any(path_filters.values()):
            return service_path(net, args.source, args.target, **common)
        return k_service_paths(
            net, args.source, args.target, args.k, by=args.by, **common, **path_filters
        )
    if args.disjoint:
        if args.k > 2 and args.backup_max_rtt is None and args.disjoint in ("link", "node"):
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
    return k_shortest_paths(
        net, args.source, args.target, args.k, by=args.by, **common, **path_filters
    )


def _cmd_route(args: argparse.Namespace) -> int:
    _check_options(args)
    net = load_network_from_args(args)
    kernels = ["disjoint"] if args.disjoint else (["ksp"] if args.k > 1 else [])
    with working("routing ...", kernels=kernels):
        result = _route(args, net)
    roles = [str(info.get("role") or "") for info in result.path_info]
    labels = roles if roles and all(roles) and len(roles) == len(result.paths) else None
    faster = _faster_service_route(args, net, result)
    written = write_route_map(args, net, result, labels=labels)
    exported = write_exports(args, result.to_geodataframe(net)) if wants_exports(args) else []
    if args.json:
        data = _route_dict(net, result)
        if written is not None:
            data["map"] = str(written)
        if exported:
            data["exports"] = exported
        if args.diversity and len(result.paths) > 1:
            from corridor.resilience import diversity

            data["diversity"] = diversity(net, result.paths).to_dict()
        if faster is not None:
            data["faster_service_route"] = {
                "rtt_ms": faster.rtt_ms,
                "physical_rtt_ms": faster.physical_rtt_ms,
                "handoffs": faster.handoffs,
                "nodes": list(faster.nodes),
                "links": list(faster.links),
            }
        print_json(data)
    else:
        _print_route(net, result)
        if faster is not None:
            best = result.best
            console().print(
                f"note: with fewer changes of system a route is faster as a service: "
                f"{faster.rtt_ms:.1f} ms expected ({faster.handoffs} handoffs, against "
                f"{best.rtt_ms:.1f} ms and {best.handoffs}); see it with --rank service"
            )
        print_diversity(args, net, result)
        if written is not None:
            console().print(f"wrote map {written}")
        for path in exported:
            console().print(f"wrote {path}")
    return EXIT_OK


def _faster_service_route(args: argparse.Namespace, net: Network, result: RouteResult) -> Any:
    """For a plain best route: the route of least expected latency when it is faster by more
    than 0.5 ms RTT (the search ranks by arc latency; handoffs come after), else None."""
    if args.rank != "fiber" or args.k > 1 or args.disjoint or args.via or args.max_hops:
        return None
    from corridor.routing import prepare
    from corridor.routing.service import least_expected

    req = prepare(
        net, result.source, result.target, status=args.status, avoid=split_values(args.avoid)
    )
    faster = least_expected(req)
    if faster is None or faster.rtt_ms >= result.best.rtt_ms - 0.5:
        return None
    return faster


def _add_route_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("alternatives and protection")
    group.add_argument(
        "--k",
        type=positive_int,
        default=1,
        metavar="N",
        help="the N fastest routes that differ in their sites (parallel cables listed)",
    )
    group.add_argument(
        "--by",
        choices=["site", "cable"],
        default="site",
        help="with --k: distinct site sequences (default) or every parallel-cable combination",
    )
    group.add_argument(
        "--disjoint",
        choices=["link", "node", "srlg", "srlg+node", "country"],
        help="a primary and a backup sharing no link / site / shared-risk group / risk group "
        "or site / transit country other than the ends' (with --k N > 2 and link or node: N "
        "disjoint paths); what they still share is reported",
    )
    group.add_argument(
        "--backup-max-rtt",
        type=positive_float,
        metavar="MS",
        help="with --disjoint link|node: fastest primary whose backup stays under this RTT",
    )
    group.add_argument(
        "--rank",
        choices=["fiber", "service"],
        default="fiber",
        help="what the search minimises: fiber (arc latencies; each change of system adds a "
        "handoff to the route found) or service (the expected figure, handoffs counted in the "
        "search: the fastest routes as a service; not with --disjoint or --diverse)",
    )
    group.add_argument(
        "--diverse",
        type=fraction,
        metavar="SHARE",
        help="k dissimilar paths: each pair shares at most this share of latency (0..1)",
    )


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor route`` to the ``corridor`` parser (handler set as ``func``)."""
    route = subparsers.add_parser(
        "route",
        help="best route between two sites",
        formatter_class=Formatter,
        description="Best route between two sites, with countries, km, latency and stretch.",
        epilog=EPILOG,
    )
    route.add_argument("source", help="site id or name (case-insensitive)")
    route.add_argument("target", help="site id or name (case-insensitive)")
    add_constraint_options(route)
    _add_route_options(route)
    add_map_options(route)
    add_export_options(route)
    add_diversity_option(route)
    add_common_options(route)
    route.set_defaults(func=_cmd_route)
    return route
