"""Multi-commodity flow on link capacities: how much of the demand the network carries.

Three questions, each a linear program solved with :func:`scipy.optimize.linprog` (HiGHS) in its
path-based form with column generation (Ford and Fulkerson 1958; Desaulniers, Desrosiers and
Solomon, *Column Generation*, 2005):

``"max-carried"``
    The largest total traffic carried with each pair's flow at most its demand (the rest is
    unserved); then, among the flows carrying that total, the one of least total latency
    (a second LP with the total held).
``"max-concurrent"``
    The largest share ``lambda`` such that ``lambda`` x every pair's demand is carried at once
    (``lambda > 1`` is headroom).
``"min-max-utilisation"``
    Every pair's full demand routed so that the highest link utilisation (flow / capacity) is
    least; then the least-latency flow at that utilisation.

Links are undirected: a link's capacity bounds the sum of the flows that use it (each pair's
demand is its traffic in each direction). With ``sla_rtt_ms`` only paths whose round trip is
within the SLA serve; a pair with no such path is unserved. The SLA applies to the expected round
trip every other output shows: arc weights plus the model's handoff delay at each change of
system along the path (:mod:`corridor.latency`).

The restricted master LP holds a few paths per pair; the dual prices of the link rows (``pi``,
Tbps more carried per Tbps of capacity in ``"max-carried"``) price new paths: a pair's cheapest
path under ``pi`` (plus latency in the second phases) enters when its reduced cost is negative.
Without an SLA the pricing is a Dijkstra per distinct source (the numba kernel of
:mod:`corridor._kernels.dijkstra`); with one it is a resource-constrained shortest path (least
``pi`` cost with latency within the SLA), solved exactly by a label-setting A* search with
Pareto dominance, guided by exact reverse Dijkstra bounds on both cost and latency (after
Desrochers and Soumis 1988; the numba kernel :func:`corridor._kernels.rcsp.rcsp`). When
handoffs count, that search runs on the graph of arc states (:class:`_LineGraph`: a state is
"arrived over this arc", a step onto an arc of another system adds the handoff to the latency),
so that the SLA is checked on the expected figure exactly. The master
LP stays in one HiGHS model re-solved from its last basis as columns arrive
(:mod:`corridor.capacity._master`). The loop stops when no path has negative reduced cost: the LP
optimum over all paths, which tests compare with an arc-based formulation and with networkx.
If ``max_iterations`` stops it first, the result says so (``converged`` is false).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from corridor._errors import RequestError
from corridor._kernels.dijkstra import dijkstra as _dijkstra
from corridor._kernels.dijkstra import path_arcs as _path_arcs
from corridor._kernels.ksp import ksp as _ksp
from corridor._kernels.rcsp import RCSP_FOUND, RCSP_LABEL_LIMIT
from corridor._kernels.rcsp import rcsp as _rcsp_kernel
from corridor._kernels.service import service_dijkstra as _service_dijkstra
from corridor.capacity._master import Columns, FlowError, Solution, new_master
from corridor.capacity.capacities import LinkCapacities, link_capacities
from corridor.capacity.demand import ODMatrix
from corridor.network import Network
from corridor.routing.service import arc_systems

__all__ = [
    "CORRIDORS",
    "OBJECTIVES",
    "FlowResult",
    "classify_corridor",
    "multicommodity_flow",
]

#: The questions :func:`multicommodity_flow` answers.
OBJECTIVES = ("max-carried", "max-concurrent", "min-max-utilisation")

#: Corridor of a path, from the countries and shared-risk groups it crosses, tested in order:
#: Northern = Russian or Belarusian transit; Southern = the Suez / Red Sea submarine route
#: (Egypt, the Red Sea states, or the Red Sea / Suez / Bab-el-Mandeb SRLGs); Middle = through
#: the Caucasus, the Caspian or Central Asia without either; anything else is "other".
CORRIDORS: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    ("northern", frozenset({"RU", "BY"}), frozenset()),
    (
        "southern",
        frozenset({"EG", "SA", "DJ", "JO", "IL", "SD", "YE", "ER"}),
        frozenset({"red-sea", "gulf-of-suez", "suez-egypt-crossing", "bab-el-mandeb"}),
    ),
    (
        "middle",
        frozenset({"KZ", "AZ", "GE", "AM", "TM", "UZ", "KG", "TJ", "IR"}),
        frozenset({"caspian-seabed"}),
    ),
)

_SOLVER_TOL = 1e-9


def classify_corridor(countries: Sequence[str], srlgs: Sequence[str] = ()) -> str:
    """``"northern"``, ``"southern"``, ``"middle"`` or ``"other"`` (rules in :data:`CORRIDORS`)."""
    cs, gs = set(countries), set(srlgs)
    for name, codes, groups in CORRIDORS:
        if cs & codes or gs & groups:
            return name
    return "other"


@dataclass(frozen=True)
class FlowPath:
    """One path carrying flow (``one_way_ms``: its expected latency, handoffs included)."""

    pair: int
    links: tuple[int, ...]
    one_way_ms: float
    tbps: float
    corridor: str


@dataclass(frozen=True)
class FlowResult:
    """Answer of :func:`multicommodity_flow`.

    Attributes
    ----------
    objective, sla_rtt_ms
        The question asked.
    demand, link_ids
        The demand and the network's link ids (link-index order).
    carried
        Tbps carried per pair (demand order).
    servable
        Whether a pair has any usable path (within the SLA, if given).
    link_flow, capacity, capacity_assumed, shadow_price
        Per link: Tbps carried, usable capacity, whether the capacity is a default, and the dual
        price of its capacity row (Tbps of objective per Tbps of capacity; 0 where slack).
    share
        ``"max-concurrent"``: the largest concurrent share ``lambda``; otherwise carried /
        demand.
    max_utilisation
        Highest link utilisation of the flow.
    paths
        The paths with flow.
    corridor_of_pair
        Corridor of each pair's least-latency usable path (``"unroutable"`` when none): where its
        unserved traffic is counted.
    iterations, converged, notes
        Column-generation rounds, whether pricing proved optimality, and remarks.
    """

    objective: str
    sla_rtt_ms: float | None
    demand: ODMatrix
    link_ids: tuple[str, ...]
    carried: np.ndarray
    servable: np.ndarray
    link_flow: np.ndarray
    capacity: np.ndarray
    capacity_assumed: np.ndarray
    shadow_price: np.ndarray
    share: float
    max_utilisation: float
    paths: tuple[FlowPath, ...]
    corridor_of_pair: tuple[str, ...]
    iterations: int
    converged: bool
    notes: tuple[str, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def demand_tbps(self) -> float:
        """Total demand."""
        return float(self.demand.tbps.sum())

    @property
    def carried_tbps(self) -> float:
        """Total traffic carried."""
        return float(self.carried.sum())

    @property
    def unserved_tbps(self) -> float:
        """Demand not carried."""
        return max(0.0, self.demand_tbps - self.carried_tbps)

    @property
    def utilisation(self) -> np.ndarray:
        """Flow / capacity per link (0 for a link without capacity)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(self.capacity > 0, self.link_flow / self.capacity, 0.0)
        return u

    def corridors(self) -> dict[str, dict[str, float]]:
        """Per corridor: carried and unserved Tbps, flow-weighted mean and max utilisation."""
        util = self.utilisation
        names = [c[0] for c in CORRIDORS] + ["other", "unroutable"]
        out: dict[str, dict[str, float]] = {}
        for name in names:
            carried = sum(p.tbps for p in self.paths if p.corridor == name)
            unserved = float(
                sum(
                    d - c
                    for d, c, k in zip(
                        self.demand.tbps, self.carried, self.corridor_of_pair, strict=True
                    )
                    if k == name
                )
            )
            used: dict[int, float] = {}
            for p in self.paths:
                if p.corridor == name:
                    for li in p.links:
                        used[li] = used.get(li, 0.0) + p.tbps
            if used:
                w = np.array(list(used.values()))
                u = util[list(used)]
                mean_u, max_u = float((w * u).sum() / w.sum()), float(u.max())
            else:
                mean_u = max_u = 0.0
            if carried > 0 or unserved > 1e-12:
                out[name] = {
                    "carried_tbps": carried,
                    "unserved_tbps": max(0.0, unserved),
                    "mean_utilisation": mean_u,
                    "max_utilisation": max_u,
                    "links": len(used),
                }
        return out

    def bottlenecks(self, n: int = 10) -> list[dict[str, Any]]:
        """Saturated links (utilisation >= 99.9 %), highest shadow price first."""
        util = self.utilisation
        idx = [i for i in np.flatnonzero(util >= 0.999)]
        idx.sort(key=lambda i: (-self.shadow_price[i], -self.link_flow[i], self.link_ids[i]))
        return [
            {
                "link": self.link_ids[i],
                "flow_tbps": float(self.link_flow[i]),
                "capacity_tbps": float(self.capacity[i]),
                "capacity_assumed": bool(self.capacity_assumed[i]),
                "utilisation": float(util[i]),
                "shadow_price": float(self.shadow_price[i]),
            }
            for i in idx[:n]
        ]

    def to_dict(self, *, links: bool = True, pairs: bool = False, top: int = 10) -> dict[str, Any]:
        """JSON-ready dictionary."""

        def r(x: float) -> float:
            return round(float(x), 6)

        out: dict[str, Any] = {
            "objective": self.objective,
            "sla_rtt_ms": self.sla_rtt_ms,
            "demand": self.demand.description,
            "pairs": len(self.demand),
            "pairs_unroutable": int((~self.servable).sum()),
            "demand_tbps": r(self.demand_tbps),
            "carried_tbps": r(self.carried_tbps),
            "unserved_tbps": r(self.unserved_tbps),
            "share": r(self.share),
            "max_utilisation": r(self.max_utilisation),
            "corridors": {
                k: {kk: (r(vv) if isinstance(vv, float) else vv) for kk, vv in v.items()}
                for k, v in self.corridors().items()
            },
            "bottlenecks": [
                {k: (r(v) if isinstance(v, float) else v) for k, v in b.items()}
                for b in self.bottlenecks(top)
            ],
            "iterations": self.iterations,
            "converged": self.converged,
            "notes": list(self.notes),
        }
        if links:
            util = self.utilisation
            out["links"] = [
                {
                    "link": self.link_ids[i],
                    "flow_tbps": r(self.link_flow[i]),
                    "capacity_tbps": r(self.capacity[i]),
                    "capacity_assumed": bool(self.capacity_assumed[i]),
                    "utilisation": r(util[i]),
                }
                for i in np.flatnonzero(self.link_flow > 1e-12)
            ]
        if pairs:
            out["pair_rows"] = [
                {
                    "source": s,
                    "target": t,
                    "demand_tbps": r(d),
                    "carried_tbps": r(c),
                    "corridor": k,
                }
                for s, t, d, c, k in zip(
                    self.demand.sources,
                    self.demand.targets,
                    self.demand.tbps,
                    self.carried,
                    self.corridor_of_pair,
                    strict=True,
                )
            ]
        return out


