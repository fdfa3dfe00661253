"""PDF export of the reports (``corridor batch --pdf``, ``corridor invest --report --pdf``):
printed by Debian's headless Chromium, written atomically, refused up front without it.

The printing tests skip without playwright or Chromium locally and FAIL when ``CI`` is set
(as the browser tests do). They live apart from the browser tests because playwright's sync
API cannot start while another sync_playwright session runs in the same thread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corridor import _pdf
from corridor.cli import main
from tests.test_batch import TINY, tiny_files, write  # noqa: F401  (fixture)
from tests.test_maps_browser import _unavailable


@pytest.fixture
def printer() -> None:
    try:
        _pdf.require_pdf()
    except _pdf.PdfError as exc:
        _unavailable(str(exc))


def _pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page")


def test_batch_pdf(printer: None, tmp_path: Path, tiny_files: Any, capsys: Any) -> None:  # noqa: F811
    out = tmp_path / "out"
    scen = write(tmp_path, TINY)
    assert main(["batch", str(scen), "--out", str(out), "--no-progress", "--pdf", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    pdf = out / "report.pdf"
    assert data["pdf"] == str(pdf)
    assert _pages(pdf) >= 2  # the summary, then the detail
    assert not [p for p in out.iterdir() if p.name.startswith(".report.pdf")]  # no temp left


def test_pdf_refused_up_front_without_chromium(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tiny_files: Any,  # noqa: F811
    capsys: Any,
) -> None:
    def missing() -> str:
        raise _pdf.PdfError("PDF export needs Chromium (apt-get install chromium)")

    monkeypatch.setattr(_pdf, "_chromium", missing)
    out = tmp_path / "out"
    assert main(["batch", str(write(tmp_path, TINY)), "--out", str(out), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs Chromium" in err
    assert not out.exists()  # nothing ran


def test_traffic_invest_pdf(printer: None, tmp_path: Path, capsys: Any) -> None:
    """``invest --scenario ... --report DIR --pdf`` prints the traffic report too."""
    from tests.test_capacity_invest_report import _argv, _files

    out = tmp_path / "out"
    argv = _argv(_files(tmp_path), "--report", str(out), "--pdf", "--json")
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["written"]["pdf"] == str(out / "invest-report.pdf")
    assert _pages(out / "invest-report.pdf") >= 2
