"""Request and response shapes for alarms."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from siaga.dispatch.schemas import (
    AlarmTimers,
    AssignedUnit,
    AssignmentOut,
    ClosureOut,
    EscalationOut,
    ResponseTimes,
)
from siaga.validation import Latitude, Longitude

ALARM_KINDS = ("panic", "medical", "fire", "crime", "other")
# Where an SMS alarm's position came from (see Alarm.location_source).
LocationSource = Literal["text", "device", "unknown"]


def _not_a_boolean(value: Any) -> Any:
    # JSON true/false would otherwise pass as 1.0/0.0.
    if isinstance(value, bool):
        raise ValueError("akurasi harus berupa angka, bukan true/false")
    return value


# The phone's reported accuracy in metres: a finite number, never a boolean.
AccuracyM = Annotated[float, BeforeValidator(_not_a_boolean),
                      Field(ge=0, le=100_000, allow_inf_nan=False)]


class AlarmCreate(BaseModel):
    client_id: str = Field(description="UUID buatan aplikasi; kirim ulang dengan UUID yang sama")
    lat: Latitude
    lon: Longitude
    accuracy_m: AccuracyM | None = None
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


class LocationUpdate(BaseModel):
    lat: Latitude
    lon: Longitude
    accuracy_m: AccuracyM | None = None
    at: datetime | None = None
    fix_at: datetime | None = Field(default=None, description="Kapan HP mengukur posisi ini "
                                    "(sama dengan at; salah satu cukup)")


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
    location_source: LocationSource | None = None
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
