"""Articles and their resolved places, kept in a SQL database chosen by one URL.

SQLite by default; PostgreSQL with PostGIS (``postgresql+psycopg://...``) for a shared server. The
models use portable column types; the schema is made and upgraded by the Alembic migrations under
``migrations/``, which ``Store(url)`` applies when it opens a database. On PostGIS, places also get a
``geom`` point (a generated column, so it always matches lat/lon) with spatial indexes, and the spatial
filters (``places_within``, ``mention_frame(bbox=...)``) run on those indexes; elsewhere they are plain
lat/lon SQL.

An article's id is its content hash: ingesting the same text twice stores it once, also when two
processes ingest it at the same moment. Texts are stored exactly as given; escaping belongs where they
are rendered.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    and_,
    create_engine,
    delete,
    distinct,
    event,
    func,
    insert,
    inspect,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    joinedload,
    mapped_column,
    relationship,
)
from sqlalchemy.sql.elements import ColumnElement

from geo.config import MIGRATIONS_DIR
from geo.geodesy import EARTH_RADIUS_KM, distance_km
from geo.io.validate import check_article
from geo.text import sentence_around
from geo.types import Article, Event, ResolvedMention

# The newest revision under migrations/versions (tests/test_store_backends.py checks that they agree):
# a database already there opens with one query, without loading Alembic.
SCHEMA_HEAD = "0006_event_fields"  # 0005_event_corrections (TEAMS) -> 0006_event_fields (EVENTS)

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
# What happened at each mention (the event extractor gives a place at most one event per sentence):
# empty where the sentence names the place without an event.
EVENT_COLUMNS = ["event_type", "event_subtype", "actor1", "actor2", "modality", "precision", "evidence_start",
                 "evidence_end"]
FRAME_COLUMNS += EVENT_COLUMNS

PLACE_COLUMNS = ["name", "lat", "lon", "feature", "country", "geonameid", "mentions", "articles", "distance_km"]

# (west, south, east, north) in degrees, EPSG:4326, the order of shapely's bounds and a GeoJSON bbox.
# west > east means the box crosses the antimeridian.
BBox = tuple[float, float, float, float]

_COORD_DIGITS = 6  # ~0.1 m: the same place from two runs must compare equal
# Mean Earth radius: PostGIS measures geography on this sphere when use_spheroid is false, so both
# backends agree on what "within 50 km" means.
_ADD_ATTEMPTS = 5
_WRITE = "conflictmap_write"  # execution option: this transaction writes (BEGIN IMMEDIATE on SQLite)

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


def engine_for(url: str) -> Engine:
    """An Engine for a store URL; SQLite files get their folder, foreign keys, WAL and writer locking."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60})  # seconds a writer waits for the lock

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised via Store
        # Transactions are begun below rather than by the driver, so that a writer can take the write
        # lock up front (BEGIN IMMEDIATE) and a second writer waits for it, instead of failing with
        # "database is locked" when its read transaction turns into a write.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (the dashboard) don't block the ingest
        cursor.close()
        dbapi_connection.create_function("conflictmap_distance_km", 4, distance_km, deterministic=True)

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Connection) -> None:  # pragma: no cover - exercised via Store
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at; None for a database without one (new or pre-Alembic)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest schema (creating it when new); one query when it is there already.

    A database made before the migrations existed has the tables of the first revision: that revision
    adopts them instead of creating them. Concurrent openers wait for each other (see migrations/env.py).
    """
    if schema_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn.execution_options(**{_WRITE: True})
        try:
            command.upgrade(cfg, "head")
        except CommandError as exc:  # e.g. a database migrated by newer code than this
            raise RuntimeError(f"cannot upgrade the database schema: {exc}") from exc


# ---------------------------------------------------------------------------- spatial filters

# On PostGIS: the generated point column of places (migration 0002) and its geography view, written
# exactly as in the indexes of that migration so that the planner uses them.
_GEOM = literal_column("places.geom")
_GEOG = literal_column("CAST(places.geom AS geography)")


def _check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a point in degrees: lat={lat}, lon={lon}")


def _check_bbox(bbox: Sequence[float]) -> BBox:
    if len(bbox) != 4:
        raise ValueError(f"bbox is (west, south, east, north), got {bbox!r}")
    west, south, east, north = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(f"bbox has a non-finite value: {bbox!r}")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(f"bbox must be (west, south, east, north) in degrees with south <= north, got {bbox!r}")
    return west, south, east, north


def _lon_ranges(west: float, east: float) -> list[tuple[float, float]]:
    """A longitude interval as one or two plain ranges (two when it crosses the antimeridian)."""
    return [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]


def _around(lat: float, lon: float, km: float) -> BBox | None:
    """A box holding every point within km of (lat, lon); None when the circle reaches a pole or all around."""
    ang = km / EARTH_RADIUS_KM
    if ang >= math.pi / 2:
        return None
    dlat = math.degrees(ang)
    if abs(lat) + dlat >= 90:
        return None
    s = math.sin(ang) / math.cos(math.radians(lat))
    if s >= 1:
        return None
    dlon = math.degrees(math.asin(s)) * 1.000001 + 1e-9  # a hair wider: the exact test follows
    if dlon >= 180:
        return None
    west, east = lon - dlon, lon + dlon
    west = west + 360 if west < -180 else west
    east = east - 360 if east > 180 else east
    return west, max(-90.0, lat - dlat - 1e-9), east, min(90.0, lat + dlat + 1e-9)


def _point_geog(lat: float, lon: float) -> ColumnElement:
    return func.geography(func.ST_SetSRID(func.ST_MakePoint(float(lon), float(lat)), 4326))


def _in_bbox(postgis: bool, bbox: BBox) -> ColumnElement[bool]:
    west, south, east, north = bbox
    ranges = _lon_ranges(west, east)
    if postgis:  # the bounding-box operator, on the GiST index of places.geom
        return or_(*(_GEOM.op("&&")(func.ST_MakeEnvelope(w, south, e, north, 4326)) for w, e in ranges))
    return and_(
        _PlaceRow.lat.between(south, north),
        or_(*(_PlaceRow.lon.between(w, e) for w, e in ranges)),
    )


def _distance_expr(postgis: bool, lat: float, lon: float) -> ColumnElement[float]:
    if postgis:
        return func.ST_Distance(_GEOG, _point_geog(lat, lon), False) / 1000.0
    return func.conflictmap_distance_km(_PlaceRow.lat, _PlaceRow.lon, float(lat), float(lon))


def _within(postgis: bool, lat: float, lon: float, km: float) -> ColumnElement[bool]:
    if postgis:  # on the GiST index of geom::geography
        return func.ST_DWithin(_GEOG, _point_geog(lat, lon), km * 1000.0, False)
    exact = _distance_expr(False, lat, lon) <= km
    box = _around(lat, lon, km)
    return exact if box is None else and_(_in_bbox(False, box), exact)


# ---------------------------------------------------------------------------- rows → types

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


class _CorrectionRow(_Base):
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
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _EventCorrectionRow(_Base):
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


class _EventRow(_Base):
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


class _AuditRow(_Base):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


class Store:
    """Articles with their resolved mentions; one Engine per Store, one session per call.

    ``Store(url)`` opens (and if needed creates or upgrades) the database at a SQLAlchemy URL:
    ``sqlite:///path/db.sqlite`` or ``postgresql+psycopg://user@host/db`` (with PostGIS).
    """

    # Injectable clock, so that tests can order ingests without sleeping.
    _clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))

    def __init__(self, url: str):
        self.url = url
        self._engine = engine_for(url)
        self._writer = self._engine.execution_options(**{_WRITE: True})
        self.postgis = self._engine.dialect.name == "postgresql"  # migration 0002 gave places a geometry
        if self.postgis:
            import geoalchemy2  # noqa: F401 - registers the geometry type, for code that reflects the tables
        migrate(self._engine)

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    @property
    def engine(self) -> Engine:
        """For bulk readers (map data) that query with SQLAlchemy Core; read-only use."""
        return self._engine

    @property
    def writer(self) -> Engine:
        """The engine for bulk writers (synthetic data): it takes SQLite's write lock up front."""
        return self._writer

    # ------------------------------------------------------------------ writing

    def add(self, article: Article, mentions: Sequence[ResolvedMention], events: Sequence[Event] = (), *,
            user: str | None = None) -> bool:
        """Store an article with its mentions and events in one transaction; False if it was already stored.

        With a user, the ingest goes into the audit trail.
        """
        check_article(article)
        _check_mentions(article, mentions)
        _check_events(article, events)
        for attempt in range(_ADD_ATTEMPTS):
            try:
                added = self._insert([(article, mentions, events)])[0]
                if added and user:
                    self.audit(user, "ingest", article.id, article.title)
                return added
            except IntegrityError:
                # Another writer stored this article, or one of its places, meanwhile: the retry finds them.
                if self.has(article.id):
                    return False
                if attempt == _ADD_ATTEMPTS - 1:
                    raise
        return False  # unreachable

    def add_many(self, items: Sequence[Analysed]) -> list[bool]:
        """Store several articles in one transaction (a batch's way: far fewer commits and lock waits).

        Items are (article, mentions) or (article, mentions, events). One flag per item, as add() gives
        it: False for an article stored already (or earlier in items). If another writer gets in the way,
        the items are stored one by one with add() instead.
        """
        full = [_triple(item) for item in items]
        for article, mentions, events in full:
            check_article(article)
            _check_mentions(article, mentions)
            _check_events(article, events)
        try:
            return self._insert(full)
        except (IntegrityError, OperationalError):  # a race (or, on PostgreSQL, a deadlock victim)
            return [self.add(article, mentions, events) for article, mentions, events in full]

    def _insert(self, items: Sequence[tuple[Article, Sequence[ResolvedMention], Sequence[Event]]]) -> list[bool]:
        """Insert the articles not stored yet, with a handful of statements for the whole batch.

        Rows go in one fixed order (places by key, articles by id), so that writers inserting overlapping
        rows wait for each other rather than deadlock.
        """
        articles, mentions = _ArticleRow.__table__, _MentionRow.__table__
        with self._writer.begin() as conn:
            ids = list(dict.fromkeys(a.id for a, *_ in items))
            stored: set[str] = set()
            for i in range(0, len(ids), 500):
                stored.update(conn.scalars(select(articles.c.id).where(articles.c.id.in_(ids[i : i + 500]))))
            new: dict[str, tuple[Article, Sequence[ResolvedMention], Sequence[Event]]] = {}
            for article, found, events in items:
                if article.id not in stored:
                    new.setdefault(article.id, (article, found, events))
            if new:
                ordered = [new[k] for k in sorted(new)]
                wanted = {_place_key(m): m for _, found, _ in ordered for m in found}
                place_ids = self._place_ids(conn, sorted(wanted.items()))
                now = _utc(self._clock())
                conn.execute(insert(articles), [
                    {"id": a.id, "title": a.title, "source": a.source, "url": a.url, "published": a.published,
                     "language": a.language, "text": a.text, "ingested_at": now}
                    for a, _, _ in ordered
                ])
                rows = [
                    {"article_id": a.id, "place_id": place_ids[_place_key(m)], "start": m.start, "end": m.end,
                     "text": m.text, "score": float(m.score)}
                    for a, found, _ in ordered
                    for m in found
                ]
                if rows:
                    conn.execute(insert(mentions), rows)
                _insert_events(conn, [(a.id, events) for a, _, events in ordered])
        flags, seen = [], set()
        for article, _, _ in items:
            flags.append(article.id in new and article.id not in seen)
            seen.add(article.id)
        return flags

    @staticmethod
    def _place_ids(conn: Connection, wanted: list[tuple[tuple, ResolvedMention]]) -> dict[tuple, int]:
        """Row ids of the places with these keys (name, feature, lat, lon), inserting the missing ones."""
        places = _PlaceRow.__table__
        key_cols = tuple_(places.c.name, places.c.feature, places.c.lat, places.c.lon)

        def lookup(keys: list[tuple]) -> dict[tuple, int]:
            out = {}
            for i in range(0, len(keys), 200):
                query = select(places.c.id, places.c.name, places.c.feature, places.c.lat, places.c.lon)
                for r in conn.execute(query.where(key_cols.in_(keys[i : i + 200]))):
                    out[(r.name, r.feature, r.lat, r.lon)] = r.id
            return out

        found = lookup([key for key, _ in wanted])
        missing = [(key, m) for key, m in wanted if key not in found]
        if missing:
            conn.execute(insert(places), [
                {"name": key[0], "feature": key[1], "lat": key[2], "lon": key[3], "country": m.country,
                 "geonameid": m.geonameid, "source": m.source}
                for key, m in missing
            ])
            found.update(lookup([key for key, _ in missing]))
        return found

    # ------------------------------------------------------------------ corrections and audit

    def correct(self, article_id: str, start: int, end: int, *, user: str,
                place: ResolvedMention | None = None) -> None:
        """An analyst's fix of one mention: `place=None` drops it as not a place, else it moves there.

        Saved for everyone, written to the audit trail, and applied again whenever the article is re-processed.
        """
        if place is not None:
            _check_point(float(place.lat), float(place.lon))
        with Session(self._writer) as session, session.begin():
            article = session.get(_ArticleRow, article_id)
            if article is None:
                raise KeyError(f"no article {article_id}")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(article.text)):
                raise ValueError(f"span {start}:{end} is not inside the article's text")
            missed = session.scalars(select(_MentionRow.id).where(
                _MentionRow.article_id == article_id, _MentionRow.start == start, _MentionRow.end == end)).first() is None
            row = session.scalars(select(_CorrectionRow).where(
                _CorrectionRow.article_id == article_id, _CorrectionRow.start == start, _CorrectionRow.end == end,
            )).first() or _CorrectionRow(article_id=article_id, start=start, end=end)
            row.action = "drop" if place is None else "place"
            for f in ("name", "lat", "lon", "feature", "country", "geonameid"):
                setattr(row, f, getattr(place, f) if place is not None else None)
            row.user, row.at = user, _utc(self._clock())
            session.add(row)
            verb = "added a missed place:" if missed and row.id is None else "moved to"
            detail = "dropped: not a place" if place is None else f"{verb} {place.name} ({place.lat:.4f}, {place.lon:.4f})"
            session.add(_AuditRow(at=row.at, user=user, action="edit", target=f"{article_id}:{start}-{end}",
                                  detail=detail))
        self._apply_corrections(article_id)

    def correct_event(self, article_id: str, trigger_start: int, *, user: str, event: Event | None = None) -> None:
        """An analyst's fix of the event whose trigger starts at trigger_start: `event=None` drops it as not
        an event, else the event becomes `event` (type, sub-type, actors, modality, date, fatalities...).

        Saved for everyone, written to the audit trail, applied again when the article's events are found again.
        """
        article = self.article(article_id)
        if article is None:
            raise KeyError(f"no article {article_id}")
        if event is not None:
            if event.trigger_start != trigger_start:
                raise ValueError("an event correction keeps the event's trigger")
            _check_events(article, [event])
            if not (event.type or "").strip() or not (event.subtype or "").strip():
                raise ValueError("an event needs a type and a sub-type")
        fields = None if event is None else json.dumps(_event_values(event_row(article_id, event)))
        now = _utc(self._clock())
        with Session(self._writer) as session, session.begin():
            row = session.scalars(select(_EventCorrectionRow).where(
                _EventCorrectionRow.article_id == article_id, _EventCorrectionRow.trigger_start == trigger_start,
            )).first() or _EventCorrectionRow(article_id=article_id, trigger_start=trigger_start)
            row.action, row.fields, row.user, row.at = ("drop" if event is None else "event"), fields, user, now
            session.add(row)
            detail = "dropped: not an event" if event is None else _event_summary(event)
            session.add(_AuditRow(at=now, user=user, action="edit event", target=f"{article_id}@{trigger_start}",
                                  detail=detail))
        with self._writer.begin() as conn:
            _apply_event_corrections(conn, [article_id])

    def event_corrections(self, article_id: str) -> list[dict]:
        with Session(self._engine) as session:
            rows = session.scalars(select(_EventCorrectionRow).where(_EventCorrectionRow.article_id == article_id)
                                   .order_by(_EventCorrectionRow.trigger_start))
            return [{"trigger_start": r.trigger_start, "action": r.action, "user": r.user, "at": _utc(r.at),
                     **(json.loads(r.fields) if r.fields else {})} for r in rows]

    def reprocess(self, article_id: str, mentions: Sequence[ResolvedMention], events: Sequence[Event] | None = None,
                  *, user: str = "system") -> None:
        """Replace an article's mentions (a newer geoparser), keeping the analysts' corrections.

        With events, the article's events are replaced too (None keeps the stored ones).
        """
        article = self.article(article_id)
        if article is None:
            raise KeyError(f"no article {article_id}")
        _check_mentions(article, mentions)
        if events is not None:
            _check_events(article, events)
        with self._writer.begin() as conn:
            if events is not None:
                conn.execute(delete(_EventRow.__table__).where(_EventRow.__table__.c.article_id == article_id))
                _insert_events(conn, [(article_id, events)])
                _apply_event_corrections(conn, [article_id])
            conn.execute(delete(_MentionRow.__table__).where(_MentionRow.__table__.c.article_id == article_id))
            ids = self._place_ids(conn, sorted({_place_key(m): m for m in mentions}.items()))
            if mentions:
                conn.execute(insert(_MentionRow.__table__), [
                    {"article_id": article_id, "place_id": ids[_place_key(m)], "start": m.start, "end": m.end,
                     "text": m.text, "score": float(m.score)} for m in mentions])
        self.audit(user, "reprocess", article_id, f"{len(mentions)} mentions")
        self._apply_corrections(article_id)

    def set_events(self, article_id: str, events: Sequence[Event]) -> None:
        """Replace an article's events (after the event lexicon changed: `python -m geo events`)."""
        article = self.article(article_id)
        if article is None:
            raise KeyError(f"no article {article_id}")
        self.set_events_many([(article, events)])

    def set_events_many(self, items: Sequence[tuple[Article, Sequence[Event]]]) -> None:
        """Replace the events of several articles in one transaction."""
        for article, events in items:
            _check_events(article, events)
        table = _EventRow.__table__
        with self._writer.begin() as conn:
            ids = [a.id for a, _ in items]
            for i in range(0, len(ids), 500):
                conn.execute(delete(table).where(table.c.article_id.in_(ids[i:i + 500])))
            _insert_events(conn, [(a.id, events) for a, events in items])
            _apply_event_corrections(conn, ids)

    def _apply_corrections(self, article_id: str) -> None:
        with self._writer.begin() as conn:
            fixes = conn.execute(select(_CorrectionRow.__table__).where(
                _CorrectionRow.__table__.c.article_id == article_id)).mappings().all()
            m = _MentionRow.__table__
            text_row = conn.execute(select(_ArticleRow.__table__.c.text).where(
                _ArticleRow.__table__.c.id == article_id)).scalar() if fixes else None
            for fix in fixes:
                span = (m.c.article_id == article_id) & (m.c.start == fix["start"]) & (m.c.end == fix["end"])
                if fix["action"] == "drop":
                    conn.execute(delete(m).where(span))
                    continue
                place = ResolvedMention(start=fix["start"], end=fix["end"], text=text_row[fix["start"]:fix["end"]],
                                        name=fix["name"], lat=fix["lat"], lon=fix["lon"], feature=fix["feature"],
                                        country=fix["country"], geonameid=fix["geonameid"], score=1.0,
                                        source="analyst")
                pid = self._place_ids(conn, [(_place_key(place), place)])[_place_key(place)]
                if conn.execute(select(m.c.id).where(span)).first() is None:
                    conn.execute(insert(m), [{"article_id": article_id, "place_id": pid, "start": place.start,
                                              "end": place.end, "text": place.text, "score": 1.0}])
                else:
                    conn.execute(update(m).where(span).values(place_id=pid, score=1.0))

    def corrections(self, article_id: str) -> list[dict]:
        with Session(self._engine) as session:
            rows = session.scalars(select(_CorrectionRow).where(_CorrectionRow.article_id == article_id)
                                   .order_by(_CorrectionRow.start))
            return [{"start": r.start, "end": r.end, "action": r.action, "name": r.name, "user": r.user}
                    for r in rows]

    def audit(self, user: str, action: str, target: str | None = None, detail: str | None = None) -> None:
        with Session(self._writer) as session, session.begin():
            session.add(_AuditRow(at=_utc(self._clock()), user=user, action=action, target=target, detail=detail))

    def audit_log(self, limit: int = 1000) -> pd.DataFrame:
        """Who ingested, edited or deleted what, newest first."""
        with Session(self._engine) as session:
            rows = session.scalars(select(_AuditRow).order_by(_AuditRow.at.desc(), _AuditRow.id.desc()).limit(limit))
            return pd.DataFrame([{"at": r.at, "user": r.user, "action": r.action, "target": r.target,
                                  "detail": r.detail} for r in rows],
                                columns=["at", "user", "action", "target", "detail"])

    def delete(self, article_id: str, *, user: str | None = None) -> bool:
        """Remove an article, its mentions, and places no other article mentions."""
        with Session(self._writer) as session, session.begin():
            row = session.get(_ArticleRow, article_id)
            if row is None:
                return False
            if user:
                session.add(_AuditRow(at=_utc(self._clock()), user=user, action="delete", target=article_id,
                                      detail=row.title))
            place_ids = {m.place_id for m in row.mentions}
            session.delete(row)
            session.flush()
            if place_ids:
                still_used = select(_MentionRow.place_id).where(_MentionRow.place_id.in_(place_ids))
                session.execute(
                    delete(_PlaceRow).where(_PlaceRow.id.in_(place_ids), _PlaceRow.id.not_in(still_used))
                )
        return True

    def article_index(self) -> list[dict]:
        """Every article's id, dates, source and title, newest ingest first, without the texts (`geo list`)."""
        a = _ArticleRow.__table__
        query = select(a.c.id, a.c.ingested_at, a.c.published, a.c.source, a.c.title).order_by(
            a.c.ingested_at.desc(), a.c.id)
        with self._engine.connect() as conn:
            return [dict(r._mapping) | {"ingested_at": _utc(r.ingested_at)} for r in conn.execute(query)]

    def resolve_id(self, given: str, min_prefix: int = 8) -> list[str]:
        """The stored ids equal to `given`, or starting with it when it has at least min_prefix characters."""
        a = _ArticleRow.__table__
        with self._engine.connect() as conn:
            if conn.execute(select(a.c.id).where(a.c.id == given)).first() is not None:
                return [given]
            if len(given) < min_prefix:
                return []
            return list(conn.scalars(select(a.c.id).where(a.c.id.startswith(given, autoescape=True)).limit(2)))

    # ------------------------------------------------------------------ reading

    def has(self, article_id: str) -> bool:
        with Session(self._engine) as session:
            return session.get(_ArticleRow, article_id) is not None

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored (one query per 500 ids): a batch skips them before parsing."""
        wanted = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with Session(self._engine) as session:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                found.update(session.scalars(select(_ArticleRow.id).where(_ArticleRow.id.in_(chunk))))
        return found

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

    def events(self, article_id: str) -> list[Event]:
        """An article's events in text order; `place` is the name of the place its mention now resolves to."""
        e, m, p = _EventRow.__table__, _MentionRow.__table__, _PlaceRow.__table__
        query = (
            select(e, p.c.name.label("place_name"))
            .select_from(e.outerjoin(m, and_(m.c.article_id == e.c.article_id, m.c.start == e.c.place_start))
                         .outerjoin(p, p.c.id == m.c.place_id))
            .where(e.c.article_id == article_id)
            .order_by(e.c.trigger_start, e.c.id)
        )
        with self._engine.connect() as conn:
            return [_to_event(r) for r in conn.execute(query).mappings()]

    def iter_analysed(self, chunk: int = 1000) -> Iterator[list[tuple[Article, list[ResolvedMention]]]]:
        """Every article with its current mentions, a chunk at a time (two queries per chunk)."""
        with self._engine.connect() as conn:
            ids = list(conn.scalars(select(_ArticleRow.id).order_by(_ArticleRow.id)))
        for i in range(0, len(ids), chunk):
            wanted = ids[i:i + chunk]
            with Session(self._engine) as session:
                articles = {r.id: _to_article(r) for r in session.scalars(
                    select(_ArticleRow).where(_ArticleRow.id.in_(wanted)))}
                found: dict[str, list[ResolvedMention]] = {k: [] for k in articles}
                rows = session.scalars(select(_MentionRow).where(_MentionRow.article_id.in_(wanted))
                                       .options(joinedload(_MentionRow.place))
                                       .order_by(_MentionRow.article_id, _MentionRow.start, _MentionRow.id))
                for row in rows:
                    found[row.article_id].append(_to_mention(row))
            yield [(articles[k], found[k]) for k in wanted if k in articles]

    def mention_frame(self, bbox: Sequence[float] | None = None) -> pd.DataFrame:
        """One row per mention with its article's metadata and the sentence it sits in.

        bbox: (west, south, east, north) in degrees keeps the mentions of places inside it (edges
        included; west > east crosses the antimeridian). On PostGIS the database filters on the
        spatial index.
        """
        query = (
            select(_MentionRow, _ArticleRow, _PlaceRow, _EventRow)
            .join(_ArticleRow, _MentionRow.article_id == _ArticleRow.id)
            .join(_PlaceRow, _MentionRow.place_id == _PlaceRow.id)
            .outerjoin(_EventRow, and_(_EventRow.article_id == _MentionRow.article_id,
                                       _EventRow.place_start == _MentionRow.start))
            .order_by(_ArticleRow.ingested_at.desc(), _ArticleRow.id, _MentionRow.start, _MentionRow.id)
        )
        if bbox is not None:
            query = query.where(_in_bbox(self.postgis, _check_bbox(bbox)))
        records = []
        with Session(self._engine) as session:
            for m, a, p, ev in session.execute(query):
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
                    | _event_fields(ev)
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

    def places_within(self, lat: float, lon: float, km: float) -> pd.DataFrame:
        """Stored places within km of (lat, lon), nearest first (columns: PLACE_COLUMNS).

        Distances are great-circle kilometres on the mean-radius sphere; "mentions" and "articles" count
        how often and where each place is named. On PostGIS the database filters with ST_DWithin on the
        geography index; elsewhere with a lat/lon box and the same distance in SQL.
        """
        lat, lon, km = float(lat), float(lon), float(km)
        _check_point(lat, lon)
        if not (math.isfinite(km) and km >= 0):
            raise ValueError(f"km must be a finite distance >= 0, got {km}")
        dist = _distance_expr(self.postgis, lat, lon).label("distance_km")
        query = (
            select(
                _PlaceRow.name,
                _PlaceRow.lat,
                _PlaceRow.lon,
                _PlaceRow.feature,
                _PlaceRow.country,
                _PlaceRow.geonameid,
                func.count(_MentionRow.id).label("mentions"),
                func.count(distinct(_MentionRow.article_id)).label("articles"),
                dist,
            )
            .join(_MentionRow, _MentionRow.place_id == _PlaceRow.id)
            .where(_within(self.postgis, lat, lon, km))
            .group_by(_PlaceRow.id)
            .order_by(dist, _PlaceRow.name, _PlaceRow.id)
        )
        with Session(self._engine) as session:
            rows = [tuple(r) for r in session.execute(query)]
        frame = pd.DataFrame.from_records(rows, columns=PLACE_COLUMNS)
        return frame.astype(
            {"lat": "float64", "lon": "float64", "geonameid": "Int64", "mentions": "int64", "articles": "int64",
             "distance_km": "float64"}
        )

    def counts(self) -> dict[str, int]:
        with Session(self._engine) as session:
            return {
                "articles": session.scalar(select(func.count()).select_from(_ArticleRow)) or 0,
                "mentions": session.scalar(select(func.count()).select_from(_MentionRow)) or 0,
                "places": session.scalar(select(func.count()).select_from(_PlaceRow)) or 0,
                "events": session.scalar(select(func.count()).select_from(_EventRow)) or 0,
            }


