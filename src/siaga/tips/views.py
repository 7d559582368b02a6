"""Citizen tip routes: devices send and follow their tips, staff work the queue.

`POST /api/v1/tips` is multipart/form-data: a `data` field with the tip as JSON (see `TipIn`)
and an optional `photo` file.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from pydantic import ValidationError

from siaga.deps import ClientIP, CurrentDevice, SessionDep, Staff, require
from siaga.errors import NotFound
from siaga.jsonlimits import check_form_json
from siaga.tips import service
from siaga.tips.schemas import (
    TipIn,
    TipMine,
    TipMinePage,
    TipOptions,
    TipPage,
    TipStaffOut,
    TipUpdate,
)
from siaga.visits.followups import follow_up_out, open_follow_up
from siaga.visits.photos import photo_path
from siaga.visits.schemas import FollowUpOut, FollowUpRequest
from siaga.visits.uploads import read_upload

router = APIRouter(prefix="/api/v1/tips", tags=["tips"])
TipStaff = Annotated[Staff, Depends(require("tips.view"))]
TipEditor = Annotated[Staff, Depends(require("tips.handle"))]


@router.get("/options", response_model=TipOptions)
def options(session: SessionDep) -> TipOptions:
    return service.tip_options(session)


@router.post("", status_code=201, response_model=TipMine,
             responses={200: {"model": TipMine, "description": "Sudah diterima sebelumnya"},
                        413: {"description": "Foto terlalu besar"},
                        415: {"description": "Berkas bukan gambar"}})
def create(
    device: CurrentDevice, session: SessionDep, response: Response, ip: ClientIP,
    data: Annotated[str, Form(description="Laporan (JSON, lihat TipIn)")],
    photo: Annotated[UploadFile | None, File(description="Foto (opsional)")] = None,
) -> TipMine:
    check_form_json(data)
    try:
        form = TipIn.model_validate_json(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    blob = read_upload(photo, field="photo") if photo is not None else None
    tip, created = service.create_tip(session, device=device, data=form, photo=blob or None,
                                      client_ip=ip)
    if not created:
        response.status_code = 200
    return service.tips_mine_out(session, [tip])[0]


@router.get("/mine", response_model=TipMinePage)
def mine(device: CurrentDevice, session: SessionDep,
         limit: Annotated[int, Query(ge=1, le=1000)] = 50,
         offset: Annotated[int, Query(ge=0)] = 0) -> TipMinePage:
    rows, total = service.tips_for_device(session, device=device, limit=limit, offset=offset)
    return TipMinePage(items=service.tips_mine_out(session, rows), total=total)


@router.get("", response_model=TipPage)
def list_(staff: TipStaff, session: SessionDep,
          status: Annotated[str | None, Query(max_length=16,
                                              description="status, atau active")] = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100,
          offset: Annotated[int, Query(ge=0)] = 0) -> TipPage:
    rows, total = service.list_tips(session, staff=staff, status=status, limit=limit,
                                    offset=offset)
    return TipPage(items=service.tips_staff_out(session, rows), total=total)


@router.get("/{tip_id}", response_model=TipStaffOut)
def get(tip_id: int, staff: TipStaff, session: SessionDep) -> TipStaffOut:
    return service.tips_staff_out(session, [service.view_tip(session, staff=staff,
                                                             tip_id=tip_id)])[0]


@router.patch("/{tip_id}", response_model=TipStaffOut)
def update(tip_id: int, body: TipUpdate, staff: TipEditor, session: SessionDep) -> TipStaffOut:
    tip = service.update_tip(session, staff=staff, tip_id=tip_id, data=body)
    return service.tips_staff_out(session, [tip])[0]


@router.get("/{tip_id}/photo", response_class=FileResponse)
def photo(tip_id: int, staff: TipStaff, session: SessionDep) -> FileResponse:
    found = service.tip_photo(session, staff=staff, tip_id=tip_id)
    path = photo_path(found)
    if not path.is_file():
        raise NotFound("Berkas foto tidak ada di penyimpanan", field="photo")
    return FileResponse(path, media_type=found.mime,
                        headers={"Cache-Control": "private, max-age=86400"})


@router.post("/{tip_id}/follow-ups", response_model=FollowUpOut, status_code=201)
def add_follow_up(tip_id: int, body: FollowUpRequest, staff: TipEditor,
                  session: SessionDep) -> FollowUpOut:
    tip = service.tip_for_staff(session, staff=staff, tip_id=tip_id)
    row = open_follow_up(session, actor=staff.user, visit=None, tip=tip, function=body.function,
                         description=body.description, due_date=body.due_date)
    return follow_up_out(session, [row])[0]
