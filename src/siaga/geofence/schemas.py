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
    hotspot_top_n: int | None = None
    days: list[int] = Field(default_factory=list, max_length=7)
    start_time: str | None = Field(default=None, max_length=5)
    end_time: str | None = Field(default=None, max_length=5)


class RuleActive(BaseModel):
    active: bool


class RuleOut(BaseModel):
    id: int
    name: str
    kind: str
    kind_label: str
    org: str
    org_name: str
    org_path: str
    zone_source: str | None
    # What the zone is, in words ("Kelurahan Kauman", "SMPN 1 Slawi, radius 300 m", ...).
    zone_label: str
    # The stored zone geometry (drawn or region) as GeoJSON; circles by centre and radius.
    zone: dict[str, Any] | None
    region_id: int | None
    school_id: int | None
    center_lat: float | None
    center_lon: float | None
    radius_m: float | None
    silent_minutes: int | None
    hotspot_top_n: int | None
    # The rule's threshold in words ("30 menit", "5 sel teratas"), "-" where it has none.
    threshold_label: str
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
