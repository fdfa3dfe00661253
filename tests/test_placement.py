"""Placement analysis: exact solvers against brute force, heuristic, policy, bad input, CLI."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor import cli
from corridor._errors import (
    ConstraintError,
    DataError,
    RequestError,
    UnknownSiteError,
)
from corridor.network import Network
from corridor.placement import (
    InfeasiblePlacementError,
    Policy,
    PolicyError,
    default_demand,
    evaluate,
    load_policy,
    node_availability,
    place,
    placement_map,
    read_demand,
    solve_brute,
    solve_heuristic,
    solve_milp,
)
from corridor.placement.solvers import _less
from tests.conftest import tiny_tables

POLICY = Path(__file__).resolve().parents[1] / "data" / "policies" / "example.toml"


# -- solvers on random matrices ------------------------------------------------------------------
@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    d = draw(st.integers(2, 9))
    c = draw(st.integers(1, 6))
    p = draw(st.integers(1, c))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 40, size=(d, c)).astype(float)
    cost[rng.random((d, c)) < 0.15] = np.inf
    weights = rng.integers(1, 4, size=d).astype(float)
    return cost, weights, p, cost <= 20


@pytest.mark.parametrize("objective", ["median", "center", "coverage"])
@settings(max_examples=40, deadline=None)
@given(inst=instances())
def test_milp_equals_brute_force(
    objective: str, inst: tuple[np.ndarray, np.ndarray, int, np.ndarray]
) -> None:
    cost, weights, p, cover = inst
    kw: dict = {"objective": objective}
    if objective == "coverage":
        cost = np.where(np.isfinite(cost), cost, 100.0)
        kw["cover"] = cover
    try:
        brute = solve_brute(cost, weights, p, **kw)
    except InfeasiblePlacementError:
        with pytest.raises(InfeasiblePlacementError):
            solve_milp(cost, weights, p, **kw)
        return
    exact = solve_milp(cost, weights, p, **kw)
    assert exact.optimal and len(exact.chosen) == p
    assert exact.key == pytest.approx(brute.key, rel=1e-9, abs=1e-9)
    assert evaluate(cost, weights, exact.chosen, **kw) == pytest.approx(brute.key)
    try:
        heur = solve_heuristic(cost, weights, p, **kw)
    except InfeasiblePlacementError:
        return
    assert len(set(heur.chosen)) == p
    assert not _less(heur.key, brute.key)  # never better than the optimum


def test_heuristic_exact_for_p1_and_gap_small() -> None:
    rng = np.random.default_rng(7)
    cost = rng.uniform(5, 100, size=(30, 12))
    w = rng.uniform(0.5, 2, size=30)
    for p in (1, 2, 3, 4):
        exact = solve_milp(cost, w, p)
        heur = solve_heuristic(cost, w, p)
        assert heur.key[1] >= exact.key[1] - 1e-9
        assert heur.key[1] <= exact.key[1] * 1.05
    assert solve_heuristic(cost, w, 1).key == pytest.approx(solve_milp(cost, w, 1).key)


def test_solver_bad_arguments() -> None:
    cost = np.ones((2, 2))
    with pytest.raises(RequestError, match="larger than the number of candidates"):
        solve_milp(cost, np.ones(2), 3)
    with pytest.raises(RequestError, match="unknown objective"):
        solve_milp(cost, np.ones(2), 1, objective="mean")
    with pytest.raises(RequestError, match="cover matrix"):
        solve_milp(cost, np.ones(2), 1, objective="coverage")
    with pytest.raises(InfeasiblePlacementError):
        solve_milp(np.array([[1.0, np.inf], [np.inf, 1.0]]), np.ones(2), 1)


# -- hand-built networks -------------------------------------------------------------------------
def _net(edges: list[tuple[str, str, float]], countries: dict[str, str]) -> Network:
    g = nx.Graph()
    for node, code in countries.items():
        g.add_node(node, country=code)
    for a, b, ms in edges:
        g.add_edge(a, b, latency_ms=ms)
    return Network.from_networkx(g)


@pytest.fixture
def policy_net() -> Network:
    # Berlin -> Kazakhstan: fast via Russia (Moscow), slower via Turkey; Minsk sits in BY.
    return _net(
        [
            ("berlin", "moscow", 10.0),
            ("moscow", "astana", 10.0),
            ("berlin", "istanbul", 15.0),
            ("istanbul", "astana", 15.0),
            ("minsk", "moscow", 3.0),
            ("minsk", "gomel", 1.0),
            ("gomel", "berlin", 12.0),
            ("astana", "almaty", 5.0),
        ],
        {
            "berlin": "DE",
            "moscow": "RU",
            "astana": "KZ",
            "istanbul": "TR",
            "minsk": "BY",
            "gomel": "BY",
            "almaty": "KZ",
        },
    )


def test_place_matches_brute_force_on_network(policy_net: Network) -> None:
    demand = {"berlin": 2.0, "minsk": 1.0, "istanbul": 1.0}
    cands = ["astana", "almaty", "moscow", "istanbul"]
    for p in (1, 2, 3):
        for objective, sla in (("median", None), ("center", None), ("coverage", 50.0)):
            kw = {"candidates": cands, "demand": demand, "objective": objective, "p": p}
            exact = place(policy_net, sla_rtt_ms=sla, **kw)
            brute = place(policy_net, sla_rtt_ms=sla, method="brute", **kw)
            for a, b in zip(exact.placements, brute.placements, strict=True):
                assert a.value == pytest.approx(b.value)
                assert a.method == "milp" and b.method == "brute"


def test_policy_reroutes_and_endpoint_exception(policy_net: Network) -> None:
    policy = Policy(no_transit=frozenset({"RU", "BY"}))
    kw = {"candidates": ["astana"], "demand": {"berlin": 1.0, "minsk": 1.0}}
    free = place(policy_net, **kw)
    by = {a.demand: a for a in free.best.assignments}
    assert by["berlin"].rtt_ms == pytest.approx(2 * (20.0))
    assert "RU" in by["berlin"].countries
    ruled = place(policy_net, policy=policy, **kw)
    by = {a.demand: a for a in ruled.best.assignments}
    assert by["berlin"].rtt_ms == pytest.approx(2 * 30.0)  # via Istanbul
    assert by["berlin"].countries == ("DE", "TR", "KZ")
    # Minsk (in BY) may leave through BY (Gomel) but never through RU
    assert by["minsk"].countries == ("BY", "DE", "TR", "KZ")
    assert by["minsk"].rtt_ms == pytest.approx(2 * (1.0 + 12.0 + 15.0 + 15.0))
    for a in ruled.best.assignments:
        own = policy_net.sites["country"].iat[policy_net.site_index(a.demand)]
        assert not (set(a.countries) - {own}) & policy.no_transit


def test_policy_makes_pair_infeasible(policy_net: Network) -> None:
    policy = Policy(no_transit=frozenset({"RU", "TR"}), source="p.toml")
    with pytest.raises(InfeasiblePlacementError, match="policy p.toml forbids transit"):
        place(policy_net, candidates=["astana"], demand=["berlin"], policy=policy)
    res = place(
        policy_net,
        candidates=["astana"],
        demand=["berlin", "istanbul"],
        policy=Policy(no_transit=frozenset({"RU"})),
        drop_unserved=True,
    )
    assert [a.demand for a in res.best.assignments] == ["berlin", "istanbul"]


def test_smaller_p_infeasible_is_noted_not_raised() -> None:
    # each demand site has one candidate within the SLA: p = 1 is infeasible, p = 2 is not
    graph = nx.Graph()
    for u, v, w in [("a", "c1", 1.0), ("c1", "m", 10.0), ("m", "c2", 10.0), ("c2", "b", 1.0)]:
        graph.add_edge(u, v, latency_ms=w)
    net = Network.from_networkx(graph)
    kw = {"candidates": ["c1", "c2"], "demand": ["a", "b"], "sla_rtt_ms": 10.0, "country": None}
    for objective in ("median", "center"):
        res = place(net, p=2, objective=objective, **kw)
        assert [pl.p for pl in res.placements] == [2]
        assert res.best.nodes == ("c1", "c2") and res.best.optimal
        assert res.best.gain is None  # no p = 1 to compare with
        assert any(n.startswith("p = 1: no set of 1 node(s)") for n in res.notes)
        with pytest.raises(InfeasiblePlacementError, match="no set of 1 node"):
            place(net, p=1, objective=objective, **kw)


def test_policy_excludes_nodes(policy_net: Network) -> None:
    policy = Policy(no_node=frozenset({"KZ"}), source="x.toml")
    with pytest.raises(ConstraintError, match="x.toml leaves no feasible node"):
        place(policy_net, country="KZ", demand=["berlin"], policy=policy)
    res = place(
        policy_net,
        candidates=["moscow", "astana"],
        demand=["berlin"],
        policy=Policy(no_transit=frozenset({"RU"})),
    )
    assert res.best.nodes == ("astana",)
    assert "moscow" in res.problem.excluded


def test_dual_homing_and_availability(policy_net: Network) -> None:
    kw = {"candidates": ["astana", "almaty"], "demand": ["berlin"]}
    res = place(policy_net, dual_homing="link", tier="III", **kw)
    a = res.best.assignments[0]
    assert a.node == "astana" and a.backup_rtt_ms is not None
    assert a.backup_rtt_ms >= a.rtt_ms
    assert a.node_availability == pytest.approx(0.99982)
    assert a.availability == pytest.approx(a.path_availability * 0.99982)
    with pytest.raises(InfeasiblePlacementError, match="disjoint"):
        place(policy_net, dual_homing="link", sla_rtt_ms=45.0, **kw)
    with pytest.raises(InfeasiblePlacementError, match="SLA of 10 ms"):
        place(policy_net, sla_rtt_ms=10.0, **kw)
    srlg = place(policy_net, dual_homing="srlg", sla_rtt_ms=61.0, **kw)
    assert srlg.best.assignments[0].backup_rtt_ms == pytest.approx(60.0)


def test_bad_inputs(policy_net: Network, tmp_path: Path) -> None:
    with pytest.raises(UnknownSiteError, match="candidate"):
        place(policy_net, candidates=["atlantis"], demand=["berlin"])
    with pytest.raises(UnknownSiteError, match="demand"):
        place(policy_net, candidates=["astana"], demand=["atlantis"])
    with pytest.raises(RequestError, match="p = 3 is larger"):
        place(policy_net, candidates=["astana", "almaty"], demand=["berlin"], p=3)
    with pytest.raises(RequestError, match="needs an SLA"):
        place(policy_net, candidates=["astana"], demand=["berlin"], objective="coverage")
    with pytest.raises(InfeasiblePlacementError, match="no candidate serves any"):
        place(
            policy_net,
            candidates=["astana"],
            demand=["berlin"],
            objective="coverage",
            sla_rtt_ms=1.0,
        )
    with pytest.raises(RequestError, match="tier"):
        node_availability("V")
    assert node_availability("0.999") == pytest.approx(0.999)
    with pytest.raises(PolicyError, match="unknown country code 'ZZ'"):
        place(
            policy_net,
            candidates=["astana"],
            demand=["berlin"],
            policy=Policy(no_transit=frozenset({"ZZ"})),
        )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('no_transit = ["RU"]\nfoo = 1\n', "unknown key 'foo'"),
        ('no_transit = ["RUS"]\n', "key 'no_transit': bad country code 'RUS'"),
        ('no_node = "RU"\n', "key 'no_node': expected a list"),
        ("no_transit = [\n", "invalid TOML"),
        ("name = 3\n", "key 'name': expected a string"),
    ],
)
def test_policy_file_validation(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=match) as info:
        load_policy(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_example_policy_and_demand_csv(policy_net: Network, tmp_path: Path) -> None:
    policy = load_policy(POLICY)
    assert policy.no_transit == {"RU", "BY"} and policy.source == str(POLICY)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")
    csv = tmp_path / "d.csv"
    csv.write_text("site,weight\nberlin,3\nminsk,1.5\n", encoding="utf-8")
    assert read_demand(csv, policy_net) == {"berlin": 3.0, "minsk": 1.5}
    csv.write_text("site,weight\nberlin,0\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2: weight must be a positive"):
        read_demand(csv, policy_net)
    csv.write_text("site,weight\natlantis,1\n", encoding="utf-8")
    with pytest.raises(UnknownSiteError, match="line 2"):
        read_demand(csv, policy_net)
    csv.write_text("name,w\nberlin,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="columns 'site' and 'weight'"):
        read_demand(csv, policy_net)


def test_outputs(policy_net: Network, tmp_path: Path) -> None:
    res = place(
        policy_net, candidates=["astana", "almaty", "istanbul"], demand=["berlin", "minsk"], p=2
    )
    data = json.loads(json.dumps(res.to_dict()))
    assert [pl["p"] for pl in data["placements"]] == [1, 2]
    assert data["placements"][1]["gain"] >= 0
    assert data["ranking"][0]["rank"] == 1
    out = res.write_csv(tmp_path / "sub" / "a.csv")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("p,nodes,demand") and "berlin" in text
    assert not list((tmp_path / "sub").glob(".*.tmp"))


# -- CLI -----------------------------------------------------------------------------------------
def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tiny_args(write_tables: Callable[..., tuple[Path, Path]], tmp_path: Path) -> list[str]:
    sites, links = tiny_tables()
    sp, lp = write_tables(sites, links)
    demand = tmp_path / "demand.csv"
    demand.write_text("site,weight\nc,2\nd,1\n", encoding="utf-8")
    return ["--sites", str(sp), "--links", str(lp), "--demand", str(demand)]


def test_cli_place(
    tiny_args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(["place", "--country", "KZ", "--p", "2", *tiny_args], capsys)
    assert code == 0, err
    assert "chosen nodes per p" in out and "Bravo" in out
    csv = tmp_path / "out.csv"
    code, out, err = _run(
        ["place", "--p", "1", "--json", "--csv", str(csv), "--tier", "III", *tiny_args], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    # the CLI's default model counts handoffs: d -> b changes system once (route: 8.53 ms
    # expected against 1.19 ms via a), so a (mean 2.06 ms) beats b (3.64 ms)
    assert data["placements"][0]["nodes"] == ["a"]
    assert data["node_availability"] == pytest.approx(0.99982)
    assert data["csv"] == str(csv) and csv.exists()
    code, _, err = _run(["place", "--p", "9", *tiny_args], capsys)
    assert code == 2 and "larger than the number of candidates" in err
    code, _, err = _run(["place", "--candidates", "zzz", *tiny_args], capsys)
    assert code == 2 and "unknown candidate site" in err
    code, _, err = _run(["place", "--sla-rtt", "0.01", *tiny_args], capsys)
    assert code == 1 and "SLA" in err


# -- the shipped data ----------------------------------------------------------------------------
def test_shipped_golden(shipped: Network, tmp_path: Path) -> None:
    res = place(shipped, country="KZ", p=2, policy=load_policy(POLICY))
    one, two = res.placements
    assert one.nodes == ("aktau",) and two.nodes == ("aktau", "zharkent")
    assert one.optimal and two.optimal
    assert two.sides["europe"].mean_rtt_ms == pytest.approx(46.4, abs=0.1)
    assert two.sides["asia"].mean_rtt_ms == pytest.approx(41.2, abs=0.1)
    assert two.gain == pytest.approx(one.value - two.value)
    assert 0.9 < two.mean_availability < 1.0
    assert len(res.problem.demand) == len(default_demand(shipped)) == 55  # 32 + 23 cities
    for a in two.assignments:  # the policy holds on every path relied upon
        own = shipped.sites["country"].iat[shipped.site_index(a.demand)]
        assert not (set(a.countries) - {own}) & {"RU", "BY"}
    brute = place(shipped, country="KZ", p=2, policy=load_policy(POLICY), method="brute")
    assert [pl.value for pl in brute.placements] == pytest.approx([one.value, two.value])
    existing = place(shipped, country="KZ", status="existing")
    assert any("akashi-dc is unreachable" in n for n in existing.notes)
    m = placement_map(res)
    html = m.get_root().render()
    assert "corridor-chosen-node" in html and "Zharkent" in html
    assert math.isfinite(res.ranking[0].mean_rtt_ms)
