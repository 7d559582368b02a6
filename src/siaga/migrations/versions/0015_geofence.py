"""Geofence rules and the alerts they open

Revision ID: 0015_geofence
Revises: 0014_journeys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0015_geofence'
down_revision = '0014_journeys'
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split('.')[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{ref}'))


def upgrade() -> None:
    op.create_table('geofence_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=400), nullable=False),
    sa.Column('zone_source', sa.String(length=10), nullable=True),
    sa.Column('zone_geojson', sa.Text(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('center_lat', sa.Float(), nullable=True),
    sa.Column('center_lon', sa.Float(), nullable=True),
    sa.Column('radius_m', sa.Float(), nullable=True),
    sa.Column('silent_minutes', sa.Integer(), nullable=True),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=True),
    sa.Column('end_time', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    _fk('geofence_rules', 'org_id', 'organisations.id'),
    _fk('geofence_rules', 'region_id', 'regions.id'),
    _fk('geofence_rules', 'school_id', 'schools.id'),
    _fk('geofence_rules', 'created_by', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geofence_rules'))
    )
    op.create_index(op.f('ix_geofence_rules_org_id'), 'geofence_rules', ['org_id'])
    op.create_index(op.f('ix_geofence_rules_org_path'), 'geofence_rules', ['org_path'])
    op.create_table('geofence_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('alarm_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('org_path', sa.String(length=400), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('active_key', sa.String(length=40), nullable=True),
    sa.Column('opened_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('resolved_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    _fk('geofence_alerts', 'rule_id', 'geofence_rules.id'),
    _fk('geofence_alerts', 'unit_id', 'units.id'),
    _fk('geofence_alerts', 'alarm_id', 'alarms.id'),
    _fk('geofence_alerts', 'acknowledged_by', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geofence_alerts')),
    sa.UniqueConstraint('active_key', name=op.f('uq_geofence_alerts_active_key'))
    )
    op.create_index(op.f('ix_geofence_alerts_rule_id'), 'geofence_alerts', ['rule_id'])
    op.create_index(op.f('ix_geofence_alerts_unit_id'), 'geofence_alerts', ['unit_id'])
    op.create_index(op.f('ix_geofence_alerts_alarm_id'), 'geofence_alerts', ['alarm_id'])
    op.create_index(op.f('ix_geofence_alerts_org_path'), 'geofence_alerts', ['org_path'])
    op.create_index(op.f('ix_geofence_alerts_status'), 'geofence_alerts', ['status'])


def downgrade() -> None:
    op.drop_table('geofence_alerts')
    op.drop_table('geofence_rules')
