"""Recognition: what counts as a place mention, on sentences written for these tests."""

from __future__ import annotations

import pytest

from geo.parse.recognize import Recognizer, tokenize
from geo.parse.lexicon import load_lexicon


@pytest.fixture(scope="module")
def rec(gazetteer):
    return Recognizer(gazetteer, load_lexicon())


def spans(rec, text):
    return [m.mention.text for m in rec.find(text)]


def test_offsets_index_the_text(rec):
    text = "Shelling hit Homs and Hama overnight, residents of Aleppo said."
    for m in rec.find(text):
        assert text[m.mention.start:m.mention.end] == m.mention.text
    assert spans(rec, text) == ["Homs", "Hama", "Aleppo"]


def test_multiword_and_hyphenated_names(rec):
    assert spans(rec, "Convoys left Deir ez-Zor for Abu Kamal.")[0] == "Deir ez-Zor"
    # French joined names ("au", "sous", "en") are one name, not three words
    assert spans(rec, "A crowd in Port-au-Prince lynched two men.") == ["Port-au-Prince"]


def test_a_name_before_militia_is_the_group(rec):
    assert spans(rec, "Federal forces clashed with Fano militia near Gondar.") == ["Gondar"]
    assert spans(rec, "Fano is a port on the Adriatic.") == ["Fano"]


def test_possessive_is_not_part_of_the_name(rec):
    assert spans(rec, "The siege of Syria's Palmyra ended.") == ["Syria", "Palmyra"]


def test_people_are_not_places(rec):
    text = "Analyst Ivan Konovalov and President Bashar al-Assad spoke; Admiral Essen sailed."
    assert spans(rec, text) == []


def test_titles_block_the_following_name(rec):
    assert "Essen" not in spans(rec, "The frigate Admiral Essen fired missiles.")
    assert "Essen" in spans(rec, "Fans gathered in Essen on Saturday.")


def test_surname_named_once_is_a_person_throughout(rec):
    text = "Dr. Jane Franklin led the team. Franklin said the outbreak was contained."
    assert "Franklin" not in spans(rec, text)


def test_outlets_and_armies_are_not_places(rec):
    text = "Radio Sputnik reported that the Syrian Arab Army advanced, Reuters said."
    assert spans(rec, text) == []


def test_demonyms_are_not_places(rec):
    assert spans(rec, "Syrian and Russian troops advanced.") == []


def test_acronyms_are_not_places_but_country_codes_are(rec):
    assert spans(rec, "ISIS fighters attacked the SAA.") == []
    assert spans(rec, "The U.S. and UK condemned it.") == ["U.S.", "UK"]


def test_headline_function_words_are_not_places(rec):
    found = spans(rec, "What's Behind Daesh Fleeing For Palmyra\n\nFighters moved on.")
    assert found == ["Palmyra"]


def test_sentence_opener_does_not_hide_the_place(rec):
    assert spans(rec, "Recapturing Palmyra would help.") == ["Palmyra"]


def test_named_after_a_place(rec):
    assert spans(rec, "A case of Marburg virus was confirmed in Uganda.") == ["Uganda"]


def test_tokenizer_keeps_dotted_abbreviations():
    assert [t.text for t in tokenize("The U.S. said")] == ["The", "U.S.", "said"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Officials at the California Department of Public Health said the wells were safe.", ["California"]),
        ("The samples were sent to the U.S. Centers for Disease Control and Prevention, which is based in Atlanta.",
         ["U.S.", "Atlanta"]),
        ("The samples were sent to the Centers for Disease Control and Prevention, which is based in Atlanta.",
         ["Atlanta"]),
        # A given name first makes the phrase a person, even when the name is also a country.
        ("The midfielder Jordan Pickford scored twice in the final minutes of the game.", []),
    ],
)
def test_state_or_country_opening_an_institution_name(rec, expected, text):
    assert spans(rec, text) == expected


