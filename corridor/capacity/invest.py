"""Investment by traffic kept: which funded links keep the most traffic flowing per euro.

For every candidate (a planned or proposed link, or a system with ``group="system"``; see
:mod:`corridor.invest.candidates`) and every stress scenario, the multi-commodity flow of
:mod:`corridor.capacity.flow` is solved on the links in service plus the candidate, with the
scenario's elements failed; the candidate's **traffic kept** is the Tbps carried (within the RTT
SLA, if one is given) beyond what the network carries without it in that scenario. Several
scenarios are weighted by their annual probability (equal weights when one has none): the
expected Tbps kept when one of them strikes.

Cost model (:class:`CostModel`): the net present value of the candidate's cost, capex now plus
opex every year of its lifetime discounted at ``discount_rate`` (opex and lifetime from the
candidate where given, else ``opex_share`` of capex a year and ``lifetime_years``). Candidates
are ranked by Tbps kept per EUR million of that NPV; ``cost_per_protected_tbps_eur_m`` is its
inverse.

Portfolio under a budget (capex): benefits interact (two links in series are worth nothing
alone, two in parallel less than the sum), so singles do not add up.

- **greedy**: by marginal Tbps kept per NPV euro, re-evaluated after each pick, over the
  ``pool`` strongest singles; a heuristic.
- **exact**, first (no SLA) as one network-design integer program
  (:func:`corridor.capacity.design.design_portfolio`: build variables, a flow per scenario, the
  budget row), whose portfolio is checked with the flow evaluator and proven when it meets the
  program's upper bound within :data:`corridor.capacity.portfolio.TOL` (ties go to the lower
  NPV as far as the solver's gap tells them apart, and to the greedy set when it keeps as
  much for less). Otherwise (an SLA, or the program stopped on its time limit)
  :func:`corridor.capacity.portfolio.best_portfolio`: branch and bound on the
  expected Tbps kept, which is monotone in the set built; ties go to the lower NPV; started
  from the program's or the greedy portfolio. Both search every candidate that fits the
  budget except those
  that can never carry traffic in any scenario (:func:`never_carry`: every link failed, of no
  capacity, or on no simple path between an OD pair of the demand with every candidate built;
  a structural test, so dropping them loses nothing). Candidates that keep nothing alone stay
  in (they may complete another). It stops after ``max_solves`` flow solves: then the answer is
  the best found and the highest bound still open, not proven.
- **Pareto front** (:func:`corridor.capacity.portfolio.pareto_front`), NPV of lifetime cost
  against expected Tbps kept, over the same candidates within the budget (or
  ``pareto_max_eur_m`` of capex), exact by the same bound, same limit.

Sensitivity to the scenario probabilities (:mod:`corridor.capacity.sensitivity`) needs no new
flows: with two or more scenarios, the factor on each probability at which the leader changes,
and a seeded Monte Carlo over the probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from corridor._errors import RequestError
from corridor.capacity.capacities import link_capacities
from corridor.capacity.demand import ODMatrix
from corridor.capacity.flow import FlowResult, multicommodity_flow
from corridor.capacity.portfolio import (
    TOL,
    CachedValue,
    PortfolioSearch,
    best_portfolio,
    pareto_front,
)
from corridor.capacity.scenarios import ResolvedScenario
from corridor.capacity.sensitivity import probability_sensitivity
from corridor.invest.candidates import DEFAULT_LIFETIME_YEARS, Candidate
from corridor.network import Network

__all__ = [
    "DEFAULT_MAX_SOLVES",
    "CostModel",
    "TrafficCandidate",
    "TrafficRanking",
    "never_carry",
    "rank_by_traffic",
]

Progress = Callable[[str, int, int], None]

#: Gains below this (Tbps) are solver noise, counted as nothing kept.
_NOISE_TBPS = 1e-6

#: Flow solves the exact portfolio search (and, separately, the Pareto search) may spend:
#: about 0.35 s each on the shipped network, so a couple of minutes at most.
DEFAULT_MAX_SOLVES = 300

GREEDY_METHOD = "greedy by marginal Tbps kept per NPV euro (heuristic)"


@dataclass(frozen=True)
class CostModel:
    """Capex, opex, lifetime and discount rate (see the module docstring).

    Defaults: 8 % discount rate (a common real cost of capital for telecom infrastructure; an
    assumption), opex 3 % of capex a year where the candidate gives none, and the candidate's
    lifetime (25 years unless its data say otherwise: submarine cables are designed for 25);
    ``lifetime_years`` overrides every candidate's.
    """

    discount_rate: float = 0.08
    opex_share: float = 0.03
    lifetime_years: float | None = None

    def __post_init__(self) -> None:
        for name in ("discount_rate", "opex_share"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                msg = f"{name} must be >= 0, got {v!r}"
                raise RequestError(msg)
        life = self.lifetime_years
        if life is not None and not (math.isfinite(life) and life > 0):
            msg = f"lifetime_years must be > 0, got {life!r}"
            raise RequestError(msg)

    def terms(self, c: Candidate) -> tuple[float, float]:
        """Opex a year and lifetime of a candidate (its own where given)."""
        opex = c.opex_eur_m_per_year
        if not (math.isfinite(opex) and opex > 0):
            opex = self.opex_share * c.capex_eur_m
        if self.lifetime_years is not None:
            return opex, self.lifetime_years
        ok = math.isfinite(c.lifetime_years) and c.lifetime_years > 0
        return opex, c.lifetime_years if ok else DEFAULT_LIFETIME_YEARS

    def npv(self, c: Candidate) -> float:
        """Present value of capex plus discounted opex over the lifetime, EUR m."""
        opex, life = self.terms(c)
        r = self.discount_rate
        years = math.ceil(life)
        annuity = years if r == 0 else (1.0 - (1.0 + r) ** -years) / r
        return c.capex_eur_m + opex * annuity

    def to_dict(self) -> dict[str, float | None]:
        """JSON-ready dictionary."""
        return {
            "discount_rate": self.discount_rate,
            "opex_share": self.opex_share,
            "lifetime_years": self.lifetime_years,
        }


@dataclass(frozen=True)
class TrafficCandidate:
    """One candidate's traffic kept and cost."""

    candidate: Candidate
    traffic_kept_tbps: float
    kept_by_scenario: dict[str, float]
    traffic_added_normal_tbps: float
    npv_cost_eur_m: float
    opex_eur_m_per_year: float
    lifetime_years: float

    @property
    def kept_per_eur_m(self) -> float:
        """Tbps kept per EUR m of lifetime cost (NPV)."""
        return self.traffic_kept_tbps / self.npv_cost_eur_m if self.npv_cost_eur_m > 0 else 0.0

    @property
    def cost_per_protected_tbps_eur_m(self) -> float | None:
        """EUR m of lifetime cost per Tbps kept (``None`` when it keeps nothing)."""
        return self.npv_cost_eur_m / self.traffic_kept_tbps if self.traffic_kept_tbps > 0 else None

    def to_dict(self, rank: int) -> dict[str, Any]:
        """JSON-ready ranking row."""
        c = self.candidate
        cpt = self.cost_per_protected_tbps_eur_m
        return {
            "rank": rank,
            "id": c.id,
            "name": c.name,
            "system": c.system,
            "kind": c.kind,
            "status": c.status,
            "segments": list(c.link_ids),
            "capex_eur_m": round(c.capex_eur_m, 3),
            "opex_eur_m_per_year": round(self.opex_eur_m_per_year, 3),
            "lifetime_years": self.lifetime_years,
            "npv_cost_eur_m": round(self.npv_cost_eur_m, 3),
            "traffic_kept_tbps": round(self.traffic_kept_tbps, 6),
            "kept_by_scenario_tbps": {k: round(v, 6) for k, v in self.kept_by_scenario.items()},
            "traffic_added_normal_tbps": (
                round(self.traffic_added_normal_tbps, 6)
                if math.isfinite(self.traffic_added_normal_tbps)
                else None
            ),
            "kept_tbps_per_eur_m": round(self.kept_per_eur_m, 6),
            "cost_per_protected_tbps_eur_m": None if cpt is None else round(cpt, 3),
        }


