"""Time to the first answer of ``corridor route``: cold (compiling) and warm (cached) processes.

Run: ``python benchmarks/bench_cli.py [--repeat 3] [--json OUT]``.

A fresh ``NUMBA_CACHE_DIR`` and ``CORRIDOR_CACHE_DIR`` make the first process compile every
kernel it calls and build the shipped network from its GeoJSON files (cold); the following
processes load the compiled kernels and the built network from those caches (warm). A third
figure runs warm kernels with the network cache switched off, to show what the network cache
buys. Each figure is a whole process, as a user sees it: interpreter start, imports, loading
the network, routing and printing. CPU seconds (user + system) are printed beside wall-clock
seconds: on a shared machine they are the steadier figure.

The floor is a process that only imports numpy and numba and calls one trivial cached kernel:
no command built on numba kernels can start faster, so ``warm / floor`` is the overhead that
corridor itself adds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
        [sys.executable, "-m", "corridor", *argv],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


_FLOOR = "import numba\n@numba.njit(cache=True)\ndef one(x):\n    return x + 1\none(1)\n"


def _floor(env: dict[str, str], repeat: int) -> float:
    """Best wall-clock seconds of the numpy + numba + one cached kernel process."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "floor.py"
        script.write_text(_FLOOR)
        best = float("inf")
        for _ in range(repeat + 1):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(script)], env=env, check=True)
            best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per command (best kept)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as numba_cache:
        floor = _floor({**os.environ, "NUMBA_CACHE_DIR": numba_cache}, args.repeat)
    print(f"{'floor (numpy + numba)':24s} {floor:5.2f} s")
    for name, cmd in COMMANDS.items():
        with tempfile.TemporaryDirectory() as numba_cache, tempfile.TemporaryDirectory() as nets:
            env = {**os.environ, "NUMBA_CACHE_DIR": numba_cache, "CORRIDOR_CACHE_DIR": nets}
            cold, cold_cpu = _run(cmd, env)
            runs = [_run(cmd, env) for _ in range(args.repeat)]
            uncached = [_run(cmd, {**env, "CORRIDOR_CACHE_DIR": "off"}) for _ in range(args.repeat)]
        warm = min(r[0] for r in runs)
        warm_cpu = min(r[1] for r in runs)
        no_net_cache = min(r[0] for r in uncached)
        rows.append(
            {
                "command": f"corridor {' '.join(cmd)}",
                "cold_s": cold,
                "warm_s": warm,
                "warm_no_network_cache_s": no_net_cache,
                "cold_cpu_s": cold_cpu,
                "warm_cpu_s": warm_cpu,
                "floor_s": floor,
                "warm_over_floor": warm / floor,
            }
        )
        print(
            f"{name:24s} cold {cold:6.2f} s ({cold_cpu:5.2f} s CPU)   "
            f"warm {warm:5.2f} s ({warm_cpu:5.2f} s CPU)   "
            f"warm without network cache {no_net_cache:5.2f} s   "
            f"warm/floor {warm / floor:4.1f}x"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"machine": platform.processor() or platform.machine(), "cli": rows}, indent=2
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
