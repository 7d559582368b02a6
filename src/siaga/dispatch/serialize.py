"""Turning assignments, escalations and closures into API shapes, and the alarm detail extras."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import ACTIVE_STATUSES, Alarm
from siaga.auth.models import User
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.dispatch.assignments import ASSIGNMENT_STATUS_LABELS
from siaga.dispatch.crime_types import crime_type_label
from siaga.dispatch.eta import TravelModel
from siaga.dispatch.metrics import response_times
from siaga.dispatch.models import AlarmClosure, AlarmEscalation, Assignment
from siaga.dispatch.recommend import polres_path
from siaga.dispatch.schemas import (
    KIND_LABELS,
    AlarmTimers,
    AssignedUnit,
    AssignmentOut,
    ClosureOut,
    EscalationOut,
)
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation
from siaga.units.models import Unit

LEVEL_OWNERS = {
    0: ("Piket Polsek", "operator"),
    1: ("Command center Polres", "operator"),
    2: ("Pimpinan / perwira pengawas", "pimpinan"),
}


def remaining_eta_s(assignment: Assignment, unit: Unit, alarm: Alarm, *,
                    now: datetime, model: TravelModel | None = None) -> float | None:
    """Seconds still to go: from the unit's fresh position if it has one, else the estimate."""
    if assignment.status not in ("dispatched", "accepted", "en_route"):
        return None
    model = model or TravelModel.from_settings()
    elapsed = (now - assignment.dispatched_at).total_seconds()
    stale = now - timedelta(minutes=get_settings().gps_stale_minutes)
    fresh = (unit.kind != "desk" and unit.lat is not None and unit.lon is not None
             and unit.position_at is not None and unit.position_at >= stale)
    if fresh:
        assert unit.lat is not None and unit.lon is not None
        distance = haversine_m(unit.lat, unit.lon, alarm.lat, alarm.lon)
        turnout = 0.0
        if assignment.status != "en_route":
            turnout = max(0.0, model.turnout_s.get(unit.kind, 0.0) - elapsed)
        return round(turnout + model.travel_s(unit.kind, distance, moving=True), 1)
    if assignment.eta_s is None:
        return None
    return round(max(0.0, assignment.eta_s - elapsed), 1)


def assignment_out(session: Session, assignment: Assignment, *, unit: Unit | None = None,
                   alarm: Alarm | None = None, now: datetime | None = None) -> AssignmentOut:
    """An assignment with its unit and the current ETA."""
    now = now or utcnow()
    unit = unit or session.get(Unit, assignment.unit_id)
    alarm = alarm or session.get(Alarm, assignment.alarm_id)
    assert unit is not None and alarm is not None
    eta = remaining_eta_s(assignment, unit, alarm, now=now)
    by = session.get(User, assignment.dispatched_by_id) if assignment.dispatched_by_id else None
    return AssignmentOut(
        id=assignment.id, alarm_id=assignment.alarm_id, unit_id=unit.id, callsign=unit.callsign,
        unit_kind=unit.kind, unit_status=unit.status, status=assignment.status,
        status_label=ASSIGNMENT_STATUS_LABELS.get(assignment.status, assignment.status),
        dispatched_by=by.full_name if by else None, dispatched_at=assignment.dispatched_at,
        accepted_at=assignment.accepted_at, en_route_at=assignment.en_route_at,
        on_scene_at=assignment.on_scene_at, cleared_at=assignment.cleared_at,
        cancelled_at=assignment.cancelled_at, eta_s=eta,
        eta_at=now + timedelta(seconds=eta) if eta is not None else None,
        distance_m=_distance(unit, alarm),
    )


def _distance(unit: Unit, alarm: Alarm) -> float | None:
    if unit.lat is None or unit.lon is None:
        return None
    return round(haversine_m(unit.lat, unit.lon, alarm.lat, alarm.lon), 1)


def alarm_assignments(session: Session, alarm_id: int) -> list[Assignment]:
    """Every assignment of an alarm, oldest first."""
    return list(session.scalars(select(Assignment).where(Assignment.alarm_id == alarm_id)
                                .order_by(Assignment.id)))


def _assigned_unit(out: AssignmentOut) -> AssignedUnit:
    return AssignedUnit(
        assignment_id=out.id, callsign=out.callsign, kind=out.unit_kind,
        kind_label=KIND_LABELS.get(out.unit_kind, out.unit_kind), status=out.status,
        status_label=out.status_label, eta_s=out.eta_s,
        eta_minutes=None if out.eta_s is None else round(out.eta_s / 60, 1), eta_at=out.eta_at,
        dispatched_at=out.dispatched_at, on_scene_at=out.on_scene_at,
    )


