"""The failure sweep on dask.distributed: identical to one process, survives a killed worker."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from itertools import pairwise

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import corridor
from corridor import Network, RequestError
from corridor._dask import local_cluster
from corridor.cli import main
from corridor.resilience import sweep
from corridor.resilience._distributed import chunk_bounds

pytestmark = [
    # distributed's shutdown may leave sockets for the garbage collector and warns about it
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with local_cluster(2) as c:
        yield c


def grid_network(seed: int) -> Network:
    """A seeded 12 x 12 grid with random latencies and a few diagonals (ties are unlikely)."""
    rng = np.random.default_rng(seed)
    g = nx.grid_2d_graph(12, 12)
    graph = nx.Graph()
    for x, y in g.nodes:
        graph.add_node(f"n{x}-{y}", lon=float(x), lat=float(y))
    for (a, b), (c, d) in g.edges:
        graph.add_edge(f"n{a}-{b}", f"n{c}-{d}", latency_ms=float(rng.uniform(1, 3)))
    for _ in range(20):
        x, y = rng.integers(0, 11, 2)
        graph.add_edge(f"n{x}-{y}", f"n{x + 1}-{y + 1}", latency_ms=float(rng.uniform(2, 4)))
    return Network.from_networkx(graph)


def assert_same(a: corridor.resilience.SweepResult, b: corridor.resilience.SweepResult) -> None:
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.baseline, b.baseline)
    pd.testing.assert_frame_equal(a.summary(), b.summary())
    assert a.stats["pairs_recomputed"] == b.stats["pairs_recomputed"]


def test_chunk_bounds_cover_in_order() -> None:
    rng = np.random.default_rng(0)
    for k, n in [(1, 5), (7, 3), (100, 16), (100, 100), (100, 1000)]:
        costs = rng.exponential(size=k)
        costs[rng.integers(0, k)] *= 50  # one heavy scenario
        bounds = chunk_bounds(costs, n)
        assert bounds[0][0] == 0 and bounds[-1][1] == k and len(bounds) <= min(n, k)
        assert all(a < b for a, b in bounds)
        assert all(b == c for (_, b), (c, _) in pairwise(bounds))
    uniform = chunk_bounds(np.ones(100), 4)
    assert uniform == [(0, 25), (25, 50), (50, 75), (75, 100)]
    assert chunk_bounds(np.ones(0), 4) == []


def test_engine_options_are_checked(shipped: Network) -> None:
    with pytest.raises(RequestError, match="not both"):
        sweep(shipped, scheduler="tcp://127.0.0.1:1", dask_local=2)
    with pytest.raises(RequestError, match="at least 1 worker"):
        sweep(shipped, dask_local=0)
    with pytest.raises(RequestError, match="chunks"):
        sweep(shipped, chunks=0)


def test_dask_equals_one_process(shipped: Network, cluster) -> None:  # type: ignore[no-untyped-def]
    address = cluster.scheduler_address
    for scenarios, incremental in [("links", True), ("srlgs", False)]:
        one = sweep(shipped, scenarios=scenarios, incremental=incremental, sla_rtt_ms=150)
        seen: list[int] = []
        dist = sweep(
            shipped, scenarios=scenarios, incremental=incremental, sla_rtt_ms=150,
            scheduler=address, chunks=5, progress=lambda done, total, seen=seen: seen.append(done),
        )  # fmt: skip
        assert_same(one, dist)
        assert dist.stats["engine"] == "dask" and dist.stats["dask_workers"] == 2
        assert seen[-1] == one.stats["scenarios"] and len(seen) == dist.stats["chunks"] <= 5


@pytest.mark.parametrize(
    "seed", [0, pytest.param(1, marks=pytest.mark.slow), pytest.param(2, marks=pytest.mark.slow)]
)
def test_dask_equals_one_process_on_generated_graphs(cluster, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    net = grid_network(seed)
    ids = list(net.sites["id"])
    pairs = [tuple(rng.choice(ids, 2, replace=False)) for _ in range(20)]
    for scenarios in ("links", "link-pairs"):
        one = sweep(net, pairs, scenarios=scenarios)
        dist = sweep(
            net, pairs, scenarios=scenarios, scheduler=cluster.scheduler_address,
            chunks=int(rng.integers(1, 40)),
        )  # fmt: skip
        assert_same(one, dist)


def test_killed_worker_loses_nothing(shipped: Network, cluster) -> None:  # type: ignore[no-untyped-def]
    one = sweep(shipped, scenarios="links", incremental=False)
    killed: list[int] = []

    def kill_one(done: int, total: int) -> None:
        if not killed:
            nanny = next(iter(cluster.workers.values()))
            pid = nanny.process.process.pid
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    dist = sweep(
        shipped, scenarios="links", incremental=False, scheduler=cluster.scheduler_address,
        chunks=40, progress=kill_one,
    )  # fmt: skip
    assert killed and dist.stats["chunks"] == 40
    assert_same(one, dist)


def test_worker_with_other_version_is_refused(
    shipped: Network, cluster, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(corridor, "__version__", "0.0.0+other")
    with pytest.raises(RequestError, match=r"runs corridor .* the driver 0\.0\.0\+other"):
        sweep(shipped, scheduler=cluster.scheduler_address)


def test_cli_all_pairs_on_a_scheduler(cluster, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    argv = ["resilience", "--all-pairs", "--scenarios", "srlgs", "--json", "--top", "3"]
    assert main(argv) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*argv, "--scheduler", cluster.scheduler_address]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote["stats"].pop("engine") == "dask"
    assert remote["stats"].pop("dask_workers") == 2 and remote["stats"].pop("chunks") >= 1
    assert local["stats"].pop("engine") == "local"
    assert remote == local
    assert main(["resilience", "Frankfurt", "Shanghai", "--dask-local", "2"]) == 2
    assert "--all-pairs" in capsys.readouterr().err
