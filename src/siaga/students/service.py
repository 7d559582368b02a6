"""Students involved in brawls, incidents and follow-up cases (ambassadors: ambassadors.py).

Students are minors: only an analyst or a leader (pimpinan) whose organisation covers the
student's sees the name; everyone else sees the pseudonym. Every view is audited.
"""

from __future__ import annotations

import io
import secrets
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.csvsafe import SafeCsvWriter
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid, NotFound
from siaga.intel.models import EarlyWarning
from siaga.orgs.service import locate
from siaga.schools.models import School
from siaga.schools.service import school_for_staff, school_path
from siaga.students.models import (
    INVOLVEMENT_ROLES,
    STEP_KINDS,
    BrawlIncident,
    FollowUpCase,
    FollowUpStep,
    IncidentStudent,
    Student,
)

NAME_ROLES = ("analis", "pimpinan")
DEFAULT_MONITORING_DAYS = 90
# How far ahead of the server's clock a device's clock may run before its time counts as future.
CLOCK_SKEW = timedelta(minutes=5)


def not_future_time(at: datetime, *, field: str, what: str) -> None:
    """Refuse a time that has not happened yet (beyond a little clock skew)."""
    if at > utcnow() + CLOCK_SKEW:
        raise Invalid(f"{what} tidak boleh di masa depan", field=field)


def not_future_day(day: date, *, field: str, what: str) -> None:
    """Refuse a calendar day that has not begun yet where the staff work."""
    # Dates are local calendar days, so "today" is read in the configured zone (WIB).
    today = (utcnow() + CLOCK_SKEW).astimezone(ZoneInfo(get_settings().timezone)).date()
    if day > today:
        raise Invalid(f"{what} ({day.isoformat()}) tidak boleh di masa depan", field=field)


def sees_names(staff: Staff, org_path: str) -> bool:
    """Whether this staff member may see a student's name (analis or pimpinan of its org)."""
    return staff.user.role in NAME_ROLES and staff.sees(org_path)


def new_pseudonym() -> str:
    """A random label; never derived from the name, so it cannot be reversed."""
    return "PLJ-" + secrets.token_hex(4).upper()


def student_view(staff: Staff, student: Student) -> dict[str, Any]:
    """A student as this staff member may see them."""
    named = sees_names(staff, student.org_path)
    return {
        "id": student.id, "pseudonym": student.pseudonym,
        "name": student.full_name if named else None,
        "class_name": student.class_name if named else None,
        "guardian_contact": student.guardian_contact if named else None,
        "school_id": student.school_id, "monitored": student.monitored,
        "display": student.full_name if named else student.pseudonym,
    }


def create_student(session: Session, *, staff: Staff, school_id: int, full_name: str,
                   class_name: str | None, guardian_contact: str | None,
                   monitored: bool) -> Student:
    """Record a student of a school in the staff member's area."""
    school = school_for_staff(session, staff=staff, school_id=school_id)
    student = Student(school_id=school.id, org_path=school_path(session, school),
                      full_name=full_name, pseudonym=new_pseudonym(), class_name=class_name,
                      guardian_contact=guardian_contact, monitored=monitored)
    session.add(student)
    session.flush()
    audit(session, action="student.create", target=student, actor=staff.user,
          org_path=student.org_path)
    return student


def student_for_staff(session: Session, *, staff: Staff, student_id: int) -> Student:
    student = session.get(Student, student_id)
    if student is None or not staff.sees(student.org_path):
        raise NotFound("Pelajar tidak ditemukan", field="id")
    return student


def view_student(session: Session, *, staff: Staff, student_id: int) -> dict[str, Any]:
    """A student with their follow-up cases and steps; the view is audited."""
    student = student_for_staff(session, staff=staff, student_id=student_id)
    audit(session, action="student.view", target=student, actor=staff.user,
          org_path=student.org_path, detail={"named": sees_names(staff, student.org_path)})
    cases = session.scalars(select(FollowUpCase).where(FollowUpCase.student_id == student.id)
                            .order_by(FollowUpCase.opened_on))
    return {**student_view(staff, student),
            "cases": [case_view(session, c) for c in cases]}


