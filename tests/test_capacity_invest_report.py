"""Outputs of ``corridor invest --scenario``: CSV, report, map and GIS layer of the ranking by
traffic kept, written by the CLI on a small network; the report rendered with the optional
Pareto, sensitivity and exact-portfolio keys; nothing written on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from corridor.capacity import invest_outputs, invest_report
from corridor.cli import main
from corridor.invest.candidates import candidate_network
from corridor.network import build_network
from tests.conftest import tiny_tables
from tests.test_maps_browser import browser  # noqa: F401  (fixture)


def _files(tmp_path: Path) -> dict[str, str]:
    """The tiny network with two candidates to Echo (``be`` planned, EUR 5 m; ``ce``
    proposed, EUR 20 m), a demand to Echo and a scenario closing Delta (RU)."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    sites, links = tiny_tables()
    links["capex_eur_m"] = [None] * 5 + [5.0]
    extra = links.iloc[[5]].copy()
    extra["id"], extra["a"], extra["b"] = "ce", "c", "e"
    extra["status"], extra["system"], extra["capex_eur_m"] = "proposed", "Sys5", 20.0
    extra["geometry"] = [shapely.LineString([(1.0, 1.0), (2.0, 0.0)])]
    links = gpd.GeoDataFrame(pd.concat([links, extra], ignore_index=True), crs=links.crs)
    out = {"sites": str(tmp_path / "sites.geojson"), "links": str(tmp_path / "links.geojson")}
    sites.to_file(out["sites"])
    links.to_file(out["links"])
    demand = tmp_path / "demand.csv"
    demand.write_text("source,target,tbps\na,e,1\nc,e,0.5\na,c,0.3\n")
    scen = tmp_path / "delta-closed.toml"
    scen.write_text('name = "delta-closed"\ndescription = "Delta out"\nfail = ["d"]\n')
    out["demand"], out["scenario"] = str(demand), str(scen)
    return out


def _argv(f: dict[str, str], *extra: str) -> list[str]:
    return [
        "invest",
        "--sites",
        f["sites"],
        "--links",
        f["links"],
        "--demand",
        f["demand"],
        "--scenario",
        f["scenario"],
        *extra,
    ]


