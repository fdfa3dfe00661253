"""The shipped data set's corrections and additions (issue 12), each with its source."""

from __future__ import annotations

import pytest

from corridor import Network
from corridor.routing import shortest_path

NEW_SITES = [
    "Dushanbe", "Wuhan", "Guangzhou", "Hami", "Gwadar", "MSK-IX Moscow", "IXP.ge Tbilisi",
    "Freedom Cloud data center (Alatau / G4 City)", "Freedom Telecom data center Aktau",
    "Data Center Valley Ekibastuz", "EU public-data mirror candidate (Astana)", "Nevelsk",
    "Ishikari", "torugart",
]  # fmt: skip


@pytest.mark.parametrize("name", NEW_SITES)
def test_new_site(shipped: Network, name: str) -> None:
    assert shipped.resolve_site(name)


def test_status_and_rfs_corrections(shipped: Network) -> None:
    links = shipped.links.set_index("id")
    for lid in ("2africa-ras-ghareb-yanbu", "2africa-yanbu-djibouti", "2africa-djibouti-salalah"):
        assert links.at[lid, "status"] == "existing" and links.at[lid, "rfs"] == 2025
        assert "arabfinance" in links.at[lid, "source"]
    assert links.at["sjc2-hong-kong-shanghai", "rfs"] == 2025
    assert links.at["adc-hong-kong-chikura", "rfs"] == 2024
    assert links.at["rt-cn-blagoveshchensk-heihe", "rfs"] == 2006
    assert links.at["ttk-cn-zabaikalsk-manzhouli", "rfs"] == 2007
    superhighway = links[links.index.str.startswith("kz-shw-")]
    assert len(superhighway) and (superhighway["status"] == "proposed").all()
    assert links.at["tcfo-kuryk-buzovna", "status"] == "planned"
    assert "347 km great circle" in links.at["az-tm-siyazan-turkmenbashi", "source"]


def test_data_center_facts_keep_both_akashi_figures(shipped: Network) -> None:
    sites = shipped.sites.set_index("id")
    akashi = sites.loc["akashi-dc"]
    assert (akashi["racks"], akashi["power_mw"], akashi["tier"]) == (4200, 100, "IV")
    assert "4,000 racks and 43 MW" in akashi["source"]
    assert sites.at["ekibastuz-dc-valley", "power_mw"] == 1000


def test_countries_follow_finer_borders(shipped: Network) -> None:
    for lid, countries in (
        ("kz-nih-aktogay-dostyk", ("KZ",)),
        ("kg-bishkek-osh", ("KG",)),
        ("kz-cn-zharkent-khorgos", ("KZ",)),
    ):
        assert shipped.link_countries(shipped.link_index(lid)) == countries


def test_hong_kong_is_reached_through_wuhan_not_shanghai(shipped: Network) -> None:
    path = shortest_path(shipped, "Zhengzhou", "Hong Kong").best
    assert "wuhan" in path.nodes and "shanghai" not in path.nodes


def test_new_crossings_route(shipped: Network) -> None:
    assert "kulma" in shortest_path(shipped, "Dushanbe", "Kashgar").best.nodes
    hscs = shortest_path(shipped, "Nevelsk", "Tokyo").best
    assert hscs.links[0] == "hscs-nevelsk-ishikari"
    worldlink = shortest_path(shipped, "Fujairah", "Baghdad", status="all").best
    assert worldlink.links[0] == "worldlink-fujairah-al-faw"
