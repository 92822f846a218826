"""What a briefing shows, shared by every renderer: the page, its furniture and the numbered article list.

The renderers (static.py with matplotlib, browser.py with headless Chromium) draw the same `Layout`,
so a PNG from either one carries the same title, legend, time window, attribution and article numbers.
Text here is raw: each renderer escapes it for its own medium.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from geo.maps.base import (
    ATTRIBUTION,
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    FIT_MAX_ZOOM,
    PLACE_NAMES_CREDIT,
    mention_bounds,
)
from geo.maps.compose import Rows, legend_features
from geo.maps.legend import LegendEntry, legend_entries
from geo.store import frames as mapdata
from geo.view.state import MapState

CSS_PX_PER_IN = 96  # what browsers call a pixel; Leaflet's zoom levels are in these


@dataclass(frozen=True)
class PageSize:
    """A page in inches, and how many raster pixels per inch its PNG has."""

    name: str
    width_in: float
    height_in: float
    png_ppi: int

    @property
    def css_px(self) -> tuple[int, int]:
        """The page in CSS pixels (the browser renderer's viewport)."""
        return round(self.width_in * CSS_PX_PER_IN), round(self.height_in * CSS_PX_PER_IN)

    @property
    def png_px(self) -> tuple[int, int]:
        return round(self.width_in * self.png_ppi), round(self.height_in * self.png_ppi)

    @property
    def scale(self) -> float:
        """PNG pixels per CSS pixel (the browser's device scale factor)."""
        return self.png_ppi / CSS_PX_PER_IN


# The slide presets are a 13.33 × 7.5 in widescreen page (PowerPoint's own), rasterised at 1920 × 1080
# or twice that; the paper presets are landscape. Every preset can be written as PNG or PDF.
SIZES: dict[str, PageSize] = {
    "1920x1080": PageSize("1920x1080", 1280 / CSS_PX_PER_IN, 720 / CSS_PX_PER_IN, 144),
    "1920x1080@2x": PageSize("1920x1080@2x", 1280 / CSS_PX_PER_IN, 720 / CSS_PX_PER_IN, 288),
    "A4": PageSize("A4", 297 / 25.4, 210 / 25.4, 192),
    "Letter": PageSize("Letter", 11.0, 8.5, 192),
}

# Named banner colours (foreground, background). The marking colours follow the usual conventions for
# classification banners; the words on the banner are whatever the briefer types.
BANNER_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#ffffff", "#007a33"),
    "blue": ("#ffffff", "#0033a0"),
    "red": ("#ffffff", "#c8102e"),
    "orange": ("#000000", "#ff8c00"),
    "yellow": ("#000000", "#fce83a"),
    "purple": ("#ffffff", "#502b85"),
    "grey": ("#ffffff", "#555555"),
    "black": ("#ffffff", "#000000"),
}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")



class LayoutError(ValueError):
    """A briefing setting that cannot be drawn (unknown size, malformed colour)."""


def banner_colours(spec: str) -> tuple[str, str]:
    """`green`, `#112233` (background; text black or white to contrast) or `#ffffff/#007a33` (fg/bg)."""
    spec = spec.strip()
    if spec.lower() in BANNER_COLOURS:
        return BANNER_COLOURS[spec.lower()]
    if "/" in spec:
        fg, bg = (s.strip() for s in spec.split("/", 1))
        if _HEX.match(fg) and _HEX.match(bg):
            return fg.lower(), bg.lower()
    elif _HEX.match(spec):
        r, g, b = (int(spec[i : i + 2], 16) for i in (1, 3, 5))
        return ("#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"), spec.lower()
    names = ", ".join(BANNER_COLOURS)
    raise LayoutError(f"banner colour {spec!r}: use one of {names}, #rrggbb, or #fg/#bg")


