"""An exclusive lock on an output folder, so two runs never write into the same one.

:class:`FolderLock` holds an advisory lock (``fcntl.flock``) on ``FOLDER/.corridor.lock`` and
writes the holder (pid, host, start time, command) into that file. The operating system drops
the lock when the holding process ends, however it ends (crash, SIGKILL, OOM killer), so a lock
left behind by a dead run is simply taken over by the next one: there is no stale-lock state to
clean by hand. A second run that finds the lock held raises :class:`FolderLockedError` naming
the holder.

The lock file lives in the folder itself; forked worker processes inherit the lock, so it is
held until the last process that could still write into the folder is gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from corridor._errors import RequestError

__all__ = ["LOCK_NAME", "FolderLock", "FolderLockedError", "holder_text"]

#: Name of the lock file inside the locked folder.
LOCK_NAME = ".corridor.lock"


class FolderLockedError(RequestError):
    """The folder is locked by another running corridor process."""


def holder_text(info: dict[str, Any]) -> str:
    """``pid 123 on host x, started 2026-01-01 10:00:00 UTC`` from a lock file's content."""
    started = info.get("started")
    when = (
        time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(float(started)))
        if isinstance(started, int | float)
        else "at an unknown time"
    )
    return f"pid {info.get('pid', '?')} on host {info.get('host', '?')}, started {when}"


def _read_info(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 65536).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class FolderLock:
    """Exclusive lock on ``folder`` (created if needed) while the context is open.

    Raises
    ------
    FolderLockedError
        When another live process holds the lock (the message names it).
    RequestError
        When the folder cannot be created or written (read-only place, not a folder).
    """

    def __init__(self, folder: str | os.PathLike[str], *, what: str = "output folder") -> None:
        self.folder = Path(folder)
        self.what = what
        self.path = self.folder / LOCK_NAME
        self._fd: int | None = None

    def _open(self) -> int:
        if self.folder.exists() and not self.folder.is_dir():
            msg = f"{self.what} {self.folder}: exists and is not a folder"
            raise RequestError(msg)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            msg = f"cannot write to {self.what} {self.folder}: {exc.strerror or exc}"
            raise RequestError(msg) from exc

    def acquire(self) -> None:
        """Take the lock or raise (see the class docstring)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks, run unlocked
            return
        for _ in range(10):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                info = _read_info(fd)
                os.close(fd)
                msg = (
                    f"{self.what} {self.folder} is in use by another corridor run "
                    f"({holder_text(info)}); wait for it to finish or stop it"
                )
                raise FolderLockedError(msg) from None
            # the file may have been removed by its previous holder between open and flock
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except OSError:
                same = False
            if not same:
                os.close(fd)
                continue
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": round(time.time(), 3),
                "command": " ".join(sys.argv[:8]),
            }
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, (json.dumps(info) + "\n").encode("utf-8"))
            self._fd = fd
            return
        msg = f"cannot lock {self.what} {self.folder}: its lock file keeps changing"
        raise FolderLockedError(msg)

    def release(self) -> None:
        """Drop the lock and remove the lock file (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        with contextlib.suppress(OSError):
            os.close(fd)

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