def test_county_is_one_name_and_opens_its_sheriffs_office(rec):
    text = "Officers from the Laurel County Sheriff's Office arrested two men on Friday near the river."
    assert spans(rec, text) == ["Laurel County"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A given name no list holds still makes the next word a surname, here and later in the article.
        ("At the vigil on Saturday evening, Arlene Mather spoke first. Later that night Mather said she had "
         "been clean for a year.", []),
        ("At the vigil on Saturday evening, Arlene spoke first. Later that night Mather was lit up by candles "
         "from every house.", ["Mather"]),
        # An age or a speech verb makes a single small name a person.
        ("Burton, 43, moved to Texas in 2001 and started a small farm with his brother.", ["Texas"]),
        ('"It was hard at first," said Burton, who moved to Texas in 2001 with his family.', ["Texas"]),
        ("The family moved to Burton in 2001 and started a small farm near the river.", ["Burton"]),
        # A title on its own, a common word that is only some town's alternate name, a virus named after a place.
        ("The hospital said that the Pope had recovered his voice and would appear at the window on Sunday.", []),
        ("The dam was approved under the Expropriation Act last year by the provincial government.", []),
        ("The samples were tested for the Reston ebolavirus by the laboratory in the capital.", []),
        # ... but a qualifier after the surname-like name makes it a place again.
        ("A strain called Ebola Reston was found in monkeys that had been shipped to Reston, Virginia, in 1989 "
         "from the islands.", ["Reston", "Virginia"]),
    ],
)
def test_people_and_words_that_are_not_places(rec, text, expected):
    assert spans(rec, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Officials of the People's Republic of China said the outbreak in the south was over.",
         ["People's Republic of China"]),
        ("Ducks were found in Queen Anne's County in Maryland on Tuesday by the wildlife officers.",
         ["Queen Anne's County", "Maryland"]),
        ("The siege of Syria's Palmyra ended last week after the army arrived.", ["Syria", "Palmyra"]),
    ],
)
def test_a_possessive_inside_a_name_keeps_the_name_whole(rec, text, expected):
    assert spans(rec, text) == expected


def test_region_abbreviations_in_capitals_but_not_two_letter_codes(rec):
    text = "Horse racing was cancelled across NSW and Queensland while vets tested the horses in the stables."
    assert spans(rec, text) == ["NSW", "Queensland"]
    assert spans(rec, "The horses were tested by the vets and IN the end all of them were fine and healthy.") == []


def test_generic_parts_of_a_town_are_not_a_far_away_place(geoparser):
    """'The Old City' of Mosul is not Jerusalem's: without its town it names no one place."""
    found = [(m.text, m.country) for m in geoparser.parse(
        "Iraqi commanders said they hoped to reach the Old City and its Grand Mosque in Mosul within weeks.")]
    assert found == [("Mosul", "IQ")]


def test_wire_spellings_of_syrian_towns(rec):
    """Curated aliases (data/gazetteer/place_aliases.csv) for spellings GeoNames lacks."""
    text = "Fighting was reported in Deir Ezzor, Efrin and Maarat al-Numan on Monday."
    assert spans(rec, text) == ["Deir Ezzor", "Efrin", "Maarat al-Numan"]


@pytest.mark.parametrize("text, place", [
    ("ADEN (Reuters) - Fighting resumed on the city's northern edge.", "ADEN"),
    ("GOMA, Congo (AP) — Rebels advanced on the airport.", "GOMA"),
    ("TAIZ, Yemen, March 3 (Reuters) - Shelling hit a market.", "TAIZ"),
    ("Earlier report.\nBUNIA — Militia attacks killed 20 people.", "BUNIA"),
])
def test_a_dateline_in_capitals_is_a_place_not_an_acronym(rec, text, place):
    assert spans(rec, text)[0] == place


def test_capitals_elsewhere_are_still_acronyms(rec):
    assert spans(rec, "NATO (Reuters) - Allies met in Brussels.") == ["Brussels"]
    assert spans(rec, "Fighters of the SDF said the SAA shelled Manbij.") == ["Manbij"]


def test_armed_groups_are_never_places(rec):
    # Names from the events actor dictionary and data/lexicon/organisations.txt
    assert spans(rec, "Boko Haram fighters raided a market near Maiduguri.") == ["Maiduguri"]
    assert spans(rec, "Police said the Taliban ambushed a convoy.") == []
    assert spans(rec, "Gunmen loyal to the Tigray People's Liberation Front entered Mekelle.") == ["Mekelle"]
    # a unit named after a place ("X Brigade", "X Independence Army") is not the place ...
    assert spans(rec, "The Nablus Brigade claimed an attack near Huwara.") == ["Huwara"]
    # ... but a country opening an army's name still says which country, and a town's own name stays a town
    assert "Pakistan" in spans(rec, "A Pakistan Army spokesman spoke in Rawalpindi.")
    assert spans(rec, "Ships anchored in the Sea of Azov.") == ["Sea of Azov"]
    # an alias that says where a group is keeps the place ("militants in Gaza")
    assert "Gaza" in spans(rec, "Militants in Gaza fired rockets.")


def test_wire_abbreviations_of_countries(rec):
    assert spans(rec, "Fresh violence kills 29 in C.Africa: Red Cross") == ["C.Africa"]
    assert spans(rec, "Peacekeepers were attacked in C. Africa on Monday.") == ["C. Africa"]
    assert "Bush" not in spans(rec, "George W. Bush spoke.")
