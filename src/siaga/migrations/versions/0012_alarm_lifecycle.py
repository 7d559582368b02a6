"""Alarm lifecycle: duress PIN, caller cancellation awaiting confirmation, priority, incidents,
the position's fix time, joined presses and officers' SOS devices.

Revision ID: 0012_alarm_lifecycle
Revises: 0011_merge_heads
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import siaga.db

revision = "0012_alarm_lifecycle"
down_revision = "0011_merge_heads"
branch_labels = None
depends_on = None

# Plain columns only (ALTER TABLE ADD COLUMN): SQLite then needs no table rebuild.
_ALARM_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("priority", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("duress", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("duress_at", siaga.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("needs_cancel_confirmation", sa.Boolean(), nullable=False,
              server_default=sa.false()),
    sa.Column("caller_sees_cancelled", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("incident_id", sa.Integer(), nullable=True),
    sa.Column("merged_into_id", sa.Integer(), nullable=True),
    sa.Column("fix_at", siaga.db.UTCDateTime(timezone=True), nullable=True),
)


def upgrade() -> None:
    for column in _ALARM_COLUMNS:
        op.add_column("alarms", column)
    op.create_index(op.f("ix_alarms_incident_id"), "alarms", ["incident_id"])
    op.create_index(op.f("ix_alarms_priority"), "alarms", ["priority"])
    op.add_column("devices", sa.Column("duress_pin_hash", sa.String(length=200), nullable=True))
    op.add_column("devices", sa.Column("unit_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_devices_unit_id"), "devices", ["unit_id"])
    op.create_table(
        "alarm_presses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("at", siaga.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alarm_id"], ["alarms.id"],
                                name=op.f("fk_alarm_presses_alarm_id_alarms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_presses")),
        sa.UniqueConstraint("client_id", name=op.f("uq_alarm_presses_client_id")),
    )
    op.create_index(op.f("ix_alarm_presses_alarm_id"), "alarm_presses", ["alarm_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alarm_presses_alarm_id"), table_name="alarm_presses")
    op.drop_table("alarm_presses")
    op.drop_index(op.f("ix_devices_unit_id"), table_name="devices")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("unit_id")
        batch.drop_column("duress_pin_hash")
    op.drop_index(op.f("ix_alarms_priority"), table_name="alarms")
    op.drop_index(op.f("ix_alarms_incident_id"), table_name="alarms")
    with op.batch_alter_table("alarms") as batch:
        for column in reversed(_ALARM_COLUMNS):
            batch.drop_column(column.name)
