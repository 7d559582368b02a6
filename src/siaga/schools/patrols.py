"""Dismissal-time patrols at high-risk schools, checked afterwards against unit GPS tracks."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.geo import haversine_m
from siaga.intel.times import DEFAULT_DISMISSAL, WEEKDAYS, zone
from siaga.schools.models import School, SchoolPatrol
from siaga.schools.service import HIGH_RISK, school_path, school_risks
from siaga.units.models import UnitPosition

COVER_RADIUS_M = 200.0
BEFORE = timedelta(minutes=15)
AFTER = timedelta(minutes=45)


def dismissal_at(school: School, day: date) -> datetime | None:
    """The school's dismissal time on that day (WIB), or None on days it has none (Sunday)."""
    weekday = WEEKDAYS[day.weekday()]
    times = school.dismissal_times or {}
    value = times.get(weekday) or (times.get("default") if weekday != "minggu" else None)
    if value is None and not times and weekday != "minggu":
        value = DEFAULT_DISMISSAL
    if value is None:
        return None
    hh, mm = value.split(":")
    return datetime.combine(day, time(int(hh), int(mm)), tzinfo=zone())


def plan_dismissal_patrols(session: Session, *, day: date | None, min_risk: float = HIGH_RISK,
                           actor: User | None, staff: Staff | None = None) -> list[SchoolPatrol]:
    """One patrol per high-risk school around its dismissal time; planning twice adds none."""
    day = day or utcnow().astimezone(zone()).date()
    schools = list(session.scalars(select(School).where(School.lat.is_not(None))
                                   .order_by(School.id)))
    if staff is not None:
        schools = [s for s in schools if staff.sees(school_path(session, s))]
    planned: list[SchoolPatrol] = []
    for risk in school_risks(session, schools=schools):
        if risk.score < min_risk:
            continue
        at = dismissal_at(risk.school, day)
        if at is None:
            continue
        at = at.astimezone(UTC)
        start = at - BEFORE
        exists = session.scalar(select(SchoolPatrol).where(
            SchoolPatrol.school_id == risk.school.id, SchoolPatrol.window_start == start))
        if exists is not None:
            continue
        patrol = SchoolPatrol(school_id=risk.school.id, org_path=school_path(session, risk.school),
                              window_start=start, window_end=at + AFTER, risk=risk.score,
                              status="planned")
        session.add(patrol)
        planned.append(patrol)
    session.flush()
    if planned:
        audit(session, action="school.patrol.plan", target=None, actor=actor,
              org_path=staff.scope if staff else None,
              detail={"day": day.isoformat(), "patrols": [p.id for p in planned]})
    return planned


def check_patrol(session: Session, *, patrol: SchoolPatrol) -> SchoolPatrol:
    """Was a unit within 200 m of the school during the window? Sets covered or missed."""
    school = session.get(School, patrol.school_id)
    patrol.checked_at = utcnow()
    if school is None or school.lat is None or school.lon is None:
        patrol.status = "missed"
        return patrol
    # A box a little larger than the radius keeps the query on the time index and small.
    dlat = 0.0025
    dlon = 0.0025 / max(0.2, abs(math.cos(math.radians(school.lat))))
    rows = session.execute(
        select(UnitPosition.unit_id, UnitPosition.lat, UnitPosition.lon)
        .where(UnitPosition.at >= patrol.window_start, UnitPosition.at <= patrol.window_end)
        .where(UnitPosition.lat.between(school.lat - dlat, school.lat + dlat))
        .where(UnitPosition.lon.between(school.lon - dlon, school.lon + dlon))
    ).all()
    best: tuple[float, int] | None = None
    for unit_id, lat, lon in rows:
        distance = haversine_m(school.lat, school.lon, lat, lon)
        if best is None or distance < best[0]:
            best = (distance, unit_id)
    if best is not None and best[0] <= COVER_RADIUS_M:
        patrol.status, patrol.closest_m, patrol.unit_id = "covered", round(best[0], 1), best[1]
    else:
        patrol.status = "missed"
        patrol.closest_m = round(best[0], 1) if best else None
        patrol.unit_id = None
    return patrol


def check_due_patrols(session: Session, *, now: datetime | None = None,
                      staff: Staff | None = None) -> list[SchoolPatrol]:
    """Check every planned patrol whose window has ended."""
    now = now or utcnow()
    query = select(SchoolPatrol).where(SchoolPatrol.status == "planned",
                                       SchoolPatrol.window_end <= now)
    if staff is not None:
        query = query.where(SchoolPatrol.org_path.startswith(staff.scope, autoescape=True))
    checked = [check_patrol(session, patrol=p) for p in session.scalars(query.order_by(
        SchoolPatrol.window_start))]
    session.flush()
    if checked:
        audit(session, action="school.patrol.check", target=None,
              actor=staff.user if staff else None, org_path=staff.scope if staff else None,
              detail={"covered": [p.id for p in checked if p.status == "covered"],
                      "missed": [p.id for p in checked if p.status == "missed"]})
    return checked


def list_patrols(session: Session, *, staff: Staff, status: str | None, limit: int,
                 offset: int) -> tuple[list[SchoolPatrol], int]:
    """A page of patrols in scope, newest first, and how many match in all."""
    query = select(SchoolPatrol).where(
        SchoolPatrol.org_path.startswith(staff.scope, autoescape=True))
    if status:
        query = query.where(SchoolPatrol.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(SchoolPatrol.window_start.desc(),
                                          SchoolPatrol.id.desc()).limit(limit).offset(offset))
    return list(rows), int(total)
