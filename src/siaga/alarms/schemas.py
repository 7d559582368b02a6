"""Request and response shapes for alarms."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from siaga.dispatch.schemas import (
    AlarmTimers,
    AssignedUnit,
    AssignmentOut,
    ClosureOut,
    EscalationOut,
    ResponseTimes,
)

ALARM_KINDS = ("panic", "medical", "fire", "crime", "other")


def _finite(value: float, name: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{name} harus berupa angka terhingga")
    return value


def _number(value: Any) -> Any:
    # JSON true/false would otherwise pass as 1.0/0.0 and put the alarm somewhere else.
    if isinstance(value, bool):
        raise ValueError("koordinat harus berupa angka, bukan true/false")
    return value


class AlarmCreate(BaseModel):
    client_id: str = Field(description="UUID buatan aplikasi; kirim ulang dengan UUID yang sama")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    triggered_at: datetime | None = None
    fix_at: datetime | None = Field(default=None, description="Kapan HP mengukur posisi ini")
    kind: Literal["panic", "medical", "fire", "crime", "other"] = "panic"

    @field_validator("client_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        try:
            return str(uuid.UUID(value))
        except (ValueError, AttributeError, TypeError) as exc:
            raise ValueError("client_id harus berupa UUID") from exc

    @field_validator("lat", "lon", "accuracy_m", mode="before")
    @classmethod
    def _not_bool(cls, value: Any) -> Any:
        return _number(value)

    @field_validator("lat", "lon", "accuracy_m")
    @classmethod
    def _finite_coord(cls, value: float | None) -> float | None:
        return None if value is None else _finite(value, "koordinat")


class LocationUpdate(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    at: datetime | None = None
    fix_at: datetime | None = Field(default=None, description="Kapan HP mengukur posisi ini "
                                    "(sama dengan at; salah satu cukup)")

    @field_validator("lat", "lon", "accuracy_m", mode="before")
    @classmethod
    def _not_bool(cls, value: Any) -> Any:
        return _number(value)

    @field_validator("lat", "lon", "accuracy_m")
    @classmethod
    def _finite_coord(cls, value: float | None) -> float | None:
        return None if value is None else _finite(value, "koordinat")


class CancelRequest(BaseModel):
    pin: str = Field(pattern=r"^[0-9]{4,6}$")
    reason: str | None = Field(default=None, max_length=300)


class AlarmSummary(BaseModel):
    id: int
    client_id: str
    status: str
    kind: str
    lat: float
    lon: float
    accuracy_m: float | None
    triggered_at: datetime
    created_at: datetime
    acknowledged_at: datetime | None
    org_code: str | None
    org_name: str | None
    region_name: str | None
    # The kelurahan/desa is the nearest one (a border, a sliver, or a village without boundary).
    region_approximate: bool = False
    escalation_level: int
    device_flagged: bool
    version: int
    caller_phone: str | None = None
    caller_name: str | None = None
    status_label: str = ""
    needs_cancel_confirmation: bool = False
    duress: bool = False
    priority: int = 0
    incident_id: int | None = None
    merged_into_id: int | None = None
    fix_at: datetime | None = None
    outcome: str | None = None
    # Set for an officer's SOS (kind "officer_sos"): the unit in danger.
    unit_id: int | None = None
    unit_callsign: str | None = None
    # For an alarm sent by SMS: where its position came from ("text": in the SMS, "device": the
    # phone's last known position, "unknown": none, placed at the Polres office).
    location_source: Literal["text", "device", "unknown"] | None = None
    # Shown to staff as "lokasi tidak diketahui": the position is only the Polres office.
    location_unknown: bool = False


class TimelineEntry(BaseModel):
    at: datetime
    type: str
    note: str | None
    actor: str | None
    data: dict[str, Any]


class LocationPoint(BaseModel):
    lat: float
    lon: float
    accuracy_m: float | None
    at: datetime


class AlarmDetail(AlarmSummary):
    timeline: list[TimelineEntry]
    locations: list[LocationPoint]
    cancellable_until: datetime | None = None
    # Filled by the dispatch domain (siaga.dispatch.serialize.dispatch_fields).
    device_id: str | None = None
    assigned_unit: AssignedUnit | None = None
    assignments: list[AssignmentOut] = []
    response_times: ResponseTimes | None = None
    timers: AlarmTimers | None = None
    escalations: list[EscalationOut] = []
    closure: ClosureOut | None = None


class AlarmPage(BaseModel):
    items: list[AlarmSummary]
    total: int


class MergeRequest(BaseModel):
    into_id: int = Field(description="Alarm tujuan penggabungan")


class AlarmContext(BaseModel):
    caller_alarms: list[AlarmSummary]
    nearby_incidents: list[AlarmSummary]
