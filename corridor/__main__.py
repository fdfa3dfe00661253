"""``python -m corridor`` runs the ``corridor`` command."""

from corridor.cli import main

raise SystemExit(main())
