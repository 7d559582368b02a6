"""Visit, follow-up, coverage and anev routes.

`POST /api/v1/visits` is multipart/form-data: a `data` field holding the visit form as JSON
(see `VisitIn`) and zero or more `photos` files. One request carries the whole visit, so a
phone that re-sends it after losing the reply (same `client_id`) can never store half of it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from pydantic import ValidationError

from siaga.deps import SessionDep, Staff, require
from siaga.errors import Invalid, NotFound
from siaga.jsonlimits import check_form_json
from siaga.reports.kamus import csv_response, kamus_csv
from siaga.timeparams import QueryTime
from siaga.visits import followups, service
from siaga.visits.anev import KAMUS as ANEV_KAMUS
from siaga.visits.anev import anev_csv, anev_report
from siaga.visits.anev_pdf import anev_pdf
from siaga.visits.coverage import coverage, report_org, scope_for
from siaga.visits.photos import photo_path
from siaga.visits.schemas import (
    Coverage,
    FollowUpOut,
    FollowUpPage,
    FollowUpRequest,
    FollowUpUpdate,
    FormOptions,
    VisitIn,
    VisitOut,
    VisitPage,
)
from siaga.visits.serialize import visits_out
from siaga.visits.uploads import read_upload

router = APIRouter(tags=["visits"])
Officer = Annotated[Staff, Depends(require("visits.record"))]
Reader = Annotated[Staff, Depends(require("visits.view"))]
Leader = Annotated[Staff, Depends(require("visits.evaluate"))]


def parse_form(model: type[VisitIn], raw: str) -> VisitIn:
    """The JSON `data` field as a validated form; errors name the field like JSON bodies do."""
    check_form_json(raw)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


@router.get("/api/v1/visits/options", response_model=FormOptions)
def options(staff: Reader, session: SessionDep) -> FormOptions:
    return service.form_options(session, staff=staff)


@router.post("/api/v1/visits", status_code=201, response_model=VisitOut,
             responses={200: {"model": VisitOut, "description": "Sudah diterima sebelumnya"},
                        413: {"description": "Foto terlalu besar"},
                        415: {"description": "Berkas bukan gambar"}})
def create(
    staff: Officer, session: SessionDep, response: Response,
    data: Annotated[str, Form(description="Formulir kunjungan (JSON, lihat VisitIn)")],
    photos: Annotated[list[UploadFile] | None, File(description="Foto bukti")] = None,
) -> VisitOut:
    form = parse_form(VisitIn, data)
    blobs = [read_upload(p, field=f"photos.{i}") for i, p in enumerate(photos or [])]
    visit, created = service.create_visit(session, staff=staff, data=form, photos=blobs)
    if not created:
        response.status_code = 200
    return visits_out(session, [visit])[0]


@router.get("/api/v1/visits", response_model=VisitPage)
def list_(
    staff: Reader, session: SessionDep,
    org: Annotated[str | None, Query(max_length=64, description="Kode satuan")] = None,
    officer_id: int | None = None,
    region_id: int | None = None,
    flagged: bool | None = None,
    since: QueryTime | None = None,
    until: QueryTime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> VisitPage:
    scope = scope_for(session, staff=staff, org_code=org) if org else None
    rows, total = service.list_visits(session, staff=staff, scope=scope, officer_id=officer_id,
                                      region_id=region_id, flagged=flagged, since=since,
                                      until=until, limit=limit, offset=offset)
    return VisitPage(items=visits_out(session, rows), total=total)


@router.get("/api/v1/visits/coverage", response_model=Coverage)
def coverage_(staff: Leader, session: SessionDep,
              org: Annotated[str | None, Query(max_length=64)] = None) -> Coverage:
    return coverage(session, scope=scope_for(session, staff=staff, org_code=org))


@router.get("/api/v1/visits/{visit_id}", response_model=VisitOut)
def get(visit_id: int, staff: Reader, session: SessionDep) -> VisitOut:
    return visits_out(session, [service.view_visit(session, staff=staff, visit_id=visit_id)])[0]


@router.get("/api/v1/visits/{visit_id}/photos/{photo_id}", response_class=FileResponse)
def photo(visit_id: int, photo_id: int, staff: Reader, session: SessionDep) -> FileResponse:
    found = service.visit_photo(session, staff=staff, visit_id=visit_id, photo_id=photo_id)
    path = photo_path(found)
    if not path.is_file():
        raise NotFound("Berkas foto tidak ada di penyimpanan", field="photo_id")
    return FileResponse(path, media_type=found.mime,
                        headers={"Cache-Control": "private, max-age=86400"})


@router.post("/api/v1/visits/{visit_id}/follow-ups", response_model=FollowUpOut,
             status_code=201)
def add_follow_up(visit_id: int, body: FollowUpRequest, staff: Reader,
                  session: SessionDep) -> FollowUpOut:
    visit = service.visit_for_staff(session, staff=staff, visit_id=visit_id)
    row = followups.open_follow_up(session, actor=staff.user, visit=visit, tip=None,
                                   function=body.function, description=body.description,
                                   due_date=body.due_date)
    return followups.follow_up_out(session, [row])[0]


@router.get("/api/v1/follow-ups", response_model=FollowUpPage)
def list_follow_ups(
    staff: Reader, session: SessionDep,
    status: Annotated[str | None, Query(max_length=16,
                                        description="open, in_progress, done, cancelled, "
                                                    "atau active (belum selesai)")] = None,
    function: Annotated[str | None, Query(max_length=16)] = None,
    visit_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FollowUpPage:
    rows, total = followups.list_follow_ups(session, staff=staff, status=status,
                                            function=function, visit_id=visit_id, limit=limit,
                                            offset=offset)
    return FollowUpPage(items=followups.follow_up_out(session, rows), total=total)


@router.patch("/api/v1/follow-ups/{follow_up_id}", response_model=FollowUpOut)
def update_follow_up(follow_up_id: int, body: FollowUpUpdate, staff: Reader,
                     session: SessionDep) -> FollowUpOut:
    row = followups.update_follow_up(session, staff=staff, follow_up_id=follow_up_id, data=body)
    return followups.follow_up_out(session, [row])[0]


@router.get("/api/v1/reports/anev", response_model=None)
def anev(
    staff: Leader, session: SessionDep,
    week: Annotated[str | None, Query(pattern=r"^\d{4}-W\d{2}$",
                                      description="mis. 2026-W47")] = None,
    org: Annotated[str | None, Query(max_length=64)] = None,
    format: Literal["json", "csv", "pdf"] = "json",
    kamus: Annotated[bool, Query(description="kamus data kolom CSV")] = False,
) -> object:
    if kamus:
        return csv_response(kamus_csv(ANEV_KAMUS), "kamus-anev")
    if week is None:
        raise Invalid("Minggu wajib diisi, mis. 2026-W47", field="week")
    unit = report_org(session, staff=staff, org_code=org or None)
    report = anev_report(session, org=unit, week=week)
    name = f"anev-{unit.code}-{week}"
    if format == "csv":
        return csv_response(anev_csv(report), name)
    if format == "pdf":
        return Response(anev_pdf(report), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return report

