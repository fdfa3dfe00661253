"""Running a batch: plan the chunks, compute the missing ones, assemble, report.

Work is split into chunks of one latency-model variant x one link status x a slice of failure
scenarios x one route family x a block of OD pairs (:func:`plan`). Each finished chunk is
written atomically to ``OUT/.chunks/<chunk id>.parquet`` by this (the driver) process, so a
chunk is either complete on disk or absent: ``resume=True`` computes only the absent ones, and
a chunk computed twice (a retried task) is written once under the same name. The results are
assembled from the chunk files in plan order and sorted, so they do not depend on which worker
finished first.

Backends: in this process (small jobs or ``workers=1``), local processes
(:class:`multiprocessing.pool.Pool`), or dask.distributed (``scheduler=
"tcp://host:port"`` for an existing cluster, ``dask_local=N`` for a loopback LocalCluster of
N single-threaded worker processes without dashboard). Workers build the network from the
scenario's file paths and cache it per process.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing as mp
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from corridor._atomic import replace_atomically, write_atomic
from corridor._errors import RequestError
from corridor._lock import LOCK_NAME, FolderLock
from corridor._procs import die_with_parent
from corridor.batch import compute
from corridor.batch.spec import BatchSpec, ModelVariant, expand_failures, load_scenario
from corridor.network import Network

__all__ = [
    "OUTPUT_NAMES",
    "BatchResult",
    "Chunk",
    "SchedulerLostError",
    "atomic_write",
    "plan",
    "run_batch",
]

#: Files and folders a run writes in its output folder (``force=True`` replaces only these).
OUTPUT_NAMES = (
    ".chunks", "results.parquet", "results.csv", "summary.json", "report.html", "report.md",
    "figures", "scenarios.csv", "report.pdf",
)  # fmt: skip

_Stream = Generator[tuple["Chunk", pd.DataFrame], None, None]

_DEFAULT_MODEL = ModelVariant("default").params()

#: How long to wait for a dask scheduler to answer before giving up.
SCHEDULER_TIMEOUT = "5s"


class SchedulerLostError(RequestError):
    """The dask scheduler went away during a run; the chunks written so far are kept.

    ``run_batch(..., resume=True)`` (with any backend, a cluster is not needed) finishes the run.
    """


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


def clean_stale_temporaries(out: Path) -> int:
    """Remove the temporary files an interrupted run left in ``out``; returns how many.

    Only call it while holding the folder's lock: every ``.NAME.*.tmp`` file there is then a
    leftover of an atomic write that never finished (see :mod:`corridor._atomic`).
    """
    removed = 0
    for folder in (out, out / ".chunks", out / "figures"):
        if not folder.is_dir():
            continue
        for tmp in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed += 1
    return removed


def _has_content(out: Path) -> bool:
    """Whether ``out`` holds anything of a run (the lock file and an empty .chunks do not count)."""
    if not out.is_dir():
        return False
    for entry in out.iterdir():
        if entry.name == LOCK_NAME:
            continue
        if entry.name == ".chunks" and entry.is_dir() and not any(entry.iterdir()):
            continue
        return True
    return False


def _prepare_out(out: Path, spec: BatchSpec, resume: bool, force: bool) -> None:
    manifest = out / ".chunks" / "manifest.json"
    if out.exists() and not out.is_dir():
        msg = f"{out}: exists and is not a folder"
        raise RequestError(msg)
    entries = _has_content(out)
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


def _worker_init(parent: int) -> None:
    """Local worker set-up: die with the driver; leave Ctrl-C to the driver (one message)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the driver's handler, inherited by fork


def _compute_indexed(item: tuple[int, dict[str, Any]]) -> tuple[int, pd.DataFrame]:
    return item[0], compute.compute_chunk(item[1])


def _iter_local(todo: list[Chunk], workers: int) -> _Stream:
    if workers <= 1:
        for c in todo:
            yield c, compute.compute_chunk(c.job)
        return
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    # multiprocessing.Pool rather than ProcessPoolExecutor: its terminate() stops the workers
    # at once on an interrupt, where the executor's exit handler can wait on them forever
    pool = mp.get_context(method).Pool(workers, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        items = [(i, c.job) for i, c in enumerate(todo)]
        for i, frame in pool.imap_unordered(_compute_indexed, items, chunksize=1):
            yield todo[i], frame
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


@contextlib.contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Processes started inside ignore SIGINT; this one handles it again afterwards.

    A terminal's Ctrl-C reaches the whole process group: the driver alone should answer it (and
    stop the workers), not every worker with a traceback. An ignored signal stays ignored
    across fork and exec, where a handler does not; a Ctrl-C in the few seconds the workers
    start is lost.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _iter_dask(
    todo: list[Chunk], fingerprint: str, scheduler: str | None, dask_local: int | None
) -> _Stream:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed
    from distributed.comm.core import CommClosedError

    cluster = None
    if scheduler is None:
        # no dashboard; the scheduler's small HTTP server on a free loopback port (its default,
        # 8787, is often taken and then warns)
        with _children_ignore_sigint():
            cluster = LocalCluster(
                n_workers=int(dask_local or 1), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )  # fmt: skip
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            msg = (
                f"cannot reach the dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT} "
                f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
            )
            raise RequestError(msg) from None
    try:
        futures = {}
        for c in todo:
            fut = client.submit(
                compute.compute_chunk, c.job, key=f"corridor-batch-{fingerprint}-{c.id}",
                retries=3,
            )  # fmt: skip
            futures[fut.key] = (fut, c)
        where = scheduler or "of the local cluster"
        try:
            for fut in dask_completed([f for f, _ in futures.values()]):
                chunk = futures[fut.key][1]
                df = fut.result()
                fut.release()
                yield chunk, df
        except (CancelledError, CommClosedError) as exc:
            # the client cancels every pending future when it loses its scheduler
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "scheduler-connection-lost" in reason or isinstance(exc, CommClosedError):
                reason = "connection lost"
            msg = f"lost the dask scheduler {where} during the run ({reason})"
            raise SchedulerLostError(msg) from None
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
    SchedulerLostError
        When the dask scheduler goes away mid-run (``resume=True`` finishes the run).
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
    with FolderLock(out, what="batch output folder"):
        return _run_locked(
            spec, net, out, t0, resume=resume, force=force, scheduler=scheduler,
            dask_local=dask_local, workers=workers, progress=progress, on_chunk=on_chunk,
            report=report,
        )  # fmt: skip


def _run_locked(
    spec: BatchSpec,
    net: Network,
    out: Path,
    t0: float,
    *,
    resume: bool,
    force: bool,
    scheduler: str | None,
    dask_local: int | None,
    workers: int | None,
    progress: bool,
    on_chunk: Callable[[str, int, int], None] | None,
    report: bool,
) -> BatchResult:
    stale = clean_stale_temporaries(out)
    _prepare_out(out, spec, resume, force)
    scenarios, chunks = plan(spec, net)
    chunk_dir = out / ".chunks"
    try:
        chunk_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot write to batch output folder {out}: {exc.strerror or exc}"
        raise RequestError(msg) from exc
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
    with _progress(progress and bool(todo)) as bar, contextlib.closing(stream):
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
        "stale_files_removed": stale,
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
