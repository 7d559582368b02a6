"""A year of door-to-door visits (DDS) with real gaps, and the follow-ups they hand on.

Each Bhabinkamtibmas files visit forms through `create_visit` at the visit's own time (sent from
the phone minutes later); some officers are less diligent, some kelurahan go unvisited for weeks
(leave, a reassignment, an operation elsewhere), and a few forms are sent far from the area,
which the service flags as DDS is meant to. Follow-ups go to a function's desk and are mostly
closed by the Polres operator within days.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.demo.activity.clock import at, wib
from siaga.demo.activity.tenants import MALANG, Place, Tenant
from siaga.visits.followups import update_follow_up
from siaga.visits.models import FollowUp
from siaga.visits.schemas import FollowUpUpdate, VisitIn
from siaga.visits.service import create_visit

NAMESPACE = uuid.UUID("5a1a9a00-de30-4c0d-9a00-000000000017")
# Visits per kelurahan/desa per week: Malang has one officer per kelurahan, Tegal one per three.
PER_WEEK = {MALANG: 0.7, "polres-tegal": 0.15}
PLACE_TYPES = (("house", 46), ("shop", 16), ("worship", 12), ("school", 10), ("office", 9),
               ("other", 7))
PLACE_NAMES = {
    "house": ("Rumah Ketua RT {rt}", "Rumah warga RT {rt}", "Rumah Ketua RW {rw}"),
    "shop": ("Warung kopi RW {rw}", "Toko kelontong RT {rt}", "Bengkel motor RW {rw}"),
    "worship": ("Masjid RW {rw}", "Musala RT {rt}", "Gereja di RW {rw}"),
    "school": ("SD Negeri di RW {rw}", "SMP di RW {rw}", "Pondok pesantren RW {rw}"),
    "office": ("Kantor Kelurahan", "Balai RW {rw}", "Pos Kamling RW {rw}"),
    "other": ("Pos ronda RT {rt}", "Lapangan RW {rw}", "Kos-kosan RT {rt}"),
}
ROLES = {"house": "Ketua RT", "shop": "Pemilik usaha", "worship": "Takmir",
         "school": "Kepala sekolah", "office": "Lurah / perangkat", "other": "Warga"}
# (topic, share, what the officer wrote, follow-up function or None)
TOPICS = (
    ("crime", 30, "Warga melaporkan motor hilang di parkiran kos; diminta pasang kunci ganda.",
     "reskrim"),
    ("traffic", 14, "Parkir liar di depan pertokoan mengganggu jalan saat sore.", "lantas"),
    ("dispute", 12, "Perselisihan batas tanah antarwarga, dimediasi bersama Ketua RT.", "binmas"),
    ("drugs", 8, "Ada dugaan peredaran obat keras di warung malam.", "reskrim"),
    ("brawl", 6, "Remaja sering berkumpul larut malam; orang tua diminta mengawasi.", "samapta"),
    ("disaster", 8, "Saluran air tersumbat, rawan banjir saat hujan deras.", None),
    ("radicalism", 3, "Ada pengajian tertutup oleh pendatang baru; dipantau.", "intelkam"),
    ("other", 19, "Sambang rutin; situasi kamtibmas aman dan kondusif.", None),
)


@dataclass(frozen=True)
class PlannedVisit:
    client_id: str
    region_id: int
    at: datetime
    sent_after_s: float
    place_type: str
    place_name: str
    rw: str
    rt: str
    topic: str
    lat: float
    lon: float
    follow_up: str | None
    follow_up_done_after_days: int | None


def _gaps(rng: random.Random, days: list[date], share: float) -> set[date]:
    """One to two quiet stretches (two to seven weeks) for a share of the places."""
    if rng.random() >= share:
        return set()
    out: set[date] = set()
    for _ in range(rng.choice((1, 1, 2))):
        start = rng.randrange(0, len(days) - 14)
        length = rng.randint(14, 50)
        out.update(days[start:start + length])
    return out


def plan_visits(rng: random.Random, *, code: str, places: list[Place], days: list[date]
                ) -> list[PlannedVisit]:
    """Every visit of the year for one Polres."""
    rate = PER_WEEK[code] / 6  # officers visit Monday to Saturday
    out: list[PlannedVisit] = []
    seq = itertools.count()
    for place in places:
        diligence = rng.lognormvariate(0, 0.35)
        quiet = _gaps(rng, days, 0.35 if code == MALANG else 0.5)
        for day in days:
            if day.weekday() == 6 or day in quiet or rng.random() >= rate * diligence:
                continue
            moment = wib(day, rng.randint(8, 16), rng.randint(0, 59))
            kind = rng.choices([p for p, _ in PLACE_TYPES], weights=[w for _, w in PLACE_TYPES])[0]
            rw, rt = str(rng.randint(1, 12)), str(rng.randint(1, 9))
            name = rng.choice(PLACE_NAMES[kind]).format(rw=rw, rt=rt)
            topic = rng.choices(TOPICS, weights=[t[1] for t in TOPICS])[0]
            far = rng.random() < 0.03  # sent from home or another kelurahan: flagged
            spread = 4000.0 if far else 300.0
            dn, de = rng.gauss(0, spread), rng.gauss(0, spread)
            follow = topic[3] if topic[3] and rng.random() < 0.45 else None
            done = rng.choice((2, 3, 5, 7, 10, 14, 21)) if follow and rng.random() < 0.8 else None
            out.append(PlannedVisit(
                client_id=str(uuid.uuid5(NAMESPACE, f"{code}:{next(seq)}")),
                region_id=place.region_id, at=moment, sent_after_s=rng.uniform(60, 1800),
                place_type=kind, place_name=name, rw=rw, rt=rt, topic=topic[0],
                lat=place.lat + dn / 111_320,
                lon=place.lon + de / (111_320 * math.cos(math.radians(place.lat))),
                follow_up=follow, follow_up_done_after_days=done))
    out.sort(key=lambda v: v.at)
    return out


@dataclass
class VisitStats:
    visits: int = 0
    follow_ups: int = 0
    follow_ups_done: int = 0


def play_visits(session: Session, tenant: Tenant, plan: list[PlannedVisit], *, until: datetime
                ) -> VisitStats:
    """File the planned visits through the visit service, then close their follow-ups."""
    stats = VisitStats()
    queue: list[tuple[datetime, int, str, object]] = []
    seq = itertools.count()
    for visit in plan:
        heapq.heappush(queue, (visit.at + timedelta(seconds=visit.sent_after_s), next(seq),
                               "visit", visit))
    topic_text = {t[0]: t[2] for t in TOPICS}
    while queue:
        now, _, step, item = heapq.heappop(queue)
        if now >= until:
            continue
        with at(now):
            if step == "visit":
                assert isinstance(item, PlannedVisit)
                stats.visits += 1
                for follow_up_id in _file_visit(session, tenant, item, topic_text):
                    stats.follow_ups += 1
                    if item.follow_up_done_after_days is not None:
                        heapq.heappush(queue, (
                            now + timedelta(days=item.follow_up_done_after_days, hours=2),
                            next(seq), "done", follow_up_id))
            else:
                assert isinstance(item, int)
                update_follow_up(session, staff=tenant.operator, follow_up_id=item,
                                 data=FollowUpUpdate(status="done",
                                                     note="Sudah ditindaklanjuti piket fungsi."))
                stats.follow_ups_done += 1
    session.flush()
    return stats


def _file_visit(session: Session, tenant: Tenant, item: PlannedVisit,
                topic_text: dict[str, str]) -> list[int]:
    """Send one visit form as the officer's phone would; the ids of its follow-ups."""
    officer = tenant.officers[item.region_id]
    data = VisitIn.model_validate({
        "client_id": item.client_id, "place_type": item.place_type,
        "place_name": item.place_name, "region_id": item.region_id, "rw": item.rw,
        "rt": item.rt, "person_role": ROLES[item.place_type], "topics": [item.topic],
        "findings": topic_text[item.topic], "visited_at": item.at,
        "lat": round(item.lat, 6), "lon": round(item.lon, 6), "accuracy_m": 15.0,
        "follow_ups": [{"function": item.follow_up, "description": topic_text[item.topic]}]
        if item.follow_up else []})
    visit, _created = create_visit(session, staff=tenant.staff_for(officer), data=data,
                                   photos=[])
    return _follow_up_ids(session, visit.id) if item.follow_up else []


def _follow_up_ids(session: Session, visit_id: int) -> list[int]:
    return list(session.scalars(select(FollowUp.id).where(FollowUp.visit_id == visit_id)))
