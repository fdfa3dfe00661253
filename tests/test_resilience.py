"""Resilience analysis: failure sweeps, availability, diversity and the CLI command."""

from __future__ import annotations

import argparse
import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path as FsPath

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor import Network, NoRouteError, RequestError, UnknownSiteError, build_network
from corridor.resilience import availability as av
from corridor.resilience import default_pairs, sweep
from corridor.resilience.diversity import diversity, diversity_rows, path_diversity
from corridor.routing import Path, disjoint_pair, k_shortest_paths, shortest_path
from tests.conftest import tiny_tables

# -- failure sweeps ----------------------------------------------------------------------------


def rtt(net: Network, s: str, t: str, **kw: object) -> float | None:
    try:
        return shortest_path(net, s, t, **kw).best.rtt_ms  # type: ignore[arg-type]
    except NoRouteError:
        return None


def test_link_sweep_on_tiny_matches_rerouting_by_hand(tiny: Network) -> None:
    res = sweep(tiny, [("a", "c")], scenarios="links", sla_rtt_ms=10.0)
    t = res.table.set_index("scenario")
    # existing links only: the planned b-e is not failed on its own
    assert list(t.index) == ["ab1", "ab2", "bc", "ad", "dc"] or set(t.index) == {
        "ab1",
        "ab2",
        "bc",
        "ad",
        "dc",
    }
    base = rtt(tiny, "a", "c")
    assert res.baseline["links"].iat[0] == ("ab1", "bc")
    assert res.baseline["rtt_ms"].iat[0] == pytest.approx(base)
    for link in ("ab1", "ab2", "bc", "ad", "dc"):
        row = t.loc[link]
        assert row["hit"] == (link in ("ab1", "bc"))
        assert row["connected"]
        assert row["rtt_ms"] == pytest.approx(rtt(tiny, "a", "c", avoid=link))
        assert row["rtt_increase_ms"] == pytest.approx(row["rtt_ms"] - base, abs=1e-9)
        assert row["sla_ok"] == (row["rtt_ms"] <= 10.0)
    assert t.loc["ad", "rtt_increase_ms"] == 0.0
    assert t.loc["ab1", "rtt_increase_ms"] > 0


def test_srlg_site_and_country_scenarios(tiny: Network) -> None:
    srlg = sweep(tiny, [("a", "c")], scenarios="srlgs").table.set_index("scenario")
    assert set(srlg.index) == {"duct-1", "sea-1"}
    assert srlg.loc["duct-1", "rtt_ms"] == pytest.approx(rtt(tiny, "a", "c", avoid="duct-1"))
    sites = sweep(tiny, [("a", "c")], scenarios="sites").table.set_index("scenario")
    assert bool(sites.loc["a", "endpoint_failed"]) and not sites.loc["a", "connected"]
    assert sites.loc["a", "rtt_ms"] is pd.NA
    assert not sites.loc["b", "endpoint_failed"] and sites.loc["b", "connected"]
    assert sites.loc["b", "rtt_ms"] == pytest.approx(rtt(tiny, "a", "c", avoid="b"))
    # the datacenter e is a site scenario too (it is usable even with only planned links)
    assert "e" in sites.index and not sites.loc["e", "hit"]
    countries = sweep(tiny, [("a", "c")], scenarios="countries").table.set_index("scenario")
    assert set(countries.index) == {"KZ", "CN", "RU"}
    assert not countries.loc["RU", "hit"] and countries.loc["RU", "rtt_increase_ms"] == 0
    assert countries.loc["CN", "endpoint_failed"]


