"""Which mentions and articles a map state shows: the one filter the map, the pages and the exports share.

`mention_mask` is the filter; `MapState.mask` / `MapState.apply` call it on any mention frame (the
exports, the command line), and `select` on the dashboard's in-memory store (geo.store.frames.MapData),
where the search is matched once per article by row position instead of once per mention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from geo.store.frames import MapData
    from geo.view.state import MapState


def row_days(frame: pd.DataFrame) -> pd.Series:
    """Each row's day: its "day" column when the frame has one, else the article date or the ingest date."""
    if "day" in frame:
        return frame["day"]
    day = pd.to_datetime(frame["published"], errors="coerce")
    day = day.fillna(pd.to_datetime(frame["ingested_at"], errors="coerce", utc=True).dt.tz_localize(None))
    return day.dt.normalize()


def row_when(frame: pd.DataFrame) -> pd.Series:
    """When each row happened: the event's own date where it has one, else the row's day (row_days).

    geo.store.frames gives it as the "when" column; a frame of the store's full read (an export) has the
    events' dates only where geo.store.frames put them ("event_day"), so the article's day stands in.
    """
    if "when" in frame:
        return frame["when"]
    day = row_days(frame)
    if "event_day" in frame:
        return frame["event_day"].fillna(day)
    return day


def in_window(days: pd.Series, time_from: str | None, time_to: str | None) -> pd.Series:
    """Which days lie in [time_from, time_to] (ISO dates, inclusive; either may be open)."""
    keep = pd.Series(True, index=days.index)
    if time_from:
        keep &= days >= pd.Timestamp(time_from)
    if time_to:
        keep &= days <= pd.Timestamp(time_to)
    return keep


def matching_articles(query: str, texts: pd.Series) -> pd.Index:
    """The article ids (the index of `texts`) whose text contains the query, case-folded."""
    if not query:
        return texts.index
    return texts.index[query_hits(query, texts)]


def query_hits(query: str, texts: pd.Series) -> np.ndarray:
    """Per text (case-folded already), whether it contains the query."""
    return texts.str.contains(query.casefold(), regex=False).fillna(False).to_numpy(bool)


def mention_mask(state: MapState, frame: pd.DataFrame, *, texts: pd.Series | None = None,
                 article_hit: np.ndarray | None = None) -> pd.Series:
    """Which rows of a mention frame the state shows.

    The search matches place names, and: with `article_hit` (whether each article matches, by the row
    position "article_pos" holds), the whole article; with `texts` (searchable text per article,
    indexed by article_id, case-folded), the whole article; with neither, the title, the sentence and
    the mention.
    """
    keep = pd.Series(True, index=frame.index)
    if frame.empty:
        return keep
    keep = _article_filters(state, frame, keep)
    if state.countries:
        keep &= frame["country"].isin(state.countries)
    if state.features:
        keep &= frame["feature"].isin(state.features)
    if state.min_score > 0:
        keep &= frame["score"] >= state.min_score
    if state.event_types or state.actors or state.facts_only:
        keep &= event_mask(state, frame)
    if state.query:
        keep &= _query_mask(state.query, frame, texts, article_hit)
    if state.time_from or state.time_to:  # the timeline's brush: when it happened, not when it was written
        keep &= in_window(row_when(frame), state.time_from, state.time_to)
    return keep


def _article_filters(state: MapState, frame: pd.DataFrame, keep: pd.Series) -> pd.Series:
    """The filters an article passes or fails as a whole: dates, the one article, sources, languages."""
    if state.date_from or state.date_to:
        day = row_days(frame)
        if state.date_from:
            keep &= day >= pd.Timestamp(state.date_from)
        if state.date_to:
            keep &= day <= pd.Timestamp(state.date_to)
    if state.article:
        keep &= frame["article_id"] == state.article
    if state.sources:
        keep &= frame["source"].isin(state.sources)
    if state.languages and "language" in frame:
        keep &= frame["language"].isin(state.languages)
    return keep


def _query_mask(query: str, frame: pd.DataFrame, texts: pd.Series | None,
                article_hit: np.ndarray | None) -> np.ndarray:
    q = query.casefold()
    hit = pd.Series(False, index=frame.index)
    for column in ("name", "gazetteer_name"):  # Palmyra or Tadmur: the display name or the gazetteer's
        if column in frame:
            names = [n for n in frame[column].dropna().unique() if q in str(n).casefold()]  # few distinct names
            hit |= frame[column].isin(names)
    if article_hit is not None:
        return hit.to_numpy(bool) | article_hit[frame["article_pos"].to_numpy()]
    if texts is not None:
        hit |= frame["article_id"].isin(matching_articles(query, texts))
    else:
        cols = [c for c in ("title", "sentence", "text") if c in frame]
        hay = frame[cols[0]].fillna("") if cols else pd.Series("", index=frame.index)
        for c in cols[1:]:
            hay = hay + " " + frame[c].fillna("")
        hit |= hay.str.casefold().str.contains(q, regex=False)
    return hit.to_numpy(bool)


def event_mask(state: MapState, frame: pd.DataFrame) -> pd.Series:
    """Mentions with an event that passes the event filters (a frame without events has none)."""
    if "event_type" not in frame:
        return pd.Series(False, index=frame.index)
    keep = frame["event_type"].notna()
    if state.event_types:
        keep &= frame["event_type"].isin(state.event_types)
    if state.actors:
        keep &= frame["actor1"].isin(state.actors) | frame["actor2"].isin(state.actors)
    if state.facts_only:
        keep &= frame["modality"] == "fact"
    return keep.fillna(False).astype(bool)


def select(data: MapData, state: MapState) -> tuple[pd.DataFrame, pd.Index]:
    """(the mention rows, the ids of the matching articles, newest first) the state shows in the store.

    Articles without places count too, unless a filter is about places (countries, place types, score,
    events): they pass the article filters and, with a search, must match it in their text.
    """
    mentions, articles = data.mentions, data.articles
    article_hit = query_hits(state.query, data.texts) if state.query else None
    mask = mention_mask(state, mentions, article_hit=article_hit).to_numpy(bool)
    frame = mentions if mask.all() else mentions[mask]
    has_places = np.zeros(len(articles), bool)
    has_places[frame["article_pos"].to_numpy()] = True
    if state.countries or state.features or state.min_score > 0 or state.event_types or state.actors \
            or state.facts_only:
        keep = has_places
    else:
        keep = _article_filters(state, articles, pd.Series(True, index=articles.index)).to_numpy(bool) \
            if not articles.empty else np.ones(len(articles), bool)
        if (state.time_from or state.time_to) and not articles.empty:
            # An article with places is in the brushed range when one of them is; one without, by its own day.
            named = np.zeros(len(articles), bool)
            named[mentions["article_pos"].to_numpy()] = True
            own_day = in_window(row_days(articles), state.time_from, state.time_to).to_numpy(bool)
            keep = keep & np.where(named, has_places, own_day)
        if article_hit is not None:
            keep = keep & (article_hit | has_places)
    return frame, articles.index[keep]
