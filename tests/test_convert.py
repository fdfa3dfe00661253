"""corridor convert: reference formats into sites/links that corridor route answers on.

The small files in tests/data are copies or excerpts of public reference data (see
tests/data/README.md for sources and licences); KML, cable GeoJSON and PeeringDB inputs are
made up here in those formats.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pytest

from corridor._errors import DataError, RequestError
from corridor.cli import main
from corridor.convert import Conversion, convert, detect_format, write_geopackage
from corridor.network import load_network
from corridor.routing import shortest_path

DATA = Path(__file__).resolve().parent / "data"
#: The shared reference folder beside the project (``CORRIDOR_REFERENCE`` overrides it).
REFERENCE = Path(
    os.environ.get("CORRIDOR_REFERENCE")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
)


def _connected_pair(conv: Conversion) -> tuple[str, str]:
    graph = nx.Graph()
    graph.add_edges_from(zip(conv.links["a"], conv.links["b"], strict=True))
    part = sorted(max(nx.connected_components(graph), key=len))
    return part[0], part[-1]


def _routes_via_cli(conv: Conversion, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    out = write_geopackage(conv, tmp_path / "net.gpkg")
    a, b = _connected_pair(conv)
    code = main(["route", a, b, "--sites", str(out), "--links", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.mark.parametrize(
    ("name", "fmt", "sites", "links"),
    [
        ("topologyzoo-Grena.graphml", "graphml", 13, 12),
        ("sndlib-polska.txt", "sndlib", 12, 18),
        ("sndlib-nobel-eu.txt", "sndlib", 28, 41),
        ("topohub-europe-subset.json", "topohub", 151, 243),
    ],
)
def test_reference_files_convert_and_route(
    name: str,
    fmt: str,
    sites: int,
    links: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    conv = convert(DATA / name)
    assert conv.format == fmt and detect_format(DATA / name) == fmt
    assert (len(conv.sites), len(conv.links)) == (sites, links)
    assert conv.report and all(isinstance(line, str) for line in conv.report)
    answer = _routes_via_cli(conv, tmp_path, capsys)
    assert answer["paths"][0]["one_way_ms"] > 0


def test_graphml_countries_and_dropped_nodes() -> None:
    conv = convert(DATA / "topologyzoo-Grena.graphml")
    assert set(conv.sites["country"]) == {"GE"}
    assert any("dropped 3 node(s) without coordinates" in line for line in conv.report)
    assert any("Topology Zoo" in line for line in conv.report)


def test_sndlib_degrees_minutes_detected_and_overridable() -> None:
    auto = convert(DATA / "sndlib-nobel-eu.txt")
    athens = auto.sites.set_index("id").loc["Athens"].geometry
    assert athens.x == pytest.approx(23 + 42 / 60) and athens.y == pytest.approx(37 + 58 / 60)
    assert any("DEGREES.MINUTES" in line for line in auto.report)
    plain = convert(DATA / "sndlib-nobel-eu.txt", coordinates="decimal")
    assert plain.sites.set_index("id").loc["Athens"].geometry.x == pytest.approx(23.42)
    decimal = convert(DATA / "sndlib-polska.txt")
    assert not any("DEGREES.MINUTES" in line for line in decimal.report)


def test_gml_and_sndlib_xml_match_their_siblings(tmp_path: Path) -> None:
    graph = nx.read_graphml(DATA / "topologyzoo-Grena.graphml")
    nx.write_gml(graph, tmp_path / "grena.gml")
    gml = convert(tmp_path / "grena.gml")
    graphml = convert(DATA / "topologyzoo-Grena.graphml")
    assert gml.format == "gml" and len(gml.sites) == len(graphml.sites)
    assert len(gml.links) == len(graphml.links)
    native = convert(DATA / "sndlib-polska.txt")
    ns = "http://sndlib.zib.de/network"
    nodes = "".join(
        f'<node id="{r.id}"><coordinates><x>{r.geometry.x}</x><y>{r.geometry.y}</y>'
        "</coordinates></node>"
        for r in native.sites.itertuples()
    )
    links = "".join(
        f'<link id="{r.id}"><source>{r.a}</source><target>{r.b}</target></link>'
        for r in native.links.itertuples()
    )
    xml = (
        f'<?xml version="1.0"?><network xmlns="{ns}"><networkStructure>'
        f'<nodes coordinatesType="geographical">{nodes}</nodes><links>{links}</links>'
        "</networkStructure></network>"
    )
    (tmp_path / "polska.xml").write_text(xml, encoding="utf-8")
    parsed = convert(tmp_path / "polska.xml")
    assert parsed.format == "sndlib-xml"
    assert list(parsed.sites["id"]) == list(native.sites["id"])
    assert list(parsed.links["id"]) == list(native.links["id"])


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Almaty</name><Point><coordinates>76.9286,43.2567,0</coordinates></Point></Placemark>
<Placemark><name>Astana</name><Point><coordinates>71.4491,51.1694,0</coordinates></Point></Placemark>
<Placemark><name>Tashkent</name><Point><coordinates>69.2401,41.2995</coordinates></Point></Placemark>
<Placemark><name>North trunk</name><LineString><coordinates>
76.93,43.26 74.0,47.5 71.45,51.17</coordinates></LineString></Placemark>
<Placemark><name>South spur</name><MultiGeometry><LineString><coordinates>
76.9286,43.2567 72.5,42.5 69.2401,41.2995</coordinates></LineString>
<LineString><coordinates>69.2401,41.2995 66.9,39.65</coordinates></LineString>
</MultiGeometry></Placemark>
</Document></kml>"""


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_kml_points_and_lines(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"plan{suffix}"
    if suffix == ".kmz":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("doc.kml", KML)
    else:
        path.write_text(KML, encoding="utf-8")
    conv = convert(path)
    assert conv.format == "kml"
    assert len(conv.links) == 3
    assert len(conv.sites) == 4  # the spur's far end (Samarkand, no point) becomes a site
    assert any("became new sites" in line for line in conv.report)
    assert set(conv.sites["country"]) == {"KZ", "UZ"}
    answer = _routes_via_cli(conv, tmp_path, capsys)
    assert answer["paths"]


def _cables(tmp_path: Path) -> tuple[Path, Path]:
    cables = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Caspian Test Cable", "id": "ctc", "color": "#123"},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [  # three segments meeting at a branching unit
                        [[51.2, 43.65], [50.9, 43.0], [50.5, 42.5]],
                        [[50.5, 42.5], [49.1, 41.1]],
                        [[50.5, 42.5], [52.97, 40.02]],
                    ],
                },
            }
        ],
    }
    points = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f"{city}, {country}", "slug": city.lower()},
                "geometry": {"type": "Point", "coordinates": xy},
            }
            for city, country, xy in (
                ("Aktau", "Kazakhstan", [51.2, 43.65]),
                ("Siyazan", "Azerbaijan", [49.1, 41.1]),
                ("Turkmenbashi", "Turkmenistan", [52.97, 40.02]),
            )
        ],
    }
    (tmp_path / "cables.geojson").write_text(json.dumps(cables), encoding="utf-8")
    (tmp_path / "landing.geojson").write_text(json.dumps(points), encoding="utf-8")
    return tmp_path / "cables.geojson", tmp_path / "landing.geojson"


