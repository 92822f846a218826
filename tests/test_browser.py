"""End to end: the real dashboard in headless Chromium, every request outside this machine blocked and counted.

The map draws on a canvas, so tests read what it drew from `window.CM` in the map's frame (geo.maps.elements)
and click places at their screen position.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.maps.assets import missing_assets
from geo.exports.browser import LOCAL_HOSTS, block_outside
from geo.store import Store
from geo.types import Article, ResolvedMention

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = "_mapframe.map"  # the map component's frame URL (pages/_mapframe.py)

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


def _offline_page(browser, outside: list[str], viewport: tuple[int, int] = (1280, 900)):
    """A page whose requests to anything but this machine are blocked and recorded."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})

    block_outside(context, outside, hosts=LOCAL_HOSTS)
    return context, context.new_page()


@contextmanager
def offline_page(browser, viewport: tuple[int, int] = (1280, 900)):
    """A page of a fresh offline context (see _offline_page); on leaving, it must not have asked outside."""
    outside: list[str] = []
    context, page = _offline_page(browser, outside, viewport)
    try:
        yield page
    finally:
        context.close()
    assert outside == [], outside[:5]


def _map_frame(page):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            if MAP_FRAME in frame.url:
                return frame
        page.wait_for_timeout(100)
    pytest.fail("the map component iframe never appeared")


def _drawn(page, timeout: float = 30000):
    """The map frame once its places layer is drawn (the places go to one canvas: counted in window.CM)."""
    frame = _map_frame(page)
    frame.wait_for_function("window.CM && CM.layers && CM.layers.place && CM.map && CM.map._loaded", timeout=timeout)
    return frame


def _place_names(frame) -> list[str]:
    return frame.evaluate("CM.layers.place.data.label.map(l => l.replace(/<[^>]+>/g, '').split(' · ')[0])")


def _click_place(page, frame, name: str) -> None:
    """A real mouse click on the place's circle (canvas: found by its position, not by a DOM node)."""
    point = frame.evaluate(
        """(name) => { const d = CM.layers.place.data;
            const i = d.label.findIndex(l => l.indexOf('<b>' + name + '</b>') === 0);
            const p = CM.map.latLngToContainerPoint([d.lat[i], d.lon[i]]); return [p.x, p.y]; }""", name)
    box = page.locator("iframe[title='pages._mapframe.map']").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_first_visit_to_a_subpage_gets_the_dashboard_frame(dashboard, browser):
    """Runs first, on a fresh server: Streamlit's legacy pages/ mode must not take over."""
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/articles")
        page.get_by_role("heading", name="Articles").wait_for(timeout=15000)
        nav = page.get_by_test_id("stSidebarNav")
        nav.wait_for(timeout=15000)
        assert nav.get_by_text("Add article").count() == 1
        assert nav.get_by_text("shared").count() == 0  # pages/_shared.py is not a page
        assert nav.get_by_text("panel").count() == 0
        page.get_by_test_id("stMetric").first.wait_for(timeout=15000)
        assert page.get_by_test_id("stMetric").count() == 4  # the shared sidebar ran (articles, mentions, places, events)


def test_map_page_draws_places_and_tools_offline(dashboard, browser):
    base, places = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    try:
        page.goto(base + "/")
        frame = _drawn(page)
        assert sorted(_place_names(frame)) == ["Homs", "Palmyra", "Shayrat"]
        assert frame.evaluate("CM.stats.place") == places
        assert frame.locator(".leaflet-control-attribution").inner_text().count("GeoNames") == 1
        assert frame.locator(".cm-country-label").count() > 100  # the offline basemap's own labels
        frame.wait_for_function("CM.toolsReady === true", timeout=5000)  # the tools come after the first paint
        for tool in (".leaflet-draw", ".leaflet-control-measure", ".leaflet-control-minimap",
                     ".leaflet-control-mouseposition", ".leaflet-control-zoom-fullscreen", ".cm-copy-link",
                     ".cm-export", ".cm-legend"):
            assert frame.locator(tool).count() >= 1, tool
        # Article text reaches the map only as escaped text in tooltips.
        assert "<b>bold</b>" not in frame.evaluate("JSON.stringify(CM.layers.place.data)")
    finally:
        context.close()
    assert outside == [], f"{len(outside)} request(s) left the machine: {outside[:5]}"


