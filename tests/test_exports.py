"""Briefing exports: data files read back equal, briefing pictures at exact sizes with their furniture,
the HTML map offline and inert, the CLI. Browser tests need Debian's chromium."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from PIL import Image
from shapely.geometry import LineString, Point

from geo.config import ROOT
from geo.exports import Briefing, BrowserUnavailable, LayoutError, banner_colours, build_layout, render
from geo.exports import data as exdata
from geo.exports.browser import block_outside
from geo.exports.layout import (
    SIZES,
    fit_zoom,
    mercator,
    metres_per_px,
    nice_scale_km,
    plain,
    time_window,
    view_extent,
)
from geo.view.state import MapState
from geo.store import Store
from geo.types import Article, ResolvedMention

CHROMIUM = "/usr/bin/chromium"
XSS = "<script>alert(1)</script>"
GREEN = (0x00, 0x7A, 0x33)
FIXED_CLOCK = lambda: datetime(2026, 1, 2, 3, 4, tzinfo=UTC)  # noqa: E731

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")


def _m(text: str, surface: str, name: str, lat: float, lon: float, feature: str, country: str | None, score: float = 0.9):
    start = text.index(surface)
    return ResolvedMention(start, start + len(surface), surface, name, lat, lon, feature, country, None, score)


ARTICLES = [
    (
        Article(text="Jets struck near Homs at dawn, and troops moved on Palmyra from the Tiyas air base.",
                title="Strikes near Homs", source="Demo Wire", url="https://example.org/a", published="2017-03-02"),
        [("Homs", "Homs", 34.72682, 36.72339, "city", "SY"), ("Palmyra", "Tadmur", 34.56240, 38.28402, "city", "SY"),
         ("Tiyas air base", "Tiyas Air Base", 34.52260, 37.62970, "air base", "SY")],
    ),
    (
        Article(text="A convoy waited on the road between Damascus and Homs; shelling was heard in Syria.",
                title=f"Convoy held {XSS} on the M5", source="Levant Desk", url="javascript:alert(1)", published="2017-03-09"),
        [("Damascus", "Damascus", 33.51020, 36.29128, "city", "SY"), ("Homs", "Homs", 34.72682, 36.72339, "city", "SY"),
         ("Syria", "Syria", 35.0, 38.0, "country", "SY")],
    ),
    (
        Article(text="=HYPERLINK(\"x\") Families left Raqqa along the Euphrates towards Deir ez-Zor.",
                title="=cmd|' /C calc'!A0", source="Euphrates Bulletin", published="2017-04-14"),
        [("Raqqa", "Ar Raqqah", 35.95283, 39.00788, "city", "SY"), ("Euphrates", "Euphrates", 35.6, 39.3, "river", None),
         ("Deir ez-Zor", "Deir ez-Zor", 35.33588, 40.14084, "city", "SY")],
    ),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'exports.sqlite'}")
    for article, mentions in ARTICLES:
        s.add(article, [_m(article.text, *m) for m in mentions])
    return s


@pytest.fixture(scope="module")
def frame(store) -> pd.DataFrame:
    return store.mention_frame()


@pytest.fixture(scope="module")
def airbases() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Shayrat Air Base", "Bassel Al-Assad Airport"], "ident": ["OS0X", "OSLK"],
         "kind": ["air base", "airport"], "country": ["SY", "SY"]},
        geometry=[Point(36.909, 34.4903), Point(35.9487, 35.4011)], crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def roads() -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame({"name": ["M5 <b>"]}, geometry=[LineString([(36.29, 33.51), (36.72, 34.73), (37.16, 36.20)])],
                           crs="EPSG:4326")
    gdf.attrs["source"] = "test roads"
    return gdf


def _png(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _is_banner_row(row: np.ndarray, colour=GREEN, tol: int = 6, share: float = 0.98) -> bool:
    return float((np.abs(row - np.array(colour)).max(axis=1) <= tol).mean()) >= share


def _assert_briefing_png(data: bytes, size: tuple[int, int]) -> None:
    img = _png(data)
    assert (img.shape[1], img.shape[0]) == size
    for y in (0, 2, img.shape[0] - 3, img.shape[0] - 1):  # the banner band at the very top and bottom
        assert _is_banner_row(img[y]), f"row {y} is not the banner colour"
    h, w = img.shape[:2]
    area = img[int(h * 0.25): int(h * 0.85), int(w * 0.05): int(w * 0.65)]  # inside the map
    colours = np.unique(area.reshape(-1, 3), axis=0)
    assert len(colours) > 40, "the map area looks blank"
    assert area.std() > 15


def _pdf_pages(data: bytes):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install -r requirements-dev.txt)")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


# ---------------------------------------------------------------------------------------- layout


def test_size_presets_are_exact():
    assert SIZES["1920x1080"].png_px == (1920, 1080) and SIZES["1920x1080"].css_px == (1280, 720)
    assert SIZES["1920x1080@2x"].png_px == (3840, 2160)
    a4, letter = SIZES["A4"], SIZES["Letter"]
    assert round(a4.width_in * 72) == 842 and round(a4.height_in * 72) == 595
    assert (letter.width_in, letter.height_in) == (11.0, 8.5)
    with pytest.raises(LayoutError):
        Briefing(size="A3")


def test_banner_colours():
    assert banner_colours("green") == ("#ffffff", "#007a33")
    assert banner_colours("#fce83a") == ("#000000", "#fce83a")  # light background, dark text
    assert banner_colours("#111111/#eeeeee") == ("#111111", "#eeeeee")
    with pytest.raises(LayoutError):
        banner_colours("url(javascript:1)")
    with pytest.raises(LayoutError):
        Briefing(banner_bg="red; background:url(x)")


def test_layout_lists_visible_layers_articles_and_dates(frame):
    state = MapState()
    layout = build_layout(frame, state, Briefing(title="T"), airbases=True, roads=True, roads_source="test roads",
                          clock=FIXED_CLOCK)
    labels = [e.label for e in layout.legend]
    assert labels[0] == "city"  # most mentioned type first
    assert {"city", "country", "air base", "river"} <= set(labels)
    assert {"air base (layer)", "airport (layer)", "road"} <= set(labels)  # the map legend's own entries
    assert layout.time_window == "2017-03-02 to 2017-04-14 (article dates)"
    assert layout.generated == "2026-01-02 03:04 UTC"
    assert "GeoNames (CC BY 4.0)" in layout.attribution and "OurAirports" in layout.attribution
    assert "Natural Earth" in layout.attribution and "test roads" in layout.attribution
    assert [a.number for a in layout.articles] == [1, 2, 3]
    assert [a.title for a in layout.articles][0] == "Strikes near Homs"  # oldest first
    assert layout.articles[0].places == ("Homs", "Tadmur", "Tiyas Air Base")
    homs = next(k for k in layout.place_articles if k[0] == "Homs")
    assert layout.place_articles[homs] == (1, 2)

    hidden = build_layout(frame, state.with_(layers=("places",)), Briefing(), airbases=True, roads=True)
    assert not {"air base (layer)", "road"} & {e.label for e in hidden.legend}
    narrow = build_layout(frame, state.with_(features=("river",), date_from="2017-04-01"), Briefing())
    assert [e.label for e in narrow.legend] == ["river"]
    assert narrow.time_window == "from 2017-04-01"
    assert time_window(frame, MapState(date_from="2017-03-01", date_to="2017-03-31")) == "2017-03-01 to 2017-03-31"


def test_plain_text_has_no_control_characters():
    assert plain("a\x00b\u202ec\n\td") == "a b c d"
    assert plain(None) == "" and plain(float("nan")) == ""
    assert plain("x" * 50, 10) == "x" * 9 + "…"


def test_view_follows_state_or_fits_the_data():
    bounds = ((33.5, 36.3), (36.0, 40.1))
    z = fit_zoom(bounds, 900, 600)
    x0, y0, x1, y1, zoom = view_extent(MapState(), bounds, 900, 600)
    assert zoom == z and x1 - x0 == pytest.approx(900 * metres_per_px(z))
    (bx0, by0), (bx1, by1) = mercator(33.5, 36.3), mercator(36.0, 40.1)
    assert x0 <= bx0 and x1 >= bx1 and y0 <= by0 and y1 >= by1  # the data fits
    cx, cy = mercator(34.8, 38.5)
    x0, y0, x1, y1, zoom = view_extent(MapState(center=(34.8, 38.5), zoom=9), bounds, 800, 400)
    assert zoom == 9 and (x0 + x1) / 2 == pytest.approx(cx) and (y0 + y1) / 2 == pytest.approx(cy)
    assert [nice_scale_km(x) for x in (0.7, 3, 180, 499)] == [0.5, 2, 100, 200]


# ---------------------------------------------------------------------------------------- data files


def _key(name, lon, lat):
    return (name, round(float(lon), 6), round(float(lat), 6))


def test_geojson_reads_back_equal(frame, tmp_path):
    data = exdata.to_geojson(frame)
    doc = json.loads(data)
    assert len(doc["features"]) == len(frame)
    props = doc["features"][0]["properties"]
    assert {"name", "title", "source", "published", "url", "sentence", "score", "feature", "country"} <= set(props)
    path = tmp_path / "m.geojson"
    path.write_bytes(data)
    back = gpd.read_file(path)
    assert sorted(_key(n, g.x, g.y) for n, g in zip(back["name"], back.geometry)) == sorted(
        _key(n, lon, lat) for n, lon, lat in zip(frame["name"], frame["lon"], frame["lat"]))
    assert f"Convoy held {XSS} on the M5" in set(back["title"].dropna())  # data is exported as written; escaping is the renderer's job


def test_csv_parses_with_wkt_and_defuses_formulas(frame):
    text = exdata.to_csv(frame).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["lat", "lon", "wkt"]
    assert len(rows) == len(frame)
    for r in rows:
        p = shapely.from_wkt(r["wkt"])
        assert (p.x, p.y) == (float(r["lon"]), float(r["lat"]))
        assert {"title", "source", "published", "url", "sentence", "score"} <= set(r)
    raqqa = next(r for r in rows if r["name"] == "Ar Raqqah")
    assert raqqa["title"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert raqqa["sentence"].startswith("'=HYPERLINK")
    assert float(raqqa["score"]) == pytest.approx(0.9)


def test_kml_is_valid_escaped_and_reads_back_equal(frame, tmp_path):
    data = exdata.to_kml(frame)
    root = ET.fromstring(data)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
    placemarks = root.findall(".//k:Placemark", ns)
    assert len(placemarks) == len(frame)
    convoy = next(p for p in placemarks if XSS in ET.tostring(p, encoding="unicode") or
                  "&lt;script&gt;" in (p.findtext("k:description", namespaces=ns) or ""))
    # Balloons are HTML in Google Earth: the headline is HTML-escaped inside the XML text, so it shows as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in convoy.findtext("k:description", namespaces=ns)
    assert "<script>" not in convoy.findtext("k:description", namespaces=ns)
    assert "javascript:" not in convoy.findtext("k:description", namespaces=ns)
    assert b"<script>" not in data
    path = tmp_path / "m.kml"
    path.write_bytes(data)
    layers = [name for name, _ in pyogrio.list_layers(path)]
    back = pd.concat([gpd.read_file(path, layer=layer) for layer in layers], ignore_index=True)
    name_col = "Name" if "Name" in back else "name"
    assert sorted(_key(n, g.x, g.y) for n, g in zip(back[name_col], back.geometry)) == sorted(
        _key(n, lon, lat) for n, lon, lat in zip(frame["name"], frame["lon"], frame["lat"]))


def test_gpkg_reads_back_equal(frame, tmp_path):
    data = exdata.to_gpkg(frame)
    assert data[:16] == b"SQLite format 3\x00"
    path = tmp_path / "m.gpkg"
    path.write_bytes(data)
    back = gpd.read_file(path, layer="mentions")
    assert back.crs.to_epsg() == 4326
    assert sorted(_key(n, g.x, g.y) for n, g in zip(back["name"], back.geometry)) == sorted(
        _key(n, lon, lat) for n, lon, lat in zip(frame["name"], frame["lon"], frame["lat"]))
    assert set(back["source"].dropna()) == {"Demo Wire", "Levant Desk", "Euphrates Bulletin"}
    assert back["score"].tolist() == pytest.approx(frame["score"].tolist())


def test_empty_frame_exports(frame):
    empty = frame.iloc[0:0]
    assert json.loads(exdata.to_geojson(empty))["features"] == []
    assert exdata.to_csv(empty).decode("utf-8-sig").startswith("lat,lon,wkt")
    assert ET.fromstring(exdata.to_kml(empty)).tag.endswith("kml")


# ---------------------------------------------------------------------------------------- static pictures


@pytest.mark.parametrize("size", ["1920x1080", "1920x1080@2x"])
def test_static_png_exact_size_banner_and_map(frame, airbases, roads, size):
    b = Briefing.with_banner_colour("green", title=f"Syria {XSS}", subtitle="test", banner="UNCLASSIFIED", size=size)
    out = render(frame, MapState(), b, "png", renderer="static", airbases=airbases, roads=roads, clock=FIXED_CLOCK)
    assert out.renderer == "static"
    _assert_briefing_png(out.data, SIZES[size].png_px)


@pytest.mark.parametrize("size,points", [("A4", (841.9, 595.3)), ("Letter", (792.0, 612.0))])
def test_static_pdf_is_one_landscape_page(frame, size, points):
    out = render(frame, MapState(), Briefing(size=size, banner="UNCLASSIFIED"), "pdf", renderer="static")
    assert out.data[:5] == b"%PDF-"
    pages = _pdf_pages(out.data)
    assert len(pages) == 1
    w, h = pages[0]
    assert w > h and w == pytest.approx(points[0], abs=1) and h == pytest.approx(points[1], abs=1)


def test_static_without_banner_or_places(frame):
    state = MapState(center=(34.8, 38.5), zoom=7, layers=())
    out = render(frame, state, Briefing(), "png", renderer="static")
    img = _png(out.data)
    assert not _is_banner_row(img[0])
    assert (img[0] == 255).all()  # white page edge


def test_browser_unavailable_is_explained_and_falls_back(frame):
    with pytest.raises(BrowserUnavailable, match="apt-get install chromium"):
        render(frame, MapState(), Briefing(), "png", renderer="browser", executable="/nonexistent/chromium")
    out = render(frame, MapState(), Briefing(), "png", executable="/nonexistent/chromium")
    assert out.renderer == "static"
    with pytest.raises(ValueError):
        render(frame, MapState(), Briefing(), "svg")


# ---------------------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from geo.exports.browser import CHROMIUM_ARGS

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _offline_page(browser, outside: list[str], dialogs: list[str], **context_kw):
    context = browser.new_context(**context_kw)

    block_outside(context, outside)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return context, page


@needs_chromium
@pytest.mark.parametrize("size", ["1920x1080", "1920x1080@2x"])
def test_browser_png_exact_size_banner_and_map(frame, airbases, roads, size):
    b = Briefing.with_banner_colour("green", title="Syria", banner="UNCLASSIFIED", size=size)
    out = render(frame, MapState(), b, "png", renderer="browser", airbases=airbases, roads=roads)
    assert out.renderer == "browser" and out.blocked == ()
    _assert_briefing_png(out.data, SIZES[size].png_px)


@needs_chromium
@pytest.mark.parametrize("size,points", [("A4", (841.9, 595.3)), ("Letter", (792.0, 612.0))])
def test_browser_pdf_is_one_landscape_page(frame, size, points):
    out = render(frame, MapState(), Briefing(size=size, banner="UNCLASSIFIED"), "pdf", renderer="browser")
    assert out.blocked == ()
    pages = _pdf_pages(out.data)
    assert len(pages) == 1
    w, h = pages[0]
    assert w > h and w == pytest.approx(points[0], abs=1.5) and h == pytest.approx(points[1], abs=1.5)


@needs_chromium
def test_browser_page_shows_legend_articles_and_escaped_title(frame, airbases, roads, browser, tmp_path):
    from geo.exports.browser import briefing_page

    layout = build_layout(frame, MapState(), Briefing(title=f"Brief {XSS}", banner="SECRET//<b>X</b>"),
                          airbases=True, roads=True, roads_source="test roads")
    html = briefing_page(frame, MapState(), layout, airbases=airbases, roads=roads)
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    path = tmp_path / "briefing.html"
    path.write_text(html, encoding="utf-8")
    outside, dialogs = [], []
    context, page = _offline_page(browser, outside, dialogs, viewport={"width": 1280, "height": 720})
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.cmReady === true", timeout=30000)
        legend = page.locator(".cm-legend-list").inner_text()
        for label in ("city", "country", "air base", "river", "air base (layer)", "airport (layer)", "road"):
            assert label in legend.splitlines()
        assert page.locator("h1").inner_text() == f"Brief {XSS}"  # shown as text
        assert page.locator(".cm-banner.top").inner_text() == "SECRET//<B>X</B>"
        assert page.locator(".cm-articles li").count() == 3
        assert "Convoy held <script>" in page.locator(".cm-articles").inner_text()
        assert page.locator(".cm-side script, .cm-head script").count() == 0
        assert page.evaluate("CM.layers.place.data.lat.length") == len(layout.places)  # drawn on a canvas
        assert page.locator(".leaflet-control-scale-line").first.is_visible()
        assert page.locator(".cm-north").is_visible()
        assert "Generated" in page.locator(".cm-foot").inner_text()
    finally:
        context.close()
    assert dialogs == [] and outside == []


@needs_chromium
def test_html_export_opens_offline_from_file_and_stays_inert(frame, airbases, roads, browser, tmp_path):
    from geo.exports import to_html

    data = to_html(frame, MapState(), title=XSS, airbases=airbases, roads=roads)
    html = data.decode("utf-8")
    assert XSS not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "<script src=" not in html
    path = tmp_path / "map.html"
    path.write_bytes(data)
    n_places = frame.groupby(["name", "lat", "lon", "feature"]).ngroups
    outside, dialogs = [], []
    context, page = _offline_page(browser, outside, dialogs, viewport={"width": 1200, "height": 800})
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.CM && CM.layers && CM.layers.place && CM.map && CM.map._loaded", timeout=30000)
        assert page.evaluate("CM.layers.place.data.lat.length") == n_places
        assert page.locator(".cm-export-title").inner_text() == XSS
        assert page.title() == XSS
        # A popup with the article whose headline carries markup: shown as text, nothing runs. The places
        # are drawn on a canvas: each is clicked where the map puts it.
        points = page.evaluate("""() => {
            const map = CM.map, d = CM.layers.place.data, box = map.getContainer().getBoundingClientRect();
            return d.lat.map((lat, i) => { const p = map.latLngToContainerPoint([lat, d.lon[i]]);
                                            return [box.left + p.x, box.top + p.y]; }); }""")
        for x, y in points:
            page.mouse.click(x, y)
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=5000)
            if "Convoy" in popup.inner_text():
                assert f"Convoy held {XSS}" in popup.inner_text()
                assert popup.locator("a[href^='javascript']").count() == 0
                break
        else:
            pytest.fail("no popup shows the convoy article")
        page.wait_for_timeout(300)
    finally:
        context.close()
    assert dialogs == [], dialogs
    assert outside == [], f"{len(outside)} request(s) left the machine: {outside[:5]}"


# ---------------------------------------------------------------------------------------- CLI


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def test_cli_exports_filtered_data(store, tmp_path):
    out = tmp_path / "levant.geojson"
    res = _cli("--db", store.url, "--source", "Levant Desk", "--country", "sy", "-o", str(out))
    assert res.returncode == 0, res.stderr
    names = sorted(f["properties"]["name"] for f in json.loads(out.read_bytes())["features"])
    assert names == ["Damascus", "Homs", "Syria"]
    res = _cli("--db", store.url, "--format", "csv", "--from", "2017-04-01", "-o", str(tmp_path / "late.csv"))
    assert res.returncode == 0, res.stderr
    assert len((tmp_path / "late.csv").read_text(encoding="utf-8-sig").splitlines()) == 1 + 3


def test_cli_static_png_and_errors(store, tmp_path):
    out = tmp_path / "brief.png"
    res = _cli("--db", store.url, "--format", "png", "--renderer", "static", "--title", "Brief", "--banner",
               "UNCLASSIFIED", "--banner-colour", "green", "--min-score", "0.5", "--layer", "places", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "static renderer" in res.stderr
    _assert_briefing_png(out.read_bytes(), (1920, 1080))
    bad = _cli("--db", store.url, "--from", "last tuesday", "-o", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and "not a date" in bad.stderr
    bad = _cli("--db", store.url, "--format", "png", "--banner-colour", "chartreuse", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "banner colour" in bad.stderr
    bad = _cli("--db", store.url, "-o", str(tmp_path / "x.docx"))
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_cli_starts_from_a_dashboard_link(store, tmp_path):
    out = tmp_path / "link.geojson"
    res = _cli("--db", store.url, "--link", "http://localhost:8501/?sources=Levant%20Desk&features=city", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(f["properties"]["name"] for f in json.loads(out.read_bytes())["features"]) == ["Damascus", "Homs"]
    res = _cli("--db", store.url, "--link", "sources=Levant%20Desk", "--source", "Demo Wire", "-o", str(out))
    assert res.returncode == 0, res.stderr  # a flag overrides the link
    assert {f["properties"]["source"] for f in json.loads(out.read_bytes())["features"]} == {"Demo Wire"}


def test_cli_link_carries_the_view_the_map_wrote(store, tmp_path):
    """The map keeps centre and zoom in the page URL (geo.maps.elements.ViewSync), so a copied link exports that view."""
    out = tmp_path / "view.html"
    res = _cli("--db", store.url, "--link", "http://localhost:8501/?center=35.5000,38.0000&zoom=9&layers=places",
               "-o", str(out))
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert "center: [35.5, 38.0]," in html and '"zoom": 9,' in html and "fitBounds" not in html.split("</head>")[1]
    res = _cli("--db", store.url, "--link", "http://localhost:8501/?center=35.5000,38.0000&zoom=9", "--zoom", "6",
               "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert '"zoom": 6,' in out.read_text(encoding="utf-8")  # a flag overrides


def test_data_exports_carry_the_event_at_each_place():
    import json as _json

    from geo.exports.data import to_geojson

    frame = pd.DataFrame([{
        "article_id": "a", "title": "t", "source": "s", "url": None, "published": "2017-03-01",
        "ingested_at": pd.Timestamp("2024-01-01", tz="UTC"), "start": 60, "end": 67, "text": "Palmyra",
        "name": "Tadmur", "lat": 34.56, "lon": 38.28, "feature": "city", "country": "SY", "geonameid": 163345,
        "score": 0.9, "sentence": "Russian frigate Admiral Essen launches Kalibr cruise missiles near Palmyra.",
    }, {
        "article_id": "a", "title": "t", "source": "s", "url": None, "published": "2017-03-01",
        "ingested_at": pd.Timestamp("2024-01-01", tz="UTC"), "start": 0, "end": 4, "text": "Homs",
        "name": "Homs", "lat": 34.72, "lon": 36.72, "feature": "city", "country": "SY", "geonameid": 169577,
        "score": 0.9, "sentence": "Homs is the third largest city.",
    }])
    props = [f["properties"] for f in _json.loads(to_geojson(frame))["features"]]
    assert props[0]["event_type"] == "Explosions/Remote violence"
    assert props[0]["actor1"] == "Military Forces of Russia" and props[0]["modality"] == "fact"
    assert props[1]["event_type"] is None
