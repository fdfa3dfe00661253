"""``corridor batch --year``: runs on the network as of each year, checked independently."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor import datasets, load_network
from corridor.io import read_table
from corridor.routing import shortest_path
from corridor.timeline import as_of, link_rfs, links_as_of

SCENARIO = """
title = "years"
[pairs]
list = [["frankfurt", "shanghai"], ["london", "tokyo"], ["warsaw", "beijing"]]
[routing]
status = ["existing"]
[output]
paths = true
"""


def test_links_as_of_gives_the_network_as_of(shipped_year: int = 2016) -> None:
    """Filtering the file then building equals building then :func:`as_of` (links, statuses)."""
    net = load_network()
    expected = as_of(net, shipped_year)
    table = links_as_of(read_table(datasets.get_path("links")), shipped_year)
    got = dict(zip(table["id"], table["status"], strict=True))
    want = dict(zip(expected.lookup.link_id, expected.lookup.link_status, strict=True))
    assert got == want
    rfs = pd.to_numeric(table["rfs"], errors="coerce")
    assert not (rfs > shipped_year).any()
    # the shipped data do have links after 2016, so the filter did something
    assert (link_rfs(net) > shipped_year).any()


def test_links_as_of_refuses_a_bad_year() -> None:
    from corridor._errors import RequestError

    table = read_table(datasets.get_path("links"))
    with pytest.raises(RequestError, match="year"):
        links_as_of(table, 99)


def test_cli_batch_year_sequence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from corridor.cli import main

    scenario = tmp_path / "years.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["batch", str(scenario), "--out", str(out), "--no-progress", "--json"]
    assert main([*argv, "--year", "2005", "2026"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["years"]) == {"2005", "2026"}
    net = load_network()
    rfs = dict(zip(net.lookup.link_id, link_rfs(net), strict=True))
    for y in (2005, 2026):
        links = read_table(out / "networks" / f"links-{y}.geojson")
        assert not (pd.to_numeric(links["rfs"], errors="coerce") > y).any()
        results = pd.read_parquet(out / f"year-{y}" / "results.parquet")
        assert len(results) == 3
        # the same pairs routed here on as_of(net, y): same RTT, and no link after year y
        then = as_of(net, y)
        for row in results.itertuples():
            path = shortest_path(then, row.source, row.target).paths[0]
            assert row.physical_rtt_ms == pytest.approx(path.physical_rtt_ms, rel=1e-9)
            years = np.array([rfs[li] for li in path.links])
            assert not (years[~np.isnan(years)] > y).any()
    # the same routing on today's network is never physically slower than on the 2005 one
    # (the search minimises fiber latency; the expected figure adds handoffs afterwards)
    key = ["source", "target"]
    then = pd.read_parquet(out / "year-2005" / "results.parquet").set_index(key)
    now = pd.read_parquet(out / "year-2026" / "results.parquet").set_index(key)
    assert (now["physical_rtt_ms"] <= then.loc[now.index, "physical_rtt_ms"] + 1e-9).all()
    # resuming the same years reuses the finished runs
    assert main([*argv, "--year", "2005", "2026", "--resume"]) == 0