def test_filters_change_what_is_drawn(dashboard, browser):
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/")
        frame = _drawn(page)
        frame.evaluate("window.__before = CM.layers.place, window.__map = CM.map, 1")
        search = page.get_by_placeholder("Words in the articles or place names")
        search.fill("shayrat")
        search.press("Enter")
        frame.wait_for_function("CM.layers.place !== window.__before", timeout=15000)
        assert sorted(_place_names(frame)) == ["Homs", "Shayrat"]  # the article that names Shayrat
        assert frame.evaluate("window.__map === CM.map")  # the layers were swapped; the map was not reloaded
        page.wait_for_url("**query=shayrat**", timeout=10000)
        page.get_by_text("1 articles · 2 places match").wait_for(timeout=10000)


def test_the_map_draws_again_after_another_page_in_the_same_session(dashboard, browser):
    """A filter change sends the frame only what it lacks (geo.maps.frame.Sent); a new frame in the same
    session (the Map page left and opened again) asks for the whole map and gets it."""
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/")
        frame = _drawn(page)
        nav = page.get_by_test_id("stSidebarNav")
        nav.get_by_role("link", name="Articles").click()
        page.get_by_role("heading", name="Articles").wait_for(timeout=15000)
        nav.get_by_role("link", name="Map").click()
        frame = _drawn(page)
        assert sorted(_place_names(frame)) == ["Homs", "Palmyra", "Shayrat"]
        frame.wait_for_function("CM.map.getContainer().querySelectorAll('.leaflet-control-zoom').length === 1",
                                timeout=10000)


def test_a_url_restores_centre_zoom_and_filters(dashboard, browser):
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/?center=34.6000,37.5000&zoom=9&features=city&layers=places|heatmap")
        frame = _drawn(page)
        frame.wait_for_function("CM.map.getZoom() === 9", timeout=10000)
        centre = frame.evaluate("[CM.map.getCenter().lat, CM.map.getCenter().lng]")
        assert abs(centre[0] - 34.6) < 0.01 and abs(centre[1] - 37.5) < 0.01
        assert sorted(_place_names(frame)) == ["Homs", "Palmyra"]  # cities only
        assert frame.locator("canvas.leaflet-heatmap-layer").count() == 1
        assert frame.evaluate("CM.stats.air_base === undefined")  # air bases are not among the layers
        page.get_by_test_id("stSidebar").get_by_text("city", exact=True).wait_for(timeout=10000)


def test_panning_updates_the_url_without_running_python(dashboard, browser):
    base, _ = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    try:
        page.goto(base + "/")
        frame = _drawn(page)
        page.wait_for_timeout(1500)  # let the first run's messages settle
        before = len(sent)
        frame.evaluate("CM.map.setView([33.5, 36.3], 8, {animate: false}), 1")
        try:
            page.wait_for_function(
                """() => { const q = new URLSearchParams(location.search), c = (q.get('center') || '0,0').split(',');
                          return q.get('zoom') === '8' && Math.abs(c[0] - 33.5) < 0.01 && Math.abs(c[1] - 36.3) < 0.01; }""",
                timeout=5000)
        except sync_api.TimeoutError:
            pytest.fail(f"the URL did not follow the map: {page.url}")
        page.wait_for_timeout(800)
        assert len(sent) == before, "a pan or zoom sent something to the server (a rerun)"
        # The URL now reproduces the view: a fresh page opens there.
        context2, page2 = _offline_page(browser, outside)
        try:
            page2.goto(page.url)
            frame2 = _drawn(page2)
            frame2.wait_for_function("CM.map.getZoom() === 8", timeout=10000)
            assert abs(frame2.evaluate("CM.map.getCenter().lat") - 33.5) < 0.01
        finally:
            context2.close()
    finally:
        context.close()
    assert outside == [], outside[:5]


