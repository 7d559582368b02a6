"""Routes for patrol plans: create (operator/pimpinan), view, officer's own, compliance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from siaga.deps import CurrentUser, SessionDep, Staff, require
from siaga.errors import Invalid
from siaga.orgs.models import Organisation
from siaga.orgs.service import org_by_code
from siaga.patrols import service
from siaga.patrols.schemas import PlanCreate

router = APIRouter(prefix="/api/v1/patrol-plans", tags=["patrols"])
Planner = Annotated[Staff, Depends(require("patrols.plan"))]
Viewer = Annotated[Staff, Depends(require("patrols.view"))]


@router.post("", status_code=201)
def create(body: PlanCreate, staff: Planner, session: SessionDep) -> dict[str, Any]:
    if body.org is not None:
        org = org_by_code(session, code=body.org)
    elif staff.user.org_id is not None:
        found = session.get(Organisation, staff.user.org_id)
        if found is None:
            raise Invalid("Pilih satuan", field="org")
        org = found
    else:
        raise Invalid("Pilih satuan", field="org")
    plan = service.create_plan(session, staff=staff, org=org, shift_start=body.shift_start,
                               shift_end=body.shift_end, unit_ids=body.unit_ids,
                               points_per_unit=body.points_per_unit, crime_type=body.crime_type)
    return service.plan_view(session, plan=plan)


@router.get("/mine")
def mine(user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    items = service.plans_for_officer(session, user=user)
    return {"items": items, "total": len(items)}


@router.get("")
def list_(staff: Viewer, session: SessionDep,
          limit: Annotated[int, Query(ge=1, le=1000)] = 50,
          offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    return service.list_plans(session, scope=staff.scope, limit=limit, offset=offset)


@router.get("/{plan_id}")
def get(plan_id: int, staff: Viewer, session: SessionDep) -> dict[str, Any]:
    return service.plan_view(session, plan=service.plan_for_staff(session, staff=staff,
                                                                  plan_id=plan_id))


@router.get("/{plan_id}/compliance")
def compliance(plan_id: int, staff: Viewer, session: SessionDep) -> dict[str, Any]:
    plan = service.plan_for_staff(session, staff=staff, plan_id=plan_id)
    return service.plan_compliance(session, plan=plan)
