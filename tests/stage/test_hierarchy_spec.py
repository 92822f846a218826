"""The report's own hierarchy ("X, Y province, Country", "X (Y, Z)", "X in Y governorate"), specified on the tiny
world (tests/stage/world.py): which mention encloses which, and how that moves the senses.

In each resolution case the article also names Egypt, whose Mansoura is the bigger city: only the hierarchy
puts the report's Mansoura in Syria.
"""

from __future__ import annotations

import pytest

from geo.parse.hierarchy import contains, division_word, enclosures
from geo.parse.pipeline import Geoparser
from geo.parse.recognize import Recognizer
from geo.parse.resolve import Resolver
from tests.stage.world import NoHierarchy


@pytest.fixture(scope="module")
def recognizer(index, lexicon):
    return Recognizer(index, lexicon)


def _enclosures(recognizer, text):
    matches = recognizer.find(text)
    names = [m.mention.text for m in matches]
    return {names[i]: [names[j] for j in outer] for i, outer in enclosures(text, matches).items()}


@pytest.mark.parametrize("text, expected", [
    ("Gunmen attacked Mansoura, Raqqa province, Syria, on Sunday.",
     {"Mansoura": ["Raqqa", "Syria"], "Raqqa": ["Syria"]}),
    ("Clashes were reported in Hombori (Douentza, Mopti).", {"Hombori": ["Douentza", "Mopti"], "Douentza": ["Mopti"]}),
    ("Gunmen attacked Mansoura in Raqqa governorate on Sunday.", {"Mansoura": ["Raqqa"]}),
    ("Troops cleared villages in Douentza district of Mopti region.", {"Douentza": ["Mopti"]}),
    # a list of countries encloses nothing
    ("Delegations from Mali, Nigeria, Egypt and Syria met.", {}),
    # words between the names that say nothing of enclosing
    ("Fighting moved from Homs towards Aleppo.", {}),
])
def test_which_mention_encloses_which(recognizer, text, expected):
    assert _enclosures(recognizer, text) == expected


def test_an_area_contains_a_place_by_its_codes_and_a_district_by_distance(index):
    def one(name, feature):
        return next(c for c in index.candidates(name) if c.feature == feature)

    mopti, mali, cercle = one("Mopti", "region"), one("Mali", "country"), one("Douentza", "district")
    hombori, kidal, douentza, homs = (one(n, "city") for n in ("Hombori", "Kidal", "Douentza", "Homs"))
    assert contains(mopti, hombori) and not contains(mopti, kidal)
    assert contains(mali, kidal) and not contains(mali, homs)
    assert contains(cercle, douentza, radius_km=60) and not contains(cercle, kidal, radius_km=60)
    assert not contains(hombori, hombori) and not contains(mopti, mali)  # a place holds neither itself nor its country


def test_a_division_word_after_a_name_says_its_level(recognizer):
    text = "Troops cleared Douentza district of Mopti region and entered Hombori."
    assert [division_word(text, m) for m in recognizer.find(text)] == ["district", "region", None]


@pytest.mark.parametrize("text", [
    "Egypt condemned the attack on Mansoura (Raqqa).",
    "Egypt condemned the attack on Mansoura (Syria).",
    "Egypt condemned the attack on Mansoura in Raqqa governorate.",
])
def test_a_name_lies_in_the_area_the_report_puts_it_in(index, recognizer, text):
    matches = recognizer.find(text)
    mansoura = [m.mention.text for m in matches].index("Mansoura")
    assert Resolver(index).resolve(text, matches)[mansoura].country == "SY"
    assert Resolver(index, NoHierarchy()).resolve(text, matches)[mansoura].country == "EG"  # the hierarchy did it


def test_an_enclosing_name_takes_its_area_sense(index, recognizer):
    # "Douentza" alone is the town; between Hombori and Mopti it is the district holding Hombori
    text = "Clashes were reported in Hombori (Douentza, Mopti)."
    matches = recognizer.find(text)
    assert [m.feature for m in Resolver(index).resolve(text, matches)] == ["city", "district", "region"]
    assert [m.feature for m in Resolver(index, NoHierarchy()).resolve(text, matches)] == ["city", "city", "region"]


def test_a_list_of_regions_is_no_hierarchy(index, recognizer):
    text = "Floods hit New York, Pennsylvania and Ohio."
    assert [(m.name, m.feature) for m in Resolver(index).resolve(text, recognizer.find(text))] == [
        ("New York", "region"), ("Pennsylvania", "region")]


def test_a_name_with_no_sense_in_its_area_is_kept_unresolved_there(index, lexicon):
    # "Haram" alone is the Norwegian town; "Haram (Douentza, Mopti)" is a Malian village the index lacks
    parser = Geoparser(index, lexicon)
    alone = [(m.text, m.country, m.match) for m in parser.parse("Gunmen attacked a post in Haram on Friday.")]
    assert alone == [("Haram", "NO", None)]
    found = {m.text: m for m in parser.parse("Gunmen attacked a post in Haram (Douentza, Mopti) on Friday.")}
    assert (found["Haram"].country, found["Haram"].match, found["Haram"].feature) == ("ML", "unresolved", "unresolved")
