"""Turning alarm rows into the shapes screens and the API use."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import ACTIVE_STATUSES, Alarm, AlarmEvent, AlarmLocation
from siaga.alarms.schemas import AlarmDetail, AlarmSummary, LocationPoint, TimelineEntry
from siaga.auth.models import User
from siaga.config import get_settings
from siaga.devices.models import Device
from siaga.dispatch.serialize import dispatch_fields
from siaga.orgs.service import org_label, region_label


def alarm_summary(session: Session, alarm: Alarm) -> AlarmSummary:
    """The alarm as queues, maps and events show it."""
    org = org_label(session, org_id=alarm.org_id)
    region_name = region_label(session, region_id=alarm.region_id)
    device = session.get(Device, alarm.device_id)
    return AlarmSummary(
        id=alarm.id, client_id=alarm.client_id, status=alarm.status, kind=alarm.kind,
        lat=alarm.lat, lon=alarm.lon, accuracy_m=alarm.accuracy_m,
        triggered_at=alarm.triggered_at, created_at=alarm.created_at,
        acknowledged_at=alarm.acknowledged_at,
        org_code=org[0] if org else None, org_name=org[1] if org else None,
        region_name=region_name,
        escalation_level=alarm.escalation_level, device_flagged=alarm.device_flagged,
        version=alarm.version,
        caller_phone=device.phone if device else None,
        caller_name=device.name if device else None,
    )


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
