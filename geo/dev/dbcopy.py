"""A throw-away copy of a PostgreSQL database, for tests and benchmarks that need an empty store.

The copy is made from the database at `url` as a template (so it has the PostGIS extension) and
dropped afterwards, even when connections are still open.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url


@contextmanager
def database_copy(url: str, prefix: str = "cm_tmp") -> Iterator[str]:
    """Yields the URL of a new database copied from `url`; raises if the server refuses to make it."""
    parsed = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE {name} TEMPLATE "{parsed.database}"')
        try:
            yield parsed.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.dispose()
