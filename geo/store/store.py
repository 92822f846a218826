"""The Store: articles and their resolved places, kept in a SQL database chosen by one URL.

SQLite by default; PostgreSQL with PostGIS (``postgresql+psycopg://...``) for a shared server. The
tables (geo.store.tables) use portable column types; the schema is made and upgraded by the Alembic
migrations under ``migrations/``, which ``Store(url)`` applies when it opens a database. On PostGIS,
places also get a ``geom`` point (a generated column, so it always matches lat/lon) with spatial
indexes, and the spatial filters (``places_within``, ``mention_frame(bbox=...)``) run on those indexes;
elsewhere they are plain lat/lon SQL (geo.store.spatial).

An article's id is its content hash: ingesting the same text twice stores it once, also when two
processes ingest it at the same moment. Texts are stored exactly as given; escaping belongs where they
are rendered.

This class is the public face only: the work is done in geo.store.writes, reads and corrections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from geo.io.validate import check_article
from geo.store import corrections, reads, writes
from geo.store.engine import WRITE, engine_for, migrate, utc
from geo.store.writes import Analysed, Triple, check_events, check_mentions
from geo.types import Article, Event, ResolvedMention

_ADD_ATTEMPTS = 5


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
        self._writer = self._engine.execution_options(**{WRITE: True})
        self.postgis = self._engine.dialect.name == "postgresql"  # migration 0002 gave places a geometry
        if self.postgis:
            import geoalchemy2  # noqa: F401 - registers the geometry type, for code that reflects the tables
        migrate(self._engine)

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"

    @property
    def engine(self) -> Engine:
        """For bulk readers (map data) that query geo.store.tables with SQLAlchemy Core; read-only use."""
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
        check_mentions(article, mentions)
        check_events(article, events)
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
        full = [writes.triple(item) for item in items]
        for article, mentions, events in full:
            check_article(article)
            check_mentions(article, mentions)
            check_events(article, events)
        try:
            return self._insert(full)
        except (IntegrityError, OperationalError):  # a race (or, on PostgreSQL, a deadlock victim)
            return [self.add(article, mentions, events) for article, mentions, events in full]

    def _insert(self, items: Sequence[Triple]) -> list[bool]:
        return writes.insert_new(self._writer, items, self._clock)

    def reprocess(self, article_id: str, mentions: Sequence[ResolvedMention], events: Sequence[Event] | None = None,
                  *, user: str = "system") -> None:
        """Replace an article's mentions (a newer geoparser), keeping the analysts' corrections.

        With events, the article's events are replaced too (None keeps the stored ones).
        """
        article = self._existing(article_id)
        check_mentions(article, mentions)
        if events is not None:
            check_events(article, events)
        writes.replace_mentions(self._writer, article_id, mentions, events)
        self.audit(user, "reprocess", article_id, f"{len(mentions)} mentions")
        writes.apply_corrections(self._writer, article_id)

    def set_events(self, article_id: str, events: Sequence[Event]) -> None:
        """Replace an article's events (after the event lexicon changed: `python -m geo events`)."""
        self.set_events_many([(self._existing(article_id), events)])

    def set_events_many(self, items: Sequence[tuple[Article, Sequence[Event]]]) -> None:
        """Replace the events of several articles in one transaction."""
        for article, events in items:
            check_events(article, events)
        writes.replace_events(self._writer, items)

    def delete(self, article_id: str, *, user: str | None = None) -> bool:
        """Remove an article, its mentions, and places no other article mentions."""
        return writes.delete_article(self._writer, article_id, user, self._clock)

    # ------------------------------------------------------------------ corrections and audit

    def correct(self, article_id: str, start: int, end: int, *, user: str,
                place: ResolvedMention | None = None) -> None:
        """An analyst's fix of one mention: `place=None` drops it as not a place, else it moves there.

        Saved for everyone, written to the audit trail, and applied again whenever the article is re-processed.
        """
        corrections.correct_mention(self._writer, article_id, start, end, user=user, place=place, clock=self._clock)

    def correct_event(self, article_id: str, trigger_start: int, *, user: str, event: Event | None = None) -> None:
        """An analyst's fix of the event whose trigger starts at trigger_start: `event=None` drops it as not
        an event, else the event becomes `event` (type, sub-type, actors, modality, date, fatalities...).

        Saved for everyone, written to the audit trail, applied again when the article's events are found again.
        """
        corrections.correct_event(self._writer, self._existing(article_id), trigger_start, user=user, event=event,
                                  clock=self._clock)

    def corrections(self, article_id: str) -> list[dict]:
        return corrections.mention_corrections(self._engine, article_id)

    def event_corrections(self, article_id: str) -> list[dict]:
        return corrections.event_corrections(self._engine, article_id)

    def audit(self, user: str, action: str, target: str | None = None, detail: str | None = None) -> None:
        corrections.audit(self._writer, utc(self._clock()), user, action, target, detail)

    def audit_log(self, limit: int = 1000) -> pd.DataFrame:
        """Who ingested, edited or deleted what, newest first."""
        return corrections.audit_log(self._engine, limit)

    # ------------------------------------------------------------------ reading

    def article_index(self) -> list[dict]:
        """Every article's id, dates, source and title, newest ingest first, without the texts (`geo list`)."""
        return reads.article_index(self._engine)

    def resolve_id(self, given: str, min_prefix: int = 8) -> list[str]:
        """The stored ids equal to `given`, or starting with it when it has at least min_prefix characters."""
        return reads.resolve_id(self._engine, given, min_prefix)

    def has(self, article_id: str) -> bool:
        return reads.has(self._engine, article_id)

    def stored_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored (one query per 500 ids): a batch skips them before parsing."""
        return reads.stored_ids(self._engine, article_ids)

    def article(self, article_id: str) -> Article | None:
        return reads.article(self._engine, article_id)

    def articles(self) -> list[Article]:
        """All articles, newest ingest first."""
        return reads.all_articles(self._engine)

    def mentions(self, article_id: str) -> list[ResolvedMention]:
        """An article's mentions in text order."""
        return reads.article_mentions(self._engine, article_id)

    def events(self, article_id: str) -> list[Event]:
        """An article's events in text order; `place` is the name of the place its mention now resolves to."""
        return reads.article_events(self._engine, article_id)

    def iter_analysed(self, chunk: int = 1000) -> Iterator[list[tuple[Article, list[ResolvedMention]]]]:
        """Every article with its current mentions, a chunk at a time (two queries per chunk)."""
        return reads.iter_analysed(self._engine, chunk)

    def mention_frame(self, bbox: Sequence[float] | None = None) -> pd.DataFrame:
        """One row per mention with its article's metadata and the sentence it sits in (FRAME_COLUMNS).

        bbox: (west, south, east, north) in degrees keeps the mentions of places inside it (edges
        included; west > east crosses the antimeridian). On PostGIS the database filters on the
        spatial index.
        """
        return reads.mention_frame(self._engine, self.postgis, bbox)

    def places_within(self, lat: float, lon: float, km: float) -> pd.DataFrame:
        """Stored places within km of (lat, lon), nearest first (columns: PLACE_COLUMNS).

        Distances are great-circle kilometres on the mean-radius sphere; "mentions" and "articles" count
        how often and where each place is named. On PostGIS the database filters with ST_DWithin on the
        geography index; elsewhere with a lat/lon box and the same distance in SQL.
        """
        return reads.places_within(self._engine, self.postgis, lat, lon, km)

    def counts(self) -> dict[str, int]:
        return reads.counts(self._engine)

    def _existing(self, article_id: str) -> Article:
        article = self.article(article_id)
        if article is None:
            raise KeyError(f"no article {article_id}")
        return article
