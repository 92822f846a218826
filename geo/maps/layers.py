"""The data layers: one folium FeatureGroup each, drawn on the base map (geo.maps.base).

The dashboard's frame swaps these groups in place on a rerun (geo.maps.frame); the exports add the same
groups to their map (geo.exports.html). geo.maps.compose says which ones a map state draws, in which
order. Data goes to the browser as column arrays drawn on one canvas (geo.maps.elements); every string
that reaches the browser's innerHTML is escaped here with geo.maps.html.esc.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.maps import elements
from geo.maps.base import MAX_ZOOM
from geo.maps.cluster import ClusterLayer
from geo.maps.events import events_layer  # noqa: F401  (the map's layers are all found here)
from geo.maps.html import esc
from geo.maps.style import (
    AIRFIELD_STYLE,
    CHOROPLETH_COLOURS,
    CITY_STYLE,
    ROAD_STYLE,
    SCHEMATIC_DASH,
    SELECTION_COLOUR,
    place_radius,
    place_style,
)

LAYER_LABELS = {
    "places": "Places (by mentions)",
    "air bases": "Air bases and airports",
    "roads": "Roads",
    "cities": "Cities",
    "heatmap": "Heatmap",
    "countries": "Mentions by country",
    "events": "Events (one symbol each)",
    "clusters": "Places, grouped when crowded",
    "time": "Time player",
}
AIRPORT_NEAR_DEG = 2.0  # civil airports are drawn only this close (degrees) to the places; air bases everywhere
AIRPORT_MIN_ZOOM = 7  # and only from this zoom on
TOWN_NEAR_DEG = 8.0  # smaller towns are drawn this far around the places
WEB_BASEMAPS: dict[str, tuple[str, str, str]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "OpenStreetMap",
    ),
    "satellite": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Imagery &copy; Esri, Maxar, Earthstar Geographics, and the GIS User Community",
        "Esri World Imagery",
    ),
}


def _columns(frame: pd.DataFrame, **cols) -> dict:
    """Column arrays for the JS layers: lat/lon rounded to ~1 m, the rest as given."""
    out = {}
    for key, values in cols.items():
        if key in ("lat", "lon"):
            out[key] = [round(float(v), 5) for v in values]
        elif isinstance(values, (pd.Series, np.ndarray)):
            out[key] = values.tolist()
        else:
            out[key] = list(values)
    return out


def _near(x: pd.Series, y: pd.Series, bounds: list[list[float]] | None, margin: float) -> pd.Series:
    """Which points lie within `margin` degrees of bounds [[s, w], [n, e]] (none without bounds)."""
    if bounds is None:
        return pd.Series(False, index=x.index)
    (s, w), (n, e) = bounds
    return x.between(w - margin, e + margin) & y.between(s - margin, n + margin)


# ---------------------------------------------------------------------------------------- places


def _place_points(places: pd.DataFrame, popups: list[str] | None) -> tuple[dict, list[dict]]:
    """Column arrays and styles of geo.store.frames.places rows, for the places and cluster layers."""
    features = places["feature"].fillna("other")
    order = list(dict.fromkeys(features))
    index = {f: i for i, f in enumerate(order)}
    label = [f"<b>{esc(n)}</b> · {int(m):,} mention{'s' if m != 1 else ''} in {int(a):,} article{'s' if a != 1 else ''}"
             for n, m, a in zip(places["name"], places["mentions"], places["articles"])]
    data = _columns(places, lat=places["lat"], lon=places["lon"],
                    radius=place_radius(places["mentions"], places["mentions"].max()),
                    style=[index[f] for f in features], label=label, key=places["place_id"].astype(int))
    if popups is not None:
        data["popup"] = list(popups)  # escaped HTML (geo.maps.html.popup_html), opened on a click
    return data, [place_style(f) for f in order]


def places_layer(places: pd.DataFrame, popups: list[str] | None = None) -> folium.FeatureGroup:
    """One circle per place (geo.store.frames.places rows), sized by mentions; a click selects it, and
    opens its popup where there are `popups` (one per row: an exported map has no panel)."""
    group = folium.FeatureGroup(name="places", control=False)
    if places.empty:
        return group
    data, styles = _place_points(places, popups)
    elements.PointLayer(data, styles, kind="place", selectable=True).add_to(group)
    return group


def clusters_layer(places: pd.DataFrame, popups: list[str] | None = None) -> folium.FeatureGroup:
    """The places layer grouped by zoom level (geo.maps.cluster): crowded places become one bubble."""
    group = folium.FeatureGroup(name="places", control=False)
    if places.empty:
        return group
    data, styles = _place_points(places, popups)
    data |= _columns(places, mentions=places["mentions"].astype(int), name=places["name"].astype(str))
    ClusterLayer(data, styles).add_to(group)
    return group


def heat_layer(places: pd.DataFrame) -> folium.FeatureGroup:
    """Mention density: each place weighted by its share of the most mentioned one."""
    from folium.plugins import HeatMap

    group = folium.FeatureGroup(name="heatmap", control=False)
    if places.empty:
        return group
    most = max(int(places["mentions"].max()), 1)
    points = [[round(a, 4), round(o, 4), round(max(m / most, 0.05), 3)]
              for a, o, m in zip(places["lat"], places["lon"], places["mentions"])]
    HeatMap(points, radius=22, blur=18, min_opacity=0.35, max_zoom=10, control=False).add_to(group)
    return group


def choropleth_breaks(values) -> list[float]:
    """Class limits for the choropleth: quantiles of the counts, so skewed counts still spread out."""
    v = np.asarray(sorted(values), float)
    if v.size == 0:
        return []
    qs = np.unique(np.quantile(v, np.linspace(0, 1, len(CHOROPLETH_COLOURS) + 1)[1:-1]))
    return [float(q) for q in qs]


class _Choropleth(elements.CMElement):
    """Fills the basemap's own outlines (window.CM.countries) by count: only the numbers are sent."""

    plugin, options = "choropleth", ("counts", "colours", "breaks")  # geo/maps/js/choropleth.js

    def __init__(self, counts: dict[str, int], breaks: list[float]):
        super().__init__()
        self._name = "Choropleth"
        self.counts, self.breaks, self.colours = counts, breaks, list(CHOROPLETH_COLOURS)


