"""geopy interfaces: the offline gazetteer as a geopy Geocoder, and an online fallback (off by default).

Users who already use geopy can swap `OfflineGazetteer` in for Nominatim; the geoparser can ask an
online geopy service (Nominatim, Photon) for names the local gazetteer lacks, behind geopy's
RateLimiter and a persistent cache so that no name is asked twice.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Gazetteer, norm
from geo.types import Candidate

_FEATURE_RANK = {"country": 4, "region": 3, "city": 2, "air base": 1, "airport": 1}


class OfflineGazetteer(Geocoder):
    """`geocode("Palmyra, Syria")` from the embedded index; no network, ever."""

    def __init__(self, gazetteer: Gazetteer):
        super().__init__(user_agent="conflict-map-offline")
        self.gazetteer = gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True, **_: object):
        parts = [p.strip() for p in str(query).split(",") if p.strip()]
        if not parts:
            return None if exactly_one else []
        cands = self.gazetteer.candidates(parts[0])
        for qualifier in parts[1:]:
            scope = [c for c in self.gazetteer.candidates(qualifier) if c.feature in ("country", "region")]
            narrowed = [c for c in cands if any(
                c.country == q.country and (q.feature == "country" or (q.admin1 and q.admin1 == c.admin1)) for q in scope)]
            cands = narrowed or cands
        cands.sort(key=lambda c: (-c.population, -_FEATURE_RANK.get(c.feature, 0)))
        locations = [_location(c) for c in cands]
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def reverse(self, query, *, exactly_one: bool = True, **_: object):
        raise NotImplementedError("reverse geocoding is not offered by the offline gazetteer")


def _location(c: Candidate) -> Location:
    address = ", ".join(x for x in (c.name, c.country) if x)
    raw = {"name": c.name, "feature": c.feature, "country": c.country, "geonameid": c.geonameid,
           "population": c.population, "source": c.source}
    return Location(address, (c.lat, c.lon), raw)


class GeocodeCache:
    """Answers of an online service kept in SQLite, misses included (None), so a name is asked once."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(path, check_same_thread=False)
        self._con.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT)")
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bool, dict | None]:
        row = self._con.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return (False, None) if row is None else (True, json.loads(row[0]))

    def put(self, key: str, value: dict | None) -> None:
        with self._lock, self._con:
            self._con.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(value)))


class OnlineFallback:
    """Candidates from an online geopy geocoder for names the local gazetteer lacks."""

    def __init__(self, geocoder: Geocoder, cache: GeocodeCache, *, min_delay_seconds: float = 1.0,
                 limiter: Callable | None = None):
        self.cache = cache
        self._geocode = limiter or RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                               max_retries=1, swallow_exceptions=True)

    def candidate(self, name: str) -> Candidate | None:
        key = norm(name)
        hit, value = self.cache.get(key)
        if not hit:
            loc = self._geocode(name, exactly_one=True)
            value = None if loc is None else {"name": str(loc.address).split(",")[0], "lat": loc.latitude,
                                              "lon": loc.longitude, "address": str(loc.address)}
            self.cache.put(key, value)
        if value is None:
            return None
        return Candidate(name=value["name"], lat=value["lat"], lon=value["lon"], feature="place",
                         source="online", key=-(abs(hash(key)) % 10**9) - 1)


def nominatim_fallback(cache_path: Path, user_agent: str = "conflict-map") -> OnlineFallback:
    """Nominatim (OpenStreetMap) behind the rate limiter its usage policy asks for (1 request/s)."""
    from geopy.geocoders import Nominatim

    return OnlineFallback(Nominatim(user_agent=user_agent), GeocodeCache(cache_path), min_delay_seconds=1.0)
