"""Named stress scenarios (``data/scenarios/*.toml``) and a Monte Carlo over them.

A :class:`StressScenario` is a set of elements that fail together (links, SRLGs, systems, sites,
countries; format in ``data/scenarios/README.md``), optionally with an annual probability and a
duration. :func:`load_scenario` takes a shipped name or a file; :func:`resolve` turns a scenario
into failed link and site indices of a network; :func:`apply_scenario` returns the network
without them (for routing, resilience and invest, which all take a network).

Risk over a year (:func:`monte_carlo`, :func:`exact_risk`): each scenario with a probability
``p`` and a duration ``D`` days happens in a year with probability ``p`` and then lasts ``D``
days from a uniformly random start (the year is treated as a circle, so an outage that starts
late wraps to the start: every instant is hit with probability ``q = p * D / 365``).
Scenarios are independent, but their effects are not additive: when two happen at once the
network loses both sets of elements, and the traffic left unserved is that of the combined
state (a closed Russian transit *and* a cut Red Sea together can strand far more than the sum).
:func:`monte_carlo` samples years (seeded) and reports the P50 / P95 of the year's mean
unserved Tbps and of its degraded minutes (minutes with more traffic unserved than in the
intact network); :func:`exact_risk` computes the expectations exactly by enumerating the
combined states (``2^n`` for ``n`` scenarios), which the sampled means must approach.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, product
from pathlib import Path
from typing import Any

import numpy as np
import tomllib

from corridor._errors import DataError, DatasetNotFoundError, RequestError, UnknownSiteError
from corridor.network import Network, subnetwork
from corridor.resilience.scenarios import resolve_elements

__all__ = [
    "ResolvedScenario",
    "RiskResult",
    "StressScenario",
    "apply_scenario",
    "exact_risk",
    "load_scenario",
    "monte_carlo",
    "resolve",
    "scenario_dir",
    "scenario_names",
]

_MINUTES_PER_YEAR = 365.0 * 24.0 * 60.0
_KEYS = {
    "name",
    "description",
    "fail",
    "include",
    "probability",
    "duration_days",
    "probability_basis",
    "sources",
}


def scenario_dir() -> Path:
    """Folder of the shipped scenarios (``data/scenarios`` beside ``data/geo``)."""
    from corridor import datasets

    return datasets.data_dir().parent / "scenarios"


def scenario_names() -> list[str]:
    """Names of the shipped scenarios."""
    folder = scenario_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


@dataclass(frozen=True)
class StressScenario:
    """One named scenario (see ``data/scenarios/README.md`` for the fields)."""

    name: str
    description: str = ""
    fail: tuple[str, ...] = ()
    probability: float | None = None
    duration_days: float | None = None
    probability_basis: str = ""
    sources: tuple[str, ...] = ()
    parts: tuple[StressScenario, ...] = ()

    @property
    def elements(self) -> tuple[str, ...]:
        """Every element failed, own and included."""
        out = list(self.fail)
        for part in self.parts:
            out.extend(e for e in part.elements if e not in out)
        return tuple(out)

    @property
    def hit_fraction(self) -> float:
        """Share of the year the scenario is in force on average (``p * D / 365``)."""
        if self.probability is None or self.duration_days is None:
            return math.nan
        return self.probability * min(self.duration_days, 365.0) / 365.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "name": self.name,
            "description": self.description,
            "fail": list(self.elements),
            "probability": self.probability,
            "duration_days": self.duration_days,
            "probability_basis": self.probability_basis,
            "sources": list(self.sources),
            "includes": [p.name for p in self.parts],
        }


def _number(data: dict[str, Any], key: str, where: str, upper: float | None) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        msg = f"{where}: {key} must be a number, got {value!r}"
        raise DataError(msg)
    if value < 0 or (upper is not None and value > upper):
        bound = f"0..{upper:g}" if upper is not None else ">= 0"
        msg = f"{where}: {key} must be {bound}, got {value!r}"
        raise DataError(msg)
    return float(value)


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        msg = f"{where}: {key} must be a list of strings"
        raise DataError(msg)
    return tuple(v.strip() for v in value if v.strip())


def load_scenario(name_or_path: str | Path, *, _seen: tuple[str, ...] = ()) -> StressScenario:
    """A shipped scenario by name, or a scenario TOML file.

    Raises
    ------
    DatasetNotFoundError
        For an unknown name (the message lists the shipped ones).
    DataError
        For an unreadable or invalid file, or a cycle of ``include``.
    """
    text_name = str(name_or_path)
    path = Path(text_name)
    if not (path.suffix == ".toml" or path.is_file()):
        path = scenario_dir() / f"{text_name}.toml"
        if not path.is_file():
            known = ", ".join(scenario_names()) or "none"
            msg = f"no scenario named {text_name!r}; shipped scenarios: {known} (or give a file)"
            raise DatasetNotFoundError(msg)
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"{where}: cannot read scenario: {exc.strerror or exc}"
        raise DataError(msg) from None
    except tomllib.TOMLDecodeError as exc:
        msg = f"{where}: invalid TOML: {exc}"
        raise DataError(msg) from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        msg = f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(_KEYS))}"
        raise DataError(msg)
    name = str(data.get("name") or path.stem)
    if name in _seen:
        msg = f"{where}: scenario {name!r} includes itself (through {' -> '.join(_seen)})"
        raise DataError(msg)
    parts = []
    for inc in _strings(data, "include", where):
        target = inc
        if inc.endswith(".toml") and not Path(inc).is_absolute():
            target = str(path.parent / inc)
        parts.append(load_scenario(target, _seen=(*_seen, name)))
    fail = _strings(data, "fail", where)
    if not fail and not parts:
        msg = f"{where}: a scenario needs 'fail' elements or 'include' scenarios"
        raise DataError(msg)
    return StressScenario(
        name=name,
        description=str(data.get("description", "")),
        fail=fail,
        probability=_number(data, "probability", where, 1.0),
        duration_days=_number(data, "duration_days", where, None),
        probability_basis=str(data.get("probability_basis", "")),
        sources=_strings(data, "sources", where),
        parts=tuple(parts),
    )


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario's failed link and site indices in one network."""

    scenario: StressScenario
    links: tuple[int, ...]
    sites: tuple[int, ...]
    missing: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """Remarks (elements the network does not have)."""
        if not self.missing:
            return ()
        return (
            f"scenario {self.scenario.name}: not in this network, skipped: "
            + ", ".join(self.missing),
        )


