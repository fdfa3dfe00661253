"""Atomic file output: a reader sees the old file or the new one, never a half-written one.

Every file corridor writes for a user (maps, CSV tables, reports) goes through
:func:`write_atomic`: the content is written to a temporary file in the target's folder, flushed
to disk, given the old file's permissions, and moved over the target with :func:`os.replace`.
A failure leaves the previous file untouched and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from corridor._errors import CorridorError, RequestError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["replace_atomically", "write_atomic", "write_csv_atomic"]


def replace_atomically(
    path: str | os.PathLike[str],
    write: Callable[[Path], object],
    *,
    what: str = "file",
    error: type[CorridorError] = RequestError,
) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it over ``path``.

    For writers that want a file name (``DataFrame.to_parquet``, ``Figure.savefig``). Parent
    folders are created; the new file keeps the old one's permissions.

    Raises
    ------
    CorridorError
        ``error`` with one line naming ``what``, the path and the reason, when writing fails.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        msg = f"cannot write {what} {target}: {exc.strerror or exc}"
        raise error(msg) from exc
    try:
        write(Path(tmp))
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            msg = f"cannot write {what} {target}: {exc.strerror or exc}"
            raise error(msg) from exc
        raise
    return target


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes,
    *,
    what: str = "file",
    error: type[CorridorError] = RequestError,
) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically, flushed to disk."""
    payload = data.encode("utf-8") if isinstance(data, str) else data

    def write(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())

    return replace_atomically(path, write, what=what, error=error)


def write_csv_atomic(path: str | os.PathLike[str], frame: pd.DataFrame) -> Path:
    """Write a table as CSV (no index) atomically."""
    return write_atomic(path, frame.to_csv(index=False, lineterminator="\n"), what="CSV file")
