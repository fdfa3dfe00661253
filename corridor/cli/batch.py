"""Command-line wiring of batch reports: ``corridor batch SCENARIO.toml``.

:func:`register` adds the subcommand to the ``corridor`` parser; the handler returns
an exit code and raises corridor errors, which the caller's ``main()`` prints as one line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from corridor._errors import RequestError
from corridor.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    Formatter,
    Subparsers,
    add_model_option,
    ignore_late_interrupts,
    positive_int,
    year,
)

__all__ = ["cmd_batch", "register"]

EPILOG = (
    "examples:\n"
    "  corridor batch benchmarks/corridors.toml --out out/corridors\n"
    "  corridor batch benchmarks/corridors.toml --out out/corridors --resume\n"
    "  corridor batch big.toml --out out/big --dask-local 2\n"
    "  corridor batch big.toml --out out/big --scheduler tcp://10.0.0.5:8786 --json\n"
    "  corridor batch benchmarks/corridors.toml --out out/years --year 2016 2020 2026\n"
    "\n"
    "The scenario file format is documented in corridor.batch.spec (python -m pydoc\n"
    "corridor.batch.spec). Outputs: results.parquet / results.csv (one row per scenario x\n"
    "family x OD pair x path rank), summary.json, report.html (self-contained), report.md and\n"
    "figures/ (--pdf: report.pdf too). An interrupted run continues with --resume; a non-empty\n"
    "folder is refused without --resume or --force."
)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[list[int]]:
    """SIGTERM (a job scheduler stopping the run) unwinds like Ctrl-C: workers stop, lock freed.

    Yields the list of interrupts received (SIGINT and SIGTERM are both recorded). A
    KeyboardInterrupt raised where Python swallows it (inside a finaliser or a weakref callback)
    is not printed ("Exception ignored in ...") but recorded, and raised again by the caller's
    next check. One raised inside a C extension's callback can come out as another exception
    (matplotlib's renderer turns it into "ValueError: Invalid affine transformation matrix"):
    the record tells the caller that the error is the interrupt's doing.
    """
    received: list[int] = []

    def stop(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    def swallowed(info: Any) -> None:
        if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
            received.append(int(signal.SIGINT))
            return
        hook(info)

    try:
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    except ValueError:  # not the main thread: leave signals alone
        yield received
        return
    hook = sys.unraisablehook
    sys.unraisablehook = swallowed
    try:
        yield received
    finally:
        sys.unraisablehook = hook
        for sig, handler in previous.items():
            signal.signal(sig, handler)


#: dask's configuration, from the environment, of the ``distributed`` loggers' level.
_DASK_LOG_ENV = "DASK_LOGGING__DISTRIBUTED"


@contextlib.contextmanager
def _quiet_dask(enabled: bool) -> Iterator[None]:
    """Keep dask.distributed's log lines off the terminal: its failures reach us as exceptions.

    Sets the level of this process's ``distributed`` loggers (the ones it configures have
    their own levels) and, through the environment, of the worker processes a local cluster
    starts. Restores both afterwards.
    """
    if not enabled:
        yield
        return
    import distributed  # noqa: F401  (configures its loggers on import)

    names = ["distributed"] + [
        n for n in logging.root.manager.loggerDict if n.startswith("distributed.")
    ]
    levels = {n: logging.getLogger(n).level for n in names}
    env = os.environ.get(_DASK_LOG_ENV)
    os.environ[_DASK_LOG_ENV] = "critical"
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)
        if env is None:
            os.environ.pop(_DASK_LOG_ENV, None)
        else:
            os.environ[_DASK_LOG_ENV] = env


def _resume_command(args: argparse.Namespace, out: Path) -> str:
    """The command that finishes an interrupted run (locally: no cluster needed)."""
    words = ["corridor", "batch", str(args.scenario), "--out", str(out), "--resume"]
    for option, value in (("--scenario", args.stress), ("--model", args.model)):
        if value:
            words += [option, str(value)]
    if args.year:
        words += ["--year", *(str(y) for y in dict.fromkeys(args.year))]
    return shlex.join(words)


def cmd_batch(args: argparse.Namespace) -> int:
    """Handler of ``corridor batch``."""
    out = Path(args.out) if args.out else Path("out") / Path(args.scenario).stem
    # pandas/pyarrow machinery loads only for a batch
    from corridor.batch.runner import SchedulerLostError

    if getattr(args, "pdf", False):
        from corridor._pdf import require_pdf

        require_pdf()  # before the run, not after it
    received: list[int] = []
    try:
        with (
            _terminate_as_interrupt() as received,
            _quiet_dask(bool(args.scheduler or args.dask_local)),
        ):

            def check(chunk: str, done: int, total: int) -> None:
                if received:  # a SIGTERM that Python swallowed inside a finaliser
                    raise KeyboardInterrupt

            options = {**_run_options(args), "on_chunk": check}
            if args.year:
                return _run_years(args, out, options)
            return _run_one(args, out, options)
    except KeyboardInterrupt:
        return _interrupted(args, out)
    except SchedulerLostError as exc:
        again = _resume_command(args, out)
        sys.stderr.write(
            f"corridor: error: {exc}; finished chunks are kept, finish with: {again}\n"
        )
        return EXIT_BAD_INPUT
    except Exception:
        if not received:
            raise
        # the interrupt arrived inside a library that turned it into its own error
        return _interrupted(args, out)


def _interrupted(args: argparse.Namespace, out: Path) -> int:
    """Answer an interrupted batch: one line naming the command that finishes it; exit 130."""
    ignore_late_interrupts()
    again = _resume_command(args, out)
    sys.stderr.write(f"corridor: batch interrupted; finished chunks are kept: {again}\n")
    return EXIT_INTERRUPTED


def _run_one(args: argparse.Namespace, out: Path, options: dict[str, Any]) -> int:
    """One run of the scenario into ``out``; prints its table (or JSON)."""
    from corridor.batch import run_batch

    spec: Any = args.scenario
    if args.stress:
        spec = _with_stress(args.scenario, args.stress)
    if args.model:
        spec = _with_model(spec, args.model)
    result = run_batch(spec, out, **options)
    pdf = _print_pdf(args, result)
    if args.json:
        data = dict(result.summary)
        if pdf is not None:
            data["pdf"] = str(pdf)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    con = Console(highlight=False, soft_wrap=False, width=160)
    table = Table(show_edge=False)
    for col in ("status", "family", "reachable", "median RTT ms", "p10", "p90", "stretch"):
        table.add_column(col, justify="left" if col in ("status", "family") else "right")
    models = {r["model"] for r in result.summary["family_stats"]}

    def num(v: float | None, fmt: str = ".1f") -> str:
        return "unreachable" if v is None else format(v, fmt)

    for r in result.summary["family_stats"]:
        table.add_row(
            r["status"] if len(models) == 1 else f"{r['model']} / {r['status']}",
            r["family"],
            f"{r['reachable']}/{r['pairs']}",
            num(r["median_rtt_ms"]),
            num(r["p10_rtt_ms"]),
            num(r["p90_rtt_ms"]),
            num(r["median_stretch"], ".2f"),
        )
    con.print(table)
    st = result.stats
    con.print(
        f"{st['rows']:,} rows from {st['chunks']} chunks ({st['chunks_reused']} reused) on "
        f"{st['backend']} in {st['seconds_total']:.1f} s"
    )
    report = result.files.get("report.html")
    con.print(f"report: {report if report else out}")
    if pdf is not None:
        con.print(f"wrote {pdf}")
    return 0


def _print_pdf(args: argparse.Namespace, result: Any) -> Path | None:
    """With ``--pdf``: print the run's report.html to report.pdf beside it (else ``None``)."""
    if not getattr(args, "pdf", False) or "report.html" not in result.files:
        return None
    from corridor._pdf import html_to_pdf

    html = Path(result.files["report.html"])
    return html_to_pdf(html, html.with_suffix(".pdf"))


