"""Readers of drawn formats: KML/KMZ, cable GeoJSON (TeleGeography style), PeeringDB exports."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.convert._tables import RawEdge, RawNetwork, RawNode, number, unique_id

__all__ = ["read_cables", "read_kml", "read_peeringdb"]

NON_COMMERCIAL = (
    "cable GeoJSON in TeleGeography's format: TeleGeography's submarine cable map data are "
    "licensed CC BY-NC-SA 3.0 (non-commercial, share-alike); do not use this output "
    "commercially or redistribute it outside those terms"
)


@dataclass
class _Line:
    name: str
    coords: list[tuple[float, float]]
    kind: str = "terrestrial"
    system: str = ""


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from corridor.network import GEOD

    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


def _lines_to_network(
    fmt: str,
    points: list[RawNode],
    lines: list[_Line],
    *,
    snap_km: float,
    end_kind: str,
    notes: list[str],
) -> tuple[list[RawNode], list[RawEdge]]:
    """Links from drawn lines: each end joins the nearest point within ``snap_km``, else a new
    site made at that end (shared by ends that meet there)."""
    import numpy as np

    nodes = list(points)
    taken = {n.id for n in nodes}
    created = 0
    tree_xy = [(n.lon, n.lat) for n in nodes]

    def site_at(xy: tuple[float, float], label: str) -> str:
        nonlocal created
        if tree_xy:
            arr = np.array(tree_xy)
            # candidates by planar distance, confirmed geodesically
            order = np.argsort(np.hypot(arr[:, 0] - xy[0], arr[:, 1] - xy[1]))[:5]
            for i in order.tolist():
                if _km(xy, tree_xy[i]) <= snap_km:
                    return nodes[i].id
        node = RawNode(id=unique_id(label, taken), name=label, lon=xy[0], lat=xy[1], kind=end_kind)
        nodes.append(node)
        tree_xy.append(xy)
        created += 1
        return node.id

    edges = []
    for line in lines:
        if len(line.coords) < 2:
            continue
        a = site_at(line.coords[0], f"{line.name or 'line'} A")
        b = site_at(line.coords[-1], f"{line.name or 'line'} B")
        edges.append(
            RawEdge(
                a=a, b=b, name=line.name, system=line.system, kind=line.kind, coords=line.coords
            )
        )
    if created:
        notes.append(
            f"{created} line end(s) more than {snap_km:g} km from any point became new sites "
            f"of kind {end_kind!r}"
        )
    notes.append(f"line ends within {snap_km:g} km of a point joined that point's site")
    return nodes, edges


# -- KML / KMZ ---------------------------------------------------------------------------
def _kml_root(path: Path) -> ET.Element:
    try:
        if path.suffix.lower() == ".kmz":
            with zipfile.ZipFile(path) as z:
                name = next((n for n in z.namelist() if n.lower().endswith(".kml")), None)
                if name is None:
                    msg = f"{path}: KMZ archive holds no .kml file"
                    raise DataError(msg)
                return ET.fromstring(z.read(name))
        return ET.parse(path).getroot()
    except (ET.ParseError, zipfile.BadZipFile) as exc:
        msg = f"{path}: cannot read as KML/KMZ ({exc})"
        raise DataError(msg) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _coords(text: str | None) -> list[tuple[float, float]]:
    out = []
    for token in (text or "").split():
        parts = token.split(",")
        if len(parts) >= 2:
            out.append((float(parts[0]), float(parts[1])))
    return out


def read_kml(path: Path, *, snap_km: float = 5.0) -> RawNetwork:
    """Placemarks of a KML or KMZ file: points become sites, line strings become links."""
    root = _kml_root(path)
    points: list[RawNode] = []
    lines: list[_Line] = []
    taken: set[str] = set()
    for mark in (el for el in root.iter() if _local(el.tag) == "Placemark"):
        name = next((c.text or "" for c in mark if _local(c.tag) == "name"), "").strip()
        for geom in mark.iter():
            tag = _local(geom.tag)
            if tag not in {"Point", "LineString"}:
                continue
            text = next((c.text for c in geom.iter() if _local(c.tag) == "coordinates"), "")
            xy = _coords(text)
            if tag == "Point" and xy:
                points.append(
                    RawNode(
                        id=unique_id(name or "site", taken),
                        name=name or "site",
                        lon=xy[0][0],
                        lat=xy[0][1],
                    )
                )
            elif tag == "LineString" and len(xy) >= 2:
                lines.append(_Line(name=name, coords=xy, system=name))
    notes = [f"read {len(points)} point and {len(lines)} line placemark(s) (KML)"]
    nodes, edges = _lines_to_network(
        "kml", points, lines, snap_km=snap_km, end_kind="city", notes=notes
    )
    notes.append("site kind 'city' and link kind 'terrestrial' assumed for every placemark")
    return RawNetwork(format="kml", nodes=nodes, edges=edges, notes=notes)


# -- cable GeoJSON ------------------------------------------------------------------------
def _landing_country(name: str) -> str:
    return name.rsplit(",", 1)[-1].strip() if "," in name else ""


def read_cables(
    path: Path,
    data: dict[str, Any] | None = None,
    *,
    landing_points: Path | None = None,
    snap_km: float = 5.0,
) -> RawNetwork:
    """Cable GeoJSON (TeleGeography style): each part of a cable's (Multi)LineString becomes a
    submarine link; points in the file or in ``landing_points`` (``"City, Country"`` names)
    become landing sites. Warns that TeleGeography's data are for non-commercial use."""
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    features = list(data.get("features", []))
    if landing_points is not None:
        more = json.loads(Path(landing_points).read_text(encoding="utf-8"))
        features += list(more.get("features", []))
    points: list[RawNode] = []
    lines: list[_Line] = []
    taken: set[str] = set()
    for f in features:
        geom = f.get("geometry") or {}
        props = f.get("properties") or {}
        name = str(props.get("name", "") or "")
        kind = geom.get("type")
        if kind == "Point":
            lon, lat = geom["coordinates"][:2]
            points.append(
                RawNode(
                    id=unique_id(str(props.get("slug") or name or "landing"), taken),
                    name=name.rsplit(",", 1)[0].strip() or name,
                    lon=float(lon),
                    lat=float(lat),
                    country=_landing_country(name),
                    kind="landing",
                )
            )
        elif kind in {"LineString", "MultiLineString"}:
            parts = [geom["coordinates"]] if kind == "LineString" else geom["coordinates"]
            for part in parts:
                xy = [(float(p[0]), float(p[1])) for p in part]
                lines.append(_Line(name=name, coords=xy, kind="submarine", system=name))
    notes = [f"read {len(points)} landing point(s) and {len(lines)} cable segment(s)"]
    nodes, edges = _lines_to_network(
        "cables", points, lines, snap_km=snap_km, end_kind="landing", notes=notes
    )
    notes.append("every cable segment is a submarine link with status 'existing'")
    return RawNetwork(
        format="cables-geojson",
        nodes=nodes,
        edges=edges,
        notes=notes,
        warnings=[NON_COMMERCIAL],
        attribution="TeleGeography submarine cable map (CC BY-NC-SA 3.0)",
    )


