"""Multi-commodity flow on a 2,000-site synthetic network: path vs arc formulation vs a bound.

Usage: ``python benchmarks/bench_capacity_synthetic.py [--sites 2000] [--side 25 10 4]
[--total 200] [--limit 900] [--json OUT]``

The network is the seeded Delaunay triangulation of ``benchmarks/graphs.py`` (one ms per 1.8
degrees of planar length, seeded capacities of 2 to 40 Tbps per link; ``synthetic`` in
``bench_capacity.py``), the demand ``side x side`` pairs between the westmost and the
eastmost sites (seeded weights, ``--total`` Tbps in all: 200 fits the network, 2,000 does
not). Objective ``max-carried`` (first phase only, so the three answer the same question):

- **path**: path-based column generation (``method="path"``: warm-started HiGHS master, Dijkstra
  pricing on the CSR arrays);
- **arc**: the source-aggregated arc LP in one ``linprog`` / HiGHS solve (``method="arc"``);
- **networkx bound**: ``networkx.maximum_flow_value`` from a super source (edges to the western
  sites, capacity their demand) to a super sink (from the eastern ones) on the same capacities:
  an upper bound on the multi-commodity answer (it lets any source's traffic reach any sink),
  not the same question, so its ratio says how far a max-flow estimate would be off.

Each solver runs in its own process (``--limit`` seconds, then it is reported as not finished),
after a warm-up that compiles the numba kernels; ratios are of times measured in this run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_capacity import synthetic

from corridor.capacity import ODMatrix, multicommodity_flow


def _demand_block(od: ODMatrix, side: int, sites: int, seed: int, total: float) -> ODMatrix:
    """The ``side x side`` westmost x eastmost block of :func:`synthetic`'s demand (reseeded for
    another side), scaled to ``total`` Tbps."""
    if side == 25:
        return ODMatrix(od.sources, od.targets, od.tbps * (total / od.tbps.sum()), od.description)
    from graphs import delaunay_graph

    g = delaunay_graph(sites, seed=seed)
    order = np.argsort(g.points[:, 0])
    west, east = order[:side], order[-side:]
    rng = np.random.default_rng(seed + side)
    pairs = [(str(a), str(b)) for a in west for b in east]
    w = rng.random(len(pairs)) + 0.1
    return ODMatrix(
        sources=tuple(p[0] for p in pairs),
        targets=tuple(p[1] for p in pairs),
        tbps=w / w.sum() * total,
        description=f"{side} x {side} seeded weights on Delaunay {sites:,}",
    )


def solve_one(solver: str, sites: int, side: int, seed: int, total: float) -> dict[str, Any]:
    """Time one solver on the workload (called in a child process)."""
    net, od, cap = synthetic(sites, seed)
    od = _demand_block(od, side, sites, seed, total)
    if solver == "networkx":
        t0 = time.perf_counter()
        g = nx.DiGraph()
        ids = net.lookup.site_id
        for u, v, li in zip(net.tail, net.head, net.arc_link, strict=True):  # both directions
            a, b, c = ids[u], ids[v], float(cap[li])
            if g.has_edge(a, b):
                g[a][b]["capacity"] += c
            else:
                g.add_edge(a, b, capacity=c)
        out_d: dict[str, float] = {}
        in_d: dict[str, float] = {}
        for s, t, d in zip(od.sources, od.targets, od.tbps, strict=True):
            out_d[s] = out_d.get(s, 0.0) + float(d)
            in_d[t] = in_d.get(t, 0.0) + float(d)
        for s, d in out_d.items():
            g.add_edge("_source", s, capacity=d)
        for t, d in in_d.items():
            g.add_edge(t, "_sink", capacity=d)
        value = nx.maximum_flow_value(g, "_source", "_sink")
        return {"solver": solver, "s": time.perf_counter() - t0, "tbps": float(value)}
    # warm-up on a small block: compile the kernels outside the timing
    small = ODMatrix(od.sources[:2], od.targets[:2], od.tbps[:2], description="warm-up")
    multicommodity_flow(net, small, capacities=cap, method="path", max_iterations=2)
    t0 = time.perf_counter()
    r = multicommodity_flow(net, od, capacities=cap, method=solver, prefer_short=False)
    return {
        "solver": solver,
        "s": time.perf_counter() - t0,
        "tbps": r.carried_tbps,
        "rounds": r.iterations,
        "columns": r.stats.get("columns", 0),
        "converged": r.converged,
    }


def run_child(solver: str, args: argparse.Namespace, side: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", solver, "--sites", str(args.sites)]
    cmd += ["--seed", str(args.seed), "--side", str(side), "--total", str(args.total)]
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.limit, check=True)
    except subprocess.TimeoutExpired:
        return {"solver": solver, "s": None, "note": f"not finished within {args.limit} s"}
    except subprocess.CalledProcessError as exc:
        return {"solver": solver, "s": None, "note": f"failed: {exc.stderr.strip()[-300:]}"}
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["process_s"] = time.perf_counter() - t0
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--side", type=int, nargs="+", default=[25, 10, 4])
    ap.add_argument("--total", type=float, default=200.0, help="total demand, Tbps")
    ap.add_argument("--limit", type=float, default=900.0, help="seconds per solver run")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        row = solve_one(args.child, args.sites, args.side[0], args.seed, args.total)
        print(json.dumps(row), flush=True)
        return 0
    rows = []
    for side in args.side:
        res = {s: run_child(s, args, side) for s in ("path", "arc", "networkx")}
        path, arc, bound = res["path"], res["arc"], res["networkx"]
        row: dict[str, Any] = {
            "workload": f"Delaunay {args.sites:,}, {side} x {side} pairs, {args.total:g} Tbps",
            "solvers": res,
        }
        if path["s"] and arc["s"]:
            row["arc_over_path_time"] = round(arc["s"] / path["s"], 2)
            row["agree"] = bool(abs(path["tbps"] - arc["tbps"]) <= 1e-6 * max(1.0, arc["tbps"]))
        if path["s"] and bound["s"]:
            row["networkx_over_path_time"] = round(bound["s"] / path["s"], 3)
            row["carried_over_bound"] = round(path["tbps"] / bound["tbps"], 4)
        print(json.dumps(row), flush=True)
        rows.append(row)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