# --------------------------------------------------------------------------------------------
# pricing


class _Graph:
    """CSR arrays, masks and the reverse CSR of a network for pricing."""

    def __init__(self, net: Network, arc_ok: np.ndarray, node_ok: np.ndarray) -> None:
        self.indptr = np.ascontiguousarray(net.indptr)
        self.head = np.ascontiguousarray(net.head)
        self.tail = np.ascontiguousarray(net.tail)
        self.weight = np.ascontiguousarray(net.weight)
        self.arc_link = np.ascontiguousarray(net.arc_link)
        self.delay = np.asarray(net.site_delay, dtype=float)
        self.arc_ok = np.ascontiguousarray(arc_ok)
        self.node_ok = np.ascontiguousarray(node_ok)
        self._reverse()
        #: System code of every arc (a change along a path is a handoff).
        self.systems = arc_systems(net)
        #: One-way handoff delay per change of system that SLA checks count (0: none).
        self.handoff = 0.0
        self._line: _LineGraph | None = None

    def _reverse(self) -> None:
        """The reverse CSR (arcs read from head to tail) and an empty cache of latency trees."""
        n = len(self.indptr) - 1
        order = np.lexsort((self.tail, self.head))
        self.r_arc = order.astype(np.int64)
        self.r_head = np.ascontiguousarray(self.tail[order])
        self.r_indptr = np.searchsorted(self.head[order], np.arange(n + 1)).astype(np.int64)
        self.r_arc_ok = np.ascontiguousarray(self.arc_ok[order])
        self._lat_to: dict[int, np.ndarray] = {}

    def expected(self, arcs: np.ndarray, handoff: float | None = None) -> float:
        """Arc weights of ``arcs`` plus ``handoff`` (default :attr:`handoff`, what budgets
        bound) per change of system."""
        h = self.handoff if handoff is None else handoff
        w = float(self.weight[arcs].sum())
        if h and len(arcs) > 1:
            w += h * int(np.count_nonzero(np.diff(self.systems[arcs])))
        return w

    def least_expected(self, s: int, t: int, arc_ok: np.ndarray | None = None) -> np.ndarray:
        """Arcs of the path of least :meth:`expected` latency ``s -> t`` (empty: none)."""
        ok = self.arc_ok if arc_ok is None else arc_ok
        if not self.handoff:
            dist, pred = _dijkstra(self.indptr, self.head, self.weight, s, t, ok, self.node_ok)
            if not math.isfinite(dist[t]):
                return np.empty(0, dtype=np.int64)
            return _path_arcs(pred, self.tail, s, t)
        cost, arcs = _service_dijkstra(
            self.indptr, self.head, self.weight, self.systems, ok, self.node_ok, s, t,
            self.handoff,
        )  # fmt: skip
        return np.asarray(arcs, dtype=np.int64) if math.isfinite(cost) else np.empty(0, np.int64)

    @property
    def line(self) -> _LineGraph:
        """The arc-state graph for handoff-aware constrained pricing (built once)."""
        if self._line is None:
            self._line = _LineGraph(self)
        return self._line

    def tree(self, weight: np.ndarray, source: int) -> tuple[np.ndarray, np.ndarray]:
        return _dijkstra(self.indptr, self.head, weight, source, -1, self.arc_ok, self.node_ok)

    def to_target(self, weight: np.ndarray, target: int) -> np.ndarray:
        """Distance from every node to ``target`` under per-arc ``weight``."""
        dist, _ = _dijkstra(
            self.r_indptr,
            self.r_head,
            np.ascontiguousarray(weight[self.r_arc]),
            target,
            -1,
            self.r_arc_ok,
            self.node_ok,
        )
        return dist

    def latency_to(self, target: int) -> np.ndarray:
        if target not in self._lat_to:
            self._lat_to[target] = self.to_target(self.weight, target)
        return self._lat_to[target]

    def path(self, pred: np.ndarray, s: int, t: int) -> np.ndarray:
        return _path_arcs(pred, self.tail, s, t)


