"""Multi-commodity flow timings on the shipped network with the gravity demand.

Usage: ``python benchmarks/bench_capacity.py [--repeat 2] [--json OUT]``

Workloads (objective ``max-carried``, second least-latency phase included, existing links):

1. shipped network, gravity demand Europe x China / East Asia (660 pairs, 200 Tbps);
2. shipped network, gravity demand over **all** pairs of cities, data centers and exchange
   points (``pairs="all"``).

Each workload is solved by the source-aggregated arc LP (``method="arc"``, one HiGHS solve per
phase); workload 1 also by path-based column generation (``method="path"``, the formulation
used with an RTT SLA), and both totals are checked to agree; the ``--sla-rtt`` run on
workload 1 shows what the SLA costs. Everything is warmed up once (numba kernels compiled)
before timing; times are the best of ``--repeat`` runs. The 2,000-site synthetic network
(:func:`synthetic`, path vs arc vs a networkx bound) is ``bench_capacity_synthetic.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import delaunay_graph

from corridor import Network, load_network
from corridor.capacity import ODMatrix, gravity_demand, multicommodity_flow


def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def synthetic(n: int, seed: int) -> tuple[Network, ODMatrix, np.ndarray]:
    g = delaunay_graph(n, seed=seed)
    rng = np.random.default_rng(seed)
    nxg = nx.Graph()
    for i, (lon, lat) in enumerate(g.points):
        nxg.add_node(i, lon=float(lon), lat=float(lat))
    for u, v, w in g.links:
        nxg.add_edge(int(u), int(v), latency_ms=float(w) / 1.8)
    net = Network.from_networkx(nxg, weight="latency_ms")
    cap = rng.choice([2.0, 4.0, 10.0, 20.0, 40.0], size=net.n_links)
    order = np.argsort(g.points[:, 0])
    west, east = order[:25], order[-25:]
    ids = net.lookup.site_id
    pairs = [(ids[a], ids[b]) for a in west for b in east]
    w = rng.random(len(pairs)) + 0.1
    od = ODMatrix(
        sources=tuple(p[0] for p in pairs),
        targets=tuple(p[1] for p in pairs),
        tbps=w / w.sum() * 200.0,
        description=f"25 x 25 seeded weights on Delaunay {n:,}",
    )
    return net, od, cap


def run(label: str, net: Network, od: ODMatrix, cap: Any, repeats: int, path: bool, **kw: Any):
    row: dict[str, Any] = {"workload": label, "pairs": len(od), "links": net.n_links}
    t_arc, r_arc = best_of(
        lambda: multicommodity_flow(net, od, capacities=cap, method="arc", **kw), repeats
    )
    row |= {"arc_s": round(t_arc, 3), "carried_tbps": round(r_arc.carried_tbps, 4)}
    if path:
        t_path, r_path = best_of(
            lambda: multicommodity_flow(net, od, capacities=cap, method="path", **kw), 1
        )
        row |= {
            "path_s": round(t_path, 3),
            "path_rounds": r_path.iterations,
            "path_over_arc": round(t_path / t_arc, 2),
            "agree": bool(abs(r_path.carried_tbps - r_arc.carried_tbps) < 1e-5),
        }
    print(json.dumps(row), flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)
    net = load_network()
    od = gravity_demand(net)
    multicommodity_flow(net, od, method="path", max_iterations=2)  # warm-up: compile kernels
    rows: list[dict[str, Any]] = []
    rows += [run("shipped, Europe x East Asia", net, od, None, args.repeat, True)]
    t_sla, r_sla = best_of(lambda: multicommodity_flow(net, od, sla_rtt_ms=150.0), 1)
    rows.append(
        {
            "workload": "shipped, Europe x East Asia, SLA 150 ms (path)",
            "pairs": len(od),
            "path_s": round(t_sla, 3),
            "path_rounds": r_sla.iterations,
            "carried_tbps": round(r_sla.carried_tbps, 4),
        }
    )
    print(json.dumps(rows[-1]), flush=True)
    every = gravity_demand(net, pairs="all")
    rows.append(run("shipped, all endpoint pairs", net, every, None, 1, False))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