def choropleth_layer(counts: pd.DataFrame) -> folium.FeatureGroup:
    """Countries filled by mentions (geo.store.frames.country_counts rows)."""
    group = folium.FeatureGroup(name="countries", control=False)
    if counts is None or counts.empty:
        return group
    values = {str(c): int(n) for c, n in zip(counts["country"], counts["mentions"])}
    _Choropleth(values, choropleth_breaks(values.values())).add_to(group)
    return group


def time_layer(cells: dict, places: pd.DataFrame) -> folium.FeatureGroup:
    """The time player over geo.view.timebins.player_cells(frame, places, step): each step shows the places
    mentioned in it (the places layer steps aside meanwhile) and the event layer keeps that step's events."""
    group = folium.FeatureGroup(name="time", control=False)
    data = dict(cells) | _columns(places, lat=places["lat"], lon=places["lon"], key=places["place_id"].astype(int),
                                  name=places["name"].map(esc))
    elements.TimePlayer(data).add_to(group)
    return group


def selection_layer(lat: float, lon: float, *, radius_px: float = 12.0, radius_km: float | None = None) -> folium.FeatureGroup:
    """A ring around the selected place, and for an air base the circle of radius_km around it."""
    group = folium.FeatureGroup(name="selection", control=False)
    if radius_km:
        folium.Circle((lat, lon), radius=radius_km * 1000, color=SELECTION_COLOUR, weight=1.5, dash_array="6 4",
                      fill=True, fill_opacity=0.05, interactive=False).add_to(group)
    folium.CircleMarker((lat, lon), radius=radius_px + 5, color=SELECTION_COLOUR, weight=3, fill=False,
                        interactive=False, pane="cm-selection").add_to(group)
    return group


# The map's event layer, one symbol per event: geo/maps/events.py.


# ---------------------------------------------------------------------------------------- reference layers


def shown_airfields(airbases: gpd.GeoDataFrame, bounds: list[list[float]] | None) -> gpd.GeoDataFrame:
    """The airfields a map draws: air bases everywhere, civil airports only near the places."""
    keep = airbases["kind"].eq("air base") | _near(airbases.geometry.x, airbases.geometry.y, bounds, AIRPORT_NEAR_DEG)
    return airbases.loc[keep]


def airfields_layer(airbases: gpd.GeoDataFrame, bounds: list[list[float]] | None) -> folium.FeatureGroup:
    """Air bases everywhere, civil airports only around the places shown; click selects one."""
    group = folium.FeatureGroup(name="air bases", control=False)
    shown = shown_airfields(airbases, bounds)
    if shown.empty:
        return group
    styles = [{k: v for k, v in AIRFIELD_STYLE[k].items() if k != "radius"} for k in ("air base", "airport")]
    for kind, min_zoom in (("air base", None), ("airport", AIRPORT_MIN_ZOOM)):
        rows = shown[shown["kind"].eq(kind)] if kind == "air base" else shown[~shown["kind"].eq("air base")]
        if rows.empty:
            continue
        # Tooltips ("Name (ICAO) · air base") are put together in the browser from these columns.
        data = _columns(rows, lat=rows.geometry.y, lon=rows.geometry.x, name=rows["name"].map(esc),
                        key=[str(i) if isinstance(i, str) else "" for i in rows["ident"]])
        data |= {"radius": AIRFIELD_STYLE[kind]["radius"], "style": 0 if kind == "air base" else 1,
                 "suffix": f" · {esc(kind)}"}
        elements.PointLayer(data, styles, kind="airfield", min_zoom=min_zoom, selectable=True,
                            registry=kind.replace(" ", "_")).add_to(group)
    return group


