"""dispatch: assignments of units to alarms, escalations, closing outcomes

Revision ID: 0004_dispatch
Revises: 0002_units
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0004_dispatch'
down_revision = '0002_units'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alarm_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('org_path', sa.String(length=400), nullable=False),
        sa.Column('dispatched_by_id', sa.Integer(), nullable=True),
        sa.Column('dispatched_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('accepted_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('en_route_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('on_scene_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('cleared_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('cancelled_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('eta_s', sa.Float(), nullable=True),
        sa.Column('distance_m', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['alarm_id'], ['alarms.id'],
                                name=op.f('fk_assignments_alarm_id_alarms')),
        sa.ForeignKeyConstraint(['dispatched_by_id'], ['users.id'],
                                name=op.f('fk_assignments_dispatched_by_id_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                                name=op.f('fk_assignments_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_alarm_id'), ['alarm_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_unit_id'), ['unit_id'], unique=False)

    op.create_table(
        'alarm_escalations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alarm_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('at', siaga.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('to_org_id', sa.Integer(), nullable=True),
        sa.Column('to_role', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['alarm_id'], ['alarms.id'],
                                name=op.f('fk_alarm_escalations_alarm_id_alarms')),
        sa.ForeignKeyConstraint(['to_org_id'], ['organisations.id'],
                                name=op.f('fk_alarm_escalations_to_org_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alarm_escalations')),
        sa.UniqueConstraint('alarm_id', 'kind', name=op.f('uq_alarm_escalations_alarm_id')),
    )
    with op.batch_alter_table('alarm_escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alarm_escalations_alarm_id'), ['alarm_id'],
                              unique=False)

    op.create_table(
        'alarm_closures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alarm_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=True),
        sa.Column('crime_type', sa.String(length=40), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['alarm_id'], ['alarms.id'],
                                name=op.f('fk_alarm_closures_alarm_id_alarms')),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'],
                                name=op.f('fk_alarm_closures_closed_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alarm_closures')),
        sa.UniqueConstraint('alarm_id', name=op.f('uq_alarm_closures_alarm_id')),
    )
    with op.batch_alter_table('alarm_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alarm_closures_outcome'), ['outcome'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alarm_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alarm_closures_outcome'))
    op.drop_table('alarm_closures')
    with op.batch_alter_table('alarm_escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alarm_escalations_alarm_id'))
    op.drop_table('alarm_escalations')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_status'))
        batch_op.drop_index(batch_op.f('ix_assignments_org_path'))
        batch_op.drop_index(batch_op.f('ix_assignments_alarm_id'))
    op.drop_table('assignments')
