"""Social-media posts, connector tokens, landmarks and the early warnings built from posts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

WARNING_STAGES = ("assembling", "gathering")
WARNING_STATUSES = ("open", "confirmed", "dismissed")


class ConnectorToken(Base):
    """A credential for a crawler or platform connector that pushes posts."""

    __tablename__ = "intel_connectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    org_path: Mapped[str] = mapped_column(String(400), default="/")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MediaPost(Base):
    """One public post as a connector or import delivered it, with its analysis."""

    __tablename__ = "intel_posts"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_intel_posts_source_ext"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    # HMAC of the handle: posts by one account can be linked without storing who it is.
    author_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    author_handle: Mapped[str | None] = mapped_column(String(120))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    text: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(500))
    org_path: Mapped[str] = mapped_column(String(400), default="/", index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    is_warning: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    analysis: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # 1 = brawl-related, 0 = not; set by an analyst's verdict on a warning.
    label: Mapped[int | None] = mapped_column(Integer)
    labelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Landmark(Base):
    """A named place people use in posts (square, stadium, terminal) that is not a region."""

    __tablename__ = "intel_landmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    coords_approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class EarlyWarning(Base):
    """Posts that point at one brawl in the making: same schools or places, close in time."""

    __tablename__ = "intel_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    stage: Mapped[str] = mapped_column(String(16), default="assembling")
    risk: Mapped[float] = mapped_column(Float, default=0.0)
    schools: Mapped[list[str]] = mapped_column(JSONType, default=list)
    school_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    places: Mapped[list[str]] = mapped_column(JSONType, default=list)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_post_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    suggested_action: Mapped[str] = mapped_column(Text, default="")
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    org_path: Mapped[str] = mapped_column(String(400), default="/", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verdict_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict_note: Mapped[str | None] = mapped_column(String(500))


class WarningPost(Base):
    __tablename__ = "intel_warning_posts"
    __table_args__ = (UniqueConstraint("warning_id", "post_id", name="uq_intel_warning_posts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("intel_warnings.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("intel_posts.id"), index=True)