class _LineGraph(_Graph):
    """Arc states of a :class:`_Graph`: constrained pricing with handoffs in the latency.

    Nodes: every arc ``a`` of the graph ("arrived over a"), then a start node per site (before
    any arc) and an end node per site. Edges: start(v) -> a for the arcs leaving v (latency
    the arc's weight), a -> b when b leaves where a arrives (b's weight plus the handoff when
    their systems differ) and a -> end(head of a) (latency 0). ``orig`` maps an edge to the
    arc it travels (-1 for the edges into end nodes). A path start(s) -> end(t) is a path of
    the graph whose latency is its expected figure.
    """

    def __init__(self, g: _Graph) -> None:
        n_arcs, n = len(g.head), len(g.indptr) - 1
        arcs = np.arange(n_arcs)
        out_of = [arcs[g.indptr[v] : g.indptr[v + 1]] for v in range(n)]
        tails: list[np.ndarray] = []
        heads: list[np.ndarray] = []
        for v in range(n):  # start(v) -> arcs leaving v
            tails.append(np.full(len(out_of[v]), n_arcs + v))
            heads.append(out_of[v])
        for a in range(n_arcs):  # a -> the arcs leaving its head
            nxt = out_of[int(g.head[a])]
            tails.append(np.full(len(nxt), a))
            heads.append(nxt)
        lt = np.concatenate([*tails, arcs]).astype(np.int64)
        orig = np.concatenate([*heads, np.full(n_arcs, -1)]).astype(np.int64)
        lh = np.concatenate([*heads, n_arcs + n + g.head]).astype(np.int64)
        step = np.where(orig >= 0, g.weight[np.maximum(orig, 0)], 0.0)
        turn = (lt < n_arcs) & (orig >= 0)
        step[turn] += g.handoff * (g.systems[lt[turn]] != g.systems[orig[turn]])
        order = np.argsort(lt, kind="stable")
        self.orig = np.ascontiguousarray(orig[order])
        self.tail = np.ascontiguousarray(lt[order])
        self.head = np.ascontiguousarray(lh[order])
        self.weight = np.ascontiguousarray(step[order])
        size = n_arcs + 2 * n
        self.indptr = np.searchsorted(self.tail, np.arange(size + 1)).astype(np.int64)
        node_ok = np.concatenate(
            [g.arc_ok & g.node_ok[g.tail] & g.node_ok[g.head], g.node_ok, g.node_ok]
        )
        self.node_ok = np.ascontiguousarray(node_ok)
        self.arc_ok = np.ascontiguousarray(
            np.where(self.orig >= 0, g.arc_ok[np.maximum(self.orig, 0)], True)
        )
        self.arc_link = np.zeros(0, dtype=np.int64)  # not used: costs come from ``orig``
        self.delay = np.zeros(size)
        self._reverse()
        self.n_arcs, self.n_sites = n_arcs, n

    def start(self, v: int) -> int:
        return self.n_arcs + v

    def end(self, v: int) -> int:
        return self.n_arcs + self.n_sites + v

    def cost(self, arc_cost: np.ndarray) -> np.ndarray:
        """Edge costs from per-arc costs (0 into end nodes)."""
        return np.ascontiguousarray(
            np.where(self.orig >= 0, arc_cost[np.maximum(self.orig, 0)], 0.0)
        )

    def arcs_of(self, edges: np.ndarray) -> np.ndarray:
        """The graph's arcs along a path of edges."""
        a = self.orig[edges]
        return np.ascontiguousarray(a[a >= 0])


