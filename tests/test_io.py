"""Loading sites and links from GIS files, and every validation error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from corridor import DataError, DatasetNotFoundError, datasets
from corridor.io import read_links, read_sites, read_table
from corridor.network import load_network
from tests.conftest import tiny_tables

Writer = Callable[..., tuple[Path, Path]]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".parquet"])
def test_every_format_round_trips(write_tables: Writer, suffix: str) -> None:
    sites, links = tiny_tables()
    sp, lp = write_tables(sites, links, suffix)
    net = load_network(sp, lp, countries=datasets.get_path("countries"))
    assert net.n_sites == 5 and net.n_links == 6
    assert set(net.links["id"]) == {"ab1", "ab2", "bc", "ad", "dc", "be"}


def test_other_crs_is_reprojected(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    sp, lp = write_tables(sites.to_crs("EPSG:3857"), links.to_crs("EPSG:3857"), ".gpkg")
    table = read_sites(sp)
    assert read_links(lp).geometry.iat[0].coords[-1] == pytest.approx((1.0, 0.0))
    assert table.crs.to_epsg() == 4326
    assert table.geometry.iat[1].x == pytest.approx(1.0)


def test_missing_crs_is_refused(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    bare = gpd.GeoDataFrame(sites.drop(columns="geometry"), geometry=list(sites.geometry))
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        sp, _ = write_tables(bare, links, ".shp")
    with pytest.raises(DataError, match=r"sites\.shp: no coordinate reference system"):
        read_sites(sp)


def test_missing_file_and_broken_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="nope.geojson: file not found"):
        read_table(tmp_path / "nope.geojson")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataError, match="broken.geojson: cannot read"):
        read_table(broken)


def test_missing_field(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    sp, _ = write_tables(sites.drop(columns=["country"]), links)
    with pytest.raises(DataError, match=r"sites\.geojson: missing required field\(s\) 'country'"):
        read_sites(sp)


def test_duplicate_id(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links.loc[1, "id"] = "ab1"
    _, lp = write_tables(sites, links)
    with pytest.raises(DataError, match=r"links\.geojson: link 'ab1': field 'id' is not unique"):
        read_links(lp)


def test_unknown_status_names_feature_and_field(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links.loc[2, "status"] = "dreamed"
    _, lp = write_tables(sites, links)
    with pytest.raises(DataError, match=r"link 'bc': field 'status': unknown value 'dreamed'"):
        read_links(lp)


def test_unknown_site_kind_and_bad_country(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    sites.loc[0, "kind"] = "castle"
    sp, _ = write_tables(sites, links)
    with pytest.raises(DataError, match=r"site 'a': field 'kind'"):
        read_sites(sp)
    sites, links = tiny_tables()
    sites.loc[0, "country"] = "Kazakhstan"
    sp, _ = write_tables(sites, links)
    with pytest.raises(DataError, match=r"site 'a': field 'country': 'Kazakhstan' is not an ISO"):
        read_sites(sp)


def test_wrong_geometry_type(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links.loc[0, "geometry"] = shapely.Point(0, 0)
    _, lp = write_tables(sites, links, ".gpkg")
    with pytest.raises(DataError, match=r"link 'ab1': geometry is a Point, expected LineString"):
        read_links(lp)


def test_empty_geometry(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links.loc[3, "geometry"] = shapely.LineString()
    _, lp = write_tables(sites, links, ".gpkg")
    with pytest.raises(DataError, match=r"link 'ad': empty geometry"):
        read_links(lp)


def test_bad_numbers(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links["capex_eur_m"] = [None, None, None, None, None, -5.0]
    _, lp = write_tables(sites, links)
    with pytest.raises(
        DataError, match=r"link 'be': field 'capex_eur_m': -5.0 is not a number >= 0"
    ):
        read_links(lp)
    sites, links = tiny_tables()
    links["rfs"] = [2008, None, "soon", None, None, None]
    _, lp = write_tables(sites, links)
    with pytest.raises(DataError, match=r"link 'bc': field 'rfs': 'soon' is not a year"):
        read_links(lp)


def test_population_is_optional_and_checked(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    sp, _ = write_tables(sites, links)
    assert read_sites(sp)["population"].isna().all()
    sites["population"] = [1_000_000, None, 5, -3, None][: len(sites)]
    sp, _ = write_tables(sites, links)
    bad = sites["id"].iloc[3]
    with pytest.raises(
        DataError, match=rf"site '{bad}': field 'population': -3.0 is not a number >= 0"
    ):
        read_sites(sp)


def test_self_loop_is_refused(write_tables: Writer) -> None:
    sites, links = tiny_tables()
    links.loc[0, "b"] = "a"
    _, lp = write_tables(sites, links)
    with pytest.raises(DataError, match="fields 'a' and 'b' are the same site 'a'"):
        read_links(lp)


def test_dataset_names() -> None:
    assert datasets.names() == ["countries", "links", "sites"]
    with pytest.raises(DatasetNotFoundError, match="valid names: countries, links, sites"):
        datasets.get_path("roads")
