"""Planner views of a batch run (corridor.batch.planning): RTT against distance, stretch by
region pair, transit countries; checked against a plain recomputation from the results table,
and present in the report."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from corridor.batch import load_scenario, run_batch
from corridor.batch.planning import (
    M49_SUBREGIONS,
    country_transit,
    region_groups,
    rtt_distance,
    stretch_by_region,
)
from corridor.network import load_network
from tests.conftest import tiny_tables
from tests.test_batch import TINY, write


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The tiny scenario of test_batch, run once for the module."""
    tmp_path = tmp_path_factory.mktemp("planning")
    sites, links = tiny_tables()
    sp, lp = tmp_path / "sites.geojson", tmp_path / "links.geojson"
    sites.to_file(sp)
    links.to_file(lp)
    scen = write(tmp_path, TINY)
    result = run_batch(scen, tmp_path / "out", progress=False)
    return load_scenario(scen), load_network(sp, lp), result


def _fastest(results: pd.DataFrame, status: str, failure: str) -> dict[tuple[str, str], Any]:
    """The fastest reachable family's row per pair, the plain way."""
    out: dict[tuple[str, str], Any] = {}
    for rec in results.to_dict(orient="records"):
        if rec["rank"] != 1 or rec["status"] != status or rec["failure"] != failure:
            continue
        if not rec["reachable"]:
            continue
        key = (rec["source"], rec["target"])
        if key not in out or float(rec["rtt_ms"]) < float(out[key]["rtt_ms"]):
            out[key] = rec
    return out


def test_transit_counts_match_a_plain_count(run: Any) -> None:
    spec, net, result = run
    country = dict(zip(net.sites["id"], net.sites["country"], strict=True))
    table = country_transit(spec, result.results, net.country_names, country)
    for failure, label in (("none", "no failure"), ("duct", "duct")):
        best = _fastest(result.results, spec.statuses[-1], failure)
        expected: dict[str, int] = {}
        for (s, t), rec in best.items():
            for c in set(str(rec["countries"]).split(">")) - {country[s], country[t], ""}:
                expected[c] = expected.get(c, 0) + 1
        got = {
            row["country"][-3:-1]: row[f"routes: {label}"]
            for row in table.to_dict(orient="records")
            if row[f"routes: {label}"]
        }
        assert got == expected
        for row in table.to_dict(orient="records"):
            assert row[f"share: {label}"] == pytest.approx(row[f"routes: {label}"] / len(best))
    assert "links" not in " ".join(table.columns)  # one failure per link: left out
    assert table.attrs["pairs"]["no failure"] == len(_fastest(result.results, "all", "none"))


def test_stretch_by_region_is_the_median_of_the_pairs(run: Any) -> None:
    spec, net, result = run
    country = dict(zip(net.sites["id"], net.sites["country"], strict=True))
    panels = stretch_by_region(spec, result.results, country, net.country_names)
    assert list(panels) == ["fastest route", *[f.name for f in spec.families]]
    west = region_groups([country[s] for s, _ in spec.pairs], net.country_names)
    east = region_groups([country[t] for _, t in spec.pairs], net.country_names)
    best = _fastest(result.results, spec.statuses[-1], "none")
    cells: dict[tuple[str, str], list[float]] = {}
    for (s, t), rec in best.items():
        key = (west[country[s]], east[country[t]])
        cells.setdefault(key, []).append(float(rec["rtt_ms"]) / float(rec["floor_rtt_ms"]))
    med = panels["fastest route"]
    for (a, b), vals in cells.items():
        assert med.at[a, b] == pytest.approx(float(np.median(vals)))
        assert med.attrs["pairs"].at[a, b] == len(vals)
    empty = [(a, b) for a in med.index for b in med.columns if (a, b) not in cells]
    assert all(math.isnan(med.at[a, b]) for a, b in empty)


def test_region_groups_split_by_subregion_or_country() -> None:
    names = {"DE": "Germany", "PL": "Poland", "CN": "China", "JP": "Japan"}
    assert region_groups(["DE", "PL", "DE"], names) == {
        "DE": M49_SUBREGIONS["DE"],
        "PL": M49_SUBREGIONS["PL"],
    }
    assert region_groups(["CN", "JP"], names) == {"CN": "China", "JP": "Japan"}


def test_rtt_distance_floor_and_fit(run: Any) -> None:
    spec, _, result = run
    data = rtt_distance(spec, result.results)
    # the floor is the great circle at the fiber group velocity: 2 x 1.4682 / c per km
    assert data["floor_ms_per_km"] == pytest.approx(2 * 1.4682 / 299_792.458 * 1000, rel=1e-3)
    x, y = data["best"]
    a, b = data["fit"]
    resid = y - (a + b * x)
    assert abs(resid.sum()) < 1e-6 * len(x) + 1e-9  # least squares: residuals sum to zero
    assert (y >= data["floor_ms_per_km"] * x - 1e-9).all()  # nothing beats the floor


def test_report_has_the_planner_views(run: Any) -> None:
    _, _, result = run
    out = result.out_dir
    page = (out / "report.html").read_text(encoding="utf-8")
    # printed, the summary map leaves out its layer switch, zoom buttons and title block
    assert ".leaflet-control-layers,.leaflet-control-zoom,.corridor-title{display:none}" in page
    for title in ("Round trip against distance", "Stretch by region pair", "Transit countries"):
        assert f"<h2>{title}</h2>" in page
    assert (out / "figures" / "rtt_distance.png").stat().st_size > 10_000
    assert (out / "figures" / "stretch_regions.png").stat().st_size > 10_000
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "figures/rtt\\_distance.png" in md or "figures/rtt_distance.png" in md
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["country_transit"]