def _rcsp(
    g: _Graph,
    cost: np.ndarray,
    s: int,
    t: int,
    budget: float,
    *,
    max_labels: int,
    h_cost: np.ndarray | None = None,
) -> np.ndarray | None:
    """Least-``cost`` path ``s -> t`` whose summed arc latency is within ``budget`` (exact).

    The label-setting A* kernel :func:`corridor._kernels.rcsp.rcsp`, guided by reverse Dijkstra
    trees on cost (``h_cost``, computed here unless given) and on latency. Returns the arcs, or
    ``None`` when no path fits.

    Raises
    ------
    FlowError
        When more than ``max_labels`` labels are needed.
    """
    h_lat = g.latency_to(t)
    if not h_lat[s] <= budget + 1e-9:
        return None
    if h_cost is None:
        h_cost = g.to_target(cost, t)
    arcs, status = _rcsp_kernel(
        g.indptr,
        g.head,
        g.weight,
        cost,
        g.arc_ok,
        g.node_ok,
        h_cost,
        h_lat,
        s,
        t,
        float(budget),
        max_labels,
    )
    if status == RCSP_LABEL_LIMIT:
        msg = f"constrained pricing needed more than {max_labels} labels"
        raise FlowError(msg)
    return arcs if status == RCSP_FOUND else None


def _constrained_pricing(
    g: _Graph,
    arc_cost: np.ndarray,
    s: int,
    t: int,
    budget: float,
    *,
    max_labels: int,
    cache: dict[Any, Any],
) -> np.ndarray | None:
    """Least-``arc_cost`` path ``s -> t`` whose expected latency is within ``budget`` (exact;
    on the arc-state graph when handoffs count). ``cache`` holds this round's cost trees."""
    if not g.handoff:
        if t not in cache:
            cache[t] = g.to_target(arc_cost, t)
        return _rcsp(g, arc_cost, s, t, budget, max_labels=max_labels, h_cost=cache[t])
    line = g.line
    if "line" not in cache:
        cache["line"] = line.cost(arc_cost)
    cost = cache["line"]
    end = line.end(t)
    if ("line", t) not in cache:
        cache[("line", t)] = line.to_target(cost, end)
    edges = _rcsp(
        line, cost, line.start(s), end, budget, max_labels=max_labels, h_cost=cache[("line", t)]
    )
    return None if edges is None else line.arcs_of(edges)


def _generate(
    g: _Graph,
    cols: Columns,
    master: Any,
    src: np.ndarray,
    dst: np.ndarray,
    budget: np.ndarray,
    *,
    max_iterations: int,
    max_labels: int,
) -> tuple[Solution, int, bool]:
    """Column generation on ``master`` (its current mode); returns the last solution, rounds,
    converged. Every round prices every pair and adds each pair's best path of negative
    reduced cost (all pairs' columns enter the next solve together); first phases also get
    augmenting columns (:func:`_augmenting_columns`)."""
    mode = master.mode
    beta = 1.0 if mode.endswith("-short") else 0.0
    c0 = -1.0 if mode == "carried" else 0.0
    tol = 1e-7 if beta else 1e-9
    constrained = np.isfinite(budget)
    rounds = 0
    while True:
        sol = master.solve(cols)
        rounds += 1
        if rounds >= max_iterations:
            return sol, rounds, False
        arc_cost = np.ascontiguousarray(beta * g.weight + sol.pi[g.arc_link])
        h_cost: dict[Any, Any] = {}  # reverse cost trees of this round, per target
        added = 0
        for s in np.unique(src):
            ks = np.flatnonzero(src == s)
            dist, pred = g.tree(arc_cost, int(s))
            for k in ks:
                t = int(dst[k])
                if not math.isfinite(dist[t]):
                    continue
                base = c0 - sol.y_pair[k] + sol.y_total - beta * g.delay[t]
                if dist[t] + base >= -tol:
                    continue
                arcs = g.path(pred, int(s), t)
                if constrained[k] and g.expected(arcs) > budget[k] + 1e-9:
                    fit = _constrained_pricing(
                        g, arc_cost, int(s), t, budget[k], max_labels=max_labels, cache=h_cost
                    )
                    if fit is None or arc_cost[fit].sum() + base >= -tol:
                        continue
                    arcs = fit
                added += cols.add(int(k), arcs, g)
        if not added:
            return sol, rounds, True
        if mode in ("carried", "concurrent"):
            _augmenting_columns(g, cols, master, sol, src, dst, budget)


