"""Resolution, specified on the tiny world (tests/stage/world.py): which sense of a name wins, and why.

Pairs of sentences that must resolve differently: the same name with and without the evidence that moves it.
The recognizer feeds the resolver, as in the pipeline; scores here are the resolver's own (no calibration).
"""

from __future__ import annotations

import pytest

from geo.parse.recognize import Recognizer
from geo.parse.resolve import Resolver
from tests.stage.world import NoHierarchy


@pytest.fixture(scope="module")
def resolve(index, lexicon):
    recognizer, resolver = Recognizer(index, lexicon), Resolver(index)
    return lambda text: resolver.resolve(text, recognizer.find(text))


@pytest.fixture(scope="module")
def where(resolve, index):
    """(country, first-level region) of each mention of `surface`, in text order."""

    def senses(text: str, surface: str) -> list[tuple[str, str]]:
        found = [m for m in resolve(text) if m.text == surface]
        assert found, f"{surface!r} not resolved in {text!r}"
        return [(m.country, next(c.admin1 for c in index.candidates(m.name) if (c.lat, c.lon) == (m.lat, m.lon)))
                for m in found]

    return senses


def test_alone_palmyra_is_the_syrian_town_and_mansoura_the_egyptian_city(where):
    # the better-known place: more people, more names
    assert where("Palmyra was quiet.", "Palmyra") == [("SY", "11")]
    assert where("Gunmen attacked Mansoura on Sunday.", "Mansoura") == [("EG", "01")]


def test_the_articles_other_places_move_the_sense(where):
    # Rochester is in New York state: the Palmyra near it, not the bigger one in Pennsylvania or Syria's
    assert where("The fair in Palmyra drew crowds from Rochester.", "Palmyra") == [("US", "NY")]
    # two towns of Raqqa governorate: the village of Mansoura there, not the Egyptian city
    assert where("Kurdish fighters shelled Mansoura after taking Tall Abyad and Raqqa.", "Mansoura") == [("SY", "04")]


@pytest.mark.parametrize("text, surface, expected", [
    ("The fair in Palmyra, New York drew crowds.", "Palmyra", ("US", "NY")),
    ("The fair in Palmyra, Pennsylvania drew crowds.", "Palmyra", ("US", "PA")),
    ("Clashes erupted in Mansoura, Syria.", "Mansoura", ("SY", "04")),
    ("Protesters gathered in Mansoura, Egypt.", "Mansoura", ("EG", "01")),
])
def test_a_qualifier_after_a_comma_decides(where, text, surface, expected):
    assert where(text, surface) == [expected]


def test_a_qualifier_decides_without_the_hierarchy_too(index, lexicon):
    """The qualifier ("Palmyra, Pennsylvania") and the report's hierarchy are two lines of evidence; either suffices."""

    recognizer, resolver = Recognizer(index, lexicon), Resolver(index, NoHierarchy())
    for text, country, lat in [("The fair in Palmyra, Pennsylvania drew crowds.", "US", 40.31),
                               ("Protesters gathered in Mansoura, Syria.", "SY", 35.87)]:
        m = resolver.resolve(text, recognizer.find(text))[0]
        assert (m.country, m.lat) == (country, lat)


def test_one_sense_per_article(where):
    # the second sentence alone is the Syrian town; in this article it is the New York village
    text = "The fair in Palmyra, New York drew crowds. Palmyra was quiet by evening."
    assert where(text, "Palmyra") == [("US", "NY"), ("US", "NY")]
    text = "Clashes erupted near Palmyra, Syria. Later, Palmyra was quiet, and Palmyra's museum reopened."
    assert where(text, "Palmyra") == [("SY", "11")] * 3


@pytest.mark.parametrize("text, senses", [
    ("Soldiers entered Mopti town (Mopti region) on Friday after the militants withdrew.", ["city", "region"]),
    ("Shelling hit villages across the Kharkiv region overnight; in Kharkiv itself two were hurt.", ["region", "city"]),
    ("Soldiers patrolled Douentza district after an attack in Douentza.", ["district", "city"]),
])
def test_x_region_and_a_bare_x_are_two_senses(resolve, text, senses):
    assert [m.feature for m in resolve(text)] == senses


def test_a_bare_name_is_the_city_not_its_governorate(resolve):
    assert [(m.name, m.feature) for m in resolve("Fighting spread from Homs to Raqqa.")] == [
        ("Homs", "city"), ("Ar Raqqah", "city")]
    assert [(m.name, m.feature) for m in resolve("Fighting spread across Homs province.")] == [
        ("Homs Governorate", "region")]


def test_airfield_words_and_codes_pick_the_airfield(resolve):
    assert [(m.name, m.feature) for m in resolve("Islamic State fighters overran the Tabqa air base.")] == [
        ("Tabqa Air Base", "air base")]
    assert [(m.name, m.feature) for m in resolve("Families returned to Tabqa after the battle.")] == [
        ("Al-Tabqa", "city")]
    assert [(m.text, m.feature) for m in resolve("Daesh fighters attacked the Tiyas air base east of Homs.")] == [
        ("Tiyas", "air base"), ("Homs", "city")]
    assert resolve("Two squadrons are stationed at T4 in central Syria.")[0].name == "Tiyas Air Base"


def test_a_wire_dateline_names_the_city_not_the_state(resolve):
    assert resolve("NEW YORK (Reuters) - Stocks fell.")[0].name == "New York City"
    assert resolve("New York state police said.")[0].feature == "region"


def test_every_match_resolves_once_with_a_probability(index, lexicon):
    text = "Shelling hit Homs and Aleppo; Palmyra, Mansoura and Kidal were quiet."
    matches = Recognizer(index, lexicon).find(text)
    out = Resolver(index).resolve(text, matches)
    assert [(m.start, m.end) for m in out] == [(m.mention.start, m.mention.end) for m in matches]
    assert all(0.0 <= m.score <= 1.0 for m in out)
    assert all(m.name in {h.candidate.name for h in match.hits} for m, match in zip(out, matches))


def test_nothing_to_resolve(index):
    assert Resolver(index).resolve("No places here.", []) == []
