"""Patrols and their GPS tracks: dismissal-time patrols at Tegal's schools, checked against the
cars' tracks, and night patrols of Malang's Makota cars.

No road network ships with Siaga, so a track is a plausible random walk along a street grid:
straight legs of 80-400 m, turning at right angles, heading towards the next target, at a patrol
car's speed; a fix every 60 s as Traccar Client or OsmAnd would send, stored through the same
`store_fixes` the GPS intake uses.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.demo.activity.clock import at, school_day, wib
from siaga.demo.activity.tenants import MALANG, Tenant, UnitRef
from siaga.schools.models import School
from siaga.schools.patrols import check_due_patrols, plan_dismissal_patrols
from siaga.tracking.protocols import Fix
from siaga.tracking.service import store_fixes

FIX_EVERY_S = 60
SPEED_MS = 7.0  # about 25 km/h: a patrol car looking around, not rushing
MISSED_SHARE = (0.3, 0.1)  # school patrols skipped early in the year, and at the end


def _step_towards(rng: random.Random, lat: float, lon: float, goal: tuple[float, float],
                  metres: float) -> tuple[float, float]:
    """One grid-street leg of `metres` that mostly closes the larger gap to the goal."""
    dlat_m = (goal[0] - lat) * 111_320
    dlon_m = (goal[1] - lon) * 111_320 * math.cos(math.radians(lat))
    along_lat = abs(dlat_m) > abs(dlon_m)
    if rng.random() < 0.3:
        along_lat = not along_lat  # a side street
    if along_lat:
        sign = math.copysign(1, dlat_m) if rng.random() < 0.85 else -math.copysign(1, dlat_m)
        return lat + sign * min(metres, abs(dlat_m) + 50) / 111_320, lon
    sign = math.copysign(1, dlon_m) if rng.random() < 0.85 else -math.copysign(1, dlon_m)
    return lat, lon + sign * min(metres, abs(dlon_m) + 50) / (
        111_320 * math.cos(math.radians(lat)))


def walk(rng: random.Random, *, start: tuple[float, float], stops: list[tuple[float, float]],
         begin: datetime, end: datetime, loiter_m: float = 150.0) -> list[tuple[datetime, float,
                                                                           float, float]]:
    """(time, lat, lon, speed km/h) every FIX_EVERY_S from `begin` to `end`, driving from stop
    to stop and circling near each one until it is time for the next."""
    fixes = []
    lat, lon = start
    legs = [*stops, start]
    per_leg = (end - begin) / max(1, len(legs))
    t = begin
    for n, goal in enumerate(legs):
        leave = begin + per_leg * (n + 1)
        while t < leave:
            gap = math.hypot((goal[0] - lat) * 111_320,
                             (goal[1] - lon) * 111_320 * math.cos(math.radians(lat)))
            moving = gap > loiter_m or rng.random() < 0.5
            if moving:
                target = goal if gap > loiter_m else (
                    goal[0] + rng.gauss(0, loiter_m) / 111_320,
                    goal[1] + rng.gauss(0, loiter_m) / 111_320)
                lat, lon = _step_towards(rng, lat, lon, target,
                                         SPEED_MS * FIX_EVERY_S * rng.uniform(0.5, 1.1))
            fixes.append((t, lat, lon, SPEED_MS * 3.6 * rng.uniform(0.6, 1.2) if moving else 0.0))
            t += timedelta(seconds=FIX_EVERY_S)
    return fixes


def _store(session: Session, unit: UnitRef, track: list[tuple[datetime, float, float, float]]
           ) -> int:
    assert unit.tracker_id is not None
    # Traccar Client sends each fix as it is taken; storing a shift's track in one batch (as
    # the intake does with a phone's buffered fixes) keeps loading a year quick.
    stored = 0
    with at(track[-1][0] + timedelta(seconds=2)):
        results = store_fixes(session, fixes=[
            Fix(tracker_id=unit.tracker_id, lat=round(lat, 6), lon=round(lon, 6), at=t,
                source="osmand", speed_kmh=round(speed, 1), accuracy_m=8.0, battery=80.0)
            for t, lat, lon, speed in track])
    stored += sum(1 for r in results if r.status == "stored")
    return stored


@dataclass
class PatrolStats:
    school_patrols: int = 0
    covered: int = 0
    fixes: int = 0
    night_shifts: int = 0


def play_school_patrols(session: Session, tenant: Tenant, *, rng: random.Random,
                        days: list[date], until: datetime) -> PatrolStats:
    """Each school day: plan the dismissal patrols, drive most of them, check them on GPS.

    Runs after the year's brawls and warnings are in, so each morning's school risk reflects
    what happened before it (the clock is that morning's)."""
    stats = PatrolStats()
    schools = list(session.scalars(select(School).where(
        School.org_id.in_(list(tenant.polseks)), School.lat.is_not(None)).order_by(School.id)))
    cars = {u.org_id: u for u in tenant.units if u.kind == "car" and u.tracker_id}
    if not schools or not cars:
        return stats
    for n, day in enumerate(days):
        # Saturday's half day is left to the Polsek's own rounds.
        if not school_day(day) or day.weekday() == 5:
            continue
        share = n / max(1, len(days) - 1)
        with at(wib(day, 6)):
            # Only high-risk schools (recent brawls, warnings, students monitored) get one.
            planned = plan_dismissal_patrols(session, day=day, actor=tenant.operator.user,
                                             staff=tenant.operator)
        stats.school_patrols += len(planned)
        # Schools that share a place (the study's map puts several at one point) share a car.
        by_spot: dict[tuple[int, float, float], list[tuple[datetime, datetime]]] = {}
        for patrol in planned:
            school = next(s for s in schools if s.id == patrol.school_id)
            assert school.lat is not None and school.lon is not None
            key = (school.org_id or 0, school.lat, school.lon)
            by_spot.setdefault(key, []).append((patrol.window_start, patrol.window_end))
        for (org_id, lat, lon), windows in sorted(by_spot.items()):
            missed = MISSED_SHARE[0] + (MISSED_SHARE[1] - MISSED_SHARE[0]) * share
            car = cars.get(org_id) or next(iter(cars.values()))
            if rng.random() < missed:
                continue
            # Drive over before the bell, stay through the dismissal, then back to the post.
            begin = min(w[0] for w in windows) - timedelta(minutes=5)
            end = begin + timedelta(minutes=rng.randint(40, 55))
            track = walk(rng, start=(car.lat, car.lon), stops=[(lat, lon)], begin=begin,
                         end=end)
            stats.fixes += _store(session, car, track)
        with at(wib(day, 20)):
            checked = check_due_patrols(session, staff=tenant.operator)
        stats.covered += sum(1 for p in checked if p.status == "covered")
    session.flush()
    return stats


def play_night_patrols(session: Session, tenant: Tenant, *, rng: random.Random,
                       days: list[date], until: datetime) -> PatrolStats:
    """Night patrols of the Polres cars past the kelurahan (Friday and Saturday nights of the
    last three months, every night of the last two weeks) so the track history has trails."""
    stats = PatrolStats()
    cars = [u for u in tenant.units if u.kind == "car" and u.tracker_id and
            (tenant.code != MALANG or u.org_id == tenant.polres.id)]
    if not cars:
        return stats
    recent, half = set(days[-14:]), set(days[-91:])
    for n, day in enumerate(days):
        if day not in recent and not (day in half and day.weekday() in (4, 5)):
            continue
        car = cars[n % len(cars)]
        begin = wib(day, 22)
        end = begin + timedelta(hours=3)
        if end >= until:
            continue
        nearby = [p for p in tenant.places if p.polsek_id == car.org_id] or tenant.places
        stops = [(p.lat, p.lon) for p in rng.sample(nearby, min(4, len(nearby)))]
        stats.fixes += _store(session, car, walk(rng, start=(car.lat, car.lon), stops=stops,
                                                 begin=begin, end=end))
        stats.night_shifts += 1
    session.flush()
    return stats
