"""The capacity and demand commands, and --year / --scenario on the shared options."""

from __future__ import annotations

import json

import numpy as np
import pytest

import corridor
from corridor.cli import main
from corridor.timeline import link_rfs


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_capacity_json_under_russia_closed(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["capacity", "--scenario", "russia-closed", "--json"])
    assert data["scenario"] == "russia-closed"
    assert data["carried_tbps"] + data["unserved_tbps"] == pytest.approx(data["demand_tbps"])
    assert "northern" not in data["corridors"]
    assert data["bottlenecks"] and all(b["utilisation"] >= 0.999 for b in data["bottlenecks"])
    intact = _json(capsys, ["capacity", "--json"])
    assert intact["carried_tbps"] >= data["carried_tbps"] - 1e-6
    assert intact["corridors"]["northern"]["carried_tbps"] > 0


def test_route_year_uses_links_in_service(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["route", "Frankfurt", "Shanghai", "--year", "2020", "--json"])
    net = corridor.load_network()
    rfs = dict(zip(net.lookup.link_id, link_rfs(net), strict=True))
    assert all(not rfs[li] > 2020 for li in data["paths"][0]["links"])


def test_demand_csv_and_bad_scenario(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "od.csv"
    data = _json(capsys, ["demand", "--total-tbps", "50", "--csv", str(out), "--json"])
    assert data["total_tbps"] == pytest.approx(50.0)
    rows = np.loadtxt(out, delimiter=",", skiprows=1, usecols=2)
    assert rows.sum() == pytest.approx(50.0)
    assert main(["capacity", "--demand", str(out), "--scenario", "no-such"]) == 2
    assert "no scenario named" in capsys.readouterr().err


def test_batch_scenario_becomes_a_failure_set() -> None:
    from pathlib import Path

    from corridor.cli.batch import _with_stress

    toml = Path(__file__).resolve().parents[1] / "benchmarks" / "corridors.toml"
    spec = _with_stress(str(toml), "russia-closed")
    last = spec.failures[-1]
    assert last.name == "scenario russia-closed"
    assert set(last.elements) == {"RU", "BY"}


def test_invest_scenario_limit_says_not_proven(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    argv = ["invest", "--budget", "300", "--scenario", "russia-closed"]
    assert main([*argv, "--max-solves", "3", "--pareto"]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 100 for line in out.splitlines())
    assert "not proven: solve limit" in out and "optimal" not in out
    assert "Pareto front" in out and "ranking does not depend on its probability" in out
