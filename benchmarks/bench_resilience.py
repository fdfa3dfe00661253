"""Incremental vs full recomputation of a failure sweep on the shipped network.

Usage: ``python benchmarks/bench_resilience.py [--pairs all|default] [--repeat 5] [--seed 0]
[--json OUT]``

OD set: every unordered pair of city sites (``--pairs all``, the default; 118 cities -> 6,903
pairs) or the default Europe x East Asia set (640 pairs). Scenarios: every single existing link.
Both modes run the same numba kernel (:func:`corridor.resilience._kernel.sweep_kernel`, warmed
up first); the incremental one recomputes only pairs whose baseline route is hit. Prints the
kernel time of each mode (median of repeats), the end-to-end :func:`corridor.resilience.sweep`
time (kernel + table building), the number of shortest-path queries, the speedup ratio, and
checks that both modes give the same answers. The seed shuffles the order of the scenarios
(it must not matter).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from corridor import load_network
from corridor._kernels.dijkstra import dijkstra_many
from corridor.resilience import default_pairs, sweep
from corridor.resilience._kernel import path_figures, sweep_kernel
from corridor.resilience.scenarios import build_scenarios
from corridor.resilience.sweep import _csr
from corridor.routing import constraints
from corridor.routing.paths import arc_figures


def timeit(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up (JIT compile / cache load)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", choices=["all", "default"], default="all")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()

    net = load_network()
    if args.pairs == "all":
        cities = net.sites.loc[net.sites["kind"] == "city", "id"].tolist()
        pairs = list(itertools.combinations(cities, 2))
    else:
        pairs = default_pairs(net)
    cons = constraints(net, status="existing")
    arc_ok = np.ascontiguousarray(cons.arc_mask(net))
    node_ok = np.ascontiguousarray(cons.node_mask(net))
    src = np.array([net.site_index(s) for s, _ in pairs], dtype=np.int64)
    dst = np.array([net.site_index(t) for _, t in pairs], dtype=np.int64)
    dist, offsets, arcs = dijkstra_many(net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok)
    keep = np.isfinite(dist)
    src, dst = src[keep], dst[keep]
    dist, offsets, arcs = dijkstra_many(net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok)
    arc_code, arc_excess = arc_figures(net)
    h_ms = net.model.handoff_ms
    dist, phys = path_figures(dist, offsets, arcs, arc_code, arc_excess, h_ms)
    q = len(src)
    plinks = [net.arc_link[arcs[offsets[i] : offsets[i + 1]]] for i in range(q)]
    pnodes = [
        np.concatenate([[src[i]], net.head[arcs[offsets[i] : offsets[i + 1]]]]) for i in range(q)
    ]
    pl_ptr, pl = _csr(plinks)
    pn_ptr, pn = _csr(pnodes)
    scen = build_scenarios(net, "links", arc_ok=arc_ok, node_ok=node_ok)
    rng = np.random.default_rng(args.seed)
    scen = [scen[i] for i in rng.permutation(len(scen))]
    sl_ptr, sl = _csr([s.links for s in scen])
    sn_ptr, sn = _csr([s.sites for s in scen])

    def run(incremental: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return sweep_kernel(
            net.indptr,
            net.head,
            net.weight,
            net.arc_link,
            arc_ok,
            node_ok,
            src,
            dst,
            arc_code,
            arc_excess,
            h_ms,
            dist,
            phys,
            pl_ptr,
            pl,
            pn_ptr,
            pn,
            sl_ptr,
            sl,
            sn_ptr,
            sn,
            incremental,
        )

    t_inc = timeit(lambda: run(True), args.repeat)
    t_full = timeit(lambda: run(False), args.repeat)
    d_inc, _, hit, _ = run(True)
    d_full, _, _, _ = run(False)
    same = bool(
        np.allclose(d_inc, d_full, rtol=0, atol=1e-9, equal_nan=False)
        and np.array_equal(np.isinf(d_inc), np.isinf(d_full))
    )
    e2e_pairs = [
        (net.lookup.site_id[s], net.lookup.site_id[t]) for s, t in zip(src, dst, strict=True)
    ]
    e2e_inc = timeit(lambda: sweep(net, e2e_pairs, scenarios="links"), max(1, args.repeat // 2))
    e2e_full = timeit(
        lambda: sweep(net, e2e_pairs, scenarios="links", incremental=False),
        max(1, args.repeat // 2),
    )
    out: dict[str, Any] = {
        "pairs": q,
        "sources": len(np.unique(src)),
        "scenarios": len(scen),
        "rows": q * len(scen),
        "queries_full": q * len(scen),
        "queries_incremental": int(hit.sum()),
        "kernel_full_s": t_full,
        "kernel_incremental_s": t_inc,
        "kernel_speedup": t_full / t_inc,
        "sweep_full_s": e2e_full,
        "sweep_incremental_s": e2e_inc,
        "sweep_speedup": e2e_full / e2e_inc,
        "identical": same,
        "seed": args.seed,
    }
    print(
        f"shipped network: {net.n_sites} sites, {net.n_links} links; {q} OD pairs "
        f"({out['sources']} sources) x {len(scen)} single-link failures = {out['rows']:,} rows"
    )
    print(f"queries: full {out['queries_full']:,}, incremental {out['queries_incremental']:,}")
    print(
        f"kernel: full {t_full * 1e3:.1f} ms, incremental {t_inc * 1e3:.1f} ms, "
        f"speedup {out['kernel_speedup']:.1f}x"
    )
    print(
        f"sweep() end to end: full {e2e_full:.2f} s, incremental {e2e_inc:.2f} s, "
        f"speedup {out['sweep_speedup']:.1f}x"
    )
    print(f"answers identical: {same}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