def _check_mentions(article: Article, mentions: Sequence[ResolvedMention]) -> None:
    for m in mentions:
        if not 0 <= m.start <= m.end <= len(article.text):
            raise ValueError(f"mention {m.text!r} at {m.start}:{m.end} is outside the article text")


def _place_key(m: ResolvedMention) -> tuple[str, str, float, float]:
    return (m.name, m.feature, round(m.lat, _COORD_DIGITS), round(m.lon, _COORD_DIGITS))


# An article with what was read from it: (article, mentions) or (article, mentions, events).
Analysed = tuple[Article, Sequence[ResolvedMention]] | tuple[Article, Sequence[ResolvedMention], Sequence[Event]]


def _triple(item: Analysed) -> tuple[Article, Sequence[ResolvedMention], Sequence[Event]]:
    return (item[0], item[1], item[2] if len(item) > 2 else ())


def _check_events(article: Article, events: Sequence[Event]) -> None:
    n = len(article.text)
    for ev in events:
        if not (0 <= ev.evidence_start <= ev.evidence_end <= n and 0 <= ev.trigger_start <= n):
            raise ValueError(f"event {ev.subtype!r} at {ev.evidence_start}:{ev.evidence_end} is outside the article text")


def event_row(article_id: str, ev: Event) -> dict:
    """An event as a row of the events table (also for bulk writers such as geo.dev.synthetic)."""
    return {"article_id": article_id, "type": ev.type, "subtype": ev.subtype, "actor1": ev.actor1,
            "actor2": ev.actor2, "place_start": ev.place_mention_start, "precision": ev.precision,
            "modality": ev.modality, "trigger": ev.trigger[:200], "trigger_start": ev.trigger_start,
            "evidence_start": ev.evidence_start, "evidence_end": ev.evidence_end,
            **{k: getattr(ev, k) for k in _EVENT_EXTRA}, "event_date": ev.date}