@dataclass(frozen=True)
class Briefing:
    """What the briefer chooses: the words on the page, the banner, and the page size."""

    title: str = "Conflict Map"
    subtitle: str = ""
    banner: str = ""  # e.g. "UNCLASSIFIED"; empty: no banner bands
    banner_fg: str = "#ffffff"
    banner_bg: str = "#007a33"
    size: str = "1920x1080"
    max_articles: int | None = None  # articles numbered and listed (None: NUMBERED[fmt]); the rest only counted

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise LayoutError(f"size {self.size!r}: use one of {', '.join(SIZES)}")
        for c in (self.banner_fg, self.banner_bg):
            if not _HEX.match(c):
                raise LayoutError(f"banner colour {c!r} is not #rrggbb")

    @classmethod
    def with_banner_colour(cls, colour: str, **kw) -> Briefing:
        fg, bg = banner_colours(colour)
        return cls(banner_fg=fg, banner_bg=bg, **kw)

    @property
    def page(self) -> PageSize:
        return SIZES[self.size]


# How a briefing's side panel makes room for every numbered source, tried in order by both renderers:
# (type scale, columns of sources, panel width in CSS pixels). A PDF tries the first PDF_FIT_STEPS, then
# continues the list on further pages; a PNG goes on until the list fits.
FIT_STEPS = ((1.0, 1, 340), (0.92, 1, 340), (0.84, 1, 360), (0.84, 2, 470), (0.76, 2, 520), (0.7, 2, 580),
             (0.66, 3, 760), (0.6, 3, 820))
PDF_FIT_STEPS = 5

# How many articles a briefing numbers by default: all that a slide's side panel holds legibly, and on paper
# as many as continuation pages hold. The rest are counted ("N more, not numbered"); no label cites them.
NUMBERED = {"png": 12, "pdf": 100}


@dataclass(frozen=True)
class ArticleRef:
    number: int
    article_id: str
    title: str
    source: str
    published: str
    url: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """Everything around the map, as data, and what the static renderer draws on it: the shown rows'
    places (geo.store.frames.places), events (geo.view.event_points, one row each) and mentions per country."""

    briefing: Briefing
    title: str
    subtitle: str
    legend: tuple[LegendEntry, ...]
    time_window: str
    generated: str
    attribution: str
    articles: tuple[ArticleRef, ...]  # every one is listed: labels cite these numbers
    more_articles: int  # articles behind the map beyond the numbered ones (counted, never cited)
    summary: str
    places: pd.DataFrame = field(repr=False, compare=False)
    events: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)
    country_counts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)
    place_articles: dict = field(default_factory=dict, repr=False, compare=False)  # place key → article numbers
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None  # ((south, west), (north, east))
    drawn: frozenset[str] = frozenset()  # the layers drawn (those of the state that have their data)
    towns: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # the cities layer's towns
    roads_source: str | None = None
    detail: Any = field(default=None, repr=False, compare=False)  # geo.exports.detail.Detail, when drawn

    @property
    def banner(self) -> str:
        return plain(self.briefing.banner)


# ---------------------------------------------------------------------------------------- text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def plain(value: object, limit: int | None = None) -> str:
    """One line of inert text: no control or bidi-override characters, whitespace folded, trimmed."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = " ".join(_CONTROL.sub(" ", text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# ---------------------------------------------------------------------------------------- dates


def _days(frame: pd.DataFrame) -> pd.Series:
    """Each mention's day: the article's date, else the day it was ingested (as MapState.apply does).

    The dashboard's map data has it already (`day`); parsing 100,000 dates again would take a while.
    """
    if "day" in frame:
        return frame["day"]
    day = pd.to_datetime(frame["published"], errors="coerce")
    ingested = pd.to_datetime(frame["ingested_at"], errors="coerce", utc=True).dt.tz_localize(None)
    return day.fillna(ingested).dt.normalize()


def time_window(frame: pd.DataFrame, state: MapState) -> str:
    """The dates the briefing covers: the state's filter when set, else the span of the articles shown."""
    if state.date_from or state.date_to:
        if state.date_from and state.date_to:
            return f"{state.date_from} to {state.date_to}"
        return f"from {state.date_from}" if state.date_from else f"up to {state.date_to}"
    if frame.empty:
        return "no articles"
    days = _days(frame).dropna()
    if days.empty:
        return "undated articles"
    lo, hi = days.min().date().isoformat(), days.max().date().isoformat()
    return f"{lo} (article dates)" if lo == hi else f"{lo} to {hi} (article dates)"


