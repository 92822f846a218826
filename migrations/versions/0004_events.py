"""Events (who did what where) found in each article, with their evidence sentence.

Revision ID: 0004_events
Revises: 0003_corrections_audit

The place of an event is the mention at (article_id, place_start): joined at read time, so an analyst's
correction of that mention moves the event with it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_events"
down_revision = "0003_corrections_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("subtype", sa.String(128), nullable=False),
        sa.Column("actor1", sa.String(200)),
        sa.Column("actor2", sa.String(200)),
        sa.Column("place_start", sa.Integer),
        sa.Column("precision", sa.Integer),
        sa.Column("modality", sa.String(32), nullable=False),
        sa.Column("trigger", sa.String(200), nullable=False),
        sa.Column("trigger_start", sa.Integer, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
    )
    op.create_index("ix_events_article_id", "events", ["article_id"])
    op.create_index("ix_events_type", "events", ["type"])


def downgrade() -> None:
    op.drop_table("events")
