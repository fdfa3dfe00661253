"""``corridor calibrate``: fit the expected-RTT parameters to measured round trips."""

from __future__ import annotations

import argparse

from rich.table import Table

from corridor.cli._common import (
    EXIT_OK,
    Formatter,
    Subparsers,
    add_common_options,
    console,
    input_path,
    load_network_from_args,
    output_file,
    print_json,
)

__all__ = ["register"]

EXAMPLES = """\
examples:
  corridor calibrate --measured data/calibration/published_rtt.csv
  corridor calibrate --measured my_rtt.csv --output my_model.json
  corridor route Frankfurt Shanghai --model my_model.json

The CSV has columns a,b,rtt_ms and optionally via, avoid (';'-separated), status and source.
The fit minimises a soft-L1 loss of log(model/measured) over the service factors
(terrestrial, submarine) and the handoff delay, re-routing every pair under each candidate;
inferred_penalty, site_delay_ms and the physical parameters come from --model (or the shipped
model) and the options, unchanged.
"""


def _pct(x: float) -> str:
    return f"{100 * x:+.1f} %"


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from corridor.calibration import FIT_PARAMETERS, calibrate, read_measured
    from corridor.latency import save_model

    observations = read_measured(args.measured)
    net = load_network_from_args(args)
    result = calibrate(net, observations, leave_one_out=not args.no_loo)
    if args.output:
        save_model(result.model, args.output, fit=result.to_dict())
    if args.json:
        print_json({"model": result.model.to_dict(), "fit": result.to_dict()})
        return EXIT_OK
    con = console()
    params = Table(title="fitted parameters", show_edge=False)
    params.add_column("parameter")
    params.add_column("value", justify="right")
    params.add_column("bounds")
    for name, (lo, hi) in FIT_PARAMETERS.items():
        params.add_row(name, f"{getattr(result.model, name):.4f}", f"[{lo:g}, {hi:g}]")
    params.add_row("inferred_penalty (fixed)", f"{result.model.inferred_penalty:.4f}", "")
    params.add_row("site_delay_ms (fixed)", f"{result.model.site_delay_ms:.4f}", "")
    con.print(params)
    table = Table(title="training pairs (RTT, ms)", show_edge=False)
    for col in ("a", "b", "measured", "expected", "error", "physical", "error", "floor"):
        table.add_column(col, justify="left" if col in "ab" else "right")
    table.add_column("handoffs", justify="right")
    table.add_column("LOO error", justify="right")
    for p in result.pairs:
        table.add_row(
            p.observation.a,
            p.observation.b,
            f"{p.observation.rtt_ms:g}",
            f"{p.rtt_ms:.1f}",
            _pct(p.error),
            f"{p.physical_rtt_ms:.1f}",
            _pct(p.physical_error),
            f"{p.floor_rtt_ms:.1f}",
            str(p.handoffs),
            _pct(p.loo_error) if not args.no_loo else "-",
        )
    con.print(table)
    con.print(f"largest miss on a training pair: {100 * result.max_abs_error:.1f} %")
    if not args.no_loo:
        con.print(
            f"leave-one-out error: median {100 * result.loo_median_abs_error:.1f} %, "
            f"largest {100 * result.loo_max_abs_error:.1f} %"
        )
    if args.output:
        con.print(f"model written to {args.output} (use it with --model)")
    return EXIT_OK


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor calibrate`` to the ``corridor`` parser (handler set as ``func``)."""
    parser = subparsers.add_parser(
        "calibrate",
        help="fit the expected-RTT model to measured round trips",
        description="Fit the latency model's service factors and handoff delay to measured or "
        "published round trips; print the fit, residuals and leave-one-out error; write a "
        "model file for --model.",
        epilog=EXAMPLES,
        formatter_class=Formatter,
    )
    parser.add_argument(
        "--measured",
        type=input_path,
        required=True,
        metavar="FILE.csv",
        help="measured round trips: a,b,rtt_ms[,via,avoid,status,source]",
    )
    parser.add_argument(
        "--output", "-o", type=output_file, metavar="FILE.json", help="write the fitted model"
    )
    parser.add_argument(
        "--no-loo", action="store_true", help="skip the leave-one-out refits (one per pair)"
    )
    add_common_options(parser)
    parser.set_defaults(func=_cmd_calibrate)
    return parser
