"""Patrol units (cars, motorbikes, duty desks, officers on foot) and their GPS history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

UNIT_KINDS = ("car", "motorbike", "desk", "officer")
# Each kind as every page and export names it (the pages' copy: web/static/common.js
# UNIT_KIND_LABELS).
UNIT_KIND_LABELS = {"car": "Mobil patroli", "motorbike": "Motor patroli", "desk": "Pos piket",
                    "officer": "Petugas (HP)"}
# TicketsCAD-style statuses, as DOMAIN.md lists them.
UNIT_STATUSES = ("available", "dispatched", "en_route", "on_scene", "returning", "out_of_service")


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    callsign: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="car")
    status: Mapped[str] = mapped_column(String(20), default="available", index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    # What the unit's GPS app sends as `id` (Traccar Client / OsmAnd) or its OwnTracks device.
    tracker_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The officer whose phone is this unit (officer units) or who leads the crew.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    crew: Mapped[list[str]] = mapped_column(JSONType, default=list)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    speed_kmh: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[float | None] = mapped_column(Float)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A retired unit stays for history but leaves the map, dispatch and GPS intake.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UnitPosition(Base):
    """One accepted GPS fix; old history is downsampled, never silently rewritten."""

    __tablename__ = "unit_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    speed_kmh: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    altitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RejectedFix(Base):
    """A fix refused at intake, kept with the reason so bad trackers can be diagnosed."""

    __tablename__ = "rejected_fixes"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[str] = mapped_column(String(80), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    reason: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
