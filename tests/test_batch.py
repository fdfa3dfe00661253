"""Batch reports: scenario parsing, outputs, resume, dask, and the shipped scenario."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from corridor import DataError, RequestError
from corridor.batch import load_scenario, run_batch
from corridor.routing import shortest_path
from tests.conftest import tiny_tables

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "benchmarks" / "corridors.toml"


@pytest.fixture
def tiny_files(tmp_path: Path) -> tuple[Path, Path]:
    sites, links = tiny_tables()
    sp, lp = tmp_path / "sites.geojson", tmp_path / "links.geojson"
    sites.to_file(sp)
    links.to_file(lp)
    return sp, lp


TINY = """\
title = "tiny"

[network]
sites = "sites.geojson"
links = "links.geojson"

[pairs]
list = [["a", "c"], ["c", "d"], ["a", "e"], ["b", "d"], ["e", "c"]]

[routing]
status = ["existing", "all"]

[[family]]
name = "any"

[[family]]
name = "via RU"
via = ["RU"]

[[family]]
name = "no RU"
avoid = ["RU"]

[[failure]]
name = "duct"
elements = ["duct-1"]

[[failure]]
name = "links"
kind = "links"

[run]
chunk_pairs = 2
failures_per_chunk = 3
"""


def write(tmp_path: Path, text: str, name: str = "scen.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# -- parsing -------------------------------------------------------------------------------------
def test_parse_shipped_scenario(shipped):  # type: ignore[no-untyped-def]
    spec = load_scenario(SHIPPED, net=shipped)
    assert len(spec.pairs) == 32 * 23  # European x East Asian cities
    assert spec.families[0].name.startswith("Middle Corridor")
    assert spec.statuses == ("existing", "all")
    assert spec.failures[0].name == "none" and len(spec.failures) == 6


def test_parse_tiny(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    spec = load_scenario(write(tmp_path, TINY))
    assert spec.pairs[0] == ("a", "c") and len(spec.pairs) == 5
    assert spec.families[1].via == ("RU",)
    assert spec.chunk_pairs == 2


BAD = [
    # (replace this, with this, expected error class, key named, message part)
    ('title = "tiny"', 'title = "tiny"\ncolour = "red"', DataError, "colour", "unknown key"),
    (
        "[run]\nchunk_pairs = 2",
        '[run]\nchunk_pairs = "two"',
        DataError,
        "run.chunk_pairs",
        "must be",
    ),
    ('["a", "c"], ["c", "d"]', '["a", "c"], ["c", "zzz"]', RequestError, "pairs.list", "zzz"),
    ('via = ["RU"]', 'via = ["Atlantis"]', RequestError, "via", "Atlantis"),
    (
        'elements = ["duct-1"]',
        'elements = ["no-such-duct"]',
        RequestError,
        "elements",
        "no-such-duct",
    ),
    (
        'list = [["a", "c"], ["c", "d"], ["a", "e"], ["b", "d"], ["e", "c"]]',
        'from = { regions = ["mars"] }\nto = { countries = ["CN"] }',
        RequestError,
        "pairs.from",
        "unknown region",
    ),
    (
        'list = [["a", "c"], ["c", "d"], ["a", "e"], ["b", "d"], ["e", "c"]]',
        'from = { countries = ["KZ"], kinds = ["landing"] }\nto = { countries = ["CN"] }',
        RequestError,
        "pairs.from",
        "empty",
    ),
    (
        'status = ["existing", "all"]',
        'status = ["existing", "maybe"]',
        RequestError,
        "routing.status",
        "maybe",
    ),
    ('status = ["existing", "all"]', "status = 3", DataError, "routing.status", "must be"),
    ('name = "any"', 'name = "any"\nvia = 7', DataError, "via", "must be"),
    ('title = "tiny"', 'title = "tiny', DataError, "(syntax)", "line"),
]


@pytest.mark.parametrize(("old", "new", "cls", "key", "part"), BAD)
def test_bad_input_names_file_line_key(tmp_path, tiny_files, old, new, cls, key, part):  # type: ignore[no-untyped-def]
    text = TINY.replace(old, new, 1)
    assert text != TINY
    path = write(tmp_path, text)
    with pytest.raises(cls) as info:
        load_scenario(path)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}:")
    line = int(msg.split(":")[1])
    assert key in msg and part in msg
    if key != "(syntax)":
        bare = key.split(".")[-1]
        assert bare in text.splitlines()[line - 1], (line, msg)


def test_missing_pairs_and_bad_file(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(RequestError, match=r"scen.toml:1: .*pairs"):
        load_scenario(write(tmp_path, 'title = "x"\n'))
    with pytest.raises(DataError, match="file not found"):
        load_scenario(write(tmp_path, '[network]\nsites = "nope.geojson"\nlinks = "x"\n'))


# -- layered via kernel vs the exact routing functions --------------------------------------------
def test_via_kernel_matches_routing(shipped):  # type: ignore[no-untyped-def]
    import numpy as np

    from corridor.batch.compute import _kernel_paths
    from corridor.routing import constraints

    cases = [("frankfurt", "shanghai", ["KZ"], ["RU"]), ("london", "tokyo", ["RU"], ["KZ"]),
             ("milan", "hong-kong", ["EG"], ["RU", "KZ", "IR", "AZ"])]  # fmt: skip
    for s, t, via, avoid in cases:
        cons = constraints(shipped, via=via, avoid=avoid)
        got = _kernel_paths(
            shipped, np.array([shipped.site_index(s)]), np.array([shipped.site_index(t)]),
            cons.arc_mask(shipped), cons.node_mask(shipped),
            (cons.via_sites, cons.via_countries), np.array([1.0]),
        )[0]  # fmt: skip
        want = shortest_path(shipped, s, t, via=via, avoid=avoid).best
        assert got is not None and got.nodes == want.nodes
        assert got.one_way_ms == pytest.approx(want.one_way_ms)


# -- running -------------------------------------------------------------------------------------
def test_run_outputs_consistent(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    res = run_batch(write(tmp_path, TINY), out, progress=False)
    for name in ("results.parquet", "results.csv", "summary.json", "report.html", "report.md",
                 "scenarios.csv", "figures/rtt_by_family.png", "figures/stretch.png"):  # fmt: skip
        assert (out / name).is_file(), name
    df = pd.read_parquet(out / "results.parquet")
    csv = pd.read_csv(out / "results.csv")
    scen = pd.read_csv(out / "scenarios.csv")
    assert len(df) == len(csv) == len(scen) * 3 * 5  # k = 1: one row per scenario x family x pair
    assert not df.duplicated(["scenario", "family", "source", "target", "rank"]).any()
    assert (df["reachable"] == df["rtt_ms"].notna()).all()
    ok = df[df["reachable"]]
    assert (ok["rtt_ms"].astype(float) >= ok["floor_rtt_ms"].astype(float) - 1e-9).all()
    assert (ok["rtt_ms"] == 2 * ok["one_way_ms"]).all()
    # via RU family always crosses RU; no-RU never
    assert ok[ok["family"] == "via RU"]["crosses_RU"].all()
    assert not ok[ok["family"] == "no RU"]["crosses_RU"].any()
    # c -> d under "no RU" is unreachable (d is in RU): reported as such, never inf/NaN text
    un = df[(df["family"] == "no RU") & (df["target"] == "d")]
    assert not un["reachable"].any()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stats"]["rows"] == len(df) == res.stats["rows"]
    assert summary["pairs"] == 5
    page = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    assert "data:image/png;base64," in page and "unreachable" in page
    assert "figures/rtt_by_family.png" in md
    import re

    text_only = re.sub(r"data:image/png;base64,[^\"]+", "", page)
    for text in (text_only, md, (out / "summary.json").read_text()):
        assert not re.search(r"\b(inf|nan|NaN|Infinity)\b", text)
    # the planned link b-e: e is reachable only with status all
    base = df[(df["failure"] == "none") & (df["family"] == "any") & (df["target"] == "e")]
    assert base.set_index("status")["reachable"].to_dict() == {"existing": False, "all": True}
    # refusal of a non-empty folder
    with pytest.raises(RequestError, match="not empty"):
        run_batch(write(tmp_path, TINY), out, progress=False)


def test_resume_after_interrupt_equals_full_run(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    scen = write(tmp_path, TINY)
    full = run_batch(scen, tmp_path / "full", progress=False, report=False).results

    class Stop(Exception):
        pass

    def stop_after_3(cid: str, done: int, total: int) -> None:
        if done == 3:
            raise Stop

    out = tmp_path / "part"
    with pytest.raises(Stop):
        run_batch(scen, out, progress=False, on_chunk=stop_after_3)
    assert len(list((out / ".chunks").glob("*.parquet"))) == 3
    assert not (out / "results.parquet").exists()
    with pytest.raises(RequestError, match="--resume"):
        run_batch(scen, out, progress=False)
    res = run_batch(scen, out, resume=True, progress=False, report=False)
    assert res.stats["chunks_reused"] == 3
    assert res.stats["chunks_computed"] == res.stats["chunks"] - 3
    pd.testing.assert_frame_equal(res.results, full)
    # a different scenario cannot resume into this folder
    with pytest.raises(RequestError, match="different scenario"):
        run_batch(
            write(
                tmp_path,
                TINY.replace("k = 1", "").replace('["e", "c"]]', '["e", "a"]]'),
                "other.toml",
            ),
            out,
            resume=True,
            progress=False,
        )
    forced = run_batch(scen, out, force=True, progress=False, report=False)
    assert forced.stats["chunks_reused"] == 0


def test_local_processes_equal_in_process(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    scen = write(tmp_path, TINY)
    a = run_batch(scen, tmp_path / "a", progress=False, report=False).results
    b = run_batch(scen, tmp_path / "b", workers=2, progress=False, report=False)
    assert b.stats["backend"] == "2 local processes"
    pd.testing.assert_frame_equal(a, b.results)


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_dask_equals_local_and_survives_killed_worker(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    import distributed

    scen = write(tmp_path, TINY.replace("chunk_pairs = 2", "chunk_pairs = 1"))
    local = run_batch(scen, tmp_path / "local", progress=False, report=False).results
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        killed: list[int] = []

        def kill_one(cid: str, done: int, total: int) -> None:
            if done == 1 and not killed:
                nanny = next(iter(cluster.workers.values()))
                pid = nanny.process.process.pid
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        res = run_batch(
            scen, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False,
            report=False, on_chunk=kill_one,
        )  # fmt: skip
    assert killed
    assert res.stats["chunks_computed"] == res.stats["chunks"]
    pd.testing.assert_frame_equal(res.results, local)


def test_shipped_scenario_runs(tmp_path, shipped):  # type: ignore[no-untyped-def]
    res = run_batch(SHIPPED, tmp_path / "corridors", progress=False)
    stats = {(r["status"], r["family"]): r for r in res.summary["family_stats"]}
    assert all(r["reachable"] == 32 * 23 for r in stats.values())
    mid = "Middle Corridor (via KZ, no RU)"
    south = "Southern (Suez / Red Sea)"
    for status in ("existing", "all"):
        assert stats[(status, mid)]["median_rtt_ms"] < stats[(status, south)]["median_rtt_ms"]
        assert stats[(status, mid)]["share_crosses_KZ"] == 1.0
        assert stats[(status, mid)]["share_crosses_RU"] == 0.0
    assert stats[("all", mid)]["median_rtt_ms"] < stats[("existing", mid)]["median_rtt_ms"]
    assert (tmp_path / "corridors" / "figures" / "failures.png").is_file()
    # every via row is exact: a route or a proof that none exists, never a repaired guess
    assert not res.results["note"].str.startswith("approximate").any()
    assert res.summary["approximate_rows"] == 0


def test_cli_batch_through_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from corridor.cli import main

    out = tmp_path / "run"
    scenario = tmp_path / "bad.toml"
    scenario.write_text(
        '[pairs]\nlist = [["frankfurt", "shanghai"]]\nbogus = 1\n', encoding="utf-8"
    )
    assert main(["batch", str(scenario), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "bad.toml:3" in err and "bogus" in err and err.count("\n") == 1
    assert not out.exists()


def test_measured_vs_model_against_independent_routes(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    """The measured table subtracts the best modelled family RTT, computed here independently."""
    (tmp_path / "measured.csv").write_text(
        "source,target,measured_rtt_ms\na,c,9.5\nc,d,3.0\n", encoding="utf-8"
    )
    text = TINY.replace("[run]", '[measured]\ncsv = "measured.csv"\n\n[run]', 1)
    res = run_batch(write(tmp_path, text), tmp_path / "out", progress=False)
    table = res.summary["measured_vs_model"]
    assert [(r["source"], r["target"]) for r in table] == [("a", "c"), ("c", "d")]
    sites, links = tiny_tables()
    from corridor.network import build_network

    net = build_network(sites, links)
    for row, measured in zip(table, (9.5, 3.0), strict=True):
        s, t = row["source"], row["target"]
        best_any = shortest_path(net, s, t).paths[0].rtt_ms
        best_via = shortest_path(net, s, t, via=["RU"]).paths[0].rtt_ms
        assert row["any"] == pytest.approx(best_any)
        assert row["via RU"] == pytest.approx(best_via)
        # "no RU" cannot reach d (in RU); a -> c avoids RU along a-b-c
        assert row["model_best_rtt_ms"] == pytest.approx(min(best_any, best_via))
        assert row["measured_minus_model_ms"] == pytest.approx(measured - row["model_best_rtt_ms"])
    assert "Measured vs model" in (tmp_path / "out" / "report.html").read_text()


def test_measured_pair_outside_the_od_set_is_refused(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    (tmp_path / "measured.csv").write_text(
        "source,target,measured_rtt_ms\na,d,9.5\n", encoding="utf-8"
    )
    text = TINY.replace("[run]", '[measured]\ncsv = "measured.csv"\n\n[run]', 1)
    with pytest.raises(RequestError, match=r"measured.csv line 2: pair a -> d is not in the OD"):
        load_scenario(write(tmp_path, text))


def test_force_removes_an_old_pdf(tmp_path, tiny_files):  # type: ignore[no-untyped-def]
    """--force without --pdf must not leave the previous run's report.pdf beside new results."""
    scen = write(tmp_path, TINY)
    out = tmp_path / "out"
    run_batch(scen, out, progress=False, report=False)
    (out / "report.pdf").write_bytes(b"%PDF-1.4 old")
    run_batch(scen, out, force=True, progress=False, report=False)
    assert not (out / "report.pdf").exists()
    assert (out / "results.parquet").is_file()
