"""The view: the mentions and articles the filters let through, and what the pages derive from them.

Views are made once per store version and filters and shared read-only by every session
(`filtered`), so each aggregate is computed once, on first use, however many analysts look.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from geo.store import frames
from geo.view.cache import SharedCache
from geo.view.filters import select

if TYPE_CHECKING:
    from geo.view.state import MapState


@dataclass(frozen=True)
class View:
    """The mentions and articles the filters let through, with what the pages derive from them."""

    frame: pd.DataFrame  # mention rows (geo.store.frames.MENTION_COLUMNS)
    article_ids: pd.Index  # matching articles, newest first (incl. articles without places unless place filters)
    places: pd.DataFrame  # geo.store.frames.places(frame)
    key: tuple = ()  # (store version, filters): what anything made from this view can be kept under (shared)

    @cached_property
    def bounds(self) -> list[list[float]] | None:
        """Where most of the mentions are (geo.maps.base.mention_bounds), once per view."""
        from geo.maps.base import mention_bounds

        return mention_bounds(self.frame)

    @cached_property
    def days(self) -> pd.DataFrame:
        """Mentions per day (geo.store.frames.timeline), once per view."""
        return frames.timeline(self.frame, "day")

    @cached_property
    def days_by_type(self) -> pd.DataFrame:
        """Mentions per day by event type (geo.store.frames.event_timeline), once per view."""
        return frames.event_timeline(self.frame, "day", days=self.days)

    @cached_property
    def events(self) -> pd.DataFrame:
        """geo.store.frames.event_summary(frame), computed once per view."""
        return frames.event_summary(self.frame)

    @cached_property
    def timeline_svg(self) -> str:
        """The timeline chart without a selected place: the same for every visitor with these filters."""
        from geo.maps.timeline import timeline_svg

        return timeline_svg(self.days, by_type=self.days_by_type)


_VIEWS = SharedCache(entries=8)


def make_view(data: frames.MapData, state: MapState, key: tuple = ()) -> View:
    """The view of the store for these filters, made anew (geo.view.filters.select)."""
    frame, article_ids = select(data, state)
    return View(frame, article_ids, frames.places(frame), key)


def filtered(data: frames.MapData, state: MapState) -> View:
    """The view for these filters; the last few are kept (shared by sessions, read-only)."""
    key = (data.version, state.filters)
    return _VIEWS.get(key, lambda: make_view(data, state, key))
