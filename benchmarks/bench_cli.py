"""Time to the first answer of ``corridor route``: cold (compiling) and warm (cached) processes.

Run: ``python benchmarks/bench_cli.py [--repeat 3] [--json OUT]``.

A fresh ``NUMBA_CACHE_DIR`` makes the first process compile every kernel it calls (cold); the
following processes load the compiled kernels from that cache (warm). Each figure is a whole
process, as a user sees it: interpreter start, imports, loading and building the shipped network,
routing and printing. CPU seconds (user + system) are printed beside wall-clock seconds: on a
shared machine they are the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "route (best)": ["route", "Frankfurt", "Shanghai", "--json"],
    "route --k 5 --via KZ": ["route", "Frankfurt", "Shanghai", "--k", "5", "--via", "KZ", "--json"],
    "route --disjoint srlg": ["route", "Frankfurt", "Shanghai", "--disjoint", "srlg", "--json"],
}


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one ``corridor`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "corridor.cli", *argv],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per command (best kept)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    rows = []
    for name, cmd in COMMANDS.items():
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            cold, cold_cpu = _run(cmd, env)
            runs = [_run(cmd, env) for _ in range(args.repeat)]
        warm = min(r[0] for r in runs)
        warm_cpu = min(r[1] for r in runs)
        rows.append(
            {
                "command": f"corridor {' '.join(cmd)}",
                "cold_s": cold,
                "warm_s": warm,
                "cold_cpu_s": cold_cpu,
                "warm_cpu_s": warm_cpu,
            }
        )
        print(
            f"{name:24s} cold {cold:6.2f} s ({cold_cpu:5.2f} s CPU)   "
            f"warm {warm:5.2f} s ({warm_cpu:5.2f} s CPU)   cold/warm {cold / warm:4.1f}x"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"cli": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
