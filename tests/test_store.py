"""Store: articles stored once by content hash, mentions round-trip with their offsets and places."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from geo.store import FRAME_COLUMNS, Store
from geo.types import Article, ResolvedMention
from test_store_backends import store_url  # noqa: F401 - the fixture: a new SQLite and a new PostGIS database

TEXT = (
    "Government forces shelled positions east of Homs on Monday. "
    "A convoy later reached Palmyra from the west.\n\n"
    "Officials in Damascus said the road to Homs would reopen."
)

PLACES = {
    "Homs": dict(name="Homs", lat=34.72682, lon=36.72339, feature="city", country="SY", geonameid=169577),
    "Palmyra": dict(name="Palmyra", lat=34.56, lon=38.26667, feature="city", country="SY", geonameid=170245),
    "Damascus": dict(name="Damascus", lat=33.5102, lon=36.29128, feature="city", country="SY", geonameid=None),
}


def mentions_of(text: str, *names: str) -> list[ResolvedMention]:
    """Resolved mentions for every occurrence of the names, as a geoparser would give them."""
    out = []
    for name in names:
        start = text.find(name)
        while start != -1:
            out.append(ResolvedMention(start=start, end=start + len(name), text=name, score=0.75, **PLACES[name]))
            start = text.find(name, start + 1)
    return out


@pytest.fixture
def store(store_url) -> Store:
    """A new store on each backend: SQLite, and PostGIS when TEST_POSTGIS_URL is set."""
    return Store(store_url)


def test_creates_the_database_file_and_its_folder(tmp_path):
    Store(f"sqlite:///{tmp_path / 'a' / 'b' / 'db.sqlite'}")
    assert (tmp_path / "a" / "b" / "db.sqlite").is_file()


def test_add_then_read_back(store):
    article = Article(text=TEXT, title="Shelling near Homs", source="Demo Wire", url="https://example.org/1",
                      published="2017-03-02", language="en")
    assert not store.has(article.id)
    assert store.add(article, mentions_of(TEXT, "Homs", "Palmyra", "Damascus")) is True
    assert store.has(article.id)
    assert store.article(article.id) == article
    assert store.articles() == [article]
    assert store.article("0" * 64) is None


def test_same_text_is_stored_once(store):
    article = Article(text=TEXT, title="first copy")
    assert store.add(article, mentions_of(TEXT, "Homs")) is True
    rescraped = Article(text="  " + TEXT.replace("\n\n", "\n") + "\n", title="second copy")
    assert rescraped.id == article.id  # whitespace-only differences: the same article
    assert store.add(rescraped, mentions_of(rescraped.text, "Homs")) is False
    assert store.counts() == {"articles": 1, "mentions": 2, "places": 1, "events": 0}
    assert store.article(article.id).title == "first copy"


def test_mentions_round_trip_in_text_order(store):
    article = Article(text=TEXT)
    given = mentions_of(TEXT, "Damascus", "Palmyra", "Homs")  # not in text order
    store.add(article, given)
    back = store.mentions(article.id)
    assert back == sorted(given, key=lambda m: m.start)
    assert [article.text[m.start : m.end] for m in back] == ["Homs", "Palmyra", "Damascus", "Homs"]
    assert back[-1].geonameid == 169577 and back[2].geonameid is None
    assert store.mentions("missing") == []


def test_places_are_shared_between_articles(store):
    other = "Fresh shelling was reported in Homs and in Damascus overnight."
    store.add(Article(text=TEXT), mentions_of(TEXT, "Homs", "Palmyra", "Damascus"))
    store.add(Article(text=other), mentions_of(other, "Homs", "Damascus"))
    assert store.counts() == {"articles": 2, "mentions": 6, "places": 3, "events": 0}


def test_articles_newest_ingest_first(store):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    ticks = iter(start + timedelta(minutes=i) for i in range(10))
    store._clock = lambda: next(ticks)
    texts = ["Clashes in Idlib.", "Air strikes near Raqqa.", "Convoy reached Aleppo."]
    for t in texts:
        store.add(Article(text=t), [])
    assert [a.text for a in store.articles()] == list(reversed(texts))


def test_mention_frame_columns_offsets_and_sentence(store):
    article = Article(text=TEXT, title="Shelling near Homs", source="Demo Wire", published="2017-03-02")
    store.add(article, mentions_of(TEXT, "Homs", "Palmyra", "Damascus"))
    frame = store.mention_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    assert len(frame) == 4
    frame = frame.sort_values("start").reset_index(drop=True)
    assert list(frame["text"]) == ["Homs", "Palmyra", "Damascus", "Homs"]
    for row in frame.itertuples():
        assert TEXT[row.start : row.end] == row.text  # offsets into the article, not into the sentence
        assert row.text in row.sentence
    assert frame.loc[1, "sentence"] == "A convoy later reached Palmyra from the west."
    assert frame.loc[2, "sentence"] == "Officials in Damascus said the road to Homs would reopen."
    assert frame.loc[0, "sentence"] == "Government forces shelled positions east of Homs on Monday."
    assert frame.loc[0, "title"] == "Shelling near Homs" and frame.loc[0, "published"] == "2017-03-02"
    assert frame.loc[0, "lat"] == pytest.approx(34.72682) and frame.loc[0, "country"] == "SY"
    assert str(frame["ingested_at"].dt.tz) == "UTC"


def test_empty_store_gives_empty_frame_with_columns(store):
    frame = store.mention_frame()
    assert frame.empty and list(frame.columns) == FRAME_COLUMNS
    assert store.counts() == {"articles": 0, "mentions": 0, "places": 0, "events": 0}
    assert store.articles() == []


def test_delete_removes_article_mentions_and_orphan_places(store):
    other = "Shelling was reported in Homs again."
    first, second = Article(text=TEXT), Article(text=other)
    store.add(first, mentions_of(TEXT, "Homs", "Palmyra", "Damascus"))
    store.add(second, mentions_of(other, "Homs"))
    assert store.delete(first.id) is True
    assert not store.has(first.id) and store.mentions(first.id) == []
    assert store.counts() == {"articles": 1, "mentions": 1, "places": 1, "events": 0}  # Homs is still used
    assert store.mentions(second.id)[0].name == "Homs"
    assert store.delete(first.id) is False
    assert store.add(first, mentions_of(TEXT, "Homs")) is True  # can be ingested again


def test_text_is_stored_verbatim(store):
    text = 'Residents of Homs said <script>alert("x")</script> & "quotes" stayed as typed.'
    article = Article(text=text, title="<b>Homs</b> & more")
    store.add(article, mentions_of(text, "Homs"))
    back = Store(store.url).article(article.id)  # a fresh engine reads what was written
    assert back.text == text and back.title == "<b>Homs</b> & more"
    assert store.mention_frame().loc[0, "sentence"] == text


def test_mention_outside_the_text_is_refused(store):
    article = Article(text="Shelling in Homs.")
    bad = ResolvedMention(start=12, end=40, text="Homs", **PLACES["Homs"])
    with pytest.raises(ValueError, match="outside the article text"):
        store.add(article, [bad])
    assert not store.has(article.id)


def test_sqlite_pragmas(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_demo_articles_are_well_formed():
    from geo.demo import DEMO_PATH
    from geo.io.ingest import iter_jsonl

    records = list(iter_jsonl(DEMO_PATH))
    assert len(records) == 8
    for rec in records:
        assert set(rec) == {"title", "source", "published", "url", "text"}
        assert 120 <= len(rec["text"].split()) <= 250, rec["title"]
        assert rec["url"].startswith("https://example.org/demo/")
        assert rec["published"].startswith("2017-")
    months = {rec["published"][:7] for rec in records}
    assert months == {"2017-03", "2017-04"}


def test_load_demo_parses_stores_and_is_idempotent(store):
    from geo.demo import load_demo

    calls = []

    def parse(text: str) -> list[ResolvedMention]:
        calls.append(text)
        return mentions_of(text, "Homs")

    assert load_demo(store, parse) == 8
    assert len(calls) == 8
    assert store.counts()["articles"] == 8
    homs = sum(text.count("Homs") for text in calls)
    assert homs > 0 and store.counts()["mentions"] == homs
    assert load_demo(store, parse) == 0
    assert len(calls) == 8  # stored articles are not parsed again
    assert {a.source for a in store.articles()} >= {"Demo Wire", "Levant Desk"}