def test_disconnection_is_a_boolean_and_none(tiny: Network) -> None:
    res = sweep(tiny, [("a", "c"), ("a", "b")], scenarios=[["bc", "dc"], "b"])
    t = res.table
    row = t[(t["scenario"] == "bc + dc") & (t["target"] == "c")].iloc[0]
    assert row["kind"] == "custom" and not row["connected"] and not row["endpoint_failed"]
    assert row["rtt_ms"] is pd.NA and row["rtt_increase_ms"] is pd.NA
    stranded = res.stranded()
    assert len(stranded) == 1 and stranded["target"].iat[0] == "c"
    rec = next(r for r in res.records() if r["scenario"] == "bc + dc" and r["target"] == "c")
    assert rec["rtt_ms"] is None and rec["one_way_ms"] is None and rec["connected"] is False
    for col in ("one_way_ms", "rtt_ms", "rtt_increase_ms"):
        values = t[col].dropna().astype(float).to_numpy()
        assert np.isfinite(values).all()
    text = json.dumps(res.to_dict(rows=True))
    assert "NaN" not in text and "Infinity" not in text
    summary = res.summary().set_index("scenario")
    assert summary.loc["bc + dc", "pairs_disconnected"] == 1
    assert summary.loc["b", "pairs_endpoint_failed"] == 1
    assert res.worst(1)["scenario"].iat[0] == "bc + dc"
    pairs = res.pair_summary().set_index("target")
    assert pairs.loc["c", "scenarios_disconnecting"] == 1


def test_link_pairs_are_restricted_to_links_of_baseline_routes(tiny: Network) -> None:
    res = sweep(tiny, [("a", "c")], scenarios="link-pairs")
    assert [s.name for s in res.scenarios] == ["ab1 + bc"]
    row = res.table.iloc[0]
    assert row["rtt_ms"] == pytest.approx(rtt(tiny, "a", "c", avoid=["ab1", "bc"]))


def test_sweep_bad_input(tiny: Network) -> None:
    with pytest.raises(UnknownSiteError, match="'nowhere'"):
        sweep(tiny, [("a", "c")], scenarios=["nowhere"])
    with pytest.raises(UnknownSiteError, match="Zulu"):
        sweep(tiny, [("a", "Zulu")])
    with pytest.raises(NoRouteError, match="a -> e"):
        sweep(tiny, [("a", "c"), ("a", "e")])
    res = sweep(tiny, [("a", "c"), ("a", "e")], unreachable="drop")
    assert res.stats["pairs"] == 1 and res.stats["dropped_unreachable_pairs"] == [["a", "e"]]
    with pytest.raises(RequestError, match="SLA"):
        sweep(tiny, [("a", "c")], sla_rtt_ms=0)
    with pytest.raises(RequestError, match="scenario family 'cables'"):
        sweep(tiny, [("a", "c")], scenarios="cables")
    with pytest.raises(RequestError, match="same site"):
        sweep(tiny, [("a", "Alpha")])


COUNTRIES = ["KZ", "RU", "CN"]


@st.composite
def small_networks(draw: st.DrawFn) -> Network:
    n = draw(st.integers(3, 8))
    graph = nx.MultiGraph()
    for v in range(n):
        graph.add_node(f"n{v}", country=draw(st.sampled_from(COUNTRIES)), lon=v, lat=0.0)
    for _ in range(draw(st.integers(n - 1, 3 * n))):
        u, v = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        w = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 8.0]))  # ties and zero weights
        graph.add_edge(f"n{u}", f"n{v}", latency_ms=w, srlg=draw(st.sampled_from(["", "g1", "g2"])))
    return Network.from_networkx(graph)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    net=small_networks(),
    family=st.sampled_from(["links", "srlgs", "sites", "link-pairs", "countries"]),
)
def test_incremental_equals_full_recompute(net: Network, family: str) -> None:
    ids = net.lookup.site_id
    pairs = [(a, b) for a, b in itertools.permutations(ids, 2)]
    inc = sweep(net, pairs, scenarios=family, unreachable="drop")
    full = sweep(net, pairs, scenarios=family, unreachable="drop", incremental=False)
    a, b = inc.table, full.table
    assert a["connected"].equals(b["connected"])
    assert a["endpoint_failed"].equals(b["endpoint_failed"])
    x = a["rtt_ms"].to_numpy(dtype=float, na_value=np.nan)
    y = b["rtt_ms"].to_numpy(dtype=float, na_value=np.nan)
    assert np.allclose(x, y, equal_nan=True, rtol=0, atol=1e-9)
    assert inc.stats["pairs_recomputed"] <= full.stats["pairs_recomputed"]
    # and both agree with an independent single-pair search with the elements avoided
    for sc in inc.scenarios[:2]:
        rows = a[(a["scenario"] == sc.name) & a["hit"]].head(6)
        for rec in rows.itertuples(index=False):
            if rec.endpoint_failed:
                continue
            avoid = [net.lookup.link_id[i] for i in sc.links] + [ids[v] for v in sc.sites]
            expect = rtt(net, rec.source, rec.target, avoid=avoid) if avoid else rec.rtt_ms
            if expect is None:
                assert not rec.connected
            else:
                assert rec.rtt_ms == pytest.approx(expect, abs=1e-9)


