"""Pure checks behind the rules: the WIB window, points in zones, and the units' last fixes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.geo import haversine_m
from siaga.geofence.models import GeofenceRule
from siaga.orgs.models import Organisation, Region
from siaga.units.models import Unit, UnitPosition

WIB = timezone(timedelta(hours=7))
# A fix older than this no longer says where a unit is (for leaving and coverage).
FRESH_FIX = timedelta(minutes=15)
# A unit counts as on duty when it sent a fix within this span and is in service.
ON_DUTY_SPAN = timedelta(hours=8)


def in_window(rule: GeofenceRule, at: datetime) -> bool:
    """Whether the rule's WIB days and hours include this moment."""
    local = at.astimezone(WIB)
    start, end = rule.start_time, rule.end_time
    if start is None or end is None:
        return not rule.days or local.isoweekday() in rule.days
    hhmm = local.strftime("%H:%M")
    if start <= end:
        inside, day = start <= hhmm < end, local
    else:  # past midnight: the window belongs to the day it started
        inside = hhmm >= start or hhmm < end
        day = local - timedelta(days=1) if hhmm < end else local
    return inside and (not rule.days or day.isoweekday() in rule.days)


def zone_contains(rule: GeofenceRule, lat: float, lon: float,
                  shape: BaseGeometry | None) -> bool:
    """Whether the point lies in the rule's zone (a circle or a polygon)."""
    if rule.radius_m is not None and rule.center_lat is not None and rule.center_lon is not None:
        return haversine_m(rule.center_lat, rule.center_lon, lat, lon) <= rule.radius_m
    return shape is not None and covers(shape, lat, lon)


def covers(shape: BaseGeometry, lat: float, lon: float) -> bool:
    return bool(shape.covers(shapely.Point(lon, lat)))


def zone_shape(rule: GeofenceRule) -> BaseGeometry | None:
    return shapely.from_geojson(rule.zone_geojson) if rule.zone_geojson else None


def jurisdiction(session: Session, *, org_path: str,
                 cache: dict[str, BaseGeometry | None]) -> BaseGeometry | None:
    """The union of the boundaries of every region its org (and those below) covers."""
    if org_path not in cache:
        boundaries = session.scalars(
            select(Region.boundary).join(Organisation, Organisation.id == Region.org_id)
            .where(Organisation.path.startswith(org_path)).where(Region.boundary.is_not(None))
        ).all()
        shapes = [shapely.from_geojson(b) for b in boundaries if b]
        cache[org_path] = shapely.union_all(shapes) if shapes else None
    return cache[org_path]


def units_in_scope(session: Session, *, org_path: str) -> list[Unit]:
    """Units in service under this org path."""
    return list(session.scalars(
        select(Unit).where(Unit.org_path.startswith(org_path)).where(Unit.retired_at.is_(None))
        .where(Unit.status != "out_of_service").order_by(Unit.id)))


def last_fixes(session: Session, *, unit_ids: list[int], at: datetime,
               since: datetime) -> dict[int, Any]:
    """Each unit's latest stored fix in (since, at]."""
    if not unit_ids:
        return {}
    rows = session.execute(
        select(UnitPosition.unit_id, UnitPosition.at, UnitPosition.lat, UnitPosition.lon)
        .where(UnitPosition.unit_id.in_(unit_ids))
        .where(UnitPosition.at > since).where(UnitPosition.at <= at)
        .order_by(UnitPosition.unit_id, UnitPosition.at)).all()
    latest: dict[int, Any] = {}
    for row in rows:
        latest[row.unit_id] = row
    return latest


def fixes_between(session: Session, *, unit_ids: list[int], since: datetime,
                  at: datetime) -> list[Any]:
    """Every stored fix of these units in (since, at]."""
    if not unit_ids:
        return []
    return list(session.execute(
        select(UnitPosition.unit_id, UnitPosition.at, UnitPosition.lat, UnitPosition.lon)
        .where(UnitPosition.unit_id.in_(unit_ids))
        .where(UnitPosition.at > since).where(UnitPosition.at <= at)).all())
