"""Metrics of one network state and the benefit score: the context every evaluation shares.

:func:`make_context` resolves the network, candidates and demand into index arrays once;
:func:`set_metrics` gives the per-pair metrics of the base network plus a set of candidates by
full recomputation on the masked network; :func:`summary` and :func:`benefit` turn them into
demand-weighted means and the benefit score.

Metrics of a network state (per OD pair, then demand-weighted means)
--------------------------------------------------------------------
``rtt``
    Round trip of the best route (2 x one way, equipment delay of intermediate sites included):
    the expected figure of ``corridor route`` for the same route, i.e. the best route by arc
    weight with the handoff delay of each change of system along it added (post hoc, as route
    does). Since a new link can give a route shorter by arc weight but with more handoffs, this
    term (and the SLA term on it) is not monotone in the links built when the model has a
    handoff delay (:func:`corridor.invest.portfolio.exact` then says so).
``worst_rtt``
    Worst single-failure round trip on the arc weights (handoffs not counted): the maximum over
    every single link cut of the best round trip that survives it (a cut off the best route
    changes nothing, so this is the maximum over the links of the best route). Disconnected
    pairs count as
    :attr:`BenefitWeights.unreachable_rtt_ms`.
``sla``
    The best round trip (expected, as shown) is within the SLA (default 150 ms).
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
values 100 minutes of downtime avoided a year like 1 ms of round trip). Latency, worst-failure
RTT and SLA are monotone in the set of links built; backup and availability are not: a new link
can turn a pair's minimum-latency disjoint pair (or the SRLG heuristic's pair) into one whose
slower route misses the SLA, so the pair loses its backup (unless the base network already
protected it), and a new, faster pair can be less available. The exact portfolio search relies
on monotonicity, so it claims optimality only with ``w_backup = 0`` and ``w_availability = 0``;
otherwise it is a heuristic and says why (:attr:`corridor.invest.portfolio.Portfolio.not_proven`).
Benefit per EUR m = benefit / capex (or / annualised cost with ``cost="annual"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corridor._errors import RequestError
from corridor.invest import _kernels as kern
from corridor.invest import protection as prot
from corridor.invest.candidates import Candidate
from corridor.invest.demand import Demand
from corridor.network import Network
from corridor.resilience.availability import MINUTES_PER_YEAR, AvailabilityModel
from corridor.routing.paths import arc_figures

__all__ = [
    "BACKUP_MAX_CANDIDATES",
    "BenefitWeights",
    "Context",
    "PairMetrics",
    "benefit",
    "make_context",
    "set_metrics",
    "summary",
]

#: Primaries the bounded-backup search may try per pair before the pair counts as unprotected;
#: 0 (default, fast) decides with the minimum-total-latency disjoint pair alone (Suurballe):
#: a pair counts as protected when that pair's slower route is within the SLA. This is a
#: sufficient test (an SLA-feasible pair that is not the minimum-total one is missed).
BACKUP_MAX_CANDIDATES = 0


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
    arc_code: np.ndarray  # system code of each arc's link (a change along a path is a handoff)
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
        arc_code=arc_figures(net)[0],
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
        ctx.arc_code,
        net.model.handoff_ms,
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