def test_shipped_link_sweep(shipped: Network) -> None:
    pairs = default_pairs(shipped)
    assert len(pairs) == 32 * 23
    res = sweep(shipped, pairs, scenarios="links", sla_rtt_ms=150.0)
    assert res.stats["scenarios"] == int((shipped.links["status"] == "existing").sum())
    assert res.stats["rows"] == len(res.table) == res.stats["scenarios"] * 32 * 23
    assert res.stats["pairs_recomputed"] < res.stats["rows"] / 5
    crit = res.criticality()
    assert crit["rank"].tolist() == list(range(1, len(crit) + 1))
    # spot check against an independent search
    row = res.table[(res.table["scenario"] == crit["scenario"].iat[5]) & res.table["hit"]].iloc[0]
    expect = rtt(shipped, row["source"], row["target"], avoid=row["scenario"])
    assert row["rtt_ms"] == pytest.approx(expect)


# -- availability ------------------------------------------------------------------------------

HARSH = av.AvailabilityModel(
    cut_rate_terrestrial=200.0,
    cut_rate_submarine=300.0,
    mttr_terrestrial_h=100.0,
    mttr_submarine_h=200.0,
    site_availability=0.9,
    chokepoint_rate=2.0,
    conduit_rate=3.0,
    conduit_mttr_h=300.0,
)


def enumerate_availability(
    elements: list[dict[tuple[str, object], float]],
) -> float:
    """P(at least one path up) by summing over every up/down state of the union of elements."""
    union: dict[tuple[str, object], float] = {}
    for e in elements:
        union.update(e)
    keys = list(union)
    total = 0.0
    for state in itertools.product([True, False], repeat=len(keys)):
        up = dict(zip(keys, state, strict=True))
        p = math.prod(union[k] if s else 1 - union[k] for k, s in up.items())
        if any(all(up[k] for k in e) for e in elements):
            total += p
    return total


def tiny_paths(net: Network) -> dict[str, Path]:
    paths = {}
    for p in k_shortest_paths(net, "a", "c", 3).paths:
        paths["+".join(p.links)] = p
    return paths


def test_link_availability_formula() -> None:
    m = av.AvailabilityModel()
    lam = 0.17 * 2000 / 1000  # faults per year on 2,000 km of submarine cable
    expect = 1 / (1 + lam * 720 / (365.25 * 24))
    assert m.link_availability("submarine", 2000.0) == pytest.approx(expect)
    lam_t = 0.3 * 500 / 1000
    assert m.link_availability("terrestrial", 500.0) == pytest.approx(1 / (1 + lam_t * 12 / 8766))
    assert pytest.approx(26.3, abs=0.05) == av.TIER_IV_DOWNTIME_MIN
    assert av.downtime_minutes(0.99995) == pytest.approx(av.TIER_IV_DOWNTIME_MIN)


