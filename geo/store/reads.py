"""Reading the store back: articles, their mentions and events as the core types, and the frames of
mentions (one row each, with the sentence) and of places near a point.

The map reads the whole store a faster way (geo.store.frames); these serve one article, the exports and
the command line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence

import pandas as pd
from sqlalchemy import and_, distinct, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, joinedload

from geo.store.engine import utc
from geo.store.rows import EVENT_COLUMNS, event_fields, to_article, to_event, to_mention
from geo.store.spatial import check_bbox, check_point, distance_expr, in_bbox, within
from geo.store.tables import (
    ArticleRow,
    EventRow,
    MentionRow,
    PlaceRow,
    articles,
    events,
    mentions,
    places,
)
from geo.text import sentence_around
from geo.types import Article, Event, ResolvedMention

FRAME_COLUMNS = [
    "article_id",
    "title",
    "source",
    "url",
    "published",
    "ingested_at",
    "start",
    "end",
    "text",
    "name",  # as people write it (the display name: Palmyra)
    "gazetteer_name",  # as the gazetteer has it (Tadmur); the same where no display name differs
    "lat",
    "lon",
    "feature",
    "country",
    "geonameid",
    "score",
    "sentence",
]
FRAME_COLUMNS += EVENT_COLUMNS

PLACE_COLUMNS = ["name", "gazetteer_name", "lat", "lon", "feature", "country", "geonameid", "mentions", "articles",
                 "distance_km"]


def article_index(engine: Engine) -> list[dict]:
    """Every article's id, dates, source and title, newest ingest first, without the texts."""
    a = articles
    query = select(a.c.id, a.c.ingested_at, a.c.published, a.c.source, a.c.title).order_by(
        a.c.ingested_at.desc(), a.c.id)
    with engine.connect() as conn:
        return [dict(r._mapping) | {"ingested_at": utc(r.ingested_at)} for r in conn.execute(query)]


def resolve_id(engine: Engine, given: str, min_prefix: int) -> list[str]:
    """The stored ids equal to `given`, or starting with it when it has at least min_prefix characters."""
    a = articles
    with engine.connect() as conn:
        if conn.execute(select(a.c.id).where(a.c.id == given)).first() is not None:
            return [given]
        if len(given) < min_prefix:
            return []
        return list(conn.scalars(select(a.c.id).where(a.c.id.startswith(given, autoescape=True)).limit(2)))


def has(engine: Engine, article_id: str) -> bool:
    with Session(engine) as session:
        return session.get(ArticleRow, article_id) is not None


def stored_ids(engine: Engine, article_ids: Iterable[str]) -> set[str]:
    """Which of these article ids are stored (one query per 500 ids)."""
    wanted = list(dict.fromkeys(article_ids))
    found: set[str] = set()
    with Session(engine) as session:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            found.update(session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(chunk))))
    return found


def article(engine: Engine, article_id: str) -> Article | None:
    with Session(engine) as session:
        row = session.get(ArticleRow, article_id)
        return to_article(row) if row is not None else None


def all_articles(engine: Engine) -> list[Article]:
    """All articles, newest ingest first."""
    with Session(engine) as session:
        rows = session.scalars(select(ArticleRow).order_by(ArticleRow.ingested_at.desc(), ArticleRow.id))
        return [to_article(r) for r in rows]


def article_mentions(engine: Engine, article_id: str) -> list[ResolvedMention]:
    """An article's mentions in text order."""
    with Session(engine) as session:
        rows = session.scalars(
            select(MentionRow)
            .where(MentionRow.article_id == article_id)
            .order_by(MentionRow.start, MentionRow.end, MentionRow.id)
        )
        return [to_mention(r) for r in rows]


def article_events(engine: Engine, article_id: str) -> list[Event]:
    """An article's events in text order; `place` is the display name of the place its mention now resolves to."""
    e, m, p = events, mentions, places
    query = (
        select(e, func.coalesce(p.c.display_name, p.c.name).label("place_name"))
        .select_from(e.outerjoin(m, and_(m.c.article_id == e.c.article_id, m.c.start == e.c.place_start))
                     .outerjoin(p, p.c.id == m.c.place_id))
        .where(e.c.article_id == article_id)
        .order_by(e.c.trigger_start, e.c.id)
    )
    with engine.connect() as conn:
        return [to_event(r) for r in conn.execute(query).mappings()]


