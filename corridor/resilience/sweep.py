"""Failure sweeps: every scenario of a family against every OD pair.

For each scenario (see :mod:`corridor.resilience.scenarios`) and each OD pair the sweep answers:
is the pair still connected, what is its new best one-way / round-trip latency (the network
reroutes onto the best surviving path, i.e. full restoration), how much worse is that than the
baseline, and does an RTT service-level bound still hold.

The work is done in numba (:mod:`corridor.resilience._kernel`): masks are edited in place per
scenario and each distinct source grows one shortest-path tree that serves all its targets.
By default the sweep is *incremental*: only pairs whose baseline route uses a failed link or
site are recomputed; the others keep their baseline answer, which is exact because removing
elements cannot shorten any path. ``incremental=False`` recomputes everything (the reference).

Latencies are those of :func:`corridor.routing.shortest_path` for the same pair and failures:
the search minimises the arc weights and the handoff delay of each change of system along the
path found is added to it (``rtt_ms``, expected), with ``physical_rtt_ms`` beside it. So a
failure can *lower* a pair's expected RTT (``rtt_increase_ms`` < 0) when the surviving route
changes system less often; the SLA check uses ``rtt_ms``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridor._dask import check_engine
from corridor._errors import NoRouteError, RequestError
from corridor._kernels.dijkstra import dijkstra_many
from corridor.network import Network
from corridor.resilience._kernel import path_figures, sweep_kernel
from corridor.resilience.scenarios import Scenario, build_scenarios
from corridor.routing import constraints
from corridor.routing.paths import arc_figures

__all__ = ["SweepResult", "default_pairs", "sweep"]

#: Scenarios handed to the kernel per call (the progress callback fires between chunks).
CHUNK = 64


def default_pairs(
    net: Network,
    *,
    west: Collection[str] = ("europe",),
    east: Collection[str] = ("china", "east_asia"),
    kinds: Collection[str] = ("city",),
) -> list[tuple[str, str]]:
    """The default OD set: every city in ``west`` regions x every city in ``east`` regions.

    With the shipped data (regions as in ``data/geo/README.md``: "European cities" = region
    ``europe``, "East Asian cities" = regions ``china`` + ``east_asia``) this is 32 x 23 = 736
    pairs. Pairs are ordered (west, east); latencies are symmetric so the reverse is not added.
    """
    sites = net.sites
    region = sites["region"].fillna("").astype(str)
    is_kind = sites["kind"].isin(list(kinds))
    w = sites.loc[is_kind & region.isin(list(west)), "id"].tolist()
    e = sites.loc[is_kind & region.isin(list(east)), "id"].tolist()
    return [(a, b) for a in w for b in e if a != b]


@dataclass(frozen=True)
class SweepResult:
    """Answer of :func:`sweep`.

    Attributes
    ----------
    table
        One row per scenario x OD pair: ``scenario``, ``kind``, ``source``, ``target``, ``hit``
        (the baseline route uses a failed element), ``endpoint_failed``, ``connected``,
        ``one_way_ms``, ``rtt_ms`` (expected, handoffs of the path found included),
        ``physical_rtt_ms``, ``baseline_rtt_ms``, ``rtt_increase_ms`` (negative when the
        surviving route is faster as a service) and, when an SLA was given, ``sla_ok`` (on
        ``rtt_ms``). Latency columns are nullable ``Float64``: a disconnected pair has
        ``<NA>`` there (never ``inf`` or ``NaN``); records and JSON show ``None``.
    baseline
        One row per OD pair: ``source``, ``target``, ``one_way_ms``, ``rtt_ms`` (expected, as
        :func:`corridor.routing.shortest_path` reports it), ``physical_rtt_ms``, ``hops``,
        ``links`` (tuple of link ids of the baseline route).
    scenarios
        The scenarios swept, in table order.
    sla_rtt_ms
        The RTT bound, if any.
    stats
        ``scenarios``, ``pairs``, ``rows``, ``pairs_recomputed`` (shortest-path queries
        answered by the kernel), ``incremental``.
    """

    table: pd.DataFrame
    baseline: pd.DataFrame
    scenarios: tuple[Scenario, ...]
    sla_rtt_ms: float | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Per scenario: pairs hit, disconnected, endpoint failures, SLA misses, RTT increase.

        Columns ``scenario``, ``kind``, ``pairs_hit``, ``pairs_disconnected`` (a route existed
        and none survives; endpoint failures excluded), ``pairs_endpoint_failed``,
        ``sla_violations`` (connected pairs over the SLA, when one was given),
        ``total_rtt_increase_ms`` and ``max_rtt_increase_ms`` (over connected pairs), sorted
        worst first: most disconnected, then largest total increase.
        """
        t = self.table
        inc = t["rtt_increase_ms"].fillna(0.0).astype(float)
        frame = pd.DataFrame(
            {
                "scenario": t["scenario"],
                "kind": t["kind"],
                "hit": t["hit"],
                "disc": (~t["connected"]) & (~t["endpoint_failed"]),
                "endp": t["endpoint_failed"],
                "inc": inc,
                "sla": (~t["sla_ok"].fillna(True).astype(bool)) & t["connected"]
                if "sla_ok" in t
                else False,
            }
        )
        g = frame.groupby(["scenario", "kind"], sort=False, observed=True)
        out = pd.DataFrame(
            {
                "pairs_hit": g["hit"].sum().astype(int),
                "pairs_disconnected": g["disc"].sum().astype(int),
                "pairs_endpoint_failed": g["endp"].sum().astype(int),
                "sla_violations": g["sla"].sum().astype(int),
                "total_rtt_increase_ms": g["inc"].sum().round(4),
                "max_rtt_increase_ms": g["inc"].max().round(4),
            }
        ).reset_index()
        out = out.sort_values(
            ["pairs_disconnected", "total_rtt_increase_ms", "scenario"],
            ascending=[False, False, True],
            kind="mergesort",
        ).reset_index(drop=True)
        out.insert(0, "rank", np.arange(1, len(out) + 1))
        return out

    def worst(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` worst scenarios of :meth:`summary` that hurt at least one pair."""
        s = self.summary()
        s = s[
            (s["pairs_disconnected"] > 0)
            | (s["total_rtt_increase_ms"] > 0)
            | (s["pairs_endpoint_failed"] > 0)
        ]
        return s.head(n).reset_index(drop=True)

    def criticality(self) -> pd.DataFrame:
        """Element criticality ranking: :meth:`summary` (for a ``"links"`` sweep, per link)."""
        return self.summary()

    def stranded(self) -> pd.DataFrame:
        """Rows where a pair is left without any route (endpoint failures excluded)."""
        t = self.table
        return t[(~t["connected"]) & (~t["endpoint_failed"])].reset_index(drop=True)

    def pair_summary(self) -> pd.DataFrame:
        """Per OD pair: scenarios that hit it, disconnect it, its worst RTT increase and cause."""
        t = self.table
        disc = (~t["connected"]) & (~t["endpoint_failed"])
        inc = t["rtt_increase_ms"].fillna(-1.0).astype(float)
        rows = []
        for (s, d), idx in t.groupby(
            ["source", "target"], sort=False, observed=True
        ).groups.items():
            sub_inc = inc.loc[idx]
            worst = sub_inc.idxmax() if len(sub_inc) else None
            has = worst is not None and sub_inc.loc[worst] > 0
            rows.append(
                {
                    "source": s,
                    "target": d,
                    "scenarios_hit": int(t.loc[idx, "hit"].sum()),
                    "scenarios_disconnecting": int(disc.loc[idx].sum()),
                    "worst_rtt_increase_ms": round(float(sub_inc.loc[worst]), 4) if has else 0.0,
                    "worst_scenario": t.at[worst, "scenario"] if has else None,
                }
            )
        base = self.baseline[["source", "target", "rtt_ms"]].rename(
            columns={"rtt_ms": "baseline_rtt_ms"}
        )
        return base.merge(pd.DataFrame(rows), on=["source", "target"], how="left")

    def records(self) -> list[dict[str, Any]]:
        """Table rows as dictionaries with ``None`` for missing latencies."""
        return _records(self.table)

    def to_dict(self, *, rows: bool = False, top: int = 20) -> dict[str, Any]:
        """JSON-ready summary (``rows=True`` adds every scenario x pair row)."""
        data: dict[str, Any] = {
            "stats": dict(self.stats),
            "sla_rtt_ms": self.sla_rtt_ms,
            "baseline": _records(self.baseline.assign(links=self.baseline["links"].map(list))),
            "worst_scenarios": _records(self.worst(top)),
            "stranded": _records(
                self.stranded()[["scenario", "kind", "source", "target", "baseline_rtt_ms"]]
            ),
        }
        if rows:
            data["rows"] = self.records()
        return data


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for k, v in rec.items():
            if v is pd.NA or (isinstance(v, float) and not math.isfinite(v)):
                clean[k] = None
            elif isinstance(v, np.generic):
                clean[k] = v.item()
            else:
                clean[k] = v
        out.append(clean)
    return out


def _labels(values: list[str], codes: np.ndarray) -> pd.Categorical | np.ndarray:
    """``values[codes]`` as a categorical (fast for millions of rows) or plain strings."""
    uniq = list(dict.fromkeys(values))
    if len(uniq) == len(values):
        return pd.Categorical.from_codes(codes, categories=uniq)
    lookup = {v: i for i, v in enumerate(uniq)}
    remap = np.array([lookup[v] for v in values], dtype=np.int64)
    return pd.Categorical.from_codes(remap[codes], categories=uniq)


def _nullable(values: np.ndarray) -> pd.arrays.FloatingArray:
    finite = np.isfinite(values)
    return pd.arrays.FloatingArray(
        np.where(finite, values, 0.0).astype(np.float64, copy=False), ~finite
    )


def _resolve_pairs(net: Network, pairs: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2:
            msg = f"an OD pair must be (source, target), got {pair!r}"
            raise RequestError(msg)
        s = net.site_index(net.resolve_site(pair[0]))
        t = net.site_index(net.resolve_site(pair[1]))
        if s == t:
            msg = f"OD pair ({pair[0]!r}, {pair[1]!r}) names the same site twice"
            raise RequestError(msg)
        if (s, t) not in seen:
            seen.add((s, t))
            out.append((s, t))
    if not out:
        msg = "no OD pairs to sweep"
        raise RequestError(msg)
    return out


def _csr(groups: Sequence[Sequence[int] | np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(groups) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(g) for g in groups])
    flat = np.fromiter((x for g in groups for x in g), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


def _sweep_local(
    net: Network,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    dist: np.ndarray,
    phys: np.ndarray,
    routes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    scen: Sequence[Scenario],
    incremental: bool,
    progress: Callable[[int, int], None] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The scenarios in this process, ``CHUNK`` per kernel call (progress between calls)."""
    pl_ptr, pl, pn_ptr, pn = routes
    k, q = len(scen), len(src)
    out = np.empty((k, q), dtype=np.float64)
    out_phys = np.empty((k, q), dtype=np.float64)
    arc_code, arc_excess = arc_figures(net)
    hit = np.zeros((k, q), dtype=bool)
    endpoint = np.zeros((k, q), dtype=bool)
    for start in range(0, k, CHUNK):
        chunk = scen[start : start + CHUNK]
        sl_ptr, sl = _csr([sc.links for sc in chunk])
        sn_ptr, sn = _csr([sc.sites for sc in chunk])
        block = slice(start, start + len(chunk))
        out[block], out_phys[block], hit[block], endpoint[block] = sweep_kernel(
            net.indptr, net.head, net.weight, net.arc_link, arc_ok, node_ok, src, dst,
            arc_code, arc_excess, net.model.handoff_ms, dist, phys,
            pl_ptr, pl, pn_ptr, pn, sl_ptr, sl, sn_ptr, sn, incremental,
        )  # fmt: skip
        if progress is not None:
            progress(min(start + CHUNK, k), k)
    if progress is not None and k == 0:
        progress(0, 0)
    return out, out_phys, hit, endpoint


def sweep(
    net: Network,
    pairs: Iterable[tuple[str, str]] | None = None,
    *,
    scenarios: str | Iterable[str | Sequence[str] | Scenario] = "links",
    status: str | Collection[str] = "existing",
    avoid: str | Iterable[str] | None = None,
    sla_rtt_ms: float | None = None,
    incremental: bool = True,
    unreachable: str = "raise",
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    chunks: int | None = None,
) -> SweepResult:
    """Fail each scenario in turn and re-answer every OD pair.

    Parameters
    ----------
    net
        The network.
    pairs
        ``(source, target)`` sites by id or name; default :func:`default_pairs`.
    scenarios
        ``"links"``, ``"srlgs"``, ``"countries"``, ``"sites"``, ``"link-pairs"`` or an
        explicit list (see :mod:`corridor.resilience.scenarios`).
    status, avoid
        Base constraints, as in :func:`corridor.routing.shortest_path`.
    sla_rtt_ms
        Round-trip bound; adds the ``sla_ok`` column.
    incremental
        Recompute only pairs whose baseline route a scenario hits (exact, default), or every
        pair (reference).
    unreachable
        What to do with an OD pair that has no route even before any failure: ``"raise"``
        (:class:`~corridor.NoRouteError`) or ``"drop"`` (leave it out; ``stats`` lists it).
    progress
        Called as ``progress(done, total)`` scenarios after each chunk.
    scheduler, dask_local
        Run the scenarios on dask.distributed: the address of an existing scheduler
        (``"tcp://host:port"``), or a loopback LocalCluster of ``dask_local`` worker processes
        (see :mod:`corridor.resilience._distributed`). The answers are identical to one
        process; it pays on sweeps of a minute or more (starting a local cluster costs a few
        seconds, and the table is still built on this process).
    chunks
        Number of scenario chunks on dask (default 8 per worker, of about equal estimated cost).

    Returns
    -------
    SweepResult

    Raises
    ------
    UnknownSiteError
        For an unknown site or failure element.
    RequestError
        For a bad SLA, an unknown scenario family or an empty pair list.
    NoRouteError
        For an OD pair with no route at all (``unreachable="raise"``).
    """
    if sla_rtt_ms is not None and not (sla_rtt_ms > 0 and math.isfinite(sla_rtt_ms)):
        msg = f"SLA round-trip bound must be a positive number of ms, got {sla_rtt_ms!r}"
        raise RequestError(msg)
    distributed = check_engine(scheduler, dask_local)
    if chunks is not None and (isinstance(chunks, bool) or int(chunks) < 1):
        msg = f"chunks must be a positive number, got {chunks!r}"
        raise RequestError(msg)
    if unreachable not in ("raise", "drop"):
        msg = f"unreachable must be 'raise' or 'drop', got {unreachable!r}"
        raise RequestError(msg)
    od = _resolve_pairs(net, default_pairs(net) if pairs is None else pairs)
    cons = constraints(net, status=status, avoid=avoid)
    arc_ok = np.ascontiguousarray(cons.arc_mask(net), dtype=np.bool_)
    node_ok = np.ascontiguousarray(cons.node_mask(net), dtype=np.bool_)
    look = net.lookup
    src = np.array([s for s, _ in od], dtype=np.int64)
    dst = np.array([t for _, t in od], dtype=np.int64)
    dist, offsets, arcs = dijkstra_many(net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok)
    dropped = []
    bad = np.flatnonzero(~np.isfinite(dist))
    if len(bad):
        if unreachable == "raise":
            s, t = od[int(bad[0])]
            msg = (
                f"OD pair {look.site_id[s]} -> {look.site_id[t]} has no route at all with the "
                f"given status/avoid constraints ({len(bad)} such pair(s))"
            )
            raise NoRouteError(msg)
        dropped = [(look.site_id[od[i][0]], look.site_id[od[i][1]]) for i in bad]
        keep = np.flatnonzero(np.isfinite(dist))
        if not len(keep):
            msg = "no OD pair has a route with the given status/avoid constraints"
            raise NoRouteError(msg)
        od = [od[i] for i in keep]
        src, dst = src[keep], dst[keep]
        dist, offsets, arcs = dijkstra_many(
            net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok
        )
    path_links = [net.arc_link[arcs[offsets[i] : offsets[i + 1]]] for i in range(len(od))]
    path_nodes = [
        np.concatenate([[src[i]], net.head[arcs[offsets[i] : offsets[i + 1]]]])
        for i in range(len(od))
    ]
    arc_code, arc_excess = arc_figures(net)
    dist, phys = path_figures(dist, offsets, arcs, arc_code, arc_excess, net.model.handoff_ms)
    used = {int(li) for p in path_links for li in p}
    scen = build_scenarios(net, scenarios, arc_ok=arc_ok, node_ok=node_ok, used_links=used)
    for sc in scen:
        if any(not 0 <= i < net.n_links for i in sc.links) or any(
            not 0 <= v < net.n_sites for v in sc.sites
        ):
            msg = f"scenario {sc.name!r} has link or site indices outside the network"
            raise RequestError(msg)
    pl_ptr, pl = _csr(path_links)
    pn_ptr, pn = _csr(path_nodes)
    q, k = len(od), len(scen)
    engine: dict[str, Any] = {"engine": "local"}
    if distributed:
        from corridor.resilience._distributed import sweep_distributed

        payload = {
            "indptr": net.indptr, "head": net.head, "weight": net.weight,
            "arc_link": net.arc_link, "arc_ok": arc_ok, "node_ok": node_ok, "src": src,
            "dst": dst, "arc_code": arc_code, "arc_excess": arc_excess,
            "handoff_ms": np.array([net.model.handoff_ms]), "dist": dist, "phys": phys,
            "pl_ptr": pl_ptr, "pl": pl, "pn_ptr": pn_ptr, "pn": pn,
        }  # fmt: skip
        out, out_phys, hit, endpoint, engine = sweep_distributed(
            payload, scen, n_links=net.n_links, incremental=incremental, scheduler=scheduler,
            dask_local=dask_local, chunks=chunks, progress=progress,
        )  # fmt: skip
    else:
        out, out_phys, hit, endpoint = _sweep_local(
            net, arc_ok, node_ok, src, dst, dist, phys, (pl_ptr, pl, pn_ptr, pn), scen, incremental,
            progress,
        )  # fmt: skip
    delay_t = net.site_delay[dst]
    base_ow = dist - delay_t
    base_rtt = 2.0 * base_ow
    base_phys = 2.0 * (phys - delay_t)
    ow = out - delay_t[None, :]
    rtt = 2.0 * ow
    phys_rtt = 2.0 * (out_phys - delay_t[None, :])
    del out_phys
    connected = np.isfinite(out)
    inc = rtt - base_rtt[None, :]
    # float noise of rerouting onto an equal path is 0; a genuine decrease (a surviving route
    # with fewer handoffs) stays negative
    inc = np.where(np.abs(inc) < 1e-9, 0.0, inc)
    inc = np.where(connected, inc, np.inf)
    names = [sc.name for sc in scen]
    kinds = [sc.kind for sc in scen]
    sid = np.array(look.site_id, dtype=object)
    table = pd.DataFrame(
        {
            "scenario": _labels(names, np.repeat(np.arange(k), q)),
            "kind": _labels(kinds, np.repeat(np.arange(k), q)),
            "source": _labels(list(sid[src]), np.tile(np.arange(q), k)),
            "target": _labels(list(sid[dst]), np.tile(np.arange(q), k)),
            "hit": hit.ravel(),
            "endpoint_failed": endpoint.ravel(),
            "connected": connected.ravel(),
            "one_way_ms": _nullable(ow.ravel()),
            "rtt_ms": _nullable(rtt.ravel()),
            "physical_rtt_ms": _nullable(phys_rtt.ravel()),
            "baseline_rtt_ms": np.tile(base_rtt, k),
            "rtt_increase_ms": _nullable(inc.ravel()),
        },
        copy=False,  # every column is a fresh array: no need for pandas to copy 10^7 rows again
    )
    if sla_rtt_ms is not None:
        ok = connected.ravel() & (rtt.ravel() <= sla_rtt_ms + 1e-9)
        table["sla_ok"] = ok
    baseline = pd.DataFrame(
        {
            "source": sid[src],
            "target": sid[dst],
            "one_way_ms": base_ow,
            "rtt_ms": base_rtt,
            "physical_rtt_ms": base_phys,
            "hops": [len(p) for p in path_links],
            "links": [tuple(look.link_id[int(li)] for li in p) for p in path_links],
        }
    )
    if sla_rtt_ms is not None:
        baseline["sla_ok"] = base_rtt <= sla_rtt_ms + 1e-9
    stats = {
        "scenarios": k,
        "pairs": q,
        "rows": k * q,
        "pairs_recomputed": int(hit.sum()) if incremental else k * q,
        "incremental": incremental,
        "dropped_unreachable_pairs": [list(p) for p in dropped],
        **engine,
    }
    return SweepResult(table, baseline, tuple(scen), sla_rtt_ms, stats)
