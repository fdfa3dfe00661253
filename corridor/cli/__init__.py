"""The ``corridor`` command line: one module per command, shared helpers in ``_common``.

``corridor.cli.main(argv)`` runs the command and returns its exit code (tests call it
directly); ``corridor.cli.run()`` is the program's entry point (the ``corridor`` script,
``python -m corridor`` and ``python -m corridor.cli``).
"""

from corridor.cli._main import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