def resolve(net: Network, scenario: StressScenario, *, strict: bool = False) -> ResolvedScenario:
    """Failed link and site indices of ``scenario`` in ``net``.

    Parameters
    ----------
    strict
        Raise on an element the network does not have instead of skipping it (and naming it in
        :attr:`ResolvedScenario.notes`).

    Raises
    ------
    UnknownSiteError
        With ``strict``, for an element that names nothing in the network.
    """
    links: set[int] = set()
    sites: set[int] = set()
    missing: list[str] = []
    for item in scenario.elements:
        try:
            got = resolve_elements(net, [item])
        except UnknownSiteError:
            if strict:
                raise
            missing.append(item)
            continue
        links.update(got.links)
        sites.update(got.sites)
    # A failed site takes its links with it.
    if sites:
        site_mask = np.zeros(net.n_sites, dtype=bool)
        site_mask[list(sites)] = True
        touching = site_mask[net.link_a] | site_mask[net.link_b]
        links.update(int(i) for i in np.flatnonzero(touching))
    return ResolvedScenario(scenario, tuple(sorted(links)), tuple(sorted(sites)), tuple(missing))


def apply_scenario(net: Network, scenario: StressScenario | ResolvedScenario) -> Network:
    """The network without the scenario's failed links (a failed site keeps no link)."""
    res = scenario if isinstance(scenario, ResolvedScenario) else resolve(net, scenario)
    keep = np.ones(net.n_links, dtype=bool)
    keep[list(res.links)] = False
    return subnetwork(net, keep)


