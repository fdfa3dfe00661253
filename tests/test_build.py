"""The vectorised network build against a per-link reference, and graphs with any node labels."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import shapely
from pyproj import Geod

from corridor import datasets
from corridor._errors import RequestError, UnknownSiteError
from corridor.io import read_countries, read_links, read_sites
from corridor.network import MIN_COUNTRY_KM, Network, build_network, geodesic_km
from corridor.routing import batch_routes, k_shortest_paths, shortest_path
from tests.naive import build_per_link

GEOD = Geod(ellps="WGS84")


def test_shipped_build_matches_per_link_reference(shipped: Network) -> None:
    sites = read_sites(datasets.get_path("sites"))
    borders = read_countries(datasets.get_path("countries"))
    links = shipped.links
    lengths, crossed = build_per_link(links, sites, borders, MIN_COUNTRY_KM)
    np.testing.assert_allclose(links["length_km"].to_numpy(), lengths, rtol=1e-9, atol=0)
    assert list(links["countries"]) == crossed
    factor = links["route_factor"].to_numpy()
    expected_ms = lengths * factor * shipped.model.ms_per_km
    np.testing.assert_allclose(
        links["physical_latency_ms"].to_numpy(), expected_ms, rtol=1e-9, atol=0
    )


def test_shipped_build_snaps_every_end_onto_its_site(shipped: Network) -> None:
    look = shipped.lookup
    xy = {s: (x, y) for s, x, y in zip(look.site_id, look.site_lon, look.site_lat, strict=True)}
    raw = read_links(datasets.get_path("links"))
    for row, drawn in zip(shipped.links.itertuples(index=False), raw.geometry, strict=True):
        coords = shapely.get_coordinates(row.geometry)
        assert tuple(coords[0]) == xy[row.a] and tuple(coords[-1]) == xy[row.b]
        original = shapely.get_coordinates(drawn)
        inner = coords[1:-1]
        assert np.array_equal(inner, original[1:-1]) or np.array_equal(inner, original[-2:0:-1])


@pytest.mark.parametrize(
    "geom",
    [
        shapely.LineString([(0, 0), (1, 1), (3, 1)]),
        shapely.MultiLineString([[(0, 0), (1, 1)], [(5, 5), (6, 6), (7, 5)]]),
        shapely.GeometryCollection(
            [shapely.Point(1, 1), shapely.MultiLineString([[(0, 0), (0, 2)], [(3, 3), (4, 4)]])]
        ),
        shapely.Point(2, 2),
        shapely.LineString(),
    ],
)
def test_geodesic_km_equals_geometry_length(geom: shapely.Geometry) -> None:
    expected = 0.0 if geom.is_empty else GEOD.geometry_length(geom) / 1000.0
    got = geodesic_km(np.array([geom, shapely.LineString([(10, 10), (11, 11)])], dtype=object))
    assert got[0] == pytest.approx(expected, rel=1e-12, abs=0)
    assert got[1] == pytest.approx(
        GEOD.geometry_length(shapely.LineString([(10, 10), (11, 11)])) / 1000
    )


def test_build_refuses_far_end_naming_the_first_bad_link() -> None:
    from tests.conftest import tiny_tables

    sites, links = tiny_tables()
    coords = shapely.get_coordinates(links.geometry.iat[1]).copy()
    coords[-1] = coords[-1] + 1.0  # ~100 km off
    links.loc[1, "geometry"] = shapely.LineString(coords)
    with pytest.raises(Exception, match=rf"link {links['id'].iat[1]!r}: end 'b' is .* km"):
        build_network(sites, links)


def _weighted(graph: nx.Graph) -> nx.Graph:
    for i, (u, v) in enumerate(graph.edges()):
        graph.edges[u, v]["latency_ms"] = 1.0 + (i % 3)
    return graph


def test_integer_labels_are_ids() -> None:
    graph = _weighted(nx.path_graph(6))
    net = Network.from_networkx(graph)
    best = shortest_path(net, 1, 4).best
    assert best.nodes == ("1", "2", "3", "4")
    assert best.one_way_ms == pytest.approx(nx.shortest_path_length(graph, 1, 4, "latency_ms"))
    assert shortest_path(net, np.int64(1), "4").best.nodes == best.nodes
    table = batch_routes(net, [(0, 5), (5, 0)], with_paths=True)
    assert list(table["nodes"].iloc[0]) == ["0", "1", "2", "3", "4", "5"]
    with pytest.raises(UnknownSiteError, match="'9'"):
        shortest_path(net, 1, 9)


def test_tuple_labels_are_ids() -> None:
    graph = _weighted(nx.grid_2d_graph(3, 4))
    net = Network.from_networkx(graph)
    result = k_shortest_paths(net, (0, 0), (2, 3), 5)
    expected = [
        nx.path_weight(graph, p, "latency_ms")
        for p in list(nx.shortest_simple_paths(graph, (0, 0), (2, 3), "latency_ms"))[:5]
    ]
    assert [p.one_way_ms for p in result.paths] == pytest.approx(expected)
    assert result.source == "(0, 0)"
    with pytest.raises(UnknownSiteError, match=r"\(7, 7\)"):
        shortest_path(net, (0, 0), (7, 7))
    with pytest.raises(RequestError, match="source"):
        shortest_path(net, [0, 0], (2, 3))  # type: ignore[arg-type]


def test_labels_in_avoid_and_via() -> None:
    graph = _weighted(nx.grid_2d_graph(3, 3))
    net = Network.from_networkx(graph)
    best = shortest_path(net, (0, 0), (2, 2), avoid=[(1, 1)], via=[(0, 2)]).best
    assert "(1, 1)" not in best.nodes and "(0, 2)" in best.nodes
    line = Network.from_networkx(_weighted(nx.cycle_graph(6)))
    assert shortest_path(line, 0, 2, avoid=1).best.nodes == ("0", "5", "4", "3", "2")


def test_file_network_refuses_a_tuple_site(shipped: Network) -> None:
    with pytest.raises(RequestError, match="site"):
        shortest_path(shipped, ("Frankfurt",), "Shanghai")  # type: ignore[arg-type]


def test_from_networkx_matches_networkx_on_a_delaunay_graph() -> None:
    from scipy.spatial import Delaunay

    rng = np.random.default_rng(3)
    pts = rng.uniform(0, 10, (300, 2))
    graph = nx.Graph()
    for i, (x, y) in enumerate(pts):
        graph.add_node(i, lon=float(x), lat=float(y), country="KZ" if x < 5 else "CN")
    for simplex in Delaunay(pts).simplices:
        for j in range(3):
            u, v = int(simplex[j]), int(simplex[(j + 1) % 3])
            graph.add_edge(u, v, latency_ms=float(np.hypot(*(pts[u] - pts[v]))))
    net = Network.from_networkx(graph)
    assert net.n_sites == 300 and net.n_links == graph.number_of_edges()
    lengths = nx.single_source_dijkstra_path_length(graph, 0, weight="latency_ms")
    table = batch_routes(net, [(0, v) for v in range(1, 300)])
    np.testing.assert_allclose(table["one_way_ms"], [lengths[v] for v in range(1, 300)], rtol=1e-12)
    for link, (u, v) in enumerate(zip(net.link_a, net.link_b, strict=True)):
        cu, cv = graph.nodes[int(u)]["country"], graph.nodes[int(v)]["country"]
        assert net.lookup.link_countries[link] == tuple(dict.fromkeys([cu, cv]))
    assert not any(math.isnan(x) for x in net.lookup.link_length)
