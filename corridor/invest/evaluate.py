"""Evaluate every candidate alone against a base state, and rank by benefit per EUR m.

Single candidates use the exact one-link shortcut over distance rows of the base network
(:mod:`corridor.invest._kernels`); groups of links (multi-segment systems,
:mod:`corridor.invest.candidates`) are evaluated by full recomputation on the masked network
(:func:`~corridor.invest.metrics.set_metrics`), so interactions (two halves of one route) are
honest. Metric and benefit score definitions: :mod:`corridor.invest.metrics`; portfolios:
:mod:`corridor.invest.portfolio`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor._errors import RequestError
from corridor._kernels.dijkstra import dijkstra_many
from corridor.invest import _kernels as kern
from corridor.invest import metrics as met
from corridor.invest import protection as prot
from corridor.invest.candidates import Candidate
from corridor.invest.metrics import (
    BenefitWeights,
    Context,
    PairMetrics,
    _backup,
    _bound,
    _flags,
    _root_rows,
    _wants_availability,
    benefit,
    set_metrics,
)
from corridor.resilience._kernel import path_figures

# BenefitWeights, Context and benefit (home: corridor.invest.metrics) stay importable from here.
__all__ = [
    "BenefitWeights",
    "CandidateResult",
    "Context",
    "benefit",
    "evaluate_singles",
    "rank",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CandidateResult:
    """One candidate evaluated alone against a base state."""

    candidate: Candidate
    metrics: dict[str, float]
    cost_eur_m: float

    @property
    def score(self) -> float:
        """Benefit score."""
        return float(self.metrics["score"])

    @property
    def per_eur_m(self) -> float:
        """Benefit per EUR million."""
        return self.score / self.cost_eur_m if self.cost_eur_m > 0 else math.inf

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready row."""
        c = self.candidate
        low, high = c.capex_range
        row: dict[str, Any] = {
            "id": c.id,
            "segments": list(c.link_ids),
            "name": c.name,
            "system": c.system,
            "kind": c.kind,
            "status": c.status,
            "a": c.a,
            "b": c.b,
            "length_km": round(c.length_km, 1),
            "rtt_ms_link": round(2 * c.latency_ms, 3),
            "capex_eur_m": round(c.capex_eur_m, 3),
            "capex_low_eur_m": round(low, 3),
            "capex_high_eur_m": round(high, 3),
            "capex_basis": c.capex_basis,
            "cost_eur_m": round(self.cost_eur_m, 4),
        }
        for k, v in self.metrics.items():
            if k.startswith("_"):
                continue
            row[k] = round(v, 6) if isinstance(v, float) and math.isfinite(v) else v
            if isinstance(v, float) and not math.isfinite(v):
                row[k] = None
        row["benefit_per_eur_m"] = round(self.per_eur_m, 6)
        return row


