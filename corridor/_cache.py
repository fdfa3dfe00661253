"""On-disk cache of built networks.

Building the shipped network reads three GeoJSON files, measures every link geodesically and
overlays the country borders; that, and importing geopandas to do it, is most of what a one-off
``corridor route`` would otherwise spend. A built :class:`~corridor.network.Network` is pickled
under a key that covers everything its content depends on:

* the bytes of every input file (with a Shapefile's sidecar files, or a folder's contents);
* the latency model and the snapping tolerance;
* the source of the modules that build networks, and the versions of the libraries they call.

A stale entry is therefore never found, only orphaned. The folder is
``$CORRIDOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridor``, else ``~/.cache/corridor``; setting
``CORRIDOR_CACHE_DIR`` to ``off`` (or an empty string) disables the cache. Entries are written
atomically; an unreadable or corrupt entry is ignored and rebuilt, and a read-only folder only
means nothing is cached. The newest :data:`KEEP` entries are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from corridor._atomic import write_atomic
from corridor._errors import CorridorError

T = TypeVar("T")

__all__ = ["KEEP", "cache_dir", "cache_key", "load", "store"]

#: Bumped whenever the pickled layout of a network changes.
FORMAT = 1
#: How many cached networks are kept (the least recently written are removed).
KEEP = 16
_BUILDERS = ("network.py", "io.py", "latency.py", "datasets.py", "_cache.py")
_LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio")
_OFF = {"", "0", "off", "no", "false", "none"}


def cache_dir() -> Path | None:
    """Folder of the cache, or None when it is disabled."""
    value = os.environ.get("CORRIDOR_CACHE_DIR")
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "corridor"


def _related(path: Path) -> list[Path]:
    """The files whose bytes define a data source: a folder's files, or a file and its sidecars."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    siblings = [p for p in path.parent.glob(f"{path.stem}.*") if p.is_file()]
    return sorted({path, *siblings})


def cache_key(inputs: Sequence[Path], params: str) -> str | None:
    """Hex digest naming a network built from ``inputs`` with ``params``; None if unreadable."""
    from corridor import __version__

    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{params}".encode())
    package = Path(__file__).resolve().parent
    try:
        for name in _BUILDERS:
            digest.update((package / name).read_bytes())
        for lib in _LIBRARIES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                digest.update(f"{lib}={metadata.version(lib)}".encode())
        for source in inputs:
            for path in _related(Path(source)):
                digest.update(b"\0" + path.name.encode() + b"\0")
                digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / "networks" / f"{key}.pickle"


def load(key: str | None, expected: type[T]) -> T | None:
    """The cached object of type ``expected`` (a Network) for ``key``, or None when absent,
    disabled, unreadable or of another type."""
    path = _entry(key) if key else None
    if path is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        net = pickle.loads(blob)  # written by store() under a content hash
    except Exception:  # a corrupt entry is only a cache miss
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return net if isinstance(net, expected) else None


def store(key: str | None, net: object) -> None:
    """Cache ``net`` (a Network) under ``key``; quietly nothing when the folder is unwritable."""
    path = _entry(key) if key else None
    if path is None:
        return
    blob = pickle.dumps(net, protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(CorridorError, OSError):
        write_atomic(path, blob, what="network cache")
        entries = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink()
