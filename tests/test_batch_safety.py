"""Batch runs that are interrupted, killed or started twice: nothing lost, nothing left behind.

The kill tests start ``corridor batch`` as a real process with two local workers, send the main
process SIGINT, SIGTERM or SIGKILL at a seeded random moment (start-up, computing, assembling,
writing the report), check that it ends with at most one line on stderr and leaves no worker
process behind, then finish the run with ``--resume`` and compare the results with an
uninterrupted run row for row (zero lost, zero duplicated). The default suite kills at 3 points;
``pytest --run-slow`` runs 21.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from corridor import RequestError
from corridor._lock import LOCK_NAME, FolderLock, FolderLockedError
from corridor.batch import run_batch
from corridor.cli import main

ROOT = Path(__file__).resolve().parents[1]

# A workload on the shipped network of about 37 s of CPU time over two workers (measured):
# many small chunks (54), so a kill lands between chunk writes as often as inside one.
KILL_SCENARIO = """\
title = "kill test"
[pairs]
from = { regions = ["europe"], kinds = ["city"] }
to = { regions = ["china"], kinds = ["city"] }
sample = 60
seed = 3
[routing]
status = "existing"
[[family]]
name = "best"
[[family]]
name = "via KZ"
via = ["KZ"]
[[failure]]
name = "link"
kind = "links"
[output]
csv = false
[run]
chunk_pairs = 20
failures_per_chunk = 40
"""

KEY = ["scenario", "family", "source", "target", "rank"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "corridor", "batch", *args, "--no-progress"]


@pytest.fixture(scope="module")
def kill_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, float]:
    """The scenario file, the results of an uninterrupted run, and its wall time (s)."""
    tmp = tmp_path_factory.mktemp("kill")
    scen = tmp / "kill.toml"
    scen.write_text(KILL_SCENARIO, encoding="utf-8")
    out = tmp / "ref"
    proc = subprocess.Popen(
        _cli(str(scen), "--out", str(out), "--workers", "2", "--json"), env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _wait_for_lock(out, proc.pid)
    start = time.monotonic()
    stdout, stderr = proc.communicate(timeout=600)
    wall = time.monotonic() - start  # from holding the lock to the end
    assert proc.returncode == 0, stderr
    ref = pd.read_parquet(out / "results.parquet")
    assert json.loads(stdout)["stats"]["chunks"] >= 20
    return scen, ref, wall


def _wait_for_lock(out: Path, pid: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if json.loads((out / LOCK_NAME).read_text())["pid"] == pid:
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    pytest.fail("the batch never took its lock")


def kill_and_resume(
    scen: Path, ref: pd.DataFrame, wall: float, out: Path, sig: signal.Signals, delay: float
) -> dict[str, object]:
    """Start a run, send ``sig`` ``delay`` s after it holds its lock, check, resume, compare.

    (Counting from the lock leaves out the interpreter's start-up and imports, where a signal
    meets Python's defaults, not corridor.)
    """
    proc = subprocess.Popen(
        _cli(str(scen), "--out", str(out), "--workers", "2"), env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    _wait_for_lock(out, proc.pid)
    time.sleep(delay)
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    with_workers = len(family)
    if proc.poll() is None:
        os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=300)
    _, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"{len(alive)} worker process(es) survived {sig.name}"
    with pytest.raises(ProcessLookupError):  # nothing left in the run's process group
        for _ in range(150):
            os.killpg(proc.pid, 0)
            time.sleep(0.1)
    rc = proc.returncode
    if sig is signal.SIGKILL:
        assert rc in (0, -signal.SIGKILL), err
    elif rc == -signal.SIGTERM:
        # after the run, while the interpreter exits, SIGTERM meets its default action: fine
        # when the run had finished (its outputs written, its lock released)
        assert (out / "summary.json").is_file() and not (out / LOCK_NAME).exists(), err
    else:
        assert rc in (0, 130), err
        assert "Traceback" not in err and err.count("\n") <= 1, err
        if rc == 130:
            assert "--resume" in err
    resumed = subprocess.run(
        _cli(str(scen), "--out", str(out), "--resume", "--workers", "2", "--json"),
        env=_env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    got = pd.read_parquet(out / "results.parquet")
    assert not got.duplicated(KEY).any()
    pd.testing.assert_frame_equal(got, ref)
    assert not list(out.glob("**/.*.tmp")) and not (out / LOCK_NAME).exists()
    stats = json.loads(resumed.stdout)["stats"]
    return {"signal": sig.name, "delay": delay, "rc": rc, "workers_seen": with_workers,
            "reused": stats["chunks_reused"], "chunks": stats["chunks"]}  # fmt: skip


def _kill_points(n: int, wall: float, seed: int) -> list[tuple[signal.Signals, float]]:
    rng = random.Random(seed)
    sigs = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    return [(sigs[i % 3], rng.uniform(0.0, 1.05) * wall) for i in range(n)]


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.parametrize(
    ("points", "seed"), [(3, 17), pytest.param(21, 2026, marks=pytest.mark.slow)]
)
def test_kill_main_process_at_random_points(tmp_path, kill_reference, points, seed):  # type: ignore[no-untyped-def]
    scen, ref, wall = kill_reference
    runs = [
        kill_and_resume(scen, ref, wall, tmp_path / f"k{i}", sig, delay)
        for i, (sig, delay) in enumerate(_kill_points(points, wall, seed=seed))
    ]
    assert {r["signal"] for r in runs} == {"SIGINT", "SIGTERM", "SIGKILL"}
    if points >= 21:
        assert len([r for r in runs if r["rc"] != 0]) >= 15, runs
        assert any(r["reused"] for r in runs), runs  # some kills landed after finished chunks


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_concurrent_batch_into_one_out_names_the_holder(tmp_path, kill_reference):  # type: ignore[no-untyped-def]
    scen, _, _ = kill_reference
    out = tmp_path / "shared"
    first = subprocess.Popen(
        _cli(str(scen), "--out", str(out), "--workers", "2"), env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_for_lock(out, first.pid)
        second = subprocess.run(
            _cli(str(scen), "--out", str(out), "--force"),
            env=_env(), capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert second.returncode == 2, second.stderr
        line = second.stderr.strip()
        assert "\n" not in line and "Traceback" not in line
        assert f"pid {first.pid} on host {socket.gethostname()}" in line, line
        assert "in use by another corridor run" in line and "started 20" in line
        assert first.poll() is None  # the first run is untouched
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=300)
        assert first.returncode in (0, 130), err
        assert err.count("\n") <= 1 and "Traceback" not in err
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


# -- the lock and leftovers, in-process ------------------------------------------------------------
TINY = """\
[network]
sites = "sites.geojson"
links = "links.geojson"
[pairs]
list = [["a", "c"], ["c", "d"], ["a", "e"]]
[[failure]]
name = "links"
kind = "links"
[run]
chunk_pairs = 1
failures_per_chunk = 2
"""


@pytest.fixture
def tiny_scenario(tmp_path: Path) -> Path:
    from tests.conftest import tiny_tables

    sites, links = tiny_tables()
    sites.to_file(tmp_path / "sites.geojson")
    links.to_file(tmp_path / "links.geojson")
    scen = tmp_path / "tiny.toml"
    scen.write_text(TINY, encoding="utf-8")
    return scen


def test_lock_held_refuses_second_run_and_is_released(tmp_path, tiny_scenario):  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    holder = rf"pid {os.getpid()} on host "
    with FolderLock(out), pytest.raises(FolderLockedError, match=holder):
        run_batch(tiny_scenario, out, progress=False, report=False)
    assert not (out / LOCK_NAME).exists()
    res = run_batch(tiny_scenario, out, progress=False, report=False)
    assert res.stats["rows"] > 0 and not (out / LOCK_NAME).exists()


def test_stale_lock_and_temporaries_are_recovered(tmp_path, tiny_scenario):  # type: ignore[no-untyped-def]
    full = run_batch(tiny_scenario, tmp_path / "full", progress=False, report=False).results
    out = tmp_path / "out"

    class Stop(Exception):
        pass

    def stop(cid: str, done: int, total: int) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        run_batch(tiny_scenario, out, progress=False, report=False, on_chunk=stop)
    # what a killed run leaves: a lock file of a dead process, half-written temporaries
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    (out / LOCK_NAME).write_text(json.dumps({"pid": int(dead.stdout), "host": "x", "started": 0}))
    (out / ".chunks" / ".m00-s0-f00000-fam00-b0000.parquet.k2j3.tmp").write_bytes(b"PAR1")
    (out / ".results.parquet.abcd.tmp").write_bytes(b"")
    res = run_batch(tiny_scenario, out, resume=True, progress=False, report=False)
    assert res.stats["stale_files_removed"] == 2 and res.stats["chunks_reused"] == 2
    assert not list(out.glob("**/.*.tmp"))
    pd.testing.assert_frame_equal(res.results, full)


def test_resume_into_folder_killed_before_its_manifest(tmp_path, tiny_scenario):  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    (out / ".chunks").mkdir(parents=True)
    (out / LOCK_NAME).write_text("")
    res = run_batch(tiny_scenario, out, resume=True, progress=False, report=False)
    assert res.stats["chunks_computed"] == res.stats["chunks"]


def _read_only_place(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        return ro / "out"
    probe = Path("/sys/corridor-test")  # root ignores permissions; sysfs refuses new folders
    try:
        probe.mkdir()
    except OSError:
        return probe / "out"
    probe.rmdir()
    pytest.skip("no read-only place to write to (running as root)")


def test_out_in_read_only_place_is_one_line(tmp_path, tiny_scenario, capsys):  # type: ignore[no-untyped-def]
    out = _read_only_place(tmp_path)
    assert main(["batch", str(tiny_scenario), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out.parent) in err and "cannot write" in err, err
    with pytest.raises(RequestError, match="cannot write to batch output folder"):
        run_batch(tiny_scenario, out, progress=False)


def test_out_that_is_a_file_is_one_line(tmp_path, tiny_scenario, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "file.txt"
    out.write_text("x")
    assert main(["batch", str(tiny_scenario), "--out", str(out), "--no-progress"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_unreachable_scheduler_is_one_line(tmp_path, tiny_scenario, capsys):  # type: ignore[no-untyped-def]
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["batch", str(tiny_scenario), "--out", str(tmp_path / "o"), "--no-progress",
                 "--scheduler", f"tcp://127.0.0.1:{port}"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"127.0.0.1:{port}" in err and "cannot reach" in err
    assert not (tmp_path / "o" / LOCK_NAME).exists()


# -- dask: Ctrl-C and a scheduler lost mid-run -----------------------------------------------------
def _first_chunk(out: Path, proc: subprocess.Popen[str], timeout: float = 300.0) -> None:
    """Wait until the run has written a chunk (so its cluster is up and computing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if list((out / ".chunks").glob("*.parquet")):
            return
        time.sleep(0.05)
    pytest.fail(f"no chunk written (exit {proc.poll()})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_ctrl_c_under_dask_local_is_one_line(tmp_path, kill_reference):  # type: ignore[no-untyped-def]
    scen, _, _ = kill_reference
    out = tmp_path / "ctrlc"
    proc = subprocess.Popen(
        _cli(str(scen), "--out", str(out), "--dask-local", "2"), env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        _first_chunk(out, proc)
        family = psutil.Process(proc.pid).children(recursive=True)
        assert family  # the local cluster's worker processes
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "batch interrupted" in err and f"--out {out} --resume" in err, err
    _, alive = psutil.wait_procs(family, timeout=10)
    assert not alive
    assert not (out / LOCK_NAME).exists()


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_lost_scheduler_is_one_line_and_resume_finishes_without_it(tmp_path, kill_reference):  # type: ignore[no-untyped-def]
    scen, ref, _ = kill_reference
    out = tmp_path / "lost"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    cluster = [
        subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", str(port), "--no-dashboard"],
            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
             "--nworkers", "2", "--no-dashboard"],
            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
    ]  # fmt: skip
    try:
        proc = subprocess.Popen(
            _cli(str(scen), "--out", str(out), "--scheduler", address), env=_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        _first_chunk(out, proc)
        os.killpg(cluster[0].pid, signal.SIGKILL)  # the scheduler's machine goes away
        _, err = proc.communicate(timeout=300)
    finally:
        for p in cluster:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"lost the dask scheduler {address} during the run" in err, err
    assert f"finish with: corridor batch {scen} --out {out} --resume" in err, err
    assert not (out / LOCK_NAME).exists()
    # the scheduler is still dead: --resume --scheduler fails at once, --resume alone finishes
    dead = subprocess.run(
        _cli(str(scen), "--out", str(out), "--resume", "--scheduler", address),
        env=_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert dead.returncode == 2 and dead.stderr.count("\n") == 1, dead.stderr
    assert "cannot reach the dask scheduler" in dead.stderr
    resumed = subprocess.run(
        _cli(str(scen), "--out", str(out), "--resume", "--workers", "2", "--json"),
        env=_env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["stats"]["chunks_reused"] >= 1
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), ref)


LATE_INTERRUPT = """\
import os, signal, sys, time
from corridor.cli import _main

def answered(argv=None):
    # a command that answers an interrupt (one line, exit 130), after which a late interrupt
    # arrives, as pyarrow re-sends a SIGINT/SIGTERM it intercepted during a read or write
    sys.stderr.write("answered\\n")
    _main.ignore_late_interrupts() if sys.argv[1] == "batch-style" else None
    return _main.EXIT_INTERRUPTED

_main.main = answered
code = _main.run()
os.kill(os.getpid(), signal.SIGINT)
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(0.2)
raise SystemExit(code)
"""


@pytest.mark.parametrize("style", ["batch-style", "main-style"])
def test_late_interrupt_after_the_answer_keeps_exit_130(style: str) -> None:
    """Without the guard Python ends such a process by SIGINT (-2) or SIGTERM (-15)."""
    done = subprocess.run(
        [sys.executable, "-c", LATE_INTERRUPT, style], env=_env(),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 130, done.stderr
    assert done.stderr == "answered\n"


def test_main_called_from_python_leaves_signals_alone() -> None:
    before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    from corridor.cli._common import ignore_late_interrupts

    ignore_late_interrupts()
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_interrupt_a_library_turns_into_its_own_error_is_answered_as_interrupt(
    tmp_path: Path,
    tiny_scenario: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A Ctrl-C that lands in matplotlib's renderer comes out as "ValueError: Invalid affine
    transformation matrix"; the batch still answers it as the interrupt (one line, exit 130)."""
    import corridor.batch

    def interrupted_while_drawing(*args: object, **kwargs: object) -> None:
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            raise ValueError("Invalid affine transformation matrix") from None

    monkeypatch.setattr(corridor.batch, "run_batch", interrupted_while_drawing)
    code = main(["batch", str(tiny_scenario), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 130, err
    assert err.startswith("corridor: batch interrupted") and err.count("\n") == 1


def test_error_without_an_interrupt_is_not_taken_for_one(
    tmp_path: Path, tiny_scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corridor.batch

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a defect")

    monkeypatch.setattr(corridor.batch, "run_batch", broken)
    with pytest.raises(ValueError, match="a defect"):
        main(["batch", str(tiny_scenario), "--out", str(tmp_path / "out")])
