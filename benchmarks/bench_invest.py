"""Benchmark: the exact one-link shortcut vs recomputation, on the shipped network.

For every candidate (planned / proposed link) the per-pair best latency and worst
single-failure latency over the default demand (640 OD pairs) are computed two ways:

* shortcut: ``corridor.invest._kernels.single_link_metrics`` over distance rows of the base
  network (computed once, with every single link cut; that one-off cost is reported too);
* recomputation: ``corridor.invest._kernels.set_metrics`` on the masked network with the
  candidate enabled (a Dijkstra tree per source plus one per cut link of the best routes);
* latency only: the shortcut on the no-failure rows vs one Dijkstra tree per source;
* protection pairs (backup flag and protected availability, link mode): the incremental update
  (``corridor.invest.protection``: only the OD pairs the new link can change) vs recomputing
  every OD pair's disjoint pair and its availability.

Results are checked equal. Seeded (the candidate order is shuffled with ``--seed``), a warm-up
run compiles the kernels first. Prints the ratios; ``--json OUT`` writes them.

    python benchmarks/bench_invest.py [--repeat 3] [--seed 0] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import corridor
from corridor.invest import _kernels as K
from corridor.invest import candidate_network, default_demand, make_context
from corridor.invest import protection as P
from corridor.invest.evaluate import _State


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()

    net = corridor.load_network()
    full, cands = candidate_network(net)
    ctx = make_context(full, cands, default_demand(full))
    order = np.random.default_rng(args.seed).permutation(len(cands))
    delay = full.site_delay
    ll = full.lookup.link_latency

    def shortcut(st: _State) -> list[tuple[np.ndarray, np.ndarray]]:
        out = []
        for i in order:
            c = cands[i]
            u, v = full.site_index(c.a), full.site_index(c.b)
            ow, worst, _, _ = K.single_link_metrics(
                st.dist,
                st.focus,
                ctx.prs,
                ctx.prt,
                ctx.pt,
                delay,
                u,
                v,
                float(ll[c.link]),
                bool(ctx.link_focus[c.link]),
            )
            out.append((ow, worst))
        return out

    def recompute() -> list[tuple[np.ndarray, np.ndarray]]:
        out = []
        for i in order:
            links = ctx.mask([int(i)])
            ow, worst, _ = K.set_metrics(
                full.indptr,
                full.head,
                full.tail,
                full.weight,
                full.arc_link,
                ctx.arc_ok(links),
                ctx.node_ok,
                ctx.larcs,
                ctx.src_nodes,
                ctx.psi,
                ctx.pt,
                delay,
                ctx.node_focus,
                ctx.link_focus,
                ctx.arc_code,
                0.0,  # arc weights, the figure the shortcut compares
            )
            out.append((ow, worst))
        return out

    def latency_shortcut(st: _State) -> list[np.ndarray]:
        d0 = st.dist[0]
        out = []
        for i in order:
            c = cands[i]
            u, v = full.site_index(c.a), full.site_index(c.b)
            w = float(ll[c.link])
            base = d0[ctx.prs, ctx.pt] - delay[ctx.pt]
            via = np.minimum(
                d0[ctx.prs, u] + w + d0[ctx.prt, v], d0[ctx.prs, v] + w + d0[ctx.prt, u]
            )
            out.append(np.minimum(base, via))
        return out

    def latency_recompute() -> list[np.ndarray]:
        out = []
        for i in order:
            ok = ctx.arc_ok(ctx.mask([int(i)]))
            rows = {
                int(s): K.dijkstra(
                    full.indptr, full.head, full.weight, int(s), -1, ok, ctx.node_ok
                )[0]
                for s in ctx.src_nodes
            }
            out.append(
                np.array([rows[int(s)][t] - delay[t] for s, t in zip(ctx.ps, ctx.pt, strict=False)])
            )
        return out

    def protection_update(st: _State) -> list[np.ndarray]:
        ctx.protect.singles.clear()
        out = []
        for i in order:
            av = st.add_one(ctx, int(i)).availability
            assert av is not None
            out.append(av)
        return out

    def protection_full() -> list[np.ndarray]:
        out = []
        for i in order:
            av = P.compute(ctx.protect, ctx.mask([int(i)]), derive=False).availability
            assert av is not None
            out.append(av)
        return out

    # warm-up (compiles the kernels)
    st = _State(ctx, ())
    shortcut(st)
    recompute()
    latency_shortcut(st)
    latency_recompute()
    protection_update(st)
    protection_full()

    def best_of(fn, *a):  # type: ignore[no-untyped-def]
        best, res = float("inf"), None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            res = fn(*a)
            best = min(best, time.perf_counter() - t0)
        return best, res

    t_state, st = best_of(_State, ctx, ())
    t_short, a = best_of(shortcut, st)
    t_full, b = best_of(recompute)
    t_lshort, la = best_of(latency_shortcut, st)
    t_lfull, lb = best_of(latency_recompute)
    t_pup, pa = best_of(protection_update, st)
    t_pfull, pb = best_of(protection_full)
    for x1, x2 in zip(pa, pb, strict=True):
        assert np.allclose(x1, x2, rtol=0, atol=1e-12)
    for (x1, y1), (x2, y2) in zip(a, b, strict=True):
        assert np.allclose(x1, x2) and np.allclose(y1, y2, equal_nan=True)
    for x1, x2 in zip(la, lb, strict=True):
        assert np.allclose(x1, x2)
    t0 = time.perf_counter()
    corridor.build_network(
        full.sites,
        full.links[
            [
                c
                for c in full.links.columns
                if c not in ("length_km", "latency_ms", "countries", "srlgs")
            ]
        ],
        model=full.model,
    )
    t_build = time.perf_counter() - t0
    n = len(cands)
    result = {
        "candidates": n,
        "pairs": len(ctx.ps),
        "failure_scenarios": len(st.fail),
        "state_s": round(t_state, 4),
        "shortcut_s": round(t_short, 4),
        "recompute_s": round(t_full, 4),
        "speedup_per_candidate": round(t_full / t_short, 1),
        "speedup_incl_state": round(t_full / (t_short + t_state), 2),
        "latency_shortcut_s": round(t_lshort, 5),
        "latency_recompute_s": round(t_lfull, 4),
        "latency_speedup": round(t_lfull / t_lshort, 1),
        "build_network_s_per_candidate": round(t_build, 3),
        "speedup_vs_rebuild_latency": round((t_build * n + t_lfull) / t_lshort, 0),
        "protection_update_s": round(t_pup, 4),
        "protection_full_s": round(t_pfull, 4),
        "protection_speedup": round(t_pfull / t_pup, 1),
    }
    print(
        f"{n} candidates x {len(ctx.ps)} pairs, {len(st.fail)} single-cut scenarios\n"
        f"latency + worst single failure: shortcut {t_short * 1e3:.1f} ms vs recompute "
        f"{t_full * 1e3:.1f} ms -> {t_full / t_short:.1f}x (state once {t_state * 1e3:.0f} ms; "
        f"{result['speedup_incl_state']}x including it)\n"
        f"latency only: shortcut {t_lshort * 1e3:.2f} ms vs Dijkstra per source "
        f"{t_lfull * 1e3:.1f} ms -> {t_lfull / t_lshort:.1f}x; vs rebuilding the network per "
        f"candidate ({t_build:.2f} s each): {result['speedup_vs_rebuild_latency']:.0f}x\n"
        f"backup + availability (link mode): update {t_pup * 1e3:.0f} ms (whole candidate step) "
        f"vs every OD pair {t_pfull * 1e3:.0f} ms -> {t_pfull / t_pup:.1f}x"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)


if __name__ == "__main__":
    main()
