"""A standalone interactive map: one HTML file with Leaflet and every other asset inside it.

The map is the dashboard's: its base map (geo.maps.base, without what talks to the dashboard page) and the
layers geo.maps.compose gives for the state, so the file draws what the screen draws — places, events,
roads, the legend — with popups that list each place's articles (a file has no panel beside the map).
Scripts and stylesheets are read from static/vendor and written into the page, and the images the
stylesheets refer to become data: URLs, so the file opens from disk, offline, with no server.
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import re
from pathlib import Path
from string import Template

import folium
import geopandas as gpd
import pandas as pd
from folium.map import FitBounds

from geo.config import BASEMAP_DIR, STATIC_DIR
from geo.exports.detail import view_detail
from geo.exports.layout import plain
from geo.maps.assets import localize
from geo.maps.base import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    FIT_MAX_ZOOM,
    base_map,
    mention_bounds,
)
from geo.maps.compose import Rows, Sources, map_layers
from geo.maps.html import esc
from geo.view.state import MapState

VENDOR_DIR = STATIC_DIR / "vendor"
HTML_VIEW_PX = (1280, 800)  # the window an exported map is assumed to open in (which detail it carries)
_INLINE_BASE = "cm-inline://vendor"  # localize() points every asset here; inline_assets() replaces each link
_SCRIPT = re.compile(r'<script src="' + re.escape(_INLINE_BASE) + r'/([^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="' + re.escape(_INLINE_BASE) + r'/([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_EMBEDDED_TYPES = {".png", ".gif", ".jpg", ".jpeg", ".svg", ".cur"}  # icon fonts stay out: the map uses none


class InlineError(RuntimeError):
    """An asset the page needs is not under static/vendor (run `make assets`)."""


TEMPLATES = Path(__file__).with_name("templates")  # the pages' CSS and HTML around the map


@functools.cache
def template(name: str) -> Template:
    """A file of geo/exports/templates/ with $placeholders (string.Template: fill it with escaped text)."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------- map


def _opening_view(state: MapState, bounds) -> tuple[tuple[float, float], int]:
    """Where the map opens: the state's centre and zoom, else the middle of the places (fitted once
    the page knows its size: `interactive_map`), else the default view."""
    if state.center is not None:
        return state.center, state.zoom if state.zoom is not None else DEFAULT_ZOOM
    if bounds is None:
        return DEFAULT_CENTER, state.zoom if state.zoom is not None else DEFAULT_ZOOM
    (s, w), (n, e) = bounds
    return ((s + n) / 2, (w + e) / 2), state.zoom if state.zoom is not None else DEFAULT_ZOOM


def interactive_map(
    frame: pd.DataFrame,
    state: MapState,
    *,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    tools: bool = True,
    detail=None,
) -> folium.Map:
    """The dashboard's map of what `state` shows (`frame`: the rows it shows), with CDN links left in place
    (see `inline_assets`). On the offline basemap: web and local tiles need a server the file may not have.
    Without a centre in the state, the view fits the places in the browser, as the dashboard's first view.
    `detail`: the detailed basemap of the view (geo.exports.detail.Detail), its chunks inside the page."""
    rows = Rows.of(frame)
    bounds = mention_bounds(rows.frame)
    fmap = base_map(countries=countries, cities=cities, asset_base=None, height="100%", tools=tools,
                    dashboard=False, view=_opening_view(state, bounds),
                    detail=detail.element() if detail is not None else None)
    sources = Sources.given(airbases=airbases, roads=roads, cities=cities)
    for layer in map_layers(state.with_(basemap="offline"), rows, sources, bounds=bounds, popups=True):
        group = layer.build()
        if group is not None:
            group.add_to(fmap)
    if state.center is None and state.zoom is None and bounds is not None:
        fit = FitBounds(bounds, padding=(30, 30), max_zoom=FIT_MAX_ZOOM)
        fit.options["animate"] = False  # a zoom animation on load leaves markers mid-transform in screenshots
        fmap.add_child(fit)
    return fmap


