"""``python -m corridor.cli`` runs the ``corridor`` command."""

from corridor.cli import run

raise SystemExit(run())
