"""A standalone interactive map: one HTML file with Leaflet and every other asset inside it.

The map is the dashboard's (geo.maps.view.build_map), its state's filters and view applied. Scripts and
stylesheets are read from static/vendor and written into the page, and the images the stylesheets
refer to become data: URLs, so the file opens from disk, offline, with no server.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from geo.maps.assets import localize
from geo.config import STATIC_DIR
from geo.exports.layout import ROAD_COLOUR, plain
from geo.maps.elements import CMElement
from geo.view.state import MapState
from geo.maps.view import build_map, esc

VENDOR_DIR = STATIC_DIR / "vendor"
_INLINE_BASE = "cm-inline://vendor"  # localize() points every asset here; inline_assets() replaces each link
_SCRIPT = re.compile(r'<script src="' + re.escape(_INLINE_BASE) + r'/([^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="' + re.escape(_INLINE_BASE) + r'/([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_EMBEDDED_TYPES = {".png", ".gif", ".jpg", ".jpeg", ".svg", ".cur"}  # icon fonts stay out: the map uses none


class InlineError(RuntimeError):
    """An asset the page needs is not under static/vendor (run `make assets`)."""


# ---------------------------------------------------------------------------------------- map


class SetView(CMElement):
    """Centres the map on the state's view after everything else (build_map fits the places first)."""

    plugin, options = "setView", ("center", "zoom")  # geo/maps/js/set_view.js

    def __init__(self, center: tuple[float, float], zoom: int):
        super().__init__()
        self._name = "SetView"
        self.center = [float(center[0]), float(center[1])]
        self.zoom = int(zoom)


class DrawOrder(CMElement):
    """Airfields, then places, brought above layers added after build_map (roads), in the same SVG."""

    plugin, options = "drawOrder", ()  # geo/maps/js/draw_order.js

    def __init__(self):
        super().__init__()
        self._name = "DrawOrder"


def _roads_layer(roads: gpd.GeoDataFrame) -> folium.FeatureGroup:
    # control=False: the layer control was written before this layer and could not refer to it
    group = folium.FeatureGroup(name="Roads", overlay=True, control=False)
    shown = roads[["geometry"]].copy()
    shown["name"] = [esc(plain(n, 120)) for n in (roads["name"] if "name" in roads else [""] * len(roads))]
    folium.GeoJson(
        shown.to_crs(4326),
        name="Roads",
        style_function=lambda _: {"color": ROAD_COLOUR, "weight": 2.5, "opacity": 0.9},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[""], labels=False),
        control=False,
    ).add_to(group)
    return group


def interactive_map(
    frame: pd.DataFrame,
    state: MapState,
    *,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The dashboard's map of what `state` shows, with CDN links left in place (see `inline_assets`)."""
    shown = state.apply(frame)
    if "places" not in state.layers:
        shown = shown.iloc[0:0]
    fmap = build_map(
        shown,
        airbases=airbases if "air bases" in state.layers else None,
        countries=countries,
        asset_base=None,
    )
    if roads is not None and not roads.empty and "roads" in state.layers:
        _roads_layer(roads).add_to(fmap)
        DrawOrder().add_to(fmap)
    if state.center is not None:
        SetView(state.center, state.zoom if state.zoom is not None else fmap.options.get("zoom", 6)).add_to(fmap)
    elif state.zoom is not None:
        SetView(fmap.location, state.zoom).add_to(fmap)
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

_TITLE_STYLE = """<style>
.cm-export-title { position: absolute; top: 10px; left: 54px; z-index: 1000; max-width: calc(100% - 120px);
  background: rgba(255,255,255,.92); padding: 6px 12px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.25);
  font: 600 16px/1.3 "DejaVu Sans", system-ui, sans-serif; color: #1d2733; }
.cm-export-title small { display: block; font-weight: 400; font-size: 12px; color: #5b6470; }
</style>"""


def to_html(
    frame: pd.DataFrame,
    state: MapState,
    *,
    title: str = "",
    subtitle: str = "",
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    vendor_dir: Path = VENDOR_DIR,
) -> bytes:
    """One UTF-8 HTML file: the interactive map of what `state` shows, titled, openable offline from disk."""
    fmap = interactive_map(frame, state, airbases=airbases, roads=roads, countries=countries)
    html = page_html(fmap)
    heading = plain(title or state.title or "Conflict Map", 200)
    sub = plain(subtitle, 300)
    box = f'<div class="cm-export-title">{esc(heading)}{f"<small>{esc(sub)}</small>" if sub else ""}</div>'
    html = html.replace("<head>", f"<head>\n<title>{esc(heading)}</title>", 1)
    html = html.replace("</head>", _TITLE_STYLE + "\n</head>", 1)
    html = html.replace("<body>", "<body>\n" + box, 1)
    return inline_assets(html, vendor_dir).encode("utf-8")
