"""Brawl incidents, the students involved (minors), their follow-up cases and ambassadors."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow

# The follow-up steps the Tegal study describes, in their usual order.
STEP_KINDS = ("parents_summoned", "guidance", "written_promise", "counselling",
              "monitoring_start", "check_in", "closed")
INVOLVEMENT_ROLES = ("pelaku", "korban", "saksi")


class Student(Base):
    """A student known to the police through a brawl; names are shown only to a few roles."""

    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True)
    class_name: Mapped[str | None] = mapped_column(String(40))
    guardian_contact: Mapped[str | None] = mapped_column(String(200))
    monitored: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BrawlIncident(Base):
    __tablename__ = "brawl_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    school_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    injured: Mapped[int] = mapped_column(Integer, default=0)
    dead: Mapped[int] = mapped_column(Integer, default=0)
    weapons_seized: Mapped[list[str]] = mapped_column(JSONType, default=list)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("intel_warnings.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IncidentStudent(Base):
    __tablename__ = "brawl_incident_students"
    __table_args__ = (UniqueConstraint("incident_id", "student_id",
                                       name="uq_brawl_incident_students"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("brawl_incidents.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="pelaku")


class FollowUpCase(Base):
    """The follow-up of one student after a brawl, step by step as the study describes."""

    __tablename__ = "followup_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("brawl_incidents.id"))
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_on: Mapped[date] = mapped_column(Date)
    monitoring_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpStep(Base):
    __tablename__ = "followup_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("followup_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    done_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ambassador(Base):
    """A Duta Pelajar Anti Tawuran of a school."""

    __tablename__ = "ambassadors"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    appointed_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AmbassadorActivity(Base):
    __tablename__ = "ambassador_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[int] = mapped_column(Integer, default=0)
    ambassador_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