# ---------------------------------------------------------------------------------------- content


def drawn_layers(state: MapState, *, airbases: bool = False, roads: bool = False, cities: bool = False) -> set[str]:
    """The state's layers that have something to draw them from (air bases, roads and towns need their data;
    the time player is a control of the screen, not a picture)."""
    missing = {name for name, there in (("air bases", airbases), ("roads", roads), ("cities", cities)) if not there}
    return set(state.layers) - missing - {"time"}


CITE_GROUPS = 6  # a label cites at most this many runs of article numbers, then "+N" more (all listed)


def citation(numbers) -> str:
    """Article numbers as a label cites them: " [1–3,5]", runs joined; past CITE_GROUPS runs, "+N" more."""
    nums = sorted({int(n) for n in numbers})
    if not nums:
        return ""
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    shown = runs[:CITE_GROUPS]
    text = ",".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ",".join(map(str, r)) for r in shown)
    rest = sum(len(r) for r in runs[CITE_GROUPS:])
    return f" [{text}{f' +{rest}' if rest else ''}]"


def more_note(layout: Layout) -> str:
    """What the source list leaves out: the articles past the numbered ones, which no label cites."""
    n = layout.more_articles
    return f"and {n:,} more article{'s' if n != 1 else ''}, not numbered (no label cites them)" if n else ""


def attribution(drawn: set[str] | frozenset[str], *, roads_source: str | None = None, detail: str = "",
                tiles: str = "") -> str:
    """Every source the picture draws from: the gazetteer's names, airfields, boundaries; the detailed
    basemap's shorelines (`detail`: its own credit line), the roads' source, web tiles' owner."""
    parts = [ATTRIBUTION]
    credit = plain(detail)
    if "Towns: GeoNames" in credit:  # GeoNames credited once, for the towns and the places' names (as the map does)
        parts = [ATTRIBUTION.removeprefix(PLACE_NAMES_CREDIT),
                 credit.replace("Towns: GeoNames", "Towns and place names: GeoNames")]
    elif credit:
        parts.append(credit)
    if "roads" in drawn and roads_source:
        parts.append(f"Roads: {plain(roads_source)}")
    if tiles:
        parts.append(f"Tiles: {plain(tiles)}")
    return " · ".join(parts)


def article_refs(frame: pd.DataFrame, limit: int | None = None) -> tuple[ArticleRef, ...]:
    """The articles behind the map, oldest first, numbered from 1, each with the places it names.

    Ties on the day go by title, then id. `limit`: only the first so many (the rest are only counted),
    so 100,000 articles cost a sort, not 100,000 objects. Vectorised: a loop over the articles' groups
    took minutes at that size.
    """
    if frame.empty:
        return ()
    ids = frame["article_id"]
    firsts = frame.loc[~ids.duplicated(), ["article_id", "title", "source", "published", "url"]]
    day = pd.Series(_days(frame).to_numpy(), index=frame.index).groupby(ids.to_numpy(), sort=False).min()
    order = pd.DataFrame({
        "day": day.reindex(firsts["article_id"].to_numpy()).fillna(pd.Timestamp.max).to_numpy(),
        "title": [plain(t).casefold() for t in firsts["title"]],
        "article_id": firsts["article_id"].to_numpy(),
        "row": np.arange(len(firsts)),
    }).sort_values(["day", "title", "article_id"], kind="stable")
    rows = order["row"].to_numpy()[: limit if limit is not None else None]
    chosen = firsts.iloc[rows]
    mentions = frame[ids.isin(chosen["article_id"])].sort_values("start", kind="stable")
    names: dict[str, tuple[str, ...]] = {}
    for aid, name in zip(mentions["article_id"], mentions["name"]):
        names.setdefault(aid, ())
        if plain(name) not in names[aid]:
            names[aid] += (plain(name),)
    return tuple(
        ArticleRef(
            number=n,
            article_id=str(a.article_id),
            title=plain(a.title, 400) or "(untitled)",
            source=plain(a.source, 80),
            published=plain(a.published, 32),
            url=plain(a.url, 300),
            places=names.get(a.article_id, ()),
        )
        for n, a in enumerate(chosen.itertuples(index=False), 1)
    )


