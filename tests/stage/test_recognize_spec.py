"""Recognition, specified on the tiny world (tests/stage/world.py): what is a place mention and what is not.

Each case has a town of the same name in the index, so the rule under test is what keeps it out (or in).
"""

from __future__ import annotations

import itertools

import pytest

from geo.parse.lexicon import lexicon_from
from geo.parse.recognize import Recognizer
from geo.types import Match, Mention
from tests.stage.world import LEXICON


@pytest.fixture(scope="module")
def recognizer(index, lexicon):
    return Recognizer(index, lexicon)


@pytest.fixture(scope="module")
def spans(recognizer):
    return lambda text: [m.mention.text for m in recognizer.find(text)]


def test_every_match_keeps_the_contract(recognizer):
    text = "Shelling hit Homs and Aleppo overnight — residents of Kharkiv said, and Syria's Palmyra was quiet."
    matches = recognizer.find(text)
    assert [m.mention.text for m in matches] == ["Homs", "Aleppo", "Kharkiv", "Syria", "Palmyra"]
    for m in matches:
        assert text[m.mention.start:m.mention.end] == m.mention.text
        assert m.hits
    starts = [(m.mention.start, m.mention.end) for m in matches]
    assert starts == sorted(starts) and all(a[1] <= b[0] for a, b in itertools.pairwise(starts))


def test_a_match_without_hits_is_refused():
    with pytest.raises(ValueError):
        Match(Mention(0, 4, "Homs"), ())


def test_the_longest_name_wins_and_connectors_join_it(spans):
    assert spans("Convoys left Deir ez-Zor for Raqqa.") == ["Deir ez-Zor", "Raqqa"]
    assert spans("Drones struck Tiyas Air Base at dawn.") == ["Tiyas Air Base"]


def test_a_possessive_ends_the_name(spans):
    assert spans("The siege of Syria's Palmyra ended.") == ["Syria", "Palmyra"]


@pytest.mark.parametrize("text", [
    "Analyst Ivan Konovalov and President Bashar al-Assad spoke.",
    "The delegation met President Essen.",  # a title before a town's name: a person
    "Jordan Kramatorsk scored twice.",  # a given name first: a person, although Kramatorsk is a town
])
def test_people_are_not_places(spans, text):
    assert spans(text) == []


def test_a_title_blocks_the_name_only_where_it_stands(spans):
    assert spans("The delegation met President Essen.") == []
    assert spans("Fans gathered in Essen on Saturday.") == ["Essen"]


def test_a_surname_named_once_is_a_person_throughout(spans):
    assert spans("Later Kidal visited the camp.") == ["Kidal"]
    assert spans("Dr. Jane Kidal led the team. Later Kidal visited the camp.") == []


def test_a_speaker_is_a_person_but_a_destination_a_place(spans):
    assert spans("Dunn said the road was closed.") == []
    assert spans("The road was closed, Dunn said.") == []
    assert spans("The family moved to Dunn in 2001.") == ["Dunn"]


def test_a_name_inside_an_organisation_is_not_a_place(spans):
    assert spans("Boko Haram fighters attacked Maiduguri.") == ["Maiduguri"]
    assert spans("Fishermen returned to Haram on Friday.") == ["Haram"]


def test_an_organisation_named_by_its_country_keeps_the_country(spans):
    assert spans("Troops of the Pakistan Army crossed the line.") == ["Pakistan"]


def test_a_place_opening_an_armed_units_name_is_the_units(recognizer):
    text = "Militants of the Jenin Brigade clashed with troops in Jenin."
    assert [m.mention.start for m in recognizer.find(text)] == [text.rindex("Jenin")]


def test_a_name_before_militia_is_the_group(spans):
    assert spans("Fano militia clashed with federal troops.") == []
    assert spans("Fano is a port on the Adriatic.") == ["Fano"]


def test_outlets_and_ships_on_the_not_places_list_are_not_places(spans):
    assert spans("The cruiser Moskva sank in the Black Sea.") == []
    assert spans("Reuters reported that the Syrian Arab Army advanced.") == []


def test_the_not_places_list_is_what_keeps_a_ship_out(index):
    """The same sentence with a lexicon that lacks the ship: the capital it is named after comes back."""
    without = dict(LEXICON, not_places=[w for w in LEXICON["not_places"] if w != "Moskva"])
    found = Recognizer(index, lexicon_from(**without)).find("The cruiser Moskva sank in the Black Sea.")
    assert [m.mention.text for m in found] == ["Moskva"]


def test_demonyms_are_not_places(spans):
    assert spans("Syrian and Ukrainian officials met.") == []


def test_a_three_letter_short_form_counts_only_in_capitals(spans):
    assert spans("Car bomb kills 9 in Bamako.") == ["Bamako"]
    assert spans("The CAR army met rebels near Gao.") == ["CAR", "Gao"]  # Gao: a place's own three-letter name


def test_dotted_initials_name_a_country(spans):
    assert spans("The U.S. condemned it.") == ["U.S."]


def test_named_after_a_place_is_not_about_it(spans):
    assert spans("A case of Lassa fever was confirmed in Maiduguri.") == ["Maiduguri"]
    assert spans("Gunmen attacked Lassa on Monday.") == ["Lassa"]


def test_a_capitalised_opener_or_headline_word_does_not_hide_the_place(spans):
    assert spans("Recapturing Palmyra would help.") == ["Palmyra"]
    assert spans("What's Behind Daesh Fleeing For Palmyra\n\nFighters moved on.") == ["Palmyra"]


def test_a_dateline_in_capitals_is_a_place_not_an_acronym(spans):
    assert spans("NEW YORK (Reuters) - Stocks fell.") == ["NEW YORK"]
