"""Media intelligence and brawls over the demo year: posts that point at a brawl in the making,
the analysts' verdicts, the brawls that still happened and the follow-up of the students.

Posts go through `ingest_posts` (the real model scores them and groups early warnings), the
analyst judges each warning through `judge_warning`, brawls are recorded with
`create_incident`, and every student caught gets a follow-up case with the SOP's steps.
Names are pseudonyms ("Pelajar Demo ..."); nothing describes real people.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.demo.activity.clock import WIB, at, day_factor, poisson, school_day, wib
from siaga.demo.activity.tenants import MALANG, Tenant
from siaga.intel.models import EarlyWarning
from siaga.intel.posts import ingest_posts
from siaga.intel.schemas import PostIn
from siaga.intel.warnings import judge_warning
from siaga.schools.models import School
from siaga.schools.service import create_school
from siaga.students.service import add_step, create_incident, create_student, open_case

# Brewing brawls per month, and the share that still ends in a brawl.
EPISODES_PER_MONTH = {MALANG: 2.2, "polres-tegal": 5.0}
BRAWL_SHARE = {MALANG: 0.18, "polres-tegal": 0.22}
UNWARNED_PER_MONTH = {MALANG: 0.15, "polres-tegal": 0.35}
TEGAL_PLACES = ("lapangan procot", "alun alun slawi", "stadion trisanja", "terminal slawi",
                "jembatan kaliwadas", "pasar slawi")
MALANG_PLACES = ("jembatan soekarno hatta", "stadion gajayana", "jalan ijen", "alun alun tugu",
                 "pasar besar", "terminal arjosari")
WEAPONS = ("gir", "gesper", "celurit", "sajam", "batu")
TEMPLATES = (
    "woy anak {a}, {when} ditunggu di {place}, jgn kabur",
    "siapin {weapon} sama gesper, {when} kita ke {place}, alumni ikut backup",
    "{a} all member kumpul {when} di {place}, gas",
    "{a} vs {b} {when} di {place}, yg gak dateng cupu",
)
CALM = ("ayo ikut jalan sehat minggu pagi di {place}",
        "duta pelajar anti tawuran {a} ngajak semua jaga kedamaian, stop tawuran",
        "selamat buat tim futsal {a} juara turnamen pelajar se-kabupaten",
        "info lomba kebersihan kelas di {a}, semangat semua")
MALANG_SCHOOLS = (("SMK Demo Kedungkandang", "SMK", -7.9915, 112.6550, "Kedungkandang"),
                  ("SMA Demo Sukun", "SMA", -7.9980, 112.6180, "Sukun"),
                  ("SMK Demo Blimbing", "SMK", -7.9450, 112.6450, "Blimbing"))


@dataclass
class Episode:
    """Posts about one brawl being arranged, and how it ends."""

    first_post: datetime
    target: datetime
    posts: list[tuple[datetime, str]]
    school_a: int
    school_b: int
    place: str
    genuine: bool
    verdict_after_h: float | None
    brawl: bool


@dataclass
class IntelPlan:
    episodes: list[Episode] = field(default_factory=list)
    calm_posts: list[tuple[datetime, str]] = field(default_factory=list)
    unwarned_brawls: list[tuple[datetime, int, int, str]] = field(default_factory=list)


def _school_words(name: str) -> str:
    return name.lower()


def plan_intel(rng: random.Random, *, code: str, schools: list[str], days: list[date]
               ) -> IntelPlan:
    """The year's brewing brawls, calm posts and brawls nobody saw coming, for one Polres."""
    plan = IntelPlan()
    places = MALANG_PLACES if code == MALANG else TEGAL_PLACES
    per_day = EPISODES_PER_MONTH[code] / 26
    for day in days:
        if not school_day(day):
            continue
        for _ in range(poisson(rng, per_day * day_factor(day))):
            a, b = rng.sample(range(len(schools)), 2)
            place = rng.choice(places)
            target = wib(day, rng.choice((11, 12, 14, 15)), rng.choice((0, 30)))
            first = target - timedelta(hours=rng.uniform(10, 30))
            n_posts = rng.randint(1, 4)
            posts = []
            for k in range(n_posts):
                text = rng.choice(TEMPLATES).format(
                    a=_school_words(schools[a]), b=_school_words(schools[b]), place=place,
                    weapon=rng.choice(WEAPONS), when="besok pulang sekolah")
                posts.append((first + timedelta(hours=k * rng.uniform(0.5, 3)), text))
            genuine = rng.random() < 0.7
            verdict = rng.uniform(0.5, 8) if rng.random() < 0.96 else None
            plan.episodes.append(Episode(first, target, posts, a, b, place, genuine, verdict,
                                         genuine and rng.random() < BRAWL_SHARE[code]))
        for _ in range(poisson(rng, 0.4)):
            text = rng.choice(CALM).format(a=_school_words(rng.choice(schools)),
                                           place=rng.choice(places))
            plan.calm_posts.append((wib(day, rng.randint(6, 22), rng.randint(0, 59)), text))
        if rng.random() < UNWARNED_PER_MONTH[code] / 26:
            a, b = rng.sample(range(len(schools)), 2)
            plan.unwarned_brawls.append((wib(day, rng.choice((12, 14, 15)), 10), a, b,
                                         rng.choice(places)))
    return plan


