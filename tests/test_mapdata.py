"""Map data: the store read fast into frames, and the aggregates the dashboard draws."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.store import FRAME_COLUMNS, Store
from geo.store import frames as mapdata
from geo.types import Article, Event, ResolvedMention
from geo.view.state import MapState


def _mention(text: str, name: str, lat: float, lon: float, feature: str = "city", country: str = "SY",
             score: float = 0.9) -> ResolvedMention:
    start = text.index(name)
    return ResolvedMention(start, start + len(name), name, name, lat, lon, feature, country, None, score)


@pytest.fixture()
def store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'data.sqlite'}")
    a = "Shelling hit Homs overnight. Later, troops moved towards Palmyra. The road was <b>closed</b>."
    store.add(Article(a, title="Homs shelled", source="Wire", published="2024-03-01", url="https://e.org/1"),
              [_mention(a, "Homs", 34.72, 36.72), _mention(a, "Palmyra", 34.56, 38.28, score=0.6)])
    b = "Protesters gathered in Homs again. Kharkiv was quiet."
    store.add(Article(b, title="Homs protest", source="Desk", published="2024-03-04"),
              [_mention(b, "Homs", 34.72, 36.72), _mention(b, "Kharkiv", 49.98, 36.25, country="UA")])
    c = "Talks in Damascus, with no date given."
    store.add(Article(c, title="Talks"), [_mention(c, "Damascus", 33.51, 36.29)])
    store.add(Article("A text naming no place at all."), [])
    return store


def test_load_matches_the_store_frame(store):
    data = mapdata.load(store)
    slow = store.mention_frame()
    fast = data.mentions
    assert list(fast.columns) == mapdata.MENTION_COLUMNS
    assert set(FRAME_COLUMNS) - {"sentence"} <= set(fast.columns)
    key = ["article_id", "start"]
    merged = fast.merge(slow, on=key, suffixes=("", "_slow"))
    assert len(merged) == len(slow) == len(fast) == 5
    for col in ("name", "lat", "lon", "feature", "country", "title", "source", "score", "text"):
        assert merged[col].fillna("-").astype(str).tolist() == merged[f"{col}_slow"].fillna("-").astype(str).tolist(), col
    assert len(data.articles) == 4  # the article without places is there too
    assert data.texts.loc[data.articles.index[0]] == data.texts.loc[data.articles.index[0]].casefold()


def test_day_falls_back_to_the_ingest_date(store):
    data = mapdata.load(store)
    day = data.articles.set_index("title")["day"]
    assert day["Homs shelled"] == pd.Timestamp("2024-03-01")
    assert day["Talks"].normalize() == day["Talks"] and day["Talks"].year >= 2025  # ingested today


def test_version_changes_when_articles_are_added(store):
    before = mapdata.store_version(store)
    assert mapdata.store_version(store) == before
    t = "New shelling near Homs."
    store.add(Article(t), [_mention(t, "Homs", 34.72, 36.72)])
    assert mapdata.store_version(store) != before


def test_places_aggregates_by_place(store):
    places = mapdata.places(mapdata.load(store).mentions)
    assert list(places.columns) == mapdata.PLACE_COLUMNS
    homs = places.set_index("name").loc["Homs"]
    assert (homs["mentions"], homs["articles"]) == (2, 2)
    assert places.iloc[0]["name"] == "Homs"
    assert homs["last_day"] == pd.Timestamp("2024-03-04")
    assert mapdata.places(mapdata.load(store).mentions.iloc[0:0]).empty


def test_query_searches_the_whole_article_text(store):
    data = mapdata.load(store)
    closed = MapState(query="CLOSED").apply(data.mentions, texts=data.texts)
    assert set(closed["name"]) == {"Homs", "Palmyra"}  # "closed" is in the text, not in any mention
    assert set(MapState(query="kharkiv").apply(data.mentions, texts=data.texts)["title"]) == {"Homs protest"}
    assert MapState(query="closed").apply(data.mentions).empty  # without texts: title/mention only


def test_country_counts_and_distances(store):
    frame = mapdata.load(store).mentions
    counts = mapdata.country_counts(frame).set_index("country")
    assert counts.loc["SY", "mentions"] == 4 and counts.loc["UA", "articles"] == 1
    places = mapdata.places(frame)
    near = mapdata.within_km(places, 34.72, 36.72, 200)
    assert near["name"].tolist()[0] == "Homs" and "Kharkiv" not in set(near["name"])
    assert near["distance_km"].is_monotonic_increasing
    assert mapdata.nearest_place(places, 34.7201, 36.7201)["name"] == "Homs"
    assert mapdata.nearest_place(places, 34.72, 36.72, name="Palmyra") is None
    assert mapdata.nearest_place(places, 0, 0) is None


def test_sentences_and_texts(store):
    data = mapdata.load(store)
    first = data.mentions[data.mentions["title"] == "Homs shelled"]
    text = mapdata.article_texts(store, [first["article_id"].iloc[0]])[first["article_id"].iloc[0]]
    assert mapdata.sentences(text, first) == [("Shelling hit Homs overnight.", "Homs"),
                                              ("Later, troops moved towards Palmyra.", "Palmyra")]
    assert mapdata.article_texts(store, []) == {}


def test_a_correction_changes_the_version_and_what_is_loaded(store):
    data = mapdata.load(store)
    homs = data.mentions[(data.mentions["name"] == "Homs") & (data.mentions["title"] == "Homs shelled")].iloc[0]
    before = mapdata.store_version(store)
    moved = ResolvedMention(int(homs["start"]), int(homs["end"]), "Homs", "Hims", 34.73, 36.71, "city", "SY")
    store.correct(homs["article_id"], int(homs["start"]), int(homs["end"]), user="analyst", place=moved)
    assert mapdata.store_version(store) != before  # a move keeps ids and counts: the audit trail tells
    after = mapdata.load(store).mentions
    assert "Hims" in set(after["name"]) and len(after) == len(data.mentions)
    again = mapdata.store_version(store)
    store.correct(homs["article_id"], int(homs["start"]), int(homs["end"]), user="analyst", place=None)
    assert mapdata.store_version(store) != again
    assert len(mapdata.load(store).mentions) == len(data.mentions) - 1


# ---------------------------------------------------------------------------------------- refresh


def _same(fresh: mapdata.MapData, full: mapdata.MapData) -> None:
    """`fresh` holds what a full load holds, in the same order (categories compared by value)."""
    pd.testing.assert_frame_equal(fresh.mentions, full.mentions, check_categorical=False)
    pd.testing.assert_frame_equal(fresh.articles, full.articles)
    pd.testing.assert_series_equal(fresh.texts, full.texts)
    assert fresh.version == full.version


def _event(text: str, place: str, kind: str = "Battles") -> Event:
    start = text.index(place)
    return Event(kind, "Armed clash", "Military forces", None, start, place, 1, 0, len(text), "fact", "clashes", 0)


def test_refresh_reads_only_the_articles_added_since(store, monkeypatch):
    before = mapdata.load(store)
    assert mapdata.refresh(store, before) is before  # nothing changed: nothing read
    d = "Clashes in Aleppo left the road to Homs closed."
    store.add(Article(d, title="Aleppo clashes", source="Wire", published="2024-03-06"),
              [_mention(d, "Aleppo", 36.2, 37.16), _mention(d, "Homs", 34.72, 36.72)], [_event(d, "Aleppo")])
    e = "Residents of Sumy reported drones."
    store.add(Article(e, title="Drones over Sumy", source="Desk"), [_mention(e, "Sumy", 50.91, 34.8, country="UA")])
    reads = []
    real = mapdata._read
    monkeypatch.setattr(mapdata, "_read", lambda con, since=None: reads.append(since) or real(con, since))
    fresh = mapdata.refresh(store, before)
    assert reads and reads[0] is not None  # only the new articles were read
    _same(fresh, mapdata.load(store))
    assert fresh.mentions.loc[fresh.mentions["name"] == "Aleppo", "event_type"].tolist() == ["Battles"]
    # Positions still point at each mention's article.
    assert (fresh.articles["article_id"].to_numpy()[fresh.mentions["article_pos"]] == fresh.mentions["article_id"]).all()


def test_refresh_reads_everything_after_a_deletion_or_a_correction(store):
    before = mapdata.load(store)
    f = "Shelling in Idlib."
    store.add(Article(f, title="Idlib"), [_mention(f, "Idlib", 35.93, 36.63)])
    victim = before.articles.loc[before.articles["title"] == "Talks", "article_id"].iloc[0]
    assert store.delete(victim)
    fresh = mapdata.refresh(store, before)  # one added, one removed: the count alone would not tell
    _same(fresh, mapdata.load(store))
    assert victim not in set(fresh.articles["article_id"])
    row = fresh.mentions[fresh.mentions["name"] == "Palmyra"].iloc[0]
    store.correct(row["article_id"], int(row["start"]), int(row["end"]), user="editor",
                  place=ResolvedMention(int(row["start"]), int(row["end"]), "Palmyra", "Tadmur", 34.56, 38.27,
                                        "city", "SY", None, 1.0))
    corrected = mapdata.refresh(store, fresh)
    _same(corrected, mapdata.load(store))
    assert "Tadmur" in set(corrected.mentions["name"])


def test_refresh_keeps_load_order_for_an_article_ingested_in_the_same_instant(store, monkeypatch):
    from sqlalchemy import text

    before = mapdata.load(store)
    g = "Aid reached Deir ez-Zor."
    store.add(Article(g, title="Aid convoy"), [_mention(g, "Deir ez-Zor", 35.33, 40.14)])
    with store.writer.begin() as con:  # stamped with the previous newest time: ties are ordered by article id
        con.execute(text("UPDATE articles SET ingested_at = (SELECT max(ingested_at) FROM articles "
                         "WHERE title IS NOT 'Aid convoy') WHERE title = 'Aid convoy'"))
    reads = []
    real = mapdata._read
    monkeypatch.setattr(mapdata, "_read", lambda con, since=None: reads.append(since) or real(con, since))
    fresh = mapdata.refresh(store, before)
    assert reads == [before.last_ingest]  # the new article only, then sorted in
    _same(fresh, mapdata.load(store))
