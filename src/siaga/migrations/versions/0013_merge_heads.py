"""One linear history again after the admin, alarm lifecycle, device token, report signature and
socket ticket revisions, which all followed 0011.

Revision ID: 0013_merge_heads
Revises: 0012_admin, 0012_alarm_lifecycle, 0012_device_token_renewal, 0012_report_signatures,
         0012_ws_tickets
"""

from __future__ import annotations

revision = "0013_merge_heads"
down_revision = (
    "0012_admin",
    "0012_alarm_lifecycle",
    "0012_device_token_renewal",
    "0012_report_signatures",
    "0012_ws_tickets",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