# --------------------------------------------------------------------------------------------
# risk over a year


@dataclass(frozen=True)
class RiskResult:
    """Unserved traffic and degraded time over a year under random scenarios.

    Attributes
    ----------
    scenarios
        The scenarios with a probability and a duration that were used.
    baseline_unserved_tbps
        Unserved traffic of the intact network (the reference for "degraded").
    mean_unserved_tbps, p50_unserved_tbps, p95_unserved_tbps
        Time-averaged unserved Tbps over a year: sample mean and percentiles (Monte Carlo), or
        the exact expectation (then the percentiles are ``nan``).
    mean_degraded_min, p50_degraded_min, p95_degraded_min
        Minutes a year with more traffic unserved than the baseline.
    samples, seed
        Sample count and seed (0 for the exact computation).
    states
        Distinct combined states evaluated, with their unserved Tbps.
    """

    scenarios: tuple[str, ...]
    baseline_unserved_tbps: float
    mean_unserved_tbps: float
    p50_unserved_tbps: float
    p95_unserved_tbps: float
    mean_degraded_min: float
    p50_degraded_min: float
    p95_degraded_min: float
    samples: int
    seed: int
    states: dict[tuple[str, ...], float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""

        def r(x: float) -> float | None:
            return round(float(x), 6) if math.isfinite(x) else None

        return {
            "scenarios": list(self.scenarios),
            "samples": self.samples,
            "seed": self.seed,
            "baseline_unserved_tbps": r(self.baseline_unserved_tbps),
            "mean_unserved_tbps": r(self.mean_unserved_tbps),
            "p50_unserved_tbps": r(self.p50_unserved_tbps),
            "p95_unserved_tbps": r(self.p95_unserved_tbps),
            "mean_degraded_min": r(self.mean_degraded_min),
            "p50_degraded_min": r(self.p50_degraded_min),
            "p95_degraded_min": r(self.p95_degraded_min),
            "states": [
                {"active": list(k), "unserved_tbps": r(v)} for k, v in sorted(self.states.items())
            ],
            "notes": list(self.notes),
        }


#: ``unserved(failed_links, failed_sites) -> Tbps``: how a state is evaluated.
Evaluator = Callable[[tuple[int, ...], tuple[int, ...]], float]


def _usable(scenarios: Sequence[ResolvedScenario]) -> tuple[list[ResolvedScenario], list[str]]:
    used, notes = [], []
    for s in scenarios:
        sc = s.scenario
        if sc.probability is None or sc.duration_days is None:
            notes.append(f"{sc.name}: no probability or duration, left out of the risk")
        elif sc.probability > 0 and sc.duration_days > 0:
            used.append(s)
    return used, notes


class _States:
    def __init__(self, scenarios: Sequence[ResolvedScenario], evaluate: Evaluator) -> None:
        self.scenarios = scenarios
        self.evaluate = evaluate
        self.cache: dict[tuple[int, ...], float] = {}

    def unserved(self, active: tuple[int, ...]) -> float:
        if active not in self.cache:
            links: set[int] = set()
            sites: set[int] = set()
            for i in active:
                links.update(self.scenarios[i].links)
                sites.update(self.scenarios[i].sites)
            self.cache[active] = float(self.evaluate(tuple(sorted(links)), tuple(sorted(sites))))
        return self.cache[active]

    def named(self) -> dict[tuple[str, ...], float]:
        return {tuple(self.scenarios[i].scenario.name for i in k): v for k, v in self.cache.items()}


def exact_risk(
    scenarios: Iterable[ResolvedScenario], evaluate: Evaluator, *, tol_tbps: float = 1e-6
) -> RiskResult:
    """Exact expected unserved Tbps and degraded minutes (all ``2^n`` combined states).

    Raises
    ------
    RequestError
        For more than 16 scenarios with a probability.
    """
    used, notes = _usable(list(scenarios))
    if len(used) > 16:
        msg = f"exact risk enumerates 2^n states; {len(used)} scenarios is too many (max 16)"
        raise RequestError(msg)
    st = _States(used, evaluate)
    base = st.unserved(())
    q = np.array([s.scenario.hit_fraction for s in used])
    mean_u = 0.0
    degraded = 0.0
    for bits in product((0, 1), repeat=len(used)):
        prob = float(np.prod(np.where(np.array(bits, dtype=bool), q, 1.0 - q))) if bits else 1.0
        if prob <= 0:
            continue
        u = st.unserved(tuple(i for i, b in enumerate(bits) if b))
        mean_u += prob * u
        if u > base + tol_tbps:
            degraded += prob
    nan = math.nan
    return RiskResult(
        scenarios=tuple(s.scenario.name for s in used),
        baseline_unserved_tbps=base,
        mean_unserved_tbps=mean_u,
        p50_unserved_tbps=nan,
        p95_unserved_tbps=nan,
        mean_degraded_min=degraded * _MINUTES_PER_YEAR,
        p50_degraded_min=nan,
        p95_degraded_min=nan,
        samples=0,
        seed=0,
        states=st.named(),
        notes=tuple(notes),
    )


def monte_carlo(
    scenarios: Iterable[ResolvedScenario],
    evaluate: Evaluator,
    *,
    samples: int = 10_000,
    seed: int = 0,
    tol_tbps: float = 1e-6,
) -> RiskResult:
    """Sampled years: P50 / P95 of the year's mean unserved Tbps and degraded minutes.

    Each year, scenario ``i`` happens with its probability, starts at a uniform time and lasts
    its duration (wrapping around the year); the year is cut at every start and end, and each
    piece is evaluated in its combined state (cached, so each distinct state is solved once).

    Raises
    ------
    RequestError
        For a non-positive sample count.
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        msg = f"samples must be a positive integer, got {samples!r}"
        raise RequestError(msg)
    used, notes = _usable(list(scenarios))
    st = _States(used, evaluate)
    base = st.unserved(())
    rng = np.random.default_rng(seed)
    n = len(used)
    p = np.array([s.scenario.probability for s in used], dtype=float)
    dur = np.array([min(float(s.scenario.duration_days or 0.0), 365.0) for s in used]) / 365.0
    happen = rng.random((samples, n)) < p
    start = rng.random((samples, n))
    mean_u = np.empty(samples)
    degraded = np.empty(samples)
    for y in range(samples):
        on = np.flatnonzero(happen[y])
        if len(on) == 0:
            mean_u[y], degraded[y] = base, 0.0
            continue
        cuts = {0.0, 1.0}
        for i in on:
            a, b = start[y, i], start[y, i] + dur[i]
            cuts.update((a, b - 1.0) if b > 1.0 else (a, b))
        edges = sorted(c for c in cuts if 0.0 <= c <= 1.0)
        total_u = 0.0
        total_d = 0.0
        for lo, hi in pairwise(edges):
            if hi <= lo:
                continue
            mid = 0.5 * (lo + hi)
            active = tuple(
                int(i)
                for i in on
                if (start[y, i] <= mid < start[y, i] + dur[i])
                or (start[y, i] + dur[i] > 1.0 and mid < start[y, i] + dur[i] - 1.0)
            )
            u = st.unserved(active)
            total_u += (hi - lo) * u
            if u > base + tol_tbps:
                total_d += hi - lo
        mean_u[y], degraded[y] = total_u, total_d * _MINUTES_PER_YEAR
    return RiskResult(
        scenarios=tuple(s.scenario.name for s in used),
        baseline_unserved_tbps=base,
        mean_unserved_tbps=float(mean_u.mean()),
        p50_unserved_tbps=float(np.percentile(mean_u, 50)),
        p95_unserved_tbps=float(np.percentile(mean_u, 95)),
        mean_degraded_min=float(degraded.mean()),
        p50_degraded_min=float(np.percentile(degraded, 50)),
        p95_degraded_min=float(np.percentile(degraded, 95)),
        samples=samples,
        seed=seed,
        states=st.named(),
        notes=tuple(notes),
    )
