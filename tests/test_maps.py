"""HTML maps (corridor.maps): geometry, escaping, offline files, atomic saving, layers, CLI."""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pytest
import shapely

from corridor import _atomic, maps
from corridor.cli import build_parser, main
from corridor.cli.map import add_map_options, write_route_map
from corridor.maps import MapError
from corridor.maps._elements import link_weight
from corridor.maps._html import js_literal
from corridor.maps.route import _rtt_decimals
from corridor.network import GEOD, Network, build_network
from corridor.routing import RouteResult, shortest_path
from tests.conftest import tiny_tables

EVIL = "<script>alert(1)</script>"
EVIL_TEMPLATE = "${alert(2)}`\\u003c"
EVIL_IMG = '<img src=x onerror="alert(3)">'


# -- shared builders (also used by test_maps_browser.py) ----------------------------------------
def evil_network() -> Network:
    """The tiny network with hostile names: a site, a data center, a system and a link name."""
    sites, links = tiny_tables()
    sites.loc[sites["id"] == "a", "name"] = EVIL
    sites.loc[sites["id"] == "e", "name"] = f"Akashi {EVIL}"  # a data center: labelled
    sites.loc[sites["id"] == "b", "name"] = EVIL_TEMPLATE
    links["name"] = [EVIL_IMG, "", "", "", "", ""]
    links.loc[links["id"] == "ad", "system"] = EVIL_IMG
    links["capacity_tbps"] = [100.0, None, 20.0, None, 5.0, None]
    return build_network(sites, links)


def two_paths(net: Network) -> RouteResult:
    """A result with two paths a -> c (the best one and the best avoiding b)."""
    best = shortest_path(net, "a", "c")
    other = shortest_path(net, "a", "c", avoid="b")
    return RouteResult(
        source=best.source,
        target=best.target,
        paths=(best.best, other.best),
        great_circle_km=best.great_circle_km,
        floor_one_way_ms=best.floor_one_way_ms,
    )


def write_countries(path: Path) -> Path:
    """A small borders file: three boxes around the tiny network."""
    table = gpd.GeoDataFrame(
        {
            "iso_a2": ["KZ", "CN", "RU"],
            "name": ["Kazakhstan", "China", "Russia <b>"],
        },
        geometry=[
            shapely.box(-0.5, -0.5, 2.5, 0.5),
            shapely.box(0.5, 0.5, 1.5, 1.5),
            shapely.box(-0.5, 0.5, 0.5, 1.5),
        ],
        crs="EPSG:4326",
    )
    table.to_file(path)
    return path


def render(m: folium.Map) -> str:
    return m.get_root().render()  # type: ignore[no-any-return]


def layer_names(page_html: str) -> list[str]:
    """Overlay names as written in the layer control script (JSON-decoded)."""
    block = re.search(r"overlays :\s*\{(.*?)\},\s*\};", page_html, re.S)
    assert block is not None, "no layer control in the page"
    return [json.loads(k) for k in re.findall(r'^\s*("(?:[^"\\]|\\.)*")\s*:', block.group(1), re.M)]


@pytest.fixture
def evil() -> Network:
    return evil_network()


@pytest.fixture
def countries_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CORRIDOR_DATA pointing at a folder with only a small countries file."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_countries(folder / "countries.geojson")
    monkeypatch.setenv("CORRIDOR_DATA", str(folder))
    return folder


# -- geometry ------------------------------------------------------------------------------------
def test_unwrap_longitudes_across_the_antimeridian() -> None:
    assert maps.unwrap_longitudes([179.0, -179.0, -178.0]).tolist() == [179.0, 181.0, 182.0]
    assert maps.unwrap_longitudes([-179.0, 179.0]).tolist() == [-179.0, -181.0]
    assert maps.unwrap_longitudes([10.0, 20.0, 30.0]).tolist() == [10.0, 20.0, 30.0]
    assert maps.unwrap_longitudes([5.0]).tolist() == [5.0]


