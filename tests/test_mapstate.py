"""Map state: URL round trip and filtering of the mention frame."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.store.frames import MapData
from geo.view.filters import select
from geo.view.state import MapState, from_link


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


def test_new_fields_round_trip_and_stay_out_of_a_default_url():
    s = MapState(selected="Tiyas", selected_at=(34.52, 37.63), selected_kind="air base", article="abc",
                 radius_km=120, basemap="satellite", step="week", layers=("places", "heatmap", "time"))
    params = s.to_query_params()
    assert params["selected_at"] == "34.52000,37.63000" and params["layers"] == "places|heatmap|time"
    assert MapState.from_query_params(params) == s
    assert not {"selected_at", "article", "radius_km", "basemap", "step"} & set(MapState().to_query_params())


def test_no_layers_is_not_the_default_layers():
    assert MapState.from_query_params(MapState(layers=()).to_query_params()).layers == ()


def test_unknown_values_fall_back():
    s = MapState.from_query_params({"basemap": "google", "step": "hour", "radius_km": "99999", "selected_at": "1,2,3"})
    assert (s.basemap, s.step, s.radius_km, s.selected_at) == ("offline", "auto", 500, None)


def test_article_filter_and_day_column():
    f = frame()
    assert list(MapState(article="b").apply(f)["name"]) == ["Aleppo"]
    # A precomputed "day" column wins over parsing published/ingested_at.
    f["day"] = pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02", "2020-01-03"])
    assert list(MapState(date_from="2020-01-02").apply(f)["name"]) == ["Aleppo", "Hama"]


def test_query_with_article_texts():
    f = frame()
    texts = pd.Series({"a": "homs shelled; long text about a convoy", "b": "aleppo talks", "c": "convoy"})
    assert set(MapState(query="convoy").apply(f, texts=texts)["article_id"]) == {"a", "c"}
    assert list(MapState(query="aleppo").apply(f, texts=texts)["name"]) == ["Aleppo"]


def test_filters_key_ignores_view_and_layers():
    a = MapState(sources=("Wire",))
    assert a.filters == a.with_(center=(1.0, 2.0), zoom=5, layers=(), selected="X").filters
    assert a.filters != a.with_(query="x").filters


def test_language_filter_round_trips_and_filters():
    f = frame().assign(language=["en", "en", "ar", "ru"])
    s = MapState(languages=("ar", "ru"))
    assert MapState.from_query_params(s.to_query_params()) == s
    assert list(s.apply(f)["name"]) == ["Aleppo", "Hama"]
    assert len(MapState(languages=("ar",)).apply(frame())) == 4  # a frame without languages is not filtered


def _store_data():
    """The frame as geo.store.frames.MapData holds it, plus an article "d" that names no place."""
    f = frame()
    f["day"] = MapState.days(f)
    f["article_pos"] = f["article_id"].map({"a": 0, "b": 1, "c": 2})
    articles = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "source": ["Wire", "Desk", "Wire", "Desk"],
                             "day": pd.to_datetime(["2017-03-01", "2017-04-10", "2017-05-02", "2017-04-11"])},
                            index=pd.Index(["a", "b", "c", "d"], name="article_id"))
    texts = pd.Series(["homs shelled; long text about a convoy", "aleppo talks", "convoy", "a convoy on the m5"])
    return MapData(mentions=f, articles=articles, texts=texts, version=("test",))


@pytest.mark.parametrize("state", [
    MapState(), MapState(query="convoy"), MapState(query="aleppo", sources=("Desk",)), MapState(query="syria"),
    MapState(countries=("SY",), min_score=0.9), MapState(date_from="2017-04-01"), MapState(article="a", query="homs"),
])
def test_the_store_view_filters_as_the_state_does(state):
    """One filter (geo.view.filters): the dashboard's view of the store keeps the rows MapState.apply keeps."""
    data = _store_data()
    frame_, _ = select(data, state)
    by_id = pd.Series(data.texts.to_numpy(), index=data.articles.index)
    assert frame_.index.tolist() == state.apply(data.mentions, texts=by_id).index.tolist()


def test_articles_without_places_pass_the_article_filters_only():
    data = _store_data()
    assert list(select(data, MapState(query="convoy"))[1]) == ["a", "c", "d"]  # "d" names no place
    assert list(select(data, MapState(sources=("Desk",)))[1]) == ["b", "d"]
    assert list(select(data, MapState(sources=("Desk",), countries=("SY",)))[1]) == ["b"]  # a place filter


def test_legacy_focus_links():
    s = from_link({"place": "Homs", "lat": "34.73", "lon": "36.71"}, focus_zoom=8)
    assert (s.selected, s.selected_at, s.center, s.zoom) == ("Homs", (34.73, 36.71), (34.73, 36.71), 8)
    assert from_link({"lat": "95", "lon": "1"}, focus_zoom=8) == MapState()
