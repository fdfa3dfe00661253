"""Running a batch: plan the chunks, compute the missing ones, assemble, report.

Work is split into chunks of one latency-model variant x one link status x a slice of failure
scenarios x one route family x a block of OD pairs (:func:`plan`). Each finished chunk is
written atomically to ``OUT/.chunks/<chunk id>.parquet`` by this (the driver) process, so a
chunk is either complete on disk or absent: ``resume=True`` computes only the absent ones, and
a chunk computed twice (a retried task) is written once under the same name. The results are
assembled from the chunk files in plan order and sorted, so they do not depend on which worker
finished first.

Backends: in this process (small jobs or ``workers=1``), local processes
(:class:`concurrent.futures.ProcessPoolExecutor`), or dask.distributed (``scheduler=
"tcp://host:port"`` for an existing cluster, ``dask_local=N`` for a loopback LocalCluster of
N single-threaded worker processes without dashboard). Workers build the network from the
scenario's file paths and cache it per process.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from corridor._atomic import replace_atomically, write_atomic
from corridor._errors import RequestError
from corridor.batch import compute
from corridor.batch.spec import BatchSpec, ModelVariant, expand_failures, load_scenario
from corridor.network import Network

__all__ = ["OUTPUT_NAMES", "BatchResult", "Chunk", "atomic_write", "plan", "run_batch"]

#: Files and folders a run writes in its output folder (``force=True`` replaces only these).
OUTPUT_NAMES = (
    ".chunks", "results.parquet", "results.csv", "summary.json", "report.html", "report.md",
    "figures", "scenarios.csv",
)  # fmt: skip

_DEFAULT_MODEL = ModelVariant("default").params()

#: Below this many OD x scenario evaluations a run stays in this process by default.
INPROCESS_MAX_EVALUATIONS = 200_000


@dataclass(frozen=True)
class Chunk:
    """One unit of work (see the module docstring); ``job`` is what a worker receives."""

    id: str
    evaluations: int
    job: dict[str, Any] = field(repr=False)


@dataclass
class BatchResult:
    """What :func:`run_batch` produced."""

    out_dir: Path
    results: pd.DataFrame
    summary: dict[str, Any]
    files: dict[str, Path]
    stats: dict[str, Any]


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it into place."""
    replace_atomically(path, write, what="batch output")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def atomic_text(path: Path, text: str) -> None:
    write_atomic(path, text, what="batch output")


def _model_params(spec: BatchSpec, mi: int) -> dict[str, float]:
    return spec.models[mi].params()


def plan(spec: BatchSpec, net: Network) -> tuple[pd.DataFrame, list[Chunk]]:
    """The scenario table and the chunks of a run, in a fixed order."""
    files = [spec.sites, spec.links, spec.countries]
    scen_rows: list[dict[str, Any]] = []
    chunks: list[Chunk] = []
    pairs = [list(p) for p in spec.pairs]
    size = spec.chunk_pairs
    blocks = [(b, list(range(lo, min(lo + size, len(pairs))))) for b, lo in
              enumerate(range(0, len(pairs), size))]  # fmt: skip
    for mi, mv in enumerate(spec.models):
        for si, status in enumerate(spec.statuses):
            fails = expand_failures(spec, net, status)
            first = len(scen_rows)
            for name, kind, links, sites in fails:
                scen_rows.append({
                    "scenario_index": len(scen_rows),
                    "scenario": f"{mv.name} / {status} / {name}",
                    "model": mv.name, "status": status, "failure": name, "failure_kind": kind,
                    "failed_links": len(links), "failed_sites": len(sites),
                })  # fmt: skip
            fsize = spec.failures_per_chunk
            for f0 in range(0, len(fails), fsize):
                fslice = fails[f0 : f0 + fsize]
                for fa, fam in enumerate(spec.families):
                    for b, idx in blocks:
                        cid = f"m{mi:02d}-s{si}-f{f0:05d}-fam{fa:02d}-b{b:04d}"
                        job = {
                            "chunk": cid,
                            "network": files,
                            "model": _model_params(spec, mi),
                            "model_name": mv.name,
                            "status": status,
                            "avoid": list(spec.avoid),
                            "family": {"name": fam.name, "via": list(fam.via),
                                       "avoid": list(fam.avoid)},
                            "family_index": fa,
                            "k": spec.k,
                            "max_latency_ms": spec.max_rtt_ms / 2 if spec.max_rtt_ms else None,
                            "max_hops": spec.max_hops,
                            "pairs": [pairs[i] for i in idx],
                            "pair_index": idx,
                            "failures": [[n, k, list(lk), list(st)] for n, k, lk, st in fslice],
                            "scenario_ids": [scen_rows[first + f0 + j]["scenario"]
                                             for j in range(len(fslice))],
                            "scenario_index": [first + f0 + j for j in range(len(fslice))],
                            "flags": list(spec.flag_countries),
                            "paths": spec.outputs.get("paths", True),
                        }  # fmt: skip
                        chunks.append(Chunk(cid, len(idx) * len(fslice), job))
    return pd.DataFrame(scen_rows), chunks


