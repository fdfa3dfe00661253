"""The offline HTML maps opened in a real headless Chromium (playwright, Debian's chromium).

Each page is opened from a file:// URL with no network; the tests read the live DOM: Leaflet
initialised, the SVG paths drawn per class, the layer control's names, escaped text shown as
text, no JavaScript error, no dialog, and no request other than file:// and data: URLs.

Needs ``apt-get install -y chromium`` and ``pip install playwright`` (never ``playwright
install``). Without them these tests skip locally and FAIL when the environment variable ``CI``
is set.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from corridor import maps
from corridor.network import Network
from corridor.routing import shortest_path
from tests.test_maps import EVIL, EVIL_IMG, evil_network, two_paths, write_countries

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
VIEWPORT = {"width": 1280, "height": 800}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str | None:
    """The Chromium binary: ``CORRIDOR_CHROMIUM`` when set (and only it), else Debian's."""
    chosen = os.environ.get("CORRIDOR_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium context with a fresh profile (module-wide)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    exe = _chromium()
    if exe is None:
        _unavailable("Chromium is not installed (apt-get install -y chromium chromium-driver)")
    with (
        tempfile.TemporaryDirectory(prefix="corridor-chromium-") as profile,
        sync_playwright() as p,
    ):
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=exe,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            offline=True,
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Opened:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def dom(self, script: str) -> Any:
        return self.page.evaluate(script)

    def count(self, selector: str) -> int:
        return int(self.page.evaluate(f"document.querySelectorAll({selector!r}).length"))

    def layer_names(self) -> list[str]:
        return [  # label > span > (input, span name)
            s.strip()
            for s in self.dom(
                "[...document.querySelectorAll('.leaflet-control-layers-overlays label > span"
                " > span')].map(s => s.textContent)"
            )
        ]


@pytest.fixture
def open_map(browser: Any) -> Iterator[Any]:
    pages: list[Any] = []

    def go(path: Path) -> Opened:
        page = browser.new_page()
        pages.append(page)
        seen = Opened(page)
        page.on("pageerror", lambda exc: seen.errors.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: seen.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.on("requestfailed", lambda req: seen.errors.append(f"request failed: {req.url}"))
        page.on("request", lambda req: seen.requests.append(req.url))

        def on_dialog(dialog: Any) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.add_init_script("window.__alerts = []; window.alert = m => window.__alerts.push(m);")
        # network blocked twice over: the context is offline and anything not local aborts
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:"))
                else route.abort()
            ),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.leaflet-pane svg').length > 0")
        return seen

    yield go
    for page in pages:
        page.close()


def assert_clean(seen: Opened, n_scripts: int = 3) -> None:
    """No JS error, no dialog, no network request, no injected script or handler."""
    assert seen.errors == []
    assert seen.dialogs == [] and seen.dom("window.__alerts") == []
    external = [u for u in seen.requests if not u.startswith(("file:", "data:"))]
    assert external == []
    assert seen.count(".leaflet-container") == 1
    assert (
        seen.dom(
            "Object.keys(window).filter(k => k.startsWith('map_') && window[k] instanceof L.Map)"
            ".length"
        )
        == 1
    )
    assert seen.count("script") == n_scripts  # Leaflet inline, folium's flags, the map
    assert seen.count("img[onerror], [onerror], [onload]:not(body)") == 0
    assert seen.count(".leaflet-control-scale") == 1
    assert seen.count(".corridor-legend") == 1 and seen.count(".corridor-title") == 1
    assert "Latency model: fiber group index" in seen.dom(
        "document.querySelector('.corridor-title').textContent"
    )


def color_pixels(png: Path, hex_color: str, tol: float = 0.08) -> int:
    """How many pixels of a screenshot are close to a color."""
    import matplotlib.image

    img = matplotlib.image.imread(png)[..., :3]
    rgb = np.array([int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(img - rgb).max(axis=-1) < tol).sum())


@pytest.fixture
def borders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_countries(folder / "countries.geojson")
    monkeypatch.setenv("CORRIDOR_DATA", str(folder))


@pytest.fixture
def evil() -> Network:
    return evil_network()


def test_network_map_in_chromium(
    evil: Network, borders: None, tmp_path: Path, open_map: Any
) -> None:
    path = maps.save_map(maps.network_map(evil, offline=True), tmp_path / "network.html")
    seen = open_map(path)
    assert_clean(seen)
    assert seen.count("path.corridor-link") == evil.n_links
    assert seen.count("path.corridor-link-planned") == 1
    assert seen.count("path.corridor-site") == evil.n_sites
    assert seen.count("path.corridor-site-datacenter") == 1
    assert seen.count("path.corridor-basemap") == 3
    names = seen.layer_names()
    assert "Terrestrial links, planned (1)" in names and "Sites: data center (1)" in names
    # the data center is labelled, and its hostile name shows as text
    labels = seen.dom("[...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent)")
    assert f"Akashi {EVIL}" in labels
    # a popup shows the data, escaped
    seen.page.locator("path.corridor-site-datacenter").click(force=True)
    popup = seen.dom("document.querySelector('.leaflet-popup-content').textContent")
    assert f"Akashi {EVIL}" in popup and "datacenter" in popup
    assert seen.count("script") == 3 and seen.dom("window.__alerts") == []


def test_route_map_in_chromium(evil: Network, borders: None, tmp_path: Path, open_map: Any) -> None:
    result = two_paths(evil)
    m = maps.route_map(evil, result, offline=True, labels=["primary", EVIL_IMG])
    maps.add_links_layer(m, evil, ["be"], name="Candidate <b>link</b>", color="#111111")
    path = maps.save_map(m, tmp_path / "route.html")
    seen = open_map(path)
    assert_clean(seen)
    assert seen.count("path.corridor-route") == 2
    assert seen.count("path.corridor-route-1") == 1 and seen.count("path.corridor-route-2") == 1
    assert seen.count("path.corridor-endpoint") == 2
    assert seen.count("path.corridor-highlight") == 1
    assert seen.count("path.corridor-link") == evil.n_links  # the faint network
    rtts = [f"{p.rtt_ms:.1f}" for p in result.paths]
    assert seen.layer_names() == [
        "Country borders",
        "Network (all links and sites)",
        f"1 (primary): {rtts[0]} ms RTT",
        f"2 ({EVIL_IMG}): {rtts[1]} ms RTT",
        "Candidate <b>link</b>",
    ]
    # the endpoints are labelled with their (hostile) names, as text
    labels = seen.dom("[...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent)")
    assert EVIL in labels and "Charlie" in labels
    # toggling an alternative's layer removes its polyline
    seen.page.locator(".leaflet-control-layers-overlays label", has_text="2 (").click()
    assert seen.count("path.corridor-route-2") == 0 and seen.count("path.corridor-route-1") == 1
    png = tmp_path / "route.png"
    seen.page.screenshot(path=str(png))
    assert color_pixels(png, maps.PATH_COLORS[0]) > 300  # the best route is visible
    assert seen.errors == []


def test_single_route_map_fits_the_route(
    evil: Network, borders: None, tmp_path: Path, open_map: Any
) -> None:
    result = shortest_path(evil, "a", "c")
    path = maps.save_map(maps.route_map(evil, result, offline=True), tmp_path / "r.html")
    seen = open_map(path)
    assert_clean(seen)
    assert seen.count("path.corridor-route") == 1
    # the route lies inside the visible map
    box = seen.dom(
        "(() => { const r = document.querySelector('path.corridor-route').getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })()"
    )
    assert 0 <= box[0] < box[2] <= VIEWPORT["width"] and 0 <= box[1] < box[3] <= VIEWPORT["height"]


def test_shipped_route_map_in_chromium(shipped: Network, tmp_path: Path, open_map: Any) -> None:
    result = shortest_path(shipped, "Frankfurt", "Shanghai")
    m = maps.route_map(shipped, result, offline=True)
    path = maps.save_map(m, tmp_path / "frankfurt-shanghai.html")
    seen = open_map(path)
    assert_clean(seen)
    assert seen.count("path.corridor-route") == 1
    assert seen.count("path.corridor-link") == shipped.n_links  # the faint network
    drawn_sites = int(shipped.sites.geometry.notna().sum())
    assert seen.count("path.corridor-site") == drawn_sites
    assert seen.count("path.corridor-route-site") == len(result.best.nodes) - 2
    assert seen.count("path.corridor-basemap") > 100  # the shipped borders
    assert f"1: {result.best.rtt_ms:.1f} ms RTT" in seen.layer_names()
    png = tmp_path / "frankfurt-shanghai.png"
    seen.page.screenshot(path=str(png))
    assert color_pixels(png, maps.PATH_COLORS[0]) > 1000


def _rendered(seen: Opened) -> int:
    """How many Leaflet vector layers the page drew (SVG paths in the overlay pane)."""
    return seen.count(".leaflet-overlay-pane path")


def test_every_map_kind_in_chromium(shipped: Network, tmp_path: Path, open_map: Any) -> None:
    """The maps of route (with --k alternatives), map, place, invest and capacity, written with
    the defaults (no --offline), open with the network blocked and draw their layers."""
    from corridor.capacity.demand import gravity_demand
    from corridor.capacity.flow import multicommodity_flow
    from corridor.cli.capacity import _write_map
    from corridor.invest import analyze
    from corridor.invest.report import write_map
    from corridor.placement import place, placement_map
    from corridor.routing import k_shortest_paths
    from tests.test_invest import _demand, _tiny_with_capex

    written: dict[str, Path] = {}
    written["network"] = maps.save_map(maps.network_map(shipped), tmp_path / "network.html")
    alt = k_shortest_paths(shipped, "Frankfurt", "Shanghai", k=3, avoid="RU", status="all")
    written["route"] = maps.save_map(maps.route_map(shipped, alt), tmp_path / "route.html")
    res = place(shipped, country="KZ", p=2)
    written["place"] = maps.save_map(placement_map(res), tmp_path / "place.html")
    inv = analyze(_tiny_with_capex(), demand=_demand([("a", "c")]), with_sensitivity=False)
    written["invest"] = write_map(inv, tmp_path / "invest.html")
    flow = multicommodity_flow(shipped, gravity_demand(shipped))
    _write_map(shipped, flow, str(tmp_path / "capacity.html"), offline=True, title="capacity")
    written["capacity"] = tmp_path / "capacity.html"
    for kind, path in written.items():
        seen = open_map(path)
        assert seen.errors == [], kind
        external = [u for u in seen.requests if not u.startswith(("file:", "data:"))]
        assert external == [], kind
        assert seen.dom("typeof L") == "object", kind
        assert _rendered(seen) > 100, kind
        assert seen.count("path.corridor-basemap") > 100, kind  # borders instead of tiles
    seen = open_map(written["route"])
    # planned and proposed legs drawn dashed / dotted over the path, each leg says its status
    assert seen.count("path.corridor-route-status-planned") > 0
    assert seen.count("path.corridor-route-status-proposed") > 0
    assert seen.count("path.corridor-route-leg") == sum(p.hops for p in alt.paths)
    legend = seen.dom("document.querySelector('.corridor-legend').textContent")
    assert "instead of" in legend and "route leg planned" in legend
    seen = open_map(written["place"])
    labels = seen.dom(
        "[...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent.trim())"
    )
    chosen = [shipped.sites["name"].iat[shipped.site_index(n)] for n in res.best.nodes]
    assert set(chosen) <= set(labels)
    assert "Akashi Data Center" in labels and "Akashi Data Center" not in chosen
    fills = seen.dom(
        "[...document.querySelectorAll('path.corridor-chosen-node')]"
        ".map(p => p.getAttribute('fill'))"
    )
    assert fills and all(f != maps.SITE_STYLES["datacenter"].fill for f in fills)


def _open_popups(seen: Opened, css: str) -> list[str]:
    """The popup texts of every Leaflet layer whose class contains ``css`` (as rendered by
    the browser from the popup's HTML)."""
    return list(
        seen.dom(
            "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
            " const out = []; m.eachLayer(l => {"
            " const c = (l.options && l.options.className) || '';"
            f" if (c.includes({css!r}) && l.getPopup()) {{ const d = document.createElement('div');"
            " d.innerHTML = l.getPopup().getContent(); out.push(d.textContent); } });"
            " return out; })()"
        )
    )


def test_resilience_maps_in_chromium(
    shipped: Network, tmp_path: Path, open_map: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """``corridor resilience FROM TO --map`` and ``--all-pairs --map``, written with the
    defaults, open with the network blocked: primary and backup drawn, the failures that hurt
    the primary around it by effect, and the sweep's failures by pairs stranded with the
    stranded pairs in their popups."""
    import json

    from corridor.cli import main
    from corridor.maps.resilience import PAIR_BANDS, STRAND_BANDS

    pair = tmp_path / "protection.html"
    argv = ["resilience", "Frankfurt", "Shanghai", "--scenarios", "links", "--top", "500"]
    argv += ["--map", str(pair)]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["map"] == str(pair)
    seen = open_map(pair)
    assert_clean(seen)
    assert seen.count("path.corridor-route-1") == 1 and seen.count("path.corridor-route-2") == 1
    names = seen.layer_names()
    assert any(n.startswith("1 (primary): ") for n in names)
    assert any(n.startswith("2 (backup): ") for n in names)
    hurting = [
        r
        for r in data["single_failures"]
        if r["hits"] in ("primary", "both") and r["kind"] == "link"
    ]
    assert f"Link cuts on the primary ({len(hurting)})" in names
    assert seen.count("path.corridor-failure") == len(hurting) > 0
    worst = max(hurting, key=lambda r: r["rtt_increase_ms"] or 0)
    band = "plus-10ms" if worst["rtt_increase_ms"] >= 10 else "plus-less"
    assert seen.count(f"path.corridor-failure-{band}") >= 1
    popups = _open_popups(seen, f"corridor-failure-{band}")
    inc = f"+{worst['rtt_increase_ms']:.1f} ms round trip"
    assert any(f"link {worst['scenario']} fails (on the primary)" in p and inc in p for p in popups)
    legend = seen.dom("document.querySelector('.corridor-legend').textContent")
    assert "Single failures on the primary" in legend
    assert next(b.label for b in PAIR_BANDS if b.id == band) in legend
    assert seen.errors == []

    sweep_path = tmp_path / "sweep.html"
    argv = ["resilience", "--all-pairs", "--scenarios", "srlgs", "--map", str(sweep_path)]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    seen = open_map(sweep_path)
    assert_clean(seen)
    stranded: dict[str, list[str]] = {}
    for row in data["stranded"]:
        stranded.setdefault(row["scenario"], []).append(row["source"])
    assert stranded  # the shipped srlg sweep strands pairs (korea-strait: 64)
    worst_srlg = max(stranded, key=lambda k: len(stranded[k]))
    n = len(stranded[worst_srlg])
    band = next(b for b in STRAND_BANDS if b.id == ("strands-many" if n >= 50 else "strands-some"))
    assert seen.count(f"path.corridor-failure-{band.id}") >= 1
    assert any(name.startswith(band.label) for name in seen.layer_names())
    popups = _open_popups(seen, f"corridor-failure-{band.id}")
    text = next(p for p in popups if f"shared-risk group {worst_srlg} fails" in p)
    assert "stranded pairs:" in text and f"pairs stranded{n}" in text.replace(",", "")
    site_name = shipped.sites["name"].iat[shipped.site_index(stranded[worst_srlg][0])]
    assert site_name in text
    title = seen.dom("document.querySelector('.corridor-title').textContent")
    assert f"strands {n} pairs" in title
    assert seen.errors == []


LABEL_BOXES = """
(() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const items = [];
  map.eachLayer(l => {
    const tip = l.getTooltip && l.getTooltip();
    const el = tip && tip.options.permanent && tip.getElement();
    if (!el) return;
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom, w: r.width});
    const shown = el.style.display !== "none" && getComputedStyle(el).visibility !== "hidden";
    items.push({shown, named: !!el.querySelector(".corridor-label"),
                tip: box(el.getBoundingClientRect()),
                mark: l.getElement ? box(l.getElement().getBoundingClientRect()) : null});
  });
  return items;
})()
"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and a["right"] > b["left"]
        and a["top"] < b["bottom"]
        and (a["bottom"] > b["top"])
    )


def test_crowded_labels_are_decluttered(shipped: Network, tmp_path: Path, open_map: Any) -> None:
    """The shipped network map labels its data centers; around Almaty several sit within a few
    pixels at the opening zoom: no two labels shown overlap, no label shown covers another
    labelled site's marker, and zooming in brings hidden labels back."""
    path = maps.save_map(maps.network_map(shipped, offline=True), tmp_path / "network.html")
    seen = open_map(path)
    seen.page.wait_for_timeout(300)
    items = seen.dom(LABEL_BOXES)
    shown = [it for it in items if it["shown"] and it["tip"]["w"] > 0]
    assert len(items) >= 6 and 1 <= len(shown) < len(items)  # something was crowded
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not _overlap(a["tip"], b["tip"])
    for a in shown:
        for b in items:
            if b is not a and b["named"] and b["mark"] and b["mark"]["w"] > 0:
                assert not _overlap(a["tip"], b["mark"]), "a label covers a labelled site"
    seen.dom(
        "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " m.setView([43.3, 76.9], 9, {animate: false}); })()"
    )
    seen.page.wait_for_timeout(300)
    closer = [it for it in seen.dom(LABEL_BOXES) if it["shown"] and it["tip"]["w"] > 0]
    assert len(closer) > 1
