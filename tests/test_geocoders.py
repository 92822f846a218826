"""geopy interfaces and the online fallback, with a fake service: tests never touch the network."""

from __future__ import annotations

import pytest
from geopy.location import Location

from geo.gazetteer.geocoders import GeocodeCache, OfflineGazetteer, OnlineFallback
from geo.parse.pipeline import Geoparser


def test_offline_gazetteer_is_a_geopy_geocoder(gazetteer):
    geo = OfflineGazetteer(gazetteer)
    palmyra = geo.geocode("Palmyra")
    assert isinstance(palmyra, Location)
    assert palmyra.raw["country"] == "SY"
    ny = geo.geocode("Palmyra, New York")
    assert ny.raw["country"] == "US" and 42.5 < ny.latitude < 43.5
    assert geo.geocode("Nowhereville-on-Nothing") is None
    assert len(geo.geocode("Palmyra", exactly_one=False)) > 5


class FakeService:
    """Stands in for Nominatim: answers one village, counts calls."""

    def __init__(self):
        self.calls = []

    def geocode(self, query, exactly_one=True):
        self.calls.append(query)
        if query == "Kfar Zeita Heights":
            return Location("Kfar Zeita Heights, Hama, Syria", (35.37, 36.6), {})
        return None


@pytest.fixture()
def fallback(tmp_path):
    service = FakeService()
    return service, OnlineFallback(service, GeocodeCache(tmp_path / "cache.sqlite"), limiter=service.geocode)


def test_fallback_finds_unknown_names_after_prepositions(gazetteer, fallback):
    service, online = fallback
    parser = Geoparser(gazetteer, online=online)
    text = "Shelling was reported near Kfar Zeita Heights and in Hama."
    found = {m.text: m for m in parser.parse(text)}
    assert found["Kfar Zeita Heights"].source == "online"
    assert found["Kfar Zeita Heights"].lat == pytest.approx(35.37)
    assert "Hama" in found and found["Hama"].source != "online"
    assert service.calls == ["Kfar Zeita Heights"]  # Hama was known locally: not asked


def test_fallback_cache_persists_answers_and_misses(tmp_path, fallback):
    service, online = fallback
    assert online.candidate("Kfar Zeita Heights") is not None
    assert online.candidate("Atlantis") is None
    again = OnlineFallback(service, GeocodeCache(tmp_path / "cache.sqlite"), limiter=service.geocode)
    assert again.candidate("Kfar Zeita Heights").lat == pytest.approx(35.37)
    assert again.candidate("Atlantis") is None
    assert service.calls == ["Kfar Zeita Heights", "Atlantis"]


def test_default_geoparser_stays_offline(geoparser):
    assert geoparser.online is None
