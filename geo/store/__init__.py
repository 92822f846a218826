"""Stage 4: the only owner of the schema: tables, writes, spatial queries and the frames the map reads.

    tables.py       the schema, defined once (SQLAlchemy tables; the Alembic migrations build it)
    engine.py       opening a URL: SQLite's locking, the schema brought up to date
    spatial.py      bounding boxes and distances in SQL (PostGIS indexes, or lat/lon on SQLite)
    rows.py         core types <-> table rows
    writes.py       bulk inserts, replacing mentions/events, putting corrections back
    reads.py        articles, mentions and events back; the mention and nearby-place frames
    corrections.py  analysts' fixes and the audit trail
    store.py        Store: the public API over the above
    frames.py       the whole store as frames for the map (fast bulk reads), and their aggregates
    snapshot.py     those frames kept on disk beside the store, for a fast server start

Callers import from here: ``from geo.store import Store``.
"""

from geo.store.engine import SCHEMA_HEAD, engine_for, migrate, schema_revision
from geo.store.reads import FRAME_COLUMNS, PLACE_COLUMNS
from geo.store.rows import EVENT_COLUMNS, event_row
from geo.store.spatial import BBox
from geo.store.store import Store
from geo.store.writes import Analysed

__all__ = [
    "EVENT_COLUMNS",
    "FRAME_COLUMNS",
    "PLACE_COLUMNS",
    "SCHEMA_HEAD",
    "Analysed",
    "BBox",
    "Store",
    "engine_for",
    "event_row",
    "migrate",
    "schema_revision",
]