@dataclass(frozen=True)
class TrafficRanking:
    """Answer of :func:`rank_by_traffic`."""

    scenarios: tuple[str, ...]
    weights: tuple[float, ...]
    base_carried_tbps: dict[str, float]
    demand_tbps: float
    ranking: tuple[TrafficCandidate, ...]
    budget_eur_m: float | None
    portfolio: tuple[str, ...]
    portfolio_capex_eur_m: float
    portfolio_npv_eur_m: float
    portfolio_kept_tbps: float
    cost: CostModel
    sla_rtt_ms: float | None
    why: str
    notes: tuple[str, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)
    portfolio_method: str = GREEDY_METHOD
    portfolio_proven: bool = False
    portfolio_bound_tbps: float | None = None
    greedy: dict[str, Any] | None = None
    search: dict[str, Any] | None = None
    pareto: tuple[dict[str, Any], ...] | None = None
    pareto_proven: bool | None = None
    pareto_bound_tbps: float | None = None
    sensitivity: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (``ranking`` rows best first).

        ``portfolio`` carries ``method``, ``proven_optimal``, ``upper_bound_tbps`` and the
        ``greedy`` portfolio; ``pareto`` / ``pareto_proven`` are present when the front was
        computed, ``sensitivity`` when asked for.
        """
        out: dict[str, Any] = {
            "objective": "traffic kept per EUR m of lifetime cost",
            "scenarios": [
                {"name": n, "weight": w, "base_carried_tbps": round(self.base_carried_tbps[n], 6)}
                for n, w in zip(self.scenarios, self.weights, strict=True)
            ],
            "normal_carried_tbps": round(self.base_carried_tbps.get("(none)", math.nan), 6),
            "demand_tbps": round(self.demand_tbps, 6),
            "sla_rtt_ms": self.sla_rtt_ms,
            "cost_model": self.cost.to_dict(),
            "ranking": [c.to_dict(i + 1) for i, c in enumerate(self.ranking)],
            "budget_eur_m": self.budget_eur_m,
            "portfolio": {
                "ids": list(self.portfolio),
                "capex_eur_m": round(self.portfolio_capex_eur_m, 3),
                "npv_cost_eur_m": round(self.portfolio_npv_eur_m, 3),
                "traffic_kept_tbps": round(self.portfolio_kept_tbps, 6),
                "method": self.portfolio_method,
                "proven_optimal": self.portfolio_proven,
                "upper_bound_tbps": _r6(self.portfolio_bound_tbps),
                "greedy": self.greedy,
                "search": self.search,
            },
            "why": self.why,
            "notes": list(self.notes),
            "stats": self.stats,
        }
        if self.pareto is not None:
            out["pareto"] = list(self.pareto)
            out["pareto_proven"] = self.pareto_proven
            out["pareto_upper_bound_tbps"] = _r6(self.pareto_bound_tbps)
        if self.sensitivity is not None:
            out["sensitivity"] = self.sensitivity
        return out


def _r6(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, 6)


def _is_trans_caspian(net: Network, c: Candidate) -> bool:
    look = net.lookup
    return any(
        "caspian-seabed" in look.link_srlgs[li] or "trans-caspian" in look.link_system[li].lower()
        for li in c.link_indices
    )


def rank_by_traffic(
    net: Network,
    candidates: Sequence[Candidate],
    demand: ODMatrix,
    *,
    scenarios: Sequence[ResolvedScenario],
    sla_rtt_ms: float | None = None,
    cost: CostModel | None = None,
    budget_eur_m: float | None = None,
    pool: int = 8,
    with_normal: bool = False,
    exact: bool = True,
    max_solves: int = DEFAULT_MAX_SOLVES,
    pareto: bool = False,
    pareto_max_eur_m: float | None = None,
    sensitivity: bool = True,
    draws: int = 1000,
    seed: int = 0,
    progress: Progress | None = None,
) -> TrafficRanking:
    """Rank candidates by traffic kept per euro under the scenarios (module docstring).

    Parameters
    ----------
    net
        The network holding the candidate links (planned / proposed; the base is its existing
        links).
    candidates
        From :func:`corridor.invest.candidates.candidate_network`.
    demand
        The traffic.
    scenarios
        Resolved stress scenarios (at least one).
    sla_rtt_ms
        Only traffic within this RTT counts as carried.
    cost
        The cost model.
    budget_eur_m
        Build a portfolio within this capex.
    pool
        How many of the strongest single candidates the portfolio search considers.
    with_normal
        Also solve each candidate without any scenario (``traffic_added_normal_tbps``; one
        more flow per candidate).
    exact
        With a budget, also search the exact portfolio (module docstring).
    max_solves
        Flow solves the exact search may spend (the Pareto search as many again).
    pareto
        Compute the Pareto front of NPV against Tbps kept within the budget (or
        ``pareto_max_eur_m`` of capex).
    pareto_max_eur_m
        Capex cap of the front (default: the budget).
    sensitivity
        With two or more scenarios, the sensitivity of the ranking to their probabilities.
    draws, seed
        Monte Carlo draws and seed of that sensitivity.
    progress
        ``progress(stage, done, total)`` callback.

    Raises
    ------
    RequestError
        Without scenarios or candidates.
    """
    if not scenarios:
        msg = "name at least one scenario"
        raise RequestError(msg)
    if not candidates:
        msg = "no candidates to rank"
        raise RequestError(msg)
    cost = cost or CostModel()
    caps = link_capacities(net)
    probs = [s.scenario.probability for s in scenarios]
    notes: list[str] = []
    if all(p is not None and p > 0 for p in probs):
        weights = [float(p) for p in probs if p is not None]
    else:
        weights = [1.0] * len(scenarios)
        if len(scenarios) > 1:
            notes.append("not every scenario has a probability: scenarios weigh the same")
    for s in scenarios:
        notes.extend(s.notes)
    names = tuple(s.scenario.name for s in scenarios)
    solves = 0

    def flow(extra: Sequence[int], failed: ResolvedScenario | None) -> FlowResult:
        nonlocal solves
        solves += 1
        return multicommodity_flow(
            net,
            demand,
            capacities=caps,
            sla_rtt_ms=sla_rtt_ms,
            status="existing",
            extra_links=extra,
            failed_links=failed.links if failed else (),
            failed_sites=failed.sites if failed else (),
            prefer_short=False,
        )

    base = {s.scenario.name: flow((), s).carried_tbps for s in scenarios}
    base["(none)"] = flow((), None).carried_tbps
    wsum = sum(weights)

    def kept(extra: Sequence[int]) -> tuple[float, dict[str, float], dict[str, FlowResult]]:
        per: dict[str, float] = {}
        res: dict[str, FlowResult] = {}
        for s in scenarios:
            r = flow(extra, s)
            res[s.scenario.name] = r
            gain = r.carried_tbps - base[s.scenario.name]
            per[s.scenario.name] = gain if gain > _NOISE_TBPS else 0.0
        total = sum(w * per[n] for w, n in zip(weights, names, strict=True)) / wsum
        return total, per, res

    rows: list[TrafficCandidate] = []
    flows: dict[str, dict[str, FlowResult]] = {}
    for i, c in enumerate(candidates):
        if progress:
            progress("traffic kept per candidate", i, len(candidates))
        total, per, res = kept(c.link_indices)
        normal = (
            max(0.0, flow(c.link_indices, None).carried_tbps - base["(none)"] - _NOISE_TBPS)
            if with_normal
            else math.nan
        )
        opex, life = cost.terms(c)
        rows.append(
            TrafficCandidate(
                candidate=c,
                traffic_kept_tbps=total,
                kept_by_scenario=per,
                traffic_added_normal_tbps=normal,
                npv_cost_eur_m=cost.npv(c),
                opex_eur_m_per_year=opex,
                lifetime_years=life,
            )
        )
        flows[c.id] = res
    if progress:
        progress("traffic kept per candidate", len(candidates), len(candidates))
    singles = list(rows)
    rows.sort(key=lambda r: (-r.kept_per_eur_m, -r.traffic_kept_tbps, r.candidate.id))
    pos = {id(r): i for i, r in enumerate(singles)}

    def value(items: frozenset[int]) -> float:
        return kept([li for i in sorted(items) for li in candidates[i].link_indices])[0]

    f = CachedValue(value)
    for i, r in enumerate(singles):
        f.prime([i], r.traffic_kept_tbps)
    capex = [c.capex_eur_m for c in candidates]
    npv = [r.npv_cost_eur_m for r in singles]
    greedy: list[int] = []
    port_kept = 0.0
    if budget_eur_m is not None:
        strongest = [pos[id(r)] for r in rows if r.traffic_kept_tbps > 1e-9][:pool]
        spent = 0.0
        while True:
            best: tuple[float, int, float] | None = None
            for i in strongest:
                if i in greedy or spent + capex[i] > budget_eur_m + 1e-9:
                    continue
                gain = f([*greedy, i]) - port_kept
                score = gain / npv[i] if npv[i] > 0 else 0.0
                if gain > 1e-9 and (best is None or score > best[0]):
                    best = (score, i, gain)
            if best is None:
                break
            _, i, gain = best
            greedy.append(i)
            spent += capex[i]
            port_kept += gain
    chosen = list(greedy)
    extra_fields: dict[str, Any] = {}
    per_eval = len(scenarios)
    cap = pareto_max_eur_m if pareto_max_eur_m is not None else budget_eur_m
    if (exact and budget_eur_m is not None) or (pareto and cap is not None):
        dead = never_carry(net, candidates, demand, scenarios, caps.tbps)
        searched = [
            i
            for i in sorted(
                range(len(candidates)), key=lambda i: (-singles[i].kept_per_eur_m, capex[i])
            )
            if i not in dead
        ]
        extra_fields["search"] = {
            "candidates_searched": sum(
                1 for i in searched if capex[i] <= (budget_eur_m or math.inf) + 1e-9
            ),
            "never_carry": sorted(candidates[i].id for i in dead),
            "max_solves": max_solves,
        }
    if exact and budget_eur_m is not None:
        design = None
        if sla_rtt_ms is None:
            if progress:
                progress("exact portfolio (network-design integer program)", 0, 1)
            design = _design(
                net, demand, caps.tbps, scenarios, weights, candidates, searched, capex, npv,
                budget_eur_m, base, f, greedy,
            )  # fmt: skip
            if progress:
                progress("exact portfolio (network-design integer program)", 1, 1)
        if design is not None and design.proven:
            found = design
            extra_fields["search"]["design"] = "network-design integer program, proven"
        else:
            if progress:
                progress("exact portfolio (branch and bound)", 0, 1)
            f.allow(max_solves // per_eval)
            start = greedy if design is None else sorted(design.items)
            found = best_portfolio(f, capex, npv, budget_eur_m, order=searched, incumbent=start)
            if design is not None and design.bound < found.bound:
                found = replace(found, bound=max(found.value, design.bound))
            if progress:
                progress("exact portfolio (branch and bound)", 1, 1)
        chosen = sorted(found.items, key=lambda i: (-singles[i].kept_per_eur_m, candidates[i].id))
        port_kept = found.value
        if design is not None and found is design:
            method = "exact (network-design integer program, proven)"
        elif found.proven:
            method = "exact (branch and bound, proven)"
        else:
            method = f"best found, not proven: limit {max_solves} flow solves reached, " + (
                f"bound {found.bound:.2f} Tbps" if math.isfinite(found.bound) else "no bound yet"
            )
        extra_fields["search"].update(
            {"flow_solves": found.evaluations * per_eval, "nodes": found.nodes}
        )
        extra_fields.update(
            portfolio_method=method,
            portfolio_proven=found.proven,
            portfolio_bound_tbps=found.bound,
            greedy={
                "ids": [candidates[i].id for i in greedy],
                "capex_eur_m": round(sum(capex[i] for i in greedy), 3),
                "npv_cost_eur_m": round(sum(npv[i] for i in greedy), 3),
                "traffic_kept_tbps": round(f(greedy), 6),
                "method": GREEDY_METHOD,
            },
        )
    elif budget_eur_m is not None:
        extra_fields["greedy"] = None
    if pareto and cap is not None:
        if progress:
            progress("Pareto front (branch and bound)", 0, 1)
        f.allow(max_solves // per_eval)
        front = pareto_front(f, capex, npv, cap, order=searched, seeds=f.known())
        if progress:
            progress("Pareto front (branch and bound)", 1, 1)
        extra_fields.update(
            pareto=tuple(
                {
                    "ids": sorted(candidates[i].id for i in p.items),
                    "capex_eur_m": round(p.capex, 3),
                    "npv_cost_eur_m": round(p.npv, 3),
                    "traffic_kept_tbps": round(p.value, 6),
                }
                for p in front.points
            ),
            pareto_proven=front.proven,
            pareto_bound_tbps=front.bound,
        )
        extra_fields["search"]["pareto_flow_solves"] = front.evaluations * per_eval
        extra_fields["search"]["pareto_max_capex_eur_m"] = cap
    if sensitivity:
        if len(scenarios) < 2:
            extra_fields["sensitivity"] = {
                "note": "one scenario: the ranking does not depend on its probability"
            }
        else:
            sens = probability_sensitivity(
                np.array([[r.kept_by_scenario[n] for n in names] for r in rows]),
                np.array([r.npv_cost_eur_m for r in rows]),
                weights,
                [r.candidate.id for r in rows],
                names,
                draws=draws,
                seed=seed,
            )
            extra_fields["sensitivity"] = sens.to_dict()
    why = _why(net, rows, names, flows, sla_rtt_ms)
    return TrafficRanking(
        scenarios=names,
        weights=tuple(weights),
        base_carried_tbps=base,
        demand_tbps=demand.total_tbps,
        ranking=tuple(rows),
        budget_eur_m=budget_eur_m,
        portfolio=tuple(candidates[i].id for i in chosen),
        portfolio_capex_eur_m=sum(capex[i] for i in chosen),
        portfolio_npv_eur_m=sum(npv[i] for i in chosen),
        portfolio_kept_tbps=port_kept,
        cost=cost,
        sla_rtt_ms=sla_rtt_ms,
        why=why,
        notes=tuple(notes),
        stats={"flow_solves": solves, "candidates": len(candidates)},
        **extra_fields,
    )


def _design(
    net: Network,
    demand: ODMatrix,
    capacities: np.ndarray,
    scenarios: Sequence[ResolvedScenario],
    weights: Sequence[float],
    candidates: Sequence[Candidate],
    searched: Sequence[int],
    capex: Sequence[float],
    npv: Sequence[float],
    budget: float,
    base: dict[str, float],
    f: CachedValue,
    incumbent: Sequence[int],
) -> PortfolioSearch | None:
    """The portfolio of the network-design integer program (:mod:`corridor.capacity.design`),
    checked with the flow evaluator ``f`` and against the greedy incumbent; ``proven`` when the
    program's upper bound is met within :data:`corridor.capacity.portfolio.TOL`."""
    from corridor.capacity.design import design_portfolio

    fit = [i for i in searched if capex[i] <= budget + 1e-9]
    if not fit:
        return None
    src = [net.site_index(net.resolve_site(x)) for x in demand.sources]
    dst = [net.site_index(net.resolve_site(x)) for x in demand.targets]
    res = design_portfolio(
        net, src, dst, np.asarray(demand.tbps, dtype=float), capacities, scenarios, weights,
        [candidates[i].link_indices for i in fit], [capex[i] for i in fit],
        [npv[i] for i in fit], budget,
    )  # fmt: skip
    if res is None:
        return None
    wsum = float(sum(weights))
    floor = sum(w * base[s.scenario.name] for w, s in zip(weights, scenarios, strict=True)) / wsum
    bound = res.bound - floor
    items = frozenset(fit[j] for j in res.items)
    value = f(items)
    cost = sum(npv[i] for i in items)
    other = frozenset(incumbent)
    if other != items:  # the greedy set when it keeps as much for less (ties) or more (noise)
        v2, c2 = f(other), sum(npv[i] for i in other)
        if v2 > value + TOL or (v2 >= value - TOL and c2 < cost):
            items, value, cost = other, v2, c2
    return PortfolioSearch(
        items=items,
        value=value,
        capex=sum(capex[i] for i in items),
        npv=cost,
        proven=res.proven and value >= bound - TOL,
        bound=max(value, bound),
        evaluations=1,
        nodes=0,
    )


