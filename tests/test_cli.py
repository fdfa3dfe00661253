"""The ``corridor`` command, called in-process through ``main(argv)``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from corridor.cli import main
from tests.conftest import tiny_tables


@pytest.fixture
def tiny_files(write_tables: Callable[..., tuple[Path, Path]]) -> list[str]:
    sites, links = tiny_tables()
    sp, lp = write_tables(sites, links)
    return ["--sites", str(sp), "--links", str(lp)]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_route_json(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["route", "Alpha", "Charlie", "--json", *tiny_files], capsys)
    assert code == 0, err
    data = json.loads(out)
    path = data["paths"][0]
    assert path["nodes"] == ["a", "b", "c"]
    assert path["links"] == ["ab1", "bc"]
    assert path["countries"] == ["KZ", "CN"]
    assert path["rtt_ms"] == pytest.approx(2 * path["one_way_ms"], abs=1e-3)
    assert data["floor_rtt_ms"] < path["rtt_ms"]
    assert set(path) >= {"nodes", "links", "countries", "length_km", "one_way_ms", "rtt_ms"}


def test_route_table(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["route", "a", "c", *tiny_files], capsys)
    assert code == 0
    assert "Alpha -> Charlie" in out
    assert "KZ > CN" in out
    assert "Sys1" in out and "Bravo" in out


def test_route_constraints(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["route", "a", "c", "--avoid", "b", "--json", *tiny_files], capsys)
    assert code == 0
    assert json.loads(out)["paths"][0]["nodes"] == ["a", "d", "c"]
    code, _, err = run(["route", "a", "e", *tiny_files], capsys)
    assert code == 1
    assert "existing" in err and "Traceback" not in err
    code, out, _ = run(["route", "a", "e", "--status", "all", "--json", *tiny_files], capsys)
    assert code == 0 and json.loads(out)["paths"][0]["nodes"] == ["a", "b", "e"]


def test_unknown_site_is_one_line(
    tiny_files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["route", "Alpah", "c", *tiny_files], capsys)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "unknown site 'Alpah'; did you mean a?" in err


def test_broken_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json")
    code, _, err = run(["route", "a", "b", "--sites", str(bad), "--links", str(bad)], capsys)
    assert code == 2
    assert err.startswith("corridor: error: ") and "bad.geojson" in err
    assert err.strip().count("\n") == 0


def test_sites_and_links(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["sites", "--country", "KZ", "--json", *tiny_files], capsys)
    assert code == 0
    assert sorted(s["id"] for s in json.loads(out)) == ["a", "b", "e"]
    code, out, _ = run(["links", "--kind", "submarine", "--json", *tiny_files], capsys)
    assert code == 0
    assert sorted(x["id"] for x in json.loads(out)) == ["ab2", "dc"]
    code, out, _ = run(["links", "--status", "planned", *tiny_files], capsys)
    assert code == 0 and "be" in out and "1 links" in out


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["route", "--help"])
    assert exc.value.code == 0
    assert "corridor route Frankfurt Shanghai" in capsys.readouterr().out


def test_console_script_runs(tiny_files: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "route", "a", "c", "--json", *tiny_files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["paths"][0]["links"] == ["ab1", "bc"]


def test_invest_srlg_backup_and_system_groups_on_shipped_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fast = ["--budget", "60", "--exact-max", "3", "--no-sensitivity", "--json"]
    code, out, err = run(["invest", "--backup", "srlg", *fast], capsys)
    assert code == 0, err
    assert err == ""  # --json off a terminal: no notice, no progress
    srlg = json.loads(out)
    assert srlg["backup_mode"] == "srlg"
    code, out, err = run(["invest", *fast], capsys)
    assert code == 0, err
    link = json.loads(out)
    # an SRLG-disjoint backup is a link-disjoint one: never more pairs have one
    assert srlg["base"]["backup_share"] <= link["base"]["backup_share"]
    assert {"availability_gain_bp", "downtime_saved_min"} <= set(link["ranking"][0])
    code, out, err = run(["invest", "--group", "system", *fast], capsys)
    assert code == 0, err
    grouped = json.loads(out)
    assert grouped["options"]["group"] == "system"
    black_sea = next(
        r for r in grouped["ranking"] if r["id"] == "Black Sea Submarine Cable (GE-RO)"
    )
    assert black_sea["segments"] == ["ge-ro-anaklia-constanta", "ge-ro-anaklia-poti"]
    assert black_sea["score"] > 0  # its two segments score nothing alone
    alone = {r["id"]: r["score"] for r in link["ranking"]}
    assert alone["ge-ro-anaklia-constanta"] == 0 and alone["ge-ro-anaklia-poti"] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--group", "country"], "unknown grouping 'country'; use one of none, system"),
        (["--backup", "node"], "unknown backup mode 'node'; use one of link, srlg"),
    ],
)
def test_invest_bad_options_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["invest", *argv], capsys)
    assert code == 2
    assert out == ""
    assert err.strip() == f"corridor: error: {message}"


def test_invest_years_side_by_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--years runs the analysis on the network as of each year; one JSON document keyed by
    year, each the same answer --year gives alone; --year with --years is refused."""
    argv = ["invest", "--budget", "300", "--no-sensitivity", "--exact-max", "4", "--json"]
    assert main([*argv, "--years", "2030", "2020"]) == 0
    docs = json.loads(capsys.readouterr().out)["years"]
    assert list(docs) == ["2020", "2030"]
    assert main([*argv, "--year", "2020"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in docs["2020"]["ranking"]] == [r["id"] for r in alone["ranking"]]
    assert [r["id"] for r in docs["2020"]["ranking"]] != [r["id"] for r in docs["2030"]["ranking"]]
    assert main([*argv, "--years", "2020", "--year", "2020"]) == 2
    assert "drop --year" in capsys.readouterr().err
    for extra in (["--map", str(tmp_path / "m.html")], ["--csv", str(tmp_path / "r.csv")]):
        assert main([*argv, "--years", "2020", "2030", *extra]) == 2
        err = capsys.readouterr().err
        assert "take one year" in err and err.count("\n") == 1
    assert not any(tmp_path.iterdir())
