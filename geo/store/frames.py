"""What the dashboard map draws, computed fast enough for 100,000 articles.

`load(store)` reads the store's tables (geo.store.tables) with a few plain SQL queries (no ORM objects,
no per-mention sentence splitting) into a `MapData`: the mention frame (the columns of
Store.mention_frame() except the sentence, plus each mention's `day` and `place_id`), the articles, and
a case-folded search text per article. The dashboard caches it per `store_version(store)`; filtering it with MapState and
aggregating by place, day or country then takes milliseconds.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from geo.geodesy import haversine_km
from geo.io.validate import DATE_MAX, DATE_MIN
from geo.store import tables
from geo.store.reads import FRAME_COLUMNS
from geo.text import sentence_spans

MENTION_COLUMNS = [c for c in FRAME_COLUMNS if c != "sentence"] + ["day", "place_id", "article_pos", "language"]
# Each event's own record for the map's event layer: its id, date (NaT: none in the text), fatalities, the
# evidence sentence, and `when` it happened (its date, else the article's day: the timeline and its brush).
MENTION_COLUMNS += ["event_id", "event_day", "fatalities", "evidence", "when"]
ARTICLE_COLUMNS = ["article_id", "title", "source", "url", "published", "ingested_at", "day", "language"]
EVENT_CATEGORIES = ("event_type", "event_subtype", "actor1", "actor2", "modality")
# `name` is the display name (Palmyra), `gazetteer_name` the gazetteer's (Tadmur): geo.store.reads.FRAME_COLUMNS.
PLACE_COLUMNS = ["place_id", "name", "gazetteer_name", "feature", "country", "lat", "lon", "mentions", "articles",
                 "score", "last_day"]


@dataclass(frozen=True)
class MapData:
    mentions: pd.DataFrame  # one row per mention, MENTION_COLUMNS (article_pos: the article's row in `articles`)
    articles: pd.DataFrame  # one row per article, indexed by article_id: title, source, url, published, day
    texts: pd.Series = field(repr=False)  # case-folded "title text" per article, same order as `articles`
    version: tuple = ()
    last_ingest: object = field(default=None, repr=False)  # store_version's last ingest, as the database has it

    @property
    def empty(self) -> bool:
        return self.mentions.empty and self.articles.empty


def _read_frame(query, con) -> pd.DataFrame:
    """pd.read_sql without SQLAlchemy's row objects: the driver's tuples straight into a frame (at 100,000
    articles a third faster). Values come as the driver gives them (SQLite: times as ISO text)."""
    result = con.execute(query)
    return pd.DataFrame(result.cursor.fetchall(), columns=list(result.keys()))


def _events(con, of_articles=None) -> pd.DataFrame:
    """Events keyed by the mention they happened at: (article_id, start); of `of_articles` (a query of
    article ids) if given."""
    e = tables.events.c
    query = select(e.article_id, e.place_start.label("start"), e.type.label("event_type"),
                   e.subtype.label("event_subtype"), e.actor1, e.actor2, e.modality, e.precision,
                   e.evidence_start, e.evidence_end, e.id.label("event_id"), e.event_date,
                   e.fatalities).where(e.place_start.is_not(None)).order_by(e.id)
    if of_articles is not None:
        query = query.where(e.article_id.in_(of_articles))
    ev = _read_frame(query, con)
    ev = ev.drop_duplicates(["article_id", "start"])
    for c in EVENT_CATEGORIES:
        ev[c] = ev[c].astype("category")
    day = pd.to_datetime(ev.pop("event_date"), errors="coerce", format="%Y-%m-%d")
    ev["event_day"] = day.where((day >= pd.Timestamp(DATE_MIN)) & (day <= pd.Timestamp(DATE_MAX))).astype(
        "datetime64[us]")
    return ev.astype({"start": "int64", "precision": "Int64", "evidence_start": "Int64", "evidence_end": "Int64",
                      "event_id": "Int64", "fatalities": "Int64"})


def store_version(store) -> tuple:
    """Changes whenever articles are added, removed or corrected: the cache key of `load`.

    Cheap (index lookups): article count and last ingest, the newest mention, place and event (events
    found again get new ids), and the newest entry of the store's audit trail, which every correction of
    a mention adds to.
    """
    return _watermark(store)[0]


def _watermark(store) -> tuple[tuple, object]:
    """(store_version, the last ingest time as the database gives it)."""
    with store.engine.connect() as con:
        n_articles, last_ingest = con.execute(
            select(func.count(), func.max(tables.articles.c.ingested_at)).select_from(tables.articles)).one()
        last_mention, last_place, last_audit, last_event = [
            con.execute(select(func.max(t.c.id))).scalar()
            for t in (tables.mentions, tables.places, tables.audit, tables.events)]
    version = (str(store.url), int(n_articles), str(last_ingest), int(last_mention or 0), int(last_place or 0),
               int(last_audit or 0), int(last_event or 0))
    return version, last_ingest


def _day(published: pd.Series, ingested: pd.Series) -> pd.Series:
    """The article's date, else the day it was ingested (naive, normalised to midnight)."""
    day = pd.to_datetime(published, errors="coerce", format="ISO8601")
    if getattr(day.dt, "tz", None) is not None:
        day = day.dt.tz_convert(None)
    day = day.astype("datetime64[us]")
    # A date stored before ingest checked the range (year 1000, 9999) is no date: the slider cannot draw it.
    day = day.where((day >= pd.Timestamp(DATE_MIN)) & (day <= pd.Timestamp(DATE_MAX)))
    return day.fillna(ingested.dt.tz_convert(None).astype("datetime64[us]")).dt.normalize()


