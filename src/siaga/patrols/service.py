"""Creating patrol plans for a shift, showing officers their points, and measuring compliance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.crimes.layer import forecast_cells, shift_at
from siaga.db import utcnow
from siaga.errors import Invalid, NotFound
from siaga.events.service import record_event
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation
from siaga.patrols.models import PatrolPlan, PatrolPoint
from siaga.patrols.planner import Crew, Target, plan_routes, school_window
from siaga.patrols.schools import high_risk_schools
from siaga.units.models import Unit, UnitPosition

PATROL_KINDS = ("car", "motorbike", "officer")
VISIT_RADIUS_M = 150.0
MAX_SHIFT = timedelta(hours=24)
SCHOOL_BEFORE = timedelta(minutes=15)
SCHOOL_AFTER = timedelta(minutes=45)


def _units(session: Session, *, org: Organisation, unit_ids: list[int] | None) -> list[Unit]:
    query = (select(Unit).where(Unit.org_path.startswith(org.path, autoescape=True))
             .where(Unit.kind.in_(PATROL_KINDS)).where(Unit.status != "out_of_service")
             .order_by(Unit.id))
    if unit_ids:
        query = query.where(Unit.id.in_(unit_ids))
    units = list(session.scalars(query))
    if unit_ids and len(units) != len(set(unit_ids)):
        raise Invalid("Sebagian unit tidak ada di satuan ini atau tidak bisa berpatroli",
                      field="unit_ids")
    if not units:
        raise Invalid("Tidak ada unit patroli (mobil, motor, petugas) di satuan ini",
                      field="unit_ids")
    return units


def _targets(session: Session, *, org: Organisation, start: datetime, end: datetime,
             crime_type: str | None, hotspots: int) -> list[Target]:
    out: list[Target] = []
    cells, _, _ = forecast_cells(session, scope=org.path, crime_type=crime_type,
                                 horizon="shift", at=start, limit=hotspots)
    for rank, (cell, risk) in enumerate(cells, start=1):
        out.append(Target(kind="hotspot", label=f"Sel rawan #{rank}", lat=cell.lat,
                          lon=cell.lon, risk=risk))
    for school, risk, dismissal in high_risk_schools(session, scope=org.path, start=start,
                                                     end=end):
        window = school_window(dismissal, before=SCHOOL_BEFORE, after=SCHOOL_AFTER)
        out.append(Target(kind="school", label=f"Jam pulang {school.name}", lat=school.lat or 0.0,
                          lon=school.lon or 0.0, risk=risk, window=window, school_id=school.id))
    return out


def create_plan(
    session: Session, *, staff: Staff, org: Organisation, shift_start: datetime | None,
    shift_end: datetime | None, unit_ids: list[int] | None, points_per_unit: int,
    crime_type: str | None, now: datetime | None = None,
) -> PatrolPlan:
    """Propose and store per-unit ordered patrol points for one shift of an organisation."""
    now = now or utcnow()
    if not staff.sees(org.path):
        raise NotFound(f"Satuan tidak ditemukan: {org.code}", field="org")
    if shift_start is None:
        shift = shift_at(now)
        shift_start, shift_end = shift.start, shift_end or shift.end
    if shift_end is None:
        shift_end = shift_start + timedelta(hours=8)
    if not timedelta(0) < shift_end - shift_start <= MAX_SHIFT:
        raise Invalid("Akhir sif harus setelah awal, paling lama 24 jam", field="shift_end")
    units = _units(session, org=org, unit_ids=unit_ids)
    targets = _targets(session, org=org, start=shift_start, end=shift_end,
                       crime_type=crime_type, hotspots=points_per_unit * len(units))
    routes = plan_routes(targets, [Crew(u.id, u.lat, u.lon) for u in units],
                         shift_start, shift_end)
    plan = PatrolPlan(org_id=org.id, org_path=org.path, shift_start=shift_start,
                      shift_end=shift_end, crime_type=crime_type, created_by_id=staff.user.id,
                      created_at=now)
    session.add(plan)
    session.flush()
    for unit_id, stops in routes.items():
        for seq, stop in enumerate(stops, start=1):
            t = stop.target
            session.add(PatrolPoint(plan_id=plan.id, unit_id=unit_id, seq=seq, kind=t.kind,
                                    label=t.label, lat=t.lat, lon=t.lon, risk=t.risk,
                                    school_id=t.school_id, window_start=stop.start,
                                    window_end=stop.end))
    counts = [len(s) for s in routes.values()]
    plan.summary = {
        "units": len(units), "points": sum(counts),
        "hotspots": sum(1 for t in targets if t.kind == "hotspot"),
        "schools": sum(1 for t in targets if t.kind == "school"),
        "points_per_unit": {"min": min(counts), "max": max(counts)},
        "risk_per_unit": {str(u): round(sum(s.target.risk for s in stops), 4)
                          for u, stops in routes.items()},
    }
    session.flush()
    audit(session, action="patrol.plan", target=plan, actor=staff.user, org_path=plan.org_path,
          detail={"units": len(units), "points": sum(counts)})
    record_event(session, type="patrol.plan_created", org_path=plan.org_path,
                 payload={"plan": {"id": plan.id, "shift_start": shift_start.isoformat(),
                                   "shift_end": shift_end.isoformat(),
                                   "unit_ids": [u.id for u in units]}})
    return plan


def plan_for_staff(session: Session, *, staff: Staff, plan_id: int) -> PatrolPlan:
    """The plan if it belongs to the staff member's organisation."""
    plan = session.get(PatrolPlan, plan_id)
    if plan is None or not staff.sees(plan.org_path):
        raise NotFound("Rencana patroli tidak ditemukan", field="id")
    return plan


