"""The exact traffic portfolio as one network-design integer program.

:func:`corridor.capacity.invest.rank_by_traffic` asks which set of candidate links, within a
capex budget, keeps the most traffic (probability-weighted Tbps carried over the stress
scenarios, max-carried flow, no SLA). This module states that question as one mixed-integer
program (a capacitated network design): a build variable ``y_j`` in {0, 1} per candidate, and
per scenario the source-aggregated arc flow of :mod:`corridor.capacity.flow` on the existing
links plus every candidate's links, a candidate link's capacity row reading
``flow <= capacity * y_j``; one budget row ``sum capex_j y_j <= budget``. The objective is the
weighted carried Tbps, less ``NPV_EPS`` per EUR m of NPV cost (so that of two portfolios that
keep the same traffic the cheaper one wins; the term moves the objective by less than the
tolerance the answer is stated to).

Solved by HiGHS (:func:`scipy.optimize.milp`) with a relative gap of :data:`MIP_REL_GAP`: its
optimum is the best portfolio, its dual bound an upper bound on every portfolio's value. With
``y`` relaxed to [0, 1] it is the linear relaxation, a valid bound by itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from corridor.capacity.flow import _arc_model, _Graph, _masks
from corridor.capacity.scenarios import ResolvedScenario
from corridor.network import Network

__all__ = ["MIP_REL_GAP", "NPV_EPS", "DesignResult", "design_portfolio"]

#: Relative gap HiGHS must close before it calls the integer program solved.
MIP_REL_GAP = 1e-9

#: Tbps of objective per EUR m of NPV cost: breaks ties between equal-value portfolios.
NPV_EPS = 1e-10


@dataclass(frozen=True)
class DesignResult:
    """Answer of :func:`design_portfolio` (values: weighted carried Tbps, not less the base).

    ``items`` is the best portfolio found (indices into the candidates), ``value`` the
    program's weighted carried Tbps for it, ``bound`` an upper bound on that of every
    portfolio, ``proven`` whether HiGHS closed the gap, ``status`` its message.
    """

    items: frozenset[int]
    value: float
    bound: float
    proven: bool
    status: str


def design_portfolio(
    net: Network,
    sources: Sequence[int],
    targets: Sequence[int],
    tbps: np.ndarray,
    capacities: np.ndarray,
    scenarios: Sequence[ResolvedScenario],
    weights: Sequence[float],
    candidate_links: Sequence[Sequence[int]],
    capex: Sequence[float],
    npv: Sequence[float],
    budget: float,
    *,
    time_limit_s: float = 120.0,
    relax: bool = False,
) -> DesignResult | None:
    """Best portfolio of ``candidate_links`` within ``budget`` (capex), exactly (module notes).

    ``sources``/``targets`` are site indices of the demand pairs, ``tbps`` their demand,
    ``weights`` the scenarios' probabilities (normalised here). Returns ``None`` when HiGHS
    found no portfolio within the time limit.
    """
    n_c = len(candidate_links)
    cap = np.asarray(capacities, dtype=float)
    src = np.asarray(sources, dtype=np.int64)
    dst = np.asarray(targets, dtype=np.int64)
    demand = np.asarray(tbps, dtype=float)
    live = (demand > 0) & (src != dst)
    src, dst, demand = src[live], dst[live], demand[live]
    owner = {int(li): j for j, links in enumerate(candidate_links) for li in links}
    every = sorted(owner)
    wsum = float(sum(weights))
    blocks_ub, blocks_eq, ys_ub, b_ubs, b_eqs, costs, lows, highs = [], [], [], [], [], [], [], []
    for s, w in zip(scenarios, weights, strict=True):
        arc_ok, node_ok = _masks(net, cap, "existing", s.links, s.sites, every)
        g = _Graph(net, arc_ok, node_ok)
        usable = np.flatnonzero(arc_ok)
        model = _arc_model(g, usable, src, dst, demand, cap, "carried")
        c, a_ub, b_ub, a_eq, b_eq, bounds = model.lp
        b_ub = np.asarray(b_ub, dtype=float).copy()
        # a candidate link's capacity row: flow - capacity * y_j <= 0
        rows, cols, vals = [], [], []
        for r, li in enumerate(model.used_links.tolist()):
            j = owner.get(int(li))
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append(-b_ub[r])
                b_ub[r] = 0.0
        ys_ub.append(sp.csr_matrix((vals, (rows, cols)), shape=(a_ub.shape[0], n_c)))
        blocks_ub.append(sp.csr_matrix(a_ub))
        blocks_eq.append(sp.csr_matrix(a_eq))
        b_ubs.append(b_ub)
        b_eqs.append(np.asarray(b_eq, dtype=float))
        costs.append(np.asarray(c, dtype=float) * (w / wsum))
        lows.append(np.array([lo for lo, _ in bounds], dtype=float))
        highs.append(np.array([np.inf if hi is None else hi for _, hi in bounds], dtype=float))
    a_ub = sp.hstack([sp.block_diag(blocks_ub), sp.vstack(ys_ub)]).tocsr()
    n_flow = a_ub.shape[1] - n_c
    n_eq = sum(b.shape[0] for b in blocks_eq)
    a_eq = sp.hstack([sp.block_diag(blocks_eq), sp.csr_matrix((n_eq, n_c))])
    budget_row = sp.csr_matrix(np.concatenate([np.zeros(n_flow), np.asarray(capex, dtype=float)]))
    c_all = np.concatenate([*costs, NPV_EPS * np.asarray(npv, dtype=float)])
    lb = np.concatenate([*lows, np.zeros(n_c)])
    ub = np.concatenate([*highs, np.ones(n_c)])
    integrality = np.concatenate([np.zeros(n_flow), np.full(n_c, 0 if relax else 1)])
    res = milp(
        c_all,
        constraints=[
            LinearConstraint(a_ub, -np.inf, np.concatenate(b_ubs)),
            LinearConstraint(a_eq.tocsr(), np.concatenate(b_eqs), np.concatenate(b_eqs)),
            LinearConstraint(budget_row, -np.inf, float(budget)),
        ],
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": float(time_limit_s), "mip_rel_gap": MIP_REL_GAP},
    )
    if res.x is None:
        return None
    y = np.asarray(res.x[n_flow:])
    items = frozenset(int(j) for j in np.flatnonzero(y > 0.5))
    value = -float(np.dot(c_all[:n_flow], res.x[:n_flow]))
    dual = getattr(res, "mip_dual_bound", None)
    if relax or res.status == 0:
        bound = -float(res.fun) + NPV_EPS * float(np.sum(npv))
    elif dual is not None and math.isfinite(dual):
        bound = -float(dual) + NPV_EPS * float(np.sum(npv))
    else:
        bound = math.inf
    return DesignResult(
        items=items, value=value, bound=bound, proven=res.status == 0, status=str(res.message)
    )
