"""Batch queries on the shipped corridor network: queries per second.

Run: ``python benchmarks/bench_batch.py [--json OUT]``.

Every link counts (status all), so every pair is reachable. Times, in one run on the same
network: :func:`corridor.routing.batch_routes` over every ordered
pair of sites (one kernel call), the same pairs through ``scipy.sparse.csgraph.dijkstra`` (all
sources at once, distances only), and a Python loop of :func:`corridor.shortest_path` on a
sample of pairs. Kernels are compiled before anything is timed; figures are the best of several
repeats.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

import corridor
from corridor.routing import batch_routes


def best_of(repeat: int, func, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)

    net = corridor.load_network()
    ids = net.sites["id"].tolist()
    pairs = [(a, b) for a in ids for b in ids if a != b]
    batch_routes(net, pairs[:10], status="all")  # compile
    t_batch = best_of(args.repeat, batch_routes, net, pairs, status="all")
    from corridor._kernels.dijkstra import dijkstra_many

    src = np.array([net.site_index(a) for a, _ in pairs], dtype=np.int64)
    dst = np.array([net.site_index(b) for _, b in pairs], dtype=np.int64)
    ok_arcs = np.ones(len(net.head), dtype=bool)
    ok_nodes = np.ones(net.n_sites, dtype=bool)
    t_kernel = best_of(
        args.repeat, dijkstra_many, net.indptr, net.head, net.weight, src, dst, ok_arcs, ok_nodes
    )
    t_paths = best_of(
        max(1, args.repeat // 2), batch_routes, net, pairs, status="all", with_paths=True
    )

    # scipy keeps one weight per node pair: take the minimum over parallel arcs
    w, u, v = net.weight, net.tail, net.head
    order = np.lexsort((w, v, u))
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = (u[order][1:] != u[order][:-1]) | (v[order][1:] != v[order][:-1])
    sel = order[keep]
    matrix = sp.csr_matrix((w[sel], (u[sel], v[sel])), shape=(net.n_sites, net.n_sites))
    t_scipy = best_of(args.repeat, scipy_dijkstra, matrix)

    rng = np.random.default_rng(7)
    sample = [pairs[i] for i in rng.choice(len(pairs), 300, replace=False)]
    corridor.shortest_path(net, *sample[0], status="all")
    t_loop = best_of(
        2, lambda: [corridor.shortest_path(net, s, t, status="all") for s, t in sample]
    )
    loop_qps = len(sample) / t_loop

    rows = {
        "queries": len(pairs),
        "batch_qps": len(pairs) / t_batch,
        "batch_with_paths_qps": len(pairs) / t_paths,
        "kernel_qps": len(pairs) / t_kernel,
        "scipy_all_pairs_qps": len(pairs) / t_scipy,
        "python_loop_qps": loop_qps,
    }
    print(f"shipped network: {net.n_sites} sites, {net.n_links} links, {len(pairs)} ordered pairs")
    print(f"batch_routes (one kernel call)      {rows['batch_qps']:>12,.0f} queries/s")
    print(f"dijkstra_many kernel (with paths)   {rows['kernel_qps']:>12,.0f} queries/s")
    print(f"batch_routes with paths             {rows['batch_with_paths_qps']:>12,.0f} queries/s")
    print(f"scipy dijkstra, all pairs, dist only {rows['scipy_all_pairs_qps']:>11,.0f} queries/s")
    print(f"python loop of shortest_path         {loop_qps:>11,.0f} queries/s")
    print(
        f"ratios: kernel / scipy {rows['kernel_qps'] / rows['scipy_all_pairs_qps']:.2f}x, "
        f"batch / scipy {rows['batch_qps'] / rows['scipy_all_pairs_qps']:.2f}x, "
        f"batch / python loop {rows['batch_qps'] / loop_qps:.0f}x"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"batch": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
