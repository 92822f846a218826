"""Joins on small hand-made layers, the seed's expected joins, and roads files in two formats."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo.config import ROOT
from geo.layers.joins import Joiner, haversine_km
from geo.layers.roads import RoadDataError, read_roads, schematic_roads
from geo.types import ResolvedMention


def place(name, lat, lon, start=0, end=1):
    return ResolvedMention(start=start, end=end, text=name, name=name, lat=lat, lon=lon, feature="city")


@pytest.fixture()
def small():
    airbases = gpd.GeoDataFrame({"name": ["Near Base", "Far Base"], "kind": ["air base", "air base"]},
                                geometry=[Point(10.5, 0.0), Point(13.0, 0.0)], crs="EPSG:4326")
    roads = gpd.GeoDataFrame({"road": ["R1", "R2"], "name": ["East road", "North road"], "schematic": [True, True]},
                             geometry=[LineString([(10, 0), (10.5, 0.1), (11, 0)]), LineString([(10, 0.5), (10, 2)])],
                             crs="EPSG:4326")
    cities = gpd.GeoDataFrame({"name": ["Big", "Small"], "population": [500_000, 900]},
                              geometry=[Point(10.9, 0.0), Point(10.1, 0.0)], crs="EPSG:4326")
    countries = gpd.GeoDataFrame({"name": ["Squareland"]}, geometry=[box(9, -1, 12, 1)], crs="EPSG:4326")
    return Joiner(airbases, roads, cities, countries)


def test_nearby_lists_what_is_within_reach(small):
    near = small.nearby(0.0, 10.0, population=1000)
    by_layer = {n["layer"]: n for n in near}
    assert [n["name"] for n in near if n["layer"] == "air base"] == ["Near Base"]  # Far Base is 333 km away
    assert by_layer["air base"]["distance_km"] == pytest.approx(55.6, abs=0.5)
    assert [n["name"] for n in near if n["layer"] == "road"] == ["East road"]  # North road is 55 km away
    assert by_layer["city"]["name"] == "Big"  # the nearest city larger than the place
    assert by_layer["region"]["name"] == "Squareland"


def test_route_follows_the_road(small):
    text = "the road between A and B"
    a, b = place("A", 0.0, 10.0, 17, 18), place("B", 0.0, 11.0, 23, 24)
    routes = small.routes_in(text, [a, b])
    assert len(routes) == 1
    coords = routes[0]["geometry"]["coordinates"]
    assert coords[0] == [10.0, 0.0] and coords[-1] == [11.0, 0.0] and len(coords) == 3
    length = sum(haversine_km(p[1], p[0], q[1], q[0]) for p, q in zip(coords, coords[1:]))
    assert length > haversine_km(0, 10, 0, 11)


@pytest.mark.parametrize("sentence", ["the A–B highway was cut", "traffic on the road from A to B"])
def test_route_phrasings(small, sentence):
    a_at, b_at = sentence.index("A"), sentence.index("B")
    mentions = [place("A", 0.0, 10.0, a_at, a_at + 1), place("B", 0.0, 11.0, b_at, b_at + 1)]
    assert len(small.routes_in(sentence, mentions)) == 1


def test_no_route_without_road_words(small):
    text = "between A and B"
    assert small.routes_in(text, [place("A", 0.0, 10.0, 8, 9), place("B", 0.0, 11.0, 14, 15)]) == []


def test_schematic_roads_are_lines_through_their_towns(gazetteer):
    roads = schematic_roads(gazetteer)
    m5 = roads[roads["road"] == "M5"].geometry.iloc[0]
    damascus, homs = (36.29, 33.51), (36.73, 34.72)
    assert min(Point(c).distance(Point(damascus)) for c in m5.coords) < 0.05
    assert min(Point(c).distance(Point(homs)) for c in m5.coords) < 0.05
    assert roads["schematic"].all()
    assert {"SY", "UA", "IQ"} <= set(roads["country"])


@pytest.mark.parametrize("driver, suffix", [("GeoJSON", ".geojson"), ("GPKG", ".gpkg")])
def test_read_roads_file_formats(tmp_path, driver, suffix):
    src = gpd.GeoDataFrame({"ref": ["M5", None], "name": ["Motorway", "Track"]},
                           geometry=[LineString([(36.3, 33.5), (36.7, 34.7)]), LineString([(38, 34), (38.5, 34.5)])],
                           crs="EPSG:4326")
    path = tmp_path / f"roads{suffix}"
    src.to_file(path, driver=driver)
    roads = read_roads(path)
    assert list(roads["name"]) == ["Motorway", "Track"]
    assert not roads["schematic"].any()
    assert roads.crs.to_epsg() == 4326


def test_read_roads_reprojects_and_rejects_non_lines(tmp_path):
    src = gpd.GeoDataFrame({"name": ["x"]}, geometry=[LineString([(4000000, 4000000), (4100000, 4050000)])], crs="EPSG:3857")
    src.to_file(tmp_path / "m.gpkg", driver="GPKG")
    assert read_roads(tmp_path / "m.gpkg").total_bounds[0] == pytest.approx(35.93, abs=0.01)
    pts = gpd.GeoDataFrame({"name": ["p"]}, geometry=[Point(1, 1)], crs="EPSG:4326")
    pts.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    with pytest.raises(RoadDataError, match="no line"):
        read_roads(tmp_path / "p.geojson")
    (tmp_path / "broken.gpkg").write_bytes(b"not a geopackage")
    with pytest.raises(RoadDataError, match="cannot read"):
        read_roads(tmp_path / "broken.gpkg")


def test_seed_joins_pass_the_reference_check(shared, tmp_path):
    out = tmp_path / "joins.jsonl"
    res = subprocess.run([sys.executable, "-m", "geo", "geoparse", "--join",
                          str(shared / "seed" / "sputnik_palmyra_2017.txt"), "-o", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    check = subprocess.run([sys.executable, str(shared / "eval" / "check_seed_joins.py"), str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    doc = json.loads(out.read_text())
    route = [r for r in doc["routes"] if {"Damascus", "Homs"} == {r["from"], r["to"]}]
    assert route and route[0]["road"].startswith("M5")


@pytest.mark.parametrize(
    "prefix, dlat, dlon, radius",
    [
        ("Clashes 30 km north of ", 0.27, 0.0, 7.5),
        ("Shelling 20 miles west of ", 0.0, -0.35, 8.0),
        ("Fighting west of ", 0.0, -0.16, 15.0),
        ("Strikes outside ", 0.0, 0.0, 10.0),
        ("Clashes near ", 0.0, 0.0, 15.0),
    ],
)
def test_relative_positions_offset_the_anchor(prefix, dlat, dlon, radius):
    from geo.layers.joins import relative_position

    text = prefix + "Palmyra"
    m = place("Palmyra", 34.56, 38.28, len(prefix), len(text))
    pos = relative_position(text, m)
    assert pos["lat"] == pytest.approx(34.56 + dlat, abs=0.02)
    assert pos["lon"] == pytest.approx(38.28 + dlon, abs=0.02)
    assert pos["radius_km"] == pytest.approx(radius, abs=0.5)


def test_no_relative_position_without_a_relation():
    from geo.layers.joins import relative_position

    assert relative_position("Clashes in Palmyra", place("Palmyra", 34.56, 38.28, 11, 18)) is None
