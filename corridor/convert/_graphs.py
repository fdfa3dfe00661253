"""Readers of graph formats: Topology Zoo GraphML/GML, SNDlib native and XML, TopoHub JSON."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.convert._tables import RawEdge, RawNetwork, RawNode, number

__all__ = ["read_graph_file", "read_sndlib_native", "read_sndlib_xml", "read_topohub"]

TOPOLOGY_ZOO = "Internet Topology Zoo (Knight et al., IEEE JSAC 2011), CC BY 4.0, topology-zoo.org"
SNDLIB = "SNDlib (Orlowski et al., Networks 2010), sndlib.put.poznan.pl"
TOPOHUB = "TopoHub (MIT licence); synthetic backbone graph, not surveyed fiber routes"


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> float:
    for key in keys:
        if key in data:
            x = number(data[key])
            if math.isfinite(x):
                return x
    return math.nan


def read_graph_file(path: Path) -> RawNetwork:
    """A Topology Zoo GraphML or GML file (any networkx-readable graph with lon/lat on nodes)."""
    import networkx as nx

    suffix = path.suffix.lower()
    try:
        graph = nx.read_gml(path, label="id") if suffix == ".gml" else nx.read_graphml(path)
    except Exception as exc:  # any parser failure becomes one line
        msg = f"{path}: cannot read as {'GML' if suffix == '.gml' else 'GraphML'} ({exc})"
        raise DataError(msg) from exc
    nodes = []
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", "") or "")
        nodes.append(
            RawNode(
                id=str(node),
                name=label if label and label != "None" else str(node),
                lon=_first(data, ("Longitude", "longitude", "lon", "x")),
                lat=_first(data, ("Latitude", "latitude", "lat", "y")),
                country=str(data.get("Country", data.get("country", "")) or ""),
            )
        )
    edges = []
    items = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, 0, d) for u, v, d in graph.edges(data=True))
    )
    for u, v, key, data in items:
        label = str(data.get("LinkLabel", data.get("label", "")) or "")
        edges.append(
            RawEdge(
                a=str(u),
                b=str(v),
                id=f"{u}|{v}" + (f"|{key}" if key else ""),
                name=label,
                length_km=_first(data, ("length_km", "dist", "distance")),
            )
        )
    name = str(graph.graph.get("Network", graph.graph.get("label", path.stem)))
    notes = [f"read {len(nodes)} node(s) and {len(edges)} edge(s) of {name!r}"]
    attribution = TOPOLOGY_ZOO if "GeoLocation" in graph.graph or "Network" in graph.graph else ""
    return RawNetwork(
        format="graphml" if suffix != ".gml" else "gml",
        nodes=nodes,
        edges=edges,
        notes=notes,
        attribution=attribution,
    )


def _section(text: str, name: str) -> list[str]:
    match = re.search(rf"^{name}\s*\((.*?)^\)", text, re.S | re.M)
    if match is None:
        return []
    return [ln.strip() for ln in match.group(1).splitlines() if ln.strip()]


def _degrees_minutes(values: list[float]) -> bool:
    """All coordinates look like DEGREES.MINUTES: at most two decimals, minutes below 60."""
    if len(values) < 8:
        return False
    for x in values:
        minutes = round(abs(x) * 100) % 100
        if abs(abs(x) * 100 - round(abs(x) * 100)) > 1e-6 or minutes >= 60:
            return False
    return True


def _from_degrees_minutes(x: float) -> float:
    degrees = math.trunc(x)
    minutes = round((abs(x) - abs(degrees)) * 100, 6)
    return math.copysign(abs(degrees) + minutes / 60.0, x)


def _fix_coordinates(nodes: list[RawNode], coordinates: str, notes: list[str]) -> None:
    values = [v for n in nodes for v in (n.lon, n.lat) if math.isfinite(v)]
    use = coordinates == "degrees-minutes" or (coordinates == "auto" and _degrees_minutes(values))
    if not use:
        return
    for n in nodes:
        n.lon, n.lat = _from_degrees_minutes(n.lon), _from_degrees_minutes(n.lat)
    why = (
        "as asked"
        if coordinates == "degrees-minutes"
        else ("every coordinate has two decimals below .60; pass coordinates='decimal' to override")
    )
    notes.append(f"coordinates read as DEGREES.MINUTES ({why})")


def read_sndlib_native(path: Path, *, coordinates: str = "auto") -> RawNetwork:
    """An SNDlib native-format network (``NODES ( id ( lon lat ) ... )``, ``LINKS (...)``)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    node_lines = _section(text, "NODES")
    if not node_lines:
        msg = f"{path}: no NODES section (not an SNDlib native file)"
        raise DataError(msg)
    nodes = []
    for line in node_lines:
        m = re.match(r"(\S+)\s*\(\s*(\S+)\s+(\S+)\s*\)", line)
        if m is None:
            msg = f"{path}: cannot read node line {line!r}"
            raise DataError(msg)
        nodes.append(RawNode(id=m[1], name=m[1], lon=number(m[2]), lat=number(m[3])))
    edges = []
    for line in _section(text, "LINKS"):
        m = re.match(r"(\S+)\s*\(\s*(\S+)\s+(\S+)\s*\)", line)
        if m is None:
            msg = f"{path}: cannot read link line {line!r}"
            raise DataError(msg)
        edges.append(RawEdge(a=m[2], b=m[3], id=m[1], name=m[1]))
    notes = [f"read {len(nodes)} node(s) and {len(edges)} link(s) (SNDlib native)"]
    _fix_coordinates(nodes, coordinates, notes)
    notes.append("SNDlib link capacities, costs and demands are not converted")
    return RawNetwork(format="sndlib", nodes=nodes, edges=edges, notes=notes, attribution=SNDLIB)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_sndlib_xml(path: Path, *, coordinates: str = "auto") -> RawNetwork:
    """An SNDlib XML network (``<network><networkStructure><nodes>/<links>``)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        msg = f"{path}: not well-formed XML ({exc})"
        raise DataError(msg) from exc
    nodes, edges = [], []
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "node":
            xy = {_local(c.tag): c.text for c in el.iter() if _local(c.tag) in {"x", "y"}}
            nid = el.get("id", "")
            nodes.append(
                RawNode(id=nid, name=nid, lon=number(xy.get("x")), lat=number(xy.get("y")))
            )
        elif tag == "link":
            ends = {_local(c.tag): (c.text or "").strip() for c in el}
            if "source" in ends and "target" in ends:
                lid = el.get("id", "")
                edges.append(RawEdge(a=ends["source"], b=ends["target"], id=lid, name=lid))
    if not nodes:
        msg = f"{path}: no <node> elements (not an SNDlib XML network)"
        raise DataError(msg)
    notes = [f"read {len(nodes)} node(s) and {len(edges)} link(s) (SNDlib XML)"]
    _fix_coordinates(nodes, coordinates, notes)
    notes.append("SNDlib link capacities, costs and demands are not converted")
    return RawNetwork(
        format="sndlib-xml", nodes=nodes, edges=edges, notes=notes, attribution=SNDLIB
    )


_TOPOHUB_KINDS = {"Seacable Landing Point": "landing", "City": "city"}


def read_topohub(path: Path, data: dict[str, Any] | None = None) -> RawNetwork:
    """A TopoHub JSON graph (networkx node-link: nodes with ``pos`` [lon, lat], edges with
    ``dist`` km and ``type`` normal/seacable). Sea-cable waypoints become sites of kind
    ``landing`` so their cables stay connected."""
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    key = "edges" if "edges" in data else "links"
    nodes = []
    waypoints = 0
    for n in data.get("nodes", []):
        pos = n.get("pos") or [math.nan, math.nan]
        kind = _TOPOHUB_KINDS.get(str(n.get("type", "")), "landing")
        waypoints += str(n.get("type", "")) == "Seacable Waypoint"
        nid = str(n.get("id"))
        nodes.append(
            RawNode(
                id=nid,
                name=str(n.get("name", "") or f"{n.get('type', 'node')} {nid}"),
                lon=number(pos[0]),
                lat=number(pos[1]),
                kind=kind,
            )
        )
    edges = [
        RawEdge(
            a=str(e.get("source")),
            b=str(e.get("target")),
            kind="submarine" if str(e.get("type", "")) == "seacable" else "terrestrial",
            length_km=number(e.get("dist")),
        )
        for e in data.get(key, [])
    ]
    name = data.get("graph", {}).get("name", path.stem)
    notes = [
        f"read {len(nodes)} node(s) and {len(edges)} edge(s) of TopoHub graph {name!r}",
        f"{waypoints} sea-cable waypoint(s) kept as sites of kind 'landing'",
        "TopoHub graphs are generated, not surveyed: use them for scale tests, not planning",
    ]
    return RawNetwork(format="topohub", nodes=nodes, edges=edges, notes=notes, attribution=TOPOHUB)
