"""Child processes that die with their parent.

A batch's worker processes must not outlive the process that started them: a job scheduler's
SIGTERM, the OOM killer's SIGKILL or a crash of the main process would otherwise leave them
computing (and holding memory) for nothing. On Linux the kernel does it: ``prctl(PR_SET_PDEATHSIG,
SIGKILL)`` (called through ctypes) sends the child SIGKILL the moment its parent ends; the
setting survives ``exec``, so it also covers a ``dask scheduler`` / ``dask worker`` started as a
subprocess. Elsewhere a daemon thread polls :func:`os.getppid` and exits the process when the
parent is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent", "pdeathsig"]

_PR_SET_PDEATHSIG = 1


def pdeathsig(parent: int) -> bool:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux only).

    Safe to call between ``fork`` and ``exec`` (no threads, no allocation beyond ctypes). If
    the parent ``parent`` is already gone, exits at once. Returns False when the platform has
    no parent-death signal.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    if ok and os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    return ok


def _watch(parent: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent:
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os._exit(1)


def die_with_parent(parent: int, interval: float = 0.5) -> None:
    """Make this (child) process end when the process ``parent`` ends.

    Use as a process-pool ``initializer`` with ``initargs=(os.getpid(),)`` of the parent.
    """
    if not pdeathsig(parent):
        if os.getppid() != parent:
            os._exit(1)
        threading.Thread(target=_watch, args=(parent, interval), daemon=True).start()
