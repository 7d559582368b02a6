"""Storing GPS fixes: checks, history, the unit's current position and the live-map event.

A fix is not a change made by staff, so it is not audited; refused fixes are kept in
`rejected_fixes` with their reason instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from siaga.alarms.officer_sos import sos_from_tracker
from siaga.db import utcnow
from siaga.events.service import NewEvent, record_event, record_events
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation
from siaga.tracking.protocols import Fix, Heartbeat
from siaga.units.models import RejectedFix, Unit, UnitPosition
from siaga.units.service import unit_payload

MAX_SPEED_KMH = 250.0
# GPS noise: two honest fixes a second apart can lie this far apart (plus their accuracy).
JUMP_SLACK_M = 100.0
MAX_FUTURE = timedelta(minutes=5)

_UNITS = cast(Table, Unit.__table__)
_POSITIONS = cast(Table, UnitPosition.__table__)
_UNIT_UPDATE = update(_UNITS).where(_UNITS.c.id == bindparam("_id"))


@dataclass(slots=True)
class FixResult:
    """What became of one fix: stored, duplicate, rejected (with reason) or unknown sender."""

    status: str
    reason: str | None = None
    unit_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.status in ("stored", "duplicate")


class _UnitCache:
    """What rarely changes about a unit (callsign, organisation, tracker id), kept briefly.

    Fixes then need only a narrow read of the changing columns (status, last position). A
    tracker id moved to another unit is followed within TTL_S seconds.
    """

    TTL_S = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_tracker: dict[str, tuple[int, float]] = {}
        self._static: dict[int, tuple[dict[str, Any], float]] = {}

    def forget(self) -> None:
        with self._lock:
            self._by_tracker.clear()
            self._static.clear()

    def resolve(self, session: Session, fixes: list[Any]) -> dict[int, dict[str, Any]]:
        now = time.monotonic()
        wanted_trackers = {f.tracker_id for f in fixes if f.unit_id is None}
        wanted_ids = {f.unit_id for f in fixes if f.unit_id is not None}
        found: dict[int, dict[str, Any]] = {}
        with self._lock:
            for tracker_id in list(wanted_trackers):
                hit = self._by_tracker.get(tracker_id)
                if hit is not None and hit[1] > now:
                    wanted_ids.add(hit[0])
                    wanted_trackers.discard(tracker_id)
            for unit_id in list(wanted_ids):
                cached = self._static.get(unit_id)
                if cached is not None and cached[1] > now:
                    found[unit_id] = cached[0]
                    wanted_ids.discard(unit_id)
        if wanted_trackers or wanted_ids:
            conditions = []
            if wanted_trackers:
                conditions.append(_UNITS.c.tracker_id.in_(wanted_trackers))
            if wanted_ids:
                conditions.append(_UNITS.c.id.in_(wanted_ids))
            rows = session.execute(
                select(*_STATIC_COLUMNS, Organisation.code.label("org_code"))
                .join(Organisation, Organisation.id == _UNITS.c.org_id)
                .where(or_(*conditions))
            ).mappings().all()
            with self._lock:
                for row in rows:
                    details = dict(row)
                    found[details["id"]] = details
                    self._static[details["id"]] = (details, now + self.TTL_S)
                    if details["tracker_id"] is not None:
                        self._by_tracker[details["tracker_id"]] = (details["id"],
                                                                   now + self.TTL_S)
        return found


_unit_cache = _UnitCache()
_STATIC_COLUMNS = [_UNITS.c[name] for name in ("id", "callsign", "kind", "org_path",
                                                "tracker_id", "user_id", "crew")]
_DYNAMIC_COLUMNS = [_UNITS.c[name] for name in ("id", "status", "status_changed_at", "lat",
                                                 "lon", "position_at", "speed_kmh", "heading",
                                                 "battery")]


def forget_units() -> None:
    """Drop cached unit details (after a tracker id is moved, and in tests)."""
    _unit_cache.forget()


def _load_units(session: Session, fixes: list[Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    static = _unit_cache.resolve(session, fixes)
    if not static:
        return {}, {}
    rows = session.execute(select(*_DYNAMIC_COLUMNS).where(_UNITS.c.id.in_(static))).all()
    by_id: dict[int, Any] = {}
    for row in rows:
        unit = SimpleNamespace(**static[row.id])
        (unit.status, unit.status_changed_at, unit.lat, unit.lon, unit.position_at,
         unit.speed_kmh, unit.heading, unit.battery) = row[1:]
        by_id[row.id] = unit
    # A unit deleted meanwhile has no row here, so its cached tracker id matches nothing.
    by_tracker = {u.tracker_id: u for u in by_id.values() if u.tracker_id is not None}
    return by_tracker, by_id


def _check(unit: Any, fix: Fix, now: datetime) -> str | None:
    """Why this fix must be refused, or None."""
    if fix.lat == 0.0 and fix.lon == 0.0:
        return "zero_position: (0,0) adalah posisi kosong dari GPS tanpa sinyal"
    if fix.at > now + MAX_FUTURE:
        return f"future_timestamp: {fix.at.isoformat()}"
    last_at = unit.position_at
    if last_at is None or unit.lat is None or fix.at <= last_at:
        return None
    distance = haversine_m(unit.lat, unit.lon, fix.lat, fix.lon)
    slack = JUMP_SLACK_M + (fix.accuracy_m or 0.0)
    seconds = (fix.at - last_at).total_seconds()
    speed_kmh = max(0.0, distance - slack) / seconds * 3.6
    if speed_kmh > MAX_SPEED_KMH:
        return f"impossible_jump: {speed_kmh:.0f} km/j dari posisi terakhir"
    return None


def store_fixes(session: Session, *, fixes: list[Fix]) -> list[FixResult]:
    """Check and store a batch of fixes in the caller's transaction (a handful of statements)."""
    if not fixes:
        return []
    now = utcnow()
    by_tracker, by_id = _load_units(session, fixes)
    results: list[FixResult] = []
    positions: list[dict[str, Any]] = []
    moved: dict[int, Any] = {}
    for fix in fixes:
        unit = by_id.get(fix.unit_id) if fix.unit_id is not None else by_tracker.get(
            fix.tracker_id)
        if unit is None:
            results.append(FixResult("unknown", "unknown_tracker"))
            continue
        reason = _check(unit, fix, now)
        if reason is not None:
            session.add(RejectedFix(tracker_id=fix.tracker_id, unit_id=unit.id, reason=reason,
                                    lat=fix.lat, lon=fix.lon, at=fix.at, received_at=now))
            results.append(FixResult("rejected", reason, unit.id))
            continue
        if fix.at == unit.position_at and (fix.lat, fix.lon) == (unit.lat, unit.lon):
            # A tracker resending a fix whose reply it missed.
            results.append(FixResult("duplicate", None, unit.id))
            continue
        positions.append({
            "unit_id": unit.id, "at": fix.at, "lat": fix.lat, "lon": fix.lon,
            "speed_kmh": fix.speed_kmh, "heading": fix.heading, "altitude": fix.altitude,
            "accuracy_m": fix.accuracy_m, "battery": fix.battery, "source": fix.source,
            "received_at": now,
        })
        if unit.position_at is None or fix.at > unit.position_at:
            unit.lat, unit.lon, unit.position_at = fix.lat, fix.lon, fix.at
            unit.speed_kmh, unit.heading = fix.speed_kmh, fix.heading
            if fix.battery is not None:
                unit.battery = fix.battery
            moved[unit.id] = unit
        if fix.alarm:
            record_event(session, type="unit.alarm", org_path=unit.org_path,
                         payload={"unit": _payload(unit, now), "alarm": fix.alarm})
            sos_from_tracker(session, unit_id=unit.id, alarm=fix.alarm, lat=fix.lat,
                             lon=fix.lon, accuracy_m=fix.accuracy_m, fix_at=fix.at,
                             source=fix.source)
        results.append(FixResult("stored", None, unit.id))
    # Live screens only need where each unit is now; the trail comes from the history.
    if moved:
        record_events(session, events=[
            NewEvent("unit.position", unit.org_path, {"unit": _payload(unit, now)})
            for unit in moved.values()])
    session.flush()
    if positions:
        session.execute(insert(_POSITIONS), positions)
    if moved:
        session.execute(_UNIT_UPDATE, [
            {"_id": u.id, "lat": u.lat, "lon": u.lon, "position_at": u.position_at,
             "speed_kmh": u.speed_kmh, "heading": u.heading, "battery": u.battery}
            for u in moved.values()
        ])
    return results


