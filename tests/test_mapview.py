"""The place map: one marker per place, article text always escaped, offline links, attribution."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from geo.maps.view import (
    ATTRIBUTION,
    mark_spans,
    DEFAULT_CENTER,
    PLACE_CLASS,
    build_map,
    countries_frame,
    esc,
    highlight,
    marker_radius,
    mentions_frame,
    places_frame,
    popup_html,
    safe_href,
)
from geo.store.database import FRAME_COLUMNS

XSS_TITLE = "Raid <script>alert(1)</script> on `${window.pwned=1}` \\x3cscript>"
XSS_SENTENCE = 'Jets struck Homs <img src=x onerror="alert(2)"> before dawn.'


def _row(article_id, title, name, lat, lon, feature, sentence, text=None, url="https://example.org/a", source="Demo Wire"):
    return {
        "article_id": article_id,
        "title": title,
        "source": source,
        "url": url,
        "published": "2017-04-07",
        "ingested_at": pd.Timestamp("2026-01-01", tz="UTC"),
        "start": 0,
        "end": len(text or name),
        "text": text or name,
        "name": name,
        "lat": lat,
        "lon": lon,
        "feature": feature,
        "country": "SY",
        "geonameid": 1,
        "score": 0.9,
        "sentence": sentence,
    }


@pytest.fixture()
def frame() -> pd.DataFrame:
    rows = [
        _row("a1", XSS_TITLE, "Homs", 34.73, 36.72, "city", XSS_SENTENCE),
        _row("a1", XSS_TITLE, "Shayrat Air Base", 34.49, 36.91, "air base", "Shayrat was hit.", text="Shayrat"),
        _row("a2", "Second report", "Homs", 34.73, 36.72, "city", "Homs again.", url="javascript:alert(3)"),
        _row("a2", "Second report", "Damascus", 33.51, 36.29, "city", "Talks in Damascus & Geneva."),
    ]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


@pytest.fixture(scope="module")
def countries() -> gpd.GeoDataFrame:
    """A tiny stand-in for Natural Earth, so most tests don't embed 177 outlines."""
    return gpd.GeoDataFrame({"name": ["Syria"]}, geometry=[box(35.7, 32.3, 42.4, 37.3)], crs="EPSG:4326")


@pytest.fixture(scope="module")
def airbases() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["Tiyas Air Base", "Damascus International Airport", "Far <b>Airport</b>"],
            "ident": ["OS72", "OSDI", "ZZZZ"],
            "kind": ["air base", "airport", "airport"],
            "country": ["SY", "SY", "US"],
        },
        geometry=[Point(37.63, 34.52), Point(36.52, 33.41), Point(-100.0, 40.0)],
        crs="EPSG:4326",
    )


class _Links(HTMLParser):
    """Collects script src and stylesheet href attributes of a rendered page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"])


def _render(m: folium.Map) -> str:
    return m.get_root().render()


def _body(html: str) -> str:
    """The page without its <head>, where the map's JavaScript library (geo/maps/js) sits: what runs for this map."""
    return html.split("</head>", 1)[1]


def _place_markers(m: folium.Map) -> list[folium.CircleMarker]:
    group = next(c for c in m._children.values() if isinstance(c, folium.FeatureGroup) and c.layer_name == "Places")
    return [c for c in group._children.values() if isinstance(c, folium.CircleMarker)]


def test_one_marker_per_place_sized_by_mentions(frame, countries):
    m = build_map(frame, countries=countries)
    markers = _place_markers(m)
    assert len(markers) == 3
    radii = sorted(mk.options["radius"] for mk in markers)
    assert radii == [marker_radius(1), marker_radius(1), marker_radius(2)]
    assert all(mk.options["className"] == PLACE_CLASS for mk in markers)
    assert _render(m).count(f'"className": "{PLACE_CLASS}"') == 3


def test_places_frame_counts_mentions_and_articles(frame):
    places = places_frame(frame)
    homs = places.set_index("name").loc["Homs"]
    assert (homs["mentions"], homs["articles"]) == (2, 2)
    assert list(places.columns) == ["name", "feature", "country", "lat", "lon", "mentions", "articles", "score"]
    assert places_frame(frame.iloc[0:0]).empty


