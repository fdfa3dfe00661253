"""Numba kernels of the investment comparison (plain arrays only).

Distances follow the network's arc weights: ``weight[a] = link latency + head-site delay``, so a
tree distance ``D[s, x]`` counts the equipment delay of every site after ``s`` including ``x``.
The one-way latency of a route ``s -> t`` (intermediate sites only) is ``D[s, t] - delay[t]``,
and the best route that uses a new undirected link ``(u, v, lat)`` is

``min(D[s, u] + lat + D[t, v], D[s, v] + lat + D[t, u])`` (one way, ``s != t``),

because ``D[s, u] = L(s, u) + delay[u]`` and ``D[t, v] = L(v, t) + delay[v]`` by symmetry of the
links; when ``u == s`` or ``v == t`` the zero distance drops that site's delay as it should.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor._kernels.dijkstra import dijkstra
from corridor._kernels.disjoint import BACKUP_FOUND, bounded_backup, k_disjoint, min_shared_pair

#: Relative improvement below which a new route is not counted as better (ties keep the old one).
EPS = 1e-9


@njit(cache=True)
def link_arcs(arc_link: np.ndarray, n_links: int) -> np.ndarray:
    """``(n_links, 2)`` arc indices of each link (``-1`` where a link has one arc)."""
    out = np.full((n_links, 2), -1, dtype=np.int64)
    for a in range(arc_link.shape[0]):
        li = arc_link[a]
        if out[li, 0] < 0:
            out[li, 0] = a
        else:
            out[li, 1] = a
    return out


@njit(cache=True)
def tree_rows(
    indptr: np.ndarray,
    head: np.ndarray,
    tail: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    roots: np.ndarray,
    fail_links: np.ndarray,
    larcs: np.ndarray,
    node_focus: np.ndarray,
    link_focus: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Distance rows from ``roots`` with no failure and with each link of ``fail_links`` cut.

    Returns
    -------
    dist : float64 ``(len(fail_links) + 1, len(roots), n)``
        ``dist[0]`` without failure, ``dist[1 + f]`` with link ``fail_links[f]`` cut.
    focus : bool ``(len(roots), n)``
        Whether the no-failure tree path ``root -> x`` touches the focus country (a site in it
        or a link crossing it).
    """
    n = indptr.shape[0] - 1
    r = roots.shape[0]
    nf = fail_links.shape[0]
    dist = np.empty((nf + 1, r, n))
    focus = np.zeros((r, n), dtype=np.bool_)
    ok = arc_ok.copy()
    for f in range(nf + 1):
        if f > 0:
            li = fail_links[f - 1]
            for j in range(2):
                if larcs[li, j] >= 0:
                    ok[larcs[li, j]] = False
        for i in range(r):
            d, pred = dijkstra(indptr, head, weight, roots[i], -1, ok, node_ok)
            dist[f, i, :] = d
            if f == 0:
                # settle order = increasing distance; walk nodes by distance
                order = np.argsort(d)
                for x in order:
                    if not np.isfinite(d[x]):
                        break
                    a = pred[x]
                    if a < 0:
                        focus[i, x] = node_focus[x]
                    else:
                        focus[i, x] = focus[i, tail[a]] or link_focus[arc_link[a]] or node_focus[x]
        if f > 0:
            li = fail_links[f - 1]
            for j in range(2):
                if larcs[li, j] >= 0:
                    ok[larcs[li, j]] = arc_ok[larcs[li, j]]
    return dist, focus


