"""``corridor sites`` and ``corridor links``: list and filter the data set."""

from __future__ import annotations

import argparse
import difflib

from rich.table import Table

from corridor._errors import RequestError
from corridor.cli._common import (
    EXIT_NO_ROUTE,
    EXIT_OK,
    Formatter,
    Subparsers,
    add_common_options,
    choice_of,
    console,
    load_network_from_args,
    print_json,
    split_values,
)
from corridor.io import LINK_CONFIDENCES, LINK_KINDS, LINK_STATUSES, SITE_KINDS

__all__ = ["register"]


def _cmd_sites(args: argparse.Namespace) -> int:

    net = load_network_from_args(args)
    table = net.sites
    if args.country:
        codes = {net.resolve_country(c) for c in split_values(args.country)}
        table = table[table["country"].isin(codes)]
    if args.kind:
        kinds = choice_of(SITE_KINDS, split_values(args.kind), "--kind")
        table = table[table["kind"].isin(kinds)]
    if args.region:
        known = sorted({r for r in net.sites["region"] if r})
        table = table[table["region"].isin(choice_of(known, split_values(args.region), "--region"))]
    columns = ["id", "name", "kind", "country", "region", "status"]
    rows = table.assign(lon=table.geometry.x.round(4), lat=table.geometry.y.round(4))
    if args.json:
        print_json(rows[[*columns, "lon", "lat", "source"]].to_dict(orient="records"))
        return EXIT_OK if len(rows) else EXIT_NO_ROUTE
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

    net = load_network_from_args(args)
    table = net.links
    if args.country:
        codes = {net.resolve_country(c) for c in split_values(args.country)}
        table = table[[bool(codes & set(c)) for c in table["countries"]]]
    if args.kind:
        table = table[table["kind"].isin(choice_of(LINK_KINDS, split_values(args.kind), "--kind"))]
    if args.status:
        statuses = choice_of(LINK_STATUSES, split_values(args.status), "--status")
        table = table[table["status"].isin(statuses)]
    if args.system:
        known = {s.casefold(): s for s in net.links["system"] if s}
        wanted = [s.casefold() for s in split_values(args.system)]
        for name, key in zip(split_values(args.system), wanted, strict=True):
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(known[c] for c in close)}?" if close else ""
                msg = f"--system: no system named {name!r}{hint}"
                raise RequestError(msg)
        table = table[[s.casefold() in wanted for s in table["system"]]]
    if args.confidence:
        wanted_conf = choice_of(LINK_CONFIDENCES, split_values(args.confidence), "--confidence")
        table = table[table["confidence"].isin(wanted_conf)]
    columns = ["id", "system", "kind", "status", "confidence", "a", "b", "length_km", "latency_ms"]
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
                    "confidence": rec.confidence,
                    "a": rec.a,
                    "b": rec.b,
                    "rfs": None if rec.rfs is None or str(rec.rfs) == "<NA>" else int(rec.rfs),
                    "length_km": round(float(rec.length_km), 3),
                    "latency_ms": round(float(rec.latency_ms), 4),
                    "countries": list(rec.countries),
                    "srlgs": list(rec.srlgs),
                    "capacity_tbps": _num(rec.capacity_tbps),
                    "capex_eur_m": _num(rec.capex_eur_m),
                    "funders": rec.funders or None,
                    "funding_share": _num(rec.funding_share),
                    "source": rec.source,
                }
            )
        print_json(records)
        return EXIT_OK if records else EXIT_NO_ROUTE
    out = Table(show_edge=False)
    for col in [*columns, "countries"]:
        out.add_column(col, justify="right" if col in ("length_km", "latency_ms") else "left")
    for rec in table.itertuples(index=False):
        out.add_row(
            rec.id,
            rec.system,
            rec.kind,
            rec.status,
            rec.confidence,
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


def register(subparsers: Subparsers) -> None:
    """Add ``corridor sites`` and ``corridor links`` to the ``corridor`` parser."""
    sites = subparsers.add_parser(
        "sites",
        help="list the sites",
        formatter_class=Formatter,
        epilog=(
            "examples:\n  corridor sites --country KZ\n  corridor sites --kind datacenter --json"
        ),
    )
    sites.add_argument("--country", action="append", help="ISO code or name (repeatable)")
    sites.add_argument("--kind", action="append", help="city, datacenter, ixp, landing, border")
    sites.add_argument("--region", action="append", help="e.g. europe, central_asia, china")
    add_common_options(sites)
    sites.set_defaults(func=_cmd_sites)

    links = subparsers.add_parser(
        "links",
        help="list the links",
        formatter_class=Formatter,
        epilog=(
            "examples:\n  corridor links --country KZ --status existing\n"
            "  corridor links --kind submarine --json"
        ),
    )
    links.add_argument("--country", action="append", help="links crossing this country")
    links.add_argument("--kind", action="append", help="terrestrial or submarine")
    links.add_argument("--status", action="append", help="existing, planned, proposed, suspended")
    links.add_argument("--confidence", action="append", help="documented or inferred")
    links.add_argument("--system", action="append", help="system name (case-insensitive)")
    add_common_options(links)
    links.set_defaults(func=_cmd_links)
