"""Dispatching units to alarms and the status steps that follow: one action per write."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.models import FINAL_STATUSES, Alarm, AlarmEvent
from siaga.alarms.publish import publish_alarm
from siaga.alarms.serialize import alarm_summary
from siaga.alarms.service import alarm_for_staff
from siaga.audit.service import audit
from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.dispatch.assignments import follow_unit, move_assignment, press_time
from siaga.dispatch.eta import TravelModel
from siaga.dispatch.models import ASSIGNMENT_FINAL, Assignment
from siaga.dispatch.recommend import Recommendation, polres_path, recommend_units
from siaga.dispatch.schemas import Task, TaskAlarm
from siaga.dispatch.serialize import assignment_out
from siaga.errors import Conflict, Forbidden, NotFound
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation
from siaga.units.models import Unit
from siaga.units.service import claim_unit


def recommendations_for(session: Session, *, staff: Staff, alarm_id: int,
                        limit: int = 10) -> tuple[Alarm, list[Recommendation]]:
    """The alarm (checked against the staff member's scope) and its ranked units."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    return alarm, recommend_units(session, alarm=alarm, limit=limit)


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
    if alarm.status in FINAL_STATUSES and not alarm.needs_cancel_confirmation:
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
    # The alarm first: of two operators acting on it at once, the later one stops here (409).
    lifecycle.dispatched(session, alarm=alarm, actor=staff.user, now=now)
    session.flush()
    assignment = Assignment(alarm_id=alarm.id, unit_id=unit.id, status="dispatched",
                            org_path=alarm.org_path, dispatched_by_id=staff.user.id,
                            dispatched_at=now, eta_s=eta, distance_m=distance)
    session.add(assignment)
    session.flush()
    if unit.kind != "desk":
        claim_unit(session, unit=unit, status="dispatched", actor=staff.user,
                   note=f"ditugaskan ke alarm #{alarm.id}")
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
    return assignment


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
    if can(user.role, "dispatch.assign") and (alarm.org_path.startswith(scope)
                                               or unit.org_path.startswith(scope)):
        return assignment, unit, alarm
    raise NotFound("Penugasan tidak ditemukan", field="assignment_id")


def set_assignment_status(
    session: Session, *, user: User, scope: str, assignment_id: int, status: str,
    note: str | None = None, now: datetime | None = None,
    pressed_seconds_ago: float | None = None,
) -> Assignment:
    """Move an assignment forward (accepted, en route, on scene, cleared) or recall it. A step
    the officer pressed a while ago (no signal then) is stamped at the press."""
    now = now or utcnow()
    assignment, unit, alarm = assignment_for_actor(session, user=user, scope=scope,
                                                   assignment_id=assignment_id)
    if status == assignment.status:
        return assignment
    if status == "cancelled" and not can(user.role, "dispatch.assign"):
        raise Forbidden("Hanya operator yang dapat membatalkan penugasan", field="status")
    pressed = now if status == "cancelled" else press_time(
        assignment, now=now, seconds_ago=pressed_seconds_ago)
    previous = move_assignment(assignment, status, now=pressed)
    lifecycle.follow_assignment(alarm, step=status, now=now)
    late = {"received_at": now.isoformat()} if pressed != now else {}
    session.add(AlarmEvent(alarm_id=alarm.id, type=f"unit.{status}", at=pressed,
                           actor_user_id=user.id, note=note,
                           data={"assignment_id": assignment.id, "unit_id": unit.id,
                                 "callsign": unit.callsign, "from": previous, **late}))
    detail: dict[str, Any] = {"from": previous, "unit_id": unit.id}
    if late:
        detail["pressed_at"] = pressed.isoformat()
    audit(session, action=f"assignment.{status}", target=assignment, actor=user,
          org_path=alarm.org_path, detail=detail)
    session.flush()
    follow_unit(session, unit=unit, step=status, actor=user)
    out = assignment_out(session, assignment, unit=unit, alarm=alarm, now=now)
    publish_alarm(session, alarm=alarm, type="alarm.assignment",
                  assignment=out.model_dump(mode="json"))
    return assignment


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