def _run_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword options of :func:`corridor.batch.run_batch` from the command line."""
    return {
        "resume": args.resume,
        "force": args.force,
        "scheduler": args.scheduler,
        "dask_local": args.dask_local,
        "workers": args.workers,
        "progress": not args.no_progress,
    }


def _run_years(args: argparse.Namespace, out: Path, options: dict[str, Any]) -> int:
    """``--year Y [Y ...]``: one run per year on the network as of that year.

    Year Y runs into ``OUT/year-Y`` on the links file ``OUT/networks/links-Y.geojson`` (links
    with a later RFS left out, planned links in service by Y made existing); the table compares
    the years.
    """
    from corridor.batch import run_batch
    from corridor.batch.spec import load_scenario, spec_as_of

    base = load_scenario(args.scenario)
    results: dict[int, Any] = {}
    for y in dict.fromkeys(args.year):
        spec: Any = spec_as_of(base, y, out / "networks" / f"links-{y}.geojson")
        if args.stress:
            spec = _with_stress(spec, args.stress)
        if args.model:
            spec = _with_model(spec, args.model)
        results[y] = run_batch(spec, out / f"year-{y}", **options)
        _print_pdf(args, results[y])
    if args.json:
        doc = {str(y): {"out": str(out / f"year-{y}"), **r.summary} for y, r in results.items()}
        sys.stdout.write(json.dumps({"years": doc}, indent=2, ensure_ascii=False) + "\n")
        return 0
    con = Console(highlight=False, soft_wrap=False, width=160)
    table = Table(show_edge=False, title="network as of each year")
    for col in ("year", "status", "family", "reachable", "median RTT ms", "p90", "stretch"):
        table.add_column(col, justify="left" if col in ("status", "family") else "right")
    for y, r in results.items():
        for row in r.summary["family_stats"]:  # no-failure baseline per model, status, family
            med, p90, st = row["median_rtt_ms"], row["p90_rtt_ms"], row["median_stretch"]
            table.add_row(
                str(y),
                row["status"] if len(base.models) == 1 else f"{row['model']} / {row['status']}",
                row["family"],
                f"{row['reachable']}/{row['pairs']}",
                "unreachable" if med is None else f"{med:.1f}",
                "unreachable" if p90 is None else f"{p90:.1f}",
                "unreachable" if st is None else f"{st:.2f}",
            )
    con.print(table)
    for y in results:
        report = results[y].files.get("report.html")
        con.print(f"{y}: {report if report else out / f'year-{y}'}")
    return 0


def _with_model(spec: Any, model_file: str) -> Any:
    """The batch spec with ``--model FILE`` as the base of its latency-model variants."""
    import dataclasses

    from corridor.batch.spec import MODEL_KEYS, load_scenario
    from corridor.latency import load_model

    base = load_model(model_file)
    if isinstance(spec, str):
        spec = load_scenario(spec)
    models = tuple(
        dataclasses.replace(m, **{k: getattr(base, k) for k in MODEL_KEYS if getattr(m, k) is None})
        for m in spec.models
    )
    return dataclasses.replace(spec, models=models)


def _with_stress(path: Any, stress: str) -> Any:
    """The batch file's (or spec's) spec with a stress scenario added as one more failure set."""
    import dataclasses

    from corridor.batch.compute import network_for
    from corridor.batch.spec import FailureSet, load_scenario
    from corridor.capacity.scenarios import load_scenario as load_stress
    from corridor.capacity.scenarios import resolve

    spec = load_scenario(path) if isinstance(path, str | Path) else path
    net = network_for([spec.sites, spec.links, spec.countries], {})
    stressed = resolve(net, load_stress(stress))
    for note in stressed.notes:
        sys.stderr.write(f"corridor: note: {note}\n")
    elements = tuple(e for e in stressed.scenario.elements if e not in stressed.missing)
    if not elements:
        msg = f"scenario {stressed.scenario.name}: none of its elements is in the network"
        raise RequestError(msg)
    name = f"scenario {stressed.scenario.name}"
    if any(f.name == name for f in spec.failures):
        return spec
    extra = FailureSet(name, elements)
    return dataclasses.replace(spec, failures=(*spec.failures, extra))


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``corridor batch`` to the ``corridor`` parser (handler set as ``func``).

    The handler is set as ``func``; returns the subparser.
    """
    parser = subparsers.add_parser(
        "batch",
        help="batch benchmark report from a scenario file",
        description=(
            "Compare route families (e.g. Middle Corridor, Northern, Southern) over many OD "
            "pairs, link statuses, failure sets and latency models; write tables and a report."
        ),
        epilog=EPILOG,
        formatter_class=Formatter,
    )
    parser.add_argument("scenario", help="scenario file (TOML)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: out/<scenario>)")
    parser.add_argument("--resume", action="store_true", help="compute only missing chunks")
    parser.add_argument("--force", action="store_true", help="replace a previous run's outputs")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--scheduler", metavar="ADDR", help="dask.distributed scheduler address")
    group.add_argument(
        "--dask-local",
        type=positive_int,
        metavar="N",
        help="start a local dask cluster of N workers",
    )
    group.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="local worker processes (default: automatic)",
    )
    parser.add_argument(
        "--scenario",
        dest="stress",
        metavar="NAME|FILE",
        help="add a stress scenario (data/scenarios) as one more failure set",
    )
    parser.add_argument(
        "--year",
        type=year,
        nargs="+",
        metavar="Y",
        help="run on the network as of each year Y (links with a later RFS left out, planned "
        "links in service by Y made existing) into OUT/year-Y; e.g. --year 2020 2026 2030",
    )
    add_model_option(parser)
    parser.add_argument(
        "--pdf", action="store_true", help="also print OUT/report.pdf (headless Chromium)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=cmd_batch)
    return parser
