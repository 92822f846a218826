"""What the dashboard map draws, computed fast enough for 100,000 articles.

`load(store)` reads the store with three plain SQL queries (no ORM objects, no per-mention sentence
splitting) into a `MapData`: the mention frame (the columns of Store.mention_frame() except the
sentence, plus each mention's `day` and `place_id`), the articles, and a case-folded search text per
article. The dashboard caches it per `store_version(store)`; filtering it with MapState and
aggregating by place, day or country then takes milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import Engine

from geo.joins import haversine_km
from geo.store import FRAME_COLUMNS
from geo.text import sentence_around

MENTION_COLUMNS = [c for c in FRAME_COLUMNS if c != "sentence"] + ["day", "place_id", "article_pos", "language"]
PLACE_COLUMNS = ["place_id", "name", "feature", "country", "lat", "lon", "mentions", "articles", "score", "last_day"]


@dataclass(frozen=True)
class MapData:
    mentions: pd.DataFrame  # one row per mention, MENTION_COLUMNS (article_pos: the article's row in `articles`)
    articles: pd.DataFrame  # one row per article, indexed by article_id: title, source, url, published, day
    texts: pd.Series = field(repr=False)  # case-folded "title text" per article, same order as `articles`
    version: tuple = ()

    @property
    def empty(self) -> bool:
        return self.mentions.empty and self.articles.empty


@lru_cache(maxsize=8)
def _reflected(engine: Engine):
    """The store's tables as the database has them (reflected once per engine)."""
    meta = MetaData()
    meta.reflect(bind=engine)
    return meta.tables


def _tables(engine: Engine):
    tables = _reflected(engine)
    return tables["articles"], tables["places"], tables["mentions"]


def store_version(store) -> tuple:
    """Changes whenever articles are added, removed or corrected: the cache key of `load`.

    Cheap (index lookups): article count and last ingest, the newest mention and place, and the newest
    entry of the store's audit trail, which every correction of a mention adds to.
    """
    engine = store.engine
    articles, places, mentions = _tables(engine)
    audit = _reflected(engine).get("audit")
    with engine.connect() as con:
        n_articles, last_ingest = con.execute(
            select(func.count(), func.max(articles.c.ingested_at)).select_from(articles)).one()
        last_mention = con.execute(select(func.max(mentions.c.id))).scalar()
        last_place = con.execute(select(func.max(places.c.id))).scalar()
        last_audit = con.execute(select(func.max(audit.c.id))).scalar() if audit is not None else None
    return (str(store.url), int(n_articles), str(last_ingest), int(last_mention or 0), int(last_place or 0),
            int(last_audit or 0))


def _day(published: pd.Series, ingested: pd.Series) -> pd.Series:
    """The article's date, else the day it was ingested (naive, normalised to midnight)."""
    day = pd.to_datetime(published, errors="coerce", format="ISO8601")
    if getattr(day.dt, "tz", None) is not None:
        day = day.dt.tz_convert(None)
    day = day.astype("datetime64[us]")
    return day.fillna(ingested.dt.tz_convert(None).astype("datetime64[us]")).dt.normalize()


def load(store) -> MapData:
    """The whole store as frames for the map (read-only: share it, don't mutate it)."""
    engine = store.engine
    articles, places, mentions = _tables(engine)
    with engine.connect() as con:
        a = pd.read_sql(
            select(articles.c.id.label("article_id"), articles.c.title, articles.c.source, articles.c.url,
                   articles.c.published, articles.c.ingested_at, articles.c.text, articles.c.language), con)
        p = pd.read_sql(
            select(places.c.id.label("place_id"), places.c.name, places.c.lat, places.c.lon, places.c.feature,
                   places.c.country, places.c.geonameid), con)
        m = pd.read_sql(
            select(mentions.c.article_id, mentions.c.place_id, mentions.c.start, mentions.c.end, mentions.c.text,
                   mentions.c.score).order_by(mentions.c.article_id, mentions.c.start, mentions.c.id), con)
    a["ingested_at"] = pd.to_datetime(a["ingested_at"], utc=True, format="ISO8601", errors="coerce").astype(
        "datetime64[us, UTC]")
    a["day"] = _day(a["published"], a["ingested_at"])
    a = a.set_index("article_id", drop=False).rename_axis(None)
    # Newest first, as Store.mention_frame() orders them.
    a = a.sort_values(["ingested_at", "article_id"], ascending=[False, True])
    texts = (a["title"].fillna("") + "\n" + a["text"].fillna("")).str.casefold()  # aligned with `a`
    a = a.drop(columns="text").assign(article_pos=np.arange(len(a), dtype="int64"))
    frame = m.merge(a, on="article_id", how="inner").merge(p, on="place_id", how="inner")
    frame = frame.sort_values(["ingested_at", "article_id", "start"], ascending=[False, True, True], ignore_index=True)
    frame = frame.astype({"start": "int64", "end": "int64", "lat": "float64", "lon": "float64",
                          "geonameid": "Int64", "score": "float64", "place_id": "int64"})
    return MapData(frame[MENTION_COLUMNS], a[["article_id", "title", "source", "url", "published", "ingested_at", "day", "language"]],
                   texts, store_version(store))


# ---------------------------------------------------------------------------------------- aggregates


