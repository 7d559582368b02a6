"""The evaluator: every active rule checked against the stored GPS fixes, alerts opened/resolved.

One live alert per rule and unit (or rule and zone): the alert's `active_key` is unique while
it is open or acknowledged and cleared when its condition clears, so a repeated tick, or another
worker ticking at once, opens nothing new.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from anyio import to_thread
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.alarms.models import ACTIVE_STATUSES, Alarm
from siaga.audit.service import audit
from siaga.crimes.layer import shift_at
from siaga.db import get_database
from siaga.devices.models import Device
from siaga.dispatch.escalation import loop_enabled
from siaga.geofence import rules as checks
from siaga.geofence.models import GeofenceAlert, GeofenceRule
from siaga.geofence.service import publish_alert
from siaga.orgs.models import Organisation
from siaga.orm import utcnow
from siaga.reports.fmt import wib
from siaga.units.models import Unit

log = logging.getLogger(__name__)
TICK_S = 30.0


@dataclass(frozen=True)
class Violation:
    key: str
    unit_id: int | None
    org_path: str
    message: str
    lat: float | None
    lon: float | None
    alarm_id: int | None = None


def evaluate_rules(session: Session, *, at: datetime | None = None) -> list[GeofenceAlert]:
    """Check every active rule at `at`; returns the alerts opened by this tick."""
    at = at or utcnow()
    opened: list[GeofenceAlert] = []
    areas: dict[str, BaseGeometry | None] = {}
    rules = session.scalars(select(GeofenceRule).where(GeofenceRule.active.is_(True))
                            .where(GeofenceRule.deleted_at.is_(None))
                            .order_by(GeofenceRule.id)).all()
    for rule in rules:
        found = _violations(session, rule=rule, at=at, areas=areas) \
            if checks.in_window(rule, at) else []
        opened.extend(_apply(session, rule=rule, found=found, at=at))
    return opened


def _violations(session: Session, *, rule: GeofenceRule, at: datetime,
                areas: dict[str, BaseGeometry | None]) -> list[Violation]:
    if rule.kind == "officer_sos":
        return _sos(session, rule=rule)
    duty = checks.units_on_duty(session, org_path=rule.org_path, at=at)
    ids = [d.unit.id for d in duty]
    if rule.kind == "zone_uncovered":
        if rule.zone_source == "hotspots":
            return _uncovered_cells(session, rule=rule, at=at, unit_ids=ids)
        return _uncovered(session, rule=rule, at=at, unit_ids=ids)
    if rule.kind == "unit_silent":
        return _silent(session, rule=rule, at=at, duty=duty)
    fixes = checks.last_fixes(session, unit_ids=ids, at=at, since=at - checks.FRESH_FIX)
    found = []
    for unit in (d.unit for d in duty):
        fix = fixes.get(unit.id)
        area = checks.jurisdiction(session, org_path=unit.org_path, cache=areas)
        if fix is None or area is None or checks.covers(area, fix.lat, fix.lon):
            continue
        org = session.get(Organisation, unit.org_id)
        found.append(Violation(
            key=f"{rule.id}:{unit.id}", unit_id=unit.id, org_path=unit.org_path,
            message=f"{unit.callsign} keluar dari wilayah {org.name if org else 'tugasnya'}",
            lat=fix.lat, lon=fix.lon))
    return found


def _uncovered(session: Session, *, rule: GeofenceRule, at: datetime,
               unit_ids: list[int]) -> list[Violation]:
    shape = checks.zone_shape(rule)
    fixes = checks.last_fixes(session, unit_ids=unit_ids, at=at, since=at - checks.FRESH_FIX)
    if any(checks.zone_contains(rule, f.lat, f.lon, shape) for f in fixes.values()):
        return []
    lat, lon = rule.center_lat, rule.center_lon
    if lat is None and shape is not None:
        point = shape.representative_point()
        lat, lon = point.y, point.x
    return [Violation(key=f"{rule.id}:zone", unit_id=None, org_path=rule.org_path,
                      message=f"Tidak ada unit di zona {rule.name}", lat=lat, lon=lon)]


def _uncovered_cells(session: Session, *, rule: GeofenceRule, at: datetime,
                     unit_ids: list[int]) -> list[Violation]:
    """One violation per top hotspot cell of the running shift that no unit is inside."""
    shift, cells = checks.shift_cells(session, org_path=rule.org_path,
                                      top_n=rule.hotspot_top_n or 0, at=at)
    fixes = checks.last_fixes(session, unit_ids=unit_ids, at=at, since=at - checks.FRESH_FIX)
    stamp = f"{wib(shift_at(at).start):%m%d%H}"
    return [Violation(key=f"{rule.id}:h{stamp}:{cell.rank}", unit_id=None,
                      org_path=rule.org_path,
                      message=f"Tidak ada unit di sel rawan #{cell.rank} shift {shift} "
                              f"({rule.name})", lat=cell.lat, lon=cell.lon)
            for cell in cells
            if not any(checks.covers(cell.shape, f.lat, f.lon) for f in fixes.values())]


def _silent(session: Session, *, rule: GeofenceRule, at: datetime,
            duty: list[checks.OnDuty]) -> list[Violation]:
    """A unit on duty whose last fix is older than the limit. A unit the roster puts on duty
    counts from its shift's start when it sent nothing since; one that only its status puts
    on duty counts only once it sent a fix within ON_DUTY_SPAN (a unit never switched on is
    not silent, it is not there)."""
    limit = timedelta(minutes=rule.silent_minutes or 0)
    fixes = checks.last_fixes(session, unit_ids=[d.unit.id for d in duty], at=at,
                              since=at - checks.ON_DUTY_SPAN)
    found = []
    for entry in duty:
        unit, fix = entry.unit, fixes.get(entry.unit.id)
        start = entry.shift_start
        if start is not None and (fix is None or fix.at < start):
            if at - start < limit:
                continue
            minutes = int((at - start).total_seconds() // 60)
            found.append(Violation(
                key=f"{rule.id}:{unit.id}", unit_id=unit.id, org_path=unit.org_path,
                message=f"{unit.callsign} belum mengirim posisi sejak piket mulai "
                        f"{wib(start):%H.%M} WIB ({minutes} menit)",
                lat=fix.lat if fix else unit.lat, lon=fix.lon if fix else unit.lon))
            continue
        if fix is None or at - fix.at < limit:
            continue
        minutes = int((at - fix.at).total_seconds() // 60)
        found.append(Violation(
            key=f"{rule.id}:{unit.id}", unit_id=unit.id, org_path=unit.org_path,
            message=f"{unit.callsign} tidak mengirim posisi sejak {wib(fix.at):%H.%M} WIB "
                    f"({minutes} menit)", lat=fix.lat, lon=fix.lon))
    return found


def _sos(session: Session, *, rule: GeofenceRule) -> list[Violation]:
    """Every officer's SOS alarm still active in scope (it clears when the alarm closes)."""
    rows = session.execute(
        select(Alarm.id, Alarm.lat, Alarm.lon, Alarm.org_path, Unit.id.label("unit_id"),
               Unit.callsign)
        .join(Device, Device.id == Alarm.device_id).join(Unit, Unit.id == Device.unit_id)
        .where(Alarm.kind == "officer_sos").where(Alarm.status.in_(ACTIVE_STATUSES))
        .where(Alarm.org_path.startswith(rule.org_path)).order_by(Alarm.id)).all()
    return [Violation(key=f"{rule.id}:sos{row.id}", unit_id=row.unit_id, org_path=row.org_path,
                      message=f"SOS petugas: {row.callsign}", lat=row.lat, lon=row.lon,
                      alarm_id=row.id) for row in rows]


