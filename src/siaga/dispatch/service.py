"""Dispatching units to alarms and the status steps that follow: one action per write."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from siaga.alarms.models import FINAL_STATUSES, Alarm, AlarmEvent
from siaga.alarms.serialize import alarm_summary
from siaga.alarms.service import alarm_for_staff, publish_alarm
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.dispatch.eta import TravelModel
from siaga.dispatch.models import ASSIGNMENT_FINAL, ASSIGNMENT_LABELS, ASSIGNMENT_STEPS, Assignment
from siaga.dispatch.recommend import Recommendation, polres_path, recommend_units
from siaga.dispatch.schemas import Task, TaskAlarm
from siaga.dispatch.serialize import assignment_out
from siaga.errors import Conflict, Forbidden, NotFound
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation
from siaga.units.models import Unit
from siaga.units.service import publish_unit, set_unit_status

# How an assignment step moves the alarm and the unit along.
ALARM_STATUS_FOR_STEP = {"dispatched": "dispatched", "accepted": "dispatched",
                         "en_route": "en_route", "on_scene": "on_scene"}
ALARM_RANK = {"open": 0, "acknowledged": 1, "dispatched": 2, "en_route": 3, "on_scene": 4}
UNIT_STATUS_FOR_STEP = {"accepted": "dispatched", "en_route": "en_route",
                        "on_scene": "on_scene", "cleared": "available",
                        "cancelled": "available"}


def recommendations_for(session: Session, *, staff: Staff, alarm_id: int,
                        limit: int = 10) -> tuple[Alarm, list[Recommendation]]:
    """The alarm (checked against the staff member's scope) and its ranked units."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    return alarm, recommend_units(session, alarm=alarm, limit=limit)


def _touch(alarm: Alarm, now: datetime) -> None:
    alarm.version += 1
    alarm.updated_at = now


def _estimate(session: Session, *, unit: Unit, alarm: Alarm, now: datetime
              ) -> tuple[float | None, float | None]:
    """Distance and ETA at dispatch, as the recommendation would have computed them."""
    model = TravelModel.from_settings()
    lat, lon = unit.lat, unit.lon
    if unit.kind == "desk":
        org = session.get(Organisation, unit.org_id)
        if org is not None and org.lat is not None and org.lon is not None:
            lat, lon = org.lat, org.lon
    elif unit.position_at is None or unit.position_at < now - timedelta(
            minutes=get_settings().gps_stale_minutes):
        lat = lon = None
    if lat is None or lon is None:
        return None, None
    distance = haversine_m(lat, lon, alarm.lat, alarm.lon)
    return round(distance, 1), round(model.travel_s(unit.kind, distance), 1)


def _in_alarm_tree(session: Session, *, unit: Unit, alarm: Alarm, staff: Staff) -> bool:
    tree = polres_path(session, org_path=alarm.org_path)
    return unit.org_path.startswith(tree) or staff.sees(unit.org_path)


def dispatch_unit(
    session: Session, *, staff: Staff, alarm_id: int, unit_id: int,
    now: datetime | None = None,
) -> Assignment:
    """Send a unit to an alarm in one step: assignment, alarm and unit status, events."""
    now = now or utcnow()
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    if alarm.status in FINAL_STATUSES:
        raise Conflict(f"Alarm berstatus {alarm.status}; tidak bisa ditugaskan", field="status")
    unit = session.get(Unit, unit_id)
    if unit is None or not _in_alarm_tree(session, unit=unit, alarm=alarm, staff=staff):
        raise NotFound("Unit tidak ditemukan", field="unit_id")
    already = session.scalar(
        select(Assignment.id).where(Assignment.alarm_id == alarm.id)
        .where(Assignment.unit_id == unit.id)
        .where(Assignment.status.not_in(ASSIGNMENT_FINAL))
    )
    if already is not None:
        raise Conflict(f"{unit.callsign} sudah ditugaskan ke alarm ini", field="unit_id")
    distance, eta = _estimate(session, unit=unit, alarm=alarm, now=now)
    assignment = Assignment(alarm_id=alarm.id, unit_id=unit.id, status="dispatched",
                            org_path=alarm.org_path, dispatched_by_id=staff.user.id,
                            dispatched_at=now, eta_s=eta, distance_m=distance)
    session.add(assignment)
    session.flush()
    if unit.kind != "desk":
        # Conditional so two operators (or workers) can never send the same unit twice.
        taken = session.execute(
            update(Unit).where(Unit.id == unit.id).where(Unit.status == "available")
            .values(status="dispatched", status_changed_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"{unit.callsign} tidak tersedia (status {unit.status})",
                           field="unit_id")
        session.refresh(unit)
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at = now
        alarm.acknowledged_by_id = staff.user.id
        session.add(AlarmEvent(alarm_id=alarm.id, type="acknowledged", at=now,
                               actor_user_id=staff.user.id, note="diterima saat penugasan"))
    if ALARM_RANK.get(alarm.status, 9) < ALARM_RANK["dispatched"]:
        alarm.status = "dispatched"
    _touch(alarm, now)
    session.add(AlarmEvent(
        alarm_id=alarm.id, type="dispatched", at=now, actor_user_id=staff.user.id,
        note=f"{unit.callsign} ditugaskan",
        data={"assignment_id": assignment.id, "unit_id": unit.id, "callsign": unit.callsign,
              "kind": unit.kind, "eta_s": eta, "distance_m": distance},
    ))
    audit(session, action="alarm.dispatch", target=alarm, actor=staff.user,
          org_path=alarm.org_path,
          detail={"assignment_id": assignment.id, "unit_id": unit.id, "eta_s": eta})
    out = assignment_out(session, assignment, unit=unit, alarm=alarm, now=now)
    publish_alarm(session, alarm=alarm, type="alarm.dispatched",
                  assignment=out.model_dump(mode="json"))
    if unit.kind != "desk":
        _publish_unit(session, unit, previous="available")
    return assignment


def _publish_unit(session: Session, unit: Unit, *, previous: str) -> None:
    publish_unit(session, unit=unit, type="unit.status", previous=previous)


def _crew_of(unit: Unit, user: User) -> bool:
    members = {str(m).strip().lower() for m in (unit.crew or [])}
    return unit.user_id == user.id or user.username.lower() in members or str(user.id) in members


def assignment_for_actor(session: Session, *, user: User, scope: str, assignment_id: int
                         ) -> tuple[Assignment, Unit, Alarm]:
    """The assignment if the user is its unit's officer or crew, or staff over its alarm."""
    assignment = session.get(Assignment, assignment_id)
    unit = session.get(Unit, assignment.unit_id) if assignment else None
    alarm = session.get(Alarm, assignment.alarm_id) if assignment else None
    if assignment is None or unit is None or alarm is None:
        raise NotFound("Penugasan tidak ditemukan", field="assignment_id")
    if _crew_of(unit, user):
        return assignment, unit, alarm
    if user.role in ("operator", "admin") and (alarm.org_path.startswith(scope)
                                               or unit.org_path.startswith(scope)):
        return assignment, unit, alarm
    raise NotFound("Penugasan tidak ditemukan", field="assignment_id")


def set_assignment_status(
    session: Session, *, user: User, scope: str, assignment_id: int, status: str,
    note: str | None = None, now: datetime | None = None,
) -> Assignment:
    """Move an assignment forward (accepted, en route, on scene, cleared) or recall it."""
    now = now or utcnow()
    assignment, unit, alarm = assignment_for_actor(session, user=user, scope=scope,
                                                   assignment_id=assignment_id)
    if status == assignment.status:
        return assignment
    if assignment.status in ASSIGNMENT_FINAL:
        raise Conflict(f"Penugasan sudah {ASSIGNMENT_LABELS[assignment.status]}", field="status")
    if status == "cancelled":
        if user.role not in ("operator", "admin"):
            raise Forbidden("Hanya operator yang dapat membatalkan penugasan", field="status")
        assignment.cancelled_at = now
    else:
        if ASSIGNMENT_STEPS.index(status) < ASSIGNMENT_STEPS.index(assignment.status):
            raise Conflict(f"Status tidak bisa mundur dari {ASSIGNMENT_LABELS[assignment.status]} "
                           f"ke {ASSIGNMENT_LABELS[status]}",
                           field="status")
        # A skipped step (straight to on scene) takes the time of the step that implies it.
        for step in ASSIGNMENT_STEPS[1:ASSIGNMENT_STEPS.index(status) + 1]:
            if step == "on_scene" and status == "cleared":
                continue  # finished without reporting arrival: the arrival time is unknown
            if getattr(assignment, f"{step}_at") is None:
                setattr(assignment, f"{step}_at", now)
    previous = assignment.status
    assignment.status = status
    session.add(AlarmEvent(alarm_id=alarm.id, type=f"unit.{status}", at=now,
                           actor_user_id=user.id, note=note,
                           data={"assignment_id": assignment.id, "unit_id": unit.id,
                                 "callsign": unit.callsign, "from": previous}))
    audit(session, action=f"assignment.{status}", target=assignment, actor=user,
          org_path=alarm.org_path, detail={"from": previous, "unit_id": unit.id})
    _advance_alarm(alarm, status, now)
    session.flush()
    if unit.kind != "desk":
        _move_unit(session, unit=unit, status=status, actor=user, now=now)
    out = assignment_out(session, assignment, unit=unit, alarm=alarm, now=now)
    publish_alarm(session, alarm=alarm, type="alarm.assignment",
                  assignment=out.model_dump(mode="json"))
    return assignment


def _advance_alarm(alarm: Alarm, step: str, now: datetime) -> None:
    target = ALARM_STATUS_FOR_STEP.get(step)
    if alarm.status in FINAL_STATUSES or target is None:
        return
    if ALARM_RANK[target] > ALARM_RANK.get(alarm.status, 0):
        alarm.status = target
        _touch(alarm, now)


def _move_unit(session: Session, *, unit: Unit, status: str, actor: User | None,
               now: datetime) -> None:
    target = UNIT_STATUS_FOR_STEP.get(status)
    if target is None:
        return
    if target == "available":
        busy = session.scalar(select(Assignment.id).where(Assignment.unit_id == unit.id)
                              .where(Assignment.status.not_in(ASSIGNMENT_FINAL)).limit(1))
        if busy is not None:
            return
    if unit.status != target and unit.status != "out_of_service":
        set_unit_status(session, unit=unit, status=target, actor=actor,
                        note="mengikuti status penugasan")
        unit.status_changed_at = now


def release_alarm_units(session: Session, *, alarm: Alarm, user: User, now: datetime) -> None:
    """Clear every unfinished assignment of an alarm being closed; units become available."""
    for assignment in session.scalars(select(Assignment).where(Assignment.alarm_id == alarm.id)
                                      .where(Assignment.status.not_in(ASSIGNMENT_FINAL))):
        assignment.status = "cleared"
        assignment.cleared_at = now
        session.flush()
        unit = session.get(Unit, assignment.unit_id)
        if unit is not None and unit.kind != "desk":
            _move_unit(session, unit=unit, status="cleared", actor=user, now=now)


def tasks_for_officer(session: Session, *, user: User) -> list[tuple[Assignment, Unit, Alarm]]:
    """Unfinished assignments of the units this officer drives or crews, newest first."""
    rows = session.execute(
        select(Assignment, Unit, Alarm)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(Alarm, Alarm.id == Assignment.alarm_id)
        .where(Assignment.status.not_in(ASSIGNMENT_FINAL))
        .order_by(Assignment.dispatched_at.desc(), Assignment.id.desc())
    ).all()
    return [(a, u, al) for a, u, al in rows if _crew_of(u, user)]


def active_assignments(session: Session, *, staff: Staff) -> list[Assignment]:
    """Unfinished assignments of alarms in the staff member's scope, oldest first."""
    return list(session.scalars(
        select(Assignment).where(Assignment.org_path.startswith(staff.scope, autoescape=True))
        .where(Assignment.status.not_in(ASSIGNMENT_FINAL)).order_by(Assignment.id)
    ))


def task_out(session: Session, *, assignment: Assignment, unit: Unit, alarm: Alarm,
             now: datetime | None = None) -> Task:
    """An officer's task: the assignment, the caller and where to go."""
    summary = alarm_summary(session, alarm)
    return Task(
        assignment=assignment_out(session, assignment, unit=unit, alarm=alarm, now=now),
        alarm=TaskAlarm(id=alarm.id, kind=alarm.kind, status=alarm.status, lat=alarm.lat,
                        lon=alarm.lon, accuracy_m=alarm.accuracy_m,
                        region_name=summary.region_name, org_name=summary.org_name,
                        caller_name=summary.caller_name, caller_phone=summary.caller_phone,
                        created_at=alarm.created_at, device_flagged=alarm.device_flagged),
        navigation_url=("https://www.google.com/maps/dir/?api=1&destination="
                        f"{alarm.lat:.6f},{alarm.lon:.6f}"),
        geo_url=f"geo:{alarm.lat:.6f},{alarm.lon:.6f}?q={alarm.lat:.6f},{alarm.lon:.6f}",
    )
