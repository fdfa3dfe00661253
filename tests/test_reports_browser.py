"""The invest and batch HTML reports opened in headless Chromium (network blocked): an
executive summary with headline numbers and an embedded map comes first, the chart images
load, and nothing logs an error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corridor.batch import run_batch
from corridor.invest import analyze
from corridor.invest.report import write_report
from tests.test_batch import TINY, tiny_files, write  # noqa: F401  (fixture)
from tests.test_invest import _demand, _tiny_with_capex
from tests.test_maps_browser import browser  # noqa: F401  (fixture)


def _open(browser: Any, path: Path) -> tuple[Any, list[str]]:  # noqa: F811
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "about:"))
            else route.abort()
        ),
    )
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    return page, errors


def _check_summary(page: Any, errors: list[str]) -> None:
    assert errors == []
    first = page.evaluate("document.querySelector('h1').nextElementSibling.getAttribute('id')")
    assert first == "summary"  # the summary comes before any detail
    assert page.evaluate("document.querySelector('#summary .answer').textContent").strip()
    cards = page.evaluate("document.querySelectorAll('#summary .headline div').length")
    assert 3 <= cards <= 5
    images = page.evaluate(
        "[...document.querySelectorAll('img')].map(i => i.complete && i.naturalWidth > 0)"
    )
    assert images and all(images)
    frame = page.frame_locator("#summary iframe")
    assert frame.locator(".leaflet-overlay-pane path").count() > 0  # the map drew


def test_invest_report_in_chromium(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    result = analyze(_tiny_with_capex(), demand=_demand([("a", "c")]), with_sensitivity=False)
    page, errors = _open(browser, write_report(result, tmp_path))
    _check_summary(page, errors)
    text = page.evaluate("document.querySelector('#summary').textContent")
    assert "None of the options improves" in text  # the only option helps nobody
    page.close()


def test_batch_report_in_chromium(browser: Any, tmp_path: Path, tiny_files: Any) -> None:  # noqa: F811
    out = tmp_path / "out"
    run_batch(write(tmp_path, TINY), out, progress=False)
    page, errors = _open(browser, out / "report.html")
    _check_summary(page, errors)
    assert "ms round trip" in page.evaluate(
        "document.querySelector('#summary .answer').textContent"
    )
    page.close()