def test_popup_lists_each_article_with_escaped_text_and_mark(frame):
    homs = frame[frame["name"] == "Homs"]
    html = popup_html(homs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert "<mark>Homs</mark>" in html
    assert "Second report" in html and "Demo Wire" in html and "2017-04-07" in html
    assert 'href="https://example.org/a"' in html
    assert "javascript:" not in html  # a non-http URL is shown as plain text, never as a link


def test_rendered_map_has_no_live_article_markup(frame, countries):
    html = _render(build_map(frame, countries=countries))
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "onerror=\"alert" not in html
    assert "${window.pwned" not in html  # would run inside folium's JS template literal
    assert "\\x3cscript" not in html  # a backslash escape would be decoded by the template literal
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Talks in <mark>Damascus</mark> &amp; Geneva." in html


def test_escape_covers_template_literal_syntax():
    assert esc("`${x}` \\u003c") == "&#96;&#36;&#123;x&#125;&#96; &#92;u003c"
    assert esc("[a](javascript:x) *b* _c_ # d") == "&#91;a&#93;(javascript:x) &#42;b&#42; &#95;c&#95; &#35; d"
    assert esc("&lt;") == "&amp;lt;"  # one pass: nothing is unescaped or escaped twice
    assert esc(None) == "" and esc(float("nan")) == ""


def test_safe_href_only_for_http_urls():
    assert safe_href("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2"
    assert safe_href('http://x.org/"onmouseover=alert(1)') == "http://x.org/&quot;onmouseover=alert(1)"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil.org", None, float("nan")):
        assert safe_href(bad) is None


def test_highlight_marks_the_mention_and_trims_long_sentences():
    assert highlight("Strikes near Palmyra today.", "Palmyra") == "Strikes near <mark>Palmyra</mark> today."
    assert highlight("in HOMS now", "Homs") == "in <mark>HOMS</mark> now"
    assert highlight("a <b> c", "zzz") == "a &lt;b&gt; c"
    long = "x " * 300 + "Aleppo" + " y" * 300
    out = highlight(long, "Aleppo", width=100)
    assert "<mark>Aleppo</mark>" in out and out.startswith("…") and out.endswith("…") and len(out) < 140


def test_attribution_and_layers(frame, countries, airbases):
    m = build_map(frame, countries=countries, airbases=airbases)
    html = _render(m)
    assert ATTRIBUTION in html or ATTRIBUTION.replace("·", "\\u00b7") in html
    assert "Air bases" in html and "Places" in html and "Boundaries" in html
    assert "L.control.layers" in html
    assert '"maxZoom": 18' in html


def test_airfields_layer_styles_kinds_and_escapes_names(frame, countries, airbases):
    html = _render(build_map(frame, countries=countries, airbases=airbases))
    assert "Tiyas Air Base" in html and "Damascus International Airport" in html
    assert "Far <b>Airport</b>" not in html  # escaped, and far from the places: civil airports are local only
    assert '"fillColor": "#fdae6b"' in html and '"fillColor": "#ffffff"' in html


def test_localized_map_loads_nothing_from_a_cdn(frame, countries, airbases):
    parser = _Links()
    parser.feed(_render(build_map(frame, countries=countries, airbases=airbases)))
    assert len(parser.urls) >= 8
    assert all(u.startswith("/app/static/vendor/") for u in parser.urls), parser.urls


def test_asset_base_none_keeps_cdn_links(frame, countries):
    parser = _Links()
    parser.feed(_render(build_map(frame, countries=countries, asset_base=None)))
    assert any(u.startswith("https://cdn.jsdelivr.net/npm/leaflet@1.9.3") for u in parser.urls)


def test_fits_bounds_to_places_or_defaults_to_syria(frame, countries):
    html = _render(build_map(frame, countries=countries))
    assert "fitBounds" in html and "33.51" in html and "36.91" in html
    empty = build_map(frame.iloc[0:0], countries=countries)
    assert list(empty.location) == list(DEFAULT_CENTER)
    assert "fitBounds" not in _body(_render(empty))


def test_focus_centres_and_opens_that_place(frame, countries):
    m = build_map(frame, countries=countries, focus=(33.51, 36.29))
    assert list(m.location) == [33.51, 36.29]
    html = _render(m)
    assert "fitBounds" not in _body(html) and "window.CM.plugins.openPopup(" in _body(html)


def test_tiles_are_optional(frame, countries):
    assert "tile.openstreetmap.org" not in _render(build_map(frame, countries=countries))
    assert "tile.openstreetmap.org" in _render(build_map(frame, countries=countries, tiles="OpenStreetMap"))


def test_natural_earth_countries_are_bundled():
    countries = countries_frame()
    assert len(countries) == 177
    assert {"Syria", "Ukraine", "Iraq"} <= set(countries["name"])
    assert countries.crs.to_epsg() == 4326


def test_real_basemap_renders(frame):
    html = _render(build_map(frame))
    assert "SYRIA" not in html  # labels are upper-cased by CSS, the data keeps the name as is
    assert re.search(r"\"label\": ?\"Syria\"", html)


def test_mark_spans_escapes_everything_and_marks_places():
    text = "Shelling in <b>Homs</b>.\n\nThen [Aleppo](javascript:alert(1))."
    homs = text.index("Homs")
    aleppo = text.index("Aleppo")
    out = mark_spans(text, [(aleppo, aleppo + 6, "Aleppo"), (homs, homs + 4, 'Homs "city"'), (homs, homs + 2, None)])
    assert out.startswith('<div class="cm-article" dir="auto">') and "\n" not in out
    assert '&lt;b&gt;<mark title="Homs &quot;city&quot;">Homs</mark>&lt;/b&gt;' in out
    assert "&#91;<mark title=\"Aleppo\">Aleppo</mark>&#93;(javascript:alert(1))" in out
    assert "<br><br>" in out
    assert out.count("<mark") == 2  # the overlapping span is dropped


def test_mentions_frame_matches_the_store_frame():
    from geo.types import Article, ResolvedMention

    text = "Intro line.\n\nJets struck Homs at dawn. Nothing else."
    article = Article(text=text, title="T", source="S", published="2017-04-07")
    start = text.index("Homs")
    frame = mentions_frame(article, [ResolvedMention(start, start + 4, "Homs", "Homs", 34.7, 36.7, "city", "SY")])
    assert list(frame.columns) == FRAME_COLUMNS
    row = frame.iloc[0]
    assert (row["article_id"], row["name"], row["sentence"]) == (article.id, "Homs", "Jets struck Homs at dawn.")
    assert mentions_frame(article, []).empty


# ---------------------------------------------------------------------------------------- the dashboard map

from geo.store import frames as mapdata  # noqa: E402

from geo.maps import view as mapview
from geo.maps.assets import PLUGIN_BUNDLE, bundle_scripts  # noqa: E402


def _script(element) -> str:
    """The JavaScript folium renders for an element and everything in it."""
    m = folium.Map(tiles=None, maxZoom=18)
    element.add_to(m)
    return m.get_root().render()


@pytest.fixture()
def places(frame) -> pd.DataFrame:
    f = frame.assign(day=pd.Timestamp("2017-04-07"), place_id=frame["name"].map({"Homs": 1, "Shayrat Air Base": 2,
                                                                                 "Damascus": 3}))
    return mapdata.places(f)


def test_base_map_is_offline_and_the_same_every_time(countries):
    from geo.maps import frame as mapframe

    cities = pd.DataFrame({"name": ["Aleppo", "<b>Homs</b>"], "lat": [36.2, 34.7], "lon": [37.2, 36.7],
                           "population": [1_600_000, 800_000], "country": ["SY", "SY"]})
    a, b = (mapview.base_map(countries=countries, cities=cities) for _ in range(2))
    frame_base = mapframe.base(b)
    assert frame_base == mapframe.base(mapview.base_map(countries=countries, cities=cities))  # the frame keeps its map
    parser = _Links()
    html = _render(a)
    parser.feed(html)
    assert parser.urls and all(u.startswith("/app/static/vendor/") for u in parser.urls), parser.urls
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()
    for piece in ("L.Control.Draw", "L.Control.Measure", "MiniMap", "MousePosition", "FullScreen", "cm-copy-link",
                  "history.replaceState", "setComponentValue"):
        assert piece in html, piece
    # The tools wait for the first paint of the data: their scripts sit in one CM.afterPaint block, in both
    # folium's rendering and the dashboard frame's (geo.maps.frame).
    for script in (html, frame_base.script):
        start = script.index("window.CM.afterPaint(function () {")
        end = script.index("});", script.index("window.CM.plugins.offlineMiniMap("))
        for piece in ("new L.Control.Draw", "new L.Control.Measure", "new L.Control.MousePosition"):
            assert start < script.index(piece) < end, piece
        assert script.index("window.CM.plugins.viewSync(") > end  # the view sync is not deferred
    labels = next(el for el in a._children.values() if el._name == "ZoomLabels").data["name"]
    assert labels == ["Aleppo", "&lt;b&gt;Homs&lt;/b&gt;"]  # names reach innerHTML escaped
    assert "<b>Homs</b>" not in html


def _element(group, name: str):
    return next(el for el in group._children.values() if el._name == name)


def test_base_map_loads_the_plugin_bundle_when_asked(countries):
    html = _render(mapview.base_map(countries=countries, bundle=True))
    parser = _Links()
    parser.feed(html)
    scripts = [u for u in parser.urls if u.endswith(".js")]
    assert scripts == ["/app/static/vendor/leaflet/leaflet.js", f"/app/static/vendor/{PLUGIN_BUNDLE}"]
    group = mapview.heat_layer(pd.DataFrame({"lat": [1.0], "lon": [2.0], "mentions": [3]}))
    from geo.maps.assets import localize

    bundle_scripts(localize(group, "/app/static/vendor"), "/app/static/vendor")
    assert all(not getattr(el, "default_js", None) for el in group._children.values())


def test_places_layer_sends_columns_with_escaped_labels(places):
    evil = places.assign(name=["<img src=x onerror=alert(1)>"] + list(places["name"][1:]))
    data = _element(mapview.places_layer(evil), "PointLayer").data
    assert data["key"] == [int(k) for k in evil["place_id"]] and len(data["lat"]) == len(evil) == 3
    assert data["label"][0] == "<b>&lt;img src=x onerror=alert(1)&gt;</b> · 2 mentions in 2 articles"
    assert "<img" not in _script(mapview.places_layer(evil))
    radii = mapview.place_radius([1, 4, 16], 16)
    assert radii[0] < radii[1] < radii[2] == mapview.PLACE_MAX_RADIUS


def test_fit_view_contains_the_bounds():
    centre, zoom = mapview.fit_view([[32.0, 35.0], [37.0, 42.0]])
    assert 34 < centre[0] < 35 and centre[1] == 38.5 and zoom == 6
    assert mapview.fit_view([[34.7, 36.7], [34.7, 36.7]])[1] == mapview.FIT_MAX_ZOOM  # one point
    assert mapview.fit_view(None) == (mapview.DEFAULT_CENTER, mapview.DEFAULT_ZOOM)


def test_layers_render(places, airbases):
    roads = gpd.GeoDataFrame({"road": ["M5"], "name": ["M5 <i>motorway</i>"], "schematic": [True]},
                             geometry=[shapely.LineString([(36.2, 33.5), (36.7, 34.7)])], crs="EPSG:4326")
    group = mapview.roads_layer(roads)
    html = _script(group)
    assert '"dashArray": "7 6"' in html and "M5 \\u0026lt;i\\u0026gt;motorway" in html.replace("&amp;", "&")
    assert _element(group, "ZoomLabels").data["name"] == ["M5 · schematic"]
    group = mapview.airfields_layer(airbases, [[33.0, 36.0], [35.0, 38.0]])
    layers = [el for el in group._children.values() if el._name == "PointLayer"]
    assert [(el.registry, el.min_zoom) for el in layers] == [("air_base", None), ("airport", mapview.AIRPORT_MIN_ZOOM)]
    names = [label for el in layers for label in el.data["name"]]
    assert any("Tiyas Air Base" in n for n in names) and not any("Far" in n for n in names)  # far airports left out
    counts = pd.DataFrame({"country": ["SY", "UA"], "mentions": [10, 1], "articles": [5, 1]})
    html = _script(mapview.choropleth_layer(counts))
    assert '"SY":10' in _body(html) and "window.CM.plugins.choropleth(" in _body(html)
    assert "HeatMap" in _script(mapview.heat_layer(places)) or "heatLayer" in _script(mapview.heat_layer(places))
    bins = {"bins": ["2017-04-07"], "place": [0], "bin": [0], "count": [2]}
    assert "cm-time-slider" in _script(mapview.time_layer(bins, places))
    assert mapview.tile_layer("offline") is None
    assert "tile.openstreetmap.org" in _script(mapview.tile_layer("osm"))
    assert "World_Imagery" in _script(mapview.tile_layer("satellite"))


def test_events_layer_styles_facts_non_facts_and_plain_mentions():
    summary = pd.DataFrame({"place_id": [1, 1, 1], "name": ["Homs"] * 3, "lat": [34.7] * 3, "lon": [36.7] * 3,
                            "event_type": ["Battles", "Battles", None], "fact": [True, False, False],
                            "mentions": [3, 1, 2], "subtypes": [[("Armed clash", 3)], [("<b>x</b>", 1)], []],
                            "actors": [[("Syrian <army>", 2)], [], []], "last_day": pd.to_datetime(["2024-01-02"] * 3)})
    group = mapview.events_layer(summary)
    html = _script(group)
    styles, index, plain = mapview.event_style_index()
    assert f'"style":[{index[("Battles", True)]},{index[("Battles", False)]},{plain}]' in html
    assert '"slot":[1,2,3]' in html  # stacked at one place: spread on the spiral
    assert styles[index[("Battles", False)]]["dashArray"]
    labels = _element(group, "SpreadLayer").data["label"]
    assert labels[0] == "<b>Homs</b> · Battles ×3: Armed clash ×3<br>Syrian &lt;army&gt; ×2 · latest 02 Jan 2024"
    assert "&lt;b&gt;x&lt;/b&gt;" in labels[1] and "not a fact" in labels[1]
    assert labels[2].startswith("<b>Homs</b> · mentioned ×2, no event")


def test_legend_lists_what_is_drawn():
    html = _element(mapview.legend_layer(["city", "<x>"], ["places", "roads", "events"], roads_schematic=True),
                    "LegendControl").html
    assert "schematic road" in html and "&lt;x&gt;" in html and "not a fact" in html
    assert "air base (layer)" not in html


def test_timeline_svg_and_places_table_escape(places):
    days = pd.DataFrame({"day": pd.to_datetime(["2024-01-30", "2024-01-31", "2024-02-01"]),
                         "mentions": [3, 0, 1], "articles": [2, 0, 1]})
    svg = mapview.timeline_svg(days)
    assert svg.startswith("<svg") and svg.count("<rect") == 2 and "2024-01-30: 3 mentions, 2 articles" in svg
    assert "Feb" in svg
    assert mapview.timeline_svg(days.iloc[0:0]) == ""
    evil = places.assign(name=["<img src=x onerror=alert(1)>"] + list(places["name"][1:]))
    html = mapview.places_html(evil)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_choropleth_breaks_spread_skewed_counts():
    assert mapview.choropleth_breaks([]) == []
    breaks = mapview.choropleth_breaks([1, 2, 3, 5, 8, 13, 1000])
    assert breaks == sorted(breaks) and breaks[-1] < 1000


def test_countries_geojson_has_iso_codes():
    codes = {f["properties"]["name"]: f["properties"]["iso2"] for f in mapview.countries_geojson()["features"]}
    assert codes["Syria"] == "SY" and codes["Ukraine"] == "UA" and codes["France"] == "FR"


def test_event_symbols_differ_by_shape_as_well_as_colour():
    styles, index, plain = mapview.event_style_index()
    shapes = {t: styles[index[(t, True)]]["shape"] for t in mapview.EVENT_COLOURS}
    assert len(set(shapes.values())) == len(shapes)  # one shape per ACLED type
    assert styles[index[("Protests", False)]]["shape"] == shapes["Protests"]  # hollow keeps its shape
    assert "<circle" in mapview.event_symbol_svg("Battles") and "<polygon" in mapview.event_symbol_svg("Protests")
    assert 'stroke-dasharray' in mapview.event_symbol_svg("Riots", fact=False)
    assert mapview.NO_EVENT_COLOUR in mapview.event_symbol_svg(None)
