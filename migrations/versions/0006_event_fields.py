"""The ACLED fields of an event: its date, fatalities, associated actors, interaction, country, admin1, precision.

Revision ID: 0006_event_fields
Revises: 0005_event_corrections

All nullable: events stored before are read back with None, and `python -m geo events` fills them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_event_fields"
down_revision = "0005_event_corrections"
branch_labels = None
depends_on = None

COLUMNS = (("event_date", sa.String(10)), ("date_precision", sa.Integer), ("fatalities", sa.Integer),
           ("assoc_actor1", sa.String(200)), ("assoc_actor2", sa.String(200)), ("interaction", sa.Integer),
           ("country", sa.String(8)), ("admin1", sa.String(200)), ("geo_precision", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_index("ix_events_event_date", "events", ["event_date"])


def downgrade() -> None:
    op.drop_index("ix_events_event_date", "events")
    with op.batch_alter_table("events") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
