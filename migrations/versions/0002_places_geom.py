"""PostGIS: a point geometry for every place, kept equal to lat/lon, with spatial indexes.

``places.geom`` is a generated column (SRID 4326, from lon/lat), so no writer can let it drift. Two GiST
indexes: on geom (bounding-box filters, ``&&``) and on geom::geography (``ST_DWithin`` in metres).
Nothing happens on databases other than PostgreSQL; there the spatial filters use lat/lon.

Revision ID: 0002_places_geom
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0002_places_geom"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _ensure_postgis(bind) -> None:
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).scalar():
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar():
        raise RuntimeError(
            "this PostgreSQL server has no PostGIS: install it (Debian: apt-get install postgis) "
            "and run CREATE EXTENSION postgis in the database"
        )
    try:
        bind.execute(sa.text("CREATE EXTENSION postgis"))
    except DBAPIError as exc:
        raise RuntimeError(
            f"PostGIS is not enabled in this database and could not be ({exc.orig}); "
            "ask its owner to run CREATE EXTENSION postgis"
        ) from exc


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from geoalchemy2 import Geometry

    _ensure_postgis(bind)
    op.add_column(
        "places",
        sa.Column(
            "geom",
            Geometry("POINT", srid=4326, spatial_index=False),
            sa.Computed("ST_SetSRID(ST_MakePoint(lon, lat), 4326)", persisted=True),
        ),
    )
    op.create_index("ix_places_geom", "places", ["geom"], postgresql_using="gist")
    op.create_index(
        "ix_places_geog", "places", [sa.text("(CAST(geom AS geography))")], postgresql_using="gist"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_places_geog", table_name="places")
    op.drop_index("ix_places_geom", table_name="places")
    op.drop_column("places", "geom")
