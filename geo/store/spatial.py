"""The spatial filters on places, as SQL: PostGIS uses its indexes, SQLite plain lat/lon.

On PostGIS, places have a generated point column (migration 0002) with a GiST index on it and one on its
geography; the expressions below are written exactly as in those indexes so that the planner uses them.
Elsewhere a box on lat/lon narrows the rows and the great-circle distance (a SQL function registered by
geo.store.engine) decides. Both measure on the mean-radius sphere, so "within 50 km" means the same.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import and_, func, literal_column, or_
from sqlalchemy.sql.elements import ColumnElement

from geo.geodesy import EARTH_RADIUS_KM
from geo.store.tables import places

# (west, south, east, north) in degrees, EPSG:4326, the order of shapely's bounds and a GeoJSON bbox.
# west > east means the box crosses the antimeridian.
BBox = tuple[float, float, float, float]

_GEOM = literal_column("places.geom")
_GEOG = literal_column("CAST(places.geom AS geography)")


def check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a point in degrees: lat={lat}, lon={lon}")


def check_bbox(bbox: Sequence[float]) -> BBox:
    if len(bbox) != 4:
        raise ValueError(f"bbox is (west, south, east, north), got {bbox!r}")
    west, south, east, north = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(f"bbox has a non-finite value: {bbox!r}")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(f"bbox must be (west, south, east, north) in degrees with south <= north, got {bbox!r}")
    return west, south, east, north


def lon_ranges(west: float, east: float) -> list[tuple[float, float]]:
    """A longitude interval as one or two plain ranges (two when it crosses the antimeridian)."""
    return [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]


def around(lat: float, lon: float, km: float) -> BBox | None:
    """A box holding every point within km of (lat, lon); None when the circle reaches a pole or all around."""
    ang = km / EARTH_RADIUS_KM
    if ang >= math.pi / 2:
        return None
    dlat = math.degrees(ang)
    if abs(lat) + dlat >= 90:
        return None
    s = math.sin(ang) / math.cos(math.radians(lat))
    if s >= 1:
        return None
    dlon = math.degrees(math.asin(s)) * 1.000001 + 1e-9  # a hair wider: the exact test follows
    if dlon >= 180:
        return None
    west, east = lon - dlon, lon + dlon
    west = west + 360 if west < -180 else west
    east = east - 360 if east > 180 else east
    return west, max(-90.0, lat - dlat - 1e-9), east, min(90.0, lat + dlat + 1e-9)


def _point_geog(lat: float, lon: float) -> ColumnElement:
    return func.geography(func.ST_SetSRID(func.ST_MakePoint(float(lon), float(lat)), 4326))


def in_bbox(postgis: bool, bbox: BBox) -> ColumnElement[bool]:
    """Places inside the box, edges included (on PostGIS: the bounding-box operator on the geom index)."""
    west, south, east, north = bbox
    ranges = lon_ranges(west, east)
    if postgis:
        return or_(*(_GEOM.op("&&")(func.ST_MakeEnvelope(w, south, e, north, 4326)) for w, e in ranges))
    return and_(
        places.c.lat.between(south, north),
        or_(*(places.c.lon.between(w, e) for w, e in ranges)),
    )


def distance_expr(postgis: bool, lat: float, lon: float) -> ColumnElement[float]:
    """A place's great-circle distance from (lat, lon) in km."""
    if postgis:
        return func.ST_Distance(_GEOG, _point_geog(lat, lon), False) / 1000.0
    return func.conflictmap_distance_km(places.c.lat, places.c.lon, float(lat), float(lon))


def within(postgis: bool, lat: float, lon: float, km: float) -> ColumnElement[bool]:
    """Places within km of (lat, lon) (on PostGIS: ST_DWithin on the geography index)."""
    if postgis:
        return func.ST_DWithin(_GEOG, _point_geog(lat, lon), km * 1000.0, False)
    exact = distance_expr(False, lat, lon) <= km
    box = around(lat, lon, km)
    return exact if box is None else and_(in_bbox(False, box), exact)
