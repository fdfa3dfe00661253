"""Network building, geodesic lengths, countries crossed, routing on the tiny network."""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely

from corridor import (
    ConstraintError,
    DataError,
    LatencyModel,
    Network,
    NoRouteError,
    RequestError,
    UnknownSiteError,
    build_network,
    shortest_path,
)
from corridor.network import GEOD
from tests.conftest import tiny_tables

KM_PER_DEG_EQUATOR = 111.3195  # WGS84: 2 * pi * 6378.137 / 360


def test_csr_arrays_are_consistent(tiny: Network) -> None:
    assert tiny.n_sites == 5
    assert tiny.n_links == 6
    assert len(tiny.head) == 12  # two arcs per undirected link
    assert tiny.indptr[0] == 0 and tiny.indptr[-1] == 12
    assert (np.diff(tiny.indptr) >= 0).all()
    for arc in range(12):
        link = tiny.arc_link[arc]
        ends = {tiny.link_a[link], tiny.link_b[link]}
        assert {tiny.tail[arc], tiny.head[arc]} == ends
    assert not tiny.weight.flags.writeable


def test_geodesic_length_on_the_equator(tiny: Network) -> None:
    ab1 = tiny.links.set_index("id").loc["ab1"]
    assert ab1["length_km"] == pytest.approx(KM_PER_DEG_EQUATOR, rel=1e-4)
    # a meridian degree at the equator is shorter than an equator degree (110.57 km)
    ad = tiny.links.set_index("id").loc["ad"]
    assert ad["length_km"] == pytest.approx(110.574, rel=1e-3)


def test_known_city_distance() -> None:
    # London Heathrow - Tokyo Haneda great circle is about 9,600 km (WGS84 geodesic 9,584 km)
    km = GEOD.inv(-0.4543, 51.4700, 139.7798, 35.5494)[2] / 1000
    assert km == pytest.approx(9584, rel=0.005)


def test_latency_uses_the_route_factor(tiny: Network) -> None:
    links = tiny.links.set_index("id")
    model = tiny.model
    assert links.loc["ab1", "latency_ms"] == pytest.approx(
        links.loc["ab1", "length_km"] * 1.10 * model.ms_per_km
    )
    assert links.loc["ab2", "route_factor"] == 1.05


def test_parallel_links_are_kept(tiny: Network) -> None:
    links = tiny.links
    assert ((links["a"] == "a") & (links["b"] == "b")).sum() == 2


def test_shortest_path_prefers_the_fast_parallel_link(tiny: Network) -> None:
    result = shortest_path(tiny, "Alpha", "charlie")
    best = result.best
    assert best.nodes == ("a", "b", "c")
    assert best.links == ("ab1", "bc")
    expected = (
        tiny.links.set_index("id").loc[["ab1", "bc"], "latency_ms"].sum() + tiny.model.site_delay_ms
    )
    assert best.one_way_ms == pytest.approx(expected)
    assert best.rtt_ms == pytest.approx(2 * expected)
    assert best.one_way_ms > result.floor_one_way_ms
    assert best.stretch > 1
    assert best.srlgs == ("duct-1",)


def test_constraints_change_the_route(tiny: Network) -> None:
    assert shortest_path(tiny, "a", "c", avoid="b").best.nodes == ("a", "d", "c")
    assert shortest_path(tiny, "a", "c", avoid="duct-1").best.nodes == ("a", "d", "c")
    assert shortest_path(tiny, "a", "c", avoid="Sys1").best.nodes == ("a", "d", "c")
    assert shortest_path(tiny, "a", "c", avoid="ab1").best.links == ("ab2", "bc")
    assert shortest_path(tiny, "a", "c", avoid="RU").best.nodes == ("a", "b", "c")


def test_status_filter(tiny: Network) -> None:
    with pytest.raises(NoRouteError, match="existing"):
        shortest_path(tiny, "a", "e")
    assert shortest_path(tiny, "a", "e", status="planned").best.nodes == ("a", "b", "e")


def test_impossible_requests_say_why(tiny: Network) -> None:
    with pytest.raises(NoRouteError, match="avoid"):
        shortest_path(tiny, "a", "c", avoid=["b", "d"])
    with pytest.raises(NoRouteError, match="within 0.1 ms"):
        shortest_path(tiny, "a", "c", max_latency_ms=0.1)
    with pytest.raises(ConstraintError, match="source"):
        shortest_path(tiny, "a", "c", avoid="KZ")
    with pytest.raises(RequestError, match="same site"):
        shortest_path(tiny, "a", "Alpha")
    with pytest.raises(UnknownSiteError, match="did you mean a"):
        shortest_path(tiny, "alpah", "c")


