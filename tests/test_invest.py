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
        g.add_node(i, lon=float(i), lat=0.0)
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
    # networkx sites have no country: give them one so the focus country resolves
    object.__setattr__(net, "sites", net.sites.assign(country="KZ"))
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
    assert ex.proven_optimal
    assert ex.score == pytest.approx(best, abs=1e-9)
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


# -- CLI --------------------------------------------------------------------------------------
def _parser(net: Network) -> argparse.ArgumentParser:
    from corridor._cli_invest import add_invest_command

    parser = argparse.ArgumentParser(prog="corridor")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true")

    add_invest_command(
        sub, common, load=lambda args: net, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    return parser


def test_cli_json_and_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tiny = _tiny_with_capex()
    cands = _write(tmp_path / "c.csv", "id,a,b,kind,capex_eur_m\nac,a,c,terrestrial,10\n")
    demand = _write(tmp_path / "d.csv", "source,target,weight\na,c,1\nb,d,2\n")
    args = _parser(tiny).parse_args(
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


def test_cli_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tiny = _tiny_with_capex()
    demand = _write(tmp_path / "d.csv", "source,target\na,c\n")
    args = _parser(tiny).parse_args(["invest", "--demand", str(demand), "--no-sensitivity"])
    assert args.func(args) == 1  # the only option (planned b-e) helps nobody
    out = capsys.readouterr().out
    assert "be" in out and "no candidate improves" in out


# -- golden run on the shipped data -------------------------------------------------------------
def test_shipped_budget_300(shipped: Network, tmp_path: Path) -> None:
    r = analyze(shipped, budget_eur_m=300, exact_max=6, with_sensitivity=False)
    assert len(r.ranking) == int((shipped.links["status"] != "existing").sum())
    assert r.ranking[0].score > 0
    assert r.best is not None and 0 < r.best.capex_eur_m <= 300
    assert r.exact is not None and r.greedy_on_pool is not None
    assert r.greedy_on_pool.score <= r.exact.score + 1e-9
    assert len(r.context.demand) == 640
    assert write_csv(r, tmp_path / "x.csv").exists()
    assert write_report(r, tmp_path).exists()


def test_invest_is_wired_into_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    from corridor.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["invest", "--help"])
    assert exc.value.code == 0
    assert "--budget" in capsys.readouterr().out
