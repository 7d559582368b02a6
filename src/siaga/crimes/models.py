"""Recorded crime incidents and the near-repeat alerts they raise."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, UTCDateTime, utcnow

INCIDENT_SOURCES = ("alarm", "report", "import")


class CrimeIncident(Base):
    """One crime, placed in time and space, with the kelurahan and Polsek it falls in."""

    __tablename__ = "crime_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    crime_type: Mapped[str] = mapped_column(String(40), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    # Makes imports and the alarm hook repeatable: "alarm:<id>", "<file tag>:<row id>", ...
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    alarm_id: Mapped[int | None] = mapped_column(ForeignKey("alarms.id"))
    description: Mapped[str | None] = mapped_column(String(1000))
    location_type: Mapped[str | None] = mapped_column(String(60))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NearRepeatAlert(Base):
    """A warning to a kelurahan's Bhabinkamtibmas that risk is raised near a fresh incident."""

    __tablename__ = "nearrepeat_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("crime_incidents.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    crime_type: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
