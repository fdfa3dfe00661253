"""Generated malformed GIS files: loading one either works or raises DataError, never crashes."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor import DataError, Network, RequestError, load_network
from tests.conftest import tiny_tables

WEIRD_VALUES = [
    None,
    "",
    " ",
    "x" * 300,
    "乌鲁木齐",
    0,
    -1,
    1e308,
    math.nan,
    True,
    [1, 2],
    {"a": 1},
    "XX",
    "kz",
    "existing;planned",
]
WEIRD_GEOMETRIES = [
    None,
    {"type": "Point", "coordinates": [500.0, 0.0]},
    {"type": "Point", "coordinates": [0.0, -100.0]},
    {"type": "Point", "coordinates": []},
    {"type": "LineString", "coordinates": [[0.0, 0.0]]},
    {"type": "LineString", "coordinates": [[0.0, 0.0], [1e9, 1e9]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
    {"type": "MultiLineString", "coordinates": [[[0, 0], [0.5, 0]], [[5, 5], [6, 6]]]},
    {"type": "GeometryCollection", "geometries": []},
    {"type": "Nonsense", "coordinates": [0, 0]},
]


def _collection(frame: Any) -> dict[str, Any]:
    features = []
    for rec in frame.to_dict(orient="records"):
        geom = rec.pop("geometry")
        props = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        features.append(
            {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        )
    return {"type": "FeatureCollection", "features": features}


mutation = st.one_of(
    st.tuples(
        st.just("value"),
        st.sampled_from(["sites", "links"]),
        st.integers(0, 4),
        st.sampled_from(
            ["id", "name", "kind", "country", "a", "b", "status", "srlg", "rfs", "capacity_tbps"]
        ),
        st.sampled_from(WEIRD_VALUES),
    ),
    st.tuples(
        st.just("geometry"),
        st.sampled_from(["sites", "links"]),
        st.integers(0, 4),
        st.none(),
        st.sampled_from(WEIRD_GEOMETRIES),
    ),
    st.tuples(
        st.just("drop"),
        st.sampled_from(["sites", "links"]),
        st.none(),
        st.sampled_from(["id", "name", "kind", "country", "a", "b", "status"]),
        st.none(),
    ),
    st.tuples(
        st.just("truncate"),
        st.sampled_from(["sites", "links"]),
        st.integers(1, 400),
        st.none(),
        st.none(),
    ),
    st.tuples(
        st.just("crs"),
        st.sampled_from(["sites", "links"]),
        st.none(),
        st.sampled_from(["EPSG:3857", "urn:ogc:def:crs:EPSG::9999", None]),
        st.none(),
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_malformed_files_raise_data_error_or_load(mutations: list[tuple[Any, ...]]) -> None:
    sites, links = tiny_tables()
    docs = {"sites": _collection(sites), "links": _collection(links)}
    truncate: dict[str, int] = {}
    for kind, which, row, column, value in mutations:
        features = docs[which]["features"]
        if kind == "value":
            features[row % len(features)]["properties"][column] = value
        elif kind == "geometry":
            features[row % len(features)]["geometry"] = value
        elif kind == "drop":
            for feature in features:
                feature["properties"].pop(column, None)
        elif kind == "truncate":
            truncate[which] = row
        elif kind == "crs":
            if column is None:
                docs[which].pop("crs", None)
            else:
                docs[which]["crs"] = {"type": "name", "properties": {"name": column}}
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for which, doc in docs.items():
            text = json.dumps(doc)
            if which in truncate:
                text = text[: truncate[which]]
            paths[which] = Path(folder) / f"{which}.geojson"
            paths[which].write_text(text, encoding="utf-8")
        try:
            net = load_network(paths["sites"], paths["links"], cache=False)
        except (DataError, RequestError) as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert isinstance(net, Network)
            assert net.n_sites >= 1


@pytest.mark.parametrize("text", ["", "{", "[]", '{"type": "FeatureCollection"}', "\x00\x01"])
def test_broken_text_is_a_data_error(tmp_path: Path, text: str) -> None:
    _, links = tiny_tables()
    links.to_file(tmp_path / "links.geojson")
    (tmp_path / "sites.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="sites.geojson"):
        load_network(tmp_path / "sites.geojson", tmp_path / "links.geojson", cache=False)
