"""One linear history again: village boundaries and the SMS gateway both followed 0009.

Revision ID: 0011_merge_heads
Revises: 0010_region_boundaries, 0010_sms
"""

from __future__ import annotations

revision = "0011_merge_heads"
down_revision = ("0010_region_boundaries", "0010_sms")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
