"""Numba kernels on plain CSR arrays.

Every kernel here takes only NumPy arrays and scalars, never rich objects. The graph is a directed
CSR multigraph:

``indptr`` (int64 or int32, n + 1)
    Arcs leaving node ``u`` are ``indptr[u]:indptr[u + 1]``.
``head`` (int64 or int32, m)
    Head node of each arc. The Dijkstra and disjoint-path kernels accept int32 CSR arrays too
    (numba compiles a variant per dtype) with identical results; the Network stores int64.
``weight`` (float64, m)
    Non-negative arc weight (microseconds or milliseconds; kernels do not care).
``arc_link`` (int64, m)
    Link (edge) index of each arc; both arcs of an undirected link share it, and parallel links keep
    distinct indices.
``arc_ok`` (bool, m) and ``node_ok`` (bool, n)
    Masks of usable arcs and nodes, so constraints never require rebuilding the arrays.

Public wrappers in :mod:`corridor.routing` validate input and call these kernels.
"""

import contextlib
import hashlib
from pathlib import Path


def _drop_stale_caches() -> None:
    """Delete numba's on-disk caches when any kernel source changed.

    numba keys a cached function on its own file only: a kernel that calls a kernel from another
    file keeps its old compiled code after that file changes (after an upgrade, say), which can
    give wrong answers. A digest of every package file that defines kernels is stamped beside the
    caches; when it differs, the caches of the package are dropped and rebuilt on first use.
    Read-only installs are left alone.
    """
    package = Path(__file__).resolve().parent.parent
    sources = sorted(p for p in package.rglob("*.py") if "@njit" in p.read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    stamp = Path(__file__).resolve().parent / "__pycache__" / "corridor-kernels.stamp"
    with contextlib.suppress(OSError):
        if stamp.is_file() and stamp.read_text() == digest.hexdigest():
            return
        for cached in package.rglob("__pycache__/*.nb[ic]"):
            cached.unlink()
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(digest.hexdigest())


_drop_stale_caches()

from corridor._kernels.dijkstra import dijkstra, dijkstra_many, path_arcs  # noqa: E402
from corridor._kernels.disjoint import bounded_backup, k_disjoint, min_shared_pair  # noqa: E402
from corridor._kernels.ksp import ksp  # noqa: E402

__all__ = [
    "bounded_backup",
    "dijkstra",
    "dijkstra_many",
    "k_disjoint",
    "ksp",
    "min_shared_pair",
    "path_arcs",
]
