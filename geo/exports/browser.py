"""Briefing renderer in headless Chromium: the dashboard's own Leaflet map, laid out as a page.

The page is one HTML document with every asset inside it (see html.py); Chromium opens it with no
server, every request for anything but file:, data:, blob: and about: is blocked and counted, and
the page is captured with a screenshot (PNG) or printed (PDF: the map's page, then the sources continued
where they need more room).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.exports import locator
from geo.exports.html import (
    VENDOR_DIR,
    inline_assets,
    interactive_map,
    page_html,
    template,
)
from geo.exports.labels import GAP_PX, PAD_PX, SPOTS
from geo.exports.layout import (
    FIT_STEPS,
    PDF_FIT_STEPS,
    Layout,
    citation,
    more_note,
    plain,
)
from geo.maps.base import BROAD_FEATURES, FIT_MAX_ZOOM
from geo.maps.elements import CMElement, ZoomLabels
from geo.maps.html import esc
from geo.maps.legend import list_html
from geo.maps.style import place_radius
from geo.view.state import MapState

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
MAX_PLACE_LABELS = 30
LEGEND_COLUMN_CHARS = 18  # the longest label that fits half the side panel
READY_TIMEOUT_MS = 30_000


class BrowserUnavailable(RuntimeError):
    """Chromium or playwright is missing; the message says what to install."""


@dataclass(frozen=True)
class BrowserOutput:
    data: bytes
    blocked: tuple[str, ...]  # requests that tried to leave the machine (and were refused)


def is_local(url: str, hosts: frozenset[str] = frozenset()) -> bool:
    """Whether a URL stays on this machine: a LOCAL_SCHEMES URL, or one on `hosts`."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in hosts


def block_outside(target, blocked: list[str], *, hosts: frozenset[str] = frozenset()) -> None:
    """Let a Playwright page or context load only local URLs (LOCAL_SCHEMES, and http(s) on `hosts`);
    every other request is refused and recorded in `blocked`."""

    def route(r) -> None:
        if is_local(r.request.url, hosts):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    target.route("**/*", route)


def unavailable_reason(executable: str = CHROMIUM) -> str | None:
    """Why the browser renderer cannot run here, or None when it can."""
    if not (Path(executable).exists() or shutil.which(executable)):
        return f"{executable} is not installed: install Debian's chromium (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed: pip install playwright (it is in requirements-dev.txt)"
    return None


# ---------------------------------------------------------------------------------------- page

_MAP_DIV = re.compile(r'<div class="folium-map" id="map_[0-9a-f]+"\s*>\s*</div>')


class PlaceLabels(CMElement):
    """Place names beside their circles, with the numbers of the listed articles that name them.

    Most-mentioned first; each label takes the first of eight spots around its circle where it overlaps no
    other label, symbol or piece of map furniture and stays inside the map, else it is hidden (as the static
    renderer does); the map's town, road and country names then give way to them. Names are set as text
    (textContent), never as markup. The plugin is in templates/briefing.js.
    """

    plugin, options = "placeLabels", ("labels", "spots", "pad")

    def __init__(self, layout: Layout):
        super().__init__()
        self._name = "PlaceLabels"
        self.labels, self.spots, self.pad = [], [list(s) for s in SPOTS], PAD_PX
        places = layout.places
        if places.empty or not layout.drawn & {"places", "clusters"}:
            return
        radii = place_radius(places["mentions"], places["mentions"].max())
        order = np.argsort(-places["mentions"].to_numpy(), kind="stable")
        for i in order:
            p = places.iloc[i]
            if p["feature"] in BROAD_FEATURES:
                continue
            nums = layout.place_articles.get((p["name"], p["lat"], p["lon"], p["feature"]), ())
            self.labels.append({"lat": float(p["lat"]), "lon": float(p["lon"]), "text": plain(p["name"]) + citation(nums),
                                "gap": round(float(radii[i]) + GAP_PX)})
            if len(self.labels) >= MAX_PLACE_LABELS:
                break


class LocatorInset(CMElement):
    """A small map of the surroundings with the briefing's view outlined (templates/briefing.js)."""

    plugin = "locatorInset"
    options = ("width", "height", "offset", "zooms", "min_view_zoom", "colour", "countries")

    def __init__(self):
        super().__init__()
        self._name = "LocatorInset"
        self.width, self.height = locator.SIZE_PX
        self.offset, self.zooms, self.min_view_zoom = locator.ZOOM_OFFSET, list(locator.ZOOMS), locator.MIN_VIEW_ZOOM
        self.colour, self.countries = locator.COLOUR, locator.COUNTRY_STYLE


class BriefingReady(CMElement):
    """Fits the title, the key and every numbered source to the page, draws the locator, places the labels,
    then says window.cmReady (the screenshot or the PDF is taken then). `fit`: the bounds the map fits again
    once the side panel has its width (None: the state's own view)."""

    plugin, options = "briefingReady", ("mode", "steps", "pdf_steps", "fit", "max_zoom")

    def __init__(self, mode: str, fit):
        super().__init__()
        self._name = "BriefingReady"
        self.mode, self.fit, self.max_zoom = mode, fit, FIT_MAX_ZOOM
        self.steps, self.pdf_steps = [list(s) for s in FIT_STEPS], PDF_FIT_STEPS


def _legend_columns(layout: Layout) -> int:
    """Two columns for a long key of short labels (place types), one where labels are long (events)."""
    short = all(len(e.label) <= LEGEND_COLUMN_CHARS for e in layout.legend)
    return 2 if len(layout.legend) > 5 and short else 1


