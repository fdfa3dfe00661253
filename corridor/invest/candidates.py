"""Investment candidates and demand: what can be funded, and which traffic it serves.

Candidates
----------
By default every ``planned`` and ``proposed`` link of the network is a candidate, with its
``capex_eur_m`` and ``capex_basis``. Users add their own from a file (:func:`read_candidates`):

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

Groups (multi-segment systems)
------------------------------
A planned system is often several segments (a submarine cable with several landings, a
terrestrial route in sections) that are worth nothing alone and much together. Such a system is
evaluated as **one** candidate, all its segments added at once:

* rows of a candidate file sharing a ``group`` value are always one candidate (id = the group
  value). Its capex is ``group_capex_eur_m`` when given (it must then be the same on every row
  that gives it; the rows' own ``capex_eur_m`` may be left empty), else the sum of the rows'
  ``capex_eur_m``;
* ``group="system"`` (``corridor invest --group system``) also bundles the network's planned and
  proposed links, and user rows without a ``group``, by their ``system`` value (id = the system
  name), capex summed over the segments. A system of one segment is a group of one.

A group's opex is the sum, its lifetime the capex-weighted mean, its length and latency the sums
over its segments, its ends the two sites of odd degree in its segments (a chain's ends), and its
capex basis ``published`` / ``estimate`` only when every segment's is.

Capex ranges (sensitivity)
--------------------------
``capex_basis`` starting with ``published`` -> +-20 %, ``estimate`` -> +-50 %, anything else
(user figures) -> +-30 % (:data:`CAPEX_RANGE`); assumptions for the sensitivity analysis.

Demand
------
:func:`default_demand`: every city of region ``europe`` x every city of regions ``china`` and
``east_asia`` (``data/geo/README.md`` conventions), weighted equally (32 x 20 = 640 pairs on the
shipped data). :func:`read_demand` reads a CSV ``source,target,weight`` instead. Weights are
normalised to sum to one, so every demand-weighted figure is a mean over the demand.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from corridor import datasets
from corridor._errors import DataError, RequestError, UnknownSiteError
from corridor.io import read_countries, read_table
from corridor.network import GEOD, Network, build_network

__all__ = [
    "CAPEX_RANGE",
    "DUPLICATE_TOLERANCE",
    "GC_ROUTE_FACTOR",
    "GROUP_KEYS",
    "Candidate",
    "Demand",
    "candidate_network",
    "default_demand",
    "read_candidates",
    "read_demand",
]

#: Route factor over the great circle for a candidate given without geometry (assumption).
GC_ROUTE_FACTOR = {"terrestrial": 1.25, "submarine": 1.10}
#: Relative capex uncertainty by basis prefix (assumption, for the sensitivity analysis).
CAPEX_RANGE = {"published": 0.20, "estimate": 0.50, "other": 0.30}
#: A candidate within this relative length (or 5 km) of a same-kind link between the same sites
#: is a duplicate of it.
DUPLICATE_TOLERANCE = 0.02
#: Default economic lifetime in years when a candidate gives none (for annualised cost).
DEFAULT_LIFETIME_YEARS = 25.0
#: Ways to bundle candidate links into one candidate (``none``: file groups only).
GROUP_KEYS = ("none", "system")

_LINK_COLUMNS = [
    "id", "name", "system", "kind", "status", "rfs", "a", "b", "capacity_tbps",
    "capex_eur_m", "capex_basis", "srlg", "route_factor", "source", "geometry",
]  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One fundable link, or one group of links funded together (a multi-segment system).

    Attributes
    ----------
    id, name, system, kind, status
        As in the links table (user candidates get status ``"proposed"``). A group has the
        group's id and name, and ``"mixed"`` (or ``"planned+proposed"``) where its segments
        differ.
    a, b
        Site ids (a group: the ends of its chain of segments).
    link
        Link index in the candidate network (:func:`candidate_network`); a group's first
        segment.
    capex_eur_m, capex_basis
        Capital cost in EUR millions and where the figure comes from.
    opex_eur_m_per_year, lifetime_years
        Running cost and economic life (for annualised cost).
    length_km, latency_ms
        Geodesic length and one-way latency of the link.
    source
        ``"network"`` (a planned / proposed link of the data set) or the file it came from.
    links, segments
        A group's link indices and link ids (empty for a single link).
    """

    id: str
    name: str
    system: str
    kind: str
    status: str
    a: str
    b: str
    link: int
    capex_eur_m: float
    capex_basis: str
    opex_eur_m_per_year: float
    lifetime_years: float
    length_km: float
    latency_ms: float
    source: str
    links: tuple[int, ...] = ()
    segments: tuple[str, ...] = ()

    @property
    def is_group(self) -> bool:
        """Whether this candidate bundles several links."""
        return len(self.links) > 1

    @property
    def link_indices(self) -> tuple[int, ...]:
        """Link indices the candidate adds (one for a single link)."""
        return self.links or (self.link,)

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Link ids the candidate adds (one for a single link)."""
        return self.segments or (self.id,)

    @property
    def capex_range(self) -> tuple[float, float]:
        """Low and high capex (EUR m) by basis (:data:`CAPEX_RANGE`)."""
        basis = self.capex_basis.strip().lower()
        key = "published" if basis.startswith("published") else "other"
        if basis.startswith("estimate"):
            key = "estimate"
        r = CAPEX_RANGE[key]
        return self.capex_eur_m * (1.0 - r), self.capex_eur_m * (1.0 + r)

    def annual_cost(self, rate: float) -> float:
        """Capex annualised over the lifetime at ``rate`` (capital recovery factor) plus opex."""
        n = self.lifetime_years
        crf = 1.0 / n if rate == 0 else rate / (1.0 - (1.0 + rate) ** -n)
        return self.capex_eur_m * crf + self.opex_eur_m_per_year


@dataclass(frozen=True)
class Demand:
    """Origin-destination pairs (site ids) with weights normalised to sum to one."""

    pairs: tuple[tuple[str, str], ...]
    weights: np.ndarray
    description: str

    def __len__(self) -> int:
        return len(self.pairs)


# -- demand -----------------------------------------------------------------------------------
def default_demand(
    net: Network,
    *,
    west: Sequence[str] = ("europe",),
    east: Sequence[str] = ("china", "east_asia"),
) -> Demand:
    """Every city of the ``west`` regions x every city of the ``east`` regions, equal weights.

    Raises
    ------
    RequestError
        When the network has no such cities.
    """
    sites = net.sites
    region = sites["region"].fillna("").astype(str)
    city = sites["kind"] == "city"
    w = sites.loc[city & region.isin(list(west)), "id"].tolist()
    e = sites.loc[city & region.isin(list(east)), "id"].tolist()
    pairs = tuple((a, b) for a in w for b in e if a != b)
    if not pairs:
        msg = (
            f"no demand: the network has no city in regions {', '.join(west)} and "
            f"{', '.join(east)}; give a demand CSV"
        )
        raise RequestError(msg)
    desc = f"{len(w)} cities ({'+'.join(west)}) x {len(e)} cities ({'+'.join(east)}), equal"
    return Demand(pairs, np.full(len(pairs), 1.0 / len(pairs)), desc)


def read_demand(net: Network, path: str | Path) -> Demand:
    """Read a demand CSV with columns ``source``, ``target``, ``weight`` (ids or names).

    Raises
    ------
    DataError
        For a missing file or column, an unknown site, a negative or non-numeric weight, a pair
        of identical sites, or weights summing to zero.
    """
    where = str(path)
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        msg = f"{where}: cannot read demand: {exc.strerror or exc}"
        raise DataError(msg) from exc
    if not rows or not {"source", "target"} <= set(rows[0]):
        msg = f"{where}: demand CSV needs columns source, target[, weight]"
        raise DataError(msg)
    pairs: list[tuple[str, str]] = []
    weights: list[float] = []
    for line, row in enumerate(rows, start=2):
        try:
            s = net.resolve_site(str(row["source"]).strip())
            t = net.resolve_site(str(row["target"]).strip())
        except UnknownSiteError as exc:
            msg = f"{where}: line {line}: {exc}"
            raise DataError(msg) from None
        if s == t:
            msg = f"{where}: line {line}: source and target are the same site {s!r}"
            raise DataError(msg)
        raw = (row.get("weight") or "1").strip()
        try:
            w = float(raw)
        except ValueError:
            w = math.nan
        if not (math.isfinite(w) and w >= 0):
            msg = f"{where}: line {line}: weight {raw!r} is not a number >= 0"
            raise DataError(msg)
        pairs.append((s, t))
        weights.append(w)
    total = sum(weights)
    if total <= 0:
        msg = f"{where}: demand weights sum to zero"
        raise DataError(msg)
    arr = np.asarray(weights) / total
    return Demand(tuple(pairs), arr, f"{len(pairs)} pairs from {where}")


# -- candidates -------------------------------------------------------------------------------
def _text(value: object) -> str:
    """A table cell as stripped text; empty for a missing value (``None`` or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _num(value: object) -> float:
    if value is None:
        return math.nan
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


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
    and ``lifetime_years``; pass it to :func:`candidate_network`.

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


def _candidate_of(row: object, link: int, source: str) -> Candidate:
    capex = _num(getattr(row, "capex_eur_m", None))
    opex = _num(getattr(row, "opex_eur_m_per_year", None))
    life = _num(getattr(row, "lifetime_years", None))
    return Candidate(
        id=str(row.id),  # type: ignore[attr-defined]
        name=str(row.name or row.id),  # type: ignore[attr-defined]
        system=str(row.system),  # type: ignore[attr-defined]
        kind=str(row.kind),  # type: ignore[attr-defined]
        status=str(row.status),  # type: ignore[attr-defined]
        a=str(row.a),  # type: ignore[attr-defined]
        b=str(row.b),  # type: ignore[attr-defined]
        link=link,
        capex_eur_m=capex,
        capex_basis=str(row.capex_basis or ""),  # type: ignore[attr-defined]
        opex_eur_m_per_year=0.0 if math.isnan(opex) else opex,
        lifetime_years=DEFAULT_LIFETIME_YEARS if math.isnan(life) else life,
        length_km=float(row.length_km),  # type: ignore[attr-defined]
        latency_ms=float(row.latency_ms),  # type: ignore[attr-defined]
        source=source,
    )


def _basis_class(basis: str) -> str:
    b = basis.strip().lower()
    return next((k for k in ("published", "estimate") if b.startswith(k)), "")


def _ends(members: Sequence[Candidate]) -> tuple[str, str]:
    """The two sites of odd degree among the segments (a chain's ends), else first a, last b."""
    degree: dict[str, int] = {}
    for m in members:
        for x in (m.a, m.b):
            degree[x] = degree.get(x, 0) + 1
    odd = [x for x, d in degree.items() if d % 2]
    if len(odd) == 2:
        return odd[0], odd[1]
    return members[0].a, members[-1].b


def _bundle(gid: str, members: Sequence[Candidate], group_capex: float | None) -> Candidate:
    """One candidate adding every link of ``members`` (see the module docstring)."""
    n = len(members)
    known = [m.capex_eur_m for m in members if math.isfinite(m.capex_eur_m)]
    if group_capex is not None:
        capex = group_capex
        basis = f"{members[0].capex_basis} (group capex)"
    elif n == 1:
        capex, basis = members[0].capex_eur_m, members[0].capex_basis
    else:
        capex = float(sum(m.capex_eur_m for m in members))
        classes = {_basis_class(m.capex_basis) for m in members}
        prefix = classes.pop() if len(classes) == 1 else ""
        basis = f"{prefix or 'mixed'}: sum of {n} segment{'s' if n > 1 else ''}"
    if len(known) == n and sum(known) > 0:
        life = sum(m.capex_eur_m * m.lifetime_years for m in members) / sum(known)
    else:
        life = sum(m.lifetime_years for m in members) / n

    def joined(values: Iterable[str], sep: str, many: str | None = None) -> str:
        uniq = list(dict.fromkeys(values))
        return uniq[0] if len(uniq) == 1 else (many or sep.join(sorted(uniq)))

    a, b = _ends(members)
    return Candidate(
        id=gid,
        name=gid,
        system=joined((m.system for m in members), " + "),
        kind=joined((m.kind for m in members), "+", "mixed"),
        status=joined((m.status for m in members), "+"),
        a=a,
        b=b,
        link=members[0].link,
        capex_eur_m=capex,
        capex_basis=basis,
        opex_eur_m_per_year=float(sum(m.opex_eur_m_per_year for m in members)),
        lifetime_years=life,
        length_km=float(sum(m.length_km for m in members)),
        latency_ms=float(sum(m.latency_ms for m in members)),
        source=joined((m.source for m in members), "; "),
        links=tuple(m.link for m in members),
        segments=tuple(m.id for m in members),
    )


def _check_capex(c: Candidate) -> None:
    if not (math.isfinite(c.capex_eur_m) and c.capex_eur_m > 0):
        msg = f"candidate {c.id!r}: capex_eur_m {c.capex_eur_m!r} must be a number > 0"
        raise DataError(msg)


def candidate_network(
    net: Network,
    extra: gpd.GeoDataFrame | None = None,
    *,
    include_network: bool = True,
    only: Iterable[str] | None = None,
    borders: gpd.GeoDataFrame | None = None,
    group: str | None = None,
) -> tuple[Network, tuple[Candidate, ...]]:
    """The network with user candidate links appended, and the list of candidates.

    Parameters
    ----------
    net
        The loaded network (all statuses). Its existing links are the base network.
    extra
        User candidates from :func:`read_candidates`; rows sharing a ``group`` value become
        one candidate.
    include_network
        Also take every planned and proposed link of ``net`` as a candidate.
    only
        Keep only these candidate ids (group ids when grouped).
    borders
        Country polygons for the countries user links cross (default: the shipped borders).
    group
        ``None`` / ``"none"``: one candidate per link (file groups aside); ``"system"``: one
        candidate per ``system`` value (see the module docstring, "Groups").

    Returns
    -------
    (Network, tuple of Candidate)
        Without ``extra`` the network is ``net`` itself; with it a new network built by
        :func:`corridor.build_network` from ``net``'s tables plus the candidate rows.

    Raises
    ------
    DataError
        For a network candidate with missing or non-positive capex.
    RequestError
        When no candidate remains, ``only`` names an unknown candidate, ``group`` is not one of
        :data:`GROUP_KEYS`, or a group id is used twice.
    """
    how = "none" if group is None else str(group).strip().lower()
    if how not in GROUP_KEYS:
        msg = f"unknown grouping {group!r}; use one of {', '.join(GROUP_KEYS)}"
        raise RequestError(msg)
    out = net
    if extra is not None and len(extra):
        links = net.links[_LINK_COLUMNS].copy()
        new = extra[_LINK_COLUMNS].copy()
        table = gpd.GeoDataFrame(
            pd.concat([links, new], ignore_index=True), geometry="geometry", crs="EPSG:4326"
        )
        if borders is None:
            borders = read_countries(datasets.get_path("countries"))
        out = build_network(net.sites, table, borders=borders, model=net.model)
    cands: list[Candidate] = []
    links = out.links
    extra_meta = None
    if extra is not None and len(extra):
        meta_cols = ["opex_eur_m_per_year", "lifetime_years", "source"]
        extra_meta = extra.set_index("id")[meta_cols].copy()
        extra_meta["group"] = extra["group"].map(_text).to_numpy() if "group" in extra else ""
        extra_meta["group_capex_eur_m"] = (
            extra["group_capex_eur_m"].to_numpy(dtype=float)
            if "group_capex_eur_m" in extra
            else math.nan
        )
    file_group: dict[str, str] = {}
    group_capex: dict[str, float] = {}
    for i, row in enumerate(links.itertuples(index=False)):
        if row.status == "existing":
            continue
        if extra_meta is not None and row.id in extra_meta.index:
            meta = extra_meta.loc[row.id]
            c = _candidate_of(row, i, str(meta["source"]))
            c = Candidate(
                **{
                    **c.__dict__,
                    "opex_eur_m_per_year": float(meta["opex_eur_m_per_year"]),
                    "lifetime_years": float(meta["lifetime_years"]),
                }
            )
            if meta["group"]:
                file_group[c.id] = str(meta["group"])
                if math.isfinite(float(meta["group_capex_eur_m"])):
                    group_capex[str(meta["group"])] = float(meta["group_capex_eur_m"])
        elif include_network:
            c = _candidate_of(row, i, "network")
        else:
            continue
        if c.id not in file_group or str(file_group[c.id]) not in group_capex:
            _check_capex(c)
        cands.append(c)
    cands = _grouped(cands, how, file_group, group_capex)
    if only is not None:
        wanted = list(dict.fromkeys(only))
        have = {c.id: c for c in cands}
        missing = [w for w in wanted if w not in have]
        if missing:
            msg = f"unknown candidate {missing[0]!r}"
            raise RequestError(msg)
        cands = [have[w] for w in wanted]
    if not cands:
        msg = "no investment candidates: the network has no planned or proposed link"
        raise RequestError(msg)
    return out, tuple(cands)


def _grouped(
    cands: Sequence[Candidate],
    how: str,
    file_group: dict[str, str],
    group_capex: dict[str, float],
) -> list[Candidate]:
    """Bundle per-link candidates: file groups always, systems when ``how == "system"``."""
    buckets: dict[tuple[str, str], list[Candidate]] = {}
    for c in cands:
        if c.id in file_group:
            key = ("file", file_group[c.id])
        elif how == "system":
            key = ("system", c.system)
        else:
            key = ("link", c.id)
        buckets.setdefault(key, []).append(c)
    out: list[Candidate] = []
    seen: set[str] = set()
    for (kind, name), members in buckets.items():
        if kind == "link":
            c = members[0]
        else:
            c = _bundle(name, members, group_capex.get(name) if kind == "file" else None)
            _check_capex(c)
        if c.id in seen:
            msg = f"candidate id {c.id!r} is used twice (a file group and a system share it)"
            raise RequestError(msg)
        seen.add(c.id)
        out.append(c)
    return out