def test_protected_pair_equals_enumeration_and_counts_shared_once(tiny: Network) -> None:
    paths = tiny_paths(tiny)
    p1, p2 = paths["ab1+bc"], paths["ab2+bc"]  # share site b, link bc and SRLG duct-1
    e1 = av.element_availabilities(tiny, p1, HARSH)
    e2 = av.element_availabilities(tiny, p2, HARSH)
    assert set(e1) == {("link", "ab1"), ("link", "bc"), ("site", "b"), ("srlg", "duct-1")}
    exact = enumerate_availability([e1, e2])
    got = av.paths_availability(tiny, [p1, p2], model=HARSH)
    assert got == pytest.approx(exact, abs=1e-12)
    a1 = av.path_availability(tiny, p1, model=HARSH)
    a2 = av.path_availability(tiny, p2, model=HARSH)
    independent = 1 - (1 - a1) * (1 - a2)
    assert got < independent - 1e-3  # shared elements must not be double-counted
    three = list(paths.values())
    assert len(three) == 3
    elems = [av.element_availabilities(tiny, p, HARSH) for p in three]
    assert av.paths_availability(tiny, three, model=HARSH) == pytest.approx(
        enumerate_availability(elems), abs=1e-12
    )


def test_availability_against_seeded_monte_carlo(tiny: Network) -> None:
    paths = tiny_paths(tiny)
    chosen = [paths["ab1+bc"], paths["ad+dc"]]
    elems = [av.element_availabilities(tiny, p, HARSH) for p in chosen]
    keys = sorted({k for e in elems for k in e}, key=str)
    probs = np.array([next(e[k] for e in elems if k in e) for k in keys])
    rng = np.random.default_rng(20240224)
    n = 200_000
    up = rng.random((n, len(keys))) < probs
    col = {k: i for i, k in enumerate(keys)}
    path_up = [up[:, [col[k] for k in e]].all(axis=1) for e in elems]
    estimate = float((path_up[0] | path_up[1]).mean())
    exact = av.paths_availability(tiny, chosen, model=HARSH)
    sigma = math.sqrt(exact * (1 - exact) / n)
    assert abs(estimate - exact) < 4 * sigma
    single = float(path_up[0].mean())
    a1 = av.path_availability(tiny, chosen[0], model=HARSH)
    assert abs(single - a1) < 4 * math.sqrt(a1 * (1 - a1) / n)


def test_srlg_events_and_endpoints_options(tiny: Network) -> None:
    p = tiny_paths(tiny)["ab1+bc"]
    off = av.AvailabilityModel(srlg_events=False)
    assert ("srlg", "duct-1") not in av.element_availabilities(tiny, p, off)
    ends = av.AvailabilityModel(include_endpoints=True, site_overrides={"a": 0.5})
    assert av.element_availabilities(tiny, p, ends)[("site", "a")] == 0.5
    sea = av.AvailabilityModel(srlg_rates={"sea-1": 0.0})
    assert sea.srlg_availability("sea-1") == 1.0
    assert av.AvailabilityModel().srlg_availability(
        "red-sea"
    ) < av.AvailabilityModel().srlg_availability("malacca")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mttr_terrestrial_h": 0.0}, "mttr terrestrial"),
        ({"mttr_submarine_h": -5.0}, "mttr submarine"),
        ({"cut_rate_submarine": -0.1}, "cut rate submarine"),
        ({"chokepoint_rate": float("nan")}, "chokepoint rate"),
        ({"site_availability": 1.5}, "site availability"),
        ({"srlg_rates": {"red-sea": -1.0}}, "red-sea"),
    ],
)
def test_availability_model_rejects_bad_parameters(kwargs: dict, match: str) -> None:
    with pytest.raises(RequestError, match=match):
        av.AvailabilityModel(**kwargs)


def test_protection_modes(tiny: Network) -> None:
    prot = av.protection(tiny, "Alpha", "Charlie")
    assert prot.mode == "srlg"
    assert [p.links for p in prot.paths] == [("ab1", "bc"), ("ad", "dc")]
    assert prot.availability > prot.primary_availability
    assert prot.meets_tier_iv == (prot.availability >= av.TIER_IV_AVAILABILITY)
    assert prot.to_dict()["downtime_min_per_year"] == pytest.approx(prot.downtime_min, abs=1e-3)
    # make both routes share a conduit: no SRLG-disjoint pair, link-disjoint it is
    sites, links = tiny_tables()
    links.loc[links["id"] == "ad", "srlg"] = "duct-1"
    shared = build_network(sites, links)
    prot = av.protection(shared, "a", "c")
    assert prot.mode == "link"
    assert prot.shared["srlgs"] == ("duct-1",)
    # one route only (b-e is the only link to e)
    alone = av.protection(tiny, "b", "e", status="all")
    assert alone.mode == "none" and len(alone.paths) == 1
    assert alone.availability == pytest.approx(alone.primary_availability)
    with pytest.raises(NoRouteError):
        av.protection(tiny, "a", "e")


