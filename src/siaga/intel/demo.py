"""Demo data for the brawl early warning in Polres Tegal: school details, landmarks, the 36
monitored students of SMKN 2 Slawi (pseudonymous demo records), ambassadors, a few posts.

Nothing here describes real people: names are "Pelajar Demo NN", contacts are placeholders, and
landmark positions are approximate (``coords_approximate``).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.db import utcnow
from siaga.intel.models import Landmark, MediaPost
from siaga.intel.posts import ingest_posts
from siaga.intel.schemas import PostIn
from siaga.orgs.models import Organisation
from siaga.schools.models import School
from siaga.students.models import (
    Ambassador,
    AmbassadorActivity,
    BrawlIncident,
    FollowUpCase,
    FollowUpStep,
    IncidentStudent,
    Student,
)

log = logging.getLogger(__name__)

# Friday prayers shorten the school day; Saturday is a half day where schools still teach.
DISMISSAL = {"default": "14:00", "jumat": "11:00", "sabtu": "12:00"}
LANDMARKS = [
    ("Alun-alun Slawi", ["alun alun slawi", "alun2 slawi", "alun2", "alun alun hanggawana"],
     -6.9846, 109.1366, "Slawi"),
    ("Stadion Tri Sanja", ["stadion trisanja", "trisanja", "stadion slawi"],
     -6.9790, 109.1330, "Slawi"),
    ("Terminal Dukuhsalam", ["terminal slawi", "terminal dukuh salam"],
     -6.9760, 109.1440, "Slawi"),
    ("Pasar Trayeman", ["pasar slawi", "psr trayeman"], -6.9880, 109.1420, "Slawi"),
    ("Jembatan Kaliwadas", ["jembatan kaliwadas", "jembatan adiwerna"], -6.9340, 109.1250,
     "Adiwerna"),
]
MONITORED_SCHOOL = "SMKN 2 Slawi"
MONITORED_COUNT = 36  # the study: 36 students of SMKN 2 Slawi under special monitoring
DEMO_POSTS = [
    ("demo-1", "akun_a", timedelta(hours=-3),
     "woy anak smkn2 slawi, besok pulang sekolah ditunggu di lapangan procot, jgn kabur"),
    ("demo-2", "akun_b", timedelta(hours=-2),
     "siapin gir sama gesper, besok plg sekolah kita ke procot, alumni ikut backup"),
    ("demo-3", "akun_c", timedelta(hours=-1),
     "sman 3 slawi all member kumpul besok jam 2 di procot, gas"),
    ("demo-4", "akun_d", timedelta(hours=-1),
     "duta pelajar anti tawuran smkn 2 slawi ngajak semua jaga kedamaian, stop tawuran"),
]


def load_intel_demo(session: Session) -> None:
    """Complete the Tegal demo for the brawl early warning; safe to run again."""
    tegal = session.scalar(select(Organisation).where(Organisation.code == "polres-tegal"))
    if tegal is None:
        return
    for school in session.scalars(select(School).where(School.brawl_prone.is_(True))):
        if not school.dismissal_times or school.dismissal_times == {"default": "14:00"}:
            school.dismissal_times = dict(DISMISSAL)
        if not school.contacts:
            school.contacts = [{"role": "wakasek kesiswaan", "name": "(demo) Wakasek Kesiswaan",
                                "phone": None}]
    _landmarks(session)
    session.flush()
    _students(session)
    _posts(session, tegal_path=tegal.path)


def _landmarks(session: Session) -> None:
    for name, aliases, lat, lon, kecamatan in LANDMARKS:
        if session.scalar(select(Landmark).where(Landmark.name == name)) is not None:
            continue
        org = session.scalar(select(Organisation).where(
            Organisation.code == f"polsek-{kecamatan.lower()}"))
        session.add(Landmark(name=name, aliases=aliases, lat=lat, lon=lon,
                             coords_approximate=True, org_id=org.id if org else None))


def _students(session: Session) -> None:
    school = session.scalar(select(School).where(School.name == MONITORED_SCHOOL))
    if school is None or session.scalar(select(func.count()).select_from(Student).where(
            Student.school_id == school.id)):
        return
    org = session.get(Organisation, school.org_id) if school.org_id else None
    path = org.path if org else "/"
    incident = BrawlIncident(
        occurred_at=datetime(2022, 9, 20, 7, 30, tzinfo=UTC), place="Jalan Raya Procot (demo)",
        lat=school.lat, lon=school.lon, org_path=path, school_ids=[school.id],
        description="Data demo: tawuran September 2022 yang melibatkan 36 pelajar; "
                    "dipantau sejak Oktober 2022.",
        injured=2, dead=0, weapons_seized=["gir", "gesper"])
    session.add(incident)
    session.flush()
    for n in range(1, MONITORED_COUNT + 1):
        student = Student(school_id=school.id, org_path=path, full_name=f"Pelajar Demo {n:02d}",
                          pseudonym=f"PLJ-DEMO-{n:02d}", class_name=f"XI-{1 + n % 4}",
                          guardian_contact=None, monitored=True)
        session.add(student)
        session.flush()
        session.add(IncidentStudent(incident_id=incident.id, student_id=student.id,
                                    role="pelaku"))
        case = FollowUpCase(student_id=student.id, incident_id=incident.id, org_path=path,
                            status="open", opened_on=date(2022, 9, 21))
        session.add(case)
        session.flush()
        steps = [("parents_summoned", date(2022, 9, 22)), ("guidance", date(2022, 9, 23)),
                 ("written_promise", date(2022, 9, 23)), ("counselling", date(2022, 9, 30)),
                 ("monitoring_start", date(2022, 10, 1)), ("check_in", date(2022, 10, 31))]
        for kind, on in steps[: 4 + n % 3]:
            session.add(FollowUpStep(case_id=case.id, kind=kind, done_on=on,
                                     note="Data demo"))
        case.monitoring_until = date(2022, 10, 1) + timedelta(days=365 * 4)
        if n <= 2:
            session.add(Ambassador(school_id=school.id, student_id=student.id, org_path=path,
                                   appointed_on=date(2023, 1, 10), active=True))
    session.add(AmbassadorActivity(
        school_id=school.id, org_path=path, held_on=date(2023, 2, 14),
        title="Deklarasi damai dan kampanye Stop Tawuran (demo)",
        description="Duta pelajar memimpin ikrar anti tawuran saat upacara.", participants=420))
    session.flush()


def _posts(session: Session, *, tegal_path: str) -> None:
    if session.scalar(select(MediaPost).where(MediaPost.source == "demo").limit(1)) is not None:
        return
    now = utcnow()
    posts = [PostIn(source="demo", external_id=ext, author=author, posted_at=now + offset,
                    text=text) for ext, author, offset, text in DEMO_POSTS]
    try:
        ingest_posts(session, posts=posts, org_path=tegal_path, actor=None)
    except Exception:  # the demo stays usable without the sample warning
        log.warning("demo posts not analysed", exc_info=True)
