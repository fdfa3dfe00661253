"""A catalogue of bad inputs: every one gets a typed corridor error (API) or one line and the
right exit code (command line), never a traceback or a silent wrong answer.

The error policy (README, "Errors"): the API raises a :class:`corridor.CorridorError` subclass;
the command line prints one line naming the option or file and the value as typed, and exits 2
for bad input, 1 when no route satisfies a valid request, 130 when interrupted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import corridor
from corridor import datasets
from corridor.cli import main
from corridor.latency import LatencyModel
from corridor.network import Network, build_network, load_network
from corridor.routing import (
    batch_routes,
    disjoint_pair,
    diverse_paths,
    iter_shortest_paths,
    k_disjoint_paths,
    k_shortest_paths,
    shortest_path,
)
from tests.conftest import tiny_tables

FS, SH = "Frankfurt", "Shanghai"


# -- files the cases point at ------------------------------------------------------------------
@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("bad-inputs")
    sites, links = tiny_tables()
    files: dict[str, str] = {}

    def put(name: str, text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        files[name] = str(folder / name)

    put("garbage.geojson", "this is not json {")
    put("empty.geojson", "")
    put("nocrs.csv", "id,name\n1,x\n")
    put("broken.toml", "[scenario\nname = ")
    put("candidates-bad.csv", "foo,bar\n1,2\n")
    put("demand-bad.csv", "x,y\n1,2\n")
    put("measured.csv", "a,b\nfrankfurt,shanghai\n")
    sites.to_file(folder / "sites.geojson")
    links.to_file(folder / "links.geojson")
    files["sites.geojson"] = str(folder / "sites.geojson")
    files["links.geojson"] = str(folder / "links.geojson")
    nocrs = sites.copy()
    nocrs.to_file(folder / "sites-nocrs.shp")
    for ext in (".prj",):
        (folder / f"sites-nocrs{ext}").unlink(missing_ok=True)
    files["sites-nocrs.shp"] = str(folder / "sites-nocrs.shp")
    bad_country = sites.copy()
    bad_country.loc[0, "country"] = "XX"
    bad_country.to_file(folder / "sites-xx.geojson")
    files["sites-xx.geojson"] = str(folder / "sites-xx.geojson")
    files["missing"] = str(folder / "does-not-exist.geojson")
    files["dir"] = str(folder)
    return files


# -- command line --------------------------------------------------------------------------------
# (argv, exit code, fragment of the one-line message); "{name}" is replaced by a file of `bad`.
CLI_CASES: list[tuple[list[str], int, str]] = [
    ([], 2, "command"),
    (["teleport"], 2, "teleport"),
    (["route"], 2, "source"),
    (["route", FS], 2, "target"),
    (["route", FS, "Nowhereville"], 2, "Nowhereville"),
    (["route", "Nowhereville", SH], 2, "Nowhereville"),
    (["route", FS, FS], 2, "same site"),
    (["route", FS, ""], 2, "empty"),
    (["route", FS, "   "], 2, "empty"),
    (["route", FS, SH, "--k", "0"], 2, "--k"),
    (["route", FS, SH, "--k", "-3"], 2, "--k"),
    (["route", FS, SH, "--k", "abc"], 2, "--k"),
    (["route", FS, SH, "--k", "2.5"], 2, "--k"),
    (["route", FS, SH, "--max-rtt", "-5"], 2, "-5"),
    (["route", FS, SH, "--max-rtt", "0"], 2, "--max-rtt"),
    (["route", FS, SH, "--max-rtt", "nan"], 2, "--max-rtt"),
    (["route", FS, SH, "--max-rtt", "inf"], 2, "--max-rtt"),
    (["route", FS, SH, "--max-rtt", "fast"], 2, "--max-rtt"),
    (["route", FS, SH, "--max-rtt", "10"], 1, "no route"),
    (["route", FS, SH, "--max-hops", "0"], 2, "--max-hops"),
    (["route", FS, SH, "--max-hops", "-1"], 2, "--max-hops"),
    (["route", FS, SH, "--max-hops", "2.5"], 2, "--max-hops"),
    (["route", FS, SH, "--status", "bogus"], 2, "--status"),
    (["route", FS, SH, "--via", "Atlantis"], 2, "Atlantis"),
    (["route", FS, SH, "--avoid", "Atlantis"], 2, "Atlantis"),
    (["route", FS, SH, "--via", "KZ", "--avoid", "KZ"], 2, "KZ"),
    (["route", FS, SH, "--avoid", FS], 2, "source"),
    (["route", FS, SH, "--avoid", "DE"], 2, "avoided country"),
    (["route", FS, SH, "--via", SH], 2, "target"),
    (["route", FS, SH, "--disjoint", "bogus"], 2, "--disjoint"),
    (["route", FS, SH, "--diverse", "0.5"], 2, "--diverse"),
    (["route", FS, SH, "--k", "3", "--diverse", "1.5"], 2, "--diverse"),
    (["route", FS, SH, "--k", "3", "--diverse", "-0.1"], 2, "--diverse"),
    (["route", FS, SH, "--backup-max-rtt", "160"], 2, "--backup-max-rtt"),
    (["route", FS, SH, "--disjoint", "link", "--backup-max-rtt", "-1"], 2, "--backup-max-rtt"),
    (["route", FS, SH, "--disjoint", "link", "--via", "KZ"], 2, "--via"),
    (["route", FS, SH, "--disjoint", "link", "--max-hops", "5"], 2, "--max-hops"),
    (["route", FS, SH, "--sites", "{sites.geojson}"], 2, "--links"),
    (["route", FS, SH, "--links", "{links.geojson}"], 2, "--sites"),
    (["route", "a", "c", "--sites", "{missing}", "--links", "{links.geojson}"], 2, "not found"),
    (
        ["route", "a", "c", "--sites", "{garbage.geojson}", "--links", "{links.geojson}"],
        2,
        "garbage",
    ),
    (["route", "a", "c", "--sites", "{empty.geojson}", "--links", "{links.geojson}"], 2, "empty"),
    (["route", "a", "c", "--sites", "{dir}", "--links", "{links.geojson}"], 2, "--sites"),
    (["route", "a", "c", "--sites", "{sites-nocrs.shp}", "--links", "{links.geojson}"], 2, "CRS"),
    (["route", "a", "c", "--sites", "{sites-xx.geojson}", "--links", "{links.geojson}"], 2, "XX"),
    (
        [
            "route",
            "a",
            "c",
            "--sites",
            "{sites.geojson}",
            "--links",
            "{links.geojson}",
            "--countries",
            "{garbage.geojson}",
        ],
        2,
        "garbage",
    ),
    (["route", FS, SH, "--group-index", "0"], 2, "--group-index"),
    (["route", FS, SH, "--group-index", "-1.4"], 2, "--group-index"),
    (["route", FS, SH, "--group-index", "nan"], 2, "--group-index"),
    (["route", FS, SH, "--route-factor-terrestrial", "0.5"], 2, "--route-factor-terrestrial"),
    (["route", FS, SH, "--route-factor-submarine", "-1"], 2, "--route-factor-submarine"),
    (["route", FS, SH, "--site-delay-ms", "-1"], 2, "delay"),
    (["route", FS, SH, "--map", "{dir}"], 2, "--map"),
    (["route", FS, SH, "--map", "/proc/corridor/route.html"], 2, "route.html"),
    (["sites", "--kind", "castle"], 2, "castle"),
    (["sites", "--country", "XX"], 2, "XX"),
    (["sites", "--country", "Atlantis"], 2, "Atlantis"),
    (["sites", "--region", "narnia"], 2, "narnia"),
    (["links", "--status", "bogus"], 2, "bogus"),
    (["links", "--kind", "aerial"], 2, "aerial"),
    (["links", "--country", "Atlantis"], 2, "Atlantis"),
    (["links", "--system", "No Such System"], 2, "No Such System"),
    (["map", "--status", "bogus"], 2, "--status"),
    (["map", "--out", "{dir}"], 2, "--out"),
    (["map", "--out", "/proc/corridor/net.html"], 2, "net.html"),
    (["resilience"], 2, "FROM and TO"),
    (["resilience", FS], 2, "FROM and TO"),
    (["resilience", FS, "Nowhereville"], 2, "Nowhereville"),
    (["resilience", FS, SH, "--sla-rtt", "-1"], 2, "--sla-rtt"),
    (["resilience", FS, SH, "--sla-rtt", "0"], 2, "--sla-rtt"),
    (["resilience", FS, SH, "--top", "0"], 2, "--top"),
    (["resilience", FS, SH, "--mttr-submarine-days", "-1"], 2, "-1"),
    (["resilience", FS, SH, "--mttr-submarine-days", "-1"], 2, "days"),
    (["resilience", "--all-pairs", "--scenarios", "bogus"], 2, "bogus"),
    (["resilience", "--all-pairs", "--csv", "{dir}"], 2, "--csv"),
    (["invest", "--budget", "-5"], 2, "--budget"),
    (["invest", "--budget", "0"], 2, "--budget"),
    (["invest", "--budget", "abc"], 2, "--budget"),
    (["invest", "--budget", "nan"], 2, "--budget"),
    (["invest", "--candidates", "{missing}"], 2, "does-not-exist"),
    (["invest", "--candidates", "{candidates-bad.csv}"], 2, "candidates-bad.csv"),
    (["invest", "--demand", "{missing}"], 2, "does-not-exist"),
    (["invest", "--demand", "{demand-bad.csv}"], 2, "demand-bad.csv"),
    (["invest", "--sla-rtt", "0"], 2, "--sla-rtt"),
    (["invest", "--sla-rtt", "-100"], 2, "--sla-rtt"),
    (["invest", "--backup", "bogus"], 2, "bogus"),
    (["invest", "--group", "bogus"], 2, "bogus"),
    (["invest", "--exact-max", "-1"], 2, "--exact-max"),
    (["invest", "--top", "0"], 2, "--top"),
    (["invest", "--availability-weight", "-1"], 2, "--availability-weight"),
    (["invest", "--cost", "bogus"], 2, "--cost"),
    (["place", "--p", "0"], 2, "--p"),
    (["place", "--p", "-2"], 2, "--p"),
    (["place", "--country", "XX"], 2, "XX"),
    (["place", "--objective", "bogus"], 2, "--objective"),
    (["place", "--policy", "{missing}"], 2, "does-not-exist"),
    (["place", "--policy", "{broken.toml}"], 2, "broken.toml"),
    (["place", "--candidates", "Nowhereville"], 2, "Nowhereville"),
    (["place", "--sla-rtt", "-1"], 2, "--sla-rtt"),
    (["batch", "{missing}"], 2, "does-not-exist"),
    (["batch", "{broken.toml}"], 2, "broken.toml"),
    (["batch", "{broken.toml}", "--workers", "0"], 2, "--workers"),
    (["batch", "{broken.toml}", "--dask-local", "0"], 2, "--dask-local"),
]


def _fill(argv: list[str], bad: dict[str, str]) -> list[str]:
    out = []
    for arg in argv:
        if arg.startswith("{") and arg.endswith("}"):
            arg = bad[arg[1:-1]]
        out.append(arg)
    return out


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("argv", "code", "fragment"), CLI_CASES, ids=lambda v: str(v)[:60])
def test_cli_bad_input(
    argv: list[str],
    code: int,
    fragment: str,
    bad: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    got, err = _run(_fill(argv, bad), capsys)
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert got == code, err
    assert len(lines) == 1, err
    assert fragment.casefold() in lines[0].casefold(), lines[0]


# -- Python API -------------------------------------------------------------------------------
def _graph(edges: list[tuple[Any, Any, float]], **node_attrs: dict[str, Any]) -> nx.Graph:
    g = nx.Graph()
    for a, b, w in edges:
        g.add_edge(a, b, latency_ms=w)
    for node, attrs in node_attrs.items():
        g.nodes[node].update(attrs)
    return g


Call = Callable[[Network], object]
API_CASES: list[tuple[str, Call, type[corridor.CorridorError], str]] = [
    ("source None", lambda n: shortest_path(n, None, SH), corridor.RequestError, "None"),  # type: ignore[arg-type]
    ("source int", lambda n: shortest_path(n, 5, SH), corridor.UnknownSiteError, "5"),  # type: ignore[arg-type]
    ("source list", lambda n: shortest_path(n, [FS], SH), corridor.RequestError, "source"),  # type: ignore[arg-type]
    ("source empty", lambda n: shortest_path(n, "", SH), corridor.UnknownSiteError, "empty"),
    (
        "target unknown",
        lambda n: shortest_path(n, FS, "Xanadu"),
        corridor.UnknownSiteError,
        "Xanadu",
    ),
    ("same site", lambda n: shortest_path(n, FS, FS), corridor.RequestError, "same"),
    ("avoid int", lambda n: shortest_path(n, FS, SH, avoid=5), corridor.RequestError, "avoid"),  # type: ignore[arg-type]
    (
        "avoid list int",
        lambda n: shortest_path(n, FS, SH, avoid=[5]),
        corridor.UnknownSiteError,
        "5",
    ),  # type: ignore[list-item]
    (
        "avoid None item",
        lambda n: shortest_path(n, FS, SH, avoid=[None]),
        corridor.RequestError,
        "avoid",
    ),  # type: ignore[list-item]
    (
        "avoid unknown",
        lambda n: shortest_path(n, FS, SH, avoid="Xanadu"),
        corridor.UnknownSiteError,
        "Xanadu",
    ),
    (
        "avoid source",
        lambda n: shortest_path(n, FS, SH, avoid=FS),
        corridor.ConstraintError,
        "source",
    ),
    ("via int", lambda n: shortest_path(n, FS, SH, via=5), corridor.RequestError, "via"),  # type: ignore[arg-type]
    ("via dict", lambda n: shortest_path(n, FS, SH, via={"a": 1}), corridor.RequestError, "via"),  # type: ignore[arg-type]
    (
        "via unknown",
        lambda n: shortest_path(n, FS, SH, via="Xanadu"),
        corridor.UnknownSiteError,
        "Xanadu",
    ),
    (
        "via link",
        lambda n: shortest_path(n, FS, SH, via="Sys-no"),
        corridor.UnknownSiteError,
        "Sys-no",
    ),
    (
        "via and avoid",
        lambda n: shortest_path(n, FS, SH, via="KZ", avoid="KZ"),
        corridor.ConstraintError,
        "KZ",
    ),
    (
        "cap str",
        lambda n: shortest_path(n, FS, SH, max_latency_ms="100"),
        corridor.RequestError,
        "max_latency_ms",
    ),  # type: ignore[arg-type]
    (
        "cap negative",
        lambda n: shortest_path(n, FS, SH, max_latency_ms=-1),
        corridor.RequestError,
        "max_latency_ms",
    ),
    (
        "cap zero",
        lambda n: shortest_path(n, FS, SH, max_latency_ms=0),
        corridor.RequestError,
        "max_latency_ms",
    ),
    (
        "cap nan",
        lambda n: shortest_path(n, FS, SH, max_latency_ms=math.nan),
        corridor.RequestError,
        "max_latency_ms",
    ),
    (
        "cap inf",
        lambda n: shortest_path(n, FS, SH, max_latency_ms=math.inf),
        corridor.RequestError,
        "max_latency_ms",
    ),
    (
        "cap bool",
        lambda n: shortest_path(n, FS, SH, max_latency_ms=True),
        corridor.RequestError,
        "max_latency_ms",
    ),
    (
        "cap too low",
        lambda n: shortest_path(n, FS, SH, max_latency_ms=5),
        corridor.NoRouteError,
        "no route",
    ),
    (
        "hops float",
        lambda n: shortest_path(n, FS, SH, max_hops=2.5),
        corridor.RequestError,
        "max_hops",
    ),  # type: ignore[arg-type]
    (
        "hops zero",
        lambda n: shortest_path(n, FS, SH, max_hops=0),
        corridor.RequestError,
        "max_hops",
    ),
    (
        "hops negative",
        lambda n: shortest_path(n, FS, SH, max_hops=-3),
        corridor.RequestError,
        "max_hops",
    ),
    (
        "hops str",
        lambda n: shortest_path(n, FS, SH, max_hops="3"),
        corridor.RequestError,
        "max_hops",
    ),  # type: ignore[arg-type]
    (
        "hops bool",
        lambda n: shortest_path(n, FS, SH, max_hops=True),
        corridor.RequestError,
        "max_hops",
    ),
    (
        "status bogus",
        lambda n: shortest_path(n, FS, SH, status="bogus"),
        corridor.RequestError,
        "bogus",
    ),
    ("status int", lambda n: shortest_path(n, FS, SH, status=5), corridor.RequestError, "status"),  # type: ignore[arg-type]
    (
        "status empty",
        lambda n: shortest_path(n, FS, SH, status=[]),
        corridor.RequestError,
        "status",
    ),
    (
        "status list bogus",
        lambda n: shortest_path(n, FS, SH, status=["bogus"]),
        corridor.RequestError,
        "bogus",
    ),
    ("k zero", lambda n: k_shortest_paths(n, FS, SH, 0), corridor.RequestError, "k"),
    ("k negative", lambda n: k_shortest_paths(n, FS, SH, -2), corridor.RequestError, "k"),
    ("k float", lambda n: k_shortest_paths(n, FS, SH, 2.5), corridor.RequestError, "k"),  # type: ignore[arg-type]
    ("k str", lambda n: k_shortest_paths(n, FS, SH, "3"), corridor.RequestError, "k"),  # type: ignore[arg-type]
    ("k bool", lambda n: k_shortest_paths(n, FS, SH, True), corridor.RequestError, "k"),
    ("k huge", lambda n: k_shortest_paths(n, FS, SH, 2**70), corridor.RequestError, "k"),
    (
        "iter time limit",
        lambda n: next(iter_shortest_paths(n, FS, SH, time_limit_s=0)),
        corridor.RequestError,
        "time_limit_s",
    ),
    (
        "iter by",
        lambda n: next(iter_shortest_paths(n, FS, SH, by="route")),
        corridor.RequestError,
        "by must be",
    ),
    (
        "diverse overlap",
        lambda n: diverse_paths(n, FS, SH, 3, max_overlap=1.5),
        corridor.RequestError,
        "max_overlap",
    ),
    (
        "diverse overlap neg",
        lambda n: diverse_paths(n, FS, SH, 3, max_overlap=-0.1),
        corridor.RequestError,
        "max_overlap",
    ),
    (
        "diverse overlap str",
        lambda n: diverse_paths(n, FS, SH, 3, max_overlap="x"),
        corridor.RequestError,
        "max_overlap",
    ),  # type: ignore[arg-type]
    ("diverse k", lambda n: diverse_paths(n, FS, SH, 0), corridor.RequestError, "k"),
    (
        "disjoint mode",
        lambda n: disjoint_pair(n, FS, SH, mode="bogus"),
        corridor.RequestError,
        "bogus",
    ),
    (
        "disjoint mode int",
        lambda n: disjoint_pair(n, FS, SH, mode=3),
        corridor.RequestError,
        "mode",
    ),  # type: ignore[arg-type]
    (
        "disjoint backup neg",
        lambda n: disjoint_pair(n, FS, SH, backup_max_latency_ms=-1),
        corridor.RequestError,
        "backup",
    ),
    (
        "disjoint backup str",
        lambda n: disjoint_pair(n, FS, SH, backup_max_latency_ms="9"),
        corridor.RequestError,
        "backup",
    ),  # type: ignore[arg-type]
    (
        "disjoint time limit",
        lambda n: disjoint_pair(n, FS, SH, mode="srlg", time_limit=-1),
        corridor.RequestError,
        "time_limit",
    ),
    (
        "disjoint unknown",
        lambda n: disjoint_pair(n, FS, "Xanadu"),
        corridor.UnknownSiteError,
        "Xanadu",
    ),
    ("k disjoint k", lambda n: k_disjoint_paths(n, FS, SH, 0), corridor.RequestError, "k"),
    (
        "k disjoint mode",
        lambda n: k_disjoint_paths(n, FS, SH, 3, mode="srlg-ish"),
        corridor.RequestError,
        "srlg-ish",
    ),
    ("batch pairs int", lambda n: batch_routes(n, 5), corridor.RequestError, "pairs"),  # type: ignore[arg-type]
    ("batch pair short", lambda n: batch_routes(n, [(FS,)]), corridor.RequestError, "pair"),  # type: ignore[list-item]
    (
        "batch pair unknown",
        lambda n: batch_routes(n, [(FS, "Xanadu")]),
        corridor.UnknownSiteError,
        "Xanadu",
    ),
    (
        "batch avoid int",
        lambda n: batch_routes(n, [(FS, SH)], avoid=7),
        corridor.RequestError,
        "avoid",
    ),  # type: ignore[arg-type]
    ("resolve site int", lambda n: n.resolve_site(3), corridor.UnknownSiteError, "3"),  # type: ignore[arg-type]
    (
        "resolve country",
        lambda n: n.resolve_country("Atlantis"),
        corridor.UnknownSiteError,
        "Atlantis",
    ),
    ("resolve country None", lambda n: n.resolve_country(None), corridor.RequestError, "country"),  # type: ignore[arg-type]
    ("site index", lambda n: n.site_index("xanadu"), corridor.UnknownSiteError, "xanadu"),
    ("link index", lambda n: n.link_index("xanadu"), corridor.UnknownSiteError, "xanadu"),
    (
        "model group index",
        lambda n: LatencyModel(group_index=0),
        corridor.RequestError,
        "group_index",
    ),
    (
        "model group index str",
        lambda n: LatencyModel(group_index="1.5"),
        corridor.RequestError,
        "group_index",
    ),  # type: ignore[arg-type]
    (
        "model route factor",
        lambda n: LatencyModel(route_factor_terrestrial=0.5),
        corridor.RequestError,
        "route_factor",
    ),
    (
        "model site delay",
        lambda n: LatencyModel(site_delay_ms=-1),
        corridor.RequestError,
        "site_delay_ms",
    ),
    (
        "model nan",
        lambda n: LatencyModel(route_factor_submarine=math.nan),
        corridor.RequestError,
        "route_factor",
    ),
    ("dataset name", lambda n: datasets.get_path("nope"), corridor.DatasetNotFoundError, "nope"),
    (
        "from_networkx not a graph",
        lambda n: Network.from_networkx([1, 2]),
        corridor.DataError,
        "graph",
    ),  # type: ignore[arg-type]
    (
        "from_networkx empty",
        lambda n: Network.from_networkx(nx.Graph()),
        corridor.DataError,
        "empty",
    ),
    (
        "from_networkx no edges",
        lambda n: Network.from_networkx(nx.empty_graph(3)),
        corridor.DataError,
        "no edges",
    ),
    (
        "from_networkx lon 200",
        lambda n: Network.from_networkx(_graph([("a", "b", 1.0)], a={"lon": 200.0, "lat": 0.0})),
        corridor.DataError,
        "200",
    ),
    (
        "from_networkx lat 95",
        lambda n: Network.from_networkx(_graph([("a", "b", 1.0)], a={"lon": 0.0, "lat": 95.0})),
        corridor.DataError,
        "95",
    ),
    (
        "from_networkx self-loop",
        lambda n: Network.from_networkx(_graph([("a", "a", 1.0), ("a", "b", 1.0)])),
        corridor.DataError,
        "self-loop",
    ),
    (
        "from_networkx negative",
        lambda n: Network.from_networkx(_graph([("a", "b", -1.0)])),
        corridor.DataError,
        "latency_ms",
    ),
    (
        "from_networkx nan",
        lambda n: Network.from_networkx(_graph([("a", "b", math.nan)])),
        corridor.DataError,
        "latency_ms",
    ),
    (
        "from_networkx str weight",
        lambda n: Network.from_networkx(_graph([("a", "b", "x")])),
        corridor.DataError,
        "latency_ms",
    ),  # type: ignore[list-item]
    (
        "from_networkx no weight",
        lambda n: Network.from_networkx(nx.path_graph(3)),
        corridor.DataError,
        "latency_ms",
    ),
    (
        "from_networkx weight name",
        lambda n: Network.from_networkx(_graph([("a", "b", 1.0)]), weight=5),
        corridor.RequestError,
        "weight",
    ),  # type: ignore[arg-type]
    ("build no crs", lambda n: build_network(*_no_crs()), corridor.DataError, "CRS"),
    (
        "build not a frame",
        lambda n: build_network("sites", "links"),
        corridor.DataError,
        "GeoDataFrame",
    ),  # type: ignore[arg-type]
    ("build missing column", lambda n: build_network(*_drop("kind")), corridor.DataError, "kind"),
    (
        "build bad kind",
        lambda n: build_network(*_set_link("kind", "aerial")),
        corridor.DataError,
        "aerial",
    ),
    (
        "build bad status",
        lambda n: build_network(*_set_link("status", "bogus")),
        corridor.DataError,
        "bogus",
    ),
    ("build unknown end", lambda n: build_network(*_set_link("b", "zz")), corridor.DataError, "zz"),
    (
        "build country XX",
        lambda n: build_network(*_set_site("country", "XX")),
        corridor.DataError,
        "XX",
    ),
    (
        "build country ZZ",
        lambda n: build_network(*_set_site("country", "ZZ")),
        corridor.DataError,
        "ZZ",
    ),
    (
        "build country lower",
        lambda n: build_network(*_set_site("country", "kz")),
        corridor.DataError,
        "kz",
    ),
    (
        "build duplicate id",
        lambda n: build_network(*_set_site("id", "b")),
        corridor.DataError,
        "not unique",
    ),
    (
        "load missing file",
        lambda n: load_network("/nonexistent/sites.geojson", "/nonexistent/links.geojson"),
        corridor.DataError,
        "nonexistent",
    ),
    (
        "load sites only",
        lambda n: load_network("/nonexistent/sites.geojson"),
        corridor.RequestError,
        "links",
    ),
    (
        "load links only",
        lambda n: load_network(None, "/nonexistent/links.geojson"),
        corridor.RequestError,
        "sites",
    ),
    ("load path type", lambda n: load_network(5, 6), corridor.RequestError, "sites"),  # type: ignore[arg-type]
]


def _no_crs() -> tuple[Any, Any]:
    sites, links = tiny_tables()
    return sites.set_crs(None, allow_override=True), links


def _drop(column: str) -> tuple[Any, Any]:
    sites, links = tiny_tables()
    return sites, links.drop(columns=[column])


def _set_link(column: str, value: str) -> tuple[Any, Any]:
    sites, links = tiny_tables()
    links.loc[0, column] = value
    return sites, links


def _set_site(column: str, value: str) -> tuple[Any, Any]:
    sites, links = tiny_tables()
    sites.loc[0, column] = value
    return sites, links


@pytest.mark.parametrize(
    ("name", "call", "error", "fragment"), API_CASES, ids=[c[0] for c in API_CASES]
)
def test_api_bad_input(
    name: str,
    call: Call,
    error: type[corridor.CorridorError],
    fragment: str,
    shipped: Network,
) -> None:
    try:
        call(shipped)
    except corridor.CorridorError as exc:
        assert isinstance(exc, error), f"{name}: {type(exc).__name__}: {exc}"
        assert fragment.casefold() in str(exc).casefold(), str(exc)
        assert "\n" not in str(exc)
    else:
        pytest.fail(f"{name}: no error raised")


def test_catalogue_size() -> None:
    assert len(CLI_CASES) + len(API_CASES) >= 120


def test_integer_labels_from_networkx_route() -> None:
    net = Network.from_networkx(_graph([(1, 2, 1.0), (2, 3, 1.0), (1, 3, 5.0)]))
    best = shortest_path(net, 1, 3).best  # type: ignore[arg-type]
    assert best.nodes == ("1", "2", "3") or best.nodes == (1, 2, 3)
    assert best.one_way_ms == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Алматы", "almaty"),
        ("Almaty", "almaty"),
        ("ALMATY", "almaty"),
        ("Ürümqi", "urumqi"),
        # local names (name_local, from GeoNames) in scripts transliteration cannot map
        ("乌鲁木齐", "urumqi"),
        ("香港", "hong-kong"),
        ("東京", "tokyo"),
        ("서울", "seoul"),
        ("Москва", "moscow"),
        ("Київ", "kyiv"),
        ("თბილისი", "tbilisi"),
        ("Ақтау", "aktau"),
        ("Караганда", "karaganda"),
        ("Bakı", "baku"),  # noqa: RUF001 (the Azerbaijani dotless i)
        ("تهران", "tehran"),
    ],
)
def test_lookup_any_script(shipped: Network, query: str, expected: str) -> None:
    assert shipped.resolve_site(query) == expected


def test_lookup_unknown_script_suggests(shipped: Network) -> None:
    with pytest.raises(corridor.UnknownSiteError, match="unknown site"):
        shipped.resolve_site("ზზზზზ")


def test_sites_without_links_names_the_missing_option(tmp_path: Path) -> None:
    with pytest.raises(corridor.RequestError, match="links"):
        load_network(tmp_path / "x.geojson")