def test_frankfurt_shanghai_protection(shipped: Network) -> None:
    prot = av.protection(shipped, "Frankfurt", "Shanghai")
    assert prot.mode == "srlg"
    assert not set(prot.paths[0].srlgs) & set(prot.paths[1].srlgs)
    # primary: the northern route (Baltic cable, Trans-Siberian); backup via Kazakhstan and Wuhan
    assert 0.98 < prot.primary_availability < prot.availability < 1.0
    assert prot.downtime_min == pytest.approx((1 - prot.availability) * 525960)


# -- diversity ---------------------------------------------------------------------------------


def test_diversity_on_tiny(tiny: Network) -> None:
    paths = tiny_paths(tiny)
    d = diversity(tiny, [paths["ab1+bc"], paths["ab2+bc"]])
    assert d.shared_links == ("bc",)
    assert d.shared_sites == ("b",)
    assert d.shared_srlgs == ("duct-1",)
    assert d.shared_countries == ("KZ", "CN")
    assert d.shared_transit_countries == ()
    assert d.path_diversity == pytest.approx((1 - 2 / 3,))  # {bc, b} of {ab1, b, bc}
    assert d.epd == pytest.approx(1 - math.exp(-1 / 3))
    assert d.min_separation_km == 0.0  # they run together from b to c
    disjoint = diversity(tiny, disjoint_pair(tiny, "a", "c", mode="srlg"), lam=2.0)
    assert disjoint.shared_links == () and disjoint.path_diversity == (1.0,)
    assert disjoint.epd == pytest.approx(1 - math.exp(-2.0))
    assert disjoint.min_separation_km is not None and disjoint.min_separation_km > 50
    assert path_diversity(paths["ab1+bc"], paths["ab1+bc"]) == 0.0


def test_separation_of_parallel_routes_is_one_degree_of_latitude() -> None:
    import geopandas as gpd
    import shapely

    sites = gpd.GeoDataFrame(
        [
            {"id": i, "name": i, "kind": "city", "country": "KZ", "geometry": shapely.Point(x, y)}
            for i, x, y in [("s", 0, 0), ("m1", 5, 0), ("m2", 5, 1), ("t", 10, 0)]
        ],
        crs="EPSG:4326",
    )
    lines = [
        ("s-m1", "s", "m1", [(0, 0), (5, 0)]),
        ("m1-t", "m1", "t", [(5, 0), (10, 0)]),
        ("s-m2", "s", "m2", [(0, 0), (1, 1), (5, 1)]),
        ("m2-t", "m2", "t", [(5, 1), (9, 1), (10, 0)]),
    ]
    links = gpd.GeoDataFrame(
        [
            {
                "id": i,
                "a": a,
                "b": b,
                "kind": "terrestrial",
                "status": "existing",
                "system": i,
                "srlg": "",
                "geometry": shapely.LineString(pts),
            }
            for i, a, b, pts in lines
        ],
        crs="EPSG:4326",
    )
    net = build_network(sites, links)
    pair = disjoint_pair(net, "s", "t")
    d = diversity(net, pair, endpoint_exclusion_km=200.0)
    assert d.min_separation_km == pytest.approx(110.57, abs=0.3)  # WGS84, lat 0 to lat 1
    near = diversity(net, pair, endpoint_exclusion_km=10.0)
    assert near.min_separation_km is not None and near.min_separation_km < 20


def test_diversity_bad_input(tiny: Network) -> None:
    ac = shortest_path(tiny, "a", "c").best
    ab = shortest_path(tiny, "a", "b").best
    with pytest.raises(RequestError, match="different endpoints"):
        diversity(tiny, [ac, ab])
    with pytest.raises(RequestError, match="at least one path"):
        diversity(tiny, [])
    rows = dict(diversity_rows(tiny, k_shortest_paths(tiny, "a", "c", 2)))
    assert rows["shared links"] == "1: bc"
    assert "paths" in dict(diversity_rows(tiny, shortest_path(tiny, "a", "c")))