def citizen_unit_label(session: Session, *, unit_id: int) -> str:
    """The unit as a citizen should read it: the officer or the post, never a callsign."""
    unit = session.get(Unit, unit_id)
    org = session.get(Organisation, unit.org_id) if unit is not None else None
    where = org.name if org is not None else "Polri"
    if unit is None:
        return f"Petugas {where}"
    user = session.get(User, unit.user_id) if unit.user_id else None
    if unit.kind == "officer" and user is not None and user.full_name:
        if user.region_id is None:
            return f"Petugas {user.full_name}"
        name = user.full_name
        return name if name.lower().startswith("bhabinkamtibmas") else f"Bhabinkamtibmas {name}"
    return {"desk": f"Petugas piket {where}", "car": f"Mobil patroli {where}",
            "motorbike": f"Motor patroli {where}"}.get(unit.kind, f"Petugas {where}")


def caller_assigned_unit(session: Session, unit: AssignedUnit | None,
                         assignments: list[AssignmentOut]) -> AssignedUnit | None:
    """The lead unit with its citizen-facing label, for the caller's phone."""
    if unit is None:
        return None
    out = next((a for a in assignments if a.id == unit.assignment_id), None)
    if out is None:
        return unit
    return unit.model_copy(update={
        "citizen_label": citizen_unit_label(session, unit_id=out.unit_id)})


def _lead(outs: list[AssignmentOut]) -> AssignmentOut | None:
    """The assignment the citizen should hear about: the one furthest along, else the newest."""
    live = [o for o in outs if o.status not in ("cancelled", "cancelled_by_caller")]
    if not live:
        return None
    rank = {"dispatched": 0, "accepted": 1, "en_route": 2, "on_scene": 3, "cleared": 4}
    active = [o for o in live if o.status != "cleared"] or live
    return max(active, key=lambda o: (rank.get(o.status, 0), o.id))


def alarm_timers(session: Session, alarm: Alarm, *, arrived_at: datetime | None,
                 now: datetime) -> AlarmTimers:
    """The alarm's deadlines and the organisation and role that must act now."""
    s = get_settings()
    start = alarm.created_at
    due = start + timedelta(seconds=s.arrival_target_s)
    if arrived_at is not None:
        overdue = arrived_at > due
    else:
        overdue = alarm.status in ACTIVE_STATUSES and now > due
    level = min(max(alarm.escalation_level, 0), 2)
    label, role = LEVEL_OWNERS[level]
    owner = _owner_org(session, alarm=alarm, level=level)
    return AlarmTimers(
        acknowledge_target_at=start + timedelta(seconds=s.acknowledge_target_s),
        escalate_unacknowledged_at=start + timedelta(seconds=s.escalate_unacknowledged_s),
        escalate_undispatched_at=start + timedelta(seconds=s.escalate_undispatched_s),
        arrival_due_at=due, overdue=overdue, owner_level=level, owner_label=label,
        owner_org_code=owner.code if owner else None,
        owner_org_name=owner.name if owner else None, owner_role=role,
    )


def _owner_org(session: Session, *, alarm: Alarm, level: int) -> Organisation | None:
    if level == 0:
        return session.get(Organisation, alarm.org_id) if alarm.org_id else None
    path = polres_path(session, org_path=alarm.org_path)
    return session.scalar(select(Organisation).where(Organisation.path == path))


def escalation_out(session: Session, row: AlarmEscalation) -> EscalationOut:
    org = session.get(Organisation, row.to_org_id) if row.to_org_id else None
    label = ("Target kedatangan 10 menit terlewati" if row.kind == "arrival_overdue"
             else LEVEL_OWNERS.get(row.level, ("?", ""))[0])
    return EscalationOut(kind=row.kind, level=row.level, at=row.at,
                         to_org_code=org.code if org else None,
                         to_org_name=org.name if org else None, to_role=row.to_role,
                         label=label)


def closure_out(session: Session, closure: AlarmClosure) -> ClosureOut:
    by = session.get(User, closure.closed_by_id) if closure.closed_by_id else None
    return ClosureOut(outcome=closure.outcome, category=closure.category,
                      crime_type=closure.crime_type,
                      crime_type_label=crime_type_label(closure.crime_type), note=closure.note,
                      closed_by=by.full_name if by else None, closed_at=closure.closed_at)


def dispatch_fields(session: Session, alarm: Alarm) -> dict[str, Any]:
    """The optional AlarmDetail fields this domain fills: unit coming, timers, metrics."""
    now = utcnow()
    rows = alarm_assignments(session, alarm.id)
    outs = [assignment_out(session, a, alarm=alarm, now=now) for a in rows]
    lead = _lead(outs)
    times = response_times(alarm, rows)
    arrivals = [a.on_scene_at for a in rows if a.on_scene_at is not None]
    escalations = session.scalars(select(AlarmEscalation)
                                  .where(AlarmEscalation.alarm_id == alarm.id)
                                  .order_by(AlarmEscalation.id)).all()
    closure = session.scalar(select(AlarmClosure).where(AlarmClosure.alarm_id == alarm.id))
    device = session.get(Device, alarm.device_id)
    return {
        "device_id": device.public_id if device else None,
        "assigned_unit": _assigned_unit(lead) if lead else None,
        "assignments": outs,
        "response_times": times,
        "timers": alarm_timers(session, alarm, arrived_at=min(arrivals) if arrivals else None,
                               now=now),
        "escalations": [escalation_out(session, e) for e in escalations],
        "closure": closure_out(session, closure) if closure else None,
    }
