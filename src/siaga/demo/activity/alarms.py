"""A year of panic alarms: planned from the seed, then played through the real alarm services.

Each alarm is created through `create_alarms` (as the intake writer would), acknowledged,
dispatched and closed by the Polres operator, with escalation ticks where an operator or unit
was late; pranks and accidental presses are closed as such, a prankster's third prank flags the
phone and the operator blocks it (the study: a number blacklisted after 3 false reports).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.alarms.service import NewAlarm, acknowledge_alarm, create_alarms
from siaga.demo.activity.clock import at, day_factor, moment_in_day, poisson, progress
from siaga.demo.activity.tenants import MALANG, Place, Tenant, UnitRef
from siaga.devices.models import Device
from siaga.devices.service import block_device
from siaga.dispatch.closing import close_alarm
from siaga.dispatch.escalation import escalate_due_alarms
from siaga.dispatch.service import dispatch_unit, set_assignment_status
from siaga.errors import DomainError
from siaga.geo import haversine_m
from siaga.units.models import Unit

NAMESPACE = uuid.UUID("5a1a9a00-de30-4c0d-9a00-000000000016")
# (code, share) of genuine alarms' categories; crime types follow Malang's 2017 picture, where
# vehicle theft dominates.
CRIMES = (("curanmor", 30), ("pencurian_biasa", 14), ("curat", 8), ("curas", 6),
          ("penganiayaan_ringan", 9), ("pengeroyokan", 6), ("kdrt", 6), ("penipuan", 4),
          ("narkoba", 3), ("miras", 3), ("laka_lantas", 8), ("tawuran", 3))
CATEGORIES = (("crime", 68), ("medical", 14), ("fire", 4), ("other", 14))
# Lights and siren through city traffic: about 40 km/h on a motorbike, 33 by car.
SPEED_MS = {"motorbike": 11.0, "car": 9.0, "desk": 8.0}


@dataclass(frozen=True)
class Profile:
    """How one Polres' alarms look over the year."""

    per_day: float
    prank_share: float
    accidental_share: float
    ack_median_s: tuple[float, float]  # first month, last month
    slow_share: tuple[float, float]  # officers who take their time (the study's complaint)
    devices: int
    pranksters: int


PROFILES = {
    MALANG: Profile(per_day=1.8, prank_share=0.14, accidental_share=0.07,
                    ack_median_s=(16.0, 7.0), slow_share=(0.25, 0.08), devices=620,
                    pranksters=45),
    "polres-tegal": Profile(per_day=0.6, prank_share=0.10, accidental_share=0.06,
                            ack_median_s=(22.0, 9.0), slow_share=(0.35, 0.15), devices=200,
                            pranksters=12),
}


@dataclass(frozen=True)
class PlannedAlarm:
    client_id: str
    created: datetime
    lat: float
    lon: float
    device: int  # index into the tenant's devices
    fate: str  # genuine | prank | false_alarm
    ack_s: float
    dispatch_s: float | None  # after acknowledgement
    unit_id: int | None
    travel_s: float | None
    on_scene_s: float
    category: str | None
    crime_type: str | None


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def _near(rng: random.Random, place: Place, sigma_m: float) -> tuple[float, float]:
    dn, de = rng.gauss(0, sigma_m), rng.gauss(0, sigma_m)
    return (place.lat + dn / 111_320,
            place.lon + de / (111_320 * math.cos(math.radians(place.lat))))


