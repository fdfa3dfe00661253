"""Geometry checks against the 1:10m land mask (corridor.checks, ``corridor check``)."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from corridor import datasets
from corridor.checks import check_links
from corridor.cli import main
from corridor.io import read_links


def _links(rows: list[tuple[str, str, list[tuple[float, float]]]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [r[0] for r in rows], "kind": [r[1] for r in rows]},
        geometry=[shapely.LineString(r[2]) for r in rows],
        crs="EPSG:4326",
    )


def test_known_violations_are_found() -> None:
    links = _links(
        [
            # straight across Malta (the old Sicily channel lane)
            ("sub-malta", "submarine", [(12.7, 36.8), (13.5, 36.4), (15.0, 35.7), (16.5, 35.2)]),
            # straight across Jeju
            ("sub-jeju", "submarine", [(124.5, 32.3), (126.0, 33.2), (127.5, 33.8)]),
            # Jeddah - Yanbu along the open Red Sea
            (
                "land-sea",
                "terrestrial",
                [(39.18, 21.48), (39.03, 22.8), (38.6, 23.3), (38.11, 24.07)],
            ),
            # clean controls
            ("sub-ok", "submarine", [(5.5, 42.7), (7.0, 40.8), (7.9, 38.6)]),
            ("land-ok", "terrestrial", [(8.68, 50.11), (11.58, 48.14)]),
        ]
    )
    found = check_links(links)
    by_link = {v.link: v for v in found}
    assert set(by_link) == {"sub-malta", "sub-jeju", "land-sea"}
    assert by_link["sub-malta"].kind == "submarine-over-land"
    assert 14.0 < by_link["sub-malta"].lon < 14.7
    assert by_link["sub-jeju"].km > 20
    assert by_link["land-sea"].kind == "land-over-sea" and by_link["land-sea"].km > 30


def test_tolerances_decide() -> None:
    malta = _links([("m", "submarine", [(12.7, 36.8), (13.5, 36.4), (15.0, 35.7), (16.5, 35.2)])])
    assert check_links(malta, max_land_km=100.0) == []
    assert check_links(malta, landing_km=400.0) == []


def test_shipped_links_have_no_violations() -> None:
    assert check_links(read_links(datasets.get_path("links"))) == []


def test_check_command(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _links([("sub-jeju", "submarine", [(124.5, 32.3), (126.0, 33.2), (127.5, 33.8)])])
    bad["a"], bad["b"], bad["status"] = "x", "y", "existing"
    path = tmp_path / "bad.geojson"  # type: ignore[operator]
    bad.to_file(path)
    assert main(["check", "--links", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [v["link"] for v in data["violations"]] == ["sub-jeju"]
    assert main(["check"]) == 0
    assert "0 submarine-over-land, 0 land-over-sea" in " ".join(capsys.readouterr().out.split())
