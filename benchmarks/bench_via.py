"""The exact via solver against the old filter over the k-shortest-paths stream.

Usage: ``python benchmarks/bench_via.py [--rounds R] [--json OUT]``

The old way (before the exact solver): enumerate loopless paths in nondecreasing latency with
the ksp kernel (doubling ``k``) and return the first one that passes the via item, giving up
after 20,000 candidates with a (possibly false) "no route". The exact way:
:func:`corridor.routing.constrained.best_path` (walk relaxation, then the integer program).

Workloads, each timed best-of-R after a warm-up (kernels compiled, same process, interleaved):

* the shipped network: four via requests (one is the false "no route" of issue 13);
* the 2,000-point Delaunay graph of :mod:`benchmarks.graphs` (westmost to eastmost point) with
  a via site in the middle of the map, and one off the straight line (north-middle).

Prints times, the ratio old / exact, and whether the old filter found the route at all.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import delaunay_graph

from corridor._kernels import ksp
from corridor.network import load_network
from corridor.routing import prepare
from corridor.routing.constrained import best_path, graph_from_arcs, search_graph

OLD_CAP = 20_000


def old_filter(indptr, head, weight, arc_ok, node_ok, s, t, accepts) -> tuple[Any, int]:
    """First path of the doubling ksp stream that ``accepts``; (None, examined) after the cap."""
    seen, k = 0, 16
    while True:
        offsets, arcs, _ = ksp(indptr, head, weight, arc_ok, node_ok, s, t, k)
        for i in range(seen, len(offsets) - 1):
            path = arcs[offsets[i] : offsets[i + 1]]
            if accepts(path):
                return path, i + 1
        if len(offsets) - 1 < k or len(offsets) - 1 >= OLD_CAP:
            return None, len(offsets) - 1
        seen, k = len(offsets) - 1, min(2 * k, OLD_CAP)


def best_of(fn: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


SHIPPED = [
    ("frankfurt", "shanghai", {"via": "KZ"}),
    ("ankara", "hong-kong", {"via": "RU"}),
    ("london", "tokyo", {"via": "EG", "avoid": ["RU", "KZ", "IR", "AZ"], "status": "all"}),
    (
        "amsterdam",
        "beijing",
        {"via": "EG", "avoid": ["RU", "KZ", "IR", "AZ", "suez-egypt-crossing"], "status": "all"},
    ),
]


def shipped_cases(rounds: int) -> list[dict[str, Any]]:
    net = load_network()
    out = []
    for src, dst, opts in SHIPPED:
        req = prepare(net, src, dst, **opts)
        cons = req.cons
        g = search_graph(
            net, req.arc_ok, req.node_ok, via_countries=cons.via_countries, via_sites=cons.via_sites
        )
        look = net.lookup
        country = cons.via_countries[0]
        crosses = np.array([country in cs for cs in look.link_countries], dtype=bool)

        def accepts(path: np.ndarray, crosses: np.ndarray = crosses) -> bool:
            return bool(crosses[net.arc_link[path]].any())

        best_path(g, req.s, req.t)  # warm-up
        t_new, exact = best_of(lambda g=g, req=req: best_path(g, req.s, req.t), rounds)
        args = (net.indptr, net.head, net.weight, req.arc_ok, req.node_ok, req.s, req.t, accepts)
        t_old, (old, examined) = best_of(lambda args=args: old_filter(*args), rounds)
        cost = float(g.weight[exact].sum())
        name = f"shipped {src}-{dst} via {country}"
        out.append(_row(name, t_new, t_old, cost, old, examined, net.weight))
    return out


def delaunay_cases(rounds: int, n: int = 2000) -> list[dict[str, Any]]:
    gr = delaunay_graph(n)
    out = []
    for label, where in (("middle", (60.0, 42.5)), ("north-middle", (60.0, 53.0))):
        v = int(np.argmin(np.hypot(*(gr.points - np.array(where)).T)))
        cover = np.where(gr.head == v, 1, 0).astype(np.int64)
        site_cover = np.zeros(gr.n, dtype=np.int64)
        site_cover[v] = 1
        g = graph_from_arcs(gr.tail, gr.head, gr.weight, cover, site_cover, 1)

        def accepts(path: np.ndarray, v: int = v) -> bool:
            return bool((gr.head[path] == v).any())

        best_path(g, gr.source, gr.target)
        t_new, exact = best_of(lambda g=g: best_path(g, gr.source, gr.target), rounds)
        args = (gr.indptr, gr.head, gr.weight, gr.arc_ok, gr.node_ok, gr.source, gr.target, accepts)
        t_old, (old, examined) = best_of(lambda args=args: old_filter(*args), rounds)
        name = f"delaunay {n} via {label} point"
        cost = float(g.weight[exact].sum())
        out.append(_row(name, t_new, t_old, cost, old, examined, gr.weight))
    return out


def _row(name, t_new, t_old, exact_cost, old, examined, weight) -> dict[str, Any]:
    return {
        "case": name,
        "exact_s": t_new,
        "old_filter_s": t_old,
        "old_over_exact": t_old / t_new,
        "old_found": old is not None,
        "old_examined": int(examined),
        "exact_cost": exact_cost,
        "old_cost": float(weight[old].sum()) if old is not None else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rows = shipped_cases(args.rounds) + delaunay_cases(args.rounds)
    for r in rows:
        found = (
            f"found it after {r['old_examined']:,} paths"
            if r["old_found"]
            else f"false 'no route' after {r['old_examined']:,} paths"
        )
        print(
            f"{r['case']:<52} exact {r['exact_s'] * 1e3:8.1f} ms   old filter "
            f"{r['old_filter_s'] * 1e3:9.1f} ms ({found})   old/exact {r['old_over_exact']:7.1f}x"
        )
    if args.json:
        meta = {"python": platform.python_version(), "machine": platform.machine()}
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
