"""Alarms keep where their position came from (SMS alarms), backfilled from their newest SMS

Revision ID: 0016_alarm_location_source
Revises: 0015_geofence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016_alarm_location_source'
down_revision = '0015_geofence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alarms') as batch:
        batch.add_column(sa.Column('location_source', sa.String(length=16), nullable=True))
    # The newest SMS linked to an alarm decided its source until now; it still does.
    op.execute(sa.text(
        "UPDATE alarms SET location_source = (SELECT s.location_source FROM sms_messages s"
        " WHERE s.alarm_id = alarms.id ORDER BY s.id DESC LIMIT 1)"
        " WHERE EXISTS (SELECT 1 FROM sms_messages s WHERE s.alarm_id = alarms.id)"))


def downgrade() -> None:
    with op.batch_alter_table('alarms') as batch:
        batch.drop_column('location_source')
