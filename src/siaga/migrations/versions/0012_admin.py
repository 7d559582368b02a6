"""Administration: duty roster shifts and desks, Bhabinkamtibmas villages, reset codes, retired units

Revision ID: 0012_admin
Revises: 0011_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0012_admin'
down_revision = '0011_merge_heads'
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split('.')[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{ref}'))


def upgrade() -> None:
    op.create_table('roster_shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=400), nullable=False),
    sa.Column('starts_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('roster_shifts', 'org_id', 'organisations.id'),
    _fk('roster_shifts', 'supervisor_id', 'users.id'),
    _fk('roster_shifts', 'created_by_id', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_shifts')))
    for column in ('org_id', 'org_path', 'starts_at', 'ends_at'):
        op.create_index(op.f(f'ix_roster_shifts_{column}'), 'roster_shifts', [column])
    op.create_table('roster_duties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('desk', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    _fk('roster_duties', 'shift_id', 'roster_shifts.id'),
    _fk('roster_duties', 'user_id', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_duties')))
    for column in ('shift_id', 'user_id'):
        op.create_index(op.f(f'ix_roster_duties_{column}'), 'roster_duties', [column])
    op.create_table('bhabin_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('bhabin_assignments', 'region_id', 'regions.id'),
    _fk('bhabin_assignments', 'user_id', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bhabin_assignments')),
    sa.UniqueConstraint('region_id', name=op.f('uq_bhabin_assignments_region_id')))
    op.create_index(op.f('ix_bhabin_assignments_user_id'), 'bhabin_assignments', ['user_id'])
    op.create_table('password_reset_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    _fk('password_reset_codes', 'user_id', 'users.id'),
    _fk('password_reset_codes', 'created_by_id', 'users.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_password_reset_codes_code_hash')))
    op.create_index(op.f('ix_password_reset_codes_user_id'), 'password_reset_codes',
                    ['user_id'])
    op.add_column('units', sa.Column('retired_at', siaga.db.UTCDateTime(timezone=True),
                                     nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('units') as batch:
        batch.drop_column('retired_at')
    op.drop_table('password_reset_codes')
    op.drop_table('bhabin_assignments')
    op.drop_table('roster_duties')
    op.drop_table('roster_shifts')