def note_heartbeat(session: Session, *, beat: Heartbeat) -> FixResult:
    """A tracker alive without a position: no fix is stored; an SOS still raises the alarm."""
    by_tracker, _ = _load_units(session, [Fix(tracker_id=beat.tracker_id, lat=0.0, lon=0.0,
                                              at=beat.at, source=beat.source)])
    unit = by_tracker.get(beat.tracker_id)
    if unit is None:
        return FixResult("unknown", "unknown_tracker")
    if beat.alarm:
        now = utcnow()
        record_event(session, type="unit.alarm", org_path=unit.org_path,
                     payload={"unit": _payload(unit, now), "alarm": beat.alarm})
        sos_from_tracker(session, unit_id=unit.id, alarm=beat.alarm, source=beat.source)
        session.flush()
    return FixResult("heartbeat", None, unit.id)


def _payload(unit: Any, now: datetime) -> dict[str, Any]:
    return unit_payload(unit, org_code=unit.org_code, now=now)


def track(
    session: Session, *, unit: Unit, since: datetime | None, until: datetime | None,
    limit: int = 20_000,
) -> list[UnitPosition]:
    """A unit's stored fixes in time order (the last 24 hours by default)."""
    until = until or utcnow()
    since = since or until - timedelta(hours=24)
    rows = session.scalars(
        select(UnitPosition).where(UnitPosition.unit_id == unit.id)
        .where(UnitPosition.at >= since, UnitPosition.at <= until)
        .order_by(UnitPosition.at.desc(), UnitPosition.id.desc()).limit(limit)
    )
    return list(reversed(list(rows)))