def _augmenting_columns(
    g: _Graph,
    cols: Columns,
    master: Any,
    sol: Solution,
    src: np.ndarray,
    dst: np.ndarray,
    budget: np.ndarray,
    *,
    per_pair: int = 4,
) -> int:
    """Add augmenting paths over spare capacity for the pairs not fully carried.

    The dual prices of these LPs are zero on most saturated links (degenerate optima), so
    exact pricing often returns paths through links that cannot take more flow, and the
    objective creeps up by a little per round. Here the pairs take turns on the spare capacity
    left by the master's flow: each pair's least-latency path over links with spare capacity
    (within its latency budget) takes what it can, the spare capacity shrinks, and a pair tries
    again (up to ``per_pair`` paths) while it is short. Such columns only speed convergence:
    optimality is still proven by exact pricing alone. Returns the number of columns added.
    """
    x = sol.x
    used = np.flatnonzero(x > 1e-12)
    flow = np.zeros(len(master.cap))
    carried = np.zeros(len(master.demand))
    for j in used.tolist():
        flow[cols.links[j]] += x[j]
        carried[cols.pair[j]] += x[j]
    need = np.asarray(master.demand, dtype=float) - carried
    if master.mode == "concurrent":  # every pair grows with lambda
        need = np.asarray(master.demand, dtype=float).copy()
    spare = master.cap - flow
    eps = 1e-9 * max(1.0, float(master.cap.max(initial=0.0)))
    added = 0
    for k in np.flatnonzero(need > eps).tolist():
        s, t = int(src[k]), int(dst[k])
        for _ in range(per_pair):
            arc_ok = np.ascontiguousarray(g.arc_ok & (spare[g.arc_link] > eps))
            arcs = g.least_expected(s, t, arc_ok)
            if not (len(arcs) and g.expected(arcs) <= budget[k] + 1e-9):
                break
            links = g.arc_link[arcs]
            amount = min(need[k], float(spare[links].min()))
            spare[links] -= amount
            need[k] -= amount
            added += cols.add(k, arcs, g)
            if need[k] <= eps:
                break
    return added


# --------------------------------------------------------------------------------------------
# arc-based LP (no SLA): one LP, flows aggregated by source


@dataclass
class _ArcSolution:
    delivered: np.ndarray  # per pair
    flow: np.ndarray  # (n_sources, n_usable_arcs)
    pi: np.ndarray  # per link
    extra: float
    objective: float


def _arc_lp(
    g: _Graph,
    usable: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    demand: np.ndarray,
    cap: np.ndarray,
    mode: str,
    *,
    total: float = 0.0,
    level: float = 1.0,
) -> _ArcSolution:
    """Source-aggregated arc formulation (exact for these objectives: a single-source flow to
    several sinks decomposes into paths to each sink). ``mode`` as in :func:`_solve_master`."""
    model = _arc_model(g, usable, src, dst, demand, cap, mode, total=total, level=level)
    c, a_ub, b_ub, a_eq, b_eq, bounds = model.lp
    nx_, kp, nl, used_links = model.nx, model.kp, model.nl, model.used_links
    extra_var, pair_vars = model.extra_var, model.pair_vars
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        msg = f"the flow LP ({mode}, arc form) failed: {res.message}"
        raise FlowError(msg)
    x = np.asarray(res.x)
    pi = np.zeros(len(cap))
    pi[used_links] = np.maximum(-np.asarray(res.ineqlin.marginals)[:nl], 0.0)
    if pair_vars:
        delivered = x[nx_ : nx_ + kp]
    elif mode == "concurrent":
        delivered = demand * x[-1]
    else:
        delivered = demand.copy()
    return _ArcSolution(
        delivered=np.maximum(delivered, 0.0),
        flow=np.maximum(x[:nx_].reshape(len(np.unique(src)), len(usable)), 0.0),
        pi=pi,
        extra=float(x[-1]) if extra_var else 0.0,
        objective=float(res.fun),
    )


@dataclass
class _ArcModel:
    """The arrays of the arc formulation: ``lp`` = (c, A_ub, b_ub, A_eq, b_eq, bounds); the
    first ``nl`` rows of A_ub are the capacity rows of ``used_links``; variables are the
    ``nx`` arc flows (source-major), then ``kp`` carried amounts (carried modes) or one extra."""

    lp: tuple[Any, ...]
    nx: int
    kp: int
    nl: int
    used_links: np.ndarray
    extra_var: bool
    pair_vars: bool


