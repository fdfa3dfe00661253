"""Lazy paths resolve to the same values as resolving every field at once, and pickle alone."""

from __future__ import annotations

import pickle
from itertools import islice

import numpy as np
import pytest

from corridor.network import Network
from corridor.routing import batch_routes, iter_shortest_paths, k_shortest_paths


def eager(net: Network, path) -> dict:  # type: ignore[no-untyped-def]
    """Every field of a path computed directly from the network's tables."""
    look = net.lookup
    arcs = path.arcs
    nodes = [int(path.node_index[0]), *(int(v) for v in net.head[arcs])]
    links = [int(li) for li in net.arc_link[arcs]]
    countries = [look.site_country[nodes[0]]]
    for a, li in zip(arcs, links, strict=True):
        seq = look.link_countries[li]
        countries.extend(seq if int(net.tail[a]) == int(net.link_a[li]) else seq[::-1])
    return {
        "nodes": tuple(look.site_id[v] for v in nodes),
        "links": tuple(look.link_id[li] for li in links),
        "systems": tuple(dict.fromkeys(look.link_system[li] for li in links)),
        "countries": tuple(c for c in dict.fromkeys(countries) if c),
        "srlgs": tuple(dict.fromkeys(g for li in links for g in look.link_srlgs[li])),
        "length_km": sum(float(look.link_length[li]) for li in links),
        "one_way_ms": sum(float(look.link_latency[li]) for li in links)
        + sum(float(net.site_delay[v]) for v in nodes[1:-1]),
    }


def test_lazy_fields_match_eager_resolution(shipped: Network) -> None:
    result = k_shortest_paths(shipped, "Frankfurt", "Shanghai", 30, status="all")
    for path in result.paths:
        want = eager(shipped, path)
        for name in ("nodes", "links", "systems", "countries", "srlgs"):
            assert getattr(path, name) == want[name], name
        assert path.length_km == pytest.approx(want["length_km"], rel=1e-12)
        assert path.one_way_ms == pytest.approx(want["one_way_ms"], rel=1e-12)
        assert path.hops == len(want["links"])
        assert path.to_dict()["nodes"] == list(want["nodes"])


def test_public_k_paths_match_the_stream(shipped: Network) -> None:
    """One kernel call with k gives the same paths as the doubling stream."""
    direct = k_shortest_paths(shipped, "London", "Tokyo", 40).paths
    stream = list(islice(iter_shortest_paths(shipped, "London", "Tokyo"), 40))
    assert direct == tuple(stream)
    assert [p.one_way_ms for p in direct] == sorted(p.one_way_ms for p in direct)


def test_pickled_path_carries_values_not_the_network(shipped: Network) -> None:
    path = k_shortest_paths(shipped, "Frankfurt", "Shanghai", 2).paths[1]
    blob = pickle.dumps(path)
    assert len(blob) < 20_000  # the network itself pickles to megabytes
    back = pickle.loads(blob)
    assert back == path and back.to_dict() == path.to_dict()
    assert back.countries == path.countries and back.stretch == path.stretch
    with pytest.raises(ValueError):
        back.arcs[0] = 0  # read-only view


def test_batch_paths_equal_single_routes(shipped: Network) -> None:
    pairs = [("Frankfurt", "Shanghai"), ("London", "Tokyo"), ("Almaty", "Istanbul")]
    table = batch_routes(shipped, pairs, with_paths=True)
    for (s, t), nodes, links in zip(pairs, table["nodes"], table["links"], strict=True):
        best = k_shortest_paths(shipped, s, t, 1).best
        assert list(nodes) == list(best.nodes) and list(links) == list(best.links)
    assert np.isfinite(table["one_way_ms"]).all()


def test_path_names_are_plain_strings(shipped: Network) -> None:
    """Countries, sites, systems and SRLGs come back as ``str`` (never ``numpy.str_``)."""
    for path in k_shortest_paths(shipped, "frankfurt", "shanghai", k=5, status="all").paths:
        for field in (path.countries, path.nodes, path.systems, path.srlgs):
            assert all(type(x) is str for x in field), field
