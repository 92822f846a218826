"""Alembic environment for the store.

The database comes from, in order: the connection Store(url) hands over (config.attributes), ``-x url=...``
on the alembic command line, ``sqlalchemy.url`` in alembic.ini, then geo.config.database_url()
($DATABASE_URL or the SQLite file under data/).

All pending revisions run in one transaction, after taking a lock, so that two processes opening a new
database at once create it once: the second waits, then finds it at the newest revision.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from geo import config as geo_config
from geo.store.engine import WRITE, engine_for
from geo.store.tables import Base

config = context.config
if config.config_file_name is not None:  # the alembic command line (Store(url) passes no ini file)
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata

_LOCK_KEY = 0x636D6170  # pg_advisory_xact_lock key for "migrations of this store"


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url") \
        or geo_config.database_url()


def _lock(connection: Connection) -> None:
    """Serialise migrations: PostgreSQL by an advisory lock; SQLite by the BEGIN IMMEDIATE of a store writer."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")


def _run(connection: Connection) -> None:
    with connection.begin():
        _lock(connection)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE by copy on SQLite
            compare_type=True,
        )
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = engine_for(_url())
    try:
        with engine.connect() as connection:
            _run(connection.execution_options(**{WRITE: True}))
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported: the revisions look at the database they upgrade")
run_migrations_online()
