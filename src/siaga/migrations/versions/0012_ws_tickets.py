"""Single-use tickets that open the staff live socket (no access token in a URL)

Revision ID: 0012_ws_tickets
Revises: 0011_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0012_ws_tickets'
down_revision = '0011_merge_heads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ws_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ws_tickets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ws_tickets')),
    sa.UniqueConstraint('ticket_hash', name=op.f('uq_ws_tickets_ticket_hash'))
    )
    op.create_index(op.f('ix_ws_tickets_user_id'), 'ws_tickets', ['user_id'])
    op.create_index(op.f('ix_ws_tickets_expires_at'), 'ws_tickets', ['expires_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_ws_tickets_expires_at'), table_name='ws_tickets')
    op.drop_index(op.f('ix_ws_tickets_user_id'), table_name='ws_tickets')
    op.drop_table('ws_tickets')
