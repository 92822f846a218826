"""Map state: URL round trip and filtering of the mention frame."""

from __future__ import annotations

import pandas as pd

from geo.mapstate import MapState


def frame():
    return pd.DataFrame({
        "article_id": ["a", "a", "b", "c"], "title": ["Homs shelled", "Homs shelled", "Aleppo talks", "Convoy"],
        "source": ["Wire", "Wire", "Desk", "Wire"], "url": [None] * 4,
        "published": ["2017-03-01", "2017-03-01", "2017-04-10", None],
        "ingested_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02", "2017-05-02"], utc=True),
        "start": [0, 10, 0, 0], "end": [4, 16, 6, 4], "text": ["Homs", "Syria", "Aleppo", "Hama"],
        "name": ["Homs", "Syria", "Aleppo", "Hama"], "lat": [34.7, 35.0, 36.2, 35.1], "lon": [36.7, 38.0, 37.2, 36.8],
        "feature": ["city", "country", "city", "city"], "country": ["SY", "SY", "SY", "SY"],
        "geonameid": [1, 2, 3, 4], "score": [0.95, 0.99, 0.6, 0.85],
        "sentence": ["Homs was shelled.", "in Syria", "Aleppo talks began.", "Hama convoy"],
    })


def test_round_trip_through_query_params():
    s = MapState(center=(34.5, 38.25), zoom=7, date_from="2017-03-01", sources=("Wire", "Desk"),
                 features=("city",), min_score=0.8, query="convoy", layers=("places",), selected="Palmyra")
    params = s.to_query_params()
    assert all(isinstance(v, str) for v in params.values())
    assert MapState.from_query_params(params) == s
    assert MapState().to_query_params() == {}


def test_malformed_params_fall_back_to_defaults():
    s = MapState.from_query_params({"center": "north,pole", "zoom": "99", "min_score": "abc", "date_from": "soon"})
    assert s.center is None and s.zoom == 18 and s.min_score == 0.0 and s.date_from is None


def test_filters():
    f = frame()
    assert len(MapState().apply(f)) == 4
    assert list(MapState(features=("city",), min_score=0.8).apply(f)["name"]) == ["Homs", "Hama"]
    assert list(MapState(sources=("Desk",)).apply(f)["name"]) == ["Aleppo"]
    assert list(MapState(query="CONVOY").apply(f)["name"]) == ["Hama"]
    # article date, falling back to the ingest date when the article has none
    assert list(MapState(date_from="2017-04-01", date_to="2017-05-31").apply(f)["name"]) == ["Aleppo", "Hama"]
