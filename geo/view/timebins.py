"""Time in bins for the timeline and the time player: day, week or month, chosen from the span.

Daily bars over years are a few pixels of noise each, so the bin follows the span ("auto"): days up to
about three months, weeks up to about two years, months beyond. Everything counts *when* a row happened
(geo.view.filters.row_when: an event's own date, else its article's day), so an event reported a week
later sits on the day it happened. Counted with numpy on day numbers: this runs on every new filter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.view.filters import row_when

STEPS = ("day", "week", "month")
DAY_SPAN_MAX = 92  # days: up to ~3 months, one bar a day
WEEK_SPAN_MAX = 731  # days: up to ~2 years, one bar a week; beyond, one a month
COUNT_COLUMNS = ["day", "mentions", "articles"]


def choose_step(first, last) -> str:
    """The bin for data from `first` to `last` (dates): day, week or month."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "day"
    span = (pd.Timestamp(last) - pd.Timestamp(first)).days + 1
    return "day" if span <= DAY_SPAN_MAX else "week" if span <= WEEK_SPAN_MAX else "month"


def resolve(step: str, first, last) -> str:
    """A MapState's step ("auto" or a bin) as the bin to use for data from `first` to `last`."""
    return step if step in STEPS else choose_step(first, last)


def starts(days: np.ndarray, step: str) -> np.ndarray:
    """The first day of each day's bin (datetime64[D]): the day, its week's Monday, its month's first."""
    d = np.asarray(days, "datetime64[D]")
    if step == "week":
        return d - ((d.astype(np.int64) + 3) % 7).astype("timedelta64[D]")  # 1970-01-01 was a Thursday
    if step == "month":
        return d.astype("datetime64[M]").astype("datetime64[D]")
    return d


def index(days: np.ndarray, first, step: str) -> np.ndarray:
    """Each day's bin number counted from the bin that starts at `first` (a bin start)."""
    d = starts(days, step)
    f = np.datetime64(pd.Timestamp(first).date(), "D")
    if step == "month":
        return (d.astype("datetime64[M]").astype(np.int64) - f.astype("datetime64[M]").astype(np.int64))
    return (d - f).astype(np.int64) // (7 if step == "week" else 1)


def bin_range(first, last, step: str) -> pd.DatetimeIndex:
    """The starts of every bin from the one holding `first` to the one holding `last`."""
    lo, hi = starts(np.array([pd.Timestamp(first).date(), pd.Timestamp(last).date()], "datetime64[D]"), step)
    freq = {"week": "W-MON", "month": "MS"}.get(step, "D")
    return pd.date_range(pd.Timestamp(lo), pd.Timestamp(hi), freq=freq)


def bin_end(start, step: str) -> pd.Timestamp:
    """The last day of the bin that starts at `start`."""
    start = pd.Timestamp(start)
    if step == "week":
        return start + pd.Timedelta(days=6)
    if step == "month":
        return start + pd.offsets.MonthEnd(0)
    return start


def label(start, step: str) -> str:
    """A bin as people say it: 2 Mar 2017, week of 27 Feb 2017, Mar 2017."""
    start = pd.Timestamp(start)
    if step == "week":
        return f"week of {start.day} {start:%b %Y}"
    if step == "month":
        return f"{start:%b %Y}"
    return f"{start.day} {start:%b %Y}"


def _valid_days(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(when each row happened as datetime64[D], which rows have a date)."""
    when = row_when(frame).to_numpy("datetime64[D]")
    return when, ~np.isnat(when)


def span(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(first, last) day the rows happened on, or None without dates."""
    if frame is None or frame.empty:
        return None
    when, ok = _valid_days(frame)
    if not ok.any():
        return None
    return pd.Timestamp(when[ok].min()), pd.Timestamp(when[ok].max())


def counts(frame: pd.DataFrame, step: str, bins: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Mentions and articles per bin ("day": the bin's first day), empty bins included.

    `bins`: the bin starts to count in (bin_range), e.g. the whole timeline's when `frame` is a part of it;
    rows outside them are left out. By default the bins from the first row's to the last's.
    """
    if frame is None or frame.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    when, ok = _valid_days(frame)
    ids = frame["article_id"].notna().to_numpy()
    ok &= ids
    if not ok.any():
        return pd.DataFrame(columns=COUNT_COLUMNS)
    if bins is None:
        bins = bin_range(when[ok].min(), when[ok].max(), step)
    pos = index(when, bins[0], step)
    ok &= (pos >= 0) & (pos < len(bins))
    pos = pos[ok]
    article = frame["article_pos"].to_numpy()[ok] if "article_pos" in frame else pd.factorize(frame["article_id"])[0][ok]
    mentions = np.bincount(pos, minlength=len(bins))
    width = int(article.max()) + 1 if len(article) else 1
    pairs = np.unique(pos * width + article)  # each article once per bin
    articles = np.bincount(pairs // width, minlength=len(bins))
    return pd.DataFrame({"day": bins, "mentions": mentions.astype(np.int64), "articles": articles.astype(np.int64)})


def counts_by_type(frame: pd.DataFrame, step: str, bins: pd.DatetimeIndex) -> pd.DataFrame:
    """Mentions per bin split by what happened: one column per event type present (by name) and "no event";
    the bins of `counts`, so that each row adds up to its mentions."""
    if frame is None or frame.empty or "event_type" not in frame or len(bins) == 0:
        return pd.DataFrame({"day": bins})
    when, ok = _valid_days(frame)
    ok &= frame["article_id"].notna().to_numpy()
    pos = index(when, bins[0], step)
    ok &= (pos >= 0) & (pos < len(bins))
    codes, labels = pd.factorize(frame["event_type"].to_numpy(object)[ok], use_na_sentinel=True)
    labels = [str(x) for x in labels] + ["no event"]
    codes = np.where(codes < 0, len(labels) - 1, codes)
    kinds = sorted({labels[c] for c in np.unique(codes)})
    column = np.array([kinds.index(k) if k in kinds else 0 for k in labels], np.int64)
    kind_pos = column[codes]
    table = np.zeros((len(bins), len(kinds)), np.int64)
    np.add.at(table, (pos[ok], kind_pos), 1)
    return pd.DataFrame({"day": bins, **{k: table[:, i] for i, k in enumerate(kinds)}})


def player_cells(frame: pd.DataFrame, places: pd.DataFrame, step: str) -> dict:
    """Mentions per place and bin, compactly, for the map's time player.

    {"step", "bins": [ISO first day of each bin], "place": [row of `places`], "bin": [...], "count": [...]}:
    only the cells with mentions, in time order.
    """
    empty = {"step": step, "bins": [], "place": [], "bin": [], "count": []}
    if frame is None or frame.empty or places.empty:
        return empty
    when, ok = _valid_days(frame)
    if not ok.any():
        return empty
    bins = bin_range(when[ok].min(), when[ok].max(), step)
    row = pd.Series(np.arange(len(places)), index=places["place_id"].to_numpy())
    place = frame["place_id"].map(row).to_numpy()
    ok &= ~pd.isna(place)
    cells = pd.DataFrame({"bin": index(when[ok], bins[0], step), "place": place[ok].astype(np.int64)})
    cells = cells.value_counts().sort_index()
    return {
        "step": step,
        "bins": [d.date().isoformat() for d in bins],
        "place": cells.index.get_level_values("place").tolist(),
        "bin": cells.index.get_level_values("bin").tolist(),
        "count": cells.to_numpy().tolist(),
    }