# -- CLI ---------------------------------------------------------------------------------------


def harness() -> argparse.ArgumentParser:
    from corridor.cli import build_parser

    return build_parser()


@pytest.fixture
def tiny_files(write_tables: Callable[..., tuple[FsPath, FsPath]]) -> list[str]:
    sites, links = tiny_tables()
    sp, lp = write_tables(sites, links)
    return ["--sites", str(sp), "--links", str(lp)]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    args = harness().parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_pair(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["resilience", "Alpha", "Charlie", "--sla-rtt", "5", *tiny_files], capsys)
    assert code == 0
    assert "SRLG-disjoint pair" in out and "Tier IV" in out
    assert "single failures that hurt most" in out and "endpoint failures" in out
    code, out, _ = run(
        ["resilience", "a", "c", "--json", "--mttr-submarine-days", "60", *tiny_files], capsys
    )
    data = json.loads(out)
    assert code == 0 and data["protection"]["mode"] == "srlg"
    assert data["protection"]["model"]["mttr_submarine_h"] == 60 * 24
    assert {r["scenario"] for r in data["single_failures"]} >= {"ab1", "bc", "duct-1"}
    assert all(r["endpoint_failed"] for r in data["endpoint_failures"])


def test_cli_errors(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnknownSiteError, match="Zulu"):
        run(["resilience", "a", "Zulu", *tiny_files], capsys)
    with pytest.raises(SystemExit):  # refused while parsing: one line, exit 2
        run(["resilience", "a", "c", "--mttr-terrestrial-hours", "0", *tiny_files], capsys)
    assert "--mttr-terrestrial-hours" in capsys.readouterr().err
    with pytest.raises(RequestError, match="FROM and TO"):
        run(["resilience", "a", *tiny_files], capsys)
    with pytest.raises(RequestError, match="--via"):
        run(["resilience", "a", "c", "--via", "b", *tiny_files], capsys)
    with pytest.raises(RequestError, match="no default OD pairs"):
        run(["resilience", "--all-pairs", *tiny_files], capsys)


def test_cli_all_pairs_csv_and_json(tmp_path: FsPath, capsys: pytest.CaptureFixture[str]) -> None:
    out_csv = tmp_path / "out" / "sweep.csv"
    code, out, _ = run(
        [
            "resilience",
            "--all-pairs",
            "--scenarios",
            "srlgs",
            "--csv",
            str(out_csv),
            "--sla-rtt",
            "150",
            "--top",
            "3",
        ],
        capsys,
    )
    assert code == 0 and "worst scenarios" in out and "736 OD pairs" in out
    frame = pd.read_csv(out_csv)
    assert len(frame) % 736 == 0 and {"connected", "rtt_ms", "sla_ok"} <= set(frame.columns)
    cells = {c.lower() for line in out_csv.read_text().splitlines() for c in line.split(",")}
    assert not cells & {"inf", "-inf", "nan", "<na>"}
    assert sorted(p.name for p in out_csv.parent.iterdir()) == ["sweep.csv"]
    code, out, _ = run(["resilience", "--all-pairs", "--scenarios", "sites", "--json"], capsys)
    data = json.loads(out)
    assert data["stats"]["pairs"] == 736 and len(data["worst_scenarios"]) == 10


def test_cli_main(tiny_files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from corridor.cli import main

    code = main(["resilience", "a", "c", "--json", *tiny_files])
    assert code == 0 and json.loads(capsys.readouterr().out)["protection"]["mode"] == "srlg"
    assert main(["resilience", "a", "Zulu", *tiny_files]) == 2
    assert "unknown site 'Zulu'" in capsys.readouterr().err
    assert main(["route", "a", "c", "--k", "2", "--diversity", "--json", *tiny_files]) == 0
    assert "diversity" in json.loads(capsys.readouterr().out)
