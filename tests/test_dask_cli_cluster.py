"""Batch on a real loopback cluster started with the ``dask`` command line, one worker killed.

A ``dask scheduler`` and two ``dask worker`` processes (no nanny, so a killed worker stays
dead) run the chunks of a small batch; one worker is SIGKILLed after the first chunk comes
back. The scheduler moves its tasks to the other worker, and the results must equal a run in
one process: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from corridor.batch import run_batch
from tests.test_batch import TINY, tiny_files, write  # noqa: F401  (fixture)


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "dask", *args], stdout=out, stderr=subprocess.STDOUT
        )


def _scheduler_address(path: Path, proc: subprocess.Popen[bytes], timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail("dask scheduler exited early")
        if path.is_file():
            try:
                return str(json.loads(path.read_text(encoding="utf-8"))["address"])
            except (ValueError, KeyError):
                pass
        time.sleep(0.2)
    pytest.fail("dask scheduler did not start")


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.usefixtures("tiny_files")
def test_batch_on_cli_cluster_survives_a_killed_worker(tmp_path: Path) -> None:
    import distributed

    scen = write(tmp_path, TINY.replace("chunk_pairs = 2", "chunk_pairs = 1"))
    local = run_batch(scen, tmp_path / "local", progress=False, report=False).results
    sched_file = tmp_path / "scheduler.json"
    procs = [
        _start(
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(sched_file)],
            tmp_path / "scheduler.log",
        )
    ]  # fmt: skip
    try:
        address = _scheduler_address(sched_file, procs[0], 60)
        for i in range(2):
            procs.append(
                _start(
                    ["worker", address, "--no-nanny", "--nthreads", "1", "--no-dashboard",
                     "--name", f"w{i}"],
                    tmp_path / f"worker{i}.log",
                )
            )  # fmt: skip
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        killed: list[int] = []

        def kill_one(cid: str, done: int, total: int) -> None:
            if done == 1 and not killed:
                os.kill(procs[1].pid, signal.SIGKILL)
                killed.append(procs[1].pid)

        res = run_batch(
            scen, tmp_path / "cluster", scheduler=address, progress=False, report=False,
            on_chunk=kill_one,
        )  # fmt: skip
        assert killed and procs[1].wait(timeout=30) == -signal.SIGKILL
        assert procs[2].poll() is None  # the other worker finished the run
        assert res.stats["chunks_computed"] == res.stats["chunks"] > 1
        key = ["scenario_index", "family_index", "pair_index", "rank"]
        assert not res.results.duplicated(key).any()
        pd.testing.assert_frame_equal(res.results, local)
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