def cities_layer(cities: pd.DataFrame, bounds: list[list[float]] | None, *, local_min: int = 50_000,
                 world_min: int = 500_000) -> folium.FeatureGroup:
    """Towns as small dots with names that appear with zoom: big ones everywhere, smaller near the places."""
    group = folium.FeatureGroup(name="cities", control=False)
    keep = (cities["population"] >= world_min) | (
        (cities["population"] >= local_min) & _near(cities["lon"], cities["lat"], bounds, TOWN_NEAR_DEG))
    shown = cities[keep].sort_values("population", ascending=False)
    if shown.empty:
        return group
    pop = shown["population"].to_numpy(float)
    label = [f"{esc(n)} · {int(p):,} people" for n, p in zip(shown["name"], pop)]
    data = _columns(shown, lat=shown["lat"], lon=shown["lon"], radius=np.where(pop >= 1e6, 3.5, 2.5),
                    style=np.zeros(len(shown), int), label=label, key=shown["name"].map(esc))
    elements.PointLayer(data, [CITY_STYLE], kind="city").add_to(group)
    minzoom = np.select([pop >= 1e6, pop >= 3e5, pop >= 1e5], [5, 7, 8], 9)
    elements.ZoomLabels(_columns(shown, lat=shown["lat"], lon=shown["lon"], name=shown["name"].map(esc),
                                 minzoom=minzoom), css_class="cm-town-label",
                       avoid_places=True).add_to(group)
    return group


def schematic(roads: gpd.GeoDataFrame) -> pd.Series:
    """Which roads are schematic corridors (straight lines between towns), drawn dashed."""
    if "schematic" not in roads:
        return pd.Series(False, index=roads.index)
    return roads["schematic"].fillna(False).astype(bool)


def roads_layer(roads: gpd.GeoDataFrame, *, max_features: int = 20_000) -> folium.FeatureGroup:
    """Roads as lines; schematic corridors dashed and labelled "schematic"."""
    group = folium.FeatureGroup(name="roads", control=False)
    if roads is None or roads.empty:
        return group
    shown = roads.head(max_features)
    dashed = schematic(shown)
    names = shown["name"] if "name" in shown else pd.Series("", index=shown.index)
    label = [f"{esc(n)}{' (schematic)' if s else ''}" for n, s in zip(names, dashed)]
    refs = shown.get("road", names)
    short = [f"{esc(r if isinstance(r, str) and r else n)}{' · schematic' if s else ''}"
             for r, n, s in zip(refs, names, dashed)]
    frame = gpd.GeoDataFrame({"label": label, "short": short, "schematic": dashed.to_numpy()},
                             geometry=shown.geometry.simplify(0.002).values, crs=shown.crs)
    folium.GeoJson(
        frame[["label", "schematic", "geometry"]],
        style_function=lambda f: ROAD_STYLE | {"dashArray": SCHEMATIC_DASH if f["properties"]["schematic"] else None},
        highlight_function=lambda f: {"weight": 5},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        smooth_factor=1.5,
        control=False,
    ).add_to(group)
    mid = [g.interpolate(0.5, normalized=True) for g in frame.geometry]
    labelled = frame.assign(x=[p.x for p in mid], y=[p.y for p in mid])
    labelled = labelled[labelled["schematic"]] if dashed.any() and len(labelled) > 200 else labelled
    elements.ZoomLabels(_columns(labelled, lat=labelled["y"], lon=labelled["x"], name=labelled["short"],
                                 minzoom=np.full(len(labelled), 7)), css_class="cm-road-label", limit=60).add_to(group)
    return group


def tile_layer(basemap: str, local=None) -> folium.FeatureGroup | None:
    """A web or local tile basemap over the offline one, or None for the offline basemap alone."""
    if basemap == "local" and local is not None:
        url, attribution, name = local.url, esc(local.attribution) or "Local tiles", local.name
        lo, hi = local.min_zoom, local.max_zoom
    elif basemap in WEB_BASEMAPS:
        (url, attribution, name), lo, hi = WEB_BASEMAPS[basemap], 0, 19
    else:
        return None
    group = folium.FeatureGroup(name="basemap", control=False)
    folium.TileLayer(url, attr=attribution, name=name, max_zoom=MAX_ZOOM, max_native_zoom=hi, min_zoom=0,
                     min_native_zoom=lo, control=False).add_to(group)
    return group
