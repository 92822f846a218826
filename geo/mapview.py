"""The place map: stored mentions → a folium map that works without internet.

Offline by default: country outlines from Natural Earth instead of web tiles, and Leaflet from
static/vendor (see geo.assets). Everything that comes from an article is escaped here, once, before
any markup is added: folium pastes popup and tooltip HTML into JavaScript template literals, so
backticks, `$` and backslashes are escaped as well as the usual HTML characters.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from branca.element import Element
from folium.map import FitBounds
from folium.template import Template
from folium.utilities import JsCode

from geo.assets import localize

ATTRIBUTION = (
    "Place names: GeoNames (CC BY 4.0) · Airfields: OurAirports (public domain) · "
    "Boundaries: Natural Earth (public domain)"
)
DEFAULT_CENTER = (34.8, 38.5)  # Syria, with Lebanon, Iraq and Jordan in view
DEFAULT_ZOOM = 6
MAX_ZOOM = 18
FOCUS_ZOOM = 9
FIT_MAX_ZOOM = 8  # one place alone still shows its surroundings

FEATURE_COLOURS: dict[str, str] = {
    "city": "#d7301f",
    "country": "#6a51a3",
    "region": "#2b8cbe",
    "continent": "#969696",
    "air base": "#7f2704",
    "airport": "#fd8d3c",
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
AIRPORT_MARGIN_DEG = 8.0  # civil airports are drawn only this far around the places, air bases everywhere

# Natural Earth 1:110m countries (public domain), shipped by pyogrio as a test fixture.
_NATURALEARTH = Path(pyogrio.__file__).resolve().parent / "tests" / "fixtures" / "naturalearth_lowres"


# ---------------------------------------------------------------------------------------- escaping


def esc(value: object) -> str:
    """HTML-escape text and neutralise what a JS template literal would interpret (` $ \\)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


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


# ---------------------------------------------------------------------------------------- data


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
    source = Path(path) if path else _NATURALEARTH / "naturalearth_lowres.shp"
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
    articles = list(rows.groupby("article_id", sort=False))
    for _, mentions in articles[:MAX_ARTICLES_IN_POPUP]:
        a = mentions.iloc[0]
        title = esc(a["title"]) or "(untitled)"
        href = safe_href(a["url"])
        headline = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{title}</a>' if href else title
        meta = " · ".join(s for s in (esc(a["source"]), esc(a["published"])) if s)
        sentences = list(dict.fromkeys(zip(mentions["sentence"], mentions["text"])))[:MAX_SENTENCES_PER_ARTICLE]
        quotes = "".join(f"<div style=\"margin:2px 0 0 6px\">{highlight(s, t)}</div>" for s, t in sentences)
        parts.append(f'<hr style="margin:4px 0"><div>{headline}<br><small>{meta}</small>{quotes}</div>')
    if len(articles) > MAX_ARTICLES_IN_POPUP:
        parts.append(f"<hr style=\"margin:4px 0\"><small>and {len(articles) - MAX_ARTICLES_IN_POPUP} more articles</small>")
    parts.append("</div>")
    return "".join(parts)


def marker_radius(mentions: int) -> float:
    """Area grows with the number of mentions, so the radius grows with its square root."""
    return 7.0 + 3.5 * math.sqrt(max(mentions, 1) - 1)


# ---------------------------------------------------------------------------------------- layers


class Attribution(folium.MacroElement):
    """Adds a line to the map's attribution control (there is no tile layer to carry it offline)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


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
    _country_labels(countries).add_to(group)
    return group


def _country_labels(countries: gpd.GeoDataFrame) -> folium.GeoJson:
    """Country names as permanent tooltips on invisible points: the only labels an offline basemap has."""
    points = gpd.GeoDataFrame(
        {"label": countries["name"].map(esc)},  # a tooltip string is set as innerHTML
        geometry=countries.geometry.representative_point(),
        crs=countries.crs,
    )
    return folium.GeoJson(
        points,
        name="Country names",
        marker=folium.CircleMarker(radius=0, stroke=False, fill=False, interactive=False),
        on_each_feature=JsCode(
            """function (feature, layer) {
                layer.bindTooltip(feature.properties.label,
                    {permanent: true, direction: "center", className: "cm-country-label"});
            }"""
        ),
        interactive=False,
        control=False,
    )


def _places_layer(frame: pd.DataFrame, focus: tuple[float, float] | None) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Places", overlay=True, control=True)
    places = places_frame(frame)
    by_place = dict(list(frame.groupby(["name", "lat", "lon", "feature"], dropna=False, sort=False)))
    for p in places.itertuples(index=False):
        rows = by_place[(p.name, p.lat, p.lon, p.feature)]
        colour = FEATURE_COLOURS.get(p.feature, OTHER_COLOUR)
        focused = focus is not None and math.isclose(p.lat, focus[0], abs_tol=1e-4) and math.isclose(p.lon, focus[1], abs_tol=1e-4)
        folium.CircleMarker(
            location=(p.lat, p.lon),
            radius=marker_radius(int(p.mentions)),
            color="#222222",
            weight=1.2 if not focused else 3.5,
            fill=True,
            fill_color=colour,
            fill_opacity=0.85,
            class_name=PLACE_CLASS,
            tooltip=folium.Tooltip(f"{esc(p.name)} ({int(p.mentions)})"),
            popup=folium.Popup(popup_html(rows), max_width=420, lazy=not focused, show=focused),
        ).add_to(group)
    return group


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


def _bounds(frame: pd.DataFrame) -> list[list[float]] | None:
    if frame is None or frame.empty:
        return None
    lat, lon = frame["lat"].astype(float), frame["lon"].astype(float)
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def _centre(bounds: list[list[float]] | None) -> tuple[float, float] | None:
    if bounds is None:
        return None
    (s, w), (n, e) = bounds
    return (s + n) / 2, (w + e) / 2


_STYLE = """<style>
html .leaflet-container { background: #d4e4f1; }  /* the sea, where no country is drawn */
.cm-popup mark { background: #ffe066; padding: 0 1px; }
.cm-popup a { color: #0b5394; }
.leaflet-tooltip.cm-country-label { background: none; border: none; box-shadow: none; padding: 0;
  color: #7a7366; font: 11px/1.1 sans-serif; letter-spacing: .04em; text-transform: uppercase; }
.leaflet-tooltip.cm-country-label::before { display: none; }
</style>"""


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
    bounds = _bounds(frame)
    fmap = folium.Map(
        location=focus or _centre(bounds) or DEFAULT_CENTER,
        zoom_start=focus_zoom if focus else DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
        height=height,
        maxZoom=MAX_ZOOM,  # required by Leaflet when no tile layer sets it
        minZoom=2,
    )
    fmap.get_root().header.add_child(Element(_STYLE), name="conflictmap_style")
    if tiles:
        folium.TileLayer(tiles, name=tiles, overlay=False, control=True, max_zoom=MAX_ZOOM).add_to(fmap)
    _basemap_layer(countries if countries is not None else countries_frame(), filled=not tiles).add_to(fmap)
    if airbases is not None and not airbases.empty:
        _airfields_layer(airbases, bounds).add_to(fmap)
    _places_layer(frame, focus).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    Attribution(ATTRIBUTION).add_to(fmap)
    if bounds is not None and focus is None:
        fit = FitBounds(bounds, padding=(30, 30), max_zoom=FIT_MAX_ZOOM)
        fit.options["animate"] = False  # a zoom animation on load leaves markers mid-transform in screenshots
        fmap.add_child(fit)
    if asset_base:
        localize(fmap, asset_base)
    return fmap