def load(store) -> MapData:
    """The whole store as frames for the map (read-only: share it, don't mutate it)."""
    version, last_ingest = _watermark(store)  # before reading: the frames hold at least this version
    with store.engine.connect() as con:
        a, m, ev = _read(con)
        p = _places(con)
    frame, a, texts = _assemble(a, m, ev, p)
    return MapData(frame, a, texts, version, last_ingest)


def refresh(store, previous: MapData) -> MapData:
    """`previous` brought up to the store's present state.

    When articles were only added since (the usual case: ingest), only those are read and put in front
    of the previous frames: at 100,000 articles a small batch costs a fraction of a full `load`. Anything
    else — an article deleted, a place corrected, events found again for old articles — reads it all.
    """
    version, last_ingest = _watermark(store)
    if version == previous.version:
        return previous
    if (previous.last_ingest is None or not previous.version or previous.version[0] != version[0]
            or previous.version[5] != version[5]):  # another store, or corrections since
        return load(store)
    with store.engine.connect() as con:
        a, m, ev = _read(con, since=previous.last_ingest)
        known = previous.articles.index  # its hash table is built once; isin() would scan 100,000 strings
        a = a[_where(a["article_id"], lambda aid: aid not in known)]
        ids = set(a["article_id"])
        m = m[_where(m["article_id"], ids.__contains__)]
        ev = ev[_where(ev["article_id"], ids.__contains__)]
        # Of whom the mentions and events written since `previous` are.
        m_, e_ = tables.mentions.c, tables.events.c
        new_mentions = _read_frame(select(m_.article_id).where(m_.id > previous.version[3]), con)
        new_events = _read_frame(select(e_.article_id).where(e_.id > previous.version[6]), con)
        p = _places(con)
    # Every article, mention and event the store has beyond `previous` must be of the new articles; else
    # some were removed or changed (or written during the last read): read everything.
    if (version[1] != len(previous.articles) + len(a) or len(new_mentions) != len(m)
            or not set(new_mentions["article_id"]) <= ids or not set(new_events["article_id"]) <= ids
            or _renamed(previous.mentions, m, p)):
        return load(store)
    frame, new_articles, new_texts = _assemble(a, m, ev, p)
    return MapData(*_prepend(previous, frame, new_articles, new_texts), version, last_ingest)


def _renamed(previous: pd.DataFrame, m: pd.DataFrame, p: pd.DataFrame) -> bool:
    """Whether a place the new mentions `m` name shows under another name in the previous frame (the ingest
    wrote the display name the gazetteer now gives it: geo.store.writes.place_ids)."""
    ids = pd.unique(m["place_id"])
    before = previous.loc[previous["place_id"].isin(ids), ["place_id", "name"]].drop_duplicates("place_id")
    if before.empty:
        return False
    now = p.set_index("place_id")["name"].reindex(before["place_id"].to_numpy()).to_numpy(object)
    return bool((before["name"].to_numpy(object) != now).any())


def _where(values: pd.Series, test) -> np.ndarray:
    """A boolean row mask (a plain list would select columns when it is empty)."""
    return np.fromiter((test(v) for v in values), dtype=bool, count=len(values))


