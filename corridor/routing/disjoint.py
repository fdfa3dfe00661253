"""Disjoint routes: primary and backup pairs (link, node, SRLG), bounded backups, k paths."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from corridor._errors import ConstraintError, NoRouteError, RequestError
from corridor._kernels.disjoint import (
    BACKUP_BOUND_REACHED,
    BACKUP_INFEASIBLE,
    bounded_backup,
    k_disjoint,
    min_shared_pair,
)
from corridor._validate import check_number
from corridor.network import Network
from corridor.routing._core import (
    MAX_CANDIDATES,
    Path,
    RouteResult,
    _explain_no_route,
    _Request,
    _result,
    check_k,
    make_path,
    prepare,
)

if TYPE_CHECKING:
    from corridor.routing._capped import CappedResult
    from corridor.routing.srlg import SrlgPair

__all__ = [
    "DISJOINT_MODES",
    "SRLG_EXACT_MAX_ARCS",
    "disjoint_pair",
    "k_disjoint_paths",
    "shared_text",
]


DISJOINT_MODES = ("link", "node", "srlg", "srlg+node", "country")

#: Modes solved as SRLG-disjoint pairs over risk groups (SRLGs, plus sites, or countries).
_RISK_MODES = ("srlg", "srlg+node", "country")

#: Above this many arcs, SRLG-disjoint pairs use the heuristic unless ``exact=True`` is given.
SRLG_EXACT_MAX_ARCS = 20_000


def _paths_from(req: _Request, offsets: np.ndarray, arcs: np.ndarray) -> list[Path]:
    return [
        make_path(req.net, req.s, arcs[offsets[i] : offsets[i + 1]], req.floor_ms)
        for i in range(len(offsets) - 1)
    ]


def _check_disjoint_request(req: _Request, mode: str) -> None:
    if not isinstance(mode, str):
        msg = f"disjointness mode must be one of {', '.join(DISJOINT_MODES)}, got {mode!r}"
        raise RequestError(msg)
    if mode not in DISJOINT_MODES:
        msg = f"unknown disjointness mode {mode!r}; use one of {', '.join(DISJOINT_MODES)}"
        raise RequestError(msg)
    if req.cons.via_sites or req.cons.via_countries or req.cons.max_hops is not None:
        msg = "via and max_hops constrain single paths; they are not supported with disjoint routes"
        raise ConstraintError(msg)


def _over_cap(req: _Request, paths: Sequence[Path]) -> bool:
    cap = req.cons.max_latency_ms
    return cap is not None and any(p.one_way_ms > cap + 1e-9 for p in paths)


def _kernel_cap(req: _Request, cap_ms: float) -> float:
    """A one-way cap in ms as a kernel cost (kernel costs include the target's delay once)."""
    return cap_ms + float(req.net.site_delay[req.t])


def _capped_paths(req: _Request, k: int, node_disjoint: bool, time_limit: float) -> CappedResult:
    from corridor.routing._capped import capped_disjoint  # scipy loads only when needed
    from corridor.routing.service import arc_systems

    net = req.net
    assert req.cons.max_latency_ms is not None
    return capped_disjoint(
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        req.arc_ok,
        req.node_ok,
        req.s,
        req.t,
        k,
        node_disjoint,
        _kernel_cap(req, req.cons.max_latency_ms),
        time_limit=time_limit,
        arc_system=arc_systems(net),
        handoff=float(net.model.handoff_ms),
    )


def _capped_outcome(
    req: _Request, found: CappedResult, what: str, time_limit: float
) -> tuple[list[Path], list[str]] | None:
    """Paths and notes of a capped MILP answer; None when it proved that none exists."""
    cap = req.cons.max_latency_ms
    if found.status == "infeasible":
        return None
    if found.status == "unknown":
        msg = (
            f"no {what} from {req.source} to {req.target} within {cap:g} ms one way found in the "
            f"{time_limit:g} s time limit; not proven that none exists"
        )
        raise NoRouteError(msg)
    paths = _paths_from_arrays(req, found.paths)
    notes = []
    if found.status == "feasible":
        bound = found.bound - len(paths) * float(req.net.site_delay[req.t])
        notes.append(
            f"time limit of {time_limit:g} s reached: not proven optimal; the total latency is "
            f"at least {bound:.3f} ms"
        )
    return paths, notes


def _paths_from_arrays(req: _Request, arrays: Iterable[np.ndarray]) -> list[Path]:
    return [make_path(req.net, req.s, arcs, req.floor_ms) for arcs in arrays]


def _cap_error(
    req: _Request, what: str, *, proven: bool, need: float | None = None
) -> NoRouteError:
    cap = req.cons.max_latency_ms
    base = f"no {what} from {req.source} to {req.target} within {cap:g} ms one way"
    if proven:
        return NoRouteError(f"{base} (proven)")
    found = f"the pair found needs {need:.2f} ms for its slower path; " if need is not None else ""
    return NoRouteError(f"{base} was found: {found}not proven that none exists")


def _shared_note(
    req: _Request, paths: Sequence[Path], mode: str, *, none_proven: bool = True
) -> list[str]:
    first, second = paths[0], paths[1] if len(paths) > 1 else paths[0]
    shared_links = [x for x in first.links if x in second.links]
    shared_nodes = [x for x in first.nodes[1:-1] if x in second.nodes[1:-1]]
    shared_srlgs = [x for x in first.srlgs if x in second.srlgs]
    parts = []
    if shared_links:
        parts.append(f"links {', '.join(shared_links)}")
    if mode == "node" and shared_nodes:
        parts.append(f"sites {', '.join(shared_nodes)}")
    if mode in ("srlg", "srlg+node") and shared_srlgs:
        parts.append(f"SRLGs {', '.join(shared_srlgs)}")
    if mode == "srlg+node" and shared_nodes:
        parts.append(f"sites {', '.join(shared_nodes)}")
    if mode == "country":
        shared = _shared(req, paths)["shared_countries"]
        parts.append(f"transit countries {', '.join(shared)}" if shared else "links")
    if none_proven:
        return [
            f"no fully {mode}-disjoint pair exists; the most disjoint pair shares "
            f"{'; '.join(parts)}"
        ]
    return [
        f"heuristic found no fully {mode}-disjoint pair; not proven that none exists; the pair "
        f"found shares {'; '.join(parts)}"
    ]


def _shared(req: _Request, paths: Sequence[Path]) -> dict[str, list[str]]:
    """What two or more of the paths still share: links, sites, transit countries, SRLGs.

    Sites exclude the two ends; countries exclude the ends' countries (every path crosses
    those).
    """
    look = req.net.lookup
    ends = {look.site_country[req.s], look.site_country[req.t]}

    def twice(items: list[Sequence[str]]) -> list[str]:
        count: dict[str, int] = {}
        for seq in items:
            for x in dict.fromkeys(seq):
                count[x] = count.get(x, 0) + 1
        return [x for x, c in count.items() if c > 1]

    return {
        "shared_links": twice([p.links for p in paths]),
        "shared_sites": twice([p.nodes[1:-1] for p in paths]),
        "shared_countries": [c for c in twice([p.countries for p in paths]) if c not in ends],
        "shared_srlgs": twice([p.srlgs for p in paths]),
    }


def _protected(req: _Request, paths: Sequence[Path], notes: Sequence[str]) -> RouteResult:
    """The result of a disjoint request: roles (primary, backup) and what the paths share."""
    roles = ["primary", "backup"] + [f"backup {i}" for i in range(2, len(paths))]
    info = [{"role": role} for role in roles[: len(paths)]]
    return _result(req, paths, notes, path_info=info, summary=_shared(req, paths))


def shared_text(result: RouteResult) -> str:
    """What the paths of a protected answer still share, in one sentence ("" otherwise)."""
    keys = {
        "shared_sites": "sites",
        "shared_countries": "countries",
        "shared_srlgs": "SRLGs",
        "shared_links": "links",
    }
    if not any(k in result.summary for k in keys):
        return ""
    parts = [
        f"{what} {', '.join(result.summary[k])}"
        for k, what in keys.items()
        if result.summary.get(k)
    ]
    if not parts:
        return "Primary and backup share no site, transit country, SRLG or link."
    return f"Primary and backup still share: {'; '.join(parts)}."


def _risk_groups(req: _Request, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Risk groups per link (CSR) for the SRLG-style modes.

    ``srlg``: the data's SRLGs. ``srlg+node``: plus one group per intermediate site on every
    link that touches it (so sharing a site is sharing a risk). ``country``: one group per
    country a link crosses, other than the source's and the target's.
    """
    net = req.net
    if mode == "srlg":
        return net.link_srlg_indptr, net.link_srlg_ids
    n_links = len(net.link_a)
    groups: list[list[int]] = []
    if mode == "srlg+node":
        indptr, ids = net.link_srlg_indptr, net.link_srlg_ids
        base = int(ids.max()) + 1 if len(ids) else 0
        for li in range(n_links):
            own = ids[indptr[li] : indptr[li + 1]].tolist() if li + 1 < len(indptr) else []
            ends = [int(v) for v in (net.link_a[li], net.link_b[li]) if v not in (req.s, req.t)]
            groups.append(own + [base + v for v in ends])
    else:
        look = net.lookup
        ends_c = {look.site_country[req.s], look.site_country[req.t]}
        code: dict[str, int] = {}
        for li in range(n_links):
            crossed = [c for c in look.link_countries[li] if c and c not in ends_c]
            groups.append([code.setdefault(c, len(code)) for c in dict.fromkeys(crossed)])
    out_ptr = np.zeros(n_links + 1, dtype=np.int64)
    np.cumsum([len(g) for g in groups], out=out_ptr[1:])
    out_ids = np.array([x for g in groups for x in g], dtype=np.int64)
    return out_ptr, out_ids


def disjoint_pair(
    net: Network,
    source: str,
    target: str,
    *,
    mode: str = "link",
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    backup_max_latency_ms: float | None = None,
    exact: bool | None = None,
    time_limit: float = 10.0,
) -> RouteResult:
    """A primary and a backup path that share no link, site or shared-risk group.

    Parameters
    ----------
    mode
        ``"link"``: no common link (two parallel cables are different links). ``"node"``: no
        common intermediate site either. ``"srlg"``: no common shared-risk group (a sea
        chokepoint, a conduit) and no common link.
    max_latency_ms
        Both paths must stay under this one-way latency.
    backup_max_latency_ms
        Bounded-backup variant: minimise the primary's latency subject to a disjoint backup
        within this one-way latency (link and node modes).
    exact, time_limit
        SRLG, SRLG+node and country modes: solve exactly (a MILP with
        :func:`scipy.optimize.milp`) or with the trap-avoiding heuristic; by default exact up
        to :data:`SRLG_EXACT_MAX_ARCS` arcs.

    Returns
    -------
    RouteResult
        Two paths, the faster first, labelled primary and backup (``path_info`` roles), with
        what they still share (``summary``: ``shared_links``, ``shared_sites`` other than the
        ends, ``shared_countries`` other than the ends' countries, ``shared_srlgs``). Link and
        node modes minimise the total latency of the pair
        (Suurballe 1974; Bhandari 1999 for undirected links), exactly. When no fully disjoint
        pair exists, the maximally disjoint pair (fewest shared elements, then lowest total
        latency) with a note saying what is shared.

    Raises
    ------
    NoRouteError
        When the pair is unreachable, or exceeds a latency cap.
    """
    req = prepare(net, source, target, status=status, avoid=avoid, max_latency_ms=max_latency_ms)
    _check_disjoint_request(req, mode)
    check_number(time_limit, "time_limit", unit="s")
    if backup_max_latency_ms is not None:
        check_number(backup_max_latency_ms, "backup_max_latency_ms (one way)", unit="ms")
        return _bounded_backup(req, mode, backup_max_latency_ms, time_limit)
    if mode in _RISK_MODES:
        return _risk_pair(req, mode, exact, time_limit)
    args = (net.indptr, net.head, net.weight, net.arc_link, req.arc_ok, req.node_ok, req.s, req.t)
    what = f"{mode}-disjoint pair"
    notes: list[str] = []
    offsets, arcs, _ = k_disjoint(*args, 2, mode == "node")
    paths = _paths_from(req, offsets, arcs)
    if not paths:
        raise NoRouteError(_explain_no_route(req))
    if len(paths) < 2:
        offsets, arcs, _, _, _ = min_shared_pair(*args, mode == "node")
        paths = _paths_from(req, offsets, arcs)
        notes = _shared_note(req, paths, mode)
        if _over_cap(req, paths):
            # the least-sharing pair within the cap is not searched for: say only what is known
            msg = (
                f"no fully {mode}-disjoint pair from {req.source} to {req.target} exists, and the "
                f"least-sharing pair needs {max(p.one_way_ms for p in paths):.2f} ms for its "
                f"slower path, over the {req.cons.max_latency_ms:g} ms cap (least-sharing pairs "
                f"within the cap are not searched)"
            )
            raise NoRouteError(msg)
    elif _over_cap(req, paths):
        outcome = _capped_outcome(
            req, _capped_paths(req, 2, mode == "node", time_limit), what, time_limit
        )
        if outcome is None:
            raise _cap_error(req, what, proven=True)
        paths, notes = outcome
    paths.sort(key=lambda p: p.one_way_ms)
    return _protected(req, paths, notes)


def _risk_pair(req: _Request, mode: str, exact: bool | None, time_limit: float) -> RouteResult:
    """SRLG, SRLG+node and country modes: an SRLG-disjoint pair over the mode's risk groups."""
    from corridor.routing.service import arc_systems
    from corridor.routing.srlg import srlg_disjoint_pair  # scipy.sparse loads only when needed

    net = req.net
    cap = req.cons.max_latency_ms
    use_exact = exact if exact is not None else len(net.head) <= SRLG_EXACT_MAX_ARCS
    group_ptr, group_ids = _risk_groups(req, mode)

    def solve(exact_now: bool) -> SrlgPair:
        return srlg_disjoint_pair(
            net.indptr,
            net.head,
            net.weight,
            net.arc_link,
            req.arc_ok,
            req.node_ok,
            req.s,
            req.t,
            group_ptr,
            group_ids,
            exact=exact_now,
            time_limit=time_limit,
            cap=math.inf if cap is None else _kernel_cap(req, cap),
            arc_system=arc_systems(net),
            handoff=float(net.model.handoff_ms),
        )

    found = solve(use_exact)
    if (
        not use_exact
        and found.status == "partial-shared"
        and not math.isinf(found.lower_bound)
        and len(net.head) <= SRLG_EXACT_MAX_ARCS
    ):
        # the heuristic found no disjoint pair, which proves nothing: settle it exactly
        found = solve(True)
    if found.status == "none":
        raise NoRouteError(_explain_no_route(req))
    paths = _paths_from_arrays(req, found.paths)
    notes: list[str] = []
    if found.status == "partial-shared":
        notes = _shared_note(req, paths, mode, none_proven=math.isinf(found.lower_bound))
        if not found.proven:
            notes.append("the least-sharing pair is not proven (heuristic or time limit)")
    elif found.status == "heuristic":
        bound = found.lower_bound - 2 * float(net.site_delay[req.t])
        notes = [
            f"{mode}-disjoint pair found by the heuristic or within the time limit; not proven "
            f"optimal; the total latency is at least {bound:.3f} ms"
        ]
    if _over_cap(req, paths):  # a heuristic answer, or over the cap once its handoffs count
        need = max(p.one_way_ms for p in paths)
        raise _cap_error(req, f"{mode}-disjoint pair", proven=False, need=need)
    paths.sort(key=lambda p: p.one_way_ms)
    return _protected(req, paths, notes)


def _bounded_backup(
    req: _Request, mode: str, cap_ms: float, time_limit: float = 10.0
) -> RouteResult:

    if mode in _RISK_MODES:
        msg = f"the bounded-backup variant supports link and node disjointness, not {mode}"
        raise ConstraintError(msg)
    if not (cap_ms > 0 and math.isfinite(cap_ms)):
        msg = f"backup latency cap must be a positive number of ms, got {cap_ms!r}"
        raise RequestError(msg)
    net = req.net
    # both paths must also meet the common cap: the backup's cap is the smaller one, and the
    # primary found is the fastest with such a backup, so when it breaks the common cap every
    # other pair does too
    if req.cons.max_latency_ms is not None:
        cap_ms = min(cap_ms, req.cons.max_latency_ms)
    if net.model.handoff_ms > 0:
        return _bounded_backup_expected(req, mode, cap_ms, time_limit)
    cap = _kernel_cap(req, cap_ms)
    status, primary, backup, _, _ = bounded_backup(
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        req.arc_ok,
        req.node_ok,
        req.s,
        req.t,
        cap,
        mode == "node",
        MAX_CANDIDATES,
    )
    if status == BACKUP_INFEASIBLE:
        msg = (
            f"no {mode}-disjoint pair from {req.source} to {req.target} has a backup within "
            f"{cap_ms:g} ms one way"
        )
        raise NoRouteError(msg)
    if status == BACKUP_BOUND_REACHED:
        msg = (
            f"no {mode}-disjoint backup within {cap_ms:g} ms found among the {MAX_CANDIDATES} "
            f"fastest primaries from {req.source} to {req.target}; not proven that none exists"
        )
        raise NoRouteError(msg)
    paths = [
        make_path(net, req.s, primary, req.floor_ms),
        make_path(net, req.s, backup, req.floor_ms),
    ]
    if _over_cap(req, paths):
        raise _cap_error(req, f"{mode}-disjoint pair with a bounded backup", proven=True)
    slower = _slower_primary(paths[0], paths[1], cap_ms)
    notes = [f"backup bounded by {cap_ms:g} ms one way", *slower]
    return _protected(req, paths, notes)


def _slower_primary(primary: Path, backup: Path, cap_ms: float) -> list[str]:
    """Say why a bounded backup can be faster than its primary."""
    if primary.one_way_ms <= backup.one_way_ms:
        return []
    return [
        f"the primary is slower than its backup: no faster primary has a disjoint backup within "
        f"{cap_ms:g} ms one way, and this pair's slower path is over that bound"
    ]


def _bounded_backup_expected(
    req: _Request, mode: str, cap_ms: float, time_limit: float
) -> RouteResult:
    """:func:`_bounded_backup` when handoffs count: caps on the expected figure, exactly.

    One integer program (:func:`corridor.routing._capped.capped_disjoint` with per-path caps and
    the primary's latency as the objective, handoffs counted at each site) finds the fastest
    primary, within the common cap, that has a disjoint backup within ``cap_ms``; the backup
    shown is then the one of least expected latency avoiding that primary (the service search
    of :mod:`corridor.routing.service`). Infeasible is a proof that no such pair exists.
    """
    from corridor._kernels.service import service_dijkstra
    from corridor.routing._capped import capped_disjoint
    from corridor.routing.service import _erase_loops, arc_systems, least_expected

    net = req.net
    what = f"{mode}-disjoint pair with a backup within {cap_ms:g} ms one way"
    none = (
        f"no {mode}-disjoint pair from {req.source} to {req.target} has a backup within "
        f"{cap_ms:g} ms one way"
    )
    fastest = least_expected(req)
    if fastest is None or fastest.one_way_ms > cap_ms + 1e-9:
        raise NoRouteError(f"{none} (proven)")
    common = req.cons.max_latency_ms
    systems = arc_systems(net)
    found = capped_disjoint(
        net.indptr, net.head, net.weight, net.arc_link, req.arc_ok, req.node_ok, req.s, req.t,
        2, mode == "node", _kernel_cap(req, cap_ms),
        time_limit=time_limit, arc_system=systems, handoff=float(net.model.handoff_ms),
        path_caps=(_kernel_cap(req, math.inf if common is None else common),
                   _kernel_cap(req, cap_ms)),
        primary_only=True,
    )  # fmt: skip
    if found.status == "infeasible":
        raise NoRouteError(f"{none} (proven)")
    if found.status == "unknown":
        msg = (
            f"no {what} from {req.source} to {req.target} found in the {time_limit:g} s time "
            "limit; not proven that none exists"
        )
        raise NoRouteError(msg)
    primary = make_path(net, req.s, found.paths[0], req.floor_ms)
    arc_ok = req.arc_ok & ~np.isin(net.arc_link, net.arc_link[primary.arcs])
    node_ok = req.node_ok
    if mode == "node":
        node_ok = node_ok.copy()
        node_ok[net.head[primary.arcs[:-1]]] = False
    cost, arcs = service_dijkstra(
        net.indptr, net.head, net.weight, systems, arc_ok, node_ok, req.s, req.t,
        float(net.model.handoff_ms),
    )  # fmt: skip
    backup_arcs = _erase_loops(net, req.s, arcs) if math.isfinite(cost) else found.paths[1]
    backup = make_path(net, req.s, backup_arcs, req.floor_ms)
    notes = [f"backup bounded by {cap_ms:g} ms one way", *_slower_primary(primary, backup, cap_ms)]
    if found.status == "feasible":
        bound = found.bound - float(net.site_delay[req.t])
        notes.append(
            f"time limit of {time_limit:g} s reached: the primary is not proven the fastest; "
            f"it takes at least {bound:.3f} ms"
        )
    return _protected(req, [primary, backup], notes)


def k_disjoint_paths(
    net: Network,
    source: str,
    target: str,
    k: int,
    *,
    mode: str = "link",
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    max_latency_ms: float | None = None,
    time_limit: float = 10.0,
) -> RouteResult:
    """Up to ``k`` pairwise link- or node-disjoint paths of minimum total latency.

    Successive shortest paths (min-cost flow of ``k`` units, Suurballe-Tarjan 1984). Returns
    fewer paths, with a note, when the network has fewer disjoint routes.

    With ``max_latency_ms`` every path must stay under the cap: when the min-total set breaks
    it, the largest number ``j <= k`` of disjoint paths all within the cap, of minimum total
    latency among such sets, comes from an exact MILP (:mod:`corridor.routing._capped`),
    trying ``j`` from the number of disjoint routes down; ``time_limit`` bounds each solve and
    an answer stopped by it says "not proven" with its lower bound.
    """
    check_k(k)
    req = prepare(net, source, target, status=status, avoid=avoid, max_latency_ms=max_latency_ms)
    _check_disjoint_request(req, mode)
    if mode in _RISK_MODES:
        msg = f"k_disjoint_paths supports link and node disjointness; use disjoint_pair for {mode}"
        raise ConstraintError(msg)

    offsets, arcs, _ = k_disjoint(
        net.indptr,
        net.head,
        net.weight,
        net.arc_link,
        req.arc_ok,
        req.node_ok,
        req.s,
        req.t,
        k,
        mode == "node",
    )
    paths = _paths_from(req, offsets, arcs)
    if not paths:
        raise NoRouteError(_explain_no_route(req))
    notes: list[str] = []
    if len(paths) < k:
        notes.append(f"only {len(paths)} {mode}-disjoint path(s) exist (asked for {k})")
    if _over_cap(req, paths):
        check_number(time_limit, "time_limit", unit="s")
        cap = req.cons.max_latency_ms
        for j in range(len(paths), 0, -1):
            what = f"set of {j} {mode}-disjoint paths"
            found = _capped_paths(req, j, mode == "node", time_limit)
            outcome = _capped_outcome(req, found, what, time_limit)
            if outcome is not None:
                paths, extra = outcome
                if j < k:
                    notes.append(
                        f"only {j} {mode}-disjoint path(s) within {cap:g} ms one way exist "
                        f"(asked for {k})"
                    )
                notes.extend(extra)
                break
        else:
            raise NoRouteError(_explain_no_route(req))
    paths.sort(key=lambda p: p.one_way_ms)
    return _protected(req, paths, notes)
