"""The rows a map reads, made from one article before it is stored (the Add article page's preview)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.store import FRAME_COLUMNS
from geo.text import sentence_around
from geo.types import Article, ResolvedMention


def mentions_frame(article: Article, mentions: Iterable[ResolvedMention]) -> pd.DataFrame:
    """The rows Store.mention_frame() would give for one article, for previewing it before it is stored."""
    rows = []
    for m in mentions:
        s, e = sentence_around(article.text, m.start, m.end)
        meta = {"article_id": article.id, "title": article.title, "source": article.source, "url": article.url}
        rows.append(
            meta
            | {"published": article.published, "ingested_at": pd.NaT, "start": m.start, "end": m.end, "text": m.text}
            | {"name": m.display_name, "gazetteer_name": m.name, "lat": m.lat, "lon": m.lon, "feature": m.feature,
               "country": m.country}
            | {"geonameid": m.geonameid, "score": m.score, "sentence": article.text[s:e]}
        )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def places_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved place: name, feature, country, lat, lon, mentions, articles, score (best)."""
    columns = ["name", "feature", "country", "lat", "lon", "mentions", "articles", "score"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby(["name", "lat", "lon", "feature"], dropna=False, sort=False)
    out = grouped.agg(
        country=("country", "first"),
        mentions=("article_id", "size"),
        articles=("article_id", "nunique"),
        score=("score", "max"),
    ).reset_index()
    out["score"] = out["score"].round(3)
    return out[columns].sort_values(["mentions", "name"], ascending=[False, True], ignore_index=True)
