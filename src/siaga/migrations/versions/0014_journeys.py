"""Journeys ("Antar Aku") and their last positions; SMS messages found by alarm

Revision ID: 0014_journeys
Revises: 0013_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0014_journeys'
down_revision = '0013_merge_heads'
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split('.')[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{ref}'))


def upgrade() -> None:
    op.create_table('journeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expected_end_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dest_lat', sa.Float(), nullable=True),
    sa.Column('dest_lon', sa.Float(), nullable=True),
    sa.Column('dest_label', sa.String(length=120), nullable=True),
    sa.Column('ended_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('alarm_id', sa.Integer(), nullable=True),
    _fk('journeys', 'device_id', 'devices.id'),
    _fk('journeys', 'alarm_id', 'alarms.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journeys'))
    )
    op.create_index(op.f('ix_journeys_device_id'), 'journeys', ['device_id'])
    op.create_table('journey_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journey_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('fix_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('journey_positions', 'journey_id', 'journeys.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journey_positions'))
    )
    op.create_index(op.f('ix_journey_positions_journey_id'), 'journey_positions', ['journey_id'])
    # The staff alarm JSON asks per alarm whether an SMS placed it without a position.
    op.create_index(op.f('ix_sms_messages_alarm_id'), 'sms_messages', ['alarm_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_sms_messages_alarm_id'), table_name='sms_messages')
    op.drop_index(op.f('ix_journey_positions_journey_id'), table_name='journey_positions')
    op.drop_table('journey_positions')
    op.drop_index(op.f('ix_journeys_device_id'), table_name='journeys')
    op.drop_table('journeys')
