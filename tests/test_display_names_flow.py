"""Display names from resolution to every output (#19): a place the gazetteer calls Tadmur is stored, read,
searched, selected, exported and drawn as Palmyra, the gazetteer's name kept beside it (`gazetteer_name`);
stores made before display names migrate (filled from the gazetteer index by GeoNames id, where it is there)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box
from sqlalchemy import text

from geo import config
from geo.config import MIGRATIONS_DIR
from geo.exports import data as exdata
from geo.exports.events import event_rows
from geo.layers.joins import Joiner
from geo.maps.html import places_html, popup_html
from geo.store import SCHEMA_HEAD, Store, schema_revision
from geo.store import frames as mapdata
from geo.teams.auth import Role, User
from geo.teams.corrections import place_at, set_place
from geo.types import Article, Candidate, Event, ResolvedMention
from geo.view.filters import mention_mask
from geo.view.state import MapState
from tests.test_store_backends import store_url  # noqa: F401 (the sqlite + postgis fixture)

TEXT = "Russian jets struck Tadmur overnight. Militants left Ar Raqqah; Homs was quiet."
# gazetteer name: (lat, lon, GeoNames id, display name)
PLACES = {"Tadmur": (34.56, 38.26667, 163808, "Palmyra"), "Ar Raqqah": (35.95283, 39.00788, 172955, "Raqqa"),
          "Homs": (34.72682, 36.72339, 169577, "Homs")}


def mention(text_: str, name: str, *, display: bool = True) -> ResolvedMention:
    lat, lon, gid, shown = PLACES[name]
    start = text_.index(name)
    return ResolvedMention(start=start, end=start + len(name), text=name, name=name, lat=lat, lon=lon, feature="city",
                           country="SY", geonameid=gid, score=0.9, display_name=shown if display else "")


def parsed(text_: str = TEXT, *, display: bool = True) -> list[ResolvedMention]:
    return [mention(text_, n, display=display) for n in PLACES if n in text_]


def strike(text_: str = TEXT) -> Event:
    at = text_.index("Tadmur")
    return Event(type="Explosions/Remote violence", subtype="Air/drone strike", actor1="Military Forces of Russia",
                 actor2=None, place_mention_start=at, place="Tadmur", precision=1, evidence_start=0,
                 evidence_end=text_.index(".") + 1, modality="fact", trigger="struck",
                 trigger_start=text_.index("struck"))


@pytest.fixture
def stored(tmp_path) -> tuple[Store, Article]:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    article = Article(text=TEXT, title="Strikes", source="Wire", published="2024-03-01", url="https://example.org/a")
    store.add(article, parsed(), [strike()])
    return store, article


# ---------------------------------------------------------------------------------------- the types


def test_a_mention_carries_its_display_name_and_defaults_to_its_name():
    m = mention(TEXT, "Tadmur")
    assert (m.name, m.display_name) == ("Tadmur", "Palmyra")
    assert ResolvedMention(0, 4, "Homs", "Homs", 34.7, 36.7, "city").display_name == "Homs"
    record = m.to_json()
    assert record["name"] == "Tadmur" and record["display_name"] == "Palmyra"  # the old keys kept, one added
    assert {"start", "end", "text", "name", "lat", "lon", "feature", "country", "geonameid", "score", "source",
            "match", "geo_precision"} <= set(record)


def test_the_resolver_and_the_geoparser_pass_the_gazetteers_display_name_on(geoparser):
    for sentence in ("Russian jets struck Tadmur overnight.", "Russian jets struck Palmyra in Syria overnight."):
        place = next(m for m in geoparser.parse(sentence) if m.geonameid == 163808)
        assert (place.name, place.display_name) == ("Tadmur", "Palmyra")


# ---------------------------------------------------------------------------------------- the store


def test_the_store_keeps_both_names(stored):
    store, article = stored
    by_name = {m.name: m.display_name for m in store.mentions(article.id)}
    assert by_name == {"Tadmur": "Palmyra", "Ar Raqqah": "Raqqa", "Homs": "Homs"}
    with store.engine.connect() as con:
        rows = dict(con.execute(text("SELECT name, display_name FROM places")).all())
    assert rows == {"Tadmur": "Palmyra", "Ar Raqqah": "Raqqa", "Homs": None}  # NULL: the name
    assert store.events(article.id)[0].place == "Palmyra"
    frame = store.mention_frame()
    assert list(zip(frame["name"], frame["gazetteer_name"])) == [("Palmyra", "Tadmur"), ("Raqqa", "Ar Raqqah"),
                                                               ("Homs", "Homs")]
    near = store.places_within(34.56, 38.27, 5)
    assert list(zip(near["name"], near["gazetteer_name"])) == [("Palmyra", "Tadmur")]


def test_the_maps_frames_name_places_by_their_display_names(stored):
    store, _ = stored
    data = mapdata.load(store)
    pairs = set(zip(data.mentions["name"], data.mentions["gazetteer_name"]))
    assert pairs == {("Palmyra", "Tadmur"), ("Raqqa", "Ar Raqqah"), ("Homs", "Homs")}
    places = mapdata.places(data.mentions)
    assert list(places.columns) == mapdata.PLACE_COLUMNS
    assert set(zip(places["name"], places["gazetteer_name"])) == pairs
    table = mapdata.event_table(data.mentions)
    assert (table["name"].iloc[0], table["gazetteer_name"].iloc[0]) == ("Palmyra", "Tadmur")


@pytest.mark.parametrize("name", ["Palmyra", "Tadmur"])
def test_a_place_is_selected_by_either_name(stored, name):
    """A link shared before display names says selected=Tadmur; one made now says Palmyra."""
    places = mapdata.places(mapdata.load(stored[0]).mentions)
    row = mapdata.nearest_place(places, 34.56, 38.26667, name=name)
    assert row is not None and (row["name"], row["gazetteer_name"]) == ("Palmyra", "Tadmur")
    assert mapdata.nearest_place(places, 34.56, 38.26667, name="Raqqa") is None  # a name, not just a point


@pytest.mark.parametrize("query", ["palmyra", "TADMUR", "raqq"])
def test_the_place_search_matches_either_name(stored, query):
    frame = stored[0].mention_frame().drop(columns=["sentence", "title"])  # the place names alone must match
    frame = frame.assign(text="")
    hits = frame[mention_mask(MapState(query=query), frame).to_numpy(bool)]
    assert len(hits) == 1 and hits["gazetteer_name"].iloc[0] in ("Tadmur", "Ar Raqqah")


# ---------------------------------------------------------------------------------------- the outputs


def test_every_data_export_names_the_display_name_and_keeps_the_gazetteers(stored):
    store, _ = stored
    frame = mapdata.load(store).mentions.assign(sentence="s")
    feature = next(f for f in json.loads(exdata.to_geojson(frame))["features"]
                   if f["properties"]["gazetteer_name"] == "Tadmur")
    assert feature["properties"]["name"] == "Palmyra"
    rows = list(csv.DictReader(io.StringIO(exdata.to_csv(frame).decode("utf-8-sig"))))
    assert {(r["name"], r["gazetteer_name"]) for r in rows} == {("Palmyra", "Tadmur"), ("Raqqa", "Ar Raqqah"),
                                                                ("Homs", "Homs")}
    kml = ET.fromstring(exdata.to_kml(frame))
    ns = {"k": exdata.KML_NS}
    names = [pm.findtext("k:name", namespaces=ns) for pm in kml.iter(f"{{{exdata.KML_NS}}}Placemark")]
    assert sorted(names) == ["Homs", "Palmyra", "Raqqa"]
    assert "(gazetteer: Tadmur)" in exdata.to_kml(frame).decode("utf-8")
    gdf = exdata.to_geodataframe(frame)
    assert set(zip(gdf["name"], gdf["gazetteer_name"])) >= {("Palmyra", "Tadmur")}


def test_an_export_of_a_frame_without_gazetteer_names_repeats_the_name():
    frame = pd.DataFrame({"name": ["Homs"], "lat": [34.7], "lon": [36.7], "feature": ["city"], "sentence": ["s"],
                          "text": ["Homs"], **{f: [None] for f in exdata.EVENT_FIELDS}})
    props = json.loads(exdata.to_geojson(frame))["features"][0]["properties"]
    assert (props["name"], props["gazetteer_name"]) == ("Homs", "Homs")


def test_the_events_table_locates_events_by_the_display_name(stored):
    store, article = stored
    rows = event_rows([(article, store.mentions(article.id), store.events(article.id))])
    assert (rows[0]["location"], rows[0]["gazetteer_name"]) == ("Palmyra", "Tadmur")


def test_the_map_popup_and_places_table_show_the_display_name_first(stored):
    store, _ = stored
    data = mapdata.load(store)
    frame = data.mentions.assign(sentence="Russian jets struck Tadmur overnight.")
    palmyra = frame[frame["gazetteer_name"] == "Tadmur"]
    popup = popup_html(palmyra)
    assert popup.index("<b>Palmyra</b>") < popup.index("(Tadmur)")
    homs = popup_html(frame[frame["name"] == "Homs"])
    assert "<b>Homs</b> <small>city" in homs and "cm-aka" not in homs  # one name: not repeated
    table = places_html(mapdata.places(data.mentions))
    assert "<td>Palmyra <small" in table and "(Tadmur)</small></td>" in table and "<td>Homs</td>" in table


def test_nearby_cities_are_named_by_their_display_names():
    cities = gpd.GeoDataFrame({"name": ["Raqqa", "Deir ez-Zor"], "gazetteer_name": ["Ar Raqqah", "Dayr az Zawr"],
                               "population": [500_000, 300_000]},
                              geometry=[Point(39.0, 35.95), Point(40.14, 35.33)], crs="EPSG:4326")
    empty = gpd.GeoDataFrame({"name": [], "kind": [], "schematic": []}, geometry=[], crs="EPSG:4326")
    joiner = Joiner(empty, empty, cities, gpd.GeoDataFrame({"name": ["Syria"]}, geometry=[box(35, 32, 42, 37.5)],
                                                          crs="EPSG:4326"))
    near = {n["layer"]: n["name"] for n in joiner.nearby(35.5, 38.5)}
    assert near["city"] == "Raqqa"
    for excluded in ("Raqqa", "Ar Raqqah"):  # the place itself, by either name, is not its own nearest city
        near = {n["layer"]: n["name"] for n in joiner.nearby(35.95, 39.0, exclude_name=excluded)}
        assert near["city"] == "Deir ez-Zor"


def test_the_joins_cities_come_from_the_gazetteer_with_display_names(gazetteer):
    from geo.layers.joins import cities_frame

    cities = cities_frame(gazetteer, min_population=150_000)
    raqqa = cities[cities["gazetteer_name"] == "Ar Raqqah"]
    assert list(raqqa["name"]) == ["Raqqa"]
    assert (cities["name"] == cities["gazetteer_name"]).mean() > 0.5  # most names are English already


# ---------------------------------------------------------------------------------------- corrections


def test_a_corrected_place_takes_its_display_name_and_keeps_it_through_reprocessing(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    article = Article(text=TEXT)
    store.add(article, [m for m in parsed() if m.name != "Tadmur"])  # the geoparser missed Tadmur
    tadmur = Candidate(name="Tadmur", lat=34.56, lon=38.26667, feature="city", country="SY", geonameid=163808,
                       display_name="Palmyra")
    start = TEXT.index("Tadmur")
    set_place(store, User("alice", Role.EDITOR), article.id, start, start + 6, tadmur)
    assert place_at(tadmur, start, start + 6, TEXT).display_name == "Palmyra"

    def shown() -> list[tuple[str, str]]:
        return sorted(zip(store.mention_frame()["name"], store.mention_frame()["gazetteer_name"]))

    assert ("Palmyra", "Tadmur") in shown()
    store.reprocess(article.id, [m for m in parsed() if m.name != "Tadmur"], user="system")
    assert ("Palmyra", "Tadmur") in shown()
    with store.engine.connect() as con:
        assert con.execute(text("SELECT display_name FROM corrections")).scalar() == "Palmyra"
    assert "added a missed place: Palmyra (34.5600, 38.2667)" in set(store.audit_log()["detail"])


# ---------------------------------------------------------------------------------------- old stores


def _index(folder, *, with_display: bool = True):
    """A gazetteer index with only what the migration reads: entries' GeoNames ids and display names."""
    folder.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(folder / "gazetteer.sqlite")
    if with_display:
        con.execute("CREATE TABLE entries (key INTEGER PRIMARY KEY, name TEXT, geonameid INTEGER, display TEXT)")
        con.executemany("INSERT INTO entries VALUES (?,?,?,?)", [
            (1, "Tadmur", 163808, "Palmyra"), (2, "Ar Raqqah", 172955, "Raqqa"), (3, "Homs", 169577, None),
            (4, "Palmyra", None, "Palmyra")])
    else:  # schema 5: no display names
        con.execute("CREATE TABLE entries (key INTEGER PRIMARY KEY, name TEXT, geonameid INTEGER)")
    con.commit()
    con.close()
    return folder


