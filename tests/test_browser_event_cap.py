"""In a browser: beyond its cap the event layer draws the most relevant events and says so in a note in the
map's lower left corner (escaped text), which leaves with the layer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.config import STATIC_DIR
from geo.maps.base import base_map
from geo.maps.events import events_layer
from geo.view.event_points import event_points
from tests.test_browser import CHROMIUM

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")


def test_the_cap_note_shows_with_the_layer_and_leaves_with_it(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    n = 7
    rows = pd.DataFrame({"place_id": [1] * n, "name": ["Homs"] * n, "lat": [34.73] * n, "lon": [36.71] * n,
                         "event_type": ["Battles"] * n, "event_subtype": ["Armed clash"] * n,
                         "modality": ["fact"] * n, "actor1": ["<img src=x onerror=window.__pwned=1>"] * n,
                         "actor2": [None] * n, "title": ["Report"] * n, "source": ["Wire"] * n,
                         "url": ["https://example.org/r"] * n, "article_id": [f"a{i}" for i in range(n)],
                         "day": pd.to_datetime(["2024-03-01"] * n)})
    m = base_map(bundle=True, dashboard=False, asset_base=Path(STATIC_DIR, "vendor").resolve().as_uri())
    events_layer(event_points(rows), cap=3).add_to(m)
    page_file = tmp_path / "map.html"
    m.save(str(page_file))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 600})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_function("window.CM && CM.stats && CM.stats.events !== undefined", timeout=30000)
            assert page.evaluate("[CM.stats.events, CM.stats.eventsTotal]") == [3, 7]
            note = page.locator(".leaflet-bottom.leaflet-left .cm-event-note")
            assert note.inner_text().startswith("3 of 7 events shown") and note.is_visible()
            page.evaluate("() => { CM.layers.events.group.remove(); }")
            assert page.locator(".cm-event-note").count() == 0
            assert not errors and not page.evaluate("window.__pwned")
        finally:
            browser.close()
