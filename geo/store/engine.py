"""Opening a store URL: the SQLAlchemy Engine (with SQLite's locking done right) and the schema brought up
to date by the Alembic migrations under ``migrations/``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url

from geo.config import MIGRATIONS_DIR
from geo.geodesy import distance_km

# The newest revision under migrations/versions (tests/test_store_backends.py checks that they agree):
# a database already there opens with one query, without loading Alembic.
SCHEMA_HEAD = "0007_display_names"  # 0006_event_fields (EVENTS) -> 0007_display_names (places as people write them)

WRITE = "conflictmap_write"  # execution option: this transaction writes (BEGIN IMMEDIATE on SQLite)


def utc(value: datetime) -> datetime:
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
        # The spatial filters' distance on SQLite (geo.store.spatial): the same formula as everywhere else.
        dbapi_connection.create_function("conflictmap_distance_km", 4, distance_km, deterministic=True)

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Connection) -> None:  # pragma: no cover - exercised via Store
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

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
        cfg.attributes["connection"] = conn.execution_options(**{WRITE: True})
        try:
            command.upgrade(cfg, "head")
        except CommandError as exc:  # e.g. a database migrated by newer code than this
            raise RuntimeError(f"cannot upgrade the database schema: {exc}") from exc
