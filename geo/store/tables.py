"""The store's schema, defined once: every other module (the store's own, the map's frames, the synthetic
filler, the Alembic migrations' model check) reads and writes through these tables.

The column types are portable (SQLite and PostgreSQL); the migrations under ``migrations/`` build what
is declared here, and tests/test_store_backends.py checks that they agree. On PostGIS, places also have
a ``geom`` column that only migration 0002 knows of (a generated point: nobody writes it).

Core users take the Table objects below (``tables.articles``...); the ORM classes serve the store's
single-row work (corrections, deletes).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    """An article; its id is its content hash, so the same text is stored once."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    mentions: Mapped[list[MentionRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class PlaceRow(Base):
    """A place as resolved, shared by every mention of it (unique by name, feature and point)."""

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
    # As people write it (Palmyra for Tadmur; migration 0007); NULL: the name. Not part of the place's key.
    display_name: Mapped[str | None] = mapped_column(String(400))


class MentionRow(Base):
    """A span of an article's text resolved to a place."""

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

    article: Mapped[ArticleRow] = relationship(back_populates="mentions")
    place: Mapped[PlaceRow] = relationship()


class CorrectionRow(Base):
    """An analyst's decision about one mention: drop it, or put it at another place. Kept by span, so
    it survives re-processing the article."""

    __tablename__ = "corrections"
    __table_args__ = (UniqueConstraint("article_id", "start", "end", name="uq_corrections_span"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(400))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    feature: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(8))
    geonameid: Mapped[int | None] = mapped_column(Integer)
    user: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(400))  # the place's (migration 0007); NULL: the name
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventCorrectionRow(Base):
    """An analyst's version of one event (or "not an event"), kept by its trigger's offset so that it
    survives finding the article's events again. `fields` is the whole event row as JSON."""

    __tablename__ = "event_corrections"
    __table_args__ = (UniqueConstraint("article_id", "trigger_start", name="uq_event_corrections_trigger"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    trigger_start: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    fields: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    """An event read from one sentence. Its place is the mention starting at place_start (joined when
    read), so a correction of that mention moves the event too."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_article_id", "article_id"), Index("ix_events_type", "type"),
                      Index("ix_events_event_date", "event_date"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(64))
    subtype: Mapped[str] = mapped_column(String(128))
    actor1: Mapped[str | None] = mapped_column(String(200))
    actor2: Mapped[str | None] = mapped_column(String(200))
    place_start: Mapped[int | None] = mapped_column(Integer)
    precision: Mapped[int | None] = mapped_column(Integer)
    modality: Mapped[str] = mapped_column(String(32))
    trigger: Mapped[str] = mapped_column(String(200))
    trigger_start: Mapped[int] = mapped_column(Integer)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    # ACLED's fields (migration 0006): the event's own date, fatalities, associated actors, interaction...
    event_date: Mapped[str | None] = mapped_column(String(10))
    date_precision: Mapped[int | None] = mapped_column(Integer)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    assoc_actor1: Mapped[str | None] = mapped_column(String(200))
    assoc_actor2: Mapped[str | None] = mapped_column(String(200))
    interaction: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(8))
    admin1: Mapped[str | None] = mapped_column(String(200))
    geo_precision: Mapped[int | None] = mapped_column(Integer)


class AuditRow(Base):
    """Who ingested, edited or deleted what, and when."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


# The same tables for SQLAlchemy Core (select/insert/delete on plain rows: the bulk paths).
articles: Table = ArticleRow.__table__
places: Table = PlaceRow.__table__
mentions: Table = MentionRow.__table__
corrections: Table = CorrectionRow.__table__
event_corrections: Table = EventCorrectionRow.__table__
events: Table = EventRow.__table__
audit: Table = AuditRow.__table__