@njit(cache=True)
def single_link_metrics(
    dist: np.ndarray,
    focus: np.ndarray,
    prs: np.ndarray,
    prt: np.ndarray,
    pt: np.ndarray,
    delay: np.ndarray,
    u: int,
    v: int,
    lat: float,
    link_focus: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact pair metrics after adding one undirected link ``(u, v, lat)`` (the shortcut).

    Parameters
    ----------
    dist, focus
        From :func:`tree_rows` on the base network (rows = OD sites).
    prs, prt, pt
        Per pair: row of its source, row of its target, node of its target.

    Returns
    -------
    one_way : float64[p]
        New best one-way latency.
    worst : float64[p]
        New worst single-failure one-way latency (over every base link of ``dist`` and the new
        link itself).
    via : float64[p]
        Best one-way latency of a route that uses the new link.
    focus_after : bool[p]
        Whether the new best route touches the focus country.
    """
    nf = dist.shape[0]
    p = prs.shape[0]
    one_way = np.empty(p)
    worst = np.empty(p)
    via = np.empty(p)
    focus_after = np.empty(p, dtype=np.bool_)
    for k in range(p):
        rs = prs[k]
        rt = prt[k]
        t = pt[k]
        base = dist[0, rs, t] - delay[t]
        x1 = dist[0, rs, u] + lat + dist[0, rt, v]
        x2 = dist[0, rs, v] + lat + dist[0, rt, u]
        best_via = min(x1, x2)
        via[k] = best_via
        if best_via < base - EPS * max(1.0, base):
            one_way[k] = best_via
            if x1 <= x2:
                focus_after[k] = focus[rs, u] or link_focus or focus[rt, v]
            else:
                focus_after[k] = focus[rs, v] or link_focus or focus[rt, u]
        else:
            one_way[k] = base
            focus_after[k] = focus[rs, t]
        w = base  # failing the new link itself
        for f in range(1, nf):
            d = dist[f, rs, t] - delay[t]
            y = min(dist[f, rs, u] + lat + dist[f, rt, v], dist[f, rs, v] + lat + dist[f, rt, u])
            if y < d:
                d = y
            if d > w:
                w = d
        worst[k] = w
    return one_way, worst, via, focus_after


@njit(cache=True)
def backup_flags(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    ps: np.ndarray,
    pt: np.ndarray,
    delay: np.ndarray,
    cap_ms: float,
    check: np.ndarray,
    max_candidates: int,
) -> np.ndarray:
    """Whether each checked pair has two link-disjoint routes both within ``cap_ms`` one way.

    Exact decision: the minimum-total-latency disjoint pair (Suurballe/Bhandari,
    :func:`~corridor._kernels.disjoint.k_disjoint`) settles it when its slower route fits
    (yes) or its total exceeds ``2 cap`` (no: every feasible pair has total ``<= 2 cap``);
    otherwise the bounded-backup search (cheapest primary with a disjoint backup within the
    cap) decides: yes iff found and the primary fits too. Undecided searches (more than
    ``max_candidates`` primaries) count as no; ``max_candidates = 0`` skips the search (the
    Suurballe pair alone decides: a sufficient test). Unchecked pairs are ``False``.
    """
    p = ps.shape[0]
    out = np.zeros(p, dtype=np.bool_)
    for k in range(p):
        if not check[k]:
            continue
        s = ps[k]
        t = pt[k]
        cap = cap_ms + delay[t]  # kernel costs include the target's delay once per path
        _offsets, _arcs, costs = k_disjoint(
            indptr, head, weight, arc_link, arc_ok, node_ok, s, t, 2, False
        )
        if costs.shape[0] < 2:
            continue
        tol = 1e-9 * max(1.0, cap)
        if costs[1] <= cap + tol:
            out[k] = True
            continue
        if max_candidates <= 0 or costs[0] + costs[1] > 2.0 * cap + tol:
            continue
        status, _prim, _back, pc, _bc = bounded_backup(
            indptr, head, weight, arc_link, arc_ok, node_ok, s, t, cap, False, max_candidates
        )
        if status == BACKUP_FOUND and pc <= cap + tol:
            out[k] = True
    return out


@njit(cache=True)
def set_metrics(
    indptr: np.ndarray,
    head: np.ndarray,
    tail: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    larcs: np.ndarray,
    src_nodes: np.ndarray,
    psi: np.ndarray,
    pt: np.ndarray,
    delay: np.ndarray,
    node_focus: np.ndarray,
    link_focus: np.ndarray,
    arc_code: np.ndarray,
    handoff_ms: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair metrics on a masked network by full recomputation (no shortcut).

    For every source: one Dijkstra tree, then one Dijkstra per link on any of that source's
    best routes with the link cut (a cut off the best route changes nothing, so this is the
    worst single link failure exactly).

    Returns
    -------
    one_way : float64[p]
        One-way latency of the best route by arc weight, with ``handoff_ms`` at each change of
        ``arc_code`` (system) along it: the expected figure ``corridor route`` shows.
    worst : float64[p]
        Worst single-failure one-way latency on the arc weights (handoffs not counted).
    focus : bool[p]
        Whether the best route touches the focus country.
    """
    n = indptr.shape[0] - 1
    p = psi.shape[0]
    one_way = np.full(p, np.inf)
    worst = np.full(p, np.inf)
    focus = np.zeros(p, dtype=np.bool_)
    ok = arc_ok.copy()
    nl = larcs.shape[0]
    mark = np.zeros(nl, dtype=np.int64)
    stamp = 0
    for i in range(src_nodes.shape[0]):
        s = src_nodes[i]
        d, pred = dijkstra(indptr, head, weight, s, -1, arc_ok, node_ok)
        fo = np.zeros(n, dtype=np.bool_)
        order = np.argsort(d)
        for x in order:
            if not np.isfinite(d[x]):
                break
            a = pred[x]
            if a < 0:
                fo[x] = node_focus[x]
            else:
                fo[x] = fo[tail[a]] or link_focus[arc_link[a]] or node_focus[x]
        stamp += 1
        used = np.empty(0, dtype=np.int64)
        cnt = 0
        buf = np.empty(nl, dtype=np.int64)
        for k in range(p):
            if psi[k] != i:
                continue
            t = pt[k]
            one_way[k] = d[t] - delay[t]
            worst[k] = one_way[k]
            focus[k] = fo[t]
            if not np.isfinite(d[t]):
                continue
            x = t
            changes = 0
            nxt = -1  # the arc after ``a`` on the path
            while x != s:
                a = pred[x]
                if nxt >= 0 and arc_code[a] != arc_code[nxt]:
                    changes += 1
                nxt = a
                li = arc_link[a]
                if mark[li] != stamp:
                    mark[li] = stamp
                    buf[cnt] = li
                    cnt += 1
                x = tail[a]
            one_way[k] += changes * handoff_ms
        used = buf[:cnt]
        for j in range(cnt):
            li = used[j]
            for q in range(2):
                if larcs[li, q] >= 0:
                    ok[larcs[li, q]] = False
            df, _ = dijkstra(indptr, head, weight, s, -1, ok, node_ok)
            for q in range(2):
                if larcs[li, q] >= 0:
                    ok[larcs[li, q]] = arc_ok[larcs[li, q]]
            for k in range(p):
                if psi[k] != i:
                    continue
                t = pt[k]
                val = df[t] - delay[t]
                if val > worst[k]:
                    worst[k] = val
    return one_way, worst, focus


# -- protection pairs and their availability -------------------------------------------------------
@njit(cache=True)
def _path_elements(
    arcs: np.ndarray,
    lo: int,
    hi: int,
    head: np.ndarray,
    arc_link: np.ndarray,
    link_av: np.ndarray,
    site_av: np.ndarray,
    sg_ptr: np.ndarray,
    sg_ids: np.ndarray,
    srlg_av: np.ndarray,
    mark_l: np.ndarray,
    mark_s: np.ndarray,
    mark_g: np.ndarray,
    stamp: int,
    prev: int,
) -> tuple[float, float, int]:
    """Product over the elements of path ``arcs[lo:hi]`` (each counted once), and over those not
    marked ``prev`` (not on the other path); marks them ``stamp``. Also returns how many SRLGs
    are marked ``prev`` (shared with the other path).

    Elements: every link, every intermediate site (the head of every arc but the last) and
    every SRLG of the links.
    """
    every = 1.0
    fresh = 1.0
    shared = 0
    for j in range(lo, hi):
        a = arcs[j]
        li = arc_link[a]
        if mark_l[li] != stamp:
            every *= link_av[li]
            if mark_l[li] != prev:
                fresh *= link_av[li]
            mark_l[li] = stamp
        for q in range(sg_ptr[li], sg_ptr[li + 1]):
            g = sg_ids[q]
            if mark_g[g] != stamp:
                every *= srlg_av[g]
                if mark_g[g] != prev:
                    fresh *= srlg_av[g]
                else:
                    shared += 1
                mark_g[g] = stamp
        if j < hi - 1:
            x = head[a]
            if mark_s[x] != stamp:
                every *= site_av[x]
                if mark_s[x] != prev:
                    fresh *= site_av[x]
                mark_s[x] = stamp
    return every, fresh, shared


@njit(cache=True)
def _pair_av(
    offsets: np.ndarray,
    arcs: np.ndarray,
    npaths: int,
    ends: float,
    head: np.ndarray,
    arc_link: np.ndarray,
    link_av: np.ndarray,
    site_av: np.ndarray,
    sg_ptr: np.ndarray,
    sg_ids: np.ndarray,
    srlg_av: np.ndarray,
    mark_l: np.ndarray,
    mark_s: np.ndarray,
    mark_g: np.ndarray,
    stamp: int,
) -> tuple[float, int]:
    """``P(at least one path up)`` for one or two paths, shared elements counted once:
    ``A1 + A2 - A(E1 u E2)`` (inclusion-exclusion), times ``ends`` (the endpoint sites); and
    the number of SRLGs the two paths share."""
    if npaths <= 0:
        return 0.0, 0
    a1, _, _ = _path_elements(
        arcs, offsets[0], offsets[1], head, arc_link, link_av, site_av, sg_ptr, sg_ids,
        srlg_av, mark_l, mark_s, mark_g, stamp, -1,
    )  # fmt: skip
    if npaths == 1:
        return ends * a1, 0
    a2, fresh, shared = _path_elements(
        arcs, offsets[1], offsets[2], head, arc_link, link_av, site_av, sg_ptr, sg_ids,
        srlg_av, mark_l, mark_s, mark_g, stamp + 1, stamp,
    )  # fmt: skip
    both = a1 + a2 - a1 * fresh
    return ends * min(1.0, max(0.0, both)), shared


@njit(cache=True)
def paths_availability(
    offsets: np.ndarray,
    arcs: np.ndarray,
    ends: float,
    head: np.ndarray,
    arc_link: np.ndarray,
    link_av: np.ndarray,
    site_av: np.ndarray,
    sg_ptr: np.ndarray,
    sg_ids: np.ndarray,
    srlg_av: np.ndarray,
) -> float:
    """Availability of one path or a protected pair (``offsets`` / ``arcs`` as in
    :func:`~corridor._kernels.disjoint.k_disjoint`; at most two paths are used).

    ``link_av``, ``site_av`` and ``srlg_av`` are the element availabilities of
    :class:`corridor.resilience.availability.AvailabilityModel`; ``ends`` is the product of the
    endpoint sites' availabilities (1 unless the model counts endpoints).
    """
    mark_l = np.zeros(link_av.shape[0], dtype=np.int64)
    mark_s = np.zeros(site_av.shape[0], dtype=np.int64)
    mark_g = np.zeros(srlg_av.shape[0], dtype=np.int64)
    npaths = min(2, offsets.shape[0] - 1)
    av, _ = _pair_av(
        offsets, arcs, npaths, ends, head, arc_link, link_av, site_av, sg_ptr, sg_ids, srlg_av,
        mark_l, mark_s, mark_g, 1,
    )  # fmt: skip
    return av


@njit(cache=True)
def link_protection(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    arc_link: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    ps: np.ndarray,
    pt: np.ndarray,
    check: np.ndarray,
    link_av: np.ndarray,
    site_av: np.ndarray,
    sg_ptr: np.ndarray,
    sg_ids: np.ndarray,
    srlg_av: np.ndarray,
    ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The link-disjoint protection pair of every checked OD pair and its availability.

    The pair is the minimum-total-latency link-disjoint pair (Suurballe/Bhandari,
    :func:`~corridor._kernels.disjoint.k_disjoint`); when none exists, the least-shared pair
    (:func:`~corridor._kernels.disjoint.min_shared_pair`, as
    :func:`corridor.routing.disjoint_pair` does), whose shared links are then the pair's
    bridges (every route crosses them).

    Returns
    -------
    total : float64[p]
        Total cost of the pair (kernel units: latency plus the head sites' delays); ``inf``
        when the target is unreachable.
    slower : float64[p]
        Cost of the slower path of a link-disjoint pair; ``inf`` when there is none.
    avail : float64[p]
        Availability of the pair (0 when unreachable).
    shared_ptr, shared : int64
        Per pair, the links both paths of a least-shared pair use (CSR).
    srlg_free : bool[p]
        The link-disjoint pair also shares no SRLG (then it is the minimum-total SRLG-disjoint
        pair as well).

    Unchecked pairs get ``nan`` / empty / ``False`` entries.
    """
    p = ps.shape[0]
    total = np.full(p, np.nan)
    slower = np.full(p, np.nan)
    avail = np.full(p, np.nan)
    srlg_free = np.zeros(p, dtype=np.bool_)
    shared_ptr = np.zeros(p + 1, dtype=np.int64)
    shared_buf = np.empty(16, dtype=np.int64)
    mark_l = np.zeros(link_av.shape[0], dtype=np.int64)
    mark_s = np.zeros(site_av.shape[0], dtype=np.int64)
    mark_g = np.zeros(srlg_av.shape[0], dtype=np.int64)
    stamp = 1
    for k in range(p):
        shared_ptr[k + 1] = shared_ptr[k]
        if not check[k]:
            continue
        s = ps[k]
        t = pt[k]
        offsets, arcs, costs = k_disjoint(
            indptr, head, weight, arc_link, arc_ok, node_ok, s, t, 2, False
        )
        if costs.shape[0] == 2:
            total[k] = costs[0] + costs[1]
            slower[k] = costs[1]
        elif costs.shape[0] == 0:
            total[k] = np.inf
            slower[k] = np.inf
            avail[k] = 0.0
            continue
        else:
            slower[k] = np.inf
            o2, a2, c2, sh, _nodes = min_shared_pair(
                indptr, head, weight, arc_link, arc_ok, node_ok, s, t, False
            )
            if c2.shape[0] == 2:
                offsets, arcs = o2, a2
                total[k] = c2[0] + c2[1]
                end = shared_ptr[k] + sh.shape[0]
                if end > shared_buf.shape[0]:
                    grown = np.empty(2 * end, dtype=np.int64)
                    grown[: shared_ptr[k]] = shared_buf[: shared_ptr[k]]
                    shared_buf = grown
                shared_buf[shared_ptr[k] : end] = sh
                shared_ptr[k + 1] = end
            else:  # cannot happen: a route exists; keep the single path
                total[k] = 2.0 * costs[0]
        avail[k], common = _pair_av(
            offsets, arcs, offsets.shape[0] - 1, ends[k], head, arc_link, link_av, site_av,
            sg_ptr, sg_ids, srlg_av, mark_l, mark_s, mark_g, stamp,
        )  # fmt: skip
        srlg_free[k] = np.isfinite(slower[k]) and common == 0
        stamp += 2
    return total, slower, avail, shared_ptr, shared_buf[: shared_ptr[p]].copy(), srlg_free
