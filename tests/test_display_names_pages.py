"""Display names on the dashboard's pages (#19): the towns layer and labels (pages/_loaders.get_cities), the place
panel's heading, the Articles and Events pages and the corrections UI name places as analysts write them (Palmyra,
Raqqa, Kobani), the gazetteer's name (Tadmur, Ar Raqqah, ‘Ayn al ‘Arab) beside it where the two differ; synthetic
stores (geo/dev/synthetic.py) keep display names as a real ingest does. Real data: the gazetteer index and the demo
articles geoparsed into a fresh store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest

from geo.gazetteer import Gazetteer
from geo.gazetteer.display import with_gazetteer_name
from geo.store import Store
from geo.teams.auth import Role, User

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------- towns layer


def test_the_gazetteers_frame_can_name_entries_by_their_display_names(gazetteer):
    cols = ["name", "lat", "lon", "population", "country"]
    towns = gazetteer.frame(["city"], min_population=20_000, columns=cols, display=True)
    assert list(towns.columns) == ["name", "gazetteer_name", "lat", "lon", "population", "country"]
    by_gazetteer = dict(zip(towns["gazetteer_name"], towns["name"]))
    assert by_gazetteer["Tadmur"] == "Palmyra" and by_gazetteer["Ar Raqqah"] == "Raqqa"
    assert by_gazetteer["Aleppo"] == "Aleppo"  # the name again where GeoNames' is the English one
    plain = gazetteer.frame(["city"], min_population=20_000, columns=cols)
    assert len(plain) == len(towns) and "Tadmur" in set(plain["name"])  # without display=True, as before


def test_an_index_built_before_display_names_gives_the_name_twice(tmp_path):
    con = sqlite3.connect(tmp_path / "gazetteer.sqlite")
    con.execute("CREATE TABLE entries (key INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, feature TEXT, "
                "country TEXT, population INTEGER)")  # schema 5: no entries.display
    con.execute("INSERT INTO entries VALUES (1, 'Tadmur', 34.56, 38.27, 'city', 'SY', 51015)")
    con.commit()
    con.close()
    towns = Gazetteer(tmp_path).frame(["city"], columns=["name", "lat", "lon"], display=True)
    assert towns[["name", "gazetteer_name"]].values.tolist() == [["Tadmur", "Tadmur"]]


def test_the_dashboards_towns_are_named_by_their_display_names():
    from geo.maps.base import city_labels
    from geo.maps.layers import cities_layer
    from pages._loaders import get_cities

    get_cities.clear()
    cities = get_cities()
    palmyra = cities[cities["gazetteer_name"] == "Tadmur"]
    assert list(palmyra["name"]) == ["Palmyra"]
    assert "Raqqa" in set(cities["name"]) and "Ar Raqqah" not in set(cities["name"])
    # The towns layer around Palmyra labels it so (its dot's tooltip and its zoom label), never "Tadmur".
    m = folium.Map()
    cities_layer(cities, [[33.5, 37.0], [35.5, 39.5]]).add_to(m)
    html = m.get_root().render()
    assert '"Palmyra"' in html and "Palmyra \\u00b7 51,015 people" in html and "Tadmur" not in html
    assert "Aleppo" in city_labels(cities)["name"] and "Ar Raqqah" not in city_labels(cities, 100_000)["name"]


# ---------------------------------------------------------------------------------------- pages


def test_with_gazetteer_name():
    assert with_gazetteer_name("Palmyra", "Tadmur") == "Palmyra (Tadmur)"
    assert with_gazetteer_name("Homs", "Homs") == "Homs"
    assert with_gazetteer_name("", "Tadmur") == "Tadmur"


@pytest.fixture()
def demo_store(dashboard_store, geoparser):
    """The demo articles geoparsed into a fresh store the dashboard opens (as `python -m geo demo` does)."""
    from geo.demo import load_demo

    store = Store(dashboard_store)
    assert load_demo(store, geoparser.parse) == 8
    return store


def _article_with(store: Store, gazetteer_name: str):
    frame = store.mention_frame()
    row = frame[frame["gazetteer_name"] == gazetteer_name].iloc[0]
    return row["article_id"], row


def _app(user: User | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user is not None:
        at.session_state["cm_user"] = user
    for k, v in params.items():
        at.query_params[k] = v
    return at


def test_the_place_panel_heads_with_the_display_name_and_the_gazetteers_beside_it(demo_store):
    _, tadmur = _article_with(demo_store, "Tadmur")
    at = _app(selected="Palmyra", selected_at=f"{tadmur['lat']:.5f},{tadmur['lon']:.5f}")
    at.run()
    assert not at.exception, at.exception
    heading = next(m.value for m in at.markdown if "<h4" in m.value)
    assert "<h4 style='margin:0'>Palmyra</h4>" in heading
    assert "Tadmur (GeoNames)</div>" in heading
    # A place GeoNames already names in English has one name only.
    _, homs = _article_with(demo_store, "Homs")
    at = _app(selected="Homs", selected_at=f"{homs['lat']:.5f},{homs['lon']:.5f}")
    at.run()
    heading = next(m.value for m in at.markdown if "<h4" in m.value)
    assert "<h4 style='margin:0'>Homs</h4>" in heading and "(GeoNames)" not in heading


def test_the_panels_gazetteer_name_is_escaped():
    from pages._panel import gazetteer_line

    line = gazetteer_line({"name": "Palmyra", "gazetteer_name": "<b>Tadmur</b>"})
    assert "&lt;b&gt;Tadmur&lt;/b&gt; (GeoNames)" in line and "<b>" not in line
    assert gazetteer_line({"name": "Homs", "gazetteer_name": "Homs"}) == ""
    assert gazetteer_line({"name": "Homs", "gazetteer_name": None}) == ""


def test_the_articles_page_lists_places_by_their_display_names(demo_store):
    article_id, _ = _article_with(demo_store, "‘Ayn al ‘Arab")
    at = _app(User("ed", Role.EDITOR), read=article_id)
    at.run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception, at.exception
    links = [link.proto.label for link in at.get("page_link")]
    text = next(m.value for m in at.markdown if "<mark" in m.value)
    assert 'title="Kobani (‘Ayn al ‘Arab) · city"' in text and 'title="Raqqa (Ar Raqqah) · city"' in text
    assert "Kobani (‘Ayn al ‘Arab) · city" in links and "Raqqa (Ar Raqqah) · city" in links
    # Its events name their places the same way (the article reports events at Raqqa).
    events = next(m.value for m in at.markdown if "cm-quote" in m.value)
    assert "at <b>Raqqa</b> <span class='cm-meta' title='the gazetteer&#39;s name'>(Ar Raqqah)</span>" in events
    assert "at <b>Ar Raqqah</b>" not in events
    # The corrections form lists the mentions and the gazetteer's entries the same way.
    mention_box = next(w for w in at.selectbox if w.key == "art_fix_mention")
    assert any("→ Kobani (‘Ayn al ‘Arab), SY" in o for o in mention_box.options)


def test_the_corrections_search_lists_candidates_by_their_display_names(gazetteer):
    from pages._corrections import _candidate_label

    assert _candidate_label(gazetteer.candidates("Tadmur")[0]).startswith("Palmyra (Tadmur), SY · ")
    aleppo = next(c for c in gazetteer.candidates("Aleppo") if c.feature == "city")
    assert _candidate_label(aleppo).startswith("Aleppo, SY · ")  # one name where GeoNames' is the English one


def test_the_events_page_locates_events_by_their_display_names(demo_store):
    at = _app()
    at.run()
    at.switch_page("pages/events.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert {"Place", "GeoNames name"} <= set(table.columns)
    pairs = set(zip(table["Place"], table["GeoNames name"]))
    assert not {p for p, _ in pairs} & {"Tadmur", "Ar Raqqah", "Ḩamāh"}
    assert ("Raqqa", "Ar Raqqah") in pairs or ("Hama", "Ḩamāh") in pairs
    assert all(g == "" for p, g in pairs if p == "Homs")  # blank where the names agree


# ---------------------------------------------------------------------------------------- synthetic stores


def test_synthetic_stores_keep_the_indexs_display_names(tmp_path, gazetteer):
    from geo.dev.synthetic import fill_synthetic

    store = Store(f"sqlite:///{tmp_path / 'syn.sqlite'}")
    assert fill_synthetic(store, 3000, seed=5, gazetteer=gazetteer) == 3000
    with sqlite3.connect(tmp_path / "syn.sqlite") as con:
        stored = dict(con.execute("SELECT name, display_name FROM places WHERE country = 'SY' AND feature = 'city'"))
    assert stored.get("Ar Raqqah") == "Raqqa" and stored.get("Ḩamāh") == "Hama"
    assert stored.get("Aleppo") is None  # NULL where the display name is the name, as a real ingest stores it
    frame = store.mention_frame()
    assert "Raqqa" in set(frame["name"]) and "Ar Raqqah" in set(frame["gazetteer_name"])


def test_synthetic_fills_give_stored_places_their_display_names(tmp_path, gazetteer):
    from geo.dev.synthetic import fill_synthetic

    url = f"sqlite:///{tmp_path / 'syn.sqlite'}"
    fill_synthetic(Store(url), 500, seed=2, gazetteer=gazetteer)
    with sqlite3.connect(tmp_path / "syn.sqlite") as con:
        con.execute("UPDATE places SET display_name = NULL")  # as stored before display names
    fill_synthetic(Store(url), 3000, seed=2, gazetteer=gazetteer)
    with sqlite3.connect(tmp_path / "syn.sqlite") as con:
        assert con.execute("SELECT display_name FROM places WHERE name = 'Ar Raqqah'").fetchone() == ("Raqqa",)


def test_the_joins_cities_from_an_index_before_display_names_keep_their_names(tmp_path):
    from geo.layers.joins import cities_frame

    con = sqlite3.connect(tmp_path / "gazetteer.sqlite")
    con.execute("CREATE TABLE entries (key INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, feature TEXT, "
                "country TEXT, population INTEGER)")  # schema 5: the quoted "display" column would read as a string
    con.execute("INSERT INTO entries VALUES (1, 'Tadmur', 34.56, 38.27, 'city', 'SY', 51015)")
    con.commit()
    con.close()
    cities = cities_frame(Gazetteer(tmp_path))
    assert cities[["name", "gazetteer_name"]].values.tolist() == [["Tadmur", "Tadmur"]]


def test_the_command_lines_map_exports_name_towns_as_the_dashboard_does():
    from geo.exports.command import reference_layers
    from geo.view.state import MapState

    cities = reference_layers(MapState(), "png")["cities"]
    assert list(cities.loc[cities["gazetteer_name"] == "Tadmur", "name"]) == ["Palmyra"]
