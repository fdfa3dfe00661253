"""The all-pairs failure sweep in one process vs on a dask.distributed LocalCluster.

Usage: ``python benchmarks/bench_dask.py [--points 2000] [--west 500] [--east 4] [--workers 2]
[--seed 0] [--json OUT]``

Workload: the seeded Delaunay network of ``--points`` sites (:func:`graphs.delaunay_graph`,
built with :meth:`corridor.Network.from_networkx`; latency = planar length x 111.2 km/degree x
4.9 us/km), every one of the ``--west`` westmost sites to every one of the ``--east`` eastmost
(the synthetic analogue of the Europe x East Asia city pairs) under every single-link failure,
incremental, with the full scenario x pair table. With the defaults: 7,200 pairs x 5,973
failures = 43 million rows; measured 45.9 CPU s in one process, 136 s wall on the loaded
development machine (the whole sweep, table included). Memory: about 3 GB per table; two are
held at a time.

Timed, in this order, each after a warm-up so no numba compilation is timed:

1. ``sweep(net, pairs)`` in this process;
2. ``sweep(..., scheduler=ADDRESS)`` on an already running LocalCluster of ``--workers``
   single-threaded worker processes (what ``--scheduler`` gives);
3. ``sweep(..., dask_local=N)``: starts and stops its own LocalCluster inside the timing (what
   ``--dask-local N`` costs end to end).

Prints each time, the speed-up ratios vs one process measured in this run, the CPU seconds of
the driver and of each worker (``time.process_time`` in each process), and checks that both Dask
tables equal the one-process table. The machine's load (``os.getloadavg``) is printed with the
figures: on shared cores the wall-clock ratios move with what else runs, and with Linux
autogroup scheduling all processes of one session share one session's CPU share, so on a busy
machine extra worker processes buy little wall time. The CPU-time bound (one-process CPU over
driver CPU + busiest worker CPU) is what the same run would give with a core per process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import delaunay_graph

from corridor._dask import LEAN_CONFIG, local_cluster
from corridor.network import Network
from corridor.resilience import sweep

KM_PER_DEGREE = 111.2
MS_PER_KM = 0.0049  # fiber group index 1.4682: about 4.9 us/km one way


def build(points: int, seed: int) -> tuple[Network, np.ndarray]:
    """The Delaunay network and its sites ordered west to east."""
    g = delaunay_graph(points, seed=seed)
    graph = nx.Graph()
    for i, (lon, lat) in enumerate(g.points):
        graph.add_node(i, lon=float(lon), lat=float(lat))
    for u, v, w in g.links:
        graph.add_edge(int(u), int(v), latency_ms=float(w) * KM_PER_DEGREE * MS_PER_KM)
    return Network.from_networkx(graph), np.argsort(g.points[:, 0], kind="stable")


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def autogroup() -> bool:
    """Whether Linux shares CPU between sessions rather than processes (then a session's
    workers split one session's share, and extra processes buy little on a loaded machine)."""
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--west", type=int, default=1800)
    parser.add_argument("--east", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()

    import dask
    from distributed import Client

    net, order = build(args.points, args.seed)
    pairs = [(str(a), str(b)) for a in order[: args.west] for b in order[-args.east :]]
    warm = pairs[:: max(1, len(pairs) // 8)][:8]
    sweep(net, warm)  # compile / load the kernels in this process
    print(
        f"Delaunay network: {net.n_sites} sites, {net.n_links} links; {len(pairs)} pairs "
        f"({args.west} westmost x {args.east} eastmost) x every single-link failure; "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"autogroup scheduling {'on' if autogroup() else 'off'}",
        flush=True,
    )
    cpu0 = time.process_time()
    t_one, one = timed(lambda: sweep(net, pairs))
    cpu_one = time.process_time() - cpu0
    st = one.stats
    print(
        f"one process: {t_one:.1f} s, {cpu_one:.1f} CPU s ({st['rows']:,} rows, "
        f"{st['pairs_recomputed']:,} recomputed pairs)",
        flush=True,
    )

    t0 = time.perf_counter()
    with local_cluster(args.workers) as cluster:
        t_start = time.perf_counter() - t0
        address = cluster.scheduler_address
        sweep(net, warm, scheduler=address)  # workers import corridor and load the kernels
        with dask.config.set(LEAN_CONFIG), Client(address) as client:
            before = client.run(time.process_time)
            cpu0 = time.process_time()
            t_run, running = timed(lambda: sweep(net, pairs, scheduler=address))
            cpu_driver = time.process_time() - cpu0
            after = client.run(time.process_time)
    cpu_workers = sorted(after[w] - before[w] for w in before if w in after)
    same_running = running.table.equals(one.table)
    chunks = running.stats["chunks"]
    del running  # tens of millions of rows: keep at most two tables in memory
    # If every process had a core of its own: the driver's serial work plus the busiest worker.
    bound = cpu_one / (cpu_driver + cpu_workers[-1])
    print(
        f"dask, running cluster of {args.workers} workers: {t_run:.1f} s "
        f"({chunks} chunks) = {t_one / t_run:.2f}x one process; "
        f"cluster start {t_start:.1f} s; identical table: {same_running}\n"
        f"  CPU s: driver {cpu_driver:.1f} + workers {' + '.join(f'{c:.1f}' for c in cpu_workers)}"
        f" = {(cpu_driver + sum(cpu_workers)) / cpu_one:.2f}x the one-process CPU; "
        f"CPU-time bound on the speed-up (a core per process): {bound:.2f}x",
        flush=True,
    )
    t_local, local = timed(lambda: sweep(net, pairs, dask_local=args.workers))
    same_local = local.table.equals(one.table)
    del local
    print(
        f"dask, --dask-local {args.workers} (cluster start inside the timing): {t_local:.1f} s "
        f"= {t_one / t_local:.2f}x one process; identical table: {same_local}; "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    if args.json:
        record = {
            "points": net.n_sites,
            "links": net.n_links,
            "pairs": len(pairs),
            "rows": st["rows"],
            "workers": args.workers,
            "cores": os.cpu_count(),
            "one_process_s": round(t_one, 2),
            "dask_running_cluster_s": round(t_run, 2),
            "dask_local_s": round(t_local, 2),
            "cluster_start_s": round(t_start, 2),
            "speedup_running_cluster": round(t_one / t_run, 3),
            "speedup_dask_local": round(t_one / t_local, 3),
            "cpu_one_process_s": round(cpu_one, 2),
            "cpu_dask_driver_s": round(cpu_driver, 2),
            "cpu_dask_workers_s": [round(c, 2) for c in cpu_workers],
            "cpu_time_bound_speedup": round(bound, 3),
            "sched_autogroup": autogroup(),
            "identical": bool(same_running and same_local),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
        Path(args.json).write_text(json.dumps(record, indent=2) + "\n")
    if not (same_running and same_local):
        raise SystemExit("the Dask tables differ from the one-process table")


if __name__ == "__main__":
    main()
