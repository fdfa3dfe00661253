"""The failure sweep on dask.distributed: chunks of scenarios, the network shipped once.

The driver prepares everything :func:`corridor.resilience.sweep` needs (baseline routes, their
CSR link and site lists, the masks) exactly as in one process, then:

1. ships these arrays once to every worker (:func:`corridor._dask.broadcast`);
2. splits the scenarios into contiguous chunks of about equal *estimated* cost: the number of
   shortest-path trees a scenario needs (distinct sources of the pairs it hits) plus the
   per-scenario bookkeeping, so a chunk of sea-chokepoint SRLGs is not ten times a chunk of
   stub links;
3. runs :func:`corridor.resilience._kernel.sweep_kernel` on each chunk on a worker, a few in
   flight per worker, and gets back only what differs from the baseline (in incremental mode
   the hit entries: a few kB instead of a dense chunk x pairs table);
4. writes each answer into the same dense arrays the one-process path fills.

Every scenario is answered by the same kernel call sequence as in one process, so the results
are identical (tested), whatever the chunking and whichever worker ran a chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from corridor._dask import broadcast, dask_client, prepare_workers, run_bounded
from corridor.resilience._kernel import inverse_index, sweep_kernel
from corridor.resilience.scenarios import Scenario
from corridor.resilience.sweep import _csr

__all__ = ["chunk_bounds", "scenario_costs", "sweep_distributed"]

#: Tasks kept in flight per worker (one running, one queued so the worker never waits).
PER_WORKER = 2
#: Default chunks per worker: enough to balance load and show progress, few enough that the
#: per-task overhead (a few ms) stays far below the kernel time of a minute-long sweep.
CHUNKS_PER_WORKER = 8


def scenario_costs(
    scen: Sequence[Scenario], payload: dict[str, Any], *, n_links: int, incremental: bool
) -> np.ndarray:
    """Estimated relative kernel cost of each scenario (shortest-path trees + bookkeeping)."""
    src = payload["src"]
    q = src.shape[0]
    if not incremental:
        return np.full(len(scen), float(len(np.unique(src))) + 1e-3 * q)
    n = payload["indptr"].shape[0] - 1
    lp_ptr, lp_rows = inverse_index(n_links, payload["pl_ptr"], payload["pl"])
    np_ptr, np_rows = inverse_index(n, payload["pn_ptr"], payload["pn"])
    costs = np.empty(len(scen))
    for i, sc in enumerate(scen):
        parts = [lp_rows[lp_ptr[li] : lp_ptr[li + 1]] for li in sc.links]
        parts += [np_rows[np_ptr[v] : np_ptr[v + 1]] for v in sc.sites]
        rows = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        trees = len(np.unique(src[rows])) if len(rows) else 0
        costs[i] = trees + 0.01 * len(rows) + 1e-3 * q + 0.01
    return costs


def chunk_bounds(costs: np.ndarray, n_chunks: int) -> list[tuple[int, int]]:
    """Split ``range(len(costs))`` into at most ``n_chunks`` contiguous runs of similar cost."""
    k = len(costs)
    if k == 0:
        return []
    n_chunks = max(1, min(int(n_chunks), k))
    cum = np.cumsum(costs)
    cuts = np.searchsorted(cum, cum[-1] * np.arange(1, n_chunks) / n_chunks, side="right")
    edges = np.unique(np.concatenate([[0], np.clip(cuts, 1, k - 1), [k]]))
    return list(pairwise(edges.tolist()))


def sweep_chunk(
    payload: dict[str, Any],
    sl_ptr: np.ndarray,
    sl: np.ndarray,
    sn_ptr: np.ndarray,
    sn: np.ndarray,
    incremental: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Worker side: run the kernel on one chunk; return ``(hit_idx, endpoint_idx, dist, phys)``.

    Indices are flat into the chunk's ``(scenarios, pairs)`` block. ``dist`` and ``phys`` (the
    expected and physical distances) hold the values at ``hit_idx`` in incremental mode (every
    other entry is the baseline, exactly as the kernel writes it) and the whole block
    otherwise.
    """
    # Writeable arrays whatever the transport gave (a read-only buffer is another numba type,
    # i.e. another compilation); copies are made only where needed and cost well under 1 ms.
    p = {name: np.require(a, requirements=("C", "W")) for name, a in payload.items()}
    sl_ptr, sl, sn_ptr, sn = (
        np.require(a, requirements=("C", "W")) for a in (sl_ptr, sl, sn_ptr, sn)
    )
    dist, phys, hit, endpoint = sweep_kernel(
        p["indptr"], p["head"], p["weight"], p["arc_link"], p["arc_ok"], p["node_ok"],
        p["src"], p["dst"], p["arc_code"], p["arc_excess"], float(p["handoff_ms"][0]),
        p["dist"], p["phys"], p["pl_ptr"], p["pl"], p["pn_ptr"], p["pn"],
        sl_ptr, sl, sn_ptr, sn, incremental,
    )  # fmt: skip
    hit_idx = np.flatnonzero(hit)
    end_idx = np.flatnonzero(endpoint)
    if incremental:
        return hit_idx, end_idx, dist.ravel()[hit_idx], phys.ravel()[hit_idx]
    return hit_idx, end_idx, dist.ravel(), phys.ravel()