def _apply(session: Session, *, rule: GeofenceRule, found: list[Violation],
           at: datetime) -> list[GeofenceAlert]:
    live = {a.active_key: a for a in session.scalars(select(GeofenceAlert).where(
        GeofenceAlert.rule_id == rule.id, GeofenceAlert.active_key.is_not(None)))}
    keys = {v.key for v in found}
    for key, stale in live.items():
        if key not in keys:
            stale.status, stale.resolved_at, stale.active_key = "resolved", at, None
            session.flush()
            audit(session, action="geofence.alert_resolve", target=stale, actor=None,
                  org_path=stale.org_path)
            publish_alert(session, alert=stale)
    opened = []
    for violation in found:
        if violation.key not in live:
            fresh = _open(session, rule=rule, violation=violation, at=at)
            if fresh is not None:
                opened.append(fresh)
    return opened


def _open(session: Session, *, rule: GeofenceRule, violation: Violation,
          at: datetime) -> GeofenceAlert | None:
    alert = GeofenceAlert(rule_id=rule.id, unit_id=violation.unit_id, kind=rule.kind,
                          alarm_id=violation.alarm_id,
                          org_path=violation.org_path, status="open", message=violation.message,
                          lat=violation.lat, lon=violation.lon, active_key=violation.key,
                          opened_at=at)
    if session.get_bind().dialect.name == "sqlite":  # writers are serialised in-process
        session.add(alert)
        session.flush()
    else:
        try:
            with session.begin_nested():
                session.add(alert)
                session.flush()
        except IntegrityError:  # another worker opened it first
            return None
    audit(session, action="geofence.alert_open", target=alert, actor=None,
          org_path=alert.org_path, detail={"rule_id": rule.id, "kind": rule.kind})
    publish_alert(session, alert=alert)
    return alert


def _tick() -> int:
    with get_database().session() as session:
        return len(evaluate_rules(session, at=utcnow()))


async def _loop(interval_s: float) -> None:
    while True:
        try:
            await to_thread.run_sync(_tick)
        except Exception:  # a lost race or a database blink: the next tick tries again
            log.warning("geofence tick failed", exc_info=True)
        await asyncio.sleep(interval_s)


async def start_geofence_loop(app: Any) -> None:
    """Startup hook: evaluate the geofence rules every TICK_S seconds (off like escalation)."""
    if loop_enabled():
        app.state.geofence_task = asyncio.create_task(_loop(TICK_S))


async def stop_geofence_loop(app: Any) -> None:
    task = getattr(app.state, "geofence_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
