"""Shapes of the duty roster and Bhabinkamtibmas assignment API."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field


class PersonOut(BaseModel):
    id: int
    name: str
    username: str
    phone: str | None


class DutyIn(BaseModel):
    desk: str = Field(min_length=1, max_length=80, description="Pos, mis. SPKT atau Piket Reskrim")
    user_id: int


class DutyOut(BaseModel):
    desk: str
    person: PersonOut


class ShiftIn(BaseModel):
    org: str = Field(min_length=1, max_length=64)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    supervisor_id: int | None = None
    label: str = Field(default="", max_length=80)
    duties: list[DutyIn] = Field(default_factory=list, max_length=40)


class ShiftOut(BaseModel):
    id: int
    org_code: str
    org_name: str
    label: str
    starts_at: datetime
    ends_at: datetime
    supervisor: PersonOut | None
    duties: list[DutyOut]


class ShiftPage(BaseModel):
    items: list[ShiftOut]
    total: int


class RosterNow(BaseModel):
    at: datetime
    shifts: list[ShiftOut]


class BhabinIn(BaseModel):
    user_id: int


class VillageOut(BaseModel):
    region_id: int
    name: str
    level: str
    polsek_code: str
    polsek_name: str
    officer: PersonOut | None


class VillagePage(BaseModel):
    items: list[VillageOut]
    total: int
