"""End to end: the real dashboard in headless Chromium draws the place markers with no request leaving the machine."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geo.assets import missing_assets
from geo.store import Store
from geo.types import Article, ResolvedMention

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
    pytest.mark.skipif(bool(missing_assets(ROOT / "static")), reason="static/vendor is not installed (make assets)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mention(text: str, name: str, lat: float, lon: float, feature: str) -> ResolvedMention:
    start = text.index(name)
    return ResolvedMention(start, start + len(name), name, name, lat, lon, feature, "SY", None, 0.9)


def _fill(url: str) -> int:
    """Two articles naming three places; returns the number of places."""
    store = Store(url)
    a = "Jets struck near Homs at dawn, and troops moved on Palmyra. <script>alert(1)</script>"
    store.add(
        Article(text=a, title="Strikes <b>bold</b>", source="Demo Wire", published="2017-04-07"),
        [_mention(a, "Homs", 34.72405, 36.72559, "city"), _mention(a, "Palmyra", 34.5624, 38.28402, "city")],
    )
    b = "Missiles hit Shayrat air base south-east of Homs."
    store.add(
        Article(text=b, title="Shayrat hit", source="Levant Desk"),
        [_mention(b, "Shayrat", 34.4903, 36.909, "air base"), _mention(b, "Homs", 34.72405, 36.72559, "city")],
    )
    return store.counts()["places"]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """`streamlit run dashboard.py` on a free port over a temporary SQLite store."""
    db = tmp_path_factory.mktemp("browser") / "browser.sqlite"
    url = f"sqlite:///{db}"
    places = _fill(url)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url}
    log = open(db.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {db.with_suffix('.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield base, places
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


def _offline_page(browser, outside: list[str]):
    """A page whose requests to anything but this machine are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, context.new_page()


def _map_frame(page):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url or "st_folium" in frame.url:
                return frame
        page.wait_for_timeout(200)
    pytest.fail("the map component iframe never appeared")


def test_first_visit_to_a_subpage_gets_the_dashboard_frame(dashboard, browser):
    """Runs first, on a fresh server: Streamlit's legacy pages/ mode must not take over."""
    base, _ = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    try:
        page.goto(base + "/articles")
        page.get_by_role("heading", name="Articles").wait_for(timeout=15000)
        nav = page.get_by_test_id("stSidebarNav")
        nav.wait_for(timeout=15000)
        assert nav.get_by_text("Add article").count() == 1
        assert nav.get_by_text("shared").count() == 0  # pages/_shared.py is not a page
        assert page.get_by_test_id("stMetric").count() == 3  # the shared sidebar ran
    finally:
        context.close()
    assert outside == [], outside[:5]


def test_map_page_draws_markers_offline(dashboard, browser):
    base, places = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    try:
        page.goto(base + "/")
        frame = _map_frame(page)
        markers = frame.locator("path.cm-place.leaflet-interactive")
        frame.wait_for_function(f"document.querySelectorAll('path.cm-place').length >= {places}", timeout=30000)
        assert markers.count() == places
        assert frame.locator(".leaflet-control-attribution").inner_text().count("GeoNames") == 1

        # A popup: the article's headline escaped, the place highlighted, no markup from the article alive.
        homs = max(range(markers.count()), key=lambda i: markers.nth(i).bounding_box()["width"])
        markers.nth(homs).click(force=True)
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10000)
        assert "Strikes <b>bold</b>" in popup.inner_text()
        assert popup.locator("mark").first.inner_text() == "Homs"
        assert popup.locator("b", has_text="bold").count() == 0
    finally:
        context.close()
    assert outside == [], f"{len(outside)} request(s) left the machine: {outside[:5]}"


def test_articles_page_links_to_the_map(dashboard, browser):
    base, _ = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    try:
        page.goto(base + "/articles")
        page.get_by_text("Homs · city").click()  # both articles name Homs
        page.wait_for_url("**/?place=Homs*", timeout=15000)
        page.get_by_text("Centred on Homs").wait_for(timeout=15000)
        frame = _map_frame(page)
        mark = frame.locator(".leaflet-popup-content mark").first  # the focused place opens its popup
        mark.wait_for(timeout=15000)
        assert mark.inner_text() == "Homs"
    finally:
        context.close()
    assert outside == [], outside[:5]