def test_clicking_a_place_opens_its_articles_in_the_panel(dashboard, browser):
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/?center=34.7240,36.7256&zoom=11&layers=places")
        frame = _drawn(page)
        frame.wait_for_function("CM.map.getZoom() === 11", timeout=10000)
        frame.evaluate("window.__places = CM.layers.place, 1")
        _click_place(page, frame, "Homs")
        page.get_by_role("heading", name="Homs").wait_for(timeout=15000)
        page.wait_for_url("**selected=Homs**", timeout=10000)
        panel = page.locator(".cm-panel")
        panel.first.wait_for(timeout=10000)
        assert panel.count() == 2  # both articles that name Homs
        text = "\n".join(panel.all_inner_texts())
        assert "Strikes <b>bold</b>" in text and "Shayrat hit" in text  # the headline as text, never markup
        assert page.locator(".cm-panel mark").first.inner_text() == "Homs"
        # The article's <b> is text: no element of the panel holds just "bold".
        assert page.evaluate("[...document.querySelectorAll('.cm-panel *')].filter(e => e.textContent === 'bold').length") == 0
        # The ring around it and its own bars in the timeline (drawn in the map's frame) come with the
        # same rerun as the panel.
        frame.wait_for_function(
            "Object.values(CM.map._layers).some(l => l.options && l.options.pane === 'cm-selection')", timeout=5000)
        assert frame.locator(".cm-below svg.cm-timeline").count() == 1
        assert frame.evaluate("CM.layers.place === window.__places")  # unchanged layers are not drawn again
        # The frame is tall enough for the whole timeline, its date labels included.
        frame.wait_for_function("document.querySelector('.cm-below svg').getBoundingClientRect().bottom "
                                "<= window.innerHeight", timeout=5000)
        page.get_by_text("in black, those of Homs").wait_for(timeout=5000)


def test_articles_page_links_to_the_map(dashboard, browser):
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/articles")
        page.get_by_text("Homs · city").click()  # both articles name Homs
        page.wait_for_url("**selected=Homs**", timeout=15000)
        page.get_by_role("heading", name="Homs").wait_for(timeout=15000)
        frame = _drawn(page)
        frame.wait_for_function("CM.map.getZoom() === 8", timeout=10000)


def test_copy_link_copies_the_whole_view(dashboard, browser):
    base, _ = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    try:
        page.goto(base + "/?features=city&layers=places|roads")
        frame = _drawn(page)
        frame.evaluate("CM.map.setView([34.9, 37.1], 9, {animate: false}), 1")
        page.wait_for_function("new URLSearchParams(location.search).get('zoom') === '9'", timeout=5000)
        page.get_by_text("Copy link to this view").click()
        page.get_by_text("Link copied").wait_for(timeout=5000)
        copied = parse_qs(urlsplit(page.evaluate("navigator.clipboard.readText()")).query)
        assert copied["features"] == ["city"] and copied["layers"] == ["places|roads"] and copied["zoom"] == ["9"]
        lat, lon = (float(x) for x in copied["center"][0].split(","))
        assert abs(lat - 34.9) < 0.01 and abs(lon - 37.1) < 0.01  # the map's own view, as it has it
    finally:
        context.close()
    assert outside == [], outside[:5]


def test_export_page_takes_the_view_the_map_was_left_at(dashboard, browser, tmp_path):
    """Panning runs no Python; the Export page still exports the view the analyst left the map at."""
    base, _ = dashboard
    outside: list[str] = []
    context, page = _offline_page(browser, outside)
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    try:
        page.goto(base + "/?features=city&layers=places")
        frame = _drawn(page)
        page.wait_for_timeout(1500)
        before = len(sent)
        frame.evaluate("CM.map.setView([33.9, 36.9], 9, {animate: false}), 1")
        page.wait_for_function("new URLSearchParams(location.search).get('zoom') === '9'", timeout=5000)
        page.wait_for_timeout(800)
        assert len(sent) == before, "a pan or zoom sent something to the server (a rerun)"
        page.get_by_test_id("stSidebarNav").get_by_text("Export").click()
        page.get_by_text("centre 33.9000, 36.9000 at zoom 9").wait_for(timeout=15000)
        query = parse_qs(urlsplit(page.url).query)
        assert query["features"] == ["city"] and query["zoom"] == ["9"]  # the filters came along
        page.get_by_text("3 mentions of 2 places in 2 articles").wait_for(timeout=5000)  # cities: Homs twice, Palmyra
        # The interactive HTML map it prepares opens at that view.
        page.get_by_role("combobox", name="Format").click()
        page.get_by_role("option", name="Interactive HTML map (opens offline)").click()
        page.get_by_role("button", name="Prepare file").click()
        with page.expect_download(timeout=60000) as download:
            page.get_by_role("button", name="Download conflict-map.html").click(timeout=60000)
        html = Path(download.value.path()).read_text(encoding="utf-8")
        assert "center: [33.9, 36.9]," in html and '"zoom": 9,' in html  # the map opens there
        # Back on the map, it is where the analyst left it.
        page.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).last.click()
        frame = _drawn(page)
        frame.wait_for_function("CM.map.getZoom() === 9", timeout=10000)
        centre = frame.evaluate("[CM.map.getCenter().lat, CM.map.getCenter().lng]")
        assert abs(centre[0] - 33.9) < 0.01 and abs(centre[1] - 36.9) < 0.01
    finally:
        context.close()
    assert outside == [], outside[:5]


