"""The shape of an alarm's after-action replay."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ReplayAlarm(BaseModel):
    id: int
    status: str
    status_label: str
    lat: float
    lon: float
    triggered_at: datetime
    ended_at: datetime | None
    org_name: str | None
    region_name: str | None


class ReplayEvent(BaseModel):
    at: datetime
    type: str
    label: str
    actor: str | None
    note: str | None
    callsign: str | None


class ReplayCallerPosition(BaseModel):
    lat: float
    lon: float
    accuracy_m: float | None
    at: datetime


class ReplayFix(BaseModel):
    lat: float
    lon: float
    at: datetime
    speed_kmh: float | None


class ReplayTrack(BaseModel):
    unit_id: int
    callsign: str
    kind_label: str
    assigned: bool
    role_label: str
    # Nearest the unit came to the alarm's position within the fixes around the alarm time.
    nearest_m: float | None
    fixes: list[ReplayFix]


class ReplayOut(BaseModel):
    alarm: ReplayAlarm
    since: datetime
    until: datetime
    timeline: list[ReplayEvent]
    caller_positions: list[ReplayCallerPosition]
    tracks: list[ReplayTrack]