def track_geojson(unit: Unit, positions: list[UnitPosition]) -> dict[str, Any]:
    """A FeatureCollection: the track as one LineString, then every fix as a Point."""
    coords = [[p.lon, p.lat] for p in positions]
    features: list[dict[str, Any]] = [{
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {"unit_id": unit.id, "callsign": unit.callsign, "kind": "track",
                       "points": len(coords),
                       "since": positions[0].at.isoformat() if positions else None,
                       "until": positions[-1].at.isoformat() if positions else None},
    }]
    for p in positions:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {"kind": "fix", "at": p.at.isoformat(), "speed_kmh": p.speed_kmh,
                           "heading": p.heading, "accuracy_m": p.accuracy_m,
                           "altitude": p.altitude, "battery": p.battery, "source": p.source},
        })
    return {"type": "FeatureCollection", "features": features}


def downsample_positions(session: Session, *, older_than: datetime, chunk: int = 500) -> int:
    """Keep at most one fix per unit per minute before `older_than` (the first of each minute)."""
    doomed: list[int] = []
    last_key: tuple[int, datetime] | None = None
    rows = session.execute(
        select(UnitPosition.id, UnitPosition.unit_id, UnitPosition.at)
        .where(UnitPosition.at < older_than)
        .order_by(UnitPosition.unit_id, UnitPosition.at, UnitPosition.id)
        .execution_options(yield_per=5000)
    )
    for row in rows:
        key = (row.unit_id, row.at.replace(second=0, microsecond=0))
        if key == last_key:
            doomed.append(row.id)
        last_key = key
    deleted = 0
    for start in range(0, len(doomed), chunk):
        ids = doomed[start:start + chunk]
        session.execute(delete(_POSITIONS).where(_POSITIONS.c.id.in_(ids)))
        deleted += len(ids)
    return deleted
