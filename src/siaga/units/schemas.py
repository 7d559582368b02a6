"""Request and response shapes for patrol units."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

UnitStatus = Literal["available", "dispatched", "en_route", "on_scene", "returning",
                     "out_of_service"]
UnitKind = Literal["car", "motorbike", "desk", "officer"]


class Position(BaseModel):
    lat: float
    lon: float
    at: datetime | None


class UnitOut(BaseModel):
    id: int
    callsign: str
    kind: str
    status: str
    org_code: str | None
    position: Position | None
    heading: float | None
    speed_kmh: float | None
    battery: float | None
    stale: bool
    status_changed_at: datetime
    tracker_id: str | None
    user_id: int | None
    crew: list[str]
    retired_at: datetime | None = None


class UnitPage(BaseModel):
    items: list[UnitOut]
    total: int


class UnitCreate(BaseModel):
    callsign: str = Field(min_length=1, max_length=40)
    org: str = Field(min_length=1, max_length=64, description="Kode satuan, mis. polsek-klojen")
    kind: UnitKind = "car"
    tracker_id: str | None = Field(default=None, min_length=3, max_length=80)
    crew: list[str] = Field(default_factory=list, max_length=12)


class StatusChange(BaseModel):
    status: UnitStatus
    note: str | None = Field(default=None, max_length=300)
