"""Batch benchmark reports: scenario files in, tables, charts and reports out.

* :func:`load_scenario` reads and validates a TOML scenario file
  (:mod:`corridor.batch.spec` documents the format).
* :func:`run_batch` splits the work into resumable chunks, computes them in this process, in
  local processes or on dask.distributed, and writes ``results.parquet``, ``results.csv``,
  ``summary.json``, ``report.html`` (self-contained) and ``report.md`` (+ ``figures/``).
"""

from __future__ import annotations

from corridor.batch.runner import BatchResult, plan, run_batch
from corridor.batch.spec import BatchSpec, FailureSet, Family, ModelVariant, load_scenario

__all__ = [
    "BatchResult",
    "BatchSpec",
    "FailureSet",
    "Family",
    "ModelVariant",
    "load_scenario",
    "plan",
    "run_batch",
]