def test_densify_follows_the_great_circle() -> None:
    frankfurt, shanghai = (8.68, 50.11), (121.47, 31.23)
    dense = maps.densify_geodesic([frankfurt, shanghai], step_km=50.0)
    assert tuple(dense[0]) == frankfurt
    assert tuple(dense[-1]) == shanghai
    steps = GEOD.inv(dense[:-1, 0], dense[:-1, 1], dense[1:, 0], dense[1:, 1])[2] / 1000.0
    total = GEOD.inv(*frankfurt, *shanghai)[2] / 1000.0
    assert steps.max() <= 50.0 + 1e-6
    assert steps.sum() == pytest.approx(total, rel=1e-9)  # on the geodesic, no detour
    # The great circle bows north of both ends (a Mercator chord would not).
    assert dense[:, 1].max() > 53.0
    # Every point lies on the geodesic: azimuth from the start equals the initial azimuth.
    az0 = GEOD.inv(*frankfurt, *shanghai)[0]
    az = GEOD.inv(
        np.full(len(dense) - 2, frankfurt[0]),
        np.full(len(dense) - 2, frankfurt[1]),
        dense[1:-1, 0],
        dense[1:-1, 1],
    )[0]
    assert np.allclose(az, az0, atol=1e-6)


def test_densify_keeps_vertices_and_short_segments() -> None:
    coords = [(0.0, 0.0), (0.1, 0.0), (0.1, 0.1)]
    dense = maps.densify_geodesic(coords, step_km=50.0)
    assert dense.tolist() == [list(c) for c in coords]
    with pytest.raises(MapError, match="positive"):
        maps.densify_geodesic(coords, step_km=0.0)


def test_densify_across_the_antimeridian_stays_continuous() -> None:
    dense = maps.densify_geodesic([(170.0, 50.0), (-170.0, 50.0)], step_km=50.0)
    lons = dense[:, 0]
    assert lons[0] == 170.0 and lons[-1] == 190.0
    assert np.all(np.diff(lons) > 0) and np.abs(np.diff(lons)).max() < 2.0
    assert len(dense) > 25  # ~1,430 km at 50 km


def antimeridian_network() -> Network:
    sites = gpd.GeoDataFrame(
        [
            {
                "id": "w",
                "name": "West",
                "kind": "landing",
                "country": "FJ",
                "geometry": shapely.Point(178.0, -17.0),
            },
            {
                "id": "e",
                "name": "East",
                "kind": "landing",
                "country": "FJ",
                "geometry": shapely.Point(-179.0, -16.0),
            },
            {
                "id": "f",
                "name": "Far",
                "kind": "city",
                "country": "FJ",
                "geometry": shapely.Point(-178.0, -16.5),
            },
        ],
        crs="EPSG:4326",
    )
    links = gpd.GeoDataFrame(
        [
            {
                "id": "we",
                "a": "w",
                "b": "e",
                "kind": "submarine",
                "status": "existing",
                "geometry": shapely.LineString([(178.0, -17.0), (179.9, -16.5), (-179.0, -16.0)]),
            },
            # drawn b -> a: the path must reverse it
            {
                "id": "ef",
                "a": "f",
                "b": "e",
                "kind": "terrestrial",
                "status": "existing",
                "geometry": shapely.LineString([(-178.0, -16.5), (-179.0, -16.0)]),
            },
        ],
        crs="EPSG:4326",
    )
    return build_network(sites, links)


def test_route_across_the_antimeridian_is_one_continuous_line() -> None:
    net = antimeridian_network()
    result = shortest_path(net, "w", "f")
    latlons = np.array(maps.path_latlons(net, result.best))
    assert latlons[0].tolist() == [-17.0, 178.0]
    assert latlons[-1].tolist() == [-16.5, 182.0]  # -178 unwrapped
    assert np.abs(np.diff(latlons[:, 1])).max() < 1.0
    html_text = render(maps.route_map(net, result))
    assert "182.0" in html_text
    # the link on its own is unwrapped too
    link = np.array(maps.link_latlons(net, "we"))
    assert link[-1, 1] == pytest.approx(181.0)


