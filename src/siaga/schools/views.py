"""School register routes: CRUD (admin, analis), risk, and dismissal patrols."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from siaga.deps import SessionDep, Staff, require
from siaga.intel.entities import school_aliases
from siaga.schools import patrols as patrol_service
from siaga.schools import service
from siaga.schools.models import School, SchoolPatrol
from siaga.schools.schemas import (
    PatrolOut,
    PatrolPage,
    PatrolPlanIn,
    RiskOut,
    RiskPage,
    SchoolIn,
    SchoolOut,
    SchoolPage,
    SchoolPatch,
)

router = APIRouter(prefix="/api/v1/schools", tags=["schools"])
Reader = Annotated[Staff, Depends(require("schools.view"))]
Editor = Annotated[Staff, Depends(require("schools.edit"))]
Planner = Annotated[Staff, Depends(require("schools.plan_patrols"))]


def _out(session: Session, school: School) -> SchoolOut:
    return SchoolOut(
        id=school.id, name=school.name, level=school.level, lat=school.lat, lon=school.lon,
        coords_approximate=school.coords_approximate, address=school.address,
        org_path=service.school_path(session, school), aliases=list(school.aliases or []),
        generated_aliases=school_aliases(school.name)[:20],
        dismissal_times=dict(school.dismissal_times or {}), contact=school.contact,
        contacts=list(school.contacts or []), brawl_prone=school.brawl_prone,
    )


@router.get("", response_model=SchoolPage)
def list_schools(staff: Reader, session: SessionDep,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
                 offset: Annotated[int, Query(ge=0)] = 0) -> SchoolPage:
    rows, total = service.list_schools(session, staff=staff, limit=limit, offset=offset)
    return SchoolPage(items=[_out(session, s) for s in rows], total=total)


@router.get("/risk", response_model=RiskPage)
def risk(staff: Reader, session: SessionDep) -> RiskPage:
    """Brawl-risk score of every school in scope, highest first."""
    rows, _ = service.list_schools(session, staff=staff)
    risks = sorted(service.school_risks(session, schools=rows), key=lambda r: -r.score)
    return RiskPage(items=[RiskOut(**r.as_dict()) for r in risks], total=len(risks))


@router.get("/patrols", response_model=PatrolPage)
def patrols(staff: Reader, session: SessionDep,
            status: Annotated[str | None, Query(pattern="^(planned|covered|missed)$")] = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100,
            offset: Annotated[int, Query(ge=0)] = 0) -> PatrolPage:
    rows, total = patrol_service.list_patrols(session, staff=staff, status=status, limit=limit,
                                              offset=offset)
    return PatrolPage(items=[_patrol(session, p) for p in rows], total=total)


@router.post("/patrols/plan", response_model=PatrolPage, status_code=201)
def plan(body: PatrolPlanIn, staff: Planner, session: SessionDep) -> PatrolPage:
    """Plan dismissal-time patrols at high-risk schools for a day (WIB)."""
    rows = patrol_service.plan_dismissal_patrols(
        session, day=body.day(), min_risk=body.min_risk, actor=staff.user, staff=staff)
    return PatrolPage(items=[_patrol(session, p) for p in rows], total=len(rows))


@router.post("/patrols/check", response_model=PatrolPage)
def check(staff: Planner, session: SessionDep) -> PatrolPage:
    """Check finished patrols against unit GPS tracks."""
    rows = patrol_service.check_due_patrols(session, staff=staff)
    return PatrolPage(items=[_patrol(session, p) for p in rows], total=len(rows))


@router.post("", status_code=201, response_model=SchoolOut)
def create(body: SchoolIn, staff: Editor, session: SessionDep) -> SchoolOut:
    fields = body.model_dump()
    fields["contacts"] = [c for c in fields["contacts"]]
    return _out(session, service.create_school(session, staff=staff, fields=fields))


@router.get("/{school_id}", response_model=SchoolOut)
def get(school_id: int, staff: Reader, session: SessionDep) -> SchoolOut:
    return _out(session, service.school_for_staff(session, staff=staff, school_id=school_id))


@router.put("/{school_id}", response_model=SchoolOut)
def update(school_id: int, body: SchoolPatch, staff: Editor, session: SessionDep) -> SchoolOut:
    fields = body.model_dump(exclude_unset=True)
    return _out(session, service.update_school(session, staff=staff, school_id=school_id,
                                               fields=fields))


@router.delete("/{school_id}", status_code=204)
def delete(school_id: int, staff: Editor, session: SessionDep) -> Response:
    service.delete_school(session, staff=staff, school_id=school_id)
    return Response(status_code=204)


def _patrol(session: Session, patrol: SchoolPatrol) -> PatrolOut:
    school = session.get(School, patrol.school_id)
    return PatrolOut(id=patrol.id, school_id=patrol.school_id,
                     school=school.name if school else "-", window_start=patrol.window_start,
                     window_end=patrol.window_end, risk=patrol.risk, status=patrol.status,
                     unit_id=patrol.unit_id, closest_m=patrol.closest_m,
                     checked_at=patrol.checked_at)
