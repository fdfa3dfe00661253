"""Shared dask.distributed plumbing for the sweeps that scale out.

Scale-out pays only when the workers spend their time in the kernels, not in Dask. The
helpers here keep the overhead per task small and fixed:

* :func:`dask_client` connects to an existing scheduler (``scheduler="tcp://host:port"``) or
  starts a :func:`local_cluster` of ``dask_local`` single-threaded worker processes on
  127.0.0.1 with :data:`LEAN_CONFIG` (Dask's own monitors at a slow pace), and closes what it
  started.
* :func:`prepare_workers` checks that every worker runs the same corridor version as the
  driver (a worker with other kernels could silently answer differently) and runs a warm-up on
  each, so numba kernels are loaded from their cache (or compiled) before any work is timed.
* :func:`broadcast` ships a read-only payload (the network's CSR arrays) once to every worker;
  the tasks receive it by reference.
* :func:`run_bounded` keeps at most ``per_worker`` tasks in flight per worker and yields the
  results as they complete. A task whose worker dies is rerun by the scheduler on another
  worker; a task that raises is retried ``retries`` times, then its error is raised here.

Only the functions given to :func:`run_bounded` and :func:`prepare_workers` run on the
workers; they must be importable module-level functions of corridor.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from corridor._errors import RequestError

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

__all__ = [
    "LEAN_CONFIG",
    "broadcast",
    "check_engine",
    "dask_client",
    "local_cluster",
    "prepare_workers",
    "run_bounded",
]


def check_engine(scheduler: str | None, dask_local: int | None) -> bool:
    """Validate the ``scheduler`` / ``dask_local`` pair; return whether Dask is asked for."""
    if scheduler is not None and dask_local is not None:
        msg = "give either a dask scheduler address or a local worker count, not both"
        raise RequestError(msg)
    if dask_local is not None and (isinstance(dask_local, bool) or int(dask_local) < 1):
        msg = f"the local dask cluster needs at least 1 worker, got {dask_local!r}"
        raise RequestError(msg)
    if scheduler is not None and not str(scheduler).strip():
        msg = "the dask scheduler address is empty"
        raise RequestError(msg)
    return scheduler is not None or dask_local is not None


#: Dask settings for a few long single-threaded numba tasks. The defaults suit many short
#: tasks and cost CPU every few milliseconds even when idle (a stack-sampling profiler every
#: 10 ms, a GIL monitor every 1 ms, an event-loop tick every 20 ms, system and memory monitors):
#: about 7 CPU s per minute over a driver, a scheduler and two workers, measured. With these,
#: 1 CPU s per minute; nothing here changes what is computed.
LEAN_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.profile.interval": "1s",
    "distributed.worker.profile.cycle": "10s",
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing-interval": "1s",
}


@contextmanager
def local_cluster(workers: int) -> Iterator[LocalCluster]:
    """A loopback LocalCluster of ``workers`` single-threaded processes, no dashboard."""
    import dask
    from distributed import LocalCluster

    with (
        dask.config.set(LEAN_CONFIG),
        LocalCluster(
            n_workers=int(workers),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,  # no nanny chatter on the user's terminal
        ) as cluster,
    ):
        yield cluster


@contextmanager
def dask_client(*, scheduler: str | None = None, dask_local: int | None = None) -> Iterator[Client]:
    """A client of ``scheduler``, or of a :func:`local_cluster` of ``dask_local`` workers.

    Both are closed on exit. The local cluster listens on 127.0.0.1 only, one thread per worker
    (the kernels are single-threaded numba code), with :data:`LEAN_CONFIG`.
    """
    import dask
    from distributed import Client

    check_engine(scheduler, dask_local)
    with dask.config.set(LEAN_CONFIG):
        if scheduler is not None:
            try:
                client = Client(scheduler, timeout="20s")
            except OSError as exc:
                msg = f"cannot reach the dask scheduler at {scheduler}: {exc}"
                raise RequestError(msg) from exc
            try:
                yield client
            finally:
                client.close()
            return
        with local_cluster(int(dask_local or 1)) as cluster, Client(cluster) as client:
            yield client


def _worker_version() -> str:
    import corridor

    return corridor.__version__


def prepare_workers(client: Client, warm_up: Callable[[], object] | None = None) -> int:
    """Wait for a worker, check versions, run ``warm_up`` on every worker; return the count.

    Raises
    ------
    RequestError
        When a worker runs another corridor version than the driver.
    """
    import corridor

    client.wait_for_workers(1, timeout=60)
    versions = client.run(_worker_version)
    other = {addr: v for addr, v in versions.items() if v != corridor.__version__}
    if other:
        addr, version = next(iter(other.items()))
        msg = (
            f"dask worker {addr} runs corridor {version}, the driver {corridor.__version__}: "
            "install the same version on every worker"
        )
        raise RequestError(msg)
    if warm_up is not None:
        client.run(warm_up)
    return max(1, len(versions))


def broadcast(client: Client, payload: object) -> Future:
    """Ship ``payload`` once to every current worker; the returned future stands for it."""
    return client.scatter(payload, broadcast=True, hash=False)


def run_bounded(
    client: Client,
    fn: Callable[..., Any],
    items: Sequence[tuple[Any, ...]],
    *,
    shared: Future | None = None,
    per_worker: int = 2,
    workers: int = 1,
    retries: int = 3,
    key: str = "corridor",
) -> Iterator[tuple[int, Any]]:
    """Run ``fn(shared, *item)`` (or ``fn(*item)``) for every item; yield ``(index, result)``.

    At most ``per_worker * workers`` tasks are queued on the cluster at a time, so results
    stream back while the rest wait on the driver, and a killed worker loses at most its own
    few tasks (the scheduler reruns them). Results come in completion order, each index once.
    """
    from distributed import as_completed

    limit = max(1, per_worker * workers)
    token = uuid.uuid4().hex[:12]
    todo = iter(enumerate(items))
    futures: dict[Any, tuple[Future, int]] = {}
    pending = as_completed()

    def submit_next() -> bool:
        nxt = next(todo, None)
        if nxt is None:
            return False
        i, item = nxt
        args = (shared, *item) if shared is not None else tuple(item)
        fut = client.submit(fn, *args, key=f"{key}-{token}-{i}", retries=retries, pure=False)
        futures[fut.key] = (fut, i)
        pending.add(fut)
        return True

    for _ in range(limit):
        if not submit_next():
            break
    try:
        for fut in pending:
            result = fut.result()
            index = futures.pop(fut.key)[1]
            fut.release()
            submit_next()
            yield index, result
    finally:
        if futures:
            client.cancel([f for f, _ in futures.values()])