def places(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per place: PLACE_COLUMNS, most mentioned first. Works on any mention frame."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=PLACE_COLUMNS)
    key = "place_id" if "place_id" in frame else ["name", "lat", "lon", "feature"]
    g = frame.groupby(key, sort=False, dropna=False)
    out = g.agg(
        name=("name", "first"), feature=("feature", "first"), country=("country", "first"),
        lat=("lat", "first"), lon=("lon", "first"), mentions=("article_id", "size"),
        articles=("article_id", "nunique"), score=("score", "max"),
    )
    out["last_day"] = g["day"].max() if "day" in frame else pd.NaT
    out = out.reset_index(drop=not isinstance(key, str))
    if "place_id" not in out:
        out.insert(0, "place_id", range(len(out)))
    out["score"] = out["score"].round(3)
    return out[PLACE_COLUMNS].sort_values(["mentions", "name"], ascending=[False, True], ignore_index=True)


def timeline(frame: pd.DataFrame, step: str = "day") -> pd.DataFrame:
    """Mentions and articles per day (or per week, labelled by its Monday), gaps filled with zeros."""
    columns = ["day", "mentions", "articles"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    day = frame["day"] if "day" in frame else pd.to_datetime(frame["published"], errors="coerce")
    day = pd.Series(day.to_numpy(), index=frame.index)
    if step == "week":
        day = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    grouped = pd.DataFrame({"day": day, "article_id": frame["article_id"]}).dropna().groupby("day")
    out = grouped.agg(mentions=("article_id", "size"), articles=("article_id", "nunique"))
    if out.empty:
        return pd.DataFrame(columns=columns)
    full = pd.date_range(out.index.min(), out.index.max(), freq="W-MON" if step == "week" else "D")
    return out.reindex(full, fill_value=0).rename_axis("day").reset_index()


def country_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Mentions and articles per country (ISO 3166 alpha-2), most mentioned first."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["country", "mentions", "articles"])
    out = frame.dropna(subset=["country"]).groupby("country").agg(
        mentions=("article_id", "size"), articles=("article_id", "nunique"))
    return out.sort_values("mentions", ascending=False).reset_index()


def time_bins(frame: pd.DataFrame, place_table: pd.DataFrame, step: str = "day") -> dict:
    """Mentions per place and time step, compactly: for the map's time animation.

    Returns {"bins": [ISO day of each step], "place": [...], "bin": [...], "count": [...]} where place
    indexes rows of `place_table` (as drawn) and only non-empty cells are listed, in time order.
    """
    tl = timeline(frame, step)
    if tl.empty or place_table.empty:
        return {"bins": [], "place": [], "bin": [], "count": []}
    day = frame["day"]
    if step == "week":
        day = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    start = tl["day"].iloc[0]
    days_per_bin = 7 if step == "week" else 1
    bin_ = ((day - start).dt.days // days_per_bin).astype("int64")
    position = pd.Series(np.arange(len(place_table)), index=place_table["place_id"].to_numpy())
    place = frame["place_id"].map(position)
    ok = place.notna() & day.notna()
    cells = pd.DataFrame({"bin": bin_[ok], "place": place[ok].astype("int64")}).value_counts().sort_index()
    return {
        "bins": [d.date().isoformat() for d in tl["day"]],
        "place": cells.index.get_level_values("place").tolist(),
        "bin": cells.index.get_level_values("bin").tolist(),
        "count": cells.to_numpy().tolist(),
    }


def within_km(frame: pd.DataFrame, lat: float, lon: float, km: float) -> pd.DataFrame:
    """Rows of a frame with lat/lon columns within km of a point, nearest first, with `distance_km`."""
    if frame is None or frame.empty:
        return frame.assign(distance_km=pd.Series(dtype=float)) if frame is not None else pd.DataFrame()
    d = haversine_km(lat, lon, frame["lat"].to_numpy(float), frame["lon"].to_numpy(float))
    out = frame.assign(distance_km=np.round(d, 1))
    return out[out["distance_km"] <= km].sort_values("distance_km", kind="stable")


def nearest_place(table: pd.DataFrame, lat: float, lon: float, *, name: str | None = None,
                  tolerance_km: float = 2.0) -> pd.Series | None:
    """The row of a place table at (lat, lon) — with this name when given — or None."""
    if table is None or table.empty:
        return None
    rows = table if name is None else table[table["name"] == name]
    if rows.empty:
        return None
    d = haversine_km(lat, lon, rows["lat"].to_numpy(float), rows["lon"].to_numpy(float))
    i = int(np.argmin(d))
    return rows.iloc[i] if d[i] <= tolerance_km else None


def sentences(text: str, mentions: pd.DataFrame) -> list[tuple[str, str]]:
    """(sentence, mention text) for each mention row (start/end/text), duplicates removed, in text order."""
    out: dict[tuple[str, str], None] = {}
    for m in mentions.sort_values("start").itertuples(index=False):
        if not 0 <= m.start < m.end <= len(text):
            continue
        s, e = sentence_around(text, int(m.start), int(m.end))
        out.setdefault((text[s:e], str(m.text)), None)
    return list(out)


def article_texts(store, ids) -> dict[str, str]:
    """The full texts of some articles, in one query."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    engine = store.engine
    articles, _, _ = _tables(engine)
    out: dict[str, str] = {}
    with engine.connect() as con:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update(dict(con.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(chunk))).all()))
    return out