class _SlaCuts:
    """Risks on every route within the SLA of an unprotected OD pair (SRLG mode, flags only).

    When every route of ``s -> t`` within the one-way SLA crosses risk ``r`` (a link or an
    SRLG), an SRLG-disjoint pair of two such routes can only appear with a new link ``e`` if
    one route avoids ``r`` and uses ``e``: the best route through ``e`` without ``r`` must fit
    the SLA. Candidate risks are those of the pair's best route; each is kept when the best
    route without it misses the SLA.
    """

    def __init__(self, ctx: Context, links: np.ndarray, flags: np.ndarray) -> None:
        net = ctx.net
        setup = ctx.protect
        cap = ctx.sla_rtt_ms / 2.0
        nl = net.n_links
        arc_ok = ctx.arc_ok(links)
        rows: dict[int, list[int]] = {}
        todo = np.flatnonzero(~flags)
        for s in np.unique(ctx.ps[todo]):
            _, pred = kern.dijkstra(
                net.indptr, net.head, net.weight, int(s), -1, arc_ok, ctx.node_ok
            )
            for k in todo[ctx.ps[todo] == s]:
                t = int(ctx.pt[k])
                risks: set[int] = set()
                x = t
                while x != s and pred[x] >= 0:
                    li = int(net.arc_link[pred[x]])
                    risks.add(li)
                    lo, hi = net.link_srlg_indptr[li], net.link_srlg_indptr[li + 1]
                    risks.update(nl + int(g) for g in net.link_srlg_ids[lo:hi])
                    x = int(net.tail[pred[x]])
                if x != s:
                    continue
                for r in sorted(risks):
                    m = links.copy()
                    m[setup.risk_links(r)] = False
                    d, _ = kern.dijkstra(
                        net.indptr, net.head, net.weight, int(s), t, ctx.arc_ok(m), ctx.node_ok
                    )
                    if not d[t] - net.site_delay[t] <= cap + 1e-9:
                        rows.setdefault(r, []).append(int(k))
        self.risk = np.array(sorted(rows), dtype=np.int64)
        self.pairs = [np.array(rows[int(r)], dtype=np.int64) for r in self.risk]
        self.dist = []
        for r in self.risk:
            m = links.copy()
            m[setup.risk_links(int(r))] = False
            self.dist.append(_root_rows(ctx, m))

    def blocked(self, ctx: Context, u: int, v: int, link: int) -> np.ndarray:
        """OD pairs that cannot gain an SLA-keeping SRLG-disjoint pair from link ``u - v``."""
        out = np.zeros(len(ctx.ps), dtype=bool)
        if not len(self.risk):
            return out
        carried = ctx.protect.carries(self.risk, link)
        w = float(ctx.net.lookup.link_latency[link])
        for j, ks in enumerate(self.pairs):
            if carried[j]:
                out[ks] = True
                continue
            d = self.dist[j]
            rs, rt = ctx.prs[ks], ctx.prt[ks]
            via = np.minimum(d[rs, u] + w + d[rt, v], d[rs, v] + w + d[rt, u])
            out[ks[~(via <= ctx.sla_rtt_ms / 2.0 + 1e-9)]] = True
        return out


class _State:
    """Distance rows of one network state (with every single link cut) for the shortcut."""

    def __init__(self, ctx: Context, chosen: Sequence[int], *, availability: bool = True) -> None:
        net = ctx.net
        self.full = _wants_availability(ctx, availability)
        self.chosen = tuple(chosen)
        self.links = ctx.mask(chosen)
        self.fail = np.flatnonzero(self.links).astype(np.int64)
        self.dist, self.focus = kern.tree_rows(
            net.indptr,
            net.head,
            net.tail,
            net.weight,
            net.arc_link,
            ctx.arc_ok(self.links),
            ctx.node_ok,
            ctx.roots,
            self.fail,
            ctx.larcs,
            ctx.node_focus,
            ctx.link_focus,
        )
        self.metrics = set_metrics(ctx, chosen, availability=self.full)
        self._sla_cuts: _SlaCuts | None = None

    def sla_cuts(self, ctx: Context) -> _SlaCuts:
        """:class:`_SlaCuts` of this state (computed on first use)."""
        if self._sla_cuts is None:
            self._sla_cuts = _SlaCuts(ctx, self.links, self.metrics.backup)
        return self._sla_cuts

    def add_one(self, ctx: Context, cand: int) -> PairMetrics:
        """Exact metrics after adding candidate ``cand``.

        One link: the shortcut for latency, worst failure and focus, and the protection pairs
        recomputed only where the new link can change them. A group of links: full set
        recomputation (:func:`set_metrics`; the one-link formula does not apply).
        """
        c = ctx.candidates[cand]
        if c.is_group:
            return set_metrics(ctx, [*self.chosen, cand], availability=self.full)
        net = ctx.net
        u, v = net.site_index(c.a), net.site_index(c.b)
        one_way, worst, via, focus = kern.single_link_metrics(
            self.dist,
            self.focus,
            ctx.prs,
            ctx.prt,
            ctx.pt,
            net.site_delay,
            u,
            v,
            float(net.lookup.link_latency[c.link]),
            bool(ctx.link_focus[c.link]),
        )
        base = self.metrics
        links = self.links.copy()
        links[c.link] = True
        one_way = _expected_one_way(ctx, links, one_way, self.dist[0, ctx.prs, ctx.pt], base)
        key = (frozenset(self.chosen), cand, None if self.full else ctx.sla_rtt_ms)
        p = ctx.protect.singles.get(key)
        if p is None and not self.full:
            p = ctx.protect.singles.get((key[0], cand, None))
        if p is None:
            old = base.protection
            assert old is not None
            bound = _bound(ctx, self.dist[0, ctx.prs, ctx.pt], via)
            bypassed = prot.bypassed_by_link(ctx.protect, old, u, v, c.link)
            link_check, srlg_check = prot.changes(ctx.protect, old, bound, bypassed)
            need = None if self.full else ~base.backup & (via <= ctx.sla_rtt_ms / 2.0 + 1e-9)
            if need is not None and ctx.backup_mode == "srlg" and need.any():
                need &= ~self.sla_cuts(ctx).blocked(ctx, u, v, c.link)
            p = prot.compute(
                ctx.protect,
                links,
                prev=old,
                link_check=link_check,
                srlg_check=srlg_check,
                need=need,
                derive=False,
            )
            if len(ctx.protect.singles) < 20_000:
                ctx.protect.singles[key] = p
        if met.BACKUP_MAX_CANDIDATES > 0 and ctx.backup_mode == "link":
            # only pairs not yet protected whose best route through the new link fits can gain
            check = ~base.backup & (via <= ctx.sla_rtt_ms / 2.0 + 1e-9)
            backup = base.backup.copy()
            if check.any():
                backup |= _backup(ctx, links, check)
        else:
            backup = base.backup | _flags(ctx, p)
        return PairMetrics(one_way, worst, backup, focus, p.availability, p)


