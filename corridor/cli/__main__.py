"""``python -m corridor.cli`` runs the ``corridor`` command."""

from corridor.cli import main

raise SystemExit(main())
