"""The map: one renderer for the dashboard and the exports; article text always escaped, offline links,
attribution, the same layers and legend wherever it is drawn."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from geo.exports.html import interactive_map
from geo.maps.base import ATTRIBUTION, DEFAULT_CENTER, base_map, countries_frame
from geo.maps.compose import Rows, Sources, map_layers
from geo.maps.elements import PointLayer
from geo.maps.events import EventLayer
from geo.maps.html import (
    MAX_ARTICLES_IN_POPUP,
    esc,
    highlight,
    mark_spans,
    popup_html,
    safe_href,
)
from geo.maps.rows import mentions_frame, places_frame
from geo.store import FRAME_COLUMNS
from geo.view.event_points import event_points
from geo.view.state import MapState

XSS_TITLE = "Raid <script>alert(1)</script> on `${window.pwned=1}` \\x3cscript>"
XSS_SENTENCE = 'Jets struck Homs <img src=x onerror="alert(2)"> before dawn.'


def _row(article_id, title, name, lat, lon, feature, sentence, text=None, url="https://example.org/a", source="Demo Wire",
         event_type=None, modality=None):
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
        "event_type": event_type,
        "modality": modality,
    }


@pytest.fixture()
def frame() -> pd.DataFrame:
    rows = [
        _row("a1", XSS_TITLE, "Homs", 34.73, 36.72, "city", XSS_SENTENCE, event_type="Explosions/Remote violence",
             modality="fact"),
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


@pytest.fixture(scope="module")
def roads() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"road": ["M5", ""], "name": ["M5 <i>motorway</i>", "Palmyra track"], "schematic": [False, True]},
                            geometry=[shapely.LineString([(36.2, 33.5), (36.7, 34.7)]),
                                      shapely.LineString([(37.2, 34.6), (38.3, 34.6)])], crs="EPSG:4326")


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


def _elements(m: folium.Map | folium.FeatureGroup, kind: type) -> list:
    """Every element of that kind in the map's tree."""
    found, todo = [], [m]
    while todo:
        el = todo.pop(0)
        if isinstance(el, kind):
            found.append(el)
        todo += list(el._children.values())
    return found


def _export_map(frame, countries, state: MapState | None = None, **sources) -> folium.Map:
    return interactive_map(frame, state or MapState(), countries=countries, **sources)


# ---------------------------------------------------------------------------------------- one renderer


def test_map_layers_follow_the_state_bottom_to_top(frame, airbases, roads):
    state = MapState(layers=("places", "air bases", "roads", "countries", "heatmap", "events", "time"),
                     selected="Homs", selected_at=(34.73, 36.72))
    sources = Sources.given(airbases=airbases, roads=roads)
    keys = [layer.key[0] for layer in map_layers(state, Rows.of(frame), sources)]
    assert keys == ["tiles", "countries", "heatmap", "roads", "air bases", "airports", "places", "events", "time", "selection",
                    "legend"]
    clusters = [layer.key[0] for layer in map_layers(state.with_(layers=("clusters", "places", "cities")), Rows.of(frame))]
    assert clusters == ["tiles", "clusters", "selection", "legend"]  # no towns to draw: no cities layer, and none in the key


def test_legend_lists_only_the_layers_drawn(frame, roads):
    state = MapState(layers=("places", "air bases", "roads", "events"))
    layers = map_layers(state, Rows.of(frame), Sources.given(roads=roads))
    legend = _elements(layers[-1].build(), folium.MacroElement)
    html = next(el for el in legend if el._name == "LegendControl").html
    assert "schematic road" in html and "not a fact" in html and "Places (by mentions)" in html
    assert "air base (layer)" not in html  # the layer is on, but there are no air bases to draw


def test_one_circle_per_place_sized_by_mentions(frame, countries):
    m = _export_map(frame, countries)
    [points] = [el for el in _elements(m, PointLayer) if el.kind == "place"]
    assert len(points.data["lat"]) == 3
    homs = points.data["lat"].index(34.73)
    assert points.data["radius"][homs] == max(points.data["radius"])  # the most mentioned place is the biggest


