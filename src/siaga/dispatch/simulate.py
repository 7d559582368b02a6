"""`siaga simulate`: alarms and units on a simulated clock, through the real dispatch code.

Everything runs in a scratch SQLite database (organisations and regions copied from the
configured database, or the demo tenants when it has none), so the real one is untouched.
Alarms arrive as a Poisson process, 70% near the crime-prone places of the Malang study;
after an operator delay the policy picks a unit from `recommend_units` (nearest: the best
ETA; polsek: the kelurahan's Polsek duty desk), `dispatch_unit` sends it, and it drives there
at a randomised real speed and detour (the estimator does not know the truth), stays on scene,
is cleared, and drives back to its post while it is available again.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm, AlarmEvent
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import Base, Database, get_database
from siaga.demo.places import MALANG_CRIME_PRONE
from siaga.devices.models import Device
from siaga.dispatch.bench import scratch_database
from siaga.dispatch.closing import close_alarm
from siaga.dispatch.eta import TravelModel
from siaga.dispatch.metrics import response_metrics
from siaga.dispatch.models import Assignment
from siaga.dispatch.recommend import recommend_units
from siaga.dispatch.service import dispatch_unit, set_assignment_status
from siaga.errors import NotFound
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation, Region
from siaga.orgs.service import locate, regions_changed
from siaga.stats import percentile
from siaga.units.models import Unit

START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
CRIME_PRONE_SHARE = 0.7
MEAN_ON_SCENE_S = 25 * 60
REGION_ORDER = {"provinsi": 0, "kabupaten": 1, "kota": 1, "kecamatan": 2, "kelurahan": 3,
                "desa": 3}


@dataclass
class Trip:
    """A unit driving back to its post after clearing a scene."""

    from_lat: float
    from_lon: float
    start: datetime
    duration_s: float


def _copy_geography(target: Session) -> None:
    """Organisations and regions of the configured database, same ids, parents first."""
    org_table, region_table = Base.metadata.tables["organisations"], Base.metadata.tables["regions"]
    with get_database().session() as source:
        orgs = source.execute(select(org_table)).mappings().all()
        regions = source.execute(select(region_table)).mappings().all()
    orgs = sorted(orgs, key=lambda o: str(o["path"]).count("/"))
    regions = sorted(regions, key=lambda r: REGION_ORDER.get(str(r["level"]), 9))
    if orgs:
        target.execute(insert(org_table), [dict(o) for o in orgs])
    if regions:
        target.execute(insert(region_table), [dict(r) for r in regions])


def _configured_database_exists() -> bool:
    settings = get_settings()
    if not settings.is_sqlite:
        return True
    url = settings.resolved_database_url
    return url.startswith("sqlite:///") and Path(url.removeprefix("sqlite:///")).is_file()


def _prepare(database: Database, org_code: str) -> None:
    with database.session() as session:
        try:
            if not _configured_database_exists():  # opening it would create an empty file
                raise FileNotFoundError(get_settings().resolved_database_url)
            _copy_geography(session)
            found = session.scalar(select(Organisation.id).where(Organisation.code == org_code))
        except Exception:  # the configured database is not migrated or not reachable
            session.rollback()
            found = None
        if found is None:
            session.rollback()
            from siaga.demo.load import load_demo

            load_demo(session)


def _point(org: Organisation) -> tuple[float, float]:
    return (org.lat or 0.0, org.lon or 0.0)


class Simulation:
    def __init__(self, session: Session, *, org_code: str, policy: str, seed: int) -> None:
        self.session = session
        self.policy = policy
        self.rng = random.Random(seed)
        self.model = TravelModel.from_settings()
        polres = session.scalar(select(Organisation).where(Organisation.code == org_code))
        if polres is None:
            raise NotFound(f"Satuan tidak ditemukan: {org_code}", field="org")
        self.polres = polres
        self.polseks = list(session.scalars(
            select(Organisation).where(Organisation.path.startswith(polres.path))
            .where(Organisation.level == "polsek").order_by(Organisation.code)))
        self.places = self._places()
        # Only the simulated fleet takes part (demo units, if loaded, stand down).
        session.execute(update(Unit).values(status="out_of_service")
                        .execution_options(synchronize_session=False))
        self.units = self._fleet()
        self.posts = {u.id: (u.lat, u.lon) for u in self.units}
        self.trips: dict[int, Trip] = {}
        user = User(username=f"sim-{uuid.uuid4().hex[:8]}", full_name="Operator simulasi",
                    role="operator", org_id=polres.id, password_hash="!")
        session.add(user)
        session.flush()
        self.staff = Staff(user, polres.path)
        self.devices: list[int] = []
        for i in range(50):
            device = Device(public_id=str(uuid.uuid4()), phone=f"+62800{i:07d}",
                            name=f"Warga {i}", token_hash=uuid.uuid4().hex)
            session.add(device)
            session.flush()
            self.devices.append(device.id)

    def _places(self) -> dict[int, list[tuple[float, float]]]:
        """Crime-prone places per Polsek id (the study's list, else its kelurahan centres)."""
        out: dict[int, list[tuple[float, float]]] = {}
        for polsek in self.polseks:
            name = polsek.name.removeprefix("Polsek ").strip()
            listed = [(lat, lon) for _, lat, lon in MALANG_CRIME_PRONE.get(name, [])]
            centres = [(r.lat, r.lon) for r in self.session.scalars(
                select(Region).where(Region.org_id == polsek.id)
                .where(Region.level.in_(("kelurahan", "desa")))) if r.lat is not None]
            out[polsek.id] = listed or [(c[0], c[1]) for c in centres if c[1] is not None]
        return out

    def _jitter(self, lat: float, lon: float, sigma_m: float) -> tuple[float, float]:
        dn, de = self.rng.gauss(0, sigma_m), self.rng.gauss(0, sigma_m)
        return lat + dn / 111_320, lon + de / (111_320 * math.cos(math.radians(lat)))

    def _fleet(self) -> list[Unit]:
        """Per Polsek a duty desk, two cars and two motorbikes at patrol posts; two Polres cars."""
        units: list[Unit] = []
        everywhere = [p for ps in self.places.values() for p in ps]

        def add(org: Organisation, kind: str, n: int, posts: list[tuple[float, float]]) -> None:
            for i in range(n):
                lat, lon = ((org.lat, org.lon) if kind == "desk" else
                            self._jitter(*self.rng.choice(posts), 200))
                assert lat is not None and lon is not None
                unit = Unit(callsign=f"SIM-{org.code}-{kind}-{i}", kind=kind,
                            status="available", org_id=org.id, org_path=org.path, crew=[],
                            lat=lat, lon=lon, position_at=START, status_changed_at=START,
                            created_at=START)
                self.session.add(unit)
                units.append(unit)

        for polsek in self.polseks:
            posts = self.places[polsek.id] or [_point(polsek)]
            add(polsek, "desk", 1, posts)
            add(polsek, "car", 2, posts)
            add(polsek, "motorbike", 2, posts)
        add(self.polres, "car", 2, everywhere or [_point(self.polres)])
        self.session.flush()
        return units

    def alarm_position(self) -> tuple[float, float]:
        polsek = self.rng.choice(self.polseks)
        places = self.places[polsek.id]
        if places and self.rng.random() < CRIME_PRONE_SHARE:
            return self._jitter(*self.rng.choice(places), 250)
        regions = [p for ps in self.places.values() for p in ps]
        return self._jitter(*self.rng.choice(regions), 800)

    def refresh_positions(self, now: datetime) -> None:
        """Move units driving back to their posts; every placed unit reports a fix now."""
        for unit in self.units:
            trip = self.trips.get(unit.id)
            if trip is None or unit.kind == "desk":
                continue
            post = self.posts[unit.id]
            share = min(1.0, (now - trip.start).total_seconds() / max(trip.duration_s, 1.0))
            unit.lat = trip.from_lat + (post[0] - trip.from_lat) * share  # type: ignore[operator]
            unit.lon = trip.from_lon + (post[1] - trip.from_lon) * share  # type: ignore[operator]
            if share >= 1.0:
                del self.trips[unit.id]
        self.session.flush()
        self.session.execute(update(Unit).where(Unit.kind != "desk").values(position_at=now)
                             .execution_options(synchronize_session="fetch"))

    def real_travel_s(self, unit: Unit, distance_m: float) -> float:
        """What the drive really takes: detour and speed vary around the estimator's values."""
        speed = self.model.speed_ms(unit.kind) * self.rng.uniform(0.7, 1.15)
        detour = self.rng.uniform(1.2, 1.7)
        turnout = self.model.turnout_s.get(unit.kind, 0.0) * self.rng.uniform(0.7, 1.5)
        return turnout + distance_m * detour / speed

    def new_alarm(self, now: datetime) -> Alarm:
        lat, lon = self.alarm_position()
        place = locate(self.session, lat=lat, lon=lon)
        alarm = Alarm(client_id=str(uuid.uuid4()), device_id=self.rng.choice(self.devices),
                      kind="panic", status="open", lat=lat, lon=lon, accuracy_m=15.0,
                      org_id=place.org_id, org_path=place.org_path, region_id=place.region_id,
                      distance_to_region_m=place.distance_m, triggered_at=now, created_at=now,
                      updated_at=now, version=1)
        self.session.add(alarm)
        self.session.flush()
        self.session.add(AlarmEvent(alarm_id=alarm.id, type="created", at=now, by_citizen=True))
        return alarm

    def choose(self, alarm: Alarm, now: datetime) -> int | None:
        ranked = recommend_units(self.session, alarm=alarm, now=now, limit=5, model=self.model)
        if self.policy == "polsek":
            ranked = [r for r in ranked if r.fallback]
        return next((r.unit_id for r in ranked if r.unit_id is not None), None)


def run_simulation(*, org_code: str, hours: float, policy: str, seed: int,
                   rate_per_hour: float) -> dict[str, Any]:
    """Run one simulation and return its figures as a JSON-ready dict."""
    started = time.perf_counter()
    regions_changed()
    with tempfile.TemporaryDirectory(prefix="siaga-sim-") as tmp:
        database = scratch_database(Path(tmp))
        try:
            _prepare(database, org_code)
            regions_changed()
            with database.session() as session:
                result = _run(session, org_code=org_code, hours=hours, policy=policy, seed=seed,
                              rate_per_hour=rate_per_hour)
        finally:
            database.dispose()
            regions_changed()
    result["wall_s"] = round(time.perf_counter() - started, 2)
    return result


def _run(session: Session, *, org_code: str, hours: float, policy: str, seed: int,
         rate_per_hour: float) -> dict[str, Any]:
    sim = Simulation(session, org_code=org_code, policy=policy, seed=seed)
    rng = sim.rng
    end = START + timedelta(hours=hours)
    seq = itertools.count()
    queue: list[tuple[datetime, int, str, int]] = []
    t = START
    while True:
        t += timedelta(seconds=rng.expovariate(rate_per_hour / 3600))
        if t >= end:
            break
        heapq.heappush(queue, (t, next(seq), "alarm", 0))
    by_id = {u.id: u for u in sim.units}
    desk_dispatches = 0
    undispatched = 0
    while queue:
        now, _, kind, ref = heapq.heappop(queue)
        if kind == "alarm":
            alarm = sim.new_alarm(now)
            # The operator reads the alarm, calls back and decides: 20-50 s.
            heapq.heappush(queue, (now + timedelta(seconds=rng.uniform(20, 50)), next(seq),
                                   "dispatch", alarm.id))
        elif kind == "dispatch":
            waiting = session.get(Alarm, ref)
            assert waiting is not None
            alarm = waiting
            sim.refresh_positions(now)
            unit_id = sim.choose(alarm, now)
            if unit_id is None:
                undispatched += 1
                continue
            assignment = dispatch_unit(session, staff=sim.staff, alarm_id=alarm.id,
                                       unit_id=unit_id, now=now)
            unit = by_id[unit_id]
            sim.trips.pop(unit.id, None)
            desk_dispatches += unit.kind == "desk"
            start = (unit.lat, unit.lon)
            if unit.kind == "desk":
                org = session.get(Organisation, unit.org_id)
                start = (org.lat, org.lon) if org else start
            distance = haversine_m(start[0], start[1], alarm.lat, alarm.lon)  # type: ignore[arg-type]
            set_assignment_status(session, user=sim.staff.user, scope=sim.staff.scope,
                                  assignment_id=assignment.id, status="accepted", now=now)
            arrive = now + timedelta(seconds=sim.real_travel_s(unit, distance))
            heapq.heappush(queue, (arrive, next(seq), "arrive", assignment.id))
        elif kind == "arrive":
            assignment_id = ref
            set_assignment_status(session, user=sim.staff.user, scope=sim.staff.scope,
                                  assignment_id=assignment_id, status="on_scene", now=now)
            stay = max(300.0, rng.expovariate(1 / MEAN_ON_SCENE_S))
            heapq.heappush(queue, (now + timedelta(seconds=stay), next(seq), "clear",
                                   assignment_id))
        else:
            _clear(sim, assignment_id=ref, now=now)
    metrics = response_metrics(session, scope=sim.polres.path, since=START,
                               until=end + timedelta(days=1))
    arrivals = sorted(r.arrival_s for r in metrics.rows if r.arrival_s is not None)
    n = len(metrics.rows)
    within = sum(1 for r in metrics.rows if r.arrival_s is not None and r.arrival_s <= 600)
    return {
        "org": org_code, "policy": policy, "hours": hours, "seed": seed,
        "rate_per_hour": rate_per_hour, "units": len(sim.units), "alarms": n,
        "reached_within_10_min_share": round(within / n, 4) if n else None,
        "mean_response_s": round(sum(arrivals) / len(arrivals), 1) if arrivals else None,
        "p90_response_s": round(percentile(arrivals, 90), 1) if arrivals else None,
        "median_response_s": round(percentile(arrivals, 50), 1) if arrivals else None,
        "mean_dispatch_s": metrics.dispatch.mean,
        "desk_dispatches": desk_dispatches, "undispatched": undispatched,
    }


def _clear(sim: Simulation, *, assignment_id: int, now: datetime) -> None:
    session = sim.session
    assignment = session.get(Assignment, assignment_id)
    assert assignment is not None
    alarm = session.get(Alarm, assignment.alarm_id)
    unit = session.get(Unit, assignment.unit_id)
    assert alarm is not None and unit is not None
    set_assignment_status(session, user=sim.staff.user, scope=sim.staff.scope,
                          assignment_id=assignment_id, status="cleared", now=now)
    close_alarm(session, staff=sim.staff, alarm_id=alarm.id, outcome="genuine",
                category="crime", crime_type="curanmor", note=None, now=now)
    if unit.kind != "desk":
        unit.lat, unit.lon = alarm.lat, alarm.lon
        post = sim.posts[unit.id]
        back = haversine_m(alarm.lat, alarm.lon, post[0], post[1])  # type: ignore[arg-type]
        sim.trips[unit.id] = Trip(alarm.lat, alarm.lon, now,
                                  back * 1.4 / sim.model.speed_ms(unit.kind))
