"""Shapes of citizens' tips."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from siaga.validation import Latitude, Longitude
from siaga.visits.schemas import check_finite, check_uuid

TipCategory = Literal["crime", "drugs", "brawl", "traffic", "disturbance", "suspicious", "other"]
TipStatus = Literal["new", "in_review", "acted", "closed", "rejected"]


class TipIn(BaseModel):
    """A tip; sent as the `data` field (JSON) of a multipart POST with an optional `photo`."""

    client_id: str = Field(description="UUID buatan aplikasi; kirim ulang dengan UUID yang sama")
    category: TipCategory
    text: str = Field(min_length=5, max_length=3000)
    anonymous: bool = False
    lat: Latitude | None = None
    lon: Longitude | None = None
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    region_id: int | None = Field(default=None, description="Kelurahan bila tanpa lokasi")

    @field_validator("client_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        return check_uuid(value)

    @field_validator("lat", "lon", "accuracy_m")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        return check_finite(value)


class TipMine(BaseModel):
    """What the citizen sees of their own tip."""

    id: int
    client_id: str
    category: str
    category_label: str
    text: str
    anonymous: bool
    status: str
    status_label: str
    public_note: str | None
    polsek: str | None
    kelurahan: str | None
    has_photo: bool
    created_at: datetime
    updated_at: datetime


class TipStaffOut(TipMine):
    org_code: str | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    photo_url: str | None
    reporter_name: str | None
    reporter_phone: str | None
    handled_by: str | None
    follow_ups: int


class TipUpdate(BaseModel):
    status: TipStatus | None = None
    public_note: str | None = Field(default=None, max_length=2000)


class TipMinePage(BaseModel):
    items: list[TipMine]
    total: int


class TipPage(BaseModel):
    items: list[TipStaffOut]
    total: int


class AreaOption(BaseModel):
    id: int
    name: str
    polsek: str


class TipOptions(BaseModel):
    categories: dict[str, str]
    statuses: dict[str, str]
    areas: list[AreaOption]
    photo_max_bytes: int
