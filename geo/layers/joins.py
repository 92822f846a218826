"""Joins: every resolved place to the air bases, roads, cities and country around it, and the
routes an article names ("the road between Damascus and Homs").

Distances are geodesic for points (haversine) and, for roads, measured in a local equirectangular
frame around the place, which is accurate to well under 1 % at the radii used here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Point, mapping
from shapely.ops import substring

from geo.config import naturalearth_shp
from geo.gazetteer import Gazetteer
from geo.geodesy import EARTH_RADIUS_KM, haversine_km
from geo.types import ResolvedMention

KM_PER_DEG_LAT = 110.574
EARTH_KM = EARTH_RADIUS_KM

_ROAD_WORDS = r"(?:road|highway|motorway|route|expressway|freeway|corridor)"
_BEFORE_PAIR = re.compile(_ROAD_WORDS + r"s?\s+(?:between|linking|connecting|joining|from)\s+(?:the\s+(?:city|town|cities|towns)\s+of\s+)?$", re.IGNORECASE)
_BETWEEN_PAIR = re.compile(r"^\s+(?:and|to|with)\s+(?:the\s+(?:city|town)\s+of\s+)?$", re.IGNORECASE)
_DASH_PAIR = re.compile(r"^\s?(?:[-–—]|to)\s?$")
_AFTER_DASH = re.compile(r"^\s+" + _ROAD_WORDS, re.IGNORECASE)


_BEARINGS = {"north": 0, "north-east": 45, "northeast": 45, "east": 90, "south-east": 135, "southeast": 135,
             "south": 180, "south-west": 225, "southwest": 225, "west": 270, "north-west": 315, "northwest": 315}
_RELATIVE = re.compile(
    r"(?:(?P<dist>\d+(?:[.,]\d+)?)\s*(?P<unit>km|kilometres|kilometers|kms|miles|mi)\s+)?"
    r"(?P<dir>north-east|north-west|south-east|south-west|northeast|northwest|southeast|southwest|north|south|east|west)"
    r"(?:ern)?\s+of\s+(?:the\s+(?:city|town|village)\s+of\s+)?$"
    r"|(?P<vague>near|outside|around|close to|on the outskirts of|the outskirts of)\s+(?:the\s+(?:city|town|village)\s+of\s+)?$",
    re.IGNORECASE)
VAGUE_DIRECTION_KM = 15.0  # "west of X" with no distance: a point this far out, as uncertain as it is far


def relative_position(text: str, m: ResolvedMention) -> dict | None:
    """Where "30 km north of X", "west of X", "outside X" or "near X" puts the event: a point offset from X
    (geopy.distance, on the WGS-84 ellipsoid) with an uncertainty radius, instead of X's own point."""
    from geopy.distance import geodesic

    rel = _RELATIVE.search(text[max(0, m.start - 60):m.start])
    if rel is None:
        return None
    if rel.group("vague"):
        radius = 10.0 if rel.group("vague").lower() == "outside" else 15.0
        return {"relation": rel.group(0).strip(), "lat": m.lat, "lon": m.lon, "radius_km": radius}
    km = VAGUE_DIRECTION_KM
    if rel.group("dist"):
        km = float(rel.group("dist").replace(",", "."))
        if rel.group("unit").lower() in ("miles", "mi"):
            km *= 1.609344
    point = geodesic(kilometers=km).destination((m.lat, m.lon), _BEARINGS[rel.group("dir").lower()])
    radius = max(2.0, 0.25 * km) if rel.group("dist") else km
    return {"relation": rel.group(0).strip(), "lat": round(point.latitude, 5), "lon": round(point.longitude, 5),
            "radius_km": round(radius, 1)}


@dataclass(frozen=True)
class Radii:
    airbase_km: float = 100.0
    road_km: float = 10.0
    city_search_km: float = 300.0
    route_end_km: float = 15.0


def _deg_box(lat: float, lon: float, km: float) -> shapely.Geometry:
    dlat = km / KM_PER_DEG_LAT
    dlon = km / (KM_PER_DEG_LAT * max(0.05, math.cos(math.radians(lat))))
    return shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def _local_km(geom: shapely.Geometry, lat0: float, lon0: float) -> shapely.Geometry:
    k = math.cos(math.radians(lat0))
    return shapely.transform(geom, lambda xy: np.column_stack(((xy[:, 0] - lon0) * KM_PER_DEG_LAT * k,
                                                                (xy[:, 1] - lat0) * KM_PER_DEG_LAT)))


