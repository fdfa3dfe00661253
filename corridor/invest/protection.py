"""Protection pairs of the OD pairs in one network state: backup within the SLA, availability.

For every OD pair and network state (base network plus some candidates) this module finds the
pair's **protection pair**, a primary and a backup route, and from it two metrics of
:mod:`corridor.invest.metrics`: whether the pair has a backup within the SLA, and its
protected availability.

Protection pair, by backup mode
-------------------------------
``"link"`` (default)
    The minimum-total-latency link-disjoint pair (Suurballe/Bhandari,
    :func:`corridor._kernels.disjoint.k_disjoint`). When none exists, the least-shared pair
    (:func:`corridor._kernels.disjoint.min_shared_pair`), exactly as
    :func:`corridor.routing.disjoint_pair` with ``mode="link"``.
``"srlg"``
    The pair found by :func:`corridor.routing.srlg.srlg_disjoint_pair` (no common link and no common
    shared-risk group: duct, sea chokepoint), run with its trap-avoiding **heuristic**
    (``exact=False``; the exact MILP takes about 0.3 s per OD pair on the shipped data, two
    orders of magnitude more). When no SRLG-disjoint pair is found, the link-mode pair stands
    in for the availability (as :func:`corridor.resilience.availability.protection` does), but
    the pair has no SRLG-disjoint backup.

A pair **has a backup within the SLA** when its mode's disjoint pair exists and the slower of its
two routes is within the SLA (one way: half the round-trip SLA). This is a sufficient test: the
minimum-total pair may miss the SLA while another disjoint pair would keep it.

Protected availability
----------------------
``P(at least one route of the protection pair is up)`` under
:class:`~corridor.resilience.availability.AvailabilityModel` (independent links, intermediate
sites and SRLG events; elements shared by the two routes counted once by inclusion-exclusion,
the formula of :func:`~corridor.resilience.availability.paths_availability`). A pair with a
single route has that route's availability; an unreachable pair has 0. It does not depend on the
SLA.

Incremental updates (what keeps the candidate loop fast)
--------------------------------------------------------
A state derived from a known state by adding links recomputes only the OD pairs whose pair can
change, using two certificates:

* **cost bound**: a new pair differs from the old one only if it uses a new link, so its total
  latency is at least ``lb = via + d(s, t)`` (``via``: the best route through a new link; the
  other route costs at least the shortest path). Pairs with ``lb`` above the old pair's total
  keep their pair (exact ties are recomputed).
* **cuts**: when an OD pair has no disjoint pair, some risks are on every route (link mode: the
  bridges the least-shared pair shares; SRLG mode: the shared links or SRLGs that disconnect the
  pair). Such a pair can only gain a disjoint pair when the new links reconnect it around
  **every** such cut (a component test per cut), and its least-shared pair only changes when
  the new links get around one of its bridges or pass the cost bound.

In SRLG mode a link-disjoint optimum that shares no SRLG settles the pair in the compiled
kernel (it is the SRLG optimum too); only the other pairs go to the Python heuristic. The
heuristic is not exact, so the filtered result may differ from a full recomputation where the
heuristic would have changed its mind without a cheaper pair.

When only the score matters (availability weight 0: greedy rounds, the exact search, the
sensitivity runs), ``need`` restricts the work further to the OD pairs whose backup flag can
flip (not yet protected, with a route through a new link within the SLA); the other changed
pairs are marked ``stale`` and the state has no availability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from corridor._errors import RequestError
from corridor.invest import _kernels as kern
from corridor.network import Network
from corridor.resilience.availability import AvailabilityModel

__all__ = ["BACKUP_MODES", "ProtectionState", "Setup", "make_setup"]

#: Backup modes: link-disjoint (default) or SRLG-disjoint.
BACKUP_MODES = ("link", "srlg")

#: Relative tolerance of the cost bound (ties are recomputed).
_REL = 1e-9

#: Cut kinds: a bridge of the link-mode pair, a risk every route shares in SRLG mode.
_BRIDGE = 0
_RISK = 1


@dataclass(frozen=True, eq=False)
class Setup:
    """Everything fixed across states: network, OD pairs, mode and element availabilities.

    ``cache`` maps a set of candidate indices to its :class:`ProtectionState`, ``singles`` a
    state and one more candidate to the (not extendable) state after adding it. Complete
    states do not depend on the SLA or the demand weights, so contexts that differ only in
    those share them; states computed for the backup flags only are keyed by the SLA too.
    """

    net: Network
    mode: str
    model: AvailabilityModel
    ps: np.ndarray
    pt: np.ndarray
    node_ok: np.ndarray
    link_av: np.ndarray
    site_av: np.ndarray
    srlg_av: np.ndarray
    ends: np.ndarray
    group_ptr: np.ndarray
    group_links: np.ndarray
    cache: dict[frozenset[int] | tuple[frozenset[int], float], ProtectionState] = field(
        default_factory=dict, repr=False
    )
    singles: dict[tuple[frozenset[int], int, float | None], ProtectionState] = field(
        default_factory=dict, repr=False
    )

    def risk_links(self, risk: int) -> np.ndarray:
        """Links of a risk: link ``r`` itself (``r < n_links``) or the links of SRLG
        ``r - n_links``."""
        nl = self.net.n_links
        if risk < nl:
            return np.array([risk], dtype=np.int64)
        g = risk - nl
        return self.group_links[self.group_ptr[g] : self.group_ptr[g + 1]]

    def carries(self, risk: np.ndarray, link: int) -> np.ndarray:
        """Whether ``link`` belongs to each risk of ``risk``."""
        net = self.net
        groups = net.link_srlg_ids[net.link_srlg_indptr[link] : net.link_srlg_indptr[link + 1]]
        return (risk == link) | np.isin(risk - net.n_links, groups)


def make_setup(
    net: Network,
    ps: np.ndarray,
    pt: np.ndarray,
    *,
    mode: str = "link",
    model: AvailabilityModel | None = None,
) -> Setup:
    """Element availabilities of ``net`` under ``model`` and the risk tables.

    Raises
    ------
    RequestError
        For an unknown backup mode.
    """
    if mode not in BACKUP_MODES:
        msg = f"unknown backup mode {mode!r}; use one of {', '.join(BACKUP_MODES)}"
        raise RequestError(msg)
    model = model or AvailabilityModel()
    look = net.lookup
    cable_km = look.link_length * net.links["route_factor"].to_numpy(dtype=float)
    link_av = np.array(
        [
            model.link_availability(kind, float(km))
            for kind, km in zip(look.link_kind, cable_km, strict=True)
        ]
    )
    site_av = np.array(
        [float(model.site_overrides.get(s, model.site_availability)) for s in look.site_id]
    )
    srlg_av = np.array([model.srlg_availability(g) for g in net.srlg_names], dtype=float)
    ends = site_av[ps] * site_av[pt] if model.include_endpoints else np.ones(len(ps))
    ng = len(net.srlg_names)
    owner = np.repeat(np.arange(net.n_links, dtype=np.int64), np.diff(net.link_srlg_indptr))
    ids = np.asarray(net.link_srlg_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    return Setup(
        net=net,
        mode=mode,
        model=model,
        ps=ps,
        pt=pt,
        node_ok=np.ones(net.n_sites, dtype=bool),
        link_av=link_av,
        site_av=site_av,
        srlg_av=srlg_av,
        ends=ends,
        group_ptr=np.searchsorted(ids[order], np.arange(ng + 1)).astype(np.int64),
        group_links=owner[order],
    )


@dataclass(frozen=True, eq=False)
class ProtectionState:
    """Protection pairs of every OD pair in one network state.

    Costs are kernel units (one-way ms plus the head sites' delays: a route's cost counts the
    target's delay once). ``link_*``: the link-mode pair (``link_slow`` is ``inf`` without a
    link-disjoint pair); ``srlg_*``: the SRLG-disjoint pair (``None`` in link mode; ``inf``
    cost when none was found). ``cut_*``: one row per cut (OD pair, risk, kind) with the
    component labels of the pair's ends once the risk is removed; ``labels`` maps a risk to the
    component labels of the state without it. ``stale`` marks OD pairs whose pair may have
    changed but was not recomputed (a state computed for the backup flags only): their costs
    and availability are those of an earlier state, and :attr:`availability` is ``None``.
    """

    mode: str
    links: np.ndarray
    link_cost: np.ndarray
    link_slow: np.ndarray
    link_av: np.ndarray
    srlg_cost: np.ndarray | None = None
    srlg_slow: np.ndarray | None = None
    srlg_av: np.ndarray | None = None
    cut_pair: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    cut_risk: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    cut_kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    cut_row: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    labels: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.int64))
    link_unknown: np.ndarray | None = None
    srlg_unknown: np.ndarray | None = None
    stale: np.ndarray | None = None

    @property
    def availability(self) -> np.ndarray | None:
        """Protected availability per OD pair (the SRLG pair's where one was found); ``None``
        when some pair is stale."""
        if self.stale is not None and self.stale.any():
            return None
        if self.srlg_cost is None or self.srlg_av is None:
            return self.link_av
        return np.where(np.isfinite(self.srlg_cost), self.srlg_av, self.link_av)

    @property
    def slower(self) -> np.ndarray:
        """Cost of the slower route of the mode's disjoint pair (``inf`` without one)."""
        if self.srlg_slow is None:
            return self.link_slow
        return self.srlg_slow

    def backup(self, setup: Setup, cap_ms: float) -> np.ndarray:
        """Whether the mode's disjoint pair keeps both routes within ``cap_ms`` one way."""
        cap = cap_ms + setup.net.site_delay[setup.pt]
        return self.slower <= cap + 1e-9 * np.maximum(1.0, cap)


def _srlg_pairs(
    setup: Setup, arc_ok: np.ndarray, which: np.ndarray, cost: np.ndarray, slow: np.ndarray,
    av: np.ndarray,
) -> dict[int, list[int]]:  # fmt: skip
    """Run the SRLG heuristic for the OD pairs ``which``; fill the arrays; return the shared
    risks of the pairs without an SRLG-disjoint pair (cut candidates)."""
    from corridor.routing.srlg import srlg_disjoint_pair  # scipy.sparse loads only in SRLG mode

    net = setup.net
    nl = net.n_links
    shared: dict[int, list[int]] = {}
    for k in which:
        res = srlg_disjoint_pair(
            net.indptr,
            net.head,
            net.weight,
            net.arc_link,
            arc_ok,
            setup.node_ok,
            int(setup.ps[k]),
            int(setup.pt[k]),
            net.link_srlg_indptr,
            net.link_srlg_ids,
            exact=False,
        )
        if res.status in ("optimal", "heuristic"):
            p, q = res.paths
            cost[k] = float(sum(res.costs))
            slow[k] = float(max(res.costs))
            offsets = np.array([0, len(p), len(p) + len(q)], dtype=np.int64)
            av[k] = kern.paths_availability(
                offsets,
                np.concatenate([p, q]).astype(np.int64),
                float(setup.ends[k]),
                net.head,
                net.arc_link,
                setup.link_av,
                setup.site_av,
                net.link_srlg_indptr,
                net.link_srlg_ids,
                setup.srlg_av,
            )
        else:
            cost[k] = slow[k] = math.inf
            av[k] = math.nan
            shared[int(k)] = [int(x) for x in res.shared_links] + [
                nl + int(g) for g in res.shared_srlgs
            ]
    return shared


def compute(
    setup: Setup,
    links: np.ndarray,
    *,
    prev: ProtectionState | None = None,
    link_check: np.ndarray | None = None,
    srlg_check: np.ndarray | None = None,
    need: np.ndarray | None = None,
    derive: bool = True,
) -> ProtectionState:
    """Protection state of the link mask ``links``.

    Without ``prev`` every OD pair is computed; with it only the pairs of ``link_check`` (link
    part) and ``srlg_check`` (SRLG part) are, the others are copied (:func:`changes` says
    which). ``need`` restricts the recomputation to the OD pairs whose backup flag is asked
    for (the SRLG part alone in SRLG mode); the other changed pairs become stale.
    ``derive=False`` skips the cuts (a state that is never extended).
    """
    net = setup.net
    p = len(setup.ps)
    arc_ok = np.ascontiguousarray(links[net.arc_link])
    srlg = setup.mode == "srlg"
    if prev is None:
        link_check = np.ones(p, dtype=bool)
        srlg_check = np.ones(p, dtype=bool) if srlg else None
        link_cost, link_slow, link_av = np.full(p, math.inf), np.full(p, math.inf), np.zeros(p)
        srlg_arrays = (np.full(p, math.inf), np.full(p, math.inf), np.full(p, math.nan))
    else:
        assert link_check is not None
        full_link = link_check
        full_srlg = srlg_check if srlg_check is not None else np.zeros(p, dtype=bool)
        if need is not None:
            link_check = link_check & need if not srlg else np.zeros(p, dtype=bool)
            srlg_check = full_srlg & need if srlg else None
        done = link_check & (srlg_check if srlg_check is not None else True)
        stale = prev.stale & ~done if prev.stale is not None else np.zeros(p, dtype=bool)
        stale |= full_link & ~link_check
        if srlg_check is not None:
            stale |= full_srlg & ~srlg_check
        link_cost, link_slow, link_av = (
            prev.link_cost.copy(), prev.link_slow.copy(), prev.link_av.copy()
        )  # fmt: skip
        srlg_arrays = (
            (prev.srlg_cost.copy(), prev.srlg_slow.copy(), prev.srlg_av.copy())  # type: ignore[union-attr]
            if srlg
            else (np.empty(0), np.empty(0), np.empty(0))
        )
    if srlg_check is not None:  # the Suurballe pair settles every SRLG pair it can (below)
        link_check = link_check | srlg_check
        if prev is not None:
            stale &= ~(link_check & srlg_check)
    bridges: dict[int, list[int]] = {}
    free = np.zeros(p, dtype=bool)
    if link_check.any():
        tot, slow, av, sh_ptr, sh, free = kern.link_protection(
            net.indptr,
            net.head,
            net.weight,
            net.arc_link,
            arc_ok,
            setup.node_ok,
            setup.ps,
            setup.pt,
            link_check,
            setup.link_av,
            setup.site_av,
            net.link_srlg_indptr,
            net.link_srlg_ids,
            setup.srlg_av,
            setup.ends,
        )
        idx = np.flatnonzero(link_check)
        link_cost[idx], link_slow[idx], link_av[idx] = tot[idx], slow[idx], av[idx]
        if derive:
            for k in np.flatnonzero(np.diff(sh_ptr)):
                bridges[int(k)] = [int(x) for x in sh[sh_ptr[k] : sh_ptr[k + 1]]]
    risks: dict[int, list[int]] = {}
    if srlg and srlg_check is not None and srlg_check.any():
        # a link-disjoint optimum that shares no SRLG is the SRLG optimum too (as in
        # corridor.routing.srlg.srlg_disjoint_pair); the heuristic runs for the others only
        easy = srlg_check & free
        cost, slow_s, av_s = srlg_arrays
        cost[easy], slow_s[easy], av_s[easy] = link_cost[easy], link_slow[easy], link_av[easy]
        risks = _srlg_pairs(setup, arc_ok, np.flatnonzero(srlg_check & ~free), *srlg_arrays)
    base: dict[str, Any] = {
        "mode": setup.mode,
        "links": links,
        "link_cost": link_cost,
        "link_slow": link_slow,
        "link_av": link_av,
        "stale": None if prev is None or not stale.any() else stale,
    }
    if srlg:
        base.update(srlg_cost=srlg_arrays[0], srlg_slow=srlg_arrays[1], srlg_av=srlg_arrays[2])
    if not derive:
        return ProtectionState(**base)
    cuts = _cuts(setup, links, prev, link_check, srlg_check, bridges, risks)
    return ProtectionState(**base, **cuts)


def _cuts(
    setup: Setup,
    links: np.ndarray,
    prev: ProtectionState | None,
    link_check: np.ndarray,
    srlg_check: np.ndarray | None,
    bridges: dict[int, list[int]],
    risks: dict[int, list[int]],
) -> dict[str, Any]:
    """Cut rows of a state: candidates (old rows of pairs not recomputed, shared risks of the
    recomputed ones), kept where removing the risk separates the pair's ends."""
    rows: list[tuple[int, int, int]] = []
    if prev is not None:
        for k, r, kind in zip(prev.cut_pair, prev.cut_risk, prev.cut_kind, strict=True):
            redone = link_check[k] if kind == _BRIDGE else srlg_check is not None and srlg_check[k]
            if not redone:
                rows.append((int(k), int(r), int(kind)))
    rows += [(k, r, _BRIDGE) for k, rs in bridges.items() for r in rs]
    rows += [(k, r, _RISK) for k, rs in risks.items() for r in rs]
    distinct = sorted({r for _, r, _ in rows})
    labels = np.empty((len(distinct), setup.net.n_sites), dtype=np.int64)
    for j, r in enumerate(distinct):
        labels[j] = _labels_without(setup, links, r)
    where = {r: j for j, r in enumerate(distinct)}
    ps, pt = setup.ps, setup.pt
    kept = [
        (k, r, kind, where[r])
        for k, r, kind in rows
        if labels[where[r], ps[k]] != labels[where[r], pt[k]]
    ]
    arr = np.array(kept, dtype=np.int64).reshape(-1, 4)
    p = len(ps)
    has_bridge = np.zeros(p, dtype=bool)
    has_bridge[arr[arr[:, 2] == _BRIDGE, 0]] = True
    has_risk = np.zeros(p, dtype=bool)
    has_risk[arr[arr[:, 2] == _RISK, 0]] = True
    return {
        "cut_pair": arr[:, 0].copy(),
        "cut_risk": arr[:, 1].copy(),
        "cut_kind": arr[:, 2].copy(),
        "cut_row": arr[:, 3].copy(),
        "labels": labels,
        "link_unknown": ~has_bridge,
        "srlg_unknown": ~has_risk if setup.mode == "srlg" else None,
    }


def _labels_without(setup: Setup, links: np.ndarray, risk: int) -> np.ndarray:
    m = links.copy()
    m[setup.risk_links(risk)] = False
    net = setup.net
    ok = np.flatnonzero(m[net.arc_link])
    graph = sparse.csr_matrix(
        (np.ones(ok.size), (net.tail[ok], net.head[ok])), shape=(net.n_sites, net.n_sites)
    )
    return connected_components(graph, directed=False)[1]


def bypassed_by_link(setup: Setup, state: ProtectionState, u: int, v: int, link: int) -> np.ndarray:
    """Per cut row: whether adding the link ``u - v`` reconnects the pair around the risk."""
    if not len(state.cut_pair):
        return np.zeros(0, dtype=bool)
    lab = state.labels[state.cut_row]
    ls = lab[np.arange(len(lab)), setup.ps[state.cut_pair]]
    lt = lab[np.arange(len(lab)), setup.pt[state.cut_pair]]
    lu, lv = state.labels[state.cut_row, u], state.labels[state.cut_row, v]
    joins = ((lu == ls) & (lv == lt)) | ((lu == lt) & (lv == ls))
    return joins & ~setup.carries(state.cut_risk, link)


def bypassed_in(setup: Setup, state: ProtectionState, links: np.ndarray) -> np.ndarray:
    """Per cut row: whether the pair's ends are connected without the risk in mask ``links``."""
    out = np.zeros(len(state.cut_pair), dtype=bool)
    for r in np.unique(state.cut_risk):
        lab = _labels_without(setup, links, int(r))
        rows = state.cut_risk == r
        out[rows] = lab[setup.ps[state.cut_pair[rows]]] == lab[setup.pt[state.cut_pair[rows]]]
    return out


def changes(
    setup: Setup, prev: ProtectionState, lb: np.ndarray, bypassed: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """OD pairs whose link part and SRLG part may change (see the module docstring).

    ``lb``: lower bound on the total cost of any pair using a new link (``inf`` when no route
    uses one); ``bypassed``: per cut row of ``prev``, whether the new links get around it.
    """
    p = len(setup.ps)
    fin = np.isfinite(lb)
    kind = prev.cut_kind
    bridge = kind == _BRIDGE
    link_check = fin & (lb <= prev.link_cost * (1.0 + _REL) + _REL)
    link_check[prev.cut_pair[bridge & bypassed]] = True
    if prev.link_unknown is not None:
        link_check |= fin & prev.link_unknown & ~np.isfinite(prev.link_slow)
    if setup.mode != "srlg":
        return link_check, None
    assert prev.srlg_cost is not None and prev.srlg_unknown is not None
    has = np.isfinite(prev.srlg_cost)
    risk = kind == _RISK
    total = np.bincount(prev.cut_pair[risk], minlength=p)
    hit = np.bincount(prev.cut_pair[risk & bypassed], minlength=p)
    every = (total > 0) & (hit == total)
    srlg_check = np.where(
        has,
        fin & (lb <= prev.srlg_cost * (1.0 + _REL) + _REL),
        every | (fin & prev.srlg_unknown),
    )
    return link_check, srlg_check