def iter_analysed(engine: Engine, chunk: int) -> Iterator[list[tuple[Article, list[ResolvedMention]]]]:
    """Every article with its current mentions, a chunk at a time (two queries per chunk)."""
    with engine.connect() as conn:
        ids = list(conn.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))
    for i in range(0, len(ids), chunk):
        wanted = ids[i:i + chunk]
        with Session(engine) as session:
            found_articles = {r.id: to_article(r) for r in session.scalars(
                select(ArticleRow).where(ArticleRow.id.in_(wanted)))}
            found: dict[str, list[ResolvedMention]] = {k: [] for k in found_articles}
            rows = session.scalars(select(MentionRow).where(MentionRow.article_id.in_(wanted))
                                   .options(joinedload(MentionRow.place))
                                   .order_by(MentionRow.article_id, MentionRow.start, MentionRow.id))
            for row in rows:
                found[row.article_id].append(to_mention(row))
        yield [(found_articles[k], found[k]) for k in wanted if k in found_articles]


def mention_frame(engine: Engine, postgis: bool, bbox: Sequence[float] | None = None) -> pd.DataFrame:
    """One row per mention (FRAME_COLUMNS) with its article's metadata and the sentence it sits in;
    of the places inside bbox if given."""
    query = (
        select(MentionRow, ArticleRow, PlaceRow, EventRow)
        .join(ArticleRow, MentionRow.article_id == ArticleRow.id)
        .join(PlaceRow, MentionRow.place_id == PlaceRow.id)
        .outerjoin(EventRow, and_(EventRow.article_id == MentionRow.article_id,
                                  EventRow.place_start == MentionRow.start))
        .order_by(ArticleRow.ingested_at.desc(), ArticleRow.id, MentionRow.start, MentionRow.id)
    )
    if bbox is not None:
        query = query.where(in_bbox(postgis, check_bbox(bbox)))
    records = []
    with Session(engine) as session:
        for m, a, p, ev in session.execute(query):
            s, e = sentence_around(a.text, m.start, m.end)
            records.append(
                {
                    "article_id": a.id,
                    "title": a.title,
                    "source": a.source,
                    "url": a.url,
                    "published": a.published,
                    "ingested_at": utc(a.ingested_at),
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "name": p.display_name or p.name,
                    "gazetteer_name": p.name,
                    "lat": p.lat,
                    "lon": p.lon,
                    "feature": p.feature,
                    "country": p.country,
                    "geonameid": p.geonameid,
                    "score": m.score,
                    "sentence": a.text[s:e],
                }
                | event_fields(ev)
            )
    frame = pd.DataFrame.from_records(records, columns=FRAME_COLUMNS)
    return frame.astype(
        {
            "ingested_at": "datetime64[us, UTC]",
            "start": "int64",
            "end": "int64",
            "lat": "float64",
            "lon": "float64",
            "geonameid": "Int64",
            "score": "float64",
            "precision": "Int64",
            "evidence_start": "Int64",
            "evidence_end": "Int64",
        }
    )


def places_within(engine: Engine, postgis: bool, lat: float, lon: float, km: float) -> pd.DataFrame:
    """Stored places within km of (lat, lon), nearest first (PLACE_COLUMNS)."""
    lat, lon, km = float(lat), float(lon), float(km)
    check_point(lat, lon)
    if not (math.isfinite(km) and km >= 0):
        raise ValueError(f"km must be a finite distance >= 0, got {km}")
    dist = distance_expr(postgis, lat, lon).label("distance_km")
    query = (
        select(
            func.coalesce(PlaceRow.display_name, PlaceRow.name).label("name"),
            PlaceRow.name.label("gazetteer_name"),
            PlaceRow.lat,
            PlaceRow.lon,
            PlaceRow.feature,
            PlaceRow.country,
            PlaceRow.geonameid,
            func.count(MentionRow.id).label("mentions"),
            func.count(distinct(MentionRow.article_id)).label("articles"),
            dist,
        )
        .join(MentionRow, MentionRow.place_id == PlaceRow.id)
        .where(within(postgis, lat, lon, km))
        .group_by(PlaceRow.id)
        .order_by(dist, PlaceRow.name, PlaceRow.id)
    )
    with Session(engine) as session:
        rows = [tuple(r) for r in session.execute(query)]
    frame = pd.DataFrame.from_records(rows, columns=PLACE_COLUMNS)
    return frame.astype(
        {"lat": "float64", "lon": "float64", "geonameid": "Int64", "mentions": "int64", "articles": "int64",
         "distance_km": "float64"}
    )


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            "articles": session.scalar(select(func.count()).select_from(ArticleRow)) or 0,
            "mentions": session.scalar(select(func.count()).select_from(MentionRow)) or 0,
            "places": session.scalar(select(func.count()).select_from(PlaceRow)) or 0,
            "events": session.scalar(select(func.count()).select_from(EventRow)) or 0,
        }
