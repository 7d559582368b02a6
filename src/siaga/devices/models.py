"""Citizen phones registered for the panic button."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, UTCDateTime, utcnow


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    phone: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    # A second PIN that looks like a cancel on the phone but keeps the alarm active (duress).
    duress_pin_hash: Mapped[str | None] = mapped_column(String(200))
    # Set for the stand-in device of a patrol unit whose GPS app sent an SOS (no citizen).
    unit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Last renewal of the token by use (null: since registration); see devices/guards.py.
    token_renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    false_alarm_count: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_reason: Mapped[str | None] = mapped_column(String(300))
    warning_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
