"""Names of the main places on the map itself: the most mentioned places in view, where their names fit.

The browser chooses which to name (geo/maps/js/place_names.js): after each move it takes the places in view,
most mentioned first, and puts each name beside its circle on the first side where it overlaps no other name,
no circle of a place named or waiting to be, and no map control; a name that fits nowhere is left out. Only
the names and positions are sent, and the names are set as text, never parsed as HTML.
"""

from __future__ import annotations

import folium
import pandas as pd

from geo.maps import elements
from geo.maps.base import BROAD_FEATURES
from geo.maps.style import place_radius

CANDIDATES = 300  # the most mentioned places sent as candidates; the browser names those in view that fit
MAX_NAMES = 40  # names on the map at once, at most


class PlaceNames(elements.CMElement):
    """Names beside the circles of the main places (geo/maps/js/place_names.js).

    `data`: {"lat", "lon", "radius" (the circle's, in pixels), "name" (raw text)} column arrays, most
    mentioned first.
    """

    plugin, options = "placeNames", ("data", "limit")

    def __init__(self, data: dict, *, limit: int = MAX_NAMES):
        super().__init__()
        self._name = "PlaceNames"
        self.data, self.limit = data, int(limit)


def name_candidates(places: pd.DataFrame, limit: int = CANDIDATES) -> pd.DataFrame:
    """The places that may be named, most mentioned first. Countries, seas and continents are left out: the
    basemap names them, and their circle sits at a centroid, not at a place one would write on a map."""
    if places.empty:
        return places
    local = places[~places["feature"].isin(BROAD_FEATURES)]
    return local.sort_values("mentions", ascending=False, kind="stable").head(limit)


def place_names_layer(places: pd.DataFrame, *, limit: int = MAX_NAMES) -> folium.FeatureGroup:
    """The names of the main places (geo.store.frames.places rows), sized to the circles of the places layer."""
    group = folium.FeatureGroup(name="place names", control=False)
    shown = name_candidates(places)
    if shown.empty:
        return group
    radius = place_radius(shown["mentions"], places["mentions"].max())
    data = {"lat": [round(float(v), 5) for v in shown["lat"]], "lon": [round(float(v), 5) for v in shown["lon"]],
            "radius": [round(float(r), 1) for r in radius], "name": [str(n) for n in shown["name"]]}
    PlaceNames(data, limit=limit).add_to(group)
    return group
