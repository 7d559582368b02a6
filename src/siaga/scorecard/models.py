"""Figures Siaga cannot compute itself, stakeholder meetings, surveys and strategic initiatives.

Every entered figure belongs to one organisation and one period: a year, and a month range inside
it (`month_from`..`month_to`; 1..12 is the whole year, m..m one month). Partial years such as the
Tegal study's "Jan-Jun 2023" are stored as they were reported, never extrapolated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, JSONType, UTCDateTime, utcnow


class ScorecardFigure(Base):
    """A count or amount entered by staff (historical years, budget, evaluations...)."""

    __tablename__ = "scorecard_figures"
    __table_args__ = (UniqueConstraint("org_id", "metric", "year", "month_from", "month_to",
                                       name="uq_scorecard_figures_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    metric: Mapped[str] = mapped_column(String(40), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month_from: Mapped[int] = mapped_column(Integer, default=1)
    month_to: Mapped[int] = mapped_column(Integer, default=12)
    value: Mapped[float] = mapped_column()
    source: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(500))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PersonnelReport(Base):
    """Operational personnel against authorised strength (DSP), education and training."""

    __tablename__ = "scorecard_personnel"
    __table_args__ = (UniqueConstraint("org_id", "year", "month",
                                       name="uq_scorecard_personnel_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # The month the head-count describes; null when only the year is known.
    month: Mapped[int | None] = mapped_column(Integer)
    authorised: Mapped[int] = mapped_column(Integer)
    operational: Mapped[int] = mapped_column(Integer)
    degree: Mapped[int | None] = mapped_column(Integer)
    diploma: Mapped[int | None] = mapped_column(Integer)
    high_school: Mapped[int | None] = mapped_column(Integer)
    trained: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(500))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StakeholderMeeting(Base):
    """An FGD or coordination meeting with local government, DPRD, schools and others."""

    __tablename__ = "scorecard_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    participants: Mapped[list[str]] = mapped_column(JSONType, default=list)
    agreements: Mapped[list[str]] = mapped_column(JSONType, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingAction(Base):
    """A follow-up action agreed in a meeting, with who does it by when."""

    __tablename__ = "scorecard_meeting_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("scorecard_meetings.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)


class SurveyTally(Base):
    """Totals of a questionnaire run on paper or elsewhere, entered by staff."""

    __tablename__ = "scorecard_survey_tallies"
    __table_args__ = (UniqueConstraint("org_id", "year", "month_from", "month_to", "title",
                                       name="uq_scorecard_survey_tallies_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    month_from: Mapped[int] = mapped_column(Integer, default=1)
    month_to: Mapped[int] = mapped_column(Integer, default=12)
    good: Mapped[int] = mapped_column(Integer)
    needs_improvement: Mapped[int] = mapped_column(Integer)
    poor: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(300))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyResponse(Base):
    """One citizen's answer from /warga; anonymous unless sent with a device token."""

    __tablename__ = "scorecard_survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    rating: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(String(1000))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Initiative(Base):
    """A strategy of the study turned into trackable work: owner, deadline, linked KPIs."""

    __tablename__ = "scorecard_initiatives"
    __table_args__ = (UniqueConstraint("org_id", "title", name="uq_scorecard_initiatives_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_path: Mapped[str] = mapped_column(String(400), index=True)
    term: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    kpi_keys: Mapped[list[str]] = mapped_column(JSONType, default=list)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
