"""PDF export of an HTML report: printed by a headless Chromium through playwright.

Chromium is Debian's ``/usr/bin/chromium`` (or the one named by ``CORRIDOR_CHROMIUM``); no
browser is downloaded. Requests other than ``file:`` and ``data:`` URLs are aborted, so the
print is of the self-contained page only. :func:`require_pdf` checks both before any long work
starts; :func:`html_to_pdf` prints and replaces the target atomically.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from corridor._atomic import replace_atomically
from corridor._errors import CorridorError

__all__ = ["PdfError", "html_to_pdf", "require_pdf"]


class PdfError(CorridorError):
    """The PDF could not be printed (no playwright or Chromium, or the print failed)."""


def _chromium() -> str:
    chosen = os.environ.get("CORRIDOR_CHROMIUM")
    for candidate in (chosen, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    msg = "PDF export needs Chromium (apt-get install chromium, or set CORRIDOR_CHROMIUM)"
    raise PdfError(msg)


def require_pdf() -> str:
    """The Chromium binary PDF export will use, after checking playwright is importable.

    Raises
    ------
    PdfError
        When playwright or Chromium is missing (one line saying how to install it).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        msg = "PDF export needs playwright (pip install playwright; never 'playwright install')"
        raise PdfError(msg) from None
    return _chromium()


def html_to_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> Path:
    """Print an HTML file to an A4 PDF (backgrounds kept); the file is replaced atomically.

    Raises
    ------
    PdfError
        When playwright or Chromium is missing, or the page cannot be printed or written.
    """
    exe = require_pdf()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    source = Path(html_path).resolve()

    def render(tmp: Path) -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                # laid out at the printed width (A4 less the margins: 190 mm = 718 CSS px) and
                # with the print rules from the start, so that the maps in the report fit
                # their views to the size they are printed at
                page = browser.new_page(viewport={"width": 718, "height": 1000})
                page.emulate_media(media="print")
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(("file:", "data:", "about:"))
                        else route.abort()
                    ),
                )
                page.goto(source.as_uri(), wait_until="load")
                page.wait_for_timeout(500)  # let maps in iframes draw
                page.pdf(
                    path=str(tmp),
                    format="A4",
                    print_background=True,
                    margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
                )
            finally:
                browser.close()

    try:
        return replace_atomically(pdf_path, render, what="PDF", error=PdfError)
    except PlaywrightError as exc:
        msg = f"could not print {source} to PDF: {str(exc).splitlines()[0]}"
        raise PdfError(msg) from None