def list_students(session: Session, *, staff: Staff, monitored: bool | None,
                  school_id: int | None, limit: int, offset: int
                  ) -> tuple[list[dict[str, Any]], int]:
    """Students in scope (e.g. the monitored list); the listing is audited."""
    query = select(Student).where(Student.org_path.startswith(staff.scope, autoescape=True))
    if monitored is not None:
        query = query.where(Student.monitored.is_(monitored))
    if school_id is not None:
        query = query.where(Student.school_id == school_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(Student.school_id, Student.id).limit(limit)
                                .offset(offset)))
    # Which students were shown, so one can later tell whose names were seen.
    audit(session, action="student.list", target=None, actor=staff.user, org_path=staff.scope,
          detail={"count": len(rows), "monitored": monitored, "school_id": school_id,
                  "named": staff.user.role in NAME_ROLES,
                  "student_ids": [s.id for s in rows]})
    items = []
    for student in rows:
        item = student_view(staff, student)
        item["monitoring"] = _monitoring_summary(session, student)
        items.append(item)
    return items, int(total)


def _monitoring_summary(session: Session, student: Student) -> dict[str, Any] | None:
    case = session.scalar(select(FollowUpCase).where(FollowUpCase.student_id == student.id,
                                                     FollowUpCase.status == "open")
                          .order_by(FollowUpCase.opened_on.desc()).limit(1))
    if case is None:
        return None
    last = session.scalar(select(FollowUpStep.done_on).where(
        FollowUpStep.case_id == case.id, FollowUpStep.kind == "check_in")
        .order_by(FollowUpStep.done_on.desc()).limit(1))
    open_cases = session.scalar(select(func.count()).select_from(FollowUpCase).where(
        FollowUpCase.student_id == student.id, FollowUpCase.status == "open"))
    return {"case_id": case.id, "open_cases": open_cases or 0,
            "monitoring_until": case.monitoring_until, "last_check_in": last}


EXPORT_KAMUS = {
    "pseudonim": "Nama samaran pelajar (PLJ-...); nama asli tidak pernah diekspor",
    "sekolah": "Nama sekolah pelajar",
    "dipantau": "ya = sedang dalam pemantauan tindak lanjut, tidak = tidak",
    "kasus_terbuka": "Banyak kasus tindak lanjut pelajar ini yang masih terbuka (angka)",
    "pantau_sampai_iso": "Akhir masa pemantauan kasus terbuka terbaru, YYYY-MM-DD (kosong = "
                         "belum ditetapkan)",
    "cek_terakhir_iso": "Tanggal cek terakhir (kunjungan pemantauan), YYYY-MM-DD (kosong = "
                        "belum ada)",
}


def export_students_csv(session: Session, *, staff: Staff) -> str:
    """The monitored-students list as CSV, always pseudonymised (it may leave the system)."""
    rows = session.execute(
        select(Student, School.name).join(School, School.id == Student.school_id)
        .where(Student.org_path.startswith(staff.scope, autoescape=True))
        .order_by(School.name, Student.pseudonym)).all()
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(list(EXPORT_KAMUS))
    for student, school_name in rows:
        summary = _monitoring_summary(session, student) or {}
        until, last = summary.get("monitoring_until"), summary.get("last_check_in")
        writer.writerow([student.pseudonym, school_name, "ya" if student.monitored else "tidak",
                         summary.get("open_cases", 0), until.isoformat() if until else "",
                         last.isoformat() if last else ""])
    audit(session, action="student.export", target=None, actor=staff.user, org_path=staff.scope,
          detail={"rows": len(rows), "pseudonymised": True})
    return out.getvalue()


def case_view(session: Session, case: FollowUpCase) -> dict[str, Any]:
    steps = list(session.scalars(select(FollowUpStep).where(FollowUpStep.case_id == case.id)
                                 .order_by(FollowUpStep.done_on, FollowUpStep.id)))
    done = {s.kind for s in steps}
    return {"id": case.id, "incident_id": case.incident_id, "status": case.status,
            "opened_on": case.opened_on, "monitoring_until": case.monitoring_until,
            "steps": [{"id": s.id, "kind": s.kind, "done_on": s.done_on, "note": s.note}
                      for s in steps],
            "missing": [k for k in STEP_KINDS[:5] if k not in done]}