def test_countries_follow_the_direction_of_travel(tiny: Network) -> None:
    assert shortest_path(tiny, "a", "c").best.countries == ("KZ", "CN")
    assert shortest_path(tiny, "c", "a").best.countries == ("CN", "KZ")


def test_countries_crossed_against_borders() -> None:
    sites, links = tiny_tables()
    # a border polygon around lon 0.3..0.7 (country XX) crossed by ab1 but not reached by ad
    borders = gpd.GeoDataFrame(
        {"iso_a2": ["XX"], "name": ["Testland"]},
        geometry=[shapely.box(0.3, -0.1, 0.7, 0.1)],
        crs="EPSG:4326",
    )
    net = build_network(sites, links, borders=borders)
    by_id = net.links.set_index("id")["countries"]
    assert by_id["ab1"] == ("KZ", "XX")  # 44 km inside, so it counts; a and b are both KZ
    assert by_id["ab2"] == ("KZ",)  # submarine: no country at sea
    assert by_id["ad"] == ("KZ", "RU")
    assert net.resolve_country("testland") == "XX"


def test_link_end_far_from_site_is_refused() -> None:
    sites, links = tiny_tables()
    links.loc[0, "geometry"] = shapely.LineString([(0.0, 0.0), (0.5, 0.0)])
    with pytest.raises(DataError, match=r"link 'ab1': end 'b' is \d+\.\d km from site 'b'"):
        build_network(sites, links)


def test_reversed_geometry_is_accepted_and_snapped() -> None:
    sites, links = tiny_tables()
    links.loc[2, "geometry"] = shapely.LineString([(1.0, 1.001), (1.0, 0.0)])
    net = build_network(sites, links)
    coords = shapely.get_coordinates(net.links.geometry.iat[2])
    assert tuple(coords[0]) == (1.0, 0.0) and tuple(coords[-1]) == (1.0, 1.0)


def test_unknown_site_in_link_is_refused() -> None:
    sites, links = tiny_tables()
    links.loc[0, "b"] = "zz"
    with pytest.raises(DataError, match="link 'ab1': field 'b': unknown site 'zz'"):
        build_network(sites, links)


def test_from_networkx_multigraph_round_trip() -> None:
    graph = nx.MultiGraph()
    graph.add_node("x", lon=0.0, lat=0.0)
    graph.add_node("y", lon=1.0, lat=0.0)
    graph.add_node("z", lon=2.0, lat=0.0)
    graph.add_edge("x", "y", latency_ms=2.0)
    graph.add_edge("x", "y", latency_ms=1.0)
    graph.add_edge("y", "z", latency_ms=1.5)
    net = Network.from_networkx(graph)
    assert net.n_links == 3
    best = shortest_path(net, "x", "z").best
    assert best.one_way_ms == pytest.approx(2.5)
    assert best.links == ("x|y|1", "y|z|0")
    back = net.to_networkx()
    assert back.number_of_edges() == 3


def test_from_networkx_directed_is_one_way() -> None:
    graph = nx.DiGraph()
    graph.add_edge("x", "y", latency_ms=1.0)
    net = Network.from_networkx(graph)
    assert shortest_path(net, "x", "y").best.one_way_ms == 1.0
    with pytest.raises(NoRouteError):
        shortest_path(net, "y", "x")


def test_from_networkx_rejects_bad_weights() -> None:
    graph = nx.Graph()
    graph.add_edge("x", "y", latency_ms=-1.0)
    with pytest.raises(DataError, match="not >= 0"):
        Network.from_networkx(graph)
    graph = nx.Graph()
    graph.add_edge("x", "y")
    with pytest.raises(DataError, match="no 'latency_ms'"):
        Network.from_networkx(graph)


def test_site_delay_override() -> None:
    sites, links = tiny_tables()
    sites["delay_ms"] = [math.nan, 2.0, math.nan, math.nan, math.nan]
    net = build_network(sites, links, model=LatencyModel(site_delay_ms=0.0))
    via_b = net.links.set_index("id").loc[["ab1", "bc"], "latency_ms"].sum() + 2.0
    best = shortest_path(net, "a", "c").best
    assert best.one_way_ms == pytest.approx(min(via_b, best.one_way_ms))
    assert best.nodes == ("a", "d", "c") or best.one_way_ms == pytest.approx(via_b)