def test_add_article_preview_is_the_map_pages_map(dashboard, browser):
    """The preview draws the found places as the Map page does (canvas layer, escaped tooltips), and
    leaves the page URL alone: the Map and Export pages keep their view there."""
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/add_article")
        page.get_by_label("Article text").fill("Shelling hit Homs at dawn, and a convoy reached Palmyra by noon.")
        page.get_by_label("Headline (optional)").fill("<img src=x onerror=alert(1)> Convoy")
        page.get_by_role("button", name="Find places").first.click()
        frame = _drawn(page, timeout=60000)
        assert sorted(_place_names(frame)) == ["Homs", "Palmyra"]  # by its display name (GeoNames': Tadmur)
        assert frame.locator(".cm-legend").count() == 1
        assert frame.locator(".leaflet-draw").count() == 0  # no tools in a preview
        page.wait_for_timeout(1000)  # the map's own timers have run
        query = parse_qs(urlsplit(page.url).query)
        assert "center" not in query and "zoom" not in query
        assert page.evaluate("window.__cmView === undefined")
        assert page.locator("img[src=x]").count() == 0  # the headline is text


def _overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


_RECT = "e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; }"


def test_the_map_takes_most_of_a_wide_window_and_opens_on_every_place(dashboard, browser):
    base, _ = dashboard
    with offline_page(browser, viewport=(1600, 1000)) as page:
        page.goto(base + "/?layers=places|events")
        frame = _drawn(page)
        frame.wait_for_function("CM.toolsReady === true", timeout=5000)
        box = page.locator(f"iframe[title='pages.{MAP_FRAME}']").bounding_box()
        assert box["width"] >= 0.65 * 1600, box  # the panel beside it is narrow
        assert frame.evaluate("CM.map.getSize().y") >= 0.7 * 1000
        # The start view shows every place.
        assert frame.evaluate("""() => { const d = CM.layers.place.data, b = CM.map.getBounds();
                                         return d.lat.every((lat, i) => b.contains([lat, d.lon[i]])); }""")
        # The main places are named, no name over another or over a control.
        frame.wait_for_function("CM.placeNames && CM.placeNames.shown.indexOf('Homs') >= 0", timeout=5000)
        names = frame.locator(".cm-place-name").evaluate_all(f"els => els.map({_RECT})")
        controls = frame.locator(".leaflet-control").evaluate_all(f"els => els.map({_RECT})")
        assert len(names) == len(frame.evaluate("CM.placeNames.shown")) >= 2
        assert not any(_overlap(a, b) for i, a in enumerate(names) for b in names[i + 1:])
        assert not any(_overlap(a, c) for a in names for c in controls if c["w"] and c["h"])
        # The key: long with events, so a button at first; opened, it keeps clear of the tools above it.
        key = frame.locator(".cm-legend")
        assert "cm-legend-closed" in key.get_attribute("class")
        assert key.evaluate(_RECT)["h"] < 40
        frame.locator(".cm-legend-toggle").click()
        assert "cm-legend-closed" not in key.get_attribute("class")
        assert frame.get_by_text("Events (around their place)").is_visible()
        tools = frame.locator(".leaflet-top.leaflet-right .leaflet-control").evaluate_all(f"els => els.map({_RECT})")
        assert tools and not any(_overlap(key.evaluate(_RECT), t) for t in tools)
        # Its state is remembered: open after a reload.
        page.reload()
        frame = _drawn(page)
        frame.locator(".cm-legend").wait_for(timeout=5000)
        assert "cm-legend-closed" not in frame.locator(".cm-legend").get_attribute("class")


def test_no_places_under_the_filters_says_why_and_clears_them(dashboard, browser):
    base, _ = dashboard
    with offline_page(browser) as page:
        page.goto(base + "/?query=nothing%20says%20this")
        page.get_by_text("No places under these filters: clear “Search”.").wait_for(timeout=15000)
        page.get_by_role("button", name="Clear all filters").click()
        frame = _drawn(page)
        frame.wait_for_function("CM.layers.place.data.lat.length === 3", timeout=15000)
        page.wait_for_function("!new URLSearchParams(location.search).has('query')", timeout=10000)
        assert page.get_by_text("No places under these filters").count() == 0
