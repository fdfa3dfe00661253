"""Candidate files: read and validate user candidates into link rows for the network.

Users add candidates from a file (:func:`read_candidates`); the rows are appended to the network
by :func:`~corridor.invest.candidates.candidate_network`.

* GeoJSON (or any vector file geopandas reads): LineString features with ``a``, ``b``, ``kind``
  (terrestrial / submarine), ``capex_eur_m`` and optional ``id``, ``name``, ``system``,
  ``opex_eur_m_per_year``, ``lifetime_years``, ``capex_basis``, ``srlg``, ``group``,
  ``group_capex_eur_m``. The length is the geodesic length of the geometry times the latency
  model's default route factor.
* CSV: ``a``, ``b``, ``kind``, ``capex_eur_m`` and optional ``waypoints`` (``"lon lat; lon lat"``),
  ``opex_eur_m_per_year``, ``lifetime_years``, ``id``, ``name``, ``system``, ``srlg``,
  ``group``, ``group_capex_eur_m``. With waypoints the line is ``a -> waypoints -> b`` with the
  model's route factor; without, the great circle with the **assumed** route factors
  :data:`GC_ROUTE_FACTOR` (1.25 terrestrial: roads, rail and terrain; 1.10 submarine: sea lanes
  around coasts), documented assumptions, not data.

Sites are given by id or name. A candidate is refused (:class:`~corridor.DataError`, one line)
for an unknown site, a missing, non-numeric, zero or negative capex, an unknown kind, or when
it duplicates a link of the network (same two sites, same kind, length within
:data:`DUPLICATE_TOLERANCE`).

Rows sharing a ``group`` value are one candidate (see :mod:`corridor.invest.candidates`,
"Groups"); :func:`read_candidates` checks that a group's capex is consistent.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from corridor._errors import DataError, UnknownSiteError
from corridor.invest.candidates import DEFAULT_LIFETIME_YEARS, _num, _text
from corridor.io import read_table
from corridor.network import GEOD, Network

__all__ = ["DUPLICATE_TOLERANCE", "GC_ROUTE_FACTOR", "read_candidates"]

#: Route factor over the great circle for a candidate given without geometry (assumption).
GC_ROUTE_FACTOR = {"terrestrial": 1.25, "submarine": 1.10}
#: A candidate within this relative length (or 5 km) of a same-kind link between the same sites
#: is a duplicate of it.
DUPLICATE_TOLERANCE = 0.02


def _parse_waypoints(text: str, where: str) -> list[tuple[float, float]]:
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        bits = part.replace(",", " ").split()
        try:
            lon, lat = float(bits[0]), float(bits[1])
        except (IndexError, ValueError):
            msg = f"{where}: waypoint {part!r} is not 'lon lat'"
            raise DataError(msg) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            msg = f"{where}: waypoint {part!r} is out of range"
            raise DataError(msg)
        out.append((lon, lat))
    return out


def read_candidates(net: Network, path: str | Path) -> gpd.GeoDataFrame:
    """Read user candidates (GeoJSON / vector file or CSV) into link rows for the network.

    Returns a links table (status ``"proposed"``) with extra columns ``opex_eur_m_per_year``
    and ``lifetime_years``; pass it to :func:`~corridor.invest.candidates.candidate_network`.

    Raises
    ------
    DataError
        One line naming the file, row and field: unknown site, bad kind, missing / negative /
        zero capex, bad waypoint, unreadable file.
    """
    p = Path(path)
    where = str(p)
    if not p.exists():
        msg = f"{where}: candidate file not found"
        raise DataError(msg)
    if p.suffix.lower() == ".csv":
        try:
            with open(p, newline="", encoding="utf-8") as fh:
                records = list(csv.DictReader(fh))
        except OSError as exc:
            msg = f"{where}: cannot read candidates: {exc.strerror or exc}"
            raise DataError(msg) from exc
        geoms: list[Any] = [None] * len(records)
    else:
        table = read_table(p)
        records = table.drop(columns="geometry").to_dict(orient="records")
        geoms = list(table.geometry)
    if not records:
        msg = f"{where}: no candidates in the file"
        raise DataError(msg)
    point = dict(zip(net.sites["id"], net.sites.geometry, strict=True))
    rows = []
    for i, (rec, geom) in enumerate(zip(records, geoms, strict=True)):
        label = f"{where}: candidate {rec.get('id') or i + 1}"
        for field in ("a", "b", "kind"):
            if not str(rec.get(field) or "").strip():
                msg = f"{label}: field {field!r} is missing"
                raise DataError(msg)
        try:
            a = net.resolve_site(str(rec["a"]).strip())
            b = net.resolve_site(str(rec["b"]).strip())
        except UnknownSiteError as exc:
            msg = f"{label}: {exc}"
            raise DataError(msg) from None
        if a == b:
            msg = f"{label}: both ends are the site {a!r}"
            raise DataError(msg)
        kind = str(rec["kind"]).strip().lower()
        if kind not in GC_ROUTE_FACTOR:
            msg = f"{label}: kind {rec['kind']!r} is not terrestrial or submarine"
            raise DataError(msg)
        group = _text(rec.get("group"))
        group_capex = _num(rec.get("group_capex_eur_m"))
        if _text(rec.get("group_capex_eur_m")) and not (
            group and math.isfinite(group_capex) and group_capex > 0
        ):
            shown = rec.get("group_capex_eur_m")
            msg = (
                f"{label}: group_capex_eur_m {shown!r} needs a group and must be a number > 0 "
                "(EUR millions)"
            )
            raise DataError(msg)
        capex = _num(rec.get("capex_eur_m"))
        if not (math.isfinite(capex) and capex > 0):
            shown = rec.get("capex_eur_m")
            if not (group and not _text(shown)):  # a group's row may leave it to the group
                msg = f"{label}: capex_eur_m {shown!r} must be a number > 0 (EUR millions)"
                raise DataError(msg)
            capex = math.nan
        opex = _num(rec.get("opex_eur_m_per_year"))
        opex = 0.0 if math.isnan(opex) else opex
        life = _num(rec.get("lifetime_years"))
        life = DEFAULT_LIFETIME_YEARS if math.isnan(life) else life
        if opex < 0 or not life > 0:
            msg = f"{label}: opex must be >= 0 and lifetime > 0"
            raise DataError(msg)
        route_factor = math.nan
        if geom is None or getattr(geom, "is_empty", True):
            wps = _parse_waypoints(str(rec.get("waypoints") or ""), label)
            pa, pb = point[a], point[b]
            geom = shapely.LineString([(pa.x, pa.y), *wps, (pb.x, pb.y)])
            if not wps:
                route_factor = GC_ROUTE_FACTOR[kind]
        if geom.geom_type != "LineString":
            msg = f"{label}: geometry must be a LineString, got {geom.geom_type}"
            raise DataError(msg)
        cid = _text(rec.get("id")) or f"cand-{a}-{b}-{i + 1}"
        basis = _text(rec.get("capex_basis")) or f"user: {p.name}"
        rows.append(
            {
                "id": cid,
                "name": str(rec.get("name") or "").strip() or cid,
                "system": _text(rec.get("system")) or group or cid,
                "kind": kind,
                "status": "proposed",
                "rfs": pd.NA,
                "a": a,
                "b": b,
                "capacity_tbps": math.nan,
                "capex_eur_m": capex,
                "capex_basis": basis,
                "srlg": str(rec.get("srlg") or "").strip(),
                "route_factor": route_factor,
                "source": where,
                "opex_eur_m_per_year": opex,
                "lifetime_years": life,
                "group": group,
                "group_capex_eur_m": group_capex,
                "geometry": geom,
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    dup = out["id"].duplicated()
    clash = out["id"].isin(set(net.links["id"]))
    if dup.any() or clash.any():
        bad = out.loc[dup | clash, "id"].iat[0]
        msg = f"{where}: candidate id {bad!r} is used twice or by a network link"
        raise DataError(msg)
    _check_groups(out, set(net.links["id"]), where)
    _check_duplicates(net, out, where)
    return out


def _check_groups(rows: gpd.GeoDataFrame, link_ids: set[str], where: str) -> None:
    """One capex per group: ``group_capex_eur_m`` equal on the rows giving it, or every row's."""
    for group, part in rows[rows["group"] != ""].groupby("group", sort=False):
        if group in link_ids or group in set(rows["id"]):
            msg = f"{where}: group {group!r} has the id of a link or candidate; rename the group"
            raise DataError(msg)
        given = part["group_capex_eur_m"].dropna()
        if len(given) and not np.allclose(given, given.iat[0], rtol=1e-9, atol=0.0):
            values = " vs ".join(f"{v:g}" for v in dict.fromkeys(given))
            msg = f"{where}: group {group!r}: group_capex_eur_m differs between its rows ({values})"
            raise DataError(msg)
        missing = part["capex_eur_m"].isna()
        if missing.any() and not len(given):
            msg = (
                f"{where}: group {group!r}: candidate {part.loc[missing, 'id'].iat[0]!r} has no "
                "capex_eur_m and the group gives no group_capex_eur_m"
            )
            raise DataError(msg)


def _check_duplicates(net: Network, rows: gpd.GeoDataFrame, where: str) -> None:
    links = net.links
    key: dict[tuple[frozenset[str], str], list[Any]] = {}
    for row in links.itertuples(index=False):
        key.setdefault((frozenset((row.a, row.b)), row.kind), []).append(row)
    for row in rows.itertuples(index=False):
        km = GEOD.geometry_length(row.geometry) / 1000.0
        rf = row.route_factor if math.isfinite(row.route_factor) else 1.0
        km_model = km * rf
        for other in key.get((frozenset((row.a, row.b)), row.kind), []):
            other_km = float(other.length_km) * float(other.route_factor)
            if abs(km_model - other_km) <= max(5.0, DUPLICATE_TOLERANCE * other_km) or abs(
                km - float(other.length_km)
            ) <= max(5.0, DUPLICATE_TOLERANCE * float(other.length_km)):
                msg = (
                    f"{where}: candidate {row.id!r} duplicates {other.status} link {other.id!r} "
                    f"({row.a}-{row.b}, {row.kind}, ~{other.length_km:,.0f} km)"
                )
                raise DataError(msg)
