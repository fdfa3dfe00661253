"""Placement on the shipped network: exact MILP vs the greedy + Teitz-Bart heuristic.

Usage: ``python benchmarks/bench_placement.py [--p 5] [--country KZ] [--policy FILE]
[--repeat 3] [--large 0] [--json OUT]``

Builds the default placement problem (every European and East Asian city as demand, the cities,
data centers and exchange points of ``--country`` as candidates, status ``planned``) with one
batch kernel call, then, for every objective (median, center, coverage at an SLA of
``--sla``, default 50 ms RTT) and every ``p = 1..P``, solves it exactly with
:func:`scipy.optimize.milp` and with the heuristic. Prints the heuristic's gap to the exact
optimum (per cent of the exact objective; coverage: points of covered demand) and the speed
ratio (MILP time / heuristic time, median of repeats). ``--large N`` adds a random N x N
Euclidean instance (p-median, p = 10) to show the scaling of both methods.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from corridor import load_network
from corridor.placement import load_policy, placement_problem, solve_heuristic, solve_milp


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    times = [time.perf_counter() - t0] if repeat == 0 else []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--p", type=int, default=5)
    parser.add_argument("--country", default="KZ")
    parser.add_argument("--policy")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sla", type=float, default=50.0, help="coverage SLA, ms RTT")
    parser.add_argument("--large", type=int, default=0, metavar="N")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()

    net = load_network()
    policy = load_policy(args.policy) if args.policy else None
    t0 = time.perf_counter()
    base = placement_problem(net, country=args.country, policy=policy)
    build = time.perf_counter() - t0
    d, c = base.rtt.shape
    print(f"problem: {d} demand sites x {c} candidates, matrix built in {build * 1000:.1f} ms")
    sla = args.sla
    rows = []
    print(
        f"{'objective':<10}{'p':>3}{'exact':>12}{'heuristic':>12}{'gap':>9}"
        f"{'milp ms':>10}{'heur ms':>10}{'ratio':>8}"
    )
    for objective in ("median", "center", "coverage"):
        cost, cover = base.cost, None
        if objective == "coverage":
            finite = base.rtt[np.isfinite(base.rtt)]
            cost = np.where(np.isfinite(base.rtt), base.rtt, 10 * finite.max())
            cover = np.isfinite(base.rtt) & (base.rtt <= sla)
        for p in range(1, min(args.p, c) + 1):
            kw: dict[str, Any] = {"objective": objective, "cover": cover}

            def run_milp(cost=cost, p=p, kw=kw):  # type: ignore[no-untyped-def]
                return solve_milp(cost, base.weights, p, **kw)

            def run_heur(cost=cost, p=p, kw=kw):  # type: ignore[no-untyped-def]
                return solve_heuristic(cost, base.weights, p, **kw)

            exact, t_milp = timed(run_milp, args.repeat)
            heur, t_heur = timed(run_heur, args.repeat)
            if objective == "coverage":
                total = base.weights.sum()
                gap = 100.0 * (heur.key[1] - exact.key[1]) / total
                ev, hv = -exact.key[1] / total, -heur.key[1] / total
            else:
                ev, hv = exact.key[1], heur.key[1]
                if objective == "median":
                    ev, hv = ev / base.weights.sum(), hv / base.weights.sum()
                gap = 100.0 * (hv - ev) / ev
            ratio = t_milp / max(t_heur, 1e-9)
            print(
                f"{objective:<10}{p:>3}{ev:>12.4f}{hv:>12.4f}{gap:>8.3f}%"
                f"{t_milp * 1000:>10.2f}{t_heur * 1000:>10.2f}{ratio:>8.1f}"
            )
            rows.append(
                {
                    "objective": objective,
                    "p": p,
                    "exact": ev,
                    "heuristic": hv,
                    "gap_percent": gap,
                    "milp_s": t_milp,
                    "heuristic_s": t_heur,
                    "speed_ratio": ratio,
                    "exact_nodes": [base.candidates[i] for i in exact.chosen],
                    "heuristic_nodes": [base.candidates[i] for i in heur.chosen],
                }
            )
    gaps = [r["gap_percent"] for r in rows]
    ratios = [r["speed_ratio"] for r in rows]
    print(
        f"worst gap {max(gaps):.3f}%, {sum(g > 1e-9 for g in gaps)} of {len(gaps)} runs "
        f"not optimal; speed ratio median {statistics.median(ratios):.1f}x"
    )
    large = None
    if args.large:
        rng = np.random.default_rng(0)
        pts = rng.uniform(0, 100, size=(args.large, 2))
        cost = np.linalg.norm(pts[:, None] - pts[None], axis=2)
        w = rng.uniform(0.5, 2.0, size=args.large)
        p = 10
        exact, t_milp = timed(lambda: solve_milp(cost, w, p, time_limit=300), 0)
        heur, t_heur = timed(lambda: solve_heuristic(cost, w, p), 0)
        gap = 100 * (heur.key[1] - exact.key[1]) / exact.key[1]
        print(
            f"large {args.large}x{args.large}, p={p}: milp {t_milp:.2f} s "
            f"(optimal {exact.optimal}), heuristic {t_heur:.2f} s, gap {gap:.3f}%"
        )
        large = {
            "n": args.large,
            "p": p,
            "milp_s": t_milp,
            "heuristic_s": t_heur,
            "gap_percent": gap,
            "milp_optimal": exact.optimal,
        }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "demand": d,
                    "candidates": c,
                    "build_s": build,
                    "coverage_sla_ms": sla,
                    "runs": rows,
                    "large": large,
                },
                fh,
                indent=2,
            )


if __name__ == "__main__":
    main()
