"""Small helpers shared by the ``corridor`` subcommands (terminal output and option values)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console

__all__ = ["console", "print_json", "split_values"]


def console(*, stderr: bool = False) -> Console:
    """A rich console as wide as the terminal (160 columns when writing to a file or pipe)."""
    probe = Console(stderr=stderr)
    width = probe.width if probe.is_terminal else 160
    return Console(highlight=False, soft_wrap=False, width=max(100, width), stderr=stderr)


def split_values(values: Sequence[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values (``--via KZ --via AZ,GE``)."""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def print_json(data: Any) -> None:
    """Machine output of ``--json``: indented, UTF-8, on standard output."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
