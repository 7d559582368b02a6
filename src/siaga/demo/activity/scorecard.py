"""What staff enter for the scorecard over the demo year: personnel, budget, anev, meetings,
and what citizens answer in the /warga survey.

Only months of the demo year are entered, so the Tegal study's figures (2020-2023) stay exactly
as the study reports them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from siaga.demo.activity.clock import at, months_of, progress, wib
from siaga.demo.activity.tenants import MALANG, Tenant
from siaga.devices.models import Device
from siaga.scorecard.entries import record_figure, record_personnel, save_meeting
from siaga.scorecard.schemas import ActionIn, CitizenSurveyIn, FigureIn, MeetingIn, PersonnelIn
from siaga.scorecard.surveys import submit_survey

SOURCE = "Data demo Siaga (dibangkitkan)"


@dataclass(frozen=True)
class Staffing:
    authorised: int
    operational: tuple[int, int]  # first and last month of the year
    degree: tuple[int, int]
    trained: tuple[int, int]


STAFFING = {
    # Kota Malang: about 930 operational personnel (the study's ratio 1:916 for ~850,000 people).
    MALANG: Staffing(1_104, (905, 941), (371, 402), (498, 566)),
    # Tegal: the study's 442 of 965 (2023), slowly filled since.
    "polres-tegal": Staffing(965, (451, 468), (137, 149), (124, 163)),
}
EVALUATIONS = {MALANG: (4, 5), "polres-tegal": (1, 2)}  # anev per month: weekly / twice
BUDGET = {MALANG: 62_000_000, "polres-tegal": 45_000_000}  # Rp per month, prevention
SURVEYS_PER_MONTH = {MALANG: 60, "polres-tegal": 28}
COORDINATION = (
    ("Rapat koordinasi keamanan dengan Pemda dan Dinas Pendidikan",
     ["Polres", "Pemda", "Dinas Pendidikan", "Perwakilan sekolah"]),
    ("Koordinasi pengamanan kegiatan masyarakat dengan Kodim dan Satpol PP",
     ["Polres", "Kodim", "Satpol PP", "Camat"]),
    ("Rapat koordinasi kamtibmas dengan tokoh agama dan tokoh masyarakat",
     ["Polres", "FKUB", "Tokoh masyarakat", "Lurah/Kades"]),
)
FGD = ("FGD pencegahan tawuran pelajar dan kenakalan remaja",
       ["Polres", "Pemda", "DPRD", "Dinas Pendidikan", "Kepala SMA/SMK", "Alumni"])
ACTIONS = ("Jadwal patroli bersama saat jam pulang sekolah", "Sosialisasi aplikasi Siaga ke RW",
           "Penambahan lampu penerangan jalan di titik rawan", "Pembinaan alumni oleh sekolah",
           "Posko pengaduan bersama di kecamatan", "Pendataan kos-kosan oleh kelurahan")


def _between(pair: tuple[int, int], share: float) -> int:
    return round(pair[0] + (pair[1] - pair[0]) * share)


def play_scorecard(session: Session, tenant: Tenant, *, rng: random.Random, days: list[date],
                   until: datetime) -> dict[str, int]:
    """Enter the year's figures and meetings and collect the citizens' survey answers."""
    counts = {"personnel": 0, "figures": 0, "meetings": 0, "survey_answers": 0}
    code = tenant.code
    staffing = STAFFING[code]
    for year, month in months_of(days):
        first = date(year, month, 1)
        share = progress(first, days[0], days[-1])
        # Entered on the first morning of the next month, once the month is over.
        entered = wib(date(year + month // 12, month % 12 + 1, 1), 9)
        if entered < until:
            with at(entered):
                _month_figures(session, tenant, rng=rng, year=year, month=month, share=share,
                               staffing=staffing, counts=counts)
        counts["meetings"] += _meetings(session, tenant, rng=rng, first=first, until=until,
                                        share=share)
        counts["survey_answers"] += _surveys(session, tenant, rng=rng, first=first,
                                             until=until, share=share)
    session.flush()
    return counts


def _month_figures(session: Session, tenant: Tenant, *, rng: random.Random, year: int,
                   month: int, share: float, staffing: Staffing, counts: dict[str, int]) -> None:
    actor = tenant.leader.user
    org = tenant.polres
    if month in (1, 4, 7, 10):  # Bag SDM reports the head-count every quarter
        operational = _between(staffing.operational, share)
        degree = _between(staffing.degree, share)
        record_personnel(session, org=org, actor=actor, data=PersonnelIn(
            year=year, month=month, authorised=staffing.authorised, operational=operational,
            degree=degree, diploma=round(operational * 0.04), trained=_between(
                staffing.trained, share),
            high_school=operational - degree - round(operational * 0.04), source=SOURCE))
        counts["personnel"] += 1
    planned = BUDGET[tenant.code]
    realised = round(planned * rng.uniform(0.62 + 0.25 * share, 0.9 + 0.1 * share), -5)
    lo, hi = EVALUATIONS[tenant.code]
    for metric, value in (("budget_planned", planned), ("budget_realised", realised),
                          ("evaluations", rng.randint(lo, hi))):
        record_figure(session, org=org, actor=actor, data=FigureIn(
            metric=metric, year=year, month_from=month, month_to=month, value=value,
            source=SOURCE))
        counts["figures"] += 1


def _meetings(session: Session, tenant: Tenant, *, rng: random.Random, first: date,
              until: datetime, share: float) -> int:
    """Coordination meetings twice a month, an FGD each quarter; minutes updated later."""
    held = [(first + timedelta(days=rng.randint(3, 12)), "koordinasi"),
            (first + timedelta(days=rng.randint(15, 26)), "koordinasi")]
    if first.month in (1, 4, 7, 10):
        held.append((first + timedelta(days=rng.randint(8, 20)), "fgd"))
    done = 0
    for day, kind in held:
        written = wib(day, 16)
        if written >= until:
            continue
        title, participants = FGD if kind == "fgd" else rng.choice(COORDINATION)
        actions = rng.sample(ACTIONS, rng.randint(2, 4))
        with at(written):
            out = save_meeting(session, staff=tenant.leader, data=MeetingIn(
                org=tenant.code, kind=kind, held_on=day, title=title,
                participants=participants, agreements=["Sepakat: " + a for a in actions],
                actions=[ActionIn(description=a, owner=participants[1],
                                  due_on=day + timedelta(days=30)) for a in actions]))
        done += 1
        # The minutes are updated when actions are done: more of them as the year goes on.
        review = wib(day + timedelta(days=rng.randint(7, 35)), 10)
        if review < until:
            with at(review):
                finished = [rng.random() < 0.45 + 0.4 * share for _ in actions]
                save_meeting(session, staff=tenant.leader, meeting_id=out.id, data=MeetingIn(
                    org=tenant.code, kind=kind, held_on=day, title=title,
                    participants=participants, agreements=["Sepakat: " + a for a in actions],
                    actions=[ActionIn(description=a, owner=participants[1],
                                      due_on=day + timedelta(days=30),
                                      status="done" if ok else "open",
                                      done_on=review.date() if ok else None)
                             for a, ok in zip(actions, finished, strict=True)]))
    return done


def _surveys(session: Session, tenant: Tenant, *, rng: random.Random, first: date,
             until: datetime, share: float) -> int:
    """Citizens rate their Polres on /warga; satisfaction grows as response times improve."""
    answered = 0
    good = 0.52 + 0.2 * share if tenant.code == MALANG else 0.48 + 0.17 * share
    devices = rng.sample(range(len(tenant.devices)),
                         min(len(tenant.devices), SURVEYS_PER_MONTH[tenant.code]))
    for n, index in enumerate(devices):
        moment = wib(first + timedelta(days=rng.randint(0, 27)), rng.randint(7, 21),
                     rng.randint(0, 59))
        if moment >= until:
            continue
        roll = rng.random()
        rating = "baik" if roll < good else "perlu_peningkatan" if roll < good + 0.32 else "kurang"
        device = session.get(Device, tenant.devices[index][0])
        if device is None or device.blocked:
            continue
        with at(moment):
            submit_survey(session, data=CitizenSurveyIn(polres=tenant.code, rating=rating),
                          device=device, client_ip=f"10.16.{n // 200}.{n % 200 + 1}")
        answered += 1
    return answered
