"""Golden checks on the shipped corridor data set."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor import Network
from corridor._kernels import dijkstra
from corridor.routing import great_circle_km, shortest_path

REQUIRED = [
    "London", "Amsterdam", "Frankfurt", "Paris", "Marseille", "Milan", "Vienna", "Prague",
    "Berlin", "Warsaw", "Stockholm", "Helsinki", "Budapest", "Bucharest", "Sofia", "Varna",
    "Istanbul", "Ankara", "Tbilisi", "Poti", "Baku", "Siyazan", "Aktau", "Atyrau", "Aktobe",
    "Astana", "Karaganda", "Almaty", "Shymkent", "Khorgos", "Dostyk", "Tashkent", "Bishkek",
    "Ashgabat", "Turkmenbashi", "Moscow", "Kazan", "Samara", "Yekaterinburg", "Novosibirsk",
    "Omsk", "Urumqi", "Lanzhou", "Xi'an", "Beijing", "Zhangjiakou", "Shanghai", "Hangzhou",
    "Shenzhen", "Hong Kong", "Seoul", "Tokyo", "Singapore", "Mumbai", "Fujairah", "Jeddah",
    "Djibouti", "Alexandria", "Zafarana",
]  # fmt: skip

PAIRS = [
    ("Frankfurt", "Shanghai"),
    ("London", "Tokyo"),
    ("Frankfurt", "Almaty"),
    ("Istanbul", "Beijing"),
    ("Baku", "Tashkent"),
]


def test_sizes_and_schema(shipped: Network) -> None:
    assert shipped.n_sites >= 70
    assert shipped.n_links >= 120
    links = shipped.links
    assert set(links["kind"]) == {"terrestrial", "submarine"}
    assert set(links["status"]) == {"existing", "planned", "proposed", "suspended"}
    assert (links["source"].str.len() > 0).all(), "every link cites a source"
    assert (shipped.sites["source"].str.len() > 0).all(), "every site cites a source"
    pairs = links[["a", "b"]].apply(lambda r: tuple(sorted(r)), axis=1)
    assert pairs.duplicated().any(), "parallel links between the same two sites are kept"
    future = links[links["status"].isin(["planned", "proposed"])]
    assert future["capex_eur_m"].notna().all(), "planned and proposed links carry a capex"


def test_city_populations(shipped: Network) -> None:
    sites = shipped.sites.set_index("id")
    cities = sites[sites["kind"] == "city"]
    assert cities["population"].notna().all(), "every city site has a population"
    assert sites.loc[["akashi-dc", "de-cix-frankfurt"], "population"].isna().all()
    assert 1_500_000 < sites.at["almaty", "population"] < 3_000_000
    assert sites.at["moscow", "population"] > sites.at["kazan", "population"]
    with_pop = sites[sites["population"].notna()]
    assert with_pop["source"].str.contains("GeoNames geonameid").all()


@pytest.mark.parametrize("name", REQUIRED)
def test_required_site_is_present(shipped: Network, name: str) -> None:
    assert shipped.resolve_site(name)


def test_akashi_data_center(shipped: Network) -> None:
    dc = shipped.sites[shipped.sites["kind"] == "datacenter"]
    akashi = dc[dc["name"].str.contains("Akashi", case=False)]
    assert len(akashi) == 1
    row = akashi.iloc[0]
    assert row["country"] == "KZ" and row["status"] == "planned"
    astana = shipped.sites.geometry.iat[shipped.site_index(shipped.resolve_site("Astana"))]
    assert row.geometry.distance(astana) < 0.3  # in Astana


def test_geometries_follow_the_corridor(shipped: Network) -> None:
    long_links = shipped.links[shipped.links["length_km"] > 150]
    vertices = long_links.geometry.apply(lambda g: len(g.coords))
    assert (vertices > 2).all(), "long links are drawn with waypoints, not chords"
    # drawn length is never shorter than the chord between the two sites
    for row in shipped.links.itertuples(index=False):
        chord = great_circle_km(shipped, row.a, row.b)
        assert row.length_km >= chord - 1e-6


def _system_km(net: Network, needle: str) -> float:
    mask = net.links["system"].str.contains(needle, case=False, regex=False)
    assert mask.any(), needle
    return float(net.links.loc[mask, "length_km"].max())


@pytest.mark.parametrize(
    "system,published_km",
    [
        ("Caucasus Cable System", 1182.0),  # Poti - Balchik, S60
        ("Georgia-Russia", 433.0),  # Novorossiysk - Sochi - Poti, TeleGeography 2021
    ],
)
def test_published_cable_lengths(shipped: Network, system: str, published_km: float) -> None:
    total = float(
        shipped.links.loc[
            shipped.links["system"].str.contains(system, case=False, regex=False), "length_km"
        ].sum()
    )
    assert total == pytest.approx(published_km, rel=0.2)


def test_trans_caspian_crossing_length(shipped: Network) -> None:
    caspian = shipped.links[
        (shipped.links["kind"] == "submarine")
        & shipped.links["countries"].apply(lambda c: set(c) == {"KZ", "AZ"})
    ]
    assert len(caspian) >= 1
    # TCFO Aktau - Siyazan >340 km; Sumgayit - Aktau 380 km (S37-S39)
    assert caspian["length_km"].between(300, 460).all()


def test_no_route_beats_the_physical_floor(shipped: Network) -> None:
    """Every pair of shipped sites, with every link allowed: latency >= floor."""
    net = shipped
    arc_ok = np.ones(len(net.head), dtype=bool)
    node_ok = np.ones(net.n_sites, dtype=bool)
    lon = net.sites.geometry.x.to_numpy()
    lat = net.sites.geometry.y.to_numpy()
    from corridor.network import GEOD

    worst = math.inf
    for s in range(net.n_sites):
        dist, _ = dijkstra(net.indptr, net.head, net.weight, s, -1, arc_ok, node_ok)
        others = np.arange(net.n_sites) != s
        _, _, metres = GEOD.inv(
            np.full(others.sum(), lon[s]), np.full(others.sum(), lat[s]), lon[others], lat[others]
        )
        floor = net.model.floor_ms(metres / 1000.0)
        one_way = dist[others] - net.site_delay[others]
        reachable = np.isfinite(one_way)
        assert reachable.all(), f"{net.sites['id'].iat[s]} cannot reach every site"
        ratio = one_way / np.maximum(floor, 1e-12)
        worst = min(worst, float(ratio.min()))
    assert worst >= 1.0


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_named_pairs_are_plausible(shipped: Network, source: str, target: str) -> None:
    result = shortest_path(shipped, source, target)
    best = result.best
    assert best.rtt_ms > result.floor_rtt_ms
    assert 1.0 < best.stretch < 2.5
    assert best.countries[0] == shipped.sites["country"].iat[shipped.site_index(result.source)]
    assert best.countries[-1] == shipped.sites["country"].iat[shipped.site_index(result.target)]


def test_frankfurt_shanghai_against_published_latency(shipped: Network) -> None:
    """China Telecom Global's Super TSR via Kazakhstan: 147 ms Shanghai - Frankfurt (S62).

    Our model has no queueing or detours inside cities, so its best route should come in at
    or below the published figure but not absurdly so.
    """
    result = shortest_path(shipped, "Frankfurt", "Shanghai", via="KZ")
    assert 0.6 * 147 < result.best.rtt_ms < 147 * 1.1
    assert "KZ" in result.best.countries and "CN" in result.best.countries


@pytest.mark.parametrize(
    ("country", "region"),
    [("KZ", "central_asia"), ("UZ", "central_asia"), ("AZ", "caucasus"), ("GE", "caucasus"),
     ("DE", "europe"), ("CN", "china"), ("JP", "east_asia"), ("RU", "russia")],
)  # fmt: skip
def test_regions_match_countries(shipped: Network, country: str, region: str) -> None:
    sites = shipped.sites[shipped.sites["country"] == country]
    assert len(sites) and (sites["region"] == region).all()
