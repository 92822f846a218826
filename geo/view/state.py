"""The map's state in one place: view, filters, layers and selection.

The dashboard keeps it in the URL (share links), exports render it, and the store's mention frame is
filtered by it, so what a briefer exports is exactly what the analyst sees.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

import pandas as pd

from geo.io.validate import iso_date, one_line
from geo.view import filters

DEFAULT_LAYERS = ("places", "air bases", "roads")
# Every layer the dashboard map can draw; the first three are on by default.
LAYERS = DEFAULT_LAYERS + ("clusters", "cities", "heatmap", "countries", "events", "time")
BASEMAPS = ("offline", "local", "osm", "satellite")  # local: a tile folder; osm/satellite need internet
STEPS = ("auto", "day", "week", "month")  # the timeline's bins and the time player's step; auto: from the span
MAX_RADIUS_KM = 500


def _finite(raw: str) -> float:
    """A float from a share link; inf and nan are malformed values like any other."""
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {raw!r}")
    return value


_PAIRS = ("center", "selected_at")  # (lat, lon) fields, written as "lat,lon"
_LISTS = ("sources", "countries", "features", "layers", "languages", "event_types", "actors")
_FLAGS = ("facts_only",)


@dataclass(frozen=True)
class MapState:
    center: tuple[float, float] | None = None  # (lat, lon); None = fit to the places
    zoom: int | None = None
    date_from: str | None = None  # ISO dates, inclusive; article date, falling back to ingest date
    date_to: str | None = None
    sources: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    min_score: float = 0.0
    query: str = ""
    layers: tuple[str, ...] = DEFAULT_LAYERS
    selected: str | None = None  # a place name (or an air base's name when selected_kind is "air base")
    title: str = ""
    selected_at: tuple[float, float] | None = None  # (lat, lon) of the selection: names are not unique
    selected_kind: str | None = None  # None: a place in the store; "air base": an airfield of the layer
    languages: tuple[str, ...] = ()  # ISO 639-1 codes of the articles to show (detected at ingest)
    article: str | None = None  # one article's places only (from the Articles page)
    radius_km: int = 50  # "within N km" of a selected air base
    basemap: str = "offline"
    step: str = "auto"  # the timeline's bins and the time player's step (geo.view.timebins)
    event_types: tuple[str, ...] = ()  # ACLED event types: only mentions where such an event happened
    actors: tuple[str, ...] = ()  # only mentions with an event by or against one of these actors
    facts_only: bool = False  # leave out events that were denied, threatened, planned or only possible
    time_from: str | None = None  # the timeline's brush, ISO dates, inclusive: when it happened (the event's own
    time_to: str | None = None  # date, else the article's), where date_from/date_to are the article's dates

    # ----------------------------------------------------------------- URL round trip
    def to_query_params(self) -> dict[str, str]:
        """Only what differs from the default, as strings (st.query_params takes these)."""
        default = MapState()
        out: dict[str, str] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v == getattr(default, f.name):
                continue
            if f.name in _PAIRS:
                out[f.name] = f"{v[0]:.4f},{v[1]:.4f}" if f.name == "center" else f"{v[0]:.5f},{v[1]:.5f}"
            elif isinstance(v, tuple):
                out[f.name] = "|".join(v)
            elif isinstance(v, bool):
                out[f.name] = "1" if v else "0"
            else:
                out[f.name] = str(v)
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, str]) -> MapState:
        """Lenient: a malformed value falls back to the default instead of breaking the page."""
        kw: dict = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None:
                continue
            raw = str(raw)
            if raw == "" and f.name != "layers":  # layers= (empty) means "no layers", not the default
                continue
            try:
                if f.name in _PAIRS:
                    lat, lon = (_finite(x) for x in raw.split(","))
                    if -90 <= lat <= 90 and -180 <= lon <= 180:
                        kw[f.name] = (lat, lon)
                elif f.name == "zoom":
                    kw["zoom"] = max(1, min(18, int(raw)))
                elif f.name == "min_score":
                    kw["min_score"] = max(0.0, min(1.0, _finite(raw)))
                elif f.name == "radius_km":
                    kw["radius_km"] = max(1, min(MAX_RADIUS_KM, int(_finite(raw))))
                elif f.name in _FLAGS:
                    kw[f.name] = raw.lower() in ("1", "true", "yes")
                elif f.name in _LISTS:
                    kw[f.name] = tuple(x for x in raw.split("|") if x)
                elif f.name in ("date_from", "date_to", "time_from", "time_to"):
                    kw[f.name] = iso_date(raw, field=f.name, strict=True)  # a real date the slider can draw, or none
                elif f.name == "basemap":
                    if raw in BASEMAPS:
                        kw["basemap"] = raw
                elif f.name == "step":
                    if raw in STEPS:
                        kw["step"] = raw
                else:
                    kw[f.name] = one_line(raw[:500], field=f.name, limit=500)
            except (ValueError, TypeError, OverflowError):
                continue
        if kw.get("time_from") and kw.get("time_to") and kw["time_from"] > kw["time_to"]:  # dragged right to left
            kw["time_from"], kw["time_to"] = kw["time_to"], kw["time_from"]
        return cls(**kw)

    def with_(self, **changes) -> MapState:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def filters(self) -> tuple:
        """What decides which mentions are shown (not the view, layers or selection): a cache key."""
        return (self.date_from, self.date_to, self.sources, self.countries, self.features, self.min_score,
                self.query, self.article, self.languages, self.event_types, self.actors, self.facts_only,
                self.time_from, self.time_to)

    @property
    def window(self) -> tuple[str | None, str | None]:
        """The brushed time range (time_from, time_to); (None, None) without one."""
        return self.time_from, self.time_to

    def without_window(self) -> MapState:
        """This state with the whole time range: what the timeline under the brush shows."""
        return replace(self, time_from=None, time_to=None) if self.time_from or self.time_to else self

    # ----------------------------------------------------------------- filtering (geo/view/filters.py)
    @staticmethod
    def days(frame: pd.DataFrame) -> pd.Series:
        """Each row's day: its "day" column when the frame has one, else the article date or the ingest date."""
        return filters.row_days(frame)

    def mask(self, frame: pd.DataFrame, *, texts: pd.Series | None = None) -> pd.Series:
        """Which rows of the mention frame this state shows.

        `texts` (optional): searchable text per article, indexed by article_id (e.g. title + full text,
        case-folded). With it, the query matches the whole article; without it, the title, the sentence
        and the mention. Either way it also matches place names.
        """
        return filters.mention_mask(self, frame, texts=texts)

    def matching_articles(self, texts: pd.Series) -> pd.Index:
        """The article ids (the index of `texts`) whose text contains the query, case-folded."""
        return filters.matching_articles(self.query, texts)

    def apply(self, frame: pd.DataFrame, *, texts: pd.Series | None = None) -> pd.DataFrame:
        """The store's mention frame (one row per mention) restricted to what this state shows."""
        if frame.empty:
            return frame
        return frame[self.mask(frame, texts=texts)]


# ----------------------------------------------------------------- links

LEGACY_FOCUS_KEYS = ("place", "lat", "lon")  # links from before MapState: ?place=..&lat=..&lon=..


def parse_focus(params: Mapping[str, str]) -> tuple[float, float] | None:
    """(lat, lon) from ?lat=..&lon=.. query parameters, if both are valid coordinates."""
    try:
        lat, lon = float(params.get("lat", "")), float(params.get("lon", ""))
    except (TypeError, ValueError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None


def from_link(params: Mapping[str, str], focus_zoom: int) -> MapState:
    """MapState from a link's query parameters, including the older ?place=&lat=&lon= focus links
    (shown at `focus_zoom` unless the link gives a zoom)."""
    state = MapState.from_query_params(params)
    focus = parse_focus(params)
    if focus and state.selected_at is None:
        state = state.with_(selected=params.get("place") or None, selected_at=focus, selected_kind=None,
                            center=state.center or focus, zoom=state.zoom or focus_zoom)
    return state