def never_carry(
    net: Network,
    candidates: Sequence[Candidate],
    demand: ODMatrix,
    scenarios: Sequence[ResolvedScenario],
    capacity: np.ndarray,
) -> frozenset[int]:
    """Positions of the candidates that can carry no traffic in any scenario, whatever is built.

    A link carries flow of an OD pair only on a simple path between its ends (a flow
    decomposes into simple paths and cycles, and cycles carry nothing). With every candidate
    built and the scenario's elements failed, a link is on some simple s - t path exactly
    when its biconnected block lies on the path from s to t in the block-cut tree. A
    candidate is dropped when, in every scenario, each of its links is failed, of no capacity,
    a loop, or in no block on such a path for any OD pair. Structural, so exact: adding any
    other links cannot make it useful. (Directed networks: nothing is dropped.)
    """
    import networkx as nx

    if getattr(net, "directed", False):
        return frozenset()
    look = net.lookup
    mine = {li for c in candidates for li in c.link_indices}
    pairs = [
        (net.site_index(s), net.site_index(t))
        for s, t in zip(demand.sources, demand.targets, strict=True)
    ]
    useful: set[int] = set()
    for scen in scenarios:
        failed_links, failed_sites = set(scen.links), set(scen.sites)
        g = nx.Graph()
        for li in range(net.n_links):
            a, b = int(net.link_a[li]), int(net.link_b[li])
            if (
                (look.link_status[li] == "existing" or li in mine)
                and li not in failed_links
                and capacity[li] > 0
                and a != b
                and a not in failed_sites
                and b not in failed_sites
            ):
                g.add_edge(a, b)
        cut = set(nx.articulation_points(g))
        block_of: dict[frozenset[int], int] = {}
        tree = nx.Graph()
        home: dict[int, tuple[str, int]] = {}
        for k, edges in enumerate(nx.biconnected_component_edges(g)):
            tree.add_node(("B", k))
            for u, v in edges:
                block_of[frozenset((u, v))] = k
                for x in (u, v):
                    if x in cut:
                        tree.add_edge(("B", k), ("C", x))
                    else:
                        home[x] = ("B", k)
        for x in cut:
            home[x] = ("C", x)
        blocks: set[int] = set()
        by_source: dict[int, list[int]] = {}
        for s_, t_ in pairs:
            if s_ in home and t_ in home:
                by_source.setdefault(s_, []).append(t_)
        for s_, targets in by_source.items():
            paths = nx.single_source_shortest_path(tree, home[s_])
            for t_ in targets:
                for node in paths.get(home[t_], ()):
                    if node[0] == "B":
                        blocks.add(node[1])
        for li in mine:
            key = frozenset((int(net.link_a[li]), int(net.link_b[li])))
            if key in block_of and block_of[key] in blocks and li not in failed_links:
                useful.add(li)
    return frozenset(
        i for i, c in enumerate(candidates) if not any(li in useful for li in c.link_indices)
    )


