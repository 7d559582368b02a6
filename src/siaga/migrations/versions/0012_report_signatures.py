"""Who signs each Polres's reports (place, position, name, rank, NRP)

Revision ID: 0012_report_signatures
Revises: 0011_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0012_report_signatures'
down_revision = '0011_merge_heads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=80), nullable=False),
    sa.Column('position', sa.String(length=160), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('rank', sa.String(length=80), nullable=False),
    sa.Column('nrp', sa.String(length=30), nullable=False),
    sa.Column('updated_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'],
                            name=op.f('fk_report_signatures_org_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                            name=op.f('fk_report_signatures_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_signatures')),
    sa.UniqueConstraint('org_id', name=op.f('uq_report_signatures_org_id'))
    )


def downgrade() -> None:
    op.drop_table('report_signatures')
