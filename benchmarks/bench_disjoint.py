"""Timing of the disjoint-path kernels on seeded Delaunay graphs.

Usage: ``python benchmarks/bench_disjoint.py [--sizes 2000 20000] [--rounds R] [--json OUT]``

For each size: random points in lon 0..120, lat 30..55 (seeded), Delaunay edges as undirected
links with planar distance weights, source the westmost and target the eastmost point. Prints the
ratio of ``k_disjoint(k=2)`` (link- and node-disjoint) and ``min_shared_pair`` time to the time of
one full Dijkstra (the whole tree from the source) on the same graph. All kernels are compiled
first; the calls are then interleaved round by round and each time is the best over the rounds
(fair under background load). On the smallest graph it also compares the SRLG heuristic with
the exact (MILP) optimum, time and cost gap, with random SRLGs.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.spatial import Delaunay

from corridor._kernels.dijkstra import dijkstra
from corridor._kernels.disjoint import k_disjoint, min_shared_pair
from corridor.routing.srlg import srlg_disjoint_pair


def delaunay_graph(n: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    pts = np.column_stack([rng.uniform(0, 120, n), rng.uniform(30, 55, n)])
    tri = Delaunay(pts)
    e = np.vstack([tri.simplices[:, [0, 1]], tri.simplices[:, [1, 2]], tri.simplices[:, [2, 0]]])
    e = np.unique(np.sort(e, axis=1), axis=0)
    nl = e.shape[0]
    w = np.hypot(*(pts[e[:, 0]] - pts[e[:, 1]]).T)
    tails = np.concatenate([e[:, 0], e[:, 1]])
    heads = np.concatenate([e[:, 1], e[:, 0]])
    links = np.concatenate([np.arange(nl), np.arange(nl)])
    weights = np.concatenate([w, w])
    order = np.argsort(tails, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tails + 1, 1)
    return {
        "indptr": np.cumsum(indptr),
        "head": heads[order].astype(np.int64),
        "weight": weights[order].astype(np.float64),
        "arc_link": links[order].astype(np.int64),
        "arc_ok": np.ones(2 * nl, dtype=np.bool_),
        "node_ok": np.ones(n, dtype=np.bool_),
        "source": int(np.argmin(pts[:, 0])),
        "target": int(np.argmax(pts[:, 0])),
        "n_links": nl,
    }


def bench_kernels(g: dict[str, Any], rounds: int) -> dict[str, float]:
    """Best time of each kernel over ``rounds`` interleaved rounds, and the ratios to Dijkstra."""
    a = (g["indptr"], g["head"], g["weight"])
    s, t = g["source"], g["target"]
    full = (*a, g["arc_link"], g["arc_ok"], g["node_ok"], s, t)
    calls: dict[str, Callable[[], object]] = {
        "dijkstra": lambda: dijkstra(*a, s, -1, g["arc_ok"], g["node_ok"]),
        "k2_link": lambda: k_disjoint(*full, 2, False),
        "k2_node": lambda: k_disjoint(*full, 2, True),
        "min_shared_pair": lambda: min_shared_pair(*full, False),
    }
    for fn in calls.values():
        fn()  # warm-up (JIT compile / cache load)
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for name, fn in calls.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    _, _, costs = k_disjoint(*full, 2, False)
    _, _, costs_node = k_disjoint(*full, 2, True)
    t_dij = best["dijkstra"]
    return {
        "dijkstra_s": t_dij,
        "k_disjoint_k2_s": best["k2_link"],
        "k_disjoint_k2_node_s": best["k2_node"],
        "min_shared_pair_s": best["min_shared_pair"],
        "ratio_k2_link": best["k2_link"] / t_dij,
        "ratio_k2_node": best["k2_node"] / t_dij,
        "ratio_min_shared_pair": best["min_shared_pair"] / t_dij,
        "pair_cost": float(costs.sum()),
        "node_pair_cost": float(costs_node.sum()),
        "rounds": rounds,
    }


def bench_srlg(g: dict[str, Any], seed: int, time_limit: float) -> dict[str, Any]:
    """Random SRLGs: each group is a few links around a random point (a 'duct' region)."""
    rng = np.random.default_rng(seed)
    nl = g["n_links"]
    n_groups = nl // 10
    member = [[] for _ in range(nl)]
    for gid in range(n_groups):
        for lk in rng.choice(nl, 4, replace=False):
            member[int(lk)].append(gid)
    li = np.zeros(nl + 1, dtype=np.int64)
    li[1:] = np.cumsum([len(x) for x in member])
    ids = np.array([x for row in member for x in row], dtype=np.int64)
    args = (
        g["indptr"],
        g["head"],
        g["weight"],
        g["arc_link"],
        g["arc_ok"],
        g["node_ok"],
        g["source"],
        g["target"],
        li,
        ids,
    )
    srlg_disjoint_pair(*args, exact=False)  # warm-up
    t0 = time.perf_counter()
    heur = srlg_disjoint_pair(*args, exact=False)
    t_h = time.perf_counter() - t0
    t0 = time.perf_counter()
    ex = srlg_disjoint_pair(*args, exact=True, time_limit=time_limit)
    t_e = time.perf_counter() - t0
    gap = (heur.total_cost - ex.total_cost) / ex.total_cost if ex.paths else float("nan")
    return {
        "srlg_groups": n_groups,
        "heuristic_s": t_h,
        "exact_s": t_e,
        "heuristic_status": heur.status,
        "exact_status": ex.status,
        "heuristic_cost": heur.total_cost,
        "exact_cost": ex.total_cost,
        "link_disjoint_lower_bound": heur.lower_bound,
        "heuristic_gap": gap,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument(
        "--rounds", type=int, default=None, help="interleaved rounds (default 300, 60 above 5,000)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--no-srlg", action="store_true", help="skip the SRLG heuristic vs exact run")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()
    out: dict[str, Any] = {
        "meta": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "seed": args.seed,
            "timing": "best of interleaved rounds; ratio = kernel time / one full Dijkstra",
        },
        "kernels": {},
    }
    print(
        f"{'nodes':>7} {'links':>7} {'Dijkstra (full)':>16} {'k=2 link':>10} {'ratio':>6} "
        f"{'k=2 node':>10} {'ratio':>6} {'min_shared':>10} {'ratio':>6}"
    )
    for n in args.sizes:
        g = delaunay_graph(n, args.seed)
        rounds = args.rounds or (300 if n <= 5000 else 60)
        r = bench_kernels(g, rounds)
        out["kernels"][str(n)] = {"nodes": n, "links": g["n_links"], **r}
        print(
            f"{n:7d} {g['n_links']:7d} {r['dijkstra_s'] * 1e3:13.3f} ms "
            f"{r['k_disjoint_k2_s'] * 1e3:7.3f} ms {r['ratio_k2_link']:5.2f}x "
            f"{r['k_disjoint_k2_node_s'] * 1e3:7.3f} ms {r['ratio_k2_node']:5.2f}x "
            f"{r['min_shared_pair_s'] * 1e3:7.3f} ms {r['ratio_min_shared_pair']:5.2f}x"
        )
    if not args.no_srlg:
        small = delaunay_graph(min(args.sizes), args.seed)
        s = bench_srlg(small, args.seed + 1, args.time_limit)
        out["srlg"] = {"nodes": min(args.sizes), **s}
        print(
            f"SRLG n={min(args.sizes)} groups={s['srlg_groups']}: heuristic "
            f"{s['heuristic_s']:.3f} s ({s['heuristic_status']}, {s['heuristic_cost']:.4f}) vs "
            f"exact {s['exact_s']:.3f} s ({s['exact_status']}, {s['exact_cost']:.4f}); "
            f"gap {s['heuristic_gap'] * 100:.3f} %"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
