"""Display names: a place as people write it (Palmyra for the gazetteer's Tadmur), on places and corrections.

Revision ID: 0007_display_names
Revises: 0006_event_fields

Nullable: NULL means the name. Rows stored before are filled from the gazetteer index by GeoNames id when
the index is there and knows display names (its schema 6); otherwise they stay NULL, and the next article
that names the place writes its display name (geo.store.writes.place_ids).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from geo import config

revision = "0007_display_names"
down_revision = "0006_event_fields"
branch_labels = None
depends_on = None

TABLES = ("places", "corrections")


def gazetteer_display_names(index_file: Path) -> dict[int, str]:
    """GeoNames id -> display name of the entries whose display name is not their name; {} without an
    index, or with one built before display names (no entries.display)."""
    if not index_file.exists():
        return {}
    con = sqlite3.connect(f"file:{index_file}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT geonameid, display FROM entries "
                           "WHERE display IS NOT NULL AND geonameid IS NOT NULL").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        con.close()
    return {int(g): d for g, d in rows}


def _fill(conn: sa.Connection, table: str, names: dict[int, str]) -> None:
    t = sa.table(table, sa.column("id", sa.Integer), sa.column("geonameid", sa.Integer),
                 sa.column("display_name", sa.String))
    rows = conn.execute(sa.select(t.c.id, t.c.geonameid).where(t.c.geonameid.is_not(None))).all()
    updates = [{"row_id": i, "display": names[g]} for i, g in rows if g in names]
    if updates:
        conn.execute(t.update().where(t.c.id == sa.bindparam("row_id")).values(display_name=sa.bindparam("display")),
                     updates)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in TABLES:
        # A store made by create_all before the migrations (adopted by 0001) may have the column already.
        if "display_name" not in {c["name"] for c in inspector.get_columns(table)}:
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column("display_name", sa.String(400), nullable=True))
    names = gazetteer_display_names(Path(config.INDEX_DIR) / "gazetteer.sqlite")  # read when run, not imported
    if names:
        conn = op.get_bind()
        for table in TABLES:
            _fill(conn, table, names)


def downgrade() -> None:
    for table in reversed(TABLES):
        if op.get_bind().dialect.name == "sqlite":
            # SQLite drops a column in place (3.35+); a batch copy would drop `places`, which mentions refer to.
            op.execute(f"ALTER TABLE {table} DROP COLUMN display_name")
        else:
            op.drop_column(table, "display_name")
