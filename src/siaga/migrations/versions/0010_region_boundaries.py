"""Village boundaries: each region may carry its polygon as GeoJSON text.

Revision ID: 0010_region_boundaries
Revises: 0009_merge_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_region_boundaries"
down_revision = "0009_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("regions") as batch:
        batch.add_column(sa.Column("boundary", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("regions") as batch:
        batch.drop_column("boundary")
