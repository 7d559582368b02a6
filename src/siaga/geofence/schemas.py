"""Request and response shapes of the geofence API, with Indonesian labels for the screens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class RuleIn(BaseModel):
    name: str = Field(max_length=120)
    kind: str = Field(max_length=24)
    org: str = Field(max_length=64)
    zone_source: str | None = Field(default=None, max_length=10)
    zone: dict[str, Any] | None = None
    region_id: int | None = None
    school_id: int | None = None
    radius_m: float | None = None
    silent_minutes: int | None = None
    days: list[int] = Field(default_factory=list, max_length=7)
    start_time: str | None = Field(default=None, max_length=5)
    end_time: str | None = Field(default=None, max_length=5)


class RuleOut(BaseModel):
    id: int
    name: str
    kind: str
    kind_label: str
    org_path: str
    zone_source: str | None
    region_id: int | None
    school_id: int | None
    radius_m: float | None
    silent_minutes: int | None
    days: list[int]
    start_time: str | None
    end_time: str | None
    window_label: str
    active: bool


class RuleList(BaseModel):
    items: list[RuleOut]


class AlertOut(BaseModel):
    id: int
    rule_id: int
    rule_name: str
    kind: str
    kind_label: str
    alarm_id: int | None
    unit_id: int | None
    unit_callsign: str | None
    status: str
    status_label: str
    message: str
    lat: float | None
    lon: float | None
    opened_at: datetime
    opened_at_label: str
    acknowledged_at: datetime | None


class AlertList(BaseModel):
    items: list[AlertOut]
