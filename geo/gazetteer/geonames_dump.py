"""GeoNames dump files (allCountries.zip, XX.zip or XX.txt) as gazetteer records, every feature class.

The embedded index covers populated places; a dump adds mountains, regions, air bases, roads,
rivers and the rest. Format: https://download.geonames.org/export/dump/readme.txt (19 tab-separated columns).
An alternate-names file (alternateNamesV2.zip, or a country's alternatenames/XX.zip: 8 or 10 columns) given
with them adds GeoNames' preferred English names, the places' display names (geo/gazetteer/display.py).
"""

from __future__ import annotations

import csv
import io
import sys
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from geo.gazetteer.sources import GazetteerRecord

DUMP_URL = "https://download.geonames.org/export/dump/{name}.zip"

# GeoNames feature codes → the product's feature names (class letter as the fallback).
_CODES = {
    "AIRB": "air base", "AIRF": "air base", "AIRH": "airport", "AIRP": "airport", "AIRS": "airport",
    "ADM1": "region", "ADM1H": "region", "ADM2": "district", "ADM3": "district", "ADMD": "district",
    "PCLI": "country", "PCLD": "country", "PCLF": "country", "PCLS": "country", "PCLIX": "country", "TERR": "country",
    "RD": "road", "RDJCT": "road", "RDB": "road", "RDCUT": "road", "TNL": "road", "BDG": "bridge",
    "MT": "mountain", "MTS": "mountain", "HLL": "mountain", "HLLS": "mountain", "PK": "mountain", "RDGE": "mountain",
    "STM": "river", "STMS": "river", "LK": "lake", "LKS": "lake", "SEA": "sea", "GULF": "sea", "BAY": "sea",
    "RGN": "region", "AREA": "region", "PLN": "region", "VAL": "region", "DSRT": "region", "OAS": "region",
    "ISL": "island", "ISLS": "island", "PEN": "region", "CST": "region",
    "MILB": "military base", "INSM": "military base", "CMPMIL": "military base", "NVB": "military base",
    "DAM": "facility", "PO": "facility", "PS": "facility", "PSN": "facility", "PRN": "facility", "BCN": "facility",
    "CSTM": "facility", "PSTB": "facility",
}
_CLASSES = {"P": "city", "A": "region", "H": "water", "T": "mountain", "L": "region", "R": "road", "S": "facility",
            "U": "undersea", "V": "forest"}


class DumpError(ValueError):
    """A dump file that cannot be read, with the reason."""


