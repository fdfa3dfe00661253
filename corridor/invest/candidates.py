"""Investment candidates: what can be funded, single links and groups of links.

Candidates
----------
By default every ``planned`` and ``proposed`` link of the network is a candidate, with its
``capex_eur_m`` and ``capex_basis``. Users add their own from a file
(:func:`~corridor.invest.candidate_files.read_candidates`, where the file formats and checks are
described); :func:`candidate_network` appends them to the network and lists the candidates.

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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from corridor import datasets
from corridor._errors import DataError, RequestError
from corridor.io import read_countries
from corridor.network import Network, build_network

__all__ = [
    "CAPEX_RANGE",
    "DEFAULT_LIFETIME_YEARS",
    "GROUP_KEYS",
    "Candidate",
    "candidate_network",
]

#: Relative capex uncertainty by basis prefix (assumption, for the sensitivity analysis).
CAPEX_RANGE = {"published": 0.20, "estimate": 0.50, "other": 0.30}
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
        User candidates from :func:`~corridor.invest.candidate_files.read_candidates`; rows
        sharing a ``group`` value become one candidate.
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
        if row.status in ("existing", "suspended"):  # built links are no investment candidates
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
