"""Diversity of a set of paths: what they share and how far apart they run.

Metrics of :func:`diversity`:

* shared links, shared intermediate sites, shared SRLGs and shared countries (elements that
  appear in at least two of the paths); ``shared_transit_countries`` leaves out the countries
  of the two endpoints, which every path necessarily shares;
* the minimum geographic separation between any two of the paths, in km. The paths share their
  endpoints, so the parts of each path within ``endpoint_exclusion_km`` (great-circle distance,
  default 50 km) of the source or target site are ignored. Each path's geometry (its links'
  geometries in travel order) is densified to about 5 km steps, the nearest points of two
  paths are found with shapely in an azimuthal equidistant projection (a metric CRS) centred
  on the pair, re-centred twice on the candidate nearest points so that the projection is
  accurate where it matters, and the final distance is the WGS84 geodesic between those two
  points. Paths that touch (a shared site or link outside the exclusion zone) have separation
  0. ``None`` when a path has no geometry or lies entirely inside the exclusion zone;
* effective path diversity (J. P. Rohrer, A. Jabbar, J. P. G. Sterbenz, "Path
  diversification: a multipath resilience mechanism", DRCN 2009; J. P. Rohrer and
  J. P. G. Sterbenz, "Predicting topology survivability using path diversity", RNDM 2011).
  A path is the set of its links and intermediate sites; the diversity of path ``P_k`` with
  respect to ``P_j`` is ``D = 1 - |P_k ∩ P_j| / |P_j|``; the first path is the reference
  ``P_0``; ``k_sd = sum over k >= 1 of min over j < k of D(P_k, P_j)`` and
  ``EPD = 1 - exp(-lambda * k_sd)`` (``lambda`` scales the utility of added diversity; default
  1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.ops import nearest_points

from corridor._errors import RequestError
from corridor.network import GEOD, Network
from corridor.routing import Path, RouteResult

__all__ = ["Diversity", "diversity", "diversity_rows", "path_diversity", "separation_km"]

#: Densification step of path geometries, in degrees (about 5 km).
DENSIFY_DEG = 0.05


@dataclass(frozen=True)
class Diversity:
    """Diversity metrics of a set of paths (see the module docstring)."""

    n_paths: int
    shared_links: tuple[str, ...]
    shared_sites: tuple[str, ...]
    shared_srlgs: tuple[str, ...]
    shared_countries: tuple[str, ...]
    shared_transit_countries: tuple[str, ...]
    min_separation_km: float | None
    endpoint_exclusion_km: float
    path_diversity: tuple[float, ...]
    k_sd: float
    epd: float
    lam: float
    pairwise: tuple[dict[str, Any], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "n_paths": self.n_paths,
            "shared_links": list(self.shared_links),
            "shared_sites": list(self.shared_sites),
            "shared_srlgs": list(self.shared_srlgs),
            "shared_countries": list(self.shared_countries),
            "shared_transit_countries": list(self.shared_transit_countries),
            "min_separation_km": None
            if self.min_separation_km is None
            else round(self.min_separation_km, 3),
            "endpoint_exclusion_km": self.endpoint_exclusion_km,
            "path_diversity": [round(d, 6) for d in self.path_diversity],
            "k_sd": round(self.k_sd, 6),
            "epd": round(self.epd, 6),
            "lambda": self.lam,
            "pairwise": [dict(p) for p in self.pairwise],
        }


def _elements(path: Path) -> set[tuple[str, str]]:
    return {("link", x) for x in path.links} | {("site", x) for x in path.nodes[1:-1]}


def path_diversity(path: Path, reference: Path) -> float:
    """``D = 1 - |P ∩ P_ref| / |P_ref|`` over links and intermediate sites (Rohrer 2009).

    A reference of one link and no intermediate site still counts its link, so ``D`` is
    defined for every non-trivial reference path.
    """
    ref = _elements(reference)
    if not ref:
        return 1.0
    return 1.0 - len(_elements(path) & ref) / len(ref)


def _path_line(net: Network, path: Path) -> np.ndarray | None:
    """Coordinates (lon, lat) of a path's links in travel order, or None without geometry."""
    coords: list[np.ndarray] = []
    for k, link_id in enumerate(path.links):
        i = net.link_index(link_id)
        geom = net.links.geometry.iat[i]
        if geom is None or geom.is_empty:
            return None
        xy = shapely.get_coordinates(geom)
        if net.lookup.site_id[int(net.link_a[i])] != path.nodes[k]:
            xy = xy[::-1]
        coords.append(xy if not coords else xy[1:])
    if not coords:
        return None
    line = shapely.segmentize(shapely.LineString(np.vstack(coords)), DENSIFY_DEG)
    return shapely.get_coordinates(line)