def place_articles(frame: pd.DataFrame, refs: tuple[ArticleRef, ...]) -> dict[tuple, tuple[int, ...]]:
    """(name, lat, lon, feature) of each place → the numbers of the listed articles that name it."""
    number = {r.article_id: r.number for r in refs}
    listed = frame[frame["article_id"].astype(str).isin(number)] if len(frame) > len(number) else frame
    out: dict[tuple, set[int]] = {}
    for name, lat, lon, feature, aid in zip(listed["name"], listed["lat"], listed["lon"], listed["feature"],
                                            listed["article_id"]):
        if str(aid) in number:
            out.setdefault((name, lat, lon, feature), set()).add(number[str(aid)])
    return {key: tuple(sorted(v)) for key, v in out.items()}


def data_bounds(frame: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Where most mentions are, as the interactive map fits its first view (geo.maps.base.mention_bounds)."""
    bounds = mention_bounds(frame)
    return None if bounds is None else (tuple(bounds[0]), tuple(bounds[1]))


def build_layout(
    frame: pd.DataFrame,
    state: MapState,
    briefing: Briefing,
    *,
    airbases: bool = False,
    roads: bool = False,
    roads_schematic: bool = False,
    roads_real: bool = True,
    roads_source: str | None = None,
    towns: pd.DataFrame | None = None,
    fmt: str = "png",
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Layout:
    """The layout for the mentions `state` shows; `frame` may be the store's whole mention frame.

    `airbases`, `roads`: whether the map has those layers' data; `roads_schematic`: whether some roads are
    schematic (the key then shows their dashed line), `roads_real` whether some are not (else the key shows
    no solid road line); `towns`: the towns (name, lat, lon, population: the basemap's city names, and the
    cities layer when on); `fmt`: png or pdf (how many articles are numbered). See `with_detail` for the
    detailed basemap."""
    shown = state.apply(frame).dropna(subset=["lat", "lon"])
    limit = briefing.max_articles if briefing.max_articles is not None else NUMBERED.get(fmt, NUMBERED["png"])
    refs = article_refs(shown, limit=max(0, limit))
    rows = Rows.of(shown)
    has_towns = towns is not None and not towns.empty
    drawn = drawn_layers(state, airbases=airbases, roads=roads, cities=has_towns)
    places = rows.places if drawn & {"places", "clusters", "heatmap"} else rows.places.iloc[0:0]
    n_articles = shown["article_id"].nunique() if not shown.empty else 0
    summary = (f"{len(places)} place{'s' if len(places) != 1 else ''} · {len(shown)} mention{'s' if len(shown) != 1 else ''}"
               f" · {n_articles} article{'s' if n_articles != 1 else ''}")
    return Layout(
        briefing=briefing,
        title=plain(briefing.title or state.title, 200),
        subtitle=plain(briefing.subtitle, 300),
        legend=tuple(e for e in legend_entries(legend_features(places), drawn, roads_schematic=roads_schematic)
                     if roads_real or e.kind != "line"),
        time_window=time_window(shown, state),
        generated=clock().astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        attribution=attribution(drawn, roads_source=roads_source),
        articles=refs,
        more_articles=max(0, n_articles - len(refs)),
        summary=summary,
        places=places,
        events=rows.event_points if "events" in drawn else rows.event_points.iloc[0:0],
        country_counts=mapdata.country_counts(shown) if "countries" in drawn else mapdata.country_counts(None),
        place_articles=place_articles(shown, refs),
        bounds=data_bounds(shown),
        drawn=frozenset(drawn),
        towns=towns if has_towns else None,
        roads_source=roads_source,
    )


def with_detail(layout: Layout, detail) -> Layout:
    """The layout with the detailed basemap drawn (geo.exports.detail.Detail), credited in the attribution."""
    if detail is None:
        return layout
    return replace(layout, detail=detail, attribution=attribution(layout.drawn, roads_source=layout.roads_source,
                                                                   detail=detail.credit))


# ---------------------------------------------------------------------------------------- view

EARTH_M = 6378137.0  # Web Mercator sphere
WORLD_M = 2 * math.pi * EARTH_M
MAX_MERC_LAT = 85.0511287798
FIT_PADDING_PX = 30  # as the interactive map's fitBounds


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """EPSG:3857 metres (x, y) of a point."""
    lat = max(-MAX_MERC_LAT, min(MAX_MERC_LAT, lat))
    return EARTH_M * math.radians(lon), EARTH_M * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def inverse_mercator(x: float, y: float) -> tuple[float, float]:
    return math.degrees(2 * math.atan(math.exp(y / EARTH_M)) - math.pi / 2), math.degrees(x / EARTH_M)


def metres_per_px(zoom: float) -> float:
    """Web Mercator metres per CSS pixel at a zoom level (256-pixel tiles)."""
    return WORLD_M / (256 * 2**zoom)


def fit_zoom(bounds, width_px: float, height_px: float, *, padding: int = FIT_PADDING_PX, max_zoom: int = FIT_MAX_ZOOM) -> int:
    """The largest whole zoom at which `bounds` fit a box of this many CSS pixels (Leaflet's fitBounds)."""
    (s, w), (n, e) = bounds
    x0, y0 = mercator(s, w)
    x1, y1 = mercator(n, e)
    span_x, span_y = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    usable_w, usable_h = max(width_px - 2 * padding, 1), max(height_px - 2 * padding, 1)
    z = math.floor(math.log2(min(usable_w * WORLD_M / (256 * span_x), usable_h * WORLD_M / (256 * span_y))))
    return max(2, min(max_zoom, z))


def view_extent(state: MapState, bounds, width_px: float, height_px: float) -> tuple[float, float, float, float, float]:
    """(xmin, ymin, xmax, ymax, zoom) in EPSG:3857 for a map box of this many CSS pixels.

    The state's centre and zoom when it has them, else the data's bounds fitted as the interactive map
    fits them, else the map's default view: the same area the browser renderer shows.
    """
    if state.center is not None:
        lat, lon = state.center
        zoom = state.zoom if state.zoom is not None else (fit_zoom(bounds, width_px, height_px) if bounds else DEFAULT_ZOOM)
    elif bounds is not None:
        (s, w), (n, e) = bounds
        zoom = state.zoom if state.zoom is not None else fit_zoom(bounds, width_px, height_px)
        (x0, y0), (x1, y1) = mercator(s, w), mercator(n, e)
        lat, lon = inverse_mercator((x0 + x1) / 2, (y0 + y1) / 2)
    else:
        (lat, lon), zoom = DEFAULT_CENTER, state.zoom if state.zoom is not None else DEFAULT_ZOOM
    cx, cy = mercator(lat, lon)
    res = metres_per_px(zoom)
    return cx - width_px / 2 * res, cy - height_px / 2 * res, cx + width_px / 2 * res, cy + height_px / 2 * res, zoom


def nice_scale_km(max_km: float) -> float:
    """The largest 1, 2 or 5 × 10^n kilometres not above max_km."""
    if max_km <= 0:
        return 1.0
    exp = math.floor(math.log10(max_km))
    for m in (5, 2, 1):
        if m * 10**exp <= max_km:
            return m * 10**exp
    return 10 ** (exp - 1) * 5
