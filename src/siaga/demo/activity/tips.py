"""Citizens' non-emergency tips through the year, and how the Polsek desk handled them."""

from __future__ import annotations

import heapq
import itertools
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from siaga.demo.activity.clock import at, day_factor, moment_in_day, poisson
from siaga.demo.activity.tenants import MALANG, Place, Tenant
from siaga.devices.models import Device
from siaga.tips.schemas import TipIn, TipUpdate
from siaga.tips.service import create_tip, update_tip
from siaga.visits.followups import open_follow_up

NAMESPACE = uuid.UUID("5a1a9a00-de30-4c0d-9a00-000000000018")
PER_DAY = {MALANG: 1.3, "polres-tegal": 0.5}
# (category, share, text, follow-up function)
TIPS = (
    ("suspicious", 22, "Ada orang tidak dikenal mondar-mandir memotret rumah-rumah di gang kami "
                       "sejak dua hari ini.", "samapta"),
    ("crime", 20, "Motor tetangga hilang semalam di depan rumah, kunci setang sudah dipasang.",
     "reskrim"),
    ("traffic", 16, "Lampu lalu lintas di perempatan mati sejak pagi, sering hampir tabrakan.",
     "lantas"),
    ("disturbance", 16, "Tiap malam Minggu ada balap liar dan knalpot brong sampai jam 2 pagi.",
     "samapta"),
    ("drugs", 8, "Ada rumah kos yang sering didatangi orang larut malam, diduga transaksi "
                 "narkoba.", "reskrim"),
    ("brawl", 6, "Anak-anak sekolah janjian lewat grup WA mau kumpul di lapangan sepulang "
                 "sekolah.", "intelkam"),
    ("other", 12, "Mohon patroli di sekitar pasar, banyak warga resah pencopetan.", None),
)
OUTCOMES = (("closed", 55, "Sudah ditindaklanjuti petugas. Terima kasih atas laporannya."),
            ("acted", 20, "Petugas sudah ke lokasi; kasus masih dipantau."),
            ("rejected", 10, "Laporan tidak dapat ditindaklanjuti: lokasi kurang jelas."),
            ("in_review", 15, None))


@dataclass(frozen=True)
class PlannedTip:
    client_id: str
    at: datetime
    device: int
    category: str
    text: str
    lat: float
    lon: float
    anonymous: bool
    function: str | None
    outcome: str
    handled_after_h: float


def plan_tips(rng: random.Random, *, code: str, places: list[Place], days: list[date],
              devices: int) -> list[PlannedTip]:
    """Every tip of the year for one Polres."""
    out: list[PlannedTip] = []
    seq = itertools.count()
    for day in days:
        for _ in range(poisson(rng, PER_DAY[code] * day_factor(day))):
            place = rng.choice(places)
            category, _, text, function = rng.choices(TIPS, weights=[t[1] for t in TIPS])[0]
            outcome = rng.choices(OUTCOMES, weights=[o[1] for o in OUTCOMES])[0][0]
            dn, de = rng.gauss(0, 500), rng.gauss(0, 500)
            out.append(PlannedTip(
                client_id=str(uuid.uuid5(NAMESPACE, f"{code}:{next(seq)}")),
                at=moment_in_day(rng, day), device=rng.randrange(devices), category=category,
                text=text, lat=place.lat + dn / 111_320,
                lon=place.lon + de / (111_320 * math.cos(math.radians(place.lat))),
                anonymous=rng.random() < 0.3, function=function, outcome=outcome,
                handled_after_h=rng.uniform(1, 72)))
    out.sort(key=lambda t: t.at)
    return out


@dataclass
class TipStats:
    tips: int = 0
    handled: int = 0
    follow_ups: int = 0


def play_tips(session: Session, tenant: Tenant, plan: list[PlannedTip], *, until: datetime
              ) -> TipStats:
    """Send the planned tips from citizens' phones, then let the desk answer them."""
    stats = TipStats()
    queue: list[tuple[datetime, int, str, int]] = []
    seq = itertools.count()
    for i, tip in enumerate(plan):
        heapq.heappush(queue, (tip.at, next(seq), "tip", i))
    ids: dict[int, int] = {}
    notes = {o[0]: o[2] for o in OUTCOMES}
    while queue:
        now, _, step, i = heapq.heappop(queue)
        planned = plan[i]
        if now >= until:
            continue
        with at(now):
            if step == "tip":
                device = session.get(Device, tenant.devices[planned.device][0])
                assert device is not None
                if device.blocked:
                    continue
                data = TipIn.model_validate({
                    "client_id": planned.client_id, "category": planned.category,
                    "text": planned.text, "anonymous": planned.anonymous,
                    "lat": round(planned.lat, 6), "lon": round(planned.lon, 6),
                    "accuracy_m": 20.0})
                created, _ = create_tip(session, device=device, data=data, photo=None)
                ids[i] = created.id
                stats.tips += 1
                heapq.heappush(queue, (now + timedelta(hours=planned.handled_after_h),
                                       next(seq), "handle", i))
            else:
                handled = update_tip(session, staff=tenant.operator, tip_id=ids[i],
                                     data=TipUpdate.model_validate({
                                         "status": planned.outcome,
                                         "public_note": notes[planned.outcome]}))
                stats.handled += 1
                if planned.function and planned.outcome in ("acted", "in_review"):
                    open_follow_up(session, actor=tenant.operator.user, visit=None, tip=handled,
                                   function=planned.function, description=planned.text[:200],
                                   due_date=None)
                    stats.follow_ups += 1
    session.flush()
    return stats
