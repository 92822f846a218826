"""How the map draws things: colours, sizes and symbol styles, for every renderer.

The dashboard's canvas layers, the HTML and browser exports (the same layers) and the matplotlib
fallback (geo.exports.static) all read these, so a place type, a road or an event looks the same on
screen, in a file and on a printed briefing, and the legends name the same colours.
"""

from __future__ import annotations

import numpy as np

# Places, by what kind of place they are.
FEATURE_COLOURS: dict[str, str] = {
    "city": "#d7301f",
    "country": "#6a51a3",
    "region": "#2b8cbe",
    "continent": "#969696",
    "air base": "#7f2704",
    "airport": "#e7298a",
    "facility": "#31a354",
    "river": "#41b6c4",
    "sea": "#225ea8",
}
OTHER_COLOUR = "#636363"
PLACE_EDGE = {"color": "#222222", "weight": 1, "fillOpacity": 0.8}
PLACE_MIN_RADIUS, PLACE_MAX_RADIUS = 4.5, 20.0  # pixels: the least and the most mentioned place

# The airfields layer (OurAirports): air bases stand out, civil airports stay quiet.
AIRFIELD_STYLE: dict[str, dict] = {
    "air base": {"color": "#1a1a1a", "fillColor": "#fdae6b", "weight": 1.2, "fillOpacity": 0.9, "radius": 4},
    "airport": {"color": "#6b6b6b", "fillColor": "#ffffff", "weight": 1, "fillOpacity": 0.8, "radius": 2.5},
}
CITY_STYLE = {"color": "#444444", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}

# Roads: one colour; schematic corridors (straight lines between towns) dashed.
ROAD_COLOUR = "#8c510a"
ROAD_STYLE = {"color": ROAD_COLOUR, "weight": 2.5, "opacity": 0.85}
SCHEMATIC_DASH = "7 6"  # pixels on, off

# ACLED event types; a filled symbol is an event that happened, a hollow one an event that was
# denied, threatened, planned or only possible, a small grey dot a mention with no event.
EVENT_COLOURS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
}
# ... and by shape, so that the types stay apart for colour-blind readers and in greyscale print.
EVENT_SHAPES: dict[str, str] = {
    "Battles": "circle",
    "Explosions/Remote violence": "triangle",
    "Violence against civilians": "square",
    "Protests": "diamond",
    "Riots": "triangle-down",
    "Strategic developments": "hexagon",
}
SHAPE_POINTS = {  # unit polygons, as geo/maps/js/event_layer.js (CM.shapeMarker) draws them on the canvas (y down)
    "triangle": [(0, -1.2), (1.05, 0.75), (-1.05, 0.75)],
    "square": [(-0.88, -0.88), (0.88, -0.88), (0.88, 0.88), (-0.88, 0.88)],
    "diamond": [(0, -1.25), (1.1, 0), (0, 1.25), (-1.1, 0)],
    "triangle-down": [(0, 1.2), (1.05, -0.75), (-1.05, -0.75)],
    "hexagon": [(1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87)],
}
EVENT_RADIUS, NO_EVENT_RADIUS = 6, 3
EVENT_SPREAD_PX = 9  # the spiral's step around a place (geo/maps/js/event_layer.js)
NO_EVENT_COLOUR = "#8c8c8c"
NO_EVENT_BAR = "#d0d0d0"  # the timeline's share of mentions with no event: light, so events stand out

CLUSTER_COLOUR = "#d7301f"  # geo.maps.cluster's bubbles (geo/maps/css/cluster.css)
CHOROPLETH_COLOURS = ("#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")
SELECTION_COLOUR = "#111111"

# The offline basemap (geo/maps/js/offline_basemap.js draws it; the sea is the map's background in map.css).
SEA = "#d4e4f1"
GRATICULE_STYLE = {"color": "#9fb6c9", "weight": 0.6, "opacity": 0.7}
COUNTRY_STYLE = {"color": "#8a8a8a", "weight": 0.7, "fillColor": "#f4f1e8", "fillOpacity": 1}
COUNTRY_LABEL = "#7a7366"


def place_radius(mentions, most: int) -> np.ndarray:
    """Marker radius in pixels: area proportional to mentions, the most mentioned place PLACE_MAX_RADIUS."""
    share = np.sqrt(np.asarray(mentions, float) / max(int(most), 1))
    return np.round(PLACE_MIN_RADIUS + (PLACE_MAX_RADIUS - PLACE_MIN_RADIUS) * share, 1)


def place_style(feature: str) -> dict:
    """The canvas style of a place's circle."""
    return PLACE_EDGE | {"fillColor": FEATURE_COLOURS.get(feature, OTHER_COLOUR)}


def event_style(event_type: str | None, fact: bool) -> dict:
    """The style of one event symbol: filled for a fact, hollow and dashed for the rest, a grey dot
    for a mention without an event."""
    if event_type not in EVENT_COLOURS:
        return {"radius": NO_EVENT_RADIUS, "color": "#555555", "weight": 1, "fillColor": NO_EVENT_COLOUR,
                "fillOpacity": 0.8}
    colour, shape = EVENT_COLOURS[event_type], EVENT_SHAPES.get(event_type, "circle")
    if fact:
        return {"radius": EVENT_RADIUS, "color": "#ffffff", "weight": 1.5, "fillColor": colour, "fillOpacity": 0.95,
                "shape": shape}
    return {"radius": EVENT_RADIUS, "color": colour, "weight": 2, "dashArray": "2 2", "fillColor": "#ffffff",
            "fillOpacity": 0.6, "shape": shape}


def event_style_index() -> tuple[list[dict], dict[tuple[str, bool], int], int]:
    """Canvas styles for event symbols: per type a filled (fact) and a hollow dashed (not a fact) one,
    then the plain mention's; with the index of each (type, fact) and of the plain one."""
    styles, index = [], {}
    for etype in EVENT_COLOURS:
        for fact in (True, False):
            index[(etype, fact)] = len(styles)
            styles.append(event_style(etype, fact))
    styles.append(event_style(None, False))
    return styles, index, len(styles) - 1


def spread_offset(slot: int) -> tuple[float, float]:
    """Where the slot-th symbol around a place sits, in pixels (x right, y down): a Fermat spiral, as
    geo/maps/js/event_layer.js places it."""
    if not slot:
        return 0.0, 0.0
    a, r = slot * 2.39996, EVENT_SPREAD_PX * np.sqrt(slot)
    return float(r * np.cos(a)), float(r * np.sin(a))
