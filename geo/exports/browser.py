"""Briefing renderer in headless Chromium: the dashboard's own Leaflet map, laid out as a page.

The page is one HTML document with every asset inside it (see html.py); Chromium opens it with no
server, every request for anything but file:, data:, blob: and about: is blocked and counted, and
the page is captured with a screenshot (PNG) or printed (PDF, one page).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd

from geo.exports.html import VENDOR_DIR, inline_assets, interactive_map, page_html
from geo.exports.layout import Layout, plain
from geo.maps.elements import CMElement, js_literal
from geo.view.state import MapState
from geo.maps.view import BROAD_FEATURES, esc, marker_radius

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


class PlaceLabels(CMElement):
    """Place names beside their circles, with the numbers of the listed articles that name them.

    Most-mentioned first; a label that would overlap a circle or a label already shown, or leave the map,
    is hidden (as the static renderer does).
    Names are set as text (textContent), never as markup.
    """

    plugin, options = "placeLabels", ("labels",)  # geo/maps/js/place_labels.js

    def __init__(self, layout: Layout):
        super().__init__()
        self._name = "PlaceLabels"
        self.labels = []
        for p in layout.places.itertuples(index=False):
            if p.feature in BROAD_FEATURES:
                continue
            nums = layout.place_articles.get((p.name, p.lat, p.lon, p.feature), ())
            ref = "" if not nums else " [" + ",".join(str(n) for n in nums[:4]) + (",…" if len(nums) > 4 else "") + "]"
            self.labels.append({"lat": float(p.lat), "lon": float(p.lon), "text": plain(p.name, 40) + ref,
                                "gap": round(marker_radius(int(p.mentions)) + 4)})
            if len(self.labels) >= MAX_PLACE_LABELS:
                break


_NORTH_ARROW = """<div class="cm-north" aria-label="North is up"><svg viewBox="0 0 24 40" width="24" height="40">
<text x="12" y="10" text-anchor="middle" font-size="11" font-weight="700" fill="#1d2733">N</text>
<path d="M12 13 L5 36 L12 30 Z" fill="#1d2733" stroke="#1d2733" stroke-width=".7"/>
<path d="M12 13 L19 36 L12 30 Z" fill="#fff" stroke="#1d2733" stroke-width=".7"/></svg></div>"""

_STYLE = """<style>
@page { size: %(w)sin %(h)sin; margin: 0; }
html, body { width: %(w)sin !important; height: %(h)sin !important; margin: 0; padding: 0; overflow: hidden;
  background: #fff; }
body { display: grid; grid-template-columns: minmax(0, 1fr) %(panel)spx; grid-template-rows: auto auto minmax(0, 1fr) auto auto;
  grid-template-areas: "bt bt" "hd hd" "map side" "ft ft" "bb bb"; column-gap: 16px;
  font-family: "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; color: #1d2733;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.cm-banner { text-align: center; font: 700 13px/24px "DejaVu Sans", sans-serif; letter-spacing: .06em; }
.cm-banner.top { grid-area: bt; } .cm-banner.bottom { grid-area: bb; }
.cm-head { grid-area: hd; display: flex; justify-content: space-between; gap: 24px; margin: 14px 16px 12px;
  padding-bottom: 10px; border-bottom: 1px solid #c9ced6; }
.cm-head h1 { font-size: 29px; line-height: 1.15; font-weight: 700; margin: 0; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.cm-head .sub { font-size: 16px; color: #5b6470; margin-top: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.cm-head .when { text-align: right; white-space: nowrap; }
.cm-head .when b { font-size: 16px; } .cm-head .when div { font-size: 12.5px; color: #5b6470; margin-top: 4px; }
.cm-head .titles { min-width: 0; }
.folium-map { grid-area: map; margin-left: 16px; border: 1px solid #6b7480; min-height: 0;
  width: auto !important; height: auto !important; }  /* the grid cell, not 100%% plus the margin */
.cm-north { grid-area: map; justify-self: end; align-self: start; z-index: 1000; margin: 10px 10px 0 0;
  background: rgba(255,255,255,.85); border-radius: 4px; padding: 2px 4px 0; line-height: 0; }
.cm-side { grid-area: side; margin-right: 16px; overflow: hidden; min-height: 0; font-size: 12.5px; }
.cm-side h2 { font-size: 12px; font-weight: 700; color: #5b6470; letter-spacing: .05em; margin: 0 0 6px; }
.cm-legend-list { list-style: none; margin: 0 0 16px; padding: 0; columns: %(legend_cols)s; column-gap: 8px; }
.cm-legend-list li { margin: 0 0 5px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.cm-legend-list i { display: inline-block; width: 12px; height: 12px; border-radius: 50%%; margin-right: 8px;
  vertical-align: -2px; }
.cm-legend-list i.line { height: 3px; border-radius: 2px; width: 16px; vertical-align: 3px; margin-right: 4px; }
.cm-articles { list-style: none; margin: 0; padding: 0; }
.cm-articles li { display: grid; grid-template-columns: 22px 1fr; margin-bottom: 9px; }
.cm-articles .n { background: #1d2733; color: #fff; border-radius: 3px; font-size: 10px; font-weight: 700;
  text-align: center; height: 16px; line-height: 16px; width: 18px; margin-top: 1px; }
.cm-articles .t { font-weight: 700; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden; line-height: 1.3; }
.cm-articles .m { grid-column: 2; color: #5b6470; font-size: 10.5px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.cm-more { color: #5b6470; font-style: italic; margin-left: 22px; }
.cm-foot { grid-area: ft; display: flex; justify-content: space-between; gap: 16px; margin: 6px 16px 8px;
  font-size: 10px; color: #5b6470; }
.cm-foot span:first-child { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.cm-foot span:last-child { white-space: nowrap; }
.cm-place-label { position: absolute; top: 0; transform: translateY(-50%%); white-space: nowrap; font: 700 11.5px/1.2 "DejaVu Sans", sans-serif;
  color: #1d2733; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff, 0 0 1px #fff; }
/* a slide, not an app: no zoom buttons, layer switcher or the map's own key and credits (both are on the page) */
.leaflet-control-zoom, .leaflet-control-layers, .cm-legend, .leaflet-control-attribution { display: none !important; }
.leaflet-control-scale-line:not(:first-child) { display: none; }  /* kilometres only */
.leaflet-control-scale-line { font-size: 12px; border-color: #1d2733; background: rgba(255,255,255,.85); }
</style>"""

def _ready(more: int) -> str:
    """The call that fits the page and then sets window.cmReady (geo/maps/js/briefing_ready.js)."""
    return f"<script>window.CM.plugins.briefingReady({js_literal({'more': int(more)})});</script>"


def _legend_html(layout: Layout) -> str:
    items = []
    for e in layout.legend:
        cls = ' class="line"' if e.kind == "line" else ""
        border = "" if e.kind == "line" else f";border:1px solid {esc(e.stroke)}"
        items.append(f'<li><i{cls} style="background:{esc(e.fill)}{border}"></i>{esc(e.label)}</li>')
    return "".join(items) or "<li>nothing to show</li>"


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
    vendor_dir: Path = VENDOR_DIR,
) -> str:
    """The briefing as one self-contained HTML page sized to the layout's page."""
    fmap = interactive_map(frame, state, airbases=airbases, roads=roads, countries=countries)
    if "places" in state.layers:
        PlaceLabels(layout).add_to(fmap)
    html = page_html(fmap)
    page = layout.briefing.page
    b = layout.briefing
    legend_cols = 2 if len(layout.legend) > 5 else 1
    style = _STYLE % {"w": f"{page.width_in:.4f}", "h": f"{page.height_in:.4f}", "panel": 340, "legend_cols": legend_cols}
    banner = ""
    if layout.banner:
        banner = f'style="color:{esc(b.banner_fg)};background:{esc(b.banner_bg)}">{esc(layout.banner.upper())}</div>'
    more = layout.more_articles
    body = "".join(
        [
            f'<div class="cm-banner top" {banner}' if banner else "",
            '<header class="cm-head"><div class="titles">',
            f'<h1>{esc(layout.title)}</h1>',
            f'<div class="sub">{esc(layout.subtitle)}</div>' if layout.subtitle else "",
            f'</div><div class="when"><b>{esc(layout.time_window)}</b><div>{esc(layout.summary)}</div></div></header>',
            _NORTH_ARROW,
            '<aside class="cm-side"><h2>KEY</h2>',
            f'<ul class="cm-legend-list">{_legend_html(layout)}</ul>',
            f'<h2>SOURCES</h2><ol class="cm-articles">{_articles_html(layout)}</ol>',
            f'<div class="cm-more">{f"and {more} more article" + ("s" if more != 1 else "") if more else ""}</div></aside>',
            f'<footer class="cm-foot"><span>{esc(layout.attribution)}</span>',
            f"<span>Generated {esc(layout.generated)} · Conflict Map</span></footer>",
            f'<div class="cm-banner bottom" {banner}' if banner else "",
        ]
    )
    html = html.replace("<head>", f"<head>\n<title>{esc(layout.title)}</title>", 1)
    html = html.replace("</head>", style + "\n</head>", 1)
    html = html.replace("<body>", "<body>\n" + body, 1)
    html = html.replace("</html>", _ready(more) + "\n</html>", 1)
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
    vendor_dir: Path = VENDOR_DIR,
    executable: str = CHROMIUM,
) -> BrowserOutput:
    reason = unavailable_reason(executable)
    if reason:
        raise BrowserUnavailable(reason)
    html = briefing_page(frame, state, layout, airbases=airbases, roads=roads, countries=countries, vendor_dir=vendor_dir)
    return capture(html, layout, fmt, executable=executable)
