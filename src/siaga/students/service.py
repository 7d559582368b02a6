"""Students involved in brawls, incidents, follow-up cases and ambassadors.

Students are minors: only an analyst or a leader (pimpinan) whose organisation covers the
student's sees the name; everyone else sees the pseudonym. Every view is audited.
"""

from __future__ import annotations

import csv
import io
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.deps import Staff
from siaga.errors import Conflict, Invalid, NotFound
from siaga.orgs.service import locate
from siaga.schools.models import School
from siaga.schools.service import school_for_staff, school_path
from siaga.students.models import (
    INVOLVEMENT_ROLES,
    STEP_KINDS,
    Ambassador,
    AmbassadorActivity,
    BrawlIncident,
    FollowUpCase,
    FollowUpStep,
    IncidentStudent,
    Student,
)

NAME_ROLES = ("analis", "pimpinan")
DEFAULT_MONITORING_DAYS = 90


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
    audit(session, action="student.list", target=None, actor=staff.user, org_path=staff.scope,
          detail={"count": len(rows), "monitored": monitored, "school_id": school_id,
                  "named": staff.user.role in NAME_ROLES})
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
    return {"case_id": case.id, "monitoring_until": case.monitoring_until,
            "last_check_in": last}


def export_students_csv(session: Session, *, staff: Staff) -> str:
    """The monitored-students list as CSV, always pseudonymised (it may leave the system)."""
    rows = session.execute(
        select(Student, School.name).join(School, School.id == Student.school_id)
        .where(Student.org_path.startswith(staff.scope, autoescape=True))
        .order_by(School.name, Student.pseudonym)).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pseudonim", "sekolah", "dipantau", "kasus_terbuka", "pantau_sampai",
                     "cek_terakhir"])
    for student, school_name in rows:
        summary = _monitoring_summary(session, student) or {}
        writer.writerow([student.pseudonym, school_name, "ya" if student.monitored else "tidak",
                         summary.get("case_id", ""), summary.get("monitoring_until") or "",
                         summary.get("last_check_in") or ""])
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
    """Record a brawl with the schools and students involved."""
    schools = [school_for_staff(session, staff=staff, school_id=sid) for sid in school_ids]
    org_path = staff.scope
    if lat is not None and lon is not None:
        org_path = locate(session, lat=lat, lon=lon).org_path
    elif schools:
        org_path = school_path(session, schools[0])
    incident = BrawlIncident(occurred_at=occurred_at, place=place, lat=lat, lon=lon,
                             org_path=org_path, school_ids=[s.id for s in schools],
                             description=description, injured=injured, dead=dead,
                             weapons_seized=weapons_seized, warning_id=warning_id,
                             created_by_id=staff.user.id)
    session.add(incident)
    session.flush()
    for student_id, role in students:
        if role not in INVOLVEMENT_ROLES:
            raise Invalid(f"Peran tidak dikenal: {role}", field="students.role")
        student = student_for_staff(session, staff=staff, student_id=student_id)
        session.add(IncidentStudent(incident_id=incident.id, student_id=student.id, role=role))
    session.flush()
    audit(session, action="incident.create", target=incident, actor=staff.user,
          org_path=incident.org_path, detail={"students": len(students)})
    return incident


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
          org_path=incident.org_path, detail={"students": len(involved)})
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


def appoint_ambassador(session: Session, *, staff: Staff, student_id: int,
                       appointed_on: date) -> Ambassador:
    """Make a student a Duta Pelajar Anti Tawuran of their school."""
    student = student_for_staff(session, staff=staff, student_id=student_id)
    ambassador = Ambassador(school_id=student.school_id, student_id=student.id,
                            org_path=student.org_path, appointed_on=appointed_on, active=True)
    session.add(ambassador)
    session.flush()
    audit(session, action="ambassador.appoint", target=ambassador, actor=staff.user,
          org_path=ambassador.org_path)
    return ambassador


def record_activity(session: Session, *, staff: Staff, school_id: int, held_on: date,
                    title: str, description: str, participants: int,
                    ambassador_ids: list[int]) -> AmbassadorActivity:
    """An activity of a school's ambassadors (campaign, peer talk, declaration)."""
    school = school_for_staff(session, staff=staff, school_id=school_id)
    activity = AmbassadorActivity(school_id=school.id, org_path=school_path(session, school),
                                  held_on=held_on, title=title, description=description,
                                  participants=participants, ambassador_ids=ambassador_ids)
    session.add(activity)
    session.flush()
    audit(session, action="ambassador.activity", target=activity, actor=staff.user,
          org_path=activity.org_path)
    return activity


def list_ambassadors(session: Session, *, staff: Staff, school_id: int | None
                     ) -> list[dict[str, Any]]:
    query = (select(Ambassador, Student).join(Student, Student.id == Ambassador.student_id)
             .where(Ambassador.org_path.startswith(staff.scope, autoescape=True)))
    if school_id is not None:
        query = query.where(Ambassador.school_id == school_id)
    rows = session.execute(query.order_by(Ambassador.school_id, Ambassador.id)).all()
    audit(session, action="student.list", target=None, actor=staff.user, org_path=staff.scope,
          detail={"ambassadors": len(rows)})
    out = []
    for ambassador, student in rows:
        activities = session.scalar(select(func.count()).select_from(AmbassadorActivity).where(
            AmbassadorActivity.school_id == ambassador.school_id)) or 0
        out.append({"id": ambassador.id, "school_id": ambassador.school_id,
                    "appointed_on": ambassador.appointed_on, "active": ambassador.active,
                    "student": student_view(staff, student),
                    "school_activities": int(activities)})
    return out


def list_activities(session: Session, *, staff: Staff, school_id: int | None
                    ) -> list[AmbassadorActivity]:
    query = select(AmbassadorActivity).where(
        AmbassadorActivity.org_path.startswith(staff.scope, autoescape=True))
    if school_id is not None:
        query = query.where(AmbassadorActivity.school_id == school_id)
    return list(session.scalars(query.order_by(AmbassadorActivity.held_on.desc())))
