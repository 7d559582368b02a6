"""Request and response shapes for the school register, risk and dismissal patrols."""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from siaga.validation import Latitude, Longitude


class Contact(BaseModel):
    role: str = Field(max_length=80, description="mis. kepala sekolah, guru BK, wakasek kesiswaan")
    name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=40)


class SchoolIn(BaseModel):
    name: str = Field(min_length=3, max_length=200)
    level: str = Field(max_length=8, description="SD, SMP, SMA, SMK, MTS, MA")
    lat: Latitude | None = None
    lon: Longitude | None = None
    address: str | None = Field(default=None, max_length=300)
    org: str | None = Field(default=None, description="Kode Polsek; bawaan dari posisi sekolah")
    aliases: list[str] = Field(default_factory=list, max_length=30)
    dismissal_times: dict[str, str] = Field(default_factory=lambda: {"default": "14:00"},
                                            description='{"default": "14:00", "jumat": "11:00"}')
    contact: str | None = Field(default=None, max_length=200)
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    brawl_prone: bool = False


class SchoolPatch(BaseModel):
    name: str | None = Field(default=None, min_length=3, max_length=200)
    level: str | None = Field(default=None, max_length=8)
    lat: Latitude | None = None
    lon: Longitude | None = None
    address: str | None = Field(default=None, max_length=300)
    org: str | None = None
    aliases: list[str] | None = Field(default=None, max_length=30)
    dismissal_times: dict[str, str] | None = None
    contact: str | None = Field(default=None, max_length=200)
    contacts: list[Contact] | None = Field(default=None, max_length=20)
    brawl_prone: bool | None = None


class SchoolOut(BaseModel):
    id: int
    name: str
    level: str
    lat: float | None
    lon: float | None
    coords_approximate: bool
    address: str | None
    org_path: str
    aliases: list[str]
    generated_aliases: list[str]
    dismissal_times: dict[str, str]
    contact: str | None
    contacts: list[dict[str, Any]]
    brawl_prone: bool


class SchoolPage(BaseModel):
    items: list[SchoolOut]
    total: int


class RiskOut(BaseModel):
    school_id: int
    name: str
    score: float
    level: str
    incidents_12m: int
    deaths_12m: int
    warnings_90d: int
    monitored_students: int
    brawl_prone: bool
    lat: float | None
    lon: float | None


class RiskPage(BaseModel):
    items: list[RiskOut]
    total: int


_YYYY_MM_DD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PatrolPlanIn(BaseModel):
    date: str | None = Field(default=None, description="YYYY-MM-DD (WIB); bawaan hari ini")
    min_risk: float = Field(default=0.5, ge=0, le=1)

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        # The shape alone lets 2026-02-31 through; only the calendar can tell.
        if value is None:
            return None
        try:
            if not _YYYY_MM_DD.fullmatch(value):
                raise ValueError(value)
            Date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"tanggal tidak valid: {value} (format YYYY-MM-DD)") from None
        return value

    def day(self) -> Date | None:
        return Date.fromisoformat(self.date) if self.date else None


class PatrolOut(BaseModel):
    id: int
    school_id: int
    school: str
    window_start: datetime
    window_end: datetime
    risk: float
    status: str
    unit_id: int | None
    closest_m: float | None
    checked_at: datetime | None


class PatrolPage(BaseModel):
    items: list[PatrolOut]
    total: int
