"""Analysts' corrections of resolutions (kept across re-processing) and the audit trail.

Revision ID: 0003_corrections_audit
Revises: 0002_places_geom
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_corrections_audit"
down_revision = "0002_places_geom"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),  # "drop" | "place"
        sa.Column("name", sa.String(400)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("feature", sa.String(64)),
        sa.Column("country", sa.String(8)),
        sa.Column("geonameid", sa.Integer),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("article_id", "start", "end", name="uq_corrections_span"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200)),
        sa.Column("detail", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_table("corrections")
