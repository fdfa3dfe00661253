"""What a placement answers: per-p placements, assignments, side statistics, rankings."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import numpy as np
import pandas as pd

from corridor._atomic import write_csv_atomic
from corridor.placement.problem import PlacementProblem
from corridor.resilience.availability import (
    AvailabilityModel,
    downtime_minutes,
)
from corridor.routing import Path

__all__ = [
    "Assignment",
    "CandidateScore",
    "Placement",
    "PlacementResult",
    "SideStats",
    "side_stats",
]


@dataclass(frozen=True)
class SideStats:
    """Weighted mean and worst RTT of one side (``europe``, ``asia``, ...) of the demand."""

    side: str
    sites: int
    weight: float
    mean_rtt_ms: float
    worst_rtt_ms: float
    worst_site: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "side": self.side,
            "sites": self.sites,
            "weight": self.weight,
            "mean_rtt_ms": _r(self.mean_rtt_ms),
            "worst_rtt_ms": _r(self.worst_rtt_ms),
            "worst_site": self.worst_site,
        }


def _r(x: float, nd: int = 3) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(x) else None


def side_stats(
    sides: Sequence[str], demand: Sequence[str], weights: np.ndarray, rtt: np.ndarray
) -> dict[str, SideStats]:
    out = {}
    for side in dict.fromkeys(sides):
        idx = np.array([i for i, s in enumerate(sides) if s == side])
        r, w = rtt[idx], weights[idx]
        ok = np.isfinite(r)
        mean = float((r[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else math.inf
        worst_i = int(idx[np.argmax(np.where(ok, r, np.inf))])
        out[side] = SideStats(
            side, int(idx.size), float(w.sum()), mean, float(rtt[worst_i]), demand[worst_i]
        )
    return out


@dataclass(frozen=True)
class CandidateScore:
    """One candidate node on its own (p = 1)."""

    rank: int
    site: str
    name: str
    kind: str
    status: str
    mean_rtt_ms: float
    worst_rtt_ms: float
    served_share: float
    covered_share: float | None
    sides: dict[str, SideStats]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "rank": self.rank,
            "site": self.site,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "mean_rtt_ms": _r(self.mean_rtt_ms),
            "worst_rtt_ms": _r(self.worst_rtt_ms),
            "served_share": round(self.served_share, 6),
            "covered_share": None if self.covered_share is None else round(self.covered_share, 6),
            "sides": {k: v.to_dict() for k, v in self.sides.items()},
        }


@dataclass(frozen=True)
class Assignment:
    """One demand site served by its node."""

    demand: str
    side: str
    weight: float
    node: str
    rtt_ms: float
    backup_rtt_ms: float | None
    within_sla: bool | None
    countries: tuple[str, ...]
    path_availability: float
    node_availability: float
    path: Path | None = field(default=None, repr=False)
    backup: Path | None = field(default=None, repr=False)

    @property
    def availability(self) -> float:
        """End to end: the path (or protected pair) and the node, in series."""
        return self.path_availability * self.node_availability

    @property
    def downtime_min(self) -> float:
        """Expected end-to-end downtime, minutes per year."""
        return downtime_minutes(self.availability)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "demand": self.demand,
            "side": self.side,
            "weight": self.weight,
            "node": self.node,
            "rtt_ms": _r(self.rtt_ms),
            "backup_rtt_ms": _r(self.backup_rtt_ms) if self.backup_rtt_ms is not None else None,
            "within_sla": self.within_sla,
            "countries": list(self.countries),
            "path_availability": self.path_availability,
            "node_availability": self.node_availability,
            "availability": self.availability,
            "downtime_min_per_year": round(self.downtime_min, 3),
        }


@dataclass(frozen=True)
class Placement:
    """The chosen node set for one ``p``."""

    p: int
    nodes: tuple[str, ...]
    objective: str
    value: float
    mean_rtt_ms: float
    worst_rtt_ms: float
    covered_share: float | None
    sides: dict[str, SideStats]
    assignments: tuple[Assignment, ...]
    method: str
    optimal: bool
    seconds: float
    gain: float | None = None

    @property
    def mean_availability(self) -> float:
        """Demand-weighted mean end-to-end availability."""
        w = np.array([a.weight for a in self.assignments])
        av = np.array([a.availability for a in self.assignments])
        return float((w * av).sum() / w.sum())

    @property
    def worst_availability(self) -> float:
        """Lowest end-to-end availability of any demand site."""
        return min(a.availability for a in self.assignments)

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country some demand site's traffic crosses."""
        return tuple(sorted({c for a in self.assignments for c in a.countries}))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "p": self.p,
            "nodes": list(self.nodes),
            "objective": self.objective,
            "value": _r(self.value, 6),
            "gain": _r(self.gain, 6) if self.gain is not None else None,
            "mean_rtt_ms": _r(self.mean_rtt_ms),
            "worst_rtt_ms": _r(self.worst_rtt_ms),
            "covered_share": None if self.covered_share is None else round(self.covered_share, 6),
            "sides": {k: v.to_dict() for k, v in self.sides.items()},
            "mean_availability": self.mean_availability,
            "worst_availability": self.worst_availability,
            "mean_downtime_min_per_year": round(downtime_minutes(self.mean_availability), 3),
            "worst_downtime_min_per_year": round(downtime_minutes(self.worst_availability), 3),
            "countries": list(self.countries),
            "method": self.method,
            "optimal": self.optimal,
            "seconds": round(self.seconds, 4),
            "assignments": [a.to_dict() for a in self.assignments],
        }


