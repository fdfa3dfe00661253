"""Every quick command the README shows runs on the shipped data and exits 0.

The README's examples are what a newcomer types first; a traceback there is the worst first
impression. Commands that take long (invest, batch, all-pairs sweeps on Dask, Monte Carlo) or
need files the README only names (convert) are left to their own tests.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from corridor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SLOW = ("corridor invest", "corridor batch", "corridor convert", "--dask-local", "--monte-carlo")


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            quick = not any(s in line for s in SLOW)
            if line.startswith("corridor ") and quick and "cogent.gpkg" not in line:
                out.append(line)  # (the cogent.gpkg example needs the converted file)
    return out


COMMANDS = _readme_commands()


def test_readme_has_quick_commands() -> None:
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command: str, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)  # maps, CSVs and reports go to a scratch folder
    argv = shlex.split(command)[1:]
    if "--policy" in argv:
        i = argv.index("--policy") + 1
        argv[i] = str(ROOT / argv[i])
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Traceback" not in err
