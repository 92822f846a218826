"""The place map: stored mentions → a folium map that works without internet.

Offline by default: country outlines from Natural Earth instead of web tiles, and Leaflet from
static/vendor (see geo.assets). Everything that comes from an article is escaped here, once, before
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
import pyogrio
import shapely
from branca.element import Element
from folium.map import FitBounds
from folium.template import Template

from geo.assets import localize
from geo.store import FRAME_COLUMNS
from geo.text import sentence_around
from geo.types import Article, ResolvedMention

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

# Natural Earth 1:110m countries (public domain), shipped by pyogrio as a test fixture.
_NATURALEARTH = Path(pyogrio.__file__).resolve().parent / "tests" / "fixtures" / "naturalearth_lowres"


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
    return f'<div class="cm-article">{body}</div>'


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


class HideLabelsWhenZoomedOut(folium.MacroElement):
    """Toggles a class on the map container so CSS can hide country labels at small zooms."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                function update() {
                    map.getContainer().classList.toggle("cm-hide-labels", map.getZoom() < {{ this.min_zoom|tojson }});
                }
                map.on("zoomend", update);
                update();
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, min_zoom: int):
        super().__init__()
        self._name = "HideLabelsWhenZoomedOut"
        self.min_zoom = min_zoom


class Legend(folium.MacroElement):
    """A small key in the map corner: marker colours by place type, and the airfield symbols."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var legend = L.control({position: "bottomright"});
                legend.onAdd = function () {
                    var div = L.DomUtil.create("div", "cm-legend");
                    div.innerHTML = {{ this.html|tojson }};
                    return div;
                };
                legend.addTo(map);
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

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


class CountryLabels(folium.MacroElement):
    """Country names as non-interactive text markers: the only labels an offline basemap has.

    DivIcons centred by CSS rather than permanent tooltips: Leaflet places a tooltip by measuring it,
    and inside st_folium the stylesheets arrive after the map is drawn, so the measurement is wrong.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
                pointToLayer: function (feature, latlng) {
                    return L.marker(latlng, {
                        interactive: false,
                        keyboard: false,
                        icon: L.divIcon({
                            className: "cm-country-label",
                            html: "<span>" + feature.properties.label + "</span>",
                            iconSize: null
                        })
                    });
                }
            }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

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


class OpenPopup(folium.MacroElement):
    """Opens one marker's popup once the map is built and its stylesheets have loaded.

    A marker not yet on the map cannot open a popup, and Leaflet centres a popup by measuring it:
    inside st_folium the stylesheets are still loading when the map script runs.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (marker) {
                var pending = Array.prototype.filter.call(
                    document.querySelectorAll('link[rel="stylesheet"]'), function (l) { return !l.sheet; });
                Promise.all(pending.map(function (l) {
                    return new Promise(function (done) {
                        l.addEventListener("load", done);
                        l.addEventListener("error", done);
                    });
                })).then(function () { marker.openPopup(); });
            })({{ this.marker.get_name() }});
        {% endmacro %}
        """
    )

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


def _bounds(frame: pd.DataFrame) -> list[list[float]] | None:
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


_STYLE = """<style>
html .leaflet-container { background: #d4e4f1; }  /* the sea, where no country is drawn */
.cm-popup mark { background: #ffe066; padding: 0 1px; }
.cm-popup a { color: #0b5394; }
.cm-country-label span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  color: #7a7366; font: 11px/1.1 sans-serif; letter-spacing: .04em; text-transform: uppercase; }
.cm-hide-labels .cm-country-label { display: none; }
.leaflet-control-attribution { font-size: 10px; }
.cm-legend { background: rgba(255,255,255,.85); padding: 4px 8px; border-radius: 4px; font: 11px/16px sans-serif;
  color: #333; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.cm-legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px;
  vertical-align: -1px; }
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
