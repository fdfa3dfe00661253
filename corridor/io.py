"""Reading and validating sites and links from GIS files.

Any format geopandas reads works: GeoJSON, GeoPackage, Shapefile, FlatGeobuf (through pyogrio) and
GeoParquet. Each reader checks the schema and raises :class:`~corridor._errors.DataError` with a
one-line message naming the file, the feature id and the field at fault. Geometries are returned
in EPSG:4326 (lon, lat); a file without a CRS is refused, since guessing one silently would put
every site in the wrong place.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from corridor._errors import DataError
from corridor._validate import iso_countries

__all__ = [
    "LINK_CONFIDENCES",
    "LINK_KINDS",
    "LINK_STATUSES",
    "SITE_KINDS",
    "read_countries",
    "read_links",
    "read_sites",
    "read_table",
    "validate_links",
    "validate_sites",
]

SITE_KINDS = ("city", "datacenter", "ixp", "landing", "border")
LINK_KINDS = ("terrestrial", "submarine")
#: ``suspended``: built but not known to carry traffic (e.g. across a closed border); routing
#: leaves such links out unless asked for them (status ``"any"``).
LINK_STATUSES = ("existing", "planned", "proposed", "suspended")
#: ``documented``: a source names the system and its route; ``inferred``: fiber is likely but
#: the exact route is not published (the expected-RTT model may charge a penalty).
LINK_CONFIDENCES = ("documented", "inferred")
SITE_STATUSES = ("existing", "planned", "proposed")

_SITE_DEFAULTS: dict[str, Any] = {
    "region": "",
    "status": "existing",
    "source": "",
    "delay_ms": math.nan,
    "population": math.nan,
    "racks": math.nan,
    "power_mw": math.nan,
    "tier": "",
}
_LINK_DEFAULTS: dict[str, Any] = {
    "name": "",
    "system": "",
    "rfs": pd.NA,
    "capacity_tbps": math.nan,
    "capex_eur_m": math.nan,
    "capex_basis": "",
    "srlg": "",
    "route_factor": math.nan,
    "confidence": "documented",
    "funders": "",
    "funding_share": math.nan,
    "countries": "",
    "source": "",
}


def read_table(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file into a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path
        A GeoJSON, GeoPackage, Shapefile, FlatGeobuf or GeoParquet file.
    layer
        Layer name for multi-layer formats such as GeoPackage.

    Raises
    ------
    DataError
        When the file is missing, unreadable, or has no CRS.
    """
    path = Path(path)
    if not path.exists():
        msg = f"{path}: file not found"
        raise DataError(msg)
    try:
        # GDAL reports what it could not read (an unsupported geometry, a bad coordinate) as
        # warnings; the schema checks below refuse the result with one line instead.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if path.suffix.lower() in {".parquet", ".geoparquet"}:
                table = gpd.read_parquet(path)
            else:
                kwargs = {"layer": layer} if layer is not None else {}
                # Arrow transfer: the same table, about twice as fast on large files
                table = gpd.read_file(path, engine="pyogrio", use_arrow=True, **kwargs)
    except Exception as exc:  # any reader failure becomes one clear line
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        msg = f"{path}: cannot read as a GIS file ({reason})"
        raise DataError(msg) from exc
    if not isinstance(table, gpd.GeoDataFrame) or table.geometry is None:
        msg = f"{path}: no geometry column"
        raise DataError(msg)
    if table.crs is None:
        msg = f"{path}: no coordinate reference system; write the file with one (e.g. EPSG:4326)"
        raise DataError(msg)
    if not table.crs.equals("EPSG:4326"):
        try:
            table = table.to_crs("EPSG:4326")
        except Exception as exc:
            msg = f"{path}: cannot reproject from {table.crs.to_string()} to EPSG:4326 ({exc})"
            raise DataError(msg) from exc
    return table


