"""Geofence rules (zone, window, scope) and the alerts they open on the units' GPS tracks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

# leave_jurisdiction: a unit on duty outside its org's area; zone_uncovered: no unit inside the
# zone during the window; unit_silent: a unit on duty sent no fix for N minutes.
# officer_sos: an officer's SOS alarm, mirrored as an alert linked to it.
RULE_KINDS = ("leave_jurisdiction", "zone_uncovered", "unit_silent", "officer_sos")
# polygon: drawn GeoJSON; region: a region's boundary; school: a circle around a school;
# hotspots: the top N forecast cells of the shift running at each tick (no stored geometry).
ZONE_SOURCES = ("polygon", "region", "school", "hotspots")
# open: new; acknowledged: an operator took it; resolved: the condition cleared.
ALERT_STATUSES = ("open", "acknowledged", "resolved")


class GeofenceRule(Base):
    __tablename__ = "geofence_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    zone_source: Mapped[str | None] = mapped_column(String(10))
    # The zone as GeoJSON geometry text (polygon or region), resolved when the rule is saved.
    zone_geojson: Mapped[str | None] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    center_lat: Mapped[float | None] = mapped_column(Float)
    center_lon: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[float | None] = mapped_column(Float)
    silent_minutes: Mapped[int | None] = mapped_column(Integer)
    hotspot_top_n: Mapped[int | None] = mapped_column(Integer)
    # ISO weekdays (1 = Senin ... 7 = Minggu) in WIB; empty: every day.
    days: Mapped[list[int]] = mapped_column(JSONType, default=list)
    # Local WIB "HH:MM"; both empty: all day. start > end runs past midnight.
    start_time: Mapped[str | None] = mapped_column(String(5))
    end_time: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GeofenceAlert(Base):
    __tablename__ = "geofence_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("geofence_rules.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    alarm_id: Mapped[int | None] = mapped_column(ForeignKey("alarms.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    message: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # "rule:unit" (or "rule:zone") while not resolved, NULL after: one live alert per key.
    active_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