def test_the_export_draws_the_dashboards_events_roads_and_legend(frame, countries, roads):
    state = MapState(layers=("places", "roads", "events"))
    m = _export_map(frame, countries, state, roads=roads)
    [events] = _elements(m, EventLayer)
    assert "Explosions/Remote violence" in events.data["text"] and len(events.data["lat"]) == 1  # one per event
    html = _render(m)
    assert '"dashArray": "7 6"' in html  # the schematic road, dashed as on screen
    assert "window.CM.plugins.legend(" in _body(html) and "schematic road" in html


def test_popup_lists_each_article_with_escaped_text_and_mark(frame):
    homs = frame[frame["name"] == "Homs"]
    html = popup_html(homs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert "<mark>Homs</mark>" in html
    assert "Second report" in html and "Demo Wire" in html and "2017-04-07" in html
    assert 'href="https://example.org/a"' in html
    assert "javascript:" not in html  # a non-http URL is shown as plain text, never as a link


def test_popups_list_at_most_so_many_articles(frame):
    many = pd.concat([frame.iloc[[0]].assign(article_id=f"x{i}") for i in range(MAX_ARTICLES_IN_POPUP + 3)])
    assert "and 3 more articles" in popup_html(many)


def test_exported_map_has_popups_and_no_live_article_markup(frame, countries):
    m = _export_map(frame, countries)
    [points] = [el for el in _elements(m, PointLayer) if el.kind == "place"]
    popups = points.data["popup"]
    assert len(popups) == 3 and any("Talks in <mark>Damascus</mark> &amp; Geneva." in p for p in popups)
    html = _render(m)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "onerror=\"alert" not in html
    assert "${window.pwned" not in html  # would run inside folium's JS template literal
    assert "\\x3cscript" not in html  # a backslash escape would be decoded by the template literal
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.replace("\\u0026", "&")


def test_the_dashboards_places_have_no_popups(frame):
    [places] = [layer for layer in map_layers(MapState(), Rows.of(frame)) if layer.key[0] == "places"]
    [points] = _elements(places.build(), PointLayer)
    assert "popup" not in points.data  # the panel beside the map shows the articles


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


def test_export_attribution_layers_and_no_dashboard_pieces(frame, countries, airbases):
    html = _render(_export_map(frame, countries, airbases=airbases))
    assert ATTRIBUTION in html or ATTRIBUTION.replace("·", "\\u00b7") in html
    assert '"maxZoom": 18' in html
    assert "window.CM.plugins.airfields" not in html and '"registry":"air_base"' in html
    assert "window.CM.plugins.viewSync(" not in _body(html)  # a file writes no view into a dashboard's URL
    assert "window.CM.plugins.copyLink(" not in _body(html)


def test_airfields_escape_names_and_keep_far_airports_out(frame, countries, airbases):
    m = _export_map(frame, countries, airbases=airbases)
    layers = [el for el in _elements(m, PointLayer) if el.kind == "airfield"]
    names = [n for el in layers for n in el.data["name"]]
    assert any("Tiyas Air Base" in n for n in names) and any("Damascus International" in n for n in names)
    assert "Far <b>Airport</b>" not in _render(m)  # far from the places: civil airports are local only
    assert {s["fillColor"] for s in layers[0].styles} == {"#fdae6b", "#ffffff"}


def test_localized_map_loads_nothing_from_a_cdn(frame, countries, airbases):
    from geo.maps.assets import localize

    m = base_map(countries=countries)
    for layer in map_layers(MapState(layers=("places", "air bases", "heatmap")), Rows.of(frame),
                            Sources.given(airbases=airbases)):
        group = layer.build()
        if group is not None:
            m.add_child(group)
    localize(m, "/app/static/vendor")
    parser = _Links()
    parser.feed(_render(m))
    assert len(parser.urls) >= 8
    assert all(u.startswith("/app/static/vendor/") for u in parser.urls), parser.urls


def test_asset_base_none_keeps_cdn_links(countries):
    parser = _Links()
    parser.feed(_render(base_map(countries=countries, asset_base=None)))
    assert any(u.startswith("https://cdn.jsdelivr.net/npm/leaflet@1.9.3") for u in parser.urls)


def test_export_fits_the_places_or_opens_at_the_state_or_the_default(frame, countries):
    html = _body(_render(_export_map(frame, countries)))
    assert "fitBounds" in html and "33.51" in html and "36.91" in html
    empty = _export_map(frame.iloc[0:0], countries)
    assert list(empty.location) == list(DEFAULT_CENTER)
    assert "fitBounds" not in _body(_render(empty))
    there = _export_map(frame, countries, MapState(center=(33.51, 36.29), zoom=9))
    assert list(there.location) == [33.51, 36.29] and there.options["zoom"] == 9
    assert "fitBounds" not in _body(_render(there))


def test_export_stays_on_the_offline_basemap(frame, countries):
    assert "tile.openstreetmap.org" not in _render(_export_map(frame, countries, MapState(basemap="osm")))
    tiles = map_layers(MapState(basemap="osm"), Rows.of(frame))[0]
    assert "tile.openstreetmap.org" in _render(folium.Map(tiles=None).add_child(tiles.build()))


def test_natural_earth_countries_are_bundled():
    countries = countries_frame()
    assert len(countries) == 177
    assert {"Syria", "Ukraine", "Iraq"} <= set(countries["name"])
    assert countries.crs.to_epsg() == 4326


def test_real_basemap_renders():
    html = _render(base_map())
    assert "SYRIA" not in html  # labels are upper-cased by CSS, the data keeps the name as is
    assert re.search(r"\"name\": ?\[[^\]]*\"Syria\"", html)


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


def test_places_frame_counts_mentions_and_articles(frame):
    places = places_frame(frame)
    homs = places.set_index("name").loc["Homs"]
    assert (homs["mentions"], homs["articles"]) == (2, 2)
    assert list(places.columns) == ["name", "feature", "country", "lat", "lon", "mentions", "articles", "score"]
    assert places_frame(frame.iloc[0:0]).empty


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

from geo.maps import base, labels, layers, legend, style, timeline
from geo.maps import html as mhtml
from geo.maps.assets import PLUGIN_BUNDLE, bundle_scripts
from geo.maps.basemap_detail import BasemapDetail
from geo.store import frames as mapdata


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
    coarse = BasemapDetail(None)  # no detailed basemap built: the big cities' names instead
    a, b = (base.base_map(countries=countries, cities=cities, detail=coarse) for _ in range(2))
    frame_base = mapframe.base(b)
    assert frame_base == mapframe.base(base.base_map(countries=countries, cities=cities, detail=coarse))  # kept
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
        start = script.index("window.CM.plugins.afterPaint(")
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
    html = _render(base.base_map(countries=countries, bundle=True))
    parser = _Links()
    parser.feed(html)
    scripts = [u for u in parser.urls if u.endswith(".js")]
    assert scripts == ["/app/static/vendor/leaflet/leaflet.js", f"/app/static/vendor/{PLUGIN_BUNDLE}"]
    group = layers.heat_layer(pd.DataFrame({"lat": [1.0], "lon": [2.0], "mentions": [3]}))
    from geo.maps.assets import localize

    bundle_scripts(localize(group, "/app/static/vendor"), "/app/static/vendor")
    assert all(not getattr(el, "default_js", None) for el in group._children.values())


def test_places_layer_sends_columns_with_escaped_labels(places):
    evil = places.assign(name=["<img src=x onerror=alert(1)>"] + list(places["name"][1:]))
    data = _element(layers.places_layer(evil), "PointLayer").data
    assert data["key"] == [int(k) for k in evil["place_id"]] and len(data["lat"]) == len(evil) == 3
    assert data["label"][0] == "<b>&lt;img src=x onerror=alert(1)&gt;</b> · 2 mentions in 2 articles"
    assert "<img" not in _script(layers.places_layer(evil))
    radii = style.place_radius([1, 4, 16], 16)
    assert radii[0] < radii[1] < radii[2] == style.PLACE_MAX_RADIUS


def test_fit_view_contains_the_bounds():
    centre, zoom = base.fit_view([[32.0, 35.0], [37.0, 42.0]])
    assert 34 < centre[0] < 35 and centre[1] == 38.5 and zoom == 7  # the Map page's map: 1,050 × 750 px
    assert base.fit_view([[32.0, 35.0], [37.0, 42.0]], width=860, height=620)[1] == 6
    assert base.fit_view([[34.7, 36.7], [34.7, 36.7]])[1] == base.FIT_MAX_ZOOM  # one point
    assert base.fit_view(None) == (base.DEFAULT_CENTER, base.DEFAULT_ZOOM)


def test_layers_render(places, airbases):
    roads = gpd.GeoDataFrame({"road": ["M5"], "name": ["M5 <i>motorway</i>"], "schematic": [True]},
                             geometry=[shapely.LineString([(36.2, 33.5), (36.7, 34.7)])], crs="EPSG:4326")
    group = layers.roads_layer(roads)
    html = _script(group)
    assert '"dashArray": "7 6"' in html and "M5 \\u0026lt;i\\u0026gt;motorway" in html.replace("&amp;", "&")
    assert _element(group, "ZoomLabels").data["name"] == ["M5 · schematic"]
    group = layers.airfields_layer(airbases, [[33.0, 36.0], [35.0, 38.0]])
    points = [el for el in group._children.values() if el._name == "PointLayer"]
    assert [(el.registry, el.min_zoom) for el in points] == [("air_base", None), ("airport", layers.AIRPORT_MIN_ZOOM)]
    names = [label for el in points for label in el.data["name"]]
    assert any("Tiyas Air Base" in n for n in names) and not any("Far" in n for n in names)  # far airports left out
    counts = pd.DataFrame({"country": ["SY", "UA"], "mentions": [10, 1], "articles": [5, 1]})
    html = _script(layers.choropleth_layer(counts))
    assert '"SY":10' in _body(html) and "window.CM.plugins.choropleth(" in _body(html)
    assert "HeatMap" in _script(layers.heat_layer(places)) or "heatLayer" in _script(layers.heat_layer(places))
    bins = {"step": "day", "bins": ["2017-04-07"], "place": [0], "bin": [0], "count": [2]}
    assert "cm-time-slider" in _script(layers.time_layer(bins, places))
    assert layers.tile_layer("offline") is None
    assert "tile.openstreetmap.org" in _script(layers.tile_layer("osm"))
    assert "World_Imagery" in _script(layers.tile_layer("satellite"))


def test_events_layer_draws_one_symbol_per_event_filled_for_facts():
    rows = pd.DataFrame({"place_id": [1, 1, 1], "name": ["Homs"] * 3, "lat": [34.7] * 3, "lon": [36.7] * 3,
                         "event_type": ["Battles", "Battles", "Protests"], "modality": ["fact", "negated", "threat"],
                         "event_subtype": ["Armed clash", "<b>x</b>", "Peaceful protest"],
                         "actor1": ["Syrian <army>", None, None], "actor2": [None] * 3,
                         "title": ["T"] * 3, "source": ["S"] * 3, "url": ["https://example.org/a"] * 3,
                         "article_id": ["a"] * 3, "day": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02"])})
    group = layers.events_layer(event_points(rows), around={1: 12.5})
    html = _script(group)
    styles, index, _ = style.event_style_index()
    data = _element(group, "EventLayer").data
    assert data["style"] == [index[("Battles", False)], index[("Protests", False)], index[("Battles", True)]]
    assert data["slot"] == [0, 1, 2]  # in time order, spread on a spiral ...
    assert data["r0"] == [12.5] * 3  # ... that starts outside the place's circle
    assert styles[index[("Battles", False)]]["dashArray"] and not styles[index[("Battles", True)]].get("dashArray")
    assert "Syrian &lt;army&gt;" in data["text"] and "&lt;b&gt;x&lt;/b&gt;" in data["text"]
    assert "<army>" not in html and "<b>x</b>" not in html


def test_legend_lists_what_is_drawn():
    html = _element(legend.legend_layer(["city", "<x>"], ["places", "roads", "events"], roads_schematic=True),
                    "LegendControl").html
    assert "schematic road" in html and "&lt;x&gt;" in html and "not a fact" in html
    assert "air base (layer)" not in html


def test_map_key_is_grouped_and_starts_closed_when_long():
    key = _element(legend.legend_layer(["city", "region"], ["places", "air bases", "events"]), "LegendControl")
    titles = re.findall(r'<b class="cm-legend-head">([^<]+)</b>', key.html)
    assert titles == list(legend.GROUPS.values())  # places, events, layers: each group under its title once
    assert key.html.index("air base (layer)") > key.html.index("not a fact")  # layers last
    assert "mention without an event" not in key.html  # the event layer draws events only
    assert key.lines == 2 + 7 + 2 and key.long  # 11 lines: opens as a button
    short = _element(legend.legend_layer(["city"], ["places"]), "LegendControl")
    assert short.lines == 1 and not short.long and re.findall(r"cm-legend-head\">([^<]+)<", short.html) == [
        "Places (by mentions)"]
    # The briefings list the same entries as before, their own headings included.
    entries = legend.legend_entries(["city"], ["places", "events"])
    assert [e.label for e in entries if e.kind == "head"] == ["Places (by mentions)", "Events (around their place)"]
    assert {e.group for e in entries} == {"places", "events"}


def test_start_view_shows_every_place_but_strays_and_centroids():
    places = pd.DataFrame({
        "name": ["Homs", "Aleppo", "Baghdad", "Mosul", "Syria", "Russia", "Paris"],
        "feature": ["city", "city", "city", "city", "country", "country", "city"],
        "lat": [34.72, 36.20, 33.34, 36.33, 35.0, 60.8, 48.85], "lon": [36.72, 37.16, 44.40, 43.12, 38.3, 99.6, 2.35],
        "mentions": [9, 5, 1, 1, 4, 1, 1]})
    # Baghdad, at the edge (mention_bounds would trim it), is in; Paris, a continent away, and the countries'
    # centroids are not.
    assert base.start_bounds(places) == [[33.34, 36.72], [36.33, 44.4]]
    assert base.start_bounds(places[places["feature"] == "country"]) == [[35.0, 38.3], [60.8, 99.6]]
    assert base.start_bounds(places.iloc[[0, 6]]) == [[34.72, 2.35], [48.85, 36.72]]  # two places: both
    # A second theatre of several places is no stray (Paris still is).
    kyiv = pd.DataFrame({"name": ["Kyiv", "Kharkiv", "Odesa"], "feature": "city", "lat": [50.45, 49.99, 46.48],
                         "lon": [30.52, 36.23, 30.72], "mentions": 1})
    assert base.start_bounds(pd.concat([places, places.iloc[[0, 1]], kyiv])) == [[33.34, 30.52], [50.45, 44.4]]
    assert base.start_bounds(places.iloc[0:0]) is None


def mapframe_base(fmap):
    from geo.maps import frame as mapframe

    return mapframe.base(fmap)


def test_base_map_draws_the_detailed_basemap_where_one_is_built(countries, monkeypatch):
    built = BasemapDetail({"levels": [{"name": "a", "min_zoom": 5, "max_zoom": 8}], "version": "1"})
    monkeypatch.setattr(BasemapDetail, "from_folder", classmethod(lambda cls, *a, **k: built))
    served = base.base_map(countries=countries)
    assert _elements(served, BasemapDetail) == [built]
    assert not _elements(served, base.elements.ZoomLabels)  # the detail names the towns
    script = mapframe_base(served).script  # drawn once the places have been painted, as the tools are
    assert script.index("window.CM.plugins.afterPaint(") < script.index("window.CM.plugins.basemapDetail(")
    # An export has no server to fetch chunks from: the chunks of its view are given, or the city names.
    export = base.base_map(countries=countries, asset_base=None, dashboard=False)
    names = [el._name for el in export._children.values()]
    assert "BasemapDetail" not in names and "ZoomLabels" in names
    inline = BasemapDetail({"levels": [{"name": "a"}]}, url=None, chunks={"a/0_0": {"towns": []}})
    export = base.base_map(countries=countries, asset_base=None, dashboard=False, detail=inline)
    assert any(el is inline for el in export._children.values())  # drawn at once: a briefing waits for nothing


def test_place_names_are_sent_as_text_for_the_main_places(places):
    evil = places.assign(name=["<img src=x onerror=alert(1)>", "Shayrat Air Base", "Syria"],
                         feature=["city", "air base", "country"])
    group = labels.place_names_layer(evil)
    data = _element(group, "PlaceNames").data
    assert data["name"] == ["<img src=x onerror=alert(1)>", "Shayrat Air Base"]  # the country: the basemap names it
    radii = style.place_radius(evil["mentions"], evil["mentions"].max())
    assert data["radius"] == [round(float(r), 1) for r in radii[:2]]  # the circles' own sizes
    script = _script(group)
    assert "<img" not in _body(script)  # JSON-escaped in the script; the browser sets it as text (textContent)
    assert "innerHTML" not in (base.elements.JS_DIR / "place_names.js").read_text()
    assert labels.place_names_layer(evil.iloc[0:0])._children == {}


def test_timeline_svg_and_places_table_escape(places):
    days = pd.DataFrame({"day": pd.to_datetime(["2024-01-30", "2024-01-31", "2024-02-01"]),
                         "mentions": [3, 0, 1], "articles": [2, 0, 1]})
    svg = timeline.timeline_svg(days)
    assert svg.startswith("<svg") and svg.count("<rect") == 2 and "30 Jan 2024: 3 mentions, 2 articles" in svg
    assert "Feb" in svg
    assert timeline.timeline_svg(days.iloc[0:0]) == ""
    evil = places.assign(name=["<img src=x onerror=alert(1)>"] + list(places["name"][1:]))
    html = mhtml.places_html(evil)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_choropleth_breaks_spread_skewed_counts():
    assert layers.choropleth_breaks([]) == []
    breaks = layers.choropleth_breaks([1, 2, 3, 5, 8, 13, 1000])
    assert breaks == sorted(breaks) and breaks[-1] < 1000


def test_countries_geojson_has_iso_codes():
    codes = {f["properties"]["name"]: f["properties"]["iso2"] for f in base.countries_geojson()["features"]}
    assert codes["Syria"] == "SY" and codes["Ukraine"] == "UA" and codes["France"] == "FR"


def test_event_symbols_differ_by_shape_as_well_as_colour():
    styles, index, plain = style.event_style_index()
    shapes = {t: styles[index[(t, True)]]["shape"] for t in style.EVENT_COLOURS}
    assert len(set(shapes.values())) == len(shapes)  # one shape per ACLED type
    assert styles[index[("Protests", False)]]["shape"] == shapes["Protests"]  # hollow keeps its shape
    assert "<circle" in legend.event_symbol_svg("Battles") and "<polygon" in legend.event_symbol_svg("Protests")
    assert 'stroke-dasharray' in legend.event_symbol_svg("Riots", fact=False)
    assert style.NO_EVENT_COLOUR in legend.event_symbol_svg(None)


def test_key_list_keeps_each_heading_with_its_entries():
    entries = legend.legend_entries(["city"], ["places", "events"])
    html = legend.list_html(entries)
    blocks = re.findall(r'<li style="break-inside:avoid[^"]*"><ul[^>]*>(.*?)</ul></li>', html)
    assert len(blocks) == 2 and all(b.startswith('<li><b class="cm-legend-head">') for b in blocks)
    assert "city" in blocks[0] and "not a fact" in blocks[1]
    plain = legend.list_html(legend.legend_entries(["city", "region"], ["places"]))
    assert "break-inside" not in plain and plain.count("<li>") == 2  # no heading: items flow between columns