def plan_alarms(rng: random.Random, *, code: str, places: list[Place], units: list[UnitRef],
                days: list[date]) -> list[PlannedAlarm]:
    """Every alarm of the year for one Polres, with what will happen to it."""
    profile = PROFILES[code]
    # Busy kelurahan: campuses, markets and terminals draw more calls than quiet ones.
    weights = [rng.lognormvariate(0, 0.6) for _ in places]
    mobile = [u for u in units if u.kind in ("car", "motorbike")]
    desks = {u.org_id: u for u in units if u.kind == "desk"}
    busy_until: dict[int, datetime] = {}
    honest = list(range(profile.pranksters, profile.devices))
    pranks_left = {d: 3 for d in range(profile.pranksters)}
    out: list[PlannedAlarm] = []
    seq = itertools.count()
    for day in days:
        share = progress(day, days[0], days[-1])
        for created in sorted(moment_in_day(rng, day)
                              for _ in range(poisson(rng, profile.per_day * day_factor(day)))):
            place = rng.choices(places, weights=weights)[0]
            lat, lon = _near(rng, place, 450)
            roll = rng.random()
            fate = ("prank" if roll < profile.prank_share else
                    "false_alarm" if roll < profile.prank_share + profile.accidental_share else
                    "genuine")
            device = rng.choice(honest)
            if fate == "prank":
                left = [d for d, n in pranks_left.items() if n > 0]
                if left:
                    device = rng.choice(left)
                    pranks_left[device] -= 1
            lo, hi = profile.ack_median_s
            ack = _lognormal(rng, lo + (hi - lo) * share, 0.55)
            if rng.random() < 0.04:
                ack += rng.uniform(30, 150)  # the desk was busy with another call
            category = crime = None
            dispatch_s = travel = None
            unit_id = None
            stay = rng.uniform(600, 2400)
            if fate == "genuine" or (fate == "prank" and rng.random() < 0.35):
                dispatch_s = _lognormal(rng, 35, 0.4)
                sent = created + timedelta(seconds=ack + dispatch_s)
                unit, distance = _pick_unit(mobile, desks, place, lat, lon, sent, busy_until)
                unit_id = unit.id
                lo_s, hi_s = profile.slow_share
                travel = (rng.uniform(30, 90) + distance * rng.uniform(1.15, 1.45)
                          / (SPEED_MS[unit.kind] * rng.uniform(0.8, 1.2)))
                if rng.random() < lo_s + (hi_s - lo_s) * share:
                    travel += rng.uniform(300, 1200)
                if fate == "prank":
                    stay = rng.uniform(300, 900)
                busy_until[unit.id] = sent + timedelta(seconds=travel + stay + 60)
            if fate == "genuine":
                category = rng.choices([c for c, _ in CATEGORIES],
                                       weights=[w for _, w in CATEGORIES])[0]
                if category == "crime":
                    crime = rng.choices([c for c, _ in CRIMES], weights=[w for _, w in CRIMES])[0]
            out.append(PlannedAlarm(
                client_id=str(uuid.uuid5(NAMESPACE, f"{code}:{next(seq)}")), created=created,
                lat=lat, lon=lon, device=device, fate=fate, ack_s=ack, dispatch_s=dispatch_s,
                unit_id=unit_id, travel_s=travel, on_scene_s=stay, category=category,
                crime_type=crime))
    return out


def _pick_unit(mobile: list[UnitRef], desks: dict[int, UnitRef], place: Place, lat: float,
               lon: float, sent: datetime, busy_until: dict[int, datetime]
               ) -> tuple[UnitRef, float]:
    """The nearest free car or motorbike, else the kelurahan's Polsek duty desk."""
    free = [(haversine_m(u.lat, u.lon, lat, lon), u) for u in mobile
            if busy_until.get(u.id, sent) <= sent]
    if free:
        distance, unit = min(free, key=lambda pair: pair[0])
        return unit, distance
    desk = desks.get(place.polsek_id) or next(iter(desks.values()))
    return desk, haversine_m(desk.lat, desk.lon, lat, lon)


@dataclass
class AlarmStats:
    created: int = 0
    pranks: int = 0
    dispatched: int = 0
    blocked_devices: int = 0
    refused: int = 0