def _arc_model(
    g: _Graph,
    usable: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    demand: np.ndarray,
    cap: np.ndarray,
    mode: str,
    *,
    total: float = 0.0,
    level: float = 1.0,
) -> _ArcModel:
    """The LP of :func:`_arc_lp`, not solved."""
    n = len(g.indptr) - 1
    sources, s_of = np.unique(src, return_inverse=True)
    ns, na, kp = len(sources), len(usable), len(demand)
    tails, heads = g.tail[usable], g.head[usable]
    links = g.arc_link[usable]
    nx_ = ns * na
    extra_var = mode in ("concurrent", "minmax")
    # variables: x[s, a] (s-major), then t_k (carried modes) or the extra variable
    pair_vars = mode in ("carried", "carried-short")
    nv = nx_ + (kp if pair_vars else 0) + (1 if extra_var else 0)
    col_x = np.arange(nx_).reshape(ns, na)
    # conservation rows: (s, v) -> s * n + v; out - in - (sink terms) = 0
    srow = np.repeat(np.arange(ns), na) * n
    rows = [srow + np.tile(tails, ns), srow + np.tile(heads, ns)]
    cols = [col_x.ravel(), col_x.ravel()]
    vals = [np.ones(nx_), -np.ones(nx_)]
    rhs = np.zeros(ns * n)
    k_idx = np.arange(kp)
    if pair_vars:
        tcol = nx_ + k_idx
        rows += [s_of * n + src, s_of * n + dst]
        cols += [tcol, tcol]
        vals += [-np.ones(kp), np.ones(kp)]
    elif mode == "concurrent":
        lcol = np.full(kp, nx_)
        rows += [s_of * n + src, s_of * n + dst]
        cols += [lcol, lcol]
        vals += [-demand, demand]
    else:  # minmax, minmax-short: fixed demand on the right-hand side
        np.add.at(rhs, s_of * n + src, demand)
        np.add.at(rhs, s_of * n + dst, -demand)
    a_eq = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(ns * n, nv)
    )
    keep_rows = np.flatnonzero(a_eq.getnnz(axis=1) > 0)
    if np.any(rhs[np.setdiff1d(np.arange(ns * n), keep_rows)] != 0):  # pragma: no cover
        msg = "a demand endpoint has no usable arc"
        raise FlowError(msg)
    a_eq, b_eq = a_eq[keep_rows], rhs[keep_rows]
    used_links, link_row = np.unique(links, return_inverse=True)
    nl = len(used_links)
    a_cap = sp.csr_matrix((np.ones(nx_), (np.tile(link_row, ns), col_x.ravel())), shape=(nl, nv))
    b_cap = cap[used_links].astype(float)
    bounds: list[tuple[float, float | None]] = [(0.0, None)] * nx_
    c = np.zeros(nv)
    a_ub, b_ub = a_cap, b_cap
    w = np.tile(g.weight[usable], ns)
    if mode == "carried":
        bounds += [(0.0, float(d)) for d in demand]
        c[nx_:] = -1.0
    elif mode == "carried-short":
        bounds += [(0.0, float(d)) for d in demand]
        c[:nx_] = w
        tot = sp.csr_matrix(
            (-np.ones(kp), (np.zeros(kp, dtype=np.int64), nx_ + k_idx)), shape=(1, nv)
        )
        a_ub, b_ub = sp.vstack([a_cap, tot]).tocsr(), np.concatenate([b_cap, [-total]])
    elif mode == "concurrent":
        bounds += [(0.0, None)]
        c[-1] = -1.0
    elif mode == "minmax":
        bounds += [(0.0, None)]
        c[-1] = 1.0
        ucol = sp.csr_matrix((-b_cap, (np.arange(nl), np.full(nl, nv - 1))), shape=(nl, nv))
        a_ub, b_ub = (a_cap + ucol).tocsr(), np.zeros(nl)
    else:  # minmax-short
        c[:nx_] = w
        b_ub = b_cap * level
    return _ArcModel(
        lp=(c, a_ub, b_ub, a_eq, b_eq, bounds),
        nx=nx_,
        kp=kp,
        nl=nl,
        used_links=used_links,
        extra_var=extra_var,
        pair_vars=pair_vars,
    )


def _decompose(
    g: _Graph,
    usable: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    sol: _ArcSolution,
) -> list[tuple[int, np.ndarray, float]]:
    """Split each source's arc flow into paths to its sinks: ``(pair, arcs, tbps)``.

    Paths are taken shortest first (least latency over arcs still carrying flow); flow left
    on cycles carries no traffic and is dropped.
    """
    sources = np.unique(src)
    out: list[tuple[int, np.ndarray, float]] = []
    for si, s in enumerate(sources):
        f = sol.flow[si].copy()
        ks = [int(k) for k in np.flatnonzero(src == s) if sol.delivered[k] > 1e-12]
        if not ks:
            continue
        tol = 1e-10 * max(1.0, float(f.max(initial=0.0)))
        for k in ks:
            need = float(sol.delivered[k])
            t = int(dst[k])
            while need > tol:
                live = f > tol
                if not live.any():
                    break
                arc_ok = np.zeros(len(g.arc_ok), dtype=bool)
                arc_ok[usable[live]] = True
                dist, pred = _dijkstra(g.indptr, g.head, g.weight, int(s), t, arc_ok, g.node_ok)
                if not math.isfinite(dist[t]):
                    break
                arcs = _path_arcs(pred, g.tail, int(s), t)
                pos = np.searchsorted(usable, arcs)
                amount = min(need, float(f[pos].min()))
                f[pos] -= amount
                need -= amount
                out.append((k, arcs, amount))
    return out


# --------------------------------------------------------------------------------------------
# public API


def _masks(
    net: Network,
    cap: np.ndarray,
    status: str | Sequence[str],
    failed_links: Sequence[int],
    failed_sites: Sequence[int],
    extra_links: Sequence[int] = (),
) -> tuple[np.ndarray, np.ndarray]:
    from corridor.routing._core import constraints

    cons = constraints(net, status=status)
    link_ok = np.zeros(net.n_links, dtype=bool)
    link_ok[net.arc_link[cons.arc_mask(net)]] = True
    link_ok[list(extra_links)] = True
    link_ok &= cap > 0
    link_ok[list(failed_links)] = False
    node_ok = np.ones(net.n_sites, dtype=bool)
    node_ok[list(failed_sites)] = False
    arc_ok = link_ok[net.arc_link] & node_ok[net.tail] & node_ok[net.head]
    return np.ascontiguousarray(arc_ok), node_ok


