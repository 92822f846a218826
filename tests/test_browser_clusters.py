"""The clusters layer in headless Chromium: crowded places become one bubble, zooming in splits it."""

from __future__ import annotations

import time

import pytest

from tests.test_browser import _map_frame, browser, dashboard, offline_page  # noqa: F401 (fixtures)
from tests.test_browser import pytestmark  # noqa: F401 - the same skips: no Chromium, no assets


def _wait(frame, expression: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = frame.evaluate(f"(() => {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})()")
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"never true in the map: {expression}")


def test_clusters_group_crowded_places_and_split_when_zoomed_in(dashboard, browser):  # noqa: F811
    base, places = dashboard
    with offline_page(browser) as page:
        page.goto(f"{base}/?layers=clusters&center=34.6,37.5&zoom=5")
        frame = _map_frame(page)
        _wait(frame, "CM.layers.cluster && CM.map._loaded")
        # Homs, Shayrat and Palmyra lie within ~160 km: a few pixels apart at zoom 5, one bubble.
        assert frame.evaluate("CM.stats.clusters") == 1
        assert frame.evaluate("document.querySelectorAll('.cm-cluster').length") == 1
        assert frame.evaluate("document.querySelector('.cm-cluster').textContent") == "4"  # mentions
        frame.click(".cm-cluster")  # zooms to the bubble's places
        _wait(frame, "CM.map.getZoom() > 5")
        page.wait_for_timeout(1000)  # let the zoom animation end: Leaflet drops a setView made during it
        frame.evaluate("void CM.map.setView([34.6, 37.5], 10, {animate: false})")
        _wait(frame, "CM.map.getZoom() === 10 && CM.stats.clusters === 0")
        assert frame.evaluate("document.querySelectorAll('.cm-cluster').length") == 0
        assert frame.evaluate("CM.stats.place") == places