def _store_before_display_names(url: str) -> Article:
    """A store at revision 0006 (before display names) holding the article, as code of then wrote it."""
    from alembic import command
    from alembic.config import Config

    store = Store(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_event_fields")
    article = Article(text=TEXT)
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO articles (id, text, ingested_at) VALUES (:id, :text, :t)"),
                     {"id": article.id, "text": TEXT, "t": "2024-03-01 00:00:00+00:00"})
        for m in parsed(display=False):
            conn.execute(text("INSERT INTO places (name, lat, lon, feature, country, geonameid) "
                              "VALUES (:n, :lat, :lon, 'city', 'SY', :g)"),
                         {"n": m.name, "lat": m.lat, "lon": m.lon, "g": m.geonameid})
            conn.execute(text("INSERT INTO mentions (article_id, place_id, start, \"end\", text, score) "
                              "SELECT :a, id, :s, :e, :t, 0.9 FROM places WHERE name = :t"),
                         {"a": article.id, "s": m.start, "e": m.end, "t": m.name})
        conn.execute(text("INSERT INTO corrections (article_id, start, \"end\", action, name, lat, lon, feature, "
                          "country, geonameid, \"user\", at) VALUES (:a, 20, 26, 'place', 'Tadmur', 34.56, 38.26667, "
                          "'city', 'SY', 163808, 'alice', :t)"), {"a": article.id, "t": "2024-03-02 00:00:00+00:00"})
    store.engine.dispose()
    return article


