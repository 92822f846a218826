"""Exports from the rows the map already holds, instead of a fresh read of the whole store.

The dashboard keeps the store in memory as geo.store.frames frames and filters them in milliseconds; an
export starts from those filtered mention rows. They lack one column of Store.mention_frame(): the
sentence around each mention (it needs the article's full text). `export` reads the texts of only the
articles a format shows sentences of — every matching article for the data files, the first few per
place for the HTML map's popups, none for a briefing picture — and cuts the sentences out here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.exports import data as data_exports
from geo.exports.html import VENDOR_DIR, to_html
from geo.exports.layout import Briefing
from geo.exports.render import PICTURE_FORMATS, Rendered, render
from geo.maps.html import MAX_ARTICLES_IN_POPUP
from geo.text import sentence_spans
from geo.view.state import MapState

DATA_FORMATS = ("geojson", "csv", "kml", "gpkg")
Texts = Callable[[list[str]], Mapping[str, str]]  # article ids → {id: full text}, e.g. geo.store.frames.article_texts


def prefiltered(state: MapState) -> MapState:
    """The state to draw rows that already hold only what `state` shows (the dashboard's filtered map data).

    Every filter of MapState gives the same rows when applied again — except the text search: the
    dashboard matched it against whole articles, the exports' own filtering only sees titles and mention
    texts, and would drop rows the analyst sees. So the search is left out; the view, layers, dates and
    title stay.
    """
    return state.with_(query="")


def popup_rows(frame: pd.DataFrame, per_place: int = MAX_ARTICLES_IN_POPUP) -> np.ndarray:
    """Which rows an HTML map's popup quotes: per place, those of its first `per_place` articles (in frame order)."""
    if frame.empty:
        return np.zeros(0, bool)
    key = ["name", "lat", "lon", "feature"]
    firsts = frame[key + ["article_id"]].drop_duplicates()
    firsts = firsts[firsts.groupby(key, dropna=False, sort=False).cumcount() < per_place]
    shown = pd.MultiIndex.from_frame(firsts)
    return pd.MultiIndex.from_frame(frame[key + ["article_id"]]).isin(shown)


def with_sentences(frame: pd.DataFrame, texts: Mapping[str, str], rows: np.ndarray | None = None) -> pd.DataFrame:
    """The frame with a `sentence` column cut from the articles' texts (as Store.mention_frame has it).

    `rows` (a boolean mask) limits the work to some rows; the others get an empty sentence, as does a
    mention whose article text is missing or whose offsets no longer fit it.
    """
    out = [""] * len(frame)
    if frame.empty:
        return frame.assign(sentence=pd.Series(out, index=frame.index, dtype=object))
    positions = np.flatnonzero(rows) if rows is not None else range(len(frame))
    ids, starts, ends = frame["article_id"].to_numpy(), frame["start"].to_numpy(), frame["end"].to_numpy()
    spans: dict[str, list[tuple[int, int]]] = {}
    for i in positions:
        text = texts.get(ids[i])
        start, end = int(starts[i]), int(ends[i])
        if not isinstance(text, str) or not 0 <= start < end <= len(text):
            continue
        if ids[i] not in spans:
            spans[ids[i]] = sentence_spans(text)
        s, e = next(((s, max(e, end)) for s, e in spans[ids[i]] if s <= start < e or (s <= start and end <= e)),
                    (start, end))  # as geo.text.sentence_around, with the article's spans computed once
        out[i] = text[s:e]
    return frame.assign(sentence=pd.Series(out, index=frame.index, dtype=object))


def _needs_sentences(fmt: str, frame: pd.DataFrame) -> np.ndarray | None:
    """The rows whose sentence `fmt` shows (None: all of them)."""
    if fmt in DATA_FORMATS:
        return None
    if fmt == "html":
        return popup_rows(frame)
    return np.zeros(len(frame), bool)


def _article_ids(frame: pd.DataFrame, rows: np.ndarray | None) -> list[str]:
    ids = frame["article_id"] if rows is None else frame["article_id"][rows]
    return ids.drop_duplicates().tolist()


def complete(frame: pd.DataFrame, fmt: str, texts: Texts | Mapping[str, str] | None) -> pd.DataFrame:
    """The rows with what `fmt` reads: the sentences it shows, from the texts of just those articles."""
    if "sentence" in frame:
        return frame
    rows = _needs_sentences(fmt, frame)
    if texts is None or (rows is not None and not rows.any()):
        return frame.assign(sentence="")
    needed = texts if isinstance(texts, Mapping) else texts(_article_ids(frame, rows))
    return with_sentences(frame, needed, rows)


def export(
    fmt: str,
    frame: pd.DataFrame,
    state: MapState,
    *,
    texts: Texts | Mapping[str, str] | None = None,
    filtered: bool = False,
    briefing: Briefing | None = None,
    renderer: str | None = None,
    title: str = "",
    subtitle: str = "",
    airbases: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    cities: pd.DataFrame | None = None,
    vendor_dir: Path = VENDOR_DIR,
) -> Rendered:
    """One export of what `state` shows, as bytes (`Rendered.renderer` is "" for the non-picture formats).

    `frame`: mention rows — Store.mention_frame() or geo.store.frames's (which lack sentences: `texts` then
    gives the articles' texts, read only for the rows the format quotes). `filtered=True` says the rows
    already are what `state` shows (see `prefiltered`). `airbases`, `roads`, `cities` (towns: name, lat,
    lon, population): the reference layers, drawn where the state's layers include them.
    """
    if filtered:
        state = prefiltered(state)
    else:
        frame = state.apply(frame)
    frame = complete(frame, fmt, texts)
    if fmt in DATA_FORMATS:
        return Rendered(getattr(data_exports, f"to_{fmt}")(frame), "")
    if fmt == "html":
        return Rendered(to_html(frame, state, title=title, subtitle=subtitle, airbases=airbases, roads=roads,
                                countries=countries, cities=cities, vendor_dir=vendor_dir), "")
    if fmt in PICTURE_FORMATS:
        briefing = briefing or Briefing(title=title or state.title or "Conflict Map", subtitle=subtitle)
        return render(frame, state, briefing, fmt, renderer=renderer, airbases=airbases, roads=roads,
                      countries=countries, cities=cities, vendor_dir=vendor_dir)
    raise ValueError(f"format {fmt!r}: use one of {', '.join((*PICTURE_FORMATS, 'html', *DATA_FORMATS))}")


def texts_from(store) -> Texts:
    """The article-texts reader of a store (one query per 500 articles), for `export(texts=...)`."""
    from geo.store.frames import article_texts

    def read(ids: Iterable[str]) -> Mapping[str, str]:
        return article_texts(store, ids)

    return read
