"""Numba kernels on plain CSR arrays.

Every kernel here takes only NumPy arrays and scalars, never rich objects. The graph is a directed
CSR multigraph:

``indptr`` (int64, n + 1)
    Arcs leaving node ``u`` are ``indptr[u]:indptr[u + 1]``.
``head`` (int64, m)
    Head node of each arc.
``weight`` (float64, m)
    Non-negative arc weight (microseconds or milliseconds; kernels do not care).
``arc_link`` (int64, m)
    Link (edge) index of each arc; both arcs of an undirected link share it, and parallel links keep
    distinct indices.
``arc_ok`` (bool, m) and ``node_ok`` (bool, n)
    Masks of usable arcs and nodes, so constraints never require rebuilding the arrays.

Public wrappers in :mod:`corridor.routing` validate input and call these kernels.
"""

from corridor._kernels.dijkstra import dijkstra, dijkstra_many, path_arcs
from corridor._kernels.disjoint import bounded_backup, k_disjoint, min_shared_pair
from corridor._kernels.ksp import ksp

__all__ = [
    "bounded_backup",
    "dijkstra",
    "dijkstra_many",
    "k_disjoint",
    "ksp",
    "min_shared_pair",
    "path_arcs",
]