def multicommodity_flow(
    net: Network,
    demand: ODMatrix,
    *,
    objective: str = "max-carried",
    capacities: LinkCapacities | np.ndarray | None = None,
    sla_rtt_ms: float | None = None,
    status: str | Sequence[str] = "existing",
    failed_links: Sequence[int] = (),
    failed_sites: Sequence[int] = (),
    extra_links: Sequence[int] = (),
    prefer_short: bool = True,
    method: str = "auto",
    initial_paths: int = 8,
    max_iterations: int = 500,
    max_labels: int = 200_000,
    warm_start: bool = True,
) -> FlowResult:
    """Route ``demand`` on link capacities (the questions are in the module docstring).

    Parameters
    ----------
    net
        The network.
    demand
        OD pairs (site ids) and Tbps.
    objective
        One of :data:`OBJECTIVES`.
    capacities
        Per-link capacity (Tbps, link-index order); default :func:`link_capacities`.
    sla_rtt_ms
        Only paths with a round trip at most this serve.
    status
        Which links are usable (``"existing"``, ``"planned"``, ``"all"`` or a set of statuses).
    failed_links, failed_sites
        Link and site indices out of service (a scenario).
    extra_links
        Link indices usable whatever their status (a candidate being evaluated).
    prefer_short
        Run the second, least-latency phase (``"max-carried"``, ``"min-max-utilisation"``).
    method
        ``"arc"`` (one source-aggregated arc LP; not with an SLA), ``"path"`` (column
        generation) or ``"auto"`` (arc without an SLA, path with one).
    initial_paths
        Path method: start every pair with its ``initial_paths`` least-latency loopless paths
        (within the SLA; Yen's algorithm, :mod:`corridor._kernels.ksp`) so that fewer pricing
        rounds are needed; 1 starts from the shortest path alone.
    max_iterations
        Column-generation rounds per phase before giving up (the result says so).
    max_labels
        Label limit of one constrained pricing search.
    warm_start
        Path method: keep the master LP in one HiGHS model and re-solve it from the last basis
        after adding columns (default); ``False`` rebuilds and solves it with ``linprog`` every
        round (slower; the same optimum).

    Raises
    ------
    RequestError
        For an unknown objective, a bad SLA, capacities of the wrong length, or unknown sites.
    FlowError
        When the LP solver fails.
    """
    if objective not in OBJECTIVES:
        msg = f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}"
        raise RequestError(msg)
    if sla_rtt_ms is not None and not (math.isfinite(sla_rtt_ms) and sla_rtt_ms > 0):
        msg = f"sla_rtt_ms must be a positive number, got {sla_rtt_ms!r}"
        raise RequestError(msg)
    if method not in ("auto", "arc", "path"):
        msg = f"unknown method {method!r}; use 'auto', 'arc' or 'path'"
        raise RequestError(msg)
    if method == "arc" and sla_rtt_ms is not None:
        msg = "an RTT SLA needs the path formulation (method='path' or 'auto')"
        raise RequestError(msg)
    if capacities is None:
        capacities = link_capacities(net)
    if isinstance(capacities, LinkCapacities):
        cap, assumed = np.asarray(capacities.tbps, float), np.asarray(capacities.assumed, bool)
    else:
        cap = np.asarray(capacities, dtype=float)
        assumed = np.zeros(len(cap), dtype=bool)
    if cap.shape != (net.n_links,):
        msg = f"capacities must have one value per link ({net.n_links}), got {cap.shape}"
        raise RequestError(msg)
    arc_ok, node_ok = _masks(net, cap, status, failed_links, failed_sites, extra_links)
    g = _Graph(net, arc_ok, node_ok)
    if sla_rtt_ms is not None:
        g.handoff = float(net.model.handoff_ms)
    src = np.array([net.site_index(net.resolve_site(s)) for s in demand.sources], dtype=np.int64)
    dst = np.array([net.site_index(net.resolve_site(t)) for t in demand.targets], dtype=np.int64)
    d_all = np.asarray(demand.tbps, dtype=float)
    budget = np.full(len(demand), np.inf)
    if sla_rtt_ms is not None:
        budget = sla_rtt_ms / 2.0 + g.delay[dst]
    # Least-latency path of every pair: the initial columns and the pair's corridor.
    cols = Columns()
    servable = np.zeros(len(demand), dtype=bool)
    corridor_of: list[str] = ["unroutable"] * len(demand)
    look = net.lookup
    trees: dict[int, np.ndarray] = {}
    first_path: dict[int, np.ndarray] = {}  # each servable pair's first column
    for k, (s, t) in enumerate(zip(src, dst, strict=True)):
        if s == t:
            msg = f"demand pair {k}: source and target are the same site {look.site_id[s]!r}"
            raise RequestError(msg)
        if int(s) not in trees:
            trees[int(s)] = g.tree(g.weight, int(s))[1]
        arcs = g.path(trees[int(s)], int(s), int(t))
        if len(arcs) and g.expected(arcs) > budget[k] + 1e-9:
            arcs = g.least_expected(int(s), int(t))  # fewer handoffs may fit the SLA
        if len(arcs) == 0 or g.expected(arcs) > budget[k] + 1e-9:
            continue
        first_path[k] = arcs
        servable[k] = True
        links = g.arc_link[arcs]
        corridor_of[k] = _corridor_of_links(net, links, int(s), int(t))
    live = np.flatnonzero(servable & (d_all > 0))
    notes: list[str] = []
    if (~servable).any():
        why = "within the SLA" if sla_rtt_ms is not None else "at all"
        notes.append(f"{int((~servable).sum())} pairs have no usable path {why}: unserved")
    carried = np.zeros(len(demand))
    link_flow = np.zeros(net.n_links)
    shadow = np.zeros(net.n_links)
    share = 0.0
    paths: list[FlowPath] = []
    rounds = 0
    converged = True
    if method == "auto":
        method = "path" if sla_rtt_ms is not None else "arc"
    if len(live):
        d = d_all[live]
        s_l, t_l, b_l = src[live], dst[live], budget[live]
        first = {"max-carried": "carried", "max-concurrent": "concurrent"}.get(objective, "minmax")
        second = {"max-carried": "carried-short", "min-max-utilisation": "minmax-short"}
        found: list[tuple[int, np.ndarray, float]] = []
        if method == "arc":
            usable = np.flatnonzero(g.arc_ok)
            asol = _arc_lp(g, usable, s_l, t_l, d, cap, first)
            shadow, share, rounds = asol.pi.copy(), asol.extra, 1
            if prefer_short and objective in second:
                held = None
                for slack in _HOLD_SLACKS:
                    kw = _held(objective, asol.objective, asol.extra, slack)
                    try:
                        held = _arc_lp(g, usable, s_l, t_l, d, cap, second[objective], **kw)
                    except FlowError:
                        continue
                    break
                if held is None:
                    notes.append(_SECOND_PHASE_SKIPPED)
                else:
                    asol = held
                rounds += 1
            found = _decompose(g, usable, s_l, t_l, asol)
            carried[live] = asol.delivered
        else:
            for i, kq in enumerate(live.tolist()):
                cols.add(i, first_path[kq], g)
                if initial_paths > 1:
                    off, arcs, costs = _ksp(
                        g.indptr,
                        g.head,
                        g.weight,
                        g.arc_ok,
                        g.node_ok,
                        int(src[kq]),
                        int(dst[kq]),
                        initial_paths,
                    )
                    for j in range(len(costs)):
                        path = arcs[off[j] : off[j + 1]]
                        if g.expected(path) <= budget[kq] + 1e-9:  # at least costs[j]
                            cols.add(i, path.copy(), g)
            common = {"max_iterations": max_iterations, "max_labels": max_labels}
            master = new_master(d, cap, first, warm=warm_start)
            sol, rounds, converged = _generate(g, cols, master, s_l, t_l, b_l, **common)
            shadow, share = sol.pi.copy(), sol.extra
            if prefer_short and objective in second:
                kw = _held(objective, sol.objective, sol.extra, _HOLD_SLACKS[0])
                master.switch(second[objective], cols=cols, **kw)
                try:
                    sol2, r2, c2 = _generate(g, cols, master, s_l, t_l, b_l, **common)
                except FlowError:
                    notes.append(_SECOND_PHASE_SKIPPED)
                else:
                    sol, rounds, converged = sol2, rounds + r2, converged and c2
            x = np.where(sol.x > 1e-12, sol.x, 0.0)
            for j in np.flatnonzero(x).tolist():
                found.append((cols.pair[j], cols.arcs[j], float(x[j])))
                carried[live[cols.pair[j]]] += x[j]
        for kl, arcs, tbps in found:
            k = int(live[kl])
            links = g.arc_link[arcs]
            np.add.at(link_flow, links, tbps)
            t = int(dst[k])
            paths.append(
                FlowPath(
                    pair=k,
                    links=tuple(int(li) for li in links),
                    one_way_ms=float(g.expected(arcs, float(net.model.handoff_ms)) - g.delay[t]),
                    tbps=tbps,
                    corridor=_corridor_of_links(net, links, int(src[k]), t),
                )
            )
        carried = np.minimum(carried, d_all)
    if not converged:
        notes.append(
            f"column generation stopped after {max_iterations} rounds without proving "
            "optimality: the answer is feasible, possibly not the LP optimum"
        )
    total_d = float(d_all.sum())
    if objective != "max-concurrent":
        share = float(carried.sum() / total_d) if total_d > 0 else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, link_flow / cap, 0.0)
    return FlowResult(
        objective=objective,
        sla_rtt_ms=sla_rtt_ms,
        demand=demand,
        link_ids=tuple(look.link_id),
        carried=carried,
        servable=servable,
        link_flow=link_flow,
        capacity=cap,
        capacity_assumed=assumed,
        shadow_price=shadow,
        share=float(share),
        max_utilisation=float(util.max()) if len(util) else 0.0,
        paths=tuple(paths),
        corridor_of_pair=tuple(corridor_of),
        iterations=rounds,
        converged=converged,
        notes=tuple(notes + list(demand.notes)),
        stats={"columns": len(cols), "pairs_routed": len(live)},
    )