def demo_schools(session: Session, tenant: Tenant) -> list[School]:
    """The Polres' schools; Malang's demo has none yet, so three clearly fictional ones are
    registered through the school service."""
    schools = list(session.scalars(select(School).where(School.org_id.in_(list(tenant.polseks)))
                                   .order_by(School.id)))
    if schools or tenant.code != MALANG:
        return schools
    by_name = {o.name.removeprefix("Polsek "): o for o in tenant.polseks.values()}
    for name, level, lat, lon, kecamatan in MALANG_SCHOOLS:
        schools.append(create_school(session, staff=tenant.operator, fields={
            "name": name, "level": level, "lat": lat, "lon": lon,
            "org": by_name[kecamatan].code, "brawl_prone": True, "coords_approximate": True,
            "dismissal_times": {"default": "14:00", "jumat": "11:00", "sabtu": "12:00"}}))
    return schools


class PostItem(NamedTuple):
    external_id: str
    posted_at: datetime
    text: str
    episode: int | None


class BrawlItem(NamedTuple):
    school_a: int
    school_b: int
    place: str
    episode: int | None


class StepItem(NamedTuple):
    case_id: int
    kind: str
    note: str


@dataclass
class IntelStats:
    posts: int = 0
    warnings: int = 0
    judged: int = 0
    brawls: int = 0
    students: int = 0
    cases: int = 0
    steps: int = 0


def play_intel(session: Session, tenant: Tenant, plan: IntelPlan, *, schools: list[School],
               rng: random.Random, until: datetime) -> IntelStats:
    """Ingest the posts day by day, judge the warnings, record brawls and follow students up."""
    stats = IntelStats()
    queue: list[tuple[datetime, int, str, object]] = []
    seq = itertools.count()
    source = "demo-" + tenant.code.removeprefix("polres-")
    for n, episode in enumerate(plan.episodes):
        for k, (moment, text) in enumerate(episode.posts):
            heapq.heappush(queue, (moment, next(seq), "post",
                                   PostItem(f"{n}-{k}", moment, text, n)))
    for n, (moment, text) in enumerate(plan.calm_posts):
        heapq.heappush(queue, (moment, next(seq), "post",
                               PostItem(f"calm-{n}", moment, text, None)))
    for moment, a, b, place in plan.unwarned_brawls:
        heapq.heappush(queue, (moment, next(seq), "brawl", BrawlItem(a, b, place, None)))
    warnings: dict[int, int] = {}
    analyst = tenant.analyst
    while queue:
        now, _, step, item = heapq.heappop(queue)
        if now >= until:
            continue
        with at(now + timedelta(minutes=2)):  # the connector hands posts over minutes later
            if step == "post":
                assert isinstance(item, PostItem)
                ext, moment, text, number = item
                result = ingest_posts(session, posts=[PostIn(
                    source=source, external_id=ext, author=f"akun_{rng.randint(1, 400)}",
                    posted_at=moment, text=text)], org_path=tenant.polres.path, actor=None)
                stats.posts += 1
                warning_id = result.items[0].warning_id
                if number is None or warning_id is None:
                    continue
                episode = plan.episodes[number]
                first_seen = number not in warnings
                warnings[number] = warning_id
                if first_seen:
                    stats.warnings += 1
                    if episode.verdict_after_h is not None:
                        heapq.heappush(queue, (now + timedelta(hours=episode.verdict_after_h),
                                               next(seq), "verdict", number))
                    if episode.brawl:
                        heapq.heappush(queue, (episode.target + timedelta(minutes=25),
                                               next(seq), "brawl",
                                               BrawlItem(episode.school_a, episode.school_b,
                                                         episode.place, number)))
            elif step == "verdict":
                assert isinstance(item, int)
                episode = plan.episodes[item]
                warning = session.get(EarlyWarning, warnings[item])
                if warning is None or warning.status != "open":
                    continue  # grouped into a warning judged already
                judge_warning(session, staff=analyst, warning_id=warnings[item],
                              verdict="confirmed" if episode.genuine else "dismissed",
                              note=("Patroli jam pulang sekolah dikirim ke lokasi."
                                    if episode.genuine else "Candaan antarteman, bukan ajakan."))
                stats.judged += 1
            elif step == "brawl":
                assert isinstance(item, BrawlItem)
                a, b, place, number = item
                _brawl(session, tenant, rng=rng, schools=schools, a=a, b=b, place=place,
                       warning_id=warnings.get(number) if number is not None else None, now=now,
                       queue=queue, seq=seq, stats=stats)
            else:
                assert isinstance(item, StepItem)
                case_id, kind, note = item
                add_step(session, staff=tenant.operator, case_id=case_id, kind=kind,
                         done_on=now.astimezone(WIB).date(), note=note,
                         monitoring_days=180 if kind == "monitoring_start" else None)
                stats.steps += 1
    session.flush()
    return stats


