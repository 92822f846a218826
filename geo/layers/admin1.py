"""Approximate first-level boundaries, drawn halfway between neighbouring towns of different provinces.

No registry package carries first-level boundary lines for most countries (Natural Earth's admin-1 is not
packaged; GMT's DCW has them for 8 countries, Ukraine and Sudan not among them). The gazetteer knows each town's
province (GeoNames admin1 code), so the line between two neighbouring towns of different provinces of one
country (their Voronoi edge) separates every gazetteer town from the provinces it is not in. Where towns are
dense (Ukraine: a few km apart) the line is within a few km of the true one; where they are sparse it is not
drawn at all: only edges between towns at most MAX_GAP_KM apart, and only within REACH_KM of them.
The map draws it dashed and the README says what it is.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

MAX_GAP_KM = 50.0  # towns further apart than this get no line between them
REACH_KM = 25.0  # and the line is drawn only this close to them
KM_PER_DEGREE = 111.2


def division_points(gazetteer: Path) -> pd.DataFrame:
    """Towns and district centres with their country and first-level code: lat, lon, key."""
    con = sqlite3.connect(f"file:{Path(gazetteer)}?mode=ro", uri=True)
    try:
        frame = pd.read_sql_query(
            "SELECT lat, lon, country || '.' || admin1 AS key FROM entries WHERE feature IN ('city', 'district') "
            "AND country IS NOT NULL AND admin1 IS NOT NULL AND admin1 NOT IN ('', '00')", con)
    finally:
        con.close()
    frame = frame[(frame["lat"].abs() < 85)]
    rounded = frame.assign(rlat=frame["lat"].round(4), rlon=frame["lon"].round(4))
    return rounded.drop_duplicates(["rlat", "rlon"])[["lat", "lon", "key"]].reset_index(drop=True)


def _plane(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Equirectangular degrees around the points' middle, so that Voronoi edges are about right within a country;
    returns the coordinates and the (lon, lat) of the middle to map back."""
    lon0, lat0 = float(np.median(lon)), float(np.median(lat))
    dlon = (lon - lon0 + 180) % 360 - 180
    return np.column_stack([dlon * np.cos(np.radians(lat0)), lat - lat0]), lon0, lat0


def _country_lines(lon: np.ndarray, lat: np.ndarray, keys: np.ndarray) -> list[np.ndarray]:
    """Lon/lat lines between neighbouring points of one country whose keys differ."""
    xy, lon0, lat0 = _plane(lon, lat)
    multi = shapely.multipoints(xy)
    cells = np.asarray(shapely.get_parts(shapely.voronoi_polygons(multi, ordered=True)))
    if len(cells) != len(xy):
        return []
    edges = shapely.get_parts(shapely.delaunay_triangles(multi, only_edges=True))
    index = {pt: i for i, pt in enumerate(map(tuple, xy))}
    pairs = [(index.get(tuple(a)), index.get(tuple(b))) for a, b in shapely.get_coordinates(edges).reshape(-1, 2, 2)]
    pairs = np.array([p for p in pairs if None not in p], dtype=int).reshape(-1, 2)
    i, j = pairs[:, 0], pairs[:, 1]
    pick = (keys[i] != keys[j]) & (np.hypot(*(xy[i] - xy[j]).T) * KM_PER_DEGREE <= MAX_GAP_KM)
    i, j = i[pick], j[pick]
    if not len(i):
        return []
    shared = shapely.intersection(cells[i], cells[j])
    shared = shapely.intersection(shared, shapely.buffer(shapely.points(xy[i]), REACH_KM / KM_PER_DEGREE, quad_segs=4))
    lines = [p for g in shared for p in shapely.get_parts(g) if shapely.get_type_id(p) == 1]
    if not lines:
        return []
    out = []
    for part in shapely.get_parts(shapely.line_merge(shapely.multilinestrings(lines))):
        coords = shapely.get_coordinates(part)
        if len(coords) >= 2:
            plon = (coords[:, 0] / np.cos(np.radians(lat0)) + lon0 + 180) % 360 - 180
            out.append(np.column_stack([plon, coords[:, 1] + lat0]))
    return out


def separating_lines(points: pd.DataFrame) -> list[np.ndarray]:
    """Lon/lat lines between neighbouring points of different keys ("<country>.<admin1>") within one country."""
    country = points["key"].str.split(".", n=1).str[0]
    out: list[np.ndarray] = []
    for _, part in points.groupby(country.to_numpy(), sort=True):
        if part["key"].nunique() > 1 and len(part) >= 3:
            out += _country_lines(part["lon"].to_numpy(float), part["lat"].to_numpy(float), part["key"].to_numpy())
    return out


def approximate_lines(gazetteer: Path) -> list[np.ndarray]:
    """First-level lines for the whole gazetteer."""
    return separating_lines(division_points(gazetteer))
