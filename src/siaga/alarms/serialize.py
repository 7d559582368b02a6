"""Turning alarm rows into the shapes screens and the API use."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.labels import STATUS_LABELS, status_label
from siaga.alarms.models import ACTIVE_STATUSES, Alarm, AlarmEvent, AlarmLocation
from siaga.alarms.schemas import (
    AlarmDetail,
    AlarmSummary,
    LocationPoint,
    LocationSource,
    TimelineEntry,
)
from siaga.auth.models import User
from siaga.config import get_settings
from siaga.devices.models import Device
from siaga.dispatch.serialize import caller_assigned_unit, dispatch_fields
from siaga.orgs.service import org_label, region_label
from siaga.units.models import Unit

# Timeline lines only staff see.
STAFF_ONLY_EVENTS = frozenset({"duress", "cancel_confirmed", "merged", "unmerged"})


def alarm_summary(session: Session, alarm: Alarm) -> AlarmSummary:
    """The alarm as queues, maps and events show it (staff)."""
    # session.get: no query when the device (or unit) is already in the session.
    device = session.get(Device, alarm.device_id)
    unit = session.get(Unit, device.unit_id) if device is not None and device.unit_id else None
    return _summary(session, alarm, device, unit)


def alarm_summaries(session: Session, alarms: Sequence[Alarm]) -> list[AlarmSummary]:
    """Many alarms as `alarm_summary` shows each: their callers' devices and units are read in
    one query each, however many alarms (organisation and region names are cached)."""
    device_ids = {a.device_id for a in alarms}
    devices = {d.id: d for d in session.scalars(
        select(Device).where(Device.id.in_(device_ids)))} if device_ids else {}
    unit_ids = {d.unit_id for d in devices.values() if d.unit_id}
    units = {u.id: u for u in session.scalars(
        select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    out = []
    for alarm in alarms:
        device = devices.get(alarm.device_id)
        unit = units.get(device.unit_id) if device is not None and device.unit_id else None
        out.append(_summary(session, alarm, device, unit))
    return out


def _summary(session: Session, alarm: Alarm, device: Device | None,
             unit: Unit | None) -> AlarmSummary:
    org = org_label(session, org_id=alarm.org_id)
    region_name = region_label(session, region_id=alarm.region_id)
    source = alarm.location_source
    return AlarmSummary(
        id=alarm.id, client_id=alarm.client_id, status=alarm.status, kind=alarm.kind,
        lat=alarm.lat, lon=alarm.lon, accuracy_m=alarm.accuracy_m,
        triggered_at=alarm.triggered_at, created_at=alarm.created_at,
        acknowledged_at=alarm.acknowledged_at,
        org_code=org[0] if org else None, org_name=org[1] if org else None,
        region_name=region_name,
        region_approximate=alarm.region_id is not None and (alarm.distance_to_region_m or 0) > 0,
        escalation_level=alarm.escalation_level, device_flagged=alarm.device_flagged,
        version=alarm.version,
        caller_phone=(device.phone or None) if device else None,
        caller_name=device.name if device else None,
        status_label=status_label(alarm),
        needs_cancel_confirmation=alarm.needs_cancel_confirmation, duress=alarm.duress,
        priority=alarm.priority, incident_id=alarm.incident_id,
        merged_into_id=alarm.merged_into_id, fix_at=alarm.fix_at, outcome=alarm.outcome,
        unit_id=unit.id if unit else None, unit_callsign=unit.callsign if unit else None,
        location_source=cast("LocationSource | None", source),
        location_unknown=source == "unknown",
    )


def _caller_fields(alarm: Alarm) -> dict[str, Any]:
    """What the caller's phone sees differently from staff: no staff judgement (duress,
    priority, incidents), and a duress "cancel" exactly like a cancel."""
    status = "cancelled" if alarm.caller_sees_cancelled else alarm.status
    return {"duress": False, "priority": 0, "needs_cancel_confirmation": False,
            "incident_id": None, "merged_into_id": None, "status": status,
            "status_label": STATUS_LABELS.get(status, status)}


def caller_summary(summary: AlarmSummary, alarm: Alarm) -> AlarmSummary:
    """The summary as the caller's phone may see it."""
    return summary.model_copy(update=_caller_fields(alarm))


def alarm_detail(session: Session, alarm: Alarm) -> AlarmDetail:
    """The alarm with its timeline and the caller's location history."""
    events = session.scalars(
        select(AlarmEvent).where(AlarmEvent.alarm_id == alarm.id).order_by(AlarmEvent.id)
    ).all()
    points = session.scalars(
        select(AlarmLocation).where(AlarmLocation.alarm_id == alarm.id)
        .order_by(AlarmLocation.at, AlarmLocation.id)
    ).all()
    actors = {
        u.id: u.full_name
        for u in session.scalars(
            select(User).where(User.id.in_({e.actor_user_id for e in events if e.actor_user_id}))
        )
    }
    cancellable_until = None
    if alarm.status in ACTIVE_STATUSES:
        cancellable_until = alarm.created_at + timedelta(seconds=get_settings().cancel_window_s)
    return AlarmDetail(
        **alarm_summary(session, alarm).model_dump(),
        timeline=[
            TimelineEntry(
                at=e.at, type=e.type, note=e.note, data=e.data or {},
                actor="warga" if e.by_citizen else actors.get(e.actor_user_id or -1),
            )
            for e in events
        ],
        locations=[LocationPoint(lat=p.lat, lon=p.lon, accuracy_m=p.accuracy_m, at=p.at)
                   for p in points],
        cancellable_until=cancellable_until,
        **dispatch_fields(session, alarm),
    )


def caller_detail(session: Session, alarm: Alarm) -> AlarmDetail:
    """The detail for the caller's phone: staff-only lines dropped; after a duress "cancel" it
    reads exactly as a cancelled alarm (timeline cut there, no unit shown coming)."""
    detail = alarm_detail(session, alarm)
    shown = _caller_fields(alarm)
    timeline = [e for e in detail.timeline if e.type not in STAFF_ONLY_EVENTS]
    if not alarm.caller_sees_cancelled:
        unit = caller_assigned_unit(session, detail.assigned_unit, detail.assignments)
        return detail.model_copy(update={**shown, "timeline": timeline, "assigned_unit": unit})
    cut = alarm.duress_at
    assert cut is not None
    before = [e for e in detail.timeline if e.at < cut and e.type not in STAFF_ONLY_EVENTS]
    duress = next((e for e in detail.timeline if e.type == "duress"), None)
    before.append(TimelineEntry(at=cut, type="cancelled", note=duress.note if duress else None,
                                actor="warga", data={}))
    assignments = [a.model_copy(update={"status": "cancelled_by_caller",
                                        "status_label": "Dibatalkan pelapor",
                                        "cancelled_at": a.cancelled_at or cut,
                                        "eta_s": None, "eta_at": None})
                   for a in detail.assignments if a.dispatched_at < cut]
    timers = detail.timers.model_copy(update={"overdue": False}) if detail.timers else None
    return detail.model_copy(update={
        **shown, "timeline": before, "assignments": assignments, "assigned_unit": None,
        "cancellable_until": None, "timers": timers,
        "escalations": [e for e in detail.escalations if e.at < cut], "closure": None,
        "locations": [p for p in detail.locations if p.at <= cut],
    })