#: Relative slack of what the second phase holds, tried in turn: HiGHS's presolve can declare
#: a hold at 1e-9 of the optimum infeasible on large LPs (the first phase's own solution is
#: only feasible to its 1e-7 tolerance; seen with all 10,296 endpoint pairs of the shipped
#: network). 1e-6 of 200 Tbps is 0.2 Gbit/s.
_HOLD_SLACKS = (1e-9, 1e-7, 1e-6)

_SECOND_PHASE_SKIPPED = (
    "the least-latency second phase could not hold the first phase's optimum within the "
    "solver's tolerance: the routing shown is the first phase's (same Tbps carried, paths "
    "possibly longer than needed)"
)


def _held(objective: str, value: float, extra: float, slack: float) -> dict[str, float]:
    """What the second, least-latency phase holds from the first: the total carried (``slack``
    below the optimum, for the solver's tolerance) or the peak utilisation (above it)."""
    if objective == "max-carried":
        return {"total": -value * (1.0 - slack)}
    return {"level": max(extra, 0.0) * (1.0 + slack) + 1e-12}


def _corridor_of_links(net: Network, links: np.ndarray, s: int, t: int) -> str:
    look = net.lookup
    countries = {look.site_country[s], look.site_country[t]}
    srlgs: set[str] = set()
    for li in links:
        countries.update(look.link_countries[int(li)])
        srlgs.update(look.link_srlgs[int(li)])
    return classify_corridor(tuple(countries), tuple(srlgs))
