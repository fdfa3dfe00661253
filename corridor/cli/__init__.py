"""The ``corridor`` command line: one module per command, shared helpers in ``_common``.

``corridor.cli.main(argv)`` runs the command and returns its exit code (tests call it
directly); ``python -m corridor`` and ``python -m corridor.cli`` run it as a program.
"""

from corridor.cli._main import build_parser, main

__all__ = ["build_parser", "main"]