def _read(con, since=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Articles, their mentions and their events; only articles ingested at or after `since` if given."""
    ac, mc = tables.articles.c, tables.mentions.c
    newer = ac.ingested_at >= since if since is not None else None
    query = select(ac.id.label("article_id"), ac.title, ac.source, ac.url, ac.published, ac.ingested_at, ac.text,
                   ac.language)
    a = _read_frame(query if newer is None else query.where(newer), con)
    query = select(mc.article_id, mc.place_id, mc.start, mc.end, mc.text, mc.score).order_by(
        mc.article_id, mc.start, mc.id)
    if newer is not None:
        query = query.where(mc.article_id.in_(select(ac.id).where(newer)))
    m = _read_frame(query, con)
    ev = _events(con, None if newer is None else select(ac.id).where(newer))
    return a, m, ev


def _places(con) -> pd.DataFrame:
    """The places with `name` as people write it (the display name) and `gazetteer_name` as the gazetteer does."""
    p = tables.places.c
    places = _read_frame(select(p.id.label("place_id"), p.name.label("gazetteer_name"), p.display_name, p.lat,
                                p.lon, p.feature, p.country, p.geonameid), con)
    display = places.pop("display_name")
    places.insert(1, "name", display.where(display.notna(), places["gazetteer_name"]))
    return places


def _assemble(a: pd.DataFrame, m: pd.DataFrame, ev: pd.DataFrame,
              p: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(mention frame, articles, search texts) from the rows read, newest article first."""
    # Text columns as strings even when a few rows hold only missing values (so that parts concatenate).
    a = a.astype({c: "str" for c in ("article_id", "title", "source", "url", "published", "text", "language")})
    m = m.astype({c: "str" for c in ("article_id", "text")})
    p = p.astype({c: "str" for c in ("name", "gazetteer_name", "feature", "country")})
    a["ingested_at"] = pd.to_datetime(a["ingested_at"], utc=True, format="ISO8601", errors="coerce").astype(
        "datetime64[us, UTC]")
    a["day"] = _day(a["published"], a["ingested_at"])
    a = a.set_index("article_id", drop=False).rename_axis(None)
    # Newest first, as Store.mention_frame() orders them.
    a = a.sort_values(["ingested_at", "article_id"], ascending=[False, True])
    texts = (a["title"].fillna("") + "\n" + a["text"].fillna("")).str.casefold()  # aligned with `a`
    ev = ev.assign(evidence=pd.Series(_evidence(ev, a["text"]), index=ev.index, dtype=object))
    a = a.drop(columns="text").assign(article_pos=np.arange(len(a), dtype="int64"))
    m = m.astype({"start": "int64"}).merge(ev, on=["article_id", "start"], how="left")
    frame = m.merge(a, on="article_id", how="inner").merge(p, on="place_id", how="inner")
    frame = frame.sort_values(["ingested_at", "article_id", "start"], ascending=[False, True, True], ignore_index=True)
    frame = frame.astype({"start": "int64", "end": "int64", "lat": "float64", "lon": "float64",
                          "geonameid": "Int64", "score": "float64", "place_id": "int64"})
    frame["when"] = frame["event_day"].fillna(frame["day"])
    return frame[MENTION_COLUMNS], a[ARTICLE_COLUMNS], texts


def _evidence(ev: pd.DataFrame, texts: pd.Series) -> list[str | None]:
    """Each event's evidence sentence, cut from its article's text (`texts` indexed by article id). Only the
    texts of articles with events are taken out of their column (iterating all of them cost a fifth of a load)."""
    row = texts.index.get_indexer(ev["article_id"].to_numpy(object))
    starts = ev["evidence_start"].to_numpy("float64", na_value=np.nan)
    ends = ev["evidence_end"].to_numpy("float64", na_value=np.nan)
    ok = (row >= 0) & ~np.isnan(starts) & ~np.isnan(ends)
    out: list[str | None] = [None] * len(ev)
    picked = texts.iloc[row[ok]].to_numpy(object)
    for k, text, s, e in zip(np.flatnonzero(ok), picked, starts[ok].astype(np.int64), ends[ok].astype(np.int64)):
        if isinstance(text, str):
            out[k] = text[s:e].strip()
    return out


def _prepend(previous: MapData, frame: pd.DataFrame, articles: pd.DataFrame,
             texts: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The new articles' frames in front of the previous ones, in load's order (newest first)."""
    in_order = previous.articles.empty or bool((articles["ingested_at"] > previous.articles["ingested_at"].max()).all())
    articles = pd.concat([articles, previous.articles])
    texts = pd.concat([texts, previous.texts])
    frame = pd.concat([frame, previous.mentions], ignore_index=True)
    for c in EVENT_CATEGORIES:  # categories of both parts (concat of unequal categories gives objects)
        frame[c] = frame[c].astype("category")
    if not in_order:  # ingested in the same instant as the newest before: sort as load does
        order = articles.sort_values(["ingested_at", "article_id"], ascending=[False, True]).index
        articles, texts = articles.loc[order], texts.loc[order]
        frame = frame.sort_values(["ingested_at", "article_id", "start"], ascending=[False, True, True],
                                  ignore_index=True)
    positions = pd.Series(np.arange(len(articles), dtype="int64"), index=articles.index)
    frame["article_pos"] = positions.reindex(frame["article_id"].to_numpy()).to_numpy()
    return frame[MENTION_COLUMNS], articles, texts


# ---------------------------------------------------------------------------------------- aggregates


def places(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per place: PLACE_COLUMNS, most mentioned first. Works on any mention frame."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=PLACE_COLUMNS)
    key = "place_id" if "place_id" in frame else ["name", "lat", "lon", "feature"]
    g = frame.groupby(key, sort=False, dropna=False)
    out = g.agg(
        name=("name", "first"), gazetteer_name=("gazetteer_name" if "gazetteer_name" in frame else "name", "first"),
        feature=("feature", "first"), country=("country", "first"),
        lat=("lat", "first"), lon=("lon", "first"), mentions=("article_id", "size"),
        articles=("article_id", "nunique"), score=("score", "max"),
    )
    out["last_day"] = g["day"].max() if "day" in frame else pd.NaT
    out = out.reset_index(drop=not isinstance(key, str))
    if "place_id" not in out:
        out.insert(0, "place_id", range(len(out)))
    out["score"] = out["score"].round(3)
    return out[PLACE_COLUMNS].sort_values(["mentions", "name"], ascending=[False, True], ignore_index=True)


EVENT_SUMMARY_COLUMNS = ["place_id", "name", "lat", "lon", "event_type", "fact", "mentions", "subtypes", "actors",
                         "last_day"]


def event_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """What happened at each place: one row per place, event type and fact/not-a-fact, with counts.

    Mentions without an event give one row per place with event_type None. `subtypes` and `actors` list
    the most frequent (value, count) pairs. Many events share one town, so the map draws these rows —
    a few per place, spread around it — rather than one symbol per mention.
    """
    if frame is None or frame.empty or "event_type" not in frame:
        return pd.DataFrame(columns=EVENT_SUMMARY_COLUMNS)
    etype = frame["event_type"].astype(object)
    work = pd.DataFrame({
        "place_id": frame["place_id"].to_numpy(), "event_type": etype.where(etype.notna(), "").to_numpy(),
        "fact": (frame["modality"].astype(object) == "fact").to_numpy(bool) & etype.notna().to_numpy(bool),
        "subtype": frame["event_subtype"].astype(object).to_numpy(),
        "actor": frame["actor1"].astype(object).fillna(frame["actor2"].astype(object)).to_numpy(),
        "day": frame["day"].to_numpy() if "day" in frame else pd.NaT,
    })
    keys = ["place_id", "event_type", "fact"]
    g = work.groupby(keys, sort=False)
    out = g.agg(mentions=("place_id", "size"), last_day=("day", "max")).reset_index()

    def top(col: str) -> pd.Series:
        counts = work.dropna(subset=[col]).groupby(keys + [col], sort=False).size().rename("n").reset_index()
        counts = counts.sort_values("n", ascending=False, kind="stable")
        counts = counts[counts.groupby(keys, sort=False).cumcount() < 3]
        counts = counts.assign(pair=list(zip(counts[col], counts["n"].astype(int))))
        return counts.groupby(keys, sort=False)["pair"].agg(list).rename(col)

    out = out.merge(top("subtype").reset_index(), on=keys, how="left").merge(top("actor").reset_index(), on=keys,
                                                                                 how="left")
    out = out.rename(columns={"subtype": "subtypes", "actor": "actors"})
    for col in ("subtypes", "actors"):
        out[col] = out[col].apply(lambda v: v if isinstance(v, list) else [])
    place = frame.drop_duplicates("place_id").set_index("place_id")[["name", "lat", "lon"]]
    out = out.join(place, on="place_id")
    etype = out["event_type"].astype(object)
    out["event_type"] = etype.where(etype != "", None)
    out = out.sort_values(["place_id", "event_type", "fact"], na_position="last", kind="stable", ignore_index=True)
    return out[EVENT_SUMMARY_COLUMNS]


EVENT_TABLE_COLUMNS = ["day", "event_type", "event_subtype", "actor1", "actor2", "modality", "precision", "name",
                       "gazetteer_name", "country", "lat", "lon", "title", "source", "url", "article_id",
                       "evidence_start", "evidence_end"]


def event_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per event at a place (ACLED-style), newest first: what, who, where, from which article."""
    if frame is None or frame.empty or "event_type" not in frame:
        return pd.DataFrame(columns=EVENT_TABLE_COLUMNS)
    rows = frame[frame["event_type"].notna()]
    out = rows.reindex(columns=EVENT_TABLE_COLUMNS)
    for col in ("event_type", "event_subtype", "actor1", "actor2", "modality"):
        out[col] = out[col].astype(object)
    return out.sort_values(["day", "article_id"], ascending=[False, True], kind="stable", ignore_index=True)


def counts_by(table: pd.DataFrame, column: str, *, also: str | None = None, limit: int = 10) -> pd.DataFrame:
    """How often each value of a column (and of `also`, counted together: actor1 and actor2) occurs."""
    values = table[column].dropna()
    if also is not None:
        values = pd.concat([values, table[also].dropna()])
    counts = values.astype(str).value_counts().head(limit)
    return counts.rename_axis(column).reset_index(name="events")


def country_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Mentions and articles per country (ISO 3166 alpha-2), most mentioned first."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["country", "mentions", "articles"])
    out = frame.dropna(subset=["country"]).groupby("country").agg(
        mentions=("article_id", "size"), articles=("article_id", "nunique"))
    return out.sort_values("mentions", ascending=False).reset_index()



def within_km(frame: pd.DataFrame, lat: float, lon: float, km: float) -> pd.DataFrame:
    """Rows of a frame with lat/lon columns within km of a point, nearest first, with `distance_km`."""
    if frame is None or frame.empty:
        return frame.assign(distance_km=pd.Series(dtype=float)) if frame is not None else pd.DataFrame()
    d = haversine_km(lat, lon, frame["lat"].to_numpy(float), frame["lon"].to_numpy(float))
    out = frame.assign(distance_km=np.round(d, 1))
    return out[out["distance_km"] <= km].sort_values("distance_km", kind="stable")


def nearest_place(table: pd.DataFrame, lat: float, lon: float, *, name: str | None = None,
                  tolerance_km: float = 2.0) -> pd.Series | None:
    """The row of a place table at (lat, lon) — with this name when given — or None.

    The name may be the display name or the gazetteer's: links shared before display names said "Tadmur"."""
    if table is None or table.empty:
        return None
    rows = table
    if name is not None:
        same = table["name"] == name
        if "gazetteer_name" in table:
            same |= table["gazetteer_name"] == name
        rows = table[same]
    if rows.empty:
        return None
    d = haversine_km(lat, lon, rows["lat"].to_numpy(float), rows["lon"].to_numpy(float))
    i = int(np.argmin(d))
    return rows.iloc[i] if d[i] <= tolerance_km else None


def sentences(text: str, mentions: pd.DataFrame) -> list[tuple[str, str]]:
    """(sentence, mention text) for each mention row (start/end/text), duplicates removed, in text order.

    As geo.text.sentence_around for each mention, with the text's sentences found once (not once per
    mention) and the columns read as arrays: the map's panel shows eight articles on every click.
    """
    starts, ends = mentions["start"].to_numpy(), mentions["end"].to_numpy()
    names = mentions["text"].to_numpy(object)
    out: dict[tuple[str, str], None] = {}
    spans = heads = None
    for i in np.argsort(starts, kind="stable"):
        start, end = int(starts[i]), int(ends[i])
        if not 0 <= start < end <= len(text):
            continue
        if spans is None:
            spans = sentence_spans(text)
            heads = [a for a, _ in spans]
        j = bisect_right(heads, start) - 1
        s, e = (spans[j][0], max(spans[j][1], end)) if j >= 0 and start < spans[j][1] else (start, end)
        out.setdefault((text[s:e], str(names[i])), None)
    return list(out)


def article_texts(store, ids) -> dict[str, str]:
    """The full texts of some articles, in one query."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    out: dict[str, str] = {}
    with store.engine.connect() as con:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            a = tables.articles.c
            out.update(dict(con.execute(select(a.id, a.text).where(a.id.in_(chunk))).all()))
    return out
