"""The shipped corridor data set.

``get_path(name)`` returns the path of a shipped file; ``names()`` lists the valid names.

=============  =============================================================================
name           content
=============  =============================================================================
``sites``      cities, data centers, exchange points, landing stations and border crossings
``links``      terrestrial and submarine fiber segments (existing, planned, proposed)
``countries``  Natural Earth 1:110m country borders (public domain)
=============  =============================================================================

The data live in the repository's ``data/geo/`` folder; an installed wheel carries a copy as
package data (``corridor/_data/geo/``, made at build time by ``setup.py``), so a non-editable
install works from any directory. Set the environment variable ``CORRIDOR_DATA`` to use another
folder with the same file names.
"""

from __future__ import annotations

import os
from pathlib import Path

from corridor._errors import DatasetNotFoundError

__all__ = ["data_dir", "get_path", "names"]

_FILES = {
    "sites": "sites.geojson",
    "links": "links.geojson",
    "countries": "countries.geojson",
}


def names() -> list[str]:
    """Names of the shipped data sets."""
    return sorted(_FILES)


def data_dir() -> Path:
    """Folder holding the shipped data (``CORRIDOR_DATA`` overrides it).

    The package's own copy (an installed wheel) comes first, then the repository's
    ``data/geo/`` beside the package (a source checkout or an editable install).
    """
    env = os.environ.get("CORRIDOR_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "_data" / "geo"
    if (packaged / _FILES["sites"]).is_file():
        return packaged
    return here.parent / "data" / "geo"


def get_path(name: str) -> Path:
    """Path of the shipped data set ``name``.

    Raises
    ------
    DatasetNotFoundError
        When ``name`` is not a shipped data set, or its file is missing.
    """
    try:
        filename = _FILES[name]
    except KeyError:
        msg = f"no shipped data set named {name!r}; valid names: {', '.join(names())}"
        raise DatasetNotFoundError(msg) from None
    path = data_dir() / filename
    if not path.is_file():
        msg = f"shipped data set {name!r} is missing: {path} does not exist"
        raise DatasetNotFoundError(msg)
    return path