STEPS = (("parents_summoned", 1, "Orang tua dipanggil ke Polsek."),
         ("guidance", 2, "Pembinaan oleh Unit Binmas."),
         ("written_promise", 2, "Membuat surat pernyataan tidak mengulangi."),
         ("counselling", 9, "Konseling bersama guru BK."),
         ("monitoring_start", 10, "Masuk pemantauan khusus."),
         ("check_in", 40, "Kunjungan ke sekolah: anak mengikuti pelajaran dengan baik."),
         ("check_in", 100, "Kunjungan rumah: tidak ada masalah baru."),
         ("closed", 190, "Pemantauan selesai."))


def _brawl(session: Session, tenant: Tenant, *, rng: random.Random, schools: list[School],
           a: int, b: int, place: str, warning_id: int | None, now: datetime,
           queue: list[tuple[datetime, int, str, object]], seq: itertools.count[int],
           stats: IntelStats) -> None:
    staff = tenant.operator
    involved = [schools[a], schools[b]]
    students = []
    for school in involved:
        for _ in range(rng.randint(1, 3)):
            stats.students += 1
            students.append(create_student(
                session, staff=staff, school_id=school.id,
                full_name=f"Pelajar Demo {tenant.code[7:9].upper()}-{stats.students:03d}",
                class_name=f"{rng.choice(('X', 'XI', 'XII'))}-{rng.randint(1, 6)}",
                guardian_contact=None, monitored=False))
    dead = 1 if rng.random() < 0.04 else 0
    incident = create_incident(
        session, staff=staff, occurred_at=now - timedelta(minutes=20),
        place=f"Sekitar {place}", lat=None, lon=None, school_ids=[s.id for s in involved],
        description=f"Tawuran pelajar {involved[0].name} dan {involved[1].name} sepulang "
                    f"sekolah; dibubarkan petugas patroli.",
        injured=rng.randint(0, 4), dead=dead, weapons_seized=rng.sample(WEAPONS, 2),
        students=[(s.id, "pelaku") for s in students], warning_id=warning_id)
    stats.brawls += 1
    opened = (now + timedelta(hours=2)).astimezone(WIB).date()
    for student in students:
        case = open_case(session, staff=staff, student_id=student.id, incident_id=incident.id,
                         opened_on=opened)
        stats.cases += 1
        for kind, after_days, note in STEPS:
            if kind == "closed" and rng.random() < 0.3:
                break  # still under monitoring
            heapq.heappush(queue, (wib(opened + timedelta(days=after_days), 10), next(seq),
                                   "step", StepItem(case.id, kind, note)))
