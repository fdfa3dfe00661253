"""Shared fixtures: a small hand-built network with known answers, and the shipped network."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from corridor import datasets
from corridor.latency import LatencyModel
from corridor.network import Network, build_network, load_network

#: Routing mechanics and golden figures are checked on the physical figures (no service
#: factors, handoffs or inferred penalty); the calibrated default model is checked in
#: tests/test_calibration.py.
PHYSICAL = LatencyModel()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run tests marked slow (building and installing a wheel, large runs)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow") or os.environ.get("CORRIDOR_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (or CORRIDOR_RUN_SLOW=1)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# A square of four sites on the equator and the meridian, about 111 km per degree, with two
# parallel links A-B (fast terrestrial, slow submarine), a planned link, and an SRLG.
TINY_SITES = [
    ("a", "Alpha", "city", "KZ", 0.0, 0.0),
    ("b", "Bravo", "city", "KZ", 1.0, 0.0),
    ("c", "Charlie", "city", "CN", 1.0, 1.0),
    ("d", "Delta", "landing", "RU", 0.0, 1.0),
    ("e", "Echo", "datacenter", "KZ", 2.0, 0.0),
]
# fmt: off
TINY_LINKS = [
    ("ab1", "a", "b", "terrestrial", "existing", "Sys1", "duct-1", [(0.0, 0.0), (0.5, 0.0), (1.0, 0.0)]),  # noqa: E501
    ("ab2", "a", "b", "submarine", "existing", "Sys2", "", [(0.0, 0.0), (0.5, -0.2), (1.0, 0.0)]),
    ("bc", "b", "c", "terrestrial", "existing", "Sys1", "duct-1", [(1.0, 0.0), (1.0, 1.0)]),
    ("ad", "a", "d", "terrestrial", "existing", "Sys3", "", [(0.0, 0.0), (0.0, 1.0)]),
    ("dc", "d", "c", "submarine", "existing", "Sys3", "sea-1", [(0.0, 1.0), (0.5, 1.5), (1.0, 1.0)]),  # noqa: E501
    ("be", "b", "e", "terrestrial", "planned", "Sys4", "", [(1.0, 0.0), (2.0, 0.0)]),
]
# fmt: on


def tiny_tables() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Sites and links of the tiny network as GeoDataFrames."""
    sites = gpd.GeoDataFrame(
        [
            {"id": i, "name": n, "kind": k, "country": c, "geometry": shapely.Point(x, y)}
            for i, n, k, c, x, y in TINY_SITES
        ],
        crs="EPSG:4326",
    )
    links = gpd.GeoDataFrame(
        [
            {
                "id": i,
                "a": a,
                "b": b,
                "kind": k,
                "status": s,
                "system": sy,
                "srlg": g,
                "geometry": shapely.LineString(pts),
            }
            for i, a, b, k, s, sy, g, pts in TINY_LINKS
        ],
        crs="EPSG:4326",
    )
    return sites, links


@pytest.fixture(scope="session", autouse=True)
def network_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private network cache for the whole run (subprocesses inherit it); never the user's."""
    folder = tmp_path_factory.mktemp("network-cache")
    old = os.environ.get("CORRIDOR_CACHE_DIR")
    os.environ["CORRIDOR_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("CORRIDOR_CACHE_DIR", None)
    else:
        os.environ["CORRIDOR_CACHE_DIR"] = old


@pytest.fixture
def tiny() -> Network:
    sites, links = tiny_tables()
    return build_network(sites, links, model=PHYSICAL)


@pytest.fixture
def write_tables(tmp_path: Path) -> Callable[..., tuple[Path, Path]]:
    """Write site and link tables to files of a given driver and return their paths."""

    def write(
        sites: gpd.GeoDataFrame, links: gpd.GeoDataFrame, suffix: str = ".geojson"
    ) -> tuple[Path, Path]:
        sp, lp = tmp_path / f"sites{suffix}", tmp_path / f"links{suffix}"
        if suffix == ".parquet":
            sites.to_parquet(sp)
            links.to_parquet(lp)
        else:
            sites.to_file(sp)
            links.to_file(lp)
        return sp, lp

    return write


@pytest.fixture(scope="session")
def shipped() -> Network:
    return load_network(model=PHYSICAL)


@pytest.fixture(scope="session")
def shipped_paths() -> dict[str, Path]:
    return {name: datasets.get_path(name) for name in datasets.names()}


@pytest.fixture(scope="session")
def calibrated() -> Network:
    """The shipped network under the calibrated default model (handoffs, service factors)."""
    return load_network()
