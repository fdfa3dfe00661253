"""Terminal output fits the terminal: no line wider than COLUMNS, no cell cut with an ellipsis."""

from __future__ import annotations

import pytest
from rich.console import Console

from corridor.cli._common import console, fit_table
from corridor.cli._main import main
from corridor.network import Network


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_fit_table_drops_low_value_columns_and_never_cuts_a_cell() -> None:
    con = Console(width=34, highlight=False, soft_wrap=False, record=True)
    cols = [("site", "left", 0), ("value", "right", 0), ("extra info", "left", 2)]
    cols += [("more", "right", 1)]
    rows = [["Aktobe Zharkent-Almaty", "12.5", "a long note here", "3"], ["Semey", "1.0", "", "4"]]
    table, dropped = fit_table(con, cols, rows)
    con.print(table)
    out = con.export_text()
    assert all(len(line) <= 34 for line in _lines(out))
    assert "…" not in out and "..." not in out
    assert "Zharkent-Almaty" in out and "12.5" in out  # the answer stays, whole words
    assert dropped == ["extra info"]  # highest drop rank first, only as many as needed
    wide = Console(width=120, record=True)
    table, dropped = fit_table(wide, cols, rows)
    assert dropped == []


def test_console_width_follows_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert console().width == 100
    monkeypatch.delenv("COLUMNS")
    assert console().width == 160  # not a terminal (pytest captures): wide, for files


def _check(out: str, names: list[str]) -> None:
    long = [line for line in _lines(out) if len(line) > 100]
    assert long == []
    assert "…" not in out
    for name in names:
        assert name in out


def test_place_fits_100_columns(
    shipped: Network, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["place", "--country", "KZ", "--p", "2"]) == 0
    out = capsys.readouterr().out
    _check(out, ["Aktobe", "Zharkent", "Ekibastuz", "Pavlodar", "Akashi Data"])


def test_route_fits_100_columns(
    shipped: Network, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["route", "Frankfurt", "Shanghai", "--k", "2"]) == 0
    out = capsys.readouterr().out
    _check(out, ["physical", "handoffs", "Frankfurt am Main", "Beltelecom-Rostelecom"])
    assert "left out to fit 100 columns: one-way ms, floor ms" in out


def test_invest_fits_100_columns(
    shipped: Network, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    argv = ["invest", "--budget", "300", "--exact-max", "6", "--no-sensitivity"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    _check(out, ["az-tm-siyazan-turkmenbashi", "africa-1-marseille-port-said"])
    assert "negative downtime saved" in out


def test_cold_kernels_get_a_notice(capsys: pytest.CaptureFixture[str]) -> None:
    from corridor.cli._common import kernels_cold, working
    from corridor.routing import k_shortest_paths  # noqa: F401  (loads and caches the kernels)

    assert kernels_cold("no_such_kernel_module")
    with working("routing ...", kernels=["no_such_kernel_module"]):
        pass
    assert "compiling routing kernels once, about 20 s" in capsys.readouterr().err
    with working("routing ...", kernels=[]):
        pass
    assert capsys.readouterr().err == ""


def test_invest_srlg_says_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    """--backup srlg (about 15 s and more) starts with a one-line notice on stderr; with --json
    off a terminal, stderr stays empty."""
    fast = ["invest", "--backup", "srlg", "--budget", "60", "--exact-max", "3", "--no-sensitivity"]
    assert main(fast) == 0  # (the --json run of test_cli checks that stderr stays empty)
    err = capsys.readouterr().err
    assert "--backup srlg: an SRLG-disjoint backup per OD pair and candidate" in err
    assert len(err.strip().splitlines()) <= 2  # the notice (and a compile notice when cold)


def test_invest_progress_shows_every_stage(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the bar names the preparing step, each stage, and the work after it."""
    from corridor.cli.invest import _progress_bar

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr("corridor.cli.invest._kernels_cold", lambda: True)
    with _progress_bar(notice="a notice", preparing="preparing base routes") as progress:
        for i in range(4):
            progress("evaluating candidates", i, 3)
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[:2] == [
        "compiling routing kernels once, about 20 s (cached for later runs)",
        "a notice",
    ]
    assert "preparing base routes" in err and "evaluating candidates" in err
    assert "ranking, portfolios and sensitivity" in err
