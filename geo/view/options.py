"""What the filters offer (the values the store holds) and how their values read in the sidebar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.store.frames import MapData
    from geo.view.state import MapState

BASEMAP_LABELS = {
    "offline": "Offline: Natural Earth outlines",
    "local": "Local tiles (static/tiles)",
    "osm": "OpenStreetMap (needs internet)",
    "satellite": "Satellite, Esri World Imagery (needs internet)",
}
COUNTRY_NAMES = {"SY": "Syria", "IQ": "Iraq", "UA": "Ukraine", "RU": "Russia", "TR": "Türkiye", "LB": "Lebanon",
                 "JO": "Jordan", "IL": "Israel", "IR": "Iran", "US": "United States", "GB": "United Kingdom"}


@dataclass(frozen=True)
class FilterOptions:
    """The values each filter can take in this store, and its first and last day (None when empty)."""

    sources: list[str]
    languages: list[str]
    countries: list[str]
    features: list[str]
    event_types: list[str]
    actors: list[str]
    first: date | None
    last: date | None

    @property
    def has_range(self) -> bool:
        """Whether the articles span more than one day (a date range can be picked)."""
        return self.first is not None and self.first < self.last


def filter_options(data: MapData, event_types: Sequence[str]) -> FilterOptions:
    """The store's filter values; event types in the order given (the legend's), only those that occur."""
    m, a = data.mentions, data.articles
    days = a["day"].dropna()
    found = set(m["event_type"].dropna().unique())
    return FilterOptions(
        sources=sorted(a["source"].dropna().unique().tolist()),
        languages=sorted(a["language"].dropna().unique().tolist()),
        countries=sorted(m["country"].dropna().unique().tolist()),
        features=sorted(m["feature"].dropna().unique().tolist()),
        event_types=[t for t in event_types if t in found],
        actors=sorted(set(m["actor1"].dropna().unique()) | set(m["actor2"].dropna().unique())),
        first=days.min().date() if not days.empty else None,
        last=days.max().date() if not days.empty else None,
    )


def picked_range(state: MapState, opts: FilterOptions) -> tuple[date, date] | None:
    """The state's dates as a range within the store's (for a date slider); None when there is no range."""
    if not opts.has_range:
        return None
    first, last = opts.first, opts.last
    lo = date.fromisoformat(state.date_from) if state.date_from else first
    hi = date.fromisoformat(state.date_to) if state.date_to else last
    lo, hi = max(min(lo, last), first), max(min(hi, last), first)
    return min(lo, hi), max(lo, hi)


def range_dates(picked: object, opts: FilterOptions) -> tuple[str | None, str | None]:
    """(date_from, date_to) of a picked range: None for an end at the store's own first or last day."""
    date_from = date_to = None
    if isinstance(picked, (tuple, list)) and len(picked) == 2 and opts.first is not None:
        if picked[0] > opts.first:
            date_from = picked[0].isoformat()
        if picked[1] < opts.last:
            date_to = picked[1].isoformat()
    return date_from, date_to


def country_label(code: str) -> str:
    return f"{code} · {COUNTRY_NAMES[code]}" if code in COUNTRY_NAMES else code


def compact(n: int) -> str:
    """A count short enough for a sidebar metric (three to a row): 950, 2k, 12k, 205k, 1.2M."""
    n = int(n)
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{round(n / 1000)}k"
    return f"{n / 1e6:.1f}M"