@dataclass(frozen=True)
class PlacementResult:
    """Everything :func:`place` found: the ranking, a placement per ``p``, the settings."""

    problem: PlacementProblem
    ranking: tuple[CandidateScore, ...]
    placements: tuple[Placement, ...]
    node_availability: float
    model: AvailabilityModel
    notes: tuple[str, ...] = ()

    @property
    def best(self) -> Placement:
        """The placement of the largest ``p``."""
        return self.placements[-1]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        pr = self.problem
        return {
            "objective": pr.objective,
            "sla_rtt_ms": pr.sla_rtt_ms,
            "dual_homing": pr.dual_homing,
            "status": pr.status if isinstance(pr.status, str) else sorted(pr.status),
            "policy": pr.policy.to_dict(),
            "node_availability": self.node_availability,
            "candidates": list(pr.candidates),
            "excluded_candidates": dict(pr.excluded),
            "demand": [
                {"site": s, "weight": float(w), "side": side}
                for s, w, side in zip(pr.demand, pr.weights, pr.sides, strict=True)
            ],
            "ranking": [c.to_dict() for c in self.ranking],
            "placements": [p.to_dict() for p in self.placements],
            "availability_model": self.model.to_dict(),
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per (p, demand site): the assignment table written by :meth:`write_csv`."""
        rows = []
        for pl in self.placements:
            for a in pl.assignments:
                rows.append(
                    {
                        "p": pl.p,
                        "nodes": ";".join(pl.nodes),
                        "demand": a.demand,
                        "side": a.side,
                        "weight": a.weight,
                        "node": a.node,
                        "rtt_ms": _r(a.rtt_ms),
                        "backup_rtt_ms": (
                            _r(a.backup_rtt_ms) if a.backup_rtt_ms is not None else None
                        ),
                        "within_sla": a.within_sla,
                        "countries": ">".join(a.countries),
                        "path_availability": a.path_availability,
                        "node_availability": a.node_availability,
                        "availability": a.availability,
                        "downtime_min_per_year": round(a.downtime_min, 3),
                    }
                )
        return pd.DataFrame(rows)

    def write_csv(self, path: str | os.PathLike[str]) -> FsPath:
        """Write :meth:`to_frame` atomically (temporary file in the same folder, then rename).

        Raises
        ------
        RequestError
            When the file cannot be written (naming it).
        """
        return write_csv_atomic(path, self.to_frame())