def _legend_html(layout: Layout) -> str:
    """The key: the map legend's own entries (geo.maps.legend), each heading kept with its entries."""
    return list_html(list(layout.legend)) or "<li>nothing to show</li>"


def _articles_html(layout: Layout) -> str:
    items = []
    for a in layout.articles:
        meta = " · ".join(esc(s) for s in (a.source, a.published) if s)
        places = esc(", ".join(a.places))
        items.append(
            f'<li><span class="n">{a.number}</span><span class="t">{esc(a.title)}</span>'
            f'<span class="m">{meta}{" — " if meta and places else ""}{places}</span></li>'
        )
    return "".join(items)


def briefing_page(
    frame: pd.DataFrame,
    state: MapState,
    layout: Layout,
    *,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    mode: str = "png",
    vendor_dir: Path = VENDOR_DIR,
) -> str:
    """The briefing as one self-contained HTML page sized to the layout's page: the dashboard's map of what
    `state` shows (geo.exports.html.interactive_map, without tools), its key, the numbered sources, a locator.
    `mode` "pdf": sources that do not fit page one continue on further pages."""
    fmap = interactive_map(frame, state, airbases=airbases, roads=roads, countries=countries, cities=cities,
                           tools=False)
    if layout.detail is not None:  # the detailed basemap of the view, its towns as labels among the others
        layout.detail.element().add_to(fmap)
        towns = layout.detail.towns(layout.detail.finest_zoom)  # each shown from its own zoom on
        ZoomLabels({"lat": towns["lat"].round(4).tolist(), "lon": towns["lon"].round(4).tolist(),
                    "name": [esc(n) for n in towns["name"]], "minzoom": towns["minzoom"].tolist()},
                   pane="cm-base-labels", css_class="cm-city-label", limit=400).add_to(fmap)
    if not layout.places.empty:
        PlaceLabels(layout).add_to(fmap)
    LocatorInset().add_to(fmap)
    fit = [list(layout.bounds[0]), list(layout.bounds[1])] if state.center is None and layout.bounds else None
    BriefingReady(mode, fit).add_to(fmap)
    html = page_html(fmap)
    map_div = _MAP_DIV.search(html)
    if map_div is None:
        raise RuntimeError("the map's element was not found in the page")
    html = html[: map_div.start()] + html[map_div.end():]
    page, b = layout.briefing.page, layout.briefing
    style = template("briefing.css").substitute(w=f"{page.width_in:.4f}", h=f"{page.height_in:.4f}",
                                                legend_cols=_legend_columns(layout))
    body = template("briefing.html").substitute(
        banner=esc(layout.banner.upper()), banner_style=f"color:{esc(b.banner_fg)};background:{esc(b.banner_bg)}",
        banner_hidden="" if layout.banner else " hidden",
        title=esc(layout.title), subtitle=esc(layout.subtitle), time_window=esc(layout.time_window),
        summary=esc(layout.summary), legend=_legend_html(layout), articles=_articles_html(layout),
        more=esc(more_note(layout)), attribution=esc(layout.attribution), generated=esc(layout.generated),
        map=map_div.group(0),
    )
    script = template("briefing.js").template.replace("</script", "<\\/script")
    html = html.replace("<head>", f"<head>\n<title>{esc(layout.title)}</title>", 1)
    html = html.replace("</head>", f"<style>{style}</style>\n<script>{script}</script>\n</head>", 1)
    html = html.replace("<body>", "<body>\n" + body, 1)
    return inline_assets(html, vendor_dir)


# ---------------------------------------------------------------------------------------- capture


def capture(html: str, layout: Layout, fmt: str, *, executable: str = CHROMIUM, timeout_ms: int = READY_TIMEOUT_MS) -> BrowserOutput:
    """Open the page in headless Chromium, offline, and take a PNG screenshot or print a PDF."""
    if fmt not in ("png", "pdf"):
        raise ValueError(f"the browser renderer writes png or pdf, not {fmt!r}")
    reason = unavailable_reason(executable)
    if reason:
        raise BrowserUnavailable(reason)
    from playwright.sync_api import sync_playwright

    page_size = layout.briefing.page
    width, height = page_size.css_px
    blocked: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          device_scale_factor=page_size.scale, java_script_enabled=True,
                                          offline=False)
            block_outside(context, blocked)
            page = context.new_page()
            page.set_content(html, wait_until="load", timeout=timeout_ms)
            page.wait_for_function("window.cmReady === true", timeout=timeout_ms)
            if fmt == "png":
                data = page.screenshot(type="png", full_page=False)
            else:
                page.emulate_media(media="screen")
                data = page.pdf(width=f"{page_size.width_in:.4f}in", height=f"{page_size.height_in:.4f}in",
                                print_background=True, margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
                                prefer_css_page_size=True)
            context.close()
        finally:
            browser.close()
    return BrowserOutput(data, tuple(blocked))


def render_browser(
    frame: pd.DataFrame,
    state: MapState,
    layout: Layout,
    fmt: str,
    *,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    vendor_dir: Path = VENDOR_DIR,
    executable: str = CHROMIUM,
) -> BrowserOutput:
    reason = unavailable_reason(executable)
    if reason:
        raise BrowserUnavailable(reason)
    html = briefing_page(frame, state, layout, airbases=airbases, roads=roads, countries=countries, cities=cities,
                         mode=fmt, vendor_dir=vendor_dir)
    return capture(html, layout, fmt, executable=executable)