def _require_columns(table: pd.DataFrame, columns: Iterable[str], where: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        msg = f"{where}: missing required field(s) {', '.join(repr(c) for c in missing)}"
        raise DataError(msg)


def _ids(table: pd.DataFrame, where: str, what: str) -> pd.Series:
    ids = table["id"]
    empty = ids.isna().to_numpy() | (ids.astype(object).astype(str) == "").to_numpy()
    if empty.any():
        msg = f"{where}: {what} #{int(np.flatnonzero(empty)[0]) + 1}: field 'id' is empty"
        raise DataError(msg)
    ids = ids.astype(str)
    dup = ids[ids.duplicated()]
    if len(dup):
        msg = f"{where}: {what} {dup.iloc[0]!r}: field 'id' is not unique"
        raise DataError(msg)
    return ids


def _check_values(
    table: pd.DataFrame,
    field: str,
    allowed: Iterable[str],
    where: str,
    what: str,
) -> None:
    allowed = tuple(allowed)
    bad = ~table[field].isin(allowed)
    if bad.any():
        row = table[bad].iloc[0]
        msg = (
            f"{where}: {what} {row['id']!r}: field {field!r}: unknown value {row[field]!r} "
            f"(expected one of {', '.join(allowed)})"
        )
        raise DataError(msg)


def _check_numeric(
    table: pd.DataFrame,
    field: str,
    where: str,
    what: str,
    *,
    valid: Callable[[np.ndarray], np.ndarray],
    rule: str,
) -> pd.Series:
    raw = table[field]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    given = (raw.notna() & (raw.astype(str) != "")).to_numpy()
    numbers = values.to_numpy()
    with np.errstate(invalid="ignore"):
        ok = ~given | (np.isfinite(numbers) & valid(np.nan_to_num(numbers)))
    if not ok.all():
        pos = int(np.flatnonzero(~ok)[0])
        value = raw.iloc[pos]
        shown = value.item() if hasattr(value, "item") else value
        msg = f"{where}: {what} {table['id'].iloc[pos]!r}: field {field!r}: {shown!r} is not {rule}"
        raise DataError(msg)
    return values


def _check_geometry(table: gpd.GeoDataFrame, types: tuple[str, ...], where: str, what: str) -> None:
    geoms = table.geometry.to_numpy()
    ids = table["id"].to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        msg = f"{where}: {what} {ids[np.flatnonzero(empty)[0]]!r}: empty geometry"
        raise DataError(msg)
    kinds = shapely.get_type_id(geoms)
    wanted = [_GEOMETRY_TYPE_IDS[t] for t in types]
    wrong = ~np.isin(kinds, wanted)
    if wrong.any():
        pos = int(np.flatnonzero(wrong)[0])
        msg = (
            f"{where}: {what} {ids[pos]!r}: geometry is a {geoms[pos].geom_type}, "
            f"expected {' or '.join(types)}"
        )
        raise DataError(msg)
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    outside = (
        (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90) | ~np.isfinite(coords).all(1)
    )
    if outside.any():
        pos = int(owner[np.flatnonzero(outside)[0]])
        msg = f"{where}: {what} {ids[pos]!r}: coordinates outside lon -180..180 / lat -90..90"
        raise DataError(msg)


_GEOMETRY_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiLineString": 5}


def _fill_defaults(table: pd.DataFrame, defaults: dict[str, Any]) -> pd.DataFrame:
    table = table.copy()
    for column, default in defaults.items():
        if column not in table.columns:
            table[column] = default
    return table


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def validate_sites(table: gpd.GeoDataFrame, *, where: str = "sites") -> gpd.GeoDataFrame:
    """Check a sites table and return it normalised (defaults filled, text columns as str).

    Required fields: ``id``, ``name``, ``kind`` (one of :data:`SITE_KINDS`), ``country``
    (ISO 3166-1 alpha-2). Optional: ``region``, ``status`` (default ``existing``), ``source``,
    ``delay_ms`` (equipment delay at this site, overriding the model's default), ``population``
    (people living in the city the site names, a number >= 0; empty when unknown or not a city),
    and for data centres ``racks``, ``power_mw`` (numbers >= 0) and ``tier`` (Uptime tier, text).
    """
    _require_columns(table, ["id", "name", "kind", "country"], where)
    table = _fill_defaults(table, _SITE_DEFAULTS)
    table["id"] = _ids(table, where, "site")
    for column in ("name", "kind", "country", "region", "status", "tier", "source"):
        table[column] = _text(table[column])
    table["status"] = table["status"].replace("", "existing")
    _check_values(table, "kind", SITE_KINDS, where, "site")
    _check_values(table, "status", SITE_STATUSES, where, "site")
    bad = ~table["country"].isin(iso_countries())
    if bad.any():
        row = table[bad].iloc[0]
        msg = (
            f"{where}: site {row['id']!r}: field 'country': {row['country']!r} is not an "
            "ISO 3166-1 alpha-2 country code"
        )
        raise DataError(msg)
    table["delay_ms"] = _check_numeric(
        table, "delay_ms", where, "site", valid=lambda v: v >= 0, rule="a number >= 0"
    )
    for column in ("population", "racks", "power_mw"):
        table[column] = _check_numeric(
            table, column, where, "site", valid=lambda v: v >= 0, rule="a number >= 0"
        )
    _check_geometry(table, ("Point",), where, "site")
    return table.reset_index(drop=True)


def validate_links(table: gpd.GeoDataFrame, *, where: str = "links") -> gpd.GeoDataFrame:
    """Check a links table and return it normalised.

    Required fields: ``id``, ``a``, ``b`` (site ids), ``kind`` (:data:`LINK_KINDS`), ``status``
    (:data:`LINK_STATUSES`). Optional: ``name``, ``system``, ``rfs``, ``capacity_tbps``,
    ``capex_eur_m``, ``capex_basis``, ``srlg`` (``;``-separated ids), ``route_factor``,
    ``confidence`` (:data:`LINK_CONFIDENCES`; empty or missing means ``documented``: a user's
    own links are taken as known routes), ``funders`` (``;``-separated), ``funding_share``
    (0-1, the share of the cost the funders cover), ``countries`` (ISO codes a terrestrial link
    crosses, ``;``-separated, overriding the overlay with the borders; kept as
    ``countries_given``), ``source``. Geometry: a LineString (a
    MultiLineString whose parts join into one line is merged).
    """
    _require_columns(table, ["id", "a", "b", "kind", "status"], where)
    if "countries_given" in table.columns:  # a table validated before: its own field comes back
        table = table.drop(columns=[c for c in ("countries",) if c in table.columns])
        table = table.rename(columns={"countries_given": "countries"})
    elif "countries" in table.columns:  # a network's links table: tuples of codes
        given = [";".join(c) if isinstance(c, tuple | list) else c for c in table["countries"]]
        table = table.assign(countries=given)
    table = _fill_defaults(table, _LINK_DEFAULTS)
    table["id"] = _ids(table, where, "link")
    for column in (
        "a", "b", "kind", "status", "name", "system", "capex_basis", "srlg", "confidence",
        "funders", "countries", "source",
    ):  # fmt: skip
        table[column] = _text(table[column])
    codes = table["countries"].str.split(";").explode().str.strip()
    bad_codes = codes[(codes != "") & ~codes.isin(iso_countries())]
    if len(bad_codes):
        row = table.loc[bad_codes.index[0]]
        msg = (
            f"{where}: link {row['id']!r}: field 'countries': {bad_codes.iloc[0]!r} is not an "
            "ISO 3166-1 alpha-2 country code"
        )
        raise DataError(msg)
    table = table.rename(columns={"countries": "countries_given"})
    table["confidence"] = table["confidence"].replace("", "documented")
    _check_values(table, "kind", LINK_KINDS, where, "link")
    _check_values(table, "status", LINK_STATUSES, where, "link")
    _check_values(table, "confidence", LINK_CONFIDENCES, where, "link")
    same = table["a"] == table["b"]
    if same.any():
        row = table[same].iloc[0]
        msg = f"{where}: link {row['id']!r}: fields 'a' and 'b' are the same site {row['a']!r}"
        raise DataError(msg)
    for field in ("a", "b"):
        empty = table[field] == ""
        if empty.any():
            msg = f"{where}: link {table[empty]['id'].iloc[0]!r}: field {field!r} is empty"
            raise DataError(msg)
    table["capacity_tbps"] = _check_numeric(
        table, "capacity_tbps", where, "link", valid=lambda v: v > 0, rule="a number > 0"
    )
    table["capex_eur_m"] = _check_numeric(
        table, "capex_eur_m", where, "link", valid=lambda v: v >= 0, rule="a number >= 0"
    )
    table["funding_share"] = _check_numeric(
        table,
        "funding_share",
        where,
        "link",
        valid=lambda v: (v >= 0) & (v <= 1),
        rule="a share between 0 and 1",
    )
    table["route_factor"] = _check_numeric(
        table, "route_factor", where, "link", valid=lambda v: v >= 1, rule="a number >= 1"
    )
    rfs = _check_numeric(
        table,
        "rfs",
        where,
        "link",
        valid=lambda v: (v >= 1850) & (v <= 2100) & (v == np.round(v)),
        rule="a year",
    )
    table["rfs"] = rfs.astype("Int64")
    merged = table.geometry.to_numpy().copy()
    multi = np.flatnonzero(shapely.get_type_id(merged) == _GEOMETRY_TYPE_IDS["MultiLineString"])
    if len(multi):
        joined = shapely.line_merge(merged[multi])
        single = shapely.get_type_id(joined) == _GEOMETRY_TYPE_IDS["LineString"]
        merged[multi[single]] = joined[single]
    table = table.set_geometry(gpd.GeoSeries(merged, crs=table.crs, index=table.index))
    _check_geometry(table, ("LineString",), where, "link")
    return table.reset_index(drop=True)


def _named_layer(path: str | Path, layer: str | None, name: str) -> str | None:
    """``layer``, or the layer called ``name`` of a multi-layer GeoPackage (as written by
    ``corridor convert``), so one file can be given as both ``--sites`` and ``--links``."""
    if layer is not None or Path(path).suffix.lower() != ".gpkg" or not Path(path).is_file():
        return layer
    import pyogrio

    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception:  # unreadable: read_table reports it with the file name
        return None
    return name if name in names and len(names) > 1 else None


def read_sites(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read and validate a sites file (see :func:`validate_sites`); a GeoPackage with a
    ``sites`` layer among others is read from that layer."""
    layer = _named_layer(path, layer, "sites")
    return validate_sites(read_table(path, layer=layer), where=str(path))


def read_links(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read and validate a links file (see :func:`validate_links`); a GeoPackage with a
    ``links`` layer among others is read from that layer."""
    layer = _named_layer(path, layer, "links")
    return validate_links(read_table(path, layer=layer), where=str(path))


def read_countries(path: str | Path) -> gpd.GeoDataFrame:
    """Read country borders with fields ``iso_a2`` and ``name`` (polygons, EPSG:4326)."""
    table = read_table(path)
    _require_columns(table, ["iso_a2", "name"], str(path))
    table = table[table.geometry.notna() & ~table.geometry.is_empty].copy()
    table["iso_a2"] = _text(table["iso_a2"])
    table["name"] = _text(table["name"])
    return table.reset_index(drop=True)
