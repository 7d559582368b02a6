"""Request and response shapes for visits, follow-ups and coverage."""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from siaga.validation import Latitude, Longitude

PlaceType = Literal["house", "worship", "school", "office", "shop", "other"]
Topic = Literal["crime", "drugs", "brawl", "radicalism", "dispute", "traffic", "disaster",
                "other"]
Function = Literal["reskrim", "samapta", "binmas", "intelkam", "lantas"]
FollowUpStatus = Literal["open", "in_progress", "done", "cancelled"]


def check_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValueError("client_id harus berupa UUID") from exc


def check_finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("koordinat harus berupa angka terhingga")
    return value


class FollowUpRequest(BaseModel):
    function: Function
    description: str = Field(min_length=3, max_length=2000)
    due_date: date | None = None


class VisitIn(BaseModel):
    """The visit form; sent as the `data` field (JSON) of a multipart POST with the photos."""

    client_id: str = Field(description="UUID buatan aplikasi; kirim ulang dengan UUID yang sama")
    place_type: PlaceType
    place_name: str | None = Field(default=None, max_length=200)
    region_id: int | None = Field(default=None, description="Kelurahan; bawaan wilayah petugas")
    rw: str | None = Field(default=None, pattern=r"^[0-9]{1,3}$")
    rt: str | None = Field(default=None, pattern=r"^[0-9]{1,3}$")
    address: str | None = Field(default=None, max_length=300)
    person_name: str | None = Field(default=None, max_length=200)
    person_role: str | None = Field(default=None, max_length=120)
    person_phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()-]{6,20}$")
    topics: list[Topic] = Field(default_factory=list, max_length=8)
    findings: str = Field(default="", max_length=5000)
    problems: str = Field(default="", max_length=5000)
    follow_ups: list[FollowUpRequest] = Field(default_factory=list, max_length=10)
    visited_at: datetime | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)

    @field_validator("client_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        return check_uuid(value)

    @field_validator("lat", "lon", "accuracy_m")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        return check_finite(value)

    @field_validator("rw", "rt", "place_name", "address", "person_name", "person_role",
                     "person_phone", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value


class PhotoOut(BaseModel):
    id: int
    url: str
    width: int
    height: int
    taken_at: datetime | None
    exif_lat: float | None
    exif_lon: float | None


class FollowUpOut(BaseModel):
    id: int
    visit_id: int | None
    tip_id: int | None
    function: str
    description: str
    status: str
    owner_id: int | None
    owner_name: str | None
    due_date: date | None
    overdue: bool
    note: str | None
    reported_by_name: str | None
    region_name: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class FollowUpUpdate(BaseModel):
    status: FollowUpStatus | None = None
    owner_id: int | None = None
    due_date: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class FollowUpPage(BaseModel):
    items: list[FollowUpOut]
    total: int


class VisitOut(BaseModel):
    id: int
    client_id: str
    officer_id: int
    officer_name: str
    org_code: str | None
    region_id: int | None
    region_name: str | None
    rw: str | None
    rt: str | None
    address: str | None
    place_type: str
    place_name: str | None
    person_name: str | None
    person_role: str | None
    person_phone: str | None
    topics: list[str]
    findings: str
    problems: str
    visited_at: datetime
    created_at: datetime
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    distance_m: float | None
    flags: list[dict[str, Any]]
    flagged: bool
    photos: list[PhotoOut]
    follow_ups: list[FollowUpOut]


class VisitPage(BaseModel):
    items: list[VisitOut]
    total: int


class RegionOption(BaseModel):
    id: int
    name: str
    polsek: str | None


class FormOptions(BaseModel):
    """What the offline form needs, cached on the phone."""

    place_types: dict[str, str]
    topics: dict[str, str]
    functions: dict[str, str]
    regions: list[RegionOption]
    default_region_id: int | None
    photo_max_bytes: int
    photos_per_visit: int


class CoverageRow(BaseModel):
    key: str
    name: str
    region_id: int | None = None
    rw: str | None = None
    polsek: str | None = None
    officers: list[str] = Field(default_factory=list)
    visits_week: int
    visits_month: int
    places_month: int
    last_visit_at: datetime | None
    days_since_last: int | None
    lat: float | None = None
    lon: float | None = None


class MapPoint(BaseModel):
    id: int
    lat: float
    lon: float
    officer: str
    place_type: str
    place_name: str | None
    region_name: str | None
    visited_at: datetime
    flagged: bool


class Coverage(BaseModel):
    scope: str
    week_start: datetime
    month_start: datetime
    kelurahan: list[CoverageRow]
    rw: list[CoverageRow]
    officers: list[CoverageRow]
    points: list[MapPoint]
