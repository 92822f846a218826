"""Analysts' corrections survive re-processing, are seen by everyone, and land in the audit trail."""

from __future__ import annotations

from geo.store import Store
from geo.types import Article, ResolvedMention

from tests.test_store_backends import store_url  # noqa: F401 (the sqlite + postgis fixture)

TEXT = "Clashes near Palmyra. Later, Mason said the road to Homs was cut."


def mention(text, surface, name, lat, lon, country="SY"):
    start = text.index(surface)
    return ResolvedMention(start=start, end=start + len(surface), text=surface, name=name, lat=lat, lon=lon,
                           feature="city", country=country, score=0.6)


def parsed():
    return [mention(TEXT, "Palmyra", "Palmyra", 43.06, -77.23, "US"),  # the wrong Palmyra
            mention(TEXT, "Mason", "Mason", 39.36, -84.31, "US"),  # a person, not a place
            mention(TEXT, "Homs", "Homs", 34.72, 36.73)]


def test_corrections_apply_and_survive_reprocessing(store_url):  # noqa: F811
    store = Store(store_url)
    article = Article(text=TEXT, title="t")
    assert store.add(article, parsed(), user="alice")
    tadmur = mention(TEXT, "Palmyra", "Tadmur", 34.56, 38.28)
    store.correct(article.id, tadmur.start, tadmur.end, user="alice", place=tadmur)
    m = mention(TEXT, "Mason", "Mason", 0, 0)
    store.correct(article.id, m.start, m.end, user="bob")

    def state(s):
        return [(x.text, x.name, x.country) for x in s.mentions(article.id)]

    expected = [("Palmyra", "Tadmur", "SY"), ("Homs", "Homs", "SY")]
    assert state(store) == expected
    assert state(Store(store_url)) == expected  # another analyst's session sees the same
    store.reprocess(article.id, parsed(), user="system")  # the geoparser makes the same mistakes again
    assert state(store) == expected
    log = store.audit_log()
    assert list(log["action"])[:2] == ["reprocess", "edit"]
    assert {"alice", "bob", "system"} <= set(log["user"])
    assert store.corrections(article.id)[0]["user"] == "alice"


def test_delete_is_audited(store_url):  # noqa: F811
    store = Store(store_url)
    article = Article(text="Shelling near Hama.", title="x")
    store.add(article, [], user="alice")
    assert store.delete(article.id, user="root")
    log = store.audit_log()
    assert (log["action"] == "delete").any() and (log["user"] == "root").any()
