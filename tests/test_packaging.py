"""A built wheel carries the shipped data and answers a route from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from corridor import datasets

ROOT = Path(__file__).resolve().parent.parent


def test_data_dir_prefers_the_packaged_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CORRIDOR_DATA", raising=False)
    assert datasets.get_path("sites").is_file()
    monkeypatch.setenv("CORRIDOR_DATA", str(tmp_path))
    assert datasets.data_dir() == tmp_path


@pytest.mark.slow
def test_wheel_installs_and_routes_from_anywhere(tmp_path: Path) -> None:
    """``pip wheel .`` (the registry only for the build backend), then a fresh venv that sees
    the already installed dependencies, the wheel installed without them, and the README's
    first command run from an empty directory."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "CORRIDOR_DATA"}}
    env["CORRIDOR_CACHE_DIR"] = str(tmp_path / "cache")

    def run(*args: str | Path, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env
        )
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        return done

    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", wheels)
    (wheel,) = wheels.glob("corridor-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    run(bindir / "python", "-m", "pip", "install", "--no-deps", "-q", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = "import corridor.datasets as d; print(d.data_dir())"
    where = run(bindir / "python", "-c", probe, cwd=elsewhere).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where
    route = run(bindir / "corridor", "route", "Frankfurt", "Shanghai", "--json", cwd=elsewhere)
    assert '"target": "shanghai"' in route.stdout