_EVENT_EXTRA = ("date_precision", "fatalities", "assoc_actor1", "assoc_actor2", "interaction", "country", "admin1",
                "geo_precision")


def _event_values(row: dict) -> dict:
    """An events-table row without its article: what an event correction keeps."""
    return {k: v for k, v in row.items() if k != "article_id"}


def _event_summary(ev: Event) -> str:
    who = " vs ".join(a for a in (ev.actor1, ev.actor2) if a)
    date, fatalities = getattr(ev, "date", None), getattr(ev, "fatalities", None)
    extra = [x for x in (who, ev.modality, date, None if fatalities is None else f"{fatalities} killed") if x]
    return f"{ev.type} / {ev.subtype}" + (f" ({'; '.join(extra)})" if extra else "")


def _apply_event_corrections(conn: Connection, article_ids: Sequence[str]) -> None:
    """Put the analysts' versions of events in place of what the extractor found (by trigger offset)."""
    fixes_t, events_t = _EventCorrectionRow.__table__, _EventRow.__table__
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i:i + 500])
        for fix in conn.execute(select(fixes_t).where(fixes_t.c.article_id.in_(chunk))).mappings().all():
            conn.execute(delete(events_t).where(events_t.c.article_id == fix["article_id"],
                                                events_t.c.trigger_start == fix["trigger_start"]))
            if fix["action"] == "event" and fix["fields"]:
                values = {k: v for k, v in json.loads(fix["fields"]).items() if k in events_t.c and k != "id"}
                conn.execute(insert(events_t), [values | {"article_id": fix["article_id"],
                                                          "trigger_start": fix["trigger_start"]}])


def _insert_events(conn: Connection, items: Sequence[tuple[str, Sequence[Event]]]) -> None:
    rows = [event_row(article_id, ev) for article_id, events in items for ev in events]
    if rows:
        conn.execute(insert(_EventRow.__table__), rows)


def _event_fields(ev: _EventRow | None) -> dict:
    if ev is None:
        return dict.fromkeys(EVENT_COLUMNS)
    return {"event_type": ev.type, "event_subtype": ev.subtype, "actor1": ev.actor1, "actor2": ev.actor2,
            "modality": ev.modality, "precision": ev.precision, "evidence_start": ev.evidence_start,
            "evidence_end": ev.evidence_end}


def _to_event(row) -> Event:
    return Event(type=row["type"], subtype=row["subtype"], actor1=row["actor1"], actor2=row["actor2"],
                 place_mention_start=row["place_start"], place=row["place_name"], precision=row["precision"],
                 evidence_start=row["evidence_start"], evidence_end=row["evidence_end"], modality=row["modality"],
                 trigger=row["trigger"], trigger_start=row["trigger_start"], date=row.get("event_date"),
                 **{k: row.get(k) for k in _EVENT_EXTRA})