def _site_xy(net: Network, site: str) -> tuple[float, float] | None:
    pt = net.sites.geometry.iat[net.site_index(site)]
    return None if pt is None else (pt.x, pt.y)


def _trim(xy: np.ndarray, ends: Sequence[tuple[float, float]], km: float) -> Any:
    """Parts of the line farther than ``km`` from every end point (lines and lone points)."""
    keep = np.ones(len(xy), dtype=bool)
    for ex, ey in ends:
        _, _, d = GEOD.inv(xy[:, 0], xy[:, 1], np.full(len(xy), ex), np.full(len(xy), ey))
        keep &= np.asarray(d) / 1000.0 >= km
    parts = []
    run: list[int] = []
    for i, k in enumerate(keep):
        if k:
            run.append(i)
        if (not k or i == len(keep) - 1) and run:
            pts = xy[run]
            parts.append(shapely.LineString(pts) if len(pts) > 1 else shapely.Point(pts[0]))
            run = []
    return shapely.GeometryCollection(parts) if parts else None


def _aeqd(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


def _project(geom: Any, fwd: Transformer) -> Any:
    return shapely.transform(geom, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))


def separation_km(first: Any, second: Any) -> float:
    """Minimum distance between two lon/lat geometries in km (see the module docstring)."""
    b = shapely.union(first, second).envelope.centroid
    lon, lat = b.x, b.y
    p = q = None
    for _ in range(3):
        fwd, inv = _aeqd(lon, lat)
        pa, pb = nearest_points(_project(first, fwd), _project(second, fwd))
        p = inv.transform(pa.x, pa.y)
        q = inv.transform(pb.x, pb.y)
        lon, lat = (p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0
    assert p is not None and q is not None
    if p == q:
        return 0.0
    return float(GEOD.inv(p[0], p[1], q[0], q[1])[2]) / 1000.0


def diversity(
    net: Network,
    paths: Sequence[Path] | RouteResult,
    *,
    endpoint_exclusion_km: float = 50.0,
    lam: float = 1.0,
) -> Diversity:
    """Diversity metrics of a set of paths between the same two sites.

    Parameters
    ----------
    net
        The network the paths come from.
    paths
        Two or more paths (the first is the reference ``P_0``), or a routing result.
    endpoint_exclusion_km
        Ignore the parts of each path within this great-circle distance of the source or the
        target when measuring separation.
    lam
        The ``lambda`` of the effective path diversity.

    Raises
    ------
    RequestError
        For fewer than one path, paths with different endpoints, or negative parameters.
    UnknownSiteError
        When a path names a link or site the network does not have.
    """
    seq = tuple(paths.paths if isinstance(paths, RouteResult) else paths)
    if not seq:
        msg = "diversity needs at least one path"
        raise RequestError(msg)
    if not (endpoint_exclusion_km >= 0 and math.isfinite(endpoint_exclusion_km)):
        msg = (
            f"endpoint exclusion must be a finite number of km >= 0, got {endpoint_exclusion_km!r}"
        )
        raise RequestError(msg)
    if not (lam > 0 and math.isfinite(lam)):
        msg = f"lambda must be a positive number, got {lam!r}"
        raise RequestError(msg)
    ends = {(p.nodes[0], p.nodes[-1]) for p in seq}
    if len(ends) > 1:
        msg = f"paths have different endpoints: {sorted(ends)}"
        raise RequestError(msg)

    def shared(attr: str, strip_ends: bool = False) -> tuple[str, ...]:
        counts: dict[str, int] = {}
        for p in seq:
            items = getattr(p, attr)
            if strip_ends:
                items = items[1:-1]
            for x in dict.fromkeys(items):
                counts[x] = counts.get(x, 0) + 1
        return tuple(x for x, c in counts.items() if c >= 2)

    source, target = seq[0].nodes[0], seq[0].nodes[-1]
    end_countries = {
        net.lookup.site_country[net.site_index(source)],
        net.lookup.site_country[net.site_index(target)],
    }
    countries = shared("countries")
    ends_xy = [xy for xy in (_site_xy(net, source), _site_xy(net, target)) if xy is not None]
    trimmed = []
    for p in seq:
        xy = _path_line(net, p)
        trimmed.append(None if xy is None else _trim(xy, ends_xy, endpoint_exclusion_km))
    pairwise = []
    seps: list[float] = []
    for i, j in combinations(range(len(seq)), 2):
        a, b = seq[i], seq[j]
        g1, g2 = trimmed[i], trimmed[j]
        sep = separation_km(g1, g2) if g1 is not None and g2 is not None else None
        if sep is not None:
            seps.append(sep)
        pairwise.append(
            {
                "paths": [i + 1, j + 1],
                "shared_links": [x for x in a.links if x in b.links],
                "shared_srlgs": [x for x in a.srlgs if x in b.srlgs],
                "shared_countries": [x for x in a.countries if x in b.countries],
                "separation_km": None if sep is None else round(sep, 3),
                "diversity": round(path_diversity(b, a), 6),
            }
        )
    d_min = [min(path_diversity(seq[k], seq[j]) for j in range(k)) for k in range(1, len(seq))]
    k_sd = float(sum(d_min))
    return Diversity(
        n_paths=len(seq),
        shared_links=shared("links"),
        shared_sites=shared("nodes", strip_ends=True),
        shared_srlgs=shared("srlgs"),
        shared_countries=countries,
        shared_transit_countries=tuple(c for c in countries if c not in end_countries),
        min_separation_km=min(seps) if seps else None,
        endpoint_exclusion_km=endpoint_exclusion_km,
        path_diversity=tuple(path_diversity(seq[k], seq[0]) for k in range(1, len(seq))),
        k_sd=k_sd,
        epd=1.0 - math.exp(-lam * k_sd),
        lam=lam,
        pairwise=tuple(pairwise),
    )


def _listed(items: Sequence[str], limit: int = 6) -> str:
    if not items:
        return "none"
    shown = ", ".join(items[:limit])
    more = f" (+{len(items) - limit} more)" if len(items) > limit else ""
    return f"{len(items)}: {shown}{more}"


def diversity_rows(net: Network, result: RouteResult | Sequence[Path]) -> list[tuple[str, str]]:
    """``(metric, value)`` rows describing the diversity of a routing result's paths.

    For the ``--diversity`` table of ``corridor route``; a single path gives one row saying
    there is nothing to compare.
    """
    seq = tuple(result.paths if isinstance(result, RouteResult) else result)
    if len(seq) < 2:
        return [("paths", f"{len(seq)} (ask for --k N or --disjoint to compare paths)")]
    d = diversity(net, seq)
    sep = (
        "n/a (no geometry)"
        if d.min_separation_km is None
        else f"{d.min_separation_km:,.0f} km (ignoring {d.endpoint_exclusion_km:g} km around "
        "the endpoints)"
    )
    return [
        ("paths", str(d.n_paths)),
        ("shared links", _listed(d.shared_links)),
        ("shared sites", _listed(d.shared_sites)),
        ("shared SRLGs", _listed(d.shared_srlgs)),
        ("shared transit countries", _listed(d.shared_transit_countries)),
        ("min separation", sep),
        ("diversity D vs path 1", ", ".join(f"{x:.2f}" for x in d.path_diversity)),
        (f"effective path diversity (EPD, lambda={d.lam:g})", f"{d.epd:.3f}"),
    ]
