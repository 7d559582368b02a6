"""Duty roster and Bhabinkamtibmas routes: admins plan, command-center staff read."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from siaga.admin.scope import org_in_scope
from siaga.auth.models import User
from siaga.db import utcnow
from siaga.deps import SessionDep, Staff, require
from siaga.roster import bhabin, service
from siaga.roster.schemas import (
    BhabinIn,
    DutyOut,
    PersonOut,
    RosterNow,
    ShiftIn,
    ShiftOut,
    ShiftPage,
    VillageOut,
    VillagePage,
)
from siaga.timeparams import QueryTime

router = APIRouter(prefix="/api/v1/roster", tags=["roster"])
Admin = Annotated[Staff, Depends(require("admin.manage_staff"))]
Reader = Annotated[Staff, Depends(require("units.view"))]


def person(user: User) -> PersonOut:
    """The public form of a staff member on a roster."""
    return PersonOut(id=user.id, name=user.full_name, username=user.username, phone=user.phone)


def shift_out(view: service.ShiftView) -> ShiftOut:
    """The API form of a shift."""
    return ShiftOut(id=view.shift.id, org_code=view.org.code, org_name=view.org.name,
                    label=view.shift.label, starts_at=view.shift.starts_at,
                    ends_at=view.shift.ends_at,
                    supervisor=person(view.supervisor) if view.supervisor else None,
                    duties=[DutyOut(desk=d.desk, person=person(d.user)) for d in view.duties])


@router.get("/now", response_model=RosterNow)
def now(staff: Reader, session: SessionDep) -> RosterNow:
    """Who is on duty right now in the caller's area, with the supervising officer."""
    at = utcnow()
    return RosterNow(at=at, shifts=[shift_out(v) for v in
                                    service.roster_now(session, staff=staff, at=at)])


@router.get("/shifts", response_model=ShiftPage)
def shifts(staff: Reader, session: SessionDep, since: QueryTime | None = None,
           until: QueryTime | None = None,
           org: Annotated[str | None, Query(max_length=64)] = None) -> ShiftPage:
    start = since or utcnow() - timedelta(days=1)
    end = until or start + timedelta(days=8)
    found = org_in_scope(session, staff=staff, code=org) if org else None
    views = service.list_shifts(session, staff=staff, since=start, until=end, org=found)
    return ShiftPage(items=[shift_out(v) for v in views], total=len(views))


@router.post("/shifts", response_model=ShiftOut, status_code=201)
def create_shift(body: ShiftIn, staff: Admin, session: SessionDep) -> ShiftOut:
    org = org_in_scope(session, staff=staff, code=body.org)
    view = service.create_shift(session, staff=staff, org=org, starts_at=body.starts_at,
                                ends_at=body.ends_at, supervisor_id=body.supervisor_id,
                                duties=[(d.desk, d.user_id) for d in body.duties],
                                label=body.label)
    return shift_out(view)


@router.delete("/shifts/{shift_id}", status_code=204)
def delete_shift(shift_id: int, staff: Admin, session: SessionDep) -> None:
    service.delete_shift(session, staff=staff, shift_id=shift_id)


def village_out(v: bhabin.VillageOfficer) -> VillageOut:
    """The API form of a village and its Bhabinkamtibmas."""
    return VillageOut(region_id=v.region.id, name=v.region.name, level=v.region.level,
                      polsek_code=v.polsek.code, polsek_name=v.polsek.name,
                      officer=person(v.officer) if v.officer else None)


@router.get("/bhabin", response_model=VillagePage)
def villages(staff: Admin, session: SessionDep,
             org: Annotated[str | None, Query(max_length=64)] = None) -> VillagePage:
    found = org_in_scope(session, staff=staff, code=org) if org else None
    rows = bhabin.village_officers(session, staff=staff, org=found)
    return VillagePage(items=[village_out(v) for v in rows], total=len(rows))


@router.put("/bhabin/{region_id}", response_model=VillageOut)
def assign(region_id: int, body: BhabinIn, staff: Admin, session: SessionDep) -> VillageOut:
    return village_out(bhabin.assign_bhabin(session, staff=staff, region_id=region_id,
                                            user_id=body.user_id))


@router.delete("/bhabin/{region_id}", status_code=204)
def unassign(region_id: int, staff: Admin, session: SessionDep) -> None:
    bhabin.unassign_bhabin(session, staff=staff, region_id=region_id)