def open_case(session: Session, *, staff: Staff, student_id: int, incident_id: int | None,
              opened_on: date) -> FollowUpCase:
    """Start the follow-up of a student after a brawl."""
    not_future_day(opened_on, field="opened_on", what="Tanggal kasus dibuka")
    student = student_for_staff(session, staff=staff, student_id=student_id)
    if incident_id is not None:
        incident_for_staff(session, staff=staff, incident_id=incident_id)
    case = FollowUpCase(student_id=student.id, incident_id=incident_id,
                        org_path=student.org_path, status="open", opened_on=opened_on)
    session.add(case)
    session.flush()
    audit(session, action="followup.open", target=case, actor=staff.user,
          org_path=case.org_path)
    return case


def add_step(session: Session, *, staff: Staff, case_id: int, kind: str, done_on: date,
             note: str, monitoring_days: int | None) -> FollowUpCase:
    """Record a dated step: parents summoned, guidance, promise, counselling, monitoring."""
    if kind not in STEP_KINDS:
        raise Invalid(f"Langkah tidak dikenal: {kind}", field="kind")
    # done_on is when the step happened; the planned end of monitoring is monitoring_until,
    # computed from monitoring_days, so only done_on is held to today.
    not_future_day(done_on, field="done_on", what="Tanggal langkah")
    case = session.get(FollowUpCase, case_id)
    if case is None or not staff.sees(case.org_path):
        raise NotFound("Kasus tidak ditemukan", field="id")
    if case.status != "open":
        raise Conflict("Kasus sudah ditutup", field="status")
    if done_on < case.opened_on:
        raise Invalid("Tanggal langkah sebelum kasus dibuka", field="done_on")
    student = session.get(Student, case.student_id)
    assert student is not None
    session.add(FollowUpStep(case_id=case.id, kind=kind, done_on=done_on, note=note,
                             by_user_id=staff.user.id))
    if kind == "monitoring_start":
        case.monitoring_until = done_on + timedelta(days=monitoring_days
                                                    or DEFAULT_MONITORING_DAYS)
        student.monitored = True
    elif kind == "closed":
        case.status = "closed"
        session.flush()
        still_open = session.scalar(select(func.count()).select_from(FollowUpCase).where(
            FollowUpCase.student_id == student.id, FollowUpCase.status == "open"))
        student.monitored = bool(still_open)
    session.flush()
    audit(session, action=f"followup.{kind}", target=case, actor=staff.user,
          org_path=case.org_path, detail={"done_on": done_on.isoformat()})
    return case


def create_incident(session: Session, *, staff: Staff, occurred_at: datetime, place: str,
                    lat: float | None, lon: float | None, school_ids: list[int],
                    description: str, injured: int, dead: int, weapons_seized: list[str],
                    students: list[tuple[int, str]], warning_id: int | None) -> BrawlIncident:
    """Record a brawl with the schools and students involved, all within the staff's area."""
    not_future_time(occurred_at, field="occurred_at", what="Waktu kejadian")
    if (lat is None) != (lon is None):
        raise Invalid("lat dan lon harus diisi bersama", field="lat" if lat is None else "lon")
    # Every reference is checked before anything is written, so a refusal leaves nothing behind.
    schools = [_school_in_scope(session, staff=staff, school_id=sid)
               for sid in dict.fromkeys(school_ids)]
    involved = _students_in_scope(session, staff=staff, students=students)
    if warning_id is not None:
        warning = session.get(EarlyWarning, warning_id)
        if warning is None or not staff.sees(warning.org_path):
            raise Invalid(f"Peringatan dini {warning_id} tidak ditemukan di wilayah Anda",
                          field="warning_id")
    org_path = staff.scope
    if lat is not None and lon is not None:
        org_path = locate(session, lat=lat, lon=lon).org_path
        if not staff.sees(org_path):
            raise Invalid("Lokasi kejadian (lat/lon) berada di luar wilayah Anda", field="lat")
    elif schools:
        org_path = school_path(session, schools[0])
    incident = BrawlIncident(occurred_at=occurred_at, place=place, lat=lat, lon=lon,
                             org_path=org_path, school_ids=[s.id for s in schools],
                             description=description, injured=injured, dead=dead,
                             weapons_seized=weapons_seized, warning_id=warning_id,
                             created_by_id=staff.user.id)
    session.add(incident)
    session.flush()
    for student, role in involved:
        session.add(IncidentStudent(incident_id=incident.id, student_id=student.id, role=role))
    session.flush()
    audit(session, action="incident.create", target=incident, actor=staff.user,
          org_path=incident.org_path,
          detail={"students": len(involved), "student_ids": [s.id for s, _ in involved]})
    return incident


