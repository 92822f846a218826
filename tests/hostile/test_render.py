"""Hostile article text in everything that renders it: maps, exports, layers. Nothing may execute."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from lxml import etree
from shapely.geometry import LineString, Point

from geo.exports.browser import block_outside
from geo.exports.data import to_csv, to_geojson, to_kml
from geo.exports.html import to_html
from geo.layers.roads import RoadDataError, read_roads
from geo.view.state import MapState
from geo.exports.html import interactive_map
from geo.maps.assets import localize
from geo.maps.html import esc, safe_href

from tests.hostile.payloads import IMG, JS_URL, MARKUP, SCRIPT, SQL, SVG, TEMPLATE

CHROMIUM = "/usr/bin/chromium"


def hostile_frame() -> pd.DataFrame:
    rows = []
    for i, payload in enumerate(MARKUP + [SQL]):
        rows.append({
            "article_id": f"a{i}", "title": f"{payload} headline {i}", "source": payload, "url": JS_URL,
            "published": "2017-03-0" + str(1 + i % 9), "ingested_at": pd.Timestamp("2024-01-01", tz="UTC"),
            "start": 0, "end": 4, "text": "Homs", "name": f"Homs{payload}" if i == 0 else "Homs",
            "lat": 34.72 + i * 0.05, "lon": 36.72, "feature": "city", "country": "SY", "geonameid": 169577,
            "score": 0.9, "sentence": f"Homs was shelled {payload} on Monday.",
        })
    return pd.DataFrame(rows)


@pytest.mark.parametrize("payload", MARKUP + [SCRIPT, IMG, SVG, TEMPLATE])
def test_escape_leaves_no_markup(payload):
    out = esc(payload)
    assert "<" not in out and ">" not in out and "`" not in out and "${" not in out


@pytest.mark.parametrize("url", [JS_URL, "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>",
                                 "vbscript:msgbox", "//evil.example/x", "file:///etc/passwd"])
def test_only_http_links_become_hrefs(url):
    assert safe_href(url) is None


def test_kml_keeps_text_as_text():
    root = etree.fromstring(to_kml(hostile_frame()))
    assert not root.findall(".//{*}script")
    names = [n.text for n in root.iter("{http://www.opengis.net/kml/2.2}name")]
    assert any(SCRIPT in (n or "") for n in names) or any(SCRIPT in (d.text or "") for d in root.iter())


def test_csv_neutralises_formulas_and_keeps_markup_inert():
    frame = hostile_frame()
    frame.loc[0, "title"] = '=HYPERLINK("http://evil.example","click")'
    rows = list(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert rows[0]["title"].startswith("'=")


def test_geojson_round_trips_hostile_strings():
    data = json.loads(to_geojson(hostile_frame()))
    titles = {f["properties"]["title"] for f in data["features"]}
    assert any(SCRIPT in t for t in titles)


def test_roads_file_with_out_of_range_coordinates_is_refused(tmp_path):
    bad = gpd.GeoDataFrame({"name": ["x"]}, geometry=[LineString([(500, 100), (501, 101)])], crs="EPSG:4326")
    bad.to_file(tmp_path / "bad.geojson", driver="GeoJSON")
    with pytest.raises(RoadDataError, match="out of range"):
        read_roads(tmp_path / "bad.geojson")


def test_roads_file_with_empty_and_point_geometries_keeps_the_lines(tmp_path):
    mixed = gpd.GeoDataFrame({"name": [SCRIPT, "p", "empty"]},
                             geometry=[LineString([(36.3, 33.5), (36.7, 34.7)]), Point(1, 1), LineString()],
                             crs="EPSG:4326")
    mixed.to_file(tmp_path / "mixed.gpkg", driver="GPKG")
    roads = read_roads(tmp_path / "mixed.gpkg")
    assert list(roads["name"]) == [SCRIPT]  # kept verbatim, escaped where it is drawn


def test_roads_file_that_is_not_gis_is_refused(tmp_path):
    (tmp_path / "roads.geojson").write_text("<script>alert(1)</script>", encoding="utf-8")
    with pytest.raises(RoadDataError):
        read_roads(tmp_path / "roads.geojson")


# Each drawn place's position on the page: the map draws on a canvas, so the places are found in the
# layer's own columns (window.CM.layers, geo/maps/js/point_layer.js), not as elements.
_PLACES_ON_PAGE = """() => {
    const map = window.CM.map, d = window.CM.layers.place.data, box = map.getContainer().getBoundingClientRect();
    return d.lat.map((lat, i) => { const p = map.latLngToContainerPoint([lat, d.lon[i]]); return [box.left + p.x, box.top + p.y]; });
}"""


def _no_execution(page_url: str, tmp_path: Path) -> tuple[int, int]:
    """Open the page, click every place (their popups carry the article text) and check nothing ran."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    dialogs, outside, popups = [], [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        block_outside(page, outside)
        page.goto(page_url)
        page.wait_for_function("window.CM && CM.layers && CM.layers.place && CM.map && CM.map._loaded", timeout=15000)
        page.wait_for_timeout(200)
        for x, y in page.evaluate(_PLACES_ON_PAGE)[:12]:
            page.mouse.click(x, y)
            page.wait_for_timeout(50)
            popups += page.locator(".leaflet-popup-content").all_inner_texts()
        pwned = page.evaluate("typeof window.__pwned !== 'undefined'")
        browser.close()
    assert not pwned and not dialogs
    assert any("window.__pwned" in text for text in popups), popups  # the article text, shown as text
    return len(dialogs), len(outside)


def test_map_popups_with_hostile_text_execute_nothing(tmp_path):
    vendor = Path(__file__).resolve().parents[2] / "static" / "vendor"
    if not (vendor / ".complete").exists():
        pytest.skip("static/vendor is not installed (make assets)")
    fmap = localize(interactive_map(hostile_frame(), MapState()), vendor.as_uri())
    path = tmp_path / "map.html"
    fmap.save(str(path))
    html = path.read_text(encoding="utf-8")
    assert SCRIPT not in html and IMG not in html
    _, outside = _no_execution(path.as_uri(), tmp_path)
    assert outside == 0


def test_standalone_html_export_with_hostile_text_executes_nothing(tmp_path):
    vendor = Path(__file__).resolve().parents[2] / "static" / "vendor"
    if not (vendor / ".complete").exists():
        pytest.skip("static/vendor is not installed (make assets)")
    path = tmp_path / "export.html"
    path.write_bytes(to_html(hostile_frame(), MapState(title=SCRIPT), title=SCRIPT, subtitle=IMG))
    _, outside = _no_execution(path.as_uri(), tmp_path)
    assert outside == 0