def warm_up() -> None:
    """Load (or compile) the sweep kernel in this process on a two-site graph."""
    i64 = np.int64
    one = np.array([0, 1], dtype=i64)
    sweep_kernel(
        np.array([0, 1, 2], dtype=i64), np.array([1, 0], dtype=i64), np.ones(2),
        np.zeros(2, dtype=i64), np.ones(2, dtype=np.bool_), np.ones(2, dtype=np.bool_),
        np.array([0], dtype=i64), np.array([1], dtype=i64), np.zeros(2, dtype=i64),
        np.zeros(2), 0.0, np.ones(1), np.ones(1),
        one, np.array([0], dtype=i64), np.array([0, 2], dtype=i64), one,
        one, np.array([0], dtype=i64), np.zeros(2, dtype=i64), np.empty(0, dtype=i64), True,
    )  # fmt: skip


def sweep_distributed(
    payload: dict[str, Any],
    scen: Sequence[Scenario],
    *,
    n_links: int,
    incremental: bool,
    scheduler: str | None,
    dask_local: int | None,
    chunks: int | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    """Answer every scenario on dask; return ``(dist, phys, hit, endpoint, stats)`` as in one
    process."""
    k, q = len(scen), payload["src"].shape[0]
    out = np.empty((k, q), dtype=np.float64)
    out_phys = np.empty((k, q), dtype=np.float64)
    hit = np.zeros((k, q), dtype=bool)
    endpoint = np.zeros((k, q), dtype=bool)
    costs = scenario_costs(scen, payload, n_links=n_links, incremental=incremental)
    with dask_client(scheduler=scheduler, dask_local=dask_local) as client:
        workers = prepare_workers(client, warm_up)
        bounds = chunk_bounds(costs, chunks or CHUNKS_PER_WORKER * workers)
        items = []
        for a, b in bounds:
            sl_ptr, sl = _csr([sc.links for sc in scen[a:b]])
            sn_ptr, sn = _csr([sc.sites for sc in scen[a:b]])
            items.append((sl_ptr, sl, sn_ptr, sn, incremental))
        shared = broadcast(client, payload)
        done = 0
        for i, (hit_idx, end_idx, dist, phys) in run_bounded(
            client, sweep_chunk, items, shared=shared, per_worker=PER_WORKER, workers=workers,
            key="corridor-sweep",
        ):  # fmt: skip
            a, b = bounds[i]
            block_out, block_phys = out[a:b], out_phys[a:b]
            if incremental:
                block_out[:] = payload["dist"][None, :]
                block_out.ravel()[hit_idx] = dist
                block_phys[:] = payload["phys"][None, :]
                block_phys.ravel()[hit_idx] = phys
            else:
                block_out[:] = dist.reshape(b - a, q)
                block_phys[:] = phys.reshape(b - a, q)
            hit[a:b].ravel()[hit_idx] = True
            endpoint[a:b].ravel()[end_idx] = True
            done += b - a
            if progress is not None:
                progress(done, k)
    stats = {"engine": "dask", "dask_workers": workers, "chunks": len(bounds)}
    return out, out_phys, hit, endpoint, stats
