"""Tests of the investment comparison (corridor.invest and ``corridor invest``)."""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor._errors import DataError, RequestError
from corridor.invest import (
    Candidate,
    Demand,
    analyze,
    candidate_network,
    default_demand,
    exact,
    greedy,
    make_context,
    read_candidates,
    set_metrics,
)
from corridor.invest import evaluate as E
from corridor.invest.report import write_csv, write_report
from corridor.latency import LatencyModel
from corridor.network import Network, build_network
from tests.conftest import tiny_tables


def _demand(pairs: list[tuple[str, str]]) -> Demand:
    return Demand(tuple(pairs), np.full(len(pairs), 1.0 / len(pairs)), "test")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- hand-computed metrics on the tiny network ----------------------------------------------------
def test_tiny_direct_candidate_hand_computed(tiny: Network, tmp_path: Path) -> None:
    f = _write(tmp_path / "c.csv", "id,a,b,kind,capex_eur_m\nac,a,c,terrestrial,10\n")
    extra = read_candidates(tiny, f)
    net, cands = candidate_network(tiny, extra, include_network=False)
    lat = dict(zip(net.links["id"], net.links["latency_ms"], strict=True))
    delay = dict(zip(net.sites["id"], net.sites["delay_ms"], strict=True))
    base = min(
        lat["ab1"] + delay["b"] + lat["bc"],
        lat["ad"] + delay["d"] + lat["dc"],
        lat["ab2"] + delay["b"] + lat["bc"],
    )
    new = lat["ac"]
    # no geometry given: the great circle a-c (~157 km) with the 1.25 route factor assumption
    row = net.links.set_index("id").loc["ac"]
    assert 150 < row["length_km"] < 160 and row["route_factor"] == 1.25
    ctx = make_context(net, cands, _demand([("a", "c")]), sla_rtt_ms=150.0)
    res = E.evaluate_singles(ctx)[0]
    assert res.metrics["rtt_saved_ms"] == pytest.approx(2 * (base - new))
    assert res.metrics["pairs_improved"] == 1
    # worst single failure before: the worse of the two disjoint corridors after cutting the best
    alt = max(
        lat["ad"] + delay["d"] + lat["dc"],
        min(lat["ab1"], lat["ab2"]) + delay["b"] + lat["bc"],
    )
    before = set_metrics(ctx, ())
    assert before.worst[0] == pytest.approx(alt)
    assert res.per_eur_m == pytest.approx(res.score / 10.0)
    # focus country KZ: a is in KZ, so every route touches it
    assert res.metrics["focus_share_before"] == 1.0


def test_missing_capex_on_network_candidate(tiny: Network) -> None:
    with pytest.raises(DataError, match="candidate 'be': capex_eur_m"):
        candidate_network(tiny)


def _tiny_with_capex() -> Network:
    sites, links = tiny_tables()
    links["capex_eur_m"] = [None] * 5 + [5.0]
    return build_network(sites, links)


def test_tiny_planned_link_no_benefit() -> None:
    tiny = _tiny_with_capex()
    net, cands = candidate_network(tiny)
    assert [c.id for c in cands] == ["be"]
    ctx = make_context(net, cands, _demand([("a", "c")]))
    res = E.evaluate_singles(ctx)[0]
    assert res.score == 0.0
    r = analyze(tiny, demand=_demand([("a", "c")]), budget_eur_m=None, with_sensitivity=False)
    assert "no candidate improves" in r.notes[0]


