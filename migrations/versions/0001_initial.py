"""Articles, places and mentions, as first stored.

A database made before there were migrations (by the store's create_all) already has these tables:
they are adopted as they are, and only missing ones are created.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "articles" not in existing:
        op.create_table(
            "articles",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("title", sa.Text()),
            sa.Column("source", sa.Text()),
            sa.Column("url", sa.Text()),
            sa.Column("published", sa.String(32)),
            sa.Column("language", sa.String(16)),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_articles_ingested_at", "articles", ["ingested_at"])
    if "places" not in existing:
        op.create_table(
            "places",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(400), nullable=False),
            sa.Column("lat", sa.Float(), nullable=False),
            sa.Column("lon", sa.Float(), nullable=False),
            sa.Column("feature", sa.String(64), nullable=False),
            sa.Column("country", sa.String(8)),
            sa.Column("geonameid", sa.Integer()),
            sa.Column("source", sa.String(64)),
            sa.UniqueConstraint("name", "feature", "lat", "lon", name="uq_places_name_feature_lat_lon"),
        )
    if "mentions" not in existing:
        op.create_table(
            "mentions",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
            sa.Column("place_id", sa.Integer(), sa.ForeignKey("places.id"), nullable=False),
            sa.Column("start", sa.Integer(), nullable=False),
            sa.Column("end", sa.Integer(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("score", sa.Float(), nullable=False),
        )
        op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
        op.create_index("ix_mentions_place_id", "mentions", ["place_id"])


def downgrade() -> None:
    op.drop_table("mentions")
    op.drop_table("places")
    op.drop_table("articles")
