"""Russian, Ukrainian and Arabic place names, specified on the tiny world (tests/stage/world.py): inflected and
cliticised forms are looked up by their dictionary form, offsets index the text as given.

The index holds each name once, in the nominative ("Бахмут", "Харків", "حمص"); the texts never use that form.
"""

from __future__ import annotations

import pytest

from geo.parse.multilingual import MultilingualRecognizer
from geo.parse.pipeline import Geoparser
from geo.text import scripts_in


@pytest.fixture(scope="module")
def parser(index, lexicon):
    return Geoparser(index, lexicon)


@pytest.mark.parametrize("text, surface, name", [
    ("Бои идут под Бахмутом.", "Бахмутом", "Bakhmut"),  # Russian instrumental
    ("Сили оборони відбили атаку біля Бахмута.", "Бахмута", "Bakhmut"),  # Ukrainian genitive
    ("Вибухи пролунали в Харкові.", "Харкові", "Kharkiv"),  # Ukrainian locative
    ("Взрывы в Харькове.", "Харькове", "Kharkiv"),  # the Russian name, locative
    ("Сирийская армия вошла в Пальмиру.", "Пальмиру", "Tadmur"),
    ("اشتباكات في دير الزور وبحمص.", "حمص", "Homs"),  # و + ب + حمص: the clitics are not part of the mention
])
def test_an_inflected_or_cliticised_form_finds_the_place(parser, text, surface, name):
    found = {m.text: m for m in parser.parse(text)}
    assert surface in found and found[surface].name == name
    m = found[surface]
    assert text[m.start:m.end] == surface


def test_a_surname_made_from_a_town_is_a_person(parser):
    assert parser.parse("Иван Бахмутов сказал, что всё спокойно.") == []


def test_an_organisation_named_after_a_country_is_not_the_country(parser):
    assert [m.name for m in parser.parse("تقدمت قوات سوريا الديمقراطية نحو الرقة.")] == ["Ar Raqqah"]
    assert [m.name for m in parser.parse("انتشرت قوات النظام في سوريا.")] == ["Syria"]


def test_mixed_scripts_in_one_text(parser):
    text = "Clashes near Palmyra (تدمر) and shelling in Харків."
    assert [(m.text, m.name) for m in parser.parse(text)] == [
        ("Palmyra", "Tadmur"), ("تدمر", "Tadmur"), ("Харків", "Kharkiv")]


def test_latin_text_never_reaches_the_multilingual_recognizer(index, lexicon):
    assert scripts_in("Fighting near Palmyra.") == set()
    assert MultilingualRecognizer(index, lexicon).find("Fighting near Palmyra.") == []
