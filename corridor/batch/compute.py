"""Worker side of a batch run: one chunk in, one tidy table out.

A chunk is one latency-model variant x one link status x a slice of failure scenarios x one
route family x a block of OD pairs, described by a plain, picklable ``job`` dict (see
:func:`compute_chunk`). The network is built in the worker from the file paths and model
parameters of the job and cached per process, so nothing heavy is pickled per task.

How routes are found (exact):

* ``k = 1`` without ``via``: one call of the batch Dijkstra kernel
  (:func:`corridor._kernels.dijkstra.dijkstra_many`, the kernel behind
  :func:`corridor.routing.batch_routes`) for all pairs of the chunk, with the family's
  ``avoid`` and the failed elements as masks.
* ``k = 1`` with ``via`` (sites or countries, up to 3): the same kernel on a *layered* copy of
  the graph, one layer per subset of via items already touched (a country is touched by a link
  whose ``countries`` contain it, or by the source site's country; a site by arriving at it),
  from (source, nothing touched) to (target, everything touched). The answer is the fastest
  *walk* meeting the via items; when it is a simple path it is the fastest loopless path
  (every loopless path is such a walk). When it is not simple (a via country touched only by a
  detour, e.g. Ankara -> Hong Kong "via RU" is fastest as a walk with a spur to the Upper Lars
  border post and back), or breaks ``max_hops``, the pair goes to the exact constrained solver
  of :mod:`corridor.routing.constrained` (integer program with lazy cycle cuts), which finds
  the fastest loopless path or proves there is none.
* ``k > 1``: the exact (constrained) k-shortest-paths stream of
  :func:`corridor.routing.iter_shortest_paths` per pair (in order, every parallel-cable
  combination its own path).

Failure scenarios are incremental: a pair whose baseline paths do not touch any failed link or
site keeps them (removing elements cannot create a faster path); only hit pairs are recomputed.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd

from corridor._errors import CorridorError
from corridor._kernels.dijkstra import dijkstra_many
from corridor.latency import LatencyModel
from corridor.network import GEOD, Network, load_network
from corridor.routing import Constraints, Path, constraints, make_path
from corridor.routing._core import _Request
from corridor.routing.constrained import via_cover_bits
from corridor.routing.paths import _iter_paths

__all__ = ["COLUMNS", "compute_chunk", "empty_table", "network_for"]

_NETS: OrderedDict[Any, Network] = OrderedDict()
_LAYERED: OrderedDict[Any, _Layered] = OrderedDict()
_BASE: OrderedDict[Any, list[tuple[list[Path], str]]] = OrderedDict()


def _cache_put(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def network_for(files: Sequence[str | None], model: dict[str, float]) -> Network:
    """The network of ``files`` (sites, links, countries) under ``model``, cached per process."""
    key = (tuple(files), tuple(sorted(model.items())))
    net = _NETS.get(key)
    if net is None:
        net = load_network(files[0], files[1], countries=files[2], model=LatencyModel(**model))
        _cache_put(_NETS, key, net, 4)
    return net


@dataclass(frozen=True)
class _Layered:
    indptr: np.ndarray
    head: np.ndarray
    weight: np.ndarray
    orig_arc: np.ndarray
    init: np.ndarray  # per site: via bits touched by starting there
    layers: int


def _layered(net: Network, via_sites: tuple[str, ...], via_countries: tuple[str, ...]) -> _Layered:
    key = (id(net), via_sites, via_countries)
    hit = _LAYERED.get(key)
    if hit is not None:
        return hit
    n, m = net.n_sites, len(net.head)
    touch, init, full = via_cover_bits(net, via_sites, via_countries, ())
    layers = full + 1
    state = np.arange(layers, dtype=np.int64)
    heads = ((state[:, None] | touch[None, :]) * n + net.head[None, :]).ravel()
    indptr = np.concatenate(
        [(net.indptr[:-1][None, :] + state[:, None] * m).ravel(), [layers * m]]
    ).astype(np.int64)
    orig = np.tile(np.arange(m, dtype=np.int64), layers)
    out = _Layered(indptr, heads, np.ascontiguousarray(net.weight[orig]), orig, init, layers)
    _cache_put(_LAYERED, key, out, 16)
    return out


def _kernel_paths(
    net: Network,
    src: np.ndarray,
    dst: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    via: tuple[tuple[str, ...], tuple[str, ...]],
    floors: np.ndarray,
) -> list[Path | None]:
    """Best path per pair with one kernel call (``None`` = unreachable); may need a check."""
    if not via[0] and not via[1]:
        dist, offsets, arcs = dijkstra_many(
            net.indptr, net.head, net.weight, src, dst, arc_ok, node_ok
        )
        orig = arcs
    else:
        lay = _layered(net, *via)
        n = net.n_sites
        s2 = lay.init[src] * n + src
        t2 = (lay.layers - 1) * n + dst
        dist, offsets, arcs = dijkstra_many(
            lay.indptr, lay.head, lay.weight, s2, t2,
            np.ascontiguousarray(arc_ok[lay.orig_arc]), np.tile(node_ok, lay.layers),
        )  # fmt: skip
        orig = lay.orig_arc[arcs]
    out: list[Path | None] = []
    for i in range(len(src)):
        if not math.isfinite(dist[i]) or src[i] == dst[i]:
            out.append(None)
        else:
            out.append(make_path(net, int(src[i]), orig[offsets[i] : offsets[i + 1]], floors[i]))
    return out


def _exact(
    net: Network,
    s: int,
    t: int,
    job: dict[str, Any],
    cons: Constraints,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    floor: float,
) -> tuple[list[Path], str]:
    """The exact (constrained) k-shortest-paths stream of :mod:`corridor.routing`."""
    look = net.lookup
    req = _Request(
        net=net, source=look.site_id[s], target=look.site_id[t], s=s, t=t, cons=cons,
        arc_ok=arc_ok, node_ok=node_ok, great_circle_km=math.nan, floor_ms=floor,
    )  # fmt: skip
    try:
        paths = list(islice(_iter_paths(req), job["k"]))
    except CorridorError as exc:  # a time limit that stopped the search, said plainly
        return [], str(exc)
    if not paths:
        return [], "no route satisfies the constraints"
    note = ""
    if len(paths) < job["k"]:
        note = f"only {len(paths)} loopless path(s) satisfy the request (asked for {job['k']})"
    return paths, note


def _solve(
    net: Network,
    job: dict[str, Any],
    idx: list[int],
    src: np.ndarray,
    dst: np.ndarray,
    floors: np.ndarray,
    arc_ok: np.ndarray,
    node_ok: np.ndarray,
    cons: Constraints,
    via: tuple[tuple[str, ...], tuple[str, ...]],
) -> dict[int, tuple[list[Path], str]]:
    """Paths and note for the pairs ``idx`` (positions in ``src``/``dst``) under the masks."""
    out: dict[int, tuple[list[Path], str]] = {}
    if not idx:
        return out
    sel = np.array(idx, dtype=np.int64)
    if job["k"] == 1:
        found = _kernel_paths(net, src[sel], dst[sel], arc_ok, node_ok, via, floors[sel])
    else:
        found = [None] * len(idx)
    cap = job["max_latency_ms"]
    for j, i in enumerate(idx):
        s, t = int(src[i]), int(dst[i])
        if not (node_ok[s] and node_ok[t]):
            out[i] = ([], "endpoint excluded by the constraints or failed")
            continue
        path = found[j]
        if job["k"] == 1:
            if path is None:
                out[i] = ([], "no route satisfies the constraints")
                continue
            simple = len(set(path.nodes)) == len(path.nodes)
            hops_ok = job["max_hops"] is None or path.hops <= job["max_hops"]
            if simple and hops_ok:
                if cap is not None and path.one_way_ms > cap + 1e-9:
                    out[i] = (
                        [],
                        f"fastest route exceeds max_rtt_ms ({2 * path.one_way_ms:.1f} ms)",
                    )
                else:
                    out[i] = ([path], "")
                continue
        out[i] = _exact(net, s, t, job, cons, arc_ok, node_ok, float(floors[i]))
    return out


COLUMNS = [
    "scenario", "model", "status", "failure", "failure_kind", "family", "source", "target",
    "rank", "reachable", "rtt_ms", "physical_rtt_ms", "one_way_ms", "length_km",
    "great_circle_km", "floor_rtt_ms",
    "stretch", "hops", "countries", "systems", "path", "note",
    "scenario_index", "family_index", "pair_index",
]  # fmt: skip


def empty_table(flags: Sequence[str]) -> pd.DataFrame:
    return _frame([], [], flags, {"scenario_ids": [], "failures": []}, "")


def _frame(
    core: list[tuple[Any, ...]],
    scen: list[int],
    flags: Sequence[str],
    job: dict[str, Any],
    family: str,
) -> pd.DataFrame:
    cols = [
        "pair_index", "source", "target", "rank", "reachable", "rtt_ms", "physical_rtt_ms",
        "one_way_ms",
        "length_km", "great_circle_km", "floor_rtt_ms", "stretch", "hops", "countries",
        "systems", "path", "note",
    ]  # fmt: skip
    df = (
        pd.DataFrame.from_records(core, columns=cols)
        if core
        else pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    )
    sc = np.asarray(scen, dtype=np.int64)
    fails = job["failures"]
    df["scenario"] = [job["scenario_ids"][i] for i in sc]
    df["model"] = job.get("model_name", "")
    df["status"] = job.get("status", "")
    df["failure"] = [fails[i][0] for i in sc]
    df["failure_kind"] = [fails[i][1] for i in sc]
    df["family"] = family
    df["scenario_index"] = np.asarray(job["scenario_index"], dtype=np.int64)[sc] if len(sc) else sc
    df["family_index"] = job.get("family_index", 0)
    for c in (
        "rtt_ms", "physical_rtt_ms", "one_way_ms", "length_km", "great_circle_km",
        "floor_rtt_ms", "stretch",
    ):  # fmt: skip
        df[c] = pd.array(df[c].to_numpy(dtype=float, na_value=np.nan), dtype="Float64")
        df[c] = df[c].mask(df[c].isna())  # NaN -> <NA>
    df["hops"] = pd.array(df["hops"], dtype="Int64")
    df["rank"] = df["rank"].astype(np.int64)
    df["pair_index"] = df["pair_index"].astype(np.int64)
    df["family_index"] = df["family_index"].astype(np.int64)
    df["reachable"] = df["reachable"].astype(bool)
    for c in ("source", "target", "countries", "systems", "path", "note"):
        df[c] = df[c].astype(object)
    order = [c for c in COLUMNS if c not in ("note",)]
    flag_cols = []
    for cc in flags:
        name = f"crosses_{cc}"
        has = [f">{cc}>" in f">{x}>" for x in df["countries"]]
        df[name] = pd.array(
            [h if r else None for h, r in zip(has, df["reachable"], strict=True)], dtype="boolean"
        )
        flag_cols.append(name)
    pos = order.index("countries") + 1
    order = [*order[:pos], *flag_cols, *order[pos:]]
    order.insert(order.index("path") + 1, "note")
    return df[order]


def compute_chunk(job: dict[str, Any]) -> pd.DataFrame:
    """Compute one chunk; returns its rows (see :data:`COLUMNS`, plus ``crosses_<CC>``).

    ``job`` keys: ``network`` (sites, links, countries paths or None), ``model`` (latency
    parameters), ``model_name``, ``status``, ``avoid`` (global), ``family`` (``name``, ``via``,
    ``avoid``), ``family_index``, ``k``, ``max_latency_ms``, ``max_hops``, ``pairs``
    (``[source id, target id]``), ``pair_index`` (global index of each pair), ``failures``
    (``[name, kind, link ids, site ids]``), ``scenario_ids`` and ``scenario_index`` (per
    failure), ``flags`` (country codes for ``crosses_<CC>``), ``paths`` (keep site sequences).
    """
    net = network_for(job["network"], job["model"])
    fam = job["family"]
    cons = constraints(
        net, status=job["status"], avoid=[*job["avoid"], *fam["avoid"]] or None,
        via=fam["via"] or None,
    )  # fmt: skip
    via = (cons.via_sites, cons.via_countries)
    base_arc = cons.arc_mask(net)
    base_node = cons.node_mask(net)
    pairs = job["pairs"]
    src = np.array([net.site_index(s) for s, _ in pairs], dtype=np.int64)
    dst = np.array([net.site_index(t) for _, t in pairs], dtype=np.int64)
    lon = net.sites.geometry.x.to_numpy()
    lat = net.sites.geometry.y.to_numpy()
    _, _, metres = GEOD.inv(lon[src], lat[src], lon[dst], lat[dst])
    gc_km = np.asarray(metres, dtype=float) / 1000.0
    floors = np.array([net.model.floor_ms(x) for x in gc_km])
    all_idx = list(range(len(pairs)))

    bkey = (
        id(net), job["status"], tuple(job["avoid"]), fam["name"], tuple(fam["via"]),
        tuple(fam["avoid"]), job["k"], job["max_latency_ms"], job["max_hops"],
        tuple(map(tuple, pairs)),
    )  # fmt: skip
    baseline = _BASE.get(bkey)
    if baseline is None:
        solved = _solve(net, job, all_idx, src, dst, floors, base_arc, base_node, cons, via)
        baseline = [solved[i] for i in all_idx]
        _cache_put(_BASE, bkey, baseline, 64)

    look = net.lookup
    keep_paths = job.get("paths", True)
    pair_index = job["pair_index"]

    def rows_for(i: int, paths: list[Path], note: str) -> list[tuple[Any, ...]]:
        s, t = pairs[i]
        if not paths:
            return [(
                pair_index[i], s, t, 1, False, None, None, None, None, float(gc_km[i]),
                2.0 * float(floors[i]), None, None, "", "", "", note or "unreachable",
            )]  # fmt: skip
        return [
            (
                pair_index[i], s, t, r, True, p.rtt_ms, p.physical_rtt_ms, p.one_way_ms,
                p.length_km,
                float(gc_km[i]), 2.0 * float(floors[i]),
                p.stretch if math.isfinite(p.stretch) else None, p.hops, ">".join(p.countries),
                " | ".join(p.systems), " > ".join(p.nodes) if keep_paths else "", note,
            )
            for r, p in enumerate(paths, start=1)
        ]  # fmt: skip

    base_rows = [rows_for(i, *baseline[i]) for i in all_idx]
    base_links = [{lk for p in paths for lk in p.links} for paths, _ in baseline]
    base_nodes = [{v for p in paths for v in p.nodes} for paths, _ in baseline]

    core: list[tuple[Any, ...]] = []
    scen: list[int] = []
    for f, (_name, _kind, links, sites) in enumerate(job["failures"]):
        if not links and not sites:
            for i in all_idx:
                core.extend(base_rows[i])
                scen.extend([f] * len(base_rows[i]))
            continue
        fl, fs = set(links), set(sites)
        hit = []
        end_failed = set()
        for i in all_idx:
            s, t = pairs[i]
            if s in fs or t in fs:
                end_failed.add(i)
            elif baseline[i][0] and (base_links[i] & fl or base_nodes[i] & fs):
                hit.append(i)
        solved = {}
        if hit:
            arc_ok = base_arc.copy()
            if links:
                dead = np.zeros(net.n_links, dtype=bool)
                dead[[net.link_index(x) for x in links]] = True
                arc_ok &= ~dead[net.arc_link]
            node_ok = base_node.copy()
            if sites:
                node_ok[[net.site_index(x) for x in sites]] = False
            solved = _solve(net, job, hit, src, dst, floors, arc_ok, node_ok, cons, via)
        for i in all_idx:
            if i in end_failed:
                rows = rows_for(i, [], "endpoint failed")
            elif i in solved:
                rows = rows_for(i, *solved[i])
            else:
                rows = base_rows[i]
            core.extend(rows)
            scen.extend([f] * len(rows))
    del look
    return _frame(core, scen, job.get("flags", ()), job, fam["name"])
