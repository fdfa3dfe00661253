"""Write the example maps of the shipped data set into ``maps/``.

Usage (from the repository root or anywhere)::

    python maps/make_examples.py                     # every example, with screenshots
    python maps/make_examples.py --no-screenshots    # HTML only (no Chromium needed)
    python maps/make_examples.py --only network      # some examples only

Every map is written offline (Leaflet inlined, the shipped country borders as basemap, no
tiles), so the HTML files open with no network at all. Each ``NAME.html`` gets a ``NAME.png``
screenshot taken by headless Chromium (Debian's ``chromium`` driven by ``playwright``; never
``playwright install``); the script fails if a page logs a JavaScript error or tries to reach
the network.

To add an example, add one line to ``EXAMPLES``: :func:`network` for a network map, or
:func:`route` with any routing function that returns a :class:`corridor.RouteResult` and its
arguments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium

from corridor.maps import network_map, protection_map, route_map, save_map, sweep_map
from corridor.network import Network, load_network
from corridor.routing import disjoint_pair, diverse_paths, shortest_path

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: Any = {"width": 1400, "height": 860}


@dataclass(frozen=True)
class Example:
    """One example map: its file stem and how to draw it from the network."""

    name: str
    draw: Callable[[Network], folium.Map]


def network(name: str, **options: Any) -> Example:
    """A whole-network example (options of :func:`corridor.maps.network_map`)."""
    return Example(name, lambda net: network_map(net, offline=True, **options))


def route(
    name: str,
    finder: Callable[..., Any],
    source: str,
    target: str,
    *,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    **options: Any,
) -> Example:
    """A route example: ``finder(net, source, target, **options)`` drawn by ``route_map``."""

    def draw(net: Network) -> folium.Map:
        result = finder(net, source, target, **options)
        return route_map(net, result, offline=True, labels=labels, title=title)

    return Example(name, draw)


def protection(name: str, source: str, target: str) -> Example:
    """The protected pair of ``corridor resilience SOURCE TARGET --map``: primary, backup and
    the single link and site failures on the primary, by effect."""

    def draw(net: Network) -> folium.Map:
        from corridor.resilience import protection as protect
        from corridor.resilience import sweep

        prot = protect(net, source, target)
        pair = [(prot.source, prot.target)]
        sweeps = [sweep(net, pair, scenarios=family) for family in ("links", "sites")]
        return protection_map(net, prot, sweeps, offline=True)

    return Example(name, draw)


def stranded(name: str, family: str) -> Example:
    """The map of ``corridor resilience --all-pairs --scenarios FAMILY --map``."""

    def draw(net: Network) -> folium.Map:
        from corridor.resilience import default_pairs, sweep

        result = sweep(net, default_pairs(net), scenarios=family, unreachable="drop")
        return sweep_map(net, result, offline=True)

    return Example(name, draw)


# fmt: off
EXAMPLES: list[Example] = [
    network("network", title="corridor: the Europe - East Asia fiber network"),
    route("frankfurt-shanghai", shortest_path, "Frankfurt", "Shanghai", title="Frankfurt to Shanghai: the best route"),  # noqa: E501
    route("frankfurt-shanghai-k5-kz", diverse_paths, "Frankfurt", "Shanghai", k=5, via="KZ", max_overlap=0.7, title="Frankfurt to Shanghai via Kazakhstan: 5 best routes that differ (at most 70% shared)"),  # noqa: E501
    route("frankfurt-shanghai-srlg-pair", disjoint_pair, "Frankfurt", "Shanghai", mode="srlg", labels=["primary", "backup"], title="Frankfurt to Shanghai: SRLG-disjoint primary and backup"),  # noqa: E501
    protection("resilience-frankfurt-shanghai", "Frankfurt", "Shanghai"),
    stranded("resilience-srlgs-stranded", "srlgs"),
]
# fmt: on


def screenshot(html: Path, png: Path) -> None:
    """Open ``html`` in headless Chromium with no network and save a PNG of it.

    Raises
    ------
    RuntimeError
        When the page logs a JavaScript error or requests anything but file:// and data: URLs.
    """
    # playwright comes with the test extra; only screenshots need it
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="corridor-chromium-") as profile,
        sync_playwright() as p,
    ):
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            offline=True,
        )
        try:
            page = context.new_page()
            page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"console error: {msg.text}") if msg.type == "error" else None
                ),
            )
            page.on(
                "request",
                lambda req: (
                    None
                    if req.url.startswith(("file:", "data:"))
                    else problems.append(f"network request: {req.url}")
                ),
            )
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.leaflet-pane svg').length > 0")
            page.wait_for_timeout(300)
            page.screenshot(path=str(png))
        finally:
            context.close()
    if problems:
        raise RuntimeError(f"{html.name}: " + "; ".join(problems))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write to")
    parser.add_argument("--no-screenshots", action="store_true", help="HTML files only")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="examples to write")
    args = parser.parse_args(argv)
    chosen = [e for e in EXAMPLES if not args.only or e.name in args.only]
    unknown = set(args.only or ()) - {e.name for e in EXAMPLES}
    if unknown:
        parser.error(f"unknown example(s) {', '.join(sorted(unknown))}")
    net = load_network()
    for example in chosen:
        html = save_map(example.draw(net), args.out / f"{example.name}.html")
        print(f"wrote {html}")
        if not args.no_screenshots:
            png = html.with_suffix(".png")
            screenshot(html, png)
            print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
