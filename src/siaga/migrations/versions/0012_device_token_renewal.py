"""Device tokens expire: when each was last renewed by use

Revision ID: 0012_device_token_renewal
Revises: 0011_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = '0012_device_token_renewal'
down_revision = '0011_merge_heads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null means never renewed: the token's age counts from the device's registration.
    with op.batch_alter_table('devices') as batch:
        batch.add_column(sa.Column('token_renewed_at', siaga.db.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices') as batch:
        batch.drop_column('token_renewed_at')
