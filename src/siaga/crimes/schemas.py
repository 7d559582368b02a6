"""Request and response shapes for the crime register."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from siaga.validation import Latitude, Longitude


class IncidentCreate(BaseModel):
    crime_type: str = Field(min_length=1, max_length=40, description="Kode jenis kejahatan")
    occurred_at: AwareDatetime
    lat: Latitude
    lon: Longitude
    description: str | None = Field(default=None, max_length=1000)


class IncidentOut(BaseModel):
    id: int
    crime_type: str
    crime_label: str
    occurred_at: datetime
    lat: float
    lon: float
    region_id: int | None
    region_name: str | None
    org_path: str
    source: str
    external_id: str | None
    alarm_id: int | None
    description: str | None
    created_at: datetime


class IncidentPage(BaseModel):
    items: list[IncidentOut]
    total: int


class CrimeTypeOut(BaseModel):
    code: str
    label: str


class AlertOut(BaseModel):
    id: int
    incident_id: int
    user_id: int | None
    region_id: int | None
    crime_type: str
    crime_label: str
    lat: float
    lon: float
    radius_m: float
    valid_until: datetime
    message: str
    created_at: datetime
    read_at: datetime | None


class AlertPage(BaseModel):
    items: list[AlertOut]
    total: int