def play_alarms(session: Session, tenant: Tenant, plan: list[PlannedAlarm]) -> AlarmStats:
    """Run the planned alarms through intake, operator, dispatch and closing, in time order."""
    stats = AlarmStats()
    staff = tenant.operator
    queue: list[tuple[datetime, int, str, int]] = []
    seq = itertools.count()
    for i, alarm in enumerate(plan):
        heapq.heappush(queue, (alarm.created, next(seq), "create", i))
    ids: dict[int, int] = {}
    assignments: dict[int, int] = {}
    pranks: dict[int, int] = {}
    held: dict[int, object] = {}
    keep: list[object] = [session.get(Unit, u.id) for u in tenant.units]
    keep += [session.get(Device, d) for d, _ in tenant.devices]
    while queue:
        now, _, step, i = heapq.heappop(queue)
        alarm = plan[i]
        with at(now):
            if step == "create":
                alarm_id = _create(session, tenant, alarm)
                if alarm_id is None:
                    stats.refused += 1
                    continue
                ids[i] = alarm_id
                # Held while the alarm is open so the services find it in the identity map
                # instead of reading it again at every step.
                held[i] = session.get(Alarm, alarm_id)
                stats.created += 1
                for after in _escalation_times(alarm):
                    heapq.heappush(queue, (now + timedelta(seconds=after), next(seq), "tick", i))
                heapq.heappush(queue, (now + timedelta(seconds=alarm.ack_s), next(seq), "ack",
                                       i))
            elif step == "tick":
                escalate_due_alarms(session, now=now)
            elif step == "ack":
                acknowledge_alarm(session, staff=staff, alarm_id=ids[i])
                if alarm.unit_id is None:
                    # The operator calls back: nobody in danger, or a prank.
                    call = timedelta(seconds=alarm.on_scene_s / 6)
                    heapq.heappush(queue, (now + call, next(seq), "close", i))
                else:
                    assert alarm.dispatch_s is not None
                    heapq.heappush(queue, (now + timedelta(seconds=alarm.dispatch_s), next(seq),
                                           "dispatch", i))
            elif step == "dispatch":
                assert alarm.unit_id is not None and alarm.travel_s is not None
                assignment = dispatch_unit(session, staff=staff, alarm_id=ids[i],
                                           unit_id=alarm.unit_id, now=now)
                assignments[i] = assignment.id
                stats.dispatched += 1
                # Accepting and driving off are one tap apart; the arrival is what leaders read.
                heapq.heappush(queue, (now + timedelta(seconds=alarm.travel_s), next(seq),
                                       "on_scene", i))
            elif step == "on_scene":
                set_assignment_status(session, user=staff.user, scope=staff.scope,
                                      assignment_id=assignments[i], status=step, now=now)
                heapq.heappush(queue, (now + timedelta(seconds=alarm.on_scene_s), next(seq),
                                       "close", i))
            elif step == "close":
                _close(session, tenant, alarm, ids[i], now=now)
                held.pop(i, None)
                if alarm.fate == "prank":
                    stats.pranks += 1
                    pranks[alarm.device] = pranks.get(alarm.device, 0) + 1
                    if pranks[alarm.device] == 3:
                        _block(session, tenant, alarm)
                        stats.blocked_devices += 1
    session.flush()
    del keep
    return stats


def _escalation_times(alarm: PlannedAlarm) -> list[float]:
    """When the escalation loop would have acted on this alarm (it ticks every second)."""
    times = []
    if alarm.ack_s > 30:
        times.append(30.5)
    if alarm.dispatch_s is not None and alarm.ack_s + alarm.dispatch_s > 60:
        times.append(60.5)
    if alarm.travel_s is not None and alarm.dispatch_s is not None and \
            alarm.ack_s + alarm.dispatch_s + alarm.travel_s > 600:
        times.append(600.5)
    return times


def _create(session: Session, tenant: Tenant, alarm: PlannedAlarm) -> int | None:
    _device_id, digest = tenant.devices[alarm.device]
    [outcome] = create_alarms(session, alarms=[NewAlarm(
        token_digest=digest, client_id=alarm.client_id, lat=round(alarm.lat, 6),
        lon=round(alarm.lon, 6), accuracy_m=12.0, triggered_at=alarm.created, kind="panic",
        client_ip="127.0.0.1")])
    if isinstance(outcome, DomainError):
        return None
    return outcome.summary.id


def _close(session: Session, tenant: Tenant, alarm: PlannedAlarm, alarm_id: int, *,
           now: datetime) -> None:
    notes = {"prank": "Ditelepon balik: pelapor mengaku iseng. Diperingatkan (UU ITE Pasal 28).",
             "false_alarm": "Ditelepon balik: tombol tertekan tanpa sengaja, warga aman."}
    close_alarm(session, staff=tenant.operator, alarm_id=alarm_id, outcome=alarm.fate,
                category=alarm.category, crime_type=alarm.crime_type,
                note=notes.get(alarm.fate), now=now)


def _block(session: Session, tenant: Tenant, alarm: PlannedAlarm) -> None:
    device = session.get(Device, tenant.devices[alarm.device][0])
    assert device is not None
    block_device(session, actor=tenant.operator.user, scope=tenant.operator.scope,
                 device_id=device.public_id,
                 reason="Tiga kali alarm iseng; pemilik sudah diperingatkan")


def first_client_id(code: str) -> str:
    """The client id of a Polres' first demo alarm (marks the demo year as loaded)."""
    return str(uuid.uuid5(NAMESPACE, f"{code}:0"))
