"""Panic alarms, their timeline and the caller's location history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

ACTIVE_STATUSES = ("open", "acknowledged", "dispatched", "en_route", "on_scene")
FINAL_STATUSES = ("closed", "cancelled")
# Priorities: higher first on /ops.
PRIORITY_NORMAL, PRIORITY_DURESS, PRIORITY_OFFICER = 0, 1, 2


class Alarm(Base):
    __tablename__ = "alarms"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="panic")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    distance_to_region_m: Mapped[float | None] = mapped_column(Float)
    triggered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(40))
    outcome_detail: Mapped[str | None] = mapped_column(String(120))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    # SQLAlchemy's version counter (see __mapper_args__): every ORM UPDATE checks and bumps it,
    # so a concurrent change loses with StaleDataError (409); screens use it to order snapshots.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Copied from the device when the alarm arrives so the operator sees it at a glance.
    device_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=PRIORITY_NORMAL, index=True)
    # The caller "cancelled" with the duress PIN: still active; the caller's phone shows it as
    # cancelled (caller_sees_cancelled) until the caller presses again.
    duress: Mapped[bool] = mapped_column(Boolean, default=False)
    duress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    caller_sees_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Cancelled by the caller after an operator acted: stays in the queue until confirmed.
    needs_cancel_confirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Alarms of one emergency from several phones share the id of the group's earliest alarm.
    incident_id: Mapped[int | None] = mapped_column(Integer, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(Integer)
    # When the phone measured the position (GeolocationPosition.timestamp), not when it arrived.
    fix_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For an alarm sent by SMS, where its position came from: "text" (in the SMS), "device"
    # (the phone's last known position) or "unknown" (placed at the Polres office). The newest
    # SMS of the alarm decides; None for alarms from the app.
    location_source: Mapped[str | None] = mapped_column(String(16))

    __mapper_args__ = {"version_id_col": version}


class AlarmEvent(Base):
    """One line of an alarm's timeline; never updated or deleted."""

    __tablename__ = "alarm_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    type: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_citizen: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class AlarmPress(Base):
    """A later press (its own client_id) that joined an alarm already active on the device."""

    __tablename__ = "alarm_presses"

    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlarmLocation(Base):
    __tablename__ = "alarm_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
