"""The tiny world of the stage tests: ~60 gazetteer records and a lexicon of a few dozen words.

The places are chosen for the cases the stages must tell apart: Palmyra in Syria, New York and Pennsylvania,
Mansoura in Egypt and in Raqqa governorate, a town and the region of the same name (Kidal, Mopti, Kharkiv,
Douentza), Tabqa the town and the air base, transliterated Syrian towns (Tall Abyad, Ayn Isa, Jarabulus), names
that are also people's or groups' (Dunn, Haram, Fano, Jenin), a three-letter short form ("CAR"), and a few
Cyrillic and Arabic names. Coordinates and populations are GeoNames' (rounded); the lexicon holds only the words
these tests need, so each test says which word makes the difference.
"""

from __future__ import annotations

from geo.gazetteer.sources import GazetteerRecord as R
from geo.parse.resolve import Weights

RECORDS = [
    # countries
    R("Syria", 35.01, 38.27, "country", "SY", 16_906_283, alternates=["Syrian Arab Republic", "سوريا", "Сирия"]),
    R("Ukraine", 49.07, 31.61, "country", "UA", 40_000_000),
    R("Mali", 17.13, -3.77, "country", "ML", 19_077_690),
    R("United States", 39.76, -98.5, "country", "US", 327_167_434, alternates=["USA", "U.S.", "America"]),
    R("Central African Republic", 6.77, 20.69, "country", "CF", 4_666_377, alternates=["CAR"]),
    R("Pakistan", 29.99, 69.71, "country", "PK", 212_215_030),
    R("Nigeria", 9.08, 8.68, "country", "NG", 195_874_740),
    R("Egypt", 26.5, 29.9, "country", "EG", 98_423_595),
    R("Norway", 64.5, 11.5, "country", "NO", 5_314_336),
    R("Italy", 42.8, 12.8, "country", "IT", 60_431_283),
    R("Palestine", 31.9, 35.2, "country", "PS", 4_569_087),
    # first-level regions (short names are variants, as the built index has them)
    R("Homs Governorate", 34.6, 37.18, "region", "SY", 1_063_984, admin1="11", variants=["Homs"], radius_km=120),
    R("Ar-Raqqah Governorate", 36.09, 38.9, "region", "SY", 624_840, admin1="04",
      variants=["Raqqa", "Ar-Raqqah", "Raqqah"], radius_km=90),
    R("Aleppo Governorate", 36.35, 37.46, "region", "SY", 2_802_376, admin1="09", variants=["Aleppo"], radius_km=90),
    R("Kidal Region", 19.01, 1.34, "region", "ML", 48_113, admin1="10", variants=["Kidal"], radius_km=280),
    R("Mopti Region", 14.48, -3.43, "region", "ML", 352_463, admin1="04", variants=["Mopti"], radius_km=160),
    R("Gao Region", 16.21, -0.89, "region", "ML", 242_693, admin1="09", variants=["Gao"], radius_km=250),
    R("Kharkiv Oblast", 49.63, 36.5, "region", "UA", 3_048_478, admin1="07", variants=["Kharkiv"], radius_km=100),
    R("Donetsk Oblast", 48.03, 37.7, "region", "UA", 6_660_177, admin1="05", variants=["Donetsk"], radius_km=90),
    R("New York", 42.59, -75.49, "region", "US", 31_417_776, admin1="NY", radius_km=200),
    R("Pennsylvania", 40.9, -77.8, "region", "US", 12_800_000, admin1="PA", radius_km=190),
    R("Borno State", 11.8, 13.1, "region", "NG", 4_171_104, admin1="02", variants=["Borno"], radius_km=180),
    # districts
    R("Douentza Cercle", 15.2, -2.6, "district", "ML", 247_794, admin1="04", variants=["Douentza"], radius_km=60),
    # towns and cities
    R("Tadmur", 34.56, 38.28, "city", "SY", 51_015, admin1="11", alternates=["Palmyra", "Tadmor", "Tudmur", "تدمر", "Пальмира", "Пальміра"]),
    R("Palmyra", 43.06, -77.23, "city", "US", 3_413, admin1="NY"),
    R("Palmyra", 40.31, -76.59, "city", "US", 7_451, admin1="PA"),
    R("Homs", 34.72, 36.73, "city", "SY", 775_404, admin1="11", alternates=["Hims", "Emesa", "حمص", "Хомс"]),
    R("Ar Raqqah", 35.95, 39.01, "city", "SY", 531_952, admin1="04", alternates=["Raqqa", "Raqqah", "الرقة", "Ракка"]),
    R("Tall Abyad", 36.7, 38.95, "city", "SY", 0, admin1="04", alternates=["Tell Abyad"]),
    R("Ayn Isa", 36.39, 38.86, "city", "SY", 0, admin1="04"),
    R("Jarabulus", 36.82, 38.01, "city", "SY", 24_997, admin1="09"),
    R("Aleppo", 36.2, 37.16, "city", "SY", 2_098_210, admin1="09", alternates=["Halab"]),
    R("Damascus", 33.51, 36.29, "city", "SY", 1_569_394, admin1="13", alternates=["Dimashq", "Sham"]),
    R("Al Mansurah", 35.87, 38.77, "city", "SY", 0, admin1="04", alternates=["Mansoura"]),
    R("Al Mansurah", 31.04, 31.38, "city", "EG", 621_953, admin1="01", alternates=["Mansoura", "El Mansoura"]),
    R("Kidal", 18.44, 1.41, "city", "ML", 40_030, admin1="10"),
    R("Mopti", 14.48, -4.18, "city", "ML", 186_187, admin1="04"),
    R("Gao", 16.27, -0.04, "city", "ML", 133_110, admin1="09"),
    R("Hombori", 15.28, -1.7, "city", "ML", 0, admin1="04"),
    R("Douentza", 15.0, -2.95, "city", "ML", 28_005, admin1="04"),
    R("Bamako", 12.61, -7.98, "city", "ML", 4_227_569, admin1="01"),
    R("Kharkiv", 49.98, 36.25, "city", "UA", 1_421_125, admin1="07", alternates=["Kharkov", "Харків", "Харьков"]),
    R("Donetsk", 48.02, 37.8, "city", "UA", 901_645, admin1="05"),
    R("Bakhmut", 48.59, 38.0, "city", "UA", 80_500, admin1="05", alternates=["Artemivsk", "Бахмут", "Артемовск"]),
    R("Kramatorsk", 48.73, 37.57, "city", "UA", 147_145, admin1="05"),
    R("Sloviansk", 48.87, 37.62, "city", "UA", 106_972, admin1="05"),
    R("Rochester", 43.15, -77.62, "city", "US", 209_802, admin1="NY"),
    R("Dunn", 35.31, -78.61, "city", "US", 9_723, admin1="NC"),
    R("Haram", 62.66, 6.24, "city", "NO", 9_357, admin1="08"),
    R("Fano", 43.84, 13.02, "city", "IT", 60_978, admin1="10"),
    R("Janin", 32.46, 35.3, "city", "PS", 34_730, admin1="WE", alternates=["Jenin"]),
    R("Maiduguri", 11.85, 13.16, "city", "NG", 1_112_449, admin1="02"),
    R("Essen", 51.46, 7.01, "city", "DE", 582_624, admin1="07"),
    R("Lassa", 10.69, 13.27, "city", "NG", 0, admin1="02"),
    R("Deir ez-Zor", 35.34, 40.14, "city", "SY", 242_565, admin1="07", alternates=["Dayr az Zawr"]),
    R("Moscow", 55.75, 37.62, "city", "RU", 10_381_222, admin1="48", alternates=["Moskva"]),
    R("New York City", 40.71, -74.01, "city", "US", 8_804_190, admin1="NY", alternates=["New York", "NYC"]),
    R("Al-Tabqa", 35.84, 38.55, "city", "SY", 87_880, admin1="04", alternates=["Tabqa", "At Tabqah"]),
    # airfields
    R("Tiyas Air Base", 34.52, 37.63, "air base", "SY", source="ourairports", code="OS72", variants=["Tiyas", "T4"]),
    R("Tabqa Air Base", 35.75, 38.57, "air base", "SY", source="ourairports", variants=["Tabqa"]),
]
DEMONYMS = {"Syrian": "SY", "Ukrainian": "UA", "Malian": "ML", "American": "US", "Egyptian": "EG"}

LEXICON = {
    "titles": ["President", "Dr.", "Admiral", "Analyst", "Mr."],
    "first_names": ["Ivan", "Jane", "Bashar", "Jordan", "Omar"],
    "org_heads": ["University", "Police", "Army", "Forces", "Department", "Brigade"],
    "place_heads": ["Governorate", "Region", "Oblast", "Province", "City", "State", "Air", "Base"],
    "demonyms": list(DEMONYMS),
    "not_places": ["Reuters", "Radio Sputnik", "Syrian Arab Army", "Moskva", "قوات سوريا الديمقراطية"],
    "organisations": [("Boko Haram", ""), ("Pakistan Army", "PK"), ("Fano", "ET")],
    "armed_heads": ["Brigade", "Brigades", "Army", "Militia"],
}


class NoHierarchy(Weights):
    """The resolver's weights with the report's hierarchy switched off: what the other evidence alone decides."""

    inside_enclosing = 0.0
    outside_enclosing = 0.0