# ---------------------------------------------------------------------------------------- inlining


def _data_url(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".svg":
        mime = "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(css: str, css_path: Path, vendor_dir: Path) -> str:
    """The stylesheet with each relative url() made a data: URL, and anything else made empty."""

    def repl(m: re.Match) -> str:
        ref = m.group(2).strip()
        if ref.startswith("data:"):
            return m.group(0)
        target = (css_path.parent / ref.split("#")[0].split("?")[0]).resolve()
        inside = target.is_relative_to(vendor_dir.resolve())
        if "://" not in ref and not ref.startswith("//") and inside and target.is_file() and target.suffix.lower() in _EMBEDDED_TYPES:
            return f'url("{_data_url(target)}")'
        return 'url("data:,")'  # fonts, remote and missing files: nothing to fetch

    return _CSS_URL.sub(repl, css).replace("</style", "<\\/style")


def inline_assets(html: str, vendor_dir: Path = VENDOR_DIR) -> str:
    """Replace the `_INLINE_BASE` script and stylesheet links of a rendered page by the files' contents."""
    vendor_dir = Path(vendor_dir)
    missing: list[str] = []

    def read(rel: str) -> str | None:
        path = vendor_dir / rel
        if not path.is_file():
            missing.append(rel)
            return None
        return path.read_text(encoding="utf-8")

    def script(m: re.Match) -> str:
        js = read(m.group(1))
        return "" if js is None else "<script>" + js.replace("</script", "<\\/script").replace("<!--", "<\\!--") + "</script>"

    def stylesheet(m: re.Match) -> str:
        css = read(m.group(1))
        return "" if css is None else "<style>" + _inline_css(css, vendor_dir / m.group(1), vendor_dir) + "</style>"

    out = _STYLESHEET.sub(stylesheet, _SCRIPT.sub(script, html))
    if missing:
        raise InlineError(f"not installed under {vendor_dir}: {', '.join(missing)} (run `make assets`)")
    if _INLINE_BASE in out:
        raise InlineError("an asset link was left in the page: " + out[out.index(_INLINE_BASE) - 60 : out.index(_INLINE_BASE) + 80])
    return out


def page_html(fmap: folium.Map) -> str:
    """The map's page with asset links that `inline_assets` replaces (edit it in between, if need be)."""
    localize(fmap, _INLINE_BASE)  # raises for a CDN file we have no copy of
    return fmap.get_root().render()


def standalone_html(fmap: folium.Map, vendor_dir: Path = VENDOR_DIR) -> str:
    """The map's page with every asset inside it."""
    return inline_assets(page_html(fmap), vendor_dir)


# ---------------------------------------------------------------------------------------- export

def to_html(
    frame: pd.DataFrame,
    state: MapState,
    *,
    title: str = "",
    subtitle: str = "",
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    basemap_dir: Path | None = BASEMAP_DIR,
    vendor_dir: Path = VENDOR_DIR,
) -> bytes:
    """One UTF-8 HTML file: the interactive map of what `state` shows, titled, openable offline from disk,
    with the detailed basemap of its first view (from `basemap_dir`, when built: shorelines, rivers, towns)."""
    bounds = mention_bounds(frame.dropna(subset=["lat", "lon"]))
    detail = view_detail(state, tuple(map(tuple, bounds)) if bounds else None, *HTML_VIEW_PX, folder=basemap_dir)
    fmap = interactive_map(frame, state, airbases=airbases, roads=roads, countries=countries, cities=cities,
                           detail=detail)
    html = page_html(fmap)
    heading = esc(plain(title or state.title or "Conflict Map", 200))
    box = template("title.html").substitute(title=heading, subtitle=esc(plain(subtitle, 300)))
    html = html.replace("<head>", f"<head>\n<title>{heading}</title>", 1)
    html = html.replace("</head>", "<style>" + template("title.css").template + "</style>\n</head>", 1)
    html = html.replace("<body>", "<body>\n" + box, 1)
    return inline_assets(html, vendor_dir).encode("utf-8")
