"""Stored events reach the map data: filters by event type, actor and fact, the share link, the summary."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.events.extract import extract_events
from geo.store import Store
from geo.store import frames as mapdata
from geo.types import Article
from geo.view.state import MapState

TEXTS = [
    ("Strikes on Idlib", "Russian jets struck rebel positions near Idlib on Monday. Protesters gathered in Homs."),
    ("Hama", "Syrian army troops shelled Hama overnight, killing four civilians."),
    ("Denial", "Turkey denied shelling Afrin on Tuesday. Aid reached Aleppo."),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, geoparser) -> Store:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('ev') / 'db.sqlite'}")
    for i, (title, text) in enumerate(TEXTS):
        mentions = geoparser.parse(text)
        store.add(Article(text=text, title=title, published=f"2024-01-0{i + 1}"), mentions,
                  extract_events(text, mentions))
    return store


@pytest.fixture(scope="module")
def data(store) -> mapdata.MapData:
    return mapdata.load(store)


def test_store_frame_and_map_data_carry_the_same_events(store, data):
    from geo.store import EVENT_COLUMNS

    slow = store.mention_frame().sort_values(["article_id", "start"], ignore_index=True)
    fast = data.mentions.sort_values(["article_id", "start"], ignore_index=True)
    for col in EVENT_COLUMNS:
        assert slow[col].astype(object).fillna("-").astype(str).tolist() == \
            fast[col].astype(object).fillna("-").astype(str).tolist(), col


def test_cli_export_follows_event_filters_of_a_link(store, tmp_path):
    import json

    from geo.cli import main

    out = tmp_path / "protests.geojson"
    link = "http://localhost:8501/?event_types=Protests"
    assert main(["export", "-o", str(out), "--link", link, "--db", store.url]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["text"] for f in features] == ["Homs"]


def names(data, state: MapState) -> set[str]:
    return set(data.mentions[state.mask(data.mentions)]["text"])  # as written (GeoNames spells Ḩamāh)


def test_mentions_carry_the_event_that_happened_there(data):
    m = data.mentions.set_index("text")
    assert m.loc["Idlib", "event_type"] == "Explosions/Remote violence"
    assert m.loc["Idlib", "actor1"] == "Military Forces of Russia"
    assert m.loc["Homs", "event_type"] == "Protests"
    assert m.loc["Hama", "event_type"] == "Explosions/Remote violence" and m.loc["Hama", "modality"] == "fact"
    assert m.loc["Afrin", "modality"] == "negated"
    assert m.loc["Aleppo", "event_type"] != m.loc["Aleppo", "event_type"]  # NaN: named, nothing happened there
    assert m.loc["Turkey", "event_type"] != m.loc["Turkey", "event_type"]  # the actor's country, not the place


def test_event_filters_keep_the_places_of_matching_events(data):
    assert names(data, MapState()) == {"Idlib", "Homs", "Hama", "Turkey", "Afrin", "Aleppo"}
    assert names(data, MapState(event_types=("Protests",))) == {"Homs"}
    assert names(data, MapState(event_types=("Explosions/Remote violence",))) == {"Idlib", "Hama", "Afrin"}
    assert names(data, MapState(event_types=("Explosions/Remote violence",), facts_only=True)) == {"Idlib", "Hama"}
    assert names(data, MapState(actors=("Military Forces of Russia",))) == {"Idlib"}
    assert names(data, MapState(facts_only=True)) == {"Idlib", "Homs", "Hama"}


def test_event_filters_survive_the_share_link():
    state = MapState(event_types=("Battles", "Protests"), actors=("Islamic State (ISIS)",), facts_only=True)
    params = state.to_query_params()
    assert params == {"event_types": "Battles|Protests", "actors": "Islamic State (ISIS)", "facts_only": "1"}
    assert MapState.from_query_params(params) == state
    assert MapState.from_query_params({"facts_only": "nonsense"}).facts_only is False


def test_event_summary_counts_per_place_and_type(data):
    summary = mapdata.event_summary(data.mentions.assign(name=data.mentions["text"])).set_index("name")
    assert summary.loc["Idlib", "event_type"] == "Explosions/Remote violence" and summary.loc["Idlib", "fact"]
    assert summary.loc["Idlib", "subtypes"] == [("Air/drone strike", 1)]
    assert not summary.loc["Afrin", "fact"]
    assert summary.loc["Aleppo", "event_type"] is None and summary.loc["Aleppo", "mentions"] == 1
    assert mapdata.event_summary(data.mentions.iloc[0:0]).empty


def test_timeline_stacks_mentions_by_event_type(data):
    from geo.maps.style import EVENT_COLOURS
    from geo.maps.timeline import timeline_svg
    from geo.view import timebins

    days = timebins.counts(data.mentions, "day")
    by_type = timebins.counts_by_type(data.mentions, "day", pd.DatetimeIndex(days["day"]))
    assert list(by_type["day"]) == list(days["day"])
    assert (by_type.drop(columns="day").sum(axis=1).to_numpy() == days["mentions"].to_numpy()).all()
    jan1 = by_type.set_index("day").loc["2024-01-01"]
    assert (jan1["Explosions/Remote violence"], jan1["Protests"]) == (1, 1)
    svg = timeline_svg(days, by_type=by_type)
    assert "1 Jan 2024: 1 Explosions/Remote violence, 1 Protests" in svg and EVENT_COLOURS["Protests"] in svg
    assert "3 Jan 2024: 1 Explosions/Remote violence, 2 no event" in svg  # Afrin (denied); Turkey, Aleppo


def dashboard_with_texts(url: str, geoparser):
    """The dashboard (Streamlit's AppTest) over a store holding TEXTS with their places and events."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    store = Store(url)
    for title, text in TEXTS:
        mentions = geoparser.parse(text)
        store.add(Article(text=text, title=title), mentions, extract_events(text, mentions))
    return AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=60).run()


