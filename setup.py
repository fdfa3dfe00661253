"""Build hook: the shipped data set becomes package data of the wheel.

The data live in the repository's ``data/geo/`` folder (where the build script writes them and
the design fixes them). A wheel or a non-editable ``pip install .`` copies them into
``corridor/_data/geo/`` of the built package, where :func:`corridor.datasets.data_dir` finds
them from any working directory. An editable install reads ``data/geo/`` in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = Path(__file__).resolve().parent / "data" / "geo"
PATTERNS = ("*.geojson", "README.md")


class BuildPyWithData(build_py):
    """``build_py`` that also copies ``data/geo/`` into ``corridor/_data/geo/``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "corridor" / "_data" / "geo"
        target.mkdir(parents=True, exist_ok=True)
        files = sorted({p for pattern in PATTERNS for p in DATA.glob(pattern)})
        if not any(p.suffix == ".geojson" for p in files):
            msg = f"no shipped data found in {DATA}"
            raise FileNotFoundError(msg)
        for path in files:
            shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithData})
