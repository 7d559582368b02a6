"""Visits (blangko kunjungan), their photo proof and the follow-up tasks they raise."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

PLACE_TYPES = ("house", "worship", "school", "office", "shop", "other")
TOPICS = ("crime", "drugs", "brawl", "radicalism", "dispute", "traffic", "disaster", "other")
FUNCTIONS = ("reskrim", "samapta", "binmas", "intelkam", "lantas")
FOLLOW_UP_STATUSES = ("open", "in_progress", "done", "cancelled")
FOLLOW_UP_CLOSED = ("done", "cancelled")


class Photo(Base):
    """One stored image file, content-addressed by its SHA-256; shared by every use of it."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # 64-bit difference hash as 16 hex digits: near-identical images differ in few bits.
    dhash: Mapped[str] = mapped_column(String(16), index=True)
    mime: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    exif_lon: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Visit(Base):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    rw: Mapped[str | None] = mapped_column(String(8))
    rt: Mapped[str | None] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(300))
    place_type: Mapped[str] = mapped_column(String(16))
    place_name: Mapped[str | None] = mapped_column(String(200))
    person_name: Mapped[str | None] = mapped_column(String(200))
    person_role: Mapped[str | None] = mapped_column(String(120))
    person_phone: Mapped[str | None] = mapped_column(String(40))
    topics: Mapped[list[str]] = mapped_column(JSONType, default=list)
    findings: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    # [{"code": ..., "msg": ..., ...}]: reasons a leader should look twice; never a refusal.
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VisitPhoto(Base):
    __tablename__ = "visit_photos"
    __table_args__ = (UniqueConstraint("visit_id", "photo_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class FollowUp(Base):
    """A problem heard on a visit (or in a tip), handed to a function's duty desk."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    tip_id: Mapped[int | None] = mapped_column(ForeignKey("tips.id"), index=True)
    function: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[str] = mapped_column(Text)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
