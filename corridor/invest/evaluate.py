"""Evaluate candidates alone and in portfolios: latency, SLA, resilience, Kazakhstan share.

Metrics of a network state (per OD pair, then demand-weighted means)
--------------------------------------------------------------------
``rtt``
    Round trip of the best route (2 x one way, equipment delay of intermediate sites included).
``worst_rtt``
    Worst single-failure round trip: the maximum over every single link cut of the best round
    trip that survives it (a cut off the best route changes nothing, so this is the maximum over
    the links of the best route). Disconnected pairs count as
    :attr:`BenefitWeights.unreachable_rtt_ms`.
``sla``
    The best round trip is within the SLA (default 150 ms).
``backup``
    Two disjoint routes both within the SLA exist (1+1 protection that keeps the SLA).
    ``backup_mode="link"`` (default): **link-disjoint**; the minimum-total-latency
    link-disjoint pair (Suurballe/Bhandari) has its slower route within the SLA (a sufficient
    test; :data:`BACKUP_MAX_CANDIDATES` > 0 makes it exact with the bounded-backup search,
    much slower). ``backup_mode="srlg"``: **SRLG-disjoint** (the backup shares no link and no
    shared-risk group with the primary: duct, sea chokepoint), the pair of the SRLG heuristic
    (:mod:`corridor.invest.protection`). A pair protected in the base stays protected.
``availability``
    Protected availability: the probability that at least one route of the pair's protection
    pair (the disjoint pair of the backup mode, else the least-shared pair) is up, under
    :class:`~corridor.resilience.availability.AvailabilityModel` (links, intermediate sites and
    SRLG events; elements shared by the two routes counted once). Independent of the SLA;
    0 for a disconnected pair. Definitions: :mod:`corridor.invest.protection`. Reported as
    ``availability_gain_bp`` (mean availability gained, basis points: 1 bp = 0.01 % = 52.6
    minutes a year) and ``downtime_saved_min`` (mean downtime avoided, minutes per year).
``focus``
    The best route touches the focus country (default ``KZ``: a site in it or a link crossing it).

Benefit score (documented, weights are options)
-----------------------------------------------
``benefit = w_latency x mean RTT saved (ms) + w_failure x mean worst-failure RTT saved (ms)
+ w_sla x demand newly within the SLA (percentage points) + w_backup x demand newly with an
SLA-keeping disjoint backup (pp) + w_availability x mean downtime avoided (minutes / year)``,
defaults 1, 0.5, 1, 1, 0: one percentage point of demand brought inside the SLA is worth 1 ms of
mean round trip, and availability is reported but not scored unless asked (a weight of 0.01
values 100 minutes of downtime avoided a year like 1 ms of round trip). The first four terms are
monotone in the set of links built, so with ``w_availability = 0`` the portfolio value is
monotone (the exact search relies on it); availability is not (a new, faster pair can be less
available), so with a positive weight the exact search is a heuristic and never claims
optimality. Benefit per EUR m = benefit / capex (or / annualised cost with ``cost="annual"``).

Single candidates use the exact one-link shortcut over distance rows of the base network
(:mod:`corridor.invest._kernels`); groups of links (multi-segment systems,
:mod:`corridor.invest.candidates`) and portfolios are evaluated by full recomputation on the
masked network (:func:`set_metrics`), so interactions (two parallel cables, two halves of one
route) are honest.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridor._errors import RequestError
from corridor.invest import _kernels as kern
from corridor.invest import protection as prot
from corridor.invest.candidates import Candidate, Demand
from corridor.network import Network
from corridor.resilience.availability import MINUTES_PER_YEAR, AvailabilityModel

__all__ = [
    "BenefitWeights",
    "CandidateResult",
    "Context",
    "PairMetrics",
    "Portfolio",
    "make_context",
]

#: Primaries the bounded-backup search may try per pair before the pair counts as unprotected;
#: 0 (default, fast) decides with the minimum-total-latency disjoint pair alone (Suurballe):
#: a pair counts as protected when that pair's slower route is within the SLA. This is a
#: sufficient test (an SLA-feasible pair that is not the minimum-total one is missed).
BACKUP_MAX_CANDIDATES = 0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BenefitWeights:
    """Weights of the benefit score (see the module docstring).

    ``availability`` is per minute of mean downtime avoided a year (default 0: reported only).
    """

    latency: float = 1.0
    worst_failure: float = 0.5
    sla: float = 1.0
    backup: float = 1.0
    availability: float = 0.0
    unreachable_rtt_ms: float = 1000.0

    def __post_init__(self) -> None:
        for name in ("latency", "worst_failure", "sla", "backup", "availability"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                msg = f"benefit weight {name} must be a number >= 0, got {value!r}"
                raise RequestError(msg)
        if not self.unreachable_rtt_ms > 0:
            msg = "unreachable_rtt_ms must be > 0"
            raise RequestError(msg)


@dataclass(frozen=True)
class PairMetrics:
    """Per-pair metrics of one network state (one-way latencies in ms).

    ``availability`` is the protected availability; ``protection`` the protection pairs it
    comes from (:mod:`corridor.invest.protection`).
    """

    one_way: np.ndarray
    worst: np.ndarray
    backup: np.ndarray
    focus: np.ndarray
    availability: np.ndarray | None = None
    protection: prot.ProtectionState | None = field(default=None, repr=False)


@dataclass(frozen=True, eq=False)
class Context:
    """Everything fixed across evaluations: network, candidates, demand, options, index arrays."""

    net: Network
    candidates: tuple[Candidate, ...]
    demand: Demand
    sla_rtt_ms: float
    weights: BenefitWeights
    focus_country: str
    base_links: np.ndarray  # bool per link: the base network (existing links)
    ps: np.ndarray
    pt: np.ndarray
    roots: np.ndarray
    prs: np.ndarray
    prt: np.ndarray
    src_nodes: np.ndarray
    psi: np.ndarray
    node_focus: np.ndarray
    link_focus: np.ndarray
    larcs: np.ndarray
    node_ok: np.ndarray
    protect: prot.Setup
    cache: dict[tuple[frozenset[int], bool], PairMetrics] = field(default_factory=dict, repr=False)

    @property
    def backup_mode(self) -> str:
        """``"link"`` or ``"srlg"`` (see the module docstring)."""
        return self.protect.mode

    def arc_ok(self, links: np.ndarray) -> np.ndarray:
        """Arc mask of a link mask."""
        return np.ascontiguousarray(links[self.net.arc_link])

    def mask(self, extra: Sequence[int] = ()) -> np.ndarray:
        """Link mask of the base network plus candidate indices ``extra`` (every link of a
        group)."""
        m = self.base_links.copy()
        for i in extra:
            m[list(self.candidates[i].link_indices)] = True
        return m


def make_context(
    net: Network,
    candidates: Sequence[Candidate],
    demand: Demand,
    *,
    sla_rtt_ms: float = 150.0,
    weights: BenefitWeights | None = None,
    focus_country: str = "KZ",
    backup_mode: str = "link",
    availability: AvailabilityModel | None = None,
    shared: Context | None = None,
) -> Context:
    """Resolve the demand and candidates into index arrays on ``net``.

    Parameters
    ----------
    backup_mode
        ``"link"`` (link-disjoint backups) or ``"srlg"`` (SRLG-disjoint backups).
    availability
        Failure and repair model of the protected availability (default
        :class:`~corridor.resilience.availability.AvailabilityModel`).
    shared
        A context on the same network, candidates, OD pairs, backup mode and model whose
        protection pairs are reused (they do not depend on the SLA or the weights).

    Raises
    ------
    RequestError
        For a non-positive SLA, an empty demand or an unknown backup mode.
    """
    if not (math.isfinite(sla_rtt_ms) and sla_rtt_ms > 0):
        msg = f"the SLA must be a positive round trip in ms, got {sla_rtt_ms!r}"
        raise RequestError(msg)
    if not len(demand):
        msg = "the demand has no OD pair"
        raise RequestError(msg)
    focus = net.resolve_country(focus_country)
    ps = np.array([net.site_index(s) for s, _ in demand.pairs], dtype=np.int64)
    pt = np.array([net.site_index(t) for _, t in demand.pairs], dtype=np.int64)
    roots = np.unique(np.concatenate([ps, pt]))
    row = {int(x): i for i, x in enumerate(roots)}
    src_nodes = np.unique(ps)
    srow = {int(x): i for i, x in enumerate(src_nodes)}
    node_focus = np.array([c == focus for c in net.lookup.site_country], dtype=bool)
    link_focus = np.array([focus in c for c in net.lookup.link_countries], dtype=bool)
    if (
        shared is not None
        and shared.net is net
        and np.array_equal(shared.ps, ps)
        and (np.array_equal(shared.pt, pt) and shared.backup_mode == backup_mode)
        and (availability is None or availability == shared.protect.model)
    ):
        setup = shared.protect
    else:
        setup = prot.make_setup(net, ps, pt, mode=backup_mode, model=availability)
    return Context(
        net=net,
        candidates=tuple(candidates),
        demand=demand,
        sla_rtt_ms=float(sla_rtt_ms),
        weights=weights or BenefitWeights(),
        focus_country=focus,
        base_links=(net.links["status"] == "existing").to_numpy(),
        ps=ps,
        pt=pt,
        roots=roots,
        prs=np.array([row[int(x)] for x in ps], dtype=np.int64),
        prt=np.array([row[int(x)] for x in pt], dtype=np.int64),
        src_nodes=src_nodes,
        psi=np.array([srow[int(x)] for x in ps], dtype=np.int64),
        node_focus=node_focus,
        link_focus=link_focus,
        larcs=kern.link_arcs(net.arc_link, net.n_links),
        node_ok=np.ones(net.n_sites, dtype=bool),
        protect=setup,
    )


def _backup(ctx: Context, links: np.ndarray, check: np.ndarray) -> np.ndarray:
    net = ctx.net
    return kern.backup_flags(
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        ctx.arc_ok(links),
        ctx.node_ok,
        ctx.ps,
        ctx.pt,
        net.site_delay,
        ctx.sla_rtt_ms / 2.0,
        check,
        BACKUP_MAX_CANDIDATES,
    )


def _root_rows(ctx: Context, links: np.ndarray) -> np.ndarray:
    """No-failure distance rows ``(len(roots), n)`` from the OD sites on a link mask."""
    net = ctx.net
    dist, _ = kern.tree_rows(
        net.indptr,
        net.head,
        net.tail,
        net.weight,
        net.arc_link,
        ctx.arc_ok(links),
        ctx.node_ok,
        ctx.roots,
        np.empty(0, dtype=np.int64),
        ctx.larcs,
        ctx.node_focus,
        ctx.link_focus,
    )
    return dist[0]


def _bound(ctx: Context, d0: np.ndarray, via: np.ndarray) -> np.ndarray:
    """Lower bound on the total cost of a disjoint pair that uses a new link: the best route
    through one (``via``, one way) plus the shortest path (``d0``, the other route)."""
    delay = ctx.net.site_delay[ctx.pt]
    return via + delay + np.where(np.isfinite(d0), d0, 0.0)


def _protection(
    ctx: Context, key: frozenset[int], links: np.ndarray, *, full: bool
) -> prot.ProtectionState:
    """Protection pairs of base + ``key``: in full for the base, else updated from the base for
    the OD pairs the new links can change (:mod:`corridor.invest.protection`). Without
    ``full``, only for the OD pairs whose backup flag can change (availability left stale)."""
    setup = ctx.protect
    if not key:
        full = True
    ckey: Any = key if full else (key, ctx.sla_rtt_ms)
    hit = setup.cache.get(ckey) or (None if full else setup.cache.get(key))
    if hit is not None:
        return hit
    if not key:
        out = prot.compute(setup, links)
    else:
        base = _protection(ctx, frozenset(), ctx.base_links, full=True)
        rows = _root_rows(ctx, links)
        d_st = rows[ctx.prs, ctx.pt]
        via = np.full(len(ctx.ps), np.inf)
        lat = ctx.net.lookup.link_latency
        for li in np.flatnonzero(links & ~ctx.base_links):
            u, v, w = int(ctx.net.link_a[li]), int(ctx.net.link_b[li]), float(lat[li])
            x1 = rows[ctx.prs, u] + w + rows[ctx.prt, v]
            x2 = rows[ctx.prs, v] + w + rows[ctx.prt, u]
            via = np.minimum(via, np.minimum(x1, x2))
        bypassed = prot.bypassed_in(setup, base, links)
        link_check, srlg_check = prot.changes(setup, base, _bound(ctx, d_st, via), bypassed)
        need = None if full else ~_flags(ctx, base) & (via <= ctx.sla_rtt_ms / 2.0 + 1e-9)
        out = prot.compute(
            setup, links, prev=base, link_check=link_check, srlg_check=srlg_check, need=need
        )
    if len(setup.cache) < 200_000:
        setup.cache[ckey] = out
    return out


def _flags(ctx: Context, p: prot.ProtectionState) -> np.ndarray:
    return p.backup(ctx.protect, ctx.sla_rtt_ms / 2.0)


def _wants_availability(ctx: Context, availability: bool) -> bool:
    return availability or ctx.weights.availability > 0


def set_metrics(ctx: Context, chosen: Sequence[int], *, availability: bool = True) -> PairMetrics:
    """Pair metrics of the base network plus candidates ``chosen``, by full recomputation.

    Latency, worst failure and focus are recomputed on the masked network; protection pairs
    are recomputed for every OD pair a new link can change (exact certificates,
    :mod:`corridor.invest.protection`). ``availability=False`` (when only the score matters
    and its availability weight is 0) recomputes them only where the backup flag can change
    and leaves :attr:`PairMetrics.availability` ``None``.
    """
    key = frozenset(chosen)
    full = _wants_availability(ctx, availability) or not key
    hit = ctx.cache.get((key, True)) or (None if full else ctx.cache.get((key, False)))
    if hit is not None:
        return hit
    net = ctx.net
    links = ctx.mask(sorted(key))
    one_way, worst, focus = kern.set_metrics(
        net.indptr,
        net.head,
        net.tail,
        net.weight,
        net.arc_link,
        ctx.arc_ok(links),
        ctx.node_ok,
        ctx.larcs,
        ctx.src_nodes,
        ctx.psi,
        ctx.pt,
        net.site_delay,
        ctx.node_focus,
        ctx.link_focus,
    )
    p = _protection(ctx, key, links, full=full)
    if BACKUP_MAX_CANDIDATES > 0 and ctx.backup_mode == "link":
        backup = _backup(ctx, links, np.ones(len(ctx.ps), dtype=bool))
    else:
        backup = _flags(ctx, p)
    if key:  # a disjoint pair of the base network survives adding links (monotone)
        backup |= set_metrics(ctx, ()).backup
    out = PairMetrics(one_way, worst, backup, focus, p.availability, p)
    if len(ctx.cache) < 200_000:
        ctx.cache[(key, full)] = out
    return out


def summary(ctx: Context, m: PairMetrics) -> dict[str, float]:
    """Demand-weighted means of a state: RTT, worst-failure RTT, SLA, backup and focus shares."""
    w = ctx.demand.weights
    cap = ctx.weights.unreachable_rtt_ms
    rtt = np.minimum(2.0 * m.one_way, cap)
    worst = np.minimum(2.0 * m.worst, cap)
    out = {
        "mean_rtt_ms": float(w @ rtt),
        "mean_worst_rtt_ms": float(w @ worst),
        "sla_share": float(w @ (2.0 * m.one_way <= ctx.sla_rtt_ms + 1e-9)),
        "backup_share": float(w @ m.backup),
        "focus_share": float(w @ m.focus),
        "unreachable_pairs": int(np.sum(~np.isfinite(m.one_way))),
    }
    if m.availability is not None:
        out["mean_availability"] = float(w @ m.availability)
        out["mean_downtime_min"] = float(w @ (1.0 - m.availability)) * MINUTES_PER_YEAR
    return out


def benefit(ctx: Context, before: PairMetrics, after: PairMetrics) -> dict[str, float]:
    """Benefit components and score of going from ``before`` to ``after``."""
    b, a = summary(ctx, before), summary(ctx, after)
    wt = ctx.weights
    rtt_saved = b["mean_rtt_ms"] - a["mean_rtt_ms"]
    worst_saved = b["mean_worst_rtt_ms"] - a["mean_worst_rtt_ms"]
    sla_pp = 100.0 * (a["sla_share"] - b["sla_share"])
    backup_pp = 100.0 * (a["backup_share"] - b["backup_share"])
    if "mean_availability" in a and "mean_availability" in b:
        av_gain = a["mean_availability"] - b["mean_availability"]
        down_saved = b["mean_downtime_min"] - a["mean_downtime_min"]
        if abs(av_gain) < 1e-13:  # rounding noise of recomputed pairs
            av_gain = down_saved = 0.0
    else:  # not computed (score only, availability weight 0)
        av_gain = down_saved = math.nan
    score = (
        wt.latency * rtt_saved
        + wt.worst_failure * worst_saved
        + wt.sla * sla_pp
        + wt.backup * backup_pp
        + (wt.availability * down_saved if wt.availability > 0 else 0.0)
    )
    return {
        "rtt_saved_ms": rtt_saved,
        "worst_rtt_saved_ms": worst_saved,
        "sla_gain_pp": sla_pp,
        "backup_gain_pp": backup_pp,
        "availability_gain_bp": 1e4 * av_gain,
        "downtime_saved_min": down_saved,
        "pairs_improved": int(np.sum(after.one_way < before.one_way - 1e-9)),
        "max_rtt_saved_ms": float(np.max(2.0 * (before.one_way - after.one_way), initial=0.0))
        if np.isfinite(before.one_way).all()
        else float("nan"),
        "sla_pairs_gained": int(
            np.sum(
                (2 * after.one_way <= ctx.sla_rtt_ms + 1e-9)
                & ~(2 * before.one_way <= ctx.sla_rtt_ms + 1e-9)
            )
        ),
        "backup_pairs_gained": int(np.sum(after.backup & ~before.backup)),
        "focus_share_before": b["focus_share"],
        "focus_share_after": a["focus_share"],
        "score": 0.0 if abs(score) < 1e-9 else score,
    }


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
        if BACKUP_MAX_CANDIDATES > 0 and ctx.backup_mode == "link":
            # only pairs not yet protected whose best route through the new link fits can gain
            check = ~base.backup & (via <= ctx.sla_rtt_ms / 2.0 + 1e-9)
            backup = base.backup.copy()
            if check.any():
                backup |= _backup(ctx, links, check)
        else:
            backup = base.backup | _flags(ctx, p)
        return PairMetrics(one_way, worst, backup, focus, p.availability, p)


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


def _json_float(v: float) -> float | None:
    return round(v, 6) if math.isfinite(v) else None


# -- portfolios -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Portfolio:
    """A set of candidates, its total capex and its honestly recomputed benefit."""

    ids: tuple[str, ...]
    capex_eur_m: float
    metrics: dict[str, float]
    method: str
    proven_optimal: bool = False

    @property
    def score(self) -> float:
        """Benefit score of the whole set."""
        return float(self.metrics.get("score", 0.0))

    @property
    def per_eur_m(self) -> float:
        """Benefit per EUR million of the set."""
        return self.score / self.capex_eur_m if self.capex_eur_m > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "method": self.method,
            "ids": list(self.ids),
            "capex_eur_m": round(self.capex_eur_m, 3),
            "score": round(self.score, 6),
            "benefit_per_eur_m": round(self.per_eur_m, 6),
            "proven_optimal": self.proven_optimal,
            "metrics": {
                k: (_json_float(v) if isinstance(v, float) else v)
                for k, v in self.metrics.items()
                if not k.startswith("_")
            },
        }


def portfolio_of(
    ctx: Context,
    chosen: Sequence[int],
    method: str,
    *,
    proven: bool = False,
    availability: bool = True,
) -> Portfolio:
    """Evaluate a set of candidate indices by full recomputation (``availability=False``:
    score only, see :func:`set_metrics`)."""
    base = set_metrics(ctx, ())
    after = set_metrics(ctx, chosen, availability=availability)
    order = sorted(chosen, key=lambda i: ctx.candidates[i].id)
    return Portfolio(
        ids=tuple(ctx.candidates[i].id for i in order),
        capex_eur_m=float(sum(ctx.candidates[i].capex_eur_m for i in chosen)),
        metrics=benefit(ctx, base, after),
        method=method,
        proven_optimal=proven,
    )


def greedy(
    ctx: Context,
    budget_eur_m: float,
    *,
    pool: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> tuple[Portfolio, list[tuple[str, float, float]]]:
    """Greedy by marginal benefit per EUR m, re-evaluating every remaining candidate each step.

    Each step recomputes the state of base + chosen (full Dijkstra rows with every single cut)
    and evaluates every affordable remaining candidate exactly on top of it; the best ratio
    with a positive marginal benefit is added. Stops when nothing affordable helps.

    Returns
    -------
    (Portfolio, steps)
        ``steps``: ``(id, marginal benefit, cumulative capex)`` in the order chosen.
    """
    allowed = set(range(len(ctx.candidates)) if pool is None else pool)
    chosen: list[int] = []
    spent = 0.0
    steps: list[tuple[str, float, float]] = []
    round_no = 0
    while True:
        round_no += 1
        if progress is not None:
            progress(round_no, round_no + 1)
        st = _State(ctx, chosen, availability=False)
        best: tuple[float, float, int] | None = None
        for i in sorted(allowed - set(chosen)):
            c = ctx.candidates[i]
            if spent + c.capex_eur_m > budget_eur_m + 1e-9:
                continue
            gain = benefit(ctx, st.metrics, st.add_one(ctx, i))["score"]
            if gain <= 1e-9:
                continue
            key = (gain / c.capex_eur_m, gain, -i)
            if best is None or key > best:
                best = key
        if best is None:
            break
        i = -best[2]
        chosen.append(i)
        spent += ctx.candidates[i].capex_eur_m
        steps.append((ctx.candidates[i].id, best[1], spent))
    return portfolio_of(ctx, chosen, "greedy"), steps


def exact(
    ctx: Context,
    budget_eur_m: float,
    pool: Sequence[int],
    *,
    max_evals: int = 20_000,
    time_limit: float = 60.0,
    incumbent: Sequence[int] = (),
    progress: Progress | None = None,
) -> tuple[Portfolio, list[tuple[float, float, tuple[int, ...]]]]:
    """Best subset of ``pool`` within the budget: depth-first branch and bound.

    The bound of a node (chosen ``T``, undecided ``R``) is the value of ``T`` plus every
    affordable member of ``R`` built at once: valid because the benefit is monotone in the
    links built (it is *not* bounded by the sum of single benefits: two halves of one route are
    worth nothing alone and much together). Stops after ``max_evals`` evaluations or
    ``time_limit`` seconds; then the portfolio is the best found and ``proven_optimal`` is
    false. With a positive availability weight the value is not monotone, the bound is not
    valid and ``proven_optimal`` is false too.

    Returns
    -------
    (Portfolio, evaluated)
        ``evaluated``: ``(capex, score, subset)`` of every subset evaluated within the budget
        (used for the Pareto front).
    """
    items = list(pool)
    cost = [ctx.candidates[i].capex_eur_m for i in items]
    base = set_metrics(ctx, ())
    evals = 0
    t0 = time.perf_counter()
    seen: dict[frozenset[int], float] = {}
    stopped = False

    def value(sub: Sequence[int]) -> float:
        nonlocal evals
        key = frozenset(sub)
        if key in seen:
            return seen[key]
        evals += 1
        if progress is not None and evals % 25 == 0:
            progress(min(evals, max_evals), max_evals)
        v = benefit(ctx, base, set_metrics(ctx, sorted(key), availability=False))["score"]
        seen[key] = v
        return v

    best_set: tuple[int, ...] = tuple(i for i in incumbent if i in items)
    if sum(ctx.candidates[i].capex_eur_m for i in best_set) > budget_eur_m + 1e-9:
        best_set = ()
    best_val = value(best_set) if best_set else 0.0

    def dfs(k: int, chosen: list[int], left: float) -> None:
        nonlocal best_val, best_set, stopped
        if stopped:
            return
        if evals >= max_evals or time.perf_counter() - t0 > time_limit:
            stopped = True
            return
        rest = [items[j] for j in range(k, len(items)) if cost[j] <= left + 1e-9]
        cur = value(chosen) if chosen else 0.0
        if cur > best_val + 1e-9:
            best_val, best_set = cur, tuple(chosen)
        if not rest:
            return
        top = chosen + rest
        fits = sum(ctx.candidates[i].capex_eur_m for i in rest) <= left + 1e-9
        bound = value(top)
        if bound <= best_val + 1e-9:
            return
        if fits:  # every remaining item fits: the bound is achieved by taking them all
            best_val, best_set = bound, tuple(top)
            return
        for j in range(k, len(items)):
            if cost[j] <= left + 1e-9:
                chosen.append(items[j])
                dfs(j + 1, chosen, left - cost[j])
                chosen.pop()
                if stopped:
                    return
        # (the "take nothing more" leaf is the current node itself, already recorded)

    dfs(0, [], budget_eur_m)
    evaluated = [
        (float(sum(ctx.candidates[i].capex_eur_m for i in s)), v, tuple(sorted(s)))
        for s, v in seen.items()
        if sum(ctx.candidates[i].capex_eur_m for i in s) <= budget_eur_m + 1e-9
    ]
    proven = not stopped and ctx.weights.availability == 0
    return portfolio_of(ctx, best_set, "exact", proven=proven), evaluated


def pareto_front(
    points: Sequence[tuple[float, float, tuple[int, ...]]],
) -> list[tuple[float, float, tuple[int, ...]]]:
    """Non-dominated ``(cost, benefit, subset)`` points: none cheaper and at least as good."""
    out: list[tuple[float, float, tuple[int, ...]]] = []
    best = -math.inf
    for p in sorted(points, key=lambda x: (x[0], -x[1])):
        if p[1] > best + 1e-9:
            out.append(p)
            best = p[1]
    return out
