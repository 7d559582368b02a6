"""Duta Pelajar Anti Tawuran: appointing students as ambassadors and their activities."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.errors import Conflict, Invalid
from siaga.schools.service import school_for_staff, school_path
from siaga.students.models import Ambassador, AmbassadorActivity, Student
from siaga.students.service import (
    NAME_ROLES,
    not_future_day,
    student_for_staff,
    student_view,
)


def appoint_ambassador(session: Session, *, staff: Staff, student_id: int,
                       appointed_on: date) -> Ambassador:
    """Make a student a Duta Pelajar Anti Tawuran of their school (once while active)."""
    not_future_day(appointed_on, field="appointed_on", what="Tanggal pengangkatan")
    student = student_for_staff(session, staff=staff, student_id=student_id)
    current = session.scalar(select(Ambassador.id).where(
        Ambassador.student_id == student.id, Ambassador.active.is_(True)).limit(1))
    if current is not None:
        raise Conflict("Pelajar ini sudah menjadi duta pelajar", field="student_id",
                       ambassador_id=current)
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
    not_future_day(held_on, field="held_on", what="Tanggal kegiatan")
    school = school_for_staff(session, staff=staff, school_id=school_id)
    ambassador_ids = list(dict.fromkeys(ambassador_ids))
    known: set[int] = set()
    if ambassador_ids:
        known = set(session.scalars(select(Ambassador.id).where(
            Ambassador.id.in_(ambassador_ids),
            Ambassador.org_path.startswith(staff.scope, autoescape=True))))
    unknown = [i for i in ambassador_ids if i not in known]
    if unknown:
        raise Invalid("Duta pelajar tidak ditemukan di wilayah Anda: "
                      + ", ".join(str(i) for i in unknown), field="ambassador_ids")
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
          detail={"ambassadors": len(rows), "school_id": school_id,
                  "named": staff.user.role in NAME_ROLES,
                  "student_ids": [student.id for _, student in rows]})
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
