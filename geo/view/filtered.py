"""The view: the mentions and articles the filters let through, and what the pages derive from them.

Views are made once per store version and filters and shared read-only by every session
(`filtered`), so each aggregate is computed once, on first use, however many analysts look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from geo.store import frames
from geo.view import timebins
from geo.view.cache import SharedCache
from geo.view.event_points import event_points
from geo.view.filters import select

if TYPE_CHECKING:
    from geo.view.state import MapState


@dataclass(frozen=True)
class Timeline:
    """Mentions over time in bins of one size (geo.view.timebins), for the chart under the map."""

    step: str  # day, week or month
    counts: pd.DataFrame  # timebins.counts: "day" (the bin's first day), mentions, articles
    by_type: pd.DataFrame  # timebins.counts_by_type over the same bins

    @cached_property
    def svg(self) -> str:
        """The chart without a selected place or a brushed range: the same for every visitor."""
        from geo.maps.timeline import timeline_svg

        return timeline_svg(self.counts, step=self.step, by_type=self.by_type)


@dataclass(frozen=True)
class View:
    """The mentions and articles the filters let through, with what the pages derive from them."""

    frame: pd.DataFrame  # mention rows (geo.store.frames.MENTION_COLUMNS)
    article_ids: pd.Index  # matching articles, newest first (incl. articles without places unless place filters)
    places: pd.DataFrame  # geo.store.frames.places(frame)
    key: tuple = ()  # (store version, filters): what anything made from this view can be kept under (shared)
    whole: View | None = field(default=None, repr=False)  # the same filters over all time (None: this is it)

    @property
    def overview(self) -> View:
        """The view without the timeline's brushed range: what the timeline draws, the brush over it."""
        return self.whole or self

    @cached_property
    def bounds(self) -> list[list[float]] | None:
        """Where most of the mentions are (geo.maps.base.mention_bounds), once per view."""
        from geo.maps.base import mention_bounds

        return mention_bounds(self.frame)

    @cached_property
    def span(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The first and last day of the whole timeline (the brush does not narrow it)."""
        return self.whole.span if self.whole is not None else timebins.span(self.frame)

    def step(self, requested: str) -> str:
        """A MapState's step ("auto" or a bin size) for this view: the timeline's and the time player's bin."""
        return timebins.resolve(requested, *(self.span or (None, None)))

    def timeline(self, requested: str = "auto") -> Timeline:
        """Mentions per bin under the filters over all time, once per view and bin size."""
        if self.whole is not None:
            return self.whole.timeline(requested)
        step = self.step(requested)
        made = self.__dict__.setdefault("_timelines", {})
        if step not in made:
            counts = timebins.counts(self.frame, step)
            made[step] = Timeline(step, counts, timebins.counts_by_type(self.frame, step, pd.DatetimeIndex(
                counts["day"])) if not counts.empty else pd.DataFrame(columns=["day"]))
        return made[step]

    @property
    def timeline_svg(self) -> str:
        """The timeline chart in the default bins ("auto"), without a selection or a brushed range."""
        return self.timeline().svg

    @cached_property
    def events(self) -> pd.DataFrame:
        """geo.store.frames.event_summary(frame), computed once per view."""
        return frames.event_summary(self.frame)

    @cached_property
    def event_points(self) -> pd.DataFrame:
        """One row per event (geo.view.event_points), computed once per view."""
        return event_points(self.frame)


_VIEWS = SharedCache(entries=8)


def make_view(data: frames.MapData, state: MapState, key: tuple = (), whole: View | None = None) -> View:
    """The view of the store for these filters, made anew (geo.view.filters.select)."""
    frame, article_ids = select(data, state)
    return View(frame, article_ids, frames.places(frame), key, whole)


def filtered(data: frames.MapData, state: MapState) -> View:
    """The view for these filters; the last few are kept (shared by sessions, read-only). With a brushed
    time range, the view over all time comes along (`View.whole`) for the timeline."""
    key = (data.version, state.filters)
    whole = filtered(data, state.without_window()) if state.time_from or state.time_to else None
    return _VIEWS.get(key, lambda: make_view(data, state, key, whole))
