"""Spellings the gazetteer lacks, specified on the tiny world (tests/stage/world.py): transliterations, close
spellings within the report's countries, and places kept unresolved at the area the report puts them in.

The index spells Tall Abyad, Ayn Isa, Jarabulus and Hombori; the reports below do not.
"""

from __future__ import annotations

import pytest

from geo.parse.pipeline import Geoparser
from geo.parse.spelling import FUZZY, SpellingMatcher
from geo.types import VARIANT, Mention


@pytest.fixture(scope="module")
def parser(index, lexicon):
    return Geoparser(index, lexicon)


@pytest.fixture(scope="module")
def found(parser):
    """surface -> (name, country, how matched) for each mention of a text."""
    return lambda text: {m.text: (m.name, m.country, m.match) for m in parser.parse(text)}


@pytest.mark.parametrize("text, surface, name, country", [
    # transliteration families: Tal/Tall, -iad/-yad, Ein/Ayn, Issa/Isa, y/i
    ("Turkish-backed fighters advanced near Tal Abiad in northern Syria.", "Tal Abiad", "Tall Abyad", "SY"),
    ("Shelling hit the camp in Ein Issa, Syria, overnight.", "Ein Issa", "Ayn Isa", "SY"),
    ("Jihadists attacked Hombory in central Mali.", "Hombory", "Hombori", "ML"),
])
def test_a_transliteration_finds_the_town_of_the_reports_country(found, text, surface, name, country):
    assert found(text)[surface] == (name, country, "spelling")


def test_a_close_spelling_is_matched_within_the_reports_countries_only(found):
    assert found("Turkish troops entered Jarablusa in northern Syria.")["Jarablusa"] == ("Jarabulus", "SY", "fuzzy")
    # the report's country can come from a town that lies in one country only
    assert found("Turkish troops entered Jarablusa after taking Tall Abyad.")["Jarablusa"] == (
        "Jarabulus", "SY", "fuzzy")
    # in a report about Mali it is no Syrian town; in a report that names no country it is nothing
    assert found("Turkish troops entered Jarablusa in Mali.")["Jarablusa"] == ("Jarablusa", "ML", "unresolved")
    assert found("Turkish troops entered Jarablusa.") == {}


def test_a_transliteration_is_never_taken_abroad(found):
    assert found("Turkish-backed fighters advanced near Tal Abiad in Mali.")["Tal Abiad"] == (
        "Tal Abiad", "ML", "unresolved")
    assert found("Turkish-backed fighters advanced near Tal Abiad.") == {}


def test_the_matcher_looks_only_in_the_countries_it_is_given(index, lexicon):
    matcher = SpellingMatcher(index, lexicon)
    jarablusa = Mention(0, 9, "Jarablusa")
    assert [(h.candidate.name, h.kind) for h in matcher.match(jarablusa, {"SY"})] == [("Jarabulus", FUZZY)]
    assert matcher.match(jarablusa, {"ML", "UA"}) == ()
    assert matcher.match(jarablusa, set()) == ()
    assert [(h.candidate.name, h.kind) for h in matcher.match(Mention(0, 9, "Tal Abiad"), {"SY"})] == [
        ("Tall Abyad", VARIANT)]


def test_a_spelling_match_is_less_certain_than_the_name_and_a_close_spelling_less_still(parser):
    def score(text, surface):
        return next(m.score for m in parser.parse(text) if m.text == surface)

    exact = score("Turkish-backed fighters advanced near Jarabulus in northern Syria.", "Jarabulus")
    close = score("Turkish-backed fighters advanced near Jarablusa in northern Syria.", "Jarablusa")
    named = score("Turkish-backed fighters advanced near Tall Abyad in northern Syria.", "Tall Abyad")
    spelt = score("Turkish-backed fighters advanced near Tal Abiad in northern Syria.", "Tal Abiad")
    assert spelt < named and close < exact and close < spelt


@pytest.mark.parametrize("text", [
    "They met at Duke University Medical Center in Syria.",  # an institution
    "The ministry said in Response to the attack on Homs that it would act.",  # a common word
    "Gunmen shot Omar Wuroqatam in Mali.",  # a person
    "Officials in Wuroqatam denied it.",  # nothing says it is a place, and no area to put it in
])
def test_what_is_not_kept_as_an_unknown_place(parser, text):
    assert [m.text for m in parser.parse(text) if m.match == "unresolved"] == []


@pytest.mark.parametrize("text, area, precision", [
    ("Gunmen attacked the village of Wuroqatam in Douentza district, Mopti region, Mali.", "Douentza Cercle", 2),
    ("Troops retook the village of Wuroqatam south of Bakhmut.", "Bakhmut", 2),
    ("Gunmen attacked the village of Wuroqatam in Mali.", "Mali", 3),
])
def test_a_village_the_gazetteer_lacks_is_kept_at_the_area_the_report_gives(parser, text, area, precision):
    m = next(m for m in parser.parse(text) if m.text == "Wuroqatam")
    where = next(c for c in parser.gazetteer.candidates(area) if c.name == area)
    assert (m.match, m.feature, m.source, m.geo_precision) == ("unresolved", "unresolved", f"within {area}", precision)
    assert (m.lat, m.lon, m.country) == (where.lat, where.lon, where.country)