# -- the shortcut equals a full recomputation ------------------------------------------------------
@st.composite
def graphs(draw: st.DrawFn) -> tuple[nx.Graph, list[tuple[int, int, float]]]:
    n = draw(st.integers(4, 9))
    g = nx.MultiGraph()
    for i in range(n):
        g.add_node(i, lon=float(i), lat=0.0, country="KZ")
    for i in range(1, n):  # a spanning tree keeps it connected
        j = draw(st.integers(0, i - 1))
        g.add_edge(i, j, latency_ms=draw(st.floats(0.5, 20.0)))
    for _ in range(draw(st.integers(0, 2 * n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            g.add_edge(a, b, latency_ms=draw(st.floats(0.5, 20.0)))
    cands = []
    for _ in range(draw(st.integers(1, 4))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            cands.append((a, b, draw(st.floats(0.1, 15.0))))
    return g, cands


def _ctx_from_graph(
    g: nx.MultiGraph, cands: list[tuple[int, int, float]], delay: float
) -> tuple[E.Context, nx.MultiGraph]:
    full = g.copy()
    for k, (a, b, w) in enumerate(cands):
        full.add_edge(a, b, key=f"cand{k}", latency_ms=w)
    net = Network.from_networkx(full, model=LatencyModel(site_delay_ms=delay))
    is_cand = net.links["id"].str.endswith(tuple(f"|cand{k}" for k in range(len(cands))))
    objs = []
    for k, (a, b, w) in enumerate(cands):
        li = int(np.flatnonzero(net.links["id"].str.endswith(f"|cand{k}").to_numpy())[0])
        objs.append(
            Candidate(
                f"cand{k}",
                "",
                "",
                "terrestrial",
                "proposed",
                str(a),
                str(b),
                li,
                1.0 + k,
                "",
                0.0,
                25.0,
                1.0,
                w,
                "test",
            )
        )
    nodes = sorted(g.nodes)
    pairs = [(str(s), str(t)) for s in nodes[:2] for t in nodes[-2:] if s != t]
    ctx = make_context(net, objs, _demand(pairs), sla_rtt_ms=60.0)
    ctx = dataclasses.replace(ctx, base_links=~is_cand.to_numpy(), cache={})
    return ctx, full


def _nx_dist(g: nx.MultiGraph, delay: float, s: int, t: int) -> float:
    h = nx.DiGraph()
    for u, v, d in g.edges(data=True):
        for x, y in ((u, v), (v, u)):
            w = d["latency_ms"] + delay
            if not h.has_edge(x, y) or h[x][y]["w"] > w:
                h.add_edge(x, y, w=w)
    try:
        return nx.dijkstra_path_length(h, s, t, weight="w") - delay
    except nx.NetworkXNoPath:
        return math.inf


@settings(max_examples=40, deadline=None)
@given(graphs(), st.sampled_from([0.0, 0.3]))
def test_shortcut_equals_recomputation(case: tuple, delay: float) -> None:
    g, cands = case
    if not cands:
        return
    ctx, _full = _ctx_from_graph(g, cands, delay)
    state = E._State(ctx, ())
    for i, (a, b, w) in enumerate(cands):
        fast = state.add_one(ctx, i)
        slow = set_metrics(ctx, [i])
        np.testing.assert_allclose(fast.one_way, slow.one_way, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(fast.worst, slow.worst, rtol=1e-9, atol=1e-9)
        # and against networkx on the graph with only this candidate added
        h = g.copy()
        h.add_edge(a, b, latency_ms=w)
        for k, (s, t) in enumerate(ctx.demand.pairs):
            assert fast.one_way[k] == pytest.approx(_nx_dist(h, delay, int(s), int(t)))


# -- exact search vs brute force; greedy never better --------------------------------------------
@settings(max_examples=15, deadline=None)
@given(graphs(), st.floats(1.0, 8.0))
def test_exact_matches_brute_force(case: tuple, budget: float) -> None:
    g, cands = case
    if not cands:
        return
    ctx, _ = _ctx_from_graph(g, cands, 0.1)
    idx = list(range(len(cands)))
    best = 0.0
    base = set_metrics(ctx, ())
    for r in range(1, len(idx) + 1):
        for sub in itertools.combinations(idx, r):
            if sum(ctx.candidates[i].capex_eur_m for i in sub) <= budget + 1e-9:
                best = max(best, E.benefit(ctx, base, set_metrics(ctx, list(sub)))["score"])
    ex, _evaluated = exact(ctx, budget, idx)
    # the backup term is not monotone (default weight 1): the search must not claim a proof
    assert not ex.proven_optimal
    assert "backup term" in ex.not_proven
    assert ex.score <= best + 1e-9
    assert ex.capex_eur_m <= budget + 1e-9
    gr, _ = greedy(ctx, budget, pool=idx)
    assert gr.score <= ex.score + 1e-9
    assert gr.capex_eur_m <= budget + 1e-9


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a,b,kind,capex_eur_m\na,zz-nowhere,terrestrial,5\n", "unknown site"),
        ("a,b,kind,capex_eur_m\na,c,terrestrial,-5\n", "capex_eur_m"),
        ("a,b,kind,capex_eur_m\na,c,terrestrial,\n", "capex_eur_m"),
        ("a,b,kind,capex_eur_m\na,c,aerial,5\n", "kind"),
        ("a,b,kind,capex_eur_m,waypoints\na,c,terrestrial,5,1 2 3; x\n", "waypoint"),
        ("a,b,kind,capex_eur_m,waypoints\na,b,terrestrial,5,0.5 0\n", "duplicates existing"),
    ],
)
def test_bad_candidates(tiny: Network, tmp_path: Path, text: str, match: str) -> None:
    f = _write(tmp_path / "bad.csv", text)
    with pytest.raises(DataError, match=match) as info:
        read_candidates(tiny, f)
    assert "\n" not in str(info.value)


def test_budget_below_every_option() -> None:
    tiny = _tiny_with_capex()
    with pytest.raises(RequestError, match="below every option"):
        analyze(tiny, demand=_demand([("a", "c")]), budget_eur_m=0.001, with_sensitivity=False)


def test_bad_demand_and_options(tmp_path: Path) -> None:
    tiny = _tiny_with_capex()
    with pytest.raises(RequestError, match="no demand"):
        default_demand(tiny)
    from corridor.invest import read_demand

    f = _write(tmp_path / "d.csv", "source,target,weight\na,nowhere,1\n")
    with pytest.raises(DataError, match="unknown site"):
        read_demand(tiny, f)
    with pytest.raises(RequestError, match="SLA"):
        analyze(tiny, demand=_demand([("a", "c")]), sla_rtt_ms=-1, with_sensitivity=False)


def test_geojson_candidates(tiny: Network, tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame(
        [
            {
                "id": "ec",
                "a": "e",
                "b": "c",
                "kind": "terrestrial",
                "capex_eur_m": 4.0,
                "opex_eur_m_per_year": 0.2,
                "lifetime_years": 20,
                "geometry": shapely.LineString([(2, 0), (1.5, 0.6), (1, 1)]),
            }
        ],
        crs="EPSG:4326",
    )
    f = tmp_path / "c.geojson"
    gdf.to_file(f)
    extra = read_candidates(tiny, f)
    _net, cands = candidate_network(tiny, extra, include_network=False)
    ec = next(c for c in cands if c.id == "ec")
    assert ec.opex_eur_m_per_year == pytest.approx(0.2)
    assert ec.lifetime_years == 20
    assert ec.annual_cost(0.0) == pytest.approx(4.0 / 20 + 0.2)


# -- protected availability, SRLG backups, groups (hand-computed) ---------------------------------
HOURS_PER_YEAR = 365.25 * 24.0
A_SITE = 0.99999  # AvailabilityModel default for every site
A_CONDUIT = 1.0 / (1.0 + 0.05 * 12.0 / HOURS_PER_YEAR)  # non-chokepoint SRLG: 0.05 / yr, 12 h


def _a_link(net: Network, link_id: str) -> float:
    """Steady-state availability of one link from the model's default rates, by hand."""
    row = net.links.set_index("id").loc[link_id]
    km = float(row["length_km"]) * float(row["route_factor"])
    rate, mttr_h = (0.17, 720.0) if row["kind"] == "submarine" else (0.3, 12.0)
    return 1.0 / (1.0 + rate * km / 1000.0 * mttr_h / HOURS_PER_YEAR)


def test_availability_gain_hand_computed(tiny: Network, tmp_path: Path) -> None:
    from corridor.resilience.availability import protection

    f = _write(tmp_path / "c.csv", "id,a,b,kind,capex_eur_m\nac,a,c,terrestrial,10\n")
    net, cands = candidate_network(tiny, read_candidates(tiny, f), include_network=False)
    ctx = make_context(net, cands, _demand([("a", "c")]))
    # before: the link-disjoint pair a-b-c (duct-1 on both links) and a-d-c (sea-1 on d-c)
    upper = _a_link(net, "ab1") * _a_link(net, "bc") * A_SITE * A_CONDUIT
    lower = _a_link(net, "ad") * _a_link(net, "dc") * A_SITE * A_CONDUIT
    before = upper + lower - upper * lower
    # after: the direct a-c plus the faster of the two old routes (a-b-c), nothing shared
    lat = dict(zip(net.links["id"], net.links["latency_ms"], strict=True))
    assert lat["ab1"] + lat["bc"] < lat["ad"] + lat["dc"]
    direct = _a_link(net, "ac")
    after = direct + upper - direct * upper
    base = set_metrics(ctx, ())
    assert base.availability is not None
    assert base.availability[0] == pytest.approx(before, abs=1e-12)
    assert protection(net, "a", "c").availability == pytest.approx(before, abs=1e-12)
    res = E.evaluate_singles(ctx)[0]
    gain = after - before
    assert gain > 0
    assert res.metrics["availability_gain_bp"] == pytest.approx(1e4 * gain, rel=1e-6)
    minutes = gain * HOURS_PER_YEAR * 60.0
    assert res.metrics["downtime_saved_min"] == pytest.approx(minutes, rel=1e-6)
    assert protection(net, "a", "c", status={"existing", "proposed"}).availability == pytest.approx(
        after, abs=1e-12
    )
    # reported only by default; a weight adds it to the score
    ctx2 = make_context(
        net, cands, _demand([("a", "c")]), weights=E.BenefitWeights(availability=0.5)
    )
    res2 = E.evaluate_singles(ctx2)[0]
    assert res2.score == pytest.approx(res.score + 0.5 * minutes, rel=1e-9)
    row = res.to_dict()
    assert row["segments"] == ["ac"]
    assert row["downtime_saved_min"] == pytest.approx(minutes, rel=1e-5)


def _line_network(
    links: list[tuple[str, str, str, str, str, list[tuple[float, float]]]],
) -> Network:
    """Sites x (0, 0), m (0.5, 0), y (1, 0), n (0.5, 1) and the given links
    (id, a, b, status, srlg, points)."""
    import geopandas as gpd
    import shapely

    sites = gpd.GeoDataFrame(
        [
            {"id": i, "name": i.upper(), "kind": "city", "country": "KZ", "geometry": pt}
            for i, pt in (
                ("x", shapely.Point(0, 0)),
                ("m", shapely.Point(0.5, 0)),
                ("y", shapely.Point(1, 0)),
                ("n", shapely.Point(0.5, 1)),
            )
        ],
        crs="EPSG:4326",
    )
    table = gpd.GeoDataFrame(
        [
            {
                "id": i,
                "a": a,
                "b": b,
                "kind": "terrestrial",
                "status": status,
                "system": "Sys-" + i,
                "srlg": srlg,
                "geometry": shapely.LineString(pts),
            }
            for i, a, b, status, srlg, pts in links
        ],
        crs="EPSG:4326",
    )
    return build_network(sites, table)


def test_srlg_backup_mode_hand_computed(tmp_path: Path) -> None:
    # one route x - m - y in duct-9; the candidate x - y is link-disjoint but in the same duct
    net0 = _line_network(
        [
            ("xm", "x", "m", "existing", "duct-9", [(0, 0), (0.5, 0)]),
            ("my", "m", "y", "existing", "", [(0.5, 0), (1, 0)]),
        ]
    )
    f = _write(
        tmp_path / "c.csv",
        "id,a,b,kind,capex_eur_m,waypoints,srlg\nxy,x,y,terrestrial,5,0.5 0.3,duct-9\n",
    )
    net, cands = candidate_network(net0, read_candidates(net0, f), include_network=False)
    out = {}
    for mode in ("link", "srlg"):
        ctx = make_context(net, cands, _demand([("x", "y")]), backup_mode=mode)
        assert ctx.backup_mode == mode
        out[mode] = E.evaluate_singles(ctx)[0].metrics
    assert out["link"]["backup_pairs_gained"] == 1
    assert out["link"]["backup_gain_pp"] == pytest.approx(100.0)
    assert out["srlg"]["backup_pairs_gained"] == 0
    assert out["srlg"]["backup_gain_pp"] == 0.0
    assert out["link"]["score"] == pytest.approx(out["srlg"]["score"] + 100.0)
    # availability: the duct is one element shared by both routes, counted once
    route = _a_link(net, "xm") * _a_link(net, "my") * A_SITE
    direct = _a_link(net, "xy")
    before = route * A_CONDUIT
    after = route * A_CONDUIT + direct * A_CONDUIT - route * direct * A_CONDUIT
    for mode in ("link", "srlg"):  # no SRLG-disjoint pair: the link pair stands in
        assert out[mode]["availability_gain_bp"] == pytest.approx(1e4 * (after - before), rel=1e-6)
    r = analyze(
        net0, candidates=read_candidates(net0, f), include_network=False,
        demand=_demand([("x", "y")]), backup_mode="srlg", with_sensitivity=False,
    )  # fmt: skip
    assert r.to_dict()["backup_mode"] == "srlg"
    assert r.ranking[0].metrics["backup_pairs_gained"] == 0


def test_srlg_backup_when_the_duct_differs(tmp_path: Path) -> None:
    net0 = _line_network(
        [
            ("xm", "x", "m", "existing", "duct-9", [(0, 0), (0.5, 0)]),
            ("my", "m", "y", "existing", "", [(0.5, 0), (1, 0)]),
        ]
    )
    f = _write(
        tmp_path / "c.csv",
        "id,a,b,kind,capex_eur_m,waypoints,srlg\nxy,x,y,terrestrial,5,0.5 0.3,duct-7\n",
    )
    net, cands = candidate_network(net0, read_candidates(net0, f), include_network=False)
    for mode in ("link", "srlg"):
        ctx = make_context(net, cands, _demand([("x", "y")]), backup_mode=mode)
        assert E.evaluate_singles(ctx)[0].metrics["backup_pairs_gained"] == 1


def test_group_of_two_segments_hand_computed() -> None:
    import geopandas as gpd
    import shapely

    sites = gpd.GeoDataFrame(
        [
            {"id": i, "name": i.upper(), "kind": "city", "country": "KZ", "geometry": pt}
            for i, pt in (
                ("p", shapely.Point(0, 0)),
                ("m", shapely.Point(1, 1)),
                ("q", shapely.Point(2, 0)),
            )
        ],
        crs="EPSG:4326",
    )
    rows = [  # the only route p - q makes a long detour; m has no link yet
        ("pq", "p", "q", "existing", "Old", None, [(0, 0), (1, -3), (2, 0)]),
        ("pm", "p", "m", "planned", "NewSys", 3.0, [(0, 0), (1, 1)]),
        ("mq", "m", "q", "planned", "NewSys", 4.0, [(1, 1), (2, 0)]),
    ]
    links = gpd.GeoDataFrame(
        [
            {"id": i, "a": a, "b": b, "kind": "terrestrial", "status": st_, "system": sy,
             "srlg": "", "capex_eur_m": cx, "geometry": shapely.LineString(pts)}
            for i, a, b, st_, sy, cx, pts in rows
        ],
        crs="EPSG:4326",
    )  # fmt: skip
    net = build_network(sites, links)
    demand = _demand([("p", "q")])
    alone = analyze(net, demand=demand, with_sensitivity=False)
    assert sorted(r.candidate.id for r in alone.ranking) == ["mq", "pm"]
    assert all(r.score == 0.0 for r in alone.ranking)
    grouped = analyze(net, demand=demand, group="system", budget_eur_m=10, with_sensitivity=False)
    (g,) = grouped.ranking
    assert g.candidate.id == "NewSys" and g.candidate.is_group
    assert g.candidate.link_ids == ("pm", "mq")
    assert (g.candidate.a, g.candidate.b) == ("p", "q")
    assert g.candidate.capex_eur_m == pytest.approx(7.0)
    lat = dict(zip(net.links["id"], net.links["latency_ms"], strict=True))
    delay = dict(zip(net.sites["id"], net.sites["delay_ms"], strict=True))
    m = g.metrics
    assert m["rtt_saved_ms"] == pytest.approx(
        2 * (lat["pq"] - (lat["pm"] + delay["m"] + lat["mq"]))
    )
    # worst failure: before, cutting p-q disconnects (1000 ms); after, the detour is left
    assert m["worst_rtt_saved_ms"] == pytest.approx(1000.0 - 2 * lat["pq"])
    assert m["backup_pairs_gained"] == 1
    upper = _a_link(net, "pm") * _a_link(net, "mq") * A_SITE
    lower = _a_link(net, "pq")
    after = upper + lower - upper * lower
    assert m["availability_gain_bp"] == pytest.approx(1e4 * (after - lower), rel=1e-6)
    assert g.score > 0
    assert g.score == pytest.approx(m["rtt_saved_ms"] + 0.5 * m["worst_rtt_saved_ms"] + 100.0)
    assert grouped.best is not None and grouped.best.ids == ("NewSys",)
    assert grouped.to_dict()["ranking"][0]["segments"] == ["pm", "mq"]


def test_file_groups(tiny: Network, tmp_path: Path) -> None:
    f = _write(
        tmp_path / "g.csv",
        "id,a,b,kind,capex_eur_m,group,group_capex_eur_m\n"
        "ae,a,e,terrestrial,,G1,12\n"
        "ec,e,c,terrestrial,,G1,12\n"
        "ac,a,c,terrestrial,10,,\n",
    )
    _net, cands = candidate_network(tiny, read_candidates(tiny, f), include_network=False)
    by_id = {c.id: c for c in cands}
    assert set(by_id) == {"G1", "ac"}
    assert by_id["G1"].link_ids == ("ae", "ec") and by_id["G1"].capex_eur_m == 12.0
    assert not by_id["ac"].is_group
    summed = _write(
        tmp_path / "s.csv",
        "id,a,b,kind,capex_eur_m,group\nae,a,e,terrestrial,5,G2\nec,e,c,terrestrial,6,G2\n",
    )
    _net, cands = candidate_network(tiny, read_candidates(tiny, summed), include_network=False)
    assert [c.id for c in cands] == ["G2"] and cands[0].capex_eur_m == pytest.approx(11.0)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "id,a,b,kind,capex_eur_m,group,group_capex_eur_m\n"
            "ae,a,e,terrestrial,,G1,12\nec,e,c,terrestrial,,G1,13\n",
            "group_capex_eur_m differs between its rows",
        ),
        (
            "id,a,b,kind,capex_eur_m,group\nae,a,e,terrestrial,,G1\nec,e,c,terrestrial,4,G1\n",
            "no capex_eur_m and the group gives no group_capex_eur_m",
        ),
        ("id,a,b,kind,capex_eur_m,group_capex_eur_m\nae,a,e,terrestrial,3,9\n", "needs a group"),
        ("id,a,b,kind,capex_eur_m,group\nae,a,e,terrestrial,3,ab1\n", "has the id of a link"),
    ],
)
def test_bad_groups(tiny: Network, tmp_path: Path, text: str, match: str) -> None:
    f = _write(tmp_path / "bad.csv", text)
    with pytest.raises(DataError, match=match) as info:
        read_candidates(tiny, f)
    assert "\n" not in str(info.value)


def test_unknown_group_key_and_backup_mode() -> None:
    tiny = _tiny_with_capex()
    with pytest.raises(RequestError, match="unknown grouping 'country'; use one of none, system"):
        analyze(tiny, demand=_demand([("a", "c")]), group="country", with_sensitivity=False)
    with pytest.raises(RequestError, match="unknown backup mode 'node'"):
        analyze(tiny, demand=_demand([("a", "c")]), backup_mode="node", with_sensitivity=False)
    with pytest.raises(RequestError, match="availability"):
        E.BenefitWeights(availability=-1.0)


@st.composite
def jittered(draw: st.DrawFn) -> tuple[nx.Graph, list[tuple[int, int, float]]]:
    """:func:`graphs` with distinct latencies (no equal-cost ties between disjoint pairs)."""
    g, cands = draw(graphs())
    for k, (_u, _v, key) in enumerate(g.edges(keys=True)):
        g.edges[_u, _v, key]["latency_ms"] += 1e-4 * (k + 1) ** 1.5
    cands = [(a, b, w + 3e-4 * (k + 1) ** 1.7) for k, (a, b, w) in enumerate(cands)]
    return g, cands


@settings(max_examples=30, deadline=None)
@given(jittered())
def test_protection_shortcut_equals_routing(case: tuple) -> None:
    """Availability and backup after one link: the incremental update vs the routing and
    resilience modules (disjoint_pair + paths_availability) on the graph with that link."""
    from corridor._errors import NoRouteError
    from corridor.resilience.availability import paths_availability
    from corridor.routing import disjoint_pair

    g, cands = case
    if not cands:
        return
    ctx, _full = _ctx_from_graph(g, cands, 0.1)
    net = ctx.net
    state = E._State(ctx, ())
    cand_links = [net.lookup.link_id[c.link] for c in ctx.candidates]
    for i in range(len(cands)):
        fast = state.add_one(ctx, i)
        slow = set_metrics(ctx, [i])
        np.testing.assert_allclose(fast.availability, slow.availability, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(fast.backup, slow.backup)
        avoid = [x for j, x in enumerate(cand_links) if j != i]
        for k, (s, t) in enumerate(ctx.demand.pairs):
            try:
                pair = disjoint_pair(net, s, t, mode="link", avoid=avoid or None)
                ref = paths_availability(net, pair.paths[:2])
            except NoRouteError:
                ref = 0.0
            assert fast.availability[k] == pytest.approx(ref, abs=1e-12)
    # every candidate at once: the set update from the base network
    every = set_metrics(ctx, list(range(len(cands))))
    assert every.availability is not None
    for k, (s, t) in enumerate(ctx.demand.pairs):
        pair = disjoint_pair(net, s, t, mode="link")
        assert every.availability[k] == pytest.approx(paths_availability(net, pair.paths[:2]))


# -- CLI --------------------------------------------------------------------------------------
def _parser(net: Network, monkeypatch: pytest.MonkeyPatch) -> argparse.ArgumentParser:
    from corridor.cli import invest

    monkeypatch.setattr(invest, "load_network_from_args", lambda args: net)
    parser = argparse.ArgumentParser(prog="corridor")
    invest.register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_cli_json_and_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = _tiny_with_capex()
    cands = _write(tmp_path / "c.csv", "id,a,b,kind,capex_eur_m\nac,a,c,terrestrial,10\n")
    demand = _write(tmp_path / "d.csv", "source,target,weight\na,c,1\nb,d,2\n")
    args = _parser(tiny, monkeypatch).parse_args(
        [
            "invest",
            "--budget",
            "50",
            "--candidates",
            str(cands),
            "--demand",
            str(demand),
            "--csv",
            str(tmp_path / "r.csv"),
            "--report",
            str(tmp_path / "rep"),
            "--json",
        ]
    )
    assert args.func(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ranking"][0]["id"] == "ac"
    assert data["portfolio"]["best"]["ids"] == ["ac"]
    assert (tmp_path / "r.csv").read_text().startswith("rank,id,")
    html = (tmp_path / "rep" / "invest-report.html").read_text()
    assert "data:image/png;base64," in html


def test_cli_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = _tiny_with_capex()
    demand = _write(tmp_path / "d.csv", "source,target\na,c\n")
    args = _parser(tiny, monkeypatch).parse_args(
        ["invest", "--demand", str(demand), "--no-sensitivity"]
    )
    assert args.func(args) == 1  # the only option (planned b-e) helps nobody
    out = capsys.readouterr().out
    assert "be" in out and "no candidate improves" in out


# -- golden run on the shipped data -------------------------------------------------------------
def test_shipped_budget_300(shipped: Network, tmp_path: Path) -> None:
    r = analyze(shipped, budget_eur_m=300, exact_max=6, with_sensitivity=False)
    assert len(r.ranking) == int(shipped.links["status"].isin(["planned", "proposed"]).sum())
    assert r.ranking[0].score > 0
    assert r.best is not None and 0 < r.best.capex_eur_m <= 300
    assert r.exact is not None and r.greedy_on_pool is not None
    assert r.greedy_on_pool.score <= r.exact.score + 1e-9
    assert len(r.context.demand) == 32 * 23  # European x East Asian cities
    assert write_csv(r, tmp_path / "x.csv").exists()
    assert write_report(r, tmp_path).exists()


def test_invest_is_wired_into_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    from corridor.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["invest", "--help"])
    assert exc.value.code == 0
    assert "--budget" in capsys.readouterr().out
