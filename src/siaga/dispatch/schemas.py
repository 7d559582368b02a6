"""Request and response shapes for recommendation, dispatch, escalation, closing and metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from siaga.units.models import UNIT_KIND_LABELS

STATUS_LABELS = {
    "dispatched": "Ditugaskan",
    "accepted": "Diterima petugas",
    "en_route": "Dalam perjalanan",
    "on_scene": "Tiba di lokasi",
    "cleared": "Selesai",
    "cancelled": "Dibatalkan",
}
KIND_LABELS = UNIT_KIND_LABELS


class RecommendationOut(BaseModel):
    unit_id: int | None = Field(description="null: no desk unit registered; phone the Polsek")
    callsign: str
    kind: str
    kind_label: str
    status: str
    org_code: str | None
    org_name: str | None
    lat: float
    lon: float
    position_at: datetime | None
    distance_m: float
    eta_s: float
    eta_at: datetime
    fallback: bool


class RecommendationPage(BaseModel):
    alarm_id: int
    items: list[RecommendationOut]
    total: int
    detour_factor: float
    speed_kmh: dict[str, float]


class DispatchRequest(BaseModel):
    unit_id: int


class StatusChange(BaseModel):
    status: Literal["accepted", "en_route", "on_scene", "cleared", "cancelled"]
    note: str | None = Field(default=None, max_length=300)
    pressed_seconds_ago: float | None = Field(
        default=None, allow_inf_nan=False,
        description="Seconds between the officer's press and this request, by the phone's own "
                    "clock (a press made without signal waits on the phone); the step is "
                    "stamped then, never before the assignment's previous step nor in the future")


class AssignmentOut(BaseModel):
    id: int
    alarm_id: int
    unit_id: int
    callsign: str
    unit_kind: str
    unit_status: str
    status: str
    status_label: str
    dispatched_by: str | None
    dispatched_at: datetime
    accepted_at: datetime | None
    en_route_at: datetime | None
    on_scene_at: datetime | None
    cleared_at: datetime | None
    cancelled_at: datetime | None
    eta_s: float | None = Field(description="Seconds still to go, from the unit's last position")
    eta_at: datetime | None
    distance_m: float | None


class AssignedUnit(BaseModel):
    """What the citizen sees of the unit coming to them."""

    assignment_id: int
    callsign: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    eta_s: float | None
    eta_minutes: float | None
    eta_at: datetime | None
    dispatched_at: datetime
    on_scene_at: datetime | None
    # Only on the caller's phone: who is coming, in words a citizen understands
    # ("Bhabinkamtibmas Kauman", "Petugas piket Polsek Klojen"); null for staff.
    citizen_label: str | None = None


class TaskAlarm(BaseModel):
    id: int
    kind: str
    status: str
    lat: float
    lon: float
    accuracy_m: float | None
    region_name: str | None
    org_name: str | None
    caller_name: str | None
    caller_phone: str | None
    created_at: datetime
    device_flagged: bool


class Task(BaseModel):
    assignment: AssignmentOut
    alarm: TaskAlarm
    navigation_url: str
    geo_url: str


class TaskPage(BaseModel):
    items: list[Task]
    total: int


class AssignmentPage(BaseModel):
    items: list[AssignmentOut]
    total: int


class CloseRequest(BaseModel):
    outcome: Literal["genuine", "false_alarm", "prank", "duplicate"]
    category: Literal["crime", "medical", "fire", "other"] | None = None
    crime_type: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=500)


class ClosureOut(BaseModel):
    outcome: str
    category: str | None
    crime_type: str | None
    crime_type_label: str | None
    note: str | None
    closed_by: str | None
    closed_at: datetime


class ResponseTimes(BaseModel):
    """Seconds from the alarm reaching the server to each milestone; null until it happens."""

    acknowledge_s: float | None
    dispatch_s: float | None
    arrival_s: float | None
    close_s: float | None


class EscalationOut(BaseModel):
    kind: str
    level: int
    at: datetime
    to_org_code: str | None
    to_org_name: str | None
    to_role: str
    label: str


class AlarmTimers(BaseModel):
    """Deadlines of an alarm and who must act now (escalation owner)."""

    acknowledge_target_at: datetime
    escalate_unacknowledged_at: datetime
    escalate_undispatched_at: datetime
    arrival_due_at: datetime
    overdue: bool
    owner_level: int
    owner_label: str
    owner_org_code: str | None
    owner_org_name: str | None
    owner_role: str


class CrimeTypeOut(BaseModel):
    code: str
    label: str
    source: str


class TargetsOut(BaseModel):
    acknowledge_target_s: int
    escalate_unacknowledged_s: int
    escalate_undispatched_s: int
    arrival_target_s: int
    outcomes: list[str]
    categories: list[str]
    crime_types: list[CrimeTypeOut]


class MetricsRow(BaseModel):
    alarm_id: int
    org_path: str
    created_at: datetime
    status: str
    outcome: str | None
    acknowledge_s: float | None
    dispatch_s: float | None
    arrival_s: float | None
    close_s: float | None
    arrived_within_target: bool | None
    counted_in: list[str] = []


class ResponseFigure(BaseModel):
    """One response-time figure with the alarms it counts (see dispatch/response_times.py)."""

    key: str
    label: str
    counts: str
    unit: Literal["%", "detik"]
    value: float | None
    n: int
    within: int | None
    target_s: int | None
    alarm_ids: list[int]


class MetricStat(BaseModel):
    n: int
    mean: float | None
    p50: float | None
    p90: float | None


class ResponseMetrics(BaseModel):
    since: datetime
    until: datetime
    scope: str
    alarms: int
    acknowledge: MetricStat
    dispatch: MetricStat
    arrival: MetricStat
    close: MetricStat
    arrived_within_target_share: float | None
    acknowledged_within_target_share: float | None
    outcomes: dict[str, int]
    figures: list[ResponseFigure]
    rows: list[MetricsRow]
