"""Who signs a Polres's reports: one row per Polres, set on /admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, UTCDateTime, utcnow


class ReportSignature(Base):
    __tablename__ = "report_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    place: Mapped[str] = mapped_column(String(80))
    position: Mapped[str] = mapped_column(String(160))
    name: Mapped[str] = mapped_column(String(160))
    rank: Mapped[str] = mapped_column(String(80))
    nrp: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
