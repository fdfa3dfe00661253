"""The on-disk network cache: same answers, invalidated by any input change, never fatal."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import corridor.network as network_module
from corridor import _cache
from corridor.latency import LatencyModel
from corridor.network import Network, load_network
from corridor.routing import shortest_path
from tests.conftest import tiny_tables


def _same(a: Network, b: Network) -> None:
    for name in ("indptr", "head", "tail", "weight", "arc_link", "link_a", "link_b"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.lookup.site_id == b.lookup.site_id
    assert a.lookup.link_countries == b.lookup.link_countries
    np.testing.assert_array_equal(a.lookup.site_lon, b.lookup.site_lon)
    assert a.model == b.model
    assert a.srlg_names == b.srlg_names
    assert a.sites.drop(columns="geometry").equals(b.sites.drop(columns="geometry"))
    assert a.links.geometry.geom_equals_exact(b.links.geometry, 0.0).all()
    assert a.links.drop(columns="geometry").equals(b.links.drop(columns="geometry"))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts real network builds (cache misses)."""
    calls: list[int] = []
    real = network_module.build_network

    def counting(*args: object, **kwargs: object) -> Network:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(network_module, "build_network", counting)
    return calls


@pytest.fixture
def files(write_tables: Callable[..., tuple[Path, Path]]) -> tuple[Path, Path]:
    return write_tables(*tiny_tables())


def test_second_load_comes_from_the_cache_and_is_identical(
    cache_dir: Path, builds: list[int], files: tuple[Path, Path]
) -> None:
    first = load_network(*files)
    second = load_network(*files)
    assert len(builds) == 1
    assert len(list((cache_dir / "networks").glob("*.pickle"))) == 1
    _same(first, second)
    assert shortest_path(first, "a", "c").paths == shortest_path(second, "a", "c").paths


def test_changed_input_bytes_or_model_rebuild(
    cache_dir: Path, builds: list[int], files: tuple[Path, Path]
) -> None:
    sites, links = files
    load_network(sites, links)
    load_network(sites, links, model=LatencyModel(group_index=1.47))
    assert len(builds) == 2
    text = links.read_text().replace("Sys4", "Sys5")
    links.write_text(text)
    changed = load_network(sites, links)
    assert len(builds) == 3
    assert "Sys5" in changed.lookup.link_system
    load_network(sites, links, cache=False)
    assert len(builds) == 4


def test_shapefile_sidecar_files_are_part_of_the_key(
    write_tables: Callable[..., tuple[Path, Path]],
) -> None:
    sites, links = write_tables(*tiny_tables(), ".shp")
    before = _cache.cache_key((sites, links), "p")
    dbf = links.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes().replace(b"Sys4", b"Sys5"))
    assert _cache.cache_key((sites, links), "p") != before


def test_corrupt_entry_is_ignored_and_replaced(
    cache_dir: Path, builds: list[int], files: tuple[Path, Path]
) -> None:
    load_network(*files)
    (entry,) = (cache_dir / "networks").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    net = load_network(*files)
    assert len(builds) == 2
    assert net.n_links == 6
    assert pickle.loads(entry.read_bytes()).n_links == 6


@pytest.mark.parametrize("value", ["off", ""])
def test_cache_can_be_switched_off(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    builds: list[int],
    files: tuple[Path, Path],
    value: str,
) -> None:
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", value)
    monkeypatch.chdir(tmp_path)
    load_network(*files)
    load_network(*files)
    assert len(builds) == 2
    assert _cache.cache_dir() is None


def test_unwritable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: tuple[Path, Path]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CORRIDOR_CACHE_DIR", str(blocker))
    assert load_network(*files).n_sites == 5


def test_old_entries_are_pruned(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, files: tuple[Path, Path]
) -> None:
    monkeypatch.setattr(_cache, "KEEP", 2)
    for gi in (1.46, 1.47, 1.48, 1.49):
        load_network(*files, model=LatencyModel(group_index=gi))
    assert len(list((cache_dir / "networks").glob("*.pickle"))) == 2


def test_network_pickles_and_tables_load_on_demand(tiny: Network) -> None:
    again = pickle.loads(pickle.dumps(tiny))
    _same(tiny, again)


def test_cached_network_routes_without_pandas_or_geopandas(shipped: Network) -> None:
    """The warm path of ``corridor route`` must not import the table libraries."""
    code = (
        "import sys\n"
        "from corridor.network import load_network\n"
        "from corridor.routing import shortest_path\n"
        "net = load_network()\n"
        "r = shortest_path(net, 'Frankfurt', 'Shanghai')\n"
        "assert r.paths[0].rtt_ms > r.floor_rtt_ms\n"
        "print(sorted(m for m in ('pandas', 'geopandas', 'pyogrio') if m in sys.modules))\n"
    )
    env = dict(os.environ)
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[]"
