"""The school register: create, change, remove, and the brawl-risk score of each school."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid, NotFound
from siaga.intel.entities import gazetteer_changed
from siaga.intel.models import EarlyWarning
from siaga.orgs.models import Organisation
from siaga.orgs.service import locate
from siaga.schools.models import SCHOOL_LEVELS, School, SchoolPatrol
from siaga.students.models import BrawlIncident, Student

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DAY_KEYS = ("default", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
HIGH_RISK = 0.5


def _org_path(session: Session, org_id: int | None) -> str:
    if org_id is None:
        return "/"
    org = session.get(Organisation, org_id)
    return org.path if org else "/"


def school_path(session: Session, school: School) -> str:
    """The organisation path of the Polsek (or Polres) a school belongs to."""
    return _org_path(session, school.org_id)


def school_for_staff(session: Session, *, staff: Staff, school_id: int) -> School:
    """The school if it lies within the staff member's organisation."""
    school = session.get(School, school_id)
    if school is None or not staff.sees(school_path(session, school)):
        raise NotFound("Sekolah tidak ditemukan", field="id")
    return school


def list_schools(session: Session, *, staff: Staff, limit: int = 1000, offset: int = 0
                 ) -> tuple[list[School], int]:
    """Schools in scope, by name."""
    query = (select(School).outerjoin(Organisation, Organisation.id == School.org_id)
             .where(func.coalesce(Organisation.path, "/").startswith(staff.scope,
                                                                     autoescape=True)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(School.name).limit(limit).offset(offset))
    return list(rows), int(total)


# A PUT may leave these out, but may not blank them: the school would have no name or level.
REQUIRED_FIELDS = ("name", "level", "aliases", "dismissal_times", "contacts", "brawl_prone")


def _check(fields: dict[str, Any]) -> None:
    for key in REQUIRED_FIELDS:
        if key in fields and fields[key] is None:
            raise Invalid(f"Kolom {key} wajib diisi, tidak boleh kosong (null)", field=key)
    level = fields.get("level")
    if level is not None and level not in SCHOOL_LEVELS:
        raise Invalid(f"Jenjang harus salah satu dari {', '.join(SCHOOL_LEVELS)}", field="level")
    times = fields.get("dismissal_times")
    if times is not None:
        for key, value in times.items():
            if key not in DAY_KEYS:
                raise Invalid(f"Hari tidak dikenal: {key}", field="dismissal_times")
            if not _HHMM.match(value):
                raise Invalid(f"Jam pulang harus HH:MM, bukan {value}", field="dismissal_times")


def create_school(session: Session, *, staff: Staff, fields: dict[str, Any]) -> School:
    """Register a school; its Polsek follows from its position when none is given."""
    _check(fields)
    if session.scalar(select(School).where(School.name == fields["name"])) is not None:
        raise Conflict("Nama sekolah sudah terdaftar", field="name")
    school = School(aliases=[], dismissal_times={"default": "14:00"}, contacts=[],
                    coords_approximate=False, brawl_prone=False)
    _apply(session, school, fields)
    if not staff.sees(school_path(session, school)):
        raise Invalid("Sekolah berada di luar wilayah Anda", field="org")
    session.add(school)
    session.flush()
    gazetteer_changed()
    audit(session, action="school.create", target=school, actor=staff.user,
          org_path=school_path(session, school), detail={"name": school.name})
    return school


def update_school(session: Session, *, staff: Staff, school_id: int,
                  fields: dict[str, Any]) -> School:
    """Change a school's details (only the fields given)."""
    school = school_for_staff(session, staff=staff, school_id=school_id)
    _check(fields)
    if "name" in fields and fields["name"] != school.name and session.scalar(
            select(School).where(School.name == fields["name"])) is not None:
        raise Conflict("Nama sekolah sudah terdaftar", field="name")
    _apply(session, school, fields)
    if not staff.sees(school_path(session, school)):
        # Where the row ends up is checked too, not only where it was.
        raise Invalid("Sekolah tidak boleh dipindah ke luar wilayah Anda", field="org")
    session.flush()
    gazetteer_changed()
    audit(session, action="school.update", target=school, actor=staff.user,
          org_path=school_path(session, school), detail={"fields": sorted(fields)})
    return school


def _apply(session: Session, school: School, fields: dict[str, Any]) -> None:
    org_code = fields.pop("org", None)
    for key, value in fields.items():
        setattr(school, key, value)
    if org_code:
        org = session.scalar(select(Organisation).where(Organisation.code == org_code))
        if org is None:
            raise NotFound(f"Satuan tidak ditemukan: {org_code}", field="org")
        school.org_id = org.id
    if ("lat" in fields or "lon" in fields) and school.lat is not None and school.lon is not None:
        place = locate(session, lat=school.lat, lon=school.lon)
        school.region_id = place.region_id
        if not org_code and place.org_id is not None:
            school.org_id = place.org_id


def delete_school(session: Session, *, staff: Staff, school_id: int) -> None:
    """Remove a school that nothing refers to."""
    school = school_for_staff(session, staff=staff, school_id=school_id)
    if session.scalar(select(func.count()).select_from(Student)
                      .where(Student.school_id == school.id)):
        raise Conflict("Sekolah masih punya data pelajar; tidak bisa dihapus", field="id")
    if session.scalar(select(func.count()).select_from(SchoolPatrol)
                      .where(SchoolPatrol.school_id == school.id)):
        raise Conflict("Sekolah masih punya riwayat patroli; tidak bisa dihapus", field="id")
    audit(session, action="school.delete", target=school, actor=staff.user,
          org_path=school_path(session, school), detail={"name": school.name})
    session.delete(school)
    session.flush()
    gazetteer_changed()


@dataclass
class SchoolRisk:
    school: School
    score: float
    incidents: int
    deaths: int
    warnings: int
    monitored: int

    def as_dict(self) -> dict[str, Any]:
        return {"school_id": self.school.id, "name": self.school.name, "score": self.score,
                "level": "tinggi" if self.score >= HIGH_RISK else (
                    "sedang" if self.score >= 0.3 else "rendah"),
                "incidents_12m": self.incidents, "deaths_12m": self.deaths,
                "warnings_90d": self.warnings, "monitored_students": self.monitored,
                "brawl_prone": self.school.brawl_prone, "lat": self.school.lat,
                "lon": self.school.lon}


def school_risks(session: Session, *, schools: list[School]) -> list[SchoolRisk]:
    """Risk 0..1 per school from brawls in the last 12 months, warnings in the last 90 days
    (confirmed ones count double, dismissed ones not at all) and students under monitoring.

    score = 1 - (1 - base) * exp(-0.5 * (incidents + deaths + warnings + 0.1 * monitored)),
    base = 0.2 for the schools Intelkam maps as brawl-prone: one brawl lifts a mapped school
    to about 0.5, the "high" line where dismissal patrols start.
    """
    now = utcnow()
    ids = {s.id for s in schools}
    incidents: dict[int, int] = dict.fromkeys(ids, 0)
    deaths: dict[int, int] = dict.fromkeys(ids, 0)
    # Incidents dated ahead of now (refused on entry, but older rows may hold them) wait.
    for incident in session.scalars(select(BrawlIncident).where(
            BrawlIncident.occurred_at >= now - timedelta(days=365),
            BrawlIncident.occurred_at <= now)):
        for sid in incident.school_ids or []:
            if sid in incidents:
                incidents[sid] += 1
                deaths[sid] += incident.dead
    warnings: dict[int, float] = dict.fromkeys(ids, 0.0)
    warning_counts: dict[int, int] = dict.fromkeys(ids, 0)
    for warning in session.scalars(select(EarlyWarning).where(
            EarlyWarning.last_post_at >= now - timedelta(days=90),
            EarlyWarning.status != "dismissed")):
        for sid in warning.school_ids or []:
            if sid in warnings:
                warnings[sid] += 1.0 if warning.status == "confirmed" else 0.5
                warning_counts[sid] += 1
    monitored = dict(session.execute(
        select(Student.school_id, func.count()).where(Student.monitored.is_(True))
        .group_by(Student.school_id)).tuples().all())
    out = []
    for school in schools:
        base = 0.2 if school.brawl_prone else 0.0
        load = (incidents[school.id] + deaths[school.id] + warnings[school.id]
                + 0.1 * monitored.get(school.id, 0))
        score = 1 - (1 - base) * math.exp(-0.5 * load)
        out.append(SchoolRisk(school, round(score, 3), incidents[school.id], deaths[school.id],
                              warning_counts[school.id], int(monitored.get(school.id, 0))))
    return out
