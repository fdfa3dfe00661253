"""Batch throughput: OD x scenario evaluations per second with 1 and 2 workers.

Run: ``python benchmarks/bench_batch_scaling.py [--json OUT] [--dask]``.

The job is every European city x every Chinese / East Asian city (640 pairs on the shipped
data) x every single-link failure of the links in service (plus the no-failure baseline), best
route, status existing: ~210,000 evaluations. It runs through :func:`corridor.batch.run_batch`
exactly as ``corridor batch`` does (chunks written to disk, results assembled), once with one
worker (in this process) and once with two local worker processes (``--dask``: a dask
LocalCluster of 2 workers instead). Each run starts from an empty folder; numba kernels are
compiled (cached) before timing. The machine's core count is printed: the scaling ratio cannot
exceed it.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

SCENARIO = """\
title = "all city pairs x all single link failures"
[pairs]
from = { regions = ["europe"], kinds = ["city"] }
to = { regions = ["china", "east_asia"], kinds = ["city"] }
[routing]
status = "existing"
[[failure]]
name = "link"
kind = "links"
[output]
csv = false
paths = false
[run]
chunk_pairs = 640
failures_per_chunk = 24
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--dask", action="store_true", help="2 workers on a dask LocalCluster")
    args = parser.parse_args(argv)

    from corridor.batch import run_batch

    figures: dict[str, object] = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        scen = Path(tmp) / "scaling.toml"
        scen.write_text(SCENARIO, encoding="utf-8")
        warm = Path(tmp) / "warm.toml"
        warm.write_text(SCENARIO.replace('kind = "links"', 'elements = ["red-sea"]'))
        run_batch(warm, Path(tmp) / "warm", progress=False, report=False)  # compile / cache
        runs = {"1 worker": {"workers": 1}}
        runs["2 workers"] = {"dask_local": 2} if args.dask else {"workers": 2}
        for label, options in runs.items():
            start = time.perf_counter()
            res = run_batch(scen, Path(tmp) / label.replace(" ", "_"), progress=False,
                            report=False, **options)  # fmt: skip
            wall = time.perf_counter() - start
            evals = res.stats["evaluations"]
            figures[label] = {
                "backend": res.stats["backend"],
                "evaluations": evals,
                "chunks": res.stats["chunks"],
                "seconds_compute": res.stats["seconds_compute"],
                "seconds_wall": round(wall, 3),
                "evaluations_per_s": round(evals / res.stats["seconds_compute"], 1),
            }
            print(f"{label:>10}: {evals:,} evaluations in {res.stats['seconds_compute']:.2f} s "
                  f"compute ({wall:.2f} s wall, {res.stats['backend']}): "
                  f"{figures[label]['evaluations_per_s']:,.0f} evaluations/s")  # fmt: skip
    one = figures["1 worker"]["evaluations_per_s"]  # type: ignore[index]
    two = figures["2 workers"]["evaluations_per_s"]  # type: ignore[index]
    figures["scaling_ratio"] = round(two / one, 2)
    print(f"scaling 1 -> 2 workers: x{figures['scaling_ratio']} on {os.cpu_count()} CPU(s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
