"""The event's place is the most specific one the report names: the town in the lead, not the country in
the headline; "near Mali's Niono" is Niono; a lead about another kind of event keeps its own place."""

from __future__ import annotations

import pytest

from geo.events.extract import EventExtractor


@pytest.fixture(scope="module")
def parse(geoparser):  # the real index (tests/conftest.py)
    extractor = EventExtractor()

    def run(text: str):
        places = geoparser.parse(text)
        events = [e for e in extractor.extract(text, places, "2024-03-05") if e.modality == "fact"]
        return events, {p.start: p for p in places}
    return run


def _place(events, places, i=0):
    return places[events[i].place_mention_start]


@pytest.mark.parametrize("text, town", [
    ("Suicide bomber kills 9 at Pakistan police station. A suicide bomber blew himself up at the gate of a "
     "police station in Bannu on Monday, killing nine officers, officials said.", "Bannu"),
    ("Militants attack checkpoint near Nigeria's Maiduguri. Gunmen opened fire on soldiers late on Sunday.",
     "Maiduguri"),
    ("Drone strike hits Sudan market. An air strike struck a crowded market in El Fasher, killing 12 people.",
     "El Fasher"),
])
def test_the_lead_or_the_possessive_gives_the_town_the_headline_left_out(parse, text, town):
    events, places = parse(text)
    assert events and _place(events, places).text == town
    assert events[0].precision in (1, 2)


def test_a_lead_about_another_kind_of_event_does_not_lend_its_town(parse):
    text = ("Protesters march across Kenya against tax bill. Separately, gunmen killed two police officers "
            "in Mandera on Tuesday.")
    events, places = parse(text)
    protest = next(e for e in events if e.type == "Protests")
    assert protest.place_mention_start is None or places[protest.place_mention_start].text != "Mandera"


def test_a_town_that_only_speaks_is_not_the_place(parse):
    text = "Shelling kills three in Ukraine. Kyiv said Russian artillery hit the region overnight."
    events, places = parse(text)
    assert all(places[e.place_mention_start].text != "Kyiv" for e in events if e.place_mention_start is not None)
