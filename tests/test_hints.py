"""What the Map page says when the filters leave nothing to show (geo/view/hints.py)."""

from __future__ import annotations

from geo.view.hints import cleared, empty_hint, narrowing
from geo.view.state import MapState


def test_the_hint_names_the_filters_in_the_sidebars_words():
    state = MapState(date_from="2017-03-01", event_types=("Battles",), query="convoy")
    assert narrowing(state) == ["Event types", "Search"]
    assert empty_hint(state) == "No places under these filters: widen the dates or clear “Event types” and “Search”."
    assert empty_hint(MapState(date_to="2017-04-01")) == "No places under these filters: widen the dates."
    assert empty_hint(MapState(min_score=0.9)) == "No places under these filters: clear “Minimum confidence”."
    assert empty_hint(MapState(sources=("a",), countries=("SY",), actors=("x",))) == (
        "No places under these filters: clear “Sources”, “Countries” and “Actors”.")
    assert empty_hint(MapState()) == "No places to show: the articles stored name none."


def test_clearing_keeps_the_view_and_layers_and_drops_the_selection():
    state = MapState(center=(34.0, 36.0), zoom=9, layers=("places", "events"), basemap="osm", query="x",
                     features=("city",), facts_only=True, article="a1", selected="Homs", selected_at=(34.7, 36.7))
    out = cleared(state)
    assert out == MapState(center=(34.0, 36.0), zoom=9, layers=("places", "events"), basemap="osm")
    assert narrowing(out) == [] and cleared(out) == out