def _with_optional_keys(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` plus the keys the report renders only when present."""
    ids = [r["id"] for r in data["ranking"]]
    data = json.loads(json.dumps(data))
    data["pareto"] = [
        {"ids": ids[:1], "capex_eur_m": 5.0, "npv_cost_eur_m": 6.6, "traffic_kept_tbps": 1.5},
        {"ids": ids, "capex_eur_m": 25.0, "npv_cost_eur_m": 33.0, "traffic_kept_tbps": 1.6},
    ]
    data["pareto_proven"] = True
    data["portfolio"].update(
        method="exact <branch and bound>",
        proven_optimal=True,
        greedy={"ids": ids[:1], "capex_eur_m": 5.0, "traffic_kept_tbps": 1.5},
    )
    data["sensitivity"] = [
        {"case": "probability x 0.5", "leader": ids[0], "kendall_tau": 1.0},
        {"case": "probability x 2", "leader": ids[0], "kendall_tau": 0.5},
    ]
    return data


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One CLI run writing every output (module-wide: the browser tests reuse it)."""
    tmp = tmp_path_factory.mktemp("traffic-outputs")
    f = _files(tmp)
    out = tmp / "out"
    argv = _argv(
        f,
        "--budget",
        "30",
        "--report",
        str(out),
        "--csv",
        str(out / "ranking.csv"),
        "--map",
        str(out / "map.html"),
        "--geojson",
        str(out / "ranking.geojson"),
        "--json",
    )
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    assert code == 0
    return {"files": f, "out": out, "data": json.loads(buf.getvalue())}


def test_cli_writes_every_output(written: dict[str, Any]) -> None:
    data, out = written["data"], written["out"]
    assert data["written"] == {
        "csv": str(out / "ranking.csv"),
        "report": str(out / "invest-report.html"),
        "map": str(out / "map.html"),
        "geojson": str(out / "ranking.geojson"),
    }
    ranking = data["ranking"]
    assert [r["id"] for r in ranking] == ["be", "ce"]  # same Tbps kept, be is cheaper
    assert ranking[0]["traffic_kept_tbps"] == pytest.approx(1.5, abs=1e-6)
    with open(out / "ranking.csv", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == invest_outputs.csv_columns(data)
    assert "kept_tbps_delta-closed" in reader.fieldnames
    assert [r["id"] for r in rows] == ["be", "ce"]
    for row, r in zip(rows, ranking, strict=True):
        assert float(row["traffic_kept_tbps"]) == pytest.approx(r["traffic_kept_tbps"])
        assert float(row["kept_tbps_delta-closed"]) == pytest.approx(
            r["kept_by_scenario_tbps"]["delta-closed"]
        )
        assert float(row["npv_cost_eur_m"]) == pytest.approx(r["npv_cost_eur_m"])
        assert row["in_portfolio"] == str(r["id"] in data["portfolio"]["ids"])
    assert (rows[0]["a"], rows[0]["b"]) == ("b", "e")
    page = (out / "invest-report.html").read_text()
    assert "Bravo - Echo" in page and "Executive summary" in page  # names, not ids alone
    assert "Tbps kept under delta-closed" in page and "EUR m / Tbps" in page
    import geopandas as gpd

    layer = gpd.read_file(out / "ranking.geojson")
    assert list(layer["id"]) == ["be", "ce"] and layer.crs.to_epsg() == 4326
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary left


def test_cli_text_names_written_files(written: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    f = written["files"]
    assert main(_argv(f, "--csv", str(tmp_path / "r.csv"))) == 0
    text = capsys.readouterr().out
    assert f"wrote csv {tmp_path / 'r.csv'}" in text


def test_report_renders_optional_keys(written: dict[str, Any]) -> None:
    f = written["files"]
    net, _ = candidate_network(build_network(*_read(f)))
    page = invest_report.render_traffic_html(
        net, _with_optional_keys(written["data"]), embed_map=False
    )
    assert "Pareto front" in page and "Proven: every portfolio" in page
    assert "exact &lt;branch and bound&gt;" in page  # escaped
    assert "Proven optimal" in page and "Greedy portfolio for comparison" in page
    assert "Sensitivity of the ranking" in page and "probability x 0.5" in page
    bare = {k: v for k, v in written["data"].items() if k not in ("pareto", "sensitivity")}
    plain = invest_report.render_traffic_html(net, bare, embed_map=False)
    assert "Pareto front" not in plain and "Sensitivity" not in plain
    shaped = dict(written["data"])
    shaped["sensitivity"] = {
        "leader": "be",
        "thresholds": [{"scenario": "delta-closed", "multiply_by": 2.5, "leader_then": "ce",
                        "divide_by": None, "leader_then_divided": None}],
        "monte_carlo": {"draws": 1000, "seed": 0, "factor": "log-uniform in [1/3, 3] per scenario",
                        "candidates": [{"id": "be", "leads_share": 0.8, "top3_share": 1.0}]},
    }  # fmt: skip
    page = invest_report.render_traffic_html(net, shaped, embed_map=False)
    assert "x 2.50: ce" in page and "80.0 %" in page and "1000 draws" in page


def _read(f: dict[str, str]) -> tuple[Any, Any]:
    import geopandas as gpd

    return gpd.read_file(f["sites"]), gpd.read_file(f["links"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scenario": "no-such-scenario"}, "no scenario named"),
        ({"demand": "missing.csv"}, "cannot read demand"),
    ],
)
def test_bad_input_writes_nothing(
    written: dict[str, Any],
    tmp_path: Path,
    capsys: Any,
    change: dict[str, str],
    message: str,
) -> None:
    f = {**written["files"], **change}
    out = tmp_path / "out"
    argv = _argv(f, "--report", str(out), "--csv", str(tmp_path / "r.csv"))
    assert main([*argv, "--map", str(tmp_path / "m.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_report_and_map_in_chromium(written: dict[str, Any], browser: Any) -> None:  # noqa: F811
    """The report opens with the network blocked: the summary first with 3-5 headline numbers,
    the charts load, the embedded map draws the candidates and the portfolio; the map file
    draws them too, popups carrying the numbers; no console error anywhere."""
    from tests.test_reports_browser import _check_summary, _open

    out = written["out"]
    page, errors = _open(browser, out / "invest-report.html")
    _check_summary(page, errors)
    assert page.evaluate("document.querySelectorAll('img').length") == 2  # bars and scatter
    frame = page.frame_locator("#summary iframe")
    assert frame.locator("path.corridor-candidate").count() >= 2
    assert frame.locator("path.corridor-portfolio").count() >= 1
    assert frame.locator("path.corridor-failed").count() >= 1  # links out under the scenario
    page.close()
    page, errors = _open(browser, out / "map.html")
    assert errors == []
    assert page.evaluate("typeof L") == "object"
    assert page.locator("path.corridor-candidate").count() >= 2
    page.locator("path.corridor-candidate").first.click(force=True)
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "Tbps kept" in popup and "EUR" in popup
    page.close()
