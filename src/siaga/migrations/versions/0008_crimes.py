"""crime register, near-repeat alerts, patrol plans

Revision ID: 0008_crimes
Revises: 0002_units
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0008_crimes'
down_revision = '0002_units'
branch_labels = None
depends_on = None

_INDEXES = {
    'crime_incidents': ['crime_type', 'occurred_at', 'region_id', 'org_id', 'org_path', 'source'],
    'nearrepeat_alerts': ['incident_id', 'user_id', 'org_path', 'valid_until'],
    'patrol_plans': ['org_id', 'org_path', 'shift_start'],
    'patrol_points': ['plan_id', 'unit_id'],
}


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split('.')[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{ref}'))


def upgrade() -> None:
    op.create_table('crime_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crime_type', sa.String(length=40), nullable=False),
    sa.Column('occurred_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('org_path', sa.String(length=400), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=True),
    sa.Column('alarm_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=1000), nullable=True),
    sa.Column('location_type', sa.String(length=60), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('crime_incidents', 'region_id', 'regions.id'),
    _fk('crime_incidents', 'org_id', 'organisations.id'),
    _fk('crime_incidents', 'alarm_id', 'alarms.id'),
    _fk('crime_incidents', 'created_by_id', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crime_incidents')),
    sa.UniqueConstraint('external_id', name=op.f('uq_crime_incidents_external_id'))
    )
    op.create_table('nearrepeat_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('org_path', sa.String(length=400), nullable=False),
    sa.Column('crime_type', sa.String(length=40), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('radius_m', sa.Float(), nullable=False),
    sa.Column('valid_until', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    _fk('nearrepeat_alerts', 'incident_id', 'crime_incidents.id'),
    _fk('nearrepeat_alerts', 'user_id', 'users.id'),
    _fk('nearrepeat_alerts', 'region_id', 'regions.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nearrepeat_alerts'))
    )
    op.create_table('patrol_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=400), nullable=False),
    sa.Column('shift_start', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shift_end', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('crime_type', sa.String(length=40), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('patrol_plans', 'org_id', 'organisations.id'),
    _fk('patrol_plans', 'created_by_id', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_plans'))
    )
    op.create_table('patrol_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('risk', sa.Float(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('window_start', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('window_end', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('patrol_points', 'plan_id', 'patrol_plans.id'),
    _fk('patrol_points', 'unit_id', 'units.id'),
    _fk('patrol_points', 'school_id', 'schools.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_points'))
    )
    for table, columns in _INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    for table in reversed(list(_INDEXES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in _INDEXES[table]:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
