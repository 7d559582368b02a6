"""One linear history again after the alarm location source and the geofence hotspot-zone
revisions, which both followed 0015.

Revision ID: 0017_merge_heads
Revises: 0016_alarm_location_source, 0016_geofence_hotspots
"""

from __future__ import annotations

revision = "0017_merge_heads"
down_revision = ("0016_alarm_location_source", "0016_geofence_hotspots")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