def test_an_old_store_takes_display_names_from_the_gazetteer_index(store_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(config, "INDEX_DIR", _index(tmp_path / "index"))
    article = _store_before_display_names(store_url)
    store = Store(store_url)
    assert schema_revision(store.engine) == SCHEMA_HEAD
    with store.engine.connect() as con:
        assert dict(con.execute(text("SELECT name, display_name FROM places")).all()) == {
            "Tadmur": "Palmyra", "Ar Raqqah": "Raqqa", "Homs": None}
        assert con.execute(text("SELECT display_name FROM corrections")).scalar() == "Palmyra"
    data = mapdata.load(store)
    assert set(zip(data.mentions["name"], data.mentions["gazetteer_name"])) == {
        ("Palmyra", "Tadmur"), ("Raqqa", "Ar Raqqah"), ("Homs", "Homs")}
    assert {m.display_name for m in store.mentions(article.id)} == {"Palmyra", "Raqqa", "Homs"}


@pytest.mark.parametrize("index", ["missing", "schema 5"])
def test_without_display_names_in_the_index_old_places_keep_their_names_until_named_again(tmp_path, monkeypatch,
                                                                                          index):
    folder = tmp_path / "index"
    if index == "schema 5":
        _index(folder, with_display=False)
    monkeypatch.setattr(config, "INDEX_DIR", folder)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    _store_before_display_names(url)
    store = Store(url)
    before = mapdata.load(store)
    assert set(before.mentions["name"]) == {"Tadmur", "Ar Raqqah", "Homs"}  # NULL: the gazetteer's name
    assert (before.mentions["name"] == before.mentions["gazetteer_name"]).all()
    # The next article naming Tadmur, resolved by today's gazetteer, writes Palmyra on the stored place.
    later = "Shelling resumed near Tadmur on Sunday."
    store.add(Article(text=later), parsed(later))
    fresh = mapdata.refresh(store, before)
    assert set(fresh.mentions.loc[fresh.mentions["gazetteer_name"] == "Tadmur", "name"]) == {"Palmyra"}
    pd.testing.assert_frame_equal(fresh.mentions, mapdata.load(store).mentions, check_categorical=False)


def test_a_new_display_name_reaches_the_place_but_a_missing_one_does_not_erase_it(stored):
    store, _ = stored
    later = "Shelling resumed near Tadmur on Sunday."
    store.add(Article(text=later), parsed(later, display=False))  # e.g. an index built before display names
    with store.engine.connect() as con:
        assert con.execute(text("SELECT display_name FROM places WHERE name = 'Tadmur'")).scalar() == "Palmyra"


def test_the_add_article_preview_names_places_as_the_store_will():
    from geo.maps.rows import mentions_frame

    frame = mentions_frame(Article(text=TEXT), parsed())
    assert list(zip(frame["name"], frame["gazetteer_name"])) == [("Palmyra", "Tadmur"), ("Raqqa", "Ar Raqqah"),
                                                               ("Homs", "Homs")]
