"""Synthetic reports: realistic, deterministic, stored in bulk with mentions that point at their names."""

from __future__ import annotations

import itertools

import pytest

from geo.dev.synthetic import COUNTRIES, Town, fill_synthetic, reports, run_synthetic
from geo.events.extract import EventExtractor
from geo.store import Store


class TinyGazetteer:
    """Just enough of geo.gazetteer.Gazetteer: frame(["city"])."""

    def frame(self, features):
        import pandas as pd

        rows = [
            ("Homs", 34.72682, 36.72339, "SY", 775404), ("Aleppo", 36.20124, 37.16117, "SY", 1602264),
            ("Palmyra", 34.5624, 38.28402, "SY", 51323), ("Mosul", 36.335, 43.11889, "IQ", 1739800),
            ("Fallujah", 33.34913, 43.78599, "IQ", 190159), ("Kharkiv", 49.98081, 36.25272, "UA", 1430885),
            ("Bakhmut", 48.59441, 38.00009, "UA", 72310), ("Paris", 48.85, 2.35, "FR", 2138551),
        ]
        return pd.DataFrame([{"name": n, "lat": a, "lon": o, "feature": "city", "country": c, "population": p,
                              "geonameid": i} for i, (n, a, o, c, p) in enumerate(rows)])


@pytest.fixture()
def towns():
    from geo.dev.synthetic import towns_from

    return towns_from(TinyGazetteer())


def test_towns_come_from_the_three_countries_only(towns):
    assert set(towns) == set(COUNTRIES)
    assert all(isinstance(t, Town) and t.country == cc for cc, ts in towns.items() for t, _ in ts)
    weights = dict((t.name, w) for t, w in towns["SY"])
    assert weights["Aleppo"] > weights["Homs"] > weights["Palmyra"]  # bigger towns are named more often


def test_reports_are_deterministic_and_mentions_point_at_their_names(towns):
    first = list(itertools.islice(reports(towns, seed=3), 200))
    again = list(itertools.islice(reports(towns, seed=3), 200))
    assert [r.text for r in first] == [r.text for r in again]
    assert [r.text for r in first] != [r.text for r in itertools.islice(reports(towns, seed=4), 200)]
    for r in first:
        assert r.mentions, r.text
        for start, end, text, name, lat, lon, feature, cc, _, score in r.mentions:
            assert r.text[start:end] == text == name
            assert feature in ("city", "country") and cc in COUNTRIES and 0.5 <= score <= 1.0
        assert r.published is None or "2024-01-01" <= r.published <= "2024-12-31"
    assert len({r.source for r in first}) > 3
    assert any(r.published is None for r in first)  # some fall back to their ingest date


def test_texts_carry_events_facts_and_non_facts(towns):
    extractor = EventExtractor()
    modalities, types = set(), set()
    for r in itertools.islice(reports(towns, seed=0), 150):
        from geo.types import ResolvedMention

        mentions = [ResolvedMention(*m) for m in r.mentions]
        for event in extractor.extract(r.text, mentions):
            modalities.add(event.modality)
            types.add(event.type)
    assert "fact" in modalities and modalities - {"fact"}
    assert {"Battles", "Explosions/Remote violence"} <= types


def test_fill_synthetic_stores_n_articles_in_bulk(tmp_path, towns):
    store = Store(f"sqlite:///{tmp_path / 'syn.sqlite'}")
    assert fill_synthetic(store, 500, seed=1, gazetteer=TinyGazetteer()) == 500
    counts = store.counts()
    assert counts["articles"] == 500 and counts["mentions"] >= 500
    assert counts["places"] <= 7 + 3  # towns and countries are shared, never duplicated
    article = store.articles()[0]
    for m in store.mentions(article.id):
        assert article.text[m.start:m.end] == m.text
    # Filling again with the same seed adds the next texts, never a duplicate.
    assert fill_synthetic(store, 50, seed=1, gazetteer=TinyGazetteer()) == 50
    assert store.counts()["articles"] == 550


def test_run_synthetic_opens_the_url(tmp_path, monkeypatch):
    import geo.dev.synthetic as synthetic

    monkeypatch.setattr(synthetic, "fill_synthetic",
                        lambda store, n, seed=0: fill_synthetic_stub(store, n, seed))
    calls = []

    def fill_synthetic_stub(store, n, seed):
        calls.append((store.url, n, seed))
        return n

    url = f"sqlite:///{tmp_path / 'run.sqlite'}"
    assert run_synthetic(url, 7) == 7
    assert calls == [(url, 7, 0)]