def _lines(path: Path) -> Iterator[str]:
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as e:
            raise DumpError(f"{path}: not a zip file ({e})") from None
        members = [n for n in zf.namelist() if n.endswith(".txt")
                   and not n.lower().startswith(("readme", "iso-languagecodes"))]
        if not members:
            raise DumpError(f"{path}: no GeoNames .txt table inside")
        for name in members:
            with zf.open(name) as f:
                yield from io.TextIOWrapper(f, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            yield from f


def dump_records(path: Path, *, skip_ids: set[int] | None = None) -> Iterator[GazetteerRecord]:
    """One record a dump row; rows whose id is in skip_ids (already in the index) are left out."""
    path = Path(path)
    if not path.exists():
        raise DumpError(f"{path}: no such file")
    csv.field_size_limit(sys.maxsize)
    for n, line in enumerate(_lines(path), 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 19:
            raise DumpError(f"{path}, line {n}: {len(cols)} columns, a GeoNames table has 19")
        try:
            gid = int(cols[0])
            lat, lon = float(cols[4]), float(cols[5])
            population = int(cols[14] or 0)
        except ValueError as e:
            raise DumpError(f"{path}, line {n}: {e}") from None
        if skip_ids and gid in skip_ids:
            continue
        feature = _CODES.get(cols[7]) or _CLASSES.get(cols[6], "other")
        alts = [a for a in cols[3].split(",") if a and a != cols[1]]
        if cols[2] and cols[2] != cols[1]:
            alts.append(cols[2])
        yield GazetteerRecord(name=cols[1], lat=lat, lon=lon, feature=feature, country=cols[8] or None,
                              population=population, geonameid=gid, admin1=cols[10] or None,
                              source="geonames-dump", code=cols[7] or None, alternates=alts)


def is_alternate_names(path: Path) -> bool:
    """An alternate-names table (alternateNameId, geonameid, isolanguage, name, isPreferredName, isShortName,
    isColloquial, isHistoric[, from, to]) rather than a place table, told by its first row."""
    if not Path(path).exists():
        return False  # dump_records says so
    for line in _lines(Path(path)):
        cols = line.rstrip("\n").split("\t")
        return len(cols) in (8, 10) and cols[0].isdigit() and cols[1].isdigit()
    return False


def english_names(path: Path) -> dict[int, str]:
    """GeoNames' preferred English name of each place in an alternate-names file: language "en", marked
    preferred, neither colloquial nor historic; a short name first ("Raqqa" before "Ar-Raqqah Governorate")."""
    best: dict[int, tuple[int, str]] = {}
    for n, line in enumerate(_lines(Path(path)), 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 8 or cols[2] != "en" or cols[4] != "1" or cols[6] == "1" or cols[7] == "1":
            continue
        try:
            gid = int(cols[1])
        except ValueError:
            raise DumpError(f"{path}, line {n}: {cols[1]!r} is no GeoNames id") from None
        rank = 0 if cols[5] == "1" else 1
        if cols[3] and (gid not in best or rank < best[gid][0]):
            best[gid] = (rank, cols[3])
    return {gid: name for gid, (_, name) in best.items()}


def download_dump(name: str, dest_dir: Path) -> Path:
    """Fetch allCountries or a country's XX.zip (online only; never called by the tests)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{name}.zip"
    urllib.request.urlretrieve(DUMP_URL.format(name=name), dest)  # noqa: S310 (fixed https host)
    return dest


def records_with_dumps(base: Iterable[GazetteerRecord], dumps: list[Path], meta: dict[str, str] | None = None,
                       progress=None) -> Iterator[GazetteerRecord]:
    """The records an index is built from: the default records, then every dump row that the defaults do not
    already hold, each with its English display name (display.with_display_names; GeoNames' preferred English
    names from the alternate-names files among `dumps`).

    `meta` (if given) is filled once the dumps are read: the files and the countries whose every village the
    index then holds ("dump_countries": "AF,SY"), for build_index to record. `progress(msg)` hears how far each
    dump has got (a country dump has 50k-300k rows; allCountries 13 million).
    """
    from geo.gazetteer.display import with_display_names

    tables, name_files = [], []
    for path in dumps:
        (name_files if is_alternate_names(path) else tables).append(path)
    english: dict[int, str] = {}
    for path in name_files:
        if progress:
            progress(f"reading English names from {Path(path).name} ...")
        english.update(english_names(path))
    if meta is not None and name_files:
        meta["english_names"] = ",".join(Path(p).name for p in name_files)
    yield from with_display_names(_base_and_dumps(base, tables, meta, progress), geonames_english=english)


def _base_and_dumps(base: Iterable[GazetteerRecord], dumps: list[Path], meta: dict[str, str] | None,
                    progress) -> Iterator[GazetteerRecord]:
    seen: set[int] = set()
    for rec in base:
        if rec.geonameid is not None:
            seen.add(rec.geonameid)
        yield rec
    countries: set[str] = set()
    for path in dumps:
        added = 0
        if progress:
            progress(f"reading {Path(path).name} ...")
        for rec in dump_records(path, skip_ids=seen):
            added += 1
            if rec.country:
                countries.add(rec.country)
            if progress and added % 100_000 == 0:
                progress(f"  {Path(path).name}: {added:,} places added")
            yield rec
        if progress:
            progress(f"  {Path(path).name}: {added:,} places added in all")
    if meta is not None and dumps:
        meta["dumps"] = ",".join(Path(p).name for p in dumps)
        # allCountries covers every country; a country dump covers its own (a few rows of neighbours aside)
        meta["dump_countries"] = "*" if any(Path(p).stem.lower() == "allcountries" for p in dumps) else ",".join(
            sorted({Path(p).stem.upper() for p in dumps if len(Path(p).stem) == 2} or countries))
