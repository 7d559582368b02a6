"""One linear history: join the five domain branches (dispatch, visits, intel, scorecard, crimes).

Revision ID: 0009_merge_heads
Revises: 0004_dispatch, 0005_visits, 0006_intel, 0007_scorecard, 0008_crimes
"""

from __future__ import annotations

revision = "0009_merge_heads"
down_revision = ("0004_dispatch", "0005_visits", "0006_intel", "0007_scorecard", "0008_crimes")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
