"""Interchange: read other network formats into corridor's sites/links schema.

:func:`convert` reads a file, guesses its format (or takes ``format``) and returns a
:class:`Conversion`: validated site and link tables plus a report of every assumption made
(nodes dropped for lack of coordinates, countries taken from coordinates, straight lines drawn,
stated lengths turned into route factors, ...) and any licence warning. :func:`write_geopackage`
writes both tables as layers ``sites`` and ``links`` of one GeoPackage, which
:func:`corridor.network.load_network` (``--sites FILE.gpkg --links FILE.gpkg``) reads.

=================  ==========================================================================
format             what
=================  ==========================================================================
``graphml``        Topology Zoo GraphML (node ``Latitude``/``Longitude``/``Country``/``label``)
``gml``            Topology Zoo GML (same attributes)
``sndlib``         SNDlib native text (``NODES``/``LINKS``; DEGREES.MINUTES detected)
``sndlib-xml``     SNDlib XML (``<network><networkStructure>``)
``topohub``        TopoHub JSON (node-link graph with ``pos`` and ``dist``)
``kml``            KML or KMZ placemarks (points = sites, line strings = links)
``cables-geojson`` cable GeoJSON in TeleGeography's style (warns: non-commercial licence)
``peeringdb``      PeeringDB-style facility/exchange JSON (sites only)
=================  ==========================================================================
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from corridor._errors import DataError, RequestError
from corridor.convert._geo import read_cables, read_kml, read_peeringdb
from corridor.convert._graphs import (
    read_graph_file,
    read_sndlib_native,
    read_sndlib_xml,
    read_topohub,
)
from corridor.convert._tables import Conversion, RawNetwork, to_tables

__all__ = ["FORMATS", "Conversion", "convert", "detect_format", "write_geopackage"]

FORMATS = (
    "graphml",
    "gml",
    "sndlib",
    "sndlib-xml",
    "topohub",
    "kml",
    "cables-geojson",
    "peeringdb",
)
_COORDINATES = ("auto", "decimal", "degrees-minutes")


def _json_format(data: Any) -> str | None:
    if isinstance(data, dict):
        if data.get("type") == "FeatureCollection":
            return "cables-geojson"
        if "nodes" in data and ("edges" in data or "links" in data):
            return "topohub"
        if "fac" in data or "ix" in data:
            return "peeringdb"
        records = data.get("data")
    else:
        records = data
    first = records[0] if isinstance(records, list) and records else None
    if isinstance(first, dict) and ("latitude" in first or "longitude" in first):
        return "peeringdb"
    return None


def detect_format(path: str | Path) -> str:
    """The format of a file, from its extension and, for JSON and text, its content."""
    path = Path(path)
    suffix = path.suffix.lower()
    by_suffix = {".graphml": "graphml", ".gml": "gml", ".kml": "kml", ".kmz": "kml"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    if suffix == ".xml" or head.lstrip().startswith("<"):
        if "sndlib" in head.lower() or "<network" in head:
            return "sndlib-xml"
        if "<graphml" in head:
            return "graphml"
        if "<kml" in head:
            return "kml"
    if "NODES (" in head or "NODES(" in head:
        return "sndlib"
    if suffix in {".json", ".geojson"} or head.lstrip()[:1] in {"{", "["}:
        try:
            found = _json_format(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, UnicodeDecodeError):
            found = None
        if found:
            return found
    msg = (
        f"{path}: cannot tell the format from the name or content; pass one of {', '.join(FORMATS)}"
    )
    raise DataError(msg)


def _read(
    path: Path, fmt: str, *, coordinates: str, snap_km: float, landing_points: Path | None
) -> RawNetwork:
    if fmt in {"graphml", "gml"}:
        return read_graph_file(path)
    if fmt == "sndlib":
        return read_sndlib_native(path, coordinates=coordinates)
    if fmt == "sndlib-xml":
        return read_sndlib_xml(path, coordinates=coordinates)
    if fmt == "kml":
        return read_kml(path, snap_km=snap_km)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path}: not valid JSON ({exc})"
        raise DataError(msg) from exc
    if fmt == "topohub":
        return read_topohub(path, data)
    if fmt == "cables-geojson":
        return read_cables(path, data, landing_points=landing_points, snap_km=snap_km)
    return read_peeringdb(path, data)


def convert(
    source: str | Path,
    *,
    format: str | None = None,
    coordinates: str = "auto",
    snap_km: float = 5.0,
    landing_points: str | Path | None = None,
) -> Conversion:
    """Read ``source`` (a file in one of :data:`FORMATS`) into sites and links.

    Parameters
    ----------
    format
        One of :data:`FORMATS`; guessed from the file when omitted.
    coordinates
        SNDlib only: ``auto`` detects DEGREES.MINUTES (as in nobel-eu), ``decimal`` or
        ``degrees-minutes`` force one reading.
    snap_km
        KML and cable GeoJSON: how far a line's end may be from a point to join its site.
    landing_points
        Cable GeoJSON: a GeoJSON of landing points (``"City, Country"`` names) to join.

    Raises
    ------
    DataError
        When the file is missing, unreadable, or its content does not make a valid network.
    RequestError
        For an unknown format or coordinates option.
    """
    from corridor._validate import check_number

    path = Path(source)
    if not path.is_file():
        msg = f"{path}: file not found"
        raise DataError(msg)
    if format is not None and format not in FORMATS:
        msg = f"unknown format {format!r}; use one of {', '.join(FORMATS)}"
        raise RequestError(msg)
    if coordinates not in _COORDINATES:
        msg = f"coordinates must be one of {', '.join(_COORDINATES)}, got {coordinates!r}"
        raise RequestError(msg)
    check_number(snap_km, "snap_km", unit="km")
    fmt = format or detect_format(path)
    lp = Path(landing_points) if landing_points is not None else None
    if lp is not None and not lp.is_file():
        msg = f"{lp}: file not found"
        raise DataError(msg)
    raw = _read(path, fmt, coordinates=coordinates, snap_km=snap_km, landing_points=lp)
    return to_tables(raw, source=f"{path.name} ({fmt})")


def write_geopackage(conversion: Conversion, path: str | Path) -> Path:
    """Write the sites and links as layers ``sites`` and ``links`` of one GeoPackage
    (atomically: a reader never sees half a file)."""
    from corridor._atomic import replace_atomically

    def write(tmp: Path) -> None:
        # GDAL wants the .gpkg extension: stage the file under it, then move it onto ``tmp``
        staged = tmp.with_name(f"{tmp.name}.gpkg")
        links = conversion.links.copy()
        links["rfs"] = links["rfs"].astype("float64")
        try:
            conversion.sites.to_file(staged, layer="sites", driver="GPKG", engine="pyogrio")
            links.to_file(
                staged, layer="links", driver="GPKG", engine="pyogrio", geometry_type="LineString"
            )
            os.replace(staged, tmp)
        finally:
            staged.unlink(missing_ok=True)

    return replace_atomically(path, write, what="GeoPackage")
