"""Pure checks behind the rules: the WIB window, points in zones, and the units' last fixes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import shapely
from shapely.geometry import shape as geojson_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.crimes.layer import hotspot_geojson, shift_at
from siaga.geo import haversine_m
from siaga.geofence.models import GeofenceRule
from siaga.orgs.models import Organisation, Region
from siaga.roster.service import rostered_duty
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


@dataclass(frozen=True)
class OnDuty:
    unit: Unit
    # Start of the roster shift the unit's officer is on; None when the unit's status decided.
    shift_start: datetime | None


def units_on_duty(session: Session, *, org_path: str, at: datetime) -> list[OnDuty]:
    """Units on duty under this org path at `at`.

    The duty roster (piket) decides for a unit whose officer (`Unit.user_id`) it names in a
    shift within a day of `at`: on duty exactly while that shift runs, whatever the unit's
    status says. A unit whose officer the roster does not name falls back to its own status:
    on duty unless it is out of service. Retired units never are.
    """
    units = list(session.scalars(
        select(Unit).where(Unit.org_path.startswith(org_path)).where(Unit.retired_at.is_(None))
        .order_by(Unit.id)))
    roster = rostered_duty(session, at=at,
                           user_ids=sorted({u.user_id for u in units if u.user_id is not None}))
    found = []
    for unit in units:
        if unit.user_id is not None and unit.user_id in roster:
            start = roster[unit.user_id]
            if start is not None:
                found.append(OnDuty(unit=unit, shift_start=start))
        elif unit.status != "out_of_service":
            found.append(OnDuty(unit=unit, shift_start=None))
    return found


@dataclass(frozen=True)
class HotspotCell:
    rank: int
    shape: BaseGeometry
    lat: float
    lon: float


_CELLS: OrderedDict[tuple[str, datetime, int], tuple[str, list[HotspotCell]]] = OrderedDict()
_CELLS_KEPT = 64


def shift_hotspots(session: Session, *, org_path: str, top_n: int,
                   at: datetime) -> dict[str, Any]:
    """The top N hotspot cells of the shift running at `at` (pagi, siang, malam), as GeoJSON.

    The forecast is made at the shift's start, so the cells stay the same through the shift
    (what the shift's patrol plan was given) and change with the next one.
    """
    shift = shift_at(at)
    return hotspot_geojson(session, scope=org_path, crime_type=None, horizon="shift",
                           at=shift.start.astimezone(UTC), limit=top_n)


def shift_cells(session: Session, *, org_path: str, top_n: int,
                at: datetime) -> tuple[str, list[HotspotCell]]:
    """The shift's name and its top N cells as shapes (cached per organisation and shift)."""
    start = shift_at(at).start
    key = (org_path, start, top_n)
    if key not in _CELLS:
        layer = shift_hotspots(session, org_path=org_path, top_n=top_n, at=at)
        cells = [HotspotCell(rank=int(f["properties"]["rank"]),
                             shape=geojson_shape(f["geometry"]),
                             lat=float(f["properties"]["lat"]), lon=float(f["properties"]["lon"]))
                 for f in layer["features"]]
        _CELLS[key] = (str(layer["properties"]["shift"]), cells)
        while len(_CELLS) > _CELLS_KEPT:
            _CELLS.popitem(last=False)
    return _CELLS[key]


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
