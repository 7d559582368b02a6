"""Geofence rules: the top N hotspot cells of the current shift as a zone; last edit time

Revision ID: 0016_geofence_hotspots
Revises: 0015_geofence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0016_geofence_hotspots'
down_revision = '0015_geofence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('geofence_rules') as batch:
        batch.add_column(sa.Column('hotspot_top_n', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('updated_at', siaga.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('geofence_rules') as batch:
        batch.drop_column('updated_at')
        batch.drop_column('hotspot_top_n')