class Joiner:
    """Holds the location layers and their spatial indexes; join calls are read-only."""

    def __init__(self, airbases: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, cities: gpd.GeoDataFrame,
                 countries: gpd.GeoDataFrame | None = None, radii: Radii = Radii()):
        self.airbases, self.roads, self.cities, self.countries = airbases, roads, cities, countries
        self.radii = radii
        self._air_tree = shapely.STRtree(airbases.geometry.values)
        self._road_tree = shapely.STRtree(roads.geometry.values)
        self._city_tree = shapely.STRtree(cities.geometry.values)
        self._country_tree = shapely.STRtree(countries.geometry.values) if countries is not None else None
        self._air_xy = (airbases.geometry.y.values, airbases.geometry.x.values)
        self._city_xy = (cities.geometry.y.values, cities.geometry.x.values)

    def nearby(self, lat: float, lon: float, *, population: int = 0, exclude_name: str | None = None) -> list[dict]:
        r = self.radii
        out: list[dict] = []
        idx = self._air_tree.query(_deg_box(lat, lon, r.airbase_km))
        if len(idx):
            d = haversine_km(lat, lon, self._air_xy[0][idx], self._air_xy[1][idx])
            for i, dist in sorted(zip(idx, d), key=lambda t: t[1]):
                if dist <= r.airbase_km:
                    row = self.airbases.iloc[i]
                    out.append({"layer": row["kind"], "name": row["name"], "distance_km": round(float(dist), 1)})
        idx = self._road_tree.query(_deg_box(lat, lon, r.road_km))
        here = Point(0, 0)
        roads = []
        for i in idx:
            dist = _local_km(self.roads.geometry.values[i], lat, lon).distance(here)
            if dist <= r.road_km:
                row = self.roads.iloc[i]
                roads.append({"layer": "road", "name": row["name"], "distance_km": round(float(dist), 1),
                              "schematic": bool(row["schematic"])})
        seen = set()
        for rd in sorted(roads, key=lambda x: x["distance_km"]):
            if rd["name"] not in seen:
                seen.add(rd["name"])
                out.append(rd)
        idx = self._city_tree.query(_deg_box(lat, lon, r.city_search_km))
        if len(idx):
            d = haversine_km(lat, lon, self._city_xy[0][idx], self._city_xy[1][idx])
            pops = self.cities["population"].values[idx]
            names = self.cities["name"].values[idx]
            ok = (pops > max(population, 0)) & (d > 1.0) & (names != exclude_name)
            if "gazetteer_name" in self.cities:  # the place itself, by either of its names
                ok &= self.cities["gazetteer_name"].values[idx] != exclude_name
            if ok.any():
                j = np.argmin(np.where(ok, d, np.inf))
                out.append({"layer": "city", "name": str(names[j]), "distance_km": round(float(d[j]), 1),
                            "population": int(pops[j])})
        if self._country_tree is not None:
            hit = self._country_tree.query(Point(lon, lat), predicate="intersects")
            for i in hit[:1]:
                out.append({"layer": "region", "name": str(self.countries["name"].values[i]), "distance_km": 0.0})
        return out

    def route(self, a: ResolvedMention, b: ResolvedMention) -> dict | None:
        """The stretch of road between two places, if one road passes near both."""
        r = self.radii
        best = None
        for i in self._road_tree.query(_deg_box(a.lat, a.lon, r.route_end_km)):
            line = self.roads.geometry.values[i]
            da = _local_km(line, a.lat, a.lon).distance(Point(0, 0))
            db = _local_km(line, b.lat, b.lon).distance(Point(0, 0))
            if da <= r.route_end_km and db <= r.route_end_km and (best is None or da + db < best[0]):
                best = (da + db, i)
        if best is None:
            return None
        i = best[1]
        line = self.roads.geometry.values[i]
        ta, tb = line.project(Point(a.lon, a.lat)), line.project(Point(b.lon, b.lat))
        part = substring(line, min(ta, tb), max(ta, tb))
        if ta > tb:
            part = LineString(list(part.coords)[::-1])
        geom = mapping(part)
        geom["coordinates"] = [[round(x, 5), round(y, 5)] for x, y in geom["coordinates"]]
        return {"from": a.display_name, "to": b.display_name, "road": self.roads["name"].values[i],
                "schematic": bool(self.roads["schematic"].values[i]), "geometry": geom}

    def routes_in(self, text: str, mentions: list[ResolvedMention]) -> list[dict]:
        found = []
        for a, b in zip(mentions, mentions[1:]):
            gap = text[a.end:b.start]
            pair = (_BEFORE_PAIR.search(text[max(0, a.start - 60):a.start]) and _BETWEEN_PAIR.search(gap)) or \
                   (_DASH_PAIR.search(gap) and _AFTER_DASH.search(text[b.end:b.end + 30]))
            if pair and (a.lat, a.lon) != (b.lat, b.lon):
                r = self.route(a, b)
                if r is not None:
                    r["start"], r["end"] = a.start, b.end
                    found.append(r)
        return found

    def join_document(self, text: str, mentions: list[ResolvedMention]) -> dict:
        """The CLI's --join fields: each mention with "nearby", and the document's "routes"."""
        cache: dict[tuple, list[dict]] = {}
        out = []
        for m in mentions:
            key = (m.lat, m.lon)
            if key not in cache:
                cache[key] = self.nearby(m.lat, m.lon, exclude_name=m.name)
            rec = m.to_json()
            rec["nearby"] = cache[key]
            position = relative_position(text, m)
            if position is not None:
                rec["position"] = position
            out.append(rec)
        return {"mentions": out, "routes": self.routes_in(text, mentions)}


def cities_frame(gazetteer: Gazetteer, min_population: int = 50_000) -> gpd.GeoDataFrame:
    """The cities to name a place by: `name` as people write it (Raqqa), `gazetteer_name` as the gazetteer does
    (Ar Raqqah); the same for an index built before display names."""
    columns = ["name", "country", "population", "lat", "lon"]
    df = gazetteer.frame(["city"], min_population=min_population, columns=columns, display=True)
    return gpd.GeoDataFrame(df[["name", "gazetteer_name", "country", "population"]],
                            geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")


def countries_frame() -> gpd.GeoDataFrame | None:
    """Natural Earth 1:110m country outlines shipped inside pyogrio (public domain)."""

    import pyogrio

    path = naturalearth_shp()
    if not path.exists():
        return None
    return pyogrio.read_dataframe(path)[["name", "iso_a3", "geometry"]]


@lru_cache(maxsize=2)
def default_joiner(gazetteer: Gazetteer, layers_dir: Path | None = None) -> Joiner:
    from geo.config import DATA_DIR
    from geo.layers.airbases import airbases_from
    from geo.layers.roads import load_roads

    return Joiner(airbases_from(gazetteer), load_roads(gazetteer, layers_dir or DATA_DIR / "layers" / "user"),
                  cities_frame(gazetteer), countries_frame())