# -- escaping ------------------------------------------------------------------------------------
def test_data_text_is_escaped_everywhere(evil: Network) -> None:
    page = render(maps.network_map(evil, offline=True))
    route = render(maps.route_map(evil, two_paths(evil), labels=[EVIL, EVIL_IMG]))
    for text in (page, route):
        assert "alert(1)</script>" not in text
        assert "<script>alert" not in text
        assert "<img src=x" not in text
        assert "${alert" not in text
        assert "`\\u003c" not in text
        # the script elements are only ours (offline: Leaflet inline, folium's flags, the map)
    assert len(re.findall(r"<script\b", page)) == 3
    names = [n for n in layer_names(route) if n[:1].isdigit()]
    assert names[0] == "1 (&lt;script&gt;alert(1)&lt;/script&gt;): " + names[0].split(": ")[1]
    assert names[1].startswith("2 (&lt;img src=x onerror=&quot;alert(3)&quot;&gt;): ")


def test_escape_helpers() -> None:
    assert maps.escape(EVIL) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert maps.escape("${x}`\\") == "&#36;{x}&#96;&#92;"
    assert "</" not in js_literal("</script><!--")
    assert json.loads(js_literal("</script>")) == "</script>"


# -- offline / online ----------------------------------------------------------------------------
EXTERNAL = re.compile(
    r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""", re.I
)


def test_offline_html_inlines_leaflet_and_references_nothing_external(
    evil: Network, countries_env: Path
) -> None:
    js, css = maps.leaflet_assets()
    assert "Leaflet 1.9.4" in js and ".leaflet-container" in css
    assert "url(images/" not in css and "data:image/png;base64," in css
    for m in (
        maps.network_map(evil, offline=True),
        maps.route_map(evil, two_paths(evil), offline=True),
    ):
        page = render(m)
        assert "Leaflet 1.9.4" in page  # inlined banner
        assert js[:2000] in page
        assert EXTERNAL.search(page) is None
        for cdn in ("jsdelivr", "cdnjs", "code.jquery", "bootstrap", "awesome-markers"):
            assert cdn not in page, cdn
        assert "tile.openstreetmap" not in page and "L.tileLayer" not in page
        assert "corridor-basemap" in page and "Kazakhstan" in page
        assert "L.control.layers" in page and "L.control.scale" in page
        assert "corridor-legend" in page and "corridor-title" in page


def test_offline_without_shipped_borders_still_works(
    evil: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_DATA", str(tmp_path))  # empty folder
    page = render(maps.network_map(evil, offline=True))
    assert "corridor-basemap" not in page and EXTERNAL.search(page) is None


def test_online_html_uses_tiles(evil: Network) -> None:
    page = render(maps.network_map(evil, offline=False))
    assert "tile.openstreetmap.org" in page and "L.tileLayer" in page
    assert "Leaflet 1.9.4" not in page


def test_maps_are_self_contained_by_default(evil: Network) -> None:
    for page in (render(maps.network_map(evil)), render(maps.route_map(evil, two_paths(evil)))):
        assert "Leaflet 1.9.4" in page and "L.tileLayer" not in page
        assert EXTERNAL.search(page) is None


# -- content -------------------------------------------------------------------------------------
def test_network_map_draws_every_link_and_site(evil: Network) -> None:
    page = render(maps.network_map(evil, offline=True))
    assert len(re.findall(r'"className": "corridor-link ', page)) == evil.n_links
    assert len(re.findall(r'"className": "corridor-site ', page)) == evil.n_sites
    assert len(re.findall(r"corridor-link-planned", page)) == 1
    assert '"dashArray": "10 7"' in page  # planned link dashed
    assert "Latency model: fiber group index 1.4682" in page
    assert "drawn route to fiber length x1.10 terrestrial / x1.05 submarine" in page
    names = layer_names(page)
    assert "Terrestrial links, existing (3)" in names
    assert "Terrestrial links, planned (1)" in names
    assert "Sites: data center (1)" in names
    # popups carry the link data
    assert "Tbps" in page and "SRLGs" in page and "duct-1" in page
    existing = render(maps.network_map(evil, status="existing"))
    assert len(re.findall(r'"className": "corridor-link ', existing)) == evil.n_links - 1
    with pytest.raises(MapError, match="unknown link status"):
        maps.network_map(evil, status=["bogus"])


def test_link_width_follows_capacity() -> None:
    assert link_weight(None) == 2.5
    assert link_weight(float("nan")) == 2.5
    assert link_weight(1.0) < link_weight(10.0) < link_weight(400.0) <= 8.0


def test_route_map_layers_are_named_by_rank_and_rtt(evil: Network) -> None:
    result = two_paths(evil)
    page = render(maps.route_map(evil, result))
    rtts = [f"{p.rtt_ms:.1f}" for p in result.paths]
    names = [n for n in layer_names(page) if n != "Country borders"]
    assert names[:3] == [
        "Network (all links and sites)",
        f"1 (best): {rtts[0]} ms RTT",
        f"2: {rtts[1]} ms RTT",
    ]
    assert len(re.findall(r'"className": "corridor-route corridor-route-\d"', page)) == 2
    assert len(re.findall(r'"className": "corridor-endpoint', page)) == 2
    assert "fitBounds" in page and "bringToFront" in page
    labelled = layer_names(render(maps.route_map(evil, result, labels=["primary", "backup"])))
    assert [n for n in labelled if n[:1].isdigit()] == [
        f"1 (primary): {rtts[0]} ms RTT",
        f"2 (backup): {rtts[1]} ms RTT",
    ]


def test_route_map_refuses_bad_requests(evil: Network) -> None:
    result = two_paths(evil)
    with pytest.raises(MapError, match="2 labels given for 1 paths"):
        maps.route_map(evil, shortest_path(evil, "a", "c"), labels=["a", "b"])
    empty = RouteResult("a", "c", (), result.great_circle_km, result.floor_one_way_ms)
    with pytest.raises(MapError, match="no path"):
        maps.route_map(evil, empty)


def test_add_links_layer_after_the_map_is_built(evil: Network) -> None:
    m = maps.route_map(evil, two_paths(evil))
    group = maps.add_links_layer(
        m, evil, ["be", "dc"], name="Candidates <new>", color="#111111", dash="4 4"
    )
    assert isinstance(group, folium.FeatureGroup)
    page = render(m)
    assert layer_names(page)[-1] == "Candidates &lt;new&gt;"
    assert len(re.findall(r'"className": "corridor-highlight"', page)) == 2
    # the layer control comes after the layer it lists
    assert page.index(f"var {group.get_name()} =") < page.index("L.control.layers(")
    with pytest.raises(KeyError, match="unknown link id"):
        maps.add_links_layer(m, evil, ["nope"], name="x", color="#000")


def test_add_sites_layer_marks_sites_with_their_own_text(evil: Network) -> None:
    m = maps.network_map(evil)
    group = maps.add_sites_layer(
        m,
        evil,
        ["a", "e", "a"],
        name="Chosen <nodes>",
        color="#dc2626",
        stroke="#7f1d1d",
        radius=12.0,
        html={"e": "<b>mirror</b>"},
        legend="Placement <p>",
    )
    page = render(m)
    assert layer_names(page)[-1] == "Chosen &lt;nodes&gt;"
    items = [json.loads(v) for v in re.findall(r"var items = (\[.*?\]);\n", page)]
    marks = [
        f for layer in items for f in layer if f["o"]["className"] == "corridor-highlight-site"
    ]
    assert [f["o"]["radius"] for f in marks] == [12.0, 12.0]  # a site given twice is marked once
    assert all(f["o"]["fillColor"] == "#dc2626" and f["o"]["color"] == "#7f1d1d" for f in marks)
    assert EVIL not in marks[0]["t"] and "&lt;script&gt;" in marks[0]["t"]  # a's own tooltip
    assert marks[1]["t"] == marks[1]["p"] == "<b>mirror</b>"
    assert "Placement &lt;p&gt;" in page and "Chosen &lt;nodes&gt; (2)" in page  # legend
    assert page.index(f"var {group.get_name()} =") < page.index("L.control.layers(")
    with pytest.raises(KeyError, match="unknown site id"):
        maps.add_sites_layer(m, evil, ["nope"], name="x", color="#000")


# -- saving --------------------------------------------------------------------------------------
def test_save_map_creates_folders_and_replaces(evil: Network, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "net.html"
    assert maps.save_map(maps.network_map(evil, offline=True), target) == target
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and first.rstrip().endswith("</html>")
    assert target.stat().st_mode & 0o777 == 0o644
    maps.save_map(maps.route_map(evil, two_paths(evil), offline=True), target)
    assert "corridor-route" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["net.html"]


@pytest.mark.parametrize("broken", ["fsync", "replace"])
def test_failed_save_leaves_the_old_file_intact(
    evil: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    target = tmp_path / "net.html"
    target.write_text("old map", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_atomic.os, broken, fail)
    with pytest.raises(MapError, match=r"cannot write map .*net\.html: No space left"):
        maps.save_map(maps.network_map(evil, offline=True), target)
    assert target.read_text(encoding="utf-8") == "old map"
    assert [p.name for p in tmp_path.iterdir()] == ["net.html"]  # no temp file left


def test_save_map_into_a_file_is_a_map_error(evil: Network, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(MapError, match="cannot write map"):
        maps.save_map(maps.network_map(evil), blocker / "net.html")


# -- CLI -----------------------------------------------------------------------------------------
@pytest.fixture
def tiny_args(tmp_path: Path) -> list[str]:
    sites, links = tiny_tables()
    sp, lp = tmp_path / "sites.geojson", tmp_path / "links.geojson"
    sites.to_file(sp)
    links.to_file(lp)
    cp = write_countries(tmp_path / "countries.geojson")
    return ["--sites", str(sp), "--links", str(lp), "--countries", str(cp)]


def test_map_command_writes_the_network_map(
    tiny_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "maps" / "net.html"
    argv = [*tiny_args, "--offline", "--status", "existing", "--out", str(out)]
    assert main(["map", *argv, "--title", "Tiny <net>"]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    assert "Tiny &lt;net&gt;" in page and EXTERNAL.search(page) is None
    assert len(re.findall(r'"className": "corridor-link ', page)) == 5  # planned one left out
    assert main(["map", *tiny_args, "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "map": str(out),
        "offline": True,
        "status": "all",
    }
    assert main(["map", *tiny_args, "--out", str(out), "--online", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["offline"] is False
    assert "L.tileLayer" in out.read_text(encoding="utf-8")
    assert build_parser().parse_args(["map"]).out == "network.html"


def test_route_command_writes_a_map(
    tiny_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pair.html"
    argv = ["route", "a", "c", "--disjoint", "link", "--map", str(out), "--offline", "--json"]
    assert main([*argv, *tiny_args]) == 0
    assert json.loads(capsys.readouterr().out)["map"] == str(out)
    page = out.read_text(encoding="utf-8")
    assert "(primary)" in page and "(backup)" in page


def test_route_map_options(tiny: Network, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_map_options(parser)
    result = shortest_path(tiny, "a", "c")
    assert write_route_map(parser.parse_args([]), tiny, result) is None
    out = tmp_path / "r.html"
    written = write_route_map(parser.parse_args(["--map", str(out), "--offline"]), tiny, result)
    assert written == out
    page = out.read_text(encoding="utf-8")
    assert "Leaflet 1.9.4" in page and "corridor-route-1" in page
    assert os.path.getsize(out) > 100_000


def test_rtt_decimals_tell_close_paths_apart(evil: Network) -> None:
    best = shortest_path(evil, "a", "c").best.replace(one_way_ms=50.0)
    twin = best.replace(one_way_ms=50.0004)  # RTT 100.0008
    assert _rtt_decimals([best]) == 1
    assert _rtt_decimals([best, best.replace(one_way_ms=50.004)]) == 2
    assert _rtt_decimals([best, twin]) == 3
    assert _rtt_decimals([best, best]) == 1  # equal: the rank tells them apart
    result = RouteResult("a", "c", (best, twin), 1.0, 0.5)
    names = [n for n in layer_names(render(maps.route_map(evil, result))) if n[:1].isdigit()]
    assert names == [f"1 (best): {best.rtt_ms:.3f} ms RTT", f"2: {twin.rtt_ms:.3f} ms RTT"]


def test_map_caption_states_the_calibrated_model_in_use() -> None:
    """The shipped network's maps state the expected-figure parameters they are drawn with
    (service factors, inferred penalty, handoff), from the model object, not the defaults."""
    import corridor

    net = corridor.load_network()
    m = net.model
    page = render(maps.network_map(net, offline=True))
    assert m.handoff_ms > 0 and m.service_factor_submarine > 1.0
    assert f"x{m.service_factor_submarine:.2f} submarine" in page
    assert f"{m.handoff_ms:.2f} ms per change of system" in page
    assert f"inferred links x{m.inferred_penalty:.2f}" in page
