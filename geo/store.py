"""Articles and their resolved places, kept in a SQL database (SQLite by default).

Portable column types only, so that the same models run on PostgreSQL/PostGIS later. An article's
id is its content hash: ingesting the same text twice stores it once. Texts are stored exactly as
given; escaping belongs where they are rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from geo.text import sentence_around
from geo.types import Article, ResolvedMention

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
    "name",
    "lat",
    "lon",
    "feature",
    "country",
    "geonameid",
    "score",
    "sentence",
]

_COORD_DIGITS = 6  # ~0.1 m: the same place from two runs must compare equal


class _Base(DeclarativeBase):
    pass


class _ArticleRow(_Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    mentions: Mapped[list[_MentionRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class _PlaceRow(_Base):
    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("name", "feature", "lat", "lon", name="uq_places_name_feature_lat_lon"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(400))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    feature: Mapped[str] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(8))
    geonameid: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(64))


class _MentionRow(_Base):
    __tablename__ = "mentions"
    __table_args__ = (
        Index("ix_mentions_article_id", "article_id"),
        Index("ix_mentions_place_id", "place_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)

    article: Mapped[_ArticleRow] = relationship(back_populates="mentions")
    place: Mapped[_PlaceRow] = relationship()


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised via Store
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (the dashboard) don't block the ingest
        cursor.close()

    return engine


def _to_article(row: _ArticleRow) -> Article:
    return Article(
        text=row.text,
        title=row.title,
        source=row.source,
        url=row.url,
        published=row.published,
        language=row.language,
        id=row.id,
    )


def _to_mention(row: _MentionRow) -> ResolvedMention:
    p = row.place
    return ResolvedMention(
        start=row.start,
        end=row.end,
        text=row.text,
        name=p.name,
        lat=p.lat,
        lon=p.lon,
        feature=p.feature,
        country=p.country,
        geonameid=p.geonameid,
        score=row.score,
        source=p.source or "geonames",
    )


class Store:
    """Articles with their resolved mentions; one Engine per Store, one session per call."""

    # Injectable clock, so that tests can order ingests without sleeping.
    _clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))

    def __init__(self, url: str):
        self.url = url
        self._engine = _engine(url)
        _Base.metadata.create_all(self._engine)

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    # ------------------------------------------------------------------ writing

    def add(self, article: Article, mentions: Sequence[ResolvedMention]) -> bool:
        """Store an article with its mentions in one transaction; False if it was already stored."""
        for m in mentions:
            if not 0 <= m.start <= m.end <= len(article.text):
                raise ValueError(f"mention {m.text!r} at {m.start}:{m.end} is outside the article text")
        for attempt in range(3):
            try:
                return self._insert(article, mentions)
            except IntegrityError:
                # Another writer stored this article, or one of its places, meanwhile.
                if self.has(article.id):
                    return False
                if attempt == 2:
                    raise
        return False  # unreachable

    def _insert(self, article: Article, mentions: Sequence[ResolvedMention]) -> bool:
        with Session(self._engine) as session, session.begin():
            if session.get(_ArticleRow, article.id) is not None:
                return False
            row = _ArticleRow(
                id=article.id,
                title=article.title,
                source=article.source,
                url=article.url,
                published=article.published,
                language=article.language,
                text=article.text,
                ingested_at=_utc(self._clock()),
            )
            session.add(row)
            places: dict[tuple, _PlaceRow] = {}
            for m in mentions:
                place = self._place(session, m, places)
                row.mentions.append(
                    _MentionRow(place=place, start=m.start, end=m.end, text=m.text, score=float(m.score))
                )
        return True

    @staticmethod
    def _place(session: Session, m: ResolvedMention, cache: dict[tuple, _PlaceRow]) -> _PlaceRow:
        """The existing place row with this name, feature and position, or a new one."""
        key = (m.name, m.feature, round(m.lat, _COORD_DIGITS), round(m.lon, _COORD_DIGITS))
        if key in cache:
            return cache[key]
        place = session.scalars(
            select(_PlaceRow).where(
                _PlaceRow.name == key[0], _PlaceRow.feature == key[1], _PlaceRow.lat == key[2], _PlaceRow.lon == key[3]
            )
        ).first()
        if place is None:
            place = _PlaceRow(
                name=key[0],
                feature=key[1],
                lat=key[2],
                lon=key[3],
                country=m.country,
                geonameid=m.geonameid,
                source=m.source,
            )
            session.add(place)
        cache[key] = place
        return place

    def delete(self, article_id: str) -> bool:
        """Remove an article, its mentions, and places no other article mentions."""
        with Session(self._engine) as session, session.begin():
            row = session.get(_ArticleRow, article_id)
            if row is None:
                return False
            place_ids = {m.place_id for m in row.mentions}
            session.delete(row)
            session.flush()
            if place_ids:
                still_used = select(_MentionRow.place_id).where(_MentionRow.place_id.in_(place_ids))
                session.execute(
                    delete(_PlaceRow).where(_PlaceRow.id.in_(place_ids), _PlaceRow.id.not_in(still_used))
                )
        return True

    # ------------------------------------------------------------------ reading

    def has(self, article_id: str) -> bool:
        with Session(self._engine) as session:
            return session.get(_ArticleRow, article_id) is not None

    def article(self, article_id: str) -> Article | None:
        with Session(self._engine) as session:
            row = session.get(_ArticleRow, article_id)
            return _to_article(row) if row is not None else None

    def articles(self) -> list[Article]:
        """All articles, newest ingest first."""
        with Session(self._engine) as session:
            rows = session.scalars(select(_ArticleRow).order_by(_ArticleRow.ingested_at.desc(), _ArticleRow.id))
            return [_to_article(r) for r in rows]

    def mentions(self, article_id: str) -> list[ResolvedMention]:
        """An article's mentions in text order."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(_MentionRow)
                .where(_MentionRow.article_id == article_id)
                .order_by(_MentionRow.start, _MentionRow.end, _MentionRow.id)
            )
            return [_to_mention(r) for r in rows]

    def mention_frame(self) -> pd.DataFrame:
        """One row per mention with its article's metadata and the sentence it sits in."""
        query = (
            select(_MentionRow, _ArticleRow, _PlaceRow)
            .join(_ArticleRow, _MentionRow.article_id == _ArticleRow.id)
            .join(_PlaceRow, _MentionRow.place_id == _PlaceRow.id)
            .order_by(_ArticleRow.ingested_at.desc(), _ArticleRow.id, _MentionRow.start, _MentionRow.id)
        )
        records = []
        with Session(self._engine) as session:
            for m, a, p in session.execute(query):
                s, e = sentence_around(a.text, m.start, m.end)
                records.append(
                    {
                        "article_id": a.id,
                        "title": a.title,
                        "source": a.source,
                        "url": a.url,
                        "published": a.published,
                        "ingested_at": _utc(a.ingested_at),
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "name": p.name,
                        "lat": p.lat,
                        "lon": p.lon,
                        "feature": p.feature,
                        "country": p.country,
                        "geonameid": p.geonameid,
                        "score": m.score,
                        "sentence": a.text[s:e],
                    }
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
            }
        )

    def counts(self) -> dict[str, int]:
        with Session(self._engine) as session:
            return {
                "articles": session.scalar(select(func.count()).select_from(_ArticleRow)) or 0,
                "mentions": session.scalar(select(func.count()).select_from(_MentionRow)) or 0,
                "places": session.scalar(select(func.count()).select_from(_PlaceRow)) or 0,
            }
