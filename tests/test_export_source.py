"""Exports from the dashboard's in-memory map data give what the store's full read gives, reading only
the article texts a format quotes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.store import frames as mapdata
from geo.exports import data as exdata
from geo.exports.source import complete, export, popup_rows, prefiltered, texts_from, with_sentences
from geo.view.state import MapState
from geo.store import Store
from geo.types import Article, ResolvedMention


def _m(text: str, surface: str, name: str, lat: float, lon: float, feature: str = "city") -> ResolvedMention:
    start = text.index(surface)
    return ResolvedMention(start, start + len(surface), surface, name, lat, lon, feature, "SY", None, 0.9)


@pytest.fixture()
def store(tmp_path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    a = "Quiet morning. Shelling hit Homs from the north!\nA convoy reached Hama; Homs was calm by noon."
    s.add(Article(text=a, title="<b>Morning</b>", source="Levant Desk", published="2017-03-02"),
          [_m(a, "Homs", "Homs", 34.72682, 36.72339), _m(a, "Hama", "Hama", 35.13179, 36.75783),
           _m(a, "Homs was", "Homs", 34.72682, 36.72339)])
    b = "=cmd|' /C calc'!A0 Families left Raqqa. Drones were seen over Tabqa."
    s.add(Article(text=b, title="River road", source="Euphrates Bulletin", published="2017-03-09"),
          [_m(b, "Raqqa", "Ar Raqqah", 35.95283, 39.00788), _m(b, "Tabqa", "Tabqa", 35.83544, 38.54814)])
    return s


class CountingTexts:
    """A texts reader that records which articles it was asked for."""

    def __init__(self, store: Store):
        self.read, self.asked = texts_from(store), []

    def __call__(self, ids):
        self.asked.append(sorted(ids))
        return self.read(ids)


def test_sentences_match_the_stores_full_read(store):
    full = store.mention_frame()
    rows = mapdata.load(store).mentions
    assert "sentence" not in rows
    cut = with_sentences(rows, texts_from(store)(rows["article_id"].unique()))
    key = ["article_id", "start"]
    expected = full.set_index(key)["sentence"].sort_index()
    assert cut.set_index(key)["sentence"].sort_index().to_dict() == expected.to_dict()


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_data_exports_equal_the_full_read_apart_from_stored_events(store, fmt):
    rows = mapdata.load(store).mentions
    texts = CountingTexts(store)
    ours = export(fmt, rows, MapState(), filtered=True, texts=texts).data
    theirs = getattr(exdata, f"to_{fmt}")(store.mention_frame())
    if fmt == "geojson":
        def props(payload):
            return sorted((tuple((k, v) for k, v in f["properties"].items() if k not in exdata.EVENT_FIELDS)
                           for f in json.loads(payload)["features"]), key=repr)
        assert props(ours) == props(theirs)
    else:
        def cells(payload):
            lines = payload.decode("utf-8-sig").splitlines()
            head = lines[0].split(",")
            keep = [i for i, h in enumerate(head) if h not in exdata.EVENT_FIELDS]
            return sorted(",".join(c for i, c in enumerate(line.split(",")) if i in keep) for line in lines)
        assert cells(ours) == cells(theirs)
        assert "'=cmd" in ours.decode("utf-8-sig")  # the formula stays defused
    assert texts.asked == [sorted(rows["article_id"].unique())]  # one read, of these articles only


def test_pictures_read_no_texts_and_html_only_the_quoted_articles(store):
    rows = mapdata.load(store).mentions
    texts = CountingTexts(store)
    assert complete(rows, "png", texts)["sentence"].eq("").all()
    assert texts.asked == []
    per_place = popup_rows(rows, per_place=1)  # Homs: only its first article's mentions are quoted
    assert per_place.sum() == len(rows)  # here every place is named by one article
    html = export("html", rows, MapState(layers=("places",)), filtered=True, texts=texts).data.decode()
    html = html.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")  # popups ride in JSON
    assert "Shelling hit <mark>Homs</mark> from the north!" in html
    assert "<b>Morning</b>" not in html and "&lt;b&gt;Morning&lt;/b&gt;" in html


def test_popup_rows_keep_the_first_articles_of_each_place():
    frame = pd.DataFrame({"name": ["A", "A", "A", "B"], "lat": [1.0] * 3 + [2.0], "lon": [1.0] * 3 + [2.0],
                          "feature": ["city"] * 4, "article_id": ["x", "y", "x", "y"]})
    assert popup_rows(frame, per_place=1).tolist() == [True, False, True, True]


def test_prefiltered_keeps_the_view_and_drops_only_the_search():
    state = MapState(query="shelling", center=(34.5, 38.3), zoom=7, date_from="2017-03-01", layers=("places",))
    assert prefiltered(state) == state.with_(query="")
