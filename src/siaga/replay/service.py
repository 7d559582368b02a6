"""An alarm's after-action replay: its timeline, the caller's positions and the GPS tracks of
the units assigned to it and of those within 3 km when it came in."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.labels import status_label
from siaga.alarms.models import Alarm, AlarmEvent, AlarmLocation
from siaga.alarms.service import alarm_for_staff
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.dispatch.models import Assignment
from siaga.geo import haversine_m
from siaga.orgs.service import org_label, region_label
from siaga.replay.labels import (
    ASSIGNED_LABEL,
    CALLER_ACTOR,
    NEARBY_LABEL,
    UNIT_KIND_LABELS,
    event_label,
)
from siaga.replay.schemas import (
    ReplayAlarm,
    ReplayCallerPosition,
    ReplayEvent,
    ReplayFix,
    ReplayOut,
    ReplayTrack,
)
from siaga.tracking.service import track
from siaga.units.models import Unit, UnitPosition

# Tracks start this long before the alarm, so the replay shows where units came from.
PRE_ROLL = timedelta(minutes=10)
# An alarm still open is replayed for this long after it came in.
OPEN_SPAN = timedelta(hours=1)
# "Within 3 km at the time": any fix this close in time to the alarm, this close in space.
NEARBY_M = 3000.0
AROUND = timedelta(minutes=5)
MAX_FIXES_PER_TRACK = 20_000


def alarm_replay(session: Session, *, staff: Staff, alarm_id: int) -> ReplayOut:
    """The replay of one alarm in the staff member's scope; the view is audited."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    audit(session, action="alarm.replay", target=alarm, actor=staff.user,
          org_path=alarm.org_path)
    ended = _ended_at(alarm)
    since = alarm.triggered_at - PRE_ROLL
    until = ended or alarm.triggered_at + OPEN_SPAN
    org = org_label(session, org_id=alarm.org_id)
    return ReplayOut(
        alarm=ReplayAlarm(
            id=alarm.id, status=alarm.status, status_label=status_label(alarm),
            lat=alarm.lat, lon=alarm.lon, triggered_at=alarm.triggered_at, ended_at=ended,
            org_name=org[1] if org else None,
            region_name=region_label(session, region_id=alarm.region_id)),
        since=since, until=until,
        timeline=_timeline(session, alarm),
        caller_positions=_caller_positions(session, alarm),
        tracks=_tracks(session, staff=staff, alarm=alarm, since=since, until=until),
    )


def _ended_at(alarm: Alarm) -> datetime | None:
    if alarm.closed_at is not None:
        return alarm.closed_at
    if alarm.cancelled_at is not None and alarm.status == "cancelled":
        return alarm.cancelled_at
    return None


def _timeline(session: Session, alarm: Alarm) -> list[ReplayEvent]:
    events = session.scalars(select(AlarmEvent).where(AlarmEvent.alarm_id == alarm.id)
                             .order_by(AlarmEvent.at, AlarmEvent.id)).all()
    actor_ids = {e.actor_user_id for e in events if e.actor_user_id}
    names = {u.id: u.full_name for u in
             session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    return [ReplayEvent(
        at=e.at, type=e.type, label=event_label(e.type), note=e.note,
        actor=CALLER_ACTOR if e.by_citizen else names.get(e.actor_user_id or -1),
        callsign=(e.data or {}).get("callsign")) for e in events]


def _caller_positions(session: Session, alarm: Alarm) -> list[ReplayCallerPosition]:
    rows = session.scalars(select(AlarmLocation).where(AlarmLocation.alarm_id == alarm.id)
                           .order_by(AlarmLocation.at, AlarmLocation.id)).all()
    points = [ReplayCallerPosition(lat=p.lat, lon=p.lon, accuracy_m=p.accuracy_m, at=p.at)
              for p in rows]
    if not points:
        points = [ReplayCallerPosition(lat=alarm.lat, lon=alarm.lon,
                                       accuracy_m=alarm.accuracy_m,
                                       at=alarm.fix_at or alarm.triggered_at)]
    return points


def _nearest_by_unit(session: Session, alarm: Alarm) -> dict[int, float]:
    """Each unit with a fix around the alarm time, and how close to the alarm it came."""
    dlat = NEARBY_M / 111_320.0
    dlon = NEARBY_M / (111_320.0 * max(math.cos(math.radians(alarm.lat)), 0.01))
    rows = session.execute(
        select(UnitPosition.unit_id, UnitPosition.lat, UnitPosition.lon)
        .where(UnitPosition.at >= alarm.triggered_at - AROUND,
               UnitPosition.at <= alarm.triggered_at + AROUND)
        .where(UnitPosition.lat.between(alarm.lat - dlat, alarm.lat + dlat),
               UnitPosition.lon.between(alarm.lon - dlon, alarm.lon + dlon))
    ).all()
    nearest: dict[int, float] = {}
    for unit_id, lat, lon in rows:
        metres = haversine_m(alarm.lat, alarm.lon, lat, lon)
        if metres < nearest.get(unit_id, math.inf):
            nearest[unit_id] = metres
    return nearest


def _tracks(session: Session, *, staff: Staff, alarm: Alarm, since: datetime,
            until: datetime) -> list[ReplayTrack]:
    assigned = set(session.scalars(select(Assignment.unit_id)
                                   .where(Assignment.alarm_id == alarm.id)))
    nearest = _nearest_by_unit(session, alarm)
    nearby = {unit_id for unit_id, metres in nearest.items() if metres <= NEARBY_M}
    wanted = assigned | nearby
    if not wanted:
        return []
    units = session.scalars(select(Unit).where(Unit.id.in_(wanted))).all()
    tracks = []
    for unit in units:
        is_assigned = unit.id in assigned
        # Units of other organisations appear only when assigned to this alarm.
        if not is_assigned and not staff.sees(unit.org_path):
            continue
        fixes = track(session, unit=unit, since=since, until=until, limit=MAX_FIXES_PER_TRACK)
        tracks.append(ReplayTrack(
            unit_id=unit.id, callsign=unit.callsign,
            kind_label=UNIT_KIND_LABELS.get(unit.kind, "Unit"), assigned=is_assigned,
            role_label=ASSIGNED_LABEL if is_assigned else NEARBY_LABEL,
            nearest_m=round(nearest[unit.id], 1) if unit.id in nearest else None,
            fixes=[ReplayFix(lat=f.lat, lon=f.lon, at=f.at, speed_kmh=f.speed_kmh)
                   for f in fixes]))
    tracks.sort(key=lambda t: (not t.assigned, t.callsign))
    return tracks
