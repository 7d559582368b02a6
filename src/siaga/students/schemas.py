"""Request shapes for students, incidents, follow-up cases and ambassadors."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator

from siaga.validation import Latitude, Longitude


class StudentIn(BaseModel):
    school_id: int
    full_name: str = Field(min_length=2, max_length=200)
    class_name: str | None = Field(default=None, max_length=40)
    guardian_contact: str | None = Field(default=None, max_length=200)
    monitored: bool = False


class InvolvedStudent(BaseModel):
    student_id: int
    role: str = Field(default="pelaku", pattern="^(pelaku|korban|saksi)$")


class IncidentIn(BaseModel):
    occurred_at: datetime
    place: str = Field(min_length=2, max_length=200)
    lat: Latitude | None = None
    lon: Longitude | None = None
    school_ids: list[int] = Field(default_factory=list, max_length=20)
    description: str = Field(default="", max_length=5000)
    injured: int = Field(default=0, ge=0, le=10_000)
    dead: int = Field(default=0, ge=0, le=10_000)
    weapons_seized: list[str] = Field(default_factory=list, max_length=50)
    students: list[InvolvedStudent] = Field(default_factory=list, max_length=500)
    warning_id: int | None = None

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("waktu harus menyertakan zona waktu")
        return value


class CaseIn(BaseModel):
    incident_id: int | None = None
    opened_on: date


class StepIn(BaseModel):
    kind: str = Field(description="parents_summoned, guidance, written_promise, counselling, "
                                  "monitoring_start, check_in, closed")
    done_on: date
    note: str = Field(default="", max_length=500)
    monitoring_days: int | None = Field(default=None, ge=7, le=730)


class AmbassadorIn(BaseModel):
    student_id: int
    appointed_on: date


class ActivityIn(BaseModel):
    school_id: int
    held_on: date
    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=5000)
    participants: int = Field(default=0, ge=0, le=100_000)
    ambassador_ids: list[int] = Field(default_factory=list, max_length=100)
