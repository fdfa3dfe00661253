"""Routes exported as GIS layers read back with geopandas, drawn along the links."""

from __future__ import annotations

import pickle
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from corridor._errors import RequestError
from corridor.export import write_layer
from corridor.network import Network
from corridor.routing import k_shortest_paths


def test_route_geodataframe_follows_the_links(shipped: Network) -> None:
    result = k_shortest_paths(shipped, "Frankfurt", "Shanghai", 3)
    frame = result.to_geodataframe()
    assert list(frame["rank"]) == [1, 2, 3] and frame.crs.equals("EPSG:4326")
    look = shipped.lookup
    for path, geom in zip(result.paths, frame.geometry, strict=True):
        coords = shapely.get_coordinates(geom)
        first, last = path.node_index[0], path.node_index[-1]
        assert tuple(coords[0]) == (look.site_lon[first], look.site_lat[first])
        assert tuple(coords[-1]) == (look.site_lon[last], look.site_lat[last])
        drawn = sum(
            shapely.get_num_coordinates(g) - 1 for g in shipped.links.geometry.iloc[path.link_index]
        )
        assert len(coords) - 1 == drawn  # every vertex of every link, junctions once
    legs = result.to_geodataframe(by="link")
    assert len(legs) == sum(p.hops for p in result.paths)
    assert np.allclose(
        legs.groupby("rank")["latency_ms"].sum().to_numpy(),
        [sum(look.link_latency[i] for i in p.link_index) for p in result.paths],
        atol=1e-3,
    )


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml"])
def test_written_layers_read_back(shipped: Network, tmp_path: Path, fmt: str) -> None:
    result = k_shortest_paths(shipped, "London", "Tokyo", 2)
    out = write_layer(result.to_geodataframe(), tmp_path / f"route.{fmt}", format=fmt)
    back = gpd.read_file(out)
    assert len(back) == 2
    assert back.geometry.iloc[0].geom_type == "LineString"
    if fmt != "kml":
        assert list(back["links"]) == [";".join(p.links) for p in result.paths]


def test_unpickled_result_needs_the_network(shipped: Network) -> None:
    result = pickle.loads(pickle.dumps(k_shortest_paths(shipped, "Almaty", "Baku", 1)))
    with pytest.raises(RequestError, match="pass the network"):
        result.to_geodataframe()
    assert len(result.to_geodataframe(shipped)) == 1


def test_invest_ranking_exports(tmp_path: Path) -> None:
    import json as _json
    from contextlib import redirect_stdout
    from io import StringIO

    from corridor.cli import main

    out = tmp_path / "candidates.gpkg"
    buf = StringIO()
    with redirect_stdout(buf):
        code = main(["invest", "--budget", "300", "--no-sensitivity", "--gpkg", str(out), "--json"])
    assert code in (0, 1)
    data = _json.loads(buf.getvalue())
    back = gpd.read_file(out)
    assert list(back["id"]) == [r["id"] for r in data["ranking"]]
    assert data["written"]["gpkg"] == str(out)
    assert back.geometry.notna().all()
