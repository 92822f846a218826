"""Analysts' corrections of events (type, sub-type, actors, modality...; or "not an event").

Revision ID: 0005_event_corrections
Revises: 0004_events

Kept by the event's trigger offset, like a place correction by its span, so that they are applied again
when the article's events are found again. `fields` is the analyst's whole event as JSON (the columns of
the events table), so that columns added to events later need no change here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_event_corrections"
down_revision = "0004_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("trigger_start", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),  # "drop" | "event"
        sa.Column("fields", sa.Text),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("article_id", "trigger_start", name="uq_event_corrections_trigger"),
    )


def downgrade() -> None:
    op.drop_table("event_corrections")
