"""Ranking the units that could reach an alarm soonest, with the Polsek duty desk as fallback.

Patrol units and officers with a fresh fix come first, by estimated travel time plus a share of
their fix's age (a unit heard from minutes ago may have moved). A duty desk is the fallback: it
must first assemble a team, and sending it empties the desk, so it ranks above a mobile unit
only when that unit would take more than DESK_RANK_FACTOR times as long.

This runs on every alarm an operator opens, so it stays lean: one query for the few columns the
ranking needs (core rows, prepared once), NumPy for distances and times, and a second query
for the details of the handful of units shown.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.config import get_settings
from siaga.db import UTCDateTime, utcnow
from siaga.dispatch.eta import FloatArray, TravelModel, haversine_many
from siaga.orgs.models import Organisation
from siaga.units.models import Unit

# A desk's travel time counts this many times over in the ranking (never in the ETA shown).
DESK_RANK_FACTOR = 3.0
# Seconds of ranking weight per second of a mobile unit's fix age (fixes are at most
# `gps_stale_minutes` old to be offered at all).
FIX_AGE_WEIGHT = 0.5


@dataclass(frozen=True)
class Recommendation:
    unit_id: int | None
    callsign: str
    kind: str
    status: str
    org_code: str | None
    org_name: str | None
    lat: float
    lon: float
    position_at: datetime | None
    distance_m: float
    eta_s: float
    # True for the alarm's own Polsek duty desk, always offered whatever its rank.
    fallback: bool


_CANDIDATES = (
    select(Unit.id, Unit.kind, Unit.lat, Unit.lon, Unit.org_id,
           Organisation.lat.label("org_lat"), Organisation.lon.label("org_lon"),
           Unit.position_at)
    .join(Organisation, Organisation.id == Unit.org_id)
    .where(Unit.org_path.like(bindparam("pattern"), escape="\\"))
    .where(or_(
        and_(Unit.kind != "desk", Unit.status == "available", Unit.lat.is_not(None),
             Unit.lon.is_not(None),
             Unit.position_at >= bindparam("cutoff", type_=UTCDateTime())),
        and_(Unit.kind == "desk", Unit.status != "out_of_service"),
    ))
)
_DETAILS = (
    select(Unit.id, Unit.callsign, Unit.status, Unit.position_at, Organisation.code,
           Organisation.name)
    .join(Organisation, Organisation.id == Unit.org_id)
    .where(Unit.id.in_(bindparam("ids", expanding=True)))
)


def _like_prefix(path: str) -> str:
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def ancestor_paths(org_path: str) -> list[str]:
    """Every materialised-path prefix of a path, top-down ("/a/", "/a/b/", ...)."""
    parts = [p for p in org_path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


_polres_cache: dict[str, tuple[float, str]] = {}
_polres_lock = threading.Lock()
POLRES_CACHE_S = 300.0


def polres_path(session: Session, *, org_path: str) -> str:
    """The path of the Polres above (or at) this organisation path; the path itself if none."""
    prefixes = ancestor_paths(org_path)
    if not prefixes:
        return org_path or "/"
    with _polres_lock:
        cached = _polres_cache.get(org_path)
    if cached is not None and time.monotonic() - cached[0] < POLRES_CACHE_S:
        return cached[1]
    found = session.scalar(
        select(Organisation.path).where(Organisation.path.in_(prefixes))
        .where(Organisation.level == "polres")
    )
    result = found or org_path
    with _polres_lock:
        if len(_polres_cache) > 10_000:
            _polres_cache.clear()
        _polres_cache[org_path] = (time.monotonic(), result)
    return result


def recommend_units(
    session: Session, *, alarm: Alarm, now: datetime | None = None, limit: int = 10,
    model: TravelModel | None = None,
) -> list[Recommendation]:
    """Units of the alarm's Polres ranked by estimated travel time, with the Polsek desk."""
    now = now or utcnow()
    model = model or TravelModel.from_settings()
    cutoff = now - timedelta(minutes=get_settings().gps_stale_minutes)
    tree = polres_path(session, org_path=alarm.org_path)
    rows = session.connection().execute(
        _CANDIDATES, {"pattern": _like_prefix(tree), "cutoff": cutoff}).all()
    ranked: list[Recommendation] = []
    if rows:
        ids, kinds, lats, lons, org_ids, org_lats, org_lons = (
            np.array(col, dtype=dtype) for col, dtype in zip(
                list(zip(*rows, strict=True))[:7],
                (np.int64, object, float, float, np.int64, float, float), strict=True))
        ages = np.array([0.0 if r.position_at is None else (now - r.position_at).total_seconds()
                         for r in rows])
        # A duty desk sets off from its Polsek, wherever its own last fix (if any) was.
        desk = kinds == "desk"
        use_org = desk & ~np.isnan(org_lats)
        lats = np.where(use_org, org_lats, lats)
        lons = np.where(use_org, org_lons, lons)
        placed = ~(np.isnan(lats) | np.isnan(lons))
        ids, kinds, lats, lons, org_ids, desk, ages = (
            ids[placed], kinds[placed], lats[placed], lons[placed], org_ids[placed], desk[placed],
            ages[placed])
        distances = haversine_many(alarm.lat, alarm.lon, lats, lons)
        etas = model.travel_s_array(kinds, distances)
        order = np.argsort(rank_s(etas, desk, ages), kind="stable")
        chosen = [int(i) for i in order[: max(limit, 0)]]
        own_desk = np.flatnonzero(desk & (org_ids == (alarm.org_id or -1)))
        if len(own_desk) and int(own_desk[0]) not in chosen:
            chosen.append(int(own_desk[0]))
        details = {r.id: r for r in session.connection().execute(
            _DETAILS, {"ids": [int(ids[i]) for i in chosen]})}
        for i in chosen:
            d = details.get(int(ids[i]))
            if d is None:
                continue
            is_desk = bool(desk[i])
            ranked.append(Recommendation(
                unit_id=int(ids[i]), callsign=d.callsign, kind=str(kinds[i]), status=d.status,
                org_code=d.code, org_name=d.name, lat=float(lats[i]), lon=float(lons[i]),
                position_at=None if is_desk else d.position_at,
                distance_m=round(float(distances[i]), 1), eta_s=round(float(etas[i]), 1),
                fallback=is_desk and int(org_ids[i]) == alarm.org_id,
            ))
    if not any(rec.fallback for rec in ranked):
        fallback = _virtual_desk(session, alarm=alarm, model=model)
        if fallback is not None:
            ranked.append(fallback)
    return ranked


def rank_s(etas: FloatArray, desk: npt.NDArray[np.bool_], ages_s: FloatArray) -> FloatArray:
    """The ranking key: a desk's ETA times DESK_RANK_FACTOR, a mobile unit's ETA plus age."""
    result: FloatArray = np.where(desk, etas * DESK_RANK_FACTOR,
                                  etas + FIX_AGE_WEIGHT * np.clip(ages_s, 0.0, None))
    return result


def _virtual_desk(session: Session, *, alarm: Alarm, model: TravelModel
                  ) -> Recommendation | None:
    """The Polsek desk when no desk unit is registered: the operator phones it."""
    org = session.get(Organisation, alarm.org_id) if alarm.org_id else None
    if org is None or org.lat is None or org.lon is None:
        return None
    distance = float(haversine_many(alarm.lat, alarm.lon, np.array([org.lat]),
                                    np.array([org.lon]))[0])
    return Recommendation(
        unit_id=None, callsign=f"Piket {org.name}", kind="desk", status="available",
        org_code=org.code, org_name=org.name, lat=org.lat, lon=org.lon, position_at=None,
        distance_m=round(distance, 1), eta_s=round(model.travel_s("desk", distance), 1),
        fallback=True,
    )
