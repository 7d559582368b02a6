"""SMS gateway messages and queued replies

Revision ID: 0010_sms
Revises: 0009_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0010_sms'
down_revision = '0009_merge_heads'
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split('.')[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f'fk_{table}_{column}_{ref}'))


def upgrade() -> None:
    op.create_table('sms_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=40), nullable=False),
    sa.Column('sent_to', sa.String(length=40), nullable=True),
    sa.Column('gateway_device_id', sa.String(length=120), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('location_source', sa.String(length=16), nullable=True),
    sa.Column('alarm_id', sa.Integer(), nullable=True),
    sa.Column('tip_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    _fk('sms_messages', 'alarm_id', 'alarms.id'),
    _fk('sms_messages', 'tip_id', 'tips.id'),
    _fk('sms_messages', 'org_id', 'organisations.id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_sms_messages_message_id'))
    )
    op.create_index(op.f('ix_sms_messages_sender'), 'sms_messages', ['sender'])
    op.create_table('sms_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('to', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', siaga.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handed_out_at', siaga.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_replies')),
    sa.UniqueConstraint('uuid', name=op.f('uq_sms_replies_uuid'))
    )
    op.create_index(op.f('ix_sms_replies_handed_out_at'), 'sms_replies', ['handed_out_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_sms_replies_handed_out_at'), table_name='sms_replies')
    op.drop_table('sms_replies')
    op.drop_index(op.f('ix_sms_messages_sender'), table_name='sms_messages')
    op.drop_table('sms_messages')