def _prepare_out(out: Path, spec: BatchSpec, resume: bool, force: bool) -> None:
    manifest = out / ".chunks" / "manifest.json"
    entries = [p for p in out.iterdir()] if out.is_dir() else []
    if out.exists() and not out.is_dir():
        msg = f"{out}: exists and is not a folder"
        raise RequestError(msg)
    if resume and entries:
        if not manifest.is_file():
            msg = f"{out}: nothing to resume (no .chunks/manifest.json); use --force to replace"
            raise RequestError(msg)
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if old.get("fingerprint") != spec.fingerprint:
            msg = (
                f"{out}: was started with a different scenario or data "
                f"({old.get('scenario')}); use --force to start over"
            )
            raise RequestError(msg)
        return
    if entries and not force:
        msg = (
            f"{out}: output folder is not empty; use --resume to continue an interrupted run "
            "of the same scenario or --force to replace its results"
        )
        raise RequestError(msg)
    if force:
        for name in OUTPUT_NAMES:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()


def _progress(enabled: bool):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )  # fmt: skip

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("evaluations"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def _iter_local(todo: list[Chunk], workers: int) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    if workers <= 1:
        for c in todo:
            yield c, compute.compute_chunk(c.job)
        return
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
        futures = {pool.submit(compute.compute_chunk, c.job): c for c in todo}
        try:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        finally:
            for fut in futures:
                fut.cancel()


def _iter_dask(
    todo: list[Chunk], fingerprint: str, scheduler: str | None, dask_local: int | None
) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=int(dask_local or 1), threads_per_worker=1, processes=True,
            host="127.0.0.1", dashboard_address=None,
        )  # fmt: skip
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = {}
        for c in todo:
            fut = client.submit(
                compute.compute_chunk, c.job, key=f"corridor-batch-{fingerprint}-{c.id}",
                retries=3,
            )  # fmt: skip
            futures[fut.key] = (fut, c)
        for fut in dask_completed([f for f, _ in futures.values()]):
            chunk = futures[fut.key][1]
            df = fut.result()
            fut.release()
            yield chunk, df
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(
    scenario: str | Path | BatchSpec,
    out: str | Path,
    *,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    dask_local: int | None = None,
    workers: int | None = None,
    progress: bool = True,
    on_chunk: Callable[[str, int, int], None] | None = None,
    report: bool = True,
) -> BatchResult:
    """Run a scenario file into ``out`` (see the module docstring).

    Parameters
    ----------
    scenario
        A scenario file path or a parsed :class:`~corridor.batch.spec.BatchSpec`.
    out
        Output folder. A non-empty folder is refused unless ``resume`` (same scenario: compute
        only the missing chunks) or ``force`` (replace the files a run writes).
    scheduler, dask_local
        Run the chunks on dask.distributed: an existing scheduler address, or a LocalCluster of
        ``dask_local`` worker processes on 127.0.0.1.
    workers
        Local worker processes (default: in this process for small jobs, else one per CPU).
    progress
        Show a progress bar on stderr.
    on_chunk
        Called as ``on_chunk(chunk_id, done, total)`` after each chunk is written (tests use it
        to interrupt a run).
    report
        Write the report files (HTML, Markdown, charts) as well as the tables.

    Raises
    ------
    DataError, RequestError
        For a bad scenario file (before any work) or an output folder in the way.
    """
    t0 = time.perf_counter()
    if isinstance(scenario, BatchSpec):
        spec = scenario
        net = compute.network_for([spec.sites, spec.links, spec.countries], _DEFAULT_MODEL)
    else:
        peeked = _peek_network(Path(scenario))
        spec = load_scenario(scenario, net=peeked)
        net = peeked or compute.network_for(
            [spec.sites, spec.links, spec.countries], _DEFAULT_MODEL
        )
    out = Path(out)
    if scheduler is not None and dask_local is not None:
        msg = "give either scheduler or dask_local, not both"
        raise RequestError(msg)
    _prepare_out(out, spec, resume, force)
    scenarios, chunks = plan(spec, net)
    chunk_dir = out / ".chunks"
    chunk_dir.mkdir(parents=True, exist_ok=True)
    atomic_text(
        chunk_dir / "manifest.json",
        json.dumps(
            {"fingerprint": spec.fingerprint, "scenario": str(spec.path),
             "chunks": [c.id for c in chunks]},
            indent=1,
        ),
    )  # fmt: skip
    todo = [c for c in chunks if not (chunk_dir / f"{c.id}.parquet").is_file()]
    total = sum(c.evaluations for c in chunks)
    left = sum(c.evaluations for c in todo)
    if scheduler is not None or dask_local is not None:
        backend = f"dask {scheduler}" if scheduler else f"dask LocalCluster x{dask_local}"
        stream = _iter_dask(todo, spec.fingerprint, scheduler, dask_local)
    else:
        if workers is None:
            workers = 1 if left <= INPROCESS_MAX_EVALUATIONS else (os.cpu_count() or 1)
        workers = max(1, min(workers, len(todo) or 1))
        backend = "in-process" if workers == 1 else f"{workers} local processes"
        stream = _iter_local(todo, workers)
    t_compute = time.perf_counter()
    done = 0
    with _progress(progress and bool(todo)) as bar:
        task = bar.add_task(f"corridor batch ({backend})", total=total, completed=total - left)
        for chunk, frame in stream:
            path = chunk_dir / f"{chunk.id}.parquet"
            atomic_write(path, partial(_write_parquet, frame))
            done += 1
            bar.advance(task, chunk.evaluations)
            if on_chunk is not None:
                on_chunk(chunk.id, done, len(todo))
    t_assemble = time.perf_counter()
    results = assemble(chunk_dir, chunks)
    from corridor.batch.report import write_outputs

    stats = {
        "backend": backend,
        "chunks": len(chunks),
        "chunks_computed": len(todo),
        "chunks_reused": len(chunks) - len(todo),
        "evaluations": total,
        "rows": len(results),
        "seconds_compute": round(t_assemble - t_compute, 3),
        "seconds_total": None,
    }
    summary, files = write_outputs(spec, net, results, scenarios, out, stats, report=report)
    stats["seconds_total"] = round(time.perf_counter() - t0, 3)
    summary["stats"]["seconds_total"] = stats["seconds_total"]
    atomic_text(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return BatchResult(out, results, summary, files, stats)


def _peek_network(path: Path) -> Network | None:
    """The network a scenario file names (default model), or None if anything is off."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        nw = data.get("network", {})
        files = [
            str((path.parent / nw[k]).resolve()) if k in nw else None
            for k in ("sites", "links", "countries")
        ]
        return compute.network_for(files, _DEFAULT_MODEL)
    except Exception:
        return None


def assemble(chunk_dir: Path, chunks: list[Chunk]) -> pd.DataFrame:
    """All chunk files of a plan, concatenated and sorted (scenario, family, pair, rank)."""
    frames = [pd.read_parquet(chunk_dir / f"{c.id}.parquet") for c in chunks]
    frames = [f for f in frames if len(f)]
    if not frames:
        return compute.empty_table(())
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(
        ["scenario_index", "family_index", "pair_index", "rank"], kind="mergesort"
    ).reset_index(drop=True)
    dup = df.duplicated(["scenario_index", "family_index", "pair_index", "rank"])
    if dup.any():  # impossible by construction; a guard against a corrupted folder
        msg = f"{chunk_dir}: duplicate result rows; rerun with --force"
        raise RequestError(msg)
    return df


def _fmt_seconds(x: float) -> str:
    return f"{x:.1f} s" if math.isfinite(x) else "-"


if __name__ == "__main__":  # pragma: no cover
    print(run_batch(sys.argv[1], sys.argv[2]).stats)