def _expected_one_way(
    ctx: Context, links: np.ndarray, one_way: np.ndarray, before: np.ndarray, base: PairMetrics
) -> np.ndarray:
    """The shortcut's best one-way latencies (arc weights) as expected figures.

    A pair whose best route the new link does not shorten keeps the route and the expected
    figure of ``base``; for the others the route is recovered (one kernel call for just those
    pairs, on the network with the link) and its handoffs added, as ``corridor route`` does.
    """
    net = ctx.net
    delay = net.site_delay[ctx.pt]
    changed = np.flatnonzero(one_way < before - delay)
    out = base.one_way.copy()
    if not len(changed) or net.model.handoff_ms == 0.0:
        out[changed] = one_way[changed]
        return out
    src = ctx.src_nodes[ctx.psi[changed]]
    dst = ctx.pt[changed]
    dist, offsets, arcs = dijkstra_many(
        net.indptr, net.head, net.weight, src, dst, ctx.arc_ok(links), ctx.node_ok
    )
    expected, _ = path_figures(
        dist, offsets, arcs, ctx.arc_code, np.zeros(len(net.arc_link)), net.model.handoff_ms
    )
    out[changed] = expected - delay[changed]
    return out


def _cost(c: Candidate, cost: str, rate: float, capex: float | None = None) -> float:
    if cost == "annual":
        if capex is None:
            return c.annual_cost(rate)
        scaled = Candidate(**{**c.__dict__, "capex_eur_m": capex})
        return scaled.annual_cost(rate)
    return c.capex_eur_m if capex is None else capex


def evaluate_singles(
    ctx: Context,
    *,
    chosen: Sequence[int] = (),
    cost: str = "capex",
    discount_rate: float = 0.08,
    capex: Sequence[float] | None = None,
    progress: Progress | None = None,
    state: _State | None = None,
    availability: bool = True,
) -> list[CandidateResult]:
    """Evaluate every candidate not in ``chosen`` alone on top of base + ``chosen``.

    A single link uses the exact one-link shortcut; a group (several links funded together)
    is evaluated honestly by set recomputation (:func:`set_metrics`), because the shortcut
    formula holds for one added link only. Results are in candidate order (not ranked).
    ``availability=False`` skips the availability columns (NaN) when its weight is 0.
    """
    if cost not in ("capex", "annual"):
        msg = f"cost must be 'capex' or 'annual', got {cost!r}"
        raise RequestError(msg)
    st = state or _State(ctx, chosen, availability=availability)
    out = []
    n = len(ctx.candidates)
    for i, c in enumerate(ctx.candidates):
        if progress is not None:
            progress(i, n)
        if i in chosen:
            continue
        after = st.add_one(ctx, i)
        metrics = benefit(ctx, st.metrics, after)
        price = _cost(c, cost, discount_rate, None if capex is None else capex[i])
        out.append(CandidateResult(c, metrics, price))
    if progress is not None:
        progress(n, n)
    return out


def rank(results: Sequence[CandidateResult]) -> list[CandidateResult]:
    """Results by benefit per EUR m (then score, then id), best first."""
    return sorted(results, key=lambda r: (-r.per_eur_m, -r.score, r.candidate.id))
