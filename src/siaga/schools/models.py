"""Schools in a Polres's area, starting with those its intelligence unit maps as brawl-prone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

SCHOOL_LEVELS = ("SD", "SMP", "SMA", "SMK", "MTS", "MA")
PATROL_STATUSES = ("planned", "covered", "missed")


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[str] = mapped_column(String(8))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    coords_approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Local "HH:MM" dismissal times, per weekday name or "default".
    dismissal_times: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    brawl_prone: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(String(200))
    # Added by 0006_intel.
    address: Mapped[str | None] = mapped_column(String(300))
    # [{"role": "kepala sekolah", "name": ..., "phone": ...}, ...]
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)


class SchoolPatrol(Base):
    """A patrol due at a school's dismissal time, checked afterwards against GPS tracks."""

    __tablename__ = "school_patrols"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), default="/", index=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    closest_m: Mapped[float | None] = mapped_column(Float)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
