"""One emergency, several phones: incidents by place and time, merge and unmerge, and the
context an operator reads beside an alarm (the caller's earlier alarms, the place's history)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.models import ACTIVE_STATUSES, Alarm
from siaga.alarms.publish import publish_alarm
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid
from siaga.geo import haversine_m

INCIDENT_RADIUS_M = 150.0
INCIDENT_WINDOW = timedelta(minutes=10)
CONTEXT_RADIUS_M = 300.0
CONTEXT_WINDOW = timedelta(days=30)
CONTEXT_LIMIT = 20


def _box(lat: float, lon: float, radius_m: float) -> tuple[float, float]:
    """Half-sides of a lat/lon box holding a circle of radius_m (a little larger)."""
    dlat = radius_m / 111_000.0
    dlon = radius_m / (111_000.0 * max(math.cos(math.radians(lat)), 0.01))
    return dlat, dlon


def _near(alarm: Alarm, radius_m: float) -> ColumnElement[bool]:
    dlat, dlon = _box(alarm.lat, alarm.lon, radius_m)
    return and_(Alarm.lat.between(alarm.lat - dlat, alarm.lat + dlat),
                Alarm.lon.between(alarm.lon - dlon, alarm.lon + dlon))


def group_new_alarms(session: Session, *, alarms: list[Alarm], now: datetime) -> set[Alarm]:
    """Give new alarms near a recent one from another phone that alarm's incident id; returns
    the earlier alarms that became the first of an incident (their id is the incident's)."""
    if not alarms:
        return set()
    since = now - INCIDENT_WINDOW
    handling = or_(Alarm.status.in_(ACTIVE_STATUSES), Alarm.needs_cancel_confirmation.is_(True))
    candidates = list(session.scalars(
        select(Alarm).where(Alarm.created_at >= since).where(handling)
        .where(Alarm.kind != "officer_sos")
        .where(or_(*[_near(a, INCIDENT_RADIUS_M) for a in alarms]))
        .order_by(Alarm.id)))
    regrouped: set[Alarm] = set()
    for alarm in sorted(alarms, key=lambda a: a.id):
        if alarm.kind == "officer_sos":
            continue
        near = [c for c in candidates if c.id < alarm.id and c.device_id != alarm.device_id
                and haversine_m(c.lat, c.lon, alarm.lat, alarm.lon) <= INCIDENT_RADIUS_M]
        if not near:
            continue
        first = min(near, key=lambda c: c.incident_id or c.id)
        if first.incident_id is None:
            first.incident_id = first.id
            lifecycle.touch(first, now=now)
            regrouped.add(first)
        alarm.incident_id = first.incident_id
    return regrouped


def merge(session: Session, *, alarm: Alarm, into: Alarm, actor: User) -> None:
    """The operator says two alarms are one emergency: `alarm` joins `into`'s incident."""
    if alarm.id == into.id:
        raise Invalid("Alarm tidak bisa digabung dengan dirinya sendiri", field="into_id")
    if into.merged_into_id is not None:
        raise Conflict(f"Alarm #{into.id} sudah digabung ke alarm #{into.merged_into_id}; "
                       "gabungkan ke alarm itu", field="into_id")
    now = utcnow()
    group = into.incident_id or into.id
    if into.incident_id is None:
        into.incident_id = into.id
        lifecycle.touch(into, now=now)
    previous = alarm.incident_id
    alarm.incident_id = group
    alarm.merged_into_id = into.id
    lifecycle.touch(alarm, now=now)
    lifecycle.note(session, alarm=alarm, type="merged", now=now, actor=actor,
                   text=f"Digabung ke alarm #{into.id}", data={"into_id": into.id})
    audit(session, action="alarm.merge", target=alarm, actor=actor, org_path=alarm.org_path,
          detail={"into_id": into.id, "incident_id": group, "previous_incident_id": previous})
    publish_alarm(session, alarm=into, type="alarm.updated", change="incident")
    publish_alarm(session, alarm=alarm, type="alarm.updated", change="merged")


def unmerge(session: Session, *, alarm: Alarm, actor: User) -> None:
    """Take an alarm out of its incident (a merge or an automatic grouping was wrong)."""
    if alarm.incident_id is None:
        raise Conflict("Alarm ini tidak tergabung dalam kejadian lain", field="incident_id")
    now = utcnow()
    group = alarm.incident_id
    members = [a for a in session.scalars(select(Alarm).where(Alarm.incident_id == group)
                                          .order_by(Alarm.id)) if a.id != alarm.id]
    alarm.incident_id = None
    alarm.merged_into_id = None
    lifecycle.touch(alarm, now=now)
    changed: list[Alarm] = []
    for member in members:
        if member.merged_into_id == alarm.id:
            member.merged_into_id = None
            changed.append(member)
    if group == alarm.id and members:
        # The group was named after this alarm: the next earliest names it now.
        new_group = members[0].id
        for member in members:
            member.incident_id = new_group
        changed = members
    if len(members) == 1:
        members[0].incident_id = None  # one alarm alone is no incident
        members[0].merged_into_id = None
        changed = members
    for member in changed:
        lifecycle.touch(member, now=now)
    lifecycle.note(session, alarm=alarm, type="unmerged", now=now, actor=actor,
                   text="Dipisahkan dari kejadian gabungan", data={"incident_id": group})
    audit(session, action="alarm.unmerge", target=alarm, actor=actor, org_path=alarm.org_path,
          detail={"incident_id": group})
    publish_alarm(session, alarm=alarm, type="alarm.updated", change="unmerged")
    for member in changed:
        publish_alarm(session, alarm=member, type="alarm.updated", change="incident")


def caller_alarms(session: Session, *, alarm: Alarm, scope: str) -> list[Alarm]:
    """The same phone's other alarms in the staff member's scope, newest first."""
    return list(session.scalars(
        select(Alarm).where(Alarm.device_id == alarm.device_id).where(Alarm.id != alarm.id)
        .where(Alarm.org_path.startswith(scope, autoescape=True))
        .order_by(Alarm.created_at.desc(), Alarm.id.desc()).limit(CONTEXT_LIMIT)))


def nearby_incidents(session: Session, *, alarm: Alarm, scope: str) -> list[Alarm]:
    """Alarms of the last 30 days within ~300 m (one per incident), newest first."""
    since = alarm.created_at - CONTEXT_WINDOW
    rows = session.scalars(
        select(Alarm).where(Alarm.id != alarm.id).where(Alarm.created_at >= since)
        .where(Alarm.org_path.startswith(scope, autoescape=True))
        .where(_near(alarm, CONTEXT_RADIUS_M))
        .order_by(Alarm.created_at.desc(), Alarm.id.desc()).limit(500))
    seen: set[int] = set()
    found: list[Alarm] = []
    for row in rows:
        group = row.incident_id or row.id
        if alarm.incident_id is not None and group == alarm.incident_id:
            continue  # the same emergency is not its own history
        if group in seen or haversine_m(row.lat, row.lon, alarm.lat,
                                        alarm.lon) > CONTEXT_RADIUS_M:
            continue
        seen.add(group)
        found.append(row)
        if len(found) == CONTEXT_LIMIT:
            break
    return found