def test_sidebar_event_filters_narrow_the_map_and_reach_the_url(dashboard_store, geoparser):
    at = dashboard_with_texts(dashboard_store, geoparser)
    assert not at.exception
    types = next(m for m in at.sidebar.multiselect if m.label == "Event types")
    assert types.options == ["Explosions/Remote violence", "Protests"]
    actors = next(m for m in at.sidebar.multiselect if m.label == "Actors")
    assert "Military Forces of Russia" in actors.options
    types.select("Protests").run()
    assert not at.exception
    assert at.query_params["event_types"] == "Protests"
    assert any("**1** articles · **1** places match" in m.value for m in at.sidebar.markdown)
    next(c for c in at.sidebar.checkbox if c.label == "Only events that happened").check().run()
    assert at.query_params["facts_only"] == "1"


def test_articles_page_lists_events_with_escaped_evidence(dashboard_store, geoparser):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    text = "Russian jets struck rebel positions near Idlib <script>window.x=1</script> on Monday."
    mentions = geoparser.parse(text)
    article = Article(text=text, title="Strike")
    Store(dashboard_store).add(article, mentions, extract_events(text, mentions))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=60)
    at.query_params["read"] = article.id
    at.run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception
    html = next(m.value for m in at.markdown if "cm-panel" in m.value and "Air/drone strike" in m.value)
    assert "Military Forces of Russia" in html and "<b>Idlib</b>" in html
    assert "&lt;script&gt;window.x=1&lt;/script&gt;" in html and "<script>window" not in html


def test_event_table_and_counts(data):
    table = mapdata.event_table(data.mentions)
    assert len(table) == 4  # Idlib, Homs, Hama, Afrin (denied)
    assert list(table["day"].dt.day) == [3, 2, 1, 1]  # newest first
    types = mapdata.counts_by(table, "event_type")
    assert dict(zip(types["event_type"], types["events"])) == {"Explosions/Remote violence": 3, "Protests": 1}
    actors = mapdata.counts_by(table, "actor1", also="actor2")
    assert dict(zip(actors["actor1"], actors["events"]))["Military Forces of Russia"] == 1


def test_events_page_shows_events_with_evidence(dashboard_store, geoparser):
    at = dashboard_with_texts(dashboard_store, geoparser)
    at.switch_page("pages/events.py").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert len(table) == 4
    row = table[table["Event type"] == "Protests"].iloc[0]
    assert row["Place"] == "Homs" and row["Evidence"] == "Protesters gathered in Homs."
    assert row["Actor 2"] == ""  # an actor the sentence does not name is blank, not "None"
    assert "denied" in set(table["Reported as"])
    assert row["Fatalities"] == 0 and row["Event date"]  # a protest silent about deaths had none
