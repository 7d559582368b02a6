"""Assignments of units to alarms, escalation records and closing outcomes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, UTCDateTime, utcnow

# Forward-only life of an assignment; "cancelled" is the operator recalling the unit,
# "cancelled_by_caller" the citizen cancelling the alarm (see dispatch/assignments.py).
ASSIGNMENT_STEPS = ("dispatched", "accepted", "en_route", "on_scene", "cleared")
ASSIGNMENT_FINAL = ("cleared", "cancelled", "cancelled_by_caller")
# How officers and operators call each step (messages and timelines).
ASSIGNMENT_LABELS = {
    "dispatched": "ditugaskan", "accepted": "diterima", "en_route": "menuju lokasi",
    "on_scene": "di lokasi", "cleared": "selesai", "cancelled": "dibatalkan",
    "cancelled_by_caller": "dibatalkan pelapor",
}
OUTCOMES = ("genuine", "false_alarm", "prank", "duplicate")
CATEGORIES = ("crime", "medical", "fire", "other")
ESCALATION_KINDS = ("unacknowledged", "undispatched", "arrival_overdue")


class Assignment(Base):
    """One unit sent to one alarm, with the time of every step."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="dispatched", index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    en_route_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_scene_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The estimate shown to the operator when dispatching, kept to judge the estimator.
    eta_s: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)


class AlarmEscalation(Base):
    """An alarm passing a timer; one row per alarm and kind, so no worker records it twice."""

    __tablename__ = "alarm_escalations"
    __table_args__ = (UniqueConstraint("alarm_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who must act now: the organisation and role the alarm was escalated to.
    to_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    to_role: Mapped[str] = mapped_column(String(16))


class AlarmClosure(Base):
    """How an alarm ended, as the operator recorded it."""

    __tablename__ = "alarm_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str | None] = mapped_column(String(20))
    crime_type: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
