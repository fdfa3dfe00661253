"""Seeded benchmark graphs for the kernels (CSR arrays plus scipy / igraph / networkx peers).

The reference workload is a Delaunay triangulation of ``n`` uniform random points in
lon 0..120, lat 30..55 (a stand-in for a continental fiber mesh), undirected, with planar
Euclidean edge lengths as weights; source = westmost point, target = eastmost point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.spatial import Delaunay

__all__ = ["CSRGraph", "delaunay_graph", "random_graph", "to_igraph", "to_networkx"]


@dataclass
class CSRGraph:
    """CSR arrays in the :mod:`corridor._kernels` convention plus peer representations."""

    indptr: np.ndarray
    head: np.ndarray
    weight: np.ndarray
    arc_link: np.ndarray
    arc_ok: np.ndarray
    node_ok: np.ndarray
    tail: np.ndarray
    csr: sp.csr_matrix
    points: np.ndarray | None
    source: int
    target: int
    #: Undirected links ``(u, v, w)`` with ``u < v`` (one per link), for igraph / networkx.
    links: np.ndarray

    @property
    def n(self) -> int:
        return self.indptr.shape[0] - 1

    def csr_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(indptr, head, weight)`` of :attr:`csr` itself: int32 indices as scipy uses them.

        Passing these very arrays to our kernels and to scipy gives both the same graph, the same
        index width and the same memory (so neither side finds the other's arrays in cache).
        """
        return self.csr.indptr, self.csr.indices, self.csr.data

    @property
    def m(self) -> int:
        return self.head.shape[0]


def _from_arcs(n, tails, heads, weights, links, arc_link, points, source, target) -> CSRGraph:
    order = np.lexsort((heads, tails))
    tails = tails[order]
    heads = heads[order]
    weights = weights[order]
    arc_link = arc_link[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tails + 1, 1)
    indptr = np.cumsum(indptr)
    # int32 indices, as scipy.sparse.csgraph converts them anyway (our kernels accept both).
    csr = sp.csr_matrix(
        (weights.astype(np.float64), heads.astype(np.int32), indptr.astype(np.int32)), shape=(n, n)
    )
    return CSRGraph(
        indptr=indptr,
        head=heads.astype(np.int64),
        weight=weights.astype(np.float64),
        arc_link=arc_link.astype(np.int64),
        arc_ok=np.ones(heads.shape[0], dtype=np.bool_),
        node_ok=np.ones(n, dtype=np.bool_),
        tail=tails.astype(np.int64),
        csr=csr,
        points=points,
        source=int(source),
        target=int(target),
        links=links,
    )


def delaunay_graph(n_points: int, seed: int = 0) -> CSRGraph:
    """Undirected Delaunay graph of ``n_points`` seeded points (both arcs of every link)."""
    rng = np.random.default_rng(seed)
    pts = np.column_stack([rng.uniform(0.0, 120.0, n_points), rng.uniform(30.0, 55.0, n_points)])
    tri = Delaunay(pts)
    ip, nb = tri.vertex_neighbor_vertices
    rows = np.repeat(np.arange(n_points), np.diff(ip))
    mask = rows < nb
    u = rows[mask].astype(np.int64)
    v = nb[mask].astype(np.int64)
    w = np.hypot(pts[u, 0] - pts[v, 0], pts[u, 1] - pts[v, 1])
    link = np.arange(u.shape[0], dtype=np.int64)
    links = np.column_stack([u, v, w])
    tails = np.concatenate([u, v])
    heads = np.concatenate([v, u])
    weights = np.concatenate([w, w])
    arc_link = np.concatenate([link, link])
    return _from_arcs(
        n_points,
        tails,
        heads,
        weights,
        links,
        arc_link,
        pts,
        int(np.argmin(pts[:, 0])),
        int(np.argmax(pts[:, 0])),
    )


def random_graph(n: int, m: int, seed: int = 0) -> CSRGraph:
    """Directed random graph with ``m`` arcs (duplicates summed away), uniform weights."""
    rng = np.random.default_rng(seed)
    r = rng.integers(0, n, m)
    c = rng.integers(0, n, m)
    w = rng.random(m)
    g = sp.csr_matrix((w, (r, c)), shape=(n, n))
    g.sum_duplicates()
    g.sort_indices()
    indptr = g.indptr.astype(np.int64)
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    heads = g.indices.astype(np.int64)
    links = np.column_stack([tails, heads, g.data])
    return _from_arcs(
        n, tails, heads, g.data.copy(), links, np.arange(heads.shape[0]), None, 0, n - 1
    )


def to_igraph(g: CSRGraph, directed: bool = False):
    """igraph graph: the undirected links (or all arcs when ``directed``), weights in ``"w"``."""
    import igraph

    if directed:
        edges = np.column_stack([g.tail, g.head])
        w = g.weight
    else:
        edges = g.links[:, :2].astype(np.int64)
        w = g.links[:, 2]
    ig = igraph.Graph(n=g.n, edges=edges.tolist(), directed=directed)
    ig.es["w"] = w.tolist()
    return ig


def to_networkx(g: CSRGraph):
    """Undirected networkx graph of the links with edge attribute ``"w"``."""
    import networkx as nx

    nxg = nx.Graph()
    nxg.add_nodes_from(range(g.n))
    nxg.add_weighted_edges_from(((int(u), int(v), float(w)) for u, v, w in g.links), weight="w")
    return nxg