# -- PeeringDB ---------------------------------------------------------------------------
def _records(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = value.get("data", [])
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def read_peeringdb(path: Path, data: Any = None) -> RawNetwork:
    """A PeeringDB-style export: facilities (``fac``, with latitude/longitude) become data
    centre sites, exchanges (``ix``) become IXP sites placed at their first facility
    (``ixfac``). PeeringDB lists no fiber, so there are no links."""
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "fac" in data:
        facs, ixs, ixfacs = (_records(data.get(k)) for k in ("fac", "ix", "ixfac"))
    else:
        facs, ixs, ixfacs = _records(data), [], []
    nodes = []
    where: dict[Any, tuple[float, float, str]] = {}
    for r in facs:
        lon, lat = number(r.get("longitude")), number(r.get("latitude"))
        nodes.append(
            RawNode(
                id=f"fac-{r.get('id')}",
                name=str(r.get("name", "")),
                lon=lon,
                lat=lat,
                country=str(r.get("country", "") or ""),
                kind="datacenter",
            )
        )
        where[r.get("id")] = (lon, lat, str(r.get("country", "") or ""))
    first_fac: dict[Any, Any] = {}
    for r in ixfacs:
        first_fac.setdefault(r.get("ix_id"), r.get("fac_id"))
    placed = 0
    for r in ixs:
        lon, lat, country = where.get(first_fac.get(r.get("id")), (math.nan, math.nan, ""))
        placed += math.isfinite(lon)
        nodes.append(
            RawNode(
                id=f"ix-{r.get('id')}",
                name=str(r.get("name", "")),
                lon=lon,
                lat=lat,
                country=str(r.get("country", "") or country),
                kind="ixp",
            )
        )
    notes = [
        f"read {len(facs)} facilit(ies) and {len(ixs)} exchange(s) (PeeringDB)",
        "PeeringDB lists facilities and exchanges, not fiber: no links (add a links file)",
    ]
    if ixs:
        notes.append(f"{placed} exchange(s) placed at the coordinates of their first facility")
    return RawNetwork(
        format="peeringdb",
        nodes=nodes,
        edges=[],
        notes=notes,
        attribution="PeeringDB (peeringdb.com), data under its acceptable use policy",
    )