def _school_in_scope(session: Session, *, staff: Staff, school_id: int) -> School:
    try:
        return school_for_staff(session, staff=staff, school_id=school_id)
    except NotFound:
        raise Invalid(f"Sekolah {school_id} tidak ditemukan di wilayah Anda",
                      field="school_ids") from None


def _students_in_scope(session: Session, *, staff: Staff, students: list[tuple[int, str]]
                       ) -> list[tuple[Student, str]]:
    involved: dict[int, tuple[Student, str]] = {}
    for student_id, role in students:
        if role not in INVOLVEMENT_ROLES:
            raise Invalid(f"Peran tidak dikenal: {role}", field="students.role")
        if student_id in involved:
            raise Invalid(f"Pelajar {student_id} disebut lebih dari sekali",
                          field="students.student_id")
        student = session.get(Student, student_id)
        if student is None or not staff.sees(student.org_path):
            raise Invalid(f"Pelajar {student_id} tidak ditemukan di wilayah Anda",
                          field="students.student_id")
        involved[student_id] = (student, role)
    return list(involved.values())


def incident_for_staff(session: Session, *, staff: Staff, incident_id: int) -> BrawlIncident:
    incident = session.get(BrawlIncident, incident_id)
    if incident is None or not staff.sees(incident.org_path):
        raise NotFound("Kejadian tidak ditemukan", field="id")
    return incident


def view_incident(session: Session, *, staff: Staff, incident_id: int) -> dict[str, Any]:
    """An incident with its students (names only for those allowed); audited."""
    incident = incident_for_staff(session, staff=staff, incident_id=incident_id)
    involved = session.execute(
        select(Student, IncidentStudent.role)
        .join(IncidentStudent, IncidentStudent.student_id == Student.id)
        .where(IncidentStudent.incident_id == incident.id).order_by(Student.id)).all()
    audit(session, action="incident.view", target=incident, actor=staff.user,
          org_path=incident.org_path,
          detail={"students": len(involved), "student_ids": [s.id for s, _ in involved],
                  "named_ids": [s.id for s, _ in involved if sees_names(staff, s.org_path)]})
    return {**incident_summary(session, incident),
            "students": [{**student_view(staff, s), "role": role} for s, role in involved]}


def incident_summary(session: Session, incident: BrawlIncident) -> dict[str, Any]:
    names = dict(session.execute(select(School.id, School.name).where(
        School.id.in_(incident.school_ids or [-1]))).tuples().all())
    count = session.scalar(select(func.count()).select_from(IncidentStudent).where(
        IncidentStudent.incident_id == incident.id)) or 0
    return {"id": incident.id, "occurred_at": incident.occurred_at, "place": incident.place,
            "lat": incident.lat, "lon": incident.lon, "org_path": incident.org_path,
            "schools": [names.get(i, str(i)) for i in incident.school_ids or []],
            "school_ids": list(incident.school_ids or []), "description": incident.description,
            "injured": incident.injured, "dead": incident.dead,
            "weapons_seized": list(incident.weapons_seized or []),
            "warning_id": incident.warning_id, "student_count": int(count)}


def list_incidents(session: Session, *, staff: Staff, limit: int, offset: int
                   ) -> tuple[list[dict[str, Any]], int]:
    query = select(BrawlIncident).where(
        BrawlIncident.org_path.startswith(staff.scope, autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(BrawlIncident.occurred_at.desc()).limit(limit)
                           .offset(offset))
    return [incident_summary(session, i) for i in rows], int(total)
