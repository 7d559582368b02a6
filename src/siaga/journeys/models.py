"""A citizen's journey home ("Antar Aku") and the few positions it keeps while it runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, UTCDateTime, utcnow

# active: running; safe: the citizen checked in; alarm: it ended in an alarm.
JOURNEY_STATUSES = ("active", "safe", "alarm")


class Journey(Base):
    __tablename__ = "journeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expected_end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dest_lat: Mapped[float | None] = mapped_column(Float)
    dest_lon: Mapped[float | None] = mapped_column(Float)
    dest_label: Mapped[str | None] = mapped_column(String(120))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alarm_id: Mapped[int | None] = mapped_column(ForeignKey("alarms.id"))


class JourneyPosition(Base):
    """One of the last positions of a running journey; deleted when the journey ends."""

    __tablename__ = "journey_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    fix_at: Mapped[datetime] = mapped_column(UTCDateTime)