def _caps_on(net: Network, res: FlowResult, corridor: str, n: int = 3) -> list[str]:
    """The most binding saturated links on the paths of one corridor, as text."""
    util = res.utilisation
    on = {li for p in res.paths if p.corridor == corridor for li in p.links}
    hot = [li for li in on if util[li] >= 0.999]
    hot.sort(key=lambda li: (-res.shadow_price[li], res.capacity[li]))
    look = net.lookup
    out = []
    for li in hot[:n]:
        tag = "assumed default" if res.capacity_assumed[li] else "published"
        out.append(f"{look.link_id[li]} ({res.capacity[li]:g} Tbps, {tag})")
    return out


def _why(
    net: Network,
    rows: Sequence[TrafficCandidate],
    names: Sequence[str],
    flows: dict[str, dict[str, FlowResult]],
    sla: float | None,
) -> str:
    within = f" within {sla:g} ms" if sla else ""
    scen = ", ".join(names)
    if not rows or rows[0].traffic_kept_tbps <= 1e-9:
        return f"no candidate alone carries more traffic{within} under {scen}."
    w = rows[0]
    c = w.candidate
    res = flows[c.id][names[0]]
    through = {
        p.corridor for p in res.paths if set(p.links) & set(c.link_indices) and p.tbps > 1e-9
    }
    text = (
        f"{c.id} ({c.system}) wins: under {scen} it carries {w.traffic_kept_tbps:.2f} Tbps"
        f"{within} that would otherwise be unserved"
        + (f" (through the {'/'.join(sorted(through))} corridor)" if through else "")
        + f", for EUR {c.capex_eur_m:.0f} m capex, EUR {w.npv_cost_eur_m:.0f} m over its "
        f"life: EUR {w.cost_per_protected_tbps_eur_m:.1f} m per protected Tbps"
    )
    if len(rows) > 1:
        r2 = rows[1]
        cpt = r2.cost_per_protected_tbps_eur_m
        text += f"; the next, {r2.candidate.id}, keeps {r2.traffic_kept_tbps:.2f} Tbps" + (
            f" at EUR {cpt:.1f} m per Tbps" if cpt else ""
        )
    text += "."
    tc = [(i, r) for i, r in enumerate(rows) if _is_trans_caspian(net, r.candidate)]
    if tc and tc[0][0] != 0:
        i, r = tc[0]
        res = flows[r.candidate.id][names[0]]
        caps = _caps_on(net, res, "middle")
        text += (
            f" The best Trans-Caspian candidate, {r.candidate.id}, ranks {i + 1} and keeps "
            f"{r.traffic_kept_tbps:.2f} Tbps: "
            + (
                "the Middle Corridor paths it opens are capped by " + ", ".join(caps) + "."
                if caps
                else "the traffic it could carry has no path to it within the limits."
            )
        )
    elif tc:
        text += " It is a Trans-Caspian link."
    else:
        text += " No Trans-Caspian candidate is in the set."
    return text