def _points(session: Session, plan: PatrolPlan, unit_ids: set[int] | None = None
            ) -> list[PatrolPoint]:
    query = select(PatrolPoint).where(PatrolPoint.plan_id == plan.id)
    if unit_ids is not None:
        query = query.where(PatrolPoint.unit_id.in_(sorted(unit_ids)))
    return list(session.scalars(query.order_by(PatrolPoint.unit_id, PatrolPoint.seq)))


def _point_dict(p: PatrolPoint) -> dict[str, Any]:
    return {"id": p.id, "seq": p.seq, "kind": p.kind, "label": p.label, "lat": p.lat,
            "lon": p.lon, "risk": round(p.risk, 4), "school_id": p.school_id,
            "window_start": p.window_start.isoformat(), "window_end": p.window_end.isoformat()}


def plan_view(session: Session, *, plan: PatrolPlan, unit_ids: set[int] | None = None
              ) -> dict[str, Any]:
    """The plan with its units' ordered points (only the given units when named)."""
    by_unit: dict[int, list[PatrolPoint]] = defaultdict(list)
    for p in _points(session, plan, unit_ids):
        by_unit[p.unit_id].append(p)
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(sorted(by_unit))))}
    org = session.get(Organisation, plan.org_id)
    return {
        "id": plan.id, "org_code": org.code if org else None, "org_path": plan.org_path,
        "shift_start": plan.shift_start.isoformat(), "shift_end": plan.shift_end.isoformat(),
        "crime_type": plan.crime_type, "summary": plan.summary,
        "created_at": plan.created_at.isoformat(),
        "units": [{"unit_id": uid, "callsign": units[uid].callsign, "kind": units[uid].kind,
                   "user_id": units[uid].user_id, "points": [_point_dict(p) for p in pts]}
                  for uid, pts in sorted(by_unit.items())],
    }


def plans_for_officer(session: Session, *, user: User, now: datetime | None = None,
                      days: int = 2) -> list[dict[str, Any]]:
    """Recent and coming plans that give points to a unit of this officer, with those only."""
    now = now or utcnow()
    unit_ids = set(session.scalars(select(Unit.id).where(Unit.user_id == user.id)))
    if not unit_ids:
        return []
    plan_ids = select(PatrolPoint.plan_id).where(PatrolPoint.unit_id.in_(sorted(unit_ids)))
    plans = session.scalars(
        select(PatrolPlan).where(PatrolPlan.id.in_(plan_ids))
        .where(PatrolPlan.shift_end > now - timedelta(days=days))
        .order_by(PatrolPlan.shift_start.desc(), PatrolPlan.id.desc()).limit(20)
    )
    return [plan_view(session, plan=p, unit_ids=unit_ids) for p in plans]


@dataclass(frozen=True)
class Visit:
    visited: bool
    first_at: datetime | None
    closest_m: float | None


def _visit(point: PatrolPoint, fixes: list[UnitPosition], radius_m: float) -> Visit:
    closest: float | None = None
    first: datetime | None = None
    for fix in fixes:
        if not point.window_start <= fix.at <= point.window_end:
            continue
        d = haversine_m(point.lat, point.lon, fix.lat, fix.lon)
        closest = d if closest is None else min(closest, d)
        if d <= radius_m and first is None:
            first = fix.at
    return Visit(first is not None, first, None if closest is None else round(closest, 1))


def plan_compliance(session: Session, *, plan: PatrolPlan, radius_m: float = VISIT_RADIUS_M
                    ) -> dict[str, Any]:
    """Planned points visited: a GPS fix of the assigned unit within the radius in the window."""
    points = _points(session, plan)
    by_unit: dict[int, list[PatrolPoint]] = defaultdict(list)
    for p in points:
        by_unit[p.unit_id].append(p)
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(sorted(by_unit))))}
    out_units = []
    visited_total = 0
    for unit_id, pts in sorted(by_unit.items()):
        lo = min(p.window_start for p in pts)
        hi = max(p.window_end for p in pts)
        fixes = list(session.scalars(
            select(UnitPosition).where(UnitPosition.unit_id == unit_id)
            .where(UnitPosition.at >= lo).where(UnitPosition.at <= hi).order_by(UnitPosition.at)
        ))
        rows = []
        for p in pts:
            v = _visit(p, fixes, radius_m)
            visited_total += v.visited
            rows.append({**_point_dict(p), "visited": v.visited,
                         "visited_at": v.first_at.isoformat() if v.first_at else None,
                         "closest_m": v.closest_m})
        done = sum(1 for r in rows if r["visited"])
        out_units.append({"unit_id": unit_id, "callsign": units[unit_id].callsign,
                          "planned": len(rows), "visited": done,
                          "rate": round(done / len(rows), 4) if rows else None,
                          "fixes": len(fixes), "points": rows})
    return {"plan_id": plan.id, "radius_m": radius_m, "planned": len(points),
            "visited": visited_total,
            "rate": round(visited_total / len(points), 4) if points else None,
            "units": out_units}


def list_plans(session: Session, *, scope: str, limit: int, offset: int) -> dict[str, Any]:
    """Plans within the scope, newest shift first, without their points."""
    query = select(PatrolPlan).where(PatrolPlan.org_path.startswith(scope, autoescape=True))
    rows = list(session.scalars(query.order_by(PatrolPlan.shift_start.desc(),
                                               PatrolPlan.id.desc())))
    items = [{"id": p.id, "org_path": p.org_path, "shift_start": p.shift_start.isoformat(),
              "shift_end": p.shift_end.isoformat(), "crime_type": p.crime_type,
              "summary": p.summary} for p in rows[offset:offset + limit]]
    return {"items": items, "total": len(rows)}
