"""Unit routes for the command center: list, register, status, GPS track export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from siaga.admin import crew as admin_crew
from siaga.admin import units as admin_units
from siaga.admin.schemas import (
    CrewAdd,
    CrewCandidate,
    CrewCandidates,
    UnitSetupOut,
    UnitUpdate,
)
from siaga.deps import SessionDep, Staff, require
from siaga.errors import NotFound
from siaga.orgs.service import org_by_code
from siaga.timeparams import QueryTime
from siaga.tracking.service import track, track_geojson
from siaga.units import service
from siaga.units.schemas import StatusChange, UnitCreate, UnitOut, UnitPage

router = APIRouter(prefix="/api/v1/units", tags=["units"])
UnitStaff = Annotated[Staff, Depends(require("units.view"))]
Operator = Annotated[Staff, Depends(require("units.operate"))]
Admin = Annotated[Staff, Depends(require("units.administer"))]


@router.get("", response_model=UnitPage)
def list_(
    staff: UnitStaff, session: SessionDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    kind: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
    retired: bool = False,
) -> UnitPage:
    items, total = service.list_units(session, staff=staff, status=status, kind=kind,
                                      limit=limit, offset=offset, retired=retired)
    return UnitPage(items=items, total=total)


@router.post("", status_code=201, response_model=UnitOut)
def create(body: UnitCreate, staff: Admin, session: SessionDep) -> UnitOut:
    org = org_by_code(session, code=body.org)
    if not staff.sees(org.path):
        raise NotFound(f"Satuan tidak ditemukan: {body.org}", field="org")
    # A unit that moves gets a random tracker id unless its GPS app already has one.
    tracker_id = body.tracker_id or (service.new_tracker_id() if body.kind != "desk" else None)
    unit = service.create_unit(session, callsign=body.callsign, org=org, kind=body.kind,
                               tracker_id=tracker_id, crew=body.crew, actor=staff.user)
    return service.unit_summary(session, unit, viewer=staff.user)


@router.get("/{unit_id}", response_model=UnitOut)
def get(unit_id: int, staff: UnitStaff, session: SessionDep) -> UnitOut:
    return service.unit_summary(session, service.unit_for_staff(session, staff=staff,
                                                                unit_id=unit_id),
                                viewer=staff.user)


@router.post("/{unit_id}/status", response_model=UnitOut)
def change_status(unit_id: int, body: StatusChange, staff: Operator,
                  session: SessionDep) -> UnitOut:
    unit = service.unit_for_staff(session, staff=staff, unit_id=unit_id)
    service.set_unit_status(session, unit=unit, status=body.status, actor=staff.user,
                            note=body.note)
    return service.unit_summary(session, unit, viewer=staff.user)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.get("/{unit_id}/track.geojson")
def track_export(
    unit_id: int, staff: UnitStaff, session: SessionDep,
    since: QueryTime | None = None, until: QueryTime | None = None,
) -> JSONResponse:
    """The unit's fixes as GeoJSON: a LineString of the track, then one Point per fix."""
    unit = service.unit_for_staff(session, staff=staff, unit_id=unit_id)
    positions = track(session, unit=unit, since=_utc(since), until=_utc(until))
    return JSONResponse(track_geojson(unit, positions), media_type="application/geo+json")


@router.patch("/{unit_id}", response_model=UnitOut)
def update(unit_id: int, body: UnitUpdate, staff: Admin, session: SessionDep) -> UnitOut:
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    admin_units.update_unit(session, staff=staff, unit=unit, callsign=body.callsign,
                            kind=body.kind, org_code=body.org, crew=body.crew,
                            officer_id=body.officer_id, clear_officer=body.clear_officer)
    return service.unit_summary(session, unit, viewer=staff.user)


@router.get("/{unit_id}/crew/candidates", response_model=CrewCandidates)
def crew_candidates(unit_id: int, staff: Admin, session: SessionDep) -> CrewCandidates:
    """Officers who could join the unit's crew: active, of its organisation, not in it yet."""
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    rows = admin_crew.crew_candidates(session, staff=staff, unit=unit)
    return CrewCandidates(items=[CrewCandidate(id=u.id, username=u.username,
                                               full_name=u.full_name, org_name=org)
                                 for u, org in rows])


@router.post("/{unit_id}/crew", response_model=UnitOut)
def add_crew(unit_id: int, body: CrewAdd, staff: Admin, session: SessionDep) -> UnitOut:
    """Put an officer in the unit's crew: the unit's tasks reach their phone."""
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    admin_crew.add_crew_member(session, staff=staff, unit=unit, user_id=body.user_id)
    return service.unit_summary(session, unit, viewer=staff.user)


@router.delete("/{unit_id}/crew/{member}", response_model=UnitOut)
def remove_crew(unit_id: int, member: Annotated[str, Path(max_length=200)], staff: Admin,
                session: SessionDep) -> UnitOut:
    """Take an officer (by username) out of the unit's crew."""
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    admin_crew.remove_crew_member(session, staff=staff, unit=unit, member=member)
    return service.unit_summary(session, unit, viewer=staff.user)


@router.post("/{unit_id}/retire", response_model=UnitOut)
def retire(unit_id: int, staff: Admin, session: SessionDep) -> UnitOut:
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    admin_units.retire_unit(session, staff=staff, unit=unit)
    return service.unit_summary(session, unit, viewer=staff.user)


@router.post("/{unit_id}/tracker-id", response_model=UnitOut)
def regenerate_tracker_id(unit_id: int, staff: Admin, session: SessionDep) -> UnitOut:
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    admin_units.regenerate_tracker_id(session, staff=staff, unit=unit)
    return service.unit_summary(session, unit, viewer=staff.user)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/{unit_id}/setup", response_model=UnitSetupOut)
def setup(unit_id: int, request: Request, staff: Admin, session: SessionDep) -> UnitSetupOut:
    """What the unit's GPS app needs: Traccar Client (URL + id) or OwnTracks (HTTP mode)."""
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    s = admin_units.unit_setup(session, unit=unit, base_url=_base_url(request))
    return UnitSetupOut(unit_id=unit.id, callsign=unit.callsign, **s.__dict__,
                        instructions=admin_units.setup_instructions(s))


@router.get("/{unit_id}/qr.{fmt}")
def qr(unit_id: int, fmt: Literal["svg", "png"], request: Request, staff: Admin,
       session: SessionDep, app: Literal["traccar", "owntracks"] = "traccar") -> Response:
    """The QR code the officer scans in Traccar Client (or OwnTracks) to set up this unit."""
    unit = admin_units.unit_for_admin(session, staff=staff, unit_id=unit_id)
    body = admin_units.setup_qr(session, unit=unit, base_url=_base_url(request), app=app,
                                fmt=fmt)
    return Response(body, media_type="image/svg+xml" if fmt == "svg" else "image/png",
                    headers={"Cache-Control": "no-store"})