def test_cable_geojson_warns_non_commercial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cables, landing = _cables(tmp_path)
    conv = convert(cables, landing_points=landing)
    assert conv.format == "cables-geojson"
    assert any("non-commercial" in w for w in conv.warnings)
    assert set(conv.links["kind"]) == {"submarine"} and len(conv.links) == 3
    by_id = conv.sites.set_index("id")
    assert by_id.loc["aktau", "country"] == "KZ" and by_id.loc["siyazan", "country"] == "AZ"
    assert (by_id["kind"] == "landing").all() and len(by_id) == 4  # plus the branching unit
    out = tmp_path / "sea.gpkg"
    code = main(["convert", str(cables), "--landing-points", str(landing), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0 and "non-commercial" in err
    net = load_network(out, out, cache=False)
    assert shortest_path(net, "Aktau", "Turkmenbashi").best.hops == 2


def test_peeringdb_sites_only(tmp_path: Path) -> None:
    export = {
        "fac": {
            "data": [
                {
                    "id": 1,
                    "name": "Akashi DC",
                    "country": "KZ",
                    "latitude": 51.09,
                    "longitude": 71.42,
                },
                {
                    "id": 2,
                    "name": "Almaty DC",
                    "country": "KZ",
                    "latitude": 43.24,
                    "longitude": 76.9,
                },
            ]
        },
        "ix": {"data": [{"id": 7, "name": "KZ-IX", "country": "KZ"}]},
        "ixfac": {"data": [{"ix_id": 7, "fac_id": 2}]},
    }
    path = tmp_path / "peeringdb.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    conv = convert(path)
    assert conv.format == "peeringdb" and len(conv.links) == 0
    by_id = conv.sites.set_index("id")
    assert by_id.loc["ix-7", "kind"] == "ixp"
    assert by_id.loc["ix-7"].geometry.equals(by_id.loc["fac-2"].geometry)
    out = write_geopackage(conv, tmp_path / "pdb.gpkg")
    assert len(gpd.read_file(out, layer="sites")) == 3


def test_bad_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.dat"
    junk.write_text("hello", encoding="utf-8")
    with pytest.raises(DataError, match="cannot tell the format"):
        convert(junk)
    with pytest.raises(RequestError, match="unknown format"):
        convert(junk, format="shapefile")
    with pytest.raises(DataError, match="file not found"):
        convert(tmp_path / "missing.graphml")
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml><node", encoding="utf-8")
    assert main(["convert", str(broken), "--out", str(tmp_path / "x.gpkg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "broken.graphml" in err
    assert not (tmp_path / "x.gpkg").exists()


def test_route_exports_read_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {ext: tmp_path / f"route.{ext}" for ext in ("geojson", "gpkg", "kml")}
    argv = ["route", "Frankfurt", "Shanghai", "--k", "2", "--json"]
    for ext, path in files.items():
        argv += [f"--{ext}", str(path)]
    assert main(argv) == 0
    answer = json.loads(capsys.readouterr().out)
    for path in files.values():
        back = gpd.read_file(path)
        assert len(back) == 2 and back.geometry.iloc[0].geom_type == "LineString"
    back = gpd.read_file(files["geojson"])
    assert list(back["links"]) == [";".join(p["links"]) for p in answer["paths"]]
    assert sorted(answer["exports"]) == sorted(str(p) for p in files.values())


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the shared reference folder is absent")
def test_every_reference_file_converts() -> None:
    files = [
        *sorted((REFERENCE / "topologyzoo").glob("*.graphml")),
        *sorted((REFERENCE / "sndlib").glob("*.txt")),
        *sorted((REFERENCE / "topohub").glob("*.json")),
    ]
    converted = 0
    for path in files:
        try:
            conv = convert(path)
        except DataError as exc:
            assert "no node with coordinates" in str(exc)  # e.g. Azrena has none
            continue
        converted += 1
        net_sites, net_links = conv.sites, conv.links
        assert len(net_sites) and len(net_links)
        assert not math.isnan(net_sites.geometry.x.sum())
    assert converted >= len(files) - 2


def test_resilience_pair_exports_primary_and_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pair.geojson"
    argv = ["resilience", "Frankfurt", "Shanghai", "--geojson", str(out), "--json"]
    assert main(argv) == 0
    answer = json.loads(capsys.readouterr().out)
    back = gpd.read_file(out)
    assert list(back["role"]) == ["primary", "backup"][: len(back)]
    assert answer["exports"] == [str(out)]
    assert back["links"].iloc[0] == ";".join(answer["protection"]["paths"][0]["links"])
    argv = ["resilience", "--all-pairs", "--kml", str(tmp_path / "x.kml")]
    assert main(argv) == 2
    assert "--all-pairs" in capsys.readouterr().err
