"""Events are stored with their article: read back with their place, moved by corrections, removed with it."""

from __future__ import annotations

import json

import pytest

from geo.events.extract import extract_events
from geo.store import Store
from geo.types import Article, Event, ResolvedMention

from tests.test_store_backends import store_url  # noqa: F401 (the sqlite + postgis fixture)

TEXT = "Russian jets struck rebel positions near Idlib on Monday. Protesters gathered in Homs."


def mention(text: str, surface: str, name: str, lat: float, lon: float) -> ResolvedMention:
    start = text.index(surface)
    return ResolvedMention(start=start, end=start + len(surface), text=surface, name=name, lat=lat, lon=lon,
                           feature="city", country="SY", score=0.9)


def analysed(text: str = TEXT) -> tuple[Article, list[ResolvedMention], list[Event]]:
    mentions = [mention(text, "Idlib", "Idlib", 35.93, 36.63), mention(text, "Homs", "Homs", 34.72, 36.73)]
    return Article(text=text, title="Strikes and a protest"), mentions, extract_events(text, mentions)


def test_events_are_stored_and_read_back_with_their_place(store_url):  # noqa: F811
    store = Store(store_url)
    article, mentions, events = analysed()
    assert [(e.type, e.place) for e in events] == [("Explosions/Remote violence", "Idlib"), ("Protests", "Homs")]
    assert store.add(article, mentions, events)
    assert store.events(article.id) == events
    assert store.counts()["events"] == 2
    assert not store.add(article, mentions, events)  # the same article again: nothing added twice
    assert store.counts()["events"] == 2


def test_a_correction_moves_the_event_and_a_drop_leaves_it_without_place(store_url):  # noqa: F811
    store = Store(store_url)
    article, mentions, events = analysed()
    store.add(article, mentions, events)
    idlib = mentions[0]
    moved = ResolvedMention(start=idlib.start, end=idlib.end, text=idlib.text, name="Idlib Governorate", lat=35.8,
                            lon=36.6, feature="region", country="SY", score=1.0)
    store.correct(article.id, idlib.start, idlib.end, user="alice", place=moved)
    assert [e.place for e in store.events(article.id)] == ["Idlib Governorate", "Homs"]
    homs = mentions[1]
    store.correct(article.id, homs.start, homs.end, user="alice")  # not a place after all
    assert [e.place for e in store.events(article.id)] == ["Idlib Governorate", None]


def test_reprocess_replaces_events_only_when_given_and_delete_removes_them(store_url):  # noqa: F811
    store = Store(store_url)
    article, mentions, events = analysed()
    store.add(article, mentions, events)
    store.reprocess(article.id, mentions)  # a geoparser re-run that says nothing about events
    assert len(store.events(article.id)) == 2
    store.reprocess(article.id, mentions, events[:1])
    assert [e.type for e in store.events(article.id)] == ["Explosions/Remote violence"]
    store.set_events(article.id, [])
    assert store.events(article.id) == []
    store.set_events(article.id, events)
    assert store.delete(article.id)
    assert store.counts()["events"] == 0


def test_an_event_outside_the_text_is_refused(store_url):  # noqa: F811
    store = Store(store_url)
    article, mentions, events = analysed()
    bad = Event(**(events[0].to_json() | {"evidence_end": len(TEXT) + 10}))
    with pytest.raises(ValueError, match="outside the article text"):
        store.add(article, mentions, [bad])
    assert not store.has(article.id)


def test_seed_article_stores_the_kalibr_strike_near_palmyra(tmp_path, shared, geoparser):
    """The seed as `geoparse` reads it (ingest would drop the Kalibr line: a related story's headline)."""
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    article = Article(text=(shared / "seed" / "sputnik_palmyra_2017.txt").read_text(encoding="utf-8"), title="seed")
    mentions = geoparser.parse(article.text)
    store.add(article, mentions, extract_events(article.text, mentions))
    kalibr = [e for e in store.events(article.id) if "Kalibr" in e.trigger]
    assert len(kalibr) == 1
    # The event's place reads back as people write it; the mention keeps the gazetteer's name beside it.
    assert (kalibr[0].type, kalibr[0].actor1, kalibr[0].place) == (
        "Explosions/Remote violence", "Military Forces of Russia", "Palmyra")
    place = next(m for m in store.mentions(article.id) if m.start == kalibr[0].place_mention_start)
    assert (place.name, place.display_name) == ("Tadmur", "Palmyra")


def test_batch_ingest_stores_events(tmp_path):
    from geo.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "title": "t", "text": TEXT}) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert main(["ingest", str(src), "--db", url, "--workers", "1"]) == 0
    store = Store(url)
    (article,) = store.articles()
    assert [e.type for e in store.events(article.id)] == ["Explosions/Remote violence", "Protests"]


def test_events_command_finds_the_events_of_a_store_filled_without_them(tmp_path, capsys):
    from geo.cli import main

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    article, mentions, events = analysed()
    Store(url).add(article, mentions)  # stored before events were
    assert main(["events", "--db", url]) == 0
    assert Store(url).events(article.id) == events
    assert "2 event(s) in 1 article(s)" in capsys.readouterr().err
