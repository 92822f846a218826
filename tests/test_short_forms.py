"""A three-letter short form is an acronym: "CAR" is the Central African Republic, "Car bomb" is a car."""

from __future__ import annotations

import pytest



@pytest.fixture(scope="module")
def parse(geoparser):  # the real index (tests/conftest.py)
    return lambda text: [(m.text, m.name) for m in geoparser.parse(text)]


def test_a_word_that_spells_an_acronym_is_not_the_place(parse):
    assert parse("Car bomb kills 9 in Mogadishu.") == [("Mogadishu", "Mogadishu")]


def test_the_acronym_in_capitals_and_short_own_names_still_are(parse):
    got = dict(parse("The CAR army met DRC troops in Bangui. Fighting near Ufa."))
    assert got["CAR"] == "Central African Republic"
    assert got["DRC"] == "Democratic Republic of the Congo"
    assert got["Ufa"] == "Ufa"
