"""Routes for students (minors: names only for analis/pimpinan), incidents and ambassadors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from siaga.deps import SessionDep, Staff, require
from siaga.reports.kamus import kamus_csv
from siaga.students import ambassadors, service
from siaga.students.schemas import (
    ActivityIn,
    AmbassadorIn,
    CaseIn,
    IncidentIn,
    StepIn,
    StudentIn,
)

router = APIRouter(prefix="/api/v1", tags=["students"])
# Operators and patrol officers have no business with students' records at all.
StudentReader = Annotated[Staff, Depends(require("intel.view_students"))]
StudentWriter = Annotated[Staff, Depends(require("intel.edit_students"))]
IncidentReader = Annotated[Staff, Depends(require("intel.view_incidents"))]


@router.get("/students")
def list_students(staff: StudentReader, session: SessionDep,
                  monitored: bool | None = None, school_id: int | None = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    items, total = service.list_students(session, staff=staff, monitored=monitored,
                                         school_id=school_id, limit=limit, offset=offset)
    return {"items": items, "total": total}


@router.get("/students/export.csv", response_class=PlainTextResponse)
def export_students(staff: StudentReader, session: SessionDep,
                    kamus: Annotated[bool, Query(description="kamus data kolom")] = False
                    ) -> PlainTextResponse:
    """The list as CSV, always with pseudonyms instead of names (`?kamus=1`: its columns)."""
    if kamus:
        return PlainTextResponse(kamus_csv(service.EXPORT_KAMUS), media_type="text/csv")
    body = service.export_students_csv(session, staff=staff)
    return PlainTextResponse(body, media_type="text/csv",
                             headers={"Content-Disposition":
                                      'attachment; filename="pelajar-dipantau.csv"'})


@router.post("/students", status_code=201)
def create_student(body: StudentIn, staff: StudentWriter, session: SessionDep
                   ) -> dict[str, Any]:
    student = service.create_student(session, staff=staff, school_id=body.school_id,
                                     full_name=body.full_name, class_name=body.class_name,
                                     guardian_contact=body.guardian_contact,
                                     monitored=body.monitored)
    return service.student_view(staff, student)


@router.get("/students/{student_id}")
def get_student(student_id: int, staff: StudentReader, session: SessionDep) -> dict[str, Any]:
    return service.view_student(session, staff=staff, student_id=student_id)


@router.post("/students/{student_id}/cases", status_code=201)
def open_case(student_id: int, body: CaseIn, staff: StudentWriter,
              session: SessionDep) -> dict[str, Any]:
    case = service.open_case(session, staff=staff, student_id=student_id,
                             incident_id=body.incident_id, opened_on=body.opened_on)
    return service.case_view(session, case)


@router.post("/followup-cases/{case_id}/steps", status_code=201)
def add_step(case_id: int, body: StepIn, staff: StudentWriter,
             session: SessionDep) -> dict[str, Any]:
    case = service.add_step(session, staff=staff, case_id=case_id, kind=body.kind,
                            done_on=body.done_on, note=body.note,
                            monitoring_days=body.monitoring_days)
    return service.case_view(session, case)


@router.get("/incidents")
def list_incidents(staff: IncidentReader, session: SessionDep,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                   offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    items, total = service.list_incidents(session, staff=staff, limit=limit, offset=offset)
    return {"items": items, "total": total}


@router.post("/incidents", status_code=201)
def create_incident(body: IncidentIn, staff: StudentWriter, session: SessionDep
                    ) -> dict[str, Any]:
    incident = service.create_incident(
        session, staff=staff, occurred_at=body.occurred_at, place=body.place, lat=body.lat,
        lon=body.lon, school_ids=body.school_ids, description=body.description,
        injured=body.injured, dead=body.dead, weapons_seized=body.weapons_seized,
        students=[(s.student_id, s.role) for s in body.students], warning_id=body.warning_id)
    return service.incident_summary(session, incident)


@router.get("/incidents/{incident_id}")
def get_incident(incident_id: int, staff: IncidentReader, session: SessionDep
                 ) -> dict[str, Any]:
    return service.view_incident(session, staff=staff, incident_id=incident_id)


@router.get("/ambassadors")
def list_ambassadors(staff: StudentReader, session: SessionDep,
                     school_id: int | None = None) -> dict[str, Any]:
    items = ambassadors.list_ambassadors(session, staff=staff, school_id=school_id)
    return {"items": items, "total": len(items)}


@router.post("/ambassadors", status_code=201)
def appoint(body: AmbassadorIn, staff: StudentWriter, session: SessionDep) -> dict[str, Any]:
    ambassador = ambassadors.appoint_ambassador(session, staff=staff,
                                                student_id=body.student_id,
                                                appointed_on=body.appointed_on)
    return {"id": ambassador.id, "school_id": ambassador.school_id,
            "appointed_on": ambassador.appointed_on}


@router.get("/ambassador-activities")
def list_activities(staff: IncidentReader, session: SessionDep,
                    school_id: int | None = None) -> dict[str, Any]:
    rows = ambassadors.list_activities(session, staff=staff, school_id=school_id)
    items = [{"id": a.id, "school_id": a.school_id, "held_on": a.held_on, "title": a.title,
              "description": a.description, "participants": a.participants} for a in rows]
    return {"items": items, "total": len(items)}


@router.post("/ambassador-activities", status_code=201)
def record_activity(body: ActivityIn, staff: StudentWriter, session: SessionDep
                    ) -> dict[str, Any]:
    activity = ambassadors.record_activity(session, staff=staff, school_id=body.school_id,
                                           held_on=body.held_on, title=body.title,
                                           description=body.description,
                                           participants=body.participants,
                                           ambassador_ids=body.ambassador_ids)
    return {"id": activity.id, "school_id": activity.school_id, "held_on": activity.held_on,
            "title": activity.title}
