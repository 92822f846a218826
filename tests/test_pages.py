"""Dashboard pages run headless (AppTest) against a temporary SQLite store and a fake geoparser."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import pages._shared as shared
from geo.io.ingest import IngestError
from geo.store import Store
from geo.types import Article, ResolvedMention

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
XSS = "<script>alert(1)</script>"

PLACES = {
    "Homs": (34.72405, 36.72559, "city", "SY"),
    "Palmyra": (34.5624, 38.28402, "city", "SY"),
    "Shayrat": (34.4903, 36.909, "air base", "SY"),
}


def fake_parse(text: str) -> list[ResolvedMention]:
    """Every occurrence of a known name, resolved to its one place."""
    found = []
    for name, (lat, lon, feature, country) in PLACES.items():
        start = text.find(name)
        while start >= 0:
            found.append(ResolvedMention(start, start + len(name), name, name, lat, lon, feature, country, None, 0.9))
            start = text.find(name, start + 1)
    return sorted(found, key=lambda m: m.start)


class FakeGeoparser:
    def parse(self, text: str) -> list[ResolvedMention]:
        return fake_parse(text)


def _add(store: Store, text: str, **meta) -> Article:
    article = Article(text=text, **meta)
    store.add(article, fake_parse(text))
    return article


@pytest.fixture()
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(shared, "get_geoparser", lambda: FakeGeoparser())
    return url


@pytest.fixture()
def filled(db_url) -> Store:
    store = Store(db_url)
    _add(
        store,
        f"Jets struck near Homs at dawn. Later, troops moved towards Palmyra. {XSS}",
        title=f"Strikes {XSS}",
        source="Demo Wire",
        published="2017-04-07",
        url="https://example.org/a",
    )
    _add(store, "Missiles hit Shayrat air base south-east of Homs.", title="Shayrat hit", source="Levant Desk")
    return store


def _app(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def _map_args(at: AppTest) -> dict:
    """What the Map page gave its map frame (pages/_mapframe.py)."""
    import json

    frames = [e for e in at.get("component_instance") if e.proto.component_name.endswith("_mapframe.map")]
    assert len(frames) == 1
    return json.loads(frames[0].proto.json_args)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _count_line(at: AppTest) -> str:
    return next(m.value for m in at.sidebar.markdown if "places match" in m.value)


def test_map_page_with_an_empty_store(db_url):
    at = _app()
    assert any("No articles yet" in i.value for i in at.info)
    assert [m.value for m in at.sidebar.metric] == ["0", "0", "0", "0"]


def test_map_page_shows_places_and_counts(filled):
    at = _app()
    assert [m.value for m in at.sidebar.metric][:3] == ["2", "4", "3"]
    assert _count_line(at) == "**2** articles · **3** places match"
    html = _html(at)
    for name in PLACES:
        assert f"<td>{name}</td>" in html
    assert "Homs</td><td>city</td><td>SY</td><td class=\"n\">2</td>" in html
    assert "Air bases and airports" in at.sidebar.multiselect(key="m_layers").format_func("air bases")
    assert any("pages.sqlite" in c.value for c in at.sidebar.caption)
    assert '<svg class="cm-timeline"' in _map_args(at)["below"]  # the timeline, drawn under the map in its frame
    assert _map_args(at)["base"]["map_name"] == "map_cm"


def test_filters_change_the_counts_and_the_url(filled):
    at = _app()
    at.sidebar.multiselect(key="f_features").set_value(["air base"]).run()
    assert not at.exception
    assert _count_line(at) == "**1** articles · **1** places match"
    assert at.query_params["features"] == "air base"
    at.sidebar.text_input(key="f_query").input("palmyra").run()  # both filters: nothing is an air base there
    assert _count_line(at) == "**0** articles · **0** places match"
    at.sidebar.multiselect(key="f_features").set_value([]).run()
    assert _count_line(at) == "**1** articles · **2** places match"  # the whole article matches the text
    assert at.query_params["query"] == "palmyra" and "features" not in at.query_params
    at.sidebar.slider(key="f_min_score").set_value(0.95).run()
    assert _count_line(at) == "**0** articles · **0** places match"


def test_a_url_restores_filters_layers_and_view(filled):
    at = _app(features="city", sources="Demo Wire", layers="places|heatmap", center="34.5000,37.0000", zoom="9",
              basemap="osm")
    assert at.sidebar.multiselect(key="f_features").value == ["city"]
    assert at.sidebar.multiselect(key="f_sources").value == ["Demo Wire"]
    assert at.sidebar.multiselect(key="m_layers").value == ["places", "heatmap"]
    assert at.sidebar.selectbox(key="m_basemap").value == "osm"
    assert _count_line(at) == "**1** articles · **2** places match"
    assert at.session_state["cm_view"] == ((34.5, 37.0), 9)
    # Nothing the URL said is lost when the page writes it back.
    assert at.query_params["center"] == "34.5000,37.0000" and at.query_params["layers"] == "places|heatmap"


def test_selected_place_opens_its_articles_escaped(filled):
    at = _app(selected="Homs", selected_at="34.72405,36.72559")
    text = _markdown(at)
    assert "<h4 style='margin:0'>Homs</h4>" in text
    assert "**2** mentions in **2** articles" in text
    assert "<mark>Homs</mark>" in text
    assert XSS not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'href="https://example.org/a"' in text
    links = [link.proto for link in at.get("page_link")]
    assert sum(1 for link in links if link.label == "Read the article") == 2


def test_legacy_focus_links_select_the_place(filled):
    at = _app(place="Palmyra", lat="34.56240", lon="38.28402")
    assert "<h4 style='margin:0'>Palmyra</h4>" in _markdown(at)
    assert at.query_params["selected"] == "Palmyra" and "lat" not in at.query_params
    at.button(key="panel_close").click().run()
    assert not at.exception
    assert "selected" not in at.query_params
    assert any("Select a place" in m.value for m in at.markdown)


def test_selected_air_base_lists_what_is_around(filled):
    at = _app(selected="Shayrat Air Base", selected_at="34.49030,36.90900", selected_kind="air base")
    text = _markdown(at)
    assert "Shayrat Air Base" in text
    assert "**2** places and **2** articles within 50 km" in text  # Shayrat itself and Homs, 30 km away
    at.slider(key="panel_radius").set_value(200).run()
    assert "**3** places and **2** articles within 200 km" in _markdown(at)
    assert at.query_params["radius_km"] == "200"


def test_every_layer_renders(filled):
    at = _app(layers="places|air bases|roads|cities|heatmap|countries|events|time", step="week")
    assert not at.exception
    assert at.sidebar.radio(key="m_step").value == "week"


def test_clicks_select_places_and_air_bases_once():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from geo.view.state import MapState
    from geo.view.clicks import state_after_click

    places = pd.DataFrame({"place_id": [7], "name": ["Homs"], "lat": [34.72405], "lon": [36.72559]})
    airbases = gpd.GeoDataFrame({"name": ["Tiyas Air Base"]}, geometry=[Point(37.63, 34.52)], crs="EPSG:4326")
    memory: dict = {}
    click = {"last_object_clicked": {"lat": 1, "lng": 2}, "cm_view": {"lat": 34.5, "lng": 37.1, "zoom": 8},
             "cm_clicked": {"t": 1, "kind": "place", "key": 7, "lat": 34.72405, "lon": 36.72559}}
    state = state_after_click(click, MapState(), places, airbases, memory)
    assert (state.selected, state.selected_at, state.center, state.zoom) == ("Homs", (34.72405, 36.72559), (34.5, 37.1), 8)
    assert state_after_click(click, MapState(), places, airbases, memory) == MapState()  # the same click: once
    air = dict(click, cm_clicked={"t": 2, "kind": "airfield", "key": "OS72", "lat": 34.52, "lon": 37.63})
    state = state_after_click(air, MapState(), places, airbases, memory)
    assert (state.selected, state.selected_kind) == ("Tiyas Air Base", "air base")
    assert state_after_click(None, MapState(), places, airbases, memory) == MapState()
    odd = dict(click, cm_clicked={"t": 3, "kind": "country", "key": "SY", "lat": "x", "lon": 1})
    assert state_after_click(odd, MapState(), places, airbases, memory).selected is None


@pytest.mark.skipif(not (ROOT / "data" / "index" / "gazetteer.sqlite").exists(), reason="gazetteer index not built")
def test_place_search_flies_there_and_selects_a_stored_place(filled):
    at = _app()
    at.text_input(key="place_search").input("Palmyra, Syria")
    at.button(key="place_search_go").click().run()
    assert not at.exception
    assert any("Found Palmyra" in c.value for c in at.caption) or any("Found Tadmur" in c.value for c in at.caption)
    (lat, lon), zoom = at.session_state["cm_view"]
    assert abs(lat - 34.56) < 0.1 and abs(lon - 38.28) < 0.1 and zoom == 10


def test_articles_page_marks_places_and_links_to_map(filled):
    at = _app(shared.ARTICLES_PAGE)
    choice = at.selectbox(key="article_choice")
    assert len(choice.options) == 2
    strikes = next(i for i, o in enumerate(choice.options) if o.startswith("Strikes"))
    choice.select_index(strikes).run()
    text = _markdown(at)
    assert ">Homs</mark>" in text and ">Palmyra</mark>" in text
    assert XSS not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert {"Homs · city", "Palmyra · city", "All its places"} <= set(links)
    assert links["Palmyra · city"].page == ""  # the Map page is the default page, served at /
    query = links["Palmyra · city"].query_string
    assert "selected=Palmyra" in query and "selected_at=34.56240%2C38.28402" in query and "zoom=8" in query
    assert "article=" in links["All its places"].query_string


def test_articles_page_follows_the_filters_and_reads_from_query(filled):
    first, older = filled.articles()  # newest first; the query must win over the default
    at = _app(shared.ARTICLES_PAGE, read=older.id)
    assert at.selectbox(key="article_choice").value == older.id
    at = _app(shared.ARTICLES_PAGE, sources="Levant Desk")
    assert [o for o in at.selectbox(key="article_choice").options] == ["Shayrat hit · Levant Desk"]


def test_map_shows_one_articles_places(filled):
    article = next(a for a in filled.articles() if a.title == "Shayrat hit")
    at = _app(article=article.id)
    assert _count_line(at) == "**1** articles · **2** places match"
    assert any("Showing the places named in" in m.value for m in at.markdown)
    at.sidebar.button(key="f_clear_article").click().run()
    assert _count_line(at) == "**2** articles · **3** places match" and "article" not in at.query_params


def test_articles_page_without_articles(db_url):
    at = _app(shared.ARTICLES_PAGE)
    assert any("No articles stored yet" in i.value for i in at.info)
    assert at.sidebar.metric  # the shared sidebar is drawn on every page


def test_add_article_preview_then_save_then_duplicate(db_url):
    at = _app(shared.ADD_PAGE)
    text = "Shelling hit Homs overnight, and later Palmyra, officials said."
    at.text_area(key="add_text").input(text)
    at.text_input(key="add_title").input("Overnight shelling")
    at.button[0].click().run()  # "Find places" of the paste form
    assert not at.exception
    assert "pending" in at.session_state
    preview = at.dataframe[0].value
    assert set(preview["name"]) == {"Homs", "Palmyra"}
    assert Store(db_url).counts()["articles"] == 0  # nothing stored before Save
    at.button(key="add_save").click().run()
    assert any("Saved with 2 places" in s.value for s in at.success)
    assert at.sidebar.metric[0].value == "1"  # the sidebar counts the new article at once
    assert "pending" not in at.session_state
    saved = Store(db_url).articles()[0]
    assert saved.title == "Overnight shelling"
    assert [e.type for e in Store(db_url).events(saved.id)] == ["Explosions/Remote violence"]  # found when saved

    at.text_area(key="add_text").input(text)
    at.button[0].click().run()
    assert any("already stored" in i.value for i in at.info)


def test_add_article_reports_ingest_errors(db_url):
    at = _app(shared.ADD_PAGE)
    at.text_area(key="add_text").input("Shelling hit Homs overnight.")
    at.button[0].click().run()
    assert "pending" in at.session_state
    at.text_area(key="add_text").input("   ")
    at.button[0].click().run()
    assert not at.exception
    assert any("Cannot use this text" in e.value for e in at.error)
    assert "pending" not in at.session_state


def test_public_url_hides_the_password():
    shown = shared.public_url("postgresql://conflict:s3cret@db.example:5432/conflictmap")
    assert "s3cret" not in shown and "conflict" in shown and "***" in shown


def test_parse_focus_rejects_bad_coordinates():
    assert shared.parse_focus({"lat": "34.5", "lon": "38.2"}) == (34.5, 38.2)
    assert shared.parse_focus({"lat": "x", "lon": "1"}) is None
    assert shared.parse_focus({"lat": "95", "lon": "1"}) is None
    assert shared.parse_focus({}) is None



def test_read_upload_html_and_errors():
    page = b"<html><head><title>Strike on Homs</title></head><body><article><h1>Strike on Homs</h1>" + (
        b"<p>Jets struck a depot on the edge of Homs on Tuesday, residents said, and smoke rose for hours.</p>"
        b"<p>Officials in the city said repairs to the power lines would take several days to finish.</p>"
    ) + b"</article></body></html>"
    article = shared.read_upload("report.HTML", page)
    assert "Jets struck a depot" in article.text and article.title == "Strike on Homs"
    with pytest.raises(IngestError, match="notes.txt: file is empty"):
        shared.read_upload("notes.txt", b"  \n")
    with pytest.raises(IngestError, match="data.pdf"):
        shared.read_upload("data.pdf", b"%PDF-1.4")


def test_panel_names_the_spellings_the_articles_use():
    import pandas as pd

    from pages._panel import written_as

    rows = pd.DataFrame({"text": ["Palmyra", "Palmyra", "Tadmur", "tadmur", "<b>Tadmor</b>"]})
    assert written_as(rows, "Tadmur") == "“Palmyra”, “&lt;b&gt;Tadmor&lt;/b&gt;”"
    assert written_as(rows.iloc[2:4], "Tadmur") == ""


def test_map_fills_the_window_and_opens_on_every_place(filled):
    at = _app()
    args = _map_args(at)
    assert args["fill"] == 0.75 and args["height"] == 620  # 3/4 of the window's height, 620 px at least
    (south, west), (north, east) = args["fit"]  # fitted in the browser, at the map's real size
    for lat, lon, _, _ in PLACES.values():
        assert south <= lat <= north and west <= lon <= east
    assert args["fit_max_zoom"] == 8
    assert "window.CM.plugins.placeNames(" in "\n".join(s[-1] for s in args["layers"]["scripts"])  # the main places named
    assert '<td>Homs</td><td class="n">2</td>' in _html(at)  # the panel's short list: name and mentions
    # A link with its own view opens there, unfitted.
    assert _map_args(_app(center="34.5000,37.0000", zoom="9"))["fit"] is None


def test_nothing_under_the_filters_says_why_and_clears_them(filled):
    at = _app(features="city", query="no such words")
    assert _count_line(at) == "**0** articles · **0** places match"
    hint = [w.value for w in at.warning]
    assert hint == ["No places under these filters: clear “Place types” and “Search”."]
    at.button(key="cm_clear_filters").click().run()
    assert not at.exception, at.exception
    assert _count_line(at) == "**2** articles · **3** places match"
    assert at.sidebar.text_input(key="f_query").value == "" and at.sidebar.multiselect(key="f_features").value == []
    assert "query" not in at.query_params and "features" not in at.query_params
    assert not at.warning


def test_time_step_shows_without_the_time_layer(filled):
    at = _app(layers="places", step="month")
    assert not at.exception
    radio = at.sidebar.radio(key="m_step")
    assert radio.value == "month" and radio.label == "Time step (timeline bars and player)"
