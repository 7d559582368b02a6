"""Patrol plans for a shift and the ordered points each unit is asked to visit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

POINT_KINDS = ("hotspot", "school")


class PatrolPlan(Base):
    __tablename__ = "patrol_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime)
    crime_type: Mapped[str | None] = mapped_column(String(40))
    # The inputs and balance figures, kept so a plan can be explained afterwards.
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PatrolPoint(Base):
    __tablename__ = "patrol_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("patrol_plans.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
