"""One entry point for briefing pictures: the browser renderer when it can run, else the static one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.config import BASEMAP_DIR
from geo.exports import browser, static
from geo.exports.detail import view_detail
from geo.exports.html import VENDOR_DIR
from geo.exports.layout import Briefing, build_layout, with_detail
from geo.maps.layers import schematic
from geo.view.state import MapState

RENDERERS = ("browser", "static")
MAP_SIDE_PX, MAP_FURNITURE_PX = 388, 150  # CSS pixels of a page that are not map: side panel, header and footer
PICTURE_FORMATS = ("png", "pdf")


@dataclass(frozen=True)
class Rendered:
    data: bytes
    renderer: str  # "browser" | "static"
    blocked: tuple[str, ...] = ()  # requests the browser tried to send off the machine (refused)


def render(
    frame: pd.DataFrame,
    state: MapState,
    briefing: Briefing,
    fmt: str = "png",
    *,
    renderer: str | None = None,
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    basemap_dir: Path | None = BASEMAP_DIR,
    vendor_dir: Path = VENDOR_DIR,
    executable: str = browser.CHROMIUM,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Rendered:
    """The briefing of what `state` shows in `frame` (the store's mention frame) as PNG or PDF.

    `renderer=None` uses headless Chromium when it and playwright are installed, else matplotlib;
    asking for "browser" where it cannot run raises BrowserUnavailable with what to install. `cities`: the
    towns (name, lat, lon, population): the basemap's city names, and the cities layer when the state has
    it on. `basemap_dir`: the built detailed basemap (shorelines, rivers, borders, towns), None for none.
    """
    if fmt not in PICTURE_FORMATS:
        raise ValueError(f"format {fmt!r}: a briefing is png or pdf")
    if renderer not in (None, *RENDERERS):
        raise ValueError(f"renderer {renderer!r}: use one of {', '.join(RENDERERS)}")
    if renderer is None:
        renderer = "browser" if browser.unavailable_reason(executable) is None else "static"
    layout = build_layout(
        frame, state, briefing,
        airbases=airbases is not None and not airbases.empty,
        roads=roads is not None and not roads.empty,
        roads_schematic=roads is not None and bool(schematic(roads).any()),
        roads_real=roads is not None and not bool(schematic(roads).all()),
        roads_source=roads.attrs.get("source") if roads is not None else None,
        towns=cities, fmt=fmt, clock=clock,
    )
    w, h = briefing.page.css_px
    layout = with_detail(layout, view_detail(state, layout.bounds, w - MAP_SIDE_PX, h - MAP_FURNITURE_PX,
                                             folder=basemap_dir))
    if renderer == "browser":
        out = browser.render_browser(frame, state, layout, fmt, airbases=airbases, roads=roads, countries=countries,
                                     cities=cities, vendor_dir=vendor_dir, executable=executable)
        return Rendered(out.data, "browser", out.blocked)
    return Rendered(static.render_static(state, layout, fmt, airbases=airbases, roads=roads, countries=countries), "static")
